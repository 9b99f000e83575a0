"""Predefined columns (``__columns__``), as hdmf's DynamicTable subclasses declare them."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, DynamicTableRegion, EnumData
from hdmf_arrow.errors import CellTypeError, TableShapeError
from hdmf_arrow.testing import assert_table_equal


class Trials(DynamicTable):
    __columns__ = (
        {"name": "start_time", "description": "start (s)", "required": True},
        {"name": "stop_time", "description": "stop (s)", "required": True},
        {"name": "tags", "description": "labels", "index": True},
        {"name": "outcome", "description": "result", "enum": ["hit", "miss"]},
    )


class CuedTrials(Trials):
    __columns__ = ({"name": "cue", "description": "the cue", "required": True},)


class Units(DynamicTable):
    __columns__: ClassVar[tuple[dict[str, Any], ...]] = (
        {"name": "electrode", "description": "site", "table": True},
    )


def test_required_columns_exist_from_the_start() -> None:
    t = Trials(name="trials", description="d")
    assert t.colnames == ("start_time", "stop_time")
    assert t["start_time"].description == "start (s)"


def test_optional_columns_are_none_until_added() -> None:
    t = Trials(name="trials", description="d")
    assert t.tags is None
    with pytest.raises(KeyError, match="no column 'tags'"):
        t["tags"]


def test_a_row_that_names_an_optional_column_adds_it_with_its_definition() -> None:
    t = Trials(name="trials", description="d")
    t.add_row(start_time=0.0, stop_time=1.0)
    t.add_row(start_time=1.0, stop_time=2.0, tags=["a", "b"], outcome="hit")
    assert t.colnames == ("start_time", "stop_time", "tags", "outcome")
    assert t["tags"].data_type == "VectorIndex"  # index=True from the definition
    assert isinstance(t["outcome"], EnumData)
    assert t["outcome"].elements == ("hit", "miss")
    assert t[:, "tags"] == [None, ["a", "b"]]  # the earlier row is null (hdmf refuses here)
    assert t[:, "outcome"] == [None, "hit"]


def test_a_refused_row_takes_the_new_column_back() -> None:
    t = Trials(name="trials", description="d")
    t.add_row(start_time=0.0, stop_time=1.0)
    before = t.to_arrow()
    with pytest.raises(CellTypeError, match="column 'start_time'"):
        t.add_row(start_time="late", stop_time=2.0, tags=["x"])
    assert t.colnames == ("start_time", "stop_time")
    assert t.tags is None
    assert t.to_arrow().equals(before)


def test_columns_of_base_classes_come_first() -> None:
    t = CuedTrials(name="cued", description="d")
    assert t.colnames == ("start_time", "stop_time", "cue")


def test_add_column_on_a_predefined_name_uses_its_definition() -> None:
    t = Trials(name="trials", description="d")
    t.add_column("tags", "my tags")
    assert t["tags"].data_type == "VectorIndex"
    assert t["tags"].target.description == "my tags"


def test_target_tables_point_predefined_region_columns() -> None:
    electrodes = DynamicTable(name="electrodes", description="d")
    electrodes.add_column("x", "x", data=[1.0, 2.0])
    units = Units(name="units", description="d", target_tables={"electrode": electrodes})
    assert isinstance(units["electrode"], DynamicTableRegion)
    assert units["electrode"].table is electrodes
    with pytest.raises(TableShapeError, match="'bad' is not the name of a predefined column"):
        Units(name="u", description="d", target_tables={"bad": electrodes})


def test_columns_must_be_a_tuple() -> None:
    with pytest.raises(TypeError, match="'__columns__' must be of type tuple"):

        class Bad(DynamicTable):
            __columns__ = [{"name": "x"}]  # type: ignore[assignment]  # noqa: RUF012


def test_a_subclass_round_trips_through_a_store(tmp_path: Any) -> None:
    t = Trials(name="trials", description="d")
    t.add_row(start_time=0.0, stop_time=1.0, tags=["a"], outcome="miss")
    hdmf_arrow.write(t, tmp_path / "s")
    back = hdmf_arrow.read(tmp_path / "s")
    assert_table_equal(t, back, check_types=True)
