"""monthly-budget: the stack's cost at max scale (node-hour price by capacity type × 730 h × max nodes, plus
storage) over budget. Prices: your own rates, else the catalog's cited prices (backbone/core/catalog/pricing.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from backbone.core.catalog.pricing import DISCOUNT_SCHEMA, PRICES_SCHEMA, STORAGE_PRICES_SCHEMA, Rates, Unpriced
from backbone.policies.inventory import HOURS_PER_MONTH, AcceleratorPool, Inventory, Unknown
from backbone.policies.rules.base import (
    Finding,
    InventoryPolicy,
    PointsAt,
    Unverifiable,
    Violation,
    number,
    pool_label,
    unknown_of,
)


def _dearest(pool: AcceleratorPool, rates: Rates) -> tuple[AcceleratorPool, float | Unknown | None]:
    """The pool judged on its dearest candidate type (at max scale, at ``rates``): one it cannot price, else
    the highest."""
    priced = [(v.hourly_usd("max", rates), v) for v in pool.variants()]
    for hourly, variant in priced:
        if not isinstance(hourly, float):
            return variant, hourly
    hourly, variant = max(priced, key=lambda p: p[0])  # type: ignore[arg-type,return-value]
    return variant, hourly


class MonthlyBudget(InventoryPolicy):
    """Blocks a stack whose cost at max scale is over budget: node-hour price × 730 h × max nodes per pool,
    plus file systems (USD per GiB-month × capacity). A pool is priced by its capacity type — on-demand list
    price, spot price (else your rate, else the on-demand price as a ceiling), reservation at the on-demand
    rate, Capacity Block rate — and your own rate from `prices` wins over a list price; `discountPercent` comes
    off list prices. A pool or file system without a price cannot be verified."""

    name = "monthly-budget"
    description = "Ensure the stack's cost at max scale stays within the monthly budget"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="maxNodes", storage="capacityTiB", stack="nodePools")
    reasons: ClassVar[Mapping[str, str]] = {
        "usd": "16 × p5.48xlarge at max scale cost ≈ $0.64 M a month; 1,000 nodes ≈ $40 M",
        "prices": "none: list prices from the catalog, each cited; give your negotiated rates here",
        "discountPercent": "0: list prices; savings plans and committed-use discounts differ per account",
        "storagePrices": "none: the catalog's cited file-system prices; a tier without one leaves the budget "
                         "unverified",
    }
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "usd": {"type": "number", "minimum": 0, "default": 2_000_000,
                "description": "Monthly budget in USD for the stack at max scale, 730 h a month."},
        "prices": PRICES_SCHEMA,
        "discountPercent": DISCOUNT_SCHEMA,
        "storagePrices": STORAGE_PRICES_SCHEMA,
    }

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        budget = float(self.setting(config, "usd"))
        rates = Rates.of_policy_config(config)
        parts: list[tuple[float, str, str]] = []  # (monthly USD, what, urn)
        unpriced: list[Unverifiable] = []
        for whole in inventory.pools:
            pool, hourly = _dearest(whole, rates)
            price = pool.price(rates)
            if isinstance(hourly, Unknown):
                unpriced.append(Unverifiable(pool.urn, f"pool {pool_label(pool)}: cost at max scale unknown "
                                                       f"({unknown_of(pool, 'instance_type', 'max_nodes')})"))
            elif hourly is None:
                reason = price.reason if isinstance(price, Unpriced) else "no price"
                unpriced.append(Unverifiable(pool.urn, f"pool {pool_label(pool)} ({pool.capacity}): {reason}"))
            else:
                basis = "" if hourly == 0 or isinstance(price, Unknown | Unpriced) else (
                    f" at ${price.usd_per_hour:,.2f}/h ({price.basis})")
                decided = f" ({pool.judged_as})" if pool.judged_as else ""
                parts.append((hourly * HOURS_PER_MONTH, f"{pool.name}: {pool.describe()}{decided}{basis}", pool.urn))
        for fs in inventory.file_systems:
            fs_price = fs.price(rates)
            if fs_price is None:
                tier = fs.throughput_mbps_per_tib
                give = ("" if not isinstance(tier, float | int) else
                        f"; give your rate in monthly-budget storagePrices.{fs.cloud}.{fs.kind}[\"{tier:g}\"], "
                        f"USD per GiB-month")
                reason = (unknown_of(fs, "capacity_tib", "throughput_mbps") if fs.unknown_inputs
                          else f"the catalog has no {fs.cloud} {fs.kind} price for this tier{give}")
                unpriced.append(Unverifiable(fs.urn, f"file system {fs.name} ({fs.resource_type}): cost unknown "
                                                     f"({reason})"))
            else:
                parts.append((fs_price[0], f"{fs.name}: {fs.describe()} ({fs_price[1]})", fs.urn))
        total = sum(p[0] for p in parts)
        if parts and total > budget:  # over budget on what is known: unknown parts only add to it
            biggest = max(parts)
            detail = "; ".join(f"{what} = ${number(usd)}" for usd, what, _ in sorted(parts, reverse=True))
            more = f" plus {len(unpriced)} part(s) that cannot be priced" if unpriced else ""
            yield Violation(biggest[2], (
                f"at max scale this stack costs ${number(total)} a month{more} ({detail}; × {HOURS_PER_MONTH:g} h), "
                f"over the budget of ${number(budget)}; lower max nodes (largest: {biggest[1].split(':')[0]}), "
                f"give your negotiated rates in prices / discountPercent, or raise usd if this is intended"))
            return
        yield from unpriced
