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


# -- specs of the HDMF schema language (hdmf_arrow.spec) ---------------------------------------

_SPEC_DOC = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)
_SPEC_NAME = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True)
_SPEC_TYPE = st.from_regex(r"[A-Z][A-Za-z0-9]{0,6}", fullmatch=True)
_SPEC_SCALAR = st.one_of(
    _TEXT, st.integers(-(2**63), 2**63), st.floats(allow_nan=False), st.booleans()
)
_SPEC_VALUE = st.recursive(_SPEC_SCALAR, lambda inner: st.lists(inner, max_size=3), max_leaves=5)


@st.composite
def _spec_dtype(draw: Draw, *, compound: bool) -> Any:
    """A dtype name (any synonym), a reference, or (datasets only) a compound dtype."""
    from hdmf_arrow.spec import DTYPE_SYNONYMS, DtypeSpec, RefSpec

    simple = st.one_of(st.sampled_from(sorted(DTYPE_SYNONYMS)), st.builds(RefSpec, _SPEC_TYPE))
    if compound and draw(st.integers(0, 4)) == 0:
        names = draw(st.lists(_SPEC_NAME, min_size=1, max_size=3, unique=True))
        return [DtypeSpec(n, draw(_SPEC_DOC), draw(simple)) for n in names]
    return draw(simple)


@st.composite
def _spec_shape(draw: Draw) -> dict[str, Any]:
    """``shape`` and/or ``dims`` (flat or alternatives), or neither."""
    kind = draw(st.sampled_from(["none", "flat", "alternatives"]))
    if kind == "none":
        return {}
    ranks = [draw(st.integers(1, 3))]
    if kind == "alternatives":
        ranks = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    shapes = [draw(st.lists(st.none() | st.integers(0, 5), min_size=r, max_size=r)) for r in ranks]
    dims = [draw(st.lists(_SPEC_NAME, min_size=r, max_size=r)) for r in ranks]
    out: dict[str, Any] = {}
    given = draw(st.sampled_from(["shape", "dims", "both"]))
    if given in ("shape", "both"):
        out["shape"] = shapes[0] if kind == "flat" else shapes
    if given in ("dims", "both"):
        out["dims"] = dims[0] if kind == "flat" else dims
    return out


@st.composite
def _spec_values(draw: Draw) -> dict[str, Any]:
    """Nothing, a constant ``value`` or a ``default_value``."""
    which = draw(st.sampled_from([None, None, "value", "default_value"]))
    return {which: draw(_SPEC_VALUE)} if which else {}


@st.composite
def _spec_attribute(draw: Draw, name: str) -> Any:
    from hdmf_arrow.spec import AttributeSpec

    return AttributeSpec(
        name=name,
        doc=draw(_SPEC_DOC),
        dtype=draw(_spec_dtype(compound=False)),
        required=draw(st.booleans()),
        **draw(_spec_shape()),
        **draw(_spec_values()),
    )


@st.composite
def _spec_storage(draw: Draw, *, name: str | None, inc: str | None, top: bool) -> dict[str, Any]:
    """What datasets and groups share; ``name``/``inc`` chosen by the parent (or top level)."""
    kw: dict[str, Any] = {"doc": draw(_SPEC_DOC)}
    if top:
        kw["data_type_def"] = draw(_SPEC_TYPE)
    if inc is not None and inc != kw.get("data_type_def"):
        kw["data_type_inc"] = inc
    if name is not None:
        kw["name"] = name
        kw["quantity"] = draw(st.sampled_from([1, "?", "zero_or_one"]))
    else:
        if draw(st.booleans()):
            kw["default_name"] = draw(_SPEC_NAME)
        if not top:
            kw["quantity"] = draw(st.sampled_from([1, "?", "*", "+", 2, "zero_or_many"]))
    if not draw(st.booleans()):
        kw["linkable"] = False
    names = draw(st.lists(_SPEC_NAME, max_size=2, unique=True))
    kw["attributes"] = [draw(_spec_attribute(n)) for n in names]
    return kw


@st.composite
def _spec_dataset(draw: Draw, *, name: str | None, inc: str | None, top: bool = False) -> Any:
    from hdmf_arrow.spec import DatasetSpec

    kw = draw(_spec_storage(name=name, inc=inc, top=top))
    if draw(st.booleans()):
        kw["dtype"] = draw(_spec_dtype(compound=True))
    return DatasetSpec(**kw, **draw(_spec_shape()), **draw(_spec_values()))


@st.composite
def _spec_group(
    draw: Draw, *, name: str | None, inc: str | None, depth: int, top: bool = False
) -> Any:
    from hdmf_arrow.spec import GroupSpec, LinkSpec

    kw = draw(_spec_storage(name=name, inc=inc, top=top))
    # every named child gets its own name; every unnamed child its own type (per kind)
    names = iter(draw(st.lists(_SPEC_NAME, min_size=9, max_size=9, unique=True)))
    types = iter(draw(st.lists(_SPEC_TYPE, min_size=9, max_size=9, unique=True)))

    def who() -> tuple[str | None, str | None]:
        named = draw(st.booleans())
        return (next(names) if named else None), (draw(_SPEC_TYPE) if named else next(types))

    datasets = []
    for _ in range(draw(st.integers(0, 2))):
        child_name, child_inc = who()
        datasets.append(draw(_spec_dataset(name=child_name, inc=child_inc)))
    groups = []
    for _ in range(draw(st.integers(0, 2 if depth > 0 else 0))):
        child_name, child_inc = who()
        groups.append(draw(_spec_group(name=child_name, inc=child_inc, depth=depth - 1)))
    links = []
    for _ in range(draw(st.integers(0, 2))):
        named = draw(st.booleans())
        links.append(
            LinkSpec(
                doc=draw(_SPEC_DOC),
                target_type=draw(_SPEC_TYPE) if named else next(types),
                quantity=draw(st.sampled_from([1, "?"]))
                if named
                else draw(st.sampled_from(["*", "+", 1])),
                name=next(names) if named else None,
            )
        )
    return GroupSpec(datasets=datasets, groups=groups, links=links, **kw)


def specs(*, max_depth: int = 2) -> st.SearchStrategy[Any]:
    """A random top-level spec (a GroupSpec or DatasetSpec defining a type), for round trips.

    It draws every feature of the schema language: dtypes by any synonym, references and
    compound dtypes, flat and alternative shapes with or without dims, constant and default
    values, quantities (flags and their long names), names and default names, attributes,
    nested datasets, groups (up to ``max_depth`` levels) and links. The type names it uses
    are not defined anywhere: the specs are for ``load(dump(spec)) == spec``, not for loading
    into a catalog.
    """
    return st.one_of(
        _SPEC_TYPE.flatmap(lambda inc: _spec_dataset(name=None, inc=inc, top=True)),
        _SPEC_TYPE.flatmap(lambda inc: _spec_group(name=None, inc=inc, depth=max_depth, top=True)),
        _spec_group(name=None, inc=None, depth=max_depth, top=True),
    )
