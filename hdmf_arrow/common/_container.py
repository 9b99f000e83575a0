"""Container and Data: the two roots of the HDMF type hierarchy."""

from __future__ import annotations

import uuid
from typing import ClassVar

from hdmf_arrow.errors import InvalidNameError

CORE_NAMESPACE = "hdmf-common"
EXP_NAMESPACE = "hdmf-experimental"


def check_name(name: object, *, kind: str) -> str:
    """Return ``name`` if HDMF allows it as a container name (a str without '/' or ':')."""
    if not isinstance(name, str):
        msg = f"{kind}: incorrect type for 'name' (got {type(name).__name__!r}, expected 'str')"
        raise TypeError(msg)
    if "/" in name or ":" in name:
        msg = f"{kind} name {name!r} cannot contain a '/' or ':'"
        raise InvalidNameError(msg)
    return name


def check_text(value: object, *, arg: str, owner: str) -> str:
    """Return ``value`` if it is a str; hdmf's docval wording otherwise."""
    if not isinstance(value, str):
        msg = f"{owner}: incorrect type for {arg!r} (got {type(value).__name__!r}, expected 'str')"
        raise TypeError(msg)
    return value


class Container:
    """Base class of every HDMF object: a name, a uuid4 ``object_id`` and a parent.

    ``data_type`` and ``namespace`` name the HDMF type (class attributes).

    Examples
    --------
    >>> c = Container("session")
    >>> c.name, c.data_type, c.namespace, len(c.object_id)
    ('session', 'Container', 'hdmf-common', 36)
    """

    data_type: ClassVar[str] = "Container"
    namespace: ClassVar[str] = CORE_NAMESPACE

    def __init__(self, name: str, *, object_id: str | None = None) -> None:
        self._name = check_name(name, kind=type(self).__name__)
        self.object_id: str = object_id if object_id is not None else str(uuid.uuid4())
        self.parent: Container | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def children(self) -> tuple[Container, ...]:
        """The containers this one holds (tables hold their columns)."""
        return ()

    def _adopt(self, child: Container) -> None:
        child.parent = self

    def __repr__(self) -> str:
        return f"{self.data_type} {self.name!r}"
