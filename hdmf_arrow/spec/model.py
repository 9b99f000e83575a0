"""The spec objects of the HDMF schema language, as frozen dataclasses.

The classes and their keyword arguments are hdmf 6.2's (``hdmf.spec``): ``GroupSpec(doc=...,
data_type_def=..., datasets=[DatasetSpec(...)])`` builds the same spec here as there. Unlike
hdmf's dict subclasses they are immutable and compare by value: lists given to a constructor
are stored as tuples, synonyms of a quantity (``'zero_or_many'``) as the symbol (``'*'``), and a
``shape`` given without ``dims`` gets the dims ``dim_0, dim_1, ...`` (and the other way round).

Every value is checked in the constructor; a bad one raises :class:`~hdmf_arrow.errors.SpecError`
naming the spec and the key. :meth:`to_dict` gives the plain YAML/JSON form, and
:func:`hdmf_arrow.spec.parse_group_spec` / :func:`~hdmf_arrow.spec.parse_dataset_spec` read it
back: ``parse_group_spec(spec.to_dict()) == spec``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias, Union, cast

from hdmf_arrow.spec._checks import (
    DEF_QUANTITY,
    JSON,
    ONE_OR_MANY,
    ZERO_OR_MANY,
    ZERO_OR_ONE,
    Dims,
    Quantity,
    Shape,
    Value,
    _check,
    _label,
    _plain,
    _Problem,
    _put,
    _setattr,
    _tuple_of,
    check_bool,
    check_name,
    check_quantity,
    check_shape_dims,
    check_str,
    check_value,
)
from hdmf_arrow.spec.dtypes import DTYPE_SYNONYMS

__all__ = [
    "AttributeSpec",
    "DatasetSpec",
    "DtypeSpec",
    "GroupSpec",
    "LinkSpec",
    "RefSpec",
    "ZERO_OR_MANY",
    "ONE_OR_MANY",
    "ZERO_OR_ONE",
    "DEF_QUANTITY",
    "JSON",
    "Dims",
    "Quantity",
    "Shape",
    "Value",
]

#: The dtype of an attribute: a dtype name of the schema language or a reference.
AttrDtype: TypeAlias = Union[str, "RefSpec"]
#: The dtype of a dataset: also a compound type (a list of fields), or None for any dtype.
DatasetDtype: TypeAlias = Union[str, "RefSpec", Sequence["DtypeSpec"], None]


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


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RefSpec:
    """A reference dtype: ``RefSpec(target_type='DynamicTable', reftype='object')``.

    Examples
    --------
    >>> RefSpec("VectorData", "object").to_dict()
    {'target_type': 'VectorData', 'reftype': 'object'}
    """

    target_type: str
    reftype: str = "object"

    def __post_init__(self) -> None:
        _check(self, _label("RefSpec", self.target_type), RefSpec._fix)

    def _fix(self) -> None:
        if not check_str(self.target_type, "target_type"):
            msg = "the target type must not be empty"
            raise _Problem(msg, "target_type")
        if self.reftype != "object":
            hint = " (hdmf 6 dropped region references)" if self.reftype == "region" else ""
            msg = f"expected 'object', found {self.reftype!r}{hint}"
            raise _Problem(msg, "reftype")

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form)."""
        return {"target_type": self.target_type, "reftype": self.reftype}


@dataclass(frozen=True, slots=True)
class DtypeSpec:
    """One field of a compound dtype: ``DtypeSpec(name, doc, dtype)``.

    Examples
    --------
    >>> DtypeSpec("key", "the user term", "text").to_dict()
    {'name': 'key', 'dtype': 'text', 'doc': 'the user term'}
    """

    name: str
    doc: str
    dtype: AttrDtype

    def __post_init__(self) -> None:
        _check(self, _label("DtypeSpec", self.name), DtypeSpec._fix)

    def _fix(self) -> None:
        check_str(self.name, "name")
        check_str(self.doc, "doc")
        check_simple_dtype(self.dtype)

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form)."""
        return {"name": self.name, "dtype": _plain(self.dtype), "doc": self.doc}


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """An attribute: ``AttributeSpec(name, doc, dtype, shape=None, dims=None, required=True,
    value=None, default_value=None)``.

    A ``value`` makes the attribute constant (and ``required`` is then True); a
    ``default_value`` makes it optional (``required`` False).

    Examples
    --------
    >>> a = AttributeSpec("colnames", "column names", "text", shape=[None])
    >>> a.dims, a.required
    (('dim_0',), True)
    """

    name: str
    doc: str
    dtype: AttrDtype
    shape: Shape | None = None
    dims: Dims | None = None
    required: bool = True
    value: Value | None = None
    default_value: Value | None = None

    def __post_init__(self) -> None:
        _check(self, _label("AttributeSpec", self.name), AttributeSpec._fix)

    def _fix(self) -> None:
        check_str(self.name, "name")
        check_str(self.doc, "doc")
        check_simple_dtype(self.dtype)
        shape, dims = check_shape_dims(self.shape, self.dims)
        _setattr(self, "shape", shape)
        _setattr(self, "dims", dims)
        check_bool(self.required, "required")
        _setattr(self, "value", check_value(self.value, "value"))
        _setattr(self, "default_value", check_value(self.default_value, "default_value"))
        if self.value is not None and self.default_value is not None:
            msg = "cannot specify both 'value' and 'default_value'"
            raise _Problem(msg, "default_value")
        if self.value is not None:
            _setattr(self, "required", True)
        elif self.default_value is not None:
            _setattr(self, "required", False)

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form)."""
        out: dict[str, JSON] = {"name": self.name, "dtype": _plain(self.dtype)}
        _put(out, "dims", self.dims)
        _put(out, "shape", self.shape)
        _put(out, "default_value", self.default_value)
        _put(out, "value", self.value)
        out["doc"] = self.doc
        if not self.required and self.default_value is None:
            out["required"] = False
        return out


def _check_storage(spec: DatasetSpec | GroupSpec | LinkSpec) -> None:
    """What groups, datasets and links share: doc, name, quantity and their combination."""
    check_str(spec.doc, "doc")
    _setattr(spec, "name", check_name(spec.name, "name"))
    quantity = check_quantity(spec.quantity)
    _setattr(spec, "quantity", quantity)
    if spec.name is not None and quantity not in (1, ZERO_OR_ONE):
        msg = (
            f"{quantity!r} is not allowed for the named spec {spec.name!r}: a name can occur at "
            "most once (use quantity 1 or '?', or drop the name)"
        )
        raise _Problem(msg, "quantity")
    if isinstance(spec, LinkSpec):
        return
    check_bool(spec.linkable, "linkable")
    for key in ("data_type_def", "data_type_inc"):
        dt = check_str(getattr(spec, key), key, optional=True)
        if dt == "":
            msg = "a data type name must not be empty"
            raise _Problem(msg, key)
    if spec.data_type_def is not None and spec.data_type_def == spec.data_type_inc:
        msg = f"a type cannot include itself ({spec.data_type_def!r})"
        raise _Problem(msg, "data_type_inc")
    if spec.name is None and spec.data_type_def is None and spec.data_type_inc is None:
        msg = "a spec without 'name' needs 'data_type_def' and/or 'data_type_inc'"
        raise _Problem(msg, "name")
    default_name = check_name(spec.default_name, "default_name")
    if default_name is not None and spec.name is not None:
        msg = "give 'name' or 'default_name', not both"
        raise _Problem(msg, "default_name")
    attributes = cast(
        "tuple[AttributeSpec, ...]", _tuple_of(spec.attributes, AttributeSpec, "attributes")
    )
    seen: set[str] = set()
    for i, attribute in enumerate(attributes):
        if attribute.name in seen:
            msg = f"duplicate attribute {attribute.name!r}"
            raise _Problem(msg, f"attributes[{i}]")
        seen.add(attribute.name)
    _setattr(spec, "attributes", attributes)


class _Storage:
    """Properties shared by DatasetSpec and GroupSpec (data_type, required, is_many)."""

    __slots__ = ()
    name: str | None
    quantity: Quantity
    data_type_def: str | None
    data_type_inc: str | None
    attributes: Sequence[AttributeSpec]

    @property
    def data_type(self) -> str | None:
        """The type this spec defines, or else the type it includes."""
        return self.data_type_def or self.data_type_inc

    @property
    def required(self) -> bool:
        """Whether at least one instance must exist (quantity other than '?' and '*')."""
        return self.quantity not in (ZERO_OR_ONE, ZERO_OR_MANY)

    def is_many(self) -> bool:
        """Whether more than one instance may exist."""
        return self.quantity not in (1, ZERO_OR_ONE)

    def get_attribute(self, name: str) -> AttributeSpec | None:
        """The attribute spec called ``name``, or None."""
        return next((a for a in self.attributes if a.name == name), None)

    def _head(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for key in ("name", "data_type_def", "data_type_inc", "default_name"):
            _put(out, key, getattr(self, key))
        return out

    def _tail(self, out: dict[str, JSON]) -> dict[str, JSON]:
        out["doc"] = getattr(self, "doc")  # noqa: B009
        _put(out, "quantity", self.quantity, DEF_QUANTITY)
        _put(out, "linkable", getattr(self, "linkable"), True)  # noqa: B009
        if self.attributes:
            out["attributes"] = [a.to_dict() for a in self.attributes]
        return out


@dataclass(frozen=True, slots=True)
class DatasetSpec(_Storage):
    """A dataset: ``DatasetSpec(doc, dtype=None, name=None, default_name=None, shape=None,
    dims=None, attributes=[], linkable=True, quantity=1, default_value=None, value=None,
    data_type_def=None, data_type_inc=None)``.

    Examples
    --------
    >>> d = DatasetSpec(doc="An example dataset", name="data", dtype="float")
    >>> d.to_dict()
    {'name': 'data', 'dtype': 'float', 'doc': 'An example dataset'}
    >>> DatasetSpec(doc="columns", data_type_inc="VectorData", quantity="*").required
    False
    """

    doc: str
    dtype: DatasetDtype = None
    name: str | None = None
    default_name: str | None = None
    shape: Shape | None = None
    dims: Dims | None = None
    attributes: Sequence[AttributeSpec] = ()
    linkable: bool = True
    quantity: Quantity = DEF_QUANTITY
    default_value: Value | None = None
    value: Value | None = None
    data_type_def: str | None = None
    data_type_inc: str | None = None

    def __post_init__(self) -> None:
        origin = _label("DatasetSpec", self.data_type_def, self.name, self.data_type_inc)
        _check(self, origin, DatasetSpec._fix)

    def _fix(self) -> None:
        _check_storage(self)
        _setattr(self, "dtype", check_dataset_dtype(self.dtype))
        shape, dims = check_shape_dims(self.shape, self.dims)
        _setattr(self, "shape", shape)
        _setattr(self, "dims", dims)
        _setattr(self, "value", check_value(self.value, "value"))
        _setattr(self, "default_value", check_value(self.default_value, "default_value"))
        if self.value is not None and self.default_value is not None:
            msg = "cannot specify both 'value' and 'default_value'"
            raise _Problem(msg, "default_value")

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form), without default values."""
        out = self._head()
        _put(out, "dtype", self.dtype)
        _put(out, "dims", self.dims)
        _put(out, "shape", self.shape)
        _put(out, "default_value", self.default_value)
        _put(out, "value", self.value)
        return self._tail(out)


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """A link: ``LinkSpec(doc, target_type, quantity=1, name=None)``.

    ``target_type`` may also be a GroupSpec or DatasetSpec that defines a type.

    Examples
    --------
    >>> LinkSpec("the device", "Device", name="device").to_dict()
    {'name': 'device', 'target_type': 'Device', 'doc': 'the device'}
    """

    doc: str
    target_type: str | DatasetSpec | GroupSpec
    quantity: Quantity = DEF_QUANTITY
    name: str | None = None

    def __post_init__(self) -> None:
        _check(self, _label("LinkSpec", self.name, self.target_type), LinkSpec._fix)

    def _fix(self) -> None:
        target = self.target_type
        if isinstance(target, (GroupSpec, DatasetSpec)):
            if target.data_type_def is None:
                msg = "a spec given as target_type must define a type"
                raise _Problem(msg, "target_type")
            target = target.data_type_def
        if not check_str(target, "target_type"):
            msg = "the target type must not be empty"
            raise _Problem(msg, "target_type")
        _setattr(self, "target_type", target)
        _check_storage(self)

    @property
    def data_type_inc(self) -> str:
        """The target type (hdmf's alias)."""
        return str(self.target_type)

    @property
    def required(self) -> bool:
        """Whether the link must exist (quantity other than '?' and '*')."""
        return self.quantity not in (ZERO_OR_ONE, ZERO_OR_MANY)

    def is_many(self) -> bool:
        """Whether more than one such link may exist."""
        return self.quantity not in (1, ZERO_OR_ONE)

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form)."""
        out: dict[str, JSON] = {}
        _put(out, "name", self.name)
        out["target_type"] = self.target_type  # type: ignore[assignment]
        out["doc"] = self.doc
        _put(out, "quantity", self.quantity, DEF_QUANTITY)
        return out


@dataclass(frozen=True, slots=True)
class GroupSpec(_Storage):
    """A group: ``GroupSpec(doc, name=None, default_name=None, groups=[], datasets=[],
    attributes=[], links=[], linkable=True, quantity=1, data_type_def=None,
    data_type_inc=None)``.

    Examples
    --------
    >>> spec = GroupSpec(
    ...     doc="A custom data type",
    ...     data_type_def="MyType",
    ...     datasets=[DatasetSpec(doc="An example dataset", name="data", dtype="float")],
    ... )
    >>> spec.get_dataset("data").dtype
    'float'
    >>> spec.to_dict()["datasets"]
    [{'name': 'data', 'dtype': 'float', 'doc': 'An example dataset'}]
    """

    doc: str
    name: str | None = None
    default_name: str | None = None
    groups: Sequence[GroupSpec] = ()
    datasets: Sequence[DatasetSpec] = ()
    attributes: Sequence[AttributeSpec] = ()
    links: Sequence[LinkSpec] = ()
    linkable: bool = True
    quantity: Quantity = DEF_QUANTITY
    data_type_def: str | None = None
    data_type_inc: str | None = None

    def __post_init__(self) -> None:
        origin = _label("GroupSpec", self.data_type_def, self.name, self.data_type_inc)
        _check(self, origin, GroupSpec._fix)

    def _fix(self) -> None:
        _check_storage(self)
        for key, cls in (("datasets", DatasetSpec), ("groups", GroupSpec), ("links", LinkSpec)):
            _setattr(self, key, _tuple_of(getattr(self, key), cls, key))
        names: dict[str, str] = {}
        unnamed: dict[str, str] = {}
        for key in ("datasets", "groups", "links"):
            for i, child in enumerate(getattr(self, key)):
                where = f"{key}[{i}]"
                if child.name is not None:
                    if child.name in names:
                        msg = f"duplicate name {child.name!r} (also {names[child.name]})"
                        raise _Problem(msg, where)
                    names[child.name] = where
                    continue
                dt = child.target_type if key == "links" else child.data_type
                tag = f"{key == 'links'}:{dt}"
                if tag in unnamed:
                    msg = (
                        f"a second unnamed spec of type {dt!r} (also {unnamed[tag]}); "
                        "give one of them a name"
                    )
                    raise _Problem(msg, where)
                unnamed[tag] = where

    def get_data_type(
        self, data_type: str
    ) -> GroupSpec | DatasetSpec | list[GroupSpec | DatasetSpec] | None:
        """The child spec of a data type (exact match, not subtypes), as in hdmf.

        One spec if there is one (or one unnamed among several), the list of named specs if
        several all have names, else None.
        """
        found = [s for s in typed_children(self) if s.data_type == data_type]
        if not found:
            return None
        unnamed = [s for s in found if s.name is None]
        if len(found) == 1 or unnamed:
            return unnamed[0] if unnamed else found[0]
        return found

    def get_target_type(self, target_type: str) -> LinkSpec | list[LinkSpec] | None:
        """The link spec(s) to a target type, with the rules of :meth:`get_data_type`."""
        found = [s for s in self.links if s.target_type == target_type]
        if not found:
            return None
        unnamed = [s for s in found if s.name is None]
        if len(found) == 1 or unnamed:
            return unnamed[0] if unnamed else found[0]
        return found

    def get_dataset(self, name: str) -> DatasetSpec | LinkSpec | None:
        """The dataset spec called ``name`` (or, as in hdmf, the link of that name), or None."""
        found = next((d for d in self.datasets if d.name == name), None)
        return found if found is not None else self.get_link(name)

    def get_group(self, name: str) -> GroupSpec | LinkSpec | None:
        """The subgroup spec called ``name`` (or, as in hdmf, the link of that name), or None."""
        found = next((g for g in self.groups if g.name == name), None)
        return found if found is not None else self.get_link(name)

    def get_link(self, name: str) -> LinkSpec | None:
        """The link spec called ``name``, or None."""
        return next((lk for lk in self.links if lk.name == name), None)

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form), without default values."""
        out = self._tail(self._head())
        for key in ("datasets", "groups", "links"):
            children = getattr(self, key)
            if children:
                out[key] = [c.to_dict() for c in children]
        return out


def typed_children(spec: GroupSpec | DatasetSpec) -> list[GroupSpec | DatasetSpec]:
    """The datasets and then the groups of a group spec (nothing for a dataset spec)."""
    if isinstance(spec, DatasetSpec):
        return []
    return [*spec.datasets, *spec.groups]
