"""hdmf-arrow: the HDMF data model (DynamicTable, VectorData, ...) on Apache Arrow and Parquet.

The model lives in :mod:`hdmf_arrow.common`, named as ``hdmf.common`` names it. A container
tree is stored with :func:`write` / :func:`read`, or :class:`ParquetIO` for more control.

``import hdmf_arrow`` imports nothing heavy (not even pyarrow): each public name, and each
subpackage reached as an attribute (``hdmf_arrow.common``), is imported when first used
(PEP 562), so tools that import the package to read one name stay fast.

>>> import hdmf_arrow
>>> hdmf_arrow.write.__module__
'hdmf_arrow.api'
>>> hdmf_arrow.common.DynamicTable.__name__
'DynamicTable'
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hdmf_arrow.api import data_files, history, read, scan, validate, write
    from hdmf_arrow.io import ParquetIO, ParquetOptions
    from hdmf_arrow.io.hdf5 import HDF5IO, export_hdf5, import_hdf5

    __version__: str

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

# public name -> the module that defines it, imported on first access
_LAZY_NAMES = {
    "HDF5IO": "hdmf_arrow.io.hdf5",
    "ParquetIO": "hdmf_arrow.io",
    "ParquetOptions": "hdmf_arrow.io",
    "data_files": "hdmf_arrow.api",
    "export_hdf5": "hdmf_arrow.io.hdf5",
    "history": "hdmf_arrow.api",
    "import_hdf5": "hdmf_arrow.io.hdf5",
    "read": "hdmf_arrow.api",
    "scan": "hdmf_arrow.api",
    "validate": "hdmf_arrow.api",
    "write": "hdmf_arrow.api",
}
_SUBMODULES = frozenset(
    {
        "api",
        "arrow",
        "cli",
        "common",
        "duckdb",
        "errors",
        "io",
        "spec",
        "storage",
        "testing",
        "utils",
    }
)


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hdmf-arrow")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0.0.0"


if not TYPE_CHECKING:  # mypy sees the names above; an unknown name stays an error for it

    def __getattr__(name: str) -> object:
        if name in _LAZY_NAMES:
            value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
        elif name == "__version__":
            value = _package_version()
        elif name in _SUBMODULES:
            return importlib.import_module(f"{__name__}.{name}")  # binds itself as attribute
        else:
            msg = f"module {__name__!r} has no attribute {name!r}"
            raise AttributeError(msg)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)


class _Package(types.ModuleType):
    """The type of this module: ``hdmf_arrow.validate`` stays the function.

    ``hdmf_arrow.validate`` is also a submodule, and the import system binds a submodule as an
    attribute of its package when it first imports it, which now happens after this module
    ran. This keeps the function (``hdmf_arrow.validate(path)``); the submodule is still
    imported by name (``from hdmf_arrow.validate import ...``).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name == "validate" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
