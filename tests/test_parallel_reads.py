"""How stored tables are read: whole columns of several files one file per core, readers on
local disk that read column chunks where they lie (no pre-buffering), and the same results
however many threads read one opened table at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pytest
from pyarrow._parquet import ParquetReader
from test_write_layout import units

import hdmf_arrow
import hdmf_arrow.io._parquet as parquet
from hdmf_arrow import ParquetOptions
from hdmf_arrow.common import DynamicTable

if TYPE_CHECKING:
    from pathlib import Path

# small files and row groups: a 40,000-row table becomes several files of several groups
SPLIT = ParquetOptions(max_file_bytes=2**18, row_group_bytes=2**15, write_threads=1)


def table(n: int = 40_000, seed: int = 0) -> DynamicTable:
    return units(n, seed)


def test_whole_columns_of_several_files_are_read_one_file_per_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = table()
    hdmf_arrow.write(t, tmp_path / "s", options=SPLIT)
    monkeypatch.setattr(parquet, "_CORES", 2)
    monkeypatch.setattr(parquet, "_PARALLEL_READ_BYTES", 0)  # these files count as large
    threads = _spy_threads(monkeypatch)
    back = hdmf_arrow.read(tmp_path / "s")
    assert len(back._source.files) > 2  # type: ignore[attr-defined]
    assert np.array_equal(back["rate"].data, t["rate"].data)
    assert len(threads) == 2  # both cores, not the caller's thread alone
    assert back.to_arrow().equals(t.to_arrow())


def _spy_threads(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """The threads that read data files (filled as they read)."""
    threads: set[int] = set()
    read = parquet.TableFiles._read

    def spy(self: parquet.TableFiles, *args: object, **kwargs: object) -> pa.Table:
        threads.add(threading.get_ident())
        return read(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parquet.TableFiles, "_read", spy)
    return threads


def test_small_files_are_read_on_the_callers_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below _PARALLEL_READ_BYTES in all, a table's files are read one after another: a
    thread per file costs more than it saves on small files."""
    t = table()
    hdmf_arrow.write(t, tmp_path / "s", options=SPLIT)
    monkeypatch.setattr(parquet, "_CORES", 2)
    threads = _spy_threads(monkeypatch)
    back = hdmf_arrow.read(tmp_path / "s")
    files = back._source.files  # type: ignore[attr-defined]
    assert len(files) > 2
    assert sum(f.num_bytes for f in files) < parquet._PARALLEL_READ_BYTES
    assert np.array_equal(back["rate"].data, t["rate"].data)
    assert threads == {threading.get_ident()}


@pytest.mark.parametrize(("location", "expected"), [("local", False), ("memory", True)])
def test_only_fsspec_stores_pre_buffer_their_reads(
    location: str,
    expected: bool,
    tmp_path: Path,
    memory_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # on local disk, fetching a read's column chunks first made one column 1.6x slower; on
    # an fsspec filesystem (an object store) it saves requests
    where = str(tmp_path / "s") if location == "local" else memory_url
    t = table(5_000)
    hdmf_arrow.write(t, where, options=SPLIT)
    seen: list[bool] = []
    real_open = ParquetReader.open

    class Spy(ParquetReader):  # type: ignore[misc]
        def open(self, source: object, *args: object, **kwargs: object) -> None:
            seen.append(bool(kwargs.get("pre_buffer", False)))
            real_open(self, source, *args, **kwargs)

    monkeypatch.setattr(parquet, "ParquetReader", Spy)
    back = hdmf_arrow.read(where)
    assert np.array_equal(back["rate"].data, t["rate"].data)
    assert back[1234]["count"].iloc[0] == t.to_arrow()["count"][1234].as_py()
    assert seen
    assert set(seen) == {expected}


def test_one_opened_table_read_by_many_threads_at_once(tmp_path: Path) -> None:
    # the readers of one open are shared (at most a few files open): threads reading whole
    # columns, slices and rows of it at once all get the right values
    t = table(60_000, seed=1)
    hdmf_arrow.write(t, tmp_path / "s", options=SPLIT)
    expected = t.to_arrow()
    back = hdmf_arrow.read(tmp_path / "s")
    assert len(back._source.files) > 8  # type: ignore[attr-defined]  # more than kept open

    def work(k: int) -> bool:
        if k % 3 == 0:
            return back.to_arrow().equals(expected)
        if k % 3 == 1:
            lo = (k * 7919) % 50_000
            got = back[lo : lo + 2_000]
            return bool(got["count"].tolist() == expected["count"][lo : lo + 2_000].to_pylist())
        i = (k * 104_729) % 60_000
        return bool(back[i]["rate"].iloc[0] == expected["rate"][i].as_py())

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(work, range(48)))
