"""``backbone audit STATE.json --prometheus URL``: what the cluster actually did over a window, per pool and file
system of the exported state, turned into verdicts and proposals (see docs/how-to/right-size-from-metrics.md).

``prometheus`` is the HTTP client, ``queries`` the PromQL, ``observe`` matches the state to the series,
``verdict`` judges, ``report`` renders, ``stack_edit`` writes proposals into a Backbone stack file, ``plot``
draws them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from backbone.core.catalog.pricing import Rates
from backbone.core.errors import ConfigError, Problem
from backbone.engine import Preview
from backbone.judging import priced_inventory
from backbone.policies.inventory.facts import Inventory
from backbone.state import DeployedStack
from backbone.utilization.observe import Window, observe, parse_duration
from backbone.utilization.prometheus import MAX_POINTS, Prometheus
from backbone.utilization.report import UtilizationReport
from backbone.utilization.verdict import judge

__all__ = ["Settings", "inventory_of", "read_utilization"]


@dataclass(frozen=True)
class Settings:
    url: str
    window: str = "7d"
    step: str = "5m"
    headroom: float = 0.25
    busy_threshold_pct: float = 10.0
    timeout_s: float = 120.0
    max_series: int = 10_000
    end: float | None = None
    """The window's end (unix seconds); now when None."""

    def window_of(self) -> Window:
        window_s, window = parse_duration(self.window, "--window")
        step_s, step = parse_duration(self.step, "--step")
        if window_s / step_s > MAX_POINTS:
            raise ConfigError([Problem("--step", f"{window_s / step_s:,.0f} points per series over --window {window}; "
                                                 f"Prometheus answers at most {MAX_POINTS:,}: raise --step or "
                                                 f"shorten --window")])
        end = float(int(self.end if self.end is not None else time.time()) // int(step_s) * int(step_s))
        return Window(start=end - window_s, end=end, step_s=step_s, window=window, step=step)


def inventory_of(state: DeployedStack, rates: Rates) -> Inventory:
    """The pack's inventory of the deployed state (the same one the audit's capacity comes from)."""
    deployed = Preview(project=state.project, stack=state.stack, resources=[r.as_deployed() for r in state.resources])
    return priced_inventory(deployed, rates)


def read_utilization(state: DeployedStack, rates: Rates, settings: Settings) -> UtilizationReport:
    window = settings.window_of()
    began = time.monotonic()
    prometheus = Prometheus(settings.url, settings.timeout_s, settings.max_series)
    inventory = inventory_of(state, rates)
    observed = observe(state, inventory, prometheus, window, settings.busy_threshold_pct)
    entries = judge(inventory, observed, settings.headroom, settings.busy_threshold_pct)
    return UtilizationReport(url=prometheus.url, window=window, headroom=settings.headroom,
                             busy_threshold_pct=settings.busy_threshold_pct, entries=tuple(entries),
                             unmatched_pools=tuple(observed.unmatched_pools), queries=prometheus.queries,
                             seconds=time.monotonic() - began)
