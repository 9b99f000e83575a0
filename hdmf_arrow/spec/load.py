"""``parse_*``: untrusted YAML data (dicts and lists) into spec objects.

Every function checks the keys it is given (unknown keys, missing ``doc``, wrong value types)
and raises :class:`~hdmf_arrow.errors.SpecError` with the file, the data type and the key path:
``"ext.yaml: type 'TrialsTable', datasets[2].quantity: expected 1, '?', '*', '+' or a positive
integer, found 'many'"``. The keys ``neurodata_type_def``/``neurodata_type_inc`` (NWB's names)
are read as ``data_type_def``/``data_type_inc``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from hdmf_arrow.errors import SpecError
from hdmf_arrow.spec._checks import _FieldError, _Problem
from hdmf_arrow.spec._yaml import load_yaml
from hdmf_arrow.spec.model import (
    AttributeSpec,
    DatasetSpec,
    DtypeSpec,
    GroupSpec,
    LinkSpec,
    RefSpec,
    check_dataset_dtype,
    check_simple_dtype,
    construct_spec,
)
from hdmf_arrow.spec.namespace import SchemaEntry, SpecNamespace


@dataclass(frozen=True, slots=True)
class SpecClasses:
    """The classes loaded specs are made of (hdmf's ``NamespaceCatalog(group_spec_cls,
    dataset_spec_cls, spec_namespace_cls)``): subclasses of ours, which may name the type keys
    differently (``def_key()``, ``inc_key()``, ``types_key()``), as pynwb's do."""

    group: type[GroupSpec] = GroupSpec
    dataset: type[DatasetSpec] = DatasetSpec
    namespace: type[SpecNamespace] = SpecNamespace

    def aliases(self, cls: type[GroupSpec | DatasetSpec]) -> dict[str, str]:
        """The spec keys of ``cls`` that mean ``data_type_def``/``data_type_inc``."""
        out = dict(_ALIASES)
        for theirs, ours in ((cls.def_key(), "data_type_def"), (cls.inc_key(), "data_type_inc")):
            if theirs != ours:
                out[theirs] = ours
        return out


_DEFAULT_CLASSES = SpecClasses()

if TYPE_CHECKING:
    from hdmf_arrow.spec.model import AttrDtype, DatasetDtype

__all__ = [
    "Location",
    "load_specs",
    "parse_attribute_spec",
    "parse_dataset_spec",
    "parse_dtype",
    "parse_group_spec",
    "parse_link_spec",
    "parse_namespace",
    "parse_namespace_file",
    "parse_ref_spec",
    "parse_spec_file",
]

_T = TypeVar("_T")

_ATTRIBUTE_KEYS = ("name", "doc", "dtype", "shape", "dims", "required", "value", "default_value")
_STORAGE_KEYS: tuple[str, ...] = (
    "doc",
    "name",
    "default_name",
    "attributes",
    "linkable",
    "quantity",
)
_STORAGE_KEYS += ("data_type_def", "data_type_inc")
_DATASET_KEYS = (*_STORAGE_KEYS, "dtype", "shape", "dims", "default_value", "value")
_GROUP_KEYS = (*_STORAGE_KEYS, "groups", "datasets", "links")
_LINK_KEYS = ("doc", "target_type", "quantity", "name")
_ALIASES = {"neurodata_type_def": "data_type_def", "neurodata_type_inc": "data_type_inc"}
_NAMESPACE_KEYS = ("name", "doc", "schema", "full_name", "version", "date", "author", "contact")
_SCHEMA_KEYS = ("source", "namespace", "data_types", "doc", "title")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value sits: a file (or other origin), the data type, and the key path in it."""

    file: str
    data_type: str | None = None
    path: str = ""

    def key(self, key: str) -> Location:
        """The location of ``key`` inside this one."""
        return Location(self.file, self.data_type, f"{self.path}.{key}" if self.path else key)

    def index(self, i: int) -> Location:
        """The location of item ``i`` of the list here."""
        return Location(self.file, self.data_type, f"{self.path}[{i}]")

    def of_type(self, data_type: str | None) -> Location:
        """This location, attributed to a data type (path reset to the type)."""
        return Location(self.file, data_type, "") if data_type else self

    def __str__(self) -> str:
        """``file: type 'T', path`` (the parts that are known)."""
        where = self.file
        if self.data_type is not None:
            where += f": type {self.data_type!r}"
            return f"{where}, {self.path}" if self.path else where
        return f"{where}: {self.path}" if self.path else where

    def error(self, problem: str) -> SpecError:
        """A SpecError for a problem found here (``raise loc.error(...)``)."""
        return SpecError(f"{self}: {problem}")


def _keys(
    data: object,
    loc: Location,
    allowed: tuple[str, ...],
    what: str,
    *,
    doc: bool = True,
    aliases: Mapping[str, str] = _ALIASES,
) -> dict[str, Any]:
    """``data`` as a dict with NWB's key names mapped to ours; unknown keys are errors."""
    if not isinstance(data, Mapping):
        msg = f"expected a mapping for {what}, found {data!r}"
        raise loc.error(msg)
    out: dict[str, Any] = {}
    spelled: dict[str, str] = {}  # our key name -> the key it was given as
    for key, value in data.items():
        name = aliases.get(key, key) if isinstance(key, str) else key
        if name not in allowed:
            known = ", ".join(allowed)
            msg = f"unknown key in {what} (allowed: {known})"
            raise loc.key(str(key)).error(msg)
        if name in out:
            msg = f"{name!r} is given twice (as {spelled[name]!r} and {key!r})"
            raise loc.key(str(key)).error(msg)
        out[name] = value
        spelled[name] = str(key)
    if doc and "doc" in allowed and "doc" not in out:
        msg = f"missing: every {what} needs a 'doc'"
        raise loc.key("doc").error(msg)
    return out


def _require(kw: Mapping[str, Any], loc: Location, *keys: str) -> None:
    for key in keys:
        if key not in kw:
            msg = "missing"
            raise loc.key(key).error(msg)


def _list(value: object, loc: Location) -> list[Any]:
    if not isinstance(value, list):
        msg = f"expected a list, found {value!r}"
        raise loc.error(msg)
    return value


def _build(cls: type[_T], kw: dict[str, Any], loc: Location) -> _T:
    try:
        return construct_spec(cls, kw)  # type: ignore[type-var,no-any-return]
    except _FieldError as e:
        raise loc.key(e.key).error(e.problem) if e.key else loc.error(e.problem) from None


def parse_ref_spec(data: object, loc: Location) -> RefSpec:
    """A ``{target_type, reftype}`` mapping into a :class:`RefSpec`.

    Examples
    --------
    >>> parse_ref_spec({"target_type": "DynamicTable", "reftype": "object"}, Location("x.yaml"))
    RefSpec(target_type='DynamicTable', reftype='object')
    """
    kw = _keys(data, loc, ("target_type", "reftype"), "reference dtype")
    _require(kw, loc, "target_type", "reftype")
    return _build(RefSpec, kw, loc)


def parse_dtype(data: object, loc: Location, *, compound: bool = False) -> DatasetDtype:
    """A dtype: a name, a reference mapping, or (when ``compound``) a list of fields.

    Examples
    --------
    >>> parse_dtype({"target_type": "VectorData", "reftype": "object"}, Location("x.yaml"))
    RefSpec(target_type='VectorData', reftype='object')
    >>> parse_dtype("many", Location("x.yaml", "Foo", "dtype"))
    Traceback (most recent call last):
    ...
    hdmf_arrow.errors.SpecError: x.yaml: type 'Foo', dtype: unknown dtype 'many'; ...
    """
    if isinstance(data, Mapping):
        return parse_ref_spec(data, loc)
    if isinstance(data, list) and compound:
        fields = []
        for i, item in enumerate(data):
            where = loc.index(i)
            kw = _keys(item, where, ("name", "doc", "dtype"), "compound dtype field")
            _require(kw, where, "name", "dtype")
            kw["dtype"] = parse_dtype(kw["dtype"], where.key("dtype"))
            fields.append(_build(DtypeSpec, kw, where))
        data = fields
    try:
        return check_dataset_dtype(data) if compound else check_simple_dtype(data)
    except _Problem as p:
        raise loc.error(p.problem) from None


def parse_attribute_spec(data: object, loc: Location) -> AttributeSpec:
    """A mapping into an :class:`AttributeSpec`.

    Examples
    --------
    >>> parse_attribute_spec({"name": "colnames", "dtype": "text", "shape": [None], "doc": "x"},
    ...                      Location("x.yaml", "MyTable", "attributes[0]")).dims
    ('dim_0',)
    >>> parse_attribute_spec({"name": "colnames", "doc": "x"}, Location("x.yaml", "MyTable",
    ...                      "attributes[0]"))
    Traceback (most recent call last):
    ...
    hdmf_arrow.errors.SpecError: x.yaml: type 'MyTable', attributes[0].dtype: missing
    """
    kw = _keys(data, loc, _ATTRIBUTE_KEYS, "attribute")
    _require(kw, loc, "name", "dtype")
    dtype: AttrDtype = parse_dtype(kw["dtype"], loc.key("dtype"))  # type: ignore[assignment]
    kw["dtype"] = dtype
    return _build(AttributeSpec, kw, loc)


def _parse_storage(kw: dict[str, Any], loc: Location) -> None:
    if "attributes" in kw:
        where = loc.key("attributes")
        kw["attributes"] = [
            parse_attribute_spec(a, where.index(i))
            for i, a in enumerate(_list(kw["attributes"], where))
        ]


def parse_dataset_spec(
    data: object, loc: Location | None = None, *, classes: SpecClasses = _DEFAULT_CLASSES
) -> DatasetSpec:
    """A mapping into a :class:`DatasetSpec`.

    Examples
    --------
    >>> parse_dataset_spec({"name": "data", "dtype": "float", "doc": "x"})
    DatasetSpec(doc='x', dtype='float', name='data', ...)
    """
    loc = loc if loc is not None else Location("<dict>")
    kw = _keys(data, loc, _DATASET_KEYS, "dataset spec", aliases=classes.aliases(classes.dataset))
    if loc.data_type is None and not loc.path and isinstance(kw.get("data_type_def"), str):
        loc = loc.of_type(kw["data_type_def"])
    _parse_storage(kw, loc)
    if "dtype" in kw and kw["dtype"] is not None:
        kw["dtype"] = parse_dtype(kw["dtype"], loc.key("dtype"), compound=True)
    return _build(classes.dataset, kw, loc)


def parse_link_spec(data: object, loc: Location) -> LinkSpec:
    """A mapping into a :class:`LinkSpec`.

    Examples
    --------
    >>> parse_link_spec({"target_type": "Device", "doc": "the device", "name": "device"},
    ...                 Location("x.yaml")).target_type
    'Device'
    """
    kw = _keys(data, loc, _LINK_KEYS, "link spec")
    _require(kw, loc, "target_type")
    return _build(LinkSpec, kw, loc)


def parse_group_spec(
    data: object, loc: Location | None = None, *, classes: SpecClasses = _DEFAULT_CLASSES
) -> GroupSpec:
    """A mapping into a :class:`GroupSpec` (with its children).

    Examples
    --------
    >>> spec = parse_group_spec({"data_type_def": "MyType", "doc": "x",
    ...                          "datasets": [{"name": "d", "doc": "y", "quantity": "many"}]})
    Traceback (most recent call last):
    ...
    hdmf_arrow.errors.SpecError: <dict>: type 'MyType', datasets[0].quantity: expected 1, ...
    """
    loc = loc if loc is not None else Location("<dict>")
    kw = _keys(data, loc, _GROUP_KEYS, "group spec", aliases=classes.aliases(classes.group))
    if loc.data_type is None and not loc.path and isinstance(kw.get("data_type_def"), str):
        loc = loc.of_type(kw["data_type_def"])
    _parse_storage(kw, loc)
    parsers: dict[str, Any] = {
        "datasets": functools.partial(parse_dataset_spec, classes=classes),
        "groups": functools.partial(parse_group_spec, classes=classes),
        "links": parse_link_spec,
    }
    for key, parse in parsers.items():
        if key in kw:
            where = loc.key(key)
            kw[key] = [parse(c, where.index(i)) for i, c in enumerate(_list(kw[key], where))]
    return _build(classes.group, kw, loc)


def parse_spec_file(
    data: object, file: str, *, classes: SpecClasses = _DEFAULT_CLASSES
) -> tuple[DatasetSpec | GroupSpec, ...]:
    """The top-level specs of a spec file (``{datasets: [...], groups: [...]}``).

    Datasets come first, then groups, as hdmf loads them. Each top-level spec must define a
    type (``data_type_def``).

    Examples
    --------
    >>> parse_spec_file({"groups": [{"data_type_def": "A", "doc": "a"}],
    ...                  "datasets": [{"data_type_def": "B", "doc": "b"}]}, "x.yaml")
    (DatasetSpec(doc='b', ...), GroupSpec(doc='a', ...))
    >>> parse_spec_file({"groups": [{"name": "a", "doc": "a"}]}, "x.yaml")
    Traceback (most recent call last):
    ...
    hdmf_arrow.errors.SpecError: x.yaml: groups[0]: a top-level spec must define a type ...
    """
    loc = Location(file)
    kw = _keys(data, loc, ("datasets", "groups"), "spec file")
    if not kw:
        msg = "a spec file needs a 'groups' or 'datasets' list"
        raise loc.error(msg)
    out: list[DatasetSpec | GroupSpec] = []
    for key in ("datasets", "groups"):
        value = kw.get(key)
        items = [] if value is None else _list(value, loc.key(key))
        for i, item in enumerate(items):
            where = Location(file, None, f"{key}[{i}]")
            dt = _def_of(item, classes)
            if dt is None:
                msg = "a top-level spec must define a type ('data_type_def')"
                raise where.error(msg)
            spec_loc = where.of_type(dt)
            spec = (
                parse_dataset_spec(item, spec_loc, classes=classes)
                if key == "datasets"
                else parse_group_spec(item, spec_loc, classes=classes)
            )
            out.append(spec)
    return tuple(out)


def _def_of(item: object, classes: SpecClasses = _DEFAULT_CLASSES) -> str | None:
    if isinstance(item, Mapping):
        keys = ("data_type_def", "neurodata_type_def", classes.group.def_key(),
                classes.dataset.def_key())  # fmt: skip
        dt = next((item[k] for k in keys if k in item), None)
        return dt if isinstance(dt, str) else None
    return None


def load_specs(text: str, *, file: str = "<string>") -> tuple[DatasetSpec | GroupSpec, ...]:
    """The top-level specs of a spec file given as YAML text (see :func:`parse_spec_file`).

    Examples
    --------
    >>> (spec,) = load_specs("groups:\\n- data_type_def: MyType\\n  doc: my type\\n")
    >>> spec.data_type_def
    'MyType'
    """
    return parse_spec_file(_parse_yaml(text, file), file)


def _parse_yaml(text: str, file: str) -> object:
    """The YAML of ``file``; SpecError naming the file and line when it is not YAML."""
    return load_yaml(text, source=file)


def _str_or_list(value: object, loc: Location) -> str | tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    msg = f"expected a string or a list of strings, found {value!r}"
    raise loc.error(msg)


def _opt_str(value: object, loc: Location) -> str | None:
    if value is None or isinstance(value, str):
        return value
    msg = f"expected a string, found {value!r}"
    raise loc.error(msg)


def parse_namespace(
    data: object, loc: Location, *, classes: SpecClasses = _DEFAULT_CLASSES
) -> SpecNamespace:
    """One entry of a namespace file's ``namespaces`` list into a :class:`SpecNamespace`.

    The namespace has no types yet; :class:`~hdmf_arrow.spec.NamespaceCatalog` adds them.

    Examples
    --------
    >>> parse_namespace({"name": "ndx-a", "doc": "a", "version": "1.0", "schema": []},
    ...                 Location("ns.yaml")).version
    '1.0'
    """
    kw = _keys(data, loc, _NAMESPACE_KEYS, "namespace")
    _require(kw, loc, "name", "schema")
    name = kw["name"]
    if not isinstance(name, str) or not name or any(c.isspace() for c in name):
        msg = f"expected a name without whitespace, found {name!r}"
        raise loc.key("name").error(msg)
    loc = Location(loc.file, None, f"namespace {name!r}")
    schema: list[SchemaEntry] = []
    where = loc.key("schema")
    for i, item in enumerate(_list(kw["schema"], where)):
        at = where.index(i)
        types_key = classes.namespace.types_key()
        aliases = {types_key: "data_types"} if types_key != "data_types" else {}
        entry = _keys(item, at, _SCHEMA_KEYS, "schema entry", doc=False, aliases=aliases)
        if ("source" in entry) == ("namespace" in entry):
            msg = "a schema entry needs exactly one of 'source' and 'namespace'"
            raise at.error(msg)
        types = entry.get("data_types")
        if types is not None and not (
            isinstance(types, list) and all(isinstance(t, str) for t in types)
        ):
            msg = f"expected a list of type names, found {types!r}"
            raise at.key("data_types").error(msg)
        schema.append(
            SchemaEntry(
                source=_opt_str(entry.get("source"), at.key("source")),
                namespace=_opt_str(entry.get("namespace"), at.key("namespace")),
                data_types=tuple(types) if types is not None else None,
                doc=_opt_str(entry.get("doc"), at.key("doc")),
                title=_opt_str(entry.get("title"), at.key("title")),
            )
        )
    version = kw.get("version")
    if isinstance(version, list) and all(isinstance(v, int) for v in version):
        version = ".".join(str(v) for v in version)
    date = kw.get("date")
    if date is not None and not isinstance(date, str):
        date = str(date)
    return classes.namespace(
        doc=str(_opt_str(kw["doc"], loc.key("doc"))),
        name=name,
        schema=tuple(schema),
        full_name=_opt_str(kw.get("full_name"), loc.key("full_name")),
        version=_opt_str(version, loc.key("version")),
        date=date,
        author=_str_or_list(kw.get("author"), loc.key("author")),
        contact=_str_or_list(kw.get("contact"), loc.key("contact")),
    )


def parse_namespace_file(
    data: object, file: str, *, classes: SpecClasses = _DEFAULT_CLASSES
) -> tuple[SpecNamespace, ...]:
    """The namespaces of a namespace file (``{namespaces: [...]}``), in file order.

    Examples
    --------
    >>> (ns,) = parse_namespace_file({"namespaces": [{"name": "ndx-a", "doc": "a",
    ...     "version": "0.1.0", "schema": [{"namespace": "hdmf-common"}, {"source": "a.yaml"}]}]},
    ...     "a.namespace.yaml")
    >>> ns.name, ns.get_source_files()
    ('ndx-a', ['a.yaml'])
    """
    loc = Location(file)
    kw = _keys(data, loc, ("namespaces",), "namespace file")
    if "namespaces" not in kw:
        msg = "no 'namespaces' list found"
        raise loc.error(msg)
    where = loc.key("namespaces")
    namespaces = tuple(
        parse_namespace(n, where.index(i), classes=classes)
        for i, n in enumerate(_list(kw["namespaces"], where))
    )
    names = [n.name for n in namespaces]
    for name in names:
        if names.count(name) > 1:
            msg = f"namespace {name!r} is defined twice"
            raise loc.error(msg)
    return namespaces
