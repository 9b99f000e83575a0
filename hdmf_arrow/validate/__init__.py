"""Checks of data against itself: what hdmf's validator does not look at.

``check(container)`` walks a container tree and returns a list of :class:`Issue` (empty when
everything holds), never stopping at the first. It checks, per table:

- every column has one row per id, and ids are unique and not null;
- every ragged level's offsets start at 0, never decrease and end at the length of the level
  below (and Arrow's own structural validation passes);
- region values lie within the target table, and the target is set;
- enum codes address an element, and elements are unique;
- an AlignedDynamicTable's categories have as many rows as its main table (and each is
  checked as a table);
- a CSRMatrix has one row per matrix row, column indices within its shape, and as many
  indices as values in each row;
- names contain no '/' or ':';
- no two objects of the tree (containers, tables' id columns, columns and their indexes and
  enum elements, a HERD's tables) share an object id: each one that another holds already
  is an issue naming both (their paths) and the id;
- a stored table's data files can be read and match the manifest's schema (every column
  there, of the same Arrow type), as the store reader's source reports it.

and, against the specs of the data types (all namespaces at once, through a TypeMap):

- the data type is known (an unknown type is an issue, never skipped);
- a table has every required column its spec names, each of the spec's data type (or a
  subtype), with an allowed dtype (the spec's, or a wider one of the same kind: hdmf's rule);
- a region column's target is a DynamicTable.

:func:`check_stored_types` looks at the data types a store's manifest names (a reader turns
an unknown one into its base class). :func:`hdmf_arrow.api.validate` runs everything on an
object or a stored location. All checks work on whole Arrow arrays (pyarrow.compute), not
row by row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow import sparse
from hdmf_arrow.common import (
    AlignedDynamicTable,
    Container,
    CSRMatrix,
    Data,
    Dataset,
    DynamicTable,
    EnumData,
    Link,
    SimpleMultiContainer,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.common._columns import column_part_ids
from hdmf_arrow.common._enum import split_cells
from hdmf_arrow.common._herd import HERD
from hdmf_arrow.common._region import DynamicTableRegion
from hdmf_arrow.common._registry import get_type_map
from hdmf_arrow.errors import HdmfArrowError
from hdmf_arrow.validate._issue import Issue, _guard
from hdmf_arrow.validate._spec import (
    _group_spec,
    _known,
    _table_spec,
    check_stored_types,
    spec_dtype,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from hdmf_arrow.common import TypeMap

Issue.__module__ = __name__  # its public home (defined in _issue, which _spec imports too)

__all__ = ["Issue", "check", "check_stored_types", "spec_dtype"]


def check(root: Container, type_map: TypeMap | None = None) -> list[Issue]:
    """Every problem in the tree under ``root``: its data, and its data against the specs of
    ``type_map`` (the loaded namespaces by default).

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="t", description="d", id=[1, 1])
    >>> t.add_column("x", "x", data=[1.0, 2.0])
    >>> [str(i) for i in check(t)]
    ['ElementIdentifiers (t/id): 2 rows share an id (first: 1); ids must be unique']
    """
    types = type_map if type_map is not None else get_type_map(copy=False)
    return list(_walk(root, root.name, types, {}))


_Holders = dict[str, tuple[str, str]]  # object id -> (path, what) of its first holder


def _walk(node: Container, path: str, types: TypeMap, ids: _Holders) -> Iterator[Issue]:
    if "/" in node.name or ":" in node.name:
        yield Issue(path, node.data_type, f"name {node.name!r} contains '/' or ':'")
    what = f"{node.data_type or type(node).__name__} {node.name!r}"
    yield from _claim(ids, node.object_id, path, node.data_type, what)
    yield from _known(node, path, types)
    if isinstance(node, Link):
        if node.target is None:
            yield Issue(path, "Link", "the link has no target")
        return
    if isinstance(node, Dataset) and node.is_scalar:
        return
    if isinstance(node, DynamicTable):
        yield from _table(node, path)
        yield from _table_ids(node, path, ids)
        yield from _guard(path, node.data_type, lambda: _table_spec(node, path, types))
        yield from _guard(path, node.data_type, lambda: _meanings(node, path))
        for member in node.members.values():
            yield from _walk(member, f"{path}/{member.name}", types, ids)
        if isinstance(node, AlignedDynamicTable):
            for category in node.category_tables.values():
                where = f"{path}/{category.name}"
                if len(category) != len(node):
                    rows = f"has {len(category)} rows, the main table {len(node)}"
                    yield Issue(where, category.data_type, f"category {rows}")
                yield from _walk(category, where, types, ids)
        return
    if isinstance(node, Data):
        yield from _guard(
            path,
            node.data_type,
            lambda: _arrow_valid(node.to_arrow(), where=path, data_type=node.data_type),
        )
        return
    if isinstance(node, CSRMatrix):
        yield from _guard(path, node.data_type, lambda: _csr(node, path))
        return
    if isinstance(node, HERD):  # every row index and object of its tree resolves
        for name, herd_table in node.tables.items():
            what = f"table {name!r} of HERD {node.name!r}"
            yield from _claim(ids, herd_table.object_id, f"{path}/{name}", "Data", what)
        yield from _guard(
            path,
            node.data_type,
            lambda: (Issue(path, node.data_type, p) for p in node.problems()),
        )
        return
    if isinstance(node, SimpleMultiContainer):
        yield from _group_spec(node, path, types)
    for child in node.children:
        yield from _walk(child, f"{path}/{child.name}", types, ids)


def _claim(
    ids: _Holders, object_id: str | None, path: str, data_type: str, what: str
) -> Iterator[Issue]:
    """An issue when another object of the tree holds ``object_id`` already (hdmf and the
    store want one object per id); the first holder keeps it."""
    if object_id is None:
        return
    first = ids.setdefault(object_id, (path, what))
    if first != (path, what):
        yield Issue(
            path,
            data_type,
            f"{what} has the object id {object_id!r}, which {first[1]} ({first[0]}) has "
            f"too; an object id names one object of a tree. Hint: give one of them a new "
            f"object id (a store holding both cannot be written back as it is).",
        )


def _table_ids(table: DynamicTable, path: str, ids: _Holders) -> Iterator[Issue]:
    """The object ids of a table's id column and of every part of its columns (as the
    writer claims them: ``column_part_ids``)."""
    where = f"{path}/{table.id.name}"
    what = f"the ids of table {table.name!r}"
    yield from _claim(ids, table.id.object_id, where, "ElementIdentifiers", what)
    for name in table.colnames:
        try:  # a stored column's description, as stored (the column need not be made)
            meta = table.table_meta([name]).columns[name]
        except HdmfArrowError:
            continue  # a description that does not parse: reported by _table
        for object_id, data_type, part, part_what in column_part_ids(table.name, name, meta):
            yield from _claim(ids, object_id, f"{path}/{part}", data_type, part_what)


def _meanings(table: DynamicTable, path: str) -> Iterator[Issue]:
    """Each MeaningsTable names a column of this table, and gives a meaning for every value
    that column holds."""
    for name, meanings in table.meanings_tables.items():
        where = f"{path}/meanings_tables/{name}"
        target: Any = getattr(meanings, "target", None)
        column = None if target is None else table._cols.get(target.name)
        if column is None or column.get_target_data() is not target.get_target_data():
            found = "nothing" if target is None else repr(target.name)
            yield Issue(
                where, meanings.data_type, f"its target is {found}, not a column of {table.name!r}"
            )
            continue
        if name != f"{target.name}_meanings":
            yield Issue(where, meanings.data_type, f"must be named {target.name + '_meanings'!r}")
        if "value" not in meanings.colnames:
            continue  # reported as a missing required column
        used = pc.unique(column.get_target_data().to_arrow())
        known = meanings["value"].get_target_data().to_arrow()
        try:
            missing = pc.filter(used, pc.invert(pc.is_in(used, value_set=known.cast(used.type))))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            yield Issue(
                where,
                meanings.data_type,
                f"its values are of type {known.type}, the column's {used.type}",
            )
            continue
        missing = missing.drop_null()
        if len(missing):
            shown = missing.to_pylist()[:5]
            yield Issue(
                where,
                meanings.data_type,
                f"values {shown} of column {target.name!r} have no meaning",
            )


def _csr(matrix: CSRMatrix, path: str) -> Iterator[Issue]:
    rows, cols = matrix.shape
    table = matrix.to_arrow()
    if table.num_rows != rows:
        yield Issue(path, matrix.data_type, f"has {table.num_rows} rows, its shape says {rows}")
    problem = sparse.check_table(table, n_cols=cols)
    if problem:
        yield Issue(path, matrix.data_type, problem)


def _table(table: DynamicTable, path: str) -> Iterator[Issue]:
    n = len(table)
    problems = _file_problems(table)
    for problem in problems:
        yield Issue(path, table.data_type, f"cannot be read: {problem}")
    where_id = f"{path}/{table.id.name}"
    if not problems:  # else every read fails the same way: the files' issues say it once
        yield from _guard(
            where_id, "ElementIdentifiers", lambda: _ids(table.id.to_arrow(), where_id)
        )
    for name in table.colnames:
        where = f"{path}/{name}"
        try:  # a stored column is made when first used: its description may be wrong
            col = table.get_column(name)
        except HdmfArrowError as exc:
            yield Issue(where, "VectorData", f"cannot be read: {exc}")
            continue
        if len(col) != n:
            yield Issue(where, col.data_type, f"has {len(col)} rows, the table has {n} ids")
        if not problems:
            yield from _guard(where, col.data_type, lambda c=col, w=where: _column(c, w))


def _file_problems(table: DynamicTable) -> list[str]:
    """What is wrong with the data files of a stored table (unreadable footers, a column
    missing, or of another Arrow type than the manifest's schema), one line per file.

    The store reader's source says it (``problems()``, which reads every footer and raises
    nothing); a table in memory has no files. validate does not import the io layer, hence
    the duck typing.
    """
    problems = getattr(getattr(table, "_source", None), "problems", None)
    if not callable(problems):
        return []
    try:
        return [str(p) for p in problems()]
    except (HdmfArrowError, OSError, pa.ArrowException) as exc:
        return [str(exc)]


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
    if not isinstance(region.table, DynamicTable):
        return  # the spec check reports a target of the wrong type; there are no rows to count
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
    codes = split_cells(enum._buf.array())[0]  # an N-D enum's rows: their values
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
