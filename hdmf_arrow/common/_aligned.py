"""AlignedDynamicTable: a main table plus category tables whose rows line up with it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from hdmf_arrow.common._data import ArrayLike, VectorData, with_context
from hdmf_arrow.common._table import DynamicTable, TableLink
from hdmf_arrow.errors import (
    CellTypeError,
    ContainerNotFoundError,
    HdmfArrowError,
    InvalidKeyError,
    TableShapeError,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

_TUPLE_FORMS = (
    "Expected tuple of length 2 of the form [category, column], [row, category], "
    "[row, (category, column)] or a tuple of length 3 of the form [category, column, row], "
    "[row, category, column]"
)


class AlignedDynamicTable(DynamicTable):
    """A DynamicTable (the main table) with category tables: DynamicTables whose rows line up
    with the main table's, as hdmf's AlignedDynamicTable.

    A row is added to all of them at once (``add_row(main columns..., <category>={...})``),
    and checked in all of them before it is appended to any, so a refused row leaves every
    table as it was. ``to_dataframe()`` puts them side by side under two-level column labels.

    Examples
    --------
    >>> session = AlignedDynamicTable(name="session", description="aligned data")
    >>> session.add_column("time", "seconds", dtype="float")
    >>> neural = session.add_category_table(name="neural", description="spikes")
    >>> neural.add_column("spike_count", "spikes", dtype="int")
    >>> session.add_row(time=1.0, neural={"spike_count": 5})
    >>> session.to_dataframe()
                session neural
                   time     id spike_count
    (session, id)
    0               1.0      0           5
    """

    data_type: ClassVar[str] = "AlignedDynamicTable"

    def __init__(
        self,
        name: str,
        description: str,
        id: ArrayLike = None,
        columns: Sequence[VectorData] | None = None,
        colnames: Sequence[str] | None = None,
        category_tables: Sequence[DynamicTable] | None = None,
        categories: Sequence[str] | None = None,
        *,
        target_tables: Mapping[str, DynamicTable] | None = None,
        object_id: str | None = None,
        add_required: bool = True,
        meanings_tables: Iterable[DynamicTable] = (),
    ) -> None:
        tables = None if category_tables is None else list(category_tables)
        for i, table in enumerate(tables or ()):
            _check_category(table, f"category table with index {i}", name)
        if categories is None and tables is not None:
            categories = [t.name for t in tables]
        if categories is not None and tables is None:
            msg = f"AlignedDynamicTable {name!r}: categories provided but no category_tables given"
            raise TableShapeError(msg)
        if categories is not None and tables is not None and len(categories) != len(tables):
            msg = (
                f"AlignedDynamicTable {name!r}: {len(tables)} category_tables given but "
                f"{len(categories)} categories specified"
            )
            raise TableShapeError(msg)
        self._categories: dict[str, DynamicTable] = {}
        super().__init__(
            name,
            description,
            id,
            columns,
            colnames,
            target_tables=target_tables,
            object_id=object_id,
            add_required=add_required,
            meanings_tables=meanings_tables,
        )
        if not tables or categories is None:
            return
        if len(self) == 0 and not self._cols:  # no main rows yet: ids from the first category
            self.id.extend(np.arange(len(tables[0])))
        by_name: dict[str, DynamicTable] = {}
        for table in tables:
            if table.name not in categories:
                msg = (
                    f"AlignedDynamicTable {name!r}: DynamicTable {table.name!r} does not appear "
                    f"in categories {list(categories)}"
                )
                raise TableShapeError(msg)
            if table.name in by_name:
                msg = (
                    f"AlignedDynamicTable {name!r}: duplicate table name {table.name!r} found "
                    f"in category_tables"
                )
                raise TableShapeError(msg)
            by_name[table.name] = table
        for category in categories:
            self._attach_category(by_name[category], new="Category")

    def get_meanings_for_column(
        self, col_name: str, category: str | None = None
    ) -> DynamicTable | None:
        """The MeaningsTable of a column of this table, or with ``category`` of that category
        table's column (None if it has none; KeyError if there is no such column)."""
        if category is not None:
            return self.get_category(category).get_meanings_for_column(col_name)
        return super().get_meanings_for_column(col_name)

    # -- categories ----------------------------------------------------------------------------

    @property
    def categories(self) -> list[str]:
        """The category names, in order."""
        return list(self._categories)

    @property
    def category_tables(self) -> dict[str, DynamicTable]:
        """The category tables by name, in order (a copy: add with ``add_category``)."""
        return dict(self._categories)

    @property
    def children(self) -> tuple[Any, ...]:
        return (*super().children, *self._categories.values())

    def add_category(self, category: DynamicTable) -> None:
        """Add a DynamicTable as a category; it must have as many rows as the main table."""
        self._attach_category(category, new="New category")

    def add_category_table(self, name: str, description: str, **kwargs: Any) -> DynamicTable:
        """Create an empty category table (one row per main row, no columns yet), add it and
        return it; ``kwargs`` go to ``DynamicTable``."""
        ids = kwargs.pop("id", None)
        if ids is None and len(self):
            ids = np.arange(len(self))
        table = DynamicTable(name=name, description=description, id=ids, **kwargs)
        self.add_category(table)
        return table

    def get_category(self, name: str | None = None) -> DynamicTable:
        """A category table by name; ``None`` (or this table's own name, when no category has
        it) is the main table itself.

        Raises
        ------
        ContainerNotFoundError
            There is no such category (a ``KeyError``).
        """
        if name is None or (name not in self._categories and name == self.name):
            return self
        return self.get_category_table(name)

    def get_category_table(self, name: str) -> DynamicTable:
        """The category table ``name`` (never the main table).

        Raises
        ------
        ContainerNotFoundError
            There is no such category (a ``KeyError``).
        """
        table = self._categories.get(name)
        if table is None:
            msg = (
                f"AlignedDynamicTable {self.name!r} has no category {name!r}. "
                f"Categories: {self.categories}"
            )
            raise ContainerNotFoundError(msg)
        return table

    def _attach_category(self, table: DynamicTable, *, new: str) -> None:
        where = f"AlignedDynamicTable {self.name!r}"
        _check_category(table, f"category {table.name!r}", self.name)
        if len(table) != len(self):
            msg = (
                f"{where}: {new} DynamicTable {table.name!r} does not align, it has "
                f"{len(table)} rows expected {len(self)}"
            )
            raise TableShapeError(msg)
        if table.name in self._categories:
            msg = f"{where}: category {table.name!r} already in the table"
            raise TableShapeError(msg)
        self._categories[table.name] = table
        self._adopt(table)

    # -- columns and rows ----------------------------------------------------------------------

    def add_column(self, *args: Any, category: str | None = None, **kwargs: Any) -> None:  # type: ignore[override]
        """``DynamicTable.add_column``, to the main table or to ``category``."""
        if category is None:
            super().add_column(*args, **kwargs)
            return
        if category not in self._categories:
            msg = f"AlignedDynamicTable {self.name!r}: category {category!r} not in table"
            raise ContainerNotFoundError(msg)
        self._categories[category].add_column(*args, **kwargs)

    def add_row(  # type: ignore[override]
        self,
        data: Mapping[str, object] | None = None,
        id: int | None = None,
        enforce_unique_id: bool = False,
        check_ragged: bool = True,
        **kwargs: object,
    ) -> None:
        """Append one row to the main table and every category: main column values as
        keywords, and one dict of column values per category (``neural={"spikes": 5}``).

        Every table checks its part before any is appended, so a refused row changes nothing.
        """
        row = dict(data) if data is not None else dict(kwargs)
        parts = {name: row.pop(name) for name in self._categories if name in row}
        missing = [name for name in self._categories if name not in parts]
        if missing:
            msg = (
                f"AlignedDynamicTable {self.name!r}: row data keys do not match available "
                f"categories; missing {len(missing)} category keys: {missing}"
            )
            raise ContainerNotFoundError(msg)
        if "id" in row and id is None:
            id = row.pop("id")  # type: ignore[assignment]
        appends = [self._prepared(self, row, id, enforce_unique_id)]
        for name, values in parts.items():
            if not isinstance(values, Mapping):
                msg = (
                    f"AlignedDynamicTable {self.name!r}: category {name!r} expects a dict of "
                    f"column values, found {type(values).__name__}"
                )
                raise CellTypeError(msg)
            cells = dict(values)
            appends.append(self._prepared(self._categories[name], cells, cells.pop("id", None)))
        for append in appends:  # everything was checked: now append everywhere
            append()

    def _prepared(
        self, table: DynamicTable, row: dict[str, object], id: object, unique: bool = False
    ) -> Callable[[], None]:
        try:
            append = table._prepare_row(row, id, enforce_unique_id=unique)
            if append is None:
                table._raise_row_keys(row)
        except HdmfArrowError as exc:
            raise with_context(exc, f"AlignedDynamicTable {self.name!r}") from None
        return append

    def get_colnames(
        self, include_category_tables: bool = False, ignore_category_ids: bool = False
    ) -> tuple[str, ...] | list[tuple[str, str]]:
        """The main table's column names; with ``include_category_tables``, ``(table, column)``
        pairs for every table (each category's ``id`` first, unless ``ignore_category_ids``)."""
        if not include_category_tables:
            return self.colnames
        names = [(self.name, c) for c in self.colnames]
        for category in self._categories.values():
            if not ignore_category_ids:
                names.append((category.name, category.id.name))
            names += [(category.name, c) for c in category.colnames]
        return names

    def __contains__(self, name: object) -> bool:
        """A category or main column name, or a ``(category, column)`` pair."""
        if isinstance(name, str):
            return name in self._categories or super().__contains__(name)
        if isinstance(name, tuple):
            if len(name) != 2:
                msg = f"Expected tuple of strings of length 2 got tuple of length {len(name)}"
                raise InvalidKeyError(msg)
            return name[1] in self.get_category(name[0])
        return False

    # -- reading -------------------------------------------------------------------------------

    def to_dataframe(  # type: ignore[override]
        self,
        exclude: Sequence[str] | None = None,
        index: bool = False,
        ignore_category_ids: bool = False,
    ) -> pd.DataFrame:
        """All tables side by side: columns ``(table, column)`` (each category's ``id`` first,
        unless ``ignore_category_ids``), indexed by the main table's ids."""
        main = super().to_dataframe(exclude=exclude, index=index)
        frames = [c.to_dataframe(index=index) for c in self._categories.values()]
        return self._side_by_side(main, frames, keep_ids=not ignore_category_ids)

    def _side_by_side(
        self, main: pd.DataFrame, categories: list[pd.DataFrame], *, keep_ids: bool
    ) -> pd.DataFrame:
        """Frames of the same rows -> one frame under two-level column labels. Rows are put
        together by position (hdmf aligns them on category ids, which misplaces rows when a
        category's ids are not 0..n-1)."""
        frames = [main.reset_index()]
        for frame in categories:
            frames.append(frame.reset_index(drop=not keep_ids))
        import pandas as pd

        joined = pd.concat(frames, axis=1, keys=[self.name, *self._categories])
        return joined.set_index((self.name, self.id.name))

    def __getitem__(self, key: object) -> Any:
        return self.get(key)

    def get(  # type: ignore[override]
        self,
        key: object,
        default: object = None,
        df: bool = True,
        index: bool = True,
    ) -> Any:
        """hdmf's forms: rows (int, slice, list, array) as one frame of every table; a main
        column or a category's frame by name; ``[category, column]``, ``[row, category]``,
        ``[row, (category, column)]``, ``[row, category, column]`` and
        ``[category, column, row]``."""
        if isinstance(key, int | np.integer | list | np.ndarray | slice):
            main = super().get(key, df=True, index=index)
            frames = [c.get(key, df=True, index=index) for c in self._categories.values()]
            return self._side_by_side(main, frames, keep_ids=True)
        if isinstance(key, str) or key is None:
            if key is not None and (key in self.colnames or key == self.id.name):
                return super().get(key, default)
            return self.get_category(key).to_dataframe()
        if isinstance(key, tuple):
            return self._get_tuple(key)
        return super().get(key, default, df=df, index=index)

    def _get_tuple(self, key: tuple[Any, ...]) -> Any:
        if len(key) == 2:
            first, second = key
            if isinstance(first, int | np.integer):
                found = self[first][second]
                if found.size == 1:
                    found = found.to_numpy().ravel()[0]
                    return tuple(found) if isinstance(found, list) else found
                return found.to_frame() if hasattr(found, "to_frame") else found  # a Series
            return self.get_category(first)[second]
        if len(key) == 3:
            if isinstance(key[0], int | np.integer):
                return self.get_category(key[1])[key[2]][key[0]]
            return self.get_category(key[0])[key[1]][key[2]]
        msg = f"AlignedDynamicTable {self.name!r}: {_TUPLE_FORMS}"
        raise InvalidKeyError(msg)

    def has_foreign_columns(self, ignore_category_tables: bool = False) -> bool:  # type: ignore[override]
        """Whether the main table (or any category) has a region column."""
        return bool(self.get_foreign_columns(ignore_category_tables=ignore_category_tables))

    def get_foreign_columns(  # type: ignore[override]
        self, ignore_category_tables: bool = False
    ) -> list[tuple[str | None, str]]:
        """``(category or None for the main table, column)`` for every region column."""
        names: list[tuple[str | None, str]] = [(None, c) for c in super().get_foreign_columns()]
        if not ignore_category_tables:
            for category in self._categories.values():
                names += [(category.name, c) for c in category.get_foreign_columns()]
        return names

    def get_linked_tables(
        self,
        other_tables: Sequence[DynamicTable] | None = None,
        ignore_category_tables: bool = False,
    ) -> list[TableLink]:
        """As ``DynamicTable.get_linked_tables``, starting from the categories too."""
        others = [*(other_tables or ())]
        if not ignore_category_tables:
            others += list(self._categories.values())
        return super().get_linked_tables(other_tables=others)

    def __repr__(self) -> str:
        shown = ", ".join(f"{n} ({len(t.colnames)} columns)" for n, t in self._categories.items())
        return f"{super().__repr__()}\n  categories: {shown or '(none)'}"


def _check_category(table: object, what: str, owner: str) -> None:
    if not isinstance(table, DynamicTable):
        msg = f"AlignedDynamicTable {owner!r}: {what} is not a DynamicTable"
        raise TableShapeError(msg)
    if isinstance(table, AlignedDynamicTable):
        msg = (
            f"AlignedDynamicTable {owner!r}: {what} is an AlignedDynamicTable. Nesting of "
            f"AlignedDynamicTable is currently not supported."
        )
        raise TableShapeError(msg)
