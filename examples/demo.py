"""The demo `make demo` runs: the seed tables, their DataFrames, and one handed to polars.

Run it with ``python examples/demo.py``.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import numpy as np
import polars as pl

from hdmf_arrow.common import DynamicTable

HERE = Path(__file__).parent
SEEDS = ["subjects_table.py", "ragged_spike_times.py", "table_regions.py", "enum_data.py"]


def units_table(n_units: int = 8, seed: int = 0) -> DynamicTable:
    """A units table: ragged spike times, a region into electrodes, a categorical quality."""
    rng = np.random.default_rng(seed)
    electrodes = DynamicTable(name="electrodes", description="recording sites")
    electrodes.add_column("location", "brain area", data=["CA1", "CA1", "CA3", "DG"])
    electrodes.add_column("x", "position in um", data=[0.0, 20.0, 40.0, 60.0])

    units = DynamicTable(name="units", description="sorted units")
    units.add_column("spike_times", "spike times in s", index=True, dtype="float")
    units.add_column("electrode", "where the unit was recorded", table=electrodes)
    units.add_column("quality", "sorting quality", enum=["good", "mua", "noise"])
    for _ in range(n_units):
        spikes = np.sort(rng.uniform(0, 10, rng.integers(3, 30)))
        units.add_row(
            spike_times=spikes,
            electrode=int(rng.integers(0, len(electrodes))),
            quality=str(rng.choice(["good", "good", "mua", "noise"])),
        )
    return units


def main() -> None:
    for name in SEEDS:
        print(f"\n=== seed example: {name} ===")
        runpy.run_path(str(HERE / name), run_name="__main__")

    print("\n=== a units table (ragged spikes, region, enum) ===")
    units = units_table()
    print(units)
    print("\nto_dataframe(index=True):")
    print(units.to_dataframe(index=True))
    print("\nto_dataframe(): region cells are the referenced rows")
    print(units.to_dataframe()["electrode"].iloc[0])

    print("\n=== handed to polars: spikes per unit for good units ===")
    summary = (
        units.to_polars()
        .filter(pl.col("quality") == "good")
        .with_columns(pl.col("spike_times").list.len().alias("n_spikes"))
        .select("id", "electrode", "n_spikes")
    )
    print(summary)
    print(f"\nArrow schema:\n{units.to_arrow().schema.remove_metadata()}")


if __name__ == "__main__":
    main()
