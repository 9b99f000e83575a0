"""NWB files through the HDF5 bridge, with pynwb 4.2 as the oracle.

pynwb writes a small session (tests/_nwb_files.py: electrodes, units, trials, an
ElectricalSeries, a processing module with a plain DynamicTable, subject, devices and an
extension type). Then:

- ``import_hdf5`` puts it in a store; every table read from the store gives the DataFrame pynwb
  gives (cells compared as ``_nwb_files.assert_frames_match`` says), and polars and DuckDB read
  the stored tables' Parquet files with no hdmf-arrow code;
- ``HDF5IO(path, "r")`` reads the pynwb file directly, with the same result;
- the store (and the tree read from it) exported back to HDF5 is a file pynwb reads to the same
  objects as the original and ``pynwb.validate`` accepts;
- ``hdmf-arrow convert`` does both directions from the shell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import fsspec
import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest
from _nwb_files import (
    EXTENSION,
    EXTENSION_TYPE,
    N_ELECTRODES,
    OBS_INTERVALS,
    QUALITY,
    SERIES_DATA,
    SERIES_ELECTRODES,
    SERIES_RATE,
    SESSION_START,
    SPIKE_TIMES,
    TRIALS,
    UNIT_ELECTRODES,
    assert_frames_match,
    make_nwb,
    tetrode_table_class,
)
from click.testing import CliRunner

import hdmf_arrow
from hdmf_arrow import HDF5IO, export_hdf5, import_hdf5
from hdmf_arrow.cli import main
from hdmf_arrow.common import DynamicTable

h5py = pytest.importorskip("h5py")
pynwb = pytest.importorskip("pynwb")
hdmf_common = pytest.importorskip("hdmf.common")

# every table of the file: its path in our tree and in the store, and how pynwb reaches it
TABLES: dict[str, Callable[[Any], Any]] = {
    "general/extracellular_ephys/electrodes": lambda f: f.electrodes,
    "units": lambda f: f.units,
    "intervals/trials": lambda f: f.trials,
    "processing/behavior/events": lambda f: f.processing["behavior"]["events"],
    "processing/ecephys/tetrodes": lambda f: f.processing["ecephys"]["tetrodes"],
}


def at(root: Any, path: str) -> Any:
    """The container at ``path`` ("a/b/c") below ``root``, by name."""
    node = root
    for part in path.split("/"):
        node = node[part]
    return node


def tables_below(node: Any, prefix: str = "", seen: set[int] | None = None) -> dict[str, Any]:
    """Every DynamicTable in our tree, by path (each container visited once)."""
    seen = set() if seen is None else seen
    found: dict[str, Any] = {}
    for child in node.children:
        if id(child) in seen:
            continue
        seen.add(id(child))
        path = f"{prefix}{child.name}"
        if isinstance(child, DynamicTable):
            found[path] = child
        found.update(tables_below(child, f"{path}/", seen))
    return found


# -- the file, and what pynwb reads from it ---------------------------------------------------


@pytest.fixture(scope="module")
def nwb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_nwb(tmp_path_factory.mktemp("nwb") / "session.nwb")


@pytest.fixture(scope="module")
def theirs(nwb_path: Path) -> Iterator[Any]:
    """pynwb's NWBFile of the original file (its io open for the module)."""
    with pynwb.NWBHDF5IO(str(nwb_path), "r") as io:
        yield io.read()


@pytest.fixture(scope="module")
def imported(nwb_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    location = tmp_path_factory.mktemp("store") / "session.hdmf"
    return location, import_hdf5(nwb_path, location)


@pytest.fixture(scope="module")
def location(imported: tuple[Path, int]) -> Path:
    return imported[0]


@pytest.fixture(scope="module")
def ours(location: Path) -> Any:
    return hdmf_arrow.read(location)


# -- the imported store ------------------------------------------------------------------------


def test_import_commits_the_first_version(imported: tuple[Path, int]) -> None:
    location, version = imported
    assert version == 1
    assert (location / "_hdmf" / "versions").is_dir()


def test_the_imported_store_validates(location: Path) -> None:
    assert hdmf_arrow.validate(location) == []


def test_import_into_a_memory_store(nwb_path: Path, memory_url: str, theirs: Any) -> None:
    assert import_hdf5(nwb_path, memory_url) == 1
    units = hdmf_arrow.read(memory_url)["units"]
    assert_frames_match(units.to_dataframe(index=True), theirs.units.to_dataframe(index=True))
    (file,) = hdmf_arrow.data_files(memory_url, "units")
    assert file.startswith("memory://")
    with fsspec.open(file, "rb") as f:  # polars has no fsspec memory://; pyarrow reads it
        assert pq.read_table(f)["spike_times"].to_pylist() == SPIKE_TIMES


def test_the_root_is_the_nwbfile(ours: Any, theirs: Any) -> None:
    assert type(ours).__name__ == "NWBFile"
    assert ours.data_type == "NWBFile"
    assert ours.name == "root"
    assert ours.object_id == theirs.object_id


@pytest.mark.parametrize("index", [True, False], ids=["index=True", "index=False"])
@pytest.mark.parametrize("path", list(TABLES))
def test_every_table_gives_the_dataframe_pynwb_gives(
    ours: Any, theirs: Any, path: str, index: bool
) -> None:
    mine, other = at(ours, path), TABLES[path](theirs)
    # pynwb's types name their data type neurodata_type (data_type is hdmf's base type name)
    assert mine.data_type == getattr(other, "neurodata_type", other.data_type)
    assert mine.object_id == other.object_id
    assert mine.colnames == tuple(other.colnames)
    assert len(mine) == len(other)
    assert_frames_match(mine.to_dataframe(index=index), other.to_dataframe(index=index), what=path)


def test_every_table_of_the_file_is_imported(ours: Any, theirs: Any) -> None:
    found = tables_below(ours)
    assert sorted(found) == sorted(TABLES)
    in_pynwb = {
        o.object_id for o in theirs.objects.values() if isinstance(o, hdmf_common.DynamicTable)
    }
    assert {t.object_id for t in found.values()} == in_pynwb


def test_the_cells_pynwb_wrote(ours: Any) -> None:
    """The values themselves, against what tests/_nwb_files.py put in (not only pynwb's view)."""
    units = ours["units"].to_dataframe(index=True)
    assert [list(c) for c in units["spike_times"]] == SPIKE_TIMES
    assert [list(c) for c in units["electrodes"]] == UNIT_ELECTRODES
    assert [[list(i) for i in c] for c in units["obs_intervals"]] == OBS_INTERVALS
    assert list(units["quality"]) == QUALITY
    assert np.stack(units["waveform_mean"].to_list()).shape == (4, 5)
    trials = at(ours, "intervals/trials").to_dataframe(index=True)
    assert list(trials.itertuples(index=False, name=None)) == TRIALS
    assert trials["correct"].dtype == np.bool_


def test_an_object_reference_column_holds_object_ids(ours: Any, theirs: Any) -> None:
    electrodes = ours["general"]["extracellular_ephys"]["electrodes"]
    cells = list(electrodes.to_dataframe(index=True)["group"])
    assert cells == [g.object_id for g in theirs.electrodes["group"].data[:]]
    shanks = [ours["general"]["extracellular_ephys"][f"shank{i}"].object_id for i in range(2)]
    assert cells == [shanks[i % 2] for i in range(N_ELECTRODES)]


def test_a_soft_link_gives_its_target(ours: Any, theirs: Any) -> None:
    device = ours["general"]["extracellular_ephys"]["shank0"]["device"]
    assert device.object_id == theirs.devices["probe"].object_id
    assert device is ours["general"]["devices"]["probe"]


def test_the_electrical_series(ours: Any) -> None:
    es = ours["acquisition"]["es"]
    data = es["data"].data
    assert isinstance(data, np.ndarray)
    assert data.dtype == SERIES_DATA.dtype
    np.testing.assert_array_equal(data, SERIES_DATA)
    region = es["electrodes"]
    assert region.data_type == "DynamicTableRegion"
    assert np.asarray(region.data).tolist() == SERIES_ELECTRODES
    assert region.table is ours["general"]["extracellular_ephys"]["electrodes"]


def test_the_extension_type_comes_back_as_its_class(ours: Any) -> None:
    tetrodes = at(ours, "processing/ecephys/tetrodes")
    assert isinstance(tetrodes, DynamicTable)
    assert type(tetrodes).__name__ == EXTENSION_TYPE
    assert (tetrodes.data_type, tetrodes.namespace) == (EXTENSION_TYPE, EXTENSION)
    assert tetrodes.probe == "tetrode-4x"
    assert tetrodes["channels"].data.dtype == np.int32


def test_polars_reads_the_stored_tables(location: Path, theirs: Any) -> None:
    for path, get in TABLES.items():
        frame = pl.read_parquet(hdmf_arrow.data_files(location, path))
        assert frame.height == len(get(theirs)), path
        assert frame["id"].to_list() == get(theirs).id.data[:].tolist(), path
    units = pl.read_parquet(hdmf_arrow.data_files(location, "units"))
    assert units["spike_times"].to_list() == SPIKE_TIMES
    assert units["electrodes"].to_list() == UNIT_ELECTRODES
    assert units["obs_intervals"].to_list() == OBS_INTERVALS
    assert units["quality"].to_list() == QUALITY
    assert units["waveform_mean"].to_list() == theirs.units["waveform_mean"].data[:].tolist()
    electrodes = pl.read_parquet(
        hdmf_arrow.data_files(location, "general/extracellular_ephys/electrodes")
    )
    assert electrodes["label"].to_list() == [f"e{i}" for i in range(N_ELECTRODES)]
    assert electrodes["impedance"].to_list() == [1e5 + i for i in range(N_ELECTRODES)]
    # an object reference is the object id of its target, as text
    assert electrodes["group"].to_list() == [g.object_id for g in theirs.electrodes["group"][:]]


def test_duckdb_queries_the_stored_tables(location: Path) -> None:
    trials = hdmf_arrow.data_files(location, "intervals/trials")
    got = duckdb.execute(
        "SELECT side, count(*), sum(contrast), bool_and(correct) FROM read_parquet(?) "
        "GROUP BY side ORDER BY side",
        [trials],
    ).fetchall()
    assert got == [("left", 2, 0.75, True), ("right", 1, 1.0, False)]
    # a region holds row positions: DuckDB follows units.electrodes to the electrodes' labels
    units = hdmf_arrow.data_files(location, "units")
    electrodes = hdmf_arrow.data_files(location, "general/extracellular_ephys/electrodes")
    assert len(electrodes) == 1  # one file: its row numbers are the row positions
    got = duckdb.execute(
        "SELECT u.id, list_sort(list(e.label)) FROM "
        "(SELECT id, unnest(electrodes) AS pos FROM read_parquet(?)) u JOIN "
        "(SELECT file_row_number AS pos, label FROM read_parquet(?, file_row_number = true)) e "
        "USING (pos) GROUP BY u.id ORDER BY u.id",
        [units, electrodes],
    ).fetchall()
    assert got == [(0, ["e0", "e1"]), (1, ["e2"]), (3, ["e3", "e4", "e5"])]


# -- HDF5IO("r"): the pynwb file read directly, no store ---------------------------------------


def test_hdf5io_reads_the_pynwb_file_directly(nwb_path: Path, theirs: Any) -> None:
    with HDF5IO(nwb_path, "r") as io:
        root = io.read()
        assert type(root).__name__ == "NWBFile"
        for path, get in TABLES.items():
            mine = at(root, path)
            assert mine.object_id == get(theirs).object_id
            assert_frames_match(
                mine.to_dataframe(index=True), get(theirs).to_dataframe(index=True), what=path
            )
        np.testing.assert_array_equal(root["acquisition"]["es"]["data"].data, SERIES_DATA)
        assert type(at(root, "processing/ecephys/tetrodes")).__name__ == EXTENSION_TYPE


# -- export: pynwb reads what we write ---------------------------------------------------------


def _export_the_store(location: Path, root: Any, out: Path) -> None:
    export_hdf5(location, out)


def _export_the_tree(location: Path, root: Any, out: Path) -> None:
    export_hdf5(root, out)


def _write_with_hdf5io(location: Path, root: Any, out: Path) -> None:
    with HDF5IO(out, "w") as io:
        io.write(root)


EXPORTS: dict[str, Callable[[Path, Any, Path], None]] = {
    "export_hdf5(store)": _export_the_store,
    "export_hdf5(tree)": _export_the_tree,
    "HDF5IO.write": _write_with_hdf5io,
}


@pytest.fixture(scope="module", params=list(EXPORTS))
def exported(
    request: pytest.FixtureRequest,
    location: Path,
    ours: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    out = tmp_path_factory.mktemp("export") / "session.nwb"
    EXPORTS[request.param](location, ours, out)
    return out


@pytest.fixture(scope="module")
def reread(exported: Path) -> Iterator[Any]:
    """pynwb's NWBFile of an exported file."""
    with pynwb.NWBHDF5IO(str(exported), "r") as io:
        yield io.read()


@pytest.mark.parametrize("path", list(TABLES))
def test_pynwb_reads_the_same_tables(reread: Any, theirs: Any, path: str) -> None:
    back, original = TABLES[path](reread), TABLES[path](theirs)
    assert type(back) is type(original)
    assert back.object_id == original.object_id
    assert back.description == original.description
    assert_frames_match(back.to_dataframe(index=True), original.to_dataframe(index=True), what=path)
    assert_frames_match(back.to_dataframe(), original.to_dataframe(), what=path)


def test_pynwb_reads_the_same_session(reread: Any, theirs: Any) -> None:
    assert reread.object_id == theirs.object_id
    assert reread.session_description == theirs.session_description
    assert reread.identifier == theirs.identifier
    assert reread.session_start_time == theirs.session_start_time == SESSION_START
    assert reread.timestamps_reference_time == theirs.timestamps_reference_time
    assert list(reread.experimenter) == list(theirs.experimenter)
    assert (reread.lab, reread.institution) == (theirs.lab, theirs.institution)


def test_pynwb_reads_the_same_series(reread: Any, theirs: Any) -> None:
    back, original = reread.acquisition["es"], theirs.acquisition["es"]
    assert type(back) is pynwb.ecephys.ElectricalSeries
    assert back.object_id == original.object_id
    assert back.data.dtype == original.data.dtype
    np.testing.assert_array_equal(back.data[:], original.data[:])
    assert (
        (back.rate, back.starting_time)
        == (original.rate, original.starting_time)
        == (
            SERIES_RATE,
            0.5,
        )
    )
    assert (back.conversion, back.unit, back.description) == (
        original.conversion,
        original.unit,
        original.description,
    )
    assert back.electrodes.data[:].tolist() == SERIES_ELECTRODES
    assert back.electrodes.table is reread.electrodes


def test_pynwb_reads_the_same_subject_and_devices(reread: Any, theirs: Any) -> None:
    fields = ("subject_id", "species", "sex", "age", "description")
    assert [getattr(reread.subject, f) for f in fields] == [
        getattr(theirs.subject, f) for f in fields
    ]
    assert sorted(reread.devices) == sorted(theirs.devices) == ["camera", "probe"]
    for name, device in theirs.devices.items():
        assert reread.devices[name].description == device.description
        assert reread.devices[name].object_id == device.object_id
    for name, group in theirs.electrode_groups.items():
        assert reread.electrode_groups[name].device is reread.devices[group.device.name]
        assert reread.electrode_groups[name].location == group.location


def test_pynwb_reads_the_extension_type(reread: Any) -> None:
    tetrodes = reread.processing["ecephys"]["tetrodes"]
    assert type(tetrodes) is tetrode_table_class()
    assert tetrodes.probe == "tetrode-4x"
    assert tetrodes["channels"].data.dtype == np.int32


def test_pynwb_validate_finds_nothing(exported: Path) -> None:
    assert pynwb.validate(path=str(exported)) == []


def _layout(path: Path) -> dict[str, tuple[Any, ...]]:
    """Every group and dataset outside /specifications: its kind, attribute names, and for a
    dataset its shape and dtype (text as "text", whatever its HDF5 string type)."""
    out: dict[str, tuple[Any, ...]] = {}

    def visit(name: str, obj: Any) -> None:
        if name.startswith("specifications"):
            return
        attrs = tuple(sorted(obj.attrs))
        if isinstance(obj, h5py.Dataset):
            text = h5py.check_string_dtype(obj.dtype) is not None
            out[name] = ("dataset", attrs, obj.shape, "text" if text else str(obj.dtype))
        else:
            out[name] = ("group", attrs)

    with h5py.File(path, "r") as f:
        f.visititems(visit)
        out["/"] = ("group", tuple(sorted(f.attrs)))
    return out


def test_the_export_has_the_layout_pynwb_wrote(exported: Path, nwb_path: Path) -> None:
    mine, original = _layout(exported), _layout(nwb_path)
    problems = [
        f"{name}: ours {mine.get(name)}, pynwb {original.get(name)}"
        for name in sorted(set(mine) | set(original))
        if mine.get(name) != original.get(name)
    ]
    assert not problems, "\n".join(problems)


def test_the_export_caches_the_namespaces(exported: Path) -> None:
    with h5py.File(exported, "r") as f:
        assert {"core", "hdmf-common", EXTENSION} <= set(f["specifications"])
        assert f[f.attrs[".specloc"]].name == "/specifications"


# -- the command line --------------------------------------------------------------------------


def test_convert_both_ways(nwb_path: Path, theirs: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    store, out = tmp_path / "session.hdmf", tmp_path / "back.nwb"
    result = runner.invoke(main, ["convert", str(nwb_path), str(store), "--no-progress"])
    assert result.exit_code == 0, result.output
    units = hdmf_arrow.read(store)["units"]
    assert_frames_match(units.to_dataframe(index=True), theirs.units.to_dataframe(index=True))

    result = runner.invoke(main, ["convert", str(store), str(out), "--progress"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with pynwb.NWBHDF5IO(str(out), "r") as io:
        back = io.read()
        for path, get in TABLES.items():
            assert_frames_match(
                get(back).to_dataframe(index=True), get(theirs).to_dataframe(index=True), what=path
            )


def test_convert_a_missing_source_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.nwb"
    result = CliRunner().invoke(main, ["convert", str(missing), str(tmp_path / "store")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "error:" in result.stderr
    assert "missing.nwb" in result.stderr
    assert not (tmp_path / "store").exists()
