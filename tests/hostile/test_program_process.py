"""The user's program runs in a process of its own (as Pulumi's language host runs it): what it writes to file
descriptors 1 and 2 never reaches a report, a deadline stops it and everything it forked, its own top-level
packages are its own, and the interpreter it runs under is the project's. The policy pack's end is said at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backbone.analyzer import PolicyPack
from backbone.children import ended
from backbone.core.errors import CouldNotFinish
from backbone.engine import preview_function
from tests.hostile.conftest import FIXTURES, SMALL, alive, backbone
from tests.hostile.programs import (
    NODE_GROUP,
    OWN_COMPONENTS,
    SPINS,
    USES_OWN_COMPONENTS,
    WRITES_TO_FD_1,
    group_members,
    project,
    spun,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups, /proc")


def _plan(root: Path, *extra: str, seconds: str = "300", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    from tests.hostile.conftest import env

    return subprocess.run([sys.executable, "-m", "backbone", "plan", "--project", str(root), *extra],
                          cwd=root.parent, env={**env(), "BACKBONE_PREVIEW_SECONDS": seconds},
                          capture_output=True, text=True, timeout=timeout)


def test_a_program_writing_to_file_descriptor_1_leaves_the_json_report_valid(tmp_path: Path) -> None:
    run = _plan(project(tmp_path / "p", WRITES_TO_FD_1), "--format", "json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)  # stdout holds the report and nothing else
    (stack,) = report["stacks"]
    assert stack["stack"] == "dev"
    assert stack["accelerators_max"] == 16  # 2 nodes × 8 H100: the program's resources reached the pack
    # what the program wrote is shown as its output, on the log, in the order it wrote it
    shown = run.stderr.splitlines()
    assert shown.index("{raw fd 1, not json") < shown.index("printed") < shown.index("to fd 2") \
        < shown.index("from a child of the program")


def test_a_program_that_ignores_signals_forks_and_spins_is_stopped_with_everything_it_forked(tmp_path: Path) -> None:
    root = project(tmp_path / "p", SPINS)
    started = time.monotonic()
    run = _plan(root, seconds="3", timeout=60)
    took = time.monotonic() - started
    assert run.returncode in (2, 3), run.stderr
    assert "the program ran longer than 3 s (BACKBONE_PREVIEW_SECONDS)" in run.stderr
    assert "Traceback" not in run.stderr
    assert took < 30, f"stopped after {took:.0f} s"  # a bound against a hang, not a speed figure
    pids, groups = spun(root)
    assert len(pids) == 4 and len(groups) == 1  # the program and its three forks, in one group
    (pgid,) = groups
    assert pgid != os.getpgrp()  # the program's own group, not the test's or Backbone's
    assert not group_members(pgid), "the program's process group is still running"
    assert not any(alive(pid) for pid in pids)


def test_a_project_with_its_own_top_level_components_package_plans(tmp_path: Path) -> None:
    # Backbone's own components live under backbone.components: the project's `components` is its own
    root = project(tmp_path / "p", USES_OWN_COMPONENTS, files=OWN_COMPONENTS)
    run = _plan(root, "--format", "json")
    assert run.returncode == 0, run.stderr
    (stack,) = json.loads(run.stdout)["stacks"]
    assert stack["accelerators_max"] == 16


def test_python_naming_an_environment_without_pulumi_is_bad_input_naming_it(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True, timeout=120)
    python = tmp_path / "bare" / "bin" / "python"
    run = _plan(project(tmp_path / "p", NODE_GROUP), "--python", str(python))
    assert run.returncode == 2, run.stderr
    assert f"error: {python}: --python: this environment lacks the pulumi SDK" in run.stderr
    assert "No module named 'pulumi'" in run.stderr and "Traceback" not in run.stderr


def test_the_projects_own_virtualenv_runs_the_program_and_is_named_when_it_lacks_pulumi(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "p" / "venv")], check=True,
                   timeout=120)
    root = project(tmp_path / "p", NODE_GROUP)
    (root / "Pulumi.yaml").write_text("name: p\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n")
    run = _plan(root)
    assert run.returncode == 2, run.stderr
    assert f"{root / 'Pulumi.yaml'}: runtime.options.virtualenv: {root / 'venv' / 'bin' / 'python'}: this " \
           "environment lacks the pulumi SDK" in run.stderr


def test_python_naming_no_interpreter_is_bad_input(tmp_path: Path) -> None:
    run = _plan(project(tmp_path / "p", NODE_GROUP), "--python", str(tmp_path / "nowhere" / "python"))
    assert run.returncode == 2, run.stderr
    assert "--python: not an executable Python interpreter" in run.stderr


def test_python_under_its_own_environment_sees_that_environments_packages(tmp_path: Path) -> None:
    # an environment that holds pulumi (Backbone's, via system site packages) plus a module of its own
    venv = tmp_path / "own"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True,
                   timeout=120)
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "only_in_own_env.py").write_text("WHERE = 'own'\n")
    (site / "backbone_parent.pth").write_text("\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n")
    program = "import only_in_own_env\nassert only_in_own_env.WHERE == 'own'\n" + NODE_GROUP
    root = project(tmp_path / "p", program)
    assert _plan(root).returncode == 2  # Backbone's interpreter has no such module: the program fails
    run = _plan(root, "--python", str(venv / "bin" / "python"))
    assert run.returncode == 0, run.stderr


def test_the_programs_of_several_stacks_run_at_once(tmp_path: Path) -> None:
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the programs run one after the other")
    # each program waits until the other has started: run one after the other, the first would wait in vain
    program = (
        "import pathlib, time, pulumi\n"
        "stack = pulumi.get_stack()\n"
        "other = {'a': 'b', 'b': 'a'}[stack]\n"
        "pathlib.Path(f'started-{stack}').touch()\n"
        "for _ in range(600):\n"
        "    if pathlib.Path(f'started-{other}').exists():\n"
        "        break\n"
        "    time.sleep(0.1)\n"
        "else:\n"
        "    raise SystemExit(f'{other} never started while {stack} ran')\n" + NODE_GROUP
    )
    run = _plan(project(tmp_path / "p", program, stacks=("a", "b")), "--format", "json", timeout=180)
    assert run.returncode == 0, run.stderr
    assert [s["stack"] for s in json.loads(run.stdout)["stacks"]] == ["a", "b"]  # reports in the stacks' order


def test_the_programs_of_several_stacks_are_forked_from_one_host_each_in_a_group_of_its_own(tmp_path: Path) -> None:
    # the host imports the SDK once and forks each stack's process: one parent for both programs, which is neither
    # the test nor Backbone; each program leads a process group and session of its own; nothing is left after
    program = ("import os, pathlib, sys, pulumi\n"
               "parent = pathlib.Path(f'/proc/{os.getppid()}/cmdline').read_bytes().split(b'\\0')\n"
               "pathlib.Path(f'ran-{pulumi.get_stack()}').write_text(f'{os.getpid()} {os.getppid()} {os.getpgrp()} '\n"
               "    f'{os.getsid(0)} {sys.stdin.read()!r} {b\"backbone\" in parent and b\"plan\" in parent}')\n"
               + NODE_GROUP)
    root = project(tmp_path / "p", program, stacks=("a", "b", "c"))
    run = _plan(root, "--format", "json", timeout=180)
    assert run.returncode == 0, run.stderr
    assert [s["accelerators_max"] for s in json.loads(run.stdout)["stacks"]] == [16, 16, 16]
    ran = [(root / f"ran-{stack}").read_text().split(" ") for stack in "abc"]
    pids = {int(r[0]) for r in ran}
    parents = {int(r[1]) for r in ran}
    assert len(pids) == 3 and len(parents) == 1  # three processes, one host
    (host,) = parents
    assert host not in (os.getpid(), 1)
    for pid, _, group, session, stdin, parent_is_backbone in ran:
        assert int(group) == int(session) == int(pid)  # its own group and session: killed as one at a deadline
        assert stdin == "''"  # the program reads no input (its spec came on the pipe it replaced)
        assert parent_is_backbone == "False"  # forked by the host, not started by `backbone plan` itself
    assert not any(alive(pid) for pid in (*pids, host))


def test_the_provider_packages_a_program_loaded_are_imported_by_the_host_for_the_stacks_after_it(
        tmp_path: Path) -> None:
    # one stack at a time (a one-core machine's order): the first program loads pulumi_aws.eks.node_group itself
    # (that module alone, not the 60 others of pulumi_aws.eks); the host loads it before it forks the second, which
    # finds it loaded before its first line
    program = ("import sys, pathlib, pulumi\n"
               "pathlib.Path(f'had-eks-{pulumi.get_stack()}').write_text(str('pulumi_aws.eks.node_group' in "
               "sys.modules) + ' ' + str('pulumi_aws.eks.access_entry' in sys.modules))\n" + NODE_GROUP)
    from tests.hostile.conftest import env

    root = project(tmp_path / "p", program, stacks=("a", "b"))
    one_core = ("import os, runpy, sys; os.cpu_count = lambda: 1; sys.argv = ['backbone', *sys.argv[1:]]; "
                "runpy.run_module('backbone', run_name='__main__')")
    run = subprocess.run([sys.executable, "-c", one_core, "plan", "--project", str(root)], cwd=root.parent,
                         capture_output=True, text=True, timeout=180, env=env())
    assert run.returncode == 0, run.stderr
    assert (root / "had-eks-a").read_text() == "False False"
    assert (root / "had-eks-b").read_text() == "True False"


def test_a_pack_killed_before_judging_is_reported_at_once_with_its_signal(stack_dir: Path) -> None:
    (stack_dir / "Pulumi.small.yaml").write_text(SMALL)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "--policy-pack",
                    str(FIXTURES / "pack_killed_before_judging")], stack_dir, timeout=25)  # not after 30 s
    run.assert_clean_failure(3)
    assert "the policy pack was killed by signal SIGKILL before it judged anything" in run.err
    assert "did not accept a connection" not in run.err


def test_a_running_pack_killed_between_calls_is_reported_with_its_signal(tmp_path: Path) -> None:
    import signal

    import pulumi_aws as aws

    preview = preview_function(lambda: aws.ec2.Vpc("net", cidr_block="10.0.0.0/16"), "dev")
    with PolicyPack(Path(__file__).parents[2] / "backbone" / "policies") as pack:
        assert pack._process is not None
        os.kill(pack._process.pid, signal.SIGKILL)
        with pytest.raises(CouldNotFinish, match="the policy pack stopped during ConfigureStack "
                                                 r"\(it was killed by signal SIGKILL\)"):
            pack.judge(preview)


@pytest.mark.parametrize(("status", "said"), [(-9, "was killed by signal SIGKILL"), (-15, "was killed by signal "
                                              "SIGTERM"), (3, "exited with status 3"), (0, "exited with status 0")])
def test_how_a_child_ended_is_said_as_a_user_reads_it(status: int, said: str) -> None:
    assert ended(status) == said


def test_an_input_nested_too_deep_to_judge_is_bad_input_not_could_not_finish(tmp_path: Path) -> None:
    program = "import pulumi_aws as aws\nd = 'x'\nfor _ in range(300):\n    d = {'k': d}\n" \
              "aws.ec2.Vpc('v', cidr_block='10.0.0.0/16', tags={'deep': d})\n"
    run = _plan(project(tmp_path / "p", program))
    assert run.returncode == 2, run.stderr
    assert "stack dev: resource v (aws:ec2/vpc:Vpc): input tags.deep.k.k" in run.stderr
    assert "nested more than 64 levels deep" in run.stderr and "Traceback" not in run.stderr
