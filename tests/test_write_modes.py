"""hdmf_arrow.write's modes, as deltalake users expect them: error, overwrite, append; and
DataFrames and Arrow tables written as DynamicTables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import (
    CellTypeError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    StoreExistsError,
)


def _trials(start: float) -> pd.DataFrame:
    return pd.DataFrame({"start": [start, start + 1.0], "kind": ["go", "stop"]})


def test_the_default_refuses_an_existing_store(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    assert hdmf_arrow.write(_trials(0.0), location, name="trials") == 1
    with pytest.raises(StoreExistsError, match=r"already holds an hdmf-arrow store; nothing was"):
        hdmf_arrow.write(_trials(5.0), location, name="trials")
    assert hdmf_arrow.read(location)["start"].data.tolist() == [0.0, 1.0]


def test_overwrite_replaces_the_contents_and_keeps_old_versions(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_trials(0.0), location, name="trials")
    assert hdmf_arrow.write(_trials(5.0), location, name="trials", mode="overwrite") == 2
    assert hdmf_arrow.read(location)["start"].data.tolist() == [5.0, 6.0]
    assert hdmf_arrow.read(location, version=1)["start"].data.tolist() == [0.0, 1.0]


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow", "table"])
def test_append_adds_rows_as_a_new_file(tmp_path: Path, kind: str) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_trials(0.0), location, name="trials")
    more = _trials(5.0)
    rows: object = {
        "pandas": more,
        "polars": pl.from_pandas(more),
        "arrow": pa.Table.from_pandas(more, preserve_index=False),
        "table": DynamicTable.from_dataframe(more, "trials"),
    }[kind]
    name = None if kind == "table" else "trials"
    assert hdmf_arrow.write(rows, location, name=name, mode="append") == 2
    back = hdmf_arrow.read(location)
    assert back["start"].data.tolist() == [0.0, 1.0, 5.0, 6.0]
    assert back["kind"].data.tolist() == ["go", "stop", "go", "stop"]
    assert len(hdmf_arrow.data_files(location)) == 2
    assert hdmf_arrow.read(location, version=1)["start"].data.tolist() == [0.0, 1.0]


def test_append_to_a_tree_adds_rows_or_a_new_table(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    trials = DynamicTable.from_dataframe(_trials(0.0), "trials")
    units = DynamicTable(name="units", description="d")
    units.add_column("depth", "depth", data=[10.0])
    hdmf_arrow.write(SimpleMultiContainer("session", [trials, units]), location)
    hdmf_arrow.write(pd.DataFrame({"depth": [20.0]}), location, name="units", mode="append")
    hdmf_arrow.write(pd.DataFrame({"x": [1]}), location, name="epochs", mode="append")
    root = hdmf_arrow.read(location)
    assert root["units"]["depth"].data.tolist() == [10.0, 20.0]
    assert root["epochs"]["x"].data.tolist() == [1]
    assert len(root["trials"]) == 2


def test_append_creates_a_missing_store(tmp_path: Path) -> None:
    location = tmp_path / "new.hdmf"
    assert hdmf_arrow.write(_trials(0.0), location, name="trials", mode="append") == 1
    assert len(hdmf_arrow.read(location)) == 2


def test_a_refused_append_writes_nothing(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_trials(0.0), location, name="trials")
    with pytest.raises(CellTypeError, match="column 'start'"):
        hdmf_arrow.write(
            pd.DataFrame({"start": ["late"], "kind": ["go"]}),
            location,
            name="trials",
            mode="append",
        )
    assert [v.version for v in hdmf_arrow.ParquetIO(location).versions()] == [1]


def test_bad_arguments_are_named(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    with pytest.raises(InvalidArgumentError, match="mode must be 'error', 'overwrite' or 'append'"):
        hdmf_arrow.write(_trials(0.0), location, name="t", mode="upsert")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError, match="found dict"):
        hdmf_arrow.write({"start": [1.0]}, location)
    with pytest.raises(InvalidArgumentTypeError, match="appends the rows of a table"):
        hdmf_arrow.write(SimpleMultiContainer("s", []), location, mode="append")
    with pytest.raises(InvalidArgumentError, match="name='other' names DataFrames"):
        hdmf_arrow.write(DynamicTable(name="t", description="d"), location, name="other")


def test_history_names_each_versions_operation(tmp_path: Path) -> None:
    from hdmf_arrow import ParquetIO

    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_trials(0.0), location, name="trials")
    hdmf_arrow.write(_trials(5.0), location, name="trials", mode="append")
    with ParquetIO(location, "a") as io:
        t = io.read()
        t.add_column("ok", "ok", data=[True] * 4)
        io.write(t)
    hdmf_arrow.write(_trials(9.0), location, name="trials", mode="overwrite")
    got = [(v.version, v.operation) for v in hdmf_arrow.history(location)]
    assert got == [(4, "write"), (3, "add_column"), (2, "append"), (1, "write")]
    assert all(
        v.time is not None and v.time.tzinfo is not None for v in hdmf_arrow.history(location)
    )


def test_read_as_of_a_time(tmp_path: Path) -> None:
    import datetime as dt

    from hdmf_arrow.errors import InvalidVersionError

    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_trials(0.0), location, name="trials")
    between = dt.datetime.now(dt.UTC)
    hdmf_arrow.write(_trials(5.0), location, name="trials", mode="append")
    assert len(hdmf_arrow.read(location, as_of=between)) == 2
    assert len(hdmf_arrow.read(location, as_of=dt.datetime.now(dt.UTC))) == 4
    naive = between.replace(tzinfo=None)  # naive times are UTC
    assert len(hdmf_arrow.read(location, as_of=naive)) == 2
    with pytest.raises(InvalidVersionError, match=r"no version of .* at or before 2001"):
        hdmf_arrow.read(location, as_of=dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(InvalidArgumentError, match="not both"):
        hdmf_arrow.read(location, version=1, as_of=between)


def test_the_history_command(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from hdmf_arrow.cli import main

    location = str(tmp_path / "s.hdmf")
    hdmf_arrow.write(_trials(0.0), location, name="trials")
    hdmf_arrow.write(_trials(5.0), location, name="trials", mode="append")
    out = CliRunner().invoke(main, ["history", location])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].split()[0] == "2"
    assert "append" in lines[0]
    assert "write" in lines[1]
    as_json = json.loads(CliRunner().invoke(main, ["history", "--json", location]).output)
    assert [v["operation"] for v in as_json] == ["append", "write"]
    missing = CliRunner().invoke(main, ["history", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert missing.output.startswith("error:")


def test_read_as_type_checks_the_root(tmp_path: Path) -> None:
    from hdmf_arrow.errors import InvalidArgumentTypeError

    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[1, 2])
    hdmf_arrow.write(SimpleMultiContainer("root", [t]), tmp_path / "s")
    root = hdmf_arrow.read(tmp_path / "s", SimpleMultiContainer)
    assert root["t"]["x"].data.tolist() == [1, 2]
    with pytest.raises(
        InvalidArgumentTypeError, match=r"SimpleMultiContainer 'root', not a DynamicTable"
    ):
        hdmf_arrow.read(tmp_path / "s", DynamicTable)
