"""A stored table for scale-out engines: a Dask DataFrame over the table's Parquet files.

``to_dask`` plans the partitions from the manifest alone (files and their row groups, with
their sizes), checks every file's footer against the manifest (docs/format.md, 6.2) before it
returns, and leaves the reading to Dask: each partition reads only the table's own columns
(the manifest schema's: never a file's other columns, such as its row-position column) of
one file, whole or a run of its row groups, and turns them into pandas exactly as
``DynamicTable.to_dataframe(index=True)`` does (``hdmf_arrow.common._frame``). Enum columns
are mapped onto the table's elements, since a Parquet dictionary holds only the values its
column chunk uses, in its own order (docs/format.md, 6.1).

Spark needs none of this: ``spark.read.parquet(*hdmf_arrow.data_files(store, "units"))``
(docs/format.md, section 7).
"""

from __future__ import annotations

import operator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.arrow import ragged
from hdmf_arrow.common._enum import split_cells
from hdmf_arrow.common._frame import NULLABLE, to_pandas
from hdmf_arrow.errors import CorruptStoreError, InvalidArgumentError, InvalidArgumentTypeError
from hdmf_arrow.io._parquet import open_reader

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import dask.dataframe as dd
    import pandas as pd
    import pyarrow.parquet as pq

    from hdmf_arrow.io._parquet import FileEntry, TableFiles
    from hdmf_arrow.storage import Store

DEFAULT_BLOCKSIZE = 128 * 2**20  # bytes of Parquet (as stored) per partition, at most
_FOOTER_THREADS = 8  # footers read at once (one request each on an object store)


@dataclass(frozen=True, slots=True)
class Part:
    """One partition: file ``file`` of the table (its index in the manifest's ``files``),
    whole (``groups`` None) or the row groups ``groups`` of it."""

    file: int
    groups: tuple[int, ...] | None


def plan(files: Sequence[FileEntry], blocksize: int | None) -> list[Part]:
    """The partitions of a table's files: runs of consecutive row groups of one file, each
    of at most ``blocksize`` bytes as stored (at least one group), a file whole when it fits;
    ``None``: one partition per file. Files without rows get none. A group's size is
    estimated from the manifest (the file's bytes shared out by rows), so no footer is read.

    >>> from hdmf_arrow.io._parquet import FileEntry
    >>> big = FileEntry("data/x/a.parquet", 300, 3000, (100, 100, 100), {}, {})
    >>> small = FileEntry("data/x/b.parquet", 10, 500, (10,), {}, {})
    >>> empty = FileEntry("data/x/c.parquet", 0, 400, (0,), {}, {})
    >>> plan([big, small, empty], blocksize=2000)
    [Part(file=0, groups=(0, 1)), Part(file=0, groups=(2,)), Part(file=1, groups=None)]
    >>> plan([big, small, empty], blocksize=None)
    [Part(file=0, groups=None), Part(file=1, groups=None)]
    """
    parts: list[Part] = []
    for i, entry in enumerate(files):
        if entry.num_rows == 0:
            continue
        if blocksize is None or entry.num_bytes <= blocksize:
            parts.append(Part(i, None))
            continue
        run: list[int] = []
        size = 0.0
        for g, rows in enumerate(entry.row_groups):
            estimate = entry.num_bytes * rows / entry.num_rows
            if run and size + estimate > blocksize:
                parts.append(Part(i, tuple(run)))
                run, size = [], 0.0
            run.append(g)
            size += estimate
        parts.append(Part(i, tuple(run)))
    return parts


def with_elements(arr: pa.Array, elements: pa.Array, *, where: str) -> pa.Array:
    """An enum column (``dictionary``, or ragged: ``list<...<dictionary>>``) as read from a
    file, with the table's ``elements`` as its dictionary, in order, used or not.

    >>> stored = pa.array(["b", "b", None]).dictionary_encode()  # dictionary ["b"]
    >>> out = with_elements(stored, pa.array(["a", "b", "c"]), where="column 'q'")
    >>> out.dictionary.to_pylist(), out.indices.to_pylist()
    (['a', 'b', 'c'], [1, 1, None])
    """
    values, levels = ragged.split(arr, ragged.list_depth(arr.type))
    values, rewrap = split_cells(values)  # an N-D enum's rows: fixed-size lists
    is_dict = pa.types.is_dictionary(values.type)
    stored = values.dictionary if is_dict else values
    mapped = pc.index_in(stored, value_set=elements)
    if mapped.null_count > stored.null_count:
        unknown = pc.filter(stored, pc.and_(mapped.is_null(), stored.is_valid())).to_pylist()
        msg = (
            f"enum {where}: stored values {unknown[:5]} are not among its elements "
            f"{elements.to_pylist()[:10]}. Hint: `hdmf-arrow validate` the store, and write "
            f"the table again from a good version."
        )
        raise CorruptStoreError(msg)
    codes = pc.take(mapped, values.indices) if is_dict else mapped
    index_type = values.type.index_type if is_dict else pa.int32()
    decoded = rewrap(pa.DictionaryArray.from_arrays(codes.cast(index_type), elements))
    return ragged.join(decoded, levels) if levels else decoded


def frame(
    table: pa.Table, *, elements: Mapping[str, pa.Array], nullable: set[str], where: str
) -> pd.DataFrame:
    """Stored rows (the id column first) -> the DataFrame ``to_dataframe(index=True)`` gives
    for them; ``nullable`` names the integer/bool columns with nulls anywhere in the table."""
    arrays = []
    for name, column in zip(table.column_names, table.columns, strict=True):
        if name in elements:  # chunk by chunk: each row group has a dictionary of its own
            what = f"{name!r} of {where}"
            chunks = column.chunks or [pa.array([], column.type)]
            decoded = [with_elements(c, elements[name], where=what) for c in chunks]
            arrays.append(pa.chunked_array(decoded))
        else:
            arrays.append(column)
    rows = pa.Table.from_arrays(arrays, names=table.column_names)
    out: pd.DataFrame = to_pandas(rows, regions={}, nullable=nullable, index=True, seen=frozenset())
    return out


class ReadPart:
    """Reads one partition (a :class:`Part`) into pandas: a Dask ``from_map`` function, with
    the ``columns=`` keyword through which Dask projects columns (the ids are always read:
    they are the index). Holds what a worker needs and nothing that cannot be pickled: the
    store, the files' entries, their checked footers and the decoding of the columns."""

    def __init__(
        self,
        files: TableFiles,
        names: Sequence[str],
        elements: Mapping[str, pa.Array],
        footers: Mapping[int, pq.FileMetaData],
    ) -> None:
        self.store: Store = files.store
        self.table = files.name
        self.entries = list(files.files)
        self.footers = dict(footers)  # checked already, for the files that have rows
        self.names = list(names)  # the id column first
        self.elements = {n: e for n, e in elements.items() if n in self.names}
        self.leaves = {i: files._leaf_indices(i) for i in self.footers}
        self.nullable = {
            n
            for n in self.names[1:]
            if files.schema is not None and files.schema.field(n).type in NULLABLE
            and files.has_nulls(n)
        }  # fmt: skip
        self.schema = pa.schema([self._field(files, n) for n in self.names])

    @staticmethod
    def _field(files: TableFiles, name: str) -> pa.Field:
        schema = files.schema if files.schema is not None else files._file_schema(0)
        return schema.field(name)

    def __dask_tokenize__(self) -> object:
        """Files are immutable (docs/format.md, 5): the store, the files and the columns name
        the data."""
        return (
            type(self).__name__,
            self.store.url,
            tuple(e.path for e in self.entries),
            tuple(self.names),
            tuple((n, tuple(e.to_pylist())) for n, e in sorted(self.elements.items())),
        )

    def selected(self, columns: Sequence[str] | None) -> list[str]:
        """The id column, then ``columns`` in the order Dask asks for them (all: None)."""
        if columns is None:
            return self.names
        known = set(self.names[1:])
        return [self.names[0], *dict.fromkeys(n for n in columns if n in known)]

    def meta(self) -> pd.DataFrame:
        """The empty DataFrame of the table's columns and types (Dask's ``meta``)."""
        return self.convert(self.schema.empty_table(), where=f"table {self.table!r}")

    def convert(self, rows: pa.Table, *, where: str) -> pd.DataFrame:
        return frame(rows, elements=self.elements, nullable=self.nullable, where=where)

    def read(self, part: Part, columns: Sequence[str] | None = None) -> pa.Table:
        """The stored rows of ``part``: the id column and the selected columns, only."""
        i = part.file
        names = self.selected(columns)
        indices = [k for n in names for k in self.leaves[i][n]]
        groups = range(len(self.entries[i].row_groups)) if part.groups is None else part.groups
        try:
            source, reader = open_reader(self.store, self.entries[i], self.footers[i])
        except FileNotFoundError:  # vacuumed since to_dask(), or deleted by hand
            msg = (
                f"data file {self.entries[i].path!r} of table {self.table!r} is missing from "
                f"store {self.store.url}. Hint: open an older version, or restore the file."
            )
            raise CorruptStoreError(msg) from None
        try:  # group by group: pyarrow reads no ragged enum over groups at once
            table = pa.concat_tables(
                reader.read_row_group(g, column_indices=indices, use_threads=True) for g in groups
            )
        except (pa.ArrowInvalid, OSError) as exc:
            msg = (
                f"cannot read columns {names[:5]} of table {self.table!r} from data file "
                f"{self.entries[i].path!r} in store {self.store.url} ({exc})"
            )
            raise CorruptStoreError(msg) from None
        finally:
            source.close()
        return table

    def __call__(self, part: Part, columns: Sequence[str] | None = None) -> pd.DataFrame:
        where = f"table {self.table!r}, data file {self.entries[part.file].path!r}"
        return self.convert(self.read(part, columns), where=where)


def to_dask(
    files: TableFiles,
    names: Sequence[str],
    elements: Mapping[str, pa.Array],
    *,
    blocksize: int | None = DEFAULT_BLOCKSIZE,
) -> dd.DataFrame:
    """A Dask DataFrame over the files of a stored table (see ``DynamicTable.to_dask``).

    ``names`` are the id column and the columns, ``elements`` the elements of each enum
    column. Every footer is read and checked first. A memory:// store, which no other
    process can reach, is read here and handed to Dask as one pandas partition.
    """
    import dask
    import dask.dataframe as dd

    size = _check_blocksize(blocksize, where=f"table {files.name!r} of store {files.store.url}")
    parts = plan(files.files, size)
    used = sorted({p.file for p in parts})
    with ThreadPoolExecutor(max_workers=max(1, min(_FOOTER_THREADS, len(used)))) as pool:
        footers = dict(zip(used, pool.map(files._footer, used), strict=True))
    read = ReadPart(files, names, elements, footers)
    # dask would turn object columns into text (dataframe.convert-string); ours hold arrays
    with dask.config.set({"dataframe.convert-string": False}):
        if files.store.url.startswith("memory://") or not parts:
            tables = [read.read(p) for p in parts]
            rows = pa.concat_tables(tables) if tables else read.schema.empty_table()
            whole = read.convert(rows, where=f"table {files.name!r}")
            out: dd.DataFrame = dd.from_pandas(whole, npartitions=1, sort=False)  # type: ignore[no-untyped-call]
        else:
            out = dd.from_map(read, parts, meta=read.meta(), label="read-hdmf-table")  # type: ignore[no-untyped-call]
    return out


def _check_blocksize(blocksize: object, *, where: str) -> int | None:
    """``blocksize`` as an int, or None; refused when it is not None or an integer of bytes
    >= 1 (a bool, a float, a text such as '128MB', 0 or less), naming the table.

    >>> _check_blocksize(0, where="table 't'")
    Traceback (most recent call last):
    hdmf_arrow.errors.InvalidArgumentError: to_dask of table 't': blocksize must be ...
    """
    if blocksize is None:
        return None
    try:  # an int or a numpy integer; not a bool, a float or a text
        if isinstance(blocksize, bool | np.bool_):
            raise TypeError
        size = operator.index(blocksize)  # type: ignore[arg-type]
    except TypeError:
        msg = (
            f"to_dask of {where}: blocksize must be an int of bytes or None (per file), "
            f"found {type(blocksize).__name__} {blocksize!r:.40}"
        )
        raise InvalidArgumentTypeError(msg) from None
    if size < 1:
        msg = f"to_dask of {where}: blocksize must be a number of bytes >= 1, found {blocksize}"
        raise InvalidArgumentError(msg)
    return size
