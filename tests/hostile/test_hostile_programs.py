"""A program of an outside project (``plan --project``) is a pull request's own code, run in a process of its
own: it may loop for ever, exit the process, print into the report's stream or leave a thread running;
and files may be pipes nobody writes to or reads. Each still ends in its promised exit code, within bounds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from backbone.analyzer import _without_traceback
from backbone.components.spec.cluster import MAX_NODE_POOLS
from tests.hostile.conftest import SMALL, backbone, env

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs, signals")


def _project(tmp_path: Path, program: str) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (root / "Pulumi.dev.yaml").write_text("config: {}\n")
    (root / "__main__.py").write_text(program)
    return root


def _plan_project(root: Path, *extra: str, seconds: str = "300") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backbone", "plan", "--project", str(root), *extra],
                          cwd=root.parent, env={**env(), "BACKBONE_PREVIEW_SECONDS": seconds},
                          capture_output=True, text=True, timeout=90)


def test_a_program_that_loops_for_ever_meets_the_preview_deadline(tmp_path: Path) -> None:
    run = _plan_project(_project(tmp_path, "while True:\n    pass\n"), seconds="2")
    assert run.returncode == 3, run.stderr
    assert "stack dev: the program ran longer than 2 s (BACKBONE_PREVIEW_SECONDS)" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_program_that_swallows_the_deadline_is_stopped_anyway(tmp_path: Path) -> None:
    program = "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except BaseException:\n        pass\n"
    run = _plan_project(_project(tmp_path, program), seconds="2")
    assert run.returncode == 3, run.stderr
    assert "the program ran longer than 2 s" in run.stderr and "Traceback" not in run.stderr


def test_os_exit_in_a_program_is_its_failure_never_a_violation(tmp_path: Path) -> None:
    run = _plan_project(_project(tmp_path, "import os\nos._exit(1)\n"))
    assert run.returncode == 2, run.stderr
    assert "stack dev: the program failed" in run.stderr and "Traceback" not in run.stderr


def test_what_a_program_prints_stays_out_of_the_report(tmp_path: Path) -> None:
    program = "import pulumi\nprint('<script>alert(1)</script>')\nprint('::error file=a.py::forged')\n" \
              "pulumi.export('x', 1)\n"
    run = _plan_project(_project(tmp_path, program), "--format", "markdown")
    assert run.returncode == 0, run.stderr
    assert "<script>" not in run.stdout and "forged" not in run.stdout
    assert "\\::error file=a.py::forged" in run.stderr  # shown on the log, unable to forge an annotation
    assert not any(line.startswith("::") for line in run.stderr.splitlines())


def test_a_thread_the_program_leaves_running_does_not_hold_the_exit(tmp_path: Path) -> None:
    program = "import threading, time, pulumi\nthreading.Thread(target=time.sleep, args=(10**6,)).start()\n" \
              "pulumi.export('x', 1)\n"
    run = _plan_project(_project(tmp_path, program))  # would time out (the interpreter waits for the thread)
    assert run.returncode == 0, run.stderr


def test_a_stack_file_that_is_a_pipe_nobody_writes_is_bad_input_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "Pulumi.pipe.yaml"
    os.mkfifo(fifo)
    run = backbone(["plan", str(fifo)], tmp_path, timeout=60)
    run.assert_clean_failure(2)
    assert "Pulumi.pipe.yaml: backbone:cluster: required" in run.err  # read as empty, at once


def test_a_report_into_a_pipe_nobody_reads_is_refused_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.small.yaml").write_text(SMALL)
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    run = backbone(["plan", str(tmp_path / "Pulumi.small.yaml"), "--output", str(fifo)], tmp_path, timeout=120)
    run.assert_clean_failure(2)
    assert "nothing reads from this pipe" in run.err


def test_more_pools_than_the_bound_is_bad_input_before_any_preview(tmp_path: Path) -> None:
    pool = "      - name: p{i}\n        instanceType: g6.xlarge\n        purpose: inference\n        maxNodes: 2\n"
    head = SMALL.split("    nodePools:")[0]
    pools = "".join(pool.format(i=i) for i in range(MAX_NODE_POOLS + 1))
    (tmp_path / "Pulumi.many.yaml").write_text(head + "    nodePools:\n" + pools)
    run = backbone(["plan", str(tmp_path / "Pulumi.many.yaml")], tmp_path, timeout=120)
    run.assert_clean_failure(2)
    assert "backbone:cluster.nodePools" in run.err and f"{MAX_NODE_POOLS}" in run.err.replace(",", "")


def test_a_pack_that_fails_to_start_is_reported_without_its_traceback() -> None:
    err = ("loading…\nTraceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    main()\n"
           "pulumi.errors.RunError: invalid stack config:\n  stacks/Pulumi.x.yaml: backbone:cluster: missing\n")
    assert _without_traceback(err) == ("loading…\npulumi.errors.RunError: invalid stack config:\n"
                                       "  stacks/Pulumi.x.yaml: backbone:cluster: missing")


@pytest.mark.parametrize("imported", ["backbone.cli", "pulumi"])
def test_ctrl_c_while_backbone_is_starting_is_an_interrupt_not_a_traceback(tmp_path: Path, imported: str) -> None:
    """Ctrl-C once Backbone's entry module is in (its handler installed), and again while the engine's modules are
    still importing. The moment is read from the interpreter's own import log (``-X importtime`` prints a line as
    each import ends), not from a sleep: on a loaded machine a fixed delay could fire before the interpreter had
    even started, which is no promise of Backbone's."""
    (tmp_path / "Pulumi.small.yaml").write_text(SMALL)
    proc = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "backbone", "plan",
                             str(tmp_path / "Pulumi.small.yaml")],
                            cwd=tmp_path, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stderr is not None
    seen: list[str] = []
    for line in proc.stderr:
        seen.append(line)
        if line.rsplit("|", 1)[-1].strip() == imported:
            break
    else:
        proc.wait(timeout=60)
        pytest.fail(f"the import of {imported} never ended before the command did:\n{''.join(seen[-20:])}")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err[-2000:]
    assert "Traceback" not in err and "Traceback" not in out


def test_standard_output_closed_from_the_start_is_could_not_finish(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.small.yaml").write_text(SMALL)
    proc = subprocess.run(["/bin/sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "backbone", "plan",
                           str(tmp_path / "Pulumi.small.yaml")],
                          cwd=tmp_path, env=env(), stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert "standard output is closed" in proc.stderr and "Traceback" not in proc.stderr
