"""An issue that validate reports, and the guard that turns a failure to read data into
one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from hdmf_arrow.errors import HdmfArrowError

if TYPE_CHECKING:
    from collections.abc import Iterator


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem: where (a path in the tree), the data type there, and what is wrong."""

    path: str
    data_type: str
    message: str

    def __str__(self) -> str:
        return f"{self.data_type} ({self.path}): {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "data_type": self.data_type, "message": self.message}


def _guard(path: str, data_type: str, run: object) -> Iterator[Issue]:
    """Run a check; a failure to even read the data is an issue too, not a crash."""
    try:
        yield from run()  # type: ignore[operator]
    except (HdmfArrowError, OSError, pa.ArrowException) as exc:
        yield Issue(path, data_type, f"cannot be read: {exc}")
