"""The type registry: data types of namespaces <-> Python classes, as hdmf.common has it.

A :class:`TypeMap` pairs a :class:`~hdmf_arrow.spec.NamespaceCatalog` with the classes of its
data types. Classes come from :func:`register_class`, or are generated from the spec on first
request by :func:`get_class` (a ``DynamicTable`` extension gets ``__columns__`` built from its
``VectorData`` datasets). The default map (hdmf-common and hdmf-experimental, and whatever
:func:`load_namespaces` adds) is built on first use, never at import.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from hdmf_arrow.common._aligned import AlignedDynamicTable
from hdmf_arrow.common._container import CORE_NAMESPACE, EXP_NAMESPACE, Container
from hdmf_arrow.common._data import Data, ElementIdentifiers, VectorData, VectorIndex
from hdmf_arrow.common._enum import EnumData
from hdmf_arrow.common._herd import HERD
from hdmf_arrow.common._meanings import MeaningsTable
from hdmf_arrow.common._multi import SimpleMultiContainer
from hdmf_arrow.common._region import DynamicTableRegion
from hdmf_arrow.common._sparse import CSRMatrix
from hdmf_arrow.common._table import DynamicTable
from hdmf_arrow.errors import HdmfArrowError, InvalidArgumentError, UnknownTypeError
from hdmf_arrow.spec import DatasetSpec, GroupSpec, NamespaceCatalog, core_catalog

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from hdmf_arrow.common._type_config import TypeConfigurator

C = TypeVar("C", bound=type[Container])

_BUILT_IN: dict[tuple[str, str], type[Container]] = {
    (CORE_NAMESPACE, "Container"): Container,
    (CORE_NAMESPACE, "Data"): Data,
    (CORE_NAMESPACE, "VectorData"): VectorData,
    (CORE_NAMESPACE, "VectorIndex"): VectorIndex,
    (CORE_NAMESPACE, "ElementIdentifiers"): ElementIdentifiers,
    (CORE_NAMESPACE, "DynamicTableRegion"): DynamicTableRegion,
    (CORE_NAMESPACE, "DynamicTable"): DynamicTable,
    (CORE_NAMESPACE, "SimpleMultiContainer"): SimpleMultiContainer,
    (CORE_NAMESPACE, "CSRMatrix"): CSRMatrix,
    (CORE_NAMESPACE, "AlignedDynamicTable"): AlignedDynamicTable,
    (CORE_NAMESPACE, "MeaningsTable"): MeaningsTable,
    (CORE_NAMESPACE, "HERD"): HERD,
    (EXP_NAMESPACE, "EnumData"): EnumData,
}


# attributes the model itself keeps (and the store writes elsewhere)
_RESERVED = frozenset(
    {"description", "colnames", "categories", "data_type", "namespace", "object_id"}
)


class ObjectMapper:
    """How a container class's fields map to the attributes of its spec.

    A store keeps a container's spec attributes (those its spec declares, beyond what the
    model itself keeps) in the manifest. By default the spec attribute ``x`` is the
    container's field ``x``; a class whose fields are named otherwise registers a subclass
    with :func:`register_map` and lists the differences in ``fields``.

    Examples
    --------
    >>> class TrialsMapper(ObjectMapper):
    ...     fields = {"stimulus_type": "stim"}  # spec attribute -> container field
    """

    fields: ClassVar[dict[str, str]] = {}

    def __init__(self, spec: GroupSpec | DatasetSpec | None) -> None:
        self.spec = spec

    def attribute_names(self) -> list[str]:
        """The spec's attributes that live in the manifest."""
        if self.spec is None:
            return []
        return [a.name for a in self.spec.attributes if a.name not in _RESERVED]

    def get_attributes(self, container: Container) -> dict[str, Any]:
        """Spec attribute -> value, for the attributes the container has a value for."""
        out = {}
        stored = getattr(container, "attributes", None)
        for name in self.attribute_names():
            field = self.fields.get(name, name)
            value = getattr(container, field, None)
            if value is None and isinstance(stored, dict):
                value = stored.get(field)  # datasets keep spec attributes in .attributes
            if value is not None:
                out[name] = value
        return out

    def set_attributes(self, container: Container, attributes: dict[str, Any]) -> None:
        """Put stored attribute values back on a container read from a store."""
        for name, value in attributes.items():
            setattr(container, self.fields.get(name, name), value)


class SpecGroup(SimpleMultiContainer):
    """Base of classes generated for group types that are not tables: children by name (as
    SimpleMultiContainer) and one field per attribute of the spec, given as keywords.

    Examples
    --------
    >>> class Subject(SpecGroup):
    ...     spec_attributes = ("species", "age")
    >>> s = Subject("subject", species="mouse")
    >>> s.species, s.age
    ('mouse', None)
    """

    spec_attributes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        name: str,
        containers: Iterable[Container] | None = None,
        *,
        attributes: dict[str, object] | None = None,
        object_id: str | None = None,
        **values: object,
    ) -> None:
        unknown = sorted(set(values) - set(self.spec_attributes))
        if unknown:
            msg = (
                f"{type(self).__name__} {name!r}: unknown argument(s) {unknown}; its spec's "
                f"attributes are {list(self.spec_attributes)}"
            )
            raise TypeError(msg)
        super().__init__(name, containers, attributes=attributes, object_id=object_id)
        for field in self.spec_attributes:
            setattr(self, field, values.get(field))


class TypeMap:
    """Namespaces and the classes of their data types (hdmf's TypeMap)."""

    def __init__(self, catalog: NamespaceCatalog | None = None) -> None:
        self.namespace_catalog = catalog if catalog is not None else core_catalog()
        self._classes: dict[tuple[str, str], type[Container]] = dict(_BUILT_IN)
        self._maps: dict[type[Container], type[ObjectMapper]] = {}

    def copy(self) -> TypeMap:
        new = TypeMap(self.namespace_catalog.copy())
        new._classes = dict(self._classes)
        new._maps = dict(self._maps)
        if "_type_config" in self.__dict__:  # a copy carries a copy of it, as in hdmf
            new.type_config = self.type_config.copy()
        return new

    @property
    def type_config(self) -> TypeConfigurator:
        """The type configuration (TypeConfigurator), made on first use."""
        from hdmf_arrow.common._type_config import TypeConfigurator

        config = self.__dict__.get("_type_config")
        if config is None:
            config = self.__dict__["_type_config"] = TypeConfigurator()
        return config  # type: ignore[no-any-return]

    @type_config.setter
    def type_config(self, value: TypeConfigurator) -> None:
        from hdmf_arrow.common._type_config import TypeConfigurator

        if not isinstance(value, TypeConfigurator):
            msg = f"TypeMap.type_config must be a TypeConfigurator, got {type(value).__name__}"
            raise InvalidArgumentError(msg)
        self.__dict__["_type_config"] = value

    def register_map(self, container_cls: type[Container], mapper_cls: type[ObjectMapper]) -> None:
        """Use ``mapper_cls`` for ``container_cls`` (and its subclasses)."""
        if not (isinstance(mapper_cls, type) and issubclass(mapper_cls, ObjectMapper)):
            msg = f"register_map: {mapper_cls!r} is not an ObjectMapper class"
            raise TypeError(msg)
        self._maps[container_cls] = mapper_cls

    def get_map(self, container: Container | type[Container]) -> ObjectMapper:
        """The mapper of a container (or class): the one registered for its class or a base,
        with the spec of its data type (None when the type is not known)."""
        cls = container if isinstance(container, type) else type(container)
        mapper_cls = next((self._maps[c] for c in cls.__mro__ if c in self._maps), ObjectMapper)
        try:
            home = self.namespace_of(cls.data_type, cls.namespace)
            spec = self.namespace_catalog.get_spec(home, cls.data_type)
        except (HdmfArrowError, KeyError):
            spec = None
        return mapper_cls(spec)

    def __deepcopy__(self, memo: dict[int, Any]) -> TypeMap:
        return self.copy()

    def register_class(self, data_type: str, namespace: str, cls: type[Container]) -> None:
        """Use ``cls`` for ``data_type`` of ``namespace`` (when building and when reading)."""
        if not (isinstance(cls, type) and issubclass(cls, Container)):
            msg = f"register_class: {cls!r} is not a Container class"
            raise TypeError(msg)
        cls.data_type = data_type  # type: ignore[misc]
        cls.namespace = namespace  # type: ignore[misc]
        self._classes[(namespace, data_type)] = cls

    def load_namespaces(self, namespace_path: str | os.PathLike[str]) -> dict[str, Any]:
        """Load an extension's namespace file; returns ``{ns: {included_ns: (types...)}}``."""
        return dict(self.namespace_catalog.load_namespaces(namespace_path))

    def namespace_of(self, data_type: str, namespace: str) -> str:
        """The namespace that defines ``data_type`` as seen from ``namespace``."""
        ns = self.namespace_catalog.get_namespace(namespace)
        record = ns.get_type_record(data_type)
        if record is None:
            if (namespace, data_type) in self._classes:
                return namespace
            msg = (
                f"data type {data_type!r} is not defined in namespace {namespace!r} (nor in "
                f"the namespaces it includes). Hint: load its namespace with load_namespaces()."
            )
            raise UnknownTypeError(msg)
        return record.namespace

    def get_class(self, data_type: str, namespace: str = CORE_NAMESPACE) -> type[Container]:
        """The class for ``data_type``: registered, or generated from its spec (and cached)."""
        key = (namespace, data_type)
        if key in self._classes:
            return self._classes[key]
        home = self.namespace_of(data_type, namespace)
        if (home, data_type) not in self._classes:
            self._classes[(home, data_type)] = self._generate(data_type, home)
        self._classes[key] = self._classes[(home, data_type)]
        return self._classes[key]

    def _generate(self, data_type: str, namespace: str) -> type[Container]:
        spec = self.namespace_catalog.get_spec(namespace, data_type)
        parent_type = spec.data_type_inc
        if parent_type is None:
            parent: type[Container] = Container if isinstance(spec, GroupSpec) else Data
        else:
            parent = self.get_class(parent_type, namespace)
        attrs: dict[str, Any] = {
            "data_type": data_type,
            "namespace": namespace,
            "__doc__": spec.doc,
            "__module__": __name__,
            "_origin_type_map": self,  # where its spec is: writers of a tree find it there
        }
        if isinstance(spec, GroupSpec) and parent is Container:
            parent = SpecGroup  # a group type: children by name, attributes as fields
        if isinstance(parent, type) and issubclass(parent, DynamicTable):
            assert isinstance(spec, GroupSpec)
            attrs["__columns__"] = self._columns(spec, namespace)
        elif isinstance(parent, type) and issubclass(parent, SpecGroup):
            attrs["spec_attributes"] = tuple(
                a.name for a in spec.attributes if a.name not in _RESERVED
            )
        return type(data_type, (parent,), attrs)

    def _columns(self, spec: GroupSpec, namespace: str) -> tuple[dict[str, Any], ...]:
        """``__columns__`` from a DynamicTable spec: its VectorData datasets, ragged when a
        ``<name>_index`` dataset sits beside them, regions for DynamicTableRegion types."""
        datasets = {d.name: d for d in spec.datasets if d.name is not None}
        declared = self.namespace_catalog.get_namespace(namespace).get_spec(
            spec.data_type_def or "", resolved=False
        )
        own = {d.name for d in declared.datasets} if isinstance(declared, GroupSpec) else set()
        columns = []
        for name, d in datasets.items():
            if name == "id" or name not in own or _is_index_of(name, datasets):
                continue
            dtype = d.data_type_def or d.data_type_inc
            if dtype is None or not self._is_a(dtype, "VectorData", namespace):
                continue
            depth = 0
            while f"{name}{'_index' * (depth + 1)}" in datasets:
                depth += 1
            entry: dict[str, Any] = {
                "name": name,
                "description": d.doc,
                "required": d.quantity not in ("?", "*"),
            }
            if depth:
                entry["index"] = True if depth == 1 else depth
            if self._is_a(dtype, "DynamicTableRegion", namespace):
                entry["table"] = True
            elif self._is_a(dtype, "EnumData", namespace):
                entry["enum"] = True
            if dtype not in ("VectorData", "DynamicTableRegion", "EnumData"):
                entry["class"] = self.get_class(dtype, namespace)
            columns.append(entry)
        return tuple(columns)

    def _is_a(self, data_type: str, base: str, namespace: str) -> bool:
        try:
            home = self.namespace_of(data_type, namespace)
            hierarchy = self.namespace_catalog.get_hierarchy(home, data_type)
        except (HdmfArrowError, KeyError):
            return False
        return base in hierarchy


def type_map_for(root: Container, default: TypeMap) -> TypeMap:
    """The type map to write ``root`` with: ``default``, unless it lacks a namespace of the
    tree that the type map one of the tree's generated classes came from knows (a tree read
    from an NWB file or a store carries its namespaces that way)."""
    from hdmf_arrow.common._walk import walk

    known = set(default.namespace_catalog.namespaces)
    for node in walk(root):
        if node.namespace is not None and node.namespace not in known:
            origin = getattr(type(node), "_origin_type_map", None)
            if (
                isinstance(origin, TypeMap)
                and node.namespace in origin.namespace_catalog.namespaces
            ):
                return origin
    return default


def _is_index_of(name: str, datasets: dict[str, DatasetSpec | Any]) -> bool:
    return name.endswith("_index") and name[: -len("_index")] in datasets


class BuildManager:
    """What IO classes accept as ``manager=``: it carries the TypeMap used to pick classes
    when reading (hdmf's BuildManager also builds; hdmf-arrow needs no builder tree)."""

    def __init__(self, type_map: TypeMap) -> None:
        self.type_map = type_map


@functools.cache
def _default_type_map() -> TypeMap:
    return TypeMap()


def get_type_map(*, copy: bool = True) -> TypeMap:
    """The type map with hdmf-common, hdmf-experimental and loaded extensions (a copy by
    default, as in hdmf)."""
    type_map = _default_type_map()
    return type_map.copy() if copy else type_map


def get_manager(*, copy: bool = True) -> BuildManager:
    """A BuildManager over :func:`get_type_map` (pass it to ``ParquetIO(..., manager=)``)."""
    return BuildManager(get_type_map(copy=copy))


def register_class(
    data_type: str, namespace: str = CORE_NAMESPACE, container_cls: C | None = None
) -> Any:
    """Register ``container_cls`` for ``data_type``; used as a decorator when it is omitted.

    Examples
    --------
    >>> @register_class("MyTable", "ndx-doc")
    ... class MyTable(DynamicTable):
    ...     __columns__ = ({"name": "x", "description": "x", "required": True},)
    >>> MyTable(name="t", description="d").colnames, MyTable.data_type
    (('x',), 'MyTable')
    """

    def register(cls: C) -> C:
        _default_type_map().register_class(data_type, namespace, cls)
        return cls

    return register if container_cls is None else register(container_cls)


def register_map(
    container_cls: type[Container], mapper_cls: type[ObjectMapper] | None = None
) -> Any:
    """Register an ObjectMapper for a container class; a decorator when ``mapper_cls`` is
    omitted (as in hdmf).

    Examples
    --------
    >>> @register_class("StimTable", "ndx-doc-map")
    ... class StimTable(DynamicTable):
    ...     stim = None
    >>> @register_map(StimTable)
    ... class StimMapper(ObjectMapper):
    ...     fields = {"stimulus_type": "stim"}
    >>> get_type_map(copy=False).get_map(StimTable(name="s", description="d")).fields
    {'stimulus_type': 'stim'}
    """

    def register(mapper: type[ObjectMapper]) -> type[ObjectMapper]:
        _default_type_map().register_map(container_cls, mapper)
        return mapper

    return register if mapper_cls is None else register(mapper_cls)


def get_class(data_type: str, namespace: str = CORE_NAMESPACE) -> type[Container]:
    """The class for a data type: registered, or generated from its spec on first request."""
    return _default_type_map().get_class(data_type, namespace)


def load_namespaces(namespace_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load an extension (a namespace YAML file) into the default type map."""
    return _default_type_map().load_namespaces(namespace_path)


def available_namespaces() -> tuple[str, ...]:
    """The namespaces loaded in the default type map."""
    return tuple(_default_type_map().namespace_catalog.namespaces)
