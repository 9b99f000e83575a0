"""hdmf-arrow against Delta Lake and Lance, raw pyarrow.parquet being the limit (issue 12, item 1).

One table, written and read by each library with the calls a user of it would pick:

- ``units``: ``id`` int64 (0..n-1), ``i`` int64, ``f`` float64, ``s`` short strings
  (``s0``..``s99``), ``r`` ragged float64 (0-39 values per row) and ``reg``, an int64 row
  position into ``target`` (1,000 rows: ``x`` float64, ``label`` string). For hdmf-arrow
  ``reg`` is a DynamicTableRegion; for the others it is a plain int64 column. Every library
  writes both tables.

The writes run in one process that holds the input once (loaded from an Arrow IPC file),
library after library in rounds. Each library reads in a process of its own that the parent
drives operation by operation, again in rounds over the libraries, so that a change in the
machine's load hits all alike; every read opens a new handle (a new ``hdmf_arrow.read`` /
``DeltaTable`` / ``lance.dataset`` / ``pq.read_table``). The import and the first read of a
process are timed in new processes. The OS page cache is warm for every library alike (the
files were just written). Times are medians of several runs.

    python benchmarks/peers.py                        # 100k and 1M rows, prints the section
    python benchmarks/peers.py --sizes 100000,1000000,10000000
    python benchmarks/peers.py --write benchmarks/RESULTS.md   # replace its section there
    python benchmarks/peers.py --sizes 1000000 --profile        # cProfile hdmf-arrow's ops
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import importlib
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

BEGIN, END = "<!-- PEERS BEGIN -->", "<!-- PEERS END -->"
LIBS = ("hdmf-arrow", "delta", "lance", "raw")
PEERS = ("delta", "lance")
TITLES = {
    "hdmf-arrow": "hdmf-arrow",
    "delta": "Delta Lake",
    "lance": "Lance",
    "raw": "raw pyarrow",
}
ENTRY = {  # the module each library is imported as, and the name its first call uses
    "hdmf-arrow": ("hdmf_arrow", "read"),
    "delta": ("deltalake", "DeltaTable"),
    "lance": ("lance", "dataset"),
    "raw": ("pyarrow.parquet", "read_table"),
}
PACKAGES = ("hdmf-arrow", "deltalake", "pylance", "pyarrow", "pandas", "numpy")
TARGET_ROWS = 1_000
SLICE = 1_000
MIN_RUNS, MAX_RUNS = 3, 7
BUDGET = 20.0  # seconds of timed runs per operation, after MIN_RUNS
DEFAULT_SIZES = (100_000, 1_000_000)
NESTED_MAX_ROWS = 100_000  # to_dataframe() with region cells as DataFrames (~100 s at 1M rows)

OPS: dict[str, str] = {
    "write": "write (both tables)",
    "df": "open + whole table to pandas",
    "df_nested": "open + to_dataframe() (region cells as DataFrames)",
    "col": "open + one float column as numpy",
    "slice": f"open + {SLICE:,}-row slice to pandas",
    "row": "open + one row to pandas",
    "first": "first open + one row in a new process",
    "import": "import the library and get its entry point (numpy, pandas, pyarrow loaded)",
}

CALLS = """\
- hdmf-arrow: write `hdmf_arrow.write(root, path)`, `root` a SimpleMultiContainer of the two
  DynamicTables built (untimed) by `DynamicTable.from_arrow(table, target_tables=...)` from the
  in-memory Arrow tables, so its data are Arrow arrays already; reads `t =
  hdmf_arrow.read(path)["units"]`, then `t.to_dataframe(index=True)` (regions as row
  positions, as the peers give them), `t.to_dataframe()` (hdmf's default: each region cell a
  DataFrame of its target rows; only up to {nested:,} rows), `t["f"].data`, `t[a:a + {k}]`,
  `t[k]`.
- Delta Lake: `write_deltalake(path, table)` (defaults); `DeltaTable(path).to_pandas()`,
  `DeltaTable(path).to_pyarrow_table(columns=["f"]).column(0).to_numpy()`; slices and rows by
  `DeltaTable(path).to_pandas(filters=[("id", ">=", a), ("id", "<", a + {k})])` and
  `filters=[("id", "=", k)]` (Delta has no row positions; `id` equals the position here).
- Lance: `lance.write_dataset(table, path)` (defaults);
  `lance.dataset(path).to_table().to_pandas()`,
  `.to_table(columns=["f"]).column(0).to_numpy()`,
  `.to_table(offset=a, limit={k}).to_pandas()`, `.take([k]).to_pandas()`.
- raw pyarrow: write `pq.write_table(table, path)` (defaults: snappy, 1Mi-row row groups);
  reads of **hdmf-arrow's data files** (so the ratio is hdmf-arrow's cost over the same bytes;
  hdmf-arrow writes a table as files of at most 64 MiB in memory, at least one per core from
  64 MiB on: 1 file at 100k rows, 3 at 1M, 30 at 10M):
  `pq.read_table(files).to_pandas()`, `pq.read_table(files, columns=["f"]).column(0).to_numpy()`,
  and for slices and rows `pq.ParquetFile(file).read_row_groups(groups)` of the row groups
  holding the rows (found from the footer of the one file holding them, its first row known
  beforehand), `.slice(...).to_pandas()`.
- Slices start at row n/2 (500,000 at 1M rows), the row is n/2 + 17.
- "first open + one row in a new process": the first call of a process that has imported the
  library and read nothing yet (what a script pays for its first row); the other reads are
  timed after it, each from a new handle.
- size on disk: every file of the store (both tables, manifests, logs, cached specs).
- The children keep compiled bytecode (outside the source tree), as an installed package has
  it; `PYTHONDONTWRITEBYTECODE=1` would make every process compile hdmf-arrow's modules."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- data -----------------------------------------------------------------------------------------


def make_tables(n: int, seed: int = 0) -> tuple[Any, Any]:
    """The ``units`` and ``target`` Arrow tables (seeded)."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 40, n)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    vocab = pa.array([f"s{k}" for k in range(100)])
    units = pa.table(
        {
            "id": np.arange(n, dtype=np.int64),
            "i": rng.integers(0, 2**40, n),
            "f": rng.random(n),
            "s": vocab.take(pa.array(rng.integers(0, 100, n))),
            "r": pa.ListArray.from_arrays(offsets, rng.random(int(offsets[-1]))),
            "reg": rng.integers(0, TARGET_ROWS, n),
        }
    )
    target = pa.table(
        {"x": rng.random(TARGET_ROWS), "label": [f"t{k}" for k in range(TARGET_ROWS)]}
    )
    return units, target


def save_tables(n: int, where: Path) -> None:
    import pyarrow as pa

    units, target = make_tables(n)
    for name, table in (("units", units), ("target", target)):
        with (
            pa.OSFile(str(where / f"{name}.arrow"), "wb") as sink,
            pa.ipc.new_file(sink, table.schema) as writer,
        ):
            writer.write_table(table)


def load_tables(where: Path) -> tuple[Any, Any]:
    """The input tables, read into memory (not memory-mapped)."""
    import pyarrow as pa

    out = []
    for name in ("units", "target"):
        with pa.OSFile(str(where / f"{name}.arrow")) as source:
            out.append(pa.ipc.open_file(source).read_all())
    return out[0], out[1]


# -- timing ---------------------------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(
    calls: dict[str, Callable[[], float]], *, min_runs: int = MIN_RUNS
) -> dict[str, list[float]]:
    """Times of each call, in rounds (A, B, C, A, B, C, ...) so that a change in the machine's
    load hits every library alike: ``min_runs`` rounds, then more up to MAX_RUNS while the
    rounds took less than BUDGET seconds per library."""
    times: dict[str, list[float]] = {key: [] for key in calls}
    spent = 0.0
    for done in range(MAX_RUNS):
        if done >= min_runs and spent > BUDGET * len(calls):
            break
        for key, call in calls.items():
            seconds = call()
            times[key].append(seconds)
            spent += seconds
    return times


def disk_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- the libraries: writers -----------------------------------------------------------------------


def hdmf_root(units: Any, target: Any) -> Any:
    """hdmf-arrow's SimpleMultiContainer of the two tables, ``reg`` a DynamicTableRegion."""
    from hdmf_arrow.common import DynamicTable, SimpleMultiContainer

    tgt = DynamicTable.from_arrow(target, name="target", description="rows regions point at")
    # the hdmf document of a 0-row table marks "reg" as a region, as a stored file's does
    template = DynamicTable.from_arrow(units.drop_columns(["reg"]).slice(0, 0), name="units")
    template.add_column("reg", "a row of the target", data=units["reg"].to_numpy()[:0], table=tgt)
    meta = template.to_arrow().schema.metadata
    table = DynamicTable.from_arrow(
        units.replace_schema_metadata(meta), name="units", target_tables={"reg": tgt}
    )
    assert table["reg"].data_type == "DynamicTableRegion", table["reg"].data_type
    return SimpleMultiContainer(name="root", containers=[tgt, table])


def writer(lib: str, units: Any, target: Any) -> Callable[[Path], None]:
    """A function writing both tables under a new directory, as ``lib`` does."""
    if lib == "hdmf-arrow":
        import hdmf_arrow

        root = hdmf_root(units, target)
        return lambda path: hdmf_arrow.write(root, path)
    if lib == "delta":
        from deltalake import write_deltalake

        def write_delta(path: Path) -> None:
            write_deltalake(path / "units", units)
            write_deltalake(path / "target", target)

        return write_delta
    if lib == "lance":
        import lance

        def write_lance(path: Path) -> None:
            lance.write_dataset(units, path / "units.lance")
            lance.write_dataset(target, path / "target.lance")

        return write_lance
    import pyarrow.parquet as pq

    def write_raw(path: Path) -> None:
        path.mkdir()
        pq.write_table(units, path / "units.parquet")
        pq.write_table(target, path / "target.parquet")

    return write_raw


# -- the libraries: readers -----------------------------------------------------------------------


def readers(lib: str, store: Path, raw_file: str, n: int) -> dict[str, Callable[[], object]]:
    """Operation name -> a call reading from a new handle, as ``lib`` does."""
    a = n // 2
    b = min(a + SLICE, n)
    k = min(a + 17, n - 1)
    if lib == "hdmf-arrow":
        import hdmf_arrow

        def table() -> Any:
            return hdmf_arrow.read(store)["units"]

        ops: dict[str, Callable[[], object]] = {
            "df": lambda: table().to_dataframe(index=True),
            "col": lambda: table()["f"].data,
            "slice": lambda: table()[a:b],
            "row": lambda: table()[k],
        }
        if n <= NESTED_MAX_ROWS:
            ops["df_nested"] = lambda: table().to_dataframe()
        return ops
    if lib == "delta":
        from deltalake import DeltaTable

        where = store / "units"
        return {
            "df": lambda: DeltaTable(where).to_pandas(),
            "col": lambda: DeltaTable(where).to_pyarrow_table(columns=["f"]).column(0).to_numpy(),
            "slice": lambda: DeltaTable(where).to_pandas(filters=[("id", ">=", a), ("id", "<", b)]),
            "row": lambda: DeltaTable(where).to_pandas(filters=[("id", "=", k)]),
        }
    if lib == "lance":
        import lance

        where = store / "units.lance"
        return {
            "df": lambda: lance.dataset(where).to_table().to_pandas(),
            "col": lambda: lance.dataset(where).to_table(columns=["f"]).column(0).to_numpy(),
            "slice": lambda: lance.dataset(where).to_table(offset=a, limit=b - a).to_pandas(),
            "row": lambda: lance.dataset(where).take([k]).to_pandas(),
        }
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = raw_file.split(os.pathsep)
    firsts = [0]  # each file's first row (known beforehand: not timed)
    for f in files:
        firsts.append(firsts[-1] + pq.read_metadata(f).num_rows)

    def rows(start: int, stop: int) -> Any:
        parts = []
        for i, f in enumerate(files):  # the files holding rows [start, stop)
            lo, hi = max(start - firsts[i], 0), min(stop, firsts[i + 1]) - firsts[i]
            if lo >= hi:
                continue
            pf = pq.ParquetFile(f)
            groups, first, seen = [], None, 0
            for g in range(pf.metadata.num_row_groups):
                size = pf.metadata.row_group(g).num_rows
                if seen + size > lo and seen < hi:
                    groups.append(g)
                    first = seen if first is None else first
                seen += size
            parts.append(pf.read_row_groups(groups).slice(lo - (first or 0), hi - lo))
        return (parts[0] if len(parts) == 1 else pa.concat_tables(parts)).to_pandas()

    return {
        "df": lambda: pq.read_table(files if len(files) > 1 else files[0]).to_pandas(),
        "col": lambda: (
            pq.read_table(files if len(files) > 1 else files[0], columns=["f"]).column(0).to_numpy()
        ),
        "slice": lambda: rows(a, b),
        "row": lambda: rows(k, k + 1),
    }


def check_reads(lib: str, ops: dict[str, Callable[[], object]], n: int) -> None:
    """The slice and the row hold the rows asked for (ids equal positions here)."""
    import numpy as np

    a = n // 2
    for key, first, count in (("slice", a, min(SLICE, n - a)), ("row", min(a + 17, n - 1), 1)):
        df: Any = ops[key]()
        ids = np.asarray(df.index if lib == "hdmf-arrow" else df["id"])
        expected = np.arange(first, first + count)
        assert len(df) == count, (lib, key, len(df))
        assert (ids == expected).all(), (lib, key, ids[:3])


# -- the child processes --------------------------------------------------------------------------


def child_write(where: Path) -> dict[str, Any]:
    """Every library's writes, interleaved, in one process holding the input once."""
    units, target = load_tables(where)
    writers = {lib: writer(lib, units, target) for lib in LIBS}
    gc.freeze()  # the input is not the collector's business during the timings
    made: dict[str, list[Path]] = {lib: [] for lib in LIBS}

    def call(lib: str) -> Callable[[], float]:
        def one() -> float:
            path = where / lib / f"rep-{len(made[lib])}"
            made[lib].append(path)
            return timed(lambda: writers[lib](path))

        return one

    times = interleaved({lib: call(lib) for lib in LIBS})
    result: dict[str, Any] = {}
    for lib in LIBS:
        store = where / lib / "store"
        made[lib][0].rename(store)
        for path in made[lib][1:]:
            shutil.rmtree(path)
        result[lib] = {"write": times[lib], "bytes": disk_bytes(store)}
    import hdmf_arrow

    files = hdmf_arrow.data_files(where / "hdmf-arrow" / "store", "units")
    result["raw_file"] = os.pathsep.join(files)
    return result


def load_library(lib: str) -> float:
    """Import ``lib`` (numpy, pandas and pyarrow first, untimed); the seconds it took."""
    for common in ("numpy", "pandas", "pyarrow"):
        importlib.import_module(common)
    module, name = ENTRY[lib]
    start = time.perf_counter()
    getattr(importlib.import_module(module), name)  # packages may import lazily
    return time.perf_counter() - start


def child_first(lib: str, store: Path, raw_file: str, n: int) -> dict[str, Any]:
    """A new process: the import, then its first read (one row)."""
    seconds = load_library(lib)
    return {"import": seconds, "first": timed(readers(lib, store, raw_file, n)["row"])}


def child_serve(lib: str, store: Path, raw_file: str, n: int, out: Any) -> None:
    """Run the operations the parent names on stdin, one per line, answering each with a line
    of JSON on ``out``: ``{"seconds": ...}`` for an operation, ``{"rss": ...}`` for ``rss``.
    ``profile <op> <file>`` runs the operation under cProfile and saves the stats."""
    import pyarrow as pa

    load_library(lib)
    ops = readers(lib, store, raw_file, n)
    check_reads(lib, ops, n)
    out.write(json.dumps({"ops": list(ops)}) + "\n")
    out.flush()
    for line in sys.stdin:
        command, *rest = line.split()
        answer: dict[str, Any]
        if command == "rss":
            answer = {"rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
        elif command == "profile":
            import cProfile

            prof = cProfile.Profile()
            prof.runcall(ops[rest[0]])
            prof.dump_stats(rest[1])
            answer = {"saved": rest[1]}
        else:
            answer = {"seconds": timed(ops[command])}
        pa.default_memory_pool().release_unused()
        out.write(json.dumps(answer) + "\n")
        out.flush()


def child_env(pycache: Path) -> dict[str, str]:
    """The children's environment: they keep compiled bytecode (in ``pycache``, outside the
    source tree), as an installed package has it. With PYTHONDONTWRITEBYTECODE an editable
    install compiles hdmf-arrow's modules again in every process, and its import would seem
    to cost a second or more."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def run_child(args: Sequence[str], pycache: Path) -> dict[str, Any]:
    """Run this file as a child process; its last line of output is a JSON document."""
    command = [sys.executable, __file__, "--child", *args]
    done = subprocess.run(
        command, stdout=subprocess.PIPE, check=True, text=True, env=child_env(pycache)
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


class Server:
    """A read process of one library (``child_serve``), driven line by line."""

    def __init__(self, args: Sequence[str], pycache: Path) -> None:
        command = [sys.executable, __file__, "--child", "serve", *args]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(pycache),
        )
        self.ops: list[str] = self._answer()["ops"]

    def _answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            msg = f"read process {self.proc.args!r} ended (exit code {self.proc.wait()})"
            raise RuntimeError(msg)
        return json.loads(line)  # type: ignore[no-any-return]

    def ask(self, command: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self._answer()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()


def ask_seconds(server: Server, op: str) -> float:
    return float(server.ask(op)["seconds"])


# -- the parent -----------------------------------------------------------------------------------


def bench_size(n: int, work: Path, profile: Path | None) -> dict[str, Any]:
    where = work / f"n{n}"
    where.mkdir()
    pycache = work / "pycache"
    log(f"== {n:,} rows ==")
    save_tables(n, where)
    for lib in LIBS:
        (where / lib).mkdir()
    loads = [os.getloadavg()[0]]
    written = run_child(["write", str(where)], pycache)
    (where / "units.arrow").unlink()
    raw_file = written.pop("raw_file")
    results: dict[str, dict[str, Any]] = written
    for lib in LIBS:
        log(f"    {lib:<10} write     {statistics.median(results[lib]['write']):9.4f} s")
    loads.append(os.getloadavg()[0])

    def args(lib: str) -> list[str]:
        return [lib, str(where / lib / "store"), raw_file, str(n)]

    def first(lib: str) -> Callable[[], float]:
        def one() -> float:
            found = run_child(["first", *args(lib)], pycache)
            results[lib].setdefault("import", []).append(found["import"])
            return float(found["first"])

        return one

    for lib, times in interleaved({lib: first(lib) for lib in LIBS}).items():
        results[lib]["first"] = times
    servers = {lib: Server(args(lib), pycache) for lib in LIBS}
    try:
        for key in OPS:
            who = [lib for lib in LIBS if key in servers[lib].ops]
            if not who:
                continue
            calls = {lib: functools.partial(ask_seconds, servers[lib], key) for lib in who}
            for lib, times in interleaved(
                calls, min_runs=1 if key == "df_nested" else MIN_RUNS
            ).items():
                results[lib][key] = times
                log(f"    {lib:<10} {key:<9} {statistics.median(times):9.4f} s")
        for lib in LIBS:
            results[lib]["rss"] = servers[lib].ask("rss")["rss"]
        if profile is not None:
            for key in servers["hdmf-arrow"].ops:
                dump = profile / f"hdmf-arrow-{n}-{key}.pstats"
                servers["hdmf-arrow"].ask(f"profile {key} {dump}")
                log(f"    cProfile of hdmf-arrow {key}: {dump}")
    finally:
        for server in servers.values():
            server.close()
    loads.append(os.getloadavg()[0])
    shutil.rmtree(where)
    return {"n": n, "libs": results, "load": loads}


def median(result: dict[str, Any], lib: str, key: str) -> float | None:
    times = result["libs"][lib].get(key)
    return statistics.median(times) if times else None


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def fmt_bytes(count: float | None) -> str:
    return "—" if count is None else f"{count / 2**20:,.1f} MiB"


def fmt_ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or not b else f"{a / b:.2f}x"


def size_table(result: dict[str, Any]) -> str:
    lines = [
        f"#### {result['n']:,} rows",
        "",
        "| operation | "
        + " | ".join(TITLES[lib] for lib in LIBS)
        + " | hdmf-arrow / best peer | hdmf-arrow / raw pyarrow |",
        "|---|" + "---:|" * (len(LIBS) + 2),
    ]
    for key, label in OPS.items():
        cells = {lib: median(result, lib, key) for lib in LIBS}
        if all(v is None for v in cells.values()):
            continue
        peers = [v for lib in PEERS if (v := cells[lib]) is not None]
        best = min(peers) if peers else None
        runs_note = f" ({len(result['libs']['hdmf-arrow'].get(key, []))} runs)"
        shown = " | ".join(fmt_seconds(cells[lib]) for lib in LIBS)
        lines.append(
            f"| {label}{runs_note if key not in ('first', 'import') else ''} | {shown} | "
            f"{fmt_ratio(cells['hdmf-arrow'], best)} | "
            f"{fmt_ratio(cells['hdmf-arrow'], cells['raw'])} |"
        )
    rss = {lib: result["libs"][lib]["rss"] for lib in LIBS}
    lines.append(
        "| peak RSS of the read process (all its reads; hdmf-arrow's includes the "
        "to_dataframe() row where run) | "
        + " | ".join(fmt_bytes(rss[lib]) for lib in LIBS)
        + f" | {rss['hdmf-arrow'] / min(rss[lib] for lib in PEERS):.2f}x"
        + f" | {rss['hdmf-arrow'] / rss['raw']:.2f}x |"
    )
    sizes = {lib: result["libs"][lib]["bytes"] for lib in LIBS}
    best_size = min(sizes[lib] for lib in PEERS)
    lines.append(
        "| size on disk | "
        + " | ".join(fmt_bytes(sizes[lib]) for lib in LIBS)
        + f" | {sizes['hdmf-arrow'] / best_size:.2f}x | {sizes['hdmf-arrow'] / sizes['raw']:.2f}x |"
    )
    load = ", ".join(f"{x:.2f}" for x in result["load"])
    lines += ["", f"Load average (1 min) before the writes, before the reads, after: {load}."]
    return "\n".join(lines)


def versions() -> str:
    out = []
    for name in PACKAGES:
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} ?")
    return ", ".join(out)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.platform()}; {cpu}; {os.cpu_count()} CPUs; Python {platform.python_version()}"
    )


def render(results: list[dict[str, Any]], command: str) -> str:
    method = CALLS.format(nested=NESTED_MAX_ROWS, k=SLICE)
    parts = [
        f"{BEGIN}\n## Against Delta Lake and Lance (issue 12, item 1)",
        f"Written by `benchmarks/peers.py`; regenerate rather than edit.\n\n"
        f"- Command: `{command}`\n"
        f"- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}\n"
        f"- Machine: {machine()}\n- Versions: {versions()}",
        "### Peers method",
        "- The table: `id` int64, `i` int64, `f` float64, `s` short strings (100 distinct), `r` "
        "ragged float64 (0-39 values per row, ~19.5 on average), `reg` int64 row positions into a "
        f"{TARGET_ROWS:,}-row `target` table (float64 and string).\n"
        "- Writes run in one process holding the input, the libraries in turn (rounds: A, B, C, "
        "D, A, B, ...); each library reads in a long-lived process of its own, driven operation "
        "by operation in rounds over the libraries, each read from a new handle; the import and "
        "the first read are timed in new processes. The OS page cache is warm for all alike. "
        f"Times are medians of {MIN_RUNS}-{MAX_RUNS} rounds (no new round once the rounds so far "
        f"took over {BUDGET:g} s per library; the run count shown is hdmf-arrow's), "
        "with `gc.collect()` before each call. The machine is shared (2 cores, others' jobs "
        "running: see the load averages): expect noise of 10-30 %.\n"
        "- `hdmf-arrow / best peer` above 1 means the faster of Delta Lake and Lance beats "
        "hdmf-arrow by that factor; `hdmf-arrow / raw pyarrow` is hdmf-arrow's cost over plain "
        "pyarrow.\n" + method,
        "### Peers results",
        *(size_table(r) for r in results),
        END,
    ]
    return "\n\n".join(parts) + "\n"


def child(argv: Sequence[str]) -> None:
    """A child process (``--child write|first|serve ...``); answers go to the real stdout,
    while anything the libraries print goes to stderr."""
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    mode, *rest = argv
    if mode == "serve":
        child_serve(rest[0], Path(rest[1]), rest[2], int(rest[3]), out)
    else:
        if mode == "write":
            result = child_write(Path(rest[0]))
        else:
            result = child_first(rest[0], Path(rest[1]), rest[2], int(rest[3]))
        out.write(json.dumps(result) + "\n")
    out.flush()
    sys.stderr.flush()
    os._exit(0)  # deltalake's runtime can abort in interpreter teardown (SIGABRT)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        child(argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda text: sorted(int(s) for s in text.split(",")),
        default=list(DEFAULT_SIZES),
        help="comma-separated row counts (default: %(default)s; 10000000 takes ~6 GB and minutes)",
    )
    parser.add_argument("--write", type=Path, help="replace the peers section of this file")
    parser.add_argument("--tmp", type=Path, help="work directory (default: a new temporary one)")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile hdmf-arrow's reads (stderr, .pstats)"
    )
    args = parser.parse_args(argv)
    command = shlex.join(["python", "benchmarks/peers.py", *argv])
    work = Path(tempfile.mkdtemp(prefix="hdmf-arrow-peers-", dir=args.tmp))
    profile = work.parent / "peers-profiles" if args.profile else None
    if profile is not None:
        profile.mkdir(exist_ok=True)
    try:
        results = [bench_size(n, work, profile) for n in args.sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    section = render(results, command)
    print(section)
    if args.write:
        import wide  # benchmarks/wide.py (not imported above: the children time their imports)

        wide.replace_section(args.write, section, BEGIN, END)
        log(f"wrote {args.write}")


if __name__ == "__main__":
    main()
