"""hdmf_arrow.scan: one polars LazyFrame over a table of many stores, locally and on S3."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import polars as pl
import pytest

import hdmf_arrow
from hdmf_arrow.errors import StoreLocationError

if TYPE_CHECKING:
    from conftest import S3Server


def _session(i: int) -> pd.DataFrame:
    return pd.DataFrame({"unit": [0, 1, 2], "rate": [i + 0.5, i + 1.5, i + 2.5]})


def test_fifty_stores_scan_as_one(tmp_path: Path) -> None:
    for i in range(50):
        hdmf_arrow.write(_session(i), tmp_path / f"s{i:02d}.hdmf", name="units")
    lf = hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "units")
    df = lf.collect()
    assert df.height == 150
    assert df["store"].n_unique() == 50
    fast = lf.filter(pl.col("rate") > 51).select("store", "rate").collect()
    assert fast["rate"].to_list() == [51.5]
    assert fast["store"].to_list() == [str(tmp_path / "s49.hdmf")]
    per_store = df.group_by("store").agg(pl.col("rate").mean()).sort("store")
    assert per_store["rate"].to_list() == [i + 1.5 for i in range(50)]


def test_a_list_of_stores_and_columns_missing_in_some(tmp_path: Path) -> None:
    hdmf_arrow.write(_session(0), tmp_path / "a.hdmf", name="units")
    hdmf_arrow.write(_session(1).assign(depth=[1.0, 2.0, 3.0]), tmp_path / "b.hdmf", name="units")
    df = hdmf_arrow.scan([tmp_path / "a.hdmf", tmp_path / "b.hdmf"], "units").collect()
    assert df.height == 6
    assert df["depth"].null_count() == 3


def test_a_table_path_and_a_version(tmp_path: Path) -> None:
    from hdmf_arrow.common import DynamicTable, SimpleMultiContainer

    for name in ("a", "b"):
        units = DynamicTable.from_dataframe(_session(0), "units")
        hdmf_arrow.write(SimpleMultiContainer("session", [units]), tmp_path / f"{name}.hdmf")
        hdmf_arrow.write(_session(9), tmp_path / f"{name}.hdmf", name="units", mode="append")
    assert hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "session/units").collect().height == 12
    assert hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "units", version=1).collect().height == 6


def test_a_glob_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreLocationError, match="names no store"):
        hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "units")


def test_stores_on_s3_scan_as_one(s3_server: S3Server, s3_bucket: str) -> None:
    top = s3_bucket.rsplit("/", 1)[0]
    options = s3_server.storage_options
    for i in range(5):
        hdmf_arrow.write(
            _session(i), f"{top}/sessions/s{i}.hdmf", name="units", storage_options=options
        )
    lf = hdmf_arrow.scan(f"{top}/sessions/*.hdmf", "units", storage_options=options)
    df = lf.filter(pl.col("unit") == 0).collect()
    assert sorted(df["rate"].to_list()) == [0.5, 1.5, 2.5, 3.5, 4.5]
    assert sorted(df["store"].to_list()) == [f"{top}/sessions/s{i}.hdmf" for i in range(5)]
