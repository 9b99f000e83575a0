"""hdmf-arrow: the HDMF data model (DynamicTable, VectorData, ...) on Apache Arrow and Parquet.

The model lives in :mod:`hdmf_arrow.common`, named as ``hdmf.common`` names it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hdmf-arrow")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
