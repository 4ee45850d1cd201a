"""Azure accelerators outside AKS agent pools: virtual machine scale sets (sized by their autoscale setting), single
virtual machines, Azure Machine Learning compute, and Karpenter NodePools on AKS (node auto-provisioning).

An N-series VM size's InfiniBand comes with the size (nothing to attach, unlike EFA); an InfiniBand size is read as
training intent, as for AKS agent pools. Links follow the resource graph: an autoscale setting's
``targetResourceUri`` → its scale set.
"""

from __future__ import annotations

import math
from typing import Any

from backbone.core.catalog import Catalog, InstanceType
from backbone.policies.inventory.aws import KARPENTER_NODE_POOLS
from backbone.policies.inventory.azure import location_of, zones_of
from backbone.policies.inventory.common import (
    count_or_unknown,
    decide_purpose,
    each_pool,
    is_accelerator_pool,
    karpenter_on_aks,
    labels_of,
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
from backbone.policies.inventory.graph import Graph, Node
from backbone.policies.inventory.values import as_bool, as_count, as_dict, as_list, as_number, as_str, dig

__all__ = ["AML_COMPUTE", "AUTOSCALE_SETTINGS", "ENTRIES", "KARPENTER_NODE_POOLS", "SCALE_SET", "VIRTUAL_MACHINE"]

SCALE_SET = "azure-native:compute:VirtualMachineScaleSet"
VIRTUAL_MACHINE = "azure-native:compute:VirtualMachine"
AUTOSCALE_SETTINGS = ("azure-native:insights:AutoscaleSetting", "azure-native:monitor:AutoscaleSetting")
AML_COMPUTE = "azure-native:machinelearningservices:Compute"

_AML_TYPES = ("AmlCompute", "ComputeInstance")
"""AzureML compute types that run VMs of a ``vmSize`` (a cluster, or one compute instance)."""
_SKU_NAME_KEYS = ("karpenter.azure.com/sku-name", "node.kubernetes.io/instance-type")
_SKU_FAMILY = "karpenter.azure.com/sku-family"
_SKU_GPU_NAME = "karpenter.azure.com/sku-gpu-name"
_SKU_GPU_COUNT = "karpenter.azure.com/sku-gpu-count"
_SKU_GPU_MAKER = "karpenter.azure.com/sku-gpu-manufacturer"
_ZONE = "topology.kubernetes.io/zone"
_CAPACITY_TYPE = "karpenter.sh/capacity-type"


def _fabric(size: str | Unknown, instance: InstanceType | None, at: str) -> FabricCheck:
    if isinstance(size, Unknown):
        return FabricCheck(UNKNOWN, unknown=(at,), gbps=UNKNOWN)
    if instance is None or not instance.has_fabric:
        return FabricCheck(False, gbps=0.0)
    return FabricCheck(True, gbps=instance.fabric_gbps)  # InfiniBand comes with the N-series size


def _intent(size: str | Unknown, instance: InstanceType | None, partitioned: bool = False) -> tuple[str, ...]:
    if instance is not None and instance.fabric == "infiniband" and not partitioned:
        return (f"{size}, an InfiniBand size",)
    return ()


def _vm_pool(catalog: Catalog, node: Node, name: str, size: str | Unknown | None, at: str,
             min_nodes: int | Unknown, max_nodes: int | Unknown, zones: tuple[str, ...] | Unknown,
             region: str | None, capacity: str, public_ips: bool | Unknown, labels: dict[str, Any],
             unknown: dict[str, str], partitioned: bool = False) -> AcceleratorPool | None:
    """A pool of VMs of one size (a scale set, a VM, an AzureML cluster)."""
    if size is None:
        return None
    if isinstance(size, Unknown):
        unknown["instance_type"] = at
    instance = catalog.find(size) if isinstance(size, str) else None
    looks = isinstance(size, str) and bool(FAMILIES["azure"].match(size))
    if not is_accelerator_pool(instance, size, looks):
        return None
    intent = _intent(size, instance, partitioned)
    purpose, declared = decide_purpose(labels, max_nodes, size, intent)
    return AcceleratorPool(
        urn=node.urn, name=name, cloud="azure", resource_type=node.type, instance_type=size, instance=instance,
        min_nodes=min_nodes, max_nodes=max_nodes, purpose=purpose, purpose_declared=declared, zones=zones,
        region=region, capacity=capacity, fabric=_fabric(size, instance, at), public_ips=public_ips,
        labels=labels, looks_like_accelerator=looks or instance is not None, unknown_inputs=unknown,
        training_intent=intent,
    )


def _autoscale_by_target(graph: Graph) -> dict[str, list[Node]]:
    """Autoscale settings by the URN of the scale set their ``targetResourceUri`` names (through the graph)."""
    found: dict[str, list[Node]] = {}
    for kind in AUTOSCALE_SETTINGS:
        for setting in graph.of_type(kind):
            for target in graph.links(setting, "targetResourceUri", SCALE_SET).candidates:
                found.setdefault(target.urn, []).append(setting)
    return found


def _scale_set_size(node: Node, settings: list[Node], unknown: dict[str, str]) -> tuple[int | Unknown, int | Unknown]:
    """(min, max) instances: the autoscale setting's profiles (the widest of them), else ``sku.capacity``."""
    enabled = [s for s in settings if as_bool(s.inputs.get("enabled")) is not False]
    if len(enabled) > 1:
        unknown["min_nodes"] = unknown["max_nodes"] = f"{len(enabled)} autoscale settings target {node.name}"
        return UNKNOWN, UNKNOWN
    if enabled:
        setting = enabled[0]
        profiles = as_list(setting.inputs.get("profiles"))
        if not isinstance(profiles, list) or not profiles:
            unknown["min_nodes"] = unknown["max_nodes"] = f"{setting.name}.profiles"
            return UNKNOWN, UNKNOWN
        lows: list[int] = []
        highs: list[int] = []
        for i, profile in enumerate(profiles):
            path = f"{setting.name}.profiles[{i}].capacity"
            low = count_or_unknown(dig(profile, "capacity", "minimum"), f"{path}.minimum", unknown, "min_nodes")
            high = count_or_unknown(dig(profile, "capacity", "maximum"), f"{path}.maximum", unknown, "max_nodes")
            if isinstance(low, int):
                lows.append(low)
            if isinstance(high, int):
                highs.append(high)
        return (min(lows) if len(lows) == len(profiles) else UNKNOWN,
                max(highs) if len(highs) == len(profiles) else UNKNOWN)
    count = count_or_unknown(dig(node.inputs, "sku", "capacity"), f"{node.name}.sku.capacity", unknown, "max_nodes")
    if isinstance(count, Unknown):
        unknown["min_nodes"] = unknown["max_nodes"]
    return count, count


def _spot(priority: Any) -> str:
    """Azure's Spot priority (``Low`` is its older name)."""
    return "spot" if as_str(priority) in ("Spot", "Low") else "on-demand"


def _scale_set_public_ips(node: Node, unknown: dict[str, str]) -> bool | Unknown:
    configs = as_list(dig(node.inputs, "virtualMachineProfile", "networkProfile", "networkInterfaceConfigurations"))
    if isinstance(configs, Unknown):
        unknown["public_ips"] = "virtualMachineProfile.networkProfile.networkInterfaceConfigurations"
        return UNKNOWN
    for nic in configs or []:
        ips = as_list(dig(nic, "ipConfigurations"))
        if isinstance(ips, Unknown):
            unknown["public_ips"] = "virtualMachineProfile.networkProfile.networkInterfaceConfigurations"
            return UNKNOWN
        if any(dig(ip, "publicIPAddressConfiguration") is not None for ip in ips or []):
            return True
    return False


def read_scale_sets(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    settings = _autoscale_by_target(graph)
    def one(node: Node) -> AcceleratorPool | None:
        unknown: dict[str, str] = {}
        region = location_of(graph, node)
        low, high = _scale_set_size(node, settings.get(node.urn, []), unknown)
        pool = _vm_pool(catalog, node, node.name, as_str(dig(node.inputs, "sku", "name")), "sku.name", low, high,
                        zones_of(node.inputs.get("zones"), region, unknown, "zones"), region,
                        _spot(dig(node.inputs, "virtualMachineProfile", "priority")),
                        _scale_set_public_ips(node, unknown), labels_of(node.inputs.get("tags")), unknown)
        return pool

    return each_pool(nodes, "azure", one)


def read_virtual_machines(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """Each virtual machine is a pool of one; its network interfaces are separate resources (public IPs: not
    read here, so not claimed)."""
    def one(node: Node) -> AcceleratorPool | None:
        unknown: dict[str, str] = {"public_ips": "networkProfile (its network interfaces are separate resources)"}
        region = location_of(graph, node)
        pool = _vm_pool(catalog, node, node.name, as_str(dig(node.inputs, "hardwareProfile", "vmSize")),
                        "hardwareProfile.vmSize", 1, 1, zones_of(node.inputs.get("zones"), region, unknown, "zones"),
                        region, _spot(node.inputs.get("priority")), UNKNOWN, labels_of(node.inputs.get("tags")),
                        unknown)
        return pool

    return each_pool(nodes, "azure", one)


def read_aml_computes(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """AzureML compute: a cluster (``AmlCompute``: ``vmSize``, ``scaleSettings``) or one compute instance."""
    def one(node: Node) -> AcceleratorPool | None:
        kind = as_str(dig(node.inputs, "properties", "computeType"))
        if isinstance(kind, str) and kind not in _AML_TYPES:
            return None  # attached compute (AKS, Kubernetes, Databricks …): its VMs are another resource's
        unknown: dict[str, str] = {}
        inner = dig(node.inputs, "properties", "properties")
        at = "properties.properties."
        if kind == "ComputeInstance":
            low: int | Unknown = 1
            high: int | Unknown = 1
        else:
            minimum = dig(inner, "scaleSettings", "minNodeCount")  # AzureML's default minimum is 0
            low = count_or_unknown(0 if minimum is None else minimum, f"{at}scaleSettings.minNodeCount", unknown,
                                   "min_nodes")
            high = count_or_unknown(dig(inner, "scaleSettings", "maxNodeCount"),
                                    f"{at}scaleSettings.maxNodeCount", unknown, "max_nodes")
        public = as_bool(dig(inner, "enableNodePublicIp"))
        if isinstance(public, Unknown):
            unknown["public_ips"] = f"{at}enableNodePublicIp"
        region = location_of(graph, node)
        size = as_str(dig(inner, "vmSize")) if not isinstance(kind, Unknown) else UNKNOWN
        # An AzureML cluster has no zone input: one regional scale set, as an AKS pool without zones.
        pool = _vm_pool(catalog, node, node.name, size, f"{at}vmSize", low, high, (), region,
                        "spot" if as_str(dig(inner, "vmPriority")) == "LowPriority" else "on-demand",
                        True if public is None else public, labels_of(node.inputs.get("tags")), unknown)
        return pool

    return each_pool(nodes, "azure", one)


def _requirement(requirements: list[Any], key: str) -> dict[str, Any] | None:
    for item in requirements:
        if as_str(dig(item, "key")) == key:
            return item if isinstance(item, dict) else None
    return None


def _allows(requirement: dict[str, Any] | None, value: str | int, numeric: bool = False) -> bool | Unknown:
    """Whether a Karpenter requirement (``In``, ``NotIn``, ``Gt``, ``Lt``, ``Exists``) lets ``value`` through."""
    if requirement is None:
        return True
    operator = as_str(requirement.get("operator"))
    values = as_list(requirement.get("values"))
    if isinstance(operator, Unknown) or isinstance(values, Unknown):
        return UNKNOWN
    texts = [str(v) for v in values or [] if isinstance(v, str | int | float)]
    if operator in ("Gt", "Lt") and numeric and texts:
        bound = as_number(texts[0])
        if not isinstance(bound, float):
            return UNKNOWN
        return float(value) > bound if operator == "Gt" else float(value) < bound
    if operator == "Exists":
        return True
    if operator == "In":
        return any(_matches(str(value), t, numeric) for t in texts)
    if operator == "NotIn":
        return not any(_matches(str(value), t, numeric) for t in texts)
    return UNKNOWN


def _matches(value: str, wanted: str, numeric: bool) -> bool:
    return float(value) == as_number(wanted) if numeric else value.lower() == wanted.lower()


def _family(size: str) -> str:
    """``Standard_ND96isr_H100_v5`` → ``ND`` (the letters before the vCPU count)."""
    body = size.removeprefix("Standard_")
    letters = ""
    for char in body:
        if char.isdigit():
            break
        letters += char
    return letters


def _gpu_name(instance: InstanceType) -> str:
    """``nvidia-h100-80gb`` → ``H100``: the name AKS's ``sku-gpu-name`` label gives."""
    parts = (instance.accelerator or "").split("-")
    return parts[1].upper() if len(parts) > 1 else ""


def _karpenter_candidates(catalog: Catalog, requirements: list[Any],
                          unknown: dict[str, str]) -> tuple[list[str] | Unknown | None, str]:
    """(the sizes a NodePool may launch, the requirement that chose them); None where nothing selects GPUs."""
    for key in _SKU_NAME_KEYS:
        named = _requirement(requirements, key)
        if named is None:
            continue
        values = as_list(named.get("values"))
        if as_str(named.get("operator")) != "In" or not isinstance(values, list):
            unknown["instance_type"] = f"spec.template.spec.requirements[{key}] (not a plain 'In' list)"
            return UNKNOWN, key
        return [v for v in values if isinstance(v, str)], key
    selectors = {k: _requirement(requirements, k) for k in (_SKU_FAMILY, _SKU_GPU_NAME, _SKU_GPU_COUNT,
                                                             _SKU_GPU_MAKER)}
    chosen = [k for k, v in selectors.items() if v is not None]
    if not chosen:
        return None, ""
    sizes: list[str] = []
    for row in catalog.for_cloud("azure"):
        family = selectors[_SKU_FAMILY]
        verdicts = [
            _family_prefix(family, row.instance_type) if family is not None and as_str(family.get("operator")) == "In"
            else _allows(family, _family(row.instance_type)),
            _allows(selectors[_SKU_GPU_NAME], _gpu_name(row)),
            _allows(selectors[_SKU_GPU_COUNT], row.accelerator_count, numeric=True),
            _allows(selectors[_SKU_GPU_MAKER], (row.accelerator or "").split("-")[0]),
        ]
        if any(isinstance(v, Unknown) for v in verdicts):
            unknown["instance_type"] = f"spec.template.spec.requirements[{', '.join(chosen)}] (operator not read)"
            return UNKNOWN, ", ".join(chosen)
        if all(verdicts) and row.accelerator_count:
            sizes.append(row.instance_type)
    gpu_wanted = any(k != _SKU_FAMILY for k in chosen) or _asks_n_family(selectors[_SKU_FAMILY])
    if not sizes and gpu_wanted:
        unknown["instance_type"] = (f"spec.template.spec.requirements[{', '.join(chosen)}] (the catalog knows no "
                                    f"Azure GPU size that matches)")
        return UNKNOWN, ", ".join(chosen)
    return (sizes or None), ", ".join(chosen)


def _family_prefix(requirement: dict[str, Any] | None, size: str) -> bool:
    """AKS's ``sku-family`` is the family letter (``N`` for the GPU sizes); ``ND`` narrows it."""
    if requirement is None:
        return False
    values = as_list(requirement.get("values"))
    family = _family(size).upper()
    return isinstance(values, list) and any(isinstance(v, str) and v and family.startswith(v.upper())
                                            for v in values)


def _asks_n_family(requirement: dict[str, Any] | None) -> bool:
    values = as_list(requirement.get("values")) if requirement else None
    return isinstance(values, list) and any(isinstance(v, str) and v.upper().startswith("N") for v in values)


def _karpenter_max_nodes(limits: Any, instance: InstanceType | None, unknown: dict[str, str]) -> int | Unknown:
    """Nodes NAP may launch under ``spec.limits``: ``nodes`` (a static pool's bound), else by GPUs, else by CPU."""
    if not isinstance(limits, dict):
        unknown["max_nodes"] = "spec.limits (not set: node auto-provisioning launches nodes up to your quota)"
        return UNKNOWN
    nodes = as_count(limits.get("nodes"))
    if isinstance(nodes, int):
        return nodes
    if instance is None:
        unknown["max_nodes"] = "spec.limits (the catalog does not know the VM size)"
        return UNKNOWN
    gpus = as_number(limits.get("nvidia.com/gpu"))
    if isinstance(gpus, float) and instance.accelerator_count:
        return math.ceil(gpus / instance.accelerator_count)
    cpu = as_number(limits.get("cpu"))
    if isinstance(cpu, float) and instance.vcpus:
        return math.ceil(cpu / instance.vcpus)
    unknown["max_nodes"] = "spec.limits (no nodes, nvidia.com/gpu or cpu limit)"
    return UNKNOWN


def _karpenter_pool(catalog: Catalog, node: Node) -> AcceleratorPool | None:
    spec = as_dict(node.inputs.get("spec"))
    template_spec = dig(spec, "template", "spec")
    requirements = as_list(dig(template_spec, "requirements"))
    if not isinstance(requirements, list):
        return None
    unknown: dict[str, str] = {}
    names, chosen_by = _karpenter_candidates(catalog, requirements, unknown)
    if names is None:
        return None
    candidates: tuple[Candidate, ...] = ()
    if isinstance(names, list):
        candidates = tuple(least_favourable_first([
            Candidate(n, (i := catalog.find(n)), _fabric(n, i, chosen_by)) for n in dict.fromkeys(names)]))
        looks = any(FAMILIES["azure"].match(n) for n in names)
        if not any(is_accelerator_pool(c.instance, c.instance_type, looks) for c in candidates):
            return None
    first = candidates[0] if candidates else None
    instance = first.instance if first else None
    instance_type: str | Unknown = first.instance_type if first else UNKNOWN
    max_nodes = _karpenter_max_nodes(dig(spec, "limits"), instance, unknown)
    zone_requirement = _requirement(requirements, _ZONE)
    zone_values = as_list(zone_requirement.get("values")) if zone_requirement else None
    zones: tuple[str, ...] | Unknown
    if zone_requirement and as_str(zone_requirement.get("operator")) == "In" and isinstance(zone_values, list):
        zones = tuple(str(z) for z in zone_values)
    else:
        zones = UNKNOWN
        unknown["zones"] = (f"spec.template.spec.requirements[{_ZONE}] (not set: node auto-provisioning picks the "
                            f"zones of the AKSNodeClass's subnet)")
    capacity = _requirement(requirements, _CAPACITY_TYPE)
    spot_only = capacity is not None and as_str(capacity.get("operator")) == "In" and as_list(
        capacity.get("values")) == ["spot"]
    labels = labels_of(dig(spec, "template", "metadata", "labels"))
    # InfiniBand is training intent where the program chose it: every size the pool may launch has it. A pool that
    # admits any NVIDIA size (a serving or notebook pool) does not train because one of its sizes could.
    chosen = all(c.instance is not None and c.instance.fabric == "infiniband" for c in candidates)
    intent = _intent(instance_type, instance) if chosen else ()
    purpose, declared = decide_purpose(labels, max_nodes, instance_type, intent)
    region = zones[0].rpartition("-")[0] or None if isinstance(zones, tuple) and zones else None
    static = as_count(dig(spec, "replicas"))
    return AcceleratorPool(
        urn=node.urn, name=node.name, cloud="azure", resource_type=node.type, instance_type=instance_type,
        instance=instance, min_nodes=static if isinstance(static, int) else 0, max_nodes=max_nodes,
        purpose=purpose, purpose_declared=declared, zones=zones, region=region,
        capacity="spot" if spot_only else "on-demand",
        fabric=first.fabric if first else FabricCheck(UNKNOWN, unknown=(chosen_by,), gbps=UNKNOWN),
        public_ips=False, labels=labels, looks_like_accelerator=True, unknown_inputs=unknown,
        candidates=candidates if len(candidates) > 1 else (), training_intent=intent,
    )


def read_karpenter_node_pools(graph: Graph, catalog: Catalog, nodes: list[Node]) -> list[AcceleratorPool]:
    """Karpenter NodePools whose node class is an ``AKSNodeClass`` (AKS node auto-provisioning); the others, and an
    unreadable one (its cloud cannot be told), are the AWS reader's."""
    return [pool for node in nodes if node.readable and karpenter_on_aks(node.inputs)
            and (pool := _karpenter_pool(catalog, node)) is not None]


ENTRIES = (
    Entry(SCALE_SET, "azure", "pool", "virtual machine scale set",
          "`sku.name` (the VM size); the autoscale setting that targets it, else `sku.capacity`; `zones`; "
          "`virtualMachineProfile.priority` (`Spot`, `Low`); a public IP configuration on its NICs; `tags` (the "
          "purpose label)", read_scale_sets),
    Entry(VIRTUAL_MACHINE, "azure", "pool", "virtual machine (a pool of one)",
          "`hardwareProfile.vmSize`, `zones`, `priority`, `tags`; its network interfaces are separate resources, so "
          "its public IP is unknown", read_virtual_machines),
    Entry(AML_COMPUTE, "azure", "pool", "Azure Machine Learning compute",
          "`properties.computeType` `AmlCompute` (`properties.properties.vmSize`, `vmPriority` `LowPriority` = spot, "
          "`scaleSettings.minNodeCount`/`maxNodeCount`, `enableNodePublicIp`, default true) or `ComputeInstance` "
          "(one VM); attached compute (AKS, Kubernetes …) runs on another resource's VMs", read_aml_computes),
    *(Entry(token, "azure", "pool", "Karpenter on AKS (node auto-provisioning): a NodePool of an `AKSNodeClass`",
            "`spec.template.spec.nodeClassRef` (group `karpenter.azure.com`), else requirements on "
            "`karpenter.azure.com/` labels; candidates from `karpenter.azure.com/sku-name` or "
            "`node.kubernetes.io/instance-type` (`In`), else the catalog's Azure sizes that `sku-family` (`N`, `ND`), "
            "`sku-gpu-name` (`H100`), `sku-gpu-count` (`In`, `Gt`, `Lt`) and `sku-gpu-manufacturer` admit; "
            "`spec.limits` (`nodes`, else `nvidia.com/gpu`, else `cpu`); `spec.replicas`; "
            "`topology.kubernetes.io/zone`; `karpenter.sh/capacity-type`", read_karpenter_node_pools)
      for token in KARPENTER_NODE_POOLS),
    *(Entry(token, "azure", "link", "autoscale setting",
            "`targetResourceUri` (its scale set), `enabled` (azure-native's default is false: a disabled setting "
            "leaves `sku.capacity`), `profiles[].capacity.minimum` / `maximum` (the widest profile)",
            via=(SCALE_SET,)) for token in AUTOSCALE_SETTINGS),
)
"""What this module reads (the reader registry gathers it: ``backbone.policies.inventory.registry``)."""
