"""How tables are laid out when written: the codec of each column chosen by measuring a sample,
float values byte-stream split, and large tables written as several files at once."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hdmf_arrow
from hdmf_arrow import ParquetIO, ParquetOptions
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer

if TYPE_CHECKING:
    from pathlib import Path


def units(n: int, seed: int = 0) -> DynamicTable:
    """Sorted ids, small ints, random floats and ragged random spike times."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 8, n)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    table = pa.table(
        {
            "count": rng.integers(0, 10, n),
            "rate": rng.random(n),
            "spike_times": pa.ListArray.from_arrays(offsets, rng.random(int(offsets[-1]))),
        }
    )
    return DynamicTable.from_arrow(table, name="units", description="units")


def data_files(store: Path, table: str = "units") -> list[Path]:
    manifest = json.loads(sorted((store / "_hdmf" / "versions").glob("*.json"))[-1].read_text())
    nodes = [manifest["root"]]
    while nodes:
        node = nodes.pop()
        if node.get("name") == table and "files" in node:
            return [store / f["path"] for f in node["files"]]
        nodes.extend(node.get("children", []))
    raise AssertionError(f"no table {table!r} in {manifest['root']}")


def codecs(*paths: Path) -> dict[str, set[str]]:
    """Parquet leaf path -> the codecs its column chunks use, over all row groups of the
    files."""
    out: dict[str, set[str]] = {}
    for path in paths:
        _codecs(path, out)
    return out


def _codecs(path: Path, out: dict[str, set[str]]) -> None:
    footer = pq.read_metadata(path)
    for g in range(footer.num_row_groups):
        for c in range(footer.num_columns):
            chunk = footer.row_group(g).column(c)
            out.setdefault(chunk.path_in_schema, set()).add(chunk.compression)
            if chunk.path_in_schema in ("rate", "spike_times.list.element"):
                assert "BYTE_STREAM_SPLIT" in chunk.encodings, chunk.encodings


def test_random_floats_are_written_uncompressed_and_integers_compressed(tmp_path: Path) -> None:
    t = units(400_000)  # ~20 MB: over measure_bytes
    hdmf_arrow.write(t, tmp_path / "s")
    files = data_files(tmp_path / "s")
    assert len(files) == min(2, ParquetOptions().write_threads)  # 16 MiB and over: one per core
    found = codecs(*files)
    assert found["count"] == {"ZSTD"}
    assert found["_row"] == {"ZSTD"}
    assert found["rate"] == {"UNCOMPRESSED"}
    assert found["spike_times.list.element"] == {"UNCOMPRESSED"}
    back = hdmf_arrow.read(tmp_path / "s")
    assert back.to_arrow().equals(t.to_arrow())


def test_min_compression_saving_zero_compresses_every_column(tmp_path: Path) -> None:
    t = units(400_000)
    hdmf_arrow.write(t, tmp_path / "s", options=ParquetOptions(min_compression_saving=0))
    found = codecs(*data_files(tmp_path / "s"))
    assert all(codec == {"ZSTD"} for codec in found.values()), found


def test_small_tables_are_not_measured(tmp_path: Path) -> None:
    hdmf_arrow.write(units(1000), tmp_path / "s")
    (file,) = data_files(tmp_path / "s")
    assert all(found == {"ZSTD"} for found in codecs(file).values()), codecs(file)


def test_compression_none_writes_nothing_compressed(tmp_path: Path) -> None:
    hdmf_arrow.write(units(400_000), tmp_path / "s", options=ParquetOptions(compression="none"))
    found = codecs(*data_files(tmp_path / "s"))
    assert all(codec == {"UNCOMPRESSED"} for codec in found.values()), found


def test_a_large_table_is_written_as_files_of_whole_row_groups(tmp_path: Path) -> None:
    options = ParquetOptions(parallel_file_bytes=2**20, write_threads=3, row_group_bytes=2**18)
    t = units(200_000)
    electrodes = DynamicTable(name="electrodes", description="sites")
    electrodes.add_column("x", "x", data=np.arange(50.0))
    t.add_column("electrode", "site", data=np.arange(len(t)) % 50, table=electrodes)
    hdmf_arrow.write(SimpleMultiContainer("s", [electrodes, t]), tmp_path / "s", options=options)
    files = data_files(tmp_path / "s")
    assert len(files) == 3
    footers = [pq.read_metadata(f) for f in files]
    per_group = footers[0].row_group(0).num_rows
    for footer in footers[:-1]:  # every file but the last holds only full row groups
        assert all(footer.row_group(g).num_rows == per_group for g in range(footer.num_row_groups))
    # the row positions continue from file to file
    rows = pa.concat_arrays(
        [pq.read_table(f, columns=["_row"])["_row"].combine_chunks() for f in files]
    )
    assert rows.to_numpy().tolist() == list(range(len(t)))
    back = hdmf_arrow.read(tmp_path / "s")["units"]
    assert back.to_arrow().equals(t.to_arrow())
    assert back[123_456]["count"].iloc[0] == t.to_arrow()["count"][123_456].as_py()
    # a plain engine still joins on the row column across the files
    paths = ", ".join(f"'{f}'" for f in files)
    target = data_files(tmp_path / "s", "electrodes")[0]
    joined = duckdb.sql(
        f"SELECT count(*) FROM read_parquet([{paths}]) u "
        f"JOIN read_parquet('{target}') e ON u.electrode = e._row WHERE e.x = u._row % 50"
    ).fetchall()
    assert joined == [(len(t),)]


def test_one_write_thread_writes_one_file(tmp_path: Path) -> None:
    options = ParquetOptions(parallel_file_bytes=2**20, write_threads=1)
    hdmf_arrow.write(units(200_000), tmp_path / "s", options=options)
    assert len(data_files(tmp_path / "s")) == 1


def test_appends_after_a_parallel_write_continue_the_rows(tmp_path: Path) -> None:
    options = ParquetOptions(parallel_file_bytes=2**20, write_threads=2)
    t = units(100_000)
    hdmf_arrow.write(t, tmp_path / "s", options=options)
    with ParquetIO(tmp_path / "s", "a", options=options) as io:
        back = io.read()
        back.add_row(count=3, rate=0.5, spike_times=[1.0, 2.0])
        io.write(back)
    files = data_files(tmp_path / "s")
    assert len(files) == 3
    last = pq.read_table(files[-1])
    assert last["_row"].to_pylist() == [len(t)]
    again = hdmf_arrow.read(tmp_path / "s")
    assert len(again) == len(t) + 1
    assert list(again[len(t)]["spike_times"].iloc[0]) == [1.0, 2.0]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n=st.integers(0, 3000),
    threads=st.integers(1, 4),
    saving=st.sampled_from([0.0, 0.2, 0.99]),
    seed=st.integers(0, 2**16),
)
def test_any_layout_reads_back_the_same(
    tmp_path_factory: pytest.TempPathFactory, n: int, threads: int, saving: float, seed: int
) -> None:
    options = ParquetOptions(
        parallel_file_bytes=2**14,
        write_threads=threads,
        measure_bytes=2**12,
        min_compression_saving=saving,
        row_group_bytes=2**13,
        min_row_group_rows=16,
    )
    where = tmp_path_factory.mktemp("layout") / "s"
    t = units(n, seed)
    hdmf_arrow.write(t, where, options=options)
    back = hdmf_arrow.read(where)
    assert back.to_arrow().equals(t.to_arrow())
    assert hdmf_arrow.validate(where) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"compression": "brotli"}, "compression must be one of zstd, snappy, gzip, lz4, none"),
        ({"write_threads": 0}, "write_threads must be an integer >= 1, found 0"),
        ({"row_group_bytes": 1.5}, "row_group_bytes must be an integer >= 1, found 1.5"),
        ({"merge_small_files": -1}, "merge_small_files must be an integer >= 0, found -1"),
        ({"min_compression_saving": 1.0}, "min_compression_saving must be a fraction in [0, 1)"),
        ({"min_row_group_rows": 10, "max_row_group_rows": 5}, "min_row_group_rows (10) is above"),
    ],
)
def test_bad_options_are_refused_naming_the_option(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(hdmf_arrow.errors.InvalidArgumentError) as info:
        ParquetOptions(**kwargs)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_a_table_over_max_file_bytes_is_split_even_on_one_thread(tmp_path: Path) -> None:
    options = ParquetOptions(max_file_bytes=2**20, write_threads=1, row_group_bytes=2**17)
    t = units(100_000)
    hdmf_arrow.write(t, tmp_path / "s", options=options)
    files = data_files(tmp_path / "s")
    expected = -(-t.to_arrow().nbytes // 2**20)
    assert len(files) == expected
    rows = [pq.read_table(f, columns=["_row"])["_row"].to_numpy() for f in files]
    assert np.concatenate(rows).tolist() == list(range(len(t)))
    back = hdmf_arrow.read(tmp_path / "s")
    assert back.to_arrow().equals(t.to_arrow())
    assert back[len(t) - 1]["count"].iloc[0] == t.to_arrow()["count"][-1].as_py()


@pytest.mark.parametrize("backend", ["memory", "s3"])
def test_parallel_files_on_fsspec_stores(backend: str, request: pytest.FixtureRequest) -> None:
    if backend == "memory":
        location, opts = request.getfixturevalue("memory_url"), None
    else:
        server = request.getfixturevalue("s3_server")
        location, opts = request.getfixturevalue("s3_bucket"), server.storage_options
    options = ParquetOptions(parallel_file_bytes=2**18, write_threads=3, row_group_bytes=2**16)
    t = units(20_000)
    hdmf_arrow.write(t, location, options=options, storage_options=opts)
    files = hdmf_arrow.data_files(location, storage_options=opts)
    assert len(files) == 3
    back = hdmf_arrow.read(location, storage_options=opts)
    assert back.to_arrow().equals(t.to_arrow())
    assert hdmf_arrow.validate(location, storage_options=opts) == []


def test_a_table_of_more_files_than_readers_kept_open_reads_whole(tmp_path: Path) -> None:
    # more files than OpenFiles keeps open (8): every read still finds its file open
    options = ParquetOptions(max_file_bytes=2**18, row_group_bytes=2**15, write_threads=2)
    t = units(200_000)
    hdmf_arrow.write(t, tmp_path / "s", options=options)
    assert len(data_files(tmp_path / "s")) > 16
    back = hdmf_arrow.read(tmp_path / "s")
    assert np.array_equal(back["rate"].data, t["rate"].data)
    assert back.to_arrow().equals(t.to_arrow())
    again = hdmf_arrow.read(tmp_path / "s")
    rows = again[150_000:150_010]
    assert rows["count"].tolist() == t.to_arrow()["count"][150_000:150_010].to_pylist()


def test_open_files_never_closes_a_file_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    # a file in use stays open past the limit, and a second read of it gets its own reader
    from hdmf_arrow.io._parquet import OpenFiles
    from hdmf_arrow.storage import make_store

    class Source:
        def __init__(self) -> None:
            self.closed = False

        def close(self) -> None:
            self.closed = True

    made: list[Source] = []

    def fake_open(store: object, entry: object, footer: object, pre_buffer: bool) -> tuple:
        made.append(Source())
        return made[-1], f"reader {len(made)}"

    entries = [type("E", (), {"path": f"f{k}"})() for k in range(3)]
    store = make_store("memory://open-files-test")
    files = OpenFiles(limit=1)
    import hdmf_arrow.io._parquet as parquet

    monkeypatch.setattr(parquet, "open_reader", fake_open)
    try:
        with files.using(store, entries[0], None) as first:
            with files.using(store, entries[1], None) as second:  # over the limit: 0 in use
                assert not made[0].closed
                with files.using(store, entries[0], None) as again:  # 0 busy: a reader of its own
                    assert again not in (first, second)
                assert made[2].closed  # the private one, closed after its read
                assert not made[0].closed
            assert not made[0].closed  # 1 was released and is the older unused: 1 closes
        assert made[1].closed
        assert not made[0].closed
        with files.using(store, entries[0], None) as reused:
            assert reused == first
    finally:
        files.close()
    assert all(s.closed for s in made)


def test_numpy_integers_are_taken_as_options() -> None:
    options = ParquetOptions(max_file_bytes=np.int64(2**20), merge_small_files=np.int32(3))
    assert options.max_file_bytes == 2**20
    assert type(options.max_file_bytes) is int
    assert type(options.merge_small_files) is int
    assert ParquetOptions(min_compression_saving=np.float64(0.5)).min_compression_saving == 0.5
