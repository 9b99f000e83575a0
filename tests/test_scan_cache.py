"""``hdmf_arrow.scan`` from manifests alone, as one ``pl.scan_parquet`` over every store's
files where the stores' tables agree, and the process-wide cache of parsed manifests
(``storage/_cache.py``) that makes a repeat scan on S3 a listing only.

What is checked, on local disk and on the moto S3 server:

- the one scan gives what one scan per store concatenated gives (the path kept for stores
  whose tables differ), and what each store's ``to_polars()`` gives, on stores with appends
  (several files per table), enum (``pl.Enum``), ragged and region columns, with ``columns=``;
- stores whose tables differ (a column more, other enum elements, a table without row
  positions) are concatenated, with nulls where a column is missing;
- the schema polars is given is the one it would read from the files' footers;
- a repeat scan reads no manifest on S3; a new version is seen; a store deleted and
  re-created at the same URL is read anew (its version 1 is another object); the cache is
  bounded and can be turned off.

Requests are counted at the S3 client (every call aiobotocore makes), as in
``test_open_many.py``.
"""

from __future__ import annotations

import collections
import datetime as dt
import shutil
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from polars.testing import assert_frame_equal

import hdmf_arrow
import hdmf_arrow.api as api
from hdmf_arrow import ParquetIO
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import InvalidArgumentError
from hdmf_arrow.storage import make_store
from hdmf_arrow.storage._cache import ObjectCache, manifest_cache

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from conftest import S3Server

Place = tuple[str, dict[str, Any] | None]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty manifest cache of the default bounds, and leaves one."""
    bounds = manifest_cache.max_entries, manifest_cache.max_bytes
    manifest_cache.clear()
    yield
    manifest_cache.configure(max_entries=bounds[0], max_bytes=bounds[1])
    manifest_cache.clear()


@pytest.fixture(params=["local", "s3"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Place:
    """A directory for stores (a path, or an ``s3://`` prefix) and its storage options."""
    if request.param == "local":
        return str(tmp_path), None
    server: S3Server = request.getfixturevalue("s3_server")
    bucket: str = request.getfixturevalue("s3_bucket")
    return bucket.rsplit("/", 1)[0] + "/sessions", server.storage_options


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """Every S3 call made (by operation), counted where aiobotocore makes it; the GETs of
    manifests are also counted as "manifest GET" (not part of ``sum(values())``-style
    comparisons: compare with ``only``)."""
    from aiobotocore.client import AioBaseClient

    counts: collections.Counter[str] = collections.Counter()
    make = AioBaseClient._make_api_call

    async def counted(self: Any, operation: str, params: Any) -> Any:
        counts[operation] += 1
        if operation == "GetObject" and "/_hdmf/versions/" in f"/{params.get('Key', '')}":
            counts["manifest GET"] += 1
        return await make(self, operation, params)

    monkeypatch.setattr(AioBaseClient, "_make_api_call", counted)
    return counts


def only(counts: collections.Counter[str]) -> dict[str, int]:
    """The calls by operation (without the "manifest GET" count)."""
    return {k: n for k, n in counts.items() if k != "manifest GET"}


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The keyword arguments of every ``pl.scan_parquet`` call (and how many files each)."""
    calls: list[dict[str, Any]] = []
    original = pl.scan_parquet

    def counted(source: Any, **kwargs: Any) -> pl.LazyFrame:
        calls.append({"files": len(source), **kwargs})
        return original(source, **kwargs)

    monkeypatch.setattr(pl, "scan_parquet", counted)
    return calls


def session(k: int, *, extra: bool = False, elements: tuple[str, ...] = ("a", "b", "c")) -> Any:
    """electrodes (an enum column) and units (ragged, region, 2-D enum and plain columns)."""
    electrodes = DynamicTable(name="electrodes", description="sites")
    electrodes.add_column("location", "area", data=[f"area{k}{i}" for i in range(3)])
    electrodes.add_column(
        "quality", "q", data=[elements[i % 2] for i in range(3)], enum=list(elements)
    )
    units = DynamicTable(name="units", description="units")
    units.add_column("spike_times", "s", index=True, dtype="float")
    units.add_column("electrode", "site", table=electrodes)
    units.add_column("rate", "Hz", dtype="float")
    if extra:
        units.add_column("depth", "um", dtype="float")
    for i in range(4):
        row: dict[str, Any] = {"spike_times": [0.1 * i] * i, "electrode": i % 3, "rate": k + i}
        if extra:
            row["depth"] = 10.0 * i
        units.add_row(**row)
    return SimpleMultiContainer("session", [electrodes, units])


def append(location: str, options: dict[str, Any] | None, rounds: int) -> None:
    """Appends to both tables, each a new file of each."""
    for r in range(rounds):
        with ParquetIO(location, "a", storage_options=options) as io:
            tree = io.read()
            electrodes, units = tree["electrodes"], tree["units"]
            electrodes.add_row(location=f"late{r}", quality="b")
            row: dict[str, Any] = {"spike_times": [1.0], "electrode": len(electrodes) - 1}
            row["rate"] = 100.0 + r
            if "depth" in units.colnames:
                row["depth"] = -1.0
            units.add_row(**row)
            io.write(tree)


def write_stores(where: str, options: dict[str, Any] | None, n: int = 3, **kw: Any) -> list[str]:
    locations = []
    for k in range(n):
        location = f"{where}/s{k}.hdmf"
        hdmf_arrow.write(session(k, **kw), location, storage_options=options)
        append(location, options, k)  # 0, 1, 2 appends: 1, 2, 3 files per table
        locations.append(location)
    return locations


def expected(
    locations: list[str],
    table: str,
    options: dict[str, Any] | None,
    casts: dict[str, pl.DataType] | None = None,
) -> pl.DataFrame:
    """Each store's table as ``to_polars()`` gives it, with ``_row`` and ``store`` (and its
    columns cast to ``casts``)."""
    frames = []
    for location in locations:
        store = make_store(location, storage_options=options)
        root = hdmf_arrow.read(location, storage_options=options)
        df = (root if root.name == table else root[table]).to_polars()
        df = df.with_columns(pl.col(n).cast(t) for n, t in (casts or {}).items())
        frames.append(
            df.with_columns(
                pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
                pl.lit(store.url).alias("store"),
            )
        )
    return pl.concat(frames, how="diagonal_relaxed")


def concatenated(monkeypatch: pytest.MonkeyPatch, *args: Any, **kwargs: Any) -> pl.DataFrame:
    """``scan`` by one scan per store, concatenated (the path for tables that differ)."""
    with monkeypatch.context() as m:
        m.setattr(api, "_ONE_SCAN", False)
        return hdmf_arrow.scan(*args, **kwargs).collect()


# -- one scan over every store's files ------------------------------------------------------


@pytest.mark.parametrize("table", ["units", "electrodes", "session/units"])
def test_one_scan_gives_what_the_stores_scans_give(
    place: Place, table: str, scans: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    where, options = place
    locations = write_stores(where, options)
    lf = hdmf_arrow.scan(f"{where}/*.hdmf", table, storage_options=options)
    assert [c["files"] for c in scans] == [1 + 2 + 3]  # one scan, every store's files
    one = lf.collect()
    assert_frame_equal(one, expected(locations, table.split("/")[-1], options))
    glob = f"{where}/*.hdmf"
    assert_frame_equal(one, concatenated(monkeypatch, glob, table, storage_options=options))
    if table.endswith("electrodes"):
        assert one.schema["quality"] == pl.Enum(["a", "b", "c"])
    # columns=, and a filter pushed down to the files
    columns = ["electrode", "rate"] if table.endswith("units") else ["quality"]
    picked = hdmf_arrow.scan(locations, table, columns=columns, storage_options=options)
    want = concatenated(monkeypatch, locations, table, columns=columns, storage_options=options)
    assert_frame_equal(picked.collect(), want)
    assert picked.collect_schema().names() == [*columns, "_row", "store"]
    kept = picked.filter(pl.col("_row") == 1).collect()
    assert kept.height == 3
    assert_frame_equal(kept, want.filter(pl.col("_row") == 1))


def test_regions_join_across_stores_in_one_scan(place: Place) -> None:
    where, options = place
    locations = write_stores(where, options)
    units = hdmf_arrow.scan(locations, "units", columns=["electrode"], storage_options=options)
    electrodes = hdmf_arrow.scan(
        locations, "electrodes", columns=["location"], storage_options=options
    )
    joined = (
        units.join(electrodes, left_on=["store", "electrode"], right_on=["store", "_row"])
        .sort("store", "_row")
        .collect()
    )
    want = []
    for location in locations:
        df = hdmf_arrow.read(location, storage_options=options)["units"].to_dataframe()
        want += [rows["location"].iloc[0] for rows in df["electrode"]]
    assert joined["location"].to_list() == want


def test_polars_is_given_the_schema_it_would_read_from_the_files(tmp_path: Path) -> None:
    n = 4
    data = pa.table(
        {
            "i8": pa.array(range(n), pa.int8()),
            "u16": pa.array(range(n), pa.uint16()),
            "f32": pa.array([1, 2, 3, None], pa.float32()),
            "flag": pa.array([True, False, None, True]),
            "text": pa.array(["a", "b", None, "d"]),
            "raw": pa.array([b"a", b"b", b"", b"d"]),
            "when": pa.array(
                [dt.datetime(2020, 1, 1, tzinfo=dt.UTC)] * n, pa.timestamp("us", tz="UTC")
            ),
            "naive": pa.array([dt.datetime(2020, 1, 1)] * n, pa.timestamp("us")),
            "day": pa.array([dt.date(2020, 1, 1)] * n, pa.date32()),
            "ragged": pa.array([[1.0], [2.0, 3.0], [], None], pa.list_(pa.float64())),
            "ragged2": pa.array([[[1]], [[2, 3], []], [], [[4]]], pa.list_(pa.list_(pa.int32()))),
            "nd": pa.array([[1, 2], [3, 4], [5, 6], [7, 8]], pa.list_(pa.int16(), 2)),
            "enum": pa.DictionaryArray.from_arrays(
                pa.array([0, 1, 0, 1], pa.uint8()), pa.array(["x", "y", "z"])
            ),
            "record": pa.array([{"a": 1, "b": "x"}] * n),
        }
    )
    for name in ("a", "b"):
        hdmf_arrow.write(DynamicTable.from_arrow(data, "t", "d"), tmp_path / f"{name}.hdmf")
    store, manifest = api._open_manifest(tmp_path / "a.hdmf", version=None, storage_options=None)
    part = api._scan_part(store, manifest, "t")
    assert part.table.row_column == "_row"
    given = api._polars_schema(part.table.schema.append(pa.field("_row", pa.int64())))
    files = hdmf_arrow.data_files(tmp_path / "a.hdmf", "t")
    assert given == dict(pl.scan_parquet(files).collect_schema())
    one = hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "t").collect()
    assert one.schema["enum"] == pl.Enum(["x", "y", "z"])
    assert one.schema["nd"] == pl.Array(pl.Int16, 2)
    assert_frame_equal(
        one, expected([str(tmp_path / "a.hdmf"), str(tmp_path / "b.hdmf")], "t", None)
    )


def test_the_schema_is_handed_to_polars(tmp_path: Path, scans: list[dict[str, Any]]) -> None:
    write_stores(str(tmp_path), None, n=2)
    hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "units").collect()
    (call,) = scans
    assert call["schema"] is not None
    assert list(call["schema"]) == ["id", "spike_times", "electrode", "rate", "_row"]


# -- stores whose tables differ: one scan per store, concatenated ----------------------------


def test_a_table_with_a_column_more_is_concatenated(
    place: Place, scans: list[dict[str, Any]]
) -> None:
    where, options = place
    locations = write_stores(where, options, n=2)
    hdmf_arrow.write(session(7, extra=True), f"{where}/s9.hdmf", storage_options=options)
    append(f"{where}/s9.hdmf", options, 1)
    locations.append(f"{where}/s9.hdmf")
    scans.clear()
    df = hdmf_arrow.scan(f"{where}/*.hdmf", "units", storage_options=options).collect()
    assert [c["files"] for c in scans] == [1, 2, 2]  # one scan per store
    assert df["depth"].null_count() == 4 + 5
    assert_frame_equal(df, expected(locations, "units", options))


def test_enum_columns_of_other_elements_become_one_enum(
    place: Place, scans: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """polars unites no two different ``pl.Enum``s (this raised before): the stores'
    elements are united, in order of first appearance, and the stores share one scan."""
    where, options = place
    locations = write_stores(where, options, n=2)
    hdmf_arrow.write(session(7, elements=("d", "a")), f"{where}/s9.hdmf", storage_options=options)
    locations.append(f"{where}/s9.hdmf")
    scans.clear()
    df = hdmf_arrow.scan(f"{where}/*.hdmf", "electrodes", storage_options=options).collect()
    assert [c["files"] for c in scans] == [1 + 2 + 1]
    assert df.schema["quality"] == pl.Enum(["a", "b", "c", "d"])
    want = expected(locations, "electrodes", options, {"quality": pl.Enum(["a", "b", "c", "d"])})
    assert_frame_equal(df, want)
    glob = f"{where}/*.hdmf"
    assert_frame_equal(df, concatenated(monkeypatch, glob, "electrodes", storage_options=options))


def test_a_store_without_row_positions_is_scanned_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scans: list[dict[str, Any]]
) -> None:
    """A table of format 0.1 (no row column) gets positions made from its own rows: it
    cannot share a scan whose positions come from the files."""
    import hdmf_arrow.io._tree as tree_module

    write_stores(str(tmp_path), None, n=2)
    with monkeypatch.context() as m:
        m.setattr(tree_module, "row_column_for", lambda names: None)
        hdmf_arrow.write(session(5), tmp_path / "s5.hdmf")
        append(str(tmp_path / "s5.hdmf"), None, 2)
    scans.clear()
    df = hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "units").collect()
    assert len(scans) == 3
    rows = df.filter(pl.col("store") == str(tmp_path / "s5.hdmf"))["_row"].to_list()
    assert rows == list(range(6))
    locations = [str(tmp_path / f"s{k}.hdmf") for k in (0, 1, 5)]
    assert_frame_equal(df, expected(locations, "units", None))


# -- the manifest cache ------------------------------------------------------------------------


def test_a_repeat_scan_on_s3_reads_no_manifest(
    s3_server: S3Server, s3_bucket: str, requests: collections.Counter[str]
) -> None:
    options = s3_server.storage_options
    where = s3_bucket.rsplit("/", 1)[0] + "/sessions"
    write_stores(where, options)
    glob = f"{where}/*.hdmf"
    requests.clear()
    first = hdmf_arrow.scan(glob, "units", storage_options=options)
    assert only(requests) == {"ListObjectsV2": 1, "GetObject": 3}
    requests.clear()
    second = hdmf_arrow.scan(glob, "units", storage_options=options)
    assert only(requests) == {"ListObjectsV2": 1}  # the listing, always; the manifests kept
    assert_frame_equal(first.collect(), second.collect())
    # a single store is listed alone, with its objects' tags: kept too
    requests.clear()
    hdmf_arrow.scan(f"{where}/s1.hdmf", "units", storage_options=options)
    assert only(requests) == {"ListObjectsV2": 1}
    # a version given: no listing says which object it is, so it is read (not parsed) again
    requests.clear()
    hdmf_arrow.scan(glob, "units", version=1, storage_options=options)
    assert only(requests) == {"ListObjectsV2": 1, "GetObject": 3}


def test_a_new_version_is_seen(place: Place) -> None:
    where, options = place
    write_stores(where, options, n=2)
    glob = f"{where}/*.hdmf"
    assert hdmf_arrow.scan(glob, "units", storage_options=options).collect().height == 4 + 5
    append(f"{where}/s0.hdmf", options, 1)
    assert hdmf_arrow.scan(glob, "units", storage_options=options).collect().height == 5 + 5


def _remove(location: str, options: dict[str, Any] | None) -> None:
    store = make_store(location, storage_options=options)
    if hasattr(store, "fs"):
        store.fs.rm(store.root, recursive=True)
    else:
        shutil.rmtree(location)


def test_a_store_deleted_and_made_again_is_read_anew(
    place: Place, scans: list[dict[str, Any]]
) -> None:
    """Version 1 of the new store is another object with the same key (and, here, the
    same size): what was parsed from the old one must not be used."""
    where, options = place
    write_stores(where, options, n=2)
    glob = f"{where}/*.hdmf"
    before = hdmf_arrow.scan(glob, "units", storage_options=options).collect()
    old = api._open_manifests([f"{where}/s0.hdmf"], version=None, storage_options=options)
    _remove(f"{where}/s0.hdmf", options)
    hdmf_arrow.write(session(40), f"{where}/s0.hdmf", storage_options=options)  # version 1
    new = api._open_manifests([f"{where}/s0.hdmf"], version=None, storage_options=options)
    assert new[0][1].version == 1
    assert new[0][1] is not old[0][1]
    assert new[0][1].root != old[0][1].root  # other data files
    after = hdmf_arrow.scan(glob, "units", storage_options=options).collect()
    rates = after.filter(pl.col("store").str.ends_with("s0.hdmf"))["rate"].to_list()
    assert rates == [40.0, 41.0, 42.0, 43.0]
    assert before.filter(pl.col("store").str.ends_with("s0.hdmf"))["rate"].to_list() == [0, 1, 2, 3]


def test_the_cache_can_be_turned_off(
    s3_server: S3Server, s3_bucket: str, requests: collections.Counter[str]
) -> None:
    options = s3_server.storage_options
    where = s3_bucket.rsplit("/", 1)[0] + "/sessions"
    write_stores(where, options, n=2)
    glob = f"{where}/*.hdmf"
    hdmf_arrow.scan(glob, "units", storage_options=options)
    assert len(manifest_cache) > 0
    manifest_cache.configure(max_entries=0)
    assert len(manifest_cache) == 0
    requests.clear()
    hdmf_arrow.scan(glob, "units", storage_options=options)
    hdmf_arrow.scan(glob, "units", storage_options=options)
    assert only(requests) == {"ListObjectsV2": 2, "GetObject": 4}
    assert len(manifest_cache) == 0


def test_local_manifests_are_read_but_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hdmf_arrow.io._layout as layout

    write_stores(str(tmp_path), None, n=3)
    parsed: list[int] = []
    original = layout.parse_manifest

    def counted(raw: bytes, store: str, version: int) -> Any:
        parsed.append(version)
        return original(raw, store, version)

    monkeypatch.setattr(layout, "parse_manifest", counted)
    glob = str(tmp_path / "*.hdmf")
    first = hdmf_arrow.scan(glob, "units").collect()
    assert len(parsed) == 3
    assert_frame_equal(hdmf_arrow.scan(glob, "units").collect(), first)
    assert len(parsed) == 3  # the same bytes: not parsed again


def test_duckdb_register_shares_the_cache(
    s3_server: S3Server, s3_bucket: str, requests: collections.Counter[str]
) -> None:
    duckdb = pytest.importorskip("duckdb")
    from hdmf_arrow.duckdb import register

    options = s3_server.storage_options
    where = s3_bucket.rsplit("/", 1)[0] + "/sessions"
    write_stores(where, options, n=2)
    hdmf_arrow.scan(f"{where}/*.hdmf", "units", storage_options=options)
    con = duckdb.connect()
    requests.clear()
    assert register(con, f"{where}/*.hdmf", storage_options=options) == [
        "electrodes",
        "units",
    ]
    assert requests["ListObjectsV2"] == 1
    assert requests["manifest GET"] == 0  # parsed by scan already: kept
    rows = con.sql("SELECT store, _row, rate FROM units ORDER BY store, _row").fetchall()
    assert [r[2] for r in rows] == [0.0, 1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 4.0, 100.0]
    manifest_cache.clear()
    requests.clear()
    register(con, f"{where}/*.hdmf", storage_options=options)
    assert requests["manifest GET"] == 2


def test_object_cache_bounds() -> None:
    cache = ObjectCache(max_entries=3, max_bytes=100)
    for k in range(5):
        cache.put((k,), k, 10)
    assert len(cache) == 3
    assert [cache.get((k,)) for k in range(5)] == [None, None, 2, 3, 4]
    cache.put(("big",), "x", 101)  # larger than the whole cache: not kept
    assert cache.get(("big",)) is None
    cache.put(("a",), "a", 60)
    cache.put(("b",), "b", 50)  # 110 bytes: the oldest go until it fits
    assert cache.get(("a",)) is None
    assert cache.get(("b",)) == "b"
    assert cache.nbytes <= 100
    cache.configure(max_bytes=0)
    assert len(cache) == 0
    assert not cache.enabled
    with pytest.raises(InvalidArgumentError, match="max_entries must be 0"):
        cache.configure(max_entries=-1)


def test_pandas_view_of_the_one_scan_matches_to_dataframe(tmp_path: Path) -> None:
    """The plain columns of the one scan, as pandas, are ``to_dataframe``'s."""
    for k in range(3):
        frame = pd.DataFrame({"x": np.arange(4) + k, "y": [f"v{k}{i}" for i in range(4)]})
        hdmf_arrow.write(frame, tmp_path / f"s{k}.hdmf", name="t")
        hdmf_arrow.write(
            frame.assign(x=frame.x + 10), tmp_path / f"s{k}.hdmf", name="t", mode="append"
        )
    one = hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "t").collect().to_pandas()
    for k in range(3):
        mine = one[one["store"] == str(tmp_path / f"s{k}.hdmf")].drop(columns=["store", "_row"])
        want = hdmf_arrow.read(tmp_path / f"s{k}.hdmf").to_dataframe(index=True).reset_index()
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), want, check_dtype=False)
