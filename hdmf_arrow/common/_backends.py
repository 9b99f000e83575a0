"""``get_hdf5io`` for ``hdmf.common``'s import path, without the model importing the I/O layer.

The model (:mod:`hdmf_arrow.common`) does no file I/O and never imports
:mod:`hdmf_arrow.io`; the HDF5 reader and writer live there. So the I/O layer registers its IO
class here (an explicit registry, filled by a plain :func:`register_io_class` call when
:mod:`hdmf_arrow.io.hdf5` is imported), and :func:`get_hdf5io` opens a file with whatever class
is registered for ``"hdf5"``. Until then the registry holds the class's name only (an entry
point, ``"hdmf_arrow.io.hdf5:HDF5IO"``), imported on first use: the model never imports the
I/O layer statically, and ``import hdmf_arrow`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

from hdmf_arrow.common._registry import BuildManager, get_manager
from hdmf_arrow.errors import InvalidArgumentTypeError, MissingDependencyError

__all__ = ["get_hdf5io", "get_io_class", "register_io_class"]

_IO_CLASSES: dict[str, type] = {}
# format -> "module:class" imported when nothing is registered yet (the module registers it)
_IO_ENTRY_POINTS: dict[str, str] = {"hdf5": "hdmf_arrow.io.hdf5:HDF5IO"}


def register_io_class(format_name: str, io_class: type) -> None:
    """Make ``io_class`` the class that opens files of ``format_name`` (e.g. ``"hdf5"``).

    ``io_class(path, mode, manager=..., **options)`` opens a file; the I/O layer calls this
    when it is imported.

    >>> class FakeIO:
    ...     def __init__(self, path, mode, *, manager):
    ...         self.path, self.mode, self.manager = path, mode, manager
    >>> register_io_class("fake", FakeIO)
    >>> get_io_class("fake") is FakeIO
    True
    """
    if not isinstance(io_class, type):
        msg = f"register_io_class({format_name!r}): expected a class, got {io_class!r:.60}"
        raise InvalidArgumentTypeError(msg)
    _IO_CLASSES[format_name] = io_class


def get_io_class(format_name: str) -> type:
    """The class registered for ``format_name``.

    A format with an entry point (``"hdf5"``) imports its module on first use.

    Raises
    ------
    MissingDependencyError
        When none is registered (the I/O module was not imported) and no entry point names one.

    >>> get_io_class("hdf5").__name__
    'HDF5IO'
    """
    found = _IO_CLASSES.get(format_name)
    if found is None and format_name in _IO_ENTRY_POINTS:
        module_name, _, class_name = _IO_ENTRY_POINTS[format_name].partition(":")
        loaded = getattr(importlib.import_module(module_name), class_name)
        found = _IO_CLASSES.setdefault(format_name, loaded)
    if found is None:
        msg = (
            f"no IO class is registered for {format_name!r} files (registered: "
            f"{sorted(_IO_CLASSES)}). Hint: import the module that defines it, which "
            f"registers it (register_io_class)"
        )
        raise MissingDependencyError(msg)
    return found


def get_hdf5io(
    path: Any, mode: str = "r", manager: BuildManager | None = None, **options: Any
) -> Any:
    """An HDF5IO over ``path``, with the default BuildManager (:func:`get_manager`) when
    ``manager`` is None, as ``hdmf.common.get_hdf5io``.

    The class is :class:`hdmf_arrow.io.hdf5.HDF5IO` (registered by that module).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from hdmf_arrow.common import DynamicTable
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.h5"
    >>> with get_hdf5io(path, "w") as io:
    ...     io.write(DynamicTable(name="t", description="a table"))
    >>> with get_hdf5io(path, "r") as io:
    ...     type(io.read()).__name__
    'DynamicTable'
    """
    io_class = get_io_class("hdf5")
    return io_class(
        path, mode, manager=manager if manager is not None else get_manager(), **options
    )
