"""Public test helpers: ``assert_table_equal``, ``assert_container_equal``, ``TestCase`` (with
hdmf's ``assertContainerEqual``) and hypothesis strategies (``strategies``).

Nothing in hdmf_arrow imports this package; it is for our tests and for yours.
"""

from hdmf_arrow.testing.assertions import assert_container_equal, assert_table_equal
from hdmf_arrow.testing.testcase import TestCase

__all__ = ["TestCase", "assert_container_equal", "assert_table_equal"]
