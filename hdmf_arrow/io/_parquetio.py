"""ParquetIO: an HDMF container tree in a Parquet store, shaped like hdmf's HDF5IO."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal

from hdmf_arrow.common import BuildManager, Container, DynamicTable, get_manager
from hdmf_arrow.common._registry import type_map_for
from hdmf_arrow.common._walk import walk
from hdmf_arrow.errors import (
    ContainerNotFoundError,
    CorruptStoreError,
    FormatVersionError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    InvalidKeyError,
    NotAStoreError,
    ReadOnlyStoreError,
    StaleWriteError,
    StoreExistsError,
    StoreLocationError,
)
from hdmf_arrow.io import _layout, _parquet
from hdmf_arrow.io._describe import describe_tree
from hdmf_arrow.io._parquet import OpenFiles, ParquetOptions
from hdmf_arrow.io._specs import cache_namespaces, load_cached, used_namespaces
from hdmf_arrow.io._tree import Node, TreeReader, TreeWriter, mark_stored
from hdmf_arrow.io._vacuum import DEFAULT_GRACE, vacuum_store
from hdmf_arrow.storage import make_store

log = logging.getLogger("hdmf_arrow")

if TYPE_CHECKING:
    from types import TracebackType

    from hdmf_arrow.storage import Store, StoreLike

Mode = Literal["r", "w", "w-", "a"]
# what walking a malformed manifest tree raises (a key missing, a list where a dict belongs, ...)
_MALFORMED = (LookupError, TypeError, ValueError, AttributeError, OverflowError, RecursionError)
_MODES = ("r", "w", "w-", "a")


@dataclass(frozen=True, slots=True)
class _Opened:
    """A store and the manifest read from it (see ``ParquetIO.of_manifest``)."""

    store: Store
    manifest: _layout.Manifest


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One committed version of a store."""

    version: int
    created: str
    summary: str
    operation: str = "write"  # write, append, add_column (docs/format.md, section 6)

    @property
    def time(self) -> dt.datetime | None:
        """When the version was committed (UTC), or None if its manifest does not say."""
        try:
            return dt.datetime.fromisoformat(self.created)
        except ValueError:
            return None


class ParquetIO:
    """Read and write a container tree (tables, groups, datasets) as a Parquet store.

    Modes, as in hdmf's HDF5IO: ``r`` read (the newest version, or ``version=N``); ``w``
    write a new version holding only what you write (older versions stay readable until
    ``vacuum``); ``w-`` create, refusing an existing store; ``a`` read and add: tables read
    in this mode and written back keep their files, and only new rows are written.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="trials", description="trials")
    >>> t.add_column("start", "start time", data=[0.0, 1.5])
    >>> with ParquetIO("memory://doc/parquetio", mode="w") as io:
    ...     io.write(t)
    1
    >>> with ParquetIO("memory://doc/parquetio", mode="a") as io:
    ...     trials = io.read()
    ...     trials.add_row(start=3.0)
    ...     io.write(trials)
    2
    >>> with ParquetIO("memory://doc/parquetio", mode="r", version=1) as io:
    ...     len(io.read())
    2
    """

    def __init__(
        self,
        location: StoreLike | _Opened,
        mode: Mode = "r",
        *,
        version: int | None = None,
        storage_options: dict[str, Any] | None = None,
        options: ParquetOptions | None = None,
        manager: BuildManager | None = None,
    ) -> None:
        if mode not in _MODES:
            msg = f"ParquetIO: mode must be one of {_MODES}, found {mode!r}"
            raise InvalidArgumentError(msg)
        self.mode = mode
        if options is not None and not isinstance(options, ParquetOptions):
            msg = f"ParquetIO: options must be a ParquetOptions, found {type(options).__name__}"
            raise InvalidArgumentTypeError(msg)
        self.options = options or ParquetOptions()
        # the classes of data types: the caller's, or the loaded extensions (a copy, which
        # the store's cached namespaces may extend)
        self.type_map = (manager or get_manager()).type_map
        self._root: Container | None = None
        self._open_files = OpenFiles()  # for the tables this IO reads and writes
        self._rewrite: frozenset[str] = frozenset()  # tables compact() writes anew
        self._manifest: _layout.Manifest | None = None
        if isinstance(location, _Opened):  # ParquetIO.of_manifest: nothing to list or read
            if mode != "r" or version is not None:
                msg = "ParquetIO: an opened manifest is read with mode='r' and no version="
                raise InvalidArgumentError(msg)
            self.store, self._manifest = location.store, location.manifest
            self._existed = True
            self._latest: int | None = location.manifest.version
            return
        self.store = make_store(location, storage_options=storage_options, read_only=mode == "r")
        self._existed = _existed(self.store, writing=mode != "r")
        # reading a given version needs no listing (read_manifest lists if it is missing)
        have = [] if mode == "r" and version is not None else _layout.versions(self.store)
        if mode == "w-" and have:
            msg = (
                f"{self.store.url} already holds an hdmf-arrow store (versions "
                f"{have[0]}..{have[-1]}). Hint: use mode='a' to add to it, or mode='w'."
            )
            raise StoreExistsError(msg)
        if version is not None and mode != "r":
            msg = f"ParquetIO: version= opens an old version read-only; use mode='r', not {mode!r}"
            raise InvalidArgumentError(msg)
        if version is not None:
            version = _layout.check_version(version, store=self.store.url)
        self._latest = have[-1] if have else None
        if mode in ("r", "a") and (have or mode == "r"):
            newest = have[-1] if have else None  # listed once: opening is list + get
            self._manifest = _layout.read_manifest(
                self.store, version if version is not None else newest
            )

    def _remove_if_made(self) -> None:
        """The store's folder, if opening it for this write made it and it is empty again."""
        from hdmf_arrow.storage import LocalStore

        if isinstance(self.store, LocalStore) and not self._existed:
            with contextlib.suppress(OSError):
                self.store.root.rmdir()

    @classmethod
    def of_manifest(
        cls, store: Store, manifest: _layout.Manifest, *, manager: BuildManager | None = None
    ) -> ParquetIO:
        """A read-only IO of ``store`` pinned to ``manifest``, already read (by
        ``hdmf_arrow.api`` opening many stores at once): no request is made here."""
        return cls(_Opened(store, manifest), "r", manager=manager)

    # -- context manager -----------------------------------------------------------------------

    def __enter__(self) -> ParquetIO:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the data files kept open for reads (nothing to flush: every write is
        committed when ``write`` returns). Tables read through this IO stay usable: they
        open their files again when they next read."""
        self._open_files.close()

    def __repr__(self) -> str:
        return f"ParquetIO({self.store.url!r}, mode={self.mode!r}, version={self.version})"

    def _repr_html_(self) -> str:
        """Jupyter's view: the store, the pinned version and its tree (from the manifest)."""
        import html

        body = html.escape(self.describe())
        return f"<b>ParquetIO</b> (mode {self.mode!r})<pre>{body}</pre>"

    # -- reading -------------------------------------------------------------------------------

    @property
    def manifest(self) -> dict[str, Any] | None:
        """The root node of the pinned version's manifest (docs/format.md, section 6), as
        stored: a copy, read-only in effect. None before anything is written."""
        if self._manifest is None:
            return None
        return copy.deepcopy(self._manifest.root)

    @property
    def version(self) -> int | None:
        """The version this IO reads, or last wrote (None for a store not written yet)."""
        return None if self._manifest is None else self._manifest.version

    def read(self) -> Container:
        """The root container of the pinned version. Table data is read when used."""
        if self._root is None:
            if self._manifest is None:
                msg = f"{self.store.url} holds no version yet; write() something first"
                raise NotAStoreError(msg)
            where = _layout.version_key(self._manifest.version)
            load_cached(self.store, self.type_map, list(self._manifest.namespaces))
            try:
                reader = TreeReader(
                    self.store, self.type_map, self._manifest.version, self._open_files
                )
                self._root = reader.read(self._manifest.root)
            except (FormatVersionError, InvalidKeyError) as exc:
                exc.add_note(f"in manifest {where} of store {self.store.url}")
                raise
            except CorruptStoreError as exc:
                msg = f"manifest {where} of store {self.store.url}: {exc}"
                raise type(exc)(msg) from None
            except (*_MALFORMED, OSError) as exc:
                # building the tree reads no data: anything wrong here is in the manifest
                raise _layout.unparsable_tree(where, self.store.url, exc) from None
        return self._root

    def describe(self) -> str:
        """The tree of the pinned version (types, rows, columns) and the versions, as text.

        Only manifests are read.
        """
        if self._manifest is None:
            return f"{self.store.url}: no version yet"
        infos = self.versions()
        lines = [f"store {self.store.url}, version {self.version} of {infos[-1].version}"]
        try:
            lines += describe_tree(self._manifest.root)
        except _MALFORMED as exc:
            where = _layout.version_key(self._manifest.version)
            msg = (
                f"manifest {where} of store {self.store.url} describes a tree that does not "
                f"parse ({type(exc).__name__}: {str(exc)[:120]}). Hint: open an older "
                f"version with version=N."
            )
            raise CorruptStoreError(msg) from None
        lines.append("versions:")
        lines += [f"  {v.version:>4}  {v.created}  {v.summary}" for v in infos]
        return "\n".join(lines)

    def versions(self) -> list[VersionInfo]:
        """Every committed version, oldest first, with its time and summary. A manifest that
        cannot be read is listed with the reason, so that the others can still be found."""
        out = []
        for n in _layout.versions(self.store):
            try:
                m = _layout.read_manifest(self.store, n)
            except (CorruptStoreError, FormatVersionError) as exc:
                out.append(VersionInfo(n, "?", f"unreadable: {exc}"))
                continue
            out.append(VersionInfo(m.version, m.created, m.summary, m.operation))
        return out

    def history(self) -> list[VersionInfo]:
        """Every committed version, newest first (deltalake's order): its number, time,
        operation and summary.

        >>> from hdmf_arrow.common import DynamicTable
        >>> t = DynamicTable(name="t", description="d"); t.add_column("x", "x", data=[1])
        >>> with ParquetIO("memory://doc/history", "w") as io:
        ...     io.write(t)
        1
        >>> with ParquetIO("memory://doc/history", "a") as io:
        ...     t = io.read(); t.add_row(x=2); io.write(t)
        2
        >>> [(v.version, v.operation) for v in ParquetIO("memory://doc/history").history()]
        [(2, 'append'), (1, 'write')]
        """
        return self.versions()[::-1]

    # -- writing -------------------------------------------------------------------------------

    def write(
        self, container: Container, *, summary: str | None = None, operation: str | None = None
    ) -> int:
        """Commit ``container`` as the next version; returns the version number.

        Data files are written first; the version becomes visible only when its manifest is
        created (create-only). If another writer committed that version first,
        :class:`~hdmf_arrow.errors.StoreConflictError` is raised and nothing is lost.
        """
        if self.mode == "r":
            msg = f"{self.store.url} is opened with mode='r'; open it with mode='a' to write"
            raise ReadOnlyStoreError(msg)
        if not isinstance(container, Container):
            msg = f"ParquetIO.write: expected a Container, found {type(container).__name__}"
            raise InvalidArgumentTypeError(msg)
        parent = self._manifest.version if self._manifest is not None else self._latest
        previous = _nodes(self._manifest.root) if self._manifest is not None else {}
        if self.mode == "w" and self._root is None:
            previous = {}  # 'w' writes everything anew
        elif self._manifest is not None:
            self._check_not_stale(container, previous)
        new_files: list[str] = []
        token = _parquet.new_files.set(new_files)
        try:
            try:
                type_map = type_map_for(container, self.type_map)  # a tree read elsewhere
                writer = TreeWriter(
                    self.store, self.options, previous, type_map, self._open_files, self._rewrite
                )
                writer.check_references(container)
                root = writer.node(container)
                cached = cache_namespaces(
                    self.store,
                    type_map,
                    used_namespaces(container),
                    self._manifest.namespaces if self._manifest is not None else (),
                )
                manifest = _layout.Manifest(
                    version=(parent or 0) + 1,
                    root=root,
                    created=_layout.now(),
                    summary=summary or _summary(root),
                    parent=parent,
                    namespaces=tuple(cached),
                    operation=operation or _operation(previous, root),
                )
                nodes = _nodes(root)
            except BaseException:
                # no manifest refers to the data files written: leave none behind (the cached
                # specs stay: another writer's commit may refer to them)
                self.store.discard_new_files(new_files)
                self._remove_if_made()
                raise
            finally:
                _parquet.new_files.reset(token)
            # everything that can fail is done before the commit: once the manifest exists,
            # write() must return its version, never raise (a caller would retry a done
            # commit). A commit that fails keeps its files: the manifest may exist all the same
            # (a reply lost after the create); vacuum removes them if it does not.
            _layout.commit(self.store, manifest)
        except ReadOnlyStoreError:
            raise
        except PermissionError as exc:
            if not _of_store(exc.filename, self.store.url):
                raise  # a file outside the store (an HDF5 source being copied): as it is
            raise _not_writable(self.store.url, exc, parent) from exc
        log.info(
            "committed version %d of %s: %s (%d table(s) and %d dataset(s) with new data)",
            manifest.version,
            self.store.url,
            manifest.summary,
            len(writer.written),
            len(writer.written_data),
        )
        for data in writer.written_data:
            data._mark_committed()
        for table in writer.written:
            table._mark_committed()
            table._source = writer.sources[table.object_id]
        for obj in _containers(container):
            mark_stored(obj, self.store, manifest.version, nodes.get(obj.object_id, {}))
        self._manifest = manifest
        self._latest = manifest.version
        self._root = container
        return manifest.version

    def compact(self, table: str | None = None, *, min_files: int = 2) -> int | None:
        """Rewrite each table held in ``min_files`` files or more (or only ``table``: "units",
        "session/units") into one new file, as a new version; returns it, or None when no
        table needed it. Appends add a file each (small ones merge as they go, see
        ``ParquetOptions.merge_small_files``); compacting leaves one.

        The old files stay until ``vacuum`` removes them (older versions still use them).
        Each compacted table is read whole into memory to be rewritten.

        >>> from hdmf_arrow.common import DynamicTable
        >>> t = DynamicTable(name="t", description="d"); t.add_column("x", "x", data=[1])
        >>> with ParquetIO("memory://doc/compact", "w") as io:
        ...     io.write(t)
        1
        >>> with ParquetIO("memory://doc/compact", "a") as io:
        ...     t = io.read(); t.add_row(x=2); io.write(t)
        ...     io.compact(), io.history()[0].operation
        2
        (3, 'compact')
        """
        if self.mode != "a":
            msg = f"{self.store.url}: compact needs mode='a', not {self.mode!r}"
            raise ReadOnlyStoreError(msg)
        root = self.read()
        nodes = _nodes(self._manifest.root) if self._manifest is not None else {}
        tables = (
            [find_table(root, table)]
            if table is not None
            else [t for t in walk(root) if isinstance(t, DynamicTable)]  # categories, members too
        )
        chosen = [
            t for t in tables if len(nodes.get(t.object_id, {}).get("files", ())) >= min_files
        ]
        if not chosen:
            return None
        names = ", ".join(t.name for t in chosen[:5]) + (" ..." if len(chosen) > 5 else "")
        self._rewrite = frozenset(t.object_id for t in chosen)
        try:
            return self.write(root, summary=f"compact {names}", operation="compact")
        finally:
            self._rewrite = frozenset()

    def _check_not_stale(self, container: Container, newest: dict[str, Node]) -> None:
        """Refuse a tree read from an older version when a newer one added objects to it:
        committing the old tree would silently drop them."""
        assert self._manifest is not None
        if getattr(container, "_store_url", None) != self.store.url:
            return
        read_at = getattr(container, "_origin_version", None)
        if read_at is None or read_at == self._manifest.version:
            return
        try:
            old = _nodes(_layout.read_manifest(self.store, read_at).root)
        except (FileNotFoundError, CorruptStoreError, FormatVersionError):
            old = {}  # expired: the objects' own checks still apply
        held = {c.object_id for c in _containers(container)}
        added = [n for oid, n in newest.items() if oid not in old and oid not in held]
        if added and old:
            names = ", ".join(f"{n.get('data_type')} {n.get('name')!r}" for n in added[:5])
            msg = (
                f"{container.data_type} {container.name!r} was read from version {read_at} "
                f"of store {self.store.url}; version {self._manifest.version} added {names}, "
                f"which writing this tree would drop, so nothing was committed. Hint: read "
                f"the tree again (ParquetIO(location, 'a').read()), apply your change to it "
                f"and write that; or write with mode='w' to replace the store's contents."
            )
            raise StaleWriteError(msg)

    def vacuum(
        self,
        *,
        older_than: dt.timedelta = DEFAULT_GRACE,
        retain_versions: int | None = None,
        dry_run: bool = False,
    ) -> list[str]:
        """Delete what no retained version uses; returns the keys deleted (or that would be,
        with ``dry_run``).

        - Data files that no retained version refers to, and temporary files of commits
          that never finished, are deleted once they are older than ``older_than`` (an hour
          by default, as in Delta Lake and Iceberg): a commit in flight writes its files
          before its manifest refers to them, and they are younger than that.
        - With ``retain_versions=N``, versions older than the newest N expire: their
          manifests are deleted (oldest first, before any file they use), then the files
          only they used. Without it no version expires.

        Vacuum refuses to run (CorruptStoreError) when any manifest cannot be read or lists
        a file outside its table's directory, and never follows a symbolic link.

        Examples
        --------
        >>> from hdmf_arrow.common import DynamicTable
        >>> t = DynamicTable(name="t", description="d")
        >>> t.add_column("x", "x", data=[1, 2])
        >>> for _ in range(2):  # a new IO in mode 'w' writes the table anew each time
        ...     with ParquetIO("memory://doc/vacuum", mode="w") as io:
        ...         io.write(t)
        1
        2
        >>> with ParquetIO("memory://doc/vacuum", mode="a") as io:
        ...     deleted = io.vacuum(older_than=dt.timedelta(0), retain_versions=1)
        >>> [k.split("/")[0] for k in deleted]  # version 1's manifest, then its data file
        ['_hdmf', 'data']
        >>> [v.version for v in ParquetIO("memory://doc/vacuum").versions()]
        [2]
        """
        if self.mode == "r" and not dry_run:
            msg = f"{self.store.url} is opened with mode='r'; vacuum needs mode='a'"
            raise ReadOnlyStoreError(msg)
        if not isinstance(older_than, dt.timedelta) or older_than < dt.timedelta(0):
            msg = f"vacuum: older_than must be a timedelta >= 0, found {older_than!r:.40}"
            raise InvalidArgumentError(msg)
        if retain_versions is not None and (
            isinstance(retain_versions, bool)
            or not isinstance(retain_versions, int)
            or retain_versions < 1
        ):
            msg = f"vacuum: retain_versions must be an int >= 1, found {retain_versions!r:.40}"
            raise InvalidArgumentError(msg)
        return vacuum_store(self.store, older_than, retain_versions, dry_run=dry_run)


def _nodes(root: Node) -> dict[str, Node]:
    out = {str(root.get("object_id")): root}
    for child in _layout.child_nodes(root):
        out.update(_nodes(child))
    return out


def _containers(root: Container) -> list[Container]:
    out = [root]
    for child in root.children:
        out.extend(_containers(child))
    return out


def _operation(previous: dict[str, Node], root: Node) -> str:
    """What a version did, from the nodes before and after: ``append`` when only tables grew
    by rows, ``add_column`` when tables gained columns (and maybe rows), ``write`` otherwise."""
    now = _nodes(root)
    if not previous or set(now) != set(previous):
        return "write"
    grew = added = False
    for oid, node in now.items():
        old = previous[oid]
        if node.get("kind") != "table" or old.get("kind") != "table":
            if _without_children(node) != _without_children(old):
                return "write"
            continue
        columns = set(node.get("table", {}).get("columns", {}))
        old_columns = set(old.get("table", {}).get("columns", {}))
        if not old_columns <= columns:
            return "write"
        added |= columns != old_columns
        grew |= int(node.get("num_rows", 0)) > int(old.get("num_rows", 0))
        if int(node.get("num_rows", 0)) < int(old.get("num_rows", 0)):
            return "write"
    if added:
        return "add_column"
    return "append" if grew else "write"


def _without_children(node: Node) -> Node:
    return {k: v for k, v in node.items() if k not in _layout.NESTED}


def _summary(root: Node) -> str:
    tables = [n for n in _nodes(root).values() if n.get("kind") == "table"]
    rows = sum(int(t["num_rows"]) for t in tables)
    return f"{len(tables)} table(s), {rows} row(s)"


def find_table(root: Container, path: str) -> DynamicTable:
    """The table at ``path`` ("units", "session/units") under ``root`` (the root itself if
    ``path`` is its name or empty)."""
    node: Container = root
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == root.name and not _has_child(root, parts[0]):
        parts = parts[1:]
    for part in parts:
        children = {c.name: c for c in node.children}
        if part not in children:
            msg = f"no container {part!r} in {node.name!r} (it holds {sorted(children)})"
            raise ContainerNotFoundError(msg)
        node = children[part]
    if not isinstance(node, DynamicTable):
        msg = f"{path!r} is a {node.data_type}, not a table"
        raise InvalidArgumentTypeError(msg)
    return node


def _has_child(node: Container, name: str) -> bool:
    return any(c.name == name for c in node.children)


def _existed(store: Store, *, writing: bool) -> bool:
    """Whether the store's folder exists (always, off local disk); a write that fails
    removes the folder it made. A folder that is a file is refused before any write."""
    from hdmf_arrow.storage import LocalStore

    if not isinstance(store, LocalStore):
        return True
    if writing and store.root.exists() and not store.root.is_dir():
        msg = (
            f"{store.url} is a file, not a store's folder; nothing was written. Hint: give "
            f"a new folder (an HDF5 file is read with HDF5IO, or imported with import_hdf5)"
        )
        raise StoreLocationError(msg)
    return store.root.exists()


def _of_store(filename: object, url: str) -> bool:
    """Whether an error's ``filename`` may be the store's: not an absolute path, or one in the
    store's folder or a folder above it (a new store makes its missing parents), compared
    by whole components (``/x/store-src`` is not in ``/x/store``).

    >>> _of_store("/x/store/data/f.parquet", "/x/store"), _of_store("/x", "/x/store")
    (True, True)
    >>> _of_store("/x/store-src/f.h5", "/x/store"), _of_store("bucket/key", "s3://bucket")
    (False, True)
    """
    path = PurePath(str(filename or ""))
    if not path.is_absolute():
        return True
    root = PurePath(url)
    return path == root or root in path.parents or path in root.parents


def _not_writable(url: str, exc: PermissionError, parent: int | None) -> ReadOnlyStoreError:
    """The error of a write the file system refused (a folder the user may not write to)."""
    where = f" on {exc.filename}" if exc.filename else ""
    kept = f"version {parent} is unchanged" if parent else "the store holds no version"
    msg = (
        f"cannot write to store {url}: permission denied{where}; nothing was committed "
        f"({kept}). Hint: write to a folder you may write to, or check its permissions."
    )
    return ReadOnlyStoreError(msg)
