"""SpecCatalog: data types -> their specs, as hdmf's ``hdmf.spec.SpecCatalog``.

A NamespaceCatalog keeps one of these per namespace in hdmf; here it is a small standalone
registry for code that builds one by hand (extension tooling, hdmf's tests).
"""

from __future__ import annotations

import copy
from typing import Any

from hdmf_arrow.spec.model import DatasetSpec, GroupSpec, typed_children

Spec = GroupSpec | DatasetSpec


class SpecCatalog:
    """Specs by the data type they define, with where each was loaded from.

    Examples
    --------
    >>> catalog = SpecCatalog()
    >>> base = GroupSpec(doc="base", data_type_def="Base")
    >>> child = GroupSpec(doc="child", data_type_def="Child", data_type_inc="Base")
    >>> catalog.auto_register(base, "base.yaml"), catalog.auto_register(child)
    (('Base',), ('Child',))
    >>> catalog.get_hierarchy("Child"), catalog.get_subtypes("Base")
    (('Child', 'Base'), ('Child',))
    """

    def __init__(self) -> None:
        self._specs: dict[str, Spec] = {}
        self._sources: dict[str, str | None] = {}

    def register_spec(self, spec: Spec, source_file: str | None = None) -> None:
        """Register ``spec`` under the type it defines (it must define one)."""
        if not isinstance(spec, GroupSpec | DatasetSpec):
            msg = f"register_spec: expected a GroupSpec or DatasetSpec, found {type(spec).__name__}"
            raise TypeError(msg)
        name = spec.data_type_def
        if name is None:
            msg = "cannot register spec that has no data_type_def"
            raise ValueError(msg)
        known = self._specs.get(name)
        if known is not None and known != spec:
            msg = f"{name!r} - cannot overwrite existing specification"
            raise ValueError(msg)
        self._specs[name] = spec
        self._sources[name] = source_file

    def auto_register(self, spec: Spec, source_file: str | None = None) -> tuple[str, ...]:
        """Register ``spec`` and every type defined inside it; returns their names."""
        out: list[str] = []
        if spec.data_type_def is not None:
            self.register_spec(spec, source_file)
            out.append(spec.data_type_def)
        for child in typed_children(spec):
            out.extend(self.auto_register(child, source_file))
        return tuple(out)

    def get_spec(self, data_type: str) -> Spec | None:
        """The spec of ``data_type``, or None."""
        return self._specs.get(data_type)

    def get_registered_types(self) -> tuple[str, ...]:
        return tuple(self._specs)

    def get_spec_source_file(self, data_type: str) -> str | None:
        """The file ``data_type``'s spec was loaded from, or None."""
        return self._sources.get(data_type)

    def get_hierarchy(self, data_type: str) -> tuple[str, ...]:
        """``data_type`` and the types it includes, nearest first (empty if unknown)."""
        out: list[str] = []
        current: str | None = data_type
        while current is not None and current in self._specs:
            if current in out:
                msg = f"Circular reference detected in type hierarchy for {data_type}"
                raise ValueError(msg)
            out.append(current)
            current = self._specs[current].data_type_inc
        return tuple(out)

    def get_full_hierarchy(self) -> dict[str, Any]:
        """Every type as a nested dict: each root type maps to its subtypes, and so on."""
        children: dict[str | None, list[str]] = {}
        for name, spec in self._specs.items():
            parent = spec.data_type_inc if spec.data_type_inc in self._specs else None
            children.setdefault(parent, []).append(name)

        def tree(name: str | None) -> dict[str, Any]:
            return {child: tree(child) for child in children.get(name, [])}

        return tree(None)

    def get_subtypes(self, data_type: str, recursive: bool = True) -> tuple[str, ...]:
        """The types that include ``data_type`` (and theirs, when ``recursive``)."""
        direct = [n for n, s in self._specs.items() if s.data_type_inc == data_type]
        out = list(direct)
        if recursive:
            for name in direct:
                out.extend(t for t in self.get_subtypes(name) if t not in out)
        return tuple(out)

    def __copy__(self) -> SpecCatalog:
        new = SpecCatalog()
        new._specs = dict(self._specs)
        new._sources = dict(self._sources)
        return new

    def __deepcopy__(self, memo: dict[int, Any]) -> SpecCatalog:
        new = SpecCatalog()
        new._specs = copy.deepcopy(self._specs, memo)
        new._sources = dict(self._sources)
        return new
