"""HDF5 (hdmf's layout) -> containers, driven by the specs cached in the file.

Every typed group becomes a container of its data type's class (generated from the cached spec
when no class is registered), every untyped group a :class:`Group`, every dataset a
:class:`Dataset` (or its data type's class), every soft link a :class:`Link`. A group whose
type is a DynamicTable becomes a table: ``colnames`` in order, ``*_index`` datasets as list
levels, regions, enums, object and region references as columns (docs/format.md, section 8).

Nothing but scalars and enum elements is read up front: columns and datasets are read when
first used, in blocks when a store writes them.
"""

from __future__ import annotations

import functools
import json
import posixpath
from typing import TYPE_CHECKING, Any

import h5py
import numpy as np
import pandas as pd
import pyarrow as pa

from hdmf_arrow.arrow.buffer import ColumnBuffer
from hdmf_arrow.arrow.metadata import ColumnMeta
from hdmf_arrow.common import (
    AlignedDynamicTable,
    Container,
    CSRMatrix,
    Data,
    Dataset,
    DynamicTable,
    DynamicTableRegion,
    ElementIdentifiers,
    EnumData,
    Group,
    Link,
    SimpleMultiContainer,
    VectorData,
)
from hdmf_arrow.common._columns import column_from_stored
from hdmf_arrow.common._enum import cell_leaf, cell_shape, enum_cells, nested_type
from hdmf_arrow.common._herd import HERD
from hdmf_arrow.common._herd_tables import TABLES as HERD_TABLES
from hdmf_arrow.common._registry import SpecGroup
from hdmf_arrow.errors import (
    HdmfArrowError,
    SchemaMismatchError,
    UnknownTypeError,
    UnresolvedReferenceError,
    UnsupportedHDF5Error,
)
from hdmf_arrow.io.hdf5._cells import REGION_TYPE
from hdmf_arrow.io.hdf5._regions import region_cells, region_value

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from hdmf_arrow.common import TypeMap

TYPE_KEYS = ("neurodata_type", "data_type")  # pynwb's attribute name, hdmf's
_SKIP_ATTRS = frozenset({*TYPE_KEYS, "namespace", "object_id", ".specloc"})
BLOCK_BYTES = 64 * 2**20  # a dataset is read and written in blocks of about this size
# what h5py, numpy and pyarrow raise on a file that is not laid out as hdmf writes
_DAMAGE = (
    AttributeError, TypeError, ValueError, IndexError, KeyError, RecursionError,
    UnicodeDecodeError, pa.ArrowException, OSError,
)  # fmt: skip


class _Ref:
    """An object reference met while reading, resolved once every object exists."""

    __slots__ = ("ref",)

    def __init__(self, ref: h5py.Reference) -> None:
        self.ref = ref


class _Region(_Ref):
    """A region reference met while reading: becomes ``{"region": cell}`` once every object
    exists (docs/format.md, section 8)."""

    __slots__ = ()


class _Regions(_Region):
    """An attribute holding an array of region references: becomes a list of them."""

    __slots__ = ()


def load_cached_specs(file: h5py.File, type_map: TypeMap, *, source: str) -> list[str]:
    """Load the namespaces cached under ``/specifications`` that ``type_map`` lacks (those
    another includes first); returns the names loaded."""
    if not isinstance(file.get("specifications"), h5py.Group):
        return []
    catalog = type_map.namespace_catalog
    pending: dict[str, tuple[Any, dict[str, Any]]] = {}
    for name, versions in file["specifications"].items():
        if name in catalog.namespaces or not isinstance(versions, h5py.Group) or not versions:
            continue
        version = sorted(versions, key=_version_key)[-1]  # the newest cached version
        group = versions[version]
        try:
            docs = {k: json.loads(_text(group[k][()])) for k in group}
        except (ValueError, TypeError) as exc:
            msg = f"{source}: cached spec /specifications/{name}/{version} does not parse ({exc})"
            raise SchemaMismatchError(msg) from None
        pending[name] = (docs.pop("namespace", None), docs)
    loaded: list[str] = []
    while pending:
        progress = False
        for name, (namespace, docs) in list(pending.items()):
            if namespace is None:
                msg = f"{source}: /specifications/{name} has no 'namespace' document"
                raise SchemaMismatchError(msg)
            includes = {
                s["namespace"]
                for n in namespace.get("namespaces", ())
                for s in n.get("schema", ())
                if isinstance(s, dict) and "namespace" in s
            }
            if includes - set(catalog.namespaces):
                continue
            sources = {}
            for n in namespace.get("namespaces", ()):
                for s in n.get("schema", ()):
                    if isinstance(s, dict) and "source" in s:
                        src = str(s["source"])
                        stem = src.rsplit(".", 1)[0] if src.endswith((".yaml", ".yml")) else src
                        sources[src] = docs.get(src, docs.get(stem, {}))
            catalog.load_namespace_documents(
                namespace, sources, origin=f"{source}/specifications/{name}"
            )
            del pending[name]
            loaded.append(name)
            progress = True
        if not progress:
            msg = (
                f"{source}: cached namespaces {sorted(pending)} include namespaces that are "
                f"neither cached in the file nor loaded"
            )
            raise SchemaMismatchError(msg)
    return loaded


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in version.replace("-", ".").split("."))


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return _text(value[()])
    if isinstance(value, np.ndarray):
        msg = f"expected one text value, found an array of shape {value.shape}"
        raise UnsupportedHDF5Error(msg)
    return str(value)


def type_key_of(file: h5py.File) -> str:
    """The attribute the file names data types with (``neurodata_type`` in NWB files)."""
    return "neurodata_type" if "neurodata_type" in file.attrs else "data_type"


class H5Reader:
    """Builds the container tree of an open HDF5 file."""

    def __init__(
        self,
        file: h5py.File,
        type_map: TypeMap,
        *,
        source: str,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.file = file
        self.type_map = type_map
        self.source = source
        self.progress = progress
        self.by_path: dict[str, Container] = {}
        self.links: list[tuple[Link, str]] = []
        # (owner, attribute or None for a scalar dataset's value, reference or region)
        self.refs: list[tuple[Container, str | None, _Ref]] = []
        self.regions: list[tuple[DynamicTableRegion, _Ref]] = []
        self._addresses: dict[int, str] = {}  # HDF5 object address -> path first seen
        # HDF5 object address -> what was made of it: how references are resolved (HDF5's
        # own H5Rget_name / H5Iget_name search the whole file for a path, ~0.1 s per call in
        # a file of a few thousand objects)
        self.by_address: dict[int, Container] = {}

    # -- the tree ----------------------------------------------------------------------------

    def read(self) -> Container:
        root = self._group("root", self.file)
        self._resolve()
        return root

    def _where(self, obj: h5py.HLObject) -> str:
        return f"{obj.name} of {self.source}"

    def _member(self, parent: h5py.Group, key: str) -> Container | None:
        path = f"{parent.name.rstrip('/')}/{key}"
        try:
            return self._read_member(parent, key, path)
        except HdmfArrowError:
            raise
        except _DAMAGE as exc:  # a file that is not what hdmf writes: say where, never crash
            msg = (
                f"{path} of {self.source} cannot be read as hdmf's layout "
                f"({type(exc).__name__}: {str(exc)[:200]})"
            )
            raise SchemaMismatchError(msg) from None

    def _read_member(self, parent: h5py.Group, key: str, path: str) -> Container | None:
        link = parent.get(key, getlink=True)
        if isinstance(link, h5py.SoftLink):
            made = Link(key)
            target = (
                link.path if link.path.startswith("/") else f"{parent.name.rstrip('/')}/{link.path}"
            )
            self.links.append((made, posixpath.normpath(target)))
            return made
        if isinstance(link, h5py.ExternalLink):
            msg = (
                f"{path} of {self.source} is an external link to {link.filename}:{link.path}; "
                f"external links are not imported. Hint: copy the target into the file, or "
                f"import the other file separately."
            )
            raise UnsupportedHDF5Error(msg)
        obj = parent[key]
        address = h5py.h5o.get_info(obj.id).addr
        first = self._addresses.setdefault(address, path)
        if first != path:  # a second hard link to one object: keep one object, link to it
            made = Link(key)
            self.links.append((made, first))
            return made
        if isinstance(obj, h5py.Group):
            return self._group(key, obj)
        if isinstance(obj, h5py.Dataset):
            return self._dataset(key, obj)
        return None  # a named datatype: nothing to hold

    def _attrs(
        self, obj: h5py.HLObject
    ) -> tuple[str | None, str | None, str | None, dict[str, Any]]:
        """(data type, namespace, object id, other attributes) of an HDF5 object."""
        raw = dict(obj.attrs)
        data_type = next((raw[k] for k in TYPE_KEYS if k in raw), None)
        namespace = raw.get("namespace")
        object_id = raw.get("object_id")
        attrs = {k: self._attr_value(v, obj, k) for k, v in raw.items() if k not in _SKIP_ATTRS}
        try:
            return (
                None if data_type is None else _text(data_type),
                None if namespace is None else _text(namespace),
                None if object_id is None else _text(object_id),
                attrs,
            )
        except UnsupportedHDF5Error as exc:
            msg = f"{self._where(obj)}: its data type, namespace or object id: {exc}"
            raise UnsupportedHDF5Error(msg) from None

    def _attr_value(self, value: Any, obj: h5py.HLObject, key: str) -> Any:
        if isinstance(value, h5py.RegionReference):
            return _Region(value)
        if isinstance(value, h5py.Reference):
            return _Ref(value)
        if isinstance(value, h5py.Empty):
            return None  # an attribute without a value (HDF5's null dataspace)
        if isinstance(value, bytes):
            try:
                return value.decode("utf-8")
            except UnicodeDecodeError:
                msg = (
                    f"attribute {key!r} of {self._where(obj)} holds bytes that are not UTF-8 "
                    f"text ({value[:20]!r}); hdmf-arrow keeps attributes as text"
                )
                raise UnsupportedHDF5Error(msg) from None
        if isinstance(value, np.generic | np.ndarray) and value.dtype.names is not None:
            msg = (
                f"attribute {key!r} of {self._where(obj)} is compound (fields "
                f"{', '.join(value.dtype.names)}); hdmf-arrow keeps attributes as JSON values, "
                f"which would lose its field names and types, so it is not imported"
            )
            raise UnsupportedHDF5Error(msg)
        if isinstance(value, np.generic):
            return value.item()
        if isinstance(value, np.ndarray):
            if value.dtype.kind == "O" or value.dtype.kind == "S":
                items = [self._attr_value(v, obj, key) for v in value.ravel().tolist()]
                if any(isinstance(v, _Region) for v in items):
                    return _Regions([v.ref for v in items])
                if any(isinstance(v, _Ref) for v in items):
                    msg = (
                        f"attribute {key!r} of {self._where(obj)} is an array of object "
                        f"references (not imported)"
                    )
                    raise UnsupportedHDF5Error(msg)
                return items
            return value.tolist()
        return value

    def _class(self, data_type: str, namespace: str | None, obj: h5py.HLObject) -> type[Container]:
        try:
            if namespace is None:
                msg = "it has no 'namespace' attribute"
                raise UnknownTypeError(msg)
            return self.type_map.get_class(data_type, namespace)
        except (HdmfArrowError, KeyError) as exc:
            msg = (
                f"{self._where(obj)} has data type {data_type!r} of namespace {namespace!r}, "
                f"which is not known ({exc}). Hint: load the namespace with load_namespaces() "
                f"(the file does not cache its spec)."
            )
            raise UnknownTypeError(msg) from None

    def _group(self, name: str, g: h5py.Group) -> Container:
        data_type, namespace, object_id, attrs = self._attrs(g)
        cls: type[Container] = Group
        if data_type is not None:
            cls = self._class(data_type, namespace, g)
        made: Container
        if issubclass(cls, DynamicTable):
            made = self._table(name, g, cls, object_id, attrs)
        elif issubclass(cls, CSRMatrix):
            made = self._csr(name, g, cls, object_id, attrs)
        elif issubclass(cls, HERD):
            made = self._herd(name, g, cls, object_id)
        else:
            keys = [k for k in g if not (g.name == "/" and k == "specifications")]
            children = [c for key in keys if (c := self._member(g, key)) is not None]
            if issubclass(cls, SpecGroup):
                fields = {k: attrs[k] for k in cls.spec_attributes if k in attrs}
                made = cls(name, children, attributes=attrs, object_id=object_id, **fields)
            elif issubclass(cls, SimpleMultiContainer):
                made = cls(name, children, attributes=attrs, object_id=object_id)
            else:
                msg = (
                    f"{self._where(g)}: data type {data_type!r} is registered as "
                    f"{cls.__name__}, which cannot be built from an HDF5 group"
                )
                raise UnsupportedHDF5Error(msg)
            self._note_refs(made, attrs)
        self._keep(g, made)
        return made

    def _herd(self, name: str, g: h5py.Group, cls: type[HERD], object_id: str | None) -> HERD:
        """A HERD group as hdmf writes it: six compound datasets, read whole (they are small:
        one row per annotated key)."""
        tables: dict[str, Any] = {}
        for table_name, table_cls in HERD_TABLES.items():
            ds = g.get(table_name)
            if not isinstance(ds, h5py.Dataset) or ds.dtype.names is None:
                msg = (
                    f"{self._where(g)}: a HERD group holds the compound dataset "
                    f"{table_name!r}; found {type(ds).__name__ if ds is not None else 'nothing'}"
                )
                raise UnsupportedHDF5Error(msg)
            values = ds[()]
            columns = {}
            for field in ds.dtype.names:
                column = values[field]
                if column.dtype.kind in "OS":
                    column = [v.decode() if isinstance(v, bytes) else v for v in column.tolist()]
                columns[field] = column
            _, _, table_id, _ = self._attrs(ds)
            try:
                tables[table_name] = table_cls.from_arrow(
                    pa.table(columns), table_name, object_id=table_id
                )
            except HdmfArrowError as exc:
                msg = f"{self._where(ds)}: {exc}"
                raise type(exc)(msg) from None
        return cls(**tables, name=name, object_id=object_id)

    def _note_refs(self, owner: Container, attrs: dict[str, Any]) -> None:
        for key, value in attrs.items():
            if isinstance(value, _Ref):
                self.refs.append((owner, key, value))

    # -- datasets ----------------------------------------------------------------------------

    def _dataset(self, name: str, ds: h5py.Dataset) -> Container:
        if ds.shape is None:
            msg = (
                f"{self._where(ds)} has a null dataspace (h5py.Empty, of dtype {ds.dtype}): it "
                f"holds no value, not even an empty array, and hdmf-arrow has no such dataset, "
                f"so the file is not imported. Hint: delete the dataset, or make it an empty "
                f"array (shape (0,)), with h5py"
            )
            raise UnsupportedHDF5Error(msg)
        data_type, namespace, object_id, attrs = self._attrs(ds)
        cls: type[Container] = Dataset
        if data_type is not None:
            cls = self._class(data_type, namespace, ds)
        made: Data
        if cls is Dataset or not issubclass(cls, Data):
            if cls is not Dataset:
                msg = f"{self._where(ds)}: data type {data_type!r} is not a dataset type"
                raise UnsupportedHDF5Error(msg)
            if ds.shape == ():
                value = self._scalar(ds)
                made = Dataset(name, 0 if isinstance(value, _Ref) else value, attributes=attrs,
                               object_id=object_id)  # fmt: skip
                if isinstance(value, _Ref):
                    self.refs.append((made, None, value))
            else:
                made = Dataset(name, None, attributes=attrs, object_id=object_id)
                self._lazy(made, ds)
        elif issubclass(cls, DynamicTableRegion):
            table = attrs.pop("table", None)
            description = str(attrs.pop("description", ""))
            made = cls(name, None, description, object_id=object_id)
            made.attributes.update(attrs)
            self._lazy(made, ds)
            if isinstance(table, _Ref):
                self.regions.append((made, table))
        elif issubclass(cls, EnumData):  # its elements: a dataset found by reference
            msg = (
                f"{self._where(ds)} is an EnumData outside a table; hdmf-arrow imports "
                f"EnumData as table columns only (with their <name>_elements beside them), "
                f"so the file is not imported. Hint: make it a column of a DynamicTable"
            )
            raise UnsupportedHDF5Error(msg)
        elif issubclass(cls, VectorData):
            description = str(attrs.pop("description", ""))
            made = cls(name, description, None, object_id=object_id, attributes=attrs)
            self._lazy(made, ds)
        else:
            made = cls(name, None, object_id=object_id)
            made.attributes.update(attrs)
            self._lazy(made, ds)
        self._note_refs(made, made.attributes)
        self._keep(ds, made)
        return made

    def _scalar(self, ds: h5py.Dataset) -> Any:
        dtype = ds.dtype
        if h5py.check_string_dtype(dtype) is not None:
            return ds.asstr("utf-8")[()]  # text typed ASCII may hold UTF-8, as attributes do
        value = ds[()]
        if isinstance(value, h5py.RegionReference):
            return _Region(value)
        if isinstance(value, h5py.Reference):
            return _Ref(value)
        if dtype.names is not None:
            msg = f"{self._where(ds)} is a scalar compound dataset (not imported)"
            raise UnsupportedHDF5Error(msg)
        if isinstance(value, np.generic):
            return value.item()
        return value

    def _lazy(self, data: Data, ds: h5py.Dataset) -> None:
        """Give ``data`` the rows of ``ds``, read when first used (or block by block)."""
        arrow_type, reftype = self._arrow_type(ds)
        data.reftype = reftype
        n = ds.shape[0] if ds.shape else 0
        data._buf = ColumnBuffer.stored(arrow_type, n, lambda: self.rows(ds))
        data._blocks = functools.partial(self.blocks, ds)  # type: ignore[attr-defined]

    def _arrow_type(self, ds: h5py.Dataset) -> tuple[pa.DataType, str | dict[str, str] | None]:
        """The Arrow type of one row of ``ds`` (rows along the first axis) and its reftype."""
        t, reftype = _element_type(ds.dtype, where=self._where(ds))
        if ds.shape[0] and any(k == 0 for k in ds.shape[1:]):  # no rows: any shape is kept
            msg = f"{self._where(ds)} has shape {ds.shape}: an axis after the first of length 0"
            raise UnsupportedHDF5Error(msg)
        for k in reversed(ds.shape[1:]):
            t = pa.list_(t, k)
        return t, reftype

    def rows(self, ds: h5py.Dataset, start: int = 0, stop: int | None = None) -> pa.Array:
        """Rows ``start:stop`` of a dataset as one Arrow array (its type: ``_arrow_type``)."""
        self._check_open(ds)
        try:
            return self._rows(ds, start, stop)
        except HdmfArrowError:
            raise
        except _DAMAGE as exc:
            raise self._damaged(ds, exc) from None

    def _check_open(self, ds: h5py.Dataset) -> None:
        if not ds.id.valid:
            msg = (
                f"the HDF5 file {self.source} was closed: its datasets are read when first "
                f"used. Hint: use the data (or write it to a store) inside `with HDF5IO(...)`."
            )
            raise UnsupportedHDF5Error(msg)

    def _damaged(self, obj: h5py.HLObject, exc: BaseException) -> SchemaMismatchError:
        msg = (
            f"{self._where(obj)} cannot be read as hdmf's layout "
            f"({type(exc).__name__}: {str(exc)[:200]})"
        )
        return SchemaMismatchError(msg)

    def _rows(self, ds: h5py.Dataset, start: int, stop: int | None) -> pa.Array:
        stop = ds.shape[0] if stop is None else stop
        if h5py.check_ref_dtype(ds.dtype) is h5py.Reference and stop > start:
            return self._object_ref_rows(ds, start, stop)
        values = ds[start:stop] if h5py.check_string_dtype(ds.dtype) is None else (
            ds.asstr("utf-8")[start:stop]  # text typed ASCII may hold UTF-8
        )  # fmt: skip
        if self.progress is not None:
            self.progress(_nbytes(ds, stop - start))
        return self._to_arrow(values, ds, start)

    def blocks(
        self, ds: h5py.Dataset, start: int = 0, stop: int | None = None
    ) -> Iterator[pa.Array]:
        """Rows ``start:stop`` of ``ds`` (all by default) in blocks of about BLOCK_BYTES
        (whole HDF5 chunks where it has them), so a dataset of any size is copied in bounded
        memory."""
        n = ds.shape[0] if stop is None else min(stop, ds.shape[0])
        per_row = max(1, _nbytes(ds, 1))
        step = max(1, BLOCK_BYTES // per_row)
        if ds.chunks is not None and ds.chunks[0] < step:
            step -= step % ds.chunks[0]
        for first in range(start, n, step):
            yield self.rows(ds, first, min(n, first + step))

    def _to_arrow(self, values: np.ndarray, ds: h5py.Dataset, start: int = 0) -> pa.Array:
        """Rows ``start:...`` of ``ds`` read as ``values``, as Arrow (``start`` names rows in
        messages)."""
        flat = values.reshape(-1) if values.ndim > 1 else values
        arr = self._flat_to_arrow(flat, ds.dtype, ds, (start, int(np.prod(values.shape[1:]))))
        for k in reversed(values.shape[1:]):
            arr = pa.FixedSizeListArray.from_arrays(arr, k)
        return arr

    def _flat_to_arrow(
        self, flat: np.ndarray, dtype: np.dtype, ds: h5py.Dataset, rows: tuple[int, int] = (0, 1)
    ) -> pa.Array:
        """``rows``: the first row's number and the elements per row (for messages)."""
        if dtype.names is not None:
            fields = []
            for f in dtype.names:
                if dtype == ds.dtype and h5py.check_ref_dtype(dtype[f]) is h5py.Reference:
                    fields.append(self._object_field(flat[f], ds, f, rows))  # by address
                else:
                    fields.append(self._flat_to_arrow(flat[f], dtype[f], ds, rows))
            return pa.StructArray.from_arrays(fields, names=list(dtype.names))
        if h5py.check_string_dtype(dtype) is not None:
            if flat.dtype.kind == "S" or (flat.size and isinstance(flat[0], bytes)):
                flat = np.char.decode(flat.astype("S"), "utf-8")
            return pa.array(flat, type=pa.string())
        ref = h5py.check_ref_dtype(dtype)
        if ref is h5py.RegionReference:
            return region_cells(
                flat, self.file, self._region_target, where=self._where(ds), rows=rows
            )
        if ref is not None:
            return self._object_ids(flat, ds)
        if dtype.kind == "S":
            return pa.array(np.char.decode(flat, "utf-8"), type=pa.string())
        if not flat.dtype.isnative:  # big-endian: Arrow holds native byte order only
            flat = flat.astype(flat.dtype.newbyteorder("="))
        if h5py.check_enum_dtype(dtype) is not None and dtype.kind != "b":
            return pa.array(flat.astype(dtype.base.newbyteorder("=")))
        return pa.array(flat)

    def _object_ref_rows(self, ds: h5py.Dataset, start: int, stop: int) -> pa.Array:
        """Rows of a dataset of object references as object ids, without an h5py Reference
        per row: the references are read as what HDF5 stores (the target's address, 0 for a
        null one) and each distinct address is looked up once. (h5py References hash by
        identity, so grouping them would look every row up.)"""
        shape = (stop - start, *ds.shape[1:])
        addresses = np.empty(shape, dtype=np.uint64)
        file_space = ds.id.get_space()
        file_space.select_hyperslab((start, *(0 for _ in shape[1:])), shape)
        ds.id.read(h5py.h5s.create_simple(shape), file_space, addresses,
                   mtype=h5py.h5t.STD_REF_OBJ)  # fmt: skip
        if self.progress is not None:
            self.progress(addresses.nbytes)
        flat = addresses.reshape(-1)
        _, first, codes = np.unique(flat, return_index=True, return_inverse=True)
        ids = []
        for k in first:
            at = np.unravel_index(int(k), shape)
            ref = ds[(start + int(at[0]), *(int(i) for i in at[1:]))]
            ids.append(self._target(_Ref(ref), f"row {start + int(at[0])} of {self._where(ds)}"
                                    ).object_id)  # fmt: skip
        arr: pa.Array = pa.array(np.asarray(ids, dtype=object)[codes.reshape(-1)], pa.string())
        for k in reversed(shape[1:]):
            arr = pa.FixedSizeListArray.from_arrays(arr, k)
        return arr

    def _object_field(
        self, refs: np.ndarray, ds: h5py.Dataset, field: str, rows: tuple[int, int]
    ) -> pa.Array:
        """A compound dataset's field of object references (rows ``rows[0]:...``) as object
        ids: the field is read again as the addresses HDF5 stores, and each distinct address
        is looked up once (with the h5py Reference of its first row)."""
        start, width = rows
        count = len(refs) // max(1, width)
        if not len(refs):
            return pa.array([], type=pa.string())
        shape = (count, *ds.shape[1:])
        mtype = h5py.h5t.create(h5py.h5t.COMPOUND, 8)
        mtype.insert(field.encode(), 0, h5py.h5t.STD_REF_OBJ)
        buf = np.empty(shape, dtype=[(field, np.uint64)])
        file_space = ds.id.get_space()
        file_space.select_hyperslab((start, *(0 for _ in shape[1:])), shape)
        ds.id.read(h5py.h5s.create_simple(shape), file_space, buf, mtype=mtype)
        _, first, codes = np.unique(buf[field].reshape(-1), return_index=True, return_inverse=True)
        where = f"field {field!r} of {self._where(ds)}"
        ids = [
            self._target(
                _Ref(refs[k]), f"row {start + int(k) // max(1, width)} of {where}"
            ).object_id
            for k in first
        ]
        return pa.array(np.asarray(ids, dtype=object)[codes.reshape(-1)], type=pa.string())

    def _object_ids(self, refs: np.ndarray, ds: h5py.Dataset) -> pa.Array:
        """Object references as the object ids of the containers they point at: each distinct
        reference is looked up once."""
        codes, uniques = pd.factorize(refs, use_na_sentinel=False)
        ids = [self._target(_Ref(r), f"an object reference in {self._where(ds)}").object_id
               for r in uniques]  # fmt: skip
        return pa.array(np.asarray(ids, dtype=object)[codes], type=pa.string())

    def _keep(self, obj: h5py.HLObject, made: Container) -> None:
        """Remember what ``obj`` became, by path (links) and by address (references)."""
        self.by_path[obj.name] = made
        self.by_address.setdefault(h5py.h5o.get_info(obj.id).addr, made)

    def _region_target(self, ref: h5py.RegionReference, what: str) -> str:
        """The object id of the container imported from the dataset a region selects from."""
        found = self._target(_Ref(ref), what)
        if not isinstance(found, Data):
            msg = f"{what} selects from {found.data_type} {found.name!r}, which is not data"
            raise UnresolvedReferenceError(msg)
        return found.object_id

    def _target(self, ref: _Ref, what: str) -> Container:
        """The container imported from the object ``ref`` points at (found by its address,
        never by HDF5's search for a path)."""
        if not ref.ref:
            msg = f"{what} is a null reference"
            raise UnresolvedReferenceError(msg)
        try:
            oid = h5py.h5r.dereference(ref.ref, self.file.id)
        except (KeyError, ValueError, OSError):  # its object was deleted and its space reused
            oid = None
        found = None if oid is None else self.by_address.get(h5py.h5o.get_info(oid).addr)
        if found is None:
            name = None if oid is None else h5py.h5i.get_name(oid)  # slow; only for the error
            if name is None:
                msg = f"{what} points at an object that no longer exists in the file (dangling)"
            else:
                msg = f"{what} points at {name.decode()}, which was not imported"
            raise UnresolvedReferenceError(msg)
        return found

    # -- tables ------------------------------------------------------------------------------

    def _table(
        self,
        name: str,
        g: h5py.Group,
        cls: type[DynamicTable],
        object_id: str | None,
        attrs: dict[str, Any],
    ) -> DynamicTable:
        description = str(attrs.pop("description", ""))
        listed = attrs.pop("colnames", [])
        colnames = [str(listed)] if isinstance(listed, str) else [str(c) for c in listed]
        if not colnames and len(g.get("id", ())) == 0:
            colnames = _columns_of_empty(g, cls)  # pynwb leaves colnames empty for 0 rows
        used = {"id"}
        if "id" not in g:
            msg = f"{self._where(g)} is a {cls.data_type} without an 'id' dataset"
            raise SchemaMismatchError(msg)
        id_ds = g["id"]
        if not isinstance(id_ds, h5py.Dataset) or id_ds.dtype.kind not in "iu" or id_ds.ndim != 1:
            found = id_ds.dtype if isinstance(id_ds, h5py.Dataset) else "a group"
            msg = f"{self._where(g)}: its 'id' must be a 1-D integer dataset, found {found}"
            raise SchemaMismatchError(msg)
        _, _, id_oid, _ = self._attrs(id_ds)
        ids = ElementIdentifiers("id", None, object_id=id_oid)
        ids._buf = ColumnBuffer.stored(
            pa.int64(), len(id_ds), lambda: self.rows(id_ds).cast(pa.int64())
        )
        self._keep(id_ds, ids)
        columns = []
        for col in colnames:
            if col not in g:
                msg = f"{self._where(g)}: column {col!r} is in colnames but not in the group"
                raise SchemaMismatchError(msg)
            top, parts = self._column(g, col, len(id_ds))
            outer = g[parts[1]] if len(parts) > 1 and parts[1].endswith("_index") else g[col]
            if len(outer) != len(id_ds):
                msg = (
                    f"{outer.name} of {self.source}: column {col!r} of table {name!r} has "
                    f"{len(outer)} rows, its 'id' {len(id_ds)}"
                )
                raise SchemaMismatchError(msg)
            used.update(parts)
            columns.append(top)
        if g.name == "/":
            used.add("specifications")  # the cached specs, not a member of the table
        categories: list[DynamicTable] = []
        if issubclass(cls, AlignedDynamicTable):
            names = attrs.pop("categories", [])
            for category in [names] if isinstance(names, str) else names:
                sub = self._group(str(category), g[str(category)]) if category in g else None
                if not isinstance(sub, DynamicTable):
                    msg = f"{self._where(g)}: category {category!r} is not a table in the group"
                    raise SchemaMismatchError(msg)
                categories.append(sub)
                used.add(str(category))
        members = [m for k in g if k not in used and (m := self._member(g, k)) is not None]
        extra: dict[str, Any] = {"category_tables": categories} if categories else {}
        table = cls(
            name,
            description,
            id=ids,
            columns=columns,
            object_id=object_id,
            add_required=False,
            **extra,
        )
        for member in members:  # a link, dataset or group beside the columns
            table.members[member.name] = member
            member.parent = table
        table._blocks = functools.partial(  # type: ignore[attr-defined]
            self._table_blocks, g, cls, object_id, colnames
        )
        self._note_refs(table, attrs)
        mapper = self.type_map.get_map(table)
        plain = {k: v for k, v in attrs.items() if not isinstance(v, _Ref)}
        named = set(mapper.attribute_names())
        mapper.set_attributes(table, {k: v for k, v in plain.items() if k in named})
        return table

    def _table_blocks(
        self, g: h5py.Group, cls: type[DynamicTable], object_id: str | None, colnames: list[str]
    ) -> Iterator[pa.Table]:
        """The table's rows as Arrow tables of about BLOCK_BYTES each (a copy of a table of
        any size in bounded memory); each has the types the whole table's to_arrow() has."""
        id_ds = g["id"]
        n = len(id_ds)
        sizes = sum(
            _nbytes(d, d.shape[0]) for k in g if isinstance(d := g[k], h5py.Dataset) and d.shape
        )
        step = max(1, BLOCK_BYTES // max(1, sizes // max(1, n)))
        for start in range(0, n, step):
            stop = min(n, start + step)
            ids = ElementIdentifiers("id", None)
            ids._buf = ColumnBuffer(array=self.rows(id_ds, start, stop).cast(pa.int64()))
            columns = [self._column(g, c, stop - start, (start, stop))[0] for c in colnames]
            block = DynamicTable(
                g.name.rsplit("/", 1)[-1] or "root",
                "",
                id=ids,
                columns=columns,
                object_id=object_id,
                add_required=False,
            )
            yield block.to_arrow()

    def _column(
        self, g: h5py.Group, col: str, num_rows: int, rows: tuple[int, int] | None = None
    ) -> tuple[VectorData, list[str]]:
        """A column read lazily: its data dataset and the ``_index`` datasets above it; with
        ``rows=(start, stop)``, only those rows, read now (one block of a copy)."""
        depth = 0
        while f"{col}{'_index' * (depth + 1)}" in g:
            depth += 1
        names = [col + "_index" * k for k in range(depth, 0, -1)]  # outermost first
        data = g[col]
        indexes = [g[n] for n in names]
        data_type, namespace, object_id, attrs = self._attrs(data)
        data_type = data_type or "VectorData"
        namespace = namespace or "hdmf-common"
        cls = self._class(data_type, namespace, data)
        description = str(attrs.pop("description", ""))
        table_ref = attrs.pop("table", None) if issubclass(cls, DynamicTableRegion) else None
        elements_ref = attrs.pop("elements", None) if issubclass(cls, EnumData) else None
        parts = [col, *names]
        elements = None
        elements_oid = None
        elements_type = None
        if isinstance(elements_ref, _Ref):
            el_ds, beside = self._elements(elements_ref.ref, g, col)
            elements_type = self._arrow_type(el_ds)[0]
            elements = tuple(self.rows(el_ds).to_pylist())
            elements_oid = self._attrs(el_ds)[2]
            if beside is not None:
                parts.append(beside)
        index_oids = tuple(self._attrs(i)[2] or "" for i in indexes)
        meta = ColumnMeta(
            data_type="DynamicTableRegion" if table_ref is not None else data_type,
            namespace=namespace,
            description=description,
            object_id=object_id,
            index=depth,
            index_object_ids=index_oids if all(index_oids) else (),
            elements_object_id=elements_oid,
            elements=elements,
            attributes={k: v for k, v in attrs.items() if not isinstance(v, _Ref)},
        )
        regions = [k for k, v in attrs.items() if isinstance(v, _Region)]
        if regions:
            msg = (
                f"attribute {regions[0]!r} of {self._where(data)} is a region reference; "
                f"region references in attributes of table columns are not imported yet"
            )
            raise UnsupportedHDF5Error(msg)
        inner, reftype = self._arrow_type(data)
        if elements_type is not None:  # an N-D enum: fixed-size lists of dictionaries
            inner = nested_type(pa.dictionary(cell_leaf(inner), elements_type), cell_shape(inner))
        arrow_type = inner
        for _ in range(depth):
            arrow_type = pa.list_(arrow_type)
        counts = (*tuple(len(i) for i in indexes[1:]), len(data)) if depth else ()
        read: Callable[[], pa.Array] = lambda: self._ragged(data, indexes, elements)  # noqa: E731
        if rows is not None:
            block = self._ragged(data, indexes, elements, rows)
            counts = _value_counts(block, depth)
            read = lambda: block  # noqa: E731
        top = column_from_stored(
            col,
            arrow_type,
            meta,
            num_rows=num_rows,
            value_counts=counts,
            read=read,
            vector_cls=_plain_column_class(cls),
            where=f"while reading column {col!r} of {g.name} from {self.source}",
        )
        base = top.get_target_data()
        base.reftype = reftype
        if rows is not None:
            return top, parts  # a block: nothing to register
        self._keep(data, base)
        node: Data = top
        for ds in indexes:
            self._keep(ds, node)
            node = getattr(node, "target", node)
        if isinstance(table_ref, _Ref) and isinstance(base, DynamicTableRegion):
            self.regions.append((base, table_ref))
        return top, parts

    def _elements(
        self, ref: h5py.Reference, g: h5py.Group, col: str
    ) -> tuple[h5py.Dataset, str | None]:
        """The elements dataset an enum column refers to, and its name when it is in the
        table's group: found by address among the group's datasets (``<col>_elements``
        first), so that HDF5 never searches the file for its path."""
        address = h5py.h5o.get_info(h5py.h5r.dereference(ref, self.file.id)).addr
        names = [f"{col}_elements", *(k for k in g if k != f"{col}_elements")]
        for name in names:
            link = g.get(name, getlink=True)
            if isinstance(link, h5py.HardLink):
                obj = g[name]
                if isinstance(obj, h5py.Dataset) and h5py.h5o.get_info(obj.id).addr == address:
                    return obj, name
        found: h5py.Dataset = self.file[ref]  # elsewhere in the file (HDF5 finds its path)
        return found, None

    def _ragged(
        self,
        data: h5py.Dataset,
        indexes: list[h5py.Dataset],
        elements: tuple[Any, ...] | None,
        rows: tuple[int, int] | None = None,
    ) -> pa.Array:
        """A column as one Arrow array (list levels from the index datasets): all its rows,
        or rows ``start:stop``, reading only what those rows use."""
        self._check_open(data)
        try:
            return self._ragged_rows(data, indexes, elements, rows)
        except HdmfArrowError:
            raise
        except _DAMAGE as exc:
            raise self._damaged(indexes[0] if indexes else data, exc) from None

    def _ragged_rows(
        self,
        data: h5py.Dataset,
        indexes: list[h5py.Dataset],
        elements: tuple[Any, ...] | None,
        rows: tuple[int, int] | None,
    ) -> pa.Array:
        read = []  # per level, outermost first: that level's end offsets read, and the one before
        start, stop = rows if rows is not None else (0, None)
        for ds in indexes:
            stop = len(ds) if stop is None else stop
            ends = ds[start:stop].astype(np.int64)
            before = int(ds[start - 1]) if start > 0 else 0
            read.append((ends, before))
            start, stop = before, int(ends[-1]) if len(ends) else before
        values = self.rows(data, start, stop if stop is not None else len(data))
        if elements is not None:  # codes; an N-D enum's rows are fixed-size lists of them
            values = enum_cells(values, pa.array(list(elements)))
        for ds, (ends, base) in reversed(list(zip(indexes, read, strict=True))):  # innermost
            if self.progress is not None:
                self.progress(ends.nbytes)
            offsets = np.concatenate([[0], ends - base])
            if len(ends) and (offsets[-1] != len(values) or np.any(np.diff(offsets) < 0)):
                msg = (
                    f"{ds.name} of {self.source}: the index does not fit its target of "
                    f"{len(values)} values (last offset {ends[-1]}, or offsets decrease)"
                )
                raise SchemaMismatchError(msg)
            if offsets[-1] > 2**31 - 1:
                msg = (
                    f"{ds.name} of {self.source}: a ragged column of more than 2**31 values "
                    f"is not imported yet"
                )
                raise UnsupportedHDF5Error(msg)
            values = pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), values)
        return values

    def _csr(
        self,
        name: str,
        g: h5py.Group,
        cls: type[CSRMatrix],
        object_id: str | None,
        attrs: dict[str, Any],
    ) -> CSRMatrix:
        shape = attrs.get("shape")
        try:
            matrix = cls(
                g["data"][()],
                g["indices"][()],
                g["indptr"][()],
                tuple(int(s) for s in shape),  # type: ignore[union-attr]
                name=name,
                object_id=object_id,
            )
        except (KeyError, TypeError, HdmfArrowError) as exc:
            msg = f"{self._where(g)} is not a valid CSRMatrix ({exc})"
            raise SchemaMismatchError(msg) from None
        return matrix

    # -- references and links, once every object exists ------------------------------------

    def _resolve(self) -> None:
        for link, first in self.links:
            path = first
            target = self.by_path.get(path)
            seen = {path}
            while target is None and self.file.get(path, getlink=True) is not None:
                hop = self.file.get(path, getlink=True)  # a link to a link: follow it
                if not isinstance(hop, h5py.SoftLink):
                    break
                parent = path.rsplit("/", 1)[0] or "/"
                path = posixpath.normpath(
                    hop.path if hop.path.startswith("/") else f"{parent}/{hop.path}"
                )
                if path in seen:
                    msg = f"soft link {link.name!r} of {self.source} is part of a cycle of links"
                    raise UnresolvedReferenceError(msg)
                seen.add(path)
                target = self.by_path.get(path)
            if isinstance(target, Link):
                target = target.target or next(
                    (t for lk, p in self.links if lk is target and (t := self.by_path.get(p))), None
                )
            if target is None:
                msg = f"soft link {link.name!r} of {self.source} points at {path}, which is missing"
                raise UnresolvedReferenceError(msg)
            link.target = target
        for owner, key, ref in self.refs:
            what = f"the value of {owner.name!r}" if key is None else f"attribute {key!r}"
            value: Any
            if isinstance(ref, _Regions):
                value = [
                    region_value(
                        r,
                        self.file,
                        self._region_target,
                        where=f"item {k} of {what} of {owner.name!r}",
                    )
                    for k, r in enumerate(ref.ref)
                ]
            elif isinstance(ref, _Region):
                value = region_value(
                    ref.ref, self.file, self._region_target, where=f"{what} of {owner.name!r}"
                )
            else:
                value = self._target(ref, f"{what} of {owner.name!r}")
            if key is None:  # a scalar dataset holding a reference
                assert isinstance(owner, Dataset)
                owner.scalar = value
                continue
            stored = getattr(owner, "attributes", None)
            if isinstance(stored, dict) and key in stored:
                stored[key] = value
            if key in getattr(owner, "spec_attributes", ()) or isinstance(owner, DynamicTable):
                setattr(owner, key, value)
        for region, ref in self.regions:
            target = self._target(ref, f"the 'table' of region {region.name!r}")
            if not isinstance(target, DynamicTable):
                msg = f"region {region.name!r} of {self.source} points at a {target.data_type}"
                raise SchemaMismatchError(msg)
            region._table = target


def _columns_of_empty(g: h5py.Group, cls: type[DynamicTable]) -> list[str]:
    """The columns of an empty table whose ``colnames`` is empty: its typed VectorData
    datasets other than ids, indexes and enum elements, the spec's columns first."""
    names = [
        k
        for k in g
        if k != "id"
        and isinstance(g[k], h5py.Dataset)
        and not k.endswith(("_index", "_elements"))
        and any(t in g[k].attrs for t in TYPE_KEYS)
    ]
    spec_order = [c["name"] for c in getattr(cls, "__columns__", ()) if isinstance(c, dict)]
    return [n for n in spec_order if n in names] + sorted(n for n in names if n not in spec_order)


def _value_counts(arr: pa.Array, depth: int) -> tuple[int, ...]:
    """Values at each list level, outermost first (what column_from_stored sizes parts by)."""
    counts = []
    for _ in range(depth):
        arr = arr.values
        counts.append(len(arr))
    return tuple(counts)


def _plain_column_class(cls: type[Container]) -> type[VectorData]:
    """The class column_from_stored builds a plain column with (regions and enums it
    builds itself)."""
    if issubclass(cls, VectorData) and not issubclass(cls, DynamicTableRegion | EnumData):
        return cls
    return VectorData


def _element_type(dtype: np.dtype, *, where: str) -> tuple[pa.DataType, Any]:
    if dtype.names is not None:
        fields = []
        refs: dict[str, str] = {}
        for f in dtype.names:
            t, r = _element_type(dtype[f], where=where)
            fields.append(pa.field(f, t))
            if isinstance(r, str):
                refs[f] = r
        return pa.struct(fields), refs or None
    if h5py.check_string_dtype(dtype) is not None or dtype.kind == "S":
        return pa.string(), None
    ref = h5py.check_ref_dtype(dtype)
    if ref is h5py.RegionReference:
        return REGION_TYPE, "region"
    if ref is not None:
        return pa.string(), "object"
    if dtype.kind == "b":
        return pa.bool_(), None
    if h5py.check_enum_dtype(dtype) is not None:
        return pa.from_numpy_dtype(dtype.base), None
    try:
        return pa.from_numpy_dtype(dtype), None
    except (pa.ArrowNotImplementedError, TypeError):
        msg = f"{where} has HDF5 type {dtype}, which hdmf-arrow cannot hold"
        raise UnsupportedHDF5Error(msg) from None


def _nbytes(ds: h5py.Dataset, rows: int) -> int:
    per_row = int(np.prod(ds.shape[1:], dtype=np.int64)) * max(1, int(ds.dtype.itemsize))
    return per_row * rows


def dataset_bytes(file: h5py.File, *, source: str) -> int:
    """The bytes of every dataset in the file (what a progress bar counts)."""
    total = 0

    def visit(_: str, obj: h5py.HLObject) -> None:
        nonlocal total
        if isinstance(obj, h5py.Dataset) and obj.shape:
            total += _nbytes(obj, obj.shape[0])

    try:
        file.visititems(visit)
    except (RuntimeError, OSError, KeyError) as exc:
        msg = f"HDF5 file {source} is damaged: h5py cannot walk its objects ({exc})"
        raise UnsupportedHDF5Error(msg) from None
    return total
