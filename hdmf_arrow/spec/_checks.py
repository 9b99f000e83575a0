"""Checks of single spec values, shared by the spec constructors and the YAML parser.

Each ``check_*`` function returns the normalised value (lists become tuples) or raises
:class:`_Problem` with a message and the key it is about; a constructor turns that into a
:class:`~hdmf_arrow.errors.SpecError` naming the spec, the parser into one naming the file,
the type and the key path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeAlias

from hdmf_arrow.errors import SpecError

ZERO_OR_ONE = "?"
ZERO_OR_MANY = "*"
ONE_OR_MANY = "+"
DEF_QUANTITY = 1
_FLAGS = {"zero_or_one": "?", "zero_or_many": "*", "one_or_many": "+", "?": "?", "*": "*", "+": "+"}
_QUANTITY_EXPECTED = "expected 1, '?', '*', '+' or a positive integer"

#: The plain data a spec turns into with ``to_dict()`` (what YAML and JSON hold).
JSON: TypeAlias = str | int | float | bool | list["JSON"] | dict[str, "JSON"] | None
#: A constant or default value of an attribute or dataset: a scalar or nested sequences of them.
Value: TypeAlias = str | int | float | bool | Sequence["Value"]
#: A shape: one list of lengths (None for any length), or a list of alternative such lists.
Shape: TypeAlias = Sequence[int | None] | Sequence[Sequence[int | None]]
#: Dimension names, structured like the shape they go with.
Dims: TypeAlias = Sequence[str | None] | Sequence[Sequence[str | None]]
#: A quantity: 1, '?', '*', '+' or a positive integer ('zero_or_one' etc. are accepted too).
Quantity: TypeAlias = int | str


class _Problem(Exception):
    """A bad value found while checking one key (located by whoever catches it)."""

    def __init__(self, problem: str, key: str) -> None:
        super().__init__(problem, key)
        self.key = key
        self.problem = problem


class _FieldError(SpecError):
    """A SpecError raised by a constructor; the parser re-raises it with the file location."""

    def __init__(self, origin: str, key: str, problem: str) -> None:
        super().__init__(f"{origin}: {key}: {problem}" if key else f"{origin}: {problem}")
        self.key = key
        self.problem = problem


def _run(origin: str, build: Callable[[], None]) -> None:
    """Run a constructor's checks; a _Problem becomes a SpecError naming the spec and key."""
    try:
        build()
    except _Problem as p:
        raise _FieldError(origin, p.key, p.problem) from None


def _label(kind: str, *names: object) -> str:
    for name in names:
        if isinstance(name, str):
            return f"{kind} {name!r}"
    return kind


# ---------------------------------------------------------------------------------------------
# checks of single values: each returns the normalised value or raises _Problem(message, key)


def check_str(value: object, key: str, *, optional: bool = False) -> str | None:
    """``value`` if it is a string (or None when optional), else a _Problem for ``key``."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        msg = f"expected a string, found {value!r}"
        raise _Problem(msg, key)
    return value


def check_name(value: object, key: str) -> str | None:
    """A name of a group, dataset or link: a non-empty string without '/'."""
    name = check_str(value, key, optional=True)
    if name is not None and (not name or "/" in name):
        msg = f"{name!r} is not a valid name (it must be non-empty, without '/')"
        raise _Problem(msg, key)
    return name


def check_bool(value: object, key: str) -> bool:
    if not isinstance(value, bool):
        msg = f"expected true or false, found {value!r}"
        raise _Problem(msg, key)
    return value


def check_quantity(value: object, key: str = "quantity") -> int | str:
    """1, '?', '*', '+' or a positive int; the long flag names become their symbol."""
    if isinstance(value, str) and value in _FLAGS:
        return _FLAGS[value]
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    hint = ""
    if isinstance(value, str) and value.strip().isdigit():
        hint = f" (write {value.strip()} without quotes)"
    msg = f"{_QUANTITY_EXPECTED}, found {value!r}{hint}"
    raise _Problem(msg, key)


def _is_seq(value: object) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def _check_lengths(value: object, key: str) -> tuple[int | None, ...]:
    if not _is_seq(value) or not value:  # type: ignore[arg-type]
        msg = f"expected a non-empty list of lengths (null for any), found {value!r}"
        raise _Problem(msg, key)
    out: list[int | None] = []
    for item in value:  # type: ignore[attr-defined]
        if item is not None and (isinstance(item, bool) or not isinstance(item, int) or item < 0):
            msg = f"a length must be null or an integer >= 0, found {item!r}"
            raise _Problem(msg, key)
        out.append(item)
    return tuple(out)


def _check_names(value: object, key: str) -> tuple[str, ...]:
    if not _is_seq(value) or not value:  # type: ignore[arg-type]
        msg = f"expected a non-empty list of dimension names, found {value!r}"
        raise _Problem(msg, key)
    # null is an unnamed dimension, as hdmf accepts (``dims=(None, None)``)
    if not all(item is None or isinstance(item, str) for item in value):  # type: ignore[attr-defined]
        msg = f"dimension names must be strings (or null: unnamed), found {value!r}"
        raise _Problem(msg, key)
    return tuple(value)  # type: ignore[arg-type]


def _alternatives(value: object) -> bool:
    return _is_seq(value) and bool(value) and all(_is_seq(v) for v in value)  # type: ignore[attr-defined]


def check_shape_dims(shape: object, dims: object) -> tuple[Shape | None, Dims | None]:
    """Normalise ``shape`` and ``dims`` to tuples and check that they go together.

    A shape without dims gets ``dim_0, dim_1, ...``; dims without a shape get ``null`` lengths.
    Either may be a list of alternatives (``[[null], [null, null]]``), and then both are.
    """
    alt = _alternatives(shape) if shape is not None else _alternatives(dims)
    new_shape: Shape | None = None
    new_dims: Dims | None = None
    if shape is not None:
        if alt:
            new_shape = tuple(_check_lengths(s, "shape") for s in shape)  # type: ignore[attr-defined]
        else:
            new_shape = _check_lengths(shape, "shape")
    if dims is not None:
        if alt != _alternatives(dims) and _is_seq(dims) and dims:  # type: ignore[arg-type]
            msg = "'dims' and 'shape' must both be lists, or both lists of lists"
            raise _Problem(msg, "dims")
        if alt:
            new_dims = tuple(_check_names(d, "dims") for d in dims)  # type: ignore[attr-defined]
        else:
            new_dims = _check_names(dims, "dims")
    if new_shape is not None and new_dims is None:
        if alt:
            new_dims = tuple(tuple(f"dim_{i}" for i in range(len(s))) for s in new_shape)  # type: ignore[arg-type]
        else:
            new_dims = tuple(f"dim_{i}" for i in range(len(new_shape)))
    elif new_dims is not None and new_shape is None:
        if alt:
            new_shape = tuple(tuple(None for _ in d) for d in new_dims)  # type: ignore[union-attr]
        else:
            new_shape = tuple(None for _ in new_dims)
    if new_shape is not None and new_dims is not None:
        lengths = [len(s) for s in new_shape] if alt else [len(new_shape)]  # type: ignore[arg-type]
        dim_lengths = [len(d) for d in new_dims] if alt else [len(new_dims)]  # type: ignore[arg-type]
        if lengths != dim_lengths:
            msg = f"'dims' {_plain(new_dims)} and 'shape' {_plain(new_shape)} differ in length"
            raise _Problem(msg, "dims")
    return new_shape, new_dims


def check_value(value: object, key: str) -> Value | None:
    """A constant/default value: a scalar or (nested) list of scalars, stored as tuples."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if _is_seq(value):
        return tuple(check_value(v, key) for v in value)  # type: ignore[attr-defined, misc]
    msg = f"expected a scalar or a list of scalars, found {value!r}"
    raise _Problem(msg, key)


def _plain(value: object) -> JSON:
    """Tuples to lists, spec objects to dicts: the JSON form of a stored value."""
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    if to_dict is not None:  # a RefSpec or DtypeSpec inside a dtype
        return to_dict()  # type: ignore[no-any-return]
    return value  # type: ignore[return-value]


def _put(out: dict[str, JSON], key: str, value: object, default: object = None) -> None:
    if value is not None and value != default:
        out[key] = _plain(value)


def _tuple_of(value: object, cls: type, key: str) -> tuple[object, ...]:
    if not _is_seq(value):
        msg = f"expected a list of {cls.__name__}, found {value!r}"
        raise _Problem(msg, key)
    items: Sequence[object] = value  # type: ignore[assignment]
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            msg = f"expected a {cls.__name__}, found {item!r}"
            raise _Problem(msg, f"{key}[{i}]")
    return tuple(items)
