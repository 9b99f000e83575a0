"""Writer processes for tests/test_crash.py (run as ``python _writer.py ...``; not a test).

``append STORE``: open STORE in mode "a" (creating it if it holds no version), print
``ready <version>``, then commit batch after batch (``batch_rows(c)`` for version ``c``),
printing each version number only after ``write`` returned, until killed (or ``--commits``
commits are done). ``--die-at POINT --die-version N`` makes the process SIGKILL itself at a
chosen point of the commit of version N (see ``DIE_POINTS``). ``--wait``: import first, then
wait for a ``go`` line on stdin before opening the store (so tests can start it ahead).

``race STORE --worker I --rounds R --barrier DIR``: each round, open STORE in mode "a", add
one row, print ``ready <round> <version>``, wait until ``DIR/go-<round>`` exists, then write
and print ``ok <round> <version>`` or ``conflict <round> <json message>``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

#: where ``--die-at`` kills the writer during a commit
DIE_POINTS = (
    "parquet-footer",  # a data file is being written: its footer is not written yet
    "data-file",  # the data file is complete; no manifest yet
    "manifest-tmp",  # the manifest's temporary file is complete, not yet linked into place
    "manifest-linked",  # the manifest is in place; its temporary file is not removed yet
    "after-commit",  # write() returned; the version is not reported yet
)


def batch_rows(c: int) -> list[dict[str, Any]]:
    """The rows the commit of version ``c`` appends (1 to 23 rows; some ragged cells empty)."""
    n = 1 + (c * 37) % 23
    return [
        {
            "k": c * 1000 + i,
            "s": f"c{c}-r{i}" + "é" * (i % 3),
            "r": [c + i / 8 + j for j in range(i % 4)],
        }
        for i in range(n)
    ]


def rows_through(version: int) -> list[dict[str, Any]]:
    """Every row of versions 1..``version``, in order."""
    return [row for c in range(1, version + 1) for row in batch_rows(c)]


def new_table() -> Any:
    from hdmf_arrow.common import DynamicTable

    table = DynamicTable(name="log", description="crash test log")
    table.add_column("k", "commit * 1000 + row", dtype="int")
    table.add_column("s", "a string", dtype="text")
    table.add_column("r", "a ragged column", index=True)
    return table


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _install_die_point(point: str, when: Any) -> None:
    """Patch the library (in this process only) so that it dies at ``point`` when ``when()``."""
    import pyarrow.parquet as pq

    import hdmf_arrow.io._tree as tree

    if point == "parquet-footer":
        original_close = pq.ParquetWriter.close

        def close(self: Any) -> None:
            if when():
                _die()
            original_close(self)

        pq.ParquetWriter.close = close  # type: ignore[method-assign]
    elif point == "data-file":  # every data file is written by _parquet.write_blocks
        import hdmf_arrow.io._parquet as parquet

        original_write_blocks = parquet.write_blocks

        def write_blocks(*args: Any, **kwargs: Any) -> Any:
            entry = original_write_blocks(*args, **kwargs)
            if when():
                _die()
            return entry

        parquet.write_blocks = write_blocks  # type: ignore[assignment]
        tree.write_blocks = write_blocks  # type: ignore[assignment]
    elif point in ("manifest-tmp", "manifest-linked"):
        original_link = os.link

        def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            is_manifest = str(dst).endswith(".json")
            if point == "manifest-tmp" and is_manifest and when():
                _die()
            original_link(src, dst, *args, **kwargs)
            if point == "manifest-linked" and is_manifest and when():
                _die()

        os.link = link
    elif point != "after-commit":
        raise SystemExit(f"unknown die point {point!r}")


def append(args: argparse.Namespace) -> None:
    from hdmf_arrow.io import ParquetIO

    current = {"version": 0}

    def dying_now() -> bool:
        return current["version"] == args.die_version

    if args.die_at:
        _install_die_point(args.die_at, dying_now)
    # started ahead of time (--wait): open the store only when told to
    if args.wait and sys.stdin.readline() != "go\n":
        raise SystemExit("no go")
    io = ParquetIO(args.store, "a")
    table = new_table() if io.version is None else io.read()
    print("ready", io.version or 0, flush=True)
    done = 0
    while args.commits is None or done < args.commits:
        c = (io.version or 0) + 1
        current["version"] = c
        for row in batch_rows(c):
            table.add_row(**row)
        version = io.write(table)
        if version != c:
            raise SystemExit(f"write returned version {version}, expected {c}")
        if args.die_at == "after-commit" and dying_now():
            _die()
        print(version, flush=True)
        done += 1


def race(args: argparse.Namespace) -> None:
    from hdmf_arrow.errors import StoreConflictError
    from hdmf_arrow.io import ParquetIO

    barrier = Path(args.barrier)
    for rnd in range(args.rounds):
        io = ParquetIO(args.store, "a")
        table = io.read()
        table.add_row(k=(rnd + 1) * 100 + args.worker, s=f"w{args.worker}-r{rnd}", r=[float(rnd)])
        print("ready", rnd, io.version, flush=True)
        go = barrier / f"go-{rnd}"
        deadline = time.monotonic() + 30
        while not go.exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"worker {args.worker}: no {go} after 30 s")
            time.sleep(0.0002)
        try:
            version = io.write(table)
        except StoreConflictError as exc:
            kind = "FileExistsError" if isinstance(exc, FileExistsError) else "not-FileExistsError"
            print("conflict", rnd, kind, json.dumps(str(exc)), flush=True)
        else:
            print("ok", rnd, version, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("append")
    p.add_argument("store")
    p.add_argument("--commits", type=int, default=None)
    p.add_argument("--die-at", choices=DIE_POINTS, default=None)
    p.add_argument("--die-version", type=int, default=None)
    p.add_argument("--wait", action="store_true", help='wait for "go" on stdin first')
    p = sub.add_parser("race")
    p.add_argument("store")
    p.add_argument("--worker", type=int, required=True)
    p.add_argument("--rounds", type=int, required=True)
    p.add_argument("--barrier", required=True)
    args = parser.parse_args()
    {"append": append, "race": race}[args.command](args)


if __name__ == "__main__":
    main()
