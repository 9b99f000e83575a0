"""Review of the write layout, lazy stored columns, many-store opening, 2-D EnumData and chunk
iterators (session 17): each test is a problem found, failing before its fix."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pytest

import hdmf_arrow
from hdmf_arrow import ParquetOptions
from hdmf_arrow.arrow.chunks import read_chunks
from hdmf_arrow.common import DynamicTable, SimpleMultiContainer, VectorData
from hdmf_arrow.errors import CellValueError, CorruptStoreError, InvalidArgumentError
from hdmf_arrow.io import _tree

if TYPE_CHECKING:
    from pathlib import Path


def _store(tmp_path: Path) -> Path:
    table = DynamicTable(name="t", description="d")
    table.add_column("x", "floats", data=[0.5, 1.5])
    table.add_column("s", "text", data=["a", "bc"])
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(SimpleMultiContainer(name="root", containers=[table]), location)
    return location


def _edit_column_doc(location: Path, column: str, **changes: Any) -> None:
    """Change the manifest's description of ``column`` of table ``t`` (a damaged store)."""
    path = sorted((location / "_hdmf" / "versions").glob("*.json"))[-1]
    manifest = json.loads(path.read_text())
    (node,) = [c for c in manifest["root"]["children"] if c["name"] == "t"]
    node["table"]["columns"][column].update(changes)
    path.write_text(json.dumps(manifest))


# -- lazy stored columns ---------------------------------------------------------------------


def test_a_column_made_from_two_threads_at_once_is_one_object(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: ColumnMap.__getitem__ had no lock, so two threads asking for the same stored
    column both built it and got different objects (parts registered twice)."""
    table = hdmf_arrow.read(_store(tmp_path))["t"]
    build = _tree.TableColumns.build
    calls: list[str] = []
    both = threading.Event()

    def slow_build(self: Any, name: str) -> Any:
        calls.append(name)
        if len(calls) >= 2:
            both.set()
        both.wait(0.5)  # give a second thread the chance to build it too
        return build(self, name)

    monkeypatch.setattr(_tree.TableColumns, "build", slow_build)
    got: list[Any] = [None, None]

    def ask(k: int) -> None:
        got[k] = table["x"]

    threads = [threading.Thread(target=ask, args=(k,)) for k in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert calls == ["x"]
    assert got[0] is got[1] is table["x"]


def test_a_column_described_as_the_wrong_class_is_a_corrupt_store(tmp_path: Path) -> None:
    """Before: a text column whose manifest description says EnumData raised a raw TypeError
    (EnumData.__init__ got 'attributes') from read and from validate, instead of a
    CorruptStoreError / a validation issue."""
    location = _store(tmp_path)
    _edit_column_doc(
        location, "s", data_type="EnumData", namespace="hdmf-experimental", elements=["a"]
    )
    with pytest.raises(CorruptStoreError, match=r"column 's' of table 't'"):
        hdmf_arrow.read(location)["t"]["s"]
    issues = hdmf_arrow.validate(location)
    assert any("root/t/s" in str(i) and "cannot be read" in str(i) for i in issues), issues


# -- chunk iterators -------------------------------------------------------------------------


class _Chunk:
    def __init__(self, data: np.ndarray, start: int) -> None:
        self.data = data
        self.selection = np.s_[start : start + len(data)]


class _Chunks:
    """hdmf's chunk iterator protocol: the given chunks, one after another."""

    def __init__(self, *arrays: np.ndarray) -> None:
        starts = np.cumsum([0, *(len(a) for a in arrays)])
        self._chunks = iter([_Chunk(a, int(s)) for a, s in zip(arrays, starts, strict=False)])
        self.dtype = None
        self.maxshape = (None,)

    def __iter__(self) -> _Chunks:
        return self

    def __next__(self) -> _Chunk:
        return next(self._chunks)


def _convert(values: np.ndarray, t: pa.DataType | None, *, name: str) -> pa.Array:
    from hdmf_arrow.arrow.buffer import buffer_from_data

    return buffer_from_data(values, t, name=name).array()


def test_chunks_of_ints_then_floats_keep_the_floats() -> None:
    """Before: the second chunk was cast to the first's int64 type, raising a raw
    ArrowInvalid ('Float value 2.5 was truncated'). The whole data as one numpy array
    would be float64: the column is that."""
    chunks = _Chunks(np.array([1, 2]), np.array([2.5, 3.0]))
    arr = read_chunks(chunks, None, name="x", convert=_convert)
    assert arr.type == pa.float64()
    assert arr.to_pylist() == [1.0, 2.0, 2.5, 3.0]


def test_chunks_of_incompatible_types_raise_a_cell_value_error() -> None:
    """Before: a raw ArrowInvalid ('Failed to parse string')."""
    chunks = _Chunks(np.array([1, 2]), np.array(["a"]))
    with pytest.raises(CellValueError, match=r"'x'.*chunk"):
        read_chunks(chunks, None, name="x", convert=_convert)


def test_a_data_chunk_iterator_of_mixed_values_gives_a_column() -> None:
    from hdmf.data_utils import DataChunkIterator

    col = VectorData(
        name="x", description="d", data=DataChunkIterator(iter([1, 2.5, 3]), buffer_size=1)
    )
    assert col.to_arrow().to_pylist() == [1.0, 2.5, 3.0]


# -- ParquetOptions (hdmf_arrow/io/_parquet.py: the lead's file) -----------------------------


def test_parquet_options_saving_of_the_wrong_type_is_the_projects_error() -> None:
    """ParquetOptions.__post_init__ compares min_compression_saving with 0 and 1 unchecked:
    a str raises a raw TypeError ("'<=' not supported between ...")."""
    with pytest.raises(InvalidArgumentError, match="min_compression_saving"):
        ParquetOptions(min_compression_saving="0.2")  # type: ignore[arg-type]


def test_chunks_of_rows_of_different_widths_raise_a_cell_value_error() -> None:
    """Before: a raw ArrowInvalid from casting fixed_size_list[3] to fixed_size_list[2]."""
    chunks = _Chunks(np.zeros((2, 2)), np.zeros((1, 3)))
    with pytest.raises(CellValueError, match="different shapes"):
        read_chunks(chunks, None, name="x", convert=_convert)


# -- custom spec classes ---------------------------------------------------------------------


def test_a_catalog_of_a_class_that_is_not_a_spec_class_is_the_projects_error() -> None:
    """Before: a bare TypeError (still a TypeError: the project's error subclasses it)."""
    from hdmf_arrow.errors import InvalidArgumentTypeError
    from hdmf_arrow.spec import NamespaceCatalog

    with pytest.raises(InvalidArgumentTypeError, match="GroupSpec or a subclass"):
        NamespaceCatalog(dict)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NamespaceCatalog(dataset_spec_cls="DatasetSpec")  # type: ignore[arg-type]


# -- 2-D EnumData ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [np.zeros((2, 0), dtype=int), [[], []], np.zeros((1, 2, 0), dtype=int)]
)
def test_an_enum_of_rows_without_values_is_a_clear_error(data: Any) -> None:
    """Before: np.zeros((2, 0)) raised a raw ArrowInvalid ('list_size needs to be a strict
    positive integer') and [[], []] said the rows 'have different lengths'."""
    from hdmf_arrow.common import EnumData

    with pytest.raises(CellValueError, match=r"'x'.*hold no values"):
        EnumData("x", "d", data=data, elements=["a"]).to_arrow()


def test_a_data_chunk_iterators_dtype_is_the_columns_type() -> None:
    """Before: ``DataChunkIterator(iter([1, 2, 3]), dtype="float32")`` gave an int64 column
    (each chunk's own numpy type); hdmf writes a float32 dataset."""
    from hdmf.data_utils import DataChunkIterator

    dci = DataChunkIterator(data=iter([1, 2, 3]), dtype=np.dtype("float32"), buffer_size=1)
    arr = VectorData(name="x", description="d", data=dci).to_arrow()
    assert arr.type == pa.float32()
    assert arr.to_pylist() == [1.0, 2.0, 3.0]


def test_a_null_row_of_a_2d_enum_reads_as_none(tmp_path: Path) -> None:
    """Before: ``add_row(None)`` was accepted, but then ``e[1]``, ``e[:]`` (and the same
    column read back from a store) raised a raw TypeError ("int() argument must be ...
    not 'NoneType'")."""
    from hdmf_arrow.common import EnumData

    e = EnumData("x", "d", data=[["a", "b"]])
    e.add_row(None)
    assert e[1] is None
    assert e[0].tolist() == ["a", "b"]
    rows = e[:]
    assert rows[0].tolist() == ["a", "b"]
    assert rows[1] is None
    with pytest.raises(CellValueError, match="null"):
        e.get([0, 1], join=True)
    table = DynamicTable(name="t", description="d", id=[0, 1], columns=[e])
    hdmf_arrow.write(table, tmp_path / "s")
    back = hdmf_arrow.read(tmp_path / "s")
    assert back["x"][1] is None
    assert back["x"][0].tolist() == ["a", "b"]
    assert back.to_arrow().equals(table.to_arrow())
    assert hdmf_arrow.validate(tmp_path / "s") == []


@pytest.mark.parametrize("data", [[0, 1], [[0, 1]]], ids=["1-D", "2-D"])
def test_an_enum_of_integer_elements_is_refused_before_anything_is_written(
    tmp_path: Path, data: Any
) -> None:
    """EnumData whose elements are ints (hdmf allows any dtype) would be written as
    ``dictionary<uint8, int64>``, which Parquet gives back as plain int64 (pyarrow restores
    only string/binary dictionaries): the version would not open. It is refused, naming the
    table and column, and the store keeps its previous version."""
    from hdmf_arrow.common import EnumData
    from hdmf_arrow.errors import SchemaMismatchError

    ok = DynamicTable(name="t", description="d")
    ok.add_column("y", "y", data=[1])
    hdmf_arrow.write(ok, tmp_path / "s")
    elements = VectorData(name="x_elements", description="d", data=[10, 20])
    e = EnumData("x", "d", data=data, elements=elements)
    table = DynamicTable(name="t", description="d", id=list(range(len(data))), columns=[e])
    with pytest.raises(SchemaMismatchError, match="table 't': EnumData column 'x' has elements"):
        hdmf_arrow.write(table, tmp_path / "s", mode="overwrite")
    assert hdmf_arrow.read(tmp_path / "s").colnames == ("y",)
    assert hdmf_arrow.validate(tmp_path / "s") == []


def test_a_data_chunk_iterator_of_index_offsets() -> None:
    """FAILS (hdmf_arrow/common/_data.py, VectorIndex, not fixed here): hdmf takes a
    DataChunkIterator as a VectorIndex's data (its docval type includes the chunk
    iterators); here VectorIndex raises CellTypeError "expected 1-D integer end offsets,
    found object" instead of reading the iterator (VectorData, ElementIdentifiers and
    DynamicTableRegion read it)."""
    from hdmf.data_utils import DataChunkIterator

    from hdmf_arrow.common import VectorIndex

    values = VectorData(name="x", description="d", data=np.arange(6))
    offsets = DataChunkIterator(np.array([2, 3, 6]), buffer_size=2)
    index = VectorIndex(name="x_index", data=offsets, target=values)
    table = DynamicTable(name="t", description="d", columns=[values, index])
    assert table.to_arrow().column("x").to_pylist() == [[0, 1], [2], [3, 4, 5]]


# -- opening many stores ---------------------------------------------------------------------


def test_an_s3_glob_ending_in_a_slash_names_only_directories(
    s3_server: Any, s3_bucket: str
) -> None:
    """Before: ``glob_stores`` matched an S3 glob from one flat listing, where fsspec strips
    the trailing ``/`` of ``sessions/*/`` from the path: files matched too, so
    ``scan("s3://.../sessions/*/")`` took ``notes.txt`` for a store (NotAStoreError), where
    fsspec's ``glob`` (used before) gives directories only."""
    import pandas as pd
    from fsspec.core import url_to_fs

    from hdmf_arrow.storage import glob_stores

    options = s3_server.storage_options
    where = s3_bucket.rsplit("/", 1)[0] + "/sessions"
    for i in range(2):
        frame = pd.DataFrame({"x": [i]})
        hdmf_arrow.write(frame, f"{where}/s{i}.hdmf", name="t", storage_options=options)
    fs, path = url_to_fs(where, **options)
    fs.pipe_file(f"{path}/notes.txt", b"not a store")
    fs.invalidate_cache()
    found, _ = glob_stores(f"{where}/*/", options)
    assert found == sorted(f"s3://{p}" for p in fs.glob(f"{path}/*/"))
    assert found == [f"{where}/s0.hdmf", f"{where}/s1.hdmf"]
    frame = hdmf_arrow.scan(f"{where}/*/", "t", storage_options=options).collect()
    assert sorted(frame["x"].to_list()) == [0, 1]


def test_a_type_key_given_twice_names_the_keys_as_written(tmp_path: Path) -> None:
    """Before: the message said '(as data_type_* and neurodata_type_*)' whatever the keys
    were, so with a custom class's ``my_type_def`` it named a key the file does not hold."""
    from hdmf_arrow.errors import SpecError
    from hdmf_arrow.spec import DatasetSpec, GroupSpec, NamespaceCatalog, SpecNamespace
    from hdmf_arrow.spec.catalog import core_catalog

    class Keyed(GroupSpec):
        @classmethod
        def def_key(cls) -> str:
            return "my_type_def"

    (tmp_path / "t.yaml").write_text(
        "groups:\n- my_type_def: A\n  data_type_def: B\n  data_type_inc: DynamicTable\n  doc: d\n"
    )
    path = tmp_path / "t.namespace.yaml"
    path.write_text(
        "namespaces:\n- name: t\n  doc: t\n  version: 0.1.0\n  schema:\n"
        "  - namespace: hdmf-common\n    data_types: [DynamicTable]\n  - source: t.yaml\n"
    )
    catalog = NamespaceCatalog(Keyed, DatasetSpec, SpecNamespace)
    catalog.merge(core_catalog())
    with pytest.raises(SpecError, match=r"given twice \(as 'my_type_def' and 'data_type_def'\)"):
        catalog.load_namespaces(path)


@pytest.mark.parametrize("ragged", [False, True])
@pytest.mark.parametrize("first", [2**53 + 1, -(2**60), np.int64(2**62)])
def test_a_float_after_integers_beyond_the_floats_exact_range_is_refused(
    ragged: bool, first: int
) -> None:
    """Found by CI's hypothesis run: an int column holding 2**53 + 1 took 0.5 (widening to
    float64) and then failed at the read with a raw ArrowInvalid. The add_row is refused
    now, and the table keeps what it had."""
    from hdmf_arrow.errors import CellValueError

    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", index=ragged)
    t.add_row(x=np.array([first]) if ragged else first)
    with pytest.raises(CellValueError, match="beyond double's exact range"):
        t.add_row(x=np.array([0.5]) if ragged else 0.5)
    assert len(t) == 1
    got = t.to_arrow()["x"].to_pylist()
    assert got == ([[int(first)]] if ragged else [int(first)])
    t.add_row(x=np.array([7]) if ragged else 7)  # integers still go in
    assert len(t) == 2


@pytest.mark.parametrize("stored", [False, True])
def test_a_column_grown_on_its_own_is_a_table_shape_error(tmp_path: Path, stored: bool) -> None:
    """Found by the review: ``t['x'].append(5)`` and then ``t.to_arrow()`` raised a raw
    ArrowInvalid about lengths; it names the table, the column and both lengths now."""
    from hdmf_arrow.errors import TableShapeError

    t = DynamicTable(name="t", description="d")
    t.add_column("x", "x", data=[1, 2])
    t.add_column("y", "y", data=[3, 4])
    if stored:
        hdmf_arrow.write(t, tmp_path / "s")
        t = hdmf_arrow.read(tmp_path / "s")
    t["x"].append(5)
    with pytest.raises(TableShapeError, match="column 'x' has 3 rows, the table's ids 2"):
        t.to_arrow()
