"""Containers <-> manifest nodes.

A node is a JSON object with ``kind`` (``group``, ``table``, ``data`` or ``csr``), ``name``,
``data_type``, ``namespace``, ``object_id`` and kind-specific keys (docs/format.md, section 5).
Writing a table that was read from (or already written to) the same store writes only the
rows added since; a table whose columns changed is rewritten.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import gc
import json
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow import ragged
from hdmf_arrow.arrow.buffer import ColumnBuffer
from hdmf_arrow.arrow.dtypes import innermost, is_binary, is_text, normalize_type
from hdmf_arrow.arrow.metadata import (
    METADATA_KEY,
    ColumnMeta,
    TableMeta,
    column_from_dict,
    table_header,
)
from hdmf_arrow.common import (
    AlignedDynamicTable,
    Container,
    CSRMatrix,
    Data,
    Dataset,
    DynamicTable,
    ElementIdentifiers,
    EnumData,
    Group,
    Link,
    SimpleMultiContainer,
    VectorData,
)
from hdmf_arrow.common._columns import column_from_stored, column_part_ids, parts
from hdmf_arrow.common._container import check_object_id
from hdmf_arrow.common._enum import cell_leaf, cell_shape, is_enum_type, split_cells
from hdmf_arrow.common._herd import HERD
from hdmf_arrow.common._herd_tables import TABLES as HERD_TABLES
from hdmf_arrow.common._herd_tables import HerdTable
from hdmf_arrow.common._region import DynamicTableRegion, region_of
from hdmf_arrow.common._walk import walk
from hdmf_arrow.errors import (
    CorruptStoreError,
    DuplicateObjectIdError,
    HdmfArrowError,
    HdmfArrowWarning,
    SchemaMismatchError,
    SparseMatrixError,
    StaleWriteError,
    UnresolvedReferenceError,
)
from hdmf_arrow.io._parquet import (
    FileEntry,
    OpenFiles,
    ParquetOptions,
    TableFiles,
    in_pool,
    row_column_for,
    write_blocks,
    write_file,
    write_files,
)
from hdmf_arrow.storage import check_key

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from hdmf_arrow.common import TypeMap
    from hdmf_arrow.storage import Store

Node = dict[str, Any]
C = TypeVar("C", bound=Container)


def _schema_text(schema: pa.Schema) -> str:
    return base64.b64encode(schema.remove_metadata().serialize().to_pybytes()).decode()


def _schema_of(text: str, *, where: str) -> pa.Schema:
    try:
        if len(text) > _CACHED_SCHEMA_CHARS:  # a wide table's: parsed each time, not held
            return _parsed_schema.__wrapped__(text)
        return _parsed_schema(text)
    except (ValueError, pa.ArrowInvalid) as exc:
        msg = f"the Arrow schema of {where} in the manifest does not parse ({exc})"
        raise CorruptStoreError(msg) from None


_CACHED_SCHEMA_CHARS = 2**16  # at most 1,024 schemas of up to 64 KiB are kept


@functools.lru_cache(maxsize=1024)
def _parsed_schema(text: str) -> pa.Schema:
    """A manifest's schema text, parsed once per process (a schema is immutable; tables of
    one layout, and every reopening of a store, share it)."""
    return pa.ipc.read_schema(pa.py_buffer(base64.b64decode(text)))


class TreeWriter:
    """Writes the data files of a container tree and returns its manifest node.

    ``previous`` maps object ids to the nodes of the version this writer started from, so
    tables already in this store keep their files. ``written`` collects the tables whose rows
    are in files now; the caller marks them committed once the manifest is created.
    """

    def __init__(
        self,
        store: Store,
        options: ParquetOptions,
        previous: dict[str, Node],
        type_map: TypeMap,
        open_files: OpenFiles | None = None,
        rewrite: frozenset[str] = frozenset(),
    ) -> None:
        self.store = store
        self.rewrite = rewrite  # object ids of tables to write whole into new files (compact)
        self.type_map = type_map
        self.options = options
        self.previous = previous
        self.open_files = open_files
        self.written: list[DynamicTable] = []
        self.written_data: list[Data] = []
        # each written table's files as they will be once committed (its next source)
        self.sources: dict[str, TableFiles] = {}
        self._ids: dict[str, str] = {}  # object id -> what holds it, to refuse a second one

    def node(self, obj: Container) -> Node:
        self._claim(obj.object_id, f"{obj.data_type} {obj.name!r}")
        base: Node = {
            "name": obj.name,
            "data_type": obj.data_type,
            "namespace": obj.namespace,
            "object_id": obj.object_id,
        }
        if isinstance(obj, Link):
            assert obj.target is not None  # check_references refused a dangling link
            return {**base, "kind": "link", "target": obj.target.object_id}
        if isinstance(obj, DynamicTable):
            mapped = _encode(obj, self.type_map.get_map(obj).get_attributes(obj))
            node = {**base, "kind": "table", "attributes": mapped, **self._table(obj)}
            if obj.members:
                node["members"] = [self.node(m) for m in obj.members.values()]
            if isinstance(obj, AlignedDynamicTable):
                node["categories"] = [self.node(c) for c in obj.category_tables.values()]
            return node
        if isinstance(obj, Dataset) and obj.is_scalar:
            value = _encode(obj, {"value": obj.scalar})["value"]
            attributes = _encode(obj, obj.attributes)
            return {**base, "kind": "data", "value": value, "attributes": attributes}
        if isinstance(obj, Data):
            return {**base, "kind": "data", **self._data(obj)}
        if isinstance(obj, CSRMatrix):
            return {**base, "kind": "csr", **self._csr(obj)}
        if isinstance(obj, HERD):
            return {**base, "kind": "herd", "children": self._herd(obj)}
        if isinstance(obj, HerdTable):
            msg = (
                f"{type(obj).__name__} {obj.name!r} is one of the six tables of a HERD and is "
                f"written with it; write the HERD (or a tree holding it)"
            )
            raise TypeError(msg)
        attributes = _encode(
            obj,
            {
                **getattr(obj, "attributes", {}),
                **self.type_map.get_map(obj).get_attributes(obj),  # spec attributes, via fields
            },
        )
        children = [self.node(c) for c in obj.children]
        return {**base, "kind": "group", "attributes": attributes, "children": children}

    def check_references(self, root: Container) -> None:
        """Every region column must point at a table of the same tree, and every link at a
        container of it (checked before any file is written)."""
        members = {c.object_id for c in walk(root)}
        for link in walk(root):
            if isinstance(link, Link) and (
                link.target is None or link.target.object_id not in members
            ):
                to = "nothing" if link.target is None else f"{link.target.name!r}"
                msg = (
                    f"link {link.name!r} of {link.parent.name if link.parent else '?'!r} points "
                    f"at {to}, which is not in the container being written"
                )
                raise UnresolvedReferenceError(msg)
        for herd in walk(root):
            if isinstance(herd, HERD):
                problems = herd.problems(tree=root)
                if problems:
                    msg = (
                        f"HERD {herd.name!r}: {problems[0]}"
                        f"{f' (and {len(problems) - 1} more)' if len(problems) > 1 else ''}; "
                        f"nothing was written. Hint: write the HERD with the containers its "
                        f"objects table refers to."
                    )
                    raise UnresolvedReferenceError(msg)
        tables = {t.object_id: t for t in _tables_in(root)}
        for table in tables.values():
            for name in table.get_foreign_columns():
                region = region_of(table.get_column(name))
                target = None if region is None else region.table
                if target is None or target.object_id not in tables:
                    found = "no table" if target is None else f"table {target.name!r}"
                    msg = (
                        f"region column {name!r} of table {table.name!r} points at {found}, "
                        f"which is not in the container being written. Hint: add the target "
                        f"table to the same SimpleMultiContainer."
                    )
                    raise UnresolvedReferenceError(msg)

    def _claim(self, object_id: str | None, what: str) -> None:
        """Refuse an object id that another object of the tree holds, or one that is not
        safe to use as a directory name."""
        if object_id is None:
            return
        check_object_id(object_id, what=what)
        other = self._ids.setdefault(object_id, what)
        if other is not what:
            msg = (
                f"{what} and {other} have the same object id {object_id!r}; an object id names "
                f"one object of a tree. Hint: a copy made with from_arrow(..., object_id=...) "
                f"or from_dataframe keeps no id unless you pass one; pass a new id, or none."
            )
            raise DuplicateObjectIdError(msg)

    def _claim_columns(self, table: DynamicTable, meta: TableMeta) -> None:
        self._claim(meta.id_object_id, f"the ids of table {table.name!r}")
        for name, col in meta.columns.items():
            for object_id, _, _, what in column_part_ids(table.name, name, col):
                self._claim(object_id, what)

    def _check_base(self, obj: Container, prev: Node | None) -> bool:
        """Whether ``obj`` came from this store and still stands on the files the newest
        version has for it (its new rows may then be added to them). An object read from an
        older version, whose files a newer version changed, is refused: writing it would
        undo that version's change (or, kept as it was, make manifest and files disagree)."""
        if getattr(obj, "_store_url", None) != self.store.url or prev is None:
            return False
        base = getattr(obj, "_base_files", None)
        newest = tuple(str(f["path"]) for f in prev.get("files", ()))
        if base is None or tuple(base) == newest:
            return base is not None
        read_at = getattr(obj, "_origin_version", None)
        since = f"version {read_at}" if read_at is not None else "an older version"
        msg = (
            f"{obj.data_type} {obj.name!r} was read from {since} of store {self.store.url}, "
            f"and a newer version changed it since (rows or columns written by another "
            f"writer, or by another handle); writing this copy would undo that change, so "
            f"nothing was committed. Hint: read it again from the newest version "
            f"(ParquetIO(location, 'a').read()), apply your change to that, and write it; or, "
            f"to make this copy the newest content, write it with mode='w'."
        )
        raise StaleWriteError(msg)

    def _table(self, table: DynamicTable) -> Node:
        directory = f"data/{table.object_id}"
        meta = table.table_meta()
        self._claim_columns(table, meta)
        prev = self.previous.get(table.object_id)
        tail = None
        compact = table.object_id in self.rewrite
        # appended files follow the table's: with its row column, or none (format 0.1)
        row_column = None if prev is None else prev.get("row_column")
        if self._check_base(table, prev) and prev is not None and not compact:
            schema = _schema_of(prev["schema"], where=f"table {table.name!r}")
            tail = table._tail_arrow()  # None when a column was added since the last commit
            if tail is not None and not tail.schema.remove_metadata().equals(schema):
                tail = None  # a type changed: rewrite
        blocks = getattr(table, "_blocks", None)
        if tail is not None and prev is not None:  # keep the files, add one for new rows
            files = [FileEntry.parse(f) for f in prev["files"]]
            if tail.num_rows:
                files, tail = self._merge_small(table, files, tail, schema)
                first = sum(f.num_rows for f in files)
                files += write_files(
                    self.store, directory, tail, self.options,
                    row_column=row_column, first_row=first,
                )  # fmt: skip
        elif blocks is not None and _untouched(table) and prev is None and not compact:
            # still in its source (an HDF5 file), as read: copied block by block
            schema, files, row_column = self._copy_table(table, directory, blocks)
        else:  # a table new to this store, or changed: write it whole
            whole = table.to_arrow()
            _check_storable(table.name, whole.schema)
            row_column = row_column_for(whole.schema.names)
            files = write_files(self.store, directory, whole, self.options, row_column=row_column)
            schema = whole.schema
        if sum(f.num_rows for f in files) != len(table):  # never commit what cannot be read
            msg = (
                f"table {table.name!r}: its files would hold {sum(f.num_rows for f in files)} "
                f"rows, but it has {len(table)}; nothing was committed"
            )
            raise StaleWriteError(msg)
        self.written.append(table)
        self.sources[table.object_id] = TableFiles(
            self.store,
            files,
            name=table.name,
            schema=schema,
            open_files=self.open_files,
            row_column=row_column,
        )
        return {
            "table": meta.to_dict(),
            "schema": _schema_text(schema),
            "num_rows": len(table),
            "row_column": row_column,
            "files": [f.to_dict() for f in files],
        }

    def _merge_small(
        self, table: DynamicTable, files: list[FileEntry], tail: pa.Table, schema: pa.Schema
    ) -> tuple[list[FileEntry], pa.Table]:
        """The files to keep and the rows to append: when the last
        ``options.merge_small_files`` files are all small, their rows go with the new ones
        into one file (their values as stored: an enum's stored values are its values), so
        appends do not pile up files. Older versions keep using the old files."""
        want = self.options.merge_small_files
        source = table._source
        small = 0
        while small < len(files) and files[-1 - small].num_bytes < self.options.small_file_bytes:
            small += 1
        if want <= 0 or small < want or not isinstance(source, TableFiles):
            return files, tail
        if [f.path for f in source.files] != [f.path for f in files]:
            return files, tail  # not the files this table was read from: do not guess
        keep = len(files) - small
        meta = tail.schema.metadata
        old = [
            source._read(i, schema.names).replace_schema_metadata(meta)
            for i in range(keep, len(files))
        ]
        return files[:keep], pa.concat_tables([*old, tail])

    def _data(self, data: Data) -> Node:
        node: Node = {
            "description": getattr(data, "description", None),
            "attributes": _encode(data, data.attributes),
        }
        if data.reftype is not None:
            node["reftype"] = data.reftype
        if isinstance(data, DynamicTableRegion) and data.table is not None:
            node["target"] = data.table.object_id
        if isinstance(data, EnumData):  # its vocabulary: a file's dictionary is not (6.1)
            _check_storable(
                data.name, pa.schema([(data.name, data.to_arrow().type)]), owner="dataset"
            )
            node["elements"] = data.elements_data.to_arrow().to_pylist()
            node["elements_object_id"] = data.elements_data.object_id
        self.written_data.append(data)
        unchanged = data._committed_rows() == len(data)
        blocks = getattr(data, "_blocks", None)
        from_here = getattr(data, "_store_url", None) == self.store.url
        if blocks is not None and not data._loaded and not from_here:
            # still in its source (an HDF5 file): copied block by block, in bounded memory
            schema = pa.schema([pa.field(data.name, data.dtype)])
            entries = self._copy(data, schema, blocks)
            return {
                **node,
                "schema": _schema_text(schema),
                "num_rows": sum(e.num_rows for e in entries),
                "files": [e.to_dict() for e in entries],
            }
        return {
            **node,
            **self._one_file(data, unchanged, lambda: pa.table({data.name: data.to_arrow()})),
        }

    def _copy_table(
        self, table: DynamicTable, directory: str, blocks: Callable[[], Iterator[pa.Table]]
    ) -> tuple[pa.Schema, list[FileEntry], str]:
        """A table copied from its source in blocks, with this table's metadata: its
        schema, its file and the name of its row column."""
        meta = {METADATA_KEY: table.table_meta().to_json().encode()}
        parts = (b.replace_schema_metadata(meta) for b in blocks())
        first = next(parts, None)
        if first is None:  # no rows: the whole (empty) table
            whole = table.to_arrow()
            rows = row_column_for(whole.schema.names)
            entry = write_file(self.store, directory, whole, self.options, row_column=rows)
            return whole.schema, [entry], rows
        schema = first.schema
        _check_storable(table.name, schema)
        rows = row_column_for(schema.names)

        def checked() -> Iterator[pa.Table]:
            yield first
            for part in parts:
                if not part.schema.equals(schema, check_metadata=False):
                    msg = (
                        f"table {table.name!r}: a block of its source has schema "
                        f"{part.schema} where the first had {schema}"
                    )
                    raise SchemaMismatchError(msg)
                yield part

        # files of at most max_file_bytes (in memory), as a table written whole
        entries: list[FileEntry] = []
        batch: list[pa.Table] = []
        done = size = 0
        for part in checked():
            batch.append(part)
            size += part.nbytes
            if size >= self.options.max_file_bytes:
                entries.append(self._blocks_file(directory, schema, batch, rows, done))
                done += sum(b.num_rows for b in batch)
                batch, size = [], 0
        if batch or not entries:
            entries.append(self._blocks_file(directory, schema, batch, rows, done))
        return schema, entries, rows

    def _blocks_file(
        self, directory: str, schema: pa.Schema, blocks: list[pa.Table], rows: str, first: int
    ) -> FileEntry:
        return write_blocks(
            self.store, directory, schema, blocks, self.options, row_column=rows, first_row=first
        )

    def _copy(
        self, data: Data, schema: pa.Schema, blocks: Callable[..., Iterator[pa.Array]]
    ) -> list[FileEntry]:
        """Copy a dataset still in its source into files of about ``max_file_bytes`` each
        (the options'), encoded by up to ``write_threads`` at once (Parquet encoding, not
        reading, is what takes time; pyarrow releases the GIL while it encodes)."""
        n = len(data)
        per_row = max(1, _row_bytes(data.dtype))
        parts = max(1, min(n, -(-n * per_row // self.options.max_file_bytes)))
        bounds = [n * k // parts for k in range(parts + 1)]

        def one(k: int) -> FileEntry:
            return write_blocks(
                self.store,
                f"data/{data.object_id}",
                schema,
                (pa.table({data.name: b}) for b in blocks(bounds[k], bounds[k + 1])),
                self.options,
            )

        if parts == 1:
            return [one(0)]
        with ThreadPoolExecutor(max_workers=min(parts, self.options.write_threads)) as pool:
            return in_pool(pool, one, range(parts))

    def _herd(self, herd: HERD) -> list[Node]:
        """The six tables of a HERD (``herd_table`` nodes, its children), one
        ``data/<table object id>/`` file each: the previous
        version's file for a table unchanged since it was read from (or written to) this
        store, else a new one. A table that a newer version changed is refused."""
        out = []
        for name, table in herd.tables.items():
            self._claim(table.object_id, f"table {name!r} of HERD {herd.name!r}")
            before = self.previous.get(table.object_id)
            # HERD tables only grow (add_row): the same number of rows is the same table
            unchanged = before is not None and len(table) == int(before["num_rows"])
            try:
                node = self._one_file(table, unchanged, table.to_arrow, positions=True)
            except StaleWriteError:
                msg = (
                    f"table {name!r} of HERD {herd.name!r} was read from an older version of "
                    f"store {self.store.url}, and a newer version changed it; writing this "
                    f"copy would undo that change, so nothing was committed. Hint: read the "
                    f"tree again, apply your change to it and write it, or write with mode='w'."
                )
                raise StaleWriteError(msg) from None
            out.append(
                {
                    "kind": "herd_table",
                    "name": name,
                    "data_type": table.data_type,
                    "namespace": table.namespace,
                    "object_id": table.object_id,
                    **node,
                }
            )
        return out

    def _csr(self, matrix: CSRMatrix) -> Node:
        node: Node = {"description": matrix.description, "shape": list(matrix.shape)}
        return {**node, **self._one_file(matrix, True, matrix.to_arrow)}  # it never changes

    def _one_file(
        self,
        obj: Container,
        unchanged: bool,
        rows: Callable[[], pa.Table],
        *,
        positions: bool = False,
    ) -> Node:
        """``schema``, ``num_rows`` and ``files`` of an object stored as one Parquet file (with
        a row column, ``row_column``, if ``positions``): the previous version's when the
        object is unchanged and from this store, else a new file."""
        prev = self.previous.get(obj.object_id)
        if self._check_base(obj, prev) and prev is not None and unchanged:
            keys = ("schema", "num_rows", "files", "row_column")
            return {k: prev[k] for k in keys if k in prev}
        table = rows()
        row_column = row_column_for(table.schema.names) if positions else None
        entry = write_file(
            self.store, f"data/{obj.object_id}", table, self.options, row_column=row_column
        )
        node: Node = {
            "schema": _schema_text(table.schema),
            "num_rows": table.num_rows,
            "files": [entry.to_dict()],
        }
        if row_column is not None:
            node["row_column"] = row_column
        return node


def _check_storable(table: str, schema: pa.Schema, *, owner: str = "table") -> None:
    """Refuse, before any file is written, an enum column whose elements are not text: Parquet
    keeps the dictionary of text and binary columns only, so the file would give back plain
    values where the manifest says enum, and the version would not open."""
    for field in schema:
        t = innermost(field.type)
        if pa.types.is_dictionary(t) and not (is_text(t.value_type) or is_binary(t.value_type)):
            msg = (
                f"{owner} {table!r}: EnumData column {field.name!r} has elements of type "
                f"{t.value_type}; the store holds enum columns of text elements only (Parquet "
                f"keeps the dictionary of text columns alone), so nothing was written. Hint: "
                f"give the elements as strings, or store the values as a plain column."
            )
            raise SchemaMismatchError(msg)


def _untouched(table: DynamicTable) -> bool:
    """Whether a table read from a source still holds exactly what was read: nothing loaded
    (so nothing changed in place) and no row appended."""
    vocabularies = {id(c.elements_data) for c in table.columns if isinstance(c, EnumData)}
    parts = [table.id, *(c for c in table.columns if id(c) not in vocabularies)]
    return all(not p._loaded and len(p) == p._committed_rows() for p in parts)


def _row_bytes(t: pa.DataType) -> int:
    """Bytes of one row of a fixed-width type (8 for anything else: a guess is enough)."""
    size = 1
    while pa.types.is_fixed_size_list(t):
        size *= t.list_size
        t = t.value_type
    try:
        return int(size * max(1, t.bit_width // 8))
    except ValueError:
        return size * 8


def _encode(owner: Container, attributes: dict[str, Any]) -> dict[str, Any]:
    """Attributes as JSON: a container becomes ``{"reference": object_id}``; anything else
    that JSON cannot hold is refused, naming the attribute."""
    out: dict[str, Any] = {}
    for key, value in attributes.items():
        if isinstance(value, Container):
            out[key] = {"reference": value.object_id}
            continue
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            msg = (
                f"attribute {key!r} of {owner.data_type} {owner.name!r} holds "
                f"{type(value).__name__} {value!r:.40}, which a manifest cannot store; use "
                f"text, numbers, booleans, lists of them, or a container (a reference)"
            )
            raise TypeError(msg) from None
        out[key] = value
    return out


def _tables_in(node: Container) -> list[DynamicTable]:
    return [t for t in walk(node) if isinstance(t, DynamicTable)]


class TreeReader:
    """Builds containers from manifest nodes; table data stays in the store until used."""

    def __init__(
        self,
        store: Store,
        type_map: TypeMap,
        version: int | None = None,
        open_files: OpenFiles | None = None,
    ) -> None:
        self.store = store
        self.type_map = type_map
        self.version = version
        # shared by every table read: a bounded number of files open
        self.open_files = open_files if open_files is not None else OpenFiles()
        self.tables: dict[str, DynamicTable] = {}
        self.mapped: list[tuple[Container, dict[str, Any]]] = []  # spec attributes to set
        self.nodes: dict[str, Node] = {}
        self.objects = ObjectIndex()
        # (table, its region columns, its columns' stored metadata): targets set at the end
        self.regions: list[tuple[DynamicTable, list[str], dict[str, dict[str, Any]]]] = []
        # (container, what to set, stored reference): links, scalar references, regions
        self.pending: list[tuple[Container, str, str]] = []
        self.free: list[tuple[Container, dict[str, Any]]] = []  # attributes kept as a dict

    def read(self, node: Node) -> Container:
        # many small objects, all kept: the cyclic collector's full passes would make
        # building a tree of 10,000 columns quadratic (each pass scans every object so far)
        enabled = gc.isenabled()
        gc.disable()
        try:
            root = self._container(node)
            self._resolve_regions()
            self._resolve_pending()
            self._set_mapped_attributes()
        finally:
            if enabled:
                gc.enable()
        return root

    def _set_mapped_attributes(self) -> None:
        """Put spec attributes back on containers, once every container exists (an attribute
        may refer to another container: stored as ``{"reference": object_id}``)."""
        objects = self.objects
        for container, attributes in self.mapped:
            values = {k: self._dereference(v, objects, container) for k, v in attributes.items()}
            self.type_map.get_map(container).set_attributes(container, values)

    def _dereference(self, value: Any, objects: dict[str, Container], owner: Container) -> Any:
        if isinstance(value, dict) and set(value) == {"reference"}:
            target = objects.get(str(value["reference"]))
            if target is None:
                msg = (
                    f"an attribute of {owner.name!r} refers to object {value['reference']}, "
                    f"which is not in this store"
                )
                raise UnresolvedReferenceError(msg)
            return target
        return value

    def _container(self, node: Node) -> Container:
        kind = node.get("kind")
        object_id = check_object_id(node.get("object_id"), what=f"node {node.get('name')!r:.80}")
        self._register(object_id, node)
        made: Container
        if kind == "table":
            made = self._table(node)
        elif kind == "data":
            made = self._data(node)
        elif kind == "group":
            made = self._group(node)
        elif kind == "csr":
            made = self._csr(node)
        elif kind == "herd":
            made = self._herd(node)
        elif kind == "link":
            made = Link(str(node["name"]), object_id=object_id)
            self.pending.append((made, "target", str(node["target"])))
        else:
            msg = f"manifest node {node.get('name')!r:.80} has an unknown kind {kind!r:.40}"
            raise CorruptStoreError(msg)
        mark_stored(made, self.store, self.version, node)
        if self.nodes[object_id] is node:  # the first of nodes sharing an id keeps it
            self.objects[object_id] = made
        return made

    def _register(self, object_id: str, node: Node) -> None:
        """Record the node holding ``object_id``. A second node with the same id is read
        (so that validate can report it, with every other shared id), with a warning that
        names both: references to the id resolve to the first, and writing the tree back
        is refused."""
        first = self.nodes.setdefault(object_id, node)
        if first is not node:
            msg = (
                f"{node.get('kind')} {node.get('name')!r:.80} and {first.get('kind')} "
                f"{first.get('name')!r:.80} of the manifest have the same object id "
                f"{object_id!r}; references to it resolve to the first, and the tree cannot "
                f"be written back as it is. Hint: `hdmf-arrow validate` lists every object "
                f"id that two objects share."
            )
            warnings.warn(HdmfArrowWarning(msg), stacklevel=6)

    def _files(self, node: Node, name: str, schema: pa.Schema | None) -> TableFiles:
        entries, row_column = node_files(self.store, node, name, schema)
        return TableFiles(
            self.store,
            entries,
            name=name,
            schema=schema,
            open_files=self.open_files,
            row_column=row_column,
        )

    def _table(self, node: Node) -> DynamicTable:
        name = str(node["name"])
        meta, docs = table_header(node["table"], source=f"table {name!r}")
        schema = _schema_of(node["schema"], where=f"table {name!r}")
        files = self._files(node, name, schema)
        num_rows = int(node["num_rows"])
        if files.num_rows != num_rows:
            msg = (
                f"table {name!r}: the manifest lists {num_rows} rows but its files hold "
                f"{files.num_rows}"
            )
            raise CorruptStoreError(msg)
        id_name = schema.names[0]
        ids = ElementIdentifiers(id_name, None, object_id=meta.id_object_id)
        ids._buf = ColumnBuffer.stored(
            pa.int64(), num_rows, functools.partial(files.column, id_name)
        )
        names = set(schema.names)  # the types are looked up when a column is made
        if not docs.keys() <= names:
            col_name = next(n for n in docs if n not in names)
            msg = f"table {name!r}: column {col_name!r} is in the metadata but not the schema"
            raise SchemaMismatchError(msg)
        # the classes of the columns' types, each resolved once (an unknown one warns here,
        # at open, as for any container), and the region columns (resolved once all exist)
        classes: dict[tuple[str, str], type[VectorData]] = {}
        regions: list[str] = []
        for col_name, doc in docs.items():
            kind = (
                str(doc.get("data_type", "VectorData")),
                str(doc.get("namespace", "hdmf-common")),
            )
            if kind not in classes:
                classes[kind] = self._class(f"{name}/{col_name}", *kind, VectorData)
            if doc.get("target") is not None:
                regions.append(col_name)
        stored = TableColumns(
            docs, schema, classes, files,
            table=name, num_rows=num_rows, where=f"from store {self.store.url}",
        )  # fmt: skip
        cls = self._class(name, str(node["data_type"]), str(node["namespace"]), DynamicTable)
        categories = [self._container(c) for c in node.get("categories", ())]
        extra: dict[str, Any] = {}
        if categories:
            if not issubclass(cls, AlignedDynamicTable):
                msg = f"table {name!r} has categories but is not an AlignedDynamicTable"
                raise CorruptStoreError(msg)
            extra["category_tables"] = categories
        table = cls(
            name,
            meta.description,
            id=ids,
            columns=[],
            object_id=meta.object_id,
            add_required=False,  # as stored: a missing required column is for validate() to report
            **extra,
        )
        table._stored_columns(list(docs), stored)  # each made when first used
        table._source = files
        # what attributes may refer to (meanings): the ids, and the columns' parts once asked
        self.objects.setdefault(table.id.object_id, table.id)
        self.objects.add_columns(table, docs)
        self.regions.append((table, regions, docs))
        for member in node.get("members", ()):
            made = self._container(member)
            table.members[made.name] = made
            made.parent = table
        self.mapped.append((table, dict(node.get("attributes", {}))))
        self.tables.setdefault(table.object_id, table)  # of tables sharing an id: the first
        return table

    def _group(self, node: Node) -> SimpleMultiContainer:
        name = str(node["name"])
        children = [self._container(c) for c in node.get("children", ())]
        cls: type[SimpleMultiContainer] = Group
        if node.get("data_type") is not None:
            cls = self._class(
                name, str(node["data_type"]), str(node["namespace"]), SimpleMultiContainer
            )
        stored = dict(node.get("attributes", {}))
        mapped = set(self.type_map.get_map(cls).attribute_names())
        free = {k: v for k, v in stored.items() if k not in mapped}
        group = cls(name, children, attributes={}, object_id=node.get("object_id"))
        # every attribute is set once all containers exist (an attribute may refer to one)
        self.mapped.append((group, {k: v for k, v in stored.items() if k in mapped}))
        self.free.append((group, free))
        return group

    def _class(self, name: str, data_type: str, namespace: str, base: type[C]) -> type[C]:
        """The class for a stored container's type; an unknown type is read as ``base``,
        with a warning that names it (never silently)."""
        if data_type == base.data_type:
            return base
        try:
            cls = self.type_map.get_class(data_type, namespace)
        except (HdmfArrowError, KeyError) as exc:
            msg = (
                f"{name!r} has data type {data_type!r} of namespace {namespace!r}, which this "
                f"reader cannot resolve ({exc}); it is read as a {base.__name__}"
            )
            warnings.warn(HdmfArrowWarning(msg), stacklevel=5)
            return base
        if not (isinstance(cls, type) and issubclass(cls, base)):
            msg = f"{name!r}: data type {data_type!r} is not a {base.__name__} type"
            raise CorruptStoreError(msg)
        return cls

    def _data(self, node: Node) -> Data:
        name = str(node["name"])
        attributes = dict(node.get("attributes", {}))
        if node.get("data_type") is None and "value" in node:
            scalar = Dataset(name, 0, object_id=node.get("object_id"))
            self.free.append((scalar, attributes))
            self.free.append((scalar, {"": node["value"]}))  # the value may be a reference
            return scalar
        schema = _schema_of(node["schema"], where=f"dataset {name!r}")
        files = self._files(node, name, schema)
        arrow_type = schema.field(0).type
        data: Data
        oid = node.get("object_id")
        if node.get("data_type") is None:
            data = Dataset(name, None, object_id=oid)
        else:
            cls = self._class(name, str(node["data_type"]), str(node["namespace"]), Data)
            if issubclass(cls, DynamicTableRegion):
                data = cls(name, None, str(node.get("description") or ""), object_id=oid)
                if node.get("target") is not None:
                    self.pending.append((data, "_table", str(node["target"])))
            elif issubclass(cls, EnumData):
                return self._enum(cls, node, files, arrow_type, attributes)
            elif issubclass(cls, VectorData):
                data = cls(name, str(node.get("description") or ""), None, object_id=oid)
            elif node.get("description") is not None and cls is Data:
                data = VectorData(name, str(node["description"]), None, object_id=oid)
            else:
                data = cls(name, None, object_id=oid)
        self.free.append((data, attributes))
        data.reftype = node.get("reftype")
        loader = functools.partial(files.column, schema.names[0])
        data._buf = ColumnBuffer.stored(arrow_type, int(node["num_rows"]), loader)
        data._blocks = functools.partial(files.blocks, schema.names[0])  # type: ignore[attr-defined]
        return data

    def _enum(
        self,
        cls: type[EnumData],
        node: Node,
        files: TableFiles,
        arrow_type: pa.DataType,
        attributes: dict[str, Any],
    ) -> EnumData:
        """A standalone EnumData: its elements from the node, its codes mapped from the
        stored values when first read (as an enum column's, section 6.1)."""
        name = str(node["name"])
        where = f"EnumData {name!r}"
        if not is_enum_type(arrow_type):
            msg = f"{where}: its values are stored as {arrow_type}, not a dictionary"
            raise SchemaMismatchError(msg)
        listed = node.get("elements")
        column = functools.partial(files.column, name)
        value_type = cell_leaf(arrow_type).value_type
        if "elements" not in node:  # by an older writer, which did not list them: the dictionary
            leaf, _ = split_cells(column())
            listed = pc.unique(leaf.dictionary).drop_null().to_pylist()
        if not isinstance(listed, list):
            msg = f"{where}: the manifest's elements are not a JSON array ({listed!r:.60})"
            raise CorruptStoreError(msg)
        try:
            elements = pa.array(listed, type=value_type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
            msg = f"{where}: the manifest's elements are not of the stored {value_type} ({exc})"
            raise SchemaMismatchError(msg) from None
        enum = cls(
            name,
            str(node.get("description") or ""),
            None,
            elements=elements,
            object_id=node.get("object_id"),
            elements_object_id=node.get("elements_object_id"),
        )
        enum._set_cell_shape(cell_shape(arrow_type))
        enum._buf = ColumnBuffer.stored(
            enum._buf.type, int(node["num_rows"]), lambda: enum.codes_of(column())
        )
        enum.reftype = node.get("reftype")
        self.free.append((enum, attributes))
        return enum

    def _resolve_pending(self) -> None:
        """Links, standalone regions and free attributes, once every container exists."""
        for container, key, object_id in self.pending:
            target = self.objects.get(object_id)
            if target is None:
                msg = f"{container.name!r} refers to object {object_id}, which is not in this store"
                raise UnresolvedReferenceError(msg)
            setattr(container, key, target)
        for container, attributes in self.free:
            values = {
                k: self._dereference(v, self.objects, container) for k, v in attributes.items()
            }
            if set(values) == {""}:  # a scalar dataset's value
                container.scalar = values[""]  # type: ignore[attr-defined]
            else:
                container.attributes.update(values)  # type: ignore[attr-defined]

    def _herd(self, node: Node) -> HERD:
        """A HERD: its six tables stay in the store until used; its objects table resolves
        against every object of the tree read with it (``HERD.get_container``)."""
        name = str(node["name"])
        entries = {str(t.get("name")): t for t in node.get("children", ())}
        if any(t.get("kind") != "herd_table" for t in entries.values()):
            msg = f"HERD {name!r}: the manifest lists a child that is not a herd_table node"
            raise CorruptStoreError(msg)
        unknown = sorted(set(entries) - set(HERD_TABLES))
        missing = [n for n in HERD_TABLES if n not in entries]
        if unknown or missing or len(node.get("children", ())) != len(HERD_TABLES):
            msg = (
                f"HERD {name!r}: the manifest lists the tables {sorted(entries)}; a HERD has "
                f"{list(HERD_TABLES)} (missing {missing}, unknown {unknown})"
            )
            raise CorruptStoreError(msg)
        tables: dict[str, HerdTable] = {}
        for table_name, cls in HERD_TABLES.items():
            entry = entries[table_name]
            oid = check_object_id(entry.get("object_id"), what=f"table {table_name!r} of {name!r}")
            where = f"table {table_name!r} of HERD {name!r}"
            schema = _schema_of(entry["schema"], where=where)
            files = self._files(entry, f"{name}/{table_name}", schema)
            if files.num_rows != int(entry["num_rows"]):
                msg = (
                    f"{where}: the manifest lists {entry['num_rows']} rows but its files "
                    f"hold {files.num_rows}"
                )
                raise CorruptStoreError(msg)

            def load(files: TableFiles = files, schema: pa.Schema = schema) -> pa.Table:
                files.prefetch(schema.names)  # every column in one pass over each file
                return pa.table({n: files.column(n) for n in schema.names})

            table = cls._stored(load, files.num_rows, table_name, oid)
            mark_stored(table, self.store, self.version, entry)
            tables[table_name] = table
            self._register(oid, entry)
            if self.nodes[oid] is entry:
                self.objects.setdefault(oid, table)
        herd = HERD(
            name=name,
            object_id=node.get("object_id"),
            type_map=self.type_map,
            **tables,  # type: ignore[arg-type]
        )
        herd._containers = self.objects  # filled as the rest of the tree is read
        return herd

    def _csr(self, node: Node) -> CSRMatrix:
        name = str(node["name"])
        files = self._files(node, name, None)
        rows = pa.table({"indices": files.column("indices"), "data": files.column("data")})
        cls = self._class(name, str(node["data_type"]), str(node["namespace"]), CSRMatrix)
        description = node.get("description")
        try:
            matrix = cls.from_arrow(
                rows,
                tuple(node["shape"]),  # type: ignore[arg-type]
                name,
                None if description is None else str(description),
                object_id=node.get("object_id"),
            )
        except SparseMatrixError as exc:
            msg = f"stored {exc}"
            raise CorruptStoreError(msg) from None
        return matrix

    def _resolve_regions(self) -> None:
        """Point each region column at its target table (made now: region columns are few)."""
        for table, names, docs in self.regions:
            for name in names:
                col_meta = column_from_dict(
                    docs[name], source=f"table {table.name!r}, column {name!r}"
                )
                if col_meta.target is None:
                    continue
                target = self.tables.get(str(col_meta.target.object_id))
                if target is None:
                    msg = (
                        f"region column {name!r} of table {table.name!r} points at table "
                        f"{col_meta.target.name!r} (object id {col_meta.target.object_id}), "
                        f"which is not in this store"
                    )
                    raise UnresolvedReferenceError(msg)
                try:
                    column = table.get_column(name)
                except CorruptStoreError:
                    # described wrongly: the column raises when used, as any stored column
                    # does, so that the rest of the tree reads (and validate reports it)
                    continue
                region = region_of(column)
                if isinstance(region, DynamicTableRegion):
                    region._table = target  # stored positions are trusted; validate() checks


def mark_stored(obj: Container, store: Store, version: int | None, node: Node) -> None:
    """Remember where ``obj`` is stored: the store, the version, and the files the version
    has for it (the base a later write of ``obj`` must still find there)."""
    obj._store_url = store.url  # type: ignore[attr-defined]
    obj._origin_version = version  # type: ignore[attr-defined]
    if "files" in node:
        obj._base_files = tuple(str(f["path"]) for f in node["files"])  # type: ignore[attr-defined]


def node_files(
    store: Store, node: Node, name: str, schema: pa.Schema | None
) -> tuple[list[FileEntry], str | None]:
    """The data files of a manifest node and its row column, checked as a reader must
    (docs/format.md, 5 and 6.2): each key safe and under ``data/<object_id>/``, the row
    column a name that is not one of the columns."""
    entries = [FileEntry.parse(f) for f in node["files"]]
    keys = [check_key(e.path, store=store.url) for e in entries]  # normalised: mostly as given
    entries = [
        e if key == e.path else dataclasses.replace(e, path=key)
        for e, key in zip(entries, keys, strict=True)
    ]
    for entry in entries:
        if not entry.path.startswith(f"data/{node['object_id']}/"):
            msg = (
                f"{name!r}: the manifest lists data file {entry.path!r:.120}, which is not "
                f"under data/{node['object_id']}/"
            )
            raise CorruptStoreError(msg)
    row_column = node.get("row_column")
    if row_column is not None and (
        not isinstance(row_column, str) or (schema is not None and row_column in schema.names)
    ):
        msg = (
            f"{name!r}: the manifest names {row_column!r:.80} as its row column, which "
            f"should be a name that is not one of its columns"
        )
        raise CorruptStoreError(msg)
    return entries, row_column


_ARRAY_KEYS = ("elements", "index_object_ids")
_PLAIN_KEYS = frozenset({"data_type", "namespace", "description", "object_id"})


def _check_json_kinds(doc: object, *, source: str) -> None:
    """Raise SchemaMismatchError when a column's JSON object holds a key of the wrong JSON
    kind that parsing would not notice: ``elements`` or ``index_object_ids`` not an array (a
    string would be taken for its characters), ``index`` not an integer (``true`` or
    ``1.5`` would be taken for 1)."""
    if not isinstance(doc, dict) or doc.keys() <= _PLAIN_KEYS:  # most columns: no such key
        return
    for key in _ARRAY_KEYS:
        value = doc.get(key)
        if value is not None and not isinstance(value, list):
            msg = f"{source}: {key!r} must be an array, found {type(value).__name__} {value!r:.60}"
            raise SchemaMismatchError(msg)
    index = doc.get("index", 0)
    if type(index) is not int:
        msg = f"{source}: 'index' must be an integer, found {type(index).__name__} {index!r:.60}"
        raise SchemaMismatchError(msg)


class TableColumns:
    """The columns of one stored table, each made when first used (the
    ``StoredColumns`` of ``hdmf_arrow.common._columns``): from its JSON object in the
    manifest (``docs``), its Arrow type in the manifest's ``schema`` and the class of
    its data type (``classes``, resolved at open), reading its values from ``files``."""

    def __init__(
        self,
        docs: dict[str, dict[str, Any]],
        schema: pa.Schema,
        classes: dict[tuple[str, str], type[VectorData]],
        files: TableFiles,
        *,
        table: str,
        num_rows: int,
        where: str,
    ) -> None:
        self._docs = docs
        self._schema = schema
        self._classes = classes
        self._files = files
        self.table = table
        self.num_rows = num_rows
        self.where = where  # "from store <url>", for messages
        self._metas: dict[str, ColumnMeta] = {}  # parsed when asked
        self._arrays: dict[str, pa.Array] = {}  # read by to_arrow before the column was made
        self._plain: dict[pa.DataType, bool] = {}  # whether to_arrow() is the stored array

    def _note(self, name: str) -> str:
        return f"while reading column {name!r} of table {self.table!r} {self.where}"

    def meta(self, name: str) -> ColumnMeta:
        hit = self._metas.get(name)
        if hit is None:
            source = f"table {self.table!r}, column {name!r}"
            doc = self._docs[name]
            try:
                _check_json_kinds(doc, source=source)
                hit = column_from_dict(doc, source=source)
            except SchemaMismatchError as exc:
                raise self._corrupt(name, exc) from None
            self._metas[name] = hit
        return hit

    def _corrupt(self, name: str, exc: Exception) -> CorruptStoreError:
        """A column whose description in the manifest is wrong (as opening a table whose
        description is wrong raises)."""
        msg = (
            f"column {name!r} of table {self.table!r} {self.where} is described wrongly in "
            f"the manifest: {exc}. Hint: open an older version with version=N; "
            f"`hdmf-arrow info` lists them."
        )
        return CorruptStoreError(msg)

    def _class(self, name: str) -> type[VectorData]:
        doc = self._docs[name]
        kind = (str(doc.get("data_type", "VectorData")), str(doc.get("namespace", "hdmf-common")))
        return self._classes[kind]

    def build(self, name: str) -> VectorData:
        meta = self.meta(name)
        arrow_type = self._schema.field(name).type
        try:
            return column_from_stored(
                name,
                arrow_type,
                meta,
                num_rows=self.num_rows,
                value_counts=self._files.value_counts(name, ragged.list_depth(arrow_type)),
                read=functools.partial(self._read, name),
                vector_cls=self._class(name),
                where=self._note(name),
            )
        except SchemaMismatchError as exc:  # the description disagrees with the schema
            raise self._corrupt(name, exc) from None
        except CorruptStoreError:
            raise
        except (HdmfArrowError, TypeError, ValueError, pa.ArrowException) as exc:
            # a description that names a class the stored values do not fit (a text column
            # said to be an EnumData, ...): what opening the table raised before columns
            # were made lazily (a tree that does not parse), for this column only
            msg = (
                f"column {name!r} of table {self.table!r} {self.where} cannot be made from "
                f"its description in the manifest (data type {meta.data_type!r}, Arrow type "
                f"{arrow_type}): {type(exc).__name__}: {exc}. Hint: open an older version "
                f"with version=N; `hdmf-arrow info` lists them."
            )
            raise CorruptStoreError(msg) from None

    def _read(self, name: str) -> pa.Array:
        arr = self._arrays.pop(name, None)
        return self._files.column(name) if arr is None else arr

    def is_read(self, name: str) -> bool:
        return name in self._arrays

    def plain_array(self, name: str) -> pa.Array | None:
        t = self._schema.field(name).type
        plain = self._plain.get(t)
        if plain is None:  # once per type (a wide table has few)
            plain = not (
                ragged.list_depth(t)
                or pa.types.is_dictionary(t)
                or pa.types.is_null(t)
                or normalize_type(t) != t
            )
            self._plain[t] = plain
        if not plain:
            return None
        meta = self.meta(name)  # a damaged description raises, as making the column does
        cls = self._class(name)
        if (
            meta.index
            or meta.data_type == "DynamicTableRegion"
            or cls.to_arrow is not Data.to_arrow
        ):
            return None
        arr = self._arrays.get(name)
        if arr is None:
            arr = self._files.column(name)
            if len(arr) != self.num_rows:
                msg = f"stored column has {len(arr)} rows, the manifest says {self.num_rows}"
                error = CorruptStoreError(msg)
                error.add_note(self._note(name))
                raise error
            self._arrays[name] = arr  # the column made later takes it
        return arr if arr.type == t else None


class ObjectIndex(dict[str, Container]):
    """Object id -> container, for a tree being read. The parts of stored columns not made
    yet are in it too: looking one up makes its column (``add_columns`` lists them)."""

    def __init__(self) -> None:
        super().__init__()
        self._tables: list[tuple[DynamicTable, dict[str, dict[str, Any]]]] = []
        self._lazy: dict[str, tuple[DynamicTable, str]] | None = None  # built on a first miss

    def add_columns(self, table: DynamicTable, docs: dict[str, dict[str, Any]]) -> None:
        self._tables.append((table, docs))
        self._lazy = None

    def _column_part(self, object_id: object) -> Container | None:
        if not isinstance(object_id, str):
            return None
        if self._lazy is None:
            lazy: dict[str, tuple[DynamicTable, str]] = {}
            for table, docs in self._tables:
                for name, doc in docs.items():
                    index_ids = doc.get("index_object_ids", ())
                    ids = [doc.get("object_id"), doc.get("elements_object_id")]
                    ids += index_ids if isinstance(index_ids, list) else []
                    for key in ids:
                        if isinstance(key, str):
                            lazy.setdefault(key, (table, name))
            self._lazy = lazy
        hit = self._lazy.get(object_id)
        if hit is None:
            return None
        table, name = hit
        for part in parts(table._cols[name]):  # made now
            if part.object_id is not None:
                self.setdefault(part.object_id, part)
        return super().get(object_id)

    def __missing__(self, object_id: str) -> Container:
        found = self._column_part(object_id)
        if found is None:
            raise KeyError(object_id)
        return found

    def get(self, object_id: str, default: Any = None) -> Any:  # type: ignore[override]
        if dict.__contains__(self, object_id):
            return dict.__getitem__(self, object_id)
        found = self._column_part(object_id)
        return default if found is None else found

    def __contains__(self, object_id: object) -> bool:
        return dict.__contains__(self, object_id) or self._column_part(object_id) is not None
