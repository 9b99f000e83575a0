"""The exceptions of hdmf-arrow.

Every error derives from :class:`HdmfArrowError` and also from the builtin that hdmf raises in
the same situation, so code written against hdmf (``except ValueError``, ``except KeyError``)
keeps working. Messages name the object (table, column, file), what was expected and what was
found, and end with a hint when there is something to do.
"""

from __future__ import annotations


class HdmfArrowError(Exception):
    """Base class of every hdmf-arrow error."""


class InvalidNameError(HdmfArrowError, ValueError):
    """A container name that HDMF does not allow (it contains '/' or ':')."""


class CellTypeError(HdmfArrowError, TypeError):
    """A value whose type does not fit the column (a string in a float column, ...)."""


class CellValueError(HdmfArrowError, ValueError):
    """A value of the right type that the column still cannot hold (out of range, bad shape)."""


class UnresolvedReferenceError(HdmfArrowError, LookupError):
    """A reference (region column) whose target is not where it should be."""


class NamespaceNotFoundError(HdmfArrowError, KeyError):
    """A namespace name that the catalog has not loaded (hdmf raises KeyError too)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ColumnNotFoundError(HdmfArrowError, KeyError):
    """A column name that the table does not have."""

    def __str__(self) -> str:  # KeyError would repr() the message, quotes and all
        return str(self.args[0]) if self.args else ""


class ContainerNotFoundError(HdmfArrowError, KeyError):
    """No container of that name in a group."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class DuplicateColumnError(HdmfArrowError, ValueError):
    """A column name that the table already has."""


class TableShapeError(HdmfArrowError, ValueError):
    """Columns, ids or a row that do not line up with the table (lengths, missing keys)."""


class SparseMatrixError(HdmfArrowError, ValueError):
    """Arrays that do not form a CSR matrix (hdmf raises ValueError for the same cases)."""


class DuplicateIdError(HdmfArrowError, ValueError):
    """A row id that is already in the table (with ``enforce_unique_id=True``)."""


class RowIndexError(HdmfArrowError, IndexError):
    """A row position outside the table."""


class RegionIndexError(HdmfArrowError, IndexError):
    """A DynamicTableRegion value that points outside its target table."""


class InvalidKeyError(HdmfArrowError, ValueError):
    """A key of the wrong shape or kind for a region or table lookup (hdmf: ValueError)."""


class UnsupportedKeyError(HdmfArrowError, KeyError):
    """A key of a type that ``DynamicTable.__getitem__`` does not accept."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class SpecError(HdmfArrowError, ValueError):
    """A spec (YAML schema or spec object) that breaks the HDMF schema language.

    The message names the file, the data type and the key path, e.g.
    ``"ext.yaml: type 'TrialsTable', datasets[2].quantity: expected ..."``.
    """


class SchemaMismatchError(HdmfArrowError, ValueError):
    """An Arrow schema or metadata document that does not describe an HDMF table."""


class FormatVersionError(HdmfArrowError):
    """Metadata written by a newer hdmf-arrow format than this version reads."""


class ReadOnlyStoreError(HdmfArrowError, PermissionError):
    """A write to a store or file opened read-only."""


class StoreExistsError(HdmfArrowError, FileExistsError):
    """Mode ``w-`` on a location that already holds a store."""


class UnknownTypeError(HdmfArrowError, LookupError):
    """A data type that no loaded namespace defines."""


class StoreConflictError(HdmfArrowError, FileExistsError):
    """Another writer committed the version this writer was about to create."""


class CorruptStoreError(HdmfArrowError, OSError):
    """A manifest or data file that is missing, truncated or does not parse."""


class ValidationError(HdmfArrowError, ValueError):
    """Validation found problems; ``.issues`` lists them all."""

    def __init__(self, message: str, issues: list[object]) -> None:
        super().__init__(message)
        self.issues = issues


class HdmfArrowWarning(UserWarning):
    """Base class of hdmf-arrow warnings."""


class UnsafePathError(CorruptStoreError):
    """A path inside a store that is a symbolic link, FIFO, device or other non-regular file
    (a store never follows one: it could lead outside the store, or block a reader)."""


class StaleWriteError(StoreConflictError):
    """A container read from an older version would undo changes a newer version made."""


class StoreLimitError(HdmfArrowError, ValueError):
    """A value past one of the store's limits (manifest size, version number, ...)."""


class DuplicateObjectIdError(HdmfArrowError, ValueError):
    """Two objects of one tree with the same object id."""


class InvalidObjectIdError(HdmfArrowError, ValueError):
    """An object id that is not safe to name an object (and a directory) by."""


class InvalidVersionError(HdmfArrowError, ValueError):
    """A version number that cannot name a version (0, negative, a bool or a float)."""


class StoreLocationError(HdmfArrowError, ValueError):
    """A location no filesystem can reach (an unknown URL protocol, ...)."""


class MissingDependencyError(HdmfArrowError, ImportError):
    """An optional package that a location or format needs is not installed."""


class InvalidArgumentError(HdmfArrowError, ValueError):
    """An argument of the right type with a value a function does not take (a mode, ...)."""


class InvalidArgumentTypeError(HdmfArrowError, TypeError):
    """An argument of a type a function does not take."""


class NotAStoreError(HdmfArrowError, FileNotFoundError):
    """A location that holds no hdmf-arrow store (no committed version)."""


class UnsupportedHDF5Error(HdmfArrowError, ValueError):
    """An HDF5 object that hdmf-arrow cannot import or export (an external link, a region
    reference, a value HDF5 cannot hold); the message names it."""
