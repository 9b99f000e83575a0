"""DynamicTable: a table of named columns with row ids, kept as Arrow arrays."""

from __future__ import annotations

import html
import textwrap
import warnings
from collections.abc import Callable, Mapping, MutableMapping
from operator import call
from operator import index as as_index
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, NoReturn, Protocol, overload

import numpy as np
import pyarrow as pa

from hdmf_arrow.arrow.buffer import ColumnBuffer
from hdmf_arrow.arrow.dtypes import DtypeLike, as_array
from hdmf_arrow.arrow.metadata import METADATA_KEY, ColumnMeta, TableMeta
from hdmf_arrow.common._columns import (
    ColumnMap,
    PartMap,
    StoredColumns,
    build_column,
    check_column_name,
    check_values,
    column_from_arrow,
    column_meta,
    parts,
    top_columns,
    type_label,
)
from hdmf_arrow.common._container import Container, check_text
from hdmf_arrow.common._data import (
    ArrayLike,
    Data,
    ElementIdentifiers,
    VectorData,
    with_context,
)
from hdmf_arrow.common._enum import EnumData
from hdmf_arrow.common._region import DynamicTableRegion, region_of
from hdmf_arrow.common._rows import RowPlan
from hdmf_arrow.common._select import Rows, select_rows
from hdmf_arrow.errors import (
    CellTypeError,
    CellValueError,
    ColumnNotFoundError,
    DuplicateColumnError,
    DuplicateIdError,
    HdmfArrowError,
    MissingDependencyError,
    RowIndexError,
    TableShapeError,
    UnsupportedKeyError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from types import ModuleType

    import dask.dataframe as dd
    import pandas as pd
    import polars as pl


class RowSource(Protocol):
    """Where a table read from a store gets rows of columns it has not read whole."""

    num_rows: int

    def rows(self, names: Sequence[str], rows: slice | np.ndarray) -> list[pa.Array]: ...

    def has_nulls(self, name: str) -> bool: ...

    def scan(self, *, rows: str | None = None) -> pl.LazyFrame: ...

    def prefetch(self, names: Sequence[str]) -> None: ...

    def to_dask(
        self, names: Sequence[str], elements: dict[str, pa.Array], *, blocksize: int | None
    ) -> dd.DataFrame: ...


_Check = Callable[[object], object]
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def _fast_id(id: object) -> int | None:
    """An id given to ``add_row`` as its fast path stores it (an int or numpy integer within
    int64), or None: the general path then decides, with its errors."""
    if type(id) is int:
        row_id = id
    elif isinstance(id, np.integer):
        row_id = as_index(id)  # int(id), in a third of the time
    else:
        return None
    return row_id if _INT64_MIN <= row_id <= _INT64_MAX else None


class TableLink(NamedTuple):
    """One region column and the tables it links (see ``DynamicTable.get_linked_tables``)."""

    source_table: DynamicTable
    source_column: DynamicTableRegion
    target_table: DynamicTable


class DynamicTable(Container):
    """A table of columns with row ids; every column is an Arrow array.

    Build it row by row (``add_row``, amortised O(1)), column by column (``add_column``) or
    from whole columns (``from_arrow``, ``from_dataframe``, ``from_polars``). Read it as Arrow
    (``to_arrow``, no copy), pandas (``to_dataframe``, ``table[rows]``) or polars.

    Examples
    --------
    >>> t = DynamicTable(name="subjects", description="experimental subjects")
    >>> t.add_column("subject_id", "Unique subject identifier")
    >>> t.add_column("age", "Age in months", dtype="int")
    >>> t.add_row(subject_id="mouse_001", age=8)
    >>> t.add_row(subject_id="mouse_002", age=10)
    >>> len(t), t.colnames
    (2, ('subject_id', 'age'))
    >>> t.to_dataframe()  # doctest: +NORMALIZE_WHITESPACE
       subject_id  age
    id
    0   mouse_001    8
    1   mouse_002   10
    >>> t.to_arrow().schema.types
    [DataType(int64), DataType(string), DataType(int64)]
    """

    data_type: ClassVar[str] = "DynamicTable"

    def __init__(
        self,
        name: str,
        description: str,
        id: ArrayLike = None,
        columns: Sequence[VectorData] | None = None,
        colnames: Sequence[str] | None = None,
        *,
        target_tables: Mapping[str, DynamicTable] | None = None,
        object_id: str | None = None,
        add_required: bool = True,
        meanings_tables: Iterable[DynamicTable] = (),
    ) -> None:
        """A required predefined column (``__columns__``) not given is created: empty, or of
        nulls typed by its ``dtype`` when the table has rows (hdmf refuses those; validation
        reports them). ``add_required=False`` keeps missing required predefined columns
        missing (readers restoring a table as stored use it, so that validation can report
        them)."""
        super().__init__(name, object_id=object_id)
        self.description = check_text(description, arg="description", owner=self._what)
        # plain dicts, or (a table read from a store) a ColumnMap and a PartMap
        self._cols: MutableMapping[str, VectorData] = {}
        self._parts: MutableMapping[str, Data] = {}
        self._id_set: set[int] | None = None  # for enforce_unique_id, built on first use
        self._id_set_rows = 0  # how many ids the set was built from
        self._plan: RowPlan | None = None  # add_row's per-column operations, see _rows.py
        self._source: RowSource | None = None  # set by a store reader: rows of unread columns
        # what a table group holds besides its columns (a link, a dataset, a sub-group), as
        # NWB types such as PlaneSegmentation have; kept so that nothing read is lost
        self.members: dict[str, Container] = {}
        if colnames is not None and not columns:
            msg = f"{self._what}: must supply 'columns' if specifying 'colnames'"
            raise TableShapeError(msg)
        # columns given as specs ({"name": ..., "description": ...}, as hdmf takes them) are
        # added empty, after the others; each is checked before anything is built
        specs = [_column_spec(c, name) for c in columns or () if isinstance(c, Mapping)]
        columns = [c for c in columns or () if not isinstance(c, Mapping)]
        tops = top_columns(list(columns or []), colnames, table=name)
        lengths = {c.get_target_data().name: len(c) for c in tops}
        if len(set(lengths.values())) > 1:
            msg = f"{self._what}: columns must be the same length, found {lengths}"
            raise TableShapeError(msg)
        n = next(iter(lengths.values()), 0)
        if isinstance(id, ElementIdentifiers):
            self.id = id
        else:
            self.id = ElementIdentifiers("id", np.arange(n) if id is None else id)
        if len(self.id) != n and tops:
            msg = (
                f"{self._what}: must provide same number of ids as length of columns "
                f"({len(self.id)} ids, {n} rows)"
            )
            raise TableShapeError(msg)
        self._adopt(self.id)
        for col in tops:
            check_values(col, table=name)
            self._attach(col)
        predefined = self._predefined()
        for col_name, spec in predefined.items():
            if add_required and spec.get("required") and col_name not in self._cols:
                self._add_required(col_name)
        for column_spec in specs:
            self.add_column(**column_spec)
        for col_name, target in (target_tables or {}).items():
            if col_name not in self._cols and col_name in predefined:
                if not predefined[col_name].get("table"):
                    msg = (
                        f"{self._what}: column {col_name!r} must be a DynamicTableRegion to "
                        f"have a target table (its __columns__ entry has no table=True)"
                    )
                    raise TableShapeError(msg)
                self._add_predefined(col_name, table=target)
                continue
            if col_name not in self._cols:
                msg = f"{col_name!r} is not the name of a predefined column of table {name!r}"
                raise TableShapeError(msg)
            region = region_of(self[col_name])
            if region is None:
                msg = (
                    f"{self._what}: column {col_name!r} must be a DynamicTableRegion "
                    f"to have a target table"
                )
                raise TableShapeError(msg)
            region.table = target
        for meanings_table in meanings_tables:
            self.add_meanings_table(meanings_table)

    # -- predefined columns (``__columns__``, as in hdmf) -----------------------------------

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__columns__", ())
        if not isinstance(own, tuple):
            msg = f"'__columns__' must be of type tuple, found {type(own)}"
            raise TypeError(msg)
        for spec in own:
            if not isinstance(spec, Mapping) or "name" not in spec:
                msg = f"{cls.__name__}.__columns__: each entry must be a dict with a 'name'"
                raise TypeError(msg)

    @classmethod
    def _predefined(cls) -> dict[str, Mapping[str, Any]]:
        """The ``__columns__`` of this class and its bases (bases first), by name."""
        out: dict[str, Mapping[str, Any]] = {}
        for klass in reversed(cls.__mro__):
            for spec in klass.__dict__.get("__columns__", ()):
                out[spec["name"]] = spec
        return out

    def _add_predefined(
        self,
        name: str,
        *,
        table: DynamicTable | None = None,
        data: ArrayLike = None,
        dtype: DtypeLike = None,
    ) -> None:
        spec = self._predefined()[name]
        self.add_column(
            name,
            str(spec.get("description", "")),
            data,
            table=table if table is not None else bool(spec.get("table", False)),
            index=spec.get("index", False),
            enum=spec.get("enum", False),
            col_cls=spec.get("class"),
            dtype=dtype,
        )

    def _add_required(self, name: str) -> None:
        """Create the required predefined column ``name`` (not given): empty, its type left
        to its first values as hdmf leaves it (a spec's ``float32`` is a least: Python
        floats stay float64), or, on a table with rows, all nulls typed by the spec's
        ``dtype`` (which validation reports)."""
        spec = self._predefined()[name]
        if not len(self.id) or spec.get("dtype") is None:
            self._add_predefined(name)
            return
        self._add_predefined(name, dtype=spec.get("dtype"))
        self._cols[name].get_target_data()._buf.allow_widening()

    # -- structure -----------------------------------------------------------------------------

    def _attach(self, top: VectorData) -> None:
        name = top.get_target_data().name
        if hasattr(type(self), name) or name in self.__dict__:
            self._attach_warning(name)
        self._plan = None
        self._cols[top.get_target_data().name] = top
        for part in parts(top):
            self._parts[part.name] = part
        self._adopt(top)

    def _stored_columns(self, names: Sequence[str], source: StoredColumns) -> None:
        """Add the columns ``names`` of a stored table (after the columns it has), each made
        by ``source`` when first used: opening a table of many columns makes none of them.
        Lengths are the reader's to check (the store's counts)."""
        for name in names:
            if hasattr(type(self), name) or name in self.__dict__:
                self._attach_warning(name)
        cols = ColumnMap(dict(self._cols), names, source, self._made)
        self._cols = cols
        self._parts = PartMap(dict(self._parts), cols)
        self._plan = None

    def _made(self, top: VectorData) -> None:
        """A stored column just made (see ``_stored_columns``): its parts join the table."""
        for part in parts(top):
            self._parts[part.name] = part
        self._adopt(top)

    def _attach_warning(self, name: str) -> None:
        msg = (
            f"An attribute {name!r} already exists on {self._what} so this column cannot be "
            f"accessed as an attribute, e.g., table.{name}; it can only be accessed using "
            f"other methods, e.g., table[{name!r}]."
        )  # hdmf's wording, so that code filtering this warning keeps working
        warnings.warn(msg, UserWarning, stacklevel=5)

    @property
    def _what(self) -> str:
        """This table in messages: its own type and name (``SubTable 'units'``)."""
        return f"{type(self).__name__} {self.name!r}"

    @property
    def colnames(self) -> tuple[str, ...]:
        """Column names, without index (``*_index``) and element (``*_elements``) datasets."""
        return tuple(self._cols)

    @property
    def columns(self) -> tuple[VectorData, ...]:
        """Every column dataset, indexes before their targets, as hdmf lists them."""
        return tuple(p for top in self._cols.values() for p in parts(top))  # type: ignore[misc]

    @property
    def children(self) -> tuple[Container, ...]:
        return (self.id, *self._cols.values())

    def __len__(self) -> int:
        return len(self.id._buf)

    def __contains__(self, name: object) -> bool:
        return name in self._parts

    def __getattr__(self, name: str) -> Any:
        # only called when normal lookup fails: columns are attributes, as in hdmf
        cols = self.__dict__.get("_cols", {})
        if name in cols:
            return cols[name]
        parts = self.__dict__.get("_parts", {})
        if name in parts:
            return parts[name]
        if "_cols" in self.__dict__ and name in self._predefined():
            return None  # an optional predefined column not added yet (hdmf sets None)
        msg = f"{type(self).__name__!r} object has no attribute or column {name!r}"
        raise AttributeError(msg)

    def __dir__(self) -> Iterable[str]:
        return [*super().__dir__(), *self._cols]

    # -- meanings (hdmf-common 1.10): kept as the group 'meanings_tables' among the members --

    @property
    def meanings_tables(self) -> dict[str, DynamicTable]:
        """The MeaningsTables of this table's columns, by name (a copy)."""
        group = self.members.get("meanings_tables")
        return {c.name: c for c in getattr(group, "children", ()) if isinstance(c, DynamicTable)}

    @meanings_tables.setter
    def meanings_tables(self, tables: Iterable[DynamicTable]) -> None:
        """Replace the MeaningsTables; if one is refused, the table keeps the ones it had."""
        old = self.members.pop("meanings_tables", None)
        try:
            for table in tables:
                self.add_meanings_table(table)
        except Exception:
            if old is None:
                self.members.pop("meanings_tables", None)
            else:
                self.members["meanings_tables"] = old
            raise

    def add_meanings_table(self, meanings_table: DynamicTable) -> None:
        """Add the MeaningsTable of one of this table's columns (named ``<column>_meanings``,
        its ``target`` that column)."""
        target = getattr(meanings_table, "target", None)
        if target is None or meanings_table.data_type != "MeaningsTable":
            msg = (
                f"{self._what}: add_meanings_table takes a MeaningsTable with a "
                f"target column, found {meanings_table!r:.80}"
            )
            raise TypeError(msg)
        if meanings_table.name in self.meanings_tables:
            msg = f"MeaningsTable '{meanings_table.name}' already exists in this DynamicTable"
            raise ValueError(msg)
        if target.name not in self._cols or self._cols[target.name].get_target_data() is not (
            target.get_target_data()
        ):
            msg = (
                f"MeaningsTable target '{target.name}' is not a column in DynamicTable "
                f"'{self.name}'"
            )
            raise ValueError(msg)
        from hdmf_arrow.common._generic import Group

        group = self.members.get("meanings_tables")
        if group is None:
            group = self.members["meanings_tables"] = Group("meanings_tables")
            group.parent = self
        group.add_container(meanings_table)  # type: ignore[attr-defined]

    def get_meanings_table(self, name: str) -> DynamicTable:
        """The MeaningsTable called ``name``; KeyError if there is none."""
        found = self.meanings_tables.get(name)
        if found is None:
            msg = f"MeaningsTable '{name}' not found in DynamicTable '{self.name}'"
            raise KeyError(msg)
        return found

    def get_meanings_for_column(self, col_name: str) -> DynamicTable | None:
        """The MeaningsTable of column ``col_name`` (None if it has none; KeyError if the
        table has no such column)."""
        if col_name not in self._cols:
            msg = f"Column '{col_name}' not found in DynamicTable '{self.name}'"
            raise KeyError(msg)
        return self.meanings_tables.get(f"{col_name}_meanings")

    def get_column(self, name: str) -> VectorData:
        """The column object (the outermost VectorIndex for ragged columns).

        Raises
        ------
        ColumnNotFoundError
            If there is no such column (a ``KeyError``).
        """
        col = self._parts.get(name)
        if col is None or isinstance(col, ElementIdentifiers):
            msg = f"{self._what} has no column {name!r}. Columns: {list(self.colnames)}"
            raise ColumnNotFoundError(msg)
        top = self._cols.get(name)
        return top if top is not None else col  # type: ignore[return-value]

    def get_foreign_columns(self) -> list[str]:
        """Names of the region (DynamicTableRegion) columns."""
        return [n for n, c in self._cols.items() if region_of(c) is not None]

    def has_foreign_columns(self) -> bool:
        return bool(self.get_foreign_columns())

    def get_linked_tables(
        self, other_tables: Sequence[DynamicTable] | None = None
    ) -> list[TableLink]:
        """Every region column reachable from this table (and ``other_tables``), directly or
        through the tables those columns point at, as hdmf lists them: ``(source_table,
        source_column, target_table)`` tuples, breadth first, each table visited once.

        >>> target = DynamicTable(name="electrodes", description="e", id=[0, 1])
        >>> units = DynamicTable(name="units", description="u")
        >>> units.add_column("electrode", "where", data=[1], table=target)
        >>> [(s.name, c.name, t.name) for s, c, t in units.get_linked_tables()]
        [('units', 'electrode', 'electrodes')]
        """
        tables: list[DynamicTable] = [self, *(other_tables or ())]
        links: list[TableLink] = []
        for source in tables:  # grows while it is walked: breadth first
            for column in source.columns:
                if isinstance(column, DynamicTableRegion) and column.table is not None:
                    links.append(TableLink(source, column, column.table))
                    if not any(t is column.table for t in tables):
                        tables.append(column.table)
        return links

    def create_region(
        self, name: str, region: slice | Sequence[int], description: str
    ) -> DynamicTableRegion:
        """A DynamicTableRegion over rows of this table."""
        if isinstance(region, slice):
            start, stop, step = region.indices(len(self))
            if region.stop is not None and region.stop > len(self):
                msg = f"{self._what}: region {region} is out of range ({len(self)} rows)"
                raise RowIndexError(msg)
            region = range(start, stop, step)  # type: ignore[assignment]
        return DynamicTableRegion(name, list(region), description, table=self)

    # -- adding columns ------------------------------------------------------------------------

    def add_column(
        self,
        name: str,
        description: str,
        data: ArrayLike = None,
        table: bool | DynamicTable = False,
        index: bool | int | ArrayLike = False,
        enum: bool | ArrayLike = False,
        col_cls: type[VectorData] | None = None,
        check_ragged: bool = True,
        *,
        dtype: DtypeLike = None,
        unit: str | None = None,
        resolution: float | None = None,
        conversion: float | None = None,
    ) -> None:
        """Add a column, with or without data.

        Parameters
        ----------
        name, description
            The column's name and what it holds.
        data
            One value per row (nested sequences for ragged columns; ``DynamicTableRegion``
            objects for a column of regions). Without data on a table that has rows, the
            column is filled with nulls; the first column given data on an empty table sets
            the row count (ids ``0..n-1``).
        table
            A DynamicTable (or True, to set it later): the column holds row positions into it.
        index
            True (or 1) for a ragged column, 2 for a doubly ragged one; or explicit end
            offsets for flat ``data``, as in hdmf.
        enum
            True, or the list of allowed values: a categorical (EnumData) column.
        col_cls
            A VectorData subclass to use for the column.
        check_ragged
            Accepted for hdmf compatibility; ragged data without ``index`` is always refused.
        dtype
            The type of the values: ``"int"`` (int64), ``"float"`` (float64), ``"float32"``,
            ``"text"``, ``"bool"``, ``"isodatetime"``, a numpy dtype or an Arrow type.
        unit, resolution, conversion
            VectorData attributes.

        Raises
        ------
        DuplicateColumnError, TableShapeError, CellTypeError, CellValueError, RegionIndexError
            The table is unchanged when any of these is raised.
        """
        if name in self._parts or name == self.id.name:
            msg = f"column {name!r} already exists in {self._what}"
            raise DuplicateColumnError(msg)
        check_column_name(name, table=self.name)
        spec = self._predefined().get(name)
        if spec is not None:  # a predefined column: its definition fills what is not given
            self._warn_mismatch(name, spec, table=table, index=index, col_cls=col_cls)
            table = table if table is not False else bool(spec.get("table", False))
            index = index if index is not False else spec.get("index", False)
            enum = enum if enum is not False else spec.get("enum", False)
            col_cls = col_cls or spec.get("class")
        try:
            top = build_column(
                name, description, data, table=table, index=index, enum=enum,
                col_cls=col_cls, dtype=dtype,
                attrs={"unit": unit, "resolution": resolution, "conversion": conversion},
            )  # fmt: skip
        except HdmfArrowError as exc:
            raise with_context(exc, self._what) from None
        check_values(top, table=self.name)
        n, m = len(self), len(top)
        first_data = data is not None and n == 0 and not any(len(c) for c in self._cols.values())
        if data is None:
            top._fill_nulls(n)
        elif m != n and not first_data:
            msg = (
                f"column {name!r} must have the same number of rows as 'id' in DynamicTable "
                f"{self.name!r}: the table has {n} rows, the data has {m}"
            )
            raise TableShapeError(msg)
        if first_data and m:
            for col in self._cols.values():
                col._fill_nulls(m)
            self.id.extend(np.arange(m))
        clash = {p.name for p in parts(top) if p.name in self._parts}
        if clash:
            msg = f"column(s) {sorted(clash)} already exist in {self._what}"
            raise DuplicateColumnError(msg)
        self._attach(top)

    def _warn_mismatch(
        self,
        name: str,
        spec: Mapping[str, Any],
        *,
        table: object,
        index: object,
        col_cls: type[VectorData] | None,
    ) -> None:
        """Warn, in hdmf's words, when add_column's arguments contradict the column's
        ``__columns__`` definition (the arguments win, as in hdmf)."""
        given = {  # spec key -> (add_column's argument, whether it was given, its value)
            "table": ("table", table is not False and table is not None, None),
            "index": ("index", not (index is False or index is None or index == 0), None),
            "class": ("col_cls", col_cls is not None, col_cls),
        }
        for key, (argument, entered, value) in given.items():
            expected = spec.get(key) if key == "class" else bool(spec.get(key, False))
            if key == "class":
                contradicts = entered and expected is not None and value is not expected
            else:
                contradicts = entered and entered != expected
            if contradicts:
                msg = (
                    f"Column {name!r} is predefined in {type(self).__name__} with {key}="
                    f"{expected} which does not match the entered {argument} argument. The "
                    f"predefined {key} spec will be ignored. Please ensure the new column "
                    f"complies with the spec. This will raise an error in a future version of "
                    f"HDMF."
                )
                warnings.warn(msg, UserWarning, stacklevel=3)

    # -- adding rows ---------------------------------------------------------------------------

    def add_row(
        self,
        data: Mapping[str, object] | None = None,
        id: int | None = None,
        enforce_unique_id: bool = False,
        check_ragged: bool = True,
        **kwargs: object,
    ) -> None:
        """Append one row: a value for every column (``None`` for a missing value).

        Every value is checked before any is appended, so a refused row leaves the table
        exactly as it was. Numpy values give the table their Python equivalents give
        (``np.float64(0.5)`` as ``0.5``, an array as its ``tolist()``), as fast.

        Raises
        ------
        TableShapeError
            A column is missing from the row, or the row names unknown columns.
        CellTypeError, CellValueError, RegionIndexError
            A value does not fit its column (the message names the column).
        DuplicateIdError
            ``enforce_unique_id=True`` and the id is already in the table.

        Examples
        --------
        >>> import numpy as np
        >>> units = DynamicTable(name="units", description="sorted units")
        >>> units.add_column("depth", "depth (um)")
        >>> units.add_column("spike_times", "spike times (s)", index=True)
        >>> units.add_row(depth=20.5, spike_times=[0.5, 1.5])
        >>> units.add_row(depth=np.float64(31.0), spike_times=np.array([2.5], dtype=np.float32))
        >>> units["spike_times"][:], units.to_arrow().column("depth").type
        ([[0.5, 1.5], [2.5]], DataType(double))
        """
        plan = self._plan or self._make_plan()
        if plan.fast_row is not None and data is None and not enforce_unique_id:
            # the fast path (see _rows.py): the common row, with no conversion to make
            row_id = len(self.id._buf) if id is None else _fast_id(id)
            if row_id is not None and plan.fast_row(kwargs, row_id):
                return
        row = {**data, **kwargs} if data is not None else kwargs
        if "id" in row and id is None:
            row = dict(row)
            id = row.pop("id")  # type: ignore[assignment]
        append = self._prepare_row(row, id, enforce_unique_id=enforce_unique_id)
        if append is None:  # keys differ from the columns: new optional columns, or an error
            self._add_row_with_new_columns(row, id, enforce_unique_id=enforce_unique_id)
            return
        append()

    def _prepare_row(
        self, row: Mapping[str, object], id: object, *, enforce_unique_id: bool
    ) -> Callable[[], None] | None:
        """Check a row against every column, changing nothing, and return the function that
        appends it (it cannot fail); None if the row's keys are not the columns. Raises what
        ``add_row`` raises for a refused value or id."""
        plan = self._plan or self._make_plan()
        names, checks = plan.names, plan.checks
        if len(row) != len(names):
            return None
        try:
            values = [row[n] for n in names]
        except KeyError:
            return None
        if id is None:
            row_id = len(self.id._buf)
        elif type(id) is int or isinstance(id, np.integer):
            row_id = int(id)
            if not _INT64_MIN <= row_id <= _INT64_MAX:
                msg = (
                    f"{self._what}: row id {row_id} is beyond int64 (ids are "
                    f"int64, in [{_INT64_MIN}, {_INT64_MAX}])"
                )
                raise CellValueError(msg)
        else:
            msg = f"{self._what}: row id must be an int, found {type(id).__name__}"
            raise CellTypeError(msg)
        if enforce_unique_id:
            if self._id_set is None or self._id_set_rows != len(self.id):
                self._id_set = set(self.id.data.tolist())  # rebuilt if ids changed elsewhere
                self._id_set_rows = len(self.id)
            if row_id in self._id_set:
                msg = f"{self._what}: id {row_id} already in the table"
                raise DuplicateIdError(msg)
        references: list[str] = []
        try:
            cells = list(map(call, checks, values))  # every cell is checked first ...
        except HdmfArrowError:
            # containers given for reference columns (only looked for once a check failed,
            # so that other rows pay nothing): their object ids, checked again
            references = self._reference_columns(names, values)
            if not references:
                self._raise_cell_error(names, checks, values)
            values = [v.object_id if isinstance(v, Container) else v for v in values]
            try:
                cells = list(map(call, checks, values))
            except HdmfArrowError:
                self._raise_cell_error(names, checks, values)

        def append() -> None:
            for name in references:
                self._cols[name].reftype = "object"
            for append_cell, cell in zip(plan.appends, cells, strict=True):  # ... then appended
                append_cell(cell)
            plan.append_id(row_id)
            if self._id_set is not None:
                self._id_set.add(row_id)
                self._id_set_rows += 1
            if plan.retypes != ColumnBuffer.retypes:  # a type widened: rebuild the fast path
                self._plan = None

        return append

    def extend(self, rows: object) -> None:
        """Append many rows at once: a DynamicTable, a pandas or polars DataFrame, or an Arrow
        table or record batch, with exactly this table's columns. Each column is converted in
        bulk (no per-row loop); a refused batch leaves the table unchanged.

        Ids come from an ``id`` column (for pandas, an index named ``id``); without one they
        continue from the row count, as ``add_row`` numbers rows.

        >>> t = DynamicTable(name="t", description="d")
        >>> t.add_column("x", "x", data=[1, 2])
        >>> t.add_column("s", "s", data=[[0.5], []], index=True)
        >>> import pyarrow as pa
        >>> t.extend(pa.table({"x": [3], "s": [[1.5, 2.5]]}))
        >>> t["s"][2], t.id.data.tolist()
        ([1.5, 2.5], [0, 1, 2])
        """
        from hdmf_arrow.common import _extend

        batch = self._batch(rows)
        names = [n for n in batch.column_names if n != self.id.name]
        if set(names) != set(self._cols):
            missing = sorted(set(self._cols) - set(names))
            extra = sorted(set(names) - set(self._cols))
            msg = (
                f"{self._what}: the rows to append must have the table's columns; missing "
                f"{missing}, not in the table {extra}"
            )
            raise TableShapeError(msg)
        n = batch.num_rows
        if self.id.name in batch.column_names:
            ids = batch.column(self.id.name)
            if not pa.types.is_integer(ids.type) or ids.null_count:
                msg = f"{self._what}: appended ids must be integers without nulls, found {ids.type}"
                raise CellTypeError(msg)
            new_ids = as_array(ids).cast(pa.int64())
        else:
            start = len(self.id._buf)
            new_ids = pa.array(np.arange(start, start + n, dtype=np.int64))
        appends = [
            _extend.prepare(self._cols[c], batch.column(c), where=self._what) for c in names
        ]  # every column checked before anything is appended
        for append in appends:
            append()
        self.id._buf.extend_array(new_ids)
        self._id_set = None
        self._plan = None

    def _batch(self, rows: object) -> pa.Table:
        """Rows given to ``extend`` as an Arrow table."""
        if isinstance(rows, DynamicTable):
            return rows.to_arrow()
        if isinstance(rows, pa.RecordBatch):
            return pa.Table.from_batches([rows])
        if isinstance(rows, pa.Table):
            return rows
        module = type(rows).__module__.split(".")[0]
        if module == "pandas":
            frame, id_name = _frames().from_pandas(rows, index_column=None, table=self.name)  # type: ignore[arg-type]
            named = rows.index.name == self.id.name  # type: ignore[attr-defined]
            return frame if named else frame.drop_columns([id_name])
        if module == "polars":
            return rows.to_arrow()  # type: ignore[attr-defined,no-any-return]
        msg = (
            f"{self._what}: extend takes a DynamicTable, a pandas or polars DataFrame or an "
            f"Arrow table, found {type(rows).__name__}"
        )
        raise CellTypeError(msg)

    def _reference_columns(self, names: Sequence[str], values: Sequence[object]) -> list[str]:
        """The columns given a container in this row that may hold references to containers
        (plain columns that already do, or have no values yet)."""
        out = []
        for name, value in zip(names, values, strict=True):
            if isinstance(value, Container):
                col = self._cols[name]
                plain = type(col) is VectorData and col.index_depth == 0
                if plain and (col.reftype == "object" or not len(col)):
                    out.append(name)
        return out

    def _add_row_with_new_columns(
        self, row: Mapping[str, object], row_id: int | None, *, enforce_unique_id: bool
    ) -> None:
        """A row that names optional predefined columns not added yet: add them (null-filled),
        append the row, and take them back if it is refused. Other mismatches raise."""
        added = [k for k in row if k not in self._cols and k in self._predefined()]
        if not added:
            self._raise_row_keys(row)
        for name in added:
            self._add_predefined(name)
        try:
            self.add_row(row, id=row_id, enforce_unique_id=enforce_unique_id)
        except BaseException:
            for name in added:
                self._detach(name)
            raise

    def _detach(self, name: str) -> None:
        top = self._cols.pop(name)
        for part in parts(top):
            self._parts.pop(part.name, None)
        self._plan = None

    def _make_plan(self) -> RowPlan:
        self._plan = RowPlan(self._cols, self.id)
        return self._plan

    def _raise_cell_error(
        self, names: Sequence[str], checks: Sequence[_Check], values: list[object]
    ) -> NoReturn:
        """Re-run the checks one by one to name the column whose value was refused."""
        for name, check, value in zip(names, checks, values, strict=True):
            try:
                check(value)
            except HdmfArrowError as exc:
                where = f"{self._what}, column {name!r}"
                raise with_context(exc, where) from None
        msg = f"{self._what}: a row value was refused, then accepted on re-check"
        raise AssertionError(msg)

    def _raise_row_keys(self, row: Mapping[str, object]) -> NoReturn:
        missing = [c for c in self._cols if c not in row]
        extra = sorted(set(row) - set(self._cols))
        if missing:
            msg = (
                f"{self._what}: column {missing[0]!r} missing from the row "
                f"(missing: {missing}). Hint: pass a value for every column, None for a "
                f"missing value."
            )
        else:
            msg = (
                f"{self._what}: row data keys don't match available columns; "
                f"you supplied {len(extra)} extra key(s): {extra}. Hint: add_column() first."
            )
        raise TableShapeError(msg)

    # -- Arrow ---------------------------------------------------------------------------------

    def to_arrow(self, columns: Sequence[str] | None = None) -> pa.Table:
        """The table as a ``pyarrow.Table``: ``id`` then one column per colname (or per name
        in ``columns``, in that order), no copies.

        The schema metadata key ``hdmf`` holds the JSON document of docs/format.md (column
        descriptions, region targets, object ids), so ``from_arrow`` restores the table.

        >>> t = DynamicTable(name="t", description="d")
        >>> t.add_column("x", "x", data=[1, 2]); t.add_column("y", "y", data=["a", "b"])
        >>> t.to_arrow(columns=["y"]).column_names
        ['id', 'y']
        """
        names = self._selected(columns)
        cols = self._cols
        lazy = cols if isinstance(cols, ColumnMap) else None
        if self._source is not None:  # unread stored columns: one pass over each file
            unread = [] if self.id._loaded else [self.id.name]
            for n in names:
                if lazy is not None and lazy.is_pending(n):
                    if not lazy.source.is_read(n):
                        unread.append(n)
                elif not cols[n]._loaded:
                    unread.append(n)
            self._source.prefetch(unread)
        arrays = [self.id.to_arrow()]
        for n in names:
            # a stored column not made yet is not made for this (a wide table has many)
            arr = lazy.source.plain_array(n) if lazy is not None and lazy.is_pending(n) else None
            arrays.append(cols[n].to_arrow() if arr is None else arr)
        return self._arrow_table(arrays, names)

    def _selected(self, columns: Sequence[str] | None) -> list[str]:
        """The column names ``columns`` selects (all when None), each checked."""
        if columns is None:
            return list(self._cols)
        if isinstance(columns, str):
            columns = [columns]
        for name in columns:
            if name not in self._cols:
                msg = f"{self._what} has no column {name!r}. Columns: {list(self.colnames)}"
                raise ColumnNotFoundError(msg)
        return list(dict.fromkeys(columns))

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        """The Arrow PyCapsule stream protocol: ``pa.table(t)``, ``pl.DataFrame(t)`` and
        DuckDB's ``SELECT * FROM t`` read the table (as ``to_arrow()``) without a copy."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    def table_meta(self, columns: Sequence[str] | None = None) -> TableMeta:
        """The ``hdmf`` metadata document of this table (docs/format.md), for its columns or
        those named."""
        names = list(self._cols) if columns is None else list(columns)
        return TableMeta(
            name=self.name,
            description=self.description,
            data_type=self.data_type,
            namespace=self.namespace,
            object_id=self.object_id,
            id_object_id=self.id.object_id,
            columns={n: self._column_meta(n) for n in names},
        )

    def _column_meta(self, name: str) -> ColumnMeta:
        cols = self._cols
        if isinstance(cols, ColumnMap) and cols.is_pending(name):
            return cols.source.meta(name)  # as stored: nothing changed it
        return column_meta(cols[name])

    @classmethod
    def from_arrow(
        cls,
        table: pa.Table | pa.RecordBatch,
        name: str | None = None,
        description: str | None = None,
        *,
        target_tables: Mapping[str, DynamicTable] | None = None,
        id_column: str = "id",
        object_id: str | None = None,
    ) -> DynamicTable:
        """A new table from whole Arrow columns, without a per-row loop.

        ``list`` columns (and list views) become ragged columns (one VectorIndex per list
        level), dictionary columns EnumData, and columns the ``hdmf`` metadata marks as
        regions become DynamicTableRegion columns pointing at ``target_tables[column]``. The
        id column (``id_column``) becomes the row ids; without it ids are ``0..n-1``.

        The table is a new object, so that it and the table the Arrow data came from can be
        in one tree: it and every part of it (ids, columns, indexes, enum elements) get new
        object ids. ``object_id`` names the table's id instead; naming the id the ``hdmf``
        metadata records (the source table's ``object_id``) restores the recorded ids of
        every part too, for a table that replaces its source.

        Raises
        ------
        InvalidNameError
            A column name that cannot name a column (empty, ``id``, control characters).
        CellTypeError, CellValueError
            A column of a type no store can write (unions, ...), or values that are refused
            (see ``add_column``).
        InvalidObjectIdError
            ``object_id`` (or a restored id) that is not a valid object id.

        Examples
        --------
        >>> import pyarrow as pa
        >>> t = DynamicTable.from_arrow(pa.table({"x": [1, 2], "y": [[1.0], []]}), name="t")
        >>> t.colnames, t["y"].data_type, t["y"][0]
        (('x', 'y'), 'VectorIndex', [1.0])
        >>> copy = DynamicTable.from_arrow(t.to_arrow())
        >>> copy.name, copy.object_id != t.object_id, copy["x"].object_id != t["x"].object_id
        ('t', True, True)
        >>> same = DynamicTable.from_arrow(t.to_arrow(), object_id=t.object_id)
        >>> same["x"].object_id == t["x"].object_id
        True
        """
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        raw = (table.schema.metadata or {}).get(METADATA_KEY)
        meta = TableMeta.parse(raw, source=f"Arrow table {name!r}") if raw else None
        name = name if name is not None else (meta.name if meta else None)
        if name is None:
            msg = "DynamicTable.from_arrow: pass name=... (the Arrow table has no hdmf metadata)"
            raise TableShapeError(msg)
        if description is None:
            description = meta.description if meta else ""
        keep = meta is not None and object_id is not None and object_id == meta.object_id
        targets = dict(target_tables or {})
        columns: list[VectorData] = []
        for col_name in table.column_names:
            if col_name == id_column or (meta is not None and col_name == meta.row_column):
                continue  # the ids, or a stored file's row positions (format.md, 6.2)
            check_column_name(col_name, table=name)
            col_meta = meta.columns.get(col_name, ColumnMeta()) if meta else None
            arr = as_array(table.column(col_name))
            try:
                column = column_from_arrow(
                    col_name, arr, col_meta, targets.get(col_name), keep_ids=keep
                )
            except HdmfArrowError as exc:
                raise with_context(exc, f"{cls.__name__} {name!r}") from None
            columns.append(column)
        ids = as_array(table.column(id_column)) if id_column in table.column_names else None
        id_obj = ElementIdentifiers(
            id_column,
            np.arange(table.num_rows) if ids is None else ids,
            object_id=meta.id_object_id if keep and meta is not None else None,
        )
        return cls(name, description, id=id_obj, columns=columns, object_id=object_id)

    def to_polars(self) -> pl.DataFrame:
        """The table as a polars DataFrame (``id`` first; enum columns become ``pl.Enum``).

        ``pl.Enum`` keeps every element, used or not, in order; polars' ``Categorical``
        would keep only the values that occur.
        """
        import polars as pl

        df: pl.DataFrame = pl.from_arrow(self.to_arrow())  # type: ignore[assignment]
        return df.with_columns(self._polars_enums()) if self._polars_enums() else df

    def scan(self, *, row_column: str | None = None) -> pl.LazyFrame:
        """A polars LazyFrame over the table; with ``row_column``, also each row's position
        in the table (0, 1, ...), the values a region column into this table holds.

        For a table read from a store, with nothing added since, it scans the Parquet files
        of that version, so polars pushes filters and projections down to them (the row
        positions are a column of the files); otherwise it is the in-memory table. Enum
        columns are ``pl.Enum``.

        >>> import polars as pl
        >>> t = DynamicTable(name="t", description="d"); t.add_column("x", "x", data=[1, 5])
        >>> t.scan().filter(pl.col("x") > 2).collect()["x"].to_list()
        [5]
        >>> t.scan(row_column="_row").collect()["_row"].to_list()
        [0, 1]
        """
        import polars as pl

        source = self._source
        committed = all(c._committed_rows() == len(c) for c in (self.id, *self._cols.values()))
        if source is not None and committed and source.num_rows == len(self):
            lazy = source.scan(rows=row_column)
            enums = self._polars_enums()
            return lazy.with_columns(enums) if enums else lazy
        lazy = self.to_polars().lazy()
        if row_column is None:
            return lazy
        return lazy.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(row_column))

    def to_dask(self, *, blocksize: int | None = 128 * 2**20) -> dd.DataFrame:
        """A Dask DataFrame of the table, indexed by id, equal after ``.compute()`` to
        ``to_dataframe(index=True)``: the same columns, dtypes and cells. Ragged and N-D cells
        are the numpy arrays ``to_dataframe`` gives, in object columns (1-D for one index
        level or a 1-D row, 2-D for a ragged cell of N-D rows, an object array of arrays for
        two index levels or rows of 2-D values; None for a null cell), never lists or text:
        Dask's ``convert-string`` option is not applied to them. Region cells are row
        positions, enum columns ``Categorical`` with every element as a category, in order,
        integer columns with nulls pandas' nullable dtypes.

        For a table read from a store, with nothing added since, it reads the Parquet files
        of that version: one partition per file, or per run of row groups of at most
        ``blocksize`` bytes as stored (None: per file), only the table's columns, and only
        those a computation uses. Every file's footer is checked against the manifest first.
        Otherwise (and for memory:// stores, which other processes cannot reach) it is the
        in-memory table as one partition. Divisions are unknown: ids need not be sorted.

        Raises
        ------
        MissingDependencyError
            dask.dataframe is not installed.
        CorruptStoreError
            A data file that does not match the manifest.

        Examples
        --------
        >>> t = DynamicTable(name="t", description="d"); t.add_column("x", "x", data=[1, 5])
        >>> ddf = t.to_dask()
        >>> int(ddf["x"].sum().compute()), ddf.compute().equals(t.to_dataframe(index=True))
        (6, True)
        """
        try:
            import dask
            import dask.dataframe
        except ImportError as exc:
            msg = (
                f"{self._what}: to_dask() needs dask.dataframe, which cannot be imported "
                f"({exc}). Hint: pip install 'dask[dataframe]'."
            )
            raise MissingDependencyError(msg) from None
        source = self._source
        committed = all(c._committed_rows() == len(c) for c in (self.id, *self._cols.values()))
        # a subclass with its own frame (AlignedDynamicTable's) gets that frame
        own_frame = type(self).to_dataframe is DynamicTable.to_dataframe
        if source is not None and committed and own_frame and source.num_rows == len(self):
            elements: dict[str, pa.Array] = {}
            for n, c in self._cols.items():
                base = c.get_target_data()
                if isinstance(base, EnumData):
                    elements[n] = base.elements_data.to_arrow()
            return source.to_dask([self.id.name, *self._cols], elements, blocksize=blocksize)
        frame = self.to_dataframe(index=True)
        with dask.config.set({"dataframe.convert-string": False}):  # ragged cells are arrays
            out: dd.DataFrame = dask.dataframe.from_pandas(frame, npartitions=1, sort=False)  # type: ignore[no-untyped-call]
        return out

    def _polars_enums(self) -> list[pl.Expr]:
        import polars as pl

        return [
            pl.col(n)
            .cast(pl.Array(pl.String, c.cell_shape))  # an N-D EnumData: through text
            .cast(pl.Array(pl.Enum([str(e) for e in c.elements]), c.cell_shape))
            if c.cell_shape
            else pl.col(n).cast(pl.Enum([str(e) for e in c.elements]))
            for n, c in self._cols.items()
            if isinstance(c, EnumData) and pa.types.is_string(c.elements_data.dtype)
        ]

    @classmethod
    def from_polars(
        cls,
        df: pl.DataFrame,
        name: str,
        description: str = "",
        *,
        target_tables: Mapping[str, DynamicTable] | None = None,
        id_column: str = "id",
        object_id: str | None = None,
    ) -> DynamicTable:
        """A new table from a polars DataFrame (see :meth:`from_arrow`); it gets new object
        ids, the table ``object_id`` when given."""
        return cls.from_arrow(
            df.to_arrow(),
            name,
            description,
            target_tables=target_tables,
            id_column=id_column,
            object_id=object_id,
        )

    # -- pandas --------------------------------------------------------------------------------

    def to_dataframe(
        self,
        exclude: Iterable[str] | None = None,
        index: bool = False,
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """The table as a pandas DataFrame indexed by id.

        With ``index=False`` (hdmf's default), each region cell is a DataFrame of the rows it
        points at; with ``index=True`` it is the row position(s). Ragged cells are numpy arrays,
        enum columns are ``Categorical``, integer columns with nulls use pandas' nullable dtypes.
        ``columns`` selects columns (in that order; from a store only those are read),
        ``exclude`` drops some.

        >>> t = DynamicTable(name="t", description="d")
        >>> t.add_column("x", "x", data=[1, 2]); t.add_column("y", "y", data=["a", "b"])
        >>> t.to_dataframe(columns=["y"]).columns.tolist()
        ['y']
        """
        drop = set(exclude or ())
        names = [n for n in self._selected(columns) if n not in drop]
        return self._frame(slice(0, len(self)), index=index, names=names)

    to_pandas = to_dataframe  # the name pyarrow and polars use

    def _frame(
        self,
        rows: Rows,
        *,
        index: bool,
        names: Sequence[str] | None = None,
        seen: frozenset[int] = frozenset(),
    ) -> pd.DataFrame:
        names = list(self._cols) if names is None else names
        columns: list[Data] = [self.id, *(self._cols[n] for n in names)]
        labels = [self.id.name, *names]
        arrays = self._rows_arrow(labels, columns, rows)
        tbl = pa.Table.from_arrays(arrays, names=labels)
        regions = {n: r for n in names if (r := region_of(self._cols[n])) is not None}
        nullable = {
            n for n, c, a in zip(labels[1:], columns[1:], arrays[1:], strict=True)
            if a.type in _frames().NULLABLE and self._has_nulls(n, c)
        }  # fmt: skip
        frame: pd.DataFrame = _frames().to_pandas(
            tbl, regions=regions, nullable=nullable, index=index, seen=seen | {id(self)}
        )
        return frame

    def _rows_arrow(self, labels: list[str], columns: list[Data], rows: Rows) -> list[pa.Array]:
        """The selected rows of each column. Columns not read yet from a store are not read
        whole: the store hands over only the row groups that hold the rows."""
        source = self._source
        last = (rows.stop - 1) if isinstance(rows, slice) else (rows.max() if rows.size else -1)
        fetched: dict[str, pa.Array] = {}
        whole = isinstance(rows, slice) and rows.start == 0 and rows.stop >= len(self)
        if source is not None and whole:  # every row: read the columns once, and keep them
            source.prefetch([n for n, c in zip(labels, columns, strict=True) if not c._loaded])
        elif source is not None and last < source.num_rows:
            fetch = [n for n, c in zip(labels, columns, strict=True) if not c._loaded]
            fetched = dict(zip(fetch, source.rows(fetch, rows), strict=True)) if fetch else {}
        out = []
        for name, col in zip(labels, columns, strict=True):
            if name in fetched:
                arr = fetched[name]
                base = col.get_target_data() if isinstance(col, VectorData) else col
                if isinstance(base, EnumData) and col is base:
                    arr = base.decode_stored(arr)
            else:
                arr = col.to_arrow()
                if isinstance(rows, slice):
                    arr = arr.slice(rows.start, rows.stop - rows.start)
                else:
                    arr = arr.take(pa.array(rows, type=pa.int64()))
            out.append(arr)
        return out

    def _has_nulls(self, name: str, col: Data) -> bool:
        """Whether the whole column holds nulls, from the store's counts while unread."""
        if not col._loaded and self._source is not None:
            return self._source.has_nulls(name)
        return bool(col.to_arrow().null_count)

    @classmethod
    def from_dataframe(
        cls,
        df: pd.DataFrame,
        name: str,
        index_column: str | None = None,
        table_description: str = "",
        columns: Sequence[Mapping[str, Any]] | None = None,
        column_descriptions: Mapping[str, str] | None = None,
        *,
        target_tables: Mapping[str, DynamicTable] | None = None,
        object_id: str | None = None,
    ) -> DynamicTable:
        """A new table from a pandas DataFrame, column by column (no per-row loop).

        Ids come from the DataFrame's integer index (or ``index_column``). Object columns of
        lists or arrays become ragged columns, ``Categorical`` columns EnumData, missing
        values nulls. ``columns`` (hdmf's list of ``{"name", "description"}`` dicts) and
        ``column_descriptions`` set descriptions; ``target_tables`` makes region columns.
        Every part of the table gets a new object id; ``object_id`` names the table's.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"age": [8, 10], "spikes": [[0.1, 0.2], [0.3]]})
        >>> t = DynamicTable.from_dataframe(df, name="units")
        >>> t["spikes"][0], t["age"].data
        ([0.1, 0.2], array([ 8, 10]))
        """
        specs = {str(c["name"]): c for c in columns or ()}
        missing = sorted(set(specs) - {str(c) for c in df.columns})
        if missing:
            msg = (
                f"{cls.__name__} {name!r}: columns {missing} are specified but not in the "
                f"DataFrame (its columns: {[str(c) for c in df.columns]})"
            )
            raise TableShapeError(msg)
        required = [
            c for c, spec in cls._predefined().items() if spec.get("required") and c not in df
        ]
        if required:
            msg = f"{cls.__name__} {name!r}: the DataFrame is missing required columns {required}"
            raise TableShapeError(msg)
        tbl, id_name = _frames().from_pandas(df, index_column=index_column, table=name)
        for col_name, spec in specs.items():  # enum=True: a categorical column (EnumData)
            if spec.get("enum") and not pa.types.is_dictionary(tbl.schema.field(col_name).type):
                i = tbl.schema.get_field_index(col_name)
                tbl = tbl.set_column(i, col_name, tbl.column(col_name).dictionary_encode())
        out = cls.from_arrow(
            tbl,
            name,
            table_description,
            target_tables=target_tables,
            id_column=id_name,
            object_id=object_id,
        )
        order = list(out.colnames)
        for col_name, spec in specs.items():  # table=True (or a table): a region column
            target = spec.get("table", False)
            if target is not False and region_of(out[col_name]) is None:
                values = out[col_name].to_arrow()
                ragged = pa.types.is_list(values.type)
                out._detach(col_name)
                out.add_column(col_name, "", data=values, table=target, index=ragged)
        out._cols = {c: out._cols[c] for c in order}
        descriptions = {str(c["name"]): str(c.get("description", "")) for c in columns or ()}
        descriptions.update(column_descriptions or {})
        for col_name, text in descriptions.items():
            out.get_column(col_name).get_target_data().description = text
        return out

    # -- reading rows --------------------------------------------------------------------------

    @overload
    def __getitem__(self, key: str) -> VectorData: ...
    @overload
    def __getitem__(
        self, key: int | np.integer | slice | Sequence[int] | np.ndarray
    ) -> pd.DataFrame: ...
    @overload
    def __getitem__(self, key: tuple[object, object]) -> Any: ...
    def __getitem__(self, key: object) -> Any:
        """hdmf's indexing: ``t['col']`` a column, ``t[i]``/``t[i:j]``/``t[[...]]`` a DataFrame,
        ``t[i, 'col']`` a cell (for a region column, the rows it refers to, as a DataFrame),
        ``t[i, k]`` the k-th column (0 is the id)."""
        if isinstance(key, str):
            return self.get_column(key) if key != self.id.name else self.id
        return self.get(key)

    def get(
        self,
        key: object,
        default: object = None,
        df: bool = True,
        index: bool = True,
    ) -> Any:
        """Rows, a column or a cell (see ``__getitem__``); a missing column name gives
        ``default``. ``df=False`` returns ``[ids, col1, ...]`` lists; ``index=False`` puts the
        referenced rows (DataFrames) in region cells."""
        if isinstance(key, str):
            if key == self.id.name:
                return self.id
            return self._cols.get(key, self._parts.get(key, default))  # type: ignore[call-overload]
        if isinstance(key, tuple):
            return self._get_cell(key)
        rows = self._rows(key)
        frame = self._frame(rows, index=index)
        if df:
            return frame
        values: list[Any] = [frame.index.tolist(), *(frame[c].tolist() for c in frame.columns)]
        if isinstance(key, int | np.integer):
            return [v[0] for v in values]
        return values

    def _get_cell(self, key: tuple[object, ...]) -> Any:
        if len(key) != 2:
            msg = f"{self._what}: expected a (row, column) tuple, found {key!r:.60}"
            raise UnsupportedKeyError(msg)
        row, col = key
        if isinstance(col, int | np.integer):
            names = [self.id.name, *self._cols]
            if not -len(names) <= col < len(names):
                msg = f"{self._what}: column position {col} out of range"
                raise ColumnNotFoundError(msg)
            col = names[int(col)]
        if not isinstance(col, str):
            msg = f"{self._what}: unsupported column key {col!r:.40}"
            raise UnsupportedKeyError(msg)
        column = self.id if col == self.id.name else self.get_column(col)
        region = region_of(column) if isinstance(column, VectorData) else None
        if region is not None and region.table is not None:
            return column[row]  # as hdmf: the referenced rows (a DataFrame), not positions
        rows = self._rows(row)
        # only the row groups holding the rows are read from a store, not the column
        arr = self._rows_arrow([col], [column], rows)[0]
        if isinstance(row, int | np.integer):
            return arr[0].as_py()
        return arr.to_pylist()

    def _rows(self, key: object) -> Rows:
        """A row key -> a contiguous slice (step 1) or an array of non-negative positions."""
        return select_rows(key, len(self), table=self.name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._cols)

    # -- what a store writer needs -------------------------------------------------------------

    def _tail_arrow(self) -> pa.Table | None:
        """The rows added since the last commit (as a table with the ``hdmf`` metadata), or
        None when a column was added or changed since then and the table must be rewritten."""
        done = self.id._committed_rows()
        if any(c._committed_rows() != done for c in self._cols.values()):
            return None
        arrays = [self.id._tail_arrow(), *(c._tail_arrow() for c in self._cols.values())]
        return self._arrow_table(arrays)

    def _mark_committed(self) -> None:
        self.id._mark_committed()
        for col in self._cols.values():
            col._mark_committed()

    def _arrow_table(self, arrays: list[pa.Array], names: Sequence[str] | None = None) -> pa.Table:
        if arrays[0].null_count:
            msg = (
                f"{self._what}: {arrays[0].null_count} row id(s) are null; every "
                f"row needs an integer id"
            )
            raise TableShapeError(msg)
        names = list(self._cols) if names is None else list(names)
        rows = len(arrays[0])
        for name, arr in zip(names, arrays[1:], strict=True):
            if len(arr) != rows:  # a column changed alone (VectorData.append/extend)
                msg = (
                    f"{self._what}: column {name!r} has {len(arr)} rows, the table's ids "
                    f"{rows}; a column was changed on its own. Hint: add rows with add_row "
                    f"(or extend), which adds to every column at once"
                )
                raise TableShapeError(msg)
        fields = [pa.field(self.id.name, arrays[0].type, nullable=False)]
        fields += [pa.field(n, a.type) for n, a in zip(names, arrays[1:], strict=True)]
        meta = {METADATA_KEY: self.table_meta(names).to_json().encode()}
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=meta))

    # -- display -------------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        """The same name, description and content (as hdmf: their DataFrames, here with the
        row ids and region positions, are equal); a table always equals itself.

        Tables stay hashable by identity (``{table}`` and ``dict`` keys keep working), so two
        equal tables are two set members.

        >>> a = DynamicTable(name="t", description="d"); a.add_column("x", "x", data=[1, 2])
        >>> a == a.copy(), a is a.copy()
        (True, False)
        """
        if other is self:
            return True
        if not isinstance(other, DynamicTable):
            return False
        if (self.name, self.description) != (other.name, other.description):
            return False
        if self.colnames != other.colnames or len(self) != len(other):
            return False
        return bool(self.to_dataframe(index=True).equals(other.to_dataframe(index=True)))

    __hash__ = Container.__hash__

    def copy(self) -> DynamicTable:
        """A new table of the same type, name and content (new object ids; the values are
        shared, not copied: Arrow arrays are immutable). Region columns keep their targets."""
        targets = {
            name: region.table
            for name, col in self._cols.items()
            if (region := region_of(col)) is not None and region.table is not None
        }
        return type(self).from_arrow(
            self.to_arrow(), self.name, self.description, target_tables=targets
        )

    def __repr__(self) -> str:
        """A summary that fits a screen: name, size, column types (the first 12), and the
        first rows with long cells cut (``print(units)`` with long spike trains stays short)."""
        first = list(self._cols)[:12]  # names first: only these columns are made
        cols = ", ".join(f"{n}: {type_label(self._cols[n])}" for n in first)
        if len(self._cols) > 12:
            cols += f", ... ({len(self._cols) - 12} more)"
        head = f"{self.data_type} {self.name!r} ({len(self)} rows x {len(self._cols)} columns)"
        lines = [head, f"  description: {self.description:.200}"]
        lines += textwrap.wrap(
            cols or "(none)", width=96, initial_indent="  columns: ", subsequent_indent="    "
        )
        if len(self) and self._cols:
            shown = self._preview().to_string(max_colwidth=_CELL_WIDTH, max_cols=6)
            lines += ["  " + line for line in shown.splitlines()]
            if len(self) > _PREVIEW_ROWS:
                lines.append(f"  ... and {len(self) - _PREVIEW_ROWS} more row(s)")
        return "\n".join(lines)

    def _preview(self) -> pd.DataFrame:
        """The first rows of the first columns, for reprs."""
        names = list(self._cols)[:_PREVIEW_COLUMNS]
        return self._frame(slice(0, min(len(self), _PREVIEW_ROWS)), index=True, names=names)

    def _repr_html_(self) -> str:
        import pandas as pd

        with pd.option_context("display.max_colwidth", _CELL_WIDTH):
            shown = self._preview().to_html(max_cols=12) if len(self) and self._cols else ""
        more = (
            f"<p>... and {len(self) - _PREVIEW_ROWS} more row(s)</p>"
            if len(self) > _PREVIEW_ROWS
            else ""
        )
        title = html.escape(f"{self.data_type} {self.name!r}")
        about = html.escape(
            f"{len(self)} rows x {len(self._cols)} columns: {self.description:.200}"
        )
        return f"<b>{title}</b> ({about}){shown}{more}"


def _frames() -> ModuleType:
    """The pandas conversions, imported when first used (``import hdmf_arrow`` does not
    import pandas)."""
    from hdmf_arrow.common import _frame

    return _frame


_PREVIEW_ROWS = 5  # rows a repr shows
_PREVIEW_COLUMNS = 24  # columns a repr converts (pandas shows at most 6 of them, 12 in HTML)
_CELL_WIDTH = 40  # characters of a cell a repr shows

_SPEC_KEYS = {"name", "description", "index", "table", "enum", "dtype", "class", "required"}


def _column_spec(spec: Mapping[str, Any], table: str) -> dict[str, Any]:
    """A column spec given in ``columns=``, as add_column's keywords (``class`` is
    ``col_cls``; ``required`` says nothing about an empty column and is dropped)."""
    unknown = sorted(set(spec) - _SPEC_KEYS)
    if "name" not in spec or "description" not in spec or unknown:
        msg = (
            f"DynamicTable {table!r}: a column spec needs 'name' and 'description' and may "
            f"have {sorted(_SPEC_KEYS - {'name', 'description'})}; found {sorted(spec)}"
        )
        raise CellTypeError(msg)
    out = {k: v for k, v in spec.items() if k not in ("class", "required")}
    if "class" in spec:
        out["col_cls"] = spec["class"]
    return out
