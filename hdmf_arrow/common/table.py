"""``hdmf.common.table``'s names, for code that imports them from there."""

from hdmf_arrow.common._aligned import AlignedDynamicTable
from hdmf_arrow.common._data import ElementIdentifiers, VectorData, VectorIndex
from hdmf_arrow.common._enum import EnumData
from hdmf_arrow.common._meanings import MeaningsTable
from hdmf_arrow.common._region import DynamicTableRegion
from hdmf_arrow.common._table import DynamicTable

__all__ = [
    "AlignedDynamicTable",
    "DynamicTable",
    "DynamicTableRegion",
    "ElementIdentifiers",
    "EnumData",
    "MeaningsTable",
    "VectorData",
    "VectorIndex",
]
