"""Seed example: define a new data type in the HDMF schema language, with hdmf's classes.

The first half is the seed's code, unchanged but for the imports (``hdmf_arrow.spec`` and
``hdmf_arrow.common`` instead of ``hdmf.spec`` and ``hdmf.common``). The second half writes the
namespace to YAML (files that hdmf loads as well) and loads it back into a catalog.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hdmf_arrow.common import DynamicTable
from hdmf_arrow.spec import DatasetSpec, GroupSpec, NamespaceBuilder, NamespaceCatalog

# Define a new data type specification
spec = GroupSpec(
    doc="A custom data type",
    data_type_def="MyType",
    datasets=[DatasetSpec(doc="An example dataset", name="data", dtype="float")],
)

# Create a namespace for your specification
namespace_builder = NamespaceBuilder(
    doc="My extension", name="my_extension", full_name="My Custom Extension", version="0.1.0"
)
namespace_builder.add_spec("my_extension.yaml", spec)

# Working with DynamicTable
table = DynamicTable(name="example_table", description="An example table")
table.add_column("column1", "A string column", dtype="text")
table.add_row(column1="example data")


def main(outdir: str | Path) -> NamespaceCatalog:
    """Export the namespace to ``outdir``, load it back and print what the catalog holds."""
    data = spec.get_dataset("data")
    print(f"{spec.data_type_def}: {spec.doc}; dataset 'data' of dtype {data.dtype!r}")
    written = namespace_builder.export("my_extension.namespace.yaml", outdir=outdir)
    print("Wrote", ", ".join(path.name for path in written))

    catalog = NamespaceCatalog()
    loaded = catalog.load_namespaces(Path(outdir) / "my_extension.namespace.yaml")
    print(f"Loaded namespaces: {sorted(loaded)}")
    namespace = catalog.get_namespace("my_extension")
    print(f"{namespace.full_name} {namespace.version}: types {namespace.get_registered_types()}")
    print(f"Round trip equal: {catalog.get_spec('my_extension', 'MyType') == spec}")

    print(f"Table {table.name!r}: {len(table)} row(s), columns {table.colnames}")
    print(f"column1: {list(table['column1'][:])}")
    return catalog


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        main(tmp)
