"""Writing extensions: NamespaceBuilder, export_spec and YAML dumps of specs.

The files are those hdmf writes (``<name>.namespace.yaml`` and the spec files it names), with
the ``# hdmf-schema-language=2.0.2`` header, and load in hdmf as well as here.
"""

from __future__ import annotations

import abc
import datetime as dt
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hdmf_arrow.errors import HdmfArrowWarning, SpecError
from hdmf_arrow.spec._checks import _plain
from hdmf_arrow.spec._yaml import dump_yaml, load_yaml
from hdmf_arrow.spec.catalog import _defs
from hdmf_arrow.spec.model import DatasetSpec, GroupSpec
from hdmf_arrow.spec.namespace import SchemaEntry, SpecNamespace

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Mapping, Sequence

    from hdmf_arrow.spec.model import JSON

__all__ = [
    "NamespaceBuilder",
    "SpecWriter",
    "YAMLSpecWriter",
    "dump_specs",
    "export_spec",
    "spec_document",
]


def dump_specs(specs: Iterable[GroupSpec | DatasetSpec]) -> str:
    """The YAML text of a spec file holding ``specs`` (datasets first, then groups).

    :func:`~hdmf_arrow.spec.load_specs` reads it back: ``load_specs(dump_specs(s)) == tuple(s)``
    when the datasets come before the groups.

    Examples
    --------
    >>> print(dump_specs([GroupSpec(doc="my type", data_type_def="MyType")]), end="")
    # hdmf-schema-language=2.0.2
    groups:
    - data_type_def: MyType
      doc: my type
    """
    return dump_yaml(spec_document(specs))


def spec_document(specs: Iterable[GroupSpec | DatasetSpec]) -> dict[str, JSON]:
    """The content of a spec file holding ``specs``, as plain data (what :func:`dump_specs`
    writes as YAML, and hdmf caches in HDF5 files as JSON).

    >>> spec_document([GroupSpec(doc="my type", data_type_def="MyType")])
    {'groups': [{'data_type_def': 'MyType', 'doc': 'my type'}]}
    """
    specs = list(specs)
    out: dict[str, JSON] = {}
    datasets = [s.to_dict() for s in specs if isinstance(s, DatasetSpec)]
    groups = [s.to_dict() for s in specs if isinstance(s, GroupSpec)]
    if datasets:
        out["datasets"] = datasets  # type: ignore[assignment]
    if groups:
        out["groups"] = groups  # type: ignore[assignment]
    return out


@dataclass
class _Source:
    doc: str | None = None
    title: str | None = None
    specs: list[GroupSpec | DatasetSpec] = field(default_factory=list)
    types: list[str] = field(default_factory=list)


class NamespaceBuilder:
    """Builds a namespace and its spec files: ``NamespaceBuilder(doc, name, full_name=None,
    version=None, author=None, contact=None, date=None)``.

    Raises
    ------
    SpecError
        Without a ``version`` (as hdmf: every written namespace has one), or with a name that
        contains whitespace.

    Examples
    --------
    >>> import tempfile
    >>> ns = NamespaceBuilder(doc="My extension", name="my_extension", version="0.1.0")
    >>> ns.include_type("DynamicTable", namespace="hdmf-common")
    >>> ns.add_spec("my_extension.yaml", GroupSpec(doc="trials", data_type_def="Trials",
    ...                                            data_type_inc="DynamicTable"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in ns.export("my_extension.namespace.yaml", outdir=tmp)]
    ['my_extension.yaml', 'my_extension.namespace.yaml']
    """

    def __init__(
        self,
        doc: str,
        name: str,
        full_name: str | None = None,
        version: str | None = None,
        author: str | Sequence[str] | None = None,
        contact: str | Sequence[str] | None = None,
        date: str | dt.date | None = None,
        namespace_cls: type[SpecNamespace] = SpecNamespace,
    ) -> None:
        if version is None:
            msg = (
                f"Namespace {name!r} missing key 'version'. Please specify a version for the "
                "extension."
            )
            raise SpecError(msg)
        self._cls = namespace_cls  # SpecNamespace checks the name
        self._info = SpecNamespace(
            doc=doc,
            name=name,
            schema=(),
            full_name=full_name,
            version=version,
            date=date.isoformat() if isinstance(date, dt.date) else date,
            author=author if author is None or isinstance(author, str) else tuple(author),
            contact=contact if contact is None or isinstance(contact, str) else tuple(contact),
        )
        self._namespaces: dict[str, list[str]] = {}
        self._sources: dict[str, _Source] = {}
        self._defined: dict[str, str] = {}

    @property
    def name(self) -> str:
        """The namespace's name."""
        return self._info.name

    def add_spec(self, source: str, spec: GroupSpec | DatasetSpec) -> None:
        """Add a type definition, to be written to the spec file ``source``.

        Raises
        ------
        SpecError
            When the spec defines no type, or a type that is already added.
        """
        if not isinstance(spec, (GroupSpec, DatasetSpec)) or spec.data_type_def is None:
            msg = (
                f"{source}: add_spec needs a GroupSpec or DatasetSpec defining a type, got {spec!r}"
            )
            raise SpecError(msg)
        for sub in _defs(spec):
            name = str(sub.data_type_def)
            if name in self._defined:
                msg = f"{source}: type {name!r} is already added (to {self._defined[name]})"
                raise SpecError(msg)
        for sub in _defs(spec):
            self._defined[str(sub.data_type_def)] = source
        self.add_source(source)
        self._sources[source].specs.append(spec)

    def add_source(self, source: str, doc: str | None = None, title: str | None = None) -> None:
        """Add a source file to the namespace (with an optional doc and title).

        Raises
        ------
        SpecError
            When ``source`` is a path rather than a file name.
        """
        if not source or "/" in source or source.startswith("."):
            msg = f"source {source!r} must be a file name (no directory, not starting with '.')"
            raise SpecError(msg)
        entry = self._sources.setdefault(source, _Source())
        if doc is not None:
            entry.doc = doc
        if title is not None:
            entry.title = title

    def include_type(
        self, data_type: str, source: str | None = None, namespace: str | None = None
    ) -> None:
        """Include one type from another namespace (or from an existing source file).

        Raises
        ------
        SpecError
            When neither ``source`` nor ``namespace`` is given.
        """
        if source is not None:
            self.add_source(source)
            self._sources[source].types.append(data_type)
        elif namespace is not None:
            self.include_namespace(namespace)
            self._namespaces[namespace].append(data_type)
        else:
            msg = f"include_type({data_type!r}): give 'source' or 'namespace'"
            raise SpecError(msg)

    def include_namespace(self, namespace: str) -> None:
        """Include a whole namespace (all its types, unless include_type limits them)."""
        self._namespaces.setdefault(namespace, [])

    def namespace(self) -> SpecNamespace:
        """The namespace entry as it will be written (without its types)."""
        schema = [
            SchemaEntry(namespace=ns, data_types=tuple(t) or None)
            for ns, t in self._namespaces.items()
        ]
        for source, info in self._sources.items():
            if info.specs and info.types:
                msg = f"{source}: cannot both include types from a source and write specs to it"
                raise SpecError(msg)
            types = tuple(info.types) or None
            schema.append(
                SchemaEntry(source=source, data_types=types, doc=info.doc, title=info.title)
            )
        return self._cls(
            doc=self._info.doc,
            name=self._info.name,
            schema=tuple(schema),
            full_name=self._info.full_name,
            version=self._info.version,
            date=self._info.date,
            author=self._info.author,
            contact=self._info.contact,
        )

    def export(
        self,
        path: str,
        outdir: str | os.PathLike[str] = ".",
        writer: SpecWriter | None = None,
    ) -> tuple[Path, ...]:
        """Write the spec files, then the namespace file ``path``, into ``outdir``.

        Parameters
        ----------
        path
            The namespace file's name.
        outdir
            The folder to write to.
        writer
            hdmf's hook: an object with ``write_spec(spec_file_dict, path)`` and
            ``write_namespace(namespace, path)`` that writes the files instead (in its own
            folder; ``outdir`` is then not used).

        Returns
        -------
        tuple of Path
            The files written, the namespace file last.
        """
        namespace = self.namespace()
        if writer is not None:
            for source, info in self._sources.items():
                if info.specs:
                    writer.write_spec(spec_document(info.specs), source)
            writer.write_namespace(namespace, path)
            folder = Path(getattr(writer, "outdir", "."))
            names = [s for s, info in self._sources.items() if info.specs]
            return tuple(folder / name for name in (*names, path))
        folder = Path(outdir)
        written = []
        for source, info in self._sources.items():
            if info.specs:
                target = folder / source
                target.write_text(dump_specs(info.specs), encoding="utf-8")
                written.append(target)
        target = folder / path
        target.write_text(dump_yaml({"namespaces": [namespace.to_dict()]}), encoding="utf-8")
        written.append(target)
        return tuple(written)


def export_spec(
    ns_builder: NamespaceBuilder,
    new_data_types: Sequence[GroupSpec | DatasetSpec],
    output_dir: str | os.PathLike[str],
) -> tuple[Path, ...]:
    """Write ``<name>.namespace.yaml`` and ``<name>.extensions.yaml`` for new types.

    Parameters
    ----------
    ns_builder
        The namespace (with its includes) to add the types to.
    new_data_types
        The specs of the new types; they go to ``<name>.extensions.yaml``.
    output_dir
        Where to write both files.

    Returns
    -------
    tuple of Path
        The files written (none, with a warning, when there are no types), as hdmf does.

    Examples
    --------
    >>> import tempfile
    >>> ns = NamespaceBuilder(doc="x", name="ndx-x", version="0.1.0")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in export_spec(ns, [GroupSpec(doc="x", data_type_def="X")], tmp)]
    ['ndx-x.extensions.yaml', 'ndx-x.namespace.yaml']
    """
    if len(new_data_types) == 0:
        warnings.warn("No data types specified. Exiting.", HdmfArrowWarning, stacklevel=2)
        return ()
    ns_path = f"{ns_builder.name}.namespace.yaml"
    ext_path = f"{ns_builder.name}.extensions.yaml"
    for spec in new_data_types:
        ns_builder.add_spec(ext_path, spec)
    return ns_builder.export(ns_path, outdir=output_dir)


#: The order of a spec's keys in the files hdmf writes.
_KEY_ORDER = (
    "neurodata_type_def",
    "neurodata_type_inc",
    "data_type_def",
    "data_type_inc",
    "name",
    "default_name",
    "dtype",
    "target_type",
    "dims",
    "shape",
    "default_value",
    "value",
    "doc",
    "required",
    "quantity",
    "attributes",
    "datasets",
    "groups",
    "links",
)


def _json(value: object) -> JSON:
    """Plain data: spec objects and other dicts to dicts, tuples to lists, dates to text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return _plain(value)


class SpecWriter(abc.ABC):
    """What :meth:`NamespaceBuilder.export` accepts as ``writer=`` (hdmf's ``SpecWriter``)."""

    @abc.abstractmethod
    def write_spec(self, spec_file_dict: Mapping[str, object], path: str) -> None:
        """Write one spec file."""

    @abc.abstractmethod
    def write_namespace(self, namespace: Mapping[str, object], path: str) -> None:
        """Write the namespace file."""


class YAMLSpecWriter(SpecWriter):
    """hdmf's spec writer: ``YAMLSpecWriter(outdir='.')`` writes spec and namespace files
    (with the schema-language header) into ``outdir``.

    Examples
    --------
    >>> YAMLSpecWriter.sort_keys({"doc": "d", "dtype": "int", "name": "n"})
    {'name': 'n', 'dtype': 'int', 'doc': 'd'}
    """

    def __init__(self, outdir: str | os.PathLike[str] = ".") -> None:
        self.__outdir = outdir

    @property
    def outdir(self) -> str | os.PathLike[str]:
        """The folder the files go to."""
        return self.__outdir

    def write_spec(self, spec_file_dict: Mapping[str, object], path: str) -> None:
        """Write a spec file (``{'groups': [...], 'datasets': [...]}``) to ``outdir/path``."""
        data = self.sort_keys(_json(spec_file_dict))
        (Path(self.__outdir) / path).write_text(dump_yaml(data), encoding="utf-8")  # type: ignore[arg-type]

    def write_namespace(self, namespace: Mapping[str, object], path: str) -> None:
        """Write a namespace file holding ``namespace`` to ``outdir/path``."""
        plain = namespace.to_dict() if isinstance(namespace, SpecNamespace) else _json(namespace)
        text = dump_yaml({"namespaces": [plain]})
        (Path(self.__outdir) / path).write_text(text, encoding="utf-8")

    def reorder_yaml(self, path: str) -> None:
        """Read the YAML file ``path`` and write it back with the keys in hdmf's order."""
        text = Path(path).read_text(encoding="utf-8")
        self.write_spec(load_yaml(text, source=path), path)

    @staticmethod
    def sort_keys(obj: object) -> object:
        """``obj`` with every mapping's keys in hdmf's order (a type key or the name first)."""
        if isinstance(obj, dict):
            keys = list(obj)
            for key in reversed(_KEY_ORDER):
                if key in keys:
                    keys.remove(key)
                    keys.insert(0, key)
            if "neurodata_type_def" not in keys and "name" in keys:
                keys.remove("name")
                keys.insert(0, "name")
            return {k: YAMLSpecWriter.sort_keys(obj[k]) for k in keys}
        if isinstance(obj, list):
            return [YAMLSpecWriter.sort_keys(v) for v in obj]
        if isinstance(obj, tuple):
            return tuple(YAMLSpecWriter.sort_keys(v) for v in obj)
        return obj
