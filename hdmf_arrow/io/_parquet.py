"""One table <-> Parquet files: writing a file, and reading whole columns or a few rows.

Row groups are capped by bytes, not only rows (docs/format.md, section 6.2: nested columns over
~2 GB in one row group break pyarrow; small groups make ``table[i]`` read little). Every file
carries the table's ``hdmf`` document in its footer, and a page index.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import functools
import itertools
import json
import numbers
import os
import re
import threading
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from pyarrow._parquet import ParquetReader

from hdmf_arrow.arrow import ragged
from hdmf_arrow.errors import CorruptStoreError, InvalidArgumentError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    import polars as pl

    from hdmf_arrow.storage import Store


# the cores this process may run on (a container's CPU set, not the machine's)
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
# the bytes of a table's files from which its files are read on several threads at once
_PARALLEL_READ_BYTES = 2**21


@dataclass(frozen=True, slots=True)
class ParquetOptions:
    """How data files are written.

    ``row_group_bytes`` bounds the uncompressed size of a row group (rows per group are
    derived from the table's average row size, within ``[min_row_group_rows,
    max_row_group_rows]``, and never over ``max_file_bytes``, so that rows of many KiB do
    not make groups of gigabytes): smaller groups make row access cheaper, larger ones scans.

    An append writes its rows as a new file. When the table's last ``merge_small_files``
    files are each under ``small_file_bytes``, the append rewrites them and its rows as one
    file instead, so many small appends leave few files and small manifests (0 turns it off;
    ``ParquetIO.compact`` rewrites a table into one file on demand).

    A column is compressed only where ``compression`` pays: in a table of at least
    ``measure_bytes``, a sample of rows is written first, and a column whose pages the
    codec shrinks by less than ``min_compression_saving`` is written uncompressed. Random
    floats such as spike times shrink by ~13% under zstd (byte-stream split), which costs
    2.3x the write time and 1.5x the read time of the uncompressed column (measured on
    ``benchmarks/peers.py``'s ragged column): more than the bytes it saves take to move
    on a disk or network of over ~150 MB/s. 0 compresses every column (smallest files).

    A table of at least twice ``parallel_file_bytes`` is written as one file per core (at
    most ``write_threads``; files of ``parallel_file_bytes`` at least), written at once, since
    Parquet encodes one file on one core (a 17 MB table: 53 -> 40 ms on 2 cores); and a
    table over ``max_file_bytes`` (in memory) as files of about that (whole row groups: a
    file holds one group at least), so that reading a row parses one footer of bounded
    size, however large the table.
    """

    compression: Literal["zstd", "snappy", "gzip", "lz4", "none"] = "zstd"
    row_group_bytes: int = 2**20
    min_row_group_rows: int = 1024
    max_row_group_rows: int = 1_000_000
    data_page_bytes: int = 256 * 2**10
    merge_small_files: int = 8
    small_file_bytes: int = 4 * 2**20
    min_compression_saving: float = 0.20
    measure_bytes: int = 8 * 2**20
    write_threads: int = min(8, _CORES)
    parallel_file_bytes: int = 8 * 2**20
    max_file_bytes: int = 64 * 2**20

    def __post_init__(self) -> None:
        if self.compression not in _CODECS:
            msg = (
                f"ParquetOptions: compression must be one of {', '.join(_CODECS)}, "
                f"found {self.compression!r}"
            )
            raise InvalidArgumentError(msg)
        for name in _POSITIVE:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                msg = f"ParquetOptions: {name} must be an integer >= 1, found {value!r}"
                raise InvalidArgumentError(msg)
            object.__setattr__(self, name, int(value))  # a numpy integer, as a Python int
        for name in ("merge_small_files", "small_file_bytes", "measure_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
                msg = f"ParquetOptions: {name} must be an integer >= 0, found {value!r}"
                raise InvalidArgumentError(msg)
            object.__setattr__(self, name, int(value))
        saving = self.min_compression_saving
        if isinstance(saving, bool) or not isinstance(saving, numbers.Real) or not 0 <= saving < 1:
            msg = (
                "ParquetOptions: min_compression_saving must be a fraction in [0, 1), "
                f"found {self.min_compression_saving!r}"
            )
            raise InvalidArgumentError(msg)
        if self.min_row_group_rows > self.max_row_group_rows:
            msg = (
                f"ParquetOptions: min_row_group_rows ({self.min_row_group_rows}) is above "
                f"max_row_group_rows ({self.max_row_group_rows})"
            )
            raise InvalidArgumentError(msg)


_CODECS = ("zstd", "snappy", "gzip", "lz4", "none")
_POSITIVE = (
    "row_group_bytes",
    "min_row_group_rows",
    "max_row_group_rows",
    "data_page_bytes",
    "write_threads",
    "parallel_file_bytes",
    "max_file_bytes",
)


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A data file as the manifest lists it."""

    path: str
    num_rows: int
    num_bytes: int
    row_groups: tuple[int, ...]  # rows per row group
    value_counts: dict[str, tuple[int, ...]]  # ragged column -> values per list level
    null_counts: dict[str, int]  # column -> nulls (only columns that have any)

    def to_dict(self) -> dict[str, object]:
        doc: dict[str, object] = {
            "path": self.path,
            "num_rows": self.num_rows,
            "num_bytes": self.num_bytes,
            "row_groups": list(self.row_groups),
        }
        if self.value_counts:
            doc["value_counts"] = {k: list(v) for k, v in self.value_counts.items()}
        if self.null_counts:
            doc["null_counts"] = dict(self.null_counts)
        return doc

    @classmethod
    def parse(cls, doc: dict[str, object]) -> FileEntry:
        counts = doc.get("value_counts") or {}
        nulls = doc.get("null_counts") or {}
        numbers = [doc["num_rows"], doc["num_bytes"], *doc["row_groups"]]  # type: ignore[misc]
        if not isinstance(counts, dict) or not isinstance(nulls, dict):
            msg = f"the counts of data file {doc.get('path')!r:.120} are not objects"
            raise CorruptStoreError(msg)
        numbers += [*nulls.values(), *(n for v in counts.values() for n in v)]
        # JSON gives ints as int (never bool): the set of types (in C), then the range
        if set(map(type, numbers)) != {int} or min(numbers) < 0 or max(numbers) >= 2**63:
            for n in numbers:
                if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < 2**63:
                    msg = f"a count in the entry of data file {doc.get('path')!r:.120} is {n!r:.40}"
                    raise CorruptStoreError(msg)
        return cls(
            path=str(doc["path"]),
            num_rows=int(doc["num_rows"]),  # type: ignore[call-overload]
            num_bytes=int(doc["num_bytes"]),  # type: ignore[call-overload]
            row_groups=tuple(doc["row_groups"]),  # type: ignore[arg-type]
            value_counts={str(k): tuple(int(n) for n in v) for k, v in counts.items()},  # type: ignore[attr-defined]
            null_counts={str(k): int(v) for k, v in nulls.items()},  # type: ignore[attr-defined]
        )


def rows_per_group(table: pa.Table, options: ParquetOptions) -> int:
    """Rows per row group so that a group holds about ``options.row_group_bytes``, within
    ``[min_row_group_rows, max_row_group_rows]``, but never more than ``max_file_bytes``
    (one row at least): rows of several KiB must not make groups of gigabytes (nested
    columns over ~2 GiB in one group break pyarrow; a point read reads a whole group).

    >>> t = pa.table({"w": pa.FixedSizeListArray.from_arrays(np.zeros(2000 * 512), 512)})
    >>> rows_per_group(t, ParquetOptions()), rows_per_group(t, ParquetOptions(max_file_bytes=2**18))
    (1024, 64)
    """
    if table.num_rows == 0:
        return options.min_row_group_rows
    per_row = max(1, table.nbytes // table.num_rows)
    rows = options.row_group_bytes // per_row
    rows = min(max(rows, options.min_row_group_rows), options.max_row_group_rows)
    return int(max(1, min(rows, options.max_file_bytes // per_row)))


_DICTIONARY_WORTHY = (
    pa.types.is_dictionary,
    pa.types.is_string,
    pa.types.is_large_string,
    pa.types.is_binary,
    pa.types.is_large_binary,
)


def dictionary_columns(schema: pa.Schema) -> list[str]:
    """Parquet leaf paths worth dictionary encoding: strings, binaries and enums.

    Numbers are written plain: their values rarely repeat, and encoding, say, 2M distinct
    spike times as a dictionary costs more time than it saves space.

    >>> dictionary_columns(pa.schema([("s", pa.string()), ("x", pa.float64()),
    ...                               ("ls", pa.list_(pa.string()))]))
    ['s', 'ls.list.element']
    """
    out: list[str] = []

    def walk(path: str, t: pa.DataType) -> None:
        if any(test(t) for test in _DICTIONARY_WORTHY):
            out.append(path)
        elif pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
            walk(f"{path}.list.element", t.value_type)
        elif pa.types.is_struct(t):
            for field in t:
                walk(f"{path}.{field.name}", field.type)

    for field in schema:
        walk(field.name, field.type)
    return out


def split_columns(schema: pa.Schema) -> dict[str, str]:
    """Parquet leaf paths to write with BYTE_STREAM_SPLIT: the numbers of N-D columns
    (``fixed_size_list`` of ints or floats, such as an ElectricalSeries' samples), and
    float32/float64 values at any list depth (a float column, spike times).

    Measured on int16 samples of 384 channels (``benchmarks/hdf5.py``): split streams make
    zstd twice as fast and the file half as large (the high bytes compress to nothing), and
    reading faster too. On 1M random float64 values: zstd writes 2.5x and reads 2.3x faster
    with it, and the column is 11% smaller; uncompressed, split is 2.5x faster to write
    (``benchmarks/peers.py``'s table). Flat and ragged integers keep the plain encoding.

    >>> sorted(split_columns(pa.schema([("x", pa.list_(pa.int16(), 4)), ("t", pa.float64()),
    ...                                 ("i", pa.int64()), ("r", pa.list_(pa.float32()))])))
    ['r.list.element', 't', 'x.list.element']
    """
    out: dict[str, str] = {}

    def walk(path: str, t: pa.DataType, nested: bool) -> None:
        if pa.types.is_fixed_size_list(t):
            walk(f"{path}.list.element", t.value_type, True)
        elif pa.types.is_list(t) or pa.types.is_large_list(t):
            walk(f"{path}.list.element", t.value_type, nested)
        elif (nested and pa.types.is_integer(t)) or t in (pa.float32(), pa.float64()):
            out[path] = "BYTE_STREAM_SPLIT"

    for field in schema:
        walk(field.name, field.type, False)
    return out


ROW_COLUMN = "_row"


def row_column_for(names: Sequence[str]) -> str:
    """The name of the row-position column of a table whose columns are ``names``:
    ``_row``, or ``_row_1``, ``_row_2``... when a column already has that name.

    >>> row_column_for(["id", "x"]), row_column_for(["id", "_row", "_row_1"])
    ('_row', '_row_2')
    """
    taken = set(names)
    name, k = ROW_COLUMN, 0
    while name in taken:
        k += 1
        name = f"{ROW_COLUMN}_{k}"
    return name


def write_file(
    store: Store,
    directory: str,
    table: pa.Table,
    options: ParquetOptions,
    *,
    row_column: str | None = None,
    first_row: int = 0,
) -> FileEntry:
    """Write ``table`` (schema metadata included) as a new Parquet file under ``directory``."""
    return write_blocks(
        store, directory, table.schema, [table], options, row_column=row_column, first_row=first_row
    )


T = TypeVar("T")

# the data files written so far by the write in progress (ParquetIO.write sets it): a write
# that fails before its commit deletes them. Tasks of a write's thread pools see it through
# ``in_pool``; a file written where it is not set is left to vacuum, never deleted wrongly.
new_files: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "hdmf_arrow_new_files", default=None
)


def in_pool(pool: ThreadPoolExecutor, fn: Callable[[int], T], items: Iterable[int]) -> list[T]:
    """``list(pool.map(fn, items))``, each task run in a copy of the caller's context (so
    that it sees ``new_files``)."""
    futures = [pool.submit(contextvars.copy_context().run, fn, item) for item in items]
    return [f.result() for f in futures]


def write_files(
    store: Store,
    directory: str,
    table: pa.Table,
    options: ParquetOptions,
    *,
    row_column: str | None = None,
    first_row: int = 0,
) -> list[FileEntry]:
    """Write ``table`` as new files of whole row groups (but the last), in row order; with
    ``row_column``, each file's positions continue the previous file's.

    One file, unless the table holds more than ``options.max_file_bytes`` (then as many
    files as that takes, so that reading a few rows parses one footer of bounded size
    whatever the table's size) or at least ``options.parallel_file_bytes`` (then at least one
    file per write thread). The files are written ``options.write_threads`` at a time:
    pyarrow encodes a file on one core, and releases the GIL while it does."""
    rows = rows_per_group(table, options)
    groups = -(-table.num_rows // rows)
    parts = min(
        groups,
        max(
            -(-table.nbytes // options.max_file_bytes),
            min(options.write_threads, table.nbytes // options.parallel_file_bytes),
        ),
    )
    if parts <= 1:
        return [
            write_file(store, directory, table, options, row_column=row_column, first_row=first_row)
        ]
    starts = [rows * (groups * k // parts) for k in range(parts)]
    stops = [*starts[1:], table.num_rows]
    codecs = column_codecs(table, options, row_column=row_column)  # one choice for all parts
    store.ensure_dir(directory, defer_sync=True)  # durable by the commit (Store note)

    def one(k: int) -> FileEntry:
        part = table.slice(starts[k], stops[k] - starts[k])
        return write_blocks(
            store, directory, table.schema, [part], options,
            row_column=row_column, first_row=first_row + starts[k],
            codecs=codecs, group_rows=rows,
        )  # fmt: skip

    workers = min(parts, options.write_threads)
    with ThreadPoolExecutor(workers, thread_name_prefix="hdmf-arrow-write") as pool:
        return in_pool(pool, one, range(parts))


def column_codecs(
    table: pa.Table, options: ParquetOptions, *, row_column: str | None = None
) -> str | dict[str, str] | None:
    """The codec of each Parquet leaf column: ``options.compression`` where it shrinks the
    column's pages by at least ``options.min_compression_saving``, none elsewhere.

    Tables under ``options.measure_bytes`` take the codec for every column unmeasured. Larger
    ones are measured on a sample: three runs of rows (start, middle, end) of about one row
    group in all, written in memory with the file's encodings; each column chunk's compressed
    and uncompressed sizes in that footer decide.

    >>> import numpy as np
    >>> t = pa.table({"i": np.arange(2_000_000), "f": np.random.default_rng(0).random(2_000_000)})
    >>> column_codecs(t, ParquetOptions())  # random floats: zstd saves ~13%, under 20%
    {'i': 'zstd', 'f': 'none'}
    >>> column_codecs(t, ParquetOptions(min_compression_saving=0))
    'zstd'
    """
    codec = None if options.compression == "none" else options.compression
    if codec is None or options.min_compression_saving <= 0 or table.nbytes < options.measure_bytes:
        return codec
    n = table.num_rows
    if n == 0:  # nothing to measure (an empty table of a large dictionary)
        return codec
    k = max(1, min(n, rows_per_group(table, options)) // 3)
    sample = pa.concat_tables([table.slice(0, k), table.slice(n // 2, k), table.slice(n - k, k)])
    schema = sample.schema
    if row_column is not None:
        schema = _with_row_column(schema, row_column)
        sample = sample.append_column(schema.field(row_column), pa.array(np.arange(len(sample))))
    sink = pa.BufferOutputStream()
    pq.write_table(
        sample,
        sink,
        compression=codec,
        use_dictionary=dictionary_columns(schema),
        column_encoding=split_columns(schema) | _row_encoding(row_column) or None,
        data_page_size=options.data_page_bytes,
    )
    footer = pq.read_metadata(pa.BufferReader(sink.getvalue()))
    packed: dict[str, int] = collections.Counter()
    raw: dict[str, int] = collections.Counter()
    for g in range(footer.num_row_groups):
        for c in range(footer.num_columns):
            chunk = footer.row_group(g).column(c)
            packed[chunk.path_in_schema] += chunk.total_compressed_size
            raw[chunk.path_in_schema] += chunk.total_uncompressed_size
    keep = 1 - options.min_compression_saving
    return {path: codec if packed[path] <= keep * raw[path] else "none" for path in raw}


def _row_encoding(row_column: str | None) -> dict[str, str]:
    return {} if row_column is None else {row_column: "DELTA_BINARY_PACKED"}


def write_blocks(
    store: Store,
    directory: str,
    schema: pa.Schema,
    blocks: Iterable[pa.Table],
    options: ParquetOptions,
    *,
    row_column: str | None = None,
    first_row: int = 0,
    codecs: str | dict[str, str] | None = None,
    group_rows: int | None = None,
) -> FileEntry:
    """Write ``blocks`` (tables of ``schema``) one after another as one new Parquet file under
    ``directory``: a table of any size is written holding one block in memory at a time.

    With ``row_column``, the file gets one more column, last: each row's position in the
    whole table, from ``first_row`` on (docs/format.md, section 6.2), delta-encoded, so it
    costs a few bytes per page. Counts in the entry leave it out. The codecs are
    ``column_codecs`` of the first block unless ``codecs`` gives them; rows per row group
    are ``rows_per_group`` of each block unless ``group_rows`` gives them."""
    key = f"{directory}/{uuid.uuid4().hex}.parquet"
    store.ensure_dir(directory, defer_sync=True)  # durable by the commit (Store note)
    written = new_files.get()
    if written is not None:
        written.append(key)  # list.append is atomic: a write's threads share the list
    path = store.arrow_path(key)
    blocks = iter(blocks)
    first = next(blocks, None)
    if codecs is None:
        codecs = column_codecs(first, options, row_column=row_column) if first is not None else None
        if codecs is None and options.compression != "none":
            codecs = options.compression
    num_rows = 0
    counts: dict[str, tuple[int, ...]] = {}
    nulls: dict[str, int] = {}
    encodings = split_columns(schema) | _row_encoding(row_column)
    file_schema = schema if row_column is None else _with_row_column(schema, row_column)
    with pq.ParquetWriter(
        path,
        file_schema,
        filesystem=store.arrow_fs,
        compression=codecs,
        use_dictionary=dictionary_columns(schema),
        column_encoding=encodings or None,
        write_page_index=True,
        data_page_size=options.data_page_bytes,
    ) as writer:
        for table in itertools.chain([] if first is None else [first], blocks):
            rows = group_rows or rows_per_group(table, options)
            if row_column is not None:
                start = first_row + num_rows
                positions = pa.array(np.arange(start, start + table.num_rows, dtype=np.int64))
                table = table.append_column(file_schema.field(row_column), positions)  # noqa: PLW2901
            writer.write_table(table, row_group_size=rows)
            num_rows += table.num_rows
            for name, n in _value_counts(table).items():
                counts[name] = tuple(
                    a + b for a, b in zip(counts.get(name, (0,) * len(n)), n, strict=True)
                )
            for name, column in zip(table.column_names, table.columns, strict=True):
                if column.null_count:
                    nulls[name] = nulls.get(name, 0) + column.null_count
        if num_rows == 0:  # no block at all: one empty row group, as an empty table writes
            writer.write_table(file_schema.empty_table())
    footer = writer.writer.metadata  # the row groups as the file has them, not as planned
    store.sync(key)  # durable before any manifest refers to it
    groups = [footer.row_group(g).num_rows for g in range(footer.num_row_groups)] or [0]
    return FileEntry(
        path=key,
        num_rows=num_rows,
        num_bytes=store.arrow_fs.get_file_info(path).size,
        row_groups=tuple(groups),
        value_counts=counts,
        null_counts=nulls,
    )


def _with_row_column(schema: pa.Schema, name: str) -> pa.Schema:
    """``schema`` plus the non-null int64 column ``name``, last, and named in the ``hdmf``
    document of its metadata (if it has one), so a reader of the bare file knows it."""
    out = schema.append(pa.field(name, pa.int64(), nullable=False))
    metadata = dict(schema.metadata or {})
    raw = metadata.get(b"hdmf")
    if raw is not None:
        doc = json.loads(raw)
        doc["row_column"] = name
        metadata[b"hdmf"] = json.dumps(doc, separators=(", ", ": ")).encode()
        out = out.with_metadata(metadata)
    return out


def _value_counts(table: pa.Table) -> dict[str, tuple[int, ...]]:
    """For each ragged column, how many values each list level holds (outermost first)."""
    counts: dict[str, tuple[int, ...]] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        depth = ragged.list_depth(column.type)
        if depth:
            levels = []
            for chunk in column.chunks:
                _, split = ragged.split(chunk, depth)
                levels.append([int(lv.offsets[-1].as_py()) for lv in split])
            counts[name] = (
                tuple(int(sum(c)) for c in zip(*levels, strict=True)) if levels else (0,) * depth
            )
    return counts


def open_reader(
    store: Store,
    entry: FileEntry,
    footer: pq.FileMetaData,
    *,
    pre_buffer: bool = False,
    size: int | None = None,
    where: str | None = None,
) -> tuple[Any, ParquetReader]:
    """``(source, reader)`` of a data file whose footer was read (and checked) already; the
    caller closes the source.

    With ``size`` (the size of the file that footer was read from), a file of another size
    raises CorruptStoreError naming it (``where``: the file and its table): it was replaced
    since, and reading it with the old footer's page offsets would read anything."""
    source = store.open_input(entry.path, entry.num_bytes)
    reader = ParquetReader()
    try:
        if size is not None:
            _check_unchanged(source, store, entry, size, where)
        reader.open(source, metadata=footer, pre_buffer=pre_buffer)
    except BaseException:
        source.close()
        raise
    return source, reader


def _check_unchanged(
    source: Any, store: Store, entry: FileEntry, size: int, where: str | None
) -> None:
    """Raise CorruptStoreError if the open file ``source`` no longer has ``size`` bytes."""
    now = source.size()  # a stat, or the size the manifest gave an object store
    if now != size:
        what = where or f"data file {entry.path!r} in store {store.url}"
        msg = (
            f"{what} changed after its footer was read: it has {now} bytes, it had {size} "
            f"(data files never change once written). Hint: open the store again, or "
            f"restore the file."
        )
        raise CorruptStoreError(msg)


# the first "object_id" of an ``hdmf`` document: the table's, as hdmf-arrow writes it
_OBJECT_ID = re.compile(rb'"object_id":\s*"([^"\\]*)"')


class OpenFiles:
    """At most ``limit`` data files open at once, shared by the tables of one reader (the
    least recently used is closed first): a table holds no descriptor per data file, yet
    reading column after column of one file opens it once.

    A shared reader serves one read at a time: a file in use is never closed to make room
    (the limit is exceeded until it is released), and a second thread reading the same file
    meanwhile gets a reader of its own, closed after its read."""

    def __init__(self, limit: int = 8) -> None:
        self.limit = limit
        # key -> [source, reader, in use]
        self._open: OrderedDict[str, list[Any]] = OrderedDict()
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def using(
        self,
        store: Store,
        entry: FileEntry,
        footer: pq.FileMetaData,
        *,
        size: int | None = None,
        where: str | None = None,
    ) -> Iterator[ParquetReader]:
        """A reader of ``entry`` for one read (opened with the store's ``pre_buffer``;
        ``size`` and ``where`` as ``open_reader``'s)."""
        key = f"{store.url}\x00{entry.path}"
        with self._lock:
            hit = self._open.get(key)
            if hit is not None and not hit[2]:
                self._open.move_to_end(key)
                hit[2] = True
            else:
                hit = None
        if hit is not None:
            try:
                yield hit[1]
            finally:
                with self._lock:
                    hit[2] = False
                    self._trim()
            return
        # not open yet, or in use by another read: a reader of this read's own
        source, reader = open_reader(store, entry, footer, pre_buffer=store.pre_buffer)
        if size is not None:
            try:
                _check_unchanged(source, store, entry, size, where)
            except BaseException:
                source.close()
                raise
        shared = None
        with self._lock:
            if key not in self._open:  # kept for the next reads
                shared = [source, reader, True]
                self._open[key] = shared
        try:
            yield reader
        finally:
            if shared is None:
                source.close()
            else:
                with self._lock:
                    shared[2] = False
                    self._trim()

    def adopt(self, store: Store, entry: FileEntry, source: Any, reader: ParquetReader) -> bool:
        """Keep an open ``(source, reader)`` of a data file (a reader opened with
        the store's ``pre_buffer``) for the next reads; False (the caller closes it) if that file
        has one already."""
        key = f"{store.url}\x00{entry.path}"
        with self._lock:
            if key in self._open:
                return False
            self._open[key] = [source, reader, False]
            self._trim()
        return True

    def _trim(self) -> None:
        """Close the least recently used files not in use until at most ``limit`` are open
        (the caller holds the lock)."""
        excess = len(self._open) - self.limit
        for key in [k for k, v in self._open.items() if not v[2]][: max(excess, 0)]:
            self._open.pop(key)[0].close()

    def close(self) -> None:
        """Close every open file (later reads open them again)."""
        with self._lock:
            while self._open:
                _, (source, _reader, _used) = self._open.popitem()
                source.close()


class TableFiles:
    """Reads one stored table's columns: whole, or only the row groups holding some rows.

    Opened Parquet footers and decoded row groups are cached (least recently used first out,
    up to ``cache_bytes``), so a second look at the same rows does not read again.
    """

    def __init__(
        self,
        store: Store,
        files: Sequence[FileEntry],
        *,
        name: str,
        schema: pa.Schema | None = None,
        open_files: OpenFiles | None = None,
        cache_bytes: int = 64 * 2**20,
        row_column: str | None = None,
    ) -> None:
        self.store = store
        self.row_column = row_column  # the files' row-position column (format.md, 6.2)
        self.open_files = open_files if open_files is not None else OpenFiles(limit=2)
        self.files = list(files)
        self.name = name
        self.schema = schema  # the manifest's: every file must match it
        self.num_rows = sum(f.num_rows for f in self.files)
        # footers only: a file is opened for each read and closed after it, so a table holds
        # no file descriptor however many files it has
        self._footers: dict[int, pq.FileMetaData] = {}
        self._schemas: dict[int, pa.Schema] = {}  # file -> its Arrow schema (from the footer)
        self._sizes: dict[int, int] = {}  # file -> its size when its footer was read
        self._leaves: dict[int, dict[str, list[int]]] = {}  # file -> column -> leaf indices
        self._cache: OrderedDict[tuple[int, int, str], pa.Array] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._cached = 0
        self._whole: dict[str, pa.Array] = {}  # prefetched whole columns, handed out once
        self._served: set[str] = set()  # whole columns handed out: the caller keeps them
        # the cache and the prefetched columns are shared by the threads reading the table
        self._lock = threading.Lock()

    @functools.cached_property
    def _layout(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """The global first row of every row group (and the end), which file holds each
        group and its place there, and every file's first row: arrays, not a loop over the
        groups, made when first needed (opening a store of many tables reads none of them)."""
        counts = np.fromiter((len(f.row_groups) for f in self.files), np.int64, len(self.files))
        sizes = np.fromiter(
            itertools.chain.from_iterable(f.row_groups for f in self.files),
            np.int64,
            int(counts.sum()),
        )
        starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        first_group = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        file_of = np.repeat(np.arange(len(self.files)), counts)
        group_in_file = np.arange(len(sizes)) - np.repeat(first_group, counts)
        return starts, file_of, group_in_file, starts[first_group].tolist() if self.files else []

    @property
    def _starts(self) -> np.ndarray:
        return self._layout[0]

    @property
    def _file_of(self) -> np.ndarray:
        return self._layout[1]

    @property
    def _group_in_file(self) -> np.ndarray:
        return self._layout[2]

    @property
    def _file_starts(self) -> list[int]:
        return self._layout[3]

    def _where_is(self, i: int) -> str:
        return f"data file {self.files[i].path!r} of table {self.name!r} in store {self.store.url}"

    def _missing(self, i: int) -> CorruptStoreError:
        msg = (
            f"data file {self.files[i].path!r} of table {self.name!r} is missing from store "
            f"{self.store.url}. Hint: open an older version, or restore the file."
        )
        return CorruptStoreError(msg)

    def _footer(self, i: int) -> pq.FileMetaData:
        """The footer of file ``i``, read once and checked against the manifest. The reader
        that read it stays open (in ``open_files``) for the data reads: opening another
        would redo pyarrow's per-open work over every column (15 ms for 10,000)."""
        if i not in self._footers:
            entry = self.files[i]
            try:
                source = self.store.open_input(entry.path, entry.num_bytes)
            except FileNotFoundError:
                raise self._missing(i) from None
            kept = False
            try:
                try:  # not pq.read_metadata: its ParquetFile does Python work per column
                    size = source.size()  # a stat on local disk; the manifest's elsewhere
                    if size != entry.num_bytes:
                        msg = (
                            f"{self._where_is(i)} does not match the manifest: it has {size:,} "
                            f"bytes, the manifest lists {entry.num_bytes:,} (it was replaced or "
                            f"damaged after it was written; data files never change). Hint: "
                            f"restore the file, or open an older version."
                        )
                        raise CorruptStoreError(msg)
                    reader = ParquetReader()
                    reader.open(source, pre_buffer=self.store.pre_buffer)
                    footer = reader.metadata
                    found = footer.schema.to_arrow_schema()
                except CorruptStoreError:
                    raise  # its size: it is not for the Parquet reader to judge
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
                    msg = f"{self._where_is(i)} is not valid Parquet ({exc})"
                    raise CorruptStoreError(msg) from None
                problem = self._disagreement(i, footer, found)
                if problem:
                    msg = f"{self._where_is(i)} does not match the manifest: {problem}"
                    raise CorruptStoreError(msg)
                self._footers[i] = footer
                self._schemas[i] = found
                self._sizes[i] = size
                kept = self.open_files.adopt(self.store, entry, source, reader)
            finally:
                if not kept:
                    source.close()
        return self._footers[i]

    def _disagreement(self, i: int, footer: pq.FileMetaData, found: pa.Schema) -> str:
        """How file ``i`` disagrees with the manifest ('' if it does not): the row groups
        locate rows, so a manifest that lied about them would make reads lie; and another
        object's file is not the file the manifest lists, even with the same row groups,
        row positions and size (an uncompressed file of a table of the same layout): its
        footer names its object."""
        entry = self.files[i]
        groups = tuple(footer.row_group(g).num_rows for g in range(footer.num_row_groups))
        if footer.num_rows != entry.num_rows or groups != entry.row_groups:
            return (
                f"the manifest lists {entry.num_rows} rows in row groups of "
                f"{_short(entry.row_groups)}, the file holds {footer.num_rows} in "
                f"{_short(groups)}"
            )
        if self.schema is not None:
            if self.row_column is None:
                problem = _schema_difference(self.schema, found)
            else:
                row_field = pa.field(self.row_column, pa.int64(), nullable=False)
                problem = _schema_difference(self.schema.append(row_field), found)
                problem = problem or self._misplaced(i, footer, found)
            if problem:
                return problem
        return _foreign(entry, footer)

    def _misplaced(self, i: int, footer: pq.FileMetaData, found: pa.Schema) -> str:
        """How the row positions of a file disagree with its place in ``files`` ('' if they
        do not), from the statistics of its first and last row groups (a file's positions
        are consecutive, so those two place it; checking every group would cost each open
        time that grows with the table): an engine joining on them would join other rows."""
        if found.names[-1] != self.row_column:
            return f"its last column is {found.names[-1]!r}, not the row column {self.row_column!r}"
        if footer.num_rows == 0:
            return ""
        index = footer.num_columns - 1  # the last leaf: the row column is flat and last
        first, last = self._file_starts[i], self._file_starts[i] + footer.num_rows - 1
        groups = [g for g in range(footer.num_row_groups) if footer.row_group(g).num_rows]
        for g, end, want in ((groups[0], "min", first), (groups[-1], "max", last)):
            stats = footer.row_group(g).column(index).statistics
            ok = stats is not None and stats.has_min_max
            have = getattr(stats, end) if ok else None
            if have != want:
                return (
                    f"its rows should be rows {first}-{last} of the table in column "
                    f"{self.row_column!r}, but row group {g} says {have} where {want} belongs"
                )
        return ""

    def problems(self) -> list[str]:
        """What is wrong with each file (unreadable, or not matching the manifest): every
        footer is read; nothing raises."""
        out = []
        for i in range(len(self.files)):
            try:
                self._footer(i)
            except CorruptStoreError as exc:
                out.append(str(exc))
        return out

    def check_before_scan(self) -> None:
        """Before an engine reads the files directly: on local disk, read and check every
        footer against the manifest (a stat and a small read each, ~60 µs), so that a file
        replaced by another is refused (CorruptStoreError) rather than scanned. On object
        stores that would cost a request per file before the engine makes its own: nothing."""
        from hdmf_arrow.storage import LocalStore

        if isinstance(self.store, LocalStore):
            for i in range(len(self.files)):
                self._footer(i)

    def _read(
        self, i: int, names: Sequence[str], group: int | None = None, *, split: bool = True
    ) -> pa.Table:
        """Columns ``names`` of file ``i`` (of one row group, or all), read through the open
        files: with the footer read once, and without pyarrow's per-open work over every
        column (ParquetFile's), so reading a column costs the same in a table of 10,000.
        Several row groups of a few columns of a narrow file are shared out among the cores
        (``_split_worthy``) unless ``split`` is False (the caller reads files in parallel)."""
        footer = self._footer(i)
        leaves = self._leaf_indices(i)
        try:
            indices = [k for n in names for k in leaves[n]]
        except KeyError as exc:
            msg = f"{self._where_is(i)} has no column {exc}"
            raise CorruptStoreError(msg) from None
        groups = range(footer.num_row_groups)
        if split and group is None and _split_worthy(footer, len(indices)):
            # pyarrow decodes the columns of one read in parallel, but a few columns of
            # many rows would keep one core busy: a reader per core, each closed after
            workers = min(_CORES, len(groups))
            bounds = [len(groups) * k // workers for k in range(workers + 1)]

            def part(k: int) -> pa.Table:
                try:
                    source, reader = open_reader(
                        self.store,
                        self.files[i],
                        footer,
                        pre_buffer=self.store.pre_buffer,
                        size=self._sizes.get(i),
                        where=self._where_is(i),
                    )
                except FileNotFoundError:
                    raise self._missing(i) from None
                try:
                    return _read_groups(reader, indices, groups[bounds[k] : bounds[k + 1]])
                finally:
                    source.close()

            with ThreadPoolExecutor(max_workers=workers) as pool:
                return pa.concat_tables(list(pool.map(part, range(workers))))
        try:
            entry, size, where = self.files[i], self._sizes.get(i), self._where_is(i)
            with self.open_files.using(self.store, entry, footer, size=size, where=where) as reader:
                if group is not None:
                    # on this thread: one row group is too small for pyarrow's pool to pay
                    return reader.read_row_group(group, column_indices=indices, use_threads=False)
                try:
                    return _read_groups(reader, indices, groups, whole=True)
                finally:
                    if footer.num_row_groups:
                        # a reader holds what it pre-buffered (the raw column chunks) until
                        # its next read: an empty read lets go of them, so that an open
                        # file does not keep a copy of the last columns read
                        with contextlib.suppress(pa.ArrowException):
                            reader.read_row_group(0, column_indices=[])
        except FileNotFoundError:
            raise self._missing(i) from None

    def _leaf_indices(self, i: int) -> dict[str, list[int]]:
        """The Parquet leaf columns of each top-level column of file ``i`` (a ragged column
        has one leaf, a struct one per field)."""
        if i not in self._leaves:
            self._footer(i)
            schema = self._schemas[i]
            out: dict[str, list[int]] = {}
            if self._footers[i].num_columns == len(schema):  # flat: one leaf per column
                out = {name: [k] for k, name in enumerate(schema.names)}
            else:
                start = 0
                for field in schema:
                    n = _leaf_count(field.type)
                    out[field.name] = list(range(start, start + n))
                    start += n
            self._leaves[i] = out
        return self._leaves[i]

    def _file_schema(self, i: int) -> pa.Schema:
        if self.schema is None:
            self._footer(i)
            return self._schemas[i]
        return self.schema

    def scan(self, *, rows: str | None = None) -> pl.LazyFrame:
        """A polars LazyFrame over the files (read through polars' own object store when it
        can reach the store; memory:// stores are read into memory first): the manifest's
        columns and, with ``rows``, each row's position in the table as column ``rows``.

        On local disk every footer is checked against the manifest first (``_footer``: a
        stat and a small read each), as any other read does, so that a replaced file is
        refused rather than scanned. On object stores that would cost a request per file
        before polars makes its own, so polars reads them unchecked there."""
        import polars as pl

        names = self._file_schema(0).names if self.files else []
        stored = [self.row_column] if rows is not None and self.row_column is not None else []
        reach = self.store.polars_options()
        if reach is not None:
            self.check_before_scan()
        if reach is None:
            tables = [self._read(i, [*names, *stored]) for i in range(len(self.files))]
            frame = pl.from_arrow(pa.concat_tables(tables)).lazy()  # type: ignore[union-attr]
        else:
            url, options = reach
            paths = [f"{url}/{f.path}" for f in self.files]
            frame = pl.scan_parquet(  # glob=False: a store's path may hold '[' or '*'
                paths, storage_options=options, glob=False
            ).select([*names, *stored])
        if rows is None:
            return frame
        if stored:
            return frame.rename({stored[0]: rows}) if stored[0] != rows else frame
        # files of format 0.1 have no such column: their rows, in files order
        return frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(rows))

    def has_nulls(self, name: str) -> bool:
        return any(f.null_counts.get(name) for f in self.files)

    def value_counts(self, name: str, depth: int) -> tuple[int, ...]:
        """Values of each list level of a ragged column, over all files."""
        totals = [0] * depth
        for f in self.files:
            for k, n in enumerate(f.value_counts.get(name, (0,) * depth)):
                totals[k] += n
        return tuple(totals)

    def blocks(self, name: str, *, ahead: int | None = None) -> Iterator[pa.Array]:
        """One column, row group after row group (a copy of any size in bounded memory).

        Up to ``ahead`` row groups (default: one per core) are decoded in threads while the
        caller uses the previous one: decoding, not reading, is what takes time, and pyarrow
        releases the GIL while it decodes.
        """
        tasks = [
            (i, group)
            for i, entry in enumerate(self.files)
            for group in range(len(entry.row_groups) if entry.num_rows else 0)
        ]
        footers = {i: self._footer(i) for i in {i for i, _ in tasks}}  # checked here, once
        columns = {i: self._leaf_indices(i).get(name) for i in footers}
        if any(c is None for c in columns.values()):
            bad = next(i for i, c in columns.items() if c is None)
            msg = f"{self._where_is(bad)} has no column {name!r}"
            raise CorruptStoreError(msg)
        # a reader per thread, of the file its last task read (readers are not shared): the
        # tasks go in file order, so a thread moving on to the next file closes the last
        # one, and no more files are open than threads, however many the table has
        local = threading.local()
        opened: list[list[Any]] = []  # each thread's [file, source, reader]

        def decode(task: tuple[int, int]) -> pa.Array:
            i, group = task
            mine = getattr(local, "current", None)
            if mine is None:
                mine = local.current = [None, None, None]
                opened.append(mine)
            if mine[0] != i:
                if mine[1] is not None:
                    mine[1].close()
                    mine[:] = [None, None, None]
                try:
                    source, reader = open_reader(
                        self.store,
                        self.files[i],
                        footers[i],
                        size=self._sizes.get(i),
                        where=self._where_is(i),
                    )
                except FileNotFoundError:
                    raise self._missing(i) from None
                mine[:] = [i, source, reader]
            try:
                table = mine[2].read_row_group(group, column_indices=columns[i], use_threads=False)
            except (pa.ArrowInvalid, OSError) as exc:
                msg = (
                    f"cannot read row group {group} of column {name!r} of table {self.name!r} "
                    f"from data file {self.files[i].path!r} in store {self.store.url} ({exc})"
                )
                raise CorruptStoreError(msg) from None
            return table.column(0).combine_chunks()

        depth = max(1, ahead if ahead is not None else _CORES)
        try:
            with ThreadPoolExecutor(max_workers=depth) as pool:
                pending: collections.deque[Any] = collections.deque()
                for task in tasks:
                    pending.append(pool.submit(decode, task))
                    if len(pending) > depth:
                        yield pending.popleft().result()
                while pending:
                    yield pending.popleft().result()
        finally:
            for _, source, _ in opened:
                if source is not None:
                    source.close()

    def column(self, name: str) -> pa.Array:
        """One whole column, all files, as one array (not cached: the caller keeps it)."""
        with self._lock:
            arr = self._whole.pop(name, None)
            self._served.add(name)
        return self._read_whole([name])[name] if arr is None else arr

    def prefetch(self, names: Sequence[str]) -> None:
        """Read whole columns in one pass per file (columns decoded in parallel); the next
        ``column(name)`` of each returns it without reading again.

        A column ``column`` has handed out already is not read (its caller keeps it), nor
        kept when another thread took it while this one read it: two threads reading a
        table whole at once must not leave a copy of a column held here for ever."""
        with self._lock:
            wanted = [n for n in names if n not in self._whole and n not in self._served]
        if wanted:
            got = self._read_whole(wanted)
            with self._lock:
                self._whole.update((n, a) for n, a in got.items() if n not in self._served)

    def _read_whole(self, names: Sequence[str]) -> dict[str, pa.Array]:
        def one(i: int, *, split: bool = True) -> pa.Table:
            try:
                return self._read(i, names, split=split)
            except CorruptStoreError:
                raise
            except (pa.ArrowInvalid, OSError) as exc:
                msg = (
                    f"cannot read columns {list(names)} of table {self.name!r} from data file "
                    f"{self.files[i].path!r} ({exc})"
                )
                raise CorruptStoreError(msg) from None

        # one file: its row groups are shared out among the cores (_read); several files:
        # one thread per core, a file each (a reader in use is never closed, OpenFiles.using),
        # which keeps both cores busy however few columns are read (pyarrow's own threads
        # decode a file's columns in parallel, not its row groups); small files are read
        # here, one after another: threads cost more than they save (3 one-row files: open +
        # a column 4.3 -> 3.4 ms)
        small = sum(f.num_bytes for f in self.files) < _PARALLEL_READ_BYTES
        if len(self.files) < 2 or _CORES < 2 or small:
            tables = [one(i) for i in range(len(self.files))]
        else:
            with ThreadPoolExecutor(max_workers=min(_CORES, len(self.files))) as pool:
                tables = list(pool.map(lambda i: one(i, split=False), range(len(self.files))))
        if len(tables) == 1:  # one file (the common case): no list per column
            columns = dict(zip(tables[0].column_names, tables[0].columns, strict=True))
            return {
                n: c.chunk(0) if c.num_chunks == 1 else self._concat(c.chunks, n)
                for n, c in ((n, columns[n]) for n in names)
            }
        return {n: self._concat([c for t in tables for c in t.column(n).chunks], n) for n in names}

    def rows(self, names: Sequence[str], rows: slice | np.ndarray) -> list[pa.Array]:
        """``names`` at ``rows`` (a step-1 slice or positions), reading only the groups needed."""
        if isinstance(rows, slice):
            lo, hi = rows.start, rows.stop
            if hi <= lo:
                return [self._empty(n) for n in names]
            first = int(np.searchsorted(self._starts, lo, side="right")) - 1
            last = int(np.searchsorted(self._starts, hi - 1, side="right")) - 1
            groups = range(first, last + 1)
            offset = lo - int(self._starts[first])
            got = self._groups(groups, names)
            return [
                self._concat([got[k, n] for k in groups], n).slice(offset, hi - lo) for n in names
            ]
        positions = np.asarray(rows, dtype=np.int64)
        if positions.size == 0:
            return [self._empty(n) for n in names]
        group_of = np.searchsorted(self._starts, positions, side="right") - 1
        needed = np.unique(group_of)
        base = np.searchsorted(needed, group_of)
        # position inside the concatenation of the needed groups
        sizes = self._starts[needed + 1] - self._starts[needed]
        before = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        local = positions - self._starts[group_of] + before[base]
        idx = pa.array(local)
        wanted = [int(k) for k in needed]
        got = self._groups(wanted, names)
        return [self._concat([got[k, n] for k in wanted], n).take(idx) for n in names]

    def _concat(self, parts: list[pa.Array], name: str) -> pa.Array:
        if not parts:
            return self._empty(name)
        return parts[0] if len(parts) == 1 else pa.concat_arrays(parts)

    def _empty(self, name: str) -> pa.Array:
        if not self.files:
            msg = f"table {self.name!r} has no data files to read column {name!r} from"
            raise CorruptStoreError(msg)
        return pa.array([], type=self._file_schema(0).field(name).type)

    def _groups(
        self, groups: Sequence[int], names: Sequence[str]
    ) -> dict[tuple[int, str], pa.Array]:
        """Columns ``names`` of row groups ``groups`` (counting over all files), cached: the
        columns not cached yet are read in one call per row group, on this thread (a read of
        one row group is too small for pyarrow's thread pool to pay: measured 1.4x slower
        on a loaded 2-core machine, and per-column calls cost 1.5x one call)."""
        out: dict[tuple[int, str], pa.Array] = {}
        cache = self._cache
        for k in groups:
            i, g = int(self._file_of[k]), int(self._group_in_file[k])
            missing = []
            with self._lock:  # threads share the cache: a hit may be evicted meanwhile
                for name in names:
                    hit = cache.get((i, g, name))
                    if hit is None:
                        missing.append(name)
                    else:
                        cache.move_to_end((i, g, name))
                        out[k, name] = hit
            if not missing:
                continue
            try:
                table = self._read(i, missing, g)
            except CorruptStoreError:
                raise
            except (pa.ArrowInvalid, OSError) as exc:
                msg = (
                    f"cannot read column {', '.join(map(repr, missing))} of table "
                    f"{self.name!r} from data file {self.files[i].path!r} ({exc})"
                )
                raise CorruptStoreError(msg) from None
            for name in missing:
                col = table.column(name)
                arr = col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
                self._remember((i, g, name), arr)
                out[k, name] = arr
        return out

    def _remember(self, key: tuple[int, int, str], arr: pa.Array) -> None:
        size = arr.nbytes
        if size > self._cache_bytes:
            return
        with self._lock:
            old = self._cache.pop(key, None)  # another thread read the same group meanwhile
            if old is not None:
                self._cached -= old.nbytes
            self._cache[key] = arr
            self._cached += size
            while self._cached > self._cache_bytes:
                _, old = self._cache.popitem(last=False)
                self._cached -= old.nbytes

    def to_dask(
        self, names: Sequence[str], elements: dict[str, pa.Array], *, blocksize: int | None
    ) -> Any:
        """A ``dask.dataframe.DataFrame`` over the files (``hdmf_arrow.io._engines``)."""
        from hdmf_arrow.io._engines import to_dask

        return to_dask(self, names, elements, blocksize=blocksize)


def _read_groups(
    reader: ParquetReader, indices: list[int], groups: range, *, whole: bool = False
) -> pa.Table:
    """Leaves ``indices`` of row groups ``groups`` (every one, if ``whole``)."""
    try:
        if whole:
            return reader.read_all(column_indices=indices, use_threads=True)
        return reader.read_row_groups(groups, column_indices=indices, use_threads=True)
    except pa.ArrowNotImplementedError:
        # pyarrow cannot return a nested dictionary column (a ragged enum) of several row
        # groups in one piece ("Nested data conversions not implemented for chunked array
        # outputs"): read it group by group
        return pa.concat_tables(
            [reader.read_row_group(g, column_indices=indices, use_threads=True) for g in groups]
        )


SPLIT_MIN_VALUES = 2**20  # a whole-file read of fewer values is not worth a thread per core
SPLIT_MAX_COLUMNS = 512  # opening a reader of a wider file costs more than the split saves


def _split_worthy(footer: pq.FileMetaData, leaves: int) -> bool:
    """Whether a read of ``leaves`` leaf columns of every row group is shared out among
    threads (see ``TableFiles._read``): several row groups, a few columns (many are decoded
    in parallel already) of a file of not too many (each thread opens a reader, whose cost
    grows with the file's columns), and enough values to repay the threads."""
    cores = _CORES
    return (
        cores > 1
        and footer.num_row_groups >= 2 * cores
        and leaves <= 64
        and footer.num_columns <= SPLIT_MAX_COLUMNS
        and footer.num_rows * leaves >= SPLIT_MIN_VALUES
    )


def _short(groups: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in groups[:5])
    return f"[{shown}{', ...' if len(groups) > 5 else ''}]"


def _schema_difference(expected: pa.Schema, found: pa.Schema) -> str:
    """How ``found`` (a file's schema) differs from ``expected`` (the manifest's): names and
    types only ('' if they agree)."""
    if expected.equals(found, check_metadata=False):  # the common case, without a loop
        return ""
    want = {f.name: f.type for f in expected}
    have = {f.name: f.type for f in found}
    missing = [n for n in want if n not in have]
    if missing:
        return f"column(s) {missing[:5]} of the manifest's schema are missing from the file"
    for name, arrow_type in want.items():
        if have[name] != arrow_type:
            return f"column {name!r} is {have[name]} in the file, {arrow_type} in the manifest"
    extra = [n for n in have if n not in want]
    if extra:
        return f"the file has column(s) {extra[:5]} that the manifest's schema lacks"
    return ""


def _foreign(entry: FileEntry, footer: pq.FileMetaData) -> str:
    """How the ``hdmf`` document in a file's footer shows it to be another object's file
    ('' if it does not): a file of ``data/<object_id>/`` whose document names another
    object id (docs/format.md, 5 and 3.1). The first ``object_id`` of the document is the
    table's as hdmf-arrow writes it, so a file that agrees costs no JSON parse; a file
    without the document, or whose document does not name its object, is not refused."""
    parts = entry.path.split("/")
    if len(parts) != 3 or parts[0] != "data":
        return ""
    raw = (footer.metadata or {}).get(b"hdmf")
    if raw is None:
        return ""
    owner = parts[1]
    first = _OBJECT_ID.search(raw)
    if first is not None and first.group(1) == owner.encode():
        return ""
    try:
        doc = json.loads(raw)
    except ValueError:
        return ""
    found = doc.get("object_id") if isinstance(doc, dict) else None
    if not isinstance(found, str) or found == owner:
        return ""
    return (
        f"its footer describes object {found!r:.80} ({doc.get('data_type')!s:.40} "
        f"{doc.get('name')!r:.80}), not {owner!r}, whose directory holds it: it is another "
        f"object's file. Hint: open an older version, or restore the file."
    )


def _leaf_count(arrow_type: pa.DataType) -> int:
    """How many Parquet leaf columns an Arrow column of this type is written as."""
    if isinstance(arrow_type, pa.StructType):
        return sum(_leaf_count(f.type) for f in arrow_type)
    if isinstance(arrow_type, pa.MapType):
        return _leaf_count(arrow_type.key_type) + _leaf_count(arrow_type.item_type)
    if isinstance(arrow_type, pa.ListType | pa.LargeListType | pa.FixedSizeListType):
        return _leaf_count(arrow_type.value_type)
    return 1
