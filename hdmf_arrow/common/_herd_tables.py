"""The six tables of HERD (keys, files, entities, objects, object_keys, entity_keys).

Each is a small table of fixed columns (text, or ``uint32`` row indices into another of the
six), held as an Arrow table: ``to_arrow()`` is the table, and rows added with ``add_row``
go to a Python buffer that becomes Arrow once, when the table is next read whole. A table
read from a store stays there until first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import pyarrow as pa

from hdmf_arrow.common._container import CORE_NAMESPACE, Container
from hdmf_arrow.errors import (
    CellTypeError,
    CellValueError,
    ColumnNotFoundError,
    InvalidArgumentError,
    RowIndexError,
    SchemaMismatchError,
    TableShapeError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    import pandas as pd

TEXT = "text"
INDEX = "uint"
_ARROW = {TEXT: pa.string(), INDEX: pa.uint32()}
_MAX_INDEX = 2**32 - 1


class Row:
    """One row of a HERD table, as hdmf's ``Row``: its values as attributes, ``idx`` its
    position and ``table`` the table. Made with a ``table`` and no ``idx``, it adds itself to
    the table.

    Examples
    --------
    >>> keys = KeyTable()
    >>> k = Key("mouse", table=keys)
    >>> k.idx, k.key, keys.data
    (0, 'mouse', [('mouse',)])
    """

    __table__: ClassVar[type[HerdTable]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A row class names its table (``__table__``); the table makes its rows with it."""
        super().__init_subclass__(**kwargs)
        if "__table__" in cls.__dict__:
            cls.__table__.__rowclass__ = cls

    def __init__(
        self, *values: Any, table: HerdTable | None = None, idx: int | None = None, **named: Any
    ) -> None:
        names = self.__table__.colnames()
        if len(values) > len(names):
            msg = f"{type(self).__name__} takes {len(names)} values {names}, got {len(values)}"
            raise TypeError(msg)
        given = dict(zip(names, values, strict=False))
        clash = sorted(set(given) & set(named))
        unknown = sorted(set(named) - set(names))
        missing = [n for n in names if n not in given and n not in named]
        if clash or unknown or missing:
            msg = (
                f"{type(self).__name__}: values {names} expected; "
                f"given twice {clash}, unknown {unknown}, missing {missing}"
            )
            raise TypeError(msg)
        given.update(named)
        self._values = {n: given[n] for n in names}
        for n, v in self._values.items():
            object.__setattr__(self, n, v)
        self._idx: int | None = None
        self._table: HerdTable | None = None
        if idx is not None:
            self.idx = idx
        if table is not None:
            self.table = table

    @property
    def idx(self) -> int | None:
        """The position of this row in its table."""
        return self._idx

    @idx.setter
    def idx(self, value: int) -> None:
        if self._idx is not None:
            msg = f"cannot reset the index of {type(self).__name__} row {self._idx}"
            raise ValueError(msg)
        self._idx = int(value)

    @property
    def table(self) -> HerdTable | None:
        """The table this row is in."""
        return self._table

    @table.setter
    def table(self, value: HerdTable) -> None:
        if not isinstance(value, self.__table__):
            msg = (
                f"a {type(self).__name__} row belongs in a {self.__table__.__name__}, "
                f"not a {type(value).__name__}"
            )
            raise CellTypeError(msg)
        self._table = value
        if self._idx is None:
            self._idx = value.add_row(**self._values)

    def todict(self) -> dict[str, Any]:
        """The row's values by column name."""
        return dict(self._values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Row):
            return NotImplemented
        return self.idx == other.idx and self.table is other.table

    def __hash__(self) -> int:
        return hash((self.idx, id(self.table)))

    def __str__(self) -> str:
        table = "?" if self.table is None else self.table.name
        return f"Row({self.idx}, {table}) = {self._values}"

    __repr__ = __str__


class RowGetter:
    """``table.row[i]``: the row at ``i`` as a :class:`Row` (one object per row)."""

    def __init__(self, table: HerdTable) -> None:
        self.table = table
        self.cache: dict[int, Row] = {}

    def __getitem__(self, idx: int) -> Row:
        i = self.table._position(idx)
        found = self.cache.get(i)
        if found is None:
            row_cls = self.table.__rowclass__
            assert row_cls is not None
            found = row_cls(*self.table[i], table=self.table, idx=i)
            self.cache[i] = found
        return found


class HerdTable(Container):
    """Base of the six HERD tables: fixed columns, held as one Arrow table.

    ``__columns__`` lists the columns (``name``, ``dtype`` ``"text"`` or ``"uint"``, ``doc``,
    and for index columns ``target``: the table attribute of HERD they point into).
    """

    data_type: ClassVar[str] = "Data"
    namespace: ClassVar[str] = CORE_NAMESPACE
    __defaultname__: ClassVar[str] = ""
    __columns__: ClassVar[tuple[dict[str, Any], ...]] = ()
    __rowclass__: ClassVar[type[Row] | None] = None

    def __init__(
        self,
        name: str | None = None,
        data: Iterable[Sequence[Any]] | None = None,
        *,
        object_id: str | None = None,
    ) -> None:
        super().__init__(name or self.__defaultname__, object_id=object_id)
        self._arrow: pa.Table | None = None
        self._lists_: dict[str, list[Any]] | None = {n: [] for n in self.colnames()}
        self._loader: Callable[[], pa.Table] | None = None
        self._stored_rows = 0
        # (column names) -> (their values) -> rows: built on first use, kept up to date
        self._index: dict[tuple[str, ...], dict[tuple[Any, ...], list[int]]] = {}
        self.row = RowGetter(self)
        for values in data or ():
            self.add_row(*values)

    # -- the schema ----------------------------------------------------------------------
    @classmethod
    def colnames(cls) -> tuple[str, ...]:
        return tuple(c["name"] for c in cls.__columns__)

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in order."""
        return self.colnames()

    @classmethod
    def schema(cls) -> pa.Schema:
        """The Arrow schema of the table: ``string`` text columns, ``uint32`` indices."""
        return pa.schema([pa.field(c["name"], _ARROW[c["dtype"]]) for c in cls.__columns__])

    @classmethod
    def index_columns(cls) -> dict[str, str]:
        """Index column -> the HERD table it points into."""
        return {c["name"]: c["target"] for c in cls.__columns__ if c["dtype"] == INDEX}

    def _what(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    # -- building ------------------------------------------------------------------------
    def _check_value(self, column: dict[str, Any], value: Any) -> Any:
        if isinstance(value, Row):
            if column["dtype"] != INDEX or value.idx is None:
                msg = (
                    f"column {column['name']!r} of {self._what()} takes "
                    f"{'a row index' if column['dtype'] == INDEX else 'text'}, got a "
                    f"{type(value).__name__} row that is not in a table"
                )
                raise CellTypeError(msg)
            value = value.idx
        if column["dtype"] == TEXT:
            if not isinstance(value, str):
                msg = (
                    f"column {column['name']!r} of {self._what()} holds text; got "
                    f"{type(value).__name__} {value!r:.40}"
                )
                raise CellTypeError(msg)
            return str(value)
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            msg = (
                f"column {column['name']!r} of {self._what()} holds row indices (integers); "
                f"got {type(value).__name__} {value!r:.40}"
            )
            raise CellTypeError(msg)
        value = int(value)
        if not 0 <= value <= _MAX_INDEX:
            msg = (
                f"column {column['name']!r} of {self._what()} holds row indices from 0 to "
                f"{_MAX_INDEX}; got {value}"
            )
            raise CellValueError(msg)
        return value

    def add_row(self, *values: Any, **named: Any) -> int:
        """Append a row, by position or by column name (a Row stands for its ``idx``);
        returns its position. Nothing is added when a value does not fit.

        Examples
        --------
        >>> EntityTable().add_row(entity_id="NCBITaxon:9606", entity_uri="https://x")
        0
        """
        names = self.colnames()
        if (
            len(named) == 1
            and not values
            and "values" in named
            and isinstance(named["values"], dict)
        ):
            named = dict(named["values"])  # hdmf's Table.add_row(values={...})
        row = dict(zip(names, values, strict=False))
        unknown = sorted(set(named) - set(names))
        missing = [n for n in names if n not in row and n not in named]
        if len(values) > len(names) or unknown or missing or set(row) & set(named):
            msg = (
                f"{self._what()}.add_row takes the columns {list(names)}; got "
                f"{len(values)} positional value(s) and {sorted(named)}"
            )
            raise TableShapeError(msg)
        row.update(named)
        checked = [self._check_value(c, row[c["name"]]) for c in self.__columns__]
        lists = self._lists()
        position = len(lists[names[0]])
        checked_values = dict(zip(names, checked, strict=True))
        for name, value in checked_values.items():
            lists[name].append(value)
        for columns, index in self._index.items():
            index.setdefault(tuple(checked_values[c] for c in columns), []).append(position)
        self._arrow = None
        return position

    # -- reading -------------------------------------------------------------------------
    def _lists(self) -> dict[str, list[Any]]:
        if self._lists_ is None:
            table = self.to_arrow()
            self._lists_ = {n: table.column(n).to_pylist() for n in self.colnames()}
        return self._lists_

    def to_arrow(self) -> pa.Table:
        """The table as Arrow (``string`` and ``uint32`` columns, no metadata)."""
        if self._arrow is None:
            if self._loader is not None:
                self._arrow = self._checked(self._loader())
                self._loader = None
            else:
                lists = self._lists()
                self._arrow = pa.table(
                    [pa.array(lists[f.name], type=f.type) for f in self.schema()],
                    schema=self.schema(),
                )
        return self._arrow

    def _checked(self, table: pa.Table) -> pa.Table:
        schema = self.schema()
        if table.schema.remove_metadata() != schema:
            try:
                table = table.select(list(schema.names)).cast(schema)
            except (KeyError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                msg = f"{self._what()} needs the columns {schema}; got {table.schema} ({exc})"
                raise SchemaMismatchError(msg) from None
        if any(table.column(n).null_count for n in schema.names):
            bad = [n for n in schema.names if table.column(n).null_count]
            msg = f"{self._what()}: column(s) {bad} hold nulls, which HERD does not allow"
            raise SchemaMismatchError(msg)
        return table

    @classmethod
    def from_arrow(
        cls, table: pa.Table, name: str | None = None, *, object_id: str | None = None
    ) -> HerdTable:
        """A table from an Arrow table with its columns (cast to ``string``/``uint32``).

        Examples
        --------
        >>> import pyarrow as pa
        >>> KeyTable.from_arrow(pa.table({"key": ["a", "b"]})).data
        [('a',), ('b',)]
        """
        made = cls(name, object_id=object_id)
        made._arrow = made._checked(table)
        made._lists_ = None
        return made

    @classmethod
    def _stored(
        cls, loader: Callable[[], pa.Table], num_rows: int, name: str, object_id: str | None
    ) -> HerdTable:
        """A table whose rows stay in a store until first used."""
        made = cls(name, object_id=object_id)
        made._lists_ = None
        made._loader = loader
        made._stored_rows = num_rows
        return made

    def __len__(self) -> int:
        if self._lists_ is not None:
            return len(self._lists_[self.colnames()[0]])
        if self._arrow is None and self._loader is not None:
            return self._stored_rows
        return int(self.to_arrow().num_rows)

    @property
    def data(self) -> list[tuple[Any, ...]]:
        """The rows as tuples (hdmf's ``Table.data``)."""
        lists = self._lists()
        return list(zip(*(lists[n] for n in self.colnames()), strict=True))

    def _position(self, idx: Any) -> int:
        if isinstance(idx, bool) or not hasattr(idx, "__index__"):
            msg = f"{self._what()}: a row is picked by an integer, not {type(idx).__name__}"
            raise TypeError(msg)
        n = len(self)
        i = int(idx)
        if not -n <= i < n:
            msg = f"row {i} of {self._what()} does not exist; it has {n} rows"
            raise RowIndexError(msg)
        return i % n

    def _column_name(self, key: Any) -> str:
        names = self.colnames()
        if isinstance(key, str):
            if key not in names:
                msg = f"no {key!r} column in {self._what()}; its columns are {list(names)}"
                raise ColumnNotFoundError(msg)
            return key
        if isinstance(key, int) and not isinstance(key, bool) and -len(names) <= key < len(names):
            return names[key]
        msg = f"{self._what()}: a column is named by its name or position, not {key!r:.40}"
        raise ColumnNotFoundError(msg)

    def __getitem__(self, key: Any) -> Any:
        """``t["col"]`` a column (list), ``t["col", i]`` or ``t[j, i]`` a value, ``t[i]`` a
        row (tuple), ``t[a:b]`` rows."""
        lists = self._lists()
        if isinstance(key, tuple):
            if len(key) != 2:
                msg = f"{self._what()}[...] takes (column, row), got {len(key)} items"
                raise TypeError(msg)
            return lists[self._column_name(key[0])][self._position(key[1])]
        if isinstance(key, str):
            return list(lists[self._column_name(key)])
        if isinstance(key, slice):
            return self.data[key]
        i = self._position(key)
        return tuple(lists[n][i] for n in self.colnames())

    def which(self, **query: Any) -> list[int]:
        """The positions of the rows whose column holds the value (one column per query).

        Examples
        --------
        >>> keys = KeyTable(data=[("a",), ("b",), ("a",)])
        >>> keys.which(key="a")
        [0, 2]
        """
        if len(query) != 1:
            msg = (
                f"{self._what()}.which queries one column (only one column can be queried); "
                f"got {sorted(query)}. Hint: which_all() queries several."
            )
            raise InvalidArgumentError(msg)
        return self.which_all(**query)

    def which_all(self, **query: Any) -> list[int]:
        """The positions of the rows that hold all the values (one per column), through an
        index kept up to date as rows are added.

        Examples
        --------
        >>> pairs = ObjectKeyTable(data=[(0, 1), (0, 2), (1, 1)])
        >>> pairs.which_all(objects_idx=0, keys_idx=1)
        [0]
        """
        columns = tuple(sorted(self._column_name(c) for c in query))
        if not columns:
            return list(range(len(self)))
        wanted = tuple(v.idx if isinstance(v, Row) else v for v in (query[c] for c in columns))
        index = self._index.get(columns)
        if index is None:
            index = {}
            lists = self._lists()
            for i, values in enumerate(zip(*(lists[c] for c in columns), strict=True)):
                index.setdefault(values, []).append(i)
            self._index[columns] = index
        try:
            return list(index.get(wanted, ()))
        except TypeError:  # an unhashable value matches nothing
            return []

    def to_dataframe(self) -> pd.DataFrame:
        """The table as a pandas DataFrame (index columns as int64, as hdmf has them)."""
        import pandas as pd

        lists = self._lists()
        frame = pd.DataFrame({n: list(lists[n]) for n in self.colnames()})
        for n in self.index_columns():
            frame[n] = frame[n].astype("int64")
        return frame

    @classmethod
    def from_dataframe(
        cls, df: pd.DataFrame, name: str | None = None, extra_ok: bool = False
    ) -> HerdTable:
        """A table from a DataFrame with exactly its columns (hdmf's ``from_dataframe``).

        Examples
        --------
        >>> import pandas as pd
        >>> FileTable.from_dataframe(pd.DataFrame({"file_object_id": ["f1"]})).data
        [('f1',)]
        """
        del extra_ok  # hdmf refuses extra columns whatever it says
        names = list(cls.colnames())
        found = [str(c) for c in df.columns]
        extra = sorted(set(found) - set(names))
        missing = [n for n in names if n not in found]
        if extra or missing:
            msg = (
                f"{cls.__name__} needs the columns {names}; the DataFrame has {found} "
                f"(unrecognized {extra}, missing {missing})"
            )
            raise TableShapeError(msg)
        made = cls(name)
        rows = zip(*(df[n].tolist() for n in names), strict=True)
        for values in rows:
            made.add_row(*values)
        return made

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__} {self.name!r} ({len(self)} rows, columns {list(self.columns)})"
        )


class KeyTable(HerdTable):
    """The user terms (keys) that refer to external resources."""

    __defaultname__ = "keys"
    __columns__ = (
        {"name": "key", "dtype": TEXT,
         "doc": "The user key that maps to the resource term / registry symbol."},
    )  # fmt: skip


class Key(Row):
    """A row of the KeyTable."""

    __table__ = KeyTable
    key: str


class EntityTable(HerdTable):
    """The entities (terms of external resources) that keys refer to."""

    __defaultname__ = "entities"
    __columns__ = (
        {"name": "entity_id", "dtype": TEXT,
         "doc": "The unique ID for the resource term / registry symbol."},
        {"name": "entity_uri", "dtype": TEXT,
         "doc": "The URI for the resource term / registry symbol."},
    )  # fmt: skip


class Entity(Row):
    """A row of the EntityTable."""

    __table__ = EntityTable
    entity_id: str
    entity_uri: str


class FileTable(HerdTable):
    """The object ids of the files whose objects use external resources."""

    __defaultname__ = "files"
    __columns__ = (
        {"name": "file_object_id", "dtype": TEXT,
         "doc": "The file id of the file that contains the object"},
    )  # fmt: skip


class File(Row):
    """A row of the FileTable."""

    __table__ = FileTable
    file_object_id: str


class ObjectTable(HerdTable):
    """The objects (containers, datasets) that hold keys."""

    __defaultname__ = "objects"
    __columns__ = (
        {"name": "files_idx", "dtype": INDEX, "target": "files",
         "doc": "The row idx for the file_object_id in FileTable containing the object."},
        {"name": "object_id", "dtype": TEXT, "doc": "The object ID for the Container/Data."},
        {"name": "object_type", "dtype": TEXT,
         "doc": "The type of the object. This is also the parent in relative_path."},
        {"name": "relative_path", "dtype": TEXT,
         "doc": "The path from the object to the attribute or dataset holding the key; "
                "empty if not applicable."},
        {"name": "field", "dtype": TEXT,
         "doc": "The field of the compound data type holding the key; empty if not applicable."},
    )  # fmt: skip


class Object(Row):
    """A row of the ObjectTable."""

    __table__ = ObjectTable
    files_idx: int
    object_id: str
    object_type: str
    relative_path: str
    field: str


class ObjectKeyTable(HerdTable):
    """Which objects use which keys."""

    __defaultname__ = "object_keys"
    __columns__ = (
        {"name": "objects_idx", "dtype": INDEX, "target": "objects",
         "doc": "The index into the objects table for the Object that uses the Key."},
        {"name": "keys_idx", "dtype": INDEX, "target": "keys",
         "doc": "The index into the keys table that is used to make an external resource "
                "reference."},
    )  # fmt: skip


class ObjectKey(Row):
    """A row of the ObjectKeyTable."""

    __table__ = ObjectKeyTable
    objects_idx: int
    keys_idx: int


class EntityKeyTable(HerdTable):
    """Which keys refer to which entities."""

    __defaultname__ = "entity_keys"
    __columns__ = (
        {"name": "entities_idx", "dtype": INDEX, "target": "entities",
         "doc": "The index into the EntityTable for the Entity that associated with the Key."},
        {"name": "keys_idx", "dtype": INDEX, "target": "keys",
         "doc": "The index into the KeyTable that is used to make an external resource "
                "reference."},
    )  # fmt: skip


class EntityKey(Row):
    """A row of the EntityKeyTable."""

    __table__ = EntityKeyTable
    entities_idx: int
    keys_idx: int


# the six tables, in the order hdmf creates (and zips) them
TABLES: dict[str, type[HerdTable]] = {
    "keys": KeyTable,
    "files": FileTable,
    "entities": EntityTable,
    "objects": ObjectTable,
    "object_keys": ObjectKeyTable,
    "entity_keys": EntityKeyTable,
}


def index_problems(tables: dict[str, HerdTable]) -> list[tuple[str, int, str, int, str, int]]:
    """Every row index of the six tables that points past the end of its target:
    ``(table, row, column, value, target, target_rows)``."""
    import pyarrow.compute as pc

    out = []
    for name, table in tables.items():
        for column, target in table.index_columns().items():
            limit = len(tables[target])
            # one array: pyarrow 25 crashes on indices_nonzero of a chunked array of 0 chunks
            values = table.to_arrow().column(column).combine_chunks().cast(pa.int64())
            bad = pc.indices_nonzero(pc.greater_equal(values, limit))
            for row in bad.to_pylist()[:20]:
                out.append((name, int(row), column, int(values[row].as_py()), target, limit))
    return out
