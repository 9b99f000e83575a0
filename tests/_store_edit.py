"""Editing a store's files behind its back, as the tests of damaged stores do."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def store_root(path: Path) -> Path:
    """The store holding the file at ``path`` (the nearest folder with ``_hdmf``)."""
    for parent in path.parents:
        if (parent / "_hdmf").is_dir():
            return parent
    msg = f"{path} is in no store"
    raise ValueError(msg)


def edit_manifests(location: Path, fix: Callable[[dict[str, Any]], None]) -> None:
    """Call ``fix`` on every JSON object of every manifest of the store at ``location`` (it
    edits them in place), and write the manifests back."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            fix(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for manifest in (location / "_hdmf" / "versions").glob("*.json"):
        doc = json.loads(manifest.read_bytes())
        walk(doc)
        manifest.write_bytes(json.dumps(doc).encode())


def relist_size(path: Path) -> None:
    """Make every manifest of the store that lists the data file at ``path`` list its
    current size: a test that rewrites a file to damage it in another way (its columns, its
    values) gets past the size check that would refuse any rewritten file."""
    root = store_root(path)
    key = path.relative_to(root).as_posix()
    size = path.stat().st_size

    def fix(node: dict[str, Any]) -> None:
        if node.get("path") == key and "num_bytes" in node:
            node["num_bytes"] = size

    edit_manifests(root, fix)
