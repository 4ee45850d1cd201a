"""The pack process and signals: a killed or stuck pack is "could not finish" (exit 3) within its deadline,
and whatever happens to ``backbone`` — SIGTERM, Ctrl-C, SIGKILL — no pack process is left running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile.conftest import FIXTURES, SMALL, alive, backbone, env

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PDEATHSIG is Linux's")


def _stack(stack_dir: Path) -> None:
    (stack_dir / "Pulumi.small.yaml").write_text(SMALL)


def test_a_pack_killed_mid_plan_is_could_not_finish_not_a_violation(stack_dir: Path) -> None:
    _stack(stack_dir)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "--policy-pack", str(FIXTURES / "pack_dies")],
                   stack_dir, timeout=120)
    run.assert_clean_failure(3)
    assert "could not finish" in run.err and "policy pack stopped during AnalyzeStack" in run.err
    assert "(it was killed by signal SIGKILL)" in run.err  # how it ended, as the fixture ends it


def test_a_pack_that_stops_answering_meets_its_deadline(stack_dir: Path) -> None:
    _stack(stack_dir)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "backbone", "plan", "--stacks-dir", str(stack_dir), "--policy-pack",
         str(FIXTURES / "pack_hangs")],
        cwd=stack_dir, env={**env(), "BACKBONE_PACK_CALL_SECONDS": "3"}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert "did not answer AnalyzeStack within" in proc.stderr and "Traceback" not in proc.stderr
    assert time.monotonic() - start < 100


def _start_plan(stack_dir: Path) -> tuple[subprocess.Popen[str], int]:
    """``backbone plan`` on a real stack, returned once its pack is inside the (hanging) AnalyzeStack call, with
    the pack's pid. The pack says so itself (it writes its pid to a marker file): no sleep that a loaded machine
    outruns, and never the program's process (also a child of ``backbone``) mistaken for the pack."""
    _stack(stack_dir)
    mark = stack_dir.parent / "in-pack-call"
    proc = subprocess.Popen([sys.executable, "-m", "backbone", "plan", "--stacks-dir", str(stack_dir),
                             "--policy-pack", str(FIXTURES / "pack_hangs")],
                            cwd=stack_dir, env={**env(), "BACKBONE_TEST_HANG_MARK": str(mark)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300  # a bound for a machine under load, not a wait: it returns at the mark
    while time.monotonic() < deadline:
        if mark.exists():
            return proc, int(mark.read_text())
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"backbone exited ({proc.returncode}) before its pack was called: {err[-2000:]}")
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the pack was not called within 300 s")


def _gone(pid: int, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_backbone_promptly_and_its_pack_with_it(stack_dir: Path, sig: int, code: int) -> None:
    proc, pack = _start_plan(stack_dir)
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert _gone(pack), f"pack {pack} still running after {sig!r}"


def test_sigkill_to_backbone_takes_the_pack_down_too(stack_dir: Path) -> None:
    proc, pack = _start_plan(stack_dir)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    try:
        assert _gone(pack), f"pack {pack} outlived a SIGKILLed backbone"
    finally:
        if alive(pack):
            os.kill(pack, signal.SIGKILL)
