"""Review of object-id uniqueness in validate and of damaged column descriptions in a
manifest (session 18): each test is a problem found, failing before its fix."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.errors import (
    CellValueError,
    CorruptStoreError,
    DuplicateObjectIdError,
    HdmfArrowWarning,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

Manifest = dict[str, Any]


def _tree() -> SimpleMultiContainer:
    el = DynamicTable(name="el", description="electrodes")
    el.add_column("loc", "where", data=["a", "b", "c"])
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "floats", data=[0.5, 1.5])
    t.add_column("r", "ragged", data=[[1, 2], [3]], index=True)
    t.add_column("e", "enum", data=[0, 1], enum=["lo", "hi"])
    t.add_column("reg", "region", data=[0, 2], table=el)
    return SimpleMultiContainer(name="root", containers=[el, t])


def _damaged(tmp_path: Path, edit: Callable[[Manifest], None]) -> Path:
    """A valid store whose newest manifest ``edit`` changed in place (docs/format.md, 5)."""
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(_tree(), location)
    path = sorted((location / "_hdmf" / "versions").glob("*.json"))[-1]
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))
    return location


def _node(m: Manifest, name: str) -> dict[str, Any]:
    (node,) = [c for c in m["root"]["children"] if c["name"] == name]
    return node  # type: ignore[no-any-return]


def _cols(m: Manifest, table: str = "t") -> dict[str, dict[str, Any]]:
    return _node(m, table)["table"]["columns"]  # type: ignore[no-any-return]


def _messages(location: Path) -> list[str]:
    return [str(i) for i in hdmf_arrow.validate(location)]


# -- 1. object ids shared by two objects of a tree --------------------------------------------


def test_validate_reports_two_columns_of_a_store_sharing_an_object_id(tmp_path: Path) -> None:
    """Before: validate returned [] for a store whose columns 'x' and 'r' share an id."""
    shared: list[str] = []

    def edit(m: Manifest) -> None:
        shared.append(_cols(m)["r"]["object_id"])
        _cols(m)["x"]["object_id"] = shared[0]

    location = _damaged(tmp_path, edit)
    issues = hdmf_arrow.validate(location)
    assert len(issues) == 1
    assert issues[0].path == "root/t/r"
    assert "root/t/x" in issues[0].message
    assert shared[0] in issues[0].message


def test_validate_reports_a_column_sharing_its_tables_object_id(tmp_path: Path) -> None:
    location = _damaged(
        tmp_path, lambda m: _cols(m)["x"].update(object_id=_node(m, "t")["object_id"])
    )
    (message,) = _messages(location)
    assert message.startswith("VectorData (root/t/x)")
    assert "DynamicTable 't' (root/t)" in message


def test_validate_reports_enum_elements_sharing_an_id_with_another_column(
    tmp_path: Path,
) -> None:
    def edit(m: Manifest) -> None:
        _cols(m)["e"]["elements_object_id"] = _cols(m, "el")["loc"]["object_id"]

    (message,) = _messages(_damaged(tmp_path, edit))
    assert "(root/t/e_elements)" in message
    assert "column 'loc' of table 'el' (root/el/loc)" in message


def test_validate_reports_every_holder_of_an_id_beyond_the_first(tmp_path: Path) -> None:
    def edit(m: Manifest) -> None:
        oid = _cols(m)["x"]["object_id"]
        _cols(m)["r"]["index_object_ids"] = [oid]
        _node(m, "t")["table"]["id_object_id"] = oid

    paths = [i.path for i in hdmf_arrow.validate(_damaged(tmp_path, edit))]
    assert sorted(paths) == ["root/t/r_index", "root/t/x"]  # the ids ('root/t/id') are first


def test_two_nodes_sharing_an_id_are_read_with_a_warning_and_reported(tmp_path: Path) -> None:
    """Before: reading raised CorruptStoreError ('two nodes of the manifest have the object
    id'), so validate crashed instead of reporting the shared id."""

    def edit(m: Manifest) -> None:
        m["root"]["object_id"] = _node(m, "el")["object_id"]

    location = _damaged(tmp_path, edit)
    with pytest.warns(HdmfArrowWarning, match="table 'el' and group 'root'.*same object id"):
        issues = hdmf_arrow.validate(location)
    assert [i.path for i in issues] == ["root/el"]
    assert "SimpleMultiContainer 'root' (root)" in issues[0].message
    with pytest.warns(HdmfArrowWarning, match="same object id"):
        root = hdmf_arrow.read(location)
    assert root["t"]["reg"].table is root["el"]  # a region still finds its table
    with pytest.raises(DuplicateObjectIdError, match=r"'el'.*'root'"):
        hdmf_arrow.write(root, tmp_path / "copy.hdmf")  # never written back as it is


def test_validate_reports_shared_ids_in_a_tree_in_memory() -> None:
    tree = _tree()
    el, t = tree["el"], tree["t"]
    t["x"].object_id = el["loc"].object_id
    issues = hdmf_arrow.validate(tree)
    assert [i.path for i in issues] == ["root/t/x"]
    assert el["loc"].object_id in issues[0].message
    assert "(root/el/loc)" in issues[0].message


# -- 2. column descriptions that do not fit the stored values ----------------------------------


def _read_all(location: Path) -> None:
    root = hdmf_arrow.read(location)
    for table in root.children:
        table.to_arrow()


def test_an_enum_column_described_as_a_region_is_a_corrupt_store(tmp_path: Path) -> None:
    """Before: a raw pyarrow ArrowInvalid ("Failed to parse string: 'hi' as a scalar of type
    int64") at the read."""

    def edit(m: Manifest) -> None:
        _cols(m)["e"].update(data_type="DynamicTableRegion", target=_cols(m)["reg"]["target"])

    location = _damaged(tmp_path, edit)
    with pytest.raises(CorruptStoreError, match=r"column 'e' of table 't' from store") as info:
        _read_all(location)
    assert "DynamicTableRegion, whose values are integer row positions" in str(info.value)
    assert "stored as dictionary<values=string" in str(info.value)
    (first, *_) = hdmf_arrow.validate(location)  # reported, not raised
    assert first.path == "root/t/e"
    assert "integer row positions" in first.message


def test_a_float_column_described_as_a_region_is_reported_by_validate(tmp_path: Path) -> None:
    """Before: read raised a raw ArrowInvalid ('Float value 0.500000 was truncated'); a
    region column described wrongly made the whole read (and validate) raise."""

    def edit(m: Manifest) -> None:
        _cols(m)["x"].update(data_type="DynamicTableRegion", target=_cols(m)["reg"]["target"])

    location = _damaged(tmp_path, edit)
    with pytest.raises(CorruptStoreError, match=r"integer row positions.*stored as double"):
        _read_all(location)
    assert any(
        i.path == "root/t/x" and "stored as double" in i.message
        for i in hdmf_arrow.validate(location)
    )


def test_a_region_column_with_the_wrong_index_depth_is_reported_not_raised(
    tmp_path: Path,
) -> None:
    """Before: region columns are made when the tree is read, so validate raised
    CorruptStoreError for the whole store instead of reporting the column."""
    location = _damaged(tmp_path, lambda m: _cols(m)["reg"].update(index=1))
    issues = hdmf_arrow.validate(location)
    assert any(i.path == "root/t/reg" and "1 index level(s)" in i.message for i in issues)


@pytest.mark.parametrize(
    ("change", "found"),
    [
        ({"elements": None}, "lists no elements"),
        ({"elements": [1, 2]}, r"elements of type\(s\) int \(\[1, 2\]\).*holds string"),
        ({"elements": ["lo", 1]}, r"elements of type\(s\) int, str"),
        ({"elements": "lohi"}, "'elements' must be an array, found str"),
        ({"elements": {"lo": 0}}, "'elements' must be an array, found dict"),
    ],
)
def test_an_enum_column_with_wrong_elements_is_a_corrupt_store(
    tmp_path: Path, change: dict[str, Any], found: str
) -> None:
    """Before: a raw ArrowTypeError ('Array type doesn't match type of values set: string vs
    null') for missing or non-text elements, a CellValueError for a string taken for its
    characters."""

    def edit(m: Manifest) -> None:
        doc = _cols(m)["e"]
        doc.update(change)
        if doc["elements"] is None:
            del doc["elements"]

    location = _damaged(tmp_path, edit)
    with pytest.raises(CorruptStoreError, match=found):
        _read_all(location)
    assert any(i.path == "root/t/e" for i in hdmf_arrow.validate(location))


def test_an_enum_column_with_no_elements_names_the_values_it_cannot_map(tmp_path: Path) -> None:
    """Before: a raw ArrowTypeError ('string vs null'); now the CellValueError that values
    outside the elements give (tests/test_raw_errors.py), naming the store in a note."""
    location = _damaged(tmp_path, lambda m: _cols(m)["e"].update(elements=[]))
    with pytest.raises(CellValueError, match=r"stored values \['lo', 'hi'\] .* elements \[\]"):
        _read_all(location)


def test_a_column_described_as_enum_names_the_dictionary_it_expected(tmp_path: Path) -> None:
    """Before: the CorruptStoreError quoted a TypeError (EnumData.__init__() got an
    unexpected keyword argument 'attributes') instead of what was expected and found."""

    def edit(m: Manifest) -> None:
        _cols(m)["x"].update(data_type="EnumData", namespace="hdmf-experimental")

    with pytest.raises(CorruptStoreError, match=r"EnumData.*dictionary.*stored as double"):
        _read_all(_damaged(tmp_path, edit))


@pytest.mark.parametrize(
    ("change", "found"),
    [
        ({"index": True}, "'index' must be an integer, found bool"),
        ({"index": 1.5}, "'index' must be an integer, found float"),
        ({"index_object_ids": "abc"}, "'index_object_ids' must be an array, found str"),
    ],
)
def test_a_ragged_column_with_an_index_of_the_wrong_kind_is_a_corrupt_store(
    tmp_path: Path, change: dict[str, Any], found: str
) -> None:
    """Before: read as index 1 and as the index ids 'a', 'b', 'c' (no error at all)."""
    location = _damaged(tmp_path, lambda m: _cols(m)["r"].update(change))
    with pytest.raises(CorruptStoreError, match=found):
        _read_all(location)


def test_a_stored_enum_column_of_an_empty_vocabulary_reads_back(tmp_path: Path) -> None:
    """Before: an enum column whose elements are an empty list of strings was written, and
    reading it raised ArrowTypeError (the elements were rebuilt as a null-typed array)."""
    codes = pa.array([None, None], pa.uint8())
    column = pa.DictionaryArray.from_arrays(codes, pa.array([], pa.string()))
    table = DynamicTable.from_arrow(pa.table({"e": column}), "t", "d")
    hdmf_arrow.write(table, tmp_path / "s.hdmf")
    back = hdmf_arrow.read(tmp_path / "s.hdmf")
    assert back["e"].to_arrow().to_pylist() == [None, None]
    assert list(back["e"].elements) == []
    assert hdmf_arrow.validate(tmp_path / "s.hdmf") == []
