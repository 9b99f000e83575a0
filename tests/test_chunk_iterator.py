"""hdmf's DataChunkIterator, GenericDataChunkIterator and DataIO (or any object with their
protocol) as column data: read into Arrow once, chunk by chunk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hdmf.backends.hdf5 import H5DataIO
from hdmf.data_utils import DataChunkIterator, GenericDataChunkIterator

import hdmf_arrow
from hdmf_arrow.arrow.buffer import buffer_from_data
from hdmf_arrow.arrow.chunks import is_chunk_iterator, read_chunks
from hdmf_arrow.common import DynamicTable, ElementIdentifiers, VectorData
from hdmf_arrow.errors import CellValueError


class Chunk:
    def __init__(self, data: np.ndarray, selection: object) -> None:
        self.data = data
        self.selection = selection


class Blocks:
    """hdmf's iterator protocol without hdmf: the given chunks, in the given order."""

    def __init__(self, chunks: list[Chunk], dtype: Any = None, maxshape: Any = None) -> None:
        self._chunks = iter(chunks)
        self.dtype = dtype
        self.maxshape = maxshape

    def __iter__(self) -> Blocks:
        return self

    def __next__(self) -> Chunk:
        return next(self._chunks)


class Generic(GenericDataChunkIterator):  # type: ignore[misc]
    def __init__(self, array: np.ndarray, **kwargs: Any) -> None:
        self.array = array
        super().__init__(**kwargs)

    def _get_data(self, selection: Any) -> np.ndarray:
        return self.array[selection]

    def _get_maxshape(self) -> tuple[int, ...]:
        return self.array.shape

    def _get_dtype(self) -> np.dtype:
        return self.array.dtype


def test_a_data_chunk_iterator_becomes_an_arrow_column() -> None:
    col = VectorData(
        name="x", description="d", data=DataChunkIterator(np.arange(10.0), buffer_size=3)
    )
    assert col.to_arrow().type == pa.float64()
    assert col.data.tolist() == list(np.arange(10.0))


def test_an_iterator_over_a_generator_of_text() -> None:
    words = (f"w{i}" for i in range(5))
    col = VectorData(name="x", description="d", data=DataChunkIterator(words, buffer_size=2))
    assert col.to_arrow().type == pa.string()
    assert col.data.tolist() == ["w0", "w1", "w2", "w3", "w4"]


def test_an_n_d_iterator_gives_fixed_size_list_rows() -> None:
    a = np.arange(12, dtype=np.int16).reshape(6, 2)
    col = VectorData(name="x", description="d", data=DataChunkIterator(a, buffer_size=4))
    assert col.to_arrow().type == pa.list_(pa.int16(), 2)
    assert (col.data == a).all()


def test_a_generic_iterator_of_blocks_across_both_axes() -> None:
    a = np.arange(40, dtype=np.int32).reshape(10, 4)
    it = Generic(a, chunk_shape=(3, 2), buffer_shape=(3, 2))
    col = VectorData(name="g", description="d", data=it)
    assert col.to_arrow().type == pa.list_(pa.int32(), 4)
    assert (col.data == a).all()


def test_add_column_and_data_io_wrappers(tmp_path: Path) -> None:
    t = DynamicTable(name="t", description="d")
    t.add_column("a", "ints", data=DataChunkIterator(np.arange(4), buffer_size=3))
    wrapped = H5DataIO(DataChunkIterator(np.arange(4) * 2.0, buffer_size=3), compression="gzip")
    t.add_column("b", "floats", data=wrapped)
    t.add_column("c", "plain data in a DataIO", data=H5DataIO(data=[1, 2, 3, 4]))
    t.add_column("d", "declared dtype", data=DataChunkIterator(np.arange(4), buffer_size=2),
                 dtype="float32")  # fmt: skip
    assert t["d"].to_arrow().type == pa.float32()
    assert t.to_dataframe()["b"].tolist() == [0.0, 2.0, 4.0, 6.0]
    hdmf_arrow.write(t, tmp_path / "s")
    back = hdmf_arrow.read(tmp_path / "s")
    assert back["a"].data.tolist() == [0, 1, 2, 3]
    assert back["c"].data.tolist() == [1, 2, 3, 4]


def test_columns_of_iterators_set_the_row_count() -> None:
    col = VectorData(name="c", description="", data=DataChunkIterator(np.array([1.0, 2.0, 3.0])))
    t = DynamicTable(name="t", description="", columns=[col])
    assert len(t) == 3
    assert t.id.data.tolist() == [0, 1, 2]


def test_element_identifiers_from_an_iterator() -> None:
    ids = ElementIdentifiers(name="ids", data=DataChunkIterator(np.arange(5), buffer_size=2))
    assert ids.data.tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(CellValueError, match="must contain integers"):
        ElementIdentifiers(name="ids", data=DataChunkIterator(np.arange(5.0), buffer_size=2))


def test_the_protocol_is_duck_typed_and_chunks_are_placed_by_selection() -> None:
    out_of_order = Blocks(
        [Chunk(np.array([3, 4]), np.s_[3:5]), Chunk(np.array([0, 1, 2]), np.s_[0:3])],
        dtype=np.dtype(int),
    )
    assert is_chunk_iterator(out_of_order)
    col = VectorData(name="x", description="d", data=out_of_order)
    assert col.data.tolist() == [0, 1, 2, 3, 4]


def test_each_chunk_is_converted_once_in_bulk() -> None:
    calls: list[int] = []

    def convert(values: np.ndarray, t: pa.DataType | None, *, name: str) -> pa.Array:
        calls.append(len(values))
        return buffer_from_data(values, t, name=name).array()

    it = DataChunkIterator(np.arange(10), buffer_size=4)
    arr = read_chunks(it, None, name="x", convert=convert)
    assert arr.to_pylist() == list(range(10))
    assert calls == [4, 4, 2]


@pytest.mark.parametrize(
    ("chunks", "match"),
    [
        ([Chunk(np.array([0, 1]), np.s_[0:2]), Chunk(np.array([3]), np.s_[3:4])], "gap at row 2"),
        ([Chunk(np.array([0, 1]), np.s_[0:2]), Chunk(np.array([1]), np.s_[1:2])], "overlap"),
        ([Chunk(np.array([0, 1]), None)], "no selection"),
        (
            [Chunk(np.zeros((2, 2)), np.s_[0:2, 0:2]), Chunk(np.zeros((1, 1)), np.s_[2:3, 1:2])],
            "unfilled",
        ),
    ],
)
def test_chunks_that_do_not_tile_the_dataset_are_refused(chunks: list[Chunk], match: str) -> None:
    t = DynamicTable(name="t", description="d")
    with pytest.raises(CellValueError, match=match):
        t.add_column("x", "d", data=Blocks(chunks, dtype=np.dtype(float)))
    assert t.colnames == ()


def test_an_empty_iterator_gives_an_empty_column_of_its_dtype() -> None:
    col = VectorData(
        name="x", description="d", data=Blocks([], dtype=np.dtype(np.int8), maxshape=(None,))
    )
    assert len(col) == 0
    assert col.to_arrow().type == pa.int8()


def test_regions_and_enums_from_iterators() -> None:
    from hdmf_arrow.common import DynamicTableRegion, EnumData

    t = DynamicTable(name="t", description="d")
    t.add_column("x", "d", data=[1, 2, 3])
    region = DynamicTableRegion(
        name="r", data=DataChunkIterator(np.array([0, 2, 1]), buffer_size=2), description="d",
        table=t,
    )  # fmt: skip
    assert region.data.tolist() == [0, 2, 1]
    codes = DataChunkIterator(np.array([[0, 1], [1, 1]]), buffer_size=1)
    pairs = EnumData(name="e", description="d", data=codes, elements=["a", "b"])
    assert pairs[1].tolist() == ["b", "b"]
