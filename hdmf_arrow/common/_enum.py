"""EnumData: categorical values as unsigned codes into a list of elements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow.buffer import FastAppend, from_python
from hdmf_arrow.arrow.dtypes import as_array, not_cells
from hdmf_arrow.common._container import EXP_NAMESPACE
from hdmf_arrow.common._data import ArrayLike, VectorData, take_rows, with_context
from hdmf_arrow.errors import CellTypeError, CellValueError, HdmfArrowError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence


def code_type(n_elements: int) -> pa.DataType:
    """The narrowest unsigned type for codes into ``n_elements`` elements (as hdmf picks)."""
    for t in (pa.uint8(), pa.uint16(), pa.uint32()):
        if n_elements <= 2**t.bit_width:
            return t
    return pa.uint64()


class _New:
    """A cell naming an element that ``_append_cell`` adds (hdmf grows elements on add_row)."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


class EnumData(VectorData):
    """Categorical values: unsigned codes into ``elements`` (Arrow ``dictionary<uint, T>``).

    ``data`` may hold codes or element values. Indexing returns element values; ``data``
    returns the codes. Without ``elements``, the elements are the distinct values of ``data``
    in order of first appearance. Appending a value that is not an element yet adds it, as in
    hdmf.

    Examples
    --------
    >>> e = EnumData("state", "behaviour", data=["rest", "run", "rest"], elements=["rest", "run"])
    >>> e.data, e.elements, e[1]
    (array([0, 1, 0], dtype=uint8), ('rest', 'run'), 'run')
    >>> e.append("groom")
    >>> e.elements, e.to_arrow().type
    (('rest', 'run', 'groom'), DictionaryType(dictionary<values=string, indices=uint8, ordered=0>))
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
            self._elements = _elements_of(name, data, elements, elements_object_id)
        except HdmfArrowError as exc:
            raise with_context(exc, f"EnumData {name!r}") from None
        if isinstance(data, pa.ChunkedArray):
            data = as_array(data)
        if isinstance(data, pa.DictionaryArray):
            data = data.indices
        values = self._elements.to_arrow().to_pylist()
        self._lookup: dict[object, int] = {}
        for i, v in enumerate(values):
            if v in self._lookup:
                msg = f"EnumData {name!r}: element {v!r} appears twice in the elements"
                raise CellValueError(msg)
            self._lookup[v] = i
        codes = self._codes_from(data, name=name)
        super().__init__(
            name, description, codes, dtype=code_type(len(values)), object_id=object_id
        )
        self._elements.parent = self

    def _codes_from(self, data: ArrayLike, *, name: str) -> pa.Array | None:
        """Codes from integer codes, element values or both (``None`` is a null)."""
        if data is None:
            return None
        if isinstance(data, pa.Array) and pa.types.is_integer(data.type):
            codes = data
        elif isinstance(data, np.ndarray) and data.dtype.kind in "iu":
            codes = pa.array(data)
        else:
            values = data.to_pylist() if isinstance(data, pa.Array) else list(data)
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
        wanted = code_type(len(self._lookup))
        if wanted != self._buf.type:
            self._buf.cast(wanted)

    def add_row(self, value: object, index: bool = False) -> None:
        """Append one value; with ``index=True`` the value is an element's integer code.

        >>> e = EnumData("cv", "d", elements=["a", "b"])
        >>> e.add_row("b"); e.add_row(0, index=True)
        >>> e[:].tolist()
        ['b', 'a']
        """
        if index:
            if not isinstance(value, int | np.integer) or isinstance(value, bool):
                msg = (
                    f"EnumData {self.name!r}: index=True takes an integer code, found {value!r:.40}"
                )
                raise CellTypeError(msg)
            if not 0 <= value < len(self._lookup):
                msg = (
                    f"EnumData {self.name!r}: code {value} out of range: the column has "
                    f"{len(self._lookup)} elements"
                )
                raise CellValueError(msg)
            value = self.elements[int(value)]
        self.append(value)

    # -- cells: element values or integer codes ----------------------------------------------

    def _check_cell(self, value: object) -> object:
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
        super()._append_cell(self._resolve(cell))

    def _fast_append(self) -> FastAppend | None:
        """add_row's fast path for string elements already in the vocabulary: their code is
        appended (other values, codes and new elements take the general path)."""
        codes = self._buf.fast_append()
        plain = type(self)._check_cell is EnumData._check_cell
        strings = pa.types.is_string(self._elements._buf.type)  # null until the first element
        if codes is None or not plain or not strings:
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
        return cell

    def _check_many(self, values: object) -> Sequence[object]:
        if not isinstance(values, list | tuple | np.ndarray):
            msg = f"expected a sequence of element values, found {type(values).__name__}"
            raise CellTypeError(msg)
        return [self._check_cell(v) for v in values]

    def _extend_checked(self, cells: Sequence[object]) -> None:
        super()._extend_checked([self._resolve(c) for c in cells])

    def _tail_arrow(self) -> pa.Array:
        return pa.DictionaryArray.from_arrays(self._buf.tail(), self._elements.to_arrow())

    def codes_of(self, stored: pa.Array) -> pa.Array:
        """Codes into this column's elements for values read back from a file.

        A Parquet dictionary holds only the values used in its column chunk, in its own order,
        so stored indices are not our codes: map the values onto ``elements``.
        """
        values = stored.dictionary if pa.types.is_dictionary(stored.type) else stored
        mapped = pc.index_in(values, value_set=self._elements.to_arrow())
        if mapped.null_count > values.null_count:
            unknown = pc.filter(values, pc.and_(mapped.is_null(), values.is_valid()))
            msg = (
                f"EnumData {self.name!r}: stored values {unknown.to_pylist()[:5]} are not among "
                f"the elements {list(self._lookup)[:10]}"
            )
            raise CellValueError(msg)
        if pa.types.is_dictionary(stored.type):
            mapped = pc.take(mapped, stored.indices)
        return mapped.cast(self._buf.type)

    # -- reading -------------------------------------------------------------------------------

    def to_arrow(self) -> pa.Array:
        """``dictionary<uint*, T>``: the codes are the indices, the elements the dictionary."""
        return pa.DictionaryArray.from_arrays(self._buf.array(), self._elements.to_arrow())

    def get(self, key: object, index: bool = False, join: bool = False) -> Any:
        """Element values at ``key`` (codes with ``index=True``; one string with ``join=True``)."""
        if index:
            return self.data[key]  # type: ignore[call-overload]
        arr = self.to_arrow()
        if isinstance(key, int | np.integer):
            return arr[int(key)].as_py()
        values = take_rows(arr, key, name=self.name).dictionary_decode()
        out = values.to_numpy(zero_copy_only=False)
        return "".join(out) if join else out

    def __iter__(self) -> Iterator[Any]:
        """The element values, row by row."""
        return iter(self.to_arrow().to_pylist())

    @property
    def children(self) -> tuple[VectorData, ...]:
        return (self._elements,)


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
