"""A store that never loses data: writers and vacuums SIGKILLed over and over (local disk).

A worker process (tests/_crash_worker.py) commits version after version, by mode "w" writes,
mode "a" appends and added columns, and vacuums now and then (``older_than=0``, with a random
``retain_versions``); it is SIGKILLed at a random moment, the store is checked, and the next
worker carries on from whatever the kill left. Workers are forked by one server process that
imported the library once (``_crash_worker.py serve``), so a kill costs milliseconds, not an
import; each worker is still its own process, killed with SIGKILL. What version ``c`` holds
depends on ``c`` only (``_crash_worker.content``), so every version can be checked exactly.
After every kill:

- every version that a worker acknowledged (printed after ``write`` returned), or that an
  earlier check saw, is still there and reads back whole, unless a vacuum started since may
  legitimately have expired it (older than its newest ``retain_versions``);
- every manifest present reads back whole (a fresh reader each), however the vacuum it was
  caught in ended: no unreadable version, and no version a completed vacuum expired;
- the newest version is the last acknowledged one or the one after (killed before reporting),
  reads through the public API, and takes an appended batch (in a copy of the store);
- a vacuum that returned deleted exactly the manifests older than its newest
  ``retain_versions``.

At the end, a new process commits three versions normally, and ``vacuum`` removes exactly the
leftovers (none within the default grace period), then, with ``retain_versions=2``, exactly the
expired manifests and the files only they use.

``test_crash_loop_fast`` (10 kills, seconds) runs in the default suite.
``test_crash_loop_many_kills`` (120 kills, a minute or two) runs only when the environment
variable ``HDMF_ARROW_SLOW=1`` is set (``HDMF_ARROW_SLOW=1 pytest tests/test_crash_loop.py``).
The random parts are seeded (``SEED``); kill timing is not reproducible, so a failure message
says which kill it was and where it landed.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from _child import Child, reaped

import hdmf_arrow
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.io._layout import data_files

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL and os.link")

WORKER = Path(__file__).with_name("_crash_worker.py")
_spec = importlib.util.spec_from_file_location("_crash_loop_worker", WORKER)
assert _spec is not None
assert _spec.loader is not None
_worker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_worker)
content = _worker.content
new_rows = _worker.new_rows

SEED = 20240612
FAST_KILLS = 10
SLOW_KILLS = 120
SLOW = os.environ.get("HDMF_ARROW_SLOW") == "1"
MANIFEST_NAME = re.compile(r"^(\d{20})\.json$")
TMP_MANIFEST_NAME = re.compile(r"^\.\d{20}\.json\.[0-9a-f]{32}\.tmp$")
DATA_FILE = re.compile(r"^data/[0-9a-f-]{36}/[0-9a-f]{32}\.parquet$")
VACUUM_CHANCE = 0.3  # after each commit, a worker vacuums with this probability
MAX_RUN = 0.15  # seconds: a worker is killed after a random time up to this
NO_GRACE = datetime.timedelta(0)
TYPES = {"k": pa.int64(), "s": pa.string(), "r": pa.list_(pa.float64())}
KIND_TYPES = {"i": pa.int64(), "s": pa.string(), "r": pa.list_(pa.float64())}


# -- worker subprocesses (as tests/test_crash.py's Writer) ----------------------------------


class Worker(Child):
    """A tests/_crash_worker.py subprocess: a fork server, or one worker (tests/_child.py)."""

    what = "worker"

    def __init__(self, *args: str | Path) -> None:
        super().__init__(WORKER, *args)


def workers() -> contextlib.AbstractContextManager[list[Worker]]:
    """A list to start workers in; any still running at the end are killed (no orphans)."""
    return reaped(Worker)


def start(started: list[Worker], *args: str | Path) -> Worker:
    worker = Worker(*args)
    started.append(worker)
    return worker


# -- what the workers said, and what the store must therefore hold ---------------------------


@dataclass
class Ledger:
    acked: set[int] = field(default_factory=set)  #: versions a worker reported committed
    seen: set[int] = field(default_factory=set)  #: versions a check found on disk
    floor: int = 1  #: acked or seen versions from here on must survive every vacuum so far
    expired: set[int] = field(default_factory=set)  #: manifests a vacuum reported deleted
    landed: Counter[str] = field(default_factory=Counter)  #: where the kills landed
    vacuums_done: int = 0
    newest: int = 0  #: the newest version on disk at the last check

    def absorb(self, lines: list[str], context: str) -> str:
        """Take in a worker's lines; returns where it was when it stopped."""
        where = "idle"
        committing: int | None = None
        vacuum: tuple[int, int | None, list[int]] | None = None
        for line in lines:
            word, _, rest = line.partition(" ")
            if word == "ready":
                continue
            if word == "begin":
                c, op = rest.split()
                committing, where = int(c), op
            elif word == "ok":
                assert int(rest) == committing, f"{context}: {line!r} after begin {committing}"
                self.acked.add(int(rest))
                committing, where = None, "idle"
            elif word == "vacuum":
                newest, retain, present = rest.split(" ", 2)
                kept = None if retain == "None" else int(retain)
                vacuum = (int(newest), kept, json.loads(present))
                if kept is not None:  # versions older than the newest `kept` may go now
                    self.floor = max(self.floor, int(newest) - kept + 1)
                where = "vacuum"
            elif word == "vacuumed":
                assert vacuum is not None, f"{context}: {line!r} without a vacuum line"
                newest, kept, present = vacuum
                deleted = json.loads(rest.rpartition(" ")[0])
                due = [v for v in present if kept is not None and v <= newest - kept]
                assert deleted == due, (
                    f"{context}: vacuum(retain_versions={kept}) at newest version {newest} "
                    f"deleted the manifests of versions {deleted}; of {present} it should "
                    f"delete exactly {due}"
                )
                self.expired.update(deleted)
                self.vacuums_done += 1
                vacuum, where = None, "idle"
            else:
                pytest.fail(f"{context}: unexpected worker line {line!r}")
        return where


def manifest_names(store: Path) -> tuple[list[str], list[str]]:
    """(manifest file names, leftover temporary file names) in _hdmf/versions."""
    folder = store / "_hdmf" / "versions"
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    manifests = [n for n in names if MANIFEST_NAME.match(n)]
    others = [n for n in names if not MANIFEST_NAME.match(n)]
    assert all(TMP_MANIFEST_NAME.match(n) for n in others), f"unexpected files: {others}"
    return manifests, others


def present_versions(store: Path) -> list[int]:
    return [int(n[:20]) for n in manifest_names(store)[0]]


def store_data_files(store: Path) -> set[str]:
    folder = store / "data"
    found = folder.rglob("*") if folder.is_dir() else ()
    files = {p.relative_to(store).as_posix() for p in found if p.is_file()}
    assert all(DATA_FILE.match(f) for f in files), sorted(files)
    return files


def referenced_files(store: Path, versions: list[int] | None = None) -> set[str]:
    """Data files the manifests (of ``versions``, default all present) refer to, read from
    the JSON by hand."""
    out: set[str] = set()
    for v in present_versions(store) if versions is None else versions:
        doc = json.loads((store / "_hdmf" / "versions" / f"{v:020d}.json").read_bytes())
        out.update(data_files(doc["root"]))
    return out


def expected_type(column: str) -> pa.DataType:
    return TYPES.get(column) or KIND_TYPES[column[1]]


def assert_holds(arrow: pa.Table, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """``arrow`` holds exactly ``columns`` (after id), with their types, and ``rows``."""
    assert arrow.schema.names == ["id", *columns]
    assert arrow.schema.field("id").type == pa.int64()
    for name in columns:
        assert arrow.schema.field(name).type == expected_type(name), name
    have = arrow.to_pylist()
    assert len(have) == len(rows), f"{len(have)} rows, expected {len(rows)}"
    for i, (got, want) in enumerate(zip(have, rows, strict=True)):
        assert got == want, f"row {i}: {got} != {want}"


def check_version(store: Path, version: int) -> None:
    """A fresh reader of ``version`` finds exactly ``content(version)``."""
    columns, rows = content(version)
    with ParquetIO(store, "r", version=version) as io:
        assert io.version == version
        table = io.read()
        arrow = table.to_arrow()
        assert len(table) == arrow.num_rows == len(rows)
    try:
        assert_holds(arrow, columns, list(rows))
    except AssertionError as exc:
        raise AssertionError(f"version {version}: {exc}") from None


def check_appends(store: Path, newest: int, scratch: Path) -> None:
    """In a copy of the store (the loop's store must only change by the workers' schedule),
    the newest version opens in mode "a" and takes a batch of rows."""
    copy = scratch / "append-copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)
    try:
        columns, rows = content(newest)
        more = new_rows(list(columns), len(rows), newest + 1)
        with ParquetIO(copy, "a") as io:
            assert io.version == newest
            table = io.read()
            for row in more:
                table.add_row(**row)
            assert io.write(table) == newest + 1
        with ParquetIO(copy, "r", version=newest + 1) as io:
            arrow = io.read().to_arrow()
        want = [*rows, *({"id": len(rows) + i, **r} for i, r in enumerate(more))]
        assert_holds(arrow, columns, want)
        check_version(copy, newest)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def check_store(store: Path, ledger: Ledger, scratch: Path, context: str) -> None:
    present = present_versions(store)
    store_data_files(store)  # only well-formed data file names
    last = max(ledger.acked | ledger.seen, default=0)
    if not present:
        assert last == 0, f"{context}: versions {sorted(ledger.acked)} were acknowledged"
        with pytest.raises(FileNotFoundError, match="is not an hdmf-arrow store"):
            hdmf_arrow.read(store)
        return
    newest = present[-1]
    # at most one version can be committed but not reported (the kill came in between)
    assert last <= newest <= last + 1, f"{context}: newest {newest}, last known {last}"
    required = {v for v in ledger.acked | ledger.seen if v >= ledger.floor}
    missing = sorted(required - set(present))
    assert not missing, (
        f"{context}: versions {missing} are gone (no vacuum may have expired them: versions "
        f">= {ledger.floor} must survive); present: {present}"
    )
    back = sorted(set(present) & ledger.expired)
    assert not back, f"{context}: versions {back} came back after a vacuum deleted them"
    for v in present:  # every manifest there reads back whole, expired by a vacuum or not
        try:
            check_version(store, v)
        except Exception as exc:
            msg = f"{context}: version {v} of {present} does not read back whole: {exc}"
            raise AssertionError(msg) from exc
    ledger.seen.update(present)
    ledger.newest = newest
    with ParquetIO(store, "r") as io:
        unreadable = [v for v in io.versions() if v.summary.startswith("unreadable")]
    assert not unreadable, f"{context}: {unreadable}"
    # the newest through the public API, then an append on top of it
    columns, rows = content(newest)
    assert_holds(hdmf_arrow.read(store).to_arrow(), columns, list(rows))
    check_appends(store, newest, scratch)


def check_final_vacuums(store: Path) -> None:
    """vacuum removes exactly the leftovers (after the grace period), then exactly the
    expired versions and the files only they use; every retained version reads the same."""
    present = present_versions(store)
    data = store_data_files(store)
    referenced = referenced_files(store)
    assert referenced <= data, f"referenced files missing: {sorted(referenced - data)}"
    tmps = manifest_names(store)[1]
    garbage = sorted((data - referenced) | {f"_hdmf/versions/{n}" for n in tmps})
    with ParquetIO(store, "a") as io:
        # the leftovers are minutes old, younger than the default grace period (1 h)
        assert io.vacuum(dry_run=True) == []
        assert sorted(io.vacuum(older_than=NO_GRACE, dry_run=True)) == garbage
        assert store_data_files(store) == data, "a dry run deleted files"
        assert sorted(io.vacuum(older_than=NO_GRACE)) == garbage
    assert store_data_files(store) == referenced
    assert manifest_names(store) == ([f"{v:020d}.json" for v in present], [])
    for v in present:
        check_version(store, v)

    # expire all but the newest two versions (a third run is there if the store has three)
    keep = present[-2:]
    gone = present[:-2]
    only_theirs = referenced - referenced_files(store, keep)
    want = sorted({f"_hdmf/versions/{v:020d}.json" for v in gone} | only_theirs)
    with ParquetIO(store, "a") as io:
        assert sorted(io.vacuum(older_than=NO_GRACE, retain_versions=2, dry_run=True)) == want
        assert present_versions(store) == present, "a dry run deleted manifests"
        assert sorted(io.vacuum(older_than=NO_GRACE, retain_versions=2)) == want
        assert io.vacuum(older_than=NO_GRACE, retain_versions=2, dry_run=True) == []
    assert present_versions(store) == keep
    assert store_data_files(store) == referenced_files(store, keep)
    for v in keep:
        check_version(store, v)


# -- the loop -----------------------------------------------------------------------------


def crash_loop(tmp_path: Path, kills: int, seed: int) -> Ledger:
    rng = random.Random(seed)
    store = tmp_path / "store"
    ledger = Ledger()
    with workers() as started:
        # one fork server: each worker is a fresh child process, killed at a random moment
        server = start(started, "serve", store)
        assert server.next_line() == "serving"
        for kill in range(kills):
            server.send(f"run {rng.randrange(2**32)} - {VACUUM_CHANCE}")
            assert server.next_line().startswith("child ")
            assert server.next_line() == f"out ready {ledger.newest}"
            # the first kill lands in the store's creation (or just after it)
            time.sleep(rng.uniform(0.0, 0.02 if kill == 0 else MAX_RUN))
            server.send("kill")
            lines = []
            while (line := server.next_line()).startswith("out "):
                lines.append(line[4:])
            context = f"kill {kill + 1} of {kills}"
            if line != f"exit {-signal.SIGKILL}":
                server.kill()
                _, _, err = server.finish()
                pytest.fail(f"{context}: the worker ended on its own ({line}):\n{err}")
            where = ledger.absorb(lines, context)
            ledger.landed[where] += 1
            check_store(store, ledger, tmp_path, f"{context} (it landed in: {where})")
        server.send("quit")
        assert server.finish()[0] == 0

        # the store carries on normally after all this, in a new process
        final = start(started, "run", store, "--commits", "3", "--vacuum-chance", "0")
        code, lines, err = final.finish()
        assert code == 0, err
        n = ledger.newest
        assert lines[0] == f"ready {n}"
        assert [line.split()[:2] for line in lines[1:]] == [
            [word, str(c)] for c in (n + 1, n + 2, n + 3) for word in ("begin", "ok")
        ]
        ledger.absorb(lines, "the last worker")
        check_store(store, ledger, tmp_path, "after the last worker")
    assert ledger.newest == n + 3
    check_final_vacuums(store)
    return ledger


def test_crash_loop_fast(tmp_path: Path) -> None:
    """10 kills: the default suite's short version of the loop."""
    ledger = crash_loop(tmp_path, FAST_KILLS, SEED)
    assert len(ledger.acked) >= FAST_KILLS // 2, f"too few commits to mean much: {ledger}"


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason="slow (minutes): `make test-slow` runs it")
def test_crash_loop_many_kills(tmp_path: Path) -> None:
    """120 kills, landing in every kind of commit and in vacuums."""
    ledger = crash_loop(tmp_path, SLOW_KILLS, SEED + 1)
    assert len(ledger.acked) >= SLOW_KILLS // 2, f"too few commits to mean much: {ledger}"
    missed = [op for op in ("write", "append", "add_column", "vacuum") if not ledger.landed[op]]
    assert not missed, f"no kill landed in {missed}: {dict(ledger.landed)}"
    assert ledger.vacuums_done > 0, dict(ledger.landed)
