"""idle-accelerators: pools whose minimum keeps accelerators running (and billed) at zero load."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, cast

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import HOURS_PER_MONTH, Inventory, Unknown
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


class IdleAccelerators(InventoryPolicy):
    """Flags pools whose minimum keeps accelerators running at zero load, when the stack's total at min
    scale exceeds the allowance."""

    name = "idle-accelerators"
    description = "Ensure accelerator pools can scale down instead of keeping accelerators idle"
    level = EnforcementLevel.ADVISORY
    points_at = PointsAt(pool="minNodes", stack="nodePools")
    reasons: ClassVar[Mapping[str, str]] = {
        "maxIdleAccelerators": "one 8-GPU node kept warm",
    }
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "maxIdleAccelerators": {
            "type": "integer", "minimum": 0, "default": 8,
            "description": "Most accelerators the stack may keep running at zero load (its pools' minimum).",
        },
    }

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        limit = self.setting(config, "maxIdleAccelerators")
        kept = []
        for pool in inventory.most_accelerators():
            count = pool.accelerators("min")
            if isinstance(count, Unknown):
                yield cast(Unverifiable, counted(pool, "min"))
            elif count is None:
                if isinstance(pool.min_nodes, int) and pool.min_nodes > 0:
                    yield Unverifiable(pool.urn, f"pool {pool_label(pool)} keeps {pool.min_nodes} node(s) running; "
                                                 f"the catalog does not know how many accelerators a "
                                                 f"{pool.instance_type} has")
            elif count:
                kept.append((count, pool))
        total = sum(c for c, _ in kept)
        if total <= limit:
            return
        for _count, pool in kept:
            price = pool.hourly_usd("min")
            cost = f", ${number(price * HOURS_PER_MONTH)} a month" if isinstance(price, float) else ""
            yield Violation(pool.urn, (
                f"pool {pool_label(pool)} keeps {pool.describe('min')} running at zero load{cost}; the stack "
                f"keeps {number(total)} accelerators idle, more than maxIdleAccelerators {number(limit)}: set "
                f"its minimum nodes to 0 and let the autoscaler add nodes"))
