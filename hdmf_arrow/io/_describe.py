"""A text description of a stored tree, from its manifest alone (no data is read)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hdmf_arrow.arrow import ragged
from hdmf_arrow.io._tree import _schema_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hdmf_arrow.common import Container
    from hdmf_arrow.io._tree import Node


def describe_tree(root: Node) -> list[str]:
    """One line per container, and one per table column with its Arrow type.

    >>> node = {"kind": "group", "name": "s", "data_type": "SimpleMultiContainer",
    ...         "children": []}
    >>> describe_tree(node)
    ['s  SimpleMultiContainer']
    """
    lines: list[str] = []
    _describe(root, "", "", lines)
    return lines


def _describe(node: Node, lead: str, child_lead: str, lines: list[str]) -> None:
    kind = node.get("kind")
    untyped = "link" if kind == "link" else "dataset" if kind == "data" else "group"
    head = f"{lead}{node['name']}  {node['data_type'] or untyped}"
    if kind == "data" and "value" in node:
        head += f"  = {node['value']!r:.60}"
    elif kind == "link":
        head += f" -> {node.get('target')}"
    elif kind in ("table", "data", "csr"):
        files = node.get("files", ())
        size = sum(int(f.get("num_bytes", 0)) for f in files)
        if node.get("kind") == "csr":
            rows, cols = node["shape"]
            values = sum(f.get("value_counts", {}).get("data", [0])[0] for f in files)
            head += f"  {rows} x {cols}, {values} stored values"
        else:
            head += f"  {node['num_rows']} rows"
        head += f", {len(files)} file(s), {_bytes(size)}"
    lines.append(head)
    if node.get("kind") == "table":
        schema = _schema_of(node["schema"], where=str(node["name"]))
        columns: dict[str, Any] = node["table"].get("columns", {})
        for field in schema:
            meta = columns.get(field.name, {})
            lines.append(f"{child_lead}    {field.name}: {field.type}{_note(field.type, meta)}")
    _branches(node.get("children", ()), child_lead, lines, _describe)


def _note(arrow_type: Any, meta: dict[str, Any]) -> str:
    notes = []
    depth = ragged.list_depth(arrow_type)
    if depth:
        notes.append("ragged" if depth == 1 else f"ragged x{depth}")
    target = meta.get("target")
    if target:
        notes.append(f"-> {target['name']}")
    if meta.get("elements") is not None:
        shown = ", ".join(map(str, meta["elements"][:5]))
        notes.append(f"enum: {shown}{', ...' if len(meta['elements']) > 5 else ''}")
    return f"  ({'; '.join(notes)})" if notes else ""


def _bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def describe_containers(root: Container) -> list[str]:
    """One line per container of an in-memory (or HDF5-backed) tree, and one per table
    column with its Arrow type; lengths come from the containers, no data is read.

    >>> from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
    >>> t = DynamicTable(name="trials", description="d")
    >>> t.add_column("start", "start", data=[0.0, 1.0])
    >>> describe_containers(SimpleMultiContainer("s", [t]))
    ['s  SimpleMultiContainer', '└── trials  DynamicTable  2 rows', '        start: double']
    """
    lines: list[str] = []
    _describe_container(root, "", "", lines)
    return lines


def _describe_container(node: Container, lead: str, child_lead: str, lines: list[str]) -> None:
    from hdmf_arrow.common import CSRMatrix, Data, Dataset, DynamicTable, Link

    kind = node.data_type
    if kind is None:
        kind = (
            "link" if isinstance(node, Link) else "dataset" if isinstance(node, Data) else "group"
        )
    head = f"{lead}{node.name}  {kind}"
    if isinstance(node, Link):
        target = node.target
        head += f" -> {target.name if target is not None else '?'}"
    elif isinstance(node, DynamicTable):
        head += f"  {len(node)} rows"
    elif isinstance(node, Dataset) and node.is_scalar:
        head += f"  = {node.scalar!r:.60}"
    elif isinstance(node, Data):
        head += f"  {node.dtype}, {len(node)} rows"
    elif isinstance(node, CSRMatrix):
        head += f"  {node.shape[0]} x {node.shape[1]}"
    lines.append(head)
    if isinstance(node, DynamicTable):
        for name in node.colnames:
            col = node.get_column(name)
            lines.append(f"{child_lead}    {name}: {col.dtype}")
        return
    _branches(node.children, child_lead, lines, _describe_container)


def _branches(children: Sequence[Any], lead: str, lines: list[str], draw: Any) -> None:
    """Draw each child under ``lead`` with ``draw(child, lead, child_lead, lines)``."""
    for i, child in enumerate(children):
        last = i == len(children) - 1
        draw(child, lead + ("└── " if last else "├── "), lead + ("    " if last else "│   "), lines)
