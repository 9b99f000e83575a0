"""The store's layout: versioned manifests under ``_hdmf/versions/`` and data under ``data/``.

```
<store>/_hdmf/versions/00000000000000000001.json   one manifest per version, never rewritten
<store>/data/<object_id>/<uuid>.parquet             immutable data files
```

A commit writes its data files first, then creates manifest N+1 with a create-only write.
Until that write succeeds nothing new is visible; if it fails because N+1 exists, another
writer won the race. docs/format.md is the normative description.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from hdmf_arrow.arrow.metadata import FORMAT_VERSION, check_format_version
from hdmf_arrow.errors import (
    CorruptStoreError,
    FormatVersionError,
    InvalidVersionError,
    NotAStoreError,
    StoreConflictError,
    StoreLimitError,
)

if TYPE_CHECKING:
    from hdmf_arrow.storage import Store

VERSIONS = "_hdmf/versions"
MAX_VERSION = 10**20 - 1  # the largest number a 20-digit key holds
MAX_MANIFEST_BYTES = 256 * 2**20


def check_version(version: object, *, store: str) -> int:
    """``version`` if it names a version: an int from 1 to MAX_VERSION (not a bool, not a
    float: ``version=1.5`` or ``True`` is a mistake, not a version).

    >>> check_version(2, store="s")
    2
    >>> check_version(0, store="s")
    Traceback (most recent call last):
    hdmf_arrow.errors.InvalidVersionError: version=0 of store s: versions are numbered from 1 ...
    """
    if isinstance(version, bool) or not isinstance(version, int | np.integer):
        msg = (
            f"version={version!r:.40} of store {store}: a version is an int "
            f"(found {type(version).__name__}). Hint: ParquetIO(...).versions() lists them."
        )
        raise InvalidVersionError(msg)
    if not 1 <= version <= MAX_VERSION:
        msg = (
            f"version={version} of store {store}: versions are numbered from 1 to "
            f"{MAX_VERSION}. Hint: leave version unset for the newest."
        )
        raise InvalidVersionError(msg)
    return int(version)


def version_key(version: int) -> str:
    """>>> version_key(3)
    '_hdmf/versions/00000000000000000003.json'
    """
    if not 1 <= version <= MAX_VERSION:
        msg = f"version {version} does not fit the 20-digit manifest key (1..{MAX_VERSION})"
        raise StoreLimitError(msg)
    return f"{VERSIONS}/{version:020d}.json"


@dataclass(frozen=True, slots=True)
class Manifest:
    """One committed version: the container tree and, per table, its data files."""

    version: int
    root: dict[str, Any]
    created: str
    summary: str
    parent: int | None
    namespaces: tuple[dict[str, str], ...] = ()  # cached specs (io/_specs.py)
    format_version: str = FORMAT_VERSION
    operation: str = "write"  # what made the version: write, append, add_column, ...

    def to_json(self) -> bytes:
        doc = {
            "format_version": self.format_version,
            "version": self.version,
            "parent": self.parent,
            "created": self.created,
            "summary": self.summary,
            "operation": self.operation,
            "namespaces": list(self.namespaces),
            "root": self.root,
        }
        return json.dumps(doc, separators=(",", ":")).encode()

    @classmethod
    def parse(cls, raw: bytes, *, source: str) -> Manifest:
        try:
            doc = json.loads(raw)
            if not isinstance(doc, dict):
                msg = f"a JSON object, found {type(doc).__name__}"
                raise TypeError(msg)
            check_format_version(str(doc["format_version"])[:40], source=source)
            version, parent = doc["version"], doc.get("parent")
            for value in (version, parent):
                if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                    msg = f"version numbers must be ints, found {type(value).__name__}"
                    raise TypeError(msg)
            return cls(
                version=int(version),
                root=dict(doc["root"]),
                created=str(doc.get("created", "")),
                summary=str(doc.get("summary", "")),
                parent=None if parent is None else int(parent),
                namespaces=tuple(dict(e) for e in doc.get("namespaces", ())),
                format_version=str(doc["format_version"]),
                operation=str(doc.get("operation", "write"))[:40],
            )
        except FormatVersionError:
            raise
        except RecursionError:
            msg = f"{source} is nested too deeply to be a manifest"
            raise CorruptStoreError(msg) from None
        except (ValueError, KeyError, TypeError, OverflowError) as exc:
            reason = f"{type(exc).__name__}: {str(exc)[:120]}"  # never the file's contents
            msg = (
                f"{source} does not parse ({reason}). Hint: open an older version with "
                f"version=N, or run `hdmf-arrow history` to list the versions."
            )
            raise CorruptStoreError(msg) from None


def versions(store: Store) -> list[int]:
    """Committed versions, oldest first (one listing request)."""
    return versions_in(store.list(VERSIONS))


def versions_in(keys: list[str]) -> list[int]:
    """The committed versions that the keys of a store's listing of ``VERSIONS`` name, oldest
    first (a temporary file of a commit in flight names none): files named by 20 ASCII
    digits and ``.json``, directly in ``VERSIONS``. String tests, not a regular expression:
    a store of 1,000 versions is opened in 1 ms less.

    >>> v = "_hdmf/versions"
    >>> nested = f"{v}/a/{3:020}.json"
    >>> versions_in([f"{v}/{2:020}.json", f"{v}/x.json", f"{v}/{1:020}.json", nested])
    [1, 2]
    """
    found = []
    depth = VERSIONS.count("/") + 1
    for key in keys:
        name = key.rpartition("/")[2]
        digits = name[:20]
        if (
            len(name) == 25
            and name.endswith(".json")
            and digits.isascii()
            and digits.isdigit()
            and key.count("/") == depth
            and int(digits) >= 1
        ):
            found.append(int(digits))
    return sorted(found)


def read_manifest(store: Store, version: int | None = None) -> Manifest:
    """The manifest of ``version`` (the newest if None)."""
    if version is None:
        have = versions(store)
        if not have:
            msg = (
                f"{store.url} is not an hdmf-arrow store (no {VERSIONS}/ manifests). "
                f"Hint: write one with hdmf_arrow.write(container, location) or "
                f"ParquetIO(location, mode='w')."
            )
            raise NotAStoreError(msg)
        version = have[-1]
    version = check_version(version, store=store.url)
    key = version_key(version)
    try:
        raw = store.read(key, max_bytes=MAX_MANIFEST_BYTES)
    except FileNotFoundError:
        have = versions(store)
        shown = f"{have[:10]}{'...' if len(have) > 10 else ''}"
        msg = f"store {store.url} has no version {version} (versions: {shown})"
        raise FileNotFoundError(msg) from None
    return parse_manifest(raw, store.url, version)


def parse_manifest(raw: bytes, store: str, version: int) -> Manifest:
    """The manifest of ``version`` of the store at ``store`` from its bytes, checked as
    ``read_manifest`` checks it."""
    key = version_key(version)
    manifest = Manifest.parse(raw, source=f"manifest {key} of store {store}")
    if manifest.version != version:
        msg = f"manifest {key} of store {store} says it is version {manifest.version}"
        raise CorruptStoreError(msg)
    return manifest


def commit(store: Store, manifest: Manifest) -> None:
    """Create the manifest of ``manifest.version``; StoreConflictError if it exists."""
    if manifest.version > MAX_VERSION:
        msg = (
            f"store {store.url} is at version {manifest.parent}, the largest a manifest key "
            f"holds; no version was committed"
        )
        raise StoreLimitError(msg)
    data = manifest.to_json()
    if len(data) > MAX_MANIFEST_BYTES:
        msg = (
            f"the manifest of version {manifest.version} of store {store.url} would be "
            f"{len(data):,} bytes, past the limit of {MAX_MANIFEST_BYTES:,}; nothing was "
            f"committed. Hint: compact the store's tables (fewer, larger files)."
        )
        raise StoreLimitError(msg)
    try:
        store.create(version_key(manifest.version), data)
    except FileExistsError:
        msg = (
            f"another writer committed version {manifest.version} of store {store.url} first "
            f"(this writer started from version {manifest.parent}); nothing was committed and "
            f"nothing of theirs was changed. Hint: open the store again "
            f"(ParquetIO(location, 'a')), read the tree, apply your change to it and write "
            f"it. (Writing this same container through the new handle works only where no "
            f"other writer changed what it holds; otherwise it is refused, not merged.)"
        )
        raise StoreConflictError(msg) from None


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


NESTED = ("children", "members", "categories")  # the keys of a node that hold nodes (6.1)


def child_nodes(node: dict[str, Any]) -> list[Any]:
    """The nodes a node holds: its children, and a table's members and categories. Every walk
    over a manifest (vacuum above all: a node it misses loses its files) goes through here."""
    return [child for key in NESTED for child in node.get(key, ())]


def data_files(node: dict[str, Any]) -> list[str]:
    """Every data file a manifest node (and the nodes it holds) refers to, as listed."""
    out = [str(f["path"]) for f in node.get("files", ())]
    for child in child_nodes(node):
        out.extend(data_files(child))
    return out


def unparsable_tree(where: str, store: str, exc: BaseException) -> CorruptStoreError:
    """The error for manifest ``where`` of ``store`` whose tree does not parse (``exc``: what
    walking it raised)."""
    msg = (
        f"manifest {where} of store {store} describes a tree that does not parse "
        f"({type(exc).__name__}: {str(exc)[:120]}). Hint: open an older version with "
        f"version=N; `hdmf-arrow info` lists them."
    )
    return CorruptStoreError(msg)
