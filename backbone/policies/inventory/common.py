"""What the per-cloud readers share: purpose, catalog look-ups, storage offerings, zone links."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from backbone.core.catalog import Catalog, InstanceType, StorageOffering
from backbone.core.catalog.pricing import storage_price
from backbone.core.labels import PURPOSE_LABEL
from backbone.policies.inventory.facts import (
    PURPOSES,
    UNKNOWN,
    AcceleratorPool,
    Candidate,
    FabricCheck,
    Unknown,
    least_favourable_first,
)
from backbone.policies.inventory.graph import Graph, Node
from backbone.policies.inventory.values import as_count, as_dict, as_str, dig, plain

__all__ = [
    "GIB_PER_TIB",
    "candidates_of",
    "count_or_unknown",
    "decide_purpose",
    "each_pool",
    "fabric_nics",
    "is_accelerator_pool",
    "karpenter_on_aks",
    "labels_of",
    "provider_setting",
    "region_of_zone",
    "region_of_zones",
    "unreadable_pool",
    "zones_of_subnets",
]

GIB_PER_TIB = 1024.0
"""Binary units everywhere: a TiB is 1,024 GiB (the APIs take GiB; throughput is per TiB of storage)."""

_ZONE_SUFFIX = re.compile(r"^(?P<region>.+?)-?(?P<zone>[a-z])$")


def labels_of(value: Any) -> dict[str, Any]:
    labels = as_dict(value)
    return labels if isinstance(labels, dict) else {}


def decide_purpose(labels: dict[str, Any], max_nodes: int | Unknown, instance_type: str | Unknown,
                   intent: tuple[str, ...]) -> tuple[str, bool]:
    """(purpose, declared): the ``backbone.dev/purpose`` label when it names a purpose; otherwise training when
    the pool shows training intent (a fabric or placement configured: ``intent``), and not training for the
    rest (the ``pool-purpose`` advice asks for a label). A pool whose instance type is unknown in preview and
    may span several nodes counts as training, so the training rules say "cannot verify" rather than pass it."""
    label = labels.get(PURPOSE_LABEL)
    if isinstance(label, str) and label in PURPOSES:
        return label, True
    if intent:
        return "training", False
    may_span = isinstance(max_nodes, Unknown) or max_nodes > 1
    if isinstance(instance_type, Unknown) and may_span:
        return "training", False
    return "inference", False


def is_accelerator_pool(instance: InstanceType | None, instance_type: str | Unknown, looks: bool,
                        attached: int | None = None) -> bool:
    """Whether the pack judges a pool: its type has accelerators in the catalog (or some are attached); a type
    the catalog does not know counts when its hints say accelerator, or when it is unknown in preview."""
    if instance is not None:
        return instance.accelerator_count > 0 or attached is not None
    return looks or isinstance(instance_type, Unknown)


def count_or_unknown(value: Any, path: str, unknown: dict[str, str], fact: str) -> int | Unknown:
    """A node count; an unknown or unusable input is recorded in ``unknown`` and gives ``UNKNOWN``."""
    count = as_count(value)
    if isinstance(count, int):
        return count
    unknown[fact] = path if isinstance(count, Unknown) else f"{path} (missing or not a whole number)"
    return UNKNOWN


def region_of_zone(zone: str) -> str:
    """``us-east-1a`` → ``us-east-1``; ``us-central1-a`` → ``us-central1``."""
    match = _ZONE_SUFFIX.match(zone)
    return match.group("region") if match else zone


def region_of_zones(zones: tuple[str, ...] | Unknown) -> str | None:
    """The region of the first of ``zones``; None when they are unknown or there are none."""
    return region_of_zone(zones[0]) if isinstance(zones, tuple) and zones else None


def is_zone(location: str) -> bool:
    """GCP: ``us-central1-a`` is a zone, ``us-central1`` a region."""
    return bool(re.match(r"^[a-z]+-[a-z]+\d+-[a-z]$", location))


def zones_of_subnets(graph: Graph, node: Node, prop: str, subnet_type: str, zone_key: str,
                     unknown: dict[str, str], value: Any = None) -> tuple[str, ...] | Unknown:
    """Zones of the subnets input ``prop`` names (``value``: the part of it that names them, when nested),
    through the graph (their ids are unknown in preview).

    Where the input is computed from several subnets, the zones are known only when all of them lie in one
    zone; otherwise the input is named as unknown (never every subnet it depends on: "may", not "is")."""
    links = graph.links(node, prop, subnet_type, value)
    if links.outside or not links.candidates:
        unknown["zones"] = links.why_unknown("subnet")
        return UNKNOWN
    zones: list[str] = []
    for subnet in links.candidates:
        zone = as_str(subnet.inputs.get(zone_key))
        if not isinstance(zone, str):
            unknown["zones"] = f"{prop} → {subnet.name}.{zone_key}"
            return UNKNOWN
        if zone not in zones:
            zones.append(zone)
    if links.exact or len(zones) == 1:
        return tuple(sorted(zones))  # the order of dependencies is not the program's
    unknown["zones"] = (f"{prop} (computed from {len(links.candidates)} subnets in {len(zones)} zones, "
                        f"{', '.join(sorted(zones))}: which of them it names is unknown before deployment)")
    return UNKNOWN


def storage_monthly_usd(offering: StorageOffering | None, capacity_tib: float | Unknown,
                        per_tib: float | Unknown | None) -> float | None:
    if offering is None or isinstance(capacity_tib, Unknown) or not isinstance(per_tib, float | int):
        return None
    price = storage_price(offering, float(per_tib))
    return None if price is None else price.usd_per_tib_month * in_service_units(offering, capacity_tib)


def in_service_units(offering: StorageOffering, capacity_tib: float) -> float:
    """A capacity in TiB (1,024 GiB) as the "TiB" the service prices and sizes in (``offering.gib_per_tib`` GiB)."""
    return capacity_tib * GIB_PER_TIB / offering.gib_per_tib


def candidates_of(catalog: Catalog, names: list[str], fabric: Callable[[InstanceType | None], FabricCheck],
                  nodes: Callable[[InstanceType | None, str], int | Unknown] | None = None) -> tuple[Candidate, ...]:
    """Each distinct instance type of ``names``, with the fabric the pool configures for it and, where the pool's
    size depends on the type (``nodes``), its most nodes; least favourable first."""
    found: list[Candidate] = []
    for name in dict.fromkeys(names):
        instance = catalog.find(name)
        found.append(Candidate(name, instance, fabric(instance), None if nodes is None else nodes(instance, name)))
    return tuple(least_favourable_first(found))


def fabric_nics(instance: InstanceType, what: str, unknown: list[str]) -> tuple[int, str, list[str]]:
    """(fabric NICs a node needs, the same in words, unknowns): the catalog's count; where the catalog has
    none, at least one (none configured is definitely short) and whether more are needed is unknown."""
    if instance.fabric_nics is not None:
        return instance.fabric_nics, str(instance.fabric_nics), list(unknown)
    gap = f"how many {what} {instance.instance_type} has (the catalog has no figure)"
    return 1, "at least 1", [*unknown, gap]


def fabric_check(instance: InstanceType, need: int, wired: int | Unknown, missing: list[str],
                 unknown: list[str]) -> FabricCheck:
    """A pool's fabric verdict: configured unless something is missing (unknown where only unknowns stand in
    the way); bandwidth in proportion to the fabric paths wired, ``wired`` of the ``need`` the catalog gives."""
    gbps: float | Unknown | None
    if isinstance(wired, Unknown):
        gbps = UNKNOWN
    elif instance.fabric_gbps is None:
        gbps = None
    else:
        gbps = instance.fabric_gbps * min(wired, need) / need
    configured: bool | Unknown = UNKNOWN if unknown and not missing else not missing
    return FabricCheck(configured, tuple(missing), tuple(unknown), gbps)


def provider_setting(node: Node, key: str) -> str | Unknown | None:
    """A setting of the resource's provider (``region``, ``zone``, ``project``): from the explicit provider
    resource it names, or the default provider the engine builds from the stack's config (``aws:region``)."""
    provider = getattr(node.resource, "provider", None)
    if provider is None:
        return None
    props = plain(provider.props)
    return as_str(props.get(key)) if isinstance(props, dict) else None


AKS_NODE_CLASS_GROUP = "karpenter.azure.com"


def karpenter_on_aks(inputs: dict[str, Any]) -> bool:
    """Whether a Karpenter NodePool provisions AKS nodes: its ``nodeClassRef`` is an ``AKSNodeClass``
    (group ``karpenter.azure.com``), or, without a node class, its requirements use AKS's own labels."""
    ref = dig(inputs, "spec", "template", "spec", "nodeClassRef")
    group, kind = as_str(dig(ref, "group")), as_str(dig(ref, "kind"))
    if isinstance(group, str) or isinstance(kind, str):
        return group == AKS_NODE_CLASS_GROUP or kind == "AKSNodeClass"
    requirements = dig(inputs, "spec", "template", "spec", "requirements")
    keys = [as_str(dig(r, "key")) for r in requirements] if isinstance(requirements, list) else []
    return any(isinstance(k, str) and k.startswith(f"{AKS_NODE_CLASS_GROUP}/") for k in keys)


def each_pool(nodes: Iterable[Node], cloud: str,
              read: Callable[[Node], AcceleratorPool | None]) -> list[AcceleratorPool]:
    """``read`` over each node of a reader's type; a node whose inputs could not be read becomes an unreadable pool
    (every fact unknown, so each rule says "cannot verify"), never dropped."""
    found = []
    for node in nodes:
        pool = read(node) if node.readable else unreadable_pool(node, cloud)
        if pool is not None:
            found.append(pool)
    return found


def unreadable_pool(node: Node, cloud: str) -> AcceleratorPool:
    """A pool-shaped resource whose inputs could not be read: every fact unknown, with the reason, so each rule
    says "cannot verify" instead of passing it."""
    reason = node.problem or "its inputs could not be read"
    facts = ("instance_type", "min_nodes", "max_nodes", "zones", "public_ips")
    return AcceleratorPool(
        urn=node.urn, name=node.name, cloud=cloud, resource_type=node.type, instance_type=UNKNOWN, instance=None,
        min_nodes=UNKNOWN, max_nodes=UNKNOWN, purpose="training", purpose_declared=False, zones=UNKNOWN,
        region=None, capacity="on-demand", fabric=FabricCheck(UNKNOWN, unknown=(reason,), gbps=UNKNOWN),
        public_ips=UNKNOWN, unknown_inputs=dict.fromkeys(facts, reason), compact=UNKNOWN, compact_missing=reason,
    )
