"""GCP: GKE node pools (with their cluster and GPU NIC networks), Managed Lustre and Parallelstore."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from backbone.core.catalog import Catalog, InstanceType
from backbone.policies.inventory.common import (
    capacity_of_gib,
    count_or_unknown,
    decide_purpose,
    fabric_check,
    fabric_nics,
    is_accelerator_pool,
    is_zone,
    labels_of,
    provider_setting,
    region_of_zone,
    region_of_zones,
    storage_monthly_usd,
    unreadable_pool,
)
from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.facts import UNKNOWN, AcceleratorPool, FabricCheck, FileSystem, Unknown
from backbone.policies.inventory.families import FAMILIES
from backbone.policies.inventory.graph import Graph, Node
from backbone.policies.inventory.values import as_bool, as_count, as_list, as_number, as_str, dig

__all__ = ["ENTRIES"]

NODE_POOL = "gcp:container/nodePool:NodePool"
CLUSTER = "gcp:container/cluster:Cluster"
NETWORK = "gcp:compute/network:Network"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
LUSTRE = "gcp:lustre/instance:Instance"
PARALLELSTORE = "gcp:parallelstore/instance:Instance"
RESOURCE_POLICY = "gcp:compute/resourcePolicy:ResourcePolicy"

# Accelerator machine families when the catalog does not know the type: A2/A3/A4 (GPU), G2/G4 (GPU),
# ct* (TPU); and any node with guest accelerators attached.
_ACCELERATOR_FAMILY = FAMILIES["gcp"]


@dataclass(frozen=True)
class _Spec:
    """One node pool as a program expresses it: a ``NodePool`` resource, an entry of a cluster's
    ``nodePools``, or the cluster's default pool (``nodeConfig`` + ``initialNodeCount``). ``node`` is the
    resource whose property dependencies link its networks; ``at`` prefixes the input paths in messages."""

    node: Node
    inputs: dict[str, Any]
    cluster: Node | None
    at: str
    link_prop: str
    name: str

    def path(self, rest: str) -> str:
        return f"{self.at}{rest}"


def _tpu_topology(graph: Graph, spec: _Spec, instance: InstanceType | None,
                  unknown: dict[str, str]) -> str | Unknown | None:
    """The slice shape of a pool: ``placementPolicy.tpuTopology``, else — for a TPU machine type — the
    ``workloadPolicy.acceleratorTopology`` of the resource policy ``placementPolicy.policyName`` names: GKE places
    multi-host TPU7x slices by such a workload policy instead of a topology on the pool
    (cloud.google.com/kubernetes-engine/docs/concepts/tpu-ironwood)."""
    topology = as_str(dig(spec.inputs, "placementPolicy", "tpuTopology"))
    policy = dig(spec.inputs, "placementPolicy", "policyName")
    if topology is None and policy is not None and instance is not None and instance.tpu is not None:
        prop = "placementPolicy" if spec.link_prop == "networkConfig" else spec.link_prop
        links = graph.links(spec.node, prop, RESOURCE_POLICY, policy)
        if len(links.nodes) == 1:
            topology = as_str(dig(links.nodes[0].inputs, "workloadPolicy", "acceleratorTopology"))
            if isinstance(topology, Unknown):
                unknown["tpu_topology"] = f"{links.nodes[0].name}: workloadPolicy.acceleratorTopology"
            return topology
        unknown["tpu_topology"] = (f"{spec.path('placementPolicy.policyName')}: "
                                   f"{links.why_unknown('workload policy')}")
        return UNKNOWN
    if isinstance(topology, Unknown):
        unknown["tpu_topology"] = spec.path("placementPolicy.tpuTopology")
    return topology


def _location(spec: _Spec, unknown: dict[str, str]) -> str | Unknown | None:
    """The pool's location: its own, its cluster's, else the provider's ``zone``, else its ``region`` —
    where the Google provider puts a cluster or node pool without ``location``."""
    sources = [(spec.inputs, spec.path("location"))]
    if spec.cluster is not None:
        sources.append((spec.cluster.inputs, "cluster location"))
    for inputs, label in sources:
        location = as_str(inputs.get("location"))
        if isinstance(location, Unknown):
            unknown["zones"] = label
            return UNKNOWN
        if isinstance(location, str):
            return location
    for key in ("zone", "region"):
        configured = provider_setting(spec.cluster or spec.node, key)
        if isinstance(configured, Unknown):
            unknown["zones"] = f"the provider's {key}"
            return UNKNOWN
        if isinstance(configured, str) and configured:
            return configured
    return None


def _zones(spec: _Spec, location: str | Unknown | None, unknown: dict[str, str]) -> tuple[str, ...] | Unknown:
    listed = as_list(spec.inputs.get("nodeLocations"))
    if isinstance(listed, Unknown) or any(isinstance(z, Unknown) for z in listed or []):
        unknown["zones"] = spec.path("nodeLocations")
        return UNKNOWN
    if listed:
        return tuple(dict.fromkeys(z for z in listed if isinstance(z, str)))
    if isinstance(location, Unknown):
        return UNKNOWN
    if isinstance(location, str) and is_zone(location):
        return (location,)
    if spec.cluster is not None:
        cluster_zones = as_list(spec.cluster.inputs.get("nodeLocations"))
        if isinstance(cluster_zones, list) and cluster_zones and all(isinstance(z, str) for z in cluster_zones):
            return tuple(cluster_zones)
    if location is None:
        unknown["zones"] = (f"{spec.path('location')} (not set, on the cluster nor in the provider's zone or "
                            f"region)")
    else:
        unknown["zones"] = (f"{spec.path('nodeLocations')} (a regional pool in {location} without node "
                            f"locations: GKE picks the zones)")
    return UNKNOWN


GKE_DEFAULT_REGIONAL_ZONES = 3
"""GKE docs, "Regional clusters" (cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters, read
2026-12-01): with the default configuration a regional cluster provisions its nodes in three zones of its
region. The zones' names stay unknown (GKE picks them); that there are several is known."""


def _least_default_zones(spec: _Spec, location: str | Unknown | None, zones: tuple[str, ...] | Unknown) -> int:
    """The fewest zones of a pool in a region with no node locations on it or on its cluster: GKE's default.
    A cluster outside the stack may have node locations of its own, so nothing is known then."""
    if not isinstance(zones, Unknown) or not isinstance(location, str) or is_zone(location) or spec.cluster is None:
        return 0
    if spec.inputs.get("nodeLocations") is not None or spec.cluster.inputs.get("nodeLocations") is not None:
        return 0
    return GKE_DEFAULT_REGIONAL_ZONES


def _least_max_nodes(spec: _Spec, least_zones: int) -> int:
    """A per-zone maximum times the fewest zones: a lower bound of the pool's maximum (0 when not known)."""
    if not least_zones:
        return 0
    autoscaling = spec.inputs.get("autoscaling")
    if isinstance(autoscaling, dict):
        per_zone = autoscaling.get("maxNodeCount") if autoscaling.get("totalMaxNodeCount") is None else None
    else:
        per_zone = spec.inputs.get("nodeCount", spec.inputs.get("initialNodeCount", 1.0))
    return int(per_zone) * least_zones if isinstance(per_zone, int | float) and per_zone > 0 else 0


def _region(location: str | Unknown | None, zones: tuple[str, ...] | Unknown) -> str | None:
    if isinstance(location, str):
        return region_of_zone(location) if is_zone(location) else location
    return region_of_zones(zones)


def _zero_if_none(value: Any) -> Any:
    return 0 if value is None else value


def _nodes(spec: _Spec, zones: tuple[str, ...] | Unknown,
           unknown: dict[str, str]) -> tuple[int | Unknown, int | Unknown]:
    """(min, max) nodes of the whole pool. GKE's per-zone counts are multiplied by the zones."""
    inputs = spec.inputs
    autoscaling = inputs.get("autoscaling")
    if isinstance(autoscaling, dict):
        total_min, total_max = autoscaling.get("totalMinNodeCount"), autoscaling.get("totalMaxNodeCount")
        if total_max is not None:
            return (count_or_unknown(_zero_if_none(total_min), spec.path("autoscaling.totalMinNodeCount"), unknown,
                                     "min_nodes"),
                    count_or_unknown(total_max, spec.path("autoscaling.totalMaxNodeCount"), unknown, "max_nodes"))
        per_min = count_or_unknown(_zero_if_none(autoscaling.get("minNodeCount")),
                                   spec.path("autoscaling.minNodeCount"), unknown, "min_nodes")
        per_max = count_or_unknown(autoscaling.get("maxNodeCount"), spec.path("autoscaling.maxNodeCount"), unknown,
                                   "max_nodes")
    elif isinstance(autoscaling, Unknown):
        unknown["min_nodes"] = unknown["max_nodes"] = spec.path("autoscaling")
        return UNKNOWN, UNKNOWN
    else:
        key = "nodeCount" if inputs.get("nodeCount") is not None else "initialNodeCount"
        per_min = per_max = count_or_unknown(inputs.get(key, 1.0),  # GKE's default initialNodeCount: 1 a zone
                                             spec.path(key), unknown, "max_nodes")
        if isinstance(per_min, Unknown):
            unknown["min_nodes"] = unknown["max_nodes"]
    if isinstance(zones, Unknown):  # a per-zone count of 0 is 0 in any number of zones; _zones named the zones' input
        if per_min != 0:
            unknown.setdefault("min_nodes", unknown["zones"])
        if per_max != 0:
            unknown.setdefault("max_nodes", unknown["zones"])
        return (0 if per_min == 0 else UNKNOWN), (0 if per_max == 0 else UNKNOWN)
    per_zone = max(1, len(zones))
    return (per_min if isinstance(per_min, Unknown) else per_min * per_zone,
            per_max if isinstance(per_max, Unknown) else per_max * per_zone)


def _is_rdma_vpc(network: Node) -> bool:
    """A VPC with the RDMA (RoCE) network profile, which GPUDirect-RDMA NICs use, one subnet each."""
    profile = as_str(dig(network.inputs, "networkProfile"))
    return isinstance(profile, str) and profile.endswith("-vpc-roce")


def _gpu_networks(graph: Graph, spec: _Spec, fabric: str) -> tuple[int | Unknown, int | Unknown, list[str]]:
    """(GPU NICs configured, distinct paths they take, unknowns).

    GPUDirect-TCPX/TCPXO: one VPC per GPU NIC, so the paths are VPCs. GPUDirect-RDMA: the RDMA NICs share
    one VPC with the RDMA network profile, one subnet each, so the paths are the subnets of RDMA VPCs (other
    additional networks, e.g. the a3-ultra's second gVNIC, are not GPU NICs). Each NIC's network names one
    resource, so the networks the input depends on bound the distinct paths from above."""
    path = spec.path("networkConfig.additionalNodeNetworkConfigs")
    configs = as_list(dig(spec.inputs, "networkConfig", "additionalNodeNetworkConfigs"))
    if isinstance(configs, Unknown):
        return UNKNOWN, UNKNOWN, [path]
    configs = configs or []
    if fabric == "rdma":
        subnets = graph.links(spec.node, spec.link_prop, SUBNETWORK).candidates
        if not subnets:  # the networks are not resources of this stack: their profile cannot be read
            return UNKNOWN, UNKNOWN, [f"the RDMA network profile of {path}"]
        rdma = [s for s in subnets if any(_is_rdma_vpc(n) for n in graph.links(s, "network", NETWORK).candidates)]
        return len(rdma), len(rdma), []
    linked = graph.links(spec.node, spec.link_prop, NETWORK).candidates
    if linked:  # the networks are resources of this stack: count them through the graph
        return len(configs), min(len(configs), len(linked)), []
    names = [as_str(dig(c, "network")) for c in configs]
    if any(isinstance(n, Unknown) for n in names):
        return len(configs), UNKNOWN, [f"{path}[].network"]
    return len(configs), len({n for n in names if isinstance(n, str)}), []


def _fabric(graph: Graph, spec: _Spec, instance: InstanceType | None,
            nics: tuple[int | Unknown, int | Unknown, list[str]]) -> FabricCheck:
    """The GPU NICs only; compact placement is judged apart (``compact``)."""
    if instance is None or not instance.has_fabric:
        return FabricCheck(False, gbps=0.0)
    if instance.fabric == "ici":  # TPU chips talk over ICI inside the slice: nothing to configure
        return FabricCheck(True, gbps=instance.fabric_gbps)
    configured, paths, read = nics
    need, needed, unknown = fabric_nics(instance, "GPU NICs", read)
    missing: list[str] = []
    if isinstance(configured, int) and configured < need:
        missing.append(f"{configured} GPU NIC(s) configured where {instance.instance_type} has {needed} "
                       f"(add networkConfig.additionalNodeNetworkConfigs, one per GPU NIC)")
    # only TCPX/TCPXO NICs can share: an RDMA pool's paths are its NICs, one per RDMA subnet (``_gpu_networks``)
    if isinstance(configured, int) and isinstance(paths, int) and 0 < paths < configured:
        missing.append(f"the {configured} GPU NICs share {paths} VPC(s), each needs its own VPC")
    return fabric_check(instance, need, paths, missing, unknown)  # unknown NICs: their paths are unknown too


def _public_ips(spec: _Spec, unknown: dict[str, str]) -> bool | Unknown:
    cluster = spec.cluster
    for value, path in ((dig(spec.inputs, "networkConfig", "enablePrivateNodes"),
                         spec.path("networkConfig.enablePrivateNodes")),
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


def _pool(graph: Graph, catalog: Catalog, spec: _Spec) -> AcceleratorPool | None:
    unknown: dict[str, str] = {}
    config = spec.inputs.get("nodeConfig")
    machine = as_str(dig(config, "machineType"))
    instance_type: str | Unknown
    if isinstance(machine, Unknown) or isinstance(config, Unknown):
        instance_type = UNKNOWN
        unknown["instance_type"] = spec.path("nodeConfig.machineType")
    elif isinstance(machine, str):
        instance_type = machine
    else:
        return None  # GKE's default machine type: not an accelerator pool
    instance = catalog.find(instance_type) if isinstance(instance_type, str) else None
    attached = _attached(config)
    looks = attached is not None or (isinstance(instance_type, str)
                                     and bool(_ACCELERATOR_FAMILY.match(instance_type)))
    if not is_accelerator_pool(instance, instance_type, looks, attached):
        return None
    location = _location(spec, unknown)
    zones = _zones(spec, location, unknown)
    min_nodes, max_nodes = _nodes(spec, zones, unknown)
    least_zones = _least_default_zones(spec, location, zones)
    labels = labels_of(dig(config, "labels"))
    nics = _gpu_networks(graph, spec, instance.fabric if instance else "")
    placement = as_str(dig(spec.inputs, "placementPolicy", "type"))
    compact: bool | Unknown = UNKNOWN if isinstance(placement, Unknown) else placement == "COMPACT"
    intent: list[str] = []
    extra = as_list(dig(spec.inputs, "networkConfig", "additionalNodeNetworkConfigs"))
    if isinstance(extra, list) and extra and not (instance is not None and instance.fabric == "ici"):
        intent.append(f"{len(extra)} NIC(s) on additional networks")
    if compact is True and not (instance is not None and instance.fabric == "ici"):
        intent.append("compact placement")  # GKE requires COMPACT for every multi-host TPU slice, serving too
    purpose, declared = decide_purpose(labels, max_nodes, instance_type, tuple(intent))
    topology = _tpu_topology(graph, spec, instance, unknown)
    fabric = (FabricCheck(UNKNOWN, unknown=("machine type",), gbps=UNKNOWN) if isinstance(instance_type, Unknown)
              else _fabric(graph, spec, instance, nics))
    return AcceleratorPool(
        urn=spec.node.urn, name=spec.name, cloud="gcp", resource_type=spec.node.type,
        instance_type=instance_type, instance=instance,
        min_nodes=min_nodes, max_nodes=max_nodes, purpose=purpose, purpose_declared=declared,
        zones=zones, region=_region(location, zones), capacity=_capacity(config), fabric=fabric,
        public_ips=_public_ips(spec, unknown), tpu_topology=topology, labels=labels,
        attached_accelerators=None if instance is not None else attached,
        looks_like_accelerator=looks or instance is not None, unknown_inputs=unknown,
        training_intent=tuple(intent), compact=None if instance is not None and instance.fabric == "ici" else compact,
        compact_missing=f"no compact placement: set {spec.path('placementPolicy.type')} to COMPACT",
        least_zones=least_zones, least_max_nodes=_least_max_nodes(spec, least_zones),
    )


_INLINE_POOL_INPUTS = ("nodeConfig", "autoscaling", "location", "nodeLocations", "placementPolicy", "networkConfig")
"""What ``_pool`` reads of a node pool: all unknown where a cluster's ``nodePools`` is."""


def _cluster_specs(cluster: Node) -> list[_Spec]:
    """A cluster's inline pools (``nodePools``), else its default pool (``nodeConfig`` + ``initialNodeCount``)."""
    specs: list[_Spec] = []
    inline = as_list(cluster.inputs.get("nodePools"))
    if isinstance(inline, Unknown):  # which pools, of what type, where: one pool whose every input is unknown
        unknown_pool = dict.fromkeys(_INLINE_POOL_INPUTS, UNKNOWN)
        return [_Spec(cluster, unknown_pool, cluster, "nodePools[].", "nodePools", f"{cluster.name}/nodePools[]")]
    for i, entry in enumerate(inline if isinstance(inline, list) else []):
        if isinstance(entry, dict):
            name = as_str(entry.get("name"))
            specs.append(_Spec(cluster, entry, cluster, f"nodePools[{i}].", "nodePools",
                               f"{cluster.name}/{name if isinstance(name, str) else i}"))
    if not inline and as_bool(cluster.inputs.get("removeDefaultNodePool")) is not True:
        specs.append(_Spec(cluster, cluster.inputs, cluster, "", "nodeConfig", f"{cluster.name}/default-pool"))
    return specs


def _auto_provisioning(cluster: Node) -> list[AcceleratorPool]:
    """Node auto-provisioning: GKE creates pools of an accelerator up to ``resourceLimits`` (accelerators)."""
    autoscaling = cluster.inputs.get("clusterAutoscaling")
    if as_bool(dig(autoscaling, "enabled")) is not True:
        return []
    limits = as_list(dig(autoscaling, "resourceLimits"))
    found: list[AcceleratorPool] = []
    for i, limit in enumerate(limits if isinstance(limits, list) else []):
        kind = as_str(dig(limit, "resourceType"))
        if not isinstance(kind, str) or kind in ("cpu", "memory"):
            continue
        unknown: dict[str, str] = {}
        path = f"clusterAutoscaling.resourceLimits[{i}]"
        maximum = count_or_unknown(dig(limit, "maximum"), f"{path}.maximum", unknown, "max_nodes")
        minimum = count_or_unknown(_zero_if_none(dig(limit, "minimum")), f"{path}.minimum", unknown, "min_nodes")
        unknown["zones"] = f"{path} (auto-provisioned pools: GKE picks their zones)"
        found.append(AcceleratorPool(
            urn=cluster.urn, name=f"{cluster.name}/auto-provisioned {kind}", cloud="gcp", resource_type=cluster.type,
            instance_type=f"auto-provisioned {kind}", instance=None, min_nodes=minimum, max_nodes=maximum,
            purpose="inference", purpose_declared=False, zones=UNKNOWN, region=None, capacity="on-demand",
            fabric=FabricCheck(UNKNOWN, unknown=(f"{path}: an auto-provisioned pool's networks",), gbps=UNKNOWN),
            public_ips=False, attached_accelerators=1, looks_like_accelerator=False, unknown_inputs=unknown,
        ))
    return found


def read_node_pools(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    found: list[AcceleratorPool] = []
    for node in nodes:
        if not node.readable:
            found.append(unreadable_pool(node, "gcp"))
            continue
        cluster = graph.linked_or_ancestor(node, "cluster", CLUSTER)
        spec = _Spec(node, node.inputs, cluster, "", "networkConfig", node.name)
        if (pool := _pool(graph, catalog, spec)) is not None:
            found.append(pool)
    return found


def read_clusters(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """A cluster's inline or default pools, and node auto-provisioning's accelerator limits."""
    found: list[AcceleratorPool] = []
    for cluster in nodes:
        if not cluster.readable:  # its default or inline pools may carry accelerators: cannot verify, not absent
            found.append(unreadable_pool(cluster, "gcp"))
            continue
        found += [pool for spec in _cluster_specs(cluster) if (pool := _pool(graph, catalog, spec)) is not None]
    for cluster in nodes:
        found.extend(_auto_provisioning(cluster))
    return found


def _file_system(graph: Graph, catalog: Catalog, node: Node, kind: str) -> FileSystem:
    unknown: dict[str, str] = {}
    offering = catalog.storage_offering("gcp", kind)
    capacity = capacity_of_gib(offering, node.inputs.get("capacityGib"), "capacityGib", unknown)
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
        monthly_usd=storage_monthly_usd(offering, capacity, per_tib), throughput_mbps_per_tib=per_tib,
        offering=offering,
        customer_managed_key=key is not None or bool(node.resource.property_dependencies.get("kmsKey")),
        unknown_inputs=unknown,
    )


def read_lustre(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[FileSystem]:
    return [_file_system(graph, catalog, n, "lustre") for n in nodes]


def read_parallelstore(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[FileSystem]:
    return [_file_system(graph, catalog, n, "parallelstore") for n in nodes]


_POOL_INPUTS = ("`nodeConfig.machineType`, `nodeConfig.guestAccelerators`, `nodeConfig.labels`, `nodeConfig.spot`/"
                "`reservationAffinity`; `autoscaling` (`total*` counts for the whole pool, per-zone counts × zones); "
                "`nodeCount`/`initialNodeCount`; `nodeLocations`, `location`; `placementPolicy.type`/`tpuTopology`/"
                "`policyName` (a TPU pool's workload policy); "
                "`networkConfig.additionalNodeNetworkConfigs`, `networkConfig.enablePrivateNodes`")
ENTRIES = (
    Entry(NODE_POOL, "gcp", "pool", "GKE node pool", _POOL_INPUTS, read_node_pools),
    Entry(CLUSTER, "gcp", "pool", "GKE cluster: its inline pools (`nodePools[]`, named `<cluster>/<pool>`), its "
          "default pool, node auto-provisioning",
          "for each `nodePools[]` entry the node pool's inputs; the default pool's `nodeConfig` + "
          "`initialNodeCount` (per zone), unless `removeDefaultNodePool` is set or `nodePools` is given; "
          "`clusterAutoscaling.enabled` and `resourceLimits[]` (each accelerator `resourceType` counts up to its "
          "`maximum` accelerators)", read_clusters),
    Entry(LUSTRE, "gcp", "file system", "Managed Lustre",
          "`capacityGib` (GiB; the service's TiB is 1,000 of them, the catalog's `gib_per_tib`), "
          "`perUnitStorageThroughput`, `location`, `kmsKey`", read_lustre),
    Entry(PARALLELSTORE, "gcp", "file system", "Parallelstore",
          "`capacityGib` (GiB; the service's TiB is 1,000 of them, the catalog's `gib_per_tib`), `location`, `kmsKey`",
          read_parallelstore),
    Entry(NETWORK, "gcp", "link", "VPC network", "`networkProfile` (`…-vpc-roce` for GPUDirect-RDMA); counted as "
          "GPU NIC networks through `networkConfig` (`nodePools` for inline pools)", via=(NODE_POOL, CLUSTER)),
    Entry(SUBNETWORK, "gcp", "link", "subnetwork", "`network` (an RDMA VPC's subnets are GPUDirect-RDMA paths)",
          via=(NODE_POOL, CLUSTER)),
)
"""What this module reads (the reader registry gathers it: ``backbone.policies.inventory.registry``)."""
