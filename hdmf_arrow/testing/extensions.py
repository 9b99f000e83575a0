"""``write_extension``: a namespace of new types, exported as YAML, in one call (for tests)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hdmf_arrow.spec import NamespaceBuilder

if TYPE_CHECKING:
    from pathlib import Path

    from hdmf_arrow.spec import DatasetSpec, GroupSpec


def write_extension(
    outdir: Path,
    name: str,
    *specs: GroupSpec | DatasetSpec,
    version: str = "0.1.0",
    includes: tuple[str, ...] = ("hdmf-common",),
) -> Path:
    """Export ``specs`` as namespace ``name`` (including ``includes``) into ``outdir``; returns
    the path of ``<name>.namespace.yaml``, ready for ``load_namespaces``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from hdmf_arrow.spec import GroupSpec
    >>> spec = GroupSpec(doc="t", data_type_def="T", data_type_inc="DynamicTable")
    >>> write_extension(pathlib.Path(tempfile.mkdtemp()), "ndx-t", spec).name
    'ndx-t.namespace.yaml'
    """
    builder = NamespaceBuilder(
        doc=f"{name} (test extension)",
        name=name,
        full_name=name,
        version=version,
        author="tests",
        contact="tests@example.org",
    )
    for namespace in includes:
        builder.include_namespace(namespace)
    for spec in specs:
        builder.add_spec(f"{name}.extensions.yaml", spec)
    builder.export(f"{name}.namespace.yaml", outdir=outdir)
    return outdir / f"{name}.namespace.yaml"
