"""The ``hdmf-arrow`` command: look into stores from the shell.

Exit codes, for every command:

- 0: done (``validate``: no issues);
- 1: issues found (``validate``: the data; ``validate-spec``: the spec files);
- 2: could not check: a bad option, or a location that cannot be opened or read (not a
  store, a damaged manifest, an unknown protocol, a missing backend package such as s3fs,
  credentials missing or refused, an unreachable endpoint).

A user's error is printed as ``error: ...`` (with the notes the library added, and a hint),
never as a traceback: hdmf-arrow's own errors, OSError (unreadable, refused, unreachable),
ImportError (a missing backend), and whatever a filesystem backend (fsspec, s3fs, botocore)
raises about a location, its credentials or its options. hdmf-arrow's warnings are printed as
``warning: ...`` lines. An exception that
nothing here expects is a bug in hdmf-arrow, and hiding it would hide the bug: its traceback
is printed, then an ``error: internal error ...`` line asking for a report, and the exit code
is 2 (nothing was checked).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import math
import sys
import traceback
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from hdmf_arrow import api
from hdmf_arrow.errors import (
    CorruptStoreError,
    FormatVersionError,
    HdmfArrowError,
    HdmfArrowWarning,
    SpecError,
    UnsafePathError,
)
from hdmf_arrow.io import ParquetIO
from hdmf_arrow.io._describe import describe_containers
from hdmf_arrow.io._layout import versions as stored_versions
from hdmf_arrow.io.hdf5 import HDF5IO, export_hdf5, import_hdf5, is_hdf5
from hdmf_arrow.storage import make_store

if TYPE_CHECKING:
    from collections.abc import Iterator

    from hdmf_arrow.io import VersionInfo

# Packages that reach a location for us: what they raise is about the location, its
# credentials or its options (the user's to fix), not a bug of ours.
_BACKENDS = frozenset(
    {"fsspec", "s3fs", "botocore", "aiobotocore", "aiohttp", "gcsfs", "adlfs", "azure"}
)
_LONGEST = 500  # characters of a message from another package that are shown


def _options(
    ctx: click.Context, param: click.Parameter, pairs: tuple[str, ...]
) -> dict[str, str] | None:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            msg = f"{pair!r:.60} is not key=value (e.g. -o endpoint_url=http://127.0.0.1:9000)"
            raise click.BadParameter(msg, ctx=ctx, param=param)
        out[key] = value
    return out or None


def _grace(ctx: click.Context, param: click.Parameter, seconds: float) -> dt.timedelta:
    """--older-than as a timedelta: a finite number of seconds, 0 or more, that a timedelta
    holds (up to ~2.7 million years)."""
    grace = None
    if seconds >= 0:  # not nan, not negative
        with contextlib.suppress(OverflowError):
            grace = dt.timedelta(seconds=seconds)
    if grace is None:
        msg = f"{seconds!r} is not a number of seconds >= 0 that a grace period can hold"
        raise click.BadParameter(msg, ctx=ctx, param=param)
    return grace


_storage_option = click.option(
    "-o",
    "--storage-option",
    "storage",
    multiple=True,
    callback=_options,
    help="key=value for the filesystem (s3fs: key, secret, endpoint_url, anon, ...).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hdmf-arrow")
def main() -> None:
    """Inspect hdmf-arrow stores (local paths, file://, s3://, memory://, ...), and convert
    HDF5 (NWB) files to stores and back."""


@main.command()
@click.argument("location")
@click.option("--version", "version", type=int, default=None, help="Show this version.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON (stores).")
@_storage_option
def info(location: str, version: int | None, as_json: bool, storage: dict[str, str] | None) -> None:
    """Print the tree of LOCATION (types, rows, columns) and its versions; LOCATION may
    also be an HDF5 (NWB) file. With --json, the manifest and the versions of a store."""
    with _guard(location):
        if (as_json or version is not None) and is_hdf5(location, storage):
            _no_versions(location, "--json" if as_json else "--version")
        if as_json:
            with ParquetIO(location, "r", version=version, storage_options=storage) as io:
                doc = {
                    "store": io.store.url,
                    "version": io.version,
                    "versions": [dataclasses.asdict(v) for v in io.versions()],
                    "root": io.manifest,
                }
            click.echo(_json(doc))
            return
        if is_hdf5(location, storage):
            with HDF5IO(location, "r", storage_options=storage) as h5:
                text = "\n".join([f"HDF5 file {location}", *describe_containers(h5.read())])
        else:
            with ParquetIO(location, "r", version=version, storage_options=storage) as io:
                text = io.describe()
    click.echo(text)


@main.command()
@click.argument("location")
@click.option("--table", default=None, help="Only this table (a name or path, 'session/units').")
@click.option(
    "--min-files", default=2, show_default=True, help="Compact tables with this many files."
)
@_storage_option
def compact(
    location: str, table: str | None, min_files: int, storage: dict[str, str] | None
) -> None:
    """Rewrite the tables of LOCATION that appends left in many files into one file each,
    as a new version (the old files stay until vacuum)."""
    with _guard(location), ParquetIO(location, "a", storage_options=storage) as io:
        version = io.compact(table, min_files=min_files)
    if version is None:
        click.echo(f"{location}: no table has {min_files} or more files; nothing written")
    else:
        click.echo(f"{location}: compacted as version {version}")


@main.command()
@click.argument("location")
@click.option(
    "--older-than",
    "grace",
    type=float,
    default=3600.0,
    show_default=True,
    callback=_grace,
    help="Grace period, in seconds.",
)
@click.option("--retain-versions", type=int, default=None, help="Keep only the newest N.")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
@_storage_option
def vacuum(
    location: str,
    grace: dt.timedelta,
    retain_versions: int | None,
    dry_run: bool,
    storage: dict[str, str] | None,
) -> None:
    """Delete what no retained version of LOCATION uses (files older than the grace period,
    and with --retain-versions the versions before the newest N)."""
    with _guard(location), ParquetIO(location, "a", storage_options=storage) as io:
        deleted = io.vacuum(older_than=grace, retain_versions=retain_versions, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{location}: {verb} {len(deleted)} file(s)")
    for key in deleted:
        click.echo(f"  {key}")


@main.command()
@click.argument("location")
@click.option("--json", "as_json", is_flag=True, help="Print the versions as JSON.")
@_storage_option
def history(location: str, as_json: bool, storage: dict[str, str] | None) -> None:
    """Print every committed version of the store at LOCATION, newest first: number, time,
    operation and summary."""
    with _guard(location):
        versions = _history(location, storage)
    if as_json:
        click.echo(_json([dataclasses.asdict(v) for v in versions]))
        return
    for v in versions:
        click.echo(f"{v.version:>6}  {v.created:<29}  {v.operation:<10}  {v.summary}")


def _json(doc: object) -> str:
    """``doc`` as standard JSON, which has no NaN or Infinity (a manifest may hold them, as
    Python's json module writes them): such a number is given as the text "NaN",
    "Infinity" or "-Infinity", so that jq and other JSON parsers read the output."""

    def clean(value: object) -> object:
        if isinstance(value, float) and not math.isfinite(value):
            return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    return json.dumps(clean(doc), indent=2, allow_nan=False)


def _no_versions(location: str, option: str) -> NoReturn:
    msg = f"{option} is for a store's versions; {location} is an HDF5 file, which has none"
    raise click.UsageError(msg)


def _history(location: str, storage: dict[str, str] | None) -> list[VersionInfo]:
    """The versions of the store, newest first; when the newest manifest cannot be read, as
    the newest version that can be read lists them (the damaged ones with the reason), with
    a warning: listing the versions is how a user finds one to open."""
    try:
        with ParquetIO(location, "r", storage_options=storage) as io:
            return io.history()
    except UnsafePathError:
        raise
    except (CorruptStoreError, FormatVersionError) as exc:
        first = exc
    store = make_store(location, storage_options=storage, read_only=True)
    for n in reversed(stored_versions(store)):
        try:
            with ParquetIO(store, "r", version=n) as io:
                found = io.history()
        except (CorruptStoreError, FormatVersionError):
            continue
        newest = found[0].version
        msg = f"version {newest} of {location} cannot be read ({_text(first, limit=_LONGEST)})"
        warnings.warn(msg, HdmfArrowWarning, stacklevel=2)
        return found
    raise first


@main.command()
@click.argument("source")
@click.argument("destination")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when the terminal is interactive).",
)
@click.option("--version", "version", type=int, default=None, help="Export this version.")
@_storage_option
def convert(
    source: str,
    destination: str,
    progress: bool | None,
    version: int | None,
    storage: dict[str, str] | None,
) -> None:
    """Convert SOURCE to DESTINATION: an HDF5 (NWB) file into a new store, or a store into
    an HDF5 file in hdmf's layout (which pynwb and hdmf open)."""
    shown = sys.stderr.isatty() if progress is None else progress
    with _guard(source):
        if "://" not in source and not Path(source).exists():
            msg = f"{source} does not exist"
            raise FileNotFoundError(msg)
        if is_hdf5(source, storage):
            if version is not None:
                _no_versions(source, "--version")
            if destination.lower().endswith((".h5", ".hdf5", ".nwb")):
                msg = (
                    f"{source} is an HDF5 file, so DESTINATION is a store (a folder), not "
                    f"{destination!r}. Hint: give a store path such as session.hdmf."
                )
                raise click.UsageError(msg)
            made = import_hdf5(
                source,
                destination,
                storage_options=storage,
                hdf5_storage_options=storage,
                progress=shown,
            )
            click.echo(f"{source} -> {destination} (store version {made})")
        else:
            export_hdf5(
                source,
                destination,
                version=version,
                storage_options=storage,
                hdf5_storage_options=storage,
                mode="w-",
                progress=shown,
            )
            click.echo(f"{source} -> {destination} (HDF5)")


@main.command(name="validate")
@click.argument("location")
@click.option("--version", "version", type=int, default=None, help="Check this version.")
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@_storage_option
def validate_command(
    location: str, version: int | None, as_json: bool, storage: dict[str, str] | None
) -> None:
    """Check LOCATION's data (a store, or an HDF5 file); exit 0 when valid, 1 with the
    issues listed, 2 if unreadable."""
    with _guard(location):
        if version is not None and is_hdf5(location, storage):
            _no_versions(location, "--version")
        issues = api.validate(location, version=version, storage_options=storage)
    if as_json:
        click.echo(_json([i.to_dict() for i in issues]))
    elif issues:
        click.echo(f"{location}: {len(issues)} problem(s)")
        for issue in issues:
            click.echo(f"  {issue}")
    else:
        click.echo(f"{location}: valid")
    sys.exit(1 if issues else 0)


@main.command(name="validate-spec")
@click.argument("namespace_file", type=click.Path(exists=True, dir_okay=False))
def validate_spec_command(namespace_file: str) -> None:
    """Check a namespace YAML file and the spec files it names; exit 0 if valid, 1 if not,
    2 if a file cannot be read."""
    try:
        with _guard(namespace_file):
            found = api.validate_spec(namespace_file)
    except _SpecInvalid as exc:
        click.echo(f"error: {_text(exc.error)}", err=True)
        sys.exit(1)
    for name, types in found.items():
        click.echo(f"{name}: valid, {len(types)} type(s): {', '.join(types)}")


class _SpecInvalid(Exception):
    """A SpecError seen by ``_guard``: for validate-spec an issue found (exit 1), not a
    failure to check."""

    def __init__(self, error: SpecError) -> None:
        super().__init__(str(error))
        self.error = error


@contextlib.contextmanager
def _guard(location: str) -> Iterator[None]:
    """Run a command's work: warnings become ``warning:`` lines, and errors ``error:`` lines
    with exit code 2 (see the module docstring)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always", HdmfArrowWarning)  # others: as Python filters them
        try:
            yield
        except click.ClickException:
            raise
        except SpecError as exc:
            _warn(seen)
            raise _SpecInvalid(exc) from exc
        except Exception as exc:
            _warn(seen)
            _fail(exc, location)
    _warn(seen)


def _warn(seen: list[warnings.WarningMessage]) -> None:
    for w in seen:
        click.echo(f"warning: {w.message}", err=True)
    seen.clear()


def _fail(exc: Exception, location: str) -> NoReturn:
    if isinstance(exc, HdmfArrowError):
        click.echo(f"error: {_text(exc)}", err=True)
    elif isinstance(exc, OSError | ImportError) or _from_backend(exc):
        text = _text(exc, limit=_LONGEST)
        shown = text if location in text else f"cannot open {location}: {text}"
        click.echo(f"error: {shown}", err=True)
        hint = _hint(exc, location)
        if hint:
            click.echo(f"hint: {hint}", err=True)
    else:
        traceback.print_exception(exc, file=sys.stderr)
        click.echo(
            f"error: internal error: hdmf-arrow did not expect {type(exc).__name__} here "
            f"({str(exc)[:200]}). This is a bug in hdmf-arrow; please report it with the "
            f"traceback above.",
            err=True,
        )
    sys.exit(2)


def _text(exc: BaseException, *, limit: int | None = None) -> str:
    """The message and the notes the library added (where it was reading), one per line."""
    text = str(exc) or type(exc).__name__
    if limit is not None and len(text) > limit:
        text = text[:limit] + "..."
    if not isinstance(exc, HdmfArrowError) and type(exc).__module__ != "builtins":
        text = f"{type(exc).__name__}: {text}"  # botocore's NoCredentialsError, ...
    notes: list[str] = getattr(exc, "__notes__", [])
    return "\n".join([text, *(f"  {n}" for n in notes)])


def _from_backend(exc: BaseException) -> bool:
    """Whether a filesystem backend (fsspec, s3fs, botocore, ...) raised ``exc``: its class
    is theirs, or the innermost frame of its traceback is in their code."""
    if type(exc).__module__.split(".")[0] in _BACKENDS:
        return True
    tb, module = exc.__traceback__, ""
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        tb = tb.tb_next
    return module.split(".")[0] in _BACKENDS


def _hint(exc: BaseException, location: str) -> str:
    protocol = location.split("://", 1)[0] if "://" in location else ""
    text = str(exc).lower()
    if isinstance(exc, ImportError):
        package = {"s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs"}.get(protocol)
        return f"pip install {package or 'the fsspec backend of ' + repr(protocol)}"
    if "protocol not known" in text:
        return (
            f"{protocol!r:.40} is not a protocol fsspec knows; use a local path, file://, "
            f"memory://, s3://, or another fsspec URL"
        )
    if isinstance(exc, PermissionError) or "credential" in text or "access" in text:
        return (
            "check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE, "
            "or -o key=... -o secret=...) and the endpoint (-o endpoint_url=...)"
        )
    if isinstance(exc, TypeError):
        return "check the storage options (-o key=value): the filesystem refused one of them"
    if isinstance(exc, ConnectionError) or "connect" in text:
        return "check the endpoint (-o endpoint_url=...) and the network"
    return ""


if __name__ == "__main__":
    main()
