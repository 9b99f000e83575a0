"""Row keys: what ``table[key]`` accepts, turned into a slice or an array of positions."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import pyarrow as pa

from hdmf_arrow.errors import InvalidKeyError, RowIndexError, UnsupportedKeyError

Rows: TypeAlias = "slice | np.ndarray"  # a contiguous range (step 1), or positions


def select_rows(key: object, n: int, *, table: str) -> Rows:
    """The rows of an ``n``-row table that ``key`` selects, as hdmf's ``__getitem__`` does.

    An int (negative counts from the end) or a step-1 slice gives a slice; a slice with a step,
    a list, a range, an integer array or a boolean mask gives non-negative positions (in key
    order, duplicates kept).

    >>> select_rows(-1, 5, table="t")
    slice(4, 5, None)
    >>> select_rows([3, 0, 3], 5, table="t")
    array([3, 0, 3])
    >>> select_rows(7, 5, table="t")
    Traceback (most recent call last):
    hdmf_arrow.errors.RowIndexError: Row index out of range for DynamicTable 't' (length 5).
    """
    if isinstance(key, bool | np.bool_):
        pass  # falls through to "not supported", as in hdmf
    elif isinstance(key, int | np.integer):
        i = int(key) + n if key < 0 else int(key)
        if not 0 <= i < n:
            msg = f"Row index out of range for DynamicTable {table!r} (length {n})."
            raise RowIndexError(msg)
        return slice(i, i + 1)
    elif isinstance(key, slice):
        start, stop, step = key.indices(n)
        if step == 1:
            return slice(start, max(start, stop))
        return np.arange(start, stop, step)
    elif isinstance(key, list | np.ndarray | range | pa.Array):
        return _positions(np.asarray(key), n, table=table)
    msg = f"Key type not supported by DynamicTable {type(key)}"
    raise UnsupportedKeyError(msg)


def _positions(positions: np.ndarray, n: int, *, table: str) -> np.ndarray:
    if positions.ndim > 1:
        msg = f"Cannot index DynamicTable {table!r} with multiple dimensions"
        raise InvalidKeyError(msg)
    if positions.dtype == bool:
        if len(positions) != n:
            msg = f"DynamicTable {table!r}: boolean mask has {len(positions)} entries for {n} rows"
            raise RowIndexError(msg)
        return np.flatnonzero(positions)
    if positions.size == 0:
        return positions.astype(np.int64)
    if positions.dtype.kind not in "iu":
        msg = f"DynamicTable {table!r}: row positions must be integers, found {positions.dtype}"
        raise UnsupportedKeyError(msg)
    positions = np.where(positions < 0, positions + n, positions)
    if positions.min() < 0 or positions.max() >= n:
        msg = f"Row index out of range for DynamicTable {table!r} (length {n})."
        raise RowIndexError(msg)
    return positions
