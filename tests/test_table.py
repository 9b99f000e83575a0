"""DynamicTable: construction, add_column, add_row, indexing, pandas/Arrow/polars conversions."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from hdmf_arrow.common import (
    DynamicTable,
    DynamicTableRegion,
    ElementIdentifiers,
    EnumData,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.errors import (
    CellValueError,
    ColumnNotFoundError,
    DuplicateColumnError,
    DuplicateIdError,
    InvalidNameError,
    RowIndexError,
    TableShapeError,
    UnsupportedKeyError,
)

# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def subjects() -> DynamicTable:
    """The seed document's first example."""
    t = DynamicTable(name="subjects", description="Information about experimental subjects")
    t.add_column("subject_id", "Unique subject identifier")
    t.add_column("age", "Age in months", dtype="int")
    t.add_column("weight", "Weight in grams", dtype="float")
    t.add_column("genotype", "Genetic background")
    t.add_row(subject_id="mouse_001", age=8, weight=25.3, genotype="WT")
    t.add_row(subject_id="mouse_002", age=10, weight=27.1, genotype="KO")
    t.add_row(subject_id="mouse_003", age=9, weight=24.8, genotype="WT")
    return t


@pytest.fixture
def units() -> DynamicTable:
    """Five rows: an int, a float, a string and a ragged column."""
    t = DynamicTable(name="units", description="sorted units")
    t.add_column("a", "an int", dtype="int")
    t.add_column("b", "a float", dtype="float")
    t.add_column("c", "a string")
    t.add_column("r", "ragged ints", index=True)
    for i in range(5):
        t.add_row(a=i * 10, b=i * 1.5, c=f"s{i}", r=list(range(i)))
    return t


@pytest.fixture
def target() -> DynamicTable:
    """A region target whose ids differ from its row positions."""
    t = DynamicTable(name="electrodes", description="electrodes", id=[10, 11, 12, 13])
    t.add_column("x", "x position", data=[1.0, 2.0, 3.0, 4.0])
    t.add_column("loc", "location", data=["CA1", "CA1", "CA3", "DG"])
    return t


# -- construction ------------------------------------------------------------------------------


def test_empty_table() -> None:
    t = DynamicTable(name="t", description="desc")
    assert t.name == "t"
    assert t.description == "desc"
    assert len(t) == 0
    assert t.colnames == ()
    assert t.columns == ()
    assert isinstance(t.id, ElementIdentifiers)
    assert t.id.name == "id"
    assert len(t.object_id) == 36


def test_constructor_columns_set_rows_and_default_ids() -> None:
    a = VectorData("a", "a", [1, 2, 3])
    b = VectorData("b", "b", ["x", "y", "z"])
    t = DynamicTable(name="t", description="d", columns=[a, b])
    assert len(t) == 3
    assert t.colnames == ("a", "b")
    assert t.id.data.tolist() == [0, 1, 2]
    assert t["a"] is a
    assert a.parent is t


def test_constructor_explicit_ids() -> None:
    t = DynamicTable(name="t", description="d", id=[5, 7], columns=[VectorData("a", "a", [1, 2])])
    assert t.id.data.tolist() == [5, 7]
    assert t[1].index.tolist() == [7]


def test_constructor_index_columns_and_colnames_order() -> None:
    vd = VectorData("r", "r", [1, 2, 3])
    vi = VectorIndex("r_index", [1, 3], vd)
    z = VectorData("z", "z", [0, 0])
    t = DynamicTable(name="t", description="d", columns=[vd, vi, z], colnames=["z", "r"])
    assert t.colnames == ("z", "r")
    assert [c.name for c in t.columns] == ["z", "r_index", "r"]
    assert t["r"] is vi
    assert t["r"][1] == [2, 3]
    assert len(t) == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"columns": [VectorData("a", "a", [1]), VectorData("a", "b", [2])]},
            "duplicate names",
        ),
        (
            {"columns": [VectorData("a", "a", [1, 2]), VectorData("b", "b", [1])]},
            "same length",
        ),
        ({"id": [1], "columns": [VectorData("a", "a", [1, 2])]}, "same number of ids"),
        ({"colnames": ["a"]}, "must supply 'columns'"),
    ],
)
def test_constructor_errors(kwargs: dict, match: str) -> None:
    with pytest.raises(TableShapeError, match=match) as info:
        DynamicTable(name="t", description="d", **kwargs)
    assert isinstance(info.value, ValueError)


def test_constructor_bad_name_and_description() -> None:
    with pytest.raises(InvalidNameError, match="cannot contain a '/' or ':'"):
        DynamicTable(name="a/b", description="d")
    with pytest.raises(ValueError, match="cannot contain"):
        DynamicTable(name="a:b", description="d")
    with pytest.raises(TypeError, match="description"):
        DynamicTable(name="t", description=5)  # type: ignore[arg-type]


def test_seed_subjects_example(subjects: DynamicTable) -> None:
    assert len(subjects) == 3
    assert subjects.colnames == ("subject_id", "age", "weight", "genotype")
    ages = subjects.get_column("age").data
    assert isinstance(ages, np.ndarray)
    assert ages.tolist() == [8, 10, 9]
    df = subjects.to_dataframe()
    assert df.index.name == "id"
    assert df.index.tolist() == [0, 1, 2]
    assert df["weight"].tolist() == [25.3, 27.1, 24.8]
    assert df["genotype"].tolist() == ["WT", "KO", "WT"]


# -- add_column --------------------------------------------------------------------------------


def test_add_column_dtype_int_is_int64_and_float_is_float64() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("i", "i", dtype="int")
    t.add_column("f", "f", dtype="float")
    t.add_row(i=3, f=25.3)
    assert t["i"].dtype == pa.int64()
    assert t["f"].dtype == pa.float64()
    assert t["f"].data[0] == 25.3  # float32 would give 25.299999237060547
    schema = t.to_arrow().schema
    assert schema.field("i").type == pa.int64()
    assert schema.field("f").type == pa.float64()


def test_add_column_dtype_converts_given_data() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("f", "f", data=[1, 2], dtype="float")
    assert t["f"].data.dtype == np.float64
    assert t["f"].data.tolist() == [1.0, 2.0]
    t.add_column("s", "s", data=["a", "b"], dtype="text")
    assert t["s"].dtype == pa.string()


def test_add_column_plain_inferred_types(units: DynamicTable) -> None:
    assert units["c"].dtype == pa.string()
    assert units["c"].data.tolist() == ["s0", "s1", "s2", "s3", "s4"]
    assert units["a"].data.tolist() == [0, 10, 20, 30, 40]


def test_add_column_with_data_values_and_description() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("w", "Weight in grams", data=[25.3, 27.1], unit="g")
    col = t["w"]
    assert isinstance(col, VectorData)
    assert col.description == "Weight in grams"
    assert col.unit == "g"
    assert col.data.tolist() == [25.3, 27.1]


def test_add_column_first_data_sets_rows() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("p", "p")
    t.add_column("q", "q", index=True)
    assert len(t) == 0
    t.add_column("r", "r", data=["x", "y", "z"])
    assert len(t) == 3
    assert t.id.data.tolist() == [0, 1, 2]
    # the earlier, empty columns were null-filled
    assert t["p"].to_arrow().to_pylist() == [None, None, None]
    assert t["q"].to_arrow().to_pylist() == [None, None, None]
    t.add_row(p=1.5, q=[1, 2], r="w")
    assert t.to_arrow().to_pylist()[3] == {"id": 3, "p": 1.5, "q": [1, 2], "r": "w"}
    assert t["p"].to_arrow().to_pylist() == [None, None, None, 1.5]


def test_add_column_without_data_null_fills(units: DynamicTable) -> None:
    units.add_column("late", "added after rows")
    units.add_column("late_int", "typed", dtype="int")
    units.add_column("late_rag", "ragged", index=True)
    assert len(units["late"]) == 5
    assert units["late"].to_arrow().null_count == 5
    assert units["late_int"].to_arrow().to_pylist() == [None] * 5
    assert units["late_rag"].to_arrow().to_pylist() == [None] * 5
    units.add_row(a=1, b=1.0, c="x", r=[], late=7, late_int=8, late_rag=[9])
    last = units.to_arrow().to_pylist()[-1]
    assert (last["late"], last["late_int"], last["late_rag"]) == (7, 8, [9])
    df = units.to_dataframe()
    assert str(df["late_int"].dtype) == "Int64"
    assert df["late_int"].tolist()[-2:] == [pd.NA, 8]


def test_add_column_wrong_length_raises(units: DynamicTable) -> None:
    with pytest.raises(TableShapeError, match="same number of rows as 'id'"):
        units.add_column("z", "z", data=[1, 2])
    assert "z" not in units.colnames


def test_add_column_duplicate_raises(units: DynamicTable) -> None:
    with pytest.raises(DuplicateColumnError, match="column 'a' already exists in DynamicTable"):
        units.add_column("a", "again")
    with pytest.raises(ValueError, match="already exists"):
        units.add_column("r_index", "an index name")
    with pytest.raises(ValueError, match="already exists"):
        units.add_column("id", "the ids")


def test_add_column_index_true() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("qux", "ragged", data=[[1, 2, 3], [1, 2, 3, 4], []], index=True)
    idx = t["qux"]
    assert isinstance(idx, VectorIndex)
    assert idx.name == "qux_index"
    assert idx.data.tolist() == [3, 7, 7]
    assert idx.target.name == "qux"
    assert idx.target.data.tolist() == [1, 2, 3, 1, 2, 3, 4]
    assert idx[1] == [1, 2, 3, 4]
    assert idx[2] == []
    assert t.colnames == ("qux",)
    assert [c.name for c in t.columns] == ["qux_index", "qux"]


def test_add_column_index_2() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("qux", "doubly ragged", data=[[[1, 2, 3], [1]], [[1, 2, 3, 4], [1, 2]]], index=2)
    outer = t["qux"]
    assert outer.name == "qux_index_index"
    assert outer.data.tolist() == [2, 4]
    assert outer.target.name == "qux_index"
    assert outer.target.data.tolist() == [3, 4, 8, 10]
    assert outer[0] == [[1, 2, 3], [1]]
    assert outer[1] == [[1, 2, 3, 4], [1, 2]]
    assert t["qux_index"] is outer.target
    assert t.colnames == ("qux",)
    t.add_row(qux=[[5], [], [6, 7]])
    assert t["qux"][2] == [[5], [], [6, 7]]


def test_add_column_index_too_deep_raises() -> None:
    t = DynamicTable(name="t", description="d")
    with pytest.raises(CellValueError, match="VectorIndex"):
        t.add_column("q", "q", data=[[1], [2]], index=2)
    assert t.colnames == ()


def test_add_column_explicit_offsets() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("e", "e", data=[1, 2, 3, 4, 5], index=[2, 2, 5])
    assert len(t) == 3
    assert t["e"].data.tolist() == [2, 2, 5]
    assert [t["e"][i] for i in range(3)] == [[1, 2], [], [3, 4, 5]]


def test_add_column_region_table() -> None:
    tgt = DynamicTable(name="tgt", description="d")
    tgt.add_column("v", "v", data=[10, 20, 30])
    t = DynamicTable(name="t", description="d")
    t.add_column("ref", "refs", data=[2, 0], table=tgt)
    col = t["ref"]
    assert isinstance(col, DynamicTableRegion)
    assert col.table is tgt
    assert col.data.tolist() == [2, 0]
    assert t.get_foreign_columns() == ["ref"]
    assert t.has_foreign_columns()
    assert not tgt.has_foreign_columns()


def test_add_column_table_true_then_set() -> None:
    tgt = DynamicTable(name="tgt", description="d")
    tgt.add_column("v", "v", data=[10, 20, 30])
    t = DynamicTable(name="t", description="d")
    t.add_column("ref", "refs", table=True)
    t.add_row(ref=2)
    assert t["ref"].table is None
    t["ref"].table = tgt
    assert t["ref"][0]["v"].tolist() == [30]


def test_add_column_enum_elements() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("state", "s", data=["b", "a", "b"], enum=["a", "b"])
    col = t["state"]
    assert isinstance(col, EnumData)
    assert col.elements == ("a", "b")
    assert col.data.tolist() == [1, 0, 1]
    assert t.colnames == ("state",)
    assert [c.name for c in t.columns] == ["state", "state_elements"]
    assert "state_elements" in t


def test_add_column_enum_true_grows_on_add_row() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("state", "s", enum=True)
    t.add_row(state="run")
    t.add_row(state="rest")
    t.add_row(state="run")
    assert t["state"].elements == ("run", "rest")
    assert t["state"].data.tolist() == [0, 1, 0]


def test_add_column_enum_true_takes_elements_from_the_data() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("state", "s", data=["run", "rest", None, "run"], enum=True)
    assert t["state"].elements == ("run", "rest")
    assert t["state"].data.tolist() == [0, 1, None, 0]


def test_add_column_values_outside_given_elements_raise() -> None:
    """Deliberate: values outside explicit `elements` raise at construction."""
    t = DynamicTable(name="t", description="d")
    with pytest.raises(CellValueError, match="not one of the elements") as info:
        t.add_column("state", "s", data=["run", "walk"], enum=["run", "rest"])
    assert "'state'" in str(info.value)
    assert t.colnames == ()
    t.add_column("state", "s", data=["run", "rest", "run"], enum=["run", "rest"])
    assert t["state"].data.tolist() == [0, 1, 0]


def test_add_column_ragged_without_index_raises_even_with_check_ragged_false() -> None:
    t = DynamicTable(name="t", description="d")
    for check in (True, False):
        with pytest.raises(CellValueError, match="index=True"):
            t.add_column("rg", "rg", data=[[1], [1, 2]], check_ragged=check)
    assert t.colnames == ()
    t.add_column("rg", "rg", data=[[1], [1, 2]], index=True, check_ragged=False)
    assert t["rg"][1] == [1, 2]


def test_add_column_equal_length_lists_are_2d() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("xy", "positions", data=[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert len(t) == 3
    assert t["xy"].data.shape == (3, 2)
    assert t["xy"].data[1].tolist() == [3.0, 4.0]
    assert t[1, "xy"] == [3.0, 4.0]


def test_add_column_numpy_nd() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("img", "images", data=np.arange(12).reshape(3, 2, 2))
    assert t["img"].data.shape == (3, 2, 2)
    assert t["img"].data[2].tolist() == [[8, 9], [10, 11]]


def test_add_column_with_region_objects_makes_ragged_region(target: DynamicTable) -> None:
    """The seed's DynamicTableRegion example: a region given as a cell value."""
    ca1 = DynamicTableRegion(name="ca1", data=[0, 1], description="CA1", table=target)
    t = DynamicTable(name="analysis", description="d")
    t.add_column("neurons", "Analyzed neurons", data=[ca1])
    t.add_column("firing_rate", "Average firing rate")
    assert len(t) == 1
    t.add_row(neurons=ca1, firing_rate=15.3)
    t.add_row(neurons=DynamicTableRegion("dg", [3], "DG", table=target), firing_rate=2.0)
    assert len(t) == 3
    col = t["neurons"]
    assert isinstance(col, VectorIndex)
    assert isinstance(col.target, DynamicTableRegion)
    assert col.target.table is target
    assert t.to_arrow().column("neurons").to_pylist() == [[0, 1], [0, 1], [3]]
    assert t["firing_rate"].to_arrow().to_pylist() == [None, 15.3, 2.0]
    cell = t["neurons"][2]
    assert isinstance(cell, pd.DataFrame)
    assert cell.index.tolist() == [13]
    assert cell["loc"].tolist() == ["DG"]


def test_add_column_region_objects_of_different_tables_raise(target: DynamicTable) -> None:
    other = DynamicTable(name="other", description="d")
    other.add_column("v", "v", data=[1])
    regions = [
        DynamicTableRegion("a", [0], "d", table=target),
        DynamicTableRegion("b", [0], "d", table=other),
    ]
    t = DynamicTable(name="t", description="d")
    with pytest.raises(TableShapeError, match="different tables"):
        t.add_column("r", "r", data=regions)
    assert t.colnames == ()


def test_add_column_table_and_enum_raises() -> None:
    t = DynamicTable(name="t", description="d")
    with pytest.raises(ValueError, match="both a region"):
        t.add_column("x", "x", table=True, enum=True)


def test_add_column_passing_vector_index_raises() -> None:
    t = DynamicTable(name="t", description="d")
    idx = VectorIndex("q_index", [1, 2], VectorData("q", "q", [1, 2]))
    with pytest.raises(ValueError, match="VectorIndex may lead to unexpected behavior"):
        t.add_column("q", "q", data=[1, 2], index=idx)


def test_add_column_col_cls() -> None:
    class Weights(VectorData):
        pass

    t = DynamicTable(name="t", description="d")
    t.add_column("w", "w", data=[1.0], col_cls=Weights)
    assert type(t["w"]) is Weights


# -- add_row -----------------------------------------------------------------------------------


def test_add_row_kwargs_and_dict() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("a", "a")
    t.add_column("b", "b")
    t.add_row(a=1, b="x")
    t.add_row({"a": 2, "b": "y"})
    t.add_row(data={"a": 3}, b="z")
    assert t.to_arrow().to_pylist() == [
        {"id": 0, "a": 1, "b": "x"},
        {"id": 1, "a": 2, "b": "y"},
        {"id": 2, "a": 3, "b": "z"},
    ]


def test_add_row_none_is_null() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("a", "a", dtype="int")
    t.add_column("s", "s", dtype="text")
    t.add_row(a=None, s=None)
    t.add_row(a=2, s="x")
    assert t.to_arrow().to_pylist() == [
        {"id": 0, "a": None, "s": None},
        {"id": 1, "a": 2, "s": "x"},
    ]


def test_add_row_ids() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("a", "a")
    t.add_row(a=1)  # id defaults to len(table)
    t.add_row(a=2, id=10)
    t.add_row({"a": 3, "id": 42})  # id inside the row dict
    t.add_row(a=4, id=np.int64(7))
    t.add_row(a=5)  # len(table) again, not max + 1
    assert t.id.data.tolist() == [0, 10, 42, 7, 4]
    assert t["a"].data.tolist() == [1, 2, 3, 4, 5]


def test_add_row_duplicate_id_allowed_unless_enforced() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("a", "a")
    t.add_row(a=1, id=5)
    t.add_row(a=2, id=5)
    assert t.id.data.tolist() == [5, 5]
    with pytest.raises(DuplicateIdError, match="id 5 already in the table"):
        t.add_row(a=3, id=5, enforce_unique_id=True)
    t.add_row(a=3, id=6, enforce_unique_id=True)
    with pytest.raises(ValueError, match="id 6 already"):
        t.add_row(a=4, id=6, enforce_unique_id=True)
    assert t.id.data.tolist() == [5, 5, 6]


def test_enforce_unique_id_sees_ids_from_first_data_column() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("a", "a", dtype="int")
    with pytest.raises(TypeError):
        t.add_row(a="x", enforce_unique_id=True)
    t.add_column("b", "b", data=[1, 2, 3])  # sets ids 0, 1, 2
    with pytest.raises(DuplicateIdError):
        t.add_row(a=1, b=4, id=0, enforce_unique_id=True)


def test_add_row_seed_regions(target: DynamicTable) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("neurons", "n", data=[DynamicTableRegion("a", [0, 2], "d", table=target)])
    t.add_row(neurons=[1])  # row positions work too
    assert t.to_arrow().column("neurons").to_pylist() == [[0, 2], [1]]


def test_add_row_then_index_table_columns_aligned(units: DynamicTable) -> None:
    assert len(units) == 5
    assert all(len(c) == 5 for c in (units["a"], units["b"], units["c"], units["r"]))
    assert units["r"].data.tolist() == [0, 1, 3, 6, 10]
    assert units["r"].target.data.tolist() == [0, 0, 1, 0, 1, 2, 0, 1, 2, 3]


# -- __getitem__ / get -------------------------------------------------------------------------


def test_getitem_int_gives_one_row_dataframe(units: DynamicTable) -> None:
    df = units[2]
    assert isinstance(df, pd.DataFrame)
    assert df.index.tolist() == [2]
    assert df.index.name == "id"
    assert list(df.columns) == ["a", "b", "c", "r"]
    assert df["a"].tolist() == [20]
    assert df["c"].tolist() == ["s2"]
    assert list(df["r"].iloc[0]) == [0, 1]


def test_getitem_negative_int(units: DynamicTable) -> None:
    assert units[-1].index.tolist() == [4]
    assert units[-5].index.tolist() == [0]
    assert units[np.int64(-2)].index.tolist() == [3]


def test_getitem_slices(units: DynamicTable) -> None:
    assert units[1:3].index.tolist() == [1, 2]
    assert units[::2].index.tolist() == [0, 2, 4]
    assert units[::2]["a"].tolist() == [0, 20, 40]
    assert units[::-1].index.tolist() == [4, 3, 2, 1, 0]
    assert units[-2:].index.tolist() == [3, 4]
    assert units[3:1].index.tolist() == []


def test_getitem_list_keeps_order_and_duplicates(units: DynamicTable) -> None:
    df = units[[3, 1, 3]]
    assert df.index.tolist() == [3, 1, 3]
    assert df["c"].tolist() == ["s3", "s1", "s3"]
    assert units[[-1, 0]].index.tolist() == [4, 0]
    empty = units[[]]
    assert len(empty) == 0
    assert list(empty.columns) == ["a", "b", "c", "r"]


def test_getitem_ndarray_and_bool_mask(units: DynamicTable) -> None:
    assert units[np.array([4, 0])].index.tolist() == [4, 0]
    assert units[np.array([1], dtype=np.uint8)].index.tolist() == [1]
    mask = np.array([True, False, True, False, False])
    assert units[mask].index.tolist() == [0, 2]
    assert units[units["a"].data > 15]["a"].tolist() == [20, 30, 40]


def test_getitem_bool_mask_wrong_length(units: DynamicTable) -> None:
    with pytest.raises(IndexError, match="units"):
        units[np.array([True, False])]


def test_getitem_id_equality() -> None:
    t = DynamicTable(name="t", description="d", id=[10, 11, 12])
    t.add_column("a", "a", data=[1, 2, 3])
    assert t[t.id == 11]["a"].tolist() == [2]
    assert t[t.id == 11].index.tolist() == [11]
    assert t[t.id == [12, 10]].index.tolist() == [10, 12]  # positions ascending, as hdmf
    assert len(t[t.id == 99]) == 0


def test_getitem_row_and_column_name(units: DynamicTable) -> None:
    assert units[1, "c"] == "s1"
    assert units[1, "b"] == 1.5
    assert units[3, "r"] == [0, 1, 2]
    assert units[1:3, "b"] == [1.5, 3.0]
    assert units[[4, 0], "a"] == [40, 0]
    assert units[:, "r"] == [[], [0], [0, 1], [0, 1, 2], [0, 1, 2, 3]]
    assert units[-1, "c"] == "s4"


def test_getitem_row_and_column_position_zero_is_id() -> None:
    t = DynamicTable(name="t", description="d", id=[7, 8, 9])
    t.add_column("a", "a", data=[1, 2, 3])
    t.add_column("b", "b", data=[4.0, 5.0, 6.0])
    assert t[2, 0] == 9
    assert t[2, 1] == 3
    assert t[2, 2] == 6.0
    assert t[0, -1] == 4.0
    with pytest.raises(KeyError, match="position 3"):
        t[0, 3]


def test_getitem_str_gives_column_objects(units: DynamicTable) -> None:
    assert isinstance(units["a"], VectorData)
    assert units["id"] is units.id
    ragged = units["r"]
    assert isinstance(ragged, VectorIndex)  # the outermost index, as hdmf
    assert units["r_index"] is ragged
    assert units.get_column("r") is ragged


def test_getitem_missing_str_raises_keyerror(units: DynamicTable) -> None:
    with pytest.raises(ColumnNotFoundError, match="has no column 'nope'") as info:
        units["nope"]
    assert isinstance(info.value, KeyError)
    assert "units" in str(info.value)
    with pytest.raises(KeyError):
        units[0, "nope"]


def test_get_missing_str_returns_default(units: DynamicTable) -> None:
    assert units.get("nope") is None
    assert units.get("nope", "fallback") == "fallback"
    assert units.get("a") is units["a"]


def test_getitem_float_key_raises_keyerror(units: DynamicTable) -> None:
    with pytest.raises(UnsupportedKeyError, match="Key type not supported by DynamicTable") as info:
        units[1.5]
    assert isinstance(info.value, KeyError)
    assert "float" in str(info.value)
    with pytest.raises(KeyError):
        units[True]


def test_getitem_2d_array_raises_valueerror(units: DynamicTable) -> None:
    with pytest.raises(ValueError, match=r"Cannot index DynamicTable .*multiple dimensions"):
        units[np.zeros((2, 2), dtype=int)]


def test_getitem_2d_array_message(units: DynamicTable) -> None:
    with pytest.raises((ValueError, IndexError), match="multiple dimensions"):
        units[np.zeros((2, 2), dtype=int)]


@pytest.mark.parametrize("key", [5, -6, 100, [0, 5], np.array([-6]), (5, "a")])
def test_getitem_out_of_range(units: DynamicTable, key: object) -> None:
    with pytest.raises(RowIndexError) as info:
        units[key]
    assert isinstance(info.value, IndexError)
    assert str(info.value) == "Row index out of range for DynamicTable 'units' (length 5)."


def test_get_df_false_single_row(units: DynamicTable) -> None:
    row = units.get(1, df=False)
    assert len(row) == 5  # the id, then each column
    assert row[0] == 1
    assert row[1:4] == [10, 1.5, "s1"]
    assert list(row[4]) == [0]


def test_get_df_false_many_rows(units: DynamicTable) -> None:
    ids, a, b, c, r = units.get([1, 2], df=False)
    assert list(ids) == [1, 2]
    assert list(a) == [10, 20]
    assert list(b) == [1.5, 3.0]
    assert list(c) == ["s1", "s2"]
    assert [list(x) for x in r] == [[0], [0, 1]]


def test_get_index_false_nests_region_rows(target: DynamicTable) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("e", "electrode", data=[2, 0], table=target)
    assert t[0]["e"].tolist() == [2]  # default: row positions
    nested = t.get(0, index=False)["e"].iloc[0]
    assert isinstance(nested, pd.DataFrame)
    assert nested.index.tolist() == [12]
    assert nested["loc"].tolist() == ["CA3"]


def test_contains(units: DynamicTable) -> None:
    assert "a" in units
    assert "r" in units
    assert "r_index" in units
    assert "nope" not in units


def test_attribute_access_is_getitem(units: DynamicTable) -> None:
    assert units.a is units["a"]
    assert units.r is units["r"]  # hdmf issue #1210 fixed: the VectorIndex, not the VectorData
    assert isinstance(units.r, VectorIndex)
    assert units.r_index is units["r_index"]
    assert "a" in dir(units)
    with pytest.raises(AttributeError, match="nope"):
        _ = units.nope


def test_colnames_and_columns_are_tuples(units: DynamicTable) -> None:
    assert units.colnames == ("a", "b", "c", "r")
    assert isinstance(units.columns, tuple)
    assert [c.name for c in units.columns] == ["a", "b", "c", "r_index", "r"]
    assert list(units) == ["a", "b", "c", "r"]


# -- to_dataframe ------------------------------------------------------------------------------


def test_to_dataframe_basic(units: DynamicTable) -> None:
    df = units.to_dataframe()
    assert df.index.name == "id"
    assert df.index.tolist() == [0, 1, 2, 3, 4]
    assert list(df.columns) == ["a", "b", "c", "r"]
    assert df["a"].dtype == np.int64
    assert df["b"].dtype == np.float64
    assert pd.api.types.is_string_dtype(df["c"])
    cell = df["r"].iloc[3]
    assert isinstance(cell, np.ndarray)
    assert cell.tolist() == [0, 1, 2]


def test_to_dataframe_exclude(units: DynamicTable) -> None:
    df = units.to_dataframe(exclude={"r", "b"})
    assert list(df.columns) == ["a", "c"]
    assert len(df) == 5


def test_to_dataframe_enum_is_categorical() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("state", "s", enum=["rest", "run"])
    t.add_row(state="rest")
    t.add_row(state="run")
    t.add_row(state=0)
    df = t.to_dataframe()
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    assert df["state"].tolist() == ["rest", "run", "rest"]
    assert list(df["state"].cat.categories) == ["rest", "run"]


def test_to_dataframe_nullable_ints() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("i", "i", dtype="int")
    t.add_column("j", "j", dtype="int")
    t.add_row(i=1, j=1)
    t.add_row(i=None, j=2)
    df = t.to_dataframe()
    assert str(df["i"].dtype) == "Int64"
    assert df["i"].isna().tolist() == [False, True]
    assert df["i"].iloc[0] == 1
    assert df["j"].dtype == np.int64  # no nulls: plain numpy


def test_to_dataframe_region_default_nests_and_index_true_gives_positions(
    target: DynamicTable,
) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("e", "electrode", data=[2, 0], table=target)
    t.add_column("many", "electrodes", data=[[0, 1], []], table=target, index=True)
    nested = t.to_dataframe()
    cell = nested["e"].iloc[0]
    assert isinstance(cell, pd.DataFrame)
    assert cell.index.tolist() == [12]
    many = nested["many"].iloc[0]
    assert many.index.tolist() == [10, 11]
    assert many["x"].tolist() == [1.0, 2.0]
    empty = nested["many"].iloc[1]
    assert len(empty) == 0
    assert list(empty.columns) == ["x", "loc"]
    flat = t.to_dataframe(index=True)
    assert flat["e"].tolist() == [2, 0]
    assert [list(v) for v in flat["many"]] == [[0, 1], []]


def test_to_dataframe_self_reference_stops_at_positions() -> None:
    t = DynamicTable(name="tree", description="d")
    t.add_column("x", "x", data=[1, 2, 3])
    t.add_column("up", "parent row", data=[0, 0, 1], table=t)
    df = t.to_dataframe()  # hdmf recurses forever here
    assert df["up"].tolist() == [0, 0, 1]
    assert df["x"].tolist() == [1, 2, 3]


def test_to_dataframe_cycle_through_two_tables() -> None:
    a = DynamicTable(name="a", description="d")
    a.add_column("x", "x", data=[1, 2])
    b = DynamicTable(name="b", description="d")
    b.add_column("to_a", "to a", data=[1, 0], table=a)
    a.add_column("to_b", "to b", data=[0, 1], table=b)
    df = a.to_dataframe()
    inner = df["to_b"].iloc[0]
    assert isinstance(inner, pd.DataFrame)
    assert inner["to_a"].tolist() == [1]  # back at `a`: positions, no further expansion


def test_empty_table_dataframe() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("a", "a", dtype="int")
    df = t.to_dataframe()
    assert len(df) == 0
    assert list(df.columns) == ["a"]
    assert df.index.name == "id"


# -- from_dataframe ----------------------------------------------------------------------------


def test_from_dataframe_round_trip_plain() -> None:
    df = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]}, index=pd.Index([0, 1], name="id"))
    t = DynamicTable.from_dataframe(df, name="foo")
    assert t.name == "foo"
    assert t.colnames == ("a", "b")
    assert t.to_dataframe().equals(df)


def test_from_dataframe_ids_ragged_categorical_and_nulls() -> None:
    df = pd.DataFrame(
        {
            "age": pd.array([8, None, 9], dtype="Int64"),
            "w": [1.5, np.nan, 2.0],
            "s": ["a", None, "c"],
            "spikes": [[0.1, 0.2], [0.3], []],
            "state": pd.Categorical(["x", "y", "x"]),
        },
        index=pd.Index([5, 6, 7], name="id"),
    )
    t = DynamicTable.from_dataframe(df, name="units")
    assert t.id.data.tolist() == [5, 6, 7]
    assert t["age"].dtype == pa.int64()
    assert t.to_arrow().to_pylist() == [
        {"id": 5, "age": 8, "w": 1.5, "s": "a", "spikes": [0.1, 0.2], "state": "x"},
        {"id": 6, "age": None, "w": None, "s": None, "spikes": [0.3], "state": "y"},
        {"id": 7, "age": 9, "w": 2.0, "s": "c", "spikes": [], "state": "x"},
    ]
    assert isinstance(t["spikes"], VectorIndex)
    assert t["spikes"][0] == [0.1, 0.2]
    assert isinstance(t["state"], EnumData)
    assert t["state"].elements == ("x", "y")
    back = t.to_dataframe()
    assert str(back["age"].dtype) == "Int64"
    assert isinstance(back["state"].dtype, pd.CategoricalDtype)


def test_from_dataframe_index_column_and_descriptions() -> None:
    df = pd.DataFrame({"k": [3, 4], "a": [1, 2]})
    t = DynamicTable.from_dataframe(
        df,
        name="q",
        index_column="k",
        table_description="a table",
        column_descriptions={"a": "the a column"},
    )
    assert t.id.data.tolist() == [3, 4]
    assert t.colnames == ("a",)
    assert t.description == "a table"
    assert t["a"].description == "the a column"
    t2 = DynamicTable.from_dataframe(df, name="q", columns=[{"name": "a", "description": "A!"}])
    assert t2["a"].description == "A!"


def test_from_dataframe_string_index_clear_error() -> None:
    df = pd.DataFrame({"a": [1, 2]}, index=["x", "y"])
    with pytest.raises(TableShapeError, match="row ids must be integers") as info:
        DynamicTable.from_dataframe(df, name="bad")
    assert isinstance(info.value, ValueError)
    assert "'bad'" in str(info.value)
    assert "index_column" in str(info.value)  # the hint


def test_from_dataframe_unconvertible_column_names_it() -> None:
    df = pd.DataFrame({"mixed": [1, "x"]})
    with pytest.raises(TypeError, match="column 'mixed'"):
        DynamicTable.from_dataframe(df, name="bad")


def test_from_dataframe_equal_length_lists_are_ragged() -> None:
    """Deliberate (docs/differences.md): list cells always make a ragged column."""
    df = pd.DataFrame({"xy": [[1, 2], [3, 4]]})
    t = DynamicTable.from_dataframe(df, name="q")
    assert isinstance(t["xy"], VectorIndex)
    assert t["xy"][1] == [3, 4]


# -- Arrow and polars --------------------------------------------------------------------------


def _with_regions(target: DynamicTable) -> DynamicTable:
    t = DynamicTable(name="trials", description="trial table")
    t.add_column("x", "x", data=[1, 2], unit="m")
    t.add_column("many", "many", data=[[0], [1, 2]], table=target, index=True)
    t.add_column("one", "one", data=[0, 3], table=target)
    t.add_column("state", "state", data=["a", "b"], enum=["a", "b"])
    return t


def test_to_arrow_schema_and_metadata(target: DynamicTable) -> None:
    t = _with_regions(target)
    tbl = t.to_arrow()
    assert isinstance(tbl, pa.Table)
    assert tbl.column_names == ["id", "x", "many", "one", "state"]
    assert tbl.schema.field("id").type == pa.int64()
    assert tbl.schema.field("many").type == pa.list_(pa.int64())
    assert pa.types.is_dictionary(tbl.schema.field("state").type)
    doc = json.loads(tbl.schema.metadata[b"hdmf"])
    assert doc["name"] == "trials"
    assert doc["description"] == "trial table"
    assert doc["columns"]["many"]["data_type"] == "DynamicTableRegion"
    assert doc["columns"]["x"]["attributes"] == {"unit": "m"}
    assert tbl.to_pylist()[1] == {"id": 1, "x": 2, "many": [1, 2], "one": 3, "state": "b"}


def test_from_arrow_round_trip(target: DynamicTable) -> None:
    t = _with_regions(target)
    tbl = t.to_arrow()
    back = DynamicTable.from_arrow(tbl, name="copy", target_tables={"many": target, "one": target})
    assert back.name == "copy"
    assert back.description == "trial table"
    assert back.colnames == t.colnames
    assert back.to_arrow().to_pylist() == tbl.to_pylist()
    assert back["one"].table is target
    assert back["many"].target.table is target
    assert back["many"][1].index.tolist() == [11, 12]
    assert back["x"].unit == "m"
    assert back["state"].elements == ("a", "b")
    same = DynamicTable.from_arrow(tbl)
    assert same.name == "trials"
    assert same.object_id != t.object_id  # a copy is a new object (issue 8, part 1)
    assert DynamicTable.from_arrow(tbl, object_id=t.object_id).object_id == t.object_id


def test_from_arrow_plain_table() -> None:
    tbl = pa.table({"x": [1, 2], "y": [[1.0], []]})
    t = DynamicTable.from_arrow(tbl, name="plain")
    assert t.id.data.tolist() == [0, 1]
    assert t["y"][0] == [1.0]
    with pytest.raises(ValueError, match="pass name="):
        DynamicTable.from_arrow(tbl)


def test_polars_round_trip(target: DynamicTable) -> None:
    t = _with_regions(target)
    df = t.to_polars()
    assert isinstance(df, pl.DataFrame)
    assert df.columns == ["id", "x", "many", "one", "state"]
    assert df["many"].to_list() == [[0], [1, 2]]
    assert isinstance(df.schema["state"], pl.Categorical | pl.Enum)
    assert df["state"].to_list() == ["a", "b"]
    back = DynamicTable.from_polars(df, "pp", target_tables={"many": target, "one": target})
    assert back.name == "pp"
    assert back.to_arrow().to_pylist() == t.to_arrow().to_pylist()
    assert back["many"][0].index.tolist() == [10]


def test_from_polars_plain() -> None:
    df = pl.DataFrame({"a": [1, 2], "b": [[1], [2, 3]]})
    t = DynamicTable.from_polars(df, "p")
    assert t.to_arrow().to_pylist() == [
        {"id": 0, "a": 1, "b": [1]},
        {"id": 1, "a": 2, "b": [2, 3]},
    ]


# -- repr --------------------------------------------------------------------------------------


def test_repr_shows_rows(units: DynamicTable) -> None:
    text = repr(units)
    assert "DynamicTable 'units' (5 rows x 4 columns)" in text
    assert "sorted units" in text
    assert "s3" in text
    assert "[0, 1, 2]" in text
    for _ in range(3):
        units.add_row(a=0, b=0.0, c="more", r=[])
    text = repr(units)
    assert "... and 3 more row(s)" in text
    assert "more" in units._repr_html_()


def test_repr_empty() -> None:
    text = repr(DynamicTable(name="e", description="nothing"))
    assert "(0 rows x 0 columns)" in text


def test_a_column_named_like_an_attribute_warns_and_is_reached_by_key() -> None:
    t = DynamicTable(name="t", description="d")
    with pytest.warns(
        UserWarning, match=r"An attribute 'description' already exists on DynamicTable 't'"
    ):
        t.add_column("description", "text", data=["a", "b"])
    assert t.description == "d"  # the attribute wins, as in hdmf
    assert t["description"].data.tolist() == ["a", "b"]


def test_errors_name_a_subclass_by_its_own_type() -> None:
    class Subjects(DynamicTable):
        pass

    t = Subjects(name="s", description="d")
    t.add_column("age", "age", data=[1])
    with pytest.raises(
        DuplicateColumnError, match=r"^column 'age' already exists in Subjects 's'$"
    ):
        t.add_column("age", "again")
