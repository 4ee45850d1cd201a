"""The Azure VM readers (``backbone.policies.inventory.azure_vms``) judged in this process, on resources built by hand
as CrossGuard hands them to the pack (props behind the unknown-checking proxy, an unknown value as the SDK's
sentinel): every fact each reader sets, compared whole, for scale sets, single VMs, AzureML compute and Karpenter
NodePools on AKS.

Figures (written here as literals, from the catalog's cited sources):

- Standard_ND96isr_H100_v5: 8 × H100 80 GB, 96 vCPUs, 8 × 400 Gb/s InfiniBand = 3,200 Gb/s per VM (Microsoft Learn,
  "ND-H100-v5 size series").
- Standard_NC24ads_A100_v4: 1 × A100 80 GB, 24 vCPUs, no InfiniBand ("NC_A100_v4 size series").
- Standard_NC80adis_H100_v5: 2 × H100 NVL, 80 vCPUs, no InfiniBand ("NCads_H100_v5 size series").
- Standard_ND96isr_MI300X_v5: 8 × AMD MI300X with InfiniBand ("ND-MI300X-v5 size series").
- The 8-GPU sizes of the catalog: ND96isr_H100_v5, ND96isr_H200_v5, ND96amsr_A100_v4, ND96asr_v4, ND96isr_MI300X_v5;
  the 4-GPU ones: ND128isr_NDR_GB200_v6, ND128isr_GB300_v6 (their size series pages).
- Azure Monitor autoscale: a profile's ``capacity.minimum`` / ``maximum`` are instance counts (strings in the API);
  ``enabled`` defaults to false. Spot priority is ``Spot`` (``Low`` its older name); AzureML's is ``LowPriority``.
- AKS node auto-provisioning (Karpenter): ``karpenter.azure.com/sku-family`` (``N``), ``sku-gpu-name`` (``H100``),
  ``sku-gpu-count``, ``sku-gpu-manufacturer`` (``nvidia``, ``amd``) labels; zone label values ``eastus-1``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from backbone.core.catalog import load
from backbone.policies.inventory.azure_vms import (
    AML_COMPUTE,
    AUTOSCALE_SETTINGS,
    KARPENTER_NODE_POOLS,
    SCALE_SET,
    VIRTUAL_MACHINE,
    read_aml_computes,
    read_karpenter_node_pools,
    read_scale_sets,
    read_virtual_machines,
)
from backbone.policies.inventory.facts import UNKNOWN, AcceleratorPool, Candidate, FabricCheck
from backbone.policies.inventory.graph import Graph
from tests.policies import hand_resources as hand

CATALOG = load()
H100 = "Standard_ND96isr_H100_v5"
A100_1 = "Standard_NC24ads_A100_v4"
H100_NVL = "Standard_NC80adis_H100_v5"
MI300X = "Standard_ND96isr_MI300X_v5"
WIRE = UNKNOWN_STRING_VALUE
"""An input unknown in preview, as the engine sends it."""
IB = FabricCheck(True, gbps=3200.0)
NO_FABRIC = FabricCheck(False, gbps=0.0)
IB_INTENT = (f"{H100}, an InfiniBand size",)


def resource(type_: str, name: str, props: dict[str, Any], deps: dict[str, list[PolicyResource]] | None = None
             ) -> PolicyResource:
    return hand.res(type_, name, props, deps=[d for ds in (deps or {}).values() for d in ds], prop_deps=deps,
                    stack="urn:pulumi:dev::p")


def expected(type_: str, name: str, **changes: Any) -> AcceleratorPool:
    """What a reader gives for a pool of H100 VMs in eastus (one node, no zones, on demand): the facts changed."""
    base = AcceleratorPool(
        urn=f"urn:pulumi:dev::p::{type_}::{name}", name=name, cloud="azure", resource_type=type_, instance_type=H100,
        instance=CATALOG.find(H100), min_nodes=1, max_nodes=1, purpose="training", purpose_declared=False, zones=(),
        region="eastus", capacity="on-demand", fabric=IB, public_ips=False, labels={}, looks_like_accelerator=True,
        unknown_inputs={}, training_intent=IB_INTENT)
    return replace(base, **changes)


# --- scale sets ----------------------------------------------------------------------------------------------------

def vmss(name: str = "ndv5", **inputs: Any) -> dict[str, Any]:
    props: dict[str, Any] = {"location": "eastus", "sku": {"name": H100, "capacity": 4}}
    props.update(inputs)
    return {k: v for k, v in props.items() if v is not None}


def scale_sets(props: dict[str, Any], *settings: tuple[str, dict[str, Any]], name: str = "ndv5"
               ) -> list[AcceleratorPool]:
    target = resource(SCALE_SET, name, props)
    made = [target, *(resource(kind, f"{name}-autoscale{i or ''}", {"targetResourceUri": WIRE, **inputs},
                               {"targetResourceUri": [target]}) for i, (kind, inputs) in enumerate(settings))]
    graph = Graph(made)
    return read_scale_sets(graph, CATALOG, graph.of_type(SCALE_SET))


def only(pools: list[AcceleratorPool]) -> AcceleratorPool:
    assert len(pools) == 1, pools
    return pools[0]


def ss(**changes: Any) -> AcceleratorPool:
    return expected(SCALE_SET, "ndv5", **{"min_nodes": 4, "max_nodes": 4, **changes})


def test_a_scale_set_of_an_infiniband_size_with_its_zones_in_the_region() -> None:
    pool = only(scale_sets(vmss(zones=["1", "2", 3], virtualMachineProfile={"priority": "Regular"})))
    assert pool == ss(zones=("eastus-1", "eastus-2", "eastus-3"))


def test_a_scale_set_zone_listed_twice_is_one_zone_and_no_region_leaves_the_bare_names() -> None:
    assert only(scale_sets(vmss(zones=["2", "2"]))).zones == ("eastus-2",)
    assert only(scale_sets(vmss(location=None, zones=["1", "2"]))) == ss(zones=("1", "2"), region=None)


def test_scale_set_zones_unknown_are_named() -> None:
    assert only(scale_sets(vmss(zones=WIRE))) == ss(zones=UNKNOWN, unknown_inputs={"zones": "zones"})
    assert only(scale_sets(vmss(zones=["1", WIRE]))) == ss(zones=UNKNOWN, unknown_inputs={"zones": "zones"})


@pytest.mark.parametrize(("priority", "capacity"), [
    ("Spot", "spot"), ("Low", "spot"), ("Regular", "on-demand"), ("spot", "on-demand"), (WIRE, "on-demand"),
])
def test_a_scale_set_priority(priority: str, capacity: str) -> None:
    """``Spot`` (and its older name ``Low``) as Azure spells them; anything else is regular capacity."""
    assert only(scale_sets(vmss(virtualMachineProfile={"priority": priority}))).capacity == capacity


def _nics(*ip_configs: Any) -> dict[str, Any]:
    return {"networkProfile": {"networkInterfaceConfigurations": [{"ipConfigurations": c} for c in ip_configs]}}


NICS = "virtualMachineProfile.networkProfile.networkInterfaceConfigurations"


@pytest.mark.parametrize(("profile", "public", "unknown"), [
    ({}, False, {}),
    (_nics([{"name": "ip"}]), False, {}),
    (_nics([{"name": "ip", "publicIPAddressConfiguration": {"name": "pub"}}]), True, {}),
    (_nics([{"name": "ip"}], [{"name": "ip2"}, {"publicIPAddressConfiguration": {"name": "pub"}}]), True, {}),
    (_nics(None), False, {}),
    ({"networkProfile": {"networkInterfaceConfigurations": WIRE}}, UNKNOWN, {"public_ips": NICS}),
    (_nics([{"name": "ip"}], WIRE), UNKNOWN, {"public_ips": NICS}),
])
def test_a_scale_set_public_ips_from_its_nic_configurations(profile: dict[str, Any], public: Any,
                                                            unknown: dict[str, str]) -> None:
    assert only(scale_sets(vmss(virtualMachineProfile=profile))) == ss(public_ips=public, unknown_inputs=unknown)


def test_a_scale_set_capacity_unknown_or_missing_leaves_both_bounds_unknown() -> None:
    assert only(scale_sets(vmss(sku={"name": H100, "capacity": WIRE}))) == ss(
        min_nodes=UNKNOWN, max_nodes=UNKNOWN, unknown_inputs={"min_nodes": "ndv5.sku.capacity",
                                                              "max_nodes": "ndv5.sku.capacity"})
    why = "ndv5.sku.capacity (missing or not a whole number)"
    assert only(scale_sets(vmss(sku={"name": H100}))) == ss(
        min_nodes=UNKNOWN, max_nodes=UNKNOWN, unknown_inputs={"min_nodes": why, "max_nodes": why})


def _profiles(*bounds: tuple[Any, Any]) -> list[dict[str, Any]]:
    return [{"name": f"p{i}", "capacity": {"minimum": low, "maximum": high, "default": "1"}}
            for i, (low, high) in enumerate(bounds)]


@pytest.mark.parametrize("kind", AUTOSCALE_SETTINGS)
def test_an_enabled_autoscale_setting_gives_the_widest_profile(kind: str) -> None:
    setting = {"enabled": True, "profiles": _profiles(("2", "10"), ("0", "32"), ("1", "31"))}
    assert only(scale_sets(vmss(), (kind, setting))) == ss(min_nodes=0, max_nodes=32)


@pytest.mark.parametrize(("enabled", "bounds"), [
    (True, (1, 2)), ("true", (1, 2)), (False, (4, 4)), ("false", (4, 4)), (WIRE, (1, 2)),
])
def test_only_an_enabled_autoscale_setting_sizes_the_scale_set(enabled: Any, bounds: tuple[int, int]) -> None:
    setting = {"enabled": enabled, "profiles": _profiles(("1", "2"))}
    pool = only(scale_sets(vmss(), (AUTOSCALE_SETTINGS[0], setting)))
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (*bounds, {})


def test_a_disabled_setting_beside_an_enabled_one_is_not_counted() -> None:
    pool = only(scale_sets(vmss(), (AUTOSCALE_SETTINGS[0], {"enabled": False, "profiles": _profiles(("0", "99"))}),
                           (AUTOSCALE_SETTINGS[1], {"enabled": True, "profiles": _profiles(("3", "8"))})))
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (3, 8, {})


def test_two_enabled_autoscale_settings_leave_the_size_unknown() -> None:
    pool = only(scale_sets(vmss(), (AUTOSCALE_SETTINGS[0], {"enabled": True, "profiles": _profiles(("0", "9"))}),
                           (AUTOSCALE_SETTINGS[1], {"enabled": True, "profiles": _profiles(("3", "8"))})))
    why = "2 autoscale settings target ndv5"
    assert pool == ss(min_nodes=UNKNOWN, max_nodes=UNKNOWN, unknown_inputs={"min_nodes": why, "max_nodes": why})


@pytest.mark.parametrize("profiles", [[], WIRE, None])
def test_an_autoscale_setting_without_readable_profiles(profiles: Any) -> None:
    setting = {"enabled": True, **({} if profiles is None else {"profiles": profiles})}
    why = "ndv5-autoscale.profiles"
    assert only(scale_sets(vmss(), (AUTOSCALE_SETTINGS[0], setting))) == ss(
        min_nodes=UNKNOWN, max_nodes=UNKNOWN, unknown_inputs={"min_nodes": why, "max_nodes": why})


def test_a_profile_bound_unknown_or_not_a_count_is_named_and_the_other_bound_stays() -> None:
    at = "ndv5-autoscale.profiles[1].capacity"
    pool = only(scale_sets(vmss(), (AUTOSCALE_SETTINGS[0], {"enabled": True,
                                                             "profiles": _profiles(("2", "10"), ("1", WIRE))})))
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (1, UNKNOWN, {"max_nodes": f"{at}.maximum"})
    pool = only(scale_sets(vmss(), (AUTOSCALE_SETTINGS[0], {"enabled": True,
                                                             "profiles": _profiles(("2", "10"), ("x", "12"))})))
    assert (pool.min_nodes, pool.max_nodes, pool.unknown_inputs) == (
        UNKNOWN, 12, {"min_nodes": f"{at}.minimum (missing or not a whole number)"})


def test_an_autoscale_setting_of_another_scale_set_does_not_size_this_one() -> None:
    other = resource(SCALE_SET, "other", vmss())
    target = resource(SCALE_SET, "ndv5", vmss())
    setting = resource(AUTOSCALE_SETTINGS[0], "other-autoscale",
                       {"targetResourceUri": WIRE, "enabled": True, "profiles": _profiles(("0", "64"))},
                       {"targetResourceUri": [other]})
    graph = Graph([other, target, setting])
    sizes = {p.name: (p.min_nodes, p.max_nodes) for p in read_scale_sets(graph, CATALOG, graph.of_type(SCALE_SET))}
    assert sizes == {"other": (0, 64), "ndv5": (4, 4)}


@pytest.mark.parametrize(("size", "changes"), [
    (A100_1, {"instance_type": A100_1, "instance": CATALOG.find(A100_1), "fabric": NO_FABRIC, "training_intent": (),
              "purpose": "inference"}),
    ("Standard_NC6s_v3", {"instance_type": "Standard_NC6s_v3", "instance": None, "fabric": NO_FABRIC,
                          "training_intent": (), "purpose": "inference"}),
    ("standard_nd40rs_v2", {"instance_type": "standard_nd40rs_v2", "instance": None, "fabric": NO_FABRIC,
                            "training_intent": (), "purpose": "inference"}),
])
def test_a_scale_set_of_a_size_without_infiniband_or_unknown_to_the_catalog(size: str, changes: dict[str, Any]
                                                                             ) -> None:
    """An N-series name the catalog lacks still counts (Azure's GPU sizes are the N series)."""
    assert only(scale_sets(vmss(sku={"name": size, "capacity": 4}))) == ss(**changes)


@pytest.mark.parametrize(("capacity", "purpose"), [(2, "training"), (1, "inference")])
def test_a_scale_set_whose_size_is_unknown(capacity: int, purpose: str) -> None:
    """Unknown size across more than one node: judged as training, so the training rules cannot pass it."""
    assert only(scale_sets(vmss(sku={"name": WIRE, "capacity": capacity}))) == ss(
        instance_type=UNKNOWN, instance=None, min_nodes=capacity, max_nodes=capacity, purpose=purpose,
        fabric=FabricCheck(UNKNOWN, unknown=("sku.name",), gbps=UNKNOWN), looks_like_accelerator=False,
        training_intent=(), unknown_inputs={"instance_type": "sku.name"})


@pytest.mark.parametrize("sku", [{"name": "Standard_D4s_v5", "capacity": 4}, {"capacity": 4}, {"name": 7}])
def test_a_scale_set_of_cpu_vms_or_no_size_is_no_pool(sku: dict[str, Any]) -> None:
    assert scale_sets(vmss(sku=sku)) == []


def test_a_scale_set_purpose_label_is_declared() -> None:
    tags = {"backbone.dev/purpose": "inference", "team": "ml"}
    assert only(scale_sets(vmss(tags=tags))) == ss(purpose="inference", purpose_declared=True, labels=tags)


def test_an_unreadable_scale_set_is_kept_with_every_fact_unknown() -> None:
    made = PolicyResource(SCALE_SET, 42, "urn:x", "broken", None, None, None, [], {})  # type: ignore[arg-type]
    pool = only(read_scale_sets(Graph([made]), CATALOG, Graph([made]).of_type(SCALE_SET)))
    assert (pool.cloud, pool.instance_type, pool.max_nodes) == ("azure", UNKNOWN, UNKNOWN)


# --- single VMs ------------------------------------------------------------------------------------------------------

VM_PUBLIC = {"public_ips": "networkProfile (its network interfaces are separate resources)"}


def vms(props: dict[str, Any]) -> list[AcceleratorPool]:
    graph = Graph([resource(VIRTUAL_MACHINE, "vm", props)])
    return read_virtual_machines(graph, CATALOG, graph.of_type(VIRTUAL_MACHINE))


def vm(**changes: Any) -> AcceleratorPool:
    return expected(VIRTUAL_MACHINE, "vm", **{"public_ips": UNKNOWN, "unknown_inputs": VM_PUBLIC, **changes})


def test_a_single_vm_is_a_pool_of_one_whose_public_ip_is_unknown() -> None:
    tags = {"backbone.dev/purpose": "training"}
    pool = only(vms({"location": "westus3", "hardwareProfile": {"vmSize": H100}, "zones": ["1"], "priority": "Spot",
                     "tags": tags}))
    assert pool == vm(region="westus3", zones=("westus3-1",), capacity="spot", labels=tags, purpose_declared=True)


@pytest.mark.parametrize(("priority", "capacity"), [("Low", "spot"), ("Regular", "on-demand"), (None, "on-demand")])
def test_a_single_vm_priority(priority: Any, capacity: str) -> None:
    props = {"location": "eastus", "hardwareProfile": {"vmSize": H100}, "priority": priority}
    assert only(vms(props)).capacity == capacity


def test_a_single_vm_whose_size_or_zones_are_unknown() -> None:
    pool = only(vms({"location": "eastus", "hardwareProfile": {"vmSize": WIRE}, "zones": WIRE}))
    assert pool == vm(instance_type=UNKNOWN, instance=None, purpose="inference", zones=UNKNOWN,
                      fabric=FabricCheck(UNKNOWN, unknown=("hardwareProfile.vmSize",), gbps=UNKNOWN),
                      looks_like_accelerator=False, training_intent=(),
                      unknown_inputs={**VM_PUBLIC, "zones": "zones", "instance_type": "hardwareProfile.vmSize"})


@pytest.mark.parametrize("profile", [{"vmSize": "Standard_D4s_v5"}, {}])
def test_a_cpu_vm_or_one_without_a_size_is_no_pool(profile: dict[str, Any]) -> None:
    assert vms({"location": "eastus", "hardwareProfile": profile}) == []


# --- AzureML compute -------------------------------------------------------------------------------------------------

AT = "properties.properties."


def amls(kind: Any, inner: Any, **outer: Any) -> list[AcceleratorPool]:
    graph = Graph([resource(AML_COMPUTE, "aml", {"location": "eastus", **outer,
                                                 "properties": {"computeType": kind, "properties": inner}})])
    return read_aml_computes(graph, CATALOG, graph.of_type(AML_COMPUTE))


def aml(**changes: Any) -> AcceleratorPool:
    return expected(AML_COMPUTE, "aml", **{"public_ips": True, **changes})


def test_an_aml_cluster_of_low_priority_vms() -> None:
    pool = only(amls("AmlCompute", {"vmSize": H100, "vmPriority": "LowPriority",
                                    "scaleSettings": {"minNodeCount": 2, "maxNodeCount": 16}}))
    assert pool == aml(min_nodes=2, max_nodes=16, capacity="spot")


@pytest.mark.parametrize(("priority", "capacity"), [("Dedicated", "on-demand"), ("Spot", "on-demand"),
                                                    (None, "on-demand")])
def test_an_aml_cluster_priority_other_than_low_priority_is_on_demand(priority: Any, capacity: str) -> None:
    inner = {"vmSize": H100, "vmPriority": priority, "scaleSettings": {"maxNodeCount": 4}}
    assert only(amls("AmlCompute", inner)).capacity == capacity


def test_an_aml_cluster_without_a_minimum_scales_from_zero() -> None:
    pool = only(amls("AmlCompute", {"vmSize": H100, "scaleSettings": {"maxNodeCount": 3}}))
    assert pool == aml(min_nodes=0, max_nodes=3)


def test_an_aml_cluster_whose_bounds_are_unknown_or_missing() -> None:
    pool = only(amls("AmlCompute", {"vmSize": H100, "scaleSettings": {"minNodeCount": 1, "maxNodeCount": WIRE}}))
    assert pool == aml(min_nodes=1, max_nodes=UNKNOWN,
                       unknown_inputs={"max_nodes": f"{AT}scaleSettings.maxNodeCount"})
    pool = only(amls("AmlCompute", {"vmSize": H100}))
    assert pool == aml(min_nodes=0, max_nodes=UNKNOWN, unknown_inputs={
        "max_nodes": f"{AT}scaleSettings.maxNodeCount (missing or not a whole number)"})


def test_an_aml_cluster_whose_minimum_is_unknown_is_named() -> None:
    pool = only(amls("AmlCompute", {"vmSize": H100, "scaleSettings": {"minNodeCount": WIRE, "maxNodeCount": 8}}))
    assert pool == aml(min_nodes=UNKNOWN, max_nodes=8,
                       unknown_inputs={"min_nodes": f"{AT}scaleSettings.minNodeCount"})


@pytest.mark.parametrize(("value", "public", "unknown"), [
    (False, False, {}), (True, True, {}), ("false", False, {}),
    (WIRE, UNKNOWN, {"public_ips": f"{AT}enableNodePublicIp"}),
])
def test_an_aml_cluster_node_public_ip(value: Any, public: Any, unknown: dict[str, str]) -> None:
    """``enableNodePublicIp`` defaults to true (AzureML compute REST API)."""
    pool = only(amls("AmlCompute", {"vmSize": H100, "enableNodePublicIp": value, "scaleSettings": {"maxNodeCount": 1}}))
    assert pool == aml(min_nodes=0, public_ips=public, unknown_inputs=unknown)


def test_an_aml_compute_instance_is_one_vm() -> None:
    pool = only(amls("ComputeInstance", {"vmSize": H100, "scaleSettings": {"maxNodeCount": 9}},
                     tags={"backbone.dev/purpose": "inference"}))
    assert pool == aml(purpose="inference", purpose_declared=True, labels={"backbone.dev/purpose": "inference"})


@pytest.mark.parametrize("kind", ["AKS", "Kubernetes", "Databricks"])
def test_attached_aml_compute_is_another_resources_vms(kind: str) -> None:
    assert amls(kind, {"vmSize": H100, "scaleSettings": {"maxNodeCount": 4}}) == []


def test_an_aml_compute_whose_type_is_unknown_may_be_any_size() -> None:
    pool = only(amls(WIRE, {"vmSize": H100, "scaleSettings": {"maxNodeCount": 4}}))
    assert pool == aml(instance_type=UNKNOWN, instance=None, max_nodes=4, min_nodes=0, looks_like_accelerator=False,
                       fabric=FabricCheck(UNKNOWN, unknown=(f"{AT}vmSize",), gbps=UNKNOWN), training_intent=(),
                       unknown_inputs={"instance_type": f"{AT}vmSize"})


def test_an_aml_cluster_of_cpu_vms_is_no_pool() -> None:
    assert amls("AmlCompute", {"vmSize": "Standard_D4s_v5", "scaleSettings": {"maxNodeCount": 4}}) == []


# --- Karpenter on AKS ------------------------------------------------------------------------------------------------

AKS_CLASS = {"group": "karpenter.azure.com", "kind": "AKSNodeClass", "name": "default"}
NAME = "karpenter.azure.com/sku-name"
FAMILY = "karpenter.azure.com/sku-family"
GPU_NAME = "karpenter.azure.com/sku-gpu-name"
GPU_COUNT = "karpenter.azure.com/sku-gpu-count"
MAKER = "karpenter.azure.com/sku-gpu-manufacturer"
ZONE = "topology.kubernetes.io/zone"
NO_ZONES = {"zones": f"spec.template.spec.requirements[{ZONE}] (not set: node auto-provisioning picks the zones "
                     "of the AKSNodeClass's subnet)"}
EIGHT_GPU = ("Standard_ND96amsr_A100_v4", "Standard_ND96asr_v4", H100, "Standard_ND96isr_H200_v5", MI300X)


def req(key: str, operator: str, *values: Any) -> dict[str, Any]:
    return {"key": key, "operator": operator, "values": list(values)}


def nap(*requirements: dict[str, Any], limits: Any = None, token: str = KARPENTER_NODE_POOLS[0],
        node_class: Any = AKS_CLASS, **spec: Any) -> list[AcceleratorPool]:
    template: dict[str, Any] = {"spec": {"nodeClassRef": node_class, "requirements": list(requirements)}}
    body = {"template": template, **spec}
    if limits is not None:
        body["limits"] = limits
    graph = Graph([resource(token, "nap", {"spec": body})])
    return read_karpenter_node_pools(graph, CATALOG, graph.of_type(token))


def karpenter(**changes: Any) -> AcceleratorPool:
    token = changes.pop("token", KARPENTER_NODE_POOLS[0])
    return expected(token, "nap", **{"min_nodes": 0, "max_nodes": 4, "zones": UNKNOWN, "region": None,
                                     "unknown_inputs": NO_ZONES, **changes})


@pytest.mark.parametrize("token", KARPENTER_NODE_POOLS)
@pytest.mark.parametrize("key", [NAME, "node.kubernetes.io/instance-type"])
def test_a_nap_pool_of_one_named_size(token: str, key: str) -> None:
    assert only(nap(req(key, "In", H100), limits={"nodes": 4}, token=token)) == karpenter(token=token)


def test_a_nap_pool_with_zones_spot_labels_and_replicas() -> None:
    labels = {"backbone.dev/purpose": "inference"}
    pool = only(nap(req(NAME, "In", H100), req(ZONE, "In", "eastus-1", "eastus-2"),
                    req("karpenter.sh/capacity-type", "In", "spot"), limits={"nodes": "4"}, replicas=2,
                    template={"metadata": {"labels": labels},
                              "spec": {"nodeClassRef": AKS_CLASS, "requirements": [
                                  req(NAME, "In", H100), req(ZONE, "In", "eastus-1", "eastus-2"),
                                  req("karpenter.sh/capacity-type", "In", "spot")]}}))
    assert pool == karpenter(zones=("eastus-1", "eastus-2"), region="eastus", capacity="spot", labels=labels,
                             min_nodes=2, purpose="inference", purpose_declared=True, unknown_inputs={})


@pytest.mark.parametrize(("zone", "region"), [("1", None), ("westeurope-3", "westeurope")])
def test_a_nap_pool_region_from_its_zone_label(zone: str, region: Any) -> None:
    pool = only(nap(req(NAME, "In", H100), req(ZONE, "In", zone), limits={"nodes": 4}))
    assert (pool.zones, pool.region, pool.unknown_inputs) == ((zone,), region, {})


@pytest.mark.parametrize("zone_requirement", [req(ZONE, "NotIn", "eastus-1"), {"key": ZONE, "operator": "In"},
                                              req(ZONE, WIRE, "eastus-1")])
def test_a_nap_pool_zones_not_a_plain_in_list_are_unknown(zone_requirement: dict[str, Any]) -> None:
    pool = only(nap(req(NAME, "In", H100), zone_requirement, limits={"nodes": 4}))
    assert (pool.zones, pool.region, pool.unknown_inputs) == (UNKNOWN, None, NO_ZONES)


@pytest.mark.parametrize("capacity", [req("karpenter.sh/capacity-type", "In", "spot", "on-demand"),
                                      req("karpenter.sh/capacity-type", "NotIn", "spot"),
                                      req("karpenter.sh/capacity-type", "In", "on-demand")])
def test_a_nap_pool_that_may_launch_on_demand_is_on_demand(capacity: dict[str, Any]) -> None:
    assert only(nap(req(NAME, "In", H100), capacity, limits={"nodes": 4})).capacity == "on-demand"


@pytest.mark.parametrize(("named", "why"), [
    (req(NAME, "NotIn", H100), f"spec.template.spec.requirements[{NAME}] (not a plain 'In' list)"),
    (req(NAME, WIRE, H100), f"spec.template.spec.requirements[{NAME}] (not a plain 'In' list)"),
    ({"key": NAME, "operator": "In", "values": WIRE},
     f"spec.template.spec.requirements[{NAME}] (not a plain 'In' list)"),
])
def test_a_nap_pool_whose_sizes_cannot_be_read(named: dict[str, Any], why: str) -> None:
    pool = only(nap(named, limits={"nodes": 4}))
    assert pool == karpenter(instance_type=UNKNOWN, instance=None, training_intent=(),
                             fabric=FabricCheck(UNKNOWN, unknown=(NAME,), gbps=UNKNOWN),
                             unknown_inputs={"instance_type": why, **NO_ZONES})


def test_a_nap_pool_of_several_sizes_is_judged_on_the_least_favourable() -> None:
    """Two sizes, one without InfiniBand: no training intent (a pool that admits any size does not train because
    one of them could); the 8-GPU size is judged first."""
    pool = only(nap(req(NAME, "In", A100_1, H100, A100_1), limits={"nodes": 4}))
    assert pool == karpenter(training_intent=(), purpose="inference", candidates=(
        Candidate(H100, CATALOG.find(H100), IB), Candidate(A100_1, CATALOG.find(A100_1), NO_FABRIC)))


def test_a_nap_pool_of_infiniband_sizes_only_trains() -> None:
    """Both sizes have InfiniBand: training intent. MI300X has no price in the catalog, so it is judged first."""
    pool = only(nap(req(NAME, "In", H100, MI300X), limits={"nodes": 4}))
    assert (pool.instance_type, pool.purpose, pool.training_intent) == (
        MI300X, "training", (f"{MI300X}, an InfiniBand size",))
    assert [c.instance_type for c in pool.candidates] == [MI300X, H100]


def test_a_nap_pool_of_a_size_unknown_to_the_catalog() -> None:
    pool = only(nap(req(NAME, "In", "Standard_NC6s_v3"), limits={"nodes": 4}))
    assert pool == karpenter(instance_type="Standard_NC6s_v3", instance=None, fabric=NO_FABRIC, training_intent=(),
                             purpose="inference", max_nodes=4)


@pytest.mark.parametrize("sizes", [("Standard_D4s_v5",), ()])
def test_a_nap_pool_of_cpu_sizes_is_no_pool(sizes: tuple[str, ...]) -> None:
    assert nap(req(NAME, "In", *sizes), limits={"nodes": 4}) == []


def _sizes(*requirements: dict[str, Any]) -> list[str] | None:
    found = nap(*requirements, limits={"nodes": 4})
    if not found:
        return None
    pool = only(found)
    return sorted(c.instance_type for c in pool.candidates) or [pool.instance_type]  # type: ignore[list-item]


@pytest.mark.parametrize(("requirements", "sizes"), [
    ((req(FAMILY, "In", "N"), req(GPU_NAME, "In", "H100")), sorted([H100_NVL, H100])),
    ((req(FAMILY, "In", "nd"), req(GPU_NAME, "In", "h100")), [H100]),
    ((req(FAMILY, "In", "NC"),), sorted([H100_NVL, A100_1])),
    ((req(FAMILY, "In", "", "NC"),), sorted([H100_NVL, A100_1])),
    ((req(FAMILY, "In", "D"),), None),
    ((req(GPU_NAME, "In", "MI300X"),), [MI300X]),
    ((req(MAKER, "In", "AMD"),), [MI300X]),
    ((req(MAKER, "NotIn", "nvidia"),), [MI300X]),
    ((req(GPU_COUNT, "In", "2"),), [H100_NVL]),
    ((req(GPU_COUNT, "In", 1),), [A100_1]),
    ((req(GPU_COUNT, "In", "2.0"),), [H100_NVL]),
    ((req(GPU_COUNT, "NotIn", "8.0", "4", "2"),), [A100_1]),
    ((req(GPU_COUNT, "NotIn", "8", "4", "2"),), [A100_1]),
    ((req(GPU_COUNT, "Gt", "7"),), sorted(EIGHT_GPU)),
    ((req(GPU_COUNT, "Lt", "2"),), [A100_1]),
    ((req(GPU_COUNT, "In", "4"),), ["Standard_ND128isr_GB300_v6", "Standard_ND128isr_NDR_GB200_v6"]),
    ((req(GPU_COUNT, "Exists"), req(FAMILY, "In", "NC")), sorted([H100_NVL, A100_1])),
    ((req(FAMILY, "NotIn", "ND"), req(GPU_COUNT, "Exists")), sorted([H100_NVL, A100_1])),
    ((req(FAMILY, "Exists"), req(GPU_NAME, "In", "A100"), req(GPU_COUNT, "Lt", "8")), [A100_1]),
])
def test_the_sizes_nap_may_launch_from_aks_sku_labels(requirements: tuple[dict[str, Any], ...],
                                                     sizes: list[str] | None) -> None:
    """``In`` on the family is a prefix of the size's family letters (``N`` admits ``NC`` and ``ND``); a GPU count
    is compared as a number (``2.0`` is 2)."""
    assert _sizes(*requirements) == sizes


@pytest.mark.parametrize(("count", "sizes"), [
    ("8", []), ("7", sorted(EIGHT_GPU)), ("9", []),
])
def test_a_gpu_count_bound_is_strict(count: str, sizes: list[str]) -> None:
    """``Gt 8``: no catalogued size has more than 8 GPUs; ``Gt 7``: the 8-GPU sizes."""
    found = nap(req(GPU_COUNT, "Gt", count), limits={"nodes": 4})
    if sizes:
        assert sorted(c.instance_type for c in only(found).candidates) == sizes
    else:
        assert only(found).unknown_inputs["instance_type"] == (
            f"spec.template.spec.requirements[{GPU_COUNT}] (the catalog knows no Azure GPU size that matches)")


@pytest.mark.parametrize(("count", "sizes"), [("1", []), ("2", [A100_1])])
def test_a_gpu_count_upper_bound_is_strict(count: str, sizes: list[str]) -> None:
    found = only(nap(req(GPU_COUNT, "Lt", count), limits={"nodes": 4}))
    assert [found.instance_type] == sizes if sizes else found.instance_type is UNKNOWN


@pytest.mark.parametrize(("requirements", "why"), [
    ((req(GPU_NAME, "In", "B300"),),
     f"spec.template.spec.requirements[{GPU_NAME}] (the catalog knows no Azure GPU size that matches)"),
    ((req(FAMILY, "In", "NV"),),
     f"spec.template.spec.requirements[{FAMILY}] (the catalog knows no Azure GPU size that matches)"),
    ((req(FAMILY, "In", "N"), req(GPU_NAME, WIRE, "H100")),
     f"spec.template.spec.requirements[{FAMILY}, {GPU_NAME}] (operator not read)"),
    ((req(FAMILY, "In", "N"), req(GPU_NAME, "In", "B300")),
     f"spec.template.spec.requirements[{FAMILY}, {GPU_NAME}] (the catalog knows no Azure GPU size that matches)"),
    ((req(GPU_COUNT, "Gt", "x"),), f"spec.template.spec.requirements[{GPU_COUNT}] (operator not read)"),
    ((req(MAKER, "Between", "nvidia"),), f"spec.template.spec.requirements[{MAKER}] (operator not read)"),
    (({"key": MAKER, "operator": "In", "values": WIRE},),
     f"spec.template.spec.requirements[{MAKER}] (operator not read)"),
])
def test_sku_label_requirements_the_pack_cannot_resolve(requirements: tuple[dict[str, Any], ...], why: str) -> None:
    chosen = why.split("[", 1)[1].split("]", 1)[0]
    assert only(nap(*requirements, limits={"nodes": 4})) == karpenter(
        instance_type=UNKNOWN, instance=None, training_intent=(),
        fabric=FabricCheck(UNKNOWN, unknown=(chosen,), gbps=UNKNOWN),
        unknown_inputs={"instance_type": why, **NO_ZONES})


@pytest.mark.parametrize("requirements", [
    (req("karpenter.azure.com/sku-cpu", "Gt", "8"),), (req(FAMILY, "In", "D", "E"),),
])
def test_nap_pools_that_select_no_gpu_are_not_pools(requirements: tuple[dict[str, Any], ...]) -> None:
    assert nap(*requirements, limits={"nodes": 4}) == []


@pytest.mark.parametrize(("limits", "max_nodes", "why"), [
    ({"nodes": 0}, 0, None),
    ({"nodes": "5", "nvidia.com/gpu": 8}, 5, None),
    ({"nvidia.com/gpu": 64}, 8, None),
    ({"nvidia.com/gpu": "65"}, 9, None),
    ({"nvidia.com/gpu": 8, "cpu": 960}, 1, None),
    ({"cpu": 960}, 10, None),
    ({"cpu": "961"}, 11, None),
    ({"memory": "1Ti"}, UNKNOWN, "spec.limits (no nodes, nvidia.com/gpu or cpu limit)"),
    ({"nodes": WIRE}, UNKNOWN, "spec.limits (no nodes, nvidia.com/gpu or cpu limit)"),
    (None, UNKNOWN, "spec.limits (not set: node auto-provisioning launches nodes up to your quota)"),
])
def test_nap_max_nodes_from_its_limits(limits: Any, max_nodes: Any, why: str | None) -> None:
    """H100 v5: 8 GPUs and 96 vCPUs a node, so 64 GPUs are 8 nodes, 65 need 9; 960 vCPUs 10, 961 need 11."""
    pool = only(nap(req(NAME, "In", H100), limits=limits))
    assert (pool.max_nodes, pool.unknown_inputs) == (max_nodes, {**NO_ZONES, **({"max_nodes": why} if why else {})})


def test_nap_limits_of_a_size_the_catalog_does_not_know() -> None:
    pool = only(nap(req(NAME, "In", "Standard_NC6s_v3"), limits={"nvidia.com/gpu": 8}))
    assert (pool.max_nodes, pool.unknown_inputs["max_nodes"]) == (
        UNKNOWN, "spec.limits (the catalog does not know the VM size)")
    assert only(nap(req(NAME, "In", "Standard_NC6s_v3"), limits={"nodes": 3})).max_nodes == 3


@pytest.mark.parametrize("node_class", [
    {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"},
])
def test_a_nodepool_of_another_cloud_is_not_read_here(node_class: dict[str, str]) -> None:
    assert nap(req(NAME, "In", H100), limits={"nodes": 4}, node_class=node_class) == []


def test_a_nodepool_without_requirements_is_no_pool() -> None:
    graph = Graph([resource(KARPENTER_NODE_POOLS[0], "nap", {"spec": {"template": {"spec": {
        "nodeClassRef": AKS_CLASS, "requirements": WIRE}}}})])
    assert read_karpenter_node_pools(graph, CATALOG, graph.of_type(KARPENTER_NODE_POOLS[0])) == []


RESOURCE_GROUP = "azure-native:resources:ResourceGroup"


@pytest.mark.parametrize(("token", "props", "read"), [
    (VIRTUAL_MACHINE, {"hardwareProfile": {"vmSize": H100}}, read_virtual_machines),
    (AML_COMPUTE, {"properties": {"computeType": "ComputeInstance", "properties": {"vmSize": H100}}},
     read_aml_computes),
])
def test_a_resource_without_a_location_is_in_its_resource_groups_region(token: str, props: dict[str, Any],
                                                                         read: Any) -> None:
    """Azure puts a resource without a ``location`` in its resource group's."""
    group = resource(RESOURCE_GROUP, "rg", {"location": "swedencentral"})
    graph = Graph([group, resource(token, "x", {"resourceGroupName": WIRE, **props},
                                   {"resourceGroupName": [group]})])
    assert only(read(graph, CATALOG, graph.of_type(token))).region == "swedencentral"


@pytest.mark.parametrize(("token", "read"), [(VIRTUAL_MACHINE, read_virtual_machines),
                                             (AML_COMPUTE, read_aml_computes)])
def test_an_unreadable_vm_or_aml_compute_is_an_azure_pool_with_every_fact_unknown(token: str, read: Any) -> None:
    made = PolicyResource(token, 42, "urn:x", "broken", None, None, None, [], {})  # type: ignore[arg-type]
    pool = only(read(Graph([made]), CATALOG, Graph([made]).of_type(token)))
    assert (pool.cloud, pool.instance_type, pool.max_nodes) == ("azure", UNKNOWN, UNKNOWN)
