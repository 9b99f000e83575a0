"""Stores: every backend passes StoreTests; make_store normalises locations; s3 specifics.

The s3 tests talk to moto's S3 server (conftest ``s3_server``) through s3fs, not to a mock of
our own code.
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fsspec.implementations.dirfs import DirFileSystem
from fsspec.implementations.local import LocalFileSystem

from hdmf_arrow.storage import FsspecStore, LocalStore, Store, make_store
from hdmf_arrow.testing.store_tests import StoreTests, race

if TYPE_CHECKING:
    from conftest import S3Server


class TestStores(StoreTests):
    """Every StoreTests test on local, memory:// and s3:// (the conftest ``store`` fixture).

    A backend bug found later goes in ``known_bugs`` (test name -> backend -> "BUG: ...").
    """


# -- make_store: one place that normalises locations ---------------------------------------


@pytest.mark.parametrize("kind", ["str", "path", "file-url", "local-url"])
def test_make_store_local_locations(tmp_path: Path, kind: str) -> None:
    root = tmp_path / "store"
    location: Any = {
        "str": str(root),
        "path": root,
        "file-url": f"file://{root}",
        "local-url": f"local://{root}",
    }[kind]
    store = make_store(location)
    assert isinstance(store, LocalStore)
    assert store.root == root
    assert store.url == str(root)
    assert not store.read_only
    store.create("a/b.json", b"1")
    assert (root / "a" / "b.json").read_bytes() == b"1"
    assert make_store(location, read_only=True).read_only


def test_make_store_relative_path_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = make_store("rel/store")
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "rel" / "store"


def test_make_store_memory_url(memory_url: str) -> None:
    store = make_store(memory_url)
    assert isinstance(store, FsspecStore)
    assert store.url == memory_url
    assert store.fs is fsspec.filesystem("memory")
    assert store.polars_options() is None  # polars cannot reach this process's memory
    store.create("a/b.json", b"1")
    assert store.fs.cat_file(store.arrow_path("a/b.json")) == b"1"


def test_make_store_fsspec_filesystem() -> None:
    fs = fsspec.filesystem("memory")
    store = make_store(fs)
    assert isinstance(store, FsspecStore)
    assert store.fs is fs
    top = uuid.uuid4().hex
    try:
        store.create(f"{top}/k", b"1")
        assert fs.cat_file(f"/{top}/k") == b"1"
        assert store.list(top) == [f"{top}/k"]
    finally:
        fs.rm(f"/{top}", recursive=True)


def test_make_store_passes_a_store_through(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    assert make_store(store) is store


@pytest.mark.parametrize("location", [42, None, b"/tmp/x"])
def test_make_store_refuses_other_types(location: Any) -> None:
    with pytest.raises(TypeError, match=rf"cannot use {type(location).__name__} .* as a location"):
        make_store(location)


def test_fsspec_store_on_local_disk_creates_nested_keys(tmp_path: Path) -> None:
    store = make_store(DirFileSystem(path=str(tmp_path), fs=LocalFileSystem()))
    assert isinstance(store, FsspecStore)
    store.create("_hdmf/versions/1.json", b"1")
    assert store.read("_hdmf/versions/1.json") == b"1"
    assert (tmp_path / "_hdmf" / "versions" / "1.json").read_bytes() == b"1"


# -- polars --------------------------------------------------------------------------------


def test_polars_reads_local_store(tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    store = make_store(tmp_path / "store")
    store.ensure_dir("d")
    pq.write_table(pa.table({"a": [1, 2]}), store.arrow_path("d/t.parquet"))
    options = store.polars_options()
    assert options is not None
    url, storage_options = options
    assert url == str(tmp_path / "store")
    assert pl.scan_parquet(f"{url}/d/t.parquet", storage_options=storage_options).collect()[
        "a"
    ].to_list() == [1, 2]


def test_polars_reads_s3_store(s3_server: S3Server, s3_bucket: str) -> None:
    pl = pytest.importorskip("polars")
    store = make_store(s3_bucket, storage_options=s3_server.storage_options)
    table = pa.table({"a": [1, 2, 3], "b": ["x", None, "z"]})
    store.ensure_dir("data")
    pq.write_table(table, store.arrow_path("data/t.parquet"), filesystem=store.arrow_fs)

    options = store.polars_options()
    assert options is not None
    url, storage_options = options
    assert url == s3_bucket
    assert storage_options is not None
    assert storage_options["aws_endpoint_url"] == s3_server.endpoint_url
    assert storage_options["aws_access_key_id"] == "testing"
    assert storage_options["aws_allow_http"] == "true"
    frame = pl.scan_parquet(f"{url}/data/t.parquet", storage_options=storage_options).collect()
    assert frame.to_dict(as_series=False) == table.to_pydict()


# -- create is conditional on the server, and atomic ---------------------------------------


def test_s3_create_is_conditional_on_the_server(s3_server: S3Server, s3_bucket: str) -> None:
    s3fs = pytest.importorskip("s3fs")
    store = make_store(s3_bucket, storage_options=s3_server.storage_options)
    assert isinstance(store, FsspecStore)
    assert not store.exists("_hdmf/versions/1.json")  # the store's client saw it absent
    other_client = s3fs.S3FileSystem(**s3_server.storage_options)
    assert other_client is not store.fs
    other_client.pipe_file(f"{s3_bucket}/_hdmf/versions/1.json", b"other writer")
    with pytest.raises(FileExistsError):
        store.create("_hdmf/versions/1.json", b"this writer")
    assert store.read("_hdmf/versions/1.json") == b"other writer"


@pytest.mark.parametrize("store", ["memory", "s3"], indirect=True)
def test_create_survives_writers_that_both_saw_the_key_absent(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forces the interleaving the race test can only hope for: every existence check the
    backend makes during create waits until the other writer has made the same check."""
    assert isinstance(store, FsspecStore)
    checked = threading.Barrier(2, timeout=0.5)
    real_exists = store.fs.exists

    def exists(path: str, **kwargs: Any) -> bool:
        found = bool(real_exists(path, **kwargs))
        with contextlib.suppress(threading.BrokenBarrierError):  # the other made no check
            checked.wait()
        return found

    monkeypatch.setattr(store.fs, "exists", exists)
    outcomes = race(lambda i: store.create("k.json", f"writer {i}".encode()))
    assert sorted(type(o).__name__ for o in outcomes) == ["FileExistsError", "NoneType"]


@pytest.mark.parametrize("store", ["memory", "s3"], indirect=True)
def test_create_is_invisible_until_complete(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that looks while create writes through ``fs.open`` finds nothing (not b'').

    Deterministic where StoreTests' concurrent reader is not; a create that does not write
    through ``fs.open(..., "xb")`` (pipe_file) has nothing to intercept here.
    """
    assert isinstance(store, FsspecStore)
    seen: list[bytes | None] = []
    real_open = store.fs.open

    def spying_open(path: str, mode: str = "rb", **kwargs: Any) -> Any:
        f = real_open(path, mode, **kwargs)
        if "x" in mode:
            real_write = f.write

            def write(data: bytes) -> int:
                try:
                    seen.append(store.read("k.json"))
                except FileNotFoundError:
                    seen.append(None)
                return int(real_write(data))

            f.write = write
        return f

    monkeypatch.setattr(store.fs, "open", spying_open)
    store.create("k.json", b"complete")
    assert seen == [None] * len(seen), f"a reader saw {seen!r} during create"
    assert store.read("k.json") == b"complete"


def test_local_store_makes_new_directories_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hdmf_arrow.storage import _local

    synced: list[Path] = []
    monkeypatch.setattr(_local, "_fsync_dir", synced.append)
    store = LocalStore(tmp_path / "store")
    store.ensure_dir("data/abc")
    assert synced == [tmp_path, tmp_path / "store", tmp_path / "store" / "data"]
    synced.clear()
    store.create("data/abc/x.bin", b"x")  # the directory exists: only the file's entry
    assert synced == [tmp_path / "store" / "data" / "abc"]
    assert (tmp_path / "store" / "data" / "abc" / "x.bin").read_bytes() == b"x"
