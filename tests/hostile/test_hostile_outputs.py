"""Where reports and stacks are written: never onto an input, never through a dangling symlink without
--force, all or nothing, and a full disk or closed output is "could not finish" (exit 3), not a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from backbone.output import write_file
from tests.hostile.conftest import SMALL, backbone, env

TRAIN = ["size", "train", "--params", "7B", "--tokens", "100B", "--days", "30", "--cloud", "aws"]


def test_a_report_onto_its_own_stack_file_is_refused_and_the_file_is_untouched(stack_dir: Path) -> None:
    path = stack_dir / "Pulumi.small.yaml"
    path.write_text(SMALL)
    run = backbone(["plan", str(path), "--output", str(path)], stack_dir)
    run.assert_clean_failure(2)
    assert "is an input of this run" in run.err
    assert path.read_text() == SMALL


def test_a_report_onto_the_policy_config_is_refused(stack_dir: Path) -> None:
    (stack_dir / "Pulumi.small.yaml").write_text(SMALL)
    config = stack_dir / "policy.json"
    config.write_text("{}")
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "--policy-config", str(config), "--output", str(config)],
                   stack_dir)
    run.assert_clean_failure(2)
    assert config.read_text() == "{}"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_could_not_finish(stack_dir: Path) -> None:
    (stack_dir / "Pulumi.small.yaml").write_text(SMALL)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "--output", "/dev/full"], stack_dir)
    run.assert_clean_failure(3)
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "backbone", "plan", "--stacks-dir", str(stack_dir)],
                              cwd=stack_dir, env=env(), stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 3 and "Traceback" not in proc.stderr, proc.stderr
    assert "could not write the report to standard output" in proc.stderr


def test_write_stack_refuses_a_dangling_symlink_without_force(tmp_path: Path) -> None:
    link = tmp_path / "Pulumi.sized.yaml"
    link.symlink_to(tmp_path / "elsewhere" / "target.yaml")
    run = backbone([*TRAIN, "--write-stack", "sized", "--stacks-dir", str(tmp_path)], tmp_path)
    run.assert_clean_failure(2)
    assert "symlink to a missing file" in run.err
    assert link.is_symlink() and not (tmp_path / "elsewhere").exists()


def test_write_stack_into_an_unwritable_place_is_bad_input(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    run = backbone([*TRAIN, "--write-stack", "sized", "--stacks-dir", str(blocker / "stacks")], tmp_path)
    run.assert_clean_failure(2)
    assert "--write-stack" in run.err


def test_an_output_through_a_symlink_replaces_the_link_not_its_target(stack_dir: Path, tmp_path: Path) -> None:
    (stack_dir / "Pulumi.small.yaml").write_text(SMALL)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    link = tmp_path / "report.md"
    link.symlink_to(precious)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "--format", "markdown", "--output", str(link)], stack_dir)
    assert run.code == 0, run.err
    assert precious.read_text() == "keep me" and not link.is_symlink() and "Backbone plan" in link.read_text()


@pytest.mark.parametrize("args", [["--days", "1e-300"], ["--mfu", "1e-320"], ["--params", "inf"]])
def test_size_with_extreme_figures_is_bad_input(tmp_path: Path, args: list[str]) -> None:
    argv = ["size", "train", "--params", "70B", "--tokens", "2T", "--days", "30"]
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    run = backbone(argv, tmp_path)
    run.assert_clean_failure(2)


def test_deeply_nested_policy_config_and_workload_files_are_bad_input(stack_dir: Path, tmp_path: Path) -> None:
    (stack_dir / "Pulumi.small.yaml").write_text(SMALL)
    config = tmp_path / "deep.json"
    config.write_text("[" * 100_000 + "]" * 100_000)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "--policy-config", str(config)], stack_dir)
    run.assert_clean_failure(2)
    assert "nested more than" in run.err
    workload = tmp_path / "workload.yaml"
    workload.write_text("kind: " + "[" * 100_000 + "]" * 100_000)
    run = backbone(["size", "train", "--workload", str(workload)], tmp_path)
    run.assert_clean_failure(2)
    assert "nested more than" in run.err


@pytest.mark.parametrize("config", ['{"monthly-budget": []}', '{"monthly-budget": {"usd": "lots"}}', '[1, 2]',
                                    '{"all": {"x": 1}}', '{"max-accelerators": {"poolLimit": true}}'])
def test_a_policy_config_of_an_unexpected_shape_is_bad_input(stack_dir: Path, tmp_path: Path, config: str) -> None:
    (stack_dir / "Pulumi.small.yaml").write_text(SMALL)
    path = tmp_path / "policy.json"
    path.write_text(config)
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "--policy-config", str(path)], stack_dir)
    run.assert_clean_failure(2)
    assert "policy.json" in run.err


def test_a_number_that_overflows_to_infinity_is_bad_input(stack_dir: Path, tmp_path: Path) -> None:
    """``1e400`` is valid JSON that Python reads as infinity: a budget or a price of infinity is refused where
    the file is read, for the policy config and for ``size --prices`` alike."""
    (stack_dir / "Pulumi.small.yaml").write_text(SMALL)
    config = tmp_path / "policy.json"
    config.write_text('{"monthly-budget": {"usd": 1e400}}')
    run = backbone(["plan", "--stacks-dir", str(stack_dir), "--policy-config", str(config)], stack_dir)
    run.assert_clean_failure(2)
    assert "policy.json" in run.err and "1e400 is beyond what a number here can hold" in run.err
    prices = tmp_path / "prices.json"
    prices.write_text('{"aws": {"p5.48xlarge": 1e400}}')
    run = backbone(["size", "train", "--params", "7B", "--tokens", "100B", "--days", "30", "--prices", str(prices)],
                   tmp_path)
    run.assert_clean_failure(2)
    assert "prices.json" in run.err


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_report_is_written_with_the_users_umask_into_a_folder_made_for_it(tmp_path: Path, umask: int,
                                                                            mode: int) -> None:
    target = tmp_path / "reports" / "deep" / "plan.md"  # the folders do not exist yet
    previous = os.umask(umask)
    try:
        write_file(target, "report\n", "--output")
    finally:
        os.umask(previous)
    assert target.read_text() == "report\n"
    assert stat.S_IMODE(target.stat().st_mode) == mode  # as `> plan.md` in a shell makes it
    assert not [p for p in target.parent.iterdir() if p != target]  # no temporary file left beside it
