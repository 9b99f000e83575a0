"""The one-line functions: write a tree to a location, read it back, list a table's files."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast, overload

import pyarrow as pa

from hdmf_arrow.arrow.dtypes import is_binary, is_text
from hdmf_arrow.errors import (
    ColumnNotFoundError,
    ContainerNotFoundError,
    CorruptStoreError,
    DuplicateColumnError,
    HdmfArrowError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    InvalidKeyError,
    InvalidVersionError,
    SchemaMismatchError,
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
        return _append(container, obj, location, storage_options=storage_options, options=options)
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
    rows: object,
    location: StoreLike,
    *,
    storage_options: dict[str, Any] | None,
    options: ParquetOptions | None,
) -> int:
    """Append ``table`` (``rows`` as given, converted) to the store's table of its name.
    The rows are appended as given: a DataFrame without ids of its own (pandas: an index not
    named ``id``; polars, Arrow: no ``id`` column) gets ids that continue the table's, as
    ``DynamicTable.extend`` numbers them, not ``0..n-1`` again."""
    from hdmf_arrow.common import Container, DynamicTable, SimpleMultiContainer

    if isinstance(rows, Container):
        rows = table
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
            root.extend(rows)
        elif isinstance(root, SimpleMultiContainer) and table.name in root:
            found = root[table.name]
            if not isinstance(found, DynamicTable):
                what = f"{found.data_type} {found.name!r}"
                msg = f"write(mode='append'): {table.name!r} in {io.store.url} is {what}"
                raise InvalidArgumentTypeError(msg)
            found.extend(rows)
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
    to them. Only manifests are read here (no container is built). ``columns`` selects
    columns (``store`` and ``_row`` come along).

    Columns missing from some stores are null there; the row ids are the ``id`` column; enum
    columns are ``pl.Enum`` of their elements (of every store's elements, in order of first
    appearance, where stores differ). A region column holds row positions within its
    own store's target, so it joins the target's scan on ``store`` and ``_row``, however many
    files (appends) either table has:

    >>> import pandas as pd
    >>> for s in ("a", "b"):
    ...     _ = write(pd.DataFrame({"x": [1, 2]}), f"memory://doc/scan/{s}.hdmf", name="t")
    >>> lf = scan("memory://doc/scan/*.hdmf", "t")
    >>> lf.group_by("store").len().sort("store").collect()["len"].to_list()
    [2, 2]
    >>> scan("memory://doc/scan/*.hdmf", "t", columns=["x"]).collect().columns
    ['x', '_row', 'store']

    When every store's table has the same columns and types (and polars reaches the stores:
    local disk, S3), the frame is one ``pl.scan_parquet`` over all their files, given the
    schema from the manifests; otherwise one scan per store, concatenated
    (``how="diagonal_relaxed"``). The stores are listed on the server at every call, so the
    newest version is always the one scanned; the manifests parsed are kept in a bounded,
    process-wide cache (``hdmf_arrow.storage.manifest_cache``) under what the listing
    says of each manifest object (S3: its ETag and size) or a digest of its bytes (elsewhere),
    so a repeat scan of S3 stores reads no manifest again, and a store deleted and re-created
    at the same URL is read anew. ``manifest_cache.configure(max_entries=0)`` turns the cache
    off.
    """
    import polars as pl

    if not isinstance(table, str):
        msg = f"scan: table must be a str ('units', 'session/units'), found {type(table).__name__}"
        raise InvalidArgumentTypeError(msg)
    if columns is not None and (
        isinstance(columns, str | bytes) or not all(isinstance(c, str) for c in columns)
    ):
        msg = f"scan: columns must be a list of column names or None, found {columns!r:.80}"
        raise InvalidArgumentTypeError(msg)
    found, listings = _expand_locations(locations, storage_options)
    if not found:
        msg = f"scan: {locations!r:.120} names no store (a glob that matched nothing?)"
        raise StoreLocationError(msg)
    opened = _open_manifests(
        found, version=version, storage_options=storage_options, listings=listings
    )
    _check_distinct([store for store, _ in opened], "scan")
    parts = _united_enums([_scan_part(store, manifest, table) for store, manifest in opened])
    for part in parts:
        _check_added_columns(part)
    picked = None if columns is None else _scan_columns(parts, table, columns)
    _check_column_kinds("scan", table, [(p.store.url, p.table.schema) for p in parts], picked)
    one = _one_scan(parts, picked) if _ONE_SCAN else None
    if one is not None:
        return one
    frame = pl.concat([_store_scan(part, picked) for part in parts], how="diagonal_relaxed")
    if picked is None:
        return frame
    from hdmf_arrow.io._parquet import ROW_COLUMN

    return frame.select([*picked, ROW_COLUMN, _STORE_COLUMN])  # the order asked, whoever lacks


def _check_distinct(stores: Sequence[Store], caller: str) -> None:
    """Refuse locations that name one store twice (``a.hdmf`` and ``./x/../a.hdmf``, a link
    to it, ``file://``...): each of its rows would come twice, with the same ``store`` and
    ``_row``, so ``(store, _row)`` would no longer name one row."""
    import os

    from hdmf_arrow.storage import LocalStore

    seen: dict[str, str] = {}
    for store in stores:
        key = os.path.realpath(store.root) if isinstance(store, LocalStore) else store.url
        if key in seen:
            msg = (
                f"{caller}: the locations name the store {seen[key]} twice (the second time "
                f"as {store.url}), so each of its rows would come twice with the same store "
                f"and _row. Hint: name each store once"
            )
            raise InvalidArgumentError(msg)
        seen[key] = store.url


def _check_added_columns(part: _ScanPart) -> None:
    """Refuse a table with a column of the name of one that ``scan`` adds (``store``,
    ``_row``): the scan would replace it, or fail in polars."""
    from hdmf_arrow.io._parquet import ROW_COLUMN

    for taken in (_STORE_COLUMN, ROW_COLUMN):
        if taken in part.table.schema.names:
            what = "the store's name" if taken == _STORE_COLUMN else "the row positions"
            msg = (
                f"scan: table {part.table.path!r} of store {part.store.url} has a column "
                f"{taken!r}, the name of a column scan adds for {what}. Hint: rename the "
                f"column (or read the files directly: hdmf_arrow.data_files)"
            )
            raise DuplicateColumnError(msg)


def _column_kind(t: pa.DataType) -> str:
    """What a column holds, as far as uniting stores goes: its list levels and, within,
    text (enum text too), binary, or anything else (which polars and DuckDB unite or refuse
    themselves); null (no value yet, at any depth) unites with anything."""
    depth = 0
    while pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        t, depth = t.value_type, depth + 1
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_null(t):
        return "null"
    leaf = "text" if is_text(t) else "binary" if is_binary(t) else "other"
    return f"{'list of ' * depth}{leaf}"


def _check_column_kinds(
    caller: str,
    table: str,
    schemas: Sequence[tuple[str, pa.Schema]],
    columns: Sequence[str] | None = None,
) -> None:
    """Refuse a column of ``table`` that holds text in one store's schema (of ``schemas``,
    store URL and schema) and another kind in another: uniting them by name (polars'
    relaxed concatenation, DuckDB's ``union_by_name``) would turn the numbers into text
    silently (``1`` into ``'1'``)."""
    seen: dict[str, tuple[str, pa.DataType, str]] = {}
    for url, schema in schemas:
        for field in schema:
            if columns is not None and field.name not in columns:
                continue  # not asked for: not read
            kind = _column_kind(field.type)
            if kind == "null":
                continue
            first = seen.setdefault(field.name, (kind, field.type, url))
            if first[0] != kind:
                msg = (
                    f"{caller}: column {field.name!r} of table {table!r} holds {first[1]} in "
                    f"store {first[2]} but {field.type} in store {url}; uniting the stores "
                    f"would convert one to the other silently. Hint: read the stores apart, "
                    f"or give the column one type in every store"
                )
                raise SchemaMismatchError(msg)


def _scan_columns(parts: Sequence[_ScanPart], table: str, columns: Sequence[str]) -> list[str]:
    """``columns`` without repeats and without the columns ``scan`` adds anyway; each must be
    a column of the table in one store at least (ColumnNotFoundError names the table)."""
    from hdmf_arrow.io._parquet import ROW_COLUMN

    picked = [c for c in dict.fromkeys(columns) if c not in (_STORE_COLUMN, ROW_COLUMN)]
    known = dict.fromkeys(n for part in parts for n in part.table.schema.names)
    missing = [c for c in picked if c not in known]
    if missing:
        stores = ", ".join(part.store.url for part in parts[:3])
        more = f" and {len(parts) - 3} more" if len(parts) > 3 else ""
        msg = (
            f"scan: no column {missing[0]!r} in table {table!r} of any store ({stores}{more}); "
            f"its columns are {list(known)[:20]}"
        )
        raise ColumnNotFoundError(msg)
    return picked


_ONE_SCAN = True  # scan: one pl.scan_parquet when the stores' tables agree (tests turn it off)
_GIVE_SCHEMA = True  # scan: hand polars the schema the manifests give
_STORE_COLUMN = "store"
_FILE_COLUMN = "_hdmf_arrow_file"  # the file path polars adds, mapped to the store column


@dataclass(frozen=True, slots=True)
class _ScanPart:
    """One store's table, for ``scan``: where it is, and its enum columns (name, elements,
    cell shape), which polars reads as categoricals and ``scan`` makes ``pl.Enum``."""

    store: Store
    table: _StoredTable
    enums: tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...]

    def casts(self) -> list[pl.Expr]:
        """Each enum column as ``pl.Enum`` (N-D ones through text), as
        ``DynamicTable.scan`` makes them."""
        import polars as pl

        return [
            pl.col(n).cast(pl.Array(pl.String, shape)).cast(pl.Array(pl.Enum(list(e)), shape))
            if shape
            else pl.col(n).cast(pl.Enum(list(e)))
            for n, e, shape in self.enums
        ]


def _scan_part(store: Store, manifest: Manifest, table: str) -> _ScanPart:
    """The table ``table`` of a store, found in its manifest, with its enum columns: the
    columns ``DynamicTable.scan`` makes ``pl.Enum`` (an EnumData of text elements, not
    ragged), told apart as the tree reader tells them (the Arrow type, not the data type)."""
    from hdmf_arrow.arrow import ragged
    from hdmf_arrow.arrow.metadata import column_from_dict
    from hdmf_arrow.common import EnumData
    from hdmf_arrow.common._enum import cell_shape, is_enum_type

    found = _find_stored_table(store, manifest, table)
    doc = found.node.get("table")
    docs = doc.get("columns") if isinstance(doc, dict) else None
    enums = []
    for field in found.schema:
        if not isinstance(docs, dict) or not isinstance(docs.get(field.name), dict):
            continue  # the id column, or a table without column documents (HERD's)
        if ragged.list_depth(field.type) or not is_enum_type(field.type):
            continue
        where = f"column {field.name!r} of table {found.path!r} in store {store.url}"
        try:
            meta = column_from_dict(docs[field.name], source=where)
            if meta.data_type == "DynamicTableRegion":
                continue
            column = EnumData(field.name, "", None, elements=list(meta.elements or ()))
        except HdmfArrowError as exc:
            msg = (
                f"{where} (version {manifest.version}) cannot be made from its description "
                f"in the manifest: {exc}"
            )
            raise CorruptStoreError(msg) from None
        if pa.types.is_string(column.elements_data.dtype):
            elements = tuple(str(e) for e in column.elements)
            enums.append((field.name, elements, cell_shape(field.type)))
    return _ScanPart(store, found, tuple(enums))


def _united_enums(parts: list[_ScanPart]) -> list[_ScanPart]:
    """``parts`` with each enum column's elements the union of its elements in every store
    (in order of first appearance, store after store), when stores differ: polars unites no
    two different ``pl.Enum``s.

    >>> from hdmf_arrow.storage import make_store
    >>> s, t = make_store("memory://doc/united"), _StoredTable("t", {}, pa.schema([]), (), "_row")
    >>> a, b = _ScanPart(s, t, (("q", ("x", "y"), ()),)), _ScanPart(s, t, (("q", ("z", "x"), ()),))
    >>> [p.enums for p in _united_enums([a, b])]
    [(('q', ('x', 'y', 'z'), ()),), (('q', ('x', 'y', 'z'), ()),)]
    """
    union: dict[str, dict[str, None]] = {}
    for part in parts:
        for name, elements, _ in part.enums:
            union.setdefault(name, {}).update(dict.fromkeys(elements))
    if all(tuple(union[n]) == e for part in parts for n, e, _ in part.enums):
        return parts
    return [
        dataclasses.replace(part, enums=tuple((n, tuple(union[n]), s) for n, _, s in part.enums))
        for part in parts
    ]


def _store_scan(part: _ScanPart, columns: Sequence[str] | None) -> pl.LazyFrame:
    """One store's table as ``scan`` gives it: its files' scan (``TableFiles.scan``), enum
    columns ``pl.Enum``, the store's name as ``store``."""
    import polars as pl

    from hdmf_arrow.io._parquet import ROW_COLUMN

    frame = _table_files(part.store, part.table).scan(rows=ROW_COLUMN)
    casts = part.casts()
    if casts:
        frame = frame.with_columns(casts)
    if columns is not None:  # a column this store lacks: null here (diagonal concat)
        have = set(part.table.schema.names)
        frame = frame.select([*(c for c in columns if c in have), ROW_COLUMN])
    return frame.with_columns(pl.lit(part.store.url).alias(_STORE_COLUMN))  # one spelling


def _one_scan(parts: Sequence[_ScanPart], columns: Sequence[str] | None) -> pl.LazyFrame | None:
    """``scan`` as one ``pl.scan_parquet`` over every store's files, when that gives what
    the stores' scans concatenated give: every table has the same schema, row column and
    enum columns, and polars reaches every store with the same options; None otherwise. The
    file path polars adds names the store."""
    import polars as pl

    from hdmf_arrow.io._parquet import ROW_COLUMN

    first = parts[0]
    schema, row = first.table.schema, first.table.row_column
    names = schema.names
    if row is None or {ROW_COLUMN, _STORE_COLUMN, _FILE_COLUMN} & set(names):
        return None  # format 0.1 rows (positions made per store), or a name scan adds
    reaches = [part.store.polars_options() for part in parts]
    options = reaches[0][1] if reaches[0] is not None else None
    for part, reach in zip(parts, reaches, strict=True):
        if reach is None or reach[1] != options:
            return None
        if part.table.row_column != row or part.enums != first.enums:
            return None
        if part is not first and not part.table.schema.equals(schema):
            return None
    paths: list[str] = []
    owners: dict[str, str] = {}
    for part, reach in zip(parts, reaches, strict=True):
        assert reach is not None
        _table_files(part.store, part.table).check_before_scan()  # as TableFiles.scan does
        for entry in part.table.files:
            path = f"{reach[0]}/{entry.path}"
            paths.append(path)
            owners[path] = part.store.url
    if not paths:
        return None
    given = _polars_schema(schema.append(pa.field(row, pa.int64()))) if _GIVE_SCHEMA else None
    frame = pl.scan_parquet(  # glob=False: a store's path may hold '[' or '*'
        paths, storage_options=options, include_file_paths=_FILE_COLUMN, schema=given, glob=False
    )
    casts = {str(e.meta.output_name()): e for e in first.casts()}
    store = pl.col(_FILE_COLUMN).replace_strict(owners, return_dtype=pl.String)
    picked = [casts.get(n, pl.col(n)) for n in (names if columns is None else columns)]
    return frame.select([*picked, pl.col(row).alias(ROW_COLUMN), store.alias(_STORE_COLUMN)])


def _polars_schema(schema: pa.Schema) -> dict[str, pl.DataType] | None:
    """The polars schema of Parquet files of Arrow schema ``schema``, as ``pl.scan_parquet``
    finds it in their footers (None if polars cannot convert it)."""
    import polars as pl

    try:
        frame = pl.from_arrow(schema.empty_table())
    except Exception:  # a type polars does not read: let it find out from the files
        return None
    assert isinstance(frame, pl.DataFrame)
    return dict(frame.schema)


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
    (on S3, ``s3://bucket/sessions/*.hdmf`` is one listing for both). A local path that
    exists as written (``run[1].hdmf``) names that store, whatever characters it holds."""
    import os

    if isinstance(locations, list | tuple):
        return list(locations), []
    if not isinstance(locations, str | os.PathLike):
        return [locations], []
    text = os.fspath(locations)
    if not isinstance(text, str) or not any(ch in text for ch in "*?["):
        return [locations], []
    local = text[len("file://") :] if text.startswith("file://") else text
    if "://" not in local and os.path.lexists(local):
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
    as paths or URLs that DuckDB, pyarrow.dataset, Dask and Spark read directly. On local
    disk each file is checked against the manifest first (a link, or a file replaced by
    another, is refused), as ``scan`` does: an engine given the paths reads them unchecked.

    >>> import duckdb  # doctest: +SKIP
    >>> duckdb.read_parquet(data_files("session.hdmf", "units"))  # doctest: +SKIP
    """
    with ParquetIO(location, "r", version=version, storage_options=storage_options) as io:
        found = find_table(io.read(), table)
        source = found._source
        assert source is not None
        source.check_before_scan()  # type: ignore[attr-defined]
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
    that fails here is made again by ``read_manifest``, for its error.

    Manifests parsed are kept in ``storage._cache.manifest_cache`` (shared: never change
    one), under what the listing says of the object (S3: ETag and size), so that a repeat
    needs no GET, and under a digest of the bytes, so that a read (local disk, other fsspec
    stores, a version given) needs no parse. The listing is made every time."""
    from hdmf_arrow.io._layout import (
        MAX_MANIFEST_BYTES,
        VERSIONS,
        check_version,
        read_manifest,
        version_key,
        versions_in,
    )
    from hdmf_arrow.storage import make_store
    from hdmf_arrow.storage._cache import listed_key, manifest_cache
    from hdmf_arrow.storage._many import listed_each, read_each_tagged

    stores = [make_store(loc, storage_options=storage_options, read_only=True) for loc in locations]
    tags: list[str | None] = [None] * len(stores)
    if version is not None:
        pinned = [check_version(version, store=s.url) for s in stores]
    else:
        pinned = []
        listed = listed_each(stores, VERSIONS, listings=listings)
        for i, (store, found) in enumerate(zip(stores, listed, strict=True)):
            have = versions_in(list(found)) or [read_manifest(store, None).version]
            pinned.append(have[-1])  # (none: read_manifest lists again and says not a store)
            tags[i] = found.get(version_key(have[-1]))
    keys = [version_key(v) for v in pinned]
    out: list[Manifest | None] = [None] * len(stores)
    for i, tag in enumerate(tags):
        if tag is not None:
            out[i] = manifest_cache.get(
                listed_key("manifest", _fs_token(stores[i]), stores[i].arrow_path(keys[i]), tag)
            )
    todo = [i for i, m in enumerate(out) if m is None]
    fetched = read_each_tagged(
        [stores[i] for i in todo], [keys[i] for i in todo], max_bytes=MAX_MANIFEST_BYTES
    )

    def one(j: int) -> Manifest:
        i = todo[j]
        store, key = stores[i], keys[i]
        got = fetched[j]
        if got is None:
            try:
                raw = store.read(key, max_bytes=MAX_MANIFEST_BYTES)
            except FileNotFoundError:
                return read_manifest(store, pinned[i])  # for its error (or a late commit)
            return _parse_manifest(raw, store.url, pinned[i])
        raw, tag = got
        manifest = _parse_manifest(raw, store.url, pinned[i])
        if tag is not None:
            where = listed_key("manifest", _fs_token(store), store.arrow_path(key), tag)
            manifest_cache.put(where, manifest, len(raw))
        return manifest

    for i, manifest in zip(todo, _each(one, range(len(todo))), strict=True):
        out[i] = manifest
    return [(store, m) for store, m in zip(stores, out, strict=True) if m is not None]


def _fs_token(store: Store) -> str:
    from hdmf_arrow.storage._many import fs_token

    return fs_token(getattr(store, "fs", None))


def _parse_manifest(raw: bytes, url: str, version: int) -> Manifest:
    """``parse_manifest``, or the manifest parsed from the same bytes before (the parse
    checks the version: the key holds it)."""
    from hdmf_arrow.io._layout import parse_manifest, version_key
    from hdmf_arrow.storage._cache import content_key, manifest_cache

    key = content_key("manifest", version_key(version), raw)
    hit = manifest_cache.get(key)
    if hit is None:
        hit = parse_manifest(raw, url, version)
        manifest_cache.put(key, hit, len(raw))
    return cast("Manifest", hit)


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
    from hdmf_arrow.common._registry import get_type_map, type_map_for

    stored: list[Issue] = []
    if isinstance(obj, _Container):  # a tree read from a store or file: its namespaces
        root, type_map = obj, type_map_for(obj, get_type_map(copy=False))
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
