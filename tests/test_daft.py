"""Daft reads a stored table with no code of ours: ``daft.read_parquet(data_files(...))``.

What Daft gives, checked cell by cell against ``to_dataframe(index=True)``: ragged columns are
lists, N-D columns (BYTE_STREAM_SPLIT-encoded) fixed-size lists, enum columns their values as
strings (Daft reads the Parquet dictionary as a string column), region columns their row
positions, nulls None. Daft does not promise the files' row order: sort by the row column
(``_row``) to get the table's order, and join a region column to its target's ``_row``.

Daft pins pyarrow < 26, so it is not in the test extra (it would downgrade pyarrow for every
test): ``make test-daft`` runs this file in a venv of its own. Without daft it is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from _engine_session import plain, write_session

import hdmf_arrow

if TYPE_CHECKING:
    from pathlib import Path

daft = pytest.importorskip("daft")


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_session(tmp_path_factory.mktemp("daft") / "session.hdmf")


def test_daft_reads_the_data_files_as_to_dataframe_gives_them(location: Path) -> None:
    files = hdmf_arrow.data_files(location, "units")
    assert len(files) == 2
    units = hdmf_arrow.read(location)["units"]
    expected = units.to_dataframe(index=True)
    got = daft.read_parquet(files).sort("_row").to_pydict()
    assert got["_row"] == list(range(len(units)))
    assert got["id"] == expected.index.tolist()
    for name in units.colnames:
        cells = zip(got[name], expected[name], strict=True)
        for row, (cell, want) in enumerate(cells):
            assert cell == plain(want), f"column {name!r}, row {row}: {cell!r} != {want!r}"


def test_daft_types_ragged_nd_enum_and_region_columns(location: Path) -> None:
    schema = daft.read_parquet(hdmf_arrow.data_files(location, "units")).schema()
    types = {field.name: str(field.dtype) for field in schema}
    assert types["spikes"] == "List[Float64]"
    assert types["wave"] == "List[List[Int16; 2]; 3]"
    assert types["shape"] == "List[Float32; 2]"
    assert types["quality"] == "String"
    assert (types["site"], types["sites"]) == ("Int64", "List[Int64]")


def test_daft_follows_a_region_column_through_the_row_column(location: Path) -> None:
    units = daft.read_parquet(hdmf_arrow.data_files(location, "units"))
    electrodes = daft.read_parquet(hdmf_arrow.data_files(location, "electrodes"))
    joined = (
        units.join(electrodes.select(daft.col("_row").alias("site"), "x"), on="site")
        .sort("id")
        .select("id", "x")
        .to_pydict()
    )
    table = hdmf_arrow.read(location)["units"]
    frame = table.to_dataframe()  # hdmf's shape: each region cell a DataFrame of its rows
    assert joined["id"] == frame.index.tolist()
    assert joined["x"] == [cell["x"].iloc[0] for cell in frame["site"]]
