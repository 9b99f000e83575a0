"""MeaningsTable (hdmf-common 1.10): what each value of a column means."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from hdmf_arrow.common._data import VectorData
from hdmf_arrow.common._table import DynamicTable

if TYPE_CHECKING:
    from collections.abc import Sequence

    from hdmf_arrow.common._data import ArrayLike


class MeaningsTable(DynamicTable):
    """The meanings of the values of one column (its ``target``), as hdmf's MeaningsTable.

    It is named ``<column>_meanings`` and lives in the column's table
    (``table.add_meanings_table(...)``); ``value`` lists every value the column may hold, and
    ``meaning`` says what each means. ``column.get_meanings()`` finds it.

    Examples
    --------
    >>> trials = DynamicTable(name="trials", description="trials")
    >>> trials.add_column("stim", "stimulus", data=["A", "B", "A"])
    >>> meanings = MeaningsTable(trials["stim"])
    >>> meanings.add_row(value="A", meaning="a grating")
    >>> meanings.add_row(value="B", meaning="a natural image")
    >>> trials.add_meanings_table(meanings)
    >>> trials["stim"].get_meanings().name, list(meanings["meaning"].data)
    ('stim_meanings', ['a grating', 'a natural image'])
    """

    data_type: ClassVar[str] = "MeaningsTable"
    __columns__: ClassVar[tuple[dict[str, Any], ...]] = (
        {"name": "value", "description": "The value in the referenced VectorData object.",
         "required": True},
        {"name": "meaning", "description": "The meaning of the value.", "required": True},
    )  # fmt: skip

    def __init__(
        self,
        target: VectorData | str,
        description: str | None = None,
        id: ArrayLike = None,
        columns: Sequence[VectorData] | None = None,
        colnames: Sequence[str] | None = None,
        *,
        object_id: str | None = None,
        add_required: bool = True,
    ) -> None:
        """``target`` is the column; a reader that sets the target later passes the table's
        name instead."""
        if isinstance(target, VectorData):
            name = f"{target.name}_meanings"
            self.target: VectorData | None = target
        elif isinstance(target, str):
            name, self.target = target, None
        else:
            msg = (
                f"MeaningsTable: incorrect type for 'target' (got {type(target).__name__!r}, "
                f"expected 'VectorData')"
            )
            raise TypeError(msg)
        column = name.removesuffix("_meanings")
        super().__init__(
            name,
            description if description is not None else f"Meanings for values in '{column}'",
            id,
            columns,
            colnames,
            object_id=object_id,
            add_required=add_required,
        )
