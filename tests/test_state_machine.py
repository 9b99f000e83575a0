"""A model-based test of one local store with several writers (hypothesis.stateful).

The machine drives one store through three mode-"a" handles, each holding the tree it read
(a SimpleMultiContainer of two tables, ``t0`` and ``t1``), and keeps its own model of every
table: the rows and columns it expects, in plain Python, built without the library. Rules:

- ``reopen``: a handle opens the newest version again (``ParquetIO(loc, "a").read()``);
- ``add_rows`` / ``add_column``: ints, strings and ragged float lists, to a handle's table
  (a new column gets a value for every row);
- ``write``: a handle writes its tree; ``write_other``: a handle writes the tree another
  handle holds (possibly read at an older version);
- ``conflict``: two handles reopen at the newest version, both add rows, both write;
- ``reopen_old``: an old version through ``ParquetIO(loc, "r", version=v)`` and
  ``hdmf_arrow.read(loc, version=v)``;
- ``write_old``: a tree read from an OLD version, changed, written through a NEW mode-"a"
  handle.

What must hold:

- ``write`` returns exactly the next version (newest on disk + 1) or raises
  StoreConflictError (or a subclass); any other exception fails the test. A conflict
  commits nothing.
- A successful write commits what was written: the version reads back equal to the writer's
  model, and the written tables, in memory, still equal it too.
- A write from a handle that is not at the newest version (a rebase) must not lose another
  writer's commit: every table of the newest version is a prefix (rows and columns) of what
  the rebased version holds.
- After every write, every version the machine recorded reads back equal to its record
  (a fresh ``ParquetIO(loc, "r", version=v)`` each time); no manifest exists that the
  machine did not see committed; the newest version opens in mode "a" and each table's
  ``len`` equals its ``to_arrow().num_rows``.

A failure prints the shortest sequence of steps that breaks one of these.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import StoreConflictError
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.testing import assert_table_equal

HANDLES = 3
TABLES = ("t0", "t1")
MANIFEST_NAME = re.compile(r"^(\d{20})\.json$")

# column kinds, told apart by the first two letters of the name: xi_3 (int), xs_4, xr_5
TYPES = {"i": pa.int64(), "s": pa.string(), "r": pa.list_(pa.float64())}
BASE_COLUMNS = {"k": "i", "s": "s", "r": "r"}
VALUES = {
    "i": st.integers(-(2**63), 2**63 - 1),
    "s": st.text(max_size=6),
    "r": st.lists(st.floats(allow_nan=False), max_size=4),
}
handle_ids = st.integers(0, HANDLES - 1)
table_names = st.sampled_from(TABLES)


def kind_of(column: str) -> str:
    return BASE_COLUMNS.get(column) or column[1]


# -- the model: what each table must hold, without the library --------------------------------


@dataclass
class Model:
    """A table's expected columns (after ``id``) and rows (dicts, ``id`` included)."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def copy(self) -> Model:
        return Model(list(self.columns), [dict(r) for r in self.rows])

    def extends(self, older: Model) -> bool:
        """Whether this holds every column and row of ``older`` (rows and columns added
        at the end only)."""
        return (
            self.columns[: len(older.columns)] == older.columns
            and len(self.rows) >= len(older.rows)
            and all(
                all(new[c] == old[c] for c in ("id", *older.columns))
                for new, old in zip(self.rows, older.rows, strict=False)
            )
        )


@dataclass
class Tree:
    """A tree in memory (the root a handle read or wrote) with the model of each table.

    Handles may share one Tree (``write_other``): its tables are the same objects."""

    root: SimpleMultiContainer
    models: dict[str, Model]


@dataclass
class Handle:
    io: ParquetIO
    tree: Tree


def new_table(name: str) -> DynamicTable:
    table = DynamicTable(name=name, description=f"state machine table {name}")
    table.add_column("k", "an int", dtype="int")
    table.add_column("s", "a string", dtype="text")
    table.add_column("r", "ragged floats", index=True, dtype="float")
    return table


def describe_difference(actual: pa.Table, model: Model, where: str) -> str | None:
    """None if ``actual`` holds exactly the model's columns, types and rows; else what differs."""
    names = ["id", *model.columns]
    if actual.schema.names != names:
        return f"{where}: columns {actual.schema.names}, expected {names}"
    for name in model.columns:
        have, want = actual.schema.field(name).type, TYPES[kind_of(name)]
        if have != want:
            return f"{where}: column {name!r} has type {have}, expected {want}"
    if actual.schema.field("id").type != pa.int64():
        return f"{where}: id column has type {actual.schema.field('id').type}"
    rows = actual.to_pylist()
    if len(rows) != len(model.rows):
        return f"{where}: {len(rows)} rows, expected {len(model.rows)}"
    for i, (have_row, want_row) in enumerate(zip(rows, model.rows, strict=True)):
        if have_row != want_row:
            return f"{where}: row {i} is {have_row}, expected {want_row}"
    return None


def check_table(table: DynamicTable, model: Model, where: str) -> None:
    """``table`` holds exactly ``model``, and its ``len`` agrees with its Arrow form."""
    arrow = table.to_arrow()
    assert len(table) == arrow.num_rows, f"{where}: len {len(table)} != {arrow.num_rows} rows"
    problem = describe_difference(arrow, model, where)
    assert problem is None, problem


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="hdmf-arrow-sm-"))
        self.loc = self.dir / "store"
        #: every acknowledged version -> the expected model of each table
        self.expected: dict[int, dict[str, Model]] = {}
        #: the hdmf document (table_meta) of each table of each version, taken at write
        self.meta: dict[int, dict[str, dict[str, Any]]] = {}
        self.handles: list[Handle] = []
        self.columns_made = 0

    def teardown(self) -> None:
        try:
            # every version, once more, at the end (unless a step failed: that is the error)
            if sys.exc_info()[0] is None and self.expected:
                self.check_versions(sorted(self.expected))
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- helpers ------------------------------------------------------------------------------

    def manifests(self) -> list[int]:
        """The versions on disk, listed without the library."""
        folder = self.loc / "_hdmf" / "versions"
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        return sorted(int(m.group(1)) for n in names if (m := MANIFEST_NAME.match(n)))

    def newest(self) -> int:
        return max(self.expected)

    def open_newest(self) -> Handle:
        io = ParquetIO(self.loc, "a")
        assert io.version == self.newest(), (io.version, self.newest())
        root = io.read()
        assert isinstance(root, SimpleMultiContainer)
        models = {name: m.copy() for name, m in self.expected[io.version].items()}
        return Handle(io, Tree(root, models))

    def add_rows(self, tree: Tree, name: str, data: st.DataObject, count: int) -> None:
        table, model = tree.root[name], tree.models[name]
        row = st.fixed_dictionaries({c: VALUES[kind_of(c)] for c in model.columns})
        rows = data.draw(st.lists(row, min_size=count, max_size=count), label=f"{name} rows")
        for values in rows:
            table.add_row(**values)
            model.rows.append({"id": len(model.rows), **values})

    def commit(self, io: ParquetIO, tree: Tree, what: str) -> int | None:
        """``io.write(tree.root)``: checks the outcome, records an acknowledged version.

        Returns the new version, or None after a StoreConflictError."""
        before = self.manifests()
        assert before == sorted(self.expected), (before, sorted(self.expected))
        newest = before[-1]
        parent = io.version
        try:
            version = io.write(tree.root)
        except StoreConflictError:
            after = self.manifests()
            assert after == before, f"{what}: a write that conflicted committed {after}"
            self.check_versions([newest])
            return None
        except Exception as exc:
            msg = (
                f"{what}: write from version {parent} (newest {newest}) raised "
                f"{type(exc).__name__}, neither a version nor a StoreConflictError: {exc}"
            )
            raise AssertionError(msg) from exc
        assert version == newest + 1, f"{what}: write returned {version}, newest was {newest}"
        assert io.version == version, f"{what}: io.version {io.version} after writing {version}"
        assert self.manifests() == [*before, version]
        models = {name: m.copy() for name, m in tree.models.items()}
        if parent != newest:  # a rebase onto a version this writer did not start from
            for name, old in self.expected[newest].items():
                assert models[name].extends(old), (
                    f"{what}: a write from version {parent} rebased onto version {newest} "
                    f"and lost its table {name!r}: version {newest} had {len(old.rows)} rows "
                    f"and columns {old.columns}; version {version} has "
                    f"{len(models[name].rows)} rows and columns {models[name].columns}"
                )
        for name in TABLES:  # what was written, in memory, is still what the model says
            check_table(tree.root[name], models[name], f"{what}, in memory after v{version}")
        self.expected[version] = models
        self.meta[version] = {n: tree.root[n].table_meta().to_dict() for n in TABLES}
        self.check_versions([newest, version])
        return version

    def check_version(self, version: int) -> None:
        """A fresh reader of ``version`` finds exactly what was recorded when it was written."""
        with ParquetIO(self.loc, "r", version=version) as io:
            assert io.version == version
            root = io.read()
            for name in TABLES:
                table = root[name]
                check_table(table, self.expected[version][name], f"version {version}, {name}")
                assert table.table_meta().to_dict() == self.meta[version][name], (
                    f"version {version}, {name}: its hdmf document changed"
                )

    def check_versions(self, versions: list[int]) -> None:
        """Each of ``versions`` reads back as recorded; the newest opens in mode "a" and its
        tables' lengths agree with their rows."""
        for version in versions:
            self.check_version(version)
        with ParquetIO(self.loc, "a") as io:
            assert io.version == self.newest()
            root = io.read()
            for name in TABLES:
                table = root[name]
                assert len(table) == table.to_arrow().num_rows, f"newest, {name}"

    # -- rules --------------------------------------------------------------------------------

    @initialize(data=st.data(), rows0=st.integers(0, 3), rows1=st.integers(0, 3))
    def create(self, data: st.DataObject, rows0: int, rows1: int) -> None:
        root = SimpleMultiContainer("root", [new_table(n) for n in TABLES])
        tree = Tree(root, {n: Model(list(BASE_COLUMNS)) for n in TABLES})
        self.add_rows(tree, "t0", data, rows0)
        self.add_rows(tree, "t1", data, rows1)
        with ParquetIO(self.loc, "w") as io:
            assert io.write(root) == 1
        self.expected[1] = {n: m.copy() for n, m in tree.models.items()}
        self.meta[1] = {n: root[n].table_meta().to_dict() for n in TABLES}
        self.check_versions([1])
        self.handles = [self.open_newest() for _ in range(HANDLES)]

    @rule(h=handle_ids)
    def reopen(self, h: int) -> None:
        self.handles[h] = self.open_newest()

    @rule(h=handle_ids, name=table_names, count=st.integers(1, 3), data=st.data())
    def add_rows_to(self, h: int, name: str, count: int, data: st.DataObject) -> None:
        self.add_rows(self.handles[h].tree, name, data, count)

    @rule(h=handle_ids, name=table_names, kind=st.sampled_from("isr"), data=st.data())
    def add_column(self, h: int, name: str, kind: str, data: st.DataObject) -> None:
        tree = self.handles[h].tree
        table, model = tree.root[name], tree.models[name]
        self.columns_made += 1
        column = f"x{kind}_{self.columns_made}"
        n = len(model.rows)
        values = data.draw(st.lists(VALUES[kind], min_size=n, max_size=n), label=column)
        dtype = {"i": "int", "s": "text", "r": "float"}[kind]
        table.add_column(column, f"added {kind}", data=values, index=kind == "r", dtype=dtype)
        model.columns.append(column)
        for row, value in zip(model.rows, values, strict=True):
            row[column] = value

    @rule(h=handle_ids)
    def write(self, h: int) -> None:
        handle = self.handles[h]
        self.commit(handle.io, handle.tree, f"handle {h} writes its tree")

    @rule(h=handle_ids, other=st.integers(1, HANDLES - 1))
    def write_other(self, h: int, other: int) -> None:
        g = (h + other) % HANDLES
        handle = self.handles[h]
        tree = self.handles[g].tree
        if self.commit(handle.io, tree, f"handle {h} writes the tree of handle {g}"):
            handle.tree = tree  # the IO now holds that tree (both handles share it)

    @rule(
        a=handle_ids,
        other=st.integers(1, HANDLES - 1),
        table_a=table_names,
        table_b=table_names,
        data=st.data(),
    )
    def conflict(self, a: int, other: int, table_a: str, table_b: str, data: st.DataObject) -> None:
        b = (a + other) % HANDLES
        self.handles[a] = self.open_newest()
        self.handles[b] = self.open_newest()
        self.add_rows(self.handles[a].tree, table_a, data, 1)
        self.add_rows(self.handles[b].tree, table_b, data, 1)
        first = self.commit(self.handles[a].io, self.handles[a].tree, f"conflict: {a} first")
        assert first is not None, "the first of two writers at the newest version conflicted"
        self.commit(self.handles[b].io, self.handles[b].tree, f"conflict: {b} second")

    @rule(data=st.data())
    def reopen_old(self, data: st.DataObject) -> None:
        version = data.draw(st.sampled_from(sorted(self.expected)), label="version")
        self.check_version(version)
        root = hdmf_arrow.read(self.loc, version=version)
        with ParquetIO(self.loc, "r", version=version) as io:
            pinned = io.read()
        for name in TABLES:
            check_table(root[name], self.expected[version][name], f"read(version={version})")
            assert_table_equal(root[name], pinned[name])

    @rule(h=handle_ids, name=table_names, count=st.integers(0, 2), data=st.data())
    def write_old(self, h: int, name: str, count: int, data: st.DataObject) -> None:
        """A tree read at an older version, changed, written through a new mode-"a" handle
        (which is at the newest version)."""
        version = data.draw(st.sampled_from(sorted(self.expected)), label="old version")
        with ParquetIO(self.loc, "r", version=version) as old:
            root = old.read()
        assert isinstance(root, SimpleMultiContainer)
        tree = Tree(root, {n: m.copy() for n, m in self.expected[version].items()})
        self.add_rows(tree, name, data, count)
        io = ParquetIO(self.loc, "a")
        what = f"a tree read at version {version} written through a new handle"
        if self.commit(io, tree, what):
            self.handles[h] = Handle(io, tree)

    @invariant()
    def store_is_whole(self) -> None:
        if not self.expected:
            return
        assert self.manifests() == sorted(self.expected), "a version the machine did not commit"


StoreMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestStoreMachine = StoreMachine.TestCase
