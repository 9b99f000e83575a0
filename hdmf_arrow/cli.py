"""The ``hdmf-arrow`` command: look into stores from the shell."""

from __future__ import annotations

import json
import sys

import click

from hdmf_arrow import api
from hdmf_arrow.errors import HdmfArrowError
from hdmf_arrow.io import ParquetIO


def _options(pairs: tuple[str, ...]) -> dict[str, str] | None:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            msg = f"storage option {pair!r} is not key=value"
            raise click.BadParameter(msg)
        out[key] = value
    return out or None


@click.group()
@click.version_option(package_name="hdmf-arrow")
def main() -> None:
    """Inspect hdmf-arrow stores (local paths, file://, s3://, memory://, ...)."""


@main.command()
@click.argument("location")
@click.option("--version", "version", type=int, default=None, help="Show this version.")
@click.option(
    "-o", "--storage-option", "storage", multiple=True, help="key=value for the filesystem."
)
def info(location: str, version: int | None, storage: tuple[str, ...]) -> None:
    """Print the tree of LOCATION (types, rows, columns) and its versions."""
    try:
        with ParquetIO(location, "r", version=version, storage_options=_options(storage)) as io:
            click.echo(io.describe())
    except (HdmfArrowError, FileNotFoundError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@main.command(name="validate")
@click.argument("location")
@click.option("--version", "version", type=int, default=None, help="Check this version.")
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@click.option(
    "-o", "--storage-option", "storage", multiple=True, help="key=value for the filesystem."
)
def validate_command(
    location: str, version: int | None, as_json: bool, storage: tuple[str, ...]
) -> None:
    """Check LOCATION's data; exit 0 when valid, 1 with the issues listed, 2 if unreadable."""
    try:
        issues = api.validate(location, version=version, storage_options=_options(storage))
    except (HdmfArrowError, FileNotFoundError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in issues], indent=2))
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
    """Check a namespace YAML file and the spec files it names; exit 0 if valid, 1 if not."""
    try:
        found = api.validate_spec(namespace_file)
    except (HdmfArrowError, OSError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for name, types in found.items():
        click.echo(f"{name}: valid, {len(types)} type(s): {', '.join(types)}")


if __name__ == "__main__":
    main()
