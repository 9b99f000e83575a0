"""``StoreTests``: the tests every Store backend must pass (zarr's ``testing/store.py``).

Subclass it in a test module and give the class (or its conftest) a ``store`` fixture that
returns a fresh, empty, writable store; every test then runs against that backend::

    class TestMyStore(StoreTests):
        @pytest.fixture
        def store(self, tmp_path):
            return make_store(tmp_path / "store")

A backend with a known bug lists it in ``known_bugs`` (test name -> backend -> reason); those
tests run as strict xfails, so they start failing the day the bug is fixed. This module needs
pytest, hypothesis and pyarrow; nothing in hdmf_arrow imports it.
"""

from __future__ import annotations

import re
import threading
import uuid
from typing import TYPE_CHECKING, Any, ClassVar

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hdmf_arrow.errors import InvalidKeyError, ReadOnlyStoreError
from hdmf_arrow.storage import FsspecStore, LocalStore, Store, make_store

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["ESCAPING_KEYS", "StoreTests", "race", "store_backend"]

#: Keys that leave the store (or are not relative POSIX paths); every store refuses them.
ESCAPING_KEYS = ["../x", "/abs", "a/../../b", "c:/x", "a\\b", "..", "a/..", "C:x", ""]

_KEY_OPS: dict[str, Callable[[Store, str], object]] = {
    "read": lambda store, key: store.read(key),
    "create": lambda store, key: store.create(key, b"x"),
    "delete": lambda store, key: store.delete(key),
    "arrow_path": lambda store, key: store.arrow_path(key),
    "exists": lambda store, key: store.exists(key),
    "list": lambda store, key: store.list(key),
}

_SEGMENTS = st.text(alphabet="abcxyz019_-.", min_size=1, max_size=8).filter(
    lambda s: s.strip(".") != ""
)
_KEYS = st.lists(_SEGMENTS, min_size=1, max_size=3).map("/".join)


def store_backend(store: Store) -> str:
    """``"local"`` for a LocalStore, else the fsspec protocol (``"memory"``, ``"s3"``, ...)."""
    if isinstance(store, LocalStore):
        return "local"
    if isinstance(store, FsspecStore):
        protocol = store.fs.protocol
        return protocol if isinstance(protocol, str) else str(protocol[0])
    return type(store).__name__


def race(fn: Callable[[int], object], n: int = 2, *, timeout: float = 30) -> list[Any]:
    """Call ``fn(0)``, ..., ``fn(n - 1)`` in ``n`` threads released together.

    Returns what each call raised (an exception) or returned; fails rather than hangs.
    """
    barrier = threading.Barrier(n, timeout=timeout)
    outcomes: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = fn(i)
        except Exception as err:  # the caller inspects it
            outcomes[i] = err

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), f"racing threads still running after {timeout}s"
    return outcomes


class StoreTests:
    """Tests of the Store contract; a subclass supplies the ``store`` fixture."""

    #: test name -> {backend (see ``store_backend``): "BUG: ..."}; run as strict xfails.
    known_bugs: ClassVar[Mapping[str, Mapping[str, str]]] = {}

    @pytest.fixture(autouse=True)
    def _xfail_known_bugs(self, request: pytest.FixtureRequest, store: Store) -> None:
        reason = self.known_bugs.get(request.function.__name__, {}).get(store_backend(store))
        if reason is not None:
            request.applymarker(pytest.mark.xfail(reason=reason, strict=True))

    def open_read_only(self, store: Store) -> Store:
        """The location of ``store`` opened again, read-only. Override if make_store can't."""
        options = store.storage_options if isinstance(store, FsspecStore) else None
        return make_store(store.url, storage_options=options or None, read_only=True)

    # -- create and read --------------------------------------------------------------------

    @pytest.mark.parametrize(
        "data", [b"{}", b"", bytes(range(256)) * 40], ids=["json", "empty", "binary"]
    )
    def test_read_after_create(self, store: Store, data: bytes) -> None:
        assert not store.exists("_hdmf/versions/1.json")
        store.create("_hdmf/versions/1.json", data)
        assert store.exists("_hdmf/versions/1.json")
        assert store.read("_hdmf/versions/1.json") == data

    @settings(
        # every example is a few round trips to the store: a quarter of the profile's examples
        max_examples=max(10, settings().max_examples // 4),
        suppress_health_check=[HealthCheck.function_scoped_fixture],
        deadline=None,
    )
    @given(key=_KEYS, data=st.binary(max_size=300))
    def test_read_returns_what_create_wrote(self, store: Store, key: str, data: bytes) -> None:
        top = uuid.uuid4().hex  # the store fixture is shared by all examples of one test
        store.create(f"{top}/{key}", data)
        assert store.read(f"{top}/{key}") == data
        assert store.list(top) == [f"{top}/{key}"]

    def test_equivalent_spellings_are_one_key(self, store: Store) -> None:
        store.create("a//b/./c.json", b"1")
        assert store.read("a/b/c.json") == b"1"
        assert store.list("a/") == ["a/b/c.json"]
        with pytest.raises(FileExistsError):
            store.create("./a/b/c.json", b"2")

    def test_create_existing_key_raises_and_keeps_original(self, store: Store) -> None:
        store.create("k.json", b"original")
        with pytest.raises(FileExistsError):
            store.create("k.json", b"second writer")
        assert store.read("k.json") == b"original"

    def test_create_empty_over_existing_key_raises(self, store: Store) -> None:
        store.create("k.json", b"original")
        with pytest.raises(FileExistsError):
            store.create("k.json", b"")
        assert store.read("k.json") == b"original"

    def test_create_large_object_is_create_only(self, store: Store) -> None:
        big = b"0123456789abcdef" * (6 * 2**20 // 16)  # > 5 MiB: s3fs uploads it in parts
        store.create("big.bin", big)
        with pytest.raises(FileExistsError):
            store.create("big.bin", big[::-1])
        assert store.read("big.bin") == big

    def test_read_missing_key_names_key_and_store(self, store: Store) -> None:
        with pytest.raises(FileNotFoundError, match=re.escape("'no/such.json'")) as info:
            store.read("no/such.json")
        assert store.url in str(info.value)
        store.create("no/other.json", b"1")  # the store's root and parent now exist
        with pytest.raises(FileNotFoundError, match=re.escape("'no/such.json'")):
            store.read("no/such.json")

    # -- read-only --------------------------------------------------------------------------

    def test_read_only_store_refuses_writes(self, store: Store) -> None:
        store.create("kept.json", b"1")
        read_only = self.open_read_only(store)
        assert read_only.read_only
        assert read_only.read("kept.json") == b"1"
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            read_only.create("new.json", b"2")
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            read_only.create("kept.json", b"2")
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            read_only.delete("kept.json")
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            read_only.ensure_dir("data/obj")
        assert not store.exists("new.json")
        assert store.read("kept.json") == b"1"
        assert store.list("data") == []
        assert isinstance(ReadOnlyStoreError("x"), PermissionError)

    # -- list and delete --------------------------------------------------------------------

    def test_list_nested_keys_sorted(self, store: Store) -> None:
        for key in ["v/b/2", "v/a", "v/b/1", "v/b/c/3", "w/x", "vv/y"]:
            store.create(key, key.encode())
        assert store.list("v") == ["v/a", "v/b/1", "v/b/2", "v/b/c/3"]
        assert store.list("v/b") == ["v/b/1", "v/b/2", "v/b/c/3"]
        assert store.list("v/b/c") == ["v/b/c/3"]
        assert store.list("vv") == ["vv/y"]

    def test_list_missing_prefix_is_empty(self, store: Store) -> None:
        assert store.list("nothing") == []  # nothing at all in the store yet
        store.create("a/b", b"1")
        assert store.list("nothing") == []
        assert store.list("a/nothing") == []

    def test_delete(self, store: Store) -> None:
        store.create("a/1", b"1")
        store.create("a/2", b"2")
        store.delete("a/1")
        assert not store.exists("a/1")
        assert store.list("a") == ["a/2"]
        with pytest.raises(FileNotFoundError):
            store.read("a/1")
        store.create("a/1", b"again")  # the key is free again
        assert store.read("a/1") == b"again"

    def test_delete_missing_key_is_a_no_op(self, store: Store) -> None:
        store.create("a/1", b"1")
        store.delete("a/never-written")
        assert store.list("a") == ["a/1"]

    # -- keys that leave the store ----------------------------------------------------------

    @pytest.mark.parametrize("op", list(_KEY_OPS))
    @pytest.mark.parametrize("key", ESCAPING_KEYS)
    def test_escaping_keys_are_refused(self, store: Store, key: str, op: str) -> None:
        with pytest.raises(InvalidKeyError, match="leaves the store"):
            _KEY_OPS[op](store, key)

    @pytest.mark.parametrize("key", ESCAPING_KEYS)
    def test_ensure_dir_refuses_escaping_keys(self, store: Store, key: str) -> None:
        with pytest.raises(InvalidKeyError, match="leaves the store"):
            store.ensure_dir(key)

    @pytest.mark.parametrize("key", [".", "./"])
    def test_keys_naming_the_root_are_refused(self, store: Store, key: str) -> None:
        with pytest.raises(InvalidKeyError, match="leaves the store"):
            store.arrow_path(key)
        with pytest.raises(InvalidKeyError, match="leaves the store"):
            store.create(key, b"x")  # would put a file where the store's directory belongs
        store.create("a/b", b"1")  # the store still works
        assert store.list("a") == ["a/b"]

    # -- Parquet through arrow_fs -----------------------------------------------------------

    def test_parquet_round_trip(self, store: Store) -> None:
        table = pa.table(
            {
                "id": pa.array([0, 1, 2], pa.int64()),
                "name": ["a", None, "c"],
                "spikes": pa.array([[0.5], [], [1.0, 2.5]], pa.list_(pa.float64())),
            }
        ).replace_schema_metadata({"hdmf": '{"format": 1}'})
        key = "data/obj-1/part-0.parquet"
        store.ensure_dir("data/obj-1")
        assert store.list("data/obj-1") == []
        path = store.arrow_path(key)
        pq.write_table(table, path, filesystem=store.arrow_fs)

        read = pq.read_table(path, filesystem=store.arrow_fs)
        assert read.equals(table)
        assert read.schema.metadata == table.schema.metadata
        assert (
            pq.read_metadata(path, filesystem=store.arrow_fs).metadata[b"hdmf"] == b'{"format": 1}'
        )
        info = store.arrow_fs.get_file_info(path)
        assert info.type == pafs.FileType.File
        assert info.size == len(store.read(key))
        with store.arrow_fs.open_input_file(path) as f:
            assert pq.ParquetFile(f).read(columns=["spikes"]).column(0).equals(table["spikes"])
        assert store.list("data") == [key]

    # -- concurrency ------------------------------------------------------------------------

    def test_racing_creates_have_exactly_one_winner(self, store: Store) -> None:
        for round_ in range(20):
            key = f"_hdmf/versions/{round_:020d}.json"
            payloads = [f"writer {i} round {round_}".encode() for i in range(2)]

            def write(i: int, key: str = key, payloads: list[bytes] = payloads) -> None:
                store.create(key, payloads[i])

            outcomes = race(write)
            winners = [i for i, outcome in enumerate(outcomes) if outcome is None]
            assert len(winners) == 1, f"round {round_}: {outcomes!r}"
            loser = outcomes[1 - winners[0]]
            assert isinstance(loser, FileExistsError), f"round {round_}: {loser!r}"
            assert store.read(key) == payloads[winners[0]], f"round {round_}"

    def test_readers_never_see_a_partial_object(self, store: Store) -> None:
        data = bytes(range(256)) * (4 * 2**20 // 256)
        for round_ in range(5):
            key = f"partial/{round_}.bin"
            started = threading.Event()
            seen: list[bytes] = []

            def read_until_found(
                key: str = key, started: threading.Event = started, seen: list[bytes] = seen
            ) -> None:
                started.set()
                for _ in range(100_000):
                    try:
                        seen.append(store.read(key))
                    except FileNotFoundError:
                        continue
                    return

            reader = threading.Thread(target=read_until_found, daemon=True)
            reader.start()
            started.wait(10)
            store.create(key, data)
            reader.join(30)
            assert not reader.is_alive()
            assert [len(got) for got in seen] == [len(data)], f"round {round_}"
            assert seen[0] == data
