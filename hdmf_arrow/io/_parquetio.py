"""ParquetIO: an HDMF container tree in a Parquet store, shaped like hdmf's HDF5IO."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from hdmf_arrow.common import BuildManager, Container, DynamicTable, get_manager
from hdmf_arrow.errors import (
    CorruptStoreError,
    FormatVersionError,
    ReadOnlyStoreError,
    StoreExistsError,
)
from hdmf_arrow.io import _layout
from hdmf_arrow.io._describe import describe_tree
from hdmf_arrow.io._parquet import FileEntry, ParquetOptions, TableFiles
from hdmf_arrow.io._specs import cache_namespaces, load_cached, used_namespaces
from hdmf_arrow.io._tree import Node, TreeReader, TreeWriter
from hdmf_arrow.storage import make_store

if TYPE_CHECKING:
    from types import TracebackType

    from hdmf_arrow.storage import StoreLike

Mode = Literal["r", "w", "w-", "a"]
_MODES = ("r", "w", "w-", "a")


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One committed version of a store."""

    version: int
    created: str
    summary: str


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
        location: StoreLike,
        mode: Mode = "r",
        *,
        version: int | None = None,
        storage_options: dict[str, Any] | None = None,
        options: ParquetOptions | None = None,
        manager: BuildManager | None = None,
    ) -> None:
        if mode not in _MODES:
            msg = f"ParquetIO: mode must be one of {_MODES}, found {mode!r}"
            raise ValueError(msg)
        self.mode = mode
        self.options = options or ParquetOptions()
        # the classes of data types: the caller's, or the loaded extensions (a copy, which
        # the store's cached namespaces may extend)
        self.type_map = (manager or get_manager()).type_map
        self.store = make_store(location, storage_options=storage_options, read_only=mode == "r")
        have = _layout.versions(self.store)
        if mode == "w-" and have:
            msg = (
                f"{self.store.url} already holds an hdmf-arrow store (versions "
                f"{have[0]}..{have[-1]}). Hint: use mode='a' to add to it, or mode='w'."
            )
            raise StoreExistsError(msg)
        if version is not None and mode != "r":
            msg = f"ParquetIO: version= opens an old version read-only; use mode='r', not {mode!r}"
            raise ValueError(msg)
        self._manifest: _layout.Manifest | None = None
        self._latest = have[-1] if have else None
        if mode in ("r", "a") and (have or mode == "r"):
            newest = have[-1] if have else None  # listed once: opening is list + get
            self._manifest = _layout.read_manifest(self.store, version or newest)
        self._root: Container | None = None

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
        """Nothing to flush: every write is committed when ``write`` returns."""

    def __repr__(self) -> str:
        return f"ParquetIO({self.store.url!r}, mode={self.mode!r}, version={self.version})"

    # -- reading -------------------------------------------------------------------------------

    @property
    def version(self) -> int | None:
        """The version this IO reads, or last wrote (None for a store not written yet)."""
        return None if self._manifest is None else self._manifest.version

    def read(self) -> Container:
        """The root container of the pinned version. Table data is read when used."""
        if self._root is None:
            if self._manifest is None:
                msg = f"{self.store.url} holds no version yet; write() something first"
                raise FileNotFoundError(msg)
            where = _layout.version_key(self._manifest.version)
            load_cached(self.store, self.type_map, list(self._manifest.namespaces))
            try:
                self._root = TreeReader(self.store, self.type_map).read(self._manifest.root)
            except FormatVersionError as exc:
                exc.add_note(f"in manifest {where} of store {self.store.url}")
                raise
            except (LookupError, TypeError, ValueError, AttributeError, OSError) as exc:
                # building the tree reads no data: anything wrong here is in the manifest
                msg = (
                    f"manifest {where} of store {self.store.url} describes a tree that does "
                    f"not parse ({type(exc).__name__}: {exc}). Hint: open an older version "
                    f"with version=N; `hdmf-arrow info` lists them."
                )
                raise CorruptStoreError(msg) from None
        return self._root

    def describe(self) -> str:
        """The tree of the pinned version (types, rows, columns) and the versions, as text.

        Only manifests are read.
        """
        if self._manifest is None:
            return f"{self.store.url}: no version yet"
        infos = self.versions()
        lines = [f"store {self.store.url}, version {self.version} of {infos[-1].version}"]
        lines += describe_tree(self._manifest.root)
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
            out.append(VersionInfo(m.version, m.created, m.summary))
        return out

    # -- writing -------------------------------------------------------------------------------

    def write(self, container: Container, *, summary: str | None = None) -> int:
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
            raise TypeError(msg)
        parent = self._manifest.version if self._manifest is not None else self._latest
        previous = _nodes(self._manifest.root) if self._manifest is not None else {}
        if self.mode == "w" and self._root is None:
            previous = {}  # 'w' writes everything anew
        writer = TreeWriter(self.store, self.options, previous, self.type_map)
        writer.check_references(container)
        root = writer.node(container)
        cached = cache_namespaces(
            self.store,
            self.type_map,
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
        )
        _layout.commit(self.store, manifest)
        nodes = _nodes(root)
        for data in writer.written_data:
            data._mark_committed()
            data._store_url = self.store.url  # type: ignore[attr-defined]
        for table in writer.written:
            table._mark_committed()
            table._store_url = self.store.url  # type: ignore[attr-defined]
            files = [FileEntry.parse(f) for f in nodes[table.object_id]["files"]]
            table._source = TableFiles(self.store, files, name=table.name)
        self._manifest = manifest
        self._latest = manifest.version
        self._root = container
        return manifest.version

    def vacuum(self, *, dry_run: bool = False) -> list[str]:
        """Delete data files no version refers to (left by failed or crashed writes).

        Do not run it while another process is writing: its new files are not referenced
        until its commit. Returns the keys deleted (or that would be, with ``dry_run``).
        """
        if self.mode == "r" and not dry_run:
            msg = f"{self.store.url} is opened with mode='r'; vacuum needs mode='a'"
            raise ReadOnlyStoreError(msg)
        referenced: set[str] = set()
        for n in _layout.versions(self.store):
            referenced.update(_layout.data_files(_layout.read_manifest(self.store, n).root))
        unused = [k for k in self.store.list("data") if k not in referenced]
        unused += [k for k in self.store.list(_layout.VERSIONS) if k.endswith(".tmp")]
        if not dry_run:
            for key in unused:
                self.store.delete(key)
        return unused


def _nodes(root: Node) -> dict[str, Node]:
    out = {str(root.get("object_id")): root}
    for child in root.get("children", ()):
        out.update(_nodes(child))
    return out


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
            raise KeyError(msg)
        node = children[part]
    if not isinstance(node, DynamicTable):
        msg = f"{path!r} is a {node.data_type}, not a table"
        raise TypeError(msg)
    return node


def _has_child(node: Container, name: str) -> bool:
    return any(c.name == name for c in node.children)
