"""Scan over 50 stores on S3: hdmf_arrow.scan vs polars.scan_parquet of the same files
(issue 11, item 3).

Fifty stores on a moto S3 server (``ThreadedMotoServer`` on 127.0.0.1, in a child process), each
a ``session`` holding ``electrodes`` (64 rows) and ``units``: 2,000 units with ragged
``spike_times`` (100-2,000 float64 each, ~16 MB per store), ``firing_rate``, ``depth``,
``amplitude``, ``n_spikes`` and ``electrode``, a region into ``electrodes``. The stores are
written locally with ``hdmf_arrow.write`` and uploaded as they are (every file: manifests,
cached specs, data).

Measured, in one process, rounds interleaved (a, b, c, a, b, c, ...), medians:

(a) ``hdmf_arrow.scan("s3://bench/sessions/*.hdmf", "units")``: the open (building the
    LazyFrame) and the run of a filtered aggregation ``.filter(...).group_by("store").agg(...)
    .collect()``, over the scalar columns ("light") and with the spike counts ("heavy": every
    ``spike_times`` value is read);
(b) ``pl.scan_parquet([the same files], storage_options=..., include_file_paths="file")``
    and the same queries, grouped by file (one file per store), the file list taken from the
    manifests beforehand (not timed);
(c) what (a) costs when it reads the manifests only, with the helpers of ``hdmf_arrow.api``
    (``_open_manifests``, ``_find_stored_table``, ``_table_files``): the stores opened as
    (a) opens them (one flat listing for the glob and every store's versions, the manifests
    fetched concurrently), but no container tree built.

Below the table: what a request and a new s3fs client cost on this server, and what open + run
would be with (a)'s open at that floor, which says whether the target is reachable here.

The requests are counted at the server: werkzeug logs one line per request moto answers, for
s3fs (manifests) and polars' object_store client (data) alike; the server (in a child
process, so that it does not take the GIL from the clients it serves) prints them, and they
are sorted by kind (LIST, GET of a manifest, of a cached spec, of a data file, HEAD). Each
round starts with a cleared s3fs instance cache (a new client, no cached listings), as a new
process would: the open of (a) and (c) includes making that client.

    python benchmarks/scan_s3.py                  # 50 stores x 2,000 units (a few minutes)
    python benchmarks/scan_s3.py --quick          # 10 stores x 200 units (seconds)
    python benchmarks/scan_s3.py --profile        # where hdmf_arrow.scan's open time goes
    python benchmarks/scan_s3.py --write benchmarks/RESULTS.md   # replace its section there
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.storage import make_store

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

BEGIN, END = "<!-- SCAN-S3 BEGIN -->", "<!-- SCAN-S3 END -->"
BUCKET = "bench"
TARGET = 1.2  # hdmf_arrow.scan / pl.scan_parquet, open + run


@dataclass(frozen=True)
class Config:
    stores: int = 50
    units: int = 2_000
    spikes: tuple[int, int] = (100, 2_000)  # per unit, uniform
    electrodes: int = 64
    rounds: int = 3


FULL = Config()
QUICK = Config(stores=10, units=200, rounds=2)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- the stores -----------------------------------------------------------------------------------


def session(i: int, config: Config) -> SimpleMultiContainer:
    rng = np.random.default_rng(i)
    n = config.units
    electrodes = DynamicTable(name="electrodes", description="recording sites")
    electrodes.add_column("x", "x (um)", data=rng.random(config.electrodes) * 100)
    electrodes.add_column(
        "location", "brain area", data=[f"area{k % 8}" for k in range(config.electrodes)]
    )
    counts = rng.integers(config.spikes[0], config.spikes[1] + 1, n)
    ends = np.cumsum(counts)
    spikes = np.concatenate([np.sort(rng.random(c)) * 3600 for c in counts])
    units = DynamicTable(name="units", description="sorted units")
    units.add_column("spike_times", "spike times (s)", data=spikes, index=ends)
    units.add_column("firing_rate", "Hz", data=counts / 3600 * rng.uniform(5, 50, n))
    units.add_column("depth", "um", data=rng.uniform(0, 3_000, n))
    units.add_column("amplitude", "uV", data=rng.normal(80, 20, n))
    units.add_column("n_spikes", "spikes", data=counts.astype(np.int32))
    units.add_column(
        "electrode", "site", data=rng.integers(0, config.electrodes, n), table=electrodes
    )
    return SimpleMultiContainer("session", [electrodes, units])


def build(config: Config, fs: Any, work: Path) -> int:
    """Write the stores locally, upload them to the bucket; returns the bytes uploaded."""
    total = 0
    for i in range(config.stores):
        local = work / f"s{i:02d}.hdmf"
        hdmf_arrow.write(session(i, config), local)
        files = {
            f"{BUCKET}/sessions/{p.relative_to(work).as_posix()}": p.read_bytes()
            for p in local.rglob("*")
            if p.is_file()
        }
        fs.pipe(files)
        total += sum(len(v) for v in files.values())
    return total


# -- requests, counted at the server --------------------------------------------------------------

_REQUEST = re.compile(r'"([A-Z]+) (\S+) HTTP/[\d.]+"')
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


_SERVER = """
import logging, sys
from moto.server import ThreadedMotoServer

class Out(logging.Handler):
    def emit(self, record):
        sys.stdout.write(record.getMessage().replace("\\n", " ") + "\\n")
        sys.stdout.flush()

logger = logging.getLogger("werkzeug")
logger.addHandler(Out())
logger.setLevel(logging.INFO)
logger.propagate = False
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print("PORT", server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # until the benchmark closes it
server.stop()
"""
_MARKER = "/hdmf-arrow-bench-marker-"
_WAIT = 30.0  # seconds for the server's log to show a marker request (it takes milliseconds)


class RequestLog:
    """The requests the moto server answers, by kind, from the log lines werkzeug writes for
    each (the server runs in a child process, which prints them)."""

    def __init__(self, endpoint: str, lines: Any) -> None:
        self.endpoint = endpoint
        self._lines: list[str] = []
        self._seen = threading.Condition()
        self._markers = 0
        self._reader = threading.Thread(target=self._read, args=(lines,), daemon=True)
        self._reader.start()

    def _read(self, lines: Any) -> None:
        for line in lines:
            with self._seen:
                self._lines.append(line)
                self._seen.notify_all()

    def take(self) -> Counter[str]:
        """The requests since the last call. A marker request is sent first and waited for
        in the log, so that every request answered before it is counted."""
        self._markers += 1
        marker = f"{_MARKER}{self._markers}"
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(self.endpoint + marker, timeout=_WAIT).close()
        with self._seen:
            found = self._seen.wait_for(
                lambda: any(marker in line for line in self._lines), timeout=_WAIT
            )
            lines, self._lines = self._lines, []
        if not found:
            msg = f"the moto server's log did not show {marker} within {_WAIT} s"
            raise RuntimeError(msg)
        out: Counter[str] = Counter()
        for line in lines:
            m = _REQUEST.search(_ANSI.sub("", line))
            if m and _MARKER not in m.group(2):
                out[kind(m.group(1), m.group(2))] += 1
        return out


def kind(method: str, path: str) -> str:
    if method == "GET" and ("list-type=" in path or "prefix=" in path or path.count("/") <= 1):
        return "LIST"
    if method != "GET":
        return method
    for part, name in (("/_hdmf/versions/", "GET manifest"), ("/_hdmf/specs/", "GET spec")):
        if part in path:
            return name
    return "GET data" if "/data/" in path else "GET other"


@contextlib.contextmanager
def moto_server() -> Iterator[tuple[str, RequestLog]]:
    """moto's ThreadedMotoServer on 127.0.0.1, in a child process: a server in this process
    would take the GIL from the clients it is timed against (S3 does not)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _SERVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline().split()
        if first[:1] != ["PORT"]:
            msg = f"the moto server did not start (it said {first!r})"
            raise RuntimeError(msg)
        endpoint = f"http://127.0.0.1:{first[1]}"
        yield endpoint, RequestLog(endpoint, child.stdout)
    finally:
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


# -- the two ways ---------------------------------------------------------------------------------


def light(lf: pl.LazyFrame, by: str) -> pl.LazyFrame:
    return (
        lf.filter(pl.col("firing_rate") > 5.0)
        .group_by(by)
        .agg(pl.len().alias("units"), pl.col("depth").mean(), pl.col("amplitude").max())
    )


def heavy(lf: pl.LazyFrame, by: str) -> pl.LazyFrame:
    return (
        lf.filter(pl.col("firing_rate") > 5.0)
        .group_by(by)
        .agg(pl.len().alias("units"), pl.col("spike_times").list.len().sum().alias("spikes"))
    )


QUERIES: dict[str, Callable[[pl.LazyFrame, str], pl.LazyFrame]] = {"light": light, "heavy": heavy}


@dataclass
class Way:
    """One way of opening and querying the units of every store."""

    name: str
    open: Callable[[], pl.LazyFrame]
    by: str  # the column naming each row's store (or file)
    opens: dict[str, list[float]] = field(default_factory=dict)
    open_requests: Counter[str] = field(default_factory=Counter)
    runs: dict[str, list[float]] = field(default_factory=dict)
    run_requests: dict[str, Counter[str]] = field(default_factory=dict)
    results: dict[str, pl.DataFrame] = field(default_factory=dict)


MANIFEST_ONLY = (
    "the stores opened as `scan` opens them (`api._expand_locations` and `api._open_manifests`: "
    "one flat listing for the glob and every store's versions, the manifests fetched "
    "concurrently), the table found in the manifest (`api._find_stored_table`: no container "
    "tree, no cached specs loaded), `TableFiles.scan` of its files (`api._table_files`), a "
    "`store` column, `pl.concat(how='diagonal_relaxed')`, as `scan` does."
)


def manifest_scan(glob: str, options: dict[str, Any]) -> pl.LazyFrame:
    """hdmf_arrow.scan from the manifests alone (the api helpers), for comparison."""
    from hdmf_arrow.api import (
        _expand_locations,
        _find_stored_table,
        _open_manifests,
        _table_files,
    )

    found, listings = _expand_locations(glob, options)
    opened = _open_manifests(found, version=None, storage_options=options, listings=listings)
    frames = []
    for location, (store, manifest) in zip(found, opened, strict=True):
        files = _table_files(store, _find_stored_table(store, manifest, "units"))
        frame = files.scan(rows="_row")
        frames.append(frame.with_columns(pl.lit(str(location)).alias("store")))
    return pl.concat(frames, how="diagonal_relaxed")


def measure(way: Way, requests: RequestLog, query: str) -> None:
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()  # no cached listings, as in a new process
    requests.take()
    start = time.perf_counter()
    lf = way.open()
    way.opens.setdefault(query, []).append(time.perf_counter() - start)
    way.open_requests = requests.take()
    start = time.perf_counter()
    result = QUERIES[query](lf, way.by).collect()
    way.runs.setdefault(query, []).append(time.perf_counter() - start)
    way.run_requests[query] = requests.take()
    way.results[query] = result


def by_store(df: pl.DataFrame, by: str) -> pl.DataFrame:
    """One row per store (a file URL names its store as the part before ``/data/``)."""
    store = pl.col(by).str.replace(r"/data/.*$", "").str.replace(r"^s3://", "")
    return df.with_columns(store.alias("store_name")).drop(by).sort("store_name")


def checks(ways: list[Way]) -> list[str]:
    from polars.testing import assert_frame_equal

    out = []
    base = ways[1]
    for way in (w for w in ways if w is not base):
        for query in QUERIES:
            a, b = (by_store(w.results[query], w.by) for w in (way, base))
            try:  # sums of floats in another order may differ in the last bits
                assert_frame_equal(a, b, rel_tol=1e-12, check_column_order=False)
                verdict = "equal"
            except AssertionError as exc:
                verdict = f"DIFFERENT ({str(exc)[:200]})"
            out.append(f"{query} query: {way.name} and {base.name} give {verdict} results")
    return out


# -- where hdmf_arrow.scan's open goes ------------------------------------------------------------

PHASES = (
    ("expand the glob: one flat listing (storage.glob_stores)", "glob_stores"),
    ("each store's versions from that listing (storage.list_each)", "list_each"),
    ("GET the manifests, concurrently (storage.read_each)", "read_each"),
    ("parse and check them (io._layout.parse_manifest)", "parse_manifest"),
    ("build each store's container tree (ParquetIO.read)", "read"),
    ("each store's LazyFrame (DynamicTable.scan / TableFiles.scan)", "scan"),
    ("unite them (pl.concat, how='diagonal_relaxed')", "concat"),
)
_PHASE_FILES = {
    "glob_stores": "_many.py",
    "list_each": "_many.py",
    "read_each": "_many.py",
    "parse_manifest": "_layout.py",
    "read": "_parquetio.py",
    "scan": "_parquet.py",
    "concat": "eager.py",
}


def profile_open(open_scan: Callable[[], pl.LazyFrame]) -> list[tuple[str, float]]:
    """Cumulative seconds of each phase of one ``hdmf_arrow.scan`` call (cProfile)."""
    import s3fs

    s3fs.S3FileSystem.clear_instance_cache()
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(open_scan)
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler, stream=io.StringIO())
    found: dict[str, float] = {}
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        for _, name in PHASES:
            if function == name and filename.endswith(_PHASE_FILES[name]):
                found[name] = found.get(name, 0.0) + row[3]  # cumulative time
    out = [(label, found.get(name, 0.0)) for label, name in PHASES]
    out.append(("total (profiled)", total))
    return out


# -- the report -----------------------------------------------------------------------------------


def fmt_s(values: list[float]) -> str:
    value = statistics.median(values)
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def fmt_requests(counts: Counter[str]) -> str:
    if not counts:
        return "0"
    parts = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    return f"{sum(counts.values())} ({parts})"


def ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(a) / statistics.median(b)


def render(
    config: Config,
    ways: list[Way],
    uploaded: int,
    lines: list[str],
    profile: list[tuple[str, float]] | None,
    command: str,
) -> str:
    a, b = ways[0], ways[1]  # (b) is the baseline
    rows = [
        "| | " + " | ".join(w.name for w in ways) + " |",
        "|---|" + "---|" * len(ways),
        "| open (build the LazyFrame) | "
        + " | ".join(fmt_s([t for ts in w.opens.values() for t in ts]) for w in ways)
        + " |",
        "| requests to open | " + " | ".join(fmt_requests(w.open_requests) for w in ways) + " |",
    ]
    for query in QUERIES:
        rows.append(
            f"| run, {query} query | " + " | ".join(fmt_s(w.runs[query]) for w in ways) + " |"
        )
        rows.append(
            f"| requests to run, {query} | "
            + " | ".join(fmt_requests(w.run_requests[query]) for w in ways)
            + " |"
        )
    verdicts = []
    for way in (w for w in ways if w is not b):
        for query in QUERIES:
            total = [o + r for o, r in zip(way.opens[query], way.runs[query], strict=True)]
            total_b = [o + r for o, r in zip(b.opens[query], b.runs[query], strict=True)]
            r = ratio(total, total_b)
            ok = "met" if r <= TARGET else "NOT met"
            verdicts.append(
                f"- {query}: open + run, {way.name} / {b.name} = {r:.2f} (target <= {TARGET}: "
                f"{ok}); run alone {ratio(way.runs[query], b.runs[query]):.2f}"
            )
    parts = [
        BEGIN,
        "## Scan over 50 stores on S3 (issue 11, item 3)",
        "",
        f"`{command}`; {config.stores} stores x {config.units:,} units (spike_times "
        f"{config.spikes[0]:,}-{config.spikes[1]:,} float64 per unit), {uploaded / 1e6:.0f} MB "
        f"on a moto S3 server on 127.0.0.1; medians of {config.rounds} interleaved rounds; "
        f"requests counted at the server (werkzeug's log). Queries: light = "
        f"`filter(firing_rate > 5).group_by(store).agg(len, depth.mean, amplitude.max)`, heavy = "
        f"`filter(firing_rate > 5).group_by(store).agg(len, spike_times.list.len().sum())`. "
        f"(b) groups by `include_file_paths` (one file per store). (c) is what (a) costs when "
        f"it reads manifests only: {MANIFEST_ONLY}",
        "",
        *rows,
        "",
        *verdicts,
        *(f"- {line}" for line in lines),
    ]
    if profile is not None:
        parts += [
            "",
            f"Where the open of {a.name} goes (cProfile, cumulative seconds per phase; the "
            f"profiler adds its own overhead):",
            "",
            "| phase | time |",
            "|---|---|",
            *(f"| {label} | {seconds:.2f} s |" for label, seconds in profile),
        ]
    parts.append(END)
    return "\n".join(parts)


def calibrate(fs: Any, keys: list[str]) -> tuple[float, float]:
    """What one request costs on this server, in seconds: GETs of small objects one after
    another, and as many at once (s3fs sends a list concurrently), per GET."""
    start = time.perf_counter()
    for key in keys:
        fs.cat_file(key)
    one = (time.perf_counter() - start) / len(keys)
    start = time.perf_counter()
    fs.cat(keys)
    many = (time.perf_counter() - start) / len(keys)
    return one, many


def client_cost(options: dict[str, Any], rounds: int = 5) -> float:
    """Seconds to make a new s3fs client and send its first (tiny) request, as each open of
    (a) and (c) does, minus what that request costs once the client exists (median)."""
    import s3fs

    out = []
    for _ in range(rounds):
        s3fs.S3FileSystem.clear_instance_cache()
        start = time.perf_counter()
        fs = s3fs.S3FileSystem(**options)
        fs.call_s3("list_objects_v2", Bucket=BUCKET, Prefix="nothing/", MaxKeys=1)
        first = time.perf_counter() - start
        start = time.perf_counter()
        fs.call_s3("list_objects_v2", Bucket=BUCKET, Prefix="nothing/", MaxKeys=1)
        out.append(first - (time.perf_counter() - start))
    return statistics.median(out)


def server_lines(way: Way, one: float, many: float, client: float, n: int) -> list[str]:
    """What the open of ``way`` costs in requests on this server."""
    gets = way.open_requests.get("GET manifest", 0)
    lists = way.open_requests.get("LIST", 0)
    return [
        f"the server: a GET of a manifest takes {one * 1000:.0f} ms one after another, "
        f"{many * 1000:.0f} ms each when {n} are sent at once (moto answers in Python, "
        f"on the same 2 cores as the clients); a new s3fs client costs {client * 1000:.0f} ms "
        f"before its first request",
        f"the open of {way.name} is {lists} LIST and {gets} manifest GETs: at {many * 1000:.0f} "
        f"ms per concurrent GET, the GETs alone take about {gets * many:.2f} s on this server, "
        f"plus the client ({client:.2f} s) and the listing; (b) makes no request to open (it "
        f"reads footers in its run), so this is what (a) adds to the same run",
    ]


def floor_lines(a: Way, b: Way, many: float, client: float) -> list[str]:
    """What open + run of ``a`` / ``b`` would be with ``a``'s open at its floor on this
    server (a new client and its requests at the concurrent cost of one each), and the open
    the target leaves room for."""
    requests = sum(a.open_requests.values())
    floor = client + requests * many
    out = []
    for query in QUERIES:
        run_a, run_b = (statistics.median(w.runs[query]) for w in (a, b))
        room = TARGET * run_b - run_a
        out.append(
            f"{query}: with the open at its floor here (client + {requests} requests at "
            f"{many * 1000:.0f} ms = {floor:.2f} s), open + run would be "
            f"({floor:.2f} + {run_a:.2f}) / {run_b:.2f} = {(floor + run_a) / run_b:.2f}; the "
            f"{TARGET}x target leaves {room:.2f} s for the open"
            + (
                f", {max(room - client, 0) / many:.0f} requests after the client: fewer than "
                f"the {a.open_requests.get('GET manifest', 0)} manifests there are to read"
                if room < floor
                else ""
            )
        )
    return out


# -- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 stores x 200 units")
    parser.add_argument("--stores", type=int, help="number of stores")
    parser.add_argument("--units", type=int, help="units per store")
    parser.add_argument("--rounds", type=int, help="interleaved rounds")
    parser.add_argument("--profile", action="store_true", help="where scan's open time goes")
    parser.add_argument("--write", type=Path, help="replace this benchmark's section of a file")
    args = parser.parse_args()
    base = QUICK if args.quick else FULL
    config = Config(
        stores=args.stores or base.stores,
        units=args.units or base.units,
        spikes=base.spikes,
        electrodes=base.electrodes,
        rounds=args.rounds or base.rounds,
    )
    command = shlex.join(["python", *sys.argv])
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "bench")
    import s3fs

    with moto_server() as (endpoint, requests), tempfile.TemporaryDirectory() as tmp:
        options = {
            "key": "bench",
            "secret": "bench",
            "client_kwargs": {"endpoint_url": endpoint, "region_name": "us-east-1"},
        }
        fs = s3fs.S3FileSystem(**options)
        fs.call_s3("create_bucket", Bucket=BUCKET)
        log(f"writing {config.stores} stores x {config.units:,} units and uploading them ...")
        start = time.perf_counter()
        uploaded = build(config, fs, Path(tmp))
        log(f"  {uploaded / 1e6:.0f} MB in {time.perf_counter() - start:.1f} s")
        glob = f"s3://{BUCKET}/sessions/*.hdmf"
        stores = sorted(f"s3://{p}" for p in fs.glob(glob.removeprefix("s3://")))
        files = [
            f for s in stores for f in hdmf_arrow.data_files(s, "units", storage_options=options)
        ]
        reach = make_store(stores[0], storage_options=options).polars_options()
        assert reach is not None
        polars_options = reach[1]  # the options hdmf_arrow.scan gives polars
        ways = [
            Way(
                "(a) hdmf_arrow.scan",
                lambda: hdmf_arrow.scan(glob, "units", storage_options=options),
                "store",
            ),
            Way(
                "(b) pl.scan_parquet",
                lambda: pl.scan_parquet(
                    files, storage_options=polars_options, include_file_paths="file"
                ),
                "file",
            ),
            Way("(c) manifest-only scan", lambda: manifest_scan(glob, options), "store"),
        ]
        for query in QUERIES:
            for r in range(config.rounds):
                for way in ways:
                    measure(way, requests, query)
                log(
                    f"{query} round {r + 1}: "
                    + "; ".join(
                        f"{w.name} open {w.opens[query][-1]:.2f} s run {w.runs[query][-1]:.2f} s"
                        for w in ways
                    )
                )
        manifests = [k for k in fs.find(f"{BUCKET}/sessions/") if "/_hdmf/versions/" in k]
        one, many = calibrate(fs, manifests[:20])
        client = client_cost(options)
        lines = [
            *server_lines(ways[0], one, many, client, 20),
            *floor_lines(ways[0], ways[1], many, client),
            *checks(ways),
        ]
        profile = profile_open(ways[0].open) if args.profile else None
        section = render(config, ways, uploaded, lines, profile, command)
    print(section)
    if args.write:
        import wide  # benchmarks/wide.py: its replace_section

        wide.replace_section(args.write, section, BEGIN, END)


if __name__ == "__main__":
    main()
