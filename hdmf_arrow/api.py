"""The one-line functions: write a tree to a location, read it back, list a table's files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast, overload

import pyarrow as pa

from hdmf_arrow.errors import (
    ContainerNotFoundError,
    CorruptStoreError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    InvalidKeyError,
    InvalidVersionError,
    StoreExistsError,
    StoreLocationError,
    ValidationError,
)
from hdmf_arrow.io import ParquetIO, ParquetOptions, VersionInfo, find_table
from hdmf_arrow.io.hdf5 import HDF5IO, is_hdf5
from hdmf_arrow.spec import core_catalog
from hdmf_arrow.storage import FsspecStore
from hdmf_arrow.validate import Issue, check, check_stored_types

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Sequence

    import polars as pl

    from hdmf_arrow.common import Container
    from hdmf_arrow.io._layout import Manifest
    from hdmf_arrow.io._parquet import FileEntry, TableFiles
    from hdmf_arrow.storage import Listing, Store, StoreLike


WriteMode = Literal["error", "overwrite", "append"]
C = TypeVar("C", bound="Container")
T = TypeVar("T")
R = TypeVar("R")
_IO_MODES: dict[str, Literal["w-", "w"]] = {"error": "w-", "overwrite": "w"}


def write(
    obj: Container | Any,
    location: StoreLike,
    *,
    mode: WriteMode = "error",
    name: str | None = None,
    description: str = "",
    storage_options: dict[str, Any] | None = None,
    options: ParquetOptions | None = None,
) -> int:
    """Write ``obj`` to the store at ``location`` as its next version; returns the version.

    ``obj`` is a container (a table, or a SimpleMultiContainer of them), or a pandas or
    polars DataFrame or an Arrow table, written as a DynamicTable called ``name``. As in
    deltalake, ``mode`` says what happens when the store exists:

    - ``"error"`` (the default): refuse, with StoreExistsError; nothing is written.
    - ``"overwrite"``: the new version holds only ``obj``; older versions stay readable (by
      ``read(location, version=...)``) until ``vacuum`` removes them.
    - ``"append"``: the rows of ``obj`` (a table) are appended to the table of the same name
      in the newest version, as a new data file (nothing else is rewritten); a table the store
      does not hold yet is added beside the others. A new store is created.

    Examples
    --------
    >>> import pandas as pd
    >>> write(pd.DataFrame({"start": [0.0, 1.5]}), "memory://doc/api", name="trials")
    1
    >>> write(pd.DataFrame({"start": [3.0]}), "memory://doc/api", name="trials", mode="append")
    2
    >>> read("memory://doc/api")["start"].data
    array([0. , 1.5, 3. ])
    """
    container = _as_container(obj, name, description)
    if mode == "append":
        return _append(container, location, storage_options=storage_options, options=options)
    if mode not in _IO_MODES:
        msg = f"write: mode must be 'error', 'overwrite' or 'append', found {mode!r}"
        raise InvalidArgumentError(msg)
    try:
        with ParquetIO(
            location, _IO_MODES[mode], storage_options=storage_options, options=options
        ) as io:
            return io.write(container)
    except StoreExistsError:
        msg = (
            f"write: {location} already holds an hdmf-arrow store; nothing was written. "
            f"Hint: mode='overwrite' replaces its contents (older versions stay readable "
            f"until vacuum), mode='append' appends rows to a table."
        )
        raise StoreExistsError(msg) from None


def _as_container(obj: object, name: str | None, description: str) -> Container:
    """A container, or a DataFrame / Arrow table as a DynamicTable called ``name``."""
    from hdmf_arrow.common import Container, DynamicTable

    if isinstance(obj, Container):
        if name is not None and name != obj.name:
            what = f"{obj.data_type} {obj.name!r}"
            msg = f"write: name={name!r} names DataFrames and Arrow tables; {what} has a name"
            raise InvalidArgumentError(msg)
        return obj
    module = type(obj).__module__.split(".")[0]
    table_name = name or "table"
    if module == "pandas":
        return DynamicTable.from_dataframe(obj, table_name, table_description=description)  # type: ignore[arg-type]
    if module == "polars":
        return DynamicTable.from_polars(obj, table_name, description)  # type: ignore[arg-type]
    if isinstance(obj, pa.Table | pa.RecordBatch):
        return DynamicTable.from_arrow(obj, table_name, description)
    msg = (
        f"write: expected a container, a pandas or polars DataFrame or an Arrow table, "
        f"found {type(obj).__name__}"
    )
    raise InvalidArgumentTypeError(msg)


def _append(
    table: Container,
    location: StoreLike,
    *,
    storage_options: dict[str, Any] | None,
    options: ParquetOptions | None,
) -> int:
    from hdmf_arrow.common import DynamicTable, SimpleMultiContainer

    if not isinstance(table, DynamicTable):
        msg = (
            f"write(mode='append') appends the rows of a table, found {table.data_type} "
            f"{table.name!r}"
        )
        raise InvalidArgumentTypeError(msg)
    with ParquetIO(location, "a", storage_options=storage_options, options=options) as io:
        if io.version is None:  # a new store: the table is its first version
            return io.write(table)
        root = io.read()
        if isinstance(root, DynamicTable) and root.name == table.name:
            root.extend(table)
        elif isinstance(root, SimpleMultiContainer) and table.name in root:
            found = root[table.name]
            if not isinstance(found, DynamicTable):
                what = f"{found.data_type} {found.name!r}"
                msg = f"write(mode='append'): {table.name!r} in {io.store.url} is {what}"
                raise InvalidArgumentTypeError(msg)
            found.extend(table)
        elif isinstance(root, SimpleMultiContainer):
            root.add_container(table)
        else:
            msg = (
                f"write(mode='append'): the store {io.store.url} holds {root.data_type} "
                f"{root.name!r}, not a "
                f"table named {table.name!r} nor a SimpleMultiContainer to add it to"
            )
            raise InvalidArgumentTypeError(msg)
        return io.write(root, summary=f"append to {table.name}", operation="append")


@overload
def read(
    location: StoreLike,
    as_type: None = None,
    *,
    version: int | None = None,
    as_of: dt.datetime | None = None,
    storage_options: dict[str, Any] | None = None,
) -> Any: ...


@overload
def read(
    location: StoreLike,
    as_type: type[C],
    *,
    version: int | None = None,
    as_of: dt.datetime | None = None,
    storage_options: dict[str, Any] | None = None,
) -> C: ...


def read(
    location: StoreLike,
    as_type: type[C] | None = None,
    *,
    version: int | None = None,
    as_of: dt.datetime | None = None,
    storage_options: dict[str, Any] | None = None,
) -> Any:
    """The root container of the store at ``location``: the newest version, or ``version``,
    or the newest version committed at or before ``as_of`` (a datetime; naive means UTC).

    Only the manifest is read; table data is read when it is used. Without ``as_type`` the
    result is typed ``Any`` (a tree's root may be any container, and ``read(x)["units"]``
    should type-check); with it, the root is checked to be one and typed so:

    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="t", description="d"); t.add_column("x", "x", data=[1])
    >>> _ = write(t, "memory://doc/read-typed")
    >>> read("memory://doc/read-typed", DynamicTable).colnames  # mypy sees a DynamicTable
    ('x',)
    """
    if as_of is not None:
        if version is not None:
            msg = "read: give version= or as_of=, not both"
            raise InvalidArgumentError(msg)
        version = _version_as_of(location, as_of, storage_options=storage_options)
    with ParquetIO(location, "r", version=version, storage_options=storage_options) as io:
        root = io.read()
    if as_type is not None and not isinstance(root, as_type):
        msg = (
            f"read: the root of store {io.store.url} is {root.data_type} {root.name!r}, "
            f"not a {as_type.__name__}. Hint: read it without as_type, or pass its class."
        )
        raise InvalidArgumentTypeError(msg)
    return root


def scan(
    locations: StoreLike | Sequence[StoreLike],
    table: str,
    *,
    columns: Sequence[str] | None = None,
    version: int | None = None,
    storage_options: dict[str, Any] | None = None,
) -> pl.LazyFrame:
    """One polars LazyFrame over the table ``table`` ("units", "session/units") of many
    stores, with a ``store`` column naming each row's store (its URL, or absolute path: the
    same whether it was named by a glob or in a list) and a ``_row`` column holding
    each row's position in its store's table. ``locations`` is one location, a list of them,
    or a glob (``"sessions/*.hdmf"``, ``"s3://bucket/sessions/*.hdmf"``). Each store's table
    is scanned from its Parquet files, so polars pushes filters and column selections down
    to them. Only manifests are read here. ``columns`` selects columns (``store`` and
    ``_row`` come along).

    Columns missing from some stores are null there; the row ids are the ``id`` column. A
    region column holds row positions within its own store's target, so it joins the
    target's scan on ``store`` and ``_row``, however many files (appends) either table has:

    >>> import pandas as pd
    >>> for s in ("a", "b"):
    ...     _ = write(pd.DataFrame({"x": [1, 2]}), f"memory://doc/scan/{s}.hdmf", name="t")
    >>> lf = scan("memory://doc/scan/*.hdmf", "t")
    >>> lf.group_by("store").len().sort("store").collect()["len"].to_list()
    [2, 2]
    >>> scan("memory://doc/scan/*.hdmf", "t", columns=["x"]).collect().columns
    ['x', '_row', 'store']
    """
    import polars as pl

    from hdmf_arrow.io._parquet import ROW_COLUMN

    found, listings = _expand_locations(locations, storage_options)
    if not found:
        msg = f"scan: {locations!r:.120} names no store (a glob that matched nothing?)"
        raise StoreLocationError(msg)
    opened = _open_manifests(
        found, version=version, storage_options=storage_options, listings=listings
    )

    def one(store: Store, manifest: Manifest) -> pl.LazyFrame:
        with ParquetIO.of_manifest(store, manifest) as io:
            frame = find_table(io.read(), table).scan(row_column=ROW_COLUMN)
        if columns is not None:
            frame = frame.select([*columns, ROW_COLUMN])
        return frame.with_columns(pl.lit(store.url).alias("store"))  # one spelling per store

    return pl.concat([one(*pair) for pair in opened], how="diagonal_relaxed")


_OPEN_THREADS = 16  # stores opened at once: on an object store the cost is latency


def _each(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``work`` of every item, in order, up to 16 at once (the first error raised is
    raised)."""
    from concurrent.futures import ThreadPoolExecutor

    if len(items) < 2:
        return [work(item) for item in items]
    with ThreadPoolExecutor(min(_OPEN_THREADS, len(items))) as pool:
        return list(pool.map(work, items))


def _expand_locations(
    locations: StoreLike | Sequence[StoreLike], storage_options: dict[str, Any] | None
) -> tuple[list[StoreLike], list[Listing]]:
    """The stores ``locations`` names: a list as given, a glob expanded (sorted); and the
    flat listings made to expand it, which ``_open_manifests`` uses for the stores' versions
    (on S3, ``s3://bucket/sessions/*.hdmf`` is one listing for both)."""
    if isinstance(locations, list | tuple):
        return list(locations), []
    text = str(locations)
    if not any(ch in text for ch in "*?["):
        return [locations], []
    from hdmf_arrow.storage import glob_stores

    matched, listings = glob_stores(text, storage_options)
    return cast("list[StoreLike]", matched), listings


def history(
    location: StoreLike, *, storage_options: dict[str, Any] | None = None
) -> list[VersionInfo]:
    """Every committed version of the store, newest first: number, time, operation (write,
    append, add_column) and summary, as deltalake's ``history()``.

    >>> import pandas as pd
    >>> write(pd.DataFrame({"x": [1]}), "memory://doc/hist", name="t")
    1
    >>> write(pd.DataFrame({"x": [2]}), "memory://doc/hist", name="t", mode="append")
    2
    >>> [(v.version, v.operation) for v in history("memory://doc/hist")]
    [(2, 'append'), (1, 'write')]
    """
    with ParquetIO(location, "r", storage_options=storage_options) as io:
        return io.history()


def _version_as_of(
    location: StoreLike, as_of: dt.datetime, *, storage_options: dict[str, Any] | None
) -> int:
    when = as_of if as_of.tzinfo is not None else as_of.replace(tzinfo=dt.UTC)
    versions = history(location, storage_options=storage_options)
    for info in versions:  # newest first
        if info.time is not None and info.time <= when:
            return info.version
    first = versions[-1].created if versions else "none"
    msg = (
        f"read: no version of {location} was committed at or before {when.isoformat()} "
        f"(the first was committed at {first})"
    )
    raise InvalidVersionError(msg)


def data_files(
    location: StoreLike,
    table: str = "",
    *,
    version: int | None = None,
    storage_options: dict[str, Any] | None = None,
) -> list[str]:
    """The Parquet files holding ``table`` ("units", or "session/units") in that version,
    as paths or URLs that DuckDB, pyarrow.dataset, Dask and Spark read directly.

    >>> import duckdb  # doctest: +SKIP
    >>> duckdb.read_parquet(data_files("session.hdmf", "units"))  # doctest: +SKIP
    """
    with ParquetIO(location, "r", version=version, storage_options=storage_options) as io:
        found = find_table(io.read(), table)
        source = found._source
        assert source is not None
        store = io.store
        prefix = f"{store.url.split('://', 1)[0]}://" if isinstance(store, FsspecStore) else ""
        return [prefix + store.arrow_path(f.path) for f in source.files]  # type: ignore[attr-defined]


# -- a store's tables from its manifest alone: no container built, no data file read -------------

_TABLE_KINDS = ("table", "herd_table")  # nodes whose data files are the rows of one table
# what walking a malformed manifest tree raises (a key missing, a list where a dict belongs, ...)
_MALFORMED_NODE = (LookupError, TypeError, ValueError, AttributeError, OverflowError)


@dataclass(frozen=True, slots=True)
class _StoredTable:
    """A table of one version of a store, as its manifest describes it (docs/format.md, 6).

    ``path`` is the table's path under the root (``units``, ``session/units``; a root table
    is named by its own name, its categories and members under it); ``schema`` the data
    files' columns, without the row column; ``files`` the data files in row order, their keys
    checked; ``row_column`` the files' row-position column, None in stores that predate it.
    """

    path: str
    node: dict[str, Any]
    schema: pa.Schema
    files: tuple[FileEntry, ...]
    row_column: str | None

    def file_starts(self) -> list[int]:
        """The position in the table of each file's first row.

        >>> from hdmf_arrow.io._parquet import FileEntry
        >>> f = FileEntry("data/t/a.parquet", 3, 10, (3,), {}, {})
        >>> _StoredTable("t", {}, pa.schema([]), (f, f), None).file_starts()
        [0, 3]
        """
        starts, row = [], 0
        for f in self.files:
            starts.append(row)
            row += f.num_rows
        return starts


def _open_manifest(
    location: StoreLike, *, version: int | None, storage_options: dict[str, Any] | None
) -> tuple[Store, Manifest]:
    """The store at ``location`` and the manifest of ``version`` (the newest if None): one
    listing and one GET on an object store; no specs loaded and no container built."""
    from hdmf_arrow.io._layout import read_manifest
    from hdmf_arrow.storage import make_store

    store = make_store(location, storage_options=storage_options, read_only=True)
    return store, read_manifest(store, version)


def _open_manifests(
    locations: Sequence[StoreLike],
    *,
    version: int | None,
    storage_options: dict[str, Any] | None,
    listings: Sequence[Listing] = (),
) -> list[tuple[Store, Manifest]]:
    """``_open_manifest`` of every location, in order, in few requests: the stores' versions
    listed together (``storage.list_each``: on S3, one flat listing for stores that share a
    filesystem, or the ``listings`` their glob made; none when ``version`` is given), their
    manifests fetched together (``storage.read_each``: concurrent GETs). The newest version
    is found, and each manifest read and checked, exactly as ``read_manifest`` does: a read
    that fails here is made again by ``read_manifest``, for its error."""
    from hdmf_arrow.io._layout import (
        MAX_MANIFEST_BYTES,
        VERSIONS,
        check_version,
        parse_manifest,
        read_manifest,
        version_key,
        versions_in,
    )
    from hdmf_arrow.storage import list_each, make_store, read_each

    stores = [make_store(loc, storage_options=storage_options, read_only=True) for loc in locations]
    if version is not None:
        pinned = [check_version(version, store=s.url) for s in stores]
    else:
        pinned = []
        for store, keys in zip(stores, list_each(stores, VERSIONS, listings=listings), strict=True):
            have = versions_in(keys) or [read_manifest(store, None).version]
            pinned.append(have[-1])  # (none: read_manifest lists again and says not a store)
    keys = [version_key(v) for v in pinned]
    raws = read_each(stores, keys, max_bytes=MAX_MANIFEST_BYTES)

    def one(i: int) -> tuple[Store, Manifest]:
        raw = raws[i]
        if raw is None:
            return stores[i], read_manifest(stores[i], pinned[i])
        return stores[i], parse_manifest(raw, stores[i].url, pinned[i])

    return _each(one, range(len(stores)))


def _stored_tables(store: Store, manifest: Manifest) -> list[_StoredTable]:
    """Every table of the manifest, in tree order: tables, their categories and members, HERD
    tables. CorruptStoreError names the store and version when the tree does not parse.

    >>> import pandas as pd
    >>> _ = write(pd.DataFrame({"x": [1, 2]}), "memory://doc/stored", name="t")
    >>> tables = _stored_tables(*_open_manifest("memory://doc/stored", version=None,
    ...                                         storage_options=None))
    >>> [(t.path, t.schema.names, t.row_column is not None) for t in tables]
    [('t', ['id', 'x'], True)]
    """
    from hdmf_arrow.io._layout import child_nodes, unparsable_tree, version_key

    out: list[_StoredTable] = []
    seen: set[str] = set()

    def visit(node: dict[str, Any], path: str) -> None:
        if node.get("kind") in _TABLE_KINDS:
            if path in seen:
                msg = f"two tables have the path {path!r}"
                raise CorruptStoreError(msg)
            seen.add(path)
            out.append(_stored_table(store, node, path))
        for child in child_nodes(node):
            name = str(child["name"])
            visit(child, f"{path}/{name}" if path else name)

    root = manifest.root
    try:
        visit(root, "" if root.get("kind") == "group" else str(root["name"]))
    except (CorruptStoreError, InvalidKeyError) as exc:
        exc.add_note(f"in manifest {version_key(manifest.version)} of store {store.url}")
        raise
    except (*_MALFORMED_NODE, RecursionError) as exc:
        raise unparsable_tree(version_key(manifest.version), store.url, exc) from None
    return out


def _stored_table(store: Store, node: dict[str, Any], path: str) -> _StoredTable:
    """The table of the manifest node ``node``, its file keys and row counts checked as a
    reader must check them (docs/format.md, 5 and 6.2)."""
    from hdmf_arrow.io._tree import _schema_of, node_files

    schema = _schema_of(node["schema"], where=f"table {path!r}")
    files, row_column = node_files(store, node, path, schema)
    rows = sum(f.num_rows for f in files)
    if rows != int(node["num_rows"]):
        msg = (
            f"table {path!r}: the manifest lists {node['num_rows']} rows but its files hold {rows}"
        )
        raise CorruptStoreError(msg)
    return _StoredTable(path, node, schema, tuple(files), row_column)


def _find_stored_table(store: Store, manifest: Manifest, table: str) -> _StoredTable:
    """The table at ``table`` ("units", "session/units"), named as ``find_table`` names it
    (the root's name may lead the path, and names a root table), from the manifest alone.

    >>> import pandas as pd
    >>> _ = write(pd.DataFrame({"x": [1]}), "memory://doc/find_stored", name="t")
    >>> opened = _open_manifest("memory://doc/find_stored", version=None, storage_options=None)
    >>> _find_stored_table(*opened, "t").files[0].num_rows
    1
    >>> _find_stored_table(*opened, "u")
    Traceback (most recent call last):
    hdmf_arrow.errors.ContainerNotFoundError: no table 'u' in store memory://doc/find_stored ...
    """
    tables = {t.path: t for t in _stored_tables(store, manifest)}
    root = manifest.root
    name = str(root.get("name"))
    parts = [p for p in table.split("/") if p]
    if root.get("kind") == "group":
        children = {str(c.get("name")) for c in root.get("children", ())}
        if parts[:1] == [name] and name not in children:
            parts = parts[1:]
    elif parts[:1] != [name]:
        parts = [name, *parts]
    found = tables.get("/".join(parts))
    if found is None:
        shown = sorted(tables)[:20]
        msg = (
            f"no table {table!r} in store {store.url} (version {manifest.version}); its tables "
            f"are {shown}"
        )
        raise ContainerNotFoundError(msg)
    return found


def _table_files(store: Store, table: _StoredTable) -> TableFiles:
    """The reader of ``table``'s data files (footers read, and checked, only when used), as
    the tree reader makes it, for ``scan``-like uses that need no container.

    >>> import pandas as pd
    >>> _ = write(pd.DataFrame({"x": [1, 2]}), "memory://doc/table_files", name="t")
    >>> store, manifest = _open_manifest("memory://doc/table_files", version=None,
    ...                                  storage_options=None)
    >>> files = _table_files(store, _find_stored_table(store, manifest, "t"))
    >>> files.scan().collect()["x"].to_list()
    [1, 2]
    """
    from hdmf_arrow.io._parquet import TableFiles

    name = str(table.node.get("name"))
    return TableFiles(
        store, list(table.files), name=name, schema=table.schema, row_column=table.row_column
    )


def validate(
    obj: Container | StoreLike,
    *,
    version: int | None = None,
    storage_options: dict[str, Any] | None = None,
    raise_on_error: bool = False,
) -> list[Issue]:
    """Every problem found in a container, a stored location or an HDF5 file (all of its
    data is read).

    Returns an empty list when everything is valid. With ``raise_on_error``, problems raise
    :class:`~hdmf_arrow.errors.ValidationError` carrying them as ``.issues``. A location that
    cannot be opened at all (not a store, manifest unreadable) raises as ``read`` does.

    A stored location is also checked as stored: data files that do not match the manifest
    (a column missing, or of another Arrow type) and data types that no loaded namespace
    defines (which reading turns into their base class, with a warning) are issues.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="t", description="d"); t.add_column("x", "x", data=[1, 2])
    >>> validate(t)
    []
    """
    from hdmf_arrow.common import Container as _Container

    stored: list[Issue] = []
    if isinstance(obj, _Container):
        root, type_map = obj, None
    elif is_hdf5(obj, storage_options):
        with HDF5IO(obj, "r", storage_options=storage_options) as h5:  # type: ignore[arg-type]
            root = h5.read()
            issues = check(root, h5.manager.type_map)
            return _issues_or_raise(root, issues, raise_on_error)
    else:
        with ParquetIO(obj, "r", version=version, storage_options=storage_options) as io:
            root, type_map = io.read(), io.type_map  # with the store's cached namespaces
            manifest = io.manifest  # the types as stored (the reader reads unknown ones
            if manifest is not None:  # as their base class)
                stored = check_stored_types(manifest, type_map)
    issues = check(root, type_map)
    seen = {(i.path, i.message) for i in issues}
    issues += [i for i in stored if (i.path, i.message) not in seen]
    return _issues_or_raise(root, issues, raise_on_error)


def _issues_or_raise(root: Container, issues: list[Issue], raise_on_error: bool) -> list[Issue]:
    if issues and raise_on_error:
        shown = "\n  ".join(str(i) for i in issues[:20])
        msg = f"{len(issues)} problem(s) in {root.name!r}:\n  {shown}"
        raise ValidationError(msg, list(issues))
    return issues


def validate_spec(namespace_path: str | os.PathLike[str]) -> dict[str, tuple[str, ...]]:
    """Load a namespace file (and the spec files it names) next to hdmf-common and
    hdmf-experimental, checking the specs; returns ``{namespace: (types it defines...)}``.

    Raises
    ------
    SpecError
        The first problem, naming the file, the type and the key path.
    """
    catalog = core_catalog()
    loaded = catalog.load_namespaces(namespace_path)
    return {
        name: tuple(
            t
            for t in catalog.get_namespace(name).get_registered_types()
            if (record := catalog.get_namespace(name).get_type_record(t)) is not None
            and record.namespace == name
        )
        for name in loaded
    }
