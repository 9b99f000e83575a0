"""MultiContainerInterface: hdmf's mix-in for a container holding named containers of a type.

A subclass declares ``__clsconf__`` (a dict, or a list of dicts) with ``attr`` (the name of
the dict of held containers), ``type`` (their class, or a tuple of classes), ``add`` (the name
of the method that adds them) and optionally ``get`` and ``create``; the methods are made
when the class is defined (``__init_subclass__``, no metaclass). As in hdmf, a constructor
``__init__(<attr>=None, ..., name=<class name>)`` is made when the class defines none, and
``obj[name]`` gets a held container when there is one ``__clsconf__``.

Examples
--------
>>> from hdmf_arrow.common import DynamicTable
>>> class Tables(MultiContainerInterface):
...     __clsconf__ = {"attr": "tables", "type": DynamicTable, "add": "add_table",
...                    "get": "get_table", "create": "create_table"}
>>> group = Tables(name="tables")
>>> trials = group.create_table(name="trials", description="trials")
>>> _ = group.add_table(DynamicTable(name="epochs", description="epochs"))
>>> sorted(group.tables), group["trials"] is trials, group.get_table("epochs").name
(['epochs', 'trials'], True, 'epochs')
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, ClassVar

from hdmf_arrow.common._multi import SimpleMultiContainer
from hdmf_arrow.errors import (
    ContainerNotFoundError,
    DuplicateColumnError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)
from hdmf_arrow.utils import get_docval, set_docval

if TYPE_CHECKING:
    from hdmf_arrow.common._container import Container

__all__ = ["MultiContainerInterface"]

_KEYS = ("attr", "type", "add")


def _type_name(types: tuple[type, ...]) -> str:
    names = [t.__name__ for t in types]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


class MultiContainerInterface(SimpleMultiContainer):
    """Base of containers that hold named containers of given types (hdmf's mix-in).

    It is a SimpleMultiContainer (its data type, unless the subclass is registered as
    another): every held container is among its ``children`` and ``containers``, names are
    unique across all its dicts, and a store reads it back as a SimpleMultiContainer with the
    same children.
    """

    __clsconf__: ClassVar[dict[str, Any] | list[dict[str, Any]]]
    _confs: ClassVar[tuple[dict[str, Any], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__clsconf__" not in cls.__dict__:
            return
        raw = cls.__dict__["__clsconf__"]
        if isinstance(raw, dict):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
            msg = (
                f"MultiContainerInterface {cls.__name__}: __clsconf__ must be a dict or a list "
                f"of dicts, got {type(raw).__name__}"
            )
            raise InvalidArgumentTypeError(msg)
        confs = []
        for i, conf in enumerate(raw):
            missing = [k for k in _KEYS if conf.get(k) is None]
            if missing:
                at = f" (entry {i})" if len(raw) > 1 else ""
                msg = f"MultiContainerInterface {cls.__name__}: __clsconf__{at} has no {missing}"
                raise InvalidArgumentError(msg)
            types = conf["type"] if isinstance(conf["type"], tuple | list) else (conf["type"],)
            confs.append({**conf, "type": tuple(types)})
        cls._confs = (*cls._confs, *confs)
        for conf in confs:
            cls._make_methods(conf)
        if len(cls._confs) == 1 and not _defines(cls, "__getitem__"):
            get_one = cls._getter(cls._confs[0])
            setattr(cls, "__getitem__", lambda self, name=None: get_one(self, name))  # noqa: B010
        if not _defines(cls, "__init__"):
            cls.__init__ = cls._constructor()  # type: ignore[method-assign]

    @classmethod
    def _make_methods(cls, conf: dict[str, Any]) -> None:
        attr, add = conf["attr"], conf["add"]
        if not hasattr(cls, attr):
            setattr(
                cls,
                attr,
                property(
                    lambda self: dict(self._held(attr)),
                    lambda self, value: None if value is None else getattr(self, add)(value),
                    doc=f"the {_type_name(conf['type'])} objects in this {cls.__name__}, by name",
                ),
            )
        setattr(cls, add, cls._adder(conf))
        if conf.get("get"):
            setattr(cls, conf["get"], cls._getter(conf))
        if conf.get("create"):
            if len(conf["type"]) != 1:
                msg = (
                    f"MultiContainerInterface {cls.__name__}: 'create' needs a single 'type', "
                    f"got {_type_name(conf['type'])}"
                )
                raise InvalidArgumentError(msg)
            setattr(cls, conf["create"], cls._creator(conf))

    @classmethod
    def _adder(cls, conf: dict[str, Any]) -> Any:
        attr, types = conf["attr"], conf["type"]

        def add(self: MultiContainerInterface, container: Any) -> Any:
            items = list(
                container.values()
                if isinstance(container, dict)
                else (container if isinstance(container, list | tuple) else [container])
            )
            held = self._held(attr)
            seen: set[str] = set()
            for item in items:
                if not isinstance(item, types):
                    msg = (
                        f"{cls.__name__} {self.name!r}: {attr!r} holds {_type_name(types)} "
                        f"objects, not {type(item).__name__} {item!r:.40}"
                    )
                    raise InvalidArgumentTypeError(msg)
                if item.name in self._containers or item.name in seen:
                    where = attr if item.name in held or item.name in seen else "another dict"
                    msg = (
                        f"{type(item).__name__} {item.name!r} already exists in {where!r} of "
                        f"{cls.__name__} {self.name!r}"
                    )
                    raise DuplicateColumnError(msg)
                seen.add(item.name)
            for item in items:
                held[item.name] = item
            SimpleMultiContainer.add_container(self, items)  # the conf may name its own
            return container

        add.__name__ = add.__qualname__ = conf["add"]
        add.__doc__ = f"Add one or several {_type_name(types)} objects to this {cls.__name__}."
        return add

    @classmethod
    def _getter(cls, conf: dict[str, Any]) -> Any:
        attr = conf["attr"]

        def get(self: MultiContainerInterface, name: str | None = None) -> Container:
            held = self._held(attr)
            if name is None:
                if len(held) == 1:
                    return next(iter(held.values()))
                what = "is empty" if not held else f"holds {sorted(held)}: give a name"
                msg = f"{attr!r} of {cls.__name__} {self.name!r} {what}"
                raise ContainerNotFoundError(msg)
            if name not in held:
                msg = (
                    f"{name!r} not found in {attr!r} of {cls.__name__} {self.name!r} "
                    f"(it holds {sorted(held)})"
                )
                raise ContainerNotFoundError(msg)
            return held[name]

        get.__name__ = get.__qualname__ = conf.get("get") or "get"
        get.__doc__ = f"The {_type_name(conf['type'])} called ``name`` (or the only one)."
        return get

    @classmethod
    def _creator(cls, conf: dict[str, Any]) -> Any:
        (container_type,) = conf["type"]
        add_name = conf["add"]

        def create(self: MultiContainerInterface, *args: Any, **kwargs: Any) -> Any:
            created = container_type(*args, **kwargs)
            getattr(self, add_name)(created)
            return created

        create.__name__ = create.__qualname__ = conf["create"]
        create.__doc__ = f"Make a {container_type.__name__} and add it to this {cls.__name__}."
        create.__signature__ = inspect.signature(container_type.__init__)  # type: ignore[attr-defined, misc]
        dv = get_docval(container_type.__init__)  # type: ignore[misc]
        if dv:
            set_docval(create, {"args": [dict(a) for a in dv]})
        return create

    @classmethod
    def _constructor(cls) -> Any:
        confs = cls._confs
        default_name = cls.__name__

        def __init__(
            self: MultiContainerInterface, *args: Any, name: str | None = None, **kwargs: Any
        ) -> None:
            attrs = [c["attr"] for c in confs]
            if len(args) > len(attrs):
                msg = f"{cls.__name__}: takes at most {len(attrs)} positional arguments {attrs}"
                raise InvalidArgumentTypeError(msg)
            values = dict(zip(attrs, args, strict=False))
            unknown = sorted(set(kwargs) - {*attrs, "object_id"})
            if unknown:
                msg = f"{cls.__name__}: unknown arguments {unknown}; it takes {[*attrs, 'name']}"
                raise InvalidArgumentTypeError(msg)
            MultiContainerInterface.__init__(
                self, name if name is not None else default_name, object_id=kwargs.get("object_id")
            )
            for conf in confs:
                value = values.get(conf["attr"], kwargs.get(conf["attr"]))
                if value is not None:
                    getattr(self, conf["add"])(value)

        __init__.__qualname__ = f"{cls.__name__}.__init__"
        args = [
            {
                "name": c["attr"],
                "type": (list, tuple, dict, *c["type"]),
                "default": None,
                "doc": f"{_type_name(c['type'])} objects to hold",
            }
            for c in confs
        ]
        args.append({"name": "name", "type": str, "doc": "the name", "default": default_name})
        set_docval(__init__, {"args": args})
        return __init__

    def __init__(self, name: str, *, object_id: str | None = None) -> None:
        if type(self) is MultiContainerInterface or not self._confs:
            msg = f"{type(self).__name__}: a MultiContainerInterface subclass needs __clsconf__"
            raise InvalidArgumentTypeError(msg)
        super().__init__(name, object_id=object_id)

    def _held(self, attr: str) -> dict[str, Container]:
        store: dict[str, dict[str, Container]] = self.__dict__.setdefault("_mci_held", {})
        return store.setdefault(attr, {})


def _defines(cls: type, name: str) -> bool:
    """Whether ``cls`` or a base below MultiContainerInterface defines ``name``."""
    for klass in cls.__mro__:
        if klass is MultiContainerInterface:
            return False
        if name in klass.__dict__:
            return True
    return False
