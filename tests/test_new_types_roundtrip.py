"""The types of hdmf-common 1.10 that issue 10 added (AlignedDynamicTable in the store,
MeaningsTable, HERD): any of them that hypothesis builds survives the store and HDF5."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hdmf_arrow
from hdmf_arrow.common import (
    HERD,
    AlignedDynamicTable,
    DynamicTable,
    MeaningsTable,
    SimpleMultiContainer,
)
from hdmf_arrow.common._walk import walk
from hdmf_arrow.testing import assert_container_equal

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=6)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def aligned_tables(draw: st.DrawFn) -> AlignedDynamicTable:
    n = draw(st.integers(0, 5))
    categories = []
    for k in range(draw(st.integers(1, 3))):
        cat = DynamicTable(name=f"cat{k}", description=draw(TEXT))
        cat.add_column(
            "count",
            "c",
            data=draw(st.lists(st.integers(-9, 9), min_size=n, max_size=n)),
            dtype="int",
        )
        if draw(st.booleans()):
            cat.add_column(
                "label", "l", data=draw(st.lists(TEXT, min_size=n, max_size=n)), dtype="text"
            )
        categories.append(cat)
    table = AlignedDynamicTable(name="trials", description=draw(TEXT), category_tables=categories)
    table.add_column(
        "start",
        "s",
        data=draw(st.lists(st.floats(-1e6, 1e6), min_size=n, max_size=n)),
        dtype="float",
    )
    return table


@st.composite
def tables_with_meanings(draw: st.DrawFn) -> DynamicTable:
    values = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=6))
    table = DynamicTable(name="trials", description="d")
    table.add_column("stimulus", "s", data=values)
    meanings = MeaningsTable(target=table["stimulus"])
    for value in sorted(set(values)):
        meanings.add_row(value=value, meaning=draw(TEXT))
    table.add_meanings_table(meanings)
    return table


@st.composite
def herds(draw: st.DrawFn) -> SimpleMultiContainer:
    keys = draw(
        st.lists(
            st.text(alphabet="abcdefgh ", min_size=1, max_size=8),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    subjects = DynamicTable(name="subjects", description="d")
    subjects.add_column("species", "s", data=keys)
    herd = HERD()
    session = SimpleMultiContainer("session", [subjects, herd])
    for i, key in enumerate(keys):
        taxon = draw(st.integers(0, 3)) if i else 0  # entities shared by several keys too
        herd.add_ref(
            container=subjects["species"],
            key=key,
            entity_id=f"TAXON:{taxon}",
            entity_uri=f"https://example.org/{taxon}",
        )
    return session


def _through_store(tree: object) -> object:
    with tempfile.TemporaryDirectory() as tmp:
        hdmf_arrow.write(tree, Path(tmp) / "s.hdmf")
        back = hdmf_arrow.read(Path(tmp) / "s.hdmf")
        _load(back)
        return back


def _through_hdf5(tree: object) -> object:
    with tempfile.TemporaryDirectory() as tmp:
        hdmf_arrow.export_hdf5(tree, Path(tmp) / "s.h5")  # type: ignore[arg-type]
        with hdmf_arrow.HDF5IO(Path(tmp) / "s.h5") as io:
            back = io.read()
            _load(back)
            return back


def _load(tree: object) -> None:
    """Read every column (and HERD's tables) while the file is still there."""
    for table in _tables(tree):
        table.to_arrow()
    for child in getattr(tree, "children", ()):
        if isinstance(child, HERD):
            for herd_table in child.children:
                herd_table.to_arrow()  # type: ignore[attr-defined]


def _tables(tree: object) -> list[DynamicTable]:
    return [t for t in walk(tree) if isinstance(t, DynamicTable)]  # type: ignore[arg-type]


@SETTINGS
@given(aligned_tables())
def test_aligned_tables_round_trip(table: AlignedDynamicTable) -> None:
    assert_container_equal(_through_store(table), table)  # type: ignore[arg-type]
    # an HDF5 file's root group has no name of its own
    assert_container_equal(_through_hdf5(table), table, ignore_name=True)  # type: ignore[arg-type]


@SETTINGS
@given(tables_with_meanings())
def test_meanings_tables_round_trip(table: DynamicTable) -> None:
    expected = table.get_meanings_for_column("stimulus").to_dataframe()  # type: ignore[union-attr]
    for back, hdf5 in ((_through_store(table), False), (_through_hdf5(table), True)):
        assert_container_equal(back, table, ignore_name=hdf5)  # type: ignore[arg-type]
        got = back.get_meanings_for_column("stimulus")  # type: ignore[attr-defined]
        pd.testing.assert_frame_equal(got.to_dataframe(), expected)
        assert got.target is back["stimulus"]  # type: ignore[index]


@SETTINGS
@given(herds())
def test_herds_round_trip(session: SimpleMultiContainer) -> None:
    expected = session["external_resources"].to_dataframe()
    for back in (_through_store(session), _through_hdf5(session)):
        herd = back["external_resources"]  # type: ignore[index]
        assert isinstance(herd, HERD)
        pd.testing.assert_frame_equal(herd.to_dataframe(), expected, check_dtype=False)
        column = back["subjects"]["species"]  # type: ignore[index]
        assert len(herd.get_object_entities(container=column)) == len(expected)
