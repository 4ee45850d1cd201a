"""What the per-cloud readers share (``backbone.policies.inventory.common``), called directly: the unreadable pool
(every fact unknown with its reason, and what each rule says of it), the purpose a pool is judged as, node counts,
regions of zones, fabric NIC counts and verdicts, Karpenter on AKS, storage units and prices.

Public figures (read 2026-12-07): p5.48xlarge has 32 EFA network cards and 3,200 Gbps (docs.aws.amazon.com/AWSEC2/
latest/UserGuide/efa-acc-inst-types.html); FSx for Lustre PERSISTENT_2 at 125 MB/s/TiB is $0.145 per GB-month in
us-east-1 (aws.amazon.com/fsx/lustre/pricing) and sizes in GB of 1,000 (storageCapacity in GiB, 1.2 TiB = 1,200)."""

from __future__ import annotations

from typing import Any

import pytest
from direct import judge_resources, rule
from hand_pools import CATALOG, P5
from pulumi_policy import PolicyResource

from backbone.policies.inventory import UNKNOWN, build
from backbone.policies.inventory.common import (
    capacity_of_gib,
    count_or_unknown,
    decide_purpose,
    each_pool,
    fabric_check,
    fabric_nics,
    is_accelerator_pool,
    is_zone,
    karpenter_on_aks,
    labels_of,
    provider_setting,
    region_of_zone,
    region_of_zones,
    storage_monthly_usd,
    unreadable_pool,
)
from backbone.policies.inventory.facts import FabricCheck
from backbone.policies.inventory.graph import Node

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
WHY = "its inputs could not be read (got str)"


def junk(type_: str = NODE_GROUP) -> PolicyResource:
    """A pool-shaped resource whose props are not a mapping (how a malformed engine payload arrives)."""
    return PolicyResource(type_, "junk", f"urn:pulumi:s::p::{type_}::gpu", "gpu",  # type: ignore[arg-type]
                          None, None, None, [], {})


def test_an_unreadable_pool_is_every_fact_unknown_with_the_reason() -> None:
    node = Node(junk())
    assert not node.readable and node.problem == WHY
    p = unreadable_pool(node, "aws")
    assert (p.urn, p.name, p.cloud, p.resource_type) == (node.urn, "gpu", "aws", NODE_GROUP)
    for fact in (p.instance_type, p.min_nodes, p.max_nodes, p.zones, p.public_ips, p.compact, p.fabric.configured,
                 p.fabric.gbps):
        assert fact is UNKNOWN
    assert p.instance is None and p.region is None
    assert (p.purpose, p.purpose_declared, p.capacity) == ("training", False, "on-demand")  # judged by every rule
    assert p.fabric.unknown == (WHY,) and p.fabric.missing == () and p.compact_missing == WHY
    assert p.unknown_inputs == dict.fromkeys(("instance_type", "min_nodes", "max_nodes", "zones", "public_ips"), WHY)


def test_an_unreadable_pool_without_a_stated_problem_says_its_inputs_could_not_be_read() -> None:
    node = Node(junk())
    node.problem = None
    p = unreadable_pool(node, "gcp")
    assert p.cloud == "gcp" and p.compact_missing == "its inputs could not be read"
    assert set(p.unknown_inputs.values()) == {"its inputs could not be read"}


POOL = "pool gpu (aws:eks/nodeGroup:NodeGroup)"


@pytest.mark.parametrize("policy, words", [
    ("max-accelerators", f"{POOL}: accelerators at max scale unknown ({WHY})"),
    ("monthly-budget", f"{POOL}: cost at max scale unknown ({WHY})"),
    ("interconnect", f"{POOL}: whether it spans nodes on a fabric is unknown ({WHY})"),
    ("storage-throughput", f"{POOL}: accelerators at max scale unknown ({WHY})"),
    ("single-zone", f"{POOL}: zones unknown ({WHY})"),
    ("idle-accelerators", f"{POOL}: accelerators at min scale unknown ({WHY})"),
    ("known-accelerator", f"{POOL}: instance type unknown ({WHY})"),
    ("private-nodes", f"{POOL}: whether its nodes get public IPs is unknown ({WHY})"),
    ("compact-placement", f"{POOL}: placement unknown ({WHY})"),
    ("accelerator-runtime", f"{POOL}: what runtime it needs is unknown ({WHY})"),
])
def test_every_rule_that_judges_pools_cannot_verify_an_unreadable_one(policy: str, words: str) -> None:
    judged = judge_resources(rule(policy), [junk()])
    assert judged.violations == [] and judged.cannot_verify == words


def test_each_pool_reads_the_readable_and_keeps_the_unreadable() -> None:
    readable = PolicyResource(NODE_GROUP, {"x": 1}, "urn:a", "a", None, None, None, [], {})  # type: ignore[arg-type]
    nodes = [Node(junk()), Node(readable), Node(readable)]
    seen: list[str] = []

    def read(node: Node) -> Any:
        seen.append(node.name)
        return None if len(seen) == 2 else unreadable_pool(node, "aws")  # a reader may skip a node (None)

    found = each_pool(nodes, "azure", read)
    assert seen == ["a", "a"]  # the unreadable node is never handed to the reader
    assert [(p.name, p.cloud) for p in found] == [("gpu", "azure"), ("a", "aws")]


def test_build_keeps_an_unreadable_pool_in_the_inventory() -> None:
    [p] = build([junk()]).pools
    assert p.instance_type is UNKNOWN and p.unknown_inputs["max_nodes"] == WHY


def test_a_setting_of_the_resources_provider() -> None:
    from pulumi_policy import PolicyProviderResource

    provider = PolicyProviderResource("pulumi:providers:aws", {"region": "us-west-2", "zone": UNKNOWN},
                                      "urn:provider", "default")
    pooled = PolicyResource(NODE_GROUP, {}, "urn:a", "a", None, provider, None, [], {})  # type: ignore[arg-type]
    assert provider_setting(Node(pooled), "region") == "us-west-2"
    assert provider_setting(Node(pooled), "zone") is UNKNOWN
    assert provider_setting(Node(pooled), "project") is None
    assert provider_setting(Node(junk()), "region") is None  # no provider
    odd = PolicyProviderResource("pulumi:providers:aws", "junk", "urn:provider", "default")  # type: ignore[arg-type]
    bare = PolicyResource(NODE_GROUP, {}, "urn:b", "b", None, odd, None, [], {})  # type: ignore[arg-type]
    assert provider_setting(Node(bare), "region") is None


# --- purpose --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("labels, max_nodes, instance_type, intent, decided", [
    ({"backbone.dev/purpose": "inference"}, 16, "p5.48xlarge", ("efa",), ("inference", True)),
    ({"backbone.dev/purpose": "system"}, 16, UNKNOWN, (), ("system", True)),
    ({"backbone.dev/purpose": "batch"}, 16, "p5.48xlarge", (), ("inference", False)),  # not a purpose
    ({"backbone.dev/purpose": 3}, 1, "p5.48xlarge", ("placement group",), ("training", False)),
    ({}, 1, "p5.48xlarge", ("placement group",), ("training", False)),  # intent shown: training
    ({}, 2, UNKNOWN, (), ("training", False)),           # unknown type that may span nodes: the training rules judge it
    ({}, UNKNOWN, UNKNOWN, (), ("training", False)),
    ({}, 1, UNKNOWN, (), ("inference", False)),          # one node: nothing to train across
    ({}, 16, "p5.48xlarge", (), ("inference", False)),   # known type, no intent: pool-purpose asks for a label
])
def test_the_purpose_a_pool_is_judged_as(labels: dict[str, Any], max_nodes: Any, instance_type: Any,
                                         intent: tuple[str, ...], decided: tuple[str, bool]) -> None:
    assert decide_purpose(labels, max_nodes, instance_type, intent) == decided


@pytest.mark.parametrize("instance, instance_type, looks, attached, judged", [
    (P5, "p5.48xlarge", False, None, True),
    (CATALOG.find("Standard_NC24ads_A100_v4"), "Standard_NC24ads_A100_v4", False, None, True),
    (None, "p9.made-up", True, None, True),
    (None, "m7i.large", False, None, False),
    (None, UNKNOWN, False, None, True),
])
def test_which_pools_the_pack_judges(instance: Any, instance_type: Any, looks: bool, attached: Any,
                                     judged: bool) -> None:
    assert is_accelerator_pool(instance, instance_type, looks, attached) is judged


def test_a_catalogued_type_without_accelerators_counts_only_with_attached_ones() -> None:
    from dataclasses import replace

    assert P5 is not None
    cpu = replace(P5, instance_type="n1-standard-8", accelerator=None, accelerator_count=0)  # GCP: GPUs attached
    assert is_accelerator_pool(cpu, cpu.instance_type, True) is False
    assert is_accelerator_pool(cpu, cpu.instance_type, False, attached=2) is True


def test_labels_of_anything_but_a_mapping_are_none() -> None:
    assert labels_of({"a": "b"}) == {"a": "b"}
    assert labels_of(None) == {} and labels_of(UNKNOWN) == {} and labels_of(["a"]) == {}


@pytest.mark.parametrize("value, count, recorded", [
    (16, 16, None),
    ("16", 16, None),
    (UNKNOWN, UNKNOWN, "scalingConfig.maxSize"),
    (None, UNKNOWN, "scalingConfig.maxSize (missing or not a whole number)"),
    (-3, UNKNOWN, "scalingConfig.maxSize (missing or not a whole number)"),
    (2.5, UNKNOWN, "scalingConfig.maxSize (missing or not a whole number)"),
])
def test_a_node_count_or_why_it_is_unknown(value: Any, count: Any, recorded: str | None) -> None:
    unknown: dict[str, str] = {}
    assert count_or_unknown(value, "scalingConfig.maxSize", unknown, "max_nodes") == count
    assert unknown == ({} if recorded is None else {"max_nodes": recorded})


@pytest.mark.parametrize("zone, region", [("us-east-1a", "us-east-1"), ("us-central1-a", "us-central1"),
                                          ("eu-west-2c", "eu-west-2"), ("eastus-1", "eastus-1"), ("", "")])
def test_the_region_of_a_zone(zone: str, region: str) -> None:
    # AWS zones end in a letter right after the region, GCP's after a dash; anything else is left as it is
    assert region_of_zone(zone) == region


def test_the_region_of_zones_is_the_first_ones() -> None:
    assert region_of_zones(("us-east-1b", "us-west-2a")) == "us-east-1"
    assert region_of_zones(()) is None and region_of_zones(UNKNOWN) is None


@pytest.mark.parametrize("location, zone", [("us-central1-a", True), ("europe-west4-b", True),
                                            ("us-central1", False), ("us-east-1a", False), ("x-us-central1-a", False),
                                            ("us-central1-ab", False)])
def test_a_gcp_location_is_a_zone_or_a_region(location: str, zone: bool) -> None:
    assert is_zone(location) is zone


# --- fabric ---------------------------------------------------------------------------------------------------


def test_the_fabric_nics_a_node_needs() -> None:
    assert P5 is not None
    assert fabric_nics(P5, "EFA interfaces", ["x"]) == (32, "32", ["x"])
    from dataclasses import replace

    no_count = replace(P5, fabric_nics=None)
    assert fabric_nics(no_count, "EFA interfaces", ["x"]) == (
        1, "at least 1", ["x", "how many EFA interfaces p5.48xlarge has (the catalog has no figure)"])


@pytest.mark.parametrize("wired, missing, unknown, check", [
    (32, [], [], FabricCheck(True, (), (), 3200.0)),
    (16, ["16 of 32"], [], FabricCheck(False, ("16 of 32",), (), 1600.0)),
    (40, [], [], FabricCheck(True, (), (), 3200.0)),                  # more than the cards: capped at the full figure
    (0, ["none"], ["which"], FabricCheck(False, ("none",), ("which",), 0.0)),  # a definite gap beats an unknown
    (32, [], ["which"], FabricCheck(UNKNOWN, (), ("which",), 3200.0)),
    (UNKNOWN, [], ["which"], FabricCheck(UNKNOWN, (), ("which",), UNKNOWN)),
])
def test_a_fabric_verdict_in_proportion_to_the_paths_wired(wired: Any, missing: list[str], unknown: list[str],
                                                           check: FabricCheck) -> None:
    assert P5 is not None
    assert fabric_check(P5, 32, wired, missing, unknown) == check


def test_a_fabric_without_a_catalog_bandwidth_has_none() -> None:
    from dataclasses import replace

    assert P5 is not None
    assert fabric_check(replace(P5, fabric_gbps=None), 32, 32, [], []).gbps is None


# --- Karpenter on AKS -----------------------------------------------------------------------------------------


def _nodepool(ref: Any = None, keys: tuple[str, ...] = ()) -> dict[str, Any]:
    spec: dict[str, Any] = {"requirements": [{"key": k, "operator": "Exists"} for k in keys]}
    if ref is not None:
        spec["nodeClassRef"] = ref
    return {"spec": {"template": {"spec": spec}}}


@pytest.mark.parametrize("inputs, aks", [
    (_nodepool({"group": "karpenter.azure.com", "kind": "AKSNodeClass", "name": "default"}), True),
    (_nodepool({"kind": "AKSNodeClass"}), True),
    (_nodepool({"group": "karpenter.azure.com"}), True),
    (_nodepool({"group": "karpenter.k8s.aws", "kind": "EC2NodeClass"}, ("karpenter.azure.com/sku-family",)), False),
    (_nodepool(None, ("karpenter.azure.com/sku-gpu-count",)), True),
    (_nodepool(None, ("karpenter.k8s.aws/instance-gpu-count", "kubernetes.io/arch")), False),
    ({"spec": {"template": {"spec": {"requirements": "junk"}}}}, False),
    ({}, False),
])
def test_a_karpenter_node_pool_on_aks(inputs: dict[str, Any], aks: bool) -> None:
    assert karpenter_on_aks(inputs) is aks


# --- storage --------------------------------------------------------------------------------------------------

FSX = CATALOG.storage_offering("aws", "lustre")


def test_fsx_capacity_is_in_its_own_tib_of_1000_gib_and_priced_per_gb() -> None:
    assert FSX is not None
    unknown: dict[str, str] = {}
    # AWS states 1,200 GiB as 1.2 TiB and 4,800 GiB at 50 MB/s/TiB as 240 MB/s
    assert capacity_of_gib(FSX, 1200, "storageCapacity", unknown) == pytest.approx(1.2)
    assert capacity_of_gib(FSX, 4800, "storageCapacity", unknown) * 50 == pytest.approx(240)
    assert unknown == {}
    # 10 TiB at 125 MB/s/TiB: 10,000 GB × $0.145 = $1,450 a month; at 1000 MB/s/TiB: 10,000 GB × $0.60 = $6,000
    assert storage_monthly_usd(FSX, 10.0, 125.0) == pytest.approx(1450.0)
    assert storage_monthly_usd(FSX, 10.0, 1000.0) == pytest.approx(6000.0)


def test_a_capacity_without_an_offering_to_convert_it_is_unknown_and_named() -> None:
    unknown: dict[str, str] = {}
    assert capacity_of_gib(None, 1200, "storageCapacity", unknown) is UNKNOWN
    assert unknown["capacity_tib"].startswith("storageCapacity (GiB: the catalog has no offering")
    unknown.clear()
    assert capacity_of_gib(FSX, UNKNOWN, "storageCapacity", unknown) is UNKNOWN
    assert unknown == {"capacity_tib": "storageCapacity"}


@pytest.mark.parametrize("offering, capacity, per_tib", [(None, 10.0, 125.0), (FSX, UNKNOWN, 125.0),
                                                         (FSX, 10.0, UNKNOWN), (FSX, 10.0, None),
                                                         (FSX, 10.0, 250.0)])  # a tier the catalog has no price for
def test_storage_without_a_price_is_none_not_zero(offering: Any, capacity: Any, per_tib: Any) -> None:
    assert storage_monthly_usd(offering, capacity, per_tib) is None

