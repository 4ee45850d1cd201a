"""What a stack's cost covers and what it leaves out, so that "$0 / month" never hides a control plane.

The capacity figures (the pack's inventory) price accelerator node pools and parallel file systems. Around them a
stack pays by the hour for managed services: cluster control planes and NAT gateways are counted here with the
catalog's cited prices (``catalog/data/services.yaml``), per resource of that type in the preview, apart from the
capacity totals (the policy pack does not budget with them). Whatever is not counted is named: node pools without
accelerators, services without a cited price in their region, and the kinds of cost no offline plan can know
(data transfer and processing, load balancers, addresses, disks, buckets, logs, support, taxes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from backbone.core.catalog.services import service_prices
from backbone.engine import Preview, RecordedResource
from backbone.policies.inventory import HOURS_PER_MONTH
from backbone.policies.inventory.facts import Inventory
from backbone.policies.inventory.runtime import POOL_TYPES

__all__ = ["NEVER_COUNTED", "CostCoverage", "ServiceCost", "coverage_of"]

NEVER_COUNTED = ("data transfer and data processed (NAT, load balancers)", "load balancers", "public IP addresses",
                 "block volumes and boot disks", "object storage (buckets)", "logging and monitoring",
                 "support plans and taxes")
"""Costs no offline plan can count: they grow with use, or live outside the stack."""


@dataclass(frozen=True)
class ServiceCost:
    """The resources of one managed service in a stack, and what they bill by the hour."""

    name: str
    resource_type: str
    count: int
    usd_per_hour: float
    """For all ``count`` of them."""
    note: str

    @property
    def monthly_usd(self) -> float:
        return self.usd_per_hour * HOURS_PER_MONTH


@dataclass(frozen=True)
class CostCoverage:
    """What a stack's cost figures count, the managed services counted beside them, and what is left out."""

    includes: tuple[str, ...]
    services: tuple[ServiceCost, ...]
    left_out: tuple[str, ...]

    @property
    def services_monthly_usd(self) -> float:
        return sum(s.monthly_usd for s in self.services)

    def services_line(self) -> str:
        """``$80/month: 1 × EKS control plane ($0.10/h), 1 × NAT gateway ($0.045/h)``, or "" without any."""
        if not self.services:
            return ""
        parts = [f"{s.count} × {s.name} ({_hourly(s.usd_per_hour / s.count)})" for s in self.services]
        return f"${self.services_monthly_usd:,.0f}/month: {', '.join(parts)}"


def _hourly(usd: float) -> str:
    return f"${usd:.2f}/h" if round(usd, 2) == usd else f"${usd:.3f}/h"


def _region(resource: RecordedResource, providers: dict[str, RecordedResource]) -> str | None:
    """The resource's own region input, else its provider's (``aws:region`` …); None when neither is known."""
    for inputs in (resource.inputs, providers[resource.provider].inputs if resource.provider in providers else {}):
        for key in ("region", "location"):
            if isinstance(inputs.get(key), str):
                return str(inputs[key])
    return None


def coverage_of(preview: Preview, inventory: Inventory) -> CostCoverage:
    prices = service_prices()
    providers = {p.urn: p for p in preview.providers}
    hourly: dict[str, list[Any]] = {}
    unpriced: Counter[str] = Counter()
    for resource in preview.resources:
        price = prices.get(resource.type)
        if price is None or not resource.custom:
            continue
        usd, why = price.hourly(resource.inputs, _region(resource, providers))
        if usd is None:
            unpriced[f"{price.name} ({why})"] += 1
        else:
            hourly.setdefault(price.resource_type, [price, 0, 0.0])
            hourly[price.resource_type][1] += 1
            hourly[price.resource_type][2] += usd
    # by name: the order resources register in a preview varies from run to run, a report must not
    services = tuple(ServiceCost(p.name, p.resource_type, n, usd, p.note)
                     for p, n, usd in sorted(hourly.values(), key=lambda entry: entry[0].name))
    pools = {p.urn for p in inventory.pools}
    plain_pools = sum(1 for r in preview.resources if r.type in POOL_TYPES and r.urn not in pools)
    includes = [f"{len(inventory.pools)} accelerator pool(s) at min and max scale"]
    if inventory.file_systems:
        includes.append(f"{len(inventory.file_systems)} parallel file system(s)")
    left_out = [f"{plain_pools} node pool(s) without accelerators (system pools)"] if plain_pools else []
    left_out += [f"{n} × {what}: not priced" for what, n in sorted(unpriced.items())]
    left_out += [f"{s.name}: {s.note}" for s in services if s.note]
    return CostCoverage(tuple(includes), services, (*left_out, *NEVER_COUNTED))
