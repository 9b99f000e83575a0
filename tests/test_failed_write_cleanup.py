"""A write that fails before its commit leaves no data file behind (nothing refers to them),
and a new store's folder that it made is removed; the previous version stays readable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.io import ParquetOptions, _parquet

# files of about 64 KiB, written two at a time: the write's thread pool writes most of them
SMALL_FILES = ParquetOptions(max_file_bytes=2**16, row_group_bytes=2**14, write_threads=2)


def _tree(n: int) -> SimpleMultiContainer:
    tables = []
    for name in ("a", "b"):
        t = DynamicTable(name=name, description="d")
        t.add_column("x", "x", data=np.arange(n, dtype=np.float64))
        tables.append(t)
    return SimpleMultiContainer(name="root", containers=tables)


def _fail_after(monkeypatch: pytest.MonkeyPatch, calls: int) -> list[str]:
    """Make the data file writes after the first ``calls`` fail (a full disk, say)."""
    real = _parquet.write_blocks
    seen: list[str] = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        if len(seen) >= calls:
            msg = "No space left on device (simulated)"
            raise OSError(msg)
        entry = real(*args, **kwargs)
        seen.append(entry.path)
        return entry

    monkeypatch.setattr(_parquet, "write_blocks", flaky)
    return seen


def _data_files(store: Path) -> set[str]:
    return {str(p.relative_to(store)) for p in (store / "data").rglob("*") if p.is_file()}


def test_a_failed_write_to_a_store_leaves_its_files_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "s.hdmf"
    hdmf_arrow.write(_tree(10), store)
    before = _data_files(store)
    seen = _fail_after(monkeypatch, 5)
    with pytest.raises(OSError, match="simulated"):
        hdmf_arrow.write(_tree(40_000), store, mode="overwrite", options=SMALL_FILES)
    assert len(seen) >= 5  # files were written, by the pool, before the failure
    assert _data_files(store) == before
    monkeypatch.undo()
    back = hdmf_arrow.read(store)
    assert back["a"]["x"].data.tolist() == list(range(10))
    assert hdmf_arrow.read(store, version=1)["b"]["x"].data.tolist() == list(range(10))


def test_a_failed_first_write_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_after(monkeypatch, 3)
    with pytest.raises(OSError, match="simulated"):
        hdmf_arrow.write(_tree(40_000), tmp_path / "new.hdmf", options=SMALL_FILES)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_first_write_keeps_a_folder_it_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "given"
    folder.mkdir()
    _fail_after(monkeypatch, 1)
    with pytest.raises(OSError, match="simulated"):
        hdmf_arrow.write(_tree(40_000), folder, options=SMALL_FILES)
    assert folder.is_dir()
    assert list(folder.rglob("*.parquet")) == []


def test_a_failed_write_to_memory_leaves_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import fsspec

    url = "memory://failed-write/s.hdmf"
    hdmf_arrow.write(_tree(10), url)
    fs = fsspec.filesystem("memory")
    before = set(fs.find("/failed-write/s.hdmf/data"))
    _fail_after(monkeypatch, 2)
    with pytest.raises(OSError, match="simulated"):
        hdmf_arrow.write(_tree(40_000), url, mode="overwrite", options=SMALL_FILES)
    assert set(fs.find("/failed-write/s.hdmf/data")) == before
