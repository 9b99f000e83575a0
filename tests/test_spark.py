"""Spark reads a stored table with no code of ours: ``spark.read.parquet(*data_files(...))``.

Marked ``spark`` and left out of the default run (starting a JVM takes 30-60 s on our 2-core
machines): ``make test-spark`` installs the ``spark`` extra and runs it. Without pyspark, or
without a Java runtime, it is skipped.

What Spark gives, checked cell by cell against ``to_dataframe(index=True)``: ragged columns
are arrays, N-D columns (BYTE_STREAM_SPLIT-encoded) arrays of arrays, enum columns their
values as strings (Spark has no categorical type: the elements not used are not seen), region
columns their row positions, and nulls are None.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from _engine_session import plain, write_session

import hdmf_arrow

pytestmark = [
    pytest.mark.spark,
    # pyspark warns that it does not support pandas 3 yet; nothing here converts to pandas
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

pyspark_sql = pytest.importorskip(
    "pyspark.sql", reason="pyspark is not installed (`make test-spark` installs it)"
)

JAVA_17 = Path("/usr/lib/jvm/java-17-openjdk-amd64")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    saved = os.environ.get("JAVA_HOME")
    if saved is None and (JAVA_17 / "bin" / "java").exists():
        os.environ["JAVA_HOME"] = str(JAVA_17)
    java_home = os.environ.get("JAVA_HOME")
    if java_home is None or not (Path(java_home) / "bin" / "java").exists():
        pytest.skip("no Java runtime for Spark (set JAVA_HOME)")
    session = (
        pyspark_sql.SparkSession.builder.master("local[1]")
        .appName("hdmf-arrow-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        if saved is None:
            os.environ.pop("JAVA_HOME", None)


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_session(tmp_path_factory.mktemp("spark") / "session.hdmf")


def test_spark_reads_the_data_files_as_to_dataframe_gives_them(spark: Any, location: Path) -> None:
    files = hdmf_arrow.data_files(location, "units")
    assert len(files) == 2
    assert all(Path(f).is_file() for f in files)
    units = hdmf_arrow.read(location)["units"]
    expected = units.to_dataframe(index=True)
    columns = ["id", *units.colnames]  # the files may hold more (a row-position column)
    frame = spark.read.parquet(*files).select(*columns).orderBy("id")
    rows = [r.asDict(recursive=True) for r in frame.collect()]
    assert [r["id"] for r in rows] == expected.index.tolist()
    for name in units.colnames:
        cells = zip((r[name] for r in rows), expected[name], strict=True)
        for row, (got, cell) in enumerate(cells):
            assert got == plain(cell), f"column {name!r}, row {row}: {got!r} != {cell!r}"


def test_spark_types_ragged_nd_enum_and_region_columns(spark: Any, location: Path) -> None:
    files = hdmf_arrow.data_files(location, "units")
    types = dict(spark.read.parquet(*files).dtypes)
    assert types["spikes"] == "array<double>"
    assert types["wave"] == "array<array<smallint>>"  # BYTE_STREAM_SPLIT int16
    assert types["shape"] == "array<float>"  # BYTE_STREAM_SPLIT float32
    assert types["quality"] == "string"  # the enum's values; Spark has no categorical
    assert (types["site"], types["sites"]) == ("bigint", "array<bigint>")
    encodings = pq.ParquetFile(files[0]).metadata.row_group(0)
    written = {encodings.column(k).path_in_schema: encodings.column(k).encodings
               for k in range(encodings.num_columns)}  # fmt: skip
    assert "BYTE_STREAM_SPLIT" in written["wave.list.element.list.element"]
    assert "BYTE_STREAM_SPLIT" in written["shape.list.element"]


def test_spark_counts_spikes_per_quality(spark: Any, location: Path) -> None:
    frame = spark.read.parquet(*hdmf_arrow.data_files(location, "units"))
    frame.createOrReplaceTempView("units")
    got = spark.sql(
        "SELECT quality, sum(size(spikes)) AS n FROM units GROUP BY quality ORDER BY quality"
    ).collect()
    expected = hdmf_arrow.read(location)["units"].to_dataframe(index=True)
    sizes = expected["spikes"].map(len).groupby(expected["quality"], observed=True).sum()
    assert [(r["quality"], r["n"]) for r in got] == sorted(sizes.items())
