"""hdmf's HERD zip: one TSV file per table (``keys.tsv``, ``files.tsv``, ...), in memory.

hdmf's ``HERD.to_zip`` writes each table with ``DataFrame.to_csv(sep="\\t", index=False)``
and its ``from_zip`` reads them with ``read_csv(sep="\\t")``. This module writes the same
bytes (a header row of column names, then one line per row, fields quoted only when they
hold a tab, a quote or a line break) and reads what hdmf writes. Members are matched by
file name, whatever folder hdmf recorded in the zip (it keeps the path it was given).
Text stays text: hdmf's reader turns a key such as ``"10"`` into a number; ours does not.
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from typing import TYPE_CHECKING

from hdmf_arrow.common._herd_tables import INDEX, TABLES, HerdTable
from hdmf_arrow.errors import InvalidArgumentError

if TYPE_CHECKING:
    from collections.abc import Mapping

# hdmf's messages for an index past the end of its table (its tests match them exactly)
_RANGE_MESSAGES = {
    ("entity_keys", "entities_idx"): (
        "Entity Index out of range in EntityTable. Please check for alterations."
    ),
    ("objects", "files_idx"): (
        "File_ID Index out of range in ObjectTable. Please check for alterations."
    ),
    ("object_keys", "objects_idx"): (
        "Object Index out of range in ObjectKeyTable. Please check for alterations."
    ),
    ("object_keys", "keys_idx"): (
        "Key Index out of range in ObjectKeyTable. Please check for alterations."
    ),
    ("entity_keys", "keys_idx"): (
        "Key Index out of range in EntityKeyTable. Please check for alterations."
    ),
}


def encode_tsv(table: HerdTable) -> bytes:
    """One table as hdmf's TSV (pandas ``to_csv(sep="\\t", index=False)``)."""
    arrow = table.to_arrow()
    lines = ["\t".join(_field(n) for n in table.columns)]
    for row in zip(*(arrow.column(n).to_pylist() for n in table.columns), strict=True):
        line = "\t".join(_field(v) for v in row)
        lines.append('""' if line == "" else line)  # a lone empty field, as csv writes it
    return ("\n".join(lines) + "\n").encode()


def _field(value: object) -> str:
    """One TSV field: quoted (quotes doubled) when it holds a tab, a quote or a line break,
    carriage returns included (Python's csv writer leaves those bare)."""
    text = str(value)
    if any(c in text for c in '\t"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def encode_zip(tables: Mapping[str, HerdTable]) -> bytes:
    """The six tables as hdmf's zip of TSV files (members named ``<table>.tsv``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, table in tables.items():
            zf.writestr(f"{name}.tsv", encode_tsv(table))
    return out.getvalue()


def decode_tsv(text: str, cls: type[HerdTable], *, name: str, source: str) -> HerdTable:
    """One table from hdmf's TSV; index columns must hold non-negative integers."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    if not rows:
        msg = f"{name}.tsv in {source} is empty; expected a header row {list(cls.colnames())}"
        raise InvalidArgumentError(msg)
    header, body = rows[0], rows[1:]
    names = list(cls.colnames())
    if header != names:
        msg = f"{name}.tsv in {source} has the columns {header}; a {cls.__name__} has {names}"
        raise InvalidArgumentError(msg)
    table = cls(name)
    kinds = [c["dtype"] for c in cls.__columns__]
    for line, fields in enumerate(body, start=2):
        if fields == []:
            continue
        if len(fields) != len(names):
            msg = (
                f"line {line} of {name}.tsv in {source} has {len(fields)} fields; expected "
                f"{len(names)} ({names})"
            )
            raise InvalidArgumentError(msg)
        values: list[object] = []
        for kind, column, value in zip(kinds, names, fields, strict=True):
            if kind == INDEX:
                try:
                    number = float(value)  # pandas may have written 3.0
                    if number != int(number):
                        raise ValueError(value)
                    values.append(int(number))
                except ValueError:
                    msg = (
                        f"line {line} of {name}.tsv in {source}: {column} is {value!r}; "
                        f"expected a row index (an integer)"
                    )
                    raise InvalidArgumentError(msg) from None
            else:
                values.append(value)
        table.add_row(*values)
    return table


def decode_zip(data: bytes, *, source: str) -> dict[str, HerdTable]:
    """The six tables from hdmf's zip of TSV files, with every row index checked."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        msg = f"{source} is not a zip file ({exc}); expected hdmf's HERD zip of TSV files"
        raise InvalidArgumentError(msg) from None
    members: dict[str, str] = {}
    with zf:
        for info in zf.infolist():
            base = posixpath.basename(info.filename.replace("\\", "/"))
            stem, ext = posixpath.splitext(base)
            if ext == ".tsv" and stem in TABLES:
                members[stem] = zf.read(info).decode("utf-8")
    missing = [n for n in TABLES if n not in members]
    if missing:
        msg = (
            f"{source} holds no {', '.join(f'{n}.tsv' for n in missing)}; a HERD zip has "
            f"{', '.join(f'{n}.tsv' for n in TABLES)}"
        )
        raise InvalidArgumentError(msg)
    tables = {n: decode_tsv(members[n], cls, name=n, source=source) for n, cls in TABLES.items()}
    for (table, column), message in _RANGE_MESSAGES.items():
        target = next(t for c, t in tables[table].index_columns().items() if c == column)
        limit = len(tables[target])
        for row, value in enumerate(tables[table][column]):
            if value >= limit:
                error = InvalidArgumentError(message)
                error.add_note(
                    f"row {row} of {table}.tsv in {source}: {column} is {value}, but "
                    f"{target}.tsv has {limit} rows"
                )
                raise error
    return tables
