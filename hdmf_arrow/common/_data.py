"""Data, VectorData, VectorIndex and ElementIdentifiers: named arrays kept in Arrow."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow import chunks, ragged
from hdmf_arrow.arrow.buffer import ColumnBuffer, FastAppend, buffer_from_data
from hdmf_arrow.arrow.dtypes import DtypeLike, parse_dtype
from hdmf_arrow.common._container import Container, check_text
from hdmf_arrow.errors import CellTypeError, CellValueError, HdmfArrowError, RowIndexError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

ArrayLike = Any  # list, tuple, numpy array, pandas Series, pyarrow Array
RowOps = tuple[Callable[[object], object], Callable[[object], None]]
_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1


def with_context(exc: HdmfArrowError, where: str) -> HdmfArrowError:
    """The same kind of error, its message prefixed with where it happened (once)."""
    text = str(exc)
    return exc if text.startswith(where) else type(exc)(f"{where}: {text}")


class Data(Container):
    """A named array kept as one Arrow array (plus rows appended since it was last read).

    ``data`` is a numpy view (zero-copy for primitive types without nulls); ``to_arrow()`` the
    Arrow array itself.

    Examples
    --------
    >>> d = Data("trace", [0.5, 1.5])
    >>> d.append(2.5)
    >>> d.data
    array([0.5, 1.5, 2.5])
    """

    data_type: ClassVar[str] = "Data"

    def __init__(
        self,
        name: str,
        data: ArrayLike = None,
        *,
        dtype: DtypeLike = None,
        object_id: str | None = None,
    ) -> None:
        super().__init__(name, object_id=object_id)
        self.attributes: dict[str, object] = {}  # spec attributes, by name
        # "object": the values are object ids of containers of the same tree (HDF5 object
        # references); a compound dataset maps field names to it
        self.reftype: str | dict[str, str] | None = None
        if _containers(data):  # a column of references to containers: their object ids
            data = [None if c is None else c.object_id for c in data]  # type: ignore[union-attr]
            self.reftype = "object"
        t = parse_dtype(dtype, name=name)
        try:
            self._buf: ColumnBuffer = buffer_from_data(data, t, name=name)
        except HdmfArrowError as exc:
            raise with_context(exc, f"{type(self).__name__} {name!r}") from None

    # -- reading -------------------------------------------------------------------------------

    @property
    def data(self) -> np.ndarray:
        """The values as numpy (strings as objects; N-D columns as N-D arrays)."""
        return self._buf.numpy()

    @property
    def dtype(self) -> pa.DataType:
        """The Arrow type of one row."""
        return self._buf.type

    def to_arrow(self) -> pa.Array:
        """The values as one Arrow array (no copy)."""
        return self._buf.array()

    def __len__(self) -> int:
        return len(self._buf)

    def __arrow_c_array__(self, requested_schema: object = None) -> object:
        """The Arrow PyCapsule array protocol: ``pa.array(col)`` is ``col.to_arrow()``."""
        return self.to_arrow().__arrow_c_array__(requested_schema)

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        """The Arrow PyCapsule stream protocol: ``pl.Series(col)``, ``pa.chunked_array(col)``."""
        return pa.chunked_array([self.to_arrow()]).__arrow_c_stream__(requested_schema)

    def _repr_html_(self) -> str:
        """Jupyter's view: type, name, Arrow type, length and the first values."""
        shown = self.to_arrow()[:10].to_pylist()
        text = ", ".join(f"{v!r:.40}" for v in shown) + (", ..." if len(self) > 10 else "")
        title = html.escape(f"{self.data_type} {self.name!r}")
        about = html.escape(f"{self.dtype}, {len(self)} rows")
        return f"<b>{title}</b> ({about})<br><code>[{html.escape(text)}]</code>"

    def __getitem__(self, key: object) -> Any:
        return self.get(key)

    def get(self, key: object) -> Any:
        """``data[key]`` with numpy semantics: a scalar for an int, an array otherwise."""
        return self.data[self._position(key)]  # type: ignore[call-overload]

    def _position(self, key: object) -> object:
        """``key``, checked when it is one row position (the error names this object)."""
        if isinstance(key, int | np.integer) and not isinstance(key, bool):
            n = len(self)
            if not -n <= key < n:
                msg = f"{self.data_type} {self.name!r}: row {key} out of range (length {n})"
                raise RowIndexError(msg)
            return int(key) + n if key < 0 else int(key)
        return key

    def __iter__(self) -> Iterator[object]:
        return iter(self.data)

    @property
    def shape(self) -> tuple[int, ...]:
        """``(rows,)``, or ``(rows, k, ...)`` for N-D columns."""
        return tuple(self.data.shape)

    # -- appending -----------------------------------------------------------------------------

    def append(self, value: object) -> None:
        """Append one value (checked first: a refused value changes nothing)."""
        try:
            cell = self._check_cell(value)
        except HdmfArrowError as exc:
            raise with_context(exc, f"{self.data_type} {self.name!r}") from None
        self._append_cell(cell)

    def add_row(self, value: object) -> None:
        """Alias of :meth:`append`, as in hdmf."""
        self.append(value)

    def extend(self, values: Iterable[object]) -> None:
        """Append many values; numpy and Arrow input is converted in bulk."""
        bulk = isinstance(values, np.ndarray | pa.Array | pa.ChunkedArray)
        if bulk and _plain(self, "_check_many", "_extend_checked"):
            try:
                self._buf.extend_array(buffer_from_data(values, None, name=self.name).array())
            except (HdmfArrowError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                msg = f"{self.data_type} {self.name!r}: cannot append {values!r:.60} ({exc})"
                raise CellTypeError(msg) from None
            return
        try:
            cells = self._check_many(values if isinstance(values, list | tuple) else list(values))
        except HdmfArrowError as exc:
            raise with_context(exc, f"{self.data_type} {self.name!r}") from None
        self._extend_checked(cells)

    # -- the protocol a table uses: check every cell of a row, then append them all ----------

    def _check_cell(self, value: object) -> object:
        if isinstance(value, Container):  # a reference: the container's object id
            if self.reftype != "object" and len(self):
                msg = (
                    f"expected a value of type {self._buf.type}, found a container "
                    f"({type(value).__name__} {value.name!r}); only a column of references "
                    f"(reftype 'object', or empty) holds containers"
                )
                raise CellTypeError(msg)
            return _Reference(str(self._buf.check(value.object_id)))
        return self._buf.check(value)

    def _append_cell(self, cell: object) -> None:
        if isinstance(cell, _Reference):
            self.reftype = "object"
            cell = cell.object_id
        self._buf.append(cell)

    def _check_many(self, values: object) -> Sequence[object]:
        return self._buf.check_many(values)

    def _extend_checked(self, cells: Sequence[object]) -> None:
        self._buf.extend(cells)

    def _fill_nulls(self, n: int) -> None:
        self._buf.extend([None] * n)

    def _row_ops(self) -> RowOps:
        """``(check, append)`` for one cell at a time, as direct as this column allows.

        ``DynamicTable.add_row`` calls every column's check before any append; the pair
        must behave exactly like ``_check_cell`` and ``_append_cell``.
        """
        if _plain(self, "_check_cell", "_append_cell"):
            return self._buf.row_ops()
        return self._check_cell, self._append_cell

    def _fast_append(self) -> FastAppend | None:
        """This column's part in ``add_row``'s fast path, or None if it has none (see
        ``hdmf_arrow.common._rows``)."""
        if _plain(self, "_check_cell", "_append_cell"):
            return self._buf.fast_append()
        return None

    @property
    def index_depth(self) -> int:
        """How many VectorIndex levels sit on this column (0 for a plain column)."""
        return 0

    # -- what a store needs: rows not committed yet, and marking them committed ---------------

    @property
    def _loaded(self) -> bool:
        """False while some stored values have not been read."""
        return self._buf.loaded

    def _committed_rows(self) -> int:
        return self._buf.committed

    def _tail_arrow(self) -> pa.Array:
        """The rows added since the last commit, as Arrow (the whole column if never)."""
        return self._buf.tail()

    def _mark_committed(self) -> None:
        self._buf.mark_committed()


class VectorData(Data):
    """A column of a table: a named, described array, one value (or N-D array) per row.

    Examples
    --------
    >>> v = VectorData("weight", "Weight in grams", [25.3, 27.1], unit="g")
    >>> v.data, v.unit, len(v)
    (array([25.3, 27.1]), 'g', 2)
    """

    data_type: ClassVar[str] = "VectorData"

    def __init__(
        self,
        name: str,
        description: str,
        data: ArrayLike = None,
        *,
        dtype: DtypeLike = None,
        unit: str | None = None,
        resolution: float | None = None,
        conversion: float | None = None,
        object_id: str | None = None,
        attributes: Mapping[str, object] | None = None,
    ) -> None:
        check_text(description, arg="description", owner=f"{type(self).__name__} {name!r}")
        super().__init__(name, data, dtype=dtype, object_id=object_id)
        self.description = description
        self.attributes = dict(attributes or {})  # spec attributes, by name
        self.attributes.update(
            (k, v)
            for k, v in (("unit", unit), ("resolution", resolution), ("conversion", conversion))
            if v is not None
        )

    @property
    def unit(self) -> str | None:
        """Unit of measurement of the values, or None."""
        return self.attributes.get("unit")  # type: ignore[return-value]

    @property
    def resolution(self) -> float | None:
        """Smallest meaningful difference between values, or None."""
        return self.attributes.get("resolution")  # type: ignore[return-value]

    @property
    def conversion(self) -> float | None:
        """Factor that converts the stored values to ``unit``, or None."""
        return self.attributes.get("conversion")  # type: ignore[return-value]

    def get_target_data(self) -> VectorData:
        """The VectorData that holds the values (itself; an index returns its base)."""
        return self

    def get_meanings(self) -> Any:
        """The MeaningsTable of this column in its table, or None (as hdmf)."""
        finder = getattr(self.parent, "get_meanings_for_column", None)
        if finder is None:
            return None
        try:
            return finder(self.name)
        except KeyError:
            return None


class VectorIndex(VectorData):
    """The row boundaries of a ragged column: row i is ``target[data[i-1]:data[i]]``.

    ``data`` holds the end offsets (exclusive), as in hdmf. In Arrow, index and target form one
    ``list<T>`` array whose offsets are ``[0, *data]`` (``to_arrow()``, zero-copy). An index
    may target another index (doubly ragged columns, ``list<list<T>>``).

    Examples
    --------
    >>> spikes = VectorData("spike_times", "Spike times", [0.1, 0.3, 0.2])
    >>> idx = VectorIndex("spike_times_index", [2, 3], target=spikes)
    >>> idx[0], idx[1]
    ([0.1, 0.3], [0.2])
    >>> idx.add_vector([0.5, 0.6])
    >>> idx.data, idx.to_arrow().type
    (array([2, 3, 5], dtype=uint8), ListType(list<item: double>))
    """

    data_type: ClassVar[str] = "VectorIndex"

    def __init__(
        self,
        name: str,
        data: ArrayLike,
        target: VectorData,
        *,
        object_id: str | None = None,
    ) -> None:
        if not isinstance(target, VectorData):
            msg = (
                f"VectorIndex {name!r}: 'target' must be a VectorData, "
                f"found {type(target).__name__}"
            )
            raise TypeError(msg)
        data = read_iterator(data, name)  # an hdmf chunk iterator of offsets, read whole
        if isinstance(data, pa.Array | pa.ChunkedArray):
            data = data.to_numpy(zero_copy_only=False)
        ends = np.asarray([] if data is None else data)
        if ends.size and (ends.dtype.kind not in "iu" or ends.ndim != 1):
            msg = f"VectorIndex {name!r}: expected 1-D integer end offsets, found {ends.dtype}"
            raise CellTypeError(msg)
        _check_offsets(name, target, ends.astype(np.int64))
        wide = ends.size and int(ends[-1]) > _INT32_MAX
        offsets = np.concatenate([[0], ends]).astype(np.int64 if wide else np.int32)
        self._setup(
            name, target, ColumnBuffer(array=pa.array(offsets)), None, int(offsets[-1]), object_id
        )

    @classmethod
    def _from_level(cls, name: str, level: ragged.Level, target: VectorData) -> VectorIndex:
        """An index over ``target`` from Arrow offsets (starting at 0), without copying them."""
        index = cls.__new__(cls)
        valid = None if level.valid is None else ColumnBuffer(array=level.valid)
        last = int(level.offsets[-1].as_py())
        index._setup(name, target, ColumnBuffer(array=level.offsets), valid, last, None)
        return index

    @classmethod
    def _stored(
        cls,
        name: str,
        target: VectorData,
        *,
        rows: int,
        last: int,
        offsets: Callable[[], pa.Array],
        valid: Callable[[], pa.Array],
    ) -> VectorIndex:
        """An index whose offsets (and validity) are read from a store on first use."""
        index = cls.__new__(cls)
        offsets_type = pa.int32() if last <= _INT32_MAX else pa.int64()
        index._setup(
            name,
            target,
            ColumnBuffer.stored(offsets_type, rows + 1, offsets),
            ColumnBuffer.stored(pa.bool_(), rows, valid),
            last,
            None,
        )
        return index

    def _setup(
        self,
        name: str,
        target: VectorData,
        offsets: ColumnBuffer,
        valid: ColumnBuffer | None,
        last: int,
        object_id: str | None,
    ) -> None:
        Container.__init__(self, name, object_id=object_id)
        self.description = f"Index for VectorData {target.name!r}"
        self.attributes = {}
        self._target = target
        target.parent = self
        self._buf = offsets
        self._valid = valid
        self._last = last

    @property
    def target(self) -> VectorData:
        """The VectorData (or VectorIndex, for doubly ragged columns) being indexed."""
        return self._target

    @property
    def children(self) -> tuple[Container, ...]:
        return (self._target,)

    @property
    def index_depth(self) -> int:
        return 1 + self._target.index_depth

    def get_target_data(self) -> VectorData:
        """The innermost VectorData, below every index level."""
        return self._target.get_target_data()

    @property
    def data(self) -> np.ndarray:
        """End offsets (exclusive) of each row in ``target``, as the narrowest unsigned integer
        type that holds them (as hdmf keeps and writes them; the Arrow offsets stay int32)."""
        ends = self._buf.numpy()[1:]
        last = int(ends[-1]) if len(ends) else 0  # offsets never decrease: the last is the max
        for narrow in (np.uint8, np.uint16, np.uint32, np.uint64):
            if last <= np.iinfo(narrow).max:
                return ends.astype(narrow)
        return ends  # pragma: no cover - int64 offsets beyond uint64 cannot exist

    @property
    def dtype(self) -> pa.DataType:
        return self.to_arrow().type

    def __len__(self) -> int:
        return len(self._buf) - 1

    def to_arrow(self) -> pa.Array:
        """The ragged column as one ``list`` array over the target's values (no copy)."""
        valid = None if self._valid is None else self._valid.array()
        return ragged.join(self._target.to_arrow(), [ragged.Level(self._buf.array(), valid)])

    def get(self, key: object) -> Any:
        """Row ``key`` as a list (a DataFrame for region columns); a list of rows for slices."""
        arr = self.to_arrow()
        region = self._region()
        if isinstance(key, int | np.integer):
            cell = arr[self._position(key)]
            if region is not None:
                return region._rows_frame(cell.values if cell.is_valid else pa.array([]))
            return cell.as_py()
        rows = take_rows(arr, key, what=f"{self.data_type} {self.name!r}")
        if region is not None:
            return [region._rows_frame(c.values if c.is_valid else pa.array([])) for c in rows]
        return rows.to_pylist()

    def __iter__(self) -> Iterator[Any]:
        """The rows: lists (DataFrames for region columns)."""
        region = self._region()
        if region is None:
            return iter(self.to_arrow().to_pylist())
        return (self.get(i) for i in range(len(self)))

    def _region(self) -> Any:
        from hdmf_arrow.common._region import DynamicTableRegion

        base = self.get_target_data()
        return base if isinstance(base, DynamicTableRegion) else None

    def add_vector(self, values: object) -> None:
        """Append one row: ``values`` go to the target, their end offset to this index."""
        self.append(values)

    def add_row(self, value: object, index: bool = False) -> None:
        """Append one row; with ``index=True`` the row holds an EnumData target's integer
        codes rather than its values (as in hdmf)."""
        if index:
            values_of = getattr(self._target, "_values_of_codes", None)  # an EnumData's
            if values_of is None:
                msg = (
                    f"{self.data_type} {self.name!r}: index=True gives codes of an EnumData, "
                    f"but the target {self._target.name!r} is a {self._target.data_type}"
                )
                raise CellTypeError(msg)
            value = values_of(value)
        self.append(value)

    def _check_cell(self, value: object) -> object:
        if value is None:
            return None
        if isinstance(self._target, VectorIndex):
            if not isinstance(value, list | tuple | np.ndarray | pa.Array):
                msg = f"expected a sequence of sequences, found {type(value).__name__}"
                raise CellTypeError(msg)
            return [self._target._check_cell(v) for v in value]
        return self._target._check_many(value)

    def _append_cell(self, cell: object) -> None:
        if cell is None:
            if self._valid is None:
                self._valid = ColumnBuffer(pa.bool_())
                self._valid.extend([True] * len(self))
            self._valid.append(False)
        else:
            if isinstance(self._target, VectorIndex):
                for inner in cell:  # type: ignore[attr-defined]
                    self._target._append_cell(inner)
            else:
                self._target._extend_checked(cell)  # type: ignore[arg-type]
            if self._valid is not None:
                self._valid.append(True)
            self._last += len(cell)  # type: ignore[arg-type]
        if self._last > _INT32_MAX and self._buf.type == pa.int32():
            self._buf.cast(pa.int64())
        self._buf.append(self._last)

    def _row_ops(self) -> RowOps:
        target = self._target
        if not _plain(target, "_check_many", "_extend_checked"):
            return self._check_cell, self._append_cell  # regions, enums, nested indexes
        values = target._buf
        return values.check_many, self._ragged_append(values.extend)

    def _fast_append(self) -> FastAppend | None:
        if not _plain(self._target, "_check_many", "_extend_checked"):
            return None
        fast = self._target._buf.fast_extend()
        if fast is None:
            return None
        return fast._replace(append=self._ragged_append(fast.append))

    def _ragged_append(self, extend: Callable[[Any], None]) -> Callable[[object], None]:
        """Append one checked cell: ``extend`` takes its values, the offsets its end. A numpy
        cell (from the fast path's ``prepare``) goes to the values' ``extend_numpy``."""
        offsets_append = self._buf.row_ops()[1]
        extend_numpy = self._target._buf.extend_numpy

        def append(cell: object) -> None:
            last = 0 if cell is None else self._last + len(cell)  # type: ignore[arg-type]
            if cell is None or self._valid is not None or last > _INT32_MAX:
                # null cells, validity, offsets switching to int64: the general path
                self._append_cell(cell.tolist() if type(cell) is np.ndarray else cell)
                return
            if type(cell) is np.ndarray:
                extend_numpy(cell)
            else:
                extend(cell)
            self._last = last
            offsets_append(last)

        return append

    @property
    def _loaded(self) -> bool:
        return self._buf.loaded and self._target._loaded

    def _committed_rows(self) -> int:
        return max(self._buf.committed - 1, 0)  # the offsets start with a 0

    def _tail_arrow(self) -> pa.Array:
        values = self._target._tail_arrow()
        if self._buf.committed == 0:
            offsets = self._buf.array()  # never committed: all offsets, leading 0 included
        else:
            first = self._target._committed_rows()
            ends = self._buf.tail()
            offsets = pc.subtract(
                pa.concat_arrays([pa.array([first], type=ends.type), ends]),
                pa.scalar(first, ends.type),
            )
        if offsets.type == pa.int64() and int(offsets[-1].as_py()) <= _INT32_MAX:
            offsets = offsets.cast(pa.int32())  # each file's offsets start at 0: keep list<T>
        valid = None if self._valid is None else self._valid.tail()
        return ragged.join(values, [ragged.Level(offsets, valid)])

    def _mark_committed(self) -> None:
        self._buf.mark_committed()
        if self._valid is not None:
            self._valid.mark_committed()
        self._target._mark_committed()

    def _check_many(self, values: object) -> Sequence[object]:
        if not isinstance(values, list | tuple | np.ndarray):
            msg = f"expected a sequence of rows, found {type(values).__name__}"
            raise CellTypeError(msg)
        return [self._check_cell(v) for v in values]

    def _extend_checked(self, cells: Sequence[object]) -> None:
        for cell in cells:
            self._append_cell(cell)

    def _fill_nulls(self, n: int) -> None:
        for _ in range(n):
            self._append_cell(None)


def _plain(obj: Data, *methods: str) -> bool:
    """Whether ``obj``'s class keeps Data's own versions of ``methods`` (values go straight
    into its buffer), so that the buffer's direct row ops may stand in for them."""
    return all(getattr(type(obj), m) is getattr(Data, m) for m in methods)


def _check_offsets(name: str, target: VectorData, ends: np.ndarray) -> None:
    n = len(target)
    if not ends.size:
        if n:
            msg = f"VectorIndex {name!r} has no rows but its target {target.name!r} has {n} values"
            raise CellValueError(msg)
        return
    if ends[0] < 0 or (np.diff(ends) < 0).any() or ends[-1] != n:
        more = "..." if ends.size > 5 else ""
        msg = (
            f"VectorIndex {name!r}: offsets must be non-decreasing end offsets in [0, {n}] "
            f"ending at len({target.name!r}) = {n}, found {ends[:5].tolist()}{more} ending "
            f"at {int(ends[-1])}"
        )
        raise CellValueError(msg)


class ElementIdentifiers(Data):
    """The row ids of a table: integers, int64 in Arrow.

    ``ids == x`` returns the *positions* of the ids found in ``x`` (ascending), as in hdmf, so
    ``table[table.id == 5]`` selects the row with id 5.

    Examples
    --------
    >>> ids = ElementIdentifiers("id", [10, 11, 12])
    >>> ids == [12, 10]
    array([0, 2])
    >>> 11 in ids
    True
    """

    data_type: ClassVar[str] = "ElementIdentifiers"

    def __init__(
        self, name: str = "element_id", data: ArrayLike = None, *, object_id: str | None = None
    ) -> None:
        values = [] if data is None else read_iterator(data, name)
        if isinstance(values, ElementIdentifiers):
            values = values.to_arrow()
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        arr = values if isinstance(values, pa.Array) else np.asarray(values)
        if isinstance(values, list | tuple) and arr.dtype.kind == "f":
            _check_id_range(name, np.asarray(values, dtype=object))  # big ints made floats
        _check_id_range(name, arr)
        integer = (
            pa.types.is_integer(arr.type) if isinstance(arr, pa.Array) else arr.dtype.kind in "iu"
        )
        if len(arr) and not integer:
            found = arr.type if isinstance(arr, pa.Array) else arr.dtype
            msg = f"ElementIdentifiers {name!r} must contain integers, found {found}"
            raise CellValueError(msg)
        super().__init__(name, arr if len(arr) else None, dtype=pa.int64(), object_id=object_id)
        self._refs: dict[str, int] = {}

    def __eq__(self, other: object) -> np.ndarray:  # type: ignore[override]
        """The positions of the given ids (hdmf's search: ``ids == [3, 5]``)."""
        values = np.asarray(other.data if isinstance(other, Data) else other)
        if values.size and values.dtype.kind not in "iu":
            msg = f"ElementIdentifiers {self.name!r}: ids are integers, found {values.dtype} ids"
            raise TypeError(msg)
        return np.flatnonzero(np.isin(self.data, values))

    __hash__ = Container.__hash__

    def __contains__(self, value: object) -> bool:
        return bool(np.any(self.data == value))

    def add_ref(self, container: Container) -> int:
        """Give ``container`` an identifier: a new id (max + 1), the same one if asked again.

        The container-to-id mapping lives in memory only; the ids themselves are data.

        >>> ids = ElementIdentifiers("id", [0, 1])
        >>> c = Container("probe")
        >>> ids.add_ref(c), ids.add_ref(c), len(ids)
        (2, 2, 3)
        """
        if container.object_id in self._refs:
            return self._refs[container.object_id]
        new = int(self.data.max()) + 1 if len(self) else 0
        self.append(new)
        self._refs[container.object_id] = new
        return new


def _check_id_range(name: str, arr: pa.Array | np.ndarray) -> None:
    """Refuse ids beyond int64 (what a table's ids are stored as)."""
    beyond: object = None
    if isinstance(arr, pa.Array):
        if pa.types.is_uint64(arr.type) and len(arr):
            top = pc.max(arr).as_py()
            beyond = top if top is not None and top > _INT64_MAX else None
    elif arr.dtype == np.uint64 and arr.size:
        top = int(arr.max())
        beyond = top if top > _INT64_MAX else None
    elif arr.dtype == object and arr.ndim == 1:
        ints = [v for v in arr.tolist() if type(v) is int]
        beyond = next((v for v in ints if not -_INT64_MAX - 1 <= v <= _INT64_MAX), None)
    if beyond is not None:
        msg = (
            f"ElementIdentifiers {name!r}: ids are int64, found {beyond}, which is beyond "
            f"int64 (ids lie in [{-_INT64_MAX - 1}, {_INT64_MAX}])"
        )
        raise CellValueError(msg)


class _Reference:
    """A checked cell that refers to a container (appending it makes the column a column of
    references, as its first such cell does)."""

    __slots__ = ("object_id",)

    def __init__(self, object_id: str) -> None:
        self.object_id = object_id


def _containers(data: object) -> bool:
    """A list of containers (None allowed) given as a column's data. Only a list whose first
    value is a container is scanned, so other lists (numbers, text) cost one step."""
    if not isinstance(data, list | tuple):
        return False
    first = next((c for c in data if c is not None), None)
    return isinstance(first, Container) and all(c is None or isinstance(c, Container) for c in data)


def take_rows(arr: pa.Array, key: object, *, what: str) -> pa.Array:
    """Rows of ``arr`` selected by a slice, a list of positions or a boolean mask; ``what``
    names the column in errors ("EnumData 'e'")."""
    if isinstance(key, slice):
        start, stop, step = key.indices(len(arr))
        if step == 1:
            return arr.slice(start, max(stop - start, 0))
        return arr.take(pa.array(np.arange(start, stop, step)))
    positions = np.asarray(key)
    if positions.size == 0:
        positions = positions.astype(np.int64)  # [] selects no rows
    n = len(arr)
    if positions.ndim != 1:
        msg = f"{what}: rows are selected by a 1-D list of positions, found shape {positions.shape}"
        raise CellTypeError(msg)
    if positions.dtype == bool:
        if positions.shape != (n,):
            msg = f"{what}: a boolean mask of shape {positions.shape} for {n} rows"
            raise RowIndexError(msg)
        positions = np.flatnonzero(positions)
    if positions.dtype.kind not in "iu":
        msg = f"{what}: cannot select rows with {type(key).__name__} {key!r:.40}"
        raise CellTypeError(msg)
    bad = positions[(positions >= n) | (positions < -n)]
    if bad.size:  # Arrow's take would raise a bare ArrowIndexError, or wrap a negative one
        msg = f"{what}: row {int(bad[0])} out of range (length {n})"
        raise RowIndexError(msg)
    return arr.take(pa.array(np.where(positions < 0, positions + n, positions)))


def read_iterator(data: object, name: str, t: pa.DataType | None = None) -> Any:
    """``data``, with an hdmf chunk iterator (or a DataIO around data) read into Arrow
    (:func:`hdmf_arrow.arrow.chunks.read_chunks`); other data as it is."""
    if data is None or isinstance(data, list | tuple | np.ndarray | pa.Array | pa.ChunkedArray):
        return data
    return chunks.column_data(data, t, name=name, convert=_arrow_of_chunk)


def _arrow_of_chunk(values: np.ndarray, t: pa.DataType | None, *, name: str) -> pa.Array:
    return buffer_from_data(values, t, name=name).array()
