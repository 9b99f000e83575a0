"""The dtype names of the HDMF schema language: synonyms and the widening rules.

A spec keeps the dtype string it was written with (``'text'``, ``'uint'``, ``'float32'``), as
hdmf does. :func:`canonical_dtype` maps any synonym to one explicit name, and
:func:`is_allowed_dtype` says whether data (or a subtype's override) of one dtype is acceptable
where a spec asks for another: ``float`` accepts ``double``, ``int8`` accepts ``short``, ``int``
and ``long``, ``uint8`` accepts every wider unsigned type, ``text`` accepts ``ascii`` and
``numeric`` accepts every integer and floating type. These are hdmf 6.2's rules
(``hdmf.spec.spec.DtypeHelper``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["DTYPE_SYNONYMS", "PRIMARY_DTYPES", "canonical_dtype", "is_allowed_dtype"]

_GROUPS: dict[str, tuple[str, ...]] = {
    "float32": ("float", "float32"),
    "float64": ("double", "float64"),
    "int8": ("int8",),
    "int16": ("short", "int16"),
    "int32": ("int", "int32"),
    "int64": ("long", "int64"),
    "uint8": ("uint8",),
    "uint16": ("uint16",),
    "uint32": ("uint", "uint32"),
    "uint64": ("uint64",),
    "text": ("text", "utf", "utf8", "utf-8"),
    "ascii": ("ascii", "bytes"),
    "bool": ("bool",),
    "numeric": ("numeric",),
    "isodatetime": ("isodatetime", "datetime", "date"),
    "object": ("object",),
}

#: Every dtype name the schema language accepts, mapped to its canonical name.
DTYPE_SYNONYMS: Mapping[str, str] = MappingProxyType(
    {name: canonical for canonical, names in _GROUPS.items() for name in names}
)

#: The canonical dtype names, in the order of the schema language's table.
PRIMARY_DTYPES: tuple[str, ...] = tuple(_GROUPS)

_WIDER: dict[str, tuple[str, ...]] = {
    "float32": ("float64",),
    "int8": ("int16", "int32", "int64"),
    "int16": ("int32", "int64"),
    "int32": ("int64",),
    "uint8": ("uint16", "uint32", "uint64"),
    "uint16": ("uint32", "uint64"),
    "uint32": ("uint64",),
    "text": ("ascii",),
}
_NUMBERS: tuple[str, ...] = ("float32", "float64", "int8", "int16", "int32", "int64")
_NUMBERS += ("uint8", "uint16", "uint32", "uint64")
_ACCEPTS: dict[str, frozenset[str]] = {
    canonical: frozenset((canonical, *_WIDER.get(canonical, ()))) for canonical in _GROUPS
}
_ACCEPTS["numeric"] = frozenset(("numeric", *_NUMBERS))


def canonical_dtype(name: str) -> str:
    """The canonical name of a dtype given by any of its synonyms.

    Parameters
    ----------
    name
        A dtype name of the schema language (``'text'``, ``'utf8'``, ``'uint'``, ``'double'``...).

    Returns
    -------
    str
        One of :data:`PRIMARY_DTYPES`: explicit sizes for numbers (``'float64'``), ``'text'``
        for the UTF-8 names, ``'ascii'`` for ``'bytes'``, ``'isodatetime'`` for the date names.

    Raises
    ------
    KeyError
        When ``name`` is not a dtype of the schema language.

    Examples
    --------
    >>> canonical_dtype("double"), canonical_dtype("uint"), canonical_dtype("utf8")
    ('float64', 'uint32', 'text')
    """
    return DTYPE_SYNONYMS[name]


def is_allowed_dtype(new: str, orig: str) -> bool:
    """Whether dtype ``new`` is acceptable where a spec says ``orig`` (hdmf's rule).

    It is the rule hdmf's validator applies to data and hdmf's resolver applies to a subtype
    that overrides the dtype of its parent: the same type or a wider one of the same kind.
    A subtype may therefore declare ``double`` where its parent said ``float`` (it accepts
    less data: only the doubles), but not ``float`` where its parent said ``double``.

    Parameters
    ----------
    new
        The dtype found (of the data, or of the overriding spec).
    orig
        The dtype the spec asks for.

    Returns
    -------
    bool

    Raises
    ------
    KeyError
        When either name is not a dtype of the schema language.

    Examples
    --------
    >>> is_allowed_dtype("float64", "float"), is_allowed_dtype("float", "double")
    (True, False)
    >>> is_allowed_dtype("long", "int8"), is_allowed_dtype("ascii", "text")
    (True, True)
    >>> is_allowed_dtype("uint8", "uint"), is_allowed_dtype("int32", "numeric")
    (False, True)
    """
    return DTYPE_SYNONYMS[new] in _ACCEPTS[DTYPE_SYNONYMS[orig]]
