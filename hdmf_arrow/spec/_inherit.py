"""hdmf's in-place inheritance API: ``spec.resolve_inc_spec(inc_spec, namespace)`` and the
``is_inherited_*`` / ``is_overridden_*`` questions it lets a spec answer.

The catalog does not use this: it resolves every type once, building new specs
(:mod:`hdmf_arrow.spec.resolve`). This module gives code written against hdmf the same
results on a spec it resolves by hand. The merge is first tried with the catalog's rules (which
raise without changing anything), so a spec that cannot include ``inc_spec`` is left unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hdmf_arrow.spec._base import _lists
from hdmf_arrow.spec.load import Location
from hdmf_arrow.spec.model import (
    AttributeSpec,
    DatasetSpec,
    GroupSpec,
    LinkSpec,
    _Storage,
)
from hdmf_arrow.spec.resolve import Resolver, _merge_shape, _values

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hdmf_arrow.spec._parts import _Spec

__all__ = ["is_inherited", "is_overridden", "resolve_in_place"]


def _parents(namespace: object) -> Mapping[str, str | None]:
    """Every type of ``namespace`` -> the type it includes (nothing without a namespace)."""
    registered = getattr(namespace, "get_registered_types", None)
    hierarchy = getattr(namespace, "get_hierarchy", None)
    if registered is None or hierarchy is None:
        return {}
    out: dict[str, str | None] = {}
    for name in registered():
        chain = hierarchy(name)
        out[name] = chain[1] if len(chain) > 1 else None
    return out


def resolve_in_place(spec: _Storage, inc: _Storage, namespace: object) -> None:
    """Merge ``inc`` into ``spec`` (see :meth:`~hdmf_arrow.spec.GroupSpec.resolve_inc_spec`)."""
    for cls in (DatasetSpec, GroupSpec):
        if isinstance(spec, cls) and not isinstance(inc, cls):
            what = inc._origin() if isinstance(inc, _Storage) else repr(inc)
            msg = f"{spec._origin()}: cannot include {what}: expected a {cls.__name__}"
            raise TypeError(msg)
    resolver = Resolver({}, {}, _parents(namespace))
    resolver._merge(spec, inc, Location(spec._origin()))  # type: ignore[arg-type]  # raises, changes nothing
    _apply(spec, inc, resolver)


def _apply(spec: _Storage, inc: _Storage, resolver: Resolver) -> None:
    if isinstance(spec, DatasetSpec) and isinstance(inc, DatasetSpec):
        loc = Location(spec._origin())
        dtype = resolver._merge_dtype(spec.dtype, inc.dtype, loc.key("dtype"))
        spec._store_key("dtype", _lists(dtype))
        _merge_values(spec, inc)
    if isinstance(spec, GroupSpec) and isinstance(inc, GroupSpec):
        _merge_children(spec, inc, resolver)
    for attribute in inc.attributes:
        spec._new.setdefault("attributes", set()).discard(attribute.name)
        mine = spec.get_attribute(attribute.name)
        if mine is None:
            spec._set_attribute(attribute, own=False)
            continue
        spec._over.setdefault("attributes", set()).add(attribute.name)
        _merge_values(mine, attribute)
    spec._inc = inc


def _merge_values(spec: AttributeSpec | DatasetSpec, inc: AttributeSpec | DatasetSpec) -> None:
    """Shape, dims, value and default value of ``inc`` into ``spec`` (checked before)."""
    if spec.shape is None:
        if inc.shape is not None:
            spec["shape"] = _lists(inc.shape)
            spec["dims"] = _lists(inc.dims)
    elif inc.shape is not None:
        spec["shape"] = _lists(_merge_shape(spec.shape, inc.shape, Location(spec._origin())))
    value, default = _values(spec.value, spec.default_value, inc.value, inc.default_value)
    for key, new in (("value", value), ("default_value", default)):
        if new is None:
            spec.pop(key, None)
        else:
            spec[key] = _lists(new)
    if isinstance(spec, AttributeSpec):
        if value is not None:
            spec.pop("required", None)
        elif default is not None:
            spec["required"] = False


def _merge_children(spec: GroupSpec, inc: GroupSpec, resolver: Resolver) -> None:
    unnamed: list[DatasetSpec | GroupSpec] = []
    for key, cls, children in (
        ("datasets", DatasetSpec, inc.datasets),
        ("groups", GroupSpec, inc.groups),
    ):
        for child in children:
            if child.name is None:
                unnamed.append(child)
                continue
            spec._new.setdefault(key, set()).discard(child.name)
            mine = next((c for c in spec.get(key, ()) if c.name == child.name), None)
            if mine is None:
                spec._add_child(key, child, cls, own=False)
                continue
            _apply(mine, child, resolver)
            spec._over.setdefault(key, set()).add(child.name)
    unnamed_links: list[LinkSpec] = []
    for link in inc.links:
        if link.name is None:
            unnamed_links.append(link)
            continue
        spec._new.setdefault("links", set()).discard(link.name)
        if spec.get_link(link.name) is not None:
            spec._over.setdefault("links", set()).add(link.name)
        else:
            spec._add_child("links", link, LinkSpec, own=False)
    for child in unnamed:
        dt = str(child.data_type)
        spec._new.setdefault("data_types", set()).discard(dt)
        if _wants(spec.get_data_type(dt), child):
            key = "datasets" if isinstance(child, DatasetSpec) else "groups"
            spec._add_child(key, child, type(child), own=False)
    for link in unnamed_links:
        spec._new.setdefault("target_types", set()).discard(link.target_type)
        if _wants(spec.get_target_type(link.target_type), link):
            spec._add_child("links", link, LinkSpec, own=False)


def _wants(existing: Any, child: Any) -> bool:
    """hdmf's rule: add an inherited unnamed child unless an unnamed one of its type exists."""
    if existing is None:
        return True
    return (isinstance(existing, list) or existing.name is not None) and child.name is None


def _key_name(spec: _Spec) -> str | None:
    name = spec.get("name")
    if name is None and isinstance(spec, _Storage):
        name = spec.data_type_def
    if name is None:
        name = getattr(spec, "data_type_inc", None)
    return name


def _names(group: GroupSpec, key: str) -> set[str]:
    return {c.name for c in group.get(key, ()) if c.name is not None}


def is_inherited(group: GroupSpec, spec: _Spec) -> bool:
    """Whether ``spec`` comes from the type ``group`` includes (hdmf's rules)."""
    name = _key_name(spec)
    if name is None:
        return False
    if name in _names(group, "links"):
        return group.is_inherited_link(name)
    if name in _names(group, "groups"):
        return group.is_inherited_group(name)
    if name in _names(group, "datasets"):
        return group.is_inherited_dataset(name)
    if name in {str(c.data_type) for c in (*group.datasets, *group.groups)}:
        return group.is_inherited_type(name)
    if name in {lk.target_type for lk in group.links}:
        return group.is_inherited_target_type(name)
    if _Storage.is_inherited_spec(group, spec):
        return True
    return _through_parent(group, spec, inherited=True)


def is_overridden(group: GroupSpec, spec: _Spec) -> bool:
    """Whether ``spec`` redefines a part of the type ``group`` includes (hdmf's rules)."""
    if spec.get("name") is None:
        if isinstance(spec, LinkSpec):
            return False  # an unnamed link cannot be overridden
        if isinstance(spec, _Storage) and spec.is_many():
            return False
    name = _key_name(spec)
    if name is None:
        return False
    if name in _names(group, "links"):
        return group.is_overridden_link(name)
    if name in _names(group, "groups"):
        return group.is_overridden_group(name)
    if name in _names(group, "datasets"):
        return group.is_overridden_dataset(name)
    if name in {str(c.data_type) for c in (*group.datasets, *group.groups)}:
        return group.is_overridden_type(name)
    if _Storage.is_overridden_spec(group, spec):
        return True
    return _through_parent(group, spec, inherited=False)


def _through_parent(group: GroupSpec, spec: _Spec, *, inherited: bool) -> bool:
    """An attribute of a child of ``group``: asked of that child (hdmf's last rule)."""
    parent = spec.parent
    if not isinstance(parent, _Storage) or parent is group:
        return False
    parent_name = parent.name or parent.data_type
    if parent_name is None:
        return False
    key = "datasets" if isinstance(parent, DatasetSpec) else "groups"
    if parent_name not in _names(group, key):
        return False
    child = next(c for c in group.get(key, ()) if c.name == parent_name)
    if inherited:
        found = (
            group.is_inherited_dataset(parent_name)
            if key == "datasets"
            else group.is_inherited_group(parent_name)
        )
        return found and child.get_attribute(str(spec.get("name"))) is not None
    overridden = (
        group.is_overridden_dataset(parent_name)
        if key == "datasets"
        else group.is_overridden_group(parent_name)
    )
    return overridden and child.is_overridden_spec(spec)
