"""From the resource a finding names back to the stack-config entry behind it."""

from __future__ import annotations

import pytest

from backbone.components.spec import from_config
from backbone.locating import config_path_of

CLUSTER = from_config({"backbone:cluster": {
    "cloud": "aws", "name": "llm", "region": "us-east-1", "zone": "us-east-1a",
    "nodePools": [
        {"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 2},
        {"name": "h100-big", "instanceType": "p5.48xlarge", "maxNodes": 4},
    ],
    "storage": [{"name": "scratch", "kind": "lustre", "capacityTiB": 4.8, "throughputMBpsPerTiB": 250}],
}}).cluster


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::backbone::backbone:aws:GpuNodePool${type_}::{name}"


@pytest.mark.parametrize(
    ("policy", "name", "expected"),
    [
        ("max-accelerators", "llm-h100-nodes", "backbone:cluster.nodePools[0].maxNodes"),
        ("max-accelerators", "llm-h100-big-nodes", "backbone:cluster.nodePools[1].maxNodes"),  # longest wins
        ("idle-accelerators", "llm-h100-big-nodes", "backbone:cluster.nodePools[1].minNodes"),
        ("interconnect", "llm-h100-placement", "backbone:cluster.nodePools[0].instanceType"),
        ("storage-throughput", "llm-scratch-filesystem", "backbone:cluster.storage[0].throughputMBpsPerTiB"),
        ("encrypted-storage", "llm-scratch-filesystem", "backbone:cluster.storage[0]"),
        ("private-nodes", "llm-h100", "backbone:cluster.nodePools[0]"),
        ("max-accelerators", "llm-vpc", "backbone:cluster.nodePools"),  # not a pool's: the list
        ("single-zone", "someone-elses-nodes", "backbone:cluster"),
    ],
)
def test_a_resource_leads_to_its_entry_and_the_policy_to_the_key(policy: str, name: str, expected: str) -> None:
    assert config_path_of(policy, urn("aws:eks/nodeGroup:NodeGroup", name), CLUSTER) == expected


def test_a_finding_on_the_whole_stack_points_at_the_list_it_is_about() -> None:
    assert config_path_of("storage-throughput", "", CLUSTER) == "backbone:cluster.storage"
    stack = "urn:pulumi:dev::backbone::pulumi:pulumi:Stack::backbone-dev"
    assert config_path_of("tpu-topology", stack, CLUSTER) == "backbone:cluster"
