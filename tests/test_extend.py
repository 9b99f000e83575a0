"""DynamicTable.extend: many rows at once from tables, DataFrames and Arrow, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings

import hdmf_arrow
from hdmf_arrow import ParquetIO
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import CellTypeError, RegionIndexError, TableShapeError
from hdmf_arrow.testing.strategies import dynamic_tables


def _sites() -> DynamicTable:
    e = DynamicTable(name="sites", description="d")
    e.add_column("x", "x", data=[1.0, 2.0, 3.0])
    return e


def _table(sites: DynamicTable) -> DynamicTable:
    t = DynamicTable(name="units", description="d")
    t.add_column("a", "ints", data=[1, 2])
    t.add_column("spikes", "ragged", data=[[0.5], []], index=True)
    t.add_column("kind", "enum", data=["u", "v"], enum=True)
    t.add_column("site", "region", data=[0, 1], table=sites)
    t.add_column("near", "ragged region", data=[[0], [1, 2]], table=sites, index=True)
    return t


ROW = {"a": [3], "spikes": [[1.0, 2.0]], "kind": ["w"], "site": [2], "near": [[2]]}


@pytest.mark.parametrize("kind", ["arrow", "batch", "pandas", "polars"])
def test_extend_takes_arrow_and_dataframes(kind: str) -> None:
    t = _table(_sites())
    rows: object = {
        "arrow": pa.table(ROW),
        "batch": pa.RecordBatch.from_pydict(ROW),
        "pandas": pd.DataFrame(ROW),
        "polars": pl.DataFrame(ROW),
    }[kind]
    t.extend(rows)
    assert len(t) == 3
    assert t.id.data.tolist() == [0, 1, 2]
    assert t["spikes"][2] == [1.0, 2.0]
    assert t["kind"].elements == ("u", "v", "w")
    assert t["kind"][2] == "w"
    assert t.to_dataframe(index=True)["near"].tolist()[2].tolist() == [2]
    assert t["site"].data.tolist() == [0, 1, 2]


def test_extend_takes_a_table_with_its_ids() -> None:
    sites = _sites()
    t, more = _table(sites), _table(sites)
    more.extend(pa.table(ROW))
    t.extend(more)
    assert len(t) == 5
    assert t.id.data.tolist() == [0, 1, 0, 1, 2]
    assert t["kind"][:].tolist() == ["u", "v", "u", "v", "w"]


def test_a_pandas_index_named_id_gives_the_ids() -> None:
    t = _table(_sites())
    t.extend(pd.DataFrame(ROW, index=pd.Index([70], name="id")))
    assert t.id.data.tolist() == [0, 1, 70]


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"a": ["x"]}, CellTypeError, r"DynamicTable 'units', column 'a': cannot append string"),
        ({"site": [9]}, RegionIndexError, r"column 'site': .* out of bounds"),
        ({"spikes": [1.0]}, CellTypeError, r"column 'spikes': expected a list column"),
    ],
)
def test_a_refused_batch_changes_nothing(change: dict, error: type, match: str) -> None:
    t = _table(_sites())
    before = t.to_dataframe(index=True)
    with pytest.raises(error, match=match):
        t.extend(pa.table({**ROW, **change}))
    pd.testing.assert_frame_equal(t.to_dataframe(index=True), before)
    assert t["kind"].elements == ("u", "v")  # the new element of the refused batch is not kept


def test_extend_needs_exactly_the_tables_columns() -> None:
    t = _table(_sites())
    with pytest.raises(TableShapeError, match=r"missing \['near'\], not in the table \['b'\]"):
        t.extend(pa.table({**{k: v for k, v in ROW.items() if k != "near"}, "b": [1]}))
    with pytest.raises(CellTypeError, match="found dict"):
        t.extend(ROW)


def test_extended_rows_are_appended_to_the_store_as_a_new_file(tmp_path: Path) -> None:
    sites = _sites()
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(SimpleMultiContainer("session", [sites, _table(sites)]), location)
    with ParquetIO(location, mode="a") as io:
        root = io.read()
        root["units"].extend(pa.table(ROW))
        io.write(root)
    files = hdmf_arrow.data_files(location, "units")
    assert len(files) == 2  # the first file is untouched
    back = hdmf_arrow.read(location)["units"]
    assert back["spikes"][:] == [[0.5], [], [1.0, 2.0]]
    assert back["near"][2]["x"].tolist() == [3.0]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dynamic_tables())
def test_extending_a_table_by_itself_doubles_it(table: DynamicTable) -> None:
    doubled = table.copy()
    doubled.extend(table)
    expected = pa.concat_tables([table.to_arrow(), table.to_arrow()])
    got = doubled.to_arrow()
    assert got.column_names == expected.column_names
    for name in expected.column_names:  # by repr: NaN equals NaN, None stays None
        assert repr(got.column(name).to_pylist()) == repr(expected.column(name).to_pylist()), name
