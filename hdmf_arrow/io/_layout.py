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
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hdmf_arrow.arrow.metadata import FORMAT_VERSION, check_format_version
from hdmf_arrow.errors import CorruptStoreError, FormatVersionError, StoreConflictError

if TYPE_CHECKING:
    from hdmf_arrow.storage import Store

VERSIONS = "_hdmf/versions"
_VERSION_FILE = re.compile(r"^(\d{20})\.json$")


def version_key(version: int) -> str:
    """>>> version_key(3)
    '_hdmf/versions/00000000000000000003.json'
    """
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

    def to_json(self) -> bytes:
        doc = {
            "format_version": self.format_version,
            "version": self.version,
            "parent": self.parent,
            "created": self.created,
            "summary": self.summary,
            "namespaces": list(self.namespaces),
            "root": self.root,
        }
        return json.dumps(doc, separators=(",", ":")).encode()

    @classmethod
    def parse(cls, raw: bytes, *, source: str) -> Manifest:
        try:
            doc = json.loads(raw)
            check_format_version(str(doc["format_version"]), source=source)
            return cls(
                version=int(doc["version"]),
                root=dict(doc["root"]),
                created=str(doc.get("created", "")),
                summary=str(doc.get("summary", "")),
                parent=None if doc.get("parent") is None else int(doc["parent"]),
                namespaces=tuple(dict(e) for e in doc.get("namespaces", ())),
                format_version=str(doc["format_version"]),
            )
        except FormatVersionError:
            raise
        except (ValueError, KeyError, TypeError) as exc:
            msg = (
                f"{source} does not parse ({exc!r}). Hint: open an older version with "
                f"version=N, or run `hdmf-arrow info` to list the versions."
            )
            raise CorruptStoreError(msg) from None


def versions(store: Store) -> list[int]:
    """Committed versions, oldest first (one listing request)."""
    found = []
    for key in store.list(VERSIONS):
        m = _VERSION_FILE.match(key.rsplit("/", 1)[-1])
        if m:
            found.append(int(m.group(1)))
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
            raise FileNotFoundError(msg)
        version = have[-1]
    key = version_key(version)
    try:
        raw = store.read(key)
    except FileNotFoundError:
        have = versions(store)
        shown = f"{have[:10]}{'...' if len(have) > 10 else ''}"
        msg = f"store {store.url} has no version {version} (versions: {shown})"
        raise FileNotFoundError(msg) from None
    manifest = Manifest.parse(raw, source=f"manifest {key} of store {store.url}")
    if manifest.version != version:
        msg = f"manifest {key} of store {store.url} says it is version {manifest.version}"
        raise CorruptStoreError(msg)
    return manifest


def commit(store: Store, manifest: Manifest) -> None:
    """Create the manifest of ``manifest.version``; StoreConflictError if it exists."""
    try:
        store.create(version_key(manifest.version), manifest.to_json())
    except FileExistsError:
        msg = (
            f"another writer committed version {manifest.version} of store {store.url} first "
            f"(this writer started from version {manifest.parent}); nothing of theirs was "
            f"changed. Hint: reopen the store and apply your change again."
        )
        raise StoreConflictError(msg) from None


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def data_files(node: dict[str, Any]) -> list[str]:
    """Every data file a manifest node (and its children) refers to."""
    out = [str(f["path"]) for f in node.get("files", ())]
    for child in node.get("children", ()):
        out.extend(data_files(child))
    return out
