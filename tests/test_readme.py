"""The README's tour runs as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"


def test_readme_tour_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert blocks, "the README has no python block"
    monkeypatch.chdir(tmp_path)  # the tour writes stores in the current directory
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(README), "exec"), namespace)
    units = namespace["units"]
    assert len(units) == 2  # type: ignore[arg-type]
    assert units["spike_times"][1] == [0.3]  # type: ignore[index]
    # the join after the append, as the comment says
    assert namespace["per_area"] == [("CA1", 1), ("CA3", 1), ("DG", 1)]
    per_session = namespace["per_session"]
    one, two = str(tmp_path / "session.hdmf"), str(tmp_path / "session2.hdmf")
    assert per_session.rows() == [  # type: ignore[attr-defined]
        (one, "CA1", 1),
        (one, "CA3", 1),
        (one, "DG", 1),
        (two, "CA1", 1),
        (two, "CA3", 1),
    ]
