"""The Parquet store: hdmf_arrow.write / read vs hdmf 6.2's HDF5IO vs raw pyarrow.parquet.

Uses run.py's table (int64, float64, short strings, ragged floats, a region column into a
1,000-row target table), stored as a SimpleMultiContainer of the target and the table:

1. writing an add_row-built table (hdmf-arrow, hdmf HDF5IO, ``pq.write_table`` of the same
   Arrow table);
2. opening + ``to_dataframe(index=True)``; 3. opening + one column;
4. ``table[i:i+1000]`` on a 10M-row stored table (time and bytes read), and ``table[i]``
   first / second touch on a 1M-row stored table vs hdmf reading a row from HDF5;
5. opening a store of 100 small tables on a local moto S3 server (time, HTTP requests).

    python benchmarks/store.py                 # print the markdown section
    python benchmarks/store.py --quick         # smaller sizes (seconds)
    python benchmarks/run.py --store-only --write benchmarks/RESULTS.md   # replace the section
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import io
import logging
import re
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hdmf.common
import numpy as np
import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import run
from hdmf.backends.hdf5 import HDF5IO

import hdmf_arrow
import hdmf_arrow.common
from hdmf_arrow.storage import LocalStore

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

MARKER = "<!-- store section: written by benchmarks/store.py; regenerate rather than edit -->"
TABLE = "units"  # the benchmark table's name in both files
SMALL_GROUP_BYTES = 256 * 2**10  # table[i] is also measured on a store with row groups this big
WALL_BUDGET = 15.0  # seconds: no more rebuild-and-write runs once this much wall time is spent
ROUNDS = 7  # interleaved comparisons: rounds of A, B, ...
ROUND_BUDGET = 6.0  # seconds: no more rounds once this much is spent
PROC_IO = Path("/proc/self/io")


@dataclass(frozen=True)
class Config:
    sizes: tuple[int, ...] = (10_000, 100_000)  # items 1-3
    slice_rows: int = 10_000_000  # item 4: table[i:i+1000]
    row_rows: int = 1_000_000  # item 4: table[i]
    touches: int = 10  # fresh opens per first-touch measurement
    s3_tables: int = 100
    s3_table_rows: int = 100
    s3_reads: int = 5


FULL = Config()
QUICK = Config(
    sizes=(10_000,), slice_rows=1_000_000, row_rows=100_000, touches=5, s3_tables=20, s3_reads=3
)


def log(message: str) -> None:
    run.log(message)


def fmt_bytes(n: float) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n:.0f} B"


# -- verdicts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    text: str
    measured_as: str
    cells: list[tuple[bool | None, str]]

    def row(self) -> str:
        cells = " | ".join(text for _, text in self.cells)
        overall = run.overall([met for met, _ in self.cells])
        return f"| {self.text} | {self.measured_as} | {cells} | {overall} |"


def judge(
    value: float | None, threshold: float, *, at_least: bool, unit: str = "x"
) -> tuple[bool | None, str]:
    if value is None:
        return None, "not measured"
    met = value >= threshold if at_least else value <= threshold
    shown = f"{value:.3g}x" if unit == "x" else unit
    return met, f"{'met' if met else '**missed**'} ({shown})"


# -- timing helpers -------------------------------------------------------------------------------


def fresh_runs(prepare: Callable[[int], Any], timed: Callable[[int, Any], object]) -> list[float]:
    """Seconds of ``timed(k, prepare(k))`` for runs k = 0, 1, ..., each on freshly prepared
    state (prepare is not timed); up to run.MAX_RUNS, stopping once the timed parts took
    run.REPEAT_BUDGET or the whole loop WALL_BUDGET seconds."""
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < run.MAX_RUNS:
        state = prepare(len(times))
        gc.collect()
        t0 = time.perf_counter()
        timed(len(times), state)
        times.append(time.perf_counter() - t0)
        del state
        if sum(times) > run.REPEAT_BUDGET or time.perf_counter() - start > WALL_BUDGET:
            break
    return times


def interleaved(fns: Sequence[Callable[[], object]]) -> list[float]:
    """Median seconds of each of ``fns``, run in turn (A, B, C, A, B, C, ...) so that the
    machine's noise falls on all of them alike; up to ROUNDS rounds, fewer once ROUND_BUDGET
    seconds have been spent (at least one round)."""
    times: list[list[float]] = [[] for _ in fns]
    start = time.perf_counter()
    while len(times[0]) < ROUNDS and (not times[0] or time.perf_counter() - start < ROUND_BUDGET):
        for fn, out in zip(fns, times, strict=True):
            out.append(run.clock(fn))
    return [statistics.median(t) for t in times]


def note_runs(times: Sequence[float]) -> str:
    return "1 run" if len(times) == 1 else ""


def rchar() -> int | None:
    """Bytes this process has read through read(2)/pread(2) (page cache hits included)."""
    if not PROC_IO.exists():
        return None
    for line in PROC_IO.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    return None


# -- a local store that counts the bytes read -----------------------------------------------------


@dataclass
class Counter:
    data_bytes: int = 0  # read from Parquet files (footers and column chunks)
    reads: int = 0  # read calls on Parquet files
    opens: int = 0  # Parquet files opened
    small_bytes: int = 0  # manifests (Store.read)

    def reset(self) -> None:
        self.data_bytes = self.reads = self.opens = self.small_bytes = 0


class CountingFile(io.FileIO):
    """A local file that adds every byte read to a Counter."""

    def __init__(self, path: str, counter: Counter) -> None:
        super().__init__(path, "r")
        self.counter = counter
        counter.opens += 1

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(-1 if size is None else size)
        self.counter.data_bytes += len(data or b"")
        self.counter.reads += 1
        return data or b""

    def readinto(self, buffer: Any) -> int:
        n = super().readinto(buffer) or 0
        self.counter.data_bytes += n
        self.counter.reads += 1
        return n


class CountingHandler(pafs.FileSystemHandler):
    """pyarrow.fs.PyFileSystem handler: the local filesystem, with input files counted."""

    def __init__(self, counter: Counter) -> None:
        self.fs = pafs.LocalFileSystem()
        self.counter = counter

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CountingHandler) and other.counter is self.counter

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = object.__hash__

    def get_type_name(self) -> str:
        return "counting-local"

    def normalize_path(self, path: str) -> str:
        return self.fs.normalize_path(path)

    def get_file_info(self, paths: list[str]) -> list[pafs.FileInfo]:
        return self.fs.get_file_info(paths)

    def get_file_info_selector(self, selector: pafs.FileSelector) -> list[pafs.FileInfo]:
        return self.fs.get_file_info(selector)

    def create_dir(self, path: str, recursive: bool) -> None:
        self.fs.create_dir(path, recursive=recursive)

    def delete_dir(self, path: str) -> None:
        self.fs.delete_dir(path)

    def delete_dir_contents(self, path: str, missing_dir_ok: bool = False) -> None:
        self.fs.delete_dir_contents(path, missing_dir_ok=missing_dir_ok)

    def delete_root_dir_contents(self) -> None:
        raise NotImplementedError

    def delete_file(self, path: str) -> None:
        self.fs.delete_file(path)

    def move(self, src: str, dest: str) -> None:
        self.fs.move(src, dest)

    def copy_file(self, src: str, dest: str) -> None:
        self.fs.copy_file(src, dest)

    def open_input_stream(self, path: str) -> pa.NativeFile:
        return pa.PythonFile(CountingFile(path, self.counter), mode="r")

    def open_input_file(self, path: str) -> pa.NativeFile:
        return pa.PythonFile(CountingFile(path, self.counter), mode="r")

    def open_output_stream(self, path: str, metadata: Any = None) -> pa.NativeFile:
        return self.fs.open_output_stream(path, metadata=metadata)

    def open_append_stream(self, path: str, metadata: Any = None) -> pa.NativeFile:
        return self.fs.open_append_stream(path, metadata=metadata)


class CountingStore(LocalStore):
    """hdmf-arrow's LocalStore, reading Parquet through a counting pyarrow filesystem."""

    def __init__(self, root: str | Path, counter: Counter) -> None:
        super().__init__(root, read_only=True)
        self.counter = counter
        self._counting_fs = pafs.PyFileSystem(CountingHandler(counter))

    @property
    def arrow_fs(self) -> pafs.FileSystem:
        return self._counting_fs

    def read(self, key: str) -> bytes:
        data = super().read(key)
        self.counter.small_bytes += len(data)
        return data


# -- the tables -----------------------------------------------------------------------------------


def arrow_root(data: run.BenchData) -> tuple[Any, Any]:
    """(SimpleMultiContainer of target + add_row-built table, the table) in hdmf-arrow."""
    target = run.target_table(run.ARROW, data)
    table = run.empty_table(run.ARROW, target, name=TABLE)
    run.fill_rows(run.ARROW, table, data.lists, data.n)
    return hdmf_arrow.common.SimpleMultiContainer("root", [target, table]), table


def hdmf_root(data: run.BenchData) -> Any:
    """The same in hdmf (a container can be written once, so each write builds anew)."""
    with run.hdmf_quiet():
        target = run.target_table(run.HDMF, data)
        table = run.empty_table(run.HDMF, target, name=TABLE)
        run.fill_rows(run.HDMF, table, data.lists, data.n)
        return hdmf.common.SimpleMultiContainer(name="root", containers=[target, table])


def hdmf_write(root: Any, path: Path) -> None:
    with run.hdmf_quiet(), HDF5IO(str(path), mode="w", manager=hdmf.common.get_manager()) as h5:
        h5.write(root)


@contextlib.contextmanager
def hdmf_open(path: Path) -> Iterator[Any]:
    with run.hdmf_quiet(), HDF5IO(str(path), "r", manager=hdmf.common.get_manager()) as h5:
        yield h5.read()


STRINGS = np.array([f"s{k}" for k in range(100)], dtype=object)


def simple_columns(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "i": rng.integers(0, 2**40, n),
        "f": rng.random(n),
        "s": STRINGS[np.arange(n) % 100],
    }


def simple_table(lib: run.Lib, name: str, cols: dict[str, np.ndarray]) -> Any:
    """int64 + float64 + short strings, built with add_column(data=numpy)."""
    n = len(cols["i"])
    with lib.quiet():
        t = lib.table(name=name, description="row access benchmark", id=np.arange(n))
        t.add_column(name="i", description="int64", data=cols["i"])
        t.add_column(name="f", description="float64", data=cols["f"])
        t.add_column(name="s", description="short strings", data=cols["s"])
    return t


# -- results --------------------------------------------------------------------------------------


@dataclass
class Results:
    config: Config
    sizes: list[run.SizeResult] = field(default_factory=list)
    rowgroup_notes: dict[int, str] = field(default_factory=dict)
    slice_rows: list[tuple[str, str]] = field(default_factory=list)
    slice: dict[str, float] = field(default_factory=dict)
    row_table: run.SizeResult | None = None
    row_rows: list[tuple[str, str]] = field(default_factory=list)
    s3_rows: list[tuple[str, str]] = field(default_factory=list)
    s3: dict[str, float] = field(default_factory=dict)
    s3_requests: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


def report(result: run.SizeResult, key: str, who: str, cell: run.Cell) -> None:
    row = result.rows[key]
    setattr(row, who, cell)
    log(f"  [{result.n:>9,}] {row.label:<60} {who:<5} {run.fmt_cell(cell, per_row=False)}")


def median_cell(times: Sequence[float]) -> run.Timing:
    return run.Timing(statistics.median(times), note_runs(times))


# -- 1.-3. write, whole-table read, one column ----------------------------------------------------


def bench_size(n: int, tmp: Path, out: Results) -> None:
    log(f"== store: {n:,} rows ==")
    data = run.make_data(n)
    gc.freeze()
    result = run.SizeResult(n)
    rows = result.rows
    for key, label in (
        ("write_first", "write: first after add_row (raw: a freshly converted Arrow table)"),
        ("write", "write: table already in Arrow (raw: pq.write_table, defaults)"),
        ("write_same", "write: table in Arrow (raw: pq.ParquetWriter, hdmf-arrow's options)"),
        ("write_dict", "write: table in Arrow (raw: the same, dictionary for strings only)"),
        ("open", "open (HDF5IO(...).read() / read(loc) / raw: pq.ParquetFile footer)"),
        ("df", "open + to_dataframe(index=True) (raw: its data file)"),
        ("df_default", "open + to_dataframe(index=True) (raw: pq.write_table file)"),
        ("col", 'open + one column ["f"].data (raw: its data file)'),
    ):
        rows[key] = run.Row(label)

    # 1. write -------------------------------------------------------------------------------
    h5_path = tmp / "hdmf.h5"

    def hdmf_timed(k: int, root: Any) -> None:
        hdmf_write(root, h5_path if k == 0 else tmp / f"hdmf-{k}.h5")

    times = fresh_runs(lambda _k: hdmf_root(data), hdmf_timed)
    report(result, "write_first", "hdmf", median_cell(times))
    for extra in tmp.glob("hdmf-*.h5"):
        extra.unlink()

    # hdmf-arrow's first write after add_row, and raw on a freshly converted table, in turn
    store = tmp / "store"
    first: tuple[list[float], list[float]] = ([], [])
    begin = time.perf_counter()
    while len(first[0]) < run.MAX_RUNS:
        k = len(first[0])
        root, table = arrow_root(data)
        fresh = arrow_root(data)[1].to_arrow()
        where = store if k == 0 else tmp / f"first-{k}"
        first[0].append(run.clock(functools.partial(hdmf_arrow.write, root, where)))
        first[1].append(run.clock(functools.partial(pq.write_table, fresh, tmp / "fresh.parquet")))
        if k == 0:
            kept = root, table
        else:
            shutil.rmtree(where)
        del fresh
        spent = sum(first[0]) + sum(first[1])
        if spent > run.REPEAT_BUDGET or time.perf_counter() - begin > WALL_BUDGET:
            break
    report(result, "write_first", "arrow", median_cell(first[0]))
    report(result, "write_first", "raw", median_cell(first[1]))

    # writes of the table already in Arrow: hdmf-arrow and three raw variants, in turn
    root, table = kept
    pa_table = table.to_arrow()  # warm: the same Arrow table hdmf-arrow writes
    per_group = pq.ParquetFile(hdmf_arrow.data_files(store, TABLE)[0]).metadata.row_group(0)
    per_group = per_group.num_rows
    counter = iter(range(10**9))
    raw_default, raw_same = tmp / "raw-default.parquet", tmp / "raw-same.parquet"
    warm, default, same, strings_only = interleaved(
        [
            lambda: hdmf_arrow.write(root, tmp / f"warm-{next(counter)}"),
            lambda: pq.write_table(pa_table, raw_default),
            lambda: write_like_store(pa_table, raw_same, per_group),
            lambda: write_like_store(pa_table, raw_same, per_group, strings_only=True),
        ]
    )
    for extra in tmp.glob("warm-*"):
        shutil.rmtree(extra)
    for key, raw_seconds in (
        ("write", default),
        ("write_same", same),
        ("write_dict", strings_only),
    ):
        rows[key].arrow = run.Timing(warm)
        report(result, key, "raw", run.Timing(raw_seconds))
    data_file = hdmf_arrow.data_files(store, TABLE)
    assert len(data_file) == 1, data_file
    meta = pq.ParquetFile(data_file[0]).metadata
    out.rowgroup_notes[n] = (
        f"hdmf-arrow's data file: {meta.num_row_groups} row group(s) of {per_group:,} rows, "
        f"zstd, page index, {fmt_bytes(Path(data_file[0]).stat().st_size)}; "
        f"pq.write_table's: {pq.ParquetFile(raw_default).metadata.num_row_groups} row group(s), "
        f"snappy, {fmt_bytes(raw_default.stat().st_size)}; hdmf's HDF5 file: "
        f"{fmt_bytes(h5_path.stat().st_size)}."
    )

    # 2., 3. reads -----------------------------------------------------------------------------
    def hdmf_df() -> object:
        with hdmf_open(h5_path) as h5root:
            return h5root[TABLE].to_dataframe(index=True)

    def hdmf_col() -> object:
        with hdmf_open(h5_path) as h5root:
            return h5root[TABLE]["f"].data[:]

    def hdmf_just_open() -> object:
        with hdmf_open(h5_path) as h5root:
            return h5root[TABLE]

    cases: tuple[
        tuple[str, Callable[[], object], Callable[[], object], Callable[[], object]], ...
    ] = (
        (
            "open",
            hdmf_just_open,
            lambda: hdmf_arrow.read(store)[TABLE],
            lambda: pq.ParquetFile(data_file[0]).metadata,
        ),
        (
            "df",
            hdmf_df,
            lambda: hdmf_arrow.read(store)[TABLE].to_dataframe(index=True),
            lambda: pq.read_table(data_file[0]).to_pandas(),
        ),
        (
            "col",
            hdmf_col,
            lambda: hdmf_arrow.read(store)[TABLE]["f"].data,
            lambda: pq.read_table(data_file[0], columns=["f"]).column(0).to_numpy(),
        ),
    )
    for key, of_hdmf, of_arrow, of_raw in cases:
        extra = [lambda: pq.read_table(raw_default).to_pandas()] if key == "df" else []
        with run.hdmf_quiet():
            seconds = interleaved([of_hdmf, of_arrow, of_raw, *extra])
        for who, value in zip(("hdmf", "arrow", "raw"), seconds, strict=False):
            report(result, key, who, run.Timing(value))
        if extra:
            rows["df_default"].hdmf, rows["df_default"].arrow = rows["df"].hdmf, rows["df"].arrow
            report(result, "df_default", "raw", run.Timing(seconds[3]))

    if not out.checks:
        out.checks = size_checks(data, store, h5_path, table)
        log("\n".join(out.checks))
    out.sizes.append(result)
    gc.unfreeze()


def write_like_store(
    table: pa.Table, path: Path, rows_per_group: int, *, strings_only: bool = False
) -> None:
    """pq.ParquetWriter with hdmf-arrow's file options (as hdmf_arrow/io/_parquet.py
    write_file sets them); ``strings_only`` limits dictionary encoding to string columns."""
    opts = hdmf_arrow.ParquetOptions()
    strings = [f.name for f in table.schema if pa.types.is_string(f.type)]
    with pq.ParquetWriter(
        path,
        table.schema,
        compression=opts.compression,
        write_page_index=True,
        data_page_size=opts.data_page_bytes,
        use_dictionary=strings if strings_only else True,
    ) as writer:
        writer.write_table(table, row_group_size=rows_per_group)


def size_checks(data: run.BenchData, store: Path, h5_path: Path, table: Any) -> list[str]:
    back = hdmf_arrow.read(store)[TABLE]
    got = back.to_dataframe(index=True)
    with hdmf_open(h5_path) as h5root:
        from_h5 = h5root[TABLE].to_dataframe(index=True)
        h5_col = h5root[TABLE]["f"].data[:]
    col = hdmf_arrow.read(store)[TABLE]["f"].data
    return [
        run.check(
            f"{data.n:,} rows: store round trip, to_dataframe(index=True) vs the written table",
            run.frame_differences(table.to_dataframe(index=True), got),
        ),
        run.check(
            f"{data.n:,} rows: to_dataframe(index=True), hdmf from HDF5 vs hdmf-arrow from store",
            run.frame_differences(from_h5, got),
        ),
        run.check(
            f'{data.n:,} rows: column "f", hdmf from HDF5 vs hdmf-arrow from store',
            [] if np.array_equal(h5_col, col) else ["values differ"],
        ),
        run.check(
            f"{data.n:,} rows: region column of the read table points at the read target",
            []
            if back["reg"].table.name == "target" and len(back["reg"].table) == 1000
            else [f"points at {back['reg'].table!r}"],
        ),
    ]


# -- 4. row access from the store ------------------------------------------------------------------


def group_layout(path: str) -> tuple[np.ndarray, list[int], list[int]]:
    """(first row of each row group + total, compressed bytes, uncompressed bytes per group)."""
    meta = pq.ParquetFile(path).metadata
    rows, packed, unpacked = [], [], []
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        rows.append(rg.num_rows)
        packed.append(sum(rg.column(c).total_compressed_size for c in range(rg.num_columns)))
        unpacked.append(rg.total_byte_size)
    return np.concatenate([[0], np.cumsum(rows)]), packed, unpacked


def raw_rows(path: str, starts: np.ndarray, lo: int, hi: int) -> object:
    """Raw pyarrow doing what a first touch needs: open the footer, read the groups, slice."""
    first = int(np.searchsorted(starts, lo, side="right")) - 1
    last = int(np.searchsorted(starts, hi - 1, side="right")) - 1
    tbl = pq.ParquetFile(path).read_row_groups(list(range(first, last + 1)))
    return tbl.slice(lo - int(starts[first]), hi - lo).to_pandas()


def groups_spanned(starts: np.ndarray, lo: int, hi: int) -> int:
    first = int(np.searchsorted(starts, lo, side="right")) - 1
    last = int(np.searchsorted(starts, hi - 1, side="right")) - 1
    return last - first + 1


def bench_slice(config: Config, tmp: Path, out: Results) -> None:
    n, width = config.slice_rows, run.SLICE_ROWS
    log(f"== store: table[i:i+{width}] on {n:,} rows ==")
    cols = simple_columns(n, seed=2)
    t0 = time.perf_counter()
    table = simple_table(run.ARROW, "big", cols)
    build = time.perf_counter() - t0
    loc = tmp / "big"
    t0 = time.perf_counter()
    hdmf_arrow.write(hdmf_arrow.common.SimpleMultiContainer("root", [table]), loc)
    write_s = time.perf_counter() - t0
    raw_path = tmp / "big-raw.parquet"
    pa_table = table.to_arrow()
    t0 = time.perf_counter()
    pq.write_table(pa_table, raw_path)
    raw_write_s = time.perf_counter() - t0
    path = hdmf_arrow.data_files(loc, "big")[0]
    starts, packed, unpacked = group_layout(path)
    per_group = int(starts[1])
    like = tmp / "big-like-store.parquet"
    same_s = run.clock(functools.partial(write_like_store, pa_table, like, per_group))
    dict_s = run.clock(
        functools.partial(write_like_store, pa_table, like, per_group, strings_only=True)
    )
    like.unlink()
    del pa_table, table
    gc.collect()
    file_bytes = Path(path).stat().st_size
    log(f"  built in {build:.2f} s, written in {write_s:.2f} s; {len(packed)} row groups")

    rng = np.random.default_rng(3)
    positions = rng.integers(0, n - width, config.touches).tolist()
    # warm-up on a throwaway open: imports and first-call setup are not part of the figures
    hdmf_arrow.read(loc)["big"][0:width]
    times, second, proc, spans, raw_times = [], [], [], [], []
    for i in positions:  # hdmf-arrow, then raw pyarrow, at each position
        t = hdmf_arrow.read(loc)["big"]
        gc.collect()
        r0 = rchar()
        s = time.perf_counter()
        got = t[i : i + width]
        times.append(time.perf_counter() - s)
        r1 = rchar()
        if r0 is not None and r1 is not None:
            proc.append(r1 - r0)
        s = time.perf_counter()
        t[i : i + width]
        second.append(time.perf_counter() - s)
        spans.append(groups_spanned(starts, i, i + width))
        raw_times.append(run.clock(functools.partial(raw_rows, path, starts, i, i + width)))
    counted, reads = [], []
    counter = Counter()
    for i in positions:
        counter.reset()
        t = hdmf_arrow.read(CountingStore(loc, counter))["big"]
        opened = (counter.small_bytes, counter.data_bytes)  # manifest; Parquet (none expected)
        counter.reset()
        t[i : i + width]
        counted.append(counter.data_bytes)
        reads.append(counter.reads)
    open_s = run.median_seconds(lambda: hdmf_arrow.read(loc)["big"])

    i = positions[-1]
    problems = [
        f"column {c!r} differs"
        for c in ("i", "f", "s")
        if not np.array_equal(got[c].to_numpy(), cols[c][i : i + width])
    ]
    if not np.array_equal(got.index.to_numpy(), np.arange(i, i + width)):
        problems.append("ids differ")
    out.checks.append(run.check(f"{n:,}-row table[i:i+{width}] values vs the source", problems))

    out.slice = {
        "bytes_max": max(counted),
        "bytes_median": statistics.median(counted),
        "group_max": max(packed),
        "spans_max": max(spans),
    }
    med_rows = int(np.median(np.diff(starts)))
    two = 2 * max(packed)
    out.slice_rows = [
        ("rows; row groups; rows per group (median)", f"{n:,}; {len(packed)}; {med_rows:,}"),
        (
            "row group size, compressed (median / max; from the Parquet metadata)",
            f"{fmt_bytes(statistics.median(packed))} / {fmt_bytes(max(packed))}",
        ),
        (
            "row group size, uncompressed (median / max)",
            f"{fmt_bytes(statistics.median(unpacked))} / {fmt_bytes(max(unpacked))}",
        ),
        (
            "data file; footer + page index (file - column chunks)",
            f"{fmt_bytes(file_bytes)}; {fmt_bytes(file_bytes - sum(packed))}",
        ),
        (
            "build (add_column(data=numpy)); first hdmf_arrow.write (incl. the conversion to "
            "Arrow); raw pq.write_table of the converted table",
            f"{run.fmt_seconds(build)}; {run.fmt_seconds(write_s)}; {run.fmt_seconds(raw_write_s)}",
        ),
        (
            "raw pq.ParquetWriter with hdmf-arrow's options; the same with dictionary encoding "
            "for string columns only (one run each)",
            f"{run.fmt_seconds(same_s)}; {run.fmt_seconds(dict_s)}",
        ),
        (
            'read(loc)["big"] (open): time; manifest bytes; Parquet bytes read',
            f"{run.fmt_seconds(open_s)}; {fmt_bytes(opened[0])}; {fmt_bytes(opened[1])}",
        ),
        (
            f"table[i:i+{width}], first touch (median of {len(times)} fresh opens)",
            run.fmt_seconds(statistics.median(times)),
        ),
        (
            "raw pyarrow first touch: ParquetFile(path).read_row_groups(needed)"
            ".slice().to_pandas()",
            run.fmt_seconds(statistics.median(raw_times)),
        ),
        (
            f"table[i:i+{width}], second touch of the same rows (median)",
            run.fmt_seconds(statistics.median(second)),
        ),
        ("row groups spanned by the slices (max)", str(max(spans))),
        (
            "bytes read per first touch, counting filesystem (median / max)",
            f"{fmt_bytes(statistics.median(counted))} / {fmt_bytes(max(counted))} "
            f"({statistics.median(reads):.0f} read calls)",
        ),
        (
            "bytes read per first touch, /proc/self/io rchar, native filesystem (median / max)",
            f"{fmt_bytes(statistics.median(proc))} / {fmt_bytes(max(proc))}" if proc else "—",
        ),
        ("two row groups (2 x the largest, compressed)", fmt_bytes(two)),
    ]
    for label, value in out.slice_rows:
        log(f"  {label}: {value}")


def bench_rows(config: Config, tmp: Path, out: Results) -> None:
    n = config.row_rows
    log(f"== store: table[i] on {n:,} rows ==")
    cols = simple_columns(n, seed=4)
    loc = tmp / "rows"
    table = simple_table(run.ARROW, "rows", cols)
    hdmf_arrow.write(hdmf_arrow.common.SimpleMultiContainer("root", [table]), loc)
    small_loc = tmp / "rows-small"
    small = hdmf_arrow.ParquetOptions(row_group_bytes=SMALL_GROUP_BYTES)
    hdmf_arrow.write(simple_table(run.ARROW, "rows", cols), small_loc, options=small)
    h5_path = tmp / "rows.h5"
    hdmf_table = simple_table(run.HDMF, "rows", cols)
    with run.hdmf_quiet():
        hdmf_write(hdmf.common.SimpleMultiContainer(name="root", containers=[hdmf_table]), h5_path)
    del table, hdmf_table
    path = hdmf_arrow.data_files(loc, "rows")[0]
    starts, packed, _ = group_layout(path)

    rng = np.random.default_rng(5)
    positions = rng.integers(0, n - 1, 2 * config.touches).tolist()
    result = run.SizeResult(n)
    rows = result.rows
    for key, label in (
        ("open", "open (HDF5IO(...).read() / read(loc))"),
        ("first", "table[i], first touch after opening"),
        ("second", "table[i+1], second touch (same neighbourhood)"),
        (
            "first_small",
            f"table[i], first touch; store written with row_group_bytes="
            f"{fmt_bytes(SMALL_GROUP_BYTES)}",
        ),
        (
            "second_small",
            f"table[i+1], second touch; row_group_bytes={fmt_bytes(SMALL_GROUP_BYTES)}",
        ),
    ):
        rows[key] = run.Row(label)

    @contextlib.contextmanager
    def from_store(where: Path, name: str) -> Iterator[Any]:
        opened = hdmf_arrow.read(where)
        yield opened[name] if name else opened

    @contextlib.contextmanager
    def from_hdf5() -> Iterator[Any]:
        with run.hdmf_quiet(), HDF5IO(str(h5_path), "r", manager=hdmf.common.get_manager()) as h5:
            yield h5.read()["rows"]

    cases: dict[str, Callable[[], contextlib.AbstractContextManager[Any]]] = {
        "arrow": lambda: from_store(loc, "rows"),
        "small": lambda: from_store(small_loc, ""),
        "hdmf": from_hdf5,
    }
    times: dict[str, tuple[list[float], list[float], list[float]]] = {
        who: ([], [], []) for who in cases
    }
    raw: list[float] = []
    with from_store(loc, "rows") as t:
        t[0]  # warm-up (imports)
    for i in positions:  # each position on every side in turn, each on a freshly opened file
        for who, opener in cases.items():
            opened, first, second = times[who]
            gc.collect()
            s = time.perf_counter()
            with opener() as t, run.hdmf_quiet():
                opened.append(time.perf_counter() - s)
                s = time.perf_counter()
                t[i]
                first.append(time.perf_counter() - s)
                s = time.perf_counter()
                t[i + 1]
                second.append(time.perf_counter() - s)
        raw.append(run.clock(functools.partial(raw_rows, path, starts, i, i + 1)))
    for who, key_suffix in (("arrow", ""), ("hdmf", ""), ("small", "_small")):
        opened, first, second = times[who]
        column = "hdmf" if who == "hdmf" else "arrow"
        if not key_suffix:
            report(result, "open", column, run.Timing(statistics.median(opened)))
        report(result, "first" + key_suffix, column, run.Timing(statistics.median(first)))
        report(result, "second" + key_suffix, column, run.Timing(statistics.median(second)))
    for key in ("first_small", "second_small"):
        rows[key].hdmf = rows[key.removesuffix("_small")].hdmf
    report(result, "first", "raw", run.Timing(statistics.median(raw)))
    counted: dict[Path, float] = {}
    for where, name in ((loc, "rows"), (small_loc, "")):
        counter, sizes = Counter(), []
        for i in positions[: config.touches]:
            opened = hdmf_arrow.read(CountingStore(where, counter))
            t = opened[name] if name else opened
            counter.reset()
            t[i]
            sizes.append(counter.data_bytes)
        counted[where] = statistics.median(sizes)
    small_starts, small_packed, _ = group_layout(hdmf_arrow.data_files(small_loc)[0])
    out.row_table = result
    out.row_rows = [
        (
            "row groups; rows per group (median); compressed bytes per group (median)",
            f"{len(packed)}; {int(np.median(np.diff(starts))):,}; "
            f"{fmt_bytes(statistics.median(packed))}",
        ),
        ("bytes read by a first touch (median, counting filesystem)", fmt_bytes(counted[loc])),
        (
            f"with row_group_bytes={fmt_bytes(SMALL_GROUP_BYTES)}: row groups; rows per group; "
            "compressed bytes per group (medians)",
            f"{len(small_packed)}; {int(np.median(np.diff(small_starts))):,}; "
            f"{fmt_bytes(statistics.median(small_packed))}",
        ),
        (
            f"with row_group_bytes={fmt_bytes(SMALL_GROUP_BYTES)}: bytes read by a first touch "
            "(median)",
            fmt_bytes(counted[small_loc]),
        ),
        ("random positions (each on a freshly opened file)", str(len(positions))),
    ]

    i = positions[0]
    got = hdmf_arrow.read(loc)["rows"][i]
    with hdmf_open(h5_path) as h5root:
        expected = h5root["rows"][i]
    out.checks.append(
        run.check(
            f"{n:,}-row table[i], hdmf from HDF5 vs hdmf-arrow from store",
            run.frame_differences(expected, got),
        )
    )


# -- 5. opening a store on S3 (moto) ---------------------------------------------------------------


_REQUEST = re.compile(r'"([A-Z]+) (\S+) HTTP/[\d.]+"')
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class RequestLog(logging.Handler):
    """Every HTTP request the moto server answers (werkzeug logs one line per request)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.requests: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        m = _REQUEST.search(_ANSI.sub("", record.getMessage()))
        if m:
            self.requests.append(f"{m.group(1)} {m.group(2)}")

    def take(self) -> list[str]:
        out, self.requests = self.requests, []
        return out


@contextlib.contextmanager
def moto_server() -> Iterator[tuple[str, RequestLog]]:
    from moto.server import ThreadedMotoServer

    handler = RequestLog()
    logger = logging.getLogger("werkzeug")
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}", handler
    finally:
        server.stop()
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def bench_s3(config: Config, out: Results) -> None:
    import s3fs

    k, rows = config.s3_tables, config.s3_table_rows
    log(f"== store: opening {k} small tables on moto S3 ==")
    with moto_server() as (endpoint, requests):
        options = {
            "key": "k",
            "secret": "s",
            "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"},
        }
        s3fs.S3FileSystem.clear_instance_cache()
        s3fs.S3FileSystem(**options).call_s3("create_bucket", Bucket="bench")
        location = "s3://bench/store"
        root = hdmf_arrow.common.SimpleMultiContainer("root")
        for j in range(k):
            root.add_container(simple_table(run.ARROW, f"t{j:03d}", simple_columns(rows, seed=j)))
        requests.take()
        s = time.perf_counter()
        hdmf_arrow.write(root, location, storage_options=options)
        write_s = time.perf_counter() - s
        write_requests = len(requests.take())

        times, counts = [], []
        per_read: list[str] = []
        back = None
        for _ in range(config.s3_reads):
            s3fs.S3FileSystem.clear_instance_cache()  # a new process: no cached listings
            gc.collect()
            requests.take()
            s = time.perf_counter()
            back = hdmf_arrow.read(location, storage_options=options)
            times.append(time.perf_counter() - s)
            per_read = requests.take()
            counts.append(len(per_read))
        assert back is not None
        got = back["t007"]["f"].data
        touch_requests = requests.take()
        expected = simple_columns(rows, seed=7)["f"]
        out.checks.append(
            run.check(
                f"S3: {k} tables read back; t007 column f vs the source",
                ([] if len(list(back.children)) == k else [f"{len(back.children)} tables"])
                + ([] if np.array_equal(got, expected) else ["values differ"]),
            )
        )

        # what opening the same tables without a manifest would cost: every Parquet footer
        s3fs.S3FileSystem.clear_instance_cache()
        files = hdmf_arrow.data_files(location, "t000", storage_options=options)
        all_files = [
            f
            for j in range(k)
            for f in hdmf_arrow.data_files(location, f"t{j:03d}", storage_options=options)
        ]
        s3fs.S3FileSystem.clear_instance_cache()
        fs = s3fs.S3FileSystem(**options)
        requests.take()
        s = time.perf_counter()
        for f in all_files:
            pq.read_metadata(f.removeprefix("s3://"), filesystem=fs)
        footers_s = time.perf_counter() - s
        footer_requests = len(requests.take())
        assert files

    out.s3 = {"requests_max": max(counts), "read_s": statistics.median(times)}
    out.s3_requests = per_read
    out.s3_rows = [
        ("tables x rows (int64, float64, short strings)", f"{k} x {rows}"),
        (
            "hdmf_arrow.write to S3 (one run): time; HTTP requests",
            f"{run.fmt_seconds(write_s)}; {write_requests}",
        ),
        (
            f"hdmf_arrow.read(location) (median of {len(times)}, each with a new S3FileSystem)",
            run.fmt_seconds(statistics.median(times)),
        ),
        ("HTTP requests made by hdmf_arrow.read (per read, max)", str(max(counts))),
        ("then reading one column of one table: HTTP requests", str(len(touch_requests))),
        (
            f"for comparison: reading the {len(all_files)} Parquet footers directly "
            "(pq.read_metadata through s3fs): time; HTTP requests",
            f"{run.fmt_seconds(footers_s)}; {footer_requests}",
        ),
    ]
    for label, value in out.s3_rows:
        log(f"  {label}: {value}")
    log("  requests of one read: " + "; ".join(per_read))


# -- report ---------------------------------------------------------------------------------------


def size_targets(out: Results) -> list[Verdict]:
    def per_size(
        num: tuple[str, str], den: tuple[str, str], threshold: float, at_least: bool
    ) -> list[tuple[bool | None, str]]:
        target = run.Target("", "", num, den, threshold, at_least=at_least)
        return [run.verdict(target, r) for r in out.sizes]

    return [
        Verdict(
            "write ≥ 10x faster than hdmf HDF5IO.write",
            "hdmf / hdmf-arrow (first write after add_row, conversion included)",
            per_size(("write_first", "hdmf"), ("write_first", "arrow"), 10.0, True),
        ),
        Verdict(
            "write within 1.3x of raw pq.write_table (Arrow table prebuilt)",
            "hdmf-arrow (table already in Arrow) / raw pq.write_table",
            per_size(("write", "arrow"), ("write", "raw"), 1.3, False),
        ),
        Verdict(
            "open + to_dataframe(index=True) within 1.5x of raw",
            "hdmf-arrow read(loc) + to_dataframe / pq.read_table(data file).to_pandas()",
            per_size(("df", "arrow"), ("df", "raw"), 1.5, False),
        ),
    ]


def access_targets(out: Results) -> list[Verdict]:
    verdicts = []
    if out.slice:
        two = 2 * out.slice["group_max"]
        met, text = judge(
            out.slice["bytes_max"],
            two,
            at_least=False,
            unit=f"{fmt_bytes(out.slice['bytes_max'])}; limit {fmt_bytes(two)}",
        )
        verdicts.append(
            Verdict(
                f"table[i:i+{run.SLICE_ROWS}] on {out.config.slice_rows:,} rows, first touch, "
                "reads at most two row groups' bytes",
                "max bytes read (counting filesystem) vs 2 x largest compressed row group",
                [(met, text)],
            )
        )
    if out.row_table is not None:
        r = out.row_table
        first = run.ratio(r.rows["first"].arrow, r.rows["first"].hdmf)
        warm = run.ratio(r.rows["first"].arrow, r.rows["second"].hdmf)
        second = run.ratio(r.rows["second"].hdmf, r.rows["second"].arrow)
        n = f"{r.n:,}"
        verdicts += [
            Verdict(
                f"table[i] first touch within 10x of hdmf ({n} rows)",
                "hdmf-arrow first touch / hdmf first touch (both freshly opened)",
                [judge(first, 10.0, at_least=False)],
            ),
            Verdict(
                f"(stricter) table[i] first touch within 10x of hdmf's steady row read ({n} rows)",
                "hdmf-arrow first touch / hdmf second touch",
                [judge(warm, 10.0, at_least=False)],
            ),
            Verdict(
                f"table[i+1] second touch no slower than hdmf ({n} rows)",
                "hdmf second touch / hdmf-arrow second touch",
                [judge(second, 1.0, at_least=True)],
            ),
        ]
    if out.s3:
        n = int(out.s3["requests_max"])
        verdicts.append(
            Verdict(
                f"opening a store of {out.config.s3_tables} tables on S3: ≤ 3 HTTP requests",
                "requests made by hdmf_arrow.read (max over reads)",
                [judge(n, 3, at_least=False, unit=f"{n} requests")],
            )
        )
    return verdicts


def timing_table(result: run.SizeResult, heading: str) -> str:
    lines = [
        heading,
        "",
        "| operation | hdmf 6.2 (HDF5IO) | hdmf-arrow (store) | raw pyarrow.parquet "
        "| hdmf / hdmf-arrow | hdmf-arrow / raw |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result.rows.values():
        cells = [run.fmt_cell(c, per_row=False) for c in (row.hdmf, row.arrow, row.raw)]
        ratios = [
            run.fmt_ratio(run.ratio(row.hdmf, row.arrow)),
            run.fmt_ratio(run.ratio(row.arrow, row.raw)),
        ]
        lines.append("| " + " | ".join([row.label, *cells, *ratios]) + " |")
    return "\n".join(lines)


def pairs_table(pairs: Sequence[tuple[str, str]]) -> str:
    return "\n".join(["| measure | value |", "|---|---:|", *(f"| {a} | {b} |" for a, b in pairs)])


def method(config: Config) -> str:
    return f"""\
- Items 1-3 use run.py's table (same seeded data, add_row-built), named `{TABLE}`, with its
  region target in one `SimpleMultiContainer` (hdmf: `hdmf.common.SimpleMultiContainer`,
  written with `HDF5IO(path, "w", manager=get_manager())`). hdmf-arrow stores use the default
  `ParquetOptions` (zstd, ~4 MiB row groups, page index).
- Writes: each run writes to a new location. An hdmf container can be written only once, and
  the first hdmf-arrow write after add_row includes the one-time conversion to Arrow, so the
  "first" rows rebuild the table by add_row before every run (the build is not timed); runs
  stop after {run.REPEAT_BUDGET:g} s timed or {WALL_BUDGET:g} s of wall time ("1 run" marks a
  single run). "Already in Arrow" rewrites the same (converted) container to new locations.
  Raw: `pq.write_table(table.to_arrow(), path)` with pyarrow's defaults (snappy, one row group
  up to 1Mi rows) on the prebuilt table (for the "first" row: on a freshly built and converted
  one, build and conversion untimed); also `pq.ParquetWriter` with hdmf-arrow's options, and
  with those options but dictionary encoding for string columns only. Raw writes only the
  table; hdmf-arrow also writes the 1,000-row target table and the manifest (with an fsync).
- Operations compared with each other run in turn (hdmf, hdmf-arrow, raw, hdmf, ...), up to
  {ROUNDS} rounds or {ROUND_BUDGET:g} s, so that the shared machine's noise falls on all of
  them alike; times are medians, with `gc.collect()` before each run. The "first" writes
  alternate hdmf-arrow and raw the same way; hdmf's are timed on their own.
- Reads open the file anew in every run (`HDF5IO(...)` + `read()`; `hdmf_arrow.read(loc)`).
  Raw reads use hdmf-arrow's own data file (`data_files(loc, "{TABLE}")`) so the ratio is the
  library's overhead; the `pq.write_table` file is shown too. All files were just written:
  the OS page cache is warm.
- Row access: tables of int64, float64 and short strings built with `add_column(data=numpy)`
  and written once. "First touch" is the first `table[...]` after `read(loc)` (not timed),
  over {config.touches} random positions for slices and {2 * config.touches} for rows (medians);
  hdmf opens the HDF5 file anew for each position the same way (positions visited by every
  side in turn). Bytes read are counted two
  ways: (a) the store opened through a `LocalStore` subclass whose `arrow_fs` is a
  `pyarrow.fs.PyFileSystem` with a handler wrapping every input file, adding the bytes of each
  read call (footers and column chunks; exact, per call); (b) the `rchar` delta of
  `/proc/self/io` around the native (`LocalFileSystem`) call: every byte read through
  read/pread, page-cache hits included, so it cross-checks (a) without the wrapper.
- S3: a `moto.server.ThreadedMotoServer` on 127.0.0.1 (in this process: its request handling
  shares the GIL and is inside the timings). Requests are counted server-side, one per line of
  werkzeug's request log. Each read uses a new `s3fs.S3FileSystem` (instance cache cleared),
  as a new process would."""


def render(out: Results, command: str) -> str:
    sizes = " | ".join(f"{r.n:,} rows" for r in out.sizes)
    size_lines = [
        f"| target | measured as | {sizes} | overall |",
        "|---|---|" + "---|" * len(out.sizes) + "---|",
        *(v.row() for v in size_targets(out)),
    ]
    access_lines = [
        "| target | measured as | result | overall |",
        "|---|---|---|---|",
        *(v.row() for v in access_targets(out)),
    ]
    parts = [
        MARKER,
        "## Parquet store: hdmf_arrow.write / read vs hdmf HDF5IO vs raw pyarrow.parquet",
        f"- Command: `{command}`\n- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}\n"
        f"- Machine: {run.machine()}",
        "### Store method",
        method(out.config),
        "### Store targets",
        "\n".join(size_lines),
        "\n".join(access_lines),
        "### Store results",
    ]
    for result in out.sizes:
        parts.append(timing_table(result, f"#### Write and read, {result.n:,} rows"))
        parts.append(out.rowgroup_notes[result.n])
    if out.slice_rows:
        parts.append(f"#### table[i:i+{run.SLICE_ROWS}] on {out.config.slice_rows:,} rows")
        parts.append(pairs_table(out.slice_rows))
    if out.row_table is not None:
        parts.append(timing_table(out.row_table, f"#### table[i] on {out.row_table.n:,} rows"))
        parts.append("Raw: `ParquetFile(path).read_row_group(g).slice(...).to_pandas()`.")
        parts.append(pairs_table(out.row_rows))
    if out.s3_rows:
        parts.append(f"#### Opening {out.config.s3_tables} tables on S3 (moto)")
        parts.append(pairs_table(out.s3_rows))
        parts.append(
            "Requests of one `hdmf_arrow.read`: " + "; ".join(f"`{r}`" for r in out.s3_requests)
        )
    parts += ["### Store sanity checks", "\n".join(f"- {line}" for line in out.checks)]
    return "\n\n".join(parts) + "\n"


# -- main -----------------------------------------------------------------------------------------


def run_store(*, quick: bool = False, command: str | None = None) -> str:
    """Run every store measurement; returns the markdown section."""
    config = QUICK if quick else FULL
    command = command or shlex.join(["python", *sys.argv])
    out = Results(config)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hdmf-arrow-store-bench-") as tmp:
        for n in config.sizes:
            with tempfile.TemporaryDirectory(dir=tmp) as sub:
                bench_size(n, Path(sub), out)
                gc.collect()
                log("\n" + timing_table(out.sizes[-1], f"{n:,} rows") + "\n")
        with tempfile.TemporaryDirectory(dir=tmp) as sub:
            bench_slice(config, Path(sub), out)
        with tempfile.TemporaryDirectory(dir=tmp) as sub:
            bench_rows(config, Path(sub), out)
            log("\n" + timing_table(out.row_table, "table[i]") + "\n")  # type: ignore[arg-type]
    bench_s3(config, out)
    text = render(out, command)
    log("\n".join(v.row() for v in (*size_targets(out), *access_targets(out))))
    log(f"store benchmark: {time.perf_counter() - start:.0f} s")
    return text


def main(argv: Sequence[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--write", type=Path, help="also write the markdown section here")
    args = parser.parse_args(argv)
    text = run_store(quick=args.quick)
    if args.write:
        args.write.write_text(text)
        log(f"wrote {args.write}")
    else:
        log("\n" + text)
    return text


if __name__ == "__main__":
    main()
