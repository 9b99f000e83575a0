"""Wide tables: is reading a table linear in its columns? (issue 8, part 8; issue 12, item 4)

For tables of 100 rows and 1,000 / 10,000 float columns, written once to a local store, it
times, in one process: hdmf-arrow's open (the manifest and the tree), open + ``to_arrow()`` (every
column read), one column of a freshly opened table, and raw ``pyarrow.parquet.read_table`` of the
same file (all columns, and one). Run it as
``python benchmarks/wide.py [--write benchmarks/RESULTS.md]``; with ``--write`` it replaces its
own section of RESULTS.md (between the WIDE markers).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import hdmf_arrow
from hdmf_arrow.common import DynamicTable

if TYPE_CHECKING:
    from collections.abc import Callable

BEGIN, END = "<!-- WIDE BEGIN -->", "<!-- WIDE END -->"


def best_of(fns: list[Callable[[], object]], repeat: int = 5) -> list[float]:
    """The least time of each of ``fns`` over ``repeat`` rounds, the functions taking turns
    within a round (so that a noisy moment of a shared machine hits them alike)."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def run(widths: list[int]) -> str:
    rows = []
    for width in widths:
        data = pa.table({f"c{i}": np.arange(100, dtype=np.float64) + i for i in range(width)})
        where = Path(tempfile.mkdtemp(prefix="hdmf-arrow-wide-"))
        try:
            location = where / "wide.hdmf"
            hdmf_arrow.write(DynamicTable.from_arrow(data, name="wide"), location)
            (path,) = hdmf_arrow.data_files(location, "wide")
            opened, whole, one, raw, raw_one = best_of(
                [
                    lambda location=location: hdmf_arrow.read(location),
                    lambda location=location: hdmf_arrow.read(location).to_arrow(),
                    lambda location=location: hdmf_arrow.read(location)["c7"].data,
                    lambda path=path: pq.read_table(path),
                    lambda path=path: pq.read_table(path, columns=["c7"]),
                ]
            )
        finally:
            shutil.rmtree(where)
        rows.append((width, opened, whole, one, raw, raw_one))
        shown = f"open {opened:.3f} s, open + to_arrow {whole:.3f} s, one column {one:.3f} s"
        print(f"{width} columns: {shown}, pq.read_table {raw:.3f} s", file=sys.stderr)
    lines = [
        "| columns | open | open + to_arrow() | pq.read_table | to_arrow / pyarrow | "
        "open + one column | pq.read_table(columns=[one]) | per column (open + to_arrow) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for width, opened, whole, one, raw, raw_one in rows:
        lines.append(
            f"| {width:,} | {opened:.3f} s | {whole:.3f} s | {raw:.3f} s | {whole / raw:.2f}x | "
            f"{one:.3f} s | {raw_one:.3f} s | {whole / width * 1e6:.0f} µs |"
        )
    (w0, open0, whole0, one0, raw0, _), (w1, open1, whole1, one1, raw1, _) = rows[0], rows[-1]
    lines.append("")
    lines.append(
        f"Cost per column from the narrowest to the widest table (1.0 = linear in the "
        f"columns): open + to_arrow {whole1 / w1 / (whole0 / w0):.2f}x, open "
        f"{open1 / w1 / (open0 / w0):.2f}x, open + one column {one1 / w1 / (one0 / w0):.2f}x; "
        f"pyarrow's own pq.read_table {raw1 / w1 / (raw0 / w0):.2f}x."
    )
    return "\n".join(lines)


def replace_section(target: Path, section: str, begin: str = BEGIN, end: str = END) -> None:
    """Put ``section`` (which starts with ``begin`` and ends with ``end``) in place of the text
    from ``begin`` to ``end`` in ``target``, or append it when ``target`` has no such part."""
    text = target.read_text() if target.exists() else ""
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section.rstrip("\n") + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section.rstrip("\n") + "\n"
    target.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", type=Path, help="replace the WIDE section of this file")
    parser.add_argument("--widths", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args()
    command = shlex.join(["python", *sys.argv])
    body = run(args.widths)
    section = (
        f"{BEGIN}\n## Wide tables (issue 8, part 8; issue 12, item 4)\n\n`{command}`, best of "
        f"5 rounds (the five operations taking turns in each), local disk, 100 rows of float64 "
        f"per column.\n\n{body}\n{END}"
    )
    print(section)
    if args.write:
        replace_section(args.write, section)


if __name__ == "__main__":
    main()
