"""hdmf.spec's API on hdmf_arrow.spec: specs as dicts, hdmf's builders and in-place resolution,
DtypeHelper, YAMLSpecWriter, SpecNamespace.build_namespace and catalog merging."""

from __future__ import annotations

import json
import warnings
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given

from hdmf_arrow.errors import SpecError
from hdmf_arrow.spec import (
    AttributeSpec,
    DatasetSpec,
    DtypeHelper,
    DtypeSpec,
    GroupSpec,
    LinkSpec,
    NamespaceBuilder,
    NamespaceCatalog,
    RefSpec,
    SpecNamespace,
    core_catalog,
    load_specs,
    parse_dataset_spec,
    parse_group_spec,
)
from hdmf_arrow.spec.spec import BaseStorageSpec
from hdmf_arrow.spec.write import YAMLSpecWriter, dump_specs
from hdmf_arrow.testing.strategies import specs

if TYPE_CHECKING:
    from pathlib import Path


def _table() -> GroupSpec:
    return GroupSpec(
        doc="a table",
        data_type_def="MyTable",
        data_type_inc="DynamicTable",
        attributes=[AttributeSpec("unit", "the unit", "text", default_value="s")],
        datasets=[
            DatasetSpec(doc="a column", name="x", data_type_inc="VectorData", dtype="float"),
            DatasetSpec(
                doc="pairs",
                name="pairs",
                dtype=[DtypeSpec("a", "first", "int"), DtypeSpec("b", "ref", RefSpec("Data"))],
                shape=[None],
            ),
        ],
        links=[LinkSpec("the source", "Container", name="source")],
    )


# -- specs are dicts -------------------------------------------------------------------------


def test_a_spec_is_its_yaml_form_as_a_dict() -> None:
    spec = _table()
    assert isinstance(spec, dict)
    assert spec["data_type_def"] == "MyTable"
    assert spec["attributes"][0] is spec.attributes[0]
    assert spec["attributes"][0]["default_value"] == "s"
    assert spec["attributes"][0]["required"] is False
    assert spec["datasets"][1]["shape"] == [None]  # the dict holds lists ...
    assert spec.datasets[1].shape == (None,)  # ... the properties tuples
    assert spec.datasets[1]["dims"] == ["dim_0"]
    assert "linkable" not in spec
    assert "quantity" not in spec
    assert json.loads(json.dumps(spec)) == spec


def test_specs_of_different_kinds_are_never_equal() -> None:
    group = GroupSpec(doc="x", name="a")
    dataset = DatasetSpec(doc="x", name="a")
    assert dict(group) == dict(dataset)
    assert group != dataset
    assert group == {"doc": "x", "name": "a"}
    assert hash(group) == hash(GroupSpec(doc="x", name="a"))


@given(specs())
def test_build_spec_of_the_json_form_gives_the_spec_back(spec: GroupSpec | DatasetSpec) -> None:
    plain = json.loads(json.dumps(spec))
    assert type(spec).build_spec(plain) == spec
    assert type(spec).build_spec(spec) == spec
    parse = parse_group_spec if isinstance(spec, GroupSpec) else parse_dataset_spec
    assert parse(plain) == spec


def test_build_spec_warns_about_unknown_keys_and_needs_doc() -> None:
    with pytest.warns(UserWarning, match=r"Unexpected keys \['quantity'\] in spec"):
        spec = AttributeSpec.build_spec({"name": "a", "doc": "d", "dtype": "int", "quantity": "?"})
    assert spec == AttributeSpec("a", "d", "int")
    with pytest.raises(TypeError, match=r"AttributeSpec\.__init__: missing argument 'doc'"):
        AttributeSpec.build_spec({"name": "a", "dtype": "int"})
    ref = AttributeSpec.build_spec(
        {"name": "t", "doc": "d", "dtype": {"target_type": "Data", "reftype": "object"}}
    )
    assert isinstance(ref.dtype, RefSpec)


def test_properties_cannot_be_assigned() -> None:
    spec = _table()
    with pytest.raises(AttributeError):
        spec.doc = "changed"  # type: ignore[misc]
    assert spec.doc == "a table"


def test_parent_and_path() -> None:
    attribute = AttributeSpec("a", "an attribute", "text")
    dataset = DatasetSpec(doc="d", name="data", attributes=[attribute])
    group = GroupSpec(doc="g", data_type_def="G", datasets=[dataset])
    assert attribute.parent is dataset
    assert dataset.parent is group
    assert group.parent is None
    assert attribute.path == "G/data/a"
    with pytest.raises(AttributeError, match=r"Cannot re-assign parent of AttributeSpec 'a'"):
        attribute.parent = group


def test_deprecated_helpers_warn() -> None:
    with pytest.warns(DeprecationWarning, match="get_data_type_spec is deprecated"):
        spec = BaseStorageSpec.get_data_type_spec("MyType")  # type: ignore[attr-defined]
    assert spec == AttributeSpec(
        "data_type", "the data type of this object", "text", value="MyType"
    )
    group = GroupSpec(doc="g", name="root")
    with pytest.warns(DeprecationWarning, match="use set_dataset"):
        group.add_dataset("d", name="d", dtype="int")
    assert isinstance(group.get_dataset("d"), DatasetSpec)


# -- changing a spec with hdmf's methods -----------------------------------------------------


def test_set_attribute_replaces_by_name() -> None:
    group = GroupSpec(doc="g", name="root", attributes=[AttributeSpec("a", "first", "text")])
    group.set_attribute(AttributeSpec("a", "second", "int", value=5))
    assert [a.doc for a in group.attributes] == ["second"]
    assert group.get_attribute("a").value == 5  # type: ignore[union-attr]


def test_adding_a_parented_child_adds_a_copy() -> None:
    child = GroupSpec(doc="c", name="c")
    first = GroupSpec(doc="g", name="first", groups=[child])
    second = GroupSpec(doc="g", name="second")
    second.set_group(child)
    assert child.parent is first
    assert second.groups[0] == child
    assert second.groups[0] is not child
    assert second.groups[0].parent is second


@pytest.mark.parametrize(
    ("add", "match"),
    [
        (lambda g: g.set_dataset(DatasetSpec(doc="d", name="x")), "duplicate name 'x'"),
        (lambda g: g.set_group(GroupSpec(doc="d", data_type_inc="T")), "a second unnamed"),
        (lambda g: g.set_link(LinkSpec("l", "T")), "a second unnamed spec of type 'T'"),
    ],
)
def test_set_child_checks_first_and_leaves_the_spec_unchanged(add: Any, match: str) -> None:
    group = GroupSpec(
        doc="g",
        data_type_def="G",
        datasets=[DatasetSpec(doc="x", name="x")],
        groups=[GroupSpec(doc="t", data_type_inc="T")],
        links=[LinkSpec("l", "T")],
    )
    before = json.dumps(group)
    with pytest.raises(SpecError, match=match):
        add(group)
    assert json.dumps(group) == before


# -- in-place resolution ----------------------------------------------------------------------


def test_resolve_inc_spec_merges_and_tracks_what_is_inherited() -> None:
    base = GroupSpec(
        doc="base",
        data_type_def="Base",
        attributes=[AttributeSpec("a1", "a1", "text"), AttributeSpec("a2", "a2", "text")],
        datasets=[DatasetSpec(doc="d", name="d", dtype="int", shape=[None])],
        groups=[GroupSpec(doc="any", data_type_inc="Thing", quantity="*")],
        links=[LinkSpec("l", "Target", name="l")],
    )
    ext = GroupSpec(
        doc="ext",
        data_type_def="Ext",
        data_type_inc="Base",
        attributes=[AttributeSpec("a2", "a2", "text", value="fixed")],
        datasets=[DatasetSpec(doc="mine", name="d", dtype="int32")],
    )
    assert not ext.inc_spec_resolved
    ext.resolve_inc_spec(base, None)
    assert ext.inc_spec_resolved
    assert ext.data_type_inc_resolved is base
    assert [a.name for a in ext.attributes] == ["a2", "a1"]
    assert ext.is_inherited_attribute("a1")
    assert not ext.is_overridden_attribute("a1")
    assert ext.is_inherited_attribute("a2")
    assert ext.is_overridden_attribute("a2")
    assert ext.get_dataset("d").shape == (None,)  # type: ignore[union-attr]
    assert ext.get_dataset("d").dtype == "int32"  # type: ignore[union-attr]
    assert ext.is_overridden_dataset("d")
    assert ext.is_inherited_link("l")
    assert not ext.is_overridden_link("l")
    assert ext.is_inherited_spec(ext.get_attribute("a1"))  # type: ignore[arg-type]
    assert ext.is_inherited_type("Thing")
    assert not base.is_inherited_attribute("a1")
    with pytest.raises(SpecError, match="Attribute 'nope' not found"):
        ext.is_inherited_attribute("nope")
    with pytest.raises(SpecError, match="Group 'nope' not found in spec"):
        ext.is_overridden_group("nope")


def test_resolve_inc_spec_merges_compound_dtypes_in_the_parents_order() -> None:
    base = DatasetSpec(
        doc="b",
        data_type_def="B",
        dtype=[DtypeSpec("c1", "c1", "int32"), DtypeSpec("c2", "c2", "float32")],
    )
    ext = DatasetSpec(
        doc="e",
        data_type_def="E",
        data_type_inc="B",
        dtype=[DtypeSpec("c3", "c3", "text"), DtypeSpec("c2", "wider", "float64")],
    )
    ext.resolve_inc_spec(base, None)
    assert [(f.name, f.dtype) for f in ext.dtype] == [  # type: ignore[union-attr]
        ("c1", "int32"),
        ("c2", "float64"),
        ("c3", "text"),
    ]


@pytest.mark.parametrize(
    ("own", "inherited", "match"),
    [
        ("int32", "int64", "'int32' would widen the inherited dtype 'int64'"),
        ("text", "float", "'text' would widen the inherited dtype 'float'"),
        ("int", [DtypeSpec("c", "c", "int")], "inherited compound dtype by a simple one"),
        (RefSpec("A"), "int", "cannot replace the inherited dtype 'int'"),
    ],
)
def test_resolve_inc_spec_refuses_to_widen_and_changes_nothing(
    own: Any, inherited: Any, match: str
) -> None:
    base = DatasetSpec(doc="b", data_type_def="B", dtype=inherited)
    ext = DatasetSpec(doc="e", data_type_def="E", data_type_inc="B", dtype=own, attributes=[])
    before = json.dumps(ext)
    with pytest.raises(SpecError, match=match) as info:
        ext.resolve_inc_spec(base, None)
    assert "DatasetSpec 'E'" in str(info.value)
    assert json.dumps(ext) == before
    assert not ext.inc_spec_resolved


def test_resolve_inc_spec_needs_the_same_kind() -> None:
    with pytest.raises(TypeError, match="expected a DatasetSpec"):
        DatasetSpec(doc="e", data_type_inc="G").resolve_inc_spec(
            GroupSpec(doc="g", data_type_def="G"), None
        )


def test_resolved_flag() -> None:
    spec = GroupSpec(doc="g", data_type_def="G")
    assert spec.resolved is False
    spec.resolved = True
    assert spec.resolved
    with pytest.raises(SpecError, match="GroupSpec 'G': 'resolved' must be True or False"):
        spec.resolved = "yes"  # type: ignore[assignment]


# -- DtypeHelper, namespaces, writing ----------------------------------------------------------


def test_dtype_helper() -> None:
    assert DtypeHelper.recommended_primary_dtypes == list(DtypeHelper.primary_dtype_synonyms)
    assert "utf8" in DtypeHelper.valid_primary_dtypes
    fields = [DtypeSpec("a", "a", "float"), DtypeSpec("b", "b", RefSpec("T"))]
    assert DtypeHelper.simplify_cpd_type(fields) == ["float", "object"]
    assert DtypeHelper.is_allowed_dtype("int64", "numeric")
    assert not DtypeHelper.is_allowed_dtype("string", "int")
    with pytest.raises(SpecError, match="Unknown dtype 'bad'"):
        DtypeHelper.is_allowed_dtype("int", "bad")
    with pytest.raises(SpecError, match="dtype 'bad' is not a valid primary data type"):
        DtypeHelper.check_dtype("bad")
    with pytest.raises(SpecError, match="'dtype' must have the key 'target_type'"):
        DtypeSpec.check_valid_dtype({"reftype": "object"})


def test_build_namespace_is_a_dict_and_warns_without_a_version() -> None:
    ns = SpecNamespace.build_namespace(
        doc="d", name="ndx-x", version="1.0", schema=[{"source": "x.yaml"}]
    )
    assert isinstance(ns, dict)
    assert json.loads(json.dumps(ns))["schema"] == [{"source": "x.yaml"}]
    with pytest.warns(UserWarning, match="'ndx-y' is missing the required key 'version'"):
        unversioned = SpecNamespace.build_namespace(doc="d", name="ndx-y", schema=[])
    assert unversioned.version is SpecNamespace.UNVERSIONED
    with pytest.raises(KeyError, match="'schema' not found"):
        SpecNamespace.build_namespace(doc="d", name="ndx-z")


def test_yaml_spec_writer(tmp_path: Path) -> None:
    writer = YAMLSpecWriter(tmp_path)
    assert YAMLSpecWriter.sort_keys({"doc": "d", "attributes": [{"doc": "a", "name": "n"}]}) == {
        "doc": "d",
        "attributes": [{"name": "n", "doc": "a"}],
    }
    builder = NamespaceBuilder(doc="x", name="ndx-x", version="0.1.0")
    builder.add_spec("x.yaml", _table())
    builder.include_namespace("hdmf-common")
    builder.export("ndx-x.namespace.yaml", writer=writer)
    written = load_specs((tmp_path / "x.yaml").read_text(), file="x.yaml")
    assert written == (_table(),)
    catalog = core_catalog()
    catalog.load_namespaces(tmp_path / "ndx-x.namespace.yaml")
    assert catalog.get_spec("ndx-x", "MyTable").get_dataset("x").dtype == "float"  # type: ignore[union-attr]
    messy = tmp_path / "messy.yaml"
    messy.write_text("groups:\n- doc: d\n  data_type_def: A\n")
    YAMLSpecWriter(tmp_path).reorder_yaml(str(messy))
    assert messy.read_text().endswith("groups:\n- data_type_def: A\n  doc: d\n")
    assert dump_specs([_table()]) == (tmp_path / "x.yaml").read_text()


def test_merge_and_resolve_all_specs(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(
        dump_specs([GroupSpec(doc="t", data_type_def="T", data_type_inc="DynamicTable")])
    )
    builder = NamespaceBuilder(doc="x", name="ndx-x", version="0.1.0")
    builder.include_namespace("hdmf-common")
    builder.add_source("x.yaml")
    builder.export("ns.yaml", outdir=tmp_path)
    catalog = NamespaceCatalog()
    catalog.merge(core_catalog())
    assert catalog.core_namespaces == ["hdmf-common", "hdmf-experimental"]
    catalog.load_namespaces(tmp_path / "ns.yaml", resolve=False)
    unresolved = catalog.get_spec("ndx-x", "T")
    assert not unresolved.resolved
    assert unresolved.get_dataset("id") is None
    catalog.resolve_all_specs()
    resolved = catalog.get_spec("ndx-x", "T")
    assert resolved.resolved
    assert resolved.inc_spec_resolved
    assert resolved.get_dataset("id") is not None
    catalog.merge(core_catalog())  # the same namespaces again: nothing to add
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        catalog.merge(catalog.copy())


def _core_with_a_link(tmp_path: Path) -> NamespaceCatalog:
    core = NamespaceBuilder(doc="core", name="core", version="1.0.0")
    core.add_spec("core.yaml", GroupSpec(doc="m", data_type_def="Model"))
    core.add_spec(
        "core.yaml",
        GroupSpec(doc="c", data_type_def="Core", links=[LinkSpec("m", "Model", name="model")]),
    )
    core.export("core.namespace.yaml", outdir=tmp_path)
    catalog = NamespaceCatalog(core_namespaces=["core"])
    catalog.load_namespaces(tmp_path / "core.namespace.yaml")
    return catalog


@pytest.mark.parametrize(
    ("part", "found"),
    [
        ({"attributes": [AttributeSpec("model", "m", "text")]}, "as an attribute (dtype: text)"),
        ({"links": [LinkSpec("m", "Other", name="model")]}, "Other is not a subtype of Model"),
        ({"links": [LinkSpec("m", "SubModel", name="model")]}, None),
    ],
)
def test_redefining_a_core_link_warns(tmp_path: Path, part: dict[str, Any], found: str) -> None:
    catalog = _core_with_a_link(tmp_path)
    ext = NamespaceBuilder(doc="ext", name="ext", version="1.0.0")
    ext.include_namespace("core")
    ext.add_spec("ext.yaml", GroupSpec(doc="o", data_type_def="Other"))
    ext.add_spec("ext.yaml", GroupSpec(doc="s", data_type_def="SubModel", data_type_inc="Model"))
    ext.add_spec("ext.yaml", GroupSpec(doc="e", data_type_def="Ext", data_type_inc="Core", **part))
    ext.export("ext.namespace.yaml", outdir=tmp_path)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        catalog.load_namespaces(tmp_path / "ext.namespace.yaml")
    conflicts = [str(w.message) for w in seen if "Schema conflict" in str(w.message)]
    if found is None:
        assert conflicts == []
    else:
        (message,) = conflicts
        assert "namespace 'ext'" in message
        assert "ext defines Ext.model" in message
        assert found in message
    assert catalog.get_types("ext.yaml") == ("Other", "SubModel", "Ext")
    assert catalog.get_source_types("ext") == ("Other", "SubModel", "Ext")
    spec_dict = catalog.get_spec_source_dict("core.yaml")
    assert spec_dict is not None
    assert [s.data_type_def for s in spec_dict["groups"]] == ["Model", "Core"]
    assert catalog.get_spec_source_dict("nope.yaml") is None


def test_a_namespace_given_its_types_by_a_spec_catalog() -> None:
    from hdmf_arrow.spec import SpecCatalog

    catalog = SpecCatalog()
    catalog.register_spec(GroupSpec(doc="t", data_type_def="T"), "t.yaml")
    catalog.register_spec(GroupSpec(doc="u", data_type_def="U", data_type_inc="T"), "t.yaml")
    ns = SpecNamespace("d", "ndx-t", [{"source": "t.yaml"}], version="1.0", catalog=catalog)
    assert ns.get_registered_types() == ("T", "U")
    assert ns.get_hierarchy("U") == ("U", "T")
    assert ns.get_spec("U") is catalog.get_spec("U")
    assert ns.catalog.get_spec_source_file("U") == "t.yaml"
