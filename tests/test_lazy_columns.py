"""Columns of a stored table are made when first used (issue 12, item 4).

Opening a table makes no column object and reads no column; a column is made (and read) when
asked for, by name, by one of its part names, or as one of all columns. Counted, not timed:
``column_from_stored`` calls for made columns, ``TableFiles._read`` calls for reads.
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import CorruptStoreError
from hdmf_arrow.io import _parquet, _tree


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """``made``: the names of columns made; ``read``: the column names of each file read."""
    found: dict[str, list[Any]] = {"made": [], "read": []}
    make = _tree.column_from_stored

    def counted_make(name: str, *args: Any, **kwargs: Any) -> Any:
        found["made"].append(name)
        return make(name, *args, **kwargs)

    read = _parquet.TableFiles._read

    def counted_read(self: Any, i: int, names: Any, group: Any = None, **kw: Any) -> pa.Table:
        found["read"].append(list(names))
        return read(self, i, names, group, **kw)

    monkeypatch.setattr(_tree, "column_from_stored", counted_make)
    monkeypatch.setattr(_parquet.TableFiles, "_read", counted_read)
    return found


def _wide(path: Path, width: int = 50) -> Path:
    data = pa.table({f"c{i}": np.arange(10, dtype=np.float64) + i for i in range(width)})
    location = path / "wide.hdmf"
    hdmf_arrow.write(DynamicTable.from_arrow(data, name="wide", description="wide"), location)
    return location


def _mixed(path: Path) -> Path:
    """A tree whose table has every kind of column: flat, text, ragged, enum, region."""
    target = DynamicTable(name="target", description="rows")
    target.add_column("v", "values", data=[1.5, 2.5, 3.5])
    table = DynamicTable(name="mixed", description="all kinds")
    table.add_column("x", "floats", data=[0.5, 1.5])
    table.add_column("s", "text", data=["a", "bc"])
    table.add_column("r", "ragged", data=[[1, 2], [3]], index=True)
    table.add_column("rr", "doubly ragged", data=[[[1], [2, 3]], [[4]]], index=2)
    table.add_column("e", "enum", data=["lo", "hi"], enum=True)
    table.add_column("reg", "region", data=[0, 2], table=target)
    location = path / "mixed.hdmf"
    root = SimpleMultiContainer(name="root", containers=[target, table])
    hdmf_arrow.write(root, location)
    return location


def test_open_makes_and_reads_no_column(tmp_path: Path, counts: dict[str, list[Any]]) -> None:
    location = _wide(tmp_path)
    table = hdmf_arrow.read(location)
    assert counts == {"made": [], "read": []}
    assert table.colnames == tuple(f"c{i}" for i in range(50))
    assert len(table) == 10
    assert "c7" in table
    assert "nope" not in table
    assert list(table) == list(table.colnames)
    assert counts == {"made": [], "read": []}  # names, length and `in` make nothing


def test_one_column_makes_and_reads_only_it(tmp_path: Path, counts: dict[str, list[Any]]) -> None:
    location = _wide(tmp_path)
    table = hdmf_arrow.read(location)
    values = table["c7"].data
    np.testing.assert_array_equal(values, np.arange(10) + 7.0)
    assert counts["made"] == ["c7"]
    assert counts["read"] == [["c7"]]
    assert table["c7"] is table["c7"]  # made once
    assert table.c7 is table["c7"]
    assert counts["made"] == ["c7"]
    assert table["c7"].parent is table


def test_to_arrow_reads_once_and_makes_no_plain_column(
    tmp_path: Path, counts: dict[str, list[Any]]
) -> None:
    location = _wide(tmp_path, width=20)
    table = hdmf_arrow.read(location)
    lazy = table.to_arrow()
    assert counts["made"] == []
    assert len(counts["read"]) == 1  # one pass over the file
    # the arrays read are kept: making a column afterwards reads nothing again
    assert table["c3"].data[0] == 3.0
    assert len(counts["read"]) == 1
    eager = hdmf_arrow.read(location)
    _ = eager.columns  # every column made
    assert lazy.equals(eager.to_arrow())
    assert lazy.schema.metadata == eager.to_arrow().schema.metadata


def test_every_kind_of_column_reads_the_same_made_lazily_or_all_at_once(tmp_path: Path) -> None:
    location = _mixed(tmp_path)
    root = hdmf_arrow.read(location)
    lazy = root["mixed"]
    eager = hdmf_arrow.read(location)["mixed"]
    _ = eager.columns
    assert lazy.to_arrow().equals(eager.to_arrow(), check_metadata=True)
    assert lazy.to_dataframe(index=True).equals(eager.to_dataframe(index=True))
    assert lazy["reg"].table is root["target"]  # the region column points at its target
    assert lazy["rr"][0] == [[1], [2, 3]]
    assert lazy.to_dataframe()["e"].tolist() == ["lo", "hi"]


def test_part_names_make_their_column(tmp_path: Path, counts: dict[str, list[Any]]) -> None:
    location = _mixed(tmp_path)
    table = hdmf_arrow.read(location)["mixed"]
    made_at_open = list(counts["made"])  # the region column, to point it at its target
    assert made_at_open == ["reg"]
    assert "r_index" in table
    assert counts["made"] == [*made_at_open, "r"]
    assert table.get_column("rr_index_index").name == "rr_index_index"
    assert table["e_elements"].name == "e_elements"
    assert table.get("nope_index") is None
    assert "nope_elements" not in table
    assert sorted(counts["made"]) == sorted([*made_at_open, "r", "rr", "e"])
    names = {c.name for c in table.columns}  # every part of every column
    assert {"x", "s", "r", "r_index", "rr_index_index", "e_elements", "reg"} <= names


def test_a_stored_table_stays_writable(tmp_path: Path) -> None:
    location = _wide(tmp_path, width=5)
    with hdmf_arrow.ParquetIO(location, "a") as io:
        table = io.read()
        table.add_row({f"c{i}": float(i) for i in range(5)})
        table.add_column("extra", "new", data=np.ones(11))
        io.write(table)
    again = hdmf_arrow.read(location)
    assert len(again) == 11
    assert again.colnames[-1] == "extra"
    assert again["c2"].data[-1] == 2.0


def _damage(location: Path, table: str, column: str, key: str, value: object) -> None:
    versions = sorted((location / "_hdmf" / "versions").glob("*.json"))
    doc = json.loads(versions[-1].read_text())

    def visit(node: dict[str, Any]) -> None:
        if node.get("kind") == "table" and node["name"] == table:
            node["table"]["columns"][column][key] = value
        for child in node.get("children", ()):
            visit(child)

    visit(doc["root"])
    versions[-1].write_text(json.dumps(doc))


def test_a_damaged_column_errors_when_used_naming_it(tmp_path: Path) -> None:
    location = _wide(tmp_path, width=5)
    _damage(location, "wide", "c3", "index", "two")
    table = hdmf_arrow.read(location)  # opening does not look at the column
    assert table["c1"].data[0] == 1.0
    with pytest.raises(CorruptStoreError) as raised:
        table["c3"]
    text = str(raised.value)
    assert "column 'c3' of table 'wide'" in text
    assert str(location.name) in text
    assert "'two'" in text  # what was found
    with pytest.raises(CorruptStoreError, match="c3"):
        table.to_arrow()
    with pytest.raises(CorruptStoreError, match="c3"):
        table["c3"]  # still refused: nothing half made
    assert table.colnames == ("c0", "c1", "c2", "c3", "c4")


def test_a_column_whose_type_disagrees_with_its_index_errors_when_used(tmp_path: Path) -> None:
    location = _wide(tmp_path, width=3)
    _damage(location, "wide", "c0", "index", 1)  # a flat column said to be ragged
    table = hdmf_arrow.read(location)
    with pytest.raises(CorruptStoreError, match=r"column 'c0' of table 'wide'.*index level"):
        table.to_arrow()
    with pytest.raises(CorruptStoreError, match="c0"):
        table["c0"]


def test_validate_still_reports_a_damaged_column(tmp_path: Path) -> None:
    location = _wide(tmp_path, width=3)
    _damage(location, "wide", "c2", "index", "two")
    issues = hdmf_arrow.validate(location)
    found = [i for i in issues if i.path == "wide/c2"]
    assert found, issues
    assert "cannot be read" in found[0].message
    assert "'two'" in found[0].message
    assert not [i for i in issues if i.path in ("wide/c0", "wide/c1")]  # the others are fine


def test_a_column_named_in_the_metadata_but_not_the_schema_fails_at_open(tmp_path: Path) -> None:
    location = _wide(tmp_path, width=2)
    versions = sorted((location / "_hdmf" / "versions").glob("*.json"))
    doc = json.loads(versions[-1].read_text())
    doc["root"]["table"]["columns"]["ghost"] = {"data_type": "VectorData"}
    versions[-1].write_text(json.dumps(doc))
    with pytest.raises(CorruptStoreError, match="ghost"):
        hdmf_arrow.read(location)


def test_references_to_a_column_resolve_without_making_the_others(
    tmp_path: Path, counts: dict[str, list[Any]]
) -> None:
    """An attribute that refers to a column (stored as its object id) finds it; only that
    column is made."""
    table = DynamicTable(name="t", description="d")
    for k in range(5):
        table.add_column(f"c{k}", "c", data=[float(k)])
    group = SimpleMultiContainer(name="root", containers=[table], attributes={})
    group.attributes["picked"] = table["c3"]
    location = tmp_path / "ref.hdmf"
    hdmf_arrow.write(group, location)
    counts["made"].clear()
    root = hdmf_arrow.read(location)
    picked = root.attributes["picked"]
    assert picked is root["t"]["c3"]
    assert counts["made"] == ["c3"]


def test_reading_one_column_keeps_only_that_column(tmp_path: Path) -> None:
    """After ``t["x"].data``, the Arrow memory still allocated is the column's own: not the
    raw bytes a kept-open reader pre-buffered, and nothing of the other columns."""
    rows = 200_000
    rng = np.random.default_rng(0)
    data = pa.table({"x": rng.random(rows), **{f"o{k}": rng.random(rows) for k in range(8)}})
    location = tmp_path / "mem.hdmf"
    hdmf_arrow.write(DynamicTable.from_arrow(data, name="mem", description="d"), location)
    del data
    gc.collect()
    table = hdmf_arrow.read(location)
    warm = table["o0"].to_arrow()  # what pyarrow allocates once per process, and the footer
    before = pa.total_allocated_bytes()
    values = table["x"].to_arrow()
    held = pa.total_allocated_bytes() - before
    assert values.nbytes >= rows * 8  # (and a validity bitmap)
    assert held <= 1.6 * values.nbytes, held  # not 2.3x, as with the raw bytes kept
    assert warm.nbytes == values.nbytes
