"""Review s20: the spec layer, the validator and extension classes, against hdmf as the oracle.

Each test not marked ``# coverage`` failed before its fix (session 20); those marked
``# coverage`` pin cases no other test covers.
"""

from __future__ import annotations

import datetime
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import hdmf_arrow
from hdmf_arrow.common import BuildManager, Data, DynamicTable, Link, TypeMap, VectorData
from hdmf_arrow.errors import HdmfArrowError, SpecError
from hdmf_arrow.spec import (
    AttributeSpec,
    DatasetSpec,
    DtypeSpec,
    GroupSpec,
    LinkSpec,
    RefSpec,
    core_catalog,
)
from hdmf_arrow.testing.extensions import write_extension
from hdmf_arrow.validate import check

UTC = datetime.UTC

# -- the extension: a 3-deep table chain, a group type, a dataset type --------------------------

A_TABLE = GroupSpec(
    doc="A",
    data_type_def="ATable",
    data_type_inc="DynamicTable",
    attributes=[
        AttributeSpec(name="a_attr", doc="a", dtype="text"),
        AttributeSpec(name="fixed", doc="fixed", dtype="int", value=3),
        AttributeSpec(name="deflt", doc="default", dtype="float", default_value=1.5),
    ],
    datasets=[
        DatasetSpec(doc="t", name="t", data_type_inc="VectorData", dtype="text"),
        DatasetSpec(doc="i", name="i", data_type_inc="VectorData", dtype="int"),
        DatasetSpec(doc="f", name="f", data_type_inc="VectorData", dtype="float", quantity="?"),
        DatasetSpec(doc="b", name="b", data_type_inc="VectorData", dtype="bool", quantity="?"),
        DatasetSpec(
            doc="dt", name="dt", data_type_inc="VectorData", dtype="isodatetime", quantity="?"
        ),
        DatasetSpec(doc="r", name="r", data_type_inc="DynamicTableRegion", quantity="?"),
        DatasetSpec(
            doc="o",
            name="o",
            data_type_inc="VectorData",
            dtype=RefSpec("DynamicTable", "object"),
            quantity="?",
        ),
        DatasetSpec(
            doc="s",
            name="s",
            data_type_inc="VectorData",
            dtype="float",
            shape=[[None], [None, 3]],
            quantity="?",
        ),
        DatasetSpec(doc="cues", name="cues", data_type_inc="VectorData", dtype="int", quantity="?"),
        DatasetSpec(doc="cues idx", name="cues_index", data_type_inc="VectorIndex", quantity="?"),
    ],
)
B_TABLE = GroupSpec(
    doc="B",
    data_type_def="BTable",
    data_type_inc="ATable",
    attributes=[AttributeSpec(name="b_attr", doc="b", dtype="int", required=False)],
    datasets=[
        DatasetSpec(doc="i refined", name="i", data_type_inc="VectorData", dtype="int64"),
        DatasetSpec(doc="bb", name="bb", data_type_inc="VectorData", dtype="uint8", quantity="?"),
    ],
)
C_TABLE = GroupSpec(
    doc="C",
    data_type_def="CTable",
    data_type_inc="BTable",
    datasets=[DatasetSpec(doc="f now required", name="f", data_type_inc="VectorData",
                          dtype="float32")],
)  # fmt: skip
R_TABLE = GroupSpec(
    doc="ragged required",
    data_type_def="RTable",
    data_type_inc="DynamicTable",
    datasets=[
        DatasetSpec(doc="cues", name="cues", data_type_inc="VectorData", dtype="int"),
        DatasetSpec(doc="cues idx", name="cues_index", data_type_inc="VectorIndex"),
    ],
)
TRACE = GroupSpec(
    doc="T",
    data_type_def="Trace",
    data_type_inc="Container",
    attributes=[AttributeSpec(name="unit", doc="u", dtype="text", default_value="s")],
)
HOLDER = GroupSpec(
    doc="H",
    data_type_def="Holder",
    data_type_inc="Container",
    attributes=[AttributeSpec(name="count", doc="c", dtype="int")],
    groups=[
        GroupSpec(doc="traces", data_type_inc="Trace", quantity="+"),
        GroupSpec(doc="two tables", data_type_inc="DynamicTable", quantity=2),
    ],
    datasets=[DatasetSpec(doc="rate", name="rate", dtype="float", shape=[None])],
)
VOLTS = DatasetSpec(
    doc="V",
    data_type_def="Volts",
    data_type_inc="VectorData",
    dtype="float",
    attributes=[AttributeSpec(name="unit", doc="u", dtype="text", value="volts")],
)

COMP_TABLE = GroupSpec(
    doc="compound column",
    data_type_def="CompTable",
    data_type_inc="DynamicTable",
    datasets=[DatasetSpec(doc="pt", name="pt", data_type_inc="VectorData",
                          dtype=[DtypeSpec("x", "x", "float"), DtypeSpec("y", "y", "int")])],
)  # fmt: skip
LINK_HOLDER = GroupSpec(
    doc="l",
    data_type_def="LinkHolder",
    data_type_inc="Container",
    links=[LinkSpec(doc="the table", target_type="DynamicTable", name="tbl")],
)

NS = "ndx-s20"


@pytest.fixture(scope="module")
def ns_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(NS)
    specs = (A_TABLE, B_TABLE, C_TABLE, R_TABLE, TRACE, HOLDER, VOLTS, COMP_TABLE, LINK_HOLDER)
    return write_extension(out, NS, *specs, version="0.1.0")


@pytest.fixture(scope="module")
def types(ns_file: Path) -> TypeMap:
    type_map = TypeMap()
    type_map.load_namespaces(ns_file)
    return type_map


@pytest.fixture(scope="module")
def hdmf_types(ns_file: Path) -> Any:
    from hdmf.common import get_type_map

    type_map = get_type_map()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        type_map.load_namespaces(str(ns_file))
    return type_map


def a_table(types: TypeMap, **columns: VectorData) -> Any:
    cls = types.get_class("ATable", NS)
    base = {"t": VectorData("t", "t", ["a", "b"]), "i": VectorData("i", "i", [1, 2])}
    base.update(columns)
    table = cls(name="a", description="d", columns=list(base.values()))  # type: ignore[call-arg]
    table.a_attr = "x"
    return table


def messages(issues: list[Any]) -> list[str]:
    return [str(i) for i in issues]


def holder(types: TypeMap, *, n_tables: int = 2, rate: Data | None = None, **attrs: Any) -> Any:
    trace = types.get_class("Trace", NS)("trace")
    tables = [DynamicTable(name=f"t{k}", description="d") for k in range(n_tables)]
    rate = rate if rate is not None else Data("rate", [1.0, 2.0])
    attrs.setdefault("count", 1)
    return types.get_class("Holder", NS)("h", [trace, *tables, rate], **attrs)


# -- attributes: the validator never looks at their dtype ---------------------------------------


@pytest.mark.parametrize("stored", [False, True], ids=["memory", "store"])
def test_a_table_attribute_of_the_wrong_dtype_is_reported(
    types: TypeMap, tmp_path: Path, stored: bool
) -> None:
    # hdmf: "ATable/a_attr (a.a_attr): incorrect type - expected 'text', got 'int64'"
    table = a_table(types)
    table.a_attr = 5
    if stored:
        with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(types)) as io:
            io.write(table)
        issues = messages(hdmf_arrow.validate(tmp_path / "s"))
    else:
        issues = messages(check(table, types))
    assert any("a_attr" in m and "text" in m and "int" in m for m in issues), issues


def test_a_group_attribute_of_the_wrong_dtype_is_reported(types: TypeMap) -> None:
    assert check(holder(types), types) == []
    # hdmf: "Holder/count (h.count): incorrect type - expected 'int', got 'utf'"
    issues = messages(check(holder(types, count="many"), types))
    assert any("count" in m and "int" in m for m in issues), issues


# -- named datasets of a group: dtype and shape unchecked ---------------------------------------


@pytest.mark.parametrize(
    ("data", "word"), [(["x"], "float"), ([[1.0, 2.0]], "shape")], ids=["dtype", "shape"]
)
def test_a_named_dataset_of_a_group_is_checked_against_its_spec(
    types: TypeMap, data: list[Any], word: str
) -> None:
    # hdmf: "Holder/rate (h/rate): incorrect type - expected 'float', got 'utf'" and
    #       "Holder/rate (h/rate): incorrect shape - expected '[*]', got '(1, 2)'"
    issues = messages(check(holder(types, rate=Data("rate", data)), types))
    assert any("h/rate" in m and word in m for m in issues), issues


# coverage
def test_an_integer_quantity_of_a_group_child_is_exact(types: TypeMap) -> None:
    assert check(holder(types, n_tables=2), types) == []
    for n in (1, 3):
        assert messages(check(holder(types, n_tables=n), types)) == [
            f"Holder (h): expected exactly 2 group(s) of type 'DynamicTable', found {n}"
        ]


@pytest.mark.parametrize("target", [None, "vector"], ids=["missing", "wrong-type"])
def test_a_required_link_is_checked(types: TypeMap, target: str | None) -> None:
    cls = types.get_class("LinkHolder", NS)
    table = DynamicTable(name="x", description="d")
    assert check(cls("h", [Link("tbl", table)]), types) == []
    parts = [] if target is None else [Link("tbl", VectorData("v", "v", [1]))]
    # hdmf: "LinkHolder (h): missing data type DynamicTable (tbl)"
    issues = messages(check(cls("h", parts), types))
    assert any("tbl" in m and "DynamicTable" in m for m in issues), issues


# coverage: the attribute dtype rules (hdmf's, with a Python number taking the spec's width)
@pytest.mark.parametrize(
    ("count", "found"),
    [(2, None), (np.int64(2), None), (2**40, None), ([1, 2], None), (True, "'bool'"),
     (np.uint8(1), "'uint8'"), (1.5, "'float64'"), ([1, "x"], "'text' (an element)")],
)  # fmt: skip
def test_attribute_values_against_their_dtype(
    types: TypeMap, count: Any, found: str | None
) -> None:
    issues = messages(check(holder(types, count=count), types))
    wanted = "Holder (h): attribute 'count' (spec Holder/count): expected dtype 'int', found"
    assert issues == ([] if found is None else [f"{wanted} {found}"])


# coverage
def test_a_float_attribute_takes_a_python_int_and_a_fixed_one_its_value(types: TypeMap) -> None:
    table = a_table(types)
    table.deflt = 2  # hdmf writes it as the spec's float
    assert check(table, types) == []
    table.fixed = 4
    assert messages(check(table, types)) == [
        "ATable (a): attribute 'fixed' (spec ATable/fixed) is fixed to 3 by the spec, found 4"
    ]


# coverage
def test_a_scalar_where_the_spec_wants_an_array_and_links_pass_to_their_target(
    types: TypeMap,
) -> None:
    from hdmf_arrow.common import Dataset

    assert messages(check(holder(types, rate=Dataset("rate", 2.0)), types)) == [
        "Dataset (h/rate): expected shape [None], found a scalar (None: any length)"
    ]
    assert check(holder(types, rate=Link("rate", Data("r", [1.0, 2.0]))), types) == []  # type: ignore[arg-type]
    linked = holder(types, rate=Link("rate", Data("r", ["x"])))  # type: ignore[arg-type]
    assert messages(check(linked, types)) == [
        "Data (h/rate): expected dtype 'float' (or wider), found 'text'"
    ]


# coverage
def test_a_compound_column_names_the_wrong_fields(types: TypeMap) -> None:
    import pyarrow as pa

    cls = types.get_class("CompTable", NS)
    values = pa.array([{"x": "a", "z": 1}])
    bad = cls(name="c", description="d", columns=[VectorData("pt", "pt", values)])  # type: ignore[call-arg]
    assert messages(check(bad, types)) == [
        "VectorData (c/pt): expected dtype compound [x: 'float', y: 'int'] (spec CompTable/pt), "
        "found field 'x' of 'text'; no field 'y'"
    ]


# -- isodatetime: ISO strings are how hdmf stores them ------------------------------------------


def test_an_isodatetime_column_of_iso_strings_is_valid(types: TypeMap) -> None:
    dt = VectorData("dt", "dt", ["2020-01-01T00:00:00+00:00", "2020-01-02T00:00:00+00:00"])
    assert messages(check(a_table(types, dt=dt), types)) == []


def test_an_hdmf_written_isodatetime_column_validates(hdmf_types: Any, tmp_path: Path) -> None:
    from hdmf.backends.hdf5 import HDF5IO
    from hdmf.build import BuildManager as HdmfManager
    from hdmf.common import VectorData as HdmfVectorData
    from hdmf.common import validate as hdmf_validate

    cls = hdmf_types.get_dt_container_cls("ATable", NS)
    when = [datetime.datetime(2020, 1, 1, tzinfo=UTC)] * 2
    table = cls(name="a", description="d", a_attr="x", columns=[
        HdmfVectorData(name="t", description="t", data=["a", "b"]),
        HdmfVectorData(name="i", description="i", data=[1, 2]),
        HdmfVectorData(name="dt", description="dt", data=when),
    ])  # fmt: skip
    path = tmp_path / "a.h5"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with HDF5IO(str(path), "w", manager=HdmfManager(hdmf_types)) as io:
            io.write(table)
        with HDF5IO(str(path), "r", manager=HdmfManager(hdmf_types)) as io:
            assert hdmf_validate(io, namespace=NS) == []
        # today: ["VectorData (root/dt): expected dtype 'isodatetime' (or wider), found 'text'"]
        assert messages(hdmf_arrow.validate(path)) == []


# coverage
def test_isodatetime_columns_of_datetimes_pass_and_of_other_values_fail(types: TypeMap) -> None:
    good = VectorData("dt", "dt", [datetime.datetime(2020, 1, 1, tzinfo=UTC)] * 2)
    assert check(a_table(types, dt=good), types) == []
    for values in (["hello", "x"], [1.0, 2.0]):
        issues = messages(check(a_table(types, dt=VectorData("dt", "dt", values)), types))
        assert len(issues) == 1 and "a/dt" in issues[0] and "'isodatetime'" in issues[0], issues  # noqa: PT018


# -- object references as column dtype ---------------------------------------------------------


@pytest.mark.parametrize("values", [["x", "y"], [0.5, 1.5]], ids=["text", "float"])
def test_an_object_reference_column_of_plain_values_is_reported(
    types: TypeMap, values: list[Any]
) -> None:
    # hdmf: "ATable/o (a/o): incorrect type - expected 'object reference', got ..."
    issues = messages(check(a_table(types, o=VectorData("o", "o", values)), types))
    assert any("a/o" in m and "reference" in m for m in issues), issues


@pytest.mark.parametrize("values", [[1.0, 2.0], ["a", "b"]], ids=["float", "text"])
def test_a_compound_column_of_plain_values_is_reported(types: TypeMap, values: list[Any]) -> None:
    import pyarrow as pa

    cls = types.get_class("CompTable", NS)
    good = pa.array([{"x": 1.0, "y": 1}, {"x": 2.0, "y": 2}])
    assert (
        check(cls(name="c", description="d", columns=[VectorData("pt", "pt", good)]), types) == []
    )  # type: ignore[call-arg]
    bad = cls(name="c", description="d", columns=[VectorData("pt", "pt", values)])  # type: ignore[call-arg]
    # hdmf: "CompTable/pt (c/pt): incorrect type - expected '['float', 'int']', got 'float64'"
    issues = messages(check(bad, types))
    assert any("c/pt" in m for m in issues), issues


# -- ragged columns ---------------------------------------------------------------------------


def test_a_required_ragged_column_given_flat_is_reported(types: TypeMap) -> None:
    cls = types.get_class("RTable", NS)
    ragged = cls(name="r", description="d")  # type: ignore[call-arg]
    ragged.add_row(cues=[1, 2])
    assert check(ragged, types) == []
    flat = cls(name="r", description="d", columns=[VectorData("cues", "c", [1, 2])])  # type: ignore[call-arg]
    # hdmf: "RTable (r): missing data type VectorIndex (cues_index)"
    issues = messages(check(flat, types))
    assert any("cues_index" in m or "ragged" in m for m in issues), issues


@pytest.mark.parametrize("stored", [False, True], ids=["memory", "store"])
def test_a_required_column_left_out_is_not_silently_null(
    types: TypeMap, tmp_path: Path, stored: bool
) -> None:
    cls = types.get_class("ATable", NS)
    try:  # hdmf: ValueError "column must have the same number of rows as 'id'"
        table = cls(name="a", description="d", columns=[VectorData("t", "t", ["a", "b"])])  # type: ignore[call-arg]
    except HdmfArrowError as exc:
        assert "'i'" in str(exc)  # noqa: PT017
        return
    table.a_attr = "x"
    # today: table["i"].data == [None, None], dtype null, and no issue at all
    if stored:
        with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(types)) as io:
            io.write(table)
        issues = messages(hdmf_arrow.validate(tmp_path / "s"))
    else:
        issues = messages(check(table, types))
    assert any("a/i" in m for m in issues), issues


# -- generated classes: attributes as in hdmf's generated __init__ ------------------------------


def test_a_generated_table_class_takes_its_spec_attributes_as_keywords(
    types: TypeMap, hdmf_types: Any
) -> None:
    hdmf_args = [
        a["name"] for a in hdmf_types.get_dt_container_cls("BTable", NS).__init__.__docval__["args"]
    ]
    assert {"a_attr", "b_attr", "deflt"} <= set(hdmf_args)
    cls = types.get_class("BTable", NS)
    table = cls(name="b", description="d", a_attr="x", b_attr=3)  # type: ignore[call-arg]
    assert (table.a_attr, table.b_attr) == ("x", 3)


def test_generated_classes_apply_default_values(types: TypeMap, hdmf_types: Any) -> None:
    hdmf_table = hdmf_types.get_dt_container_cls("ATable", NS)(
        name="a", description="d", a_attr="x"
    )
    assert hdmf_table.deflt == 1.5
    assert types.get_class("Trace", NS)("tr").unit == "s"  # today: None
    assert getattr(types.get_class("ATable", NS)(name="a", description="d"), "deflt", None) == 1.5  # type: ignore[call-arg]


def test_a_fixed_attribute_value_is_the_specs(
    types: TypeMap, hdmf_types: Any, tmp_path: Path
) -> None:
    hdmf_table = hdmf_types.get_dt_container_cls("ATable", NS)(
        name="a", description="d", a_attr="x"
    )
    assert hdmf_table.fixed == 3
    table = a_table(types)
    assert getattr(table, "fixed", None) == 3
    volts = types.get_class("Volts", NS)("v", "v", [1.0])
    assert (getattr(volts, "unit", None) or volts.attributes.get("unit")) == "volts"
    table.fixed = 99  # hdmf's writer always writes the spec's value
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(types)) as io:
        io.write(table)
    back = hdmf_arrow.read(tmp_path / "s")
    issues = messages(hdmf_arrow.validate(tmp_path / "s"))
    assert back.fixed == 3 or any("fixed" in m for m in issues), (back.fixed, issues)


def test_a_table_read_back_from_a_store_validates_against_the_stores_namespaces(
    types: TypeMap, tmp_path: Path
) -> None:
    table = a_table(types)
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(types)) as io:
        io.write(table)
    assert hdmf_arrow.validate(tmp_path / "s") == []  # the store's cached namespace is used
    back = hdmf_arrow.read(tmp_path / "s")
    assert type(back).__name__ == "ATable"
    # today: "ATable (a): data type 'ATable' of namespace 'ndx-s20' is not defined in any
    # loaded namespace; it cannot be checked" -- and no spec check runs at all
    assert messages(hdmf_arrow.validate(back)) == []
    back.a_attr = None
    assert messages(hdmf_arrow.validate(back)) == [
        "ATable (a): required attribute 'a_attr' is missing"
    ]


# -- the inheritance chain A <- B <- C ---------------------------------------------------------


# coverage
def test_a_three_deep_chain_gives_hdmfs_columns(types: TypeMap, hdmf_types: Any) -> None:
    ours = types.get_class("CTable", NS)
    theirs = hdmf_types.get_dt_container_cls("CTable", NS)
    names = {c["name"] for k in ours.__mro__ for c in getattr(k, "__columns__", ())}
    assert names == {c["name"] for c in theirs.__columns__}
    # C's own 'f' (quantity 1) makes the inherited optional column required; hdmf keeps the
    # first definition's flag (f optional), which ignores C's spec
    assert set(ours(name="c", description="d").colnames) == {"t", "i", "f"}  # type: ignore[call-arg]


# coverage
def test_a_three_deep_chain_validates_each_level_by_its_own_spec(types: TypeMap) -> None:
    def table(level: str, **columns: VectorData) -> Any:
        base = {"t": VectorData("t", "t", ["a"]), "i": VectorData("i", "i", [1], dtype="int32")}
        base.update(columns)
        out = types.get_class(level, NS)(name="x", description="d", columns=list(base.values()))  # type: ignore[call-arg]
        out.a_attr = "x"
        return out

    assert check(table("ATable"), types) == []
    # B refines i to int64: int32 data is too narrow there
    assert messages(check(table("BTable"), types)) == [
        "VectorData (x/i): expected dtype 'int64' (or wider), found 'int32'"
    ]
    # C makes the optional f required and float32
    i64 = VectorData("i", "i", [1], dtype="int64")
    without_f = table("CTable", i=i64)
    without_f._detach("f")  # the constructor adds a required column that is not given
    assert messages(check(without_f, types)) == [
        "CTable (x/f): required column 'f' (VectorData) is missing"
    ]
    assert (
        check(table("CTable", i=i64, f=VectorData("f", "f", [1.0], dtype="float32")), types) == []
    )


# coverage
def test_a_column_with_several_allowed_shapes(types: TypeMap) -> None:
    for values in ([1.0, 2.0], [[1.0, 2.0, 3.0]] * 2):
        assert check(a_table(types, s=VectorData("s", "s", values)), types) == []
    for values, found in (
        ([[1.0, 2.0]] * 2, "[None, 2]"),
        ([[[1.0, 2.0, 3.0]]] * 2, "[None, 1, 3]"),
    ):
        wanted = f"expected shape [None] or [None, 3], found {found} (None: any length)"
        issues = messages(check(a_table(types, s=VectorData("s", "s", values)), types))
        assert issues == [f"VectorData (a/s): {wanted}"]


# coverage
@pytest.mark.parametrize(
    ("column", "found"),
    [("t", "int64"), ("i", "float64"), ("b", "int64"), ("f", "text")],
)
def test_each_predefined_dtype_refuses_another_kind(
    types: TypeMap, column: str, found: str
) -> None:
    values: dict[str, list[Any]] = {"int64": [1, 2], "float64": [1.5, 2.5], "text": ["1", "2"]}
    table = a_table(types, **{column: VectorData(column, column, values[found])})
    issues = messages(check(table, types))
    assert len(issues) == 1, issues
    assert f"a/{column}" in issues[0], issues
    assert f"found '{found}'" in issues[0], issues


# -- YAML: an empty scalar is null --------------------------------------------------------------


def _load(tmp_path: Path, ext: str) -> Any:
    (tmp_path / "a.yaml").write_text(ext)
    (tmp_path / "ns.yaml").write_text(
        "namespaces:\n- name: ndx-a\n  doc: a\n  version: 0.1.0\n  schema:\n"
        "  - namespace: hdmf-common\n  - source: a.yaml\n"
    )
    catalog = core_catalog()
    catalog.load_namespaces(tmp_path / "ns.yaml")
    return catalog


def test_an_empty_yaml_scalar_is_null(tmp_path: Path) -> None:
    ext = (
        "groups:\n- data_type_def: A\n  data_type_inc: DynamicTable\n  doc: a\n  datasets:\n"
        "  - name: x\n    doc: x\n    data_type_inc: VectorData\n    dtype: float\n"
        "    shape:\n    -\n    - 3\n"
    )
    # today: SpecError "datasets[0].shape: a length must be null or an integer >= 0, found ''"
    spec = _load(tmp_path, ext).get_spec("ndx-a", "A")
    assert spec.datasets[0].shape == (None, 3)


# coverage: hostile namespace and spec files not in test_spec.py
NS_HEAD = "namespaces:\n- name: ndx-a\n  doc: a\n  version: 0.1.0\n  schema:\n"
EXT_HEAD = "groups:\n- data_type_def: A\n  data_type_inc: DynamicTable\n  doc: a\n"


@pytest.mark.parametrize(
    ("namespace", "ext", "message"),
    [
        ("namespaces: {name: a}\n", None, r"ns.yaml: namespaces: expected a list"),
        (NS_HEAD.split("  schema")[0] + "  schema: {source: x}\n", None,
         r"namespace 'ndx-a'.schema: expected a list"),
        (NS_HEAD + "  - a.yaml\n", None,
         r"namespace 'ndx-a'.schema\[0\]: expected a mapping for schema entry"),
        (NS_HEAD + "  - namespace: hdmf-common\n    data_types: VectorData\n", None,
         r"schema\[0\].data_types: expected a list of type names"),
        (NS_HEAD + "  - namespace: hdmf-common\n    data_types: [Nope]\n", None,
         r"schema\[0\].data_types: namespace 'hdmf-common' has no type 'Nope'"),
        (NS_HEAD + "  - source: a.yaml\n    namespace: hdmf-common\n", None,
         r"schema\[0\]: a schema entry needs exactly one of 'source' and 'namespace'"),
        (NS_HEAD + "  - namespace: ndx-a\n  - source: a.yaml\n", EXT_HEAD,
         r"schema\[0\].namespace: namespace 'ndx-a' is not loaded"),
        (NS_HEAD + "  - namespace: ndx-b\n- name: ndx-b\n  doc: b\n  version: 0.1.0\n  schema:\n"
         "  - namespace: ndx-a\n", None, r"namespace 'ndx-b' is not loaded"),  # circular
        (NS_HEAD + "  - namespace: hdmf-common\n  - source: a.yaml\n",
         EXT_HEAD + "  attributes: {name: x}\n", r"type 'A', attributes: expected a list"),
        (NS_HEAD + "  - namespace: hdmf-common\n  - source: a.yaml\n",
         EXT_HEAD + "  attributes:\n  - name: x\n    doc: x\n    dtype: [int]\n",
         r"type 'A', attributes\[0\].dtype: unknown dtype \['int'\]"),
        (NS_HEAD + "  - namespace: hdmf-common\n  - source: a.yaml\n",
         EXT_HEAD + "  attributes:\n  - name: x\n    doc: x\n    dtype: int\n    required: 'no'\n",
         r"attributes\[0\].required: expected true or false, found 'no'"),
        (NS_HEAD + "  - namespace: hdmf-common\n  - source: a.yaml\n",
         "groups:\n- data_type_def: A\n  data_type_inc: B\n  doc: a\n- data_type_def: B\n"
         "  data_type_inc: C\n  doc: b\n- data_type_def: C\n  data_type_inc: Nope\n  doc: c\n",
         r"type 'C', data_type_inc: unknown data type 'Nope'"),
        (NS_HEAD + "  - namespace: hdmf-common\n  - source: a.yaml\n", "- 1\n- 2\n",
         r"a.yaml: expected a mapping for spec file"),
    ],
)  # fmt: skip
def test_hostile_namespace_files_are_named_errors(
    tmp_path: Path, namespace: str, ext: str | None, message: str
) -> None:
    (tmp_path / "ns.yaml").write_text(namespace)
    if ext is not None:
        (tmp_path / "a.yaml").write_text(ext)
    with pytest.raises(SpecError, match=message):
        core_catalog().load_namespaces(tmp_path / "ns.yaml")
