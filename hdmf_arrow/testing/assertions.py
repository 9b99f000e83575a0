"""``assert_table_equal`` and ``assert_container_equal``: compare tables or whole trees and
say where they differ."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from hdmf_arrow.common import (
    AlignedDynamicTable,
    Container,
    CSRMatrix,
    Data,
    Dataset,
    DynamicTable,
    EnumData,
    Link,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.common._region import region_of

if TYPE_CHECKING:
    import pyarrow as pa


def assert_table_equal(
    left: DynamicTable,
    right: DynamicTable,
    *,
    check_metadata: bool = True,
    check_types: bool = True,
    check_name: bool = True,
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
    if check_name:
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


def assert_container_equal(
    left: Container,
    right: Container,
    *,
    ignore_name: bool = False,
    check_metadata: bool = True,
) -> None:
    """Raise AssertionError naming the first difference between two container trees.

    Compares data types, names (unless ``ignore_name``, for the roots), attributes, children
    by name, tables as :func:`assert_table_equal` does (with their members and categories),
    datasets by value (NaN equals NaN), links by their targets, and with ``check_metadata``
    object ids and descriptions. Containers held in attributes compare by object id.

    Examples
    --------
    >>> from hdmf_arrow.common import Dataset, SimpleMultiContainer
    >>> a = SimpleMultiContainer("s", [Dataset("x", [1.0, 2.0])])
    >>> b = SimpleMultiContainer("s", [Dataset("x", [1.0, 2.5])])
    >>> assert_container_equal(a, b, check_metadata=False)
    Traceback (most recent call last):
    AssertionError: s/x: values differ: [1.0, 2.0] != [1.0, 2.5]
    """
    _container(left, right, left.name, ignore_name=ignore_name, check_metadata=check_metadata)


def _container(
    left: Container, right: Container, where: str, *, ignore_name: bool, check_metadata: bool
) -> None:
    if type(left) is not type(right) and left.data_type != right.data_type:
        kinds = [c.data_type or type(c).__name__ for c in (left, right)]
        msg = f"{where}: {kinds[0]} != {kinds[1]}"
        raise AssertionError(msg)
    if not ignore_name:
        _same(where, "name", left.name, right.name)
    _same(where, "namespace", left.namespace, right.namespace)
    if check_metadata and left.data_type is not None:  # untyped parts have no id in HDF5
        _same(where, "object_id", left.object_id, right.object_id)
    _same(
        where,
        "attributes",
        _plain(getattr(left, "attributes", {})),
        _plain(getattr(right, "attributes", {})),
    )
    if isinstance(left, Link) and isinstance(right, Link):
        ends = [left.target, right.target]
        if check_metadata and all(t is not None and t.data_type is not None for t in ends):
            _same(where, "link target", _ref(ends[0]), _ref(ends[1]))
        else:  # by what the target is (an untyped target has no lasting id)
            named = [(getattr(t, "name", None), getattr(t, "data_type", None)) for t in ends]
            _same(where, "link target", named[0], named[1])
        return
    if isinstance(left, DynamicTable) and isinstance(right, DynamicTable):
        assert_table_equal(left, right, check_metadata=check_metadata, check_name=not ignore_name)
        _children(left.members, right.members, f"{where} members", check_metadata)
        if isinstance(left, AlignedDynamicTable) and isinstance(right, AlignedDynamicTable):
            _children(left.category_tables, right.category_tables, where, check_metadata)
        return
    if isinstance(left, CSRMatrix) and isinstance(right, CSRMatrix):
        _same(where, "shape", left.shape, right.shape)
        for part in ("data", "indices", "indptr"):
            _same_values(f"{where} {part}", getattr(left, part), getattr(right, part))
        return
    if (
        isinstance(left, Dataset)
        and isinstance(right, Dataset)
        and (left.is_scalar or right.is_scalar)
    ):
        _same(where, "value", _plain(left.data), _plain(right.data))
        return
    if isinstance(left, Data) and isinstance(right, Data):
        if check_metadata:
            _same(
                where,
                "description",
                getattr(left, "description", None),
                getattr(right, "description", None),
            )
        _same_values(where, left.data, right.data)
        return
    _children(
        {c.name: c for c in left.children},
        {c.name: c for c in right.children},
        where,
        check_metadata,
    )


def _children(
    left: Mapping[str, Container], right: Mapping[str, Container], where: str, check_metadata: bool
) -> None:
    _same(where, "children", sorted(left), sorted(right))
    for name, child in left.items():
        _container(
            child, right[name], f"{where}/{name}", ignore_name=False, check_metadata=check_metadata
        )


def _same_values(where: str, left: Any, right: Any) -> None:
    a, b = np.asarray(left), np.asarray(right)
    equal = a.shape == b.shape and (
        np.array_equal(a, b, equal_nan=True)
        if a.dtype.kind in "fc" and b.dtype.kind in "fc"
        else np.array_equal(a, b)
    )
    if not equal:
        msg = f"{where}: values differ: {a.tolist()!r:.200} != {b.tolist()!r:.200}"
        raise AssertionError(msg)


def _ref(value: object) -> object:
    return value.object_id if isinstance(value, Container) else value


def _plain(value: object) -> object:
    """Attribute values as comparable data: containers by object id, arrays as lists."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return _ref(value)
