"""monthly-budget: on-demand cost at max scale (catalog price × 730 h × max nodes, plus storage) over budget."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from policies.inventory import HOURS_PER_MONTH, Inventory, Unknown
from policies.rules.base import (
    Finding,
    InventoryPolicy,
    PointsAt,
    Unverifiable,
    Violation,
    number,
    pool_label,
    unknown_of,
)


class MonthlyBudget(InventoryPolicy):
    """Blocks a stack whose on-demand cost at max scale is over budget: catalog price × 730 h × max nodes
    per pool, plus file systems (catalog USD per TiB-month × capacity). A pool or file system without a
    catalog price cannot be verified. Spot and reserved pools are priced on demand (a ceiling, not a
    forecast)."""

    name = "monthly-budget"
    description = "Ensure the stack's on-demand cost at max scale stays within the monthly budget"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="maxNodes", storage="capacityTiB", stack="nodePools")
    reasons: ClassVar[Mapping[str, str]] = {
        "usd": "16 × p5.48xlarge at max scale cost ≈ $0.64 M a month; 1,000 nodes ≈ $40 M",
    }
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "usd": {"type": "number", "minimum": 0, "default": 2_000_000,
                "description": "Monthly budget in USD for the stack at max scale, on-demand prices, 730 h."},
    }

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        budget = float(self.setting(config, "usd"))
        parts: list[tuple[float, str, str]] = []  # (monthly USD, what, urn)
        for pool in inventory.pools:
            hourly = pool.hourly_usd("max")
            if isinstance(hourly, Unknown):
                yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: cost at max scale unknown "
                                             f"({unknown_of(pool, 'instance_type', 'max_nodes')})")
            elif hourly is None:
                yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: the catalog has no on-demand price "
                                             f"for {pool.instance_type}")
            else:
                parts.append((hourly * HOURS_PER_MONTH, f"{pool.name}: {pool.describe()}", pool.urn))
        for fs in inventory.file_systems:
            if fs.monthly_usd is None:
                reason = (unknown_of(fs, "capacity_tib", "throughput_mbps") if fs.unknown_inputs
                          else f"the catalog has no {fs.cloud} {fs.kind} price for this tier")
                yield Unverifiable(fs.urn, f"file system {fs.name} ({fs.resource_type}): cost unknown ({reason})")
            else:
                parts.append((fs.monthly_usd, f"{fs.name}: {fs.describe()}", fs.urn))
        total = sum(p[0] for p in parts)
        if parts and total > budget:
            biggest = max(parts)
            detail = "; ".join(f"{what} ${number(usd)}" for usd, what, _ in sorted(parts, reverse=True))
            yield Violation(biggest[2], (
                f"at max scale this stack costs ${number(total)} a month on demand ({detail}; catalog prices × "
                f"{HOURS_PER_MONTH:g} h), over the budget of ${number(budget)}; lower max nodes (largest: "
                f"{biggest[1].split(':')[0]}) or raise usd if this is intended"))
