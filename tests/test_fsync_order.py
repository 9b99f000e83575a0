"""What a commit on local disk fsyncs, how often, and in which order (docs/format.md, 5.1).

A power loss must never leave a committed manifest naming a file or directory that is lost:
before the manifest's link, every new file it names is fsynced (with its final contents), and
every directory that got a new entry on the way from the store's root to those files is
fsynced after that entry existed. The fsyncs are recorded (no timing): each one with the path
it synced and, for a directory, the names it held at that moment.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import InvalidKeyError, ReadOnlyStoreError
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.io._layout import VERSIONS, version_key
from hdmf_arrow.io._parquet import ParquetOptions
from hdmf_arrow.storage import LocalStore, Store, make_store

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/fd to name fsynced files"
)


@dataclass
class Event:
    op: str  # "fsync" or "link"
    path: Path
    names: frozenset[str] = frozenset()  # a directory's entries when it was fsynced
    size: int = -1  # a file's size when it was fsynced
    inode: int = -1  # a file's inode (a temporary file and its link share it)


@dataclass
class Recorder:
    events: list[Event] = field(default_factory=list)

    def fsyncs(self) -> list[Event]:
        return [e for e in self.events if e.op == "fsync"]

    def manifest_link(self, store: Path, version: int) -> int:
        target = store / version_key(version)
        found = [i for i, e in enumerate(self.events) if e.op == "link" and e.path == target]
        assert len(found) == 1, f"manifest {target} linked {len(found)} times"
        return found[0]


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder()
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd: int) -> None:
        path = Path(f"/proc/self/fd/{fd}").readlink()
        info = os.fstat(fd)
        if path.is_dir():
            event = Event("fsync", path, names=frozenset(p.name for p in path.iterdir()))
        else:
            event = Event("fsync", path, size=info.st_size, inode=info.st_ino)
        real_fsync(fd)
        rec.events.append(event)  # list.append is atomic: fsyncs run in threads

    def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        real_link(src, dst, *args, **kwargs)
        rec.events.append(Event("link", Path(dst)))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    return rec


def _tree(n: int = 50) -> SimpleMultiContainer:
    target = DynamicTable(name="target", description="rows regions point at")
    target.add_column("x", "a float", dtype="float")
    for i in range(5):
        target.add_row(x=float(i))
    units = DynamicTable(name="units", description="units")
    units.add_column("i", "an int", dtype="int")
    units.add_column("r", "ragged", index=True)
    units.add_column("reg", "a row of the target", table=target)
    for i in range(n):
        units.add_row(i=i, r=[float(j) for j in range(i % 4)], reg=i % 5)
    return SimpleMultiContainer(name="root", containers=[target, units])


def _entries(root: Path) -> set[Path]:
    """Every file and directory at or below ``root`` (the root included)."""
    out = {root}
    for directory, dirs, files in os.walk(root):
        out.update(Path(directory, name) for name in (*dirs, *files))
    return out


def _named_files(root: Path, version: int) -> set[Path]:
    """The files the manifest of ``version`` names: its data files and its cached specs."""
    doc = json.loads((root / version_key(version)).read_bytes())
    files: set[Path] = set()

    def walk(node: dict[str, Any]) -> None:
        files.update(root / f["path"] for f in node.get("files", ()))
        for key in ("children", "members", "categories"):
            for child in node.get(key, ()):
                walk(child)

    walk(doc["root"])
    for entry in doc["namespaces"]:
        files.update(p for p in (root / entry["path"]).iterdir() if p.is_file())
    return files | {root / version_key(version)}


def _check_durable_before_link(rec: Recorder, root: Path, version: int, before: set[Path]) -> None:
    """Every new file the manifest names was fsynced whole before the manifest's link (the
    manifest itself through its temporary file), and every entry new since ``before`` on the
    path from the root's parent to those files was in its directory when that directory was
    fsynced before the link (the manifest's own entry: after it)."""
    link = rec.manifest_link(root, version)
    manifest = root / version_key(version)
    done = rec.events[:link]
    synced_files = {e.inode: e.size for e in done if e.op == "fsync" and e.size >= 0}
    for path in _named_files(root, version) - before:  # the manifest: its temporary file
        info = path.stat()
        assert synced_files.get(info.st_ino) == info.st_size, f"{path} not fsynced whole"
    needed: set[tuple[Path, str]] = set()
    for path in _named_files(root, version) - {manifest}:
        for entry in (path, *path.parents):
            if entry not in before and (entry == root or root in entry.parents):
                needed.add((entry.parent, entry.name))
    for directory, name in sorted(needed):
        assert any(e.path == directory and name in e.names for e in done if e.size < 0), (
            f"the entry {name!r} of {directory} was not fsynced before the manifest's link"
        )
    after = [e for e in rec.events[link + 1 :] if e.op == "fsync"]
    assert any(e.path == manifest.parent and manifest.name in e.names for e in after)


def test_new_store_fsyncs_each_file_and_directory_once(tmp_path: Path, recorder: Recorder) -> None:
    root = tmp_path / "s.hdmf"
    hdmf_arrow.write(_tree(), root)
    _check_durable_before_link(recorder, root, 1, before=set())
    fsynced = [e.path for e in recorder.fsyncs()]
    assert len(fsynced) == len(set(fsynced)), f"fsynced twice: {sorted(fsynced)}"
    files = {p for p in _entries(root) if p.is_file()}
    dirs = {p for p in _entries(root) if p.is_dir()}
    # every file once (the manifest through its temporary file), every directory once,
    # and the root's parent (for the root's entry): 25 fsyncs for this tree before batching
    assert len(fsynced) == len(files) + len(dirs) + 1
    synced_dirs = {e.path for e in recorder.fsyncs() if e.size < 0}
    assert synced_dirs == dirs | {tmp_path}


def test_new_store_fsync_count(tmp_path: Path, recorder: Recorder) -> None:
    hdmf_arrow.write(_tree(), tmp_path / "s.hdmf")
    # 2 data files + 5 cached spec files (hdmf-common) + 1 manifest; the directories: the
    # root's parent, the root, data/ and one per table, _hdmf/, _hdmf/versions/ and the
    # three levels of _hdmf/specs/hdmf-common/<version>/ (25 before batching)
    assert len(recorder.fsyncs()) == 8 + 10


def test_append_fsyncs_the_new_file_its_directory_and_the_manifest(
    tmp_path: Path, recorder: Recorder
) -> None:
    root = tmp_path / "s.hdmf"
    hdmf_arrow.write(_tree(), root)
    before = _entries(root)
    recorder.events.clear()
    io = ParquetIO(root, "a")
    tree = io.read()
    units = tree["units"]
    units.add_row(i=-1, r=[1.0], reg=0)
    assert io.write(tree) == 2
    _check_durable_before_link(recorder, root, 2, before)
    new = _entries(root) - before
    fsynced = sorted(str(e.path.relative_to(root)) for e in recorder.fsyncs())
    new_files = sorted(str(p.relative_to(root)) for p in new if p.is_file())
    assert new_files == [version_key(2), *[f for f in new_files if f.startswith("data/")]]
    data_file = next(f for f in new_files if f.startswith("data/"))
    tmp = [f for f in fsynced if f.endswith(".tmp")]
    # no spec and no directory is new: the file, its directory, the manifest and its
    # directory (as before batching)
    assert sorted(fsynced) == sorted([data_file, data_file.rsplit("/", 1)[0], *tmp, VERSIONS])


def test_table_written_as_several_files_fsyncs_their_directory_once(
    tmp_path: Path, recorder: Recorder
) -> None:
    root = tmp_path / "s.hdmf"
    options = ParquetOptions(
        parallel_file_bytes=1, write_threads=3, min_row_group_rows=1, max_row_group_rows=20
    )
    hdmf_arrow.write(_tree(200), root, options=options)
    _check_durable_before_link(recorder, root, 1, before=set())
    units_files = [p for p in _named_files(root, 1) if p.suffix == ".parquet"]
    dirs = {p.parent for p in units_files}
    assert any(len([p for p in units_files if p.parent == d]) > 1 for d in dirs), units_files
    fsynced = [e.path for e in recorder.fsyncs()]
    for directory in dirs:
        assert fsynced.count(directory) == 1, directory


def test_directories_are_fsynced_before_the_link_even_when_made_earlier(
    tmp_path: Path, recorder: Recorder
) -> None:
    """``ensure_dir(..., defer_sync=True)`` and ``sync`` leave the directories to the next
    ``create``, which fsyncs them before its link."""
    store = LocalStore(tmp_path / "store")
    store.ensure_dir("data/obj", defer_sync=True)
    (tmp_path / "store" / "data" / "obj" / "f.bin").write_bytes(b"abc")
    store.sync("data/obj/f.bin")
    synced_so_far = [e.path for e in recorder.fsyncs()]
    assert synced_so_far == [tmp_path / "store" / "data" / "obj" / "f.bin"]  # no directory yet
    store.create("m/1.json", b"{}")
    link = next(i for i, e in enumerate(recorder.events) if e.op == "link")
    before = {e.path: e.names for e in recorder.events[:link] if e.op == "fsync"}
    assert "store" in before[tmp_path]
    assert {"data", "m"} <= before[tmp_path / "store"]
    assert "obj" in before[tmp_path / "store" / "data"]
    assert "f.bin" in before[tmp_path / "store" / "data" / "obj"]
    assert "1.json" in recorder.events[-1].names  # m/ after the link
    recorder.events.clear()
    store.create("m/2.json", b"{}")  # nothing left over: the file and its directory
    tmp, directory = recorder.fsyncs()
    assert (tmp.path.parent, directory.path) == (tmp_path / "store" / "m",) * 2


def test_create_many_fsyncs_each_file_before_its_link(tmp_path: Path, recorder: Recorder) -> None:
    store = LocalStore(tmp_path / "store")
    items = {f"a/b/{i}.yaml": f"doc {i}".encode() for i in range(5)}
    assert store.create_many(items) == []
    links = [i for i, e in enumerate(recorder.events) if e.op == "link"]
    first_link = links[0]
    synced = [e for e in recorder.events[:first_link] if e.op == "fsync"]
    assert len(synced) == 5
    assert all(e.size == len(b"doc 0") for e in synced)
    assert not [e for e in recorder.fsyncs() if e.size < 0]  # directories: at the next create
    store.create("a/b/m.json", b"{}")
    dirs = [e for e in recorder.fsyncs() if e.size < 0]
    ab = tmp_path / "store" / "a" / "b"
    assert [e.path for e in dirs].count(ab) == 2  # the batch's entries, then m.json's
    assert {f"{i}.yaml" for i in range(5)} <= next(e.names for e in dirs if e.path == ab)


def test_failed_fsync_leaves_no_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LocalStore(tmp_path / "store")
    store.create("keep.json", b"1")
    real = os.fsync

    def failing(fd: int) -> None:
        if Path(f"/proc/self/fd/{fd}").readlink().name.endswith(".tmp"):
            raise OSError(5, "Input/output error")
        real(fd)

    monkeypatch.setattr(os, "fsync", failing)
    with pytest.raises(OSError, match="Input/output"):
        store.create_many({"x/1.yaml": b"1", "x/2.yaml": b"2"})
    with pytest.raises(OSError, match="Input/output"):
        store.create("v/1.json", b"1")
    monkeypatch.setattr(os, "fsync", real)
    assert sorted(p.name for p in _entries(tmp_path / "store") if p.is_file()) == ["keep.json"]


# -- create_many on every backend ----------------------------------------------------------------


@pytest.fixture(params=["local", "memory"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "local":
        return make_store(tmp_path / "store")
    return make_store(request.getfixturevalue("memory_url"))


def test_create_many_creates_and_keeps_what_exists(any_store: Store) -> None:
    any_store.create("s/ns/1/b.yaml", b"old b")
    items = {"s/ns/1/a.yaml": b"a", "s/ns/1/b.yaml": b"new b", "s/ns/1//c.yaml": b"c"}
    assert any_store.create_many(items) == ["s/ns/1/b.yaml"]
    assert any_store.read("s/ns/1/a.yaml") == b"a"
    assert any_store.read("s/ns/1/b.yaml") == b"old b"  # never changed
    assert any_store.read("s/ns/1/c.yaml") == b"c"
    assert any_store.list("s") == ["s/ns/1/a.yaml", "s/ns/1/b.yaml", "s/ns/1/c.yaml"]
    assert any_store.create_many({}) == []


def test_create_many_refuses_bad_and_duplicate_keys(any_store: Store) -> None:
    with pytest.raises(InvalidKeyError, match="leaves the store"):
        any_store.create_many({"ok.yaml": b"1", "../x.yaml": b"2"})
    with pytest.raises(InvalidKeyError, match="are the same key"):
        any_store.create_many({"a/b.yaml": b"1", "a//b.yaml": b"2"})
    assert not any_store.exists("ok.yaml")  # refused before anything was written
    assert not any_store.exists("a/b.yaml")


def test_create_many_refuses_a_read_only_store(tmp_path: Path) -> None:
    store = LocalStore(tmp_path, read_only=True)
    with pytest.raises(ReadOnlyStoreError, match="read-only"):
        store.create_many({"a.yaml": b"1"})
    assert list(tmp_path.iterdir()) == []


def test_written_store_reads_back_after_batched_fsyncs(tmp_path: Path) -> None:
    root = tmp_path / "s.hdmf"
    hdmf_arrow.write(_tree(), root)
    tree = hdmf_arrow.read(root)
    assert len(tree["units"]) == 50
    assert tree["units"]["reg"].table.name == "target"
    assert not [p for p in _entries(root) if p.name.endswith(".tmp")]


def test_new_directory_under_an_existing_one_fsyncs_up_to_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The existing directories above a new one may be a concurrent writer's, whose own fsync
    of them is still to come: they are fsynced too, up to the store's root."""
    from hdmf_arrow.storage import _local

    store = LocalStore(tmp_path / "store")
    store.ensure_dir("data/a")
    synced: list[Path] = []
    monkeypatch.setattr(_local, "_fsync_dir", synced.append)
    store.ensure_dir("data/a/b/c")
    root = tmp_path / "store"
    assert synced == [root / "data" / "a", root / "data" / "a" / "b", root / "data", root]
    synced.clear()
    store.ensure_dir("data/a/b/c")  # nothing new: nothing to fsync
    assert synced == []


def test_a_local_store_with_directories_to_flush_pickles(tmp_path: Path) -> None:
    # Dask sends stores to its workers: the locks are made anew, nothing is left to flush
    import pickle

    from hdmf_arrow.storage import make_store

    store = make_store(tmp_path / "s")
    store.ensure_dir("data/t", defer_sync=True)
    clone = pickle.loads(pickle.dumps(store))
    clone.create("data/t/x", b"1")
    assert clone.read("data/t/x") == b"1"
    store.create("data/t/y", b"2")  # the original still flushes its own
    assert store.read("data/t/y") == b"2"
