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
    chosen = service.tier_or_only(tier)
    refusal = service.refusal(capacity_tib, chosen)
    if refusal is not None:
        raise ValueError(refusal)
    return round(capacity_tib * service.gib_per_tib)
