"""Appending many rows at once: whole Arrow columns onto a table's columns, no per-row loop.

Every column's new values are checked and converted first (``prepare``, which changes
nothing); only when all of them pass are they appended (the returned functions, which cannot
fail). So a refused batch leaves the table as it was, as a refused ``add_row`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow import ragged
from hdmf_arrow.arrow.buffer import ColumnBuffer, cast_array, plain_array
from hdmf_arrow.arrow.dtypes import as_array
from hdmf_arrow.common._data import _INT32_MAX, VectorData, VectorIndex, _plain
from hdmf_arrow.common._enum import EnumData, cell_shape, split_cells
from hdmf_arrow.common._region import DynamicTableRegion
from hdmf_arrow.errors import CellTypeError, CellValueError, HdmfArrowError

if TYPE_CHECKING:
    from collections.abc import Callable


def prepare(column: VectorData, values: pa.Array, *, where: str) -> Callable[[], None]:
    """Check ``values`` (one Arrow array: the new rows of ``column``) and return the function
    that appends them. Raises CellTypeError / CellValueError naming ``where`` and the column."""
    name = column.get_target_data().name
    try:
        return _prepare(column, plain_array(as_array(values)), name)
    except HdmfArrowError as exc:
        msg = f"{where}, column {name!r}: {exc}"
        raise type(exc)(msg) from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        msg = f"{where}, column {name!r}: cannot append {values.type} values ({exc})"
        raise CellTypeError(msg) from None


def _prepare(column: VectorData, values: pa.Array, name: str) -> Callable[[], None]:
    if isinstance(column, VectorIndex):
        return _prepare_ragged(column, values, name)
    if isinstance(column, EnumData):
        return _prepare_enum(column, values)
    if isinstance(column, DynamicTableRegion):
        positions = cast_array(values, column._buf.type, name=name)
        column._check_bounds(positions.drop_null().to_numpy(zero_copy_only=False))
        return lambda: column._buf.extend_array(positions)
    if not _plain(column, "_check_cell", "_append_cell") and len(values):
        # a subclass that checks its cells itself: its own checks, value by value
        cells = column._check_many(values.to_pylist())
        return lambda: column._extend_checked(cells)
    declared = column._buf.declared
    converted = cast_array(values, column._buf.type, name=name) if declared else values
    probe = ColumnBuffer(column._buf.type) if not declared else None
    if probe is not None and not pa.types.is_null(converted.type):
        probe.extend_array(converted)  # the type the column would widen to, or an error
    return lambda: column._buf.extend_array(converted)


def _prepare_ragged(index: VectorIndex, values: pa.Array, name: str) -> Callable[[], None]:
    if pa.types.is_null(values.type):
        values = pa.nulls(len(values), pa.list_(pa.null()))
    if not (pa.types.is_list(values.type) or pa.types.is_large_list(values.type)):
        msg = f"expected a list column (ragged rows), found {values.type}"
        raise CellTypeError(msg)
    inner, [level] = ragged.split(values, 1)
    append_inner = _prepare(index.target, inner, name)
    ends = level.offsets.to_numpy()[1:].astype(np.int64) + index._last
    last = int(ends[-1]) if len(ends) else index._last
    valid = level.valid

    def append() -> None:
        append_inner()
        if index._valid is None and valid is not None:
            index._valid = ColumnBuffer(pa.bool_())
            index._valid.extend([True] * len(index))
        if index._valid is not None:
            index._valid.extend_array(valid if valid is not None else pa.repeat(True, len(ends)))
        if last > _INT32_MAX and index._buf.type == pa.int32():
            index._buf.cast(pa.int64())
        index._buf.extend_array(pa.array(ends, type=index._buf.type))
        index._last = last

    return append


def _prepare_enum(enum: EnumData, values: pa.Array) -> Callable[[], None]:
    shape = cell_shape(values.type)  # an N-D enum: rows of fixed-size lists
    if shape != enum.cell_shape and (len(enum) or not shape):
        msg = f"expected rows of shape {enum.cell_shape}, found {values.type}"
        raise CellValueError(msg)
    values, rewrap = split_cells(values)
    plain = values.dictionary_decode() if pa.types.is_dictionary(values.type) else values
    if pa.types.is_integer(plain.type) and not pa.types.is_integer(enum.elements_data.dtype):
        codes = plain  # codes, as EnumData takes them
        n = len(enum.elements)
        lo, hi = pc.min_max(codes).values()
        if lo.is_valid and (lo.as_py() < 0 or hi.as_py() >= n):
            msg = f"codes must be in [0, {n}), found values in [{lo.as_py()}, {hi.as_py()}]"
            raise CellValueError(msg)
        new: list[object] = []
    else:
        known = pc.is_in(plain, value_set=enum.elements_data.to_arrow())
        unknown = pc.filter(plain, pc.and_(pc.invert(known), plain.is_valid()))
        new = pc.unique(unknown).to_pylist()  # added as elements, as add_row does
        codes = None
    for element in new:
        enum._elements._check_cell(element)  # the element column's type decides

    def append() -> None:
        for element in new:
            enum.add_element(element)
        enum._set_cell_shape(shape)
        found = codes if codes is not None else enum.codes_of(plain)
        enum._buf.extend_array(rewrap(found).cast(enum._buf.type))

    return append
