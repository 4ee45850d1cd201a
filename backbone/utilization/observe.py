"""What the cluster did over the window, per pool and per file system of the exported state, read from
Prometheus with the aggregated queries of ``backbone.utilization.queries``.

A pool of the state is matched to its nodes by name: the node group / node pool / agent pool / Karpenter
NodePool name the state records (``nodeGroupName``, ``name``, ``metadata.name`` in its outputs) against the
values of the pool labels kube-state-metrics publishes. An FSx file system is matched by its id (the state's
``id``, ``fs-…``) against YACE's ``dimension_FileSystemId``. Whatever cannot be matched is said, never guessed.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from backbone.core.errors import ConfigError, Problem
from backbone.policies.inventory.facts import AcceleratorPool, FileSystem, Inventory
from backbone.state import DeployedStack
from backbone.utilization import queries
from backbone.utilization.prometheus import Prometheus, Series

__all__ = ["FileSystemSeries", "Observed", "PoolSeries", "Window", "observe", "parse_duration"]

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
FSX_TYPES = ("aws:fsx/lustreFileSystem:LustreFileSystem",)
FSX_PERIOD_S = 60.0
"""YACE's ``aws_fsx_data_*_bytes_sum`` is the Sum over one CloudWatch period; FSx publishes them per minute."""
NAME_KEYS = ("nodeGroupName", "name", "agentPoolName", "nodePoolName")
PARALLEL_QUERIES = 3
"""Range queries in flight at once (Prometheus runs up to 20 by default, one core each)."""


def parse_duration(text: str, option: str) -> tuple[float, str]:
    """(seconds, PromQL duration) of ``7d``, ``12h``, ``5m``, ``30s``, ``2w``; a ConfigError otherwise."""
    match = re.fullmatch(r"([1-9][0-9]{0,5})([smhdw])", text.strip())
    if not match:
        raise ConfigError([Problem(option, f"{text!r} is not a duration: a whole number and one unit of s, m, h, "
                                           f"d, w (e.g. 7d, 12h, 5m)")])
    return int(match[1]) * _UNITS[match[2]], f"{match[1]}{match[2]}"


@dataclass(frozen=True)
class Window:
    """The window read: ``start``..``end`` (unix seconds) at ``step_s``."""

    start: float
    end: float
    step_s: float
    window: str
    step: str

    @property
    def times(self) -> list[float]:
        count = round((self.end - self.start) / self.step_s)
        return [self.start + i * self.step_s for i in range(count + 1)]

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 3600


@dataclass
class PoolSeries:
    """One pool's observed series on the window's grid (None: no sample at that step)."""

    label: str
    value: str
    nodes: list[float | None]
    gpus: list[float | None]
    busy: list[float | None]
    mean_util: list[float | None]
    profiling: dict[str, float] = field(default_factory=dict)
    memory_peak_mib: float | None = None
    fabric_bytes_per_s: list[float | None] | None = None
    """Per step, the busiest node's fabric bytes/s in its busier direction; None: no fabric counters."""
    instance_types: tuple[str, ...] = ()


@dataclass
class FileSystemSeries:
    file_system_id: str
    mbps: list[float | None]
    """Per step, MB/s (10^6 bytes) read plus written."""


@dataclass
class Observed:
    """Everything read for one state: per pool URN and per file system URN, the series or why there are none."""

    window: Window
    pools: dict[str, PoolSeries | str]
    file_systems: dict[str, FileSystemSeries | str]
    unmatched_pools: list[str]
    """Pool label values Prometheus has that no pool of the state carries (another stack's pools, or a rename)."""
    queries: int = 0


def _names(resource: Any) -> set[str]:
    outputs = {**resource.inputs, **resource.outputs}
    names = {outputs[k] for k in NAME_KEYS if isinstance(outputs.get(k), str) and outputs[k]}
    metadata = outputs.get("metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("name"), str):
        names.add(metadata["name"])
    return names


def _on_grid(series: list[Series], key: str, window: Window) -> dict[str, list[float | None]]:
    index = {round(t): i for i, t in enumerate(window.times)}
    out: dict[str, list[float | None]] = {}
    for s in series:
        grid: list[float | None] = [None] * len(index)
        for t, v in s.points:
            i = index.get(round(t))
            if i is not None and math.isfinite(v):
                grid[i] = v
        out[s.labels.get(key, "")] = grid
    return out


class _Reader:
    def __init__(self, prometheus: Prometheus, window: Window, progress: Callable[[str], None]) -> None:
        self.prometheus, self.window, self.progress = prometheus, window, progress

    def range(self, what: str, expr: str, key: str) -> dict[str, list[float | None]]:
        self.progress(what)
        w = self.window
        return _on_grid(self.prometheus.query_range(expr, w.start, w.end, w.step_s), key, w)

    def instant(self, what: str, expr: str) -> list[Series]:
        self.progress(what)
        return self.prometheus.query(expr, self.window.end)


def _progress(total: int) -> Callable[[str], None]:
    """``[3/9] what`` on a terminal (stderr), nothing elsewhere (CI logs)."""
    done = [0]
    tty = sys.stderr.isatty()

    def say(what: str) -> None:
        done[0] += 1
        if tty:
            end = "\n" if done[0] >= total else ""
            print(f"\r\033[Kbackbone audit: Prometheus [{min(done[0], total)}/{total}] {what}", end=end,
                  file=sys.stderr, flush=True)
    return say


def observe(state: DeployedStack, inventory: Inventory, prometheus: Prometheus, window: Window,
            busy_threshold_pct: float) -> Observed:
    """Reads the pools and file systems of ``inventory`` (whose URNs are the state's) over ``window``."""
    by_urn = {r.urn: r for r in state.resources}
    reader = _Reader(prometheus, window, lambda _: None)
    seen = reader.instant("pools seen", queries.pools_seen(window.window))
    # which label, and which value of it, each pool of the state carries
    offered: dict[tuple[str, str], set[str]] = {}
    for s in seen:
        for label in queries.POOL_LABELS:
            if s.labels.get(label):
                offered.setdefault((label, s.labels[label]), set()).add(
                    s.labels.get(queries.INSTANCE_TYPE_LABEL, ""))
    matched: dict[str, tuple[str, str]] = {}
    pools: dict[str, PoolSeries | str] = {}
    for pool in inventory.pools:
        resource = by_urn.get(pool.urn)
        names = _names(resource) if resource is not None else set()
        hit = sorted(key for key in offered if key[1] in names)
        if hit:
            matched[pool.urn] = hit[0]
        else:
            pools[pool.urn] = (f"no node of kube_node_labels carries a pool label naming it "
                               f"({', '.join(sorted(names)) or 'the state records no name for it'})")
    labels = sorted({label for label, _ in matched.values()})
    fs_ids = _fsx_ids(inventory, by_urn)
    per_label = 8 + len(queries.PROFILING) + 1
    reader.progress = _progress(per_label * len(labels) + (2 if fs_ids else 0))
    for label in labels:
        series = _pool_series(reader, label, window, busy_threshold_pct)
        for urn, (lab, value) in matched.items():
            if lab == label:
                found = series.get(value)
                if found is None:
                    pools[urn] = f"kube_node_labels has {label}={value!r}, but not within the window"
                else:
                    found.instance_types = tuple(sorted(t for t in offered[(lab, value)] if t))
                    pools[urn] = found
    file_systems = _file_systems(reader, inventory, fs_ids)
    carried = {key for key in matched.values()}
    unmatched = sorted(f"{label}={value}" for label, value in offered if (label, value) not in carried)
    return Observed(window=window, pools=pools, file_systems=file_systems, unmatched_pools=unmatched,
                    queries=prometheus.queries)


def _pool_series(reader: _Reader, label: str, window: Window, threshold: float) -> dict[str, PoolSeries]:
    step, w = window.step, window.window
    fabric = bool(reader.instant("fabric counters present", queries.fabric_present(w)))
    ranges = {"nodes": (queries.node_count(label, step), label), "monitored steps": (queries.nodes_total(step), ""),
              "GPUs": (queries.gpu_count(label, step), label),
              "busy GPUs": (queries.gpu_busy(label, step, threshold), label),
              "GPU utilization": (queries.gpu_util_sum(label, step), label)}
    if fabric:  # only where node_exporter publishes them: the join is not free on a thousand nodes
        rate_range = f"{int(2 * window.step_s)}s"
        ranges |= {f"fabric {d}": (queries.fabric_bytes(d, label, step, rate_range), label) for d in ("tx", "rx")}
    # independent range queries side by side: the server evaluates each on its own core
    with ThreadPoolExecutor(max_workers=PARALLEL_QUERIES) as pool:
        answers = dict(zip(ranges, pool.map(lambda item: reader.range(item[0], *item[1]), ranges.items()),
                           strict=True))
    nodes, gpus, busy, total = (answers[k] for k in ("nodes", "GPUs", "busy GPUs", "GPU utilization"))
    monitored = answers["monitored steps"].get("", [None] * len(window.times))
    tx, rx = answers.get("fabric tx", {}), answers.get("fabric rx", {})
    profiling = {name: {s.labels.get(label, ""): s.value for s in reader.instant(metric, queries.profiling_mean(
        metric, label, w))} for name, metric in queries.PROFILING.items()}
    memory = {s.labels.get(label, ""): s.value for s in reader.instant("GPU memory", queries.memory_peak(label, w))}
    out = {}
    for value in set(nodes) | set(gpus):
        g = gpus.get(value, [None] * len(window.times))
        out[value] = PoolSeries(
            label=label, value=value,
            # a step kube-state-metrics reported without this pool: 0 nodes; a step it did not report: unknown
            nodes=[None if up is None else (n or 0.0) for n, up in zip(nodes.get(value, [None] * len(g)), monitored,
                                                                       strict=True)],
            gpus=g,
            # a step with GPUs reporting and none at the threshold has no sample of the count: 0 busy
            busy=[(b if b is not None else 0.0) if n else None for b, n in zip(busy.get(value, [None] * len(g)), g,
                                                                               strict=True)],
            mean_util=[None if t is None or not n else t / n
                       for t, n in zip(total.get(value, [None] * len(g)), g, strict=True)],
            profiling={name: v[value] for name, v in profiling.items() if value in v},
            memory_peak_mib=memory.get(value),
            fabric_bytes_per_s=_busier(tx.get(value), rx.get(value)),
        )
    return out


def _busier(tx: list[float | None] | None, rx: list[float | None] | None) -> list[float | None] | None:
    if tx is None and rx is None:
        return None
    a, b = tx or [None] * len(rx or []), rx or [None] * len(tx or [])
    return [max((v for v in pair if v is not None), default=None) for pair in zip(a, b, strict=True)]


def _fsx_ids(inventory: Inventory, by_urn: dict[str, Any]) -> dict[str, str]:
    """URN → FSx file system id, for the FSx file systems of the state whose id is known."""
    out = {}
    for fs in inventory.file_systems:
        resource = by_urn.get(fs.urn)
        if fs.resource_type in FSX_TYPES and resource is not None and resource.id:
            out[fs.urn] = resource.id
    return out


def _file_systems(reader: _Reader, inventory: Inventory, ids: dict[str, str]) -> dict[str, FileSystemSeries | str]:
    out: dict[str, FileSystemSeries | str] = {}
    if ids:
        step = reader.window.step
        read = reader.range("FSx read", queries.fs_bytes("read", sorted(set(ids.values())), step), queries.FSX_ID)
        written = reader.range("FSx write", queries.fs_bytes("write", sorted(set(ids.values())), step),
                               queries.FSX_ID)
    for fs in inventory.file_systems:
        fs_id = ids.get(fs.urn)
        if fs_id is None:
            out[fs.urn] = _not_read(fs)
            continue
        r, w = read.get(fs_id), written.get(fs_id)
        if r is None and w is None:
            out[fs.urn] = f"no {queries.FSX_READ} / {queries.FSX_WRITE} series with {queries.FSX_ID}={fs_id!r}"
            continue
        grid = list(zip(r or [None] * len(w or []), w or [None] * len(r or []), strict=True))
        out[fs.urn] = FileSystemSeries(fs_id, [None if a is None and b is None else
                                               ((a or 0.0) + (b or 0.0)) / FSX_PERIOD_S / 1e6 for a, b in grid])
    return out


def _not_read(fs: FileSystem) -> str:
    if fs.resource_type in FSX_TYPES:
        return "the state records no id for it (FSx's dimension_FileSystemId)"
    return (f"no exporter metric for {fs.cloud} {fs.kind} ({fs.resource_type}) is read yet: only FSx for Lustre "
            f"(YACE's {queries.FSX_READ})")


def pool_of(inventory: Inventory, urn: str) -> AcceleratorPool | None:
    return next((p for p in inventory.pools if p.urn == urn), None)
