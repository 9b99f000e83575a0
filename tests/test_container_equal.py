"""assert_container_equal and TestCase.assertContainerEqual: whole trees by content."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pytest

from hdmf_arrow import HDF5IO, export_hdf5, read, write
from hdmf_arrow.common import CSRMatrix, Dataset, DynamicTable, Group, Link, SimpleMultiContainer
from hdmf_arrow.testing import TestCase, assert_container_equal

if TYPE_CHECKING:
    from pathlib import Path


def _tree() -> SimpleMultiContainer:
    table = DynamicTable(name="t", description="d")
    table.add_column("x", "x", data=[1.0, np.nan])
    table.add_column("s", "spikes", data=[[1.0], []], index=True)
    matrix = CSRMatrix(np.array([[0, 1.0], [2.0, 0]]), name="m")
    inner = Group("inner", [Dataset("when", "2024"), Dataset("trace", np.arange(4.0))])
    return SimpleMultiContainer("root", [table, matrix, inner, Link("alias", table)])


def test_a_tree_equals_itself_and_its_store_and_hdf5_copies(tmp_path: Path) -> None:
    tree = _tree()
    assert_container_equal(tree, tree)
    write(tree, tmp_path / "store")
    assert_container_equal(tree, read(tmp_path / "store"))
    export_hdf5(tree, tmp_path / "t.h5")
    with HDF5IO(tmp_path / "t.h5") as io:  # the root is named 'root' in HDF5
        assert_container_equal(tree, io.read(), ignore_name=True)


@pytest.mark.parametrize(
    ("change", "found"),
    [
        (lambda t: t["t"].add_row(x=3.0, s=[]), "table 't'"),
        (lambda t: t["inner"].add_container(Dataset("extra", 1)), "root/inner: children differ"),
        (lambda t: t["inner"]["trace"].append(9.0), "root/inner/trace: values differ"),
        (lambda t: t.attributes.update(note="n"), "root: attributes differ"),
    ],
)
def test_each_difference_is_named(change: object, found: str) -> None:
    changed = _tree()
    change(changed)  # type: ignore[operator]
    with pytest.raises(AssertionError, match=found):
        assert_container_equal(_tree(), changed, check_metadata=False)


def test_object_ids_count_unless_hdmf_attrs_are_ignored() -> None:
    case = TestCase()
    case.assertContainerEqual(_tree(), _tree(), ignore_hdmf_attrs=True)
    with pytest.raises(AssertionError, match="object_id"):
        case.assertContainerEqual(_tree(), _tree())
