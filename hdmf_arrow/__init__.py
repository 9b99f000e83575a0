"""hdmf-arrow: the HDMF data model (DynamicTable, VectorData, ...) on Apache Arrow and Parquet.

The model lives in :mod:`hdmf_arrow.common`, named as ``hdmf.common`` names it. A container
tree is stored with :func:`write` / :func:`read`, or :class:`ParquetIO` for more control.
"""

from importlib.metadata import PackageNotFoundError, version

from hdmf_arrow.api import data_files, history, read, scan, validate, write
from hdmf_arrow.io import ParquetIO, ParquetOptions
from hdmf_arrow.io.hdf5 import HDF5IO, export_hdf5, import_hdf5

try:
    __version__ = version("hdmf-arrow")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

__all__ = [
    "HDF5IO",
    "ParquetIO",
    "ParquetOptions",
    "__version__",
    "data_files",
    "export_hdf5",
    "history",
    "import_hdf5",
    "read",
    "scan",
    "validate",
    "write",
]
