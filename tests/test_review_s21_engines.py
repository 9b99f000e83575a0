"""Review of the engines, the many-store paths and the command line (session 21): each test is
a problem found, failing before its fix.

The command line, ``hdmf_arrow.scan``, ``hdmf_arrow.duckdb.register``, the many-store listing
and ``to_dask``, attacked as a hostile user would: wrong arguments, column names the scan adds,
paths with glob characters, symbolic links, damaged manifests.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner, Result

import hdmf_arrow
from hdmf_arrow.cli import main
from hdmf_arrow.errors import (
    ColumnNotFoundError,
    DuplicateColumnError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    SchemaMismatchError,
    UnsafePathError,
)
from hdmf_arrow.io._layout import version_key

duckdb = pytest.importorskip("duckdb")


def _store(path: Path, frame: pd.DataFrame, name: str = "t") -> Path:
    hdmf_arrow.write(frame, path, name=name)
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_user_error(result: Result, *named: str) -> None:
    """Exit 2, an ``error:`` line naming each of ``named``, no traceback."""
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "error:" in result.stderr.lower(), result.output
    for part in named:
        assert part in result.output, f"{part!r} not in {result.output}"


# -- 1. scan overwrote a table's own column named 'store' ---------------------------------------


def test_scan_refuses_a_table_column_named_like_a_column_it_adds(tmp_path: Path) -> None:
    a = _store(tmp_path / "a.hdmf", pd.DataFrame({"store": [7, 8]}))
    with pytest.raises(DuplicateColumnError, match=r"a\.hdmf has a column 'store'"):
        hdmf_arrow.scan(a, "t")
    b = _store(tmp_path / "b.hdmf", pd.DataFrame({"_row": [7, 8]}))
    with pytest.raises(DuplicateColumnError, match=r"b\.hdmf has a column '_row'"):
        hdmf_arrow.scan(b, "t")


# -- 2. scan(columns=...) of a column some stores lack failed, though documented as null ---------


def test_scan_columns_that_some_stores_lack_are_null_there(tmp_path: Path) -> None:
    a = _store(tmp_path / "a.hdmf", pd.DataFrame({"x": [1, 2]}))
    b = _store(tmp_path / "b.hdmf", pd.DataFrame({"x": [3], "y": [4.5]}))
    df = hdmf_arrow.scan([a, b], "t", columns=["y"]).sort("store", "_row").collect()
    assert df["y"].to_list() == [None, None, 4.5]
    assert df.columns == ["y", "_row", "store"]


def test_scan_columns_that_no_store_has_are_named_with_the_table(tmp_path: Path) -> None:
    a = _store(tmp_path / "a.hdmf", pd.DataFrame({"x": [1, 2]}))
    with pytest.raises(ColumnNotFoundError, match=r"'nope'.*table 't'.*'x'"):
        hdmf_arrow.scan(a, "t", columns=["nope"])


def test_scan_columns_may_name_the_columns_it_adds_and_repeat(tmp_path: Path) -> None:
    a = _store(tmp_path / "a.hdmf", pd.DataFrame({"x": [1, 2]}))
    df = hdmf_arrow.scan(a, "t", columns=["x", "x", "store", "_row"]).collect()
    assert df.columns == ["x", "_row", "store"]
    assert df["x"].to_list() == [1, 2]


# -- 3. scan's arguments of the wrong type: AttributeError, or a str taken letter by letter -----


def test_scan_arguments_of_the_wrong_type_are_refused(tmp_path: Path) -> None:
    a = _store(tmp_path / "a.hdmf", pd.DataFrame({"xy": [1], "x": [2], "y": [3]}))
    with pytest.raises(InvalidArgumentTypeError, match="table must be a str"):
        hdmf_arrow.scan(a, 3)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentTypeError, match="columns must be a list"):
        hdmf_arrow.scan(a, "t", columns="xy")


# -- 4. glob characters in a path: a Path, or a store that exists, is not a glob ----------------


def test_a_path_with_glob_characters_names_that_store(tmp_path: Path) -> None:
    literal = _store(tmp_path / "run[1].hdmf", pd.DataFrame({"x": [1]}))
    assert hdmf_arrow.scan(literal, "t").collect()["x"].to_list() == [1]
    assert hdmf_arrow.scan(str(literal), "t").collect()["x"].to_list() == [1]
    _store(tmp_path / "run1.hdmf", pd.DataFrame({"x": [99]}))  # what the glob [1] matches
    assert hdmf_arrow.scan(literal, "t").collect()["x"].to_list() == [1]
    assert hdmf_arrow.scan(str(literal), "t").collect()["x"].to_list() == [1]
    con = duckdb.connect()
    hdmf_arrow.duckdb.register(con, literal)
    assert con.sql("SELECT x FROM t").fetchall() == [(1,)]


def test_one_scan_reads_files_whose_paths_hold_glob_characters(tmp_path: Path) -> None:
    _store(tmp_path / "run[1].hdmf", pd.DataFrame({"x": [1]}))
    _store(tmp_path / "run1.hdmf", pd.DataFrame({"x": [99]}))
    df = hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "t").sort("store").collect()
    assert df["x"].to_list() == [99, 1]  # "run1" sorts before "run["


def test_per_store_scans_read_files_whose_paths_hold_glob_characters(tmp_path: Path) -> None:
    _store(tmp_path / "run[1].hdmf", pd.DataFrame({"x": [1]}))
    _store(tmp_path / "run1.hdmf", pd.DataFrame({"x": [99], "y": [2]}))  # not one scan
    df = hdmf_arrow.scan(str(tmp_path / "*.hdmf"), "t").sort("store").collect()
    assert df["x"].to_list() == [99, 1]


# -- 5. duckdb.register followed a data file's symbolic link out of the store -------------------


def _link_a_data_file_outside(tmp_path: Path) -> Path:
    outside = _store(tmp_path / "out" / "secret.hdmf", pd.DataFrame({"x": [666]}))
    inside = _store(tmp_path / "g" / "a.hdmf", pd.DataFrame({"x": [1]}))
    mine = Path(hdmf_arrow.data_files(inside, "t")[0])
    mine.unlink()
    mine.symlink_to(hdmf_arrow.data_files(outside, "t")[0])
    return inside


def test_duckdb_refuses_a_data_file_that_is_a_symbolic_link(tmp_path: Path) -> None:
    inside = _link_a_data_file_outside(tmp_path)
    con = duckdb.connect()
    with pytest.raises(UnsafePathError, match="symbolic link"):
        hdmf_arrow.duckdb.register(con, inside)


def test_data_files_refuses_a_data_file_that_is_a_symbolic_link(tmp_path: Path) -> None:
    inside = _link_a_data_file_outside(tmp_path)
    with pytest.raises(UnsafePathError, match="symbolic link"):
        hdmf_arrow.data_files(inside, "t")


# -- 6. vacuum --older-than nan / inf / 1e30: a traceback ------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "1e30", "-5"])
def test_vacuum_older_than_out_of_range_is_a_user_error(tmp_path: Path, value: str) -> None:
    store = _store(tmp_path / "s.hdmf", pd.DataFrame({"x": [1]}))
    result = run("vacuum", str(store), "--older-than", value, "--dry-run")
    assert_user_error(result, "--older-than", "seconds >= 0")


# -- 7. history of a store whose newest manifest is damaged: nothing listed ---------------------


def test_history_lists_the_versions_of_a_store_with_a_damaged_manifest(tmp_path: Path) -> None:
    store = _store(tmp_path / "s.hdmf", pd.DataFrame({"x": [1]}))
    hdmf_arrow.write(pd.DataFrame({"x": [2]}), store, name="t", mode="append")
    (store / version_key(3)).write_text('{"bad')
    result = run("history", str(store), "--json")
    assert result.exit_code == 0, result.output
    versions = json.loads(result.stdout)
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert "unreadable" in versions[0]["summary"]
    assert "warning:" in result.stderr
    text = run("history", str(store))
    assert text.exit_code == 0, text.output
    assert "unreadable" in text.stdout


# -- 8. to_dask(blocksize=...) of the wrong type or range: a TypeError, or taken as 1 -------------


@pytest.mark.parametrize("blocksize", ["1MB", 0, -5, True, 1.5])
def test_to_dask_refuses_a_blocksize_that_is_not_a_positive_int(
    tmp_path: Path, blocksize: object
) -> None:
    pytest.importorskip("dask.dataframe")
    store = _store(tmp_path / "s.hdmf", pd.DataFrame({"x": [1, 2]}))
    table = hdmf_arrow.read(store)
    with pytest.raises((InvalidArgumentError, InvalidArgumentTypeError), match="blocksize"):
        table.to_dask(blocksize=blocksize)  # type: ignore[arg-type]


def test_to_dask_takes_a_numpy_integer_blocksize(tmp_path: Path) -> None:
    pytest.importorskip("dask.dataframe")
    store = _store(tmp_path / "s.hdmf", pd.DataFrame({"x": [1, 2]}))
    table = hdmf_arrow.read(store)
    got = table.to_dask(blocksize=np.int64(2**20)).compute()  # type: ignore[arg-type]
    assert got["x"].tolist() == [1, 2]


# -- 5 (continued): the root itself may be a link (docs/format.md 5), which the fix keeps ---


def test_duckdb_reads_a_store_whose_root_is_a_symbolic_link(tmp_path: Path) -> None:
    real = _store(tmp_path / "real.hdmf", pd.DataFrame({"x": [5]}))
    link = tmp_path / "link.hdmf"
    link.symlink_to(real)
    con = duckdb.connect()
    hdmf_arrow.duckdb.register(con, link)
    assert con.sql("SELECT x FROM t").fetchall() == [(5,)]


# -- 9. one store named twice: every row twice, with the same (store, _row) ---------------------


def test_a_store_named_twice_is_refused(tmp_path: Path) -> None:
    a = _store(tmp_path / "a.hdmf", pd.DataFrame({"x": [1, 2]}))
    (tmp_path / "sub").mkdir()
    again = tmp_path / "sub" / ".." / "a.hdmf"
    with pytest.raises(InvalidArgumentError, match=r"a\.hdmf twice"):
        hdmf_arrow.scan([a, again], "t")
    with pytest.raises(InvalidArgumentError, match=r"a\.hdmf twice"):
        hdmf_arrow.duckdb.register(duckdb.connect(), [a, f"file://{a}"])


# -- 10. --version (and --json) of an HDF5 file were ignored without a word ----------------


def test_version_of_an_hdf5_file_is_a_usage_error(tmp_path: Path) -> None:
    pytest.importorskip("h5py")
    store = _store(tmp_path / "s.hdmf", pd.DataFrame({"x": [1]}))
    h5 = tmp_path / "s.h5"
    assert run("convert", str(store), str(h5)).exit_code == 0
    for args in (["info", "--version", "1"], ["validate", "--version", "1"], ["info", "--json"]):
        result = run(*args, str(h5))
        assert result.exit_code == 2, result.output
        assert "HDF5" in result.output, result.output
        assert "Traceback" not in result.output


# -- 11. info --json printed NaN, which is not JSON, for a manifest holding one -------------------


def test_info_json_is_standard_json_when_the_manifest_holds_nan(tmp_path: Path) -> None:
    store = _store(tmp_path / "s.hdmf", pd.DataFrame({"x": [1]}))
    key = store / version_key(1)
    doc = json.loads(key.read_bytes())
    doc["root"]["attributes"]["resolution"] = float("nan")  # as json.dumps writes it: NaN
    doc["root"]["attributes"]["limits"] = [float("-inf"), float("inf")]
    key.write_text(json.dumps(doc))
    result = run("info", str(store), "--json")
    assert result.exit_code == 0, result.output

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    parsed = json.loads(result.stdout, parse_constant=refuse)
    assert parsed["root"]["attributes"]["resolution"] == "NaN"
    assert parsed["root"]["attributes"]["limits"] == ["-Infinity", "Infinity"]


# -- 12. write(DataFrame, mode="append"): ids 0..n-1 again, duplicating the table's ------------


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
def test_appending_a_frame_without_ids_continues_the_tables_ids(tmp_path: Path, kind: str) -> None:
    import polars as pl
    import pyarrow as pa

    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(pd.DataFrame({"x": [1, 2]}), location, name="t")
    more = {
        "pandas": pd.DataFrame({"x": [3, 4]}),
        "polars": pl.DataFrame({"x": [3, 4]}),
        "arrow": pa.table({"x": [3, 4]}),
    }[kind]
    hdmf_arrow.write(more, location, name="t", mode="append")
    table = hdmf_arrow.read(location)
    assert table.id.data.tolist() == [0, 1, 2, 3]
    assert hdmf_arrow.validate(location) == []


def test_appending_a_frame_with_ids_keeps_them(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(pd.DataFrame({"x": [1]}), location, name="t")
    named = pd.DataFrame({"x": [2]}, index=pd.Index([70], name="id"))
    hdmf_arrow.write(named, location, name="t", mode="append")
    assert hdmf_arrow.read(location).id.data.tolist() == [0, 70]


# -- 13. a column of ints in one store and text in another became text silently ---------------


def _stores_of_two_kinds(tmp_path: Path) -> list[Path]:
    return [
        _store(tmp_path / "a.hdmf", pd.DataFrame({"x": [1, 2]})),
        _store(tmp_path / "b.hdmf", pd.DataFrame({"x": ["p"]})),
    ]


def test_scan_refuses_a_column_of_text_in_one_store_and_numbers_in_another(
    tmp_path: Path,
) -> None:
    stores = _stores_of_two_kinds(tmp_path)
    with pytest.raises(SchemaMismatchError, match=r"column 'x' of table 't' holds int64"):
        hdmf_arrow.scan(stores, "t")  # before: x became text, '1' and '2'


def test_register_refuses_a_column_of_text_in_one_store_and_numbers_in_another(
    tmp_path: Path,
) -> None:
    stores = _stores_of_two_kinds(tmp_path)
    with pytest.raises(SchemaMismatchError, match=r"register: column 'x'"):
        hdmf_arrow.duckdb.register(duckdb.connect(), stores)


def test_scan_still_widens_ints_to_floats_across_stores(tmp_path: Path) -> None:
    stores = [
        _store(tmp_path / "a.hdmf", pd.DataFrame({"x": [1]})),
        _store(tmp_path / "b.hdmf", pd.DataFrame({"x": [1.5]})),
    ]
    got = hdmf_arrow.scan(stores, "t").sort("store").collect()["x"].to_list()
    assert got == [1.0, 1.5]


def test_scan_unites_kinds_other_than_text_as_polars_does(tmp_path: Path) -> None:
    import pyarrow as pa

    a, b = tmp_path / "a.hdmf", tmp_path / "b.hdmf"
    hdmf_arrow.write(pa.table({"x": pa.array([{"a": 1}]), "y": [True]}), a, name="t")
    hdmf_arrow.write(pa.table({"x": pa.array([{"a": 2.5}]), "y": [3]}), b, name="t")
    got = hdmf_arrow.scan([a, b], "t").sort("store").collect()
    assert got["x"].to_list() == [{"a": 1.0}, {"a": 2.5}]  # before the review: refused


def test_scan_checks_only_the_columns_asked_for(tmp_path: Path) -> None:
    a = _store(tmp_path / "a.hdmf", pd.DataFrame({"x": [1], "y": [1.0]}))
    b = _store(tmp_path / "b.hdmf", pd.DataFrame({"x": ["p"], "y": [2.0]}))
    got = hdmf_arrow.scan([a, b], "t", columns=["y"]).sort("store").collect()
    assert got["y"].to_list() == [1.0, 2.0]


def test_scan_refuses_a_ragged_column_in_one_store_and_a_plain_one_in_another(
    tmp_path: Path,
) -> None:
    import pyarrow as pa

    a, b = tmp_path / "a.hdmf", tmp_path / "b.hdmf"
    hdmf_arrow.write(pa.table({"x": pa.array([[1.0, 2.0]])}), a, name="t")
    hdmf_arrow.write(pa.table({"x": [1.0]}), b, name="t")
    with pytest.raises(SchemaMismatchError, match="column 'x'"):  # before: polars' SchemaError
        hdmf_arrow.scan([a, b], "t")
