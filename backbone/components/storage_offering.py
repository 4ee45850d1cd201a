"""The one check every cloud's file system components make before building: is this size at this tier one
the service accepts, according to the catalog (``catalog/data/storage.yaml``)?"""

from __future__ import annotations

from backbone.core import catalog
from backbone.core.errors import ComponentArgumentError

__all__ = ["checked_offering"]


def checked_offering(cloud: str, kind: str, where: str, capacity_tib: float,
                     throughput_mbps_per_tib: float | None) -> tuple[catalog.StorageOffering, float]:
    """(offering, tier) of ``kind`` on ``cloud`` for ``capacity_tib`` at the given tier (or the service's only
    one); a ``ComponentArgumentError`` naming ``throughput_mbps_per_tib`` or ``capacity_tib`` otherwise."""
    offering = catalog.load().storage_offering(cloud, kind)
    if offering is None:
        kinds = ", ".join(catalog.load().storage_kinds(cloud))
        raise ComponentArgumentError(where, "kind", f"the catalog has no {cloud} {kind} offering; offered: {kinds}")
    tier = offering.tier_or_only(throughput_mbps_per_tib)
    tier_refusal = offering.tier_refusal(tier)
    if tier_refusal is not None or tier is None:
        raise ComponentArgumentError(where, "throughput_mbps_per_tib", tier_refusal or "")
    refusal = offering.refusal(capacity_tib, tier)
    if refusal is not None:
        raise ComponentArgumentError(where, "capacity_tib", refusal)
    return offering, tier
