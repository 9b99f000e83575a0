"""A process-wide, bounded cache of what was parsed from stored objects that never change.

A manifest version is created once and never rewritten (docs/format.md, 5), so what was
parsed from one may be kept, as long as the key names *that object* and not only its name: a
store deleted and re-created at the same URL has a version 1 again, with other bytes. Keys are
therefore one of

- what a fresh listing says of the object: on S3 its ``ETag`` and size (the ``ETag`` changes
  with the bytes), with the filesystem's options and the object's path
  (:func:`listed_key`);
- a digest of the bytes themselves, where no listing describes the object (local disk,
  ``memory://``, other fsspec stores, a version given by number): the read is made, the
  parse is not (:func:`content_key`).

Either way a stale entry cannot be found: a different object has a different key. The
listing is never cached (the caller lists on the server each time), so the newest version is
always the one seen. Only the multi-store paths use it (``hdmf_arrow.scan``,
``hdmf_arrow.duckdb.register``); opening one store (``read``, ``ParquetIO``) does not.

``manifest_cache`` is the cache those paths use. Its bounds are ``max_entries`` entries and
``max_bytes`` bytes *as stored* (the JSON; the parsed objects take a few times that in memory);
the least recently used entries go first. ``manifest_cache.configure(max_entries=0)`` turns
it off (and empties it), ``manifest_cache.clear()`` empties it.

>>> cache = ObjectCache(max_entries=2, max_bytes=100)
>>> cache.put(("a",), "A", 10); cache.put(("b",), "B", 10); cache.put(("c",), "C", 10)
>>> cache.get(("a",)), cache.get(("c",)), len(cache)
(None, 'C', 2)
>>> cache.configure(max_entries=0); cache.get(("c",)), len(cache)
(None, 0)
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

from hdmf_arrow.errors import InvalidArgumentError, InvalidArgumentTypeError

__all__ = ["ObjectCache", "content_key", "listed_key", "manifest_cache"]

MAX_ENTRIES = 4096  # manifests kept, at most
MAX_BYTES = 64 * 2**20  # of their JSON, at most


class ObjectCache:
    """Key -> value, at most ``max_entries`` entries and ``max_bytes`` bytes (each entry's
    ``nbytes`` as given to ``put``), least recently used out first; thread-safe. An entry
    larger than ``max_bytes`` is not kept. Values are shared, never copied: callers must not
    change them."""

    def __init__(self, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0

    def configure(self, *, max_entries: int | None = None, max_bytes: int | None = None) -> None:
        """Change the bounds (0 entries or bytes: off); entries past them go at once."""
        for name, value in (("max_entries", max_entries), ("max_bytes", max_bytes)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                msg = f"ObjectCache.configure: {name} must be an int, found {value!r:.40}"
                raise InvalidArgumentTypeError(msg)
            if value is not None and value < 0:
                msg = f"ObjectCache.configure: {name} must be 0 (off) or more, found {value}"
                raise InvalidArgumentError(msg)
        with self._lock:
            if max_entries is not None:
                self.max_entries = max_entries
            if max_bytes is not None:
                self.max_bytes = max_bytes
            self._trim()

    @property
    def enabled(self) -> bool:
        return self.max_entries > 0 and self.max_bytes > 0

    def get(self, key: tuple[Any, ...]) -> Any | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return hit[0]

    def put(self, key: tuple[Any, ...], value: Any, nbytes: int) -> None:
        if not self.enabled or nbytes > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, nbytes)
            self._bytes += nbytes
            self._trim()

    def _trim(self) -> None:
        while self._entries and (
            len(self._entries) > self.max_entries or self._bytes > self.max_bytes
        ):
            _, (_, nbytes) = self._entries.popitem(last=False)
            self._bytes -= nbytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def nbytes(self) -> int:
        """The bytes the entries stand for (as given to ``put``)."""
        return self._bytes


def listed_key(kind: str, fs_token: str, path: str, tag: str) -> tuple[str, ...]:
    """The key of the object at ``path`` of the filesystem ``fs_token`` (its class and
    options) that a listing described by ``tag`` (S3: ``ETag`` and size), for ``kind`` of
    value parsed from it."""
    return (kind, "listed", fs_token, path, tag)


def content_key(kind: str, name: str, data: bytes) -> tuple[str, ...]:
    """The key of the bytes ``data`` read as ``name`` (the object's name within its store,
    which the parse may check: a manifest's version), for ``kind`` of value parsed from them.

    >>> content_key("m", "v1", b"{}") == content_key("m", "v1", b"{}")
    True
    >>> content_key("m", "v1", b"{}") == content_key("m", "v1", b"[]")
    False
    """
    digest = hashlib.blake2b(data, digest_size=32).hexdigest()
    return (kind, "content", name, f"{len(data)}:{digest}")


manifest_cache = ObjectCache()
