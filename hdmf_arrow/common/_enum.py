"""EnumData: categorical values as unsigned codes into a list of elements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow.buffer import ColumnBuffer, FastAppend, from_python
from hdmf_arrow.arrow.dtypes import as_array, not_cells
from hdmf_arrow.common._container import EXP_NAMESPACE
from hdmf_arrow.common._data import (
    ArrayLike,
    VectorData,
    read_iterator,
    take_rows,
    with_context,
)
from hdmf_arrow.errors import CellTypeError, CellValueError, HdmfArrowError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence


def code_type(n_elements: int) -> pa.DataType:
    """The narrowest unsigned type for codes into ``n_elements`` elements (as hdmf picks)."""
    for t in (pa.uint8(), pa.uint16(), pa.uint32()):
        if n_elements <= 2**t.bit_width:
            return t
    return pa.uint64()


def cell_shape(t: pa.DataType) -> tuple[int, ...]:
    """The sizes of the fixed-size list levels on the outside of ``t``: ``()`` for one value
    per row, ``(k,)`` for rows of ``k`` values (a 2-D EnumData), and so on.

    >>> cell_shape(pa.list_(pa.dictionary(pa.uint8(), pa.string()), 2))
    (2,)
    """
    shape: list[int] = []
    while pa.types.is_fixed_size_list(t):
        shape.append(t.list_size)
        t = t.value_type
    return tuple(shape)


def cell_leaf(t: pa.DataType) -> pa.DataType:
    """The type below the fixed-size list levels of ``t``."""
    while pa.types.is_fixed_size_list(t):
        t = t.value_type
    return t


def is_enum_type(t: pa.DataType) -> bool:
    """Whether ``t`` is what an EnumData column is in Arrow: a dictionary, or fixed-size lists
    of one (an N-D EnumData)."""
    return bool(pa.types.is_dictionary(cell_leaf(t)))


def nested_type(leaf: pa.DataType, shape: tuple[int, ...]) -> pa.DataType:
    """``leaf`` inside fixed-size list levels of ``shape`` (outermost first)."""
    for k in reversed(shape):
        leaf = pa.list_(leaf, k)
    return leaf


def split_cells(arr: pa.Array) -> tuple[pa.Array, Callable[[pa.Array], pa.Array]]:
    """The values below the fixed-size list levels of ``arr`` (null rows keep their slots),
    and the function that puts an array of as many values back into those levels.

    >>> leaf, rewrap = split_cells(pa.array([[1, 2], None], pa.list_(pa.int64(), 2)))
    >>> leaf.to_pylist(), rewrap(pa.array(["a", "b", None, None])).to_pylist()
    ([1, 2, None, None], [['a', 'b'], None])
    """
    if not pa.types.is_fixed_size_list(arr.type):
        return arr, _same
    k = arr.type.list_size
    mask = pc.invert(arr.is_valid()) if arr.null_count else None
    inner, rewrap = split_cells(arr.values.slice(arr.offset * k, len(arr) * k))

    def wrap(leaf: pa.Array) -> pa.Array:
        return pa.FixedSizeListArray.from_arrays(rewrap(leaf), k, mask=mask)

    return inner, wrap


def enum_cells(codes: pa.Array, elements: pa.Array) -> pa.Array:
    """Codes (``uint*``, or fixed-size lists of them) as the EnumData's Arrow column: the
    same shape with ``dictionary<uint*, T>`` values."""
    leaf, rewrap = split_cells(codes)
    return rewrap(pa.DictionaryArray.from_arrays(leaf, elements))


def _same(arr: pa.Array) -> pa.Array:
    return arr


class _New:
    """A cell naming an element that ``_append_cell`` adds (hdmf grows elements on add_row)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


class _Cell:
    """An N-D cell, checked: its codes (or ``_New`` elements), flat, and its shape."""

    __slots__ = ("shape", "values")

    def __init__(self, values: list[object], shape: tuple[int, ...]) -> None:
        self.values = values
        self.shape = shape


class EnumData(VectorData):
    """Categorical values: unsigned codes into ``elements`` (Arrow ``dictionary<uint, T>``).

    ``data`` may hold codes or element values. Indexing returns element values; ``data``
    returns the codes. Without ``elements``, the elements are the distinct values of ``data``
    in order of first appearance. Appending a value that is not an element yet adds it, as in
    hdmf.

    ``data`` may also be N-D (as in hdmf): each row is a fixed number of values, e.g.
    ``data=[[0, 1], [1, 0]]``. In Arrow such a column is ``fixed_size_list<dictionary<uint,
    T>>[k]``; ``data`` is the 2-D array of codes and ``e[i]`` the row's element values; a row
    appended with ``add_row(["a", "b"])`` (or ``add_row([0, 1], index=True)``) must have the
    column's shape. An empty EnumData takes the shape of its first row.

    Examples
    --------
    >>> e = EnumData("state", "behaviour", data=["rest", "run", "rest"], elements=["rest", "run"])
    >>> e.data, e.elements, e[1]
    (array([0, 1, 0], dtype=uint8), ('rest', 'run'), 'run')
    >>> e.append("groom")
    >>> e.elements, e.to_arrow().type
    (('rest', 'run', 'groom'), DictionaryType(dictionary<values=string, indices=uint8, ordered=0>))
    >>> pair = EnumData("pair", "d", data=[[0, 1], [1, 1]], elements=["a", "b"])
    >>> pair[0].tolist(), pair.data.shape, pair.to_arrow().type.list_size
    (['a', 'b'], (2, 2), 2)
    """

    data_type: ClassVar[str] = "EnumData"
    namespace: ClassVar[str] = EXP_NAMESPACE

    def __init__(
        self,
        name: str,
        description: str,
        data: ArrayLike = None,
        elements: ArrayLike = None,
        *,
        object_id: str | None = None,
        elements_object_id: str | None = None,
    ) -> None:
        try:
            flat, self._shape, rewrap = _flat_cells(data)
            self._elements = _elements_of(name, flat, elements, elements_object_id)
        except HdmfArrowError as exc:
            raise with_context(exc, f"EnumData {name!r}") from None
        if isinstance(flat, pa.DictionaryArray):
            flat = flat.indices
        values = self._elements.to_arrow().to_pylist()
        self._lookup: dict[object, int] = {}
        for i, v in enumerate(values):
            if v in self._lookup:
                msg = f"EnumData {name!r}: element {v!r} appears twice in the elements"
                raise CellValueError(msg)
            self._lookup[v] = i
        codes = self._codes_from(flat, name=name)
        if codes is not None:
            codes = rewrap(codes)
        super().__init__(name, description, codes, dtype=self._code_type(), object_id=object_id)
        self._elements.parent = self

    def _code_type(self) -> pa.DataType:
        """The buffer's type: the narrowest codes, in the column's fixed-size levels."""
        return nested_type(code_type(len(self._lookup)), self._shape)

    @property
    def cell_shape(self) -> tuple[int, ...]:
        """The shape of one row: ``()`` for one value per row, ``(k,)`` for ``k`` values."""
        return self._shape

    def _set_cell_shape(self, shape: tuple[int, ...]) -> None:
        """Give an empty column its rows' shape (a column read from a store, or the first
        N-D row appended)."""
        if shape == self._shape:
            return
        if len(self):
            msg = (
                f"EnumData {self.name!r}: rows have shape {self._shape}, cannot change to "
                f"{shape} with {len(self)} rows"
            )
            raise CellValueError(msg)
        self._shape = shape
        self._buf = ColumnBuffer(self._code_type())
        ColumnBuffer.retypes += 1  # add_row's plans hold the old buffer: they are rebuilt

    def _codes_from(self, data: ArrayLike, *, name: str) -> pa.Array | None:
        """Codes from integer codes, element values or both (``None`` is a null)."""
        if data is None:
            return None
        if isinstance(data, pa.Array) and pa.types.is_integer(data.type):
            codes = data
        elif isinstance(data, np.ndarray) and data.dtype.kind in "iu":
            codes = pa.array(data)
        else:
            values = data.to_pylist() if isinstance(data, pa.Array) else list(data)  # type: ignore[arg-type]
            try:
                mapped = [
                    v
                    if v is None or (isinstance(v, int | np.integer) and not isinstance(v, bool))
                    else self._lookup[v]
                    for v in values
                ]
            except KeyError as exc:
                msg = (
                    f"EnumData {name!r}: value {exc.args[0]!r} is not one of the elements "
                    f"{list(self._lookup)[:10]}. Hint: add it to 'elements' or with add_element()."
                )
                raise CellValueError(msg) from None
            except TypeError:
                msg = f"EnumData {name!r}: values must be element values or integer codes"
                raise CellTypeError(msg) from None
            codes = pa.array(mapped, type=pa.int64())
        n = len(self._lookup)
        lo, hi = pc.min_max(codes).values()
        if lo.is_valid and (lo.as_py() < 0 or hi.as_py() >= n):
            bad = pc.filter(codes, pc.or_(pc.less(codes, 0), pc.greater_equal(codes, n)))
            msg = (
                f"EnumData {name!r}: codes {bad.to_pylist()[:10]} are out of range for {n} elements"
            )
            raise CellValueError(msg)
        return codes

    @property
    def elements(self) -> tuple[object, ...]:
        """The allowed values, in code order."""
        return tuple(self._lookup)

    @property
    def elements_data(self) -> VectorData:
        """The VectorData holding the elements (``<name>_elements``, as hdmf names it)."""
        return self._elements

    def add_element(self, element: object) -> None:
        """Add an allowed value (its code is the next integer)."""
        if isinstance(element, bytes | bytearray):
            raise _bytes_element(element, self.name)
        if element in self._lookup:
            msg = f"EnumData {self.name!r}: {element!r} is already an element"
            raise CellValueError(msg)
        self._elements.append(element)
        self._lookup[element] = len(self._lookup)
        wanted = self._code_type()
        if wanted != self._buf.type:
            self._buf.cast(wanted)

    def add_row(self, value: object, index: bool = False) -> None:
        """Append one value; with ``index=True`` the value is an element's integer code (for
        an N-D column: one row of values, or of codes).

        >>> e = EnumData("cv", "d", elements=["a", "b"])
        >>> e.add_row("b"); e.add_row(0, index=True)
        >>> e[:].tolist()
        ['b', 'a']
        """
        if index:
            value = self._values_of_codes(value)
        self.append(value)

    def _values_of_codes(self, value: object) -> object:
        """The element values of a cell of codes (``add_row(..., index=True)``)."""
        n = len(self._lookup)
        nd = isinstance(value, list | tuple | np.ndarray)
        cells = np.asarray(value, dtype=object)
        flat: list[Any] = cells.ravel().tolist() if nd else [value]
        for code in flat:
            if not isinstance(code, int | np.integer) or isinstance(code, bool):
                msg = (
                    f"EnumData {self.name!r}: index=True takes an integer code (for an N-D "
                    f"column, a row of them), found {code!r:.40}"
                )
                raise CellTypeError(msg)
            if not 0 <= code < n:
                msg = (
                    f"EnumData {self.name!r}: code {code} out of range: the column has {n} elements"
                )
                raise CellValueError(msg)
        elements = self.elements
        if not nd:
            return elements[int(flat[0])]
        out = np.empty(len(flat), dtype=object)
        out[:] = [elements[int(c)] for c in flat]
        return out.reshape(cells.shape)

    # -- cells: element values or integer codes ----------------------------------------------

    def _check_cell(self, value: object) -> object:
        rowlike = (isinstance(value, list | tuple) and len(value) > 0) or (
            isinstance(value, np.ndarray) and value.ndim > 0 and value.size > 0
        )
        first_row = rowlike and not len(self)
        if self._shape or first_row:  # an N-D column, or the first row of one
            return self._check_nd(value)
        return self._check_value(value)

    def _check_nd(self, value: object) -> _Cell | None:
        """A row of an N-D column (or the first row of an empty one), checked value by value."""
        if value is None:
            return None
        if not isinstance(value, list | tuple | np.ndarray):
            msg = (
                f"expected a row of shape {self._shape} (this EnumData holds "
                f"{self._shape} values per row), found {type(value).__name__}"
            )
            raise CellTypeError(msg)
        try:
            arr = np.asarray(value, dtype=object)
        except ValueError:  # ragged
            arr = np.empty(0, dtype=object)
        regular = arr.ndim > 0 and not any(
            isinstance(v, list | tuple | np.ndarray) for v in arr.ravel().tolist()
        )
        if not regular or 0 in arr.shape or (self._shape and arr.shape != self._shape):
            expected = f"shape {self._shape}" if self._shape else "a regular shape"
            found = f"shape {arr.shape}" if regular else "ragged values"
            msg = f"expected a row of {expected}, found {found}"
            raise CellValueError(msg)
        shape = tuple(int(k) for k in arr.shape)
        return _Cell([self._check_value(v) for v in arr.ravel().tolist()], shape)

    def _check_value(self, value: object) -> object:
        if value is None:
            return None
        try:
            code = self._lookup.get(value)
        except TypeError:
            msg = f"expected an element value or an integer code, found {type(value).__name__}"
            raise CellTypeError(msg) from None
        if code is not None:
            return code
        if isinstance(value, bytes | bytearray):
            raise _bytes_element(value, None)
        if isinstance(value, int | np.integer) and not isinstance(value, bool):
            if 0 <= value < len(self._lookup):
                return int(value)
            msg = f"expected a code in [0, {len(self._lookup)}), found {value}"
            raise CellValueError(msg)
        # the element column's type decides what may be added, and in what form (numpy
        # scalars become Python values, as the element column stores them)
        return _New(self._elements._check_cell(value))

    def _append_cell(self, cell: object) -> None:
        if isinstance(cell, _Cell):
            self._set_cell_shape(cell.shape)
        super()._append_cell(self._resolve(cell))

    def _fast_append(self) -> FastAppend | None:
        """add_row's fast path for string elements already in the vocabulary: their code is
        appended (other values, codes and new elements take the general path)."""
        codes = self._buf.fast_append()
        plain = type(self)._check_cell is EnumData._check_cell
        strings = pa.types.is_string(self._elements._buf.type)  # null until the first element
        if codes is None or not plain or not strings or self._shape:
            return None
        lookup, append_code = self._lookup, codes.append  # both live for the column's life

        def append(value: str) -> None:
            append_code(lookup[value])

        return FastAppend(str, lookup.__contains__, append)

    def _resolve(self, cell: object) -> object:
        if isinstance(cell, _New):
            if cell.value not in self._lookup:
                self.add_element(cell.value)
            return self._lookup[cell.value]
        if isinstance(cell, _Cell):
            codes = np.array([self._resolve(v) for v in cell.values], dtype=object)
            return codes.reshape(cell.shape).tolist()
        return cell

    def _check_many(self, values: object) -> Sequence[object]:
        if not isinstance(values, list | tuple | np.ndarray):
            msg = f"expected a sequence of element values, found {type(values).__name__}"
            raise CellTypeError(msg)
        cells = [self._check_cell(v) for v in values]
        shapes = {c.shape for c in cells if isinstance(c, _Cell)}
        scalars = any(c is not None and not isinstance(c, _Cell) for c in cells)
        if len(shapes) > 1 or (shapes and scalars):
            found = sorted(shapes)[:5] + (["single values"] if scalars else [])
            msg = f"expected rows of one shape, found {found}"
            raise CellValueError(msg)
        return cells

    def _extend_checked(self, cells: Sequence[object]) -> None:
        shapes = [c.shape for c in cells if isinstance(c, _Cell)]
        if shapes:
            self._set_cell_shape(shapes[0])
        super()._extend_checked([self._resolve(c) for c in cells])

    def _tail_arrow(self) -> pa.Array:
        return enum_cells(self._buf.tail(), self._elements.to_arrow())

    def codes_of(self, stored: pa.Array) -> pa.Array:
        """Codes into this column's elements for values read back from a file.

        A Parquet dictionary holds only the values used in its column chunk, in its own order,
        so stored indices are not our codes: map the values onto ``elements``. An N-D column's
        values (fixed-size lists) keep their shape.
        """
        leaf, rewrap = split_cells(stored)
        values = leaf.dictionary if pa.types.is_dictionary(leaf.type) else leaf
        mapped = pc.index_in(values, value_set=self._elements.to_arrow())
        if mapped.null_count > values.null_count:
            unknown = pc.filter(values, pc.and_(mapped.is_null(), values.is_valid()))
            msg = (
                f"EnumData {self.name!r}: stored values {unknown.to_pylist()[:5]} are not among "
                f"the elements {list(self._lookup)[:10]}"
            )
            raise CellValueError(msg)
        if pa.types.is_dictionary(leaf.type):
            mapped = pc.take(mapped, leaf.indices)
        return rewrap(mapped.cast(code_type(len(self._lookup))))

    def decode_stored(self, stored: pa.Array) -> pa.Array:
        """Values read back from a file as this column's Arrow type (see ``codes_of``)."""
        return enum_cells(self.codes_of(stored), self._elements.to_arrow())

    # -- reading -------------------------------------------------------------------------------

    def to_arrow(self) -> pa.Array:
        """``dictionary<uint*, T>``: the codes are the indices, the elements the dictionary
        (for an N-D column, fixed-size lists of it)."""
        return enum_cells(self._buf.array(), self._elements.to_arrow())

    def get(self, key: object, index: bool = False, join: bool = False) -> Any:
        """Element values at ``key`` (codes with ``index=True``; one string with ``join=True``).

        For an N-D column, one row is an array of values, several rows an N-D array.
        """
        if index:
            return self.data[key]  # type: ignore[call-overload]
        if self._shape:
            codes = self.data[self._position(key)]  # type: ignore[call-overload]
            elements = np.empty(len(self._lookup), dtype=object)
            elements[:] = list(self._lookup)
            if codes is None or (isinstance(codes, np.ndarray) and codes.dtype == object):
                return self._get_with_nulls(codes, elements, join=join)
            out_nd = elements[np.asarray(codes, dtype=np.intp)]
            return "".join(out_nd.ravel()) if join else out_nd
        arr = self.to_arrow()
        if isinstance(key, int | np.integer) and not isinstance(key, bool):
            return arr[self._position(key)].as_py()  # the bounds checked, naming the column
        values = take_rows(arr, key, what=f"{self.data_type} {self.name!r}").dictionary_decode()
        out = values.to_numpy(zero_copy_only=False)
        return "".join(out) if join else out

    def _get_with_nulls(self, codes: Any, elements: np.ndarray, *, join: bool) -> Any:
        """``get`` of N-D rows where some rows are null (``codes`` None, or an object array
        of rows and Nones): a null row is None."""
        if join:
            msg = (
                f"EnumData {self.name!r}: join=True joins element values, but a row selected "
                f"is null"
            )
            raise CellValueError(msg)
        if codes is None:
            return None
        out = np.empty(len(codes), dtype=object)
        for i, row in enumerate(codes):
            out[i] = None if row is None else elements[np.asarray(row, dtype=np.intp)]
        return out

    def __iter__(self) -> Iterator[Any]:
        """The element values, row by row."""
        return iter(self.to_arrow().to_pylist())

    @property
    def children(self) -> tuple[VectorData, ...]:
        return (self._elements,)


def _flat_cells(
    data: ArrayLike,
) -> tuple[ArrayLike, tuple[int, ...], Callable[[pa.Array], pa.Array]]:
    """An EnumData's ``data`` as flat values, the shape of one row, and the function that
    puts flat codes back into rows of that shape."""
    if isinstance(data, str | bytes):
        raise not_cells(data)
    data = read_iterator(data, "data")  # hdmf's DataChunkIterator (or DataIO): read now
    if isinstance(data, pa.ChunkedArray):
        data = as_array(data)
    if isinstance(data, pa.Array):
        leaf, rewrap = split_cells(data)
        return leaf, cell_shape(data.type), rewrap
    nested = isinstance(data, list | tuple) and any(
        isinstance(v, list | tuple | np.ndarray) for v in data
    )
    if (isinstance(data, np.ndarray) and data.ndim > 1) or nested:
        try:
            arr = np.asarray(data)
        except ValueError:
            arr = None
        if arr is not None and arr.ndim > 1 and 0 in arr.shape[1:]:
            msg = (
                f"rows of shape {tuple(int(k) for k in arr.shape[1:])} hold no values; an "
                f"N-D EnumData's rows are Arrow fixed-size lists, whose size is at least 1"
            )
            raise CellValueError(msg)
        if arr is None or arr.dtype.kind not in "iuUSO" or (arr.dtype.kind == "O" and nested):
            msg = (
                "rows have different lengths (or mixed types); an EnumData without an index "
                "holds one value or one regular N-D array of values per row. Hint: add the "
                "column with index=True for ragged data."
            )
            raise CellValueError(msg)
        shape = tuple(int(k) for k in arr.shape[1:])
        flat = arr.reshape(-1)
        if flat.dtype.kind in "US":
            flat = flat.astype(object)

        def rewrap(codes: pa.Array) -> pa.Array:
            for k in reversed(shape):
                codes = pa.FixedSizeListArray.from_arrays(codes, k)
            return codes

        return flat, shape, rewrap
    return data, (), _same


def _elements_of(
    name: str, data: ArrayLike, elements: ArrayLike, object_id: str | None
) -> VectorData:
    """The elements dataset of an EnumData: ``elements``, or the distinct values of ``data``
    (the dictionary of dictionary-encoded data). Elements are text or numbers: the ``hdmf``
    metadata keeps them as JSON, which has no bytes."""
    if isinstance(data, str | bytes):
        raise not_cells(data)
    if isinstance(data, pa.ChunkedArray):
        data = as_array(data)
    if isinstance(data, pa.DictionaryArray) and elements is None:
        elements = data.dictionary
    if elements is None and data is not None:
        elements = _distinct_values(data)
    if isinstance(elements, str | bytes):
        raise not_cells(elements)
    if isinstance(elements, VectorData):
        out = elements
    else:
        out = VectorData(
            f"{name}_elements",
            f"fixed set of elements referenced by {name}",
            [] if elements is None else elements,
            object_id=object_id,
        )
    if pa.types.is_list(out.dtype) or pa.types.is_fixed_size_list(out.dtype):
        msg = (
            f"EnumData {name!r}: expected one-dimensional elements (one value each), found "
            f"elements of Arrow type {out.dtype}"
        )
        raise CellValueError(msg)
    if pa.types.is_binary(out.dtype) or pa.types.is_large_binary(out.dtype):
        found = out.to_arrow()[0].as_py() if len(out) else b""
        raise _bytes_element(found, None)
    return out


def _bytes_element(value: object, name: str | None) -> CellTypeError:
    where = f"EnumData {name!r}: " if name is not None else ""
    msg = (
        f"{where}expected an element that is text or a number, found bytes {value!r:.40} "
        f"(elements are kept in the JSON metadata, which holds no bytes). Hint: decode them"
    )
    return CellTypeError(msg)


def _distinct_values(data: ArrayLike) -> list[object]:
    """The distinct non-null, non-code values of ``data``, in order of first appearance."""
    arr = (
        as_array(data)
        if isinstance(data, pa.Array | pa.ChunkedArray)
        else from_python(list(data), None)
    )
    if pa.types.is_integer(arr.type) or pa.types.is_null(arr.type):
        return []  # codes need elements
    return list(pc.unique(arr.drop_null()).to_pylist())
