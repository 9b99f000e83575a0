"""``import hdmf_arrow`` stays light: which modules each import loads (not how long it takes).

Each check runs in a fresh interpreter, since this one has imported everything already. The
heavy modules are imported when a name is first used (PEP 562 in ``hdmf_arrow/__init__.py``
and ``hdmf_arrow/io/__init__.py``; the HDF5 IO class through the registry's entry point).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import hdmf_arrow

HEAVY = (
    "pyarrow",
    "pyarrow.compute",
    "pyarrow.parquet",
    "pyarrow.dataset",
    "pyarrow.fs",
    "numpy",
    "yaml",
    "fsspec",
    "scipy",
    "pandas",
    "polars",
    "h5py",
    "duckdb",
    "importlib.metadata",
)


def _run(code: str) -> object:
    """The JSON value that ``code`` prints last, run by a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", "import json, sys\n" + code],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _loaded_by(statement: str, candidates: tuple[str, ...]) -> list[str]:
    before = "before = set(sys.modules)\n"
    new = "set(sys.modules) - before"
    report = f"print(json.dumps(sorted(m for m in {candidates!r} if m in {new})))"
    found = _run(f"{before}{statement}\n{report}")
    assert isinstance(found, list)
    return found


def test_import_hdmf_arrow_loads_no_heavy_module_and_no_subpackage() -> None:
    names = (
        "api",
        "arrow",
        "cli",
        "common",
        "duckdb",
        "errors",
        "io",
        "spec",
        "storage",
        "utils",
        "validate",
    )
    ours = tuple(f"hdmf_arrow.{name}" for name in names)
    assert _loaded_by("import hdmf_arrow", HEAVY + ours) == []


@pytest.mark.parametrize(
    ("statement", "not_loaded"),
    [
        # the schema language is stdlib + PyYAML: no Arrow, no model, no I/O
        ("import hdmf_arrow.spec", ("pyarrow", "numpy", "hdmf_arrow.common", "hdmf_arrow.io")),
        # the HDF5 bridge needs neither h5py (until a file is opened) nor the Parquet store
        (
            "import hdmf_arrow.io.hdf5",
            ("h5py", "pyarrow.parquet", "fsspec", "hdmf_arrow.io._parquetio", "hdmf_arrow.api"),
        ),
        ("import hdmf_arrow.io", ("pyarrow", "hdmf_arrow.io.hdf5", "hdmf_arrow.io._parquetio")),
    ],
)
def test_a_subpackage_loads_only_its_layer(statement: str, not_loaded: tuple[str, ...]) -> None:
    assert _loaded_by(statement, not_loaded) == []


def test_the_lazy_names_are_the_objects_of_their_modules() -> None:
    from hdmf_arrow import api, io
    from hdmf_arrow.io import _parquet, _parquetio, hdf5

    assert hdmf_arrow.write is api.write
    assert hdmf_arrow.validate is api.validate
    assert hdmf_arrow.ParquetIO is io.ParquetIO is _parquetio.ParquetIO
    assert hdmf_arrow.ParquetOptions is _parquet.ParquetOptions
    assert hdmf_arrow.HDF5IO is hdf5.HDF5IO
    assert isinstance(hdmf_arrow.__version__, str)
    assert set(hdmf_arrow.__all__) <= set(dir(hdmf_arrow))
    assert {"common", "hdf5"} <= set(dir(hdmf_arrow)) | set(dir(io))
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        hdmf_arrow.nope  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        io.nope  # type: ignore[attr-defined]  # noqa: B018


def test_names_resolve_in_a_fresh_interpreter() -> None:
    """``validate`` stays the function once the submodule ``hdmf_arrow.validate`` is loaded
    (it is loaded after the package now), star-imports work, submodules are attributes."""
    code = (
        "import hdmf_arrow, hdmf_arrow.api\n"  # loads the submodule hdmf_arrow.validate
        "from hdmf_arrow.validate import Issue\n"
        "from hdmf_arrow import *\n"
        "print(json.dumps([callable(hdmf_arrow.validate), validate is hdmf_arrow.api.validate,\n"
        "    HDF5IO.__name__, hdmf_arrow.common.DynamicTable.__name__,\n"
        "    hdmf_arrow.io.hdf5.HDF5IO is HDF5IO, Issue.__module__]))"
    )
    assert _run(code) == [True, True, "HDF5IO", "DynamicTable", True, "hdmf_arrow.validate"]


def test_the_model_loads_no_io_and_get_hdf5io_imports_the_hdf5_bridge_on_first_use() -> None:
    io_modules = (
        "pyarrow.parquet",
        "pyarrow.dataset",
        "pyarrow.fs",
        "fsspec",
        "h5py",
        "pandas",
        "polars",
        "scipy",
        "hdmf_arrow.io",
        "hdmf_arrow.storage",
        "hdmf_arrow.api",
    )
    code = (
        "from hdmf_arrow.common import DynamicTable, _backends, get_hdf5io\n"
        f"loaded = sorted(m for m in {io_modules!r} if m in sys.modules)\n"
        "cls = _backends.get_io_class('hdf5')\n"
        "print(json.dumps([loaded, cls.__module__, cls.__name__,\n"
        "    _backends._IO_CLASSES['hdf5'] is cls]))"
    )
    assert _run(code) == [[], "hdmf_arrow.io.hdf5", "HDF5IO", True]
