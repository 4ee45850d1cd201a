"""``--plot DIR``: one PNG per pool — accelerator utilization and busy accelerators over the window, the node
count, and the proposal (the proposed ``maxNodes`` as a line) — for people who would rather look than read.
Needs matplotlib (the ``plot`` extra: ``pip install 'backbone[plot]'``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from backbone.core.errors import ConfigError, Problem
from backbone.utilization.report import UtilizationReport
from backbone.utilization.verdict import Utilization

__all__ = ["write_plots"]


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "pool"


def write_plots(report: UtilizationReport, folder: Path) -> list[Path]:
    """One PNG per pool with a series; the paths written."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ConfigError([Problem("--plot", "needs matplotlib: pip install 'backbone[plot]' (or matplotlib)")]) \
            from None
    if folder.exists() and not folder.is_dir():
        raise ConfigError([Problem("--plot", f"{folder} is not a directory")])
    folder.mkdir(parents=True, exist_ok=True)
    times = [datetime.fromtimestamp(t, UTC) for t in report.window.times]
    written = []
    for entry in report.entries:
        if entry.kind != "pool" or "nodes" not in entry.series:
            continue
        path = folder / f"{_file_name(entry.name)}.png"
        figure = _figure(plt, entry, times, report)
        figure.savefig(path, dpi=100)
        plt.close(figure)
        written.append(path)
    return written


def _figure(plt: Any, entry: Utilization, times: list[datetime], report: UtilizationReport) -> Any:
    s = entry.series
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6), sharex=True)
    if "mean_util" in s:
        top.plot(times, s["mean_util"], color="tab:blue", linewidth=0.8, label="mean GPU utilization (%)")
        top.set_ylim(0, 115)
    top.set_ylabel("utilization %")
    top.legend(loc="upper left")
    top.axhline(100, color="lightgray", linewidth=0.5)
    bottom.plot(times, s["nodes"], color="tab:gray", linewidth=1.2, label="nodes")
    per_node = entry.observed.get("accelerators_per_node") or 1
    if "busy" in s:
        busy_nodes = [None if b is None else b / per_node for b in s["busy"]]
        bottom.plot(times, busy_nodes, color="tab:green", linewidth=0.8,
                    label=f"busy accelerators ÷ {per_node} (nodes' worth)")
    if entry.proposal and "maxNodes" in entry.proposal:
        bottom.axhline(entry.proposal["maxNodes"], color="tab:red", linestyle="--",
                       label=f"proposed maxNodes {entry.proposal['maxNodes']}")
    bottom.set_ylabel("nodes")
    highest = max([n for n in s["nodes"] if n is not None] + [entry.proposal.get("maxNodes", 0) if entry.proposal
                                                             else 0, 1])
    bottom.set_ylim(0, highest * 1.45)  # room for the legend above the lines
    bottom.legend(loc="upper left", ncols=3)
    saving = "" if not entry.monthly_savings_usd else f" · saves ${entry.monthly_savings_usd:,.0f} a month"
    fig.suptitle(f"{entry.name}: {entry.verdict}{saving}  ({report.window.window} at {report.window.step})")
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
