"""Checks of data against itself: what hdmf's validator does not look at.

``check(container)`` walks a container tree and returns a list of :class:`Issue` (empty when
everything holds), never stopping at the first. It checks, per table:

- every column has one row per id, and ids are unique and not null;
- every ragged level's offsets start at 0, never decrease and end at the length of the level
  below (and Arrow's own structural validation passes);
- region values lie within the target table, and the target is set;
- enum codes address an element, and elements are unique;
- names contain no '/' or ':'.

Checks against the specs (types, dtypes, shapes, quantities, required parts) are added by the
spec layer; :func:`hdmf_arrow.api.validate` runs everything on an object or a stored location.
All checks work on whole Arrow arrays (pyarrow.compute), not row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.common import (
    Container,
    Data,
    DynamicTable,
    EnumData,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.common._region import DynamicTableRegion
from hdmf_arrow.errors import HdmfArrowError

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: where (a path in the tree), the data type there, and what is wrong."""

    path: str
    data_type: str
    message: str

    def __str__(self) -> str:
        return f"{self.data_type} ({self.path}): {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "data_type": self.data_type, "message": self.message}


def check(root: Container) -> list[Issue]:
    """Every data problem in the tree under ``root``.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="t", description="d", id=[1, 1])
    >>> t.add_column("x", "x", data=[1.0, 2.0])
    >>> [str(i) for i in check(t)]
    ['ElementIdentifiers (t/id): 2 rows share an id (first: 1); ids must be unique']
    """
    return list(_walk(root, root.name))


def _walk(node: Container, path: str) -> Iterator[Issue]:
    if "/" in node.name or ":" in node.name:
        yield Issue(path, node.data_type, f"name {node.name!r} contains '/' or ':'")
    if isinstance(node, DynamicTable):
        yield from _table(node, path)
        return
    if isinstance(node, Data):
        yield from _guard(
            path,
            node.data_type,
            lambda: _arrow_valid(node.to_arrow(), where=path, data_type=node.data_type),
        )
        return
    for child in node.children:
        yield from _walk(child, f"{path}/{child.name}")


def _guard(path: str, data_type: str, run: object) -> Iterator[Issue]:
    """Run a check; a failure to even read the data is an issue too, not a crash."""
    try:
        yield from run()  # type: ignore[operator]
    except (HdmfArrowError, OSError, pa.ArrowException) as exc:
        yield Issue(path, data_type, f"cannot be read: {exc}")


def _table(table: DynamicTable, path: str) -> Iterator[Issue]:
    n = len(table)
    where_id = f"{path}/{table.id.name}"
    yield from _guard(where_id, "ElementIdentifiers", lambda: _ids(table.id.to_arrow(), where_id))
    for name in table.colnames:
        col = table.get_column(name)
        where = f"{path}/{name}"
        if len(col) != n:
            yield Issue(where, col.data_type, f"has {len(col)} rows, the table has {n} ids")
        yield from _guard(where, col.data_type, lambda c=col, w=where: _column(c, w))


def _ids(ids: pa.Array, where: str) -> Iterator[Issue]:
    if ids.null_count:
        yield Issue(where, "ElementIdentifiers", f"{ids.null_count} id(s) are null")
    present = ids.drop_null()
    distinct = pc.count_distinct(present).as_py()
    if distinct != len(present):
        counts = pc.value_counts(present)
        shared = pc.greater(counts.field("counts"), 1)
        rows = pc.sum(pc.filter(counts.field("counts"), shared)).as_py()
        first = pc.filter(counts.field("values"), shared)[0].as_py()
        yield Issue(
            where,
            "ElementIdentifiers",
            f"{rows} rows share an id (first: {first}); ids must be unique",
        )


def _column(col: VectorData, where: str) -> Iterator[Issue]:
    found: list[Issue] = []
    level: VectorData = col
    while isinstance(level, VectorIndex):
        found += _offsets(level, f"{where}/{level.name}")
        level = level.target
    if isinstance(level, DynamicTableRegion):
        found += _region(level, where)
    elif isinstance(level, EnumData):
        found += _enum(level, where)
    yield from found
    if not found:  # Arrow's own structural check catches what the specific ones do not
        yield from _arrow_valid(col.to_arrow(), where=where, data_type=col.data_type)


def _offsets(index: VectorIndex, where: str) -> Iterator[Issue]:
    offsets = index._buf.array()
    n_target = len(index.target)
    if len(offsets) == 0:
        return
    first = offsets[0].as_py()
    if first != 0:
        yield Issue(where, "VectorIndex", f"offsets start at {first}, expected 0")
    steps = pc.pairwise_diff(offsets)
    falling = pc.sum(pc.less(steps, 0)).as_py() or 0
    if falling:
        yield Issue(where, "VectorIndex", f"offsets decrease at {falling} place(s)")
    last = offsets[-1].as_py()
    if last != n_target:
        yield Issue(
            where,
            "VectorIndex",
            f"offsets end at {last}, but the target {index.target.name!r} has {n_target} values",
        )


def _region(region: DynamicTableRegion, where: str) -> Iterator[Issue]:
    if region.table is None:
        yield Issue(where, region.data_type, "has no target table")
        return
    values = region.to_arrow()
    n = len(region.table)
    bad = pc.or_(pc.less(values, 0), pc.greater_equal(values, n))
    count = pc.sum(bad).as_py() or 0
    if count:
        first = pc.filter(values, bad)[0].as_py()
        yield Issue(
            where,
            region.data_type,
            f"{count} value(s) out of range for table {region.table.name!r} with {n} rows "
            f"(first: {first})",
        )


def _enum(enum: EnumData, where: str) -> Iterator[Issue]:
    n = len(enum.elements)
    codes = enum._buf.array()
    high = pc.max(codes).as_py()
    if high is not None and high >= n:
        yield Issue(where, enum.data_type, f"code {high} is out of range for {n} elements")
    if len(set(enum.elements)) != n:
        yield Issue(where, enum.data_type, "elements are not unique")


def _arrow_valid(arr: pa.Array, *, where: str = "", data_type: str = "") -> Iterator[Issue]:
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid as exc:
        yield Issue(where, data_type, f"is not a valid Arrow array: {exc}")
