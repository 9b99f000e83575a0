"""The row-position column of stored tables (docs/format.md, section 6.2): what lets a plain
engine follow a region column into a table of many files."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest

import hdmf_arrow
from hdmf_arrow import ParquetIO
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import CorruptStoreError

if TYPE_CHECKING:
    from pathlib import Path


def session(n_electrodes: int = 3, n_units: int = 4) -> SimpleMultiContainer:
    electrodes = DynamicTable(name="electrodes", description="sites")
    electrodes.add_column("location", "area", data=[f"area{k}" for k in range(n_electrodes)])
    units = DynamicTable(name="units", description="units")
    units.add_column("spike_times", "s", index=True, dtype="float")
    units.add_column("electrode", "site", table=electrodes)
    units.add_column("sites", "sites", table=electrodes, index=True)
    for k in range(n_units):
        units.add_row(
            spike_times=[0.1 * k], electrode=k % n_electrodes, sites=[0, k % n_electrodes]
        )
    return SimpleMultiContainer("session", [electrodes, units])


def append(store: Path, rounds: int) -> None:
    """Several appends to both tables, each a new file of each."""
    for r in range(rounds):
        with ParquetIO(store, "a") as io:
            tree = io.read()
            electrodes, units = tree["electrodes"], tree["units"]
            electrodes.add_row(location=f"late{r}")
            electrodes.add_row(location=f"later{r}")
            n = len(electrodes)
            units.add_row(spike_times=[1.0, 2.0], electrode=n - 1, sites=[n - 2, n - 1, 0])
            io.write(tree)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(session(), location)
    append(location, 3)
    return location


def newest_manifest(store: Path) -> Path:
    return sorted((store / "_hdmf" / "versions").glob("*.json"))[-1]


def region_locations(store: Path) -> tuple[list[str], list[list[str]]]:
    """What hdmf-arrow says each unit's regions point at."""
    df = hdmf_arrow.read(store)["units"].to_dataframe()
    one = [rows["location"].iloc[0] for rows in df["electrode"]]
    many = [list(rows["location"]) for rows in df["sites"]]
    return one, many


def test_duckdb_joins_on_the_row_column_after_appends(store: Path) -> None:
    units_files = hdmf_arrow.data_files(store, "units")
    electrode_files = hdmf_arrow.data_files(store, "electrodes")
    assert len(units_files) == 4
    assert len(electrode_files) == 4
    one, many = region_locations(store)
    found = duckdb.sql(
        f"""
        SELECT e.location FROM read_parquet({units_files}) u
        JOIN read_parquet({electrode_files}) e ON u.electrode = e._row
        ORDER BY u._row
        """
    ).fetchall()
    assert [r[0] for r in found] == one
    ragged = duckdb.sql(
        f"""
        SELECT u._row, list(e.location ORDER BY s.k)
        FROM (SELECT _row, unnest(sites) AS site, generate_subscripts(sites, 1) AS k
              FROM read_parquet({units_files})) s
        JOIN read_parquet({units_files}) u USING (_row)
        JOIN read_parquet({electrode_files}) e ON s.site = e._row
        GROUP BY u._row ORDER BY u._row
        """
    ).fetchall()
    assert [r[1] for r in ragged] == many


def test_polars_joins_on_the_raw_files(store: Path) -> None:
    units = pl.scan_parquet(hdmf_arrow.data_files(store, "units"))
    electrodes = pl.scan_parquet(hdmf_arrow.data_files(store, "electrodes"))
    joined = units.join(electrodes, left_on="electrode", right_on="_row").sort("_row").collect()
    assert joined["location"].to_list() == region_locations(store)[0]


def test_the_column_is_named_in_the_manifest_and_the_footer(store: Path) -> None:
    for path in hdmf_arrow.data_files(store, "units"):
        doc = json.loads(pq.read_schema(path).metadata[b"hdmf"])
        assert doc["row_column"] == "_row"
        assert pq.read_schema(path).names[-1] == "_row"
    manifest = json.loads(newest_manifest(store).read_text())
    tables = {n["name"]: n for n in manifest["root"]["children"]}
    assert tables["units"]["row_column"] == "_row"
    # what a table reads back has no such column: it is the store's, not the table's
    units = hdmf_arrow.read(store)["units"]
    assert "_row" not in units.colnames
    assert "_row" not in units.to_arrow().column_names
    assert "_row" not in units.scan().collect().columns
    assert units.scan(row_column="_row").collect()["_row"].to_list() == list(range(len(units)))


def test_a_raw_file_reads_as_a_table_without_it(store: Path) -> None:
    first = hdmf_arrow.data_files(store, "electrodes")[1]  # the second file: rows 3-4
    raw = pq.read_table(first)
    assert raw["_row"].to_pylist() == [3, 4]
    table = DynamicTable.from_arrow(raw)
    assert table.colnames == ("location",)


def test_a_user_column_named_row_moves_the_row_column_aside(tmp_path: Path) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("_row", "a user's column", data=[10, 20])
    hdmf_arrow.write(t, tmp_path / "s")
    (path,) = hdmf_arrow.data_files(tmp_path / "s")
    raw = pq.read_table(path)
    assert raw.column_names == ["id", "_row", "_row_1"]
    assert raw["_row_1"].to_pylist() == [0, 1]
    back = hdmf_arrow.read(tmp_path / "s")
    assert back["_row"].data.tolist() == [10, 20]
    assert DynamicTable.from_arrow(raw).colnames == ("_row",)


def test_files_in_the_wrong_order_are_refused(store: Path) -> None:
    """Two files of the same size swapped in the manifest: counts and schema agree, only the
    row positions tell; reading them would hand an engine other rows."""
    path = newest_manifest(store)
    manifest = json.loads(path.read_text())
    tables = {n["name"]: n for n in manifest["root"]["children"]}
    files = tables["electrodes"]["files"]
    files[1], files[2] = files[2], files[1]
    path.write_text(json.dumps(manifest))
    with pytest.raises(
        CorruptStoreError, match=r"its rows should be rows 3-4 of the table in column '_row'"
    ):
        hdmf_arrow.read(store)["electrodes"].to_dataframe()
    assert any("its rows should be rows" in i.message for i in hdmf_arrow.validate(store))


def test_compaction_keeps_the_positions(store: Path) -> None:
    with ParquetIO(store, "a") as io:
        io.compact()
    (path,) = hdmf_arrow.data_files(store, "electrodes")
    assert pq.read_table(path)["_row"].to_pylist() == list(range(9))
    units = pl.scan_parquet(hdmf_arrow.data_files(store, "units"))
    electrodes = pl.scan_parquet(hdmf_arrow.data_files(store, "electrodes"))
    joined = units.join(electrodes, left_on="electrode", right_on="_row").sort("_row")
    assert joined.collect()["location"].to_list() == region_locations(store)[0]


def test_herd_tables_carry_positions_too(tmp_path: Path) -> None:
    from hdmf_arrow.common import HERD

    t = DynamicTable(name="t", description="d")
    t.add_column("species", "s", data=["mouse"])
    herd = HERD()
    root = SimpleMultiContainer("root", [t, herd])
    herd.add_ref(
        container=t["species"], key="mouse",
        entity_id="NCBI_TAXON:10090", entity_uri="https://example.org/10090",
    )  # fmt: skip
    hdmf_arrow.write(root, tmp_path / "s")
    manifest = json.loads(newest_manifest(tmp_path / "s").read_text())
    herd_node = next(n for n in manifest["root"]["children"] if n.get("kind") == "herd")
    for node in herd_node["children"]:
        assert node["row_column"] == "_row"
        (f,) = node["files"]
        positions = pq.read_table(tmp_path / "s" / f["path"])["_row"].to_pylist()
        assert positions == list(range(node["num_rows"]))


def test_a_store_without_row_columns_still_reads_and_upgrades_on_append(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Format 0.1 stores have no row column: they read and scan with positions; appends
    keep the table's format (no rewrite of a large table to add a row), compaction adds
    the column."""
    import hdmf_arrow.io._tree as tree_module

    location = tmp_path / "old"
    monkeypatch.setattr(tree_module, "row_column_for", lambda names: None)
    hdmf_arrow.write(session(), location)
    append(location, 1)
    monkeypatch.undo()
    paths = hdmf_arrow.data_files(location, "electrodes")
    assert len(paths) == 2
    assert "_row" not in pq.read_schema(paths[0]).names
    table = hdmf_arrow.read(location)["electrodes"]
    assert table.scan(row_column="_row").collect()["_row"].to_list() == list(range(5))
    lf = hdmf_arrow.scan([location], "electrodes")
    assert lf.collect()["_row"].to_list() == list(range(5))
    append(location, 1)
    paths = hdmf_arrow.data_files(location, "electrodes")
    assert len(paths) == 3
    assert "_row" not in pq.read_schema(paths[2]).names
    assert hdmf_arrow.validate(location) == []
    with ParquetIO(location, "a") as io:
        io.compact()
    (path,) = hdmf_arrow.data_files(location, "electrodes")  # rewritten whole
    assert pq.read_table(path)["_row"].to_pylist() == list(range(7))
    assert hdmf_arrow.validate(location) == []


def test_scan_resolves_regions_across_stores(tmp_path: Path) -> None:
    locations = []
    for k in range(3):
        location = tmp_path / f"s{k}.hdmf"
        hdmf_arrow.write(session(n_electrodes=2 + k, n_units=3 + k), location)
        append(location, k)  # 0, 1 and 2 appends
        locations.append(location)
    units = hdmf_arrow.scan(locations, "units", columns=["electrode"])
    electrodes = hdmf_arrow.scan(locations, "electrodes", columns=["location"])
    joined = (
        units.join(electrodes, left_on=["store", "electrode"], right_on=["store", "_row"])
        .sort("store", "_row")
        .collect()
    )
    expected = [name for location in locations for name in region_locations(location)[0]]
    assert joined["location"].to_list() == expected


def test_many_rows_and_row_groups(tmp_path: Path) -> None:
    """Positions stay right across row groups and blocks, and cost little."""
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=np.arange(300_000, dtype=np.float64))
    hdmf_arrow.write(t, tmp_path / "s", options=hdmf_arrow.ParquetOptions(row_group_bytes=2**18))
    (path,) = hdmf_arrow.data_files(tmp_path / "s")
    footer = pq.read_metadata(path)
    assert footer.num_row_groups > 5
    column = footer.num_columns - 1
    groups = [footer.row_group(g) for g in range(footer.num_row_groups)]
    stored = sum(g.column(column).total_compressed_size for g in groups)
    assert stored < 300_000 * 8 / 100  # delta-encoded: under 1% of the raw int64s
    assert footer.row_group(0).column(column).encodings.count("DELTA_BINARY_PACKED") == 1
    assert pq.read_table(path, columns=["_row"])["_row"].to_numpy().tolist() == list(range(300_000))


def test_small_appends_merge_into_few_files(tmp_path: Path) -> None:
    """Single-row appends do not pile up files (or manifest entries): the last small files
    are rewritten with the new rows; every version still reads as it was committed."""
    location = tmp_path / "s.hdmf"
    t = DynamicTable(name="t", description="d")
    t.add_column("spikes", "s", index=True, dtype="float")
    t.add_column("quality", "q", enum=["good", "mua", "noise"])
    t.add_row(spikes=[0.0], quality="good")
    hdmf_arrow.write(t, location)
    qualities = ["good", "mua", "noise"]
    for k in range(1, 30):
        with ParquetIO(location, "a") as io:
            table = io.read()
            table.add_row(spikes=[float(k)] * (k % 3), quality=qualities[k % 3])
            io.write(table)
    paths = hdmf_arrow.data_files(location)
    assert len(paths) <= 8
    back = hdmf_arrow.read(location).to_dataframe()
    assert back["quality"].tolist() == [qualities[k % 3] for k in range(30)]
    assert [list(v) for v in back["spikes"]] == [[0.0]] + [
        [float(k)] * (k % 3) for k in range(1, 30)
    ]
    positions = pl.scan_parquet(paths).select("_row").collect()["_row"].to_list()
    assert positions == list(range(30))
    for version in (1, 9, 17, 29):  # older versions keep their files
        old = hdmf_arrow.read(location, version=version).to_dataframe()
        assert old["quality"].tolist() == [qualities[k % 3] for k in range(version)]
    assert hdmf_arrow.validate(location) == []
    manifest = newest_manifest(location).stat().st_size
    assert manifest < 8_000, manifest


def test_merging_can_be_turned_off(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    options = hdmf_arrow.ParquetOptions(merge_small_files=0)
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[0])
    hdmf_arrow.write(t, location, options=options)
    for k in range(1, 12):
        with ParquetIO(location, "a", options=options) as io:
            table = io.read()
            table.add_row(x=k)
            io.write(table)
    assert len(hdmf_arrow.data_files(location)) == 12
