"""MeaningsTable (hdmf-common 1.10): the meanings API, and meanings through the store, HDF5
(hdmf reads them) and the validator."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import pytest

from hdmf_arrow import ParquetIO, export_hdf5, import_hdf5, read, validate, write
from hdmf_arrow.common import DynamicTable, MeaningsTable, SimpleMultiContainer

if TYPE_CHECKING:
    from pathlib import Path


def _trials() -> DynamicTable:
    trials = DynamicTable(name="trials", description="trials")
    trials.add_column("stim", "stimulus", data=["A", "B", "A"])
    trials.add_column("rate", "rate", data=[1.0, 2.0, 3.0])
    meanings = MeaningsTable(trials["stim"])
    meanings.add_row(value="A", meaning="a grating")
    meanings.add_row(value="B", meaning="a natural image")
    trials.add_meanings_table(meanings)
    return trials


def test_the_meanings_api_matches_hdmf() -> None:
    trials = _trials()
    meanings = trials.get_meanings_table("stim_meanings")
    assert meanings.description == "Meanings for values in 'stim'"
    assert trials["stim"].get_meanings() is meanings
    assert trials["rate"].get_meanings() is None
    assert trials.get_meanings_for_column("rate") is None
    with pytest.raises(KeyError, match="Column 'nope' not found"):
        trials.get_meanings_for_column("nope")
    with pytest.raises(KeyError, match="MeaningsTable 'x' not found"):
        trials.get_meanings_table("x")
    with pytest.raises(ValueError, match="already exists"):
        trials.add_meanings_table(MeaningsTable(trials["stim"]))
    other = DynamicTable(name="other", description="d")
    other.add_column("rate", "s", data=[1.0])
    with pytest.raises(ValueError, match="is not a column in DynamicTable 'trials'"):
        trials.add_meanings_table(MeaningsTable(other["rate"]))
    with pytest.raises(TypeError, match="expected 'VectorData'"):
        MeaningsTable(42)  # type: ignore[arg-type]


def test_meanings_survive_the_store(tmp_path: Path) -> None:
    write(SimpleMultiContainer("session", [_trials()]), tmp_path / "store")
    trials = read(tmp_path / "store")["trials"]
    meanings = trials["stim"].get_meanings()
    assert isinstance(meanings, MeaningsTable)
    assert meanings.target is trials["stim"]
    assert list(meanings["meaning"].data) == ["a grating", "a natural image"]
    assert validate(tmp_path / "store") == []
    with ParquetIO(tmp_path / "store", "a") as io:  # append keeps them
        root = io.read()
        root["trials"].get_meanings_table("stim_meanings").add_row(value="C", meaning="dark")
        io.write(root)
    again = read(tmp_path / "store")["trials"].get_meanings_table("stim_meanings")
    assert list(again["value"].data) == ["A", "B", "C"]


def test_meanings_in_hdf5_are_read_by_hdmf_and_come_back(tmp_path: Path) -> None:
    export_hdf5(SimpleMultiContainer("session", [_trials()]), tmp_path / "m.h5")
    from hdmf.backends.hdf5 import HDF5IO as HdmfIO
    from hdmf.common import get_manager
    from hdmf.common import validate as hdmf_validate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with HdmfIO(str(tmp_path / "m.h5"), "r", manager=get_manager()) as io:
            theirs = io.read()["trials"]
            table = theirs.get_meanings_table("stim_meanings")
            assert table.target is theirs["stim"]
            assert list(table["meaning"].data[:]) == ["a grating", "a natural image"]
            assert hdmf_validate(io) == []
    import_hdf5(tmp_path / "m.h5", tmp_path / "store")
    back = read(tmp_path / "store")["trials"]
    assert back["stim"].get_meanings().target is back["stim"]


def test_validate_reports_a_value_without_a_meaning() -> None:
    trials = _trials()
    trials.add_row(stim="Z", rate=4.0)
    issues = [str(i) for i in validate(trials)]
    assert issues == [
        "MeaningsTable (trials/meanings_tables/stim_meanings): values ['Z'] of column 'stim' "
        "have no meaning"
    ]
