"""A Python child process whose stdout lines arrive through a queue (not a test).

Shared by the crash tests: a test reads the child's lines with a timeout (never hangs on a
dead or silent child), writes commands to its stdin, kills it with SIGKILL, and collects what
it printed. A line cut short by a kill (no newline) was never reported, and is dropped.
"""

from __future__ import annotations

import contextlib
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest

TIMEOUT = 60.0  # seconds a child may take to answer before the test fails (not a sleep)


class Child:
    """``python SCRIPT ARGS...``, with stdin, stdout and stderr piped."""

    what = "child"  # named in failure messages

    def __init__(self, script: Path, *args: str | Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(script), *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.result: tuple[int, list[str], str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._err: list[str] = []
        self._threads = [
            threading.Thread(target=self._pump_out, daemon=True),
            threading.Thread(target=self._pump_err, daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _pump_out(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _pump_err(self) -> None:
        assert self.proc.stderr is not None
        self._err.append(self.proc.stderr.read())

    def next_line(self, timeout: float = TIMEOUT) -> str:
        """The next complete stdout line; fails the test if none comes (or the child died)."""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.kill()
            self.finish()
            pytest.fail(f"{self.what} {self.proc.args} printed nothing for {timeout} s")
        if line is None or not line.endswith("\n"):
            code, _, err = self.finish()
            pytest.fail(f"{self.what} ended early (exit {code}) after {line!r}; stderr:\n{err}")
        return line[:-1]

    def send(self, command: str) -> None:
        """One line to the child's stdin."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)

    def finish(self, timeout: float = TIMEOUT) -> tuple[int, list[str], str]:
        """Wait for the process; its exit code, remaining complete lines, and stderr."""
        if self.result is not None:
            return self.result
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            self.proc.wait()
            pytest.fail(f"{self.what} {self.proc.args} did not end within {timeout} s")
        for t in self._threads:
            t.join(timeout)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        lines = []
        while not self.lines.empty():
            line = self.lines.get_nowait()
            if line is not None and line.endswith("\n"):  # a line cut by the kill: unreported
                lines.append(line[:-1])
        self.result = (self.proc.returncode, lines, "".join(self._err))
        return self.result


C = TypeVar("C", bound=Child)


@contextlib.contextmanager
def reaped(_kind: type[C]) -> Iterator[list[C]]:
    """A list to start children of ``_kind`` in; any still running at the end are killed
    and waited for (no orphans)."""
    started: list[C] = []
    try:
        yield started
    finally:
        for child in started:
            child.kill()
        for child in started:
            child.finish()
