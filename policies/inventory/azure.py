"""Azure: AKS agent pools (with their managed cluster's region) and Azure Managed Lustre."""

from __future__ import annotations

import re

from components.catalog import Catalog
from policies.inventory.common import (
    count_or_unknown,
    decide_purpose,
    is_accelerator_pool,
    labels_of,
    storage_monthly_usd,
)
from policies.inventory.facts import UNKNOWN, AcceleratorPool, FabricCheck, FileSystem, Unknown
from policies.inventory.graph import Graph, Node
from policies.inventory.values import as_bool, as_list, as_number, as_str, dig

__all__ = ["file_systems", "pools"]

AGENT_POOL = "azure-native:containerservice:AgentPool"
MANAGED_CLUSTER = "azure-native:containerservice:ManagedCluster"
AML = "azure-native:storagecache:AmlFilesystem"

# N-series VM sizes (NC, ND, NG, NV) are Azure's GPU sizes.
_ACCELERATOR_FAMILY = re.compile(r"^Standard_N[CDGV]", re.IGNORECASE)
_SKU_TIER = re.compile(r"-(\d+)$")


def _region(graph: Graph, pool: Node) -> str | None:
    cluster = graph.linked_or_ancestor(pool, "resourceName", MANAGED_CLUSTER)
    location = None if cluster is None else as_str(cluster.inputs.get("location"))
    return location if isinstance(location, str) else None


def _zones(value: object, region: str | None, unknown: dict[str, str]) -> tuple[str, ...] | Unknown:
    """Azure names zones "1", "2", "3" within the region: ``eastus-1``. No zones: one regional scale set."""
    listed = as_list(value)
    if isinstance(listed, Unknown) or any(isinstance(z, Unknown) for z in listed or []):
        unknown["zones"] = "availabilityZones"
        return UNKNOWN
    names = [str(z) for z in listed or [] if isinstance(z, str | int | float) and not isinstance(z, bool)]
    return tuple(dict.fromkeys(f"{region}-{z}" if region else z for z in names))


def pools(graph: Graph, catalog: Catalog) -> list[AcceleratorPool]:
    found: list[AcceleratorPool] = []
    for pool in graph.of_type(AGENT_POOL):
        unknown: dict[str, str] = {}
        size = as_str(pool.inputs.get("vmSize"))
        if isinstance(size, Unknown):
            unknown["instance_type"] = "vmSize"
        elif size is None:
            continue  # AKS's default size: not an accelerator pool
        instance = catalog.find(size) if isinstance(size, str) else None
        looks = isinstance(size, str) and bool(_ACCELERATOR_FAMILY.match(size))
        if not is_accelerator_pool(instance, size, looks):
            continue
        i = pool.inputs
        autoscale = as_bool(i.get("enableAutoScaling"))
        if autoscale is True:
            min_nodes = count_or_unknown(i.get("minCount"), "minCount", unknown, "min_nodes")
            max_nodes = count_or_unknown(i.get("maxCount"), "maxCount", unknown, "max_nodes")
        elif isinstance(autoscale, Unknown):
            unknown["min_nodes"] = unknown["max_nodes"] = "enableAutoScaling"
            min_nodes = max_nodes = UNKNOWN
        else:
            count = i.get("count", 1.0)  # AKS creates one node when count is not given
            min_nodes = max_nodes = count_or_unknown(count, "count", unknown, "max_nodes")
            if isinstance(min_nodes, Unknown):
                unknown["min_nodes"] = unknown["max_nodes"]
        labels = labels_of(i.get("nodeLabels"))
        purpose, declared = decide_purpose(labels, max_nodes, instance, UNKNOWN if size is None else size)
        region = _region(graph, pool)
        zones = _zones(i.get("availabilityZones"), region, unknown)
        fabric: FabricCheck
        if isinstance(size, Unknown):
            fabric = FabricCheck(UNKNOWN, unknown=("vmSize",), gbps=UNKNOWN)
        elif instance is None or not instance.has_fabric:
            fabric = FabricCheck(False, gbps=0.0)
        else:  # InfiniBand comes with the VM size; one agent pool is one scale set, one IB fabric
            fabric = FabricCheck(True, gbps=instance.fabric_gbps)
        public = as_bool(i.get("enableNodePublicIP"))
        if isinstance(public, Unknown):
            unknown["public_ips"] = "enableNodePublicIP"
        priority = as_str(i.get("scaleSetPriority"))
        found.append(AcceleratorPool(
            urn=pool.urn, name=pool.name, cloud="azure", resource_type=pool.type,
            instance_type=UNKNOWN if size is None else size, instance=instance,
            min_nodes=min_nodes, max_nodes=max_nodes, purpose=purpose, purpose_declared=declared,
            zones=zones, region=region, capacity="spot" if priority == "Spot" else "on-demand",
            fabric=fabric, public_ips=public if isinstance(public, bool | Unknown) else False,
            labels=labels, looks_like_accelerator=looks or instance is not None, unknown_inputs=unknown,
        ))
    return found


def file_systems(graph: Graph, catalog: Catalog) -> list[FileSystem]:
    offering = catalog.storage_offering("azure", "lustre")
    found: list[FileSystem] = []
    for fs in graph.of_type(AML):
        unknown: dict[str, str] = {}
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
        region = as_str(fs.inputs.get("location"))
        region = region if isinstance(region, str) else None
        zones = _zones(fs.inputs.get("zones"), region, unknown)
        found.append(FileSystem(
            urn=fs.urn, name=fs.name, cloud="azure", resource_type=fs.type, kind="lustre",
            capacity_tib=capacity, throughput_mbps=throughput, zones=zones, region=region,
            encrypted=True,  # Azure Managed Lustre encrypts data at rest
            monthly_usd=storage_monthly_usd(offering, capacity, per_tib), throughput_mbps_per_tib=per_tib,
            customer_managed_key=dig(fs.inputs, "encryptionSettings", "keyEncryptionKey") is not None,
            unknown_inputs=unknown,
        ))
    return found
