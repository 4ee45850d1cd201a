"""The AWS readers without a Kubernetes autoscaler (``backbone.policies.inventory.aws_fleets``) on resources built by
hand as CrossGuard hands them: every fact of a pool of EC2 instances, an AWS Batch compute environment, an EC2 Fleet,
a Spot Fleet request and an idle On-Demand Capacity Reservation — node counts at and around each boundary, each
unknown input named as the user reads it — with no Pulumi program previewed.

Figures, written as literals (docs.aws.amazon.com/ec2/latest/instancetypes/ac.html and the EFA network-card table,
efa-acc-inst-types.html, as ``catalog/data/aws.yaml`` cites them):
- p5.48xlarge: 8 × H100, 192 vCPUs, 2,048 GiB (2,097,152 MiB), EFA 3,200 Gb/s over 32 network cards.
- p4d.24xlarge: 8 × A100, 96 vCPUs, 1,152 GiB, EFA 400 Gb/s over 4 network cards.
- g5.xlarge: 1 × A10G, 4 vCPUs, no EFA; g5.48xlarge: 8 × A10G, 192 vCPUs. m5.large is a CPU type.
- AWS Batch (API_ComputeResource.html): the most instances are maxvCpus / the type's vCPUs; with
  BEST_FIT_PROGRESSIVE, SPOT_CAPACITY_OPTIMIZED and SPOT_PRICE_CAPACITY_OPTIMIZED Batch "never exceeds maxvCpus by
  more than a single instance"; BEST_FIT never exceeds it. A family (``p5``) stands for its types.
- EC2 Fleet / Spot Fleet (API_TargetCapacitySpecificationRequest, API_FleetLaunchTemplateOverridesRequest): target
  capacity in units (an override's ``weightedCapacity``, 1 when not given), ``vcpu`` or ``memory-mib``; the fleet
  launches until the target is met: ceil(target / weight) instances.
"""

from __future__ import annotations

from typing import Any

import pytest

from backbone.policies.inventory import UNKNOWN, AcceleratorPool, Candidate, FabricCheck
from backbone.policies.inventory.aws import LAUNCH_TEMPLATE, PLACEMENT_GROUP, SUBNET
from backbone.policies.inventory.aws_fleets import (
    BATCH,
    FLEET,
    INSTANCE,
    NETWORK_INTERFACE,
    RESERVATION,
    SPOT_FLEET,
    read_batch_environments,
    read_fleets,
    read_instances,
    read_reservations,
    read_spot_fleets,
)
from tests.policies.hand_resources import CATALOG, U, provider, read, res

P5, P4D = "p5.48xlarge", "p4d.24xlarge"
P5_ROW, P4D_ROW = CATALOG.find(P5), CATALOG.find(P4D)
EFA_32 = [{"interfaceType": "efa"} for _ in range(32)]
NO_PLACEMENT = ("no cluster placement group: set the launch template's placement.groupName (or the group's "
                "placementGroup) to a placement group with strategy 'cluster'")


def no_template(instance_type: str, nics: int) -> FabricCheck:
    return FabricCheck(False, missing=(
        f"no launch template, so none of the {nics} EFA interfaces {instance_type} has are attached (add a launch "
        f"template with {nics} networkInterfaces of interfaceType efa, one per network card)",), gbps=0.0)


def short_of(efa: int, instance_type: str, nics: int, gbps: float) -> FabricCheck:
    return FabricCheck(False, missing=(f"{efa} EFA interface(s) configured where {instance_type} has {nics} "
                                       f"(networkInterfaces with interfaceType efa, one per network card)",),
                       gbps=gbps)


def expected(type_: str, resource: str, **changes: Any) -> AcceleratorPool:
    """A pool of 2 × p5.48xlarge on demand in us-east-1a, nothing configured for training (changes on top)."""
    base: dict[str, Any] = dict(
        urn=f"urn:pulumi:dev::backbone::{type_}::{resource}", name=resource, cloud="aws", resource_type=type_,
        instance_type=P5, instance=P5_ROW, min_nodes=2, max_nodes=2, purpose="inference", purpose_declared=False,
        zones=("us-east-1a",), region="us-east-1", capacity="on-demand", fabric=no_template(P5, 32),
        public_ips=False, labels={}, looks_like_accelerator=True, unknown_inputs={}, training_intent=(),
        compact=False, compact_missing=NO_PLACEMENT)
    base.update(changes)
    return AcceleratorPool(**base)


def subnet(name: str = "sn", zone: Any = "us-east-1a", **more: Any) -> Any:
    return res(SUBNET, name, {"availabilityZone": zone, **more})


def cluster_group(name: str = "pg", strategy: Any = "cluster") -> Any:
    return res(PLACEMENT_GROUP, name, {"strategy": strategy})


def template(name: str = "lt", **props: Any) -> Any:
    return res(LAUNCH_TEMPLATE, name, props)


# -- EC2 instances ------------------------------------------------------------------------------------------------

def instances(*resources: Any) -> list[AcceleratorPool]:
    return read(read_instances, INSTANCE, *resources)


def test_instances_in_one_cluster_placement_group_are_one_pool_with_every_fact() -> None:
    pg = cluster_group()
    tags = {"backbone.dev/purpose": "training", "team": "ml"}
    members = [res(INSTANCE, n, {"instanceType": P5, "placementGroup": U, "availabilityZone": "us-east-1a",
                                 "tags": tags}, prop_deps={"placementGroup": [pg]}) for n in ("b", "a")]
    assert instances(pg, *members) == [expected(
        INSTANCE, "a", name="pg (2 instances)", purpose="training", purpose_declared=True, labels=tags,
        fabric=short_of(0, P5, 32, 0.0), training_intent=("a cluster placement group",), compact=True,
        compact_missing="")]


def test_a_spread_placement_group_is_not_compact() -> None:
    pg = cluster_group(strategy="spread")
    [pool] = instances(pg, res(INSTANCE, "a", {"instanceType": P5, "placementGroup": U, "availabilityZone":
                                                "us-east-1a"}, prop_deps={"placementGroup": [pg]}))
    assert (pool.name, pool.compact, pool.compact_missing, pool.training_intent, pool.min_nodes) == (
        "pg (1 instance)", False, "placement group pg has strategy 'spread': set strategy 'cluster'", (), 1)


def test_a_placement_group_outside_the_stack_groups_by_its_name_and_cannot_be_verified_compact() -> None:
    members = [res(INSTANCE, n, {"instanceType": P5, "placementGroup": "my-pg", "availabilityZone": "us-east-1a"})
               for n in ("a", "b")]
    [pool] = instances(*members)
    assert (pool.name, pool.max_nodes, pool.compact, pool.compact_missing) == (
        "my-pg (2 instances)", 2, UNKNOWN, "a.placementGroup (a placement group outside this stack, or one of several)")


def test_a_placement_group_of_unknown_strategy() -> None:
    pg = cluster_group(strategy=U)
    [pool] = instances(pg, res(INSTANCE, "a", {"instanceType": P5, "placementGroup": U, "availabilityZone":
                                                "us-east-1a"}, prop_deps={"placementGroup": [pg]}))
    assert (pool.compact, pool.compact_missing) == (UNKNOWN, "pg.strategy")


@pytest.mark.parametrize(("tags", "name"), [
    pytest.param({"parallelcluster:cluster-name": "v"}, "v (2 instances)", id="parallelcluster"),
    pytest.param({"aws-parallelcluster:cluster-name": "v"}, "v (2 instances)", id="aws-parallelcluster"),
    pytest.param({"cluster": "v"}, "v (2 instances)", id="cluster"),
    pytest.param({"Cluster": "v"}, "v (2 instances)", id="Cluster"),
    pytest.param({"ClusterName": "v"}, "v (2 instances)", id="ClusterName"),
    pytest.param({"cluster-name": "v"}, "v (2 instances)", id="cluster-name"),
    pytest.param({"cluster-name": "late", "parallelcluster:cluster-name": "first"}, "first (2 instances)",
                 id="parallelcluster-first"),
    pytest.param({"parallelcluster:cluster-name": U, "cluster-name": "k"}, "k (2 instances)",
                 id="an-unknown-tag-is-skipped"),
])
def test_a_cluster_tag_groups_instances(tags: dict[str, Any], name: str) -> None:
    members = [res(INSTANCE, n, {"instanceType": P5, "availabilityZone": "us-east-1a", "tags": tags})
               for n in ("a", "b")]
    assert [(p.name, p.urn, p.min_nodes, p.max_nodes) for p in instances(*members)] == [
        (name, f"urn:pulumi:dev::backbone::{INSTANCE}::a", 2, 2)]


def test_instances_with_nothing_in_common_are_pools_of_one_named_as_themselves() -> None:
    pg1, pg2 = cluster_group("pg1"), cluster_group("pg2")
    members = [res(INSTANCE, "b", {"instanceType": P5, "availabilityZone": "us-east-1a", "tags": {"team": "x"},
                                   "placementGroup": U}, prop_deps={"placementGroup": [pg1, pg2]}),
               res(INSTANCE, "a", {"instanceType": P5, "availabilityZone": "us-east-1a"})]
    assert [(p.name, p.max_nodes, p.labels) for p in instances(pg1, pg2, *members)] == [
        ("b", 1, {"team": "x"}), ("a", 1, {})]


def test_an_unreadable_instance_is_every_fact_unknown() -> None:
    [pool] = instances(res(INSTANCE, "a", U))
    assert (pool.name, pool.cloud, pool.instance_type, pool.max_nodes) == ("a", "aws", UNKNOWN, UNKNOWN)
    assert pool.unknown_inputs["instance_type"] == "its inputs could not be read (got str)"


@pytest.mark.parametrize(("kinds", "fabric", "intent"), [
    pytest.param(["efa", "efa-only", "efa", "efa"], FabricCheck(True, gbps=400.0), ("4 EFA interface(s)",),
                 id="all-four"),
    pytest.param(["efa", "interface", "efa", "efa"], short_of(3, P4D, 4, 300.0), ("3 EFA interface(s)",),
                 id="three-of-four"),
    pytest.param(["efa-only"], short_of(1, P4D, 4, 100.0), ("1 EFA interface(s)",), id="one-efa-only"),
    pytest.param(["efa", U], FabricCheck(UNKNOWN, unknown=("a.networkInterfaces[].interfaceType",), gbps=UNKNOWN),
                 (), id="one-unknown"),
])
def test_an_instance_attaching_network_interfaces(kinds: list[Any], fabric: FabricCheck,
                                                  intent: tuple[str, ...]) -> None:
    nics = [res(NETWORK_INTERFACE, f"nic{i}", {"interfaceType": k}) for i, k in enumerate(kinds)]
    sn = subnet(zone="us-west-2b")
    instance = res(INSTANCE, "a", {"instanceType": P4D, "subnetId": U, "networkInterfaces": [U] * len(kinds)},
                   prop_deps={"networkInterfaces": nics, "subnetId": [sn]})
    assert instances(sn, *nics, instance) == [expected(
        INSTANCE, "a", instance_type=P4D, instance=P4D_ROW, min_nodes=1, max_nodes=1, zones=("us-west-2b",),
        region="us-west-2", fabric=fabric, training_intent=intent, purpose="training" if intent else "inference")]


def test_a_group_is_judged_on_its_member_with_the_fewest_efa_interfaces_an_unknown_count_first() -> None:
    nics = [res(NETWORK_INTERFACE, f"nic{i}", {"interfaceType": "efa"}) for i in range(4)]
    full = res(INSTANCE, "a", {"instanceType": P4D, "availabilityZone": "us-east-1a", "tags": {"cluster": "c"},
                               "networkInterfaces": [U] * 4}, prop_deps={"networkInterfaces": nics})
    bare = res(INSTANCE, "b", {"instanceType": P4D, "availabilityZone": "us-east-1a", "tags": {"cluster": "c"}})
    [pool] = instances(*nics, full, bare)
    assert (pool.fabric, pool.training_intent) == (short_of(0, P4D, 4, 0.0), ())
    odd = res(NETWORK_INTERFACE, "odd", {"interfaceType": U})
    unknown = res(INSTANCE, "c", {"instanceType": P4D, "availabilityZone": "us-east-1a", "tags": {"cluster": "c"},
                                  "networkInterfaces": [U]}, prop_deps={"networkInterfaces": [odd]})
    [pool] = instances(*nics, odd, full, bare, unknown)
    assert pool.fabric == FabricCheck(UNKNOWN, unknown=("c.networkInterfaces[].interfaceType",), gbps=UNKNOWN)


def test_an_instance_of_its_launch_template_with_every_efa_interface() -> None:
    lt = template(instanceType=P5, networkInterfaces=EFA_32)
    instance = res(INSTANCE, "a", {"launchTemplate": {"id": U}, "availabilityZone": "us-east-1a"},
                   prop_deps={"launchTemplate": [lt]})
    assert instances(lt, instance) == [expected(
        INSTANCE, "a", name="lt (1 instance)", min_nodes=1, max_nodes=1, fabric=FabricCheck(True, gbps=3200.0),
        purpose="training", training_intent=("32 EFA interface(s) on launch template lt",))]


@pytest.mark.parametrize(("own", "lt_props", "linked", "why"), [
    pytest.param(U, {"instanceType": P5}, True, "a.instanceType", id="own-unknown"),
    pytest.param(None, {"instanceType": U}, True, "a.launchTemplate (its instanceType)", id="template-unknown"),
    pytest.param(None, {}, True, "a.launchTemplate (its instanceType)", id="template-without-type"),
    pytest.param(None, {"instanceType": P5}, False, "launchTemplate (no launch template of this stack is linked)",
                 id="template-not-of-the-stack"),
])
def test_an_instance_type_unknown(own: Any, lt_props: dict[str, Any], linked: bool, why: str) -> None:
    lt = template(**lt_props)
    props = {"launchTemplate": {"id": U}, "availabilityZone": "us-east-1a"}
    if own is not None:
        props["instanceType"] = own
    instance = res(INSTANCE, "a", props, prop_deps={"launchTemplate": [lt] if linked else []})
    [pool] = instances(lt, instance)
    assert (pool.instance_type, pool.instance, pool.fabric, pool.unknown_inputs["instance_type"], pool.max_nodes,
            pool.purpose) == (UNKNOWN, None, FabricCheck(UNKNOWN, unknown=("instance type",), gbps=UNKNOWN), why,
                              1, "inference")


def test_two_instances_of_unknown_type_may_train() -> None:
    members = [res(INSTANCE, n, {"instanceType": U, "availabilityZone": "us-east-1a", "tags": {"cluster": "c"}})
               for n in ("a", "b")]
    [pool] = instances(*members)
    assert (pool.purpose, pool.unknown_inputs, pool.max_nodes) == ("training", {"instance_type": "a.instanceType"}, 2)


@pytest.mark.parametrize("props", [
    pytest.param({}, id="no-type"),
    pytest.param({"instanceType": "m5.large"}, id="cpu"),
    pytest.param({"instanceType": 5}, id="junk"),
])
def test_instances_without_accelerators_are_no_pool(props: dict[str, Any]) -> None:
    assert instances(res(INSTANCE, "a", {"availabilityZone": "us-east-1a", **props})) == []


@pytest.mark.parametrize(("own", "lt_props", "capacity", "compact"), [
    pytest.param({"instanceMarketOptions": {"marketType": "spot"}}, {}, "spot", False, id="spot"),
    pytest.param({"instanceMarketOptions": {"marketType": "capacity-block"}}, {}, "capacity-block", True,
                 id="capacity-block"),
    pytest.param({"instanceMarketOptions": {"marketType": "hibernate"}}, {}, "on-demand", False, id="other-market"),
    pytest.param({"instanceMarketOptions": {"marketType": U}}, {}, "on-demand", False, id="market-unknown"),
    pytest.param({"capacityReservationSpecification": {"capacityReservationTarget": {"capacityReservationId": U}}},
                 {}, "reservation", True, id="reservation-target"),
    pytest.param({"capacityReservationSpecification": {"capacityReservationPreference": "capacity-reservations-only"}},
                 {}, "reservation", True, id="reservations-only"),
    pytest.param({"capacityReservationSpecification": {"capacityReservationPreference": "open"}}, {}, "on-demand",
                 False, id="open"),
    pytest.param({}, {"instanceMarketOptions": {"marketType": "spot"}}, "spot", False, id="template-spot"),
    pytest.param({}, {"instanceMarketOptions": {"marketType": "capacity-block"}}, "capacity-block", True,
                 id="template-capacity-block"),
    pytest.param({}, {"capacityReservationSpecification": {"capacityReservationTarget": {}}}, "reservation", True,
                 id="template-reservation"),
    pytest.param({"instanceMarketOptions": {"marketType": "spot"}},
                 {"capacityReservationSpecification": {"capacityReservationTarget": {}}}, "spot", False,
                 id="the-instance-first"),
    pytest.param({"instanceMarketOptions": {"marketType": "spot"},
                  "capacityReservationSpecification": {"capacityReservationTarget": {}}}, {}, "spot", False,
                 id="the-market-first"),
])
def test_an_instances_capacity(own: dict[str, Any], lt_props: dict[str, Any], capacity: str, compact: bool) -> None:
    lt = template(instanceType=P5, **lt_props)
    instance = res(INSTANCE, "a", {"launchTemplate": {"id": U}, "availabilityZone": "us-east-1a", **own},
                   prop_deps={"launchTemplate": [lt]})
    [pool] = instances(lt, instance)
    assert (pool.capacity, pool.compact, pool.training_intent) == (capacity, compact, ())


def test_a_group_without_zones_named_spans_its_members_subnets() -> None:
    east_b, east_a = subnet("sb", "us-east-1b"), subnet("sa", "us-east-1a")
    members = [res(INSTANCE, n, {"instanceType": P5, "subnetId": U, "tags": {"cluster": "c"}},
                   prop_deps={"subnetId": [s]}) for n, s in (("a", east_b), ("b", east_a), ("c", east_b))]
    [pool] = instances(east_a, east_b, *members)
    assert (pool.zones, pool.region, pool.unknown_inputs) == (("us-east-1a", "us-east-1b"), "us-east-1", {})


def test_a_group_with_a_member_in_a_subnet_of_unknown_zone_has_unknown_zones() -> None:
    known, odd = subnet("sa", "us-east-1a"), subnet("sx", U)
    members = [res(INSTANCE, n, {"instanceType": P5, "subnetId": U, "tags": {"cluster": "c"}},
                   prop_deps={"subnetId": [s]}) for n, s in (("a", known), ("b", odd))]
    [pool] = instances(known, odd, *members)
    assert (pool.zones, pool.unknown_inputs) == (UNKNOWN, {"zones": "subnetId → sx.availabilityZone"})


@pytest.mark.parametrize(("zones", "expected_zones", "unknown"), [
    pytest.param(["us-east-1b", None], ("us-east-1b",), {}, id="one-named"),
    pytest.param(["us-east-1b", "us-east-1a"], ("us-east-1b", "us-east-1a"), {}, id="named-in-member-order"),
    pytest.param(["us-east-1b", U], UNKNOWN, {"zones": "subnetId (an availabilityZone is unknown)"},
                 id="one-unknown"),
])
def test_zones_named_by_the_members(zones: list[Any], expected_zones: Any, unknown: dict[str, str]) -> None:
    members = [res(INSTANCE, n, {"instanceType": P5, "tags": {"cluster": "c"},
                                 **({"availabilityZone": z} if z is not None else {})})
               for n, z in zip(("a", "b"), zones, strict=True)]
    [pool] = instances(*members)
    assert (pool.zones, pool.unknown_inputs) == (expected_zones, unknown)


def test_an_instance_without_zone_or_subnet_takes_the_providers_region() -> None:
    aws = provider("pulumi:providers:aws", {"region": "eu-west-1"})
    [pool] = instances(res(INSTANCE, "a", {"instanceType": P5}, provider=aws))
    assert (pool.zones, pool.region, pool.unknown_inputs) == (
        UNKNOWN, "eu-west-1", {"zones": "subnetId (no subnet of this stack is linked)"})


@pytest.mark.parametrize(("lt_nics", "subnet_public", "public", "unknown"), [
    pytest.param([{"interfaceType": "efa", "associatePublicIpAddress": True}], False, True, {}, id="interface-says"),
    pytest.param([{"associatePublicIpAddress": "false"}], True, False, {}, id="every-interface-says-no"),
    pytest.param([{"interfaceType": "efa"}], True, True, {}, id="subnet-default"),
    pytest.param([], False, False, {}, id="private-subnet"),
    pytest.param([{"associatePublicIpAddress": U}], False, UNKNOWN,
                 {"public_ips": "lt.networkInterfaces[0].associatePublicIpAddress"}, id="unknown"),
    pytest.param(U, False, UNKNOWN, {"public_ips": "lt.networkInterfaces"}, id="interfaces-unknown"),
])
def test_an_instances_public_ips(lt_nics: Any, subnet_public: bool, public: Any, unknown: dict[str, str]) -> None:
    lt = template(instanceType="g5.xlarge", networkInterfaces=lt_nics)
    sn = subnet(mapPublicIpOnLaunch=subnet_public)
    instance = res(INSTANCE, "a", {"launchTemplate": {"id": U}, "subnetId": U},
                   prop_deps={"launchTemplate": [lt], "subnetId": [sn]})
    [pool] = instances(lt, sn, instance)
    assert (pool.public_ips, {k: v for k, v in pool.unknown_inputs.items() if k == "public_ips"}) == (public, unknown)


# -- AWS Batch ----------------------------------------------------------------------------------------------------

def batch(resources: Any, *more: Any, tags: Any = None, deps: list[Any] | None = None) -> list[AcceleratorPool]:
    sn = subnet()
    props: dict[str, Any] = {"computeResources": resources}
    if tags is not None:
        props["tags"] = tags
    env = res(BATCH, "env", props, prop_deps={"computeResources": [sn, *(deps or [])]})
    return read(read_batch_environments, BATCH, sn, *more, env)


def compute(**changes: Any) -> dict[str, Any]:
    return {"type": "EC2", "instanceTypes": ["p5"], "maxVcpus": 384, "subnets": [U], **changes}


def test_a_batch_environment_of_a_family_is_every_fact_of_it() -> None:
    """maxVcpus 384 / 192 vCPUs of p5.48xlarge = 2 nodes; the family p5 is p5.48xlarge alone (not p5e, p5en)."""
    assert batch(compute()) == [expected(BATCH, "env", min_nodes=0)]


@pytest.mark.parametrize(("changes", "least", "most"), [
    pytest.param({}, 0, 2, id="384-exactly-two"),
    pytest.param({"maxVcpus": 383}, 0, 1, id="383-one"),
    pytest.param({"maxVcpus": 385}, 0, 2, id="385-two"),
    pytest.param({"maxVcpus": "576"}, 0, 3, id="as-a-string"),
    pytest.param({"maxVcpus": 383, "allocationStrategy": "BEST_FIT_PROGRESSIVE"}, 0, 2, id="progressive-383"),
    pytest.param({"maxVcpus": 385, "allocationStrategy": "SPOT_CAPACITY_OPTIMIZED"}, 0, 3, id="spot-capacity-385"),
    pytest.param({"maxVcpus": 385, "allocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED"}, 0, 3,
                 id="spot-price-capacity-385"),
    pytest.param({"allocationStrategy": "SPOT_PRICE_CAPACITY_OPTIMIZED"}, 0, 2, id="spot-price-capacity-384"),
    pytest.param({"maxVcpus": 385, "allocationStrategy": "BEST_FIT"}, 0, 2, id="best-fit-385"),
    pytest.param({"maxVcpus": 385, "allocationStrategy": U}, 0, 2, id="strategy-unknown"),
    pytest.param({"minVcpus": 192}, 1, 2, id="min-192"),
    pytest.param({"minVcpus": 193}, 2, 2, id="min-193"),
    pytest.param({"minVcpus": 1}, 1, 2, id="min-1"),
])
def test_batch_node_counts(changes: dict[str, Any], least: int, most: int) -> None:
    [pool] = batch(compute(**changes))
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (least, most, {})


@pytest.mark.parametrize(("changes", "why"), [
    pytest.param({"maxVcpus": U}, "computeResources.maxVcpus", id="max-unknown"),
    pytest.param({"minVcpus": U}, "computeResources.maxVcpus", id="min-unknown"),
    pytest.param({"maxVcpus": None}, "computeResources.maxVcpus (missing or not a number)", id="max-missing"),
    pytest.param({"instanceTypes": ["p9.48xlarge"]},
                 "computeResources.maxVcpus (the catalog has no vCPU count for p9.48xlarge)", id="type-unknown"),
])
def test_batch_node_counts_unknown(changes: dict[str, Any], why: str) -> None:
    [pool] = batch(compute(**changes))
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (
        UNKNOWN, UNKNOWN, {"min_nodes": why, "max_nodes": why})


@pytest.mark.parametrize("types", [U, [U], ["p5", U]])
def test_batch_instance_types_unknown(types: Any) -> None:
    why = "computeResources.maxVcpus (the catalog has no vCPU count for the instance type)"
    assert batch(compute(instanceTypes=types)) == [expected(
        BATCH, "env", instance_type=UNKNOWN, instance=None, min_nodes=UNKNOWN, max_nodes=UNKNOWN, purpose="training",
        fabric=FabricCheck(UNKNOWN, unknown=("instance type",), gbps=UNKNOWN), unknown_inputs={
            "instance_type": "computeResources.instanceTypes", "min_nodes": why, "max_nodes": why})]


def test_batch_judges_the_type_with_the_most_accelerators_within_max_vcpus() -> None:
    """384 vCPUs: 4 × p4d.24xlarge (32 A100) or 2 × p5.48xlarge (16 H100): the p4d is judged."""
    [pool] = batch(compute(instanceTypes=["p5", "p4d", 7]))
    assert pool == expected(
        BATCH, "env", instance_type=P4D, instance=P4D_ROW, min_nodes=0, max_nodes=4, fabric=no_template(P4D, 4),
        candidates=(Candidate(P4D, P4D_ROW, no_template(P4D, 4), 4), Candidate(P5, P5_ROW, no_template(P5, 32), 2)))


def test_a_family_is_every_type_of_it_the_small_type_deciding() -> None:
    """384 vCPUs of g5: 96 × g5.xlarge (96 A10G) or 2 × g5.48xlarge (16 A10G)."""
    [pool] = batch(compute(instanceTypes=["g5"]))
    assert ([(c.instance_type, c.max_nodes) for c in pool.candidates], pool.instance_type, pool.max_nodes) == (
        [("g5.xlarge", 96), ("g5.48xlarge", 2)], "g5.xlarge", 96)


@pytest.mark.parametrize("resources", [
    pytest.param(compute(instanceTypes=["m5.large"]), id="cpu-type"),
    pytest.param(compute(instanceTypes=["optimal"]), id="optimal"),
    pytest.param(compute(type="FARGATE"), id="fargate"),
    pytest.param(compute(type="FARGATE_SPOT"), id="fargate-spot"),
    pytest.param(None, id="unmanaged"),
    pytest.param(compute(instanceTypes=[]), id="no-types-no-template"),
])
def test_batch_environments_without_accelerators_are_no_pool(resources: Any) -> None:
    assert batch(resources) == []


def test_an_unreadable_compute_resources_is_every_fact_unknown() -> None:
    [pool] = batch(U)
    assert (pool.name, pool.cloud, pool.instance_type, pool.max_nodes, pool.public_ips) == (
        "env", "aws", UNKNOWN, UNKNOWN, UNKNOWN)


@pytest.mark.parametrize(("changes", "capacity"), [
    pytest.param({"type": "SPOT"}, "spot", id="spot"),
    pytest.param({"type": "EC2"}, "on-demand", id="ec2"),
    pytest.param({"type": U}, "on-demand", id="type-unknown"),
])
def test_batch_capacity(changes: dict[str, Any], capacity: str) -> None:
    [pool] = batch(compute(**changes))
    assert pool.capacity == capacity


def test_batch_with_its_launch_template_efa_placement_and_capacity_block() -> None:
    pg = cluster_group()
    lt = res(LAUNCH_TEMPLATE, "lt", {"instanceType": P5, "networkInterfaces": EFA_32, "placement": {"groupName": U}},
             prop_deps={"placement": [pg]})
    [pool] = batch(compute(instanceTypes=[], launchTemplate={"launchTemplateId": U}), pg, lt, deps=[lt],
                   tags={"team": "ml"})
    assert pool == expected(BATCH, "env", min_nodes=0, fabric=FabricCheck(True, gbps=3200.0), purpose="training",
                            labels={"team": "ml"}, compact=True, compact_missing="", training_intent=(
                                "32 EFA interface(s) on launch template lt", "a cluster placement group"))
    block = template(instanceType=P5, instanceMarketOptions={"marketType": "capacity-block"})
    [pool] = batch(compute(launchTemplate={"launchTemplateId": U}), block, deps=[block])
    assert (pool.capacity, pool.compact, pool.training_intent, pool.fabric) == (
        "capacity-block", True, (), short_of(0, P5, 32, 0.0))


def test_batch_labels_from_both_tag_maps_and_the_placement_group_input() -> None:
    pg = cluster_group()
    [pool] = batch(compute(tags={"backbone.dev/purpose": "training"}, placementGroup=U), pg, deps=[pg],
                   tags={"team": "ml"})
    assert (pool.labels, pool.purpose, pool.purpose_declared, pool.compact, pool.training_intent) == (
        {"team": "ml", "backbone.dev/purpose": "training"}, "training", True, True, ("a cluster placement group",))


def test_a_batch_launch_template_outside_the_stack_is_named() -> None:
    [pool] = batch(compute(launchTemplate={"launchTemplateId": "lt-0a"}))
    assert (pool.instance_type, pool.fabric, pool.unknown_inputs) == (P5, no_template(P5, 32), {
        "launch_template": "computeResources (no launch template of this stack is linked)"})


def test_batch_zones_and_public_ips_from_its_subnets() -> None:
    a, b = subnet("sa", "us-east-1a", mapPublicIpOnLaunch=True), subnet("sb", "us-east-1b")
    env = res(BATCH, "env", {"computeResources": compute(subnets=[U, U])}, prop_deps={"computeResources": [b, a]})
    [pool] = read(read_batch_environments, BATCH, a, b, env)
    assert (pool.zones, pool.public_ips, pool.region) == (("us-east-1a", "us-east-1b"), True, "us-east-1")


# -- EC2 Fleet ----------------------------------------------------------------------------------------------------

def fleet(overrides: Any = None, target: Any = None, *more: Any, lt_props: dict[str, Any] | None = None,
          config: dict[str, Any] | None = None, tags: Any = None) -> list[AcceleratorPool]:
    lt = template(**(lt_props if lt_props is not None else {"networkInterfaces": EFA_32}))
    if overrides is None:
        overrides = [{"instanceType": P5, "availabilityZone": "us-east-1a"}]
    one = {"launchTemplateSpecification": {"launchTemplateId": U, "version": "$Latest"}, "overrides": overrides,
           **(config or {})}
    props: dict[str, Any] = {"launchTemplateConfigs": [one], "targetCapacitySpecification": target if target
                             is not None else {"totalTargetCapacity": 2, "defaultTargetCapacityType": "on-demand"}}
    if tags is not None:
        props["tags"] = tags
    node = res(FLEET, "fleet", props, prop_deps={"launchTemplateConfigs": [lt, *more]})
    return read(read_fleets, FLEET, lt, *more, node)


def test_an_ec2_fleet_is_every_fact_of_it() -> None:
    assert fleet(tags={"backbone.dev/purpose": "inference"}) == [expected(
        FLEET, "fleet", fabric=FabricCheck(True, gbps=3200.0), training_intent=(
            "32 EFA interface(s) on launch template lt",), purpose="inference", purpose_declared=True,
        labels={"backbone.dev/purpose": "inference"})]


@pytest.mark.parametrize(("weights", "target", "nodes"), [
    pytest.param([2], {"totalTargetCapacity": 4}, 2, id="4-units-of-2"),
    pytest.param([2], {"totalTargetCapacity": 5}, 3, id="5-units-of-2"),
    pytest.param([2], {"totalTargetCapacity": 3}, 2, id="3-units-of-2"),
    pytest.param([None], {"totalTargetCapacity": 3}, 3, id="weight-1-when-not-given"),
    pytest.param([0], {"totalTargetCapacity": 3}, 3, id="weight-0-ignored"),
    pytest.param([0.5], {"totalTargetCapacity": 3}, 6, id="weight-under-1"),
    pytest.param([1], {"totalTargetCapacity": 3}, 3, id="weight-1"),
    pytest.param(["4"], {"totalTargetCapacity": 8}, 2, id="weight-as-a-string"),
    pytest.param([4, 2], {"totalTargetCapacity": 8}, 4, id="the-smaller-weight-of-a-type"),
    pytest.param([2, 4], {"totalTargetCapacity": 8}, 4, id="the-smaller-weight-first"),
    pytest.param([None], {"totalTargetCapacity": 384, "targetCapacityUnitType": "vcpu"}, 2, id="384-vcpus"),
    pytest.param([None], {"totalTargetCapacity": 385, "targetCapacityUnitType": "vcpu"}, 3, id="385-vcpus"),
    pytest.param([None], {"totalTargetCapacity": 2097152, "targetCapacityUnitType": "memory-mib"}, 1,
                 id="2048-gib"),
    pytest.param([None], {"totalTargetCapacity": 2097153, "targetCapacityUnitType": "memory-mib"}, 2,
                 id="2048-gib-and-1-mib"),
    pytest.param([None], {"totalTargetCapacity": 3, "targetCapacityUnitType": U}, 3, id="unit-unknown-is-units"),
])
def test_fleet_node_counts(weights: list[Any], target: dict[str, Any], nodes: int) -> None:
    overrides = [{"instanceType": P5, "availabilityZone": "us-east-1a",
                  **({"weightedCapacity": w} if w is not None else {})} for w in weights]
    [pool] = fleet(overrides, target)
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (nodes, nodes, {})


PATH = "targetCapacitySpecification.totalTargetCapacity"


@pytest.mark.parametrize(("instance_type", "target", "why"), [
    pytest.param(P5, {"totalTargetCapacity": U}, PATH, id="total-unknown"),
    pytest.param(P5, U, PATH, id="specification-unknown"),
    pytest.param(P5, {"defaultTargetCapacityType": "spot"}, f"{PATH} (missing)", id="total-missing"),
    pytest.param("p9.48xlarge", {"totalTargetCapacity": 8, "targetCapacityUnitType": "vcpu"},
                 f"{PATH} (in vcpu: the catalog has no figure for p9.48xlarge)", id="vcpus-of-a-type-not-in-catalog"),
    pytest.param("p9.48xlarge", {"totalTargetCapacity": 8, "targetCapacityUnitType": "memory-mib"},
                 f"{PATH} (in memory-mib: the catalog has no figure for p9.48xlarge)", id="memory-not-in-catalog"),
])
def test_fleet_node_counts_unknown(instance_type: str, target: Any, why: str) -> None:
    [pool] = fleet([{"instanceType": instance_type, "availabilityZone": "us-east-1a"}], target)
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (
        UNKNOWN, UNKNOWN, {"min_nodes": why, "max_nodes": why})


def test_fleet_target_missing_entirely() -> None:
    lt = template()
    node = res(FLEET, "fleet", {"launchTemplateConfigs": [{"launchTemplateSpecification": {"launchTemplateId": U},
                                                           "overrides": [{"instanceType": P5}]}]},
               prop_deps={"launchTemplateConfigs": [lt]})
    [pool] = read(read_fleets, FLEET, lt, node)
    assert (pool.max_nodes, pool.unknown_inputs["max_nodes"], pool.capacity) == (UNKNOWN, f"{PATH} (missing)",
                                                                                  "on-demand")


@pytest.mark.parametrize(("market", "capacity"), [
    ("spot", "spot"), ("capacity-block", "capacity-block"), ("on-demand", "on-demand"), (U, "on-demand"),
    ("reserved", "on-demand"),
])
def test_fleet_capacity(market: Any, capacity: str) -> None:
    [pool] = fleet(target={"totalTargetCapacity": 2, "defaultTargetCapacityType": market})
    assert pool.capacity == capacity


def test_a_fleet_judges_the_override_with_the_most_accelerators_at_its_weight() -> None:
    """8 units: 4 × p5.48xlarge at weight 2 (32 H100) or 8 × p4d.24xlarge at weight 1 (64 A100)."""
    [pool] = fleet([{"instanceType": P5, "weightedCapacity": 2, "availabilityZone": "us-east-1a"},
                    {"instanceType": P4D, "availabilityZone": "us-east-1a"}], {"totalTargetCapacity": 8})
    p4d, p5 = FabricCheck(True, gbps=400.0), FabricCheck(True, gbps=3200.0)
    assert (pool.instance_type, pool.max_nodes, pool.fabric, pool.candidates) == (
        P4D, 8, p4d, (Candidate(P4D, P4D_ROW, p4d, 8), Candidate(P5, P5_ROW, p5, 4)))


@pytest.mark.parametrize(("overrides", "lt_props", "why"), [
    pytest.param(U, {}, "launchTemplateConfigs[].overrides[].instanceType", id="overrides-unknown"),
    pytest.param([{"instanceType": U}], {}, "launchTemplateConfigs[].overrides[].instanceType", id="type-unknown"),
    pytest.param([{"instanceType": P5}, {"instanceRequirements": {"vcpuCount": {"min": 8}}}], {},
                 "launchTemplateConfigs[].overrides[].instanceRequirements (attribute-based: the types are chosen "
                 "at launch)", id="attribute-based-override"),
    pytest.param([], {"instanceType": U}, "lt.instanceType (launch template)", id="template-type-unknown"),
    pytest.param([], {"instanceRequirements": {}}, "lt.instanceRequirements (attribute-based: the types are chosen "
                 "at launch)", id="attribute-based-template"),
    pytest.param([], {"instanceType": U, "instanceRequirements": {}}, "lt.instanceType (launch template)",
                 id="template-type-unknown-first"),
])
def test_fleet_instance_types_unknown(overrides: Any, lt_props: dict[str, Any], why: str) -> None:
    [pool] = fleet(overrides, lt_props=lt_props)
    assert (pool.instance_type, pool.unknown_inputs["instance_type"], pool.purpose) == (UNKNOWN, why, "training")


def test_a_fleet_of_its_launch_templates_type() -> None:
    sn = subnet(zone="us-east-1b")
    [pool] = fleet([{"subnetId": U}], None, sn, lt_props={"instanceType": P4D})
    assert (pool.instance_type, pool.max_nodes, pool.zones, pool.fabric, pool.unknown_inputs) == (
        P4D, 2, ("us-east-1b",), short_of(0, P4D, 4, 0.0), {})


@pytest.mark.parametrize(("overrides", "lt_props"), [
    pytest.param([], {}, id="no-type-anywhere"),
    pytest.param([{"instanceType": "m5.large"}], {}, id="cpu"),
])
def test_fleets_without_accelerators_are_no_pool(overrides: Any, lt_props: dict[str, Any]) -> None:
    assert fleet(overrides, lt_props=lt_props) == []


def test_fleet_without_configs_or_with_them_unknown() -> None:
    assert read(read_fleets, FLEET, res(FLEET, "f", {"targetCapacitySpecification": {"totalTargetCapacity": 1}})) == []
    [pool] = read(read_fleets, FLEET, res(FLEET, "f", {"launchTemplateConfigs": U}))
    assert (pool.cloud, pool.instance_type, pool.max_nodes, pool.unknown_inputs["zones"]) == (
        "aws", UNKNOWN, UNKNOWN, "its inputs could not be read")


@pytest.mark.parametrize(("zones", "expected_zones", "unknown"), [
    pytest.param(["us-east-1b", "us-east-1a", "us-east-1b"], ("us-east-1b", "us-east-1a"), {}, id="named"),
    pytest.param(["us-east-1b", U], UNKNOWN, {"zones": "launchTemplateConfigs (an availabilityZone is unknown)"},
                 id="one-unknown"),
])
def test_fleet_zones(zones: list[Any], expected_zones: Any, unknown: dict[str, str]) -> None:
    [pool] = fleet([{"instanceType": P5, "availabilityZone": z} for z in zones])
    assert (pool.zones, pool.unknown_inputs) == (expected_zones, unknown)


def test_an_unknown_override_list_keeps_the_zones_named_before_it() -> None:
    lt = template()
    configs = [{"launchTemplateSpecification": {"launchTemplateId": U},
                "overrides": [{"instanceType": P5, "availabilityZone": U}]},
               {"launchTemplateSpecification": {"launchTemplateId": U}, "overrides": U}]
    node = res(FLEET, "fleet", {"launchTemplateConfigs": configs, "targetCapacitySpecification": {
        "totalTargetCapacity": 2}}, prop_deps={"launchTemplateConfigs": [lt]})
    [pool] = read(read_fleets, FLEET, lt, node)
    assert (pool.instance_type, pool.zones, pool.unknown_inputs) == (UNKNOWN, UNKNOWN, {
        "instance_type": "launchTemplateConfigs[].overrides[].instanceType",
        "zones": "launchTemplateConfigs (an availabilityZone is unknown)"})


def test_fleet_public_ips_from_the_subnets_its_configs_may_name() -> None:
    sn = subnet(mapPublicIpOnLaunch=True)
    [pool] = fleet([{"instanceType": P5, "subnetId": U}], None, sn, lt_props={})
    assert (pool.public_ips, pool.zones, pool.unknown_inputs) == (UNKNOWN, ("us-east-1a",), {"public_ips": (
        "launchTemplateConfigs (computed from 1 subnets: which of them it names is unknown before deployment); sn "
        "gives public IPs (mapPublicIpOnLaunch)")})


def test_a_fleets_launch_template_outside_the_stack_is_named() -> None:
    node = res(FLEET, "fleet", {"launchTemplateConfigs": [{"launchTemplateSpecification": {"launchTemplateId": "lt-0a"},
                                                           "overrides": [{"instanceType": P5, "availabilityZone":
                                                                          "us-east-1a"}]}],
                                "targetCapacitySpecification": {"totalTargetCapacity": 2}})
    [pool] = read(read_fleets, FLEET, node)
    assert (pool.fabric, pool.unknown_inputs) == (no_template(P5, 32), {
        "launch_template": "launchTemplateConfigs (no launch template of this stack is linked)"})


def test_a_config_without_launch_template_specification_names_none() -> None:
    lt = template(networkInterfaces=EFA_32)
    node = res(FLEET, "fleet", {"launchTemplateConfigs": [{"overrides": [{"instanceType": P5, "availabilityZone":
                                                                           "us-east-1a"}]}],
                                "targetCapacitySpecification": {"totalTargetCapacity": 2}},
               prop_deps={"launchTemplateConfigs": [lt]})
    [pool] = read(read_fleets, FLEET, lt, node)
    assert (pool.fabric, pool.training_intent, pool.unknown_inputs) == (no_template(P5, 32), (), {})


def test_vcpus_of_a_fleet_of_unknown_types() -> None:
    why = f"{PATH} (in vcpu: the catalog has no figure for the type)"
    [pool] = fleet(U, {"totalTargetCapacity": 384, "targetCapacityUnitType": "vcpu"})
    assert (pool.max_nodes, pool.unknown_inputs["min_nodes"], pool.unknown_inputs["max_nodes"]) == (UNKNOWN, why, why)


def test_the_first_launch_template_of_the_configs_is_the_fleets() -> None:
    first = template("first", networkInterfaces=EFA_32)
    second = template("second")
    configs = [{"launchTemplateSpecification": {"launchTemplateId": U}, "overrides": [
        {"instanceType": P5, "availabilityZone": "us-east-1a"}]} for _ in range(2)]
    node = res(FLEET, "fleet", {"launchTemplateConfigs": configs, "targetCapacitySpecification": {
        "totalTargetCapacity": 2}}, prop_deps={"launchTemplateConfigs": [first]})
    [pool] = read(read_fleets, FLEET, first, second, node)
    assert pool.training_intent == ("32 EFA interface(s) on launch template first",)


# -- Spot Fleet ---------------------------------------------------------------------------------------------------

def spot_fleet(specs: Any, *more: Any, **props: Any) -> list[AcceleratorPool]:
    pg = cluster_group()
    node = res(SPOT_FLEET, "sf", {"launchSpecifications": specs, "targetCapacity": 4, **props},
               prop_deps={"launchSpecifications": [pg], "launchTemplateConfigs": list(more)})
    return read(read_spot_fleets, SPOT_FLEET, pg, *more, node)


SPEC = {"instanceType": P4D, "weightedCapacity": "2", "availabilityZone": "us-west-2a", "placementGroup": U}


def test_a_spot_fleet_of_launch_specifications_is_every_fact_of_it() -> None:
    """4 units at weight 2: 2 × p4d.24xlarge, spot, in a cluster placement group."""
    assert spot_fleet([SPEC], tags={"team": "ml"}) == [expected(
        SPOT_FLEET, "sf", instance_type=P4D, instance=P4D_ROW, zones=("us-west-2a",), region="us-west-2",
        capacity="spot", fabric=no_template(P4D, 4), purpose="training", training_intent=(
            "a cluster placement group",), compact=True, compact_missing="", labels={"team": "ml"})]


@pytest.mark.parametrize(("changes", "props", "nodes"), [
    pytest.param({}, {}, 2, id="4-units-of-2"),
    pytest.param({"weightedCapacity": "3"}, {}, 2, id="4-units-of-3"),
    pytest.param({"weightedCapacity": "0"}, {}, 4, id="weight-0-ignored"),
    pytest.param({"weightedCapacity": "0.5"}, {}, 8, id="weight-under-1"),
    pytest.param({"weightedCapacity": None}, {}, 4, id="weight-not-given"),
    pytest.param({"weightedCapacity": None}, {"targetCapacity": 192, "targetCapacityUnitType": "vcpu"}, 2,
                 id="192-vcpus"),
    pytest.param({"weightedCapacity": None}, {"targetCapacity": 193, "targetCapacityUnitType": "vcpu"}, 3,
                 id="193-vcpus"),
])
def test_spot_fleet_node_counts(changes: dict[str, Any], props: dict[str, Any], nodes: int) -> None:
    [pool] = spot_fleet([{**SPEC, **changes}], **props)
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (nodes, nodes, {})


@pytest.mark.parametrize("weights", [("4", 1), (1, "4")])
def test_spot_fleet_the_smaller_weight_of_a_type(weights: tuple[Any, Any]) -> None:
    [pool] = spot_fleet([{**SPEC, "weightedCapacity": w} for w in weights], targetCapacity=8)
    assert pool.max_nodes == 8


def test_a_spot_fleet_without_placement_group_is_not_compact() -> None:
    [pool] = spot_fleet([{**SPEC, "placementGroup": None}])
    assert (pool.compact, pool.compact_missing, pool.training_intent, pool.purpose) == (
        False, NO_PLACEMENT, (), "inference")


def test_spot_fleet_public_ips_from_the_subnets_its_specifications_may_name() -> None:
    pg, sn = cluster_group(), subnet(mapPublicIpOnLaunch=True)
    node = res(SPOT_FLEET, "sf", {"launchSpecifications": [{**SPEC, "subnetId": U}], "targetCapacity": 4},
               prop_deps={"launchSpecifications": [pg, sn]})
    [pool] = read(read_spot_fleets, SPOT_FLEET, pg, sn, node)
    assert (pool.public_ips, pool.unknown_inputs) == (UNKNOWN, {"public_ips": (
        "launchSpecifications (computed from 1 subnets: which of them it names is unknown before deployment); sn "
        "gives public IPs (mapPublicIpOnLaunch)")})


@pytest.mark.parametrize(("props", "why"), [
    pytest.param({"targetCapacity": U}, "targetCapacity", id="unknown"),
    pytest.param({"targetCapacity": None}, "targetCapacity (missing)", id="missing"),
])
def test_spot_fleet_node_counts_unknown(props: dict[str, Any], why: str) -> None:
    [pool] = spot_fleet([SPEC], **props)
    assert (pool.max_nodes, pool.unknown_inputs) == (UNKNOWN, {"min_nodes": why, "max_nodes": why})


@pytest.mark.parametrize(("on_demand", "capacity"), [(4, "on-demand"), ("4", "on-demand"), (3, "spot"),
                                                     (0, "spot"), (U, "spot")])
def test_spot_fleet_capacity(on_demand: Any, capacity: str) -> None:
    [pool] = spot_fleet([SPEC], onDemandTargetCapacity=on_demand)
    assert pool.capacity == capacity


def test_spot_fleet_instance_types_unknown() -> None:
    [pool] = spot_fleet([SPEC, {**SPEC, "instanceType": U}])
    assert (pool.instance_type, pool.unknown_inputs["instance_type"], pool.max_nodes) == (
        UNKNOWN, "launchSpecifications[].instanceType", 4)


@pytest.mark.parametrize(("specs", "overrides", "why"), [
    pytest.param(None, U, "launchTemplateConfigs[].overrides[].instanceType", id="overrides-unknown"),
    pytest.param([SPEC], [{"instanceType": U}], "launchTemplateConfigs[].overrides[].instanceType",
                 id="override-type-unknown"),
    pytest.param(None, [{"instanceRequirements": {}}], "launchTemplateConfigs[].overrides[].instanceRequirements "
                 "(attribute-based: the types are chosen at launch)", id="attribute-based"),
])
def test_spot_fleet_template_config_types_unknown_name_the_template_configs(specs: Any, overrides: Any,
                                                                           why: str) -> None:
    """An unknown type among the template configs' overrides is named there, not in the launch specifications."""
    lt = template()
    configs = [{"launchTemplateSpecification": {"id": U}, "overrides": overrides}]
    [pool] = spot_fleet(specs, lt, launchTemplateConfigs=configs)
    assert (pool.instance_type, pool.unknown_inputs["instance_type"]) == (UNKNOWN, why)


@pytest.mark.parametrize("props", [
    pytest.param({"launchSpecifications": U}, id="specifications"),
    pytest.param({"launchTemplateConfigs": U}, id="template-configs"),
])
def test_spot_fleet_unreadable(props: dict[str, Any]) -> None:
    [pool] = read(read_spot_fleets, SPOT_FLEET, res(SPOT_FLEET, "sf", {"targetCapacity": 2, **props}))
    assert pool.cloud == "aws"
    assert (pool.instance_type, pool.max_nodes, pool.unknown_inputs["instance_type"]) == (
        UNKNOWN, UNKNOWN, "its inputs could not be read")


def test_spot_fleet_zone_unknown_and_no_specifications() -> None:
    [pool] = spot_fleet([{**SPEC, "availabilityZone": U}])
    assert (pool.zones, pool.unknown_inputs) == (UNKNOWN, {
        "zones": "launchSpecifications (an availabilityZone is unknown)"})
    assert spot_fleet([]) == [] and spot_fleet(None) == []


def test_spot_fleet_of_launch_template_configs() -> None:
    lt = template(networkInterfaces=EFA_32)
    configs = [{"launchTemplateSpecification": {"id": U}, "overrides": [
        {"instanceType": P5, "weightedCapacity": 2, "availabilityZone": "us-east-1b"}]}]
    [pool] = spot_fleet(None, lt, launchTemplateConfigs=configs, onDemandTargetCapacity=4)
    assert (pool.instance_type, pool.max_nodes, pool.capacity, pool.zones, pool.fabric, pool.training_intent) == (
        P5, 2, "on-demand", ("us-east-1b",), FabricCheck(True, gbps=3200.0),
        ("32 EFA interface(s) on launch template lt",))


# -- capacity reservations ----------------------------------------------------------------------------------------

def reservations(*resources: Any) -> list[AcceleratorPool]:
    return read(read_reservations, RESERVATION, *resources)


RESERVED = {"instanceType": P5, "instanceCount": 2, "availabilityZone": "us-east-1a"}


def test_an_idle_reservation_is_a_pool_of_its_count_with_every_fact() -> None:
    assert reservations(res(RESERVATION, "cr", RESERVED)) == [expected(
        RESERVATION, "cr", capacity="reservation", fabric=FabricCheck(True, gbps=None), compact=True,
        compact_missing="")]


@pytest.mark.parametrize(("changes", "facts"), [
    pytest.param({"instanceCount": "3"}, dict(min_nodes=3, max_nodes=3), id="count-as-a-string"),
    pytest.param({"instanceCount": 1}, dict(min_nodes=1, max_nodes=1), id="one"),
    pytest.param({"instanceCount": U}, dict(min_nodes=UNKNOWN, max_nodes=UNKNOWN, unknown_inputs={
        "min_nodes": "instanceCount", "max_nodes": "instanceCount"}), id="count-unknown"),
    pytest.param({"instanceCount": 2.5}, dict(min_nodes=UNKNOWN, max_nodes=UNKNOWN, unknown_inputs={
        "min_nodes": "instanceCount", "max_nodes": "instanceCount"}), id="count-not-whole"),
    pytest.param({"instanceType": U}, dict(instance_type=UNKNOWN, instance=None, purpose="training", fabric=
                                           FabricCheck(UNKNOWN, unknown=("instance type",), gbps=UNKNOWN),
                                           unknown_inputs={"instance_type": "instanceType"}), id="type-unknown"),
    pytest.param({"availabilityZone": U}, dict(zones=UNKNOWN, region=None, unknown_inputs={
        "zones": "availabilityZone (an availabilityZone is unknown)"}), id="zone-unknown"),
    pytest.param({"availabilityZone": U, "region": "us-west-2"}, dict(
        zones=UNKNOWN, region="us-west-2", unknown_inputs={
            "zones": "availabilityZone (an availabilityZone is unknown)"}), id="own-region"),
    pytest.param({"tags": {"backbone.dev/purpose": "training"}}, dict(
        purpose="training", purpose_declared=True, labels={"backbone.dev/purpose": "training"}), id="label"),
])
def test_reservation_facts(changes: dict[str, Any], facts: dict[str, Any]) -> None:
    reserved = dict(capacity="reservation", fabric=FabricCheck(True, gbps=None), compact=True, compact_missing="")
    assert reservations(res(RESERVATION, "cr", {**RESERVED, **changes})) == [expected(
        RESERVATION, "cr", **{**reserved, **facts})]


def test_a_reservation_without_zone_is_in_the_providers_region() -> None:
    aws = provider("pulumi:providers:aws", {"region": "ap-south-1"})
    [pool] = reservations(res(RESERVATION, "cr", {**RESERVED, "availabilityZone": None}, provider=aws))
    assert (pool.zones, pool.region, pool.unknown_inputs) == (
        UNKNOWN, "ap-south-1", {"zones": "availabilityZone (no subnet of this stack is linked)"})


@pytest.mark.parametrize("user", [INSTANCE, LAUNCH_TEMPLATE, BATCH, FLEET, "aws:eks/nodeGroup:NodeGroup",
                                  "aws:autoscaling/group:Group"])
@pytest.mark.parametrize("through", ["dependencies", "property"])
def test_a_reservation_a_pool_launches_into_is_that_pools(user: str, through: str) -> None:
    cr = res(RESERVATION, "cr", RESERVED)
    other = (res(user, "user", {}, deps=[cr]) if through == "dependencies"
             else res(user, "user", {}, prop_deps={"capacityReservationSpecification": [cr]}))
    assert reservations(cr, other) == []


def test_a_reservation_other_resources_depend_on_is_still_idle() -> None:
    cr = res(RESERVATION, "cr", RESERVED)
    assert [p.name for p in reservations(cr, res(SPOT_FLEET, "sf", {}, deps=[cr]),
                                         res(SUBNET, "sn", {}, prop_deps={"x": [cr]}))] == ["cr"]


def test_a_reservation_of_a_cpu_type_is_no_pool_and_an_unreadable_one_unknown() -> None:
    assert reservations(res(RESERVATION, "cr", {**RESERVED, "instanceType": "m5.large"})) == []
    [pool] = reservations(res(RESERVATION, "cr", U))
    assert (pool.capacity, pool.instance_type, pool.max_nodes) == ("on-demand", UNKNOWN, UNKNOWN)


@pytest.mark.parametrize(("reader", "type_"), [(read_batch_environments, BATCH), (read_fleets, FLEET),
                                               (read_spot_fleets, SPOT_FLEET)])
def test_a_resource_whose_inputs_cannot_be_read_is_an_aws_pool_of_unknowns(reader: Any, type_: str) -> None:
    [pool] = read(reader, type_, res(type_, "x", U))
    assert (pool.name, pool.cloud, pool.instance_type, pool.unknown_inputs["max_nodes"]) == (
        "x", "aws", UNKNOWN, "its inputs could not be read (got str)")


def test_each_reservation_is_read_past_an_unreadable_or_used_one() -> None:
    used = res(RESERVATION, "a-used", RESERVED)
    pools = reservations(res(RESERVATION, "0-unreadable", U), used, res(INSTANCE, "i", {}, deps=[used]),
                         res(RESERVATION, "b-idle", RESERVED))
    assert [(p.name, p.cloud) for p in pools] == [("0-unreadable", "aws"), ("b-idle", "aws")]
