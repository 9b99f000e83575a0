"""One session for the engine tests (Spark, Daft): a units table of two data files (written,
then appended) with every kind of column an engine must read: nullable strings, ragged floats,
an enum, scalar and ragged regions, N-D int16 and float32 columns, nullable ints."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import hdmf_arrow
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer
from hdmf_arrow.io import ParquetIO

ELEMENTS = ["noise", "good", "bad", "mua"]


def units(start: int, n: int, electrodes: DynamicTable) -> DynamicTable:
    rng = np.random.default_rng(start)
    rows = range(start, start + n)
    t = DynamicTable(name="units", description="sorted units", id=np.array(rows) * 10)
    t.add_column("label", "label", data=[None if i % 5 == 3 else f"u{i}" for i in rows])
    t.add_column("spikes", "spike times", data=[list(rng.random(i % 4)) for i in rows], index=True)
    t.add_column("quality", "quality", data=[ELEMENTS[1 + i % 2] for i in rows], enum=ELEMENTS)
    t.add_column("site", "main site", data=[i % 4 for i in rows], table=electrodes)
    sites = [[i % 4, 0][: i % 3] for i in rows]
    t.add_column("sites", "sites", data=sites, table=electrodes, index=True)
    t.add_column("wave", "waveform", data=rng.integers(-99, 99, (n, 3, 2)).astype(np.int16))
    t.add_column("shape", "shape", data=rng.random((n, 2)).astype(np.float32))
    t.add_column("count", "count", data=[None if i % 4 == 1 else i for i in rows], dtype="int32")
    return t


def write_session(path: Path) -> Path:
    """A store at ``path`` whose units table has two data files (written, then appended)."""
    electrodes = DynamicTable(name="electrodes", description="sites")
    electrodes.add_column("x", "position", data=np.arange(4.0))
    hdmf_arrow.write(SimpleMultiContainer("session", [electrodes, units(0, 7, electrodes)]), path)
    with ParquetIO(path, "a") as io:
        root = io.read()
        root["units"].extend(units(100, 5, root["electrodes"]))
        io.write(root)
    return path


def plain(cell: object) -> object:
    """A to_dataframe cell as Spark's Row gives it: arrays as (nested) lists, missing as None."""
    if isinstance(cell, np.ndarray):
        return [plain(c) for c in cell.tolist()] if cell.dtype == object else cell.tolist()
    if isinstance(cell, list):
        return [plain(c) for c in cell]
    if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
        return None
    return cell.item() if isinstance(cell, np.generic) else cell
