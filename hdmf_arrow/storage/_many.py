"""Many stores at once: their keys under a prefix, one object of each, and globs of stores, in
few requests.

Opening one store on an object store is a listing and a GET; opening fifty one by one is a
hundred requests. Here:

- ``list_each(stores, prefix)`` gives each store's keys under ``prefix``, as ``store.list``
  does. S3 stores that share a filesystem (and bucket) are listed together: one flat listing
  (no delimiter, 1,000 keys a page) of their roots' common prefix, starting after the first
  root, gives every store's keys, for at most ``FLAT_PAGES`` pages. S3 lists keys in UTF-8
  binary order (which is Python's order of ``str``), so when the listing stops early the
  stores whose keys all sort before the last key seen are complete; the others are listed one
  by one (an S3 store by a flat listing of its own prefix, one request as ``store.list``
  makes, and by ``store.list`` if that is cut short), up to 16 at once. Other stores are
  listed one by one. ``listed_each`` gives the same keys, each with its object's tag (S3:
  ``"<ETag>:<size>"``, from the listing; None elsewhere).
- ``read_each(stores, keys, max_bytes=...)`` reads one object of each store. Those on one S3
  filesystem are fetched concurrently on s3fs's event loop (one ranged GET each, as
  ``store.read`` makes it); anything else, and any read that failed or was too large, is left
  to the caller (``None``), who reads it alone so that its error is the usual one.
  ``read_each_tagged`` gives each object's bytes with the tag of the object the GET read
  (the answer's ETag), which matches a listing's tag for the same object.
- ``glob_stores(pattern, storage_options)`` expands a glob of stores like fsspec's ``glob``
  and, on S3, from one flat listing of the glob's directory, whose keys it keeps for
  ``list_each``: ``s3://bucket/sessions/*.hdmf`` then costs one request for the glob and every
  store's listing.

Listings are never cached: every call lists on the server. What they say of each key (on S3,
its ``ETag`` and size: ``listed_each``) and what a GET answers (``read_each_tagged``) let the
caller keep what it parsed from an object under a key that names that object, not only its
name (``storage/_cache.py``).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hdmf_arrow.errors import InvalidKeyError
from hdmf_arrow.storage._base import Store, check_key
from hdmf_arrow.storage._fsspec import FsspecStore

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

FLAT_PAGES = 4  # pages of one shared listing before the stores it did not reach are listed alone
PAGE_KEYS = 1000  # keys per page (S3's largest)
THREADS = 16  # stores listed or read at once where each is its own request
_S3 = {"s3", "s3a"}


@dataclass(frozen=True)
class Listing:
    """The keys (full paths, sorted) of one flat listing of ``prefix`` on ``fs``, after
    ``start_after``; ``complete`` if it reached the end, else ``last`` is the last key seen.
    ``tags`` gives what the listing says of each key's object (``"<ETag>:<size>"``): another
    object at that key has another tag."""

    fs: Any
    prefix: str
    start_after: str
    keys: tuple[str, ...]
    complete: bool
    tags: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def last(self) -> str:
        return self.keys[-1] if self.keys else self.start_after

    def covers(self, directory: str) -> bool:
        """Whether every key under ``directory/`` is in ``keys``."""
        below = directory.rstrip("/") + "/"
        if not below.startswith(self.prefix) or below <= self.start_after:
            return False
        return self.complete or (self.last > below and not self.last.startswith(below))

    def under(self, directory: str) -> list[str]:
        """The keys under ``directory/`` (which ``covers`` must cover)."""
        below = directory.rstrip("/") + "/"
        start = bisect_left(self.keys, below)
        out = []
        for key in self.keys[start:]:
            if not key.startswith(below):
                break
            out.append(key)
        return out


def _is_s3(store: Store) -> bool:
    if not isinstance(store, FsspecStore):
        return False
    protocols = (
        {store.fs.protocol} if isinstance(store.fs.protocol, str) else set(store.fs.protocol)
    )
    return bool(protocols & _S3) and not getattr(store.fs, "version_aware", False)


def _fsspec(store: Store) -> FsspecStore:
    assert isinstance(store, FsspecStore)
    return store


def _same_fs(a: Any, b: Any) -> bool:
    """Whether two fsspec filesystems reach the same objects the same way (the same class and
    options: what fsspec's instance cache keys on)."""
    if a is b:
        return True
    try:
        return type(a) is type(b) and bool(a.storage_options == b.storage_options)
    except Exception:  # options that cannot be compared: not the same
        return False


def _groups(stores: Sequence[Store]) -> list[list[int]]:
    """The indexes of the S3 stores, grouped by filesystem."""
    groups: list[list[int]] = []
    for i, store in enumerate(stores):
        if not _is_s3(store):
            continue
        for group in groups:
            if _same_fs(_fsspec(stores[group[0]]).fs, _fsspec(store).fs):
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


def flat_listing(fs: Any, prefix: str, *, start_after: str = "") -> Listing:
    """One listing without a delimiter of the keys under ``prefix`` (``bucket/dir/``) after
    ``start_after``: at most ``FLAT_PAGES`` requests of ``PAGE_KEYS`` keys."""
    bucket, _, key_prefix = prefix.partition("/")
    kwargs: dict[str, Any] = {
        "Bucket": bucket,
        "Prefix": key_prefix,
        "MaxKeys": PAGE_KEYS,
        **fs.req_kw,
    }
    after = start_after.partition("/")[2] if start_after else ""
    if after:
        kwargs["StartAfter"] = after
    keys: list[str] = []
    tags: dict[str, str] = {}
    complete = False
    for _ in range(FLAT_PAGES):
        out = fs.call_s3("list_objects_v2", **kwargs)
        for c in out.get("Contents", ()):
            path = f"{bucket}/{c['Key']}"
            keys.append(path)
            tag = object_tag(c.get("ETag"), c.get("Size"))
            if tag is not None:
                tags[path] = tag
        if not out.get("IsTruncated"):
            complete = True
            break
        kwargs["ContinuationToken"] = out["NextContinuationToken"]
        kwargs.pop("StartAfter", None)
    keys.sort()  # S3's order already; sorted again for bisect whatever the server
    return Listing(fs, prefix, start_after, tuple(keys), complete, tags)


def object_tag(etag: object, size: object) -> str | None:
    """What names one S3 object at a key, from a listing or a GET: ``"<ETag>:<size>"`` (S3
    gives every PUT's object the ETag of its bytes), or None if either is missing.

    >>> object_tag('"9a0364b9e99bb480dd25e1f0284c8555"', 7)
    '"9a0364b9e99bb480dd25e1f0284c8555":7'
    """
    if not isinstance(etag, str) or not etag.strip('"') or isinstance(size, bool):
        return None
    if not isinstance(size, int) or size < 0:
        return None
    return f"{etag}:{size}"


def fs_token(fs: Any) -> str:
    """A name for what an fsspec filesystem reaches and how (its class and options, as
    ``_same_fs`` compares them): the same object path on two servers, or with other
    credentials, gets two names."""
    from fsspec.utils import tokenize

    cls = type(fs)
    try:
        return str(tokenize(f"{cls.__module__}.{cls.__qualname__}", fs.storage_options))
    except Exception:  # options that cannot be shown: this instance only
        return f"{cls.__module__}.{cls.__qualname__}@{id(fs)}"


def _common_prefix(roots: Sequence[str]) -> str:
    """The longest prefix of ``root/`` for every root, within its bucket: what one listing
    must cover (an S3 prefix need not end at a ``/``).

    >>> _common_prefix(["b/sessions/s1.hdmf", "b/sessions/s2.hdmf"])
    'b/sessions/s'
    >>> _common_prefix(["b/x"])
    'b/x/'
    """
    return os.path.commonprefix([f"{r}/" for r in roots])  # noqa: RUF071 - by character


def _keys_of(store: FsspecStore, paths: list[str]) -> list[str]:
    """Full paths under a store's root -> its keys, checked as ``store.list`` checks them."""
    start = len(store.root) + 1
    out = []
    for path in paths:
        if path.endswith("/"):
            continue  # a directory placeholder, not a file
        try:
            out.append(check_key(path[start:], store=store.url))
        except InvalidKeyError:
            continue  # not a key this store could have made: never read
    return sorted(out)


def list_each(
    stores: Sequence[Store], prefix: str, *, listings: Sequence[Listing] = ()
) -> list[list[str]]:
    """Each store's keys under ``prefix`` (a directory key), as ``store.list(prefix)`` gives
    them, with as few requests as the stores allow (see the module's docstring). ``listings``
    are flat listings already made (by ``glob_stores``) that may cover some stores."""
    return [sorted(keys) for keys in listed_each(stores, prefix, listings=listings)]


def listed_each(
    stores: Sequence[Store], prefix: str, *, listings: Sequence[Listing] = ()
) -> list[dict[str, str | None]]:
    """``list_each``, each key with the tag the listing gave its object (``object_tag``;
    None where the store was listed without one: local disk, fsspec stores other than S3,
    an S3 listing too long for ``flat_listing``). An S3 store that no shared listing covers
    is listed alone by ``flat_listing`` (one request, as ``store.list``), for its tags."""
    check_key(prefix, store="(several stores)")
    out: list[dict[str, str | None] | None] = [None] * len(stores)

    def from_listings(i: int, found: Sequence[Listing]) -> bool:
        store = _fsspec(stores[i])
        directory = f"{store.root}/{prefix}"
        for listing in found:
            if _same_fs(listing.fs, store.fs) and listing.covers(directory):
                paths = listing.under(directory)
                keys = _keys_of(store, paths)
                start = len(store.root) + 1
                tags = {p[start:]: listing.tags.get(p) for p in paths}
                out[i] = {k: tags.get(k) for k in keys}
                return True
        return False

    for group in _groups(stores):
        todo = [i for i in group if not from_listings(i, listings)]
        by_bucket: dict[str, list[int]] = {}
        for i in todo:
            by_bucket.setdefault(_fsspec(stores[i]).root.split("/", 1)[0], []).append(i)
        for same in by_bucket.values():
            if len(same) < 2:
                continue  # one store: its own listing is one request too
            roots = sorted(_fsspec(stores[i]).root for i in same)
            made = flat_listing(
                _fsspec(stores[same[0]]).fs, _common_prefix(roots), start_after=roots[0]
            )
            for i in same:
                from_listings(i, [made])
    rest = [i for i, keys in enumerate(out) if keys is None]

    def alone(i: int) -> dict[str, str | None]:
        store = stores[i]
        if _is_s3(store):
            s3 = _fsspec(store)
            made = flat_listing(s3.fs, f"{s3.root}/{prefix}/")
            if made.complete and from_listings(i, [made]):
                return out[i] or {}
        return dict.fromkeys(store.list(prefix))

    for i, keys in zip(rest, _each(alone, rest), strict=True):
        out[i] = keys
    return [keys or {} for keys in out]


def read_each(
    stores: Sequence[Store], keys: Sequence[str], *, max_bytes: int
) -> list[bytes | None]:
    """The object ``keys[i]`` of each ``stores[i]``, at most ``max_bytes`` long, or None where
    it was not read here (not on S3, or the read failed, or it is longer): read those with
    ``store.read``, which gives the usual error. S3 stores sharing a filesystem are read
    concurrently, one ranged GET each."""
    return [
        None if got is None else got[0]
        for got in read_each_tagged(stores, keys, max_bytes=max_bytes)
    ]


def read_each_tagged(
    stores: Sequence[Store], keys: Sequence[str], *, max_bytes: int
) -> list[tuple[bytes, str | None] | None]:
    """``read_each``, each object's bytes with the tag of the object the GET answered with
    (``object_tag`` of its ``ETag`` and size: the same as a listing's for the same object),
    or None where it was not read here."""
    import asyncio

    from fsspec.asyn import sync

    out: list[tuple[bytes, str | None] | None] = [None] * len(stores)
    for group in _groups(stores):
        fs = _fsspec(stores[group[0]]).fs
        paths = [stores[i].arrow_path(keys[i]) for i in group]

        async def get(path: str, fs: Any = fs) -> tuple[bytes, str | None]:
            bucket, key, _ = fs.split_path(path)
            # one ranged GET, as s3fs's _cat_file makes it, keeping the answer's ETag
            answer = await fs._call_s3(
                "get_object", Bucket=bucket, Key=key, Range=f"bytes=0-{max_bytes}"
            )
            body = answer["Body"]
            try:
                data: bytes = await body.read()
            finally:
                body.close()
            return data, object_tag(answer.get("ETag"), len(data))

        async def fetch(paths: list[str] = paths) -> list[Any]:
            return await asyncio.gather(*(get(p) for p in paths), return_exceptions=True)

        for i, got in zip(group, sync(fs.loop, fetch), strict=True):
            if isinstance(got, tuple) and len(got[0]) <= max_bytes:
                out[i] = got
    return out


def glob_stores(
    pattern: str, storage_options: dict[str, Any] | None
) -> tuple[list[str], list[Listing]]:
    """The locations a glob names, sorted, as fsspec's ``glob`` matches them (files and
    directories), each spelled with the pattern's protocol; and the flat listings made on the
    way, for ``list_each``. On S3 (a pattern without ``**``) one flat listing of the glob's
    directory finds the matches when it is complete; otherwise fsspec's ``glob`` does."""
    from fsspec.core import url_to_fs

    fs, path = url_to_fs(pattern, **(storage_options or {}))
    protocol = pattern.split("://", 1)[0] if "://" in pattern else ""
    listings: list[Listing] = []
    matched: list[str] | None = None
    protocols = {fs.protocol} if isinstance(fs.protocol, str) else set(fs.protocol)
    magic = min((i for i in (path.find(c) for c in "*?[") if i >= 0), default=-1)
    if magic > 0 and protocols & _S3 and "**" not in path and not getattr(fs, "version_aware", 0):
        root = path[: path.rindex("/", 0, magic) + 1] if "/" in path[:magic] else ""
        if root.count("/") >= 1 and not root.startswith("/"):
            listing = flat_listing(fs, path[:magic])  # the stem too, as fsspec's glob lists
            listings.append(listing)
            if listing.complete:
                matched = _glob_in(path, root, listing.keys, only_dirs=pattern.endswith("/"))
    if matched is None:
        matched = sorted(str(p) for p in fs.glob(path))
    if protocol and protocol != "file":
        matched = [f"{protocol}://{p.lstrip('/')}" for p in matched]
    return matched, listings


def _glob_in(path: str, root: str, keys: Sequence[str], *, only_dirs: bool = False) -> list[str]:
    """What fsspec's ``glob(path)`` finds among the files ``keys`` and their directories:
    the files and directories under ``root`` down to the pattern's depth that match it (only
    the directories with ``only_dirs``: a pattern that ended in ``/``, which fsspec strips
    from ``path``).

    >>> _glob_in("b/s/*.hdmf", "b/s/", ["b/s/a.hdmf/_hdmf/v/1.json", "b/s/x.txt", "b/s/c.hdmf"])
    ['b/s/a.hdmf', 'b/s/c.hdmf']
    >>> _glob_in("b/s/*", "b/s/", ["b/s/a.hdmf/_hdmf/v/1.json", "b/s/x.txt"], only_dirs=True)
    ['b/s/a.hdmf']
    """
    from fsspec.utils import glob_translate

    depth = path[len(root) :].count("/") + 1
    pattern = re.compile(glob_translate(path))
    found: set[str] = set()
    for key in keys:
        names = key[len(root) :].split("/")
        for k in range(1, min(depth, len(names)) + 1):
            if k < len(names) or (names[-1] and not only_dirs):  # a directory, or a file
                found.add(root + "/".join(names[:k]))
    return sorted(p for p in found if pattern.match(p))


def _each(work: Callable[[int], Any], items: list[int]) -> list[Any]:
    from concurrent.futures import ThreadPoolExecutor

    if len(items) < 2:
        return [work(i) for i in items]
    with ThreadPoolExecutor(min(THREADS, len(items))) as pool:
        return list(pool.map(work, items))
