"""hdmf.utils for extension code: ``docval``, ``get_docval``, ``popargs``, ``getargs``, ...

Extensions written for hdmf and pynwb declare their constructors with ``docval``::

    @docval(*get_docval(DynamicTable.__init__, "id", "columns", "colnames"),
            {"name": "name", "type": str, "doc": "the name of the table"})
    def __init__(self, **kwargs):
        name = popargs("name", kwargs)
        super().__init__(name=name, description="...", **kwargs)

This module gives that idiom the same meaning over hdmf-arrow's classes, so such code runs
unchanged (only the imports change). Every public class of :mod:`hdmf_arrow.common` carries the
``__docval__`` description of its ``__init__`` that this module's :func:`get_docval` and
``hdmf.utils.get_docval`` both read. hdmf-arrow's own API does not use ``docval``: its functions
have real signatures with type hints.

Examples
--------
>>> @docval({"name": "name", "type": str, "doc": "a name"},
...         {"name": "size", "type": int, "doc": "a size", "default": 1},
...         is_method=False)
... def make(**kwargs):
...     name, size = getargs("name", "size", kwargs)
...     return f"{name}:{size}"
>>> make("a"), make("b", size=3)
('a:1', 'b:3')
>>> make(1)
Traceback (most recent call last):
...
hdmf_arrow.errors.InvalidArgumentTypeError: make: incorrect type for 'name' (got 'int', ...
>>> [a["name"] for a in get_docval(make)]
['name', 'size']
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import inspect
import re
import warnings
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pyarrow as pa

from hdmf_arrow.errors import InvalidArgumentError, InvalidArgumentTypeError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = [
    "AllowPositional",
    "check_type",
    "docval",
    "docval_macro",
    "get_data_shape",
    "get_docval",
    "get_docval_macro",
    "getargs",
    "is_newer_version",
    "is_ragged",
    "popargs",
    "popargs_to_dict",
    "pystr",
    "to_uint_array",
]

T = TypeVar("T")
F = TypeVar("F", bound="Callable[..., Any]")
ArgType = Any  # a type, a type name, a macro name, a tuple of those, or None (any type)

#: The attribute names hdmf.utils reads; kept the same so both packages read our classes.
DOCVAL_ATTR = "__docval__"
DOCVAL_INDEX_ATTR = "__dv_idx__"

AllowPositional = Enum("AllowPositional", "ALLOWED WARNING ERROR")
"""How a ``docval`` function treats positional arguments: ``ALLOWED``, ``WARNING`` (a
``FutureWarning`` asks for keywords) or ``ERROR`` (an :class:`InvalidArgumentTypeError`)."""

# Type names (module.qualname) stand for classes of optional packages that are not imported.
_MACROS: dict[str, list[type | str]] = {
    "array_data": [
        np.ndarray,
        list,
        tuple,
        "pandas.core.series.Series",
        "pandas.core.arrays.base.ExtensionArray",
        pa.Array,
        pa.ChunkedArray,
        "h5py._hl.dataset.Dataset",
        "zarr.core.array.Array",
        "zarr.core.Array",
    ],
    "scalar_data": [str, int, float, bytes, bool, dt.datetime, dt.date, np.generic],
    "data": [],
}

_INT_TYPES = (int, np.integer)
_UINT_TYPES = (np.unsignedinteger,)
_FLOAT_TYPES = (float, np.floating)
_BOOL_TYPES = (bool, np.bool_)
_ENUM_TYPES = (bool, np.bool_, int, np.integer, float, np.floating, str)
_ARG_KEYS = frozenset({"name", "doc", "type", "shape", "enum", "default", "allow_none", "help"})


def docval_macro(macro: str) -> Callable[[type[T]], type[T]]:
    """A class decorator adding the class to the types the string ``macro`` stands for.

    ``"array_data"``, ``"scalar_data"`` and ``"data"`` exist; a new name makes a new macro.
    A docval argument typed ``"data"`` accepts instances of every class added so far.

    >>> @docval_macro("my_macro")
    ... class Thing:
    ...     pass
    >>> get_docval_macro("my_macro") == (Thing,)
    True
    """

    def register(cls: type[T]) -> type[T]:
        _MACROS.setdefault(macro, []).append(cls)
        return cls

    return register


def get_docval_macro(key: str | None = None) -> Any:
    """The types of one macro (a tuple), or a copy of all macros (a dict) when ``key`` is None.

    >>> np.ndarray in get_docval_macro("array_data")
    True
    """
    if key is None:
        return {k: list(v) for k, v in _MACROS.items()}
    if key not in _MACROS:
        msg = f"no docval macro {key!r}; the macros are {sorted(_MACROS)}"
        raise InvalidArgumentError(msg)
    return tuple(_MACROS[key])


def _type_names(value: object) -> set[str]:
    names = set()
    for cls in type(value).__mro__:
        names.add(cls.__name__)
        names.add(f"{cls.__module__}.{cls.__qualname__}")
    return names


def check_type(value: object, argtype: ArgType, allow_none: bool = False) -> bool:
    """Whether ``value`` is of ``argtype``, as docval checks it.

    ``argtype`` is a class, a class name (``"module.Class"`` or ``"Class"``), a macro name, one
    of ``"int"``, ``"uint"``, ``"float"``, ``"bool"``, a tuple or list of these, or None (any
    type). ``int`` and ``float`` include numpy's scalars; ``float`` does not include ints.

    >>> check_type(np.float32(1), float), check_type(1, float), check_type(None, int, True)
    (True, False, True)
    >>> check_type([1, 2], "array_data"), check_type(3, ("uint", str))
    (True, False)
    """
    if value is None:
        return allow_none
    if argtype is None:
        return True
    if isinstance(argtype, (tuple, list)):
        return any(check_type(value, t) for t in argtype)
    if isinstance(argtype, str):
        if argtype in _MACROS:
            return check_type(value, _MACROS[argtype])
        scalar = {"int": _INT_TYPES, "uint": _UINT_TYPES, "float": _FLOAT_TYPES}
        if argtype in scalar:
            return isinstance(value, scalar[argtype])
        if argtype == "bool":
            return isinstance(value, _BOOL_TYPES)
        return argtype in _type_names(value)
    if argtype is int:
        return isinstance(value, _INT_TYPES)
    if argtype is float:
        return isinstance(value, _FLOAT_TYPES)
    if argtype is bool:
        return isinstance(value, _BOOL_TYPES)
    return isinstance(value, argtype)


def _format_type(argtype: ArgType) -> str:
    if argtype is None:
        return "any type"
    if isinstance(argtype, str):
        return argtype
    if isinstance(argtype, type):
        return argtype.__name__
    names = [_format_type(t) for t in argtype]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _resolve_type(argtype: ArgType, where: str) -> ArgType:
    """Macros replaced by their types (once, when a function is decorated)."""
    if argtype is None or isinstance(argtype, type):
        return argtype
    if isinstance(argtype, str):
        return tuple(_MACROS[argtype]) if argtype in _MACROS else argtype
    if isinstance(argtype, (tuple, list)):
        out: list[Any] = []
        for t in argtype:
            r = _resolve_type(t, where)
            out.extend(r if isinstance(r, tuple) else [r])
        return tuple(out)
    msg = (
        f"{where}: an argument type must be a class, a str, a tuple or list of them, or None; "
        f"got {type(argtype).__name__} {argtype!r}"
    )
    raise InvalidArgumentTypeError(msg)


def _parse_arg(spec: Mapping[str, Any], func_name: str) -> dict[str, Any]:
    """One docval argument description, checked and with its type resolved."""
    if not isinstance(spec, dict) or "name" not in spec:
        msg = f"docval for {func_name}: each argument is a dict with a 'name'; got {spec!r:.80}"
        raise InvalidArgumentTypeError(msg)
    where = f"docval for {func_name}, argument {spec['name']!r}"
    unknown = set(spec) - _ARG_KEYS
    if unknown:
        msg = f"{where}: keys {sorted(unknown)} are not supported; use {sorted(_ARG_KEYS)}"
        raise InvalidArgumentError(msg)
    arg = dict(spec)
    arg["type"] = _resolve_type(arg.get("type"), where)
    if "enum" in arg:
        if not isinstance(arg["enum"], (list, tuple)):
            msg = f"{where}: 'enum' must be a list or tuple, got {type(arg['enum']).__name__}"
            raise InvalidArgumentTypeError(msg)
        types = arg["type"] if isinstance(arg["type"], tuple) else (arg["type"],)
        if not all(t in _ENUM_TYPES for t in types):
            msg = f"{where}: 'enum' needs scalar types (bool, int, float, str), not {types}"
            raise InvalidArgumentError(msg)
        bad = [x for x in arg["enum"] if not check_type(x, arg["type"])]
        if bad:
            msg = f"{where}: enum values {bad} are not of type {_format_type(arg['type'])}"
            raise InvalidArgumentError(msg)
    if arg.get("allow_none") and "default" not in arg:
        msg = f"{where}: allow_none=True needs a default value"
        raise InvalidArgumentError(msg)
    return arg


def _shape_ok(shape: Sequence[int | None], expected: Sequence[Any]) -> bool:
    return len(shape) == len(expected) and all(
        e in (None, s) for s, e in zip(shape, expected, strict=True)
    )


def _check_shape(name: str, value: object, expected: Sequence[Any]) -> str | None:
    shape = get_data_shape(value)
    while shape is None:  # e.g. a container passed for 'data': check its 'data'
        if not hasattr(value, name):
            return f"cannot check shape of object {value!r:.60} for argument {name!r}"
        value = getattr(value, name)
        shape = get_data_shape(value)
    options = expected if expected and isinstance(expected[0], (tuple, list)) else [expected]
    if any(_shape_ok(shape, e) for e in options):
        return None
    want = " or ".join(str(tuple(e)) for e in options).replace("None", "*")
    return f"incorrect shape for {name!r}: got {tuple(shape)}, expected {want}"


def _check_value(
    arg: Mapping[str, Any], value: object, *, enforce: tuple[bool, bool]
) -> tuple[str | None, str | None]:
    """(type error, value error) for one argument's value."""
    name = arg["name"]
    allow_none = "default" in arg and (arg["default"] is None or arg.get("allow_none", False))
    if enforce[0] and not check_type(value, arg["type"], allow_none):
        want = _format_type(arg["type"])
        if value is None:
            return f"None is not allowed for {name!r} (expected {want!r}, not None)", None
        return (
            f"incorrect type for {name!r} (got {type(value).__name__!r}, expected {want!r})",
            None,
        )
    if value is None:
        return None, None
    if enforce[1] and "shape" in arg:
        err = _check_shape(name, value, arg["shape"])
        if err:
            return None, err
    if "enum" in arg and value not in arg["enum"]:
        shown = repr(value) if isinstance(value, str) else str(value)
        return None, f"forbidden value for {name!r} (got {shown}, expected {list(arg['enum'])})"
    return None, None


def _parse_call(
    func_name: str,
    spec: list[dict[str, Any]],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    *,
    enforce: tuple[bool, bool],
    allow_extra: bool,
    allow_positional: Any,
) -> dict[str, Any]:
    """The arguments of one call by name, or an error naming the function and each problem."""
    names = [a["name"] for a in spec]
    count = len(args) if allow_extra else len(args) + len(kwargs)
    if count > len(spec):
        msg = (
            f"{func_name}: expected at most {len(spec)} arguments {names}, got {count} "
            f"({len(args)} positional, keywords {sorted(kwargs)})"
        )
        raise InvalidArgumentTypeError(msg)
    if args and allow_positional == AllowPositional.ERROR:
        msg = f"{func_name}: only keyword arguments are allowed (e.g. {func_name}({names[0]}=...))"
        raise InvalidArgumentTypeError(msg)
    if args and allow_positional == AllowPositional.WARNING:
        msg = f"{func_name}: positional arguments are discouraged here; pass them by keyword"
        warnings.warn(msg, FutureWarning, stacklevel=4)
    type_errors: list[str] = []
    value_errors: list[str] = []
    out: dict[str, Any] = {}
    for i, arg in enumerate(spec):
        name = arg["name"]
        if name in kwargs:
            if i < len(args):
                type_errors.append(f"got multiple values for argument {name!r}")
            value = kwargs[name]
        elif i < len(args):
            value = args[i]
        elif "default" in arg:
            value = copy.deepcopy(arg["default"])
        else:
            type_errors.append(f"missing argument {name!r}")
            continue
        terr, verr = _check_value(arg, value, enforce=enforce)
        type_errors += [terr] if terr else []
        value_errors += [verr] if verr else []
        out[name] = value
    extras = {k: v for k, v in kwargs.items() if k not in out and k not in names}
    if allow_extra:
        out.update(extras)
    else:
        type_errors += [f"unrecognized argument: {k!r}" for k in extras]
    if type_errors:
        msg = f"{func_name}: {', '.join(type_errors)}"
        raise InvalidArgumentTypeError(msg)
    if value_errors:
        msg = f"{func_name}: {', '.join(value_errors)}"
        raise InvalidArgumentError(msg)
    return out


def _docstring(
    func: Callable[..., Any], spec: list[dict[str, Any]], returns: str | None, rtype: Any
) -> str:
    def sig(a: Mapping[str, Any]) -> str:
        return f"{a['name']}={a['default']!r}" if "default" in a else str(a["name"])

    text = f"{func.__name__}({', '.join(sig(a) for a in spec)})\n\n"
    text += inspect.cleandoc(func.__doc__ or "")
    if spec:
        lines = [f"    {a['name']} ({_format_type(a['type'])}): {a.get('doc', '')}" for a in spec]
        text += "\n\nArgs:\n" + "\n".join(lines)
    if returns is not None and rtype is not None:
        text += f"\n\nReturns:\n    {_format_type(rtype)}: {returns}"
    return text


def _signature(spec: list[dict[str, Any]], *, is_method: bool) -> inspect.Signature:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    params = [inspect.Parameter("self", kind)] if is_method else []
    for a in spec:
        default = a.get("default", inspect.Parameter.empty)
        params.append(inspect.Parameter(a["name"], kind, default=default))
    return inspect.Signature(params)


def docval(*validator: dict[str, Any], **options: Any) -> Callable[[F], F]:
    """Describe and check a function's arguments, as ``hdmf.utils.docval``.

    Each ``validator`` dict has ``name``, ``type``, ``doc`` and optionally ``default``,
    ``shape``, ``enum``, ``allow_none``. The decorated function takes the arguments
    positionally or by keyword (arguments without a default come first) and receives them all
    as keywords, defaults filled in (a default is deep-copied, so ``[]`` is safe).

    Options: ``is_method`` (True), ``enforce_type`` (True), ``enforce_shape`` (True),
    ``allow_extra`` (False: other keywords are an error), ``allow_positional``
    (:class:`AllowPositional`), ``returns`` and ``rtype`` (documentation); others are stored
    in ``__docval__``.

    Raises
    ------
    InvalidArgumentTypeError
        On a call: a missing or unknown argument, or one of the wrong type. The message names
        the function and every such argument.
    InvalidArgumentError
        On a call: a value of the wrong shape or not in ``enum``; when decorating: a bad
        argument description.

    Examples
    --------
    >>> class Probe:
    ...     @docval({"name": "channels", "type": "array_data", "doc": "channel ids",
    ...              "shape": (None,)},
    ...             {"name": "kind", "type": str, "doc": "probe kind", "default": "npx",
    ...              "enum": ["npx", "tetrode"]})
    ...     def __init__(self, **kwargs):
    ...         self.channels, self.kind = popargs("channels", "kind", kwargs)
    >>> Probe([1, 2]).kind
    'npx'
    >>> Probe([[1, 2]])
    Traceback (most recent call last):
    ...
    hdmf_arrow.errors.InvalidArgumentError: Probe.__init__: incorrect shape for 'channels': ...
    """
    opts = dict(options)
    enforce = (bool(opts.pop("enforce_type", True)), bool(opts.pop("enforce_shape", True)))
    returns = opts.pop("returns", None)
    rtype = opts.pop("rtype", None)
    is_method = bool(opts.pop("is_method", True))
    allow_extra = bool(opts.pop("allow_extra", False))
    allow_positional = opts.pop("allow_positional", AllowPositional.ALLOWED)
    if allow_positional is True:
        allow_positional = AllowPositional.ALLOWED

    def decorate(func: F) -> F:
        func_name = func.__qualname__
        parsed = [_parse_arg(a, func_name) for a in validator]
        spec = [a for a in parsed if "default" not in a] + [a for a in parsed if "default" in a]
        names = [a["name"] for a in spec]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            msg = f"docval for {func_name}: the argument names {duplicated} are duplicated"
            raise InvalidArgumentError(msg)

        def check(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
            return _parse_call(
                func_name,
                spec,
                args,
                kwargs,
                enforce=enforce,
                allow_extra=allow_extra,
                allow_positional=allow_positional,
            )

        if is_method:

            def call(*args: Any, **kwargs: Any) -> Any:
                if not args:
                    msg = f"{func_name}: called without 'self'"
                    raise InvalidArgumentTypeError(msg)
                return func(args[0], **check(args[1:], kwargs))
        else:

            def call(*args: Any, **kwargs: Any) -> Any:
                return func(**check(args, kwargs))

        functools.update_wrapper(call, func)
        del call.__wrapped__  # type: ignore[attr-defined]  # the signature is the docval one
        meta = {**opts, "allow_extra": allow_extra, "allow_positional": allow_positional}
        meta["args"] = spec
        call.__name__ = opts.get("func_name", func.__name__)
        call.__doc__ = _docstring(func, spec, returns, rtype)
        call.__signature__ = _signature(spec, is_method=is_method)  # type: ignore[attr-defined]
        set_docval(call, meta)
        return call  # type: ignore[return-value]

    return decorate


def set_docval(func: Callable[..., Any], meta: dict[str, Any]) -> None:
    """Attach a docval description (``meta["args"]``: the argument dicts) to ``func``.

    This is how the classes of :mod:`hdmf_arrow.common`, whose ``__init__`` has a real
    signature, describe it for ``get_docval``; the argument types are resolved here.

    >>> def f(name): ...
    >>> set_docval(f, {"args": [{"name": "name", "type": str, "doc": "a name"}]})
    >>> get_docval(f, "name")[0]["type"]
    <class 'str'>
    """
    args = [_parse_arg(a, func.__qualname__) for a in meta["args"]]
    full = {"allow_extra": False, "allow_positional": AllowPositional.ALLOWED, **meta, "args": args}
    setattr(func, DOCVAL_ATTR, full)
    setattr(func, DOCVAL_INDEX_ATTR, {a["name"]: a for a in args})


def get_docval(func: Callable[..., Any], *names: str) -> tuple[dict[str, Any], ...]:
    """The docval argument descriptions of ``func`` (all, or those named, in that order).

    A function without docval gives ``()``, or an error when names are asked for.

    Raises
    ------
    InvalidArgumentError
        When a name is not an argument of ``func``.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> [a["name"] for a in get_docval(DynamicTable.__init__, "id", "columns", "colnames")]
    ['id', 'columns', 'colnames']
    """
    meta = getattr(func, DOCVAL_ATTR, None)
    fname = getattr(func, "__qualname__", repr(func))
    if not meta:
        if names:
            msg = f"function {fname} has no docval arguments (asked for {list(names)})"
            raise InvalidArgumentError(msg)
        return ()
    if not names:
        return tuple(meta["args"])
    index = getattr(func, DOCVAL_INDEX_ATTR, None) or {a["name"]: a for a in meta["args"]}
    missing = [n for n in names if n not in index]
    if missing:
        msg = f"function {fname} has no docval argument(s) {missing}; it has {list(index)}"
        raise InvalidArgumentError(msg)
    return tuple(index[n] for n in names)


def _argdict(argnames: tuple[Any, ...], verb: str) -> tuple[tuple[str, ...], dict[str, Any]]:
    if len(argnames) < 2:
        msg = f"{verb}(*names, argdict) needs at least one name and a dict"
        raise InvalidArgumentError(msg)
    if not isinstance(argnames[-1], dict):
        msg = f"{verb}: the last argument must be a dict, got {type(argnames[-1]).__name__}"
        raise InvalidArgumentTypeError(msg)
    names, argdict = argnames[:-1], argnames[-1]
    missing = [n for n in names if n not in argdict]
    if missing:
        msg = f"{verb}: argument(s) {missing} not found in dict (it has {sorted(argdict)})"
        raise InvalidArgumentError(msg)
    return names, argdict


def getargs(*argnames: Any) -> Any:
    """``getargs(name, ..., argdict)``: the value of one name, or a list of values of several.

    >>> getargs("a", "b", {"a": 1, "b": 2, "c": 3})
    [1, 2]
    """
    names, argdict = _argdict(argnames, "getargs")
    return argdict[names[0]] if len(names) == 1 else [argdict[n] for n in names]


def popargs(*argnames: Any) -> Any:
    """``popargs(name, ..., argdict)``: like :func:`getargs`, removing the names from the dict.

    >>> kw = {"a": 1, "b": 2}
    >>> popargs("a", kw), kw
    (1, {'b': 2})
    """
    names, argdict = _argdict(argnames, "popargs")
    return argdict.pop(names[0]) if len(names) == 1 else [argdict.pop(n) for n in names]


def popargs_to_dict(keys: Iterable[str], argdict: dict[str, Any]) -> dict[str, Any]:
    """The named arguments removed from ``argdict``, as a dict.

    >>> kw = {"a": 1, "b": 2}
    >>> popargs_to_dict(["a"], kw), kw
    ({'a': 1}, {'b': 2})
    """
    names, _ = _argdict((*keys, argdict), "popargs_to_dict")
    return {n: argdict.pop(n) for n in names}


def _arrow_shape(arr: pa.Array | pa.ChunkedArray) -> tuple[int | None, ...]:
    shape: list[int | None] = [len(arr)]
    typ = arr.type
    while pa.types.is_fixed_size_list(typ):
        shape.append(typ.list_size)
        typ = typ.value_type
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        shape.append(None)  # ragged: no single length
    return tuple(shape)


def _is_collection(data: object) -> bool:
    if isinstance(data, (str, bytes, dict)):
        return False
    ndim = getattr(data, "ndim", None)
    if ndim is not None:
        return bool(ndim > 0)
    return hasattr(data, "__len__")


def get_data_shape(
    data: object, strict_no_data_load: bool = False
) -> tuple[int | None, ...] | None:
    """The shape of array-like ``data``, or None for a scalar, a dict or an unsized iterator.

    Nested lists are measured along their first elements (a rectangular shape is assumed);
    a container registered as ``"data"`` (a :class:`~hdmf_arrow.common.Data`) is measured by
    its data; an Arrow ragged (``list``) column has None as its second length.
    ``strict_no_data_load`` makes an iterator other than list, tuple or set give None.

    >>> get_data_shape([[1, 2, 3], [4, 5, 6]]), get_data_shape(np.zeros((2, 5)))
    ((2, 3), (2, 5))
    >>> get_data_shape(pa.array([[1, 2], [3]])), get_data_shape(5)
    ((2, None), None)
    """
    if _MACROS["data"] and isinstance(
        data, tuple(t for t in _MACROS["data"] if isinstance(t, type))
    ):
        data = data.data  # type: ignore[attr-defined]
    if isinstance(data, (pa.Array, pa.ChunkedArray)):
        return _arrow_shape(data)
    shape = getattr(data, "shape", None)
    if shape is not None:
        return tuple(shape)
    maxshape = getattr(data, "maxshape", None)
    if maxshape is not None:
        return tuple(maxshape)
    if not _is_collection(data):
        return None
    if strict_no_data_load and not isinstance(data, (list, tuple, set)):
        return None
    return _nested_shape(data)


def _nested_shape(data: Any) -> tuple[int | None, ...]:
    data_types = tuple(t for t in _MACROS["data"] if isinstance(t, type))
    shape: list[int | None] = []
    while _is_collection(data):
        n = len(data)
        shape.append(n)
        if not n:
            break
        data = next(iter(data))
        if isinstance(data, (str, bytes, *data_types)):
            break
    return tuple(shape)


def pystr(s: str | bytes) -> str:
    """``s`` as str (bytes are decoded as UTF-8).

    >>> pystr(b"abc")
    'abc'
    """
    return s.decode("utf-8") if isinstance(s, bytes) else s


def to_uint_array(arr: object) -> np.ndarray:
    """``arr`` as unsigned integers of the same item size.

    Raises
    ------
    InvalidArgumentError
        When ``arr`` holds negative or non-integer values.

    >>> to_uint_array([1, 2]).dtype
    dtype('uint64')
    """
    a = np.asarray(arr)
    if np.issubdtype(a.dtype, np.unsignedinteger):
        return a
    if not np.issubdtype(a.dtype, np.integer):
        msg = f"cannot convert an array of dtype {a.dtype} to unsigned integers"
        raise InvalidArgumentError(msg)
    if (a < 0).any():
        msg = f"cannot convert negative values (the smallest is {a.min()}) to unsigned integers"
        raise InvalidArgumentError(msg)
    return a.astype(f"uint{a.dtype.itemsize * 8}")


def is_ragged(data: object) -> bool:
    """Whether nested lists (or tuples) have rows of different lengths at any level.

    >>> is_ragged([[1, 2], [3]]), is_ragged([[1, 2], [3, 4]]), is_ragged(pa.array([[1], [2]]))
    (True, False, True)
    """
    if isinstance(data, (pa.Array, pa.ChunkedArray)):
        return None in _arrow_shape(data)
    if not isinstance(data, (list, tuple)):
        return False
    lengths = {len(d) if isinstance(d, (list, tuple)) else 1 for d in data}
    return len(lengths) > 1 or any(is_ragged(d) for d in data)


def is_newer_version(version_a: str, version_b: str) -> bool:
    """Whether version ``a`` is newer than ``b`` (numeric parts compared; suffixes ignored).

    >>> is_newer_version("1.10.0", "1.9.1"), is_newer_version("1.2.3", "1.2.3")
    (True, False)
    """

    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", v.split("+")[0].split("-")[0]))

    return parts(version_a) > parts(version_b)
