"""GCP: GKE node pools (with their cluster and GPU NIC networks), Managed Lustre and Parallelstore."""

from __future__ import annotations

import re
from typing import Any

from components.catalog import Catalog, InstanceType
from policies.inventory.common import (
    count_or_unknown,
    decide_purpose,
    fabric_check,
    is_accelerator_pool,
    is_zone,
    labels_of,
    region_of_zone,
    region_of_zones,
    storage_monthly_usd,
)
from policies.inventory.facts import UNKNOWN, AcceleratorPool, FabricCheck, FileSystem, Unknown
from policies.inventory.graph import Graph, Node
from policies.inventory.values import as_bool, as_count, as_list, as_number, as_str, dig

__all__ = ["file_systems", "pools"]

NODE_POOL = "gcp:container/nodePool:NodePool"
CLUSTER = "gcp:container/cluster:Cluster"
NETWORK = "gcp:compute/network:Network"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
LUSTRE = "gcp:lustre/instance:Instance"
PARALLELSTORE = "gcp:parallelstore/instance:Instance"

# Accelerator machine families when the catalog does not know the type: A2/A3/A4 (GPU), G2/G4 (GPU),
# ct* (TPU); and any node with guest accelerators attached.
_ACCELERATOR_FAMILY = re.compile(r"^(a\d|g\d|ct\d|tpu)", re.IGNORECASE)


def _zones(graph: Graph, pool: Node, cluster: Node | None, unknown: dict[str, str]) -> tuple[str, ...] | Unknown:
    listed = as_list(pool.inputs.get("nodeLocations"))
    if isinstance(listed, Unknown) or any(isinstance(z, Unknown) for z in listed or []):
        unknown["zones"] = "nodeLocations"
        return UNKNOWN
    if listed:
        return tuple(dict.fromkeys(z for z in listed if isinstance(z, str)))
    for source, label in ((pool, "location"), (cluster, "cluster location")):
        if source is None:
            continue
        location = as_str(source.inputs.get("location"))
        if isinstance(location, Unknown):
            unknown["zones"] = label
            return UNKNOWN
        if isinstance(location, str) and is_zone(location):
            return (location,)
        if source is cluster:
            cluster_zones = as_list(cluster.inputs.get("nodeLocations"))
            if isinstance(cluster_zones, list) and cluster_zones and all(isinstance(z, str) for z in cluster_zones):
                return tuple(cluster_zones)
    unknown["zones"] = "nodeLocations (a regional pool without node locations: GKE picks the zones)"
    return UNKNOWN


def _region(pool: Node, cluster: Node | None, zones: tuple[str, ...] | Unknown) -> str | None:
    for source in (pool, cluster):
        location = None if source is None else as_str(source.inputs.get("location"))
        if isinstance(location, str):
            return region_of_zone(location) if is_zone(location) else location
    return region_of_zones(zones)


def _zero_if_none(value: Any) -> Any:
    return 0 if value is None else value


def _nodes(pool: Node, zones: tuple[str, ...] | Unknown,
           unknown: dict[str, str]) -> tuple[int | Unknown, int | Unknown]:
    """(min, max) nodes of the whole pool. GKE's per-zone counts are multiplied by the zones."""
    autoscaling = pool.inputs.get("autoscaling")
    if isinstance(autoscaling, dict):
        total_min, total_max = autoscaling.get("totalMinNodeCount"), autoscaling.get("totalMaxNodeCount")
        if total_max is not None:
            return (count_or_unknown(_zero_if_none(total_min), "autoscaling.totalMinNodeCount", unknown, "min_nodes"),
                    count_or_unknown(total_max, "autoscaling.totalMaxNodeCount", unknown, "max_nodes"))
        per_min = count_or_unknown(_zero_if_none(autoscaling.get("minNodeCount")), "autoscaling.minNodeCount", unknown,
                                   "min_nodes")
        per_max = count_or_unknown(autoscaling.get("maxNodeCount"), "autoscaling.maxNodeCount", unknown,
                                   "max_nodes")
    elif isinstance(autoscaling, Unknown):
        unknown["min_nodes"] = unknown["max_nodes"] = "autoscaling"
        return UNKNOWN, UNKNOWN
    else:
        key = "nodeCount" if pool.inputs.get("nodeCount") is not None else "initialNodeCount"
        per_min = per_max = count_or_unknown(pool.inputs.get(key), key, unknown, "max_nodes")
        if isinstance(per_min, Unknown):
            unknown["min_nodes"] = unknown["max_nodes"]
    if isinstance(zones, Unknown):
        unknown.setdefault("min_nodes", unknown.get("zones", "nodeLocations"))
        unknown.setdefault("max_nodes", unknown.get("zones", "nodeLocations"))
        return UNKNOWN, UNKNOWN
    per_zone = max(1, len(zones))
    return (per_min if isinstance(per_min, Unknown) else per_min * per_zone,
            per_max if isinstance(per_max, Unknown) else per_max * per_zone)


def _is_rdma_vpc(network: Node) -> bool:
    """A VPC with the RDMA (RoCE) network profile, which GPUDirect-RDMA NICs use, one subnet each."""
    profile = as_str(dig(network.inputs, "networkProfile"))
    return isinstance(profile, str) and profile.endswith("-vpc-roce")


def _gpu_networks(graph: Graph, pool: Node, fabric: str) -> tuple[int | Unknown, int | Unknown, list[str]]:
    """(GPU NICs configured, distinct paths they take, unknowns).

    GPUDirect-TCPX/TCPXO: one VPC per GPU NIC, so the paths are VPCs. GPUDirect-RDMA: the RDMA NICs share
    one VPC with the RDMA network profile, one subnet each, so the paths are the subnets of RDMA VPCs (other
    additional networks, e.g. the a3-ultra's second gVNIC, are not GPU NICs)."""
    configs = as_list(dig(pool.inputs, "networkConfig", "additionalNodeNetworkConfigs"))
    if isinstance(configs, Unknown):
        return UNKNOWN, UNKNOWN, ["networkConfig.additionalNodeNetworkConfigs"]
    configs = configs or []
    if fabric == "rdma":
        subnets = graph.linked(pool, "networkConfig", SUBNETWORK)
        if not subnets:  # the networks are not resources of this stack: their profile cannot be read
            return UNKNOWN, UNKNOWN, ["RDMA network profile of networkConfig.additionalNodeNetworkConfigs"]
        rdma = [s for s in subnets if any(_is_rdma_vpc(n) for n in graph.linked(s, "network", NETWORK))]
        return len(rdma), len(rdma), []
    linked = graph.linked(pool, "networkConfig", NETWORK)
    if linked:  # the networks are resources of this stack: count them through the graph
        return len(configs), min(len(configs), len(linked)), []
    names = [as_str(dig(c, "network")) for c in configs]
    if any(isinstance(n, Unknown) for n in names):
        return len(configs), UNKNOWN, ["networkConfig.additionalNodeNetworkConfigs[].network"]
    return len(configs), len({n for n in names if isinstance(n, str)}), []


def _fabric(graph: Graph, pool: Node, instance: InstanceType | None, instance_type: str | Unknown) -> FabricCheck:
    if isinstance(instance_type, Unknown):
        return FabricCheck(UNKNOWN, unknown=("machine type",), gbps=UNKNOWN)
    if instance is None or not instance.has_fabric:
        return FabricCheck(False, gbps=0.0)
    if instance.fabric == "ici":  # TPU chips talk over ICI inside the slice: nothing to configure
        return FabricCheck(True, gbps=instance.fabric_gbps)
    need = instance.fabric_nics or 1
    missing: list[str] = []
    unknown: list[str] = []
    nics, vpcs, unknown_nics = _gpu_networks(graph, pool, instance.fabric)
    unknown += unknown_nics
    if isinstance(nics, int) and nics < need:
        missing.append(f"GPU NICs: {nics} configured, {instance.instance_type} has {need} "
                       f"(networkConfig.additionalNodeNetworkConfigs, one per GPU NIC)")
    if isinstance(nics, int) and isinstance(vpcs, int) and 0 < vpcs < nics:
        own = "subnet of an RDMA VPC" if instance.fabric == "rdma" else "VPC"
        missing.append(f"the {nics} GPU NICs share {vpcs} {own}(s), each needs its own {own}")
    placement = as_str(dig(pool.inputs, "placementPolicy", "type"))
    if isinstance(placement, Unknown):
        unknown.append("placementPolicy.type")
    elif placement != "COMPACT":
        missing.append("no compact placement (placementPolicy.type: COMPACT)")
    return fabric_check(instance, need, UNKNOWN if isinstance(nics, Unknown) else vpcs, missing, unknown)


def _public_ips(pool: Node, cluster: Node | None, unknown: dict[str, str]) -> bool | Unknown:
    for value, path in ((dig(pool.inputs, "networkConfig", "enablePrivateNodes"), "networkConfig.enablePrivateNodes"),
                        (None if cluster is None else dig(cluster.inputs, "privateClusterConfig", "enablePrivateNodes"),
                         "cluster privateClusterConfig.enablePrivateNodes")):
        private = as_bool(value)
        if isinstance(private, Unknown):
            unknown["public_ips"] = path
            return UNKNOWN
        if private is True:
            return False
    return True


def _capacity(config: Any) -> str:
    if as_bool(dig(config, "spot")) is True or as_bool(dig(config, "preemptible")) is True:
        return "spot"
    if as_str(dig(config, "reservationAffinity", "consumeReservationType")) in ("SPECIFIC_RESERVATION",
                                                                               "ANY_RESERVATION"):
        return "reservation"
    return "on-demand"


def _attached(config: Any) -> int | None:
    total = 0
    listed = as_list(dig(config, "guestAccelerators"))
    for acc in listed if isinstance(listed, list) else []:
        count = as_count(dig(acc, "count"))
        if isinstance(count, int):
            total += count
    return total or None


def pools(graph: Graph, catalog: Catalog) -> list[AcceleratorPool]:
    found: list[AcceleratorPool] = []
    for pool in graph.of_type(NODE_POOL):
        unknown: dict[str, str] = {}
        cluster = graph.linked_or_ancestor(pool, "cluster", CLUSTER)
        config = pool.inputs.get("nodeConfig")
        machine = as_str(dig(config, "machineType"))
        instance_type: str | Unknown
        if isinstance(machine, Unknown) or isinstance(config, Unknown):
            instance_type = UNKNOWN
            unknown["instance_type"] = "nodeConfig.machineType"
        elif isinstance(machine, str):
            instance_type = machine
        else:
            continue  # GKE's default machine type: not an accelerator pool
        instance = catalog.find(instance_type) if isinstance(instance_type, str) else None
        attached = _attached(config)
        looks = attached is not None or (isinstance(instance_type, str)
                                         and bool(_ACCELERATOR_FAMILY.match(instance_type)))
        if not is_accelerator_pool(instance, instance_type, looks, attached):
            continue
        zones = _zones(graph, pool, cluster, unknown)
        min_nodes, max_nodes = _nodes(pool, zones, unknown)
        labels = labels_of(dig(config, "labels"))
        purpose, declared = decide_purpose(labels, max_nodes, instance, instance_type)
        topology = as_str(dig(pool.inputs, "placementPolicy", "tpuTopology"))
        if isinstance(topology, Unknown):
            unknown["tpu_topology"] = "placementPolicy.tpuTopology"
        found.append(AcceleratorPool(
            urn=pool.urn, name=pool.name, cloud="gcp", resource_type=pool.type,
            instance_type=instance_type, instance=instance,
            min_nodes=min_nodes, max_nodes=max_nodes, purpose=purpose, purpose_declared=declared,
            zones=zones, region=_region(pool, cluster, zones), capacity=_capacity(config),
            fabric=_fabric(graph, pool, instance, instance_type),
            public_ips=_public_ips(pool, cluster, unknown), tpu_topology=topology, labels=labels,
            attached_accelerators=None if instance is not None else attached,
            looks_like_accelerator=looks or instance is not None, unknown_inputs=unknown,
        ))
    return found


def _file_system(graph: Graph, catalog: Catalog, node: Node, kind: str) -> FileSystem:
    unknown: dict[str, str] = {}
    offering = catalog.storage_offering("gcp", kind)
    gib_per_tib = offering.gib_per_tib if offering else 1024.0
    gib = as_number(node.inputs.get("capacityGib"))
    capacity: float | Unknown = gib / gib_per_tib if isinstance(gib, float) else UNKNOWN
    if isinstance(capacity, Unknown):
        unknown["capacity_tib"] = "capacityGib"
    per_tib: Any = as_number(node.inputs.get("perUnitStorageThroughput"))
    if not isinstance(per_tib, float) and offering is not None and len(offering.tiers) == 1:
        per_tib = offering.tiers[0]  # a service with one throughput per TiB (Parallelstore)
    if not isinstance(per_tib, float):
        unknown["throughput_mbps"] = "perUnitStorageThroughput" + (
            "" if isinstance(per_tib, Unknown) else f" (not set, and the catalog has no single {kind} tier)")
        per_tib = UNKNOWN
    throughput = capacity * per_tib if isinstance(capacity, float) and isinstance(per_tib, float) else UNKNOWN
    location = as_str(node.inputs.get("location"))
    zones: tuple[str, ...] | Unknown
    if isinstance(location, Unknown):
        zones, region = UNKNOWN, None
        unknown["zones"] = "location"
    elif isinstance(location, str):
        zones = (location,) if is_zone(location) else ()
        region = region_of_zone(location) if is_zone(location) else location
    else:
        zones, region = UNKNOWN, None
        unknown["zones"] = "location (missing)"
    key = node.inputs.get("kmsKey")
    return FileSystem(
        urn=node.urn, name=node.name, cloud="gcp", resource_type=node.type, kind=kind,
        capacity_tib=capacity, throughput_mbps=throughput, zones=zones, region=region,
        encrypted=True,  # Google encrypts data at rest by default
        monthly_usd=storage_monthly_usd(offering, capacity, per_tib), throughput_mbps_per_tib=per_tib,
        customer_managed_key=key is not None or bool(node.resource.property_dependencies.get("kmsKey")),
        unknown_inputs=unknown,
    )


def file_systems(graph: Graph, catalog: Catalog) -> list[FileSystem]:
    return ([_file_system(graph, catalog, n, "lustre") for n in graph.of_type(LUSTRE)]
            + [_file_system(graph, catalog, n, "parallelstore") for n in graph.of_type(PARALLELSTORE)])
