"""Bad input gets a clear error and changes nothing.

For each way add_row and add_column can fail: the hdmf-arrow exception type, the builtin hdmf
raises in the same case, a message that names the table and the column, and a table that is
exactly as before (length, Arrow contents and metadata) and still accepts a valid row.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pytest

from hdmf_arrow.common import DynamicTable, DynamicTableRegion, VectorData, VectorIndex
from hdmf_arrow.errors import (
    CellTypeError,
    CellValueError,
    ColumnNotFoundError,
    DuplicateColumnError,
    DuplicateIdError,
    HdmfArrowError,
    RegionIndexError,
    TableShapeError,
)

GOOD = {
    "count": 3,
    "weight": 3.5,
    "label": "c",
    "flag": True,
    "spikes": [3.0, 3.5],
    "cell": 1,
    "cells": [0, 2],
    "state": "hi",
    "xy": [5.0, 6.0],
}
GOOD_STORED = {**GOOD, "id": 2}


@pytest.fixture
def electrodes() -> DynamicTable:
    t = DynamicTable(name="electrodes", description="targets")
    t.add_column("loc", "location", data=["CA1", "CA3", "DG"])
    return t


@pytest.fixture
def trials(electrodes: DynamicTable) -> DynamicTable:
    """Two rows, one column of each kind."""
    t = DynamicTable(name="trials", description="one column of each kind")
    t.add_column("count", "an int", dtype="int")
    t.add_column("weight", "a float", dtype="float")
    t.add_column("label", "a string", dtype="text")
    t.add_column("flag", "a bool", dtype="bool")
    t.add_column("spikes", "ragged floats", index=True, dtype="float")
    t.add_column("cell", "a region", table=electrodes)
    t.add_column("cells", "a ragged region", table=electrodes, index=True)
    t.add_column("state", "an enum", enum=["lo", "hi"])
    t.add_column("xy", "a 2-D column", data=np.zeros((0, 2)))
    t.add_row(count=1, weight=1.5, label="a", flag=True, spikes=[1.0, 2.0], cell=0, cells=[0],
              state="lo", xy=[1.0, 2.0])  # fmt: skip
    t.add_row(count=2, weight=2.5, label="b", flag=False, spikes=[], cell=2, cells=[],
              state=1, xy=[3.0, 4.0])  # fmt: skip
    return t


def snapshot(t: DynamicTable) -> tuple[int, pa.Table, list[dict[str, object]]]:
    arrow = t.to_arrow()
    return len(t), arrow, arrow.to_pylist()


def assert_unchanged(t: DynamicTable, before: tuple[int, pa.Table, list[dict[str, object]]]):
    n, arrow, rows = before
    assert len(t) == n
    assert all(len(c) == n for c in (t[name] for name in t.colnames))
    now = t.to_arrow()
    assert now.equals(arrow, check_metadata=True)
    assert now.to_pylist() == rows


def assert_next_row_lines_up(t: DynamicTable, n: int) -> None:
    """A valid row after the failure lands at position n, every column aligned."""
    t.add_row(**GOOD)
    assert len(t) == n + 1
    assert all(len(c) == n + 1 for c in (t[name] for name in t.colnames))
    assert t.to_arrow().to_pylist()[n] == {**GOOD, "id": n}
    assert t[n, "label"] == "c"
    assert t[n, "state"] == "hi"


def check_message(exc: BaseException, *names: str) -> None:
    """Each name appears quoted (a column may be named by its index, 'col_index')."""
    msg = str(exc)
    for name in names:
        assert re.search(f"'{re.escape(name)}(_index)*'", msg), f"{name!r} not named in: {msg}"


def test_fixture_is_valid(trials: DynamicTable) -> None:
    assert len(trials) == 2
    assert_next_row_lines_up(trials, 2)


# -- add_row: bad cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "exc", "builtin", "match"),
    [
        ("count", "x", CellTypeError, TypeError, "expected an integer"),
        ("count", 1.5, CellTypeError, TypeError, "expected an integer"),
        ("count", True, CellTypeError, TypeError, "found bool"),
        ("count", 2**70, CellValueError, ValueError, "expected an integer"),
        ("weight", "x", CellTypeError, TypeError, "expected a number"),
        ("weight", True, CellTypeError, TypeError, "found bool"),
        ("weight", [1.0], CellTypeError, TypeError, "expected a number"),
        ("label", 5, CellTypeError, TypeError, "expected a string"),
        ("label", b"bytes", CellTypeError, TypeError, "expected a string"),
        ("flag", 1, CellTypeError, TypeError, "expected a bool"),
        ("flag", "yes", CellTypeError, TypeError, "expected a bool"),
        ("spikes", [1.0, "x"], CellTypeError, TypeError, "expected a number"),
        ("spikes", 1.0, CellTypeError, TypeError, "expected a sequence"),
        ("spikes", ["a"], CellTypeError, TypeError, "expected a number"),
        ("cell", 3, RegionIndexError, IndexError, r"values \[3\] are out of bounds"),
        ("cell", -1, RegionIndexError, IndexError, r"values \[-1\] are out of bounds"),
        ("cell", "a", CellTypeError, TypeError, "expected an integer"),
        ("cells", [0, 7], RegionIndexError, IndexError, r"values \[7\] are out of bounds"),
        ("cells", 1, CellTypeError, TypeError, "expected a sequence"),
        ("state", 5, CellValueError, ValueError, r"expected a code in \[0, 2\)"),
        ("state", -1, CellValueError, ValueError, "expected a code"),
        ("state", 1.5, CellTypeError, TypeError, "found float"),
        ("xy", [1.0, 2.0, 3.0], CellValueError, ValueError, "length 2"),
        ("xy", 1.0, CellTypeError, TypeError, "expected a sequence"),
    ],
)
def test_add_row_bad_cell_changes_nothing(
    trials: DynamicTable,
    column: str,
    value: object,
    exc: type[HdmfArrowError],
    builtin: type[Exception],
    match: str,
) -> None:
    before = snapshot(trials)
    with pytest.raises(exc, match=match) as info:
        trials.add_row(**{**GOOD, column: value})
    assert isinstance(info.value, builtin)
    check_message(info.value, "trials", column)
    assert_unchanged(trials, before)
    assert trials["state"].elements == ("lo", "hi")
    assert_next_row_lines_up(trials, 2)


def test_add_row_region_object_of_other_table(trials: DynamicTable) -> None:
    other = DynamicTable(name="other", description="d")
    other.add_column("z", "z", data=[1, 2])
    before = snapshot(trials)
    region = DynamicTableRegion("elsewhere", [0], "d", table=other)
    with pytest.raises(CellValueError, match="DynamicTable 'electrodes'") as info:
        trials.add_row(**{**GOOD, "cells": region})
    assert isinstance(info.value, ValueError)
    check_message(info.value, "trials", "cells")
    assert_unchanged(trials, before)
    with pytest.raises(CellTypeError, match="index=True") as info2:
        trials.add_row(**{**GOOD, "cell": region})
    check_message(info2.value, "trials", "cell")
    assert_unchanged(trials, before)
    assert_next_row_lines_up(trials, 2)


def test_add_row_new_enum_value_then_failure_adds_no_element(trials: DynamicTable) -> None:
    """An unknown enum value grows the elements only when the whole row is accepted."""
    t = DynamicTable(name="t", description="d")
    t.add_column("state", "s", enum=["a"])
    t.add_column("k", "k", dtype="int")
    with pytest.raises(CellTypeError, match="'k'"):
        t.add_row(state="new", k="x")
    assert t["state"].elements == ("a",)
    assert len(t["state"].elements_data) == 1
    assert len(t) == 0
    t.add_row(state="a", k=1)
    assert t.to_arrow().to_pylist() == [{"id": 0, "state": "a", "k": 1}]


def test_add_row_every_column_checked_before_any_append(trials: DynamicTable) -> None:
    """A failure in the last column leaves the earlier (valid) cells unappended."""
    before = snapshot(trials)
    with pytest.raises(CellValueError, match="'xy'"):
        trials.add_row(**{**GOOD, "xy": [1.0]})
    assert_unchanged(trials, before)
    assert len(trials["spikes"].target) == 2
    assert len(trials["cells"].target) == 1


def test_add_row_mixed_ragged_cell_in_untyped_column_changes_nothing() -> None:
    t = DynamicTable(name="untyped", description="d")
    t.add_column("k", "k")
    t.add_column("r", "r", index=True)
    with pytest.raises(CellTypeError) as info:
        t.add_row(k=1, r=[1, "a"])
    assert len(t) == 0
    assert len(t["k"]) == 0
    assert t.to_arrow().num_rows == 0
    check_message(info.value, "untyped", "r")


# -- add_row: keys and ids ---------------------------------------------------------------------


def test_add_row_missing_column(trials: DynamicTable) -> None:
    before = snapshot(trials)
    row = {k: v for k, v in GOOD.items() if k != "weight"}
    with pytest.raises(TableShapeError, match="column 'weight' missing") as info:
        trials.add_row(**row)
    assert isinstance(info.value, ValueError)
    check_message(info.value, "trials", "weight")
    assert_unchanged(trials, before)
    assert_next_row_lines_up(trials, 2)


def test_add_row_extra_key(trials: DynamicTable) -> None:
    before = snapshot(trials)
    with pytest.raises(TableShapeError, match="row data keys don't match") as info:
        trials.add_row(**GOOD, bogus=1)
    assert isinstance(info.value, ValueError)
    check_message(info.value, "trials", "bogus")
    assert "1 extra" in str(info.value)
    assert_unchanged(trials, before)
    assert_next_row_lines_up(trials, 2)


def test_add_row_empty_row(trials: DynamicTable) -> None:
    before = snapshot(trials)
    with pytest.raises(ValueError, match="missing") as info:
        trials.add_row()
    check_message(info.value, "trials", "count")
    assert_unchanged(trials, before)


@pytest.mark.parametrize("bad_id", ["a", 1.5, np.float64(2.0), [3]])
def test_add_row_non_int_id(trials: DynamicTable, bad_id: object) -> None:
    before = snapshot(trials)
    with pytest.raises(CellTypeError, match="row id must be an int") as info:
        trials.add_row(**GOOD, id=bad_id)
    assert isinstance(info.value, TypeError)
    check_message(info.value, "trials")
    assert "id" in str(info.value)
    assert_unchanged(trials, before)
    assert_next_row_lines_up(trials, 2)


def test_add_row_non_int_id_in_row_dict(trials: DynamicTable) -> None:
    before = snapshot(trials)
    with pytest.raises(TypeError, match="row id must be an int"):
        trials.add_row({**GOOD, "id": "seven"})
    assert_unchanged(trials, before)


def test_add_row_duplicate_id_enforced(trials: DynamicTable) -> None:
    before = snapshot(trials)
    with pytest.raises(DuplicateIdError, match="id 1 already in the table") as info:
        trials.add_row(**GOOD, id=1, enforce_unique_id=True)
    assert isinstance(info.value, ValueError)
    check_message(info.value, "trials")
    assert_unchanged(trials, before)
    assert_next_row_lines_up(trials, 2)
    with pytest.raises(DuplicateIdError, match="id 2 already"):
        trials.add_row(**GOOD, id=2, enforce_unique_id=True)
    assert len(trials) == 3


# -- add_column --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["count", "spikes", "spikes_index", "state_elements", "id"])
def test_add_column_duplicate_name(trials: DynamicTable, name: str) -> None:
    before = snapshot(trials)
    with pytest.raises(DuplicateColumnError, match="already exists") as info:
        trials.add_column(name, "again", data=[1, 2])
    assert isinstance(info.value, ValueError)
    check_message(info.value, "trials", name)
    assert_unchanged(trials, before)
    assert trials.colnames == tuple(k for k in GOOD)
    assert_next_row_lines_up(trials, 2)


@pytest.mark.parametrize(
    ("kwargs", "exc", "builtin", "match"),
    [
        ({"data": [1, 2, 3]}, TableShapeError, ValueError, "same number of rows as 'id'"),
        ({"data": [1]}, TableShapeError, ValueError, "same number of rows as 'id'"),
        (
            {"data": [[1], [2], []], "index": True, "table": True},
            TableShapeError,
            ValueError,
            "same number of rows",
        ),
        ({"dtype": "nonsense"}, CellTypeError, TypeError, "dtype 'nonsense' is not understood"),
        ({"data": ["a", "b"], "dtype": "int"}, CellTypeError, TypeError, "int64"),
        ({"data": [[1], [1, 2]]}, CellValueError, ValueError, "index=True"),
        (
            {"data": [[1], [1, 2]], "check_ragged": False},
            CellValueError,
            ValueError,
            "index=True",
        ),
        ({"data": [1, 2, 3], "index": [2, 1]}, CellValueError, ValueError, "non-decreasing"),
        ({"data": [1, 2, 3], "index": [1, 2]}, CellValueError, ValueError, "ending at"),
        ({"data": [1, 2, 3], "index": [1, 4]}, CellValueError, ValueError, "ending at"),
        ({"data": [1, 2], "index": [1.0, 2.0]}, CellTypeError, TypeError, "integer end offsets"),
        ({"data": [[1], [2]], "index": 2}, CellValueError, ValueError, "VectorIndex level"),
        ({"table": True, "enum": True}, TableShapeError, ValueError, "both a region"),
        (
            {"data": ["a", "zz"], "enum": ["a", "b"]},
            CellValueError,
            ValueError,
            "not one of the elements",
        ),
        ({"data": [5, 0], "enum": ["a", "b"]}, CellValueError, ValueError, "out of range"),
    ],
)
def test_add_column_bad_input_changes_nothing(
    trials: DynamicTable,
    kwargs: dict[str, object],
    exc: type[HdmfArrowError],
    builtin: type[Exception],
    match: str,
) -> None:
    before = snapshot(trials)
    with pytest.raises(exc, match=match) as info:
        trials.add_column("newcol", "a new column", **kwargs)
    assert isinstance(info.value, builtin)
    check_message(info.value, "trials", "newcol")
    assert_unchanged(trials, before)
    assert "newcol" not in trials
    assert trials.colnames == tuple(GOOD)
    assert_next_row_lines_up(trials, 2)


def test_add_column_region_out_of_bounds(trials: DynamicTable, electrodes: DynamicTable) -> None:
    before = snapshot(trials)
    with pytest.raises(RegionIndexError, match=r"values \[5\] are out of bounds") as info:
        trials.add_column("newcol", "refs", data=[0, 5], table=electrodes)
    assert isinstance(info.value, IndexError)
    check_message(info.value, "trials", "newcol", "electrodes")
    assert_unchanged(trials, before)
    with pytest.raises(RegionIndexError, match=r"\[9\]"):
        trials.add_column("newcol", "refs", data=[[0], [9]], table=electrodes, index=True)
    assert_unchanged(trials, before)
    assert_next_row_lines_up(trials, 2)


def test_add_column_passing_vector_index(trials: DynamicTable) -> None:
    before = snapshot(trials)
    idx = VectorIndex("newcol_index", [1, 2], VectorData("newcol", "n", [1, 2]))
    with pytest.raises(TableShapeError, match="VectorIndex may lead to unexpected") as info:
        trials.add_column("newcol", "n", data=[1, 2], index=idx)
    check_message(info.value, "trials", "newcol")
    assert_unchanged(trials, before)


def test_add_column_failures_on_empty_table_set_no_rows() -> None:
    t = DynamicTable(name="fresh", description="d")
    t.add_column("a", "a")
    with pytest.raises(CellValueError, match="'b'"):
        t.add_column("b", "b", data=[[1], [1, 2]])
    assert len(t) == 0
    assert len(t["a"]) == 0
    assert t.colnames == ("a",)
    t.add_column("b", "b", data=[1, 2])
    assert len(t) == 2
    assert t["a"].to_arrow().to_pylist() == [None, None]


# -- lookups -----------------------------------------------------------------------------------


def test_missing_column_lookup(trials: DynamicTable) -> None:
    with pytest.raises(ColumnNotFoundError, match="has no column 'nope'") as info:
        trials["nope"]
    assert isinstance(info.value, KeyError)
    check_message(info.value, "trials", "nope")
    assert "count" in str(info.value)  # lists the columns there are


def test_row_out_of_range(trials: DynamicTable) -> None:
    msg = r"Row index out of range for DynamicTable 'trials' \(length 2\)\."
    with pytest.raises(IndexError, match=msg):
        trials[2]
