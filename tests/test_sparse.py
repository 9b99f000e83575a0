"""CSRMatrix: the hdmf API, the Arrow layout (arrow/sparse.py), the store and the validator."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _store_edit import relist_size
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import sparse

import hdmf_arrow
from hdmf_arrow.arrow import sparse as coder
from hdmf_arrow.cli import main
from hdmf_arrow.common import CSRMatrix, SimpleMultiContainer, get_class
from hdmf_arrow.errors import CorruptStoreError, SparseMatrixError
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.storage import Store

SEED = sparse.csr_matrix(
    (np.array([1, 2, 3, 4, 5, 6]), (np.array([0, 0, 1, 2, 2, 2]), np.array([0, 2, 1, 0, 1, 2]))),
    shape=(3, 3),
)


def same(matrix: CSRMatrix, expected: Any) -> None:
    """``matrix`` holds exactly ``expected`` (a scipy matrix): arrays, dtype and shape."""
    assert matrix.shape == expected.shape
    np.testing.assert_array_equal(matrix.data, expected.data)
    np.testing.assert_array_equal(matrix.indices, expected.indices)
    np.testing.assert_array_equal(matrix.indptr, expected.indptr)
    assert matrix.data.dtype == expected.data.dtype
    np.testing.assert_array_equal(matrix.to_dense(), expected.toarray())  # NaN equals NaN


# -- construction, as hdmf ---------------------------------------------------------------------


def test_the_three_ways_to_build_one() -> None:
    from_scipy = CSRMatrix(SEED)
    from_dense = CSRMatrix(SEED.toarray())
    from_arrays = CSRMatrix(SEED.data, indices=SEED.indices, indptr=SEED.indptr, shape=(3, 3))
    for m in (from_scipy, from_dense, from_arrays):
        same(m, SEED)
        assert m.name == "csr_matrix"
        assert m.data_type == "CSRMatrix"
        assert m.namespace == "hdmf-common"
    same(CSRMatrix(sparse.coo_matrix(SEED)), SEED)  # any scipy format is converted


def test_the_arrays_are_unsigned_as_in_hdmf() -> None:
    m = CSRMatrix(SEED)
    assert m.indices.dtype == np.uint32
    assert m.indptr.dtype == np.uint32
    assert m.nnz == 6
    assert m.shape == (3, 3)


def test_from_scipy_sparse_and_description() -> None:
    m = CSRMatrix.from_scipy_sparse(SEED, name="connectivity", description="who talks to whom")
    assert (m.name, m.description) == ("connectivity", "who talks to whom")
    assert repr(m) == "CSRMatrix 'connectivity' (3 x 3, 6 stored values of int64)"
    np.testing.assert_array_equal(m.to_dense(), SEED.toarray())
    assert (m.to_spmat() != SEED).nnz == 0


def test_other_attributes_come_from_the_scipy_matrix() -> None:
    m = CSRMatrix(SEED)
    assert m.dtype == np.int64
    assert m.sum() == 21
    np.testing.assert_array_equal(m.toarray(), SEED.toarray())
    with pytest.raises(AttributeError, match="no attribute 'no_such_thing'"):
        _ = m.no_such_thing


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([1, 2],), {}, "must specify 'indptr', 'indices', and 'shape'"),
        (([1, 2],), {"indices": [0, 1], "indptr": [0, 2]}, "must specify 'indptr'"),
        ((np.zeros((2, 2, 2)),), {}, "cannot be ndarray of dimensionality > 2"),
        (([1],), {"indices": [0], "indptr": [0, 1], "shape": (1,)}, "two and only two"),
        (([1],), {"indices": [-1], "indptr": [0, 1], "shape": (1, 2)}, "'indices' to an array"),
        (([1],), {"indices": [0.5], "indptr": [0, 1], "shape": (1, 2)}, "'indices' to an array"),
        (([1],), {"indices": [0], "indptr": [[0, 1]], "shape": (1, 2)}, "'indptr' must be a 1D"),
        (([1],), {"indices": [0], "indptr": [1, 1], "shape": (1, 2)}, "start at 0"),
        (([1],), {"indices": [0], "indptr": [0, 2], "shape": (1, 2)}, "ends at 2"),
        (([1, 2],), {"indices": [0, 5], "indptr": [0, 2], "shape": (1, 2)}, "index 5 is out"),
        (([1],), {"indices": [0], "indptr": [0, 1], "shape": (2, 2)}, "describes 1 rows"),
    ],
)
def test_bad_arrays_are_refused_with_hdmf_words(
    args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(SparseMatrixError, match=message) as info:
        CSRMatrix(*args, name="conn", **kwargs)
    assert isinstance(info.value, ValueError)  # what hdmf raises
    assert "CSRMatrix 'conn'" in str(info.value)


def test_get_class_gives_the_model_class() -> None:
    assert get_class("CSRMatrix", "hdmf-common") is CSRMatrix


def test_hdmf_builds_the_same_arrays() -> None:
    hdmf_common = pytest.importorskip("hdmf.common")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = hdmf_common.CSRMatrix(SEED.toarray())
    ours = CSRMatrix(SEED.toarray())
    np.testing.assert_array_equal(ours.data, theirs.data)
    np.testing.assert_array_equal(ours.indices, theirs.indices)
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)
    assert ours.shape == tuple(int(n) for n in theirs.shape)


# -- the Arrow layout --------------------------------------------------------------------------


def test_arrow_layout_is_one_row_per_matrix_row() -> None:
    rows = CSRMatrix(SEED).to_arrow()
    assert rows.schema == pa.schema(
        [("indices", pa.list_(pa.uint32())), ("data", pa.list_(pa.int64()))]
    )
    assert rows.column("indices").to_pylist() == [[0, 2], [1], [0, 1, 2]]
    assert rows.column("data").to_pylist() == [[1, 2], [3], [4, 5, 6]]
    offsets = rows.column("indices").chunk(0).offsets
    assert offsets.equals(rows.column("data").chunk(0).offsets)  # the shared indptr


def test_decode_handles_sliced_tables() -> None:
    rows = CSRMatrix(SEED).to_arrow().slice(1, 2)
    arrays = coder.decode(rows)
    np.testing.assert_array_equal(arrays.indptr, [0, 1, 4])
    np.testing.assert_array_equal(arrays.indices, [1, 0, 1, 2])
    np.testing.assert_array_equal(arrays.data, [3, 4, 5, 6])


@st.composite
def scipy_matrices(draw: st.DrawFn) -> Any:
    rows = draw(st.integers(0, 12))
    cols = draw(st.integers(1, 12))
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.int16, np.bool_]))
    dense = draw(hnp.arrays(dtype, (rows, cols), elements=hnp.from_dtype(np.dtype(dtype))))
    mask = draw(hnp.arrays(np.bool_, (rows, cols)))
    return sparse.csr_matrix(np.where(mask, dense, np.zeros_like(dense)))


@given(scipy_matrices())
def test_arrow_round_trip(matrix: Any) -> None:
    m = CSRMatrix(matrix)
    same(m, matrix)
    back = CSRMatrix.from_arrow(m.to_arrow(), m.shape, name=m.name)
    same(back, matrix)


@given(scipy_matrices())
def test_store_round_trip(matrix: Any) -> None:
    m = CSRMatrix(matrix, name="m", description="random")
    location = f"memory://csr-{m.object_id}/store"
    hdmf_arrow.write(SimpleMultiContainer("root", [m]), location)
    back = hdmf_arrow.read(location)["m"]
    assert isinstance(back, CSRMatrix)
    assert (back.object_id, back.description) == (m.object_id, "random")
    same(back, matrix)
    assert hdmf_arrow.validate(location) == []


# -- the store ---------------------------------------------------------------------------------


def test_every_backend_round_trips(store: Store) -> None:
    m = CSRMatrix.from_scipy_sparse(SEED, name="conn")
    hdmf_arrow.write(SimpleMultiContainer("session", [m]), store)
    back = hdmf_arrow.read(store)["conn"]
    same(back, SEED)


def _data_file(location: Path, matrix: CSRMatrix) -> Path:
    (found,) = (location / "data" / matrix.object_id).glob("*.parquet")
    return found


def test_polars_and_duckdb_read_the_file(tmp_path: Path) -> None:
    m = CSRMatrix.from_scipy_sparse(SEED, name="conn")
    hdmf_arrow.write(SimpleMultiContainer("session", [m]), tmp_path / "s.hdmf")
    path = _data_file(tmp_path / "s.hdmf", m)
    frame = pl.read_parquet(path)
    assert frame["indices"].to_list() == [[0, 2], [1], [0, 1, 2]]
    assert frame["data"].to_list() == [[1, 2], [3], [4, 5, 6]]
    per_row = duckdb.sql(f"SELECT list_sum(data) FROM '{path}'").fetchall()
    assert [r[0] for r in per_row] == [3, 3, 15]


def test_an_unchanged_matrix_keeps_its_file(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(SimpleMultiContainer("session", [CSRMatrix(SEED, name="conn")]), location)
    with ParquetIO(location, mode="a") as io:
        root = io.read()
        before = _data_file(location, root["conn"])
        io.write(root)
    assert [p.name for p in (before.parent).glob("*.parquet")] == [before.name]
    same(hdmf_arrow.read(location)["conn"], SEED)


def test_a_damaged_matrix_is_reported_by_validate_and_the_cli(tmp_path: Path) -> None:
    rows = CSRMatrix(SEED).to_arrow()
    damaged = CSRMatrix.from_arrow(rows, (4, 2), name="conn")  # 3 rows, and index 2 of 2
    location = tmp_path / "bad.hdmf"
    hdmf_arrow.write(SimpleMultiContainer("session", [damaged]), location)
    issues = [str(i) for i in hdmf_arrow.validate(location)]
    assert issues == [
        "CSRMatrix (session/conn): has 3 rows, its shape says 4",
        "CSRMatrix (session/conn): column index 2 is out of range for 2 columns",
    ]
    result = CliRunner().invoke(main, ["validate", "--json", str(location)])
    assert result.exit_code == 1
    assert [i["data_type"] for i in json.loads(result.output)] == ["CSRMatrix", "CSRMatrix"]


def test_a_file_that_is_not_a_csr_table_is_a_corrupt_store(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    m = CSRMatrix(SEED, name="conn")
    hdmf_arrow.write(SimpleMultiContainer("session", [m]), location)
    path = _data_file(location, m)
    table = pq.read_table(path)
    lengths_differ = pa.table(
        {
            "indices": table.column("indices"),
            "data": pa.array([[1], [2], [3]], pa.list_(pa.int64())),
        }
    )
    pq.write_table(lengths_differ, path)
    relist_size(path)
    with pytest.raises(CorruptStoreError, match=r"CSRMatrix 'conn'.*different number of indices"):
        hdmf_arrow.read(location)


def test_info_shows_shape_and_values(tmp_path: Path) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(SimpleMultiContainer("session", [CSRMatrix(SEED, name="conn")]), location)
    result = CliRunner().invoke(main, ["info", str(location)])
    assert result.exit_code == 0, result.output
    assert "conn  CSRMatrix  3 x 3, 6 stored values, 1 file(s)" in result.output
