"""pool-purpose: an unlabelled multi-node accelerator pool that shows no sign of training across nodes.

Such a pool is judged as not training (no fabric demanded): it may serve, or run single-node jobs. If it does
train across nodes, it will be network-bound; a purpose label settles which rules apply."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.core.labels import PURPOSE_LABEL
from backbone.policies.inventory import AcceleratorPool
from backbone.policies.rules.base import Finding, PointsAt, PoolRule, Violation, pool_label

_WHERE = {
    "aws": "the node group's labels (or, for a self-managed group, the tag "
           "k8s.io/cluster-autoscaler/node-template/label/backbone.dev/purpose)",
    "gcp": "nodeConfig.labels",
    "azure": "nodeLabels",
}


class PoolPurpose(PoolRule):
    """Advises on a multi-node accelerator pool with no purpose label and no sign of training across nodes (no
    fabric NICs, placement, InfiniBand size, declared training workload or runtime stack with training intent):
    it is judged as not training, so its fabric is not checked — label it training or inference. AWS: node group
    labels or the Cluster Autoscaler label tags of a self-managed group; GCP: node labels; Azure: node labels."""

    name = "pool-purpose"
    points_at = PointsAt(pool="purpose")
    description = "Ensure multi-node accelerator pools say what they are for"
    level = EnforcementLevel.ADVISORY
    has_unknowns = False

    def applies(self, pool: AcceleratorPool) -> bool:
        return (not pool.purpose_declared and not pool.is_training and pool.looks_like_accelerator
                and pool.accelerators_per_node != 0)

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        if not isinstance(pool.max_nodes, int) or pool.max_nodes <= 1:
            return
        yield Violation(pool.urn, (
            f"pool {pool_label(pool)} can scale to {pool.describe()} and has no purpose label and no sign of "
            f"training across nodes (no fabric NICs, no placement, no declared training workload), so it is "
            f"judged as not training and its fabric is not checked. If this pool trains across nodes it will be "
            f"network-bound; label its purpose: {PURPOSE_LABEL}: training (its fabric is then checked) or "
            f"inference, in {_WHERE.get(pool.cloud, 'its node labels')}"))
