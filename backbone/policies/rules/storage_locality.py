"""storage-locality: a parallel file system outside the zone (or region) of the training pools it feeds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import Inventory, Unknown
from backbone.policies.rules.base import (
    Finding,
    InventoryPolicy,
    PointsAt,
    Unverifiable,
    Violation,
    pool_label,
    unknown_of,
)


class StorageLocality(InventoryPolicy):
    """Flags a parallel file system in no zone (or another region) of the training pools of its cloud."""

    name = "storage-locality"
    description = "Ensure parallel file systems sit in the zone of the training pools they feed"
    level = EnforcementLevel.ADVISORY
    points_at = PointsAt(storage="zone")

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        for fs in inventory.file_systems:
            pools = [p for p in inventory.training_pools if p.cloud == fs.cloud]
            if not pools:
                continue
            if isinstance(fs.zones, Unknown):
                yield Unverifiable(fs.urn, f"file system {fs.name} ({fs.resource_type}): zone unknown "
                                           f"({unknown_of(fs, 'zones')})")
                continue
            for pool in pools:
                if isinstance(pool.zones, Unknown):
                    yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: zones unknown "
                                                 f"({unknown_of(pool, 'zones')})")
                    continue
                outside = bool(fs.zones and pool.zones and not set(fs.zones) & set(pool.zones))
                far = fs.region and pool.region and fs.region != pool.region
                if outside or far:  # outside: both have zones; far: both have a region
                    where = ", ".join(fs.zones) if fs.zones else str(fs.region)
                    there = ", ".join(sorted(pool.zones)) if pool.zones else str(pool.region)
                    yield Violation(fs.urn, (
                        f"file system {fs.name} ({fs.kind}) is in {where} but feeds training pool "
                        f"{pool.name} in {there}: cross-zone reads add latency and transfer cost; put the "
                        f"file system in the pool's zone"))
