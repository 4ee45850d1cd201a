"""Azure: AKS agent pools (with their managed cluster's region) and Azure Managed Lustre."""

from __future__ import annotations

import re
from typing import Any

from backbone.core.catalog import Catalog
from backbone.policies.inventory.common import (
    count_or_unknown,
    decide_purpose,
    is_accelerator_pool,
    labels_of,
    provider_setting,
    storage_monthly_usd,
    unreadable_pool,
)
from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.facts import UNKNOWN, AcceleratorPool, FabricCheck, FileSystem, Unknown
from backbone.policies.inventory.families import FAMILIES
from backbone.policies.inventory.graph import Graph, Node
from backbone.policies.inventory.values import as_bool, as_list, as_number, as_str, dig

__all__ = ["ENTRIES"]

AGENT_POOL = "azure-native:containerservice:AgentPool"
MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster"
AML = "azure-native:storagecache:AmlFilesystem"
RESOURCE_GROUP = "azure-native:resources:ResourceGroup"

# N-series VM sizes (NC, ND, NG, NV) are Azure's GPU sizes.
_ACCELERATOR_FAMILY = FAMILIES["azure"]
_SKU_TIER = re.compile(r"-(\d+)$")


def _location(graph: Graph, node: Node) -> str | None:
    """A resource's ``location``, else its resource group's (where Azure puts a resource without one), else
    the provider's ``location`` (``azure-native:location``)."""
    location = as_str(node.inputs.get("location"))
    if isinstance(location, str):
        return location
    groups = graph.links(node, "resourceGroupName", RESOURCE_GROUP).candidates
    if len(groups) == 1:
        group_location = as_str(groups[0].inputs.get("location"))
        if isinstance(group_location, str):
            return group_location
        node = groups[0]  # a resource group without location is in the provider's (azure-native:location)
    configured = provider_setting(node, "location")
    return configured if isinstance(configured, str) else None


def _zones(value: object, region: str | None, unknown: dict[str, str], path: str) -> tuple[str, ...] | Unknown:
    """Azure names zones "1", "2", "3" within the region: ``eastus-1``. No zones: one regional scale set."""
    listed = as_list(value)
    if isinstance(listed, Unknown) or any(isinstance(z, Unknown) for z in listed or []):
        unknown["zones"] = path
        return UNKNOWN
    names = [str(z) for z in listed or [] if isinstance(z, str | int | float) and not isinstance(z, bool)]
    return tuple(dict.fromkeys(f"{region}-{z}" if region else z for z in names))


def location_of(graph: Graph, node: Node) -> str | None:
    """A resource's region (see ``_location``), for the other Azure readers."""
    return _location(graph, node)


def zones_of(value: object, region: str | None, unknown: dict[str, str], path: str) -> tuple[str, ...] | Unknown:
    """Azure zone names in the region (see ``_zones``), for the other Azure readers."""
    return _zones(value, region, unknown, path)


def _mig_partitioned(inputs: dict[str, Any]) -> bool:
    """A ``gpuInstanceProfile`` of ``MIG1g``…``MIG7g`` splits each GPU into MIG instances. NVIDIA's MIG user
    guide: in MIG mode GPU-to-GPU peer-to-peer (PCIe and NVLink) is not supported, so such a pool serves many
    small jobs and its InfiniBand size is no sign of multi-node training (issue 9, class 6). A label still
    declares training."""
    profile = as_str(inputs.get("gpuInstanceProfile"))
    return isinstance(profile, str) and profile.upper().startswith("MIG")


def _pool(catalog: Catalog, node: Node, i: dict[str, Any], at: str, name: str,
          region: str | None) -> AcceleratorPool | None:
    """One agent pool: an ``AgentPool`` resource's inputs, or an entry of ``agentPoolProfiles`` (``at``)."""
    unknown: dict[str, str] = {}
    size = as_str(i.get("vmSize"))
    if isinstance(size, Unknown):
        unknown["instance_type"] = f"{at}vmSize"
    elif size is None:
        return None  # AKS's default size: not an accelerator pool
    instance = catalog.find(size) if isinstance(size, str) else None
    looks = isinstance(size, str) and bool(_ACCELERATOR_FAMILY.match(size))
    if not is_accelerator_pool(instance, size, looks):
        return None
    autoscale = as_bool(i.get("enableAutoScaling"))
    if autoscale is True:
        min_nodes = count_or_unknown(i.get("minCount"), f"{at}minCount", unknown, "min_nodes")
        max_nodes = count_or_unknown(i.get("maxCount"), f"{at}maxCount", unknown, "max_nodes")
    elif isinstance(autoscale, Unknown):
        unknown["min_nodes"] = unknown["max_nodes"] = f"{at}enableAutoScaling"
        min_nodes = max_nodes = UNKNOWN
    else:
        count = i.get("count", 1.0)  # AKS creates one node when count is not given
        min_nodes = max_nodes = count_or_unknown(count, f"{at}count", unknown, "max_nodes")
        if isinstance(min_nodes, Unknown):
            unknown["min_nodes"] = unknown["max_nodes"]
    labels = labels_of(i.get("nodeLabels"))
    infiniband = instance is not None and instance.fabric == "infiniband"
    intent = (f"{size}, an InfiniBand size",) if infiniband and not _mig_partitioned(i) else ()
    instance_type: str | Unknown = size
    purpose, declared = decide_purpose(labels, max_nodes, instance_type, intent)
    zones = _zones(i.get("availabilityZones"), region, unknown, f"{at}availabilityZones")
    fabric: FabricCheck
    if isinstance(size, Unknown):
        fabric = FabricCheck(UNKNOWN, unknown=(f"{at}vmSize",), gbps=UNKNOWN)
    elif instance is None or not instance.has_fabric:
        fabric = FabricCheck(False, gbps=0.0)
    else:  # InfiniBand comes with the VM size; one agent pool is one scale set, one IB fabric
        fabric = FabricCheck(True, gbps=instance.fabric_gbps)
    public = as_bool(i.get("enableNodePublicIP"))
    if isinstance(public, Unknown):
        unknown["public_ips"] = f"{at}enableNodePublicIP"
    priority = as_str(i.get("scaleSetPriority"))
    return AcceleratorPool(
        urn=node.urn, name=name, cloud="azure", resource_type=node.type,
        instance_type=instance_type, instance=instance,
        min_nodes=min_nodes, max_nodes=max_nodes, purpose=purpose, purpose_declared=declared,
        zones=zones, region=region, capacity="spot" if priority == "Spot" else "on-demand",
        fabric=fabric, public_ips=public if isinstance(public, bool | Unknown) else False,
        labels=labels, looks_like_accelerator=looks or instance is not None, unknown_inputs=unknown,
        training_intent=intent,
    )


def read_agent_pools(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """Separate ``AgentPool`` resources, in their cluster's region."""
    found: list[AcceleratorPool] = []
    for node in nodes:
        if not node.readable:
            found.append(unreadable_pool(node, "azure"))
            continue
        cluster = graph.linked_or_ancestor(node, "resourceName", MANAGED_CLUSTER)
        region = None if cluster is None else _location(graph, cluster)
        if (pool := _pool(catalog, node, node.inputs, "", node.name, region)) is not None:
            found.append(pool)
    return found


def read_managed_clusters(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """The pools inline in ``ManagedCluster.agentPoolProfiles``."""
    found: list[AcceleratorPool] = []
    for cluster in nodes:
        profiles = as_list(cluster.inputs.get("agentPoolProfiles"))
        region = _location(graph, cluster)
        for n, profile in enumerate(profiles if isinstance(profiles, list) else []):
            if not isinstance(profile, dict):
                continue
            name = as_str(profile.get("name"))
            label = f"{cluster.name}/{name if isinstance(name, str) else n}"
            if (pool := _pool(catalog, cluster, profile, f"agentPoolProfiles[{n}].", label, region)) is not None:
                found.append(pool)
    return found


def read_lustre(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[FileSystem]:
    offering = catalog.storage_offering("azure", "lustre")
    found: list[FileSystem] = []
    for fs in nodes:
        unknown: dict[str, str] = {}
        # the API takes the service's own TiB, and its throughput is "calculated as storageCapacityTiB * per-unit
        # storage throughput" (Azure SDK, AmlFileSystemData.ThroughputProvisionedMBps, read 2026-12-07): no conversion
        capacity = as_number(fs.inputs.get("storageCapacityTiB"))
        if not isinstance(capacity, float):
            unknown["capacity_tib"] = "storageCapacityTiB"
            capacity = UNKNOWN
        sku = as_str(dig(fs.inputs, "sku", "name"))
        tier = _SKU_TIER.search(sku) if isinstance(sku, str) else None
        per_tib: float | Unknown = float(tier.group(1)) if tier else UNKNOWN
        if tier is None:
            unknown["throughput_mbps"] = "sku.name" + ("" if isinstance(sku, Unknown) else
                                                       " (no throughput tier such as AMLFS-Durable-Premium-250)")
        throughput = capacity * per_tib if isinstance(capacity, float) and isinstance(per_tib, float) else UNKNOWN
        region = _location(graph, fs)
        zones = _zones(fs.inputs.get("zones"), region, unknown, "zones")
        found.append(FileSystem(
            urn=fs.urn, name=fs.name, cloud="azure", resource_type=fs.type, kind="lustre",
            capacity_tib=capacity, throughput_mbps=throughput, zones=zones, region=region,
            monthly_usd=storage_monthly_usd(offering, capacity, per_tib), throughput_mbps_per_tib=per_tib,
            offering=offering,
            customer_managed_key=dig(fs.inputs, "encryptionSettings", "keyEncryptionKey") is not None,
            unknown_inputs=unknown,
        ))
    return found


_POOL_INPUTS = ("`vmSize`, `enableAutoScaling`, `minCount`/`maxCount` or `count` (1 when not given), "
                "`availabilityZones`, `enableNodePublicIP`, `nodeLabels`, `scaleSetPriority`, `gpuInstanceProfile`")
ENTRIES = (
    Entry(AGENT_POOL, "azure", "pool", "AKS agent pool",
          f"{_POOL_INPUTS}; its cluster through `resourceName` (or its parent)", read_agent_pools),
    Entry(MANAGED_CLUSTER, "azure", "pool", "AKS cluster: its inline pools (`agentPoolProfiles[]`, named "
          "`<cluster>/<pool>`)", f"for each profile: {_POOL_INPUTS}; `location`", read_managed_clusters),
    Entry(AML, "azure", "file system", "Azure Managed Lustre",
          "`storageCapacityTiB`, `sku.name` (its throughput tier), `zones`, `encryptionSettings.keyEncryptionKey`",
          read_lustre),
    Entry(RESOURCE_GROUP, "azure", "link", "resource group",
          "`location` (where a resource without its own `location` goes), through `resourceGroupName`",
          via=(AGENT_POOL, MANAGED_CLUSTER, AML)),
)
"""What this module reads (the reader registry gathers it: ``backbone.policies.inventory.registry``)."""
