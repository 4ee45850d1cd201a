"""Hourly prices of the managed services around the accelerators (``data/services.yaml``): cluster control planes
and NAT gateways, each with its cited source. Typed, immutable rows; a row with a figure no source backs, or a
source without url and date, is a ``CatalogError``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from backbone.core.data_yaml import read_yaml
from backbone.core.errors import CatalogError

__all__ = ["SERVICES_FILE", "ServicePrice", "service_prices"]

SERVICES_FILE = Path(__file__).resolve().parent / "data" / "services.yaml"


@dataclass(frozen=True)
class ServicePrice:
    """What one provider resource bills by the hour while it exists."""

    name: str
    cloud: str
    resource_type: str
    usd_per_hour: float | None
    """One price; None when the price depends on a tier (``tiers``)."""
    tiers: Mapping[str, float]
    tier_input: str
    default_tier: str
    regions: tuple[str, ...] | None
    """The regions the source prices; None: one price for every public region."""
    note: str
    sources: tuple[str, ...]
    """The URLs (with their dates) behind the figures."""

    def hourly(self, inputs: Mapping[str, Any], region: str | None) -> tuple[float | None, str]:
        """(USD per hour, "") for a resource with ``inputs`` in ``region``, or (None, why it is not priced)."""
        if self.regions is not None and region not in self.regions:
            where = region or "an unknown region"
            return None, f"priced for {', '.join(self.regions)} only, not {where}"
        if self.usd_per_hour is not None:
            return self.usd_per_hour, ""
        tier = _at(inputs, self.tier_input) or self.default_tier
        if not isinstance(tier, str) or tier not in self.tiers:
            return None, f"{self.tier_input} {tier!r} is not priced here"
        return self.tiers[tier], ""


def _at(inputs: Mapping[str, Any], path: str) -> Any:
    value: Any = inputs
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _row(row: dict[str, Any], sources: dict[str, str]) -> ServicePrice:
    name = str(row.get("name"))
    cited = row.get("cite") or {}
    figures = {fig for figs in cited.values() for fig in figs}
    priced = "usd_per_hour" if row.get("usd_per_hour") is not None else "tiers"
    if priced not in figures or any(key not in sources for key in cited):
        raise CatalogError(f"catalog/data/services.yaml: {name}: {priced} needs a source in 'cite'")
    regions = row.get("regions")
    return ServicePrice(
        name=name, cloud=str(row["cloud"]), resource_type=str(row["resource_type"]),
        usd_per_hour=None if row.get("usd_per_hour") is None else float(row["usd_per_hour"]),
        tiers={str(k): float(v) for k, v in (row.get("tiers") or {}).items()},
        tier_input=str(row.get("tier_input", "")), default_tier=str(row.get("default_tier", "")),
        regions=None if regions is None else tuple(str(r) for r in regions), note=str(row.get("note", "")),
        sources=tuple(sources[key] for key in cited),
    )


@cache
def service_prices() -> dict[str, ServicePrice]:
    """Every row of ``data/services.yaml``, by the provider resource type that bills it."""
    data = read_yaml(SERVICES_FILE.read_text(encoding="utf-8"))
    sources = {}
    for key, source in data["sources"].items():
        if not source.get("url") or not source.get("as_of"):
            raise CatalogError(f"catalog/data/services.yaml: source {key!r} needs url and as_of")
        sources[key] = f"{source['url']} ({source['as_of']})"
    rows = [_row(row, sources) for row in data["services"]]
    return {row.resource_type: row for row in rows}
