"""The pull-request comment: one summary row per stack, then the violations and what could not be verified."""

from __future__ import annotations

from backbone.report.figures import amount, figure, usd
from backbone.report.model import BLOCKING, Finding, PlanReport, StackReport

__all__ = ["render"]

MARK = {"pass": "✅ pass", "fail": "❌ fail"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _span(low: str, high: str) -> str:
    return low if low == high else f"{low}–{high}"


def _row(s: StackReport) -> str:
    c = s.capacity
    cells = [
        f"`{s.stack}`", s.cloud, _span(amount(c.accelerators_min), amount(c.accelerators_max)),
        figure(c.fabric_gbps_per_accelerator, "Gbps"),
        figure(c.storage_mbps_per_accelerator, "MB/s") if c.has_storage else "no file system",
        _span(usd(c.monthly_usd_min), usd(c.monthly_usd_max)), MARK[s.verdict],
    ]
    return "| " + " | ".join(_cell(x) for x in cells) + " |"


def _finding(stack: str, f: Finding) -> str:
    where = f"`{f.config_path}`" + (f" (line {f.line})" if f.line else "") if f.config_path else ""
    return "| " + " | ".join(_cell(x) for x in (
        f"`{stack}`", f.level, f"`{f.policy}`", f"`{f.resource}`", where, f.message)) + " |"


def render(report: PlanReport) -> str:
    verdict = MARK[report.verdict]
    lines = [
        "<!-- backbone-plan -->",
        f"### Backbone plan: {verdict}",
        "",
        f"{report.count(BLOCKING)} mandatory · {report.count('advisory')} advisory · "
        f"{report.cannot_verify_count} cannot verify · policy pack `{report.pack}` {report.pack_version}",
        "",
        "| stack | cloud | accelerators (min–max) | fabric per accelerator | storage per accelerator "
        "| monthly on-demand (min–max) | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [_row(s) for s in report.stacks]
    lines += _findings("Violations", [(s.stack, f) for s in report.stacks for f in s.violations])
    lines += _findings("Cannot verify in preview", [(s.stack, f) for s in report.stacks for f in s.cannot_verify])
    return "\n".join(lines) + "\n"


def _findings(title: str, findings: list[tuple[str, Finding]]) -> list[str]:
    """A titled table of findings, or nothing when there are none."""
    if not findings:
        return []
    return ["", f"#### {title}", "", "| stack | level | policy | resource | config | message |",
            "| --- | --- | --- | --- | --- | --- |", *(_finding(stack, f) for stack, f in findings)]
