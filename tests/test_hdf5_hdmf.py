"""hdmf-arrow trees through HDF5, with hdmf 6.2 as the oracle.

A tree built with hdmf-arrow (a SimpleMultiContainer holding tables with every kind of column
and a CSRMatrix) is exported three ways: ``export_hdf5(tree)``, ``export_hdf5(store)`` and
``HDF5IO(path, "w").write(tree)``. hdmf's own HDF5IO must read each file back to the same
DataFrames, keep the dtypes, object ids and references, and its validator must find nothing.
The other way, a file that hdmf writes imports unchanged. A property test checks that any
table of ``hdmf_arrow.testing.strategies`` survives store -> HDF5 -> store.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from _nwb_files import assert_frames_match
from hypothesis import HealthCheck, assume, given, settings
from scipy import sparse

import hdmf_arrow
from hdmf_arrow import HDF5IO, export_hdf5, import_hdf5
from hdmf_arrow.common import CSRMatrix, DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import UnsupportedHDF5Error
from hdmf_arrow.testing import assert_table_equal
from hdmf_arrow.testing.strategies import dynamic_tables

h5py = pytest.importorskip("h5py")
hdmf_hdf5 = pytest.importorskip("hdmf.backends.hdf5")
hdmf_common = pytest.importorskip("hdmf.common")

ENUM_WARNING = "EnumData is experimental"  # hdmf warns on every EnumData it constructs
MATRIX = sparse.csr_matrix(
    np.array([[0.0, 1.5, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [2.0, 0.0, 0.0, -3.25]])
)
TABLES = ("electrodes", "cells")


def make_tree() -> SimpleMultiContainer:
    """A region target, a table with one column of each kind, and a CSRMatrix."""
    electrodes = DynamicTable(name="electrodes", description="recording sites")
    electrodes.add_column("location", "brain area", data=["CA1", "CA1", "CA3", "DG"])
    electrodes.add_column("x", "position", data=[0.0, 1.0, 2.0, 3.0])

    cells = DynamicTable(name="cells", description="sorted cells")
    cells.add_column("count", "an int column", data=[3, -1, 7])
    cells.add_column("rate", "a float column", data=[0.5, 1.5, np.pi])
    cells.add_column("label", "a text column", data=["a", "bé", "日本"])
    cells.add_column("good", "a bool column", data=[True, False, True])
    cells.add_column("spikes", "a ragged column", data=[[0.1, 0.2], [], [0.3]], index=True)
    cells.add_column(
        "bursts", "a doubly ragged column", data=[[[1, 2], [3]], [], [[4], []]], index=2
    )
    cells.add_column("site", "a region column", data=[0, 2, 3], table=electrodes)
    cells.add_column(
        "sites", "a ragged region column", data=[[0, 1], [], [3]], table=electrodes, index=True
    )
    cells.add_column(
        "state", "an enum column", data=["rest", "run", "rest"], enum=["rest", "run", "sleep"]
    )
    matrix = CSRMatrix(MATRIX, name="connectivity", description="who talks to whom")
    return SimpleMultiContainer("root", [electrodes, cells, matrix])


def _by_export_hdf5_of_the_tree(tree: SimpleMultiContainer, out: Path, scratch: Path) -> None:
    export_hdf5(tree, out)


def _by_export_hdf5_of_a_store(tree: SimpleMultiContainer, out: Path, scratch: Path) -> None:
    hdmf_arrow.write(tree, scratch / "store")
    export_hdf5(scratch / "store", out)


def _by_hdf5io_write(tree: SimpleMultiContainer, out: Path, scratch: Path) -> None:
    with HDF5IO(out, "w") as io:
        io.write(tree)


EXPORTS: dict[str, Callable[[SimpleMultiContainer, Path, Path], None]] = {
    "export_hdf5(tree)": _by_export_hdf5_of_the_tree,
    "export_hdf5(store)": _by_export_hdf5_of_a_store,
    "HDF5IO.write": _by_hdf5io_write,
}


@pytest.fixture
def tree() -> SimpleMultiContainer:
    return make_tree()


@pytest.fixture(params=list(EXPORTS))
def exported(request: pytest.FixtureRequest, tree: SimpleMultiContainer, tmp_path: Path) -> Path:
    out = tmp_path / "tree.h5"
    EXPORTS[request.param](tree, out, tmp_path)
    return out


@contextmanager
def read_with_hdmf(path: Path) -> Iterator[tuple[Any, Any]]:
    """hdmf's HDF5IO on ``path`` and the container it reads (kept open while used)."""
    with hdmf_hdf5.HDF5IO(str(path), "r", manager=hdmf_common.get_manager()) as io:
        with pytest.warns(UserWarning, match=ENUM_WARNING):
            root = io.read()
        yield io, root


def enum_codes_as_values(frame: Any, table: Any) -> Any:
    """hdmf's ``to_dataframe(index=True)`` shows an EnumData column's codes; hdmf-arrow shows
    the element values (docs/differences.md). Turn the codes into values."""
    frame = frame.copy()
    for name in frame.columns:
        column = table[name]
        if column.data_type == "EnumData":
            elements = list(column.elements.data[:])
            frame[name] = [elements[int(code)] for code in frame[name]]
    return frame


# -- what hdmf reads from our files ------------------------------------------------------------


def test_hdmf_reads_the_same_tables(tree: SimpleMultiContainer, exported: Path) -> None:
    with read_with_hdmf(exported) as (_, root):
        assert type(root).__name__ == "SimpleMultiContainer"
        assert sorted(root.containers) == ["cells", "connectivity", "electrodes"]
        for name in TABLES:
            ours, theirs = tree[name], root[name]
            assert theirs.colnames == ours.colnames
            assert theirs.description == ours.description
            assert_frames_match(ours.to_dataframe(), theirs.to_dataframe(), what=name)
            assert_frames_match(
                ours.to_dataframe(index=True),
                enum_codes_as_values(theirs.to_dataframe(index=True), theirs),
                what=f"{name} (index=True)",
            )


def test_hdmf_sees_hdmf_types_dtypes_and_indexes(exported: Path) -> None:
    with read_with_hdmf(exported) as (_, root):
        cells = root["cells"]
        types = {name: type(cells[name]).__name__ for name in cells.colnames}
        assert types["spikes"] == "VectorIndex"
        assert types["bursts"] == "VectorIndex"
        assert types["site"] == "DynamicTableRegion"
        assert types["state"] == "EnumData"
        assert cells["count"].data.dtype == np.int64
        assert cells["rate"].data.dtype == np.float64
        assert cells["good"].data.dtype == np.bool_
        assert cells["spikes_index"].data.dtype == np.uint8  # the narrowest uint, as hdmf's own
        assert cells["spikes_index"].data[:].tolist() == [2, 2, 3]
        outer = cells["bursts"]  # hdmf: a ragged column is its outermost VectorIndex
        assert outer.name == "bursts_index_index"
        assert outer.data[:].tolist() == [2, 2, 4]
        assert outer.target.name == "bursts_index"
        assert outer.target.data[:].tolist() == [2, 3, 4, 4]
        assert outer.target.target.name == "bursts"
        assert cells["sites_index"].data[:].tolist() == [2, 2, 3]
        assert cells["state"].data[:].tolist() == [0, 1, 0]
        assert list(cells["state"].elements.data[:]) == ["rest", "run", "sleep"]  # unused kept


def test_hdmf_follows_region_references_to_the_target(exported: Path) -> None:
    with read_with_hdmf(exported) as (_, root):
        cells, electrodes = root["cells"], root["electrodes"]
        assert cells["site"].table is electrodes
        assert cells["sites"].target.table is electrodes
        assert cells["site"].data[:].tolist() == [0, 2, 3]


def test_object_ids_are_kept(tree: SimpleMultiContainer, exported: Path) -> None:
    with read_with_hdmf(exported) as (_, root):
        for name in TABLES:
            ours, theirs = tree[name], root[name]
            assert theirs.object_id == ours.object_id
            assert theirs.id.object_id == ours.id.object_id
            for column in ours.colnames:
                mine = ours.get_column(column).get_target_data()
                other = theirs[column]
                while type(other).__name__ == "VectorIndex":
                    other = other.target
                assert other.object_id == mine.object_id, f"{name}.{column}"
        assert root["connectivity"].object_id == tree["connectivity"].object_id


def test_hdmf_reads_the_csr_matrix(exported: Path) -> None:
    with read_with_hdmf(exported) as (_, root):
        matrix = root["connectivity"]
        assert type(matrix).__name__ == "CSRMatrix"
        assert tuple(matrix.shape) == (3, 4)
        back = matrix.to_spmat()
        assert back.dtype == MATRIX.dtype
        np.testing.assert_array_equal(back.toarray(), MATRIX.toarray())


def test_hdmf_validator_finds_nothing(exported: Path) -> None:
    with read_with_hdmf(exported) as (io, _):
        assert hdmf_common.validate(io) == []
        assert hdmf_common.validate(io, experimental=True) == []


def test_the_exported_file_imports_back_unchanged(
    tree: SimpleMultiContainer, exported: Path, tmp_path: Path
) -> None:
    assert import_hdf5(exported, tmp_path / "back") == 1
    back = hdmf_arrow.read(tmp_path / "back")
    for name in TABLES:
        assert_table_equal(tree[name], back[name])
    matrix = back["connectivity"]
    assert matrix.shape == (3, 4)
    np.testing.assert_array_equal(matrix.to_dense(), MATRIX.toarray())
    assert matrix.object_id == tree["connectivity"].object_id


# -- what we read from hdmf's files ------------------------------------------------------------


def make_hdmf_file(path: Path) -> Path:
    """The same kinds of column, written by hdmf itself."""
    tables = hdmf_common
    electrodes = tables.DynamicTable(name="electrodes", description="recording sites")
    electrodes.add_column("location", "brain area")
    for location in ["CA1", "CA3", "DG"]:
        electrodes.add_row(location=location)
    cells = tables.DynamicTable(name="cells", description="sorted cells")
    cells.add_column("count", "an int column")
    cells.add_column("label", "a text column")
    cells.add_column("spikes", "a ragged column", index=True)
    cells.add_column("bursts", "a doubly ragged column", index=2)
    cells.add_column("site", "a region column", table=electrodes)
    with pytest.warns(UserWarning, match=ENUM_WARNING):
        cells.add_column("state", "an enum column", enum=["rest", "run", "sleep"])
    rows = [
        (3, "a", [0.1, 0.2], [[1, 2], [3]], 0, "run"),
        (-1, "bé", [], [], 2, "rest"),
    ]
    for count, label, spikes, bursts, site, state in rows:
        cells.add_row(
            count=count, label=label, spikes=spikes, bursts=bursts, site=site, state=state
        )
    matrix = tables.CSRMatrix(
        data=MATRIX.data,
        indices=MATRIX.indices,
        indptr=MATRIX.indptr,
        shape=MATRIX.shape,
        name="connectivity",
    )
    root = tables.SimpleMultiContainer(name="root", containers=[electrodes, cells, matrix])
    with hdmf_hdf5.HDF5IO(str(path), "w", manager=tables.get_manager()) as io:
        io.write(root)
    return path


@pytest.fixture
def hdmf_file(tmp_path: Path) -> Path:
    return make_hdmf_file(tmp_path / "hdmf.h5")


def test_a_file_hdmf_wrote_reads_as_hdmf_reads_it(hdmf_file: Path) -> None:
    with read_with_hdmf(hdmf_file) as (_, theirs), HDF5IO(hdmf_file, "r") as io:
        ours = io.read()
        for name in TABLES:
            assert ours[name].object_id == theirs[name].object_id
            assert ours[name].colnames == theirs[name].colnames
            assert_frames_match(ours[name].to_dataframe(), theirs[name].to_dataframe(), what=name)
        assert ours["cells"]["site"].table is ours["electrodes"]
        np.testing.assert_array_equal(ours["connectivity"].to_dense(), MATRIX.toarray())


def test_a_file_hdmf_wrote_imports_and_exports_back(hdmf_file: Path, tmp_path: Path) -> None:
    import_hdf5(hdmf_file, tmp_path / "store")
    export_hdf5(tmp_path / "store", tmp_path / "again.h5")
    with (
        read_with_hdmf(hdmf_file) as (_, first),
        read_with_hdmf(tmp_path / "again.h5") as (io, again),
    ):
        for name in TABLES:
            assert_frames_match(again[name].to_dataframe(), first[name].to_dataframe(), what=name)
        assert hdmf_common.validate(io) == []


# -- modes ---------------------------------------------------------------------------------


def test_import_refuses_an_existing_store_unless_told(hdmf_file: Path, tmp_path: Path) -> None:
    assert import_hdf5(hdmf_file, tmp_path / "store") == 1
    with pytest.raises(FileExistsError):
        import_hdf5(hdmf_file, tmp_path / "store")
    assert import_hdf5(hdmf_file, tmp_path / "store", mode="w") == 2
    assert len(hdmf_arrow.read(tmp_path / "store", version=2)["cells"]) == 2


def test_mode_w_minus_refuses_an_existing_file(tree: SimpleMultiContainer, tmp_path: Path) -> None:
    out = tmp_path / "tree.h5"
    out.write_bytes(b"")
    with pytest.raises(FileExistsError), HDF5IO(out, "w-") as io:
        io.write(tree)
    assert out.read_bytes() == b""


def test_mode_r_on_a_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), HDF5IO(tmp_path / "missing.h5", "r") as io:
        io.read()


def test_mode_w_replaces_a_file(tree: SimpleMultiContainer, tmp_path: Path) -> None:
    out = tmp_path / "tree.h5"
    small = DynamicTable(name="only", description="d")
    small.add_column("x", "x", data=[1, 2])
    with HDF5IO(out, "w") as io:
        io.write(SimpleMultiContainer("root", [small]))
    with HDF5IO(out, "w") as io:
        io.write(tree)
    with HDF5IO(out, "r") as io:
        assert sorted(c.name for c in io.read()) == ["cells", "connectivity", "electrodes"]


# -- property: any table survives store -> HDF5 -> store -------------------------------------


def _strings(array: pa.Array) -> pa.Array | None:
    """The text values inside ``array`` (through lists and dictionaries), or None."""
    while pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        array = array.flatten()
    if pa.types.is_fixed_size_list(array.type):
        array = array.flatten()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary
    return array if pa.types.is_string(array.type) else None


def _hdf5_can_hold(table: DynamicTable) -> bool:
    """HDF5 has no nulls (docs/format.md 2.1), no null type (an empty column built without a
    dtype is written as float64, see below) and no NUL character in its text (refused, see
    below): such tables are left out of the law."""
    if "\x00" in table.description:
        return False
    for column in table.to_arrow().columns:
        if column.null_count or pa.types.is_null(column.type):
            return False
        text = _strings(column.combine_chunks())
        if text is not None and pc.any(pc.match_substring(text, "\x00")).as_py():
            return False
    return True


@pytest.mark.parametrize(
    ("description", "column"),
    [
        ("d", {"data": ["a", "b\x00c"]}),
        ("d", {"data": [["a"], ["\x00"]], "index": True}),
        ("d", {"data": ["x", "x"], "enum": ["x", "\x00"]}),
        ("a\x00b", {"data": ["a", "b"]}),
    ],
    ids=["text", "ragged text", "enum element", "table description"],
)
def test_text_with_a_nul_character_is_refused(
    description: str, column: dict[str, Any], tmp_path: Path
) -> None:
    """h5py's variable-length strings cannot hold NUL: the export says which object it is."""
    table = DynamicTable(name="t", description=description)
    table.add_column("s", "text", **column)
    with pytest.raises(UnsupportedHDF5Error, match="'t'"):
        export_hdf5(table, tmp_path / "t.h5")
    assert not (tmp_path / "t.h5").exists()


def test_an_empty_untyped_column_is_written_as_float64(tmp_path: Path) -> None:
    table = DynamicTable(name="t", description="d")
    table.add_column("a", "no value tells its type", data=[])
    assert pa.types.is_null(table.to_arrow()["a"].type)
    export_hdf5(table, tmp_path / "t.h5")
    with h5py.File(tmp_path / "t.h5", "r") as f:
        assert (f["a"].shape, f["a"].dtype) == ((0,), np.float64)
    with HDF5IO(tmp_path / "t.h5", "r") as io:
        back = io.read()
        assert back.colnames == ("a",)
        assert back["a"].data.dtype == np.float64
        assert len(back) == 0


def _targets(table: DynamicTable) -> list[DynamicTable]:
    found: dict[int, DynamicTable] = {}
    for name in table.get_foreign_columns():
        target = table.get_column(name).get_target_data().table
        found[id(target)] = target
    return list(found.values())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dynamic_tables())
def test_any_table_survives_store_hdf5_store(table: DynamicTable) -> None:
    assume(_hdf5_can_hold(table))
    tree = SimpleMultiContainer("root", [*_targets(table), table])
    with tempfile.TemporaryDirectory() as scratch:
        where = Path(scratch)
        hdmf_arrow.write(tree, where / "first")
        export_hdf5(where / "first", where / "file.h5")
        import_hdf5(where / "file.h5", where / "second")
        back = hdmf_arrow.read(where / "second")
        assert_table_equal(table, back["table"])
        for target in _targets(table):
            assert_table_equal(target, back[target.name])
