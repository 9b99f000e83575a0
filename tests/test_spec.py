"""hdmf_arrow.spec: the schema language, checked against hdmf 6.2 itself.

- the bundled hdmf-common/hdmf-experimental files are hdmf's, and every type resolves here
  exactly as in hdmf;
- extensions written here load in hdmf, and extensions written by hdmf load here, with the
  same resolved specs;
- ``load(dump(spec)) == spec`` for random specs;
- bad specs raise SpecError naming the file, the type and the key path.
"""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from hdmf_arrow.errors import SpecError
from hdmf_arrow.spec import (
    DTYPE_SYNONYMS,
    AttributeSpec,
    DatasetSpec,
    DtypeSpec,
    GroupSpec,
    LinkSpec,
    NamespaceBuilder,
    NamespaceCatalog,
    NamespaceNotFoundError,
    RefSpec,
    bundled_specs,
    canonical_dtype,
    core_catalog,
    dump_specs,
    export_spec,
    is_allowed_dtype,
    load_specs,
    parse_dataset_spec,
    parse_group_spec,
)
from hdmf_arrow.testing.strategies import specs

hdmf_spec = pytest.importorskip("hdmf.spec")
hdmf_common = pytest.importorskip("hdmf.common")

ROOT = Path(__file__).parent.parent
HDMF_SCHEMA = Path(hdmf_common.__file__).parent / "hdmf-common-schema" / "common"
SCHEMA_FILES = ("namespace.yaml", "base.yaml", "table.yaml", "sparse.yaml", "resources.yaml")
SCHEMA_FILES += ("experimental.yaml",)
CORE = ("hdmf-common", "hdmf-experimental")


def plain(spec: Any) -> Any:
    """An hdmf spec (a dict subclass holding tuples) as plain JSON data."""
    return json.loads(json.dumps(spec))


def hdmf_catalog() -> Any:
    """A copy of hdmf's own catalog of hdmf-common and hdmf-experimental."""
    return hdmf_common.get_type_map().namespace_catalog


@pytest.fixture(scope="module")
def theirs() -> Any:
    return hdmf_catalog()


@pytest.fixture(scope="module")
def ours() -> NamespaceCatalog:
    return core_catalog()


def summary(spec: dict[str, Any], *, deep: bool = True) -> dict[str, Any]:
    """The fields of a spec (in to_dict/hdmf dict form) that the comparison covers."""
    keys = ("data_type_def", "data_type_inc", "name", "default_name", "doc", "dtype", "shape")
    keys += ("dims", "quantity", "value", "default_value", "target_type")
    out = {k: spec.get(k) for k in keys}
    out["attributes"] = [
        {k: a.get(k) for k in ("name", "dtype", "shape", "dims", "value", "default_value", "doc")}
        | {"required": a.get("required", True)}
        for a in spec.get("attributes", [])
    ]
    for key in ("datasets", "groups", "links"):
        children = spec.get(key, [])
        if deep:
            out[key] = [summary(c, deep=bool(c.get("data_type_inc"))) for c in children]
        else:
            out[key] = [
                (c.get("name"), c.get("data_type_inc"), c.get("quantity")) for c in children
            ]
    return out


# -- 1. the bundled namespaces -------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_FILES)
def test_bundled_files_are_hdmfs_own(name: str) -> None:
    ours = bundled_specs().joinpath(name).read_bytes()
    assert ours == (HDMF_SCHEMA / name).read_bytes()
    assert (ROOT / "specs" / name).read_bytes() == ours  # the top-level specs/ link


def test_nothing_is_loaded_at_import() -> None:
    code = (
        "import hdmf_arrow.spec, hdmf_arrow.spec.catalog as c; "
        "assert c._core_namespaces.cache_info().currsize == 0; "
        "hdmf_arrow.spec.core_catalog(); assert c._core_namespaces.cache_info().currsize == 1"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_core_catalogs_are_independent() -> None:
    one, two = core_catalog(), core_catalog()
    one.load_namespace_documents(*extension_documents())
    assert "ndx-x" in one.namespaces
    assert "ndx-x" not in two.namespaces
    assert one.get_namespace("hdmf-common") is two.get_namespace("hdmf-common")  # shared, frozen


@pytest.mark.parametrize("namespace", CORE)
def test_registered_types_match_hdmf(namespace: str, theirs: Any, ours: NamespaceCatalog) -> None:
    expected = set(theirs.get_namespace(namespace).get_registered_types())
    assert set(ours.get_namespace(namespace).get_registered_types()) == expected
    for data_type in expected:
        assert ours.get_hierarchy(namespace, data_type) == theirs.get_hierarchy(
            namespace, data_type
        )


def core_types() -> list[tuple[str, str]]:
    catalog = core_catalog()
    return [(ns, t) for ns in CORE for t in catalog.get_namespace(ns).get_registered_types()]


@pytest.mark.parametrize(("namespace", "data_type"), core_types())
def test_every_core_type_resolves_as_in_hdmf(
    namespace: str, data_type: str, theirs: Any, ours: NamespaceCatalog
) -> None:
    expected = plain(theirs.get_spec(namespace, data_type))
    found = ours.get_spec(namespace, data_type).to_dict()
    assert summary(found) == summary(expected)
    assert found == expected  # and everything else, down to the last nested doc string


def test_load_namespaces_result_matches_hdmf() -> None:
    theirs = hdmf_spec.NamespaceCatalog().load_namespaces(str(HDMF_SCHEMA / "namespace.yaml"))
    ours = NamespaceCatalog().load_namespaces(ROOT / "specs" / "namespace.yaml")
    assert ours == theirs
    assert ours["hdmf-experimental"]["hdmf-common"][:3] == (
        "AlignedDynamicTable",
        "CSRMatrix",
        "Container",
    )


def test_namespace_metadata(ours: NamespaceCatalog) -> None:
    common = ours.get_namespace("hdmf-common")
    assert (common.version, common.full_name) == ("1.10.0", "HDMF Common")
    assert common.get_source_files() == ["base.yaml", "table.yaml", "sparse.yaml", "resources.yaml"]
    assert common.author is not None
    assert "Ryan Ly" in common.author
    experimental = ours.get_namespace("hdmf-experimental")
    assert experimental.version == "0.6.0"
    assert experimental.schema[0].namespace == "hdmf-common"
    assert ours.get_namespace("hdmf-experimental").get_type_record("EnumData") is not None
    assert ours.is_sub_data_type("hdmf-experimental", "EnumData", "Data")
    assert "EnumData" in experimental.get_subtypes("VectorData")


def test_unresolved_specs_and_own_sources(ours: NamespaceCatalog) -> None:
    common = ours.get_namespace("hdmf-common")
    index = common.get_spec("VectorIndex", resolved=False)
    assert [a.name for a in index.attributes] == ["target"]
    assert [a.name for a in common.get_spec("VectorIndex").attributes] == ["target", "description"]
    sources = common.own_sources()
    assert list(sources) == ["base.yaml", "table.yaml", "sparse.yaml", "resources.yaml"]
    assert [s.data_type_def for s in sources["base.yaml"]] == [
        "Data",
        "Container",
        "SimpleMultiContainer",
    ]
    experimental = ours.get_namespace("hdmf-experimental")
    enum = experimental.get_spec("EnumData", resolved=False)
    assert experimental.own_sources() == {"experimental.yaml": (enum,)}


def test_lookup_errors(ours: NamespaceCatalog) -> None:
    with pytest.raises(NamespaceNotFoundError, match="'ndx-nope' is not a loaded namespace"):
        ours.get_spec("ndx-nope", "Foo")
    with pytest.raises(KeyError):
        ours.get_namespace("ndx-nope")
    with pytest.raises(SpecError, match="no specification for 'Foo' in namespace 'hdmf-common'"):
        ours.get_spec("hdmf-common", "Foo")
    assert ours.get_hierarchy("hdmf-common", "Foo") == ("Foo",)  # as hdmf


# -- 2. the spec classes -------------------------------------------------------------------


def test_spec_classes_take_hdmfs_arguments() -> None:
    data = DatasetSpec(doc="An example dataset", name="data", dtype="float")
    spec = GroupSpec(doc="A custom data type", data_type_def="MyType", datasets=[data])
    assert spec.datasets == (data,)
    assert spec.get_dataset("data") is data
    assert spec.data_type == "MyType"
    assert spec.required
    assert not spec.is_many()
    attribute = AttributeSpec("colnames", "names", "text", shape=[None])
    assert attribute.dims == ("dim_0",)
    assert AttributeSpec("x", "x", "text", dims=["a", "b"]).shape == (None, None)
    assert AttributeSpec("x", "x", "int", default_value=3).required is False
    assert AttributeSpec("x", "x", "int", value=3, required=False).required is True
    assert DatasetSpec(doc="d", data_type_inc="VectorData", quantity="zero_or_many").quantity == "*"
    link = LinkSpec("a link", GroupSpec(doc="t", data_type_def="Target"), name="target")
    assert link.target_type == "Target"
    assert link.data_type_inc == "Target"
    compound = DatasetSpec(
        doc="pairs",
        data_type_def="Pairs",
        dtype=[DtypeSpec("a", "first", "int"), DtypeSpec("b", "ref", RefSpec("Data", "object"))],
    )
    assert compound.to_dict()["dtype"][1] == {
        "name": "b",
        "dtype": {"target_type": "Data", "reftype": "object"},
        "doc": "ref",
    }
    with pytest.raises(AttributeError):
        spec.doc = "changed"  # type: ignore[misc]
    assert hash(spec) == hash(
        GroupSpec(doc="A custom data type", data_type_def="MyType", datasets=[data])
    )


def test_children_lookups() -> None:
    group = GroupSpec(
        doc="g",
        data_type_def="G",
        datasets=[
            DatasetSpec(doc="a", name="a", data_type_inc="VectorData"),
            DatasetSpec(doc="b", name="b", data_type_inc="VectorData"),
            DatasetSpec(doc="i", name="i", data_type_inc="ElementIdentifiers"),
        ],
        groups=[GroupSpec(doc="any", data_type_inc="DynamicTable", quantity="*")],
        links=[LinkSpec("l", "DynamicTable", name="other")],
        attributes=[AttributeSpec("x", "x", "text")],
    )
    assert isinstance(group.get_data_type("VectorData"), list)
    assert group.get_data_type("ElementIdentifiers") == group.datasets[2]
    assert group.get_data_type("DynamicTable") == group.groups[0]
    assert group.get_data_type("Nope") is None
    assert group.get_dataset("other") == group.links[0]  # hdmf falls back to links
    assert group.get_group("nope") is None
    assert group.get_link("other") == group.links[0]
    assert group.get_target_type("DynamicTable") == group.links[0]
    assert group.get_attribute("x") == group.attributes[0]
    assert group.get_attribute("y") is None


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: DatasetSpec(doc="d", name="d", quantity="many"),
            r"DatasetSpec 'd': quantity: expected 1",
        ),
        (lambda: DatasetSpec(doc="d", name="d", quantity=0), "found 0"),
        (lambda: DatasetSpec(doc="d", name="d", quantity=True), "found True"),
        (
            lambda: DatasetSpec(doc="d", name="d", quantity="2"),
            r"found '2' \(write 2 without quotes\)",
        ),
        (lambda: DatasetSpec(doc="d", name="d", quantity="*"), "a name can occur at most once"),
        (lambda: GroupSpec(doc="g", name="g", quantity=3), "a name can occur at most once"),
        (lambda: DatasetSpec(doc="d", name="d", dtype="flaot"), "dtype: unknown dtype 'flaot'"),
        (lambda: AttributeSpec("a", "a", [DtypeSpec("x", "x", "int")]), "attribute|unknown dtype"),  # type: ignore[arg-type]
        (lambda: DatasetSpec(doc="d"), "name: a spec without 'name' needs 'data_type_def'"),
        (lambda: DatasetSpec(doc="d", name="a/b"), "not a valid name"),
        (lambda: DatasetSpec(doc="d", name="d", default_name="e"), "not both"),
        (lambda: GroupSpec(doc="g", data_type_def="G", data_type_inc="G"), "cannot include itself"),
        (lambda: DatasetSpec(doc="d", name="d", shape=[None], dims=["a", "b"]), "differ in length"),
        (lambda: DatasetSpec(doc="d", name="d", shape=[]), "non-empty list of lengths"),
        (lambda: DatasetSpec(doc="d", name="d", shape=[-1]), "integer >= 0"),
        (lambda: DatasetSpec(doc="d", name="d", value=1, default_value=2), "both 'value'"),
        (lambda: RefSpec("Data", "region"), "dropped region references"),
        (lambda: AttributeSpec("a", "a", "text", value={"x": 1}), "scalar or a list"),
        (
            lambda: GroupSpec(doc="g", name="g", datasets=[DatasetSpec(doc="d", name="x")] * 2),
            r"datasets\[1\]: duplicate name 'x'",
        ),
        (
            lambda: GroupSpec(
                doc="g", name="g", groups=[GroupSpec(doc="g", data_type_inc="C")] * 2
            ),
            "a second unnamed spec of type 'C'",
        ),
        (
            lambda: GroupSpec(doc="g", name="g", attributes=[AttributeSpec("a", "a", "int")] * 2),
            "duplicate attribute 'a'",
        ),
        (lambda: GroupSpec(doc="g", name="g", datasets=[{"doc": "x"}]), "expected a DatasetSpec"),  # type: ignore[list-item]
        (lambda: LinkSpec("l", GroupSpec(doc="g", name="g")), "must define a type"),
    ],
)
def test_constructors_check_values(build: Any, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        build()


# -- 3. dtypes -----------------------------------------------------------------------------


def test_dtype_synonyms_match_hdmf() -> None:
    helper = hdmf_spec.spec.DtypeHelper
    assert set(DTYPE_SYNONYMS) == helper.valid_primary_dtypes
    for names in helper.primary_dtype_synonyms.values():
        assert len({canonical_dtype(n) for n in names}) == 1, names
    assert canonical_dtype("utf-8") == "text"
    assert canonical_dtype("bytes") == "ascii"
    assert canonical_dtype("date") == "isodatetime"
    with pytest.raises(KeyError):
        canonical_dtype("float128")


def test_widening_rules_match_hdmf() -> None:
    helper = hdmf_spec.spec.DtypeHelper
    for new in DTYPE_SYNONYMS:
        for orig in DTYPE_SYNONYMS:
            assert is_allowed_dtype(new, orig) == helper.is_allowed_dtype(new, orig), (new, orig)


NARROWING = [("float", "double"), ("int8", "long"), ("uint8", "uint64"), ("text", "ascii")]
NARROWING += [("numeric", "int16"), ("uint", "uint32"), ("utf8", "text"), ("isodatetime", "date")]
WIDENING = [("double", "float"), ("int32", "int8"), ("uint32", "uint8"), ("ascii", "text")]
WIDENING += [("int32", "uint32"), ("float", "int"), ("int", "numeric"), ("bool", "int8")]


def one_type_namespace(specs_yaml: str, *, source: str = "ext.yaml") -> tuple[dict, dict]:
    namespaces = {
        "namespaces": [
            {
                "name": "ndx-test",
                "doc": "test",
                "version": "0.1.0",
                "schema": [{"namespace": "hdmf-common"}, {"source": source}],
            }
        ]
    }
    from hdmf_arrow.spec._yaml import load_yaml

    return namespaces, {source: load_yaml(textwrap.dedent(specs_yaml))}


@pytest.mark.parametrize(("parent", "child"), NARROWING)
def test_a_subtype_may_narrow_the_dtype(parent: str, child: str) -> None:
    docs = one_type_namespace(f"""
        datasets:
        - data_type_def: Parent
          data_type_inc: Data
          dtype: {parent}
          doc: p
        - data_type_def: Child
          data_type_inc: Parent
          dtype: {child}
          doc: c
        groups:
        - data_type_def: Holder
          data_type_inc: Container
          doc: h
          datasets:
          - name: x
            data_type_inc: Parent
            dtype: {child}
            doc: x
    """)
    catalog = core_catalog()
    catalog.load_namespace_documents(*docs, origin="mem")
    assert catalog.get_spec("ndx-test", "Child").dtype == child
    holder = catalog.get_spec("ndx-test", "Holder")
    assert isinstance(holder, GroupSpec)
    assert holder.datasets[0].dtype == child


@pytest.mark.parametrize(("parent", "child"), WIDENING)
def test_a_subtype_may_not_widen_the_dtype(parent: str, child: str) -> None:
    docs = one_type_namespace(f"""
        datasets:
        - data_type_def: Parent
          data_type_inc: Data
          dtype: {parent}
          doc: p
        - data_type_def: Child
          data_type_inc: Parent
          dtype: {child}
          doc: c
    """)
    message = (
        rf"mem/ext.yaml: type 'Child', dtype: '{child}' would widen the inherited dtype '{parent}'"
    )
    with pytest.raises(SpecError, match=message):
        core_catalog().load_namespace_documents(*docs, origin="mem")


def test_inherited_fields_and_shape_narrowing() -> None:
    docs = one_type_namespace("""
        datasets:
        - data_type_def: Points
          data_type_inc: VectorData
          dtype: float
          shape: [null, 3]
          doc: 3-D points
          attributes:
          - name: unit
            dtype: text
            value: m
            doc: unit
        - data_type_def: FixedPoints
          data_type_inc: Points
          shape: [10, null]
          doc: ten points
          attributes:
          - name: description
            dtype: utf8
            doc: overridden doc
    """)
    catalog = core_catalog()
    catalog.load_namespace_documents(*docs)
    points = catalog.get_spec("ndx-test", "Points")
    assert isinstance(points, DatasetSpec)
    assert points.dims == ("dim_0", "dim_1")
    assert [a.name for a in points.attributes] == ["unit", "description"]
    fixed = catalog.get_spec("ndx-test", "FixedPoints")
    assert isinstance(fixed, DatasetSpec)
    assert (fixed.dtype, fixed.shape) == ("float", (10, 3))  # narrowed by both
    description = fixed.get_attribute("description")
    assert description is not None
    assert (description.doc, description.dtype) == ("overridden doc", "utf8")
    unit = fixed.get_attribute("unit")
    assert unit is not None
    assert unit.value == "m"


# -- 4. extensions both ways -----------------------------------------------------------------


def trials_specs(ns: Any) -> list[Any]:
    """The same extension built with hdmf's or our classes (``ns``: hdmf.spec or ours)."""
    trials = ns.GroupSpec(
        doc="A trials table",
        data_type_def="TrialsTable",
        data_type_inc="DynamicTable",
        datasets=[
            ns.DatasetSpec(name="start", doc="start", dtype="float64", data_type_inc="VectorData"),
            ns.DatasetSpec(
                name="tags", doc="tags", dtype="text", data_type_inc="VectorData", quantity="?"
            ),
            ns.DatasetSpec(
                name="tags_index", doc="index", data_type_inc="VectorIndex", quantity="?"
            ),
            ns.DatasetSpec(
                name="electrode", doc="rows", data_type_inc="DynamicTableRegion", quantity="?"
            ),
            ns.DatasetSpec(name="id", doc="ids", data_type_inc="ElementIdentifiers", dtype="int64"),
        ],
        attributes=[
            ns.AttributeSpec(name="source", doc="where", dtype="text", required=False),
            ns.AttributeSpec(name="version", doc="v", dtype="int", value=3),
        ],
        links=[ns.LinkSpec(doc="a link", target_type="DynamicTable", name="other", quantity="?")],
        groups=[
            ns.GroupSpec(
                name="extras",
                doc="extra columns",
                quantity="?",
                datasets=[ns.DatasetSpec(doc="x", data_type_inc="VectorData", quantity="*")],
            )
        ],
    )
    pairs = ns.DatasetSpec(
        doc="pairs",
        data_type_def="PairData",
        data_type_inc="Data",
        dtype=[
            ns.DtypeSpec("a", "first", "int32"),
            ns.DtypeSpec("b", "second", ns.RefSpec("VectorData", "object")),
        ],
        shape=[None],
        dims=["n"],
    )
    sub = ns.GroupSpec(
        doc="a subtype",
        data_type_def="SubTrials",
        data_type_inc="TrialsTable",
        datasets=[
            ns.DatasetSpec(name="start", doc="start2", dtype="float64", data_type_inc="VectorData")
        ],
    )
    return [trials, pairs, sub]


def build_extension(ns: Any, outdir: Path) -> Path:
    builder = ns.NamespaceBuilder(doc="test ext", name="ndx-test", version="0.1.0", author=["A B"])
    builder.include_namespace("hdmf-common")
    ns.export_spec(builder, trials_specs(ns), str(outdir))
    return outdir / "ndx-test.namespace.yaml"


def assert_same_extension(theirs: Any, ours: NamespaceCatalog) -> None:
    types = theirs.get_namespace("ndx-test").get_registered_types()
    assert set(ours.get_namespace("ndx-test").get_registered_types()) == set(types)
    for data_type in types:
        expected = plain(theirs.get_spec("ndx-test", data_type))
        found = ours.get_spec("ndx-test", data_type).to_dict()
        # hdmf leaves typed specs inside untyped groups unresolved; we resolve them
        assert summary(found) == summary(expected), data_type
        assert ours.get_hierarchy("ndx-test", data_type) == theirs.get_hierarchy(
            "ndx-test", data_type
        )


def test_an_extension_exported_by_hdmf_loads_here(tmp_path: Path) -> None:
    import hdmf.spec

    path = build_extension(hdmf.spec, tmp_path)
    theirs = hdmf_catalog()
    expected = theirs.load_namespaces(str(path))
    ours = core_catalog()
    assert ours.load_namespaces(path) == expected
    assert_same_extension(theirs, ours)
    trials = ours.get_spec("ndx-test", "TrialsTable")
    assert isinstance(trials, GroupSpec)
    extras = trials.get_group("extras")
    assert isinstance(extras, GroupSpec)
    assert extras.datasets[0].get_attribute("description") is not None  # resolved at any depth
    index = trials.get_dataset("tags_index")
    assert isinstance(index, DatasetSpec)
    assert (index.dtype, [a.name for a in index.attributes]) == ("uint8", ["target", "description"])


def test_an_extension_exported_here_loads_in_hdmf(tmp_path: Path) -> None:
    import hdmf_arrow.spec

    path = build_extension(hdmf_arrow.spec, tmp_path)
    assert path.read_text().startswith("# hdmf-schema-language=2.0.2\n")
    assert (tmp_path / "ndx-test.extensions.yaml").read_text().startswith("# hdmf-schema-language")
    theirs = hdmf_catalog()
    ours = core_catalog()
    assert ours.load_namespaces(path) == theirs.load_namespaces(str(path))
    assert_same_extension(theirs, ours)
    # what we wrote is what we built
    written = load_specs((tmp_path / "ndx-test.extensions.yaml").read_text())
    assert sorted(written, key=str) == sorted(trials_specs(hdmf_arrow.spec), key=str)


def test_the_seed_example_runs_and_its_yaml_loads_in_hdmf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = runpy.run_path(str(ROOT / "examples" / "spec_extension.py"), run_name="example")
    catalog = example["main"](tmp_path)
    out = capsys.readouterr().out
    assert "Loaded namespaces: ['my_extension']" in out
    assert "Round trip equal: True" in out
    namespace_file = tmp_path / "my_extension.namespace.yaml"
    # hdmf's own loader, in a fresh process (hdmf.common keeps global state)
    code = textwrap.dedent(f"""
        import json
        from hdmf.common import get_class, load_namespaces
        print(json.dumps(load_namespaces({str(namespace_file)!r})))
        from hdmf.common import get_type_map
        print(json.dumps(get_type_map().namespace_catalog.get_spec("my_extension", "MyType")))
        print(get_class("MyType", "my_extension").__name__)
    """)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded, spec, cls = result.stdout.splitlines()
    assert json.loads(loaded) == {"my_extension": {}}
    assert json.loads(spec) == catalog.get_spec("my_extension", "MyType").to_dict()
    assert cls == "MyType"


def test_namespace_builder_details(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="missing key 'version'"):
        NamespaceBuilder(doc="x", name="ndx-x")
    with pytest.raises(SpecError, match="without whitespace"):
        NamespaceBuilder(doc="x", name="ndx x", version="1")
    builder = NamespaceBuilder(
        doc="x", name="ndx-x", version="0.1.0", author="Me", contact=["me@x.org"], date="2024-01-02"
    )
    with pytest.raises(SpecError, match="must be a file name"):
        builder.add_source("dir/x.yaml")
    with pytest.raises(SpecError, match="give 'source' or 'namespace'"):
        builder.include_type("DynamicTable")
    builder.include_type("DynamicTable", namespace="hdmf-common")
    builder.include_type("VectorData", namespace="hdmf-common")
    builder.add_source("ndx-x.yaml", doc="the types", title="Types")
    builder.add_spec(
        "ndx-x.yaml", GroupSpec(doc="t", data_type_def="T", data_type_inc="DynamicTable")
    )
    with pytest.raises(SpecError, match="'T' is already added"):
        builder.add_spec("other.yaml", GroupSpec(doc="t", data_type_def="T"))
    with pytest.raises(SpecError, match="defining a type"):
        builder.add_spec("ndx-x.yaml", GroupSpec(doc="t", name="t"))  # type: ignore[arg-type]
    paths = builder.export("ndx-x.namespace.yaml", outdir=tmp_path)
    assert [p.name for p in paths] == ["ndx-x.yaml", "ndx-x.namespace.yaml"]
    namespace = builder.namespace()
    assert namespace.schema[0].data_types == ("DynamicTable", "VectorData")
    assert namespace.schema[1].title == "Types"
    catalog = core_catalog()
    included = catalog.load_namespaces(paths[-1])["ndx-x"]["hdmf-common"]
    assert set(included) == {"Container", "Data", "DynamicTable", "ElementIdentifiers",
                             "MeaningsTable", "VectorData"}  # fmt: skip
    loaded = catalog.get_namespace("ndx-x")
    assert (loaded.author, loaded.contact, loaded.date) == ("Me", ("me@x.org",), "2024-01-02")
    theirs = hdmf_catalog()
    assert set(theirs.load_namespaces(str(paths[-1]))["ndx-x"]["hdmf-common"]) == set(included)
    with pytest.warns(UserWarning, match="No data types specified"):
        assert export_spec(builder, [], tmp_path) == ()


# -- 5. load(dump(spec)) == spec ---------------------------------------------------------


@given(specs())
def test_load_dump_round_trip(spec: GroupSpec | DatasetSpec) -> None:
    assert load_specs(dump_specs([spec])) == (spec,)
    parse = parse_group_spec if isinstance(spec, GroupSpec) else parse_dataset_spec
    assert parse(spec.to_dict()) == spec
    assert parse(json.loads(json.dumps(spec.to_dict()))) == spec


@given(specs())
def test_hdmf_reads_what_we_write(spec: GroupSpec | DatasetSpec) -> None:
    """Our YAML, read by hdmf's reader (ruamel, YAML 1.2) and spec classes, is the same spec."""
    import ruamel.yaml

    document = ruamel.yaml.YAML(typ="safe", pure=True).load(dump_specs([spec]))
    if isinstance(spec, GroupSpec):
        theirs = hdmf_spec.GroupSpec.build_spec(document["groups"][0])
    else:
        theirs = hdmf_spec.DatasetSpec.build_spec(document["datasets"][0])
    assert without_implied_required(plain(theirs)) == spec.to_dict()


def without_implied_required(data: Any) -> Any:
    """hdmf writes ``required: false`` next to a default value; we leave it implied."""
    if isinstance(data, list):
        return [without_implied_required(item) for item in data]
    if not isinstance(data, dict):
        return data
    out = {k: without_implied_required(v) for k, v in data.items()}
    if "default_value" in out and out.get("required") is False and "quantity" not in out:
        del out["required"]
    return out


def test_round_trip_of_every_core_type(ours: NamespaceCatalog) -> None:
    for namespace in CORE:
        for data_type in ours.get_namespace(namespace).get_registered_types():
            for resolved in (True, False):
                spec = ours.get_namespace(namespace).get_spec(data_type, resolved=resolved)
                assert load_specs(dump_specs([spec])) == (spec,)


def test_own_sources_reload_without_the_yaml(ours: NamespaceCatalog) -> None:
    """What a store caches (own sources + namespace entry) loads back to the same types."""
    catalog = core_catalog()
    catalog.load_namespace_documents(*extension_documents())
    namespace = catalog.get_namespace("ndx-x")
    from hdmf_arrow.spec._yaml import load_yaml

    sources = {s: load_yaml(dump_specs(specs_)) for s, specs_ in namespace.own_sources().items()}
    again = core_catalog()
    again.load_namespace_documents({"namespaces": [namespace.to_dict()]}, sources, origin="store")
    assert again.get_spec("ndx-x", "Trials") == catalog.get_spec("ndx-x", "Trials")


def extension_documents() -> tuple[dict, dict]:
    return one_type_namespace_named(
        "ndx-x",
        """
        groups:
        - data_type_def: Trials
          data_type_inc: DynamicTable
          doc: trials
          datasets:
          - name: start
            data_type_inc: VectorData
            dtype: float
            doc: start times
    """,
    )


def one_type_namespace_named(name: str, text: str) -> tuple[dict, dict]:
    namespaces, sources = one_type_namespace(text)
    namespaces["namespaces"][0]["name"] = name
    return namespaces, sources


# -- 6. bad specs ----------------------------------------------------------------------------

GOOD = """\
groups:
- data_type_def: TrialsTable
  data_type_inc: DynamicTable
  doc: trials
  datasets:
  - name: start
    data_type_inc: VectorData
    dtype: float
    doc: start times
  - name: stop
    data_type_inc: VectorData
    dtype: float
    doc: stop times
  - name: tags
    data_type_inc: VectorData
    dtype: text
    quantity: '?'
    doc: tags
"""


def write_extension(tmp_path: Path, text: str, *, extra: str = "") -> Path:
    (tmp_path / "ext.yaml").write_text(text)
    sources = "    - source: ext.yaml\n" + extra
    (tmp_path / "ext.namespace.yaml").write_text(
        "namespaces:\n- name: ndx-ext\n  doc: test\n  version: 0.1.0\n  schema:\n"
        "    - namespace: hdmf-common\n" + sources
    )
    return tmp_path / "ext.namespace.yaml"


def test_the_good_extension_loads(tmp_path: Path) -> None:
    path = write_extension(tmp_path, GOOD)
    catalog = core_catalog()
    assert "ndx-ext" in catalog.load_namespaces(path)
    assert catalog.load_namespaces(path) == catalog.load_namespaces(path)  # same path: cached


BAD = {
    "unknown dtype": (
        ("dtype: text", "dtype: txt"),
        r"ext.yaml: type 'TrialsTable', datasets\[2\].dtype: unknown dtype 'txt'; expected one of",
    ),
    "bad quantity": (
        ("quantity: '?'", "quantity: many"),
        r"ext.yaml: type 'TrialsTable', datasets\[2\].quantity: expected 1, '\?', '\*', '\+' or "
        r"a positive integer, found 'many'",
    ),
    "zero quantity": (("quantity: '?'", "quantity: 0"), r"datasets\[2\].quantity: .* found 0"),
    "named with quantity *": (
        ("quantity: '?'", "quantity: '*'"),
        r"datasets\[2\].quantity: '\*' is not allowed",
    ),
    "unknown data_type_inc": (
        ("data_type_inc: DynamicTable", "data_type_inc: DynamicTabel"),
        r"ext.yaml: type 'TrialsTable', data_type_inc: unknown data type 'DynamicTabel' "
        r"\(did you mean 'DynamicTable'\?\)",
    ),
    "unknown child type": (
        (
            "  - name: start\n    data_type_inc: VectorData",
            "  - name: start\n    data_type_inc: Vector",
        ),
        r"type 'TrialsTable', datasets\[0\].data_type_inc: unknown data type 'Vector'",
    ),
    "an override that widens the dtype": (
        (
            "data_type_inc: VectorData\n    dtype: float\n    doc: stop",
            "data_type_inc: DynamicTableRegion\n    dtype: int8\n    doc: stop",
        ),
        r"type 'TrialsTable', datasets\[1\].dtype: 'int8' would widen the inherited dtype 'int32'",
    ),
    "missing doc": (("  doc: trials\n", ""), r"ext.yaml: type 'TrialsTable', doc: missing"),
    "missing child doc": (
        ("    doc: stop times\n", ""),
        r"type 'TrialsTable', datasets\[1\].doc: missing",
    ),
    "unknown key": (
        ("quantity: '?'", "qauntity: '?'"),
        r"datasets\[2\].qauntity: unknown key in dataset spec",
    ),
    "no type at the top": (
        ("- data_type_def: TrialsTable\n", "- name: trials\n"),
        r"ext.yaml: groups\[0\]: a top-level spec must define a type",
    ),
    "group includes a dataset type": (
        ("data_type_inc: DynamicTable", "data_type_inc: VectorData"),
        r"type 'TrialsTable', data_type_inc: 'VectorData' is a dataset type, but this spec is a "
        "group",
    ),
    "duplicate names": (("name: stop", "name: start"), r"datasets\[1\]: duplicate name 'start'"),
    "not yaml": (("doc: trials", "doc: [trials"), r"ext.yaml: not valid YAML"),
    "redefines a core type": (
        (
            "data_type_def: TrialsTable\n  data_type_inc: DynamicTable",
            "data_type_def: DynamicTable",
        ),
        r"ext.yaml: type 'DynamicTable': type 'DynamicTable' is already defined in namespace "
        "'hdmf-common'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_specs_name_file_type_and_key(case: str, tmp_path: Path) -> None:
    (old, new), message = BAD[case]
    assert old in GOOD, case
    path = write_extension(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(SpecError, match=message):
        core_catalog().load_namespaces(path)


def test_duplicate_type_definitions(tmp_path: Path) -> None:
    (tmp_path / "more.yaml").write_text(GOOD)
    path = write_extension(tmp_path, GOOD, extra="    - source: more.yaml\n")
    with pytest.raises(
        SpecError,
        match=r"more.yaml: type 'TrialsTable': type 'TrialsTable' is defined twice "
        r"\(also in .*ext.yaml\)",
    ):
        core_catalog().load_namespaces(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "datasets:\n- data_type_def: A\n  data_type_inc: B\n  doc: a\n"
            "- data_type_def: B\n  data_type_inc: A\n  doc: b\n",
            r"type 'A', data_type_inc: circular inheritance: A -> B -> A",
        ),
        (
            "datasets:\n- data_type_def: A\n  data_type_inc: Data\n  doc: a\n"
            "  attributes:\n  - name: r\n    doc: r\n"
            "    dtype:\n      target_type: Nope\n      reftype: object\n",
            r"type 'A', attributes\[0\].dtype.target_type: unknown data type 'Nope'",
        ),
        (
            "groups:\n- data_type_def: A\n  doc: a\n  links:\n  - target_type: Nope\n    doc: l\n",
            r"type 'A', links\[0\].target_type: unknown data type 'Nope'",
        ),
        (
            "datasets:\n- data_type_def: A\n  data_type_inc: VectorIndex\n"
            "  shape: [null, null]\n  doc: a\n",
            r"type 'A', shape: shape \[None, None\] is not within the inherited shape \[None\]",
        ),
        (
            "datasets:\n- data_type_def: A\n  data_type_inc: VectorIndex\n  doc: a\n"
            "  attributes:\n  - name: target\n    doc: t\n"
            "    dtype:\n      target_type: Data\n      reftype: object\n",
            r"attributes\[0\].dtype: a reference to 'Data' cannot replace the inherited "
            r"reference to 'VectorData'",
        ),
        (
            "datasets:\n- data_type_def: A\n  data_type_inc: Data\n  doc: a\n  dtype:\n"
            "  - name: x\n    doc: x\n    dtype:\n      target_type: Data\n      reftype: region\n",
            r"dtype\[0\].dtype.reftype: expected 'object', found 'region'",
        ),
        (
            "groups:\n- data_type_def: A\n  data_type_inc: DynamicTable\n  doc: a\n"
            "  datasets:\n  - name: id\n    data_type_inc: VectorData\n    doc: not ids\n",
            r"datasets\[0\].data_type_inc: 'id' includes 'VectorData', but the parent type's "
            r"'id' includes 'ElementIdentifiers'",
        ),
        (
            "groups:\n- neurodata_type_def: A\n  data_type_def: A\n  doc: a\n",
            r"'data_type_def' is given twice",
        ),
        ("groups: {}\n", r"ext.yaml: groups: expected a list"),
        ("[]\n", r"ext.yaml: expected a mapping for spec file"),
    ],
)
def test_more_bad_specs(text: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=message):
        core_catalog().load_namespaces(write_extension(tmp_path, text))


def test_bad_namespace_files(tmp_path: Path) -> None:
    (tmp_path / "ns.yaml").write_text(
        "namespaces:\n- name: ndx-a\n  doc: a\n  version: 0.1.0\n  schema:\n  - namespace: ndx-b\n"
    )
    with pytest.raises(
        SpecError, match=r"namespace 'ndx-a'.schema\[0\].namespace: namespace 'ndx-b' is not loaded"
    ):
        NamespaceCatalog().load_namespaces(tmp_path / "ns.yaml")
    (tmp_path / "ns.yaml").write_text("namespaces:\n- name: ndx a\n  doc: a\n  schema: []\n")
    with pytest.raises(SpecError, match="expected a name without whitespace"):
        NamespaceCatalog().load_namespaces(tmp_path / "ns.yaml")
    (tmp_path / "ns.yaml").write_text(
        "namespaces:\n- name: a\n  doc: a\n  schema:\n  - source: nope.yaml\n"
    )
    with (
        pytest.raises(SpecError, match=r"nope\.yaml: cannot read the spec file"),
        pytest.warns(UserWarning, match="namespace 'a' is missing the required key 'version'"),
    ):
        NamespaceCatalog().load_namespaces(tmp_path / "ns.yaml")
    with pytest.raises(FileNotFoundError):
        NamespaceCatalog().load_namespaces(tmp_path / "missing.yaml")


def test_loading_a_namespace_twice(tmp_path: Path) -> None:
    catalog = core_catalog()
    path = write_extension(tmp_path, GOOD)
    catalog.load_namespaces(path)
    copy = tmp_path / "copy"
    copy.mkdir()
    again = write_extension(copy, GOOD)
    assert catalog.load_namespaces(again) == {}  # same version: skipped silently
    newer = tmp_path / "newer"
    newer.mkdir()
    path = write_extension(newer, GOOD)
    path.write_text(path.read_text().replace("0.1.0", "0.2.0"))
    with pytest.warns(UserWarning, match=r"ndx-ext - cached version: 0.2.0, loaded version: 0.1.0"):
        assert catalog.load_namespaces(path) == {}
    # core namespaces warn only when the other version is newer
    older = tmp_path / "older"
    older.mkdir()
    for name in SCHEMA_FILES:
        text = (HDMF_SCHEMA / name).read_text()
        (older / name).write_text(text.replace("version: 1.10.0", "version: 1.9.0"))
    assert "hdmf-common" not in catalog.load_namespaces(older / "namespace.yaml")


def test_neurodata_keys_and_yaml_1_2(tmp_path: Path) -> None:
    text = (
        "groups:\n- neurodata_type_def: A\n  neurodata_type_inc: DynamicTable\n  doc: on\n"
        "  datasets:\n  - name: no\n    neurodata_type_inc: VectorData\n    doc: 2024-01-02\n"
    )
    catalog = core_catalog()
    catalog.load_namespaces(write_extension(tmp_path, text))
    spec = catalog.get_spec("ndx-ext", "A")
    assert isinstance(spec, GroupSpec)
    assert (spec.data_type_inc, spec.doc) == ("DynamicTable", "on")
    assert (spec.datasets[0].name, spec.datasets[0].doc) == ("no", "2024-01-02")


def test_resolve_false_keeps_specs_as_written(tmp_path: Path) -> None:
    catalog = core_catalog()
    catalog.load_namespaces(write_extension(tmp_path, GOOD), resolve=False)
    spec = catalog.get_spec("ndx-ext", "TrialsTable")
    assert spec.attributes == ()
    assert catalog.get_namespace("ndx-ext").get_spec("TrialsTable", resolved=True).attributes != ()
