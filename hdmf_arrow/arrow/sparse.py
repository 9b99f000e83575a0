"""The CSR coder: a compressed sparse row matrix <-> an Arrow table with one row per matrix row.

The table has two list columns that share their offsets: ``indices`` (``list<uint32>``, or
``list<uint64>`` past 2**32 matrix columns) and ``data`` (``list<T>``). Row ``i`` of the table
holds the column positions and values of matrix row ``i``, so the shared list offsets *are* the
CSR ``indptr`` and the list values are ``indices`` and ``data``. Offsets are int32 up to
2**31 - 1 stored values, int64 (``large_list``) beyond. Nothing is copied either way:

    decode(encode(data, indices, indptr, n_cols=n, name=...)) == (data, indices, indptr)

(``indices`` and ``indptr`` come back unsigned, as hdmf gives them).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow.dtypes import as_array
from hdmf_arrow.errors import SparseMatrixError

INT32_MAX = 2**31 - 1
UINT32_MAX = 2**32 - 1


class CSRArrays(NamedTuple):
    """The three CSR arrays, as numpy."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray


def encode(data: object, indices: object, indptr: object, *, n_cols: int, name: str) -> pa.Table:
    """CSR arrays -> the Arrow table (columns ``indices``, ``data``), after checking that they
    form a valid matrix with ``n_cols`` columns.

    >>> t = encode([1.5, 2.5, 3.5], [0, 2, 1], [0, 2, 2, 3], n_cols=3, name="m")
    >>> t.column("indices").to_pylist(), t.column("data").to_pylist()
    ([[0, 2], [], [1]], [[1.5, 2.5], [], [3.5]])
    """
    values = _one_d(data, "data", name)
    cols = _unsigned(indices, "indices", name)
    ptr = _unsigned(indptr, "indptr", name)
    where = f"CSRMatrix {name!r}"
    if ptr.size == 0:
        msg = f"{where}: 'indptr' must have one entry per matrix row plus one, found none"
        raise SparseMatrixError(msg)
    if ptr[0] != 0 or (np.diff(ptr.astype(np.int64)) < 0).any():
        msg = f"{where}: 'indptr' must start at 0 and never decrease, found {ptr[:6].tolist()}"
        raise SparseMatrixError(msg)
    if not int(ptr[-1]) == len(cols) == len(values):
        msg = (
            f"{where}: 'indptr' ends at {int(ptr[-1])} but there are {len(cols)} indices and "
            f"{len(values)} data values; all three must agree"
        )
        raise SparseMatrixError(msg)
    if cols.size and int(cols.max()) >= n_cols:
        msg = f"{where}: column index {int(cols.max())} is out of range for {n_cols} columns"
        raise SparseMatrixError(msg)
    offsets_type = pa.int32() if len(values) <= INT32_MAX else pa.int64()
    offsets = pa.array(ptr.astype(offsets_type.to_pandas_dtype(), copy=False))
    index_values = pa.array(cols.astype(index_type(n_cols).to_pandas_dtype(), copy=False))
    try:
        data_values = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        msg = f"{where}: 'data' of dtype {values.dtype} has no Arrow type ({exc})"
        raise SparseMatrixError(msg) from None
    make = pa.ListArray if offsets_type == pa.int32() else pa.LargeListArray
    return pa.table(
        {
            "indices": make.from_arrays(offsets, index_values),
            "data": make.from_arrays(offsets, data_values),
        }
    )


def decode(table: pa.Table) -> CSRArrays:
    """The Arrow table -> CSR arrays (views of the Arrow buffers where Arrow allows). The
    table must pass :func:`check_table`.

    >>> t = encode([1, 2], [1, 0], [0, 1, 2], n_cols=2, name="m")
    >>> decode(t)
    CSRArrays(data=array([1, 2]), indices=array([1, 0], dtype=uint32), indptr=array([0, 1, 2], dtype=uint32))
    """  # noqa: E501 - a doctest output line
    indices = as_array(table.column("indices"))
    data = as_array(table.column("data"))
    offsets = np.asarray(indices.offsets)
    ptr = (offsets - offsets[0]).astype(np.uint32 if offsets.dtype == np.int32 else np.uint64)
    return CSRArrays(np.asarray(pc.list_flatten(data)), np.asarray(pc.list_flatten(indices)), ptr)


def check_table(table: pa.Table, *, n_cols: int | None) -> str | None:
    """What is wrong with ``table`` as a CSR table (for ``n_cols`` columns if given), or None."""
    if table.column_names != ["indices", "data"]:
        return f"expected the columns ['indices', 'data'], found {table.column_names}"
    indices, data = (as_array(c) for c in table.columns)
    kinds = (pa.types.is_list, pa.types.is_large_list)
    if not any(k(indices.type) for k in kinds) or not any(k(data.type) for k in kinds):
        return f"expected two list columns, found {indices.type} and {data.type}"
    if not pa.types.is_unsigned_integer(indices.type.value_type):
        return f"expected unsigned column indices, found {indices.type.value_type}"
    if indices.null_count or data.null_count:
        return "matrix rows cannot be null"
    same_lengths = pc.equal(pc.list_value_length(indices), pc.list_value_length(data))
    if not pc.all(same_lengths, min_count=0).as_py():
        return "a row has a different number of indices and data values"
    flat = pc.list_flatten(indices)
    if pc.list_flatten(data).null_count:
        return "data values cannot be null"
    if n_cols is not None and len(flat) and pc.max(flat).as_py() >= n_cols:
        return f"column index {pc.max(flat).as_py()} is out of range for {n_cols} columns"
    return None


def index_type(n_cols: int) -> pa.DataType:
    """The column-index type for a matrix of ``n_cols`` columns: uint32, or uint64 past it."""
    return pa.uint32() if n_cols <= UINT32_MAX + 1 else pa.uint64()


def _one_d(values: object, arg: str, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        msg = f"CSRMatrix {name!r}: {arg!r} must be one-dimensional, found shape {arr.shape}"
        raise SparseMatrixError(msg)
    return arr


_UNSIGNED = {
    "indices": "cannot convert 'indices' to an array of unsigned integers",
    "indptr": "'indptr' must be a 1D array of unsigned integers",
}


def _unsigned(values: object, arg: str, name: str) -> np.ndarray:
    """``values`` as a 1-D array of non-negative integers, or hdmf's error for ``arg``."""
    arr = np.asarray(values)
    if arr.ndim == 1 and arr.size == 0:
        return arr.astype(np.uint32)
    ok = arr.ndim == 1 and arr.dtype.kind in "ui"
    if not ok or (arr.dtype.kind == "i" and arr.min() < 0):
        found = f"dtype {arr.dtype}, shape {arr.shape}"
        if ok:
            found = f"negative value {int(arr.min())}"
        msg = f"CSRMatrix {name!r}: {_UNSIGNED[arg]}; found {found}"
        raise SparseMatrixError(msg)
    return arr
