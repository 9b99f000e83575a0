"""AlignedDynamicTable: a main table plus row-aligned category tables, checked against hdmf 6.2.

Where practical the same table is built with ``hdmf.common`` (the oracle) and with
``hdmf_arrow.common`` and the results are compared. Deliberate differences of hdmf_arrow are not
tested for hdmf's behaviour: ``colnames`` is a tuple, errors are our own classes (which also
subclass the builtin hdmf raises), integer columns without a dtype are int64.
"""

from __future__ import annotations

import contextlib
import copy
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import hdmf.common as H
import numpy as np
import pandas as pd
import pytest

import hdmf_arrow
import hdmf_arrow.common as A
from hdmf_arrow.common import (
    AlignedDynamicTable,
    DynamicTable,
    SimpleMultiContainer,
    VectorData,
)

ROWS: list[dict[str, Any]] = [
    {
        "timestamp": 0.5,
        "neural": {"spike_count": 5, "lfp_power": 0.25},
        "stimulus": {"stimulus_type": "visual", "intensity": 0.8},
    },
    {
        "timestamp": 1.5,
        "neural": {"spike_count": 7, "lfp_power": 0.5},
        "stimulus": {"stimulus_type": "audio", "intensity": 0.1},
    },
    {
        "timestamp": 2.5,
        "neural": {"spike_count": 9, "lfp_power": 0.75},
        "stimulus": {"stimulus_type": "none", "intensity": 0.0},
    },
    {
        "timestamp": 3.5,
        "neural": {"spike_count": 0, "lfp_power": 1.0},
        "stimulus": {"stimulus_type": "visual", "intensity": 0.3},
    },
]


@contextlib.contextmanager
def quiet(m: ModuleType) -> Iterator[None]:
    """Silence hdmf's warnings (positional args, experimental types); ours must not warn."""
    if m is H:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    else:
        yield


def build(m: ModuleType, rows: list[dict[str, Any]] = ROWS) -> Any:
    """The 'session' table, row by row: main column 'timestamp', categories neural, stimulus."""
    with quiet(m):
        neural = m.DynamicTable(name="neural", description="neural data")
        neural.add_column(name="spike_count", description="spikes")
        neural.add_column(name="lfp_power", description="LFP power")
        stimulus = m.DynamicTable(name="stimulus", description="stimulus data")
        stimulus.add_column(name="stimulus_type", description="kind of stimulus")
        stimulus.add_column(name="intensity", description="stimulus intensity")
        adt = m.AlignedDynamicTable(
            name="session", description="aligned data", category_tables=[neural, stimulus]
        )
        adt.add_column(name="timestamp", description="time in seconds")
        for row in rows:
            adt.add_row(**copy.deepcopy(row))
    return adt


def build_from_columns(m: ModuleType, categories: list[str] | None = None) -> Any:
    """A 3-row table made from whole columns, with main columns too."""
    with quiet(m):
        neural = m.DynamicTable(
            name="neural",
            description="neural data",
            columns=[
                m.VectorData(name="spike_count", description="spikes", data=[5, 7, 9]),
                m.VectorData(name="lfp_power", description="LFP", data=[0.1, 0.2, 0.3]),
            ],
        )
        stimulus = m.DynamicTable(
            name="stimulus",
            description="stimulus data",
            columns=[m.VectorData(name="stimulus_type", description="t", data=["a", "b", "c"])],
        )
        return m.AlignedDynamicTable(
            name="session",
            description="aligned data",
            columns=[m.VectorData(name="timestamp", description="t", data=[1.0, 2.0, 3.0])],
            category_tables=[neural, stimulus],
            categories=categories,
        )


def snapshot(adt: Any) -> dict[str, tuple[int, pd.DataFrame]]:
    """len() and to_dataframe() of the whole table and of every category."""
    state = {"__adt__": (len(adt), adt.to_dataframe())}
    for name in adt.categories:
        cat = adt.get_category(name)
        state[name] = (len(cat), cat.to_dataframe())
    return state


def assert_same_state(
    before: dict[str, tuple[int, pd.DataFrame]], after: dict[str, tuple[int, pd.DataFrame]]
) -> None:
    assert before.keys() == after.keys()
    for key, (n, df) in before.items():
        assert after[key][0] == n, key
        pd.testing.assert_frame_equal(after[key][1], df)


# -- 1. the seed example ------------------------------------------------------------------------


def test_seed_example(capsys: pytest.CaptureFixture[str]) -> None:
    session_data = AlignedDynamicTable(
        name="session_data", description="Aligned behavioral and neural data"
    )
    session_data.add_column("timestamp", "Time in seconds", dtype="float")
    session_data.add_column("behavior", "Behavioral state")
    session_data.add_category_table(name="neural", description="Neural recording data")
    neural_table = session_data.get_category_table("neural")
    neural_table.add_column("spike_count", "Number of spikes", dtype="int")
    neural_table.add_column("lfp_power", "LFP power", dtype="float")
    session_data.add_category_table(name="stimulus", description="Stimulus presentation data")
    stimulus_table = session_data.get_category_table("stimulus")
    stimulus_table.add_column("stimulus_type", "Type of stimulus")
    stimulus_table.add_column("intensity", "Stimulus intensity", dtype="float")
    session_data.add_row(
        timestamp=1.0,
        behavior="running",
        neural={"spike_count": 5, "lfp_power": 0.23},
        stimulus={"stimulus_type": "visual", "intensity": 0.8},
    )
    print(f"Session data columns: {session_data.colnames}")
    print(f"Neural category columns: {neural_table.colnames}")

    assert capsys.readouterr().out == (
        "Session data columns: ('timestamp', 'behavior')\n"
        "Neural category columns: ('spike_count', 'lfp_power')\n"
    )
    assert isinstance(neural_table, DynamicTable)
    assert not isinstance(neural_table, AlignedDynamicTable)
    assert neural_table is session_data.get_category("neural")
    assert stimulus_table is session_data.get_category("stimulus")
    assert session_data.categories == ["neural", "stimulus"]
    assert stimulus_table.colnames == ("stimulus_type", "intensity")
    assert len(session_data) == len(neural_table) == len(stimulus_table) == 1
    assert session_data[0, ("neural", "spike_count")] == 5
    assert session_data[0, ("stimulus", "stimulus_type")] == "visual"
    assert session_data["behavior"][0] == "running"
    assert session_data.data_type == "AlignedDynamicTable"


# -- 2. construction ----------------------------------------------------------------------------


def test_construct_from_category_tables_with_main_columns() -> None:
    ours, theirs = build_from_columns(A), build_from_columns(H)
    assert ours.categories == theirs.categories == ["neural", "stimulus"]
    assert ours.colnames == ("timestamp",)
    assert len(ours) == len(theirs) == 3
    with quiet(H):
        expected = theirs.to_dataframe()
    pd.testing.assert_frame_equal(ours.to_dataframe(), expected)


def test_categories_argument_sets_the_order() -> None:
    ours = build_from_columns(A, categories=["stimulus", "neural"])
    theirs = build_from_columns(H, categories=["stimulus", "neural"])
    assert ours.categories == theirs.categories == ["stimulus", "neural"]
    assert list(ours.category_tables) == ["stimulus", "neural"]
    with quiet(H):
        expected = theirs.to_dataframe()
    assert list(ours.to_dataframe().columns) == list(expected.columns)
    pd.testing.assert_frame_equal(ours.to_dataframe(), expected)


def test_ids_come_from_the_first_category_when_main_table_has_none() -> None:
    neural = DynamicTable(
        name="neural",
        description="n",
        columns=[VectorData(name="spike_count", description="s", data=[5, 7, 9])],
    )
    adt = AlignedDynamicTable(name="session", description="d", category_tables=[neural])
    assert len(adt) == 3
    assert adt.colnames == ()
    assert adt.to_dataframe().index.tolist() == [0, 1, 2]
    assert np.asarray(adt.id.data).tolist() == [0, 1, 2]


def _stim(name: str = "stimulus", n: int = 3) -> DynamicTable:
    return DynamicTable(
        name=name,
        description="s",
        columns=[VectorData(name="q", description="q", data=list(range(n)))],
    )


def test_categories_without_category_tables_raise() -> None:
    with pytest.raises(ValueError, match="no category_tables"):
        AlignedDynamicTable(name="a", description="d", categories=["x"])


def test_categories_length_mismatch_raises() -> None:
    with pytest.raises(ValueError, match="categor"):
        AlignedDynamicTable(
            name="a", description="d", category_tables=[_stim()], categories=["stimulus", "x"]
        )


def test_category_table_not_in_categories_raises() -> None:
    with pytest.raises(ValueError, match="does not appear in categories"):
        AlignedDynamicTable(name="a", description="d", category_tables=[_stim()], categories=["x"])


def test_duplicate_category_names_raise() -> None:
    with pytest.raises(ValueError, match=r"(?i)duplicate"):
        AlignedDynamicTable(name="a", description="d", category_tables=[_stim(), _stim()])


def test_unaligned_category_raises() -> None:
    with pytest.raises(ValueError, match="does not align"):
        AlignedDynamicTable(
            name="a", description="d", category_tables=[_stim(), _stim("short", n=2)]
        )
    with pytest.raises(ValueError, match="does not align"):
        AlignedDynamicTable(
            name="a",
            description="d",
            columns=[VectorData(name="t", description="t", data=[1.0, 2.0])],
            category_tables=[_stim()],
        )


def test_nesting_an_aligned_table_raises() -> None:
    inner = AlignedDynamicTable(name="inner", description="d")
    with pytest.raises(ValueError, match="AlignedDynamicTable"):
        AlignedDynamicTable(name="outer", description="d", category_tables=[inner])


# -- 3. categories, columns, containment --------------------------------------------------------


def test_category_tables_is_an_ordered_mapping() -> None:
    adt = build(A)
    tables = adt.category_tables
    assert list(tables) == ["neural", "stimulus"]
    assert list(tables.keys()) == adt.categories
    assert [t.name for t in tables.values()] == ["neural", "stimulus"]
    assert tables["neural"] is adt.get_category("neural")
    assert all(isinstance(t, DynamicTable) for t in tables.values())


def test_add_category() -> None:
    adt = build(A)
    extra = DynamicTable(
        name="behavior",
        description="b",
        columns=[VectorData(name="speed", description="s", data=[1.0, 2.0, 3.0, 4.0])],
    )
    adt.add_category(extra)
    assert adt.categories == ["neural", "stimulus", "behavior"]
    assert adt.get_category("behavior") is extra
    assert ("behavior", "speed") in adt.to_dataframe().columns


def test_add_category_errors() -> None:
    adt = build(A)
    with pytest.raises(ValueError, match="does not align"):
        adt.add_category(_stim("short", n=2))
    with pytest.raises(ValueError, match="already"):
        adt.add_category(_stim("neural", n=4))
    with pytest.raises(ValueError, match="AlignedDynamicTable"):
        AlignedDynamicTable(name="empty", description="d").add_category(
            AlignedDynamicTable(name="inner", description="d")
        )
    assert adt.categories == ["neural", "stimulus"]


def test_get_category() -> None:
    adt = build(A)
    assert adt.get_category("neural").colnames == ("spike_count", "lfp_power")
    assert adt.get_category() is adt
    assert adt.get_category(None) is adt
    assert adt.get_category("session") is adt
    with pytest.raises(KeyError):
        adt.get_category("nope")
    with pytest.raises(KeyError):
        adt.get_category_table("nope")


def test_add_column_to_a_category() -> None:
    adt = build(A)
    adt.add_column(name="rate", description="r", data=[1.0, 2.0, 3.0, 4.0], category="neural")
    assert adt.get_category("neural").colnames == ("spike_count", "lfp_power", "rate")
    assert "rate" not in adt.colnames
    assert adt[2, ("neural", "rate")] == 3.0
    adt.add_column(name="label", description="l", data=list("abcd"))
    assert adt.colnames == ("timestamp", "label")
    with pytest.raises(KeyError, match="nope"):
        adt.add_column(name="z", description="z", data=[1, 2, 3, 4], category="nope")
    assert all("z" not in adt.get_category(c).colnames for c in adt.categories)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"include_category_tables": True},
        {"include_category_tables": True, "ignore_category_ids": True},
    ],
)
def test_get_colnames_matches_hdmf(kwargs: dict[str, bool]) -> None:
    ours, theirs = build(A), build(H)
    with quiet(H):
        expected = theirs.get_colnames(**kwargs)
    assert ours.get_colnames(**kwargs) == expected


def test_contains() -> None:
    adt = build(A)
    assert "neural" in adt
    assert "timestamp" in adt
    assert ("neural", "spike_count") in adt
    assert ("session", "timestamp") in adt
    assert ("neural", "timestamp") not in adt
    assert "spike_count" not in adt
    assert "nope" not in adt


# -- 4. add_row -----------------------------------------------------------------------------------


def test_add_row_with_keyword_categories() -> None:
    adt = build(A)
    assert len(adt) == 4
    assert all(len(adt.get_category(c)) == 4 for c in adt.categories)
    assert adt[3, ("stimulus", "stimulus_type")] == "visual"
    assert adt[1, ("neural", "lfp_power")] == 0.5


def test_add_row_with_data_dict() -> None:
    adt = build(A, rows=[])
    for row in ROWS:
        adt.add_row(data=copy.deepcopy(row))
    pd.testing.assert_frame_equal(adt.to_dataframe(), build(A).to_dataframe())
    adt.add_row(data=copy.deepcopy(ROWS[0]), id=10)
    assert adt.to_dataframe().index.tolist() == [0, 1, 2, 3, 10]


def test_add_row_missing_category_raises_and_changes_nothing() -> None:
    adt = build(A)
    before = snapshot(adt)
    with pytest.raises(KeyError, match="stimulus"):
        adt.add_row(timestamp=9.0, neural={"spike_count": 1, "lfp_power": 0.0})
    assert_same_state(before, snapshot(adt))


def _typed(rows: list[dict[str, Any]] = ROWS) -> AlignedDynamicTable:
    neural = DynamicTable(name="neural", description="neural data")
    neural.add_column("spike_count", "spikes", dtype="int")
    neural.add_column("lfp_power", "LFP power", dtype="float")
    stimulus = DynamicTable(name="stimulus", description="stimulus data")
    stimulus.add_column("stimulus_type", "kind", dtype="text")
    stimulus.add_column("intensity", "intensity", dtype="float")
    adt = AlignedDynamicTable(name="session", description="d", category_tables=[neural, stimulus])
    adt.add_column("timestamp", "time", dtype="float")
    for row in rows:
        adt.add_row(**copy.deepcopy(row))
    return adt


BAD_ROWS = {
    "bad_main": {"timestamp": "late"},
    "bad_first_category": {"neural": {"spike_count": "many", "lfp_power": 0.1}},
    "bad_last_category": {"stimulus": {"stimulus_type": "x", "intensity": "bright"}},
    "missing_column_in_last_category": {"stimulus": {"stimulus_type": "x"}},
    "extra_column_in_last_category": {
        "stimulus": {"stimulus_type": "x", "intensity": 0.5, "bogus": 1}
    },
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_add_row_is_atomic(case: str) -> None:
    adt = _typed()
    before = snapshot(adt)
    ids_before = np.asarray(adt.id.data).tolist()
    row = {**copy.deepcopy(ROWS[0]), **BAD_ROWS[case]}
    with pytest.raises((TypeError, ValueError)):
        adt.add_row(**row)
    assert_same_state(before, snapshot(adt))
    assert np.asarray(adt.id.data).tolist() == ids_before
    # the table still takes good rows, and they stay aligned
    adt.add_row(**copy.deepcopy(ROWS[1]))
    assert len(adt) == 5
    assert all(len(adt.get_category(c)) == 5 for c in adt.categories)
    assert adt[4, ("neural", "spike_count")] == 7


# -- 5. to_dataframe --------------------------------------------------------------------------


def test_to_dataframe_matches_hdmf() -> None:
    ours, theirs = build(A), build(H)
    with quiet(H):
        expected = theirs.to_dataframe()
    got = ours.to_dataframe()
    assert list(got.columns) == [
        ("session", "timestamp"),
        ("neural", "id"),
        ("neural", "spike_count"),
        ("neural", "lfp_power"),
        ("stimulus", "id"),
        ("stimulus", "stimulus_type"),
        ("stimulus", "intensity"),
    ]
    assert list(got.columns) == list(expected.columns)
    assert isinstance(got.columns, pd.MultiIndex)
    assert got.index.name == expected.index.name == ("session", "id")
    for col in expected.columns:
        assert got[col].to_numpy().tolist() == expected[col].to_numpy().tolist(), col
    pd.testing.assert_frame_equal(got, expected)


def test_to_dataframe_ignore_category_ids_matches_hdmf() -> None:
    ours, theirs = build(A), build(H)
    with quiet(H):
        expected = theirs.to_dataframe(ignore_category_ids=True)
    got = ours.to_dataframe(ignore_category_ids=True)
    assert ("neural", "id") not in got.columns
    assert ("stimulus", "id") not in got.columns
    assert list(got.columns) == list(expected.columns)
    assert got.index.name == expected.index.name
    pd.testing.assert_frame_equal(got, expected)


# -- 6. __getitem__ ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [0, 3, slice(1, 3), slice(None), [2, 0], [1], np.array([3, 1])],
    ids=["int0", "int3", "slice", "all", "list", "list1", "ndarray"],
)
def test_getitem_rows_match_hdmf(key: Any) -> None:
    ours, theirs = build(A), build(H)
    with quiet(H):
        expected = theirs[key]
    got = ours[key]
    assert isinstance(got, pd.DataFrame)
    assert list(got.columns) == list(expected.columns)
    assert got.index.name == ("session", "id")
    pd.testing.assert_frame_equal(got, expected)


def test_getitem_main_column() -> None:
    adt = build(A)
    col = adt["timestamp"]
    assert isinstance(col, VectorData)
    assert col.name == "timestamp"
    assert list(col[:]) == [0.5, 1.5, 2.5, 3.5]


@pytest.mark.parametrize("key", ["neural", "stimulus"])
def test_getitem_category_gives_its_dataframe(key: str) -> None:
    ours, theirs = build(A), build(H)
    with quiet(H):
        expected = theirs[key]
    got = ours[key]
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(got, ours.get_category(key).to_dataframe())


def test_getitem_none_or_own_name_gives_the_whole_frame() -> None:
    ours, theirs = build(A), build(H)
    with quiet(H):
        expected = theirs[None]
    pd.testing.assert_frame_equal(ours[None], expected)
    pd.testing.assert_frame_equal(ours["session"], expected)


def test_getitem_category_column() -> None:
    adt = build(A)
    col = adt["neural", "spike_count"]
    assert isinstance(col, VectorData)
    assert col.name == "spike_count"
    assert list(col[:]) == [5, 7, 9, 0]
    assert adt["session", "timestamp"].name == "timestamp"


@pytest.mark.parametrize("cat", ["neural", "stimulus"])
def test_getitem_row_of_a_category_matches_hdmf(cat: str) -> None:
    ours, theirs = build(A), build(H)
    with quiet(H):
        expected = theirs[2, cat]
    got = ours[2, cat]
    assert isinstance(got, pd.DataFrame)
    assert len(got) == 1
    assert list(got.columns) == list(expected.columns)
    assert got.columns[0] == "id"
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ((1, ("neural", "spike_count")), 7),
        ((1, ("stimulus", "stimulus_type")), "audio"),
        ((2, ("session", "timestamp")), 2.5),
        (("neural", "spike_count", 1), 7),
        ((1, "neural", "spike_count"), 7),
        (("stimulus", "intensity", 0), 0.8),
        ((3, "stimulus", "stimulus_type"), "visual"),
    ],
)
def test_getitem_cell_matches_hdmf(key: tuple[Any, ...], value: Any) -> None:
    ours, theirs = build(A), build(H)
    with quiet(H):
        expected = theirs[key]
    got = ours[key]
    assert not isinstance(got, (pd.DataFrame, pd.Series))
    assert got == expected == value


@pytest.mark.parametrize("key", [(1,), (1, "neural", "spike_count", 0)])
def test_getitem_bad_tuple_raises(key: tuple[Any, ...]) -> None:
    adt = build(A)
    with pytest.raises(ValueError, match="Expected tuple of length 2"):
        adt[key]


# -- 7. foreign columns -----------------------------------------------------------------------


def build_linked(m: ModuleType, main_region: bool) -> Any:
    with quiet(m):
        electrodes = m.DynamicTable(
            name="electrodes",
            description="e",
            columns=[m.VectorData(name="x", description="x", data=[1.0, 2.0])],
        )
        neural = m.DynamicTable(
            name="neural",
            description="n",
            columns=[m.VectorData(name="spike_count", description="s", data=[5, 7, 9])],
        )
        neural.add_column(name="electrode", description="e", data=[0, 1, 1], table=electrodes)
        stimulus = m.DynamicTable(
            name="stimulus",
            description="s",
            columns=[m.VectorData(name="stimulus_type", description="t", data=["a", "b", "c"])],
        )
        adt = m.AlignedDynamicTable(
            name="session", description="d", category_tables=[neural, stimulus]
        )
        if main_region:
            adt.add_column(name="main_el", description="m", data=[0, 0, 1], table=electrodes)
    return adt


def _links(links: list[Any]) -> list[tuple[str, str, str]]:
    return [(x.source_table.name, x.source_column.name, x.target_table.name) for x in links]


@pytest.mark.parametrize("main_region", [False, True])
@pytest.mark.parametrize("ignore", [False, True])
def test_foreign_columns_match_hdmf(main_region: bool, ignore: bool) -> None:
    ours, theirs = build_linked(A, main_region), build_linked(H, main_region)
    with quiet(H):
        has = theirs.has_foreign_columns(ignore_category_tables=ignore)
        foreign = theirs.get_foreign_columns(ignore_category_tables=ignore)
        links = _links(theirs.get_linked_tables(ignore_category_tables=ignore))
    assert ours.has_foreign_columns(ignore_category_tables=ignore) == has
    assert ours.get_foreign_columns(ignore_category_tables=ignore) == foreign
    assert sorted(_links(ours.get_linked_tables(ignore_category_tables=ignore))) == sorted(links)


def test_foreign_columns_expected_values() -> None:
    adt = build_linked(A, main_region=True)
    assert adt.has_foreign_columns()
    assert adt.get_foreign_columns() == [(None, "main_el"), ("neural", "electrode")]
    assert adt.get_foreign_columns(ignore_category_tables=True) == [(None, "main_el")]
    links = adt.get_linked_tables()
    assert sorted(_links(links)) == [
        ("neural", "electrode", "electrodes"),
        ("session", "main_el", "electrodes"),
    ]
    assert {x.target_table.name for x in links} == {"electrodes"}
    plain = build_linked(A, main_region=False)
    assert plain.has_foreign_columns()
    assert not plain.has_foreign_columns(ignore_category_tables=True)
    assert plain.get_foreign_columns() == [("neural", "electrode")]
    assert plain.get_linked_tables(ignore_category_tables=True) == []


# -- 8. the store -----------------------------------------------------------------------------


def test_write_round_trips_or_refuses_clearly(tmp_path: Path) -> None:
    adt = build(A)
    expected = adt.to_dataframe()
    path = tmp_path / "s.hdmf"
    error: Exception | None = None
    try:
        hdmf_arrow.write(SimpleMultiContainer("root", [adt]), path)
    except Exception as exc:
        error = exc
    if error is not None:  # outcome 2: a clear refusal, and nothing readable left behind
        assert "AlignedDynamicTable" in str(error), f"unclear error: {error!r}"
        try:
            root = hdmf_arrow.read(path)
        except Exception:
            return
        tables = [root] if isinstance(root, DynamicTable) else list(root)
        assert not any(isinstance(t, DynamicTable) and t.name == "session" for t in tables), (
            "the refused write left a readable partial table"
        )
        return
    # outcome 1: a faithful round trip
    root = hdmf_arrow.read(path)
    back = root["session"]
    assert isinstance(back, AlignedDynamicTable), f"read back as {type(back).__name__}"
    assert back.categories == ["neural", "stimulus"]
    assert back.colnames == ("timestamp",)
    assert len(back) == 4
    pd.testing.assert_frame_equal(back.to_dataframe(), expected)
    assert back[1, ("neural", "spike_count")] == 7


def test_validate_reports_a_category_that_no_longer_aligns() -> None:
    from hdmf_arrow import validate

    session = AlignedDynamicTable(name="session", description="d")
    session.add_column("time", "seconds", dtype="float")
    neural = session.add_category_table(name="neural", description="n")
    neural.add_column("spikes", "count", dtype="int")
    session.add_row(time=1.0, neural={"spikes": 1})
    assert validate(session) == []
    neural.add_row(spikes=5)  # behind the aligned table's back
    assert [str(i) for i in validate(session)] == [
        "DynamicTable (session/neural): category has 2 rows, the main table 1"
    ]
