"""Tables linked by DynamicTableRegion columns, denormalised into one pandas frame.

As ``hdmf.common.hierarchicaltable``: :func:`to_hierarchical_dataframe` follows the first region
column of a table (and of the table it points at, and so on) and gives one row per row of the
last table reached, with the columns of the tables passed on the way in a ``pandas.MultiIndex``
of the rows. :func:`drop_id_columns` and :func:`flatten_column_index` tidy the result.

The frame is built from the tables' Arrow columns with array operations: the region column's
list offsets give, for every output row, the row of the source table and of the target table;
levels are joined by row position (hdmf joins by id, which breaks when ids repeat).

Examples
--------
>>> from hdmf_arrow.common import DynamicTable, DynamicTableRegion, VectorData, VectorIndex
>>> electrodes = DynamicTable(name="electrodes", description="probe sites",
...     columns=[VectorData(name="x", description="x position", data=[1.0, 2.0, 3.0])])
>>> region = DynamicTableRegion(name="sites", description="sites of each unit",
...     data=[0, 1, 1, 2], table=electrodes)
>>> units = DynamicTable(name="units", description="sorted units", columns=[
...     VectorData(name="quality", description="unit quality", data=["good", "mua"]),
...     region, VectorIndex(name="sites_index", data=[2, 4], target=region)])
>>> frame = to_hierarchical_dataframe(units)
>>> frame  # doctest: +NORMALIZE_WHITESPACE
source_table                   electrodes
label                                  id    x
(units, id) (units, quality)
0           good                        0  1.0
            good                        1  2.0
1           mua                         1  2.0
            mua                         2  3.0
>>> flatten_column_index(drop_id_columns(frame.reset_index()), max_levels=1).columns.tolist()
['quality', 'x']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.common._aligned import AlignedDynamicTable
from hdmf_arrow.common._region import region_of
from hdmf_arrow.common._table import DynamicTable
from hdmf_arrow.errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    RegionIndexError,
    UnresolvedReferenceError,
)

if TYPE_CHECKING:
    from collections.abc import Hashable

__all__ = ["drop_id_columns", "flatten_column_index", "to_hierarchical_dataframe"]

Label = Any  # a column name, or a (table, column) pair in an AlignedDynamicTable


def to_hierarchical_dataframe(dynamic_table: DynamicTable) -> pd.DataFrame:
    """All data of a chain of linked tables as one frame with a hierarchical row index.

    The first region column of ``dynamic_table`` (see ``get_foreign_columns``) is expanded: each
    row becomes one row per target row it points at. The row index holds the source table's
    ``id`` and its other columns (ragged cells as tuples, other region columns as row indices),
    labelled ``(table name, column)``; the columns are the target's ``id`` and columns,
    labelled ``(table name, column)`` too (``source_table``, ``label``). When the target has a
    region column itself, it is expanded first and its row index is appended. A table without
    region columns gives its ``to_dataframe()``.

    Parameters
    ----------
    dynamic_table
        The table to start from (an ``AlignedDynamicTable`` counts the columns of its
        categories, labelled ``(category, column)``).

    Raises
    ------
    InvalidArgumentTypeError
        If ``dynamic_table`` is not a DynamicTable.
    UnresolvedReferenceError
        If a region column on the way has no target table.
    RegionIndexError
        If a region column points at rows its target does not have.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="t", description="a flat table")
    >>> t.add_column("a", "a column")
    >>> t.add_row(a=1)
    >>> to_hierarchical_dataframe(t).equals(t.to_dataframe())
    True
    """
    _check_table(dynamic_table)
    if not dynamic_table.get_foreign_columns():
        return dynamic_table.to_dataframe()
    return _expand(dynamic_table)[0]


def _check_table(table: object) -> None:
    if not isinstance(table, DynamicTable):
        msg = (
            f"to_hierarchical_dataframe: expected a DynamicTable, got {type(table).__name__} "
            f"{table!r:.60}"
        )
        raise InvalidArgumentTypeError(msg)


class _Flat:
    """A table's id and columns as Arrow arrays, addressed by hdmf's labels."""

    def __init__(self, table: DynamicTable) -> None:
        self.table = table
        arrow = table.to_arrow()
        self.ids = arrow[table.id.name]
        self.arrays: dict[Label, pa.ChunkedArray] = {}
        if isinstance(table, AlignedDynamicTable):
            for name in table.colnames:
                self.arrays[(table.name, name)] = arrow[name]
            for category in table.category_tables.values():
                sub = category.to_arrow()
                self.arrays[(category.name, category.id.name)] = sub[category.id.name]
                for name in category.colnames:
                    self.arrays[(category.name, name)] = sub[name]
        else:
            for name in table.colnames:
                self.arrays[name] = arrow[name]

    @property
    def labels(self) -> list[Label]:
        return list(self.arrays)

    def foreign(self) -> tuple[Label, DynamicTable]:
        """The label of the first region column and its target table."""
        table = self.table
        first: Any = table.get_foreign_columns()[0]
        if isinstance(table, AlignedDynamicTable):
            category, name = first
            owner = table if category is None else table.get_category(category)
            label: Label = (owner.name, name)
        else:
            owner, name = table, first
            label = name
        region = region_of(owner.get_column(name))
        target = region.table if region is not None else None
        if target is None:
            msg = (
                f"to_hierarchical_dataframe: DynamicTableRegion {name!r} of "
                f"{type(owner).__name__} {owner.name!r} has no target table. Hint: set "
                f"its .table before expanding it"
            )
            raise UnresolvedReferenceError(msg)
        return label, target


def _cells(array: pa.ChunkedArray, *, hashable: bool) -> np.ndarray:
    """One value per row: numbers as numpy, nested cells as lists (tuples if ``hashable``)."""
    typ = array.type
    if pa.types.is_dictionary(typ):
        array = array.cast(typ.value_type)
        typ = typ.value_type
    if not pa.types.is_nested(typ):
        return np.asarray(array.to_numpy())
    values = array.to_pylist()
    if hashable:
        values = list(map(_freeze, values))
    return pd.Series(values, dtype=object).to_numpy()


def _freeze(value: object) -> object:
    if isinstance(value, list):
        return tuple(map(_freeze, value))
    if isinstance(value, dict):
        return tuple((k, _freeze(v)) for k, v in value.items())
    return value


def _region_rows(
    array: pa.ChunkedArray, n_target: int, label: Label
) -> tuple[np.ndarray, np.ndarray]:
    """(source row, target row) of every link a (possibly ragged) region column makes."""
    combined = array.combine_chunks()
    if pa.types.is_list(combined.type) or pa.types.is_large_list(combined.type):
        source = np.asarray(combined.value_parent_indices(), dtype=np.int64)
        rows = combined.flatten()
    else:
        source = np.arange(len(combined), dtype=np.int64)
        rows = combined
    valid = np.asarray(pc.is_valid(rows), dtype=bool)
    target = np.asarray(rows.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    source, target = source[valid], target[valid]
    bad = (target < 0) | (target >= n_target)
    if bad.any():
        msg = (
            f"to_hierarchical_dataframe: region column {label!r} points at row "
            f"{int(target[bad][0])}, but its target has {n_target} rows"
        )
        raise RegionIndexError(msg)
    return source, target


def _expand(table: DynamicTable) -> tuple[pd.DataFrame, np.ndarray]:
    """The hierarchical frame of ``table`` and, for each of its rows, the source row."""
    flat = _Flat(table)
    label, target = flat.foreign()
    source, rows = _region_rows(flat.arrays[label], len(target), label)
    kept = [lab for lab in flat.labels if lab != label]
    index_names: list[Hashable] = [(table.name, "id")] + [(table.name, lab) for lab in kept]
    index_arrays = [flat.ids.to_numpy()] + [_cells(flat.arrays[lab], hashable=True) for lab in kept]

    if not target.get_foreign_columns():
        sub = _Flat(target)
        names = [(target.name, "id")] + [(target.name, lab) for lab in sub.labels]
        columns = pd.MultiIndex.from_tuples(names, names=("source_table", "label"))
        data = [sub.ids.to_numpy()[rows]]
        data += [_cells(sub.arrays[lab], hashable=False)[rows] for lab in sub.labels]
        frame = pd.DataFrame(dict(enumerate(data)), index=pd.RangeIndex(len(rows)))
        frame.columns = columns
        levels = [a[source] for a in index_arrays]
    else:
        inner, inner_source = _expand(target)
        link, pos = _join(rows, inner_source)
        source = source[link]
        frame = inner.iloc[pos]
        inner_index = inner.index[pos]
        levels = [a[source] for a in index_arrays]
        levels += [inner_index.get_level_values(i).to_numpy() for i in range(inner_index.nlevels)]
        index_names += list(inner.index.names)
    frame.index = pd.MultiIndex.from_arrays(levels, names=index_names)
    return frame, source


def _join(rows: np.ndarray, inner_source: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each link k to target row ``rows[k]``, the inner frame's rows from that target row:
    (k repeated, inner row position), in the order of the links, then of the inner frame."""
    order = np.argsort(inner_source, kind="stable")
    ordered = inner_source[order]
    starts = np.searchsorted(ordered, rows, side="left")
    counts = np.searchsorted(ordered, rows, side="right") - starts
    link = np.repeat(np.arange(len(rows)), counts)
    first = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return link, order[first + np.arange(int(counts.sum()))]


def _check_frame(dataframe: object, function: str) -> pd.DataFrame:
    if not isinstance(dataframe, pd.DataFrame):
        msg = f"{function}: expected a pandas.DataFrame, got {type(dataframe).__name__}"
        raise InvalidArgumentTypeError(msg)
    return dataframe


def _innermost(label: object) -> object:
    while isinstance(label, tuple) and label:
        label = label[-1]
    return label


def drop_id_columns(dataframe: pd.DataFrame, inplace: bool = False) -> pd.DataFrame:
    """The frame without its ``id`` columns (those whose innermost label is ``"id"``).

    Raises
    ------
    InvalidArgumentTypeError
        If ``dataframe`` is not a pandas.DataFrame.

    Examples
    --------
    >>> frame = pd.DataFrame([[0, 1]], columns=pd.MultiIndex.from_tuples([("t", "id"), ("t", "x")]))
    >>> drop_id_columns(frame).columns.tolist()
    [('t', 'x')]
    """
    frame = _check_frame(dataframe, "drop_id_columns")
    ids = [c for c in frame.columns if _innermost(c) == "id"]
    if not inplace:
        return frame.drop(columns=ids)
    for label in dict.fromkeys(ids):
        del frame[label]
    return frame


def _flatten(label: object) -> object:
    if not isinstance(label, tuple):
        return label
    flat: list[object] = []
    for part in map(_flatten, label):
        flat.extend(part if isinstance(part, tuple) else [part])
    return tuple(flat)


def flatten_column_index(
    dataframe: pd.DataFrame,
    max_levels: int | None = None,
    inplace: bool = False,
) -> pd.DataFrame:
    """The frame with flat tuples as column labels (nested tuples unpacked).

    ``max_levels`` keeps only the last levels of each label (1: the innermost name; labels
    may then repeat).

    Raises
    ------
    InvalidArgumentTypeError
        If ``dataframe`` is not a pandas.DataFrame.
    InvalidArgumentError
        If ``max_levels`` is not greater than 0.

    Examples
    --------
    >>> frame = pd.DataFrame([[0, 1]], columns=[("a", ("b", "id")), ("a", "x")])
    >>> flatten_column_index(frame).columns.tolist()
    [('a', 'b', 'id'), ('a', 'x')]
    >>> flatten_column_index(frame, max_levels=1).columns.tolist()
    ['id', 'x']
    """
    frame = _check_frame(dataframe, "flatten_column_index")
    if max_levels is not None and max_levels <= 0:
        msg = "max_levels must be greater than 0"
        raise InvalidArgumentError(msg)
    labels = [_flatten(c) for c in frame.columns.to_list()]
    if max_levels is not None:
        labels = [_last(c, max_levels) for c in labels]
    out = frame if inplace else frame.copy()
    out.columns = pd.Index(labels, tupleize_cols=False) if labels else pd.Index([])
    return out


def _last(label: object, levels: int) -> object:
    if not isinstance(label, tuple):
        return label
    return label[-1] if levels == 1 else label[-levels:]
