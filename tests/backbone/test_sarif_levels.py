"""SARIF's levels, locations and baseline states as the SARIF 2.1.0 standard (OASIS, 2020-03-27 errata 01)
defines them, and as GitHub code scanning reads them: ``error`` / ``warning`` / ``note`` / ``none`` (§3.27.10),
``baselineState`` ``new`` / ``unchanged`` (§3.27.24), ``logicalLocations`` (§3.28.4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from backbone.analyzer import PolicyInfo
from backbone.policies.inventory.facts import Inventory
from backbone.report.delta import Change
from backbone.report.model import Capacity, Finding, PlanReport, StackReport
from backbone.report.sarif import document

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "backbone" / "data" / "sarif-schema-2.1.0.json")
                    .read_text())
URN = "urn:pulumi:train::backbone::aws:eks/nodeGroup:NodeGroup::gpu"


def _finding(policy: str, level: str, cannot_verify: bool = False) -> Finding:
    return Finding(policy=policy, level=level, urn=URN, message=f"{policy} found", cannot_verify=cannot_verify,
                   subject=URN)


def _report(*findings: Finding, policies: dict[str, PolicyInfo] | None = None,
            change: Change | None = None) -> dict[str, Any]:
    stack = StackReport(stack="train", cloud="aws", file="stacks/Pulumi.train.yaml", resources_by_type={},
                        capacity=Capacity.of(Inventory()), findings=findings)
    report = PlanReport(stacks=(stack,), policies=policies or {}, change=change)
    sarif = document(report)
    jsonschema.validate(sarif, SCHEMA)
    return sarif


def _levels(sarif: dict[str, Any]) -> dict[str, str]:
    return {r["ruleId"]: r["level"] for r in sarif["runs"][0]["results"]}


def test_each_enforcement_level_maps_to_its_sarif_level() -> None:
    sarif = _report(_finding("blocks", "mandatory"), _finding("fixes", "remediate"), _finding("advises", "advisory"),
                    _finding("unknown", "mandatory", cannot_verify=True))
    # a mandatory or remediate violation blocks the update (CrossGuard); advisory only warns; cannot verify
    # is not a finding about the code: note
    assert _levels(sarif) == {"blocks": "error", "fixes": "error", "advises": "warning", "unknown": "note"}


def test_a_rule_s_default_level_follows_its_enforcement_level_and_a_disabled_rule_is_none() -> None:
    policies = {name: PolicyInfo(name, f"Ensure {name}", level) for name, level in
                (("m", "mandatory"), ("r", "remediate"), ("a", "advisory"), ("d", "disabled"))}
    rules = _report(policies=policies)["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules} == {
        "m": "error", "r": "error", "a": "warning", "d": "none"}


def test_a_result_names_its_resource_as_a_logical_location() -> None:
    result = _report(_finding("blocks", "mandatory"))["runs"][0]["results"][0]
    assert result["locations"][0]["logicalLocations"] == [
        {"name": "gpu", "fullyQualifiedName": URN, "kind": "resource"}]


def test_baseline_state_is_set_on_violations_only() -> None:
    change = Change(file="base.json", stacks=(), present=frozenset({("train", "old", URN)}))
    sarif = _report(_finding("old", "mandatory"), _finding("fresh", "mandatory"),
                    _finding("unknown", "mandatory", cannot_verify=True), change=change)
    states = {r["ruleId"]: r.get("baselineState") for r in sarif["runs"][0]["results"]}
    # the baseline records violations only: a cannot-verify result has no state to compare against
    assert states == {"old": "unchanged", "fresh": "new", "unknown": None}


@pytest.mark.parametrize("file, expected", [("stacks\\Pulumi.train.yaml", "stacks/Pulumi.train.yaml"),
                                            ("stacks/a b.yaml", "stacks/a%20b.yaml")])
def test_artifact_uri_is_a_relative_uri_reference(file: str, expected: str) -> None:
    stack = StackReport(stack="train", cloud="aws", file=file, resources_by_type={},
                        capacity=Capacity.of(Inventory()), findings=(_finding("blocks", "mandatory"),))
    sarif = document(PlanReport(stacks=(stack,)))
    jsonschema.validate(sarif, SCHEMA)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == expected
