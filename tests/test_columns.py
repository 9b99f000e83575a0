"""VectorData, VectorIndex, ElementIdentifiers, DynamicTableRegion and EnumData on their own."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from hdmf_arrow.common import (
    Container,
    DynamicTable,
    DynamicTableRegion,
    ElementIdentifiers,
    EnumData,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.errors import (
    CellTypeError,
    CellValueError,
    InvalidKeyError,
    InvalidNameError,
    RegionIndexError,
)


@pytest.fixture
def target() -> DynamicTable:
    """A region target whose ids (10..13) differ from its row positions (0..3)."""
    t = DynamicTable(name="tgt", description="target", id=[10, 11, 12, 13])
    t.add_column("v", "values", data=[1.0, 2.0, 3.0, 4.0])
    t.add_column("s", "labels", data=["a", "b", "c", "d"])
    return t


# -- VectorData --------------------------------------------------------------------------------


def test_vector_data_basics_and_attributes() -> None:
    v = VectorData("weight", "Weight in grams", [25.3, 27.1], unit="g", resolution=0.1)
    assert v.name == "weight"
    assert v.description == "Weight in grams"
    assert v.unit == "g"
    assert v.resolution == 0.1
    assert v.conversion is None
    assert len(v) == 2
    assert v.data_type == "VectorData"
    assert isinstance(v.data, np.ndarray)
    assert v.data.tolist() == [25.3, 27.1]
    assert v[1] == 27.1
    assert v.get_target_data() is v
    c = VectorData("c", "c", [1.0], conversion=0.001)
    assert c.conversion == 0.001
    assert c.unit is None


def test_vector_data_to_arrow_and_zero_copy_numpy() -> None:
    v = VectorData("x", "x", np.array([1.0, 2.0, 3.0]))
    arr = v.to_arrow()
    assert isinstance(arr, pa.Array)
    assert arr.type == pa.float64()
    assert arr.to_pylist() == [1.0, 2.0, 3.0]
    assert np.shares_memory(v.data, arr.to_numpy(zero_copy_only=True))


def test_vector_data_empty_and_dtype() -> None:
    v = VectorData("x", "x")
    assert len(v) == 0
    w = VectorData("y", "y", [1, 2], dtype="float")
    assert w.dtype == pa.float64()
    assert w.data.tolist() == [1.0, 2.0]
    s = VectorData("s", "s", np.array(["a", "b"]))
    assert s.dtype == pa.string()
    assert s.data.tolist() == ["a", "b"]


def test_vector_data_append_and_extend() -> None:
    v = VectorData("x", "x", [1.0])
    v.append(2.0)
    v.add_row(3)
    v.extend([4.0, 5])
    v.extend(np.array([6.0, 7.0]))
    assert v.data.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert v.to_arrow().type == pa.float64()


def test_vector_data_inferred_int_widens_to_float() -> None:
    v = VectorData("x", "x", [1, 2])
    v.append(2.5)
    assert v.data.tolist() == [1.0, 2.0, 2.5]


def test_vector_data_append_wrong_type_changes_nothing() -> None:
    v = VectorData("w", "w", [25.3, 27.1])
    with pytest.raises(CellTypeError, match="'w'") as info:
        v.append("x")
    assert isinstance(info.value, TypeError)
    assert v.data.tolist() == [25.3, 27.1]


def test_vector_data_extend_is_atomic() -> None:
    v = VectorData("w", "w", [25.3, 27.1])
    with pytest.raises(CellTypeError, match="'w'"):
        v.extend([1.0, 2.0, "x"])
    assert v.data.tolist() == [25.3, 27.1]
    with pytest.raises(TypeError, match="'w'"):
        v.extend(np.array(["a"]))
    assert v.data.tolist() == [25.3, 27.1]
    i = VectorData("i", "i", [1, 2], dtype="int")
    with pytest.raises(TypeError, match="'i'"):
        i.extend(np.array([1.5]))
    assert i.data.tolist() == [1, 2]
    v.extend([3.0])
    assert v.data.tolist() == [25.3, 27.1, 3.0]


def test_vector_data_extend_untyped_is_atomic() -> None:
    v = VectorData("x", "x")
    with pytest.raises(CellTypeError) as info:
        v.extend([1, "a"])
    assert len(v) == 0
    assert "'x'" in str(info.value)


def test_vector_data_nd() -> None:
    v = VectorData("m", "m", np.arange(12).reshape(3, 2, 2))
    assert v.data.shape == (3, 2, 2)
    assert len(v) == 3
    assert v[1].tolist() == [[4, 5], [6, 7]]
    v.append(np.ones((2, 2), dtype=int))
    assert v.data.shape == (4, 2, 2)
    with pytest.raises(CellValueError, match="length 2"):
        v.append(np.ones((3, 2), dtype=int))
    assert v.data.shape == (4, 2, 2)


def test_vector_data_shape() -> None:
    v = VectorData("m", "m", np.arange(12).reshape(3, 2, 2))
    assert v.shape == (3, 2, 2)
    assert VectorData("x", "x", [1, 2, 3]).shape == (3,)


def test_vector_data_bad_name_and_description() -> None:
    with pytest.raises(InvalidNameError, match="cannot contain a '/' or ':'"):
        VectorData("a/b", "d", [1])
    with pytest.raises(TypeError, match="incorrect type for 'name'"):
        VectorData(1, "d", [1])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="incorrect type for 'description'"):
        VectorData("a", 1, [1])  # type: ignore[arg-type]


def test_vector_data_ragged_list_data_raises() -> None:
    with pytest.raises(CellValueError, match="index=True"):
        VectorData("r", "r", [[1], [1, 2]])


# -- VectorIndex -------------------------------------------------------------------------------


@pytest.fixture
def spikes() -> VectorIndex:
    """The seed document's ragged example."""
    spike_data = [[0.1, 0.3, 0.7, 1.2], [0.2, 0.8], [0.05, 0.4, 0.6, 0.9, 1.1]]
    flat: list[float] = []
    ends: list[int] = []
    for trial in spike_data:
        flat.extend(trial)
        ends.append(len(flat))
    times = VectorData(name="spike_times", description="Spike timestamps in seconds", data=flat)
    return VectorIndex(name="spike_times_index", data=ends, target=times)


def test_vector_index_seed_example(spikes: VectorIndex) -> None:
    assert spikes[0] == [0.1, 0.3, 0.7, 1.2]
    assert spikes[1] == [0.2, 0.8]
    assert spikes[2] == [0.05, 0.4, 0.6, 0.9, 1.1]
    assert isinstance(spikes[0], list)
    assert len(spikes) == 3
    assert spikes.data.tolist() == [4, 6, 11]
    assert spikes.target.name == "spike_times"
    assert spikes.description == "Index for VectorData 'spike_times'"
    assert spikes.to_arrow().type == pa.list_(pa.float64())


def test_vector_index_multi_row_keys(spikes: VectorIndex) -> None:
    assert spikes[-1] == [0.05, 0.4, 0.6, 0.9, 1.1]
    assert spikes[0:2] == [[0.1, 0.3, 0.7, 1.2], [0.2, 0.8]]
    assert spikes[[2, 0]] == [[0.05, 0.4, 0.6, 0.9, 1.1], [0.1, 0.3, 0.7, 1.2]]
    assert spikes[np.array([True, False, True])] == [spikes[0], spikes[2]]


def test_vector_index_add_vector(spikes: VectorIndex) -> None:
    spikes.add_vector([9.0, 9.5])
    spikes.add_row([])
    assert spikes.data.tolist() == [4, 6, 11, 13, 13]
    assert spikes[3] == [9.0, 9.5]
    assert spikes[4] == []
    assert len(spikes.target) == 13
    assert spikes.target.data[-2:].tolist() == [9.0, 9.5]


def test_vector_index_add_vector_bad_changes_nothing(spikes: VectorIndex) -> None:
    with pytest.raises(CellTypeError, match="spike_times_index"):
        spikes.add_vector([1.0, "a"])
    with pytest.raises(TypeError, match="sequence"):
        spikes.add_vector(1.0)
    assert spikes.data.tolist() == [4, 6, 11]
    assert len(spikes.target) == 11


def test_vector_index_get_target_data(spikes: VectorIndex) -> None:
    assert spikes.get_target_data() is spikes.target
    assert spikes.target.get_target_data() is spikes.target


def test_vector_index_out_of_range_message(spikes: VectorIndex) -> None:
    with pytest.raises(IndexError, match="spike_times_index"):
        spikes[3]


def test_vector_index_out_of_range_is_indexerror(spikes: VectorIndex) -> None:
    with pytest.raises(IndexError):
        spikes[3]
    with pytest.raises(IndexError):
        spikes[-4]


def test_doubly_ragged_index() -> None:
    base = VectorData("d", "d", [1, 2, 3, 4, 5, 6])
    inner = VectorIndex("d_index", [2, 3, 6], base)
    outer = VectorIndex("d_index_index", [2, 3], inner)
    assert outer[0] == [[1, 2], [3]]
    assert outer[1] == [[4, 5, 6]]
    assert outer.target is inner
    assert outer.get_target_data() is base
    assert outer.to_arrow().type == pa.list_(pa.list_(pa.int64()))
    outer.add_vector([[7], [8, 9]])
    assert outer[2] == [[7], [8, 9]]
    assert outer.data.tolist() == [2, 3, 5]
    assert inner.data.tolist() == [2, 3, 6, 7, 9]
    assert base.data.tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    with pytest.raises(TypeError, match="sequence"):
        outer.add_vector([7])
    assert outer.data.tolist() == [2, 3, 5]
    assert inner.data.tolist() == [2, 3, 6, 7, 9]
    assert len(base) == 9


@pytest.mark.parametrize(
    ("ends", "match"),
    [
        ([3, 2], "non-decreasing"),
        ([1, 2], "ending at"),  # does not reach len(target)
        ([1, 4], "ending at"),  # past len(target)
        ([-1, 3], "non-decreasing"),
        ([], "no rows"),
    ],
)
def test_vector_index_bad_offsets(ends: list[int], match: str) -> None:
    with pytest.raises(CellValueError, match=match) as info:
        VectorIndex("i", ends, VectorData("v", "v", [1, 2, 3]))
    assert isinstance(info.value, ValueError)
    assert "'i'" in str(info.value)


def test_vector_index_bad_offset_type_and_target() -> None:
    with pytest.raises(TypeError, match="integer end offsets"):
        VectorIndex("i", [1.0, 3.0], VectorData("v", "v", [1, 2, 3]))
    with pytest.raises(TypeError, match="'target' must be a VectorData"):
        VectorIndex("i", [1], [1])  # type: ignore[arg-type]


def test_vector_index_empty_target() -> None:
    idx = VectorIndex("e_index", [], VectorData("e", "e"))
    assert len(idx) == 0
    idx.add_vector([1, 2])
    assert idx[0] == [1, 2]


# -- ElementIdentifiers ------------------------------------------------------------------------


def test_element_identifiers_basics() -> None:
    ids = ElementIdentifiers("id", [10, 11, 12])
    assert ids.data.tolist() == [10, 11, 12]
    assert ids.to_arrow().type == pa.int64()
    assert ElementIdentifiers().name == "element_id"
    assert len(ElementIdentifiers()) == 0
    small = ElementIdentifiers("x", np.array([1, 2], dtype=np.int32))
    assert small.to_arrow().type == pa.int64()


def test_element_identifiers_eq_returns_positions() -> None:
    ids = ElementIdentifiers("id", [0, 1, 2, 3, 4])
    result = ids == [3, 1, 5]
    assert isinstance(result, np.ndarray)
    assert result.tolist() == [1, 3]  # positions, ascending, missing ids ignored
    assert (ids == 2).tolist() == [2]
    assert (ids == [9]).tolist() == []
    assert (ids == (4, 0)).tolist() == [0, 4]
    assert (ids == np.array([4])).tolist() == [4]
    assert (ids == ElementIdentifiers("o", [1])).tolist() == [1]
    shuffled = ElementIdentifiers("id", [30, 10, 20])
    assert (shuffled == [10, 30]).tolist() == [0, 1]


def test_element_identifiers_contains() -> None:
    ids = ElementIdentifiers("id", [10, 11])
    assert 11 in ids
    assert 12 not in ids


@pytest.mark.parametrize("bad", [[0.5, 1.5], ["a"]])
def test_element_identifiers_non_int_data(bad: list[object]) -> None:
    with pytest.raises(CellValueError, match="must contain integers"):
        ElementIdentifiers("id", bad)


def test_element_identifiers_non_int_data_is_valueerror() -> None:
    with pytest.raises(ValueError, match="must contain integers"):
        ElementIdentifiers("id", [0.5, 1.5])


@pytest.mark.parametrize("bad", [1.5, "a", True])
def test_element_identifiers_append_non_int(bad: object) -> None:
    ids = ElementIdentifiers("id", [0, 1])
    with pytest.raises(TypeError, match="integer"):
        ids.append(bad)
    assert ids.data.tolist() == [0, 1]


def test_element_identifiers_add_ref() -> None:
    ids = ElementIdentifiers("id", [0, 5])
    a, b = Container("a"), Container("b")
    assert ids.add_ref(a) == 6
    assert ids.add_ref(b) == 7
    assert ids.add_ref(a) == 6
    assert ids.data.tolist() == [0, 5, 6, 7]
    empty = ElementIdentifiers("x")
    assert empty.add_ref(a) == 0


# -- DynamicTableRegion ------------------------------------------------------------------------


def test_region_basics(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [2, 0, 2], "some rows", table=target)
    assert r.table is target
    assert r.description == "some rows"
    assert r.data.tolist() == [2, 0, 2]
    assert r.to_arrow().type == pa.int64()
    assert r.shape == (3, 2)
    assert r.data_type == "DynamicTableRegion"


def test_region_bounds_at_init(target: DynamicTable) -> None:
    for bad in ([0, 4], [-1]):
        with pytest.raises(RegionIndexError, match="out of bounds for DynamicTable 'tgt'") as info:
            DynamicTableRegion("r", bad, "d", table=target)
        assert isinstance(info.value, IndexError)
    ok = DynamicTableRegion("r", [9], "d", table=target, validate_data=False)
    assert ok.data.tolist() == [9]


def test_region_bounds_at_append_and_extend(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [1], "d", table=target)
    with pytest.raises(RegionIndexError, match=r"values \[4\] are out of bounds"):
        r.append(4)
    with pytest.raises(IndexError, match=r"\[9\]"):
        r.extend([2, 9])
    with pytest.raises(TypeError, match="integer"):
        r.append("a")
    assert r.data.tolist() == [1]
    r.append(3)
    r.extend([0, 2])
    assert r.data.tolist() == [1, 3, 0, 2]


def test_region_bounds_when_table_set(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [0, 7], "d")
    assert r.table is None
    with pytest.raises(RegionIndexError, match=r"\[7\]"):
        r.table = target


def test_region_failed_table_set_changes_nothing(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [0, 7], "d")
    with pytest.raises(RegionIndexError):
        r.table = target
    assert r.table is None


def test_region_bool_mask_data(target: DynamicTable) -> None:
    r = DynamicTableRegion("m", [True, False, True, True], "d", table=target)
    assert r.data.tolist() == [0, 2, 3]
    with pytest.raises(CellValueError, match="one entry per row"):
        DynamicTableRegion("m", [True, False], "d", table=target)


def test_region_table_set_once(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [0, 1], "d")
    with pytest.raises(AttributeError, match="no target table"):
        r[0]
    r.table = target
    assert r.table is target
    r.table = target  # the same table again is fine
    r.table = None  # no-op, as in hdmf
    assert r.table is target
    other = DynamicTable(name="other", description="d")
    other.add_column("z", "z", data=[1, 2])
    with pytest.raises(AttributeError, match="already set"):
        r.table = other
    assert r.table is target
    with pytest.raises(TypeError, match="must be a DynamicTable"):
        DynamicTableRegion("q", [0], "d").table = "tgt"  # type: ignore[assignment]


def test_region_getitem_int(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [2, 0, 2], "d", table=target)
    row = r[0]
    assert isinstance(row, pd.DataFrame)
    assert row.index.tolist() == [12]  # the target's id, not the position
    assert row["s"].tolist() == ["c"]


def test_region_getitem_list_keeps_order_and_duplicates(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [2, 0, 2, 3], "d", table=target)
    df = r[[3, 0, 1, 2]]
    assert df.index.tolist() == [13, 12, 10, 12]
    assert df["v"].tolist() == [4.0, 3.0, 1.0, 3.0]
    assert r[:].index.tolist() == [12, 10, 12, 13]
    assert r[1:3]["s"].tolist() == ["a", "c"]


def test_region_getitem_cell_and_column(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [2, 0, 2], "d", table=target)
    assert r[0, "v"] == 3.0
    assert r[1, "s"] == "a"
    assert r[0:2, "v"] == [3.0, 1.0]
    assert r["v"] is target["v"]


def test_region_getitem_bad_key(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [0], "d", table=target)
    with pytest.raises(InvalidKeyError, match="unsupported key"):
        r[1.5]


def test_region_getitem_bad_key_is_valueerror(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [0], "d", table=target)
    with pytest.raises(ValueError, match="r"):
        r[True]


def test_region_iteration_and_to_dataframe(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [3, 1], "d", table=target)
    frames = list(r)
    assert [f.index.tolist() for f in frames] == [[13], [11]]
    df = r.to_dataframe()
    assert df.index.tolist() == [13, 11]
    assert df["s"].tolist() == ["d", "b"]


def test_region_get_referenced_tables(target: DynamicTable) -> None:
    mid = DynamicTable(name="mid", description="d")
    mid.add_column("ref", "ref", data=[0, 1], table=target)
    top = DynamicTable(name="top", description="d")
    top.add_column("refs", "refs", data=[[0, 1], [], [1]], table=mid, index=True)
    region = top["refs"].target
    assert isinstance(region, DynamicTableRegion)
    assert [t.name for t in region.get_referenced_tables()] == ["mid", "tgt"]
    assert [t.name for t in mid["ref"].get_referenced_tables()] == ["tgt"]


def test_region_get_referenced_tables_cycle() -> None:
    t = DynamicTable(name="self", description="d")
    t.add_column("x", "x", data=[1, 2])
    t.add_column("up", "p", data=[0, 0], table=t)
    assert [x.name for x in t["up"].get_referenced_tables()] == ["self"]


def test_ragged_region_cells_are_dataframes(target: DynamicTable) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("refs", "refs", data=[[0, 3], [], [1]], table=target, index=True)
    first = t["refs"][0]
    assert isinstance(first, pd.DataFrame)
    assert first.index.tolist() == [10, 13]
    assert first["s"].tolist() == ["a", "d"]
    empty = t["refs"][1]
    assert isinstance(empty, pd.DataFrame)
    assert len(empty) == 0
    assert list(empty.columns) == ["v", "s"]
    many = t["refs"][[2, 0]]
    assert [f.index.tolist() for f in many] == [[11], [10, 13]]


def test_ragged_region_add_row_bounds(target: DynamicTable) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("refs", "refs", data=[[0]], table=target, index=True)
    with pytest.raises(RegionIndexError, match=r"\[5\]"):
        t.add_row(refs=[1, 5])
    assert t.to_arrow().column("refs").to_pylist() == [[0]]
    t.add_row(refs=[1, 2])
    assert t.to_arrow().column("refs").to_pylist() == [[0], [1, 2]]


# -- EnumData ----------------------------------------------------------------------------------


@pytest.fixture
def states() -> EnumData:
    """The seed document's enum example."""
    return EnumData(
        name="behavior_states",
        description="Behavioral state classifications",
        data=[0, 1, 2, 1, 0, 2, 1],
        elements=["rest", "locomotion", "grooming"],
    )


def test_enum_codes_and_values(states: EnumData) -> None:
    assert states.elements == ("rest", "locomotion", "grooming")
    assert isinstance(states.elements, tuple)
    assert states.data.tolist() == [0, 1, 2, 1, 0, 2, 1]
    assert states.data.dtype == np.uint8
    assert states[1] == "locomotion"
    assert states[[0, 2]].tolist() == ["rest", "grooming"]
    assert states[0:2].tolist() == ["rest", "locomotion"]
    assert states.get([0, 2], index=True).tolist() == [0, 2]
    assert states.get([0, 1], join=True) == "restlocomotion"
    assert states.namespace == "hdmf-experimental"
    assert pa.types.is_dictionary(states.to_arrow().type)
    assert states.to_arrow().to_pylist()[:3] == ["rest", "locomotion", "grooming"]


def test_enum_from_values() -> None:
    e = EnumData(
        name="string_behavior",
        description="d",
        data=["rest", "locomotion", "grooming", "locomotion"],
        elements=["rest", "locomotion", "grooming"],
    )
    assert e.data.tolist() == [0, 1, 2, 1]
    assert e[3] == "locomotion"


def test_enum_elements_as_vector_data() -> None:
    elements = VectorData("e_elements", "the elements", ["p", "q"])
    e = EnumData("e", "d", data=[1, 0], elements=elements)
    assert e.elements == ("p", "q")
    assert e.elements_data is elements
    assert e[0] == "q"


@pytest.mark.parametrize(
    ("data", "match"),
    [(["x"], "not one of the elements"), ([5], "out of range"), ([-1], "out of range")],
)
def test_enum_construct_with_unknown_value_raises(data: list[object], match: str) -> None:
    with pytest.raises(CellValueError, match=match) as info:
        EnumData("e", "d", data=data, elements=["rest", "run"])
    assert isinstance(info.value, ValueError)
    assert "'e'" in str(info.value)


def test_enum_duplicate_elements_raise() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        EnumData("e", "d", data=[], elements=["a", "a"])


def test_enum_append_value_code_and_new_value(states: EnumData) -> None:
    states.append("grooming")
    states.append(0)  # a code
    states.append("sleep")  # unknown value: becomes a new element, as in hdmf
    assert states.elements == ("rest", "locomotion", "grooming", "sleep")
    assert states.data[-3:].tolist() == [2, 0, 3]
    assert states[-1] == "sleep"
    assert len(states.elements_data) == 4


def test_enum_append_bad_changes_nothing(states: EnumData) -> None:
    with pytest.raises(CellValueError, match=r"code in \[0, 3\)"):
        states.append(9)
    with pytest.raises(TypeError, match="behavior_states"):
        states.append(1.5)
    assert len(states) == 7
    assert states.elements == ("rest", "locomotion", "grooming")


def test_enum_add_element(states: EnumData) -> None:
    states.add_element("sleep")
    assert states.elements == ("rest", "locomotion", "grooming", "sleep")
    assert len(states) == 7
    states.append(3)
    assert states[-1] == "sleep"
    with pytest.raises(ValueError, match="already an element"):
        states.add_element("sleep")
    assert states.elements == ("rest", "locomotion", "grooming", "sleep")


def test_enum_codes_grow_to_uint16_past_256_elements() -> None:
    e = EnumData("big", "d", data=[0, 255], elements=[f"v{i}" for i in range(256)])
    assert e.data.dtype == np.uint8
    e.add_element("v256")
    assert e.data.dtype == np.uint16
    assert e.data.tolist() == [0, 255]
    e.append("v256")
    assert e.data.tolist() == [0, 255, 256]
    assert e[2] == "v256"
    assert e[1] == "v255"
    assert e.to_arrow().type.index_type == pa.uint16()


def test_enum_growth_by_appending_values() -> None:
    e = EnumData("grow", "d")
    for i in range(300):
        e.append(f"v{i}")
    assert len(e.elements) == 300
    assert e.data.dtype == np.uint16
    assert e.data[[0, 255, 256, 299]].tolist() == [0, 255, 256, 299]
    assert e[299] == "v299"
    assert e[0] == "v0"


def test_enum_null() -> None:
    e = EnumData("n", "d", data=[0], elements=["a"])
    e.append(None)
    assert e.to_arrow().to_pylist() == ["a", None]


def test_region_extend_with_numpy_is_bounds_checked(target: DynamicTable) -> None:
    r = DynamicTableRegion("r", [0], "d", table=target)
    with pytest.raises(RegionIndexError, match=r"values \[5, 9\] are out of bounds"):
        r.extend(np.array([5, 9]))
    assert r.data.tolist() == [0]
    r.extend(np.array([1, 3]))
    assert r.data.tolist() == [0, 1, 3]
