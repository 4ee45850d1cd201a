"""``backbone plan`` on the example stacks: each passes with no mandatory violation, and a broken variant of
each (one change to its stack file) fails for the right policy, on the right resource, pointing at the
right config entry. One plan over all of them: one pack, as in CI."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from backbone.judging import plan
from backbone.report import PlanReport, StackReport, render
from backbone.stackfile import PROJECT_ROOT, find_stacks

EXAMPLES = find_stacks(PROJECT_ROOT / "stacks")

# stack → (the one change: list, index, key, new value or None to delete the entry),
#         (the policy that must fail, the resource type::name it must name, the config path it points at)
BREAKS: dict[str, tuple[tuple[str, int, str | None, Any], tuple[str, str, str]]] = {
    "aws-p5-train": (("nodePools", 0, "maxNodes", 1000),
                     ("max-accelerators", "aws:eks/nodeGroup:NodeGroup::llm-train-h100-nodes",
                      "backbone:cluster.nodePools[0].maxNodes")),
    "aws-g6-serve": (("nodePools", 0, "maxNodes", 1000),
                     ("max-accelerators", "aws:eks/nodeGroup:NodeGroup::llm-serve-l4-nodes",
                      "backbone:cluster.nodePools[0].maxNodes")),
    "azure-ndh100-train": (("storage", 0, "throughputMBpsPerTiB", 125),  # tier cut: 78 MB/s per GPU
                           ("storage-throughput", "azure-native:storagecache:AmlFilesystem::llm-train-scratch-lustre",
                            "backbone:cluster.storage[0].throughputMBpsPerTiB")),
    "azure-nca100-serve": (("nodePools", 0, "maxNodes", 1000),
                           ("max-accelerators", "azure-native:containerservice:AgentPool::llm-serve-a100-pool",
                            "backbone:cluster.nodePools[0].maxNodes")),
    "gcp-a3mega-train": (("nodePools", 0, "maxNodes", 1000),
                         ("max-accelerators", "gcp:container/nodePool:NodePool::llm-train-h100-pool",
                          "backbone:cluster.nodePools[0].maxNodes")),
    "gcp-l4-serve": (("nodePools", 0, "maxNodes", 1000),
                     ("max-accelerators", "gcp:container/nodePool:NodePool::llm-serve-l4-pool",
                      "backbone:cluster.nodePools[0].maxNodes")),
    "gcp-v5p-train": (("storage", 0, None, None),  # the parallel file system dropped
                      ("storage-throughput", "gcp:container/nodePool:NodePool::tpu-train-v5p-pool",
                       "backbone:cluster.nodePools[0].maxNodes")),
}


def broken_variant(example: Path, directory: Path) -> Path:
    stack = example.name[len("Pulumi."):-len(".yaml")]
    (where, index, key, value), _ = BREAKS[stack]
    data = yaml.safe_load(example.read_text())
    broken = copy.deepcopy(data)
    entries = broken["config"]["backbone:cluster"][where]
    if key is None:
        del entries[index]
    else:
        entries[index][key] = value
    path = directory / f"Pulumi.{stack}-broken.yaml"
    path.write_text(yaml.safe_dump(broken, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, StackReport]:
    directory = tmp_path_factory.mktemp("broken")
    paths = list(EXAMPLES) + [broken_variant(p, directory) for p in EXAMPLES]
    return {s.stack: s for s in plan(paths).stacks}


def test_there_are_example_stacks_on_every_cloud() -> None:
    clouds = {yaml.safe_load(p.read_text())["config"]["backbone:cluster"]["cloud"] for p in EXAMPLES}
    assert clouds == {"aws", "gcp", "azure"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_stack_has_a_broken_variant(example: Path) -> None:
    assert example.name[len("Pulumi."):-len(".yaml")] in BREAKS


def test_the_example_stacks_pass_with_no_mandatory_violation(reports: dict[str, StackReport]) -> None:
    examples = tuple(s for name, s in reports.items() if not name.endswith("-broken"))
    assert len(examples) == len(EXAMPLES)
    blocking = {s.stack: [(f.policy, f.resource, f.message) for f in s.findings if f.blocking] for s in examples}
    assert PlanReport(stacks=examples).exit_code == 0, blocking


@pytest.mark.parametrize("stack", sorted(BREAKS))
def test_a_broken_variant_fails_for_the_right_policy_and_resource(
    reports: dict[str, StackReport], stack: str
) -> None:
    if f"{stack}-broken" not in reports:
        pytest.skip(f"no example stack {stack}")
    policy, resource, config_path = BREAKS[stack][1]
    broken = reports[f"{stack}-broken"]
    assert broken.verdict == "fail"
    hits = [f for f in broken.violations if f.policy == policy and f.blocking]
    assert hits, [(f.policy, f.urn) for f in broken.violations]
    assert any(f.urn.endswith(resource) and f.config_path == config_path and f.line for f in hits), hits


def test_the_reports_of_real_findings_are_valid(reports: dict[str, StackReport]) -> None:
    """SARIF of the pack's real findings (violations and cannot verify) validates; JSON round-trips."""
    report = PlanReport(stacks=tuple(reports.values()))
    schema = json.loads((PROJECT_ROOT / "backbone" / "data" / "sarif-schema-2.1.0.json").read_text())
    doc = json.loads(render(report, "sarif"))
    jsonschema.Draft4Validator(schema).validate(doc)
    assert any(r["level"] == "error" and "region" in r["locations"][0]["physicalLocation"]
               for r in doc["runs"][0]["results"])
    stacks = json.loads(render(report, "json"))["stacks"]
    assert {s["stack"] for s in stacks} == set(reports)
