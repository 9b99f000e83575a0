"""Group, Dataset and Link: the parts of an HDMF file that have no data type of their own.

An NWB file is mostly typed containers, but they sit in untyped groups (``acquisition``,
``general``), hold untyped datasets (a TimeSeries' ``data``, an NWBFile's
``session_start_time``) and link to each other (an ElectrodeGroup's ``device``). These three
classes hold those parts, so that a file read from HDF5 keeps all of itself in a store and
comes back out whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from hdmf_arrow.common._container import Container
from hdmf_arrow.common._data import ArrayLike, Data
from hdmf_arrow.common._multi import SimpleMultiContainer
from hdmf_arrow.errors import CellTypeError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hdmf_arrow.arrow.dtypes import DtypeLike


class Group(SimpleMultiContainer):
    """A group without a data type: children by name, and free attributes.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> g = Group("intervals", [DynamicTable(name="trials", description="trials")])
    >>> g["trials"].data_type, g.data_type
    ('DynamicTable', None)
    """

    data_type: ClassVar[str | None] = None  # type: ignore[assignment]
    namespace: ClassVar[str | None] = None  # type: ignore[assignment]


class Dataset(Data):
    """A dataset without a data type, with attributes; it may be a scalar (shape ``()``).

    Arrays are kept as :class:`Data` keeps them (N-D as rows of the first axis); a scalar is
    kept as given (a str, a number, a bool, or a container it refers to).

    Examples
    --------
    >>> Dataset("session_start_time", "2024-01-01T00:00:00+00:00").shape
    ()
    >>> d = Dataset("data", np.zeros((10, 3), dtype="int16"), attributes={"unit": "volts"})
    >>> d.shape, d.attributes["unit"]
    ((10, 3), 'volts')
    """

    data_type: ClassVar[str | None] = None  # type: ignore[assignment]
    namespace: ClassVar[str | None] = None  # type: ignore[assignment]

    def __init__(
        self,
        name: str,
        data: ArrayLike = None,
        *,
        dtype: DtypeLike = None,
        attributes: Mapping[str, object] | None = None,
        object_id: str | None = None,
    ) -> None:
        scalar = is_scalar(data)
        super().__init__(name, None if scalar else data, dtype=dtype, object_id=object_id)
        self.attributes = dict(attributes or {})
        self.scalar: Any = _plain_scalar(data) if scalar else None
        self.is_scalar = scalar

    @property
    def data(self) -> Any:
        if self.is_scalar:
            return self.scalar
        return super().data

    @property
    def shape(self) -> tuple[int, ...]:
        return () if self.is_scalar else super().shape

    def __len__(self) -> int:
        if self.is_scalar:
            msg = f"Dataset {self.name!r} is a scalar: it has no length"
            raise TypeError(msg)
        return super().__len__()

    def __repr__(self) -> str:
        if self.is_scalar:
            return f"Dataset {self.name!r} = {self.scalar!r:.60}"
        return f"Dataset {self.name!r} {self.shape}"


def is_scalar(data: object) -> bool:
    """Whether ``data`` is one value (a str, bytes, number, bool, container or 0-d array)."""
    if isinstance(data, str | bytes | int | float | bool | np.generic | Container):
        return True
    return isinstance(data, np.ndarray) and data.ndim == 0


def _plain_scalar(value: object) -> Any:
    if isinstance(value, np.ndarray):
        value = value[()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bytes):
        try:
            return value.decode()
        except UnicodeDecodeError:
            msg = f"scalar bytes {value!r:.40} are not UTF-8 text"
            raise CellTypeError(msg) from None
    return value


class Link(Container):
    """A link to another container of the same tree (an HDF5 soft link).

    A group returns the target when the link is looked up by name; iterating a group yields
    the Link itself, so writers can tell a link from the object it points at.

    Examples
    --------
    >>> from hdmf_arrow.common import SimpleMultiContainer
    >>> device = SimpleMultiContainer("probe")
    >>> group = SimpleMultiContainer("shank0", [Link("device", device)])
    >>> group["device"] is device
    True
    """

    data_type: ClassVar[str | None] = None  # type: ignore[assignment]
    namespace: ClassVar[str | None] = None  # type: ignore[assignment]

    def __init__(
        self, name: str, target: Container | None = None, *, object_id: str | None = None
    ) -> None:
        super().__init__(name, object_id=object_id)
        self.target = target

    def __repr__(self) -> str:
        to = "?" if self.target is None else f"{self.target.data_type} {self.target.name!r}"
        return f"Link {self.name!r} -> {to}"
