"""``assert_table_equal``: compare two tables and say which column and row differ."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from hdmf_arrow.common import DynamicTable, EnumData, VectorData, VectorIndex
from hdmf_arrow.common._region import region_of

if TYPE_CHECKING:
    import pyarrow as pa


def assert_table_equal(
    left: DynamicTable,
    right: DynamicTable,
    *,
    check_metadata: bool = True,
    check_types: bool = True,
) -> None:
    """Raise AssertionError naming the first difference between two tables.

    Compares names, row ids, column names and order, each column's data type, Arrow type
    (``check_types``) and values (NaN equals NaN), region targets and enum elements; with
    ``check_metadata`` also descriptions, attributes and every object id (what the ``hdmf``
    metadata carries and engines such as polars drop).

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> a = DynamicTable(name="t", description="d"); a.add_column("x", "x", data=[1, 2])
    >>> b = DynamicTable(name="t", description="d"); b.add_column("x", "x", data=[1, 3])
    >>> assert_table_equal(a, b, check_metadata=False)
    Traceback (most recent call last):
    AssertionError: table 't', column 'x', row 1: 2 != 3
    """
    where = f"table {left.name!r}"
    _same(where, "name", left.name, right.name)
    _same(where, "data_type", left.data_type, right.data_type)
    _same(where, "colnames", left.colnames, right.colnames)
    _same(where, "number of rows", len(left), len(right))
    _values(f"{where}, column 'id'", left.id.to_arrow(), right.id.to_arrow(), check_types=True)
    if check_metadata:
        _same(where, "description", left.description, right.description)
        _same(where, "object_id", left.object_id, right.object_id)
        _same(where, "id object_id", left.id.object_id, right.id.object_id)
    for name in left.colnames:
        a, b = left.get_column(name), right.get_column(name)
        col = f"{where}, column {name!r}"
        _column(col, a, b, check_metadata=check_metadata)
        _values(col, a.to_arrow(), b.to_arrow(), check_types=check_types)


def _column(where: str, a: VectorData, b: VectorData, *, check_metadata: bool) -> None:
    _same(where, "index depth", a.index_depth, b.index_depth)
    base_a, base_b = a.get_target_data(), b.get_target_data()
    _same(where, "data_type", base_a.data_type, base_b.data_type)
    if check_metadata:
        _same(where, "description", base_a.description, base_b.description)
        _same(where, "attributes", base_a.attributes, base_b.attributes)
    ra, rb = region_of(a), region_of(b)
    if ra is not None and rb is not None:
        ta, tb = ra.table, rb.table
        _same(where, "region target", ta and ta.name, tb and tb.name)
        if check_metadata:
            _same(where, "region target object_id", ta and ta.object_id, tb and tb.object_id)
    if isinstance(base_a, EnumData) and isinstance(base_b, EnumData):
        _same(where, "enum elements", base_a.elements, base_b.elements)
    if check_metadata:
        ids_a = [p.object_id for p in _chain(a)]
        ids_b = [p.object_id for p in _chain(b)]
        _same(where, "object ids", ids_a, ids_b)


def _chain(col: VectorData) -> list[VectorData]:
    out = [col]
    while isinstance(col, VectorIndex):
        col = col.target
        out.append(col)
    return out


def _values(where: str, a: pa.Array, b: pa.Array, *, check_types: bool) -> None:
    if check_types:
        _same(where, "Arrow type", a.type, b.type)
    if a.equals(b):
        return
    _same(where, "length", len(a), len(b))
    for i, (x, y) in enumerate(zip(a.to_pylist(), b.to_pylist(), strict=True)):
        if not _equal(x, y):
            msg = f"{where}, row {i}: {x!r} != {y!r}"
            raise AssertionError(msg)


def _equal(x: object, y: object) -> bool:
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return True
    if isinstance(x, list) and isinstance(y, list):
        return len(x) == len(y) and all(_equal(p, q) for p, q in zip(x, y, strict=True))
    return x == y


def _same(where: str, what: str, x: object, y: object) -> None:
    if x != y:
        msg = f"{where}: {what} differs: {x!r} != {y!r}"
        raise AssertionError(msg)
