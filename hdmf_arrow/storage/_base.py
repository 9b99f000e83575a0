"""Store: where a file's objects live. Knows nothing of HDMF.

A store has two faces. Parquet files are read and written through ``arrow_fs`` (a
``pyarrow.fs.FileSystem``), with seekable reads. Small objects (manifests, cached specs) go
through ``read``, ``create`` (create-only: the atomic step of a commit), ``list`` and
``delete``. Keys are relative POSIX paths. A key that is absolute or contains ``..`` is
refused, so nothing read from a manifest can reach outside the store.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from hdmf_arrow.errors import InvalidKeyError, ReadOnlyStoreError, StoreLimitError

if TYPE_CHECKING:
    import builtins
    from collections.abc import Mapping

    import pyarrow.fs as pafs


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def check_key(key: str, *, store: str) -> str:
    """``key`` as a normalised relative POSIX path; refuses anything that could escape.

    >>> check_key("data/abc/1.parquet", store="s")
    'data/abc/1.parquet'
    >>> check_key("../etc/passwd", store="s")
    Traceback (most recent call last):
    hdmf_arrow.errors.InvalidKeyError: key '../etc/passwd' in store s leaves the store ...
    """
    norm = posixpath.normpath(key) if key else key
    bad = (
        not key
        or "\\" in key
        or key.startswith("/")
        or ":" in key.split("/", 1)[0]
        or norm in ("..", ".")
        or norm.startswith("../")
        or ".." in key.split("/")
        or _CONTROL.search(key) is not None  # NUL, newlines, ...
    )
    if bad:
        msg = (
            f"key {key!r} in store {store} leaves the store or is not a relative path; "
            f"refusing to use it (a manifest may be corrupt or hostile)"
        )
        raise InvalidKeyError(msg)
    return norm


def too_large(key: str, store: str, max_bytes: int) -> StoreLimitError:
    """The error for an object past its size limit (its contents are not quoted)."""
    msg = (
        f"{key!r} in store {store} is larger than its limit of {max_bytes:,} bytes; refusing "
        f"to read it (the store may be damaged or hostile)"
    )
    return StoreLimitError(msg)


class Store(ABC):
    """A location: a pyarrow filesystem for Parquet plus create-only small objects.

    **Durability.** ``create`` is a commit's barrier: before the object it creates becomes
    visible, everything written through this store object so far is durable (the files
    passed to ``sync``, the objects of ``create_many``, the directories of ``ensure_dir``,
    and the directory entries of all of them). A local store fsyncs each file when it is
    synced or created but may leave the fsync of the directories that hold new entries to the
    next ``create``, which fsyncs each of them once; where writes are durable once they return
    (object stores) there is nothing to wait for. A commit writes its files through one store
    object, then creates its manifest through it: a power loss never leaves a manifest naming
    a file or directory that is lost.
    """

    read_only: bool
    supports_listing: bool = True
    supports_deletes: bool = True
    # whether a Parquet read fetches its column chunks first, coalesced into few large reads
    # (pyarrow's pre_buffer): it saves requests on an object store and Python calls on an
    # fsspec file; on local disk it makes reading one column 3x slower (measured)
    pre_buffer: bool = True

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only

    def discard_new_files(self, keys: builtins.list[str]) -> None:
        """Delete ``keys`` (data files of a commit that did not happen, named by fresh uuids,
        so no other writer has them), and on local disk the folders they leave empty."""
        for key in keys:
            with contextlib.suppress(OSError):
                self._delete(check_key(key, store=self.url))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url!r}{', read-only' if self.read_only else ''})"

    @property
    @abstractmethod
    def arrow_fs(self) -> pafs.FileSystem:
        """The filesystem Parquet files are read and written through."""

    @abstractmethod
    def arrow_path(self, key: str) -> str:
        """The path of ``key`` inside ``arrow_fs``."""

    @abstractmethod
    def read(self, key: str, *, max_bytes: int | None = None) -> bytes:
        """The bytes of ``key``; FileNotFoundError naming the store if it is missing, and
        StoreLimitError (without reading it all) if it is larger than ``max_bytes``."""

    @abstractmethod
    def _create(self, key: str, data: bytes) -> None: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def list(self, prefix: str) -> list[str]:
        """Keys under ``prefix`` (a directory key), normalised and sorted; empty if there
        are none. Only regular files are listed; a local store refuses a symbolic link."""

    @abstractmethod
    def _delete(self, key: str) -> None: ...

    def list_modified(self, prefix: str) -> dict[str, float | None]:
        """Keys under ``prefix`` (as ``list``) with their modification times in POSIX
        seconds, or None where the backend does not tell (such keys count as new)."""
        return dict.fromkeys(self.list(prefix))

    def create(self, key: str, data: bytes) -> None:
        """Write ``data`` at ``key`` only if nothing is there, atomically.

        Raises FileExistsError if ``key`` exists (another writer won); readers never see a
        partly written object.
        """
        self._check_writable()
        self._create(check_key(key, store=self.url), data)

    def create_many(self, items: Mapping[str, bytes]) -> builtins.list[str]:
        """``create`` each key of ``items``, leaving a key that exists as it is; returns the
        keys that existed, in the order of ``items``.

        Each object appears whole or not at all, as with ``create``, but the objects are not
        created as one (a failure part way leaves those created before it). Their contents
        are durable before they become visible; their directory entries are durable by the
        next ``create`` (see the class's note), so a local store makes one directory durable
        once for all the objects it holds.
        """
        self._check_writable()
        checked: dict[str, bytes] = {}
        for key, data in items.items():
            norm = check_key(key, store=self.url)
            if norm in checked:
                msg = (
                    f"create_many in store {self.url}: {key!r} and another key of the batch "
                    f"are the same key {norm!r}; give each object once"
                )
                raise InvalidKeyError(msg)
            checked[norm] = data
        return self._create_many(checked)

    def _create_many(self, items: dict[str, bytes]) -> builtins.list[str]:
        existed = []
        for key, data in items.items():
            try:
                self._create(key, data)
            except FileExistsError:
                existed.append(key)
        return existed

    def delete(self, key: str) -> None:
        self._check_writable()
        self._delete(check_key(key, store=self.url))

    def open_input(self, key: str, size: int | None = None) -> Any:
        """A seekable file for reading ``key``; ``size`` (if known) spares a lookup."""
        return self.arrow_fs.open_input_file(self.arrow_path(key))

    def sync(self, key: str) -> None:
        """Make ``key`` (a file written through ``arrow_fs``) durable before a manifest refers
        to it: its contents when this returns, its directory entry by the next ``create``
        through this store (see the class's note). A no-op where writes are durable once they
        return, as on object stores."""
        check_key(key, store=self.url)

    def ensure_dir(self, key: str, *, defer_sync: bool = False) -> None:
        """Create the directory ``key`` (and its parents) where the filesystem has
        directories. On local disk the new directories are durable when this returns or, with
        ``defer_sync``, by the next ``create`` through this store (one fsync per parent for
        all the directories made meanwhile)."""
        self._check_writable()
        self.arrow_fs.create_dir(self.arrow_path(key), recursive=True)

    def _check_writable(self) -> None:
        if self.read_only:
            msg = f"store {self.url} is opened read-only; open it with mode='a' or 'w' to write"
            raise ReadOnlyStoreError(msg)

    def polars_options(self) -> tuple[str, dict[str, Any] | None] | None:
        """``(url, storage_options)`` for ``polars.scan_parquet`` of this store's root, or
        None when polars cannot reach the store itself (memory://)."""
        return None
