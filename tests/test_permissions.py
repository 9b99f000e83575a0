"""Writing where the file system refuses: a clear error naming the store, and nothing lost.

Root may write anywhere, so when the tests run as root the writes run in a child process
without the capabilities that let root ignore permissions (``setpriv``, util-linux)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

import hdmf_arrow
from hdmf_arrow.common import DynamicTable

# root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH honours file permissions
_DROP = "-dac_override,-dac_read_search"

CHILD = """
import sys
import pyarrow as pa
import hdmf_arrow
from hdmf_arrow.common import DynamicTable
t = DynamicTable.from_arrow(pa.table({"x": [9.0]}), name="t")
try:
    hdmf_arrow.write(t, sys.argv[1], mode=sys.argv[2])
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}")
else:
    print("written")
"""


def _write_as_user(location: Path, mode: str) -> str:
    command = [sys.executable, "-c", CHILD, str(location), mode]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: root may write anywhere")
        command = [setpriv, f"--bounding-set={_DROP}", f"--inh-caps={_DROP}", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout.strip()


def _read_only(path: Path) -> None:
    for d in [path, *path.rglob("*")]:
        if d.is_dir():
            d.chmod(0o555)


def test_a_new_store_in_a_folder_the_user_may_not_write_to(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    _read_only(parent)
    out = _write_as_user(parent / "s.hdmf", "error")
    assert out.startswith("ReadOnlyStoreError: cannot write to store"), out
    assert str(parent / "s.hdmf") in out
    assert "permission denied" in out
    assert "nothing was committed" in out
    assert "Hint:" in out
    assert not (parent / "s.hdmf").exists()


def test_an_append_to_a_store_the_user_may_not_write_to_keeps_its_version(
    tmp_path: Path,
) -> None:
    location = tmp_path / "s.hdmf"
    hdmf_arrow.write(DynamicTable.from_arrow(pa.table({"x": [1.0, 2.0]}), name="t"), location)
    _read_only(location)
    out = _write_as_user(location, "append")
    assert out.startswith("ReadOnlyStoreError: cannot write to store"), out
    assert "version 1 is unchanged" in out
    back = hdmf_arrow.read(location)
    assert back.to_dataframe()["x"].tolist() == [1.0, 2.0]
    assert [v.version for v in hdmf_arrow.history(location)] == [1]


def test_a_store_whose_new_parent_folder_may_not_be_made_raises_read_only_store_error(
    tmp_path: Path,
) -> None:
    """A local store's writes make its missing parent folders too. Writing a new store
    ``ro/new/s.hdmf`` where ``ro`` may not be written to fails making ``ro/new``, and the
    PermissionError names ``ro/new``: an absolute path that does not start with the store's
    path, so ``ParquetIO.write`` takes it for a file outside the store (an HDF5 source) and
    lets it through raw ("[Errno 13] Permission denied: '.../ro/new'"), where ``ro/s.hdmf``
    gives ReadOnlyStoreError. A folder the store's own write makes (the root or one of its
    parents) is the store's: the right error is ReadOnlyStoreError naming the store, saying
    nothing was committed."""
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    location = parent / "new" / "s.hdmf"
    out = _write_as_user(location, "error")
    assert out.startswith("ReadOnlyStoreError: cannot write to store"), out
    assert str(location) in out
    assert "nothing was committed" in out
    assert not (parent / "new").exists()
