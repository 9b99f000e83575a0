"""Formats: a container tree <-> files in a Store (the Parquet store; HDF5 in :mod:`.hdf5`).

The names are imported on first use (PEP 562), so ``import hdmf_arrow.io.hdf5`` does not load
the Parquet store, nor the Parquet store the HDF5 bridge.

>>> from hdmf_arrow.io import ParquetOptions
>>> ParquetOptions().compression
'zstd'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from hdmf_arrow.errors import StoreExistsError

if TYPE_CHECKING:
    from hdmf_arrow.io._parquet import ParquetOptions
    from hdmf_arrow.io._parquetio import ParquetIO, VersionInfo, find_table

__all__ = ["ParquetIO", "ParquetOptions", "StoreExistsError", "VersionInfo", "find_table"]

# public name -> the module that defines it, imported on first access
_LAZY_NAMES = {
    "ParquetIO": "hdmf_arrow.io._parquetio",
    "ParquetOptions": "hdmf_arrow.io._parquet",
    "VersionInfo": "hdmf_arrow.io._parquetio",
    "find_table": "hdmf_arrow.io._parquetio",
}

if not TYPE_CHECKING:  # mypy sees the names above; an unknown name stays an error for it

    def __getattr__(name: str) -> object:
        if name == "hdf5":
            return importlib.import_module(f"{__name__}.hdf5")  # binds itself as attribute
        if name not in _LAZY_NAMES:
            msg = f"module {__name__!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | {"hdf5"})
