"""Review of session 19 (a scandir listing of local stores, version names by string tests,
the manifest size check of data files, permission errors as ReadOnlyStoreError, HDF5 copies
by ParquetOptions): each test is a problem found, failing before its fix."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable
from hdmf_arrow.errors import CorruptStoreError, UnsafePathError
from hdmf_arrow.storage import LocalStore


def _table(n: int = 100) -> DynamicTable:
    t = DynamicTable(name="t", description="d")
    t.add_column("x", "ints", data=np.arange(n))
    return t


# -- 1. the manifest size check of a data file ------------------------------------------------


def test_a_data_file_of_another_size_is_not_called_invalid_parquet(tmp_path: Path) -> None:
    """A data file rewritten as valid Parquet of another size is refused, but with the
    message "... is not valid Parquet (data file ... does not match the manifest: ...)": the
    CorruptStoreError of the size check is raised inside the ``try`` whose ``except OSError``
    wraps pyarrow's errors, and CorruptStoreError is an OSError. The file is valid Parquet;
    the message should be the size check's own, naming the file and store once."""
    location = tmp_path / "s"
    hdmf_arrow.write(_table(), location)
    back = hdmf_arrow.read(location)
    entry = back._source.files[0]  # type: ignore[attr-defined]
    path = location / entry.path
    pq.write_table(pq.read_table(path), path, compression="none")  # valid, another size
    assert path.stat().st_size != entry.num_bytes
    pq.read_metadata(path)  # valid Parquet
    with pytest.raises(CorruptStoreError, match="does not match the manifest") as info:
        _ = hdmf_arrow.read(location)["x"].data
    message = str(info.value)
    assert "not valid Parquet" not in message, message
    assert message.count(entry.path) == 1, message


# -- 2. the scandir listing of a local store ---------------------------------------------------


def test_a_store_at_the_file_system_root_lists_whole_keys(tmp_path: Path) -> None:
    """The listing cuts ``len(str(root)) + 1`` characters off each path to make its key: for
    a store whose root is ``/`` (``str`` ends with the separator) that cuts the first letter
    of every key too (``tmp/...`` is listed as ``mp/...``). Before, ``relative_to`` gave the
    right keys. A vacuum of such a store would look for (and delete) other keys than the
    files it found."""
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "d" / "e" / "f.json").write_bytes(b"{}")
    store = LocalStore("/")
    prefix = tmp_path.relative_to("/").as_posix()
    assert store.list(prefix) == [f"{prefix}/d/e/f.json"]
    assert list(store.list_modified(prefix)) == [f"{prefix}/d/e/f.json"]


class _Swapping:
    """A directory listing that, once it has handed out the entry ``name``, swaps that
    directory for a link to ``target`` (what another process could do at that moment)."""

    def __init__(self, listing: Any, name: str, swap: Path, target: Path) -> None:
        self._listing, self._name, self._swap, self._target = listing, name, swap, target
        self._handed_out = False

    def __enter__(self) -> _Swapping:
        return self

    def __exit__(self, *exc: object) -> None:
        self._listing.close()

    def close(self) -> None:
        self._listing.close()

    def __iter__(self) -> _Swapping:
        return self

    def __next__(self) -> os.DirEntry[str]:
        if self._handed_out and not self._swap.is_symlink():
            shutil.rmtree(self._swap)
            self._swap.symlink_to(self._target, target_is_directory=True)
        entry: os.DirEntry[str] = next(self._listing)
        self._handed_out = entry.name == self._name
        return entry


def test_a_directory_swapped_for_a_link_during_a_listing_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing must never follow a link. The type of ``d/sub`` is now read from its
    parent's listing (``d_type``: a directory) and trusted: ``d/sub`` is pushed and later
    opened by its path with ``os.scandir``, which follows a link. A directory replaced by a
    link to another folder after its parent's entry was read (here: while the parent's
    listing goes on, as another process could) has that folder's files listed as keys of
    the store (``d/sub/secret.json``). Before, ``os.walk(followlinks=False)`` checked
    ``islink`` once the parent's listing was done, just before descending, and refused this
    (only a swap in the short window after that check got through). The right behaviour:
    open each directory without following a link (``os.open(path, O_RDONLY | O_DIRECTORY |
    O_NOFOLLOW)``, or relative to its parent's descriptor, then ``os.scandir(fd)``) and
    refuse the link (UnsafePathError), or leave it out; that closes the window entirely."""
    root = tmp_path / "s"
    store = LocalStore(root)
    store.create("d/a.json", b"{}")
    store.create("d/sub/b.json", b"{}")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_bytes(b"{}")
    real = os.scandir
    parent = os.path.realpath(root / "d")

    def scandir(path: Any = ".") -> Any:
        listing = real(path)
        where = (
            str(Path(f"/proc/self/fd/{path}").readlink()) if isinstance(path, int) else str(path)
        )
        if os.path.realpath(where) == parent:
            return _Swapping(listing, "sub", root / "d" / "sub", outside)
        return listing

    monkeypatch.setattr(os, "scandir", scandir)
    try:
        keys = store.list("d")
    except UnsafePathError:
        return  # refused: right
    assert (root / "d" / "sub").is_symlink()  # the swap happened during the listing
    assert "d/sub/secret.json" not in keys, keys


# -- 3. found by hypothesis (tests/test_add_row_numpy.py) in a CI run ------------------------


@pytest.mark.parametrize(
    ("cell", "error", "message"),
    [
        ([2**63], "CellTypeError", "expected bool values, found uint64 values"),
        (np.array([2**63], dtype=np.uint64), "CellTypeError", "found uint64 values"),
        ([2**70], "CellValueError", "neither int64 nor uint64"),
        ([None, 2**70], "CellValueError", "neither int64 nor uint64"),
    ],
)
def test_a_ragged_cell_of_integers_past_int64_is_refused_naming_the_column(
    cell: object, error: str, message: str
) -> None:
    """Before: a ragged column typed by its first row (here bool) given a Python list of
    integers past int64 raised pyarrow's raw OverflowError ("Python int too large to convert
    to C long") while inferring the cell's type, where the same cell as a numpy array gave
    CellTypeError. Integers that fit uint64 are now typed uint64 as numpy types them."""
    t = DynamicTable(name="t", description="d")
    t.add_column(name="c0", description="d", index=True)
    t.add_row(c0=[True])
    with pytest.raises(Exception) as info:  # noqa: PT011 - the kind is the parameter
        t.add_row(c0=cell)
    assert type(info.value).__name__ == error
    assert message in str(info.value)
    assert "column 'c0'" in str(info.value)
    assert len(t) == 1
    assert list(t["c0"][0]) == [True]
