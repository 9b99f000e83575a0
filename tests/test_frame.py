"""The nested region frames of to_dataframe(): row_slicer must cut exactly what df[a:b] cuts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hdmf_arrow.common import DynamicTable, VectorData
from hdmf_arrow.common._frame import row_slicer


@pytest.fixture
def frame() -> pd.DataFrame:
    n = 6
    return pd.DataFrame(
        {
            "x": np.arange(n) * 0.5,
            "label": pd.array([f"l{i}" for i in range(n)], dtype="str"),
            "count": pd.array([1, None, 3, 4, None, 6], dtype="Int64"),
            "kind": pd.Categorical(["a", "b"] * 3),
            "trace": [np.arange(i) for i in range(n)],
        },
        index=pd.Index([10, 11, 12, 13, 14, 15], name="id"),
    )


@pytest.mark.parametrize(("start", "stop"), [(0, 1), (2, 5), (5, 6), (3, 3), (0, 6)])
def test_row_slicer_cuts_what_slicing_cuts(frame: pd.DataFrame, start: int, stop: int) -> None:
    got = row_slicer(frame)(start, stop)
    pd.testing.assert_frame_equal(got, frame[start:stop])
    assert type(got) is pd.DataFrame


def test_row_slices_are_copy_on_write(frame: pd.DataFrame) -> None:
    cell = row_slicer(frame)(1, 3)
    cell.loc[11, "x"] = 99.0
    assert frame.loc[11, "x"] == 0.5
    frame.loc[12, "x"] = -1.0
    assert cell.loc[12, "x"] == 1.0


def test_frames_with_attrs_use_public_slicing(frame: pd.DataFrame) -> None:
    frame.attrs["source"] = "test"
    got = row_slicer(frame)(1, 2)
    assert got.attrs == {"source": "test"}
    pd.testing.assert_frame_equal(got, frame[1:2])


def test_nested_frames_match_the_target_rows() -> None:
    target = DynamicTable(
        name="electrodes",
        description="t",
        columns=[
            VectorData("x", "x", [0.5, 1.5, 2.5]),
            VectorData("label", "l", ["a", "b", "c"]),
        ],
    )
    table = DynamicTable(name="units", description="u")
    table.add_column(name="electrode", description="one row", table=target)
    table.add_column(name="group", description="some rows", table=target, index=True)
    table.add_row(electrode=2, group=[0, 2])
    table.add_row(electrode=None, group=[])
    table.add_row(electrode=0, group=None)
    df = table.to_dataframe()
    whole = target.to_dataframe()
    pd.testing.assert_frame_equal(df.loc[0, "electrode"], whole.iloc[[2]])
    pd.testing.assert_frame_equal(df.loc[2, "electrode"], whole.iloc[[0]])
    pd.testing.assert_frame_equal(df.loc[0, "group"], whole.iloc[[0, 2]])
    assert df.loc[1, "electrode"] is None
    assert len(df.loc[1, "group"]) == 0
    assert df.loc[2, "group"] is None
