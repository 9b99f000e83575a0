"""The demo `make demo` runs: the seed tables, written to a local Parquet store, reopened,
and queried with polars and DuckDB.

Run it with ``python examples/demo.py [STORE]`` (default: ``demo.hdmf`` in the current
directory; each run adds a version).
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

import hdmf_arrow
from hdmf_arrow import ParquetIO
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer

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


def main(store: str = "demo.hdmf") -> None:
    for name in SEEDS:
        print(f"\n=== seed example: {name} ===")
        runpy.run_path(str(HERE / name), run_name="__main__")

    print("\n=== a units table (ragged spikes, region, enum) ===")
    units = units_table()
    electrodes = units["electrode"].table
    print(units)
    print("\nto_dataframe(): region cells are the referenced rows")
    print(units.to_dataframe()["electrode"].iloc[0])

    print(f"\n=== written to the Parquet store {store} ===")
    session = SimpleMultiContainer("session", [electrodes, units])
    version = hdmf_arrow.write(session, store, mode="overwrite")  # make demo may run again
    with ParquetIO(store, "r") as io:
        print(io.describe())
        stored = io.read()["units"]
    print(f"\nreopened version {version}: {len(stored)} units; row 3 read alone:")
    print(stored[3])

    print("\n=== queried with polars (scan of the Parquet files): spikes per good unit ===")
    summary = (
        stored.scan()
        .filter(pl.col("quality") == "good")
        .with_columns(pl.col("spike_times").list.len().alias("n_spikes"))
        .select("id", "electrode", "n_spikes")
        .collect()
    )
    print(summary)

    print("\n=== rows appended to both tables: each table now has two files ===")
    with ParquetIO(store, "a") as io:
        session = io.read()
        session["electrodes"].add_row(location="CA3", x=80.0)
        session["units"].add_row(spike_times=[0.2, 0.4], electrode=4, quality="good")
        io.write(session)
    expected = (
        ParquetIO(store, "r")
        .read()["units"]
        .to_dataframe()["electrode"]
        .map(lambda rows: rows["location"].iloc[0])
    )

    print("\n=== queried with DuckDB (no hdmf-arrow code): units per brain area ===")
    units_files = hdmf_arrow.data_files(store, "units")
    electrode_files = hdmf_arrow.data_files(store, "electrodes")
    print(f"units: {len(units_files)} files, electrodes: {len(electrode_files)} files")
    joined = duckdb.sql(
        f"""
        SELECT e.location, count(*) AS units, sum(len(u.spike_times)) AS spikes
        FROM read_parquet({units_files}) u
        JOIN read_parquet({electrode_files}) e
          ON u.electrode = e._row  -- a region holds row positions, which _row stores
        GROUP BY e.location ORDER BY e.location
        """
    )
    print(joined)
    counts = {location: n for location, n, _ in joined.fetchall()}
    assert counts == expected.value_counts().to_dict(), (counts, expected.value_counts())
    print("the join agrees with to_dataframe()'s region cells")

    print("\n=== three sessions scanned as one (hdmf_arrow.scan, polars) ===")
    sessions = [f"{store}-sessions/session-{k}.hdmf" for k in range(3)]
    for k, location in enumerate(sessions):
        units = units_table(n_units=4 + k, seed=k)
        electrodes = units["electrode"].table
        both = SimpleMultiContainer("session", [electrodes, units])
        hdmf_arrow.write(both, location, mode="overwrite")
    spikes = hdmf_arrow.scan(sessions, "units", columns=["spike_times", "electrode"])
    sites = hdmf_arrow.scan(sessions, "electrodes", columns=["location"])
    per_area = (
        spikes.join(sites, left_on=["store", "electrode"], right_on=["store", "_row"])
        .group_by("location")
        .agg(pl.len().alias("units"), pl.col("spike_times").list.len().sum().alias("spikes"))
        .sort("location")
        .collect()
    )
    print(per_area)


if __name__ == "__main__":
    main(*sys.argv[1:2])
