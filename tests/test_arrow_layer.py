"""The Arrow layer: dtypes, the append buffer, metadata, and the zero-copy promises."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

from hdmf_arrow.arrow.buffer import ColumnBuffer, buffer_from_data
from hdmf_arrow.arrow.dtypes import parse_dtype
from hdmf_arrow.arrow.metadata import METADATA_KEY, TableMeta
from hdmf_arrow.common import DynamicTable
from hdmf_arrow.errors import (
    CellTypeError,
    CellValueError,
    FormatVersionError,
    SchemaMismatchError,
)


def data_address(arr: pa.Array) -> int:
    return arr.buffers()[-1].address


# -- zero copy ---------------------------------------------------------------------------------


def test_to_arrow_shares_the_column_buffers() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=np.arange(5.0))
    t.add_column("r", "r", data=[[1.0, 2.0], [3.0], [], [4.0], [5.0]], index=True)
    table = t.to_arrow()
    assert data_address(table.column("x").chunk(0)) == data_address(t["x"].to_arrow())
    values = table.column("r").chunk(0).values
    assert data_address(values) == data_address(t["r"].target.to_arrow())
    offsets = table.column("r").chunk(0).offsets
    assert offsets.buffers()[1].address == t["r"]._buf.array().buffers()[1].address


def test_numpy_data_is_not_copied() -> None:
    values = np.arange(10.0)
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=values)
    assert data_address(t["x"].to_arrow()) == values.ctypes.data
    assert np.shares_memory(t["x"].data, values)


def test_from_arrow_keeps_the_buffers() -> None:
    ragged = pa.array([[1, 2], [3]], type=pa.list_(pa.int64()))
    t = DynamicTable.from_arrow(pa.table({"r": ragged, "x": [1.5, 2.5]}), name="t")
    assert data_address(t["r"].target.to_arrow()) == data_address(ragged.values)
    assert t["r"].to_arrow().equals(ragged)


# -- dtypes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [
        ("int", pa.int64()),
        ("float", pa.float64()),
        ("float32", pa.float32()),
        ("double", pa.float64()),
        ("text", pa.string()),
        ("utf8", pa.string()),
        ("bool", pa.bool_()),
        ("uint8", pa.uint8()),
        ("isodatetime", pa.timestamp("us", tz="UTC")),
        (int, pa.int64()),
        (str, pa.string()),
        (np.dtype("int16"), pa.int16()),
        (pa.large_string(), pa.large_string()),
    ],
)
def test_parse_dtype(dtype: object, expected: pa.DataType) -> None:
    assert parse_dtype(dtype, name="c") == expected  # type: ignore[arg-type]


def test_parse_dtype_refuses_nonsense() -> None:
    with pytest.raises(CellTypeError, match="Column 'c': dtype 'nonsense' is not understood"):
        parse_dtype("nonsense", name="c")


# -- the append buffer -------------------------------------------------------------------------


def test_inferred_column_widens_int_to_float_and_null_to_anything() -> None:
    buf = ColumnBuffer()
    for v in (None, 1, 2.5):
        buf.append(buf.check(v))
    assert buf.type == pa.float64()
    assert buf.array().to_pylist() == [None, 1.0, 2.5]


def test_inferred_column_refuses_incompatible_values() -> None:
    buf = ColumnBuffer()
    buf.append(buf.check(1))
    with pytest.raises(CellTypeError, match="expected an integer"):
        buf.check("one")
    with pytest.raises(CellTypeError):
        buf.check(True)  # int + bool does not promote
    assert buf.array().to_pylist() == [1]


def test_declared_column_never_widens() -> None:
    buf = ColumnBuffer(pa.int64())
    with pytest.raises(CellTypeError, match=r"expected an integer \(int64\), found float 2.5"):
        buf.check(2.5)


def test_integer_range_is_checked() -> None:
    buf = ColumnBuffer(pa.uint8())
    with pytest.raises(CellValueError, match=r"in \[0, 255\], found 256"):
        buf.check(256)
    with pytest.raises(CellValueError, match="found -1"):
        buf.check_many([1, -1])


def test_reads_are_cached_until_the_next_append() -> None:
    buf = ColumnBuffer()
    buf.extend(buf.check_many([1, 2]))
    first = buf.array()
    assert buf.array() is first
    buf.append(3)
    assert buf.array().to_pylist() == [1, 2, 3]


def test_list_cells_become_fixed_size_rows() -> None:
    buf = buffer_from_data(None, None, name="xy")
    buf.append(buf.check([1.0, 2.0]))
    assert buf.type == pa.list_(pa.float64(), 2)
    with pytest.raises(CellValueError, match="length 2, found one of length 3"):
        buf.check([1.0, 2.0, 3.0])


def test_ragged_list_data_without_index_is_refused() -> None:
    with pytest.raises(CellValueError, match="Hint: add the column with index=True"):
        buffer_from_data([[1, 2], [3]], None, name="r")


def test_nd_numpy_data_is_a_fixed_size_list() -> None:
    buf = buffer_from_data(np.zeros((4, 3, 2)), None, name="m")
    assert buf.type == pa.list_(pa.list_(pa.float64(), 2), 3)
    assert buf.numpy().shape == (4, 3, 2)


# -- the hdmf metadata document ----------------------------------------------------------------


def test_metadata_round_trip() -> None:
    t = DynamicTable(name="t", description="about t")
    t.add_column("x", "an x", data=[1, 2], unit="m")
    meta = TableMeta.parse(t.to_arrow().schema.metadata[METADATA_KEY])
    assert meta == t.table_meta()
    assert meta.columns["x"].attributes == {"unit": "m"}


def test_newer_format_is_refused() -> None:
    doc = json.loads(DynamicTable(name="t", description="d").table_meta().to_json())
    doc["format_version"] = "0.3.0"
    with pytest.raises(FormatVersionError, match=r"format 0.3.0; this hdmf-arrow reads format 0.2"):
        TableMeta.parse(json.dumps(doc), source="table 't'")
    doc["format_version"] = "0.2.7"  # a newer patch only adds keys: readable
    assert TableMeta.parse(json.dumps(doc)).name == "t"


@pytest.mark.parametrize("raw", [b"not json", b'{"name": "t"}', b'{"format_version": "0.1.0"}'])
def test_malformed_metadata_is_refused(raw: bytes) -> None:
    with pytest.raises(SchemaMismatchError, match="does not parse"):
        TableMeta.parse(raw, source="table 't'")


def test_from_arrow_refuses_metadata_that_contradicts_the_type() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("r", "r", data=[[1], [2, 3]], index=True)
    arrow = t.to_arrow()
    flat = arrow.set_column(1, "r", pa.array([1, 2]))  # metadata still says index 1
    with pytest.raises(SchemaMismatchError, match="says 1 index level"):
        DynamicTable.from_arrow(flat)


# -- NaN is a value, not a null (except where pandas means "missing") ------------------------


def test_nan_stays_nan_from_numpy_lists_and_rows() -> None:
    import math

    t = DynamicTable(name="t", description="d")
    t.add_column("a", "from numpy", data=np.array([1.0, np.nan]))
    t.add_column("b", "from a list", data=[1.0, float("nan")])
    t.add_column("c", "by rows", dtype="float")
    t.add_row(a=2.0, b=2.0, c=float("nan"))  # c's first two rows are null-filled
    arrow = t.to_arrow()
    assert [arrow.column(n).null_count for n in ("a", "b", "c")] == [0, 0, 2]
    assert math.isnan(arrow.column("a")[1].as_py())
    assert math.isnan(arrow.column("c")[2].as_py())


def test_pandas_nan_means_missing() -> None:
    import pandas as pd

    t = DynamicTable.from_dataframe(pd.DataFrame({"x": [1.0, np.nan]}), name="t")
    assert t.to_arrow().column("x").null_count == 1


def test_to_dataframe_restores_the_garbage_collector() -> None:
    import gc

    target = DynamicTable(name="target", description="d")
    target.add_column("v", "v", data=[1, 2])
    t = DynamicTable(name="t", description="d")
    t.add_column("r", "r", table=target, data=[0, 1, 1])
    assert gc.isenabled()
    t.to_dataframe()
    assert gc.isenabled()
    gc.disable()
    try:
        t.to_dataframe()
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
