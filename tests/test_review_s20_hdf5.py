"""Hostile review (session 20) of HDF5 import and export: damaged files, odd but valid HDF5,
NWB features the other HDF5 tests do not build, and dtypes through hdmf and pynwb.

Each test not marked ``# coverage`` failed before its fix (session 20);
tests marked ``# coverage`` pass and cover a case no other test builds.
"""

from __future__ import annotations

import datetime
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _nwb_files import assert_frames_match, make_nwb
from click.testing import CliRunner

import hdmf_arrow
from hdmf_arrow import HDF5IO, ParquetIO, export_hdf5, import_hdf5
from hdmf_arrow.cli import main
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import HdmfArrowError, UnsupportedHDF5Error

h5py = pytest.importorskip("h5py")
pynwb = pytest.importorskip("pynwb")
hdmf_common = pytest.importorskip("hdmf.common")

START = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
DTYPES = [
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "bool",
]  # fmt: skip


def _values(dtype: str) -> np.ndarray:
    if dtype == "bool":
        return np.array([True, False, True])
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        return np.array([info.min, 1, info.max], dtype=dtype)
    return np.array([-1.5, 0.0, np.finfo(dtype).max], dtype=dtype)


def _nwbfile() -> Any:
    return pynwb.NWBFile(session_description="review", identifier="review-1",
                         session_start_time=START)  # fmt: skip


def _pynwb_write(nwb: Any, path: Path) -> Path:
    with pynwb.NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return path


def _corrupt_header(path: Path, obj: str) -> None:
    """Overwrite the object header of ``obj`` with garbage (the superblock stays good)."""
    with h5py.File(path, "r") as f:
        address = h5py.h5o.get_info(f[obj].id).addr
    raw = bytearray(path.read_bytes())
    raw[address : address + 64] = b"\xab" * 64
    path.write_bytes(bytes(raw))


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_nwb(tmp_path_factory.mktemp("nwb") / "session.nwb")


# -- damaged input -------------------------------------------------------------------------


def test_a_corrupt_object_header_gets_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.h5"
    with h5py.File(path, "w") as f:
        f.create_group("g")["x"] = np.arange(10)
    _corrupt_header(path, "g/x")
    with pytest.raises(HdmfArrowError, match=r"bad\.h5"):
        import_hdf5(path, tmp_path / "store")
    assert not (tmp_path / "store").exists()
    result = CliRunner().invoke(main, ["convert", str(path), str(tmp_path / "cli.hdmf")])
    assert result.exit_code == 2
    assert "internal error" not in result.output


def test_a_truncated_file_gets_an_error_naming_it(session: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.nwb"
    path.write_bytes(session.read_bytes()[: session.stat().st_size // 2])
    with pytest.raises(HdmfArrowError) as info:
        import_hdf5(path, tmp_path / "store")
    assert str(path) in str(info.value)
    assert not (tmp_path / "store").exists()


def test_a_failed_import_leaves_no_half_written_store(tmp_path: Path) -> None:
    small = DynamicTable(name="a", description="d")
    small.add_column("y", "y", data=np.arange(5))
    table = DynamicTable(name="t", description="d")
    table.add_column("x", "x", data=np.arange(1000.0))
    path = tmp_path / "c.h5"
    export_hdf5(SimpleMultiContainer("root", [small, table]), path)
    with h5py.File(path, "a") as f:  # x again, compressed in chunks
        x, attrs = f["t/x"][()], dict(f["t/x"].attrs)
        del f["t/x"]
        ds = f.create_dataset("t/x", data=x, chunks=(100,), compression="gzip")
        ds.attrs.update(attrs)
    with h5py.File(path, "r") as f:
        chunk = f["t/x"].id.get_chunk_info(3)
    raw = bytearray(path.read_bytes())
    raw[chunk.byte_offset : chunk.byte_offset + chunk.size] = b"\x00" * chunk.size
    path.write_bytes(bytes(raw))
    with pytest.raises(HdmfArrowError, match=r"/t/x"):
        import_hdf5(path, tmp_path / "store")
    leftovers = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "store" in str(p))
    assert leftovers == []


# -- valid HDF5 that is refused ------------------------------------------------------------


@pytest.mark.parametrize("dtype", [">i4", ">f8", ">u2"])
def test_big_endian_datasets_import_and_export(tmp_path: Path, dtype: str) -> None:
    values = np.arange(6).reshape(3, 2).astype(dtype)
    with h5py.File(tmp_path / "be.h5", "w") as f:
        f["x"] = values
    import_hdf5(tmp_path / "be.h5", tmp_path / "store")
    back = hdmf_arrow.read(tmp_path / "store")["x"].data
    np.testing.assert_array_equal(back, values)
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with h5py.File(tmp_path / "back.h5") as f:
        np.testing.assert_array_equal(f["x"][()], values)
        assert f["x"].dtype.kind == np.dtype(dtype).kind


def _fixed(f: h5py.File) -> None:
    f["x"] = np.array(["ü".encode(), b"ab"], dtype="S4")


def _vlen_ascii(f: h5py.File) -> None:
    f.create_dataset("x", data=np.array(["ü".encode(), b"ab"], dtype=object),
                     dtype=h5py.string_dtype("ascii"))  # fmt: skip


def _scalar_bytes(f: h5py.File) -> None:
    f["x"] = np.bytes_("ü".encode())


@pytest.mark.parametrize("build", [_fixed, _vlen_ascii, _scalar_bytes])
def test_ascii_typed_text_holding_utf8_imports(tmp_path: Path, build: Any) -> None:
    with h5py.File(tmp_path / "t.h5", "w") as f:
        build(f)
        f.attrs["same_bytes"] = np.array(["ü".encode()], dtype="S4")  # imports today
    import_hdf5(tmp_path / "t.h5", tmp_path / "store")
    back = hdmf_arrow.read(tmp_path / "store")
    data = back["x"].data
    assert (data if isinstance(data, str) else next(iter(data))) == "ü"
    assert back.attributes["same_bytes"] == ["ü"]


def test_an_image_series_with_an_external_file_round_trips(tmp_path: Path) -> None:
    from pynwb.image import ImageSeries

    nwb = _nwbfile()
    movie = ImageSeries(
        name="movie",
        external_file=["a.mp4", "b ü.mp4"],
        starting_frame=[0, 5],
        format="external",
        rate=30.0,
        unit="n/a",
        num_samples=10,
    )
    nwb.add_acquisition(movie)
    path = _pynwb_write(nwb, tmp_path / "movie.nwb")
    import_hdf5(path, tmp_path / "store")
    export_hdf5(tmp_path / "store", tmp_path / "back.nwb")
    with pynwb.NWBHDF5IO(str(tmp_path / "back.nwb"), "r") as io:
        movie = io.read().acquisition["movie"]
        assert list(movie.external_file[:]) == ["a.mp4", "b ü.mp4"]
        assert list(movie.starting_frame[:]) == [0, 5]
        assert movie.data.shape == (0, 0, 0)


def test_a_null_dataspace_dataset_is_imported_or_refused_clearly(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "e.h5", "w") as f:
        f["nothing"] = h5py.Empty("f8")
        f["x"] = [1.0]
    try:
        import_hdf5(tmp_path / "e.h5", tmp_path / "store")
    except UnsupportedHDF5Error as exc:  # refused as what it is: fine
        assert "TypeError" not in str(exc)  # noqa: PT017
        assert "/nothing" in str(exc)  # noqa: PT017
    else:
        assert hdmf_arrow.read(tmp_path / "store")["x"].data.tolist() == [1.0]


# -- what a round trip changes silently ----------------------------------------------------


def test_a_compound_attribute_is_kept_or_refused(tmp_path: Path) -> None:
    value = np.array([(1, 2.0)], dtype=[("p", "i4"), ("q", "f8")])
    with h5py.File(tmp_path / "c.h5", "w") as f:
        f.attrs["pair"] = value
    try:
        import_hdf5(tmp_path / "c.h5", tmp_path / "store")
    except UnsupportedHDF5Error as exc:
        assert "pair" in str(exc)  # noqa: PT017
        return
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with h5py.File(tmp_path / "back.h5") as f:
        back = f.attrs["pair"]
        assert back.dtype.names == ("p", "q")
        assert back.tolist() == value.tolist()


def test_an_empty_numeric_attribute_stays_numeric(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "a.h5", "w") as f:
        f.attrs["offsets"] = np.zeros((0,), dtype="f8")
    import_hdf5(tmp_path / "a.h5", tmp_path / "store")
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with h5py.File(tmp_path / "back.h5") as f:
        back = f.attrs["offsets"]
        assert back.shape == (0,)
        assert h5py.check_string_dtype(back.dtype) is None
        assert back.dtype.kind in "iuf"


# -- the public entry points given wrong paths ---------------------------------------------


def test_export_into_a_missing_folder_names_the_target(tmp_path: Path) -> None:
    table = DynamicTable(name="t", description="d")
    table.add_column("x", "x", data=[1, 2])
    with pytest.raises(FileNotFoundError) as info:
        export_hdf5(table, tmp_path / "nope" / "out.h5")
    assert str(tmp_path / "nope" / "out.h5") in str(info.value)
    assert ".partial" not in str(info.value)


def test_import_onto_an_existing_file_is_refused_clearly(session: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.nwb"
    target.write_bytes(session.read_bytes())
    before = target.read_bytes()
    with pytest.raises(HdmfArrowError, match=r"copy\.nwb"):
        import_hdf5(session, target)
    assert target.read_bytes() == before


# -- coverage: cases no other test builds ---------------------------------------------------


# coverage
@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_round_trips_through_hdmf(tmp_path: Path, dtype: str) -> None:
    values = _values(dtype)
    table = DynamicTable(name="t", description="d")
    table.add_column("x", "x", data=values)
    export_hdf5(table, tmp_path / "a.h5")
    import_hdf5(tmp_path / "a.h5", tmp_path / "store")
    assert hdmf_arrow.read(tmp_path / "store")["x"].data.dtype == np.dtype(dtype)
    export_hdf5(tmp_path / "store", tmp_path / "b.h5")
    for path in (tmp_path / "a.h5", tmp_path / "b.h5"):
        with hdmf_common.get_hdf5io(str(path), "r") as io:
            frame = io.read().to_dataframe()
            assert frame["x"].dtype == np.dtype(dtype)
            np.testing.assert_array_equal(frame["x"].to_numpy(), values)


# coverage
def test_every_dtype_added_in_a_store_reads_in_pynwb(session: Path, tmp_path: Path) -> None:
    import_hdf5(session, tmp_path / "store")
    with ParquetIO(tmp_path / "store", "a") as io:
        root = io.read()
        trials = root["intervals"]["trials"]
        for dtype in DTYPES:
            trials.add_column(f"c_{dtype}", dtype, data=_values(dtype))
        io.write(root)
    export_hdf5(tmp_path / "store", tmp_path / "back.nwb")
    with pynwb.NWBHDF5IO(str(tmp_path / "back.nwb"), "r") as io:
        frame = io.read().trials.to_dataframe()
    for dtype in DTYPES:
        assert frame[f"c_{dtype}"].dtype == np.dtype(dtype), dtype
        np.testing.assert_array_equal(frame[f"c_{dtype}"].to_numpy(), _values(dtype))
    assert pynwb.validate(path=str(tmp_path / "back.nwb")) == []


def _rich_nwb(path: Path) -> Path:
    """Links between series, an LFP series with an electrodes region in a processing module, an
    empty table, units with waveforms (doubly ragged), epochs with tags and timeseries
    references, Images with ImageReferences, trials with bool/str/float32 columns."""
    from pynwb.base import ImageReferences, Images
    from pynwb.ecephys import LFP, ElectricalSeries
    from pynwb.image import GrayscaleImage

    nwb = _nwbfile()
    device = nwb.create_device("probe")
    group = nwb.create_electrode_group("shank", "s", "CA1", device)
    for _ in range(4):
        nwb.add_electrode(group=group, location="CA1")
    raw = pynwb.TimeSeries(name="raw", data=np.arange(6.0), timestamps=np.linspace(0, 1, 6),
                           unit="V")  # fmt: skip
    nwb.add_acquisition(raw)
    nwb.add_acquisition(pynwb.TimeSeries(name="same_time", data=np.arange(6.0) * 2,
                                         timestamps=raw, unit="V"))  # fmt: skip
    nwb.add_acquisition(pynwb.TimeSeries(name="same_data", data=raw, rate=10.0, unit="V"))
    ecephys = nwb.create_processing_module("ecephys", "e")
    region = nwb.create_electrode_table_region([0, 2], "two")
    lfp = ElectricalSeries(
        name="lfp", data=np.arange(10.0).reshape(5, 2), electrodes=region, rate=100.0
    )
    ecephys.add(LFP(electrical_series=lfp))
    empty = hdmf_common.DynamicTable(name="empty", description="no rows yet")
    empty.add_column("a", "a", data=np.array([], dtype="f4"))
    ecephys.add(empty)
    waveforms = [[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [1.0, 1.0, 1.0]]]
    nwb.add_unit(spike_times=[0.1, 0.2], obs_intervals=[[0, 1], [2, 3]], electrodes=[0, 1],
                 waveforms=waveforms)  # fmt: skip
    nwb.add_unit(spike_times=[0.5], obs_intervals=[[0, 5]], electrodes=[2],
                 waveforms=[[[2.0, 2.0, 2.0]]])  # fmt: skip
    nwb.add_trial_column("ok", "bool")
    nwb.add_trial_column("label", "text")
    nwb.add_trial_column("gain", "float32")
    for k, (ok, label) in enumerate([(True, ""), (False, "日本 ☃"), (True, "left")]):
        nwb.add_trial(start_time=float(k), stop_time=k + 0.5, ok=ok, label=label,
                      gain=np.float32(k / 4))  # fmt: skip
    nwb.add_epoch(start_time=0.0, stop_time=0.5, tags=["a", "ü"], timeseries=[raw])
    nwb.add_epoch(start_time=0.5, stop_time=1.0, tags=[], timeseries=[raw])
    one, two = GrayscaleImage(name="i1", data=np.zeros((3, 3))), GrayscaleImage(
        name="i2", data=np.ones((3, 3)))  # fmt: skip
    nwb.add_acquisition(Images(name="images", images=[one, two], order_of_images=ImageReferences(
        name="order_of_images", data=[two, one])))  # fmt: skip
    return _pynwb_write(nwb, path)


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the pynwb file, its export from a store)."""
    tmp = tmp_path_factory.mktemp("rich")
    with warnings.catch_warnings():  # pynwb: the region's table shares no ancestor (yet)
        warnings.simplefilter("ignore", UserWarning)
        path = _rich_nwb(tmp / "rich.nwb")
    import_hdf5(path, tmp / "store")
    export_hdf5(tmp / "store", tmp / "back.nwb")
    return path, tmp / "back.nwb"


RICH_TABLES = {
    "units": lambda f: f.units,
    "trials": lambda f: f.trials,
    "electrodes": lambda f: f.electrodes,
    "empty": lambda f: f.processing["ecephys"]["empty"],
}


# coverage
@pytest.mark.parametrize("name", list(RICH_TABLES))
def test_pynwb_reads_the_rich_export_as_the_original(rich: tuple[Path, Path], name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pynwb.NWBHDF5IO(str(rich[0]), "r") as a, pynwb.NWBHDF5IO(str(rich[1]), "r") as b:
            get = RICH_TABLES[name]
            original, back = get(a.read()), get(b.read())
            assert back.colnames == original.colnames
            assert_frames_match(back.to_dataframe(), original.to_dataframe(), what=name)
            assert_frames_match(back.to_dataframe(index=True),
                                original.to_dataframe(index=True), what=name)  # fmt: skip


# coverage
def test_pynwb_sees_the_links_regions_and_references_of_the_rich_export(
    rich: tuple[Path, Path],
) -> None:
    with pynwb.NWBHDF5IO(str(rich[1]), "r") as io:
        nwb = io.read()
        acq = nwb.acquisition
        assert acq["same_time"].timestamps is acq["raw"].timestamps
        assert acq["same_data"].data is acq["raw"].data
        lfp = nwb.processing["ecephys"]["LFP"]["lfp"]
        assert lfp.electrodes.table is nwb.electrodes
        assert lfp.electrodes.data[:].tolist() == [0, 2]
        epochs = nwb.epochs.to_dataframe()
        assert [list(t) for t in epochs["tags"]] == [["a", "ü"], []]
        assert [c[0].timeseries for c in epochs["timeseries"]] == [acq["raw"], acq["raw"]]
        spans = [(int(c[0].idx_start), int(c[0].count)) for c in epochs["timeseries"]]
        assert spans == [(0, 3), (3, 2)]  # samples 0, .2, .4 and .6, .8 of raw
        assert [i.name for i in acq["images"].order_of_images.data] == ["i2", "i1"]
        assert nwb.trials["gain"].data.dtype == np.float32
    with h5py.File(rich[1]) as f:
        link = f["acquisition/same_time"].get("timestamps", getlink=True)
        assert isinstance(link, h5py.SoftLink)
        assert link.path == "/acquisition/raw/timestamps"
    assert pynwb.validate(path=str(rich[1])) == []


# coverage
def test_a_plain_hdf5_file_keeps_its_values_through_a_store(tmp_path: Path) -> None:
    path = tmp_path / "plain.h5"
    compound = np.array([(1, 2.5, b"ab"), (3, 4.5, b"cd")],
                        dtype=[("a", "i4"), ("b", "f8"), ("c", "S4")])  # fmt: skip
    with h5py.File(path, "w") as f:
        f["fixed"] = np.array([b"abc", b"", b"0123456789"], dtype="S10")
        f["text"] = np.array(["ü", "", "😀"], dtype=h5py.string_dtype())
        f["scalar"] = "日本語 ☃"
        f["compound"] = compound
        f.create_dataset("packed", data=np.arange(100, dtype="i2").reshape(20, 5), chunks=(4, 5),
                         compression="gzip", fillvalue=-1)  # fmt: skip
        f.create_dataset("partial", shape=(10,), dtype="f4", fillvalue=7.0, chunks=(2,))
        f["partial"][:3] = [1, 2, 3]
        f["cube"] = np.arange(24, dtype="u2").reshape(2, 3, 4)
        g = f.create_group("g")
        g.attrs["note"] = "ünï"
        g["soft"] = h5py.SoftLink("/fixed")
        f["hard"] = f["text"]
        f.attrs["names"] = np.array(["é", "ß"], dtype=h5py.string_dtype())
    import_hdf5(path, tmp_path / "store")
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with h5py.File(path) as a, h5py.File(tmp_path / "back.h5") as b:
        for name in ("fixed", "text", "scalar", "packed", "partial", "cube", "hard", "g/soft"):
            mine, theirs = a[name][()], b[name][()]
            assert np.asarray(mine).tolist() == np.asarray(theirs).tolist(), name
            assert a[name].shape == b[name].shape, name
        assert b["compound"][()].tolist() == compound.tolist()
        assert b["compound"].dtype.names == ("a", "b", "c")
        assert b["packed"].dtype == np.int16
        assert b["g"].attrs["note"] == "ünï"
        assert list(b.attrs["names"]) == ["é", "ß"]
        assert b["g"].get("soft", getlink=True).path == "/fixed"
        hard = b.get("hard", getlink=True)  # one object, two names: a soft link or a hard one
        assert isinstance(hard, h5py.SoftLink | h5py.HardLink)


# coverage
def test_unicode_and_empty_text_read_in_hdmf_as_written(tmp_path: Path) -> None:
    table = DynamicTable(name="u", description="ünï ☃")
    cells = ["", "日本", "a\tb\nc", "😀", " "]
    table.add_column("s", "strings ü", data=cells)
    ragged = [[""], [], ["é", "ß"], ["😀"], ["", ""]]
    table.add_column("r", "ragged", data=ragged, index=True)
    export_hdf5(table, tmp_path / "u.h5")
    with hdmf_common.get_hdf5io(str(tmp_path / "u.h5"), "r") as io:
        theirs = io.read()
        frame = theirs.to_dataframe()
        assert theirs.description == "ünï ☃"
        assert theirs["s"].description == "strings ü"
        assert frame["s"].tolist() == cells
        assert [list(c) for c in frame["r"]] == ragged
    import_hdf5(tmp_path / "u.h5", tmp_path / "store")
    back = hdmf_arrow.read(tmp_path / "store").to_dataframe()
    assert back["s"].tolist() == cells
    assert [list(c) for c in back["r"]] == ragged


# coverage
def test_an_empty_table_with_typed_columns_reads_in_hdmf(tmp_path: Path) -> None:
    table = DynamicTable(name="t", description="d")
    table.add_column("f", "f", dtype="float32")
    table.add_column("s", "s", dtype="text")
    table.add_column("r", "r", index=True, dtype="float")
    table.add_column("b", "b", dtype="bool")
    export_hdf5(table, tmp_path / "e.h5")
    with hdmf_common.get_hdf5io(str(tmp_path / "e.h5"), "r") as io:
        theirs = io.read()
        assert len(theirs) == 0
        assert theirs.colnames == ("f", "s", "r", "b")
        dtypes = theirs.to_dataframe().dtypes
        assert (dtypes["f"], dtypes["b"]) == (np.float32, np.bool_)
    import_hdf5(tmp_path / "e.h5", tmp_path / "store")
    back = hdmf_arrow.read(tmp_path / "store")
    assert back.colnames == ("f", "s", "r", "b")
    assert back.to_arrow().schema.equals(table.to_arrow().schema)


# coverage
def test_a_file_read_lazily_can_be_exported_over_itself(session: Path, tmp_path: Path) -> None:
    path = tmp_path / "s.nwb"
    path.write_bytes(session.read_bytes())
    with HDF5IO(path) as io:
        root = io.read()
        export_hdf5(root, tmp_path / "copy.nwb")
        export_hdf5(root, path)  # replaced by rename while its data is still read from it
    with pynwb.NWBHDF5IO(str(path), "r") as a, pynwb.NWBHDF5IO(str(session), "r") as b:
        mine, theirs = a.read(), b.read()
        for get in (lambda f: f.units, lambda f: f.electrodes, lambda f: f.trials):
            assert_frames_match(get(mine).to_dataframe(), get(theirs).to_dataframe())
    assert pynwb.validate(path=str(path)) == []
