"""Type configurations (load_type_config, ...), _get_resources and get_hdf5io."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hdmf_arrow.common import (
    DynamicTable,
    TypeMap,
    _backends,
    _get_resources,
    get_hdf5io,
    get_loaded_type_config,
    get_manager,
    get_type_map,
    load_type_config,
    register_io_class,
    unload_type_config,
)
from hdmf_arrow.common._type_config import TypeConfigurator
from hdmf_arrow.errors import (
    HdmfArrowWarning,
    InvalidArgumentError,
    MissingDependencyError,
    SpecError,
)

CONFIG = """\
namespaces:
  hdmf-common:
    version: 1.10.0
    data_types:
      VectorData:
        description:
          termset: species.yaml
      DynamicTable:
        description:
  ndx-foo:
    version: 0.1.0
    data_types:
      FooTable:
"""

CONFIG2 = """\
namespaces:
  hdmf-common:
    version: 1.10.0
    data_types:
      VectorData:
        unit:
      VectorIndex:
        data: ...
  ndx-bar:
    version: 0.2.0
    data_types:
      Bar:
"""


@pytest.fixture
def configs(tmp_path: Path) -> tuple[str, str]:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text(CONFIG)
    two.write_text(CONFIG2)
    return str(one), str(two)


@pytest.fixture(autouse=True)
def _unload() -> Any:
    yield
    unload_type_config()


def test_load_into_the_default_map_and_copies_carry_it(configs: tuple[str, str]) -> None:
    one, _ = configs
    with pytest.warns(HdmfArrowWarning, match=r"does not check field values .*species\.yaml"):
        load_type_config(config_path=one)
    config = get_loaded_type_config()
    assert config["namespaces"]["hdmf-common"]["data_types"]["DynamicTable"] == {
        "description": None
    }
    copied = get_type_map()
    assert copied.type_config.paths == [one]
    assert copied.type_config.config == config
    assert copied.type_config is not get_type_map(copy=False).type_config
    unload_type_config()
    assert copied.type_config.paths == [one]  # the copy is independent
    with pytest.raises(InvalidArgumentError, match="no type configuration is loaded"):
        get_loaded_type_config()


def test_later_files_add_and_replace(configs: tuple[str, str]) -> None:
    one, two = configs
    tc = TypeConfigurator()
    with pytest.warns(HdmfArrowWarning):
        tc.load_type_config(one)
    tc.load_type_config(two)  # names no TermSet: no warning
    assert tc.paths == [one, two]
    common = tc.config["namespaces"]["hdmf-common"]["data_types"]  # type: ignore[index]
    assert common["VectorData"] == {"unit": None}  # replaced
    assert common["VectorIndex"] == {"data": "..."}  # added
    assert common["DynamicTable"] == {"description": None}  # kept
    assert set(tc.config["namespaces"]) == {"hdmf-common", "ndx-foo", "ndx-bar"}  # type: ignore[index]
    assert tc.get_config("Bar", "ndx-bar") == {}
    with pytest.raises(InvalidArgumentError, match="no namespace 'ndx-x'"):
        tc.get_config("Bar", "ndx-x")
    with pytest.raises(InvalidArgumentError, match="no data type 'Baz'"):
        tc.get_config("Baz", "ndx-bar")
    with pytest.raises(InvalidArgumentError, match="already loaded"):
        tc.load_type_config(two)
    assert tc.paths == [one, two]
    tc.unload_type_config()
    assert (tc.config, tc.paths) == (None, [])
    with pytest.raises(InvalidArgumentError, match="no type configuration is loaded"):
        tc.get_config("Bar", "ndx-bar")


def test_configurators_per_type_map(configs: tuple[str, str]) -> None:
    one, two = configs
    first, second = get_type_map(), TypeMap()
    with pytest.warns(HdmfArrowWarning):
        load_type_config(one, type_map=first)
    load_type_config(two, type_map=second)
    assert first.type_config.paths == [one]
    assert second.type_config.paths == [two]
    assert get_type_map(copy=False).type_config.paths == []
    unload_type_config(first)
    assert first.type_config.paths == []
    assert second.type_config.paths == [two]
    with pytest.raises(InvalidArgumentError, match="expected a TypeMap"):
        load_type_config(two, type_map="not a map")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="must be a TypeConfigurator"):
        first.type_config = {}  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[1, 2]", "a mapping with a 'namespaces' mapping"),
        ("namespaces:\n  ns: 3\n", "namespaces/ns: expected a mapping with a 'data_types'"),
        ("namespaces:\n  ns:\n    data_types:\n      T: 5\n", "data_types/T: expected a mapping"),
        ("namespaces: [1, \n", "not valid YAML at line"),
    ],
)
def test_bad_files_name_file_and_key(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    tc = TypeConfigurator()
    with pytest.raises(SpecError, match=match) as info:
        tc.load_type_config(path)
    assert str(path) in str(info.value)
    assert (tc.config, tc.paths) == (None, [])  # unchanged


def test_get_resources_points_at_the_bundled_namespace() -> None:
    path = Path(_get_resources()["namespace_path"])
    assert path.name == "namespace.yaml"
    assert "hdmf-common" in path.read_text()


class _FakeIO:
    def __init__(self, path: Any, mode: str, *, manager: Any, **options: Any) -> None:
        self.path, self.mode, self.manager, self.options = path, mode, manager, options


def test_get_hdf5io_uses_the_registered_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_backends, "_IO_CLASSES", {})
    monkeypatch.setattr(_backends, "_IO_ENTRY_POINTS", {})
    with pytest.raises(MissingDependencyError, match="no IO class is registered for 'hdf5'"):
        get_hdf5io("x.h5")
    register_io_class("hdf5", _FakeIO)
    io = get_hdf5io("x.h5", "w", driver="core")
    assert (io.path, io.mode, io.options) == ("x.h5", "w", {"driver": "core"})
    assert io.manager is not None
    manager = get_manager()
    assert get_hdf5io("x.h5", manager=manager).manager is manager
    with pytest.raises(TypeError, match="expected a class"):
        register_io_class("hdf5", "HDF5IO")  # type: ignore[arg-type]


def test_get_hdf5io_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("h5py")
    from hdmf_arrow.io.hdf5 import HDF5IO

    monkeypatch.setitem(_backends._IO_CLASSES, "hdf5", HDF5IO)
    path = tmp_path / "t.h5"
    table = DynamicTable(name="t", description="d")
    table.add_column("a", "a", data=[1, 2])
    with get_hdf5io(path, "w") as io:
        assert isinstance(io, HDF5IO)
        io.write(table)
    with get_hdf5io(path, "r") as io:
        assert io.read()["a"].data.tolist() == [1, 2]


def test_importing_hdmf_arrow_registers_hdf5io() -> None:
    import hdmf_arrow

    if "hdf5" not in _backends._IO_CLASSES:
        pytest.skip("hdmf_arrow.io.hdf5 does not call register_io_class('hdf5', HDF5IO) yet")
    assert _backends._IO_CLASSES["hdf5"] is hdmf_arrow.HDF5IO
