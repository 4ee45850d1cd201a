"""The Azure reader (``backbone.policies.inventory.azure``) on resources built by hand as CrossGuard hands them:
every fact of an AKS agent pool (a separate ``AgentPool`` or an entry of ``ManagedCluster.agentPoolProfiles``) and
of an Azure Managed Lustre file system, each unknown input named, no Pulumi program previewed.

Figures, written as literals:
- VM sizes (learn.microsoft.com, "Sizes for virtual machines in Azure", as ``catalog/data/azure.yaml`` cites them):
  Standard_ND96isr_H100_v5: 8 × H100, InfiniBand 3,200 Gb/s a VM; Standard_NC24ads_A100_v4: 1 × A100, no
  InfiniBand. N-series (NC, ND, NG, NV) are Azure's GPU sizes; a D-series size is a CPU size.
- AKS (learn.microsoft.com/azure/aks, AgentPool API): ``count`` defaults to 1; ``enableAutoScaling`` with
  ``minCount``/``maxCount``; ``scaleSetPriority`` ``Spot``; zones are "1", "2", "3" within the region.
- Azure Managed Lustre (learn.microsoft.com/azure/azure-managed-lustre, "Choose file system type and size"): SKU
  ``AMLFS-Durable-Premium-<MB/s per TiB>``; throughput = storageCapacityTiB × the SKU's MB/s per TiB. The catalog's
  list price of the 250 tier: 0.000287 USD per GiB-hour × 730 h × 1,024 GiB = 214.54 USD per TiB-month (cited in
  ``catalog/data/storage.yaml``), 500 tier 348.34.
"""

from __future__ import annotations

from typing import Any

import pytest

from backbone.policies.inventory import UNKNOWN, AcceleratorPool, FabricCheck, FileSystem
from backbone.policies.inventory.azure import (
    AGENT_POOL,
    AML,
    MANAGED_CLUSTER,
    RESOURCE_GROUP,
    location_of,
    read_agent_pools,
    read_lustre,
    read_managed_clusters,
    zones_of,
)
from tests.policies.hand_resources import CATALOG, U, provider, read, res

H100 = "Standard_ND96isr_H100_v5"
A100 = "Standard_NC24ads_A100_v4"
ND_H100 = CATALOG.find(H100)
NC_A100 = CATALOG.find(A100)
IB_SIZE = (f"{H100}, an InfiniBand size",)


def cluster(location: Any = "eastus", **more: Any) -> Any:
    props = {"location": location, **more} if location is not None else dict(more)
    return res(MANAGED_CLUSTER, "aks", props)


def agent_pool(props: dict[str, Any], owner: Any = None, linked: bool = True) -> AcceleratorPool | None:
    """One ``AgentPool`` of ``owner`` (a cluster in eastus by default), linked through ``resourceName``."""
    owner = cluster() if owner is None else owner
    deps = {"resourceName": [owner]} if linked else {}
    pools = read(read_agent_pools, AGENT_POOL, owner, res(AGENT_POOL, "gpu", {"resourceName": U, **props},
                                                          prop_deps=deps))
    assert len(pools) <= 1
    return pools[0] if pools else None


def h100_pool(**changes: Any) -> AcceleratorPool:
    """What an AgentPool of 2 × Standard_ND96isr_H100_v5 in eastus (count 2, no zones) is."""
    base: dict[str, Any] = dict(
        urn=f"urn:pulumi:dev::backbone::{AGENT_POOL}::gpu", name="gpu", cloud="azure", resource_type=AGENT_POOL,
        instance_type=H100, instance=ND_H100, min_nodes=2, max_nodes=2, purpose="training", purpose_declared=False,
        zones=(), region="eastus", capacity="on-demand", fabric=FabricCheck(True, gbps=3200.0), public_ips=False,
        labels={}, looks_like_accelerator=True, unknown_inputs={}, training_intent=IB_SIZE)
    base.update(changes)
    return AcceleratorPool(**base)


# -- one AgentPool: every fact ------------------------------------------------------------------------------------

def test_an_infiniband_pool_of_a_fixed_count_is_every_fact_of_it() -> None:
    assert agent_pool({"vmSize": H100, "count": 2}) == h100_pool()


@pytest.mark.parametrize(("props", "expected"), [
    pytest.param({"vmSize": H100}, dict(min_nodes=1, max_nodes=1), id="count-not-given-is-one"),
    pytest.param({"vmSize": H100, "count": 0}, dict(min_nodes=0, max_nodes=0, purpose="training"), id="count-0"),
    pytest.param({"vmSize": H100, "count": U},
                 dict(min_nodes=UNKNOWN, max_nodes=UNKNOWN, unknown_inputs={"min_nodes": "count",
                                                                            "max_nodes": "count"}),
                 id="count-unknown"),
    pytest.param({"vmSize": H100, "count": 2.5},
                 dict(min_nodes=UNKNOWN, max_nodes=UNKNOWN, unknown_inputs={
                     "min_nodes": "count (missing or not a whole number)",
                     "max_nodes": "count (missing or not a whole number)"}), id="count-not-whole"),
    pytest.param({"vmSize": H100, "enableAutoScaling": False, "count": 3, "minCount": 1, "maxCount": 9},
                 dict(min_nodes=3, max_nodes=3), id="autoscaling-off-uses-count"),
    pytest.param({"vmSize": H100, "enableAutoScaling": True, "count": 3, "minCount": 1, "maxCount": 9},
                 dict(min_nodes=1, max_nodes=9), id="autoscaling-on-uses-min-max"),
    pytest.param({"vmSize": H100, "enableAutoScaling": "true", "minCount": 0, "maxCount": 4},
                 dict(min_nodes=0, max_nodes=4), id="autoscaling-as-a-string"),
    pytest.param({"vmSize": H100, "enableAutoScaling": True, "minCount": U, "maxCount": 4},
                 dict(min_nodes=UNKNOWN, max_nodes=4, unknown_inputs={"min_nodes": "minCount"}), id="min-unknown"),
    pytest.param({"vmSize": H100, "enableAutoScaling": True, "minCount": 1},
                 dict(min_nodes=1, max_nodes=UNKNOWN,
                      unknown_inputs={"max_nodes": "maxCount (missing or not a whole number)"}), id="max-missing"),
    pytest.param({"vmSize": H100, "enableAutoScaling": U, "count": 2},
                 dict(min_nodes=UNKNOWN, max_nodes=UNKNOWN,
                      unknown_inputs={"min_nodes": "enableAutoScaling", "max_nodes": "enableAutoScaling"}),
                 id="autoscaling-unknown"),
])
def test_node_counts(props: dict[str, Any], expected: dict[str, Any]) -> None:
    assert agent_pool(props) == h100_pool(**expected)


@pytest.mark.parametrize(("props", "expected"), [
    pytest.param({"availabilityZones": ["1", "2", "2"]}, dict(zones=("eastus-1", "eastus-2")), id="zones-deduped"),
    pytest.param({"availabilityZones": [3, 1.0]}, dict(zones=("eastus-3", "eastus-1.0")), id="zones-as-numbers"),
    pytest.param({"availabilityZones": [True, "1"]}, dict(zones=("eastus-1",)), id="a-bool-is-no-zone"),
    pytest.param({"availabilityZones": "2"}, dict(zones=("eastus-2",)), id="one-zone-as-a-string"),
    pytest.param({"availabilityZones": U},
                 dict(zones=UNKNOWN, unknown_inputs={"zones": "availabilityZones"}), id="zones-unknown"),
    pytest.param({"availabilityZones": ["1", U]},
                 dict(zones=UNKNOWN, unknown_inputs={"zones": "availabilityZones"}), id="a-zone-unknown"),
    pytest.param({"enableNodePublicIP": True}, dict(public_ips=True), id="public-ips"),
    pytest.param({"enableNodePublicIP": "false"}, dict(public_ips=False), id="no-public-ips-as-a-string"),
    pytest.param({"enableNodePublicIP": 1}, dict(public_ips=False), id="public-ips-junk-is-false"),
    pytest.param({"enableNodePublicIP": U},
                 dict(public_ips=UNKNOWN, unknown_inputs={"public_ips": "enableNodePublicIP"}),
                 id="public-ips-unknown"),
    pytest.param({"scaleSetPriority": "Spot"}, dict(capacity="spot"), id="spot"),
    pytest.param({"scaleSetPriority": "Regular"}, dict(capacity="on-demand"), id="regular"),
    pytest.param({"scaleSetPriority": "spot"}, dict(capacity="on-demand"), id="spot-is-case-sensitive"),
    pytest.param({"nodeLabels": {"backbone.dev/purpose": "inference", "team": "ml"}},
                 dict(labels={"backbone.dev/purpose": "inference", "team": "ml"}, purpose="inference",
                      purpose_declared=True), id="purpose-label"),
    pytest.param({"nodeLabels": {"backbone.dev/purpose": "fun"}},
                 dict(labels={"backbone.dev/purpose": "fun"}), id="a-label-naming-no-purpose"),
    pytest.param({"gpuInstanceProfile": "MIG1g"}, dict(training_intent=(), purpose="inference"),
                 id="mig-is-no-training-sign"),
    pytest.param({"gpuInstanceProfile": "mig7g", "count": 1}, dict(training_intent=(), purpose="inference",
                                                                   min_nodes=1, max_nodes=1), id="mig-lower-case"),
    pytest.param({"gpuInstanceProfile": "MIG1g", "count": 1, "nodeLabels": {"backbone.dev/purpose": "training"}},
                 dict(training_intent=(), purpose="training", purpose_declared=True, min_nodes=1, max_nodes=1,
                      labels={"backbone.dev/purpose": "training"}), id="mig-labelled-training"),
    pytest.param({"gpuInstanceProfile": U, "count": 1}, dict(min_nodes=1, max_nodes=1), id="profile-unknown"),
    pytest.param({"gpuInstanceProfile": "Full", "count": 1}, dict(min_nodes=1, max_nodes=1), id="not-mig"),
])
def test_zones_public_ips_capacity_labels_and_intent(props: dict[str, Any], expected: dict[str, Any]) -> None:
    assert agent_pool({"vmSize": H100, "count": 2, **props}) == h100_pool(**expected)


def test_a_size_without_infiniband_has_no_fabric_and_one_node_serves() -> None:
    assert agent_pool({"vmSize": A100, "count": 1}) == h100_pool(
        instance_type=A100, instance=NC_A100, min_nodes=1, max_nodes=1, purpose="inference",
        fabric=FabricCheck(False, gbps=0.0), training_intent=())


def test_an_n_series_size_the_catalog_does_not_know_is_judged_unverified() -> None:
    """Standard_NC6s_v3 (an NC size, V100) is no row of the catalog: judged, with no fabric known to it."""
    assert agent_pool({"vmSize": "Standard_NC6s_v3", "count": 1}) == h100_pool(
        instance_type="Standard_NC6s_v3", instance=None, min_nodes=1, max_nodes=1, purpose="inference",
        fabric=FabricCheck(False, gbps=0.0), training_intent=())


def test_an_unknown_size_is_judged_as_a_training_pool_that_cannot_be_verified() -> None:
    assert agent_pool({"vmSize": U, "count": 2}) == h100_pool(
        instance_type=UNKNOWN, instance=None, training_intent=(), looks_like_accelerator=False,
        fabric=FabricCheck(UNKNOWN, unknown=("vmSize",), gbps=UNKNOWN), unknown_inputs={"instance_type": "vmSize"})


def test_an_unknown_size_of_one_node_is_not_training() -> None:
    pool = agent_pool({"vmSize": U, "count": 1})
    assert pool is not None and pool.purpose == "inference" and pool.purpose_declared is False


@pytest.mark.parametrize("props", [
    pytest.param({"count": 2}, id="aks-default-size"),
    pytest.param({"vmSize": "Standard_D4s_v3", "count": 2}, id="cpu-size"),
    pytest.param({"vmSize": 42, "count": 2}, id="junk-size"),
])
def test_pools_without_accelerators_are_not_pools(props: dict[str, Any]) -> None:
    assert agent_pool(props) is None


# -- the region: the cluster's, its resource group's, the provider's ---------------------------------------------

def test_the_region_comes_from_the_cluster_it_names_or_its_parent() -> None:
    assert agent_pool({"vmSize": H100}, cluster("westeurope")).region == "westeurope"  # type: ignore[union-attr]
    owner = cluster("westus3")
    pool = read(read_agent_pools, AGENT_POOL, owner, res(AGENT_POOL, "gpu", {"vmSize": H100}, parent=owner))
    assert [p.region for p in pool] == ["westus3"]


def test_a_pool_of_no_cluster_of_the_stack_has_no_region() -> None:
    assert agent_pool({"vmSize": H100}, linked=False).region is None  # type: ignore[union-attr]


def test_a_cluster_without_location_is_in_its_resource_groups() -> None:
    group = res(RESOURCE_GROUP, "rg", {"location": "swedencentral"})
    owner = res(MANAGED_CLUSTER, "aks", {"resourceGroupName": U}, prop_deps={"resourceGroupName": [group]})
    pools = read(read_agent_pools, AGENT_POOL, group, owner,
                 res(AGENT_POOL, "gpu", {"vmSize": H100, "resourceName": U}, prop_deps={"resourceName": [owner]}))
    assert [p.region for p in pools] == ["swedencentral"]


def test_a_resource_group_without_location_is_in_the_providers() -> None:
    azure = provider("pulumi:providers:azure-native", {"location": "japaneast"})
    group = res(RESOURCE_GROUP, "rg", {}, provider=azure)
    owner = res(MANAGED_CLUSTER, "aks", {"resourceGroupName": U, "agentPoolProfiles": [
        {"name": "gpu", "vmSize": H100}]}, prop_deps={"resourceGroupName": [group]})
    assert [p.region for p in read(read_managed_clusters, MANAGED_CLUSTER, group, owner)] == ["japaneast"]


def test_without_location_or_group_the_clusters_provider_says() -> None:
    azure = provider("pulumi:providers:azure-native", {"location": "uksouth"})
    owner = res(MANAGED_CLUSTER, "aks", {"agentPoolProfiles": [{"name": "gpu", "vmSize": H100,
                                                                 "availabilityZones": ["1"]}]}, provider=azure)
    pools = read(read_managed_clusters, MANAGED_CLUSTER, owner)
    assert [(p.region, p.zones) for p in pools] == [("uksouth", ("uksouth-1",))]


@pytest.mark.parametrize("location", [U, None])
def test_a_location_unknown_or_missing_with_no_provider_leaves_the_region_unknown(location: Any) -> None:
    owner = res(MANAGED_CLUSTER, "aks", {"location": location, "agentPoolProfiles": [
        {"name": "gpu", "vmSize": H100, "availabilityZones": ["1", 2]}]})
    pools = read(read_managed_clusters, MANAGED_CLUSTER, owner)
    assert [(p.region, p.zones) for p in pools] == [(None, ("1", "2"))]


def test_a_group_of_several_candidates_gives_the_providers_location() -> None:
    a, b = res(RESOURCE_GROUP, "a", {"location": "eastus"}), res(RESOURCE_GROUP, "b", {"location": "westus"})
    azure = provider("pulumi:providers:azure-native", {"location": "centralus"})
    owner = res(MANAGED_CLUSTER, "aks", {"resourceGroupName": U, "agentPoolProfiles": [{"vmSize": H100}]},
                prop_deps={"resourceGroupName": [a, b]}, provider=azure)
    assert [p.region for p in read(read_managed_clusters, MANAGED_CLUSTER, a, b, owner)] == ["centralus"]


def test_an_unreadable_agent_pool_is_every_fact_unknown() -> None:
    [pool] = read(read_agent_pools, AGENT_POOL, res(AGENT_POOL, "gpu", U))
    reason = "its inputs could not be read (got str)"
    assert (pool.cloud, pool.instance_type, pool.max_nodes, pool.zones, pool.public_ips) == (
        "azure", UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)
    assert pool.unknown_inputs == dict.fromkeys(("instance_type", "min_nodes", "max_nodes", "zones", "public_ips"),
                                                reason)


# -- inline profiles ----------------------------------------------------------------------------------------------

def test_inline_profiles_are_named_by_cluster_and_pool_and_their_unknowns_by_index() -> None:
    owner = cluster("eastus", agentPoolProfiles=[
        {"name": "system", "vmSize": "Standard_D4s_v3", "count": 3},
        "junk",
        {"name": "gpu", "vmSize": H100, "enableAutoScaling": True, "minCount": 0, "maxCount": U,
         "availabilityZones": ["2"], "enableNodePublicIP": U, "scaleSetPriority": "Spot"},
        {"vmSize": U},
    ])
    pools = read(read_managed_clusters, MANAGED_CLUSTER, owner)
    urn = f"urn:pulumi:dev::backbone::{MANAGED_CLUSTER}::aks"
    assert pools == [
        h100_pool(urn=urn, name="aks/gpu", resource_type=MANAGED_CLUSTER, min_nodes=0, max_nodes=UNKNOWN,
                  zones=("eastus-2",), capacity="spot", public_ips=UNKNOWN, unknown_inputs={
                      "max_nodes": "agentPoolProfiles[2].maxCount",
                      "public_ips": "agentPoolProfiles[2].enableNodePublicIP"}),
        h100_pool(urn=urn, name="aks/3", resource_type=MANAGED_CLUSTER, instance_type=UNKNOWN, instance=None,
                  min_nodes=1, max_nodes=1, purpose="inference", training_intent=(), looks_like_accelerator=False,
                  fabric=FabricCheck(UNKNOWN, unknown=("agentPoolProfiles[3].vmSize",), gbps=UNKNOWN),
                  unknown_inputs={"instance_type": "agentPoolProfiles[3].vmSize"}),
    ]


@pytest.mark.parametrize("profiles", [U, None, "x"])
def test_profiles_unknown_or_missing_give_no_inline_pool(profiles: Any) -> None:
    assert read(read_managed_clusters, MANAGED_CLUSTER, cluster(agentPoolProfiles=profiles)) == []


# -- Azure Managed Lustre -----------------------------------------------------------------------------------------

def lustre(props: dict[str, Any], *more: Any) -> FileSystem:
    [fs] = read(read_lustre, AML, res(AML, "fs", props), *more)
    return fs


OFFERING = CATALOG.storage_offering("azure", "lustre")


def amlfs(**changes: Any) -> FileSystem:
    """8 TiB of AMLFS-Durable-Premium-250 in eastus: 2,000 MB/s, 8 × 214.54 = 1,716.32 USD a month."""
    base: dict[str, Any] = dict(
        urn=f"urn:pulumi:dev::backbone::{AML}::fs", name="fs", cloud="azure", resource_type=AML, kind="lustre",
        capacity_tib=8.0, throughput_mbps=2000.0, zones=(), region="eastus", monthly_usd=pytest.approx(1716.32),
        throughput_mbps_per_tib=250.0, offering=OFFERING, customer_managed_key=False, unknown_inputs={})
    base.update(changes)
    return FileSystem(**base)


BASE = {"storageCapacityTiB": 8, "sku": {"name": "AMLFS-Durable-Premium-250"}, "location": "eastus"}


@pytest.mark.parametrize(("props", "expected"), [
    pytest.param({}, {}, id="every-fact"),
    pytest.param({"storageCapacityTiB": "16", "sku": {"name": "AMLFS-Durable-Premium-500"}},
                 dict(capacity_tib=16.0, throughput_mbps_per_tib=500.0, throughput_mbps=8000.0,
                      monthly_usd=pytest.approx(16 * 348.34)), id="500-tier"),
    pytest.param({"sku": {"name": "AMLFS-Durable-Premium-40"}},
                 dict(throughput_mbps_per_tib=40.0, throughput_mbps=320.0, monthly_usd=None), id="tier-unpriced"),
    pytest.param({"storageCapacityTiB": U},
                 dict(capacity_tib=UNKNOWN, throughput_mbps=UNKNOWN, monthly_usd=None,
                      unknown_inputs={"capacity_tib": "storageCapacityTiB"}), id="capacity-unknown"),
    pytest.param({"storageCapacityTiB": None},
                 dict(capacity_tib=UNKNOWN, throughput_mbps=UNKNOWN, monthly_usd=None,
                      unknown_inputs={"capacity_tib": "storageCapacityTiB"}), id="capacity-missing"),
    pytest.param({"sku": {"name": U}},
                 dict(throughput_mbps_per_tib=UNKNOWN, throughput_mbps=UNKNOWN, monthly_usd=None,
                      unknown_inputs={"throughput_mbps": "sku.name"}), id="sku-unknown"),
    pytest.param({"sku": U},
                 dict(throughput_mbps_per_tib=UNKNOWN, throughput_mbps=UNKNOWN, monthly_usd=None,
                      unknown_inputs={"throughput_mbps": "sku.name"}), id="sku-object-unknown"),
    pytest.param({"sku": {"name": "AMLFS-Durable-Premium"}},
                 dict(throughput_mbps_per_tib=UNKNOWN, throughput_mbps=UNKNOWN, monthly_usd=None, unknown_inputs={
                     "throughput_mbps": "sku.name (no throughput tier such as AMLFS-Durable-Premium-250)"}),
                 id="sku-without-tier"),
    pytest.param({"sku": {"name": "AMLFS-Durable-Premium-250-x"}},
                 dict(throughput_mbps_per_tib=UNKNOWN, throughput_mbps=UNKNOWN, monthly_usd=None, unknown_inputs={
                     "throughput_mbps": "sku.name (no throughput tier such as AMLFS-Durable-Premium-250)"}),
                 id="tier-only-at-the-end"),
    pytest.param({"sku": None},
                 dict(throughput_mbps_per_tib=UNKNOWN, throughput_mbps=UNKNOWN, monthly_usd=None, unknown_inputs={
                     "throughput_mbps": "sku.name (no throughput tier such as AMLFS-Durable-Premium-250)"}),
                 id="sku-missing"),
    pytest.param({"zones": ["1"]}, dict(zones=("eastus-1",)), id="zone"),
    pytest.param({"zones": U}, dict(zones=UNKNOWN, unknown_inputs={"zones": "zones"}), id="zones-unknown"),
    pytest.param({"encryptionSettings": {"keyEncryptionKey": {"keyUrl": "https://kv/keys/k"}}},
                 dict(customer_managed_key=True), id="customer-key"),
    pytest.param({"encryptionSettings": {}}, dict(customer_managed_key=False), id="no-customer-key"),
    pytest.param({"encryptionSettings": {"keyEncryptionKey": U}}, dict(customer_managed_key=True),
                 id="customer-key-unknown-is-set"),
])
def test_managed_lustre(props: dict[str, Any], expected: dict[str, Any]) -> None:
    assert lustre({**BASE, **props}) == amlfs(**expected)


def test_managed_lustre_in_its_resource_groups_region() -> None:
    group = res(RESOURCE_GROUP, "rg", {"location": "northeurope"})
    fs = res(AML, "fs", {**BASE, "location": None, "resourceGroupName": U, "zones": [2]},
             prop_deps={"resourceGroupName": [group]})
    assert [(f.region, f.zones) for f in read(read_lustre, AML, group, fs)] == [("northeurope", ("northeurope-2",))]


def test_the_location_and_zones_the_other_azure_readers_use() -> None:
    """``location_of`` and ``zones_of``: what the VM scale set and VM readers take from this module."""
    from backbone.policies.inventory.graph import Graph

    group = res(RESOURCE_GROUP, "rg", {"location": "eastus2"})
    vmss = res("azure-native:compute:VirtualMachineScaleSet", "vmss", {"resourceGroupName": U},
               prop_deps={"resourceGroupName": [group]})
    graph = Graph([group, vmss])
    assert location_of(graph, graph.node(vmss)) == "eastus2"  # type: ignore[arg-type]
    unknown: dict[str, str] = {}
    assert zones_of(["1", "3"], "eastus2", unknown, "zones") == ("eastus2-1", "eastus2-3") and unknown == {}
    assert zones_of([UNKNOWN], "eastus2", unknown, "properties.zones") is UNKNOWN  # plain data, as Node.inputs
    assert unknown == {"zones": "properties.zones"}


def test_each_agent_pool_is_read_past_an_unreadable_one() -> None:
    owner = cluster()
    pools = read(read_agent_pools, AGENT_POOL, owner, res(AGENT_POOL, "bad", U),
                 res(AGENT_POOL, "gpu", {"vmSize": H100, "resourceName": U}, prop_deps={"resourceName": [owner]}))
    assert [(p.name, p.region) for p in pools] == [("bad", None), ("gpu", "eastus")]


def test_a_provider_location_unknown_leaves_the_region_none() -> None:
    azure = provider("pulumi:providers:azure-native", {"location": U})
    owner = res(MANAGED_CLUSTER, "aks", {"agentPoolProfiles": [{"vmSize": H100}]}, provider=azure)
    assert [p.region for p in read(read_managed_clusters, MANAGED_CLUSTER, owner)] == [None]
