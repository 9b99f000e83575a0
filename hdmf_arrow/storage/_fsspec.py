"""Any fsspec filesystem: memory://, s3:// (s3fs), gcs://, ...

``create`` uses fsspec's exclusive mode ``"xb"``; on s3 one conditional PUT
(``If-None-Match: *``), which S3 (and moto's server) answers with 412 when the key exists.

Caches. s3fs (like other object-store filesystems) caches directory listings, and fsspec
reuses one filesystem instance per set of options in a process, so a store opened later in
the same process shares the listings an earlier one saw. Another process (or another
filesystem object) may have committed since. So:

- ``list`` and ``exists`` drop the cached listings of their path first: they decide which
  versions exist, and must ask the server (``list`` is one LIST request, as before, and it
  leaves fresh listings in the cache for what follows);
- ``read`` and ``open_input`` use the cache (opening a store stays one LIST and one GET), and
  only when the cache says a key is missing ask again without it: keys are create-only, so a
  cached listing is stale by missing a key, or by naming one that vacuum removed (which the
  GET then finds missing anyway), never by a wrong size;
- ``open_input`` with the size from the manifest gives s3fs the file's details, so reading a
  data file is its GETs only (no HEAD, no look at a cached listing).
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import TYPE_CHECKING, Any

from hdmf_arrow.errors import InvalidKeyError
from hdmf_arrow.storage._base import Store, check_key, too_large

if TYPE_CHECKING:
    import fsspec
    import pyarrow.fs as pafs


_MEMORY_LOCK = threading.Lock()
_OBJECT_STORES = {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss"}
_CONDITIONAL_RETRIES = 5  # 409 ConditionalRequestConflict answers retried by _put_if_absent


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
        path = self.arrow_path(key)
        try:
            f = self.fs.open(path, "rb", **kwargs)
        except FileNotFoundError:  # perhaps only a stale cached listing: ask the server
            self.fs.invalidate_cache(path)
            f = self.fs.open(path, "rb", **kwargs)
        if kwargs and self._protocols & {"s3", "s3a"} and not getattr(self.fs, "version_aware", 0):
            # s3fs looks up the file's details (a HEAD, or a cached listing that may predate
            # the file) at the first read even when given the size; the manifest has them
            f.details = {"name": path, "size": size, "type": "file"}
        return pa.PythonFile(f, mode="r")

    def read(self, key: str, *, max_bytes: int | None = None) -> bytes:
        path = self.arrow_path(key)
        try:
            try:
                data = self._cat(path, max_bytes)
            except FileNotFoundError:
                # s3fs looks the size up in its cached listing of the parent first; a listing
                # cached before another writer created the key says it is missing
                self.fs.invalidate_cache(path)
                data = self._cat(path, max_bytes)
        except FileNotFoundError:
            msg = f"{key!r} not found in store {self.url}"
            raise FileNotFoundError(msg) from None
        if max_bytes is not None and len(data) > max_bytes:
            raise too_large(key, self.url, max_bytes)
        return data

    def _cat(self, path: str, max_bytes: int | None) -> bytes:
        if max_bytes is None:
            data: bytes = self.fs.cat_file(path)
            return data
        try:  # one ranged GET: a byte past the limit tells it was exceeded
            data = self.fs.cat_file(path, start=0, end=max_bytes + 1)
        except OSError as exc:
            if isinstance(exc, FileNotFoundError) or "range" not in str(exc).lower():
                raise
            data = self.fs.cat_file(path)  # S3 refuses any range of an empty object
            if data:
                raise
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
        try:
            if self._protocols & {"s3", "s3a"}:
                self._put_if_absent(path, data)
                return
            if not self._protocols & _OBJECT_STORES:
                self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            with self.fs.open(path, "xb") as f:
                f.write(data)
        except FileExistsError as exc:
            if self._protocols & _OBJECT_STORES and self._holds(path, data):
                # A PUT that succeeded on the server but whose answer was lost (a timeout, a
                # dropped connection) is retried by botocore or s3fs, and the retry gets 412:
                # the object there is the one this call wrote. Manifests differ in their
                # timestamp and data file names, so equal bytes mean this writer's commit
                # (or one that is the same in every byte, which is as good).
                return
            msg = f"{key!r} already exists in store {self.url}"
            raise FileExistsError(msg) from exc

    def _put_if_absent(self, path: str, data: bytes) -> None:
        """One PUT with ``If-None-Match: *``; FileExistsError if the key exists."""
        for attempt in range(_CONDITIONAL_RETRIES):
            try:
                self.fs.pipe_file(path, data, mode="create")
                return
            except FileExistsError:
                raise
            except OSError as exc:
                code = _s3_error_code(exc)
                if code == "PreconditionFailed":
                    # s3fs makes a 412 FileExistsError only when the answer names the
                    # If-None-Match condition; S3-compatible servers may leave it out
                    raise FileExistsError(str(exc)) from exc
                if code != "ConditionalRequestConflict" or attempt == _CONDITIONAL_RETRIES - 1:
                    raise
                # 409: another conditional write of this key is in flight; S3 says retry
                time.sleep(0.05 * 2**attempt)

    def _holds(self, path: str, data: bytes) -> bool:
        """Whether the object at ``path`` is ``data``. Only after a refused create: one ranged
        GET of at most ``len(data) + 1`` bytes (a longer object shows as one byte too many)."""
        self.fs.invalidate_cache(path)
        try:
            return bool(self.fs.cat_file(path, start=0, end=len(data) + 1) == data)
        except OSError:  # gone, or empty (S3 refuses a range of an empty object): not ours
            return False

    @property
    def _protocols(self) -> set[str]:
        p = self.fs.protocol
        return {p} if isinstance(p, str) else set(p)

    def exists(self, key: str) -> bool:
        path = self.arrow_path(key)
        self.fs.invalidate_cache(path)  # a cached listing may predate another writer
        return bool(self.fs.exists(path))

    def list(self, prefix: str) -> list[str]:
        return sorted(self.list_modified(prefix))

    def list_modified(self, prefix: str) -> dict[str, float | None]:
        """Keys under ``prefix`` with their modification times (S3's ``LastModified``, or
        ``mtime`` / ``created`` where the filesystem gives them), in one listing."""
        base = self.arrow_path(prefix)
        # s3fs's find always lists on the server, but it does not replace listings already in
        # its cache, which later reads and exists() consult: drop them, so that the fresh ones
        # are kept
        self.fs.invalidate_cache(base)
        try:
            found = self.fs.find(base, detail=True)
        except FileNotFoundError:
            return {}
        start = len(self.root) + 1
        out: dict[str, float | None] = {}
        for path, info in found.items():
            if info.get("type", "file") != "file":
                continue
            key = path[start:] if path.startswith(self.root + "/") else path
            try:
                out[check_key(key, store=self.url)] = _modified(info)
            except InvalidKeyError:
                continue  # not a key this store could have made: never read nor deleted
        return out

    def _delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):  # deleting what is gone is done
            self.fs.rm_file(self.arrow_path(key))

    def ensure_dir(self, key: str, *, defer_sync: bool = False) -> None:
        # fsspec's writes are as durable as the filesystem makes them: nothing to defer
        self._check_writable()
        path = self.arrow_path(key)  # checks the key
        if self._protocols & _OBJECT_STORES:
            return  # object stores have no directories
        self.fs.makedirs(path, exist_ok=True)

    def polars_options(self) -> tuple[str, dict[str, Any] | None] | None:
        if not self._protocols & {"s3", "s3a"}:
            return None
        return f"s3://{self.root}", _polars_s3_options(self.storage_options)


def _s3_error_code(exc: BaseException) -> str | None:
    """The S3 error code of ``exc`` or of the botocore error s3fs translated it from."""
    for err in (exc, exc.__cause__):
        response = getattr(err, "response", None)
        if isinstance(response, dict):
            code = response.get("Error", {}).get("Code")
            return None if code is None else str(code)
    return None


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


def _modified(info: dict[str, Any]) -> float | None:
    """A listing entry's modification time in POSIX seconds, if the filesystem gives one."""
    import datetime as dt

    for name in ("LastModified", "mtime", "last_modified", "created"):
        value = info.get(name)
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=dt.UTC)
            return value.timestamp()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None
