"""What a node-hour costs: by the pool's capacity type, from the catalog's cited prices or your own rates.

One way through the data for the policy pack (``monthly-budget``, the plan's capacity view) and for sizing
(``backbone size --prices``):

- **your rate** (``prices.<cloud>.<instance type>``, USD per node-hour) wins for on-demand, reservation and
  Capacity Block pools: it is what you negotiated;
- **spot**: the catalog's spot price (with its region and date); without one, your rate; without that, the
  on-demand list price as the ceiling (spot never bills above on-demand);
- **Capacity Block** (or a type AWS sells only as Capacity Blocks): the published block rate;
- **reservation**: the on-demand list price (capacity reservations bill at the on-demand rate);
- **on-demand**: the on-demand list price.

``discountPercent`` lowers list prices (on-demand and block rates), never spot prices or your own rates. Every
price carries its **basis** in words, so a report can say which figure it used.

File systems: **your storage rate** (``storagePrices.<cloud>.<kind>.<tier>``, USD per GiB-month of provisioned
capacity at a throughput tier in MB/s per TiB) wins over the catalog's list price for that tier, whose basis
names that tier's own region, date and kind of source (the tiers of one service may come from different sources).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from backbone.core.catalog.model import CLOUDS, InstanceType, StorageOffering
from backbone.core.errors import ConfigError, Problem
from backbone.core.vocabulary import CAPACITIES

__all__ = [
    "CAPACITY_TYPES",
    "DISCOUNT_SCHEMA",
    "LIST_PRICES",
    "MAX_PRICE_USD",
    "PRICES_SCHEMA",
    "STORAGE_PRICES_SCHEMA",
    "NodePrice",
    "Rates",
    "StoragePrice",
    "Unpriced",
    "node_price",
    "rates_of_file",
    "storage_price",
]

CAPACITY_TYPES = CAPACITIES  # the stack spec's and every component's words
MAX_PRICE_USD = 100_000.0
"""Largest USD per node-hour a rate may state (the dearest catalog row is near 100)."""

PRICES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Your own USD per node-hour by cloud and instance type, e.g. {\"aws\": {\"p5.48xlarge\": 41.5}}; "
                   "used instead of the catalog's list price (on-demand, reservation, Capacity Block pools).",
    "additionalProperties": False,
    "properties": {
        cloud: {"type": "object", "additionalProperties": {"type": "number", "exclusiveMinimum": 0,
                                                           "maximum": MAX_PRICE_USD}}
        for cloud in CLOUDS
    },
    "default": {},
}
MAX_STORAGE_USD_PER_GIB_MONTH = 100.0
"""Largest USD per GiB-month a storage rate may state (list prices are below 1)."""
STORAGE_KINDS = ("lustre", "parallelstore")
TIER_PATTERN = r"^[0-9]+(\.[0-9]+)?$"
STORAGE_PRICES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Your own USD per GiB-month of provisioned file-system capacity by cloud, kind and throughput "
                   "tier in MB/s per TiB, e.g. {\"aws\": {\"lustre\": {\"1000\": 0.55}}}; used instead of the "
                   "catalog's list price (Azure bills per TiB: divide its TiB-month price by 1024).",
    "additionalProperties": False,
    "properties": {
        cloud: {"type": "object", "additionalProperties": False, "properties": {
            kind: {"type": "object", "propertyNames": {"pattern": TIER_PATTERN},
                   "additionalProperties": {"type": "number", "exclusiveMinimum": 0,
                                            "maximum": MAX_STORAGE_USD_PER_GIB_MONTH}}
            for kind in STORAGE_KINDS}}
        for cloud in CLOUDS
    },
    "default": {},
}
DISCOUNT_SCHEMA: dict[str, Any] = {
    "type": "number", "minimum": 0, "maximum": 100, "default": 0,
    "description": "Percent off the catalog's list prices (on-demand and Capacity Block rates; not spot, not "
                   "your own prices), e.g. 20 for a committed-use or savings-plan discount.",
}


@dataclass(frozen=True)
class Rates:
    """Your own figures: USD per node-hour by cloud and instance type, a discount on list prices, and USD per
    GiB-month by cloud, file-system kind and throughput tier (MB/s per TiB)."""

    prices: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    discount_percent: float = 0.0
    storage: Mapping[str, Mapping[str, Mapping[float, float]]] = field(default_factory=dict)

    def own(self, cloud: str, instance_type: str) -> float | None:
        value = (self.prices.get(cloud) or {}).get(instance_type)
        return None if value is None else float(value)

    def own_storage(self, cloud: str, kind: str, tier: float) -> float | None:
        """Your USD per GiB-month for ``kind`` at ``tier`` MB/s per TiB on ``cloud``, if you gave one."""
        for listed, usd in ((self.storage.get(cloud) or {}).get(kind) or {}).items():
            if abs(listed - tier) < 1e-9:
                return usd
        return None

    def listed(self, usd: float) -> float:
        return usd * (1.0 - self.discount_percent / 100.0)

    def discount_note(self) -> str:
        return f", less {self.discount_percent:g}% discount" if self.discount_percent else ""

    @classmethod
    def of_policy_config(cls, config: Mapping[str, Any]) -> Rates:
        """From ``monthly-budget``'s config (already checked against its schema by the engine)."""
        prices = config.get("prices") or {}
        storage = config.get("storagePrices") or {}
        return cls(prices={c: {t: float(v) for t, v in (prices.get(c) or {}).items()} for c in prices},
                   discount_percent=float(config.get("discountPercent") or 0.0),
                   storage={c: {k: {float(t): float(v) for t, v in (tiers or {}).items()}
                                for k, tiers in (storage.get(c) or {}).items()} for c in storage})


LIST_PRICES = Rates()


@dataclass(frozen=True)
class NodePrice:
    """USD per node-hour, and the basis of the figure in words."""

    usd_per_hour: float
    basis: str


@dataclass(frozen=True)
class Unpriced:
    """Why a node-hour cannot be priced, and how to give the missing figure."""

    reason: str


def _dated(what: str, region: str | None, as_of: str | None, pool_region: str | None,
           secondary: bool = False) -> str:
    where = f", {region}" if region else ""
    when = (f", secondary source, {as_of}" if secondary else f", {as_of}") if as_of else ""
    elsewhere = (f"; the catalog has no {pool_region} price" if region and pool_region and region != pool_region
                 else "")
    return f"{what}{where}{when}{elsewhere}"


def node_price(cloud: str, instance_type: str, row: InstanceType | None, capacity: str,
               region: str | None = None, rates: Rates = LIST_PRICES) -> NodePrice | Unpriced:
    """The price of one node-hour of ``instance_type`` bought as ``capacity`` (see the module's rules)."""
    own = rates.own(cloud, instance_type)
    give = f"give your rate in monthly-budget prices.{cloud}[\"{instance_type}\"]"
    if capacity == "spot":
        if row is not None and row.spot_usd_per_hour is not None:
            return NodePrice(row.spot_usd_per_hour,
                             _dated("spot price", row.price_region, row.price_as_of, region))
        if own is not None:
            return NodePrice(own, "your rate (no spot price in the catalog)")
        if row is not None and row.on_demand_usd_per_hour is not None:
            return NodePrice(rates.listed(row.on_demand_usd_per_hour), _dated(
                "on-demand list price as the spot ceiling (no spot price in the catalog)", row.price_region,
                row.price_as_of, region) + rates.discount_note())
    if own is not None:
        return NodePrice(own, "your rate")
    if row is None:
        return Unpriced(f"the catalog does not know {instance_type}: {give}")
    if capacity == "capacity-block" or row.capacity_block_only:
        block = row.capacity_block
        sold = "sold only as Capacity Blocks: " if row.capacity_block_only and capacity != "capacity-block" else ""
        if block is None:
            return Unpriced(f"{sold}the catalog has no published Capacity Block rate for {instance_type}: {give}")
        return NodePrice(rates.listed(block.usd_per_hour), sold + _dated(
            "published Capacity Block rate", block.region, block.as_of, region) + rates.discount_note())
    if row.on_demand_usd_per_hour is None:
        return Unpriced(f"the catalog has no on-demand price for {instance_type}: {give}")
    what = ("reservation, billed at the on-demand list price" if capacity == "reservation"
            else "on-demand list price")
    return NodePrice(rates.listed(row.on_demand_usd_per_hour),
                     _dated(what, row.price_region, row.price_as_of, region, row.price_secondary)
                     + rates.discount_note())


@dataclass(frozen=True)
class StoragePrice:
    """USD a month for one TiB of a file system in the service's own unit (``gib_per_tib`` GiB), and its basis."""

    usd_per_tib_month: float
    basis: str


def storage_price(offering: StorageOffering, tier: float, rates: Rates = LIST_PRICES) -> StoragePrice | None:
    """The monthly price of one TiB of ``offering`` at ``tier`` MB/s per TiB: your storage rate (USD per GiB-month
    × the offering's GiB per TiB), else the catalog's list price for that tier; None when neither has one."""
    own = rates.own_storage(offering.cloud, offering.kind, tier)
    if own is not None:
        return StoragePrice(own * offering.gib_per_tib, f"your rate, ${own:g} per GiB-month")
    for listed, price in offering.prices.items():
        if abs(listed - tier) < 1e-9:
            basis = _dated("catalog list price", price.region, price.as_of, None, price.secondary)
            return StoragePrice(price.usd_per_tib_month, basis)
    return None


def _problems(data: Any, file: str) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem("prices", "expected a JSON object of clouds, e.g. {\"aws\": {\"p5.48xlarge\": 41.5}}", file)]
    problems: list[Problem] = []
    for cloud, table in data.items():
        if cloud not in CLOUDS:
            problems.append(Problem(f"prices.{cloud}", f"not a cloud; allowed: {', '.join(CLOUDS)}", file))
        elif not isinstance(table, dict):
            problems.append(Problem(f"prices.{cloud}", "expected an object of instance type -> USD per hour", file))
        else:
            for it, usd in table.items():
                ok = (isinstance(usd, int | float) and not isinstance(usd, bool) and math.isfinite(usd)
                      and 0 < usd <= MAX_PRICE_USD)
                if not ok:
                    problems.append(Problem(f"prices.{cloud}.{it}", f"{usd!r} is not a USD per hour price; allowed: "
                                            f"a number above 0 and at most {MAX_PRICE_USD:,.0f}", file))
    return problems


def rates_of_file(data: Any, file: str) -> Rates:
    """Rates from a ``--prices`` file's parsed JSON: either the ``prices`` object itself
    (``{"aws": {"p5.48xlarge": 41.5}}``) or a policy config whose ``monthly-budget`` holds ``prices``,
    ``discountPercent`` and ``storagePrices``. A ``ConfigError`` naming the file and the path of each bad value
    otherwise. (The file is read by the caller, within the bounds of ``backbone.safe_load``.)"""
    discount: Any = 0
    storage: Any = {}
    if isinstance(data, dict) and "monthly-budget" in data:
        budget = data["monthly-budget"]
        if not isinstance(budget, dict):
            raise ConfigError([Problem("monthly-budget", "expected an object with prices / discountPercent", file)])
        discount = budget.get("discountPercent", 0)
        storage = budget.get("storagePrices", {})
        data = budget.get("prices", {})
    problems = _problems(data, file) + _storage_problems(storage, file)
    if isinstance(discount, bool) or not isinstance(discount, int | float) or not 0 <= discount <= 100:
        problems.append(Problem("monthly-budget.discountPercent", f"{discount!r} is not a percent; allowed: 0 to 100",
                                file))
    if problems:
        raise ConfigError(problems)
    return Rates.of_policy_config({"prices": data, "discountPercent": discount, "storagePrices": storage})


def _storage_problems(data: Any, file: str) -> list[Problem]:
    """``storagePrices`` checked against the schema monthly-budget declares (the one the pack's engine uses)."""
    import jsonschema

    return [Problem(".".join(["monthly-budget.storagePrices", *(str(p) for p in error.absolute_path)]),
                    f"{error.message}; allowed: USD per GiB-month above 0 and at most "
                    f"{MAX_STORAGE_USD_PER_GIB_MONTH:g}, by cloud ({', '.join(CLOUDS)}), kind "
                    f"({', '.join(STORAGE_KINDS)}) and tier in MB/s per TiB, e.g. {{\"aws\": {{\"lustre\": "
                    f"{{\"1000\": 0.55}}}}}}", file)
            for error in jsonschema.Draft7Validator(STORAGE_PRICES_SCHEMA).iter_errors(data)]
