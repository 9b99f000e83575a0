"""The spec objects of the HDMF schema language.

The classes, their keyword arguments and their behaviour are hdmf 6.2's (``hdmf.spec``): a spec
is a ``dict`` holding its YAML form (``spec['name']``, ``json.dumps(spec)``), read through
properties (``spec.name``, ``spec.attributes``), and ``GroupSpec(doc=..., data_type_def=...,
datasets=[DatasetSpec(...)])`` builds the same spec here as there.

Differences from hdmf, all on the side of checking more:

- every value is checked in the constructor; a bad one raises
  :class:`~hdmf_arrow.errors.SpecError` (a ``ValueError``) naming the spec and the key;
- the properties give canonical values: tuples for lists (``spec.shape == (None, 2)`` when
  the dict holds ``[None, 2]``), the symbol of a quantity (``'*'`` for ``'zero_or_many'``), and
  the dims ``dim_0, dim_1, ...`` for a shape given without dims (and the other way round);
- a spec cannot be changed through its properties (``spec.doc = ...`` raises
  AttributeError); hdmf's methods that change a spec (``set_attribute``, ``set_dataset``,
  ``resolve_inc_spec``, ...) do, and check what they add first;
- specs compare by value as hdmf's do, but a group spec never equals a dataset spec, and
  equal specs hash equally.

:meth:`to_dict` gives the plain YAML/JSON form, and :func:`hdmf_arrow.spec.parse_group_spec` /
:func:`~hdmf_arrow.spec.parse_dataset_spec` read it back: ``parse_group_spec(spec.to_dict())
== spec``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from hdmf_arrow.errors import SpecError
from hdmf_arrow.spec._base import (
    _S,
    AttrDtype,
    DatasetDtype,
    DtypeHelper,
    DtypeSpec,
    RefSpec,
    _lists,
    _tup,
    check_dataset_dtype,
    check_simple_dtype,
)
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
    _label,
    _Problem,
    _put,
    _run,
    _tuple_of,
    check_bool,
    check_name,
    check_quantity,
    check_str,
    check_value,
)
from hdmf_arrow.spec._parts import AttributeSpec, LinkSpec, _put_shape, _Spec

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "DEF_QUANTITY",
    "JSON",
    "ONE_OR_MANY",
    "ZERO_OR_MANY",
    "ZERO_OR_ONE",
    "AttrDtype",
    "AttributeSpec",
    "DatasetDtype",
    "DatasetSpec",
    "Dims",
    "DtypeHelper",
    "DtypeSpec",
    "GroupSpec",
    "LinkSpec",
    "Quantity",
    "RefSpec",
    "Shape",
    "Value",
    "check_dataset_dtype",
    "check_simple_dtype",
]


# ---------------------------------------------------------------------------------------------
# groups and datasets


def _storage_fields(
    spec: _Storage,
    doc: object,
    name: object,
    default_name: object,
    quantity: object,
    linkable: object,
    data_type_def: object,
    data_type_inc: object,
) -> None:
    """Check and store what groups and datasets share (attributes are added separately)."""
    check_str(doc, "doc")
    spec["doc"] = doc
    name = check_name(name, "name")
    if name is not None:
        spec["name"] = name
    checked = check_quantity(quantity)
    if name is not None and checked not in (1, ZERO_OR_ONE):
        msg = (
            f"{checked!r} is not allowed for the named spec {name!r}: a name can occur at "
            "most once (use quantity 1 or '?', or drop the name)"
        )
        raise _Problem(msg, "quantity")
    check_bool(linkable, "linkable")
    for key, value in (("data_type_def", data_type_def), ("data_type_inc", data_type_inc)):
        dt = check_str(value, key, optional=True)
        if dt == "":
            msg = "a data type name must not be empty"
            raise _Problem(msg, key)
    if data_type_def is not None and data_type_def == data_type_inc:
        msg = f"a type cannot include itself ({data_type_def!r})"
        raise _Problem(msg, "data_type_inc")
    if name is None and data_type_def is None and data_type_inc is None:
        msg = "a spec without 'name' needs 'data_type_def' and/or 'data_type_inc'"
        raise _Problem(msg, "name")
    default = check_name(default_name, "default_name")
    if default is not None and name is not None:
        msg = "give 'name' or 'default_name', not both"
        raise _Problem(msg, "default_name")
    if default is not None:
        spec["default_name"] = default
    if checked != DEF_QUANTITY:
        spec["quantity"] = checked
    if linkable is False:
        spec["linkable"] = False
    if data_type_inc is not None:  # under the class's key names (a custom class may rename)
        spec[spec.inc_key()] = data_type_inc
    if data_type_def is not None:
        spec[spec.def_key()] = data_type_def


def _check_attributes(attributes: object) -> list[AttributeSpec]:
    checked: tuple[AttributeSpec, ...] = _tuple_of(attributes, AttributeSpec, "attributes")  # type: ignore[assignment]
    seen: set[str] = set()
    for i, attribute in enumerate(checked):
        if attribute.name in seen:
            msg = f"duplicate attribute {attribute.name!r}"
            raise _Problem(msg, f"attributes[{i}]")
        seen.add(attribute.name)
    return list(checked)


def _copy_if_parented(spec: _S) -> _S:
    """``spec``, or a copy of it when it is part of another spec already (as hdmf does)."""
    if isinstance(spec, _Spec) and spec._parent is not None:
        return type(spec).build_spec(spec)
    return spec


def _warn_deprecated(old: str, new: str) -> None:
    msg = f"{old} is deprecated (as in hdmf); use {new} instead"
    warnings.warn(msg, DeprecationWarning, stacklevel=3)


class _Storage(_Spec):
    """What DatasetSpec and GroupSpec share: names, quantity, data types and attributes.

    ``hdmf_arrow.spec.spec.BaseStorageSpec`` is this class.
    """

    __slots__ = ("_flag", "_inc", "_new", "_over")

    def _init_storage(self) -> None:
        self._init_parent()
        self._flag = False
        self._inc: _Storage | None = None
        self._new: dict[str, set[str]] = {}
        self._over: dict[str, set[str]] = {}

    def _start_tracking(self) -> None:
        """Remember which children are the spec's own (before any inheritance)."""
        self._new = {"attributes": {a.name for a in self.attributes}}
        self._over = {"attributes": set()}

    def _origin(self) -> str:
        return _label(type(self).__name__, self.get("data_type_def"), self.get("name"))

    # -- hdmf's key names (a subclass may use others, as NWB's specs once did) --

    @classmethod
    def def_key(cls) -> str:
        """The key of a type definition (``'data_type_def'``)."""
        return "data_type_def"

    @classmethod
    def inc_key(cls) -> str:
        """The key of an included type (``'data_type_inc'``)."""
        return "data_type_inc"

    @classmethod
    def type_key(cls) -> str:
        """The attribute that holds an instance's data type (``'data_type'``)."""
        return "data_type"

    @classmethod
    def id_key(cls) -> str:
        """The attribute that holds an instance's object id (``'object_id'``)."""
        return "object_id"

    # -- properties --

    @property
    def name(self) -> str | None:
        """The fixed name, or None."""
        return self.get("name")

    @property
    def doc(self) -> str:
        """What the spec describes."""
        return str(self["doc"])

    @property
    def default_name(self) -> str | None:
        """The name used when an instance is given none, or None."""
        return self.get("default_name")

    @property
    def quantity(self) -> Quantity:
        """How many instances: 1, '?', '*', '+' or a positive integer."""
        return self.get("quantity", DEF_QUANTITY)  # type: ignore[no-any-return]

    @property
    def linkable(self) -> bool:
        """Whether the object may be a link to one elsewhere."""
        return bool(self.get("linkable", True))

    @property
    def data_type_def(self) -> str | None:
        """The type this spec defines, or None."""
        return self.get(self.def_key())

    @property
    def data_type_inc(self) -> str | None:
        """The type this spec includes (extends), or None."""
        return self.get(self.inc_key())

    @property
    def data_type(self) -> str | None:
        """The type this spec defines, or else the type it includes."""
        return self.data_type_def or self.data_type_inc

    @property
    def attributes(self) -> tuple[AttributeSpec, ...]:
        """The attribute specs."""
        return tuple(self.get("attributes", ()))

    @property
    def required(self) -> bool:
        """Whether at least one instance must exist (quantity other than '?' and '*')."""
        return self.quantity not in (ZERO_OR_ONE, ZERO_OR_MANY)

    def is_many(self) -> bool:
        """Whether more than one instance may exist."""
        return self.quantity not in (1, ZERO_OR_ONE)

    @property
    def resolved(self) -> bool:
        """Whether the spec (and its parts) have their inherited parts merged in."""
        return self._flag

    @resolved.setter
    def resolved(self, value: bool) -> None:
        if not isinstance(value, bool):
            msg = f"{self._origin()}: 'resolved' must be True or False, found {value!r}"
            raise SpecError(msg)
        self._flag = value

    @property
    def inc_spec_resolved(self) -> bool:
        """Whether the included type's spec has been merged into this one."""
        return self._inc is not None or (self._flag and self.data_type_inc is not None)

    @property
    def data_type_inc_resolved(self) -> _Storage | None:
        """The spec merged in by :meth:`resolve_inc_spec`, or None."""
        return self._inc

    # -- attributes --

    def get_attribute(self, name: str) -> AttributeSpec | None:
        """The attribute spec called ``name``, or None."""
        return next((a for a in self.get("attributes", ()) if a.name == name), None)

    def set_attribute(self, spec: AttributeSpec) -> None:
        """Add an attribute spec, replacing the one of the same name (a copy is added when
        ``spec`` is part of another spec already)."""
        self._set_attribute(spec, own=True)

    def _set_attribute(self, spec: AttributeSpec, *, own: bool) -> AttributeSpec:
        if not isinstance(spec, AttributeSpec):
            msg = f"{self._origin()}: set_attribute expects an AttributeSpec, found {spec!r}"
            raise TypeError(msg)
        spec = _copy_if_parented(spec)
        attributes = self.setdefault("attributes", [])
        for i, attribute in enumerate(attributes):
            if attribute.name == spec.name:
                attributes[i] = spec
                break
        else:
            attributes.append(spec)
            if own:
                self._new.setdefault("attributes", set()).add(spec.name)
        spec._parent = self
        return spec

    def add_attribute(
        self,
        name: str,
        doc: str,
        dtype: AttrDtype,
        shape: Shape | None = None,
        dims: Dims | None = None,
        required: bool = True,
        parent: _Spec | None = None,
        value: Value | None = None,
        default_value: Value | None = None,
    ) -> AttributeSpec:
        """Build an attribute spec and add it (hdmf's deprecated form of set_attribute)."""
        _warn_deprecated("add_attribute", "set_attribute")
        spec = AttributeSpec(name, doc, dtype, shape, dims, required, value, default_value)
        self.set_attribute(spec)
        return spec

    def is_inherited_attribute(self, name: str) -> bool:
        """Whether the attribute ``name`` comes from the included type (after
        :meth:`resolve_inc_spec`).

        Raises
        ------
        SpecError
            When the spec has no such attribute.
        """
        self._need(self.get_attribute(name), "Attribute", name)
        return name not in self._new.get("attributes", set())

    def is_overridden_attribute(self, name: str) -> bool:
        """Whether the spec redefines the included type's attribute ``name``."""
        self._need(self.get_attribute(name), "Attribute", name)
        return name in self._over.get("attributes", set())

    def _need(self, found: object, what: str, name: str) -> None:
        if found is None:
            suffix = "" if what == "Attribute" else " in spec"
            msg = f"{what} {name!r} not found{suffix}"
            raise SpecError(msg)

    def is_inherited_spec(self, spec: _Spec) -> bool:
        """Whether ``spec`` (an attribute of this spec) comes from the included type."""
        mine = spec.parent is self and isinstance(spec, AttributeSpec)
        if mine and self.get_attribute(str(spec.get("name"))) is not None:
            return self.is_inherited_attribute(str(spec.get("name")))
        return False

    def is_overridden_spec(self, spec: _Spec) -> bool:
        """Whether ``spec`` (an attribute of this spec) redefines one of the included type."""
        mine = spec.parent is self and isinstance(spec, AttributeSpec)
        if mine and self.get_attribute(str(spec.get("name"))) is not None:
            return self.is_overridden_attribute(str(spec.get("name")))
        return False

    def resolve_inc_spec(self, inc_spec: _Storage, namespace: object = None) -> None:
        """Merge the spec of the included type into this one, in place (as hdmf does).

        Parameters
        ----------
        inc_spec
            The (resolved) spec of ``data_type_inc``.
        namespace
            The namespace the types come from (for subtype checks), or None.

        Raises
        ------
        TypeError
            When ``inc_spec`` is a spec of the other kind (group vs dataset).
        SpecError
            When this spec widens what it inherits (a dtype, a shape, a child's type); the spec
            is then unchanged.
        """
        from hdmf_arrow.spec._inherit import resolve_in_place

        resolve_in_place(self, inc_spec, namespace)

    @classmethod
    def get_data_type_spec(cls, data_type_def: str) -> AttributeSpec:
        """The spec of the ``data_type`` attribute (hdmf's deprecated helper)."""
        _warn_deprecated("get_data_type_spec", "the data_type_def property")
        return AttributeSpec(
            cls.type_key(), "the data type of this object", "text", value=data_type_def
        )

    @classmethod
    def get_namespace_spec(cls) -> AttributeSpec:
        """The spec of the ``namespace`` attribute (hdmf's deprecated helper)."""
        _warn_deprecated("get_namespace_spec", "the namespace catalog")
        return AttributeSpec(
            "namespace", "the namespace for the data type of this object", "text", required=False
        )

    @classmethod
    def build_const_args(cls, spec_dict: Mapping[str, Any]) -> dict[str, Any]:
        """The constructor arguments, with the attribute specs built."""
        out = dict(spec_dict)
        for alias, key in (
            ("neurodata_type_def", cls.def_key()),
            ("neurodata_type_inc", cls.inc_key()),
        ):
            if alias in out and alias != key:
                out.setdefault(key, out.pop(alias))
        for key, arg in ((cls.def_key(), "data_type_def"), (cls.inc_key(), "data_type_inc")):
            if key != arg and key in out:
                out[arg] = out.pop(key)
        if "attributes" in out:
            out["attributes"] = [AttributeSpec.build_spec(a) for a in out["attributes"]]
        return out

    def _head(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for key in ("name", "data_type_def", "data_type_inc", "default_name"):
            _put(out, key, getattr(self, key))
        return out

    def _tail(self, out: dict[str, JSON]) -> dict[str, JSON]:
        out["doc"] = self.doc
        _put(out, "quantity", self.quantity, DEF_QUANTITY)
        _put(out, "linkable", self.linkable, True)
        if self.attributes:
            out["attributes"] = [a.to_dict() for a in self.attributes]
        return out

    def _store_key(self, key: str, value: object) -> None:
        """Store a key of the YAML form with the class's own key names."""
        if key == "data_type_def":
            key = self.def_key()
        elif key == "data_type_inc":
            key = self.inc_key()
        if value is None:
            self.pop(key, None)
        else:
            self[key] = value


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

    __slots__ = ()
    _kind = "dataset"
    _fields = (
        "doc",
        "dtype",
        "name",
        "default_name",
        "shape",
        "dims",
        "attributes",
        "linkable",
        "quantity",
        "default_value",
        "value",
        "data_type_def",
        "data_type_inc",
    )
    _required_args = ("doc",)

    def __init__(
        self,
        doc: str,
        dtype: DatasetDtype = None,
        name: str | None = None,
        default_name: str | None = None,
        shape: Shape | None = None,
        dims: Dims | None = None,
        attributes: Sequence[AttributeSpec] = (),
        linkable: bool = True,
        quantity: Quantity = DEF_QUANTITY,
        default_value: Value | None = None,
        value: Value | None = None,
        data_type_def: str | None = None,
        data_type_inc: str | None = None,
    ) -> None:
        super().__init__()
        self._init_storage()

        def build() -> None:
            _storage_fields(
                self, doc, name, default_name, quantity, linkable, data_type_def, data_type_inc
            )
            checked = check_dataset_dtype(dtype)
            if checked is not None:
                self["dtype"] = list(checked) if isinstance(checked, tuple) else checked
            _put_shape(self, shape, dims)
            fixed = check_value(value, "value")
            default = check_value(default_value, "default_value")
            if fixed is not None and default is not None:
                msg = "cannot specify both 'value' and 'default_value'"
                raise _Problem(msg, "default_value")
            if default is not None:
                self["default_value"] = _lists(default)
            if fixed is not None:
                self["value"] = _lists(fixed)
            checked_attributes = _check_attributes(attributes)
            if checked_attributes:
                self["attributes"] = checked_attributes

        _run(_label("DatasetSpec", data_type_def, name, data_type_inc), build)
        self._adopt(self.get("attributes", ()))
        self._start_tracking()

    @property
    def dtype(self) -> DatasetDtype:
        """The dtype: a name, a :class:`RefSpec`, a tuple of :class:`DtypeSpec` (compound),
        or None (any)."""
        return _tup(self.get("dtype"))  # type: ignore[no-any-return]

    @property
    def shape(self) -> Shape | None:
        """The shape (a tuple; a tuple of tuples for alternatives), or None."""
        return _tup(self.get("shape"))  # type: ignore[no-any-return]

    @property
    def dims(self) -> Dims | None:
        """The dimension names, structured like the shape."""
        return _tup(self.get("dims"))  # type: ignore[no-any-return]

    @property
    def value(self) -> Value | None:
        """The constant value, or None."""
        return _tup(self.get("value"))  # type: ignore[no-any-return]

    @property
    def default_value(self) -> Value | None:
        """The default value, or None."""
        return _tup(self.get("default_value"))  # type: ignore[no-any-return]

    @classmethod
    def dtype_spec_cls(cls) -> type[DtypeSpec]:
        """The class of compound dtype fields (hdmf's hook for subclasses)."""
        return DtypeSpec

    @classmethod
    def build_const_args(cls, spec_dict: Mapping[str, Any]) -> dict[str, Any]:
        """The constructor arguments, with the dtype and attribute specs built."""
        out = super().build_const_args(spec_dict)
        dtype = out.get("dtype")
        if isinstance(dtype, Mapping) and not isinstance(dtype, RefSpec):
            out["dtype"] = RefSpec.build_spec(dtype)
        elif isinstance(dtype, (list, tuple)):
            out["dtype"] = [cls.dtype_spec_cls().build_spec(f) for f in dtype]
        return out

    def to_dict(self) -> dict[str, JSON]:
        """The spec as plain data (the YAML form), without default values."""
        out = self._head()
        _put(out, "dtype", self.dtype)
        _put(out, "dims", self.dims)
        _put(out, "shape", self.shape)
        _put(out, "default_value", self.default_value)
        _put(out, "value", self.value)
        return self._tail(out)


def _check_children(
    datasets: Sequence[DatasetSpec], groups: Sequence[GroupSpec], links: Sequence[LinkSpec]
) -> None:
    """Names are unique across a group's children; one unnamed child per type (per kind)."""
    names: dict[str, str] = {}
    unnamed: dict[str, str] = {}
    kinds: tuple[tuple[str, Sequence[DatasetSpec | GroupSpec | LinkSpec]], ...] = (
        ("datasets", datasets),
        ("groups", groups),
        ("links", links),
    )
    for key, children in kinds:
        for i, child in enumerate(children):
            where = f"{key}[{i}]"
            if child.name is not None:
                if child.name in names:
                    msg = f"duplicate name {child.name!r} (also {names[child.name]})"
                    raise _Problem(msg, where)
                names[child.name] = where
                continue
            dt = child.target_type if isinstance(child, LinkSpec) else child.data_type
            tag = f"{key == 'links'}:{dt}"
            if tag in unnamed:
                msg = (
                    f"a second unnamed spec of type {dt!r} (also {unnamed[tag]}); "
                    "give one of them a name"
                )
                raise _Problem(msg, where)
            unnamed[tag] = where


def _pick(found: list[Any]) -> Any:
    """hdmf's rule: the one spec, or the unnamed one among several, or the list of named ones."""
    if not found:
        return None
    unnamed = [s for s in found if s.name is None]
    if len(found) == 1 or unnamed:
        return unnamed[0] if unnamed else found[0]
    return found


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
    >>> spec.get_dataset("data").path
    'MyType/data'
    """

    __slots__ = ()
    _kind = "group"
    _fields = (
        "doc",
        "name",
        "default_name",
        "groups",
        "datasets",
        "attributes",
        "links",
        "linkable",
        "quantity",
        "data_type_def",
        "data_type_inc",
    )
    _required_args = ("doc",)

    def __init__(
        self,
        doc: str,
        name: str | None = None,
        default_name: str | None = None,
        groups: Sequence[GroupSpec] = (),
        datasets: Sequence[DatasetSpec] = (),
        attributes: Sequence[AttributeSpec] = (),
        links: Sequence[LinkSpec] = (),
        linkable: bool = True,
        quantity: Quantity = DEF_QUANTITY,
        data_type_def: str | None = None,
        data_type_inc: str | None = None,
    ) -> None:
        super().__init__()
        self._init_storage()

        def build() -> None:
            _storage_fields(
                self, doc, name, default_name, quantity, linkable, data_type_def, data_type_inc
            )
            checked_attributes = _check_attributes(attributes)
            if checked_attributes:
                self["attributes"] = checked_attributes
            kids: dict[str, list[Any]] = {
                "datasets": list(_tuple_of(datasets, DatasetSpec, "datasets")),
                "groups": list(_tuple_of(groups, GroupSpec, "groups")),
                "links": list(_tuple_of(links, LinkSpec, "links")),
            }
            _check_children(kids["datasets"], kids["groups"], kids["links"])
            for key in ("groups", "datasets", "links"):
                if kids[key]:
                    self[key] = kids[key]

        _run(_label("GroupSpec", data_type_def, name, data_type_inc), build)
        for key in ("attributes", "groups", "datasets", "links"):
            self._adopt(self.get(key, ()))
        self._start_tracking()

    def _start_tracking(self) -> None:
        super()._start_tracking()
        self._new.update(
            datasets={d.name for d in self.datasets if d.name is not None},
            groups={g.name for g in self.groups if g.name is not None},
            links={lk.name for lk in self.links if lk.name is not None},
            data_types={str(c.data_type) for c in typed_children(self)},
            target_types={lk.target_type for lk in self.links},
        )
        self._over.update(datasets=set(), groups=set(), links=set())

    @property
    def groups(self) -> tuple[GroupSpec, ...]:
        """The subgroup specs."""
        return tuple(self.get("groups", ()))

    @property
    def datasets(self) -> tuple[DatasetSpec, ...]:
        """The dataset specs."""
        return tuple(self.get("datasets", ()))

    @property
    def links(self) -> tuple[LinkSpec, ...]:
        """The link specs."""
        return tuple(self.get("links", ()))

    def get_data_type(
        self, data_type: str
    ) -> GroupSpec | DatasetSpec | list[GroupSpec | DatasetSpec] | None:
        """The child spec of a data type (exact match, not subtypes), as in hdmf.

        One spec if there is one (or one unnamed among several), the list of named specs if
        several all have names, else None.
        """
        return _pick([s for s in typed_children(self) if s.data_type == data_type])  # type: ignore[no-any-return]

    def get_target_type(self, target_type: str) -> LinkSpec | list[LinkSpec] | None:
        """The link spec(s) to a target type, with the rules of :meth:`get_data_type`."""
        return _pick([s for s in self.links if s.target_type == target_type])  # type: ignore[no-any-return]

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

    # -- adding children (hdmf's API; each checks the group's rules first) --

    def _add_child(self, key: str, spec: Any, cls: type, *, own: bool) -> Any:
        if not isinstance(spec, cls):
            msg = f"{self._origin()}: set_{key[:-1]} expects a {cls.__name__}, found {spec!r}"
            raise TypeError(msg)
        spec = _copy_if_parented(cast("_Spec", spec))
        kids = {k: list(self.get(k, ())) for k in ("datasets", "groups", "links")}
        kids[key].append(spec)
        _run(
            self._origin(), lambda: _check_children(kids["datasets"], kids["groups"], kids["links"])
        )
        self.setdefault(key, []).append(spec)
        spec._parent = self
        if own:
            if spec.name is not None:
                self._new.setdefault(key, set()).add(spec.name)
            kind = "target_types" if key == "links" else "data_types"
            dt = spec.target_type if key == "links" else spec.data_type
            self._new.setdefault(kind, set()).add(str(dt))
        return spec

    def set_dataset(self, spec: DatasetSpec) -> None:
        """Add a dataset spec (a copy when it is part of another spec already).

        Raises
        ------
        SpecError
            When its name is taken, or it is a second unnamed spec of its type.
        """
        self._add_child("datasets", spec, DatasetSpec, own=True)

    def set_group(self, spec: GroupSpec) -> None:
        """Add a subgroup spec (the rules of :meth:`set_dataset`)."""
        self._add_child("groups", spec, GroupSpec, own=True)

    def set_link(self, spec: LinkSpec) -> None:
        """Add a link spec (the rules of :meth:`set_dataset`)."""
        self._add_child("links", spec, LinkSpec, own=True)

    def add_dataset(self, doc: str, **kwargs: Any) -> DatasetSpec:
        """Build a dataset spec and add it (hdmf's deprecated form of set_dataset)."""
        _warn_deprecated("add_dataset", "set_dataset")
        spec = self.dataset_spec_cls()(doc, **kwargs)
        self.set_dataset(spec)
        return spec

    def add_group(self, doc: str, **kwargs: Any) -> GroupSpec:
        """Build a subgroup spec and add it (hdmf's deprecated form of set_group)."""
        _warn_deprecated("add_group", "set_group")
        spec = type(self)(doc, **kwargs)
        self.set_group(spec)
        return spec

    def add_link(
        self, doc: str, target_type: str | DatasetSpec | GroupSpec, **kwargs: Any
    ) -> LinkSpec:
        """Build a link spec and add it (hdmf's deprecated form of set_link)."""
        _warn_deprecated("add_link", "set_link")
        spec = self.link_spec_cls()(doc, target_type, **kwargs)
        self.set_link(spec)
        return spec

    @classmethod
    def dataset_spec_cls(cls) -> type[DatasetSpec]:
        """The class of dataset specs (hdmf's hook for subclasses)."""
        return DatasetSpec

    @classmethod
    def link_spec_cls(cls) -> type[LinkSpec]:
        """The class of link specs (hdmf's hook for subclasses)."""
        return LinkSpec

    # -- what came from the included type (after resolve_inc_spec) --

    def _named(self, key: str, name: str, what: str) -> None:
        found = next((c for c in self.get(key, ()) if c.name == name), None)
        self._need(found, what, name)

    def _inherited(self, key: str, name: str, what: str) -> bool:
        self._named(key, name, what)
        return name not in self._new.get(key, set())

    def _overridden(self, key: str, name: str, what: str) -> bool:
        self._named(key, name, what)
        return name in self._over.get(key, set())

    def is_inherited_dataset(self, name: str) -> bool:
        """Whether the dataset ``name`` comes from the included type."""
        return self._inherited("datasets", name, "Dataset")

    def is_overridden_dataset(self, name: str) -> bool:
        """Whether the spec redefines the included type's dataset ``name``."""
        return self._overridden("datasets", name, "Dataset")

    def is_inherited_group(self, name: str) -> bool:
        """Whether the subgroup ``name`` comes from the included type."""
        return self._inherited("groups", name, "Group")

    def is_overridden_group(self, name: str) -> bool:
        """Whether the spec redefines the included type's subgroup ``name``."""
        return self._overridden("groups", name, "Group")

    def is_inherited_link(self, name: str) -> bool:
        """Whether the link ``name`` comes from the included type."""
        return self._inherited("links", name, "Link")

    def is_overridden_link(self, name: str) -> bool:
        """Whether the spec redefines the included type's link ``name``."""
        return self._overridden("links", name, "Link")

    def is_inherited_type(self, spec: str | _Storage) -> bool:
        """Whether the unnamed child of a data type comes from the included type."""
        if isinstance(spec, _Storage):
            if spec.data_type_def is None:
                msg = f"{spec._origin()} defines no type; cannot tell whether it was inherited"
                raise SpecError(msg)
            spec = spec.data_type_def
        return spec not in self._new.get("data_types", set())

    is_overridden_type = is_inherited_type

    def is_inherited_target_type(self, spec: str | LinkSpec) -> bool:
        """Whether the unnamed link to a target type comes from the included type."""
        target = spec.target_type if isinstance(spec, LinkSpec) else spec
        return target not in self._new.get("target_types", set())

    is_overridden_target_type = is_inherited_target_type

    def is_inherited_spec(self, spec: _Spec) -> bool:
        """Whether ``spec`` (a child or attribute, at any depth) comes from the included type."""
        from hdmf_arrow.spec._inherit import is_inherited

        return is_inherited(self, spec)

    def is_overridden_spec(self, spec: _Spec) -> bool:
        """Whether ``spec`` (a child or attribute, at any depth) redefines the included type's."""
        from hdmf_arrow.spec._inherit import is_overridden

        return is_overridden(self, spec)

    @classmethod
    def build_const_args(cls, spec_dict: Mapping[str, Any]) -> dict[str, Any]:
        """The constructor arguments, with every nested spec built."""
        out = super().build_const_args(spec_dict)
        builders: dict[str, Callable[[Any], Any]] = {
            "datasets": cls.dataset_spec_cls().build_spec,
            "groups": cls.build_spec,
            "links": cls.link_spec_cls().build_spec,
        }
        for key, build in builders.items():
            if key in out:
                out[key] = [build(c) for c in out[key]]
        return out

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


def replace_spec(spec: _S, **changes: Any) -> _S:
    """A new spec like ``spec`` with some constructor arguments changed (checked again).

    Examples
    --------
    >>> replace_spec(DatasetSpec(doc="x", name="data", dtype="int"), dtype="int64").dtype
    'int64'
    """
    kwargs = spec._kwargs()
    kwargs.update(changes)
    return construct_spec(type(spec), kwargs)  # AttributeSpec: a default makes it not required


def construct_spec(cls: type[_S], kwargs: dict[str, Any]) -> _S:
    """``cls(**kwargs)`` for our constructor arguments, also for a subclass with its own key
    names (hdmf's custom spec classes, pynwb's ``NWBGroupSpec``): such a subclass's
    ``__init__`` takes ``data_type_def``/``data_type_inc`` under its ``def_key()`` and
    ``inc_key()`` names, as in hdmf.

    >>> construct_spec(GroupSpec, {"doc": "x", "data_type_def": "A"}).data_type_def
    'A'
    """
    if cls in (GroupSpec, DatasetSpec) or not issubclass(cls, _Storage):
        return cls(**kwargs)
    renamed = dict(kwargs)
    for ours, theirs in (("data_type_def", cls.def_key()), ("data_type_inc", cls.inc_key())):
        if ours != theirs and ours in renamed:
            renamed[theirs] = renamed.pop(ours)
    return cls(**renamed)


# ---------------------------------------------------------------------------------------------
