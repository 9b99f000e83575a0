"""The append buffer behind every column: one Arrow array plus Python values not converted yet.

Building a table row by row (``add_row``) appends Python values to a list, in amortised O(1).
Ragged cells given as numpy arrays are kept as arrays (copies in the column's dtype) when no
Python value waits before them. The first read converts the arrays with one
``numpy.concatenate`` and the list with one ``pyarrow.array`` call and appends both to the
column's array; later reads reuse that array until the next append. A column built from
whole arrays (``from_arrow``, ``from_dataframe``, numpy data) never holds Python values at all.

A column's type is either *declared* (``dtype=`` or an Arrow array: values are checked against
it and never change it) or *inferred* from the first non-null value, in which case a later
value may widen it the way pyarrow's permissive promotion does (null -> T, int64 -> double).
"""

from __future__ import annotations

import functools
import math
import operator
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow import chunks
from hdmf_arrow.arrow.dtypes import (
    Checker,
    as_array,
    bad_text,
    check_storable,
    describe,
    dict_cells,
    elements_test,
    exact_type,
    fast_types,
    float_limit,
    infer_sequence_type,
    infer_type,
    innermost,
    int_test,
    is_binary,
    is_list_like,
    is_text,
    list_levels,
    make_checker,
    normalize_type,
    not_cells,
    promote,
    text_test,
    utf8_problem,
    values_test,
)
from hdmf_arrow.errors import CellTypeError, CellValueError, CorruptStoreError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence


_TEXT_SHORTCUTS = (str.isascii, str.isprintable)


class FastAppend(NamedTuple):
    """One column's part in ``add_row``'s fast path (see ``hdmf_arrow.common._rows``): a
    value of exactly ``type`` that passes ``test`` (when there is one) is stored as it is by
    ``append``. Values that do not qualify take the general check-then-append path.

    ``shortcuts`` are cheaper tests that each imply ``test``, tried first: for text, whose
    ``test`` looks for lone surrogates, ``str.isascii`` and ``str.isprintable`` (surrogates
    are not printable), both C calls; ``test`` runs only when every shortcut fails.
    ``bound``, when given, is tested inline: ``-bound < value < bound`` (float32 columns, whose
    finite values beyond it would become inf; NaN fails it and takes the general path).

    A numpy scalar of the matching kind (:data:`NUMPY_SCALARS`: ``np.floating`` for
    ``float``, ...) is first made the Python value the column's checker makes of it
    (``float(x)``, ...). ``prepare``, when given (ragged columns, see
    :func:`ragged_cell`), stands for ``type`` and ``test``: it returns the cell to append as
    the checks would have made it, or None to send the row to the general path."""

    type: type
    test: Callable[[Any], bool] | None
    append: Callable[[Any], None]
    shortcuts: tuple[Callable[[Any], bool], ...] = ()
    bound: float | None = None
    prepare: Callable[[Any], Any] | None = None


_TYPED = ("_check", "_seq_check", "_fast", "_dtype")  # ColumnBuffer slots made per type


class ColumnBuffer:
    """An append-only Arrow column.

    ``check*`` methods validate values without changing anything; ``append``/``extend`` take
    values that passed a check. ``array()`` returns the whole column as one ``pyarrow.Array``.

    Examples
    --------
    >>> buf = ColumnBuffer()
    >>> buf.append(buf.check(1)); buf.append(buf.check(2.5))
    >>> buf.array().to_pylist(), buf.type
    ([1.0, 2.5], DataType(double))
    """

    retypes: ClassVar[int] = 0
    """How many times any buffer's type has changed after creation: a row plan built before
    a change may no longer use the fastest operations (it is still correct, as types only
    widen), so ``add_row`` rebuilds its plan when this moves."""

    __slots__ = (
        "_array",
        "_check",
        "_checks_made",
        "_chunked",
        "_chunks",
        "_committed",
        "_declared",
        "_dtype",
        "_fast",
        "_loader",
        "_numpy",
        "_pending",
        "_seq_check",
        "_stored_len",
        "_typed_as",
    )

    def __init__(
        self,
        type: pa.DataType | None = None,
        *,
        array: pa.Array | None = None,
        declared: bool = True,
    ) -> None:
        if array is not None:
            t = normalize_type(array.type)
            self._array: pa.Array = array if t == array.type else plain_array(array)
            self._declared = declared
        else:
            t = pa.null() if type is None else type
            self._array = _empty(t)
            self._declared = type is not None
        self._pending: list[object] = []
        self._chunks: list[np.ndarray] = []  # numpy cells, before the pending values
        self._chunked = 0  # values in _chunks
        self._numpy: np.ndarray | None = None
        self._loader: Callable[[], pa.Array] | None = None
        self._stored_len = 0  # rows the loader will read
        self._committed = 0  # rows already in a store (tail() is what comes after them)
        self._checks_made = False
        self._retype(t)

    @classmethod
    def stored(cls, t: pa.DataType, length: int, loader: Callable[[], pa.Array]) -> ColumnBuffer:
        """A buffer whose first ``length`` rows live in a store and are read by ``loader``
        on first use. Appends go after them without reading them."""
        buf = cls(t)
        buf._loader = loader
        buf._stored_len = length
        buf._committed = length
        return buf

    @property
    def loaded(self) -> bool:
        """False while stored rows have not been read yet."""
        return self._loader is None

    def _retype(self, t: pa.DataType) -> None:
        """Forget the checks of the old type: they are made for ``t`` (the type ``_array``
        has now) on first use, so that a buffer nobody appends to (a column read from a
        store) costs no checker."""
        self._typed_as = t
        if self._checks_made:
            for name in _TYPED:
                delattr(self, name)
            self._checks_made = False

    def __getattr__(self, name: str) -> Any:
        # only called for a slot not set: the checks of _TYPED, made on first use
        if name not in _TYPED:
            msg = f"{type(self).__name__!r} object has no attribute {name!r}"
            raise AttributeError(msg)
        t = self._typed_as
        self._check: Checker = make_checker(t)
        self._seq_check: Checker = make_checker(pa.list_(t))
        self._fast = fast_types(t)
        self._dtype = numpy_dtype(t)
        self._checks_made = True
        return getattr(self, name)

    @property
    def type(self) -> pa.DataType:
        """The Arrow type; ``null`` while an inferred column has seen only nulls."""
        return self._array.type

    @property
    def declared(self) -> bool:
        """Whether the type was given (and is never widened)."""
        return self._declared

    def __len__(self) -> int:
        n = len(self._array) + len(self._pending) + self._chunked
        return n if self._loader is None else n + self._stored_len

    # -- checks: raise, change nothing ---------------------------------------------------------

    def check(self, value: object) -> object:
        """Return ``value`` as it will be stored, or raise CellTypeError/CellValueError."""
        try:
            return self._check(value)
        except CellTypeError:
            if self._declared:
                raise
            wider = promote(self.type, infer_type(value))  # may raise a clearer CellTypeError
            if wider is None:
                raise
            self._check_widening(wider)
            return make_checker(wider)(value)

    def check_many(self, values: object) -> Sequence[object]:
        """Check a sequence of values (a ragged cell); return the values as a list/tuple.

        On a column whose type is inferred, the values must also share one type with it:
        ``extend`` will widen the column to that type and must not fail.
        """
        try:
            out: Sequence[object] = self._seq_check(values)  # type: ignore[assignment]
        except CellTypeError:
            sequence = isinstance(values, list | tuple) or (
                isinstance(values, np.ndarray) and values.ndim > 0  # not a 0-d array
            )
            if self._declared or not sequence:
                raise
            return make_checker(self._wider_seq(values))(values)  # type: ignore[return-value]
        if not self._declared and out and not set(map(type, out)) <= self._fast:
            self._wider_seq(out)
        return out

    def _wider_seq(self, values: object) -> pa.DataType:
        """The list type that holds this column's values and ``values``, or raise."""
        found = infer_sequence_type(values)
        wider = promote(pa.list_(self.type), found)
        if wider is None:
            msg = f"expected {self.type} values, found {found.value_type} values"
            raise CellTypeError(msg)
        self._check_widening(wider)
        return wider

    def _check_widening(self, wider: pa.DataType) -> None:
        """Raise CellValueError, changing nothing, if the values held cannot all take
        ``wider``: integers become floats only within the float's exact range (pyarrow refuses
        2**53 + 1 as a float64), so such a widening would fail later, at the read."""
        old, new = innermost(self.type), innermost(wider)
        if not (pa.types.is_integer(old) and pa.types.is_floating(new)):
            return
        limit = 2 ** {16: 11, 32: 24, 64: 53}[new.bit_width]  # the float's exact integers
        self._load()  # stored rows widen too
        biggest = max(
            (abs(int(v)) for v in self._pending if isinstance(v, int | np.integer)), default=0
        )
        for chunk in self._chunks:  # integer arrays: min and max as Python ints, exact
            if len(chunk):
                biggest = max(biggest, -int(chunk.min()), int(chunk.max()))
        if len(self._array):
            extremes = pc.min_max(self._array)
            low, high = extremes["min"].as_py(), extremes["max"].as_py()
            if low is not None:
                biggest = max(biggest, -int(low), int(high))
        if biggest > limit:
            msg = (
                f"this value would make the column {new} (it holds integers), but it holds "
                f"{biggest}, beyond {new}'s exact range (±{limit}). Hint: give the values as "
                f"floats from the start, or keep them integers"
            )
            raise CellValueError(msg)

    # -- appends: values have passed a check ---------------------------------------------------

    def append(self, value: object) -> None:
        if not self._declared and type(value) not in self._fast and value is not None:
            self._widen(infer_type(value))
        self._pending.append(value)

    def extend(self, values: Sequence[object]) -> None:
        if not self._declared and values and not set(map(type, values)) <= self._fast:
            self._widen(infer_sequence_type(values).value_type)
        self._pending.extend(values)

    def extend_numpy(self, values: np.ndarray) -> None:
        """Append a 1-D array of values that passed the checks, in this column's numpy dtype,
        that the buffer may keep (a copy: the caller's array may change later).

        Python values waiting before it join the arrays when they all have the column's exact
        Python type (the same values, converted now rather than at the read). Otherwise, or if
        the column's type has changed since ``values`` were made, they wait after them as
        Python values, as the checks make them."""
        pending = self._pending
        if values.dtype != self._dtype:
            pending.extend(values.tolist())
            return
        if pending:
            if not set(map(type, pending)) <= {exact_type(self.type)}:  # None, ints widened
                pending.extend(values.tolist())
                return
            self._chunks.append(np.array(pending, dtype=self._dtype))
            self._chunked += len(pending)
            pending.clear()  # in place: row_ops() hands out its bound append
        self._chunks.append(values)
        self._chunked += len(values)

    def extend_array(self, values: pa.Array) -> None:
        """Append a whole Arrow array (cast to this column's type, or widening it)."""
        values = plain_array(values)
        t = values.type
        if not self._declared and t != self.type:
            self._widen(t)
        arr = values if values.type == self.type else values.cast(self.type)
        if float_limit(innermost(self.type)) is not None:
            refuse_overflow(values, arr)
        self._flush()
        self._array = pa.concat_arrays([self._array, arr]) if len(self._array) else arr
        self._numpy = None

    def allow_widening(self) -> None:
        """Treat the type as inferred (the values came from Python lists, not a dtype), so
        that later values may widen it."""
        self._declared = False

    def cast(self, t: pa.DataType) -> None:
        """Change the column's type (a lossless cast, e.g. int32 -> int64 offsets)."""
        self._array = self.array().cast(t)
        self._declared = True
        self._numpy = None
        self._retype(t)
        ColumnBuffer.retypes += 1

    def _widen(self, t: pa.DataType) -> None:
        if pa.types.is_null(t) or t == self.type:
            return
        wider = promote(self.type, t)
        if wider is None:  # only reachable for values that skipped check(): a programming error
            msg = f"cannot store {t} values in a {self.type} column"
            raise CellTypeError(msg)
        if wider != self.type:
            if self._chunks:  # numpy cells become what Python cells are: converted at the read
                self._pending[:0] = np.concatenate(self._chunks).tolist()
                self._chunks.clear()
                self._chunked = 0
            self._load()  # stored rows take the wider type too
            self._array = self._array.cast(wider)
            self._retype(wider)
            ColumnBuffer.retypes += 1

    def row_ops(self) -> tuple[Checker, Callable[[object], None]]:
        """The fastest ``(check, append)`` pair for appending one value at a time.

        For a declared type these are the type's checker and the pending list's own
        ``append``: both stay valid for the buffer's life (``array()`` empties the list in
        place; a declared type changes only through ``cast``, which callers of ``row_ops``
        do not use).
        """
        if self._declared:
            return self._check, self._pending.append
        return self.check, self.append

    def fast_append(self) -> FastAppend | None:
        """This column's :class:`FastAppend` for single values, or None if its type has no
        exact Python type (null, timestamps, lists, ...)."""
        exact = exact_type(self.type)
        if exact is None:
            return None
        if exact is str:  # ASCII or printable text holds no lone surrogate
            return FastAppend(str, text_test, self._pending.append, _TEXT_SHORTCUTS)
        if exact is float:  # float32 and float16: finite values may overflow to inf
            return FastAppend(float, None, self._pending.append, bound=float_limit(self.type))
        test = int_test(self.type) if exact is int else None
        return FastAppend(exact, test, self._pending.append)

    def fast_extend(self) -> FastAppend | None:
        """The :class:`FastAppend` of a ragged cell whose values go to this buffer: its
        ``prepare`` (:func:`ragged_cell`) returns a Python list, which ``append`` (the pending
        list's ``extend``) stores, or a numpy array, for :meth:`extend_numpy`. None if no
        cell qualifies (the type has no exact Python type)."""
        if exact_type(self.type) is None:
            return None
        return FastAppend(list, None, self._pending.extend, prepare=ragged_cell(self.type))

    # -- reads ---------------------------------------------------------------------------------

    def array(self) -> pa.Array:
        """The whole column as one Arrow array (reads stored rows and converts pending values
        once)."""
        self._flush()
        self._load()
        return self._array

    def tail(self) -> pa.Array:
        """The rows appended since the buffer was last committed (all rows if never),
        without reading stored rows."""
        self._flush()
        if self._loader is not None:  # _array holds only what came after the stored rows
            return self._array.slice(self._committed - self._stored_len)
        return self._array.slice(self._committed)

    @property
    def committed(self) -> int:
        return self._committed

    def mark_committed(self) -> None:
        """Every row is now in the store: the next tail() starts after them."""
        self._committed = len(self)

    def _flush(self) -> None:
        if self._chunks:  # they come before the pending values
            values = np.concatenate(self._chunks) if len(self._chunks) > 1 else self._chunks[0]
            new = pa.array(values, type=self.type)
            self._array = new if len(self._array) == 0 else pa.concat_arrays([self._array, new])
            self._chunks.clear()
            self._chunked = 0
        if self._pending:
            new = pa.array(self._pending, type=self.type)
            self._array = new if len(self._array) == 0 else pa.concat_arrays([self._array, new])
            self._pending.clear()  # in place: row_ops() hands out its bound append

    def _load(self) -> None:
        if self._loader is None:
            return
        stored = self._loader()
        if len(stored) != self._stored_len:
            msg = f"stored column has {len(stored)} rows, the manifest says {self._stored_len}"
            raise CorruptStoreError(msg)
        if stored.type != self.type:
            stored = stored.cast(self.type)
        self._array = stored if len(self._array) == 0 else pa.concat_arrays([stored, self._array])
        self._loader = None

    def numpy(self) -> np.ndarray:
        """The column as numpy: zero-copy for primitive types without nulls.

        Fixed-size lists become N-D arrays; strings become object arrays of ``str``; integer and
        bool columns with nulls become object arrays holding ``None``.
        """
        if self._numpy is None or len(self._numpy) != len(self):
            self._numpy = to_numpy(self.array())
        return self._numpy


def ragged_cell(t: pa.DataType) -> Callable[[Any], Any]:
    """``add_row``'s fast path for a ragged cell of Arrow type ``list<t>`` (``t`` has an exact
    Python type): the cell as the checks would store it, or None when they must decide.

    - A Python list whose elements all have ``t``'s exact type and fit it as they are
      (:func:`~hdmf_arrow.arrow.dtypes.elements_test`) is returned as it is, and so is a
      list of numpy scalars that are instances of that type (``np.float64`` is a ``float``,
      ``np.str_`` a ``str``: pyarrow reads them as such).
    - A 1-D numpy array, or a list of numpy scalars, whose dtype numpy casts safely to
      ``t``'s (bools only to bool: the checks refuse them for numbers) becomes one new array
      in that dtype, with no per-value work.
    - Otherwise an array becomes its ``tolist()``, as the checks themselves make it, and a
      list of numpy scalars of ``t``'s kind their Python values (``float(x)``, ``int(x)``,
      ...), as the checks convert them; the list is returned if it then fits as it is.

    >>> cell = ragged_cell(pa.float64())
    >>> cell([0.5]), cell(np.array([1, 2], dtype=np.int32)), cell([np.float32(0.5)])
    ([0.5], array([1., 2.]), array([0.5]))
    >>> cell([np.float64(0.5)])
    [np.float64(0.5)]
    >>> cell([0.5, 1]) is None, cell(np.array([True])) is None, cell(np.zeros((2, 2))) is None
    (True, True, True)
    >>> ragged_cell(pa.float32())(np.array([0.5])), ragged_cell(pa.int8())([np.int64(300)])
    ([0.5], None)
    """
    exact = exact_type(t)
    test = elements_test(t)
    if exact is None or test is None:
        msg = f"ragged_cell takes a type of int, float, str or bool values, found {t}"
        raise TypeError(msg)
    kinds = frozenset(k for k in (exact, np.float64, np.str_) if issubclass(k, exact))
    fits = values_test(t)
    target = numpy_dtype(t)
    numeric_kinds = "b" if exact is bool else "iuf"
    scalar_kind, convert = NUMPY_SCALARS[exact]
    safe: dict[object, bool] = {}

    def castable(key: Any) -> bool:  # an array's dtype, or the type of a list's elements
        ok = safe.get(key)
        if ok is None:
            numpy = isinstance(key, np.dtype) or issubclass(key, np.generic)
            dtype = np.dtype(key) if numpy else None
            ok = safe[key] = bool(
                target is not None
                and dtype is not None
                and dtype.kind in numeric_kinds
                and np.can_cast(dtype, target)
            )
        return ok

    def prepare(v: Any) -> Any:
        if type(v) is list:
            types = set(map(type, v))
            if types <= kinds:  # the common cell: Python values (or np.float64, np.str_)
                return v if fits is None or fits(v) else None
            if all(map(castable, types)):
                return np.array(v, dtype=target)
            if not all(issubclass(k, scalar_kind) for k in types):
                return None
            values = list(map(convert, v))
            return values if fits is None or fits(values) else None
        if type(v) is not np.ndarray or v.ndim != 1:
            return None
        dtype = v.dtype
        if safe.get(dtype) or castable(dtype):  # a copy: the caller may change its array
            return v.copy() if dtype == target else v.astype(target)
        values = v.tolist()
        return values if test(values) else None

    return prepare


def numpy_dtype(t: pa.DataType) -> np.dtype[Any] | None:
    """The numpy dtype of an integer, floating or bool Arrow type, None for other types.

    >>> numpy_dtype(pa.float32()), numpy_dtype(pa.string())
    (dtype('float32'), None)
    """
    if exact_type(t) in (int, float, bool):
        dtype: np.dtype[Any] = np.dtype(t.to_pandas_dtype())
        return dtype
    return None


NUMPY_SCALARS: dict[type, tuple[type, Callable[[Any], Any]]] = {
    float: (np.floating, float),
    int: (np.integer, operator.index),  # int(x), in a third of the time
    bool: (np.bool_, bool),
    str: (np.str_, str),
}
"""For each exact Python type, the numpy scalars its checker takes, and the conversion to the
Python value it makes of them (``float(x)``, ``int(x)``, ``bool(x)``, ``str(x)``)."""


def to_numpy(arr: pa.Array) -> np.ndarray:
    """An Arrow array as numpy, keeping N-D shape for fixed-size lists and nulls as None."""
    if pa.types.is_fixed_size_list(arr.type) and arr.null_count == 0:
        shape = [len(arr)]
        flat: pa.Array = arr
        while pa.types.is_fixed_size_list(flat.type) and flat.null_count == 0:
            shape.append(flat.type.list_size)
            flat = flat.flatten()
        return to_numpy(flat).reshape(shape)
    if pa.types.is_struct(arr.type) and arr.null_count == 0:  # a numpy structured array
        fields = [to_numpy(f) for f in arr.flatten()]
        dtype = np.dtype(
            [(arr.type.field(i).name, f.dtype, f.shape[1:]) for i, f in enumerate(fields)]
        )
        out_struct = np.empty(len(arr), dtype=dtype)
        for i, f in enumerate(fields):
            out_struct[arr.type.field(i).name] = f
        return out_struct
    if arr.null_count and not pa.types.is_floating(arr.type):
        return np.array(arr.to_pylist(), dtype=object)
    out: np.ndarray = arr.to_numpy(zero_copy_only=False)
    return out


def buffer_from_data(data: object, type: pa.DataType | None, *, name: str) -> ColumnBuffer:
    """A buffer holding ``data``: None, a list, a numpy array (N-D allowed), pandas or Arrow.

    Numpy and Arrow data keep their type (it is *declared*); Python lists without ``type``
    get an inferred type that later appends may widen. 1-D numpy arrays are not copied, and
    NaN stays NaN (only pandas input, whose NaN means "missing", becomes null). Lists of
    equal-length sequences and N-D arrays become ``fixed_size_list`` columns (one row per
    first-axis entry).

    Raises
    ------
    CellTypeError
        If the data cannot be typed, or does not fit ``type``.
    CellValueError
        If the data is ragged (cells of different lengths).

    Examples
    --------
    >>> buffer_from_data([[1, 2], [3, 4]], None, name="xy").array().type
    FixedSizeListType(fixed_size_list<item: int64>[2])
    """
    data = chunks.column_data(data, type, name=name, convert=_to_arrow)  # hdmf's iterators
    if data is None:
        return ColumnBuffer(type)
    if isinstance(data, str | bytes):
        raise not_cells(data)
    arr = _to_arrow(data, type, name=name)
    check_storable(arr.type)
    declared = type is not None or not isinstance(data, list | tuple | range)
    return ColumnBuffer(array=arr, declared=declared)


def _array_like(data: object) -> bool:
    """An array that is not numpy but converts to it (h5py and zarr datasets, ...)."""
    return (
        not isinstance(data, np.ndarray | pa.Array | pa.ChunkedArray | list | tuple)
        and hasattr(data, "__array__")
        and hasattr(data, "shape")
        and hasattr(data, "dtype")
    )


def _read_array(data: Any) -> np.ndarray:
    values = np.asarray(data)
    if values.dtype.kind == "O" and values.size and isinstance(values.flat[0], bytes):
        values = np.char.decode(values.astype("S"), "utf-8")  # h5py gives text as bytes
    return values


def _to_arrow(data: object, t: pa.DataType | None, *, name: str) -> pa.Array:
    if isinstance(data, pa.ChunkedArray):
        data = as_array(data)
    if isinstance(data, pa.Array):
        arr = plain_array(data)
        return arr if t is None or arr.type == t else cast_array(arr, t, name=name)
    if hasattr(data, "to_numpy") and hasattr(data, "dtype") and not isinstance(data, np.ndarray):
        try:  # pandas Series / Index / ExtensionArray
            return _to_arrow(pa.array(data, from_pandas=True), t, name=name)
        except UnicodeEncodeError:
            raise first_bad_text(data) from None
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            msg = f"cannot convert {type(data).__name__} to Arrow ({exc})"
            raise CellTypeError(msg) from None
    if _array_like(data):  # an h5py, zarr or other on-disk array: its values, read once
        data = _read_array(data)
    if isinstance(data, list | tuple) and data and isinstance(data[0], np.void):
        data = np.array(data)  # rows of a structured array
    if isinstance(data, list | tuple) and data and isinstance(data[0], tuple) and _regular(data):
        mixed = np.asarray(data)
        if mixed.dtype.kind not in "biufM":  # tuples of mixed types: compound rows
            return _tuples(data, t, name=name)
    if isinstance(data, list | tuple) and data and isinstance(data[0], list | tuple | np.ndarray):
        arr = np.asarray(data) if _regular(data) else None
        if arr is None or arr.dtype.kind not in "biufUM":
            msg = (
                "cells have different lengths (or mixed types); a column "
                "without an index holds one value or one regular N-D array per row. "
                "Hint: add the column with index=True for ragged data."
            )
            raise CellValueError(msg)
        data = arr
    if isinstance(data, np.ndarray) and data.ndim > 1:
        flat = _to_arrow(data.reshape(-1), None if t is None else _innermost(t), name=name)
        for size in reversed(data.shape[1:]):
            flat = pa.FixedSizeListArray.from_arrays(flat, size)
        return flat if t is None else cast_array(flat, t, name=name)
    if isinstance(data, np.ndarray) and data.dtype.names:
        return _structured(data, t, name=name)
    if isinstance(data, np.ndarray) and data.dtype.kind == "U":
        data = data.astype(object)
    try:
        seq = data if isinstance(data, np.ndarray | list | tuple) else list(data)  # type: ignore[call-overload]
        return from_python(seq, t)  # NaN stays NaN; only pandas input maps NaN to null
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError) as exc:
        expected = f"values of type {t}" if t is not None else "values of one type"
        msg = f"expected {expected}, found {describe(data)} ({exc})"
        raise CellTypeError(msg) from None


def _structured(data: np.ndarray, t: pa.DataType | None, *, name: str) -> pa.Array:
    """A 1-D numpy structured array (a compound dtype) -> a struct array of its fields."""
    fields = [
        _to_arrow(np.ascontiguousarray(data[f]), None, name=f"{name}.{f}")
        for f in data.dtype.names or ()
    ]
    arr = pa.StructArray.from_arrays(fields, names=list(data.dtype.names or ()))
    return arr if t is None or arr.type == t else cast_array(arr, t, name=name)


def _tuples(data: Sequence[Any], t: pa.DataType | None, *, name: str) -> pa.Array:
    """Rows given as tuples of mixed types (compound rows, as hdmf takes them) -> a struct
    array; without a type, fields are named as numpy names them (``f0``, ``f1``, ...)."""
    names = [f.name for f in t] if t is not None and pa.types.is_struct(t) else None
    columns = list(zip(*data, strict=True))
    names = names or [f"f{i}" for i in range(len(columns))]
    if len(names) != len(columns):
        msg = f"expected rows of {len(names)} fields {names}, found {len(columns)}"
        raise CellValueError(msg)
    fields = [
        _to_arrow(list(c), None if t is None else t.field(i).type, name=f"{name}.{n}")
        for i, (c, n) in enumerate(zip(columns, names, strict=True))
    ]
    return pa.StructArray.from_arrays(fields, names=names)


def _regular(data: Sequence[object]) -> bool:
    first = len(data[0])  # type: ignore[arg-type]
    return all(isinstance(c, list | tuple | np.ndarray) and len(c) == first for c in data)


def _innermost(t: pa.DataType) -> pa.DataType:
    while pa.types.is_fixed_size_list(t):
        t = t.value_type
    return t


def cast_array(arr: pa.Array, t: pa.DataType, *, name: str) -> pa.Array:
    """``arr`` as type ``t``; CellTypeError if Arrow refuses, CellValueError for finite
    values too large for a float type (``name`` is the column, for messages)."""
    try:
        out = arr.cast(t)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        msg = f"cannot store {arr.type} data as {t} ({exc})"
        raise CellTypeError(msg) from None
    if float_limit(innermost(t)) is not None:
        refuse_overflow(arr, out)  # a safe cast still turns too large finite values into inf
    return out


# -- whole arrays: view layouts, and what a conversion would change ----------------------------


def plain_array(arr: pa.Array) -> pa.Array:
    """``arr`` in the layouts we store: list views become lists (large list views large lists),
    string and binary views plain strings and binaries, at every list level.

    pyarrow's own ``cast`` from a list view to a list loses values (pyarrow 26), so views are
    rebuilt from their logical values. Other arrays are returned as they are.

    >>> view = pa.array([[1, 2], [3]], type=pa.list_view(pa.int64()))
    >>> plain_array(view).type, plain_array(view).to_pylist()
    (ListType(list<item: int64>), [[1, 2], [3]])
    """
    t = arr.type
    if pa.types.is_list_view(t) or pa.types.is_large_list_view(t):
        large = pa.types.is_large_list_view(t)
        values = plain_array(arr.flatten())  # the cells' values, in row order
        valid = arr.is_valid()
        sizes = pc.if_else(valid, arr.sizes, pa.scalar(0, arr.sizes.type)).cast(pa.int64())
        ends = np.cumsum(np.asarray(sizes, dtype=np.int64))
        offset_type = pa.int64() if large or (ends.size and ends[-1] > 2**31 - 1) else pa.int32()
        offsets = pa.array(np.concatenate([[0], ends]), type=offset_type)
        cls = pa.LargeListArray if offset_type == pa.int64() else pa.ListArray
        mask = pc.invert(valid) if arr.null_count else None
        return cls.from_arrays(offsets, values, mask=mask)
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        if normalize_type(t) == t:
            return arr
        values = plain_array(arr.flatten())
        mask = pc.invert(arr.is_valid()) if arr.null_count else None
        if pa.types.is_fixed_size_list(t):
            return pa.FixedSizeListArray.from_arrays(values, t.list_size, mask=mask)
        offsets = pc.subtract(arr.offsets, arr.offsets[0])
        cls = pa.LargeListArray if pa.types.is_large_list(t) else pa.ListArray
        return cls.from_arrays(offsets, values, mask=mask)
    plain = normalize_type(t)
    return arr if plain == t else arr.cast(plain)


def from_python(values: Any, t: pa.DataType | None) -> pa.Array:
    """``pa.array(values, type=t)`` for a Python sequence or a numpy array, refusing what that
    conversion would silently change or what could not be stored later.

    pyarrow alone truncates floats given for an integer type (``[1.5]`` becomes ``[1]``),
    turns finite values too large for float32 into inf, takes bytes as text, mixes text and
    bytes into a binary column and makes dicts a struct column; here each of those raises.
    Text with lone surrogates raises CellValueError (pyarrow raises UnicodeEncodeError).
    Conversion errors of pyarrow itself pass through (callers add the column to them).

    >>> from_python([1.0, 2], pa.int64()).to_pylist()
    [1, 2]
    >>> from_python([1.5], pa.int64())
    Traceback (most recent call last):
    pyarrow.lib.ArrowInvalid: Float value 1.5... was truncated converting to int64
    >>> from_python([1e39], pa.float32())
    Traceback (most recent call last):
    hdmf_arrow.errors.CellValueError: 1 finite value(s) beyond the range of float ...
    """
    python = not isinstance(values, np.ndarray) or values.dtype.kind == "O"
    inner = None if t is None else innermost(t)
    arr = None
    if python and inner is not None and (pa.types.is_integer(inner) or is_text(inner)):
        arr = _by_inference(values, t, inner)  # type: ignore[arg-type]
    if arr is None:
        try:
            arr = pa.array(values, type=t)
        except UnicodeEncodeError:
            raise first_bad_text(values) from None
        if python and inner is not None and pa.types.is_integer(inner):
            _refuse_leaves(values, _truncated, "a float an integer column would truncate")
        if python and inner is not None and is_text(inner):
            _refuse_leaves(values, _is_bytes, "bytes where text goes")
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if python and t is None:
        found = innermost(arr.type)
        if pa.types.is_struct(found) or pa.types.is_map(found):
            raise dict_cells(next(_leaves(values), None))
        if is_binary(found):
            _refuse_leaves(values, _is_str, "text and bytes mixed in one column")
    if inner is not None and float_limit(inner) is not None:
        refuse_overflow(values, arr)
    return arr


def _by_inference(values: Any, t: pa.DataType, inner: pa.DataType) -> pa.Array | None:
    """Python values for an integer or text type ``t``, converted through the type pyarrow
    infers for them (so that floats are cast safely, not truncated, and bytes are seen);
    None when inference does not apply (the typed conversion then decides)."""
    try:
        inferred = pa.array(values)
    except UnicodeEncodeError:
        raise first_bad_text(values) from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError,
            OverflowError, ValueError):  # fmt: skip
        return None
    if isinstance(inferred, pa.ChunkedArray):
        inferred = inferred.combine_chunks()
    if list_levels(inferred.type) != list_levels(t):
        return None
    found = innermost(inferred.type)
    if is_text(inner) and is_binary(found):
        msg = f"expected text (str), found bytes ({describe(next(_leaves(values), None))})"
        raise CellTypeError(msg + ". Hint: decode the bytes, or use dtype='bytes'")
    numeric = pa.types.is_integer(found) or pa.types.is_floating(found)
    fits = pa.types.is_null(found) or (numeric if pa.types.is_integer(inner) else is_text(found))
    if not fits:
        return None
    if inferred.type == t:
        return inferred
    try:
        return inferred.cast(t)  # safe: truncation and overflow raise ArrowInvalid
    except pa.ArrowNotImplementedError:
        return None


def refuse_overflow(source: Any, converted: pa.Array) -> None:
    """Raise CellValueError if ``converted`` (float16 or float32 values, at any list depth)
    holds more infinities than ``source`` (an Arrow array, numpy array or Python values):
    then finite values were too large for the type."""
    flat = _flat(converted)
    n_inf = pc.sum(pc.is_inf(flat)).as_py() or 0
    if not n_inf:
        return
    if isinstance(source, pa.Array | pa.ChunkedArray):
        values = _flat(as_array(source))
        floats = pa.types.is_floating(values.type)
        n_source = (pc.sum(pc.is_inf(values)).as_py() or 0) if floats else 0
    elif isinstance(source, np.ndarray) and source.dtype.kind == "f":
        n_source = int(np.isinf(source).sum())
    else:
        n_source = sum(
            1 for v in _leaves(source) if isinstance(v, float | np.floating) and math.isinf(v)
        )
    if n_inf > n_source:
        t = innermost(converted.type)
        top = float(np.finfo(t.to_pandas_dtype()).max)
        msg = (
            f"{n_inf - n_source} finite value(s) beyond the range of {t} (about \u00b1{top:.4g}) "
            f"would be stored as inf. Hint: use dtype='float' (float64) for such values"
        )
        raise CellValueError(msg)


def _flat(arr: pa.Array) -> pa.Array:
    while is_list_like(arr.type):
        arr = arr.flatten()
    return arr


def _leaves(values: Any) -> Iterator[Any]:
    """The scalars of nested Python sequences (and numpy arrays), depth first."""
    for v in values:
        if isinstance(v, list | tuple | np.ndarray):
            yield from _leaves(v)
        else:
            yield v


def _refuse_leaves(values: Any, bad: Callable[[Any], bool], what: str) -> None:
    found = next((v for v in _leaves(values) if bad(v)), _NONE)
    if found is not _NONE:
        msg = f"expected values of one kind, found {what}: {describe(found)}"
        raise CellTypeError(msg)


def first_bad_text(values: Any) -> CellValueError:
    """The error for values holding text with a lone surrogate (it names the first)."""
    bad = next((v for v in _leaves(values) if isinstance(v, str) and utf8_problem(v)), "")
    return bad_text(bad)


def _truncated(v: object) -> bool:
    return isinstance(v, float | np.floating) and not float(v).is_integer()


def _is_bytes(v: object) -> bool:
    return isinstance(v, bytes | bytearray | np.bytes_)


def _is_str(v: object) -> bool:
    return isinstance(v, str)


_NONE = object()


@functools.lru_cache(maxsize=4096)
def _empty(t: pa.DataType) -> pa.Array:
    """An empty array of ``t``, made once per type (arrays are immutable; ``pa.array`` costs
    tens of microseconds, which a table of 10,000 columns pays 20,000 times)."""
    return pa.array([], type=t)
