"""HERD: tie the terms of a table to entities of external resources, store them with the
table, and read them back (the references resolve to the read-back containers)."""

import tempfile
from pathlib import Path

import hdmf_arrow
from hdmf_arrow.common import HERD, DynamicTable, SimpleMultiContainer

subjects = DynamicTable(name="subjects", description="lab animals")
subjects.add_column("subject_id", "subject identifier")
subjects.add_column("species", "species of the subject")
subjects.add_row(subject_id="m1", species="Mus musculus")
subjects.add_row(subject_id="h1", species="Homo sapiens")

# the HERD travels with the data: the container holding it is the "file" of its references
herd = HERD()
session = SimpleMultiContainer("session", [subjects, herd])

herd.add_ref(
    "NCBITaxon:10090",
    container=subjects,
    attribute="species",  # the species column
    key="Mus musculus",
    entity_uri="https://identifiers.org/taxonomy:10090",
)
herd.add_resource(  # the same, as a dict (from a spreadsheet, a JSON file, ...)
    {
        "container": subjects,
        "attribute": "description",  # a plain attribute: its path is recorded
        "key": "Homo sapiens",
        "entity_id": "NCBITaxon:9606",
        "entity_uri": "https://identifiers.org/taxonomy:9606",
    }
)

for key, entity in herd.to_dataframe()[["key", "entity_id"]].itertuples(index=False):
    print(f"{key} -> {entity}")

with tempfile.TemporaryDirectory() as tmp:
    store = Path(tmp) / "session"
    hdmf_arrow.write(session, store)
    back = hdmf_arrow.read(store)
    stored = back["external_resources"]
    sizes = [len(stored.keys), len(stored.entities), len(stored.objects), len(stored.files)]
    print("read back: {} key(s), {} entity(ies), {} object(s), {} file(s)".format(*sizes))
    print("the species column resolves:", stored.get_container(0) is back["subjects"]["species"])
    print("valid:", hdmf_arrow.validate(store) == [])
    # hdmf's zip of TSV files, which hdmf's HERD.from_zip reads
    stored.to_zip(Path(tmp) / "herd.zip")
    print("zip:", HERD.from_zip(Path(tmp) / "herd.zip").keys.data)
