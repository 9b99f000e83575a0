"""Checks of data against the specs of its data types (all namespaces at once, through a
TypeMap): that each type is known, a table's required columns and their types and dtypes,
attributes, named datasets and links of groups, quantities. ``check`` in
:mod:`hdmf_arrow.validate` runs them with the checks of data against itself."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow.dtypes import as_array, innermost, is_list_like
from hdmf_arrow.common import (
    Container,
    Data,
    Dataset,
    DynamicTable,
    EnumData,
    Link,
    SimpleMultiContainer,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.common._registry import get_type_map
from hdmf_arrow.errors import HdmfArrowError
from hdmf_arrow.spec import (
    DTYPE_SYNONYMS,
    AttributeSpec,
    DatasetSpec,
    GroupSpec,
    RefSpec,
    is_allowed_dtype,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from hdmf_arrow.common import TypeMap
    from hdmf_arrow.spec._checks import Shape
from hdmf_arrow.validate._issue import Issue, _guard

_ARROW_DTYPES = {
    "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64",
    "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
    "float": "float32", "double": "float64", "bool": "bool", "string": "text",
    "large_string": "text", "binary": "ascii", "large_binary": "ascii",
    "date32[day]": "isodatetime",
}  # fmt: skip


def spec_dtype(t: pa.DataType) -> str | None:
    """The schema-language dtype of the values of an Arrow type (None if it has none).

    >>> spec_dtype(pa.list_(pa.float64())), spec_dtype(pa.dictionary(pa.uint8(), pa.string()))
    ('float64', 'uint8')
    """
    t = innermost(t)
    if pa.types.is_dictionary(t):
        t = t.index_type
    if pa.types.is_timestamp(t):
        return "isodatetime"
    return _ARROW_DTYPES.get(str(t))


def _known(node: Container, path: str, types: TypeMap) -> Iterator[Issue]:
    if node.data_type is None:  # an untyped part (a Group, Dataset or Link): its parent's spec
        return
    if not _is_known(node.data_type, node.namespace, types):
        yield _unknown(path, node.data_type, node.namespace)


def _is_known(data_type: str, namespace: str, types: TypeMap) -> bool:
    try:
        types.namespace_of(data_type, namespace)
    except (HdmfArrowError, KeyError):
        return False
    return True


def _unknown(path: str, data_type: str, namespace: str) -> Issue:
    return Issue(
        path,
        data_type,
        f"data type {data_type!r} of namespace {namespace!r} is not defined in any loaded "
        f"namespace; it cannot be checked. Hint: load its namespace.",
    )


def check_stored_types(node: Mapping[str, Any], type_map: TypeMap | None = None) -> list[Issue]:
    """An issue for each data type that a store's manifest tree names and no namespace of
    ``type_map`` defines (the loaded namespaces by default).

    A store reader reads a container of an unknown type as its base class (a DynamicTable,
    say, with a warning); the checks of :func:`check` then see only the base type. This
    looks at the types as stored: ``node`` is a manifest node (docs/format.md: ``name``,
    ``data_type``, ``namespace``, ``children``, and a table's ``table.columns``), and the
    paths are those :func:`check` gives.

    Examples
    --------
    >>> tree = {"name": "t", "data_type": "Trials", "namespace": "ndx-x", "kind": "table",
    ...         "table": {"columns": {"x": {"data_type": "VectorData"}}}}
    >>> [str(i)[:46] for i in check_stored_types(tree)]
    ["Trials (t): data type 'Trials' of namespace 'n"]
    """
    types = type_map if type_map is not None else get_type_map(copy=False)
    return list(_stored_types(node, None, types))


def _stored_types(node: Mapping[str, Any], parent: str | None, types: TypeMap) -> Iterator[Issue]:
    name = str(node.get("name", ""))
    path = name if parent is None else f"{parent}/{name}"
    data_type = node.get("data_type")
    namespace = str(node.get("namespace", "hdmf-common"))
    if isinstance(data_type, str) and not _is_known(data_type, namespace, types):
        yield _unknown(path, data_type, namespace)
    table = node.get("table")
    columns = table.get("columns") if isinstance(table, Mapping) else None
    if isinstance(columns, Mapping):
        for colname, meta in columns.items():
            if not isinstance(meta, Mapping):
                continue
            col_type = str(meta.get("data_type", "VectorData"))
            col_namespace = str(meta.get("namespace", "hdmf-common"))
            if not _is_known(col_type, col_namespace, types):
                yield _unknown(f"{path}/{colname}", col_type, col_namespace)
    children = node.get("children")
    if isinstance(children, list):
        for child in children:
            if isinstance(child, Mapping):
                yield from _stored_types(child, path, types)


def _table_spec(table: DynamicTable, path: str, types: TypeMap) -> Iterator[Issue]:
    try:
        home = types.namespace_of(table.data_type, table.namespace)
        spec = types.namespace_catalog.get_spec(home, table.data_type)
    except (HdmfArrowError, KeyError):
        return  # reported by _known
    assert isinstance(spec, GroupSpec)
    yield from _attributes(table, spec, path, types)
    for colname in table.colnames:  # every column against its own type's attributes
        base = table.get_column(colname).get_target_data()
        column_spec = _spec_of(base, types)
        if column_spec is not None:
            yield from _attributes(base, column_spec, f"{path}/{colname}", types)
    named = {d.name: d for d in spec.datasets if d.name is not None}
    for name, d in named.items():
        if name == table.id.name:
            continue
        if name.endswith("_index") and name[:-6] in named:
            yield from _index_spec(table, name, d, path, named)
            continue
        dtype_of = d.data_type_def or d.data_type_inc
        if name not in table.colnames:
            if d.quantity not in ("?", "*", 0):
                yield Issue(
                    f"{path}/{name}",
                    table.data_type,
                    f"required column {name!r} ({dtype_of or 'dataset'}) is missing",
                )
            continue
        base = table.get_column(name).get_target_data()
        where = f"{path}/{name}"
        if dtype_of and not types._is_a(base.data_type, dtype_of, base.namespace):
            yield Issue(
                where, base.data_type, f"expected data type {dtype_of!r}, found {base.data_type!r}"
            )
        for problem in (_shape_problem(base.dtype, d.shape), _data_dtype_problem(base, d)):
            if problem:
                yield Issue(where, base.data_type, problem)
        required = d.quantity not in ("?", "*", 0)
        if required and base is table.get_column(name) and len(base) and _all_null(base):
            # hdmf cannot make such a table (a required column must have a row per id);
            # here a required column not given is made, typed, of nulls
            yield Issue(
                where,
                base.data_type,
                f"required column {name!r} (spec {d.path}) holds no value: each of its "
                f"{len(base)} rows is null. Hint: give its values.",
            )
    for name in table.get_foreign_columns():
        region = table.get_column(name).get_target_data()
        target = getattr(region, "table", None)
        if target is not None and not isinstance(target, DynamicTable):
            yield Issue(
                f"{path}/{name}",
                "DynamicTableRegion",
                f"target must be a DynamicTable, found {type(target).__name__}",
            )


def _all_null(data: Data) -> bool:
    arr = data.to_arrow()
    return bool(arr.null_count == len(arr)) and not pa.types.is_null(arr.type)  # null: above


def _index_spec(
    table: DynamicTable,
    name: str,
    spec: DatasetSpec,
    path: str,
    named: Mapping[str, DatasetSpec],
) -> Iterator[Issue]:
    """A required ``<column>_index`` of the spec: the column must be ragged (that deep)."""
    if spec.quantity in ("?", "*", 0):
        return
    column, depth = name, 0
    while column.endswith("_index") and column[:-6] in named:
        column, depth = column[:-6], depth + 1
    if column not in table.colnames:
        return  # the missing column is reported as such
    level: VectorData = table.get_column(column)
    levels = 0
    while isinstance(level, VectorIndex):
        level, levels = level.target, levels + 1
    if levels < depth:
        given = "flat" if levels == 0 else f"with {levels} ragged level(s)"
        yield Issue(
            f"{path}/{name}",
            table.data_type,
            f"required VectorIndex {name!r} (spec {spec.path}) is missing: column {column!r} "
            f"is given {given}, the spec makes it ragged {depth} level(s) deep",
        )


def _data_dtype_problem(data: Data, spec: DatasetSpec) -> str | None:
    """What is wrong with the dtype of an array's values where ``spec`` asks for a dtype
    name, an object reference or a compound of fields (None when nothing is)."""
    wanted, t = spec.dtype, data.dtype
    if wanted is None or isinstance(data, EnumData):
        return None
    leaf = innermost(t)
    if pa.types.is_null(leaf):  # a column of nulls only: it has no dtype at all
        return None if len(data) == 0 else (
            f"expected dtype {_show_dtype(wanted)} (spec {spec.path}), found 'null' (every "
            f"value is null). Hint: give the values."
        )  # fmt: skip
    if isinstance(wanted, RefSpec):
        if data.reftype == wanted.reftype or len(data) == 0:
            return None
        found = spec_dtype(t) or str(leaf)
        return f"expected dtype {_show_dtype(wanted)} (spec {spec.path}), found {found!r}"
    if not isinstance(wanted, str):
        return _compound_problem(data, leaf, spec)
    named = spec_dtype(t)
    if named is None or _allowed(named, wanted) or _iso_strings(wanted, named, data.to_arrow()):
        return None
    return f"expected dtype {wanted!r} (or wider), found {named!r}"


def _compound_problem(data: Data, leaf: pa.DataType, spec: DatasetSpec) -> str | None:
    """A compound dtype wants a struct column with each of its fields, of its dtype."""
    fields = [] if isinstance(spec.dtype, str | RefSpec | None) else list(spec.dtype)
    expected = f"expected dtype {_show_dtype(fields)} (spec {spec.path})"
    if not pa.types.is_struct(leaf):
        return f"{expected}, found {spec_dtype(data.dtype) or str(leaf)!r}"
    refs = data.reftype if isinstance(data.reftype, dict) else {}
    values = _leaf_values(data.to_arrow())
    wrong = []
    for field in fields:
        index = leaf.get_field_index(field.name)
        if index < 0:
            wrong.append(f"no field {field.name!r}")
            continue
        found = spec_dtype(leaf.field(index).type) or str(leaf.field(index).type)
        if isinstance(field.dtype, RefSpec):
            if refs.get(field.name) != field.dtype.reftype and len(values):
                wrong.append(f"field {field.name!r} of {found!r}, not references")
        elif isinstance(field.dtype, str) and not (
            _allowed(found, field.dtype) or _iso_strings(field.dtype, found, values.field(index))
        ):
            wrong.append(f"field {field.name!r} of {found!r}")
    return f"{expected}, found {'; '.join(wrong)}" if wrong else None


def _leaf_values(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The values under every list level of an array (a chunked one combined)."""
    arr = as_array(values)
    while is_list_like(arr.type):
        arr = arr.flatten()
    return arr


def _iso_strings(wanted: str, found: str, values: pa.Array) -> bool:
    """Whether strings stand for the isodatetime ``wanted``: each one is an ISO 8601 date or
    date-time (as hdmf stores them, and accepts)."""
    if DTYPE_SYNONYMS.get(wanted) != "isodatetime" or found not in ("text", "ascii"):
        return False
    strings = _leaf_values(values)
    if pa.types.is_binary(strings.type) or pa.types.is_large_binary(strings.type):
        try:
            strings = strings.cast(pa.large_string())
        except pa.ArrowInvalid:
            return False  # bytes that are not UTF-8 are no dates
    matched = pc.match_substring_regex(strings.drop_null(), _ISO_8601)
    return bool(pc.all(matched).as_py() is not False)


def _spec_of(node: Container, types: TypeMap) -> GroupSpec | DatasetSpec | None:
    try:
        home = types.namespace_of(node.data_type, node.namespace)
        return types.namespace_catalog.get_spec(home, node.data_type)
    except (HdmfArrowError, KeyError):
        return None  # reported by _known


def _attributes(
    node: Container, spec: GroupSpec | DatasetSpec, path: str, types: TypeMap
) -> Iterator[Issue]:
    """The spec attributes of a container (read through its mapper): each required one
    present, a fixed one of the spec's value, and each of the spec's dtype (hdmf's rules)."""
    mapper = types.get_map(node)
    present = mapper.get_attributes(node)
    for attribute in spec.attributes:
        if isinstance(attribute.dtype, RefSpec):
            if not isinstance(node, VectorData):  # core references are data checks
                yield from _reference(node, attribute.name, attribute.dtype, present, path, types)
            continue
        if attribute.name in present:
            problem = _attribute_problem(attribute, present[attribute.name])
            if problem is not None:
                yield Issue(path, node.data_type, problem)
        elif _required_unset(attribute) and attribute.name in mapper.attribute_names():
            yield Issue(path, node.data_type, f"required attribute {attribute.name!r} is missing")


def _attribute_problem(attribute: AttributeSpec, value: object) -> str | None:
    """What is wrong with the value of a (non-reference) spec attribute: not the value the
    spec fixes, or not of its dtype (hdmf's rules); None if nothing."""
    where = f"attribute {attribute.name!r} (spec {attribute.path})"
    if attribute.value is not None and not _same_value(value, attribute.value):
        return f"{where} is fixed to {attribute.value!r} by the spec, found {value!r}"
    found = _value_dtype_problem(value, attribute.dtype)
    if found is not None:
        return f"{where}: expected dtype {_show_dtype(attribute.dtype)}, found {found}"
    return None


def _required_unset(attribute: AttributeSpec) -> bool:
    """Whether the spec requires the attribute and gives it no value of its own."""
    unset = attribute.value is None and attribute.default_value is None
    return bool(attribute.required and unset)


def _same_value(value: object, fixed: object) -> bool:
    """Whether a stored attribute value is the spec's fixed one (numpy values as Python's)."""

    def plain(v: object) -> object:
        tolist = getattr(v, "tolist", None)
        v = tolist() if callable(tolist) else v
        return list(v) if isinstance(v, tuple) else v

    return bool(plain(value) == plain(fixed))


# hdmf's test of an ISO 8601 date or date-time (hdmf.validate.validator.get_iso8601_regex)
_ISO_8601 = (
    r"^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12][0-9])"
    r"(T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?"
    r"(Z|[+-](?:2[0-3]|[01][0-9]):[0-5][0-9])?)?$"
)
_INTEGERS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _show_dtype(dtype: object) -> str:
    if isinstance(dtype, RefSpec):
        return f"{dtype.reftype} reference to {dtype.target_type!r}"
    if isinstance(dtype, Sequence) and not isinstance(dtype, str):
        fields = ", ".join(f"{f.name}: {_show_dtype(f.dtype)}" for f in dtype)
        return f"compound [{fields}]"
    return repr(dtype)


def _value_dtype_problem(value: object, wanted: object) -> str | None:
    """What an attribute value is (its dtype, quoted) when it is not of the spec dtype
    ``wanted``, else None. An array's elements are checked; a Python int or float has no
    width (hdmf writes it as the spec's dtype), so any integer dtype it fits in takes an int."""
    want = DTYPE_SYNONYMS.get(wanted) if isinstance(wanted, str) else None
    if want is None or want == "object":
        return None  # compound and unknown dtypes: not checked here
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        found = "bool" if value.dtype.kind == "b" else value.dtype.name
        return None if _allowed(found, want) else repr(found)
    if isinstance(value, list | tuple | np.ndarray):
        for item in value:
            problem = _value_dtype_problem(item, wanted)
            if problem is not None:
                return f"{problem} (an element)"
        return None
    found = _scalar_dtype(value)
    if found == want or (found == "ascii" and want == "text"):
        return None
    if found in ("text", "ascii"):
        text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
        if want == "isodatetime" and re.match(_ISO_8601, text):
            return None
        if want == "ascii" and text.isascii():
            return None
    elif found == "int" and isinstance(value, int):
        if want in ("float32", "float64", "numeric"):
            return None
        if want in _INTEGERS and np.iinfo(want).min <= value <= np.iinfo(want).max:
            return None
        found = "int64"  # as hdmf names a Python int
        if _allowed(found, want):
            return None
    elif found == "float" and want in ("float32", "float64", "numeric"):
        return None
    elif found == "float":
        found = "float64"
    elif found in DTYPE_SYNONYMS and _allowed(found, want):
        return None  # a numpy scalar of an allowed dtype
    return repr(found)


def _scalar_dtype(value: object) -> str:
    """The dtype of one value: 'text', 'ascii', 'bool', 'int', 'float' (no width),
    'isodatetime', a numpy scalar's dtype name, else the value's class name."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bytes):
        return "ascii"
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, np.generic):
        if value.dtype.kind == "M":
            return "isodatetime"
        return str(value.dtype) if value.dtype.kind in "iuf" else type(value).__name__
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, datetime.date | np.datetime64):
        return "isodatetime"
    return type(value).__name__


def _reference(
    node: Container,
    name: str,
    ref: RefSpec,
    present: dict[str, object],
    path: str,
    types: TypeMap,
) -> Iterator[Issue]:
    """A reference attribute must hold a container of the spec's target type."""
    value = present.get(name)
    if value is None:
        yield Issue(path, node.data_type, f"required attribute {name!r} is missing")
    elif not isinstance(value, Container):
        found = type(value).__name__
        yield Issue(
            path, node.data_type, f"attribute {name!r} must refer to a container, found {found}"
        )
    elif not types._is_a(value.data_type, ref.target_type, value.namespace):
        yield Issue(
            path,
            node.data_type,
            f"attribute {name!r} must refer to a {ref.target_type!r}, found a {value.data_type!r}",
        )


def _group_spec(group: SimpleMultiContainer, path: str, types: TypeMap) -> Iterator[Issue]:
    """A group against its spec: attributes, named children (their type, and a dataset's
    dtype and shape), links, and how many of each type."""
    spec = _spec_of(group, types)
    if not isinstance(spec, GroupSpec):
        return
    yield from _attributes(group, spec, path, types)
    children = {c.name: c for c in group.children}
    for sub in [*spec.groups, *spec.datasets]:
        kind = "group" if isinstance(sub, GroupSpec) else "dataset"
        wanted = sub.data_type_def or sub.data_type_inc
        optional = sub.quantity in ("?", "*", 0)
        if sub.name is not None:
            child = children.get(sub.name)
            where = f"{path}/{sub.name}"
            if isinstance(child, Link):  # a linked dataset or group: its target is checked
                child = child.target
                if child is None:
                    continue  # reported by _walk
            if child is None:
                if not optional:
                    yield Issue(where, group.data_type, f"required {kind} is missing")
            elif wanted and not types._is_a(child.data_type, wanted, child.namespace):
                yield Issue(
                    where,
                    child.data_type,
                    f"expected data type {wanted!r}, found {child.data_type!r}",
                )
            elif isinstance(sub, DatasetSpec) and isinstance(child, Data):
                yield from _guard(where, child.data_type, lambda c=child, s=sub, w=where: (
                    Issue(w, c.data_type or "Dataset", p) for p in _dataset_problems(c, s)
                ))  # fmt: skip
                if child.data_type is None:  # its attributes are its parent's spec's
                    yield from _untyped_attributes(child, sub, where)
            continue
        if wanted is None:
            continue
        count = sum(types._is_a(c.data_type, wanted, c.namespace) for c in children.values())
        problem = _quantity_problem(sub.quantity, count)
        if problem:
            yield Issue(
                path,
                group.data_type,
                f"expected {problem} {kind}(s) of type {wanted!r}, found {count}",
            )
    yield from _links(group, spec, path, types)


def _untyped_attributes(data: Data, spec: DatasetSpec, path: str) -> Iterator[Issue]:
    """The attributes of an untyped named dataset (a TimeSeries' ``data`` and its ``unit``)
    against the parent's spec of it: each required one present, a fixed one of the spec's
    value, each of the spec's dtype. They are the dataset's own ``attributes``."""
    present = dict(getattr(data, "attributes", {}))
    for attribute in spec.attributes:
        if attribute.name not in present:
            if _required_unset(attribute):
                yield Issue(path, "Dataset", f"required attribute {attribute.name!r} is missing")
            continue
        value = present[attribute.name]
        if isinstance(attribute.dtype, RefSpec):
            if not isinstance(value, Container):
                where = f"attribute {attribute.name!r} (spec {attribute.path})"
                kind = _scalar_dtype(value)
                yield Issue(path, "Dataset", f"{where}: expected a reference, found {kind!r}")
        elif (problem := _attribute_problem(attribute, value)) is not None:
            yield Issue(path, "Dataset", problem)


def _dataset_problems(data: Data, spec: DatasetSpec) -> Iterator[str]:
    """A named dataset of a group against its spec: the shape, and the dtype of the values."""
    if isinstance(data, Dataset) and data.is_scalar:
        if (problem := _shape_problem(None, spec.shape)) is not None:
            yield problem
        if isinstance(spec.dtype, RefSpec):
            if not isinstance(data.scalar, Container):
                shown, found = _show_dtype(spec.dtype), _scalar_dtype(data.scalar)
                yield f"expected dtype {shown} (spec {spec.path}), found {found!r}"
        elif (problem := _value_dtype_problem(data.scalar, spec.dtype)) is not None:
            yield f"expected dtype {spec.dtype!r} (spec {spec.path}), found {problem}"
        return
    for problem in (_shape_problem(data.dtype, spec.shape), _data_dtype_problem(data, spec)):
        if problem:
            yield problem


def _links(
    group: SimpleMultiContainer, spec: GroupSpec, path: str, types: TypeMap
) -> Iterator[Issue]:
    """The spec's links: a named one present (when required) and pointing at a container of
    its target type; unnamed ones as many as their quantity says."""
    links = [c for c in group.children if isinstance(c, Link)]
    for link in spec.links:
        what = f"link to a {link.target_type!r} (spec {link.path})"
        if link.name is None:
            count = sum(
                c.target is not None
                and types._is_a(c.target.data_type, link.target_type, c.target.namespace)
                for c in links
            )
            problem = _quantity_problem(link.quantity, count)
            if problem:
                yield Issue(path, group.data_type, f"expected {problem} {what}(s), found {count}")
            continue
        child = next((c for c in group.children if c.name == link.name), None)
        target = child.target if isinstance(child, Link) else child
        if child is None:
            if link.quantity not in ("?", "*", 0):
                yield Issue(
                    f"{path}/{link.name}",
                    group.data_type,
                    f"required {what} {link.name!r} is missing",
                )
        elif target is not None and not types._is_a(
            target.data_type, link.target_type, target.namespace
        ):
            found = target.data_type or type(target).__name__
            yield Issue(
                f"{path}/{link.name}",
                group.data_type,
                f"{what} {link.name!r} points at a {found!r} ({target.name!r})",
            )


def _quantity_problem(quantity: object, count: int) -> str | None:
    """What ``quantity`` asks for when ``count`` children do not satisfy it, else None:
    ``+`` is at least one, an integer exactly that many, ``?`` and ``*`` anything."""
    if quantity == "+" and count < 1:
        return "at least one"
    if isinstance(quantity, int) and not isinstance(quantity, bool) and count != quantity:
        return f"exactly {quantity}"
    return None


def column_shape(t: pa.DataType) -> tuple[int | None, ...]:
    """The shape of a column's values: ``None`` for the rows, then each fixed-size level.

    >>> column_shape(pa.list_(pa.list_(pa.float64(), 3)))
    (None, 3)
    """
    while pa.types.is_list(t) or pa.types.is_large_list(t):
        t = t.value_type  # ragged levels index the rows; the values start here
    shape: list[int | None] = [None]
    while pa.types.is_fixed_size_list(t):
        shape.append(t.list_size)
        t = t.value_type
    return tuple(shape)


def _shape_problem(dtype: pa.DataType | None, spec_shape: Shape | None) -> str | None:
    """A message when an array whose rows are of Arrow type ``dtype`` (None: a scalar) has a
    shape the spec does not allow."""
    if spec_shape is None:
        return None
    options: list[Sequence[int | None]] = (
        [tuple(o) for o in spec_shape if isinstance(o, Sequence)]
        if spec_shape and isinstance(spec_shape[0], Sequence)
        else [tuple(o for o in spec_shape if not isinstance(o, Sequence))]
    )
    found = () if dtype is None else column_shape(dtype)
    for option in options:
        if len(option) == len(found) and all(
            want is None or want == got for want, got in zip(option, found, strict=True)
        ):
            return None
    allowed = " or ".join(str(list(o)) for o in options)
    shown = "a scalar" if dtype is None else str(list(found))
    return f"expected shape {allowed}, found {shown} (None: any length)"


def _allowed(found: str, wanted: str) -> bool:
    try:
        return is_allowed_dtype(found, wanted)
    except KeyError:
        return True  # a dtype the schema language does not name (e.g. compound): not ours to judge
