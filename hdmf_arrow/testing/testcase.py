"""``TestCase``: unittest's, with hdmf's ``assertContainerEqual``."""

from __future__ import annotations

import unittest
from typing import TYPE_CHECKING

from hdmf_arrow.testing.assertions import assert_container_equal

if TYPE_CHECKING:
    from hdmf_arrow.common import Container


class TestCase(unittest.TestCase):
    """A ``unittest.TestCase`` with ``assertContainerEqual``, as ``hdmf.testing.TestCase``.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> a = DynamicTable(name="t", description="d"); a.add_column("x", "x", data=[1])
    >>> TestCase().assertContainerEqual(a, a)
    """

    def assertContainerEqual(  # hdmf's name
        self,
        first: Container,
        second: Container,
        ignore_name: bool = False,
        ignore_hdmf_attrs: bool = False,
        ignore_string_to_byte: bool = False,  # text is never bytes here
        message: str | None = None,
    ) -> None:
        """Fail naming the first difference (``ignore_hdmf_attrs``: object ids and
        descriptions are not compared)."""
        try:
            assert_container_equal(
                first, second, ignore_name=ignore_name, check_metadata=not ignore_hdmf_attrs
            )
        except AssertionError as exc:
            self.fail(f"{message}: {exc}" if message else str(exc))
