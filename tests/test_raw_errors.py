"""Damaged stores and bad input raise hdmf-arrow errors, never raw ones (issue 8, part 10).

Each case starts from a valid store (or file), damages one thing the way a crash, a careless
tool or a hostile file would, and checks that the error is an :class:`HdmfArrowError` (and the
builtin callers would catch), that its message (with its notes) names the store, the file and
the object, and that it does not echo the refused file's content. Validation reports the same
damage as issues instead (issue 8, part 5).
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _store_edit import relist_size

import hdmf_arrow
from hdmf_arrow.api import validate, validate_spec
from hdmf_arrow.common import BuildManager, DynamicTable, SimpleMultiContainer, TypeMap
from hdmf_arrow.errors import (
    CorruptStoreError,
    HdmfArrowError,
    HdmfArrowWarning,
    SchemaMismatchError,
    SpecError,
)
from hdmf_arrow.io._layout import version_key
from hdmf_arrow.spec import GroupSpec, core_catalog
from hdmf_arrow.testing.extensions import write_extension

SECRET = "SECRET-CONTENT-0xC0FFEE"  # put in refused files: must never appear in a message
DEEP = "[" * 100_000 + "]" * 100_000


def message(exc: BaseException) -> str:
    """The message with its notes, as the command line prints it."""
    return "\n".join([str(exc), *getattr(exc, "__notes__", ())])


def assert_names(exc: BaseException, *parts: str) -> None:
    text = message(exc)
    for part in parts:
        assert part in text, f"{part!r} not named in: {text}"
    assert SECRET not in text, f"the refused file's content is quoted: {text[:300]}"
    assert len(text) < 2000, f"message of {len(text)} characters"


# -- a store to damage -------------------------------------------------------------------------


def make_store(path: Path) -> Path:
    """electrodes(x) and units(spikes ragged, site region -> electrodes, quality enum,
    depth float64, n int64), three rows each."""
    electrodes = DynamicTable(name="electrodes", description="sites")
    electrodes.add_column("x", "x", data=[0.0, 1.0, 2.0])
    units = DynamicTable(name="units", description="units")
    units.add_column("spikes", "spike times", data=[[0.1, 0.2], [0.3], []], index=True)
    units.add_column("site", "site", data=[0, 2, 1], table=electrodes)
    units.add_column("quality", "quality", data=["good", "mua", "good"], enum=["good", "mua"])
    units.add_column("depth", "depth", data=[1.0, 2.0, 3.0])
    units.add_column("n", "count", data=[1, 2, 3])
    hdmf_arrow.write(SimpleMultiContainer("session", [electrodes, units]), path)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return make_store(tmp_path / "store")


def manifest(store: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((store / version_key(1)).read_bytes())
    return doc


def put_manifest(store: Path, doc: dict[str, Any] | str) -> str:
    key = version_key(1)
    (store / key).write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return key


def node(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in doc["root"]["children"] if c["name"] == name)


def units_file(store: Path) -> tuple[str, Path]:
    key = str(node(manifest(store), "units")["files"][0]["path"])
    return key, store / key


def replace_units_file(store: Path, change: Any) -> str:
    """Rewrite the units data file as ``change(table)`` (same ``hdmf`` footer document, row
    groups and row count); returns its key."""
    key, path = units_file(store)
    table = pq.read_table(path)
    hdmf = (table.schema.metadata or {})[b"hdmf"]
    changed = change(table.replace_schema_metadata(None))
    pq.write_table(changed.replace_schema_metadata({b"hdmf": hdmf}), path)
    relist_size(path)  # damaged in its columns, not its size
    return key


def read_all(store: Path) -> list[Any]:
    root = hdmf_arrow.read(store)
    return [c.to_arrow() for c in root.children]


def issues_text(store: Path) -> str:
    return "\n".join(str(i) for i in validate(store))


# -- YAML: cached specs in a store, and namespace files ----------------------------------------


def extension_store(tmp_path: Path) -> tuple[Path, str]:
    """A store of one table of a new extension type, whose namespace only the store knows
    (a fresh name each time, so no type map of this process has it)."""
    name = f"ndx-raw-{uuid.uuid4().hex[:8]}"
    (tmp_path / "ext").mkdir()
    namespace_file = write_extension(
        tmp_path / "ext",
        name,
        GroupSpec(doc="trials", data_type_def="RawTrials", data_type_inc="DynamicTable"),
    )
    types = TypeMap()
    types.load_namespaces(namespace_file)
    table = types.get_class("RawTrials", name)(name="trials", description="d")  # type: ignore[call-arg]
    table.add_column("a", "a", data=[1, 2])  # type: ignore[attr-defined]
    store = tmp_path / "ext-store"
    with hdmf_arrow.ParquetIO(store, "w", manager=BuildManager(types)) as io:
        io.write(table)
    return store, name


BAD_YAML: dict[str, str | bytes] = {
    "syntax": f"namespaces: [\n  - {{name: x\n{SECRET}: ]]\n",
    "tab": f"namespaces:\n\t- name: {SECRET}\n",
    "deep": DEEP,
    "huge-int": "namespaces:\n- name: x\n  version: " + "9" * 5000 + f"\n  doc: {SECRET}\n",
    "long-tag": f"namespaces: !{SECRET}{'x' * 5000}\n  - name: x\n",
    "not-utf8": b"\xff\xfe" + SECRET.encode("utf-16-le"),
}


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)


@pytest.mark.parametrize("which", ["namespace.yaml", "source"])
@pytest.mark.parametrize("damage", list(BAD_YAML))
def test_cached_spec_that_does_not_parse(tmp_path: Path, which: str, damage: str) -> None:
    store, name = extension_store(tmp_path)
    folder = store / "_hdmf" / "specs" / name / "0.1.0"
    target = "namespace.yaml" if which == "namespace.yaml" else f"{name}.extensions.yaml"
    _write(folder / target, BAD_YAML[damage])
    key = f"_hdmf/specs/{name}/0.1.0/{target}"
    with pytest.raises(CorruptStoreError) as info:
        hdmf_arrow.read(store)
    assert_names(info.value, str(store), key)
    assert "<unicode string>" not in message(info.value)
    with pytest.raises(CorruptStoreError):
        validate(store)  # a store that cannot be opened raises, as read does


@pytest.mark.parametrize("damage", list(BAD_YAML))
def test_namespace_file_that_does_not_parse(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "ndx-bad.namespace.yaml"
    _write(path, BAD_YAML[damage])
    with pytest.raises(SpecError) as info:
        validate_spec(path)
    assert_names(info.value, str(path))
    assert "<unicode string>" not in message(info.value)
    with pytest.raises(SpecError):
        core_catalog().load_namespaces(path)


@pytest.mark.parametrize("damage", ["syntax", "deep", "huge-int", "not-utf8"])
def test_spec_source_file_that_does_not_parse(tmp_path: Path, damage: str) -> None:
    namespace_file = write_extension(
        tmp_path,
        "ndx-src",
        GroupSpec(doc="t", data_type_def="SrcTable", data_type_inc="DynamicTable"),
    )
    source = tmp_path / "ndx-src.extensions.yaml"
    _write(source, BAD_YAML[damage])
    with pytest.raises(SpecError) as info:
        validate_spec(namespace_file)
    assert_names(info.value, str(source))
    assert "<unicode string>" not in message(info.value)


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ndx-line.namespace.yaml"
    path.write_text("namespaces:\n- name: x\n  doc: [unclosed\n  version: 0.1.0\n")
    with pytest.raises(SpecError, match=r"line 4, column \d+") as info:
        validate_spec(path)
    assert str(path) in str(info.value)
    assert "<unicode string>" not in str(info.value)


# -- deep and huge JSON in manifests and footers -----------------------------------------------


def test_manifest_nested_100000_deep(store: Path) -> None:
    raw = json.dumps(manifest(store)).replace('"summary": ', f'"deep": {DEEP}, "summary": ', 1)
    key = put_manifest(store, raw)
    with pytest.raises(CorruptStoreError) as info:
        hdmf_arrow.read(store)
    assert_names(info.value, str(store), key)


OVERFLOWS = [
    pytest.param(lambda doc: doc.update(version=1e400), id="version-inf"),
    pytest.param(
        lambda doc: node(doc, "units").update(num_rows=1e400),
        id="num_rows-inf",
    ),
    pytest.param(
        lambda doc: node(doc, "units")["files"][0].update(row_groups=[10**30]),
        id="row_groups-huge",
    ),
]


@pytest.mark.parametrize("damage", OVERFLOWS)
def test_manifest_with_numbers_too_large(store: Path, damage: Any) -> None:
    doc = manifest(store)
    damage(doc)
    key = put_manifest(store, json.dumps(doc).replace("Infinity", "1e400"))
    with pytest.raises(CorruptStoreError) as info:
        read_all(store)
    assert_names(info.value, str(store), key)


def test_footer_metadata_nested_100000_deep(store: Path) -> None:
    _, path = units_file(store)
    table = pq.read_table(path)
    pq.write_table(table.replace_schema_metadata({b"hdmf": DEEP.encode()}), path)
    with pytest.raises(SchemaMismatchError) as info:
        DynamicTable.from_arrow(pq.read_table(path), "units")
    assert_names(info.value, "units")


# -- data files that do not match the manifest -------------------------------------------------


def test_validate_reports_a_data_file_missing_a_column(store: Path) -> None:
    key = replace_units_file(store, lambda t: t.drop_columns(["depth"]))
    issues = validate(store)
    found = [str(i) for i in issues if i.path == "session/units"]
    assert len(found) == 1, [str(i) for i in issues]
    for part in (key, str(store), "'depth'", "missing"):
        assert part in found[0], found[0]


def test_reading_a_data_file_missing_a_column(store: Path) -> None:
    key = replace_units_file(store, lambda t: t.drop_columns(["depth"]))
    units = hdmf_arrow.read(store)["units"]
    with pytest.raises(CorruptStoreError) as info:
        _ = units["depth"].data
    assert_names(info.value, str(store), key, "'depth'", "'units'")


def _retype(name: str, values: pa.Array) -> Any:
    def change(table: pa.Table) -> pa.Table:
        return table.set_column(table.schema.get_field_index(name), name, values)

    return change


RETYPED = {
    "int64->int32": ("n", pa.array([1, 2, 3], pa.int32()), "int32", "int64"),
    "float64->string": ("depth", pa.array(["a", "b", "c"]), "string", "double"),
    "region int64->float64": ("site", pa.array([0.0, 2.0, 1.0]), "double", "int64"),
    "ragged list<double>->list<string>": (
        "spikes",
        pa.array([["a"], ["b"], []], pa.list_(pa.string())),
        "string",
        "double",
    ),
    "enum dict->string": ("quality", pa.array(["good", "mua", "good"]), "string", "dictionary"),
}


@pytest.mark.parametrize("case", list(RETYPED))
def test_validate_reports_a_data_file_column_of_another_type(store: Path, case: str) -> None:
    name, values, found, expected = RETYPED[case]
    key = replace_units_file(store, _retype(name, values))
    issues = [str(i) for i in validate(store) if i.path == "session/units"]
    assert len(issues) == 1, issues_text(store)
    for part in (key, str(store), f"'{name}'", found, expected):
        assert part in issues[0], issues[0]


def test_reading_a_data_file_column_of_another_type(store: Path) -> None:
    key = replace_units_file(store, _retype("n", pa.array([1, 2, 3], pa.int32())))
    units = hdmf_arrow.read(store)["units"]
    with pytest.raises(CorruptStoreError) as info:
        _ = units["n"].data
    assert_names(info.value, str(store), key, "'n'", "int32", "int64")


# -- region and enum values out of range -------------------------------------------------------


@pytest.mark.parametrize("bad", [7, -1])
def test_validate_reports_stored_region_values_out_of_range(store: Path, bad: int) -> None:
    replace_units_file(store, _retype("site", pa.array([0, bad, 1], pa.int64())))
    assert (
        f"DynamicTableRegion (session/units/site): 1 value(s) out of range for table "
        f"'electrodes' with 3 rows (first: {bad})" in issues_text(store)
    )


@pytest.mark.parametrize("bad", [7, -1])
@pytest.mark.parametrize("access", ["cell", "frame"])
def test_reading_stored_region_values_out_of_range(store: Path, bad: int, access: str) -> None:
    from hdmf_arrow.errors import RegionIndexError

    replace_units_file(store, _retype("site", pa.array([0, bad, 1], pa.int64())))
    units = hdmf_arrow.read(store)["units"]
    read = (lambda: units["site"][1]) if access == "cell" else units.to_dataframe
    with pytest.raises(RegionIndexError) as info:
        read()
    assert_names(info.value, "'site'", "'electrodes'", str(bad))


def _shrink_elements(store: Path) -> None:
    doc = manifest(store)
    node(doc, "units")["table"]["columns"]["quality"]["elements"] = ["good"]
    put_manifest(store, doc)


def test_validate_reports_enum_values_outside_the_elements(store: Path) -> None:
    _shrink_elements(store)
    found = [str(i) for i in validate(store) if i.path == "session/units/quality"]
    assert found
    assert "not among the elements" in found[0]


def test_reading_enum_values_outside_the_elements_names_the_store(store: Path) -> None:
    from hdmf_arrow.errors import CellValueError

    _shrink_elements(store)
    units = hdmf_arrow.read(store)["units"]
    with pytest.raises(CellValueError) as info:
        _ = units["quality"].data
    assert_names(info.value, str(store), "'units'", "'quality'")


# -- data types no namespace defines -----------------------------------------------------------


def test_validate_reports_a_stored_table_of_an_unknown_type(store: Path) -> None:
    doc = manifest(store)
    node(doc, "units").update(data_type="NoSuchTable", namespace="ndx-nowhere")
    node(doc, "units")["table"]["columns"]["n"].update(
        data_type="NoSuchVector", namespace="ndx-nowhere"
    )
    put_manifest(store, doc)
    with pytest.warns(HdmfArrowWarning) as warned:  # reading says it too, and still can
        issues = validate(store)
    assert {"NoSuchTable", "NoSuchVector"} <= {
        t for w in warned for t in ("NoSuchTable", "NoSuchVector") if t in str(w.message)
    }
    text = "\n".join(str(i) for i in issues)
    assert (
        "NoSuchTable (session/units): data type 'NoSuchTable' of namespace 'ndx-nowhere' is "
        "not defined in any loaded namespace" in text
    )
    assert "NoSuchVector (session/units/n): data type 'NoSuchVector'" in text
    assert len(issues) == 2, text


# -- locations: protocols, backends, credentials -----------------------------------------------


def test_unknown_protocol() -> None:
    with pytest.raises(HdmfArrowError) as info:
        hdmf_arrow.read("foo://x/store")
    assert isinstance(info.value, ValueError)
    assert_names(info.value, "foo://x/store", "foo")


def test_missing_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = sys.modules["fsspec.registry"]._registry  # classes imported so far
    monkeypatch.setitem(sys.modules, "s3fs", None)  # `import s3fs` raises ImportError
    monkeypatch.delitem(registry, "s3", raising=False)
    with pytest.raises(HdmfArrowError) as info:
        hdmf_arrow.read("s3://bucket/store")
    assert isinstance(info.value, ImportError)
    assert_names(info.value, "s3://bucket/store", "s3fs")


def test_messages_quote_no_file_content_even_with_the_python_yaml_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML's pure-Python loader puts a snippet of the file into its errors."""
    import yaml

    from hdmf_arrow.spec import _yaml

    class PureLoader(yaml.SafeLoader):  # type: ignore[misc]
        yaml_implicit_resolvers = _yaml._Loader.yaml_implicit_resolvers
        yaml_constructors = _yaml._Loader.yaml_constructors

    monkeypatch.setattr(_yaml, "_Loader", PureLoader)
    path = tmp_path / "ndx-py.namespace.yaml"
    path.write_text(f"namespaces:\n- name: x\n  doc: [{SECRET}\n  version: 0.1.0\n")
    with pytest.raises(SpecError) as info:
        validate_spec(path)
    assert_names(info.value, str(path))
    assert re.search(r"line \d+", str(info.value))
