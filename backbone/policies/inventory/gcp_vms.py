"""GCP accelerators outside GKE: Compute Engine instances, managed instance groups of an instance template (with
the autoscaler that sizes them), TPU VMs and queued resources, and reservations.

Links follow the resource graph (a MIG's ``versions`` → its template, an autoscaler's ``target`` → its MIG, an
instance's ``resourcePolicies`` → its placement policy), never ids, which a preview does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from backbone.core.catalog import Catalog, InstanceType
from backbone.policies.inventory.common import (
    count_or_unknown,
    decide_purpose,
    fabric_check,
    fabric_nics,
    is_accelerator_pool,
    is_zone,
    labels_of,
    provider_setting,
    region_of_zone,
    unreadable_pool,
)
from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.facts import (
    UNKNOWN,
    AcceleratorPool,
    Candidate,
    FabricCheck,
    Unknown,
    least_favourable_first,
)
from backbone.policies.inventory.families import FAMILIES
from backbone.policies.inventory.gcp import CLUSTER, NETWORK, NODE_POOL, RESOURCE_POLICY
from backbone.policies.inventory.graph import Graph, Node
from backbone.policies.inventory.values import as_bool, as_count, as_list, as_str, dig

__all__ = [
    "AUTOSCALER",
    "ENTRIES",
    "INSTANCE",
    "INSTANCE_GROUP_MANAGER",
    "INSTANCE_TEMPLATE",
    "QUEUED_RESOURCE",
    "REGION_AUTOSCALER",
    "REGION_INSTANCE_GROUP_MANAGER",
    "REGION_INSTANCE_TEMPLATE",
    "RESERVATION",
    "TPU_VM",
]

INSTANCE = "gcp:compute/instance:Instance"
INSTANCE_TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate"
REGION_INSTANCE_TEMPLATE = "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate"
INSTANCE_GROUP_MANAGER = "gcp:compute/instanceGroupManager:InstanceGroupManager"
REGION_INSTANCE_GROUP_MANAGER = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"
AUTOSCALER = "gcp:compute/autoscaler:Autoscaler"
REGION_AUTOSCALER = "gcp:compute/regionAutoscaler:RegionAutoscaler"
TPU_VM = "gcp:tpu/v2Vm:V2Vm"
QUEUED_RESOURCE = "gcp:tpu/v2QueuedResource:V2QueuedResource"
RESERVATION = "gcp:compute/reservation:Reservation"

_TEMPLATES = (INSTANCE_TEMPLATE, REGION_INSTANCE_TEMPLATE)
_MIGS = (INSTANCE_GROUP_MANAGER, REGION_INSTANCE_GROUP_MANAGER)
_AUTOSCALERS = (AUTOSCALER, REGION_AUTOSCALER)
_RDMA_NIC = "MRDMA"
"""Compute Engine's NIC type of the A3 Ultra / A4 GPU NICs (GPUDirect-RDMA over RoCE)."""


@dataclass(frozen=True)
class _Machine:
    """What an instance, an instance template or a reservation's instance properties say about one VM."""

    node: Node
    inputs: dict[str, Any]
    at: str
    """Prefix of the input paths in messages (``specificReservation.instanceProperties.``)."""

    def path(self, rest: str) -> str:
        return f"{self.node.name}.{self.at}{rest}"


def _machine_type(machine: _Machine, unknown: dict[str, str]) -> str | Unknown | None:
    value = as_str(machine.inputs.get("machineType"))
    if isinstance(value, Unknown):
        unknown["instance_type"] = machine.path("machineType")
    return value


def _attached(machine: _Machine) -> int | None:
    """Guest accelerators per VM (``guestAccelerators[].count``; a reservation says ``acceleratorCount``)."""
    total = 0
    listed = as_list(machine.inputs.get("guestAccelerators"))
    for item in listed if isinstance(listed, list) else []:
        count = as_count(dig(item, "count") if dig(item, "count") is not None else dig(item, "acceleratorCount"))
        total += count if isinstance(count, int) else 0
    return total or None


def _capacity(machine: _Machine) -> str:
    scheduling = machine.inputs.get("scheduling")
    if as_str(dig(scheduling, "provisioningModel")) == "SPOT" or as_bool(dig(scheduling, "preemptible")) is True:
        return "spot"
    if as_str(dig(machine.inputs, "reservationAffinity", "type")) == "SPECIFIC_RESERVATION":
        return "reservation"
    return "on-demand"


def _public_ips(machine: _Machine, unknown: dict[str, str]) -> bool | Unknown:
    """A VM gets an external IP from an ``accessConfigs`` entry on one of its network interfaces."""
    interfaces = as_list(machine.inputs.get("networkInterfaces"))
    if isinstance(interfaces, Unknown):
        unknown["public_ips"] = machine.path("networkInterfaces")
        return UNKNOWN
    for i, nic in enumerate(interfaces or []):
        configs = as_list(dig(nic, "accessConfigs"))
        if isinstance(configs, Unknown):
            unknown["public_ips"] = machine.path(f"networkInterfaces[{i}].accessConfigs")
            return UNKNOWN
        if configs:
            return True
    return False


def _gpu_nics(graph: Graph, machine: _Machine) -> tuple[int | Unknown, int | Unknown, list[str]]:
    """(GPU NICs, distinct paths they take, unknowns). The first interface is the host's; the GPU NICs are the
    others (A3 High / Mega: gVNICs, each on its own VPC) or the ``MRDMA`` ones (A3 Ultra / A4). The VPCs the
    interfaces depend on bound the distinct paths from above (the host's VPC is one of them)."""
    interfaces = as_list(machine.inputs.get("networkInterfaces"))
    if isinstance(interfaces, Unknown):
        return UNKNOWN, UNKNOWN, [machine.path("networkInterfaces")]
    interfaces = interfaces or []
    kinds = [as_str(dig(nic, "nicType")) for nic in interfaces]
    if any(isinstance(k, Unknown) for k in kinds):
        return UNKNOWN, UNKNOWN, [machine.path("networkInterfaces[].nicType")]
    rdma = sum(1 for k in kinds if k == _RDMA_NIC)
    if rdma:
        return rdma, rdma, []  # the RDMA NICs share one RoCE VPC, one subnet each
    extra = max(0, len(interfaces) - 1)
    networks = len(graph.links(machine.node, "networkInterfaces", NETWORK).candidates)
    literal = {n for nic in interfaces if isinstance(n := as_str(dig(nic, "network")), str)}
    distinct = networks + len(literal)
    return extra, (min(extra, max(distinct - 1, 0)) if distinct else extra), []


def _fabric(instance: InstanceType | None, nics: tuple[int | Unknown, int | Unknown, list[str]]) -> FabricCheck:
    if instance is None or not instance.has_fabric:
        return FabricCheck(False, gbps=0.0)
    if instance.fabric == "ici":
        return FabricCheck(True, gbps=instance.fabric_gbps)
    configured, paths, read = nics
    need, needed, unknown = fabric_nics(instance, "GPU NICs", read)
    missing: list[str] = []
    if isinstance(configured, int) and configured < need:
        missing.append(f"{configured} GPU NIC(s) configured where {instance.instance_type} has {needed} (add "
                       f"networkInterfaces, one per GPU NIC, each on its own VPC, or nicType MRDMA on RDMA types)")
    if isinstance(configured, int) and isinstance(paths, int) and paths < configured:
        missing.append(f"the {configured} GPU NICs share {paths} VPC(s), each needs its own" if paths else
                       f"the {configured} GPU NICs are on the host's VPC, each needs its own")
    return fabric_check(instance, need, paths, missing, unknown)  # unknown NICs: their paths are unknown too


def _compact(graph: Graph, nodes: list[Node]) -> bool | Unknown:
    """Whether a placement policy with ``groupPlacementPolicy.collocation = COLLOCATED`` places the VMs."""
    for node in nodes:
        for policy in graph.links(node, "resourcePolicies", RESOURCE_POLICY).candidates:
            collocation = as_str(dig(policy.inputs, "groupPlacementPolicy", "collocation"))
            if isinstance(collocation, Unknown):
                return UNKNOWN
            if collocation == "COLLOCATED":
                return True
        if isinstance(node.inputs.get("resourcePolicies"), Unknown):
            return UNKNOWN
    return False


def _location(node: Node, key: str, unknown: dict[str, str]) -> str | None:
    """The resource's ``zone`` or ``region``, else the provider's."""
    value = as_str(node.inputs.get(key))
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        unknown["zones"] = f"{node.name}.{key}"
        return None
    configured = provider_setting(node, key)
    return configured if isinstance(configured, str) and configured else None


def _zone_facts(node: Node, unknown: dict[str, str]) -> tuple[tuple[str, ...] | Unknown, str | None]:
    """(zones, region) of a zonal resource."""
    zone = _location(node, "zone", unknown)
    if zone is not None and is_zone(zone):
        return (zone,), region_of_zone(zone)
    unknown.setdefault("zones", f"{node.name}.zone (not set, nor the provider's zone)")
    return UNKNOWN, None


@dataclass(frozen=True)
class _Size:
    min_nodes: int | Unknown
    max_nodes: int | Unknown


def _vm_pool(graph: Graph, catalog: Catalog, owner: Node, machines: list[_Machine], size: _Size,
             zones: tuple[str, ...] | Unknown, region: str | None, unknown: dict[str, str],
             placement: list[Node]) -> AcceleratorPool | None:
    """A pool of VMs of one or several machine configurations (a MIG's templates): the least favourable decides."""
    names: list[str] = []
    fabric_of: dict[str, FabricCheck] = {}
    attached: int | None = None
    for machine in machines:
        name = _machine_type(machine, unknown)
        if isinstance(name, str):
            instance = catalog.find(name)
            names.append(name)
            fabric_of[name] = _fabric(instance, _gpu_nics(graph, machine))
            attached = max(attached or 0, _attached(machine) or 0) or None
    candidates = tuple(least_favourable_first([Candidate(n, catalog.find(n), fabric_of[n])
                                               for n in dict.fromkeys(names)]))
    looks = attached is not None or any(FAMILIES["gcp"].match(n) for n in names)
    type_unknown = "instance_type" in unknown
    if not type_unknown and not any(is_accelerator_pool(c.instance, c.instance_type, looks, attached)
                                    for c in candidates):
        return None
    first = candidates[0] if candidates and not type_unknown else None
    instance_type: str | Unknown = first.instance_type if first else UNKNOWN
    instance = first.instance if first else None
    fabric = first.fabric if first else FabricCheck(UNKNOWN, unknown=("machine type",), gbps=UNKNOWN)
    main = machines[0]
    labels = labels_of(main.inputs.get("labels"))
    compact = _compact(graph, placement)
    intent: list[str] = []
    nics, _, _ = _gpu_nics(graph, main)
    if instance is not None and instance.has_fabric and instance.fabric != "ici" and isinstance(nics, int) and nics:
        intent.append(f"{nics} GPU NIC(s) on additional networks")
    if compact is True:
        intent.append("compact placement (a COLLOCATED placement policy)")
    purpose, declared = decide_purpose(labels, size.max_nodes, instance_type, tuple(intent))
    return AcceleratorPool(
        urn=owner.urn, name=owner.name, cloud="gcp", resource_type=owner.type, instance_type=instance_type,
        instance=instance, min_nodes=_with_reserved_floor(graph, machines, size), max_nodes=size.max_nodes,
        purpose=purpose, purpose_declared=declared, zones=zones, region=region, capacity=_capacity(main), fabric=fabric,
        public_ips=_public_ips(main, unknown), labels=labels,
        attached_accelerators=attached if instance is None else None,
        looks_like_accelerator=looks or instance is not None, unknown_inputs=unknown,
        candidates=candidates if len(candidates) > 1 else (), training_intent=tuple(intent), compact=compact,
        compact_missing="no compact placement: attach a resource policy with groupPlacementPolicy.collocation "
                        "COLLOCATED (resourcePolicies)",
    )


def _with_reserved_floor(graph: Graph, machines: list[_Machine], size: _Size) -> int | Unknown:
    """The fewest VMs paid for: a reservation the pool consumes is paid in full even when the pool is scaled in
    (up to the pool's maximum: the rest of it is idle, and counted on the reservation itself)."""
    reserved = 0
    for machine in machines:
        for reservation in graph.links(machine.node, "reservationAffinity", RESERVATION).candidates:
            count = as_count(dig(reservation.inputs, "specificReservation", "count"))
            reserved += count if isinstance(count, int) else 0
    if not reserved or not isinstance(size.min_nodes, int):
        return size.min_nodes
    ceiling = size.max_nodes if isinstance(size.max_nodes, int) else reserved
    return max(size.min_nodes, min(reserved, ceiling))


def _placement_key(graph: Graph, node: Node) -> str:
    """The placement policy an instance shares with others (its one ``resourcePolicies`` resource), else itself."""
    policies = graph.links(node, "resourcePolicies", RESOURCE_POLICY).candidates
    return f"placement policy {policies[0].name}" if len(policies) == 1 else node.urn


def _group_zones(members: list[Node], unknown: dict[str, str]) -> tuple[tuple[str, ...] | Unknown, str | None]:
    zones: list[str] = []
    region: str | None = None
    for member in members:
        own, own_region = _zone_facts(member, unknown)
        if isinstance(own, Unknown):
            return UNKNOWN, region
        zones += [z for z in own if z not in zones]
        region = region or own_region
    return tuple(zones), region


def read_instances(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """Instances that share a placement policy (Compute Engine's compact placement, what a cluster of VMs uses) form
    one pool; any other instance is a pool of one."""
    groups: dict[str, list[Node]] = {}
    found: list[AcceleratorPool] = []
    for node in nodes:
        if not node.readable:
            found.append(unreadable_pool(node, "gcp"))
        else:
            groups.setdefault(_placement_key(graph, node), []).append(node)
    for key, members in groups.items():
        unknown: dict[str, str] = {}
        zones, region = _group_zones(members, unknown)
        pool = _vm_pool(graph, catalog, members[0], [_Machine(m, m.inputs, "") for m in members],
                        _Size(len(members), len(members)), zones, region, unknown, members)
        if pool is not None and len(members) > 1:
            pool = replace(pool, name=f"{len(members)} instances sharing {key.removeprefix('placement policy ')} "
                                      f"({members[0].name} …)")
        if pool is not None:
            found.append(pool)
    return found


def _autoscalers_by_target(graph: Graph) -> dict[str, list[Node]]:
    """Autoscalers by the URN of the MIG their ``target`` names (through the graph)."""
    found: dict[str, list[Node]] = {}
    for kind in _AUTOSCALERS:
        for scaler in graph.of_type(kind):
            for mig_type in _MIGS:
                for mig in graph.links(scaler, "target", mig_type).candidates:
                    found.setdefault(mig.urn, []).append(scaler)
    return found


def _mig_size(mig: Node, scalers: list[Node], unknown: dict[str, str]) -> _Size:
    """An autoscaler's ``autoscalingPolicy`` sizes the group; else ``targetSize`` (the provider's default is 0)."""
    if len(scalers) > 1:
        unknown["min_nodes"] = unknown["max_nodes"] = f"{len(scalers)} autoscalers target {mig.name}"
        return _Size(UNKNOWN, UNKNOWN)
    if scalers:
        scaler = scalers[0]
        policy = scaler.inputs.get("autoscalingPolicy")
        path = f"{scaler.name}.autoscalingPolicy"
        maximum = count_or_unknown(dig(policy, "maxReplicas"), f"{path}.maxReplicas", unknown, "max_nodes")
        if dig(policy, "minReplicas") is None:  # the API picks a default from the maximum: unknown
            unknown["min_nodes"] = f"{path}.minReplicas (not set: Compute Engine chooses it)"
            return _Size(UNKNOWN, maximum)
        return _Size(count_or_unknown(dig(policy, "minReplicas"), f"{path}.minReplicas", unknown, "min_nodes"),
                     maximum)
    target = mig.inputs.get("targetSize", 0.0)
    count = count_or_unknown(target, f"{mig.name}.targetSize", unknown, "max_nodes")
    if isinstance(count, Unknown):
        unknown["min_nodes"] = unknown["max_nodes"]
    return _Size(count, count)


def _mig_zones(mig: Node, unknown: dict[str, str]) -> tuple[tuple[str, ...] | Unknown, str | None]:
    if mig.type == INSTANCE_GROUP_MANAGER:
        return _zone_facts(mig, unknown)
    region = _location(mig, "region", unknown)
    listed = as_list(mig.inputs.get("distributionPolicyZones"))
    if isinstance(listed, list) and listed and all(isinstance(z, str) for z in listed):
        zones = tuple(dict.fromkeys(listed))
        return zones, region or region_of_zone(zones[0])
    unknown.setdefault("zones", f"{mig.name}.distributionPolicyZones (not set: a regional group spreads its VMs "
                                f"over zones Compute Engine picks)")
    return UNKNOWN, region


def read_instance_groups(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """A managed instance group (zonal or regional): its template's VM (several templates: the least favourable),
    its size from the autoscaler that targets it, else ``targetSize``."""
    scalers = _autoscalers_by_target(graph)
    found: list[AcceleratorPool] = []
    for mig in nodes:
        if not mig.readable:
            found.append(unreadable_pool(mig, "gcp"))
            continue
        unknown: dict[str, str] = {}
        templates = [t for t_type in _TEMPLATES for t in graph.links(mig, "versions", t_type).candidates]
        if not templates:
            unknown["instance_type"] = f"{mig.name}.versions[].instanceTemplate (no instance template of this stack)"
        machines = [_Machine(t, t.inputs, "") for t in templates] or [_Machine(mig, {}, "")]
        zones, region = _mig_zones(mig, unknown)
        pool = _vm_pool(graph, catalog, mig, machines, _mig_size(mig, scalers.get(mig.urn, []), unknown),
                        zones, region, unknown, [mig, *templates])
        if pool is not None:
            found.append(pool)
    return found


def _generation_rows(catalog: Catalog, name: str) -> list[InstanceType]:
    """The TPU machine types of a generation named as Cloud TPU names it: a device prefix (``v5p``,
    ``v5litepod``) or an ``acceleratorConfig.type`` (``V5P``, ``V5LITE_POD``, ``V6E``)."""
    key = name.lower().replace("_", "")
    return [i for i in catalog.for_cloud("gcp") if i.tpu is not None and i.tpu.generation is not None
            and key in (i.tpu.generation.device_prefix, i.tpu.version)]


def _host_for(rows: list[InstanceType], chips: int) -> tuple[InstanceType, int] | None:
    """(host machine type, hosts) of a slice of ``chips``: whole multi-host VMs where it is at least one of them
    (XPK's table: v5p-2048 is 256 × ct5p-hightpu-4t, v5litepod-8 2 × ct5lp-hightpu-4t), else the one VM of that
    many chips (v6e-1 is one ct6e-standard-1t)."""
    multi = [r for r in rows if r.tpu is not None and not r.tpu.single_host]
    host = max(multi, key=lambda r: r.accelerator_count) if multi else None
    if host is not None and chips >= host.accelerator_count and chips % host.accelerator_count == 0:
        return host, chips // host.accelerator_count
    single = [r for r in rows if r.accelerator_count == chips]
    return (single[0], 1) if single else None


def _tpu_host(catalog: Catalog, device_type: str) -> tuple[InstanceType, int] | None:
    """(host, hosts) of a Cloud TPU accelerator type such as ``v5p-2048`` (1,024 chips: 256 hosts)."""
    prefix = device_type.rpartition("-")[0]
    rows = _generation_rows(catalog, prefix) if prefix else []
    generation = rows[0].tpu.generation if rows and rows[0].tpu else None
    chips = generation.chips_of_device(device_type) if generation else None
    return None if chips is None else _host_for(rows, chips)


def _tpu_host_of_topology(catalog: Catalog, generation: str, topology: str) -> tuple[InstanceType, int] | None:
    """(host, hosts) of ``acceleratorConfig`` (``type V5P``, ``topology 8x8x16``)."""
    rows = _generation_rows(catalog, generation)
    tpu = rows[0].tpu if rows else None
    if tpu is None or tpu.dims_of(topology) is None:
        return None
    return _host_for(rows, tpu.chips_of(topology))


def _tpu_pool(catalog: Catalog, owner: Node, name: str, node_inputs: dict[str, Any], at: str,
              zones: tuple[str, ...] | Unknown, region: str | None, capacity: str,
              unknown: dict[str, str]) -> AcceleratorPool:
    """One TPU slice: its hosts as GKE would form them, with the slice's topology."""
    device = as_str(node_inputs.get("acceleratorType"))
    topology = as_str(dig(node_inputs, "acceleratorConfig", "topology"))
    generation = as_str(dig(node_inputs, "acceleratorConfig", "type"))
    host: tuple[InstanceType, int] | None = None
    instance_type: str | Unknown
    if isinstance(device, str):
        host = _tpu_host(catalog, device)
        instance_type = host[0].instance_type if host else f"TPU {device}"
    elif isinstance(topology, str) and isinstance(generation, str):
        host = _tpu_host_of_topology(catalog, generation, topology)
        instance_type = host[0].instance_type if host else f"TPU {generation.lower()} {topology}"
    else:
        instance_type = UNKNOWN
        unknown["instance_type"] = (f"{at}acceleratorType" if isinstance(device, Unknown)
                                    else f"{at}acceleratorConfig" if dig(node_inputs, "acceleratorConfig") is not None
                                    else f"{at}acceleratorType (not set: the provider's default, v2-8)")
    nodes: int | Unknown = host[1] if host else UNKNOWN
    if host is None:  # the hosts follow from the type: unknown with it, or where the catalog has no such slice
        why = (f"{at}acceleratorType (hosts of {instance_type}: not in the catalog)" if isinstance(instance_type, str)
               else unknown["instance_type"])
        unknown.setdefault("min_nodes", why)
        unknown.setdefault("max_nodes", why)
    if isinstance(topology, Unknown):
        unknown["tpu_topology"] = f"{at}acceleratorConfig.topology"
    labels = labels_of(node_inputs.get("labels"))
    purpose, declared = decide_purpose(labels, nodes, instance_type, ())
    external = as_bool(dig(node_inputs, "networkConfig", "enableExternalIps"))
    if isinstance(external, Unknown):
        unknown["public_ips"] = f"{at}networkConfig.enableExternalIps"
    return AcceleratorPool(
        urn=owner.urn, name=name, cloud="gcp", resource_type=owner.type, instance_type=instance_type,
        instance=host[0] if host else None, min_nodes=nodes, max_nodes=nodes, purpose=purpose,
        purpose_declared=declared, zones=zones, region=region, capacity=capacity,
        fabric=FabricCheck(True, gbps=host[0].fabric_gbps) if host else FabricCheck(UNKNOWN, gbps=UNKNOWN),
        public_ips=external if isinstance(external, bool | Unknown) else False,
        tpu_topology=topology, labels=labels,
        looks_like_accelerator=True, unknown_inputs=unknown,
    )


def _tpu_capacity(config: Any) -> str:
    if as_bool(dig(config, "spot")) is True or as_bool(dig(config, "preemptible")) is True:
        return "spot"
    return "reservation" if as_bool(dig(config, "reserved")) is True else "on-demand"


def read_tpu_vms(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """A TPU VM is one slice."""
    found: list[AcceleratorPool] = []
    for node in nodes:
        if not node.readable:
            found.append(unreadable_pool(node, "gcp"))
            continue
        unknown: dict[str, str] = {}
        zones, region = _zone_facts(node, unknown)
        found.append(_tpu_pool(catalog, node, node.name, node.inputs, "", zones, region,
                               _tpu_capacity(node.inputs.get("schedulingConfig")), unknown))
    return found


def read_queued_resources(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """A queued resource is one slice per ``tpu.nodeSpecs`` entry (a Multislice request)."""
    found: list[AcceleratorPool] = []
    for node in nodes:
        specs = as_list(dig(node.inputs, "tpu", "nodeSpecs")) if node.readable else UNKNOWN
        if isinstance(specs, Unknown):
            found.append(unreadable_pool(node, "gcp"))
            continue
        for i, spec in enumerate(specs or []):
            unknown: dict[str, str] = {}
            zones, region = _zone_facts(node, unknown)
            node_id = as_str(dig(spec, "nodeId"))
            name = f"{node.name}/{node_id if isinstance(node_id, str) else i}"
            inputs = dig(spec, "node")
            found.append(_tpu_pool(catalog, node, name, inputs if isinstance(inputs, dict) else {},
                                   f"tpu.nodeSpecs[{i}].node.", zones, region, "on-demand", unknown))
    return found


def read_reservations(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """A reservation of accelerator VMs is paid for from creation, used or not: a pool of ``count`` nodes at min
    and at max."""
    found: list[AcceleratorPool] = []
    consumers = _consumers(graph)
    for node in nodes:
        if not node.readable:
            found.append(unreadable_pool(node, "gcp"))
            continue
        unknown: dict[str, str] = {}
        specific = node.inputs.get("specificReservation")
        count = count_or_unknown(dig(specific, "count"), f"{node.name}.specificReservation.count", unknown,
                                 "max_nodes")
        if isinstance(count, Unknown):
            unknown["min_nodes"] = unknown["max_nodes"]
        properties = dig(specific, "instanceProperties")
        if isinstance(properties, Unknown):  # what it reserves is unknown: cannot verify, never left out
            unknown["instance_type"] = f"{node.name}.specificReservation.instanceProperties"
        machine = _Machine(node, properties if isinstance(properties, dict) else {},
                           "specificReservation.instanceProperties.")
        zones, region = _zone_facts(node, unknown)
        pool = _vm_pool(graph, catalog, node, [machine], _Size(count, count), zones, region, unknown, [])
        if pool is None:
            continue
        users = consumers.get(node.urn, [])
        if users:  # its VMs are the pool that consumes it: counted there (at least at min), never twice
            continue
        else:
            found.append(_reserved(pool))
    return found


def _reserved(pool: AcceleratorPool) -> AcceleratorPool:
    """A reservation holds VMs, it runs nothing: no network, placement or training of its own to judge."""
    return replace(pool, capacity="reservation", public_ips=False, compact=None, training_intent=(),
                   fabric=FabricCheck(False, gbps=0.0),
                   purpose="inference" if not pool.purpose_declared else pool.purpose)


def _consumers(graph: Graph) -> dict[str, list[Node]]:
    """Reservations by URN → the instances and templates whose ``reservationAffinity`` names them."""
    found: dict[str, list[Node]] = {}
    for kind in (INSTANCE, *_TEMPLATES):
        for node in graph.of_type(kind):
            for reservation in graph.links(node, "reservationAffinity", RESERVATION).candidates:
                found.setdefault(reservation.urn, []).append(node)
    return found


_VM_INPUTS = ("`machineType`, `guestAccelerators[].count`, `networkInterfaces` (the GPU NICs: the interfaces after "
              "the first, each on its own VPC, or those of `nicType` `MRDMA`; `accessConfigs` = a public IP), "
              "`scheduling.provisioningModel`/`preemptible`, `reservationAffinity`, `resourcePolicies`, `labels`")
_TPU_INPUTS = ("`acceleratorType` (a Cloud TPU device name such as `v5p-2048`: chips and hosts from the catalog), else "
               "`acceleratorConfig.type` + `topology`; `zone`; `schedulingConfig` (`spot`, `preemptible`, `reserved`); "
               "`networkConfig.enableExternalIps`; `labels`")
ENTRIES = (
    Entry(INSTANCE, "gcp", "pool", "Compute Engine VM (instances sharing a placement policy form one pool; any other "
          "is a pool of one)", f"{_VM_INPUTS}; `zone` (else `gcp:zone`)", read_instances),
    *(Entry(token, "gcp", "pool", what,
            "`versions[].instanceTemplate` → its template (several: the least favourable decides); the autoscaler "
            "that targets it, else `targetSize` (the provider's default is 0); " + where, read_instance_groups)
      for token, what, where in (
          (INSTANCE_GROUP_MANAGER, "managed instance group", "`zone`"),
          (REGION_INSTANCE_GROUP_MANAGER, "regional managed instance group", "`region`, `distributionPolicyZones`"))),
    Entry(TPU_VM, "gcp", "pool", "TPU VM (one slice)", _TPU_INPUTS, read_tpu_vms),
    Entry(QUEUED_RESOURCE, "gcp", "pool", "TPU queued resource (one slice per `tpu.nodeSpecs[]`, named "
          "`<resource>/<nodeId>`)", f"`zone`; each `tpu.nodeSpecs[].node`: {_TPU_INPUTS}", read_queued_resources),
    Entry(RESERVATION, "gcp", "pool", "Compute Engine reservation (paid for whether used or not)",
          "`specificReservation.count`, `specificReservation.instanceProperties` (`machineType`, "
          "`guestAccelerators[].acceleratorCount`), `zone`; a reservation a VM or template of the stack consumes "
          "(its `reservationAffinity` names it) is counted once, on the consumer, whose minimum it raises",
          read_reservations),
    *(Entry(token, "gcp", "link", "instance template", f"{_VM_INPUTS}; read through the group that uses it",
            via=_MIGS) for token in _TEMPLATES),
    *(Entry(token, "gcp", "link", "autoscaler", "`target` (its group), `autoscalingPolicy.maxReplicas` / "
            "`minReplicas` (no `minReplicas`: Compute Engine picks it, unknown)", via=_MIGS) for token in _AUTOSCALERS),
    Entry(RESOURCE_POLICY, "gcp", "link", "placement or workload policy",
          "`groupPlacementPolicy.collocation` (`COLLOCATED` = compact placement); `workloadPolicy.acceleratorTopology` "
          "(the slice shape of the TPU node pool whose `placementPolicy.policyName` names it: TPU7x)",
          via=(INSTANCE, *_TEMPLATES, NODE_POOL, CLUSTER)),
)
"""What this module reads (the reader registry gathers it: ``backbone.policies.inventory.registry``)."""
