"""Crash safety and concurrency of the Parquet store (local disk).

- Writers in subprocesses (tests/_writer.py) are killed with SIGKILL, at random moments and at
  each step of a commit: every version they reported stays whole, nothing partial is visible,
  and ``vacuum`` removes exactly the leftovers.
- Writers that race for the same version: exactly one wins, the others get StoreConflictError.
- Damaged or hostile stores give clear errors naming the file, and never touch older versions.

The random parts are seeded (``SEED``): a failure reproduces with the same seed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import random
import re
import shutil
import signal
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _child import Child, reaped

import hdmf_arrow
from hdmf_arrow.errors import (
    CorruptStoreError,
    FormatVersionError,
    HdmfArrowError,
    InvalidKeyError,
    ReadOnlyStoreError,
    StoreConflictError,
)
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.io._layout import Manifest, data_files, version_key

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL and os.link")

WRITER = Path(__file__).with_name("_writer.py")
_spec = importlib.util.spec_from_file_location("_crash_writer", WRITER)
assert _spec is not None
assert _spec.loader is not None
_writer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_writer)
batch_rows = _writer.batch_rows
rows_through = _writer.rows_through
new_table = _writer.new_table
DIE_POINTS: tuple[str, ...] = _writer.DIE_POINTS

SEED = 20240611
KILLS = 16
MANIFEST_NAME = re.compile(r"^(\d{20})\.json$")
TMP_MANIFEST_NAME = re.compile(r"^\.\d{20}\.json\.[0-9a-f]{32}\.tmp$")
DATA_FILE = re.compile(r"^data/[0-9a-f-]{36}/[0-9a-f]{32}\.parquet$")


# -- writer subprocesses -------------------------------------------------------------------


class Writer(Child):
    """A tests/_writer.py subprocess (see tests/_child.py)."""

    what = "writer"

    def __init__(self, *args: str | Path) -> None:
        super().__init__(WRITER, *args)

    def go(self) -> None:
        """Let a writer started with ``--wait`` open the store."""
        self.send("go")


def writers() -> contextlib.AbstractContextManager[list[Writer]]:
    """A list to start writers in; any still running at the end are killed (no orphans)."""
    return reaped(Writer)


def start(started: list[Writer], *args: str | Path) -> Writer:
    writer = Writer(*args)
    started.append(writer)
    return writer


# -- checking a store ----------------------------------------------------------------------


def payload(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"k": r["k"], "s": r["s"], "r": r["r"]} for r in rows]


def check_version(store: Path, version: int | None, expected: int) -> None:
    """The version (newest if None) holds exactly the rows of commits 1..``expected``."""
    want = rows_through(expected)
    with ParquetIO(store, "r", version=version) as io:
        assert io.version == expected
        table = io.read()
        assert len(table) == len(want)
        rows = table.to_arrow().to_pylist()
    assert [r["id"] for r in rows] == list(range(len(want))), "ids not 0..n-1 (lost/dup rows)"
    assert payload(rows) == want


def check_newest(store: Path, expected: int) -> None:
    """Through the public API, column by column: values, unique ids, ragged cells."""
    want = rows_through(expected)
    table = hdmf_arrow.read(store)
    ids = [int(i) for i in table.id.data]
    assert ids == list(range(len(want)))
    assert len(set(ids)) == len(ids)
    assert [int(k) for k in table["k"].data] == [r["k"] for r in want]
    assert list(table["s"].data) == [r["s"] for r in want]
    assert [list(cell) for cell in table["r"][:]] == [r["r"] for r in want]


def check_length(store: Path, version: int) -> None:
    with ParquetIO(store, "r", version=version) as io:
        assert io.version == version
        assert len(io.read()) == len(rows_through(version))


def manifest_names(store: Path) -> tuple[list[str], list[str]]:
    """(manifest file names, leftover temporary file names) in _hdmf/versions."""
    folder = store / "_hdmf" / "versions"
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    manifests = [n for n in names if MANIFEST_NAME.match(n)]
    others = [n for n in names if not MANIFEST_NAME.match(n)]
    assert all(TMP_MANIFEST_NAME.match(n) for n in others), f"unexpected files: {others}"
    return manifests, others


def check_manifests(store: Path, seen: dict[str, bytes]) -> int:
    """Every manifest parses and chains to its parent; versions are 1..N with no gap; a
    manifest seen before is byte-for-byte unchanged. Returns N."""
    manifests, _ = manifest_names(store)
    numbers = [int(n[:20]) for n in manifests]
    assert numbers == list(range(1, len(numbers) + 1)), f"versions with gaps: {numbers}"
    for name, n in zip(manifests, numbers, strict=True):
        raw = (store / "_hdmf" / "versions" / name).read_bytes()
        if name in seen:
            assert raw == seen[name], f"manifest {name} changed after it was committed"
            continue
        m = Manifest.parse(raw, source=name)  # raises on a partial manifest
        assert m.version == n
        assert m.parent == (n - 1 if n > 1 else None)
        assert m.root["num_rows"] == len(rows_through(n))
        seen[name] = raw
    return len(numbers)


def store_files(store: Path) -> set[str]:
    return {p.relative_to(store).as_posix() for p in store.rglob("*") if p.is_file()}


def referenced_files(store: Path) -> set[str]:
    """Data files any manifest refers to (read from the JSON by hand, not through vacuum)."""
    out: set[str] = set()
    for name in manifest_names(store)[0]:
        doc = json.loads((store / "_hdmf" / "versions" / name).read_bytes())
        out.update(data_files(doc["root"]))
    return out


def check_vacuum(store: Path, rng: random.Random) -> list[str]:
    """vacuum deletes exactly the unreferenced files and the temporary manifests; every
    version reads the same afterwards; a second (dry) run finds nothing."""
    latest = check_manifests(store, {})
    referenced = referenced_files(store)
    before = store_files(store)
    data = {f for f in before if f.startswith("data/")}
    assert all(DATA_FILE.match(f) for f in data), sorted(data)
    assert referenced <= data, f"referenced files missing: {sorted(referenced - data)}"
    _, tmps = manifest_names(store)
    garbage = sorted((data - referenced) | {f"_hdmf/versions/{n}" for n in tmps})
    with ParquetIO(store, "a") as io:
        assert sorted(io.vacuum(older_than=timedelta(0), dry_run=True)) == garbage
        assert store_files(store) == before, "a dry run deleted files"
        assert sorted(io.vacuum(older_than=timedelta(0))) == garbage
    after = store_files(store)
    assert after == before - set(garbage)
    assert {f for f in after if f.startswith("data/")} == referenced
    for v in range(1, latest + 1):
        check_length(store, v)
    for v in sorted(rng.sample(range(1, latest + 1), min(5, latest))):
        check_version(store, v, v)
    check_newest(store, latest)
    with ParquetIO(store, "a") as io:
        assert io.vacuum(older_than=timedelta(0), dry_run=True) == []
    return garbage


def assert_not_a_store(store: Path) -> None:
    with pytest.raises(FileNotFoundError, match="is not an hdmf-arrow store") as info:
        hdmf_arrow.read(store)
    assert str(store) in str(info.value)


# -- 1. SIGKILL ----------------------------------------------------------------------------


def test_sigkill_at_random_moments_loses_no_committed_version(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    store = tmp_path / "store"
    reported: list[int] = []
    seen: dict[str, bytes] = {}
    latest = 0
    with writers() as started:
        # each writer is started (and imports) while the one before runs; it opens the store
        # only after the kill and the checks
        writer = start(started, "append", store, "--wait")
        for kill in range(KILLS):
            writer.go()
            assert writer.next_line() == f"ready {latest}"
            final = kill == KILLS - 1
            upcoming = start(started, "append", store, "--wait", *(["--commits", "3"] * final))
            # the first kill lands in the store's creation (or just after it)
            time.sleep(rng.uniform(0.0, 0.012 if kill == 0 else 0.1))
            writer.kill()
            code, lines, err = writer.finish()
            assert code == -signal.SIGKILL, f"the writer died on its own (exit {code}):\n{err}"
            new = [int(line) for line in lines]
            assert new == list(range(latest + 1, latest + 1 + len(new)))
            reported += new

            latest = check_manifests(store, seen)
            last = reported[-1] if reported else 0
            # at most one version can be committed but not yet reported
            assert last <= latest <= last + 1, (reported[-3:], latest)
            if latest == 0:
                assert_not_a_store(store)
            else:
                check_newest(store, latest)
                for v in new:
                    check_length(store, v)
                sample = rng.choice(reported or [latest])
                check_version(store, sample, sample)
            writer = upcoming

        # the store keeps growing normally after all this
        writer.go()
        code, lines, err = writer.finish()
        assert code == 0, err
        assert lines == [f"ready {latest}", *(str(latest + i) for i in (1, 2, 3))]
    latest += 3
    assert check_manifests(store, seen) == latest
    assert latest > KILLS, f"the writers committed too little ({latest}) for the test to mean much"
    check_vacuum(store, rng)


@pytest.mark.parametrize("point", DIE_POINTS)
def test_sigkill_at_each_step_of_a_commit(tmp_path: Path, point: str) -> None:
    store = tmp_path / "store"
    visible = point in ("manifest-linked", "after-commit")  # the version survives the kill

    with writers() as started:
        first = start(started, "append", store, "--wait", "--die-at", point, "--die-version", "1")
        second = start(started, "append", store, "--wait", "--die-at", point, "--die-version", "4")

        # killed while creating the store: not a store at all, or a whole version 1
        first.go()
        code, lines, err = first.finish()
        assert code == -signal.SIGKILL, err
        assert lines == ["ready 0"]
        if visible:
            assert check_manifests(store, {}) == 1
            check_newest(store, 1)
        else:
            assert_not_a_store(store)
            assert manifest_names(store)[0] == []

        # restarted: commits up to version 3, then is killed committing version 4
        second.go()
        code, lines, err = second.finish()
        assert code == -signal.SIGKILL, err
        begin = 1 if visible else 0
        assert lines == [f"ready {begin}", *(str(v) for v in range(begin + 1, 4))]
    latest = 4 if visible else 3
    assert check_manifests(store, {}) == latest
    check_newest(store, latest)
    for v in range(1, latest + 1):
        check_version(store, v, v)

    # and the store carries on from the newest version
    with ParquetIO(store, "a") as io:
        assert io.version == latest
        table = io.read()
        for c in (latest + 1, latest + 2):
            for row in batch_rows(c):
                table.add_row(**row)
            assert io.write(table) == c
    check_newest(store, latest + 2)

    # the leftovers of the two kills are exactly what that step leaves behind
    referenced = referenced_files(store)
    orphans = sorted(f for f in store_files(store) if f.startswith("data/") and f not in referenced)
    tmps = manifest_names(store)[1]
    want_orphans = 2 if point in ("parquet-footer", "data-file", "manifest-tmp") else 0
    want_tmps = 2 if point in ("manifest-tmp", "manifest-linked") else 0
    assert (len(orphans), len(tmps)) == (want_orphans, want_tmps), (orphans, tmps)
    if point == "parquet-footer":  # the kill really cut a data file short
        for f in orphans:
            with pytest.raises(pa.ArrowInvalid):
                pq.read_metadata(store / f)
    garbage = check_vacuum(store, random.Random(SEED))
    assert len(garbage) == want_orphans + want_tmps


# -- 2. conflicts --------------------------------------------------------------------------


def _write_base(store: Path, commits: int) -> None:
    with ParquetIO(store, "a") as io:
        table = new_table()
        for c in range(1, commits + 1):
            for row in batch_rows(c):
                table.add_row(**row)
            assert io.write(table) == c


def test_second_writer_at_the_same_version_gets_a_conflict(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _write_base(store, 1)
    base = payload(rows_through(1))
    winner_row = {"k": 777, "s": "winner", "r": [7.0]}
    loser_row = {"k": 888, "s": "loser", "r": [8.0, 8.5]}

    first, second = ParquetIO(store, "a"), ParquetIO(store, "a")
    assert first.version == second.version == 1
    t1, t2 = first.read(), second.read()
    t1.add_row(**winner_row)
    t2.add_row(**loser_row)
    assert first.write(t1) == 2
    with pytest.raises(StoreConflictError) as info:
        second.write(t2)
    assert isinstance(info.value, FileExistsError)
    message = str(info.value)
    assert "version 2" in message
    assert str(store) in message
    assert "from version 1" in message

    assert [v.version for v in ParquetIO(store, "r").versions()] == [1, 2]
    rows = hdmf_arrow.read(store).to_arrow().to_pylist()
    assert payload(rows) == [*base, winner_row]
    assert [r["id"] for r in rows] == list(range(len(base) + 1))
    check_version(store, 1, 1)
    # the loser's data file was written, but nothing refers to it
    with ParquetIO(store, "a") as io:
        orphans = io.vacuum(older_than=timedelta(0), dry_run=True)
    assert len(orphans) == 1
    assert orphans[0].endswith(".parquet")

    # reopen, apply the change again: it commits on top of the winner's
    with ParquetIO(store, "a") as again:
        t3 = again.read()
        t3.add_row(**loser_row)
        assert again.write(t3) == 3
    rows = hdmf_arrow.read(store).to_arrow().to_pylist()
    assert payload(rows) == [*base, winner_row, loser_row]
    assert [r["id"] for r in rows] == list(range(len(base) + 2))
    # the winner's IO is pinned at version 2, no longer the newest: it conflicts now
    t1.add_row(k=999, s="late", r=[])
    with pytest.raises(StoreConflictError, match="version 3"):
        first.write(t1)
    assert payload(hdmf_arrow.read(store).to_arrow().to_pylist())[-1] == loser_row


def test_vacuum_keeps_the_files_of_every_version(tmp_path: Path) -> None:
    """Versions written in mode "w" share no files: vacuum must keep the old ones too."""
    store = tmp_path / "store"
    for c in (1, 2):  # each version is a whole new table in new files
        table = new_table()
        for row in batch_rows(c):
            table.add_row(**row)
        assert hdmf_arrow.write(table, store, mode="overwrite") == c
    loser = ParquetIO(store, "a")
    with ParquetIO(store, "a") as io:
        table = io.read()
        table.add_row(k=1, s="winner", r=[])
        assert io.write(table) == 3
    table = loser.read()
    table.add_row(k=2, s="loser", r=[])
    with pytest.raises(StoreConflictError):
        loser.write(table)
    files = {v: set(data_files(manifest_doc(store, v)["root"])) for v in (1, 2, 3)}
    assert not files[1] & files[2], "mode 'w' was expected to write new files"
    orphans = sorted(f for f in store_files(store) if f.startswith("data/"))
    orphans = sorted(set(orphans) - files[1] - files[2] - files[3])
    assert len(orphans) == 1
    with ParquetIO(store, "a") as io:
        assert io.vacuum(older_than=timedelta(0)) == orphans
    for v in (1, 2):
        with ParquetIO(store, "r", version=v) as io:
            assert payload(io.read().to_arrow().to_pylist()) == batch_rows(v)
    rows = hdmf_arrow.read(store).to_arrow().to_pylist()
    assert payload(rows)[-1] == {"k": 1, "s": "winner", "r": []}
    assert len(rows) == len(batch_rows(2)) + 1


RACERS = 4
ROUNDS = 4


def test_racing_processes_commit_exactly_one_version_per_round(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _write_base(store, 1)
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    expected = payload(rows_through(1))
    workers = [
        Writer("race", store, "--worker", str(i), "--rounds", str(ROUNDS), "--barrier", barrier)
        for i in range(RACERS)
    ]
    winners = []
    try:
        for rnd in range(ROUNDS):
            base = 1 + rnd
            assert [w.next_line() for w in workers] == [f"ready {rnd} {base}"] * RACERS
            (barrier / f"go-{rnd}").touch()
            results = [w.next_line().split(" ", 3) for w in workers]
            won = [i for i, r in enumerate(results) if r[0] == "ok"]
            assert len(won) == 1, results
            assert results[won[0]] == ["ok", str(rnd), str(base + 1)]
            for i, r in enumerate(results):
                if i == won[0]:
                    continue
                assert r[:3] == ["conflict", str(rnd), "FileExistsError"], r
                message = json.loads(r[3])
                assert f"committed version {base + 1} of store {store}" in message
            winners.append(won[0])
            expected.append({"k": (rnd + 1) * 100 + won[0], "s": f"w{won[0]}-r{rnd}", "r": [rnd]})
            assert [v.version for v in ParquetIO(store, "r").versions()] == list(range(1, base + 2))
            rows = hdmf_arrow.read(store).to_arrow().to_pylist()
            assert payload(rows) == expected
            assert [r["id"] for r in rows] == list(range(len(expected)))
        for w in workers:
            code, rest, err = w.finish()
            assert (code, rest) == (0, []), err
    finally:
        for w in workers:
            w.kill()
            with contextlib.suppress(BaseException):
                w.finish()
    # every loser left one unreferenced data file per round; vacuum removes exactly those
    garbage = sorted(f for f in store_files(store) if f.startswith("data/"))
    garbage = sorted(set(garbage) - referenced_files(store))
    assert len(garbage) == ROUNDS * (RACERS - 1)
    with ParquetIO(store, "a") as io:
        assert sorted(io.vacuum(older_than=timedelta(0))) == garbage
    assert payload(hdmf_arrow.read(store).to_arrow().to_pylist()) == expected


# -- 3. damaged and hostile stores ---------------------------------------------------------


@pytest.fixture
def two_versions(tmp_path: Path) -> Path:
    """A store with versions 1 and 2 (version 2 appends a second data file)."""
    store = tmp_path / "store"
    _write_base(store, 2)
    return store


def assert_intact(store: Path, *versions: int) -> None:
    for v in versions or (1, 2):
        check_version(store, v, v)


def manifest_doc(store: Path, version: int) -> dict[str, Any]:
    return json.loads((store / version_key(version)).read_bytes())


def write_manifest(store: Path, version: int, raw: bytes) -> str:
    """Put a manifest in place by hand (plain file IO); returns its key."""
    key = version_key(version)
    (store / key).write_bytes(raw)
    return key


def next_manifest(store: Path, **changes: Any) -> dict[str, Any]:
    """A manifest for version 3 that is version 2's, changed."""
    doc = manifest_doc(store, 2)
    doc.update(version=3, parent=2, **changes)
    return doc


def _truncated(doc: dict[str, Any]) -> bytes:
    raw = json.dumps(doc).encode()
    return raw[: len(raw) // 2]


BAD_MANIFESTS = {
    "truncated": _truncated,
    "empty": lambda doc: b"",
    "not-json": lambda doc: b"\x00\xffPAR1 not json",
    "a-list": lambda doc: b"[1, 2, 3]",
    "no-root": lambda doc: json.dumps({k: v for k, v in doc.items() if k != "root"}).encode(),
    "bad-format-version": lambda doc: json.dumps({**doc, "format_version": "x.y"}).encode(),
    "wrong-version-number": lambda doc: json.dumps({**doc, "version": 2}).encode(),
}


@pytest.mark.parametrize("damage", list(BAD_MANIFESTS))
def test_bad_newest_manifest_is_reported_and_older_versions_read(
    two_versions: Path, damage: str
) -> None:
    store = two_versions
    key = write_manifest(store, 3, BAD_MANIFESTS[damage](next_manifest(store)))
    with pytest.raises(CorruptStoreError, match=re.escape(key)) as info:
        hdmf_arrow.read(store)
    assert str(store) in str(info.value)
    assert isinstance(info.value, OSError)
    # appending on top of a corrupt version is refused too, and writes nothing
    before = store_files(store)
    with pytest.raises(CorruptStoreError, match=re.escape(key)):
        ParquetIO(store, "a")
    assert store_files(store) == before
    assert_intact(store)


def read_everything(store: Path) -> Any:
    return hdmf_arrow.read(store).to_arrow()


BROKEN_TREES = [
    pytest.param("no-files", lambda root: root.pop("files"), id="no-files"),
    pytest.param("files-not-list", lambda root: root.update(files="abc"), id="files-not-list"),
    pytest.param("unknown-kind", lambda root: root.update(kind="blob"), id="unknown-kind"),
    pytest.param("bad-schema", lambda root: root.update(schema="aGVsbG8="), id="bad-schema"),
    pytest.param("row-count", lambda root: root.update(num_rows=5), id="row-count"),
    pytest.param("table-meta", lambda root: root.update(table={}), id="table-meta"),
]


@pytest.mark.parametrize(("name", "damage"), BROKEN_TREES)
def test_manifest_with_a_broken_tree_is_reported(
    two_versions: Path, name: str, damage: Any
) -> None:
    store = two_versions
    doc = next_manifest(store)
    damage(doc["root"])
    key = write_manifest(store, 3, json.dumps(doc).encode())
    try:
        read_everything(store)
    except Exception as exc:
        error: BaseException = exc
    else:
        pytest.fail(f"{name}: a corrupt manifest read without an error")
    assert isinstance(error, CorruptStoreError), f"{type(error).__name__}: {error}"
    assert key in str(error), f"{key} not named in: {error}"
    assert str(store) in str(error), f"{store} not named in: {error}"
    assert_intact(store)


def test_versions_can_be_listed_past_a_corrupt_manifest(two_versions: Path) -> None:
    from click.testing import CliRunner

    from hdmf_arrow.cli import main

    store = two_versions
    write_manifest(store, 3, _truncated(next_manifest(store)))
    with ParquetIO(store, "r", version=2) as io:
        listed = io.versions()
        assert [v.version for v in listed] == [1, 2, 3]
        assert listed[2].summary.startswith("unreadable: ")
    result = CliRunner().invoke(main, ["info", "--version", "2", str(store)])
    assert result.exit_code == 0, result.output
    assert "version 2" in result.output


def test_manifest_from_a_newer_format_is_refused(two_versions: Path) -> None:
    store = two_versions
    key = write_manifest(
        store, 3, json.dumps(next_manifest(store, format_version="9.0.0")).encode()
    )
    with pytest.raises(FormatVersionError, match=re.escape(key)) as info:
        hdmf_arrow.read(store)
    assert "9.0.0" in str(info.value)
    assert isinstance(info.value, HdmfArrowError)
    assert_intact(store)


def _tail_file(store: Path) -> str:
    """The data file version 2 added (version 1 does not refer to it)."""
    files = manifest_doc(store, 2)["root"]["files"]
    assert len(files) == 2
    assert files[0]["path"] in data_files(manifest_doc(store, 1)["root"])
    return str(files[1]["path"])


ACCESSES = {
    "column": lambda t: t["k"].data,
    "ragged": lambda t: t["r"][:],
    "last-row": lambda t: t[len(t) - 1],
    "arrow": lambda t: t.to_arrow(),
}


@pytest.mark.parametrize("access", list(ACCESSES))
@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage"])
def test_damaged_data_file_is_reported_when_read(
    two_versions: Path, damage: str, access: str
) -> None:
    store = two_versions
    tail = _tail_file(store)
    path = store / tail
    if damage == "missing":
        path.unlink()
    elif damage == "truncated":
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 2])
    else:
        path.write_bytes(b"PAR1" + b"\x00" * 64)
    table = hdmf_arrow.read(store)  # only the manifest: data is read when used
    assert len(table) == len(rows_through(2))
    with pytest.raises(CorruptStoreError, match=re.escape(tail)) as info:
        ACCESSES[access](table)
    if damage == "missing":
        assert "missing" in str(info.value)
    assert_intact(store, 1)


@pytest.mark.parametrize("where", ["parent", "dotdot-inside", "absolute"])
def test_manifest_path_outside_the_store_is_refused(
    two_versions: Path, tmp_path: Path, where: str
) -> None:
    store = two_versions
    outside = tmp_path / "outside.parquet"
    tail = _tail_file(store)
    shutil.copyfile(store / tail, outside)  # readable Parquet, if anything went there
    hostile = {
        "parent": "../outside.parquet",
        "dotdot-inside": f"{tail.rsplit('/', 1)[0]}/../../../outside.parquet",
        "absolute": str(outside),
    }[where]
    doc = next_manifest(store)
    doc["root"]["files"][-1]["path"] = hostile
    write_manifest(store, 3, json.dumps(doc).encode())

    with pytest.raises(InvalidKeyError, match=re.escape(hostile)):
        read_everything(store)
    with pytest.raises(InvalidKeyError, match=re.escape(hostile)):
        hdmf_arrow.data_files(store, "log")
    with ParquetIO(store, "a") as io:  # vacuum refuses a store it cannot fully read
        before = sorted(p for p in store.rglob("*"))
        with pytest.raises(CorruptStoreError, match=r"vacuum of store .* refused"):
            io.vacuum(older_than=timedelta(0))
        assert sorted(p for p in store.rglob("*")) == before
    assert outside.exists()
    assert_intact(store)


def test_writing_in_read_mode_is_refused(two_versions: Path) -> None:
    store = two_versions
    before = store_files(store)
    with ParquetIO(store, "r") as io:
        table = io.read()
        table.add_row(k=1, s="x", r=[])
        with pytest.raises(ReadOnlyStoreError, match="mode='r'") as info:
            io.write(table)
    assert isinstance(info.value, PermissionError)
    assert store_files(store) == before
    # vacuum needs a writable store as well; a dry run does not
    orphan = store / "data" / "orphan.parquet"
    orphan.write_bytes(b"x")
    with ParquetIO(store, "r") as io:
        assert io.vacuum(older_than=timedelta(0), dry_run=True) == ["data/orphan.parquet"]
        with pytest.raises(ReadOnlyStoreError):
            io.vacuum(older_than=timedelta(0))
    assert orphan.exists()
    assert_intact(store)


def test_create_only_mode_refuses_an_existing_store(two_versions: Path) -> None:
    store = two_versions
    before = store_files(store)
    with pytest.raises(FileExistsError, match=re.escape(str(store))) as info:
        ParquetIO(store, "w-")
    assert isinstance(info.value, HdmfArrowError)
    assert store_files(store) == before
    assert_intact(store)


@pytest.mark.parametrize("kind", ["missing", "empty-dir", "other-files", "regular-file"])
def test_a_location_that_is_not_a_store(tmp_path: Path, kind: str) -> None:
    location = tmp_path / "where"
    if kind == "empty-dir":
        location.mkdir()
    elif kind == "other-files":
        (location / "data").mkdir(parents=True)
        (location / "data" / "x.parquet").write_bytes(b"x")
        (location / "_hdmf" / "versions").mkdir(parents=True)
        (location / "_hdmf" / "versions" / "1.json").write_text("{}")
    elif kind == "regular-file":
        location.write_text("hello")
    before = store_files(tmp_path)
    assert_not_a_store(location)
    with pytest.raises(FileNotFoundError, match="is not an hdmf-arrow store"):
        ParquetIO(location, "r")
    assert store_files(tmp_path) == before
    assert location.exists() == (kind != "missing")


def test_a_version_that_does_not_exist(two_versions: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"has no version 7 \(versions: \[1, 2\]\)"):
        ParquetIO(two_versions, "r", version=7)
    assert_intact(two_versions)
