"""hdmf's data chunk iterators (and DataIO wrappers) as column data, read into Arrow.

hdmf streams large datasets into HDF5 with ``DataChunkIterator``,
``GenericDataChunkIterator`` or any ``AbstractDataChunkIterator``: each ``next()`` gives a
``DataChunk`` whose ``data`` (a numpy array) goes at ``selection`` (a numpy index tuple) of the
whole dataset. A column here is an Arrow array, so the iterator is consumed once, when the
column is made, one chunk at a time: each chunk is converted to Arrow in bulk (never value by
value) and the chunks are joined in row order.

Nothing here imports hdmf: an object is an iterator of this kind when it has ``__next__``,
``maxshape`` and ``dtype`` (hdmf's abstract interface). A ``DataIO`` (``H5DataIO``, ...) is
recognised by ``get_io_params`` and ``data``; its data is what is read. Its I/O parameters
(chunking, compression) are HDF5 hints with no meaning for Arrow and are not kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from hdmf_arrow.errors import CellValueError

if TYPE_CHECKING:
    from collections.abc import Callable


def is_data_io(obj: object) -> bool:
    """Whether ``obj`` is an hdmf ``DataIO`` wrapper (``H5DataIO``, ``ZarrDataIO``, ...)."""
    return (
        not isinstance(obj, np.ndarray | pa.Array | list | tuple)
        and callable(getattr(type(obj), "get_io_params", None))
        and hasattr(type(obj), "data")
    )


def is_chunk_iterator(obj: object) -> bool:
    """Whether ``obj`` follows hdmf's ``AbstractDataChunkIterator`` protocol: ``__next__``
    giving chunks with ``data`` and ``selection``, and ``maxshape`` and ``dtype``.

    >>> is_chunk_iterator(iter([1, 2])), is_chunk_iterator([1, 2])
    (False, False)
    """
    return (
        callable(getattr(type(obj), "__next__", None))
        and not isinstance(obj, np.ndarray | pa.Array)
        and hasattr(obj, "maxshape")
        and hasattr(obj, "dtype")
    )


def unwrap(data: object) -> object:
    """``data`` without its ``DataIO`` wrappers (a DataIO's own data may be anything)."""
    while is_data_io(data):
        data = data.data  # type: ignore[attr-defined]
    return data


def read_chunks(
    iterator: Any, t: pa.DataType | None, *, name: str, convert: Callable[..., pa.Array]
) -> pa.Array:
    """All values of an hdmf chunk iterator as one Arrow array (rows along the first axis;
    an N-D dataset becomes ``fixed_size_list`` rows, as numpy data does).

    ``convert(array, type, name=...)`` turns one numpy chunk into Arrow (the buffer's own
    conversion, so a chunk becomes exactly what the same numpy array would). Chunks that each
    hold whole rows (``DataChunkIterator`` along axis 0, the common case) are converted one
    by one and joined; chunks that split rows (other iteration axes,
    ``GenericDataChunkIterator`` blocks) are first placed into one numpy array of the
    dataset's shape.

    Raises
    ------
    CellValueError
        If the chunks leave rows unfilled or overlap, or a chunk has no usable selection.
    """
    rows: list[tuple[int, int, np.ndarray]] = []  # (start, stop, chunk) of whole-row chunks
    blocks: list[tuple[tuple[slice, ...], np.ndarray]] = []
    want = _numeric_dtype(getattr(iterator, "dtype", None)) if t is None else None
    for chunk in iterator:
        values = getattr(chunk, "data", None)
        if values is None:
            continue
        values = _in_dtype(np.asarray(values), want)
        selection = _slices(getattr(chunk, "selection", None), values.shape, name=name)
        if _whole_rows(selection, values.shape):
            start = selection[0].start or 0
            rows.append((start, start + values.shape[0], values))
        else:
            blocks.append((selection, values))
    if blocks:
        return convert(_assemble(rows, blocks, name=name), t, name=name)
    rows.sort(key=lambda r: r[0])
    position = 0
    for start, stop, _ in rows:
        if start != position:
            what = "overlap" if start < position else "leave a gap"
            msg = f"{name!r}: the data chunk iterator's chunks {what} at row {position}"
            raise CellValueError(msg)
        position = stop
    arrays = [convert(values, t, name=name) for _, _, values in rows]
    if not arrays:  # no chunk: an empty column of the iterator's dtype and row shape
        dtype = np.dtype(iterator.dtype) if iterator.dtype is not None else np.dtype(float)
        shape = tuple(k or 0 for k in (iterator.maxshape or (0,))[1:])
        empty = np.empty((0, *shape), dtype=dtype)
        if not shape and dtype.kind in "biuf":  # numpy's type, not the null type of no values
            typed = pa.array(empty)
            return typed if t is None else typed.cast(t)
        return convert(empty, t, name=name)
    if len(arrays) == 1:
        return arrays[0]
    return pa.concat_arrays(_same_type(arrays, name=name))


def _numeric_dtype(dtype: object) -> np.dtype[Any] | None:
    """The iterator's numeric (or bool) dtype, the dtype hdmf gives the dataset; None for
    text or no dtype (a text dtype names the first chunk's width, not the column's)."""
    try:
        found = np.dtype(dtype) if dtype is not None else None  # type: ignore[call-overload]
    except TypeError:
        return None
    return found if found is not None and found.kind in "biuf" else None


def _in_dtype(values: np.ndarray, want: np.dtype[Any] | None) -> np.ndarray:
    """A numeric chunk in the iterator's dtype (``DataChunkIterator(..., dtype="float32")``
    over ints gives float32, as in hdmf) where every value keeps its value; otherwise as
    it is (the chunks' types are then joined without loss, or raise)."""
    if want is None or values.dtype == want or values.dtype.kind not in "biuf":
        return values
    with np.errstate(all="ignore"):
        cast = values.astype(want)
    floats = "f" in (values.dtype.kind, want.kind)
    return cast if np.array_equal(cast, values, equal_nan=floats) else values


def _row_shape(t: pa.DataType) -> tuple[int, ...]:
    """The fixed row shape of an N-D type (``()`` for scalar rows)."""
    shape = []
    while pa.types.is_fixed_size_list(t):
        shape.append(t.list_size)
        t = t.value_type
    return tuple(shape)


def _same_type(arrays: list[pa.Array], *, name: str) -> list[pa.Array]:
    """The chunks' arrays in one type: the type that holds every chunk's values (ints and
    floats: floats), as one numpy array of the whole data would. Chunks whose rows differ in
    shape, or whose values no type holds together (numbers and text), raise."""
    types = list(dict.fromkeys(a.type for a in arrays))
    if len(types) == 1:
        return arrays
    shown = ", ".join(str(t) for t in types)
    shapes = {_row_shape(t) for t in types}
    if len(shapes) > 1:
        msg = (
            f"{name!r}: the data chunk iterator's chunks have rows of different shapes "
            f"({', '.join(str(s) for s in sorted(shapes))}); a column's rows share one shape"
        )
        raise CellValueError(msg)
    try:
        common = (
            pa.unify_schemas(
                [pa.schema([pa.field("v", t)]) for t in types], promote_options="permissive"
            )
            .field(0)
            .type
        )
        return [a if a.type == common else a.cast(common) for a in arrays]
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        msg = (
            f"{name!r}: the data chunk iterator's chunks have values of types {shown}, "
            f"which no one column type holds ({exc})"
        )
        raise CellValueError(msg) from None


def _slices(selection: object, shape: tuple[int, ...], *, name: str) -> tuple[slice, ...]:
    """A chunk's selection as one slice per axis (step 1)."""
    if selection is None:
        msg = f"{name!r}: a data chunk has no selection (where it goes in the dataset)"
        raise CellValueError(msg)
    parts = selection if isinstance(selection, tuple) else (selection,)
    out = []
    for axis, k in enumerate(shape):
        part = parts[axis] if axis < len(parts) else slice(None)
        if isinstance(part, int | np.integer):
            part = slice(int(part), int(part) + 1)
        if not isinstance(part, slice) or part.step not in (None, 1):
            msg = f"{name!r}: a data chunk's selection {selection!r} is not a block of slices"
            raise CellValueError(msg)
        start = part.start or 0
        out.append(slice(start, start + k))
    return tuple(out)


def _whole_rows(selection: tuple[slice, ...], shape: tuple[int, ...]) -> bool:
    """Whether the chunk spans every axis after the first from its start (whole rows)."""
    return all(s.start == 0 for s in selection[1:]) and len(selection) == len(shape)


def _assemble(
    rows: list[tuple[int, int, np.ndarray]],
    blocks: list[tuple[tuple[slice, ...], np.ndarray]],
    *,
    name: str,
) -> np.ndarray:
    """Blocks (and whole-row chunks) placed into one array of the dataset's shape."""
    pieces = [((slice(a, b), *(slice(0, k) for k in v.shape[1:])), v) for a, b, v in rows]
    pieces += blocks
    ndim = max(v.ndim for _, v in pieces)
    shape = tuple(max(sel[axis].stop for sel, _ in pieces) for axis in range(ndim))
    dtype = np.result_type(*(v.dtype for _, v in pieces))
    out = np.empty(shape, dtype=dtype)
    filled = np.zeros(shape, dtype=np.uint8)
    for sel, values in pieces:
        out[sel] = values
        filled[sel] += 1
    if filled.min(initial=1) != 1 or filled.max(initial=1) != 1:
        what = "leave values unfilled" if filled.min(initial=1) == 0 else "overlap"
        msg = f"{name!r}: the data chunk iterator's chunks {what} in a dataset of shape {shape}"
        raise CellValueError(msg)
    return out


def column_data(
    data: object, t: pa.DataType | None, *, name: str, convert: Callable[..., pa.Array]
) -> object:
    """``data`` ready for a column: a DataIO's data, and a chunk iterator read into Arrow
    (:func:`read_chunks`); anything else as it is."""
    data = unwrap(data)
    if is_chunk_iterator(data):
        return read_chunks(data, t, name=name, convert=convert)
    return data
