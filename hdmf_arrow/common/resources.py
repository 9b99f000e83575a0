"""``hdmf.common.resources``'s names: HERD and its six tables, for code that imports them
from there (``from hdmf_arrow.common.resources import HERD, Key``)."""

from hdmf_arrow.common._herd import HERD
from hdmf_arrow.common._herd_refs import HERDManager
from hdmf_arrow.common._herd_tables import (
    Entity,
    EntityKey,
    EntityKeyTable,
    EntityTable,
    File,
    FileTable,
    HerdTable,
    Key,
    KeyTable,
    Object,
    ObjectKey,
    ObjectKeyTable,
    ObjectTable,
    Row,
    RowGetter,
)

__all__ = [
    "HERD",
    "Entity",
    "EntityKey",
    "EntityKeyTable",
    "EntityTable",
    "File",
    "FileTable",
    "HERDManager",
    "HerdTable",
    "Key",
    "KeyTable",
    "Object",
    "ObjectKey",
    "ObjectKeyTable",
    "ObjectTable",
    "Row",
    "RowGetter",
]
