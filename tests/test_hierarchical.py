"""hdmf_arrow.common.hierarchicaltable: to_hierarchical_dataframe, drop_id_columns,
flatten_column_index. hdmf's own implementation (on equivalent hdmf tables) is the oracle."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hdmf_arrow.common import (
    AlignedDynamicTable,
    DynamicTable,
    DynamicTableRegion,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.common.hierarchicaltable import (
    drop_id_columns,
    flatten_column_index,
    to_hierarchical_dataframe,
)
from hdmf_arrow.errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    RegionIndexError,
    UnresolvedReferenceError,
)


def _ragged(name: str, rows: list[list[Any]], mod: Any, **kw: Any) -> list[Any]:
    """A ragged column (VectorData or DTR, and its VectorIndex) built with module ``mod``."""
    flat = [v for r in rows for v in r]
    ends = np.cumsum([len(r) for r in rows]).tolist()
    if "table" in kw:
        data = mod.DynamicTableRegion(name=name, description=name, data=flat, **kw)
    else:
        data = mod.VectorData(name=name, description=name, data=flat)
    return [data, mod.VectorIndex(name=f"{name}_index", data=ends, target=data)]


def _chain(spec: dict[str, Any], mod: Any) -> Any:
    """top -> mid -> leaf, built with ``mod`` (hdmf.common or hdmf_arrow.common)."""
    leaf_n = len(spec["leaf_x"])
    leaf = mod.DynamicTable(
        name="leaf",
        description="leaf",
        id=list(range(100, 100 + leaf_n)),
        columns=[
            mod.VectorData(name="x", description="x", data=spec["leaf_x"]),
            *_ragged("tags", spec["leaf_tags"], mod),
        ],
    )
    mid_cols: list[Any]
    if spec["mid_ragged"]:
        mid_cols = _ragged("to_leaf", spec["mid_rows"], mod, table=leaf)
        mid_n = len(spec["mid_rows"])
    else:
        mid_n = len(spec["mid_flat"])
        mid_cols = [
            mod.DynamicTableRegion(
                name="to_leaf", description="r", data=spec["mid_flat"], table=leaf
            )
        ]
    mid = mod.DynamicTable(
        name="mid",
        description="mid",
        id=list(range(200, 200 + mid_n)),
        columns=[
            mod.VectorData(name="m", description="m", data=[f"m{i}" for i in range(mid_n)]),
            *mid_cols,
        ],
    )
    top_rows = [[r % mid_n for r in row] for row in spec["top_rows"]]
    return mod.DynamicTable(
        name="top",
        description="top",
        id=list(range(300, 300 + len(top_rows))),
        columns=[
            *_ragged("to_mid", top_rows, mod, table=mid),
            mod.VectorData(
                name="t", description="t", data=[float(i) for i in range(len(top_rows))]
            ),
            *_ragged("labels", [[f"l{i}"] * (i % 3) for i in range(len(top_rows))], mod),
        ],
    )


@st.composite
def chains(draw: st.DrawFn) -> dict[str, Any]:
    leaf_n = draw(st.integers(1, 4))
    rows = st.lists(st.integers(0, leaf_n - 1), min_size=1, max_size=3)
    spec: dict[str, Any] = {
        "leaf_x": draw(st.lists(st.floats(-5, 5), min_size=leaf_n, max_size=leaf_n)),
        "leaf_tags": draw(
            st.lists(st.lists(st.sampled_from("abc"), max_size=2), min_size=leaf_n, max_size=leaf_n)
        ),
        "mid_ragged": draw(st.booleans()),
    }
    # hdmf looks mid rows up by id and fails on a mid row that points nowhere: every mid row
    # points at one leaf row at least
    spec["mid_rows"] = draw(st.lists(rows, min_size=1, max_size=4))
    spec["mid_flat"] = draw(st.lists(st.integers(0, leaf_n - 1), min_size=1, max_size=4))
    spec["top_rows"] = draw(
        st.lists(st.lists(st.integers(0, 10), max_size=3), min_size=1, max_size=4)
    )
    return spec


def _plain(values: list[Any]) -> list[Any]:
    return [list(v) if isinstance(v, (list, np.ndarray)) else v for v in values]


@settings(max_examples=40)  # hdmf's side is slow (a Python loop per row)
@given(chains())
def test_same_frame_as_hdmf(spec: dict[str, Any]) -> None:
    hdmf_common = pytest.importorskip("hdmf.common")
    hdmf_hier = pytest.importorskip("hdmf.common.hierarchicaltable")
    import hdmf_arrow.common as ours

    theirs = hdmf_hier.to_hierarchical_dataframe(_chain(spec, hdmf_common))
    got = to_hierarchical_dataframe(_chain(spec, ours))
    assert got.columns.to_list() == theirs.columns.to_list()
    assert list(got.index.names) == list(theirs.index.names)
    assert got.index.to_list() == theirs.index.to_list()
    for col in theirs.columns:
        assert _plain(got[col].to_list()) == _plain(theirs[col].to_list()), col


def test_two_levels_by_hand() -> None:
    electrodes = DynamicTable(
        name="electrodes",
        description="sites",
        columns=[VectorData(name="area", description="a", data=["CA1", "CA3", "DG"])],
    )
    region = DynamicTableRegion(name="sites", description="s", data=[2, 0, 1], table=electrodes)
    units = DynamicTable(
        name="units",
        description="u",
        id=[7, 8],
        columns=[
            region,
            VectorIndex(name="sites_index", data=[1, 3], target=region),
            VectorData(name="q", description="q", data=["good", "mua"]),
        ],
    )
    frame = to_hierarchical_dataframe(units)
    assert frame.index.names == [("units", "id"), ("units", "q")]
    assert frame.index.to_list() == [(7, "good"), (8, "mua"), (8, "mua")]
    assert frame.columns.names == ["source_table", "label"]
    assert frame[("electrodes", "id")].to_list() == [2, 0, 1]
    assert frame[("electrodes", "area")].to_list() == ["DG", "CA1", "CA3"]


def test_levels_are_joined_by_row_not_by_id() -> None:
    """Repeated ids in the middle table: each link still finds the rows it points at."""
    leaf = DynamicTable(
        name="leaf",
        description="l",
        columns=[VectorData(name="x", description="x", data=[10, 20, 30])],
    )
    mid = DynamicTable(
        name="mid",
        description="m",
        id=[1, 1],  # the same id twice
        columns=[DynamicTableRegion(name="r", description="r", data=[0, 2], table=leaf)],
    )
    top = DynamicTable(
        name="top",
        description="t",
        columns=[DynamicTableRegion(name="r", description="r", data=[1, 0, 1], table=mid)],
    )
    frame = to_hierarchical_dataframe(top)
    assert frame[("leaf", "x")].to_list() == [30, 10, 30]
    assert frame.index.to_list() == [(0, 1), (1, 1), (2, 1)]


def test_aligned_table_categories_count() -> None:
    leaf = DynamicTable(
        name="leaf",
        description="l",
        columns=[VectorData(name="x", description="x", data=[1.5, 2.5])],
    )
    cat = DynamicTable(
        name="cat",
        description="c",
        columns=[
            DynamicTableRegion(name="link", description="r", data=[1, 0, 1], table=leaf),
            VectorData(name="c", description="c", data=[5, 6, 7]),
        ],
    )
    aligned = AlignedDynamicTable(
        name="aligned",
        description="a",
        columns=[VectorData(name="a1", description="a1", data=[0, 1, 2])],
        category_tables=[cat],
    )
    frame = to_hierarchical_dataframe(aligned)
    assert frame.index.names == [
        ("aligned", "id"),
        ("aligned", ("aligned", "a1")),
        ("aligned", ("cat", "id")),
        ("aligned", ("cat", "c")),
    ]
    assert frame.index.to_list() == [(0, 0, 0, 5), (1, 1, 1, 6), (2, 2, 2, 7)]
    assert frame[("leaf", "x")].to_list() == [2.5, 1.5, 2.5]


def test_flat_tables_give_their_dataframe() -> None:
    t = DynamicTable(name="t", description="t")
    t.add_column("a", "a", data=[])
    pd.testing.assert_frame_equal(to_hierarchical_dataframe(t), t.to_dataframe())


def test_empty_source_keeps_its_labels() -> None:
    leaf = DynamicTable(
        name="leaf", description="l", columns=[VectorData(name="x", description="x", data=[1])]
    )
    region = DynamicTableRegion(name="r", description="r", data=[], table=leaf)
    top = DynamicTable(
        name="top",
        description="t",
        columns=[region, VectorData(name="y", description="y", data=[])],
    )
    frame = to_hierarchical_dataframe(top).reset_index()
    assert frame.columns.to_list() == [("top", "id"), ("top", "y"), ("leaf", "id"), ("leaf", "x")]
    assert len(frame) == 0


def test_errors() -> None:
    with pytest.raises(InvalidArgumentTypeError, match="expected a DynamicTable, got DataFrame"):
        to_hierarchical_dataframe(pd.DataFrame())  # type: ignore[arg-type]
    orphan = DynamicTable(
        name="orphan",
        description="o",
        columns=[DynamicTableRegion(name="r", description="r", data=[0], table=None)],
    )
    with pytest.raises(UnresolvedReferenceError, match="'r' of DynamicTable 'orphan'"):
        to_hierarchical_dataframe(orphan)
    empty = DynamicTable(name="empty", description="no rows")
    region = DynamicTableRegion(
        name="r", description="r", data=[0], table=empty, validate_data=False
    )
    bad = DynamicTable(name="bad", description="b", columns=[region])
    with pytest.raises(RegionIndexError, match="points at row 0, but its target has 0 rows"):
        to_hierarchical_dataframe(bad)


def _frame() -> pd.DataFrame:
    columns = pd.MultiIndex.from_tuples(
        [("top", "id"), ("leaf", "id"), ("leaf", ("cat", "id")), ("leaf", ("cat", "x"))]
    )
    return pd.DataFrame([[0, 1, 2, 3]], columns=columns)


def test_drop_id_columns_copy_and_inplace() -> None:
    frame = _frame()
    out = drop_id_columns(frame)
    assert out.columns.to_list() == [("leaf", ("cat", "x"))]
    assert len(frame.columns) == 4  # unchanged
    assert drop_id_columns(frame, inplace=True) is frame
    assert frame.columns.to_list() == [("leaf", ("cat", "x"))]
    with pytest.raises(InvalidArgumentTypeError, match="drop_id_columns: expected a pandas"):
        drop_id_columns([1])  # type: ignore[arg-type]


def test_flatten_column_index_levels() -> None:
    frame = _frame()
    flat = flatten_column_index(frame)
    assert flat.columns.to_list() == [
        ("top", "id"),
        ("leaf", "id"),
        ("leaf", "cat", "id"),
        ("leaf", "cat", "x"),
    ]
    assert isinstance(frame.columns, pd.MultiIndex)  # unchanged
    assert flatten_column_index(frame, max_levels=2).columns.to_list() == [
        ("top", "id"),
        ("leaf", "id"),
        ("cat", "id"),
        ("cat", "x"),
    ]
    assert flatten_column_index(frame, max_levels=1).columns.to_list() == ["id", "id", "id", "x"]
    assert flatten_column_index(frame, max_levels=1, inplace=True) is frame
    assert flatten_column_index(frame, max_levels=1).columns.to_list() == ["id", "id", "id", "x"]
    with pytest.raises(InvalidArgumentError, match="max_levels must be greater than 0"):
        flatten_column_index(frame, max_levels=0)


@given(st.lists(st.lists(st.integers(0, 4), max_size=4), min_size=1, max_size=6))
def test_ragged_rows_expand_to_one_row_per_link(rows: list[list[int]]) -> None:
    leaf = DynamicTable(
        name="leaf",
        description="l",
        columns=[VectorData(name="x", description="x", data=[10, 11, 12, 13, 14])],
    )
    top = DynamicTable(name="top", description="t", columns=_ragged("r", rows, _ours(), table=leaf))
    frame = to_hierarchical_dataframe(top)
    expected_ids = [i for i, r in enumerate(rows) for _ in r]
    assert frame.index.get_level_values(0).to_list() == expected_ids
    assert frame[("leaf", "x")].to_list() == [10 + v for r in rows for v in r]


def _ours() -> Any:
    import hdmf_arrow.common as ours

    return ours
