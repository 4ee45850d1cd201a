"""``backbone plan --project DIR`` on outside projects (hand-written, no ``components``), run from an unrelated
folder: the verdict and exit code of a real preview's policy check, every report format, findings located in
the stack file, secrets never printed, and a broken program reported at its own line with exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from backbone.cli import main
from backbone.stackfile import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "examples"
AWS = EXAMPLES / "aws-eks-gpu"
GCP = EXAMPLES / "gcp-gke-inference"
BROKEN = Path(__file__).parent / "fixtures" / "projects" / "broken"
SARIF_SCHEMA = json.loads((PROJECT_ROOT / "backbone" / "data" / "sarif-schema-2.1.0.json").read_text())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_main_folder_of_several_modules_with_invokes_and_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # an unrelated folder
    code, out, err = run(capsys, "--project", str(AWS), "--invokes", str(AWS / "invokes.yaml"),
                         "--format", "json", "--output", "plan.json", "--format", "sarif", "--output", "plan.sarif",
                         "--format", "text", "--output", "plan.txt", "--format", "markdown", "--output", "plan.md")
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
    # a finding points at the program line that registered the resource it judges
    program = AWS / "infra" / "__main__.py"
    registered = program.read_text().splitlines().index("    aws.eks.NodeGroup(") + 1
    assert (single_zone["program_file"], single_zone["program_line"]) == (str(program), registered)
    assert single_zone["config_path"] is None  # a hand-written program: no stack-file key is guessed
    assert train["file"].endswith("examples/aws-eks-gpu/Pulumi.train.yaml")
    sarif = json.loads((tmp_path / "plan.sarif").read_text())
    (result,) = [r for r in sarif["runs"][0]["results"]
                 if r["ruleId"] == "single-zone" and r["properties"]["stack"] == "train"]
    location = result["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == (str(program), registered)
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == train["file"]
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    assert f"at {program}:{registered}" in (tmp_path / "plan.txt").read_text()
    # what the cost counts beside the accelerators, at the EKS price page's $0.10 per cluster-hour (730 h)
    assert [(s["name"], s["monthly_usd"]) for s in train["cost_coverage"]["services"]] == [("EKS control plane", 73.0)]
    assert "cost leaves out:" in (tmp_path / "plan.txt").read_text()
    assert f"`{program}:{registered}`" in (tmp_path / "plan.md").read_text()
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
                       "package that provides it into the environment backbone runs in: pip install pulumi-randomness"),
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


US_WEST_2 = """\
import json

import pulumi_aws as aws

zones = aws.get_availability_zones(state="available").names
trust = aws.iam.get_policy_document(statements=[aws.iam.GetPolicyDocumentStatementArgs(
    actions=["sts:AssumeRole"],
    principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=["ec2.amazonaws.com"])],
)])
role = aws.iam.Role("nodes", assume_role_policy=trust.json)
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
for i, zone in enumerate(zones):
    aws.ec2.Subnet(f"private-{zone}", vpc_id=vpc.id, availability_zone=zone, cidr_block=f"10.0.{i}.0/24")
"""


def project(root: Path, program: str, stacks: dict[str, str]) -> Path:
    root.mkdir()
    (root / "Pulumi.yaml").write_text("name: app\nruntime: python\n")
    (root / "__main__.py").write_text(program)
    for name, text in stacks.items():
        (root / f"Pulumi.{name}.yaml").write_text(text)
    return root


def test_a_us_west_2_program_with_a_policy_document_and_zones_plans_with_no_invokes_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "app", US_WEST_2, {"dev": "config:\n  aws:region: us-west-2\n"})
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--project", str(root), "--format", "json")
    assert code == 0, err
    (dev,) = json.loads(out)["stacks"]
    # us-west-2 has four zones (usw2-az1 … usw2-az4 in AWS's zone table): one subnet in each
    assert dev["resources_by_type"]["aws:ec2/subnet:Subnet"] == 4
    assert dev["resources_by_type"]["aws:iam/role:Role"] == 1
    assert dev["unknown_invokes"] == []


TWO_DATA_SOURCES = """\
import pulumi_aws as aws

ami = aws.ssm.get_parameter(name="/aws/service/eks/ami")
vpc = aws.ec2.get_vpc_output(default=True)
aws.ec2.LaunchTemplate("nodes", image_id=ami.value)
aws.ec2.Subnet("extra", vpc_id=vpc.id, cidr_block="10.0.9.0/24")
"""


def test_two_unanswered_data_sources_are_named_in_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "app", TWO_DATA_SOURCES, {"dev": "config:\n  aws:region: us-west-2\n",
                                                        "prod": "config:\n  aws:region: eu-west-1\n"})
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--project", str(root))
    assert code == 2
    assert out == ""
    assert "4 provider function call(s) cannot be answered offline" in err  # two calls in each of two stacks
    for stack in ("dev", "prod"):
        assert f"stack {stack}: the program calls the provider function aws:ssm/getParameter:getParameter at " in err
        assert f"stack {stack}: the program calls the provider function aws:ec2/getVpc:getVpc at " in err
    assert "app/__main__.py:3," in err and "app/__main__.py:4," in err
    # one skeleton for the whole run, each function once
    assert err.count('"aws:ssm/getParameter:getParameter":') == 1 and err.count('"aws:ec2/getVpc:getVpc":') == 1
    assert "Traceback" not in err


def test_unknown_invokes_goes_on_and_the_report_names_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "app", TWO_DATA_SOURCES, {"dev": "config:\n  aws:region: us-west-2\n"})
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--project", str(root), "--unknown-invokes", "--format", "json")
    assert code == 0, err
    (dev,) = json.loads(out)["stacks"]
    assert [u.split(" at ")[0] for u in dev["unknown_invokes"]] == ["aws:ssm/getParameter:getParameter",
                                                                     "aws:ec2/getVpc:getVpc"]
