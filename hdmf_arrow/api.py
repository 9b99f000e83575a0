"""The one-line functions: write a tree to a location, read it back, list a table's files."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, cast

import pyarrow as pa

from hdmf_arrow.errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
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
    from collections.abc import Sequence

    import polars as pl

    from hdmf_arrow.common import Container
    from hdmf_arrow.storage import StoreLike


WriteMode = Literal["error", "overwrite", "append"]
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


def read(
    location: StoreLike,
    *,
    version: int | None = None,
    as_of: dt.datetime | None = None,
    storage_options: dict[str, Any] | None = None,
) -> Any:
    """The root container of the store at ``location``: the newest version, or ``version``,
    or the newest version committed at or before ``as_of`` (a datetime; naive means UTC).

    Only the manifest is read; table data is read when it is used.
    """
    if as_of is not None:
        if version is not None:
            msg = "read: give version= or as_of=, not both"
            raise InvalidArgumentError(msg)
        version = _version_as_of(location, as_of, storage_options=storage_options)
    with ParquetIO(location, "r", version=version, storage_options=storage_options) as io:
        return io.read()


def scan(
    locations: StoreLike | Sequence[StoreLike],
    table: str,
    *,
    version: int | None = None,
    storage_options: dict[str, Any] | None = None,
) -> pl.LazyFrame:
    """One polars LazyFrame over the table ``table`` ("units", "session/units") of many
    stores, with a ``store`` column naming each row's store. ``locations`` is one location, a
    list of them, or a glob (``"sessions/*.hdmf"``, ``"s3://bucket/sessions/*.hdmf"``). Each
    store's table is scanned from its Parquet files, so polars pushes filters and column
    selections down to them. Only manifests are read here.

    Columns missing from some stores are null there; the row ids are the ``id`` column. (A
    region column holds row positions within its own store's target.)

    >>> import pandas as pd
    >>> for s in ("a", "b"):
    ...     _ = write(pd.DataFrame({"x": [1, 2]}), f"memory://doc/scan/{s}.hdmf", name="t")
    >>> lf = scan("memory://doc/scan/*.hdmf", "t")
    >>> lf.group_by("store").len().sort("store").collect()["len"].to_list()
    [2, 2]
    """
    import polars as pl

    found = _expand_locations(locations, storage_options)
    if not found:
        msg = f"scan: {locations!r:.120} names no store (a glob that matched nothing?)"
        raise StoreLocationError(msg)
    frames = []
    for location in found:
        with ParquetIO(location, "r", version=version, storage_options=storage_options) as io:
            frame = find_table(io.read(), table).scan()
        frames.append(frame.with_columns(pl.lit(str(location)).alias("store")))
    return pl.concat(frames, how="diagonal_relaxed")


def _expand_locations(
    locations: StoreLike | Sequence[StoreLike], storage_options: dict[str, Any] | None
) -> list[StoreLike]:
    """The stores ``locations`` names: a list as given, a glob expanded (sorted)."""
    if isinstance(locations, list | tuple):
        return list(locations)
    text = str(locations)
    if not any(ch in text for ch in "*?["):
        return [locations]
    from fsspec.core import url_to_fs

    fs, path = url_to_fs(text, **(storage_options or {}))
    protocol = text.split("://", 1)[0] if "://" in text else ""
    matched = sorted(str(p) for p in fs.glob(path))
    if protocol and protocol != "file":
        matched = [f"{protocol}://{p.lstrip('/')}" for p in matched]
    return cast("list[StoreLike]", matched)


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
