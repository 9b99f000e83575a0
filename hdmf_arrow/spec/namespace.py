"""A namespace: its metadata, its schema entries and the types it holds.

:class:`SpecNamespace` objects are built by :class:`~hdmf_arrow.spec.NamespaceCatalog` when it
loads a namespace file; they are immutable, so catalogs can share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from hdmf_arrow.errors import SpecError
from hdmf_arrow.spec.model import typed_children

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from hdmf_arrow.spec.model import JSON, DatasetSpec, GroupSpec

__all__ = ["SchemaEntry", "SpecNamespace", "TypeRecord"]


@dataclass(frozen=True, slots=True)
class SchemaEntry:
    """One item of a namespace's ``schema`` list: a source file or an included namespace.

    ``data_types`` limits what is taken from it (None: every type).
    """

    source: str | None = None
    namespace: str | None = None
    data_types: tuple[str, ...] | None = None
    doc: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, JSON]:
        """The entry as plain data (the YAML form)."""
        out: dict[str, JSON] = {}
        for key in ("namespace", "doc", "source", "title"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.data_types is not None:
            out["data_types"] = list(self.data_types)
        return out


@dataclass(frozen=True, slots=True)
class TypeRecord:
    """A data type known to a namespace: its spec as written and resolved, and its origin."""

    spec: GroupSpec | DatasetSpec
    resolved: GroupSpec | DatasetSpec
    source: str
    namespace: str


@dataclass(frozen=True, slots=True)
class SpecNamespace:
    """A namespace: ``SpecNamespace(doc, name, schema, full_name=None, version=None, date=None,
    author=None, contact=None)``.

    The types come from the catalog that loaded the namespace: :meth:`get_spec`,
    :meth:`get_registered_types` and :meth:`get_hierarchy` answer for the namespace's own types
    and those it includes from other namespaces.
    """

    doc: str
    name: str
    schema: tuple[SchemaEntry, ...]
    full_name: str | None = None
    version: str | None = None
    date: str | None = None
    author: str | tuple[str, ...] | None = None
    contact: str | tuple[str, ...] | None = None
    _types: Mapping[str, TypeRecord] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, hash=False
    )
    _resolve: bool = field(default=True, repr=False, compare=False)

    def _with_types(self, types: Mapping[str, TypeRecord], *, resolve: bool) -> SpecNamespace:
        return replace(self, _types=MappingProxyType(dict(types)), _resolve=resolve)

    def to_dict(self) -> dict[str, JSON]:
        """The namespace entry as plain data (an item of the ``namespaces`` list)."""
        out: dict[str, JSON] = {"name": self.name, "doc": self.doc}
        for key in ("author", "contact"):
            value = getattr(self, key)
            if value is not None:
                out[key] = list(value) if isinstance(value, tuple) else value
        for key in ("date", "full_name"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["schema"] = [entry.to_dict() for entry in self.schema]
        out["version"] = self.version
        return out

    def get_source_files(self) -> list[str]:
        """The source files named in the schema (not the included namespaces)."""
        return [e.source for e in self.schema if e.source is not None]

    def get_source_description(self, sourcefile: str) -> SchemaEntry | None:
        """The schema entry of a source file, or None."""
        return next((e for e in self.schema if e.source == sourcefile), None)

    def get_spec(self, data_type: str, *, resolved: bool | None = None) -> GroupSpec | DatasetSpec:
        """The spec of a data type: resolved (inheritance merged in) unless ``resolved=False``.

        Raises
        ------
        SpecError
            When the namespace has no such type.
        """
        record = self._types.get(data_type)
        if record is None:
            known = ", ".join(sorted(self._types)) or "none"
            msg = f"no specification for {data_type!r} in namespace {self.name!r} (it has: {known})"
            raise SpecError(msg)
        use_resolved = self._resolve if resolved is None else resolved
        return record.resolved if use_resolved else record.spec

    def get_registered_types(self) -> tuple[str, ...]:
        """The data types of the namespace: its own and the included ones."""
        return tuple(self._types)

    def get_type_record(self, data_type: str) -> TypeRecord | None:
        """Where a type comes from (source file, namespace) with its specs, or None."""
        return self._types.get(data_type)

    def get_hierarchy(self, data_type: str) -> tuple[str, ...]:
        """The type and its ancestors, nearest first: ``('EnumData', 'VectorData', 'Data')``.

        A type the namespace does not know gives a tuple of that type alone, as in hdmf.
        """
        out = [data_type]
        record = self._types.get(data_type)
        while record is not None and record.spec.data_type_inc is not None:
            parent = record.spec.data_type_inc
            if parent in out:
                break
            out.append(parent)
            record = self._types.get(parent)
        return tuple(out)

    def get_subtypes(self, data_type: str) -> tuple[str, ...]:
        """Every type of the namespace that has ``data_type`` among its ancestors."""
        return tuple(
            t for t in self._types if t != data_type and data_type in self.get_hierarchy(t)
        )

    def own_sources(self) -> dict[str, tuple[GroupSpec | DatasetSpec, ...]]:
        """The namespace's own source files and the top-level specs each defines, as written.

        This is what a store caches to make the namespace loadable without its YAML files.
        """
        out: dict[str, list[GroupSpec | DatasetSpec]] = {s: [] for s in self.get_source_files()}
        nested = {
            t for r in self._types.values() for t in _nested_defs(r.spec) if t != r.spec.data_type
        }
        for name, record in self._types.items():
            if record.namespace == self.name and name not in nested and record.source in out:
                out[record.source].append(record.spec)
        return {source: tuple(specs) for source, specs in out.items()}


def _nested_defs(spec: GroupSpec | DatasetSpec) -> Sequence[str]:
    """The data types defined anywhere inside a spec (including itself)."""
    out = [spec.data_type_def] if spec.data_type_def else []
    for child in typed_children(spec):
        out.extend(_nested_defs(child))
    return out
