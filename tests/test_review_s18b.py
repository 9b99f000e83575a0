"""Review of the Parquet read and write paths of sessions 17-18 (multi-file writes, shared
readers, parallel whole-column reads, point reads): each test is a problem found, failing
before its fix."""

from __future__ import annotations

import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import hdmf_arrow
import hdmf_arrow.io._parquet as parquet
from hdmf_arrow import ParquetOptions
from hdmf_arrow.common import DynamicTable
from hdmf_arrow.errors import CorruptStoreError

# small files of small row groups: a few thousand rows become many files
SMALL = ParquetOptions(
    max_file_bytes=2**13, row_group_bytes=2**11, min_row_group_rows=1, write_threads=2
)


def _table(n: int = 5000, mult: int = 1) -> DynamicTable:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "ints", data=np.arange(n) * mult)
    t.add_column("y", "floats", data=np.arange(n) * 0.5 * mult)
    return t


def _stored(location: Path, t: DynamicTable, options: ParquetOptions = SMALL) -> DynamicTable:
    hdmf_arrow.write(t, location, options=options)
    back = hdmf_arrow.read(location)
    assert len(back._source.files) > 4  # type: ignore[attr-defined]
    return back  # type: ignore[no-any-return]


def _files(t: DynamicTable) -> list[parquet.FileEntry]:
    return t._source.files  # type: ignore[attr-defined, no-any-return]


# -- 1. the row-group cache under threads ------------------------------------------------------


def test_point_reads_from_many_threads_never_break_the_row_group_cache(tmp_path: Path) -> None:
    """Before: the LRU cache of decoded row groups was updated without a lock; its byte count
    drifted above what it held, and every later point read of the table raised
    ``KeyError: 'dictionary is empty'`` (the eviction loop popping an empty cache)."""
    back = _stored(tmp_path / "s", _table(20_000))
    src = back._source  # type: ignore[attr-defined]
    files = parquet.TableFiles(
        src.store, src.files, name="t", schema=src.schema, row_column=src.row_column,
        cache_bytes=20_000,
    )  # fmt: skip
    errors: list[BaseException] = []

    def read(seed: int) -> None:
        rng = np.random.default_rng(seed)
        for _ in range(150):
            rows = np.sort(rng.integers(0, 20_000, 3))
            try:
                x, y = files.rows(["x", "y"], rows)
                assert x.to_numpy().tolist() == rows.tolist()
                assert y.to_numpy().tolist() == (rows * 0.5).tolist()
            except BaseException as exc:
                errors.append(exc)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(read, range(8)))
    assert errors == []
    assert files._cached == sum(a.nbytes for a in files._cache.values()) <= 20_000


# -- 2. whole columns prefetched by two threads at once ----------------------------------------


def test_two_threads_reading_a_table_whole_leave_no_column_held(tmp_path: Path) -> None:
    """Before: when two threads read one opened table whole (``to_arrow``) at once, a column
    prefetched by the second after the first had taken it was kept by the table's files
    forever (a second copy of the column, never freed): every time, not now and then."""
    location = tmp_path / "s"
    t = _table(20_000)
    _stored(location, t)
    expected = t.to_arrow()
    for _ in range(10):
        back = hdmf_arrow.read(location)
        barrier = threading.Barrier(3)

        def read(k: int, table: DynamicTable = back, wait: threading.Barrier = barrier) -> object:
            wait.wait()
            return table.to_dataframe() if k == 2 else table.to_arrow()

        with ThreadPoolExecutor(3) as pool:
            got = list(pool.map(read, range(3)))
        assert got[0].equals(expected)  # type: ignore[attr-defined]
        assert got[1].equals(expected)  # type: ignore[attr-defined]
        assert back._source._whole == {}  # type: ignore[attr-defined]


# -- 3. a data file that is not the one the manifest lists -------------------------------------


def test_a_file_replaced_by_another_tables_file_of_the_same_size_is_refused(
    tmp_path: Path,
) -> None:
    """Before: another table's file of the same layout (uncompressed, so the same size, the
    same row groups and row positions) was read as this table's rows: a wrong answer. Its
    footer's ``hdmf`` document names another object than the directory it lies in."""
    plain = ParquetOptions(
        compression="none", max_file_bytes=2**13, row_group_bytes=2**11, min_row_group_rows=1
    )
    a = _stored(tmp_path / "a", _table(5000, 1), plain)
    b = _stored(tmp_path / "b", _table(5000, 3), plain)
    fa, fb = _files(a)[2], _files(b)[2]
    assert fa.num_bytes == fb.num_bytes
    assert fa.row_groups == fb.row_groups
    shutil.copy(tmp_path / "b" / fb.path, tmp_path / "a" / fa.path)
    back = hdmf_arrow.read(tmp_path / "a")
    with pytest.raises(CorruptStoreError, match="table 't'") as info:
        _ = back["x"].data
    assert fa.path in str(info.value)
    assert "object" in str(info.value)


def test_a_file_replaced_after_its_footer_was_read_is_refused(tmp_path: Path) -> None:
    """Before: a file replaced after the table had read (and checked) its footer was read
    with that footer, wherever the new file's pages lie: here an error of the Parquet
    decoder that does not say why ("Deserializing page header failed"); pages that happen
    to lie where the old ones did would be read as the table's. Each reopening now checks
    the file's size against the size its footer was read from."""
    back = _stored(tmp_path / "s", _table())
    _ = back["x"].data  # every footer read and checked; a few files kept open
    src = back._source  # type: ignore[attr-defined]
    src.open_files.close()  # the next read opens the files again
    entry = _files(back)[2]
    path = tmp_path / "s" / entry.path
    old = pq.read_table(path)
    new = old.set_column(2, old.schema.field(2), pa.compute.add(old.column(2), 7.0))
    fresh = path.with_name(f"{path.name}.new")
    pq.write_table(new, fresh, row_group_size=entry.row_groups[0], compression="snappy")
    fresh.replace(path)
    with pytest.raises(
        CorruptStoreError, match=f"{entry.path}.*table 't'.*changed after its footer was read"
    ):
        _ = back["y"].data


def test_a_scan_of_a_local_store_checks_the_footers(tmp_path: Path) -> None:
    """Before: ``scan()`` on local disk handed the files to polars unchecked, so a file
    replaced by another file of the same table gave its rows twice, without an error."""
    back = _stored(tmp_path / "s", _table())
    files = _files(back)
    shutil.copy(tmp_path / "s" / files[3].path, tmp_path / "s" / files[2].path)
    with pytest.raises(CorruptStoreError, match=f"{files[2].path}.*table 't'"):
        back.scan().collect()


def test_a_scan_of_many_local_stores_checks_the_footers(tmp_path: Path) -> None:
    """``hdmf_arrow.scan`` of stores of one schema is one polars scan over every file: on
    local disk it checks the footers first too, as a table's own ``scan()`` does."""
    for name in ("a", "b"):
        _stored(tmp_path / f"{name}.hdmf", _table())
    assert hdmf_arrow.scan(tmp_path / "*.hdmf", "t").collect().height == 10_000
    files = _files(hdmf_arrow.read(tmp_path / "b.hdmf"))
    store = tmp_path / "b.hdmf"
    shutil.copy(store / files[3].path, store / files[2].path)
    with pytest.raises(CorruptStoreError, match=f"{files[2].path}.*table 't'"):
        hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "t")


# -- 4. blocks(): one column row group after row group -----------------------------------------


def test_blocks_of_a_damaged_file_raise_corrupt_store_error(tmp_path: Path) -> None:
    """Before: a data page that does not decode raised pyarrow's raw OSError from
    ``blocks`` (the streaming read of a stored dataset), naming neither file nor table."""
    back = _stored(tmp_path / "s", _table())
    entry = _files(back)[3]
    path = tmp_path / "s" / entry.path
    chunk = pq.read_metadata(path).row_group(0).column(1)  # column 'x' of the first group
    assert chunk.path_in_schema == "x"
    data = bytearray(path.read_bytes())
    start = chunk.data_page_offset
    data[start : start + 64] = bytes(64)  # its first page header
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptStoreError, match=f"table 't'.*{entry.path}"):
        list(back._source.blocks("x"))  # type: ignore[attr-defined]


def test_blocks_keep_a_bounded_number_of_files_open(tmp_path: Path) -> None:
    """Before: ``blocks`` kept every file it had read open until the last block, one
    descriptor per file and thread: 297 open at once for a table of 170 files."""
    back = _stored(tmp_path / "s", _table(20_000))
    src = back._source  # type: ignore[attr-defined]
    assert len(src.files) > 40
    src.problems()  # the footers read first: what is open after is the blocks' doing
    fds = Path(f"/proc/{os.getpid()}/fd")
    if not fds.is_dir():
        pytest.skip("needs /proc")

    def count() -> int:
        return len(list(fds.iterdir()))

    before = count()
    peak = 0
    got = []
    for block in src.blocks("x", ahead=2):
        peak = max(peak, count() - before)
        got.append(block)
    assert pa.concat_arrays(got).to_numpy().tolist() == list(range(20_000))
    assert peak <= 8
    assert count() <= before


# -- 5. writing ------------------------------------------------------------------------------


def test_an_empty_table_is_written_when_every_table_is_measured(tmp_path: Path) -> None:
    """Before: ``ParquetOptions(measure_bytes=0)`` (measure the codecs of every table) made
    writing a table of 0 rows raise IndexError (a sample sliced at row -1)."""
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=np.arange(0))
    hdmf_arrow.write(t, tmp_path / "s", options=ParquetOptions(measure_bytes=0))
    back = hdmf_arrow.read(tmp_path / "s")
    assert len(back) == 0
    assert back.to_arrow().equals(t.to_arrow())


def test_row_groups_of_large_rows_stay_within_max_file_bytes(tmp_path: Path) -> None:
    """Before: ``min_row_group_rows`` (1,024 by default) beat the byte cap, so rows of 4 KiB
    made row groups of 4 MiB, and files of at least one such group, whatever
    ``max_file_bytes`` said (rows of 2 MiB: row groups of 2 GiB, which break pyarrow; a
    point read reads a whole group)."""
    rng = np.random.default_rng(0)
    t = DynamicTable(name="t", description="d")
    t.add_column("w", "4 KiB rows", data=rng.random((2000, 512)))
    options = ParquetOptions(max_file_bytes=2**18)
    hdmf_arrow.write(t, tmp_path / "s", options=options)
    back = hdmf_arrow.read(tmp_path / "s")
    per_row = 512 * 8
    for entry in _files(back):
        assert max(entry.row_groups) * per_row <= options.max_file_bytes
    assert np.array_equal(back["w"].data, t["w"].data)
    assert np.array_equal(back[1234]["w"].iloc[0], t["w"].data[1234])


def test_a_file_rewritten_in_place_at_another_size_is_refused_by_its_manifest_size(
    tmp_path: Path,
) -> None:
    """Before: a data file rewritten in place with the same row groups, types and footer
    document (here its values changed and compressed with another codec) was read as the
    table's rows. Its size is not the size the manifest lists."""
    back = _stored(tmp_path / "s", _table())
    entry = _files(back)[1]
    path = tmp_path / "s" / entry.path
    old = pq.read_table(path)
    new = old.set_column(2, old.schema.field(2), pa.compute.add(old.column(2), 7.0))
    pq.write_table(new, path, row_group_size=entry.row_groups[0], compression="snappy")
    assert path.stat().st_size != entry.num_bytes
    again = hdmf_arrow.read(tmp_path / "s")
    with pytest.raises(
        CorruptStoreError, match=rf"{entry.path}.*does not match the manifest.*bytes"
    ):
        _ = again["y"].data
    issues = "\n".join(map(str, hdmf_arrow.validate(tmp_path / "s")))
    assert entry.path in issues
