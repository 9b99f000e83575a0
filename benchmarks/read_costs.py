"""Read costs that should not grow with what is not read (issue 12, item 4).

Two measurements, written to RESULTS.md between the READ-COSTS markers with ``--write``:

1. ``open + to_dataframe(index=True)`` of a table of ``--rows`` rows (300,000 by default) of
   the issue's shape (int64 ``id``, ``i`` int64, ``f`` float64, ``s`` short strings, ``r`` a
   ragged float64 column of 0-39 values per row, ``reg`` an int64 region into a 1,000-row
   table), against ``pq.read_table(file).to_pandas()`` of the same data file; best of
   ``--repeat``, in one process, local disk.
2. Peak memory of reading one float64 column (``t["x"].data`` of a freshly opened store)
   from tables with 1 and with 50 other float64 columns of ``--memory-rows`` rows each, each
   read in a new child process: the growth of the child's peak RSS over its RSS after
   opening, and pyarrow's memory pool peak (``max_memory()``).

Run it as ``python benchmarks/read_costs.py [--write benchmarks/RESULTS.md]``.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer

if TYPE_CHECKING:
    from collections.abc import Callable

BEGIN, END = "<!-- READ-COSTS BEGIN -->", "<!-- READ-COSTS END -->"
TARGET_ROWS = 1_000


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def make_store(n: int, location: Path, seed: int = 0) -> None:
    """The issue's table (``units``, ``n`` rows) and its region's target, written to
    ``location``."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 40, n)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    vocab = pa.array([f"s{k}" for k in range(100)])
    body = pa.table(
        {
            "i": rng.integers(0, 2**40, n),
            "f": rng.random(n),
            "s": vocab.take(pa.array(rng.integers(0, 100, n))),
            "r": pa.ListArray.from_arrays(offsets, rng.random(int(offsets[-1]))),
        }
    )
    target = DynamicTable(name="target", description="rows regions point at")
    target.add_column("x", "a value", data=rng.random(TARGET_ROWS))
    units = DynamicTable.from_arrow(body, name="units", description="the issue's table")
    units.add_column("reg", "a row of target", data=rng.integers(0, TARGET_ROWS, n), table=target)
    hdmf_arrow.write(SimpleMultiContainer(name="root", containers=[target, units]), location)


def frame_costs(n: int, repeat: int) -> str:
    where = Path(tempfile.mkdtemp(prefix="hdmf-arrow-read-costs-"))
    try:
        location = where / "frame.hdmf"
        make_store(n, location)
        (path,) = hdmf_arrow.data_files(location, "units")

        def ours() -> object:
            return hdmf_arrow.read(location)["units"].to_dataframe(index=True)

        def raw() -> object:
            return pq.read_table(path).to_pandas()

        ours()  # warm: imports, page cache
        raw()
        mine, theirs = best_of(ours, repeat), best_of(raw, repeat)
    finally:
        shutil.rmtree(where)
    print(f"to_dataframe: {mine:.3f} s, pyarrow {theirs:.3f} s", file=sys.stderr)
    return (
        "| rows | open + `to_dataframe(index=True)` | `pq.read_table(file).to_pandas()` | "
        "ratio |\n|---|---|---|---|\n"
        f"| {n:,} | {mine:.3f} s | {theirs:.3f} s | {mine / theirs:.2f}x |"
    )


def make_wide(location: Path, others: int, rows: int) -> None:
    rng = np.random.default_rng(1)
    columns = {"x": rng.random(rows)}
    columns.update({f"o{k}": rng.random(rows) for k in range(others)})
    hdmf_arrow.write(DynamicTable.from_arrow(pa.table(columns), name="wide"), location)


def _status_kib(key: str) -> int:
    """A figure of /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    msg = f"no {key} in /proc/self/status"
    raise RuntimeError(msg)


def child_memory(location: str, how: str) -> None:
    """In a child process: open, read column ``x`` (with hdmf-arrow, or ``how="pyarrow"``
    with ``pq.read_table(file, columns=["x"])``), print the memory it took (JSON)."""
    table = hdmf_arrow.read(location)
    paths = hdmf_arrow.data_files(location, "wide")
    Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak RSS restarts from now
    before = _status_kib("VmRSS")
    pool = pa.default_memory_pool()
    base = pool.max_memory()
    if how == "pyarrow":
        parts = [pq.read_table(path, columns=["x"]) for path in paths]
        values = pa.concat_tables(parts).column("x").to_numpy()
    else:
        values = table["x"].data
    after = _status_kib("VmHWM")  # the peak since clear_refs
    print(
        json.dumps(
            {
                "rss_growth": (after - before) * 1024,
                "pool_peak": pool.max_memory() - base,
                "values": int(values.nbytes),
            }
        )
    )


def _child_runs(location: Path, how: str, runs: int = 3) -> dict[str, int]:
    """The least of each figure over ``runs`` children reading column ``x``."""
    found = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, __file__, "--child-memory", str(location), "--how", how],
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            msg = f"the child reading {location} failed:\n{done.stderr}"
            raise RuntimeError(msg)
        found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {k: min(r[k] for r in found) for k in found[0]}


def memory_costs(rows: int, widths: list[int]) -> str:
    lines = [
        "| other columns | data files | size | peak RSS growth (pyarrow's) | memory pool peak "
        "(pyarrow's) | column bytes |",
        "|---|---|---|---|---|---|",
    ]
    where = Path(tempfile.mkdtemp(prefix="hdmf-arrow-read-costs-"))
    try:
        for others in widths:
            location = where / f"w{others}.hdmf"
            make_wide(location, others, rows)
            paths = hdmf_arrow.data_files(location, "wide")
            size = sum(Path(path).stat().st_size for path in paths)
            found = {how: _child_runs(location, how) for how in ("hdmf-arrow", "pyarrow")}
            mine, theirs = found["hdmf-arrow"], found["pyarrow"]
            print(f"{others} others: {found}", file=sys.stderr)
            lines.append(
                f"| {others} | {len(paths)} | {size / 2**20:,.0f} MB | "
                f"{mine['rss_growth'] / 2**20:.1f} MB "
                f"({theirs['rss_growth'] / 2**20:.1f} MB) | {mine['pool_peak'] / 2**20:.1f} MB "
                f"({theirs['pool_peak'] / 2**20:.1f} MB) | {mine['values'] / 2**20:.1f} MB |"
            )
    finally:
        shutil.rmtree(where)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="replace the READ-COSTS section of this file")
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    parser.add_argument("--memory-widths", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--child-memory", help=argparse.SUPPRESS)
    parser.add_argument("--how", default="hdmf-arrow", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory, args.how)
        return
    command = shlex.join(["python", *sys.argv])
    frame = frame_costs(args.rows, args.repeat)
    memory = memory_costs(args.memory_rows, args.memory_widths)
    section = (
        f"{BEGIN}\n## Read costs (issue 12, item 4)\n\n`{command}`; local disk, warm page "
        f"cache.\n\nopen + `to_dataframe(index=True)` of the issue's table (id, int, float, "
        f"short string, ragged float 0-39 per row, int region into a {TARGET_ROWS:,}-row "
        f"table) against pyarrow reading the same data file to pandas; best of "
        f"{args.repeat}, one process:\n\n{frame}\n\n"
        f"Memory of reading one float64 column of {args.memory_rows:,} rows "
        f"(`read(store)['x'].data`) beside N other such columns, each in a new child "
        f"process (best of 3): the peak RSS during the read (restarted by "
        f"`/proc/self/clear_refs` after opening) minus the RSS before it, and pyarrow's "
        f"memory pool peak during the read; in parentheses the same for "
        f"`pq.read_table(file, columns=['x'])` of each data file in the same child:\n\n"
        f"{memory}\n{END}"
    )
    print(section)
    if args.write:
        import wide  # benchmarks/wide.py: its replace_section

        wide.replace_section(args.write, section, BEGIN, END)


if __name__ == "__main__":
    main()
