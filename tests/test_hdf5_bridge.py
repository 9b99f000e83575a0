"""The HDF5 bridge beyond the oracle round trips: fsspec URLs on the local S3 server, block
copies, what HDF5 cannot hold, damaged or foreign input, and the parts of a file that have no
data type (groups, scalar datasets, links, a table's other members, aligned tables).
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import h5py
import numpy as np
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import hdmf_arrow
from hdmf_arrow import (
    HDF5IO,
    ParquetIO,
    ParquetOptions,
    export_hdf5,
    import_hdf5,
    read,
    validate,
    write,
)
from hdmf_arrow.cli import main
from hdmf_arrow.common import (
    AlignedDynamicTable,
    Dataset,
    DynamicTable,
    Group,
    Link,
    SimpleMultiContainer,
)
from hdmf_arrow.errors import (
    SchemaMismatchError,
    StoreExistsError,
    UnknownTypeError,
    UnresolvedReferenceError,
    UnsupportedHDF5Error,
)
from hdmf_arrow.io.hdf5 import _read, is_hdf5

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import S3Server


def _small_nwb(path: Path) -> Path:
    """A pynwb file with electrodes (and their group references), units and a series."""
    from pynwb import NWBHDF5IO, NWBFile
    from pynwb.ecephys import ElectricalSeries

    nwb = NWBFile(
        session_description="bridge",
        identifier="bridge-1",
        session_start_time=datetime(2024, 5, 1, tzinfo=UTC),
    )
    device = nwb.create_device("probe")
    group = nwb.create_electrode_group("shank", description="d", location="CA1", device=device)
    for _ in range(3):
        nwb.add_electrode(location="CA1", group=group)
    region = nwb.create_electrode_table_region([0, 2], "two")
    data = np.arange(40, dtype=np.int16).reshape(20, 2)
    nwb.add_acquisition(ElectricalSeries(name="es", data=data, electrodes=region, rate=100.0))
    nwb.add_unit(spike_times=[0.5, 1.5])
    nwb.add_unit(spike_times=[2.5])
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return path


@pytest.fixture(scope="module")
def nwb_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _small_nwb(tmp_path_factory.mktemp("nwb") / "small.nwb")


# -- fsspec URLs: the local S3 server ------------------------------------------------------


def test_an_nwb_file_on_s3_imports_and_a_store_exports_to_s3(
    nwb_file: Path, s3_server: S3Server, s3_bucket: str, tmp_path: Path
) -> None:
    bucket = s3_bucket.rsplit("/", 1)[0]
    fs = s3_server.admin
    fs.put(str(nwb_file), f"{bucket}/in/small.nwb")
    opts = s3_server.storage_options
    url = f"{bucket}/in/small.nwb"
    assert is_hdf5(url, opts)
    assert not is_hdf5(f"{bucket}/in", opts)  # a folder is not a file

    import_hdf5(url, tmp_path / "store", hdf5_storage_options=opts)
    units = read(tmp_path / "store")["units"]
    assert list(units["spike_times"][0]) == [0.5, 1.5]

    export_hdf5(tmp_path / "store", f"{bucket}/out/back.nwb", hdf5_storage_options=opts)
    fs.get(f"{bucket}/out/back.nwb", str(tmp_path / "back.nwb"))
    with HDF5IO(tmp_path / "back.nwb") as io:
        assert io.read()["acquisition"]["es"]["data"].data.tolist() == (
            np.arange(40).reshape(20, 2).tolist()
        )


def test_hdf5io_reads_from_s3_lazily(nwb_file: Path, s3_server: S3Server, s3_bucket: str) -> None:
    bucket = s3_bucket.rsplit("/", 1)[0]
    s3_server.admin.put(str(nwb_file), f"{bucket}/lazy.nwb")
    with HDF5IO(f"{bucket}/lazy.nwb", storage_options=s3_server.storage_options) as io:
        root = io.read()
        electrodes = root["general"]["extracellular_ephys"]["electrodes"]
        assert not electrodes["location"]._loaded  # nothing read until used
        assert electrodes["location"].data.tolist() == ["CA1"] * 3


def test_a_store_on_s3_takes_an_import(nwb_file: Path, s3_server: S3Server, s3_bucket: str) -> None:
    opts = s3_server.storage_options
    assert import_hdf5(nwb_file, s3_bucket, storage_options=opts) == 1
    units = read(s3_bucket, storage_options=opts)["units"]
    assert len(units) == 2


# -- blocks --------------------------------------------------------------------------------


def test_a_dataset_is_copied_in_blocks_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = np.random.default_rng(0).integers(-100, 100, size=(5000, 8), dtype=np.int16)
    with h5py.File(tmp_path / "raw.h5", "w") as f:
        f.create_dataset("trace", data=values, chunks=(100, 8))
    monkeypatch.setattr(_read, "BLOCK_BYTES", 16_000)  # 1,000 rows a block
    read_blocks: list[int] = []
    real_rows = _read.H5Reader.rows

    def counting(self: Any, ds: Any, start: int = 0, stop: int | None = None) -> Any:
        out = real_rows(self, ds, start, stop)
        read_blocks.append(len(out))
        return out

    monkeypatch.setattr(_read.H5Reader, "rows", counting)
    import_hdf5(tmp_path / "raw.h5", tmp_path / "store")
    assert read_blocks == [1000] * 5  # never the whole dataset at once
    with ParquetIO(tmp_path / "store") as io:
        trace = io.read()["trace"]
        files = trace._blocks  # the store hands it over row group by row group
        assert sum(len(b) for b in files()) == 5000
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with h5py.File(tmp_path / "back.h5") as f:
        np.testing.assert_array_equal(f["trace"][()], values)
        assert f["trace"].dtype == np.int16


# -- what HDF5 cannot hold, and input that is not what it claims ---------------------------


def test_nulls_in_an_int_column_are_refused_naming_the_column(tmp_path: Path) -> None:
    t = DynamicTable(name="trials", description="d")
    t.add_column("count", "counts", data=[1, None, 3])
    with pytest.raises(UnsupportedHDF5Error, match=r"column 'count' of table 'trials'.*null"):
        export_hdf5(t, tmp_path / "t.h5")


def test_nulls_in_a_float_column_become_nan(tmp_path: Path) -> None:
    t = DynamicTable(name="trials", description="d")
    t.add_column("x", "x", data=[1.0, None])
    export_hdf5(t, tmp_path / "t.h5")
    with h5py.File(tmp_path / "t.h5") as f:
        assert np.isnan(f["x"][1])


def test_an_external_link_is_refused_naming_it(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["x"] = [1, 2]
    with h5py.File(tmp_path / "main.h5", "w") as f:
        f["ext"] = h5py.ExternalLink(str(tmp_path / "other.h5"), "/x")
    with (
        pytest.raises(UnsupportedHDF5Error, match=r"/ext .*external link"),
        HDF5IO(tmp_path / "main.h5") as io,
    ):
        io.read()


def test_region_references_are_read_as_region_cells(tmp_path: Path) -> None:
    # the full story (export, stores, selections, bad input) is in test_hdf5_regionref.py
    with h5py.File(tmp_path / "r.h5", "w") as f:
        f["x"] = np.arange(10)
        refs = f.create_dataset("refs", (1,), dtype=h5py.regionref_dtype)
        refs[0] = f["x"].regionref[2:5]
    with HDF5IO(tmp_path / "r.h5") as io:
        root = io.read()
        cell = root["refs"].to_arrow()[0].as_py()
        assert cell == {
            "object_id": root["x"].object_id,
            "selection": "hyperslabs",
            "coords": [2, 4],
        }


def test_a_file_that_is_not_hdf5_gets_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "fake.nwb").write_bytes(b"not hdf5 at all" * 100)
    assert not is_hdf5(tmp_path / "fake.nwb")
    with pytest.raises(UnsupportedHDF5Error, match=r"fake\.nwb is not an HDF5 file"):
        HDF5IO(tmp_path / "fake.nwb")
    with pytest.raises(UnsupportedHDF5Error, match="is a directory"):
        HDF5IO(tmp_path)


def test_an_unknown_type_without_cached_specs_is_named(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "u.h5", "w") as f:
        g = f.create_group("thing")
        g.attrs["data_type"] = "Gizmo"
        g.attrs["namespace"] = "ndx-gizmo"
    with pytest.raises(UnknownTypeError, match=r"/thing .*'Gizmo' of namespace 'ndx-gizmo'"):
        HDF5IO(tmp_path / "u.h5").read()


def test_writing_into_a_file_with_objects_is_refused_and_changes_nothing(
    nwb_file: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.nwb"
    copy.write_bytes(nwb_file.read_bytes())
    before = copy.read_bytes()
    t = DynamicTable(name="t", description="d")
    with (
        pytest.raises(UnsupportedHDF5Error, match="already holds objects"),
        HDF5IO(copy, "a") as io,
    ):
        io.write(t)
    with HDF5IO(copy) as io:  # still the file pynwb wrote
        assert "units" in io.read()
    assert len(copy.read_bytes()) == len(before)


def test_mode_w_minus_refuses_an_existing_file(nwb_file: Path) -> None:
    with pytest.raises(StoreExistsError, match="exists"):
        HDF5IO(nwb_file, "w-")


def test_a_dangling_link_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    elsewhere = SimpleMultiContainer("elsewhere")
    root = SimpleMultiContainer("root", [Link("to", elsewhere)])
    with pytest.raises(UnresolvedReferenceError, match="link 'to'"):
        export_hdf5(root, tmp_path / "l.h5")
    with pytest.raises(UnresolvedReferenceError, match="link 'to'"):
        write(root, tmp_path / "store")


# -- the untyped parts, and tables with more than columns ----------------------------------


def test_groups_scalars_and_links_survive_the_store_and_hdf5(tmp_path: Path) -> None:
    table = DynamicTable(name="t", description="d")
    table.add_column("x", "x", data=[1, 2])
    inner = Group("inner", [Dataset("when", "2024-01-01T00:00:00"), Dataset("n", np.int32(7))])
    root = SimpleMultiContainer(
        "root",
        [
            inner,
            table,
            Link("alias", table),
            Dataset("trace", np.arange(6, dtype=np.float32).reshape(3, 2), attributes={"u": "V"}),
        ],
    )
    export_hdf5(root, tmp_path / "a.h5")
    import_hdf5(tmp_path / "a.h5", tmp_path / "store")
    back = read(tmp_path / "store")
    assert back["alias"] is back["t"]
    assert back["inner"]["when"].data == "2024-01-01T00:00:00"
    assert back["inner"]["n"].data == 7
    assert back["trace"].data.dtype == np.float32
    assert back["trace"].attributes == {"u": "V"}
    export_hdf5(tmp_path / "store", tmp_path / "b.h5")
    with h5py.File(tmp_path / "b.h5") as f:
        assert f.get("alias", getlink=True).path == "/t"
        assert f["inner/n"][()] == 7
        assert "neurodata_type" not in f["inner"].attrs
        assert "data_type" not in f["inner"].attrs


def test_an_aligned_table_and_a_tables_members_survive_the_store(tmp_path: Path) -> None:
    aligned = AlignedDynamicTable(name="session", description="aligned")
    aligned.add_column("time", "seconds", dtype="float")
    neural = aligned.add_category_table(name="neural", description="spikes")
    neural.add_column("count", "spikes", dtype="int")
    aligned.add_row(time=1.0, neural={"count": 5})
    table = DynamicTable(name="t", description="d")
    table.add_column("x", "x", data=[1])
    table.members["note"] = Dataset("note", "hello")
    table.members["session"] = Link("session", aligned)
    export_hdf5(SimpleMultiContainer("root", [aligned, table]), tmp_path / "a.h5")
    import_hdf5(tmp_path / "a.h5", tmp_path / "store")
    with ParquetIO(tmp_path / "store", "a") as io:
        root = io.read()
        assert root["t"].members["note"].data == "hello"
        assert root["t"].members["session"].target is root["session"]
        root["session"].add_row(time=2.0, neural={"count": 6})
        io.write(root)
    frame = read(tmp_path / "store")["session"].to_dataframe()
    assert frame[("neural", "count")].tolist() == [5, 6]
    export_hdf5(tmp_path / "store", tmp_path / "b.h5")
    from hdmf.backends.hdf5 import HDF5IO as HdmfIO
    from hdmf.common import get_manager
    from hdmf.common import validate as hdmf_validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # hdmf: AlignedDynamicTable experimental
        warnings.filterwarnings("ignore", message="The inplace keyword")  # hdmf on pandas 3
        with HdmfIO(str(tmp_path / "b.h5"), "r", manager=get_manager()) as io:
            theirs = io.read()["session"]
            assert theirs.to_dataframe()[("neural", "count")].tolist() == [5, 6]
            assert hdmf_validate(io) == []


# -- validate and info on HDF5 files, progress --------------------------------------------


def test_validate_and_info_take_an_hdf5_file(nwb_file: Path) -> None:
    assert validate(str(nwb_file)) == []
    runner = CliRunner()
    result = runner.invoke(main, ["info", str(nwb_file)])
    assert result.exit_code == 0, result.output
    assert "units  Units  2 rows" in result.output
    assert "spike_times: list<item: double>" in result.output
    result = runner.invoke(main, ["validate", str(nwb_file)])
    assert result.exit_code == 0
    assert "valid" in result.output


def test_a_progress_bar_counts_the_bytes_copied(nwb_file: Path, tmp_path: Path) -> None:
    seen: list[int] = []
    from hdmf_arrow.io import hdf5

    real = hdf5._Progress.advance

    def advance(self: Any, nbytes: int) -> None:
        seen.append(nbytes)
        real(self, nbytes)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(hdf5._Progress, "advance", advance)
        import_hdf5(nwb_file, tmp_path / "store", progress=True)
    with h5py.File(nwb_file) as f:
        total = _read.dataset_bytes(f, source=str(nwb_file))
    assert sum(seen) >= total * 0.9  # every dataset's bytes, counted as they are copied


def test_a_failed_export_leaves_the_old_file_and_no_partial_file(tmp_path: Path) -> None:
    good = DynamicTable(name="t", description="d")
    good.add_column("x", "x", data=[1.0])
    export_hdf5(good, tmp_path / "t.h5")
    before = (tmp_path / "t.h5").read_bytes()
    bad = DynamicTable(name="t", description="d")
    bad.add_column("n", "n", data=[1, None])
    with pytest.raises(UnsupportedHDF5Error):
        export_hdf5(bad, tmp_path / "t.h5")
    assert (tmp_path / "t.h5").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.h5"]


def test_a_table_is_copied_in_blocks_and_comes_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(1)
    targets = DynamicTable(name="sites", description="d")
    targets.add_column("label", "l", data=[f"s{i}" for i in range(7)])
    t = DynamicTable(name="cells", description="d")
    n = 500
    t.add_column("x", "x", data=rng.random(n))
    t.add_column("label", "n", data=[f"c{i}" for i in range(n)])
    spikes = [list(rng.random(int(k))) for k in rng.integers(0, 6, n)]
    t.add_column("spikes", "s", data=spikes, index=True)
    bursts = [
        [[int(v)] * int(v % 3) for v in rng.integers(0, 9, int(k))] for k in rng.integers(0, 4, n)
    ]
    t.add_column("bursts", "b", data=bursts, index=2)
    t.add_column("site", "r", data=list(rng.integers(0, 7, n)), table=targets)
    t.add_column("kind", "k", data=[["a", "b", "c"][i % 3] for i in range(n)], enum=True)
    export_hdf5(SimpleMultiContainer("root", [targets, t]), tmp_path / "t.h5")
    with HDF5IO(tmp_path / "t.h5") as io:
        whole = io.read()["cells"].to_arrow()
    monkeypatch.setattr(_read, "BLOCK_BYTES", 2_000)  # dozens of blocks
    made: list[int] = []
    real = _read.H5Reader._table_blocks

    def counting(self: Any, *args: Any) -> Any:
        for block in real(self, *args):
            if args[0].name == "/cells":
                made.append(block.num_rows)
            yield block

    monkeypatch.setattr(_read.H5Reader, "_table_blocks", counting)
    import_hdf5(tmp_path / "t.h5", tmp_path / "store")
    assert len(made) > 10
    assert sum(made) == n
    back = read(tmp_path / "store")["cells"]
    assert back.to_arrow().equals(whole)
    assert back.to_dataframe(index=True).equals(t.to_dataframe(index=True))


# -- what a hostile review found: empty things, odd links, damaged files -------------------


def test_an_empty_dataset_imports_reads_and_exports(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "e.h5", "w") as f:
        f.create_dataset("empty", shape=(0,), dtype="f8")
        f.create_dataset("frames", shape=(0, 4, 4), dtype="u1")
    import_hdf5(tmp_path / "e.h5", tmp_path / "store")
    back = read(tmp_path / "store")
    assert back["empty"].shape == (0,)
    assert validate(tmp_path / "store") == []
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with h5py.File(tmp_path / "back.h5") as f:
        assert f["empty"].shape == (0,)
        assert f["frames"].shape == (0, 4, 4)


def test_an_empty_table_pynwb_wrote_keeps_its_columns(tmp_path: Path) -> None:
    from pynwb import NWBHDF5IO, NWBFile
    from pynwb.epoch import TimeIntervals

    nwb = NWBFile(
        session_description="d", identifier="i", session_start_time=datetime(2024, 1, 1, tzinfo=UTC)
    )
    nwb.add_time_intervals(TimeIntervals(name="epochs_x", description="none yet"))
    with NWBHDF5IO(str(tmp_path / "e.nwb"), "w") as io:
        io.write(nwb)
    import_hdf5(tmp_path / "e.nwb", tmp_path / "store")
    table = read(tmp_path / "store")["intervals"]["epochs_x"]
    assert table.colnames == ("start_time", "stop_time")
    assert len(table) == 0
    assert validate(tmp_path / "store") == []


def test_info_describes_an_imported_store(nwb_file: Path, tmp_path: Path) -> None:
    import_hdf5(nwb_file, tmp_path / "store")
    result = CliRunner().invoke(main, ["info", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "session_description  dataset  = 'bridge'" in result.output
    assert "device  link -> " in result.output


def test_relative_and_chained_soft_links_resolve_and_a_cycle_is_named(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "l.h5", "w") as f:
        g = f.create_group("g")
        g["d"] = [1, 2, 3]
        g["rel"] = h5py.SoftLink("d")
        f["chain"] = h5py.SoftLink("/g/rel")
    with HDF5IO(tmp_path / "l.h5") as io:
        root = io.read()
        assert root["g"]["rel"] is root["g"]["d"]
        assert root["chain"] is root["g"]["d"]
    with h5py.File(tmp_path / "c.h5", "w") as f:
        f["a"] = h5py.SoftLink("/b")
        f["b"] = h5py.SoftLink("/a")
    with pytest.raises(UnresolvedReferenceError, match="cycle"), HDF5IO(tmp_path / "c.h5") as io:
        io.read()


def test_an_attribute_that_is_not_utf8_is_refused_at_import(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "b.h5", "w") as f:
        f.attrs["note"] = np.bytes_(b"caf\xe9")
    with pytest.raises(UnsupportedHDF5Error, match=r"attribute 'note' .*not UTF-8"):
        import_hdf5(tmp_path / "b.h5", tmp_path / "store")
    assert not (tmp_path / "store").exists()


def _colnames_naming_a_group(f: h5py.File) -> None:
    t = f.create_group("t")
    t.attrs.update(data_type="DynamicTable", namespace="hdmf-common", colnames=["a"])
    t.attrs["description"] = "d"
    t["id"] = np.arange(2)
    t.create_group("a")


def _float_ids(f: h5py.File) -> None:
    t = f.create_group("t")
    t.attrs.update(data_type="DynamicTable", namespace="hdmf-common", colnames=["a"])
    t.attrs["description"] = "d"
    t["id"] = np.array([0.5, 1.5])
    t["a"] = np.arange(2)


def _a_column_too_short(f: h5py.File) -> None:
    t = f.create_group("t")
    t.attrs.update(data_type="DynamicTable", namespace="hdmf-common", colnames=["a"])
    t.attrs["description"] = "d"
    t["id"] = np.arange(3)
    t["a"] = np.arange(5)


def _zero_width_axis(f: h5py.File) -> None:
    f.create_dataset("x", shape=(3, 0), dtype="f8")


@pytest.mark.parametrize(
    ("build", "found"),
    [
        (_colnames_naming_a_group, "/t of .* cannot be read"),
        (_float_ids, "its 'id' must be a 1-D integer dataset, found float64"),
        (_a_column_too_short, "column 'a' of table 't' has 5 rows, its 'id' 3"),
        (_zero_width_axis, r"/x of .*shape \(3, 0\)"),
    ],
)
def test_a_damaged_file_gets_an_error_naming_the_object(
    tmp_path: Path, build: Any, found: str
) -> None:
    with h5py.File(tmp_path / "bad.h5", "w") as f:
        build(f)
    with pytest.raises((SchemaMismatchError, UnsupportedHDF5Error), match=found):
        import_hdf5(tmp_path / "bad.h5", tmp_path / "store")
    result = CliRunner().invoke(main, ["convert", str(tmp_path / "bad.h5"), str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "internal error" not in result.output
    assert not (tmp_path / "s").exists()


def test_convert_names_a_missing_source_and_a_file_as_store(nwb_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["convert", str(tmp_path / "nosuch.nwb"), str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
    result = runner.invoke(main, ["convert", str(nwb_file), str(tmp_path / "out.h5")])
    assert result.exit_code == 2
    assert "DESTINATION is a store" in result.output
    assert not (tmp_path / "out.h5").exists()


def test_data_used_after_the_file_is_closed_says_so(nwb_file: Path) -> None:
    with HDF5IO(nwb_file) as io:
        units = io.read()["units"]
    with pytest.raises(UnsupportedHDF5Error, match="was closed"):
        units["spike_times"].data  # noqa: B018


def test_a_large_table_copied_in_blocks_is_split_into_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_read, "BLOCK_BYTES", 4_000)  # dozens of blocks
    rng = np.random.default_rng(2)
    t = DynamicTable(name="cells", description="d")
    n = 3000
    t.add_column("x", "x", data=rng.random(n))
    t.add_column(
        "spikes", "s", data=[list(rng.random(int(k))) for k in rng.integers(0, 9, n)], index=True
    )
    export_hdf5(SimpleMultiContainer("root", [t]), tmp_path / "t.h5")
    options = ParquetOptions(max_file_bytes=20_000)
    import_hdf5(tmp_path / "t.h5", tmp_path / "store", options=options)
    files = hdmf_arrow.data_files(tmp_path / "store", "cells")
    assert len(files) > 2
    rows = np.concatenate([pq.read_table(f, columns=["_row"])["_row"].to_numpy() for f in files])
    assert rows.tolist() == list(range(n))
    back = read(tmp_path / "store")["cells"]
    assert back.to_dataframe(index=True).equals(t.to_dataframe(index=True))
    assert validate(tmp_path / "store") == []
