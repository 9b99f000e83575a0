"""The HDMF schema language: specs, namespaces and extensions (stdlib + PyYAML only).

The names are hdmf's (``hdmf.spec``)::

    from hdmf_arrow.spec import GroupSpec, DatasetSpec, NamespaceBuilder

Spec objects are frozen dataclasses built with hdmf's keyword arguments; YAML is parsed into
them by the ``parse_*`` functions, which name the file, type and key path of any problem
(:class:`~hdmf_arrow.errors.SpecError`). :class:`NamespaceCatalog` loads namespace files and
resolves inheritance; :func:`core_catalog` gives the bundled hdmf-common 1.10.0 and
hdmf-experimental 0.6.0, read on first use.
"""

from hdmf_arrow.spec._spec_catalog import SpecCatalog
from hdmf_arrow.spec.catalog import (
    CORE_NAMESPACE,
    EXP_NAMESPACE,
    NamespaceCatalog,
    NamespaceNotFoundError,
    bundled_specs,
    core_catalog,
)
from hdmf_arrow.spec.dtypes import DTYPE_SYNONYMS, PRIMARY_DTYPES, canonical_dtype, is_allowed_dtype
from hdmf_arrow.spec.load import (
    Location,
    load_specs,
    parse_attribute_spec,
    parse_dataset_spec,
    parse_dtype,
    parse_group_spec,
    parse_link_spec,
    parse_namespace,
    parse_namespace_file,
    parse_ref_spec,
    parse_spec_file,
)
from hdmf_arrow.spec.model import (
    DEF_QUANTITY,
    ONE_OR_MANY,
    ZERO_OR_MANY,
    ZERO_OR_ONE,
    AttributeSpec,
    DatasetSpec,
    DtypeHelper,
    DtypeSpec,
    GroupSpec,
    LinkSpec,
    RefSpec,
)
from hdmf_arrow.spec.namespace import SchemaEntry, SpecNamespace, TypeRecord
from hdmf_arrow.spec.spec import NAME_WILDCARD, Spec
from hdmf_arrow.spec.write import NamespaceBuilder, SpecWriter, dump_specs, export_spec

__all__ = [
    "CORE_NAMESPACE",
    "DEF_QUANTITY",
    "DTYPE_SYNONYMS",
    "EXP_NAMESPACE",
    "NAME_WILDCARD",
    "ONE_OR_MANY",
    "PRIMARY_DTYPES",
    "ZERO_OR_MANY",
    "ZERO_OR_ONE",
    "AttributeSpec",
    "DatasetSpec",
    "DtypeHelper",
    "DtypeSpec",
    "GroupSpec",
    "LinkSpec",
    "Location",
    "NamespaceBuilder",
    "NamespaceCatalog",
    "NamespaceNotFoundError",
    "RefSpec",
    "SchemaEntry",
    "Spec",
    "SpecCatalog",
    "SpecNamespace",
    "SpecWriter",
    "TypeRecord",
    "bundled_specs",
    "canonical_dtype",
    "core_catalog",
    "dump_specs",
    "export_spec",
    "is_allowed_dtype",
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
