"""AWS: EKS managed node groups, self-managed Auto Scaling groups (with their launch template, placement
group and subnets), Karpenter NodePools, and FSx for Lustre."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from backbone.core.catalog import Catalog, InstanceType
from backbone.policies.inventory.common import (
    candidates_of,
    capacity_of_gib,
    count_or_unknown,
    decide_purpose,
    fabric_check,
    fabric_nics,
    is_accelerator_pool,
    karpenter_on_aks,
    labels_of,
    provider_setting,
    region_of_zones,
    storage_monthly_usd,
    unreadable_pool,
    zones_of_subnets,
)
from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.facts import UNKNOWN, AcceleratorPool, Candidate, FabricCheck, FileSystem, Unknown
from backbone.policies.inventory.families import FAMILIES
from backbone.policies.inventory.graph import Graph, Node
from backbone.policies.inventory.values import as_bool, as_dict, as_list, as_number, as_str, dig

__all__ = ["ENTRIES", "efa_fabric", "efa_interfaces", "launch_template", "placement", "public_ips", "region_of"]

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
AUTOSCALING_GROUP = "aws:autoscaling/group:Group"
KARPENTER_NODE_POOLS = ("kubernetes:karpenter.sh/v1:NodePool", "kubernetes:karpenter.sh/v1beta1:NodePool")
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
PLACEMENT_GROUP = "aws:ec2/placementGroup:PlacementGroup"
SUBNET = "aws:ec2/subnet:Subnet"
LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem"

EFA_TYPES = ("efa", "efa-only")
# What makes an instance an accelerator instance when the catalog does not know it: the GPU / Neuron
# EKS AMI types, and the accelerated instance families (p, g, trn, inf, dl).
_ACCELERATOR_AMI = re.compile(r"GPU|NVIDIA|NEURON", re.IGNORECASE)
_ACCELERATOR_FAMILY = FAMILIES["aws"]
_CAPACITY = {"SPOT": "spot", "CAPACITY_BLOCK": "capacity-block"}
RESERVED = ("reservation", "capacity-block")
"""Capacity the cloud places itself (a reservation, a Capacity Block): no placement group is asked."""
# Cluster Autoscaler's node-template tags carry a self-managed group's node labels.
_LABEL_TAG = "k8s.io/cluster-autoscaler/node-template/label/"
# Karpenter's well-known requirement keys and the extended resources its limits count.
_KARPENTER_TYPE = "node.kubernetes.io/instance-type"
_KARPENTER_FAMILIES = ("karpenter.k8s.aws/instance-family", "eks.amazonaws.com/instance-family")
"""Karpenter's family label, and EKS Auto Mode's (its NodePools are karpenter.sh/v1 NodePools whose NodeClass is
``eks.amazonaws.com``; the EKS user guide "Create a Node Pool for EKS Auto Mode" lists
``eks.amazonaws.com/instance-family`` among the labels a requirement may use)."""
_KARPENTER_ZONE = "topology.kubernetes.io/zone"
_KARPENTER_ACCELERATORS = ("nvidia.com/gpu", "aws.amazon.com/neuron", "aws.amazon.com/neuroncore")
_KARPENTER_MAKERS = {"nvidia.com/gpu": "nvidia", "aws.amazon.com/neuron": "aws", "aws.amazon.com/neuroncore": "aws"}
"""Whose devices each accelerator limit counts (the catalog's ``accelerator`` prefix): a node offers only its own
device plugin's resource, so a Neuron limit never stops Karpenter launching GPU nodes, nor a GPU limit Trainium
nodes. A NeuronCore limit is divided by the Neuron devices of a node (each has at least one core): an upper bound."""
_KARPENTER_SELECTORS = ("karpenter.k8s.aws/instance-category", "karpenter.k8s.aws/instance-generation",
                        "karpenter.k8s.aws/instance-gpu-count", "karpenter.k8s.aws/instance-gpu-name",
                        "karpenter.k8s.aws/instance-gpu-manufacturer")
"""Karpenter's well-known AWS labels a NodePool may select GPU types by instead of naming them (Karpenter docs,
"NodePools" → "Well-Known Labels", karpenter.sh/docs/concepts/scheduling, read 2026-12-07): the category (``p``,
``g``, ``trn``), the generation (``5``), the GPU count, name (``h100``) and manufacturer (``nvidia``)."""
_OPERATORS = ("In", "NotIn", "Gt", "Lt", "Exists", "DoesNotExist")
_FAMILY_PARTS = re.compile(r"^(?P<category>[a-z]+?)(?P<generation>\d+)")
_QUANTITY = re.compile(r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
_GIB = {"Ki": 2.0**-20, "Mi": 2.0**-10, "Gi": 1.0, "Ti": 2.0**10, "Pi": 2.0**20, "k": 1e3 / 2**30,
        "M": 1e6 / 2**30, "G": 1e9 / 2**30, "T": 1e12 / 2**30, "P": 1e15 / 2**30, None: 1.0 / 2**30}
"""A Kubernetes memory quantity's unit in GiB (binary suffixes are powers of 1,024, decimal ones of 1,000)."""


@dataclass(frozen=True)
class _Group:
    """One pool as its resource expresses it: the inputs that differ between a managed node group and a
    self-managed Auto Scaling group."""

    node: Node
    template_prop: str
    template_value: Any
    subnets_prop: str
    min_path: tuple[str, ...]
    max_path: tuple[str, ...]
    overrides: list[Any] | Unknown | None


def _node_group(ng: Node) -> _Group:
    return _Group(ng, "launchTemplate", ng.inputs.get("launchTemplate"), "subnetIds",
                  ("scalingConfig", "minSize"), ("scalingConfig", "maxSize"), None)


def _autoscaling_group(asg: Node) -> _Group:
    mixed = asg.inputs.get("mixedInstancesPolicy")
    if isinstance(mixed, dict):
        spec = dig(mixed, "launchTemplate", "launchTemplateSpecification")
        overrides = as_list(dig(mixed, "launchTemplate", "overrides"))
        return _Group(asg, "mixedInstancesPolicy", spec, "vpcZoneIdentifiers", ("minSize",), ("maxSize",),
                      overrides if isinstance(overrides, list | Unknown) else None)
    return _Group(asg, "launchTemplate", asg.inputs.get("launchTemplate"), "vpcZoneIdentifiers",
                  ("minSize",), ("maxSize",), None)


def _launch_template(graph: Graph, group: _Group, unknown: dict[str, str]) -> Node | None:
    return launch_template(graph, group.node, group.template_prop, group.template_value, unknown)


def launch_template(graph: Graph, node: Node, prop: str, value: Any, unknown: dict[str, str]) -> Node | None:
    """The launch template input ``prop`` of ``node`` names (``value``: the part of it that does), where it names
    exactly one of this stack; else None, and why in ``unknown["launch_template"]``."""
    if value is None:
        return None
    links = graph.links(node, prop, LAUNCH_TEMPLATE, value)
    if len(links.candidates) == 1:
        return links.candidates[0]
    unknown["launch_template"] = links.why_unknown("launch template")
    return None


def _instance_names(group: _Group, lt: Node | None, unknown: dict[str, str]) -> list[str] | Unknown | None:
    """The instance types the group may launch; None where it takes the service's default (no accelerator)."""
    node = group.node
    listed: Any = None
    path = ""
    if node.type == NODE_GROUP:
        listed, path = as_list(node.inputs.get("instanceTypes")), "instanceTypes"
    elif isinstance(group.overrides, Unknown):  # unknown overrides may name any type: not the template's
        listed, path = UNKNOWN, "mixedInstancesPolicy.launchTemplate.overrides"
    elif group.overrides is not None:
        listed = [dig(o, "instanceType") for o in group.overrides if dig(o, "instanceType") is not None]
        path = "mixedInstancesPolicy.launchTemplate.overrides[].instanceType"
    if isinstance(listed, Unknown) or any(isinstance(n, Unknown) for n in listed or []):
        unknown["instance_type"] = path
        return UNKNOWN
    names = [n for n in listed or [] if isinstance(n, str)]
    if names:
        return names
    if lt is not None:
        value = as_str(lt.inputs.get("instanceType"))
        if isinstance(value, Unknown):
            unknown["instance_type"] = f"{lt.name}.instanceType (launch template)"
            return UNKNOWN
        if isinstance(value, str):
            return [value]
        if lt.inputs.get("instanceRequirements") is not None:
            unknown["instance_type"] = (f"{lt.name}.instanceRequirements (attribute-based: the types are chosen "
                                        f"at launch)")
            return UNKNOWN
        return None
    if group.template_value is not None or node.type == AUTOSCALING_GROUP:
        unknown["instance_type"] = unknown.get("launch_template",
                                               f"{group.template_prop} (no launch template of this stack)")
        return UNKNOWN
    return None  # EKS's default (a general-purpose type): not an accelerator pool


def efa_interfaces(lt: Node | None) -> tuple[int | Unknown, list[str]]:
    """(EFA interfaces in the launch template, unknown inputs)."""
    if lt is None:
        return 0, []
    interfaces = as_list(lt.inputs.get("networkInterfaces"))
    if isinstance(interfaces, Unknown):
        return UNKNOWN, [f"{lt.name}.networkInterfaces"]
    unknown: list[str] = []
    count = 0
    for i, nic in enumerate(interfaces or []):
        kind = as_str(dig(nic, "interfaceType"))
        if isinstance(kind, Unknown):
            unknown.append(f"{lt.name}.networkInterfaces[{i}].interfaceType")
        elif kind in EFA_TYPES:
            count += 1
    return (UNKNOWN if unknown else count), unknown


def efa_fabric(instance: InstanceType | None, lt: Node | None, efa: int | Unknown, unknown: list[str]) -> FabricCheck:
    """EFA: one interface per EFA network card of the instance type, in the launch template."""
    if instance is None or not instance.has_fabric:
        return FabricCheck(False, gbps=0.0)
    need, needed, unknown = fabric_nics(instance, "EFA interfaces", unknown)
    if lt is None:
        return FabricCheck(False, missing=(
            f"no launch template, so none of the {needed} EFA interfaces {instance.instance_type} has are attached "
            f"(add a launch template with {needed} networkInterfaces of interfaceType efa, one per network card)",),
            gbps=0.0)
    missing: list[str] = []
    if isinstance(efa, int) and efa < need:
        missing.append(f"{efa} EFA interface(s) configured where {instance.instance_type} has {needed} "
                       f"(networkInterfaces with interfaceType efa, one per network card)")
    return fabric_check(instance, need, efa, missing, unknown)


def _capacity(group: _Group, lt: Node | None) -> str:
    """spot, reservation (an On-Demand Capacity Reservation), capacity-block or on-demand."""
    kind = as_str(group.node.inputs.get("capacityType"))
    if isinstance(kind, str) and kind in _CAPACITY:
        return _CAPACITY[kind]
    sources = [group.node.inputs] + ([lt.inputs] if lt is not None else [])
    for inputs in sources:
        spec = as_dict(inputs.get("capacityReservationSpecification"))
        if isinstance(spec, dict) and (dig(spec, "capacityReservationTarget") is not None or as_str(
                spec.get("capacityReservationPreference")) == "capacity-reservations-only"):
            return "reservation"
    market = None if lt is None else as_str(dig(lt.inputs, "instanceMarketOptions", "marketType"))
    if market == "capacity-block":
        return "capacity-block"
    return "spot" if market == "spot" else "on-demand"


def _placement(graph: Graph, group: _Group, lt: Node | None, capacity: str) -> tuple[bool | Unknown, str]:
    return placement(graph, [(group.node, "placementGroup", group.node.inputs.get("placementGroup"))], lt, capacity)


def placement(graph: Graph, sources: list[tuple[Node, str, Any]], lt: Node | None,
              capacity: str) -> tuple[bool | Unknown, str]:
    """(whether the nodes are placed close together, what to set otherwise), from the placement-group inputs
    ``sources`` ((resource, input, value)) and the launch template's ``placement.groupName``. A capacity
    reservation or a Capacity Block places the nodes itself: a placement group on top of it fails to launch."""
    if capacity in RESERVED:
        return True, ""
    fix = ("no cluster placement group: set the launch template's placement.groupName (or the group's "
           "placementGroup) to a placement group with strategy 'cluster'")
    sources = list(sources)
    if lt is not None:
        sources.append((lt, "placement", dig(lt.inputs, "placement", "groupName")))
    for node, prop, ref in sources:
        if ref is None:
            continue
        groups = graph.links(node, prop, PLACEMENT_GROUP, ref).candidates
        if len(groups) == 1:
            strategy = as_str(groups[0].inputs.get("strategy"))
            if isinstance(strategy, Unknown):
                return UNKNOWN, f"{groups[0].name}.strategy"
            if strategy == "cluster":
                return True, ""
            return False, f"placement group {groups[0].name} has strategy {strategy!r}: set strategy 'cluster'"
        if isinstance(ref, Unknown | str) or len(groups) > 1:
            return UNKNOWN, f"{node.name}.{prop} (a placement group outside this stack, or one of several)"
    return False, fix


def _public_ips(graph: Graph, group: _Group, lt: Node | None, unknown: dict[str, str]) -> bool | Unknown:
    return public_ips(graph, group.node, group.subnets_prop, None, lt, unknown)


def public_ips(graph: Graph, node: Node, subnets_prop: str, subnets: Any, lt: Node | None,
               unknown: dict[str, str]) -> bool | Unknown:
    """Whether the nodes get public IPs: the launch template's interfaces say so, else the subnets of input
    ``subnets_prop`` (``subnets``: the part of it that names them, when nested) map public IPs on launch."""
    interfaces = None if lt is None else as_list(lt.inputs.get("networkInterfaces"))
    if isinstance(interfaces, Unknown):
        unknown["public_ips"] = f"{lt.name if lt else ''}.networkInterfaces"
        return UNKNOWN
    said: list[bool] = []
    for i, nic in enumerate(interfaces or []):
        public = as_bool(dig(nic, "associatePublicIpAddress"))
        if isinstance(public, Unknown):
            unknown["public_ips"] = f"{lt.name if lt else ''}.networkInterfaces[{i}].associatePublicIpAddress"
        if public is True or isinstance(public, Unknown):
            return public
        said.append(public is False)
    if said and all(said):  # every interface says no public IP: the subnets' default does not apply
        return False
    links = graph.links(node, subnets_prop, SUBNET, subnets)
    for subnet in links.candidates:
        public = as_bool(subnet.inputs.get("mapPublicIpOnLaunch"))
        if isinstance(public, Unknown):
            unknown["public_ips"] = f"{subnets_prop} → {subnet.name}.mapPublicIpOnLaunch"
            return UNKNOWN
        if public is True:
            if links.exact:
                return True
            unknown["public_ips"] = (f"{links.why_unknown('subnet')}; {subnet.name} gives public IPs "
                                     f"(mapPublicIpOnLaunch)")
            return UNKNOWN
    return False


def _labels(group: _Group) -> dict[str, Any]:
    labels = labels_of(group.node.inputs.get("labels"))
    tags = as_list(group.node.inputs.get("tags"))
    for tag in tags if isinstance(tags, list) else []:
        key = as_str(dig(tag, "key"))
        if isinstance(key, str) and key.startswith(_LABEL_TAG):
            labels[key[len(_LABEL_TAG):]] = dig(tag, "value")
    return labels


def _zones(graph: Graph, group: _Group, unknown: dict[str, str]) -> tuple[str, ...] | Unknown:
    listed = as_list(group.node.inputs.get("availabilityZones"))
    by_zone = group.node.type == AUTOSCALING_GROUP and group.node.inputs.get(group.subnets_prop) is None
    if by_zone and isinstance(listed, list) and listed and all(isinstance(z, str) for z in listed):
        return tuple(dict.fromkeys(listed))
    return zones_of_subnets(graph, group.node, group.subnets_prop, SUBNET, "availabilityZone", unknown)


def _looks_like_accelerator(node: Node, names: list[str] | Unknown) -> bool:
    ami = as_str(node.inputs.get("amiType"))
    if isinstance(ami, str) and _ACCELERATOR_AMI.search(ami):
        return True
    return isinstance(names, list) and any(_ACCELERATOR_FAMILY.match(n) for n in names)


def region_of(node: Node, zones: tuple[str, ...] | Unknown) -> str | None:
    """The resource's own region input, else its zones' region, else the provider's ``region``."""
    own = as_str(node.inputs.get("region"))
    if isinstance(own, str):
        return own
    from_zones = region_of_zones(zones)
    if from_zones is not None:
        return from_zones
    configured = provider_setting(node, "region")
    return configured if isinstance(configured, str) else None


def _pool(graph: Graph, catalog: Catalog, group: _Group) -> AcceleratorPool | None:
    node = group.node
    if not node.readable:
        return unreadable_pool(node, "aws")
    unknown: dict[str, str] = {}
    lt = _launch_template(graph, group, unknown)
    names = _instance_names(group, lt, unknown)
    if names is None:
        return None
    efa, efa_unknown = efa_interfaces(lt)
    candidates: tuple[Candidate, ...] = ()
    instance_type: str | Unknown = UNKNOWN
    instance: InstanceType | None = None
    fabric = FabricCheck(UNKNOWN, unknown=("instance type",), gbps=UNKNOWN)
    if isinstance(names, list):
        candidates = candidates_of(catalog, names, lambda i: efa_fabric(i, lt, efa, efa_unknown))
        instance_type, instance, fabric = candidates[0].instance_type, candidates[0].instance, candidates[0].fabric
    looks = _looks_like_accelerator(node, names)
    if not any(is_accelerator_pool(c.instance, c.instance_type, looks) for c in candidates) and not isinstance(
            names, Unknown):
        return None
    min_nodes = count_or_unknown(dig(node.inputs, *group.min_path), ".".join(group.min_path), unknown, "min_nodes")
    max_nodes = count_or_unknown(dig(node.inputs, *group.max_path), ".".join(group.max_path), unknown, "max_nodes")
    capacity = _capacity(group, lt)
    compact, compact_missing = _placement(graph, group, lt, capacity)
    intent = []
    if isinstance(efa, int) and efa > 0:
        intent.append(f"{efa} EFA interface(s) on launch template {lt.name if lt else ''}")
    if compact is True and capacity not in RESERVED:
        intent.append("a cluster placement group")
    labels = _labels(group)
    purpose, declared = decide_purpose(labels, max_nodes, instance_type, tuple(intent))
    zones = _zones(graph, group, unknown)
    return AcceleratorPool(
        urn=node.urn, name=node.name, cloud="aws", resource_type=node.type,
        instance_type=instance_type, instance=instance,
        min_nodes=min_nodes, max_nodes=max_nodes, purpose=purpose, purpose_declared=declared,
        zones=zones, region=region_of(node, zones), capacity=capacity, fabric=fabric,
        public_ips=_public_ips(graph, group, lt, unknown),
        labels=labels, looks_like_accelerator=looks or instance is not None,
        unknown_inputs=unknown, candidates=candidates if len(candidates) > 1 else (),
        training_intent=tuple(intent), compact=compact, compact_missing=compact_missing,
    )


def _requirement(requirements: list[Any], key: str) -> list[str] | Unknown | None:
    """The values a Karpenter requirement allows (operator In); None where the key is not constrained."""
    for item in requirements:
        if as_str(dig(item, "key")) != key:
            continue
        if as_str(dig(item, "operator")) != "In":
            return UNKNOWN
        values = as_list(dig(item, "values"))
        if isinstance(values, Unknown) or any(not isinstance(v, str) for v in values or []):
            return UNKNOWN
        return list(values or [])
    return None


def _label_of(instance: InstanceType, key: str) -> str | None:
    """The value of Karpenter's well-known label ``key`` on nodes of ``instance`` (None: the label is absent, as
    the GPU labels are on a type without GPUs)."""
    parts = _FAMILY_PARTS.match(instance.instance_type.split(".")[0])
    accelerator = (instance.accelerator or "").split("-")
    gpu = accelerator[0] in ("nvidia", "amd") and instance.accelerator_count > 0
    if key.endswith("instance-category"):
        return parts.group("category") if parts else None
    if key.endswith("instance-generation"):
        return parts.group("generation") if parts else None
    if key.endswith("instance-gpu-count"):
        return str(instance.accelerator_count) if gpu else None
    if key.endswith("instance-gpu-name"):
        return accelerator[1] if gpu and len(accelerator) > 1 else None
    if key.endswith("instance-gpu-manufacturer"):
        return accelerator[0] if gpu else None
    return None


def _admits(item: Any, value: str | None) -> bool | Unknown:
    """Whether one requirement (key, operator, values) admits a node whose label is ``value``."""
    operator = as_str(dig(item, "operator"))
    values = as_list(dig(item, "values"))
    if operator not in _OPERATORS or isinstance(values, Unknown) or any(
            not isinstance(v, str | int | float) or isinstance(v, bool) for v in values or []):
        return UNKNOWN
    listed = [str(v) for v in values or []]
    if operator in ("Exists", "DoesNotExist"):
        return (value is not None) == (operator == "Exists")
    if operator in ("Gt", "Lt"):
        bound = as_number(listed[0]) if listed else None
        number = as_number(value) if value is not None else None
        if not isinstance(bound, float):
            return UNKNOWN
        return isinstance(number, float) and (number > bound if operator == "Gt" else number < bound)
    return (value in listed) == (operator == "In")


def _selected(catalog: Catalog, requirements: list[Any]) -> tuple[list[str] | Unknown | None, str]:
    """The catalog's AWS types every selector requirement admits (category, generation, GPU count, name,
    manufacturer), and the path of the requirements; None when the NodePool has no such requirement."""
    items = [i for i in requirements if as_str(dig(i, "key")) in _KARPENTER_SELECTORS]
    if not items:
        return None, ""
    path = "spec.template.spec.requirements[" + ", ".join(str(as_str(dig(i, "key"))) for i in items) + "]"
    names: list[str] = []
    for instance in catalog.for_cloud("aws"):
        verdicts = [_admits(i, _label_of(instance, str(as_str(dig(i, "key"))))) for i in items]
        if any(isinstance(v, Unknown) for v in verdicts):
            return UNKNOWN, f"{path} (an operator or value the pack cannot read)"
        if all(verdicts):
            names.append(instance.instance_type)
    return names, path


def _gib(value: Any) -> float | Unknown | None:
    """A Kubernetes memory quantity (``1000Gi``, ``4Ti``, ``512G``) in GiB."""
    if isinstance(value, Unknown):
        return UNKNOWN
    match = _QUANTITY.match(str(value)) if isinstance(value, str | int | float) else None
    return float(match.group("number")) * _GIB[match.group("unit")] if match else None


def _karpenter_pool(catalog: Catalog, node: Node) -> AcceleratorPool | None:
    """A Karpenter NodePool: its candidate types from the instance-type (or family) requirement, else from the
    catalog types its selectors (category, generation, GPU count, name, manufacturer) admit; its size from
    ``spec.limits`` (accelerators, CPU, memory: the first reached), per candidate. Its EFA and subnets live on the
    EC2NodeClass and the pods."""
    if not node.readable:
        return unreadable_pool(node, "aws")
    unknown: dict[str, str] = {}
    spec = as_dict(node.inputs.get("spec"))
    template_spec = dig(spec, "template", "spec")
    requirements = as_list(dig(template_spec, "requirements"))
    if not isinstance(requirements, list):
        return None
    names = _requirement(requirements, _KARPENTER_TYPE)
    path = f"spec.template.spec.requirements[{_KARPENTER_TYPE}]"
    for family_key in _KARPENTER_FAMILIES:
        if names is not None:
            break
        families = _requirement(requirements, family_key)
        if families is None:
            continue
        path = f"spec.template.spec.requirements[{family_key}]"
        if isinstance(families, list):
            names = [i.instance_type for i in catalog.for_cloud("aws")
                     if i.instance_type.split(".")[0] in families]
            if not names and any(_ACCELERATOR_FAMILY.match(f) for f in families):
                names = UNKNOWN
                unknown["instance_type"] = f"{path} (the catalog knows no type of {', '.join(families)})"
        else:
            names = families
    selected, selector_path = _selected(catalog, requirements)
    limits = dig(spec, "limits")
    if selected is not None and names is None and not _asks_for_accelerators(requirements) and not (
            isinstance(limits, dict) and any(limits.get(k) is not None for k in _KARPENTER_ACCELERATORS)):
        selected = None  # a general-purpose pool (a generation only): GPU types only for pods that ask for them
    if selected is not None:
        if isinstance(selected, Unknown) or names is None:
            names, path = selected, selector_path
            if isinstance(selected, Unknown):  # the path says why already
                unknown["instance_type"] = selector_path
        elif isinstance(names, list):  # Karpenter admits the types every requirement admits
            known = {i.instance_type for i in catalog.for_cloud("aws")}
            names = [n for n in names if n in selected or n not in known]
        if isinstance(names, list) and not names and _asks_for_accelerators(requirements):
            names = UNKNOWN
            unknown["instance_type"] = f"{selector_path} (the catalog knows no type these requirements admit)"
    if names is None or (isinstance(names, list) and not names):
        return None
    if isinstance(names, Unknown):
        unknown.setdefault("instance_type", f"{path} (not a plain 'In' list)")
    unfabric = FabricCheck(UNKNOWN, unknown=("EFA on the EC2NodeClass and the pods (not read by the pack)",),
                           gbps=UNKNOWN)
    candidates = candidates_of(catalog, names, lambda i: unfabric,
                               lambda i, n: _karpenter_max_nodes(limits, i, {})) if isinstance(names, list) else ()
    looks = isinstance(names, list) and any(_ACCELERATOR_FAMILY.match(n) for n in names)
    if candidates and not any(is_accelerator_pool(c.instance, c.instance_type, looks) for c in candidates):
        return None
    first = candidates[0] if candidates else None  # the most accelerators within the limits
    max_nodes = _karpenter_max_nodes(limits, first.instance if first else None, unknown)
    zones_listed = _requirement(requirements, _KARPENTER_ZONE)
    zones: tuple[str, ...] | Unknown
    if isinstance(zones_listed, list):
        zones = tuple(zones_listed)
    else:
        zones = UNKNOWN
        unknown["zones"] = f"spec.template.spec.requirements[{_KARPENTER_ZONE}] " + (
            "(not set: Karpenter picks among the subnets of its EC2NodeClass)" if zones_listed is None
            else "(not a plain 'In' list)")
    labels = labels_of(dig(spec, "template", "metadata", "labels"))
    instance_type: str | Unknown = first.instance_type if first else UNKNOWN
    purpose, declared = decide_purpose(labels, max_nodes, instance_type, ())
    return AcceleratorPool(
        urn=node.urn, name=node.name, cloud="aws", resource_type=node.type,
        instance_type=instance_type, instance=first.instance if first else None,
        min_nodes=0, max_nodes=max_nodes, purpose=purpose, purpose_declared=declared, zones=zones,
        region=region_of_zones(zones), capacity="on-demand",
        fabric=unfabric, public_ips=False, labels=labels, looks_like_accelerator=True,
        unknown_inputs=unknown, candidates=candidates if len(candidates) > 1 else (),
    )


def _asks_for_accelerators(requirements: list[Any]) -> bool:
    """Whether the requirements select accelerator nodes (a GPU label, or an accelerator category)."""
    for item in requirements:
        key = as_str(dig(item, "key"))
        values = as_list(dig(item, "values"))
        if isinstance(key, str) and "instance-gpu-" in key and as_str(dig(item, "operator")) != "DoesNotExist":
            return True
        if key == _KARPENTER_SELECTORS[0] and isinstance(values, list) and any(
                isinstance(v, str) and _ACCELERATOR_FAMILY.match(v + "1") for v in values):
            return True
    return False


def _karpenter_max_nodes(limits: Any, instance: InstanceType | None, unknown: dict[str, str]) -> int | Unknown:
    """Nodes Karpenter may launch under ``spec.limits``: the fewest any of its accelerator, CPU and memory limits
    allows (Karpenter stops launching at the first limit reached)."""
    if not isinstance(limits, dict):
        unknown["max_nodes"] = "spec.limits (not set: Karpenter launches nodes without bound)"
        return UNKNOWN
    unread = [k for k in (*_KARPENTER_ACCELERATORS, "cpu", "memory") if isinstance(limits.get(k), Unknown)]
    if unread:
        unknown["max_nodes"] = f"spec.limits.{unread[0]}"
        return UNKNOWN
    if instance is None:
        unknown["max_nodes"] = "spec.limits (the catalog does not know the node size)"
        return UNKNOWN
    counts: list[int] = []
    maker = (instance.accelerator or "").split("-")[0]
    for key in _KARPENTER_ACCELERATORS:
        limit = as_number(limits.get(key))
        if isinstance(limit, float) and instance.accelerator_count and maker == _KARPENTER_MAKERS[key]:
            counts.append(math.ceil(limit / instance.accelerator_count))
    cpu = as_number(limits.get("cpu"))
    if isinstance(cpu, float) and instance.vcpus:
        counts.append(math.ceil(cpu / instance.vcpus))
    memory = _gib(limits.get("memory"))
    if isinstance(memory, float) and instance.memory_gib:
        counts.append(math.ceil(memory / instance.memory_gib))
    if counts:
        return min(counts)
    own = [key for key in _KARPENTER_ACCELERATORS if _KARPENTER_MAKERS[key] == maker]
    unknown["max_nodes"] = f"spec.limits (no {', '.join([*own, 'cpu'])} or memory limit)"
    return UNKNOWN


def read_node_groups(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    return [pool for n in nodes if (pool := _pool(graph, catalog, _node_group(n))) is not None]


def read_autoscaling_groups(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    return [pool for n in nodes if (pool := _pool(graph, catalog, _autoscaling_group(n))) is not None]


def read_karpenter_node_pools(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """EC2 NodePools; those of an ``AKSNodeClass`` are Karpenter on AKS (``azure_vms`` reads them)."""
    return [pool for n in nodes if not (n.readable and karpenter_on_aks(n.inputs))
            and (pool := _karpenter_pool(catalog, n)) is not None]


SCRATCH_MBPS_PER_TIB = 200.0
"""FSx for Lustre, "Deployment options" (docs.aws.amazon.com/fsx/latest/LustreGuide/using-fsx-lustre.html, read
2026-12-07): scratch file systems (SCRATCH_1, SCRATCH_2) have a baseline throughput of 200 MBps per TiB of
storage (bursting up to six times that on credits; the baseline is what a training job can count on)."""
LUSTRE_TIERS: dict[tuple[str, str], tuple[float, ...]] = {
    ("PERSISTENT_1", "SSD"): (50.0, 100.0, 200.0),
    ("PERSISTENT_1", "HDD"): (12.0, 40.0),
    ("PERSISTENT_2", "SSD"): (125.0, 250.0, 500.0, 1000.0),
}
"""FSx API, CreateFileSystemLustreConfiguration.PerUnitStorageThroughput (docs.aws.amazon.com/fsx/latest/APIReference/
API_CreateFileSystemLustreConfiguration.html, read 2026-12-07): required with PERSISTENT_1 and PERSISTENT_2, the
valid values per deployment type and storage class; it does not apply to the scratch types."""


def _lustre_throughput(inputs: dict[str, Any], unknown: dict[str, str]) -> tuple[float | Unknown, str]:
    """(MB/s per TiB, why AWS would refuse the file system — "" when it would not)."""
    read = {key: inputs.get(key) for key in ("deploymentType", "storageType", "perUnitStorageThroughput")}
    for path, value in read.items():
        if isinstance(value, Unknown):
            unknown["throughput_mbps"] = path
            return UNKNOWN, ""
    deployment = str(as_str(read["deploymentType"]) or "SCRATCH_1")  # the FSx API's default deployment type
    storage = str(as_str(read["storageType"]) or "SSD")
    per_tib = as_number(read["perUnitStorageThroughput"])
    if deployment.startswith("SCRATCH"):
        if per_tib is not None:
            return UNKNOWN, (f"perUnitStorageThroughput {per_tib:g} is set on a {deployment} file system: AWS accepts "
                             f"it only with PERSISTENT_1 and PERSISTENT_2 (a scratch file system has "
                             f"{SCRATCH_MBPS_PER_TIB:g} MB/s/TiB): remove it, or pick a persistent deployment type")
        return SCRATCH_MBPS_PER_TIB, ""
    tiers = LUSTRE_TIERS.get((deployment, storage))
    if tiers is None:
        unknown["throughput_mbps"] = (f"deploymentType {deployment} with storageType {storage} (its "
                                      f"throughput is not per TiB of storage, or not known to the pack)")
        return UNKNOWN, ""
    allowed = ", ".join(f"{t:g}" for t in tiers)
    if per_tib is None:
        return UNKNOWN, (f"perUnitStorageThroughput is not set: AWS requires it for {deployment} "
                         f"({storage}); valid values are {allowed} MB/s/TiB")
    if per_tib not in tiers:
        return UNKNOWN, (f"perUnitStorageThroughput {per_tib:g} is not valid for {deployment} ({storage}): "
                         f"AWS accepts {allowed} MB/s/TiB")
    return per_tib, ""


def read_lustre(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[FileSystem]:
    offering = catalog.storage_offering("aws", "lustre")
    found: list[FileSystem] = []
    for fs in nodes:
        unknown: dict[str, str] = {}
        # storageCapacity is in GiB (FSx API, CreateFileSystem.StorageCapacity); FSx's TiB is the catalog's
        capacity = capacity_of_gib(offering, fs.inputs.get("storageCapacity"), "storageCapacity", unknown)
        per_tib, invalid = _lustre_throughput(fs.inputs, unknown)
        if invalid:
            unknown["throughput_mbps"] = f"perUnitStorageThroughput (invalid: {invalid})"
        throughput = capacity * per_tib if isinstance(capacity, float) and isinstance(per_tib, float) else UNKNOWN
        zones = zones_of_subnets(graph, fs, "subnetIds", SUBNET, "availabilityZone", unknown)
        found.append(FileSystem(
            urn=fs.urn, name=fs.name, cloud="aws", resource_type=fs.type, kind="lustre",
            capacity_tib=capacity, throughput_mbps=throughput, zones=zones,
            region=region_of_zones(zones),
            # FSx for Lustre encrypts every file system at rest; only the key is a choice (kmsKeyId, persistent
            # deployment types only): https://docs.aws.amazon.com/fsx/latest/LustreGuide/encryption-at-rest.html
            monthly_usd=storage_monthly_usd(offering, capacity, per_tib),
            throughput_mbps_per_tib=per_tib, offering=offering,
            customer_managed_key=_customer_key(fs, "kmsKeyId"),
            unknown_inputs=unknown, invalid=invalid,
        ))
    return found


def _customer_key(fs: Node, prop: str) -> bool:
    """Whether input ``prop`` names a key (a literal ARN, or a key resource of the stack)."""
    return fs.inputs.get(prop) is not None or bool(fs.resource.property_dependencies.get(prop))


ENTRIES = (
    Entry(NODE_GROUP, "aws", "pool", "EKS managed node group",
          "`instanceTypes`, else the launch template's `instanceType`; `scalingConfig.minSize/maxSize`; `subnetIds`; "
          "`capacityType` (`SPOT`, `CAPACITY_BLOCK`); `labels`; `amiType`", read_node_groups),
    Entry(AUTOSCALING_GROUP, "aws", "pool", "self-managed Auto Scaling group (what pulumi-eks creates)",
          "`launchTemplate`, or `mixedInstancesPolicy.launchTemplate` (`launchTemplateSpecification`, "
          "`overrides[].instanceType` = the candidate types); `minSize`/`maxSize`; `vpcZoneIdentifiers`, else "
          "`availabilityZones`; `placementGroup`; `capacityReservationSpecification`; `tags` (node labels)",
          read_autoscaling_groups),
    *(Entry(token, "aws", "pool", "Karpenter NodePool (a `CustomResource` of pulumi_kubernetes)",
            "`spec.template.spec.requirements`: `node.kubernetes.io/instance-type` (`In`) gives the candidate types, "
            "else `karpenter.k8s.aws/instance-family` (or EKS Auto Mode's `eks.amazonaws.com/instance-family`) "
            "gives every catalog type of those families, else the catalog types that `karpenter.k8s.aws/"
            "instance-category`, `instance-generation`, `instance-gpu-count`, `instance-gpu-name` and "
            "`instance-gpu-manufacturer` admit (`In`, `NotIn`, `Gt`, `Lt`, `Exists`); `topology.kubernetes.io/zone` "
            "gives the zones; `spec.limits` (`nvidia.com/gpu`, `aws.amazon.com/neuron`, `cpu`, `memory`: the first "
            "reached) gives the most nodes, of the candidate with the most accelerators within them",
            read_karpenter_node_pools) for token in KARPENTER_NODE_POOLS),
    Entry(LUSTRE, "aws", "file system", "FSx for Lustre",
          "`storageCapacity` (GiB; FSx's TiB is 1,000 of them, the catalog's `gib_per_tib`), `deploymentType` "
          "(SCRATCH_1, SCRATCH_2: 200 MB/s/TiB; PERSISTENT_1, PERSISTENT_2: `perUnitStorageThroughput`, a value AWS "
          "refuses for the type is reported as invalid), `storageType`, `subnetIds`, `kmsKeyId`", read_lustre),
)
"""What this module reads (the reader registry gathers it: ``backbone.policies.inventory.registry``)."""
