"""The AWS readers (``backbone.policies.inventory.aws``) on resources built by hand as CrossGuard hands them to the
pack (``PolicyResource`` with its props behind ``unknown_checking_proxy``, an unknown value as the SDK's sentinel
string), every fact each reader sets asserted: EKS managed node groups, self-managed Auto Scaling groups (launch
template, mixed instances, placement group, subnets, node-label tags), Karpenter NodePools and FSx for Lustre.

Figures, written here as literals, and where they come from:

- p5.48xlarge: 8 H100 (80 GB), 192 vCPUs, 2,048 GiB, 32 EFA interfaces (one per network card), 3,200 Gbps of EFA,
  55.04 USD/h on demand; p4d.24xlarge: 8 A100 (40 GB), 96 vCPUs, 4 EFA, 400 Gbps, 21.957642 USD/h; g5.xlarge: 1
  A10G, 4 vCPUs, 16 GiB, no EFA, 1.006 USD/h; trn1.32xlarge: 16 Trainium, 128 vCPUs, 512 GiB; p6e-gb200.36xlarge:
  4 GB200, EFA without a stated interface count — AWS "Accelerated computing" instance types
  (docs.aws.amazon.com/ec2/latest/instancetypes/ac.html) and "EFA configuration for P5" (efa-acc-inst-types.html),
  as the catalog (``backbone/core/catalog/data/aws.yaml``) cites them; p5e.48xlarge is sold as Capacity Blocks only
  (no on-demand price: the catalog's unpriced type sorts as the most expensive).
- FSx for Lustre: storageCapacity in GiB, 1,000 GiB to FSx's TiB (1,200 GiB = 1.2 TiB); scratch deployments 200
  MB/s/TiB; PerUnitStorageThroughput 50/100/200 (PERSISTENT_1 SSD), 12/40 (PERSISTENT_1 HDD), 125/250/500/1000
  (PERSISTENT_2 SSD) — FSx API CreateFileSystemLustreConfiguration and "Deployment options"; 0.145 USD per
  GB-month at 125 MB/s/TiB = 145 USD per TiB-month (the catalog's c3x-fsx-lustre figure), 340 at 500 and 600 at
  1,000 (its blast-fsx-persistent2 figures); 250 is not priced.
- Karpenter: ``spec.limits`` stop launching at the first limit reached; well-known labels
  ``karpenter.k8s.aws/instance-category`` (``p``), ``-generation`` (``5``), ``-gpu-count``, ``-gpu-name`` (``h100``),
  ``-gpu-manufacturer`` (``nvidia``) (karpenter.sh/docs/concepts/scheduling); Kubernetes memory quantities: Ki, Mi,
  Gi, Ti, Pi are powers of 1,024, k, M, G, T, P of 1,000 (kubernetes.io "Resource Management for Pods and
  Containers", "Memory resource units").
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import PolicyProviderResource, PolicyResource
from pulumi_policy.proxy import unknown_checking_proxy

from backbone.core.catalog import load
from backbone.policies.inventory import UNKNOWN, AcceleratorPool, FabricCheck, FileSystem, aws, build
from backbone.policies.inventory.graph import Graph
from tests.policies import hand_resources as hand

CATALOG = load()
WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The Pulumi SDK's sentinel for a value unknown in preview (pulumi.runtime.rpc.UNKNOWN)."""

NG = "aws:eks/nodeGroup:NodeGroup"
ASG = "aws:autoscaling/group:Group"
LT = "aws:ec2/launchTemplate:LaunchTemplate"
PG = "aws:ec2/placementGroup:PlacementGroup"
SUBNET = "aws:ec2/subnet:Subnet"
NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"
NODE_POOL_BETA = "kubernetes:karpenter.sh/v1beta1:NodePool"
FSX = "aws:fsx/lustreFileSystem:LustreFileSystem"
PURPOSE = "backbone.dev/purpose"
TAG = "k8s.io/cluster-autoscaler/node-template/label/"

NO_LT = ("no launch template, so none of the 32 EFA interfaces p5.48xlarge has are attached (add a launch template "
         "with 32 networkInterfaces of interfaceType efa, one per network card)")
NO_PG = ("no cluster placement group: set the launch template's placement.groupName (or the group's placementGroup) "
         "to a placement group with strategy 'cluster'")
KARPENTER_EFA = FabricCheck(UNKNOWN, unknown=("EFA on the EC2NodeClass and the pods (not read by the pack)",),
                            gbps=UNKNOWN)
KARPENTER_ZONES = ("spec.template.spec.requirements[topology.kubernetes.io/zone] (not set: Karpenter picks among the "
                   "subnets of its EC2NodeClass)")


def res(type_: str, name: str, props: Any, deps: dict[str, list[PolicyResource]] | None = None,
        provider: PolicyProviderResource | None = None) -> PolicyResource:
    """A resource as CrossGuard hands it over (``hand_resources.res``), with its property dependencies."""
    return hand.res(type_, name, props, prop_deps=deps, provider=provider, stack="urn:pulumi:s::p")


def subnet(name: str = "a", zone: Any = "us-east-1a", public: Any = False) -> PolicyResource:
    return res(SUBNET, name, {"availabilityZone": zone, "mapPublicIpOnLaunch": public, "cidrBlock": "10.0.1.0/24"})


def template(name: str = "lt", **props: Any) -> PolicyResource:
    return res(LT, name, props)


def efa(n: int, kind: str = "efa") -> list[dict[str, Any]]:
    """``n`` network interfaces of ``kind``, one per network card."""
    return [{"interfaceType": kind, "networkCardIndex": i, "deviceIndex": 0 if i == 0 else 1} for i in range(n)]


def read(*resources: PolicyResource) -> list[Any]:
    """Every fact the AWS readers find, each reader on the resources of its types (as ``build`` calls them)."""
    graph = Graph(resources)
    found: list[Any] = []
    for entry in aws.ENTRIES:
        assert entry.reader is not None  # every AWS entry reads pools or file systems
        found += entry.reader(graph, CATALOG, graph.of_type(entry.token))
    return found


def facts(pool: AcceleratorPool) -> dict[str, Any]:
    """Every fact of a pool, the instance by its type name."""
    return {
        "urn": pool.urn, "name": pool.name, "cloud": pool.cloud, "resource_type": pool.resource_type,
        "instance_type": pool.instance_type, "instance": pool.instance.instance_type if pool.instance else None,
        "min_nodes": pool.min_nodes, "max_nodes": pool.max_nodes, "purpose": pool.purpose,
        "purpose_declared": pool.purpose_declared, "zones": pool.zones, "region": pool.region,
        "capacity": pool.capacity, "fabric": pool.fabric, "public_ips": pool.public_ips, "labels": pool.labels,
        "looks_like_accelerator": pool.looks_like_accelerator, "unknown_inputs": pool.unknown_inputs,
        "candidates": [(c.instance_type, c.instance.instance_type if c.instance else None, c.fabric, c.max_nodes)
                       for c in pool.candidates],
        "training_intent": pool.training_intent, "compact": pool.compact, "compact_missing": pool.compact_missing,
        "tpu_topology": pool.tpu_topology, "attached_accelerators": pool.attached_accelerators,
    }


def one(*resources: PolicyResource) -> dict[str, Any]:
    [pool] = read(*resources)
    return facts(pool)


# -- EKS managed node groups -----------------------------------------------------------------------------------

def node_group(name: str = "gpu", deps: dict[str, list[PolicyResource]] | None = None, **props: Any) -> PolicyResource:
    base: dict[str, Any] = {"clusterName": "c", "instanceTypes": ["p5.48xlarge"], "subnetIds": [WIRE],
                            "scalingConfig": {"minSize": 2, "maxSize": 16, "desiredSize": 2}}
    base.update(props)
    return res(NG, name, {k: v for k, v in base.items() if v is not None}, deps)


def ng_stack(sub: PolicyResource | None = None, lt: PolicyResource | None = None,
             **props: Any) -> tuple[PolicyResource, ...]:
    """A node group on one subnet (us-east-1a, private), with launch template ``lt`` when given."""
    sub = sub or subnet()
    deps: dict[str, list[PolicyResource]] = {"subnetIds": [sub]}
    if lt is not None:
        deps["launchTemplate"] = [lt]
        props.setdefault("launchTemplate", {"id": WIRE, "version": WIRE})
    return (sub, *((lt,) if lt is not None else ()), node_group(deps=deps, **props))


NG_FACTS: dict[str, Any] = {
    "urn": f"urn:pulumi:s::p::{NG}::gpu", "name": "gpu", "cloud": "aws", "resource_type": NG,
    "instance_type": "p5.48xlarge", "instance": "p5.48xlarge", "min_nodes": 2, "max_nodes": 16,
    "purpose": "inference", "purpose_declared": False, "zones": ("us-east-1a",), "region": "us-east-1",
    "capacity": "on-demand", "fabric": FabricCheck(False, missing=(NO_LT,), gbps=0.0), "public_ips": False,
    "labels": {}, "looks_like_accelerator": True, "unknown_inputs": {}, "candidates": [], "training_intent": (),
    "compact": False, "compact_missing": NO_PG, "tpu_topology": None, "attached_accelerators": None,
}


def test_a_node_group_of_p5_without_a_launch_template() -> None:
    assert one(*ng_stack()) == NG_FACTS


UNKNOWN_TYPE = {"instance_type": UNKNOWN, "instance": None, "fabric": FabricCheck(UNKNOWN, unknown=("instance type",),
                                                                                  gbps=UNKNOWN)}


@pytest.mark.parametrize("props, changes", [
    # the purpose label decides; a value that is no purpose does not
    ({"labels": {PURPOSE: "training", "team": "ml"}},
     {"purpose": "training", "purpose_declared": True, "labels": {PURPOSE: "training", "team": "ml"}}),
    ({"labels": {PURPOSE: "batch"}}, {"labels": {PURPOSE: "batch"}}),
    ({"labels": WIRE}, {}),
    # sizes: exact, unknown, missing, not whole
    ({"scalingConfig": {"minSize": 0, "maxSize": 1}}, {"min_nodes": 0, "max_nodes": 1}),
    ({"scalingConfig": {"minSize": WIRE, "maxSize": WIRE}},
     {"min_nodes": UNKNOWN, "max_nodes": UNKNOWN,
      "unknown_inputs": {"min_nodes": "scalingConfig.minSize", "max_nodes": "scalingConfig.maxSize"}}),
    ({"scalingConfig": {"maxSize": 2.5}},
     {"min_nodes": UNKNOWN, "max_nodes": UNKNOWN,
      "unknown_inputs": {"min_nodes": "scalingConfig.minSize (missing or not a whole number)",
                         "max_nodes": "scalingConfig.maxSize (missing or not a whole number)"}}),
    ({"scalingConfig": WIRE},
     {"min_nodes": UNKNOWN, "max_nodes": UNKNOWN,
      "unknown_inputs": {"min_nodes": "scalingConfig.minSize", "max_nodes": "scalingConfig.maxSize"}}),
    # capacity: EKS's capacityType
    ({"capacityType": "SPOT"}, {"capacity": "spot"}),
    ({"capacityType": "CAPACITY_BLOCK"},
     {"capacity": "capacity-block", "compact": True, "compact_missing": ""}),  # the block places the nodes
    ({"capacityType": "ON_DEMAND"}, {}),
    ({"capacityType": WIRE}, {}),
    # a region input of the resource itself wins over its zones'
    ({"region": "eu-west-1"}, {"region": "eu-west-1"}),
    ({"region": WIRE}, {}),
    # the instance types
    ({"instanceTypes": WIRE}, {**UNKNOWN_TYPE, "purpose": "training", "looks_like_accelerator": False,
                               "unknown_inputs": {"instance_type": "instanceTypes"}}),
    ({"instanceTypes": ["p5.48xlarge", WIRE]},
     {**UNKNOWN_TYPE, "purpose": "training", "looks_like_accelerator": False,
      "unknown_inputs": {"instance_type": "instanceTypes"}}),
    ({"instanceTypes": WIRE, "amiType": "AL2_x86_64_GPU"},
     {**UNKNOWN_TYPE, "purpose": "training", "unknown_inputs": {"instance_type": "instanceTypes"}}),
    ({"instanceTypes": WIRE, "scalingConfig": {"minSize": 1, "maxSize": 1}},  # one node: not across nodes
     {**UNKNOWN_TYPE, "min_nodes": 1, "max_nodes": 1, "looks_like_accelerator": False,
      "unknown_inputs": {"instance_type": "instanceTypes"}}),
    ({"instanceTypes": "p5.48xlarge"}, {}),  # one type where a list is taken
    ({"instanceTypes": ["p5.48xlarge", "p5.48xlarge"]}, {}),  # one type twice is one type
    ({"instanceTypes": ["x9.huge"], "amiType": "AL2_x86_64_GPU"},  # not in the catalog, a GPU AMI
     {"instance_type": "x9.huge", "instance": None, "fabric": FabricCheck(False, gbps=0.0)}),
    ({"instanceTypes": ["x9.huge"], "amiType": "al2023_x86_64_nvidia"}, {
        "instance_type": "x9.huge", "instance": None, "fabric": FabricCheck(False, gbps=0.0)}),
    ({"instanceTypes": ["x9.huge"], "amiType": "AL2023_x86_64_NEURON"}, {
        "instance_type": "x9.huge", "instance": None, "fabric": FabricCheck(False, gbps=0.0)}),
    ({"instanceTypes": ["p7.48xlarge"], "amiType": "AL2023_x86_64_STANDARD"},  # an accelerator family by name
     {"instance_type": "p7.48xlarge", "instance": None, "fabric": FabricCheck(False, gbps=0.0)}),
    ({"instanceTypes": ["g5.xlarge"]},  # no EFA on g5.xlarge: nothing to configure
     {"instance_type": "g5.xlarge", "instance": "g5.xlarge", "fabric": FabricCheck(False, gbps=0.0)}),
])
def test_a_node_group_fact_by_fact(props: dict[str, Any], changes: dict[str, Any]) -> None:
    assert one(*ng_stack(**props)) == {**NG_FACTS, **changes}


@pytest.mark.parametrize("props", [
    {"instanceTypes": ["m5.large"]},  # a general-purpose type
    {"instanceTypes": ["m5.large"], "amiType": "AL2_x86_64"},
    {"instanceTypes": ["m5.large"], "amiType": WIRE},
    {"instanceTypes": None},  # EKS's default type (t3.medium): not an accelerator pool
    {"instanceTypes": []},
    {"instanceTypes": [3]},
])
def test_a_node_group_without_accelerators_is_no_pool(props: dict[str, Any]) -> None:
    assert read(*ng_stack(**props)) == []


def test_a_node_group_of_several_types_is_judged_as_the_least_favourable() -> None:
    # both 8 GPUs a node; p5.48xlarge (55.04 USD/h) costs more than p4d.24xlarge (21.957642)
    facts_ = one(*ng_stack(instanceTypes=["p4d.24xlarge", "p5.48xlarge"]))
    assert (facts_["instance_type"], facts_["instance"]) == ("p5.48xlarge", "p5.48xlarge")
    p4d = ("no launch template, so none of the 4 EFA interfaces p4d.24xlarge has are attached (add a launch template "
           "with 4 networkInterfaces of interfaceType efa, one per network card)")
    assert facts_["candidates"] == [("p5.48xlarge", "p5.48xlarge", FabricCheck(False, (NO_LT,), gbps=0.0), None),
                                    ("p4d.24xlarge", "p4d.24xlarge", FabricCheck(False, (p4d,), gbps=0.0), None)]


# -- the launch template: instance type, EFA, capacity, placement, public IPs -----------------------------------

def efa_message(n: int) -> str:
    return (f"{n} EFA interface(s) configured where p5.48xlarge has 32 (networkInterfaces with interfaceType efa, "
            f"one per network card)")


@pytest.mark.parametrize("interfaces, fabric, intent", [
    (efa(32), FabricCheck(True, gbps=3200.0), ("32 EFA interface(s) on launch template lt",)),  # exactly at
    (efa(33), FabricCheck(True, gbps=3200.0), ("33 EFA interface(s) on launch template lt",)),  # one past
    (efa(31), FabricCheck(False, (efa_message(31),), gbps=3100.0),  # one short: 31 of 32 paths of 3,200 Gbps
     ("31 EFA interface(s) on launch template lt",)),
    (efa(1), FabricCheck(False, (efa_message(1),), gbps=100.0),  # one of 32: 100 Gbps, intent all the same
     ("1 EFA interface(s) on launch template lt",)),
    (efa(32, "efa-only"), FabricCheck(True, gbps=3200.0), ("32 EFA interface(s) on launch template lt",)),
    (efa(1) + efa(31, "efa-only"), FabricCheck(True, gbps=3200.0), ("32 EFA interface(s) on launch template lt",)),
    (efa(32, "interface"), FabricCheck(False, (efa_message(0),), gbps=0.0), ()),
    ([{"deviceIndex": 0}], FabricCheck(False, (efa_message(0),), gbps=0.0), ()),
    (None, FabricCheck(False, (efa_message(0),), gbps=0.0), ()),
    ([], FabricCheck(False, (efa_message(0),), gbps=0.0), ()),
])
def test_efa_interfaces_of_the_launch_template(interfaces: Any, fabric: FabricCheck, intent: tuple[str, ...]) -> None:
    lt = template(instanceType="p5.48xlarge", networkInterfaces=interfaces)
    found = one(*ng_stack(lt=lt, instanceTypes=None))
    assert (found["fabric"], found["training_intent"]) == (fabric, intent)
    assert found["purpose"] == ("training" if intent else "inference")  # EFA shows training intent
    assert found["unknown_inputs"] == {}


@pytest.mark.parametrize("interfaces, unknown", [
    (WIRE, ("lt.networkInterfaces",)),
    ([*efa(1), {"interfaceType": WIRE}, *efa(30)], ("lt.networkInterfaces[1].interfaceType",)),
])
def test_efa_interfaces_unknown_in_preview(interfaces: Any, unknown: tuple[str, ...]) -> None:
    lt = template(instanceType="p5.48xlarge", networkInterfaces=interfaces)
    found = one(*ng_stack(lt=lt, instanceTypes=None))
    assert found["fabric"] == FabricCheck(UNKNOWN, unknown=unknown, gbps=UNKNOWN)
    assert found["training_intent"] == () and found["purpose"] == "inference"


def test_efa_on_a_type_whose_interface_count_the_catalog_lacks() -> None:
    """p6e-gb200.36xlarge: EFA, no interface count read (catalog): at least one, whether more is unknown."""
    gap = "how many EFA interfaces p6e-gb200.36xlarge has (the catalog has no figure)"
    none = one(*ng_stack(lt=template(instanceType="p6e-gb200.36xlarge", networkInterfaces=[]), instanceTypes=None))
    assert none["fabric"] == FabricCheck(False, (
        "0 EFA interface(s) configured where p6e-gb200.36xlarge has at least 1 (networkInterfaces with interfaceType "
        "efa, one per network card)",), (gap,), 0.0)
    some = one(*ng_stack(lt=template(instanceType="p6e-gb200.36xlarge", networkInterfaces=efa(1)), instanceTypes=None))
    assert some["fabric"] == FabricCheck(UNKNOWN, (), (gap,), 3200.0)
    bare = one(*ng_stack(instanceTypes=["p6e-gb200.36xlarge"]))
    assert bare["fabric"] == FabricCheck(False, (
        "no launch template, so none of the at least 1 EFA interfaces p6e-gb200.36xlarge has are attached (add a "
        "launch template with at least 1 networkInterfaces of interfaceType efa, one per network card)",), gbps=0.0)


@pytest.mark.parametrize("lt_props, changes", [
    ({"instanceType": WIRE}, {**UNKNOWN_TYPE, "purpose": "training", "looks_like_accelerator": False,
                              "unknown_inputs": {"instance_type": "lt.instanceType (launch template)"}}),
    ({"instanceRequirements": {"vcpuCount": {"min": 8}}},
     {**UNKNOWN_TYPE, "purpose": "training", "looks_like_accelerator": False, "unknown_inputs": {
         "instance_type": "lt.instanceRequirements (attribute-based: the types are chosen at launch)"}}),
    # capacity the launch template asks for
    ({"instanceType": "p5.48xlarge", "instanceMarketOptions": {"marketType": "spot"}}, {"capacity": "spot"}),
    ({"instanceType": "p5.48xlarge", "instanceMarketOptions": {"marketType": "capacity-block"}},
     {"capacity": "capacity-block", "compact": True, "compact_missing": ""}),
    ({"instanceType": "p5.48xlarge", "instanceMarketOptions": {"marketType": WIRE}}, {}),
    ({"instanceType": "p5.48xlarge", "capacityReservationSpecification": {
        "capacityReservationTarget": {"capacityReservationId": "cr-0123"}}},
     {"capacity": "reservation", "compact": True, "compact_missing": ""}),
    ({"instanceType": "p5.48xlarge", "capacityReservationSpecification": {
        "capacityReservationPreference": "capacity-reservations-only"}},
     {"capacity": "reservation", "compact": True, "compact_missing": ""}),
    ({"instanceType": "p5.48xlarge", "capacityReservationSpecification": {"capacityReservationPreference": "open"}},
     {}),
    ({"instanceType": "p5.48xlarge", "capacityReservationSpecification": WIRE}, {}),
    # public IPs the interfaces ask for (the subnet maps none)
    ({"instanceType": "p5.48xlarge", "networkInterfaces": [{"deviceIndex": 0, "associatePublicIpAddress": True}]},
     {"public_ips": True}),
    ({"instanceType": "p5.48xlarge", "networkInterfaces": [{"deviceIndex": 0, "associatePublicIpAddress": "true"}]},
     {"public_ips": True}),
    ({"instanceType": "p5.48xlarge", "networkInterfaces": [
        {"deviceIndex": 0, "associatePublicIpAddress": "false"}, {"deviceIndex": 1, "associatePublicIpAddress": WIRE}]},
     {"public_ips": UNKNOWN,
      "unknown_inputs": {"public_ips": "lt.networkInterfaces[1].associatePublicIpAddress"}}),
])
def test_a_node_group_on_a_launch_template(lt_props: dict[str, Any], changes: dict[str, Any]) -> None:
    found = one(*ng_stack(lt=template(**lt_props), instanceTypes=None))
    assert found == {**NG_FACTS, "fabric": FabricCheck(False, (efa_message(0),), gbps=0.0), **changes}


def test_a_launch_template_without_a_type_leaves_the_eks_default() -> None:
    assert read(*ng_stack(lt=template(imageId="ami-0123"), instanceTypes=None)) == []


def test_the_node_groups_own_types_win_over_the_launch_templates() -> None:
    found = one(*ng_stack(lt=template(instanceType=WIRE, networkInterfaces=efa(32)), instanceTypes=["p5.48xlarge"]))
    assert (found["instance_type"], found["fabric"], found["unknown_inputs"]) == (
        "p5.48xlarge", FabricCheck(True, gbps=3200.0), {})


@pytest.mark.parametrize("templates, why", [
    (0, "launchTemplate (no launch template of this stack is linked)"),
    (2, "launchTemplate (computed from 2 launch templates: which of them it names is unknown before deployment)"),
])
def test_a_launch_template_the_pack_cannot_name(templates: int, why: str) -> None:
    lts = [template(f"lt{i}", instanceType="p5.48xlarge") for i in range(templates)]
    sub = subnet()
    group = node_group(deps={"subnetIds": [sub], "launchTemplate": lts}, instanceTypes=None,
                       launchTemplate={"id": WIRE, "version": "$Latest"})
    found = one(sub, *lts, group)
    assert found == {**NG_FACTS, **UNKNOWN_TYPE, "purpose": "training", "looks_like_accelerator": False,
                     "unknown_inputs": {"launch_template": why, "instance_type": why}}


@pytest.mark.parametrize("interfaces, subnet_public, public, unknown", [
    (None, True, True, {}),  # the subnet maps public IPs and nothing says otherwise
    ([{"deviceIndex": 0, "associatePublicIpAddress": False}], True, False, {}),  # every interface says no
    ([{"deviceIndex": 0, "associatePublicIpAddress": False}, {"deviceIndex": 1}], True, True, {}),  # one says nothing
    ([{"deviceIndex": 0}], True, True, {}),
    (None, "true", True, {}),
    (None, WIRE, UNKNOWN, {"public_ips": "subnetIds → a.mapPublicIpOnLaunch"}),
    (None, None, False, {}),
    (WIRE, True, UNKNOWN, {"public_ips": "lt.networkInterfaces"}),
])
def test_public_ips_of_the_interfaces_and_the_subnet(interfaces: Any, subnet_public: Any, public: Any,
                                                    unknown: dict[str, str]) -> None:
    lt = template(instanceType="g5.xlarge", networkInterfaces=interfaces)
    found = one(*ng_stack(sub=subnet(public=subnet_public), lt=lt, instanceTypes=None))
    assert (found["public_ips"], found["unknown_inputs"]) == (public, unknown)


def test_public_ips_through_subnets_the_pack_cannot_tell_apart() -> None:
    """One id computed from two subnets in one zone, one of them public: whether the nodes get public IPs is
    unknown; the zone is known (both lie in it)."""
    private, public = subnet("a"), subnet("b", public=True)
    group = node_group(deps={"subnetIds": [private, public]}, subnetIds=WIRE)
    found = one(private, public, group)
    assert found == {**NG_FACTS, "public_ips": UNKNOWN, "unknown_inputs": {"public_ips": (
        "subnetIds (computed from 2 subnets: which of them it names is unknown before deployment); b gives public IPs "
        "(mapPublicIpOnLaunch)")}}
    both = one(private, public, node_group(deps={"subnetIds": [private, public]}, subnetIds=[WIRE, WIRE]))
    assert (both["public_ips"], both["unknown_inputs"]) == (True, {})  # exactly these two: one of them is public


@pytest.mark.parametrize("subnets, value, zones, region, unknown", [
    ([subnet("a", "us-east-1b"), subnet("b", "us-east-1a")], [WIRE, WIRE], ("us-east-1a", "us-east-1b"),
     "us-east-1", {}),
    ([subnet("a", "us-west-2b"), subnet("b", "us-west-2b")], WIRE, ("us-west-2b",), "us-west-2", {}),
    ([subnet("a", "us-east-1b"), subnet("b", "us-east-1a")], WIRE, UNKNOWN, None, {"zones": (
        "subnetIds (computed from 2 subnets in 2 zones, us-east-1a, us-east-1b: which of them it names is unknown "
        "before deployment)")}),
    ([subnet("a", WIRE)], [WIRE], UNKNOWN, None, {"zones": "subnetIds → a.availabilityZone"}),
    ([], ["subnet-0abc"], UNKNOWN, None, {"zones": "subnetIds (subnet-0abc: not a subnet of this stack)"}),
])
def test_zones_and_region_of_the_subnets(subnets: list[PolicyResource], value: Any, zones: Any, region: Any,
                                         unknown: dict[str, str]) -> None:
    found = one(*subnets, node_group(deps={"subnetIds": subnets}, subnetIds=value))
    assert (found["zones"], found["region"], found["unknown_inputs"]) == (zones, region, unknown)


@pytest.mark.parametrize("settings, region", [
    ({"region": "us-west-2"}, "us-west-2"),
    ({"region": WIRE}, None),
    ({}, None),
])
def test_without_zones_the_providers_region(settings: dict[str, Any], region: Any) -> None:
    provider = PolicyProviderResource("pulumi:providers:aws", unknown_checking_proxy(settings), "urn:provider",
                                      "default")
    group = res(NG, "gpu", {"instanceTypes": ["p5.48xlarge"], "scalingConfig": {"minSize": 1, "maxSize": 4}},
                provider=provider)
    found = one(group)
    assert (found["zones"], found["region"]) == (UNKNOWN, region)
    assert found["unknown_inputs"] == {"zones": "subnetIds (no subnet of this stack is linked)"}


def test_an_unreadable_node_group_is_every_fact_unknown() -> None:
    [pool] = read(res(NG, "gpu", "junk"))
    assert (pool.instance_type, pool.max_nodes, pool.zones, pool.public_ips, pool.resource_type, pool.cloud) == (
        UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, NG, "aws")
    assert pool.unknown_inputs["instance_type"] == "its inputs could not be read (got str)"


# -- self-managed Auto Scaling groups ---------------------------------------------------------------------------

def asg(name: str = "nodes", deps: dict[str, list[PolicyResource]] | None = None, **props: Any) -> PolicyResource:
    base: dict[str, Any] = {"minSize": 0, "maxSize": 8, "vpcZoneIdentifiers": [WIRE],
                            "launchTemplate": {"id": WIRE, "version": "$Latest"}}
    base.update(props)
    return res(ASG, name, {k: v for k, v in base.items() if v is not None}, deps)


def asg_stack(lt: PolicyResource | None = None, pgs: tuple[PolicyResource, ...] = (),
              **props: Any) -> tuple[PolicyResource, ...]:
    """An Auto Scaling group on one subnet (us-east-1a) and launch template ``lt`` (p5.48xlarge, 32 EFA)."""
    sub = subnet()
    lt = lt or template(instanceType="p5.48xlarge", networkInterfaces=efa(32))
    deps = {"vpcZoneIdentifiers": [sub], "launchTemplate": [lt]}
    if pgs:
        deps["placementGroup"] = list(pgs)
    return (sub, lt, *pgs, asg(deps=deps, **props))


ASG_FACTS: dict[str, Any] = {
    **NG_FACTS, "urn": f"urn:pulumi:s::p::{ASG}::nodes", "name": "nodes", "resource_type": ASG, "min_nodes": 0,
    "max_nodes": 8, "purpose": "training", "fabric": FabricCheck(True, gbps=3200.0),
    "training_intent": ("32 EFA interface(s) on launch template lt",),
}


def placement_group(name: str = "pg", strategy: Any = "cluster") -> PolicyResource:
    return res(PG, name, {"strategy": strategy})


def test_an_auto_scaling_group_on_a_launch_template_with_efa() -> None:
    assert one(*asg_stack()) == ASG_FACTS


@pytest.mark.parametrize("pgs, props, changes", [
    ((placement_group(),), {"placementGroup": WIRE},
     {"compact": True, "compact_missing": "",
      "training_intent": ("32 EFA interface(s) on launch template lt", "a cluster placement group")}),
    ((placement_group(strategy="spread"),), {"placementGroup": WIRE},
     {"compact_missing": "placement group pg has strategy 'spread': set strategy 'cluster'"}),
    ((placement_group(strategy=WIRE),), {"placementGroup": WIRE},
     {"compact": UNKNOWN, "compact_missing": "pg.strategy"}),
    ((), {"placementGroup": "my-cluster-pg"}, {"compact": UNKNOWN, "compact_missing": (
        "nodes.placementGroup (a placement group outside this stack, or one of several)")}),
    ((placement_group("pg1"), placement_group("pg2")), {"placementGroup": WIRE},
     {"compact": UNKNOWN, "compact_missing": (
         "nodes.placementGroup (a placement group outside this stack, or one of several)")}),
    # two placement groups the input depends on, whatever its value: which one is unknown
    ((placement_group("pg1"), placement_group("pg2")), {"placementGroup": 5},
     {"compact": UNKNOWN, "compact_missing": (
         "nodes.placementGroup (a placement group outside this stack, or one of several)")}),
    ((), {"placementGroup": WIRE}, {"compact": UNKNOWN, "compact_missing": (
        "nodes.placementGroup (a placement group outside this stack, or one of several)")}),
    ((placement_group(strategy="spread"),), {"placementGroup": WIRE, "capacityReservationSpecification": {
        "capacityReservationTarget": {"capacityReservationResourceGroupArn": "arn:aws:resource-groups:x"}}},
     {"capacity": "reservation", "compact": True, "compact_missing": ""}),  # the reservation places the nodes
])
def test_the_placement_group_of_an_auto_scaling_group(pgs: tuple[PolicyResource, ...], props: dict[str, Any],
                                                      changes: dict[str, Any]) -> None:
    assert one(*asg_stack(pgs=pgs, **props)) == {**ASG_FACTS, **changes}


def test_the_placement_group_of_the_launch_template() -> None:
    pg = placement_group()
    lt = res(LT, "lt", {"instanceType": "p5.48xlarge", "networkInterfaces": efa(32),
                        "placement": {"groupName": WIRE}}, {"placement": [pg]})
    cluster = {**ASG_FACTS, "compact": True, "compact_missing": "",
               "training_intent": ("32 EFA interface(s) on launch template lt", "a cluster placement group")}
    assert one(*asg_stack(lt=lt), pg) == cluster
    # the group's placementGroup names nothing the pack can read (a number): the template's still counts
    assert one(*asg_stack(lt=lt, placementGroup=5), pg) == cluster


def test_only_the_placement_group_name_of_the_launch_template_names_a_group() -> None:
    """placement without groupName (a zone, a tenancy) names no placement group, whatever the template depends on."""
    pg = placement_group()
    lt = res(LT, "lt", {"instanceType": "p5.48xlarge", "networkInterfaces": efa(32),
                        "placement": {"availabilityZone": "us-east-1a", "tenancy": "default"}}, {"placement": [pg]})
    assert one(*asg_stack(lt=lt), pg) == ASG_FACTS


def test_a_node_group_on_a_launch_template_in_a_cluster_placement_group() -> None:
    """A node group has no placementGroup input: the launch template's placement.groupName is read."""
    pg = placement_group()
    lt = res(LT, "lt", {"instanceType": "p5.48xlarge", "placement": {"groupName": WIRE}}, {"placement": [pg]})
    found = one(*ng_stack(lt=lt, instanceTypes=None), pg)
    assert (found["compact"], found["compact_missing"], found["training_intent"], found["purpose"]) == (
        True, "", ("a cluster placement group",), "training")


@pytest.mark.parametrize("props, changes", [
    ({"minSize": WIRE, "maxSize": 3},
     {"min_nodes": UNKNOWN, "max_nodes": 3, "unknown_inputs": {"min_nodes": "minSize"}}),
    ({"maxSize": None}, {"max_nodes": UNKNOWN,
                         "unknown_inputs": {"max_nodes": "maxSize (missing or not a whole number)"}}),
    # node labels ride on Cluster Autoscaler's node-template tags
    ({"tags": [{"key": TAG + PURPOSE, "value": "inference", "propagateAtLaunch": True},
               {"key": "Name", "value": "gpu-nodes", "propagateAtLaunch": True},
               {"key": TAG + "team", "value": WIRE, "propagateAtLaunch": True},
               {"key": WIRE, "value": "x", "propagateAtLaunch": True}]},
     {"labels": {PURPOSE: "inference", "team": UNKNOWN}, "purpose": "inference", "purpose_declared": True}),
    ({"tags": WIRE}, {}),
    # zones: the group's availabilityZones where it names no subnets, in its order, each once
    ({"vpcZoneIdentifiers": None, "availabilityZones": ["us-east-1b", "us-east-1a", "us-east-1b"]},
     {"zones": ("us-east-1b", "us-east-1a")}),
    ({"vpcZoneIdentifiers": None, "availabilityZones": ["us-east-1b", WIRE]},
     {"zones": UNKNOWN, "region": None,
      "unknown_inputs": {"zones": "vpcZoneIdentifiers (no subnet of this stack is linked)"}}),
    ({"vpcZoneIdentifiers": None, "availabilityZones": []},
     {"zones": UNKNOWN, "region": None,
      "unknown_inputs": {"zones": "vpcZoneIdentifiers (no subnet of this stack is linked)"}}),
    ({"availabilityZones": ["us-west-2a"]}, {}),  # subnets named: they decide
    ({"capacityReservationSpecification": {"capacityReservationPreference": "capacity-reservations-only"}},
     {"capacity": "reservation", "compact": True, "compact_missing": ""}),
])
def test_an_auto_scaling_group_fact_by_fact(props: dict[str, Any], changes: dict[str, Any]) -> None:
    assert one(*asg_stack(**props)) == {**ASG_FACTS, **changes}


@pytest.mark.parametrize("props, why", [
    ({"launchTemplate": None}, "launchTemplate (no launch template of this stack)"),
    ({"launchTemplate": None, "launchConfiguration": "lc-gpu"}, "launchTemplate (no launch template of this stack)"),
    ({"mixedInstancesPolicy": {"launchTemplate": {"launchTemplateSpecification": {"launchTemplateId": "lt-0abc"}}},
      "launchTemplate": None}, "mixedInstancesPolicy (no launch template of this stack is linked)"),
])
def test_an_auto_scaling_group_without_a_launch_template_of_the_stack(props: dict[str, Any], why: str) -> None:
    found = one(subnet(), asg(deps={"vpcZoneIdentifiers": []}, vpcZoneIdentifiers=None,
                              availabilityZones=["us-east-1a"], **props))
    unknown = {"instance_type": why}
    if why.startswith("mixed"):
        unknown = {"launch_template": why, "instance_type": why}
    assert found == {**ASG_FACTS, **UNKNOWN_TYPE, "looks_like_accelerator": False, "training_intent": (),
                     "unknown_inputs": unknown}


def mixed(overrides: Any, spec: Any = None) -> dict[str, Any]:
    launch: dict[str, Any] = {"launchTemplateSpecification": spec or {"launchTemplateId": WIRE, "version": "$Latest"}}
    if overrides is not None:
        launch["overrides"] = overrides
    return {"instancesDistribution": {"onDemandBaseCapacity": 0}, "launchTemplate": launch}


def mixed_stack(overrides: Any, lt: PolicyResource | None = None) -> tuple[PolicyResource, ...]:
    sub = subnet()
    lt = lt or template(networkInterfaces=efa(32))
    return (sub, lt, asg(deps={"vpcZoneIdentifiers": [sub], "mixedInstancesPolicy": [lt]}, launchTemplate=None,
                         mixedInstancesPolicy=mixed(overrides)))


def test_a_mixed_instances_policy_offers_its_overrides_as_candidates() -> None:
    found = one(*mixed_stack([{"instanceType": "p4d.24xlarge", "weightedCapacity": "1"},
                              {"instanceType": "p5.48xlarge", "weightedCapacity": "1"}, {"weightedCapacity": "2"}]))
    # 32 EFA on both: p5.48xlarge has 32 (3,200 Gbps), p4d.24xlarge 4 (400 Gbps, min(32, 4) of 4)
    assert found == {**ASG_FACTS, "candidates": [
        ("p5.48xlarge", "p5.48xlarge", FabricCheck(True, gbps=3200.0), None),
        ("p4d.24xlarge", "p4d.24xlarge", FabricCheck(True, gbps=400.0), None)]}


@pytest.mark.parametrize("overrides, lt_type, changes", [
    ([{"instanceType": WIRE}], "p5.48xlarge", {
        **UNKNOWN_TYPE, "looks_like_accelerator": False,
        "unknown_inputs": {"instance_type": "mixedInstancesPolicy.launchTemplate.overrides[].instanceType"}}),
    ([{"weightedCapacity": "2"}], "p5.48xlarge", {}),  # no type overridden: the template's
    (None, "p5.48xlarge", {}),
    ("junk", "p5.48xlarge", {}),
    ([{"instanceType": "g5.xlarge"}], "p5.48xlarge", {
        "instance_type": "g5.xlarge", "instance": "g5.xlarge", "fabric": FabricCheck(False, gbps=0.0)}),
])
def test_a_mixed_instances_policy_fact_by_fact(overrides: Any, lt_type: str, changes: dict[str, Any]) -> None:
    lt = template(instanceType=lt_type, networkInterfaces=efa(32))
    assert one(*mixed_stack(overrides, lt)) == {**ASG_FACTS, **changes}


def test_unknown_overrides_make_the_type_unknown_not_the_templates() -> None:
    """Overrides unknown in preview may name any type: the launch template's p5.48xlarge is not what runs."""
    why = "mixedInstancesPolicy.launchTemplate.overrides"
    assert one(*mixed_stack(WIRE)) == {**ASG_FACTS, **UNKNOWN_TYPE, "looks_like_accelerator": False,
                                       "unknown_inputs": {"instance_type": why}}


def test_a_mixed_instances_policy_without_a_template_specification_names_no_template() -> None:
    """Only launchTemplateSpecification names the template: a template the group merely depends on is not read."""
    sub, lt = subnet(), template(instanceType="g5.xlarge", networkInterfaces=efa(32))
    group = asg(deps={"vpcZoneIdentifiers": [sub], "mixedInstancesPolicy": [lt]}, launchTemplate=None,
                mixedInstancesPolicy={"launchTemplate": {"overrides": [{"instanceType": "p5.48xlarge"}]}})
    assert one(sub, lt, group) == {**ASG_FACTS, "fabric": FabricCheck(False, (NO_LT,), gbps=0.0),
                                   "purpose": "inference", "training_intent": ()}


def test_a_mixed_instances_policy_of_general_purpose_types_is_no_pool() -> None:
    assert read(*mixed_stack([{"instanceType": "m5.large"}, {"instanceType": "c5.large"}])) == []


def test_an_unknown_mixed_instances_policy_names_no_launch_template() -> None:
    sub = subnet()
    found = one(sub, asg(deps={"vpcZoneIdentifiers": [sub]}, launchTemplate=None, mixedInstancesPolicy=WIRE))
    assert (found["instance_type"], found["unknown_inputs"]) == (
        UNKNOWN, {"instance_type": "launchTemplate (no launch template of this stack)"})


def test_an_unreadable_auto_scaling_group_is_every_fact_unknown() -> None:
    [pool] = read(res(ASG, "nodes", "junk"))
    assert (pool.instance_type, pool.resource_type, pool.compact, pool.cloud) == (UNKNOWN, ASG, UNKNOWN, "aws")


# -- Karpenter NodePools --------------------------------------------------------------------------------------

def req(key: str, operator: str = "In", values: Any = None) -> dict[str, Any]:
    item: dict[str, Any] = {"key": key, "operator": operator}
    if values is not None:
        item["values"] = values
    return item


TYPE = "node.kubernetes.io/instance-type"
FAMILY = "karpenter.k8s.aws/instance-family"
AUTO_FAMILY = "eks.amazonaws.com/instance-family"
CATEGORY = "karpenter.k8s.aws/instance-category"
GENERATION = "karpenter.k8s.aws/instance-generation"
GPU_COUNT = "karpenter.k8s.aws/instance-gpu-count"
GPU_NAME = "karpenter.k8s.aws/instance-gpu-name"
GPU_MAKER = "karpenter.k8s.aws/instance-gpu-manufacturer"
ZONE = "topology.kubernetes.io/zone"


def node_pool(requirements: Any, limits: Any = None, labels: Any = None, name: str = "gpu",
              token: str = NODE_POOL, node_class: Any = None) -> PolicyResource:
    template_: dict[str, Any] = {"spec": {"requirements": requirements}}
    if node_class is not None:
        template_["spec"]["nodeClassRef"] = node_class
    if labels is not None:
        template_["metadata"] = {"labels": labels}
    spec: dict[str, Any] = {"template": template_}
    if limits is not None:
        spec["limits"] = limits
    return res(token, name, {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "spec": spec})


NP_FACTS: dict[str, Any] = {
    **NG_FACTS, "urn": f"urn:pulumi:s::p::{NODE_POOL}::gpu", "resource_type": NODE_POOL, "min_nodes": 0,
    "max_nodes": 8, "zones": UNKNOWN, "region": None, "fabric": KARPENTER_EFA, "compact": None,
    "compact_missing": "", "unknown_inputs": {"zones": KARPENTER_ZONES},
}
"""A NodePool of p5.48xlarge limited to 64 GPUs (8 nodes), no zone requirement."""

P5 = [req(TYPE, values=["p5.48xlarge"])]


def test_a_karpenter_node_pool_of_p5_limited_by_gpus() -> None:
    assert one(node_pool(P5, {"nvidia.com/gpu": 64})) == NP_FACTS


@pytest.mark.parametrize("limits, nodes", [
    ({"nvidia.com/gpu": 64}, 8),     # 64 / 8 GPUs: exactly 8 nodes
    ({"nvidia.com/gpu": 63}, 8),     # the 8th node is launched under the limit
    ({"nvidia.com/gpu": 65}, 9),
    ({"nvidia.com/gpu": "64"}, 8),
    ({"cpu": 576}, 3),               # 576 / 192 vCPUs
    ({"cpu": 577}, 4),
    ({"cpu": "1000"}, 6),            # 5.2 nodes: the 6th is launched
    ({"memory": "4096Gi"}, 2),       # 2,048 GiB a node
    ({"memory": "4097Gi"}, 3),
    ({"memory": "4Ti"}, 2),
    ({"memory": "4194304Mi"}, 2),
    ({"memory": "4194305Mi"}, 3),
    ({"memory": "4294967296Ki"}, 2),
    ({"memory": "4294967297Ki"}, 3),
    ({"memory": "0.004Pi"}, 3),      # 4,194.3 GiB
    ({"memory": "0.00390625Pi"}, 2),  # 4,096 GiB
    ({"memory": "4398G"}, 2),        # 4,398e9 B = 4,095.98 GiB
    ({"memory": "4400G"}, 3),        # 4,097.8 GiB
    ({"memory": "4.4T"}, 3),
    ({"memory": "4398000000k"}, 2),
    ({"memory": "4400000000k"}, 3),
    ({"memory": "4398000M"}, 2),
    ({"memory": "4400000M"}, 3),
    ({"memory": "0.004398P"}, 2),
    ({"memory": "0.0044P"}, 3),
    ({"memory": 4398046511104}, 2),  # bytes: exactly 4,096 GiB
    ({"memory": "4398046511105"}, 3),
    ({"nvidia.com/gpu": 1000, "cpu": 576, "memory": "1000Ti"}, 3),  # the first limit reached decides
    ({"nvidia.com/gpu": 16, "cpu": 5760, "memory": "1000Ti"}, 2),
    ({"nvidia.com/gpu": 1000, "cpu": 5760, "memory": "2048Gi"}, 1),
    ({"aws.amazon.com/neuron": 16, "cpu": 5760}, 30),  # no Neuron device on p5: the CPU limit decides
    ({"aws.amazon.com/neuroncore": 16, "memory": "8Ti"}, 4),
])
def test_the_most_nodes_under_the_limits(limits: dict[str, Any], nodes: int) -> None:
    found = one(node_pool(P5, limits))
    assert (found["max_nodes"], found["unknown_inputs"]) == (nodes, {"zones": KARPENTER_ZONES})


@pytest.mark.parametrize("limits, why", [
    (None, "spec.limits (not set: Karpenter launches nodes without bound)"),
    ("junk", "spec.limits (not set: Karpenter launches nodes without bound)"),
    ({}, "spec.limits (no nvidia.com/gpu, cpu or memory limit)"),
    ({"pods": 100, "memory": "1000m", "cpu": "x"}, "spec.limits (no nvidia.com/gpu, cpu or memory limit)"),
    ({"memory": True}, "spec.limits (no nvidia.com/gpu, cpu or memory limit)"),
    # a Neuron limit does not bound nodes without Neuron devices (Karpenter counts what a node offers)
    ({"aws.amazon.com/neuron": 16, "aws.amazon.com/neuroncore": 32}, "spec.limits (no nvidia.com/gpu, cpu or memory "
                                                                     "limit)"),
    ({"nvidia.com/gpu": WIRE}, "spec.limits.nvidia.com/gpu"),
    ({"memory": WIRE, "cpu": WIRE}, "spec.limits.cpu"),
    ({"memory": WIRE, "aws.amazon.com/neuroncore": WIRE}, "spec.limits.aws.amazon.com/neuroncore"),
    ({"memory": WIRE, "nvidia.com/gpu": 8}, "spec.limits.memory"),
    ({"aws.amazon.com/neuron": WIRE, "nvidia.com/gpu": 8}, "spec.limits.aws.amazon.com/neuron"),
])
def test_limits_that_give_no_node_count(limits: Any, why: str) -> None:
    found = one(node_pool(P5, limits))
    assert found == {**NP_FACTS, "max_nodes": UNKNOWN, "purpose": "inference",
                     "unknown_inputs": {"max_nodes": why, "zones": KARPENTER_ZONES}}


def test_neuron_limits_count_trainium_devices() -> None:
    """trn1.32xlarge: 16 Trainium devices, 128 vCPUs, 512 GiB."""
    trn = [req(TYPE, values=["trn1.32xlarge"])]
    assert one(node_pool(trn, {"aws.amazon.com/neuron": 32}))["max_nodes"] == 2
    assert one(node_pool(trn, {"aws.amazon.com/neuron": 33}))["max_nodes"] == 3
    assert one(node_pool(trn, {"aws.amazon.com/neuroncore": 48}))["max_nodes"] == 3
    assert one(node_pool(trn, {"memory": "1024Gi", "aws.amazon.com/neuron": 160}))["max_nodes"] == 2
    assert one(node_pool(trn, {"nvidia.com/gpu": 16, "cpu": 1280}))["max_nodes"] == 10  # no GPU on trn1: the CPUs
    gpu_only = one(node_pool(trn, {"nvidia.com/gpu": 16}))
    assert (gpu_only["max_nodes"], gpu_only["unknown_inputs"]["max_nodes"]) == (
        UNKNOWN, "spec.limits (no aws.amazon.com/neuron, aws.amazon.com/neuroncore, cpu or memory limit)")


ZONES_NOT_IN = "spec.template.spec.requirements[topology.kubernetes.io/zone] (not a plain 'In' list)"


@pytest.mark.parametrize("requirements, changes", [
    ([*P5, req(ZONE, values=["us-west-2b", "us-west-2a"])],
     {"zones": ("us-west-2b", "us-west-2a"), "region": "us-west-2", "unknown_inputs": {}}),
    ([*P5, req(ZONE, "NotIn", ["us-west-2b"])], {"unknown_inputs": {"zones": ZONES_NOT_IN}}),
    ([*P5, req(ZONE, values=[WIRE])], {"unknown_inputs": {"zones": ZONES_NOT_IN}}),
    ([*P5, req(ZONE, values=WIRE)], {"unknown_inputs": {"zones": ZONES_NOT_IN}}),
    ([req(TYPE, values=["p5.48xlarge", "p5.48xlarge"])], {}),
    ([req("kubernetes.io/arch", values=["amd64"]), *P5], {}),
    ([req(FAMILY, values=["p5"])], {}),  # the catalog's p5 types: p5.48xlarge (p5e and p5en are other families)
    ([req(AUTO_FAMILY, values=["p5"])], {}),
    ([req(FAMILY, values=["m5"]), *P5], {}),  # the instance-type requirement is read first
])
def test_a_karpenter_node_pool_fact_by_fact(requirements: list[Any], changes: dict[str, Any]) -> None:
    assert one(node_pool(requirements, {"nvidia.com/gpu": 64})) == {**NP_FACTS, **changes}


def test_labels_and_the_purpose_of_a_node_pool() -> None:
    found = one(node_pool(P5, {"nvidia.com/gpu": 64}, labels={PURPOSE: "training"}))
    assert found == {**NP_FACTS, "labels": {PURPOSE: "training"}, "purpose": "training", "purpose_declared": True}
    beta = one(node_pool(P5, {"nvidia.com/gpu": 64}, token=NODE_POOL_BETA))
    assert beta == {**NP_FACTS, "urn": f"urn:pulumi:s::p::{NODE_POOL_BETA}::gpu", "resource_type": NODE_POOL_BETA}


UNKNOWN_NP = {"instance_type": UNKNOWN, "instance": None, "max_nodes": UNKNOWN, "purpose": "training"}
NO_SIZE = "spec.limits (the catalog does not know the node size)"


@pytest.mark.parametrize("requirements, why", [
    ([req(TYPE, "NotIn", ["g5.xlarge"])],
     "spec.template.spec.requirements[node.kubernetes.io/instance-type] (not a plain 'In' list)"),
    ([req(TYPE, values=["p5.48xlarge", WIRE])],
     "spec.template.spec.requirements[node.kubernetes.io/instance-type] (not a plain 'In' list)"),
    ([req(TYPE, values=WIRE)],
     "spec.template.spec.requirements[node.kubernetes.io/instance-type] (not a plain 'In' list)"),
    ([req(FAMILY, "NotIn", ["m5"])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-family] (not a plain 'In' list)"),
    ([req(AUTO_FAMILY, "Exists")],
     "spec.template.spec.requirements[eks.amazonaws.com/instance-family] (not a plain 'In' list)"),
    ([req(FAMILY, values=["p7"])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-family] (the catalog knows no type of p7)"),
    ([req(FAMILY, values=["m5", "p7", "x9"])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-family] (the catalog knows no type of m5, p7, x9)"),
    ([req(GPU_COUNT, "Gt", ["x"])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-count] (an operator or value the pack cannot "
     "read)"),
    ([req(GPU_COUNT, "Lt", [])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-count] (an operator or value the pack cannot "
     "read)"),
    ([req(CATEGORY, values=["p"]), req(GPU_NAME, "Foo", ["h100"])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-category, karpenter.k8s.aws/instance-gpu-name] (an "
     "operator or value the pack cannot read)"),
    ([req(GPU_NAME, values=[WIRE])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-name] (an operator or value the pack cannot "
     "read)"),
    ([req(GPU_NAME, values=WIRE)],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-name] (an operator or value the pack cannot "
     "read)"),
    ([req(GPU_COUNT, "In", [True])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-count] (an operator or value the pack cannot "
     "read)"),
    ([req(GPU_COUNT, "In", [{"n": 8}])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-count] (an operator or value the pack cannot "
     "read)"),
    ([*P5, req(GPU_NAME, "Foo", ["h100"])],  # the selectors cannot be read: nor which of the types they admit
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-name] (an operator or value the pack cannot "
     "read)"),
    ([req(GPU_COUNT, "Gt", ["4"]), req(GPU_COUNT, "Lt", [8])],  # no catalog type has 5 to 7 GPUs
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-count, karpenter.k8s.aws/instance-gpu-count] "
     "(the catalog knows no type these requirements admit)"),
    ([req(TYPE, values=["g5.xlarge"]), req(GPU_NAME, values=["h100"])],
     "spec.template.spec.requirements[karpenter.k8s.aws/instance-gpu-name] (the catalog knows no type these "
     "requirements admit)"),
])
def test_instance_types_a_node_pool_does_not_say(requirements: list[Any], why: str) -> None:
    found = one(node_pool(requirements, {"nvidia.com/gpu": 64}))
    assert found == {**NP_FACTS, **UNKNOWN_NP,
                     "unknown_inputs": {"instance_type": why, "max_nodes": NO_SIZE, "zones": KARPENTER_ZONES}}


def test_a_node_pool_of_a_type_the_catalog_does_not_know() -> None:
    found = one(node_pool([req(TYPE, values=["p7.48xlarge"])], {"nvidia.com/gpu": 64}))
    assert found == {**NP_FACTS, "instance_type": "p7.48xlarge", "instance": None, "max_nodes": UNKNOWN,
                     "purpose": "inference", "unknown_inputs": {"max_nodes": NO_SIZE, "zones": KARPENTER_ZONES}}


def names(found: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(c[0], c[3]) for c in found["candidates"]]


@pytest.mark.parametrize("requirements, limits, first, candidates", [
    # generation 5 of category p: p5, p5e, p5en (each 8 GPUs: 4 nodes under 32); p5e unpriced sorts first
    ([req(CATEGORY, values=["p"]), req(GENERATION, values=["5"])], {"nvidia.com/gpu": 32}, ("p5e.48xlarge", 4),
     [("p5e.48xlarge", 4), ("p5en.48xlarge", 4), ("p5.48xlarge", 4)]),
    ([req(GPU_NAME, values=["h100"])], {"nvidia.com/gpu": 32}, ("p5.48xlarge", 4), []),
    ([req(GPU_NAME, values=["h200"])], {"nvidia.com/gpu": 32}, ("p5e.48xlarge", 4),
     [("p5e.48xlarge", 4), ("p5en.48xlarge", 4)]),
    ([req(GPU_NAME, values=["b200"])], {"nvidia.com/gpu": 32}, ("p6-b200.48xlarge", 4), []),
    ([req(GPU_NAME, values=["gb200"])], {"nvidia.com/gpu": 32}, ("p6e-gb200.36xlarge", 8), []),
    ([req(GPU_COUNT, "Lt", ["2"]), req(GPU_MAKER, values=["nvidia"]), req(GENERATION, "Gt", ["5"])],
     {"nvidia.com/gpu": 4}, ("g7e.2xlarge", 4), [("g7e.2xlarge", 4), ("g6.xlarge", 4)]),
    ([req(GPU_COUNT, values=[4])], {"nvidia.com/gpu": 8}, ("p6e-gb200.36xlarge", 2), []),
    ([req(GPU_COUNT, values=["1"]), req(CATEGORY, values=["g"]), req(GENERATION, values=["5"])], {"cpu": 8},
     ("g5.xlarge", 2), []),
    ([req(CATEGORY, values=["trn"])], {"aws.amazon.com/neuron": 32}, ("trn2.48xlarge", 2),
     [("trn2.48xlarge", 2), ("trn1.32xlarge", 2)]),  # trn2 is sold as Capacity Blocks only: unpriced, first
    # NotIn the manufacturer: the GPU labels are absent on Trainium, so it admits them
    ([req(CATEGORY, values=["trn", "m"]), req(GPU_MAKER, "NotIn", ["nvidia"])], {"aws.amazon.com/neuron": 16},
     ("trn2.48xlarge", 1), [("trn2.48xlarge", 1), ("trn1.32xlarge", 1)]),
    ([req(GPU_COUNT, "DoesNotExist")], {"aws.amazon.com/neuron": 16}, ("trn2.48xlarge", 1),
     [("trn2.48xlarge", 1), ("trn1.32xlarge", 1)]),
    ([req(GPU_NAME, "DoesNotExist")], {"aws.amazon.com/neuron": 16}, ("trn2.48xlarge", 1),
     [("trn2.48xlarge", 1), ("trn1.32xlarge", 1)]),  # Trainium has no GPU name label
    ([req(GPU_MAKER, "DoesNotExist")], {"aws.amazon.com/neuron": 16}, ("trn2.48xlarge", 1),
     [("trn2.48xlarge", 1), ("trn1.32xlarge", 1)]),
    # Exists admits only the types with the label: gen 1 is trn1 (no GPU), gen 4 p4d and p4de
    ([req(GPU_NAME, "Exists"), req(GENERATION, values=["1", "4"])], {"nvidia.com/gpu": 32},
     ("p4de.24xlarge", 4), [("p4de.24xlarge", 4), ("p4d.24xlarge", 4)]),
    # an accelerator category asks for accelerator nodes, even under a CPU limit only (768 / 192 vCPUs = 4)
    ([req(CATEGORY, values=["p"]), req(GENERATION, values=["5"])], {"cpu": 768}, ("p5e.48xlarge", 4),
     [("p5e.48xlarge", 4), ("p5en.48xlarge", 4), ("p5.48xlarge", 4)]),
    # 16 vCPUs: 4 nodes of g5.xlarge or g6.xlarge (4 vCPUs, 1 GPU), 2 of g7e.2xlarge (8 vCPUs): the most GPUs first
    ([req(CATEGORY, values=["m", "g"]), req(GPU_COUNT, values=["1"])], {"cpu": 16}, ("g5.xlarge", 4),
     [("g5.xlarge", 4), ("g6.xlarge", 4), ("g7e.2xlarge", 2)]),
    ([req(GPU_COUNT, "DoesNotExist")], {"cpu": 1000}, None, None),  # a CPU pool: no GPU asked, no GPU limit
    ([req(GENERATION, values=["5"])], {"cpu": 1000}, None, None),  # a generation only: general-purpose nodes
    ([req(CATEGORY, values=["c", "m"])], {"nvidia.com/gpu": 8}, None, None),  # no accelerator category in the catalog
    ([req(CATEGORY, values=["m", 5])], {"nvidia.com/gpu": 8}, None, None),
    ([req(GPU_COUNT, "Exists"), req(GENERATION, values=["4"])], {"nvidia.com/gpu": 32},
     ("p4de.24xlarge", 4), [("p4de.24xlarge", 4), ("p4d.24xlarge", 4)]),
    ([req(GENERATION, values=["4"])], {"nvidia.com/gpu": 32},  # a generation with a GPU limit: GPU nodes
     ("p4de.24xlarge", 4), [("p4de.24xlarge", 4), ("p4d.24xlarge", 4)]),
    # a NeuronCore limit does not bound GPU nodes: their count is unknown, the types then go by name
    ([req(GENERATION, values=["4"])], {"aws.amazon.com/neuroncore": 32}, ("p4d.24xlarge", UNKNOWN),
     [("p4d.24xlarge", UNKNOWN), ("p4de.24xlarge", UNKNOWN)]),
    # instance types narrowed by the selectors (a type the catalog does not know stays)
    ([req(TYPE, values=["p5.48xlarge", "g5.xlarge"]), req(GPU_NAME, values=["h100"])], {"nvidia.com/gpu": 32},
     ("p5.48xlarge", 4), []),
    ([req(TYPE, values=["p4d.24xlarge", "x9.huge"]), req(GPU_MAKER, values=["nvidia"])], {"nvidia.com/gpu": 32},
     ("x9.huge", UNKNOWN), [("x9.huge", UNKNOWN), ("p4d.24xlarge", 4)]),
    ([req(FAMILY, values=["g5"]), req(GPU_COUNT, "Gt", ["1"])], {"nvidia.com/gpu": 16}, ("g5.48xlarge", 2), []),
])
def test_the_types_a_node_pools_selectors_admit(requirements: list[Any], limits: dict[str, Any], first: Any,
                                                candidates: Any) -> None:
    found = read(node_pool(requirements, limits))
    if first is None:
        assert found == []
        return
    [pool] = found
    got = facts(pool)
    assert ((got["instance_type"], got["max_nodes"]), names(got)) == (first, candidates)
    assert got["instance"] == (first[0] if first[0] != "x9.huge" else None)


def test_the_least_favourable_type_under_a_gpu_limit() -> None:
    """p5.48xlarge and g5.xlarge under 16 GPUs: 2 nodes of 8 or 16 of 1, 16 GPUs either way; the dearer p5 first."""
    found = one(node_pool([req(TYPE, values=["g5.xlarge", "p5.48xlarge"])], {"nvidia.com/gpu": 16}))
    assert (found["instance_type"], found["max_nodes"], names(found)) == (
        "p5.48xlarge", 2, [("p5.48xlarge", 2), ("g5.xlarge", 16)])
    assert [c[2] for c in found["candidates"]] == [KARPENTER_EFA, KARPENTER_EFA]
    # under 12 vCPUs as well: 3 nodes of g5.xlarge (3 GPUs), still 2 of p5 (16 GPUs): p5 first
    found = one(node_pool([req(TYPE, values=["g5.xlarge", "p5.48xlarge"])], {"nvidia.com/gpu": 16, "cpu": 12}))
    assert (found["max_nodes"], names(found)) == (1, [("p5.48xlarge", 1), ("g5.xlarge", 3)])


@pytest.mark.parametrize("pool", [
    node_pool(None, {"nvidia.com/gpu": 8}),
    node_pool(WIRE, {"nvidia.com/gpu": 8}),
    node_pool([req(TYPE, values=["m5.large"])], {"cpu": 100}),  # not an accelerator type
    node_pool([req(TYPE, values=[])], {"cpu": 100}),
    node_pool([req(TYPE)], {"cpu": 100}),
    node_pool([req(FAMILY, values=["m5", "c5"])], {"cpu": 100}),
    node_pool([req("kubernetes.io/arch", values=["amd64"])], {"cpu": 100}),
    node_pool(P5, {"nvidia.com/gpu": 8}, node_class={"group": "karpenter.azure.com", "kind": "AKSNodeClass",
                                                     "name": "default"}),  # Karpenter on AKS: azure_vms reads it
    res(NODE_POOL, "gpu", {"spec": WIRE}),
])
def test_node_pools_that_are_no_accelerator_pool_of_aws(pool: PolicyResource) -> None:
    assert read(pool) == []


def test_an_unreadable_node_pool_is_every_fact_unknown() -> None:
    [pool] = read(res(NODE_POOL, "gpu", "junk"))
    assert (pool.instance_type, pool.max_nodes, pool.resource_type, pool.cloud) == (UNKNOWN, UNKNOWN, NODE_POOL, "aws")


def test_a_node_pool_of_the_ec2_node_class_is_read() -> None:
    found = one(node_pool(P5, {"nvidia.com/gpu": 64}, node_class={"group": "karpenter.k8s.aws",
                                                                   "kind": "EC2NodeClass", "name": "gpu"}))
    assert found == NP_FACTS


# -- FSx for Lustre -------------------------------------------------------------------------------------------

OFFERING = CATALOG.storage_offering("aws", "lustre")


def lustre(deps: dict[str, list[PolicyResource]] | None = None, **props: Any) -> PolicyResource:
    base: dict[str, Any] = {"storageCapacity": 2400, "deploymentType": "PERSISTENT_2", "storageType": "SSD",
                            "perUnitStorageThroughput": 125, "subnetIds": WIRE}
    base.update(props)
    return res(FSX, "fsx", {k: v for k, v in base.items() if v is not None}, deps)


def fs_facts(fs: FileSystem) -> dict[str, Any]:
    return {"urn": fs.urn, "name": fs.name, "cloud": fs.cloud, "resource_type": fs.resource_type, "kind": fs.kind,
            "capacity_tib": fs.capacity_tib, "throughput_mbps": fs.throughput_mbps, "zones": fs.zones,
            "region": fs.region, "monthly_usd": fs.monthly_usd, "per_tib": fs.throughput_mbps_per_tib,
            "key": fs.customer_managed_key, "unknown_inputs": fs.unknown_inputs, "offering": fs.offering,
            "invalid": fs.invalid}


FS_FACTS: dict[str, Any] = {
    "urn": f"urn:pulumi:s::p::{FSX}::fsx", "name": "fsx", "cloud": "aws", "resource_type": FSX, "kind": "lustre",
    "capacity_tib": 2.4, "throughput_mbps": 300.0, "zones": ("us-east-1a",), "region": "us-east-1",
    "monthly_usd": 348.0, "per_tib": 125.0, "key": False, "unknown_inputs": {}, "offering": OFFERING, "invalid": "",
}
"""2,400 GiB = 2.4 TiB of PERSISTENT_2 at 125 MB/s/TiB = 300 MB/s; 2.4 × 145 USD = 348 USD a month."""


def fs_one(**props: Any) -> dict[str, Any]:
    sub = subnet()
    [fs] = read(sub, lustre({"subnetIds": [sub]}, **props))
    return fs_facts(fs)


def invalid(why: str) -> dict[str, Any]:
    return {"throughput_mbps": UNKNOWN, "per_tib": UNKNOWN, "monthly_usd": None, "invalid": why,
            "unknown_inputs": {"throughput_mbps": f"perUnitStorageThroughput (invalid: {why})"}}


@pytest.mark.parametrize("props, changes", [
    ({}, {}),
    ({"perUnitStorageThroughput": "125"}, {}),
    ({"perUnitStorageThroughput": 250}, {"per_tib": 250.0, "throughput_mbps": 600.0, "monthly_usd": None}),
    # 500 and 1000 MB/s/TiB: 340 and 600 USD per TiB-month (the catalog's blast-fsx-persistent2 figures)
    ({"perUnitStorageThroughput": 500}, {"per_tib": 500.0, "throughput_mbps": 1200.0, "monthly_usd": 816.0}),
    ({"perUnitStorageThroughput": 1000}, {"per_tib": 1000.0, "throughput_mbps": 2400.0, "monthly_usd": 1440.0}),
    ({"storageCapacity": 1200}, {"capacity_tib": 1.2, "throughput_mbps": 150.0, "monthly_usd": 174.0}),
    ({"storageType": None}, {}),  # SSD, the API's default
    ({"deploymentType": None, "perUnitStorageThroughput": None},  # SCRATCH_1, the API's default: 200 MB/s/TiB
     {"per_tib": 200.0, "throughput_mbps": 480.0, "monthly_usd": None}),
    ({"deploymentType": "SCRATCH_2", "perUnitStorageThroughput": None},
     {"per_tib": 200.0, "throughput_mbps": 480.0, "monthly_usd": None}),
    ({"deploymentType": "PERSISTENT_1", "perUnitStorageThroughput": 50},
     {"per_tib": 50.0, "throughput_mbps": 120.0, "monthly_usd": None}),
    ({"deploymentType": "PERSISTENT_1", "perUnitStorageThroughput": 200},
     {"per_tib": 200.0, "throughput_mbps": 480.0, "monthly_usd": None}),
    ({"deploymentType": "PERSISTENT_1", "storageType": "HDD", "perUnitStorageThroughput": 12, "storageCapacity": 6000},
     {"per_tib": 12.0, "capacity_tib": 6.0, "throughput_mbps": 72.0, "monthly_usd": None}),
    ({"deploymentType": "PERSISTENT_1", "storageType": "HDD", "perUnitStorageThroughput": 40},
     {"per_tib": 40.0, "throughput_mbps": 96.0, "monthly_usd": None}),
    ({"kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd"}, {"key": True}),
    ({"kmsKeyId": WIRE}, {"key": True}),
    # unknown in preview
    ({"storageCapacity": WIRE}, {"capacity_tib": UNKNOWN, "throughput_mbps": UNKNOWN, "monthly_usd": None,
                                 "unknown_inputs": {"capacity_tib": "storageCapacity"}}),
    ({"storageCapacity": None}, {"capacity_tib": UNKNOWN, "throughput_mbps": UNKNOWN, "monthly_usd": None,
                                 "unknown_inputs": {"capacity_tib": "storageCapacity"}}),
    ({"deploymentType": WIRE, "perUnitStorageThroughput": WIRE},
     {"per_tib": UNKNOWN, "throughput_mbps": UNKNOWN, "monthly_usd": None,
      "unknown_inputs": {"throughput_mbps": "deploymentType"}}),
    ({"storageType": WIRE}, {"per_tib": UNKNOWN, "throughput_mbps": UNKNOWN, "monthly_usd": None,
                             "unknown_inputs": {"throughput_mbps": "storageType"}}),
    ({"perUnitStorageThroughput": WIRE}, {"per_tib": UNKNOWN, "throughput_mbps": UNKNOWN, "monthly_usd": None,
                                          "unknown_inputs": {"throughput_mbps": "perUnitStorageThroughput"}}),
    ({"storageType": "HDD", "perUnitStorageThroughput": 12},
     {"per_tib": UNKNOWN, "throughput_mbps": UNKNOWN, "monthly_usd": None, "unknown_inputs": {"throughput_mbps": (
         "deploymentType PERSISTENT_2 with storageType HDD (its throughput is not per TiB of storage, or not known "
         "to the pack)")}}),
    ({"deploymentType": "PERSISTENT_1", "storageType": "INTELLIGENT_TIERING"},
     {"per_tib": UNKNOWN, "throughput_mbps": UNKNOWN, "monthly_usd": None, "unknown_inputs": {"throughput_mbps": (
         "deploymentType PERSISTENT_1 with storageType INTELLIGENT_TIERING (its throughput is not per TiB of "
         "storage, or not known to the pack)")}}),
    # what AWS would refuse
    ({"perUnitStorageThroughput": None}, invalid(
        "perUnitStorageThroughput is not set: AWS requires it for PERSISTENT_2 (SSD); valid values are 125, 250, "
        "500, 1000 MB/s/TiB")),
    ({"perUnitStorageThroughput": 200}, invalid(
        "perUnitStorageThroughput 200 is not valid for PERSISTENT_2 (SSD): AWS accepts 125, 250, 500, 1000 "
        "MB/s/TiB")),
    ({"deploymentType": "PERSISTENT_1", "storageType": "HDD", "perUnitStorageThroughput": 50}, invalid(
        "perUnitStorageThroughput 50 is not valid for PERSISTENT_1 (HDD): AWS accepts 12, 40 MB/s/TiB")),
    ({"deploymentType": "PERSISTENT_1", "perUnitStorageThroughput": 12.5}, invalid(
        "perUnitStorageThroughput 12.5 is not valid for PERSISTENT_1 (SSD): AWS accepts 50, 100, 200 MB/s/TiB")),
    ({"deploymentType": "SCRATCH_2", "perUnitStorageThroughput": 200}, invalid(
        "perUnitStorageThroughput 200 is set on a SCRATCH_2 file system: AWS accepts it only with PERSISTENT_1 and "
        "PERSISTENT_2 (a scratch file system has 200 MB/s/TiB): remove it, or pick a persistent deployment type")),
    ({"deploymentType": None, "perUnitStorageThroughput": 125}, invalid(
        "perUnitStorageThroughput 125 is set on a SCRATCH_1 file system: AWS accepts it only with PERSISTENT_1 and "
        "PERSISTENT_2 (a scratch file system has 200 MB/s/TiB): remove it, or pick a persistent deployment type")),
])
def test_an_fsx_for_lustre_file_system_fact_by_fact(props: dict[str, Any], changes: dict[str, Any]) -> None:
    assert fs_one(**props) == {**FS_FACTS, **changes}


def test_a_file_system_key_given_by_a_key_of_the_stack_only_through_its_dependency() -> None:
    key = res("aws:kms/key:Key", "key", {"description": "fsx"})
    sub = subnet()
    [fs] = read(sub, key, lustre({"subnetIds": [sub], "kmsKeyId": [key]}))
    assert fs.customer_managed_key is True
    [fs] = read(sub, key, lustre({"subnetIds": [sub], "kmsKeyId": []}))
    assert fs.customer_managed_key is False


def test_the_zones_of_a_file_system() -> None:
    [fs] = read(lustre())  # its subnet is outside the stack's graph
    assert (fs.zones, fs.region, fs.unknown_inputs) == (
        UNKNOWN, None, {"zones": "subnetIds (no subnet of this stack is linked)"})
    sub = subnet("b", "eu-west-1c")
    [fs] = read(sub, lustre({"subnetIds": [sub]}, subnetIds=[WIRE]))
    assert (fs.zones, fs.region, fs.unknown_inputs) == (("eu-west-1c",), "eu-west-1", {})


def test_build_reads_every_aws_type_through_the_registry() -> None:
    """The pack's entry point finds each AWS reader's facts (one of each kind)."""
    sub = subnet()
    inventory = build([*ng_stack(sub=sub), node_pool(P5, {"nvidia.com/gpu": 64}),
                       *asg_stack(), lustre({"subnetIds": [sub]})])
    assert sorted((p.resource_type, p.name) for p in inventory.pools) == [
        (ASG, "nodes"), (NG, "gpu"), (NODE_POOL, "gpu")]
    assert [(f.resource_type, f.throughput_mbps) for f in inventory.file_systems] == [(FSX, 300.0)]
