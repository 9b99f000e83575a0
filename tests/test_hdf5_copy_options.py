"""Datasets copied from HDF5 follow the store's ParquetOptions: files of about
``max_file_bytes``, encoded by at most ``write_threads`` threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _nwb_files import SERIES_DATA, make_nwb

import hdmf_arrow
from hdmf_arrow import ParquetOptions, import_hdf5
from hdmf_arrow.io import _tree

pytest.importorskip("pynwb")


@pytest.mark.parametrize("threads", [1, 2])
def test_a_copied_dataset_is_split_by_max_file_bytes_on_write_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    seen: list[int] = []

    class Recording(ThreadPoolExecutor):
        def __init__(self, max_workers: int | None = None, **kwargs: Any) -> None:
            seen.append(max_workers or 0)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(_tree, "ThreadPoolExecutor", Recording)
    src = make_nwb(tmp_path / "s.nwb")
    series = np.asarray(SERIES_DATA)
    options = ParquetOptions(max_file_bytes=max(1, series.nbytes // 4), write_threads=threads)
    import_hdf5(src, tmp_path / "store", options=options)
    back = hdmf_arrow.read(tmp_path / "store")["acquisition"]["es"]["data"].data
    np.testing.assert_array_equal(back, series)
    files = list((tmp_path / "store" / "data").glob("*/*.parquet"))
    by_dir: dict[str, int] = {}
    for f in files:
        by_dir[f.parent.name] = by_dir.get(f.parent.name, 0) + 1
    assert max(by_dir.values()) >= 4  # the series, in files of a quarter of its bytes
    assert seen
    assert max(seen) <= threads
