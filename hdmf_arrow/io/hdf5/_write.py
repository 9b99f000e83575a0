"""Containers -> HDF5 in hdmf's own layout (what hdmf's and pynwb's HDF5IO read).

Every typed object gets ``neurodata_type`` (NWB) or ``data_type`` (hdmf), ``namespace`` and
``object_id`` attributes; a table is a group with ``colnames``, an ``id`` dataset, one dataset
per column, ``<col>_index`` datasets for ragged levels, ``table`` references on regions and
``elements`` references on enums; links are soft links; the specs of every namespace used are
cached under ``/specifications`` with ``.specloc`` on the root; region cells (``reftype
"region"``, ``{"region": cell}`` attributes) become HDF5 region references. Objects are written
first and references second (a reference needs its target to exist).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import h5py
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow import ragged
from hdmf_arrow.common import (
    AlignedDynamicTable,
    Container,
    CSRMatrix,
    Data,
    Dataset,
    DynamicTable,
    DynamicTableRegion,
    EnumData,
    Link,
)
from hdmf_arrow.common._columns import column_meta
from hdmf_arrow.common._herd import HERD
from hdmf_arrow.common._walk import walk
from hdmf_arrow.errors import HdmfArrowError, UnresolvedReferenceError, UnsupportedHDF5Error
from hdmf_arrow.io._specs import used_namespaces
from hdmf_arrow.io.hdf5._cells import is_region_value
from hdmf_arrow.io.hdf5._regions import RegionWriter
from hdmf_arrow.spec import DatasetSpec, GroupSpec
from hdmf_arrow.spec.write import spec_document

if TYPE_CHECKING:
    from collections.abc import Callable

    from hdmf_arrow.common import TypeMap
    from hdmf_arrow.spec import SpecNamespace

_TEXT = h5py.string_dtype("utf-8")
_ASCII = h5py.string_dtype("ascii")
_NUMERIC = {
    "float": "float32", "float32": "float32", "double": "float64", "float64": "float64",
    "long": "int64", "int64": "int64", "int": "int32", "int32": "int32", "short": "int16",
    "int16": "int16", "int8": "int8", "uint": "uint32", "uint32": "uint32", "uint64": "uint64",
    "uint16": "uint16", "uint8": "uint8", "bool": "bool",
}  # fmt: skip
_RESERVED = frozenset({"neurodata_type", "data_type", "namespace", "object_id"})


class H5Writer:
    """Writes a container tree into an open, empty h5py File."""

    def __init__(self, file: h5py.File, type_map: TypeMap, *, target: str) -> None:
        self.file = file
        self.type_map = type_map
        self.target = target
        self.progress: Callable[[int], None] | None = None
        self.paths: dict[str, str] = {}  # object id -> HDF5 path
        self.type_key = "data_type"
        self._refs: list[Callable[[], None]] = []  # written once every object exists
        self._regions = RegionWriter(file, self.paths.get)

    # -- planning ------------------------------------------------------------------------------

    def total_bytes(self, root: Container) -> int:
        """About how many bytes the datasets of ``root`` hold (for a progress bar)."""
        total = 0
        for c in walk(root):
            if isinstance(c, DynamicTable):
                total += sum(col.to_arrow().nbytes if col._loaded else 0 for col in c.columns)
            elif isinstance(c, Data) and c._loaded and not (isinstance(c, Dataset) and c.is_scalar):
                total += c.to_arrow().nbytes
        return total

    def _plan(self, node: Container, path: str) -> None:
        self.paths[node.object_id] = path
        if isinstance(node, Link):
            return
        prefix = "" if path == "/" else path
        if isinstance(node, DynamicTable):
            self.paths[node.id.object_id] = f"{prefix}/id"
            for top in map(node.get_column, node.colnames):
                base = top.get_target_data()
                self.paths[base.object_id] = f"{prefix}/{base.name}"
                part: Any = top
                level = top.index_depth
                while level:
                    self.paths[part.object_id] = f"{prefix}/{base.name}{'_index' * level}"
                    part = part.target
                    level -= 1
            extra = [*node.members.values()]
            if isinstance(node, AlignedDynamicTable):
                extra += node.category_tables.values()
            for child in extra:
                self._plan(child, f"{prefix}/{child.name}")
            return
        for child in node.children:
            self._plan(child, f"{prefix}/{child.name}")

    def _uses_nwb(self, root: Container) -> bool:
        catalog = self.type_map.namespace_catalog
        seen = used_namespaces(root)
        todo = list(seen)
        while todo:
            name = todo.pop()
            if name == "core":
                return True
            if name in catalog.namespaces:
                more = [e.namespace for e in catalog.get_namespace(name).schema if e.namespace]
                todo += [m for m in more if m not in seen]
                seen.update(more)
        return False

    # -- writing -------------------------------------------------------------------------------

    def write(self, root: Container) -> None:
        self.type_key = "neurodata_type" if self._uses_nwb(root) else "data_type"
        self._plan(root, "/")
        if isinstance(root, Link):
            msg = f"cannot write link {root.name!r} as the root of {self.target}"
            raise UnsupportedHDF5Error(msg)
        self._object(self.file, root, root_group=self.file)
        for write_reference in self._refs:
            write_reference()
        self._write_specs(root)

    def _spec(self, obj: Container) -> GroupSpec | DatasetSpec | None:
        if obj.data_type is None or obj.namespace is None:
            return None
        try:
            home = self.type_map.namespace_of(obj.data_type, obj.namespace)
            spec = self.type_map.namespace_catalog.get_spec(home, obj.data_type)
        except (HdmfArrowError, KeyError):
            return None
        return spec if isinstance(spec, GroupSpec | DatasetSpec) else None

    def _type_attrs(
        self, h5obj: h5py.HLObject, obj: Container, object_id: str | None = None
    ) -> None:
        if obj.data_type is None:
            return
        h5obj.attrs[self.type_key] = obj.data_type
        h5obj.attrs["namespace"] = obj.namespace
        h5obj.attrs["object_id"] = object_id or obj.object_id

    def _object(
        self,
        parent: h5py.Group,
        obj: Container,
        *,
        spec: GroupSpec | DatasetSpec | None = None,
        root_group: h5py.Group | None = None,
    ) -> None:
        own = self._spec(obj) or spec
        if isinstance(obj, Link):
            if obj.target is None or obj.target.object_id not in self.paths:
                what = "nothing" if obj.target is None else repr(obj.target.name)
                msg = f"link {obj.name!r} points at {what}, which is not in the tree written"
                raise UnresolvedReferenceError(msg)
            parent[obj.name] = h5py.SoftLink(self.paths[obj.target.object_id])
            return
        if isinstance(obj, DynamicTable):
            self._table(root_group or parent.create_group(obj.name), obj, own)
            return
        if isinstance(obj, CSRMatrix):
            self._csr(root_group or parent.create_group(obj.name), obj)
            return
        if isinstance(obj, HERD):
            self._herd(root_group or parent.create_group(obj.name), obj)
            return
        if isinstance(obj, Data):
            if root_group is not None:
                msg = f"{obj.data_type} {obj.name!r}: an HDF5 file's root is a group, not a dataset"
                raise UnsupportedHDF5Error(msg)
            self._dataset(parent, obj, own)
            return
        group = root_group if root_group is not None else parent.create_group(obj.name)
        self._type_attrs(group, obj)
        attributes = dict(getattr(obj, "attributes", {}))
        attributes.update(self.type_map.get_map(obj).get_attributes(obj))
        self._attributes(group, attributes, own, owner=obj)
        for child in obj.children:
            self._object(group, child, spec=_child_spec(own, child.name))

    def _herd(self, group: h5py.Group, herd: HERD) -> None:
        """HERD as hdmf writes it: a group of six compound datasets of type Data (text
        fields as variable-length UTF-8 strings, indices uint32), one row per table row."""
        self._type_attrs(group, herd)
        for table in herd.children:
            rows = table.to_arrow()  # type: ignore[attr-defined]
            fields = []
            for field in rows.schema:
                text = pa.types.is_string(field.type) or pa.types.is_large_string(field.type)
                fields.append((field.name, h5py.string_dtype() if text else np.uint32))
            values = np.empty(rows.num_rows, dtype=np.dtype(fields))
            for field, column in zip(rows.schema, rows.columns, strict=True):
                values[field.name] = column.to_numpy(zero_copy_only=False)
            ds = group.create_dataset(table.name, data=values, maxshape=(None,), chunks=True)
            self._type_attrs(ds, table)
            if self.progress is not None:
                self.progress(values.nbytes)

    def _attributes(
        self,
        h5obj: h5py.HLObject,
        attributes: dict[str, Any],
        spec: GroupSpec | DatasetSpec | None,
        *,
        owner: Container,
    ) -> None:
        for key, value in attributes.items():
            if value is None or key in _RESERVED:
                continue
            if isinstance(value, Container):
                self._reference_attr(h5obj, key, value, owner)
                continue
            if is_region_value(value):
                self._region_attr(h5obj, key, value["region"], owner)
                continue
            if _region_list(value):
                self._region_attr(h5obj, key, [v and v["region"] for v in value], owner)
                continue
            dtype = None
            if spec is not None:
                attr_spec = spec.get_attribute(key)
                dtype = None if attr_spec is None else attr_spec.dtype
            h5obj.attrs[key] = _attr_value(
                value, dtype, where=f"attribute {key!r} of {owner.name!r}"
            )

    def _reference_attr(
        self, h5obj: h5py.HLObject, key: str, target: Container, owner: Container
    ) -> None:
        path = self.paths.get(target.object_id)
        if path is None:
            msg = (
                f"attribute {key!r} of {owner.name!r} refers to {target.data_type} "
                f"{target.name!r}, which is not in the tree written to {self.target}"
            )
            raise UnresolvedReferenceError(msg)
        self._reference_path(h5obj, key, path)

    def _region_attr(
        self,
        h5obj: h5py.HLObject,
        key: str,
        cell: dict[str, Any] | list[dict[str, Any] | None],
        owner: Container,
    ) -> None:
        """Set attribute ``key`` to a region reference (or an array of them, for a list of
        cells) once every object exists."""
        where = f"attribute {key!r} of {owner.name!r}"

        def write() -> None:
            if isinstance(cell, list):
                refs = [
                    self._regions.one(c, where=f"item {k} of {where}") for k, c in enumerate(cell)
                ]
                h5obj.attrs.create(key, refs, dtype=h5py.regionref_dtype)
            else:
                h5obj.attrs[key] = self._regions.one(cell, where=where)

        self._refs.append(write)

    def _reference_path(self, h5obj: h5py.HLObject, key: str, path: str) -> None:
        """Set attribute ``key`` to a reference to ``path`` once every object exists."""
        self._refs.append(lambda: h5obj.attrs.__setitem__(key, self.file[path].ref))

    # -- datasets --------------------------------------------------------------------------

    def _dataset(
        self, parent: h5py.Group, data: Data, spec: GroupSpec | DatasetSpec | None
    ) -> None:
        where = f"dataset {data.name!r}"
        if isinstance(data, EnumData):
            msg = (
                f"EnumData {data.name!r} is outside a table; HDF5 export writes EnumData as "
                f"table columns only (with their <name>_elements beside them), so nothing "
                f"was written. Hint: make it a column of a DynamicTable"
            )
            raise UnsupportedHDF5Error(msg)
        if isinstance(data, Dataset) and data.is_scalar:
            value = data.scalar
            if isinstance(value, Container):
                ds = parent.create_dataset(data.name, shape=(), dtype=h5py.ref_dtype)
                self._refs.append(
                    lambda: ds.__setitem__((), self.file[self.paths[value.object_id]].ref)
                )
            elif is_region_value(value):
                ds = parent.create_dataset(data.name, shape=(), dtype=h5py.regionref_dtype)
                cell = value["region"]
                self._refs.append(lambda: ds.__setitem__((), self._regions.one(cell, where=where)))
            else:
                dtype = spec.dtype if isinstance(spec, DatasetSpec) else None
                ds = parent.create_dataset(data.name, data=_attr_value(value, dtype, where=where))
        elif getattr(data, "_blocks", None) is not None and not data._loaded and not data.reftype:
            ds = self._blockwise(parent, data, spec, where=where)
        else:
            ds = self._array(parent, data.name, data.to_arrow(), data.reftype, spec, where=where)
        self._type_attrs(ds, data)
        attributes = dict(data.attributes)
        if getattr(data, "description", None) is not None:
            attributes.setdefault("description", data.description)  # type: ignore[attr-defined]
        self._attributes(ds, attributes, spec, owner=data)
        if isinstance(data, DynamicTableRegion):
            self._region_table(ds, data)

    def _region_table(self, ds: h5py.Dataset, region: DynamicTableRegion) -> None:
        if region.table is None:
            msg = f"region {region.name!r} has no target table; HDF5 needs one"
            raise UnresolvedReferenceError(msg)
        self._reference_attr(ds, "table", region.table, region)

    def _array(
        self,
        parent: h5py.Group,
        name: str,
        arr: pa.Array,
        reftype: Any,
        spec: GroupSpec | DatasetSpec | None,
        *,
        where: str,
    ) -> h5py.Dataset:
        """A dataset holding ``arr`` (rows along the first axis; fixed-size lists as more
        axes; references written once their targets exist)."""
        shape = [len(arr)]
        flat = arr
        while pa.types.is_fixed_size_list(flat.type):
            if flat.null_count:
                msg = f"{where} has null rows; HDF5 cannot hold them"
                raise UnsupportedHDF5Error(msg)
            shape.append(flat.type.list_size)
            flat = flat.flatten()
        spec_dtype = spec.dtype if isinstance(spec, DatasetSpec) else None
        if reftype == "object":
            ds = parent.create_dataset(name, shape=tuple(shape), dtype=h5py.ref_dtype)
            ids = flat
            self._refs.append(
                lambda: ds.__setitem__(slice(None), self._refs_of(ids, where).reshape(shape))
            )
            return ds
        if reftype == "region":
            ds = parent.create_dataset(name, shape=tuple(shape), dtype=h5py.regionref_dtype)
            cells = flat
            self._refs.append(
                lambda: ds.__setitem__(
                    slice(None), self._regions.many(cells, where=where).reshape(shape)
                )
            )
            return ds
        values, ids = _numpy(flat, where=where, spec_dtype=spec_dtype, reftype=reftype)
        if ids:  # a compound with reference fields: filled in once their targets exist
            ds = parent.create_dataset(name, shape=tuple(shape), dtype=values.dtype)

            def fill() -> None:
                for field, field_ids in ids.items():
                    here = f"{where}, field {field!r}"
                    if isinstance(reftype, dict) and reftype.get(field) == "region":
                        values[field] = self._regions.many(field_ids, where=here)
                    else:
                        values[field] = self._refs_of(field_ids, here)
                ds[...] = values.reshape(shape)

            self._refs.append(fill)
            return ds
        if self.progress is not None:
            self.progress(values.nbytes)
        return parent.create_dataset(name, data=values.reshape(shape), dtype=values.dtype)

    def _blockwise(
        self, parent: h5py.Group, data: Data, spec: GroupSpec | DatasetSpec | None, *, where: str
    ) -> h5py.Dataset:
        """A dataset copied from its source (a store) block by block: memory stays bounded
        by one block whatever the dataset's size."""
        spec_dtype = spec.dtype if isinstance(spec, DatasetSpec) else None
        ds: h5py.Dataset | None = None
        start = 0
        n = len(data)
        for block in data._blocks():  # type: ignore[attr-defined]
            values, _ = _numpy(_flat(block), where=where, spec_dtype=spec_dtype, reftype=None)
            shape = (len(block), *_row_shape(block.type))
            if ds is None:
                chunks = (
                    max(1, min(n, 2**20 // max(1, values.itemsize * int(np.prod(shape[1:]))))),
                    *shape[1:],
                )
                ds = parent.create_dataset(
                    data.name,
                    shape=(n, *shape[1:]),
                    dtype=values.dtype,
                    chunks=chunks if n else None,
                )
            ds[start : start + len(block)] = values.reshape(shape)
            start += len(block)
            if self.progress is not None:
                self.progress(values.nbytes)
        if ds is None:  # no rows at all
            return self._array(parent, data.name, data.to_arrow(), None, spec, where=where)
        return ds

    def _refs_of(self, ids: pa.Array, where: str) -> np.ndarray:
        """Object ids as HDF5 object references: one lookup per distinct target, then one
        take for every row."""
        distinct = pc.unique(ids)
        refs = np.empty(len(distinct), dtype=h5py.ref_dtype)
        for k, oid in enumerate(distinct.to_pylist()):
            path = self.paths.get(oid) if oid is not None else None
            if path is None:
                hit = ids.is_null() if oid is None else pc.equal(ids, oid)
                msg = (
                    f"{where}: row {pc.index(hit, True).as_py()} refers to object {oid!r}, "
                    f"which is not in the tree written"
                )
                raise UnresolvedReferenceError(msg)
            refs[k] = self.file[path].ref
        positions = pc.index_in(ids, value_set=distinct, skip_nulls=False)
        out: np.ndarray = refs[positions.to_numpy(zero_copy_only=False)]
        return out

    # -- tables ----------------------------------------------------------------------------

    def _table(
        self, group: h5py.Group, table: DynamicTable, spec: GroupSpec | DatasetSpec | None
    ) -> None:
        self._type_attrs(group, table)
        group.attrs["colnames"] = np.array(list(table.colnames), dtype=_TEXT)
        group.attrs["description"] = _attr_value(
            table.description, "text", where=f"the description of table {table.name!r}"
        )
        mapped = self.type_map.get_map(table).get_attributes(table)
        self._attributes(group, mapped, spec, owner=table)
        ids = table.id
        id_ds = group.create_dataset("id", data=np.asarray(ids.data, dtype=np.int64))
        self._type_attrs(id_ds, ids)
        for top in map(table.get_column, table.colnames):
            self._column(group, table, top, spec)
        if isinstance(table, AlignedDynamicTable):
            group.attrs["categories"] = np.array(table.categories, dtype=_TEXT)
            for category in table.category_tables.values():
                self._table(group.create_group(category.name), category, self._spec(category))
        for member in table.members.values():
            self._object(group, member, spec=_child_spec(spec, member.name))

    def _column(self, group: h5py.Group, table: DynamicTable, top: Any, spec: Any) -> None:
        meta = column_meta(top)
        base = top.get_target_data()
        col = base.name  # a ragged column's top is its index, named <col>_index
        where = f"column {col!r} of table {table.name!r}"
        arr, split = ragged.split(top.to_arrow(), meta.index)
        for level in split:
            if level.valid is not None:
                msg = f"{where} has null cells; HDF5 (a VectorIndex) cannot hold them"
                raise UnsupportedHDF5Error(msg)
        levels = [np.asarray(level.offsets)[1:] for level in split]  # outermost first
        col_spec = _child_spec(spec, col)
        if isinstance(base, EnumData):
            arr = _codes(arr, base)
        ds = self._array(group, col, arr, meta.reftype, col_spec, where=where)
        self._type_attrs(ds, base)
        attributes = {"description": meta.description, **meta.attributes}
        self._attributes(ds, attributes, col_spec, owner=base)
        if isinstance(base, DynamicTableRegion):
            self._region_table(ds, base)
        if isinstance(base, EnumData):
            elements = base.elements_data
            el = self._array(group, f"{col}_elements", elements.to_arrow(), None, None, where=where)
            self._type_attrs(el, elements)
            el.attrs["description"] = _attr_value(
                elements.description, "text", where=f"the description of {where}'s elements"
            )
            self.paths[elements.object_id] = el.name
            self._reference_attr(ds, "elements", elements, base)
        target = ds
        part = top
        names = [col + "_index" * k for k in range(meta.index, 0, -1)]
        parts = []
        for _ in range(meta.index):
            parts.append(part)
            part = part.target
        for name, ends, index in reversed(list(zip(names, levels, parts, strict=True))):
            data = ends.astype(_index_dtype(int(ends[-1]) if len(ends) else 0))
            index_ds = group.create_dataset(name, data=data)
            self._type_attrs(index_ds, index)
            index_ds.attrs["description"] = _attr_value(
                index.description or f"Index for VectorData {col!r}",
                "text",
                where=f"the description of {name!r} of table {table.name!r}",
            )
            self._reference_path(index_ds, "target", target.name)
            target = index_ds

    def _csr(self, group: h5py.Group, matrix: CSRMatrix) -> None:
        self._type_attrs(group, matrix)
        group.attrs["shape"] = np.asarray(matrix.shape, dtype=np.uint64)
        if matrix.description:
            group.attrs["description"] = matrix.description
        group.create_dataset("data", data=matrix.data)
        group.create_dataset("indices", data=matrix.indices.astype(np.uint64))
        group.create_dataset("indptr", data=matrix.indptr.astype(np.uint64))

    # -- specs -----------------------------------------------------------------------------

    def _write_specs(self, root: Container) -> None:
        catalog = self.type_map.namespace_catalog
        todo = sorted(n for n in used_namespaces(root) if n in catalog.namespaces)
        done: set[str] = set()
        specs = self.file.require_group("specifications")
        while todo:
            name = todo.pop()
            if name in done:
                continue
            done.add(name)
            ns = catalog.get_namespace(name)
            group = specs.require_group(f"{name}/{ns.version or 'unversioned'}")
            for key, text in _documents(ns).items():
                group.create_dataset(key, data=text, dtype=_TEXT)
            todo += [e.namespace for e in ns.schema if e.namespace and e.namespace not in done]
        self.file.attrs[".specloc"] = specs.ref


def _documents(ns: SpecNamespace) -> dict[str, str]:
    """A namespace as hdmf caches it: JSON text per source (named without ``.yaml``)."""
    doc = ns.to_dict()
    schema = [dict(e) for e in doc.get("schema", ())]  # type: ignore[union-attr, arg-type]
    for entry in schema:
        if "source" in entry:
            entry["source"] = _stem(str(entry["source"]))
    docs = {"namespace": json.dumps({"namespaces": [{**doc, "schema": schema}]})}
    for source, specs in ns.own_sources().items():
        docs[_stem(source)] = json.dumps(spec_document(specs))
    return docs


def _stem(source: str) -> str:
    return source.rsplit(".", 1)[0] if source.endswith((".yaml", ".yml")) else source


def _region_list(value: object) -> bool:
    """Whether an attribute value is a list of region references (None for a null one)."""
    return (
        isinstance(value, list)
        and any(v is not None for v in value)
        and all(v is None or is_region_value(v) for v in value)
    )


def _child_spec(spec: GroupSpec | DatasetSpec | None, name: str) -> GroupSpec | DatasetSpec | None:
    if not isinstance(spec, GroupSpec):
        return None
    for child in (*spec.datasets, *spec.groups):
        if child.name == name:
            return child  # type: ignore[return-value]
    return None


def _flat(arr: pa.Array) -> pa.Array:
    while pa.types.is_fixed_size_list(arr.type):
        arr = arr.flatten()
    return arr


def _row_shape(t: pa.DataType) -> tuple[int, ...]:
    shape: list[int] = []
    while pa.types.is_fixed_size_list(t):
        shape.append(t.list_size)
        t = t.value_type
    return tuple(shape)


def _index_dtype(largest: int) -> np.dtype:
    for t in (np.uint8, np.uint16, np.uint32):
        if largest <= np.iinfo(t).max:
            return np.dtype(t)
    return np.dtype(np.uint64)


def _codes(arr: pa.Array, enum: EnumData) -> pa.Array:
    if pa.types.is_fixed_size_list(arr.type):  # an N-D enum: rows of codes
        return enum.codes_of(arr)
    values = arr.dictionary_decode() if pa.types.is_dictionary(arr.type) else arr
    codes = pc.index_in(values, value_set=enum.elements_data.to_arrow())
    return codes.cast(
        enum._buf.type.index_type if pa.types.is_dictionary(enum._buf.type) else pa.uint32()
    )


def _numpy(
    flat: pa.Array, *, where: str, spec_dtype: Any, reftype: Any
) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """A flat Arrow array as the numpy array h5py writes, and, for a compound, the object ids
    of each reference field (written once their targets exist)."""
    t = flat.type
    if pa.types.is_struct(t):
        parts: dict[str, np.ndarray | None] = {}
        dtypes = []
        ids: dict[str, pa.Array] = {}
        for i, f in enumerate(t):
            child = flat.field(i)
            if isinstance(reftype, dict) and reftype.get(f.name) in ("object", "region"):
                kind = reftype[f.name]
                dtypes.append(
                    (f.name, h5py.ref_dtype if kind == "object" else h5py.regionref_dtype)
                )
                ids[f.name] = child
                parts[f.name] = None
            else:
                field, _ = _numpy(child, where=f"{where}, field {f.name!r}", spec_dtype=None,
                                  reftype=None)  # fmt: skip
                dtypes.append((f.name, field.dtype))
                parts[f.name] = field
        out = np.empty(len(flat), dtype=dtypes)
        for name, part in parts.items():
            if part is not None:
                out[name] = part
        return out, ids
    return _plain_numpy(flat, where=where, spec_dtype=spec_dtype), {}


def _plain_numpy(flat: pa.Array, *, where: str, spec_dtype: Any) -> np.ndarray:
    t = flat.type
    if pa.types.is_null(t):  # no value ever told the type: HDF5 needs one (float64, NaN)
        return np.full(len(flat), np.nan)
    if pa.types.is_dictionary(t):
        flat = flat.dictionary_decode()
        t = flat.type
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        flat = pc.strftime(
            flat,
            format="%Y-%m-%dT%H:%M:%S.%f%z" if getattr(t, "tz", None) else "%Y-%m-%dT%H:%M:%S.%f",
        )
        t = flat.type
    if flat.null_count:
        if pa.types.is_floating(t):
            filled: np.ndarray = flat.fill_null(np.nan).to_numpy(zero_copy_only=False)
            return filled
        msg = (
            f"{where} holds {flat.null_count} null value(s); HDF5 has no null for type {t}. "
            f"Hint: fill them (e.g. pyarrow.compute.fill_null) before exporting."
        )
        raise UnsupportedHDF5Error(msg)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        if len(flat) and pc.any(pc.match_substring(flat, "\x00")).as_py():
            first = pc.index(pc.match_substring(flat, "\x00"), True).as_py()
            msg = (
                f"{where}: value {first} holds a NUL character, which HDF5 text cannot hold. "
                f"Hint: remove it (pyarrow.compute.replace_substring) before exporting."
            )
            raise UnsupportedHDF5Error(msg)
        ascii_only = spec_dtype in ("ascii", "bytes")
        return np.asarray(
            flat.to_numpy(zero_copy_only=False), dtype=_ASCII if ascii_only else _TEXT
        )
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return np.asarray(flat.to_pylist(), dtype="S")
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        msg = f"{where} is ragged inside a dataset (type {t}); HDF5 needs an index for that"
        raise UnsupportedHDF5Error(msg)
    out: np.ndarray = flat.to_numpy(zero_copy_only=False)
    return out


def _attr_value(value: Any, dtype: Any, *, where: str) -> Any:
    """An attribute (or scalar dataset) value as h5py writes it, in its spec's dtype."""
    if isinstance(value, str) or (
        isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value)
    ):
        texts = [value] if isinstance(value, str) else list(value)
        if any("\x00" in v for v in texts):
            msg = f"{where} holds a NUL character, which HDF5 text cannot hold"
            raise UnsupportedHDF5Error(msg)
    if isinstance(value, str):
        return np.array(value, dtype=_ASCII if dtype in ("ascii", "bytes") else _TEXT)
    numeric = _NUMERIC.get(dtype) if isinstance(dtype, str) else None
    if isinstance(value, list | tuple):
        # an empty array is text only where its spec says so (numpy's float64 otherwise)
        empty_text = not value and dtype is not None and numeric is None
        if (value and all(isinstance(v, str) for v in value)) or empty_text:
            return np.array(value, dtype=_TEXT)
    arr = np.asarray(value)
    if arr.dtype.kind == "O":
        msg = f"{where} holds {value!r:.60}, which an HDF5 attribute cannot hold"
        raise UnsupportedHDF5Error(msg)
    if numeric is not None and arr.dtype.kind in "biuf":
        target = np.dtype(numeric)
        if (arr.dtype.kind == "f" and target.kind in "iu") or (
            arr.dtype.kind == "b" and target.kind != "b"
        ):
            return arr  # do not truncate: the validator reports a wrong type, we do not hide it
        if target.kind == "f" and arr.dtype.kind == "f" and arr.dtype.itemsize > target.itemsize:
            return arr  # hdmf writes the wider float a user gave
        return arr.astype(target)
    return arr
