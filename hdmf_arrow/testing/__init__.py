"""Public test helpers: ``assert_table_equal`` and hypothesis strategies (``strategies``).

Nothing in hdmf_arrow imports this package; it is for our tests and for yours.
"""

from hdmf_arrow.testing.assertions import assert_table_equal

__all__ = ["assert_table_equal"]
