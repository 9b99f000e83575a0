"""Formats: a container tree <-> files in a Store (the Parquet store; HDF5 export later)."""

from hdmf_arrow.errors import StoreExistsError
from hdmf_arrow.io._parquet import ParquetOptions
from hdmf_arrow.io._parquetio import ParquetIO, VersionInfo, find_table

__all__ = ["ParquetIO", "ParquetOptions", "StoreExistsError", "VersionInfo", "find_table"]
