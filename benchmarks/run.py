"""hdmf-arrow vs hdmf 6.2 vs raw pyarrow, on the same table, in one run.

The table has an int64, a float64 and a short-string column, a ragged float column (~20 values
per row, ``index=True``) and a region column into a separate 1,000-row target table. Both
libraries get the same pre-generated Python (or numpy) data and the same calls.

    python benchmarks/run.py --write benchmarks/RESULTS.md   # 10k, 100k and 1M rows
    python benchmarks/run.py --quick                         # 10k rows only
    python benchmarks/run.py --sizes 10000,100000
    python benchmarks/run.py --store-only --write benchmarks/RESULTS.md   # store.py's part only
    python benchmarks/run.py --add-row-only --write benchmarks/RESULTS.md  # add_row by input kind

After the in-memory tables it times add_row on a units-like table for each input kind (Python
values, numpy scalars, numpy arrays per row; ``KINDS``) against hdmf with the same inputs, then
runs benchmarks/store.py (the Parquet store: write / read vs
hdmf's HDF5IO) and appends its section (``--no-store`` skips it; ``--quick`` runs it small).

hdmf operations whose estimated time (from a smaller size) exceeds ``LIMIT`` seconds are
skipped; hdmf's add_row is then timed on a ``SAMPLE``-row sample and reported per row.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import platform
import re
import shlex
import statistics
import sys
import time
import warnings
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hdmf.common
import numpy as np
import pyarrow as pa

import hdmf_arrow.common

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    import pandas as pd

LIMIT = 60.0  # seconds: hdmf operations estimated to take longer are skipped
SAMPLE = 20_000  # rows: hdmf add_row sample when the full run would exceed LIMIT
HDMF_ADD_ROW_MAX = 200_000  # rows: above this, hdmf add_row is always timed on the sample
TARGET_ROWS = 1_000
MAX_RUNS = 5  # repeats of a quick operation (the median is reported)
REPEAT_BUDGET = 3.0  # seconds: no more repeats once the runs so far took this long
ROW_CALLS = 200  # table[i] calls (mean reported)
SLICE_CALLS = 20  # table[i:i+1000] calls
SLICE_ROWS = 1_000
CALL_BUDGET = 10.0  # seconds: fewer calls if the calls so far took this long
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)

Table = Any  # a DynamicTable of either library


# -- the two libraries ----------------------------------------------------------------------------


@contextmanager
def hdmf_quiet() -> Iterator[None]:
    """Silence the warnings hdmf emits (experimental types, FutureWarnings) inside hdmf calls."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@dataclass(frozen=True)
class Lib:
    """One implementation of hdmf.common; both are driven through the same calls."""

    name: str
    table: Any
    vector_data: Any
    vector_index: Any
    region: Any
    quiet: Callable[[], AbstractContextManager[None]]


HDMF = Lib(
    "hdmf 6.2",
    hdmf.common.DynamicTable,
    hdmf.common.VectorData,
    hdmf.common.VectorIndex,
    hdmf.common.DynamicTableRegion,
    hdmf_quiet,
)
ARROW = Lib(
    "hdmf-arrow",
    hdmf_arrow.common.DynamicTable,
    hdmf_arrow.common.VectorData,
    hdmf_arrow.common.VectorIndex,
    hdmf_arrow.common.DynamicTableRegion,
    nullcontext,
)


# -- data -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    """Whole-column input: Python lists (ragged as nested lists) or numpy (ragged flat + ends)."""

    ids: Sequence[int]
    ints: Sequence[int]
    floats: Sequence[float]
    strings: Sequence[str]
    ragged: Sequence[Any]
    ragged_index: bool | np.ndarray  # True for nested lists, else the end offsets of ``ragged``
    region: Sequence[int]


@dataclass(frozen=True)
class BenchData:
    n: int
    lists: Columns
    arrays: Columns
    target_x: list[float]
    target_labels: list[str]


def make_data(n: int, seed: int = 0) -> BenchData:
    rng = np.random.default_rng(seed)
    ints = rng.integers(0, 2**40, n)
    floats = rng.random(n)
    strings = [f"s{k % 100}" for k in range(n)]
    ends = np.cumsum(rng.integers(10, 31, n))  # ~20 values per row
    flat = rng.random(int(ends[-1]))
    region = rng.integers(0, TARGET_ROWS, n)
    flat_list = flat.tolist()
    starts = [0, *ends[:-1].tolist()]
    nested = [flat_list[a:b] for a, b in zip(starts, ends.tolist(), strict=True)]
    ids = np.arange(n)
    lists = Columns(
        ids.tolist(), ints.tolist(), floats.tolist(), strings, nested, True, region.tolist()
    )
    arrays = Columns(ids, ints, floats, np.array(strings, dtype=object), flat, ends, region)
    labels = [f"t{k}" for k in range(TARGET_ROWS)]
    return BenchData(n, lists, arrays, rng.random(TARGET_ROWS).tolist(), labels)


# -- building tables ------------------------------------------------------------------------------


def target_table(lib: Lib, data: BenchData) -> Table:
    with lib.quiet():
        columns = [
            lib.vector_data(name="x", description="a float", data=data.target_x),
            lib.vector_data(name="label", description="a string", data=data.target_labels),
        ]
        return lib.table(name="target", description="rows regions point at", columns=columns)


def empty_table(lib: Lib, target: Table, name: str = "main") -> Table:
    with lib.quiet():
        t = lib.table(name=name, description="benchmark table")
        t.add_column(name="i", description="int64")
        t.add_column(name="f", description="float64")
        t.add_column(name="s", description="short strings")
        t.add_column(name="r", description="ragged floats", index=True)
        t.add_column(name="reg", description="a row of the target", table=target)
    return t


def fill_rows(lib: Lib, table: Table, cols: Columns, n: int) -> None:
    rows = zip(cols.ints, cols.floats, cols.strings, cols.ragged, cols.region, strict=True)
    add = table.add_row
    with lib.quiet():
        for i, f, s, r, g in itertools.islice(rows, n):
            add(i=i, f=f, s=s, r=r, reg=g)


def bulk_add_column(lib: Lib, target: Table, cols: Columns) -> Table:
    with lib.quiet():
        t = lib.table(name="main", description="benchmark table", id=cols.ids)
        t.add_column(name="i", description="int64", data=cols.ints)
        t.add_column(name="f", description="float64", data=cols.floats)
        t.add_column(name="s", description="short strings", data=cols.strings)
        t.add_column(
            name="r", description="ragged floats", data=cols.ragged, index=cols.ragged_index
        )
        t.add_column(name="reg", description="a row of the target", data=cols.region, table=target)
    return t


def bulk_constructor(lib: Lib, target: Table, cols: Columns) -> Table:
    with lib.quiet():
        ragged = lib.vector_data(name="r", description="ragged floats", data=cols.ragged)
        columns = [
            lib.vector_data(name="i", description="int64", data=cols.ints),
            lib.vector_data(name="f", description="float64", data=cols.floats),
            lib.vector_data(name="s", description="short strings", data=cols.strings),
            ragged,
            lib.vector_index(name="r_index", data=cols.ragged_index, target=ragged),
            lib.region(name="reg", data=cols.region, description="a row", table=target),
        ]
        return lib.table(name="main", description="benchmark table", columns=columns)


def raw_from_lists(cols: Columns) -> pa.Table:
    return pa.table(
        {"id": cols.ids, "i": cols.ints, "f": cols.floats, "s": cols.strings,
         "r": cols.ragged, "reg": cols.region}
    )  # fmt: skip


def raw_from_arrays(cols: Columns) -> pa.Table:
    offsets = np.concatenate([[0], np.asarray(cols.ragged_index)]).astype(np.int32)
    return pa.table(
        {"id": cols.ids, "i": cols.ints, "f": cols.floats,
         "s": pa.array(cols.strings, type=pa.string()),
         "r": pa.ListArray.from_arrays(offsets, cols.ragged), "reg": cols.region}
    )  # fmt: skip


# -- timing ---------------------------------------------------------------------------------------


def clock(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def repeated(run: Callable[[], tuple[float, ...]]) -> tuple[float, ...]:
    """Element-wise medians over up to MAX_RUNS runs (fewer once REPEAT_BUDGET is spent)."""
    runs: list[tuple[float, ...]] = []
    start = time.perf_counter()
    while len(runs) < MAX_RUNS and time.perf_counter() - start < REPEAT_BUDGET:
        runs.append(run())
    return tuple(statistics.median(col) for col in zip(*runs, strict=True))


def median_seconds(fn: Callable[[], object]) -> float:
    return repeated(lambda: (clock(fn),))[0]


def mean_call(fn: Callable[[int], object], keys: Sequence[int]) -> float:
    """Mean seconds per call over ``keys`` (stopping early once CALL_BUDGET is spent)."""
    gc.collect()
    total = 0.0
    calls = 0
    for key in keys:
        start = time.perf_counter()
        fn(key)
        total += time.perf_counter() - start
        calls += 1
        if total > CALL_BUDGET:
            break
    return total / calls


def median_mean_call(fn: Callable[[int], object], keys: Sequence[int]) -> float:
    """The median, over a few batches, of the mean seconds per call over ``keys``."""
    return repeated(lambda: (mean_call(fn, keys),))[0]


# -- results --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    seconds: float
    note: str = ""


@dataclass(frozen=True)
class Skipped:
    estimate: float


Cell = Timing | Skipped | None


@dataclass
class Row:
    label: str
    hdmf: Cell = None
    arrow: Cell = None
    raw: Cell = None
    per_row: bool = False  # cells are seconds per row


@dataclass
class SizeResult:
    n: int
    rows: dict[str, Row] = field(default_factory=dict)
    read_table_note: str = ""


class Estimates:
    """Seconds per row of each hdmf operation, from the sizes measured so far."""

    def __init__(self) -> None:
        self.rates: dict[str, float] = {}

    def estimate(self, key: str, n: int) -> float | None:
        rate = self.rates.get(key)
        return None if rate is None else rate * n

    def record(self, key: str, n: int, seconds: float) -> None:
        self.rates[key] = seconds / n


def fmt_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt_cell(cell: Cell, *, per_row: bool) -> str:
    if cell is None:
        return "—"
    if isinstance(cell, Skipped):
        return f"skipped (est. {cell.estimate:.0f} s)"
    text = f"{cell.seconds * 1e6:.3g} µs/row" if per_row else fmt_seconds(cell.seconds)
    return f"{text} ({cell.note})" if cell.note else text


def ratio(a: Cell, b: Cell) -> float | None:
    if isinstance(a, Timing) and isinstance(b, Timing) and b.seconds > 0:
        return a.seconds / b.seconds
    return None


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g}x"


def log(message: str) -> None:
    print(message, flush=True)


# (key, label, to_dataframe keyword arguments)
FRAME_READS: tuple[tuple[str, str, dict[str, bool]], ...] = (
    ("df", "to_dataframe()", {}),
    ("df_index", "to_dataframe(index=True)", {"index": True}),
)


class Bench:
    """Every measurement for one size, printed as it is taken."""

    def __init__(self, data: BenchData, estimates: Estimates) -> None:
        self.data = data
        self.n = data.n
        self.estimates = estimates
        self.result = SizeResult(data.n)
        self.targets = {lib.name: target_table(lib, data) for lib in (HDMF, ARROW)}
        self.tables: dict[str, Table] = {}  # the add_row-built tables the reads use

    def run(self) -> SizeResult:
        self.add_row()
        self.bulk()
        self.frames()
        self.row_access()
        return self.result

    def row(self, key: str, label: str, *, per_row: bool = False) -> None:
        self.result.rows[key] = Row(label, per_row=per_row)

    def report(self, key: str, who: str, cell: Cell) -> None:
        row = self.result.rows[key]
        setattr(row, who, cell)
        text = fmt_cell(cell, per_row=row.per_row)
        log(f"  [{self.n:>9,}] {row.label:<56} {who:<5} {text}")

    def hdmf_timed(self, key: str, fn: Callable[[], object]) -> Cell:
        """hdmf's median time for ``fn``, or Skipped if the estimate exceeds LIMIT."""
        estimate = self.estimates.estimate(key, self.n)
        if estimate is not None and estimate > LIMIT:
            return Skipped(estimate)
        with hdmf_quiet():
            seconds = median_seconds(fn)
        self.estimates.record(key, self.n, seconds)
        return Timing(seconds)

    # -- 1. add_row ----------------------------------------------------------------------------

    def add_row(self) -> None:
        self.row("add_row", "add_row (per row)", per_row=True)
        self.row("add_row+conv", "add_row + first to_arrow() (per row, amortised)", per_row=True)
        self.row("first_to_arrow", "first to_arrow() after add_row (one-time conversion)")
        self.row("to_arrow", "to_arrow() (warm)")
        self.hdmf_add_row()
        self.arrow_add_row()

    def hdmf_add_row(self) -> None:
        if self.estimates.estimate("add_row", self.n) is None and self.n > SAMPLE:
            self.seed_estimates(self.hdmf_rows(SAMPLE)[0])
        estimate = self.estimates.estimate("add_row", self.n) or 0.0
        if estimate > LIMIT or self.n > HDMF_ADD_ROW_MAX:
            seconds = self.hdmf_rows(SAMPLE)[1]
            note = f"{SAMPLE // 1000}k-row sample; full run est. {estimate:.0f} s"
            cell = Timing(seconds / SAMPLE, note)
        else:
            self.tables[HDMF.name], seconds = self.hdmf_rows(self.n)
            cell = Timing(seconds / self.n)
        self.report("add_row", "hdmf", cell)
        self.report("add_row+conv", "hdmf", cell)

    def hdmf_rows(self, n: int) -> tuple[Table, float]:
        """An hdmf table filled by ``n`` add_row calls, and the seconds they took (one run)."""
        table = empty_table(HDMF, self.targets[HDMF.name])
        seconds = clock(lambda: fill_rows(HDMF, table, self.data.lists, n))
        self.estimates.record("add_row", n, seconds)
        return table, seconds

    def seed_estimates(self, sample: Table) -> None:
        """Estimates of hdmf's whole-table reads, from the add_row sample (no smaller size)."""
        for key, _, kwargs in FRAME_READS:
            with hdmf_quiet():
                seconds = clock(lambda kw=kwargs: sample.to_dataframe(**kw))
            self.estimates.record(key, len(sample), seconds)

    def arrow_add_row(self) -> None:
        built: list[Table] = []

        def run() -> tuple[float, float, float]:
            table = empty_table(ARROW, self.targets[ARROW.name])
            added = clock(lambda: fill_rows(ARROW, table, self.data.lists, self.n))
            converted = clock(table.to_arrow)
            built[:] = [table]
            return added, converted, added + converted

        added, converted, total = repeated(run)
        table = self.tables[ARROW.name] = built[0]
        self.report("add_row", "arrow", Timing(added / self.n))
        self.report("add_row+conv", "arrow", Timing(total / self.n))
        self.report("first_to_arrow", "arrow", Timing(converted))
        self.report("to_arrow", "arrow", Timing(median_seconds(table.to_arrow)))

    # -- 2. bulk construction ------------------------------------------------------------------

    def bulk(self) -> None:
        lists, arrays = self.data.lists, self.data.arrays
        cases: tuple[tuple[str, str, Callable[[Lib], Table], Callable[[], pa.Table]], ...] = (
            ("bulk_lists", "bulk: add_column(data=Python lists)",
             lambda lib: bulk_add_column(lib, self.targets[lib.name], lists),
             lambda: raw_from_lists(lists)),
            ("bulk_numpy", "bulk: add_column(data=numpy; ragged: flat + index=ends)",
             lambda lib: bulk_add_column(lib, self.targets[lib.name], arrays),
             lambda: raw_from_arrays(arrays)),
            ("bulk_ctor", "bulk: DynamicTable(columns=[VectorData(numpy), ...])",
             lambda lib: bulk_constructor(lib, self.targets[lib.name], arrays),
             lambda: raw_from_arrays(arrays)),
        )  # fmt: skip
        for key, label, build, raw in cases:
            self.row(key, label)
            self.report(key, "hdmf", self.hdmf_timed(key, lambda b=build: b(HDMF)))
            self.report(key, "arrow", Timing(median_seconds(lambda b=build: b(ARROW))))
            self.report(key, "raw", Timing(median_seconds(raw)))
        self.row("from_arrow", "bulk: DynamicTable.from_arrow(pa.Table) (table prebuilt)")
        pa_table = raw_from_arrays(arrays)
        targets = {"reg": self.targets[ARROW.name]}
        seconds = median_seconds(
            lambda: ARROW.table.from_arrow(pa_table, name="main", target_tables=targets)
        )
        self.report("from_arrow", "arrow", Timing(seconds))
        if HDMF.name not in self.tables:
            self.tables[HDMF.name] = bulk_add_column(HDMF, self.targets[HDMF.name], lists)
            self.result.read_table_note = (
                "hdmf's add_row was sampled, so its reads use a table built with "
                "add_column(data=Python lists): the same lists add_row would have built."
            )

    # -- 3., 4. to_dataframe ---------------------------------------------------------------------

    def frames(self) -> None:
        hdmf_table, arrow_table = self.tables[HDMF.name], self.tables[ARROW.name]
        for key, label, kwargs in FRAME_READS:
            self.row(key, label)
            hdmf_cell = self.hdmf_timed(key, lambda kw=kwargs: hdmf_table.to_dataframe(**kw))
            self.report(key, "hdmf", hdmf_cell)
            seconds = median_seconds(lambda kw=kwargs: arrow_table.to_dataframe(**kw))
            self.report(key, "arrow", Timing(seconds))
        self.report("df_index", "raw", Timing(median_seconds(arrow_table.to_arrow().to_pandas)))

    # -- 5. table[i], table[i:i+1000] --------------------------------------------------------------

    def row_access(self) -> None:
        hdmf_table, arrow_table = self.tables[HDMF.name], self.tables[ARROW.name]
        raw = arrow_table.to_arrow()
        rng = np.random.default_rng(1)
        positions = rng.integers(0, self.n, ROW_CALLS).tolist()
        starts = rng.integers(0, max(1, self.n - SLICE_ROWS), SLICE_CALLS).tolist()
        cases: tuple[tuple[str, str, list[int], int, Callable[[Table, int], object]], ...] = (
            ("row", f"table[i] (mean of {ROW_CALLS} random i)", positions, 1,
             lambda t, i: t[i]),
            ("slice", f"table[i:i+{SLICE_ROWS}] (mean of {SLICE_CALLS} random i)", starts,
             SLICE_ROWS, lambda t, i: t[i : i + SLICE_ROWS]),
        )  # fmt: skip
        for key, label, keys, width, get in cases:
            self.row(key, label)
            with hdmf_quiet():
                hdmf_seconds = median_mean_call(lambda i, g=get: g(hdmf_table, i), keys)
            self.report(key, "hdmf", Timing(hdmf_seconds))
            arrow_seconds = median_mean_call(lambda i, g=get: g(arrow_table, i), keys)
            self.report(key, "arrow", Timing(arrow_seconds))
            raw_seconds = median_mean_call(lambda i, w=width: raw.slice(i, w).to_pandas(), keys)
            self.report(key, "raw", Timing(raw_seconds))


# -- add_row by input kind ----------------------------------------------------------------------
# pynwb users build rows out of numpy data: scalars read from arrays, spike times as an array per
# row. Each kind gives both libraries the same values of a units-like table in the same form.

KINDS_ROWS = 20_000
KINDS_BEGIN = "<!-- ADD-ROW KINDS BEGIN -->"
KINDS_END = "<!-- ADD-ROW KINDS END -->"
KIND_TARGET = 20.0  # hdmf / hdmf-arrow per row, add_row + first to_arrow()
KIND_RUNS = 3  # runs per input kind (the median is reported)
KINDS = (
    "Python scalars, spike times a list of floats",
    "numpy scalars, spike times a list of np.float64",
    "numpy scalars, spike times a float64 array",
    "numpy scalars, spike times a float32 array",
)


def python_value(value: object) -> object:
    """The Python equivalent of a cell: numpy scalars and arrays as ``tolist()`` gives them."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    return [python_value(v) for v in value] if isinstance(value, list) else value


def units_rows(n: int, seed: int = 0) -> dict[str, list[dict[str, Any]]]:
    """The rows of a units-like table (id, a float, an int, a short string, a bool, 0-40 spike
    times, a region) in each input kind of ``KINDS``, all holding the same values."""
    rng = np.random.default_rng(seed)
    count = rng.integers(0, 41, n)
    cells = {
        "id": np.arange(n),
        "depth": rng.random(n) * 1000.0,
        "n_spikes": count,
        "label": np.array([f"u{k % 50}" for k in range(n)]),
        "good": rng.random(n) < 0.8,
        "electrode": rng.integers(0, TARGET_ROWS, n),
    }
    spikes = [np.sort(rng.random(k)) * 100.0 for k in count.tolist()]
    rows = [{name: column[k] for name, column in cells.items()} for k in range(n)]
    arrays = [{**row, "spike_times": s} for row, s in zip(rows, spikes, strict=True)]
    return dict(
        zip(
            KINDS,
            (
                [{name: python_value(v) for name, v in row.items()} for row in arrays],
                [{**row, "spike_times": list(row["spike_times"])} for row in arrays],
                arrays,
                [{**row, "spike_times": row["spike_times"].astype(np.float32)} for row in arrays],
            ),
            strict=True,
        )
    )


def units_table(lib: Lib, target: Table) -> Table:
    with lib.quiet():
        t = lib.table(name="units", description="units-like rows")
        for name in ("depth", "n_spikes", "label", "good"):
            t.add_column(name=name, description=name)
        t.add_column(name="spike_times", description="0-40 per unit", index=True)
        t.add_column(name="electrode", description="a row of the target", table=target)
    return t


def fill_units(lib: Lib, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    add = table.add_row
    with lib.quiet():
        for row in rows:
            add(**row)


@dataclass(frozen=True)
class KindResult:
    kind: str
    hdmf: float  # seconds per row
    arrow: float  # seconds per row, add_row alone
    converted: float  # seconds per row, add_row + the first to_arrow()
    check: str


def cpu_clock(fn: Callable[[], object]) -> float:
    """CPU seconds of this process for ``fn()``: on a shared machine, wall time also counts
    the time other processes had the CPU."""
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def time_kind(
    rows: Sequence[dict[str, Any]], targets: dict[str, Table]
) -> tuple[tuple[float, ...], Table, Table]:
    """Median CPU seconds, over ``KIND_RUNS`` runs, of (hdmf add_row, hdmf-arrow add_row,
    hdmf-arrow add_row + first to_arrow()) over ``rows``; each run times both libraries, with
    only its own tables alive. Also the last tables built (hdmf-arrow's, hdmf's)."""
    runs: list[tuple[float, float, float]] = []
    built: list[Table] = []
    for _ in range(KIND_RUNS):
        built.clear()  # the previous run's tables go before this run's timings
        table = units_table(ARROW, targets[ARROW.name])
        added = cpu_clock(lambda t=table: fill_units(ARROW, t, rows))
        converted = added + cpu_clock(table.to_arrow)
        hdmf_table = units_table(HDMF, targets[HDMF.name])
        hdmf_seconds = cpu_clock(lambda t=hdmf_table: fill_units(HDMF, t, rows))
        runs.append((hdmf_seconds, added, converted))
        built[:] = [table, hdmf_table]
    medians = tuple(statistics.median(col) for col in zip(*runs, strict=True))
    return medians, built[0], built[1]


def add_row_kinds(n: int) -> list[KindResult]:
    """add_row per row for each input kind of ``KINDS``, against hdmf with the same inputs."""
    rows = units_rows(n)
    targets = {lib.name: target_table(lib, make_data(1)) for lib in (HDMF, ARROW)}
    results = []
    for kind, kind_rows in rows.items():
        (hdmf_seconds, added, converted), table, hdmf_table = time_kind(kind_rows, targets)
        python = units_table(ARROW, targets[ARROW.name])
        fill_units(ARROW, python, [{c: python_value(v) for c, v in r.items()} for r in kind_rows])
        problems = [] if table.to_arrow().equals(python.to_arrow()) else ["Arrow tables differ"]
        with hdmf_quiet():
            problems += frame_differences(
                hdmf_table.to_dataframe(index=True), table.to_dataframe(index=True)
            )
        what = f"{kind}: hdmf-arrow = its Python equivalent (Arrow types and values) = hdmf"
        result = KindResult(kind, hdmf_seconds / n, added / n, converted / n, check(what, problems))
        results.append(result)
        log(
            f"  [{n:>9,}] add_row, {kind:<48} hdmf {result.hdmf * 1e6:6.1f} µs/row, "
            f"hdmf-arrow {result.arrow * 1e6:5.2f} µs/row (+ first to_arrow() "
            f"{result.converted * 1e6:5.2f}): {result.hdmf / result.converted:5.1f}x"
        )
    return results


def kinds_section(results: Sequence[KindResult], n: int, command: str) -> str:
    """The markdown section of ``add_row_kinds``, between its markers."""
    lines = [
        "| input kind | hdmf 6.2 | hdmf-arrow add_row | hdmf-arrow add_row + first "
        "to_arrow() | hdmf / hdmf-arrow (add_row) | hdmf / hdmf-arrow (+ to_arrow) "
        f"| ≥ {KIND_TARGET:g}x |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        amortised = r.hdmf / r.converted
        lines.append(
            f"| {r.kind} | {r.hdmf * 1e6:.3g} µs/row | {r.arrow * 1e6:.3g} µs/row "
            f"| {r.converted * 1e6:.3g} µs/row | {r.hdmf / r.arrow:.3g}x | {amortised:.3g}x "
            f"| {'met' if amortised >= KIND_TARGET else '**missed**'} |"
        )
    parts = [
        KINDS_BEGIN,
        "## add_row by input kind (issue 12, item 3)",
        f"- Command: `{command}`\n- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}\n"
        f"- Machine: {machine()}",
        f"A units-like table of {n:,} rows: `id` (given), `depth` float64, `n_spikes` int, "
        f"`label` short strings (`u0`..`u49`), `good` bool, `spike_times` ragged (0-40 values "
        f"per row, `index=True`) and `electrode`, a region into a {TARGET_ROWS:,}-row table; "
        f"no column has a dtype. Each row is one `add_row(**row)` call, with the same values in "
        f"the form the kind names (numpy scalars are what indexing numpy arrays gives: "
        f"`np.int64`, `np.float64`, `np.str_`, `np.bool_`). In every run hdmf-arrow and hdmf "
        f"build the table in turn, with only that run's tables alive; times are the medians of "
        f"{KIND_RUNS} runs, per row, in CPU time of the process (`time.process_time()`, after "
        f"`gc.collect()`), since on this shared machine wall time also counts other processes. "
        f"The target compares hdmf with hdmf-arrow's add_row plus its first `to_arrow()` (the "
        f"one-time conversion of the buffered rows).",
        "\n".join(lines),
        "\n".join(f"- {r.check}" for r in results),
        KINDS_END,
    ]
    return "\n\n".join(parts)


def with_kinds_section(report: str, section: str) -> str:
    """``report`` with its add_row-kinds section replaced by ``section`` (put before the store
    section, or at the end, if it has none)."""
    if KINDS_BEGIN in report and KINDS_END in report:
        head, rest = report.split(KINDS_BEGIN, 1)
        return head + section + rest.split(KINDS_END, 1)[1]
    import store  # benchmarks/store.py (it imports this module, so only when needed)

    if store.MARKER in report:
        head, rest = report.split(store.MARKER, 1)
        return f"{head.rstrip()}\n\n{section}\n\n{store.MARKER}{rest}"
    return f"{report.rstrip()}\n\n{section}\n" if report.strip() else f"{section}\n"


# -- sanity checks --------------------------------------------------------------------------------


def cells_equal(a: np.ndarray, b: np.ndarray) -> bool:
    if len(a) != len(b):
        return False
    if a.dtype == object or b.dtype == object:
        return all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(a, b, strict=True))
    return bool(np.array_equal(a, b))


def frame_differences(expected: pd.DataFrame, got: pd.DataFrame) -> list[str]:
    if list(expected.columns) != list(got.columns):
        return [f"columns {list(expected.columns)} vs {list(got.columns)}"]
    problems = []
    if not np.array_equal(expected.index.to_numpy(), got.index.to_numpy()):
        problems.append("the ids (index) differ")
    for col in expected.columns:
        if not cells_equal(expected[col].to_numpy(), got[col].to_numpy()):
            problems.append(f"column {col!r} differs")
    return problems


def region_cell_differences(expected: pd.DataFrame, got: pd.DataFrame, rows: int) -> list[str]:
    problems = []
    for k in range(min(rows, len(expected))):
        e, g = expected["reg"].iloc[k], got["reg"].iloc[k]
        same_rows = e.index.tolist() == g.index.tolist()
        if not same_rows or e.to_numpy().tolist() != g.to_numpy().tolist():
            problems.append(f"row {k}: region cell {e.to_dict('list')} vs {g.to_dict('list')}")
    return problems


def check(what: str, problems: list[str]) -> str:
    return f"MISMATCH: {what}: " + "; ".join(problems) if problems else f"ok: {what}"


def sanity_checks(bench: Bench) -> list[str]:
    """hdmf and hdmf-arrow agree on the values; hdmf-arrow's build paths agree with each other."""
    hdmf_table, arrow_table = bench.tables[HDMF.name], bench.tables[ARROW.name]
    with hdmf_quiet():
        hdmf_index, hdmf_nested = hdmf_table.to_dataframe(index=True), hdmf_table.to_dataframe()
    arrow_index, arrow_nested = arrow_table.to_dataframe(index=True), arrow_table.to_dataframe()
    out = [
        check(
            "to_dataframe(index=True) values, hdmf vs hdmf-arrow",
            frame_differences(hdmf_index, arrow_index),
        ),
        check(
            "to_dataframe() region cells (first 50 rows), hdmf vs hdmf-arrow",
            region_cell_differences(hdmf_nested, arrow_nested, 50),
        ),
    ]
    hdmf_cell, arrow_cell = hdmf_index["r"].iloc[0], arrow_index["r"].iloc[0]
    out.append(
        f"note: a ragged cell of to_dataframe() is a {type(hdmf_cell).__name__} in hdmf and a "
        f"{type(arrow_cell).__name__} in hdmf-arrow"
    )
    expected = arrow_table.to_arrow()
    data, target = bench.data, bench.targets[ARROW.name]
    pa_table = raw_from_arrays(data.arrays)
    built = {
        "add_column(data=Python lists)": bulk_add_column(ARROW, target, data.lists),
        "add_column(data=numpy)": bulk_add_column(ARROW, target, data.arrays),
        "DynamicTable(columns=...)": bulk_constructor(ARROW, target, data.arrays),
        "from_arrow": ARROW.table.from_arrow(pa_table, name="main", target_tables={"reg": target}),
    }
    for how, table in built.items():
        got = table.to_arrow()
        problems = [] if got.equals(expected) else [f"schema {got.schema} vs {expected.schema}"]
        out.append(check(f"hdmf-arrow {how} vs add_row: same Arrow table", problems))
    return out


# -- report ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    text: str
    measured_as: str
    numerator: tuple[str, str]  # (row key, "hdmf" | "arrow" | "raw")
    denominator: tuple[str, str]
    threshold: float
    at_least: bool  # met when ratio >= threshold (else when ratio <= threshold)


TARGETS = (
    Target(
        "add_row ≥ 20x faster per row than hdmf",
        "hdmf add_row / hdmf-arrow (add_row + first to_arrow())",
        ("add_row", "hdmf"), ("add_row+conv", "arrow"), 20.0, at_least=True,
    ),
    Target(
        "to_dataframe(index=True) within 1.5x of pyarrow to_pandas()",
        "hdmf-arrow / raw pyarrow",
        ("df_index", "arrow"), ("df_index", "raw"), 1.5, at_least=False,
    ),
    Target(
        "default to_dataframe() ≥ 5x faster than hdmf",
        "hdmf / hdmf-arrow",
        ("df", "hdmf"), ("df", "arrow"), 5.0, at_least=True,
    ),
    Target(
        "table[i] no slower than hdmf",
        "hdmf / hdmf-arrow",
        ("row", "hdmf"), ("row", "arrow"), 1.0, at_least=True,
    ),
    Target(
        f"table[i:i+{SLICE_ROWS}] no slower than hdmf",
        "hdmf / hdmf-arrow",
        ("slice", "hdmf"), ("slice", "arrow"), 1.0, at_least=True,
    ),
)  # fmt: skip


def lookup(result: SizeResult, where: tuple[str, str]) -> Cell:
    row = result.rows.get(where[0])
    return None if row is None else getattr(row, where[1])


def verdict(target: Target, result: SizeResult) -> tuple[bool | None, str]:
    num, den = lookup(result, target.numerator), lookup(result, target.denominator)
    value = ratio(num, den)
    if value is None:
        skipped = next((c for c in (num, den) if isinstance(c, Skipped)), None)
        why = f"hdmf skipped, est. {skipped.estimate:.0f} s" if skipped else "no measurement"
        return None, f"not measured ({why})"
    met = value >= target.threshold if target.at_least else value <= target.threshold
    return met, f"{'met' if met else '**missed**'} ({value:.3g}x)"


def overall(verdicts: list[bool | None]) -> str:
    if False in verdicts:
        return "**missed**"
    if True not in verdicts:
        return "not measured"
    return "met" if None not in verdicts else "met where measured"


def targets_section(results: list[SizeResult]) -> str:
    sizes = " | ".join(f"{r.n:,} rows" for r in results)
    lines = [
        f"| target | measured as | {sizes} | overall |",
        "|---|---|" + "---|" * len(results) + "---|",
    ]
    for target in TARGETS:
        verdicts = [verdict(target, r) for r in results]
        cells = " | ".join(text for _, text in verdicts)
        summary = overall([met for met, _ in verdicts])
        lines.append(f"| {target.text} | {target.measured_as} | {cells} | {summary} |")
    return "\n".join(lines)


def size_section(result: SizeResult) -> str:
    lines = [
        f"### {result.n:,} rows",
        "",
        "| operation | hdmf 6.2 | hdmf-arrow | raw pyarrow | hdmf / hdmf-arrow "
        "| hdmf-arrow / raw pyarrow |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in result.rows.values():
        cells = [fmt_cell(c, per_row=row.per_row) for c in (row.hdmf, row.arrow, row.raw)]
        ratios = [fmt_ratio(ratio(row.hdmf, row.arrow)), fmt_ratio(ratio(row.arrow, row.raw))]
        lines.append("| " + " | ".join([row.label, *cells, *ratios]) + " |")
    if result.read_table_note:
        lines += ["", result.read_table_note]
    return "\n".join(lines)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]
    cpu = models[0] if models else platform.processor() or platform.machine()
    libs = ", ".join(
        f"{name} {version(name)}" for name in ("pyarrow", "pandas", "numpy", "hdmf", "hdmf-arrow")
    )
    return (
        f"{platform.platform()}; {cpu}; {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}; {libs}"
    )


METHOD = f"""\
- The table: `i` int64, `f` float64, `s` short strings (`s0`..`s99`), `r` ragged float64
  (10-30 values per row, `index=True`) and `reg`, a region column (`table=`) into a separate
  {TARGET_ROWS:,}-row target table (a float and a string column). Both libraries get the same
  pre-generated (seeded) data and the same calls.
- Times are medians of up to {MAX_RUNS} runs (fewer once {REPEAT_BUDGET:g} s have been spent),
  with `gc.collect()` before each run and the input data frozen out of the collector
  (`gc.freeze()`); `table[i]` and slices are the mean per call over the listed number of
  random positions (median of such batches). Per-row figures are total time / rows.
- hdmf operations are skipped when their estimate (seconds per row at the previous size, x
  rows) exceeds {LIMIT:g} s; hdmf's add_row is then (and always above {HDMF_ADD_ROW_MAX:,}
  rows) timed on a {SAMPLE:,}-row sample and reported per row.
- hdmf-arrow's add_row appends Python values to buffers; the first `to_arrow()` converts them
  to Arrow. That one-time conversion is shown on its own and included in the amortised add_row
  row. The reads (to_dataframe, table[...]) use the add_row-built tables, hdmf-arrow's warm
  (already converted).
- raw pyarrow: `pa.table(...)` from the same data (bulk rows); `to_arrow().to_pandas()` of the
  same table (to_dataframe(index=True) row); `to_arrow().slice(i, k).to_pandas()` (row access).
- `hdmf / hdmf-arrow` above 1 means hdmf-arrow is faster; `hdmf-arrow / raw pyarrow` is
  hdmf-arrow's cost over plain pyarrow. The machine is shared, so expect some noise."""


def render(results: list[SizeResult], command: str, checks: list[str]) -> str:
    parts = [
        "# hdmf-arrow benchmarks",
        "Written by `benchmarks/run.py`; regenerate rather than edit.",
        f"- Command: `{command}`\n- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}\n"
        f"- Machine: {machine()}",
        "## Method",
        METHOD,
        "## Targets",
        targets_section(results),
        "## Results",
        *(size_section(r) for r in results),
        f"## Sanity checks ({results[0].n:,} rows)",
        "\n".join(f"- {line}" for line in checks),
    ]
    return "\n\n".join(parts) + "\n"


# -- main -----------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the markdown report to this file")
    parser.add_argument(
        "--sizes",
        type=lambda text: sorted(int(s) for s in text.split(",")),
        default=list(DEFAULT_SIZES),
        help="comma-separated row counts (default: %(default)s)",
    )
    parser.add_argument("--quick", action="store_true", help="a fast smoke run at 10,000 rows")
    store = parser.add_mutually_exclusive_group()
    store.add_argument(
        "--store-only",
        action="store_true",
        help="run only the store benchmark (store.py); with --write, replace its section",
    )
    store.add_argument("--no-store", action="store_true", help="skip the store benchmark")
    store.add_argument(
        "--add-row-only",
        action="store_true",
        help="run only add_row by input kind; with --write, replace its section",
    )
    parser.add_argument(
        "--add-row-rows",
        type=int,
        default=KINDS_ROWS,
        help="rows of the add_row-by-input-kind table (default: %(default)s)",
    )
    return parser.parse_args(argv)


def with_store_section(report: str, section: str) -> str:
    """``report`` with its store section (if any) replaced by ``section``; the sections
    other benchmarks write after it (each between its ``<!-- ... BEGIN -->`` and ``END``
    markers) are kept."""
    import store  # benchmarks/store.py (it imports this module, so only when needed)

    kept, _, after = report.partition(store.MARKER)
    later = re.search(r"^<!-- [A-Z0-9-]+ BEGIN -->", after, flags=re.MULTILINE)
    tail = f"\n\n{after[later.start() :].rstrip()}\n" if later else ""
    kept = kept.rstrip()
    return (f"{kept}\n\n{section}" if kept else section).rstrip() + tail


def run_kinds(n: int, command: str) -> str:
    """add_row by input kind at ``n`` rows: the markdown section (its lines logged)."""
    log(f"== add_row by input kind, {n:,} rows ==")
    gc.freeze()
    section = kinds_section(add_row_kinds(n), n, command)
    gc.unfreeze()
    gc.collect()
    log(section)
    return section


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    command = shlex.join(["python", *sys.argv])
    kinds_rows = min(args.add_row_rows, 5_000) if args.quick else args.add_row_rows
    if args.add_row_only:
        section = run_kinds(kinds_rows, command)
        if args.write:
            old = args.write.read_text() if args.write.exists() else ""
            args.write.write_text(with_kinds_section(old, section))
            log(f"wrote {args.write}")
        return
    sizes = [] if args.store_only else [10_000] if args.quick else args.sizes
    estimates = Estimates()
    results: list[SizeResult] = []
    checks: list[str] = []
    for n in sizes:
        log(f"== {n:,} rows ==")
        data = make_data(n)
        gc.freeze()  # keep the collector from scanning the input data during the timings
        bench = Bench(data, estimates)
        results.append(bench.run())
        if not checks:
            checks = sanity_checks(bench)
            log("\n".join(checks))
        log("\n" + size_section(results[-1]) + "\n")
        del bench, data
        gc.unfreeze()
        gc.collect()
    report = ""
    if results:
        log(targets_section(results))
        report = with_kinds_section(
            render(results, command, checks), run_kinds(kinds_rows, command)
        )
    elif args.write and args.write.exists():
        report = args.write.read_text()  # --store-only: keep the in-memory section
    if not args.no_store:
        import store

        report = with_store_section(report, store.run_store(quick=args.quick, command=command))
    if args.write:
        args.write.write_text(report)
        log(f"wrote {args.write}")


if __name__ == "__main__":
    main()
