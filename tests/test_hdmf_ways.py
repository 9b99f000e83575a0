"""Code written the hdmf way (issue 10): behaviours hdmf's own tests rely on."""

from __future__ import annotations

import pytest

from hdmf_arrow.common import DynamicTable, EnumData
from hdmf_arrow.errors import CellTypeError


def test_columns_given_as_specs_are_added_empty_in_order() -> None:
    table = DynamicTable(
        name="t",
        description="d",
        columns=[
            {"name": "foo", "description": "foo column"},
            {"name": "spikes", "description": "ragged", "index": True},
            {"name": "kind", "description": "enum", "enum": ["a", "b"]},
            {"name": "w", "description": "float32", "dtype": "float32", "required": False},
        ],
    )
    assert table.colnames == ("foo", "spikes", "kind", "w")
    assert len(table) == 0
    assert isinstance(table["kind"], EnumData)
    table.add_row(foo=1, spikes=[0.5, 1.5], kind="b", w=2.0)
    assert list(table["spikes"][0]) == [0.5, 1.5]
    assert str(table["w"].dtype) == "float"


def test_a_column_spec_without_a_description_is_refused_naming_the_table() -> None:
    with pytest.raises(CellTypeError, match="DynamicTable 't': a column spec needs"):
        DynamicTable(name="t", description="d", columns=[{"name": "foo"}])
    with pytest.raises(CellTypeError, match=r"found \['description', 'name', 'nope'\]"):
        DynamicTable(
            name="t", description="d", columns=[{"name": "f", "description": "d", "nope": 1}]
        )


def test_h5py_datasets_are_accepted_as_column_data(tmp_path: object) -> None:
    import h5py
    import numpy as np

    path = f"{tmp_path}/d.h5"
    with h5py.File(path, "w") as f:
        f["xy"] = np.arange(6.0).reshape(3, 2)
        f["names"] = ["a", "b", "c"]
        table = DynamicTable(name="t", description="d")
        table.add_column("xy", "positions", data=f["xy"])
        table.add_column("names", "names", data=f["names"])
    assert table["xy"].data.tolist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    assert table["names"].data.tolist() == ["a", "b", "c"]
