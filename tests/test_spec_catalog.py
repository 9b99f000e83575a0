"""SpecCatalog: the registry of specs by data type that hdmf's tooling builds by hand."""

from __future__ import annotations

import copy

import pytest

from hdmf_arrow.spec import DatasetSpec, GroupSpec, SpecCatalog


def _catalog() -> SpecCatalog:
    catalog = SpecCatalog()
    inner = DatasetSpec(doc="inner", data_type_def="Inner")
    catalog.auto_register(
        GroupSpec(doc="base", data_type_def="Base", datasets=[inner]), "base.yaml"
    )
    catalog.register_spec(GroupSpec(doc="a", data_type_def="A", data_type_inc="Base"), "a.yaml")
    catalog.register_spec(GroupSpec(doc="b", data_type_def="B", data_type_inc="A"))
    return catalog


def test_types_sources_hierarchy_and_subtypes() -> None:
    catalog = _catalog()
    assert catalog.get_registered_types() == ("Base", "Inner", "A", "B")
    assert catalog.get_spec_source_file("Inner") == "base.yaml"
    assert catalog.get_spec_source_file("B") is None
    assert catalog.get_spec("nope") is None
    assert catalog.get_hierarchy("B") == ("B", "A", "Base")
    assert catalog.get_subtypes("Base") == ("A", "B")
    assert catalog.get_subtypes("Base", recursive=False) == ("A",)
    assert catalog.get_full_hierarchy() == {"Base": {"A": {"B": {}}}, "Inner": {}}


def test_refusals() -> None:
    catalog = _catalog()
    with pytest.raises(ValueError, match="no data_type_def"):
        catalog.register_spec(GroupSpec(doc="x", data_type_inc="Base"))
    with pytest.raises(ValueError, match="cannot overwrite"):
        catalog.register_spec(GroupSpec(doc="other", data_type_def="A"))
    catalog.register_spec(catalog.get_spec("A"))  # the same spec again is fine
    with pytest.raises(TypeError, match="expected a GroupSpec or DatasetSpec"):
        catalog.register_spec("A")  # type: ignore[arg-type]


def test_a_circular_hierarchy_is_named() -> None:
    catalog = SpecCatalog()
    catalog.register_spec(GroupSpec(doc="x", data_type_def="X", data_type_inc="Y"))
    catalog.register_spec(GroupSpec(doc="y", data_type_def="Y", data_type_inc="X"))
    with pytest.raises(ValueError, match=r"Circular reference .* for X"):
        catalog.get_hierarchy("X")


def test_copies_are_independent() -> None:
    catalog = _catalog()
    for other in (copy.copy(catalog), copy.deepcopy(catalog)):
        other.register_spec(GroupSpec(doc="c", data_type_def="C"))
        assert "C" not in catalog.get_registered_types()
        assert other.get_hierarchy("B") == ("B", "A", "Base")


def test_unnamed_dimensions_are_accepted_as_in_hdmf() -> None:
    from hdmf_arrow.spec import dump_specs, load_specs

    spec = DatasetSpec("d", "int", name="x", dims=(None, None), data_type_def="E")
    assert spec.dims == (None, None)
    assert load_specs(dump_specs([spec]))[0] == spec
    with pytest.raises(ValueError, match="dimension names must be strings"):
        DatasetSpec("d", "int", name="x", dims=(1, 2), data_type_def="E")
