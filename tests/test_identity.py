"""Object ids are identities (issue 8, part 1).

- A bulk constructor (``from_arrow``, ``from_polars``, ``from_dataframe``) makes a new object:
  every part of it (table, ids, columns, indexes, enum elements) gets a new object id, unless
  the caller names the id (``object_id=``); naming the id the metadata records restores the
  recorded ids of every part.
- A store reader keeps the stored ids.
- An object id is checked wherever a Container gets one: no path syntax, no whitespace or
  control characters, not empty, not too long.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings

from hdmf_arrow import api
from hdmf_arrow.common import (
    Container,
    DynamicTable,
    DynamicTableRegion,
    ElementIdentifiers,
    EnumData,
    SimpleMultiContainer,
    VectorData,
    VectorIndex,
    check_object_id,
)
from hdmf_arrow.errors import HdmfArrowError, InvalidObjectIdError
from hdmf_arrow.testing import assert_table_equal
from hdmf_arrow.testing.strategies import dynamic_tables

if TYPE_CHECKING:
    from pathlib import Path


def _ids(table: DynamicTable) -> list[str]:
    """The object id of the table and of every dataset in it (indexes, elements included)."""
    return [table.object_id, table.id.object_id, *(c.object_id for c in table.columns)]


def _targets(table: DynamicTable) -> dict[str, DynamicTable]:
    out = {}
    for name in table.get_foreign_columns():
        target = table.get_column(name).get_target_data()
        assert isinstance(target, DynamicTableRegion)
        assert target.table is not None
        out[name] = target.table
    return out


@pytest.fixture
def table() -> DynamicTable:
    target = DynamicTable(name="electrodes", description="e", id=[0, 1, 2])
    t = DynamicTable(name="units", description="every kind of column")
    t.add_column("x", "plain", data=[1.5, 2.5])
    t.add_column("spikes", "ragged", data=[[0.1], [0.2, 0.3]], index=True)
    t.add_column("deep", "ragged twice", data=[[[1], [2, 3]], [[4]]], index=2)
    t.add_column("quality", "enum", data=["good", "bad"], enum=["good", "bad"])
    t.add_column("electrode", "region", data=[0, 2], table=target)
    t.add_column("electrodes", "ragged region", data=[[0, 1], [2]], index=True, table=target)
    return t


# -- bulk constructors mint new ids ----------------------------------------------------------


def test_from_arrow_gives_every_part_a_new_id(table: DynamicTable) -> None:
    copy = DynamicTable.from_arrow(table.to_arrow(), target_tables=_targets(table))
    assert_table_equal(table, copy, check_metadata=False)
    old, new = _ids(table), _ids(copy)
    assert len(new) == len(set(new)) == 13  # table, id, then 1 + 2 + 3 + 2 + 1 + 2 parts
    assert not set(old) & set(new)


def test_from_arrow_named_id_restores_the_recorded_ids(table: DynamicTable) -> None:
    restored = DynamicTable.from_arrow(
        table.to_arrow(), target_tables=_targets(table), object_id=table.object_id
    )
    assert_table_equal(table, restored)  # object ids included
    assert _ids(restored) == _ids(table)


def test_from_arrow_other_named_id_gives_new_part_ids(table: DynamicTable) -> None:
    mine = str(uuid.uuid4())
    copy = DynamicTable.from_arrow(table.to_arrow(), target_tables=_targets(table), object_id=mine)
    assert copy.object_id == mine
    assert not set(_ids(table)) & set(_ids(copy)[1:])


def test_from_polars_and_from_dataframe_take_object_id() -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[1, 2])
    mine = str(uuid.uuid4())
    assert DynamicTable.from_polars(t.to_polars(), "p", object_id=mine).object_id == mine
    frame = t.to_dataframe()
    assert DynamicTable.from_dataframe(frame, "f", object_id=mine).object_id == mine
    for copy in (DynamicTable.from_polars(t.to_polars(), "p"),
                 DynamicTable.from_dataframe(frame, "f")):  # fmt: skip
        assert not set(_ids(t)) & set(_ids(copy))


def test_a_tree_holding_a_table_and_its_copy_round_trips(
    table: DynamicTable, tmp_path: Path
) -> None:
    copy = DynamicTable.from_arrow(table.to_arrow(), name="copy", target_tables=_targets(table))
    copy.add_row(x=9.5, spikes=[], deep=[], quality="good", electrode=1, electrodes=[])
    target = _targets(table)["electrode"]
    root = SimpleMultiContainer("root", [target, table, copy])
    api.write(root, tmp_path / "store")
    back = api.read(tmp_path / "store")
    assert isinstance(back, SimpleMultiContainer)
    assert len(back["units"]) == 2
    assert len(back["copy"]) == 3
    assert back["copy"]["x"].data.tolist() == [1.5, 2.5, 9.5]


# -- the store reader keeps the stored ids -----------------------------------------------------


def test_the_store_reader_keeps_every_id(table: DynamicTable, tmp_path: Path) -> None:
    target = _targets(table)["electrode"]
    root = SimpleMultiContainer("root", [target, table])
    api.write(root, tmp_path / "store")
    back = api.read(tmp_path / "store")
    assert isinstance(back, SimpleMultiContainer)
    units = back["units"]
    assert isinstance(units, DynamicTable)
    assert back.object_id == root.object_id
    assert _ids(units) == _ids(table)
    assert_table_equal(table, units)


@settings(max_examples=40, deadline=None)
@given(dynamic_tables())
def test_from_arrow_is_a_copy_with_new_ids(table: DynamicTable) -> None:
    copy = DynamicTable.from_arrow(table.to_arrow(), target_tables=_targets(table))
    assert_table_equal(table, copy, check_metadata=False)
    assert not set(_ids(table)) & set(_ids(copy))
    assert len(set(_ids(copy))) == len(_ids(copy))


# -- object ids are checked ----------------------------------------------------------------------

BAD_IDS = [
    "",
    "a/b",
    "/abs",
    "a\\b",
    "..",
    "a..b",
    "../escape",
    ".",
    "a b",
    " lead",
    "tab\there",
    "new\nline",
    "nul\x00",
    "del\x7f",
    "x" * 129,
    "\ud800",
    "caf\u00e9",
    "-option",
    "q?x",
    "hash#x",
    "c:drive",
]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_check_object_id_refuses_path_syntax_and_control_characters(bad: str) -> None:
    with pytest.raises(InvalidObjectIdError, match="VectorData 'x' has object id") as info:
        check_object_id(bad, what="VectorData 'x'")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, HdmfArrowError)
    assert repr(bad)[:20] in str(info.value)


@pytest.mark.parametrize("good", [str(uuid.uuid4()), "A1", "abc.def_ghi-1", "x" * 128])
def test_check_object_id_accepts_uuid_like_ids(good: str) -> None:
    assert check_object_id(good, what="table 't'") == good


@pytest.mark.parametrize("bad", [None, 5, b"abc", uuid.uuid4()])
def test_check_object_id_refuses_non_strings(bad: object) -> None:
    with pytest.raises(InvalidObjectIdError, match="expected a str"):
        check_object_id(bad, what="table 't'")


@pytest.mark.parametrize(
    "make",
    [
        lambda oid: Container("c", object_id=oid),
        lambda oid: DynamicTable(name="t", description="d", object_id=oid),
        lambda oid: VectorData("v", "d", [1], object_id=oid),
        lambda oid: ElementIdentifiers("id", [1], object_id=oid),
        lambda oid: EnumData("e", "d", ["a"], object_id=oid),
        lambda oid: EnumData("e", "d", ["a"], elements_object_id=oid),
        lambda oid: VectorIndex("i", [1], VectorData("v", "d", [1]), object_id=oid),
        lambda oid: SimpleMultiContainer("g", object_id=oid),
        lambda oid: DynamicTable.from_arrow(pa.table({"x": [1]}), name="t", object_id=oid),
        lambda oid: DynamicTable.from_dataframe(pd.DataFrame({"x": [1]}), "t", object_id=oid),
    ],
)
def test_every_container_checks_its_object_id(make: object) -> None:
    with pytest.raises(InvalidObjectIdError, match=r"'\.\./\.\./etc'"):
        make("../../etc")  # type: ignore[operator]


def test_the_object_id_setter_checks_and_keeps_the_old_id() -> None:
    v = VectorData("v", "d", [1])
    before = v.object_id
    with pytest.raises(InvalidObjectIdError, match=r"VectorData 'v' has object id 'a/b'"):
        v.object_id = "a/b"
    assert v.object_id == before
    v.object_id = "fine-id"
    assert v.object_id == "fine-id"


def test_ids_in_metadata_are_checked_when_restored(table: DynamicTable) -> None:
    arrow = table.to_arrow()
    raw = arrow.schema.metadata[b"hdmf"].replace(table["x"].object_id.encode(), b"../../outside")
    bad = arrow.replace_schema_metadata({b"hdmf": raw})
    with pytest.raises(InvalidObjectIdError, match="outside"):
        DynamicTable.from_arrow(bad, target_tables=_targets(table), object_id=table.object_id)
    copy = DynamicTable.from_arrow(bad, target_tables=_targets(table))  # new ids: no harm
    assert "../../outside" not in _ids(copy)
