"""Sizes a workload on every catalog instance type and ranks those that fit, cheapest first."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from backbone.core import catalog
from backbone.core.catalog.pricing import LIST_PRICES, Rates
from backbone.core.sizing import Option, Skipped, size_inference, size_training
from backbone.core.workload import InferenceWorkload, TrainingWorkload

__all__ = ["NO_PRICE", "Sizing", "size"]

NO_PRICE = "no price in the catalog (on demand or Capacity Block) and none given with --prices"


@dataclass(frozen=True)
class Sizing:
    """Every option that fits, ranked; every instance type that could not be ranked, with its reason."""

    workload: TrainingWorkload | InferenceWorkload
    options: tuple[Option, ...]
    skipped: tuple[Skipped, ...]
    rates: Rates = LIST_PRICES
    """The rates the options are priced with (and a written stack's file systems are chosen with)."""

    def best(self, cloud: str) -> Option | None:
        return next((o for o in self.options if o.cloud == cloud), None)

    def skipped_reasons(self) -> list[tuple[str, int]]:
        """(reason, number of instance types), most frequent first."""
        return sorted(Counter(s.reason for s in self.skipped).items(), key=lambda item: (-item[1], item[0]))


def size(workload: TrainingWorkload | InferenceWorkload, cloud: str | None = None,
         rates: Rates = LIST_PRICES) -> Sizing:
    """Sizes ``workload`` on every instance type of the catalog (of ``cloud`` if given), priced by ``rates``
    (your own prices and discount) over the catalog's list prices."""
    cat = catalog.load()
    rows = cat.for_cloud(cloud) if cloud else cat.instances
    results = [
        size_training(workload, row, rates) if isinstance(workload, TrainingWorkload)
        else size_inference(workload, row, rates)
        for row in rows
    ]
    unpriced = [Skipped(r.cloud, r.instance_type, NO_PRICE) for r in results
                if isinstance(r, Option) and r.cost_usd is None]
    options = sorted((r for r in results if isinstance(r, Option) and r.cost_usd is not None),
                     key=lambda o: o.rank_key)
    skipped = tuple(r for r in results if isinstance(r, Skipped)) + tuple(unpriced)
    return Sizing(workload=workload, options=tuple(options), skipped=skipped, rates=rates)
