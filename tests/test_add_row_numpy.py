"""add_row with numpy values (issue 12, item 3).

Numpy scalars (``np.float64(1.5)``, ``np.int64(3)``, ``np.bool_``, ``np.str_``), ragged cells
given as 1-D numpy arrays and lists of numpy scalars take add_row's fast path
(hdmf_arrow/common/_rows.py, ``ragged_cell`` in hdmf_arrow/arrow/buffer.py). The laws:

- a numpy row gives exactly the table its Python equivalent gives (values and Arrow types);
- a bad numpy value gives the general path's error (``add_row(data=row)`` never takes the
  fast path), type and message, and leaves the table as it was.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hdmf_arrow.arrow.buffer import ColumnBuffer, ragged_cell
from hdmf_arrow.common import DynamicTable, VectorData
from hdmf_arrow.errors import CellTypeError, CellValueError, RegionIndexError, TableShapeError


def python_value(value: Any) -> Any:
    """A cell's Python equivalent: numpy scalars and arrays as ``tolist()`` gives them (a 0-d
    array has none: it is refused as a cell, not taken as a scalar)."""
    if isinstance(value, np.generic) or (isinstance(value, np.ndarray) and value.ndim):
        return value.tolist()
    if isinstance(value, list):
        return [python_value(v) for v in value]
    return value


def python_row(row: dict[str, Any]) -> dict[str, Any]:
    return {name: python_value(v) for name, v in row.items()}


def outcome(add: Any) -> tuple[str, str] | None:
    try:
        add()
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return None


def make_target() -> DynamicTable:
    return DynamicTable(
        name="electrodes", description="t", columns=[VectorData("x", "x", [0.5, 1.5, 2.5])]
    )


def one_column(spec: dict[str, Any], target: DynamicTable | None = None) -> DynamicTable:
    table = DynamicTable(name="units", description="one column")
    if spec.pop("region", False):
        spec["table"] = target or make_target()
    table.add_column(name="c", description="the column", **spec)
    return table


def exact(value: Any) -> Any:
    """A cell with every float as its bits: NaN equals NaN, -0.0 differs from 0.0."""
    if isinstance(value, float):
        return struct.pack(">d", value)
    if isinstance(value, list):
        return [exact(v) for v in value]
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    return value


def assert_same_tables(got: DynamicTable, expected: DynamicTable) -> None:
    a, b = got.to_arrow(), expected.to_arrow()
    assert a.schema.types == b.schema.types
    assert exact(a.to_pydict()) == exact(b.to_pydict()), (a.to_pydict(), b.to_pydict())


# -- every numpy kind gives the Python table ---------------------------------------------------

F64, F32, I64, I32, U8 = np.float64, np.float32, np.int64, np.int32, np.uint8
EQUIVALENT: list[tuple[str, dict[str, Any], list[Any]]] = [
    ("np.float64 scalars", {}, [F64(1.5), F64(-0.0), F64("nan"), F64("inf"), F64(2)]),
    ("np.float32 scalars", {}, [np.float32(0.1), np.float32(3.5)]),
    ("np.float16 scalars, float32 column", {"dtype": "float32"}, [np.float16(0.1)]),
    ("np.float64 into float32", {"dtype": "float32"}, [F64(0.1), F64("nan"), F64("-inf")]),
    ("np.int64 into an inferred float column", {}, [1.5, I64(3), I32(-4)]),
    ("np.int64 scalars", {}, [I64(3), I64(-(2**63)), I64(2**63 - 1)]),
    ("np.uint64 within int64", {}, [np.uint64(7), np.uint64(2**63 - 1)]),
    ("np.int64 into int8", {"dtype": "int8"}, [I64(-128), I64(127), U8(5)]),
    ("np.uint8 into uint8", {"dtype": "uint8"}, [U8(0), U8(255)]),
    ("np.bool_ scalars", {}, [np.bool_(True), np.bool_(False)]),
    ("np.str_ scalars", {}, [np.str_("WT"), np.str_("caf\u00e9"), np.str_("")]),
    ("np.int64 region positions", {"region": True}, [I64(0), np.uint8(2), I32(1)]),
    ("np.str_ enum values", {"enum": ["a", "b"]}, [np.str_("b"), np.str_("a")]),
    ("float64 arrays", {"index": True}, [np.array([0.5, 1.5]), np.array([]), np.arange(3.0)]),
    (
        "float32 arrays into float",
        {"index": True, "dtype": "float"},
        [np.array([0.1, 2.5], dtype=F32), np.array([], dtype=F32)],
    ),
    ("float32 arrays, inferred", {"index": True}, [np.array([0.1, np.nan], dtype=F32)]),
    (
        "int arrays into float",
        {"index": True, "dtype": "float"},
        [np.array([1, 2**53 + 1], dtype=I64), np.array([3], dtype=I32), np.array([7], U8)],
    ),
    ("int arrays after floats", {"index": True}, [[0.5], np.array([1, 2], dtype=I64)]),
    ("uint64 array into float", {"index": True, "dtype": "float"}, [np.array([2**64 - 1], "u8")]),
    ("int arrays", {"index": True}, [np.array([1, -2], dtype=I64), np.array([3], dtype=U8)]),
    ("int arrays, then floats", {"index": True}, [np.array([1, -2], dtype=I64), [0.5]]),
    ("int64 array into int8", {"index": True, "dtype": "int8"}, [np.array([-128, 127])]),
    ("float64 array into float32", {"index": True, "dtype": "float32"}, [np.array([0.1, 1e38])]),
    ("float arrays with NaN and inf", {"index": True}, [np.array([np.nan, np.inf, -0.0])]),
    ("bool arrays", {"index": True}, [np.array([True, False]), np.array([], dtype=bool)]),
    ("text arrays", {"index": True}, [np.array(["a", "caf\u00e9"]), np.array(["b"])]),
    ("a strided array", {"index": True}, [np.arange(10.0)[::3], np.arange(4.0)[::-1]]),
    ("a big-endian array", {"index": True}, [np.array([1.5, 2.5], dtype=">f8")]),
    ("lists of np.float64", {"index": True}, [[F64(0.5), F64(1.5)], [F64(2.5)]]),
    ("lists of np.float32 into float", {"index": True, "dtype": "float"}, [[F32(0.1)]]),
    ("lists of np.float64 into float32", {"index": True, "dtype": "float32"}, [[F64(0.1)]]),
    ("lists of np.float64 into float16", {"index": True, "dtype": "float16"}, [[F64(0.1)]]),
    ("float16 arrays into float16", {"index": True, "dtype": "float16"}, [np.ones(2, "f2")]),
    ("lists of np.int64", {"index": True}, [[I64(1), I64(2)], [I64(3)]]),
    ("lists of np.int64 into float", {"index": True, "dtype": "float"}, [[I64(1), I64(2)]]),
    ("lists of np.bool_", {"index": True}, [[np.bool_(True)], [np.bool_(False)]]),
    ("lists of np.str_", {"index": True}, [[np.str_("a"), np.str_("b")]]),
    ("lists of mixed numbers", {"index": True}, [[F64(0.5), 1.5, F32(2.5)]]),
    ("ragged region rows", {"region": True, "index": True}, [np.array([0, 2]), [I64(1)]]),
]


@pytest.mark.parametrize(
    ("spec", "cells"), [c[1:] for c in EQUIVALENT], ids=[c[0] for c in EQUIVALENT]
)
def test_numpy_cells_give_the_python_table(spec: dict[str, Any], cells: list[Any]) -> None:
    target = make_target()
    numpy_table, python_table = one_column(dict(spec), target), one_column(dict(spec), target)
    for cell in [*cells, *cells]:  # the second time round, the column's type is known
        numpy_table.add_row(c=cell)
        python_table.add_row(c=python_value(cell))
    assert_same_tables(numpy_table, python_table)


def units(target: DynamicTable) -> DynamicTable:
    table = DynamicTable(name="units", description="a units-like table")
    for name in ("depth", "n", "label", "good"):
        table.add_column(name=name, description=name)
    table.add_column(name="spike_times", description="ragged", index=True)
    table.add_column(name="electrode", description="a region", table=target)
    return table


FIRST = {"depth": 0.5, "n": 1, "label": "a", "good": True, "spike_times": [0.5], "electrode": 0}
NUMPY_ROWS = {
    "numpy scalars": {
        "depth": F64(1.5), "n": I64(3), "label": np.str_("b"), "good": np.bool_(False),
        "spike_times": [1.0], "electrode": I64(2),
    },
    "float64 array": {**FIRST, "spike_times": np.array([0.25, 0.5])},
    "float32 array": {**FIRST, "spike_times": np.array([0.25, 0.5], dtype=F32)},
    "int array": {**FIRST, "spike_times": np.array([1, 2], dtype=I32)},
    "empty array": {**FIRST, "spike_times": np.array([])},
    "list of np.float64": {**FIRST, "spike_times": [F64(0.25), F64(0.5)]},
    "list of np.float32": {**FIRST, "spike_times": [F32(0.25)]},
    "all numpy": {
        "depth": F64(1.5), "n": np.uint16(3), "label": np.str_("\u00e9"), "good": np.bool_(True),
        "spike_times": np.array([0.1, 0.2]), "electrode": np.int8(1),
    },
}  # fmt: skip


@pytest.mark.parametrize("row", NUMPY_ROWS.values(), ids=NUMPY_ROWS)
def test_numpy_rows_take_the_fast_path(row: dict[str, Any]) -> None:
    target = make_target()
    numpy_table, python_table = units(target), units(target)
    for table in (numpy_table, python_table):
        table.add_row(**FIRST)  # the general path types the columns
    plan = numpy_table._plan or numpy_table._make_plan()
    assert plan.fast_row is not None, plan.source
    assert plan.fast_row(row, len(numpy_table)) is True
    python_table.add_row(**python_row(row))
    numpy_table.add_row(**row, id=np.int64(7))  # a numpy id too
    python_table.add_row(**python_row(row), id=7)
    assert numpy_table._plan is plan  # no row left the fast path (no type changed)
    assert_same_tables(numpy_table, python_table)


def test_the_table_owns_the_arrays_it_was_given() -> None:
    table = one_column({"index": True, "dtype": "float"})
    spikes = np.array([0.5, 1.5])
    table.add_row(c=spikes)
    table.add_row(c=spikes)
    spikes[:] = -1.0  # the caller reuses its array
    table.add_row(c=spikes)
    assert table["c"].target.data.tolist() == [0.5, 1.5, 0.5, 1.5, -1.0, -1.0]


def test_python_and_numpy_cells_mix_in_order() -> None:
    table = one_column({"index": True})
    cells = [[0.5], np.array([1.5, 2.5]), [3.5], np.array([4.5], dtype=F32), [F64(5.5)], []]
    for cell in cells * 2:
        table.add_row(c=cell)
    table.to_arrow()  # a read in between
    table.add_row(c=np.array([6.5]))
    table.add_row(c=[7.5])
    expected = [[0.5], [1.5, 2.5], [3.5], [4.5], [5.5], []] * 2 + [[6.5], [7.5]]
    assert table["c"][:] == expected
    assert table.to_arrow().column("c").type == pa.list_(pa.float64())


def test_a_column_widened_after_numpy_cells_keeps_them() -> None:
    table = one_column({"index": True})
    table.add_row(c=[1, 2])  # list<int64>
    table.add_row(c=np.array([3, 4]))  # int64 values, kept as an array
    table.add_row(c=[0.5])  # widens the values to double
    assert table.to_arrow().column("c").to_pylist() == [[1.0, 2.0], [3.0, 4.0], [0.5]]
    assert table.to_arrow().column("c").type == pa.list_(pa.float64())


U64 = np.uint64
RAGGED_CELLS: list[tuple[pa.DataType, Any, type | None]] = [
    # (values type, cell, what ragged_cell makes of it: an array, a list, None: general path)
    (pa.float64(), [0.5, 1.5], list),
    (pa.float64(), np.array([1.5]), np.ndarray),
    (pa.float64(), np.array([1], dtype=I32), np.ndarray),
    (pa.float64(), np.array([1], dtype=U64), np.ndarray),
    (pa.float64(), np.array([1.5], dtype=F32), np.ndarray),
    (pa.float64(), np.array([1.5], dtype=">f8"), np.ndarray),
    (pa.float64(), [F64(1.5)], list),  # np.float64 is a float
    (pa.float64(), [F32(1.5)], np.ndarray),
    (pa.float64(), [I64(1)], np.ndarray),
    (pa.float32(), np.array([1.5]), list),  # float64 -> float32 is no safe cast
    (pa.float32(), np.array([1e39]), None),
    (pa.float32(), np.array([np.nan]), None),  # the general path decides (and takes it)
    (pa.int64(), np.array([1], dtype=I32), np.ndarray),
    (pa.int64(), np.array([1], dtype=U64), list),
    (pa.int64(), np.array([2**64 - 1], dtype=U64), None),
    (pa.int8(), np.array([1]), list),
    (pa.int8(), [I64(300)], None),
    (pa.bool_(), np.array([True]), np.ndarray),
    (pa.bool_(), [np.bool_(True)], np.ndarray),
    (pa.float64(), np.array([True]), None),
    (pa.int64(), np.array([True]), None),
    (pa.string(), np.array(["a"]), list),
    (pa.string(), [np.str_("a")], list),
    (pa.float64(), np.ones((1, 1)), None),
    (pa.float64(), np.array(1.5), None),
    (pa.float64(), np.array([1.5], dtype=object), list),  # its tolist(), as the checks do
    (pa.float64(), (1.5,), None),  # tuples take the general path, as before
    (pa.float64(), [1.5, F32(1.0)], None),
    (pa.float64(), [F64(1.5), np.str_("2")], None),
]


@pytest.mark.parametrize(("t", "cell", "kind"), RAGGED_CELLS)
def test_which_ragged_cells_take_the_fast_path(
    t: pa.DataType, cell: Any, kind: type | None
) -> None:
    got = ragged_cell(t)(cell)
    assert type(got) is (type(None) if kind is None else kind)
    if isinstance(got, np.ndarray):
        assert got.dtype == t.to_pandas_dtype()
        assert not (isinstance(cell, np.ndarray) and np.shares_memory(got, cell))  # a copy
    if got is not None:
        assert python_value(got) == python_value(cell)


def test_the_buffer_keeps_arrays_in_order_and_in_its_type() -> None:
    buf = ColumnBuffer(pa.float64())
    buf.extend_numpy(np.array([0.5]))
    buf.extend([1.5, None])  # Python values, a null among them
    buf.extend_numpy(np.array([2.5]))  # after them, as Python values
    buf.extend([3.5])
    assert len(buf) == 5
    assert buf.array().to_pylist() == [0.5, 1.5, None, 2.5, 3.5]
    buf.extend([4.5])
    buf.extend_numpy(np.array([5.5, 6.5]))  # the waiting floats join the arrays
    buf.extend_numpy(np.array([7, 8]))  # not the column's dtype (a stale fast path)
    assert buf.array().to_pylist() == [0.5, 1.5, None, 2.5, 3.5, 4.5, 5.5, 6.5, 7.0, 8.0]
    assert buf.array().type == pa.float64()


# -- bad numpy values: the general path's error, and the table as it was -----------------------

BAD: list[tuple[str, dict[str, Any], Any, type[Exception], str]] = [
    ("np.float64 into int", {"dtype": "int"}, F64(1.0), CellTypeError, "expected an integer"),
    ("np.bool_ into int", {"dtype": "int"}, np.bool_(True), CellTypeError, "found bool np.True_"),
    ("np.bool_ into float", {"dtype": "float"}, np.bool_(True), CellTypeError, "a number"),
    ("np.str_ into float", {"dtype": "float"}, np.str_("1"), CellTypeError, "found str_"),
    ("np.int64 beyond int8", {"dtype": "int8"}, I64(128), CellValueError, r"\[-128, 127\]"),
    ("np.uint64 beyond int64", {"dtype": "int"}, np.uint64(2**64 - 1), CellValueError, "int64"),
    ("np.uint64 beyond int64, inferred", {}, np.uint64(2**63), CellValueError, "int64"),
    ("np.float64 beyond float32", {"dtype": "float32"}, F64(1e39), CellValueError, "inf"),
    ("np.float64 NaN into int", {"dtype": "int"}, F64("nan"), CellTypeError, "integer"),
    ("a lone surrogate", {"dtype": "text"}, np.str_("\ud800"), CellValueError, "surrogate"),
    ("a 1-D array for a scalar", {"dtype": "float"}, np.array([1.5]), CellTypeError, "number"),
    ("a 0-d array for a scalar", {"dtype": "float"}, np.array(1.5), CellTypeError, "ndarray"),
    ("a region beyond the target", {"region": True}, I64(3), RegionIndexError, r"\[3\]"),
    ("a region below 0", {"region": True}, np.int8(-1), RegionIndexError, r"\[-1\]"),
    ("an enum code beyond", {"enum": ["a"]}, I64(1), CellValueError, r"code in \[0, 1\)"),
    ("a 2-D array, ragged", {"index": True}, np.ones((2, 2)), CellTypeError, "list"),
    ("a 0-d array, ragged", {"index": True}, np.array(1.5), CellTypeError, "sequence"),
    ("text array into float", {"index": True}, np.array(["a"]), CellTypeError, "str"),
    ("bool array into float", {"index": True}, np.array([True]), CellTypeError, "bool"),
    (
        "float array into int",
        {"index": True, "dtype": "int"},
        np.array([0.5]),
        CellTypeError,
        "integer",
    ),
    (
        "int64 array beyond int8",
        {"index": True, "dtype": "int8"},
        np.array([1, 300]),
        CellValueError,
        "300",
    ),
    (
        "uint64 array beyond int64",
        {"index": True, "dtype": "int"},
        np.array([2**64 - 1], dtype=np.uint64),
        CellValueError,
        "int64",
    ),
    (
        "float64 array beyond float32",
        {"index": True, "dtype": "float32"},
        np.array([0.5, -1e39]),
        CellValueError,
        "inf",
    ),
    (
        "np.float64 list into int",
        {"index": True, "dtype": "int"},
        [I64(1), F64(0.5)],
        CellTypeError,
        "integer",
    ),
    (
        "region array beyond the target",
        {"index": True, "region": True},
        np.array([0, 5]),
        RegionIndexError,
        r"\[5\]",
    ),
    ("np.str_ list into float", {"index": True}, [F64(1), np.str_("2")], CellTypeError, "str_"),
    ("None in an np list", {"index": True, "dtype": "float"}, [F64(1), None], None, ""),
]


def _good_cell(spec: dict[str, Any]) -> Any:
    if spec.get("index"):
        return [0] if spec.get("region") else [1]
    if "enum" in spec:
        return "a"
    if spec.get("region"):
        return 1
    return {"int": 1, "int8": 1, "float": 1.5, "float32": 1.5, "text": "a"}.get(
        spec.get("dtype", "int"), 1
    )


@pytest.mark.parametrize(
    ("spec", "cell", "error", "match"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_a_bad_numpy_value_gives_the_general_error(
    spec: dict[str, Any], cell: Any, error: type[Exception] | None, match: str
) -> None:
    target = make_target()
    fast, general = one_column(dict(spec), target), one_column(dict(spec), target)
    good = _good_cell(spec)
    for table in (fast, general):
        table.add_row(c=good)
        table.add_row(c=good)  # the fast path is in place
    before = fast.to_arrow()
    got = outcome(lambda: fast.add_row(c=cell))
    assert got == outcome(lambda: general.add_row(data={"c": cell}))
    if error is None:  # accepted (a null element), by both paths alike
        assert got is None
    else:
        assert got is not None
        assert got[0] == error.__name__
        with pytest.raises(error, match=rf"DynamicTable 'units', column 'c': .*{match}"):
            fast.add_row(c=cell)
        assert fast.to_arrow().equals(before)
        assert len(fast) == 2
    fast.add_row(c=good)
    general.add_row(c=good)
    assert_same_tables(fast, general)


def test_a_refused_row_leaves_every_column_as_it_was() -> None:
    target = make_target()
    table = units(target)
    table.add_row(**FIRST)
    table.add_row(**NUMPY_ROWS["float64 array"])
    before = table.to_arrow()
    bad_rows = [
        {**NUMPY_ROWS["float64 array"], "electrode": I64(9)},  # the last column is refused
        {**NUMPY_ROWS["float64 array"], "n": np.str_("1")},
        {**NUMPY_ROWS["float64 array"], "spike_times": np.ones((1, 2))},
        {**NUMPY_ROWS["float64 array"], "label": np.str_("\udc80")},
    ]
    for row in bad_rows:
        with pytest.raises((CellTypeError, CellValueError, RegionIndexError)):
            table.add_row(**row)
        assert table.to_arrow().equals(before)
    with pytest.raises(TableShapeError):
        table.add_row(**{**NUMPY_ROWS["float64 array"], "extra": np.array([1.0])})
    assert table.to_arrow().equals(before)
    with pytest.raises(CellTypeError, match="row id must be an int"):
        table.add_row(**NUMPY_ROWS["float64 array"], id=np.float64(3))
    with pytest.raises(CellValueError, match="beyond int64"):
        table.add_row(**NUMPY_ROWS["float64 array"], id=np.uint64(2**63))
    assert table.to_arrow().equals(before)


# -- properties ----------------------------------------------------------------------------------

INT_TYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOAT_TYPES = [np.float16, np.float32, np.float64]
NUMERIC = INT_TYPES + FLOAT_TYPES


def _scalars_of(t: type) -> st.SearchStrategy[Any]:
    if t in INT_TYPES:
        info = np.iinfo(t)
        return st.integers(int(info.min), int(info.max)).map(t)
    if t in FLOAT_TYPES:
        return st.floats(width=np.finfo(t).bits).map(t)
    if t is np.bool_:
        return st.booleans().map(np.bool_)
    return st.one_of(st.text(max_size=3), st.sampled_from(["\ud800", "caf\u00e9"])).map(np.str_)


def _scalars(types: list[type]) -> st.SearchStrategy[Any]:
    return st.sampled_from(types).flatmap(_scalars_of)


def _ragged(dtypes: list[str], types: list[type]) -> st.SearchStrategy[Any]:
    """1-D arrays of ``dtypes`` and lists of numpy scalars of one of ``types``."""
    return st.one_of(
        hnp.arrays(st.sampled_from(dtypes), st.integers(0, 5)),
        st.sampled_from(types).flatmap(lambda t: st.lists(_scalars_of(t), max_size=4)),
    )


FLOAT_DTYPES = ["f8", "f4", "f2", ">f8", "i8", "i4", "u1", "u8"]
INT_DTYPES = ["i8", "i4", "i1", "u1", "u8", "f8"]
positions = st.integers(-1, 4)
# (kind, dtype) -> numpy cells that mostly fit a column added so
COLUMN_KINDS: dict[tuple[str, str | None], st.SearchStrategy[Any]] = {
    ("plain", None): _scalars([*NUMERIC, np.bool_, np.str_]),
    ("plain", "int"): _scalars(INT_TYPES),
    ("plain", "int8"): _scalars(INT_TYPES),
    ("plain", "uint8"): _scalars(INT_TYPES),
    ("plain", "float"): _scalars(NUMERIC),
    ("plain", "float32"): _scalars(NUMERIC),
    ("plain", "text"): _scalars([np.str_]),
    ("plain", "bool"): _scalars([np.bool_]),
    ("ragged", None): _ragged(FLOAT_DTYPES, [np.float64, np.float32, np.int64]),
    ("ragged", "float"): _ragged(FLOAT_DTYPES, NUMERIC),
    ("ragged", "float32"): _ragged(FLOAT_DTYPES, NUMERIC),
    ("ragged", "int"): _ragged(INT_DTYPES, INT_TYPES),
    ("ragged", "int8"): _ragged(INT_DTYPES, INT_TYPES),
    ("ragged", "bool"): _ragged(["?"], [np.bool_]),
    ("ragged", "text"): _ragged(["U2"], [np.str_]),
    ("region", None): positions.map(np.int64),
    ("ragged", "region"): st.lists(positions, max_size=3).map(np.array),
    ("enum", None): st.one_of(st.sampled_from(["", "a", "b", "c"]).map(np.str_), positions),
}
any_cell = st.one_of(
    _scalars([*NUMERIC, np.bool_, np.str_]),
    hnp.arrays(st.sampled_from([*FLOAT_DTYPES, "?", "U2"]), st.integers(0, 3)),
    hnp.arrays(st.sampled_from(["f8", "i8"]), st.tuples(st.integers(0, 2), st.integers(1, 2))),
    hnp.arrays(st.sampled_from(["f8", "i8"]), ()),  # 0-d arrays
    st.lists(st.one_of(_scalars(NUMERIC), st.floats(), st.integers(-3, 3), st.none()), max_size=3),
    st.none(),
    st.floats(),
    st.integers(-3, 3),
    st.lists(st.floats(), max_size=3),
)
columns_strategy = st.lists(st.sampled_from(list(COLUMN_KINDS)), min_size=1, max_size=4)


def _table(columns: list[tuple[str, str | None]], target: DynamicTable) -> DynamicTable:
    table = DynamicTable(name="t", description="numpy rows")
    for k, (kind, dtype) in enumerate(columns):
        name = f"c{k}"
        if kind == "region" or dtype == "region":
            table.add_column(name=name, description="d", table=target, index=kind == "ragged")
        elif kind == "enum":
            table.add_column(name=name, description="d", enum=["", "a", "b"])
        else:
            table.add_column(name=name, description="d", dtype=dtype, index=kind == "ragged")
    return table


def _rows(data: st.DataObject, columns: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """Rows of cells that mostly fit their column (3 in 4), else anything."""
    cells = [st.one_of(*[COLUMN_KINDS[c]] * 3, any_cell) for c in columns]
    rows = data.draw(st.lists(st.tuples(*cells), min_size=1, max_size=10))
    return [{f"c{k}": v for k, v in enumerate(values)} for values in rows]


@given(columns=columns_strategy, data=st.data())
def test_numpy_rows_fast_and_general_paths_agree(
    columns: list[tuple[str, str | None]], data: st.DataObject
) -> None:
    target = make_target()
    fast, general = _table(columns, target), _table(columns, target)
    for row in _rows(data, columns):
        got = outcome(lambda row=row: fast.add_row(**row))
        assert got == outcome(lambda row=row: general.add_row(data=dict(row))), row
    assert_same_tables(fast, general)


@given(columns=columns_strategy, data=st.data())
def test_numpy_rows_give_the_python_table(
    columns: list[tuple[str, str | None]], data: st.DataObject
) -> None:
    target = make_target()
    numpy_table, python_table = _table(columns, target), _table(columns, target)
    for row in _rows(data, columns):
        got = outcome(lambda row=row: numpy_table.add_row(**row))
        expected = outcome(lambda row=row: python_table.add_row(**python_row(row)))
        assert (got is None) == (expected is None), (row, got, expected)
        if got is not None and expected is not None:
            assert got[0] == expected[0], (row, got, expected)  # the same kind of error
    assert_same_tables(numpy_table, python_table)
