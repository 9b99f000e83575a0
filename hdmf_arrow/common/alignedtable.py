"""``hdmf.common.alignedtable``'s names, for code that imports them from there."""

from hdmf_arrow.common._aligned import AlignedDynamicTable

__all__ = ["AlignedDynamicTable"]
