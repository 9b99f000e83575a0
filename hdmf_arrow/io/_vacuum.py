"""Vacuum: delete what no retained version of a store uses, and nothing else.

The rules (docs/format.md, section 8):

- keys are compared normalised (``data/x//f.parquet`` and ``./data/x/f.parquet`` name
  ``data/x/f.parquet``), so a live file is never mistaken for garbage;
- vacuum refuses to run when any manifest is unreadable or lists a file outside its object's
  directory: with a version it cannot read, it cannot know what is garbage;
- only ``data/`` and the temporary files of ``_hdmf/versions/`` are ever deleted, and a
  symbolic link below the store stops it (the store refuses to list through one);
- unreferenced files younger than the grace period are kept (a commit in flight writes its
  files before its manifest names them); files whose age is unknown count as young;
- versions expire only when asked (``retain_versions``): their manifests go first, oldest
  first, then the files only they used, so a crash part way leaves no manifest naming a
  deleted file.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING, Any

from hdmf_arrow.errors import CorruptStoreError, FormatVersionError, HdmfArrowError
from hdmf_arrow.io import _layout
from hdmf_arrow.storage import check_key

log = logging.getLogger("hdmf_arrow")

if TYPE_CHECKING:
    from hdmf_arrow.storage import Store

DEFAULT_GRACE = dt.timedelta(hours=1)


def referenced_files(store: Store, version: int) -> set[str]:
    """The normalised keys of the data files ``version`` refers to; CorruptStoreError if its
    manifest cannot be read or names a file outside its object's directory."""
    try:
        manifest = _layout.read_manifest(store, version)
        return _files_of(manifest.root, store, version)
    except (CorruptStoreError, FormatVersionError, FileNotFoundError) as exc:
        msg = (
            f"vacuum of store {store.url} refused: version {version} cannot be read ({exc}); "
            f"nothing was deleted. Hint: restore or remove that manifest first."
        )
        raise CorruptStoreError(msg) from None


def _files_of(node: dict[str, Any], store: Store, version: int) -> set[str]:
    out: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        files = current.get("files", [])
        nested = [current.get(key, []) for key in _layout.NESTED]
        if not isinstance(files, list) or not all(isinstance(n, list) for n in nested):
            msg = (
                f"version {version} has a node whose files, children, members or categories "
                f"are not lists"
            )
            raise CorruptStoreError(msg)
        children = [c for n in nested for c in n]
        if not all(isinstance(c, dict) for c in children):
            msg = f"version {version} has a node whose children are not all nodes"
            raise CorruptStoreError(msg)
        directory = f"data/{current.get('object_id')}/"
        for entry in files:
            try:
                key = check_key(str(entry["path"]), store=store.url)
            except (HdmfArrowError, KeyError, TypeError) as exc:
                msg = f"version {version} lists a data file that is not a store key ({exc})"
                raise CorruptStoreError(msg) from None
            if not key.startswith(directory):
                msg = (
                    f"version {version} lists data file {key!r:.120} for object "
                    f"{current.get('object_id')!r:.60}, outside its directory {directory}"
                )
                raise CorruptStoreError(msg)
            out.add(key)
        stack.extend(children)
    return out


def vacuum_store(
    store: Store,
    older_than: dt.timedelta,
    retain_versions: int | None,
    *,
    dry_run: bool,
) -> list[str]:
    """Delete expired manifests and unused data files; returns the keys (see the module)."""
    have = _layout.versions(store)
    if not have:  # not a store, or its manifests are gone: nothing is certainly garbage
        msg = (
            f"vacuum of store {store.url} refused: it holds no version (no manifests under "
            f"{_layout.VERSIONS}/), so nothing under data/ is known to be garbage; nothing "
            f"was deleted. Hint: check the location."
        )
        raise CorruptStoreError(msg)
    listed = store.list_modified(_layout.VERSIONS)
    nested = [k for k in listed if k.count("/") != _layout.VERSIONS.count("/") + 1]
    if nested:
        msg = (
            f"vacuum of store {store.url} refused: {nested[0]!r:.120} is not a manifest of "
            f"{_layout.VERSIONS}/ (a version may be hidden in a directory); nothing was "
            f"deleted. Hint: restore the manifests as files of {_layout.VERSIONS}/."
        )
        raise CorruptStoreError(msg)
    expired = have[:-retain_versions] if retain_versions else []
    kept_versions = have[len(expired) :]
    live: set[str] = set()
    for version in kept_versions:
        live |= referenced_files(store, version)
    cutoff = time.time() - older_than.total_seconds()

    def old_enough(modified: float | None) -> bool:
        if older_than <= dt.timedelta(0):
            return True
        return modified is not None and modified < cutoff

    data = store.list_modified("data")
    garbage = sorted(
        key
        for key, modified in data.items()
        if check_key(key, store=store.url) not in live and old_enough(modified)
    )
    unfinished = sorted(
        key for key, modified in listed.items() if key.endswith(".tmp") and old_enough(modified)
    )
    manifests = [_layout.version_key(v) for v in expired]
    deleted = [*manifests, *unfinished, *garbage]
    if not dry_run:
        for key in deleted:  # manifests first: no manifest is left naming a deleted file
            store.delete(key)
    log.info(
        "vacuum of %s%s: %d expired manifest(s), %d unfinished commit file(s), %d unused data "
        "file(s)",
        store.url,
        " (dry run: nothing deleted)" if dry_run else "",
        len(manifests),
        len(unfinished),
        len(garbage),
    )
    return deleted
