"""A store that never loses data or escapes its folder (issue 8, the store's side).

Each test names the part of the issue it covers: object ids (1), stale writes (2), vacuum (3),
reads that stay inside the store (4), manifests that cannot make a read lie (5), version
numbers (6) and resources (8).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _store_edit import relist_size

import hdmf_arrow
from hdmf_arrow import ParquetIO, ParquetOptions
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import (
    CorruptStoreError,
    DuplicateObjectIdError,
    HdmfArrowError,
    InvalidObjectIdError,
    InvalidVersionError,
    StaleWriteError,
    StoreConflictError,
    StoreLimitError,
    UnsafePathError,
)
from hdmf_arrow.io import _layout
from hdmf_arrow.io._layout import version_key
from hdmf_arrow.io._parquet import OpenFiles
from hdmf_arrow.storage import Store, make_store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and FIFOs")


def table(name: str = "t", rows: int = 3, start: int = 0) -> DynamicTable:
    t = DynamicTable(name=name, description=f"table {name}")
    t.add_column("x", "an int", data=list(range(start, start + rows)))
    t.add_column("s", "a string", data=[f"r{i}" for i in range(start, start + rows)])
    return t


def xs(location: Path | str, version: int | None = None, name: str | None = None) -> list[int]:
    root = hdmf_arrow.read(location, version=version)
    found = root if name is None else root[name]
    return [int(v) for v in found["x"].data]


def every_version_reads(location: Path) -> dict[int, Any]:
    """Every committed version, read whole with a fresh reader (raises if any is broken)."""
    out = {}
    with ParquetIO(location) as io:
        numbers = [v.version for v in io.versions()]
    for v in numbers:
        root = hdmf_arrow.read(location, version=v)
        tables = [root] if isinstance(root, DynamicTable) else list(root.children)
        out[v] = {t.name: t.to_arrow().to_pylist() for t in tables}
    return out


def files_under(path: Path) -> list[str]:
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*"))


# -- 1. object ids ----------------------------------------------------------------------------


def test_write_refuses_two_objects_with_one_object_id(tmp_path: Path) -> None:
    a, b = table("a"), table("b")
    b.object_id = a.object_id
    location = tmp_path / "s.hdmf"
    with pytest.raises(DuplicateObjectIdError, match=r"'a'.*'b'|'b'.*'a'"):
        hdmf_arrow.write(SimpleMultiContainer("root", [a, b]), location)
    assert not (location / "_hdmf").exists()  # nothing committed


def test_write_refuses_a_column_sharing_an_id_with_another_table(tmp_path: Path) -> None:
    a, b = table("a"), table("b")
    b["x"].object_id = a["x"].object_id
    with pytest.raises(DuplicateObjectIdError, match="column 'x' of table"):
        hdmf_arrow.write(SimpleMultiContainer("root", [a, b]), tmp_path / "s.hdmf")


@pytest.mark.parametrize("bad", ["../escape", "a/b", "..", "with space", "", "x" * 200])
def test_an_object_id_with_path_syntax_is_refused_before_anything_is_written(
    tmp_path: Path, bad: str
) -> None:
    t = table()
    t._object_id = bad  # past the check the model makes (tests/test_identity.py)
    location = tmp_path / "s.hdmf"
    with pytest.raises(InvalidObjectIdError, match="not a valid object id"):
        hdmf_arrow.write(t, location)
    assert files_under(tmp_path) == []  # not even a data directory


def test_a_manifest_with_an_unsafe_object_id_is_refused(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    doc = json.loads((location / version_key(1)).read_bytes())
    doc["root"]["object_id"] = "../../elsewhere"
    doc["version"] = 2
    (location / version_key(2)).write_bytes(json.dumps(doc).encode())
    with pytest.raises(CorruptStoreError, match=r"elsewhere.*not a valid object id"):
        hdmf_arrow.read(location)
    assert xs(location, 1) == [0, 1, 2]


# -- 2. stale writes --------------------------------------------------------------------------


def test_a_table_read_from_an_older_version_is_not_written_over_a_newer_one(
    tmp_path: Path,
) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    with ParquetIO(location, "a") as io:
        t = io.read()
        t.add_row(x=3, s="r3")
        assert io.write(t) == 2
    old = hdmf_arrow.read(location, version=1)
    old.add_row(x=99, s="stale")
    with pytest.raises(StaleWriteError, match="read from version 1") as info:
        ParquetIO(location, "a").write(old)
    assert "mode='w'" in str(info.value)  # the hint names a way that works
    assert xs(location) == [0, 1, 2, 3]
    assert sorted(every_version_reads(location)) == [1, 2]
    with ParquetIO(location, "a") as io:  # and the store still appends
        t = io.read()
        t.add_row(x=4, s="r4")
        assert io.write(t) == 3
    assert xs(location) == [0, 1, 2, 3, 4]
    # the hinted alternative: make the old copy the newest content
    with ParquetIO(location, "w") as io:
        assert io.write(old) == 4
    assert xs(location) == [0, 1, 2, 99]


def test_the_conflict_hint_describes_a_retry_that_works(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(SimpleMultiContainer("root", [table("a"), table("b")]), location)
    first, second = ParquetIO(location, "a"), ParquetIO(location, "a")
    mine, theirs = first.read(), second.read()
    theirs["a"].add_row(x=10, s="theirs")
    assert second.write(theirs) == 2
    mine["b"].add_row(x=20, s="mine")
    with pytest.raises(StoreConflictError, match=r"ParquetIO\(location, 'a'\)\), read") as info:
        first.write(mine)
    assert not isinstance(info.value, StaleWriteError)
    # the same container through a new handle: refused, since 'a' changed (never merged)
    with pytest.raises(StaleWriteError, match="DynamicTable 'a' was read from version 1"):
        ParquetIO(location, "a").write(mine)
    # the retry the hint describes: open again, read, apply the change, write
    with ParquetIO(location, "a") as io:
        fresh = io.read()
        fresh["b"].add_row(x=20, s="mine")
        assert io.write(fresh) == 3
    assert xs(location, name="a") == [0, 1, 2, 10]  # their row is kept
    assert xs(location, name="b") == [0, 1, 2, 20]  # and mine is added
    assert sorted(every_version_reads(location)) == [1, 2, 3]


def test_rows_added_to_a_copy_the_newer_version_kept_are_appended(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    old = hdmf_arrow.read(location, version=1)
    with ParquetIO(location, "a") as io:  # a version that leaves the table as it was
        io.write(io.read())
    old.add_row(x=3, s="r3")
    with ParquetIO(location, "a") as io:
        assert io.write(old) == 3
    assert xs(location) == [0, 1, 2, 3]
    old.add_row(x=4, s="r4")  # the copy now stands on version 3
    with ParquetIO(location, "a") as io:
        assert io.write(old) == 4
    assert xs(location) == [0, 1, 2, 3, 4]
    assert sorted(every_version_reads(location)) == [1, 2, 3, 4]


def test_a_retry_on_a_table_another_writer_changed_is_refused_clearly(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    first, second = ParquetIO(location, "a"), ParquetIO(location, "a")
    mine, theirs = first.read(), second.read()
    theirs.add_row(x=10, s="theirs")
    second.write(theirs)
    mine.add_row(x=20, s="mine")
    with pytest.raises(StoreConflictError):
        first.write(mine)
    with pytest.raises(StaleWriteError, match="read it again from the newest version"):
        ParquetIO(location, "a").write(mine)
    # what the hint says: read again, apply the change, write
    with ParquetIO(location, "a") as io:
        fresh = io.read()
        fresh.add_row(x=20, s="mine")
        io.write(fresh)
    assert xs(location) == [0, 1, 2, 10, 20]
    assert sorted(every_version_reads(location)) == [1, 2, 3]


def test_an_added_column_on_a_stale_copy_is_refused(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    stale = hdmf_arrow.read(location)
    with ParquetIO(location, "a") as io:
        t = io.read()
        t.add_row(x=3, s="r3")
        io.write(t)
    stale.add_column("y", "new", data=[1.0, 2.0, 3.0])
    with pytest.raises(StaleWriteError):
        ParquetIO(location, "a").write(stale)
    assert xs(location) == [0, 1, 2, 3]


def test_a_stale_tree_that_would_drop_a_newer_table_is_refused(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(SimpleMultiContainer("root", [table("a")]), location)
    stale = hdmf_arrow.read(location)
    with ParquetIO(location, "a") as io:
        root = io.read()
        root.add_container(table("b"))
        io.write(root)
    with pytest.raises(StaleWriteError, match="DynamicTable 'b'"):
        ParquetIO(location, "a").write(stale)
    assert sorted(hdmf_arrow.read(location).containers) == ["a", "b"]


def test_an_unchanged_table_rebases_onto_a_version_that_kept_it(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(SimpleMultiContainer("root", [table("a"), table("b")]), location)
    stale = hdmf_arrow.read(location)  # version 1
    with ParquetIO(location, "a") as io:
        root = io.read()
        root["b"].add_row(x=7, s="b7")
        io.write(root)
    # version 2 did not touch 'a' and added nothing: rows added to the old copy of 'a'
    # mean exactly "append these rows"; but 'b' of the old copy is stale
    stale["a"].add_row(x=5, s="a5")
    with pytest.raises(StaleWriteError, match="'b'"):
        ParquetIO(location, "a").write(stale)


# -- 3. vacuum --------------------------------------------------------------------------------


def appended_store(location: Path, versions: int = 3) -> None:
    hdmf_arrow.write(table(), location)
    for v in range(2, versions + 1):
        with ParquetIO(location, "a") as io:
            t = io.read()
            t.add_row(x=10 * v, s=f"v{v}")
            io.write(t)


def age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_vacuum_compares_normalised_keys(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    appended_store(location, 2)
    doc = json.loads((location / version_key(2)).read_bytes())
    first, second = doc["root"]["files"]
    first["path"] = first["path"].replace("/", "//", 1)
    second["path"] = "./" + second["path"]
    doc.update(version=3, parent=2)
    (location / version_key(3)).write_bytes(json.dumps(doc).encode())
    # versions 1 and 2 expire: only version 3 (with its unnormalised keys) remains
    with ParquetIO(location, "a") as io:
        deleted = io.vacuum(older_than=timedelta(0), retain_versions=1)
    assert deleted == [version_key(1), version_key(2)]
    assert xs(location) == [0, 1, 2, 20]


def test_vacuum_refuses_to_run_past_an_unreadable_manifest(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    appended_store(location, 2)
    orphan = location / "data" / "orphan.parquet"
    orphan.write_bytes(b"left by a crash")
    (location / version_key(1)).write_bytes(b'{"format_version": "0.1.0", "versi')
    before = files_under(location)
    with pytest.raises(CorruptStoreError, match=r"vacuum of store .* refused: version 1"):
        ParquetIO(location, "a").vacuum(older_than=timedelta(0))
    assert files_under(location) == before


def test_vacuum_never_follows_a_symlinked_data_directory(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    appended_store(location, 2)
    elsewhere = tmp_path / "elsewhere"
    (location / "data").rename(elsewhere)
    (location / "data").symlink_to(elsewhere, target_is_directory=True)
    victim = elsewhere / "not-ours.parquet"
    victim.write_bytes(b"someone else's file")
    before = files_under(elsewhere)
    with pytest.raises(UnsafePathError, match=r"'data' in store .* is a symbolic link"):
        ParquetIO(location, "a").vacuum(older_than=timedelta(0))
    assert files_under(elsewhere) == before
    with pytest.raises(UnsafePathError):  # and reads refuse it too
        hdmf_arrow.read(location).to_arrow()


def test_vacuum_never_deletes_through_a_symlinked_file(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    appended_store(location, 2)
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    table_dir = next((location / "data").iterdir())
    (table_dir / "link.parquet").symlink_to(outside)
    with pytest.raises(UnsafePathError, match=r"link.parquet"):
        ParquetIO(location, "a").vacuum(older_than=timedelta(0))
    assert outside.read_text() == "keep me"
    assert (table_dir / "link.parquet").is_symlink()


def test_vacuum_keeps_young_unreferenced_files(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    appended_store(location, 2)
    in_flight = location / "data" / "in-flight" / "f.parquet"
    in_flight.parent.mkdir()
    in_flight.write_bytes(b"a commit in flight")
    tmp_manifest = location / "_hdmf" / "versions" / f".{3:020d}.json.{'0' * 32}.tmp"
    tmp_manifest.write_bytes(b"{}")
    with ParquetIO(location, "a") as io:
        assert io.vacuum() == []  # default: an hour's grace
        age(in_flight, 2 * 3600)
        assert io.vacuum(dry_run=True) == ["data/in-flight/f.parquet"]
        assert io.vacuum(older_than=timedelta(hours=3)) == []
        age(tmp_manifest, 2 * 3600)
        assert io.vacuum() == [tmp_manifest.relative_to(location).as_posix(),
                               "data/in-flight/f.parquet"]  # fmt: skip
    assert not in_flight.exists()
    assert sorted(every_version_reads(location)) == [1, 2]


def test_vacuum_retain_versions_expires_old_versions_and_only_their_files(
    tmp_path: Path,
) -> None:
    location = tmp_path / "s.hdmf"
    for v in range(1, 5):  # mode 'w': every version has files of its own
        with ParquetIO(location, "w") as io:
            io.write(table(rows=v))
    with ParquetIO(location, "a") as io:
        assert io.vacuum(older_than=timedelta(0)) == []  # no retention asked: nothing expires
        deleted = io.vacuum(older_than=timedelta(0), retain_versions=2)
    assert deleted[:2] == [version_key(1), version_key(2)]
    assert len(deleted) == 4  # and one data file of each
    assert [v.version for v in ParquetIO(location).versions()] == [3, 4]
    assert every_version_reads(location)[3]["t"][-1]["x"] == 2
    assert xs(location) == [0, 1, 2, 3]
    with ParquetIO(location, "a") as io:  # the store goes on
        t = io.read()
        t.add_row(x=4, s="r4")
        assert io.write(t) == 5


def test_vacuum_keeps_files_a_retained_version_shares_with_an_expired_one(
    tmp_path: Path,
) -> None:
    location = tmp_path / "s.hdmf"
    appended_store(location, 3)  # version 3 lists version 1's and 2's files too
    with ParquetIO(location, "a") as io:
        deleted = io.vacuum(older_than=timedelta(0), retain_versions=1)
    assert deleted == [version_key(1), version_key(2)]
    assert xs(location) == [0, 1, 2, 20, 30]


def test_vacuum_on_every_backend(store: Store) -> None:
    """Grace period and retention on local disk, memory:// and S3 (moto's server)."""
    for rows in (1, 2, 3):
        with ParquetIO(store, "w") as io:
            io.write(table(rows=rows))
    store.ensure_dir("data/crashed")
    store.create("data/crashed/orphan.parquet", b"left by a crash")
    with ParquetIO(store, "a") as io:
        assert io.vacuum() == []  # the orphan is young; no retention asked
        deleted = io.vacuum(older_than=timedelta(0), retain_versions=1)
    assert deleted[:2] == [version_key(1), version_key(2)]
    assert "data/crashed/orphan.parquet" in deleted
    assert len(deleted) == 5  # two manifests, their two files, the orphan
    with ParquetIO(store) as io:
        assert [v.version for v in io.versions()] == [3]
        assert [int(v) for v in io.read()["x"].data] == [0, 1, 2]
    with ParquetIO(store, "a") as io:
        assert io.vacuum(older_than=timedelta(0)) == []


def test_vacuum_grace_counts_the_stores_own_clock(store: Store) -> None:
    with ParquetIO(store, "w") as io:
        io.write(table())
    store.ensure_dir("data/crashed")
    store.create("data/crashed/orphan.parquet", b"x")
    modified = store.list_modified("data")["data/crashed/orphan.parquet"]
    assert modified is not None
    assert abs(modified - time.time()) < 600  # a real time, not a placeholder


@pytest.mark.parametrize(
    "kwargs",
    [{"retain_versions": 0}, {"retain_versions": True}, {"retain_versions": 1.5},
     {"older_than": timedelta(seconds=-1)}, {"older_than": 3600}],
)  # fmt: skip
def test_vacuum_refuses_bad_arguments(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    location = tmp_path / "s.hdmf"
    appended_store(location, 2)
    with pytest.raises(ValueError, match="vacuum: "):
        ParquetIO(location, "a").vacuum(**kwargs)


# -- 4. reads stay inside the store -----------------------------------------------------------


def test_a_symlinked_data_file_is_refused(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    data_file = next((location / "data").rglob("*.parquet"))
    outside = tmp_path / "outside.parquet"
    data_file.rename(outside)
    data_file.symlink_to(outside)
    with pytest.raises(UnsafePathError, match="is a symbolic link"):
        hdmf_arrow.read(location).to_arrow()


def test_a_symlinked_manifest_is_refused(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    outside = tmp_path / "manifest.json"
    (location / version_key(1)).rename(outside)
    (location / version_key(1)).symlink_to(outside)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        hdmf_arrow.read(location)


def _finishes(fn: Any, seconds: float = 10.0) -> BaseException | None:
    """Run ``fn`` in a thread; fail if it blocks. Returns what it raised."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as exc:  # the caller checks it
            raised.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the read blocked"
    return raised[0] if raised else None


def test_a_fifo_in_place_of_a_manifest_is_refused_without_blocking(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    key = location / version_key(2)
    os.mkfifo(key)
    error = _finishes(lambda: hdmf_arrow.read(location))
    assert isinstance(error, UnsafePathError), error
    assert "is a FIFO" in str(error)


def test_a_fifo_in_place_of_a_data_file_is_refused_without_blocking(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    data_file = next((location / "data").rglob("*.parquet"))
    data_file.unlink()
    os.mkfifo(data_file)
    error = _finishes(lambda: hdmf_arrow.read(location).to_arrow())
    assert isinstance(error, UnsafePathError), error


def test_a_huge_manifest_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    size = (location / version_key(1)).stat().st_size
    monkeypatch.setattr(_layout, "MAX_MANIFEST_BYTES", size - 1)
    with pytest.raises(StoreLimitError, match="larger than its limit"):
        hdmf_arrow.read(location)


def test_a_huge_cached_spec_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hdmf_arrow.io import _specs

    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    spec_file = sorted((location / "_hdmf" / "specs").rglob("*.yaml"))[0]
    key = spec_file.relative_to(location).as_posix()
    monkeypatch.setattr(_specs, "MAX_SPEC_BYTES", 10)
    with pytest.raises(CorruptStoreError, match="larger than its limit"):
        _specs._read(make_store(location), key)


def test_errors_do_not_quote_a_refused_manifest(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    secret = "SECRET-" + "x" * 50
    (location / version_key(2)).write_bytes(
        json.dumps({"format_version": "0.1.0", "version": secret, "root": {}}).encode()
    )
    with pytest.raises(CorruptStoreError) as info:
        hdmf_arrow.read(location)
    assert "SECRET" not in str(info.value)
    (location / version_key(2)).write_bytes(b'{"format_version": "' + secret.encode() * 40)
    with pytest.raises(CorruptStoreError) as info:
        hdmf_arrow.read(location)
    assert secret not in str(info.value)


# -- 5. the manifest cannot make a read lie ---------------------------------------------------


def grouped_store(location: Path) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=list(range(10)))
    options = ParquetOptions(row_group_bytes=1, min_row_group_rows=3)
    hdmf_arrow.write(t, location, options=options)


def test_row_groups_that_disagree_with_the_file_are_refused(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    grouped_store(location)
    doc = json.loads((location / version_key(1)).read_bytes())
    assert doc["root"]["files"][0]["row_groups"] == [3, 3, 3, 1]
    doc["root"]["files"][0]["row_groups"] = [1, 3, 3, 3]
    doc["version"] = 2
    (location / version_key(2)).write_bytes(json.dumps(doc).encode())
    t = hdmf_arrow.read(location)
    with pytest.raises(CorruptStoreError, match=r"row groups of \[1, 3, 3, 3\].*\[3, 3, 3, 1\]"):
        t[2]
    assert hdmf_arrow.read(location, version=1)[2]["x"].iloc[0] == 2


def test_a_data_file_whose_types_differ_from_the_manifest_is_refused(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    data_file = next((location / "data").rglob("*.parquet"))
    original = pq.read_table(data_file)
    changed = original.set_column(1, "x", pa.array([0, 1, 2], pa.int32()))
    pq.write_table(changed, data_file)
    relist_size(data_file)
    with pytest.raises(CorruptStoreError, match="column 'x' is int32 in the file, int64"):
        hdmf_arrow.read(location)["x"].data  # noqa: B018


# -- 6. versions and numbers ------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, True, False, 1.5, 1.0, "1", 10**20])
def test_bad_version_numbers_are_refused(tmp_path: Path, bad: Any) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    with pytest.raises(InvalidVersionError, match=r"version="):
        hdmf_arrow.read(location, version=bad)
    with pytest.raises(InvalidVersionError):
        ParquetIO(location, "r", version=bad)


def test_a_numpy_version_number_is_a_version(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    assert xs(location, np.int64(1)) == [0, 1, 2]  # type: ignore[arg-type]


def test_a_version_past_the_key_width_is_refused_not_committed_invisibly(
    tmp_path: Path,
) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    doc = json.loads((location / version_key(1)).read_bytes())
    last = _layout.MAX_VERSION
    doc.update(version=last, parent=1)
    (location / version_key(last)).write_bytes(json.dumps(doc).encode())
    with ParquetIO(location, "a") as io:
        t = io.read()
        t.add_row(x=3, s="r3")
        with pytest.raises(StoreLimitError, match="largest a manifest key holds"):
            io.write(t)
    assert [v.version for v in ParquetIO(location).versions()] == [1, last]


def test_a_manifest_whose_version_is_not_an_int_is_corrupt(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    doc = json.loads((location / version_key(1)).read_bytes())
    doc.update(version=2.0)
    (location / version_key(2)).write_bytes(json.dumps(doc).encode())
    with pytest.raises(CorruptStoreError, match="version numbers must be ints"):
        hdmf_arrow.read(location)


# -- 8. resources -----------------------------------------------------------------------------


def open_fds() -> int:
    return len(list(Path("/proc/self/fd").iterdir()))


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_a_table_keeps_no_file_descriptor_per_data_file(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(rows=1), location)
    for v in range(40):
        with ParquetIO(location, "a") as io:
            t = io.read()
            t.add_row(x=100 + v, s=f"v{v}")
            io.write(t)
    before = open_fds()
    t = hdmf_arrow.read(location)
    assert len(t.to_arrow()) == 41
    assert t[20]["x"].iloc[0] == 119
    assert t[5:30]["x"].tolist()[0] == 104
    assert open_fds() - before <= OpenFiles().limit  # bounded, not one per file (41)


def test_a_table_of_more_files_than_descriptors_reads(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    one_file_per_append = hdmf_arrow.ParquetOptions(merge_small_files=0)
    hdmf_arrow.write(table(rows=1), location, options=one_file_per_append)
    for v in range(100):
        with ParquetIO(location, "a", options=one_file_per_append) as io:
            t = io.read()
            t.add_row(x=100 + v, s=f"v{v}")
            io.write(t)
    assert len(hdmf_arrow.data_files(location)) == 101
    script = (
        "import resource, sys, hdmf_arrow\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))\n"
        "t = hdmf_arrow.read(sys.argv[1])\n"
        "print(len(t.to_arrow()), t[77, 'x'], t[3:99]['x'].sum())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(location)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["101", "176", str(sum(range(102, 198)))]


def test_a_cell_read_touches_one_row_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hdmf_arrow.io._parquet import TableFiles

    location = tmp_path / "s.hdmf"
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=list(range(100)))
    t.add_column("y", "y", data=[float(i) for i in range(100)])
    hdmf_arrow.write(t, location, options=ParquetOptions(row_group_bytes=1, min_row_group_rows=10))
    read_groups: list[tuple[int, str]] = []
    whole: list[list[str]] = []
    original_groups, original_whole = TableFiles._groups, TableFiles._read_whole

    def spy_groups(self: TableFiles, groups: Any, names: Any) -> Any:
        read_groups.extend((k, name) for k in groups for name in names)
        return original_groups(self, groups, names)

    def spy_whole(self: TableFiles, names: Any) -> Any:
        whole.append(list(names))
        return original_whole(self, names)

    monkeypatch.setattr(TableFiles, "_groups", spy_groups)
    monkeypatch.setattr(TableFiles, "_read_whole", spy_whole)
    stored = hdmf_arrow.read(location)
    assert stored[42, "y"] == 42.0
    assert whole == []
    assert read_groups == [(4, "y")]


# -- 9. values the store cannot hold (a store's side) ----------------------------------------


@pytest.mark.parametrize("index", [False, True])
def test_an_untyped_empty_column_takes_values_after_a_round_trip(
    tmp_path: Path, index: bool
) -> None:
    """Stored before any value gave it a type (Arrow null), it widens as in memory."""
    location = tmp_path / "s.hdmf"
    t = DynamicTable(name="t", description="d")
    t.add_column("r", "r", index=index)
    hdmf_arrow.write(t, location)
    with ParquetIO(location, "a") as io:
        t = io.read()
        t.add_row(r=[2.0, 3.0] if index else 2.0)
        assert io.write(t) == 2
    back = hdmf_arrow.read(location).to_arrow()
    assert back.column("r").to_pylist() == ([[2.0, 3.0]] if index else [2.0])


# -- found by a hostile review ----------------------------------------------------------------


def test_vacuum_refuses_a_folder_that_holds_no_version(tmp_path: Path) -> None:
    location = tmp_path / "not-a-store"
    precious = location / "data" / "photos" / "holiday.jpg"
    precious.parent.mkdir(parents=True)
    precious.write_text("precious")
    age(precious, 10 * 3600)
    with pytest.raises(CorruptStoreError, match="holds no version"):
        ParquetIO(location, "a").vacuum()
    assert precious.read_text() == "precious"


def test_vacuum_refuses_a_manifest_hidden_in_a_directory(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    for rows in (1, 2):
        with ParquetIO(location, "w") as io:
            io.write(table(rows=rows))
    manifest = location / version_key(1)
    content = manifest.read_bytes()
    manifest.unlink()
    manifest.mkdir()
    (manifest / "content").write_bytes(content)  # as a bad restore may leave it
    before = files_under(location)
    with pytest.raises(CorruptStoreError, match="is not a manifest"):
        ParquetIO(location, "a").vacuum(older_than=timedelta(0))
    assert files_under(location) == before


@pytest.mark.parametrize(
    ("key", "value"),
    [("value_counts", {"r": [-5]}), ("null_counts", {"x": -1}), ("value_counts", [1])],
)
def test_counts_in_a_manifest_are_checked(tmp_path: Path, key: str, value: Any) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    doc = json.loads((location / version_key(1)).read_bytes())
    doc["root"]["files"][0][key] = value
    doc["version"] = 2
    (location / version_key(2)).write_bytes(json.dumps(doc).encode())
    with pytest.raises(CorruptStoreError, match="count"):
        ParquetIO(location, "a").read()
    assert [v.version for v in ParquetIO(location).versions()] == [1, 2]  # nothing committed


def test_a_control_character_in_a_manifest_path_is_refused(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    doc = json.loads((location / version_key(1)).read_bytes())
    doc["root"]["files"][0]["path"] = doc["root"]["files"][0]["path"][:-8] + "\x00.parquet"
    doc["version"] = 2
    (location / version_key(2)).write_bytes(json.dumps(doc).encode())
    with pytest.raises(HdmfArrowError, match="leaves the store or is not a relative path"):
        hdmf_arrow.read(location).to_arrow()


@pytest.mark.parametrize(
    "damage",
    [
        lambda root: root.update(files="nope"),
        lambda root: root.update(schema=5),
        lambda root: root.update(table=None),
        lambda root: root.update(children="nope"),
    ],
)
def test_describe_reports_a_malformed_tree(tmp_path: Path, damage: Any) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    doc = json.loads((location / version_key(1)).read_bytes())
    damage(doc["root"])
    doc["version"] = 2
    (location / version_key(2)).write_bytes(json.dumps(doc).encode())
    with pytest.raises(CorruptStoreError, match="version"):
        ParquetIO(location).describe()


@pytest.mark.parametrize(
    "call",
    [
        lambda loc: ParquetIO(loc, "x"),  # type: ignore[arg-type]
        lambda loc: ParquetIO(loc, "a", version=1),
        lambda loc: ParquetIO(123),  # type: ignore[arg-type]
        lambda loc: ParquetIO(f"{loc}\x00b"),
        lambda loc: ParquetIO(loc, "w", options=5).write(table()),  # type: ignore[arg-type]
        lambda loc: ParquetIO(loc, "w").write("x"),  # type: ignore[arg-type]
        lambda loc: ParquetIO(loc.parent / "empty", "r"),
        lambda loc: ParquetIO(loc, "a").vacuum(older_than=5),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_raise_hdmf_arrow_errors(tmp_path: Path, call: Any) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(table(), location)
    with pytest.raises(HdmfArrowError):
        call(location)


def test_reading_a_wide_table_opens_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading is linear in the columns: not a file open (with pyarrow's per-open work over
    every column) per column, which made 10,000 columns take 24 s. benchmarks/wide.py times it.
    """
    from hdmf_arrow.storage import LocalStore

    location = tmp_path / "s.hdmf"
    data = pa.table({f"c{i}": np.arange(5, dtype=np.float64) for i in range(300)})
    hdmf_arrow.write(DynamicTable.from_arrow(data, name="wide"), location)
    opens: list[str] = []
    original = LocalStore.open_input

    def counting_open(self: LocalStore, key: str, size: int | None = None) -> Any:
        opens.append(key)
        return original(self, key, size)

    monkeypatch.setattr(LocalStore, "open_input", counting_open)
    monkeypatch.setattr(pq, "ParquetFile", None)  # pyarrow's per-open Python work: not used
    stored = hdmf_arrow.read(location)
    assert stored.to_arrow().select(data.column_names).equals(data)
    assert len(opens) <= 2  # the footer once, the data once: not once per column
    fresh, before = hdmf_arrow.read(location), len(opens)
    for name in ("c7", "c8", "c299"):  # column after column: the open file is kept
        assert fresh[name].data.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert len(opens) - before <= 2


def test_a_bad_table_path_raises_hdmf_arrow_errors(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(SimpleMultiContainer("root", [table("a")]), location)
    with pytest.raises(HdmfArrowError, match="no container 'nope'"):
        hdmf_arrow.data_files(location, "nope")
    with pytest.raises(HdmfArrowError, match="not a table"):
        hdmf_arrow.data_files(location, "")
