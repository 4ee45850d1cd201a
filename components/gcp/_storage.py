"""What the storage components share: the catalog offering of a kind and the GiB the API takes."""

from __future__ import annotations

from components import catalog

__all__ = ["capacity_gib", "offering"]


def offering(kind: str) -> catalog.StorageOffering:
    found = catalog.load().storage_offering("gcp", kind)
    if found is None:
        kinds = ", ".join(catalog.load().storage_kinds("gcp"))
        raise ValueError(f"the catalog has no gcp {kind} offering; offered: {kinds}")
    return found


def capacity_gib(service: catalog.StorageOffering, capacity_tib: float, tier: float | None) -> int:
    """The API's capacity in GiB for ``capacity_tib`` of the service's TiB, checked against its sizes."""
    if tier is None:
        if len(service.tiers) != 1:
            raise ValueError(f"{service.service} needs a throughput tier; allowed: "
                             f"{', '.join(f'{t:g}' for t in service.tiers)}")
        tier = service.tiers[0]
    rule = service.rule_for(tier)
    if rule is None:
        raise ValueError(f"{service.service} has no {tier:g} MB/s/TiB tier; allowed: "
                         f"{', '.join(f'{t:g}' for t in service.tiers)}")
    if not rule.accepts(capacity_tib):
        raise ValueError(f"{service.service} at {tier:g} MB/s/TiB does not accept {capacity_tib:g} TiB; "
                         f"allowed: {rule.describe()}")
    return round(capacity_tib * service.gib_per_tib)
