"""The type registry: data types of namespaces <-> Python classes, as hdmf.common has it.

A :class:`TypeMap` pairs a :class:`~hdmf_arrow.spec.NamespaceCatalog` with the classes of its
data types. Classes come from :func:`register_class`, or are generated from the spec on first
request by :func:`get_class` (a ``DynamicTable`` extension gets ``__columns__`` built from its
``VectorData`` datasets). A generated class takes its spec's attributes as keywords, as hdmf's
do: a ``default_value`` is used when one is not given, and an attribute with a fixed ``value``
is no argument but gets that value. The default map (hdmf-common and hdmf-experimental, and whatever
:func:`load_namespaces` adds) is built on first use, never at import.
"""

from __future__ import annotations

import copy
import functools
import inspect
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import pyarrow as pa

from hdmf_arrow.arrow.dtypes import parse_dtype
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
from hdmf_arrow.errors import (
    HdmfArrowError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    UnknownTypeError,
)
from hdmf_arrow.spec import DatasetSpec, GroupSpec, NamespaceCatalog, core_catalog
from hdmf_arrow.utils import get_docval, set_docval

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Iterable, Mapping

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

    ``spec_defaults`` holds the spec's ``default_value`` of attributes (used when one is not
    given); ``spec_fixed`` the attributes with a fixed ``value``, which are no argument (as in
    hdmf) and get that value (or, for a group read from a file, the one in ``attributes``).

    Examples
    --------
    >>> class Subject(SpecGroup):
    ...     spec_attributes = ("species", "age", "unit")
    ...     spec_defaults = {"unit": "days"}
    >>> s = Subject("subject", species="mouse")
    >>> s.species, s.age, s.unit
    ('mouse', None, 'days')
    """

    spec_attributes: ClassVar[tuple[str, ...]] = ()
    spec_defaults: ClassVar[Mapping[str, object]] = {}
    spec_fixed: ClassVar[Mapping[str, object]] = {}

    def __init__(
        self,
        name: str,
        containers: Iterable[Container] | None = None,
        *,
        attributes: dict[str, object] | None = None,
        object_id: str | None = None,
        **values: object,
    ) -> None:
        _check_spec_arguments(type(self), name, values)
        super().__init__(name, containers, attributes=attributes, object_id=object_id)
        _set_spec_values(self, values, stored=attributes)


def _check_spec_arguments(cls: type, name: object, values: Mapping[str, object]) -> None:
    """Raise if ``values`` (keywords given to a generated class) are not spec attributes that
    may be given: attributes with a fixed value are no argument, as in hdmf."""
    fixed: Mapping[str, object] = getattr(cls, "spec_fixed", {})
    allowed: tuple[str, ...] = getattr(cls, "spec_attributes", ())
    given_fixed = sorted(k for k in values if k in fixed)
    if given_fixed:
        wanted = {k: fixed[k] for k in given_fixed}
        msg = (
            f"{cls.__name__} {name!r}: attribute(s) {given_fixed} are fixed by the spec of "
            f"{getattr(cls, 'data_type', cls.__name__)!r} ({wanted}) and are not arguments. "
            f"Hint: leave them out; the object gets the spec's value."
        )
        raise InvalidArgumentTypeError(msg)
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        msg = (
            f"{cls.__name__} {name!r}: unknown argument(s) {unknown}; its spec's "
            f"attributes are {list(allowed)}. Hint: check the spelling, or set other "
            f"attributes after construction."
        )
        raise InvalidArgumentTypeError(msg)


def _set_spec_values(
    obj: Container, values: Mapping[str, object], *, stored: Mapping[str, object] | None = None
) -> None:
    """Give ``obj`` its spec attributes: those given, else the spec's default (or None), and
    the fixed ones (``stored``: the attributes a reader found, which win). A dataset type keeps
    them in its ``attributes`` dict, other types as fields."""
    cls = type(obj)
    defaults: Mapping[str, object] = getattr(cls, "spec_defaults", {})
    fixed: Mapping[str, object] = getattr(cls, "spec_fixed", {})
    out = {
        k: values[k] if k in values else copy.deepcopy(defaults.get(k))
        for k in getattr(cls, "spec_attributes", ())
    }
    for k, v in fixed.items():
        out[k] = stored[k] if stored is not None and k in stored else copy.deepcopy(v)
    if isinstance(obj, Data):
        for k, v in out.items():
            if v is not None:
                obj.attributes.setdefault(k, v)  # given as data's own keywords: those win
        return
    for k, v in out.items():
        setattr(obj, k, v)


def _spec_init(parent: type[Container], spec: GroupSpec | DatasetSpec) -> Callable[..., None]:
    """The ``__init__`` of a generated table or dataset class: the parent's (the nearest not
    generated), plus the spec's attributes as keyword-only arguments (see SpecGroup)."""
    parent_init = parent.__init__
    base_init: Callable[..., None] = getattr(parent_init, "_spec_base_init", parent_init)
    base_sig = inspect.signature(base_init)
    params = dict(base_sig.parameters)
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    attributes = [a for a in spec.attributes if a.name not in _RESERVED]
    own = [a for a in attributes if a.value is None and a.name not in params]

    def __init__(self: Container, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        fixed: Mapping[str, object] = getattr(cls, "spec_fixed", {})
        values = {k: kwargs.pop(k) for k in list(kwargs) if k not in params or k in fixed}
        name = kwargs.get("name", args[0] if args else None)
        for k in [k for k in values if k in fixed and k in params]:
            given = values.pop(k)  # a keyword of the base class (VectorData's unit)
            if given is not None and given != fixed[k]:
                msg = (
                    f"{cls.__name__} {name!r}: {k!r} has the fixed value {fixed[k]!r} in the "
                    f"spec of {cls.data_type!r}, found {given!r}. Hint: leave it out."
                )
                raise InvalidArgumentTypeError(msg)
        if takes_any:  # the base takes any keyword: only the spec's are ours
            ours: tuple[str, ...] = getattr(cls, "spec_attributes", ())
            kwargs.update({k: values.pop(k) for k in list(values) if k not in ours})
        _check_spec_arguments(cls, name, values)
        base_init(self, *args, **kwargs)
        _set_spec_values(self, values)

    extra = [
        inspect.Parameter(
            a.name, inspect.Parameter.KEYWORD_ONLY, default=copy.deepcopy(a.default_value)
        )
        for a in own
    ]
    ordered = list(params.values())
    at = next((i for i, p in enumerate(ordered) if p.kind is p.VAR_KEYWORD), len(ordered))
    __init__.__signature__ = base_sig.replace(  # type: ignore[attr-defined]
        parameters=[*ordered[:at], *extra, *ordered[at:]]
    )
    __init__.__doc__ = base_init.__doc__
    __init__._spec_base_init = base_init  # type: ignore[attr-defined]
    base_args = get_docval(base_init)
    if base_args:  # hdmf-style extensions read it with get_docval
        described = [
            {"name": a.name, "type": None, "doc": a.doc, "default": copy.deepcopy(a.default_value)}
            for a in own
        ]
        set_docval(__init__, {"args": [*base_args, *described]})
    return __init__


def _spec_class_attrs(spec: GroupSpec | DatasetSpec, *, skip: Iterable[str] = ()) -> dict[str, Any]:
    """``spec_attributes``, ``spec_defaults`` and ``spec_fixed`` of a generated class (without
    the attributes named in ``skip``: arguments of the base class)."""
    skipped = {*_RESERVED, *skip}
    attributes = [a for a in spec.attributes if a.name not in skipped]
    return {
        "spec_attributes": tuple(a.name for a in attributes if a.value is None),
        "spec_defaults": {
            a.name: a.default_value for a in attributes if a.default_value is not None
        },
        "spec_fixed": {a.name: a.value for a in attributes if a.value is not None},
    }


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
        if issubclass(parent, DynamicTable):
            assert isinstance(spec, GroupSpec)
            attrs["__columns__"] = self._columns(spec, namespace)
            init = _spec_init(parent, spec)
            skip = inspect.signature(init._spec_base_init).parameters  # type: ignore[attr-defined]
            attrs.update(_spec_class_attrs(spec, skip=skip), __init__=init)
        elif issubclass(parent, Data):
            attrs.update(_spec_class_attrs(spec), __init__=_spec_init(parent, spec))
        elif issubclass(parent, SpecGroup):
            attrs.update(_spec_class_attrs(spec))
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
            if "table" not in entry and "enum" not in entry and _plain_dtype(d.dtype):
                entry["dtype"] = d.dtype  # the type of a required column made of nulls
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


def _plain_dtype(dtype: object) -> bool:
    """Whether a column's spec dtype is a number, text or bool type that a required column not
    given (made of nulls) is typed as (times, bytes, references and compound dtypes are not)."""
    if not isinstance(dtype, str) or dtype in ("isodatetime", "datetime", "date"):
        return False
    try:
        t = parse_dtype(dtype, name="dtype")
    except (HdmfArrowError, TypeError, ValueError):
        return False
    return t is not None and (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_string(t)
        or pa.types.is_boolean(t)
    )


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
