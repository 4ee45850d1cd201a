"""compact-placement: multi-node training pools whose nodes are not placed close together (GKE COMPACT
placement policy, AWS cluster placement group). Not asked of AWS pools on an On-Demand Capacity Reservation or
a Capacity Block: the reservation places the nodes, and a placement group on top of it fails to launch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, Unknown
from backbone.policies.rules.base import Finding, PointsAt, PoolRule, Unverifiable, Violation, pool_label


class CompactPlacement(PoolRule):
    """Advises on a multi-node training pool whose nodes are not placed close together — AWS: no `cluster`
    placement group on the group or its launch template (not asked on an On-Demand Capacity Reservation or a
    Capacity Block, which place the nodes themselves); GCP: no `COMPACT` placement policy; Azure: one agent pool
    is one scale set, placed by the platform."""

    name = "compact-placement"
    points_at = PointsAt(pool="zones")
    description = "Ensure multi-node training pools place their nodes close together"
    level = EnforcementLevel.ADVISORY

    def applies(self, pool: AcceleratorPool) -> bool:
        return pool.is_training and pool.compact is not None

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        if isinstance(pool.max_nodes, int) and pool.max_nodes <= 1:
            return
        if isinstance(pool.compact, Unknown):
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: placement unknown ({pool.compact_missing})")
        elif pool.compact is False:
            yield Violation(pool.urn, (
                f"training pool {pool_label(pool)} can scale to {pool.describe()} but its nodes are not placed "
                f"close together, which adds latency between them: {pool.compact_missing} (or run it on a "
                f"capacity reservation that places the nodes)"))
