"""The project's files stand alone: nothing points outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = re.compile(r"\.\./shared|/work/shared|DESIGN\.md|STYLE\.md|hdmf-behaviour\.md")
PROJECT_FILES = [
    *ROOT.glob("*.md"),
    ROOT / "Makefile",
    ROOT / "pyproject.toml",
    *(ROOT / "docs").glob("*.md"),
    *(
        p
        for d in ("hdmf_arrow", "tests", "examples", "benchmarks")
        for p in (ROOT / d).rglob("*.py")
    ),
]


@pytest.mark.parametrize(
    "path",
    [p for p in PROJECT_FILES if p.name != "test_docs.py"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_no_file_points_outside_the_repository(path: Path) -> None:
    found = OUTSIDE.findall(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} refers to {found}"


def test_the_readme_links_every_doc() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in (ROOT / "docs").glob("*.md"):
        assert f"docs/{doc.name}" in readme
