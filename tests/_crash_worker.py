"""Worker processes for tests/test_crash_loop.py (run as ``python _crash_worker.py ...``; not a
test).

A worker commits version after version until killed (or ``--commits`` commits are done).
What version ``c`` holds depends on ``c`` only (``content(c)``), so a test can tell what every
version must hold, whichever process committed it and however many were killed: version ``c``
is made by ``operation(c)``:

- ``write``: mode "w", a new table ``log`` holding ``batch_rows(c)`` (tests/_writer.py);
- ``append``: mode "a", the rows of ``batch_rows(c)`` added to the newest table (with the
  values ``cell`` gives for the columns added earlier);
- ``add_column``: mode "a", a column ``column_name(c)`` added to the newest table, with
  ``cell(c, j)`` at row ``j``.

After each commit, with probability ``vacuum_chance`` (drawn from ``seed``), it vacuums the
store (no writer runs meanwhile: commits and vacuums take turns in this one process) with
``older_than=timedelta(0)`` and ``retain_versions`` one of 1, 2, 3, 5 or None.

Every line is flushed as soon as it is printed, and each is printed only when what it says is
true: ``ready <newest or 0>``; ``begin <c> <operation>`` before committing version ``c``;
``ok <c>`` once ``write`` returned ``c`` (acknowledged); ``vacuum <newest> <retain> <json list
of the versions present>`` just before calling vacuum; ``vacuumed <json list of the versions
whose manifests it deleted> <number of other keys deleted>`` once it returned.

Two ways to run one:

``run STORE [--seed S] [--commits N] [--vacuum-chance P]``: a worker in this process.

``serve STORE``: a fork server, so that a kill loop does not pay for importing the library in
every worker. It imports the library and runs each operation once on a ``memory://`` store
(so a worker's first commit is as quick as its others), prints ``serving``, then reads
commands on stdin: ``run <seed> <commits or -> <vacuum chance>`` forks a worker (a child
process) and prints ``child <pid>``, then each complete line the worker prints as
``out <line>`` (a line cut short by a kill is dropped: it was never reported), then
``exit <code>`` once the worker ended (``-9``: SIGKILL). ``kill`` SIGKILLs the running worker
(the server kills it only while it is not reaped, so the pid is its own). ``quit`` ends.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import importlib.util
import json
import os
import random
import re
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

_spec = importlib.util.spec_from_file_location(
    "_loop_writer", Path(__file__).with_name("_writer.py")
)
assert _spec is not None
assert _spec.loader is not None
_writer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_writer)
batch_rows = _writer.batch_rows

RETAIN = (1, 2, 3, 5, None)
MANIFEST_KEY = re.compile(r"^_hdmf/versions/(\d{20})\.json$")
BASE_COLUMNS = ("k", "s", "r")


def operation(c: int) -> str:
    """How version ``c`` is made (version 1 creates the store)."""
    if c == 1:
        return "write"
    x = random.Random(c * 7777 + 1).random()
    return "write" if x < 0.15 else "append" if x < 0.6 else "add_column"


def column_name(c: int) -> str:
    """The column version ``c`` adds (its kind is its second letter: int, string, ragged)."""
    return f"x{'isr'[c % 3]}{c}"


def cell(c: int, j: int) -> Any:
    """The value at row ``j`` of the column version ``c`` added."""
    kind = "isr"[c % 3]
    if kind == "i":
        return c * 1_000_000 + j
    if kind == "s":
        return f"x{c}-{j}" + "ü" * (j % 2)
    return [c + j / 4 + m for m in range(j % 3)]


def added_by(column: str) -> int:
    """The version that added ``column``."""
    return int(column[2:])


def new_rows(columns: list[str], start: int, c: int) -> list[dict[str, Any]]:
    """The rows version ``c`` appends to a table of ``start`` rows with ``columns`` (after id)."""
    extra = [n for n in columns if n not in BASE_COLUMNS]
    return [
        {**row, **{n: cell(added_by(n), start + i) for n in extra}}
        for i, row in enumerate(batch_rows(c))
    ]


@functools.cache
def content(c: int) -> tuple[tuple[str, ...], tuple[dict[str, Any], ...]]:
    """The columns (after ``id``) and rows (``id`` included) version ``c`` holds."""
    op = operation(c)
    if op == "write":
        return BASE_COLUMNS, tuple({"id": j, **r} for j, r in enumerate(batch_rows(c)))
    columns, rows = content(c - 1)
    if op == "append":
        more = new_rows(list(columns), len(rows), c)
        return columns, rows + tuple({"id": len(rows) + i, **r} for i, r in enumerate(more))
    name = column_name(c)
    return (*columns, name), tuple({**r, name: cell(c, r["id"])} for r in rows)


def new_table() -> Any:
    from hdmf_arrow.common import DynamicTable

    table = DynamicTable(name="log", description="crash loop log")
    table.add_column("k", "commit * 1000 + row", dtype="int")
    table.add_column("s", "a string", dtype="text")
    table.add_column("r", "a ragged column", index=True, dtype="float")
    return table


def add_column(table: Any, c: int) -> None:
    name = column_name(c)
    kind = name[1]
    data = [cell(c, j) for j in range(len(table))]
    dtype = {"i": "int", "s": "text", "r": "float"}[kind]
    table.add_column(name, f"added by version {c}", data=data, index=kind == "r", dtype=dtype)


def present_versions(store: Path) -> list[int]:
    folder = store / "_hdmf" / "versions"
    names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    return sorted(int(n[:20]) for n in names if re.fullmatch(r"\d{20}\.json", n))


def say(*words: object) -> None:
    print(*words, flush=True)


def warm_up() -> None:
    """Run each operation once on a store in memory, so that the first commit on the real
    store takes no longer than the others (lazy imports, first-call caches): kills then land
    in every operation, not mostly in the first."""
    from hdmf_arrow.io import ParquetIO

    where = f"memory://crash-worker-warm-up/{os.getpid()}"
    table = new_table()
    for row in batch_rows(1):
        table.add_row(**row)
    ParquetIO(where, "w").write(table)
    io = ParquetIO(where, "a")
    table = io.read()
    for row in new_rows(list(table.colnames), len(table), 2):
        table.add_row(**row)
    io.write(table)
    for c in (3, 4, 5):  # one column of each kind
        add_column(table, c)
    io.write(table)
    io.vacuum(older_than=datetime.timedelta(0), retain_versions=1)


def work(store: Path, seed: int, commits: int | None, vacuum_chance: float) -> None:
    """Commit (and vacuum) until killed or ``commits`` commits are done."""
    from hdmf_arrow.io import ParquetIO

    rng = random.Random(seed)
    io = ParquetIO(store, "a")
    table = io.read() if io.version is not None else None
    say("ready", io.version or 0)
    done = 0
    while commits is None or done < commits:
        c = (io.version or 0) + 1
        op = operation(c)
        say("begin", c, op)
        if op == "write":
            table = new_table()
            for row in batch_rows(c):
                table.add_row(**row)
            version = ParquetIO(store, "w").write(table)
        else:
            assert table is not None
            if op == "append":
                for row in new_rows(list(table.colnames), len(table), c):
                    table.add_row(**row)
            else:
                add_column(table, c)
            version = io.write(table)
        if version != c:
            raise SystemExit(f"write returned version {version}, expected {c}")
        say("ok", version)
        done += 1
        if op == "write":  # go on from the new table, read back through a new handle
            io = ParquetIO(store, "a")
            table = io.read()
        if rng.random() < vacuum_chance:
            retain = rng.choice(RETAIN)
            say("vacuum", c, retain, json.dumps(present_versions(store)))
            deleted = ParquetIO(store, "a").vacuum(
                older_than=datetime.timedelta(0), retain_versions=retain
            )
            manifests = sorted(int(m.group(1)) for k in deleted if (m := MANIFEST_KEY.match(k)))
            say("vacuumed", json.dumps(manifests), len(deleted) - len(manifests))


def serve(store: Path) -> None:
    warm_up()
    say("serving")
    lock = threading.Lock()
    child: dict[str, Any] = {"pid": None, "reaped": True}

    def relay(pipe: int, pid: int) -> None:
        with os.fdopen(pipe, "rb") as lines:
            for raw in lines:
                if raw.endswith(b"\n"):
                    with lock:
                        say("out", raw[:-1].decode())
        with lock:
            _, status = os.waitpid(pid, 0)
            child["reaped"] = True
            say("exit", -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))

    for command in sys.stdin:
        word, *rest = command.split()
        if word == "run":
            seed, commits, chance = rest
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: its stdout goes into the pipe
                os.close(read_end)
                os.dup2(write_end, 1)
                os.close(write_end)
                code = 0
                try:
                    work(store, int(seed), None if commits == "-" else int(commits), float(chance))
                except BaseException:
                    traceback.print_exc()
                    code = 1
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            os.close(write_end)
            with lock:
                child.update(pid=pid, reaped=False)
                say("child", pid)
            threading.Thread(target=relay, args=(read_end, pid), daemon=True).start()
        elif word == "kill":
            with lock:
                if not child["reaped"]:  # a zombie keeps its pid until reaped: it is ours
                    os.kill(child["pid"], signal.SIGKILL)
        elif word == "quit":
            return
        else:
            raise SystemExit(f"unknown command {command!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run")
    p.add_argument("store")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--commits", type=int, default=None)
    p.add_argument("--vacuum-chance", type=float, default=0.3)
    p = sub.add_parser("serve")
    p.add_argument("store")
    args = parser.parse_args()
    if args.command == "run":
        work(Path(args.store), args.seed, args.commits, args.vacuum_chance)
    else:
        serve(Path(args.store))


if __name__ == "__main__":
    main()
