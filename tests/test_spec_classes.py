"""Custom spec classes: ``NamespaceCatalog(group_spec_cls, dataset_spec_cls,
spec_namespace_cls)`` loads specs as instances of the given subclasses (pynwb does this with
NWBGroupSpec, NWBDatasetSpec and NWBNamespace), with their own key names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hdmf_arrow.errors import SpecError
from hdmf_arrow.spec import DatasetSpec, GroupSpec, NamespaceCatalog, SpecNamespace
from hdmf_arrow.spec.catalog import core_catalog


class MyGroupSpec(GroupSpec):
    """A subclass that keeps the standard key names and adds a method."""

    def shout(self) -> str:
        return self.doc.upper()


class MyDatasetSpec(DatasetSpec):
    pass


class MyNamespace(SpecNamespace):
    pass


class _Keys:
    """Specs with their own key names, as NWB's once were: the constructor takes them."""

    @classmethod
    def def_key(cls) -> str:
        return "my_type_def"

    @classmethod
    def inc_key(cls) -> str:
        return "my_type_inc"


class KeyedGroupSpec(_Keys, GroupSpec):
    def __init__(self, doc: str, my_type_def: Any = None, my_type_inc: Any = None, **kw: Any):
        super().__init__(doc, data_type_def=my_type_def, data_type_inc=my_type_inc, **kw)


class KeyedDatasetSpec(_Keys, DatasetSpec):
    def __init__(self, doc: str, my_type_def: Any = None, my_type_inc: Any = None, **kw: Any):
        super().__init__(doc, data_type_def=my_type_def, data_type_inc=my_type_inc, **kw)


class KeyedNamespace(SpecNamespace):
    @classmethod
    def types_key(cls) -> str:
        return "my_types"


STANDARD = """\
groups:
- data_type_def: Trials
  data_type_inc: DynamicTable
  doc: trials of a session
  groups:
  - data_type_def: Inner
    doc: a nested type
    quantity: '?'
datasets:
- data_type_def: Speed
  data_type_inc: VectorData
  doc: a speed column
  dtype: float
"""

KEYED = """\
groups:
- my_type_def: Trials
  my_type_inc: DynamicTable
  doc: trials of a session
datasets:
- my_type_def: Speed
  my_type_inc: VectorData
  doc: a speed column
  dtype: float
"""


def write_namespace(folder: Path, specs: str, types_key: str = "data_types") -> Path:
    (folder / "ndx-t.yaml").write_text(specs)
    path = folder / "ndx-t.namespace.yaml"
    path.write_text(
        "namespaces:\n- name: ndx-t\n  doc: t\n  version: 0.1.0\n  schema:\n"
        f"  - namespace: hdmf-common\n    {types_key}: [DynamicTable, VectorData]\n"
        "  - source: ndx-t.yaml\n"
    )
    return path


def catalog_with(*classes: type) -> NamespaceCatalog:
    catalog = NamespaceCatalog(*classes)
    catalog.merge(core_catalog())
    return catalog


def test_the_catalog_names_its_classes() -> None:
    catalog = NamespaceCatalog(MyGroupSpec, MyDatasetSpec, MyNamespace)
    assert catalog.group_spec_cls is MyGroupSpec
    assert catalog.dataset_spec_cls is MyDatasetSpec
    assert catalog.spec_namespace_cls is MyNamespace
    plain = NamespaceCatalog()
    assert (plain.group_spec_cls, plain.dataset_spec_cls) == (GroupSpec, DatasetSpec)
    assert catalog.copy().group_spec_cls is MyGroupSpec


def test_loaded_specs_are_instances_of_the_given_classes(tmp_path: Path) -> None:
    catalog = catalog_with(MyGroupSpec, MyDatasetSpec, MyNamespace)
    catalog.load_namespaces(write_namespace(tmp_path, STANDARD))
    trials = catalog.get_spec("ndx-t", "Trials")
    assert isinstance(trials, MyGroupSpec)
    assert trials.shout() == "TRIALS OF A SESSION"
    assert isinstance(catalog.get_spec("ndx-t", "Inner"), MyGroupSpec)  # nested definitions
    speed = catalog.get_spec("ndx-t", "Speed")
    assert isinstance(speed, MyDatasetSpec)
    assert speed.dtype == "float"
    assert isinstance(catalog.get_namespace("ndx-t"), MyNamespace)
    # resolution (inheritance merged in) keeps the class, and the included attributes
    assert {"colnames", "description"} <= {a.name for a in trials.attributes}
    as_written = catalog.get_namespace("ndx-t").get_spec("Trials", resolved=False)
    assert isinstance(as_written, MyGroupSpec)
    # namespaces merged from another catalog keep their own classes
    assert type(catalog.get_spec("hdmf-common", "DynamicTable")) is GroupSpec
    assert catalog.get_hierarchy("ndx-t", "Trials")[:2] == ("Trials", "DynamicTable")


def test_subclasses_with_their_own_key_names(tmp_path: Path) -> None:
    catalog = catalog_with(KeyedGroupSpec, KeyedDatasetSpec, KeyedNamespace)
    result = catalog.load_namespaces(write_namespace(tmp_path, KEYED, types_key="my_types"))
    assert "DynamicTable" in result["ndx-t"]["hdmf-common"]
    trials = catalog.get_spec("ndx-t", "Trials")
    assert isinstance(trials, KeyedGroupSpec)
    assert trials["my_type_def"] == "Trials"
    assert trials.data_type_def == "Trials"
    assert trials.data_type_inc == "DynamicTable"
    speed = catalog.get_spec("ndx-t", "Speed")
    assert isinstance(speed, KeyedDatasetSpec)
    assert speed["my_type_inc"] == "VectorData"
    namespace = catalog.get_namespace("ndx-t")
    assert isinstance(namespace, KeyedNamespace)
    assert namespace["schema"][0]["my_types"] == ["DynamicTable", "VectorData"]
    assert namespace["schema"][0].data_types == ("DynamicTable", "VectorData")
    assert catalog.get_spec("hdmf-common", "Data").data_type_def == "Data"


def test_a_catalog_of_other_key_names_also_reads_the_standard_ones(tmp_path: Path) -> None:
    """As hdmf's ``build_const_args`` of such classes maps ``data_type_def`` to theirs."""
    catalog = catalog_with(KeyedGroupSpec, KeyedDatasetSpec, KeyedNamespace)
    catalog.load_namespaces(write_namespace(tmp_path, STANDARD))
    trials = catalog.get_spec("ndx-t", "Trials")
    assert isinstance(trials, KeyedGroupSpec)
    assert trials["my_type_def"] == "Trials"
    assert "data_type_def" not in trials


def test_a_spec_with_both_key_names_is_refused(tmp_path: Path) -> None:
    both = KEYED.replace(
        "  my_type_inc: DynamicTable\n", "  my_type_inc: DynamicTable\n  data_type_inc: Data\n"
    )
    catalog = catalog_with(KeyedGroupSpec, KeyedDatasetSpec, KeyedNamespace)
    with pytest.raises(SpecError, match="given twice"):
        catalog.load_namespaces(write_namespace(tmp_path, both, types_key="my_types"))


def test_classes_that_are_not_spec_subclasses_are_refused() -> None:
    with pytest.raises(TypeError, match="expected GroupSpec or a subclass"):
        NamespaceCatalog(dict)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected SpecNamespace"):
        NamespaceCatalog(GroupSpec, DatasetSpec, GroupSpec)  # type: ignore[arg-type]
