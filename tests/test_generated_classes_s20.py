"""Classes generated from specs: spec attributes as keywords, default and fixed values, and
required columns typed from the spec, with hdmf's generated classes as the oracle."""

from __future__ import annotations

import inspect
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

import hdmf_arrow
from hdmf_arrow.common import BuildManager, TypeMap, VectorData
from hdmf_arrow.errors import InvalidArgumentTypeError
from hdmf_arrow.spec import AttributeSpec, DatasetSpec, GroupSpec
from hdmf_arrow.testing.extensions import write_extension
from hdmf_arrow.utils import get_docval

NS = "ndx-gen20"

TABLE = GroupSpec(
    doc="a table",
    data_type_def="GenTable",
    data_type_inc="DynamicTable",
    attributes=[
        AttributeSpec(name="label", doc="l", dtype="text"),
        AttributeSpec(name="fixed", doc="f", dtype="int", value=3),
        AttributeSpec(name="rate", doc="r", dtype="float", default_value=1.5),
        AttributeSpec(name="extra", doc="e", dtype="int", required=False),
    ],
    datasets=[
        DatasetSpec(doc="n", name="n", data_type_inc="VectorData", dtype="int"),
        DatasetSpec(doc="w", name="w", data_type_inc="VectorData", dtype="float32"),
        DatasetSpec(doc="s", name="s", data_type_inc="VectorData", dtype="text"),
        DatasetSpec(doc="c", name="c", data_type_inc="VectorData", dtype="int"),
        DatasetSpec(doc="c index", name="c_index", data_type_inc="VectorIndex"),
        DatasetSpec(doc="when", name="when", data_type_inc="VectorData", dtype="isodatetime"),
        DatasetSpec(doc="o", name="o", data_type_inc="VectorData", dtype="int", quantity="?"),
    ],
)
SUB_TABLE = GroupSpec(
    doc="a sub table",
    data_type_def="SubGenTable",
    data_type_inc="GenTable",
    attributes=[AttributeSpec(name="more", doc="m", dtype="text", default_value="x")],
)
GROUP = GroupSpec(
    doc="a group",
    data_type_def="GenGroup",
    data_type_inc="Container",
    attributes=[
        AttributeSpec(name="unit", doc="u", dtype="text", default_value="s"),
        AttributeSpec(name="kind", doc="k", dtype="text", value="fixed-kind"),
    ],
)
VOLTS = DatasetSpec(
    doc="V",
    data_type_def="GenVolts",
    data_type_inc="VectorData",
    dtype="float",
    attributes=[
        AttributeSpec(name="unit", doc="u", dtype="text", value="volts"),
        AttributeSpec(name="gain", doc="g", dtype="float", default_value=2.0),
    ],
)


@pytest.fixture(scope="module")
def ns_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(NS)
    return write_extension(out, NS, TABLE, SUB_TABLE, GROUP, VOLTS, version="0.1.0")


@pytest.fixture(scope="module")
def types(ns_file: Path) -> TypeMap:
    type_map = TypeMap()
    type_map.load_namespaces(ns_file)
    return type_map


@pytest.fixture(scope="module")
def hdmf_types(ns_file: Path) -> Any:
    hdmf_common = pytest.importorskip("hdmf.common")
    type_map = hdmf_common.get_type_map()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        type_map.load_namespaces(str(ns_file))
    return type_map


def _hdmf_args(hdmf_types: Any, data_type: str) -> set[str]:
    init = hdmf_types.get_dt_container_cls(data_type, NS).__init__
    return {a["name"] for a in init.__docval__["args"]}


# -- spec attributes as keywords ---------------------------------------------------------------


def test_a_table_takes_the_attributes_hdmf_takes(types: TypeMap, hdmf_types: Any) -> None:
    cls = types.get_class("SubGenTable", NS)
    ours = set(inspect.signature(cls.__init__).parameters)
    spec_names = {"label", "fixed", "rate", "extra", "more"}
    assert ours & spec_names == _hdmf_args(hdmf_types, "SubGenTable") & spec_names
    assert "fixed" not in ours  # a fixed value is no argument, in hdmf either
    assert {"label", "rate", "extra", "more"} <= {a["name"] for a in get_docval(cls.__init__)}
    table = cls(name="t", description="d", label="x", extra=4, more="y")  # type: ignore[call-arg]
    assert (table.label, table.extra, table.more, table.rate, table.fixed) == ("x", 4, "y", 1.5, 3)


def test_defaults_and_fixed_values_match_hdmf(types: TypeMap, hdmf_types: Any) -> None:
    theirs = hdmf_types.get_dt_container_cls("GenTable", NS)(name="t", description="d", label="x")
    ours = types.get_class("GenTable", NS)(name="t", description="d", label="x")  # type: ignore[call-arg]
    for field in ("label", "fixed", "rate", "extra"):
        assert getattr(ours, field) == getattr(theirs, field), field
    group = types.get_class("GenGroup", NS)("g")
    hdmf_group = hdmf_types.get_dt_container_cls("GenGroup", NS)(name="g")
    assert (group.unit, group.kind) == (hdmf_group.unit, hdmf_group.kind) == ("s", "fixed-kind")
    assert types.get_class("GenGroup", NS)("g", unit="ms").unit == "ms"


@pytest.mark.parametrize("data_type", ["GenTable", "GenGroup"])
def test_a_fixed_attribute_given_as_an_argument_is_refused(types: TypeMap, data_type: str) -> None:
    cls = types.get_class(data_type, NS)
    field = "fixed" if data_type == "GenTable" else "kind"
    kwargs: dict[str, Any] = {"description": "d"} if data_type == "GenTable" else {}
    with pytest.raises(InvalidArgumentTypeError, match=f"{field}.*fixed by the spec.*Hint"):
        cls(name="x", **kwargs, **{field: 1})


def test_an_unknown_keyword_is_refused_with_the_spec_attributes(types: TypeMap) -> None:
    cls = types.get_class("GenTable", NS)
    with pytest.raises(InvalidArgumentTypeError, match=r"unknown argument\(s\) \['nope'\]"):
        cls(name="t", description="d", nope=1)  # type: ignore[call-arg]


def test_a_dataset_type_keeps_its_attributes_in_attributes(types: TypeMap, hdmf_types: Any) -> None:
    cls = types.get_class("GenVolts", NS)
    volts = cls("v", "v", [1.0])
    theirs = hdmf_types.get_dt_container_cls("GenVolts", NS)(name="v", description="v", data=[1.0])
    assert volts.unit == theirs.unit == "volts"
    assert volts.attributes == {"unit": "volts", "gain": 2.0}
    assert cls("v", "v", [1.0], gain=4.0).attributes["gain"] == 4.0  # type: ignore[call-arg]
    assert cls("v", "v", [1.0], unit="volts").unit == "volts"
    with pytest.raises(InvalidArgumentTypeError, match="'unit' has the fixed value 'volts'"):
        cls("v", "v", [1.0], unit="mV")
    # what a reader passes as stored wins (validation reports a value that is not the spec's)
    assert cls("v", "v", [1.0], attributes={"unit": "mV"}).unit == "mV"


def test_attributes_survive_a_store(types: TypeMap, tmp_path: Path) -> None:
    table = types.get_class("GenTable", NS)(name="t", description="d", label="x", rate=2.5)  # type: ignore[call-arg]
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(types)) as io:
        io.write(table)
    back = hdmf_arrow.read(tmp_path / "s")
    assert (back.label, back.rate, back.fixed, back.extra) == ("x", 2.5, 3, None)
    assert hdmf_arrow.validate(tmp_path / "s") == []


# -- required columns: typed from the spec -----------------------------------------------------


def test_an_empty_tables_required_columns_take_the_type_of_their_first_values(
    types: TypeMap,
) -> None:
    """As in hdmf: a spec's dtype is a least, so Python floats in a float32 column stay
    float64 (typing the empty column float32 would round 0.1 to 0.10000000149)."""
    table = types.get_class("GenTable", NS)(name="t", description="d")  # type: ignore[call-arg]
    assert table.colnames == ("n", "w", "s", "c", "when")
    table.add_row(n=1, w=0.1, s="a", c=[1, 2], when="2020-01-01T00:00:00+00:00")
    table.add_row(n=2.5, w=1.0, s="b", c=[], when="2020-01-02T00:00:00+00:00")  # widens, as hdmf
    assert table["n"].to_arrow().type == pa.float64()
    assert table["w"].to_arrow().type == pa.float64()
    assert table["w"][0] == 0.1
    assert table["c"][0] == [1, 2]


def test_a_required_column_left_out_of_rows_is_typed_not_null(types: TypeMap) -> None:
    cls = types.get_class("GenTable", NS)
    table = cls(name="t", description="d", columns=[VectorData("s", "s", ["a", "b"])])  # type: ignore[call-arg]
    assert table["n"].to_arrow().type == pa.int64()
    assert table["n"].to_arrow().null_count == 2


def test_a_stored_table_keeps_a_missing_required_column_missing(
    types: TypeMap, tmp_path: Path
) -> None:
    table = types.get_class("GenTable", NS)(name="t", description="d", label="x")  # type: ignore[call-arg]
    table._detach("n")
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(types)) as io:
        io.write(table)
    assert "n" not in hdmf_arrow.read(tmp_path / "s").colnames
    issues = [str(i) for i in hdmf_arrow.validate(tmp_path / "s")]
    assert any("'n'" in m and "missing" in m for m in issues), issues
