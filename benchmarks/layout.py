"""How the size of row groups and files trades point reads against whole reads (issue 12).

The table of ``peers.py`` (id, int, float, short string, ragged float 0-39 per row, an int
region into a 1,000-row table) is written by hdmf-arrow once per layout, a layout being
``ParquetOptions(row_group_bytes=..., max_file_bytes=...)``, and by Lance (its defaults) for
reference. Each read opens a new handle; the layouts and Lance take turns in every round,
with ``gc.collect()`` before each call, in one process on local disk (page cache warm).

pyarrow decodes a row group whole (it cannot read part of one), so a point read costs the
decode of the group holding the row and the parse of its file's footer, which grows with the
file's row groups. Smaller groups make the decode cheaper and the footer dearer, unless the
files get smaller too, and then a whole column costs one more footer per file. The slices
and rows are taken at five places in turn (one per round, the same for every layout), so
that where a slice falls against the groups' bounds does not decide the figure.

    python benchmarks/layout.py                       # 1,000,000 rows, prints the section
    python benchmarks/layout.py --rows 10000000 --rounds 5
    python benchmarks/layout.py --write benchmarks/RESULTS.md
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

import pyarrow.parquet as pq
from peers import disk_bytes, hdmf_root, make_tables, writer
from wide import replace_section

import hdmf_arrow
from hdmf_arrow.io import ParquetOptions

if TYPE_CHECKING:
    from collections.abc import Callable

BEGIN, END = "<!-- LAYOUT BEGIN -->", "<!-- LAYOUT END -->"
KiB, MiB = 2**10, 2**20
LAYOUTS = (  # (row_group_bytes, max_file_bytes); the first is the default
    (1 * MiB, 64 * MiB),
    (512 * KiB, 32 * MiB),
    (512 * KiB, 16 * MiB),
    (256 * KiB, 16 * MiB),
    (256 * KiB, 64 * MiB),
)
OPS = {
    "write": "write (both tables)",
    "df": "open + whole table to pandas",
    "col": "open + one float column",
    "slice": "open + 1,000-row slice",
    "row": "open + one row",
}
PLACES = 5  # where slices and rows are taken, in turn


def label(layout: tuple[int, int]) -> str:
    def size(n: int) -> str:
        return f"{n // MiB} MiB" if n >= MiB else f"{n // KiB} KiB"

    return f"{size(layout[0])} groups, {size(layout[1])} files"


def places(n: int) -> list[int]:
    """First rows of the slices: spread over the table's middle, none at a round number."""
    return [n // 2 + k * (n // 11) - 3 * k * k for k in range(-2, PLACES - 2)]


def readers(path: Path, lib: str, n: int) -> dict[str, Callable[[int], object]]:
    if lib == "lance":
        import lance

        where = path / "units.lance"
        return {
            "df": lambda a: lance.dataset(where).to_table().to_pandas(),
            "col": lambda a: lance.dataset(where).to_table(columns=["f"]).column(0).to_numpy(),
            "slice": lambda a: lance.dataset(where).to_table(offset=a, limit=1000).to_pandas(),
            "row": lambda a: lance.dataset(where).take([a + 17]).to_pandas(),
        }

    def units() -> Any:
        return hdmf_arrow.read(path)["units"]

    return {
        "df": lambda a: units().to_dataframe(index=True),
        "col": lambda a: units()["f"].data,
        "slice": lambda a: units()[a : a + 1000],
        "row": lambda a: units()[a + 17],
    }


def shape(path: Path) -> str:
    """Files, row groups per file and footer bytes (median) of the units table's files."""
    files = sorted((p for p in (path / "data").rglob("*.parquet")), key=lambda p: -p.stat().st_size)
    metas = [pq.read_metadata(p) for p in files]
    units = [m for m in metas if m.num_rows > 1000] or metas
    groups = statistics.median(m.num_row_groups for m in units)
    footer = statistics.median(m.serialized_size for m in units)
    rows = statistics.median(m.row_group(0).num_rows for m in units)
    return f"{len(units)}; {groups:.0f}; {rows:,.0f}; {footer / KiB:.0f} KiB"


def run(n: int, rounds: int, work: Path) -> str:
    units, target = make_tables(n)
    root = hdmf_root(units, target)
    libs: dict[str, Path] = {}
    times: dict[str, dict[str, list[float]]] = {}
    hdmf_arrow.write(root, work / "warm-up")  # not timed: the first write of a process
    for layout in LAYOUTS:
        path = work / f"{layout[0]}-{layout[1]}"
        options = ParquetOptions(row_group_bytes=layout[0], max_file_bytes=layout[1])
        gc.collect()
        start = time.perf_counter()
        hdmf_arrow.write(root, path, options=options)
        libs[label(layout)] = path
        times[label(layout)] = {"write": [time.perf_counter() - start]}
    gc.collect()
    start = time.perf_counter()
    writer("lance", units, target)(work / "lance")
    libs["Lance"] = work / "lance"
    times["Lance"] = {"write": [time.perf_counter() - start]}
    del units, target, root
    calls = {
        lib: readers(path, "lance" if lib == "Lance" else "ours", n) for lib, path in libs.items()
    }
    starts = places(n)
    for ops in calls.values():  # not timed: the first call of each kind in the process
        for call in ops.values():
            call(starts[0])
    order = list(calls)
    for done in range(rounds):
        a = starts[done % PLACES]
        order = order[1:] + order[:1]  # each takes its turn at going first
        for op in ("df", "col", "slice", "row"):
            if op == "df" and done >= 3:
                continue  # the whole reads are long and steady: three rounds
            for lib, ops in ((lib, calls[lib]) for lib in order):
                gc.collect()
                start = time.perf_counter()
                ops[op](a)
                times[lib].setdefault(op, []).append(time.perf_counter() - start)
    head = "| layout | files; groups per file; rows per group; footer | size | " + " | ".join(
        OPS.values()
    )
    lines = [head + " |", "|---|---|---:|" + "---:|" * len(OPS)]
    for lib, path in libs.items():
        cells = [
            _seconds(statistics.median(times[lib][op]))
            + ("" if lib == "Lance" or lib == label(LAYOUTS[0]) else _vs(times, lib, op))
            for op in OPS
        ]
        layout = "—" if lib == "Lance" else shape(path)
        name = f"{lib} (default)" if lib == label(LAYOUTS[0]) else lib
        lines.append(
            f"| {name} | {layout} | {disk_bytes(path) / MiB:,.1f} MiB | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def _vs(times: dict[str, dict[str, list[float]]], lib: str, op: str) -> str:
    base = statistics.median(times[label(LAYOUTS[0])][op])
    return f" ({statistics.median(times[lib][op]) / base:.2f}x)"


def _seconds(s: float) -> str:
    return f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--write", type=Path, help="replace the LAYOUT section of this file")
    args = parser.parse_args()
    command = shlex.join(["python", *sys.argv])
    with tempfile.TemporaryDirectory() as tmp:
        body = run(args.rows, args.rounds, Path(tmp))
    section = (
        f"{BEGIN}\n## Row groups and files: the layout's trade-off (issue 12)\n\n`{command}`; "
        f"{args.rows:,} rows; medians of {args.rounds} interleaved rounds (whole reads: 3), "
        f"`gc.collect()` before each call, one process, local disk; slices and rows at "
        f"{PLACES} places in turn; each read done once untimed first. In parentheses: "
        f"against the default layout.\n\n{body}\n{END}"
    )
    print(section)
    if args.write:
        replace_section(args.write, section, BEGIN, END)


if __name__ == "__main__":
    main()
