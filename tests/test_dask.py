"""``DynamicTable.to_dask()``: a Dask DataFrame over a stored table's Parquet files that, once
computed, equals ``to_dataframe(index=True)`` cell by cell (dtypes, index, ragged arrays,
categories); partitions per file or per run of row groups; only the table's columns read."""

from __future__ import annotations

import pickle
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import CorruptStoreError, MissingDependencyError
from hdmf_arrow.io import ParquetIO, ParquetOptions
from hdmf_arrow.io._engines import ReadPart, with_elements
from tests.conftest import S3Server

dd = pytest.importorskip("dask.dataframe", reason="dask[dataframe] is not installed")

ELEMENTS = ["noise", "good", "bad", "mua"]  # "noise" and "mua" are never used


def _electrodes() -> DynamicTable:
    electrodes = DynamicTable(name="electrodes", description="recording sites")
    electrodes.add_column("x", "position", data=np.arange(4.0))
    return electrodes


def _units(start: int, n: int, electrodes: DynamicTable) -> DynamicTable:
    """Units with every kind of column: strings (with a null), ragged floats, a doubly ragged
    column, an enum, a ragged enum, a region, a ragged region, N-D ints and floats, and an
    integer column with nulls."""
    rng = np.random.default_rng(start)
    rows = range(start, start + n)
    t = DynamicTable(name="units", description="sorted units", id=np.array(rows) * 10)
    t.add_column("depth", "depth", data=rng.random(n))
    t.add_column("label", "label", data=[None if i % 5 == 3 else f"u{i}" for i in rows])
    spikes = [list(rng.random(i % 4)) for i in rows]
    t.add_column("spikes", "spike times", data=spikes, index=True)
    t.add_column("bursts", "bursts", data=[[[0.5] * (i % 2), [1.5]] for i in rows], index=2)
    quality = [ELEMENTS[1 + i % 2] for i in rows]  # good/bad only
    t.add_column("quality", "sorting quality", data=quality, enum=ELEMENTS)
    tags = [[ELEMENTS[2]] * (i % 3) for i in rows]
    t.add_column("tags", "tags", data=tags, enum=ELEMENTS, index=True)
    t.add_column("site", "main site", data=[i % 4 for i in rows], table=electrodes)
    sites = [[i % 4, 0][: i % 3] for i in rows]
    t.add_column("sites", "sites", data=sites, table=electrodes, index=True)
    t.add_column("wave", "waveform", data=rng.integers(-99, 99, (n, 3, 2)).astype(np.int16))
    t.add_column("shape", "shape", data=rng.random((n, 2)).astype(np.float32))
    t.add_column("count", "count", data=[None if i % 4 == 1 else i for i in rows], dtype="int32")
    return t


def _write(location: str | Path, **kwargs: Any) -> None:
    """A store whose units table has three data files: one written, two appended (one
    through ParquetIO mode 'a', one through ``write(mode='append')``)."""
    electrodes = _electrodes()
    session = SimpleMultiContainer("session", [electrodes, _units(0, 7, electrodes)])
    options = kwargs.get("storage_options")
    hdmf_arrow.write(session, location, **kwargs)
    with ParquetIO(location, "a", storage_options=options, options=kwargs.get("options")) as io:
        root = io.read()
        root["units"].extend(_units(100, 5, root["electrodes"]))
        io.write(root)
    target = hdmf_arrow.read(location, storage_options=options)["electrodes"]
    hdmf_arrow.write(_units(200, 6, target), location, mode="append", **kwargs)


def _units_of(location: str | Path, **kwargs: Any) -> DynamicTable:
    table = hdmf_arrow.read(location, **kwargs)["units"]
    assert isinstance(table, DynamicTable)
    return table


# -- the equality the tests hold to_dask to ---------------------------------------------------


def _same_cell(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype == object:
            return all(_same_cell(x, y) for x, y in zip(a.ravel(), b.ravel(), strict=True))
        return bool(np.array_equal(a, b))
    a_missing, b_missing = a is None or a is pd.NA or a != a, b is None or b is pd.NA or b != b
    if a_missing or b_missing:
        return a_missing and b_missing and type(a) is type(b)
    return type(a) is type(b) and bool(a == b)


def assert_cells_equal(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns, dtypes (categories in order), index (values and name) and every cell:
    arrays of the same dtype and shape and values, the same kind of missing value."""
    assert list(got.columns) == list(expected.columns)
    assert got.index.name == expected.index.name
    assert got.index.dtype == expected.index.dtype
    assert got.index.tolist() == expected.index.tolist()
    for name in expected.columns:
        assert got[name].dtype == expected[name].dtype, name
        if isinstance(expected[name].dtype, pd.CategoricalDtype):
            got_categories = got[name].cat.categories.tolist()
            want = expected[name].cat.categories.tolist()
            assert got_categories == want, f"column {name!r}: categories {got_categories}"
        for row, (a, b) in enumerate(zip(got[name], expected[name], strict=True)):
            assert _same_cell(a, b), f"column {name!r}, row {row}: {a!r} != {b!r}"


def test_the_equality_check_sees_a_changed_cell() -> None:
    t = _units(0, 6, _electrodes())
    expected = t.to_dataframe(index=True)
    changed = expected.copy()
    changed.at[changed.index[2], "spikes"] = np.append(changed["spikes"].iloc[2], 1.0)
    with pytest.raises(AssertionError, match="column 'spikes', row 2"):
        assert_cells_equal(changed, expected)
    wider = expected.copy()
    wider.at[wider.index[0], "shape"] = wider["shape"].iloc[0].astype(np.float64)
    with pytest.raises(AssertionError, match="column 'shape', row 0"):
        assert_cells_equal(wider, expected)
    recoded = expected.copy()
    recoded["quality"] = recoded["quality"].cat.reorder_categories(ELEMENTS[::-1])
    with pytest.raises(AssertionError, match="column 'quality': categories"):
        assert_cells_equal(recoded, expected)


# -- a local store ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dask") / "session.hdmf"
    _write(path)
    return path


def test_to_dask_equals_to_dataframe_cell_by_cell(location: Path) -> None:
    units = _units_of(location)
    assert len(units._source.files) == 3  # type: ignore[union-attr]
    ddf = units.to_dask()
    assert ddf.npartitions == 3  # one per data file
    expected = _units_of(location).to_dataframe(index=True)
    assert len(expected) == 18
    assert_cells_equal(ddf.compute(), expected)
    assert ddf.dtypes.to_dict() == expected.dtypes.to_dict()  # meta says what compute gives
    assert ddf.index.name == "id"


def test_enum_columns_keep_every_element_as_a_category_in_order(location: Path) -> None:
    quality = _units_of(location).to_dask()["quality"]
    assert quality.dtype == pd.CategoricalDtype(ELEMENTS)  # known before computing
    assert quality.compute().cat.categories.tolist() == ELEMENTS
    counts = quality.value_counts().compute()
    assert counts.to_dict() == {"noise": 0, "good": 10, "bad": 8, "mua": 0}


def test_region_cells_are_row_positions_and_aggregate(location: Path) -> None:
    units = _units_of(location)
    ddf = units.to_dask()
    assert ddf["site"].compute().tolist() == units["site"].data.tolist()
    total = ddf["depth"].sum().compute()
    assert total == pytest.approx(float(np.sum(units["depth"].data)))
    by_site = ddf.groupby("site")["depth"].count().compute().sort_index()
    assert by_site.tolist() == np.bincount(units["site"].data).tolist()


def test_only_the_tables_columns_and_those_used_are_read(
    location: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = _units_of(location)
    files = units._source.files  # type: ignore[union-attr]
    stored = pq.read_schema(location / files[0].path).names
    read: list[list[str]] = []
    plain_read = ReadPart.read

    def spy(self: ReadPart, part: Any, columns: Any = None) -> Any:
        table = plain_read(self, part, columns)
        read.append(table.column_names)
        return table

    monkeypatch.setattr(ReadPart, "read", spy)
    ddf = units.to_dask()
    assert list(ddf.columns) == list(units.colnames)  # nothing else the files hold
    assert set(stored) >= {"id", *units.colnames}
    picked = ddf[["wave", "depth"]].compute()
    assert [sorted(names) for names in read] == [["depth", "id", "wave"]] * 3
    assert_cells_equal(picked, units.to_dataframe(index=True)[["wave", "depth"]])


def test_row_groups_make_partitions_under_a_blocksize(tmp_path: Path, location: Path) -> None:
    small_groups = ParquetOptions(row_group_bytes=1, min_row_group_rows=2)
    _write(tmp_path / "s.hdmf", options=small_groups)
    units = _units_of(tmp_path / "s.hdmf")
    groups = [len(f.row_groups) for f in units._source.files]  # type: ignore[union-attr]
    assert groups == [4, 3, 3]  # 7, 5 and 6 rows in groups of 2
    # the same rows, stored one row group per file (to_dataframe cannot read the ragged enum
    # 'tags' over several row groups of one file: pyarrow refuses list<dictionary> there)
    expected = _units_of(location).to_dataframe(index=True)
    per_group = units.to_dask(blocksize=1)
    assert per_group.npartitions == 10
    assert [len(p) for p in per_group.partitions] == [2, 2, 2, 1, 2, 2, 1, 2, 2, 2]
    assert_cells_equal(per_group.compute(), expected)
    per_file = units.to_dask(blocksize=None)
    assert per_file.npartitions == 3
    assert_cells_equal(per_file.compute(), expected)


def test_the_graph_pickles_for_other_processes(location: Path) -> None:
    units = _units_of(location)
    ddf = pickle.loads(pickle.dumps(units.to_dask()))
    assert_cells_equal(ddf.compute(scheduler="sync"), units.to_dataframe(index=True))


def test_a_file_that_does_not_match_the_manifest_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "s.hdmf")
    files = _units_of(tmp_path / "s.hdmf")._source.files  # type: ignore[union-attr]
    shutil.copyfile(tmp_path / "s.hdmf" / files[1].path, tmp_path / "s.hdmf" / files[0].path)
    with pytest.raises(CorruptStoreError, match="does not match the manifest"):
        _units_of(tmp_path / "s.hdmf").to_dask()


def test_a_file_deleted_after_to_dask_is_named_when_computing(tmp_path: Path) -> None:
    _write(tmp_path / "s.hdmf")
    units = _units_of(tmp_path / "s.hdmf")
    ddf = units.to_dask()
    gone = units._source.files[2].path  # type: ignore[union-attr]
    (tmp_path / "s.hdmf" / gone).unlink()
    with pytest.raises(CorruptStoreError, match=f"data file '{gone}' of table 'units' is missing"):
        ddf.compute()


def test_stored_enum_values_outside_the_elements_are_refused() -> None:
    stored = pa.array(["good", "ghost", None]).dictionary_encode()
    with pytest.raises(CorruptStoreError, match=r"enum 'q' of table 'u'.*\['ghost'\].*validate"):
        with_elements(stored, pa.array(ELEMENTS), where="'q' of table 'u'")


# -- the fallbacks: tables not (or not only) in files ------------------------------------------


def test_a_table_in_memory_is_one_partition() -> None:
    t = _units(0, 9, _electrodes())
    ddf = t.to_dask()
    assert ddf.npartitions == 1
    assert_cells_equal(ddf.compute(), t.to_dataframe(index=True))


def test_a_table_just_written_reads_its_files(tmp_path: Path) -> None:
    electrodes = _electrodes()
    units = _units(0, 9, electrodes)
    hdmf_arrow.write(SimpleMultiContainer("session", [electrodes, units]), tmp_path / "s.hdmf")
    ddf = units.to_dask()
    assert type(ddf.expr).__name__ == "FromMapProjectable"  # from the files, not from memory
    assert_cells_equal(ddf.compute(), units.to_dataframe(index=True))


def test_a_stored_table_with_new_rows_is_read_as_it_is_now(location: Path) -> None:
    units = _units_of(location)
    units.add_row(
        id=9999, depth=0.5, label="new", spikes=[1.0], bursts=[[2.0]], quality="mua",
        tags=["noise"], site=3, sites=[1], wave=np.zeros((3, 2), np.int16),
        shape=np.zeros(2, np.float32), count=None,
    )  # fmt: skip
    ddf = units.to_dask()
    assert ddf.npartitions == 1
    got = ddf.compute()
    assert (got.index[-1], got["quality"].iloc[-1]) == (9999, "mua")
    assert_cells_equal(got, units.to_dataframe(index=True))


def test_a_memory_store_is_read_into_one_partition(memory_url: str) -> None:
    _write(memory_url)
    units = _units_of(memory_url)
    ddf = units.to_dask()
    assert ddf.npartitions == 1
    assert_cells_equal(ddf.compute(), units.to_dataframe(index=True))


def test_without_dask_the_error_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(MissingDependencyError, match=r"DynamicTable 'units'.*dask\[dataframe\]"):
        _units(0, 2, _electrodes()).to_dask()


# -- S3 (moto's server on 127.0.0.1) -----------------------------------------------------------


def test_a_table_on_s3_reads_through_the_stores_filesystem(
    s3_server: S3Server, s3_bucket: str
) -> None:
    options = s3_server.storage_options
    _write(s3_bucket, storage_options=options)
    units = _units_of(s3_bucket, storage_options=options)
    ddf = units.to_dask()
    assert ddf.npartitions == 3
    assert_cells_equal(ddf.compute(), units.to_dataframe(index=True))
