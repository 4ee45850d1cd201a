"""AWS: EKS node groups (with their launch template, placement group and subnets) and FSx for Lustre."""

from __future__ import annotations

import re
from typing import Any

from components.catalog import Catalog, InstanceType
from policies.inventory.common import (
    best_instance,
    count_or_unknown,
    decide_purpose,
    fabric_check,
    is_accelerator_pool,
    labels_of,
    region_of_zones,
    storage_monthly_usd,
    zones_of_subnets,
)
from policies.inventory.facts import UNKNOWN, AcceleratorPool, FabricCheck, FileSystem, Unknown
from policies.inventory.graph import Graph, Node
from policies.inventory.values import as_bool, as_list, as_number, as_str, dig

__all__ = ["file_systems", "pools"]

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
PLACEMENT_GROUP = "aws:ec2/placementGroup:PlacementGroup"
SUBNET = "aws:ec2/subnet:Subnet"
LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem"

EFA_TYPES = ("efa", "efa-only")
# What makes an instance an accelerator instance when the catalog does not know it: the GPU / Neuron
# EKS AMI types, and the accelerated instance families (p, g, trn, inf, dl).
_ACCELERATOR_AMI = re.compile(r"GPU|NVIDIA|NEURON", re.IGNORECASE)
_ACCELERATOR_FAMILY = re.compile(r"^(p\d|g\d|trn\d|inf\d|dl\d)", re.IGNORECASE)
_CAPACITY = {"SPOT": "spot", "CAPACITY_BLOCK": "capacity-block"}


def _instance_type(graph: Graph, ng: Node, lt: Node | None, unknown: dict[str, str],
                   catalog: Catalog) -> tuple[str | Unknown | None, InstanceType | None]:
    listed = as_list(ng.inputs.get("instanceTypes"))
    if isinstance(listed, Unknown):
        unknown["instance_type"] = "instanceTypes"
        return UNKNOWN, None
    names = [n for n in (listed or []) if isinstance(n, str)]
    if any(isinstance(n, Unknown) for n in listed or []):
        unknown["instance_type"] = "instanceTypes"
        return UNKNOWN, None
    if names:
        return best_instance(catalog, names)
    if lt is not None:
        value = as_str(lt.inputs.get("instanceType"))
        if isinstance(value, Unknown):
            unknown["instance_type"] = f"{lt.name}.instanceType (launch template)"
            return UNKNOWN, None
        if isinstance(value, str):
            return value, catalog.find(value)
        return None, None
    if dig(ng.inputs, "launchTemplate") is not None:
        unknown["instance_type"] = "launchTemplate (no launch template of this stack is linked)"
        return UNKNOWN, None
    return None, None  # EKS's default (a general-purpose type): not an accelerator pool


def _fabric(graph: Graph, instance: InstanceType | None, instance_type: str | Unknown | None,
            lt: Node | None) -> FabricCheck:
    if isinstance(instance_type, Unknown):
        return FabricCheck(UNKNOWN, unknown=("instance type",), gbps=UNKNOWN)
    if instance is None or not instance.has_fabric:
        return FabricCheck(False, gbps=0.0)
    need = instance.fabric_nics or 1
    if lt is None:
        return FabricCheck(False, missing=(
            f"no launch template with the {need} EFA interfaces of {instance.instance_type} "
            f"(networkInterfaces with interfaceType efa)",
            "no cluster placement group (launch template placement.groupName)",
        ), gbps=0.0)
    missing: list[str] = []
    unknown: list[str] = []
    interfaces = as_list(lt.inputs.get("networkInterfaces"))
    efa: int | Unknown = 0
    if isinstance(interfaces, Unknown):
        unknown.append(f"{lt.name}.networkInterfaces")
        efa = UNKNOWN
    else:
        count = 0
        for i, nic in enumerate(interfaces or []):
            kind = as_str(dig(nic, "interfaceType"))
            if isinstance(kind, Unknown):
                unknown.append(f"{lt.name}.networkInterfaces[{i}].interfaceType")
            elif kind in EFA_TYPES:
                count += 1
        efa = UNKNOWN if unknown else count
        if isinstance(efa, int) and efa < need:
            missing.append(f"EFA interfaces: {efa} configured, {instance.instance_type} has {need} "
                           f"(networkInterfaces with interfaceType efa, one per network card)")
    groups = graph.linked(lt, "placement", PLACEMENT_GROUP)
    ref = dig(lt.inputs, "placement", "groupName")
    if groups:
        strategy = as_str(groups[0].inputs.get("strategy"))
        if isinstance(strategy, Unknown):
            unknown.append(f"{groups[0].name}.strategy")
        elif strategy != "cluster":
            missing.append(f"placement group {groups[0].name} has strategy {strategy!r}, needs 'cluster'")
    elif isinstance(ref, (Unknown, str)):
        unknown.append(f"{lt.name}.placement.groupName (a placement group outside this stack)")
    else:
        missing.append("no cluster placement group (launch template placement.groupName)")
    return fabric_check(instance, need, efa, missing, unknown)


def _public_ips(graph: Graph, ng: Node, lt: Node | None, unknown: dict[str, str]) -> bool | Unknown:
    interfaces = None if lt is None else as_list(lt.inputs.get("networkInterfaces"))
    if isinstance(interfaces, Unknown):
        unknown["public_ips"] = f"{lt.name if lt else ''}.networkInterfaces"
        return UNKNOWN
    for i, nic in enumerate(interfaces or []):
        public = as_bool(dig(nic, "associatePublicIpAddress"))
        if isinstance(public, Unknown):
            unknown["public_ips"] = f"{lt.name if lt else ''}.networkInterfaces[{i}].associatePublicIpAddress"
        if public is True or isinstance(public, Unknown):
            return public
    for subnet in graph.linked(ng, "subnetIds", SUBNET):
        public = as_bool(subnet.inputs.get("mapPublicIpOnLaunch"))
        if isinstance(public, Unknown):
            unknown["public_ips"] = f"subnetIds → {subnet.name}.mapPublicIpOnLaunch"
        if public is True or isinstance(public, Unknown):
            return public
    return False


def _looks_like_accelerator(ng: Node, instance_type: str | Unknown) -> bool:
    ami = as_str(ng.inputs.get("amiType"))
    if isinstance(ami, str) and _ACCELERATOR_AMI.search(ami):
        return True
    return isinstance(instance_type, str) and bool(_ACCELERATOR_FAMILY.match(instance_type))


def pools(graph: Graph, catalog: Catalog) -> list[AcceleratorPool]:
    found: list[AcceleratorPool] = []
    for ng in graph.of_type(NODE_GROUP):
        unknown: dict[str, str] = {}
        lts = graph.linked(ng, "launchTemplate", LAUNCH_TEMPLATE)
        lt = lts[0] if lts else None
        instance_type, instance = _instance_type(graph, ng, lt, unknown, catalog)
        if instance_type is None:
            continue
        looks = _looks_like_accelerator(ng, instance_type)
        if not is_accelerator_pool(instance, instance_type, looks):
            continue
        scaling = ng.inputs.get("scalingConfig")
        min_nodes = count_or_unknown(dig(scaling, "minSize"), "scalingConfig.minSize", unknown, "min_nodes")
        max_nodes = count_or_unknown(dig(scaling, "maxSize"), "scalingConfig.maxSize", unknown, "max_nodes")
        labels = labels_of(ng.inputs.get("labels"))
        purpose, declared = decide_purpose(labels, max_nodes, instance, instance_type)
        zones = zones_of_subnets(graph, ng, "subnetIds", SUBNET, "availabilityZone", unknown)
        capacity = as_str(ng.inputs.get("capacityType"))
        found.append(AcceleratorPool(
            urn=ng.urn, name=ng.name, cloud="aws", resource_type=ng.type,
            instance_type=instance_type, instance=instance,
            min_nodes=min_nodes, max_nodes=max_nodes, purpose=purpose, purpose_declared=declared,
            zones=zones,
            region=region_of_zones(zones),
            capacity=_CAPACITY.get(capacity, "on-demand") if isinstance(capacity, str) else "on-demand",
            fabric=_fabric(graph, instance, instance_type, lt),
            public_ips=_public_ips(graph, ng, lt, unknown),
            labels=labels, looks_like_accelerator=looks or instance is not None,
            unknown_inputs=unknown,
        ))
    return found


def file_systems(graph: Graph, catalog: Catalog) -> list[FileSystem]:
    offering = catalog.storage_offering("aws", "lustre")
    gib_per_tib = offering.gib_per_tib if offering else 1024.0
    found: list[FileSystem] = []
    for fs in graph.of_type(LUSTRE):
        unknown: dict[str, str] = {}
        gib = as_number(fs.inputs.get("storageCapacity"))
        capacity: float | Unknown = gib / gib_per_tib if isinstance(gib, float) else UNKNOWN
        if isinstance(capacity, Unknown):
            unknown["capacity_tib"] = "storageCapacity"
        per_tib: Any = as_number(fs.inputs.get("perUnitStorageThroughput"))
        if not isinstance(per_tib, float):
            unknown["throughput_mbps"] = "perUnitStorageThroughput" + (
                "" if isinstance(per_tib, Unknown) else " (not set: a scratch file system's throughput "
                "is not in the catalog)")
            per_tib = UNKNOWN
        throughput = capacity * per_tib if isinstance(capacity, float) and isinstance(per_tib, float) else UNKNOWN
        zones = zones_of_subnets(graph, fs, "subnetIds", SUBNET, "availabilityZone", unknown)
        key = fs.inputs.get("kmsKeyId")
        found.append(FileSystem(
            urn=fs.urn, name=fs.name, cloud="aws", resource_type=fs.type, kind="lustre",
            capacity_tib=capacity, throughput_mbps=throughput, zones=zones,
            region=region_of_zones(zones),
            encrypted=True,  # FSx for Lustre always encrypts data at rest
            monthly_usd=storage_monthly_usd(offering, capacity, per_tib),
            throughput_mbps_per_tib=per_tib,
            customer_managed_key=key is not None or bool(fs.resource.property_dependencies.get("kmsKeyId")),
            unknown_inputs=unknown,
        ))
    return found
