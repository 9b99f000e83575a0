"""add_row's two paths (hdmf_arrow/common/_rows.py): the compiled fast path for the common row
and the general check-then-append path must accept, convert and refuse exactly the same rows.

``add_row(**row)`` tries the fast path first; ``add_row(data=row)`` always takes the general
path. The property test feeds both the same messy rows and compares outcome by outcome.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hdmf_arrow.common import DynamicTable, VectorData
from hdmf_arrow.errors import CellTypeError, CellValueError, RegionIndexError

# (kind, dtype) pairs; kind says how the column is added
COLUMN_KINDS = [
    ("plain", None),
    ("plain", "int"),
    ("plain", "int32"),
    ("plain", "uint8"),
    ("plain", "float"),
    ("plain", "float32"),
    ("plain", "text"),
    ("plain", "bool"),
    ("ragged", None),
    ("ragged", "float"),
    ("ragged", "int"),
    ("ragged", "text"),
    ("region", None),
    ("enum", None),  # elements given: "", "a", "b"
    ("enum", "open"),  # no elements: they are added as rows name them
]

scalars = st.one_of(
    st.none(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.integers(min_value=-3, max_value=8),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(max_size=3),
    st.integers(min_value=-5, max_value=300).map(np.int64),
    st.floats(width=32, allow_nan=False).map(np.float32),
    st.booleans().map(np.bool_),
)
cells = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.lists(st.floats(allow_nan=False), max_size=4),
    st.lists(st.integers(-3, 8), max_size=4),
    st.lists(st.lists(st.integers(0, 3), max_size=2), max_size=2),
    st.tuples(st.floats(allow_nan=False)),
)


def _build(columns: list[tuple[str, str | None]], target: DynamicTable) -> DynamicTable:
    table = DynamicTable(name="t", description="both paths")
    for k, (kind, dtype) in enumerate(columns):
        name = f"c{k}"
        if kind == "region":
            table.add_column(name=name, description="d", table=target)
        elif kind == "enum":
            elements = True if dtype == "open" else ["", "a", "b"]
            table.add_column(name=name, description="d", enum=elements)
        else:
            table.add_column(name=name, description="d", dtype=dtype, index=kind == "ragged")
    return table


def _outcome(add: Any) -> tuple[str, str] | None:
    try:
        add()
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return None


@given(
    columns=st.lists(st.sampled_from(COLUMN_KINDS), min_size=1, max_size=4),
    rows=st.lists(st.lists(cells, min_size=4, max_size=4), min_size=1, max_size=12),
    key_change=st.lists(st.sampled_from(["none", "none", "none", "drop", "extra"]), max_size=12),
)
def test_fast_and_general_paths_agree(
    columns: list[tuple[str, str | None]], rows: list[list[Any]], key_change: list[str]
) -> None:
    target = DynamicTable(
        name="target", description="3 rows", columns=[VectorData("x", "x", [1.0, 2.0, 3.0])]
    )
    fast, general = _build(columns, target), _build(columns, target)
    for n, values in enumerate(rows):
        row = {f"c{k}": values[k] for k in range(len(columns))}
        change = key_change[n] if n < len(key_change) else "none"
        if change == "drop":
            row.pop("c0")
        elif change == "extra":
            row["unknown"] = 1
        got = _outcome(lambda row=row: fast.add_row(**row))
        expected = _outcome(lambda row=row: general.add_row(data=dict(row)))
        assert got == expected, row
        if n == 5:  # the target grows: region rows beyond the old bound become valid
            target.add_row(x=4.0)
    assert fast.to_arrow().equals(general.to_arrow())


def _typed_table(target: DynamicTable) -> DynamicTable:
    table = DynamicTable(name="units", description="one column of each fast kind")
    table.add_column(name="i", description="int64")
    table.add_column(name="f", description="float64")
    table.add_column(name="s", description="text")
    table.add_column(name="r", description="ragged floats", index=True)
    table.add_column(name="reg", description="a target row", table=target)
    return table


@pytest.fixture
def target() -> DynamicTable:
    return DynamicTable(
        name="electrodes", description="t", columns=[VectorData("x", "x", [0.5, 1.5, 2.5])]
    )


def test_the_common_row_takes_the_fast_path(target: DynamicTable) -> None:
    table = _typed_table(target)
    table.add_row(i=1, f=0.5, s="a", r=[1.0, 2.0], reg=2)  # types inferred: general path
    plan = table._plan or table._make_plan()
    assert plan.fast_row is not None, plan.source
    assert plan.fast_row({"i": 2, "f": 1.5, "s": "b", "r": [], "reg": 0}, 1) is True
    assert plan.fast_row({"i": 3.5, "f": 1.5, "s": "b", "r": [], "reg": 0}, 2) is False
    assert plan.fast_row({"i": 3, "f": 1.5, "s": "b", "r": [True], "reg": 0}, 2) is False
    assert plan.fast_row({"i": 3, "f": 1.5, "s": "b", "r": [], "reg": 3}, 2) is False
    assert plan.fast_row({"i": 2**63, "f": 1.5, "s": "b", "r": [], "reg": 0}, 2) is False
    assert plan.fast_row({"i": 3, "f": 1.5, "s": "b", "r": []}, 2) is False
    assert table.to_arrow().to_pydict() == {
        "id": [0, 1],
        "i": [1, 2],
        "f": [0.5, 1.5],
        "s": ["a", "b"],
        "r": [[1.0, 2.0], []],
        "reg": [2, 0],
    }


def test_a_widened_column_gets_a_new_plan(target: DynamicTable) -> None:
    table = DynamicTable(name="t", description="d")
    table.add_column(name="x", description="inferred")
    table.add_column(name="y", description="inferred", index=True)
    table.add_row(x=1, y=[1])  # int64 and list<int64>
    first = table._plan or table._make_plan()
    assert first.fast_row is not None
    assert first.fast_row({"x": 1.5, "y": []}, len(table)) is False  # x is an int column
    table.add_row(x=1.5, y=[0.5])  # widens both to double: the general path, then a new plan
    assert table._plan is None
    table.add_row(x=2.5, y=[2.5, 3])
    plan = table._plan
    assert plan is not None
    assert plan.fast_row is not None
    assert plan.fast_row({"x": 3.5, "y": [4.5]}, len(table)) is True
    assert table.to_arrow().column("x").type == pa.float64()
    assert table.to_arrow().column("y").to_pylist() == [[1.0], [0.5], [2.5, 3.0], [4.5]]


def test_a_null_typed_column_gets_its_fast_path_once_typed() -> None:
    table = DynamicTable(name="t", description="d")
    table.add_column(name="x", description="nulls first")
    table.add_row(x=None)
    assert (table._plan or table._make_plan()).fast_row is None  # type unknown yet
    table.add_row(x="a")
    table.add_row(x="b")
    plan = table._plan
    assert plan is not None
    assert plan.fast_row is not None
    assert table["x"].data.tolist() == [None, "a", "b"]


def test_region_rows_follow_a_growing_target(target: DynamicTable) -> None:
    table = _typed_table(target)
    table.add_row(i=1, f=0.5, s="a", r=[], reg=2)
    table.add_row(i=1, f=0.5, s="a", r=[], reg=2)
    target.add_row(x=3.5)
    table.add_row(i=1, f=0.5, s="a", r=[], reg=3)  # beyond the bound the plan was built with
    with pytest.raises(RegionIndexError, match=r"'reg'.*\[4\]"):
        table.add_row(i=1, f=0.5, s="a", r=[], reg=4)
    assert table["reg"].data.tolist() == [2, 2, 3]


@pytest.mark.parametrize(
    ("row", "error", "column"),
    [
        ({"i": 2**63}, CellValueError, "i"),
        ({"f": True}, CellTypeError, "f"),
        ({"s": 3}, CellTypeError, "s"),
        ({"r": [1.0, "x"]}, CellTypeError, "r"),
        ({"reg": -1}, RegionIndexError, "reg"),
    ],
)
def test_a_refused_row_changes_nothing(
    target: DynamicTable, row: dict[str, Any], error: type[Exception], column: str
) -> None:
    table = _typed_table(target)
    good = {"i": 1, "f": 0.5, "s": "a", "r": [1.0], "reg": 0}
    table.add_row(**good)
    table.add_row(**good)  # the fast path is in place
    before = table.to_arrow()
    with pytest.raises(error, match=rf"DynamicTable 'units', column '{column}'"):
        table.add_row(**{**good, **row})
    assert table.to_arrow().equals(before)
    table.add_row(**good)
    assert len(table) == 3
