"""``backbone plan`` from the command line, on hand-written stack files in a temporary ``--stacks-dir``:
exit 0 / 1 / 2, ``--output``, and bad input named by file and config path, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backbone.cli import main

SERVE = """\
config:
  backbone:cluster:
    cloud: aws
    name: small
    region: us-east-1
    zone: us-east-1a
    nodePools:
      - name: l4
        instanceType: g6.xlarge
        purpose: inference
        maxNodes: {max_nodes}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def stacks_dir(tmp_path: Path, **files: str) -> Path:
    directory = tmp_path / "stacks"
    directory.mkdir()
    for stack, text in files.items():
        (directory / f"Pulumi.{stack}.yaml").write_text(text)
    return directory


def test_exit_0_without_mandatory_violation_and_the_report_to_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = stacks_dir(tmp_path, ok=SERVE.format(max_nodes=2))
    output = tmp_path / "plan.json"
    code, out, err = run(capsys, "--stacks-dir", str(directory), "--format", "json", "--output", str(output))
    assert code == 0, err
    assert out == ""
    (stack,) = json.loads(output.read_text())["stacks"]
    assert (stack["stack"], stack["cloud"], stack["verdict"]) == ("ok", "aws", "pass")
    assert stack["resources_by_type"]["aws:eks/nodeGroup:NodeGroup"] >= 1


def test_exit_1_on_a_mandatory_violation_named_with_its_resource(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = stacks_dir(tmp_path, typo=SERVE.format(max_nodes=1000))
    code, out, err = run(capsys, "typo", "--stacks-dir", str(directory))
    assert code == 1, err
    assert "MANDATORY  max-accelerators · small-l4-nodes" in out
    assert out.rstrip().splitlines()[-1].startswith("verdict: FAIL: 1 of 1 stack blocked (typo)")


def test_policy_config_can_raise_a_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = stacks_dir(tmp_path, big=SERVE.format(max_nodes=1000))
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"max-accelerators": {"poolLimit": 1000, "stackLimit": 2000}}))
    code, _, err = run(capsys, "--stacks-dir", str(directory), "--policy-config", str(config))
    assert code == 0, err


BAD_STACKS = {
    "malformed YAML": ("config:\n  backbone:cluster: [unclosed\n", "(yaml): not valid YAML at line"),
    "unknown key": (SERVE.format(max_nodes=2).replace("maxNodes", "maxNode"),
                    "backbone:cluster.nodePools[0].maxNode: unknown key 'maxNode'"),
    "wrong type": (SERVE.format(max_nodes='"many"'), "backbone:cluster.nodePools[0].maxNodes:"),
    "not a mapping": ("- just\n- a list\n", "(top level): a stack file is a mapping"),
}


@pytest.mark.parametrize("case", sorted(BAD_STACKS))
def test_a_bad_stack_file_exits_2_naming_file_and_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, expected = BAD_STACKS[case]
    directory = stacks_dir(tmp_path, bad=text)
    code, out, err = run(capsys, "--stacks-dir", str(directory))
    assert code == 2
    assert out == ""
    assert "Pulumi.bad.yaml: " in err and expected in err
    assert "Traceback" not in err


def test_every_stack_is_validated_before_anything_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = stacks_dir(
        tmp_path,
        a_good=SERVE.format(max_nodes=2),
        b_bad=SERVE.format(max_nodes=0),
        c_worse=SERVE.format(max_nodes=2).replace("g6.xlarge", "g6.huge"),
    )
    code, out, err = run(capsys, "--stacks-dir", str(directory))
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert "Pulumi.b_bad.yaml: backbone:cluster.nodePools[0].maxNodes:" in lines[0]
    assert "Pulumi.c_worse.yaml: backbone:cluster.nodePools[0].instanceType: 'g6.huge' is not in the aws catalog" \
        in lines[1]


def test_a_missing_stack_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = stacks_dir(tmp_path)
    code, _, err = run(capsys, "nope", "--stacks-dir", str(directory))
    assert code == 2
    assert "Pulumi.nope.yaml: (file): cannot read the stack file" in err
    code, _, err = run(capsys, "--stacks-dir", str(directory))
    assert code == 2 and "no Pulumi.<stack>.yaml files" in err


def test_bad_policy_config_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = stacks_dir(tmp_path, ok=SERVE.format(max_nodes=2))
    config = tmp_path / "policy-config.json"
    config.write_text('{"max-accelerators": {"poolLimit": 8,}}')
    code, out, err = run(capsys, "--stacks-dir", str(directory), "--policy-config", str(config))
    assert (code, out) == (2, "")
    assert f"{config}: (json): not valid JSON" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"max-acelerators": {"poolLimit": 8}}, "max-acelerators: no such policy; known: "),
        ({"max-accelerators": {"poolLimit": "eight"}}, "max-accelerators.poolLimit: 'eight' is not of type 'integer'"),
        ({"max-accelerators": {"poolLimt": 8}}, "max-accelerators: Additional properties are not allowed"),
        ({"max-accelerators": "blocking"}, "max-accelerators: enforcement level 'blocking'; allowed: "),
        ({"all": "blocking"}, "all: enforcement level 'blocking'; allowed: "),
    ],
    ids=["unknown policy", "wrong type", "unknown key", "unknown level", "unknown level for all"],
)
def test_policy_config_the_pack_rejects_exits_2_before_anything_is_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: dict[str, object], expected: str
) -> None:
    directory = stacks_dir(tmp_path, ok=SERVE.format(max_nodes=2))
    path = tmp_path / "policy-config.json"
    path.write_text(json.dumps(config))
    code, out, err = run(capsys, "--stacks-dir", str(directory), "--policy-config", str(path))
    assert (code, out) == (2, "")
    assert f"{path}: {expected}" in err and "Traceback" not in err


def test_an_unknown_format_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["plan", "--format", "html"])
    assert exit_.value.code == 2
    assert "invalid choice: 'html'" in capsys.readouterr().err


def test_an_output_that_cannot_be_written_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    directory = stacks_dir(tmp_path, ok=SERVE.format(max_nodes=2))
    code, out, err = run(capsys, "--stacks-dir", str(directory), "--output", str(tmp_path))
    assert (code, out) == (2, "")
    assert f"{tmp_path}: --output: cannot write the report" in err


def test_one_plan_writes_one_report_per_format_to_its_own_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = stacks_dir(tmp_path, typo=SERVE.format(max_nodes=1000))
    sarif, markdown = tmp_path / "plan.sarif", tmp_path / "plan.md"
    code, out, err = run(capsys, "--stacks-dir", str(directory), "--format", "sarif", "--output", str(sarif),
                         "--format", "markdown", "--output", str(markdown))
    assert (code, out) == (1, ""), err
    (result,) = [r for r in json.loads(sarif.read_text())["runs"][0]["results"] if r["ruleId"] == "max-accelerators"]
    assert result["level"] == "error"
    assert markdown.read_text().startswith("<!-- backbone-plan -->\n### Backbone plan: ❌ fail")
    assert f"→ {sarif}" in err and f"→ {markdown}" in err


@pytest.mark.parametrize("argv", [["--format", "sarif", "--format", "markdown", "--output", "only-one.sarif"],
                                  ["--output", "a.txt", "--output", "b.txt"]], ids=["too few", "too many"])
def test_formats_and_outputs_that_do_not_pair_exit_2_before_any_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, "nope", "--stacks-dir", str(tmp_path), *argv)  # no such stack: not read yet
    assert (code, out) == (2, "")
    assert err.startswith("error: --output: ") and "one per --format in order" in err
    assert not list(tmp_path.iterdir())
