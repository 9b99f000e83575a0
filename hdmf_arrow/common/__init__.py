"""The HDMF common data model on Apache Arrow: ``from hdmf_arrow.common import DynamicTable``."""

from hdmf_arrow.common._aligned import AlignedDynamicTable
from hdmf_arrow.common._container import (
    CORE_NAMESPACE,
    EXP_NAMESPACE,
    Container,
    check_object_id,
)
from hdmf_arrow.common._data import Data, ElementIdentifiers, VectorData, VectorIndex
from hdmf_arrow.common._enum import EnumData
from hdmf_arrow.common._generic import Dataset, Group, Link
from hdmf_arrow.common._meanings import MeaningsTable
from hdmf_arrow.common._multi import SimpleMultiContainer
from hdmf_arrow.common._region import DynamicTableRegion
from hdmf_arrow.common._registry import (
    BuildManager,
    ObjectMapper,
    SpecGroup,
    TypeMap,
    available_namespaces,
    get_class,
    get_manager,
    get_type_map,
    load_namespaces,
    register_class,
    register_map,
)
from hdmf_arrow.common._sparse import CSRMatrix
from hdmf_arrow.common._table import DynamicTable
from hdmf_arrow.errors import UnknownTypeError

__all__ = [
    "AlignedDynamicTable",
    "BuildManager",
    "CORE_NAMESPACE",
    "CSRMatrix",
    "EXP_NAMESPACE",
    "Container",
    "Data",
    "Dataset",
    "DynamicTable",
    "DynamicTableRegion",
    "ElementIdentifiers",
    "EnumData",
    "Group",
    "Link",
    "MeaningsTable",
    "ObjectMapper",
    "SimpleMultiContainer",
    "SpecGroup",
    "TypeMap",
    "UnknownTypeError",
    "VectorData",
    "VectorIndex",
    "available_namespaces",
    "check_object_id",
    "get_class",
    "get_manager",
    "get_type_map",
    "load_namespaces",
    "register_class",
    "register_map",
]
