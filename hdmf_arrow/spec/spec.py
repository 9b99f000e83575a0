"""``hdmf.spec.spec``'s names, for code that imports them from there."""

from hdmf_arrow.spec._base import _SpecBase as ConstructableDict
from hdmf_arrow.spec._parts import _Spec as Spec
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
from hdmf_arrow.spec.model import _Storage as BaseStorageSpec

#: hdmf's placeholder for "any name" (no longer used by hdmf either).
NAME_WILDCARD = None
#: The long names of the quantity symbols.
FLAGS = {"zero_or_one": ZERO_OR_ONE, "zero_or_many": ZERO_OR_MANY, "one_or_many": ONE_OR_MANY}

__all__ = [
    "DEF_QUANTITY",
    "FLAGS",
    "NAME_WILDCARD",
    "ONE_OR_MANY",
    "ZERO_OR_MANY",
    "ZERO_OR_ONE",
    "AttributeSpec",
    "BaseStorageSpec",
    "ConstructableDict",
    "DatasetSpec",
    "DtypeHelper",
    "DtypeSpec",
    "GroupSpec",
    "LinkSpec",
    "RefSpec",
    "Spec",
]
