"""Locations: turn what a user passes (a path, a URL, an fsspec filesystem) into a Store."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeAlias

from hdmf_arrow.errors import (
    InvalidArgumentTypeError,
    MissingDependencyError,
    StoreLocationError,
)
from hdmf_arrow.storage._base import Store, check_key
from hdmf_arrow.storage._cache import manifest_cache
from hdmf_arrow.storage._fsspec import FsspecStore
from hdmf_arrow.storage._local import LocalStore
from hdmf_arrow.storage._many import Listing, glob_stores, list_each, read_each

if TYPE_CHECKING:
    import fsspec

StoreLike: TypeAlias = "Store | str | os.PathLike[str] | fsspec.AbstractFileSystem"

__all__ = [
    "FsspecStore",
    "Listing",
    "LocalStore",
    "Store",
    "StoreLike",
    "check_key",
    "glob_stores",
    "list_each",
    "make_store",
    "manifest_cache",
    "read_each",
]


def make_store(
    location: StoreLike,
    *,
    storage_options: dict[str, Any] | None = None,
    read_only: bool = False,
) -> Store:
    """Turn ``location`` into a Store. This is the one place locations are normalised.

    - a ``Store`` is returned as is;
    - a local path (``str`` or ``os.PathLike``) or a ``file://`` / ``local://`` URL gives a
      LocalStore;
    - any other URL (``memory://``, ``s3://bucket/key``, ...) gives an FsspecStore through
      ``fsspec.core.url_to_fs(url, **storage_options)`` (s3fs for ``s3://``);
    - an fsspec filesystem gives an FsspecStore rooted at its root.

    Examples
    --------
    >>> make_store("memory://demo/store")
    FsspecStore('memory://demo/store')
    """
    if isinstance(location, Store):
        return location
    text = os.fspath(location) if isinstance(location, str | os.PathLike) else None
    if isinstance(text, str) and any(ord(ch) < 32 for ch in text):
        msg = f"location {text!r:.200} holds a control character (a NUL, a newline, ...)"
        raise StoreLocationError(msg)
    if isinstance(location, os.PathLike):
        return LocalStore(location, read_only=read_only)
    if isinstance(location, str):
        for prefix in ("file://", "local://"):
            if location.startswith(prefix):
                return LocalStore(location[len(prefix) :], read_only=read_only)
        if "://" not in location:
            return LocalStore(location, read_only=read_only)
        fs, root = _url_to_fs(location, storage_options)
        return FsspecStore(
            fs, root, url=location, storage_options=storage_options, read_only=read_only
        )
    import fsspec

    if isinstance(location, fsspec.AbstractFileSystem):
        return FsspecStore(location, "", storage_options=storage_options, read_only=read_only)
    msg = (
        f"cannot use {type(location).__name__} {location!r:.60} as a location; pass a path, "
        f"a URL (s3://..., memory://...) or an fsspec filesystem"
    )
    raise InvalidArgumentTypeError(msg)


def _url_to_fs(location: str, storage_options: dict[str, Any] | None) -> tuple[Any, str]:
    """fsspec's filesystem for ``location``, with our errors for an unknown protocol and for
    a protocol whose package is not installed."""
    import fsspec.core

    protocol = location.split("://", 1)[0]
    try:
        fs, root = fsspec.core.url_to_fs(location, **(storage_options or {}))
    except ImportError as exc:
        package = {"s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs"}.get(protocol)
        install = f"pip install {package}" if package else "install the fsspec backend for it"
        msg = (
            f"location {location!r:.200} needs the fsspec backend for {protocol!r}, which "
            f"cannot be imported ({exc}). Hint: {install}."
        )
        raise MissingDependencyError(msg) from None
    except ValueError as exc:
        if "protocol" not in str(exc).lower():
            raise
        msg = (
            f"location {location!r:.200}: fsspec knows no protocol {protocol!r}. Hint: use a "
            f"local path, file://, memory://, s3:// or another fsspec URL."
        )
        raise StoreLocationError(msg) from None
    return fs, root
