"""private-nodes: accelerator nodes reachable on public IP addresses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, Unknown
from backbone.policies.rules.base import Finding, PointsAt, PoolRule, Unverifiable, Violation, pool_label, unknown_of

_FIX = {
    "aws": "use private subnets (mapPublicIpOnLaunch: false) and associatePublicIpAddress: false",
    "gcp": "set networkConfig.enablePrivateNodes (or a private cluster)",
    "azure": "set enableNodePublicIP: false",
}


class PrivateNodes(PoolRule):
    """Flags accelerator nodes with public IPs: AWS `associatePublicIpAddress` or a subnet with
    `mapPublicIpOnLaunch`; GKE without `enablePrivateNodes` (pool or private cluster); AKS
    `enableNodePublicIP`."""

    name = "private-nodes"
    description = "Ensure accelerator nodes have no public IP addresses"
    level = EnforcementLevel.ADVISORY
    points_at = PointsAt()

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        if isinstance(pool.public_ips, Unknown):
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: whether its nodes get public IPs is unknown "
                                         f"({unknown_of(pool, 'public_ips')})")
        elif pool.public_ips:
            yield Violation(pool.urn, (
                f"pool {pool_label(pool)}: its {pool.describe()} nodes get public IP addresses; "
                f"{_FIX.get(pool.cloud, 'keep accelerator nodes private')}"))
