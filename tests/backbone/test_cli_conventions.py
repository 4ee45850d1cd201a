"""The conventions users of Checkov, Infracost and the Pulumi CLI expect: short flags, global options before or after
the subcommand, ``--fail-on``, ``--help`` in plain text with examples and exit codes, progress on a terminal and
silence in CI, colour only on a terminal and never with ``NO_COLOR``."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from test_plan_cli import SERVE as STACK  # one small stack file for the CLI tests

from backbone.cli import main

# 1000 × g6.xlarge (1 L4 each) for inference: max-accelerators blocks (mandatory); a passing stack has 2


def stacks(tmp_path: Path, **max_nodes: int) -> Path:
    directory = tmp_path / "stacks"
    directory.mkdir(exist_ok=True)
    for name, count in max_nodes.items():
        (directory / f"Pulumi.{name}.yaml").write_text(STACK.format(max_nodes=count))
    return directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_short_flags_and_global_options_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = stacks(tmp_path, ok=2)
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"max-accelerators": {"poolLimit": 1}}))
    output = tmp_path / "plan.json"
    code, out, err = run(capsys, "plan", "--stacks-dir", str(directory), "-c", str(config), "-f", "json",
                         "-o", str(output), "--quiet", "--debug")
    assert (code, out, err) == (1, "", "")  # --quiet: not even the "→ plan.json" note
    (stack,) = json.loads(output.read_text())["stacks"]
    assert [v["policy"] for v in stack["violations"] if v["level"] == "mandatory"] == ["max-accelerators"]
    code, _, err = run(capsys, "--quiet", "plan", "--stacks-dir", str(directory), "-f", "json", "-o", str(output))
    assert (code, err) == (0, "")
    code, _, err = run(capsys, "plan", "--stacks-dir", str(directory), "-f", "json", "-o", str(output))
    assert code == 0 and "→" in err  # without --quiet the note is there


@pytest.mark.parametrize(("fail_on", "blocking", "advisory_only"), [
    ("mandatory", 1, 0), ("advisory", 1, 1), ("never", 0, 0),
])
def test_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str], fail_on: str, blocking: int,
                 advisory_only: int) -> None:
    directory = stacks(tmp_path, big=1000)
    code, out, _ = run(capsys, "plan", "--stacks-dir", str(directory), "--fail-on", fail_on, "-f", "json")
    assert code == blocking
    assert json.loads(out)["exit_code"] == blocking
    # the same violation lowered to advisory: only --fail-on advisory fails on it
    config = tmp_path / "advisory.json"
    config.write_text(json.dumps({"max-accelerators": "advisory"}))
    code, _, _ = run(capsys, "plan", "--stacks-dir", str(directory), "-c", str(config), "--fail-on", fail_on)
    assert code == advisory_only


def test_fail_on_refuses_anything_else(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["plan", "--fail-on", "sometimes"])
    assert stopped.value.code == 2
    assert "invalid choice: 'sometimes'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--help"], ["plan", "--help"], ["audit", "--help"], ["merge", "--help"]])
def test_help_is_plain_text_with_examples_and_exit_codes(capsys: pytest.CaptureFixture[str],
                                                         argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 0
    text = capsys.readouterr().out
    assert "`" not in text  # no reStructuredText literals
    assert "exit codes:" in text and "  2    bad input" in text
    if argv != ["audit", "--help"]:
        assert "examples:" in text and "backbone " in text.split("examples:")[1]


def _run_on_terminal(argv: list[str], env: dict[str, str], stdout_tty: bool) -> tuple[int, str, str]:
    """``backbone`` in a child process with standard error (and standard output when asked) on a terminal."""
    err_master, err_slave = pty.openpty()
    out_master, out_slave = pty.openpty() if stdout_tty else (None, None)
    process = subprocess.Popen([sys.executable, "-m", "backbone", *argv], stdin=subprocess.DEVNULL,
                               stdout=out_slave if out_slave is not None else subprocess.PIPE, stderr=err_slave,
                               env={**os.environ, **env})
    os.close(err_slave)
    if out_slave is not None:
        os.close(out_slave)
    chunks: dict[int, bytes] = {err_master: b""}
    if out_master is not None:
        chunks[out_master] = b""
    open_fds = set(chunks)
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], 120)
        if not ready:
            break
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal closed (EIO)
                data = b""
            if data:
                chunks[fd] += data
            else:
                open_fds.discard(fd)
    piped = process.stdout.read() if process.stdout is not None else b""
    code = process.wait(timeout=120)
    for fd in chunks:
        os.close(fd)
    out = chunks[out_master] if out_master is not None else piped
    return code, out.decode(), chunks[err_master].decode()


def test_progress_and_colour_on_a_terminal(tmp_path: Path) -> None:
    directory = stacks(tmp_path, a=2, b=1000)
    code, out, err = _run_on_terminal(["plan", "--stacks-dir", str(directory)], {"NO_COLOR": ""}, stdout_tty=True)
    assert code == 1
    lines = err.replace("\r\n", "\n").splitlines()
    for step in ("[1/2] a: previewing", "[1/2] a: judging", "[1/2] a: done: pass", "[2/2] b: previewing",
                 "[2/2] b: done: fail"):
        assert step in lines, err
    assert lines.index("[1/2] a: previewing") < lines.index("[1/2] a: judging") < lines.index("[1/2] a: done: pass")
    assert "verdict: \x1b[1;31mFAIL\x1b[0m:" in out
    assert "\x1b[1;31mMANDATORY\x1b[0m  max-accelerators" in out


@pytest.mark.parametrize(("option", "env"), [([], {"NO_COLOR": "1"}), (["--no-color"], {}), (["-q"], {})])
def test_no_colour_with_no_color_and_no_progress_with_quiet(tmp_path: Path, option: list[str],
                                                             env: dict[str, str]) -> None:
    directory = stacks(tmp_path, b=1000)
    code, out, err = _run_on_terminal(["plan", "--stacks-dir", str(directory), *option], env, stdout_tty=True)
    assert code == 1
    if option == ["-q"]:
        assert "previewing" not in err
        assert "\x1b[" in out  # quiet is about standard error only
    else:
        assert "\x1b[" not in out and "verdict: FAIL:" in out
        assert "[1/1] b: previewing" in err


def test_silent_in_ci_unless_asked(tmp_path: Path) -> None:
    directory = stacks(tmp_path, a=2)
    command = [sys.executable, "-m", "backbone", "plan", "--stacks-dir", str(directory)]
    quiet = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "" and "\x1b[" not in quiet.stdout
    asked = subprocess.run([*command, "--progress"], capture_output=True, text=True, timeout=300, check=False)
    assert asked.stderr == "[1/1] a: previewing\n[1/1] a: judging\n[1/1] a: done: pass\n"
