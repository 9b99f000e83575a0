"""How a table's columns are made: from add_column's options, from Arrow, and described.

A *column* is what ``colnames`` lists: a VectorData (or DynamicTableRegion, EnumData), or the
outermost VectorIndex of a ragged one. Its *parts* are every dataset hdmf would write for it.
"""

from __future__ import annotations

import collections
import functools
import threading
import unicodedata
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np
import pyarrow as pa

from hdmf_arrow.arrow import ragged
from hdmf_arrow.arrow.buffer import ColumnBuffer, plain_array
from hdmf_arrow.arrow.dtypes import (
    DtypeLike,
    as_array,
    normalize_type,
    not_cells,
    parse_dtype,
    utf8_problem,
)
from hdmf_arrow.arrow.metadata import ColumnMeta, RegionTarget
from hdmf_arrow.common._data import (
    ArrayLike,
    Data,
    VectorData,
    VectorIndex,
    read_iterator,
    with_context,
)
from hdmf_arrow.common._enum import EnumData, cell_leaf, cell_shape, is_enum_type
from hdmf_arrow.common._region import DynamicTableRegion, region_of
from hdmf_arrow.errors import (
    CellTypeError,
    CellValueError,
    HdmfArrowError,
    InvalidNameError,
    SchemaMismatchError,
    TableShapeError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from hdmf_arrow.common._table import DynamicTable

T = TypeVar("T")


def parts(top: VectorData) -> list[Data]:
    """The datasets of one column: its indexes (outermost first), base data, enum elements."""
    out: list[Data] = []
    col: VectorData = top
    while isinstance(col, VectorIndex):
        out.append(col)
        col = col.target
    out.append(col)
    if isinstance(col, EnumData):
        out.append(col.elements_data)
    return out


def column_part_ids(table: str, name: str, meta: ColumnMeta) -> list[tuple[str, str, str, str]]:
    """The object ids the description of column ``name`` of ``table`` records, one per part
    that has one: ``(object id, data type, the part's name, what it is)``: its base data,
    its indexes (outermost first) and its enum elements. With the ids of the tables
    and containers themselves (and each table's ``id_object_id``), these are the object ids
    of a tree: the writer claims them (refusing a second holder) and validate reports an id
    that two of them hold.

    >>> from hdmf_arrow.arrow.metadata import ColumnMeta
    >>> meta = ColumnMeta(object_id="c", index=1, index_object_ids=("i",))
    >>> column_part_ids("t", "x", meta)  # doctest: +NORMALIZE_WHITESPACE
    [('c', 'VectorData', 'x', "column 'x' of table 't'"),
     ('i', 'VectorIndex', 'x_index', "index 0 of column 'x' of table 't'")]
    """
    what = f"column {name!r} of table {table!r}"
    out: list[tuple[str, str, str, str]] = []
    if meta.object_id is not None:
        out.append((meta.object_id, meta.data_type, name, what))
    for k, index_id in enumerate(meta.index_object_ids):
        part = name + "_index" * max(meta.index - k, 1)
        out.append((index_id, "VectorIndex", part, f"index {k} of {what}"))
    if meta.elements_object_id is not None:
        out.append(
            (meta.elements_object_id, "VectorData", f"{name}_elements", f"the elements of {what}")
        )
    return out


def check_column_name(name: object, *, table: str) -> str:
    r"""Return ``name`` if it can name a column of a table; raise InvalidNameError otherwise.

    A column name is a field name in every Parquet file and a key of the ``hdmf`` metadata:
    it is not empty, not ``id`` (the row ids' column), holds no control characters or line
    breaks, and is text UTF-8 can encode.

    >>> check_column_name("spike_times", table="units")
    'spike_times'
    >>> check_column_name("a\nb", table="units")
    Traceback (most recent call last):
    hdmf_arrow.errors.InvalidNameError: DynamicTable 'units': column name 'a\nb' holds ...
    """
    if not isinstance(name, str):
        msg = f"DynamicTable {table!r}: column names must be str, found {type(name).__name__}"
        raise TypeError(msg)
    where = f"DynamicTable {table!r}: column name {name!r:.80}"
    if not name:
        msg = f"{where} is empty; every column needs a name"
        raise InvalidNameError(msg)
    if name == "id":
        msg = f"{where} is reserved for the row ids. Hint: pick another name"
        raise InvalidNameError(msg)
    for position, char in enumerate(name):
        if (char.isascii() and char.isprintable()) or unicodedata.category(char) not in _BREAKS:
            continue
        msg = (
            f"{where} holds the control character {char!r} at position {position}; column "
            f"names are printable text"
        )
        raise InvalidNameError(msg)
    problem = None if name.isascii() else utf8_problem(name)
    if problem is not None:
        msg = f"{where} {problem}"
        raise InvalidNameError(msg)
    return name


_BREAKS = frozenset({"Cc", "Zl", "Zp"})  # control characters, line and paragraph separators


def check_values(top: VectorData, *, table: str) -> None:
    """Refuse a column whose values below its last index are variable-length lists: the
    store writes one list level per VectorIndex, so such a column would not read back."""
    base = top.get_target_data()
    t = base._buf.type  # known without reading stored values
    if ragged.list_depth(t) == 0:
        return
    depth = top.index_depth
    hint = f"index={depth + 1}" if depth else "index=True"
    msg = (
        f"DynamicTable {table!r}: column {base.name!r} has cells nested {depth + 1} or more "
        f"list levels deep ({t} values) but {depth} VectorIndex level(s). Hint: pass {hint}"
    )
    raise CellValueError(msg)


def _regular(values: pa.Array, *, name: str, depth: int) -> pa.Array:
    """Values (below ``depth`` index levels) that are variable-length lists as an N-D
    ``fixed_size_list`` column when every cell has one length (as hdmf stores equal-length
    cells under an index); other values as they are. Unequal lengths raise."""
    if ragged.list_depth(values.type) == 0:
        return values
    fixed = ragged.as_fixed_size(values)
    if fixed is None:
        hint = f"index={depth + 1}" if depth else "index=True"
        msg = (
            f"column {name!r}: the cells are nested {depth + 1} list level(s) deep with "
            f"lengths that differ, but the column has {depth} index level(s). Hint: pass {hint}"
        )
        raise CellValueError(msg)
    return fixed


def top_columns(
    columns: list[VectorData], colnames: Sequence[str] | None, *, table: str
) -> list[VectorData]:
    """The user-facing columns among hdmf-style constructor columns (indexes, targets, ...)."""
    for c in columns:
        if not isinstance(c, VectorData):
            msg = f"DynamicTable {table!r}: columns must be VectorData, found {type(c).__name__}"
            raise CellTypeError(msg)
    below = {id(p) for c in columns for p in parts(c)[1:]}
    tops = [c for c in columns if id(c) not in below]
    names = [c.get_target_data().name for c in tops]
    dup = sorted(n for n, k in collections.Counter(names).items() if k > 1)  # linear
    if dup:
        msg = f"DynamicTable {table!r}: 'columns' contains columns with duplicate names: {dup}"
        raise TableShapeError(msg)
    if colnames is None:
        return tops
    by_name = dict(zip(names, tops, strict=True))
    unknown = [n for n in colnames if n not in by_name]
    if unknown or len(colnames) != len(tops):
        msg = f"DynamicTable {table!r}: colnames {list(colnames)} do not match the columns {names}"
        raise TableShapeError(msg)
    return [by_name[n] for n in colnames]


def build_column(
    name: str,
    description: str,
    data: ArrayLike,
    *,
    table: bool | DynamicTable,
    index: bool | int | ArrayLike,
    enum: bool | ArrayLike,
    col_cls: type[VectorData] | None,
    dtype: DtypeLike,
    attrs: dict[str, Any],
) -> VectorData:
    """One column (a VectorData, or a VectorIndex chain over one) from add_column's options."""
    if table is not False and enum is not False:
        msg = f"column {name!r}: a column cannot be both a region (table=) and an enum (enum=)"
        raise TableShapeError(msg)
    if isinstance(data, str | bytes):
        msg = f"column {name!r}: {not_cells(data)}"
        raise CellTypeError(msg)
    data = _read_column_iterator(name, data, dtype)  # hdmf's DataChunkIterator / DataIO
    if isinstance(data, pa.Array | pa.ChunkedArray):
        data = plain_array(as_array(data))
    if isinstance(index, VectorIndex):
        msg = (
            f"column {name!r}: passing a VectorIndex may lead to unexpected behavior; "
            f"pass index=True or the end offsets"
        )
        raise TableShapeError(msg)
    target = None if isinstance(table, bool) else table
    is_region = table is True or target is not None
    if (
        isinstance(data, list | tuple)
        and data
        and all(isinstance(d, DynamicTableRegion) for d in data)
    ):
        targets = {id(d.table): d.table for d in data}
        if len(targets) > 1 or (target is not None and id(target) not in targets):
            msg = f"column {name!r}: the regions in 'data' point at different tables"
            raise TableShapeError(msg)
        target = next(iter(targets.values()))
        is_region = True
        index = index or True
        data = [d.data for d in data]
    ends = None
    if index is True:
        depth = 1
    elif index is False or index is None:
        depth = 0
    elif isinstance(index, int | np.integer):
        depth = int(index)
    else:
        depth, ends = 1, index
    t = parse_dtype(dtype, name=name)

    def make_base(values: ArrayLike) -> VectorData:
        if is_region:
            cls = col_cls or DynamicTableRegion
            return cls(name, values, description, table=target)  # type: ignore[call-arg]
        if enum is not False:
            cls = col_cls or EnumData
            elements = None if enum is True else enum  # None: taken from the data
            return cls(name, description, values, elements)  # type: ignore[call-arg]
        cls = col_cls or VectorData
        kept = {k: v for k, v in attrs.items() if v is not None}
        return cls(name, description, values, dtype=t, **kept)

    if depth == 0:
        if isinstance(data, pa.Array) and enum is False and not is_region:
            data = _regular(data, name=name, depth=0)
        return make_base(data)
    if data is None:
        top: VectorData = make_base(None)
        for level in range(depth):
            top = VectorIndex(name + "_index" * (level + 1), [], top)
        return top
    if ends is not None:
        base = make_base(data)
        return VectorIndex(f"{name}_index", ends, base)
    value_type = pa.int64() if is_region else None if enum is not False else t
    arr = ragged.encode(data, depth, value_type=value_type, name=name)
    values, levels = ragged.split(arr, depth)
    base = make_base(_regular(values, name=name, depth=depth))
    if t is None and not is_region and enum is False:
        base._buf.allow_widening()  # typed from Python lists, not declared
    top = base
    for k, level in enumerate(reversed(levels)):
        top = VectorIndex._from_level(name + "_index" * (k + 1), level, top)
    return top


def _read_column_iterator(name: str, data: object, dtype: DtypeLike) -> Any:
    """``data``, with an hdmf chunk iterator (or a DataIO around data) read into Arrow."""
    try:
        return read_iterator(data, name, parse_dtype(dtype, name=name))
    except HdmfArrowError as exc:
        raise with_context(exc, f"column {name!r}") from None


def column_from_arrow(
    name: str,
    arr: pa.Array,
    meta: ColumnMeta | None,
    target: DynamicTable | None,
    *,
    keep_ids: bool = False,
) -> VectorData:
    """One column from an Arrow array and (optionally) its ``hdmf`` metadata.

    The column is a new object: its datasets get new object ids, unless ``keep_ids`` (then
    they take the ids the metadata records).
    """
    arr = plain_array(arr)
    depth = ragged.list_depth(arr.type)
    if meta is not None and meta.index != depth:
        msg = (
            f"column {name!r}: the hdmf metadata says {meta.index} index level(s), but the "
            f"Arrow type {arr.type} has {depth} list level(s)"
        )
        raise SchemaMismatchError(msg)
    values, levels = ragged.split(arr, depth)
    description = meta.description if meta is not None else ""
    recorded = meta if keep_ids else None
    object_id = recorded.object_id if recorded is not None else None
    is_region = target is not None or (meta is not None and meta.data_type == "DynamicTableRegion")
    base: VectorData
    if is_region:
        base = DynamicTableRegion(name, values, description, table=target, object_id=object_id)
    elif is_enum_type(values.type):  # dictionary, or fixed-size lists of one (N-D)
        base = EnumData(
            name,
            description,
            values,
            object_id=object_id,
            elements_object_id=recorded.elements_object_id if recorded is not None else None,
        )
    else:
        attrs = meta.attributes if meta is not None else {}
        base = VectorData(name, description, values, object_id=object_id, attributes=attrs)
    ids = recorded.index_object_ids if recorded is not None else ()
    base.reftype = recorded.reftype if recorded is not None else None
    top = base
    for k, level in enumerate(reversed(levels)):
        top = VectorIndex._from_level(name + "_index" * (k + 1), level, top)
        position = len(levels) - 1 - k  # ids are stored outermost first
        if position < len(ids):
            top.object_id = ids[position]
    return top


def column_meta(top: VectorData) -> ColumnMeta:
    indexes = [p for p in parts(top) if isinstance(p, VectorIndex)]
    base = top.get_target_data()
    region = base if isinstance(base, DynamicTableRegion) else None
    target = None
    if region is not None and region.table is not None:
        target = RegionTarget(region.table.name, region.table.object_id)
    return ColumnMeta(
        data_type=base.data_type,
        namespace=base.namespace,
        description=base.description,
        object_id=base.object_id,
        index=len(indexes),
        index_object_ids=tuple(i.object_id for i in indexes),
        target=target,
        elements_object_id=base.elements_data.object_id if isinstance(base, EnumData) else None,
        elements=base.elements if isinstance(base, EnumData) else None,
        attributes=dict(base.attributes),
        reftype=base.reftype,
    )


def type_label(col: VectorData) -> str:
    t = str(col.to_arrow().type)
    region = region_of(col)
    if region is not None and region.table is not None:
        return f"{t} -> {region.table.name}"
    return t


def column_from_stored(
    name: str,
    arrow_type: pa.DataType,
    meta: ColumnMeta,
    *,
    num_rows: int,
    value_counts: tuple[int, ...],
    read: Callable[[], pa.Array],
    vector_cls: type[VectorData] = VectorData,
    where: str = "",
) -> VectorData:
    """A column whose values stay in a store until first used.

    ``where`` (e.g. "while reading column 'x' of table 't' from store s") is added as a note
    to any error raised when the values are read and decoded.

    ``read()`` returns the whole column (as written: ``list`` levels for ragged columns);
    ``vector_cls`` is the class of a plain column (a VectorData subtype of an extension);
    ``value_counts`` gives the number of values of each list level, outermost first, so that
    every part knows its length without reading anything.
    """
    depth = ragged.list_depth(arrow_type)
    if meta.index != depth or len(value_counts) != depth:
        msg = (
            f"column {name!r}: the metadata says {meta.index} index level(s) and "
            f"{len(value_counts)} value count(s), but the stored type {arrow_type} has {depth}"
        )
        raise SchemaMismatchError(msg)
    split = functools.cache(_noted(lambda: ragged.split(read(), depth), where))
    inner = arrow_type
    for _ in range(depth):
        inner = inner.value_type
    n_values = value_counts[-1] if depth else num_rows
    check_stored_kind(name, inner, meta, vector_cls)
    base: VectorData
    if meta.data_type == "DynamicTableRegion":
        base = DynamicTableRegion(name, None, meta.description, object_id=meta.object_id)
        base._buf = ColumnBuffer.stored(pa.int64(), n_values, lambda: split()[0])
    elif is_enum_type(inner):  # dictionary, or fixed-size lists of one (N-D)
        enum = EnumData(
            name,
            meta.description,
            None,
            elements=_stored_elements(name, inner, meta),
            object_id=meta.object_id,
            elements_object_id=meta.elements_object_id,
        )
        enum._set_cell_shape(cell_shape(inner))
        codes = _noted(lambda: enum.codes_of(split()[0]), where)
        enum._buf = ColumnBuffer.stored(enum._buf.type, n_values, codes)
        base = enum
    else:
        base = vector_cls(
            name, meta.description, None, object_id=meta.object_id, attributes=meta.attributes
        )
        base._buf = ColumnBuffer.stored(normalize_type(inner), n_values, lambda: split()[0])
        if pa.types.is_null(inner):
            base._buf.allow_widening()  # stored before any value told its type, as in memory
    base.reftype = meta.reftype
    top: VectorData = base
    for k in reversed(range(depth)):  # innermost level first
        rows = num_rows if k == 0 else value_counts[k - 1]
        top = VectorIndex._stored(
            name + "_index" * (depth - k),
            top,
            rows=rows,
            last=value_counts[k],
            offsets=functools.partial(_level_offsets, split, k),
            valid=functools.partial(_level_valid, split, k, rows),
        )
        if k < len(meta.index_object_ids):
            top.object_id = meta.index_object_ids[k]
    return top


def check_stored_kind(
    name: str, inner: pa.DataType, meta: ColumnMeta, vector_cls: type[VectorData]
) -> None:
    """Raise SchemaMismatchError when a column's description (``meta``, and the class of its
    data type) names a kind of column its stored values (``inner``: the Arrow type below
    the ragged levels) cannot be: a DynamicTableRegion holds integer row positions, an
    EnumData a dictionary (whose elements the description lists).

    >>> check_stored_kind("e", pa.float64(), ColumnMeta("DynamicTableRegion"), VectorData)
    Traceback (most recent call last):
    hdmf_arrow.errors.SchemaMismatchError: column 'e': the manifest describes a ...
    """
    if meta.data_type == "DynamicTableRegion":
        if pa.types.is_integer(inner) or pa.types.is_null(inner):
            return
        what = " (an EnumData's codes and elements)" if is_enum_type(inner) else ""
        msg = (
            f"column {name!r}: the manifest describes a DynamicTableRegion, whose values are "
            f"integer row positions, but its values are stored as {inner}{what}"
        )
        raise SchemaMismatchError(msg)
    if is_enum_type(inner):
        if meta.elements is None:
            msg = (
                f"column {name!r}: its values are stored as {inner} (an EnumData), but the "
                f"manifest lists no elements for it; an enum column's description lists its "
                f"elements (docs/format.md, 6.1)"
            )
            raise SchemaMismatchError(msg)
        return
    if issubclass(vector_cls, EnumData):
        msg = (
            f"column {name!r}: the manifest describes an EnumData ({meta.data_type!r}), "
            f"whose values are stored as a dictionary (dictionary<uint*, string>), but its "
            f"values are stored as {inner}"
        )
        raise SchemaMismatchError(msg)


def _stored_elements(name: str, inner: pa.DataType, meta: ColumnMeta) -> pa.Array:
    """The elements a stored enum column's description lists, as an array of its stored
    dictionary's value type (so that an empty vocabulary is still of that type)."""
    value_type = cell_leaf(inner).value_type
    elements = meta.elements or ()
    try:
        return pa.array(elements, type=value_type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
        kinds = sorted({type(e).__name__ for e in elements})
        msg = (
            f"column {name!r}: the manifest lists elements of type(s) {', '.join(kinds)} "
            f"({list(elements)[:5]!r:.100}), but its stored dictionary holds {value_type} "
            f"({exc})"
        )
        raise SchemaMismatchError(msg) from None


def _level_offsets(split: Callable[[], tuple[pa.Array, list[ragged.Level]]], k: int) -> pa.Array:
    return split()[1][k].offsets


def _level_valid(
    split: Callable[[], tuple[pa.Array, list[ragged.Level]]], k: int, rows: int
) -> pa.Array:
    valid = split()[1][k].valid
    return pa.array(np.ones(rows, dtype=bool)) if valid is None else valid


def _noted(load: Callable[[], T], where: str) -> Callable[[], T]:
    """``load``, adding ``where`` as a note to the hdmf-arrow errors it raises."""
    if not where:
        return load

    def run() -> T:
        try:
            return load()
        except HdmfArrowError as exc:
            exc.add_note(where)
            raise

    return run


# -- columns of a stored table, made when first used ------------------------------------------


class StoredColumns(Protocol):
    """What a store reader gives a table for the columns it has not made yet (the io layer
    implements it): each column is made from its stored description when first asked for,
    so opening a table costs the same whatever its number of columns."""

    def build(self, name: str) -> VectorData:
        """Column ``name`` (its top part), values still in the store; raises what a damaged
        description raises (naming the table, the column and the store)."""
        ...

    def meta(self, name: str) -> ColumnMeta:
        """The ``hdmf`` metadata of column ``name``, as stored."""
        ...

    def plain_array(self, name: str) -> pa.Array | None:
        """The whole column as the made column's ``to_arrow()`` would return it, without
        making the column, when that is its stored array as read (a flat column of a plain
        type); None otherwise. Read once: the column made later reuses it."""
        ...

    def is_read(self, name: str) -> bool:
        """Whether the values of column ``name`` are held already (no read needed)."""
        ...


_PENDING: Any = object()  # the value of a ColumnMap key whose column is not made yet


class ColumnMap(MutableMapping[str, "VectorData"]):
    """A table's columns by name (``colnames`` order), some of them stored and not made yet:
    looking one up makes it (``StoredColumns.build``) and hands it to ``made`` (which
    registers its parts); listing names, ``in`` and ``len`` make nothing."""

    __slots__ = ("_d", "_lock", "_made", "source")

    def __init__(
        self,
        columns: dict[str, VectorData],
        stored: Sequence[str],
        source: StoredColumns,
        made: Callable[[VectorData], None],
    ) -> None:
        self._d: dict[str, Any] = dict(columns)
        self._d.update(dict.fromkeys(stored, _PENDING))
        self.source = source
        self._made = made
        # one column made once, however many threads ask for it at the same time (a table
        # read from a store may be read from several threads, as before columns were lazy)
        self._lock = threading.RLock()

    def __getitem__(self, name: str) -> VectorData:
        col = self._d[name]
        if col is _PENDING:
            with self._lock:
                col = self._d[name]
                if col is _PENDING:  # not made by another thread meanwhile
                    col = self.source.build(name)
                    self._d[name] = col
                    self._made(col)
        return col  # type: ignore[no-any-return]

    def is_pending(self, name: str) -> bool:
        """Whether column ``name`` is stored and not made yet."""
        return self._d.get(name) is _PENDING

    def pending(self) -> list[str]:
        return [n for n, c in self._d.items() if c is _PENDING]

    def __setitem__(self, name: str, col: VectorData) -> None:
        self._d[name] = col

    def __delitem__(self, name: str) -> None:
        del self._d[name]

    def __contains__(self, name: object) -> bool:
        return name in self._d

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)


class PartMap(MutableMapping[str, "Data"]):
    """A table's datasets by name (columns, their indexes and enum elements), for a table
    whose ``columns`` is a :class:`ColumnMap`: a name that may belong to a column not made
    yet (``x``, ``x_index``, ``x_elements``) makes that column first."""

    __slots__ = ("_cols", "_d")

    def __init__(self, parts: dict[str, Data], cols: ColumnMap) -> None:
        self._d = dict(parts)
        self._cols = cols

    def _find(self, name: object) -> Data | None:
        hit: Data | None = self._d.get(name)  # type: ignore[call-overload]
        if hit is None and isinstance(name, str):
            for owner in _owners(name):
                if self._cols.is_pending(owner):
                    self._cols[owner]  # made: its parts are registered
                    hit = self._d.get(name)
                    if hit is not None:
                        break
        return hit

    def __getitem__(self, name: str) -> Data:
        hit = self._find(name)
        if hit is None:
            raise KeyError(name)
        return hit

    def __contains__(self, name: object) -> bool:
        return name in self._cols or self._find(name) is not None  # a column is a part

    def __setitem__(self, name: str, part: Data) -> None:
        self._d[name] = part

    def __delitem__(self, name: str) -> None:
        del self._d[name]

    def _all(self) -> dict[str, Data]:
        for name in self._cols.pending():
            self._cols[name]
        return self._d

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _owners(name: str) -> list[str]:
    """The column names whose parts could be called ``name``: itself, and what is left
    without an ``_elements`` or ``_index`` suffixes.

    >>> _owners("x_index_index"), _owners("x_elements")
    (['x_index_index', 'x_index', 'x'], ['x_elements', 'x'])
    """
    out = [name]
    if name.endswith("_elements"):
        out.append(name[: -len("_elements")])
    while name.endswith("_index"):
        name = name[: -len("_index")]
        out.append(name)
    return out
