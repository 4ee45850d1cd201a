"""The ``utilization`` part of an audit report: the run's source and window, one entry per pool and file system,
rendered for JSON, text and Markdown (the Markdown is a ready pull-request or issue comment)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from backbone.report.escape import markdown_code, markdown_text
from backbone.utilization.observe import Window
from backbone.utilization.verdict import Utilization

__all__ = ["UtilizationReport"]

WIDTH = 110


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class UtilizationReport:
    """What ``--prometheus`` read and judged."""

    url: str
    window: Window
    headroom: float
    busy_threshold_pct: float
    entries: tuple[Utilization, ...]
    unmatched_pools: tuple[str, ...]
    queries: int
    seconds: float

    @property
    def monthly_savings_usd(self) -> float:
        return sum(e.monthly_savings_usd or 0.0 for e in self.entries)

    @property
    def not_counted(self) -> list[str]:
        """Over-provisioned entries whose saving has no price (named next to the total)."""
        return [e.name for e in self.entries if e.verdict == "over-provisioned" and e.monthly_savings_usd is None]

    def source(self) -> dict[str, Any]:
        w = self.window
        return {"prometheus": self.url, "window": w.window, "step": w.step, "start": _when(w.start),
                "end": _when(w.end), "headroom": self.headroom, "busy_threshold_pct": self.busy_threshold_pct,
                "queries": self.queries, "seconds": round(self.seconds, 2),
                "pool_labels_not_in_state": list(self.unmatched_pools),
                "monthly_savings_usd": round(self.monthly_savings_usd, 2),
                "monthly_savings_not_counted": self.not_counted}

    def json_entries(self) -> list[dict[str, Any]]:
        return [{"name": e.name, "urn": e.urn, "kind": e.kind, "verdict": e.verdict, "message": e.message,
                 "observed": e.observed, "proposal": e.proposal, "monthly_savings_usd": e.monthly_savings_usd}
                for e in self.entries]

    def _headline(self) -> str:
        w = self.window
        total = f"${self.monthly_savings_usd:,.0f} a month proposed savings"
        if self.not_counted:
            total += f" (not counting {', '.join(self.not_counted)}: no price)"
        return (f"utilization from {self.url}, {w.window} at {w.step} ({_when(w.start)} – {_when(w.end)}, "
                f"{self.queries} queries, {self.seconds:.1f} s): {total}")

    def text(self) -> list[str]:
        lines = textwrap.wrap(self._headline(), WIDTH, initial_indent="  ", subsequent_indent="    ")
        for e in self.entries:
            saving = "" if not e.monthly_savings_usd else f" (−${e.monthly_savings_usd:,.0f} a month)"
            lines.append(f"    {e.verdict.upper():<17} {e.kind} · {e.name}{saving}")
            lines += [f"{' ' * 22}{line}" for line in textwrap.wrap(e.message, WIDTH - 22, break_on_hyphens=False)]
            if e.proposal:
                lines.append(f"{' ' * 22}proposal: {_proposal(e.proposal)}")
        if self.unmatched_pools:
            lines += textwrap.wrap(f"pools in Prometheus that no pool of this state carries (not judged): "
                                   f"{', '.join(self.unmatched_pools)}", WIDTH, initial_indent="    ",
                                   subsequent_indent="      ")
        return lines

    def markdown(self) -> list[str]:
        lines = ["", "#### Utilization", "", markdown_text(self._headline()), "",
                 "| resource | kind | verdict | nodes (min / median / max) | busy accelerators (median / p95) "
                 "| idle accelerator-hours | proposal | saving per month |",
                 "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for e in self.entries:
            o = e.observed
            nodes = "/".join(f"{o['nodes'][k]:g}" for k in ("min", "median", "max")) if "nodes" in o else "–"
            busy = (f"{o['accelerators_busy']['median']:g} / {o['accelerators_busy']['p95']:g}"
                    if "accelerators_busy" in o else
                    f"{o['throughput_mbps']['p95']:,.0f} MB/s p95" if "throughput_mbps" in o else "–")
            idle = "–" if "idle_accelerator_hours" not in o else (
                f"{o['idle_accelerator_hours']:,.0f}" + ("" if o.get("idle_cost_usd") is None else
                                                         f" (${o['idle_cost_usd']:,.0f})"))
            saving = "–" if e.monthly_savings_usd is None else f"${e.monthly_savings_usd:,.0f}"
            cells = (markdown_code(e.name), e.kind, f"**{e.verdict}**", nodes, busy, idle,
                     markdown_text(_proposal(e.proposal)) if e.proposal else "–", saving)
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", *(f"- {markdown_code(e.name)}: {markdown_text(e.message)}" for e in self.entries)]
        if self.unmatched_pools:
            lines += ["", markdown_text("Pools in Prometheus that no pool of this state carries (not judged): "
                                        + ", ".join(self.unmatched_pools))]
        return lines


def _proposal(proposal: dict[str, Any]) -> str:
    keys = ("maxNodes", "minNodes", "capacityTiB", "throughputMBpsPerTiB", "needed_mbps")
    return ", ".join(f"{k} {proposal[k]:g}" for k in keys if isinstance(proposal.get(k), int | float))
