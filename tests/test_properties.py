"""Round-trip laws, checked on random tables (hdmf_arrow.testing.strategies).

- model -> Arrow -> model:        from_arrow(t.to_arrow()) == t
- model -> pandas -> model:       from_dataframe(t.to_dataframe(index=True)) gives the same frame
- model -> polars -> model:       from_polars(t.to_polars()) == t (values and types)
- ragged coder:                   join(split(x)) == x
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hdmf_arrow.arrow import ragged
from hdmf_arrow.common import DynamicTable
from hdmf_arrow.testing import assert_table_equal
from hdmf_arrow.testing.strategies import dynamic_tables, ragged_cells


def targets(table: DynamicTable) -> dict[str, DynamicTable]:
    return {n: table.get_column(n).get_target_data().table for n in table.get_foreign_columns()}


@given(dynamic_tables())
def test_arrow_round_trip(table: DynamicTable) -> None:
    back = DynamicTable.from_arrow(
        table.to_arrow(), target_tables=targets(table), object_id=table.object_id
    )  # the source's own id: every recorded object id is restored
    assert_table_equal(table, back)


def typed_in_pandas(table: DynamicTable) -> bool:
    """Whether every column shows pandas at least one value (an object column that is empty or
    all None carries no type, so no DataFrame reader can tell its kind)."""
    arrow = table.to_arrow()
    return len(table) > 0 and all(c.null_count < len(c) for c in arrow.columns)


@given(dynamic_tables())
def test_dataframe_round_trip(table: DynamicTable) -> None:
    assume(typed_in_pandas(table))
    df = table.to_dataframe(index=True)
    back = DynamicTable.from_dataframe(df, name=table.name, target_tables=targets(table))
    assert back.colnames == table.colnames
    assert len(back) == len(table)
    pd.testing.assert_frame_equal(back.to_dataframe(index=True), df)


@given(dynamic_tables(kinds=("int", "float", "text", "bool", "ragged", "ragged2", "enum")))
def test_polars_round_trip(table: DynamicTable) -> None:
    back = DynamicTable.from_polars(table.to_polars(), name=table.name)
    assert_table_equal(table, back, check_metadata=False, check_types=False)
    for name in table.colnames:  # types may only widen their offsets (list -> large_list)
        assert back[name].get_target_data().dtype == table[name].get_target_data().dtype


@given(dynamic_tables(), st.data())
def test_rows_read_back_as_built(table: DynamicTable, data: st.DataObject) -> None:
    """table[i] / table[i:j] / table[[...]] agree with the whole-table DataFrame."""
    full = table.to_dataframe(index=True)
    if not len(table):
        return
    i = data.draw(st.integers(0, len(table) - 1))
    j = data.draw(st.integers(i, len(table)))
    pd.testing.assert_frame_equal(table[i], full.iloc[[i]])
    pd.testing.assert_frame_equal(table[i:j], full.iloc[i:j])
    picks = data.draw(st.lists(st.integers(0, len(table) - 1), max_size=5))
    pd.testing.assert_frame_equal(table[picks], full.iloc[picks])


@settings(max_examples=50)
@given(st.integers(1, 3), st.data())
def test_ragged_coder_round_trip(depth: int, data: st.DataObject) -> None:
    n = data.draw(st.integers(0, 6))
    cells = data.draw(ragged_cells(n, depth=depth, values=st.integers(-5, 5), nulls=True))
    arr = ragged.encode(cells, depth, value_type=pa.int64(), name="x")
    values, levels = ragged.split(arr, depth)
    assert ragged.join(values, levels).equals(arr)
    assert ragged.join(values, levels).to_pylist() == cells
    # a slice (offsets not starting at 0) splits into rebased levels that join to the slice
    if n > 1:
        part = arr.slice(1)
        assert ragged.join(*ragged.split(part, depth)).to_pylist() == cells[1:]
