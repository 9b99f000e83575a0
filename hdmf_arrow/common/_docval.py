"""The ``__docval__`` of the model's constructors, for extension code written the hdmf way.

hdmf and pynwb extensions build their constructors from those of the base classes::

    @docval(*get_docval(DynamicTable.__init__, "id", "columns", "colnames"), ...)

``get_docval`` (ours in :mod:`hdmf_arrow.utils`, or ``hdmf.utils.get_docval``) reads the
``__docval__`` attribute of the function. The classes here keep real signatures; this module
only attaches, to each ``__init__``, a description of its parameters: the type and doc below,
the default taken from the signature itself (so the two cannot disagree). Importing the module
attaches them; ``hdmf_arrow.common`` imports it.

>>> from hdmf_arrow.common import VectorData
>>> from hdmf_arrow.utils import get_docval
>>> [(a["name"], "default" in a) for a in get_docval(VectorData.__init__)][:3]
[('name', False), ('description', False), ('data', True)]
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from hdmf_arrow.common._aligned import AlignedDynamicTable
from hdmf_arrow.common._container import Container
from hdmf_arrow.common._data import Data, ElementIdentifiers, VectorData, VectorIndex
from hdmf_arrow.common._enum import EnumData
from hdmf_arrow.common._generic import Dataset, Group, Link
from hdmf_arrow.common._meanings import MeaningsTable
from hdmf_arrow.common._multi import SimpleMultiContainer
from hdmf_arrow.common._region import DynamicTableRegion
from hdmf_arrow.common._registry import SpecGroup
from hdmf_arrow.common._sparse import CSRMatrix
from hdmf_arrow.common._table import DynamicTable
from hdmf_arrow.utils import docval_macro, set_docval

if TYPE_CHECKING:
    from collections.abc import Mapping

docval_macro("data")(Data)

_ARRAY = ("array_data", "data")
_DTYPE = (str, type, np.dtype, pa.DataType)
_NAME = (str, "the name of this container")
_OBJECT_ID = (str, "the object id to give (a new UUID when None)")
_ATTRS = (dict, "extra attributes of the object, by name")
_TABLE_ARGS: dict[str, tuple[Any, str]] = {
    "name": (str, "the name of this table"),
    "description": (str, "a description of what is in this table"),
    "id": (
        (*_ARRAY, ElementIdentifiers),
        "the identifiers for this table (default: 0, 1, ... as rows are added)",
    ),
    "columns": ((tuple, list), "the columns in this table"),
    "colnames": ("array_data", "the ordered names of the columns in this table"),
    "target_tables": (
        dict,
        "the tables the predefined DynamicTableRegion columns point at, by column name",
    ),
    "object_id": _OBJECT_ID,
    "add_required": (bool, "add the required predefined columns (empty) when not given"),
    "meanings_tables": ((tuple, list), "the MeaningsTables of this table's columns"),
}

_ARGS: dict[type, dict[str, tuple[Any, str]]] = {
    Container: {"name": _NAME, "object_id": _OBJECT_ID},
    Data: {
        "name": _NAME,
        "data": (_ARRAY, "the data of this object"),
        "dtype": (_DTYPE, "the dtype of the data (inferred when None)"),
        "object_id": _OBJECT_ID,
    },
    VectorData: {
        "name": (str, "the name of this VectorData"),
        "description": (str, "a description of what this VectorData holds"),
        "data": (_ARRAY, "a dataset where the first dimension is a concatenation of rows"),
        "dtype": (_DTYPE, "the dtype of the data (inferred when None)"),
        "unit": (str, "the unit of the values"),
        "resolution": (float, "the smallest meaningful difference between values"),
        "conversion": (float, "the factor to the unit"),
        "object_id": _OBJECT_ID,
        "attributes": _ATTRS,
    },
    VectorIndex: {
        "name": (str, "the name of this VectorIndex"),
        "data": (_ARRAY, "the end offset of each row in the target"),
        "target": (VectorData, "the target dataset that this index applies to"),
        "object_id": _OBJECT_ID,
    },
    ElementIdentifiers: {
        "name": (str, "the name of this ElementIdentifiers"),
        "data": (_ARRAY, "a 1D dataset of integer identifiers"),
        "object_id": _OBJECT_ID,
    },
    DynamicTableRegion: {
        "name": (str, "the name of this DynamicTableRegion"),
        "data": (_ARRAY, "the row indices into the target table"),
        "description": (str, "a description of what this region represents"),
        "table": (DynamicTable, "the table this region applies to"),
        "validate_data": (bool, "check that the indices are rows of the table"),
        "object_id": _OBJECT_ID,
    },
    EnumData: {
        "name": (str, "the name of this EnumData"),
        "description": (str, "a description of what this EnumData holds"),
        "data": (_ARRAY, "the codes: integer indices into elements"),
        "elements": ((*_ARRAY, VectorData), "the values the codes stand for"),
        "object_id": _OBJECT_ID,
        "elements_object_id": (str, "the object id of the elements VectorData"),
    },
    DynamicTable: _TABLE_ARGS,
    AlignedDynamicTable: {
        **_TABLE_ARGS,
        "category_tables": (list, "the DynamicTables each holding the columns of one category"),
        "categories": ("array_data", "the names of the categories, in order"),
    },
    MeaningsTable: {
        "target": ((VectorData, str), "the column (or its name) whose values this table explains"),
        **{
            k: v
            for k, v in _TABLE_ARGS.items()
            if k not in {"name", "target_tables", "meanings_tables"}
        },
        "description": (str, "a description of the meanings"),
    },
    CSRMatrix: {
        "data": (None, "the non-zero values, or a scipy sparse matrix / 2-D array"),
        "indices": ("array_data", "the column indices of the values"),
        "indptr": ("array_data", "the row pointers into indices and data"),
        "shape": ("array_data", "the shape of the matrix"),
        "name": (str, "the name of this CSRMatrix"),
        "description": (str, "a description of the matrix"),
        "object_id": _OBJECT_ID,
    },
    SimpleMultiContainer: {
        "name": _NAME,
        "containers": ((list, tuple), "the containers in this group"),
        "attributes": _ATTRS,
        "object_id": _OBJECT_ID,
    },
    Group: {
        "name": _NAME,
        "containers": ((list, tuple), "the containers in this group"),
        "attributes": _ATTRS,
        "object_id": _OBJECT_ID,
    },
    SpecGroup: {
        "name": _NAME,
        "containers": ((list, tuple), "the containers in this group"),
        "attributes": _ATTRS,
        "object_id": _OBJECT_ID,
    },
    Dataset: {
        "name": _NAME,
        "data": (_ARRAY, "the data of this dataset"),
        "dtype": (_DTYPE, "the dtype of the data (inferred when None)"),
        "attributes": _ATTRS,
        "object_id": _OBJECT_ID,
    },
    Link: {
        "name": _NAME,
        "target": (Container, "the container linked to"),
        "object_id": _OBJECT_ID,
    },
}


def describe_init(cls: type, args: Mapping[str, tuple[Any, str]]) -> list[dict[str, Any]]:
    """The docval argument dicts of ``cls.__init__``: one per parameter, in signature order.

    A parameter without a description in ``args`` gets type None (any) and no doc; a
    description of no parameter is left out (:func:`stale_descriptions` lists both, and the
    tests check that there are none): importing the package never fails over a description.
    """
    out = []
    for p in _parameters(cls):
        argtype, doc = args.get(p.name, (None, ""))
        arg: dict[str, Any] = {"name": p.name, "type": argtype, "doc": doc}
        if p.default is not p.empty:
            arg["default"] = p.default
        out.append(arg)
    return out


def stale_descriptions(cls: type, args: Mapping[str, tuple[Any, str]]) -> list[str]:
    """The parameters of ``cls.__init__`` without a description, and descriptions of no
    parameter (empty when ``args`` is up to date).

    >>> stale_descriptions(Container, {"name": (str, "the name")})
    ['object_id: not described']
    """
    names = [p.name for p in _parameters(cls)]
    return [f"{n}: not described" for n in names if n not in args] + [
        f"{n}: not a parameter" for n in args if n not in names
    ]


def _parameters(cls: type) -> list[inspect.Parameter]:
    init = cls.__init__  # type: ignore[misc]
    return [
        p
        for p in inspect.signature(init).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    ]


def attach(cls: type, args: Mapping[str, tuple[Any, str]]) -> None:
    """Give ``cls.__init__`` the docval description of ``args`` (see :func:`describe_init`)."""
    set_docval(cls.__init__, {"args": describe_init(cls, args)})  # type: ignore[misc]


for _cls, _args in _ARGS.items():
    attach(_cls, _args)
