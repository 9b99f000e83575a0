"""Type configurations (hdmf's ``load_type_config``): per data type, per field, a TermSet file.

A configuration file maps namespaces to data types to fields::

    namespaces:
      hdmf-common:
        version: 1.10.0
        data_types:
          VectorData:
            description:
              termset: example_term_set.yaml

Every :class:`~hdmf_arrow.common.TypeMap` has a :class:`TypeConfigurator`
(``type_map.type_config``); :func:`load_type_config` loads files into that of the default type
map (or of the one given), and a copy of a type map (``get_type_map()``) carries a copy of it.
Files loaded later add namespaces and data types and replace the configuration of a data type
already configured.

hdmf-arrow keeps the configuration but does not wrap or check field values against the
TermSets it names (hdmf does that with LinkML, when a field is set); loading a configuration
that names TermSets says so with an :class:`~hdmf_arrow.errors.HdmfArrowWarning`.
"""

from __future__ import annotations

import copy
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from hdmf_arrow.common._registry import TypeMap, get_type_map
from hdmf_arrow.errors import HdmfArrowWarning, InvalidArgumentError, SpecError
from hdmf_arrow.spec import bundled_specs

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

__all__ = [
    "TypeConfigurator",
    "get_loaded_type_config",
    "load_type_config",
    "unload_type_config",
]


class TypeConfigurator:
    """The loaded type configuration of one type map: ``config`` (None when nothing is
    loaded) and the ``paths`` it was loaded from.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "config.yaml"
    >>> _ = path.write_text("namespaces:\\n  hdmf-common:\\n    version: 1.10.0\\n"
    ...                     "    data_types:\\n      VectorData:\\n        unit: null\\n")
    >>> tc = TypeConfigurator()
    >>> tc.load_type_config(path)
    >>> tc.get_config("VectorData", "hdmf-common"), tc.paths == [str(path)]
    ({'unit': None}, True)
    >>> tc.unload_type_config()
    >>> tc.config, tc.paths
    (None, [])
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]] | None = None) -> None:
        self.config: dict[str, Any] | None = None
        self.paths: list[str] = []
        for path in paths or ():
            self.load_type_config(path)

    def copy(self) -> TypeConfigurator:
        """An independent copy (the files are not read again)."""
        new = TypeConfigurator()
        new.config = copy.deepcopy(self.config)
        new.paths = list(self.paths)
        return new

    def get_config(self, data_type: str, namespace: str) -> dict[str, Any]:
        """The configuration of ``data_type`` in ``namespace`` (field -> settings).

        Raises
        ------
        InvalidArgumentError
            When nothing is loaded, or the namespace or data type is not configured.
        """
        if self.config is None:
            msg = "no type configuration is loaded. Hint: load_type_config(config_path=...)"
            raise InvalidArgumentError(msg)
        namespaces = self.config["namespaces"]
        if namespace not in namespaces:
            msg = (
                f"the type configuration has no namespace {namespace!r} "
                f"(it has {sorted(namespaces)})"
            )
            raise InvalidArgumentError(msg)
        types = namespaces[namespace]["data_types"]
        if data_type not in types:
            msg = (
                f"the type configuration of namespace {namespace!r} has no data type "
                f"{data_type!r} (it has {sorted(types)})"
            )
            raise InvalidArgumentError(msg)
        return dict(types[data_type] or {})

    def load_type_config(self, config_path: str | os.PathLike[str]) -> None:
        """Load (and merge in) a configuration file.

        Raises
        ------
        SpecError
            When the file is not YAML or not a configuration (the message names the file and
            the key).
        InvalidArgumentError
            When the file is already loaded.
        """
        path = str(config_path)
        if path in self.paths:
            msg = f"the type configuration {path} is already loaded (loaded: {self.paths})"
            raise InvalidArgumentError(msg)
        loaded = _parse_config(_read_yaml(path), path)
        if self.config is None:
            self.config = loaded
        else:
            namespaces = self.config["namespaces"]
            for ns, ns_config in loaded["namespaces"].items():
                if ns not in namespaces:
                    namespaces[ns] = ns_config
                else:
                    namespaces[ns]["data_types"].update(ns_config["data_types"])
        self.paths.append(path)
        termsets = _termsets(loaded)
        if termsets:
            shown = ", ".join(termsets[:3]) + (", ..." if len(termsets) > 3 else "")
            msg = (
                f"type configuration {path}: hdmf-arrow keeps it but does not check field "
                f"values against the TermSets it names ({shown})"
            )
            warnings.warn(msg, HdmfArrowWarning, stacklevel=3)

    def unload_type_config(self) -> None:
        """Forget every loaded configuration."""
        self.config = None
        self.paths = []


def _read_yaml(path: str) -> object:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        msg = f"{path}: not valid YAML{where}"
        raise SpecError(msg) from None


def _parse_config(data: object, path: str) -> dict[str, Any]:
    """The configuration in a file's YAML, checked: namespaces -> data_types -> fields."""
    if not isinstance(data, dict) or not isinstance(data.get("namespaces"), dict):
        msg = f"{path}: a type configuration is a mapping with a 'namespaces' mapping"
        raise SpecError(msg)
    for ns, ns_config in data["namespaces"].items():
        where = f"{path}: namespaces/{ns}"
        if not isinstance(ns_config, dict) or not isinstance(ns_config.get("data_types"), dict):
            msg = (
                f"{where}: expected a mapping with a 'data_types' mapping, found {ns_config!r:.60}"
            )
            raise SpecError(msg)
        for dt, fields in ns_config["data_types"].items():
            if fields is not None and not isinstance(fields, dict):
                msg = f"{where}/data_types/{dt}: expected a mapping of fields, found {fields!r:.60}"
                raise SpecError(msg)
    return data


def _termsets(config: dict[str, Any]) -> list[str]:
    found = []
    for ns_config in config["namespaces"].values():
        for fields in ns_config["data_types"].values():
            for setting in (fields or {}).values():
                if isinstance(setting, dict) and "termset" in setting:
                    found.append(str(setting["termset"]))
    return found


def load_type_config(config_path: str | os.PathLike[str], type_map: TypeMap | None = None) -> None:
    """Load a type configuration file into ``type_map`` (default: the default type map).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "config.yaml"
    >>> _ = path.write_text(
    ...     "namespaces:\\n  hdmf-common:\\n    data_types:\\n      DynamicTable:\\n"
    ... )
    >>> load_type_config(config_path=path)
    >>> get_loaded_type_config()["namespaces"]["hdmf-common"]
    {'data_types': {'DynamicTable': None}}
    >>> get_type_map().type_config.paths == [str(path)]  # copies carry the configuration
    True
    >>> unload_type_config()
    """
    _map(type_map).type_config.load_type_config(config_path)


def get_loaded_type_config(type_map: TypeMap | None = None) -> dict[str, Any]:
    """The loaded configuration of ``type_map`` (default: the default type map).

    Raises
    ------
    InvalidArgumentError
        When no configuration is loaded.
    """
    config = _map(type_map).type_config.config
    if config is None:
        msg = "no type configuration is loaded. Hint: load_type_config(config_path=...)"
        raise InvalidArgumentError(msg)
    return dict(config)


def unload_type_config(type_map: TypeMap | None = None) -> None:
    """Unload every configuration of ``type_map`` (default: the default type map)."""
    _map(type_map).type_config.unload_type_config()


def _map(type_map: TypeMap | None) -> TypeMap:
    if type_map is None:
        return get_type_map(copy=False)
    if not isinstance(type_map, TypeMap):
        msg = f"expected a TypeMap, got {type(type_map).__name__}"
        raise InvalidArgumentError(msg)
    return type_map


def _get_resources() -> dict[str, str]:
    """Where the bundled hdmf-common namespace file is (hdmf's legacy ``_get_resources``).

    >>> _get_resources()["namespace_path"].endswith("namespace.yaml")
    True
    """
    return {"namespace_path": str(bundled_specs().joinpath("namespace.yaml"))}
