"""How much code written for hdmf runs unchanged on hdmf-arrow (issue 10's measure).

Downloads hdmf 6.2.0's source distribution (into ``tmp/hdmf_compat/``, never into the
project), takes its unit tests of ``hdmf.common`` and ``hdmf.spec``, and runs them twice:

1. as they are, against hdmf (the tests that pass there are the ones that count);
2. after nothing but the import rewrite ``hdmf.common`` -> ``hdmf_arrow.common`` and
   ``hdmf.spec`` -> ``hdmf_arrow.spec`` (every other ``hdmf.*`` import still points at hdmf).

It prints how many of the tests that pass on hdmf pass on hdmf-arrow, per file, and with
``--write benchmarks/RESULTS.md`` replaces that file's compatibility section.

    python benchmarks/hdmf_compat.py [--write benchmarks/RESULTS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "tmp" / "hdmf_compat"
VERSION = "6.2.0"
SUITES = ("tests/unit/common", "tests/unit/spec_tests")
SUPPORT = ("tests/unit/helpers", "tests/unit/build_tests")  # what the suites import (rewritten too)
REWRITE = [
    (re.compile(r"\bhdmf\.common\b"), "hdmf_arrow.common"),
    (re.compile(r"\bhdmf\.spec\b"), "hdmf_arrow.spec"),
]
BEGIN, END = "<!-- HDMF-COMPAT BEGIN -->", "<!-- HDMF-COMPAT END -->"


def fetch() -> Path:
    """hdmf's source tree, downloaded and unpacked once."""
    tree = WORK / f"hdmf-{VERSION}"
    if tree.exists():
        return tree
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", f"hdmf=={VERSION}", "--no-binary", ":all:",
         "--no-deps", "-q", "-d", str(WORK)],
        check=True,
    )  # fmt: skip
    with tarfile.open(WORK / f"hdmf-{VERSION}.tar.gz") as tar:
        tar.extractall(WORK, filter="data")
    return tree


def prepare(tree: Path, name: str, *, rewrite: bool) -> Path:
    """A copy of the test suites (with the import rewrite, when asked)."""
    out = WORK / name
    shutil.rmtree(out, ignore_errors=True)
    for suite in (*SUITES, *SUPPORT):
        shutil.copytree(tree / suite, out / suite)
    for data in (tree / "tests" / "unit").glob("*.yaml"):  # term sets, type configs
        shutil.copy(data, out / "tests" / "unit" / data.name)
    for init in (out / "tests", out / "tests" / "unit"):
        (init / "__init__.py").touch()
    if rewrite:
        for path in out.rglob("*.py"):
            text = path.read_text()
            for pattern, new in REWRITE:
                text = pattern.sub(new, text)
            path.write_text(text)
    return out


def run(suites: Path) -> dict[str, set[str]]:
    """Test id -> passed, per file, from pytest's JUnit XML (a file that does not import
    counts as no test passing)."""
    report = suites / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
         "-o", "addopts=", "-o", "filterwarnings=", "--rootdir", str(suites),
         "--continue-on-collection-errors",
         f"--junitxml={report}", *SUITES],
        cwd=suites, capture_output=True, text=True, check=False,
    )  # fmt: skip
    passed: dict[str, set[str]] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        failed = any(child.tag in ("failure", "error", "skipped") for child in case)
        # a file that does not import is one case with no classname, named by its module
        key = str(case.get("classname") or case.get("name", "")).rsplit(".", 1)[0]
        passed.setdefault(key, set())
        if not failed:
            passed[key].add(f"{case.get('classname')}::{case.get('name')}")
    return passed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="replace the compatibility section here")
    args = parser.parse_args()
    tree = fetch()
    theirs = run(prepare(tree, "on-hdmf", rewrite=False))
    ours = run(prepare(tree, "on-hdmf-arrow", rewrite=True))
    lines = ["| test file | pass on hdmf | of those, pass on hdmf-arrow |", "|---|---:|---:|"]
    total_theirs = total_ours = 0
    for module in sorted(theirs):
        base = theirs[module]
        kept = len(base & ours.get(module, set()))
        total_theirs += len(base)
        total_ours += kept
        lines.append(f"| `{module}` | {len(base)} | {kept} |")
    lines.append(f"| **all** | **{total_theirs}** | **{total_ours}** |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        section = (
            f"{BEGIN}\n## hdmf's own tests on hdmf-arrow (issue 10)\n\n"
            f"hdmf {VERSION}'s unit tests of `hdmf.common` and `hdmf.spec`, run after only the "
            f"import rewrite `hdmf.common` -> `hdmf_arrow.common`, `hdmf.spec` -> "
            f"`hdmf_arrow.spec`.\n\n- Command: `python benchmarks/hdmf_compat.py --write "
            f"benchmarks/RESULTS.md`\n- Date: {when}\n\n{table}\n{END}"
        )
        text = args.write.read_text() if args.write.exists() else ""
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + section + text[text.index(END) + len(END) :]
        else:
            text = text.rstrip() + "\n\n" + section + "\n"
        args.write.write_text(text)


if __name__ == "__main__":
    main()
