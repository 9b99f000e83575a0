"""validate() checks the attributes of untyped named datasets against their parent's spec
(a TimeSeries' ``data`` and its ``unit``), as hdmf's validator does. Before session 21 only
their shapes and dtypes were checked."""

from __future__ import annotations

import datetime as dt
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

import hdmf_arrow
from hdmf_arrow.io.hdf5 import import_hdf5

if TYPE_CHECKING:
    from pathlib import Path

pynwb = pytest.importorskip("pynwb")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("untyped")
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    nwb = pynwb.NWBFile(session_description="s", identifier="i", session_start_time=start)
    nwb.add_acquisition(pynwb.TimeSeries(name="ts", data=np.arange(5.0), unit="m", rate=1.0))
    with pynwb.NWBHDF5IO(where / "f.nwb", "w") as io:
        io.write(nwb)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import_hdf5(where / "f.nwb", where / "s")
    return where / "s"


def _data(location: Path) -> tuple[Any, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        root = hdmf_arrow.read(location)
    return root, root["acquisition"]["ts"]["data"]


def _messages(root: Any) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [i.message for i in hdmf_arrow.validate(root) if i.path.endswith("ts/data")]


def test_a_valid_timeseries_data_has_no_issue(imported: Path) -> None:
    root, data = _data(imported)
    assert data.data_type is None
    assert data.attributes["unit"] == "m"
    assert _messages(root) == []


def test_a_missing_required_attribute_is_reported(imported: Path) -> None:
    root, data = _data(imported)
    del data.attributes["unit"]
    assert _messages(root) == ["required attribute 'unit' is missing"]


def test_an_attribute_with_a_default_may_be_missing(imported: Path) -> None:
    root, data = _data(imported)
    del data.attributes["conversion"]  # the spec gives it a default (1.0)
    assert _messages(root) == []


def test_an_attribute_of_the_wrong_dtype_is_reported(imported: Path) -> None:
    root, data = _data(imported)
    data.attributes["conversion"] = "fast"
    (message,) = _messages(root)
    assert "attribute 'conversion' (spec TimeSeries/data/conversion)" in message
    assert "expected dtype 'float32', found 'text'" in message
