"""HERD (hdmf-common's external resources): hdmf 6.2's API, the store, the validator, and
hdmf's zip of TSV files in both directions (against the real hdmf HERD)."""

from __future__ import annotations

import json
import runpy
import uuid
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hdmf_arrow import ParquetIO, read, validate, write
from hdmf_arrow.common import (
    HERD,
    Data,
    DynamicTable,
    HERDManager,
    Key,
    KeyTable,
    SimpleMultiContainer,
)
from hdmf_arrow.common.resources import EntityKeyTable, ObjectKeyTable, ObjectTable
from hdmf_arrow.errors import (
    CellTypeError,
    ColumnNotFoundError,
    InvalidArgumentError,
    StaleWriteError,
    TableShapeError,
    UnresolvedReferenceError,
)

MOUSE = ("NCBITaxon:10090", "https://identifiers.org/taxonomy:10090")
HUMAN = ("NCBITaxon:9606", "https://identifiers.org/taxonomy:9606")


def _session() -> tuple[SimpleMultiContainer, DynamicTable, HERD]:
    subjects = DynamicTable(name="subjects", description="lab animals")
    subjects.add_column("species", "species", data=["Mus musculus", "Homo sapiens"])
    herd = HERD()
    return SimpleMultiContainer("session", [subjects, herd]), subjects, herd


# --- the model: add_ref and its lookups ------------------------------------------------------


def test_add_ref_fills_the_six_tables() -> None:
    session, subjects, herd = _session()
    key = herd.add_ref(MOUSE[0], subjects, "species", key="Mus musculus", entity_uri=MOUSE[1])
    assert isinstance(key, Key)
    assert (key.idx, key.key) == (0, "Mus musculus")
    assert herd.keys.data == [("Mus musculus",)]
    assert herd.files.data == [(session.object_id,)]
    assert herd.entities.data == [MOUSE]
    assert herd.objects.data == [(0, subjects["species"].object_id, "VectorData", "", "")]
    assert herd.object_keys.data == [(0, 0)]
    assert herd.entity_keys.data == [(0, 0)]
    assert [t.name for t in herd.children] == [
        "keys", "files", "entities", "objects", "object_keys", "entity_keys",
    ]  # fmt: skip
    assert all(t.parent is herd for t in herd.children)
    empty = KeyTable()
    assert HERD(keys=empty).keys is empty
    with pytest.raises(TypeError, match="'files' must be a FileTable"):
        HERD(files=empty)  # type: ignore[arg-type]


def test_a_plain_attribute_becomes_the_relative_path() -> None:
    _, subjects, herd = _session()
    herd.add_ref("ENVO:1", subjects, "description", entity_uri="https://e/1")  # key defaults
    assert herd.keys.data == [("lab animals",)]
    assert herd.objects.data == [(0, subjects.object_id, "DynamicTable", "description", "")]
    herd.add_ref("X:1", subjects, "id", key="ids", entity_uri="https://x/1")
    assert herd.objects["object_type", 1] == "ElementIdentifiers"
    with pytest.raises(InvalidArgumentError, match="not a single string"):
        herd.add_ref("X:2", subjects, "species", entity_uri="https://x/2")


def test_attribute_paths_come_from_the_spec() -> None:
    from hdmf_arrow.common._herd_refs import find_attribute
    from hdmf_arrow.spec import AttributeSpec, DatasetSpec, GroupSpec

    unit = AttributeSpec(name="unit", doc="u", dtype="text")
    spec = GroupSpec(
        doc="g",
        data_type_def="Thing",
        attributes=[AttributeSpec(name="label", doc="l", dtype="text")],
        datasets=[
            DatasetSpec(doc="d", name="data", dtype="float", attributes=[unit]),
            DatasetSpec(doc="t", name="typed", data_type_inc="VectorData", attributes=[
                AttributeSpec(name="resolution", doc="r", dtype="float")]),
        ],
    )  # fmt: skip
    assert find_attribute(spec, "label") == "label"
    assert find_attribute(spec, "unit") == "data/unit"
    assert find_attribute(spec, "resolution") is False  # inside a typed part
    assert find_attribute(spec, "nothing") is None


def test_keys_entities_and_objects_are_reused() -> None:
    _, subjects, herd = _session()
    col = subjects["species"]
    herd.add_ref(MOUSE[0], col, key="Mus musculus", entity_uri=MOUSE[1])
    herd.add_ref(MOUSE[0], col, key="Mus musculus")  # same object, key, entity: nothing new
    assert (len(herd.keys), len(herd.objects), len(herd.entity_keys)) == (1, 1, 1)
    herd.add_ref(MOUSE[0], col, key="mouse")  # a synonym: new key, same entity
    assert herd.entity_keys.data == [(0, 0), (0, 1)]
    herd.add_ref(HUMAN[0], col, key=herd.get_key("mouse"), entity_uri=HUMAN[1])  # a Key row
    assert herd.keys.data == [("Mus musculus",), ("mouse",)]
    assert herd.entity_keys.data == [(0, 0), (0, 1), (1, 1)]
    assert herd.object_keys.data == [(0, 0), (0, 1)]


def test_a_failed_add_ref_adds_nothing() -> None:
    _, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, key="k", entity_uri=MOUSE[1])
    before = {n: t.data for n, t in herd.tables.items()}
    with pytest.raises(InvalidArgumentError, match="New entities must have an entity_uri"):
        herd.add_ref("NEW:1", subjects["species"], key="other")  # new entity, no uri
    with pytest.raises(InvalidArgumentError, match="Could not find the file"):
        herd.add_ref(MOUSE[0], DynamicTable(name="loose", description="d"), key="k")
    other = HERD()
    with pytest.raises(InvalidArgumentError, match="not a row of this HERD's keys"):
        herd.add_ref(MOUSE[0], subjects, key=other._add_key("k"))
    with pytest.raises(TypeError, match="'key' must be a str or a Key"):
        herd.add_ref(MOUSE[0], subjects, key=3)  # type: ignore[arg-type]
    assert {n: t.data for n, t in herd.tables.items()} == before


def test_a_different_uri_for_a_known_entity_warns_and_keeps_the_old_one() -> None:
    _, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, key="k", entity_uri=MOUSE[1])
    with pytest.warns(UserWarning, match="The existing entity_uri is kept"):
        herd.add_ref(MOUSE[0], subjects, key="k", entity_uri="https://elsewhere")
    assert herd.entities.data == [MOUSE]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        herd.add_ref(MOUSE[0], subjects, key="k", entity_uri=MOUSE[1])


def test_the_file_is_a_herd_manager_or_the_holder_of_the_herd() -> None:
    class Session(HERDManager, SimpleMultiContainer):
        pass

    data = Data("species", ["Mus musculus"])
    inner = SimpleMultiContainer("inner", [data])
    session = Session("session", [inner])
    herd = HERD()  # not in the tree: the HERDManager is the file
    herd.add_ref(MOUSE[0], data, key="Mus musculus", entity_uri=MOUSE[1])
    assert herd.files.data == [(session.object_id,)]
    assert herd._get_file_from_container(session) is session
    with pytest.raises(InvalidArgumentError, match="container 'x'"):
        herd._get_file_from_container(Data("x", [1]))


def test_lookups() -> None:
    session, subjects, herd = _session()
    col = subjects["species"]
    herd.add_ref(MOUSE[0], col, key="Mus musculus", entity_uri=MOUSE[1])
    herd.add_ref(HUMAN[0], subjects, key="Mus musculus", entity_uri=HUMAN[1])
    assert [k.idx for k in herd.get_key("Mus musculus")] == [0, 1]  # type: ignore[union-attr]
    assert herd.get_key("Mus musculus", container=subjects).idx == 1  # type: ignore[union-attr]
    with pytest.raises(InvalidArgumentError, match="key 'nope' does not exist"):
        herd.get_key("nope")
    with pytest.raises(InvalidArgumentError, match="No key found with that container"):
        herd.get_key("nope", container=col)
    with pytest.raises(InvalidArgumentError, match="Object not in Object Table: container 'id'"):
        herd.get_key("Mus musculus", container=subjects.id)
    assert herd.get_entity(MOUSE[0]).idx == 0  # type: ignore[union-attr]
    assert herd.get_entity("none") is None
    entities = herd.get_object_entities(container=subjects, attribute="species")
    assert entities.values.tolist() == [list(MOUSE)]
    assert herd.get_object_entities(file=session, container=subjects).values.tolist() == [
        list(HUMAN)
    ]
    assert herd.get_object_type("VectorData")["entity_id"].tolist() == [MOUSE[0]]
    assert len(herd.get_object_type("DynamicTable", relative_path="x")) == 0
    assert herd.get_container(0) is col
    assert herd.get_container(1) is subjects


def test_to_dataframe_joins_every_link() -> None:
    _, subjects, herd = _session()
    col = subjects["species"]
    herd.add_ref(MOUSE[0], col, key="Mus musculus", entity_uri=MOUSE[1])
    herd.add_ref(HUMAN[0], subjects, key="Homo sapiens", entity_uri=HUMAN[1])
    herd.add_ref("EXTRA:1", col, key=herd.get_key("Mus musculus"), entity_uri="https://x")
    df = herd.to_dataframe()
    assert list(df.columns) == [
        "file_object_id", "objects_idx", "object_id", "files_idx", "object_type",
        "relative_path", "field", "keys_idx", "key", "entities_idx", "entity_id", "entity_uri",
    ]  # fmt: skip
    assert df[["key", "entity_id"]].values.tolist() == [
        ["Mus musculus", MOUSE[0]],
        ["Mus musculus", "EXTRA:1"],
        ["Homo sapiens", HUMAN[0]],
    ]
    assert str(df["keys_idx"].dtype) == "uint32"
    assert herd.to_dataframe(use_categories=True).columns[0] == ("files", "file_object_id")
    assert HERD().to_dataframe().shape == (0, 12)
    assert "2 key(s), 3 entity(ies), 2 object(s), 1 file(s)" in repr(herd)


def test_the_tables_check_what_they_hold() -> None:
    keys = KeyTable()
    with pytest.raises(CellTypeError, match="column 'key' of KeyTable 'keys' holds text"):
        keys.add_row(3)
    objects = ObjectTable()
    with pytest.raises(CellTypeError, match=r"files_idx.*row indices"):
        objects.add_row("0", "o", "T", "", "")
    with pytest.raises(ColumnNotFoundError, match="no 'nope' column in KeyTable"):
        keys.which(nope="x")
    assert len(keys) == 0
    assert keys.data == []
    with pytest.raises(TableShapeError, match="takes the columns"):
        ObjectKeyTable().add_row(1)
    pairs = ObjectKeyTable(data=[(0, 1)])
    assert pairs.which_all(objects_idx=0, keys_idx=1) == [0]
    pairs.add_row(0, 1)
    assert pairs.which_all(objects_idx=0, keys_idx=1) == [0, 1]  # the index follows appends
    assert pairs.which(keys_idx=1) == [0, 1]
    with pytest.raises(InvalidArgumentError, match="only one column can be queried"):
        pairs.which(objects_idx=0, keys_idx=1)
    table = EntityKeyTable(data=[(0, 1), (2, 3)])
    assert table["keys_idx"] == [1, 3]
    assert table["keys_idx", 1] == 3
    assert table[0] == (0, 1)
    assert table.to_arrow().schema == pa.schema(
        [pa.field("entities_idx", pa.uint32()), pa.field("keys_idx", pa.uint32())]
    )


def test_add_resource_takes_both_forms() -> None:
    _, subjects, herd = _session()
    herd.add_resource(
        {"container": subjects, "attribute": "species", "key": "Mus musculus",
         "entity_id": MOUSE[0], "entity_uri": MOUSE[1]}
    )  # fmt: skip
    elsewhere = str(uuid.uuid4())
    key = herd.add_resource(
        {"object_id": "abc", "object_type": "Data", "file_object_id": elsewhere,
         "field": "species", "key": "mouse", "entity_id": MOUSE[0]}
    )  # fmt: skip
    assert key.key == "mouse"
    assert herd.objects.data[1] == (1, "abc", "Data", "", "species")
    assert herd.files["file_object_id", 1] == elsewhere
    with pytest.raises(InvalidArgumentError, match=r"unknown \['colour'\]"):
        herd.add_resource({"container": subjects, "entity_id": "x", "colour": 1})
    with pytest.raises(InvalidArgumentError, match=r"missing \['file_object_id', 'object_type'"):
        herd.add_resource({"object_id": "x", "key": "k", "entity_id": "e"})
    with pytest.raises(InvalidArgumentError, match="by 'container' or by 'object_id'"):
        herd.add_resource({"container": subjects, "object_id": "x", "entity_id": "e"})


def test_termsets_without_network() -> None:
    _, subjects, herd = _session()
    terms = {"Mus musculus": MOUSE}
    missing = herd.add_ref_termset(terms, subjects, "species")
    assert missing == {"missing_terms": ["Homo sapiens"]}
    assert herd.keys.data == [("Mus musculus",)]
    assert herd.objects["object_id", 0] == subjects["species"].object_id
    assert herd.add_ref_termset(terms, subjects, key="Mus musculus") is None
    with pytest.raises(InvalidArgumentError, match="not supported"):
        herd.add_ref_termset(terms, subjects, "description")


def test_add_ref_container_finds_wrapped_terms() -> None:
    class Wrapper:  # what hdmf's TermSetWrapper offers: the value and its TermSet
        def __init__(self, value: object, termset: dict[str, tuple[str, str]]) -> None:
            self.value, self.termset = value, termset

    _, subjects, herd = _session()
    terms = {"Mus musculus": MOUSE, "Homo sapiens": HUMAN}
    subjects.species_note = Wrapper(["Mus musculus", "Homo sapiens"], terms)  # type: ignore[attr-defined]
    herd.add_ref_container(subjects.parent)
    assert herd.keys.data == [("Mus musculus",), ("Homo sapiens",)]
    assert herd.objects.data == [(0, subjects.object_id, "DynamicTable", "species_note", "")]
    assert herd.entities.data == [MOUSE, HUMAN]


# --- the store ---------------------------------------------------------------------------------


def test_herd_round_trips_through_the_store(tmp_path: Path) -> None:
    session, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, "species", key="Mus musculus", entity_uri=MOUSE[1])
    herd.add_ref(HUMAN[0], subjects, "description", key="lab", entity_uri=HUMAN[1])
    write(session, tmp_path / "s")
    back = read(tmp_path / "s")
    got = back["external_resources"]
    assert isinstance(got, HERD)
    assert got.object_id == herd.object_id
    for name, table in herd.tables.items():
        assert got.tables[name].data == table.data, name
        assert got.tables[name].object_id == table.object_id
    assert got.get_container(0) is back["subjects"]["species"]
    assert got.get_container(1) is back["subjects"]
    assert validate(tmp_path / "s") == []
    # every table is a plain Parquet file of its own
    manifest = ParquetIO(tmp_path / "s", "r").manifest
    assert manifest is not None
    node = next(c for c in manifest["children"] if c["kind"] == "herd")
    objects = next(t for t in node["children"] if t["name"] == "objects")
    plain = pq.read_table(tmp_path / "s" / objects["files"][0]["path"])
    polars = pytest.importorskip("polars")
    frame = polars.read_parquet(tmp_path / "s" / objects["files"][0]["path"])
    assert frame["files_idx"].dtype == polars.UInt32
    assert frame["object_type"].to_list() == ["VectorData", "DynamicTable"]
    assert plain.column("object_id").to_pylist() == [
        subjects["species"].object_id,
        subjects.object_id,
    ]


def test_a_herd_alone_is_a_store_of_its_own() -> None:
    _, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, "species", key="Mus musculus", entity_uri=MOUSE[1])
    location = f"memory://herd-alone/{uuid.uuid4().hex}"
    write(herd, location)  # its objects are in another file: nothing to resolve
    got = read(location)
    assert isinstance(got, HERD)
    assert HERD.assert_external_resources_equal(got, herd)
    assert validate(location) == []
    with pytest.raises(UnresolvedReferenceError, match="not among the containers"):
        got.get_container(0)
    with pytest.raises(TypeError, match="one of the six tables of a HERD"):
        write(herd.keys, f"{location}-keys")


def test_appending_to_a_stored_herd_keeps_unchanged_tables(tmp_path: Path) -> None:
    session, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, "species", key="Mus musculus", entity_uri=MOUSE[1])
    write(session, tmp_path / "s")
    with ParquetIO(tmp_path / "s", "a") as io:
        root = io.read()
        root["external_resources"].add_ref(MOUSE[0], root["subjects"], "species", key="mouse")
        io.write(root)
    with ParquetIO(tmp_path / "s", "r") as io:
        assert io.version == 2
        got = io.read()["external_resources"]
        assert got.keys.data == [("Mus musculus",), ("mouse",)]
        assert got.entity_keys.data == [(0, 0), (0, 1)]
        manifest = io.manifest
    assert manifest is not None
    v1 = ParquetIO(tmp_path / "s", "r", version=1).manifest
    assert v1 is not None

    def paths(m: Any) -> dict[str, list[str]]:
        node = next(c for c in m["children"] if c["kind"] == "herd")
        return {t["name"]: [f["path"] for f in t["files"]] for t in node["children"]}

    assert paths(manifest)["entities"] == paths(v1)["entities"]  # unchanged: same file
    assert paths(manifest)["keys"] != paths(v1)["keys"]


def test_vacuum_keeps_the_files_of_a_herd(tmp_path: Path) -> None:
    import datetime as dt

    session, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, key="k", entity_uri=MOUSE[1])
    write(session, tmp_path / "s")
    with ParquetIO(tmp_path / "s", "a") as io:
        root = io.read()
        root["external_resources"].add_ref(MOUSE[0], root["subjects"], key="k2")
        io.write(root)
        deleted = io.vacuum(older_than=dt.timedelta(0), retain_versions=1)
    assert any(herd.keys.object_id in key for key in deleted)  # version 1's keys file
    got = read(tmp_path / "s")["external_resources"]
    assert got.keys.data == [("k",), ("k2",)]
    assert got.entities.data == [MOUSE]  # shared by both versions: kept
    assert validate(tmp_path / "s") == []


def test_a_stale_herd_is_refused(tmp_path: Path) -> None:
    session, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, key="k", entity_uri=MOUSE[1])
    write(session, tmp_path / "s")
    stale = read(tmp_path / "s")  # version 1
    with ParquetIO(tmp_path / "s", "a") as io:
        root = io.read()
        root["external_resources"].add_ref(MOUSE[0], root["subjects"], key="a")
        io.write(root)  # version 2
    stale["external_resources"].add_ref(MOUSE[0], stale["subjects"], key="b")
    with (
        ParquetIO(tmp_path / "s", "a") as io,
        pytest.raises(
            StaleWriteError,
            match="table 'keys' of HERD 'external_resources' was read from an older",
        ),
    ):
        io.write(stale)
    assert [k for (k,) in read(tmp_path / "s")["external_resources"].keys.data] == ["k", "a"]


def test_the_writer_refuses_dangling_references(tmp_path: Path) -> None:
    session, _, herd = _session()
    herd.add_resource(
        {"object_id": "gone", "object_type": "VectorData", "file_object_id": session.object_id,
         "key": "k", "entity_id": MOUSE[0], "entity_uri": MOUSE[1]}
    )  # fmt: skip
    with pytest.raises(UnresolvedReferenceError, match=r"row 0 of table 'objects'.*'gone'"):
        write(session, tmp_path / "s")
    fine = HERD()
    SimpleMultiContainer("f", [fine])
    fine._add_object_key(3, 0)
    with pytest.raises(UnresolvedReferenceError, match="row 0 of table 'object_keys'"):
        write(fine.parent, tmp_path / "t")  # type: ignore[arg-type]
    assert not (tmp_path / "s").exists() or not list((tmp_path / "s").rglob("*.json"))


def _new_version(store: Path, change: Any) -> None:
    """Commit a hand-made version 2: version 1's manifest, changed by ``change``."""
    versions = store / "_hdmf" / "versions"
    first = json.loads((versions / f"{1:020d}.json").read_text())
    second = change(first)
    second["version"], second["parent"] = 2, 1
    (versions / f"{2:020d}.json").write_text(json.dumps(second))


def test_validate_names_the_table_and_row_of_a_dangling_reference(tmp_path: Path) -> None:
    session, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, "species", key="Mus musculus", entity_uri=MOUSE[1])
    write(session, tmp_path / "s")

    def drop_subjects(m: dict[str, Any]) -> dict[str, Any]:
        m["root"]["children"] = [c for c in m["root"]["children"] if c["name"] != "subjects"]
        return m

    _new_version(tmp_path / "s", drop_subjects)
    issues = validate(tmp_path / "s")
    assert [i.message for i in issues] == [
        f"row 0 of table 'objects': object {subjects['species'].object_id!r} (VectorData) of "
        f"file 'session' is not in the tree"
    ]
    got = read(tmp_path / "s")["external_resources"]
    with pytest.raises(UnresolvedReferenceError, match="row 0 of the objects table"):
        got.get_container(0)


def test_validate_names_a_row_index_past_the_end(tmp_path: Path) -> None:
    session, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, key="k", entity_uri=MOUSE[1])
    write(session, tmp_path / "s")
    store = tmp_path / "s"
    node = next(
        c
        for c in ParquetIO(store, "r").manifest["children"]  # type: ignore[index]
        if c["kind"] == "herd"
    )
    entry = next(t for t in node["children"] if t["name"] == "entity_keys")
    path = store / entry["files"][0]["path"]
    table = pq.read_table(path)
    bad = table.set_column(1, "keys_idx", pa.array([7], pa.uint32()))
    pq.write_table(bad.replace_schema_metadata(table.schema.metadata), path)
    entry["files"][0]["num_bytes"] = path.stat().st_size

    def swap(m: dict[str, Any]) -> dict[str, Any]:
        for c in m["root"]["children"]:
            if c["kind"] == "herd":
                c["children"] = [entry if t["name"] == "entity_keys" else t for t in c["children"]]
        return m

    _new_version(store, swap)
    messages = [i.message for i in validate(store)]
    assert messages == [
        "row 0 of table 'entity_keys': keys_idx 7 points past the end of table 'keys' (1 rows)"
    ]
    with pytest.raises(UnresolvedReferenceError, match="entity_keys"):
        read(store)["external_resources"].to_dataframe()


@st.composite
def _references(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 12))
    terms = st.text(min_size=0, max_size=6)
    refs = []
    for _ in range(n):
        refs.append(
            {
                "target": draw(st.integers(0, 3)),
                "field": draw(st.sampled_from(["", "species"])),
                "key": draw(terms),
                "entity": draw(st.integers(0, 4)),
            }
        )
    return refs


@settings(max_examples=25, deadline=None)
@given(_references())
def test_round_trip_property(refs: list[dict[str, Any]]) -> None:
    subjects = DynamicTable(name="subjects", description="d")
    subjects.add_column("species", "species", data=["a", "b"])
    data = Data("raw", [1, 2, 3])
    herd = HERD()
    session = SimpleMultiContainer("session", [subjects, data, herd])
    targets = [subjects, subjects["species"], subjects.id, data]
    for ref in refs:
        herd.add_ref(
            f"E:{ref['entity']}",
            targets[ref["target"]],
            field=ref["field"],
            key=ref["key"],
            entity_uri=f"https://e/{ref['entity']}",
        )
    location = f"memory://herd-prop/{uuid.uuid4().hex}"
    write(session, location)
    assert validate(location) == []
    back = read(location)
    got = back["external_resources"]
    for name, table in herd.tables.items():
        assert got.tables[name].data == table.data
    assert got.to_dataframe().equals(herd.to_dataframe())
    ids = {c.object_id for c in (back["subjects"], back["subjects"]["species"], back["raw"])}
    ids.add(back["subjects"].id.object_id)
    assert {got.get_container(i).object_id for i in range(len(got.objects))} <= ids
    from hdmf_arrow.common._herd_zip import decode_zip, encode_zip

    zipped = HERD(**decode_zip(encode_zip(got.tables), source="memory"))  # type: ignore[arg-type]
    assert HERD.assert_external_resources_equal(zipped, herd)


@pytest.mark.filterwarnings("ignore:The provided entity_uri")
@settings(max_examples=30, deadline=None)
@given(_references())
def test_add_ref_builds_the_tables_hdmf_builds(refs: list[dict[str, Any]]) -> None:
    """hdmf 6.2's HERD as the oracle: the same add_ref calls give the same six tables (object
    ids mapped to positions, since the two sides' containers have their own ids), but for
    hdmf's repeated object_keys rows."""
    hdmf = pytest.importorskip("hdmf")
    from hdmf.common.resources import HERD as HdmfHERD

    class File(hdmf.Container, hdmf.HERDManager):
        __fields__ = ({"name": "external_resources", "child": True},)

    file = File(name="file")
    theirs_targets = [hdmf.Container(name=f"c{i}") for i in range(4)]
    for c in theirs_targets:
        c.parent = file
    theirs = HdmfHERD()
    session = SimpleMultiContainer("file", [Data(f"c{i}", [1]) for i in range(4)])
    ours = HERD()
    session.add_container(ours)
    ours_targets = [session[f"c{i}"] for i in range(4)]
    for ref in refs:
        args = {"key": ref["key"], "field": ref["field"], "entity_id": f"E:{ref['entity']}"}
        uri = f"https://e/{ref['entity']}"
        theirs.add_ref(container=theirs_targets[ref["target"]], entity_uri=uri, **args)
        ours.add_ref(container=ours_targets[ref["target"]], entity_uri=uri, **args)
    for name in ("keys", "entities", "entity_keys"):
        assert ours.tables[name].data == [tuple(r) for r in getattr(theirs, name).data], name
    # hdmf adds the (object, key) row again each time a string key is reused on an object
    assert ours.object_keys.data == list(dict.fromkeys(map(tuple, theirs.object_keys.data)))
    mine = [(f, ours_targets.index(next(t for t in ours_targets if t.object_id == o)), p, d)
            for f, o, _, p, d in ours.objects.data]  # fmt: skip
    want = [(f, [c.object_id for c in theirs_targets].index(o), p, d)
            for f, o, _, p, d in theirs.objects.data]  # fmt: skip
    assert mine == want
    assert len(ours.files) == len(theirs.files)


# --- hdmf's zip of TSV files ------------------------------------------------------------------


def test_zip_round_trip(tmp_path: Path) -> None:
    _, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, "species", key='a\tb "quoted"', entity_uri=MOUSE[1])
    herd.add_ref(HUMAN[0], subjects, key="", entity_uri="")
    herd.to_zip(tmp_path / "h.zip")
    assert sorted(zipfile.ZipFile(tmp_path / "h.zip").namelist()) == sorted(
        f"{n}.tsv" for n in herd.tables
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["h.zip"]  # no side files
    back = HERD.from_zip(tmp_path / "h.zip")
    assert HERD.assert_external_resources_equal(back, herd)


def test_from_zip_refuses_an_index_past_the_end(tmp_path: Path) -> None:
    _, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, key="k", entity_uri=MOUSE[1])
    herd.to_zip(tmp_path / "h.zip")
    with zipfile.ZipFile(tmp_path / "h.zip") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["object_keys.tsv"] = b"objects_idx\tkeys_idx\n0\t5\n"
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as zf:
        for n, b in members.items():
            zf.writestr(n, b)
    with pytest.raises(InvalidArgumentError, match="Key Index out of range in ObjectKeyTable") as e:
        HERD.from_zip(tmp_path / "bad.zip")
    assert "row 0 of object_keys.tsv" in "".join(e.value.__notes__)
    with zipfile.ZipFile(tmp_path / "short.zip", "w") as zf:
        zf.writestr("keys.tsv", b"key\n")
    with pytest.raises(InvalidArgumentError, match=r"holds no files\.tsv"):
        HERD.from_zip(tmp_path / "short.zip")


def _hdmf_herd() -> tuple[Any, Any, Any]:
    hdmf = pytest.importorskip("hdmf")
    from hdmf.common.resources import HERD as HdmfHERD

    class File(hdmf.Container, hdmf.HERDManager):
        __fields__ = ({"name": "external_resources", "child": True},)

    file = File(name="file")
    data = hdmf.Data(name="species", data=["Mus musculus", "Homo sapiens"])
    data.parent = file
    herd = HdmfHERD()
    herd.add_ref(container=data, key="Mus musculus", entity_id=MOUSE[0], entity_uri=MOUSE[1])
    herd.add_ref(container=file, key="a file", entity_id=HUMAN[0], entity_uri=HUMAN[1])
    herd.add_ref(container=data, key="mouse", entity_id=MOUSE[0])
    return herd, file, data


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # hdmf's to_dataframe on pandas 3
def test_we_read_the_zip_hdmf_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs, file, data = _hdmf_herd()
    monkeypatch.chdir(tmp_path)
    theirs.to_zip(path="./theirs.zip")  # hdmf needs a relative path
    ours = HERD.from_zip(tmp_path / "theirs.zip")
    for name in ours.tables:
        assert ours.tables[name].data == [tuple(r) for r in getattr(theirs, name).data], name
    frame = ours.to_dataframe()
    assert frame.equals(theirs.to_dataframe())
    mine = ours.get_object_entities(file=file, container=data)
    assert mine.equals(theirs.get_object_entities(file=file, container=data))
    assert mine.values.tolist() == [list(MOUSE), list(MOUSE)]  # two keys, one entity


@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_hdmf_reads_the_zip_we_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("hdmf")
    from hdmf.common.resources import HERD as HdmfHERD

    _, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, "species", key="Mus musculus", entity_uri=MOUSE[1])
    herd.add_ref(HUMAN[0], subjects, "description", key="Homo sapiens", entity_uri=HUMAN[1])
    herd.add_ref(MOUSE[0], subjects, "species", key="mouse")
    herd.add_ref(MOUSE[0], subjects, "species", key='a "quoted"\tkey, with\nlines')
    monkeypatch.chdir(tmp_path)
    herd.to_zip("ours.zip")
    theirs = HdmfHERD.from_zip(path="./ours.zip")
    for name, table in herd.tables.items():
        assert [tuple(r) for r in getattr(theirs, name).data] == table.data, name
    assert theirs.to_dataframe().equals(herd.to_dataframe())


def test_the_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(Path(__file__).parent.parent / "examples" / "herd.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "Mus musculus -> NCBITaxon:10090" in out
    assert "read back: 2 key(s), 2 entity(ies), 2 object(s), 1 file(s)" in out
    assert "the species column resolves: True" in out
    assert "valid: True" in out


def test_validate_reports_a_missing_herd_file(tmp_path: Path) -> None:
    session, subjects, herd = _session()
    herd.add_ref(MOUSE[0], subjects, key="k", entity_uri=MOUSE[1])
    write(session, tmp_path / "s")
    keys = next(p for p in (tmp_path / "s" / "data").glob(f"{herd.keys.object_id}/*.parquet"))
    keys.unlink()
    (issue,) = validate(tmp_path / "s")
    assert issue.data_type == "HERD"
    assert "table 'external_resources/keys' is missing" in issue.message
