"""The specs that sit inside a group or dataset spec's lists: :class:`AttributeSpec` and
:class:`LinkSpec`, and what every such part has (a parent and a path)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hdmf_arrow.spec._base import RefSpec, _lists, _SpecBase, _tup, check_simple_dtype
from hdmf_arrow.spec._checks import (
    DEF_QUANTITY,
    JSON,
    ZERO_OR_MANY,
    ZERO_OR_ONE,
    Dims,
    Quantity,
    Shape,
    Value,
    _label,
    _plain,
    _Problem,
    _put,
    _run,
    check_bool,
    check_name,
    check_quantity,
    check_shape_dims,
    check_str,
    check_value,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from hdmf_arrow.spec._base import AttrDtype
    from hdmf_arrow.spec.model import DatasetSpec, GroupSpec

__all__ = ["AttributeSpec", "LinkSpec"]


class _Spec(_SpecBase):
    """A spec inside a group or dataset spec: it knows its parent and its path."""

    __slots__ = ("_parent",)

    def _init_parent(self) -> None:
        self._parent: _Spec | None = None

    @property
    def parent(self) -> _Spec | None:
        """The spec this one is part of (set once, when it is added), or None."""
        return self._parent

    @parent.setter
    def parent(self, spec: _Spec) -> None:
        if self._parent is not None:
            msg = (
                f"Cannot re-assign parent of {self._origin()}: it is already part of "
                f"{self._parent._origin()}"
            )
            raise AttributeError(msg)
        self._parent = spec

    def _origin(self) -> str:
        return type(self).__name__

    def _adopt(self, children: Iterable[_Spec]) -> None:
        for child in children:
            if child._parent is None:
                child._parent = self

    @property
    def path(self) -> str:
        """The names (or data types) from the outermost parent down to this spec."""
        parts: list[str] = []
        spec: _Spec | None = self
        while spec is not None:
            name = spec.get("name")
            if name is None:
                name = getattr(spec, "data_type_def", None) or getattr(spec, "data_type_inc", None)
            parts.append(str(name))
            spec = spec._parent
        return "/".join(reversed(parts))


def _put_shape(out: dict[str, Any], shape: object, dims: object) -> None:
    new_shape, new_dims = check_shape_dims(shape, dims)
    if new_shape is not None:
        out["shape"] = _lists(new_shape)
    if new_dims is not None:
        out["dims"] = _lists(new_dims)


class AttributeSpec(_Spec):
    """An attribute: ``AttributeSpec(name, doc, dtype, shape=None, dims=None, required=True,
    value=None, default_value=None)``.

    A ``value`` makes the attribute constant (and ``required`` is then True); a
    ``default_value`` makes it optional (``required`` False).

    Examples
    --------
    >>> a = AttributeSpec("colnames", "column names", "text", shape=[None])
    >>> a.dims, a.required
    (('dim_0',), True)
    >>> a["shape"]
    [None]
    """

    __slots__ = ()
    _kind = "attribute"
    _fields = ("name", "doc", "dtype", "shape", "dims", "required", "value", "default_value")
    _required_args = ("name", "doc", "dtype")

    def __init__(
        self,
        name: str,
        doc: str,
        dtype: AttrDtype,
        shape: Shape | None = None,
        dims: Dims | None = None,
        required: bool = True,
        value: Value | None = None,
        default_value: Value | None = None,
        parent: _Spec | None = None,
    ) -> None:
        super().__init__()
        self._init_parent()

        def build() -> None:
            check_str(name, "name")
            check_str(doc, "doc")
            self["name"] = name
            self["doc"] = doc
            self["dtype"] = check_simple_dtype(dtype)
            _put_shape(self, shape, dims)
            check_bool(required, "required")
            fixed = check_value(value, "value")
            default = check_value(default_value, "default_value")
            if fixed is not None and default is not None:
                msg = "cannot specify both 'value' and 'default_value'"
                raise _Problem(msg, "default_value")
            if fixed is not None:
                self["value"] = _lists(fixed)
            elif default is not None:
                self["default_value"] = _lists(default)
                self["required"] = False
            elif not required:
                self["required"] = False

        _run(_label("AttributeSpec", name), build)
        if parent is not None:
            self.parent = parent

    def _origin(self) -> str:
        return _label("AttributeSpec", self.get("name"))

    @property
    def name(self) -> str:
        """The attribute's name."""
        return str(self["name"])

    @property
    def doc(self) -> str:
        """What the attribute holds."""
        return str(self["doc"])

    @property
    def dtype(self) -> AttrDtype:
        """The dtype: a dtype name or a :class:`RefSpec`."""
        return self["dtype"]  # type: ignore[no-any-return]

    @property
    def shape(self) -> Shape | None:
        """The shape (a tuple; a tuple of tuples for alternatives), or None for a scalar."""
        return _tup(self.get("shape"))  # type: ignore[no-any-return]

    @property
    def dims(self) -> Dims | None:
        """The dimension names, structured like the shape."""
        return _tup(self.get("dims"))  # type: ignore[no-any-return]

    @property
    def required(self) -> bool:
        """Whether the attribute must be there."""
        return bool(self.get("required", True))

    @property
    def value(self) -> Value | None:
        """The constant value, or None."""
        return _tup(self.get("value"))  # type: ignore[no-any-return]

    @property
    def default_value(self) -> Value | None:
        """The default value, or None."""
        return _tup(self.get("default_value"))  # type: ignore[no-any-return]

    @classmethod
    def build_const_args(cls, spec_dict: Mapping[str, Any]) -> dict[str, Any]:
        """The constructor arguments, with a reference mapping built into a RefSpec."""
        out = dict(spec_dict)
        if isinstance(out.get("dtype"), Mapping) and not isinstance(out["dtype"], RefSpec):
            out["dtype"] = RefSpec.build_spec(out["dtype"])
        return out

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


class LinkSpec(_Spec):
    """A link: ``LinkSpec(doc, target_type, quantity=1, name=None)``.

    ``target_type`` may also be a GroupSpec or DatasetSpec that defines a type.

    Examples
    --------
    >>> LinkSpec("the device", "Device", name="device").to_dict()
    {'name': 'device', 'target_type': 'Device', 'doc': 'the device'}
    """

    __slots__ = ()
    _kind = "link"
    _fields = ("doc", "target_type", "quantity", "name")
    _required_args = ("doc", "target_type")

    def __init__(
        self,
        doc: str,
        target_type: str | DatasetSpec | GroupSpec,
        quantity: Quantity = DEF_QUANTITY,
        name: str | None = None,
    ) -> None:
        super().__init__()
        self._init_parent()
        target_name = target_type.get("name") if isinstance(target_type, Mapping) else None

        def build() -> None:
            target = target_type
            if isinstance(target, _Spec) and hasattr(type(target), "data_type_def"):
                if target.data_type_def is None:
                    msg = "a spec given as target_type must define a type"
                    raise _Problem(msg, "target_type")
                target = target.data_type_def
            if not check_str(target, "target_type"):
                msg = "the target type must not be empty"
                raise _Problem(msg, "target_type")
            check_str(doc, "doc")
            self["doc"] = doc
            checked_name = check_name(name, "name")
            if checked_name is not None:
                self["name"] = checked_name
            self["target_type"] = target
            checked = check_quantity(quantity)
            if checked_name is not None and checked not in (1, ZERO_OR_ONE):
                msg = (
                    f"{checked!r} is not allowed for the named spec {checked_name!r}: a name can "
                    "occur at most once (use quantity 1 or '?', or drop the name)"
                )
                raise _Problem(msg, "quantity")
            if checked != DEF_QUANTITY:
                self["quantity"] = checked

        _run(
            _label("LinkSpec", name, target_type if isinstance(target_type, str) else target_name),
            build,
        )

    def _origin(self) -> str:
        return _label("LinkSpec", self.get("name"), self.get("target_type"))

    @property
    def name(self) -> str | None:
        """The fixed name, or None."""
        return self.get("name")

    @property
    def doc(self) -> str:
        """What the link is for."""
        return str(self["doc"])

    @property
    def target_type(self) -> str:
        """The data type of the link's target."""
        return str(self["target_type"])

    @property
    def data_type_inc(self) -> str:
        """The target type (hdmf's alias)."""
        return self.target_type

    @property
    def quantity(self) -> Quantity:
        """How many such links: 1, '?', '*', '+' or a positive integer."""
        return self.get("quantity", DEF_QUANTITY)  # type: ignore[no-any-return]

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
        out["target_type"] = self.target_type
        out["doc"] = self.doc
        _put(out, "quantity", self.quantity, DEF_QUANTITY)
        return out
