"""``backbone plan`` starts its program host before its own imports (``backbone.plan_ahead``): a guess from the
command line, which imports the provider packages of the clouds the named stack files declare, and which never
starts a host for a plan that runs another program, nor reads a file that could block."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backbone import plan_ahead
from backbone.program_server import ProgramRun

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[ProgramRun]:
    runs: list[ProgramRun] = []
    monkeypatch.setattr(plan_ahead, "prestart", runs.append)
    monkeypatch.chdir(ROOT)
    return runs


def test_a_named_aws_stack_has_its_host_import_the_aws_provider_packages_ahead(started: list[ProgramRun]) -> None:
    plan_ahead.start_ahead(["plan", "aws-g6-serve", "-f", "json"])  # stacks/Pulumi.aws-g6-serve.yaml: cloud: aws
    (run,) = started
    assert run.program == ROOT / "backbone" / "program" / "__main__.py"
    assert "backbone.components.program" in run.preload
    assert "pulumi_aws.ec2.launch_template" in run.preload and "pulumi_aws.eks.node_group" in run.preload
    assert not any(m.startswith(("pulumi_gcp", "pulumi_azure_native")) for m in run.preload)


def test_a_stack_given_as_a_file_is_read_for_its_cloud(started: list[ProgramRun], tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.mine.yaml"
    stack.write_text("config:\n  backbone:cluster:\n    cloud: gcp\n    name: x\n")
    plan_ahead.start_ahead(["plan", str(stack)])
    (run,) = started
    assert "pulumi_gcp.compute.network" in run.preload and not any(m.startswith("pulumi_aws") for m in run.preload)


@pytest.mark.parametrize("option", ["--project", "--python", "--stacks-dir", "--help", "--project=../infra"])
def test_nothing_is_started_for_a_plan_of_another_program(started: list[ProgramRun], option: str) -> None:
    plan_ahead.start_ahead(["plan", option, "x"])
    assert started == []


def test_nothing_is_started_in_an_outside_projects_folder(started: list[ProgramRun], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    monkeypatch.chdir(tmp_path)  # `backbone plan` here plans that project's program
    plan_ahead.start_ahead(["plan"])
    assert started == []


def test_a_stack_file_that_is_a_pipe_is_not_read(started: list[ProgramRun], tmp_path: Path) -> None:
    pipe = tmp_path / "Pulumi.pipe.yaml"
    os.mkfifo(pipe)  # opened for reading, it would block until someone writes: the guess skips it
    plan_ahead.start_ahead(["plan", str(pipe)])
    (run,) = started
    assert run.preload == ("backbone.components.program",)


def test_starting_ahead_imports_no_sdk_grpc_or_pydantic() -> None:
    # it runs before Backbone's own imports: anything heavy here would delay the host it exists to start early
    code = ("import json, sys, backbone.plan_ahead\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         check=True)
    loaded = set(json.loads(run.stdout))
    assert not loaded & {"pulumi", "grpc", "google", "pydantic", "yaml"}, sorted(loaded)
