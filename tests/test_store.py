"""The Parquet store: round trips, lazy reads, appends, versions, engines reading the files."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hdmf_arrow
from hdmf_arrow import ParquetIO, ParquetOptions
from hdmf_arrow.common import (
    Data,
    DynamicTable,
    DynamicTableRegion,
    SimpleMultiContainer,
    VectorData,
)
from hdmf_arrow.errors import ReadOnlyStoreError, UnresolvedReferenceError
from hdmf_arrow.io import StoreExistsError
from hdmf_arrow.testing import assert_table_equal
from hdmf_arrow.testing.strategies import dynamic_tables


def memory_location() -> str:
    return f"memory://tests-{uuid.uuid4().hex}/store"


@pytest.fixture(params=["local", "memory"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return str(tmp_path / "store.hdmf") if request.param == "local" else memory_location()


def session(n_units: int = 30) -> SimpleMultiContainer:
    """electrodes + units (ragged, region, enum, nulls), trials in a nested group, a dataset."""
    rng = np.random.default_rng(1)
    electrodes = DynamicTable(name="electrodes", description="recording sites")
    electrodes.add_column("location", "area", data=["CA1", "CA3", "DG", "CA1"])
    electrodes.add_column("x", "x position", data=[0.0, 1.0, 2.0, 3.0], unit="um")
    units = DynamicTable(name="units", description="sorted units")
    units.add_column("spikes", "spike times", index=True, dtype="float")
    units.add_column("electrode", "site", table=electrodes)
    units.add_column("quality", "quality", enum=["good", "mua", "noise", "unused"])
    units.add_column("note", "free text")
    for i in range(n_units):
        units.add_row(
            spikes=np.sort(rng.uniform(0, 10, int(rng.integers(0, 20)))),
            electrode=int(rng.integers(0, 4)),
            quality=["good", "mua", "noise"][i % 3],
            note=None if i % 4 else f"unit {i}",
        )
    trials = DynamicTable(name="trials", description="trials")
    trials.add_column("start", "start", data=np.arange(5.0))
    trials.add_column(
        "sites", "sites used", data=[[0, 1], [2], [], [3, 0], [1]], table=electrodes, index=True
    )
    nested = SimpleMultiContainer("behavior", [trials], attributes={"rig": "A", "n": 3})
    trace = VectorData("trace", "a standalone dataset", np.linspace(0, 1, 7), unit="V")
    return SimpleMultiContainer("session", [electrodes, units, nested, trace])


def tables(root: SimpleMultiContainer) -> dict[str, DynamicTable]:
    out = {}
    for child in root:
        if isinstance(child, DynamicTable):
            out[child.name] = child
        elif isinstance(child, SimpleMultiContainer):
            out.update(tables(child))
    return out


# -- round trips -------------------------------------------------------------------------------


def test_tree_round_trip(location: str) -> None:
    root = session()
    assert hdmf_arrow.write(root, location) == 1
    back = hdmf_arrow.read(location)
    assert isinstance(back, SimpleMultiContainer)
    assert [c.name for c in back] == ["electrodes", "units", "behavior", "trace"]
    assert back.object_id == root.object_id
    for name, table in tables(root).items():
        assert_table_equal(table, tables(back)[name])
    assert back["behavior"].attributes == {"rig": "A", "n": 3}
    trace = back["trace"]
    assert isinstance(trace, VectorData)
    assert trace.unit == "V"
    assert trace.description == "a standalone dataset"
    np.testing.assert_array_equal(trace.data, np.linspace(0, 1, 7))


def test_regions_point_at_the_read_back_tables(location: str) -> None:
    hdmf_arrow.write(session(), location)
    back = hdmf_arrow.read(location)
    electrodes = back["electrodes"]
    assert back["units"]["electrode"].table is electrodes
    trials = back["behavior"]["trials"]
    assert trials["sites"].target.table is electrodes  # across groups
    assert list(trials["sites"][3]["location"]) == ["CA1", "CA1"]


def test_unused_enum_elements_survive(location: str) -> None:
    hdmf_arrow.write(session(), location)
    quality = hdmf_arrow.read(location)["units"]["quality"]
    assert quality.elements == ("good", "mua", "noise", "unused")
    assert list(quality[:3]) == ["good", "mua", "noise"]


@settings(max_examples=25, deadline=None)
@given(dynamic_tables(), st.sampled_from(["memory", "local"]))
def test_any_table_round_trips(table: DynamicTable, backend: str) -> None:
    targets = {
        t.object_id: t
        for n in table.get_foreign_columns()
        if (t := table[n].get_target_data().table)
    }
    root = SimpleMultiContainer("root", [*targets.values(), table])
    if backend == "local":
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            hdmf_arrow.write(root, d)
            assert_table_equal(table, hdmf_arrow.read(d)["table"])
    else:
        location = memory_location()
        hdmf_arrow.write(root, location)
        assert_table_equal(table, hdmf_arrow.read(location)["table"])


def test_a_table_alone_is_a_root(location: str) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[1, 2, 3])
    hdmf_arrow.write(t, location)
    back = hdmf_arrow.read(location)
    assert isinstance(back, DynamicTable)
    assert_table_equal(t, back)


def test_empty_table_round_trips(location: str) -> None:
    t = DynamicTable(name="t", description="nothing yet")
    t.add_column("x", "x", dtype="float")
    hdmf_arrow.write(t, location)
    back = hdmf_arrow.read(location)
    assert len(back) == 0
    assert back.colnames == ("x",)
    back.add_row(x=1.5)
    assert back["x"].data.tolist() == [1.5]


# -- lazy reads --------------------------------------------------------------------------------


def test_open_reads_no_data(location: str) -> None:
    hdmf_arrow.write(session(), location)
    units = hdmf_arrow.read(location)["units"]
    assert len(units) == 30
    assert units.colnames == ("spikes", "electrode", "quality", "note")
    assert not any(units[n]._loaded for n in units.colnames)
    assert not units.id._loaded


def test_row_access_reads_row_groups_not_columns(tmp_path: Path) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=np.arange(100_000))
    t.add_column("r", "r", data=[[i, i + 1] for i in range(100_000)], index=True)
    small = ParquetOptions(row_group_bytes=64 * 1024, min_row_group_rows=1024)
    with ParquetIO(tmp_path / "s", "w", options=small) as io:
        io.write(t)
    back = hdmf_arrow.read(tmp_path / "s")
    files = back._source
    assert files is not None
    groups = len(files.files[0].row_groups)
    assert groups > 10
    row = back[50_000]
    assert row.index.tolist() == [50_000]
    assert row["r"].iloc[0].tolist() == [50_000, 50_001]
    assert not back["x"]._loaded
    assert not back["r"]._loaded
    read_groups = {(i, g) for i, g, _ in files._cache}
    assert len(read_groups) == 1
    frame = back[999:3100]  # may span a group boundary: at most the groups it covers
    assert frame["x"].tolist() == list(range(999, 3100))
    per_group = files.files[0].row_groups[0]
    assert len({(i, g) for i, g, _ in files._cache}) <= 1 + 2 + (3100 - 999) // per_group
    picks = back[[90_000, 10, 90_001]]
    assert picks.index.tolist() == [90_000, 10, 90_001]


def test_a_column_read_is_read_once(location: str) -> None:
    hdmf_arrow.write(session(), location)
    units = hdmf_arrow.read(location)["units"]
    first = units["spikes"].to_arrow()
    assert units["spikes"]._loaded
    assert not units["quality"]._loaded
    again = units["spikes"].to_arrow()  # a new list array over the same buffers: not re-read
    assert again.values.buffers()[1].address == first.values.buffers()[1].address


def test_scan_and_other_engines_see_the_same_rows(tmp_path: Path) -> None:
    location = str(tmp_path / "s.hdmf")
    root = session()
    hdmf_arrow.write(root, location)
    units = hdmf_arrow.read(location)["units"]
    expected = root["units"].to_arrow()
    scanned = units.scan().collect()
    assert scanned["id"].to_list() == expected.column("id").to_pylist()
    assert scanned["spikes"].to_list() == expected.column("spikes").to_pylist()
    assert scanned.schema["quality"] == pl.Enum(["good", "mua", "noise", "unused"])
    files = hdmf_arrow.data_files(location, "units")
    assert (
        ds.dataset(files).to_table().column("electrode").to_pylist()
        == expected.column("electrode").to_pylist()
    )
    got = duckdb.sql(
        f"SELECT id, len(spikes) AS n FROM read_parquet({files}) ORDER BY id"
    ).fetchall()
    assert got == [(i, len(s)) for i, s in enumerate(expected.column("spikes").to_pylist())]


# -- appends, versions, modes --------------------------------------------------------------------


def test_appending_rows_adds_one_file_and_keeps_the_others(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(session(), location)
    before = {p: p.read_bytes() for p in (location / "data").rglob("*.parquet")}
    with ParquetIO(location, "a") as io:
        root = io.read()
        units = root["units"]
        units.add_row(spikes=[1.0, 2.0], electrode=2, quality="mua", note="new")
        assert not units["spikes"]._loaded  # appending reads nothing
        assert io.write(root) == 2
    after = {p: p.read_bytes() for p in (location / "data").rglob("*.parquet")}
    assert all(after[p] == data for p, data in before.items())
    assert len(after) == len(before) + 1
    units = hdmf_arrow.read(location)["units"]
    assert len(units) == 31
    assert units[30]["spikes"].iloc[0].tolist() == [1.0, 2.0]
    assert units[30, "note"] == "new"
    assert len(hdmf_arrow.read(location, version=1)["units"]) == 30


def test_adding_a_column_rewrites_the_table(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(session(), location)
    with ParquetIO(location, "a") as io:
        root = io.read()
        root["electrodes"].add_column("depth", "depth", data=[1.0, 2.0, 3.0, 4.0])
        io.write(root)
    electrodes = hdmf_arrow.read(location)["electrodes"]
    assert electrodes.colnames == ("location", "x", "depth")
    assert electrodes["depth"].data.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert hdmf_arrow.read(location, version=1)["electrodes"].colnames == ("location", "x")


def test_repeated_commits_write_only_what_changed(location: str) -> None:
    t = DynamicTable(name="log", description="d")
    t.add_column("k", "k", dtype="int")
    with ParquetIO(location, "w") as io:
        for batch in range(4):
            for i in range(3):
                t.add_row(k=batch * 10 + i)
            io.write(t)
        assert [v.version for v in io.versions()] == [1, 2, 3, 4]
    back = hdmf_arrow.read(location)
    assert back["k"].data.tolist() == [b * 10 + i for b in range(4) for i in range(3)]
    assert len(back._source.files) == 4
    assert len(hdmf_arrow.read(location, version=2)) == 6


def test_modes(location: str) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[1])
    with pytest.raises(FileNotFoundError, match="not an hdmf-arrow store"):
        ParquetIO(location, "r")
    with ParquetIO(location, "w-") as io:
        io.write(t)
    with pytest.raises(StoreExistsError, match="already holds an hdmf-arrow store"):
        ParquetIO(location, "w-")
    with ParquetIO(location, "r") as io, pytest.raises(ReadOnlyStoreError, match="mode='r'"):
        io.write(t)
    with ParquetIO(location, "w") as io:  # a new version holding only what is written
        other = DynamicTable(name="other", description="d")
        other.add_column("y", "y", data=[2.0])
        assert io.write(other) == 2
    assert hdmf_arrow.read(location).name == "other"
    assert hdmf_arrow.read(location, version=1).name == "t"
    with pytest.raises(ValueError, match="mode must be one of"):
        ParquetIO(location, "x")  # type: ignore[arg-type]


def test_a_region_outside_the_tree_is_refused_and_nothing_is_committed(location: str) -> None:
    target = DynamicTable(name="target", description="d")
    target.add_column("v", "v", data=[1, 2])
    t = DynamicTable(name="t", description="d")
    t.add_column("r", "r", table=target, data=[0, 1])
    with pytest.raises(UnresolvedReferenceError, match="not in the container being written"):
        hdmf_arrow.write(t, location)
    with pytest.raises(FileNotFoundError):
        hdmf_arrow.read(location)


def test_vacuum_removes_only_unreferenced_files(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(session(), location)
    stray = location / "data" / "crashed" / "leftover.parquet"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"partial")
    with ParquetIO(location, "a") as io:
        assert io.vacuum(older_than=timedelta(0), dry_run=True) == ["data/crashed/leftover.parquet"]
        assert stray.exists()
        io.vacuum(older_than=timedelta(0))
        assert io.vacuum(older_than=timedelta(0), dry_run=True) == []
    assert not stray.exists()
    assert_table_equal(session_units(location), hdmf_arrow.read(location)["units"])


def session_units(location: Path) -> DynamicTable:
    return hdmf_arrow.read(location)["units"]


def test_plain_data_round_trips(location: str) -> None:
    root = SimpleMultiContainer("root", [Data("raw", np.arange(6).reshape(3, 2))])
    hdmf_arrow.write(root, location)
    raw = hdmf_arrow.read(location)["raw"]
    assert type(raw) is Data
    np.testing.assert_array_equal(raw.data, np.arange(6).reshape(3, 2))


def test_describe_lists_tree_columns_and_versions(location: str) -> None:
    hdmf_arrow.write(session(), location)
    with ParquetIO(location, "r") as io:
        text = io.describe()
    assert "version 1 of 1" in text
    assert "└── units  DynamicTable  30 rows" not in text  # units is not the last child
    assert "├── units  DynamicTable  30 rows, 1 file(s)" in text
    assert "spikes: list<item: double>  (ragged)" in text
    assert "electrode: int64  (-> electrodes)" in text
    enum = "dictionary<values=string, indices=uint8, ordered=0>"
    assert f"quality: {enum}  (enum: good, mua, noise, unused)" in text
    assert "sites: list<item: int64>  (ragged; -> electrodes)" in text


def test_region_rows_survive_a_store(location: str) -> None:
    root = session()
    hdmf_arrow.write(root, location)
    units = hdmf_arrow.read(location)["units"]
    region = units["electrode"]
    assert isinstance(region, DynamicTableRegion)
    expected = root["units"].to_dataframe()["electrode"]
    got = units.to_dataframe()["electrode"]
    for a, b in zip(expected, got, strict=True):
        assert a.equals(b)
    assert pa.types.is_int64(region.to_arrow().type)


# -- the same store on S3 (moto's server on 127.0.0.1, real s3fs over HTTP) ---------------------


def test_s3_write_read_lazy_append_and_conflict(s3_server: Any, s3_bucket: str) -> None:
    from hdmf_arrow.errors import StoreConflictError

    options = s3_server.storage_options
    root = session()
    assert hdmf_arrow.write(root, s3_bucket, storage_options=options) == 1
    back = hdmf_arrow.read(s3_bucket, storage_options=options)
    units = back["units"]
    assert not units["spikes"]._loaded
    assert units[5].index.tolist() == [5]  # one row group, not the column
    assert not units["spikes"]._loaded
    for name, table in tables(root).items():
        assert_table_equal(table, tables(back)[name])
    assert units["electrode"].table is back["electrodes"]
    # polars reads the files through its own object store, with the options translated
    assert units.scan().select(pl.len()).collect().item() == 30

    first = ParquetIO(s3_bucket, "a", storage_options=options)
    second = ParquetIO(s3_bucket, "a", storage_options=options)
    a, b = first.read(), second.read()
    a["units"].add_row(spikes=[1.0], electrode=0, quality="good", note="first")
    b["units"].add_row(spikes=[2.0], electrode=1, quality="mua", note="second")
    assert first.write(a) == 2
    with pytest.raises(StoreConflictError, match="another writer committed version 2"):
        second.write(b)
    latest = hdmf_arrow.read(s3_bucket, storage_options=options)["units"]
    assert len(latest) == 31
    assert latest[30, "note"] == "first"
    assert len(hdmf_arrow.read(s3_bucket, version=1, storage_options=options)["units"]) == 30


def test_vacuum_in_mode_r_refuses_even_with_a_writable_store_object(tmp_path: Path) -> None:
    from hdmf_arrow.storage import make_store

    store = make_store(tmp_path / "s")  # writable
    hdmf_arrow.write(session(), store)
    (tmp_path / "s" / "data" / "stray.parquet").write_bytes(b"x")
    with ParquetIO(store, "r") as io:
        assert io.vacuum(older_than=timedelta(0), dry_run=True) == ["data/stray.parquet"]
        with pytest.raises(ReadOnlyStoreError, match="vacuum needs mode='a'"):
            io.vacuum(older_than=timedelta(0))
    assert (tmp_path / "s" / "data" / "stray.parquet").exists()


def test_a_refused_write_leaves_no_files(tmp_path: Path) -> None:
    target = DynamicTable(name="target", description="d")
    target.add_column("v", "v", data=[1, 2])
    t = DynamicTable(name="t", description="d")
    t.add_column("r", "r", table=target, data=[0, 1])
    with pytest.raises(UnresolvedReferenceError):
        hdmf_arrow.write(t, tmp_path / "s")
    assert not list((tmp_path / "s").rglob("*.parquet"))
