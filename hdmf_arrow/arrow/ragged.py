"""The ragged coder: VectorData + VectorIndex levels <-> an Arrow ``list<...>`` array.

A ragged column with ``depth`` levels of VectorIndex is one Arrow array with ``depth`` nested
list levels. The list offsets of each level *are* that level's VectorIndex (with the leading 0
that hdmf leaves out), and the innermost child array is the VectorData. ``split`` and ``join``
convert between the two without copying values:

    join(*split(arr, depth)) == arr        (for arrays whose offsets start at 0)
    split(join(values, levels), depth) == (values, levels)
"""

from __future__ import annotations

from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow.buffer import from_python, plain_array
from hdmf_arrow.arrow.dtypes import as_array, check_storable, describe, not_cells
from hdmf_arrow.errors import CellTypeError, CellValueError, HdmfArrowError

INT32_MAX = 2**31 - 1


class Level(NamedTuple):
    """One VectorIndex level: offsets (int32 or int64, starting at 0) and optional validity."""

    offsets: pa.Array
    valid: pa.Array | None  # boolean, None when every cell is valid


def list_depth(t: pa.DataType) -> int:
    """How many variable-length list levels ``t`` has on the outside.

    >>> list_depth(pa.list_(pa.list_(pa.float64())))
    2
    >>> list_depth(pa.list_(pa.float64(), 3))
    0
    """
    depth = 0
    while pa.types.is_list(t) or pa.types.is_large_list(t):
        depth += 1
        t = t.value_type
    return depth


def encode(
    data: object, depth: int, *, value_type: pa.DataType | None = None, name: str
) -> pa.Array:
    """Nested sequences (``depth`` ragged levels) -> a ``list`` array of that depth.

    Parameters
    ----------
    data
        A sequence of cells; each cell a sequence (of sequences, for ``depth`` 2, ...).
    depth
        The number of ragged levels (``index=True`` is 1, ``index=2`` is 2).
    value_type
        The type of the innermost values, or None to infer it.
    name
        The column, for error messages.

    Examples
    --------
    >>> encode([[1, 2, 3], [4]], 1, name="spikes").to_pylist()
    [[1, 2, 3], [4]]
    """
    t = value_type
    if t is not None:
        for _ in range(depth):
            t = pa.list_(t)
    try:
        if isinstance(data, str | bytes):
            raise not_cells(data)
        if isinstance(data, pa.Array | pa.ChunkedArray):
            arr = plain_array(as_array(data))
        else:
            arr = plain_array(from_python(data, t))
        check_storable(arr.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
        expected = f"cells of {t}" if t is not None else f"{depth} level(s) of nested sequences"
        msg = f"Column {name!r}: expected {expected}, found {describe(data)} ({exc})"
        raise CellTypeError(msg) from None
    except HdmfArrowError as exc:
        msg = f"Column {name!r}: {exc}"
        raise type(exc)(msg) from None
    inner = arr.type
    while pa.types.is_list(inner):
        inner = inner.value_type
    if pa.types.is_null(inner) and depth > list_depth(arr.type):
        # no values at all (null or empty cells, [[], []]): the levels below are empty too,
        # and the value type comes later
        null_type = pa.null()
        for _ in range(depth):
            null_type = pa.list_(null_type)
        arr = arr.cast(null_type)
    if list_depth(arr.type) < depth:
        msg = (
            f"Column {name!r}: cannot build {depth} VectorIndex level(s) from data of type "
            f"{arr.type}; each cell must be nested {depth} level(s) deep. "
            f"Hint: pass index={list_depth(arr.type)} or nest the data further."
        )
        raise CellValueError(msg)
    return arr


def as_fixed_size(arr: pa.Array) -> pa.Array | None:
    """A variable-length list array whose valid cells all have one length ``k`` as a
    ``fixed_size_list<T>[k]`` array (an N-D column); None if the lengths differ or no cell
    has a length (every cell null, or no cells).

    >>> as_fixed_size(pa.array([[1, 2], None, [3, 4]])).type
    FixedSizeListType(fixed_size_list<item: int64>[2])
    >>> as_fixed_size(pa.array([[1, 2], [3]])) is None
    True
    """
    lo, hi = pc.min_max(pc.list_value_length(arr)).values()
    if not lo.is_valid or lo.as_py() != hi.as_py():
        return None
    return arr.cast(pa.list_(arr.type.value_type, lo.as_py()))


def split(arr: pa.Array, depth: int) -> tuple[pa.Array, list[Level]]:
    """A list array -> (innermost values, levels outermost first), offsets rebased to 0."""
    levels: list[Level] = []
    for _ in range(depth):
        offsets = arr.offsets
        valid = arr.is_valid() if arr.null_count else None
        child = arr.values
        start = offsets[0].as_py()
        stop = offsets[-1].as_py()
        if start != 0 or stop != len(child):
            child = child.slice(start, stop - start)
            offsets = pc.subtract(offsets, pa.scalar(start, offsets.type))
        levels.append(Level(offsets, valid))
        arr = child
    return arr, levels


def join(values: pa.Array, levels: list[Level]) -> pa.Array:
    """Flat values + levels (outermost first) -> one nested list array, without copying values."""
    for level in reversed(levels):
        cls = pa.LargeListArray if level.offsets.type == pa.int64() else pa.ListArray
        offsets, mask = level.offsets, None
        if level.valid is not None:
            mask = pc.invert(level.valid)
            if offsets.offset:  # pyarrow takes no mask with sliced offsets: copy them
                offsets = pa.concat_arrays([offsets])
        values = cls.from_arrays(offsets, values, mask=mask)
    return values
