"""Extension types through the store: specs cached, classes back in a fresh process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, TypeMap, get_class, load_namespaces, register_class
from hdmf_arrow.spec import DatasetSpec, GroupSpec
from hdmf_arrow.testing.extensions import write_extension


@pytest.fixture(scope="module")
def extension(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ndx-trials: a TrialsTable (DynamicTable) with a required, a ragged and a region column."""
    out = tmp_path_factory.mktemp("ndx")
    return write_extension(
        out,
        "ndx-trials",
        GroupSpec(
            doc="A table of trials",
            data_type_def="TrialsTable",
            data_type_inc="DynamicTable",
            datasets=[
                DatasetSpec(
                    doc="start time", name="start", data_type_inc="VectorData", dtype="float64"
                ),
                DatasetSpec(
                    doc="tags", name="tags", data_type_inc="VectorData", dtype="text", quantity="?"
                ),
                DatasetSpec(
                    doc="index of tags",
                    name="tags_index",
                    data_type_inc="VectorIndex",
                    quantity="?",
                ),
            ],
        ),
        version="0.1.0",
    )


def test_get_class_builds_predefined_columns(extension: Path) -> None:
    load_namespaces(extension)
    trials_cls = get_class("TrialsTable", "ndx-trials")
    assert issubclass(trials_cls, DynamicTable)
    assert trials_cls.data_type == "TrialsTable"
    assert trials_cls.namespace == "ndx-trials"
    assert get_class("TrialsTable", "ndx-trials") is trials_cls  # cached
    t = trials_cls(name="trials", description="d")
    assert t.colnames == ("start",)  # required at init
    t.add_row(start=0.5, tags=["go"])  # the optional ragged column, from its spec
    assert t["tags"].data_type == "VectorIndex"
    assert t.colnames == ("start", "tags")


def test_extension_table_reads_back_in_a_fresh_process(extension: Path, tmp_path: Path) -> None:
    load_namespaces(extension)
    t = get_class("TrialsTable", "ndx-trials")(name="trials", description="d")
    t.add_row(start=0.5, tags=["go", "left"])
    t.add_row(start=1.5, tags=[])
    store = tmp_path / "s.hdmf"
    hdmf_arrow.write(t, store)
    assert (store / "_hdmf" / "specs" / "ndx-trials" / "0.1.0" / "namespace.yaml").exists()
    script = f"""
import json, hdmf_arrow
from hdmf_arrow.common import available_namespaces
assert "ndx-trials" not in available_namespaces()
t = hdmf_arrow.read({str(store)!r})
print(json.dumps({{
    "class": type(t).__name__, "bases": [c.__name__ for c in type(t).__mro__[1:3]],
    "data_type": t.data_type, "namespace": t.namespace, "colnames": list(t.colnames),
    "predefined": [c["name"] for c in type(t).__columns__],
    "tags": t[:, "tags"], "start": t["start"].data.tolist(),
}}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    got = json.loads(out.stdout)
    assert got == {
        "class": "TrialsTable",
        "bases": ["DynamicTable", "Container"],
        "data_type": "TrialsTable",
        "namespace": "ndx-trials",
        "colnames": ["start", "tags"],
        "predefined": ["start", "tags"],
        "tags": [["go", "left"], []],
        "start": [0.5, 1.5],
    }


def test_a_type_the_reader_cannot_resolve_is_reported(tmp_path: Path) -> None:
    @register_class("Private", "ndx-unpublished")
    class Private(DynamicTable):
        pass

    t = Private(name="p", description="d")
    t.add_column("x", "x", data=[1, 2])
    hdmf_arrow.write(t, tmp_path / "s")
    reader = TypeMap()  # knows hdmf-common only, like a process that never saw Private
    with (
        pytest.warns(UserWarning, match="'Private' of namespace 'ndx-unpublished'"),
        hdmf_arrow.ParquetIO(
            tmp_path / "s", "r", manager=hdmf_arrow.common.BuildManager(reader)
        ) as io,
    ):
        back = io.read()
    assert type(back) is DynamicTable
    assert back["x"].data.tolist() == [1, 2]


def test_register_map_names_fields_and_the_store_keeps_them(tmp_path: Path) -> None:
    from hdmf_arrow.common import BuildManager, ObjectMapper
    from hdmf_arrow.spec import AttributeSpec
    from hdmf_arrow.validate import check

    namespace_file = write_extension(
        tmp_path,
        "ndx-stim",
        GroupSpec(
            doc="stimuli",
            data_type_def="StimTable",
            data_type_inc="DynamicTable",
            attributes=[AttributeSpec(name="stimulus_type", doc="kind", dtype="text")],
        ),
        version="0.1.0",
    )
    types = TypeMap()
    types.load_namespaces(namespace_file)

    class StimTable(DynamicTable):
        stim: str | None = None  # the field holding the spec's 'stimulus_type'

    class StimMapper(ObjectMapper):
        fields = {"stimulus_type": "stim"}  # noqa: RUF012 - as ObjectMapper declares it

    types.register_class("StimTable", "ndx-stim", StimTable)
    types.register_map(StimTable, StimMapper)
    t = StimTable(name="stimuli", description="d")
    assert [str(i) for i in check(t, types)] == [
        "StimTable (stimuli): required attribute 'stimulus_type' is missing"
    ]
    t.stim = "gratings"
    assert check(t, types) == []
    manager = BuildManager(types)
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=manager) as io:
        io.write(t)
    with hdmf_arrow.ParquetIO(tmp_path / "s", "r", manager=manager) as io:
        back = io.read()
    assert type(back) is StimTable
    assert back.stim == "gratings"
    manifest = json.loads(next((tmp_path / "s" / "_hdmf" / "versions").glob("*.json")).read_text())
    assert manifest["root"]["attributes"] == {"stimulus_type": "gratings"}


# -- group types (not tables): fields from attributes, named and typed children ---------------


@pytest.fixture(scope="module")
def subject_types(tmp_path_factory: pytest.TempPathFactory) -> TypeMap:
    from hdmf_arrow.spec import AttributeSpec

    out = tmp_path_factory.mktemp("ndx-subject")
    namespace_file = write_extension(
        out,
        "ndx-subject",
        GroupSpec(
            doc="An experimental subject",
            data_type_def="Subject",
            data_type_inc="Container",
            attributes=[
                AttributeSpec(name="species", doc="species", dtype="text"),
                AttributeSpec(name="age", doc="age in days", dtype="int", required=False),
            ],
            datasets=[DatasetSpec(doc="weights", name="weights", data_type_inc="VectorData")],
            groups=[GroupSpec(doc="session tables", data_type_inc="DynamicTable", quantity="+")],
        ),
        version="0.2.0",
    )
    types = TypeMap()
    types.load_namespaces(namespace_file)
    return types


def make_subject(types: TypeMap, **fields: object) -> Any:
    from hdmf_arrow.common import VectorData

    cls = types.get_class("Subject", "ndx-subject")
    subject = cls("subject", **fields)
    subject.add_container(VectorData("weights", "grams", [20.1, 20.7]))
    trials = DynamicTable(name="trials", description="d")
    trials.add_column("start", "start", data=[0.0, 1.0])
    subject.add_container(trials)
    return subject


def test_group_types_get_fields_from_their_attributes(subject_types: TypeMap) -> None:
    from hdmf_arrow.common import SimpleMultiContainer, SpecGroup
    from hdmf_arrow.validate import check

    cls = subject_types.get_class("Subject", "ndx-subject")
    assert issubclass(cls, SpecGroup) and issubclass(cls, SimpleMultiContainer)  # noqa: PT018
    assert cls.spec_attributes == ("species", "age")
    with pytest.raises(TypeError, match=r"unknown argument\(s\) \['colour'\]"):
        cls("s", colour="brown")
    subject = make_subject(subject_types, species="mouse")
    assert subject.age is None
    assert check(subject, subject_types) == []


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda s: setattr(s, "species", None),
         "Subject (subject): required attribute 'species' is missing"),
        (lambda s: s._containers.pop("weights"),
         "Subject (subject/weights): required dataset is missing"),
        (lambda s: s._containers.pop("trials"),
         "Subject (subject): expected at least one group(s) of type 'DynamicTable', found 0"),
    ],
)  # fmt: skip
def test_group_defects(subject_types: TypeMap, damage: Any, expected: str) -> None:
    from hdmf_arrow.validate import check

    subject = make_subject(subject_types, species="mouse", age=90)
    damage(subject)
    assert [str(i) for i in check(subject, subject_types)] == [expected]


def test_group_types_round_trip_through_a_store(subject_types: TypeMap, tmp_path: Path) -> None:
    from hdmf_arrow.common import BuildManager

    subject = make_subject(subject_types, species="mouse", age=90)
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(subject_types)) as io:
        io.write(subject)
    fresh = BuildManager(TypeMap())  # only hdmf-common: ndx-subject comes from the store
    with hdmf_arrow.ParquetIO(tmp_path / "s", "r", manager=fresh) as io:
        back = io.read()
        assert type(back).__name__ == "Subject"
        assert (back.species, back.age) == ("mouse", 90)
        assert back.attributes == {}
        assert back["trials"]["start"].data.tolist() == [0.0, 1.0]
    assert hdmf_arrow.validate(tmp_path / "s") == []


def test_dataset_types_carry_their_attributes_through_a_store(tmp_path: Path) -> None:
    from hdmf_arrow.common import BuildManager
    from hdmf_arrow.spec import AttributeSpec
    from hdmf_arrow.validate import check

    namespace_file = write_extension(
        tmp_path,
        "ndx-rate",
        DatasetSpec(
            doc="a sampled signal",
            data_type_def="Sampled",
            data_type_inc="VectorData",
            dtype="float64",
            attributes=[AttributeSpec(name="sampling_rate", doc="Hz", dtype="float64")],
        ),
        version="0.1.0",
    )
    types = TypeMap()
    types.load_namespaces(namespace_file)
    sampled = types.get_class("Sampled", "ndx-rate")
    table = DynamicTable(name="t", description="d")
    column = sampled("signal", "voltage", [0.1, 0.2], attributes={"sampling_rate": 30000.0})
    table.add_column("other", "o", data=[1, 2])
    table._attach(column)
    assert check(table, types) == []
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(types)) as io:
        io.write(table)
    back = hdmf_arrow.read(tmp_path / "s")
    assert type(back["signal"]).__name__ == "Sampled"
    assert back["signal"].attributes == {"sampling_rate": 30000.0}
    assert hdmf_arrow.validate(tmp_path / "s") == []
    column.attributes.clear()
    assert [str(i) for i in check(table, types)] == [
        "Sampled (t/signal): required attribute 'sampling_rate' is missing"
    ]


def test_reference_attributes_round_trip_and_are_checked(tmp_path: Path) -> None:
    from hdmf_arrow.common import BuildManager, SimpleMultiContainer
    from hdmf_arrow.spec import AttributeSpec, RefSpec
    from hdmf_arrow.validate import check

    namespace_file = write_extension(
        tmp_path,
        "ndx-ref",
        GroupSpec(
            doc="a session pointing at its main table",
            data_type_def="Session",
            data_type_inc="Container",
            attributes=[
                AttributeSpec(
                    name="main_table", doc="the main table", dtype=RefSpec("DynamicTable", "object")
                )
            ],
            groups=[GroupSpec(doc="tables", data_type_inc="DynamicTable", quantity="*")],
        ),
        version="0.1.0",
    )
    types = TypeMap()
    types.load_namespaces(namespace_file)
    session_cls = types.get_class("Session", "ndx-ref")
    trials = DynamicTable(name="trials", description="d")
    trials.add_column("start", "start", data=[0.0])
    session = session_cls("session", [trials], main_table=trials)
    assert check(session, types) == []
    with hdmf_arrow.ParquetIO(tmp_path / "s", "w", manager=BuildManager(types)) as io:
        io.write(session)
    with hdmf_arrow.ParquetIO(tmp_path / "s", "r", manager=BuildManager(TypeMap())) as io:
        back = io.read()
    assert back.main_table is back["trials"]  # the read-back table, not a copy

    session.main_table = SimpleMultiContainer("not a table")
    assert [str(i) for i in check(session, types)] == [
        "Session (session): attribute 'main_table' must refer to a 'DynamicTable', found a "
        "'SimpleMultiContainer'"
    ]
    session.main_table = None
    assert [str(i) for i in check(session, types)] == [
        "Session (session): required attribute 'main_table' is missing"
    ]


def test_scan_opens_extension_stores_in_parallel_in_a_fresh_process(
    extension: Path, tmp_path: Path
) -> None:
    """scan opens stores on several threads; each loads the cached ndx-trials spec the
    process lacks: they must not trip over each other (no error, no warning)."""
    load_namespaces(extension)
    for k in range(24):
        t = get_class("TrialsTable", "ndx-trials")(name="trials", description="d")
        t.add_row(start=float(k), tags=["go"])
        hdmf_arrow.write(t, tmp_path / f"s{k:02}.hdmf")
    script = f"""
import hdmf_arrow
lf = hdmf_arrow.scan({str(tmp_path / "s*.hdmf")!r}, "trials")
print(sorted(lf.collect()["start"].to_list()))
"""
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str([float(k) for k in range(24)])
