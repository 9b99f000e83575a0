"""The ``__docval__`` of the spec constructors, for spec subclasses written the hdmf way.

pynwb's ``NWBGroupSpec`` / ``NWBDatasetSpec`` (and hdmf's own test helpers) build their
constructors from ours: ``@docval(*swap_inc_def(get_docval(GroupSpec.__init__)))``, renaming
``data_type_def``/``data_type_inc`` to their key names. ``get_docval`` (hdmf's, or
:mod:`hdmf_arrow.utils`') reads the ``__docval__`` attribute of the function. The spec classes
keep real signatures; this module only attaches a description of their parameters to each
``__init__``: names and defaults read from the signature (so the two cannot disagree), and
types that hdmf's ``docval`` checks (``None``: any). The spec layer imports nothing above it,
so the descriptions are plain dicts.

>>> from hdmf_arrow.spec import GroupSpec
>>> [a["name"] for a in GroupSpec.__init__.__docval__["args"]][:3]
['doc', 'name', 'default_name']
"""

from __future__ import annotations

import inspect
from typing import Any

from hdmf_arrow.spec._parts import AttributeSpec, LinkSpec
from hdmf_arrow.spec.model import DatasetSpec, GroupSpec

DOCVAL_ATTR = "__docval__"  # the attribute names hdmf.utils uses
DOCVAL_INDEX_ATTR = "__dv_idx__"

_TYPES: dict[str, Any] = {
    "doc": (str, "a description of what this spec describes"),
    "name": (str, "the fixed name of instances of this spec"),
    "default_name": (str, "the name used when an instance is given none"),
    "data_type_def": (str, "the data type this spec defines"),
    "data_type_inc": (str, "the data type this spec includes"),
    "linkable": (bool, "whether an instance may be a link"),
    "quantity": ((str, int), "how many instances are allowed: 1, '?', '*', '+' or a number"),
    "groups": ((list, tuple), "the group specs inside this group"),
    "datasets": ((list, tuple), "the dataset specs inside this group"),
    "attributes": ((list, tuple), "the attribute specs of this spec"),
    "links": ((list, tuple), "the link specs inside this group"),
    "shape": ((list, tuple), "the allowed shape (or shapes)"),
    "dims": ((list, tuple), "the names of the dimensions"),
    "dtype": (None, "the dtype: a primitive name, a list of fields or a reference"),
    "value": (None, "the fixed value"),
    "default_value": (None, "the default value"),
    "required": (bool, "whether the attribute is required"),
    "target_type": (str, "the type a link points at"),
}


def attach(cls: type) -> None:
    """Give ``cls.__init__`` a ``__docval__`` describing its signature."""
    init = cls.__init__  # type: ignore[misc]
    args = []
    for param in list(inspect.signature(init).parameters.values())[1:]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        argtype, doc = _TYPES.get(param.name, (None, param.name))
        arg: dict[str, Any] = {"name": param.name, "type": argtype, "doc": doc}
        if param.default is not param.empty:
            arg["default"] = param.default
        args.append(arg)
    setattr(init, DOCVAL_ATTR, {"args": args, "allow_extra": False})
    setattr(init, DOCVAL_INDEX_ATTR, {a["name"]: a for a in args})


for _cls in (GroupSpec, DatasetSpec, AttributeSpec, LinkSpec):
    if DOCVAL_ATTR not in vars(_cls.__init__):
        attach(_cls)
