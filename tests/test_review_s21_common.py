"""Review of HERD, EnumData, CSRMatrix and AlignedDynamicTable (session 21): each test is a
problem found, failing before its fix."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

import hdmf_arrow
from hdmf_arrow.common import CSRMatrix, EnumData, SimpleMultiContainer
from hdmf_arrow.errors import CellValueError, RowIndexError, SparseMatrixError

# -- 1. a complex CSRMatrix crashed with a bare pyarrow error ---------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: CSRMatrix(sparse.csr_matrix(np.array([[1j, 0]])), name="m"),
        lambda: CSRMatrix(np.array([[1 + 2j, 0]]), name="m"),
        lambda: CSRMatrix([1j], indices=[0], indptr=[0, 1], shape=(1, 2), name="m"),
    ],
)
def test_complex_values_are_refused_naming_the_matrix(make: object) -> None:
    # hdmf keeps them in scipy; Arrow has no complex type: before, ArrowNotImplementedError
    # "Unsupported numpy type 15"
    with pytest.raises(SparseMatrixError, match=r"CSRMatrix 'm': 'data' of a complex dtype"):
        make()  # type: ignore[operator]


# -- 2. EnumData's out-of-range row gave pyarrow's bare "index out of bounds" -----------------


def test_enum_row_out_of_range_names_the_column() -> None:
    e = EnumData(name="e", description="d", data=[0, 1], elements=["a", "b"])
    assert e[-1] == "b"
    assert e[np.int64(0)] == "a"
    with pytest.raises(RowIndexError, match=r"EnumData 'e': row 5 out of range \(length 2\)"):
        e[5]
    with pytest.raises(RowIndexError, match=r"row -3 out of range"):
        e.get(-3)


# -- 3. a standalone EnumData lost its elements in a store round trip -------------------------


def test_standalone_enum_round_trips(tmp_path: Path) -> None:
    e = EnumData(name="e", description="d", data=[0, 1, 2, 0], elements=["a\tb", "\n", ""])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hdmf_arrow.write(SimpleMultiContainer(name="root", containers=[e]), tmp_path / "s")
    back = hdmf_arrow.read(tmp_path / "s")["e"]
    assert back.elements == ("a\tb", "\n", "")
    assert list(back[0:4]) == ["a\tb", "\n", "", "a\tb"]


def test_standalone_enum_keeps_unused_elements_its_ids_and_its_shape(tmp_path: Path) -> None:
    e = EnumData(name="e", description="d", data=[0, 0], elements=["a", "b", "unused"])
    nd = EnumData(name="nd", description="d", data=[[0, 1], [1, 1]], elements=["x", "y"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hdmf_arrow.write(SimpleMultiContainer(name="root", containers=[e, nd]), tmp_path / "s")
    root = hdmf_arrow.read(tmp_path / "s")
    assert root["e"].elements == ("a", "b", "unused")  # a file's dictionary holds "a" alone
    assert root["e"].elements_data.object_id == e.elements_data.object_id
    assert root["nd"].data[:].tolist() == [[0, 1], [1, 1]]
    assert list(root["nd"][1]) == ["y", "y"]
    assert hdmf_arrow.validate(tmp_path / "s") == []


def test_standalone_enum_to_hdf5_is_refused_clearly_and_writes_nothing(tmp_path: Path) -> None:
    from hdmf_arrow.errors import UnsupportedHDF5Error
    from hdmf_arrow.io.hdf5 import export_hdf5

    e = EnumData(name="e", description="d", data=[0], elements=["a"])
    with pytest.raises(UnsupportedHDF5Error, match="EnumData 'e' is outside a table"):
        export_hdf5(SimpleMultiContainer(name="root", containers=[e]), tmp_path / "x.h5")
    assert not (tmp_path / "x.h5").exists()


def test_standalone_enum_in_hdf5_is_refused_clearly(tmp_path: Path) -> None:
    import h5py

    from hdmf_arrow.errors import UnsupportedHDF5Error
    from hdmf_arrow.io.hdf5 import import_hdf5

    path = tmp_path / "x.h5"
    with h5py.File(path, "w") as f:  # hdmf's layout: codes, and a reference to the elements
        f.attrs.update(data_type="SimpleMultiContainer", namespace="hdmf-common")
        f.attrs["object_id"] = "a6d0bd6a-6a4c-4d1c-9f0e-1d3b1c9f1a01"
        el = f.create_dataset("e_elements", data=np.array([b"a", b"b"]))
        el.attrs.update(data_type="VectorData", namespace="hdmf-common", description="d")
        el.attrs["object_id"] = "a6d0bd6a-6a4c-4d1c-9f0e-1d3b1c9f1a02"
        ds = f.create_dataset("e", data=np.array([0, 1], dtype=np.uint8))
        ds.attrs.update(data_type="EnumData", namespace="hdmf-experimental", description="d")
        ds.attrs["object_id"] = "a6d0bd6a-6a4c-4d1c-9f0e-1d3b1c9f1a03"
        ds.attrs["elements"] = el.ref
    with pytest.raises(UnsupportedHDF5Error, match="EnumData outside a table"):
        import_hdf5(path, tmp_path / "s")  # before: TypeError, "unexpected keyword argument"


# -- 4. EnumData: rows out of range in a list gave pyarrow's bare ArrowIndexError -------------


def test_enum_rows_out_of_range_in_a_list_name_the_column() -> None:
    e = EnumData(name="e", description="d", data=[0, 1], elements=["a", "b"])
    assert list(e[[1, -2]]) == ["b", "a"]
    with pytest.raises(RowIndexError, match=r"EnumData 'e': row 9 out of range \(length 2\)"):
        e[[0, 9]]
    with pytest.raises(RowIndexError, match=r"row -5 out of range"):
        e.get(np.array([-5]))


# -- 5. 2-D elements crashed with "unhashable type: 'list'" -----------------------------------


def test_two_dimensional_elements_are_refused_naming_the_column() -> None:
    with pytest.raises(CellValueError, match=r"EnumData 'e': expected one-dimensional elements"):
        EnumData(name="e", description="d", data=[0], elements=np.array([["a"], ["b"]]))


# -- 6. ragged rows out of range, or a mask of the wrong length, in a list ---------------------


def test_ragged_rows_out_of_range_or_a_short_mask_name_the_column() -> None:
    from hdmf_arrow.common import DynamicTable

    t = DynamicTable(name="t", description="d")
    t.add_column("s", "spikes", data=[[0.5], [1.5, 2.5]], index=True)
    assert t["s"][[1, -2]] == [[1.5, 2.5], [0.5]]
    with pytest.raises(RowIndexError, match=r"'s_index': row 5 out of range \(length 2\)"):
        t["s"][[0, 5]]  # before: pyarrow's bare "index out of bounds"
    with pytest.raises(RowIndexError, match=r"boolean mask of shape \(3,\) for 2 rows"):
        t["s"][np.array([True, False, True])]  # before: pyarrow's bare error


# -- 7. (review of the fix) stores written before it, and elements Parquet cannot keep --------


def test_a_standalone_enum_stored_without_its_elements_listed_still_opens(tmp_path: Path) -> None:
    import json

    from hdmf_arrow.common import DynamicTable

    e = EnumData(name="e", description="d", data=["a", "b", "a"], elements=["a", "b", "c"])
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[1, 2])
    location = tmp_path / "s.hdmf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hdmf_arrow.write(SimpleMultiContainer(name="root", containers=[e, t]), location)
    path = sorted((location / "_hdmf" / "versions").glob("*.json"))[-1]
    manifest = json.loads(path.read_text())
    (node,) = [c for c in manifest["root"]["children"] if c["name"] == "e"]
    del node["elements"], node["elements_object_id"]  # as the writer before the fix left it
    path.write_text(json.dumps(manifest))
    root = hdmf_arrow.read(location)
    assert root["t"]["x"].data.tolist() == [1, 2]  # the rest of the tree opens
    assert list(root["e"][:]) == ["a", "b", "a"]
    assert set(root["e"].elements) >= {"a", "b"}  # the file's dictionary: "c" too, or not


@pytest.mark.parametrize("elements", [[1.5, 2.5], [1, 2]])
def test_a_standalone_enum_of_numbers_is_refused_before_writing(
    tmp_path: Path, elements: list[float]
) -> None:
    from hdmf_arrow.errors import SchemaMismatchError

    e = EnumData(name="e", description="d", data=[0, 1], elements=elements)
    with pytest.raises(SchemaMismatchError, match=r"dataset 'e': EnumData column 'e'"):
        hdmf_arrow.write(SimpleMultiContainer(name="root", containers=[e]), tmp_path / "s")
    assert not (tmp_path / "s").exists()  # before: written, then could not be read


def test_rows_by_a_two_dimensional_list_of_positions_are_refused(tmp_path: Path) -> None:
    from hdmf_arrow.errors import CellTypeError

    e = EnumData(name="e", description="d", data=[0, 1], elements=["a", "b"])
    with pytest.raises(CellTypeError, match=r"EnumData 'e': rows are selected by a 1-D list"):
        e.get(np.array([[0, 1], [1, 0]]))
