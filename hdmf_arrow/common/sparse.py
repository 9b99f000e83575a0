"""``hdmf.common.sparse``'s names, for code that imports them from there."""

from hdmf_arrow.common._sparse import CSRMatrix

__all__ = ["CSRMatrix"]
