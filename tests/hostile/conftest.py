"""Hostile and broken input: ``backbone`` is run as a user (or CI) runs it — a separate process, with a time
limit and, where memory is the attack, an address-space limit — and each promise is checked:

- no exit 1 without a mandatory violation (2 bad input, 3 could not finish, 130/143 interrupted);
- no traceback, no hang, no leftover pack process, no overwritten input, no raw HTML in a report.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.backbone.test_plan_cli import SERVE

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
STACKS = ROOT / "stacks"
SMALL = SERVE.format(max_nodes=2)
"""A small serving stack that passes every policy (the one the plan CLI tests use)."""


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def assert_clean_failure(self, code: int) -> None:
        """Exit ``code`` with a one-line reason per problem and no traceback."""
        assert self.code == code, \
            f"exit {self.code}, expected {code}\nstdout: {self.out[-2000:]}\nstderr: {self.err[-2000:]}"
        assert "Traceback" not in self.err and "Traceback" not in self.out, self.err[-3000:]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


def _limit_memory(gib: float) -> None:
    """Bound the memory the process writes (heap and private mappings: RLIMIT_DATA), not its address space: an
    address-space bound also counts each thread's reserved stack and malloc arena, so it depended on how many of
    gRPC's threads happened to be alive and once aborted a healthy run (exit -6) on a loaded machine."""
    limit = int(gib * 1024**3)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def backbone(argv: Sequence[str], cwd: Path, timeout: float = 120, memory_gib: float | None = None) -> Run:
    """``backbone ARGV`` in ``cwd`` as a separate process, bounded in time (and in memory when asked)."""
    proc = subprocess.run(
        [sys.executable, "-m", "backbone", *argv], cwd=cwd, env=env(), capture_output=True, text=True,
        timeout=timeout, preexec_fn=(lambda: _limit_memory(memory_gib)) if memory_gib else None,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc), for checking that nothing is left running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def stack_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "stacks"
    directory.mkdir()
    return directory
