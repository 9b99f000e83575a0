"""Inheritance: each type's spec with everything it gets from ``data_type_inc`` merged in.

The rules are hdmf 6.2's (``BaseStorageSpec.resolve_inc_spec`` and friends):

- ``dtype``, ``shape``, ``dims``, ``value`` and ``default_value`` come from the included spec
  when the spec does not give them; when it does, it may only narrow them: a dtype the parent
  accepts (:func:`~hdmf_arrow.spec.is_allowed_dtype`), a shape within one of the parent's
  shapes, a reference to a subtype of the parent's target, compound fields merged by name;
- attributes are merged by name (the spec's own first, then the inherited ones), named
  datasets, groups and links by name, unnamed ones by data type (target type for links);
- a named child that the spec redefines is merged with the parent's child of that name, and
  must include the same type or a subtype of it;
- every typed child spec (``data_type_inc``) is merged with the resolved spec of its type, at
  any depth, except where that would recurse forever (a ``MeaningsTable`` inside a
  ``DynamicTable``, which a ``MeaningsTable`` is): such a child keeps only its own fields, and
  the validator looks its type up by name.

Types are resolved once, when a namespace is loaded.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, TypeVar

from hdmf_arrow.spec._checks import _FieldError
from hdmf_arrow.spec.dtypes import DTYPE_SYNONYMS, is_allowed_dtype
from hdmf_arrow.spec.load import Location
from hdmf_arrow.spec.model import (
    AttributeSpec,
    DatasetSpec,
    DtypeSpec,
    GroupSpec,
    LinkSpec,
    RefSpec,
    replace_spec,
    typed_children,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from hdmf_arrow.spec.model import DatasetDtype, Shape

__all__ = ["Resolver", "check_references"]

Spec = GroupSpec | DatasetSpec
_R = TypeVar("_R", GroupSpec, DatasetSpec, AttributeSpec)


def _unknown(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown data type {name!r}{hint}; include the namespace that defines it"


def check_references(spec: Spec, loc: Location, kinds: Mapping[str, type]) -> None:
    """Check that every type a spec names exists, with the right kind (group or dataset).

    ``kinds`` maps every known type to GroupSpec or DatasetSpec. Nested type definitions are
    checked on their own (they are types too), so the walk stops at them.
    """
    known = sorted(kinds)
    if spec.data_type_inc is not None:
        kind = kinds.get(spec.data_type_inc)
        if kind is None:
            raise loc.key("data_type_inc").error(_unknown(spec.data_type_inc, known))
        if not isinstance(spec, kind):  # a custom spec class is a kind of the one it extends
            what = "group" if kind is GroupSpec else "dataset"
            this = "a group" if isinstance(spec, GroupSpec) else "a dataset"
            msg = f"{spec.data_type_inc!r} is a {what} type, but this spec is {this}"
            raise loc.key("data_type_inc").error(msg)
    for i, attribute in enumerate(spec.attributes):
        _check_dtype_refs(attribute.dtype, loc.key("attributes").index(i).key("dtype"), kinds)
    if isinstance(spec, DatasetSpec):
        _check_dtype_refs(spec.dtype, loc.key("dtype"), kinds)
        return
    for i, link in enumerate(spec.links):
        if link.target_type not in kinds:
            where = loc.key("links").index(i).key("target_type")
            raise where.error(_unknown(str(link.target_type), known))
    for key, children in (("datasets", spec.datasets), ("groups", spec.groups)):
        for i, child in enumerate(children):
            if child.data_type_def is None:
                check_references(child, loc.key(key).index(i), kinds)  # type: ignore[arg-type]


def _check_dtype_refs(dtype: DatasetDtype, loc: Location, kinds: Mapping[str, type]) -> None:
    if isinstance(dtype, RefSpec) and dtype.target_type not in kinds:
        raise loc.key("target_type").error(_unknown(dtype.target_type, sorted(kinds)))
    if isinstance(dtype, tuple):
        for i, field in enumerate(dtype):
            _check_dtype_refs(field.dtype, loc.index(i).key("dtype"), kinds)


class Resolver:
    """Resolves the types of one namespace.

    Parameters
    ----------
    own
        The namespace's own types: name -> (spec as written, source file), in load order
        (nested type definitions included).
    done
        Types already resolved (those included from other namespaces): name -> resolved spec.
    parents
        Every known type -> the type it includes (or None).
    """

    def __init__(
        self,
        own: Mapping[str, tuple[Spec, str]],
        done: Mapping[str, Spec],
        parents: Mapping[str, str | None],
    ) -> None:
        self._own = own
        self._done: dict[str, Spec] = dict(done)
        self._parents = parents
        self._busy: set[str] = set()

    def hierarchy(self, data_type: str) -> tuple[str, ...]:
        """The type and its ancestors, nearest first."""
        out = [data_type]
        parent = self._parents.get(data_type)
        while parent is not None and parent not in out:
            out.append(parent)
            parent = self._parents.get(parent)
        return tuple(out)

    def resolve_all(self) -> dict[str, Spec]:
        """The resolved spec of every own type."""
        return {name: self.resolve_type(name) for name in self._own}

    def resolve_type(self, data_type: str) -> Spec:
        """The resolved spec of one type (resolving what it depends on first)."""
        if data_type in self._done:
            return self._done[data_type]
        spec, source = self._own[data_type]
        loc = Location(source, data_type)
        self._busy.add(data_type)
        try:
            parent = self.resolve_type(spec.data_type_inc) if spec.data_type_inc else None
            spec = self._include(spec, parent, loc)
        finally:
            self._busy.discard(data_type)
        self._done[data_type] = spec
        return spec

    def _blocked(self, data_type: str) -> bool:
        return any(t in self._busy for t in self.hierarchy(data_type))

    def _include(self, spec: Spec, inc: Spec | None, loc: Location) -> Spec:
        """``spec`` merged with ``inc`` (if any), then its own typed children resolved."""
        inherited: set[int] = set()
        if inc is not None:
            spec = self._merge(spec, inc, loc)
            inherited = {id(child) for child in typed_children(inc)}
        return self._children(spec, loc, inherited)

    def _children(self, spec: Spec, loc: Location, inherited: set[int]) -> Spec:
        """Resolve the typed children of a group (those inherited as resolved are skipped)."""
        if not isinstance(spec, GroupSpec):
            return spec
        datasets = tuple(
            d if id(d) in inherited else self._sub(d, loc.key("datasets").index(i))
            for i, d in enumerate(spec.datasets)
        )
        groups = tuple(
            g if id(g) in inherited else self._sub(g, loc.key("groups").index(i))
            for i, g in enumerate(spec.groups)
        )
        if datasets == spec.datasets and groups == spec.groups:
            return spec
        return _replace(loc, spec, datasets=datasets, groups=groups)

    def _sub(self, child: Spec, loc: Location) -> Spec:
        if child.data_type_def is not None:
            if self._blocked(child.data_type_def):
                return child
            return self.resolve_type(child.data_type_def)
        if child.data_type_inc is not None:
            if self._blocked(child.data_type_inc):
                return child
            return self._include(child, self.resolve_type(child.data_type_inc), loc)
        return self._children(child, loc, set())

    # -- merging one spec with the spec it includes ----------------------------------------

    def _merge(self, own: Spec, inc: Spec, loc: Location) -> Spec:
        if isinstance(own, GroupSpec) != isinstance(inc, GroupSpec):  # custom classes may mix
            msg = (
                f"a {type(own).__name__} cannot include the {type(inc).__name__} {inc.data_type!r}"
            )
            raise loc.key("data_type_inc").error(msg)
        attributes = self._merge_attributes(own.attributes, inc.attributes, loc)
        if isinstance(own, DatasetSpec):
            assert isinstance(inc, DatasetSpec)
            value, default = _values(own.value, own.default_value, inc.value, inc.default_value)
            shape = _merge_shape(own.shape, inc.shape, loc.key("shape"))
            return _replace(
                loc,
                own,
                dtype=self._merge_dtype(own.dtype, inc.dtype, loc.key("dtype")),
                shape=shape,
                dims=own.dims if own.shape is not None else inc.dims,
                value=value,
                default_value=default,
                attributes=attributes,
            )
        assert isinstance(own, GroupSpec)
        assert isinstance(inc, GroupSpec)
        return _replace(loc, own, attributes=attributes, **self._merge_children(own, inc, loc))

    def _merge_attributes(
        self, own: Sequence[AttributeSpec], inc: Sequence[AttributeSpec], loc: Location
    ) -> tuple[AttributeSpec, ...]:
        out = list(own)
        index = {a.name: i for i, a in enumerate(own)}
        for parent in inc:
            i = index.get(parent.name)
            if i is None:
                out.append(parent)
                continue
            mine = own[i]
            where = loc.key("attributes").index(i)
            value, default = _values(
                mine.value, mine.default_value, parent.value, parent.default_value
            )
            dtype = self._merge_dtype(mine.dtype, parent.dtype, where.key("dtype"))
            out[i] = _replace(
                where,
                mine,
                dtype=dtype,
                shape=_merge_shape(mine.shape, parent.shape, where.key("shape")),
                dims=mine.dims if mine.shape is not None else parent.dims,
                value=value,
                default_value=default,
            )
        return tuple(out)

    def _merge_children(
        self, own: GroupSpec, inc: GroupSpec, loc: Location
    ) -> dict[str, tuple[Any, ...]]:
        datasets: list[Spec] = list(own.datasets)
        groups: list[Spec] = list(own.groups)
        links = list(own.links)
        deferred: list[DatasetSpec | GroupSpec] = []
        for key, mine, theirs in (
            ("datasets", datasets, inc.datasets),
            ("groups", groups, inc.groups),
        ):
            index = {c.name: i for i, c in enumerate(mine) if c.name is not None}
            for child in theirs:
                if child.name is None:
                    deferred.append(child)
                    continue
                i = index.get(child.name)
                if i is None:
                    mine.append(child)
                    continue
                where = loc.key(key).index(i)
                self._check_same_type(mine[i].data_type_inc, child.data_type_inc, child.name, where)
                mine[i] = self._merge(mine[i], child, where)
        link_names = {lk.name for lk in links if lk.name is not None}
        for link in inc.links:
            if link.name is None or link.name not in link_names:
                target_type = str(link.target_type)
                if link.name is None and not _wants_unnamed(links, target_type, _link_type):
                    continue
                links.append(link)
        for child in deferred:
            target = datasets if isinstance(child, DatasetSpec) else groups
            if _wants_unnamed([*datasets, *groups], child.data_type, _data_type):
                target.append(child)
        return {"datasets": tuple(datasets), "groups": tuple(groups), "links": tuple(links)}

    def _check_same_type(
        self, mine: str | None, theirs: str | None, name: str, loc: Location
    ) -> None:
        if mine == theirs:
            return
        if mine is None or theirs is None or theirs not in self.hierarchy(mine):
            msg = (
                f"{name!r} includes {mine!r}, but the parent type's {name!r} includes {theirs!r}; "
                f"it must include {theirs!r} or a subtype of it"
            )
            raise loc.key("data_type_inc").error(msg)

    def _merge_dtype(self, own: DatasetDtype, inc: DatasetDtype, loc: Location) -> DatasetDtype:
        if inc is None:
            return own
        if own is None:
            return inc
        if isinstance(own, tuple) != isinstance(inc, tuple):
            kinds = ("compound", "simple") if isinstance(inc, tuple) else ("simple", "compound")
            msg = "cannot replace the inherited {} dtype by a {} one".format(*kinds)
            raise loc.error(msg)
        if isinstance(own, tuple) and isinstance(inc, tuple):
            fields: dict[str, DtypeSpec] = {f.name: f for f in inc}
            for i, field in enumerate(own):
                if field.name in fields:
                    self._merge_dtype(
                        field.dtype, fields[field.name].dtype, loc.index(i).key("dtype")
                    )
                fields[field.name] = field
            return tuple(fields.values())
        if not isinstance(own, (str, RefSpec)) or not isinstance(inc, (str, RefSpec)):
            return own  # unreachable: compound dtypes are handled above
        if isinstance(own, RefSpec) != isinstance(inc, RefSpec):
            msg = f"cannot replace the inherited dtype {_show(inc)} by {_show(own)}"
            raise loc.error(msg)
        if isinstance(own, RefSpec) and isinstance(inc, RefSpec):
            if inc.target_type not in self.hierarchy(own.target_type):
                msg = (
                    f"a reference to {own.target_type!r} cannot replace the inherited reference "
                    f"to {inc.target_type!r}: it is not a subtype"
                )
                raise loc.error(msg)
            return own
        assert isinstance(own, str)
        assert isinstance(inc, str)
        if not is_allowed_dtype(own, inc):
            allowed = sorted(n for n in DTYPE_SYNONYMS if is_allowed_dtype(n, inc))
            msg = (
                f"{own!r} would widen the inherited dtype {inc!r}; a subtype may only keep or "
                f"narrow it (one of {', '.join(allowed)})"
            )
            raise loc.error(msg)
        return own


def _replace(loc: Location, spec: _R, **changes: Any) -> _R:
    """:func:`replace_spec` whose constructor errors name the file, type and key."""
    try:
        return replace_spec(spec, **changes)
    except _FieldError as e:
        raise (loc.key(e.key) if e.key else loc).error(e.problem) from None


def _show(dtype: str | RefSpec) -> str:
    return f"a reference to {dtype.target_type!r}" if isinstance(dtype, RefSpec) else repr(dtype)


def _values(
    value: object, default: object, inc_value: object, inc_default: object
) -> tuple[object, object]:
    value = value if value is not None else inc_value
    default = default if default is not None else inc_default
    return value, (None if value is not None else default)


def _link_type(spec: LinkSpec | DatasetSpec | GroupSpec) -> str | None:
    return str(spec.target_type) if isinstance(spec, LinkSpec) else None


def _data_type(spec: LinkSpec | DatasetSpec | GroupSpec) -> str | None:
    return None if isinstance(spec, LinkSpec) else spec.data_type


def _wants_unnamed(
    existing: Sequence[LinkSpec | DatasetSpec | GroupSpec],
    data_type: str | None,
    key: Callable[[LinkSpec | DatasetSpec | GroupSpec], str | None],
) -> bool:
    """hdmf's rule: add an inherited unnamed child unless an unnamed one of its type exists."""
    return not any(key(s) == data_type and s.name is None for s in existing)


def _alternatives(shape: Shape) -> list[tuple[int | None, ...]]:
    if shape and isinstance(shape[0], tuple):
        return list(shape)  # type: ignore[arg-type]
    return [tuple(shape)]  # type: ignore[arg-type]


def _merge_shape(own: Shape | None, inc: Shape | None, loc: Location) -> Shape | None:
    """``own`` narrowed by ``inc``: each of own's shapes must fit one of inc's shapes."""
    if inc is None:
        return own
    if own is None:
        return inc
    out = []
    for alt in _alternatives(own):
        for parent in _alternatives(inc):
            if len(parent) == len(alt) and all(
                p is None or a in (None, p) for a, p in zip(alt, parent, strict=True)
            ):
                out.append(
                    tuple(a if a is not None else p for a, p in zip(alt, parent, strict=True))
                )
                break
        else:
            msg = (
                f"shape {_list(alt)} is not within the inherited shape {_list(inc)}; a subtype may "
                "only fix lengths the parent leaves open (null), keeping the number of dimensions"
            )
            raise loc.error(msg)
    flat = not (own and isinstance(own[0], tuple))
    return out[0] if flat else tuple(out)


def _list(value: object) -> object:
    return [_list(v) for v in value] if isinstance(value, tuple) else value
