"""HDF5 region references <-> region cells (docs/format.md, section 8.1; the cells
themselves: :mod:`hdmf_arrow.io.hdf5._cells`).

Decoding and encoding are per reference (h5py has no vectorised region API); each distinct
target is looked up once, and an export checks every cell against its target in a few
vectorised passes before it creates any reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import h5py
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hdmf_arrow.errors import SchemaMismatchError, UnresolvedReferenceError, UnsupportedHDF5Error
from hdmf_arrow.io.hdf5._cells import REGION_TYPE, SELECTIONS

if TYPE_CHECKING:
    from collections.abc import Callable

_KIND = {
    h5py.h5s.SEL_POINTS: "points",
    h5py.h5s.SEL_HYPERSLABS: "hyperslabs",
    h5py.h5s.SEL_ALL: "all",
    h5py.h5s.SEL_NONE: "none",
}


# -- reading -----------------------------------------------------------------------------


def _cell(
    ref: h5py.RegionReference, file: h5py.File, object_id: Callable[[Any, str], str], where: str
) -> tuple[str, str, np.ndarray]:
    """(target object id, selection kind, flat coordinates) of one non-null reference."""
    oid = object_id(ref, where)
    space = h5py.h5r.get_region(ref, file.id)
    kind = _KIND.get(space.get_select_type())
    if kind is None or not space.select_valid():
        name = h5py.h5r.get_name(ref, file.id)  # slow (a search), but only for the message
        msg = (
            f"{where}: its region into {name.decode() if name else '?'} selects elements "
            f"outside the dataset's shape {space.shape} (or is not a selection HDF5 knows)"
        )
        raise SchemaMismatchError(msg)
    if kind == "points":
        coords = np.asarray(space.get_select_elem_pointlist(), dtype=np.int64).reshape(-1)
    elif kind == "hyperslabs":
        coords = np.asarray(space.get_select_hyper_blocklist(), dtype=np.int64).reshape(-1)
    else:
        coords = np.zeros(0, dtype=np.int64)
    return oid, kind, coords


def region_cells(
    refs: np.ndarray,
    file: h5py.File,
    object_id: Callable[[Any, str], str],
    *,
    where: str,
    rows: tuple[int, int] = (0, 1),
) -> pa.StructArray:
    """A flat array of region references as region cells (null for a null reference).

    ``object_id(ref, where)`` gives the object id of the dataset ``ref`` selects from (or
    raises, naming ``where``); ``where`` names the dataset and ``rows`` (the number of the
    first row, the references per row) its rows, for messages."""
    first, width = rows
    n = len(refs)
    oids: list[str | None] = [None] * n
    kinds: list[str | None] = [None] * n
    parts: list[np.ndarray] = []
    lengths = np.zeros(n, dtype=np.int64)
    valid = np.ones(n, dtype=bool)
    for i, ref in enumerate(refs):
        if not ref:
            valid[i] = False
            continue
        here = f"row {first + i // max(1, width)} of {where}"
        oids[i], kinds[i], coords = _cell(ref, file, object_id, here)
        parts.append(coords)
        lengths[i] = len(coords)
    ends = np.cumsum(lengths)
    if len(ends) and ends[-1] > 2**31 - 1:
        msg = f"{where}: more than 2**31 region coordinates in one block are not imported"
        raise UnsupportedHDF5Error(msg)
    offsets = np.concatenate([[0], ends]).astype(np.int32)
    flat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    mask = pa.array(~valid)
    coords_arr = pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, type=pa.int64()))
    return pa.StructArray.from_arrays(
        [pa.array(oids, type=pa.string()), pa.array(kinds, type=pa.string()), coords_arr],
        fields=list(REGION_TYPE),
        mask=mask if not valid.all() else None,
    )


def region_value(
    ref: h5py.RegionReference, file: h5py.File, object_id: Callable[[Any, str], str], *, where: str
) -> dict[str, Any] | None:
    """One region reference as ``{"region": cell}`` (None for a null reference)."""
    if not ref:
        return None
    oid, kind, coords = _cell(ref, file, object_id, where)
    return {"region": {"object_id": oid, "selection": kind, "coords": coords.tolist()}}


# -- writing -----------------------------------------------------------------------------


def _space(target: h5py.Dataset, kind: object, coords: np.ndarray, where: str) -> Any:
    """The dataspace of ``target`` with a cell's selection, checked against its shape."""
    shape = target.shape
    rank = len(shape)
    space = target.id.get_space()
    expected = {"points": rank, "hyperslabs": 2 * rank}.get(str(kind), 0)
    if kind not in SELECTIONS:
        msg = f"{where}: selection {kind!r} is not one of {', '.join(SELECTIONS)}"
        raise UnsupportedHDF5Error(msg)
    if rank == 0 and kind in ("points", "hyperslabs"):
        msg = f"{where}: {target.name} is a scalar dataset; it takes only 'all' or 'none'"
        raise UnsupportedHDF5Error(msg)
    if (expected == 0 and len(coords)) or (
        expected and (len(coords) == 0 or len(coords) % expected)
    ):
        msg = (
            f"{where}: a {kind!r} selection of {target.name} (rank {rank}) needs "
            f"{'no coordinates' if expected == 0 else f'a positive multiple of {expected}'}, "
            f"found {len(coords)}"
        )
        raise UnsupportedHDF5Error(msg)
    if kind == "all":
        space.select_all()
    elif kind == "none":
        space.select_none()
    elif kind == "points":
        points = coords.reshape(-1, rank)
        _check_bounds(points, shape, target, where)
        space.select_elements(points.astype(np.uint64))
    else:
        blocks = coords.reshape(-1, 2, rank)
        _check_bounds(blocks.reshape(-1, rank), shape, target, where)
        if np.any(blocks[:, 1] < blocks[:, 0]):
            k = int(np.flatnonzero(np.any(blocks[:, 1] < blocks[:, 0], axis=1))[0])
            msg = f"{where}: hyperslab block {k} of {target.name} ends before it starts"
            raise UnsupportedHDF5Error(msg)
        ones = (1,) * rank
        for k, (start, end) in enumerate(blocks):
            space.select_hyperslab(
                tuple(int(s) for s in start),
                ones,
                block=tuple(int(e - s + 1) for s, e in zip(start, end, strict=True)),
                op=h5py.h5s.SELECT_SET if k == 0 else h5py.h5s.SELECT_OR,
            )
    return space


def _check_bounds(
    points: np.ndarray, shape: tuple[int, ...], target: h5py.Dataset, where: str
) -> None:
    bad = np.any((points < 0) | (points >= np.asarray(shape, dtype=np.int64)), axis=1)
    if bad.any():
        first = points[int(np.flatnonzero(bad)[0])].tolist()
        msg = f"{where}: coordinates {first} are outside {target.name}, whose shape is {shape}"
        raise UnsupportedHDF5Error(msg)


class RegionWriter:
    """Makes HDF5 region references from region cells, once every target dataset exists.

    ``path_of(object_id)`` gives the HDF5 path written for an object id (None when the object
    is not in the tree)."""

    def __init__(self, file: h5py.File, path_of: Callable[[str], str | None]) -> None:
        self.file = file
        self.path_of = path_of
        self._targets: dict[str, tuple[bytes, h5py.Dataset]] = {}

    def _target(self, oid: object, where: str) -> tuple[bytes, h5py.Dataset]:
        hit = self._targets.get(str(oid))
        if hit is not None:
            return hit
        path = self.path_of(str(oid)) if isinstance(oid, str) else None
        if path is None:
            msg = (
                f"{where} is a region of object {oid!r}, which is not in the tree written. "
                f"Hint: write the dataset it selects from in the same tree."
            )
            raise UnresolvedReferenceError(msg)
        target = self.file.get(path)
        if not isinstance(target, h5py.Dataset):
            msg = (
                f"{where} is a region of {path}, which is written as an HDF5 group; a region "
                f"reference selects elements of a dataset"
            )
            raise UnsupportedHDF5Error(msg)
        hit = self._targets[str(oid)] = (path.encode(), target)
        return hit

    def _target_of(self, oid: str, oids: pa.Array, where: str) -> tuple[bytes, h5py.Dataset]:
        """The target of ``oid``; a failure names the first row that refers to it."""
        try:
            return self._target(oid, where)
        except (UnresolvedReferenceError, UnsupportedHDF5Error):
            row = pc.index(oids, oid).as_py()
            return self._target(oid, f"row {row} of {where}")

    def one(self, cell: dict[str, Any] | None, *, where: str) -> h5py.RegionReference:
        """One region reference (a null one for ``None``)."""
        if cell is None or cell.get("object_id") is None:
            return h5py.RegionReference()
        path, target = self._target(cell["object_id"], where)
        coords = np.asarray(cell.get("coords") or [], dtype=np.int64)
        space = _space(target, cell.get("selection"), coords, where)
        return h5py.h5r.create(self.file.id, path, h5py.h5r.DATASET_REGION, space)

    def many(self, cells: pa.Array, *, where: str) -> np.ndarray:
        """An array of region cells as region references.

        Targets are looked up once each and every cell is checked against its target's shape
        in a few vectorised passes; only selecting and creating each reference is per row."""
        if not pa.types.is_struct(cells.type) or {f.name for f in cells.type} != {
            "object_id",
            "selection",
            "coords",
        }:
            msg = (
                f"{where} holds region references, so its cells must be structs of "
                f"object_id, selection and coords; found type {cells.type}"
            )
            raise UnsupportedHDF5Error(msg)
        n = len(cells)
        out = np.empty(n, dtype=h5py.regionref_dtype)
        fields = dict(zip([f.name for f in cells.type], cells.flatten(), strict=True))
        oids = fields["object_id"]
        valid = np.asarray(cells.is_valid()) & np.asarray(oids.is_valid())
        coords = fields["coords"]
        offsets = np.asarray(coords.offsets, dtype=np.int64)
        flat = coords.values.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        kinds = pc.index_in(fields["selection"], value_set=pa.array(SELECTIONS))
        kind = kinds.fill_null(-1).to_numpy(zero_copy_only=False)
        distinct = pc.unique(oids.filter(pa.array(valid)))
        code = pc.index_in(oids, value_set=distinct).fill_null(0).to_numpy(zero_copy_only=False)
        targets = [self._target_of(o, oids, where) for o in distinct.to_pylist()]
        if targets:
            bad = self._first_bad(valid, kind, code, offsets, flat, targets)
            if bad is not None:  # say what is wrong with it, row by row
                path, target = targets[code[bad]]
                here = f"row {bad} of {where}"
                _space(target, cells[bad]["selection"].as_py(),
                       flat[offsets[bad] : offsets[bad + 1]], here)  # fmt: skip
                msg = f"{here}: a selection HDF5 cannot express"  # (never reached)
                raise UnsupportedHDF5Error(msg)
        spaces = [t.id.get_space() for _, t in targets]
        ranks = [t.ndim for _, t in targets]  # h5py's ndim costs more than a selection
        values = flat.tolist()
        fid = self.file.id
        null = h5py.RegionReference()
        for i in range(n):
            if not valid[i]:
                out[i] = null
                continue
            j = code[i]
            path = targets[j][0]
            space = spaces[j]  # every branch replaces its selection; create() copies it
            k = kind[i]
            r = ranks[j]
            lo, hi = int(offsets[i]), int(offsets[i + 1])
            if k == 0:
                space.select_elements(flat[lo:hi].reshape(-1, r).astype(np.uint64))
            elif k == 1:
                ones = (1,) * r
                for b, first in enumerate(range(lo, hi, 2 * r)):
                    start = values[first : first + r]
                    end = values[first + r : first + 2 * r]
                    space.select_hyperslab(
                        tuple(start),
                        ones,
                        block=tuple(e - s + 1 for s, e in zip(start, end, strict=True)),
                        op=h5py.h5s.SELECT_SET if b == 0 else h5py.h5s.SELECT_OR,
                    )
            elif k == 2:
                space.select_all()
            else:
                space.select_none()
            out[i] = h5py.h5r.create(fid, path, h5py.h5r.DATASET_REGION, space)
        return out

    @staticmethod
    def _first_bad(
        valid: np.ndarray,
        kind: np.ndarray,
        code: np.ndarray,
        offsets: np.ndarray,
        flat: np.ndarray,
        targets: list[tuple[bytes, h5py.Dataset]],
    ) -> int | None:
        """The first row whose selection its target cannot take (None when all can)."""
        ranks = np.array([t.ndim for _, t in targets], dtype=np.int64)
        width = max(1, int(ranks.max()))
        shapes = np.zeros((len(targets), width), dtype=np.int64)
        for j, (_, t) in enumerate(targets):
            shapes[j, : t.ndim] = t.shape
        rank = ranks[code]
        lengths = np.diff(offsets)
        per = np.select([kind == 0, kind == 1], [rank, 2 * rank], 0)
        sliced = (kind == 0) | (kind == 1)  # points or hyperslabs: coordinates needed
        shape_ok = np.where(
            sliced, (per > 0) & (lengths > 0) & (lengths % np.maximum(per, 1) == 0), lengths == 0
        )
        bad = valid & ((kind < 0) | ~shape_ok)
        # every coordinate within its target's shape; every block's end at or after its start
        base = offsets[0]
        rows = np.repeat(np.arange(len(lengths)), lengths)
        local = np.arange(len(rows), dtype=np.int64) - (offsets[rows] - base)
        checked = valid[rows] & shape_ok[rows] & (kind[rows] >= 0)
        dim = local % np.maximum(rank[rows], 1)
        values = flat[base : base + len(rows)]
        bound = shapes[code[rows], np.minimum(dim, width - 1)]
        outside = checked & ((values < 0) | (values >= bound))
        is_start = (
            checked & (kind[rows] == 1) & (local % np.maximum(2 * rank[rows], 1) < rank[rows])
        )
        ends = np.flatnonzero(is_start) + rank[rows][is_start]
        backwards = np.zeros(len(rows), dtype=bool)
        backwards[np.flatnonzero(is_start)] = (
            values[np.minimum(ends, len(rows) - 1)] < values[is_start]
        )
        np.logical_or.at(bad, rows[outside | backwards], True)
        hits = np.flatnonzero(bad)
        return int(hits[0]) if len(hits) else None
