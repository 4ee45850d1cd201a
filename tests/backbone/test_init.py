"""``backbone init``: a ready project (as ``pulumi new`` writes one) that plans as it is, never overwriting; and
``size --write-stack``, which writes into the current project's stacks folder, never into the package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from backbone.cli import main

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_init_writes_a_project_that_plans_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "llm-serving"
    assert main(["init", str(project), "--cloud", "gcp", "--purpose", "inference"]) == 0
    assert sorted(p.name for p in project.iterdir()) == [
        ".gitignore", "Pulumi.dev.yaml", "Pulumi.yaml", "__main__.py", "requirements.txt"]
    pulumi_yaml = yaml.safe_load((project / "Pulumi.yaml").read_text())
    assert pulumi_yaml["name"] == "llm-serving"
    assert pulumi_yaml["runtime"] == {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    assert "backbone[gcp]~=" in (project / "requirements.txt").read_text()
    cluster = yaml.safe_load((project / "Pulumi.dev.yaml").read_text())["config"]["backbone:cluster"]
    assert cluster["cloud"] == "gcp"
    assert {pool["purpose"] for pool in cluster["nodePools"]} >= {"inference"}
    capsys.readouterr()
    monkeypatch.chdir(project)  # `backbone plan` in the new project, as its next steps say
    assert main(["plan", "--format", "json"]) == 0
    [stack] = json.loads(capsys.readouterr().out)["stacks"]
    assert (stack["stack"], stack["cloud"], stack["verdict"]) == ("dev", "gcp", "pass")
    assert stack["accelerators_max"] > 0


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: mine\n")
    assert main(["init", str(tmp_path), "--cloud", "aws", "--purpose", "training"]) == 2
    err = capsys.readouterr().err
    assert "Pulumi.yaml: DIR: exists: backbone init never overwrites" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Pulumi.yaml"]  # nothing else written either
    assert (tmp_path / "Pulumi.yaml").read_text() == "name: mine\n"


@pytest.mark.parametrize(("argv", "says"), [
    (["--cloud", "oracle", "--purpose", "training"], "argument --cloud: invalid choice: 'oracle'"),
    (["--cloud", "aws"], "the following arguments are required: --purpose"),
    (["--cloud", "aws", "--purpose", "training", "--stack", "a/b"], "--stack: 'a/b' is not a stack name"),
])
def test_init_refuses_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                  says: str) -> None:
    try:
        code = main(["init", str(tmp_path / "p"), *argv])
    except SystemExit as exc:
        code = int(str(exc.code))
    assert code == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


SIZE = ["size", "train", "--params", "7B", "--tokens", "100B", "--days", "30", "--cloud", "aws"]


def test_write_stack_writes_into_the_current_projects_stacks_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\nstackConfigDir: envs\n")
    (tmp_path / "__main__.py").write_text("")
    monkeypatch.chdir(tmp_path)
    assert main([*SIZE, "--write-stack", "sized"]) == 0
    assert yaml.safe_load((tmp_path / "envs" / "Pulumi.sized.yaml").read_text())["config"]["backbone:cluster"]


def test_write_stack_outside_a_project_needs_stacks_dir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([*SIZE, "--write-stack", "sized"]) == 2
    assert "--write-stack: no Pulumi.yaml in the current folder: run it in the project the stack is for, or pass " \
           "--stacks-dir DIR" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
