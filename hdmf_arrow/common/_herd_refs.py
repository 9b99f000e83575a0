"""What HERD rows refer to: the "file" of a container, attribute paths in specs, the
objects of a tree, TermSet entries; and the flat (joined) view of the six tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from hdmf_arrow.common._table import DynamicTable
from hdmf_arrow.common._walk import walk

if TYPE_CHECKING:
    import pandas as pd

    from hdmf_arrow.common._container import Container
    from hdmf_arrow.common._herd import HERD
    from hdmf_arrow.common._herd_tables import HerdTable

FLAT_COLUMNS = (
    ("files", "file_object_id"),
    ("objects", "objects_idx"),
    ("objects", "object_id"),
    ("objects", "files_idx"),
    ("objects", "object_type"),
    ("objects", "relative_path"),
    ("objects", "field"),
    ("keys", "keys_idx"),
    ("keys", "key"),
    ("entities", "entities_idx"),
    ("entities", "entity_id"),
    ("entities", "entity_uri"),
)
_IDX = ("keys_idx", "objects_idx", "files_idx", "entities_idx")


class HERDManager:
    """Mixin marking a container as a "file" for HERD (hdmf's ``HERDManager``).

    ``external_resources`` is the HERD the file carries; ``link_resources`` links another
    one (not written with the file).

    Examples
    --------
    >>> from hdmf_arrow.common import SimpleMultiContainer
    >>> class Session(HERDManager, SimpleMultiContainer):
    ...     pass
    >>> session = Session("session")
    >>> session.external_resources is None
    True
    """

    _linked_external_resources: HERD | None = None

    @property
    def external_resources(self) -> HERD | None:
        """The HERD of this file: the one set, or a HERD among its children."""
        from hdmf_arrow.common._herd import HERD

        found = getattr(self, "_external_resources", None)
        if found is None:
            children = getattr(self, "children", ())
            found = next((c for c in children if isinstance(c, HERD)), None)
        return found

    @external_resources.setter
    def external_resources(self, value: HERD | None) -> None:
        self._external_resources = value

    def link_resources(self, external_resources: HERD) -> None:
        """Link a HERD to this file without making it part of the file."""
        self._linked_external_resources = external_resources

    def get_external_resources(self, linked: bool = False) -> HERD | None:
        """The linked HERD (``linked=True``) or the file's own."""
        return self._linked_external_resources if linked else self.external_resources


def is_container(value: object) -> bool:
    """Ours or hdmf's: an object with an object id and a parent."""
    return hasattr(value, "object_id") and hasattr(value, "parent") and not isinstance(value, str)


def is_file(value: object) -> bool:
    """A HERDManager: ours, or hdmf's (``hdmf.HERDManager``, matched by name)."""
    return isinstance(value, HERDManager) or any(
        c.__name__ == "HERDManager" for c in type(value).__mro__
    )


def is_data(value: object) -> bool:
    """A dataset: ours or hdmf's ``Data``."""
    return any(c.__name__ == "Data" for c in type(value).__mro__)


def label(container: Any) -> str:
    """``container 'name'``, for messages."""
    return f"container {getattr(container, 'name', container)!r}"


def term_info(info: Any) -> tuple[str, str]:
    """``(entity_id, entity_uri)`` from a TermSet's Term (id, description, meaning) or a
    pair."""
    if hasattr(info, "id") and hasattr(info, "meaning"):
        return str(info.id), str(info.meaning)
    values = list(info)
    if len(values) == 2:
        return str(values[0]), str(values[1])
    return str(values[0]), str(values[2])


def find_attribute(spec: Any, attribute: str) -> str | bool | None:
    """The path of ``attribute`` in ``spec``: on the spec itself, or inside its untyped
    datasets and groups (``"data/unit"``); False when it is only inside a typed part; None
    when the spec does not have it."""
    if any(getattr(a, "name", None) == attribute for a in getattr(spec, "attributes", ())):
        return attribute
    in_typed = False
    for part in (*getattr(spec, "datasets", ()), *getattr(spec, "groups", ())):
        inner = find_attribute(part, attribute)
        if inner is None or inner is False:
            continue
        typed = getattr(part, "data_type_def", None) or getattr(part, "data_type_inc", None)
        if typed:
            in_typed = True
            continue
        return f"{part.name}/{inner}"
    return False if in_typed else None


def tree_objects(root: Container) -> dict[str, Any]:
    """Object id -> object, for every object of the tree under ``root`` that a HERD row may
    refer to: its containers, and the ids and columns of its tables."""
    out: dict[str, Any] = {}
    for node in walk(root):
        out[node.object_id] = node
        if isinstance(node, DynamicTable):
            for part in (node.id, *node.columns):
                out.setdefault(part.object_id, part)
    return out


def flatten(tables: dict[str, HerdTable], *, use_categories: bool = False) -> pd.DataFrame:
    """The six tables joined: one row per (object, key, entity) link, in object_keys order
    and then entity_keys order (hdmf's ``HERD.to_dataframe``). Indices must be in range."""
    import pandas as pd

    from hdmf_arrow.common.hierarchicaltable import _join

    ok = tables["object_keys"].to_arrow()
    ek = tables["entity_keys"].to_arrow()
    ok_keys = ok.column("keys_idx").to_numpy().astype(np.int64)
    ek_keys = ek.column("keys_idx").to_numpy().astype(np.int64)
    ok_rows, ek_rows = _join(ok_keys, ek_keys)  # each object key with its entity keys
    objects_idx = ok.column("objects_idx").to_numpy().astype(np.int64)[ok_rows]
    keys_idx = ok_keys[ok_rows]
    entities_idx = ek.column("entities_idx").to_numpy().astype(np.int64)[ek_rows]
    objects = tables["objects"].to_arrow().take(objects_idx)
    files_idx = objects.column("files_idx").to_numpy().astype(np.int64)
    columns: dict[str, Any] = {
        "file_object_id": tables["files"].to_arrow().column("file_object_id").take(files_idx),
        "objects_idx": objects_idx,
        "object_id": objects.column("object_id"),
        "files_idx": files_idx,
        "object_type": objects.column("object_type"),
        "relative_path": objects.column("relative_path"),
        "field": objects.column("field"),
        "keys_idx": keys_idx,
        "key": tables["keys"].to_arrow().column("key").take(keys_idx),
        "entities_idx": entities_idx,
    }
    entities = tables["entities"].to_arrow().take(entities_idx)
    columns["entity_id"] = entities.column("entity_id")
    columns["entity_uri"] = entities.column("entity_uri")
    frame = pd.DataFrame(
        {n: v.astype(np.uint32) if n in _IDX else list(v.to_pylist()) for n, v in columns.items()}
    )
    if use_categories:
        frame.columns = pd.MultiIndex.from_tuples(FLAT_COLUMNS)
    return frame
