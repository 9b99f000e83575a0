"""Data types: what users write as ``dtype`` <-> Arrow types, and cheap per-value checks.

``parse_dtype`` turns a user's ``dtype`` (a name, a Python or numpy type, an Arrow type) into an
Arrow type. ``make_checker`` returns a function that accepts or refuses one Python value for a
column of a given Arrow type *without* converting it: ``add_row`` checks every cell before it
appends any, so that a refused row leaves the table as it was. The values are converted to
Arrow in bulk later, when the column is read (see :mod:`hdmf_arrow.arrow.buffer`).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa

from hdmf_arrow.errors import CellTypeError, CellValueError

DtypeLike: TypeAlias = "str | type | np.dtype[np.generic] | pa.DataType | None"
Checker: TypeAlias = Callable[[object], object]

# Names a user may pass as ``add_column(dtype=...)``. "int" and "float" follow numpy (int64,
# float64), because a Python user who writes dtype="float" expects 25.3 to stay 25.3; the
# schema-language meaning (float32, int32) applies to specs only (docs/differences.md).
_NAMED: dict[str, pa.DataType] = {
    "text": pa.string(),
    "utf": pa.string(),
    "utf8": pa.string(),
    "utf-8": pa.string(),
    "str": pa.string(),
    "string": pa.string(),
    "ascii": pa.string(),
    "bytes": pa.binary(),
    "isodatetime": pa.timestamp("us", tz="UTC"),
    "datetime": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
    "bool": pa.bool_(),
    "float": pa.float64(),
    "double": pa.float64(),
    "int": pa.int64(),
    "long": pa.int64(),
    "short": pa.int16(),
    "uint": pa.uint64(),
}

_PYTHON: dict[type, pa.DataType] = {
    bool: pa.bool_(),
    int: pa.int64(),
    float: pa.float64(),
    str: pa.string(),
    bytes: pa.binary(),
    _dt.datetime: pa.timestamp("us"),
    _dt.date: pa.date32(),
}

# Arrow "view" layouts that Parquet writers and polars readers do not all accept
# (docs/format.md, section 2.1).
_VIEW_TO_PLAIN: dict[pa.DataType, pa.DataType] = {
    pa.string_view(): pa.string(),
    pa.binary_view(): pa.binary(),
    pa.large_string(): pa.string(),
}


def parse_dtype(dtype: DtypeLike, *, name: str) -> pa.DataType | None:
    """Turn a user's ``dtype`` into an Arrow type; ``None`` means "infer from the data".

    Parameters
    ----------
    dtype
        A name (``"int"``, ``"float32"``, ``"text"``, ``"isodatetime"``, ...), a Python type
        (``int``, ``str``), a numpy dtype or an Arrow type.
    name
        The column the dtype is for, used in error messages.

    Raises
    ------
    CellTypeError
        If the dtype is not understood.

    Examples
    --------
    >>> parse_dtype("float", name="weight")
    DataType(double)
    >>> parse_dtype("uint8", name="code")
    DataType(uint8)
    >>> parse_dtype(str, name="genotype")
    DataType(string)
    """
    if dtype is None or isinstance(dtype, pa.DataType):
        return dtype
    if isinstance(dtype, str) and dtype.lower() in _NAMED:
        return _NAMED[dtype.lower()]
    if isinstance(dtype, type) and dtype in _PYTHON:
        return _PYTHON[dtype]
    try:
        np_dtype = np.dtype(dtype)  # type: ignore[call-overload]
        if np_dtype.kind in "US":
            return pa.string() if np_dtype.kind == "U" else pa.binary()
        return pa.from_numpy_dtype(np_dtype)
    except (TypeError, ValueError, pa.ArrowNotImplementedError):
        msg = (
            f"Column {name!r}: dtype {dtype!r} is not understood. Hint: use a name such as "
            f"'int', 'float32', 'text', 'bool', 'isodatetime', a numpy dtype or an Arrow type."
        )
        raise CellTypeError(msg) from None


def as_array(data: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous Arrow array; a single chunk is returned as is (``combine_chunks``
    would copy it).

    >>> arr = pa.array([1, 2])
    >>> as_array(pa.chunked_array([arr])) is not None and as_array(arr) is arr
    True
    """
    if isinstance(data, pa.Array):
        return data
    if data.num_chunks == 1:
        return data.chunk(0)
    return data.combine_chunks()


def normalize_type(t: pa.DataType) -> pa.DataType:
    """The Arrow type we store for ``t``: view layouts and large strings become plain ones.

    >>> normalize_type(pa.string_view())
    DataType(string)
    >>> normalize_type(pa.list_view(pa.int64()))
    ListType(list<item: int64>)
    """
    if t in _VIEW_TO_PLAIN:
        return _VIEW_TO_PLAIN[t]
    if pa.types.is_list_view(t) or pa.types.is_large_list_view(t):
        return pa.list_(normalize_type(t.value_type))
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        inner = normalize_type(t.value_type)
        return pa.list_(inner) if pa.types.is_list(t) else pa.large_list(inner)
    if pa.types.is_fixed_size_list(t):
        return pa.list_(normalize_type(t.value_type), t.list_size)
    return t


def infer_type(value: object) -> pa.DataType:
    """The Arrow type of one cell, as the first value of an untyped column.

    A sequence is an N-D cell (``fixed_size_list``), as in hdmf where a column of equal-length
    lists is a 2-D dataset; ragged cells need ``index=True`` and are typed by the index.

    >>> infer_type(3), infer_type(2.5), infer_type("WT")
    (DataType(int64), DataType(double), DataType(string))
    >>> infer_type([1.0, 2.0])
    FixedSizeListType(fixed_size_list<item: double>[2])
    """
    if isinstance(value, list | tuple):
        try:
            arr = np.asarray(value) if value else np.empty(0)
        except ValueError:  # numpy refuses ragged nesting
            arr = np.empty(0, dtype=object)
        if arr.dtype.kind not in "biufUM":
            msg = (
                f"expected a scalar or a regular N-D sequence, found {describe(value)}. "
                f"Hint: ragged cells need a column added with index=True"
            )
            raise CellTypeError(msg)
        value = arr
    if isinstance(value, dict):
        raise dict_cells(value)
    if isinstance(value, np.ndarray):
        t = _numpy_type(value.dtype)
        for size in reversed(value.shape):
            t = pa.list_(t, size)
        return t
    if isinstance(value, np.generic):
        return _numpy_type(value.dtype)
    t = _PYTHON.get(type(value))
    if t is not None:
        return t
    try:
        return normalize_type(pa.array([value]).type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        msg = f"cannot store a value of type {type(value).__name__} ({value!r:.60})"
        raise CellTypeError(msg) from None


def infer_sequence_type(values: object) -> pa.DataType:
    """The Arrow type ``list<T>`` of a ragged cell (a sequence of values of one type).

    >>> infer_sequence_type([1, 2.5])
    ListType(list<item: double>)
    >>> infer_sequence_type([1, 2**63])  # past int64, as numpy takes them
    ListType(list<item: uint64>)
    """
    if isinstance(values, np.ndarray):
        if values.ndim == 1:
            return pa.list_(_numpy_type(values.dtype))
        return pa.list_(infer_type(values[0]))
    items = list(values)  # type: ignore[call-overload]
    if any(isinstance(v, list | tuple | np.ndarray) for v in items):  # N-D items: fixed-size
        types = {infer_type(v) for v in items if v is not None}
        if len(types) > 1:
            msg = f"the values {describe(values)} have different shapes or types"
            raise CellTypeError(msg)
        return pa.list_(types.pop() if types else pa.null())
    try:
        return pa.list_(normalize_type(pa.array(items).type))
    except OverflowError:  # integers past int64: uint64 where they all fit, as numpy types them
        present = [v for v in items if v is not None]
        if all(type(v) is int for v in present) and 0 <= min(present) <= max(present) < 2**64:
            return pa.list_(pa.uint64())
        msg = f"the values {describe(values)} hold integers that neither int64 nor uint64 holds"
        raise CellValueError(msg) from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        msg = f"cannot store the values {describe(values)} as one typed sequence"
        raise CellTypeError(msg) from None


def _numpy_type(dtype: np.dtype[np.generic]) -> pa.DataType:
    if dtype.kind == "U":
        return pa.string()
    if dtype.kind == "O":
        msg = "cannot store a numpy object array; convert it to a typed array or a list first"
        raise CellTypeError(msg)
    return pa.from_numpy_dtype(dtype)


def promote(current: pa.DataType, new: pa.DataType) -> pa.DataType | None:
    """The type that holds both ``current`` and ``new`` values, or None if there is none.

    Used for columns whose type was inferred: ``null`` widens to anything, ``int64`` to
    ``double``, ``list<null>`` to ``list<T>``; other pairs are refused (pyarrow's permissive
    schema unification decides).

    >>> promote(pa.int64(), pa.float64())
    DataType(double)
    >>> promote(pa.int64(), pa.string()) is None
    True
    """
    if current == new:
        return current
    try:
        merged = pa.unify_schemas(
            [pa.schema([("x", current)]), pa.schema([("x", new)])], promote_options="permissive"
        )
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return None
    t = merged.field("x").type
    # permissive promotion also turns numbers into strings or decimals, and text into bytes;
    # we want none of that
    if pa.types.is_string(t) and not pa.types.is_string(current) and not pa.types.is_null(current):
        return None
    if is_binary(t) and (is_text(current) or is_text(new)):
        return None
    return t


def describe(value: object) -> str:
    """A short description of a value for error messages: its type and a clipped repr."""
    return f"{type(value).__name__} {value!r:.40}"


def _refuse(expected: str, value: object) -> CellTypeError:
    return CellTypeError(f"expected {expected}, found {describe(value)}")


def make_checker(t: pa.DataType) -> Checker:
    """A function that accepts one Python value for Arrow type ``t`` or raises.

    The function returns the value to store (numpy scalars become Python scalars, arrays
    become lists) and raises :class:`CellTypeError` or :class:`CellValueError` with a message
    of the form "expected ..., found ...". ``None`` is always accepted (a null).

    >>> check = make_checker(pa.float64())
    >>> check(1.5), check(2), check(None)
    (1.5, 2.0, None)
    >>> check("a")
    Traceback (most recent call last):
    hdmf_arrow.errors.CellTypeError: expected a number (double), found str 'a'
    """
    return _CHECKERS.get(t) or _build_checker(t)


def fast_types(t: pa.DataType) -> frozenset[type]:
    """Python types a value may have to fit ``t`` with no conversion or range check (not
    ``int`` for floating types: Arrow refuses ints that a double cannot hold exactly)."""
    if pa.types.is_floating(t):
        return frozenset({float, type(None)})
    if t == pa.int64():
        return frozenset({int, type(None)})
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return frozenset({str, type(None)})
    if pa.types.is_boolean(t):
        return frozenset({bool, type(None)})
    return frozenset({type(None)})


def exact_type(t: pa.DataType) -> type | None:
    """The Python type whose values fit ``t`` with no conversion (``int`` still needs
    :func:`int_test`), or None where every value needs the full checker.

    >>> exact_type(pa.float32()), exact_type(pa.int16()), exact_type(pa.timestamp("s"))
    (<class 'float'>, <class 'int'>, None)
    """
    if pa.types.is_integer(t):
        return int
    if pa.types.is_floating(t):
        return float
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return str
    if pa.types.is_boolean(t):
        return bool
    return None


def int_test(t: pa.DataType) -> Callable[[int], bool]:
    """A test that a Python ``int`` lies in integer type ``t``'s range.

    >>> int_test(pa.int8())(127), int_test(pa.int8())(128)
    (True, False)
    """
    lo, hi = _int_bounds(t)

    def in_range(v: int) -> bool:
        return lo <= v <= hi

    return in_range


def text_test(v: str) -> bool:
    r"""Whether UTF-8 can encode ``v`` (it holds no lone surrogate); ``add_row``'s fast path
    calls it only for strings that are not ASCII.

    >>> text_test("caf\u00e9"), text_test("\ud800")
    (True, False)
    """
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def float_limit(t: pa.DataType) -> float | None:
    """The magnitude from which a double rounds to infinity in floating type ``t`` (half a
    unit in the last place above its largest value), or None for float64.

    >>> float_limit(pa.float32()), float_limit(pa.float16()), float_limit(pa.float64())
    (3.4028235677973366e+38, 65520.0, None)
    """
    if not pa.types.is_floating(t) or t.bit_width >= 64:
        return None
    info = np.finfo(t.to_pandas_dtype())
    return float(2.0**info.maxexp - 2.0 ** (info.maxexp - info.nmant - 2))


def elements_test(t: pa.DataType) -> Callable[[Any], bool] | None:
    r"""A test that every element of a Python list fits ``t`` with no conversion (ints within
    range, no nulls, text UTF-8 can encode, floats that stay finite), or None where elements
    always need the full checker.

    >>> test = elements_test(pa.float64())
    >>> test([1.5, 2.5]), test([1.5, 2]), test([1.5, None]), test([True])
    (True, False, False, False)
    >>> elements_test(pa.string())(["a", "\ud800"]), elements_test(pa.float32())([1e39])
    (False, False)
    """
    exact = exact_type(t)
    if exact is None:
        return None
    kinds = frozenset({exact})
    fits = values_test(t)
    if fits is None:

        def all_fit(v: Any) -> bool:
            return set(map(type, v)) <= kinds

        return all_fit

    def all_fit_and_in_range(v: Any) -> bool:
        return set(map(type, v)) <= kinds and fits(v)

    return all_fit_and_in_range


def values_test(t: pa.DataType) -> Callable[[Any], bool] | None:
    r"""What :func:`elements_test` tests once every element of a list has ``t``'s exact
    Python type: ints within range, text UTF-8 can encode, floats that stay finite. None when
    there is nothing more to test (float64, bool) or ``t`` has no exact Python type.

    >>> values_test(pa.int8())([1, 200]), values_test(pa.string())(["\ud800"])
    (False, False)
    >>> values_test(pa.float64()) is None
    True
    """
    exact = exact_type(t)
    if exact is str:

        def all_text(v: Any) -> bool:
            return all(map(str.isascii, v)) or _all_utf8(v)

        return all_text
    limit = float_limit(t) if exact is float else None
    if limit is not None:

        def all_in_float_range(v: Any) -> bool:  # NaN first makes min() NaN: the test fails
            return not v or (-limit < min(v) and max(v) < limit)

        return all_in_float_range
    if exact is not int:
        return None
    bounds = _int_bounds(t)

    def all_in_range(v: Any) -> bool:
        return _within(v, bounds)

    return all_in_range


@functools.lru_cache(maxsize=4096)
def _build_checker(t: pa.DataType) -> Checker:
    """The checker of ``t``, built once per type (a checker depends on its type only): a
    table of 10,000 columns of a few types builds a few checkers, not 30,000."""
    if pa.types.is_null(t):
        return _check_any
    if pa.types.is_integer(t):
        lo, hi = _int_bounds(t)
        label = f"an integer ({t})"

        def check_int(v: object) -> object:
            if type(v) is int or (isinstance(v, int | np.integer) and not isinstance(v, bool)):
                iv = int(v)  # type: ignore[arg-type]
                if lo <= iv <= hi:
                    return iv
                msg = f"expected {label} in [{lo}, {hi}], found {iv}"
                raise CellValueError(msg)
            if v is None:
                return None
            raise _refuse(label, v)

        return check_int
    if pa.types.is_floating(t):
        label = f"a number ({t})"
        limit = float_limit(t)

        def check_float(v: object) -> object:
            if type(v) is float or v is None:
                return v
            if isinstance(v, float | int | np.floating | np.integer) and not isinstance(v, bool):
                try:  # ints too: Arrow refuses those a double cannot hold exactly
                    return float(v)  # type: ignore[arg-type]
                except OverflowError:
                    msg = f"expected {label}, found an int too large for it: {v!r:.40}"
                    raise CellValueError(msg) from None
            raise _refuse(label, v)

        if limit is None:
            return check_float

        def check_narrow_float(v: object) -> object:
            f = check_float(v)
            if f is None or -limit < f < limit or not math.isfinite(f):  # type: ignore[operator,arg-type]
                return f
            raise _overflow(t, f)

        return check_narrow_float
    if pa.types.is_boolean(t):

        def check_bool(v: object) -> object:
            if type(v) is bool or v is None:
                return v
            if isinstance(v, np.bool_):
                return bool(v)
            msg = "a bool"
            raise _refuse(msg, v)

        return check_bool
    if pa.types.is_string(t) or pa.types.is_large_string(t):

        def check_str(v: object) -> object:
            if type(v) is str:
                if v.isascii() or utf8_problem(v) is None:
                    return v
                raise bad_text(v)
            if v is None:
                return v
            if isinstance(v, str):
                return check_str(str(v))
            msg = "a string"
            raise _refuse(msg, v)

        return check_str
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return _isinstance_checker((bytes,), "bytes")
    if pa.types.is_timestamp(t):
        return _isinstance_checker((_dt.datetime, np.datetime64), "a datetime")
    if pa.types.is_date(t):
        return _isinstance_checker((_dt.date, np.datetime64), "a date")
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return _list_checker(t)
    return _arrow_checker(t)


def _int_bounds(t: pa.DataType) -> tuple[int, int]:
    info = np.iinfo(t.to_pandas_dtype())
    return int(info.min), int(info.max)


def _isinstance_checker(types: tuple[type, ...], label: str) -> Checker:
    def check(v: object) -> object:
        if v is None or isinstance(v, types):
            return v
        raise _refuse(label, v)

    return check


def _list_checker(t: pa.DataType) -> Checker:
    inner = make_checker(t.value_type)
    all_fit = elements_test(t.value_type)  # lists that need no conversion at all
    size = t.list_size if pa.types.is_fixed_size_list(t) else None
    label = f"a sequence of length {size}" if size is not None else "a sequence (list or array)"

    def check_list(v: object) -> object:
        if v is None:
            return None
        if isinstance(v, np.ndarray):
            if v.ndim == 0:
                raise _refuse(label, v)
            v = v.tolist()
        elif isinstance(v, pa.Array):
            v = v.to_pylist()
        elif not isinstance(v, list | tuple):
            raise _refuse(label, v)
        assert isinstance(v, list | tuple)
        if size is not None and len(v) != size:
            msg = f"expected {label}, found one of length {len(v)}"
            raise CellValueError(msg)
        if all_fit is not None and all_fit(v):
            return v
        return [inner(x) for x in v]

    return check_list


def _within(values: list[Any] | tuple[Any, ...], bounds: tuple[int, int]) -> bool:
    return not values or (bounds[0] <= min(values) and max(values) <= bounds[1])


def _arrow_checker(t: pa.DataType) -> Checker:
    """Fallback for rarer types: let Arrow itself decide on the single value."""

    def check(v: object) -> object:
        if v is None:
            return None
        try:
            pa.array([v], type=t)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            raise _refuse(str(t), v) from None
        return v

    return check


def _check_any(v: object) -> object:
    """Checker of a column whose type is not known yet: anything Arrow can type."""
    if v is None:
        return None
    checked = make_checker(infer_type(v))(v)
    if checked is v:
        return checked
    # a numpy value became a Python one, which types the column when appended: it must fit
    # that type too (np.uint64(2**63) is a uint64, but the int it becomes needs int64)
    return make_checker(infer_type(checked))(checked)


def utf8_problem(text: str) -> str | None:
    r"""None if UTF-8 can encode ``text``; otherwise what is wrong with it, for a message.

    Python strings may hold lone surrogates (``"\ud800"``, or a pair written as two code
    points), which UTF-8, and so Arrow, Parquet, JSON files and HDF5, cannot store.

    >>> utf8_problem("caf\u00e9") is None
    True
    >>> utf8_problem("a\ud800").split(",")[0]
    "holds a lone surrogate '\\ud800' at position 1"
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"holds a lone surrogate {text[exc.start]!r} at position {exc.start}, which UTF-8 "
            f"(and so Arrow, Parquet and HDF5) cannot store. Hint: such text comes from "
            f"decoding bytes with errors='surrogateescape'; decode them with errors='replace', "
            f"or fix the text"
        )
    return None


def bad_text(v: str) -> CellValueError:
    return CellValueError(f"expected text, found str {v!r:.40} that {utf8_problem(v)}")


def _all_utf8(values: list[str] | tuple[str, ...]) -> bool:
    try:
        "".join(values).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _overflow(t: pa.DataType, value: object) -> CellValueError:
    top = float(np.finfo(t.to_pandas_dtype()).max)
    msg = (
        f"expected a number ({t}), found {value!r:.40}, which is finite but beyond the range of "
        f"{t} (about \u00b1{top:.4g}): it would be stored as inf. Hint: use dtype='float' "
        f"(float64) for such values"
    )
    return CellValueError(msg)


def not_cells(data: str | bytes) -> CellTypeError:
    """The error for a str (or bytes) given as a column's data: it is not a sequence of cells
    (pyarrow would make one row per character).

    >>> str(not_cells("abc"))
    "data is a str ('abc'), not a sequence of cells. Hint: pass data=['abc'] for one row"
    """
    msg = (
        f"data is a {type(data).__name__} ({data!r:.40}), not a sequence of cells. Hint: pass "
        f"data=[{data!r:.40}] for one row"
    )
    return CellTypeError(msg)


def dict_cells(value: object) -> CellTypeError:
    msg = (
        f"expected a scalar or an array per cell, found a dict ({value!r:.40}); a column holds "
        f"one value per row. Hint: make one column per key, or pass an Arrow struct array "
        f"if a struct column is what you mean"
    )
    return CellTypeError(msg)


def is_text(t: pa.DataType) -> bool:
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def is_binary(t: pa.DataType) -> bool:
    return bool(pa.types.is_binary(t) or pa.types.is_large_binary(t))


def is_list_like(t: pa.DataType) -> bool:
    return bool(
        pa.types.is_list(t)
        or pa.types.is_large_list(t)
        or pa.types.is_fixed_size_list(t)
        or pa.types.is_list_view(t)
        or pa.types.is_large_list_view(t)
    )


def innermost(t: pa.DataType) -> pa.DataType:
    """The value type below every list level of ``t``.

    >>> innermost(pa.list_(pa.list_(pa.int8(), 2)))
    DataType(int8)
    """
    while is_list_like(t):
        t = t.value_type
    return t


def list_levels(t: pa.DataType) -> int:
    depth = 0
    while is_list_like(t):
        depth, t = depth + 1, t.value_type
    return depth


# -- whole arrays: what Parquet cannot store -------------------------------------------------


def unstorable(t: pa.DataType) -> str | None:
    """What in Arrow type ``t`` no Parquet file can hold (unions, run-end encoding, intervals,
    structs without fields), or None if it can be stored.

    >>> unstorable(pa.list_(pa.sparse_union([pa.field("i", pa.int8())])))
    'a sparse_union<i: int8=0> type'
    >>> unstorable(pa.struct([("a", pa.int64())])) is None
    True
    """
    if pa.types.is_union(t) or pa.types.is_run_end_encoded(t) or pa.types.is_interval(t):
        return f"a {t} type"
    if pa.types.is_struct(t):
        if t.num_fields == 0:
            return "a struct type without fields"
        return next((u for f in t if (u := unstorable(f.type)) is not None), None)
    if pa.types.is_dictionary(t):
        return unstorable(t.value_type)
    if pa.types.is_map(t):
        return unstorable(t.key_type) or unstorable(t.item_type)
    if is_list_like(t):
        return unstorable(t.value_type)
    return None


def check_storable(t: pa.DataType) -> None:
    """Raise CellTypeError if a store could not write values of Arrow type ``t``.

    >>> check_storable(pa.int64())
    >>> check_storable(pa.run_end_encoded(pa.int32(), pa.int64()))
    Traceback (most recent call last):
    hdmf_arrow.errors.CellTypeError: cannot store a run_end_encoded<...> type: ...
    """
    problem = unstorable(t)
    if problem is not None:
        msg = (
            f"cannot store {problem}: Parquet files have no such type, so the table could "
            f"never be written. Hint: convert the values to a plain type first (for a union, "
            f"one column per member)"
        )
        raise CellTypeError(msg)


_CHECKERS: dict[pa.DataType, Checker] = {}
for _t in (pa.int64(), pa.float64(), pa.string(), pa.bool_(), pa.int32(), pa.float32()):
    _CHECKERS[_t] = _build_checker(_t)
