"""Region cells: what an HDF5 region reference becomes (docs/format.md, section 8.1).

No h5py here: a store's region cells are followed without it.

A region cell is ``{"object_id": <the target dataset's object id>, "selection": <kind>,
"coords": [...]}`` (an Arrow ``struct`` in a column, :data:`REGION_TYPE`; ``{"region": cell}``
as an attribute or scalar value). ``selection`` is HDF5's kind of selection and ``coords`` its
coordinates, flat, in the target's rank ``r``:

- ``"points"``: ``n * r`` values, point ``k`` at ``coords[k*r:(k+1)*r]``, in selection order;
- ``"hyperslabs"``: ``n * 2r`` values, block ``k`` as its first corner then its last corner
  (inclusive), as ``H5Sget_select_hyper_blocklist`` gives them;
- ``"all"`` and ``"none"``: no values.

>>> cell = {"object_id": "d1", "selection": "points", "coords": [3, 0, 1]}
>>> is_region_value({"region": cell})
True
>>> selected_positions(cell, shape=(5,))
[3, 0, 1]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from hdmf_arrow.common import Data
from hdmf_arrow.errors import InvalidArgumentError

SELECTIONS = ("points", "hyperslabs", "all", "none")
REGION_TYPE = pa.struct(
    [
        pa.field("object_id", pa.string()),
        pa.field("selection", pa.string()),
        pa.field("coords", pa.list_(pa.int64())),
    ]
)


def is_region_value(value: object) -> bool:
    """Whether an attribute or scalar value is a region reference (``{"region": cell}``)."""
    return (
        isinstance(value, dict) and set(value) == {"region"} and isinstance(value["region"], dict)
    )


def _flat_indices(cell: Mapping[str, Any], shape: tuple[int, ...]) -> np.ndarray:
    """The C-order flat indices of the elements ``cell`` selects, in HDF5's reading order."""
    rank = len(shape)
    coords = np.asarray(cell.get("coords") or [], dtype=np.int64)
    kind = cell.get("selection")
    size = int(np.prod(shape, dtype=np.int64))
    if kind == "none":
        return np.zeros(0, dtype=np.int64)
    if kind == "all":
        return np.arange(size, dtype=np.int64)
    if kind not in ("points", "hyperslabs") or rank == 0:
        msg = (
            f"region cell {dict(cell)!r:.120}: selection {kind!r} cannot select from shape {shape}"
        )
        raise InvalidArgumentError(msg)
    per = rank if kind == "points" else 2 * rank
    if len(coords) == 0 or len(coords) % per:
        msg = (
            f"region cell {dict(cell)!r:.120}: a {kind!r} selection of rank {rank} needs a "
            f"positive multiple of {per} coordinates, found {len(coords)}"
        )
        raise InvalidArgumentError(msg)
    corners = coords.reshape(-1, rank)
    if np.any((corners < 0) | (corners >= np.asarray(shape, dtype=np.int64))):
        msg = f"region cell {dict(cell)!r:.120} selects outside shape {shape}"
        raise InvalidArgumentError(msg)
    if kind == "points":
        points: np.ndarray = np.asarray(np.ravel_multi_index(tuple(corners.T), shape))
        return points.astype(np.int64)
    parts = []
    for start, end in coords.reshape(-1, 2, rank):
        axes = np.meshgrid(*(np.arange(a, b + 1) for a, b in zip(start, end, strict=True)),
                           indexing="ij")  # fmt: skip
        parts.append(np.ravel_multi_index(tuple(a.reshape(-1) for a in axes), shape))
    return np.unique(np.concatenate(parts)).astype(np.int64)  # the union, in C order


def selected_positions(cell: Mapping[str, Any], *, shape: tuple[int, ...]) -> list[Any]:
    """The elements a region cell selects, in the order HDF5 reads them: an int per element
    of a 1-D target, a coordinate tuple per element of an N-D one.

    >>> selected_positions({"selection": "hyperslabs", "coords": [0, 1, 0, 2]}, shape=(3, 4))
    [(0, 1), (0, 2)]
    """
    flat = _flat_indices(cell, shape)
    if len(shape) == 1:
        return [int(i) for i in flat]
    return [tuple(int(i) for i in p) for p in zip(*np.unravel_index(flat, shape), strict=True)]


def select_region(
    region: Mapping[str, Any] | pa.StructScalar, target: Data | np.ndarray
) -> np.ndarray:
    """The elements of ``target`` that a region cell selects, as a flat array in the order
    HDF5 reads them (what h5py's ``ds[ref].reshape(-1)`` gives for the reference).

    ``region`` is a region cell (a dict, ``{"region": cell}`` as attributes hold one, or a
    cell of a region column); ``target`` the container it names (its ``object_id`` must be
    the cell's) or its values as an array.

    Raises
    ------
    InvalidArgumentError
        The cell names another object, or does not fit the target's shape.

    Examples
    --------
    >>> from hdmf_arrow.common import Dataset
    >>> m = Dataset("m", np.arange(12).reshape(3, 4))
    >>> cell = {"object_id": m.object_id, "selection": "hyperslabs", "coords": [1, 2, 2, 3]}
    >>> select_region(cell, m)
    array([ 6,  7, 10, 11])
    >>> select_region({**cell, "selection": "points", "coords": [2, 0, 0, 1]}, m)
    array([8, 1])
    """
    cell: Mapping[str, Any] = region.as_py() if isinstance(region, pa.Scalar) else region
    if cell is not None and is_region_value(cell):
        cell = cell["region"]
    if not isinstance(cell, Mapping):
        msg = f"select_region: expected a region cell (a dict or struct), found {cell!r:.60}"
        raise InvalidArgumentError(msg)
    if isinstance(target, Data):
        if cell.get("object_id") != target.object_id:
            msg = (
                f"region cell selects from object {cell.get('object_id')!r}, but "
                f"{target.data_type or 'Dataset'} {target.name!r} has object id "
                f"{target.object_id!r}. Hint: find the target by its object id in the tree."
            )
            raise InvalidArgumentError(msg)
        values = np.asarray(target.data)
    else:
        values = np.asarray(target)
    out: np.ndarray = values.reshape(-1)[_flat_indices(cell, values.shape)]
    return out
