"""SimpleMultiContainer: a named group of containers (tables, datasets, other groups)."""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, ClassVar

from hdmf_arrow.common._container import Container
from hdmf_arrow.errors import ContainerNotFoundError, DuplicateColumnError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


class SimpleMultiContainer(Container):
    """A group holding any containers by name, as hdmf's SimpleMultiContainer.

    It is the usual root of a file: ``write(SimpleMultiContainer(...), store)`` writes every
    table and dataset in it, nested groups included.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> session = SimpleMultiContainer("session")
    >>> session.add_container(DynamicTable(name="trials", description="trials"))
    >>> [c.name for c in session], len(session), session["trials"].data_type
    (['trials'], 1, 'DynamicTable')
    """

    data_type: ClassVar[str] = "SimpleMultiContainer"

    def __init__(
        self,
        name: str,
        containers: Iterable[Container] | None = None,
        *,
        attributes: dict[str, object] | None = None,
        object_id: str | None = None,
    ) -> None:
        super().__init__(name, object_id=object_id)
        self._containers: dict[str, Container] = {}
        self.attributes: dict[str, object] = dict(attributes or {})
        self.add_container(list(containers or []))

    @property
    def containers(self) -> dict[str, Container]:
        """The containers by name (a copy: add with add_container)."""
        return dict(self._containers)

    @property
    def children(self) -> tuple[Container, ...]:
        return tuple(self._containers.values())

    def add_container(self, container: Container | Iterable[Container]) -> None:
        """Add a container, or several; names must be unique in the group."""
        items = [container] if isinstance(container, Container) else list(container)
        names = [c.name for c in items]
        for c in items:
            if not isinstance(c, Container):
                msg = f"SimpleMultiContainer {self.name!r}: cannot add {type(c).__name__} {c!r:.40}"
                raise TypeError(msg)
        counts = collections.Counter(names)
        clash = sorted({n for n in names if n in self._containers or counts[n] > 1})
        if clash:
            msg = f"SimpleMultiContainer {self.name!r} already has container(s) named {clash}"
            raise DuplicateColumnError(msg)
        for c in items:
            self._containers[c.name] = c
            self._adopt(c)

    def get_container(self, name: str | None = None) -> Container:
        """The container called ``name`` (or the only one, when there is exactly one)."""
        if name is None and len(self._containers) == 1:
            return next(iter(self._containers.values()))
        if name is None or name not in self._containers:
            msg = (
                f"SimpleMultiContainer {self.name!r} has no container {name!r}; "
                f"it holds {list(self._containers)}"
            )
            raise ContainerNotFoundError(msg)
        return self._containers[name]

    def __getitem__(self, name: str) -> Container:
        found = self.get_container(name)
        target = getattr(found, "target", None)  # a Link: its target
        return target if isinstance(target, Container) and found.data_type is None else found

    def __iter__(self) -> Iterator[Container]:
        return iter(self._containers.values())

    def __len__(self) -> int:
        return len(self._containers)

    def __contains__(self, name: object) -> bool:
        return name in self._containers

    def __repr__(self) -> str:
        lines = [f"{self.data_type} {self.name!r} ({len(self)} containers)"]
        lines += [f"  {c.name}: {c.data_type}" for c in self]
        return "\n".join(lines)
