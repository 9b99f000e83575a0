"""DynamicTableRegion: a column of row positions into another table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pyarrow as pa

from hdmf_arrow.arrow.buffer import FastAppend
from hdmf_arrow.common._data import ArrayLike, RowOps, VectorData, VectorIndex, read_iterator
from hdmf_arrow.errors import CellTypeError, CellValueError, InvalidKeyError, RegionIndexError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    import pandas as pd

    from hdmf_arrow.common._table import DynamicTable


class DynamicTableRegion(VectorData):
    """Row positions (0-based, int64) into a target :class:`DynamicTable`.

    ``data`` may be row positions or a boolean mask over the target's rows. Positions are
    checked against the target whenever values arrive (``validate_data=False`` turns that
    off). Indexing returns the target's rows as a DataFrame, in data order.

    Examples
    --------
    >>> from hdmf_arrow.common import DynamicTable
    >>> t = DynamicTable(name="neurons", description="cells")
    >>> t.add_column("area", "brain area", data=["CA1", "CA1", "CA3"])
    >>> r = DynamicTableRegion("ca1", [0, 1], "CA1 cells", table=t)
    >>> r[:]  # doctest: +NORMALIZE_WHITESPACE
       area
    id
    0   CA1
    1   CA1
    >>> DynamicTableRegion("bad", [5], "out of range", table=t)
    Traceback (most recent call last):
    hdmf_arrow.errors.RegionIndexError: DynamicTableRegion 'bad': values [5] are out of bounds ...
    """

    data_type: ClassVar[str] = "DynamicTableRegion"

    def __init__(
        self,
        name: str,
        data: ArrayLike,
        description: str,
        table: DynamicTable | None = None,
        *,
        validate_data: bool = True,
        object_id: str | None = None,
    ) -> None:
        data = read_iterator(data, name, pa.int64())  # hdmf's DataChunkIterator: read now
        values = (
            np.asarray([] if data is None else data) if not isinstance(data, pa.Array) else data
        )
        if isinstance(values, np.ndarray) and values.dtype == bool:
            if table is None or len(values) != len(table):
                found = "no table" if table is None else f"{len(table)} rows"
                msg = (
                    f"DynamicTableRegion {name!r}: a boolean mask must have one entry per row "
                    f"of the target table; mask has {len(values)}, target has {found}"
                )
                raise CellValueError(msg)
            values = np.flatnonzero(values)
        super().__init__(name, description, values, dtype=pa.int64(), object_id=object_id)
        self.validate_data = validate_data
        self._table: DynamicTable | None = None
        if table is not None:
            self.table = table

    @property
    def table(self) -> DynamicTable | None:
        """The target table (settable once)."""
        return self._table

    @table.setter
    def table(self, table: DynamicTable | None) -> None:
        if table is None:
            return
        if self._table is not None and self._table is not table:
            msg = f"can't set attribute 'table' of DynamicTableRegion {self.name!r} -- already set"
            raise AttributeError(msg)
        from hdmf_arrow.common._table import DynamicTable

        if not isinstance(table, DynamicTable):
            msg = (
                f"DynamicTableRegion {self.name!r}: 'table' must be a DynamicTable, "
                f"found {type(table).__name__}"
            )
            raise TypeError(msg)
        arr = self.to_arrow()
        if len(arr) and arr.null_count < len(arr):
            self._check_bounds(np.asarray(arr.drop_null()), table)
        self._table = table

    def _check_bounds(
        self, positions: np.ndarray, table: DynamicTable | None = None, *, reading: bool = False
    ) -> None:
        """Refuse positions outside the target; when ``reading`` (stored positions about to be
        followed), even with ``validate_data`` off: -1 must not wrap to the last row."""
        table = table if table is not None else self._table
        if table is None or not (self.validate_data or reading) or not positions.size:
            return
        n = len(table)
        bad = positions[(positions < 0) | (positions >= n)]
        if bad.size:
            msg = (
                f"DynamicTableRegion {self.name!r}: values {bad[:10].tolist()} are out of bounds "
                f"for DynamicTable {table.name!r} ({n} rows). Hint: add the rows to "
                f"{table.name!r} first, or use row positions in [0, {n})."
            )
            raise RegionIndexError(msg)

    # -- cells ---------------------------------------------------------------------------------

    def _check_cell(self, value: object) -> object:
        if isinstance(value, DynamicTableRegion):
            msg = (
                f"expected one row position, found the DynamicTableRegion {value.name!r}. "
                f"Hint: a column of regions is added with index=True (or data=[region, ...])"
            )
            raise CellTypeError(msg)
        cell = super()._check_cell(value)
        table = self._table
        if cell is None or table is None or not self.validate_data:
            return cell
        if 0 <= cell < len(table):  # type: ignore[operator]
            return cell
        self._check_bounds(np.asarray([cell]))  # raises with the full message
        return cell

    def _row_ops(self) -> RowOps:
        _check_int, append = self._buf.row_ops()

        def check(value: object) -> object:
            table = self._table
            if type(value) is int and table is not None and 0 <= value < len(table):
                return value  # the common case, checked in one step
            return self._check_cell(value)

        return check, append

    def _fast_append(self) -> FastAppend | None:
        op = self._buf.fast_append()
        table = self._table
        if (
            op is None
            or table is None
            or type(self)._check_cell is not DynamicTableRegion._check_cell
        ):
            return None
        rows = len(table)  # tables only grow: positions below this stay valid

        def in_bounds(value: int) -> bool:
            return self._table is table and (0 <= value < rows or 0 <= value < len(table))

        return FastAppend(int, in_bounds, op.append)

    def _check_many(self, values: object) -> Sequence[object]:
        if isinstance(values, DynamicTableRegion):
            if (
                values.table is not None
                and self._table is not None
                and values.table is not self._table
            ):
                msg = (
                    f"expected a region of DynamicTable {self._table.name!r}, found region "
                    f"{values.name!r} of DynamicTable {values.table.name!r}"
                )
                raise CellValueError(msg)
            return list(values.to_arrow().to_pylist())
        cells = super()._check_many(values)
        self._check_bounds(np.asarray([c for c in cells if c is not None], dtype=np.int64))
        return cells

    # -- reading -------------------------------------------------------------------------------

    def get(self, key: object, index: bool = False, df: bool = True) -> Any:
        """Rows of the target: ``[i]`` and ``[slice|list]`` give DataFrames, ``[i, 'col']`` a cell,
        ``['col']`` the target's column. As hdmf's: ``index=True`` gives the row positions
        themselves, ``df=False`` the rows as ``[ids, column values, ...]`` lists."""
        if index:
            return self.data[self._position(key)]  # type: ignore[call-overload]
        table = self._require_table()
        if isinstance(key, str):
            return table[key]
        if isinstance(key, tuple) and len(key) == 2:
            rows, col = key
            return table[self.data[rows], col]
        if isinstance(key, bool | np.bool_) or not isinstance(
            key, int | np.integer | slice | list | np.ndarray | range
        ):
            msg = (
                f"DynamicTableRegion {self.name!r}: unsupported key {key!r:.40}; use a row "
                f"position, a slice, a list of positions, (row, column) or a column name"
            )
            raise InvalidKeyError(msg)
        positions = self.data[self._position(key)]  # type: ignore[call-overload]
        self._check_bounds(np.atleast_1d(np.asarray(positions, dtype=np.int64)), reading=True)
        return table.get(positions if np.ndim(positions) else int(positions), df=df)

    def __iter__(self) -> Iterator[Any]:
        """One DataFrame (the referenced row) per value, as in hdmf."""
        return (self.get(i) for i in range(len(self)))

    def _rows_frame(self, positions: pa.Array) -> pd.DataFrame:
        return self._require_table().get(np.asarray(positions, dtype=np.int64))  # type: ignore[no-any-return]

    def _require_table(self) -> DynamicTable:
        if self._table is None:
            msg = f"DynamicTableRegion {self.name!r} has no target table yet; set .table first"
            raise AttributeError(msg)
        return self._table

    def to_dataframe(self, **kwargs: Any) -> pd.DataFrame:
        """The referenced rows of the target as a DataFrame (``kwargs`` go to its to_dataframe)."""
        return self._require_table().to_dataframe(**kwargs).iloc[self.data]

    @property
    def shape(self) -> tuple[int, ...]:
        table = self._require_table()
        return (len(self), len(table.columns))

    def get_referenced_tables(self) -> list[DynamicTable]:
        """The target table, then every table reachable from it through region columns.

        >>> from hdmf_arrow.common import DynamicTable
        >>> a = DynamicTable(name="a", description="a"); a.add_column("x", "x", data=[1])
        >>> r = DynamicTableRegion("r", [0], "rows of a", table=a)
        >>> [t.name for t in r.get_referenced_tables()]
        ['a']
        """
        found: list[DynamicTable] = []
        todo = [self._require_table()]
        while todo:
            table = todo.pop(0)
            if any(t is table for t in found):
                continue
            found.append(table)
            for col in table.columns:
                if isinstance(col, DynamicTableRegion) and col.table is not None:
                    todo.append(col.table)
        return found


def region_of(column: VectorData) -> DynamicTableRegion | None:
    """The DynamicTableRegion under a (possibly ragged) column, or None."""
    base = column.get_target_data() if isinstance(column, VectorIndex) else column
    return base if isinstance(base, DynamicTableRegion) else None
