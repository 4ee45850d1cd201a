"""What the per-cloud readers share: purpose, catalog look-ups, storage offerings, zone links."""

from __future__ import annotations

import re
from typing import Any

from components.catalog import Catalog, InstanceType, StorageOffering
from components.labels import PURPOSE_LABEL
from policies.inventory.facts import PURPOSES, UNKNOWN, FabricCheck, Unknown
from policies.inventory.graph import Graph, Node
from policies.inventory.values import as_count, as_dict, as_str

__all__ = [
    "count_or_unknown",
    "decide_purpose",
    "is_accelerator_pool",
    "labels_of",
    "region_of_zone",
    "region_of_zones",
    "zones_of_subnets",
]

_ZONE_SUFFIX = re.compile(r"^(?P<region>.+?)-?(?P<zone>[a-z])$")


def labels_of(value: Any) -> dict[str, Any]:
    labels = as_dict(value)
    return labels if isinstance(labels, dict) else {}


def decide_purpose(labels: dict[str, Any], max_nodes: int | Unknown,
                   instance: InstanceType | None, instance_type: str | Unknown) -> tuple[str, bool]:
    """(purpose, declared): the ``backbone.dev/purpose`` label when it names a purpose; otherwise training
    for a pool that can span several nodes on fabric-capable instances, inference for the rest. A pool
    whose instance type or size is unknown in preview counts as training, so the training rules say
    "cannot verify" rather than pass it silently."""
    label = labels.get(PURPOSE_LABEL)
    if isinstance(label, str) and label in PURPOSES:
        return label, True
    may_span = isinstance(max_nodes, Unknown) or max_nodes > 1
    if isinstance(instance_type, Unknown):
        return ("training" if may_span else "inference"), False
    fabric_capable = instance is not None and instance.has_fabric and instance.accelerator_count > 0
    return ("training" if may_span and fabric_capable else "inference"), False


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
                     unknown: dict[str, str]) -> tuple[str, ...] | Unknown:
    """Zones of the subnets input ``prop`` links to, through the graph (their ids are unknown)."""
    subnets = graph.linked(node, prop, subnet_type)
    if not subnets:
        unknown["zones"] = f"{prop} (no subnet of this stack is linked; its zone cannot be read)"
        return UNKNOWN
    zones: list[str] = []
    for subnet in subnets:
        zone = as_str(subnet.inputs.get(zone_key))
        if not isinstance(zone, str):
            unknown["zones"] = f"{prop} → {subnet.name}.{zone_key}"
            return UNKNOWN
        if zone not in zones:
            zones.append(zone)
    return tuple(zones)


def storage_monthly_usd(offering: StorageOffering | None, capacity_tib: float | Unknown,
                        per_tib: float | Unknown | None) -> float | None:
    if offering is None or isinstance(capacity_tib, Unknown) or not isinstance(per_tib, float | int):
        return None
    for tier, price in offering.usd_per_tib_month.items():
        if abs(tier - per_tib) < 1e-9:
            return price * capacity_tib
    return None


def best_instance(catalog: Catalog, names: list[str]) -> tuple[str, InstanceType | None]:
    """Of several instance types (EKS instanceTypes), the one with the most accelerators the catalog knows."""
    known = [(catalog.find(n), n) for n in names]
    rows = [(row, n) for row, n in known if row is not None]
    if rows:
        row, name = max(rows, key=lambda r: r[0].accelerator_count)
        return name, row
    return names[0], None


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
