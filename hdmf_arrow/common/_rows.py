"""``add_row``'s plan: what to do with each column's value, worked out once per set of columns.

A row takes one of two paths, and both leave the table exactly as it was when they refuse it:

- **The general path** runs every column's ``check`` (which may convert a value, widen an
  inferred type, or raise an error naming what was expected), then every ``append``.
- **The fast path** takes the common row: every value has exactly the Python type its column
  stores as it is (``int`` for integer columns, ``float``, ``str``, ``bool``, ``list`` for a
  ragged column), and passes a cheap test where one is needed (an int's range, a region's
  bounds, a float32's range, text without lone surrogates (``str.isascii`` and
  ``str.isprintable`` first, so most text costs one or two C calls), the types of a list's
  elements). Such values are appended without
  conversion, by one function compiled for the table's columns (:func:`compile_fast_row`).
  A row that does not qualify goes to the general path, which gives the same result or the
  error, so the fast path changes speed, never behaviour.
- **Numpy values** take the fast path too, made what the checks would make of them: a numpy
  scalar of the column's kind becomes the Python value (``float(x)``, ``int(x)``, ...; only
  a value whose type did not match is looked at, so Python rows pay nothing), and a ragged
  cell given as a 1-D array or a list of numpy scalars is appended as one array in the
  column's dtype when numpy casts it safely, as Python values otherwise when they fit as
  they are (:func:`hdmf_arrow.arrow.buffer.ragged_cell`). A row's id may be given (an int or
  a numpy integer within int64).

A plan is dropped when columns are added or removed, and after a general-path row when some
column's type changed (:attr:`ColumnBuffer.retypes`): a plan built before such a change stays
correct, because types only widen, but may send every row down the general path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hdmf_arrow.arrow.buffer import NUMPY_SCALARS, ColumnBuffer, FastAppend

if TYPE_CHECKING:
    from hdmf_arrow.common._data import ElementIdentifiers, VectorData

Check = Callable[[object], object]
Append = Callable[[object], None]
FastRow = Callable[[Mapping[str, object], int], bool]


class RowPlan:
    """Per-column operations for ``add_row``, in column order.

    General path: ``checks`` and ``appends``; ``append_id`` stores the row's id. Fast path:
    ``fast_row(kwargs, row_id)`` appends the row and returns True if it qualifies, and returns
    False, having changed nothing, if it does not. It is None when some column has no fast path
    (its type has no exact Python type, e.g. null, or its class checks values itself).
    """

    __slots__ = ("append_id", "appends", "checks", "fast_row", "names", "retypes", "source")

    def __init__(self, columns: Mapping[str, VectorData], ids: ElementIdentifiers) -> None:
        self.retypes = ColumnBuffer.retypes
        self.names = tuple(columns)
        ops = [col._row_ops() for col in columns.values()]
        self.checks: tuple[Check, ...] = tuple(check for check, _ in ops)
        self.appends: tuple[Append, ...] = tuple(append for _, append in ops)
        self.append_id: Append = ids._row_ops()[1]
        fast = [col._fast_append() for col in columns.values()]
        ready = [op for op in fast if op is not None]
        self.source = ""
        self.fast_row: FastRow | None = None
        if self.names and len(ready) == len(fast):
            self.source, self.fast_row = compile_fast_row(self.names, ready, self.append_id)


def compile_fast_row(
    names: Sequence[str], ops: Sequence[FastAppend], append_id: Append
) -> tuple[str, FastRow]:
    """The fast path for these columns as one Python function, and its source.

    One function with the column operations bound as globals does in about half the time
    what a generic loop over the columns does (each value is read, type-checked, tested and
    appended by direct calls). The source is kept on the plan for debugging.

    >>> import numpy as np
    >>> from hdmf_arrow.arrow.buffer import FastAppend
    >>> a, b, c = [], [], []
    >>> source, fast_row = compile_fast_row(
    ...     ["x", "y", "z"], [FastAppend(int, lambda v: v >= 0, a.append),
    ...                       FastAppend(str, None, b.append),
    ...                       FastAppend(list, None, c.append, prepare=list)], print)
    >>> print(source)
    def fast_row(row, row_id):
        if len(row) != 3:
            return False
        try:
            v0 = row['x']
            v1 = row['y']
            v2 = row['z']
        except KeyError:
            return False
        if type(v0) is not type0:
            if not isinstance(v0, numpy0):
                return False
            v0 = convert0(v0)
        if type(v1) is not type1:
            if not isinstance(v1, numpy1):
                return False
            v1 = convert1(v1)
        if not (test0(v0)):
            return False
        v2 = prepare2(v2)
        if v2 is None:
            return False
        append0(v0)
        append1(v1)
        append2(v2)
        append_id(row_id)
        return True
    >>> fast_row({"x": 1, "y": "a", "z": []}, 0), fast_row({"x": -1, "y": "b", "z": []}, 1)
    0
    (True, False)
    >>> fast_row({"x": np.int8(2), "y": np.str_("c"), "z": (1.5,)}, 2), (a, b, c)
    2
    (True, ([1, 2], ['a', 'c'], [[], [1.5]]))
    """
    namespace: dict[str, Any] = {"append_id": append_id}
    read = [f"        v{k} = row[{name!r}]" for k, name in enumerate(names)]
    # a value of another type: a numpy scalar of the column's kind becomes the Python value,
    # as the checks make it; any other value sends the row to the general path
    types: list[str] = []
    checks = []
    prepared: list[str] = []  # ragged cells, as their column's prepare makes them
    for k, op in enumerate(ops):
        namespace[f"type{k}"] = op.type
        namespace[f"test{k}"] = op.test
        namespace[f"append{k}"] = op.append
        if op.prepare is not None:  # its own step, after the cheap tests of the other columns
            namespace[f"prepare{k}"] = op.prepare
            prepared += [
                f"    v{k} = prepare{k}(v{k})",
                f"    if v{k} is None:",
                "        return False",
            ]
            continue
        types.append(f"    if type(v{k}) is not type{k}:")
        numpy = NUMPY_SCALARS.get(op.type)
        if numpy is None:
            types.append("        return False")
        else:
            namespace[f"numpy{k}"], namespace[f"convert{k}"] = numpy
            types += [
                f"        if not isinstance(v{k}, numpy{k}):",
                "            return False",
                f"        v{k} = convert{k}(v{k})",
            ]
        if op.bound is not None:
            namespace[f"low{k}"], namespace[f"high{k}"] = -op.bound, op.bound
            checks.append(f"low{k} < v{k} < high{k}")
        if op.test is None:
            continue
        shortcuts = []
        for j, shortcut in enumerate(op.shortcuts):
            namespace[f"short{k}_{j}"] = shortcut
            shortcuts.append(f"short{k}_{j}(v{k})")
        test = f"test{k}(v{k})"
        checks.append(f"({' or '.join([*shortcuts, test])})" if shortcuts else test)
    tests = " and ".join(checks)
    lines = [
        "def fast_row(row, row_id):",
        f"    if len(row) != {len(ops)}:",
        "        return False",
        "    try:",
        *read,
        "    except KeyError:",
        "        return False",
        *types,
        *([f"    if not ({tests}):", "        return False"] if tests else []),
        *prepared,
        *(f"    append{k}(v{k})" for k in range(len(ops))),
        "    append_id(row_id)",
        "    return True",
    ]
    source = "\n".join(lines)
    exec(compile(source, "<hdmf_arrow add_row fast path>", "exec"), namespace)
    fast_row: FastRow = namespace["fast_row"]
    return source, fast_row
