"""Values in the shapes hdmf gives and takes: compound rows, ragged N-D cells, index dtypes,
enum codes, meanings tables set at once."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

import hdmf_arrow
from hdmf_arrow.common import (
    DynamicTable,
    EnumData,
    MeaningsTable,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.errors import CellTypeError, CellValueError

COMPOUND = np.dtype([("species", "U20"), ("age", "i4"), ("weight", "f8")])


def test_a_structured_array_is_a_struct_column() -> None:
    rows = np.array([("Homo sapiens", 24, 70.5), ("Mus musculus", 1, 0.02)], dtype=COMPOUND)
    col = VectorData("subjects", "who", data=rows)
    assert col.to_arrow().type == pa.struct(
        [("species", pa.string()), ("age", pa.int32()), ("weight", pa.float64())]
    )
    assert col.data.dtype.names == ("species", "age", "weight")
    np.testing.assert_array_equal(col.data["age"], [24, 1])
    assert col[1]["species"] == "Mus musculus"
    col.extend(np.array([("Rattus", 2, 0.3)], dtype=COMPOUND))
    assert col.data["species"].tolist() == ["Homo sapiens", "Mus musculus", "Rattus"]


def test_tuples_of_mixed_types_keep_their_types() -> None:
    col = VectorData("m", "mixed", data=[(1, "a", True), (2, "b", False)])
    assert col.to_arrow().type == pa.struct(
        [("f0", pa.int64()), ("f1", pa.string()), ("f2", pa.bool_())]
    )
    assert tuple(col[0]) == (1, "a", True)


def test_numeric_tuples_stay_an_nd_column() -> None:
    col = VectorData("xy", "positions", data=[(1.0, 2.0), (3.0, 4.0)])
    assert col.data.shape == (2, 2)


def test_struct_columns_round_trip_through_the_store(tmp_path: object) -> None:
    rows = np.array([("a", 1, 0.5), ("b", 2, 1.5), ("c", 3, 2.5)], dtype=COMPOUND)
    t = DynamicTable(name="subjects", description="d")
    t.add_column("info", "compound", data=rows)
    t.add_column("pairs", "ragged compound", data=rows, index=[1, 3, 3])
    location = f"{tmp_path}/s.hdmf"
    hdmf_arrow.write(t, location)
    back = hdmf_arrow.read(location)
    assert back["info"].data.tolist() == rows.tolist()
    cells = back.to_dataframe()["pairs"].tolist()
    assert [c.tolist() for c in cells] == [rows[:1].tolist(), rows[1:].tolist(), []]


def test_ragged_nd_cells_are_nd_arrays() -> None:
    t = DynamicTable(name="t", description="d")
    data = np.array([[1.0, 11.0], [2.0, 12.0], [3.0, 21.0]])
    t.add_column("xy", "ragged pairs", data=data, index=[2, 3])
    cells = t.to_dataframe()["xy"]
    assert cells[0].shape == (2, 2)
    np.testing.assert_array_equal(cells[1], [[3.0, 21.0]])
    row = t.get([0], df=False)
    assert row[0] == [0]
    np.testing.assert_array_equal(row[1][0], data[:2])


def test_ragged_compound_cells_are_structured_arrays_and_nulls_stay_none() -> None:
    rows = np.array([("a", 1, 0.5), ("b", 2, 1.5)], dtype=COMPOUND)
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[1, 2, 3])
    t.add_column("c", "ragged compound", data=rows, index=[1, 1, 2])
    cells = t.to_dataframe()["c"].tolist()
    assert cells[0].dtype.names == ("species", "age", "weight")
    assert len(cells[1]) == 0
    assert cells[2]["species"].tolist() == ["b"]


@pytest.mark.parametrize(
    ("total", "dtype"),
    [(0, np.uint8), (255, np.uint8), (256, np.uint16), (65535, np.uint16), (65536, np.uint32)],
)
def test_index_data_is_the_narrowest_unsigned_type(total: int, dtype: type) -> None:
    values = VectorData("v", "d")
    index = VectorIndex("v_index", [], target=values)
    index.add_vector(np.zeros(total))
    assert index.data.dtype == dtype
    assert index.data.tolist() == [total]
    assert index.to_arrow().offsets.type == pa.int32()  # the Arrow offsets are unchanged


def test_empty_selections_select_nothing() -> None:
    values = VectorData("v", "d", data=[1, 2, 3])
    index = VectorIndex("v_index", [2, 3], target=values)
    assert index[[]] == []
    assert values.get([]).tolist() == []


def test_enum_add_row_with_a_code() -> None:
    e = EnumData("cv", "d", elements=["a", "b", "c"])
    e.add_row("b")
    e.add_row(2, index=True)
    assert e[:].tolist() == ["b", "c"]
    with pytest.raises(CellValueError, match=r"EnumData 'cv': code 3 out of range"):
        e.add_row(3, index=True)
    with pytest.raises(CellTypeError, match=r"EnumData 'cv': index=True takes an integer code"):
        e.add_row("a", index=True)
    assert e[:].tolist() == ["b", "c"]


def _stimuli() -> DynamicTable:
    t = DynamicTable(name="trials", description="d")
    t.add_column("stimulus", "s", data=["a", "b"])
    t.add_column("response", "r", data=["x", "y"])
    return t


def test_meanings_tables_given_to_the_constructor_and_set_at_once() -> None:
    col = VectorData("stimulus", "s", data=["a", "b"])
    mt = MeaningsTable(target=col)
    mt.add_row(value="a", meaning="left")
    t = DynamicTable(name="trials", description="d", columns=[col], meanings_tables=[mt])
    assert list(t.meanings_tables) == ["stimulus_meanings"]

    t2 = _stimuli()
    m1, m2 = MeaningsTable(target=t2["stimulus"]), MeaningsTable(target=t2["response"])
    t2.meanings_tables = [m1, m2]
    assert sorted(t2.meanings_tables) == ["response_meanings", "stimulus_meanings"]


def test_a_refused_meanings_table_leaves_the_old_ones() -> None:
    t = _stimuli()
    keep = MeaningsTable(target=t["stimulus"])
    t.add_meanings_table(keep)
    stranger = MeaningsTable(target=VectorData("other", "not a column of t", data=["q"]))
    with pytest.raises(ValueError, match="is not a column"):
        t.meanings_tables = [MeaningsTable(target=t["response"]), stranger]
    assert list(t.meanings_tables) == ["stimulus_meanings"]


def test_struct_columns_round_trip_through_hdf5(tmp_path: object) -> None:
    rows = np.array([("a", 1, 0.5), ("b", 2, 1.5), ("c", 3, 2.5)], dtype=COMPOUND)
    t = DynamicTable(name="subjects", description="d")
    t.add_column("info", "compound", data=rows)
    path = f"{tmp_path}/s.h5"
    hdmf_arrow.export_hdf5(t, path)
    with hdmf_arrow.HDF5IO(path, "r") as io:
        back = io.read()
        assert back["info"].data.tolist() == rows.tolist()


def test_from_dataframe_honours_enum_and_table_in_column_specs() -> None:
    import pandas as pd

    from hdmf_arrow.common import DynamicTableRegion

    sites = DynamicTable(name="sites", description="d")
    sites.add_column("x", "x", data=[1.0, 2.0, 3.0])
    df = pd.DataFrame({"a": [1, 2], "site": [0, 2], "near": [[0, 1], [2]], "kind": ["u", "v"]})
    specs = [
        {"name": "site", "description": "one site", "table": sites},
        {"name": "near", "description": "sites near", "table": sites},
        {"name": "kind", "description": "kind", "enum": True},
    ]
    t = DynamicTable.from_dataframe(df, "cells", columns=specs)
    assert t.colnames == ("a", "site", "near", "kind")
    assert isinstance(t["site"], DynamicTableRegion)
    assert t["site"].table is sites
    assert t["near"].target.table is sites
    assert isinstance(t["kind"], EnumData)
    assert t["kind"].elements == ("u", "v")
    assert t["site"].description == "one site"
    assert t.to_dataframe()["near"][0]["x"].tolist() == [1.0, 2.0]


def test_from_dataframe_refuses_specs_without_data_and_missing_required_columns() -> None:
    import pandas as pd

    from hdmf_arrow.errors import TableShapeError

    df = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(TableShapeError, match=r"'t': columns \['b'\] are specified but not"):
        DynamicTable.from_dataframe(df, "t", columns=[{"name": "b", "description": "b"}])

    class Sessions(DynamicTable):
        __columns__ = ({"name": "start", "description": "s", "required": True},)

    missing = r"Sessions 's': .*missing required columns \['start'\]"
    with pytest.raises(TableShapeError, match=missing):
        Sessions.from_dataframe(df, "s")


def test_tables_compare_by_content_and_copy_shares_values() -> None:
    a = _stimuli()
    b = _stimuli()
    assert a == b
    assert a is not b
    assert {a, b} == {a, b}
    assert len({a, b}) == 2
    c = a.copy()
    assert c == a
    assert type(c) is type(a)
    assert c.object_id != a.object_id
    c.add_row(stimulus="c", response="z")
    assert c != a
    assert len(a) == 2
    b.description = "other"
    assert a != b


def test_aligned_meanings_by_category() -> None:
    from hdmf_arrow.common import AlignedDynamicTable

    cat = DynamicTable(name="stim", description="d")
    cat.add_column("kind", "k", data=["a", "b"])
    aligned = AlignedDynamicTable(name="trials", description="d", category_tables=[cat])
    mt = MeaningsTable(target=cat["kind"])
    cat.add_meanings_table(mt)
    assert aligned.get_meanings_for_column("kind", category="stim") is mt
    with pytest.raises(KeyError):
        aligned.get_meanings_for_column("nope", category="stim")


def test_a_predefined_column_added_against_its_definition_warns() -> None:
    class Units(DynamicTable):
        __columns__ = ({"name": "quality", "description": "q"},)

    u = Units(name="u", description="d")
    contradicted = r"Column 'quality' is predefined in Units with index=False"
    with pytest.warns(UserWarning, match=contradicted):
        u.add_column("quality", "q", index=True)
    assert isinstance(u["quality"], VectorIndex)  # the arguments win, as in hdmf


def test_compound_cells_are_tuples_in_dataframes() -> None:
    col = VectorData("m", "mixed", data=[(1, "a", True), (2, "b", False)])
    t = DynamicTable(name="t", description="d", columns=[col])
    assert t.to_dataframe()["m"].tolist() == [(1, "a", True), (2, "b", False)]
    assert t[1]["m"].tolist() == [(2, "b", False)]


def test_a_doubly_ragged_column_of_empty_cells_takes_values_later() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[1, 2])
    t.add_column("bursts", "b", data=[[], []], index=2)
    t.add_row(x=3, bursts=[[1, 2], [3]])
    assert t["bursts"][:] == [[], [], [[1, 2], [3]]]
    assert t["bursts"].to_arrow().type == pa.list_(pa.list_(pa.int64()))


def test_id_search_takes_integers_only() -> None:
    from hdmf_arrow.common import ElementIdentifiers

    ids = ElementIdentifiers("id", [10, 11, 12])
    assert (ids == [12, 10]).tolist() == [0, 2]
    with pytest.raises(TypeError, match=r"ElementIdentifiers 'id': ids are integers, found <U"):
        ids == "11"  # noqa: B015


def _referenced() -> tuple[object, object, DynamicTable]:
    from hdmf_arrow.common import Group

    g1, g2 = Group("group1"), Group("group2")
    t = DynamicTable(name="table", description="d")
    t.add_column("x", "ints")
    t.add_column("y", "references")
    t.add_row(id=101, x=1, y=g1)
    t.add_row(id=102, x=2, y=g2)
    return g1, g2, t


def test_containers_in_a_column_are_references_by_object_id() -> None:
    g1, g2, t = _referenced()
    assert t["y"].reftype == "object"
    assert t["y"].data.tolist() == [g1.object_id, g2.object_id]
    col = VectorData("z", "refs", data=[g2, None, g1])
    assert col.reftype == "object"
    assert col.data.tolist() == [g2.object_id, None, g1.object_id]


def test_a_refused_reference_row_changes_nothing() -> None:
    from hdmf_arrow.common import Group

    t = DynamicTable(name="table", description="d")
    t.add_column("x", "ints", data=[1])
    t.add_column("y", "text", data=["a"])
    with pytest.raises(CellTypeError, match=r"column 'y'"):
        t.add_row(x=2, y=Group("g"))  # a column of text is not a column of references
    empty = DynamicTable(name="e", description="d")
    empty.add_column("x", "ints", dtype="int")
    empty.add_column("y", "refs")
    with pytest.raises(CellTypeError, match=r"column 'x'"):
        empty.add_row(x="not an int", y=Group("g"))
    assert len(empty) == 0
    assert empty["y"].reftype is None


def test_reference_columns_round_trip_through_the_store_and_hdf5(tmp_path: object) -> None:
    import h5py

    from hdmf_arrow.common import SimpleMultiContainer

    g1, g2, t = _referenced()
    root = SimpleMultiContainer("multi", [g1, g2, t])
    hdmf_arrow.write(root, f"{tmp_path}/r.hdmf")
    back = hdmf_arrow.read(f"{tmp_path}/r.hdmf")["table"]["y"]
    assert back.reftype == "object"
    assert back.data.tolist() == [g1.object_id, g2.object_id]
    hdmf_arrow.export_hdf5(root, f"{tmp_path}/r.h5")
    with h5py.File(f"{tmp_path}/r.h5") as f:
        assert [f[r].name for r in f["table/y"][:]] == ["/group1", "/group2"]


def test_a_region_cell_is_the_referenced_rows_and_get_takes_index_and_df() -> None:
    sites = DynamicTable(name="sites", description="d")
    sites.add_column("x", "x", data=[1.0, 2.0, 3.0])
    t = DynamicTable(name="units", description="d")
    t.add_column("site", "one site", data=[2, 0], table=sites)
    t.add_column("near", "sites near", data=[[0, 1], [2]], table=sites, index=True)
    assert t[0, "site"]["x"].tolist() == [3.0]  # as hdmf: rows of the target
    assert t[1, "near"]["x"].tolist() == [3.0]
    assert t["site"].get(0, index=True) == 2
    assert t["site"].get([0, 1], index=True).tolist() == [2, 0]
    assert t["site"].get(0, df=False) == [2, 3.0]


def test_target_tables_refuses_a_predefined_column_that_is_not_a_region() -> None:
    from hdmf_arrow.errors import TableShapeError

    class Units(DynamicTable):
        __columns__ = (
            {"name": "quality", "description": "q"},
            {"name": "site", "description": "s", "table": True},
        )

    sites = DynamicTable(name="sites", description="d")
    with pytest.raises(TableShapeError, match=r"Units 'u': column 'quality' must be a Dyn"):
        Units(name="u", description="d", target_tables={"quality": sites})
    assert Units(name="u", description="d", target_tables={"site": sites})["site"].table is sites


def test_fields_declared_the_hdmf_way_become_properties() -> None:
    from hdmf_arrow.common import Container

    class Probe(Container):
        __fields__ = ("manufacturer", {"name": "shank", "child": True})

        def __init__(self, name: str, manufacturer: str | None = None, shank: object = None):
            super().__init__(name)
            self.manufacturer = manufacturer
            self.shank = shank

    shank = Container("shank0")
    probe = Probe("probe", "acme", shank)
    assert probe.manufacturer == "acme"
    assert shank.parent is probe
    assert probe.fields == {"manufacturer": "acme", "shank": shank}
    assert Probe("bare").manufacturer is None
    with pytest.raises(TypeError, match=r"Bad.__fields__: expected a name"):

        class Bad(Container):
            __fields__ = (3,)
