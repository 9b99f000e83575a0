"""Editing a store's files behind its back, as the tests of damaged stores do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def store_root(path: Path) -> Path:
    """The store holding the file at ``path`` (the nearest folder with ``_hdmf``)."""
    for parent in path.parents:
        if (parent / "_hdmf").is_dir():
            return parent
    msg = f"{path} is in no store"
    raise ValueError(msg)


def relist_size(path: Path) -> None:
    """Make every manifest of the store that lists the data file at ``path`` list its
    current size: a test that rewrites a file to damage it in another way (its columns, its
    values) gets past the size check that would refuse any rewritten file."""
    root = store_root(path)
    key = path.relative_to(root).as_posix()
    size = path.stat().st_size

    def fix(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("path") == key and "num_bytes" in node:
                node["num_bytes"] = size
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    for manifest in (root / "_hdmf" / "versions").glob("*.json"):
        doc = json.loads(manifest.read_bytes())
        fix(doc)
        manifest.write_bytes(json.dumps(doc).encode())
