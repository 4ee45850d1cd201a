"""The reports of ``backbone plan`` over a tiny pack and program (tests/backbone/fixtures): exit codes, the
JSON contract, one Markdown row per stack, SARIF valid against the 2.1.0 schema and pointing at the line of
the offending pool, cannot-verify findings shown and counted apart. The real rules are tested elsewhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from backbone.core import catalog
from backbone.core.errors import ConfigError
from backbone.judging import plan
from backbone.report import PlanReport, render
from backbone.stackfile import PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = json.loads((PROJECT_ROOT / "backbone" / "data" / "sarif-schema-2.1.0.json").read_text())

STACK = """\
# a comment line, so the pool is not at a guessable line
config:
  backbone:cluster:
    cloud: aws
    name: {name}
    region: us-east-1
    zone: us-east-1a
    nodePools:
      - name: small
        instanceType: g6.xlarge
        maxNodes: 2
      - name: h100
        instanceType: p5.48xlarge
        maxNodes: {max_nodes}
    storage:
      - name: data
        kind: bucket
"""


def write_stack(directory: Path, stack: str, max_nodes: int) -> Path:
    path = directory / "stacks" / f"Pulumi.{stack}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(STACK.format(name=stack, max_nodes=max_nodes))
    return path


def per_node(instance_type: str) -> int:
    row = catalog.load().instance("aws", instance_type)
    assert row is not None
    return row.accelerator_count


def run_plan(paths: list[Path], config: dict[str, Any] | None = None) -> PlanReport:
    return plan(paths, config or {}, program=FIXTURES / "program", pack_dir=FIXTURES / "pack")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("plan")


@pytest.fixture(scope="module")
def report(workdir: Path) -> PlanReport:
    """Two stacks: ``ok`` (4 nodes, under the fixture pack's limit of 8) and ``big`` (1,000 nodes)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workdir)
        return run_plan([write_stack(workdir, "ok", 4), write_stack(workdir, "big", 1000)])


def test_a_mandatory_violation_fails_the_stack_and_the_plan(report: PlanReport) -> None:
    verdicts = {s.stack: s.verdict for s in report.stacks}
    assert verdicts == {"ok": "pass", "big": "fail"}
    assert report.exit_code == 1


def test_the_violation_names_the_resource_and_its_config_entry(report: PlanReport) -> None:
    big = report.stacks[1]
    (violation,) = [f for f in big.violations if f.policy == "node-limit"]
    assert violation.urn.endswith("aws:eks/nodeGroup:NodeGroup::big-h100-nodes")
    assert violation.config_path == "backbone:cluster.nodePools[1]"
    assert violation.line == STACK.splitlines().index("      - name: h100") + 1
    assert "1000 nodes" in violation.message and not violation.message.startswith("Ensure")


def test_cannot_verify_is_shown_and_counted_apart_never_blocking(report: PlanReport) -> None:
    ok = report.stacks[0]
    assert sorted(f.policy for f in ok.cannot_verify) == ["price-known", "subnet-known", "subnet-known"]
    assert ok.verdict == "pass"  # price-known is mandatory, but could not be judged
    text = render(report, "text")
    assert "cannot verify" in text and "nodeRoleArn can't be known during preview" in text
    assert text.rstrip().splitlines()[-1].endswith("1 mandatory, 0 advisory, 6 cannot verify")


def test_a_stack_level_finding_without_a_urn_is_about_the_stack_not_a_name_in_its_message(
        report: PlanReport) -> None:
    big = report.stacks[1]
    (unknown,) = [f for f in big.cannot_verify if f.policy == "price-known"]
    assert unknown.urn == ""  # CrossGuard's "cannot verify" carries no URN
    assert "big-h100-nodes" in unknown.message  # named in the words, which locate nothing
    assert unknown.resource == "(stack)"
    assert unknown.config_path == "backbone:cluster"
    assert unknown.line == STACK.splitlines().index("  backbone:cluster:") + 1


def test_policy_config_reaches_the_pack(workdir: Path) -> None:
    passing = run_plan([write_stack(workdir, "cfg", 16)], {"node-limit": {"limit": 16}})
    assert passing.exit_code == 0
    advisory = run_plan([write_stack(workdir, "cfg", 16)], {"all": "advisory"})  # every policy's level
    assert advisory.exit_code == 0
    assert [f.level for f in advisory.stacks[0].violations if f.policy == "node-limit"] == ["advisory"]
    with pytest.raises(ConfigError) as err:
        run_plan([write_stack(workdir, "cfg", 16)], {"node-limt": {"limit": 16}})
    assert "node-limt" in str(err.value) and "no such policy" in str(err.value)


def test_json_carries_the_contract_fields(report: PlanReport) -> None:
    doc = json.loads(render(report, "json"))
    big = next(s for s in doc["stacks"] if s["stack"] == "big")
    assert big["cloud"] == "aws"
    assert big["accelerators_max"] == 2 * per_node("g6.xlarge") + 1000 * per_node("p5.48xlarge")
    assert isinstance(big["monthly_cost_usd_max"], int | float)
    violation = next(v for v in big["violations"] if v["policy"] == "node-limit")
    assert set(violation) >= {"policy", "level", "urn", "message"}
    assert violation["level"] == "mandatory"
    assert sorted(c["policy"] for c in big["cannot_verify"]) == ["price-known", "subnet-known", "subnet-known"]
    assert big["verdict"] == "fail" and doc["verdict"] == "fail"


def test_markdown_has_one_summary_row_per_stack_then_the_violations(report: PlanReport) -> None:
    lines = render(report, "markdown").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| stack | cloud |"))
    rows = []
    for line in lines[header + 2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    assert [r.split("|")[1].strip() for r in rows] == ["`ok`", "`big`"]
    assert "❌ fail" in rows[1] and "✅ pass" in rows[0]
    assert f"0–{2 * per_node('g6.xlarge') + 1000 * per_node('p5.48xlarge'):,}" in rows[1]
    violations = lines[lines.index("#### Violations"):]
    assert any("`node-limit`" in line and "`big-h100-nodes`" in line for line in violations)


def test_sarif_is_valid_and_points_at_the_stack_file_and_line(report: PlanReport) -> None:
    doc = json.loads(render(report, "sarif"))
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    run = doc["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {"node-limit", "has-storage", "subnet-known", "price-known"} <= set(rules)
    (result,) = [r for r in run["results"] if r["ruleId"] == "node-limit"]
    assert result["level"] == "error"
    assert rules[result["ruleIndex"]] == "node-limit"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "stacks/Pulumi.big.yaml"
    assert location["region"]["startLine"] == STACK.splitlines().index("      - name: h100") + 1
    notes = [r for r in run["results"] if r["level"] == "note"]
    assert sorted(r["ruleId"] for r in notes) == ["price-known"] * 2 + ["subnet-known"] * 4


def test_the_schema_rejects_what_it_should() -> None:
    """The schema in backbone/data is the real one, not a permissive stand-in."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate({"version": "2.1.0", "runs": [{"results": []}]})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate({"version": "2.0.0", "runs": []})
