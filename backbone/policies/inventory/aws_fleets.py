"""AWS without an autoscaler of Kubernetes (and the resources every AWS pool links to: launch templates,
placement groups, subnets, network interfaces): plain EC2 instances, AWS Batch compute environments, EC2 Fleets, Spot
Fleet requests and On-Demand Capacity Reservations — how Slurm-on-VMs clusters (ParallelCluster, Batch) are
built. Each becomes an accelerator pool with the same facts as a node group.

Where a pool may launch several types whose node counts differ (a Batch environment's ``maxVcpus`` is many small
nodes or few large ones; a fleet's weighted capacity), each candidate carries its own most nodes, and each policy
judges the least favourable candidate for it (the most accelerators at max scale for the caps; a type the catalog
does not know first: its count cannot be verified), naming it.

Argument names are the Pulumi AWS provider's (pulumi_aws 7: ``ec2.Instance``, ``batch.ComputeEnvironment``
``computeResources``, ``ec2.Fleet`` ``launchTemplateConfigs``/``targetCapacitySpecification``,
``ec2.SpotFleetRequest`` ``launchSpecifications``/``launchTemplateConfigs``/``targetCapacity``,
``ec2.CapacityReservation`` ``instanceType``/``instanceCount``), read from the provider's SDK (2026-12-07).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backbone.core.catalog import Catalog, InstanceType
from backbone.policies.inventory.aws import (
    AUTOSCALING_GROUP,
    LAUNCH_TEMPLATE,
    LUSTRE,
    NODE_GROUP,
    PLACEMENT_GROUP,
    SUBNET,
    efa_fabric,
    efa_interfaces,
    launch_template,
    placement,
    public_ips,
    region_of,
)
from backbone.policies.inventory.common import (
    candidates_of,
    decide_purpose,
    each_pool,
    is_accelerator_pool,
    labels_of,
    unreadable_pool,
    zones_of_subnets,
)
from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.facts import UNKNOWN, AcceleratorPool, Candidate, FabricCheck, Unknown
from backbone.policies.inventory.families import FAMILIES
from backbone.policies.inventory.graph import Graph, Node
from backbone.policies.inventory.values import as_count, as_dict, as_list, as_number, as_str, dig

__all__ = ["ENTRIES"]

INSTANCE = "aws:ec2/instance:Instance"
NETWORK_INTERFACE = "aws:ec2/networkInterface:NetworkInterface"
BATCH = "aws:batch/computeEnvironment:ComputeEnvironment"
FLEET = "aws:ec2/fleet:Fleet"
SPOT_FLEET = "aws:ec2/spotFleetRequest:SpotFleetRequest"
RESERVATION = "aws:ec2/capacityReservation:CapacityReservation"

_ACCELERATOR_FAMILY = FAMILIES["aws"]
_EXCEEDS_BY_ONE = ("BEST_FIT_PROGRESSIVE", "SPOT_CAPACITY_OPTIMIZED", "SPOT_PRICE_CAPACITY_OPTIMIZED")
"""AWS Batch, ComputeResource.maxvCpus (docs.aws.amazon.com/batch/latest/APIReference/API_ComputeResource.html,
read 2026-12-07): with these allocation strategies Batch "might need to exceed maxvCpus to meet your capacity
requirements. In this event, AWS Batch never exceeds maxvCpus by more than a single instance." (BEST_FIT, the
default, never exceeds it.)"""
_CLUSTER_TAGS = ("parallelcluster:cluster-name", "aws-parallelcluster:cluster-name", "cluster", "Cluster",
                 "ClusterName", "cluster-name")
"""Tags that say which cluster an instance belongs to (ParallelCluster's own, and the usual hand-written ones)."""
_MARKETS = {"spot": "spot", "capacity-block": "capacity-block"}

Nodes = tuple[int | Unknown, int | Unknown, str]
"""(min nodes, max nodes, why they are unknown) of one candidate type."""


@dataclass
class _Shape:
    """One pool as a fleet-like resource expresses it, before its candidate types are judged."""

    node: Node
    name: str
    names: list[str] | Unknown
    nodes: Callable[[InstanceType | None, str], Nodes]
    capacity: str
    lt: Node | None = None
    zones: tuple[str, ...] | Unknown = UNKNOWN
    placements: list[tuple[Node, str, Any]] = field(default_factory=list)
    subnets: tuple[str, Any] | None = None
    efa: tuple[int | Unknown, list[str]] | None = None
    labels: dict[str, Any] = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)
    reserved: bool = False


def _fixed(count: int | Unknown, why: str = "") -> Callable[[InstanceType | None, str], Nodes]:
    """The same node count whatever the type (instances, a reservation's ``instanceCount``)."""
    def nodes(instance: InstanceType | None, name: str) -> Nodes:
        return count, count, why if isinstance(count, Unknown) else ""
    return nodes


def _family_types(catalog: Catalog, name: str) -> list[str]:
    """``p5`` (a family, as Batch takes it) → the catalog's types of that family; a type stays itself."""
    if "." in name:
        return [name]
    found = [i.instance_type for i in catalog.for_cloud("aws") if i.instance_type.split(".")[0] == name]
    return found or [name]


def _assemble(graph: Graph, catalog: Catalog, shape: _Shape) -> AcceleratorPool | None:
    node, unknown = shape.node, shape.unknown
    lt = shape.lt
    efa, efa_unknown = shape.efa if shape.efa is not None else efa_interfaces(lt)
    instance_type: str | Unknown = UNKNOWN
    instance: InstanceType | None = None
    fabric = FabricCheck(UNKNOWN, unknown=("instance type",), gbps=UNKNOWN)
    candidates: tuple[Candidate, ...] = ()
    if isinstance(shape.names, list):
        if not shape.names:
            return None
        fabric_of = (lambda i: FabricCheck(True, gbps=None)) if shape.reserved else (
            lambda i: efa_fabric(i, lt if lt is not None or shape.efa is None else node, efa, efa_unknown))
        candidates = candidates_of(catalog, shape.names, fabric_of, lambda i, n: shape.nodes(i, n)[1])
        looks = any(_ACCELERATOR_FAMILY.match(c.instance_type) for c in candidates)
        if not any(is_accelerator_pool(c.instance, c.instance_type, looks) for c in candidates):
            return None
        chosen = candidates[0]  # the most accelerators at max scale: what the pool-level facts are
        min_nodes, max_nodes, why = shape.nodes(chosen.instance, chosen.instance_type)
        instance_type, instance, fabric = chosen.instance_type, chosen.instance, chosen.fabric
    else:
        min_nodes, max_nodes, why = shape.nodes(None, "")
    if why:
        for fact, value in (("min_nodes", min_nodes), ("max_nodes", max_nodes)):
            if isinstance(value, Unknown):
                unknown.setdefault(fact, why)
    intent = []
    if isinstance(efa, int) and efa > 0:
        intent.append(f"{efa} EFA interface(s)" + (f" on launch template {lt.name}" if lt else ""))
    compact, compact_missing = placement(graph, shape.placements, lt, shape.capacity)
    if compact is True and shape.capacity not in ("reservation", "capacity-block"):
        intent.append("a cluster placement group")
    purpose, declared = decide_purpose(shape.labels, max_nodes, instance_type, tuple(intent))
    public: bool | Unknown = False
    if shape.subnets is not None:
        public = public_ips(graph, node, shape.subnets[0], shape.subnets[1], lt, unknown)
    return AcceleratorPool(
        urn=node.urn, name=shape.name, cloud="aws", resource_type=node.type,
        instance_type=instance_type, instance=instance, min_nodes=min_nodes, max_nodes=max_nodes,
        purpose=purpose, purpose_declared=declared, zones=shape.zones, region=region_of(node, shape.zones),
        capacity=shape.capacity, fabric=fabric, public_ips=public, labels=shape.labels,
        looks_like_accelerator=True, unknown_inputs=unknown, training_intent=tuple(intent), compact=compact,
        compact_missing=compact_missing, candidates=candidates if len(candidates) > 1 else (),
    )


def _tag_labels(*tags: Any) -> dict[str, Any]:
    """Node labels from tags (``backbone.dev/purpose`` as a tag key): maps of tags, merged."""
    labels: dict[str, Any] = {}
    for value in tags:
        labels.update(labels_of(value))
    return labels


def _zones(graph: Graph, node: Node, literal: list[Any], prop: str,
           unknown: dict[str, str]) -> tuple[str, ...] | Unknown:
    """Zones named literally (``availabilityZone``), else those of the subnets input ``prop`` names."""
    if any(isinstance(z, Unknown) for z in literal):
        unknown["zones"] = f"{prop} (an availabilityZone is unknown)"
        return UNKNOWN
    named = [z for z in literal if isinstance(z, str)]
    if named:
        return tuple(dict.fromkeys(named))
    return zones_of_subnets(graph, node, prop, SUBNET, "availabilityZone", unknown)


# -- EC2 instances ------------------------------------------------------------------------------------------------

def _instance_efa(graph: Graph, node: Node, lt: Node | None) -> tuple[int | Unknown, list[str]]:
    """EFA interfaces of an instance: its launch template's, else the network interfaces it attaches."""
    if lt is not None:
        return efa_interfaces(lt)
    if node.inputs.get("networkInterfaces") is None:
        return 0, []
    nics = graph.links(node, "networkInterfaces", NETWORK_INTERFACE).candidates
    kinds = [as_str(n.inputs.get("interfaceType")) for n in nics]
    if any(isinstance(k, Unknown) for k in kinds):
        return UNKNOWN, [f"{node.name}.networkInterfaces[].interfaceType"]
    return sum(1 for k in kinds if k in ("efa", "efa-only")), []


def _instance_key(graph: Graph, node: Node) -> tuple[str, str]:
    """What groups an instance with others: its placement group, its launch template, or a cluster tag."""
    for prop, type_ in (("placementGroup", PLACEMENT_GROUP), ("launchTemplate", LAUNCH_TEMPLATE)):
        value = node.inputs.get(prop)
        if value is None:
            continue
        links = graph.links(node, prop, type_)
        if len(links.candidates) == 1:
            return prop, links.candidates[0].name
        if isinstance(value, str):
            return prop, value
    tags = labels_of(node.inputs.get("tags"))
    for key in _CLUSTER_TAGS:
        if isinstance(tags.get(key), str):
            return f"tag {key}", tags[key]
    return "instance", node.urn


def _instance_capacity(inputs: dict[str, Any], lt: Node | None) -> str:
    for source in (inputs, lt.inputs if lt is not None else {}):
        market = as_str(dig(source, "instanceMarketOptions", "marketType"))
        if isinstance(market, str) and market in _MARKETS:
            return _MARKETS[market]
        spec = as_dict(source.get("capacityReservationSpecification"))
        if isinstance(spec, dict) and (spec.get("capacityReservationTarget") is not None or as_str(
                spec.get("capacityReservationPreference")) == "capacity-reservations-only"):
            return "reservation"
    return "on-demand"


def read_instances(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """Instances sharing a placement group, a launch template or a cluster tag form one pool; any other instance
    is a pool of one."""
    groups: dict[tuple[str, str], list[Node]] = {}
    found: list[AcceleratorPool] = []
    for node in nodes:
        if not node.readable:
            found.append(unreadable_pool(node, "aws"))
        else:
            groups.setdefault(_instance_key(graph, node), []).append(node)
    for (kind, key), group in groups.items():
        members = sorted(group, key=lambda n: n.name)  # the program's order of registration is not a fact
        first = members[0]
        unknown: dict[str, str] = {}
        lt = launch_template(graph, first, "launchTemplate", first.inputs.get("launchTemplate"), unknown)
        names: list[str] | Unknown = []
        for member in members:
            own = as_str(member.inputs.get("instanceType"))
            from_lt = as_str(lt.inputs.get("instanceType")) if lt is not None else None
            chosen = own if own is not None else from_lt
            if isinstance(chosen, Unknown) or (chosen is None and member.inputs.get("launchTemplate") is not None):
                unknown["instance_type"] = f"{member.name}.instanceType" if isinstance(own, Unknown) else (
                    unknown.get("launch_template", f"{member.name}.launchTemplate (its instanceType)"))
                names = UNKNOWN
                break
            if isinstance(chosen, str) and isinstance(names, list):
                names.append(chosen)
        count = len(members)
        zones_literal = [z for m in members if (z := m.inputs.get("availabilityZone")) is not None]
        zones = (_zones(graph, first, zones_literal, "subnetId", unknown) if zones_literal or count == 1
                 else _member_zones(graph, members, unknown))
        efa_counts = [_instance_efa(graph, m, lt) for m in members]
        efa: tuple[int | Unknown, list[str]] = min(
            efa_counts, key=lambda e: -1 if isinstance(e[0], Unknown) else e[0])
        name = first.name if kind == "instance" else f"{key} ({count} instance{'s' if count > 1 else ''})"
        shape = _Shape(first, name, names, _fixed(count), _instance_capacity(first.inputs, lt),
                       lt=lt, zones=zones, placements=[(first, "placementGroup", first.inputs.get("placementGroup"))],
                       subnets=("subnetId", None), efa=efa,
                       labels=_tag_labels(first.inputs.get("tags")), unknown=unknown)
        if (pool := _assemble(graph, catalog, shape)) is not None:
            found.append(pool)
    return found


def _member_zones(graph: Graph, members: list[Node], unknown: dict[str, str]) -> tuple[str, ...] | Unknown:
    zones: list[str] = []
    for member in members:
        own = _zones(graph, member, [], "subnetId", unknown)
        if isinstance(own, Unknown):
            return UNKNOWN
        zones += [z for z in own if z not in zones]
    return tuple(sorted(zones))


# -- AWS Batch ----------------------------------------------------------------------------------------------------

def _vcpu_nodes(most: Any, least: Any, path: str, exceed_by_one: bool) -> Callable[[InstanceType | None, str], Nodes]:
    """Nodes of a candidate from vCPU bounds: ``maxVcpus`` / its vCPUs (one more where Batch may exceed it)."""
    def nodes(instance: InstanceType | None, name: str) -> Nodes:
        if isinstance(most, Unknown) or isinstance(least, Unknown):
            return UNKNOWN, UNKNOWN, path
        if not isinstance(most, float):
            return UNKNOWN, UNKNOWN, f"{path} (missing or not a number)"
        if instance is None or not instance.vcpus:
            return UNKNOWN, UNKNOWN, f"{path} (the catalog has no vCPU count for {name or 'the instance type'})"
        high = (math.ceil if exceed_by_one else math.floor)(most / instance.vcpus)
        return math.ceil((least or 0) / instance.vcpus), high, ""
    return nodes


def _batch(graph: Graph, catalog: Catalog, node: Node) -> AcceleratorPool | None:
    resources = as_dict(node.inputs.get("computeResources"))
    if isinstance(resources, Unknown):
        return unreadable_pool(node, "aws")
    kind = as_str((resources or {}).get("type"))
    if resources is None or (isinstance(kind, str) and kind.startswith("FARGATE")):
        return None  # unmanaged (its instances are launched elsewhere) or Fargate (no accelerators)
    unknown: dict[str, str] = {}
    at = "computeResources"
    lt = launch_template(graph, node, at, resources.get("launchTemplate"), unknown)
    listed = as_list(resources.get("instanceTypes"))
    names: list[str] | Unknown
    if isinstance(listed, Unknown) or any(isinstance(n, Unknown) for n in listed or []):
        names, unknown["instance_type"] = UNKNOWN, f"{at}.instanceTypes"
    elif listed:
        names = [t for n in listed if isinstance(n, str) for t in _family_types(catalog, n)]
    else:
        from_lt = as_str(lt.inputs.get("instanceType")) if lt is not None else None
        names = [from_lt] if isinstance(from_lt, str) else []
    most, least = as_number(resources.get("maxVcpus")), as_number(resources.get("minVcpus"))
    strategy = as_str(resources.get("allocationStrategy"))
    nodes = _vcpu_nodes(most, least, f"{at}.maxVcpus",
                        isinstance(strategy, str) and strategy in _EXCEEDS_BY_ONE)
    zones = zones_of_subnets(graph, node, at, SUBNET, "availabilityZone", unknown, resources.get("subnets"))
    capacity = "spot" if kind == "SPOT" else _instance_capacity({}, lt)  # a launch template's Capacity Block
    shape = _Shape(node, node.name, names, nodes, capacity, lt=lt, zones=zones,
                   placements=[(node, at, resources.get("placementGroup"))], subnets=(at, resources.get("subnets")),
                   labels=_tag_labels(node.inputs.get("tags"), resources.get("tags")), unknown=unknown)
    return _assemble(graph, catalog, shape)


def read_batch_environments(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    return each_pool(nodes, "aws", lambda node: _batch(graph, catalog, node))


# -- EC2 Fleet and Spot Fleet -------------------------------------------------------------------------------------

def _unit_nodes(total: Any, unit: str, weights: dict[str, float], path: str) -> Callable[[InstanceType | None, str],
                                                                                       Nodes]:
    """Nodes of a candidate from a fleet's target capacity: units / its weight, vCPUs or MiB / its size."""
    def nodes(instance: InstanceType | None, name: str) -> Nodes:
        if not isinstance(total, float):
            return UNKNOWN, UNKNOWN, path if isinstance(total, Unknown) else f"{path} (missing)"
        if unit == "vcpu":
            size = float(instance.vcpus) if instance and instance.vcpus else None
        elif unit == "memory-mib":
            size = instance.memory_gib * 1024 if instance and instance.memory_gib else None
        else:
            size = weights.get(name, 1.0)
        if not size:
            return UNKNOWN, UNKNOWN, f"{path} (in {unit}: the catalog has no figure for {name or 'the type'})"
        count = math.ceil(total / size)
        return count, count, ""
    return nodes


def _template_configs(graph: Graph, node: Node, configs: list[Any], spec_key: str,
                      unknown: dict[str, str]) -> tuple[Node | None, list[str] | Unknown, dict[str, float], list[Any]]:
    """(launch template, candidate types, weight per type, zones named) of ``launchTemplateConfigs``."""
    lt: Node | None = None
    names: list[str] | Unknown = []
    weights: dict[str, float] = {}
    zones: list[Any] = []
    for config in configs:
        spec = dig(config, spec_key)
        lt = lt or launch_template(graph, node, "launchTemplateConfigs", spec, unknown)
        overrides = as_list(dig(config, "overrides"))
        if isinstance(overrides, Unknown):
            return lt, UNKNOWN, weights, zones
        for override in overrides or []:
            name = as_str(dig(override, "instanceType"))
            if dig(override, "instanceRequirements") is not None:
                unknown["instance_type"] = ("launchTemplateConfigs[].overrides[].instanceRequirements "
                                            "(attribute-based: the types are chosen at launch)")
                return lt, UNKNOWN, weights, zones
            if isinstance(name, Unknown):
                return lt, UNKNOWN, weights, zones
            if isinstance(name, str) and isinstance(names, list):
                names.append(name)
                weight = as_number(dig(override, "weightedCapacity"))
                if isinstance(weight, float) and weight > 0:
                    weights[name] = min(weight, weights.get(name, weight))
            zones.append(dig(override, "availabilityZone"))
    if isinstance(names, list) and not names and lt is not None:
        from_lt = as_str(lt.inputs.get("instanceType"))
        if isinstance(from_lt, Unknown) or lt.inputs.get("instanceRequirements") is not None:
            unknown.setdefault("instance_type", f"{lt.name}.instanceType (launch template)" if isinstance(
                from_lt, Unknown) else f"{lt.name}.instanceRequirements (attribute-based: the types are chosen at "
                                       f"launch)")
            return lt, UNKNOWN, weights, zones
        names = [from_lt] if isinstance(from_lt, str) else []
    return lt, names, weights, [z for z in zones if z is not None]


def _fleet(graph: Graph, catalog: Catalog, node: Node) -> AcceleratorPool | None:
    unknown: dict[str, str] = {}
    configs = as_list(node.inputs.get("launchTemplateConfigs"))
    if isinstance(configs, Unknown):
        return unreadable_pool(node, "aws")
    lt, names, weights, zones_named = _template_configs(graph, node, configs or [], "launchTemplateSpecification",
                                                        unknown)
    if isinstance(names, Unknown):
        unknown.setdefault("instance_type", "launchTemplateConfigs[].overrides[].instanceType")
    target = as_dict(node.inputs.get("targetCapacitySpecification"))
    spec = target if isinstance(target, dict) else {}
    unit = as_str(spec.get("targetCapacityUnitType"))
    market = as_str(spec.get("defaultTargetCapacityType"))
    capacity = _MARKETS.get(market, "on-demand") if isinstance(market, str) else "on-demand"
    nodes = _unit_nodes(as_number(spec.get("totalTargetCapacity")) if isinstance(target, dict) else target,
                        unit if isinstance(unit, str) else "units", weights,
                        "targetCapacitySpecification.totalTargetCapacity")
    zones = _zones(graph, node, zones_named, "launchTemplateConfigs", unknown)
    shape = _Shape(node, node.name, names, nodes, capacity, lt=lt, zones=zones,
                   subnets=("launchTemplateConfigs", None), labels=_tag_labels(node.inputs.get("tags")),
                   unknown=unknown)
    return _assemble(graph, catalog, shape)


def _spot_fleet(graph: Graph, catalog: Catalog, node: Node) -> AcceleratorPool | None:
    unknown: dict[str, str] = {}
    specs = as_list(node.inputs.get("launchSpecifications"))
    configs = as_list(node.inputs.get("launchTemplateConfigs"))
    if isinstance(specs, Unknown) or isinstance(configs, Unknown):
        return unreadable_pool(node, "aws")
    lt, names, weights, zones_named = _template_configs(graph, node, configs or [], "launchTemplateSpecification",
                                                        unknown)
    if isinstance(names, Unknown):  # the template configs' types, not the launch specifications'
        unknown.setdefault("instance_type", "launchTemplateConfigs[].overrides[].instanceType")
    placements: list[tuple[Node, str, Any]] = []
    for spec in specs or []:
        name = as_str(dig(spec, "instanceType"))
        if isinstance(name, Unknown) or isinstance(names, Unknown):
            names = UNKNOWN
            break
        if isinstance(name, str):
            names.append(name)
            weight = as_number(dig(spec, "weightedCapacity"))  # a string in this resource: read as a number
            if isinstance(weight, float) and weight > 0:
                weights[name] = min(weight, weights.get(name, weight))
        zones_named.append(dig(spec, "availabilityZone"))
        placements.append((node, "launchSpecifications", dig(spec, "placementGroup")))
    if isinstance(names, Unknown):
        unknown.setdefault("instance_type", "launchSpecifications[].instanceType")
    unit = as_str(node.inputs.get("targetCapacityUnitType"))
    nodes = _unit_nodes(as_number(node.inputs.get("targetCapacity")), unit if isinstance(unit, str) else "units",
                        weights, "targetCapacity")
    on_demand = as_number(node.inputs.get("onDemandTargetCapacity"))
    total = as_number(node.inputs.get("targetCapacity"))
    capacity = "on-demand" if isinstance(on_demand, float) and on_demand == total else "spot"
    zones = _zones(graph, node, [z for z in zones_named if z is not None], "launchSpecifications", unknown)
    shape = _Shape(node, node.name, names, nodes, capacity, lt=lt, zones=zones, placements=placements,
                   subnets=("launchSpecifications", None), labels=_tag_labels(node.inputs.get("tags")),
                   unknown=unknown)
    return _assemble(graph, catalog, shape)


def read_fleets(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    return each_pool(nodes, "aws", lambda node: _fleet(graph, catalog, node))


def read_spot_fleets(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    return each_pool(nodes, "aws", lambda node: _spot_fleet(graph, catalog, node))


# -- Capacity reservations ----------------------------------------------------------------------------------------

_GROUPS = (NODE_GROUP, AUTOSCALING_GROUP)
_USES_RESERVATION = (*_GROUPS, LAUNCH_TEMPLATE, INSTANCE, BATCH, FLEET)


def _used(graph: Graph, reservation: Node) -> bool:
    """Whether a pool of the stack launches into the reservation (its instances are then that pool's nodes)."""
    return any(reservation.resource in r.dependencies or any(
        reservation.resource in deps for deps in r.property_dependencies.values())
        for r in graph.resources() if r.resource_type in _USES_RESERVATION)


def read_reservations(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """A reservation no pool of the stack launches into: reserved accelerators are paid for even when idle, so it
    is a pool of ``instanceCount`` nodes at min and max scale. One a pool uses is that pool's capacity."""
    found: list[AcceleratorPool] = []
    for node in nodes:
        if not node.readable:
            found.append(unreadable_pool(node, "aws"))
            continue
        if _used(graph, node):
            continue
        unknown: dict[str, str] = {}
        name = as_str(node.inputs.get("instanceType"))
        names: list[str] | Unknown = [name] if isinstance(name, str) else UNKNOWN
        if isinstance(names, Unknown):
            unknown["instance_type"] = "instanceType"
        count = as_count(node.inputs.get("instanceCount"))
        nodes_of = _fixed(count if isinstance(count, int) else UNKNOWN, "instanceCount")
        zones = _zones(graph, node, [node.inputs.get("availabilityZone")], "availabilityZone", unknown)
        shape = _Shape(node, node.name, names, nodes_of, "reservation", zones=zones,
                       placements=[(node, "placementGroupArn", node.inputs.get("placementGroupArn"))],
                       labels=_tag_labels(node.inputs.get("tags")), unknown=unknown, reserved=True)
        if (pool := _assemble(graph, catalog, shape)) is not None:
            found.append(pool)
    return found


ENTRIES = (
    Entry(INSTANCE, "aws", "pool", "EC2 instances (instances sharing a placement group, a launch template or a "
          "cluster tag form one pool; any other is a pool of one)",
          "`instanceType`, else the launch template's; `placementGroup`; `launchTemplate`; `tags` (cluster tags "
          "`parallelcluster:cluster-name`, `cluster`, `ClusterName`; node labels); `availabilityZone`, else "
          "`subnetId`; `networkInterfaces` (EFA network interfaces); `instanceMarketOptions.marketType`; "
          "`capacityReservationSpecification`", read_instances),
    Entry(BATCH, "aws", "pool", "AWS Batch compute environment",
          "`computeResources`: `instanceTypes` (a family such as `p5` is every catalog type of it), else the launch "
          "template's; `maxVcpus` / the type's vCPUs = the most nodes (one more with `BEST_FIT_PROGRESSIVE` or the "
          "`SPOT_*` strategies, which may exceed maxVcpus by one instance); `minVcpus`; `type` (`SPOT`; "
          "`FARGATE*` carries no accelerator); `launchTemplate` (EFA interfaces, placement); `placementGroup`; "
          "`subnets`; `tags`", read_batch_environments),
    Entry(FLEET, "aws", "pool", "EC2 Fleet",
          "`launchTemplateConfigs[]`: `launchTemplateSpecification`, `overrides[].instanceType`, "
          "`weightedCapacity`, `availabilityZone`/`subnetId`; `targetCapacitySpecification`: `totalTargetCapacity` "
          "(in `targetCapacityUnitType`: units, vcpu, memory-mib) = the nodes, `defaultTargetCapacityType`; `tags`",
          read_fleets),
    Entry(SPOT_FLEET, "aws", "pool", "Spot Fleet request",
          "`launchSpecifications[]` (`instanceType`, `weightedCapacity`, `availabilityZone`, `placementGroup`) and "
          "`launchTemplateConfigs[]` (as EC2 Fleet); `targetCapacity` in `targetCapacityUnitType`; "
          "`onDemandTargetCapacity`; `tags`", read_spot_fleets),
    Entry(RESERVATION, "aws", "pool", "On-Demand Capacity Reservation (one no pool of the stack launches into)",
          "`instanceType`, `instanceCount` (nodes at min and max: reserved capacity is paid for even when idle), "
          "`availabilityZone`, `placementGroupArn`, `tags`", read_reservations),
    Entry(LAUNCH_TEMPLATE, "aws", "link", "launch template",
          "`instanceType` (`instanceRequirements` = unknown: the types are picked at launch); "
          "`networkInterfaces[].interfaceType` (`efa`, `efa-only`) and `associatePublicIpAddress`; "
          "`placement.groupName`; `capacityReservationSpecification`; `instanceMarketOptions.marketType` "
          "(`capacity-block`, `spot`)", via=(*_GROUPS, INSTANCE, BATCH, FLEET, SPOT_FLEET)),
    Entry(PLACEMENT_GROUP, "aws", "link", "placement group", "`strategy` (`cluster`)",
          via=(*_GROUPS, LAUNCH_TEMPLATE, INSTANCE, BATCH, SPOT_FLEET, RESERVATION)),
    Entry(SUBNET, "aws", "link", "subnet", "`availabilityZone`, `mapPublicIpOnLaunch`",
          via=(*_GROUPS, LUSTRE, INSTANCE, BATCH, FLEET, SPOT_FLEET)),
    Entry(NETWORK_INTERFACE, "aws", "link", "network interface", "`interfaceType` (`efa`, `efa-only`)",
          via=(INSTANCE,)),
)
"""What this module reads (the reader registry gathers it: ``backbone.policies.inventory.registry``)."""
