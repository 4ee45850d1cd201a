"""The default report: readable at a glance by a tired on-call engineer. Per stack the resources, the
capacity, the violations by level with the resource they name, what could not be verified; then the verdict."""

from __future__ import annotations

import textwrap

from backbone.report.change_text import headline, stack_line
from backbone.report.colour import coloured
from backbone.report.delta import Change
from backbone.report.escape import annotation_safe
from backbone.report.excess import EXCESS_TITLES
from backbone.report.figures import amount, figure, usd
from backbone.report.model import BLOCKING, Finding, PlanReport, StackReport, finding_key

__all__ = ["render"]

WIDTH = 100
LEVEL_ORDER = ("mandatory", "remediate", "advisory")


def _capacity(stack: StackReport, audit: bool = False) -> list[str]:
    c = stack.capacity
    rows = [
        ("", "at min scale", "at max scale"),
        ("accelerators", amount(c.accelerators_min), amount(c.accelerators_max)),
        ("accelerator memory", "", amount(c.accelerator_memory_gib, "GiB")),
        ("cost / hour", usd(c.hourly_usd_min), usd(c.hourly_usd_max)),
        ("cost / month", usd(c.monthly_usd_min), usd(c.monthly_usd_max)),
    ]
    lines = ["  capacity"]
    lines += [f"    {a:<24}{b:>18}{c_:>22}" for a, b, c_ in rows]
    for priced in c.pricing:
        lines += textwrap.wrap(f"priced: {priced}", WIDTH, initial_indent="    ", subsequent_indent="      ",
                               break_on_hyphens=False)
    fabric = figure(c.fabric_gbps_per_accelerator, "Gbps per accelerator") \
        if c.fabric_gbps_per_accelerator is not None else "— (no multi-node training pool)"
    lines.append(f"    {'fabric':<24}{fabric:>40}")
    if not c.has_storage:
        storage = "none"
    else:
        storage = (f"{amount(c.storage_tib, 'TiB', 1)} · {amount(c.storage_mbps, 'MB/s')} · "
                   f"{figure(c.storage_mbps_per_accelerator, 'MB/s per accelerator')}")
    lines.append(f"    {'parallel storage':<24}{storage:>40}")
    lines.append(f"    {'runtime (to pods)':<24}{c.runtime or 'none in this stack'}")
    lines += textwrap.wrap(f"read by the pack: {c.read_coverage.statement()}", WIDTH, initial_indent="    ",
                           subsequent_indent="      ", break_on_hyphens=False)
    missing = sorted({part for total in c.totals().values() for part in total.unknown})
    if missing:
        why = "an encrypted secret, or no catalog figure" if audit else "unknown in preview, or no catalog figure"
        lines += textwrap.wrap(f"not counted ({why}): {', '.join(missing)}",
                               WIDTH, initial_indent="    ", subsequent_indent="      ", break_on_hyphens=False)
    return lines + _coverage(stack)


def _coverage(stack: StackReport) -> list[str]:
    """What the cost above counts, the managed services counted beside it, and what neither counts."""
    cov = stack.coverage
    if cov is None:
        return []
    said = [f"cost covers: {'; '.join(cov.includes)}"]
    if cov.services:
        said.append(f"managed services, not in the cost above: {cov.services_line()}")
    said.append(f"cost leaves out: {'; '.join(cov.left_out)}")
    return [line for text in said for line in textwrap.wrap(text, WIDTH, initial_indent="    ",
                                                               subsequent_indent="      ", break_on_hyphens=False)]


def _finding(f: Finding, label: str, file: str, mark: str = "") -> list[str]:
    body = textwrap.wrap(f.message, WIDTH - 15, break_on_hyphens=False) or [""]
    lines = [f"    {label:<10} {f.policy} · {f.resource}{mark}"] + [f"{' ' * 15}{line}" for line in body]
    if f.program_site:
        lines.append(f"{' ' * 15}at {f.program_site}")
    if f.config_path:
        where = f"{file}:{f.line}" if f.line else file
        lines.append(f"{' ' * 15}at {where} ({f.config_path})")
    if f.waiver is not None:
        w = f.waiver
        said = (f"waived until {w.expires} by {w.owner}: {w.reason} ({w.source})" if f.waived else
                f"waiver expired on {w.expires} (owner {w.owner}, {w.source}): it counts again")
        lines += textwrap.wrap(said, WIDTH, initial_indent=" " * 15, subsequent_indent=" " * 17,
                               break_on_hyphens=False)
    return lines


def _stack(stack: StackReport, change: Change | None = None, audit: bool = False) -> list[str]:
    resources = f"{stack.resource_count} provider resource{'' if stack.resource_count == 1 else 's'}"
    lines = [f"== {stack.stack}  ({stack.cloud}, {stack.file}): {resources}"]
    lines.append("  provider resources by type")
    lines += [f"    {count:5d}  {type_}" for type_, count in stack.resources_by_type.items()]
    lines += _capacity(stack, audit)
    violations = stack.violations
    if violations:
        lines.append("  violations")
        for level in LEVEL_ORDER:
            for f in violations:
                if f.level == level:
                    lines += _finding(f, level.upper(), stack.file, _mark(stack, f, change))
    if stack.waived:
        lines.append("  waived (accepted risks: they fail nothing)")
        for f in stack.waived:
            lines += _finding(f, "WAIVED", stack.file)
    if audit:
        lines += _excess(stack)
    if stack.cannot_verify:
        lines.append("  cannot verify (not known in the state: an encrypted secret, or no catalog figure; set strict: "
                     "true to block)" if audit else
                     "  cannot verify (a value unknown until the resources exist, or a figure the catalog lacks; "
                     "strict: true blocks)")
        for f in stack.cannot_verify:
            lines += _finding(f, "UNKNOWN", stack.file)
    if stack.unknown_invokes:
        lines.append("  unknown results (--unknown-invokes: what depends on them cannot be verified)")
        for described in stack.unknown_invokes:
            lines += textwrap.wrap(described, WIDTH, initial_indent="    ", subsequent_indent="      ",
                                   break_on_hyphens=False)
    counts = f"{stack.count(BLOCKING)} mandatory, {stack.count('advisory')} advisory, " \
             f"{len(stack.cannot_verify)} cannot verify" + (f", {len(stack.waived)} waived" if stack.waived else "")
    lines.append(f"  {stack.stack}: {stack.verdict.upper()} ({counts})")
    return lines


def _stacks(n: int) -> str:
    return f"{n} stack" if n == 1 else f"{n} stacks"


def render(report: PlanReport, colour: bool = False) -> str:
    lines: list[str] = _change(report, report.change) if report.change else []
    for stack in report.stacks:
        lines += _stack(stack, report.change, report.command == "audit")
        lines.append("")
    if report.utilization is not None:
        lines += [*report.utilization.text(), ""]
    blocked = [s.stack for s in report.stacks if s.verdict == "fail"]
    if blocked:
        verdict = f"FAIL: {len(blocked)} of {_stacks(len(report.stacks))} blocked ({', '.join(blocked)})"
    else:
        verdict = f"PASS: {_stacks(len(report.stacks))}, no mandatory violation"
    waived = f", {report.waived_count} waived" if report.waived_count else ""
    lines.append(f"verdict: {verdict}; {report.count(BLOCKING)} mandatory, {report.count('advisory')} advisory, "
                 f"{report.cannot_verify_count} cannot verify{waived}")
    if report.fail_on != "mandatory":
        lines.append(f"exit code {report.exit_code} (--fail-on {report.fail_on})")
    if report.weakened_summary():
        lines.append(f"note: {report.weakened_summary()}")
    lines += [f"note: {line}" for line in report.catalog_summary()]
    lines += _waiver_notes(report)
    # every entry is escaped for the terminal: no control character, no line a CI runner reads as a command
    escaped = (annotation_safe(line) for line in lines)
    return "\n".join(coloured(line) if colour else line for line in escaped) + "\n"


def _waiver_notes(report: PlanReport) -> list[str]:
    """Waivers that expired (their findings count again) and waivers that matched nothing (stale)."""
    lines = []
    for w in report.expired_waivers:
        lines += textwrap.wrap(f"expired waiver: {w.source} ({w.policy}, owner {w.owner}) expired on {w.expires}; "
                               f"renew it with a new date or fix the finding", WIDTH, subsequent_indent="  ",
                               break_on_hyphens=False)
    for w in report.stale_waivers:
        lines += textwrap.wrap(f"stale waiver: {w.source} ({w.policy}, stack {w.stack}, resource {w.resource}) "
                               f"matched nothing in this run: remove it or fix its globs", WIDTH,
                               subsequent_indent="  ", break_on_hyphens=False)
    return lines


def _mark(stack: StackReport, f: Finding, change: Change | None) -> str:
    if change is None:
        return ""
    return "  (new)" if change.is_new(finding_key(stack.stack, f)) else "  (already on the baseline)"


def _change(report: PlanReport, change: Change) -> list[str]:
    """``--baseline``: the change first — one line for the whole run, then one per stack."""
    lines = textwrap.wrap(f"change against {change.file}: {headline(report, change)}", WIDTH, subsequent_indent="  ",
                          break_on_hyphens=False)
    width = max(len(c.stack) for c in change.stacks) if change.stacks else 0
    for c in change.stacks:
        lines += textwrap.wrap(f"{c.stack:<{width}}  {c.status:<9}  {stack_line(c)}", WIDTH,
                               initial_indent="  ", subsequent_indent=" " * (width + 15), break_on_hyphens=False)
    if any(f.blocking and not change.is_new(finding_key(s.stack, f)) for s in report.stacks for f in s.violations):
        lines += textwrap.wrap("a mandatory violation already on the baseline still fails the plan: fix it, or "
                               "lower its level in the policy config", WIDTH, initial_indent="  ",
                               subsequent_indent="  ")
    return [*lines, ""]


def _excess(stack: StackReport) -> list[str]:
    """``backbone audit``: what the deployed stack provisions beyond need."""
    if not stack.excess:
        return ["  provisioned beyond need: nothing found"]
    lines = ["  provisioned beyond need"]
    for item in stack.excess:
        cost = " (cost per month unknown: no price)" if item.monthly_usd is None else \
            f" (${item.monthly_usd:,.0f} per month)"
        lines.append(f"    {EXCESS_TITLES[item.kind]} · {item.resource}{cost}")
        lines += [f"{' ' * 15}{line}" for line in textwrap.wrap(item.message, WIDTH - 15, break_on_hyphens=False)]
    return lines
