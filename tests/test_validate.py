"""The data validator: a corpus of broken containers, one defect each, and valid ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

import hdmf_arrow
from hdmf_arrow.arrow.buffer import ColumnBuffer
from hdmf_arrow.cli import main
from hdmf_arrow.common import (
    DynamicTable,
    DynamicTableRegion,
    SimpleMultiContainer,
    TypeMap,
    VectorData,
)
from hdmf_arrow.errors import TableShapeError, ValidationError
from hdmf_arrow.spec import DatasetSpec, GroupSpec
from hdmf_arrow.testing.extensions import write_extension
from hdmf_arrow.testing.strategies import dynamic_tables
from hdmf_arrow.validate import Issue, check


def base() -> SimpleMultiContainer:
    """A valid tree: electrodes, and units with ragged, region, enum and plain columns."""
    electrodes = DynamicTable(name="electrodes", description="sites")
    electrodes.add_column("x", "x", data=[0.0, 1.0, 2.0])
    units = DynamicTable(name="units", description="units")
    units.add_column("spikes", "spike times", data=[[0.1, 0.2], [0.3], []], index=True)
    units.add_column("site", "site", data=[0, 2, 1], table=electrodes)
    units.add_column("quality", "quality", data=["good", "mua", "good"], enum=["good", "mua"])
    units.add_column("depth", "depth", data=[1.0, 2.0, 3.0])
    return SimpleMultiContainer("session", [electrodes, units])


def units(root: SimpleMultiContainer) -> DynamicTable:
    return root["units"]  # type: ignore[return-value]


def duplicate_ids(root: SimpleMultiContainer) -> None:
    u = units(root)
    u.id._buf = ColumnBuffer(array=pa.array([0, 1, 1]))


def null_id(root: SimpleMultiContainer) -> None:
    units(root).id._buf = ColumnBuffer(array=pa.array([0, None, 2], type=pa.int64()))


def short_column(root: SimpleMultiContainer) -> None:
    units(root)["depth"]._buf = ColumnBuffer(array=pa.array([1.0, 2.0]))


def offsets_decrease(root: SimpleMultiContainer) -> None:
    units(root)["spikes"]._buf = ColumnBuffer(array=pa.array([0, 2, 1, 3], pa.int32()))


def offsets_not_from_zero(root: SimpleMultiContainer) -> None:
    units(root)["spikes"]._buf = ColumnBuffer(array=pa.array([1, 2, 3, 3], pa.int32()))


def offsets_short_of_data(root: SimpleMultiContainer) -> None:
    units(root)["spikes"].target._buf.append(9.9)  # a value no row owns


def region_out_of_range(root: SimpleMultiContainer) -> None:
    units(root)["site"]._buf = ColumnBuffer(array=pa.array([0, 2, 7]))


def region_negative(root: SimpleMultiContainer) -> None:
    units(root)["site"]._buf = ColumnBuffer(array=pa.array([0, -1, 1]))


def region_without_target(root: SimpleMultiContainer) -> None:
    units(root)["site"]._table = None


def enum_code_out_of_range(root: SimpleMultiContainer) -> None:
    units(root)["quality"]._buf = ColumnBuffer(array=pa.array([0, 1, 5], pa.uint8()))


def bad_name(root: SimpleMultiContainer) -> None:
    units(root)._name = "units/2"


def dataset_bad_name(root: SimpleMultiContainer) -> None:
    trace = VectorData("trace", "t", [1.0, 2.0])
    trace._name = "tr:ace"
    root.add_container(trace)


def depth_column_wrong_rows_and_dup_ids(root: SimpleMultiContainer) -> None:
    duplicate_ids(root)
    short_column(root)


CORPUS: dict[str, tuple[Callable[[SimpleMultiContainer], None], list[tuple[str, str, str]]]] = {
    "duplicate ids": (
        duplicate_ids,
        [("session/units/id", "ElementIdentifiers", "2 rows share an id (first: 1)")],
    ),
    "null id": (null_id, [("session/units/id", "ElementIdentifiers", "1 id(s) are null")]),
    "short column": (
        short_column,
        [("session/units/depth", "VectorData", "has 2 rows, the table has 3 ids")],
    ),
    "offsets decrease": (
        offsets_decrease,
        [("session/units/spikes/spikes_index", "VectorIndex", "offsets decrease at 1 place")],
    ),
    "offsets not from 0": (
        offsets_not_from_zero,
        [("session/units/spikes/spikes_index", "VectorIndex", "offsets start at 1")],
    ),
    "offsets short of the data": (
        offsets_short_of_data,
        [("session/units/spikes/spikes_index", "VectorIndex", "offsets end at 3, but the target")],
    ),
    "region out of range": (
        region_out_of_range,
        [("session/units/site", "DynamicTableRegion", "1 value(s) out of range for table")],
    ),
    "region negative": (
        region_negative,
        [("session/units/site", "DynamicTableRegion", "(first: -1)")],
    ),
    "region without target": (
        region_without_target,
        [("session/units/site", "DynamicTableRegion", "has no target table")],
    ),
    "enum code out of range": (
        enum_code_out_of_range,
        [("session/units/quality", "EnumData", "code 5 is out of range for 2 elements")],
    ),
    "name with a slash": (bad_name, [("session/units/2", "DynamicTable", "contains '/' or ':'")]),
    "dataset name with a colon": (
        dataset_bad_name,
        [("session/tr:ace", "VectorData", "contains '/' or ':'")],
    ),
    "two defects, both reported": (
        depth_column_wrong_rows_and_dup_ids,
        [
            ("session/units/id", "ElementIdentifiers", "share an id"),
            ("session/units/depth", "VectorData", "has 2 rows"),
        ],
    ),
}


@pytest.mark.parametrize("defect", list(CORPUS))
def test_each_defect_gives_exactly_its_issue(defect: str) -> None:
    damage, expected = CORPUS[defect]
    root = base()
    assert check(root) == []
    damage(root)
    issues = check(root)
    assert len(issues) == len(expected), [str(i) for i in issues]
    for issue, (path, data_type, text) in zip(issues, expected, strict=True):
        assert issue.path == path
        assert issue.data_type == data_type
        assert text in issue.message, issue.message


def test_unreadable_stored_data_is_an_issue(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(base(), location)
    next((location / "data").rglob("*.parquet")).unlink()  # one table's only file
    issues = hdmf_arrow.validate(location)
    assert issues
    assert all("cannot be read" in i.message for i in issues)
    assert any("is missing from store" in i.message for i in issues)


def test_raise_on_error_carries_every_issue() -> None:
    root = base()
    depth_column_wrong_rows_and_dup_ids(root)
    with pytest.raises(ValidationError, match="2 problem") as info:
        hdmf_arrow.validate(root, raise_on_error=True)
    assert [i.path for i in info.value.issues] == ["session/units/id", "session/units/depth"]  # type: ignore[attr-defined]


@settings(max_examples=30, deadline=None)
@given(dynamic_tables())
def test_whatever_we_build_we_accept(table: DynamicTable) -> None:
    assert check(table) == []


def test_whatever_we_write_we_accept(tmp_path: Path) -> None:
    hdmf_arrow.write(base(), tmp_path / "s")
    assert hdmf_arrow.validate(tmp_path / "s") == []


def test_issue_text() -> None:
    issue = Issue("session/units/site", "DynamicTableRegion", "has no target table")
    assert str(issue) == "DynamicTableRegion (session/units/site): has no target table"


# -- the command line --------------------------------------------------------------------------


def test_cli_validate_exit_codes_and_output(tmp_path: Path) -> None:
    good = tmp_path / "good.hdmf"
    hdmf_arrow.write(base(), good)
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert f"{good}: valid" in result.output

    bad_root = base()
    region_out_of_range(bad_root)
    region = units(bad_root)["site"]
    assert isinstance(region, DynamicTableRegion)
    bad = tmp_path / "bad.hdmf"
    hdmf_arrow.write(bad_root, bad)
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "1 problem(s)" in result.output
    assert "DynamicTableRegion (session/units/site): 1 value(s) out of range" in result.output
    result = runner.invoke(main, ["validate", "--json", str(bad)])
    assert result.exit_code == 1
    assert json.loads(result.output)[0]["path"] == "session/units/site"

    result = runner.invoke(main, ["validate", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "not an hdmf-arrow store" in result.output


# -- against the specs -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ext_types(tmp_path_factory: pytest.TempPathFactory) -> TypeMap:
    """A private TypeMap with ndx-check: CheckedTable(start: float64 required, site: region
    optional, label: text optional)."""
    out = tmp_path_factory.mktemp("ndx-check")
    namespace_file = write_extension(
        out,
        "ndx-check",
        GroupSpec(
            doc="checked",
            data_type_def="CheckedTable",
            data_type_inc="DynamicTable",
            datasets=[
                DatasetSpec(doc="start", name="start", data_type_inc="VectorData", dtype="float64"),
                DatasetSpec(
                    doc="site", name="site", data_type_inc="DynamicTableRegion", quantity="?"
                ),
                DatasetSpec(
                    doc="label",
                    name="label",
                    data_type_inc="VectorData",
                    dtype="text",
                    quantity="?",
                ),
                DatasetSpec(
                    doc="xy",
                    name="xy",
                    data_type_inc="VectorData",
                    dtype="float64",
                    shape=[None, 2],
                    quantity="?",
                ),
            ],
        ),
        version="1.0.0",
    )
    types = TypeMap()
    types.load_namespaces(namespace_file)
    return types


def checked(types: TypeMap, **columns: VectorData) -> DynamicTable:
    cls = types.get_class("CheckedTable", "ndx-check")
    start = columns.pop("start", VectorData("start", "start", [0.0, 1.0]))
    return cls(name="checked", description="d", columns=[start, *columns.values()])  # type: ignore[call-arg]


def test_a_valid_extension_table_has_no_issues(ext_types: TypeMap) -> None:
    xy = VectorData("xy", "xy", [[0.0, 1.0], [1.0, 2.0]])
    t = checked(ext_types, label=VectorData("label", "l", ["a", "b"]), xy=xy)
    assert check(t, ext_types) == []


SPEC_CORPUS: dict[str, tuple[Callable[[TypeMap], DynamicTable], tuple[str, str, str]]] = {
    "required column missing": (
        lambda types: _without_start(checked(types)),
        ("checked/start", "CheckedTable", "required column 'start' (VectorData) is missing"),
    ),
    "dtype of the wrong kind": (
        lambda types: checked(types, start=VectorData("start", "s", ["a", "b"])),
        ("checked/start", "VectorData", "expected dtype 'float64' (or wider), found 'text'"),
    ),
    "dtype narrower than the spec": (
        lambda types: checked(types, start=VectorData("start", "s", [0.0, 1.0], dtype="float32")),
        ("checked/start", "VectorData", "expected dtype 'float64' (or wider), found 'float32'"),
    ),
    "column of the wrong data type": (
        lambda types: checked(types, site=VectorData("site", "s", [0, 1])),
        ("checked/site", "VectorData", "expected data type 'DynamicTableRegion'"),
    ),
    "shape the spec does not allow": (
        lambda types: checked(types, xy=VectorData("xy", "xy", [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]])),
        ("checked/xy", "VectorData", "expected shape [None, 2], found [None, 3]"),
    ),
    "region target is not a table": (
        lambda types: _region_into_group(checked(types)),
        ("checked/site", "DynamicTableRegion", "target must be a DynamicTable"),
    ),
}


def _without_start(t: DynamicTable) -> DynamicTable:
    t._detach("start")
    return t


def _region_into_group(t: DynamicTable) -> DynamicTable:
    target = DynamicTable(name="target", description="d")
    target.add_column("v", "v", data=[1, 2])
    t.add_column("site", "sites", data=[0, 1], table=target)
    t["site"]._table = SimpleMultiContainer("not a table")
    return t


@pytest.mark.parametrize("defect", list(SPEC_CORPUS))
def test_each_spec_defect_gives_exactly_its_issue(defect: str, ext_types: TypeMap) -> None:
    build, (path, data_type, text) = SPEC_CORPUS[defect]
    issues = check(build(ext_types), ext_types)
    assert len(issues) == 1, [str(i) for i in issues]
    assert issues[0].path == path
    assert issues[0].data_type == data_type
    assert text in issues[0].message, issues[0].message


def test_an_unknown_type_is_an_issue_not_a_skip() -> None:
    class Unpublished(DynamicTable):
        data_type = "Unpublished"
        namespace = "ndx-nowhere"

    t = Unpublished(name="u", description="d")
    issues = check(t, TypeMap())
    assert [str(i) for i in issues] == [
        "Unpublished (u): data type 'Unpublished' of namespace 'ndx-nowhere' is not defined in "
        "any loaded namespace; it cannot be checked. Hint: load its namespace."
    ]


def test_cli_validate_spec(tmp_path: Path) -> None:
    namespace_file = write_extension(
        tmp_path,
        "ndx-cli",
        GroupSpec(doc="x", data_type_def="XTable", data_type_inc="DynamicTable"),
        version="0.1.0",
    )
    runner = CliRunner()
    result = runner.invoke(main, ["validate-spec", str(namespace_file)])
    assert result.exit_code == 0, result.output
    assert "ndx-cli: valid, 1 type(s): XTable" in result.output
    spec_file = tmp_path / "ndx-cli.extensions.yaml"
    spec_file.write_text(spec_file.read_text().replace("DynamicTable", "NoSuchTable"))
    result = runner.invoke(main, ["validate-spec", str(namespace_file)])
    assert result.exit_code == 1
    assert "ndx-cli.extensions.yaml" in result.output
    assert "NoSuchTable" in result.output


@pytest.mark.parametrize(
    "example", ["subjects_table.py", "ragged_spike_times.py", "table_regions.py", "enum_data.py"]
)
def test_every_example_validates(example: str, capsys: pytest.CaptureFixture[str]) -> None:
    import runpy

    found = runpy.run_path(str(Path(__file__).parent.parent / "examples" / example))
    capsys.readouterr()
    containers = [v for v in found.values() if isinstance(v, DynamicTable | VectorData)]
    assert containers
    for container in containers:
        assert check(container) == [], container.name


@settings(max_examples=15, deadline=None)
@given(dynamic_tables())
def test_whatever_we_write_validates(table: DynamicTable) -> None:
    import uuid

    targets = {
        t.object_id: t
        for n in table.get_foreign_columns()
        if (t := table.get_column(n).get_target_data().table) is not None
    }
    location = f"memory://validate-{uuid.uuid4().hex}/s"
    hdmf_arrow.write(SimpleMultiContainer("root", [*targets.values(), table]), location)
    assert hdmf_arrow.validate(location) == []


WRITABLE = ["duplicate ids", "region out of range", "region negative"]  # a null id is refused


def test_a_null_id_is_refused_by_the_writer(tmp_path: Path) -> None:
    root = base()
    null_id(root)
    with pytest.raises(TableShapeError, match="'units': 1 row id"):
        hdmf_arrow.write(root, tmp_path / "s")
    with pytest.raises(FileNotFoundError):
        hdmf_arrow.read(tmp_path / "s")


@pytest.mark.parametrize("defect", WRITABLE)
def test_cli_reports_each_stored_data_defect(defect: str, tmp_path: Path) -> None:
    damage, expected = CORPUS[defect]
    root = base()
    damage(root)
    hdmf_arrow.write(root, tmp_path / "s")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "s")])
    assert result.exit_code == 1, result.output
    path, data_type, text = expected[0]
    assert f"{data_type} ({path}): " in result.output
    assert text in result.output


@pytest.mark.parametrize(
    "defect",
    ["required column missing", "dtype of the wrong kind", "dtype narrower than the spec",
     "shape the spec does not allow"],
)  # fmt: skip
def test_cli_reports_each_stored_spec_defect(
    defect: str, ext_types: TypeMap, tmp_path: Path
) -> None:
    from hdmf_arrow.common import BuildManager

    build, (path, data_type, text) = SPEC_CORPUS[defect]
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(ext_types)) as io:
        io.write(build(ext_types))
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "s")])  # a fresh type map
    assert result.exit_code == 1, result.output
    assert f"{data_type} ({path}): " in result.output
    assert text in result.output
