"""``backbone plan --project DIR`` on outside projects (hand-written, no ``components``), run from an unrelated
folder: the verdict and exit code of a real preview's policy check, every report format, findings located in
the stack file, secrets never printed, and a broken program reported at its own line with exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from backbone.cli import main
from backbone.stackfile import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "examples"
AWS = EXAMPLES / "aws-eks-gpu"
GCP = EXAMPLES / "gcp-gke-inference"
BROKEN = Path(__file__).parent / "fixtures" / "projects" / "broken"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_main_folder_of_several_modules_with_invokes_and_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # an unrelated folder
    code, out, err = run(capsys, "--project", str(AWS), "--invokes", str(AWS / "invokes.yaml"),
                         "--format", "json", "--output", "plan.json", "--format", "sarif", "--output", "plan.sarif")
    assert code == 1, err
    document = json.loads((tmp_path / "plan.json").read_text())
    dev, train = document["stacks"]
    assert (dev["stack"], dev["cloud"], dev["verdict"], dev["accelerators_max"]) == ("dev", "aws", "pass", 2)
    assert (train["stack"], train["cloud"], train["verdict"]) == ("train", "aws", "fail")
    # the zones came from the invoke facts: one subnet per zone of us-east-1, in both stacks (the program's
    # own modules are imported afresh for each stack)
    assert dev["resources_by_type"]["aws:ec2/subnet:Subnet"] == train["resources_by_type"]["aws:ec2/subnet:Subnet"] == 6
    blocking = {(v["policy"], v["resource"]) for v in train["violations"] if v["level"] == "mandatory"}
    assert {("single-zone", "h100-nodes"), ("interconnect", "h100-nodes")} <= blocking
    single_zone = next(v for v in train["violations"] if v["policy"] == "single-zone")
    assert "spans 6 zones" in single_zone["message"]
    # a finding names the instance type, so it points at the stack-file line that sets it
    assert (single_zone["config_path"], single_zone["line"]) == ("ml-platform:gpuPools[0].instanceType", 10)
    assert train["file"].endswith("examples/aws-eks-gpu/Pulumi.train.yaml")
    sarif = json.loads((tmp_path / "plan.sarif").read_text())
    assert any(r["ruleId"] == "single-zone" for r in sarif["runs"][0]["results"])
    # secrets: present for the program, never printed anywhere
    written = out + err + (tmp_path / "plan.json").read_text() + (tmp_path / "plan.sarif").read_text()
    assert "cHJldGVuZCBjaXBoZXJ0ZXh0" not in written and "v1:" not in written


def test_an_unanswered_invoke_is_exit_2_naming_the_call_and_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--project", str(AWS), "dev")
    assert code == 2
    assert out == ""
    assert "aws:ssm/getParameter:getParameter at " in err
    assert "examples/aws-eks-gpu/infra/__main__.py:20," in err
    assert '"aws:ssm/getParameter:getParameter":\n' in err and "    value: …" in err
    assert "Traceback" not in err


def test_the_current_folder_is_the_project_and_stack_config_dir_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = shutil.copytree(GCP, tmp_path / "inference")
    (project / "stacks" / "Pulumi.big.yaml").write_text(
        (project / "stacks" / "Pulumi.prod.yaml").read_text().replace("maxNodes: 4", "maxNodes: 2000"))
    monkeypatch.chdir(project)
    code, out, err = run(capsys, "prod", "big", "--format", "markdown")
    assert code == 1, err
    assert "max-accelerators" in out
    code, out, err = run(capsys, "prod")
    assert code == 0, err
    assert "== prod  (gcp, stacks/Pulumi.prod.yaml)" in out


def write_project(root: Path, main: str, **modules: str) -> Path:
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: app\nruntime: python\n")
    (root / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (root / "__main__.py").write_text(main)
    for name, text in modules.items():
        (root / f"{name}.py").write_text(text)
    return root


BROKEN_PROGRAMS = {
    "syntax error": ({"main": "import pulumi\nx = (1,\n"}, "__main__.py:2: SyntaxError: '(' was never closed"),
    "missing module": ({"main": "import pulumi\nimport pulumi_randomness\n"},
                       "__main__.py:2: ModuleNotFoundError: No module named 'pulumi_randomness' — install the "
                       "package that provides it into the environment the program runs in: "
                       "pip install pulumi-randomness"),
    "exception in a module": ({"main": "import sizes\nsizes.pick()\n",
                               "sizes": "def pick():\n    return {}['gpu']\n"}, "sizes.py:2: KeyError: 'gpu'"),
    "exit": ({"main": "import sys\nsys.exit(3)\n"}, "the program exited with status 3"),
    "missing config": ({"main": "import pulumi\n\nname = pulumi.Config().require('clusterName')\n"},
                       "__main__.py:3: Missing required configuration variable 'app:clusterName'"),
    "error in an apply": ({"main": "import pulumi_aws as aws\nv = aws.ec2.Vpc('v', cidr_block='10.0.0.0/16')\n"
                                   "aws.ec2.Subnet('s', vpc_id=v.cidr_block.apply(lambda c: 1 / 0), "
                                   "cidr_block='10.0.0.0/24')\n"},
                          "__main__.py:3: ZeroDivisionError: division by zero"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_PROGRAMS))
def test_a_failing_program_is_exit_2_with_its_own_error_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    files, expected = BROKEN_PROGRAMS[case]
    root = write_project(tmp_path / "app", files["main"], **{k: v for k, v in files.items() if k != "main"})
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--project", str(root))
    assert code == 2
    assert out == ""
    assert err.startswith("error: stack dev: ")
    assert expected in err
    assert "Traceback" not in err and "backbone/engine.py" not in err


def test_the_broken_fixture_names_its_module_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(BROKEN)
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err == "error: stack dev: the program failed: pools.py:7: KeyError: 'instanceType'\n"


def test_pack_path_prints_the_packs_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack-path"]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert (folder / "PulumiPolicy.yaml").is_file() and (folder / "__main__.py").is_file()
