"""Opening many stores at once (``api._open_manifests``, ``storage.list_each`` / ``read_each``
/ ``glob_stores``): the same versions and manifests as opening each store alone, in fewer
requests on S3.

Each case is run on local disk and on the moto S3 server: a glob and a list of stores, stores
whose newest versions differ, a store holding a temporary manifest file (a commit in flight)
and one whose newest manifest is torn (does not parse), ``version=``. The requests are counted
at the S3 client (every call aiobotocore makes), not timed.
"""

from __future__ import annotations

import collections
import uuid
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

import hdmf_arrow
from hdmf_arrow.api import _expand_locations, _open_manifests
from hdmf_arrow.errors import CorruptStoreError, NotAStoreError
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.io._layout import version_key
from hdmf_arrow.storage import _many, glob_stores, list_each, make_store
from hdmf_arrow.storage._cache import manifest_cache

if TYPE_CHECKING:
    from pathlib import Path

    from conftest import S3Server

STORES = 6


@pytest.fixture(autouse=True)
def _no_cached_manifests() -> None:
    """Each test starts with the process-wide manifest cache empty (it counts requests)."""
    manifest_cache.clear()


@pytest.fixture(params=["local", "s3"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, dict[str, Any] | None]:
    """A directory for stores (a path, or an ``s3://`` prefix) and its storage options."""
    if request.param == "local":
        return str(tmp_path), None
    server: S3Server = request.getfixturevalue("s3_server")
    bucket: str = request.getfixturevalue("s3_bucket")
    return bucket.rsplit("/", 1)[0] + "/sessions", server.storage_options


def _write(where: str, i: int, versions: int, options: dict[str, Any] | None) -> str:
    location = f"{where}/s{i:02d}.hdmf"
    for k in range(versions):
        frame = pd.DataFrame({"x": [i * 10 + k]})
        mode = "error" if k == 0 else "append"
        hdmf_arrow.write(frame, location, name="t", mode=mode, storage_options=options)
    return location


def _stores(where: str, options: dict[str, Any] | None) -> list[str]:
    """Stores s00..s05 with 1, 2, 3, 1, 2, 3 versions."""
    return [_write(where, i, i % 3 + 1, options) for i in range(STORES)]


def _alone(locations: list[str], options: dict[str, Any] | None, version: int | None = None):
    """(version, manifest root) of each store opened alone, by ParquetIO."""
    out = []
    for location in locations:
        with ParquetIO(location, "r", version=version, storage_options=options) as io:
            out.append((io.version, io.manifest))
    return out


def _together(locations: Any, options: dict[str, Any] | None, version: int | None = None):
    found, listings = _expand_locations(locations, options)
    opened = _open_manifests(found, version=version, storage_options=options, listings=listings)
    return [(m.version, m.root) for _, m in opened], [s.url for s, _ in opened]


def test_a_glob_and_a_list_open_the_newest_version_of_each(
    place: tuple[str, dict[str, Any] | None],
) -> None:
    where, options = place
    locations = _stores(where, options)
    alone = _alone(locations, options)
    assert [v for v, _ in alone] == [1, 2, 3, 1, 2, 3]
    by_glob, urls = _together(f"{where}/*.hdmf", options)
    assert by_glob == alone
    assert urls == locations
    by_list, urls = _together(list(reversed(locations)), options)  # in the order given
    assert by_list == alone[::-1]
    assert urls == locations[::-1]


def test_version_given_opens_that_version_of_each(
    place: tuple[str, dict[str, Any] | None],
) -> None:
    where, options = place
    locations = _stores(where, options)[1:3]  # versions 2 and 3
    assert _together(locations, options, version=2)[0] == _alone(locations, options, version=2)
    with pytest.raises(FileNotFoundError, match="has no version 3"):
        _together(locations, options, version=3)  # s01 has two versions


def _put(location: str, key: str, data: bytes, options: dict[str, Any] | None) -> None:
    """Put an object in a store by hand, as a crash or a writer in flight leaves it."""
    store = make_store(location, storage_options=options)
    if hasattr(store, "fs"):
        store.fs.pipe_file(store.arrow_path(key), data)
    else:
        path = store.root / key  # type: ignore[attr-defined]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_a_commit_in_flight_is_not_a_version(place: tuple[str, dict[str, Any] | None]) -> None:
    where, options = place
    locations = _stores(where, options)
    # the temporary file a local commit writes before it links it into place, and a key
    # nested below the versions: neither names a version
    tmp = f"_hdmf/versions/.{version_key(9).rsplit('/', 1)[1]}.1234.tmp"
    _put(locations[0], tmp, b"{", options)
    _put(locations[1], f"{version_key(9)}/x", b"{", options)
    alone = _alone(locations, options)
    assert [v for v, _ in alone][:2] == [1, 2]
    assert _together(f"{where}/*.hdmf", options)[0] == alone
    assert _together(locations, options)[0] == alone


@pytest.mark.parametrize("torn", [b"", b'{"format_version": "0.', b"[]"])
def test_a_torn_newest_manifest_fails_as_it_does_alone(
    place: tuple[str, dict[str, Any] | None], torn: bytes
) -> None:
    where, options = place
    locations = _stores(where, options)[:3]
    _put(locations[2], version_key(4), torn, options)
    with pytest.raises(CorruptStoreError) as alone:
        _alone(locations, options)
    for how in (f"{where}/*.hdmf", locations):
        with pytest.raises(CorruptStoreError) as together:
            _together(how, options)
        assert str(together.value) == str(alone.value)
    # an older version is still read, as alone
    assert _together(locations, options, version=1)[0] == _alone(locations, options, version=1)


def test_a_glob_match_that_is_not_a_store_fails_as_it_does_alone(
    place: tuple[str, dict[str, Any] | None],
) -> None:
    where, options = place
    _stores(where, options)
    _put(f"{where}/s98.hdmf", "notes.txt", b"x", options)
    with pytest.raises(NotAStoreError) as alone:
        _alone([f"{where}/s98.hdmf"], options)
    with pytest.raises(NotAStoreError) as together:
        _together(f"{where}/*.hdmf", options)
    assert str(together.value) == str(alone.value)


def test_scan_over_stores_with_different_newest_versions(
    place: tuple[str, dict[str, Any] | None],
) -> None:
    where, options = place
    _stores(where, options)
    df = hdmf_arrow.scan(f"{where}/*.hdmf", "t", storage_options=options).collect()
    assert sorted(df["x"].to_list()) == sorted(
        i * 10 + k for i in range(STORES) for k in range(i % 3 + 1)
    )


# -- requests, counted at the S3 client --------------------------------------------------------


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """Every S3 call made (by operation), counted where aiobotocore makes it."""
    from aiobotocore.client import AioBaseClient

    counts: collections.Counter[str] = collections.Counter()
    make = AioBaseClient._make_api_call

    async def counted(self: Any, operation: str, params: Any) -> Any:
        counts[operation] += 1
        return await make(self, operation, params)

    monkeypatch.setattr(AioBaseClient, "_make_api_call", counted)
    return counts


def test_opening_stores_on_s3_takes_one_listing_and_a_get_each(
    s3_server: S3Server, s3_bucket: str, requests: collections.Counter[str]
) -> None:
    options = s3_server.storage_options
    where = s3_bucket.rsplit("/", 1)[0] + "/sessions"
    locations = _stores(where, options)
    requests.clear()
    _together(f"{where}/*.hdmf", options)
    assert requests == {"ListObjectsV2": 1, "GetObject": STORES}
    requests.clear()
    _together(f"{where}/*.hdmf", options)  # again: the manifests the listing names are kept
    assert requests == {"ListObjectsV2": 1}
    manifest_cache.clear()
    requests.clear()
    _together(locations[1:], options)  # a list: one listing of their common prefix
    assert requests == {"ListObjectsV2": 1, "GetObject": STORES - 1}
    manifest_cache.clear()
    requests.clear()
    _together(locations, options, version=1)  # no listing at all
    assert requests == {"GetObject": STORES}
    requests.clear()
    _together(locations, options, version=1)  # no listing to say which object: read again
    assert requests == {"GetObject": STORES}
    requests.clear()
    _alone(locations[:1], options)  # one store alone, as before: a listing and a GET
    assert requests == {"ListObjectsV2": 1, "GetObject": 1}
    requests.clear()
    _alone(locations[:1], options, version=1)  # a version given: the GET only
    assert requests == {"GetObject": 1}


def test_a_listing_cut_short_lists_the_stores_it_missed(
    s3_server: S3Server,
    s3_bucket: str,
    requests: collections.Counter[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = s3_server.storage_options
    where = s3_bucket.rsplit("/", 1)[0] + "/sessions"
    locations = _stores(where, options)
    alone = _alone(locations, options)
    stores = [make_store(loc, storage_options=options) for loc in locations]
    keys = len(s3_server.admin.find(where))
    monkeypatch.setattr(_many, "PAGE_KEYS", keys // 4)  # two pages: about half the stores
    monkeypatch.setattr(_many, "FLAT_PAGES", 2)
    requests.clear()
    listed = list_each(stores, "_hdmf/versions")
    # two pages of the shared listing, then each store it did not reach: fewer than one each
    assert 2 < requests["ListObjectsV2"] < 2 + STORES
    assert listed == [s.list("_hdmf/versions") for s in stores]
    assert _together(f"{where}/*.hdmf", options)[0] == alone
    assert _together(locations, options)[0] == alone


def test_stores_in_two_buckets_are_listed_apart(
    s3_server: S3Server, requests: collections.Counter[str]
) -> None:
    options = s3_server.storage_options
    buckets = []
    for _ in range(2):
        name = f"test-{uuid.uuid4().hex[:24]}"
        s3_server.admin.call_s3("create_bucket", Bucket=name)
        buckets.append(f"s3://{name}")
    locations = [_write(b, i, i + 1, options) for i, b in enumerate(buckets * 2)]
    alone = _alone(locations, options)
    requests.clear()
    assert _together(locations, options)[0] == alone
    assert requests == {"ListObjectsV2": 2, "GetObject": 4}  # a listing per bucket


@pytest.mark.parametrize(
    "pattern",
    ["*.hdmf", "s0?.hdmf", "s[01]*.hdmf", "s*", "*/*.hdmf", "*/s1*", "nothing*.hdmf"],
)
def test_a_glob_matches_what_fsspecs_glob_matches(
    s3_server: S3Server, s3_bucket: str, pattern: str, requests: collections.Counter[str]
) -> None:
    options = s3_server.storage_options
    top = s3_bucket.rsplit("/", 1)[0]
    for name in ("s00.hdmf/_hdmf/v.json", "s01.hdmf/a", "s1.hdmf", "x/s10.hdmf/b", "x/y.hdmf"):
        s3_server.admin.pipe_file(f"{top.removeprefix('s3://')}/{name}", b"x")
    requests.clear()
    found, listings = glob_stores(f"{top}/{pattern}", options)
    assert requests == {"ListObjectsV2": 1}
    assert listings[0].complete
    expected = sorted(f"s3://{p}" for p in s3_server.admin.glob(f"{top}/{pattern}"))
    assert found == expected


def test_duckdb_register_opens_stores_on_s3_as_scan_does(
    s3_server: S3Server, s3_bucket: str, requests: collections.Counter[str]
) -> None:
    duckdb = pytest.importorskip("duckdb")
    from hdmf_arrow.duckdb import register

    options = s3_server.storage_options
    where = s3_bucket.rsplit("/", 1)[0] + "/sessions"
    _stores(where, options)
    con = duckdb.connect()
    requests.clear()
    assert register(con, f"{where}/*.hdmf", storage_options=options) == ["t"]
    # one listing for the glob and every store's versions; then GETs only (manifests, and
    # the data files DuckDB reads through fsspec when httpfs is not installed)
    assert requests["ListObjectsV2"] == 1
    assert set(requests) <= {"ListObjectsV2", "GetObject"}
    rows = con.sql("SELECT store, _row, x FROM t ORDER BY store, _row").fetchall()
    assert len(rows) == sum(i % 3 + 1 for i in range(STORES))
