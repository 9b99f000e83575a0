"""Many stores as one DuckDB database: a view per table, joinable on row positions.

``register(con, locations)`` creates, in a DuckDB connection, one view per table path of the
stores (``units``, ``session/units``), over that table's Parquet files in every store that
has it. A view's columns are the table's columns (united by name: a column that some stores
lack is NULL in their rows), then ``store``, the store's URL (or absolute path: what
``hdmf_arrow.scan`` puts in its ``store`` column), then ``_row``, the row's position
in its store's table. A region column holds such positions into its target table in the same
store, so a region is followed with SQL alone, however many files (appends) either table has::

    SELECT u.id, e.location
    FROM units AS u JOIN electrodes AS e ON u.store = e.store AND u.electrode = e._row

``_row`` is the files' row-position column (the manifest's ``row_column``, docs/format.md
6.2) where the store has one. In stores written before it existed, it is computed from
DuckDB's ``file_row_number`` plus the first row of each file (the rows of the files before it
in the manifest's ``files``).

How DuckDB reaches each store:

- local stores: by path;
- ``s3://`` stores: through DuckDB's ``httpfs`` extension when it is installed (it is never
  downloaded here), with a temporary SECRET per bucket made from the s3fs-style
  ``storage_options`` (``key``, ``secret``, ``token``, ``client_kwargs.endpoint_url``,
  ``client_kwargs.region_name``, as ``Store.polars_options`` translates them for polars);
- other fsspec stores (``memory://``, ``gcs://``, ...), and ``s3://`` without ``httpfs``:
  through one fsspec filesystem per call, registered with the connection
  (``con.register_filesystem``) under a protocol of its own, that serves the views' files from
  their stores with the sizes the manifests give: one GET per file (no HEAD, no listing), and
  files up to 8 MiB are kept once read (data files never change).

Only manifests are read to make the views (as ``hdmf_arrow.scan`` opens stores: on S3 one
flat listing for the versions of stores that share a filesystem, glob included, and their
manifests fetched concurrently); DuckDB reads a footer per store and table when it creates a
view (it binds the view's query), and data when the views are queried.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import io
import json
import threading
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fsspec import AbstractFileSystem

from hdmf_arrow.api import (
    _check_column_kinds,
    _check_distinct,
    _expand_locations,
    _open_manifests,
    _stored_tables,
    _StoredTable,
    _table_files,
)
from hdmf_arrow.errors import (
    DuplicateColumnError,
    InvalidArgumentTypeError,
    InvalidNameError,
    MissingDependencyError,
    StoreLocationError,
)
from hdmf_arrow.storage import FsspecStore, LocalStore

if TYPE_CHECKING:
    from collections.abc import Sequence

    import duckdb

    from hdmf_arrow.storage import Store, StoreLike

__all__ = ["register"]

STORE_COLUMN = "store"
ROW_COLUMN = "_row"
_FILE_COLUMN = "_hdmf_arrow_file"  # the file name read_parquet adds (older stores only)
_FILE_ROW = "file_row_number"  # the column read_parquet's file_row_number adds
_S3 = {"s3", "s3a"}
_WHOLE_BYTES = 8 * 2**20  # files up to this size are fetched whole, in one request, and kept
_CACHE_BYTES = 256 * 2**20  # at most this much of them, per register call


def register(
    con: duckdb.DuckDBPyConnection,
    locations: StoreLike | Sequence[StoreLike],
    *,
    version: int | None = None,
    storage_options: dict[str, Any] | None = None,
    prefix: str | None = None,
) -> list[str]:
    """Create a DuckDB view per table path of the stores; returns the view names, sorted.

    Parameters
    ----------
    con
        The DuckDB connection the views (and secrets, and filesystems) are created in.
    locations
        One location, a list of them, or a glob (``"sessions/*.hdmf"``,
        ``"s3://bucket/sessions/*.hdmf"``), as for ``hdmf_arrow.scan``.
    version
        The version to read in every store (the newest of each if None).
    storage_options
        fsspec options for the stores (s3fs's for ``s3://``); DuckDB's S3 secret is made
        from them.
    prefix
        Put before each view name: with ``prefix="s_"``, ``units`` becomes ``s_units``.

    Returns
    -------
    list[str]
        The view names: the prefix, then the table's path under the store's root
        (``units``, ``session/units``; a store whose root is a table names it). A name is
        one identifier, made as a quoted one: a name with ``/`` (or any character outside
        letters, digits and ``_``) has to be quoted in SQL, as ``"session/units"``.
        ``CREATE OR REPLACE``: a second call replaces views of the same names.

    Raises
    ------
    StoreLocationError
        ``locations`` names no store.
    DuplicateColumnError
        A table has a column named ``store`` or ``_row`` (or, in a store without row
        positions, ``file_row_number`` or ``_hdmf_arrow_file``), which the view adds.
    InvalidNameError
        Two tables' view names differ only by case (DuckDB's names are case-insensitive).
    MissingDependencyError
        duckdb is not installed.

    Examples
    --------
    >>> import duckdb
    >>> import pandas as pd
    >>> import hdmf_arrow
    >>> for s in ("a", "b"):
    ...     _ = hdmf_arrow.write(pd.DataFrame({"x": [s]}), f"memory://doc/ddb/{s}.hdmf", name="t")
    >>> _ = hdmf_arrow.write(pd.DataFrame({"x": ["c"]}), "memory://doc/ddb/b.hdmf", name="t",
    ...                      mode="append")
    >>> con = duckdb.connect()
    >>> register(con, "memory://doc/ddb/*.hdmf")
    ['t']
    >>> for row in con.sql("SELECT store, _row, x FROM t ORDER BY store, _row").fetchall():
    ...     print(row)
    ('memory://doc/ddb/a.hdmf', 0, 'a')
    ('memory://doc/ddb/b.hdmf', 0, 'b')
    ('memory://doc/ddb/b.hdmf', 1, 'c')
    """
    try:
        import duckdb
    except ImportError:
        msg = "hdmf_arrow.duckdb.register needs duckdb. Hint: pip install duckdb"
        raise MissingDependencyError(msg) from None
    if not isinstance(con, duckdb.DuckDBPyConnection):
        msg = (
            f"register: con must be a duckdb connection (duckdb.connect()), found "
            f"{type(con).__name__}"
        )
        raise InvalidArgumentTypeError(msg)
    if prefix is not None and not isinstance(prefix, str):
        msg = f"register: prefix must be a str or None, found {type(prefix).__name__}"
        raise InvalidArgumentTypeError(msg)
    found, listings = _expand_locations(locations, storage_options)
    if not found:
        msg = f"register: {locations!r:.120} names no store (a glob that matched nothing?)"
        raise StoreLocationError(msg)
    reach = _Reach(con)
    parts: dict[str, list[_Part]] = {}
    opened = _open_manifests(
        found, version=version, storage_options=storage_options, listings=listings
    )
    _check_distinct([store for store, _ in opened], "register")
    for store, manifest in opened:
        for table in _stored_tables(store, manifest):
            part = _Part(store.url, table, reach.urls(store, table))
            parts.setdefault(table.path, []).append(part)
    names = {path: f"{prefix or ''}{path}" for path in sorted(parts)}
    _check_names(list(names.values()))
    for path, name in names.items():
        _check_column_kinds("register", path, [(p.store, p.table.schema) for p in parts[path]])
        sql = _view_sql(parts[path], con, name)
        try:
            con.execute(f"CREATE OR REPLACE VIEW {_ident(name)} AS {sql}")
        except duckdb.Error as exc:
            stores = ", ".join(p.store for p in parts[path][:3])
            more = f" and {len(parts[path]) - 3} more" if len(parts[path]) > 3 else ""
            exc.add_note(f"while creating view {name!r} over table {path!r} of {stores}{more}")
            raise
    return list(names.values())


@dataclass(frozen=True, slots=True)
class _Part:
    """One store's share of a view: the store's name, its table and its files' URLs."""

    store: str
    table: _StoredTable
    urls: tuple[str, ...]


def _view_sql(parts: list[_Part], con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The query of one view: every store's branch, united by column name."""
    branches = [_branch(p) for p in parts if p.urls]
    if not branches:  # no store holds a file of it: an empty view of the first one's columns
        import pyarrow as pa

        schema = parts[0].table.schema.append(pa.field(STORE_COLUMN, pa.string()))
        empty = schema.append(pa.field(ROW_COLUMN, pa.int64())).empty_table()
        hidden = f"_hdmf_arrow_empty_{_digest(name)}"
        con.register(hidden, empty)
        return f"SELECT * FROM {_ident(hidden)}"
    body = " UNION ALL BY NAME ".join(f"({b})" for b in branches)
    extra = f"{_ident(STORE_COLUMN)}, {_ident(ROW_COLUMN)}"
    return f"SELECT * EXCLUDE ({extra}), {extra} FROM ({body})"


def _branch(part: _Part) -> str:
    """One store's rows: the table's columns, ``store`` and ``_row``."""
    table = part.table
    names = table.schema.names
    added = [] if table.row_column else [_FILE_ROW, _FILE_COLUMN]
    for taken in (STORE_COLUMN, ROW_COLUMN, *added):
        if taken in names:
            what = "the store's name" if taken == STORE_COLUMN else "the row positions"
            msg = (
                f"table {table.path!r} of store {part.store} has a column {taken!r}, the name "
                f"of a column the DuckDB view adds for {what}. Hint: rename the column "
                f"(or query the files directly: hdmf_arrow.data_files)"
            )
            raise DuplicateColumnError(msg)
    files = "[" + ", ".join(_literal(u) for u in part.urls) + "]"
    columns = ", ".join(f"t.{_ident(n)}" for n in names)
    store = f"{_literal(part.store)} AS {_ident(STORE_COLUMN)}"
    row = _ident(ROW_COLUMN)
    if table.row_column is not None:  # the files hold the positions
        return (
            f"SELECT {columns}, {store}, t.{_ident(table.row_column)} AS {row} "
            f"FROM read_parquet({files}) AS t"
        )
    if len(part.urls) == 1:
        return (
            f"SELECT {columns}, {store}, t.{_FILE_ROW} AS {row} "
            f"FROM read_parquet({files}, file_row_number = true) AS t"
        )
    # several files and no positions in them: each file's rows start after the rows of the
    # files before it in the manifest's list
    starts = ", ".join(
        f"({_literal(u)}, {s})" for u, s in zip(part.urls, table.file_starts(), strict=True)
    )
    return (
        f"SELECT {columns}, {store}, m.start + t.{_FILE_ROW} AS {row} "
        f"FROM read_parquet({files}, filename = {_literal(_FILE_COLUMN)}, "
        f"file_row_number = true) AS t "
        f"JOIN (VALUES {starts}) AS m(file, start) ON t.{_ident(_FILE_COLUMN)} = m.file"
    )


class _Reach:
    """How DuckDB reads each store's files: a local path, an httpfs URL (with a secret for its
    bucket), or a URL of the connection's ``_StoreFiles`` filesystem."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._httpfs: bool | None = None
        self._files: _StoreFiles | None = None

    def urls(self, store: Store, table: _StoredTable) -> tuple[str, ...]:
        """The URLs, as DuckDB reads them, of the data files of ``table`` in ``store``."""
        if isinstance(store, LocalStore):
            # DuckDB opens the paths itself: refuse first, as scan does, a file that is a
            # link (it could lead outside the store) or not the file the manifest lists
            _table_files(store, table).check_before_scan()
            return tuple(store.arrow_path(f.path) for f in table.files)
        if not isinstance(store, FsspecStore):
            msg = (
                f"register: DuckDB cannot read store {store.url} ({type(store).__name__}); "
                f"it reads local, s3:// and fsspec stores"
            )
            raise InvalidArgumentTypeError(msg)
        protocols = store.fs.protocol
        names = {protocols} if isinstance(protocols, str) else set(protocols)
        if names & _S3 and self.httpfs():
            self._secret(store)
            return tuple(f"s3://{store.arrow_path(f.path)}" for f in table.files)
        if self._files is None:
            self._files = _StoreFiles(f"hdmfarrow{uuid.uuid4().hex[:12]}")
            self.con.register_filesystem(self._files)
        return tuple(self._files.add(store, f.path, f.num_bytes) for f in table.files)

    def httpfs(self) -> bool:
        """Whether DuckDB's httpfs extension is loaded, loading it if it is installed (it is
        never downloaded here)."""
        if self._httpfs is None:
            found = self.con.execute(
                "SELECT loaded, installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'"
            ).fetchall()
            loaded, installed = found[0] if found else (False, False)
            if not loaded and installed:
                self.con.execute("LOAD httpfs")
                loaded = True
            self._httpfs = bool(loaded)
        return self._httpfs

    def _secret(self, store: FsspecStore) -> None:
        """A temporary S3 secret for the store's bucket, from its s3fs options."""
        reach = store.polars_options()
        if reach is None:
            return
        url, options = reach
        sql = _secret_sql(url, options or {})
        if sql:
            self.con.execute(sql)


class _StoreFiles(AbstractFileSystem):  # type: ignore[misc]
    """The data files of fsspec stores, as one fsspec filesystem that DuckDB reads through
    (``con.register_filesystem``), under a protocol of its own (one per ``register`` call).

    It knows each file's store, key and size from the manifests, so DuckDB's look-ups (glob,
    exists, info, size, modified) cost no request, and a file is read through its store
    (``Store.open_input`` with the size: no HEAD). Files up to
    ``_WHOLE_BYTES`` are fetched whole, in one GET, and kept (up to ``_CACHE_BYTES`` in all;
    data files never change), since DuckDB opens each file when it binds a view and again
    for every query.
    """

    cachable = False  # one instance per register call, never shared through fsspec's cache

    def __init__(self, protocol: str) -> None:
        super().__init__()
        self.protocol = protocol
        self._files: dict[str, tuple[Store, str, int]] = {}  # path -> store, key, size
        self._cache: collections.OrderedDict[str, bytes] = collections.OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()

    def add(self, store: Store, key: str, size: int) -> str:
        """Serve ``key`` of ``store``; returns its URL."""
        path = f"{len(self._files)}/{key}"
        self._files[path] = (store, key, size)
        return f"{self.protocol}://{path}"

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        return path.split("://", 1)[-1] if isinstance(path, str) else path

    def _known(self, path: str) -> tuple[Store, str, int]:
        found = self._files.get(self._strip_protocol(path))
        if found is None:
            msg = f"{path!r} is not a data file of the stores registered with DuckDB"
            raise FileNotFoundError(msg)
        return found

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        return {"name": self._strip_protocol(path), "size": self._known(path)[2], "type": "file"}

    def exists(self, path: str, **kwargs: Any) -> bool:
        return self._strip_protocol(path) in self._files

    def glob(self, path: str, **kwargs: Any) -> list[str]:
        return [path] if self.exists(path) else []  # the views name files, never patterns

    def size(self, path: str) -> int:
        return self._known(path)[2]

    def modified(self, path: str) -> dt.datetime:
        self._known(path)
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # data files are never changed

    def _open(self, path: str, mode: str = "rb", **kwargs: Any) -> Any:
        if mode != "rb":
            msg = f"{path!r}: the data files of a store are read-only (mode {mode!r})"
            raise PermissionError(msg)
        store, key, size = self._known(path)
        if size > _WHOLE_BYTES:
            return store.open_input(key, size)
        cached = self._strip_protocol(path)
        with self._lock:
            data = self._cache.get(cached)
            if data is not None:
                self._cache.move_to_end(cached)
        if data is None:
            with store.open_input(key, size) as f:  # with the size: one GET, no HEAD
                data = f.read()
            with self._lock:
                self._cache[cached] = data
                self._cached += len(data)
                while self._cached > _CACHE_BYTES and self._cache:
                    self._cached -= len(self._cache.popitem(last=False)[1])
        return io.BytesIO(data)


def _secret_sql(url: str, options: dict[str, Any]) -> str:
    """The ``CREATE SECRET`` statement giving DuckDB's httpfs what the object_store options
    ``options`` (as ``Store.polars_options`` translates s3fs's) say, scoped to the bucket of
    ``url``; '' when they name neither credentials nor an endpoint (DuckDB's own
    configuration, its environment variables or a secret of the user's, then applies).

    >>> options = {"aws_access_key_id": "k", "aws_secret_access_key": "s",
    ...            "aws_endpoint_url": "http://127.0.0.1:9000", "aws_region": "us-east-1"}
    >>> print(_secret_sql("s3://bucket/root", options))
    CREATE OR REPLACE SECRET "hdmf_arrow_..." (TYPE s3, SCOPE 's3://bucket', KEY_ID 'k',
    SECRET 's', REGION 'us-east-1', ENDPOINT '127.0.0.1:9000', URL_STYLE 'path', USE_SSL false)
    >>> _secret_sql("s3://bucket/root", {"aws_region": "us-east-1"})
    ''
    """
    keys = {
        "aws_access_key_id": "KEY_ID",
        "aws_secret_access_key": "SECRET",
        "aws_session_token": "SESSION_TOKEN",
        "aws_region": "REGION",
    }
    fields = [f"{theirs} {_literal(str(options[ours]))}" for ours, theirs in keys.items()
              if options.get(ours)]  # fmt: skip
    endpoint = options.get("aws_endpoint_url")
    if endpoint:
        parts = urlsplit(str(endpoint))
        where = parts.netloc + parts.path.rstrip("/") if parts.netloc else str(endpoint)
        fields.append(f"ENDPOINT {_literal(where)}")
        fields.append("URL_STYLE 'path'")  # S3-compatible servers: buckets in the path
        fields.append(f"USE_SSL {'false' if parts.scheme == 'http' else 'true'}")
    if not options.get("aws_access_key_id") and not endpoint:
        return ""
    bucket = urlsplit(url).netloc
    scope = f"s3://{bucket}"
    name = f"hdmf_arrow_{_digest(json.dumps([scope, sorted(options.items())], default=str))}"
    return (
        f"CREATE OR REPLACE SECRET {_ident(name)} (TYPE s3, SCOPE {_literal(scope)}, "
        f"{', '.join(fields)})"
    )


def _check_names(names: list[str]) -> None:
    seen: dict[str, str] = {}
    for name in names:
        other = seen.setdefault(name.casefold(), name)
        if other != name:
            msg = (
                f"register: the tables {other!r} and {name!r} would make views whose names "
                f"DuckDB takes as one (its names are case-insensitive). Hint: register the "
                f"stores in two calls with different prefixes"
            )
            raise InvalidNameError(msg)


def _ident(name: str) -> str:
    """A quoted SQL identifier.

    >>> print(_ident("session/units"), _ident('a"b'))
    "session/units" "a""b"
    """
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """A SQL string literal.

    >>> _literal("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
