"""A namespace: its metadata, its schema entries and the types it holds.

:class:`SpecNamespace` objects are built by :class:`~hdmf_arrow.spec.NamespaceCatalog` when it
loads a namespace file; they are immutable, so catalogs can share them.
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar

from hdmf_arrow.errors import HdmfArrowWarning, SpecError
from hdmf_arrow.spec._base import _lists, _tup
from hdmf_arrow.spec.model import typed_children

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from hdmf_arrow.spec._spec_catalog import SpecCatalog
    from hdmf_arrow.spec.model import JSON, DatasetSpec, GroupSpec

__all__ = ["SchemaEntry", "SpecNamespace", "TypeRecord", "check_version"]


def check_version(version: object, name: str, *, stacklevel: int = 3) -> str | None:
    """A namespace's version; None (hdmf's UNVERSIONED) with hdmf's warning when it has none.

    >>> check_version("1.0.0", "ndx-a")
    '1.0.0'
    """
    if version == "None":
        msg = f"Loaded namespace {name!r} is unversioned. Please notify the extension author."
        warnings.warn(msg, HdmfArrowWarning, stacklevel=stacklevel)
        return None
    if version is None:
        msg = (
            f"Loaded namespace {name!r} is missing the required key 'version'. Version will be "
            "set to 'None'. Please notify the extension author."
        )
        warnings.warn(msg, HdmfArrowWarning, stacklevel=stacklevel)
        return None
    return version  # type: ignore[return-value]


_ENTRY_KEYS = frozenset(("namespace", "doc", "source", "title", "data_types"))


class SchemaEntry(dict):  # type: ignore[type-arg]
    """One item of a namespace's ``schema`` list: a source file or an included namespace.

    A dict in the YAML form, as in hdmf; ``data_types`` limits what is taken from it (None:
    every type).

    Examples
    --------
    >>> entry = SchemaEntry(source="ext.yaml", doc="my types")
    >>> entry
    {'doc': 'my types', 'source': 'ext.yaml'}
    >>> entry.source, entry.data_types
    ('ext.yaml', None)
    """

    __slots__ = ()

    def __init__(
        self,
        source: str | None = None,
        namespace: str | None = None,
        data_types: Sequence[str] | None = None,
        doc: str | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__()
        for key, value in (("namespace", namespace), ("doc", doc), ("source", source)):
            if value is not None:
                self[key] = value
        if title is not None:
            self["title"] = title
        if data_types is not None:
            self["data_types"] = list(data_types)

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in self.items()))

    @property
    def source(self) -> str | None:
        """The spec file, or None."""
        return self.get("source")

    @property
    def namespace(self) -> str | None:
        """The included namespace, or None."""
        return self.get("namespace")

    @property
    def data_types(self) -> tuple[str, ...] | None:
        """The types taken from the source or namespace (None: all)."""
        types = self.get("data_types")
        if types is None:  # a namespace class with its own types_key() keeps its key name
            types = next((v for k, v in self.items() if k not in _ENTRY_KEYS), None)
        return None if types is None else tuple(types)

    @property
    def doc(self) -> str | None:
        """What the source file holds, or None."""
        return self.get("doc")

    @property
    def title(self) -> str | None:
        """The source file's heading, or None."""
        return self.get("title")

    def to_dict(self) -> dict[str, JSON]:
        """The entry as plain data (the YAML form)."""
        out: dict[str, JSON] = {}
        for key in ("namespace", "doc", "source", "title"):
            value = self.get(key)
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


class SpecNamespace(dict):  # type: ignore[type-arg]
    """A namespace: ``SpecNamespace(doc, name, schema, full_name=None, version=None, date=None,
    author=None, contact=None)``.

    A dict in the YAML form (an item of a namespace file's ``namespaces`` list), as in hdmf.
    The types come from the catalog that loaded the namespace: :meth:`get_spec`,
    :meth:`get_registered_types` and :meth:`get_hierarchy` answer for the namespace's own types
    and those it includes from other namespaces.

    Examples
    --------
    >>> ns = SpecNamespace.build_namespace(doc="x", name="ndx-x", version="0.1.0",
    ...                                    schema=[{"source": "x.yaml"}])
    >>> ns["name"], ns.get_source_files()
    ('ndx-x', ['x.yaml'])
    """

    __slots__ = ("_resolve", "_types")
    #: The version of a namespace that has none (hdmf's constant).
    UNVERSIONED: ClassVar[None] = None

    def __init__(
        self,
        doc: str,
        name: str,
        schema: Sequence[SchemaEntry | Mapping[str, object]],
        full_name: str | None = None,
        version: str | None = None,
        date: str | None = None,
        author: str | Sequence[str] | None = None,
        contact: str | Sequence[str] | None = None,
        catalog: SpecCatalog | None = None,
    ) -> None:
        super().__init__()
        if not isinstance(name, str) or not name or any(c.isspace() for c in name):
            msg = f"namespace name {name!r} must be non-empty, without whitespace"
            raise SpecError(msg)
        self["doc"] = doc
        self["schema"] = [
            e if isinstance(e, SchemaEntry) else SchemaEntry(**dict(e))  # type: ignore[arg-type]
            for e in schema
        ]
        key = self.types_key()
        if key != "data_types":  # a subclass's key name for the types taken (hdmf's dict form)
            for entry in self["schema"]:
                if "data_types" in entry:
                    entry[key] = entry.pop("data_types")
        self["name"] = name
        if full_name is not None:
            self["full_name"] = full_name
        self["version"] = version
        for key, value in (("date", date), ("author", author), ("contact", contact)):
            if value is not None:
                self[key] = _lists(value)
        self._types: Mapping[str, TypeRecord] = MappingProxyType({})
        self._resolve = True
        if catalog is not None:  # hdmf's way to give a namespace its types by hand
            types = {}
            for data_type in catalog.get_registered_types():
                spec = catalog.get_spec(data_type)
                source = catalog.get_spec_source_file(data_type) or ""
                if spec is not None:
                    types[data_type] = TypeRecord(spec, spec, source, name)
            self._types = MappingProxyType(types)

    @property
    def catalog(self) -> SpecCatalog:
        """The namespace's types as a :class:`~hdmf_arrow.spec.SpecCatalog` (a new one each
        time: the namespace itself does not change)."""
        from hdmf_arrow.spec._spec_catalog import SpecCatalog

        out = SpecCatalog()
        for record in self._types.values():
            out.register_spec(record.spec, record.source)
        return out

    def __hash__(self) -> int:  # type: ignore[override]
        return hash((self.name, self.version))

    def __repr__(self) -> str:
        return f"SpecNamespace(name={self.name!r}, version={self.version!r})"

    @classmethod
    def types_key(cls) -> str:
        """The key of a schema entry that lists the types taken (``'data_types'``)."""
        return "data_types"

    @classmethod
    def build_namespace(cls, **spec_dict: object) -> SpecNamespace:
        """A namespace from the keys of its YAML form, as hdmf's ``build_namespace``.

        A missing version (or the string ``'None'``) warns and gives
        :attr:`UNVERSIONED`, as in hdmf.

        Raises
        ------
        KeyError
            When ``doc``, ``name`` or ``schema`` is missing.
        """
        for key in ("doc", "name", "schema"):
            if key not in spec_dict:
                msg = f"{key!r} not found in {spec_dict}"
                raise KeyError(msg)
        kwargs = dict(spec_dict)
        kwargs["version"] = check_version(kwargs.get("version"), str(kwargs["name"]))
        return cls(**kwargs)  # type: ignore[arg-type]

    @property
    def doc(self) -> str:
        """What the namespace is."""
        return str(self["doc"])

    @property
    def name(self) -> str:
        """The namespace's name."""
        return str(self["name"])

    @property
    def schema(self) -> tuple[SchemaEntry, ...]:
        """The source files and included namespaces, in order."""
        return tuple(self["schema"])

    @property
    def full_name(self) -> str | None:
        """The long name, or None."""
        return self.get("full_name")

    @property
    def version(self) -> str | None:
        """The version, or :attr:`UNVERSIONED` (None)."""
        return self.get("version") or SpecNamespace.UNVERSIONED

    @property
    def date(self) -> str | None:
        """When the namespace was released, or None."""
        return self.get("date")

    @property
    def author(self) -> str | tuple[str, ...] | None:
        """The author (a tuple when several), or None."""
        return _tup(self.get("author"))  # type: ignore[no-any-return]

    @property
    def contact(self) -> str | tuple[str, ...] | None:
        """The contact (a tuple when several), or None."""
        return _tup(self.get("contact"))  # type: ignore[no-any-return]

    def _with_types(self, types: Mapping[str, TypeRecord], *, resolve: bool) -> SpecNamespace:
        new = copy.copy(self)
        new._types = MappingProxyType(dict(types))
        new._resolve = resolve
        return new

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
