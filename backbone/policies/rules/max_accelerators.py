"""max-accelerators: accelerators at max scale over a per-pool or a per-stack limit (a typo like 1,000 nodes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import Inventory
from backbone.policies.rules.base import (
    Finding,
    InventoryPolicy,
    PointsAt,
    Unverifiable,
    Violation,
    counted,
    number,
    pool_label,
)


class MaxAccelerators(InventoryPolicy):
    """Blocks a pool, or the whole stack, that can scale past a number of accelerators (max nodes ×
    accelerators per node from the catalog): a 1,000-node typo is 8,000 GPUs."""

    name = "max-accelerators"
    description = "Ensure no pool and no stack can scale to more accelerators than the limits"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="maxNodes", stack="nodePools")
    reasons: ClassVar[Mapping[str, str]] = {
        "poolLimit": "64 nodes of 8 GPUs, twice a large training pool; a 1,000-node typo is 8,000",
        "stackLimit": "two such pools",
    }
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "poolLimit": {"type": "integer", "minimum": 0, "default": 512,
                      "description": "Most accelerators one pool may reach at max scale (64 nodes of 8 GPUs)."},
        "stackLimit": {"type": "integer", "minimum": 0, "default": 1024,
                       "description": "Most accelerators all pools of a stack may reach together at max scale."},
    }

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        pool_limit = self.setting(config, "poolLimit")
        stack_limit = self.setting(config, "stackLimit")
        tallied = []
        for pool in inventory.most_accelerators():
            count = counted(pool, "max")
            if isinstance(count, Unverifiable):
                yield count
                continue
            tallied.append((count, pool))
            if count > pool_limit:
                per_node = pool.accelerators_per_node or 1
                yield Violation(pool.urn, (
                    f"pool {pool_label(pool)} can scale to {pool.describe()}: {number(count)} accelerators "
                    f"over the pool limit of {number(pool_limit)}; lower its max nodes to "
                    f"{number(pool_limit // per_node)} or less, or raise poolLimit if this is intended"))
        total = sum(c for c, _ in tallied)
        alone = len(tallied) == 1 and tallied[0][0] > pool_limit  # already said above
        if tallied and total > stack_limit and not alone:
            biggest = max(tallied, key=lambda c: c[0])[1]
            parts = ", ".join(f"{p.name}: {number(c)}" for c, p in tallied)
            yield Violation(biggest.urn, (
                f"the stack can scale to {number(total)} accelerators ({parts}), over the stack limit of "
                f"{number(stack_limit)}; lower the pools' max nodes (largest: {biggest.name}) or raise "
                f"stackLimit if this is intended"))
