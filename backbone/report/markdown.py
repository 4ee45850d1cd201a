"""The pull-request comment: one summary row per stack, then the violations and what could not be verified."""

from __future__ import annotations

from backbone._version import __version__
from backbone.report.change_text import headline, stack_line
from backbone.report.delta import Change
from backbone.report.escape import markdown_code, markdown_text
from backbone.report.excess import EXCESS_TITLES
from backbone.report.figures import amount, figure, usd
from backbone.report.model import BLOCKING, Finding, PlanReport, StackReport, finding_key

__all__ = ["render"]

MARK = {"pass": "✅ pass", "fail": "❌ fail"}


def _cell(text: str) -> str:
    """Plain text in a table cell (figures, levels): escaped like any text from a pull request."""
    return markdown_text(text)


def _span(low: str, high: str) -> str:
    return low if low == high else f"{low}–{high}"


def _row(s: StackReport) -> str:
    c = s.capacity
    cells = [
        markdown_code(s.stack), _cell(s.cloud), _span(amount(c.accelerators_min), amount(c.accelerators_max)),
        figure(c.fabric_gbps_per_accelerator, "Gbps"),
        figure(c.storage_mbps_per_accelerator, "MB/s") if c.has_storage else "no file system",
        _span(usd(c.monthly_usd_min), usd(c.monthly_usd_max)), MARK[s.verdict],
    ]
    return "| " + " | ".join(cells[:2] + [_cell(x) for x in cells[2:]]) + " |"


def _finding(stack: str, f: Finding, mark: str) -> str:
    where = markdown_code(f.program_site) if f.program_site else \
        markdown_code(f.config_path) + (f" (line {f.line})" if f.line else "") if f.config_path else ""
    message = f.message
    if f.waiver is not None and f.waived:
        mark = "waived · "
        message += f" — waived until {f.waiver.expires} by {f.waiver.owner}: {f.waiver.reason}"
    elif f.waiver is not None:
        message += f" — waiver {f.waiver.source} expired on {f.waiver.expires}: it counts again"
    return "| " + " | ".join((markdown_code(stack), _cell(mark + f.level), markdown_code(f.policy),
                              markdown_code(f.resource), where, _cell(message))) + " |"


COMMENT_LIMIT = 60_000
"""GitHub refuses a comment over 65,536 characters; leave room for what a workflow adds around the report."""
TRUNCATED = ("**{left} more rows are not shown: this comment is limited in size. The full report (JSON, SARIF) is "
             "attached to the workflow run as an artifact.**")


def render(report: PlanReport, limit: int = COMMENT_LIMIT) -> str:
    verdict = MARK[report.verdict]
    lines = [
        "<!-- backbone-plan -->",
        f"### Backbone {report.command}: {verdict}",
        "",
        *(_change(report, report.change) if report.change else []),
        f"{report.count(BLOCKING)} mandatory · {report.count('advisory')} advisory · "
        f"{report.cannot_verify_count} cannot verify · {report.waived_count} waived · "
        f"policy pack {markdown_code(report.pack)} {markdown_text(report.pack_version)} · Backbone {__version__}",
        "",
        "| stack | cloud | accelerators (min–max) | fabric per accelerator | storage per accelerator "
        "| monthly cost (min–max) | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [_row(s) for s in report.stacks]
    lines += _runtime(report)
    lines += _coverage(report)
    lines += _read_coverage(report)
    unknown = [f"⚠️ {markdown_code(s.stack)}: unknown result of {_cell(d)} (--unknown-invokes: what depends on it "
               "cannot be verified)" for s in report.stacks for d in s.unknown_invokes]
    lines += ["", *unknown] if unknown else []
    if report.weakened_summary():
        lines += ["", f"⚠️ {markdown_text(report.weakened_summary())}"]
    lines += ["", *(f"ℹ️ {markdown_text(line)}" for line in report.catalog_summary())] if report.catalog_overlays else []
    lines += _findings("Violations", [(s.stack, f) for s in report.stacks for f in s.violations], report.change)
    lines += _findings("Waived (accepted risks, failing nothing)",
                       [(s.stack, f) for s in report.stacks for f in s.waived])
    lines += _waiver_notes(report)
    if report.command == "audit":
        lines += _excess(report)
    if report.utilization is not None:
        lines += report.utilization.markdown()
    unknown_title = "Cannot verify in preview" if report.command == "plan" else "Cannot verify"
    lines += _findings(unknown_title, [(s.stack, f) for s in report.stacks for f in s.cannot_verify])
    return _fit(lines, limit)


def _waiver_notes(report: PlanReport) -> list[str]:
    """Waivers that expired (their findings count again) and waivers that matched nothing (stale)."""
    rows = [("expired", w) for w in report.expired_waivers] + [("stale: matched nothing", w)
                                                               for w in report.stale_waivers]
    if not rows:
        return []
    return ["", "#### Waivers to look at", "", "| waiver | state | policy | owner | expires | reason |",
            "| --- | --- | --- | --- | --- | --- |",
            *("| " + " | ".join((markdown_code(w.source), _cell(state), markdown_code(w.policy), _cell(w.owner),
                                 _cell(w.expires), _cell(w.reason))) + " |" for state, w in rows)]
def _coverage(report: PlanReport) -> list[str]:
    """Per stack, the managed services counted beside the cost, and what the cost leaves out."""
    rows = [f"| {markdown_code(s.stack)} | {_cell(s.coverage.services_line() or 'none counted')} | "
            f"{_cell('; '.join(s.coverage.left_out))} |" for s in report.stacks if s.coverage is not None]
    if not rows:
        return []
    return ["", "| stack | managed services (not in the monthly cost) | the cost leaves out |", "| --- | --- | --- |",
            *rows]


def _runtime(report: PlanReport) -> list[str]:
    """What pods get from each stack's Kubernetes runtime (device plugins, fabric to pods, CSI volumes)."""
    if not any(s.capacity.runtime for s in report.stacks):
        return []
    rows = [f"| {markdown_code(s.stack)} | {_cell(s.capacity.runtime or 'none in this stack')} |"
            for s in report.stacks]
    return ["", "| stack | runtime (to pods) |", "| --- | --- |", *rows]


def _read_coverage(report: PlanReport) -> list[str]:
    """Per stack, the pools judged and what was not read (marked: its accelerators and cost are unknown)."""
    rows = [f"| {markdown_code(s.stack)} | {'' if s.capacity.read_coverage.complete else '⚠️ '}"
            f"{_cell(s.capacity.read_coverage.statement())} |" for s in report.stacks]
    return ["", "| stack | what the pack read |", "| --- | --- |", *rows]


def _fit(lines: list[str], limit: int) -> str:
    """The comment, cut to ``limit`` characters at a whole line when it is longer (a PR comment holds at most
    65,536): the rows that fit, then how many were left out and where the full report is."""
    text = "\n".join(lines) + "\n"
    if len(text) <= limit:
        return text
    kept: list[str] = []
    size = len(TRUNCATED) + 64
    for line in lines:
        if size + len(line) + 1 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    rest = lines[len(kept):]
    # rows of data: a table's header (the line above its `| ---` line) and the separator are not rows
    left = sum(1 for i, line in enumerate(rest) if line.startswith("| ") and not line.startswith("| ---")
               and not (i + 1 < len(rest) and rest[i + 1].startswith("| ---")))
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join([*kept, "", TRUNCATED.format(left=left)]) + "\n"


def _findings(title: str, findings: list[tuple[str, Finding]], change: Change | None = None) -> list[str]:
    """A titled table of findings, or nothing when there are none."""
    if not findings:
        return []
    return ["", f"#### {title}", "", "| stack | level | policy | resource | config | message |",
            "| --- | --- | --- | --- | --- | --- |",
            *(_finding(stack, f, _mark(stack, f, change)) for stack, f in findings)]


def _mark(stack: str, f: Finding, change: Change | None) -> str:
    if change is None:
        return ""
    return "🆕 new · " if change.is_new(finding_key(stack, f)) else "on base · "


def _change(report: PlanReport, change: Change) -> list[str]:
    """``--baseline``: the change first, in one bold line, then a row per stack."""
    lines = [f"**Against the baseline:** {_cell(headline(report, change))}", "",
             "| stack | change | accelerators and monthly cost at max scale |", "| --- | --- | --- |"]
    lines += ["| " + " | ".join((markdown_code(c.stack), _cell(c.status), _cell(stack_line(c)))) + " |"
              for c in change.stacks]
    if any(f.blocking and not change.is_new(finding_key(s.stack, f)) for s in report.stacks for f in s.violations):
        lines += ["", "A mandatory violation already on the baseline still fails this check: fix it, or lower its "
                      "level in the policy config."]
    return [*lines, ""]


def _excess(report: PlanReport) -> list[str]:
    """``backbone audit``: what the deployed stacks provision beyond need."""
    rows = [(s.stack, e) for s in report.stacks for e in s.excess]
    if not rows:
        return ["", "#### Provisioned beyond need", "", "Nothing found."]
    return ["", "#### Provisioned beyond need", "", "| stack | what | resource | per month | detail |",
            "| --- | --- | --- | --- | --- |",
            *("| " + " | ".join((
                markdown_code(stack), _cell(EXCESS_TITLES[e.kind]), markdown_code(e.resource),
                _cell("unknown" if e.monthly_usd is None else f"${e.monthly_usd:,.0f}"), _cell(e.message))) + " |"
              for stack, e in rows)]
