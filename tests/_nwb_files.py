"""Small NWB files built with pynwb at test time: the oracle side of the HDF5 round trips.

``make_nwb(path)`` writes one file holding what an NWB session usually holds, and one
extension type (``ndx-tetrode``'s ``TetrodeTable``, defined here, not installed). Every table
and series is a few rows long, so a round trip takes well under a second.
"""

from __future__ import annotations

import datetime
import functools
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

EXTENSION = "ndx-tetrode"
EXTENSION_TYPE = "TetrodeTable"
SESSION_START = datetime.datetime(2024, 3, 1, 12, 30, tzinfo=datetime.UTC)

N_ELECTRODES = 6
# units: ragged spike_times, a ragged electrodes region (unit 2 has none), a 2-D waveform_mean
# (one waveform of 5 samples per unit) and ragged obs_intervals (rows of [start, stop])
SPIKE_TIMES = [[0.1, 0.5, 0.9], [], [1.25], [0.2, 0.3, 0.4, 2.5]]
UNIT_ELECTRODES = [[0, 1], [2], [], [3, 4, 5]]
OBS_INTERVALS = [[[0.0, 1.0]], [[0.0, 0.5], [1.0, 3.0]], [[0.0, 2.0]], [[0.0, 3.0]]]
QUALITY = ["good", "mua", "good", "noise"]
WAVEFORMS = np.arange(4 * 5, dtype=np.float64).reshape(4, 5) / 10
TRIALS = [
    # start, stop, contrast (float), side (text), correct (bool)
    (0.0, 1.0, 0.25, "left", True),
    (1.5, 2.5, 1.0, "right", False),
    (3.0, 3.75, 0.5, "left", True),
]
SERIES_ELECTRODES = [1, 3, 4]
SERIES_DATA = np.arange(10 * 3, dtype=np.int16).reshape(10, 3)
SERIES_RATE = 1000.0


@functools.cache
def tetrode_table_class() -> type[Any]:
    """The class of ``ndx-tetrode``'s TetrodeTable, a DynamicTable with a required ``channels``
    column (int32) and a ``probe`` attribute; its namespace is loaded into pynwb once per
    process (a second load would warn)."""
    import pynwb
    from pynwb.spec import (
        NWBAttributeSpec,
        NWBDatasetSpec,
        NWBGroupSpec,
        NWBNamespaceBuilder,
    )

    spec = NWBGroupSpec(
        doc="One row per tetrode",
        neurodata_type_def=EXTENSION_TYPE,
        neurodata_type_inc="DynamicTable",
        attributes=[NWBAttributeSpec(name="probe", doc="the probe model", dtype="text")],
        datasets=[
            NWBDatasetSpec(
                name="channels",
                doc="number of working channels",
                neurodata_type_inc="VectorData",
                dtype="int32",
            )
        ],
    )
    builder = NWBNamespaceBuilder(
        doc="tetrodes (a test extension)",
        name=EXTENSION,
        version="0.1.0",
        author="tests",
        contact="tests@example.org",
    )
    builder.include_type("DynamicTable", namespace="hdmf-common")
    builder.include_type("VectorData", namespace="hdmf-common")
    builder.add_spec(f"{EXTENSION}.extensions.yaml", spec)
    outdir = Path(tempfile.mkdtemp(prefix="ndx-tetrode-"))
    builder.export(f"{EXTENSION}.namespace.yaml", outdir=str(outdir))
    pynwb.load_namespaces(str(outdir / f"{EXTENSION}.namespace.yaml"))
    return pynwb.get_class(EXTENSION_TYPE, EXTENSION)


def make_nwb(path: Path) -> Path:
    """Write the test session to ``path`` with pynwb; returns ``path``."""
    from hdmf.common import DynamicTable
    from pynwb import NWBHDF5IO, NWBFile
    from pynwb.ecephys import ElectricalSeries
    from pynwb.file import Subject

    nwbfile = NWBFile(
        session_description="a small session for round trips",
        identifier="hdmf-arrow-test-0001",
        session_start_time=SESSION_START,
        experimenter=["Doe, Jane"],
        lab="the lab",
        institution="the institution",
    )
    nwbfile.subject = Subject(
        subject_id="mouse-7",
        species="Mus musculus",
        sex="F",
        age="P90D",
        description="a test mouse",
    )
    probe = nwbfile.create_device(name="probe", description="a 2-shank probe")
    nwbfile.create_device(name="camera", description="a side camera")
    shanks = [
        nwbfile.create_electrode_group(
            name=f"shank{i}", description=f"shank {i}", location="CA1", device=probe
        )
        for i in range(2)
    ]

    # electrodes: custom columns, and 'group' (an object reference column)
    nwbfile.add_electrode_column(name="label", description="electrode label")
    nwbfile.add_electrode_column(name="impedance", description="impedance in ohm")
    for i in range(N_ELECTRODES):
        nwbfile.add_electrode(
            group=shanks[i % 2],
            location="CA1" if i < 4 else "CA3",
            x=float(i),
            y=2.0 * i,
            z=0.0,
            label=f"e{i}",
            impedance=1e5 + i,
        )

    nwbfile.add_unit_column(name="quality", description="sorting quality")
    for i, spikes in enumerate(SPIKE_TIMES):
        nwbfile.add_unit(
            spike_times=spikes,
            electrodes=UNIT_ELECTRODES[i],
            waveform_mean=WAVEFORMS[i],
            obs_intervals=OBS_INTERVALS[i],
            quality=QUALITY[i],
        )

    nwbfile.add_trial_column(name="contrast", description="stimulus contrast")
    nwbfile.add_trial_column(name="side", description="stimulus side")
    nwbfile.add_trial_column(name="correct", description="whether the answer was right")
    for start, stop, contrast, side, correct in TRIALS:
        nwbfile.add_trial(
            start_time=start, stop_time=stop, contrast=contrast, side=side, correct=correct
        )

    region = nwbfile.create_electrode_table_region(
        region=SERIES_ELECTRODES, description="the recorded electrodes"
    )
    nwbfile.add_acquisition(
        ElectricalSeries(
            name="es",
            data=SERIES_DATA,
            electrodes=region,
            rate=SERIES_RATE,
            starting_time=0.5,
            conversion=0.195e-6,
            description="raw voltage",
        )
    )

    behavior = nwbfile.create_processing_module(name="behavior", description="behaviour")
    events = DynamicTable(name="events", description="licks and rewards")
    events.add_column(name="time", description="event time")
    events.add_column(name="kind", description="event kind")
    events.add_column(name="amount", description="reward in ul")
    for t, kind, amount in [(0.25, "lick", 0.0), (0.75, "reward", 2.5), (1.0, "lick", 0.0)]:
        events.add_row(time=t, kind=kind, amount=amount)
    behavior.add(events)

    tetrodes = tetrode_table_class()(
        name="tetrodes", description="the tetrodes", probe="tetrode-4x"
    )
    tetrodes.add_column(name="depth", description="depth in um")
    for channels, depth in [(4, 100.0), (3, 150.0)]:
        tetrodes.add_row(channels=np.int32(channels), depth=depth)  # pynwb keeps int64 else
    ecephys = nwbfile.create_processing_module(name="ecephys", description="tetrode data")
    ecephys.add(tetrodes)

    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwbfile)
    return path


# -- comparing DataFrames across libraries -----------------------------------------------------


def plain(value: Any) -> Any:
    """One DataFrame cell as plain Python, the same for pynwb, hdmf and hdmf-arrow.

    - arrays (ragged cells, N-D rows, object arrays of arrays) and lists -> nested lists;
    - numpy scalars -> Python scalars; bytes -> str (UTF-8);
    - a DataFrame (a region cell of ``to_dataframe()``) -> ``{"index": [...], "columns":
      {name: [cells...]}}``, its cells made plain in turn;
    - a container (an object-reference cell of pynwb/hdmf, which resolve it) -> its
      ``object_id``, which is what hdmf-arrow's cells hold.
    """
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return {
            "index": [plain(i) for i in value.index],
            "index_name": value.index.name,
            "columns": {str(c): [plain(v) for v in value[c]] for c in value.columns},
        }
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value] if value.dtype == object else value.tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    object_id = getattr(value, "object_id", None)
    if isinstance(object_id, str):
        return object_id
    return value


def same(a: Any, b: Any) -> bool:
    """Equality of plain values (see ``plain``), with NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _numeric(dtype: Any) -> bool:
    return isinstance(dtype, np.dtype) and dtype.kind in "biuf"


def assert_frames_match(ours: Any, theirs: Any, *, what: str = "table") -> None:
    """``ours`` (hdmf-arrow's DataFrame) holds what ``theirs`` (pynwb's or hdmf's) holds.

    Compared: the column names in order, the index (name and values), every cell as
    ``plain`` makes it (ragged cells as lists of values, region cells as row indices with
    ``index=True`` or as nested frames without, object references as object ids), and the
    dtype of every column that is numeric or bool on both sides. String columns may differ in
    dtype only (pandas' ``str`` or ``object``), enum columns too (hdmf-arrow's are
    categorical).
    """
    assert list(ours.columns) == list(theirs.columns), f"{what}: columns differ"
    assert ours.index.name == theirs.index.name, f"{what}: index name differs"
    assert plain(list(ours.index)) == plain(list(theirs.index)), f"{what}: ids differ"
    for name in theirs.columns:
        if _numeric(theirs[name].dtype) or _numeric(ours[name].dtype):
            assert ours[name].dtype == theirs[name].dtype, (
                f"{what}, column {name!r}: dtype {ours[name].dtype} != {theirs[name].dtype}"
            )
        for row, (a, b) in enumerate(zip(ours[name], theirs[name], strict=True)):
            mine, other = plain(a), plain(b)
            assert same(mine, other), f"{what}, column {name!r}, row {row}: {mine!r} != {other!r}"
