"""The base of the spec classes (a dict read through properties) and the dtype specs:
:class:`RefSpec`, :class:`DtypeSpec` and hdmf's :class:`DtypeHelper`."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar, Union

from hdmf_arrow.errors import HdmfArrowWarning, SpecError
from hdmf_arrow.spec._checks import JSON, _label, _plain, _Problem, _run, check_str
from hdmf_arrow.spec.dtypes import DTYPE_SYNONYMS, is_allowed_dtype

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "AttrDtype",
    "DatasetDtype",
    "DtypeHelper",
    "DtypeSpec",
    "RefSpec",
    "check_dataset_dtype",
    "check_simple_dtype",
]

#: The dtype of an attribute: a dtype name of the schema language or a reference.
AttrDtype: TypeAlias = Union[str, "RefSpec"]
#: The dtype of a dataset: also a compound type (a list of fields), or None for any dtype.
DatasetDtype: TypeAlias = Union[str, "RefSpec", Sequence["DtypeSpec"], None]
_S = TypeVar("_S", bound="_SpecBase")


def check_simple_dtype(value: object, key: str = "dtype") -> str | RefSpec:
    """A dtype name of the schema language, or a :class:`RefSpec`."""
    if isinstance(value, RefSpec):
        return value
    if isinstance(value, str) and value in DTYPE_SYNONYMS:
        return value
    known = ", ".join(sorted(DTYPE_SYNONYMS))
    msg = (
        f"unknown dtype {value!r}; expected one of {known}, or a reference "
        "{target_type: <type>, reftype: object}"
    )
    raise _Problem(msg, key)


def check_dataset_dtype(value: object, key: str = "dtype") -> DatasetDtype:
    """A simple dtype, a reference, a compound dtype (a list of DtypeSpec) or None."""
    if value is None or isinstance(value, (str, RefSpec)):
        return None if value is None else check_simple_dtype(value, key)
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        if not value:
            msg = "a compound dtype needs at least one field"
            raise _Problem(msg, key)
        names: set[str] = set()
        for i, item in enumerate(value):
            if not isinstance(item, DtypeSpec):
                msg = f"compound dtype fields must be DtypeSpec objects, found {item!r}"
                raise _Problem(msg, f"{key}[{i}]")
            if item.name in names:
                msg = f"duplicate compound field {item.name!r}"
                raise _Problem(msg, f"{key}[{i}].name")
            names.add(item.name)
        return tuple(value)
    return check_simple_dtype(value, key)


def _tup(value: Any) -> Any:
    """Lists to tuples, at any depth: the form the properties give."""
    if isinstance(value, list):
        return tuple(_tup(v) for v in value)
    return value


def _lists(value: Any) -> Any:
    """Tuples to lists, at any depth, keeping spec objects: the form the dict holds."""
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------


class _SpecBase(dict):  # type: ignore[type-arg]
    """A spec: a dict in the YAML form (what hdmf's specs are), read through properties."""

    __slots__ = ()
    #: What kind of spec this is; specs of different kinds are never equal.
    _kind: ClassVar[str] = "spec"
    #: The constructor's arguments, in order (for repr and copies).
    _fields: ClassVar[tuple[str, ...]] = ()
    #: The constructor's arguments without a default.
    _required_args: ClassVar[tuple[str, ...]] = ()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _SpecBase) and other._kind != self._kind:
            return False
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:  # type: ignore[override]
        return hash((self._kind, json.dumps(self, sort_keys=True, default=repr)))

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({args})"

    def _kwargs(self) -> dict[str, Any]:
        """The constructor arguments that build this spec again."""
        return {name: getattr(self, name) for name in self._fields}

    @classmethod
    def build_const_args(cls, spec_dict: Mapping[str, Any]) -> dict[str, Any]:
        """The constructor arguments for ``spec_dict`` (nested specs built), as in hdmf."""
        return dict(spec_dict)

    @classmethod
    def build_spec(cls: type[_S], spec_dict: Mapping[str, Any]) -> _S:
        """A spec of this class from its dict form (a spec, or a mapping read from YAML).

        Keys the class does not know are ignored with a warning, as in hdmf.

        Raises
        ------
        TypeError
            When a required key (``doc``, ...) is missing.
        SpecError
            When a value is not valid.

        Examples
        --------
        >>> RefSpec.build_spec({"target_type": "DynamicTable", "reftype": "object"})
        RefSpec(target_type='DynamicTable', reftype='object')
        """
        args = cls.build_const_args(spec_dict)
        unused = [key for key in args if key not in cls._fields]
        if unused:
            msg = f"Unexpected keys {unused} in spec {dict.__repr__(dict(spec_dict))}"
            warnings.warn(msg, HdmfArrowWarning, stacklevel=2)
        for key in cls._required_args:
            if key not in args:
                msg = f"{cls.__name__}.__init__: missing argument {key!r}"
                raise TypeError(msg)
        return cls(**{key: value for key, value in args.items() if key in cls._fields})


class RefSpec(_SpecBase):
    """A reference dtype: ``RefSpec(target_type='DynamicTable', reftype='object')``.

    Examples
    --------
    >>> RefSpec("VectorData", "object").to_dict()
    {'target_type': 'VectorData', 'reftype': 'object'}
    >>> RefSpec("VectorData")["target_type"]
    'VectorData'
    """

    __slots__ = ()
    _kind = "ref"
    _fields = ("target_type", "reftype")
    _required_args = ("target_type",)

    def __init__(self, target_type: str, reftype: str = "object") -> None:
        super().__init__()

        def build() -> None:
            if not check_str(target_type, "target_type"):
                msg = "the target type must not be empty"
                raise _Problem(msg, "target_type")
            if reftype != "object":
                hint = " (hdmf 6 dropped region references)" if reftype == "region" else ""
                msg = f"expected 'object', found {reftype!r}{hint}"
                raise _Problem(msg, "reftype")
            self["target_type"] = target_type
            self["reftype"] = reftype

        _run(_label("RefSpec", target_type), build)

    @property
    def target_type(self) -> str:
        """The data type of the referenced object."""
        return str(self["target_type"])

    @property
    def reftype(self) -> str:
        """The kind of reference (``'object'``)."""
        return str(self["reftype"])

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form)."""
        return {"target_type": self.target_type, "reftype": self.reftype}


class DtypeSpec(_SpecBase):
    """One field of a compound dtype: ``DtypeSpec(name, doc, dtype)``.

    Examples
    --------
    >>> DtypeSpec("key", "the user term", "text").to_dict()
    {'name': 'key', 'dtype': 'text', 'doc': 'the user term'}
    >>> DtypeSpec.is_ref(DtypeSpec("t", "a table", RefSpec("DynamicTable")))
    True
    """

    __slots__ = ()
    _kind = "dtype"
    _fields = ("name", "doc", "dtype")
    _required_args = ("name", "doc", "dtype")

    def __init__(self, name: str, doc: str, dtype: AttrDtype) -> None:
        super().__init__()

        def build() -> None:
            check_str(name, "name")
            check_str(doc, "doc")
            self["name"] = name
            self["doc"] = doc
            self["dtype"] = check_simple_dtype(dtype)

        _run(_label("DtypeSpec", name), build)

    @property
    def name(self) -> str:
        """The field's name."""
        return str(self["name"])

    @property
    def doc(self) -> str:
        """What the field holds."""
        return str(self["doc"])

    @property
    def dtype(self) -> AttrDtype:
        """The field's dtype: a dtype name or a :class:`RefSpec`."""
        return self["dtype"]  # type: ignore[no-any-return]

    @classmethod
    def build_const_args(cls, spec_dict: Mapping[str, Any]) -> dict[str, Any]:
        """The constructor arguments, with a reference mapping built into a RefSpec."""
        out = dict(spec_dict)
        if isinstance(out.get("dtype"), Mapping) and not isinstance(out["dtype"], RefSpec):
            out["dtype"] = RefSpec.build_spec(out["dtype"])
        return out

    @staticmethod
    def check_valid_dtype(dtype: object) -> bool:
        """True when ``dtype`` is a dtype name or a reference mapping (else SpecError)."""
        if isinstance(dtype, Mapping):
            if "target_type" not in dtype:
                msg = "'dtype' must have the key 'target_type'"
                raise SpecError(msg)
            return True
        DtypeHelper.check_dtype(dtype)
        return True

    assertValidDtype = check_valid_dtype

    @staticmethod
    def is_ref(spec: object) -> bool:
        """Whether ``spec`` (a reference mapping, or a spec whose dtype is one) is a reference."""
        if not isinstance(spec, Mapping):
            return False
        if "target_type" in spec:
            return True
        dtype = spec.get("dtype")
        return isinstance(dtype, Mapping) and "target_type" in dtype

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form)."""
        return {"name": self.name, "dtype": _plain(self.dtype), "doc": self.doc}


class DtypeHelper:
    """hdmf's table of dtype names and its helpers (``hdmf.spec.spec.DtypeHelper``).

    Examples
    --------
    >>> DtypeHelper.is_allowed_dtype("float64", "float"), DtypeHelper.check_dtype("int")
    (True, 'int')
    """

    #: Each of hdmf's primary dtype names and its synonyms.
    primary_dtype_synonyms: ClassVar[dict[str, list[str]]] = {
        "float": ["float", "float32"],
        "double": ["double", "float64"],
        "short": ["int16", "short"],
        "int": ["int32", "int"],
        "long": ["int64", "long"],
        "utf": ["text", "utf", "utf8", "utf-8"],
        "ascii": ["ascii", "bytes"],
        "bool": ["bool"],
        "int8": ["int8"],
        "uint8": ["uint8"],
        "uint16": ["uint16"],
        "uint32": ["uint32", "uint"],
        "uint64": ["uint64"],
        "object": ["object"],
        "numeric": ["numeric"],
        "isodatetime": ["isodatetime", "datetime", "date"],
    }
    #: The primary dtype names hdmf recommends.
    recommended_primary_dtypes: ClassVar[list[str]] = list(primary_dtype_synonyms)
    #: Every dtype name of the schema language.
    valid_primary_dtypes: ClassVar[set[str]] = set(DTYPE_SYNONYMS)

    @staticmethod
    def simplify_cpd_type(cpd_type: Iterable[DtypeSpec]) -> list[str]:
        """The dtype of each compound field, ``'object'`` for references."""
        return [f.dtype.reftype if isinstance(f.dtype, RefSpec) else f.dtype for f in cpd_type]

    @staticmethod
    def check_dtype(dtype: object) -> str | RefSpec:
        """``dtype`` when it is a reference or a dtype name of the schema language.

        Raises
        ------
        SpecError
            Naming the dtype and the allowed names.
        """
        if isinstance(dtype, RefSpec) or (isinstance(dtype, str) and dtype in DTYPE_SYNONYMS):
            return dtype
        msg = (
            f"dtype {dtype!r} is not a valid primary data type. Allowed dtypes: "
            f"{', '.join(sorted(DTYPE_SYNONYMS))}"
        )
        raise SpecError(msg)

    @staticmethod
    def is_allowed_dtype(new: str, orig: str) -> bool:
        """Whether data of dtype ``new`` is acceptable where a spec says ``orig``.

        Raises
        ------
        SpecError
            When ``orig`` is not a dtype of the schema language (an unknown ``new`` is
            simply not allowed).
        """
        if orig not in DTYPE_SYNONYMS:
            msg = f"Unknown dtype {orig!r}; expected one of {', '.join(sorted(DTYPE_SYNONYMS))}"
            raise SpecError(msg)
        return new in DTYPE_SYNONYMS and is_allowed_dtype(new, orig)
