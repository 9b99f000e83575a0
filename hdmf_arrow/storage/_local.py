"""Local disk."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs

from hdmf_arrow.storage._base import Store, check_key


class LocalStore(Store):
    """A directory on local disk. ``create`` writes a temporary file and hard-links it into
    place: the link appears whole or not at all, and fails if the key exists."""

    def __init__(self, root: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.root = Path(root).expanduser().absolute()
        super().__init__(str(self.root), read_only=read_only)
        self._fs = pafs.LocalFileSystem()

    @property
    def arrow_fs(self) -> pafs.FileSystem:
        return self._fs

    def arrow_path(self, key: str) -> str:
        return str(self.root / check_key(key, store=self.url))

    def _path(self, key: str) -> Path:
        return self.root / check_key(key, store=self.url)

    def read(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            msg = f"{key!r} not found in store {self.url}"
            raise FileNotFoundError(msg) from None

    def ensure_dir(self, key: str) -> None:
        self._check_writable()
        _make_dirs(self._path(key))

    def _create(self, key: str, data: bytes) -> None:
        path = self.root / key
        _make_dirs(path.parent)
        tmp = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
        try:
            with tmp.open("xb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.link(tmp, path)  # atomic, and refuses an existing path
            _fsync_dir(path.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def sync(self, key: str) -> None:
        path = self._path(key)
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(path.parent)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def list(self, prefix: str) -> list[str]:
        base = self._path(prefix)
        if not base.is_dir():
            return []
        return sorted(p.relative_to(self.root).as_posix() for p in base.rglob("*") if p.is_file())

    def _delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.root / key).unlink()

    def polars_options(self) -> tuple[str, dict[str, Any] | None]:
        return str(self.root), None


def _make_dirs(directory: Path) -> None:
    """Create ``directory`` and its missing parents, each new entry made durable (its parent
    fsynced): a committed manifest must never name a file in a directory a crash could lose."""
    missing: list[Path] = []
    while not directory.is_dir():
        missing.append(directory)
        directory = directory.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # a concurrent writer made it: fine
            new.mkdir()
        _fsync_dir(new.parent)


def _fsync_dir(directory: Path) -> None:
    """Make a new directory entry durable (POSIX; other systems have no directory fds)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
