"""``hdmf.common.multi``'s names, for code that imports them from there."""

from hdmf_arrow.common._multi import SimpleMultiContainer

__all__ = ["SimpleMultiContainer"]
