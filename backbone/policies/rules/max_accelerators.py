"""max-accelerators: accelerators at max scale over a per-pool or a per-stack limit (a typo like 1,000 nodes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, Inventory
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
    accelerators per node from the catalog): a 1,000-node typo is 8,000 GPUs. Where the count is not known but
    a lower bound is, the bound decides when it is already over the limit, and the message says which bound: a
    type the catalog does not know but of an accelerator family (AWS P/G/Trn/Inf/DL, GCP A/G/TPU, Azure N) has at
    least one accelerator per node, so 1,000 such nodes are at least 1,000 accelerators; a regional GKE pool
    has at least its per-zone maximum in each of GKE's default zones. Otherwise it cannot verify."""

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
        tallied: list[tuple[int, AcceleratorPool, str]] = []
        unverified: list[Unverifiable] = []
        for pool in inventory.most_accelerators():
            count = counted(pool, "max")
            bound = ""
            if isinstance(count, Unverifiable):
                least = pool.least_accelerators()
                if least <= 0:
                    yield count
                    continue
                unverified.append(count)
                count, bound = least, pool.bound()
            tallied.append((count, pool, bound))
            if count > pool_limit:
                per_node = pool.least_per_node or 1
                at_least = "at least " if bound else ""
                decided = f" (decided by a lower bound: {bound})" if bound else ""
                yield Violation(pool.urn, (
                    f"pool {pool_label(pool)} can scale to {pool.describe()}: {at_least}{number(count)} accelerators"
                    f"{decided} over the pool limit of {number(pool_limit)}; lower its max nodes to "
                    f"{number(pool_limit // per_node)} or less, or raise poolLimit if this is intended"))
            elif bound:
                yield unverified[-1]
        total = sum(c for c, _, _ in tallied)
        alone = len(tallied) == 1 and tallied[0][0] > pool_limit  # already said above
        if tallied and total > stack_limit and not alone:
            biggest = max(tallied, key=lambda c: c[0])[1]
            parts = ", ".join(f"{p.name}: {'≥ ' if b else ''}{number(c)}" for c, p, b in tallied)
            bounds = [f"{p.name}: {b}" for _, p, b in tallied if b]
            decided = f" (lower bounds: {'; '.join(bounds)})" if bounds else ""
            yield Violation(biggest.urn, (
                f"the stack can scale to {'at least ' if bounds else ''}{number(total)} accelerators ({parts})"
                f"{decided}, over the stack limit of {number(stack_limit)}; lower the pools' max nodes (largest: "
                f"{biggest.name}) or raise stackLimit if this is intended"))
