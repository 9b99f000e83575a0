"""NamespaceCatalog: loads namespace files, checks their specs and resolves inheritance once.

The bundled hdmf-common and hdmf-experimental namespaces are read on first use only
(:func:`core_catalog`), from the package data, with :mod:`importlib.resources`.
"""

from __future__ import annotations

import functools
import re
import warnings
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from hdmf_arrow.errors import (
    HdmfArrowWarning,
    InvalidArgumentTypeError,
    NamespaceNotFoundError,
    SpecError,
)
from hdmf_arrow.spec import _docval  # noqa: F401  (attaches the constructors' __docval__)
from hdmf_arrow.spec.load import (
    Location,
    SpecClasses,
    _parse_yaml,
    parse_namespace_file,
    parse_spec_file,
)
from hdmf_arrow.spec.model import DatasetSpec, GroupSpec, RefSpec, typed_children
from hdmf_arrow.spec.namespace import SpecNamespace, TypeRecord, check_version
from hdmf_arrow.spec.resolve import Resolver, check_references

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Mapping, Sequence
    from importlib.resources.abc import Traversable

    #: Reads a source file named in a namespace: its label for messages and its top-level specs.
    Reader = Callable[[str], tuple[str, tuple[GroupSpec | DatasetSpec, ...]]]

__all__ = [
    "CORE_NAMESPACE",
    "EXP_NAMESPACE",
    "NamespaceCatalog",
    "NamespaceNotFoundError",
    "bundled_specs",
    "core_catalog",
]

CORE_NAMESPACE = "hdmf-common"
EXP_NAMESPACE = "hdmf-experimental"

Spec = GroupSpec | DatasetSpec
#: What load_namespaces returns: namespace -> {included namespace -> types taken from it}.
LoadResult = dict[str, dict[str, tuple[str, ...]]]


class NamespaceCatalog:
    """The namespaces loaded so far, each with its types resolved.

    Parameters
    ----------
    group_spec_cls, dataset_spec_cls, spec_namespace_cls
        The classes the loaded specs and namespaces are made of (as in hdmf): subclasses of
        GroupSpec, DatasetSpec and SpecNamespace, such as pynwb's ``NWBGroupSpec``. Their
        ``def_key()``/``inc_key()`` and ``types_key()`` name the keys read from the YAML
        files; a subclass's ``__init__`` takes the type keys under those names. Namespaces
        merged in from another catalog keep their own classes.
    core_namespaces
        Names of namespaces treated as core: loading another version of one only warns when
        the other version is newer (as in hdmf).

    Examples
    --------
    >>> catalog = core_catalog()
    >>> catalog.namespaces
    ('hdmf-common', 'hdmf-experimental')
    >>> catalog.get_hierarchy("hdmf-experimental", "EnumData")
    ('EnumData', 'VectorData', 'Data')
    >>> [a.name for a in catalog.get_spec("hdmf-common", "VectorIndex").attributes]
    ['target', 'description']
    """

    def __init__(
        self,
        group_spec_cls: type[GroupSpec] = GroupSpec,
        dataset_spec_cls: type[DatasetSpec] = DatasetSpec,
        spec_namespace_cls: type[SpecNamespace] = SpecNamespace,
        *,
        core_namespaces: Sequence[str] = (),
    ) -> None:
        for cls, base in (
            (group_spec_cls, GroupSpec),
            (dataset_spec_cls, DatasetSpec),
            (spec_namespace_cls, SpecNamespace),
        ):
            if not (isinstance(cls, type) and issubclass(cls, base)):
                msg = (
                    f"NamespaceCatalog: expected {base.__name__} or a subclass of it, found {cls!r}"
                )
                raise InvalidArgumentTypeError(msg)
        self._classes = SpecClasses(group_spec_cls, dataset_spec_cls, spec_namespace_cls)
        self._namespaces: dict[str, SpecNamespace] = {}
        self._core = list(core_namespaces)
        self._paths: dict[str, LoadResult] = {}

    def __repr__(self) -> str:
        return f"NamespaceCatalog(namespaces={self.namespaces!r})"

    @property
    def namespaces(self) -> tuple[str, ...]:
        """The names of the loaded namespaces, in load order."""
        return tuple(self._namespaces)

    @property
    def group_spec_cls(self) -> type[GroupSpec]:
        """The class of the group specs this catalog loads."""
        return self._classes.group

    @property
    def dataset_spec_cls(self) -> type[DatasetSpec]:
        """The class of the dataset specs this catalog loads."""
        return self._classes.dataset

    @property
    def spec_namespace_cls(self) -> type[SpecNamespace]:
        """The class of the namespaces this catalog loads."""
        return self._classes.namespace

    @property
    def core_namespaces(self) -> list[str]:
        """The names treated as core namespaces."""
        return list(self._core)

    def copy(self) -> NamespaceCatalog:
        """A new catalog with the same namespaces (which are immutable, so shared)."""
        classes = self._classes
        new = NamespaceCatalog(
            classes.group, classes.dataset, classes.namespace, core_namespaces=self._core
        )
        new._namespaces = dict(self._namespaces)
        new._paths = dict(self._paths)
        return new

    __copy__ = copy

    def add_namespace(self, name: str, namespace: SpecNamespace) -> None:
        """Add a namespace (built by another catalog).

        Raises
        ------
        SpecError
            When a namespace of that name is already there.
        """
        if name in self._namespaces:
            msg = f"namespace {name!r} already exists in this catalog"
            raise SpecError(msg)
        self._namespaces[name] = namespace

    def merge(self, ns_catalog: NamespaceCatalog) -> None:
        """Add the namespaces (and core namespace names) of another catalog, as hdmf does.

        A namespace already here is kept when it is the same namespace.

        Raises
        ------
        SpecError
            When the other catalog has a different namespace of a name this one has.
        """
        for name, namespace in ns_catalog._namespaces.items():
            mine = self._namespaces.get(name)
            if mine is namespace:
                continue
            self.add_namespace(name, namespace)
        self._core.extend(n for n in ns_catalog._core if n not in self._core)
        self._paths.update(ns_catalog._paths)

    def resolve_all_specs(self) -> None:
        """Make :meth:`get_spec` give resolved specs for namespaces loaded with
        ``resolve=False`` (hdmf's ``resolve_all_specs``).

        The specs were checked and resolved when they were loaded, so this cannot fail.
        """
        for name, namespace in self._namespaces.items():
            if not namespace._resolve:
                self._namespaces[name] = namespace._with_types(namespace._types, resolve=True)

    def get_namespace(self, name: str) -> SpecNamespace:
        """The namespace called ``name``.

        Raises
        ------
        NamespaceNotFoundError
            (a KeyError) when it is not loaded.
        """
        found = self._namespaces.get(name)
        if found is None:
            loaded = ", ".join(self._namespaces) or "none"
            msg = f"{name!r} is not a loaded namespace (loaded: {loaded}); load its file first"
            raise NamespaceNotFoundError(msg)
        return found

    def get_spec(self, namespace: str, data_type: str) -> Spec:
        """The resolved spec of ``data_type`` in ``namespace``.

        Raises
        ------
        NamespaceNotFoundError
            When the namespace is not loaded.
        SpecError
            When the namespace has no such type.
        """
        return self.get_namespace(namespace).get_spec(data_type)

    def get_hierarchy(self, namespace: str, data_type: str) -> tuple[str, ...]:
        """The type and its ancestors in ``namespace``, nearest first."""
        return self.get_namespace(namespace).get_hierarchy(data_type)

    def is_sub_data_type(self, namespace: str, data_type: str, parent_data_type: str) -> bool:
        """Whether ``data_type`` is ``parent_data_type`` or one of its subtypes."""
        return parent_data_type in self.get_hierarchy(namespace, data_type)

    def get_namespace_sources(self, namespace: str) -> tuple[str, ...]:
        """The source files of a namespace (not those of the namespaces it includes)."""
        return tuple(self.get_namespace(namespace).get_source_files())

    def get_source_types(self, namespace: str) -> tuple[str, ...]:
        """The types a namespace defines in its own source files (nested ones included), in
        load order.

        Examples
        --------
        >>> core_catalog().get_source_types("hdmf-experimental")
        ('EnumData',)
        """
        ns = self.get_namespace(namespace)
        return tuple(
            name
            for name in ns.get_registered_types()
            if (record := ns.get_type_record(name)) is not None and record.namespace == namespace
        )

    def get_types(self, source: str) -> tuple[str, ...]:
        """The types defined in the source file ``source`` (by the name its namespace gives
        it), in load order; empty when no loaded namespace has that source.

        Examples
        --------
        >>> core_catalog().get_types("base.yaml")
        ('Data', 'Container', 'SimpleMultiContainer')
        """
        for name in self._namespaces:
            found = [
                t
                for t in self.get_source_types(name)
                if (record := self._namespaces[name].get_type_record(t)) is not None
                and record.source == source
            ]
            if found:
                return tuple(found)
        return ()

    def get_spec_source_dict(self, source: str) -> dict[str, list[Spec]] | None:
        """The top-level specs of a source file as written (not resolved), as
        ``{'datasets': [...], 'groups': [...]}``; None when no loaded namespace has it.

        Examples
        --------
        >>> [s.data_type_def for s in core_catalog().get_spec_source_dict("base.yaml")["groups"]]
        ['Container', 'SimpleMultiContainer']
        """
        for namespace in self._namespaces.values():
            specs = namespace.own_sources().get(source)
            if specs:
                out: dict[str, list[Spec]] = {}
                for spec in specs:
                    key = "datasets" if isinstance(spec, DatasetSpec) else "groups"
                    out.setdefault(key, []).append(spec)
                return out
        return None

    def load_namespaces(
        self, namespace_path: str | os.PathLike[str], *, resolve: bool = True
    ) -> LoadResult:
        """Load the namespaces of a namespace file, and the spec files they name.

        Source files are found next to the namespace file. Namespaces named in ``schema``
        entries must be loaded already (or come earlier in the same file). A namespace that
        is already loaded is skipped: silently with the same version, with a warning
        otherwise (for core namespaces only when the file's version is newer).

        Parameters
        ----------
        namespace_path
            The namespace YAML file.
        resolve
            With False, :meth:`get_spec` gives specs as written (inheritance not merged in);
            they are still checked.

        Returns
        -------
        dict
            For each namespace loaded, the namespaces it includes and the types taken from
            each: ``{'hdmf-experimental': {'hdmf-common': ('AlignedDynamicTable', ...)}}``.

        Raises
        ------
        FileNotFoundError
            When the namespace file does not exist.
        SpecError
            When a namespace or spec file breaks the schema language, naming file, type and
            key path.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> catalog = core_catalog()
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     _ = pathlib.Path(tmp, "ndx-a.yaml").write_text(
        ...         "groups:\\n- data_type_def: A\\n  data_type_inc: DynamicTable\\n  doc: a\\n")
        ...     _ = pathlib.Path(tmp, "ndx-a.namespace.yaml").write_text(
        ...         "namespaces:\\n- name: ndx-a\\n  doc: a\\n  version: 0.1.0\\n  schema:\\n"
        ...         "  - namespace: hdmf-common\\n    data_types: [DynamicTable]\\n"
        ...         "  - source: ndx-a.yaml\\n")
        ...     result = catalog.load_namespaces(pathlib.Path(tmp, "ndx-a.namespace.yaml"))
        >>> result["ndx-a"]["hdmf-common"]  # DynamicTable and the types it needs
        ('Container', 'Data', 'DynamicTable', 'ElementIdentifiers', 'MeaningsTable', 'VectorData')
        """
        path = Path(namespace_path)
        if not path.is_file():
            msg = f"namespace file '{namespace_path}' not found"
            raise FileNotFoundError(msg)
        key = str(path.resolve())
        if key in self._paths:
            return self._paths[key]
        folder = path.parent
        result = self._load_file(
            _read_text(path, str(namespace_path)),
            str(namespace_path),
            _file_reader(folder, self._classes),
            resolve=resolve,
        )
        self._paths[key] = result
        return result

    def load_namespace_documents(
        self,
        namespaces: object,
        sources: Mapping[str, object],
        *,
        origin: str = "<memory>",
        resolve: bool = True,
    ) -> LoadResult:
        """Load namespaces from parsed documents rather than files.

        Parameters
        ----------
        namespaces
            The content of a namespace file: ``{"namespaces": [...]}``.
        sources
            The content of each source file, by the name the schema entries use.
        origin
            How messages name where the documents come from (a store path, say).

        Examples
        --------
        >>> catalog = core_catalog()
        >>> ns = {"namespaces": [{"name": "ndx-x", "doc": "x", "version": "0.1.0",
        ...        "schema": [{"namespace": "hdmf-common"}, {"source": "x.yaml"}]}]}
        >>> src = {"x.yaml": {"groups": [{"data_type_def": "Trials",
        ...        "data_type_inc": "DynamicTable", "doc": "trials"}]}}
        >>> catalog.load_namespace_documents(ns, src)["ndx-x"]["hdmf-common"][:2]
        ('AlignedDynamicTable', 'CSRMatrix')
        >>> catalog.get_hierarchy("ndx-x", "Trials")
        ('Trials', 'DynamicTable', 'Container')
        """

        def read(source: str) -> tuple[str, tuple[Spec, ...]]:
            label = f"{origin}/{source}"
            if source not in sources:
                msg = f"{origin}: no document for source {source!r}"
                raise SpecError(msg)
            return label, parse_spec_file(sources[source], label, classes=self._classes)

        entries = parse_namespace_file(namespaces, f"{origin}/namespace", classes=self._classes)
        return self._load_entries(entries, f"{origin}/namespace", read, resolve=resolve)

    # -- loading -------------------------------------------------------------------------

    def _load_file(self, text: str, label: str, read: Reader, *, resolve: bool) -> LoadResult:
        entries = parse_namespace_file(_parse_yaml(text, label), label, classes=self._classes)
        return self._load_entries(entries, label, read, resolve=resolve)

    def _load_entries(
        self,
        entries: Sequence[SpecNamespace],
        label: str,
        read: Reader,
        *,
        resolve: bool,
    ) -> LoadResult:
        result: LoadResult = {}
        ignored: list[tuple[str, str]] = []
        for entry in entries:
            loaded = self._namespaces.get(entry.name)
            if loaded is not None:
                if loaded.version != entry.version and self._should_warn(entry, loaded):
                    versions = f"cached version: {entry.version}, loaded version: {loaded.version}"
                    ignored.append((entry.name, f"{entry.name} - {versions}"))
                continue
            if entry.get("version") in (None, "None"):
                entry["version"] = check_version(entry.get("version"), entry.name, stacklevel=4)
            namespace, included = _build_namespace(
                entry, label, read, self._namespaces, resolve=resolve
            )
            self._namespaces[entry.name] = namespace
            result[entry.name] = included
            if entry.name not in self._core:
                self._warn_conflicts(namespace)
        if ignored:
            self._warn_ignored(ignored)
        return result

    def _warn_conflicts(self, namespace: SpecNamespace) -> None:
        """hdmf's warning when an extension's type redefines a link of the core type it
        extends as an attribute, or as a link to a type that is not a subtype of the target."""
        found = []
        for name in self.get_source_types(namespace.name):
            record = namespace.get_type_record(name)
            if record is None or record.spec.data_type_inc is None:
                continue
            core = next(
                (
                    r
                    for parent in namespace.get_hierarchy(name)[1:]
                    if (r := namespace.get_type_record(parent)) is not None
                    and r.namespace in self._core
                ),
                None,
            )
            if core is not None and isinstance(core.resolved, GroupSpec):
                conflict = _conflict(namespace, record.spec, core.resolved)
                if conflict is not None:
                    found.append(conflict)
        if found:
            msg = (
                f"Schema conflict(s) detected in namespace {namespace.name!r}: \n "
                + "\n".join(found)
                + " \nThis may cause compatibility issues. Please update the extension version if "
                "possible or install an older version of the core schema that is compatible."
            )
            warnings.warn(msg, HdmfArrowWarning, stacklevel=4)

    def _warn_ignored(self, pairs: list[tuple[str, str]]) -> None:
        """hdmf's warning for namespaces skipped because another version is loaded (each pair:
        the namespace and its versions line)."""
        core = [line for name, line in pairs if name in self._core]
        other = [line for name, line in pairs if name not in self._core]
        parts = []
        if core:
            parts.append("\n".join(core) + "\nPlease update to the latest package versions.")
        if other:
            parts.append(
                "\n".join(other) + "\nThe loaded extension(s) may not be compatible with the "
                "cached extension(s) in the file. Please check the extension documentation and "
                "ignore this warning if these versions are compatible."
            )
        msg = (
            "Ignoring the following cached namespace(s) because another version is already "
            "loaded:\n" + "\n".join(parts)
        )
        warnings.warn(msg, HdmfArrowWarning, stacklevel=4)

    def _should_warn(self, entry: SpecNamespace, loaded: SpecNamespace) -> bool:
        if entry.name not in self._core:
            return True
        return _version_key(entry.version) > _version_key(loaded.version)


def _conflict(namespace: SpecNamespace, spec: Spec, core: GroupSpec) -> str | None:
    """The first clash between an extension type's own parts and its core parent's links."""
    links = {link.name: link for link in core.links if link.name is not None}
    who = f"{namespace.name} defines {spec.data_type_def}"
    for attribute in spec.attributes:
        link = links.get(attribute.name)
        if link is not None:
            return (
                f"{who}.{attribute.name} as an attribute (dtype: {attribute.dtype}) while the "
                f"core schema defines it as a link to {link.target_type}."
            )
    for own in spec.links if isinstance(spec, GroupSpec) else ():
        link = links.get(own.name) if own.name is not None else None
        if link is not None and link.target_type not in namespace.get_hierarchy(own.target_type):
            return (
                f"{who}.{own.name} as a link to {own.target_type} while the core schema defines "
                f"it as a link to {link.target_type}. {own.target_type} is not a subtype of "
                f"{link.target_type}. "
            )
    return None


def _version_key(version: str | None) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version or ""))


def _file_reader(folder: Path | Traversable, classes: SpecClasses | None = None) -> Reader:
    def read(source: str) -> tuple[str, tuple[Spec, ...]]:
        target = Path(source) if Path(source).is_absolute() else folder / source
        label = str(target) if isinstance(folder, Path) else f"hdmf_arrow/_specs/{source}"
        try:
            text = _read_text(target, label)
        except OSError as e:
            msg = f"{label}: cannot read the spec file: {e}"
            raise SpecError(msg) from None
        parsed = _parse_yaml(text, label)
        return label, parse_spec_file(parsed, label, classes=classes or SpecClasses())

    return read


def _read_text(path: Path | Traversable, label: str) -> str:
    """A spec file's text; SpecError (naming the file, quoting none of it) if it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        msg = f"{label}: not UTF-8 text (byte {e.start}: {e.reason}); spec files are UTF-8 YAML"
        raise SpecError(msg) from None


def _defs(spec: Spec) -> list[Spec]:
    """The spec and every nested spec that defines a type, parents first."""
    out: list[Spec] = [spec] if spec.data_type_def is not None else []
    for child in typed_children(spec):
        out.extend(_defs(child))
    return out


def _dependencies(spec: Spec) -> list[str]:
    """The types a spec needs: its parent, its children's types, link and reference targets."""
    out: list[str] = []
    if spec.data_type_inc is not None:
        out.append(spec.data_type_inc)
    for attribute in spec.attributes:
        out.extend(_ref_targets(attribute.dtype))
    if isinstance(spec, DatasetSpec):
        out.extend(_ref_targets(spec.dtype))
    if isinstance(spec, GroupSpec):
        out.extend(str(link.target_type) for link in spec.links)
    for child in typed_children(spec):
        if child.data_type_def is not None:
            out.append(child.data_type_def)
        out.extend(_dependencies(child))
    return out


def _ref_targets(dtype: object) -> list[str]:
    if isinstance(dtype, RefSpec):
        return [dtype.target_type]
    if isinstance(dtype, tuple):
        return [t for field in dtype for t in _ref_targets(field.dtype)]
    return []


def _build_namespace(
    entry: SpecNamespace,
    label: str,
    read: Reader,
    loaded: Mapping[str, SpecNamespace],
    *,
    resolve: bool,
) -> tuple[SpecNamespace, dict[str, tuple[str, ...]]]:
    """Read a namespace's sources, take its included types, check and resolve everything."""
    own: dict[str, tuple[Spec, str]] = {}
    labels: dict[str, str] = {}  # source file -> how messages name it
    imported: dict[str, TypeRecord] = {}
    order: list[str] = []
    included: dict[str, tuple[str, ...]] = {}
    for i, item in enumerate(entry.schema):
        at = Location(label, None, f"namespace {entry.name!r}.schema[{i}]")
        if item.source is not None:
            labels[item.source], specs = read(item.source)
            wanted = set(item.data_types) if item.data_types is not None else None
            for spec in specs:
                if wanted is not None and spec.data_type_def not in wanted:
                    continue
                for sub in _defs(spec):
                    name = str(sub.data_type_def)
                    if name in own:
                        where = Location(labels[item.source], name)
                        msg = f"type {name!r} is defined twice (also in {labels[own[name][1]]})"
                        raise where.error(msg)
                    own[name] = (sub, item.source)
                    order.append(name)
            missing = sorted((wanted or set()) - set(own))
            if missing:
                msg = f"{item.source} does not define {missing}"
                raise at.key("data_types").error(msg)
            continue
        ns_name = str(item.namespace)
        source_ns = loaded.get(ns_name)
        if source_ns is None:
            known = ", ".join(loaded) or "none"
            msg = f"namespace {ns_name!r} is not loaded (loaded: {known}); load it before this one"
            raise at.key("namespace").error(msg)
        types = item.data_types if item.data_types is not None else source_ns.get_registered_types()
        taken: set[str] = set()
        stack = list(reversed(types))
        while stack:
            name = stack.pop()
            if name in taken:
                continue
            record = source_ns.get_type_record(name)
            if record is None:
                msg = f"namespace {ns_name!r} has no type {name!r}"
                raise at.key("data_types").error(msg)
            previous = imported.get(name)
            if previous is not None and previous != record:
                msg = (
                    f"type {name!r} comes from two different definitions: {previous.namespace} "
                    f"({previous.source}) and {record.namespace} ({record.source})"
                )
                raise at.error(msg)
            if previous is None:
                imported[name] = record
                order.append(name)
            taken.add(name)
            stack.extend(reversed(_dependencies(record.spec)))
        included[ns_name] = tuple(sorted(taken))
    for name, (_, source) in own.items():
        if name in imported:
            other = imported[name]
            msg = (
                f"type {name!r} is already defined in namespace {other.namespace!r} "
                f"({other.source}); a type can be defined once: rename it or drop the definition"
            )
            raise Location(labels[source], name).error(msg)
    records = _resolve(entry.name, own, labels, imported)
    table = {name: records[name] if name in records else imported[name] for name in _unique(order)}
    return entry._with_types(table, resolve=resolve), included


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _resolve(
    ns_name: str,
    own: Mapping[str, tuple[Spec, str]],
    labels: Mapping[str, str],
    imported: Mapping[str, TypeRecord],
) -> dict[str, TypeRecord]:
    """Check the references and inheritance chains of the own types, then resolve them."""
    kinds: dict[str, type] = {n: _kind(r.spec) for n, r in imported.items()}
    kinds.update({n: _kind(s) for n, (s, _) in own.items()})
    parents: dict[str, str | None] = {n: r.spec.data_type_inc for n, r in imported.items()}
    parents.update({n: s.data_type_inc for n, (s, _) in own.items()})
    for name, (spec, source) in own.items():
        loc = Location(labels[source], name)
        check_references(spec, loc, kinds)
        chain = [name]
        parent = parents.get(name)
        while parent is not None:
            if parent in chain:
                path = " -> ".join([*chain, parent])
                msg = f"circular inheritance: {path}"
                raise loc.key("data_type_inc").error(msg)
            chain.append(parent)
            parent = parents.get(parent)
    located = {n: (spec, labels[source]) for n, (spec, source) in own.items()}
    resolved = Resolver(
        located, {n: r.resolved for n, r in imported.items()}, parents
    ).resolve_all()
    for spec in resolved.values():
        _mark_resolved(spec)
    return {n: TypeRecord(spec, resolved[n], source, ns_name) for n, (spec, source) in own.items()}


def _mark_resolved(spec: Spec) -> None:
    """Set hdmf's ``resolved`` flag on a resolved spec and its typed parts."""
    spec._flag = True
    for child in typed_children(spec):
        _mark_resolved(child)


def bundled_specs() -> Traversable:
    """The directory of the bundled namespace files (``namespace.yaml`` and its sources).

    Examples
    --------
    >>> bundled_specs().joinpath("namespace.yaml").read_text().splitlines()[0]
    '# hdmf-schema-language=2.0.2'
    """
    return resources.files("hdmf_arrow").joinpath("_specs")


@functools.cache
def _core_namespaces() -> tuple[SpecNamespace, ...]:
    catalog = NamespaceCatalog(core_namespaces=[CORE_NAMESPACE, EXP_NAMESPACE])
    folder = bundled_specs()
    text = folder.joinpath("namespace.yaml").read_text(encoding="utf-8")
    catalog._load_file(text, "hdmf_arrow/_specs/namespace.yaml", _file_reader(folder), resolve=True)
    return tuple(catalog._namespaces.values())


def core_catalog() -> NamespaceCatalog:
    """A new catalog holding hdmf-common 1.10.0 and hdmf-experimental 0.6.0.

    The bundled YAML is read and resolved once, on the first call; each call returns a new
    catalog (so loading extensions into it leaves other callers' catalogs alone).

    Examples
    --------
    >>> core_catalog().get_namespace("hdmf-common").version
    '1.10.0'
    """
    catalog = NamespaceCatalog(core_namespaces=[CORE_NAMESPACE, EXP_NAMESPACE])
    for namespace in _core_namespaces():
        catalog.add_namespace(namespace.name, namespace)
    return catalog


def _kind(spec: Spec) -> type:
    """GroupSpec or DatasetSpec (a custom spec class counts as the class it extends)."""
    return GroupSpec if isinstance(spec, GroupSpec) else DatasetSpec
