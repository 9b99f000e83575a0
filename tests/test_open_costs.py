"""What opening a store costs as it grows: listing its versions is one ``scandir`` per
directory, not an ``lstat`` per entry, version names are matched by string tests, and a
table's schema text is parsed once per process."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from _store_edit import edit_manifests

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import CorruptStoreError, UnsafePathError
from hdmf_arrow.io._layout import VERSIONS, version_key, versions_in
from hdmf_arrow.storage import LocalStore


def _counting_lstat(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = os.lstat

    def lstat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        calls.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "lstat", lstat)
    return calls


def test_listing_many_files_stats_none_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalStore(tmp_path)
    for i in range(300):
        store.create(f"d/e/{i:04}.json", b"{}")
    calls = _counting_lstat(monkeypatch)
    keys = store.list("d")
    assert keys == [f"d/e/{i:04}.json" for i in range(300)]
    assert len(calls) <= 3, calls[:10]  # the prefix's directories, not its 300 entries


def test_listing_with_times_gives_each_files_time(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.create("d/a.json", b"{}")
    store.create("d/sub/b.json", b"{}")
    os.utime(tmp_path / "d/a.json", (1_000_000, 1_000_000))
    found = store.list_modified("d")
    assert found == {
        "d/a.json": 1_000_000.0,
        "d/sub/b.json": (tmp_path / "d/sub/b.json").stat().st_mtime,
    }


@pytest.mark.parametrize("kind", ["file link", "directory link", "fifo"])
def test_listing_still_refuses_what_is_not_a_file_or_directory(tmp_path: Path, kind: str) -> None:
    store = LocalStore(tmp_path / "s")
    store.create("d/a.json", b"{}")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_bytes(b"{}")
    where = tmp_path / "s/d/sub"
    where.mkdir()
    if kind == "file link":
        (where / "x.json").symlink_to(outside / "secret.json")
    elif kind == "directory link":
        (where / "x").symlink_to(outside, target_is_directory=True)
    else:
        os.mkfifo(where / "x")
    with pytest.raises(UnsafePathError, match=r"'d/sub/x(\.json)?' in store"):
        store.list("d")
    assert stat.S_ISREG(os.lstat(outside / "secret.json").st_mode)  # untouched


def test_version_names_are_twenty_ascii_digits_directly_in_the_versions_directory() -> None:
    arabic = "\u0660" * 19 + "\u0661"  # twenty Arabic-Indic digits: int() would take them
    keys = [
        version_key(3),
        f"{VERSIONS}/{arabic}.json",
        f"{VERSIONS}/{1:019}.json",
        f"{VERSIONS}/{0:020}.json",
        f"{VERSIONS}/{2:020}.json.tmp",
        f"{VERSIONS}/sub/{4:020}.json",
        version_key(1),
    ]
    assert versions_in(keys) == [1, 3]


def test_a_store_of_many_versions_opens_its_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(DynamicTable.from_arrow(pa.table({"x": [0.0]}), name="t"), location)
    for i in range(1, 60):
        t = DynamicTable.from_arrow(pa.table({"x": [float(i)]}), name="t")
        hdmf_arrow.write(t, location, mode="append")
    calls = _counting_lstat(monkeypatch)
    t = hdmf_arrow.read(location)
    assert t.to_dataframe()["x"].tolist() == [float(i) for i in range(60)]
    versions = tmp_path / "s.hdmf" / VERSIONS
    assert not [c for c in calls if c.startswith(f"{versions}/")]  # no manifest but the one read


def _set_schemas(location: Path, text: str) -> None:
    """Replace every table's schema text in the store's manifests."""

    def fix(node: dict[str, Any]) -> None:
        if isinstance(node.get("schema"), str):
            node["schema"] = text

    edit_manifests(location, fix)


@pytest.mark.parametrize("text", ["!!not base64!!", "QUJD", "A" * 70_000])
def test_a_manifest_schema_that_does_not_parse_is_refused_every_time(
    tmp_path: Path, text: str
) -> None:
    """Schemas are parsed once per process (a cache keyed by their text): a failure is not
    cached, and a long text (not cached) fails the same way."""
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(DynamicTable.from_arrow(pa.table({"x": [1.0]}), name="t"), location)
    _set_schemas(location, text)
    for _ in range(2):
        with pytest.raises(CorruptStoreError, match="Arrow schema of table 't' in the manifest"):
            hdmf_arrow.read(location)


def test_tables_of_one_layout_read_back_their_own_schemas(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    a = DynamicTable.from_arrow(pa.table({"x": [1.0, 2.0]}), name="a")
    b = DynamicTable.from_arrow(pa.table({"x": [3.0]}), name="b")
    wide = DynamicTable.from_arrow(pa.table({f"c{i:05}": [i] for i in range(3000)}), name="w")
    hdmf_arrow.write(SimpleMultiContainer("root", [a, b, wide]), location)
    for _ in range(2):  # the second read takes the cached schemas
        root = hdmf_arrow.read(location)
        assert root["a"]["x"].data.tolist() == [1.0, 2.0]
        assert root["b"]["x"].data.tolist() == [3.0]
        assert root["w"]["c02999"].data.tolist() == [2999]
