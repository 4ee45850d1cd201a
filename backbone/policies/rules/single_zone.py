"""single-zone: a multi-node training pool spread over more than one zone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, Unknown
from backbone.policies.rules.base import Finding, PointsAt, PoolRule, Unverifiable, Violation, pool_label, unknown_of

_FIX_BY_TYPE = {
    "aws:autoscaling/group:Group": "give the group vpcZoneIdentifiers (subnets) of one availability zone",
    "kubernetes:karpenter.sh/v1:NodePool": "add a topology.kubernetes.io/zone requirement (operator In) with one zone",
}
_FIX = {
    "aws": "give the node group subnets of one availability zone",
    "gcp": "set nodeLocations to one zone",
    "azure": "set availabilityZones to one zone",
}


class SingleZone(PoolRule):
    """Blocks a multi-node training pool spread over more than one zone (AWS subnets' zones, GKE
    `nodeLocations`, AKS `availabilityZones`). An AKS pool without `availabilityZones` is one regional scale
    set and passes; a regional GKE pool without `nodeLocations` spans zones GKE picks: cannot verify."""

    name = "single-zone"
    description = "Ensure multi-node training pools live in one zone"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="zones")

    def applies(self, pool: AcceleratorPool) -> bool:
        return pool.is_training

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        zones = pool.zones
        spans = pool.spans_nodes()
        if spans is False:
            return
        if isinstance(zones, Unknown) and pool.least_zones > 1 and spans is True:
            yield Violation(pool.urn, (
                f"training pool {pool_label(pool)} ({pool.describe()}) spans at least {pool.least_zones} zones "
                f"({unknown_of(pool, 'zones')}); a multi-node training pool needs 1 zone for its fabric and "
                f"latency: {_FIX_BY_TYPE.get(pool.resource_type) or _FIX.get(pool.cloud, 'pin it to one zone')}"))
            return
        if isinstance(zones, Unknown):
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: zones unknown ({unknown_of(pool, 'zones')})")
            return
        if len(zones) <= 1:
            return
        if isinstance(spans, Unknown):
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)} spans {len(zones)} zones; whether it can "
                                         f"span several nodes is unknown ({unknown_of(pool, 'max_nodes')})")
            return
        yield Violation(pool.urn, (
            f"training pool {pool_label(pool)} ({pool.describe()}) spans {len(zones)} zones "
            f"({', '.join(sorted(zones))}); a multi-node training pool needs 1 zone for its fabric and latency: "
            f"{_FIX_BY_TYPE.get(pool.resource_type) or _FIX.get(pool.cloud, 'pin it to one zone')}"))
