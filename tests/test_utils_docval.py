"""hdmf_arrow.utils (docval, get_docval, popargs, ...) and the __docval__ of the model's classes.

Extension classes are written the pynwb / ndx-* way, once with hdmf.utils and once with ours.
"""

from __future__ import annotations

import importlib
import inspect
import warnings
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import hdmf_arrow.common as common
from hdmf_arrow import utils
from hdmf_arrow.common import (
    AlignedDynamicTable,
    Container,
    DynamicTable,
    DynamicTableRegion,
    VectorData,
    VectorIndex,
)
from hdmf_arrow.common._docval import _ARGS, describe_init, stale_descriptions
from hdmf_arrow.errors import InvalidArgumentError, InvalidArgumentTypeError
from hdmf_arrow.utils import (
    AllowPositional,
    check_type,
    docval,
    get_data_shape,
    get_docval,
    getargs,
    popargs,
    popargs_to_dict,
)

HDMF_UTILS = ["hdmf_arrow.utils"]
if importlib.util.find_spec("hdmf") is not None:
    HDMF_UTILS.append("hdmf.utils")


def _units_class(u: object) -> type[DynamicTable]:
    """A Units-like extension, as pynwb writes it, with the docval of module ``u``."""

    class Units(DynamicTable):
        __columns__ = (
            {"name": "spike_times", "description": "spike times of each unit", "index": True},
            {
                "name": "electrodes",
                "description": "electrodes of each unit",
                "index": True,
                "table": True,
                "required": True,
            },
        )

        @u.docval(  # type: ignore[attr-defined, misc]
            {"name": "name", "type": str, "doc": "name of this table", "default": "units"},
            *u.get_docval(DynamicTable.__init__, "id", "columns", "colnames"),  # type: ignore[attr-defined]
            {
                "name": "electrode_table",
                "type": DynamicTable,
                "doc": "the table the electrodes column points at",
                "default": None,
            },
            {"name": "waveform_rate", "type": float, "doc": "sampling rate", "default": None},
        )
        def __init__(self, **kwargs: object) -> None:
            electrode_table, rate = u.popargs("electrode_table", "waveform_rate", kwargs)  # type: ignore[attr-defined]
            kwargs["description"] = "data on spike-sorted units"
            super().__init__(**kwargs)  # type: ignore[arg-type]
            self.waveform_rate = rate
            if electrode_table is not None:
                self["electrodes"].target.table = electrode_table

    return Units


@pytest.fixture(params=HDMF_UTILS)
def u(request: pytest.FixtureRequest) -> object:
    return importlib.import_module(request.param)


def _electrodes() -> DynamicTable:
    table = DynamicTable(name="electrodes", description="probe sites")
    table.add_column("location", "brain area")
    for area in ["CA1", "CA1", "CA3"]:
        table.add_row(location=area)
    return table


def test_extension_class_pynwb_way(u: object) -> None:
    units_cls = _units_class(u)
    electrodes = _electrodes()
    units = units_cls(electrode_table=electrodes, waveform_rate=30000.0)
    units.add_row(spike_times=[0.1, 0.2], electrodes=[0, 1])
    units.add_row(spike_times=[0.3], electrodes=[2])
    assert list(units[1, "spike_times"]) == [0.3]
    assert units.name == "units"
    assert units.description == "data on spike-sorted units"
    assert units.waveform_rate == 30000.0
    assert units["electrodes"].target.table is electrodes
    frame = units["electrodes"][0]
    assert frame["location"].tolist() == ["CA1", "CA1"]


def test_extension_class_passes_columns_and_ids(u: object) -> None:
    units_cls = _units_class(u)
    spikes = VectorData(name="spike_times", description="spikes", data=[1.0, 2.0, 3.0])
    index = VectorIndex(name="spike_times_index", data=[1, 3], target=spikes)
    units = units_cls(name="u2", id=[5, 6], columns=[spikes, index])
    assert units.id.data.tolist() == [5, 6]
    assert list(units[1, "spike_times"]) == [2.0, 3.0]


def test_extension_class_checks_types(u: object) -> None:
    units_cls = _units_class(u)
    with pytest.raises(TypeError, match="electrode_table"):
        units_cls(electrode_table="not a table")
    with pytest.raises(TypeError, match="waveform_rate"):
        units_cls(waveform_rate=30000)  # an int is not a float, as in hdmf
    with pytest.raises(TypeError, match="unrecognized argument: 'colour'"):
        units_cls(colour="red")
    with pytest.raises(TypeError, match=r"Units\.__init__"):
        units_cls(id="abc")


def test_hdmf_and_ours_read_the_same_docval() -> None:
    hdmf_utils = pytest.importorskip("hdmf.utils")
    for cls in _ARGS:
        ours = get_docval(cls.__init__)
        theirs = hdmf_utils.get_docval(cls.__init__)
        assert [a["name"] for a in ours] == [a["name"] for a in theirs], cls
        assert ours, cls


@pytest.mark.parametrize("cls", list(_ARGS), ids=lambda c: c.__name__)
def test_docval_matches_signature(cls: type) -> None:
    """Every parameter of every model __init__ is described, with the signature's default."""
    params = {
        p.name: p
        for p in inspect.signature(cls.__init__).parameters.values()  # type: ignore[misc]
        if p.name != "self" and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    }
    described = {a["name"]: a for a in get_docval(cls.__init__)}  # type: ignore[misc]
    assert set(described) == set(params)
    for name, p in params.items():
        if p.default is p.empty:
            assert "default" not in described[name], name
        else:
            assert described[name]["default"] == p.default, name
        assert described[name]["doc"], name


def test_descriptions_are_up_to_date() -> None:
    for cls, args in _ARGS.items():
        assert stale_descriptions(cls, args) == [], cls.__name__
    assert stale_descriptions(Container, {"name": (str, "the name"), "x": (int, "")}) == [
        "object_id: not described",
        "x: not a parameter",
    ]
    described = describe_init(Container, {"name": (str, "the name")})
    assert described[1] == {"name": "object_id", "type": None, "doc": "", "default": None}


def test_the_hdmf_common_classes_have_docval() -> None:
    for name in [
        "Container",
        "Data",
        "VectorData",
        "VectorIndex",
        "ElementIdentifiers",
        "DynamicTableRegion",
        "DynamicTable",
        "AlignedDynamicTable",
        "EnumData",
        "CSRMatrix",
        "SimpleMultiContainer",
        "MeaningsTable",
    ]:
        assert get_docval(getattr(common, name).__init__), name


def test_docval_required_first_and_defaults_deep_copied() -> None:
    @docval(
        {"name": "items", "type": list, "doc": "items", "default": []},
        {"name": "name", "type": str, "doc": "a name"},
        is_method=False,
    )
    def f(**kwargs: object) -> object:
        kwargs["items"].append(1)  # type: ignore[attr-defined]
        return kwargs

    assert [a["name"] for a in get_docval(f)] == ["name", "items"]
    assert f("a") == {"name": "a", "items": [1]}
    assert f("b") == {"name": "b", "items": [1]}  # the default was copied
    assert list(inspect.signature(f).parameters) == ["name", "items"]


def test_docval_errors_name_the_function_and_each_argument() -> None:
    @docval(
        {"name": "a", "type": int, "doc": "a"},
        {"name": "b", "type": ("array_data", str), "doc": "b"},
        {"name": "mode", "type": str, "doc": "m", "default": "r", "enum": ["r", "w"]},
        {"name": "shape", "type": "array_data", "doc": "s", "default": None, "shape": (None, 2)},
        is_method=False,
    )
    def g(**kwargs: object) -> object:
        return kwargs

    with pytest.raises(InvalidArgumentTypeError, match=r"g: missing argument 'a', missing arg"):
        g()
    with pytest.raises(InvalidArgumentTypeError, match=r"incorrect type for 'b' \(got 'int'"):
        g(1, 2)
    with pytest.raises(InvalidArgumentTypeError, match="None is not allowed for 'a'"):
        g(None, "x")
    with pytest.raises(InvalidArgumentTypeError, match="got multiple values for argument 'a'"):
        g(1, "x", a=2)
    with pytest.raises(InvalidArgumentTypeError, match="expected at most 4 arguments"):
        g(1, "x", "r", None, 5)
    with pytest.raises(InvalidArgumentError, match=r"forbidden value for 'mode' \(got 'x'"):
        g(1, "x", mode="x")
    with pytest.raises(InvalidArgumentError, match=r"incorrect shape for 'shape': got \(3,\)"):
        g(1, "x", shape=[1, 2, 3])
    assert g(np.int8(1), [1], shape=np.zeros((4, 2)))["mode"] == "r"


def test_docval_positional_policy_and_extras() -> None:
    @docval(
        {"name": "a", "type": int, "doc": "a"},
        is_method=False,
        allow_positional=AllowPositional.ERROR,
    )
    def kw_only(**kwargs: object) -> object:
        return kwargs

    assert kw_only(a=1) == {"a": 1}
    with pytest.raises(InvalidArgumentTypeError, match="only keyword arguments"):
        kw_only(1)

    @docval({"name": "a", "type": int, "doc": "a"}, allow_positional=AllowPositional.WARNING)
    def method(self: object, **kwargs: object) -> object:
        return kwargs

    with pytest.warns(FutureWarning, match="pass them by keyword"):
        method(None, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        method(None, a=1)

    @docval({"name": "a", "type": int, "doc": "a"}, allow_extra=True, is_method=False)
    def extra(**kwargs: object) -> object:
        return kwargs

    assert extra(1, b=2) == {"a": 1, "b": 2}


def test_docval_rejects_bad_descriptions() -> None:
    with pytest.raises(InvalidArgumentError, match=r"keys \['colour'\] are not supported"):
        docval({"name": "a", "type": int, "doc": "a", "colour": 1})(lambda **kw: kw)
    with pytest.raises(InvalidArgumentError, match="duplicated"):
        docval({"name": "a", "type": int, "doc": ""}, {"name": "a", "type": int, "doc": ""})(
            lambda **kw: kw
        )
    with pytest.raises(InvalidArgumentError, match="allow_none=True needs a default"):
        docval({"name": "a", "type": int, "doc": "", "allow_none": True})(lambda **kw: kw)
    with pytest.raises(InvalidArgumentError, match="enum values"):
        docval({"name": "a", "type": str, "doc": "", "enum": [1]})(lambda **kw: kw)
    with pytest.raises(InvalidArgumentTypeError, match="an argument type must be"):
        docval({"name": "a", "type": 3, "doc": ""})(lambda **kw: kw)


def test_get_docval_errors_and_plain_functions() -> None:
    def plain() -> None: ...

    assert get_docval(plain) == ()
    with pytest.raises(InvalidArgumentError, match="has no docval arguments"):
        get_docval(plain, "x")
    with pytest.raises(InvalidArgumentError, match=r"no docval argument\(s\) \['nope'\]"):
        get_docval(DynamicTable.__init__, "id", "nope")


def test_getargs_popargs() -> None:
    kwargs = {"a": 1, "b": 2, "c": 3}
    assert getargs("a", kwargs) == 1
    assert getargs("a", "c", kwargs) == [1, 3]
    assert popargs("b", kwargs) == 2
    assert kwargs == {"a": 1, "c": 3}
    assert popargs_to_dict(["a"], kwargs) == {"a": 1}
    assert kwargs == {"c": 3}
    with pytest.raises(InvalidArgumentError, match=r"\['zz'\] not found in dict"):
        popargs("c", "zz", kwargs)
    assert kwargs == {"c": 3}  # a failed pop removes nothing
    with pytest.raises(InvalidArgumentError, match="at least one name"):
        getargs(kwargs)
    with pytest.raises(InvalidArgumentTypeError, match="must be a dict"):
        getargs("a", ["a"])


def test_check_type_rules() -> None:
    assert check_type(True, int)  # as in hdmf: bool is an int
    assert not check_type(1, float)
    assert check_type(np.float32(1), "float")
    assert check_type(np.uint8(1), "uint")
    assert not check_type(1, "uint")
    assert check_type(pa.array([1]), "array_data")
    assert check_type(VectorData(name="v", description="d", data=[1]), "data")
    assert check_type(VectorData(name="v", description="d"), "Container")  # a class name
    assert check_type(5, None)
    assert not check_type(None, int)
    assert check_type(None, int, allow_none=True)


def test_docval_macro_extends_a_type_list() -> None:
    @utils.docval_macro("test_macro_things")
    class Thing:
        pass

    @docval({"name": "x", "type": "test_macro_things", "doc": "x"}, is_method=False)
    def take(**kwargs: object) -> object:
        return kwargs["x"]

    thing = Thing()
    assert take(thing) is thing
    with pytest.raises(InvalidArgumentTypeError):
        take(1)
    with pytest.raises(InvalidArgumentError, match="no docval macro"):
        utils.get_docval_macro("no_such_macro")


@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4)))
def test_get_data_shape_of_lists_and_arrays(arr: np.ndarray) -> None:
    assert get_data_shape(arr) == arr.shape
    assert get_data_shape(arr.tolist()) == arr.shape
    assert get_data_shape(VectorData(name="v", description="d", data=arr)) == arr.shape


def test_get_data_shape_special_cases() -> None:
    assert get_data_shape("abc") is None
    assert get_data_shape({"a": 1}) is None
    assert get_data_shape([]) == (0,)
    assert get_data_shape(["ab", "cd"]) == (2,)
    assert get_data_shape(pa.array([[1, 2], [3]])) == (2, None)
    assert get_data_shape(pa.array([[1, 2]], type=pa.list_(pa.int8(), 2))) == (1, 2)
    assert get_data_shape(iter([1, 2]), strict_no_data_load=True) is None
    assert get_data_shape({1, 2, 3}, strict_no_data_load=True) == (3,)


@given(st.lists(st.lists(st.integers(), max_size=4), min_size=1, max_size=5))
def test_is_ragged_agrees_with_row_lengths(rows: list[list[int]]) -> None:
    assert utils.is_ragged(rows) == (len({len(r) for r in rows}) > 1)


def test_small_helpers() -> None:
    assert utils.to_uint_array(np.array([1, 2], dtype=np.int32)).dtype == np.uint32
    with pytest.raises(InvalidArgumentError, match="negative"):
        utils.to_uint_array([-1])
    with pytest.raises(InvalidArgumentError, match="dtype float64"):
        utils.to_uint_array([1.5])
    assert utils.pystr(b"x") == "x"
    assert utils.pystr("y") == "y"
    assert utils.is_newer_version("2.0.0", "1.99.0")
    assert not utils.is_newer_version("1.0.0", "1.0.0")


def test_generated_docstring_lists_arguments() -> None:
    doc = get_docval.__doc__ or ""
    assert "names" in doc
    dt_doc = _units_class(utils).__init__.__doc__ or ""
    assert "electrode_table (DynamicTable)" in dt_doc
    assert dt_doc.startswith("__init__(")


def test_region_and_aligned_docval_reused_by_extensions(u: object) -> None:
    class MyRegion(DynamicTableRegion):
        @u.docval(*u.get_docval(DynamicTableRegion.__init__))  # type: ignore[attr-defined, misc]
        def __init__(self, **kwargs: object) -> None:
            super().__init__(**kwargs)  # type: ignore[arg-type]

    table = _electrodes()
    region = MyRegion(name="r", data=[0, 2], description="sites", table=table)
    assert region.table is table
    assert region[1]["location"].tolist() == ["CA3"]

    class MyAligned(AlignedDynamicTable):
        @u.docval(  # type: ignore[attr-defined, misc]
            *u.get_docval(AlignedDynamicTable.__init__, "name", "category_tables")
        )
        def __init__(self, **kwargs: object) -> None:
            super().__init__(description="aligned", **kwargs)  # type: ignore[arg-type]

    aligned = MyAligned(name="a", category_tables=[_electrodes()])
    assert aligned.categories == ["electrodes"]


# -- MultiContainerInterface ---------------------------------------------------------------


class _Tables(common.MultiContainerInterface):
    __clsconf__ = {  # noqa: RUF012
        "attr": "tables",
        "type": DynamicTable,
        "add": "add_table",
        "get": "get_table",
        "create": "create_table",
    }


class _Mixed(common.MultiContainerInterface):
    __clsconf__ = [  # noqa: RUF012
        {"attr": "tables", "type": DynamicTable, "add": "add_table", "get": "get_table"},
        {"attr": "columns", "type": (VectorData,), "add": "add_column", "get": "get_column"},
    ]

    def __init__(self, name: str, tables: list[DynamicTable] | None = None) -> None:
        super().__init__(name=name)
        self.add_table(tables or [])


def test_mci_add_get_create() -> None:
    group = _Tables()
    assert group.name == "_Tables"  # the class name by default, as in hdmf
    trials = group.create_table(name="trials", description="trials")
    assert group.get_table() is trials  # the only one
    epochs = DynamicTable(name="epochs", description="epochs")
    assert group.add_table([epochs]) == [epochs]
    assert group["epochs"] is epochs
    assert group.get_table("trials") is trials
    assert sorted(group.tables) == ["epochs", "trials"]
    assert set(group.children) == {trials, epochs}
    assert epochs.parent is group
    assert [a["name"] for a in get_docval(_Tables.__init__)] == ["tables", "name"]
    assert [a["name"] for a in get_docval(group.create_table)][:2] == ["name", "description"]


def test_mci_constructor_and_setter() -> None:
    t1, t2 = (DynamicTable(name=n, description=n) for n in ("a", "b"))
    group = _Tables({"a": t1}, name="g")
    assert group.tables == {"a": t1}
    group.tables = [t2]  # the setter adds
    assert sorted(group.tables) == ["a", "b"]
    with pytest.raises(InvalidArgumentTypeError, match="unknown arguments"):
        _Tables(colour="red")


def test_mci_refusals_leave_it_unchanged() -> None:
    group = _Tables(name="g")
    group.add_table(DynamicTable(name="a", description="a"))
    with pytest.raises(ValueError, match="DynamicTable 'a' already exists in 'tables' of _Tables"):
        group.add_table(
            [DynamicTable(name="b", description="b"), DynamicTable(name="a", description="")]
        )
    with pytest.raises(TypeError, match="holds DynamicTable objects, not VectorData"):
        group.add_table(VectorData(name="v", description="v"))
    assert list(group.tables) == ["a"]
    with pytest.raises(KeyError, match="'zz' not found in 'tables' of _Tables 'g'"):
        group.get_table("zz")
    group.add_table(DynamicTable(name="c", description="c"))
    with pytest.raises(KeyError, match=r"holds \['a', 'c'\]: give a name"):
        group.get_table()
    with pytest.raises(KeyError, match="is empty"):
        _Tables(name="empty").get_table()


def test_mci_several_confs_and_own_init() -> None:
    mixed = _Mixed("m", tables=[DynamicTable(name="t", description="t")])
    mixed.add_column(VectorData(name="v", description="v", data=[1]))
    assert mixed.get_table().name == "t"
    assert mixed.get_column("v").name == "v"
    assert not hasattr(_Mixed, "create_table")
    assert mixed["t"].name == "t"  # SimpleMultiContainer's, across all its dicts


def test_mci_declaration_errors() -> None:
    with pytest.raises(InvalidArgumentError, match=r"has no \['add'\]"):

        class NoAdd(common.MultiContainerInterface):
            __clsconf__ = {"attr": "x", "type": DynamicTable}  # noqa: RUF012

    with pytest.raises(InvalidArgumentTypeError, match="must be a dict or a list of dicts"):

        class Bad(common.MultiContainerInterface):
            __clsconf__ = "x"

    with pytest.raises(InvalidArgumentError, match="'create' needs a single 'type'"):

        class TwoTypes(common.MultiContainerInterface):
            __clsconf__ = {  # noqa: RUF012
                "attr": "x",
                "type": (DynamicTable, VectorData),
                "add": "add_x",
                "create": "create_x",
            }

    with pytest.raises(InvalidArgumentTypeError, match="needs __clsconf__"):
        common.MultiContainerInterface(name="x")


def test_mci_written_and_read_back(tmp_path: Any) -> None:
    import hdmf_arrow

    group = _Tables(name="g")
    table = DynamicTable(name="t", description="d")
    table.add_column("a", "a", data=[1, 2])
    group.add_table(table)
    assert group.data_type == "SimpleMultiContainer"
    assert group.containers == {"t": table}
    hdmf_arrow.write(common.SimpleMultiContainer("root", [group]), tmp_path / "store")
    back = hdmf_arrow.read(tmp_path / "store")["g"]
    assert isinstance(back, common.SimpleMultiContainer)
    assert back["t"]["a"].data.tolist() == [1, 2]


def test_mci_named_like_simple_multi_container() -> None:
    class Holder(common.MultiContainerInterface):
        __clsconf__ = {  # noqa: RUF012
            "attr": "containers",
            "type": (DynamicTable, VectorData),
            "add": "add_container",
            "get": "get_container",
        }

    holder = Holder(name="h")
    holder.add_container([DynamicTable(name="t", description="d")])
    holder.add_container(VectorData(name="v", description="v"))
    assert sorted(holder.containers) == ["t", "v"]
    assert holder.get_container("v").name == "v"
    with pytest.raises(ValueError, match="'t' already exists"):
        holder.add_container(VectorData(name="t", description="t"))
