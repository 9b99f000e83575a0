"""hdmf_arrow.duckdb.register: many stores as one DuckDB database, regions joined in SQL.

Fifty small stores, each a ``session`` holding ``electrodes`` and ``units`` (ragged
``spike_times``, a region ``electrode`` into ``electrodes``), with several appends to both
tables in some stores (so either table may have several files, and a region may point into
any of the target's files). Half of the stores are then turned into stores as written before
data files carried their row positions (``_downgrade``): their files lose the row column
and their manifests ``row_column``, so the views compute ``_row`` from DuckDB's
``file_row_number`` and each file's first row. For every store, the SQL join must give exactly
the electrodes rows that ``to_dataframe()`` puts in the region cells.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import hdmf_arrow
from hdmf_arrow.api import _open_manifest, _stored_tables
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.duckdb import register
from hdmf_arrow.errors import DuplicateColumnError, InvalidNameError, StoreLocationError
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.io._layout import child_nodes

if TYPE_CHECKING:
    from conftest import S3Server

STORES = 50
JOIN = """
    SELECT u.store, u._row, e.id, e.x, e.location
    FROM units AS u JOIN electrodes AS e ON u.store = e.store AND u.electrode = e._row
    ORDER BY u.store, u._row
"""


def _spikes(rng: np.random.Generator, n: int) -> list[list[float]]:
    return [sorted(rng.random(int(rng.integers(0, 6))).round(4).tolist()) for _ in range(n)]


def _session(i: int) -> SimpleMultiContainer:
    rng = np.random.default_rng(i)
    n_e, n_u = 2 + i % 4, 2 + i % 3
    electrodes = DynamicTable(
        name="electrodes", description="recording sites", id=[100 * i + 7 * k for k in range(n_e)]
    )
    electrodes.add_column("x", "x (um)", data=rng.random(n_e).round(3))
    electrodes.add_column("location", "area", data=[f"s{i}-e{k}" for k in range(n_e)])
    units = DynamicTable(name="units", description="sorted units")
    units.add_column("spike_times", "spike times (s)", data=_spikes(rng, n_u), index=True)
    units.add_column(
        "electrode", "recording site", data=rng.integers(0, n_e, n_u).tolist(), table=electrodes
    )
    if i % 5 == 0:  # a column that only some stores have
        units.add_column("quality", "sorting quality", data=[f"q{i}"] * n_u)
    tables = [electrodes, units]
    if i % 7 == 3:  # a table that only some stores have
        trials = DynamicTable(name="trials", description="trials")
        trials.add_column("start", "start (s)", data=[float(i), i + 0.5])
        tables.append(trials)
    return SimpleMultiContainer("session", tables)


def _append(path: Path | str, i: int, k: int) -> None:
    """Append rows to electrodes and units; the new units point anywhere in electrodes."""
    rng = np.random.default_rng(1000 * i + k)
    with ParquetIO(path, "a") as io:
        root = io.read()
        electrodes, units = root["electrodes"], root["units"]
        for j in range(1 + k % 2):
            electrodes.add_row(
                x=round(float(rng.random()), 3), location=f"s{i}-a{k}-{j}", id=5000 + 10 * k + j
            )
        for spikes in _spikes(rng, 2):
            row: dict[str, Any] = {
                "spike_times": spikes,
                "electrode": int(rng.integers(0, len(electrodes))),
            }
            if "quality" in units.colnames:
                row["quality"] = f"a{k}"
            units.add_row(**row)
        io.write(root)


def _downgrade(path: Path) -> None:
    """Make the store at ``path`` one written before files carried their row positions: every
    data file rewritten without its row column (same row groups), ``row_column`` dropped from
    the manifests and from the files' ``hdmf`` documents, format 0.1.0."""
    done: set[str] = set()

    def visit(node: dict[str, Any]) -> None:
        column = node.pop("row_column", None)
        for entry in node.get("files", ()) if column else ():
            if entry["path"] not in done:
                done.add(entry["path"])
                entry["num_bytes"] = _drop_column(path / entry["path"], column)
            else:
                entry["num_bytes"] = (path / entry["path"]).stat().st_size
        for child in child_nodes(node):
            visit(child)

    for manifest in sorted((path / "_hdmf" / "versions").glob("*.json")):
        doc = json.loads(manifest.read_text())
        visit(doc["root"])
        doc["format_version"] = "0.1.0"
        manifest.write_text(json.dumps(doc))


def _drop_column(file: Path, column: str) -> int:
    source = pq.ParquetFile(file)
    schema = source.schema_arrow
    metadata = dict(schema.metadata or {})
    if b"hdmf" in metadata:
        doc = json.loads(metadata[b"hdmf"])
        doc.pop("row_column", None)
        doc["format_version"] = "0.1.0"
        metadata[b"hdmf"] = json.dumps(doc).encode()
    schema = schema.remove(schema.get_field_index(column)).with_metadata(metadata)
    groups = [source.read_row_group(g) for g in range(source.num_row_groups)]
    with pq.ParquetWriter(file, schema) as writer:
        for group in groups:
            part = group.drop_columns([column]).replace_schema_metadata(metadata)
            writer.write_table(part, row_group_size=max(part.num_rows, 1))
    return file.stat().st_size


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fifty stores: three appends to each of 1, 6, 11, ...; the odd ones downgraded."""
    top = tmp_path_factory.mktemp("sessions")
    for i in range(STORES):
        path = top / f"s{i:02d}.hdmf"
        hdmf_arrow.write(_session(i), path)
        for k in range(3 if i % 5 == 1 else 0):
            _append(path, i, k)
        if i % 2:
            _downgrade(path)
    return top


def _expected(location: Path | str) -> list[tuple[int, int, float, str]]:
    """(units row, electrode id, x, location) of each units row, from to_dataframe()."""
    df = hdmf_arrow.read(location)["units"].to_dataframe()
    out = []
    for k, cell in enumerate(df["electrode"]):
        assert isinstance(cell, pd.DataFrame)
        assert len(cell) == 1
        out.append((k, int(cell.index[0]), float(cell["x"].iloc[0]), str(cell["location"].iloc[0])))
    return out


def _by_store(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for store, *rest in rows:
        out.setdefault(Path(store).name, []).append(tuple(rest))
    return out


@pytest.fixture(scope="module")
def expected(sessions: Path) -> dict[str, list[tuple[int, int, float, str]]]:
    """What each store's region cells hold, by store name (from to_dataframe())."""
    return {f"s{i:02d}.hdmf": _expected(sessions / f"s{i:02d}.hdmf") for i in range(STORES)}


def _check_joined(con: duckdb.DuckDBPyConnection, expected: dict[str, Any]) -> None:
    joined = _by_store(con.sql(JOIN).fetchall())
    assert sorted(joined) == sorted(expected)
    for name, rows in expected.items():
        assert joined[name] == rows, name


def test_both_row_paths_and_several_files_are_covered(sessions: Path) -> None:
    """The fixture holds what the other tests rely on: stores with and without row columns,
    each with tables of several files."""
    kinds: dict[tuple[bool, bool], int] = {}
    for i in range(STORES):
        for table in _stored_tables(
            *_open_manifest(sessions / f"s{i:02d}.hdmf", version=None, storage_options=None)
        ):
            key = (table.row_column is not None, len(table.files) > 1)
            kinds[key] = kinds.get(key, 0) + 1
    assert all(kinds.get((rows, many), 0) >= 4 for rows in (True, False) for many in (True, False))


def test_regions_join_in_sql_across_fifty_local_stores(
    sessions: Path, expected: dict[str, Any]
) -> None:
    con = duckdb.connect()
    names = register(con, str(sessions / "*.hdmf"))
    assert names == ["electrodes", "trials", "units"]
    [(sql,)] = con.sql("SELECT sql FROM duckdb_views() WHERE view_name = 'units'").fetchall()
    assert "t._row AS _row" in sql  # the row column of the stores that have one
    assert 'm."start" + t.file_row_number' in sql  # the others, with several files
    _check_joined(con, expected)
    # every units row once, with its ragged cells, in row order
    got = _by_store(
        con.sql("SELECT store, _row, spike_times FROM units ORDER BY store, _row").fetchall()
    )
    for i in (0, 1, 3, 6, 11, 49):
        name = f"s{i:02d}.hdmf"
        spikes = hdmf_arrow.read(sessions / name)["units"]["spike_times"]
        assert got[name] == [(k, list(spikes[k])) for k in range(len(spikes))]


def test_columns_and_tables_that_some_stores_lack(sessions: Path) -> None:
    con = duckdb.connect()
    register(con, str(sessions / "*.hdmf"))
    columns = [r[0] for r in con.sql("DESCRIBE units").fetchall()]
    assert columns == ["id", "spike_times", "electrode", "quality", "store", "_row"]
    having = con.sql(
        "SELECT DISTINCT store FROM units WHERE quality IS NOT NULL ORDER BY store"
    ).fetchall()
    assert [Path(s).name for (s,) in having] == [f"s{i:02d}.hdmf" for i in range(0, STORES, 5)]
    trials = con.sql("SELECT store, _row, start FROM trials ORDER BY store, _row").fetchall()
    assert [(Path(s).name, r, v) for s, r, v in trials] == [
        (f"s{i:02d}.hdmf", r, i + 0.5 * r) for i in range(3, STORES, 7) for r in (0, 1)
    ]


def test_a_version_a_list_and_a_prefix(sessions: Path) -> None:
    con = duckdb.connect()
    paths = [sessions / "s01.hdmf", sessions / "s02.hdmf"]
    names = register(con, paths, version=1, prefix="v1_")
    assert names == ["v1_electrodes", "v1_units"]
    counted = con.sql("SELECT store, count(*) FROM v1_units GROUP BY store ORDER BY store")
    first = [len(hdmf_arrow.read(p, version=1)["units"]) for p in paths]
    assert counted.fetchall() == [(str(p), n) for p, n in zip(paths, first, strict=True)]
    assert len(hdmf_arrow.read(paths[0])["units"]) > first[0]  # s01 has appends since


def test_nested_paths_and_a_root_table_name_their_views(tmp_path: Path) -> None:
    inner = DynamicTable(name="units", description="u")
    inner.add_column("x", "x", data=[1, 2])
    group = SimpleMultiContainer("processing", [inner])
    hdmf_arrow.write(SimpleMultiContainer("session", [group]), tmp_path / "a.hdmf")
    hdmf_arrow.write(pd.DataFrame({"y": [3.0]}), tmp_path / "b.hdmf", name="units")
    con = duckdb.connect()
    assert register(con, str(tmp_path / "*.hdmf")) == ["processing/units", "units"]
    assert con.sql('SELECT x, _row FROM "processing/units" ORDER BY _row').fetchall() == [
        (1, 0),
        (2, 1),
    ]
    assert con.sql("SELECT y, _row FROM units").fetchall() == [(3.0, 0)]


def test_memory_stores_are_read_through_fsspec(memory_url: str) -> None:
    top = memory_url.rsplit("/", 1)[0]
    expected = {}
    for i in range(3):
        location = f"{top}/s{i}.hdmf"
        hdmf_arrow.write(_session(i), location)
        for k in range(i):
            _append(location, i, k)
        expected[f"s{i}.hdmf"] = _expected(location)
    con = duckdb.connect()
    register(con, f"{top}/*.hdmf")
    assert _by_store(con.sql(JOIN).fetchall()) == expected


def test_columns_the_view_adds_are_refused_in_a_table(tmp_path: Path) -> None:
    hdmf_arrow.write(pd.DataFrame({"store": ["a"]}), tmp_path / "a.hdmf", name="t")
    with pytest.raises(DuplicateColumnError, match=r"table 't' of store .* has a column 'store'"):
        register(duckdb.connect(), tmp_path / "a.hdmf")


def test_view_names_that_differ_only_by_case_are_refused(tmp_path: Path) -> None:
    tables = []
    for name in ("Units", "units"):
        t = DynamicTable(name=name, description="d")
        t.add_column("x", "x", data=[1])
        tables.append(t)
    hdmf_arrow.write(SimpleMultiContainer("session", tables), tmp_path / "a.hdmf")
    with pytest.raises(InvalidNameError, match=r"'Units' and 'units'"):
        register(duckdb.connect(), tmp_path / "a.hdmf")


def test_a_glob_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreLocationError, match="names no store"):
        register(duckdb.connect(), str(tmp_path / "*.hdmf"))


def test_regions_join_in_sql_across_fifty_stores_on_s3(
    sessions: Path, expected: dict[str, Any], s3_server: S3Server, s3_bucket: str
) -> None:
    top = s3_bucket.rsplit("/", 1)[0]
    # the same stores, uploaded as they are, less what register never reads (and what moto
    # would take seconds to store): the cached specs and the manifests of older versions
    files = {}
    for i in range(STORES):
        store = sessions / f"s{i:02d}.hdmf"
        newest = sorted((store / "_hdmf" / "versions").glob("*.json"))[-1]
        for path in [newest, *(p for p in (store / "data").rglob("*") if p.is_file())]:
            files[f"{top}/sessions/{path.relative_to(sessions).as_posix()}"] = path.read_bytes()
    s3_server.admin.pipe(files)
    con = duckdb.connect()
    # one s3fs instance for the fifty stores, as users get (fsspec's instance cache); a new
    # client per store costs ~0.2 s of CPU
    options = {**s3_server.storage_options, "skip_instance_cache": False}
    assert register(con, f"{top}/sessions/*.hdmf", storage_options=options) == [
        "electrodes",
        "trials",
        "units",
    ]
    stores = {s for (s,) in con.sql("SELECT DISTINCT store FROM units").fetchall()}
    assert stores == {f"{top}/sessions/s{i:02d}.hdmf" for i in range(STORES)}
    _check_joined(con, expected)


def test_a_table_without_files_gives_an_empty_view(tmp_path: Path) -> None:
    hdmf_arrow.write(pd.DataFrame({"x": [1]}), tmp_path / "a.hdmf", name="t")
    manifest = sorted((tmp_path / "a.hdmf" / "_hdmf" / "versions").glob("*.json"))[-1]
    doc = json.loads(manifest.read_text())
    doc["root"]["files"], doc["root"]["num_rows"] = [], 0
    manifest.write_text(json.dumps(doc))
    con = duckdb.connect()
    register(con, tmp_path / "a.hdmf")
    assert con.sql("SELECT * FROM t").fetchall() == []
    assert [r[0] for r in con.sql("DESCRIBE t").fetchall()] == ["id", "x", "store", "_row"]
