"""The small pool and storage rules judged in this process on hand-built pools (hand_pools: 16 × p5.48xlarge in
us-east-1, 8 H100 a node per aws.amazon.com/ec2/instance-types/p5): each finding lands on its own resource (the
URN ``strict`` reports it on), a pool of a cloud the rule has no advice for gets the generic fix, and the limits
exactly at and just past.

A cloud nobody lists is written ``oci`` here (Oracle Cloud, not read by Backbone): what a rule says for it is its
generic advice."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hand_pools import findings, pool
from test_monthly_budget_direct import fsx

from backbone.policies.inventory import UNKNOWN, Inventory
from backbone.policies.rules.compact_placement import CompactPlacement
from backbone.policies.rules.encrypted_storage import EncryptedStorage
from backbone.policies.rules.known_accelerator import KnownAccelerator
from backbone.policies.rules.pool_purpose import PoolPurpose
from backbone.policies.rules.private_nodes import PrivateNodes
from backbone.policies.rules.single_zone import SingleZone

OCI = {"cloud": "oci", "resource_type": "oci:containerengine/nodePool:NodePool"}
URN = pool().urn


def kinds(rule: Any, **changes: Any) -> list[tuple[str, str, str]]:
    return [(type(f).__name__, f.urn, f.message) for f in findings(rule, pool(**changes))]


@pytest.mark.parametrize("rule, changes, kind", [
    (SingleZone(), {"zones": UNKNOWN, "unknown_inputs": {"zones": "subnetIds"}}, "Unverifiable"),
    (SingleZone(), {"zones": ("us-east-1a", "us-east-1b"), "max_nodes": UNKNOWN}, "Unverifiable"),
    (PrivateNodes(), {"public_ips": UNKNOWN}, "Unverifiable"),
    (PrivateNodes(), {"public_ips": True}, "Violation"),
    (CompactPlacement(), {"compact": UNKNOWN, "compact_missing": "placementGroup unknown"}, "Unverifiable"),
    (KnownAccelerator(), {"instance_type": UNKNOWN, "instance": None}, "Unverifiable"),
])
def test_each_finding_lands_on_its_pool(rule: Any, changes: dict[str, Any], kind: str) -> None:
    got = kinds(rule, **changes)
    assert [(k, urn) for k, urn, _ in got] == [(kind, URN)]


def test_a_pool_known_to_span_at_least_two_zones_is_a_violation_even_with_its_zones_unknown() -> None:
    got = kinds(SingleZone(), zones=UNKNOWN, least_zones=2, unknown_inputs={"zones": "subnetIds"})
    assert got == [("Violation", URN, (
        "training pool gpu (aws:eks/nodeGroup:NodeGroup) (16 × p5.48xlarge (128 nvidia-h100-80gb)) spans at least 2 "
        "zones (subnetIds); a multi-node training pool needs 1 zone for its fabric and latency: give the node group "
        "subnets of one availability zone"))]
    assert [k for k, _, _ in kinds(SingleZone(), zones=UNKNOWN, least_zones=1)] == ["Unverifiable"]


@pytest.mark.parametrize("rule, changes, ends", [
    (SingleZone(), {"zones": UNKNOWN, "least_zones": 2}, "latency: pin it to one zone"),
    (SingleZone(), {"zones": ("a", "b")}, "latency: pin it to one zone"),
    (PrivateNodes(), {"public_ips": True}, "get public IP addresses; keep accelerator nodes private"),
    (PoolPurpose(), {"purpose": "inference", "purpose_declared": False}, "or inference, in its node labels"),
])
def test_a_cloud_the_rule_has_no_advice_for_gets_the_generic_fix(rule: Any, changes: dict[str, Any], ends: str) -> None:
    [(_, _, message)] = kinds(rule, **OCI, **changes)
    assert message.endswith(ends), message


def test_an_autoscaling_group_gets_the_fix_of_its_type() -> None:
    group = {"resource_type": "aws:autoscaling/group:Group"}
    [(_, _, message)] = kinds(SingleZone(), zones=("us-east-1a", "us-east-1b"), **group)
    assert message.endswith("latency: give the group vpcZoneIdentifiers (subnets) of one availability zone")


def test_a_file_system_of_a_cloud_without_key_advice_gets_the_generic_fix() -> None:
    lustre = replace(fsx(), cloud="oci", customer_managed_key=False)
    [found] = EncryptedStorage().check(Inventory(file_systems=[lustre]), {"customerManagedKey": True})
    assert found.urn == lustre.urn
    assert found.message.endswith("is encrypted with the service's own key, and customerManagedKey is required: set "
                                  "its key to a key you manage")


@pytest.mark.parametrize("nodes, kind", [(1, []), (2, ["Violation"])])
def test_compact_placement_from_two_nodes(nodes: int, kind: list[str]) -> None:
    got = kinds(CompactPlacement(), max_nodes=nodes, compact=False, compact_missing="add a cluster placement group")
    assert [k for k, _, _ in got] == kind


def test_the_tpu_rules_pass_over_a_pool_the_catalog_does_not_know() -> None:
    from backbone.policies.rules.tpu_topology import TpuTopology
    from backbone.policies.rules.tpu_topology_unlisted import TpuTopologyUnlisted

    unknown = pool(instance_type="ct9-made-up", instance=None, tpu_topology="2x2")
    assert list(TpuTopology().check(Inventory(pools=[unknown]), {})) == []
    assert list(TpuTopologyUnlisted().check(Inventory(pools=[unknown]), {})) == []


L4_BLOCK = {"instance_type": "g6.xlarge", "capacity": "capacity-block"}
"""g6.xlarge (1 × L4: aws.amazon.com/ec2/instance-types/g6) is not sold as a Capacity Block (aws.amazon.com/ec2/
capacityblocks/pricing lists P and Trn types only): the catalog has no rate for it."""


def test_an_unpriced_pool_cannot_verify_the_budget_on_its_own_urn_and_says_why() -> None:
    from hand_pools import CATALOG

    from backbone.policies.rules.monthly_budget import MonthlyBudget

    l4 = pool(instance=CATALOG.find("g6.xlarge"), **L4_BLOCK)
    [found] = MonthlyBudget().check(Inventory(pools=[l4]), {})
    assert (type(found).__name__, found.urn) == ("Unverifiable", URN)
    assert found.message == ("pool gpu (aws:eks/nodeGroup:NodeGroup) (capacity-block): the catalog has no published "
                             "Capacity Block rate for g6.xlarge: give your rate in monthly-budget "
                             "prices.aws[\"g6.xlarge\"]")


def test_idle_accelerators_without_a_price_are_said_without_a_cost() -> None:
    from hand_pools import CATALOG

    from backbone.policies.rules.idle_accelerators import IdleAccelerators

    l4 = pool(instance=CATALOG.find("g6.xlarge"), min_nodes=9, **L4_BLOCK)  # 9 L4 kept: one over the 8 allowed
    assert [(f.urn, f.message) for f in IdleAccelerators().check(Inventory(pools=[l4]), {})] == [(URN, (
        "pool gpu (aws:eks/nodeGroup:NodeGroup) keeps 9 × g6.xlarge (9 nvidia-l4-24gb) running at zero load; the "
        "stack keeps 9 accelerators idle, more than maxIdleAccelerators 8: set its minimum nodes to 0 and let the "
        "autoscaler add nodes"))]
