"""The namespaces a store's data types come from, cached in the store (``_hdmf/specs/``).

Writing caches every namespace the tree uses, and those it includes, as YAML:
``_hdmf/specs/<namespace>/<version>/namespace.yaml`` plus one file per source. The files are
created once and never changed (a version's specs do not change). Reading loads the cached
namespaces that the reader's type map lacks, so extension tables come back as their classes
in a process that never saw the extension's YAML files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hdmf_arrow.common import Container, DynamicTable
from hdmf_arrow.common._walk import walk
from hdmf_arrow.errors import CorruptStoreError, HdmfArrowError
from hdmf_arrow.spec import dump_specs
from hdmf_arrow.spec._yaml import dump_yaml, load_yaml

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hdmf_arrow.common import TypeMap
    from hdmf_arrow.spec import SpecNamespace
    from hdmf_arrow.storage import Store

SPECS = "_hdmf/specs"


def used_namespaces(root: Container) -> set[str]:
    """The namespaces of every container, table and column in the tree."""
    found: set[str] = set()
    for node in walk(root):
        found.add(node.namespace)
        if isinstance(node, DynamicTable):
            found.update(col.namespace for col in node.columns)
    found.discard(None)  # type: ignore[arg-type]  # the untyped parts
    return found


def cache_namespaces(
    store: Store,
    type_map: TypeMap,
    names: set[str],
    cached: Sequence[dict[str, str]] = (),
) -> list[dict[str, str]]:
    """Cache ``names`` and the namespaces they include; returns the manifest entries.

    ``cached`` are the entries of the version this commit starts from: those namespaces (same
    version) are in the store already and are not written again. Namespaces the type map
    does not know (a class registered without a spec) are skipped: readers then report
    those types as unknown.
    """
    catalog = type_map.namespace_catalog
    known = set(catalog.namespaces)
    done = {(e["name"], e["version"]): e for e in cached}
    todo = sorted(n for n in names if n in known)
    entries: dict[str, dict[str, str]] = {}
    files: dict[str, bytes] = {}
    while todo:
        name = todo.pop()
        if name in entries:
            continue
        ns = catalog.get_namespace(name)
        version = ns.version or ""
        base = f"{SPECS}/{name}/{version or 'unversioned'}"
        if (name, version) not in done:
            files.update((f"{base}/{key}", text.encode()) for key, text in _documents(ns).items())
        entries[name] = {"name": name, "version": version, "path": base}
        todo += [e.namespace for e in ns.schema if e.namespace and e.namespace not in entries]
    # all at once (one fsync per directory, not per file); a file cached by an earlier commit
    # is left as it is: a namespace version's specs do not change
    store.create_many(files)
    return sorted(entries.values(), key=lambda e: e["name"])


_DOCUMENTS: dict[tuple[str, str | None], tuple[SpecNamespace, dict[str, str]]] = {}


def _documents(ns: SpecNamespace) -> dict[str, str]:
    """The YAML files of a namespace (namespace.yaml and its sources), made once per
    namespace version in a process: a version's specs do not change."""
    key = (ns.name, ns.version)
    hit = _DOCUMENTS.get(key)
    if hit is not None and hit[0] is ns:
        return hit[1]
    texts = {"namespace.yaml": dump_yaml({"namespaces": [ns.to_dict()]})}
    texts.update((source, dump_specs(specs)) for source, specs in ns.own_sources().items())
    _DOCUMENTS[key] = (ns, texts)
    return texts


def load_cached(store: Store, type_map: TypeMap, entries: list[dict[str, Any]]) -> None:
    """Load the cached namespaces ``type_map`` lacks (those an entry includes first)."""
    catalog = type_map.namespace_catalog
    pending = [e for e in entries if e.get("name") not in catalog.namespaces]
    while pending:
        progress = False
        for entry in list(pending):
            base = str(entry["path"])
            doc = _read(store, f"{base}/namespace.yaml")
            includes = [
                s.get("namespace")
                for n in doc.get("namespaces", ())
                for s in n.get("schema", ())
                if isinstance(s, dict) and s.get("namespace")
            ]
            if any(i not in catalog.namespaces for i in includes):
                continue
            sources = {
                str(s["source"]): _read(store, f"{base}/{s['source']}")
                for n in doc.get("namespaces", ())
                for s in n.get("schema", ())
                if isinstance(s, dict) and s.get("source")
            }
            catalog.load_namespace_documents(doc, sources, origin=f"{store.url}/{base}")
            pending.remove(entry)
            progress = True
        if not progress:
            names = [str(e.get("name")) for e in pending]
            msg = (
                f"store {store.url}: cached namespaces {names} include namespaces that are "
                f"neither cached nor loaded"
            )
            raise CorruptStoreError(msg)


MAX_SPEC_BYTES = 16 * 2**20  # a cached spec file; hdmf-common's largest is ~30 KB


def _read(store: Store, key: str) -> Any:
    try:
        return load_yaml(store.read(key, max_bytes=MAX_SPEC_BYTES).decode())
    except RecursionError:
        msg = f"cached spec {key!r} of store {store.url} is nested too deeply to be a spec"
        raise CorruptStoreError(msg) from None
    except (FileNotFoundError, UnicodeDecodeError, HdmfArrowError, ValueError) as exc:
        reason = f"{type(exc).__name__}: {str(exc)[:200]}"  # not the file's contents
        msg = f"cached spec {key!r} of store {store.url} cannot be read ({reason})"
        raise CorruptStoreError(msg) from None
