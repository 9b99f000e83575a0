"""What users of Arrow engines expect: the PyCapsule protocol on tables and columns, column
selection, ``to_pandas``, reprs that fit a screen and HTML views."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import ColumnNotFoundError


def _units(n: int = 6) -> DynamicTable:
    rng = np.random.default_rng(0)
    t = DynamicTable(name="units", description="sorted units")
    t.add_column("depth", "depth", data=rng.random(n))
    t.add_column("quality", "quality", data=[f"q{i % 3}" for i in range(n)])
    t.add_column(
        "spike_times", "spikes", data=[list(rng.random(200)) for _ in range(n)], index=True
    )
    return t


@pytest.fixture(params=["memory", "store"])
def units(request: pytest.FixtureRequest, tmp_path: Path) -> DynamicTable:
    t = _units()
    if request.param == "memory":
        return t
    hdmf_arrow.write(SimpleMultiContainer("session", [t]), tmp_path / "s.hdmf")
    return hdmf_arrow.read(tmp_path / "s.hdmf")["units"]


def test_engines_read_a_table_through_the_stream_protocol(units: DynamicTable) -> None:
    expected = units.to_arrow()
    assert pa.table(units).equals(expected)
    assert pl.DataFrame(units).equals(pl.from_arrow(expected))
    counted = duckdb.sql("SELECT count(*), sum(len(spike_times)) FROM units").fetchall()
    assert counted == [(6, 6 * 200)]
    joined = duckdb.sql("SELECT quality, count(*) AS n FROM units GROUP BY quality ORDER BY 1")
    assert joined.fetchall() == [("q0", 2), ("q1", 2), ("q2", 2)]


def test_columns_are_arrow_arrays_to_engines(units: DynamicTable) -> None:
    depth = units["depth"]
    assert pa.array(depth).equals(depth.to_arrow())
    assert pl.Series(depth).to_list() == depth.data.tolist()
    assert pa.chunked_array(units["spike_times"]).type == pa.list_(pa.float64())


def test_columns_select_in_to_arrow_and_to_dataframe(units: DynamicTable) -> None:
    assert units.to_arrow(columns=["quality", "depth"]).column_names == ["id", "quality", "depth"]
    df = units.to_pandas(columns=["quality"], index=True)
    pd.testing.assert_frame_equal(df, units.to_dataframe(index=True)[["quality"]])
    with pytest.raises(ColumnNotFoundError, match=r"DynamicTable 'units' has no column 'nope'"):
        units.to_dataframe(columns=["nope"])


def test_a_selected_arrow_table_restores_with_only_its_columns(units: DynamicTable) -> None:
    back = DynamicTable.from_arrow(units.to_arrow(columns=["spike_times"]))
    assert back.colnames == ("spike_times",)
    assert back["spike_times"][2] == units["spike_times"][2]


def test_reprs_fit_a_screen_and_html_shows_the_table() -> None:
    t = _units(20)
    for i in range(30):
        t.add_column(f"extra{i}", "more", data=np.arange(20))
    text = repr(t)
    assert max(len(line) for line in text.splitlines()) <= 100
    assert len(text.splitlines()) < 20
    assert "... and 15 more row(s)" in text
    assert "(21 more)" in text  # column types listed: the first 12 of 33
    page = t._repr_html_()
    assert page.startswith("<b>DynamicTable &#x27;units&#x27;</b>")
    assert "<table" in page
    assert "spike_times" in page
    assert "VectorData &#x27;depth&#x27;" in t["depth"]._repr_html_()
    assert "<li>units: DynamicTable</li>" in SimpleMultiContainer("s", [t])._repr_html_()


def test_commits_and_vacuum_are_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import datetime as dt
    import logging

    from hdmf_arrow import ParquetIO

    with caplog.at_level(logging.INFO, logger="hdmf_arrow"):
        hdmf_arrow.write(_units(), tmp_path / "s.hdmf")
        with ParquetIO(tmp_path / "s.hdmf", mode="a") as io:
            io.vacuum(older_than=dt.timedelta(0), dry_run=True)
    messages = [r.getMessage() for r in caplog.records if r.name == "hdmf_arrow"]
    assert any(m.startswith("committed version 1 of ") and "1 table(s)" in m for m in messages)
    assert any("vacuum of " in m and "dry run" in m for m in messages)


def test_import_loads_neither_pandas_nor_polars() -> None:
    import subprocess
    import sys

    heavy = "('pandas', 'polars', 'h5py')"
    code = f"import sys, hdmf_arrow; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_parquetio_has_an_html_view(tmp_path: Path) -> None:
    from hdmf_arrow import ParquetIO

    hdmf_arrow.write(_units(), tmp_path / "s.hdmf")
    with ParquetIO(tmp_path / "s.hdmf") as io:
        page = io._repr_html_()
    assert page.startswith("<b>ParquetIO</b> (mode 'r')<pre>store ")
    assert "units" in page
