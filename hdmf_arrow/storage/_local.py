"""Local disk.

A local store never follows a symbolic link below its root, and reads only regular files: a
link in a crafted store could lead a read or a delete outside the store, and a FIFO or a
device would block a reader. Every path is checked one component at a time with ``lstat``
before it is used (the root itself may be a link: that is the user's choice).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import uuid
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs

from hdmf_arrow.errors import UnsafePathError
from hdmf_arrow.storage._base import Store, check_key, too_large


class LocalStore(Store):
    """A directory on local disk. ``create`` writes a temporary file and hard-links it into
    place: the link appears whole or not at all, and fails if the key exists."""

    def __init__(self, root: str | os.PathLike[str], *, read_only: bool = False) -> None:
        self.root = Path(root).expanduser().absolute()
        super().__init__(str(self.root), read_only=read_only)
        self._fs = pafs.LocalFileSystem()
        self._safe_dirs: set[str] = set()  # directory keys already checked (not links)

    @property
    def arrow_fs(self) -> pafs.FileSystem:
        return self._fs

    def arrow_path(self, key: str) -> str:
        return str(self._path(key))

    def _path(self, key: str) -> Path:
        """The path of ``key``, refusing a key whose directories (inside the store) are
        symbolic links or not directories."""
        key = check_key(key, store=self.url)
        parent = key.rpartition("/")[0]
        if parent and parent not in self._safe_dirs:
            checked = ""
            for part in parent.split("/"):
                checked = f"{checked}/{part}" if checked else part
                if checked in self._safe_dirs:
                    continue
                try:
                    mode = os.lstat(self.root / checked).st_mode
                except (FileNotFoundError, NotADirectoryError):
                    break  # not made yet: nothing below it exists to follow
                if not stat.S_ISDIR(mode):
                    raise self._unsafe(checked, mode)
                self._safe_dirs.add(checked)
        return self.root / key

    def _unsafe(self, key: str, mode: int) -> UnsafePathError:
        kind = _kind(mode)
        msg = (
            f"{key!r} in store {self.url} is {kind}; a store holds only directories and "
            f"regular files, and never follows a link (it could lead outside the store). "
            f"Hint: replace it with the real directory or file."
        )
        return UnsafePathError(msg)

    def _regular(self, key: str) -> Path:
        """The path of ``key``, which must be a regular file (FileNotFoundError if absent)."""
        path = self._path(key)
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            msg = f"{key!r} not found in store {self.url}"
            raise FileNotFoundError(msg) from None
        if not stat.S_ISREG(mode):
            raise self._unsafe(key, mode)
        return path

    def read(self, key: str, *, max_bytes: int | None = None) -> bytes:
        path = self._path(key)
        try:
            # O_NOFOLLOW: a link is refused; O_NONBLOCK: a FIFO does not block the open
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except (FileNotFoundError, NotADirectoryError):
            msg = f"{key!r} not found in store {self.url}"
            raise FileNotFoundError(msg) from None
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            raise self._unsafe(key, os.lstat(path).st_mode) from None
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise self._unsafe(key, info.st_mode)
            if max_bytes is not None and info.st_size > max_bytes:
                raise too_large(key, self.url, max_bytes)
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
        if max_bytes is not None and len(data) > max_bytes:  # it grew while read
            raise too_large(key, self.url, max_bytes)
        return data

    def open_input(self, key: str, size: int | None = None) -> Any:
        return self._fs.open_input_file(str(self._regular(key)))

    def ensure_dir(self, key: str) -> None:
        self._check_writable()
        inside = f"{check_key(key, store=self.url)}/_"
        _make_dirs(self._path(inside).parent)  # every existing component is checked
        self._path(inside)  # and the new ones

    def _create(self, key: str, data: bytes) -> None:
        path = self._path(key)
        _make_dirs(path.parent)
        self._path(key)  # directories made by a concurrent writer are checked too
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
        path = self._regular(key)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(path.parent)

    def exists(self, key: str) -> bool:
        try:
            os.lstat(self._path(key))
        except (FileNotFoundError, NotADirectoryError):
            return False
        return True

    def list(self, prefix: str) -> list[str]:
        return sorted(self.list_modified(prefix))

    def list_modified(self, prefix: str) -> dict[str, float | None]:
        """Regular files under ``prefix`` with their times; a link, FIFO or device anywhere
        below it is refused (UnsafePathError), never followed."""
        base = self._path(f"{check_key(prefix, store=self.url)}/_").parent  # not a link
        try:
            mode = os.lstat(base).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return {}
        if not stat.S_ISDIR(mode):
            return {}
        found: dict[str, float | None] = {}
        for directory, dirs, files in os.walk(base, followlinks=False):
            for name in (*dirs, *files):
                path = Path(directory, name)
                try:
                    info = os.lstat(path)
                except FileNotFoundError:
                    continue  # deleted meanwhile
                key = path.relative_to(self.root).as_posix()
                if stat.S_ISREG(info.st_mode):
                    found[key] = info.st_mtime
                elif not stat.S_ISDIR(info.st_mode):
                    raise self._unsafe(key, info.st_mode)
        return found

    def _delete(self, key: str) -> None:
        try:
            path = self._regular(key)
        except FileNotFoundError:
            return  # deleting what is gone is done
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def polars_options(self) -> tuple[str, dict[str, Any] | None]:
        return str(self.root), None


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


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
