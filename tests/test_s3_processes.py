"""S3 with several processes and several filesystem objects, with s3fs's default caches on.

The conftest ``s3_server`` options turn s3fs's listings cache and fsspec's instance cache off so
that tests cannot see each other's state; users do not pass those options. Here the writers use
plain options (key, secret, endpoint), as a user would:

- a store opened in a process sees the versions another process (or another filesystem object
  in the same process) committed later;
- six processes appending at once through moto's S3 server: every acknowledged commit is in the
  newest version exactly once, every version reads back, the losers of each race only ever get
  StoreConflictError, and no writer gives up;
- a conditional PUT that succeeded on the server but whose response was lost is retried by
  s3fs; the retry's 412 must not turn our own commit into a reported conflict.

Writers run as subprocesses of tests/_s3_writer.py (the six racing ones forked by one of them
after the imports, which saves seconds of start-up each); they reach the moto server (in this
pytest process) by its endpoint URL.
"""

from __future__ import annotations

import contextlib
import json
import queue
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _child import Child

from hdmf_arrow.errors import StoreConflictError
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.io._layout import read_manifest, version_key, versions
from hdmf_arrow.storage import Store, make_store

if TYPE_CHECKING:
    from conftest import S3Server

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX subprocess pipes")

WRITER = Path(__file__).with_name("_s3_writer.py")
WORKERS = 6
COMMITS = 4  # per worker
ATTEMPTS = 80  # per commit; a generous bound (the test reports how many were needed)
TIMEOUT = 90.0  # seconds for the whole race before the test fails (not a sleep)


def plain_options(server: S3Server) -> dict[str, Any]:
    """s3fs options as a user passes them: credentials and endpoint, every cache left on."""
    return {
        "key": "testing",
        "secret": "testing",
        "client_kwargs": {"endpoint_url": server.endpoint_url, "region_name": "us-east-1"},
    }


@pytest.fixture
def instance_cache() -> Iterator[None]:
    """fsspec's instance cache is process-wide: empty it before and after the test."""
    s3fs = pytest.importorskip("s3fs")
    s3fs.S3FileSystem.clear_instance_cache()
    yield
    s3fs.S3FileSystem.clear_instance_cache()


@pytest.fixture
def atomic_s3_puts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make moto's conditional PUT atomic, as S3's is.

    moto's threaded server checks ``If-None-Match: *`` and then stores the object, with no
    lock between the two: two PUTs of one key arriving together could both pass the check
    and both get 200. S3 itself never does that, and the tests are about our code, not
    moto's, so moto's PutObject handler runs one request at a time here.
    """
    responses = pytest.importorskip("moto.s3.responses")
    lock = threading.Lock()
    original = responses.S3Response.put_object

    def put_object(self: Any) -> Any:
        with lock:
            return original(self)

    monkeypatch.setattr(responses.S3Response, "put_object", put_object)


def new_table() -> Any:
    from hdmf_arrow.common import DynamicTable

    table = DynamicTable(name="log", description="s3 process test log")
    table.add_column("marker", "who appended this row", dtype="text")
    return table


def write_base(url: str, server: S3Server) -> None:
    """Version 1: the table with one row, ``base``."""
    table = new_table()
    table.add_row(marker="base")
    with ParquetIO(url, "w", storage_options=server.storage_options) as io:
        assert io.write(table) == 1


def markers(store: str | Store, server: S3Server, version: int | None = None) -> list[str]:
    """The markers of ``version`` (the newest if None), read past every cache."""
    with ParquetIO(store, "r", version=version, storage_options=server.storage_options) as io:
        rows = io.read().to_arrow().to_pylist()
    return [r["marker"] for r in rows]


class Writer(Child):
    """A tests/_s3_writer.py subprocess; its stdout lines (JSON) arrive through a queue
    (tests/_child.py)."""

    what = "writer"

    def __init__(self, *args: str) -> None:
        super().__init__(WRITER, *args)

    @property
    def stderr(self) -> list[str]:
        return self._err

    def next_event(self, deadline: float) -> dict[str, Any]:
        try:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            pytest.fail(f"writer {self.proc.args} did not answer in time")
        if line is None:
            self.proc.wait(10)
            pytest.fail(f"writer exited ({self.proc.returncode}): {''.join(self.stderr)[-2000:]}")
        try:
            event: dict[str, Any] = json.loads(line)
        except ValueError:
            pytest.fail(f"writer wrote {line!r}, not a JSON line: {''.join(self.stderr)[-2000:]}")
        return event

    def close(self) -> None:
        """Kill the process if it still runs, and close its pipes."""
        self.kill()
        self.finish(10)


def start_writer(url: str, server: S3Server, *, commits: int, workers: int = 0) -> Writer:
    """One writer process (worker 0), or with ``workers`` a process that forks that many
    writer processes once it has imported everything (``_s3_writer.py fleet``)."""
    which = (
        ["fleet", url, "--workers", str(workers)] if workers else ["append", url, "--worker", "0"]
    )
    return Writer(
        *which, "--commits", str(commits), "--attempts", str(ATTEMPTS),
        "--options", json.dumps(plain_options(server)),
    )  # fmt: skip


# -- 1. one process sees what another committed later -----------------------------------------


@pytest.mark.parametrize("other", ["filesystem", "process"])
def test_an_open_store_sees_versions_committed_later(
    s3_server: S3Server, s3_bucket: str, instance_cache: None, atomic_s3_puts: None, other: str
) -> None:
    url, options = s3_bucket, plain_options(s3_server)
    write_base(url, s3_server)
    first = ParquetIO(url, "a", storage_options=options)
    assert first.version == 1
    table = first.read()
    assert table.to_arrow().column("marker").to_pylist() == ["base"]

    if other == "filesystem":  # another s3fs object in this process (not the cached instance)
        second = ParquetIO(url, "a", storage_options={**options, "skip_instance_cache": True})
        assert second.store.fs is not first.store.fs
        t = second.read()
        t.add_row(marker="w0-c0")
        assert second.write(t) == 2
    else:  # another process
        writer = start_writer(url, s3_server, commits=1)
        try:
            deadline = time.monotonic() + 60
            assert writer.next_event(deadline) == {"event": "ready"}
            writer.send("go")
            assert writer.next_event(deadline) == {
                "event": "ok", "marker": "w0-c0", "version": 2, "attempt": 1
            }  # fmt: skip
            assert writer.next_event(deadline) == {"event": "done"}
        finally:
            writer.close()

    # a new ParquetIO in this process gets the same (cached) s3fs instance, and sees version 2
    again = ParquetIO(url, "r", storage_options=options)
    assert again.store.fs is first.store.fs
    assert again.version == 2
    assert again.read().to_arrow().column("marker").to_pylist() == ["base", "w0-c0"]
    pinned = ParquetIO(url, "r", version=2, storage_options=options)
    assert len(pinned.read()) == 2
    assert [v.version for v in pinned.versions()] == [1, 2]
    assert first.store.exists(version_key(2))

    # the first handle still reads its pinned version, and its own write is a conflict
    assert table.to_arrow().column("marker").to_pylist() == ["base"]
    table.add_row(marker="late")
    with pytest.raises(StoreConflictError, match="committed version 2"):
        first.write(table)
    # ... after which it appends on top of version 2 once reopened
    third = ParquetIO(url, "a", storage_options=options)
    t = third.read()
    t.add_row(marker="late")
    assert third.write(t) == 3
    assert markers(url, s3_server) == ["base", "w0-c0", "late"]


def test_a_store_sees_keys_another_filesystem_created(
    s3_server: S3Server, s3_bucket: str, instance_cache: None
) -> None:
    """The store level under the test above: s3fs's cached listings (of ``_hdmf/versions/``
    and of ``data/``, listed by vacuum) must not hide keys created since, whichever call comes
    first: read, exists, list, or open_input (with and without the size)."""
    options = plain_options(s3_server)
    v1, v2 = version_key(1), version_key(2)
    other = make_store(s3_bucket, storage_options={**options, "skip_instance_cache": True})
    other.create(v1, b"one")
    other.create("data/t/1.parquet", b"one")
    first = make_store(s3_bucket, storage_options=options)
    assert first.list("_hdmf/versions") == [v1]  # both listings are cached now
    assert first.list("data") == ["data/t/1.parquet"]
    assert first.read(v1) == b"one"

    other.create(v2, b"two")
    other.create("data/t/2.parquet", b"two")
    again = make_store(s3_bucket, storage_options=options)
    assert again.fs is first.fs  # fsspec's instance cache: the listings above are shared
    assert again.read(v2) == b"two"  # read before any new listing
    assert again.open_input("data/t/2.parquet", 3).read() == b"two"
    assert again.open_input("data/t/2.parquet").read() == b"two"
    other.create(version_key(3), b"three")
    assert again.exists(version_key(3))
    other.create(version_key(4), b"four")
    assert again.list("_hdmf/versions") == [version_key(v) for v in (1, 2, 3, 4)]
    assert again.read(version_key(4), max_bytes=10) == b"four"
    other.create("data/t/3.parquet", b"three")
    assert again.list("data") == [f"data/t/{n}.parquet" for n in (1, 2, 3)]


# -- 2. six processes appending at once ---------------------------------------------------------


def test_processes_appending_concurrently_keep_every_acknowledged_commit(
    s3_server: S3Server, s3_bucket: str, atomic_s3_puts: None, tmp_path: Path
) -> None:
    url = s3_bucket
    write_base(url, s3_server)
    started = time.monotonic()
    fleet = start_writer(url, s3_server, commits=COMMITS, workers=WORKERS)
    events: list[dict[str, Any]] = []
    try:
        assert fleet.next_event(started + 60) == {"event": "ready"}
        ready = time.monotonic()
        fleet.send("go")  # the workers start at once: every commit races
        deadline = time.monotonic() + TIMEOUT
        while (event := fleet.next_event(deadline))["event"] != "exited":
            events.append(event)
        assert event["codes"] == [0] * WORKERS, "".join(fleet.stderr)[-3000:]
        assert fleet.proc.wait(30) == 0, "".join(fleet.stderr)[-3000:]
    finally:
        fleet.close()
    done = sorted(e["worker"] for e in events if e["event"] == "done")
    assert done == list(range(WORKERS))

    raced = time.monotonic()
    errors = [e for e in events if e["event"] in ("error", "gave_up")]
    oks = [e for e in events if e["event"] == "ok"]
    conflicts = [e for e in events if e["event"] == "conflict"]
    attempts = [e["attempt"] for e in oks]
    summary = (
        f"{len(oks)} commits acknowledged, {len(conflicts)} conflicts, at most "
        f"{max(attempts, default=0)} attempts for one commit, {len(errors)} errors; "
        f"start {ready - started:.1f} s, race {raced - ready:.1f} s"
    )
    print(summary)  # shown with pytest -s / on failure
    # losers only ever saw StoreConflictError: no FileNotFoundError, no CorruptStoreError
    assert not errors, f"{summary}: {errors[:5]}"
    assert {e["type"] for e in conflicts} <= {"StoreConflictError"}
    assert len(oks) == WORKERS * COMMITS, summary

    # every acknowledged commit is its own version, and the newest version holds them all, once
    by_version = {e["version"]: e["marker"] for e in oks}
    assert len(by_version) == len(oks), "two writers were told they committed the same version"
    newest = 1 + len(oks)
    assert sorted(by_version) == list(range(2, newest + 1))
    store = make_store(url, storage_options=s3_server.storage_options, read_only=True)
    # every manifest, read over S3: each version was built on the one before
    assert versions(store) == list(range(1, newest + 1))
    assert [read_manifest(store, v).parent for v in range(1, newest + 1)] == [
        None,
        *range(1, newest),
    ]
    expected = ["base"] + [by_version[v] for v in range(2, newest + 1)]
    assert markers(store, s3_server) == expected
    # every version reads back; each one adds exactly one row to the one before. Version v
    # reads the first v data files, so this reads the same files again and again: from a
    # byte-for-byte copy of the store on local disk (seconds faster than over moto)
    copy = tmp_path / "copy"
    s3_server.admin.get(url.removeprefix("s3://") + "/", str(copy), recursive=True)
    for v in range(1, newest + 1):
        with ParquetIO(copy, "r", version=v) as io:
            assert len(io.read()) == v
            assert io.read().to_arrow().column("marker").to_pylist() == expected[:v]


# -- 3. answers to a conditional PUT: a lost 200, a 412 without its condition, a 409 ------------

KEY = "_hdmf/versions/00000000000000000001.json"


@contextlib.contextmanager
def patched_put(store: Store, answer: Any) -> Iterator[list[str]]:
    """Send every PutObject of ``store``'s s3fs client through ``answer(n, real_put, kwargs)``
    (n counts the calls from 1); yields the list of keys put."""
    fs: Any = store.fs
    fs.call_s3("list_buckets")  # connect the client
    client = fs._s3
    real_put = client.put_object
    puts: list[str] = []

    async def put_object(**kwargs: Any) -> Any:  # the name s3fs looks the operation up by
        puts.append(kwargs["Key"])
        return await answer(len(puts), real_put, kwargs)

    client.put_object = put_object
    try:
        yield puts
    finally:
        del client.put_object


def test_a_retried_create_after_a_lost_response_is_not_a_conflict(
    s3_server: S3Server, s3_bucket: str
) -> None:
    """The PUT reaches the server and succeeds, but its response is lost (a read timeout);
    s3fs retries the PUT, and the retry gets 412. The manifest there is ours: no conflict."""
    from botocore.exceptions import ReadTimeoutError

    async def lose_the_first_answer(n: int, real_put: Any, kwargs: dict[str, Any]) -> Any:
        answer = await real_put(**kwargs)
        if n == 1:
            raise ReadTimeoutError(endpoint_url=s3_server.endpoint_url)
        return answer

    store = make_store(s3_bucket, storage_options=s3_server.storage_options)
    with patched_put(store, lose_the_first_answer) as puts:
        store.create(KEY, b"ours")
        assert len(puts) == 2, "s3fs was expected to retry the PUT"
        with pytest.raises(FileExistsError, match="already exists"):  # a real conflict
            store.create(KEY, b"theirs")
        for other in (b"ours!", b"our"):  # ours with one byte more, or one fewer: not ours
            with pytest.raises(FileExistsError):
                store.create(KEY, other)
    assert store.read(KEY) == b"ours"


def test_a_412_without_its_condition_is_a_conflict(s3_server: S3Server, s3_bucket: str) -> None:
    """s3fs makes a 412 FileExistsError only when the answer names If-None-Match; servers
    that leave it out must still give a conflict, not an OSError."""
    from botocore.exceptions import ClientError

    async def refuse(n: int, real_put: Any, kwargs: dict[str, Any]) -> Any:
        error = {"Code": "PreconditionFailed", "Message": "At least one of the pre-conditions"}
        raise ClientError(
            {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 412}}, "PutObject"
        )

    store = make_store(s3_bucket, storage_options=s3_server.storage_options)
    store.create(KEY, b"theirs")
    with patched_put(store, refuse), pytest.raises(FileExistsError, match="already exists"):
        store.create(KEY, b"ours")
    assert store.read(KEY) == b"theirs"


def test_a_409_conditional_request_conflict_is_retried(s3_server: S3Server, s3_bucket: str) -> None:
    """S3 answers 409 ConditionalRequestConflict while another conditional write of the key
    is in flight, and asks for a retry; s3fs does not retry it, FsspecStore does."""
    from botocore.exceptions import ClientError

    async def busy_once(n: int, real_put: Any, kwargs: dict[str, Any]) -> Any:
        if n == 1:
            error = {"Code": "ConditionalRequestConflict", "Message": "try again"}
            meta = {"HTTPStatusCode": 409}
            raise ClientError({"Error": error, "ResponseMetadata": meta}, "PutObject")
        return await real_put(**kwargs)

    store = make_store(s3_bucket, storage_options=s3_server.storage_options)
    with patched_put(store, busy_once) as puts:
        store.create(KEY, b"ours")
    assert len(puts) == 2
    assert store.read(KEY) == b"ours"
