"""The never-silent paths of the inventory, rule by rule in this process (``direct``): a pool whose instance
type is unknown in preview, an unreadable pool, an unknown setting, several candidate types, a Capacity Block
bought through a launch template — each judged or named, never dropped. Hand-written programs only."""

from __future__ import annotations

from typing import Any

import pytest
from direct import judge, judge_resources, rule
from policy_programs import Aws, Gcp, unknown
from pulumi_policy import PolicyResource

POLICIES_THAT_COUNT = ["max-accelerators", "monthly-budget", "storage-throughput", "interconnect"]


def bare_gke() -> None:
    """A 500-node GKE pool whose machine type is unknown in preview, nothing else saying "accelerator"."""
    import pulumi_gcp.compute as compute
    import pulumi_gcp.container as container

    main = compute.Network("main", auto_create_subnetworks=False)
    container.NodePool("gpu", cluster="train", location="us-central1", node_locations=["us-central1-a"],
                       autoscaling=container.NodePoolAutoscalingArgs(total_min_node_count=0,
                                                                     total_max_node_count=500),
                       node_config=container.NodePoolNodeConfigArgs(machine_type=unknown("a3-megagpu-8g", main.id)))


def bare_aks() -> None:
    """A 500-node AKS pool whose VM size is unknown in preview, no labels."""
    from pulumi_azure_native import containerservice

    cluster = containerservice.ManagedCluster("train", resource_group_name="ml", location="eastus", dns_prefix="t")
    containerservice.AgentPool("gpu", resource_group_name="ml", resource_name_=cluster.name,
                               vm_size=unknown("Standard_ND96isr_H100_v5", cluster.id), enable_auto_scaling=True,
                               count=0, min_count=0, max_count=500, availability_zones=["1"])


@pytest.mark.parametrize("program, pool", [(bare_gke, "pool gpu (gcp:container/nodePool:NodePool)"),
                                           (bare_aks, "pool gpu (azure-native:containerservice:AgentPool)")])
@pytest.mark.parametrize("policy", POLICIES_THAT_COUNT)
def test_a_pool_of_unknown_type_cannot_verify_on_every_rule_that_counts(program: Any, pool: str,
                                                                        policy: str) -> None:
    judged = judge(program, policy)
    assert judged.violations == [], judged
    assert judged.cannot_verify is not None and pool in judged.cannot_verify, judged


@pytest.mark.parametrize("type_", ["gcp:container/nodePool:NodePool", "azure-native:containerservice:AgentPool",
                                   "aws:eks/nodeGroup:NodeGroup"])
def test_an_unreadable_pool_cannot_verify_and_is_named(type_: str) -> None:
    junk = PolicyResource(type_, "junk", f"urn:pulumi:s::p::{type_}::gpu", "gpu",  # type: ignore[arg-type]
                          None, None, None, [], {})
    judged = judge_resources(rule("max-accelerators"), [junk])
    assert judged.violations == [] and judged.cannot_verify is not None
    assert f"pool gpu ({type_})" in judged.cannot_verify


def test_unknown_private_nodes_on_gke_cannot_verify_not_public() -> None:
    judged = judge(Gcp(unknown_private=True), "private-nodes")
    assert judged.violations == [] and judged.cannot_verify is not None
    assert "networkConfig.enablePrivateNodes" in judged.cannot_verify


@pytest.mark.parametrize("private, public", [(True, False), (False, True)])
def test_known_private_nodes_on_gke(private: bool, public: bool) -> None:
    assert judge(Gcp(private=private), "private-nodes").passed is not public


def test_unknown_public_ip_on_aws_cannot_verify() -> None:
    judged = judge(Aws(unknown_public_ip=True), "private-nodes")
    assert judged.violations == [] and judged.cannot_verify is not None


# EC2 Capacity Blocks for ML: p5.48xlarge at $39.33 per instance-hour effective rate (us-east-1, the table
# current until 2025-01-01: aws.amazon.com/ec2/capacityblocks/pricing) against $55.04 on demand: 16 nodes ×
# 730 h = $459,374.40 a month as a Capacity Block, $642,867.20 on demand.
BLOCK_MONTH = 16 * 39.33 * 730


@pytest.mark.parametrize("budget, blocks", [(BLOCK_MONTH - 1, True), (BLOCK_MONTH + 1, False)])
def test_a_capacity_block_bought_through_the_launch_template_is_priced_as_a_block(budget: float,
                                                                                  blocks: bool) -> None:
    judged = judge(Aws(fs=False, market="capacity-block"), "monthly-budget", {"usd": budget})
    if blocks:
        _, message = judged.only_violation()
        assert "$459,374 a month" in message and "Capacity Block" in message
    else:
        assert judged.passed, judged


def test_spot_through_the_launch_template_is_not_on_demand() -> None:
    judged = judge(Aws(fs=False, market="spot"), "monthly-budget", {"usd": 1})
    _, message = judged.only_violation()
    assert "spot" in message


def mixed_types() -> None:
    """An EKS node group that may launch a g5.xlarge (1 A10G) or a p5.48xlarge (8 H100), 16 nodes at most."""
    from pulumi_aws import eks

    eks.NodeGroup("gpu", cluster_name="train", node_role_arn="arn:aws:iam::123456789012:role/node",
                  subnet_ids=["subnet-1"], instance_types=["g5.xlarge", "p5.48xlarge"],
                  scaling_config=eks.NodeGroupScalingConfigArgs(min_size=0, max_size=16, desired_size=0),
                  labels={"backbone.dev/purpose": "training"})


def test_a_pool_of_several_types_is_judged_on_the_one_with_most_accelerators_and_says_so() -> None:
    resource, message = judge(mixed_types, "max-accelerators", {"poolLimit": 127}).only_violation()
    assert resource == "gpu" and "judged as p5.48xlarge" in message and "128 accelerators" in message
    assert judge(mixed_types, "max-accelerators", {"poolLimit": 128}).passed


def test_a_pool_rule_names_the_violating_candidate() -> None:
    # p5.48xlarge needs EFA (32 interfaces) for multi-node training; a g5.xlarge node has one GPU and no fabric
    # to configure: only the p5 candidate violates, and the finding names it
    judged = judge(mixed_types, "interconnect")
    assert judged.violations, judged
    assert all("judged as p5.48xlarge" in m for _, m in judged.violations), judged
