"""HDF5 region references: imported as region cells, stored, exported as region references
(docs/format.md, section 8). h5py's own dereferencing (``ds[ref]``) is the oracle."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import h5py
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hdmf_arrow import read
from hdmf_arrow.common import Dataset, DynamicTable, Group
from hdmf_arrow.errors import (
    InvalidArgumentError,
    SchemaMismatchError,
    UnresolvedReferenceError,
    UnsupportedHDF5Error,
)
from hdmf_arrow.io.hdf5 import HDF5IO, export_hdf5, import_hdf5, select_region
from hdmf_arrow.io.hdf5._cells import REGION_TYPE, SELECTIONS, selected_positions
from hdmf_arrow.io.hdf5._regions import RegionWriter

if TYPE_CHECKING:
    from pathlib import Path

# -- helpers -------------------------------------------------------------------------------


def _points(f: h5py.File, path: str, points: list[tuple[int, ...]]) -> h5py.RegionReference:
    space = f[path].id.get_space()
    space.select_elements(np.asarray(points, dtype=np.uint64).reshape(len(points), -1))
    return h5py.h5r.create(f.id, path.encode(), h5py.h5r.DATASET_REGION, space)


def _slabs(
    f: h5py.File, path: str, blocks: list[tuple[tuple[int, ...], tuple[int, ...]]]
) -> h5py.RegionReference:
    """A union of blocks, each (first corner, last corner inclusive)."""
    space = f[path].id.get_space()
    for k, (start, end) in enumerate(blocks):
        space.select_hyperslab(
            start,
            (1,) * len(start),
            block=tuple(e - s + 1 for s, e in zip(start, end, strict=True)),
            op=h5py.h5s.SELECT_SET if k == 0 else h5py.h5s.SELECT_OR,
        )
    return h5py.h5r.create(f.id, path.encode(), h5py.h5r.DATASET_REGION, space)


def _selection(f: h5py.File, ref: h5py.RegionReference) -> tuple[str, list[Any]]:
    """What h5py says a reference selects: (target path, kind and coordinates)."""
    space = h5py.h5r.get_region(ref, f.id)
    kind = space.get_select_type()
    if kind == h5py.h5s.SEL_POINTS:
        coords = space.get_select_elem_pointlist().tolist()
    elif kind == h5py.h5s.SEL_HYPERSLABS:
        coords = space.get_select_hyper_blocklist().tolist()
    else:
        coords = []
    return f[ref].name, [int(kind), coords]


def _same_regions(a: h5py.File, ra: Any, b: h5py.File, rb: Any) -> None:
    """Two references select the same elements of datasets with the same values."""
    assert bool(ra) == bool(rb)
    if not ra:
        return
    assert _selection(a, ra) == _selection(b, rb)
    np.testing.assert_array_equal(a[a[ra].name][ra], b[b[rb].name][rb])


def _crafted(path: Path) -> None:
    """A file with region references everywhere hdmf's layout may hold them."""
    with h5py.File(path, "w") as f:
        x = f.create_dataset("x", data=np.arange(10) * 1.5)
        m = f.create_dataset("m", data=np.arange(20).reshape(4, 5))
        refs = f.create_dataset("refs", (6,), dtype=h5py.regionref_dtype)
        refs[0] = x.regionref[2:5]
        refs[1] = m.regionref[1:3, 2:4]
        refs[2] = _points(f, "/m", [(3, 4), (0, 1), (3, 4)])  # order and repeats kept
        refs[3] = x.regionref[...]
        refs[4] = _slabs(f, "/m", [((0, 0), (1, 1)), ((1, 1), (3, 3))])  # overlapping blocks
        # refs[5] stays a null reference
        g = f.create_group("g")
        g.attrs["sel"] = x.regionref[::3]
        many = [x.regionref[0:1], h5py.RegionReference(), m.regionref[1, 1:3]]
        g.attrs.create("many", many, dtype=h5py.regionref_dtype)  # an array of them
        f.create_dataset("one", data=m.regionref[0:1, :], dtype=h5py.regionref_dtype)
        cdt = np.dtype([("n", np.int32), ("r", h5py.regionref_dtype)])
        c = np.zeros(2, dtype=cdt)
        c["n"] = [7, 8]
        c["r"][0] = x.regionref[1:2]
        c["r"][1] = m.regionref[3, :]
        f.create_dataset("cmp", data=c)
        grid = f.create_dataset("grid", (2, 2), dtype=h5py.regionref_dtype)  # a 2-D dataset
        grid[0, 0] = x.regionref[0:1]
        grid[1, 1] = _points(f, "/x", [(9,), (0,)])


def _table_with_region_column(path: Path) -> None:
    """A table written by hdmf-arrow, given (with h5py) a column of region references into
    its own column ``x``, as an extension's VectorData of ``reftype: region`` would be."""
    t = DynamicTable(name="root", description="trials")
    t.add_column("x", "x", data=np.arange(6) * 1.0)
    with HDF5IO(path, "w") as io:
        io.write(t)
    with h5py.File(path, "a") as f:
        x = f["x"]
        r = f.create_dataset("r", (6,), dtype=h5py.regionref_dtype)
        for i in range(6):
            r[i] = x.regionref[i : min(6, i + 2)]
        r.attrs["data_type"] = "VectorData"
        r.attrs["namespace"] = "hdmf-common"
        r.attrs["object_id"] = str(uuid.uuid4())
        r.attrs["description"] = "the row and the next"
        # a ragged column of regions: rows of 2, 0, 1, 3, 0, 1 references
        rr = f.create_dataset("rr", (7,), dtype=h5py.regionref_dtype)
        for i in range(7):
            rr[i] = _points(f, "/x", [(i % 6,), (5 - i % 6,)])
        index = f.create_dataset("rr_index", data=np.array([2, 2, 3, 6, 6, 7], dtype=np.uint8))
        for ds, what in ((rr, "VectorData"), (index, "VectorIndex")):
            ds.attrs["data_type"] = what
            ds.attrs["namespace"] = "hdmf-common"
            ds.attrs["object_id"] = str(uuid.uuid4())
            ds.attrs["description"] = "ragged regions"
        index.attrs["target"] = rr.ref
        f.attrs["colnames"] = np.array(["x", "r", "rr"], dtype=h5py.string_dtype())


# -- import ----------------------------------------------------------------------------------


def test_cells_select_what_h5py_dereferences(tmp_path: Path) -> None:
    _crafted(tmp_path / "r.h5")
    with HDF5IO(tmp_path / "r.h5") as io, h5py.File(tmp_path / "r.h5") as f:
        root = io.read()
        ids = {root[k].object_id: k for k in ("x", "m")}
        cells = root["refs"].to_arrow()
        assert cells.type == REGION_TYPE
        assert root["refs"].reftype == "region"
        for i, cell in enumerate(cells.to_pylist()):
            ref = f["refs"][i]
            if not ref:
                assert cell is None
                continue
            target = f[ids[cell["object_id"]]]
            assert target.name == f[ref].name
            picked = [target[p] for p in selected_positions(cell, shape=target.shape)]
            np.testing.assert_array_equal(np.asarray(picked), target[ref].reshape(-1))
            name = ids[cell["object_id"]]
            np.testing.assert_array_equal(select_region(cells[i], root[name]), target[ref].ravel())
        assert cells[2].as_py()["selection"] == "points"
        assert cells[2].as_py()["coords"] == [3, 4, 0, 1, 3, 4]
        assert cells[3].as_py() == {"object_id": root["x"].object_id, "selection": "all",
                                    "coords": []}  # fmt: skip
        sel = root["g"].attributes["sel"]["region"]
        assert sel["object_id"] == root["x"].object_id
        assert selected_positions(sel, shape=(10,)) == [0, 3, 6, 9]
        assert root["one"].scalar["region"]["coords"] == [0, 0, 0, 4]
        many = root["g"].attributes["many"]
        assert many[1] is None
        assert many[2]["region"] == {"object_id": root["m"].object_id,
                                     "selection": "hyperslabs", "coords": [1, 1, 1, 2]}  # fmt: skip
        assert root["cmp"].reftype == {"r": "region"}
        assert root["cmp"].to_arrow()[1].as_py()["r"]["coords"] == [3, 0, 3, 4]
        assert root["grid"].to_arrow().type == pa.list_(REGION_TYPE, 2)


@pytest.mark.parametrize("block_bytes", [None, 40])  # 40: the table is copied in 6 blocks
def test_a_table_column_of_regions_round_trips_through_a_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_bytes: int | None
) -> None:
    import hdmf_arrow.io.hdf5._read as reader

    if block_bytes is not None:
        monkeypatch.setattr(reader, "BLOCK_BYTES", block_bytes)
    _table_with_region_column(tmp_path / "t.h5")
    import_hdf5(tmp_path / "t.h5", tmp_path / "store")
    table = read(tmp_path / "store")
    assert isinstance(table, DynamicTable)
    cells = table["r"].to_arrow()
    assert pa.types.is_struct(cells.type)
    assert cells[5].as_py()["coords"] == [5, 5]
    assert {c["object_id"] for c in cells.to_pylist()} == {table["x"].object_id}
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with h5py.File(tmp_path / "t.h5") as a, h5py.File(tmp_path / "back.h5") as b:
        assert h5py.check_ref_dtype(b["r"].dtype) is h5py.RegionReference
        assert list(b.attrs["colnames"]) == ["x", "r", "rr"]
        for i in range(6):
            _same_regions(a, a["r"][i], b, b["r"][i])
        assert b["rr_index"][:].tolist() == [2, 2, 3, 6, 6, 7]
        for i in range(7):
            _same_regions(a, a["rr"][i], b, b["rr"][i])
    rr = table["rr"].to_arrow()
    assert rr.type == pa.list_(REGION_TYPE)
    assert [len(c) for c in rr.to_pylist()] == [2, 0, 1, 3, 0, 1]
    assert rr[2].as_py()[0]["coords"] == [2, 3]


def test_every_place_round_trips_through_a_store(tmp_path: Path) -> None:
    _crafted(tmp_path / "r.h5")
    import_hdf5(tmp_path / "r.h5", tmp_path / "store")
    stored = read(tmp_path / "store")
    assert isinstance(stored, Group)
    assert stored["refs"].reftype == "region"
    assert stored["g"].attributes["sel"]["region"]["object_id"] == stored["x"].object_id
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with h5py.File(tmp_path / "r.h5") as a, h5py.File(tmp_path / "back.h5") as b:
        for i in range(6):
            _same_regions(a, a["refs"][i], b, b["refs"][i])
        _same_regions(a, a["g"].attrs["sel"], b, b["g"].attrs["sel"])
        assert b["g"].attrs["many"].shape == (3,)
        for ra, rb in zip(a["g"].attrs["many"], b["g"].attrs["many"], strict=True):
            _same_regions(a, ra, b, rb)
        _same_regions(a, a["one"][()], b, b["one"][()])
        assert b["cmp"]["n"].tolist() == [7, 8]
        for i in range(2):
            _same_regions(a, a["cmp"][i]["r"], b, b["cmp"][i]["r"])
        assert b["grid"].shape == (2, 2)
        for i, j in np.ndindex(2, 2):
            _same_regions(a, a["grid"][i, j], b, b["grid"][i, j])


def test_hdf5io_writes_what_it_read(tmp_path: Path) -> None:
    _crafted(tmp_path / "r.h5")
    with HDF5IO(tmp_path / "r.h5") as io:
        export_hdf5(io.read(), tmp_path / "back.h5")
    with h5py.File(tmp_path / "r.h5") as a, h5py.File(tmp_path / "back.h5") as b:
        for i in range(6):
            _same_regions(a, a["refs"][i], b, b["refs"][i])


def test_hdmf_reads_our_export_as_it_reads_region_references(tmp_path: Path) -> None:
    """hdmf 6.2 no longer knows region references: it reads each as an object reference to
    the whole dataset. Our export must still open in it."""
    hdmf_h5 = pytest.importorskip("hdmf.backends.hdf5")
    from hdmf.common import get_manager

    _table_with_region_column(tmp_path / "t.h5")
    import_hdf5(tmp_path / "t.h5", tmp_path / "store")
    export_hdf5(tmp_path / "store", tmp_path / "back.h5")
    with hdmf_h5.HDF5IO(str(tmp_path / "back.h5"), "r", manager=get_manager()) as io:
        table = io.read()
        assert table["r"].data[0].name == "x"  # the selection is gone in hdmf


# -- random selections ---------------------------------------------------------------------


@st.composite
def _target_and_selections(draw: st.DrawFn) -> tuple[tuple[int, ...], list[tuple[str, Any]]]:
    rank = draw(st.sampled_from([1, 2]))
    shape = tuple(draw(st.lists(st.integers(1, 6), min_size=rank, max_size=rank)))
    coord = st.tuples(*(st.integers(0, s - 1) for s in shape))
    block = st.tuples(coord, coord).map(
        lambda ab: (
            tuple(min(a, b) for a, b in zip(*ab, strict=True)),
            tuple(max(a, b) for a, b in zip(*ab, strict=True)),
        )
    )
    one = st.one_of(
        st.tuples(st.just("points"), st.lists(coord, min_size=1, max_size=8)),
        st.tuples(st.just("hyperslabs"), st.lists(block, min_size=1, max_size=4)),
        st.tuples(st.sampled_from(["all", "none", "null"]), st.none()),
    )
    return shape, draw(st.lists(one, min_size=1, max_size=5))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=_target_and_selections())
def test_random_selections_survive_import_store_and_export(
    tmp_path: Path, case: tuple[tuple[int, ...], list[tuple[str, Any]]]
) -> None:
    shape, selections = case
    src = tmp_path / f"{uuid.uuid4().hex}.h5"
    with h5py.File(src, "w") as f:
        t = f.create_dataset("t", data=np.arange(int(np.prod(shape))).reshape(shape))
        refs = f.create_dataset("refs", (len(selections),), dtype=h5py.regionref_dtype)
        for i, (kind, arg) in enumerate(selections):
            if kind == "points":
                refs[i] = _points(f, "/t", arg)
            elif kind == "hyperslabs":
                refs[i] = _slabs(f, "/t", arg)
            elif kind == "all":
                refs[i] = t.regionref[...]
            elif kind == "none":
                space = t.id.get_space()
                space.select_none()
                refs[i] = h5py.h5r.create(f.id, b"/t", h5py.h5r.DATASET_REGION, space)
    store = f"memory://regionref/{uuid.uuid4().hex}"
    import_hdf5(src, store)
    cells = read(store)["refs"].to_arrow().to_pylist()
    back = tmp_path / f"{uuid.uuid4().hex}.h5"
    export_hdf5(store, back)
    with h5py.File(src) as a, h5py.File(back) as b:
        for i, (kind, _) in enumerate(selections):
            _same_regions(a, a["refs"][i], b, b["refs"][i])
            if kind in ("points", "hyperslabs"):
                flat = a["t"][a["refs"][i]].reshape(-1)
                picked = [a["t"][p] for p in selected_positions(cells[i], shape=shape)]
                np.testing.assert_array_equal(np.asarray(picked), flat)
            if cells[i] is not None:
                want = a["t"][a["refs"][i]].reshape(-1)
                np.testing.assert_array_equal(select_region(cells[i], a["t"][...]), want)
            if kind == "null":
                assert cells[i] is None


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("block_bytes", [None, 8])  # 8: one row per block
def test_a_region_into_a_deleted_dataset_is_refused_and_commits_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_bytes: int | None
) -> None:
    import hdmf_arrow.io.hdf5._read as reader

    if block_bytes is not None:
        monkeypatch.setattr(reader, "BLOCK_BYTES", block_bytes)
    with h5py.File(tmp_path / "r.h5", "w") as f:
        f["x"] = np.arange(5)
        e = f.create_dataset("e", data=np.arange(5))
        refs = f.create_dataset("refs", (3,), dtype=h5py.regionref_dtype)
        refs[0] = refs[1] = f["x"].regionref[0:2]
        refs[2] = e.regionref[1:3]
        del f["e"]
    with pytest.raises(
        UnresolvedReferenceError, match=r"row 2 of /refs .*no longer exists in the file"
    ):
        import_hdf5(tmp_path / "r.h5", tmp_path / "store")
    assert not (tmp_path / "store").exists() or not any((tmp_path / "store").rglob("*.json"))


def test_a_failed_import_into_an_existing_store_commits_nothing(tmp_path: Path) -> None:
    from hdmf_arrow.io._parquetio import ParquetIO

    _crafted(tmp_path / "good.h5")
    assert import_hdf5(tmp_path / "good.h5", tmp_path / "store") == 1
    with h5py.File(tmp_path / "bad.h5", "w") as f:
        e = f.create_dataset("e", data=np.arange(5))
        f.create_dataset("refs", data=[e.regionref[1:3]], dtype=h5py.regionref_dtype)
        del f["e"]
    with pytest.raises(UnresolvedReferenceError, match=r"row 0 of /refs"):
        import_hdf5(tmp_path / "bad.h5", tmp_path / "store", mode="w")
    with ParquetIO(tmp_path / "store", "r") as io:
        assert io.version == 1
        assert io.read()["refs"].reftype == "region"


def test_a_region_outside_its_dataset_in_a_file_is_refused(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "r.h5", "w") as f:
        f["x"] = np.arange(5)
        space = f["x"].id.get_space()
        space.select_elements(np.array([[9]], dtype=np.uint64))  # HDF5 lets this be written
        f.attrs["bad"] = h5py.h5r.create(f.id, b"/x", h5py.h5r.DATASET_REGION, space)
    with pytest.raises(SchemaMismatchError, match=r"attribute 'bad' .*outside the dataset"):
        import_hdf5(tmp_path / "r.h5", tmp_path / "store")


def _tree_with(cell: dict[str, Any] | None, *, as_attribute: bool = False) -> Group:
    x = Dataset("x", np.arange(6).reshape(3, 2))
    if cell is not None and cell.get("object_id") == "x":
        cell = {**cell, "object_id": x.object_id}
    if as_attribute:
        return Group("root", [x, Group("g", attributes={"sel": {"region": cell}})])
    refs = Dataset("refs", pa.array([cell], type=REGION_TYPE))
    refs.reftype = "region"
    return Group("root", [x, refs])


@pytest.mark.parametrize(
    ("cell", "error", "match"),
    [
        ({"object_id": "x", "selection": "points", "coords": [3, 0]}, UnsupportedHDF5Error,
         r"row 0 of dataset 'refs': coordinates \[3, 0\] are outside /x, whose shape is \(3, 2\)"),
        ({"object_id": "x", "selection": "points", "coords": [1]}, UnsupportedHDF5Error,
         r"'points' selection of /x \(rank 2\) needs a positive multiple of 2, found 1"),
        ({"object_id": "x", "selection": "hyperslabs", "coords": [2, 1, 0, 0]},
         UnsupportedHDF5Error, r"block 0 of /x ends before it starts"),
        ({"object_id": "x", "selection": "stripes", "coords": []}, UnsupportedHDF5Error,
         r"selection 'stripes' is not one of"),
        ({"object_id": "x", "selection": "all", "coords": [0, 0]}, UnsupportedHDF5Error,
         r"needs no coordinates"),
        ({"object_id": "nope", "selection": "all", "coords": []}, UnresolvedReferenceError,
         r"region of object 'nope', which is not in the tree written"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("as_attribute", [False, True])
def test_a_selection_hdf5_cannot_express_is_refused_and_the_old_file_stays(
    tmp_path: Path, cell: dict[str, Any], error: type[Exception], match: str, as_attribute: bool
) -> None:
    out = tmp_path / "out.h5"
    export_hdf5(Group("root", [Dataset("keep", [1, 2, 3])]), out)
    before = out.read_bytes()
    if as_attribute:
        match = (
            "attribute 'sel' of 'g'" + match.split("'refs'", 1)[-1] if "'refs'" in match else match
        )
    with pytest.raises(error, match=match):
        export_hdf5(_tree_with(cell, as_attribute=as_attribute), out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.h5"]  # no partial file left


def test_a_region_of_a_group_is_refused(tmp_path: Path) -> None:
    g = Group("g")
    refs = Dataset("refs", pa.array([{"object_id": g.object_id, "selection": "all",
                                      "coords": []}], type=REGION_TYPE))  # fmt: skip
    refs.reftype = "region"
    with pytest.raises(UnsupportedHDF5Error, match=r"row 0 of dataset 'refs' .*/g.* an HDF5 group"):
        export_hdf5(Group("root", [g, refs]), tmp_path / "out.h5")


def test_an_array_of_object_references_in_an_attribute_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    with h5py.File(tmp_path / "r.h5", "w") as f:
        f["x"] = np.arange(3)
        f.create_group("g").attrs["many"] = np.array([f["x"].ref] * 2, dtype=h5py.ref_dtype)
    with pytest.raises(UnsupportedHDF5Error, match=r"attribute 'many' of /g .*array of object"):
        import_hdf5(tmp_path / "r.h5", tmp_path / "store")


def test_region_cells_with_the_wrong_type_are_refused(tmp_path: Path) -> None:
    refs = Dataset("refs", [1, 2])
    refs.reftype = "region"
    with pytest.raises(UnsupportedHDF5Error, match=r"dataset 'refs' holds region references"):
        export_hdf5(Group("root", [refs]), tmp_path / "out.h5")


_CELL = st.fixed_dictionaries(
    {
        "object_id": st.sampled_from(["v", "m", "s"]),
        "selection": st.sampled_from([*SELECTIONS, "bogus"]),
        "coords": st.lists(st.integers(-1, 5), max_size=8),
    }
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(st.one_of(st.none(), _CELL), min_size=1, max_size=6))
@example(  # a block that ends before it starts, after good rows of another rank
    cells=[
        {"object_id": "m", "selection": "hyperslabs", "coords": [0, 1, 2, 3]},
        None,
        {"object_id": "v", "selection": "hyperslabs", "coords": [1, 1, 3, 2]},
    ]
)
@example(cells=[{"object_id": "s", "selection": "all", "coords": []}, {"object_id": "m",
               "selection": "points", "coords": [2, 3, 3, 0]}])  # fmt: skip
def test_the_vectorised_checks_agree_with_the_row_by_row_ones(
    tmp_path: Path, cells: list[dict[str, Any] | None]
) -> None:
    """``RegionWriter.many`` checks all cells at once; it must refuse exactly what writing the
    cells one by one refuses, naming the same (first) row, and write the same selections."""
    with h5py.File(tmp_path / f"{uuid.uuid4().hex}.h5", "w") as f:
        f["v"] = np.arange(5)
        f["m"] = np.arange(12).reshape(3, 4)
        f["s"] = 3.0
        writer = RegionWriter(f, lambda oid: f"/{oid}")
        first_bad = None
        singles = []
        for i, cell in enumerate(cells):
            try:
                singles.append(writer.one(cell, where=f"row {i} of 'refs'"))
            except UnsupportedHDF5Error as exc:
                first_bad = (i, str(exc))
                break
        arr = pa.array(cells, type=REGION_TYPE)
        if first_bad is not None:
            with pytest.raises(UnsupportedHDF5Error) as info:
                writer.many(arr, where="'refs'")
            assert str(info.value) == first_bad[1]
            return
        refs = writer.many(arr, where="'refs'")
        for single, ref in zip(singles, refs, strict=True):
            assert bool(single) == bool(ref)
            if single:
                assert _selection(f, single) == _selection(f, ref)


# -- object references, read the same way (by the addresses HDF5 stores) ----------------------


def test_object_references_of_any_shape_read_in_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hdmf_arrow.io.hdf5._read as reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", 16 * 3)  # 3 rows of (2,) references per block
    with h5py.File(tmp_path / "o.h5", "w") as f:
        a, b = f.create_dataset("a", data=[1]), f.create_group("b")
        grid = np.empty((7, 2), dtype=h5py.ref_dtype)
        for i, j in np.ndindex(7, 2):
            grid[i, j] = (a if (i + j) % 3 else b).ref
        f.create_dataset("grid", data=grid)
    with HDF5IO(tmp_path / "o.h5") as io:
        root = io.read()
        expect = [
            [(root["a"] if (i + j) % 3 else root["b"]).object_id for j in range(2)]
            for i in range(7)
        ]
        assert root["grid"].to_arrow().to_pylist() == expect
        blocks = list(root["grid"]._blocks())
        assert [len(x) for x in blocks] == [3, 3, 1]
        assert pa.concat_arrays(blocks).to_pylist() == expect


def test_a_null_object_reference_is_refused_naming_its_row(tmp_path: Path) -> None:
    with h5py.File(tmp_path / "o.h5", "w") as f:
        f["a"] = [1]
        refs = f.create_dataset("refs", (3,), dtype=h5py.ref_dtype)
        refs[0] = refs[2] = f["a"].ref  # refs[1] stays null
    with pytest.raises(UnresolvedReferenceError, match=r"row 1 of /refs .* is a null reference"):
        import_hdf5(tmp_path / "o.h5", tmp_path / "store")


def test_select_region_refuses_a_cell_of_another_object_or_shape() -> None:
    m = Dataset("m", np.arange(6).reshape(2, 3))
    cell = {"object_id": m.object_id, "selection": "points", "coords": [1, 2]}
    assert select_region({"region": cell}, m).tolist() == [5]
    with pytest.raises(InvalidArgumentError, match=r"selects from object 'other', but Dataset 'm'"):
        select_region({**cell, "object_id": "other"}, m)
    with pytest.raises(InvalidArgumentError, match=r"outside shape \(2, 3\)"):
        select_region({**cell, "coords": [2, 0]}, m)
    with pytest.raises(InvalidArgumentError, match=r"positive multiple of 4 coordinates, found 2"):
        select_region({**cell, "selection": "hyperslabs"}, m)
    with pytest.raises(InvalidArgumentError, match="expected a region cell"):
        select_region(None, m)  # type: ignore[arg-type]


def test_references_are_resolved_by_address_never_by_a_search_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HDF5 finds the path of an object opened by reference by searching the whole file
    (~0.1 s per reference in a file of a few thousand objects): the reader must not ask."""
    _crafted(tmp_path / "r.h5")
    _table_with_region_column(tmp_path / "t.h5")
    real_getitem = h5py.File.__getitem__

    def no_search(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a reference was resolved by HDF5's search for a path")

    def getitem(self: h5py.File, key: Any) -> Any:
        if isinstance(key, h5py.Reference):
            no_search()
        return real_getitem(self, key)

    monkeypatch.setattr(h5py.h5r, "get_name", no_search)
    monkeypatch.setattr(h5py.File, "__getitem__", getitem)
    for name in ("r.h5", "t.h5"):
        import_hdf5(tmp_path / name, f"memory://regionref/{uuid.uuid4().hex}")


def test_object_reference_fields_of_a_compound_read_in_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hdmf_arrow.io.hdf5._read as reader

    monkeypatch.setattr(reader, "BLOCK_BYTES", 16 * 2)  # 2 rows per block
    dt = np.dtype([("idx_start", np.int32), ("count", np.int32), ("timeseries", h5py.ref_dtype)])
    with h5py.File(tmp_path / "c.h5", "w") as f:
        a, b = f.create_dataset("a", data=[1]), f.create_group("b")
        c = np.zeros(5, dtype=dt)
        c["idx_start"] = range(5)
        c["timeseries"] = [a.ref, b.ref, b.ref, a.ref, b.ref]
        f.create_dataset("c", data=c)
        bad = c.copy()
        bad["timeseries"][3] = h5py.Reference()
        f.create_dataset("bad", data=bad)
    with HDF5IO(tmp_path / "c.h5") as io:
        root = io.read()
        want = [root[k].object_id for k in "abbab"]
        assert root["c"].to_arrow().field("timeseries").to_pylist() == want
        blocks = list(root["c"]._blocks())
        assert [len(x) for x in blocks] == [2, 2, 1]
        assert pa.concat_arrays(blocks).field("idx_start").to_pylist() == [0, 1, 2, 3, 4]
        assert pa.concat_arrays(blocks).field("timeseries").to_pylist() == want
        with pytest.raises(
            UnresolvedReferenceError, match=r"row 3 of field 'timeseries' of /bad .*null reference"
        ):
            list(root["bad"]._blocks())
