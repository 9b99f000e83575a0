"""Compaction, and the lifecycle commands (compact, vacuum, history, info --json, -h)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import hdmf_arrow
from hdmf_arrow import ParquetIO
from hdmf_arrow.cli import main
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import ReadOnlyStoreError

NO_MERGE = hdmf_arrow.ParquetOptions(merge_small_files=0)  # one file per append


def _appended(location: Path, n: int) -> None:
    units = DynamicTable(name="units", description="d")
    units.add_column("x", "x", data=[0])
    units.add_column("spikes", "s", data=[[0.0]], index=True)
    other = DynamicTable(name="other", description="d")
    other.add_column("y", "y", data=[1.0])
    hdmf_arrow.write(SimpleMultiContainer("session", [units, other]), location, options=NO_MERGE)
    for i in range(1, n):
        with ParquetIO(location, "a", options=NO_MERGE) as io:
            root = io.read()
            root["units"].add_row(x=i, spikes=[float(i)] * i)
            io.write(root)


def test_compact_rewrites_many_files_into_one(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    _appended(location, 12)
    assert len(hdmf_arrow.data_files(location, "units")) == 12
    before = hdmf_arrow.read(location)["units"].to_dataframe(index=True)
    other_files = hdmf_arrow.data_files(location, "other")
    with ParquetIO(location, "a") as io:
        assert io.compact() == 13
        assert io.compact() is None  # nothing left to do
    assert len(hdmf_arrow.data_files(location, "units")) == 1
    assert hdmf_arrow.data_files(location, "other") == other_files  # one file: untouched
    after = hdmf_arrow.read(location)["units"]
    assert after.to_dataframe(index=True).equals(before)
    assert hdmf_arrow.read(location, version=12)["units"].to_dataframe(index=True).equals(before)
    assert hdmf_arrow.history(location)[0].operation == "compact"
    with ParquetIO(location, "a") as io:  # appends go on after a compaction
        root = io.read()
        root["units"].add_row(x=99, spikes=[])
        io.write(root)
    assert len(hdmf_arrow.data_files(location, "units")) == 2


def test_compact_one_table_and_read_only(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    _appended(location, 3)
    with ParquetIO(location, "a") as io:
        assert io.compact("session/units", min_files=3) == 4
    with ParquetIO(location, "r") as io, pytest.raises(ReadOnlyStoreError, match="mode='a'"):
        io.compact()


def test_compaction_keeps_manifests_small(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    _appended(location, 40)
    versions = sorted((location / "_hdmf" / "versions").iterdir())
    grown = versions[-1].stat().st_size
    with ParquetIO(location, "a") as io:
        io.compact()
    compacted = sorted((location / "_hdmf" / "versions").iterdir())[-1].stat().st_size
    assert compacted < grown / 3


def test_lifecycle_commands(tmp_path: Path) -> None:
    location = str(tmp_path / "s.hdmf")
    _appended(Path(location), 4)
    run = CliRunner().invoke
    out = run(main, ["compact", location])
    assert out.exit_code == 0, out.output
    assert "compacted as version 5" in out.output
    assert "nothing written" in run(main, ["compact", location]).output
    kept = run(main, ["vacuum", "--older-than", "0", location])
    assert "deleted 0 file(s)" in kept.output  # every file is used by a retained version
    dry = run(
        main, ["vacuum", "--older-than", "0", "--retain-versions", "1", "--dry-run", location]
    )
    assert dry.exit_code == 0, dry.output
    assert "would delete 8 file(s)" in dry.output  # 4 manifests, the 4 small files of units
    done = run(main, ["vacuum", "--older-than", "0", "--retain-versions", "1", location])
    assert "deleted" in done.output
    assert [v.version for v in hdmf_arrow.history(location)] == [5]
    assert hdmf_arrow.read(location)["units"]["x"].data.tolist() == [0, 1, 2, 3]
    doc = json.loads(run(main, ["info", "--json", location]).output)
    assert doc["version"] == 5
    assert doc["root"]["kind"] == "group"
    assert "compact" in run(main, ["history", location]).output
    assert "Commands:" in run(main, ["-h"]).output
