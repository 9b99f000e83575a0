"""Arrow tables <-> pandas DataFrames, in hdmf's shapes.

``to_pandas`` is pyarrow's ``Table.to_pandas`` plus three things hdmf users expect: the row ids
as the index (named after the id column), integer and bool columns with nulls as pandas'
nullable dtypes (so that they round-trip), and, with ``index=False``, each region cell replaced
by a DataFrame of the rows it points at. Only that last step loops over rows, because its
output is one DataFrame object per row; every other column is converted in bulk.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from hdmf_arrow.arrow import ragged
from hdmf_arrow.arrow.buffer import first_bad_text, to_numpy
from hdmf_arrow.arrow.dtypes import as_array
from hdmf_arrow.errors import CellTypeError, CellValueError, TableShapeError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from hdmf_arrow.common._region import DynamicTableRegion

NULLABLE: dict[pa.DataType, pd.api.extensions.ExtensionDtype] = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.uint8(): pd.UInt8Dtype(),
    pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(),
    pa.uint64(): pd.UInt64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def to_pandas(
    rows: pa.Table,
    *,
    regions: dict[str, DynamicTableRegion],
    nullable: set[str],
    index: bool,
    seen: frozenset[int],
) -> pd.DataFrame:
    """Rows (first column: the ids) -> a DataFrame indexed by id.

    ``nullable`` names the integer/bool columns that hold nulls anywhere in the table; they
    become pandas nullable dtypes in every selection, so ``t[i]`` and ``t[:]`` agree.

    ``regions`` maps region column names to their DynamicTableRegion; with ``index=False``
    their cells become DataFrames of the target rows. ``seen`` holds the ids of the tables
    being expanded, so that a table that refers to itself (directly or through others) stops
    at row positions instead of recursing forever (hdmf raises RecursionError there).
    """
    ids = rows.column(0).to_numpy()
    body = rows.drop_columns([rows.column_names[0]])
    # pyarrow's thread pool costs more than it saves on a few rows (2x on one row)
    df: pd.DataFrame = body.to_pandas(use_threads=rows.num_rows > 10_000)
    for name in nullable & set(body.column_names):
        df[name] = body.column(name).to_pandas(types_mapper=NULLABLE.get).to_numpy()
        df[name] = df[name].astype(NULLABLE[body.column(name).type])
    for name, col in zip(body.column_names, body.columns, strict=True):
        if _holds_arrays(col.type):
            df[name] = array_cells(col)
        elif pa.types.is_struct(col.type):
            df[name] = tuple_cells(col)
    df.index = pd.Index(ids, name=rows.column_names[0])
    if not index:
        for name, region in regions.items():
            if name in df.columns and region.table is not None and id(region.table) not in seen:
                with _gc_paused():
                    df[name] = _region_frames(body.column(name), region, seen)
    return df


def _holds_arrays(t: pa.DataType) -> bool:
    """A ragged column of N-D rows or compound rows: its cells are numpy arrays."""
    return bool(
        pa.types.is_list(t)
        and (pa.types.is_fixed_size_list(t.value_type) or pa.types.is_struct(t.value_type))
    )


def array_cells(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The cells of a ragged column of N-D or compound rows, as hdmf gives them: one numpy
    array per row (2-D for rows of fixed-size lists, structured for rows of structs; views of
    one array of all values), None for a null cell.

    pyarrow would give arrays of arrays (of dicts, for structs). Like the region frames, this
    makes one Python object per row, so it loops over rows; the values are converted once.

    >>> rows = pa.array([[[1, 2], [3, 4]], [[5, 6]]], pa.list_(pa.list_(pa.int8(), 2)))
    >>> cells = array_cells(rows)
    >>> [c.shape for c in cells]
    [(2, 2), (1, 2)]
    """
    arr = as_array(col)
    values = to_numpy(arr.flatten())
    offsets = arr.offsets.to_numpy()
    offsets = offsets - offsets[0]
    out = np.empty(len(arr), dtype=object)
    valid = arr.is_valid().to_numpy(zero_copy_only=False) if arr.null_count else None
    for i in range(len(arr)):
        if valid is None or valid[i]:
            out[i] = values[offsets[i] : offsets[i + 1]]
    return out


def tuple_cells(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The cells of a compound (struct) column as tuples of its fields, as hdmf gives compound
    rows (pyarrow would give dicts); None for a null cell.

    >>> tuple_cells(pa.array([{"a": 1, "b": "x"}, None])).tolist()
    [(1, 'x'), None]
    """
    arr = as_array(col)
    valid = arr.is_valid().to_numpy(zero_copy_only=False) if arr.null_count else None
    out = np.empty(len(arr), dtype=object)
    for i, row in enumerate(zip(*(f.to_pylist() for f in arr.flatten()), strict=True)):
        if valid is None or valid[i]:
            out[i] = row
    return out


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects (DataFrames) are made:
    they are all kept, and collections triggered by their allocation only cost time
    (about half of the time of a 100k-row expansion)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _region_frames(
    column: pa.ChunkedArray, region: DynamicTableRegion, seen: frozenset[int]
) -> np.ndarray:
    """One DataFrame of target rows per cell (None for a null cell)."""
    arr = as_array(column)
    target = region.table
    assert target is not None
    out = np.empty(len(arr), dtype=object)
    depth = ragged.list_depth(arr.type)
    if depth == 0:
        flat = np.asarray(arr.drop_null(), dtype=np.int64)
        region._check_bounds(flat, target, reading=True)
        rows = row_slicer(target._frame(flat, index=False, seen=seen))
        cells = np.flatnonzero(np.asarray(arr.is_valid())).tolist()  # Python ints: faster below
        for row, cell in enumerate(cells):
            out[cell] = rows(row, row + 1)
        return out
    values, levels = ragged.split(arr, 1)
    if values.null_count:
        msg = f"region column {region.name!r} has null row positions inside its cells"
        raise CellValueError(msg)
    flat = np.asarray(values, dtype=np.int64)
    region._check_bounds(flat, target, reading=True)
    rows = row_slicer(target._frame(flat, index=False, seen=seen))
    offsets = np.asarray(levels[0].offsets).tolist()
    valid = np.ones(len(arr), bool) if levels[0].valid is None else np.asarray(levels[0].valid)
    for cell in np.flatnonzero(valid).tolist():
        out[cell] = rows(offsets[cell], offsets[cell + 1])
    return out


def row_slicer(df: pd.DataFrame) -> Callable[[int, int], pd.DataFrame]:
    """``rows(start, stop)`` -> ``df[start:stop]``, the same DataFrame, made faster.

    Cutting one small frame per cell is most of a region expansion's time, and pandas' public
    slicing spends a third of it on checks of the key. Where pandas offers it (1.x to 3.x
    do), the slice is taken on the block manager directly, the way pandas' own groupby cuts
    its groups: a view with copy-on-write references, like ``df[start:stop]``.
    tests/test_frame.py checks that both give equal frames.

    >>> rows = row_slicer(pd.DataFrame({"x": [1.5, 2.5, 3.5]}))
    >>> rows(1, 3)
         x
    1  2.5
    2  3.5
    """
    mgr = getattr(df, "_mgr", None)
    make = getattr(df, "_constructor_from_mgr", None)
    if mgr is None or make is None or not hasattr(mgr, "get_slice") or df.attrs:
        return lambda start, stop: df[start:stop]
    get_slice = mgr.get_slice

    def rows(start: int, stop: int) -> pd.DataFrame:
        out: pd.DataFrame = make(get_slice(slice(start, stop), axis=1), axes=None)
        return out

    return rows


def from_pandas(df: pd.DataFrame, *, index_column: str | None, table: str) -> tuple[pa.Table, str]:
    """A DataFrame -> (Arrow table with the ids first, name of the id column).

    Each column is converted on its own so that a failure names the column.
    """
    if index_column is not None:
        if index_column not in df.columns:
            msg = f"DynamicTable {table!r}: index_column {index_column!r} is not a DataFrame column"
            raise TableShapeError(msg)
        ids = df[index_column]
        id_name = str(index_column)
        df = df.drop(columns=[index_column])
    else:
        ids = df.index.to_series()
        id_name = str(df.index.name) if df.index.name is not None else "id"
    if ids.dtype.kind not in "iu":
        msg = (
            f"DynamicTable {table!r}: row ids must be integers, but the DataFrame index has "
            f"dtype {ids.dtype}. Hint: pass index_column=... or call df.reset_index(drop=True)."
        )
        raise TableShapeError(msg)
    arrays: list[pa.Array] = [pa.array(ids.to_numpy(dtype=np.int64))]
    names = [id_name]
    for name in df.columns:
        if not isinstance(name, str):
            msg = f"DynamicTable {table!r}: column names must be strings, found {name!r}"
            raise TableShapeError(msg)
        arrays.append(_series_to_arrow(df[name], column=name, table=table))
        names.append(name)
    return pa.Table.from_arrays(arrays, names=names), id_name


def _series_to_arrow(s: pd.Series, *, column: str, table: str) -> pa.Array:
    if s.dtype == object and len(s) and any(isinstance(v, pd.DataFrame) for v in s.iloc[:1]):
        msg = (
            f"DynamicTable {table!r}: column {column!r} holds DataFrames (region cells "
            f"expanded by to_dataframe()). Hint: use to_dataframe(index=True), which keeps row "
            f"positions, and pass target_tables={{{column!r}: <table>}}."
        )
        raise CellTypeError(msg)
    try:
        arr = pa.Array.from_pandas(s)
    except UnicodeEncodeError:
        msg = f"DynamicTable {table!r}: column {column!r}: {first_bad_text(s)}"
        raise CellValueError(msg) from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        msg = f"DynamicTable {table!r}: column {column!r} cannot be converted to Arrow ({exc})"
        raise CellTypeError(msg) from None
    return as_array(arr)
