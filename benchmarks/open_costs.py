"""What opening a store costs as it grows: after many commits, and with many tables.

1. **Versions.** A table written once, then appended to one row at a time (each append a
   commit), for each count of commits: hdmf-arrow (``hdmf_arrow.write(t, path,
   mode="append")``), Delta Lake (``write_deltalake(path, table, mode="append")``, its
   defaults: a checkpoint every 100 commits) and Lance (``lance.write_dataset(table, path,
   mode="append")``). Timed: open the newest version and read its one float column
   (``hdmf_arrow.read(path)["x"].data``, ``DeltaTable(path).to_pyarrow_table(columns=["x"])``,
   ``lance.dataset(path).to_table(columns=["x"])``). Nothing is compacted or vacuumed.
2. **Tables.** A store of N 10-row tables; timed: ``hdmf_arrow.read(path)["t0"]`` (the tree
   of every table is built at open).

Each figure is the median of interleaved rounds (the libraries take turns), with
``gc.collect()`` before each call, in one process on local disk. Written to RESULTS.md
between the OPEN-COSTS markers with ``--write``:

    python benchmarks/open_costs.py --write benchmarks/RESULTS.md
"""

from __future__ import annotations

import argparse
import gc
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer

if TYPE_CHECKING:
    from collections.abc import Callable

BEGIN, END = "<!-- OPEN-COSTS BEGIN -->", "<!-- OPEN-COSTS END -->"
ROUNDS = 15


def _one_row(i: int) -> pa.Table:
    return pa.table({"x": pa.array([float(i)])})


def build_versions(where: Path, commits: int) -> dict[str, Path]:
    """Each library's table of ``commits`` commits (a first write, then one-row appends)."""
    import lance
    from deltalake import write_deltalake

    paths = {lib: where / f"{lib}-{commits}" for lib in ("hdmf-arrow", "delta", "lance")}
    for i in range(commits):
        mode = "append" if i else "error"
        hdmf_arrow.write(
            DynamicTable.from_arrow(_one_row(i), name="t"), paths["hdmf-arrow"], mode=mode
        )
        write_deltalake(paths["delta"], _one_row(i), mode="append" if i else "error")
        lance.write_dataset(_one_row(i), paths["lance"], mode="append" if i else "create")
    return paths


def readers(paths: dict[str, Path]) -> dict[str, Callable[[], Any]]:
    import lance
    from deltalake import DeltaTable

    return {
        "hdmf-arrow": lambda: hdmf_arrow.read(paths["hdmf-arrow"])["x"].data,
        "delta": lambda: DeltaTable(paths["delta"]).to_pyarrow_table(columns=["x"]),
        "lance": lambda: lance.dataset(paths["lance"]).to_table(columns=["x"]),
    }


def file_counts(paths: dict[str, Path]) -> str:
    """Each library's number of data files (hdmf-arrow / Delta Lake / Lance)."""
    import lance
    from deltalake import DeltaTable

    ours = len(hdmf_arrow.data_files(paths["hdmf-arrow"], "t"))
    delta = len(DeltaTable(paths["delta"]).file_uris())
    fragments = len(lance.dataset(paths["lance"]).get_fragments())
    return f"{ours} / {delta} / {fragments}"


def interleaved(calls: dict[str, Callable[[], Any]], rounds: int = ROUNDS) -> dict[str, float]:
    """The median seconds of each call over ``rounds`` rounds in which they take turns."""
    times: dict[str, list[float]] = {k: [] for k in calls}
    for _ in range(rounds):
        for key, call in calls.items():
            gc.collect()
            start = time.perf_counter()
            call()
            times[key].append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in times.items()}


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3g} ms"


def versions_section(where: Path, counts: list[int]) -> str:
    lines = [
        "| commits | hdmf-arrow | Delta Lake | Lance | hdmf-arrow / best peer | data files |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for commits in counts:
        paths = build_versions(where, commits)
        calls = readers(paths)
        expected = np.arange(commits, dtype=float)
        for lib, call in calls.items():  # every library reads the same values back
            got = call()
            values = got if isinstance(got, np.ndarray) else got.column("x").to_numpy()
            if not np.array_equal(np.sort(values), expected):
                msg = f"{lib} read back other values after {commits} commits"
                raise AssertionError(msg)
        t = interleaved(calls)
        best = min(t["delta"], t["lance"])
        lines.append(
            f"| {commits:,} | {_ms(t['hdmf-arrow'])} | {_ms(t['delta'])} | {_ms(t['lance'])} "
            f"| {t['hdmf-arrow'] / best:.2f}x | {file_counts(paths)} |"
        )
    return "\n".join(lines)


def tables_section(where: Path, counts: list[int]) -> str:
    lines = [
        "| tables | open + one table | more per table than the first row |",
        "|---:|---:|---:|",
    ]
    first: tuple[int, float] | None = None
    for n in counts:
        path = where / f"tables-{n}"
        frame = pa.table({"x": np.arange(10.0), "y": np.arange(10)})
        tables = [DynamicTable.from_arrow(frame, name=f"t{i}") for i in range(n)]
        hdmf_arrow.write(SimpleMultiContainer("root", tables), path)
        t = interleaved({"open": lambda p=path: hdmf_arrow.read(p)["t0"]})["open"]
        if first is None:
            first = (n, t)
        more = n - first[0]
        growth = f"{(t - first[1]) / more * 1e6:.0f} µs" if more else "-"
        lines.append(f"| {n:,} | {_ms(t)} | {growth} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="replace the OPEN-COSTS section of this file")
    parser.add_argument("--commits", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--tables", type=int, nargs="+", default=[1, 10, 50, 200])
    args = parser.parse_args()
    command = shlex.join(["python", *sys.argv])
    with tempfile.TemporaryDirectory() as tmp:
        versions = versions_section(Path(tmp), args.commits)
        tables = tables_section(Path(tmp), args.tables)
    section = (
        f"{BEGIN}\n## Open costs as a store grows (issue 12, item 2)\n\n`{command}`; medians "
        f"of {ROUNDS} interleaved rounds, local disk, nothing compacted or vacuumed.\n\n"
        f"Open the newest version and read its float column, after N commits (a write, then "
        f"one-row appends; Delta Lake checkpoints its log every 100 commits by default). "
        f"hdmf-arrow's append rewrites a table's last small files with the new rows "
        f"(`ParquetOptions.merge_small_files`: once 8 are small), so its table stays a few "
        f"files; the peers add a file (a fragment) per commit until they are compacted. Data "
        f"files are hdmf-arrow / Delta Lake / Lance:\n\n"
        f"{versions}\n\nOpen a store of N 10-row tables and take one (every table's object is "
        f"built at open, so this grows with N):\n\n{tables}\n{END}"
    )
    print(section)
    if args.write:
        import wide  # benchmarks/wide.py: its replace_section

        wide.replace_section(args.write, section, BEGIN, END)


if __name__ == "__main__":
    main()
