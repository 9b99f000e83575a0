"""The append buffer behind every column: one Arrow array plus Python values not converted yet.

Building a table row by row (``add_row``) appends Python values to a list, in amortised O(1).
The first read converts the whole list to Arrow with one ``pyarrow.array`` call and appends it
to the column's array; later reads reuse that array until the next append. A column built from
whole arrays (``from_arrow``, ``from_dataframe``, numpy data) never holds Python values at all.

A column's type is either *declared* (``dtype=`` or an Arrow array: values are checked against
it and never change it) or *inferred* from the first non-null value, in which case a later
value may widen it the way pyarrow's permissive promotion does (null -> T, int64 -> double).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import numpy as np
import pyarrow as pa

from hdmf_arrow.arrow.dtypes import (
    Checker,
    as_array,
    describe,
    elements_test,
    exact_type,
    fast_types,
    infer_sequence_type,
    infer_type,
    int_test,
    make_checker,
    normalize_type,
    promote,
)
from hdmf_arrow.errors import CellTypeError, CellValueError, CorruptStoreError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


class FastAppend(NamedTuple):
    """One column's part in ``add_row``'s fast path (see ``hdmf_arrow.common._rows``): a
    value of exactly ``type`` that passes ``test`` (when there is one) is stored as it is by
    ``append``. Values that do not qualify take the general check-then-append path."""

    type: type
    test: Callable[[Any], bool] | None
    append: Callable[[Any], None]


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
        "_committed",
        "_declared",
        "_fast",
        "_loader",
        "_numpy",
        "_pending",
        "_seq_check",
        "_stored_len",
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
            self._array: pa.Array = array if t == array.type else array.cast(t)
            self._declared = declared
        else:
            t = pa.null() if type is None else type
            self._array = pa.array([], type=t)
            self._declared = type is not None
        self._pending: list[object] = []
        self._numpy: np.ndarray | None = None
        self._loader: Callable[[], pa.Array] | None = None
        self._stored_len = 0  # rows the loader will read
        self._committed = 0  # rows already in a store (tail() is what comes after them)
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
        self._check: Checker = make_checker(t)
        self._seq_check: Checker = make_checker(pa.list_(t))
        self._fast = fast_types(t)

    @property
    def type(self) -> pa.DataType:
        """The Arrow type; ``null`` while an inferred column has seen only nulls."""
        return self._array.type

    @property
    def declared(self) -> bool:
        """Whether the type was given (and is never widened)."""
        return self._declared

    def __len__(self) -> int:
        n = len(self._array) + len(self._pending)
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
            return make_checker(wider)(value)

    def check_many(self, values: object) -> Sequence[object]:
        """Check a sequence of values (a ragged cell); return the values as a list/tuple.

        On a column whose type is inferred, the values must also share one type with it:
        ``extend`` will widen the column to that type and must not fail.
        """
        try:
            out: Sequence[object] = self._seq_check(values)  # type: ignore[assignment]
        except CellTypeError:
            if self._declared or not isinstance(values, list | tuple | np.ndarray):
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
        return wider

    # -- appends: values have passed a check ---------------------------------------------------

    def append(self, value: object) -> None:
        if not self._declared and type(value) not in self._fast and value is not None:
            self._widen(infer_type(value))
        self._pending.append(value)

    def extend(self, values: Sequence[object]) -> None:
        if not self._declared and values and not set(map(type, values)) <= self._fast:
            self._widen(infer_sequence_type(values).value_type)
        self._pending.extend(values)

    def extend_array(self, values: pa.Array) -> None:
        """Append a whole Arrow array (cast to this column's type, or widening it)."""
        t = normalize_type(values.type)
        if not self._declared and t != self.type:
            self._widen(t)
        arr = values if values.type == self.type else values.cast(self.type)
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
        test = int_test(self.type) if exact is int else None
        return FastAppend(exact, test, self._pending.append)

    def fast_extend(self) -> tuple[Callable[[Any], bool], Callable[[Any], None]] | None:
        """``(test, extend)`` for a Python list of values: ``test`` says every element fits
        as it is, and ``extend`` stores them. None if no list qualifies."""
        test = elements_test(self.type)
        return None if test is None else (test, self._pending.extend)

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


def to_numpy(arr: pa.Array) -> np.ndarray:
    """An Arrow array as numpy, keeping N-D shape for fixed-size lists and nulls as None."""
    if pa.types.is_fixed_size_list(arr.type) and arr.null_count == 0:
        shape = [len(arr)]
        flat: pa.Array = arr
        while pa.types.is_fixed_size_list(flat.type) and flat.null_count == 0:
            shape.append(flat.type.list_size)
            flat = flat.flatten()
        return to_numpy(flat).reshape(shape)
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
    if data is None:
        return ColumnBuffer(type)
    arr = _to_arrow(data, type, name=name)
    declared = type is not None or not isinstance(data, list | tuple | range)
    return ColumnBuffer(array=arr, declared=declared)


def _to_arrow(data: object, t: pa.DataType | None, *, name: str) -> pa.Array:
    if isinstance(data, pa.ChunkedArray):
        data = as_array(data)
    if isinstance(data, pa.Array):
        return data if t is None or data.type == t else _cast(data, t, name=name)
    if hasattr(data, "to_numpy") and hasattr(data, "dtype") and not isinstance(data, np.ndarray):
        try:  # pandas Series / Index / ExtensionArray
            return _to_arrow(pa.array(data, from_pandas=True), t, name=name)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            msg = f"cannot convert {type(data).__name__} to Arrow ({exc})"
            raise CellTypeError(msg) from None
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
        return flat if t is None else _cast(flat, t, name=name)
    if isinstance(data, np.ndarray) and data.dtype.kind == "U":
        data = data.astype(object)
    try:
        seq = data if isinstance(data, np.ndarray | list | tuple) else list(data)  # type: ignore[call-overload]
        return pa.array(seq, type=t)  # NaN stays NaN; only pandas input maps NaN to null
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError) as exc:
        expected = f"values of type {t}" if t is not None else "values of one type"
        msg = f"expected {expected}, found {describe(data)} ({exc})"
        raise CellTypeError(msg) from None


def _regular(data: Sequence[object]) -> bool:
    first = len(data[0])  # type: ignore[arg-type]
    return all(isinstance(c, list | tuple | np.ndarray) and len(c) == first for c in data)


def _innermost(t: pa.DataType) -> pa.DataType:
    while pa.types.is_fixed_size_list(t):
        t = t.value_type
    return t


def _cast(arr: pa.Array, t: pa.DataType, *, name: str) -> pa.Array:
    try:
        return arr.cast(t)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
        msg = f"cannot store {arr.type} data as {t} ({exc})"
        raise CellTypeError(msg) from None
