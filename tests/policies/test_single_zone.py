"""single-zone, judged in this process: a multi-node training pool in one zone passes, in two or three blocks
naming the zones and the setting to fix per resource type; one node, an inference pool or a regional AKS pool
pass; unknown zones or node counts are named. Hand-written programs, and pools built by hand for the facts no
small program reaches (a known lower bound of zones)."""

from __future__ import annotations

from typing import Any

import pytest
from direct import judge, rule
from hand_pools import findings, pool
from policy_programs import Aws, Azure, Gcp

from backbone.policies.inventory import UNKNOWN
from backbone.policies.rules.base import Unverifiable, Violation

NEEDS = "a multi-node training pool needs 1 zone for its fabric and latency"


@pytest.mark.parametrize("program", [Aws(), Gcp(), Azure(), Azure().with_(zones=())], ids=["eks", "gke", "aks",
                                                                                          "aks-regional"])
def test_one_zone_passes(program: Any) -> None:
    assert judge(program, "single-zone").passed


@pytest.mark.parametrize("program, pool_words, zones, fix", [
    (Aws().with_(zones=("us-east-1a", "us-east-1b")),
     "aws:eks/nodeGroup:NodeGroup) (16 × p5.48xlarge (128 nvidia-h100-80gb)) spans 2 zones (us-east-1a, us-east-1b)",
     2, "give the node group subnets of one availability zone"),
    (Gcp().with_(node_locations=("us-central1-c", "us-central1-a", "us-central1-b")),
     "gcp:container/nodePool:NodePool) (16 × a3-megagpu-8g (128 nvidia-h100-80gb)) spans 3 zones (us-central1-a, "
     "us-central1-b, us-central1-c)", 3, "set nodeLocations to one zone"),
    (Azure().with_(zones=("1", "2")),
     "azure-native:containerservice:AgentPool) (16 × Standard_ND96isr_H100_v5 (128 nvidia-h100-80gb)) spans 2 "
     "zones (eastus-1, eastus-2)", 2, "set availabilityZones to one zone"),
], ids=["eks", "gke", "aks"])
def test_two_or_more_zones_block_naming_them_and_the_fix(program: Any, pool_words: str, zones: int,
                                                         fix: str) -> None:
    resource, message = judge(program, "single-zone").only_violation()
    assert resource == "gpu"
    assert message == f"training pool gpu ({pool_words}; {NEEDS}: {fix}"


@pytest.mark.parametrize("program", [
    Aws().with_(zones=("us-east-1a", "us-east-1b"), max_nodes=1),
    Aws().with_(zones=("us-east-1a", "us-east-1b"), purpose="inference"),
], ids=["one-node", "inference"])
def test_a_pool_that_cannot_span_nodes_or_does_not_train_may_span_zones(program: Any) -> None:
    assert judge(program, "single-zone").passed


@pytest.mark.parametrize("program, words", [
    (Aws().with_(unknown_subnet_zone=True),
     "pool gpu (aws:eks/nodeGroup:NodeGroup): zones unknown (subnetIds → private-us-east-1a.availabilityZone)"),
    (Gcp().with_(node_locations=()),
     "pool gpu (gcp:container/nodePool:NodePool): zones unknown (nodeLocations (a regional pool in us-central1 "
     "without node locations: GKE picks the zones))"),
    (Azure().with_(zones=("1", "2"), unknown_max_nodes=True),
     "pool gpu (azure-native:containerservice:AgentPool) spans 2 zones; whether it can span several nodes is "
     "unknown (maxCount)"),
], ids=["subnet-zone", "regional-gke", "aks-node-count"])
def test_unknown_zones_or_node_counts_cannot_verify(program: Any, words: str) -> None:
    judged = judge(program, "single-zone")
    assert judged.violations == [] and judged.cannot_verify == words


@pytest.mark.parametrize("resource_type, fix", [
    ("aws:eks/nodeGroup:NodeGroup", "give the node group subnets of one availability zone"),
    ("aws:autoscaling/group:Group", "give the group vpcZoneIdentifiers (subnets) of one availability zone"),
    ("kubernetes:karpenter.sh/v1:NodePool", "add a topology.kubernetes.io/zone requirement (operator In) with one "
                                            "zone"),
])
def test_a_known_lower_bound_of_zones_blocks_a_pool_that_spans_nodes(resource_type: str, fix: str) -> None:
    spread = pool(resource_type=resource_type, zones=UNKNOWN, least_zones=3,
                  unknown_inputs={"zones": "subnetIds (computed)"})
    assert findings(rule("single-zone"), spread) == [Violation(spread.urn, (
        f"training pool gpu ({resource_type}) (16 × p5.48xlarge (128 nvidia-h100-80gb)) spans at least 3 zones "
        f"(subnetIds (computed)); {NEEDS}: {fix}"))]


@pytest.mark.parametrize("changes", [{"least_zones": 1}, {"max_nodes": UNKNOWN}])
def test_without_both_bounds_unknown_zones_cannot_verify(changes: dict[str, Any]) -> None:
    spread = pool(**{"zones": UNKNOWN, "least_zones": 3, "unknown_inputs": {"zones": "subnetIds"}, **changes})
    assert findings(rule("single-zone"), spread) == [
        Unverifiable(spread.urn, "pool gpu (aws:eks/nodeGroup:NodeGroup): zones unknown (subnetIds)")]


def test_a_cloud_without_its_own_fix_is_told_to_pin_one_zone() -> None:
    other = pool(cloud="oci", resource_type="oci:containerengine/nodePool:NodePool", zones=("ad-1", "ad-2"))
    [found] = findings(rule("single-zone"), other)
    assert isinstance(found, Violation) and found.message.endswith(f"{NEEDS}: pin it to one zone")
    assert "spans 2 zones (ad-1, ad-2)" in found.message
