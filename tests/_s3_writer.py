"""Writer processes for tests/test_s3_processes.py (``python _s3_writer.py ...``; not a test).

``append URL --worker I --commits C --attempts A --options JSON``: import everything, print
``{"event": "ready"}``, wait for a ``go`` line on stdin, then commit C rows, one per version.
Each commit opens URL afresh (``ParquetIO(URL, "a", storage_options=OPTIONS)``), reads the
table, adds one row with the marker ``w<I>-c<n>`` and writes. A StoreConflictError (another
writer took the version) is retried from the reopen, up to A attempts per commit. Any other
exception is reported and retried the same way, but only ``--error-attempts`` times per commit
(the test fails on any; retrying shows whether it is transient). Every line on stdout is one
JSON object:

- ``{"event": "ok", "marker": M, "version": V, "attempt": K}`` after ``write`` returned V;
- ``{"event": "conflict", "marker": M, "attempt": K, "type": T}`` for a StoreConflictError;
- ``{"event": "error", "marker": M, "attempt": K, "type": T, "message": S}`` for anything else;
- ``{"event": "gave_up", "marker": M}`` after A failed attempts (or too many errors);
- ``{"event": "done"}`` at the end.

``fleet URL --workers N ...`` (the same options): import everything once, print
``{"event": "ready"}``, wait for ``go``, then fork N worker processes that each run ``append``
as worker 0..N-1 (every line also names its ``worker``), and wait for them; forking after the
imports spares each worker seconds of start-up. The workers are separate processes, each with
its own s3fs filesystem and caches: nothing touches s3fs before the fork. Finally
``{"event": "exited", "codes": [...]}``.

OPTIONS are plain s3fs options (key, secret, endpoint): s3fs's listings cache and fsspec's
instance cache stay on, as users have them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import traceback
from typing import Any

#: added to every line (``fleet`` sets the worker number in each forked worker)
_TAG: dict[str, Any] = {}


def emit(**fields: Any) -> None:
    # one os.write of one line, well under PIPE_BUF bytes: the lines of forked workers that
    # share the pipe never interleave (print writes the line and its newline separately)
    line = json.dumps({**fields, **_TAG}) + "\n"
    sys.stdout.flush()
    os.write(sys.stdout.fileno(), line.encode())


def marker(worker: int, commit: int) -> str:
    return f"w{worker}-c{commit}"


def new_table() -> Any:
    from hdmf_arrow.common import DynamicTable

    table = DynamicTable(name="log", description="s3 process test log")
    table.add_column("marker", "who appended this row", dtype="text")
    return table


def append(args: argparse.Namespace) -> None:
    emit(event="ready")
    if sys.stdin.readline() != "go\n":
        raise SystemExit("no go")
    commit_rows(args, args.worker)


def fleet(args: argparse.Namespace) -> None:
    import s3fs  # noqa: F401

    import hdmf_arrow.io  # noqa: F401  (imported once, before the fork)

    emit(event="ready")
    if sys.stdin.readline() != "go\n":
        raise SystemExit("no go")
    sys.stdout.flush()
    pids = []
    for worker in range(args.workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own process, filesystem object and caches
            code = 1
            try:
                _TAG["worker"] = worker
                commit_rows(args, worker)
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    emit(event="exited", codes=codes)


def commit_rows(args: argparse.Namespace, worker: int) -> None:
    from hdmf_arrow.errors import StoreConflictError
    from hdmf_arrow.io import ParquetIO

    options = json.loads(args.options)
    rng = random.Random(worker)
    for n in range(args.commits):
        m = marker(worker, n)
        errors = 0
        for attempt in range(1, args.attempts + 1):
            try:
                io = ParquetIO(args.url, "a", storage_options=options)
                table = io.read()
                table.add_row(marker=m)
                version = io.write(table)
            except StoreConflictError as exc:
                emit(event="conflict", marker=m, attempt=attempt, type=type(exc).__name__)
            except Exception as exc:  # reported: the test fails on any of these
                emit(
                    event="error", marker=m, attempt=attempt, type=type(exc).__name__,
                    message=str(exc)[:500],
                )  # fmt: skip
                errors += 1
                if errors >= args.error_attempts:
                    emit(event="gave_up", marker=m)
                    break
            else:
                emit(event="ok", marker=m, version=version, attempt=attempt)
                break
            time.sleep(rng.uniform(0, 0.05))  # a little jitter, so the same losers don't collide
        else:
            emit(event="gave_up", marker=m)
    emit(event="done")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    for command in ("append", "fleet"):
        p = sub.add_parser(command)
        p.add_argument("url")
        if command == "append":
            p.add_argument("--worker", type=int, required=True)
        else:
            p.add_argument("--workers", type=int, required=True)
        p.add_argument("--commits", type=int, required=True)
        p.add_argument("--attempts", type=int, required=True)
        p.add_argument("--error-attempts", type=int, default=3)
        p.add_argument("--options", required=True, help="s3fs storage options as JSON")
    args = parser.parse_args()
    {"append": append, "fleet": fleet}[args.command](args)


if __name__ == "__main__":
    main()
