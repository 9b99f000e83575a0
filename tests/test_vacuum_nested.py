"""Vacuum keeps the files of every node a version holds, nested ones included: a table's
members (MeaningsTables), an AlignedDynamicTable's categories, HERD's tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import hdmf_arrow
from hdmf_arrow import ParquetIO
from hdmf_arrow.common import AlignedDynamicTable, DynamicTable, MeaningsTable


def _aligned() -> AlignedDynamicTable:
    neural = DynamicTable(name="neural", description="d")
    neural.add_column("spikes", "spike counts", data=[1, 2])
    trials = AlignedDynamicTable(name="trials", description="d", category_tables=[neural])
    trials.add_column("stim", "stimulus", data=["a", "b"])
    meanings = MeaningsTable(target=trials["stim"])
    meanings.add_row(value="a", meaning="left")
    meanings.add_row(value="b", meaning="right")
    trials.add_meanings_table(meanings)
    return trials


def test_vacuum_keeps_categories_and_members(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_aligned(), location)
    with ParquetIO(location, "a") as io:
        assert io.vacuum(older_than=dt.timedelta(0)) == []
    back = hdmf_arrow.read(location)
    assert back.get_category_table("neural")["spikes"].data.tolist() == [1, 2]
    assert back.get_meanings_for_column("stim")["meaning"].data.tolist() == ["left", "right"]


def test_appending_across_categories_keeps_their_files_and_vacuum_keeps_them(
    tmp_path: Path,
) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_aligned(), location)
    first = set(hdmf_arrow.data_files(location, "trials"))
    with ParquetIO(location, "a") as io:
        trials = io.read()
        trials.add_row(stim="b", neural={"spikes": 3})
        assert io.write(trials) == 2
        assert io.history()[0].operation == "append"
        assert io.vacuum(older_than=dt.timedelta(0)) == []
    assert first <= set(hdmf_arrow.data_files(location, "trials"))  # nothing rewritten
    back = hdmf_arrow.read(location)
    assert back.get_category_table("neural")["spikes"].data.tolist() == [1, 2, 3]
    assert hdmf_arrow.read(location, version=1).get_category_table("neural")[
        "spikes"
    ].data.tolist() == [1, 2]


def test_a_category_added_in_mode_a_is_stored_and_validated(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_aligned(), location)
    with ParquetIO(location, "a") as io:
        trials = io.read()
        behavior = DynamicTable(name="behavior", description="d")
        behavior.add_column("speed", "speed", data=[0.5, 1.5])
        trials.add_category(behavior)
        io.write(trials)
    back = hdmf_arrow.read(location)
    assert back.categories == ["neural", "behavior"]
    assert back.get_category_table("behavior")["speed"].data.tolist() == [0.5, 1.5]
    assert hdmf_arrow.validate(location) == []
    assert hdmf_arrow.read(location, version=1).categories == ["neural"]
