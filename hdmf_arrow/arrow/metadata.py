"""The ``hdmf`` metadata document: one versioned JSON object that describes a table.

It travels with every Arrow table (schema metadata key ``hdmf``) and, in the store, with every
Parquet file (footer key ``hdmf``), keyed by column name because polars drops Arrow *field*
metadata. ``docs/format.md`` is the normative description.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from hdmf_arrow.errors import FormatVersionError, SchemaMismatchError

FORMAT_VERSION = "0.2.0"
METADATA_KEY = b"hdmf"


@dataclass(frozen=True, slots=True)
class RegionTarget:
    """The table a DynamicTableRegion column points at."""

    name: str
    object_id: str | None = None


@dataclass(frozen=True, slots=True)
class ColumnMeta:
    """What Arrow's type does not say about one column."""

    data_type: str = "VectorData"
    namespace: str = "hdmf-common"
    description: str = ""
    object_id: str | None = None
    index: int = 0
    index_object_ids: tuple[str, ...] = ()
    target: RegionTarget | None = None
    elements_object_id: str | None = None
    elements: tuple[Any, ...] | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    # "object": the cells are object ids of containers of the same tree (HDF5 object
    # references); "region": the cells are region structs (HDF5 region references,
    # docs/format.md section 8); for a struct column, field name -> "object" or "region"
    reftype: str | dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The column's JSON object; keys with default values are left out."""
        doc: dict[str, Any] = {
            "data_type": self.data_type,
            "namespace": self.namespace,
            "description": self.description,
        }
        # in this order, each only when set (not None, 0 or empty): a table of 10,000
        # columns makes 10,000 of these, so no per-column dict of every key
        if _kept(self.object_id):
            doc["object_id"] = self.object_id
        if _kept(self.index):
            doc["index"] = self.index
        if self.index_object_ids:
            doc["index_object_ids"] = list(self.index_object_ids)
        if self.target is not None:
            doc["target"] = {"name": self.target.name, "object_id": self.target.object_id}
        if _kept(self.elements_object_id):
            doc["elements_object_id"] = self.elements_object_id
        if self.elements:
            doc["elements"] = list(self.elements)
        if _kept(self.attributes):
            doc["attributes"] = self.attributes
        if _kept(self.reftype):
            doc["reftype"] = self.reftype
        if self.elements is not None and not self.elements:
            doc["elements"] = []  # an empty vocabulary is still one (last, as it always was)
        return doc


@dataclass(frozen=True, slots=True)
class TableMeta:
    """What Arrow's schema does not say about one table."""

    name: str
    description: str = ""
    data_type: str = "DynamicTable"
    namespace: str = "hdmf-common"
    object_id: str | None = None
    id_object_id: str | None = None
    columns: dict[str, ColumnMeta] = field(default_factory=dict)
    format_version: str = FORMAT_VERSION
    row_column: str | None = None  # a stored file's row-position column (format.md, 6.2)

    def to_json(self) -> str:
        """The document as compact JSON text.

        >>> TableMeta("t").to_json()[:40]
        '{"format_version": "0.2.0", "name": "t",'
        """
        return json.dumps(self.to_dict(), separators=(", ", ": "))

    def to_dict(self) -> dict[str, Any]:
        """The document as a JSON-ready dict."""
        doc = {
            "format_version": self.format_version,
            "name": self.name,
            "description": self.description,
            "data_type": self.data_type,
            "namespace": self.namespace,
            "object_id": self.object_id,
            "id_object_id": self.id_object_id,
            "columns": {k: v.to_dict() for k, v in self.columns.items()},
        }
        if self.row_column is not None:
            doc["row_column"] = self.row_column
        return doc

    @classmethod
    def parse(cls, raw: bytes | str, *, source: str = "table") -> TableMeta:
        """Parse a document, refusing newer formats and malformed JSON.

        Raises
        ------
        FormatVersionError
            If ``format_version`` is newer than this hdmf-arrow reads.
        SchemaMismatchError
            If the document is not valid JSON or lacks required keys.
        """
        try:
            doc = json.loads(raw)
        except RecursionError:
            msg = f"The 'hdmf' metadata of {source} is nested too deeply to be a table's"
            raise SchemaMismatchError(msg) from None
        except ValueError as exc:
            msg = f"The 'hdmf' metadata of {source} does not parse: {str(exc)[:120]}"
            raise SchemaMismatchError(msg) from None
        return cls.from_dict(doc, source=source)

    @classmethod
    def from_dict(cls, doc: Any, *, source: str = "table") -> TableMeta:
        """The document from a parsed JSON object (see :meth:`parse`)."""
        try:
            version = str(doc["format_version"])
            check_format_version(version, source=source)
            columns = {
                str(k): _parse_column(v, source=f"{source}, column {k!r}")
                for k, v in doc.get("columns", {}).items()
            }
            return cls(
                name=str(doc["name"]),
                description=str(doc.get("description", "")),
                data_type=str(doc.get("data_type", "DynamicTable")),
                namespace=str(doc.get("namespace", "hdmf-common")),
                object_id=doc.get("object_id"),
                id_object_id=doc.get("id_object_id"),
                columns=columns,
                format_version=version,
                row_column=None if doc.get("row_column") is None else str(doc["row_column"]),
            )
        except FormatVersionError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            msg = f"The 'hdmf' metadata of {source} does not parse: {exc!r}"
            raise SchemaMismatchError(msg) from None


def table_header(doc: Any, *, source: str = "table") -> tuple[TableMeta, dict[str, dict[str, Any]]]:
    """The document without its columns parsed (``columns`` empty), and the columns' JSON
    objects as stored, keyed by column name: a reader parses a column's object
    (:func:`column_from_dict`) when the column is used, so opening a table of 10,000 columns
    makes no per-column objects. Raises what :meth:`TableMeta.from_dict` raises for the
    table's own keys, and SchemaMismatchError if ``columns`` is not an object of objects.
    """
    try:
        columns = doc.get("columns", {})
    except AttributeError:
        msg = f"The 'hdmf' metadata of {source} is not an object: {type(doc).__name__}"
        raise SchemaMismatchError(msg) from None
    if not isinstance(columns, dict):
        msg = f"The 'hdmf' metadata of {source}: 'columns' is a {type(columns).__name__}"
        raise SchemaMismatchError(msg)
    bad = next((k for k, v in columns.items() if not isinstance(v, dict)), None)
    if bad is not None:
        found = type(columns[bad]).__name__
        msg = f"The 'hdmf' metadata of {source}: column {bad!r} is a {found}, not an object"
        raise SchemaMismatchError(msg)
    header = TableMeta.from_dict({**doc, "columns": {}}, source=source)
    return header, columns


def column_from_dict(doc: dict[str, Any], *, source: str) -> ColumnMeta:
    """One column's metadata from its JSON object (``source`` names it in errors).

    Raises
    ------
    SchemaMismatchError
        If the object does not parse as a column's metadata.
    """
    try:
        return _parse_column(doc, source=source)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        msg = f"The 'hdmf' metadata of {source} does not parse: {exc!r}"
        raise SchemaMismatchError(msg) from None


def check_format_version(version: str, *, source: str) -> None:
    """Raise FormatVersionError if ``version`` is newer (major.minor) than ours."""
    mine = tuple(int(p) for p in FORMAT_VERSION.split(".")[:2])
    theirs = tuple(int(p) for p in version.split(".")[:2])
    if theirs > mine:
        msg = (
            f"{source} was written with hdmf-arrow format {version}; this hdmf-arrow reads "
            f"format {FORMAT_VERSION} and older. Hint: upgrade hdmf-arrow."
        )
        raise FormatVersionError(msg)


def _kept(value: object) -> bool:
    """Whether ``ColumnMeta.to_dict`` writes an optional key of this value."""
    if type(value) is str:  # most values (object ids): never 0 or empty containers
        return True
    return value is not None and value not in (0, [], {})


_PLAIN_KEYS = frozenset({"data_type", "namespace", "description", "object_id"})


def _parse_column(doc: dict[str, Any], *, source: str) -> ColumnMeta:
    if not isinstance(doc, dict):
        msg = f"expected an object for {source}, found {type(doc).__name__}"
        raise TypeError(msg)
    if doc.keys() <= _PLAIN_KEYS:  # most columns: what the general path makes, sooner
        data_type = doc.get("data_type", "VectorData")
        namespace = doc.get("namespace", "hdmf-common")
        description = doc.get("description", "")
        if type(data_type) is str and type(namespace) is str and type(description) is str:
            return ColumnMeta(data_type, namespace, description, doc.get("object_id"))
    target = doc.get("target")
    return ColumnMeta(
        data_type=str(doc.get("data_type", "VectorData")),
        namespace=str(doc.get("namespace", "hdmf-common")),
        description=str(doc.get("description", "")),
        object_id=doc.get("object_id"),
        index=int(doc.get("index", 0)),
        index_object_ids=tuple(doc.get("index_object_ids", ())),
        target=None
        if target is None
        else RegionTarget(str(target["name"]), target.get("object_id")),
        elements_object_id=doc.get("elements_object_id"),
        elements=None if doc.get("elements") is None else tuple(doc["elements"]),
        attributes=dict(doc.get("attributes", {})),
        reftype=_reftype(doc.get("reftype"), source=source),
    )


def _reftype(value: object, *, source: str) -> str | dict[str, str] | None:
    if value is None or value in ("object", "region"):
        return value  # type: ignore[return-value]
    if isinstance(value, dict) and all(v in ("object", "region") for v in value.values()):
        return {str(k): str(v) for k, v in value.items()}
    msg = (
        f'{source}: \'reftype\' must be "object", "region" or an object of them, '
        f"found {value!r:.60}"
    )
    raise ValueError(msg)
