"""``hdmf.spec.spec``'s names, for code that imports them from there."""

from hdmf_arrow.spec.model import (
    DEF_QUANTITY,
    ONE_OR_MANY,
    ZERO_OR_MANY,
    ZERO_OR_ONE,
    AttributeSpec,
    DatasetSpec,
    DtypeSpec,
    GroupSpec,
    LinkSpec,
    RefSpec,
)
from hdmf_arrow.spec.model import _Storage as BaseStorageSpec

__all__ = [
    "DEF_QUANTITY",
    "ONE_OR_MANY",
    "ZERO_OR_MANY",
    "ZERO_OR_ONE",
    "AttributeSpec",
    "BaseStorageSpec",
    "DatasetSpec",
    "DtypeSpec",
    "GroupSpec",
    "LinkSpec",
    "RefSpec",
]
