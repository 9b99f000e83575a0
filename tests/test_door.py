"""Values the store cannot hold are refused at the door (issue 8, part 9).

``add_row``, ``add_column``, the constructors and ``from_arrow`` refuse what would make the table
unusable later (a write that fails, a file that does not read back, a value silently changed),
with the table and column named in the message and the table unchanged.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hdmf_arrow import api
from hdmf_arrow.common import DynamicTable, ElementIdentifiers, EnumData, VectorData
from hdmf_arrow.errors import (
    CellTypeError,
    CellValueError,
    HdmfArrowError,
    InvalidNameError,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

SURROGATES = ["\ud800", "a\udfffb", "\ud83d\ude00"]  # the last: a pair as two code points


def _state(t: DynamicTable) -> tuple[int, tuple[str, ...], pa.Table]:
    return len(t), t.colnames, t.to_arrow()


def _assert_unchanged(t: DynamicTable, before: tuple[int, tuple[str, ...], pa.Table]) -> None:
    n, names, arrow = _state(t)
    assert (n, names) == before[:2]
    assert arrow.equals(before[2])


def _refused(
    t: DynamicTable, action: Callable[[], object], error: type[Exception], match: str
) -> None:
    before = _state(t)
    with pytest.raises(error, match=match):
        action()
    _assert_unchanged(t, before)


def _table(**columns: dict[str, Any]) -> DynamicTable:
    t = DynamicTable(name="units", description="d")
    for name, options in columns.items():
        t.add_column(name, "d", **options)
    return t


# -- lone surrogates -----------------------------------------------------------------------------


@pytest.mark.parametrize("bad", SURROGATES)
@pytest.mark.parametrize("dtype", [None, "text"])
def test_add_row_refuses_lone_surrogates_on_both_paths(bad: str, dtype: str | None) -> None:
    t = _table(s={"dtype": dtype}, x={"dtype": "int"})
    t.add_row(s="ok", x=1)
    t.add_row(s="ok", x=2)  # the fast path is in place
    where = "DynamicTable 'units', column 's'.*surrogate"
    _refused(t, lambda: t.add_row(s=bad, x=3), CellValueError, where)
    _refused(t, lambda: t.add_row(data={"s": bad, "x": 3}), CellValueError, where)
    t.add_row(s="caf\u00e9 \u65e5\u672c", x=4)  # other non-ASCII text is fine, fast or not
    t.add_row(data={"s": "\u00fc", "x": 5})
    assert t["s"].data.tolist() == ["ok", "ok", "caf\u00e9 \u65e5\u672c", "\u00fc"]


def test_the_first_row_of_an_untyped_column_refuses_lone_surrogates() -> None:
    t = _table(s={})
    _refused(t, lambda: t.add_row(s="\ud800"), CellValueError, "column 's'.*surrogate")


@pytest.mark.parametrize("bad", SURROGATES)
def test_ragged_text_refuses_lone_surrogates(bad: str) -> None:
    t = _table(r={"index": True, "dtype": "text"})
    t.add_row(r=["a"])
    t.add_row(r=["b", "c"])
    _refused(t, lambda: t.add_row(r=["a", bad]), CellValueError, "column 'r'.*surrogate")
    _refused(t, lambda: t.add_row(data={"r": [bad]}), CellValueError, "column 'r'.*surrogate")
    t.add_row(r=["\u00e9", "x"])
    assert len(t) == 3


@pytest.mark.parametrize(
    "options",
    [
        {"data": ["a", "\ud800"]},
        {"data": ["a", "\ud800"], "dtype": "text"},
        {"data": np.array(["a", "\ud800"])},
        {"data": [["a"], ["\ud800"]], "index": True},
        {"data": ["a", "\ud800"], "enum": True},
        {"data": ["a"], "enum": ["a", "\ud800"]},
    ],
)
def test_add_column_refuses_lone_surrogates(options: dict[str, Any]) -> None:
    t = _table(x={"data": [1, 2]})
    _refused(
        t,
        lambda: t.add_column("s", "d", **options),
        CellValueError,
        "DynamicTable 'units'.*'s'.*surrogate",
    )


def test_enum_refuses_new_elements_with_lone_surrogates() -> None:
    t = _table(e={"enum": ["a"]}, o={"enum": True})
    t.add_row(e="a", o="x")
    t.add_row(e="a", o="x")
    _refused(t, lambda: t.add_row(e="\ud800", o="x"), CellValueError, "column 'e'.*surrogate")
    _refused(t, lambda: t.add_row(e="a", o="\ud800"), CellValueError, "column 'o'.*surrogate")
    assert t["e"].elements == ("a",)
    assert t["o"].elements == ("x",)


def test_names_with_lone_surrogates_are_refused() -> None:
    with pytest.raises(InvalidNameError, match="surrogate"):
        DynamicTable(name="t\ud800", description="d")
    t = _table(x={"data": [1]})
    _refused(t, lambda: t.add_column("\ud800", "d", data=[1]), InvalidNameError, "surrogate")


# -- bytes where text goes -------------------------------------------------------------------------


def test_enums_refuse_bytes() -> None:
    t = _table(x={"data": [1, 2]})
    _refused(
        t,
        lambda: t.add_column("e", "d", data=[b"a", b"b"], enum=True),
        CellTypeError,
        "DynamicTable 'units'.*EnumData 'e'.*bytes",
    )
    _refused(
        t,
        lambda: t.add_column("e", "d", data=[0, 1], enum=[b"a", b"b"]),
        CellTypeError,
        "EnumData 'e'.*bytes",
    )
    with pytest.raises(CellTypeError, match=r"EnumData 'e'.*bytes"):
        EnumData("e", "d", pa.array([b"a"]).dictionary_encode())
    t.add_column("e", "d", enum=["a"], data=["a", "a"])
    t.add_column("o", "d", enum=True)
    t.add_row(x=3, e="a", o="z")
    _refused(t, lambda: t.add_row(x=4, e=b"a", o="z"), CellTypeError, "column 'e'.*bytes")
    _refused(t, lambda: t.add_row(x=4, e="a", o=b"z"), CellTypeError, "column 'o'.*bytes")
    e = t["o"]
    assert isinstance(e, EnumData)
    with pytest.raises(CellTypeError, match="bytes"):
        e.add_element(b"y")
    assert e.elements == ("z",)


def test_text_columns_refuse_bytes() -> None:
    t = _table(s={}, d={"dtype": "text"})
    t.add_row(s="a", d="b")
    _refused(t, lambda: t.add_row(s=b"a", d="b"), CellTypeError, "column 's'.*bytes")
    _refused(t, lambda: t.add_row(s="a", d=b"b"), CellTypeError, "column 'd'")
    assert t.to_arrow().schema.field("s").type == pa.string()
    for data, dtype in [([b"a"], "text"), (["a", b"a"], None), ([[b"a"]], "text")]:
        _refused(
            t,
            lambda data=data, dtype=dtype: t.add_column(
                "z", "d", data=data, dtype=dtype, index=isinstance(data[0], list)
            ),
            CellTypeError,
            "'z'.*bytes",
        )


def test_bytes_columns_still_hold_bytes() -> None:
    t = _table(b={"data": [b"a", b"\xff"]})
    t.add_row(b=b"c")
    assert t["b"].data.tolist() == [b"a", b"\xff", b"c"]


# -- ids beyond int64 ------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [2**63, -(2**63) - 1, np.uint64(2**63), 2**100])
def test_add_row_refuses_ids_beyond_int64(bad: object) -> None:
    t = _table(x={"data": [1]})
    _refused(
        t,
        lambda: t.add_row(x=2, id=bad),  # type: ignore[arg-type]
        CellValueError,
        "DynamicTable 'units'.*id.*int64",
    )
    _refused(t, lambda: t.add_row(data={"x": 2, "id": bad}), CellValueError, "int64")
    t.add_row(x=2, id=2**63 - 1)
    t.add_row(x=3, id=-(2**63))
    assert t.id.data.tolist() == [0, 2**63 - 1, -(2**63)]


@pytest.mark.parametrize(
    "data",
    [
        [2**63],
        [0, 2**64 + 5],
        [-1, 2**63],
        np.array([2**63], dtype=np.uint64),
        pa.array([2**63], pa.uint64()),
    ],
)
def test_element_identifiers_refuse_ids_beyond_int64(data: object) -> None:
    with pytest.raises(CellValueError, match=r"ElementIdentifiers 'id'.*int64"):
        ElementIdentifiers("id", data)
    with pytest.raises(CellValueError, match="int64"):
        DynamicTable(name="t", description="d", id=data)
    ids = ElementIdentifiers("id", np.array([1, 2], dtype=np.uint64))  # within range: fine
    assert ids.data.tolist() == [1, 2]


# -- nested deeper than the index -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        [[[1, 2], [3]], [[4]]],
        pa.array([[[1, 2], [3]], [[4]]]),
    ],
)
def test_cells_nested_deeper_than_the_index_are_refused(data: object) -> None:
    t = _table(x={"data": [1, 2]})
    _refused(
        t,
        lambda: t.add_column("r", "d", data=data, index=True),
        CellValueError,
        "DynamicTable 'units'.*'r'.*nested.*index=2",
    )


def test_ragged_lists_without_an_index_are_refused() -> None:
    t = _table(x={"data": [1, 2]})
    _refused(
        t,
        lambda: t.add_column("r", "d", data=pa.array([[1, 2], [3]])),
        CellValueError,
        "'r'.*index=True",
    )
    with pytest.raises(CellValueError, match=r"'v'.*index=True"):
        DynamicTable(name="t", description="d", columns=[VectorData("v", "d", pa.array([[1], []]))])


def test_regular_cells_under_an_index_are_an_nd_column(tmp_path: Path) -> None:
    t = _table(x={"data": [1, 2]})
    t.add_column("r", "d", data=[[[1, 2], [3, 4]], [[5, 6]]], index=True)
    t.add_column("a", "d", data=pa.array([[1, 2], [3, 4]]))  # equal lengths: a 2-D column
    assert t["r"].target.dtype == pa.list_(pa.int64(), 2)
    assert t["a"].dtype == pa.list_(pa.int64(), 2)
    api.write(t, tmp_path / "s")
    back = api.read(tmp_path / "s")
    assert back.to_arrow().to_pylist() == t.to_arrow().to_pylist()


def test_add_row_of_ragged_cells_into_a_scalar_column_is_a_clear_error() -> None:
    t = _table(x={})
    _refused(t, lambda: t.add_row(x=[[1, 2], [3]]), CellTypeError, "column 'x'.*index=True")


# -- floats where ints go ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "options"),
    [
        ([1.5], {"dtype": "int"}),
        ([1, 2.5], {"dtype": "uint8"}),
        ((1.5,), {"dtype": "int32"}),
        ([[1.5]], {"dtype": "int", "index": True}),
        ([[[1, 2.5]]], {"dtype": "int", "index": 2}),
        (np.array([1.5]), {"dtype": "int"}),
        (pa.array([1.5]), {"dtype": "int"}),
        ([float("nan")], {"dtype": "int"}),
    ],
)
def test_add_column_refuses_floats_an_int_column_would_truncate(
    data: object, options: dict[str, Any]
) -> None:
    t = _table(x={"data": [1]})
    _refused(
        t,
        lambda: t.add_column("i", "d", data=data, **options),
        HdmfArrowError,
        "DynamicTable 'units'.*'i'",
    )


def test_add_column_still_takes_whole_numbers_into_int_columns() -> None:
    t = _table(x={"data": [1, 2]})
    t.add_column("i", "d", data=[1.0, 2], dtype="int")
    t.add_column("j", "d", data=[[1], [2, 3]], dtype="uint8", index=True)
    t.add_column("k", "d", data=[None, 3], dtype="int16")
    assert t.to_arrow().select(["i", "j", "k"]).to_pylist() == [
        {"i": 1, "j": [1], "k": None},
        {"i": 2, "j": [2, 3], "k": 3},
    ]


# -- finite values that overflow a narrow float type --------------------------------------------


@pytest.mark.parametrize("bad", [1e39, -1e39, 2**200, np.float64(1e39)])
def test_add_row_refuses_finite_values_that_overflow_float32(bad: object) -> None:
    t = _table(f={"dtype": "float32"}, r={"dtype": "float32", "index": True})
    t.add_row(f=1.0, r=[1.0])
    t.add_row(f=2.0, r=[])  # the fast path is in place
    _refused(t, lambda: t.add_row(f=bad, r=[]), CellValueError, "column 'f'.*float")
    _refused(t, lambda: t.add_row(data={"f": bad, "r": []}), CellValueError, "column 'f'")
    _refused(t, lambda: t.add_row(f=1.0, r=[1.0, bad]), CellValueError, "column 'r'")
    for fine in (float("inf"), float("-inf"), float("nan"), 3.4e38, -3.4e38, 1e-50):
        t.add_row(f=fine, r=[fine])
    assert len(t) == 8


def test_float16_overflow_is_refused() -> None:
    t = _table(h={"dtype": "float16"})
    _refused(t, lambda: t.add_row(h=70000.0), CellValueError, "column 'h'")
    t.add_row(h=65504.0)
    assert t["h"].data.tolist() == [65504.0]


@pytest.mark.parametrize(
    "data",
    [[1.0, 1e39], np.array([1e39]), pa.array([1.0, -1e39]), [[1e39]], np.array([[1.0, 1e39]])],
)
def test_add_column_refuses_finite_values_that_overflow_float32(data: object) -> None:
    t = _table(x={"data": [1]})
    index = isinstance(data, list) and isinstance(data[0], list)
    _refused(
        t,
        lambda: t.add_column("f", "d", data=data, dtype="float32", index=index),
        CellValueError,
        "DynamicTable 'units'.*'f'.*float",
    )
    t.add_column("g", "d", data=[float("inf")], dtype="float32")  # inf itself is a value
    assert t["g"].data.tolist() == [float("inf")]


# -- a str is not a sequence of cells ---------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"index": True}, {"enum": True}, {"dtype": "text"}])
@pytest.mark.parametrize("data", ["abc", b"abc"])
def test_a_string_as_column_data_is_refused(data: object, options: dict[str, Any]) -> None:
    t = DynamicTable(name="units", description="d")
    _refused(
        t,
        lambda: t.add_column("x", "d", data=data, **options),
        CellTypeError,
        "DynamicTable 'units'.*'x'.*not a sequence of cells",
    )
    assert len(t) == 0


def test_data_constructors_refuse_a_string_as_data() -> None:
    with pytest.raises(CellTypeError, match=r"VectorData 'x'.*not a sequence of cells"):
        VectorData("x", "d", "abc")
    with pytest.raises(CellTypeError, match=r"EnumData 'e'.*not a sequence of cells"):
        EnumData("e", "d", "abc")


# -- Arrow view layouts are read as plain lists ---------------------------------------------------


@pytest.mark.parametrize(
    ("array", "expected"),
    [
        (pa.array([[1, 2], [3]], type=pa.list_view(pa.int64())), [[1, 2], [3]]),
        (pa.array([[1, 2], [3]], type=pa.large_list_view(pa.int64())), [[1, 2], [3]]),
        (
            pa.array([[9], [1, 2], None, [3]], pa.list_view(pa.int64())).slice(1),
            [[1, 2], None, [3]],
        ),
        (
            pa.ListViewArray.from_arrays(
                pa.array([1, 0], pa.int32()), pa.array([2, 1], pa.int32()), pa.array([3, 1, 2])
            ),
            [[1, 2], [3]],
        ),
        (
            pa.array([[[1]], [[2, 3], []]], pa.list_view(pa.list_view(pa.int64()))),
            [[[1]], [[2, 3], []]],
        ),
        (pa.array([["a"], ["b", None]], pa.list_view(pa.string_view())), [["a"], ["b", None]]),
        (pa.array([[1, 2], [3]], type=pa.large_list(pa.int64())), [[1, 2], [3]]),
        (pa.array(["a", "b"], type=pa.large_string()), ["a", "b"]),
    ],
)
def test_from_arrow_reads_view_and_large_layouts(
    array: pa.Array, expected: list[Any], tmp_path: Path
) -> None:
    t = DynamicTable.from_arrow(pa.table({"x": array}), name="t")
    assert t.to_arrow().column("x").to_pylist() == expected
    t.to_arrow().validate(full=True)
    assert "view" not in str(t.to_arrow().schema)
    u = DynamicTable(name="u", description="d")
    u.add_column("x", "d", data=array, index=_list_levels(array.type))
    assert u.to_arrow().column("x").to_pylist() == expected
    api.write(t, tmp_path / "s")
    assert api.read(tmp_path / "s").to_arrow().column("x").to_pylist() == expected


def _list_levels(t: pa.DataType) -> int:
    depth = 0
    while isinstance(t, pa.ListType | pa.LargeListType | pa.ListViewType | pa.LargeListViewType):
        depth, t = depth + 1, t.value_type
    return depth


# -- column names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["", "id", "a\nb", "nul\x00", "del\x7f", "c1\x85", "line\u2028"])
def test_add_column_refuses_reserved_and_control_names(bad: str) -> None:
    t = DynamicTable.from_arrow(pa.table({"rid": [0, 1], "x": [1, 2]}), name="t", id_column="rid")
    _refused(t, lambda: t.add_column(bad, "d", data=[1, 2]), InvalidNameError, "DynamicTable 't'")
    _refused(t, lambda: t.add_column(bad, "d"), ValueError, "column name")


@pytest.mark.parametrize("bad", ["", "id", "a\nb", "tab\t"])
def test_from_arrow_refuses_reserved_and_control_names(bad: str) -> None:
    where = f"DynamicTable 't'.*column name {re.escape(repr(bad))}"
    with pytest.raises(InvalidNameError, match=where):
        DynamicTable.from_arrow(pa.table({"rid": [0], bad: [1]}), name="t", id_column="rid")


def test_the_id_column_of_from_arrow_is_fine() -> None:
    t = DynamicTable.from_arrow(pa.table({"id": [5, 6], "x": [1, 2]}), name="t")
    assert t.id.data.tolist() == [5, 6]
    assert t.colnames == ("x",)


# -- unions, dicts -------------------------------------------------------------------------------

_UNION = pa.UnionArray.from_sparse(
    pa.array([0, 1], type=pa.int8()), [pa.array([1, 2]), pa.array(["a", "b"])]
)
_DENSE = pa.UnionArray.from_dense(
    pa.array([0, 1], pa.int8()), pa.array([0, 0], pa.int32()), [pa.array([1]), pa.array(["a"])]
)


@pytest.mark.parametrize(
    ("data", "index"),
    [
        (_UNION, False),
        (_DENSE, False),
        (pa.ListArray.from_arrays(pa.array([0, 1, 2], pa.int32()), _UNION), True),
        (pa.RunEndEncodedArray.from_arrays(pa.array([2], pa.int32()), pa.array([1])), False),
    ],
)
def test_arrow_types_parquet_cannot_store_are_refused(data: pa.Array, index: bool) -> None:
    t = _table(x={"data": [1, 2]})
    _refused(
        t,
        lambda: t.add_column("u", "d", data=data, index=index),
        CellTypeError,
        "DynamicTable 'units'.*'u'.*cannot store",
    )
    with pytest.raises(CellTypeError, match=r"'u'.*cannot store"):
        DynamicTable.from_arrow(pa.table({"u": data}), name="t")


@pytest.mark.parametrize(
    "data", [[{"a": 1}, {"a": 2}], np.array([{"a": 1}, {"a": 2}]), [[{"a": 1}], []]]
)
def test_dicts_as_cells_are_refused(data: object) -> None:
    t = _table(x={"data": [1, 2]})
    index = isinstance(data, list) and isinstance(data[0], list)
    _refused(
        t,
        lambda: t.add_column("u", "d", data=data, index=index),
        CellTypeError,
        "DynamicTable 'units'.*'u'.*dict",
    )


def test_add_row_refuses_a_dict_cell() -> None:
    t = _table(u={})
    _refused(t, lambda: t.add_row(u={"a": 1}), CellTypeError, "column 'u'.*dict")


def test_arrow_struct_columns_are_still_accepted() -> None:
    t = _table(x={"data": [1, 2]})
    t.add_column("s", "d", data=pa.array([{"a": 1}, {"a": 2}]))
    assert t["s"].to_arrow().to_pylist() == [{"a": 1}, {"a": 2}]


# -- the fast and general paths agree on what they refuse ---------------------------------------

_TEXT = st.text(st.characters(categories=["Ll", "Lo", "Cs", "Cc"]), max_size=3)
_CELLS = st.one_of(
    _TEXT,
    st.sampled_from(["\ud800", "x\udc00", "\u00e9", "a\nb"]),
    st.floats(width=64),
    st.sampled_from([1e39, -1e39, 3.5e38, 65519.0, 65520.0, 2**200]),
    st.lists(st.one_of(st.floats(), st.sampled_from([1e39, "\ud800", "a"])), max_size=3),
    st.lists(_TEXT, max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(
    kinds=st.lists(
        st.sampled_from(["text", "float32", "float16", "float", "rtext", "rfloat32"]),
        min_size=1,
        max_size=3,
    ),
    rows=st.lists(st.lists(_CELLS, min_size=3, max_size=3), min_size=1, max_size=8),
)
def test_fast_and_general_paths_refuse_alike(kinds: list[str], rows: list[list[Any]]) -> None:
    def build() -> DynamicTable:
        t = DynamicTable(name="t", description="d")
        for k, kind in enumerate(kinds):
            ragged = kind.startswith("r") and kind != "rfloat"
            t.add_column(f"c{k}", "d", dtype=kind.removeprefix("r") if ragged else kind,
                         index=ragged)  # fmt: skip
        return t

    fast, general = build(), build()
    refused = 0
    for values in rows:
        row = {f"c{k}": values[k] for k in range(len(kinds))}

        def outcome(add: Callable[[], None]) -> tuple[str, str] | None:
            try:
                add()
            except Exception as exc:
                return type(exc).__name__, str(exc)
            return None

        got = outcome(lambda row=row: fast.add_row(**row))
        expected = outcome(lambda row=row: general.add_row(data=dict(row)))
        assert got == expected, row
        refused += got is not None
    # and every row taken can be read (NaN cells compare equal here)
    assert _nan_safe(fast.to_arrow().to_pylist()) == _nan_safe(general.to_arrow().to_pylist())
    fast.to_arrow().validate(full=True)
    assert len(fast) + refused == len(rows)


def test_pandas_text_with_lone_surrogates_is_refused() -> None:
    import pandas as pd

    series = pd.Series(["a", "\ud800"], dtype=object)
    t = _table(x={"data": [1, 2]})
    _refused(
        t,
        lambda: t.add_column("s", "d", data=series),
        CellValueError,
        "DynamicTable 'units'.*'s'.*surrogate",
    )
    with pytest.raises(CellValueError, match=r"DynamicTable 't': column 's'.*surrogate"):
        DynamicTable.from_dataframe(pd.DataFrame({"s": series}), "t")


def test_extend_refuses_what_add_column_refuses() -> None:
    v = VectorData("f", "d", dtype="float32")
    v.extend([1.0])
    with pytest.raises(HdmfArrowError, match=r"VectorData 'f'.*beyond the range"):
        v.extend(np.array([1e39]))
    with pytest.raises(CellValueError, match=r"VectorData 'f'.*float"):
        v.extend([2.0, 1e39])
    s = VectorData("s", "d", dtype="text")
    with pytest.raises(CellValueError, match=r"VectorData 's'.*surrogate"):
        s.extend(["a", "\ud800"])
    assert (v.data.tolist(), len(s)) == ([1.0], 0)


def _nan_safe(value: Any) -> Any:
    """``value`` with every NaN replaced by a marker, so that == compares NaN cells equal."""
    if isinstance(value, float) and value != value:
        return "<nan>"
    if isinstance(value, list):
        return [_nan_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _nan_safe(v) for k, v in value.items()}
    return value
