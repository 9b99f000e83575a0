"""Hypothesis strategies for hdmf-arrow objects (``pip install hypothesis`` to use them).

``dynamic_tables()`` draws a DynamicTable with random columns: integers, floats, strings and
bools (with nulls), ragged columns of depth 1 or 2, N-D columns, region columns into a random
target table (scalar or ragged), enum columns, and unique random ids. Tables are built either
column by column (``add_column(data=...)``) or row by row (``add_row``), so both paths of the
model are exercised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from hdmf_arrow.common import DynamicTable

Draw = Callable[[st.SearchStrategy[Any]], Any]

_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=6)
_SCALARS: dict[str, tuple[str, st.SearchStrategy[Any]]] = {
    "int": ("int", st.integers(-(2**40), 2**40)),
    "float": ("float", st.floats(allow_nan=False, width=64)),
    "text": ("text", _TEXT),
    "bool": ("bool", st.booleans()),
}
KINDS = (*_SCALARS, "ragged", "ragged2", "nd", "region", "ragged_region", "enum")


def maybe_null(values: st.SearchStrategy[Any], *, nulls: bool) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), values) if nulls else values


@dataclass(frozen=True)
class _Column:
    """One column's add_column arguments and cells, before it is built."""

    kind: str
    name: str
    cells: list[Any]
    options: dict[str, Any]


@st.composite
def target_tables(draw: Draw, *, min_rows: int = 1, max_rows: int = 6) -> DynamicTable:
    """A small table that region columns can point at."""
    n = draw(st.integers(min_rows, max_rows))
    table = DynamicTable(name=draw(st.sampled_from(["electrodes", "trials", "cells"])),
                         description="a region target")  # fmt: skip
    table.add_column("label", "a label", data=[f"row{i}" for i in range(n)])
    table.add_column("value", "a number", data=[float(i) for i in range(n)])
    return table


@st.composite
def ragged_cells(
    draw: Draw, n: int, *, depth: int, values: st.SearchStrategy[Any], nulls: bool
) -> list[Any]:
    """``n`` ragged cells of the given depth (a cell may be None when ``nulls``)."""
    inner: st.SearchStrategy[Any] = st.lists(values, max_size=4)
    for _ in range(depth - 1):
        inner = st.lists(inner, max_size=3)
    return draw(st.lists(maybe_null(inner, nulls=nulls), min_size=n, max_size=n))  # type: ignore[no-any-return]


@st.composite
def _column(draw: Draw, name: str, n: int, target: DynamicTable) -> _Column:
    kind = draw(st.sampled_from(KINDS))
    nulls = draw(st.booleans())
    if kind in _SCALARS:
        dtype, values = _SCALARS[kind]
        cells = draw(st.lists(maybe_null(values, nulls=nulls), min_size=n, max_size=n))
        return _Column(kind, name, cells, {"dtype": dtype})
    if kind in ("ragged", "ragged2"):
        dtype, values = _SCALARS[draw(st.sampled_from(["int", "float", "text"]))]
        depth = 1 if kind == "ragged" else 2
        cells = draw(ragged_cells(n, depth=depth, values=values, nulls=nulls))
        return _Column(kind, name, cells, {"dtype": dtype, "index": depth})
    if kind == "nd":
        k = draw(st.integers(1, 3))
        vec = st.lists(st.floats(allow_nan=False, width=32), min_size=k, max_size=k)
        cells = draw(st.lists(vec, min_size=n, max_size=n))
        return _Column(kind, name, cells, {})
    positions = st.integers(0, len(target) - 1)
    if kind == "region":
        cells = draw(st.lists(maybe_null(positions, nulls=nulls), min_size=n, max_size=n))
        return _Column(kind, name, cells, {"table": target})
    if kind == "ragged_region":
        cells = draw(ragged_cells(n, depth=1, values=positions, nulls=nulls))
        return _Column(kind, name, cells, {"table": target, "index": True})
    elements = draw(st.lists(_TEXT, min_size=1, max_size=5, unique=True))
    cells = draw(
        st.lists(maybe_null(st.sampled_from(elements), nulls=nulls), min_size=n, max_size=n)
    )
    return _Column(kind, name, cells, {"enum": elements})


@st.composite
def dynamic_tables(
    draw: Draw, *, max_rows: int = 8, max_columns: int = 5, kinds: tuple[str, ...] = KINDS
) -> DynamicTable:
    """A DynamicTable with random columns of the given kinds (see the module docstring)."""
    n = draw(st.integers(0, max_rows))
    target = draw(target_tables())
    names = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g"]), unique=True,
                          max_size=max_columns))  # fmt: skip
    columns = [draw(_column(name, n, target)) for name in names]
    columns = [c for c in columns if c.kind in kinds]
    ids = draw(st.lists(st.integers(-(2**40), 2**40), min_size=n, max_size=n, unique=True))
    table = DynamicTable(name="table", description=draw(_TEXT))
    if draw(st.booleans()) or not columns:
        for c in columns:
            table.add_column(c.name, f"{c.kind} column", **c.options)
        for i in range(n):
            table.add_row({c.name: c.cells[i] for c in columns}, id=ids[i])
        return table
    for c in columns:
        table.add_column(c.name, f"{c.kind} column", data=c.cells, **c.options)
    if not n:
        return table
    # add_column numbered the rows 0..n-1; rebuild over the same columns with the drawn ids
    return DynamicTable(table.name, table.description, id=ids, columns=table.columns)
