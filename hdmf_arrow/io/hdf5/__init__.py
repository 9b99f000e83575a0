"""HDF5 in and out: hdmf's own layout <-> containers, and a store <-> an HDF5 file.

h5py is imported when a function here first needs it (``pip install hdmf-arrow[hdf5]``).
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from hdmf_arrow.common import BuildManager, Container, get_manager, register_io_class
from hdmf_arrow.common._registry import type_map_for
from hdmf_arrow.errors import (
    InvalidArgumentError,
    MissingDependencyError,
    ReadOnlyStoreError,
    StoreExistsError,
    UnsupportedHDF5Error,
)
from hdmf_arrow.io.hdf5._cells import select_region

if TYPE_CHECKING:
    from types import TracebackType

    import h5py

    from hdmf_arrow.io._parquet import ParquetOptions
    from hdmf_arrow.storage import StoreLike

Mode = Literal["r", "w", "w-", "a"]


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:
        msg = "HDF5 needs h5py. Hint: pip install 'hdmf-arrow[hdf5]'"
        raise MissingDependencyError(msg) from None
    return h5py


def _open(path: str | os.PathLike[str], mode: str, storage_options: dict[str, Any] | None) -> Any:
    """``(h5py File, what close() finishes)``: a local path is opened as it is; a URL is read
    through an fsspec file (as DANDI users stream), and written to a local temporary file
    that close() uploads (HDF5 seeks while writing; object stores do not)."""
    h5py = _h5py()
    text = str(path)
    if "://" not in text or text.startswith("file://"):
        local = text.removeprefix("file://")
        if mode in ("w", "w-"):  # written beside, then renamed: a failed write loses nothing
            if mode == "w-" and Path(local).exists():
                msg = f"HDF5 file {local} exists; mode 'w-' creates a new file only"
                raise StoreExistsError(msg)
            if Path(local).is_dir():
                msg = f"{local} is a directory, not an HDF5 file (a store? use ParquetIO)"
                raise UnsupportedHDF5Error(msg)
            temp = Path(local).with_name(f".{Path(local).name}.{uuid.uuid4().hex}.partial")
            if not temp.parent.is_dir():
                msg = (
                    f"cannot write HDF5 file {local}: its folder {temp.parent} does not exist. "
                    f"Hint: create the folder first."
                )
                raise FileNotFoundError(msg)
            return h5py.File(temp, "w-"), _Rename(str(temp), local, exclusive=mode == "w-")
        try:
            return h5py.File(local, mode), None
        except FileExistsError:
            msg = f"HDF5 file {local} exists; mode 'w-' creates a new file only"
            raise StoreExistsError(msg) from None
        except FileNotFoundError:
            msg = f"HDF5 file {local} does not exist"
            raise FileNotFoundError(msg) from None
        except OSError as exc:
            if Path(local).is_dir():
                msg = f"{local} is a directory, not an HDF5 file (a store? use ParquetIO)"
                raise UnsupportedHDF5Error(msg) from None
            if "signature" in str(exc):
                msg = f"{local} is not an HDF5 file (h5py: {exc})"
                raise UnsupportedHDF5Error(msg) from None
            if mode == "r" and os.access(local, os.R_OK):
                msg = f"HDF5 file {local} is damaged or truncated: h5py cannot open it ({exc})"
                raise UnsupportedHDF5Error(msg) from None
            raise
    import fsspec

    if mode != "r":
        if mode == "a":
            msg = f"HDF5 file {text}: mode 'a' works on local files only"
            raise InvalidArgumentError(msg)
        fs, remote = fsspec.core.url_to_fs(text, **(storage_options or {}))
        if mode == "w-" and fs.exists(remote):
            msg = f"HDF5 file {text} exists; mode 'w-' creates a new file only"
            raise StoreExistsError(msg)
        import tempfile

        fd, local = tempfile.mkstemp(suffix=".h5", prefix="hdmf-arrow-")
        os.close(fd)
        return h5py.File(local, "w"), _Upload(fs, local, remote)
    handle = fsspec.open(text, "rb", **(storage_options or {})).open()
    try:
        return h5py.File(handle, "w" if mode != "r" else "r"), handle
    except OSError as exc:
        handle.close()
        if "signature" in str(exc):
            msg = f"{text} is not an HDF5 file (h5py: {exc})"
            raise UnsupportedHDF5Error(msg) from None
        msg = f"h5py cannot open HDF5 file {text}: damaged, truncated or unreadable ({exc})"
        raise UnsupportedHDF5Error(msg) from None
    except BaseException:
        handle.close()
        raise


_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def is_hdf5(location: object, storage_options: dict[str, Any] | None = None) -> bool:
    """Whether ``location`` is an HDF5 file (by its signature, as HDF5 itself looks: at
    offset 0, 512, 1024, ...); a store is a directory, so this is False for one.

    >>> is_hdf5("no/such/file.nwb")
    False
    """
    if not isinstance(location, str) and not hasattr(location, "__fspath__"):
        return False
    text = str(location)
    try:
        if "://" not in text or text.startswith("file://"):
            path = text.removeprefix("file://")
            local = Path(path)
            if not local.is_file():
                return False
            with local.open("rb") as f:
                head = f.read(8 * 1024 + 8)
        else:
            import fsspec

            fs, path = fsspec.core.url_to_fs(text, **(storage_options or {}))
            if not fs.isfile(path):
                return False
            with fs.open(path, "rb") as f:
                head = f.read(8 * 1024 + 8)
    except (OSError, ValueError, ImportError):
        return False
    return any(head[o : o + 8] == _SIGNATURE for o in (0, 512, 1024, 2048, 4096, 8192))


class _Upload:
    """A file written locally, put to its URL when closed (unless the write failed)."""

    def __init__(self, fs: Any, local: str, remote: str) -> None:
        self.fs = fs
        self.local = local
        self.remote = remote
        self.failed = False

    def close(self) -> None:
        try:
            if not self.failed:
                self.fs.put_file(self.local, self.remote)
        finally:
            Path(self.local).unlink(missing_ok=True)


class _Rename:
    """A file written beside its target, renamed onto it when closed (unless the write
    failed): readers never see half a file, and a failed export leaves the old file."""

    def __init__(self, temp: str, target: str, *, exclusive: bool) -> None:
        self.temp = temp
        self.target = target
        self.exclusive = exclusive
        self.failed = False

    def close(self) -> None:
        try:
            if self.failed:
                return
            if self.exclusive:  # 'w-': never replace a file created meanwhile
                try:
                    os.link(self.temp, self.target)
                except FileExistsError:
                    msg = f"HDF5 file {self.target} exists; mode 'w-' creates a new file only"
                    raise StoreExistsError(msg) from None
            else:
                Path(self.temp).replace(self.target)
        finally:
            Path(self.temp).unlink(missing_ok=True)


class HDF5IO:
    """Read and write a container tree as an HDF5 file in hdmf's layout, as hdmf's HDF5IO.

    ``read()`` returns the file's tree (any namespace cached in the file works, NWB's
    ``core`` and extensions included, without pynwb); datasets are read when first used, so
    keep the HDF5IO open while you use them. ``write(root)`` writes the layout hdmf and pynwb
    read, with the specs cached under ``/specifications``.

    ``path`` may be an fsspec URL (``s3://...``); modes ``r``, ``w``, ``w-`` and (local files
    only) ``a``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="trials", description="trials")
    >>> t.add_column("start", "start time", data=[0.0, 1.5])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "trials.h5"
    >>> with HDF5IO(path, "w") as io:
    ...     io.write(t)
    >>> with HDF5IO(path, "r") as io:
    ...     io.read()["start"].data
    array([0. , 1.5])
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        mode: Mode = "r",
        *,
        manager: BuildManager | None = None,
        storage_options: dict[str, Any] | None = None,
        progress: bool = False,
    ) -> None:
        if mode not in ("r", "w", "w-", "a"):
            msg = f"HDF5IO: mode must be one of 'r', 'w', 'w-', 'a'; got {mode!r}"
            raise InvalidArgumentError(msg)
        self.path = str(path)
        self.mode = mode
        self.manager = manager if manager is not None else get_manager()
        self.progress = progress
        self._file, self._handle = _open(path, mode, storage_options)

    @property
    def file(self) -> h5py.File:
        """The open h5py File."""
        return self._file

    def read(self) -> Container:
        """The file's container tree (data read when first used)."""
        from hdmf_arrow.io.hdf5._read import H5Reader, load_cached_specs

        type_map = self.manager.type_map
        load_cached_specs(self._file, type_map, source=self.path)
        with _Progress(self.progress, "reading", 0) as bar:
            return H5Reader(self._file, type_map, source=self.path, progress=bar.advance).read()

    def write(self, container: Container) -> None:
        """Write ``container`` as the file's root (its tables, groups, datasets and links)."""
        if self.mode == "r":
            msg = f"HDF5 file {self.path} is open read-only (mode 'r')"
            raise ReadOnlyStoreError(msg)
        from hdmf_arrow.io.hdf5._write import H5Writer

        if len(self._file) or len(self._file.attrs):
            msg = (
                f"HDF5 file {self.path} already holds objects; write() writes a whole tree "
                f"into an empty file (mode 'w' or 'w-'). Adding to an existing HDF5 file is "
                f"not supported: change the store and export it again."
            )
            raise UnsupportedHDF5Error(msg)
        type_map = type_map_for(container, self.manager.type_map)
        writer = H5Writer(self._file, type_map, target=self.path)
        with _Progress(self.progress, "writing", writer.total_bytes(container)) as bar:
            writer.progress = bar.advance
            writer.write(container)

    def close(self) -> None:
        self._file.close()
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> HDF5IO:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None and isinstance(self._handle, _Upload | _Rename):
            self._handle.failed = True  # a failed write uploads nothing
        self.close()


class _Progress:
    """A rich progress bar of bytes, shown only when asked for and the work lasts > 1 s."""

    def __init__(self, enabled: bool, what: str, total: int) -> None:
        self.enabled = enabled
        self.what = what
        self.total = total or None
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TimeRemainingColumn,
                TransferSpeedColumn,
            )

            self._bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                transient=True,
                refresh_per_second=4,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.what, total=self.total)
        return self

    def advance(self, nbytes: int) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=nbytes)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def import_hdf5(
    path: str | os.PathLike[str],
    location: StoreLike,
    *,
    storage_options: dict[str, Any] | None = None,
    hdf5_storage_options: dict[str, Any] | None = None,
    mode: Literal["w", "w-"] = "w-",
    progress: bool = False,
    options: ParquetOptions | None = None,
) -> int:
    """Write a whole HDF5 file (an NWB file, or any file hdmf wrote) into the store at
    ``location``; returns the version committed.

    Datasets are copied in blocks, so memory stays bounded whatever the file's size.
    ``mode="w-"`` (the default) refuses an existing store; ``"w"`` adds a version to it.
    ``options`` says how the data files are written (codecs, row groups, file sizes).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from hdmf_arrow import read
    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="trials", description="trials")
    >>> t.add_column("start", "start time", data=[0.0, 1.5])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "trials.h5"
    >>> export_hdf5(t, path)
    >>> import_hdf5(path, "memory://doc/import_hdf5")
    1
    >>> read("memory://doc/import_hdf5")["start"].data
    array([0. , 1.5])
    """
    from hdmf_arrow.io._parquetio import ParquetIO
    from hdmf_arrow.io.hdf5._read import H5Reader, dataset_bytes, load_cached_specs

    manager = get_manager()
    with HDF5IO(path, "r", manager=manager, storage_options=hdf5_storage_options) as h5:
        load_cached_specs(h5.file, manager.type_map, source=h5.path)
        total = dataset_bytes(h5.file, source=h5.path) if progress else 0
        with _Progress(progress, f"importing {path}", total) as bar:
            root = H5Reader(h5.file, manager.type_map, source=h5.path, progress=bar.advance).read()
            with ParquetIO(
                location, mode, storage_options=storage_options, manager=manager, options=options
            ) as io:
                return io.write(root)


def export_hdf5(
    obj_or_location: Container | StoreLike,
    path: str | os.PathLike[str],
    *,
    version: int | None = None,
    storage_options: dict[str, Any] | None = None,
    hdf5_storage_options: dict[str, Any] | None = None,
    mode: Literal["w", "w-"] = "w",
    progress: bool = False,
) -> None:
    """Write a container tree, or a version of a store (the newest unless ``version``), to an
    HDF5 file in hdmf's layout (hdmf and pynwb read it; hdmf's validator accepts it)."""
    if isinstance(obj_or_location, Container):
        with HDF5IO(path, mode, storage_options=hdf5_storage_options, progress=progress) as h5:
            h5.write(obj_or_location)
        return
    from hdmf_arrow.io._parquetio import ParquetIO

    with ParquetIO(obj_or_location, "r", version=version, storage_options=storage_options) as io:
        root = io.read()
        with HDF5IO(
            path,
            mode,
            manager=BuildManager(io.type_map),
            storage_options=hdf5_storage_options,
            progress=progress,
        ) as h5:
            h5.write(root)


register_io_class("hdf5", HDF5IO)  # hdmf_arrow.common.get_hdf5io opens files with it

__all__ = ["HDF5IO", "export_hdf5", "import_hdf5", "is_hdf5", "select_region"]
