"""The HDMF common data model on Apache Arrow: ``from hdmf_arrow.common import DynamicTable``."""

from hdmf_arrow.common import _docval  # noqa: F401  (gives the __init__s their __docval__)
from hdmf_arrow.common._aligned import AlignedDynamicTable
from hdmf_arrow.common._backends import get_hdf5io, register_io_class
from hdmf_arrow.common._container import (
    CORE_NAMESPACE,
    EXP_NAMESPACE,
    Container,
    check_object_id,
)
from hdmf_arrow.common._data import Data, ElementIdentifiers, VectorData, VectorIndex
from hdmf_arrow.common._enum import EnumData
from hdmf_arrow.common._generic import Dataset, Group, Link
from hdmf_arrow.common._herd import HERD
from hdmf_arrow.common._herd_refs import HERDManager
from hdmf_arrow.common._herd_tables import (
    EntityKeyTable,
    EntityTable,
    FileTable,
    Key,
    KeyTable,
    ObjectKeyTable,
    ObjectTable,
)
from hdmf_arrow.common._mci import MultiContainerInterface
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
from hdmf_arrow.common._type_config import (
    _get_resources,  # noqa: F401  (hdmf's legacy name; tests import it)
    get_loaded_type_config,
    load_type_config,
    unload_type_config,
)
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
    "EntityKeyTable",
    "EntityTable",
    "EnumData",
    "FileTable",
    "Group",
    "HERD",
    "HERDManager",
    "Key",
    "KeyTable",
    "Link",
    "MeaningsTable",
    "MultiContainerInterface",
    "ObjectKeyTable",
    "ObjectMapper",
    "ObjectTable",
    "SimpleMultiContainer",
    "SpecGroup",
    "TypeMap",
    "UnknownTypeError",
    "VectorData",
    "VectorIndex",
    "available_namespaces",
    "get_hdf5io",
    "get_loaded_type_config",
    "load_type_config",
    "register_io_class",
    "unload_type_config",
    "check_object_id",
    "get_class",
    "get_manager",
    "get_type_map",
    "load_namespaces",
    "register_class",
    "register_map",
]
