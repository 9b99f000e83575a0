"""A ragged enum column (``list<dictionary>``) stored in many row groups reads whole: pyarrow
cannot read such a column of several row groups in one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow.parquet as pq

import hdmf_arrow
from hdmf_arrow.common import DynamicTable

if TYPE_CHECKING:
    from pathlib import Path


def test_a_ragged_enum_in_many_row_groups_reads_whole(tmp_path: Path) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("q", "q", enum=["a", "b", "c"], index=True)
    t.add_column("x", "x")
    cells = [["a", "b", "c"][: k % 4] for k in range(5000)]
    for k, cell in enumerate(cells):
        t.add_row(q=cell, x=k)
    options = hdmf_arrow.ParquetOptions(row_group_bytes=2**12)
    hdmf_arrow.write(t, tmp_path / "s", options=options)
    (path,) = hdmf_arrow.data_files(tmp_path / "s")
    assert pq.read_metadata(path).num_row_groups > 1
    back = hdmf_arrow.read(tmp_path / "s")
    assert [list(v) for v in back.to_dataframe()["q"]] == cells
    assert back["q"][4999] == cells[4999]
