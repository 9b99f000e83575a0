"""HERD through HDF5, with hdmf 6.2 as the oracle: hdmf reads what we export, and we read what
hdmf writes (a HERD group of six compound datasets)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import hdmf_arrow
from hdmf_arrow.common import HERD, DynamicTable, SimpleMultiContainer

hdmf = pytest.importorskip("hdmf")
# hdmf's own HERD.to_dataframe uses a pandas keyword pandas 3.1 deprecates
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")


def _session() -> tuple[SimpleMultiContainer, HERD]:
    subjects = DynamicTable(name="subjects", description="d")
    subjects.add_column("species", "species", data=["Mus musculus", "Homo sapiens"])
    herd = HERD()
    session = SimpleMultiContainer("session", [subjects, herd])
    for key, taxon in (("Mus musculus", 10090), ("Homo sapiens", 9606)):
        herd.add_ref(
            container=subjects["species"],
            key=key,
            entity_id=f"NCBITaxon:{taxon}",
            entity_uri=f"https://identifiers.org/taxonomy:{taxon}",
        )
    return session, herd


def test_hdmf_reads_our_herd(tmp_path: Path) -> None:
    from hdmf.backends.hdf5 import HDF5IO
    from hdmf.common import get_manager, validate

    session, herd = _session()
    hdmf_arrow.export_hdf5(session, tmp_path / "s.h5")
    with HDF5IO(str(tmp_path / "s.h5"), "r", manager=get_manager()) as io:
        root = io.read()
        theirs = root["external_resources"].to_dataframe()
        assert validate(io) == []
    pd.testing.assert_frame_equal(theirs, herd.to_dataframe(), check_dtype=False)


def test_we_read_hdmfs_herd_and_store_it(tmp_path: Path) -> None:
    from hdmf.backends.hdf5 import HDF5IO
    from hdmf.common import HERD as TheirHERD
    from hdmf.common import DynamicTable as TheirTable
    from hdmf.common import SimpleMultiContainer as TheirMulti
    from hdmf.common import VectorData as TheirColumn
    from hdmf.common import get_manager

    column = TheirColumn(name="species", description="s", data=["Mus musculus"])
    table = TheirTable(name="subjects", description="d", columns=[column])
    herd = TheirHERD()
    root = TheirMulti(name="session", containers=[table, herd])
    # hdmf's add_ref needs an NWBFile-like root to find the file: fill its tables directly
    herd.keys.add_row(key="Mus musculus")
    herd.files.add_row(file_object_id=root.object_id)
    herd.entities.add_row(entity_id="NCBITaxon:10090",
                          entity_uri="https://identifiers.org/taxonomy:10090")  # fmt: skip
    herd.objects.add_row(files_idx=0, object_id=column.object_id, object_type="VectorData",
                         relative_path="", field="")  # fmt: skip
    herd.object_keys.add_row(objects_idx=0, keys_idx=0)
    herd.entity_keys.add_row(entities_idx=0, keys_idx=0)
    with HDF5IO(str(tmp_path / "h.h5"), "w", manager=get_manager()) as io:
        io.write(root)
    expected = herd.to_dataframe()
    with hdmf_arrow.HDF5IO(tmp_path / "h.h5") as io:
        ours = io.read()
    assert isinstance(ours["external_resources"], HERD)
    pd.testing.assert_frame_equal(
        ours["external_resources"].to_dataframe(), expected, check_dtype=False
    )
    hdmf_arrow.import_hdf5(tmp_path / "h.h5", tmp_path / "s.hdmf")
    stored = hdmf_arrow.read(tmp_path / "s.hdmf")
    entities = stored["external_resources"].get_object_entities(
        container=stored["subjects"]["species"]
    )
    assert entities["entity_id"].tolist() == ["NCBITaxon:10090"]
