"""Any fsspec filesystem: memory://, s3:// (s3fs), gcs://, ...

``create`` uses fsspec's exclusive mode ``"xb"``. s3fs sends it as a conditional PUT
(``If-None-Match: *``), which S3 (and moto's server) answers with 412 when the key exists.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

from hdmf_arrow.storage._base import Store, check_key

if TYPE_CHECKING:
    import fsspec
    import pyarrow.fs as pafs


_MEMORY_LOCK = threading.Lock()
_OBJECT_STORES = {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss"}


class FsspecStore(Store):
    """A directory ``root`` inside an fsspec filesystem."""

    def __init__(
        self,
        fs: fsspec.AbstractFileSystem,
        root: str,
        *,
        url: str | None = None,
        storage_options: dict[str, Any] | None = None,
        read_only: bool = False,
    ) -> None:
        self.fs = fs
        self.root = root.rstrip("/")
        self.storage_options = dict(storage_options or {})
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        super().__init__(url or f"{protocol}://{self.root}", read_only=read_only)
        self._arrow_fs: pafs.FileSystem | None = None

    @property
    def arrow_fs(self) -> pafs.FileSystem:
        if self._arrow_fs is None:
            from pyarrow.fs import FSSpecHandler, PyFileSystem

            self._arrow_fs = PyFileSystem(FSSpecHandler(self.fs))
        return self._arrow_fs

    def arrow_path(self, key: str) -> str:
        return f"{self.root}/{check_key(key, store=self.url)}"

    def open_input(self, key: str, size: int | None = None) -> Any:
        """Open through fsspec directly: with the size from the manifest, s3fs makes no HEAD
        request (pyarrow's FSSpecHandler would make two)."""
        import pyarrow as pa

        kwargs = {"size": size} if size is not None and self._protocols & _OBJECT_STORES else {}
        return pa.PythonFile(self.fs.open(self.arrow_path(key), "rb", **kwargs), mode="r")

    def read(self, key: str) -> bytes:
        try:
            data: bytes = self.fs.cat_file(self.arrow_path(key))
        except FileNotFoundError:
            msg = f"{key!r} not found in store {self.url}"
            raise FileNotFoundError(msg) from None
        return data

    def _create(self, key: str, data: bytes) -> None:
        path = self.arrow_path(key)
        if self._protocols & {"memory"}:
            # one process holds a memory filesystem: a lock makes check-and-write atomic, and
            # pipe_file makes the object appear whole
            with _MEMORY_LOCK:
                if self.fs.exists(path):
                    msg = f"{key!r} already exists in store {self.url}"
                    raise FileExistsError(msg)
                self.fs.pipe_file(path, data)
            return
        if self._protocols & {"s3", "s3a"}:
            self.fs.pipe_file(path, data, mode="create")  # one PUT with If-None-Match: *
            return
        if not self._protocols & _OBJECT_STORES:
            self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with self.fs.open(path, "xb") as f:
            f.write(data)

    @property
    def _protocols(self) -> set[str]:
        p = self.fs.protocol
        return {p} if isinstance(p, str) else set(p)

    def exists(self, key: str) -> bool:
        return bool(self.fs.exists(self.arrow_path(key)))

    def list(self, prefix: str) -> list[str]:
        base = self.arrow_path(prefix)
        try:
            found = self.fs.find(base)
        except FileNotFoundError:
            return []
        start = len(self.root) + 1
        return sorted(p[start:] if p.startswith(self.root + "/") else p for p in found)

    def _delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):  # deleting what is gone is done
            self.fs.rm_file(self.arrow_path(key))

    def ensure_dir(self, key: str) -> None:
        self._check_writable()
        path = self.arrow_path(key)  # checks the key
        if self._protocols & _OBJECT_STORES:
            return  # object stores have no directories
        self.fs.makedirs(path, exist_ok=True)

    def polars_options(self) -> tuple[str, dict[str, Any] | None] | None:
        if not self._protocols & {"s3", "s3a"}:
            return None
        return f"s3://{self.root}", _polars_s3_options(self.storage_options)


def _polars_s3_options(options: dict[str, Any]) -> dict[str, Any]:
    """s3fs storage options -> the object_store keys polars understands."""
    client = options.get("client_kwargs", {})
    out: dict[str, Any] = {}
    for ours, theirs in (("key", "aws_access_key_id"), ("secret", "aws_secret_access_key"),
                         ("token", "aws_session_token")):  # fmt: skip
        if options.get(ours) is not None:
            out[theirs] = options[ours]
    endpoint = options.get("endpoint_url") or client.get("endpoint_url")
    if endpoint:
        out["aws_endpoint_url"] = endpoint
        if endpoint.startswith("http://"):
            out["aws_allow_http"] = "true"
    region = client.get("region_name") or options.get("region_name")
    if region:
        out["aws_region"] = region
    if options.get("anon"):
        out["aws_skip_signature"] = "true"
    return out
