"""HDF5 import and export: hdmf_arrow.import_hdf5 / export_hdf5 vs pynwb and h5py (issue 9, item 5).

The file is an NWB file built with pynwb: a units table of N rows (ragged ``spike_times``, 10-30
spikes per unit; ``depth`` float64, ``n_spikes`` int32 and ``quality`` string columns; a ragged
``electrodes`` region of 1-3 electrodes per unit), a trials table of N / 100 rows, an electrodes
table of one row per channel and an int16 ElectricalSeries of about S bytes (frames x channels),
written through a GenericDataChunkIterator so the series is never whole in memory. The file is
cached under ``tmp/bench/`` (keyed by its parameters), so reruns skip building it.

Each operation runs in a fresh child process; its wall time is measured in the child around the
operation only (after the imports it needs) and its peak RSS is the child's ``ru_maxrss`` from
``os.wait4``. The page cache is warm (the file is read once before the first measurement).

a) ``import_hdf5(file, store)``: wall time, MB/s (file bytes / time) and peak RSS;
b) pynwb: ``NWBHDF5IO.read()`` + ``to_dataframe()`` of units, electrodes and trials (what a user
   does today to get DataFrames), and the same with ``index=True``; ratio import / pynwb;
c) the limit: plain h5py reading every dataset in blocks, and copying every dataset in blocks into
   a new HDF5 file; ratio import MB/s / h5py copy MB/s (target >= 0.5);
d) ``export_hdf5(store, out.nwb)`` vs pynwb's ``NWBHDF5IO.export`` of the file read with pynwb,
   and vs pynwb writing the same containers freshly built in memory; ratio (target <= 1.0);
e) peak RSS of the import (target < 500 MB).

    python benchmarks/hdf5.py --small                 # 10k units, 50 MB series (a minute)
    python benchmarks/hdf5.py                         # 1M units, 2 GB series
    python benchmarks/hdf5.py --write benchmarks/RESULTS.md   # replace its section there
    python benchmarks/hdf5.py --baselines-only --small        # pynwb and h5py only
    python benchmarks/hdf5.py --units 100000 --series-bytes 5e8 --channels 64
    python benchmarks/hdf5.py --small --profile   # cProfile each child; .prof in tmp/bench/work
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import threading
import time
import warnings
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# The heavy libraries (pynwb, hdmf, h5py, hdmf_arrow/pyarrow) are imported inside the operations,
# so that each child process loads only what its operation needs and its peak RSS is its own.

BEGIN, END = "<!-- HDF5 BEGIN -->", "<!-- HDF5 END -->"
HEADING = "## HDF5 import and export (issue 9, item 5)"
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "tmp" / "bench"
BLOCK_BYTES = 64 * 2**20  # h5py baseline: bytes per block read / written
CHUNK_BYTES = 2**20  # ElectricalSeries chunks (frames x all channels)
BUFFER_CHUNKS = 32  # ElectricalSeries: chunks per buffer of the iterator
REPEAT_BUDGET = 30.0  # seconds: an operation is not repeated once its runs took this long
RATE = 30_000.0
MB = 1e6


@dataclass(frozen=True)
class FileSpec:
    units: int
    series_bytes: int
    channels: int
    seed: int = 0

    @property
    def frames(self) -> int:
        return max(1, self.series_bytes // (2 * self.channels))

    @property
    def trials(self) -> int:
        return max(10, self.units // 100)

    @property
    def name(self) -> str:
        return f"units{self.units}-series{self.series_bytes}-ch{self.channels}-seed{self.seed}.nwb"


SMALL = FileSpec(units=10_000, series_bytes=50_000_000, channels=64)
FULL = FileSpec(units=1_000_000, series_bytes=2_000_000_000, channels=384)


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- the NWB file ---------------------------------------------------------------------------------


def units_columns(spec: FileSpec) -> dict[str, np.ndarray]:
    """The units table's data, seeded: spike times (flat + ends), region (flat + ends), scalars."""
    rng = np.random.default_rng(spec.seed)
    counts = rng.integers(10, 31, spec.units)
    spike_ends = np.cumsum(counts)
    duration = spec.frames / RATE
    # Increasing within each unit (the flat array increases overall), spread over the recording.
    steps = rng.exponential(1.0, int(spike_ends[-1]))
    spike_times = np.cumsum(steps) * (duration / max(float(steps.sum()), 1e-9))
    region_ends = np.cumsum(rng.integers(1, 4, spec.units))
    region = rng.integers(0, spec.channels, int(region_ends[-1]))
    quality = np.array(["good", "mua", "noise"], dtype=object)[rng.integers(0, 3, spec.units)]
    return {
        "spike_times": spike_times,
        "spike_ends": spike_ends,
        "region": region,
        "region_ends": region_ends,
        "depth": rng.random(spec.units) * 3840.0,
        "n_spikes": counts.astype(np.int32),
        "quality": quality,
    }


def noise(start: int, stop: int, channels: int, seed: int) -> np.ndarray:
    """Frames ``start:stop`` of the series: the same values whichever blocks ask for them."""
    chunk = chunk_frames(channels)
    parts = []
    for first in range(start - start % chunk, stop, chunk):
        rng = np.random.default_rng((seed, first))
        block = rng.integers(-2048, 2048, size=(chunk, channels), dtype=np.int16)
        lo, hi = max(start, first) - first, min(stop, first + chunk) - first
        parts.append(block[lo:hi])
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def chunk_frames(channels: int) -> int:
    return max(1, CHUNK_BYTES // (2 * channels))


def series_iterator(spec: FileSpec) -> Any:
    from hdmf.data_utils import GenericDataChunkIterator

    class Noise(GenericDataChunkIterator):  # type: ignore[misc]
        def _get_data(self, selection: tuple[slice, ...]) -> np.ndarray:
            rows, cols = selection
            start, stop, _ = rows.indices(spec.frames)
            return noise(start, stop, spec.channels, spec.seed)[:, cols]

        def _get_maxshape(self) -> tuple[int, int]:
            return (spec.frames, spec.channels)

        def _get_dtype(self) -> np.dtype[Any]:
            return np.dtype("int16")

    chunk = min(chunk_frames(spec.channels), spec.frames)
    buffer = min(chunk * BUFFER_CHUNKS, spec.frames)
    return Noise(
        chunk_shape=(chunk, spec.channels),
        buffer_shape=(buffer, spec.channels),
        display_progress=False,
    )


def series_array(spec: FileSpec) -> Any:
    """The whole series in memory, chunked like the iterator's (for pynwb's fresh write)."""
    from hdmf.backends.hdf5 import H5DataIO

    data = np.empty((spec.frames, spec.channels), dtype=np.int16)
    step = chunk_frames(spec.channels) * BUFFER_CHUNKS
    for start in range(0, spec.frames, step):
        stop = min(start + step, spec.frames)
        data[start:stop] = noise(start, stop, spec.channels, spec.seed)
    chunks = (min(chunk_frames(spec.channels), spec.frames), spec.channels)
    return H5DataIO(data, chunks=chunks)


def build_nwbfile(spec: FileSpec, series_data: Any) -> Any:
    from hdmf.common import DynamicTableRegion, VectorData, VectorIndex
    from pynwb import NWBFile
    from pynwb.ecephys import ElectricalSeries
    from pynwb.misc import Units

    nwb = NWBFile(
        session_description="hdmf-arrow HDF5 benchmark",
        identifier=f"hdmf-arrow-bench-{spec.name}",
        session_start_time=datetime(2024, 1, 1, tzinfo=UTC),
    )
    device = nwb.create_device(name="probe", description="a simulated probe")
    group = nwb.create_electrode_group(
        name="shank0", description="all channels", location="CA1", device=device
    )
    for ch in range(spec.channels):
        nwb.add_electrode(group=group, location="CA1", x=0.0, y=float(ch) * 10.0, z=0.0)
    region = nwb.create_electrode_table_region(list(range(spec.channels)), "all channels")
    nwb.add_acquisition(
        ElectricalSeries(
            name="ElectricalSeries",
            data=series_data,
            electrodes=region,
            rate=RATE,
            starting_time=0.0,
            conversion=1e-6,
        )
    )

    cols = units_columns(spec)
    spike_times = VectorData(
        name="spike_times", description="spike times (s)", data=cols["spike_times"]
    )
    electrodes = DynamicTableRegion(
        name="electrodes", description="electrodes", data=cols["region"], table=nwb.electrodes
    )
    columns = [
        spike_times,
        VectorIndex(name="spike_times_index", data=cols["spike_ends"], target=spike_times),
        electrodes,
        VectorIndex(name="electrodes_index", data=cols["region_ends"], target=electrodes),
        VectorData(name="depth", description="depth (um)", data=cols["depth"]),
        VectorData(name="n_spikes", description="spikes in the unit", data=cols["n_spikes"]),
        VectorData(name="quality", description="curation label", data=cols["quality"].tolist()),
    ]
    nwb.units = Units(
        name="units",
        description="simulated units",
        id=np.arange(spec.units),
        columns=columns,
        colnames=["spike_times", "electrodes", "depth", "n_spikes", "quality"],
    )

    rng = np.random.default_rng((spec.seed, 1))
    starts = np.sort(rng.random(spec.trials)) * (spec.frames / RATE)
    nwb.add_trial_column(name="correct", description="the answer was right")
    for start, ok in zip(starts.tolist(), (rng.random(spec.trials) < 0.7).tolist(), strict=True):
        nwb.add_trial(start_time=start, stop_time=start + 0.5, correct=ok)
    return nwb


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def write_nwb(spec: FileSpec, path: Path, series_data: Any) -> float:
    """Build the containers, then write them; returns the seconds of the write alone."""
    from pynwb import NWBHDF5IO

    with quiet():
        nwb = build_nwbfile(spec, series_data)
        with timed() as t, NWBHDF5IO(str(path), "w") as io:
            io.write(nwb)
    return t.seconds


def cached_file(spec: FileSpec, cache: Path, timeout: float) -> tuple[Path, Result | None]:
    """The NWB file for ``spec``, built (in a child) unless the cache already has it."""
    path = cache / spec.name
    if path.exists():
        log(f"using the cached {path} ({path.stat().st_size / MB:,.0f} MB)")
        return path, None
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    log(f"building {path} ({spec.units:,} units, {spec.frames:,} x {spec.channels} int16)")
    result = child("build", {"spec": asdict(spec), "path": str(partial)}, timeout=timeout)
    if not result.ok:
        partial.unlink(missing_ok=True)
        msg = f"building {path} failed: {result.error}"
        raise RuntimeError(msg)
    partial.rename(path)
    log(f"built in {result.seconds:.1f} s, {path.stat().st_size / MB:,.0f} MB")
    return path, result


# -- the operations (each runs in a child process) ------------------------------------------------


def op_build(args: dict[str, Any]) -> dict[str, Any]:
    spec = FileSpec(**args["spec"])
    seconds = write_nwb(spec, Path(args["path"]), series_iterator(spec))
    return {"write_seconds": seconds}


def op_import(args: dict[str, Any]) -> dict[str, Any]:
    from hdmf_arrow import import_hdf5

    with timed() as t:
        imported = import_hdf5(args["src"], args["dst"])
    return {"seconds": t.seconds, "version": imported}


def op_export(args: dict[str, Any]) -> dict[str, Any]:
    from hdmf_arrow import export_hdf5

    with timed() as t:
        export_hdf5(args["src"], args["dst"])
    return {"seconds": t.seconds}


TABLES = {  # where pynwb puts the three tables in an NWB file
    "units": "units",
    "electrodes": "general/extracellular_ephys/electrodes",
    "trials": "intervals/trials",
}


def op_arrow_frames(args: dict[str, Any]) -> dict[str, Any]:
    """hdmf-arrow after the import: read the store, DataFrames of units/electrodes/trials."""
    import hdmf_arrow
    from hdmf_arrow.io import find_table

    with timed() as t:
        root = hdmf_arrow.read(args["src"])
        rows = {
            name: len(find_table(root, path).to_dataframe(index=True))
            for name, path in TABLES.items()
        }
    return {"seconds": t.seconds, "rows": rows}


def op_pynwb_frames(args: dict[str, Any]) -> dict[str, Any]:
    from pynwb import NWBHDF5IO

    index = bool(args["index"])
    with quiet(), timed() as t, NWBHDF5IO(args["src"], "r") as io:
        nwb = io.read()
        rows = {
            "units": len(nwb.units.to_dataframe(index=index)),
            "electrodes": len(nwb.electrodes.to_dataframe(index=index)),
            "trials": len(nwb.trials.to_dataframe(index=index)),
        }
    return {"seconds": t.seconds, "rows": rows}


def op_pynwb_export(args: dict[str, Any]) -> dict[str, Any]:
    from pynwb import NWBHDF5IO

    with quiet(), timed() as t, NWBHDF5IO(args["src"], "r") as src:
        nwb = src.read()
        with NWBHDF5IO(args["dst"], "w") as dst:
            dst.export(src_io=src, nwbfile=nwb)
    return {"seconds": t.seconds}


def op_pynwb_write(args: dict[str, Any]) -> dict[str, Any]:
    """pynwb writing the same containers, built in memory first (building is not timed)."""
    spec = FileSpec(**args["spec"])
    return {"seconds": write_nwb(spec, Path(args["dst"]), series_array(spec))}


def h5py_blocks(dataset: Any) -> Iterator[tuple[slice, ...] | tuple[()]]:
    """Selections covering ``dataset`` in ~BLOCK_BYTES blocks along axis 0 (chunk aligned)."""
    if dataset.shape == () or dataset.size == 0:
        yield ()
        return
    row_bytes = max(1, dataset.dtype.itemsize * int(np.prod(dataset.shape[1:], dtype=np.int64)))
    rows = max(1, BLOCK_BYTES // row_bytes)
    if dataset.chunks:
        rows = max(dataset.chunks[0], rows - rows % dataset.chunks[0])
    for start in range(0, dataset.shape[0], rows):
        yield (slice(start, min(start + rows, dataset.shape[0])),)


def is_reference(dtype: np.dtype[Any]) -> bool:
    import h5py

    if h5py.check_dtype(ref=dtype) is not None:
        return True
    return dtype.names is not None and any(is_reference(dtype[n]) for n in dtype.names)


def op_h5py(args: dict[str, Any]) -> dict[str, Any]:
    """Every dataset of ``src`` read in blocks; with ``dst``, also written to a new file."""
    import h5py

    copy = args.get("dst") is not None
    counts = {"datasets": 0, "bytes": 0, "skipped_writes": 0}
    with timed() as t, h5py.File(args["src"], "r") as src:
        out = h5py.File(args["dst"], "w") if copy else None
        try:
            datasets: list[tuple[str, Any]] = []
            src.visititems(
                lambda name, obj: (
                    datasets.append((name, obj)) if isinstance(obj, h5py.Dataset) else None
                )
            )
            for name, ds in datasets:
                counts["datasets"] += 1
                counts["bytes"] += ds.nbytes
                target = None
                if out is not None:
                    if is_reference(ds.dtype):
                        counts["skipped_writes"] += 1  # refs point into src; read them only
                    else:
                        target = out.create_dataset(
                            name, shape=ds.shape, dtype=ds.dtype, chunks=ds.chunks
                        )
                        copy_attrs(ds, target)
                for sel in h5py_blocks(ds):
                    block = ds[sel]
                    if target is not None:
                        target[sel] = block
        finally:
            if out is not None:
                out.close()
    return {"seconds": t.seconds, **counts}


def copy_attrs(source: Any, target: Any) -> None:
    for key in source.attrs:
        if is_reference(source.attrs.get_id(key).dtype):
            continue
        target.attrs[key] = source.attrs[key]


def op_check_export(args: dict[str, Any]) -> dict[str, Any]:
    """What pynwb reads back from an exported file: table lengths, spikes, series shape."""
    from pynwb import NWBHDF5IO

    with quiet(), NWBHDF5IO(args["path"], "r") as io:
        nwb = io.read()
        series = nwb.acquisition["ElectricalSeries"].data
        last = int(series.shape[0]) - 1
        return {
            "units": len(nwb.units),
            "spikes": int(nwb.units["spike_times"].target.data.shape[0]),
            "last_spike_ends": int(nwb.units["spike_times"].data[-1]),
            "electrodes": len(nwb.electrodes),
            "trials": len(nwb.trials),
            "series_shape": list(series.shape),
            "series_first": series[0, :4].tolist(),
            "series_last": series[last, -4:].tolist(),
        }


CEILING_BYTES = 256 * 2**20  # the block of the largest dataset that Parquet alone encodes
LAYOUTS = {  # name -> (Arrow type of a row, compression, BYTE_STREAM_SPLIT)
    "store: fixed_size_list<int16>, BYTE_STREAM_SPLIT, zstd": ("fsl", "zstd", True),
    "fixed_size_list<int16>, BYTE_STREAM_SPLIT, lz4": ("fsl", "lz4", True),
    "fixed_size_list<int16>, PLAIN, uncompressed": ("fsl", None, False),
    "(not the design) fixed_size_binary rows, zstd": ("fsb", "zstd", False),
}


def op_ceiling(args: dict[str, Any]) -> dict[str, Any]:
    """What Parquet itself costs on the series' data: one 256 MiB block of the largest dataset
    encoded and decoded by pyarrow alone, one thread (one core), per layout. The import
    encodes on both cores, so it cannot pass twice the encode rate; the export decodes."""
    import io

    import h5py
    import pyarrow as pa
    import pyarrow.parquet as pq

    with h5py.File(args["src"], "r") as f:
        datasets: list[Any] = []
        f.visititems(lambda _, o: datasets.append(o) if isinstance(o, h5py.Dataset) else None)
        series = max(datasets, key=lambda d: d.nbytes)
        row_bytes = series.dtype.itemsize * int(np.prod(series.shape[1:]))
        block = series[: max(1, CEILING_BYTES // row_bytes)]
    flat = pa.array(block.reshape(-1))
    rows = pa.FixedSizeListArray.from_arrays(flat, block.shape[1])
    blobs = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(row_bytes), len(block), [None, pa.py_buffer(np.ascontiguousarray(block))]
    )
    out: dict[str, Any] = {"block_bytes": block.nbytes, "layouts": {}}
    for name, (kind, codec, split) in LAYOUTS.items():
        table = pa.table({"data": rows if kind == "fsl" else blobs})
        sink = io.BytesIO()
        start = time.perf_counter()
        pq.write_table(
            table, sink, compression=codec, use_dictionary=False,
            column_encoding={"data.list.element": "BYTE_STREAM_SPLIT"} if split else None,
            row_group_size=max(1, 2**20 // row_bytes), data_page_size=256 * 2**10,
        )  # fmt: skip
        encode = time.perf_counter() - start
        start = time.perf_counter()
        pq.read_table(pa.BufferReader(sink.getvalue()), use_threads=False)
        decode = time.perf_counter() - start
        out["layouts"][name] = {
            "encode": encode, "decode": decode, "size": sink.tell() / block.nbytes
        }  # fmt: skip
    return out


OPS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "ceiling": op_ceiling,
    "build": op_build,
    "import": op_import,
    "export": op_export,
    "arrow-frames": op_arrow_frames,
    "pynwb-frames": op_pynwb_frames,
    "pynwb-export": op_pynwb_export,
    "pynwb-write": op_pynwb_write,
    "h5py": op_h5py,
    "check-export": op_check_export,
}


class Timer:
    seconds: float = 0.0


@contextlib.contextmanager
def timed() -> Iterator[Timer]:
    timer = Timer()
    if not _BASELINE:
        _BASELINE.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    start = time.perf_counter()
    try:
        yield timer
    finally:
        timer.seconds = time.perf_counter() - start


def child_main(op: str, payload: str) -> None:
    """Run one operation and print its result (a JSON line) last on stdout."""
    args = json.loads(payload)
    if args.get("profile"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        result = profiler.runcall(OPS[op], args)
        profiler.dump_stats(args["profile"])
        pstats.Stats(args["profile"], stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    else:
        result = OPS[op](args)
    result["baseline_rss"] = baseline_rss()
    print(json.dumps(result), flush=True)


_BASELINE: list[int] = []


def baseline_rss() -> int:
    """The child's peak RSS (bytes) before the operation proper (recorded by ``timed``)."""
    return _BASELINE[0] if _BASELINE else 0


# -- running children -----------------------------------------------------------------------------


@dataclass
class Result:
    op: str
    ok: bool
    seconds: float = float("nan")  # the operation, timed in the child
    wall: float = float("nan")  # the whole child process
    peak_rss: int = 0  # bytes, ru_maxrss of the child
    cpu: float = float("nan")  # user + system seconds of the whole child process
    data: dict[str, Any] | None = None
    error: str = ""
    runs: int = 1

    @property
    def baseline(self) -> int:
        """Peak RSS (bytes) of the child before the operation proper: interpreter + imports."""
        return int((self.data or {}).get("baseline_rss", 0))


def child(op: str, args: dict[str, Any], *, timeout: float, profile: Path | None = None) -> Result:
    if profile is not None:
        args = {**args, "profile": str(profile)}
    command = [sys.executable, __file__, "--child", op, json.dumps(args)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    out_lines: list[str] = []
    err_lines: list[str] = []
    readers = [
        threading.Thread(target=lambda: out_lines.extend(proc.stdout or ())),
        threading.Thread(target=lambda: err_lines.extend(proc.stderr or ())),
    ]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    killer.cancel()
    for r in readers:
        r.join()
    wall = time.perf_counter() - start
    peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    stderr = "".join(err_lines)
    if profile is not None and stderr:
        print(stderr, file=sys.stderr)
    if proc.returncode != 0 or not out_lines:
        timed_out = wall >= timeout
        error = f"timed out after {timeout:.0f} s" if timed_out else last_lines(stderr)
        return Result(op, ok=False, wall=wall, peak_rss=peak, cpu=cpu, error=error)
    data = json.loads(out_lines[-1])
    seconds = float(data.get("seconds", data.get("write_seconds", wall)))
    return Result(op, ok=True, seconds=seconds, wall=wall, peak_rss=peak, cpu=cpu, data=data)


def last_lines(text: str, n: int = 6) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[-n:])


def warm(path: Path) -> None:
    with path.open("rb") as f:
        while f.read(BLOCK_BYTES):
            pass


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def arrow_available() -> bool:
    probe = [sys.executable, "-c", "from hdmf_arrow import import_hdf5, export_hdf5"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


# -- the benchmark --------------------------------------------------------------------------------


@dataclass
class Bench:
    spec: FileSpec
    path: Path
    work: Path
    repeat: int
    timeout: float
    profile: bool
    results: dict[str, Result]
    notes: list[str]

    def measure(self, key: str, op: str, args: dict[str, Any], out: Path | None = None) -> Result:
        """Run ``op`` up to ``repeat`` times (no more once REPEAT_BUDGET seconds are spent);
        keep the fastest run, with the highest peak RSS of all runs (outputs removed)."""
        runs: list[Result] = []
        for k in range(self.repeat):
            if k and sum(r.wall for r in runs) > REPEAT_BUDGET:
                break
            if out is not None:
                remove(out)
            profile = self.work / f"{key}.prof" if self.profile and k == 0 else None
            result = child(op, args, timeout=self.timeout, profile=profile)
            shown = f"{result.seconds:.2f} s" if result.ok else f"FAILED ({result.error})"
            log(f"{key}: {shown}, peak RSS {result.peak_rss / MB:,.0f} MB")
            runs.append(result)
            if not result.ok:
                break
        ok = all(r.ok for r in runs)
        chosen = min(runs, key=lambda r: r.seconds) if ok else runs[-1]
        chosen.peak_rss = max(r.peak_rss for r in runs)
        chosen.runs = len(runs)
        self.results[key] = chosen
        return chosen

    def run(self, *, arrow: bool) -> None:
        src = str(self.path)
        warm(self.path)
        if arrow:
            store = self.work / "import.hdmf"
            self.measure("import", "import", {"src": src, "dst": str(store)}, out=store)
            if self.results["import"].ok:
                self.notes.append(f"store size: {size_of(store) / MB:,.0f} MB")
                self.measure("arrow-frames", "arrow-frames", {"src": str(store)})
                exported = self.work / "export.nwb"
                args = {"src": str(store), "dst": str(exported)}
                if self.measure("export", "export", args, out=exported).ok:
                    check = child("check-export", {"path": str(exported)}, timeout=self.timeout)
                    self.results["check-export"] = check
                    remove(exported)
                remove(store)
        for key, index in (("pynwb-frames", False), ("pynwb-frames-index", True)):
            self.measure(key, "pynwb-frames", {"src": src, "index": index})
        self.measure("h5py-read", "h5py", {"src": src})
        copied = self.work / "h5py-copy.h5"
        self.measure("h5py-copy", "h5py", {"src": src, "dst": str(copied)}, out=copied)
        remove(copied)
        pynwb_out = self.work / "pynwb-export.nwb"
        self.measure("pynwb-export", "pynwb-export", {"src": src, "dst": str(pynwb_out)}, pynwb_out)
        remove(pynwb_out)
        fresh = self.work / "pynwb-write.nwb"
        self.measure("pynwb-write", "pynwb-write", {"spec": asdict(self.spec), "dst": str(fresh)})
        remove(fresh)
        self.results["check-source"] = child("check-export", {"path": src}, timeout=self.timeout)
        self.results["ceiling"] = child("ceiling", {"src": src}, timeout=self.timeout)


# -- the report -----------------------------------------------------------------------------------


def fmt_s(r: Result | None) -> str:
    if r is None:
        return "not run"
    if not r.ok:
        return f"failed: {r.error[:120]}"
    return f"{r.seconds:.2f} s" if r.seconds < 100 else f"{r.seconds:.0f} s"


def fmt_cores(r: Result | None) -> str:
    """CPU seconds per wall second of the whole child (above 1: more than one core busy)."""
    if r is None or not r.wall or r.cpu != r.cpu:
        return "—"
    return f"{r.cpu / r.wall:.2f}"


def fmt_mb(n: float) -> str:
    return f"{n / MB:,.0f} MB"


def rate(nbytes: int, r: Result | None) -> float | None:
    return nbytes / r.seconds / MB if r is not None and r.ok else None


def fmt_rate(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB/s"


def fmt_ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def secs(r: Result | None) -> float | None:
    return r.seconds if r is not None and r.ok else None


def verdict(value: float | None, ok: Callable[[float], bool], shown: str) -> str:
    if value is None:
        return "not measured"
    return f"{'met' if ok(value) else 'NOT met'} ({shown})"


def render(bench: Bench, command: str, build: Result | None) -> str:
    spec, res = bench.spec, bench.results
    file_bytes = bench.path.stat().st_size
    get = res.get
    imp, exp = get("import"), get("export")
    copy_rate, read_rate = rate(file_bytes, get("h5py-copy")), rate(file_bytes, get("h5py-read"))
    import_rate = rate(file_bytes, imp)
    frames_s = secs(get("pynwb-frames"))
    lines = [
        BEGIN,
        HEADING,
        "",
        "Written by `benchmarks/hdf5.py`; regenerate rather than edit.",
        "",
        f"- Command: `{command}`",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- File: NWB written by pynwb, {fmt_mb(file_bytes)}: units table of {spec.units:,} rows "
        f"(ragged `spike_times`, 10-30 per unit; `depth`, `n_spikes`, `quality`; ragged "
        f"`electrodes` region, 1-3 per unit), trials {spec.trials:,} rows, electrodes "
        f"{spec.channels} rows, ElectricalSeries int16 {spec.frames:,} x {spec.channels} "
        f"({fmt_mb(spec.frames * spec.channels * 2)}, chunks of "
        f"{chunk_frames(spec.channels):,} frames, uncompressed).",
        "- Each operation runs in a fresh child process: the time is measured in the child "
        "around the operation (imports excluded), peak RSS is the child's `ru_maxrss` "
        "(interpreter, imports and, for pynwb's fresh write, the containers built in memory "
        "included: the last column). Warm page cache; outputs go to the same local "
        f"disk. Best of up to {bench.repeat} runs (no more once {REPEAT_BUDGET:.0f} s are spent; "
        "the `runs` column); the peak RSS is the highest of the runs. CPU / wall is the "
        "child's user + system time over its wall time, start-up included (2 = both cores "
        "busy). The machine is shared: expect noise in wall times.",
        "",
        "| operation | time | runs | MB/s (file bytes / time) | CPU / wall of the child | peak RSS "
        "| RSS before timing |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [
        ("a) hdmf-arrow `import_hdf5(file, store)`", "import", True),
        (
            "hdmf-arrow `read(store)` + `to_dataframe(index=True)` of the three tables",
            "arrow-frames",
            False,
        ),
        (
            "b) pynwb `NWBHDF5IO.read()` + `to_dataframe()` of units, electrodes, trials",
            "pynwb-frames",
            False,
        ),
        ("b) the same with `to_dataframe(index=True)`", "pynwb-frames-index", False),
        ("c) h5py: read every dataset in 64 MB blocks", "h5py-read", True),
        ("c) h5py: copy every dataset in 64 MB blocks into a new file", "h5py-copy", True),
        ("d) hdmf-arrow `export_hdf5(store, out.nwb)`", "export", True),
        ("d) pynwb: `read()` + `NWBHDF5IO.export` to a new file", "pynwb-export", True),
        ("d) pynwb: `write()` of the same containers built in memory", "pynwb-write", True),
    ]
    for label, key, with_rate in rows:
        r = get(key)
        shown_rate = fmt_rate(rate(file_bytes, r)) if with_rate else "—"
        peak = fmt_mb(r.peak_rss) if r is not None and r.peak_rss else "—"
        base = fmt_mb(r.baseline) if r is not None and r.baseline else "—"
        runs = r.runs if r is not None else "—"
        cores = fmt_cores(r)
        lines.append(
            f"| {label} | {fmt_s(r)} | {runs} | {shown_rate} | {cores} | {peak} | {base} |"
        )
    if build is not None:
        lines.append(
            f"| (building the file: pynwb write through the iterator) | {fmt_s(build)} | 1 | "
            f"{fmt_rate(rate(file_bytes, build))} | {fmt_cores(build)} | "
            f"{fmt_mb(build.peak_rss)} | {fmt_mb(build.baseline)} |"
        )
    lines += ["", "| target | measured as | value | verdict |", "|---|---|---:|---|"]
    ratio_mbs = import_rate / copy_rate if import_rate and copy_rate else None
    pynwb_exp = secs(get("pynwb-export"))
    export_ratio = secs(exp) / pynwb_exp if secs(exp) and pynwb_exp else None
    peak = imp.peak_rss / MB if imp is not None and imp.ok else None
    lines += [
        f"| import throughput ≥ 0.5 of h5py | import MB/s / h5py copy MB/s | "
        f"{fmt_ratio(import_rate, copy_rate)} | "
        f"{verdict(ratio_mbs, lambda v: v >= 0.5, fmt_ratio(import_rate, copy_rate))} |",
        f"| (the same against h5py read only) | import MB/s / h5py read MB/s | "
        f"{fmt_ratio(import_rate, read_rate)} | — |",
        f"| export no slower than hdmf | export_hdf5 / pynwb export | "
        f"{fmt_ratio(secs(exp), pynwb_exp)} | "
        f"{verdict(export_ratio, lambda v: v <= 1.0, fmt_ratio(secs(exp), pynwb_exp))} |",
        f"| (the same against pynwb's fresh write) | export_hdf5 / pynwb write | "
        f"{fmt_ratio(secs(exp), secs(get('pynwb-write')))} | — |",
        f"| import peak memory < 500 MB | peak RSS of the import child | "
        f"{'—' if peak is None else f'{peak:,.0f} MB'} | "
        f"{verdict(peak, lambda v: v < 500, f'{peak:,.0f} MB' if peak else '')} |",
        f"| (informational) import vs getting DataFrames with pynwb | import / pynwb read + "
        f"to_dataframe() | {fmt_ratio(secs(imp), frames_s)} | — |",
        f"| (informational) | import / pynwb read + to_dataframe(index=True) | "
        f"{fmt_ratio(secs(imp), secs(get('pynwb-frames-index')))} | — |",
    ]
    lines += ceiling_lines(get("ceiling"), copy_rate, read_rate)
    lines += ["", "Checks:", ""]
    lines += [f"- {c}" for c in checks(bench)]
    lines += [f"- {n}" for n in bench.notes]
    lines.append(END)
    return "\n".join(lines)


def ceiling_lines(r: Result | None, copy_rate: float | None, read_rate: float | None) -> list[str]:
    """The table of what Parquet alone costs on the series' data (op_ceiling)."""
    if r is None or not r.ok or not r.data:
        return ["", f"Parquet ceiling: {fmt_s(r)}"]
    block = r.data["block_bytes"]
    lines = [
        "",
        f"Parquet alone on the series' data (e, the limit of the design's layout): one "
        f"{fmt_mb(block)} block of the ElectricalSeries encoded and decoded by pyarrow in one "
        f"thread, per layout. The import encodes on both cores, so its MB/s cannot pass twice "
        f"the encode rate (with the HDF5 read and the tables still to do); the export decodes.",
        "",
        "| layout | encode MB/s (1 core) | decode MB/s (1 core) | size / raw | 2 x encode / h5py "
        "copy MB/s | 2 x decode / h5py read MB/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, m in r.data["layouts"].items():
        enc, dec = block / MB / m["encode"], block / MB / m["decode"]
        lines.append(
            f"| {name} | {fmt_rate(enc)} | {fmt_rate(dec)} | {m['size']:.2f} | "
            f"{fmt_ratio(2 * enc, copy_rate)} | {fmt_ratio(2 * dec, read_rate)} |"
        )
    return lines


def checks(bench: Bench) -> list[str]:
    res = bench.results
    out = []
    source = res.get("check-source")
    exported = res.get("check-export")
    if source is not None and source.ok and exported is not None and exported.ok:
        a, b = dict(source.data or {}), dict(exported.data or {})
        for d in (a, b):
            d.pop("baseline_rss", None)
        same = a == b
        out.append(
            f"export_hdf5 read back with pynwb: {'same as the source' if same else 'DIFFERS'}"
            f" (units, spikes, electrodes, trials, series shape and corner values)"
            + ("" if same else f": source {a}, exported {b}")
        )
    elif exported is not None and not exported.ok:
        out.append(f"export_hdf5's file could not be read with pynwb: {exported.error}")
    frames = res.get("arrow-frames")
    pynwb_frames = res.get("pynwb-frames-index")
    if frames is not None and frames.ok and pynwb_frames is not None and pynwb_frames.ok:
        a, b = (frames.data or {}).get("rows"), (pynwb_frames.data or {}).get("rows")
        out.append(f"table rows after import {a}, with pynwb {b}: {'same' if a == b else 'DIFFER'}")
    copy = res.get("h5py-copy")
    if copy is not None and copy.ok and copy.data:
        out.append(
            f"h5py: {copy.data['datasets']} datasets, {fmt_mb(copy.data['bytes'])} of data; "
            f"{copy.data['skipped_writes']} reference datasets read but not written"
        )
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    libs = []
    for name in ("hdmf-arrow", "pyarrow", "h5py", "hdmf", "pynwb", "numpy"):
        try:
            libs.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            libs.append(f"{name} ?")
    return (
        f"{platform.platform()}; {cpu}; {os.cpu_count()} CPUs; Python "
        f"{platform.python_version()}; {', '.join(libs)}"
    )


def write_section(target: Path, section: str) -> None:
    text = target.read_text() if target.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    target.write_text(text)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child_main(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="10k units, 50 MB series")
    parser.add_argument("--units", type=int, help="units table rows")
    parser.add_argument("--series-bytes", type=float, help="ElectricalSeries bytes")
    parser.add_argument("--channels", type=int, help="ElectricalSeries channels")
    parser.add_argument("--repeat", type=int, help="most runs per operation (default 3)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per operation")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where built files are kept")
    parser.add_argument("--baselines-only", action="store_true", help="skip hdmf-arrow")
    parser.add_argument("--profile", action="store_true", help="cProfile each operation")
    parser.add_argument("--write", type=Path, help="replace the HDF5 section of this file")
    args = parser.parse_args()
    base = SMALL if args.small else FULL
    spec = FileSpec(
        units=args.units or base.units,
        series_bytes=int(args.series_bytes or base.series_bytes),
        channels=args.channels or base.channels,
    )
    arrow = not args.baselines_only and arrow_available()
    if not arrow and not args.baselines_only:
        log("hdmf_arrow.import_hdf5 / export_hdf5 are not importable: baselines only")
    path, build = cached_file(spec, args.cache, args.timeout)
    work = args.cache / "work"
    remove(work)
    work.mkdir(parents=True)
    repeat = args.repeat or 3
    bench = Bench(spec, path, work, repeat, args.timeout, args.profile, {}, [])
    bench.run(arrow=arrow)
    section = render(bench, shlex.join(["python", *sys.argv]), build)
    print(section)
    saved = args.cache / f"{spec.name}.results.json"
    saved.write_text(json.dumps({k: asdict(r) for k, r in bench.results.items()}, indent=1))
    log(f"raw results in {saved}")
    if args.write:
        write_section(args.write, section)
    if not args.profile:
        remove(work)


if __name__ == "__main__":
    main()
