"""CSRMatrix: a compressed sparse row matrix kept as one Arrow table (see arrow/sparse.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from hdmf_arrow.arrow import sparse
from hdmf_arrow.common._container import Container, check_text
from hdmf_arrow.errors import SparseMatrixError

if TYPE_CHECKING:
    import pyarrow as pa
    import scipy.sparse


class CSRMatrix(Container):
    """A sparse matrix in compressed sparse row form, as hdmf's CSRMatrix.

    Built from a scipy sparse matrix, a dense 2-D array, or ``data``, ``indices``, ``indptr``
    and ``shape``. It is kept as one Arrow table with a row per matrix row (``to_arrow()``):
    the columns ``indices`` and ``data`` are lists that share their offsets, which are
    ``indptr``. The arrays are checked when the matrix is made: ``indptr`` starts at 0, never
    decreases and ends at the number of values, and every column index is below ``shape[1]``.

    Examples
    --------
    >>> m = CSRMatrix([1, 2, 3], indices=[0, 2, 1], indptr=[0, 2, 2, 3], shape=(3, 3))
    >>> m.shape, m.nnz, m.indptr
    ((3, 3), 3, array([0, 2, 2, 3], dtype=uint32))
    >>> m.to_dense()
    array([[1, 0, 2],
           [0, 0, 0],
           [0, 3, 0]])
    >>> m.to_arrow().column("data").to_pylist()
    [[1, 2], [], [3]]
    """

    data_type: ClassVar[str] = "CSRMatrix"

    def __init__(
        self,
        data: Any,
        indices: Any = None,
        indptr: Any = None,
        shape: Any = None,
        name: str = "csr_matrix",
        description: str | None = None,
        *,
        object_id: str | None = None,
    ) -> None:
        super().__init__(name, object_id=object_id)
        self.description = (
            None if description is None else check_text(description, arg="description", owner=name)
        )
        if hasattr(data, "tocsr"):  # a scipy sparse matrix or array, in any format
            csr = data.tocsr()
            data, indices, indptr, shape = csr.data, csr.indices, csr.indptr, csr.shape
        elif indices is None and indptr is None and shape is None:
            data, indices, indptr, shape = _from_dense(data, name)
        elif indices is None or indptr is None or shape is None:
            raise _arrays_needed(name)
        self._decoded: sparse.CSRArrays | None = None
        _check_values(data, name)
        self._shape = _shape(shape, name)
        self._rows = sparse.encode(data, indices, indptr, n_cols=self._shape[1], name=name)
        if self._rows.num_rows != self._shape[0]:
            msg = (
                f"CSRMatrix {name!r}: 'indptr' describes {self._rows.num_rows} rows but "
                f"'shape' has {self._shape[0]}"
            )
            raise SparseMatrixError(msg)

    @classmethod
    def from_scipy_sparse(cls, sparse_matrix: Any, **kwargs: Any) -> CSRMatrix:
        """A CSRMatrix from any scipy sparse matrix (converted to CSR).

        >>> from scipy import sparse
        >>> CSRMatrix.from_scipy_sparse(sparse.eye(2), name="identity")
        CSRMatrix 'identity' (2 x 2, 2 stored values of float64)
        """
        return cls(sparse_matrix, **kwargs)

    @classmethod
    def from_arrow(
        cls,
        table: pa.Table,
        shape: tuple[int, int],
        name: str = "csr_matrix",
        description: str | None = None,
        *,
        object_id: str | None = None,
    ) -> CSRMatrix:
        """A CSRMatrix over an Arrow table in this class's layout, without checking its values
        (readers use it so that ``validate()`` can report a damaged matrix)."""
        problem = sparse.check_table(table, n_cols=None)
        if problem:
            msg = f"CSRMatrix {name!r}: {problem}"
            raise SparseMatrixError(msg)
        matrix = cls.__new__(cls)
        Container.__init__(matrix, name, object_id=object_id)
        matrix.description = description
        matrix._shape = _shape(shape, name)
        matrix._rows = table
        matrix._decoded = None
        return matrix

    # -- the arrays, as hdmf gives them ---------------------------------------------------------

    @property
    def data(self) -> np.ndarray:
        """The stored values, row after row."""
        return self._arrays().data

    @property
    def indices(self) -> np.ndarray:
        """The column of each stored value (unsigned)."""
        return self._arrays().indices

    @property
    def indptr(self) -> np.ndarray:
        """Where each row's values start in ``data``, plus the end (unsigned)."""
        return self._arrays().indptr

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)`` of the matrix."""
        return self._shape

    @property
    def nnz(self) -> int:
        """How many values are stored (explicit zeros included, as in scipy)."""
        return len(self._arrays().data)

    def _arrays(self) -> sparse.CSRArrays:
        if self._decoded is None:  # the table never changes: decode it once
            self._decoded = sparse.decode(self._rows)
        return self._decoded

    # -- conversions ----------------------------------------------------------------------------

    def to_arrow(self) -> pa.Table:
        """The matrix as an Arrow table: a row per matrix row, columns ``indices`` and
        ``data`` (lists sharing their offsets, which are ``indptr``)."""
        return self._rows

    def to_scipy_sparse(self) -> scipy.sparse.csr_matrix:
        """The matrix as a ``scipy.sparse.csr_matrix``."""
        from scipy import sparse as sp

        data, indices, indptr = self._arrays()
        return sp.csr_matrix((data, indices, indptr), shape=self._shape)

    def to_spmat(self) -> scipy.sparse.csr_matrix:
        """hdmf's name for :meth:`to_scipy_sparse`."""
        return self.to_scipy_sparse()

    def to_dense(self) -> np.ndarray:
        """The matrix as a dense numpy array."""
        dense: np.ndarray = self.to_scipy_sparse().toarray()
        return dense

    def __getattr__(self, name: str) -> Any:
        # as hdmf: other attributes come from the scipy matrix (toarray, sum, dtype, ...)
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return getattr(self.to_scipy_sparse(), name)
        except AttributeError:
            msg = f"{type(self).__name__!r} object has no attribute {name!r}"
            raise AttributeError(msg) from None

    def __repr__(self) -> str:
        dtype = np.dtype(self._rows.schema.field("data").type.value_type.to_pandas_dtype())
        rows, cols = self._shape
        return f"CSRMatrix {self.name!r} ({rows} x {cols}, {self.nnz} stored values of {dtype})"


def _shape(shape: Any, name: str) -> tuple[int, int]:
    dims = np.asarray(shape)
    if dims.ndim != 1 or dims.size != 2 or dims.dtype.kind not in "ui" or (dims < 0).any():
        msg = (
            f"CSRMatrix {name!r}: 'shape' argument must specify two and only two dimensions "
            f"(non-negative integers), found {shape!r}"
        )
        raise SparseMatrixError(msg)
    return int(dims[0]), int(dims[1])


def _check_values(data: Any, name: str) -> None:
    """Refuse values Arrow has no type for (complex numbers) with an error naming the matrix
    (pyarrow raises a bare ``ArrowNotImplementedError`` for them)."""
    kind = (data.dtype if hasattr(data, "dtype") else np.asarray(data).dtype).kind
    if kind == "c":
        msg = (
            f"CSRMatrix {name!r}: 'data' of a complex dtype has no Arrow type; expected real "
            f"numbers, booleans or text. Hint: store the real and imaginary parts as two "
            f"matrices."
        )
        raise SparseMatrixError(msg)


def _from_dense(data: Any, name: str) -> tuple[Any, Any, Any, tuple[int, int]]:
    """A 2-D array-like as CSR arrays (1-D data needs the other arrays: hdmf's error)."""
    from scipy import sparse as sp

    arr = np.asarray(data)
    if arr.ndim > 2:
        msg = f"CSRMatrix {name!r}: 'data' argument cannot be ndarray of dimensionality > 2"
        raise SparseMatrixError(msg)
    if arr.ndim < 2:
        raise _arrays_needed(name)
    csr = sp.csr_matrix(arr)
    return csr.data, csr.indices, csr.indptr, csr.shape


def _arrays_needed(name: str) -> SparseMatrixError:
    msg = (
        f"CSRMatrix {name!r}: must specify 'indptr', 'indices', and 'shape' arguments when "
        f"passing data array"
    )
    return SparseMatrixError(msg)
