"""One walk over a container tree, for every writer and checker of whole trees."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hdmf_arrow.common._aligned import AlignedDynamicTable
from hdmf_arrow.common._table import DynamicTable

if TYPE_CHECKING:
    from collections.abc import Iterator

    from hdmf_arrow.common._container import Container


def walk(root: Container) -> Iterator[Container]:
    """Every container of a tree, parents first: a group's children, a table's members and
    an aligned table's categories (a table's columns are not containers of the tree, and a
    link is not followed).

    >>> from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
    >>> tree = SimpleMultiContainer("s", [DynamicTable(name="t", description="d")])
    >>> [c.name for c in walk(tree)]
    ['s', 't']
    """
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, DynamicTable):
            children = [*node.members.values()]
            if isinstance(node, AlignedDynamicTable):
                children += node.category_tables.values()
        else:
            children = list(node.children)
        stack.extend(reversed(children))
