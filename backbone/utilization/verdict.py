"""Per pool and per file system, a verdict on what the cluster did, with the figures it rests on.

- ``no-data``: nothing matched (said, never counted as ok);
- ``storage-bound``: the pool's GPUs are mostly idle (mean utilization under ``UNDERUSED_PCT``) while a file
  system of the stack runs at ``SATURATED`` of its provisioned throughput or more (p95): the proposal raises the
  file system's tier or capacity; the pool is never cut;
- ``network-bound``: mostly idle GPUs while the busiest node's fabric counters run at ``SATURATED`` of the
  node's fabric bandwidth (catalog) or more (p95); no cut;
- ``over-provisioned``: at least ``IDLE_SHARE`` of the observed accelerator-hours idle (under the busy threshold)
  and a smaller pool covers the observed peak: ``maxNodes`` = the nodes the p95 of busy accelerators fills,
  times (1 + headroom), rounded up; ``minNodes`` no more than today's, nor than the nodes the median of busy
  accelerators fills; the monthly saving is the median of observed nodes above the proposed ``maxNodes``, at the
  pool's node-hour price (730 h a month): a floor, the autoscaler may shrink the pool further;
- ``ok`` otherwise.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any, Literal

from backbone.core.catalog.pricing import NodePrice, Rates
from backbone.policies.inventory import HOURS_PER_MONTH
from backbone.policies.inventory.common import in_service_units
from backbone.policies.inventory.facts import AcceleratorPool, FileSystem, Inventory
from backbone.utilization.observe import FileSystemSeries, Observed, PoolSeries

__all__ = ["IDLE_SHARE", "SATURATED", "UNDERUSED_PCT", "Utilization", "judge", "percentile"]

Verdict = Literal["over-provisioned", "storage-bound", "network-bound", "ok", "no-data"]
UNDERUSED_PCT = 50.0
"""Mean GPU utilization (%) under which a pool's accelerators are "mostly idle"."""
SATURATED = 0.8
"""Share of provisioned throughput (file system) or fabric bandwidth (node) at p95 that counts as saturated."""
IDLE_SHARE = 0.25
"""Share of observed accelerator-hours idle from which a pool is over-provisioned (when a smaller pool fits)."""
TARGET_UTIL_PCT = 80.0
"""The GPU utilization a storage proposal aims to feed."""


@dataclass(frozen=True)
class Utilization:
    """One entry of the report's ``utilization`` list."""

    name: str
    urn: str
    kind: Literal["pool", "file-system"]
    verdict: Verdict
    message: str
    observed: dict[str, Any] = field(default_factory=dict)
    proposal: dict[str, Any] | None = None
    monthly_savings_usd: float | None = None
    series: dict[str, list[float | None]] = field(default_factory=dict)
    """The step series behind the figures (for --plot), not in the JSON report."""


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _known(values: list[float | None]) -> list[float]:
    return [v for v in values if v is not None]


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class _FsLoad:
    fs: FileSystem
    p95_mbps: float
    provisioned_mbps: float

    @property
    def share(self) -> float:
        return self.p95_mbps / self.provisioned_mbps


def judge(inventory: Inventory, observed: Observed, headroom: float, busy_threshold_pct: float) -> list[Utilization]:
    """Every pool, then every file system, of the inventory."""
    loads = {urn: _load(fs, observed.file_systems.get(fs.urn)) for fs in inventory.file_systems
             if (urn := fs.urn)}
    saturated = [load for load in loads.values() if load is not None and load.share >= SATURATED]
    pools = [_pool(pool, observed.pools.get(pool.urn, "not read"), observed, inventory.rates, headroom,
                   busy_threshold_pct, saturated) for pool in inventory.pools]
    starved = [p for p in pools if p.verdict == "storage-bound"]
    files = [_file_system(fs, observed.file_systems.get(fs.urn, "not read"), loads.get(fs.urn), starved, observed)
             for fs in inventory.file_systems]
    return pools + files


def _load(fs: FileSystem, series: FileSystemSeries | str | None) -> _FsLoad | None:
    if not isinstance(series, FileSystemSeries) or not isinstance(fs.throughput_mbps, float | int) \
            or fs.throughput_mbps <= 0 or not _known(series.mbps):
        return None
    return _FsLoad(fs, percentile(_known(series.mbps), 0.95), float(fs.throughput_mbps))


def _pool(pool: AcceleratorPool, series: PoolSeries | str, observed: Observed, rates: Rates, headroom: float,
          threshold: float, saturated: list[_FsLoad]) -> Utilization:
    if isinstance(series, str) or not _known(series.gpus):
        why = series if isinstance(series, str) else (
            f"{series.label}={series.value!r} has nodes but no GPU reports DCGM_FI_DEV_GPU_UTIL with a Hostname "
            f"that is one of its node names")
        return Utilization(pool.name, pool.urn, "pool", "no-data", f"no data: {why}",
                           series={"nodes": list(series.nodes)} if isinstance(series, PoolSeries) else {})
    step_h = observed.window.step_s / 3600
    nodes = _known(series.nodes) or [0.0]
    gpus, busy, mean = _known(series.gpus), _known(series.busy), _known(series.mean_util)
    per_node = pool.accelerators_per_node or max(1, round(max(gpus) / max(max(nodes), 1)))
    gpu_hours = sum(gpus) * step_h
    idle_hours = sum(g - b for g, b in zip(series.gpus, series.busy, strict=True) if g is not None and b is not None) \
        * step_h
    price = pool.price(rates)
    node_hour = price.usd_per_hour if isinstance(price, NodePrice) else None
    figures: dict[str, Any] = {
        "window_hours": round(observed.window.hours, 2),
        "steps_with_gpu_data": len(gpus),
        "steps": len(series.gpus),
        "nodes": {"min": min(nodes), "median": statistics.median(nodes), "max": max(nodes)},
        "accelerators_per_node": per_node,
        "accelerators_reporting_max": max(gpus),
        "accelerators_busy": {"median": statistics.median(busy), "p95": percentile(busy, 0.95),
                              "threshold_pct": threshold},
        "utilization_pct": {"mean": _round(statistics.fmean(mean)), "median": _round(statistics.median(mean))},
        "accelerator_hours": round(gpu_hours, 1),
        "idle_accelerator_hours": round(idle_hours, 1),
        "idle_cost_usd": None if node_hour is None else round(idle_hours * node_hour / per_node, 2),
        "node_hour_usd": node_hour,
        "profiling": {k: round(v, 3) for k, v in series.profiling.items()},
        "memory_peak_mib": _round(series.memory_peak_mib, 0),
        "instance_types_seen": list(series.instance_types),
        "matched_by": f"{series.label}={series.value}",
    }
    plot: dict[str, list[float | None]] = {"nodes": list(series.nodes), "busy": list(series.busy),
                                           "gpus": list(series.gpus), "mean_util": list(series.mean_util)}
    mean_util = statistics.fmean(mean)
    notes = _instance_note(pool, series)
    fabric = _fabric(pool, series, per_node)
    if fabric is not None:
        figures["fabric"] = fabric
    if mean_util < UNDERUSED_PCT and saturated:
        load = max(saturated, key=lambda x: x.share)
        return Utilization(pool.name, pool.urn, "pool", "storage-bound", (
            f"GPUs {mean_util:.0f} % busy on average while {load.fs.name} runs at {load.share:.0%} of its "
            f"provisioned {load.provisioned_mbps:,.0f} MB/s (p95): the accelerators wait on storage, they are not "
            f"too many — raise the file system's throughput (see {load.fs.name}), do not cut the pool{notes}"),
            figures, proposal=None, monthly_savings_usd=0.0, series=plot)
    share = fabric["p95_share"] if fabric is not None else None
    if fabric is not None and share is not None and mean_util < UNDERUSED_PCT and share >= SATURATED:
        return Utilization(pool.name, pool.urn, "pool", "network-bound", (
            f"GPUs {mean_util:.0f} % busy on average while the busiest node's fabric runs at "
            f"{share:.0%} of its {fabric['capacity_gbps']:,.0f} Gbps (p95): the accelerators wait "
            f"on the network — check the fabric (EFA / InfiniBand / GPUDirect) and placement, do not cut the "
            f"pool{notes}"), figures, proposal=None, monthly_savings_usd=0.0, series=plot)
    peak_nodes = math.ceil(percentile(busy, 0.95) / per_node)
    proposed_max = max(1, math.ceil(peak_nodes * (1 + headroom)))
    current_max = pool.max_nodes if isinstance(pool.max_nodes, int) else None
    idle_share = idle_hours / gpu_hours if gpu_hours else 0.0
    figures["idle_share"] = round(idle_share, 3)
    above = max(current_max or 0, max(nodes))
    if idle_share >= IDLE_SHARE and proposed_max < above:
        current_min = pool.min_nodes if isinstance(pool.min_nodes, int) else 0
        typical = math.ceil(statistics.median(busy) / per_node)
        proposal = {"maxNodes": proposed_max, "minNodes": min(current_min, typical, proposed_max),
                    "headroom": headroom, "covers_busy_accelerators_p95": percentile(busy, 0.95)}
        cut = max(0.0, statistics.median(nodes) - proposed_max)
        saving = None if node_hour is None else round(cut * node_hour * HOURS_PER_MONTH, 2)
        cost = "" if saving is None else (f", ${saving:,.0f} a month ({cut:g} nodes × ${node_hour:,.2f} an hour × "
                                          f"{HOURS_PER_MONTH:g} h)")
        unpriced = "" if node_hour is not None else f"; the saving is not counted: {_unpriced(price)}"
        return Utilization(pool.name, pool.urn, "pool", "over-provisioned", (
            f"{idle_share:.0%} of {gpu_hours:,.0f} accelerator-hours idle (under {threshold:g} % utilization); at p95 "
            f"{percentile(busy, 0.95):g} accelerators were busy = {peak_nodes} nodes of {per_node}: maxNodes "
            f"{proposed_max} (with {headroom:.0%} headroom) instead of "
            f"{current_max if current_max is not None else '?'}, minNodes {proposal['minNodes']}"
            f"{cost}{unpriced}{notes}"),
            figures, proposal=proposal, monthly_savings_usd=saving, series=plot)
    hint = "" if mean_util >= UNDERUSED_PCT else (
        f" (GPUs {mean_util:.0f} % busy on average with no file system or fabric seen saturated: look at the jobs "
        f"— input pipeline, CPU, batch size)")
    return Utilization(pool.name, pool.urn, "pool", "ok", (
        f"{idle_share:.0%} of {gpu_hours:,.0f} accelerator-hours idle; p95 busy {percentile(busy, 0.95):g} of "
        f"{max(gpus):g} accelerators{hint}{notes}"), figures, proposal=None, monthly_savings_usd=0.0, series=plot)


def _unpriced(price: object) -> str:
    reason = getattr(price, "reason", "")
    return reason or "the instance type is unknown"


def _instance_note(pool: AcceleratorPool, series: PoolSeries) -> str:
    if series.instance_types and isinstance(pool.instance_type, str) and \
            pool.instance_type not in series.instance_types:
        return (f"; note: its nodes carry instance type {', '.join(series.instance_types)}, the state says "
                f"{pool.instance_type}")
    return ""


def _fabric(pool: AcceleratorPool, series: PoolSeries, per_node: int) -> dict[str, Any] | None:
    if series.fabric_bytes_per_s is None or not _known(series.fabric_bytes_per_s):
        return None
    p95 = percentile(_known(series.fabric_bytes_per_s), 0.95) * 8 / 1e9
    per_acc = pool.fabric_gbps_per_accelerator()
    capacity = per_acc * per_node if isinstance(per_acc, float | int) and per_acc > 0 else None
    return {"busiest_node_p95_gbps": round(p95, 2), "capacity_gbps": capacity,
            "p95_share": None if capacity is None else round(p95 / capacity, 3)}


def _file_system(fs: FileSystem, series: FileSystemSeries | str, load: _FsLoad | None, starved: list[Utilization],
                 observed: Observed) -> Utilization:
    if isinstance(series, str) or not _known(series.mbps):
        why = series if isinstance(series, str) else "its series has no sample in the window"
        return Utilization(fs.name, fs.urn, "file-system", "no-data", f"no data: {why}")
    used = _known(series.mbps)
    figures: dict[str, Any] = {
        "window_hours": round(observed.window.hours, 2),
        "file_system_id": series.file_system_id,
        "throughput_mbps": {"median": round(statistics.median(used), 1), "p95": round(percentile(used, 0.95), 1),
                            "max": round(max(used), 1)},
        "provisioned_mbps": None if load is None else load.provisioned_mbps,
        "p95_share": None if load is None else round(load.share, 3),
    }
    plot: dict[str, list[float | None]] = {"mbps": list(series.mbps)}
    if load is None:
        return Utilization(fs.name, fs.urn, "file-system", "ok", (
            f"{percentile(used, 0.95):,.0f} MB/s at p95; its provisioned throughput is unknown in the state, so no "
            f"share of it is judged"), figures, series=plot)
    if load.share >= SATURATED and starved:
        worst = min(statistics.fmean(_known(p.series.get("mean_util", []))) or 1.0 for p in starved)
        needed = load.p95_mbps * TARGET_UTIL_PCT / max(worst, 1.0)
        proposal = _raise(fs, needed)
        return Utilization(fs.name, fs.urn, "file-system", "storage-bound", (
            f"{load.p95_mbps:,.0f} MB/s at p95 = {load.share:.0%} of the provisioned {load.provisioned_mbps:,.0f} "
            f"MB/s while {', '.join(p.name for p in starved)} sit at {worst:.0f} % GPU utilization: feeding them at "
            f"{TARGET_UTIL_PCT:.0f} % takes about {needed:,.0f} MB/s — {_describe(proposal)}"),
            figures, proposal=proposal, monthly_savings_usd=None, series=plot)
    near = " — near its provisioned throughput, with no pool starved" if load.share >= SATURATED else ""
    return Utilization(fs.name, fs.urn, "file-system", "ok", (
        f"{load.p95_mbps:,.0f} MB/s at p95 = {load.share:.0%} of the provisioned {load.provisioned_mbps:,.0f} "
        f"MB/s{near}"), figures, monthly_savings_usd=0.0, series=plot)


def _raise(fs: FileSystem, needed_mbps: float) -> dict[str, Any]:
    """The smallest catalog tier at today's capacity that gives ``needed_mbps``, else the capacity at the top tier.
    Throughput is capacity in TiB (1,024 GiB) × MB/s per TiB, as the pack counts it; the proposed ``capacityTiB``
    is in the service's own "TiB" (the unit of the stack file and of the catalog's sizes)."""
    proposal: dict[str, Any] = {"needed_mbps": round(needed_mbps)}
    capacity, offering = fs.capacity_tib, fs.offering
    if offering is None or not isinstance(capacity, float | int) or not offering.tiers:
        return proposal
    today = round(in_service_units(offering, float(capacity)), 6)
    if offering.throughput_configurable:
        for tier in offering.tiers:
            if tier * capacity >= needed_mbps:
                return {**proposal, "throughputMBpsPerTiB": tier, "capacityTiB": today}
    top = max(offering.tiers)
    rule = offering.rule_for(top)
    wanted = max(today, in_service_units(offering, needed_mbps / top))
    tib = rule.smallest_at_least(wanted) if rule is not None else None
    return proposal if tib is None else {**proposal, "throughputMBpsPerTiB": top, "capacityTiB": round(tib, 4)}


def _describe(proposal: dict[str, Any]) -> str:
    if "capacityTiB" in proposal:
        return (f"propose capacityTiB {proposal['capacityTiB']:,.4g} at {proposal['throughputMBpsPerTiB']:,.4g} "
                f"MB/s/TiB (at least {proposal['needed_mbps']:,} MB/s)")
    return "the catalog has no tier table for this service: raise its throughput to that"
