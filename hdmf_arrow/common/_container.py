"""Container and Data: the two roots of the HDMF type hierarchy."""

from __future__ import annotations

import html
import re
import uuid
from typing import ClassVar

from hdmf_arrow.arrow.dtypes import utf8_problem
from hdmf_arrow.errors import InvalidNameError, InvalidObjectIdError

CORE_NAMESPACE = "hdmf-common"
EXP_NAMESPACE = "hdmf-experimental"

_OBJECT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")


def check_name(name: object, *, kind: str) -> str:
    """Return ``name`` if HDMF allows it as a container name: a str without '/' or ':', and
    one that UTF-8 can encode (no lone surrogates: files store names as UTF-8)."""
    if not isinstance(name, str):
        msg = f"{kind}: incorrect type for 'name' (got {type(name).__name__!r}, expected 'str')"
        raise TypeError(msg)
    if "/" in name or ":" in name:
        msg = f"{kind} name {name!r} cannot contain a '/' or ':'"
        raise InvalidNameError(msg)
    if not name.isascii():
        problem = utf8_problem(name)
        if problem is not None:
            msg = f"{kind} name {name!r:.80} {problem}"
            raise InvalidNameError(msg)
    return name


def check_object_id(value: object, *, what: str) -> str:
    """Return ``value`` if it can be an object id; raise otherwise.

    An object id names one object and, in a store, the directory of its data files
    (``data/<object_id>/``), so it is a plain identifier: 1 to 128 ASCII letters, digits,
    ``-``, ``_`` or ``.``, starting with a letter or digit, and never ``..``. That leaves out
    path syntax (``/``, ``\\``, ``..``), whitespace, control characters, URL syntax (``?``,
    ``#``, ``:``) and empty ids. A uuid4 (what every container gets by default, and what hdmf
    writes) is the norm.

    Parameters
    ----------
    value
        The candidate id (from a user, a file or a manifest).
    what
        The object the id is for, named in the message (e.g. ``"DynamicTable 'units'"``).

    Returns
    -------
    str
        ``value`` itself.

    Raises
    ------
    InvalidObjectIdError
        If ``value`` is not a str or not a plain identifier (also a ``ValueError``).

    Examples
    --------
    >>> check_object_id("4f1c2d3e-0000-4000-8000-000000000000", what="table 't'")
    '4f1c2d3e-0000-4000-8000-000000000000'
    >>> check_object_id("../../etc", what="DynamicTable 'units'")
    Traceback (most recent call last):
    hdmf_arrow.errors.InvalidObjectIdError: DynamicTable 'units' has object id '../../etc', ...
    """
    if not isinstance(value, str):
        msg = (
            f"{what} has object id {value!r:.80} of type {type(value).__name__}; expected a str "
            f"of 1-128 letters, digits, '-', '_' or '.' (a uuid4 is the norm)"
        )
        raise InvalidObjectIdError(msg)
    if _OBJECT_ID.fullmatch(value) is None or ".." in value:
        msg = (
            f"{what} has object id {value!r:.80}, which is not a valid object id (1-128 "
            f"letters, digits, '-', '_' or '.', starting with a letter or digit, no '..'; a "
            f"uuid4 is the norm). Hint: pass no object_id to get a new uuid4."
        )
        raise InvalidObjectIdError(msg)
    return value


def check_text(value: object, *, arg: str, owner: str) -> str:
    """Return ``value`` if it is a str; hdmf's docval wording otherwise."""
    if not isinstance(value, str):
        msg = f"{owner}: incorrect type for {arg!r} (got {type(value).__name__!r}, expected 'str')"
        raise TypeError(msg)
    return value


class Container:
    """Base class of every HDMF object: a name, a uuid4 ``object_id`` and a parent.

    ``data_type`` and ``namespace`` name the HDMF type (class attributes). An ``object_id``
    given (here or by assignment) must pass :func:`check_object_id`.

    Examples
    --------
    >>> c = Container("session")
    >>> c.name, c.data_type, c.namespace, len(c.object_id)
    ('session', 'Container', 'hdmf-common', 36)
    """

    data_type: ClassVar[str] = "Container"
    namespace: ClassVar[str] = CORE_NAMESPACE

    def __init_subclass__(cls, **kwargs: object) -> None:
        """``__fields__`` (hdmf's: names, or dicts with ``name`` and maybe ``child``) become
        properties kept in ``fields``; an attribute the class already has wins."""
        super().__init_subclass__(**kwargs)
        for field in cls.__dict__.get("__fields__", ()):
            name = field if isinstance(field, str) else getattr(field, "get", _no_name)("name")
            if not isinstance(name, str) or not name.isidentifier():
                msg = (
                    f"{cls.__name__}.__fields__: expected a name or a dict with a 'name', "
                    f"found {field!r:.60}"
                )
                raise TypeError(msg)
            if any(name in klass.__dict__ for klass in cls.__mro__):
                continue
            child = isinstance(field, dict) and bool(field.get("child", False))
            setattr(cls, name, _field(name, child=child))

    @property
    def fields(self) -> dict[str, object]:
        """The values of the class's ``__fields__`` set so far, by name (as hdmf's)."""
        return self.__dict__.setdefault("_fields", {})  # type: ignore[no-any-return]

    def __init__(self, name: str, *, object_id: str | None = None) -> None:
        self._name = check_name(name, kind=type(self).__name__)
        self._object_id = (
            str(uuid.uuid4())
            if object_id is None
            else check_object_id(object_id, what=f"{type(self).__name__} {name!r}")
        )
        self.parent: Container | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def object_id(self) -> str:
        """The id that names this object in a tree (a uuid4 unless one was given)."""
        return self._object_id

    @object_id.setter
    def object_id(self, value: str) -> None:
        self._object_id = check_object_id(value, what=f"{type(self).__name__} {self.name!r}")

    @property
    def children(self) -> tuple[Container, ...]:
        """The containers this one holds (tables hold their columns)."""
        return ()

    def _adopt(self, child: Container) -> None:
        child.parent = self

    def __repr__(self) -> str:
        return f"{self.data_type} {self.name!r}"

    def _repr_html_(self) -> str:
        """Jupyter's view: the type and name, then each child (a table's columns, a group's
        members) on a line."""
        rows = "".join(
            f"<li>{html.escape(str(c.name))}: {html.escape(str(c.data_type or type(c).__name__))}"
            "</li>"
            for c in self.children[:50]
        )
        more = f"<li>... and {len(self.children) - 50} more</li>" if len(self.children) > 50 else ""
        title = html.escape(f"{self.data_type or type(self).__name__} {self.name!r}")
        return f"<b>{title}</b><ul>{rows}{more}</ul>"


def _no_name(key: str) -> None:
    return None


def _field(name: str, *, child: bool) -> property:
    """The property of one ``__fields__`` entry: None until set; a child container set on it
    gets this object as its parent."""

    def get(self: Container) -> object:
        return self.fields.get(name)

    def put(self: Container, value: object) -> None:
        if child and isinstance(value, Container) and value.parent is None:
            value.parent = self
        self.fields[name] = value

    return property(get, put, doc=f"The field {name!r} (``__fields__``).")
