"""The words for a change against a baseline, shared by the text and Markdown reports (shown first)."""

from __future__ import annotations

from backbone.report.delta import Change, Figure, StackChange
from backbone.report.model import BLOCKING, Finding, PlanReport, finding_key

__all__ = ["already_present", "headline", "new_findings", "stack_line"]


def _signed(value: float, money: bool = False) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    text = f"{abs(value):,.0f}"
    return f"{sign}${text}" if money else f"{sign}{text}"


def _left_out(parts: tuple[str, ...], known: bool, both_sides: bool) -> str:
    """The parts a delta leaves out. ``both_sides`` is False where a stack exists on one side only (new or removed):
    its parts have no figure, but there is no other side to lack one."""
    if not parts:
        return ""
    if known:
        return f"not counting {', '.join(parts)}: no figure" + (" on either side" if both_sides else "")
    return f"counted on one side only: {', '.join(parts)}"


def _figure(delta: float | None, parts: tuple[str, ...], what: str, money: bool, span: str,
            both_sides: bool) -> str:
    """``+128 accelerators (128 → 256)``, ``monthly cost: unknown (counted on one side only: x)``."""
    text = f"{what}: unknown" if delta is None else f"{_signed(delta, money)} {what}"
    notes = [n for n in (span, _left_out(parts, delta is not None, both_sides)) if n]
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _accelerators(delta: float | None, parts: tuple[str, ...], models: dict[str, int] | None,
                  span: str, both_sides: bool) -> str:
    """``+128 × nvidia-h100-80gb (128 → 256)`` where the reports say which models; else ``+128 accelerators``."""
    if delta is None or not models or sum(models.values()) != delta:
        return _figure(delta, parts, "accelerators", False, span, both_sides)
    text = ", ".join(f"{_signed(n)} × {model}" for model, n in models.items())
    notes = [n for n in (span, _left_out(parts, True, both_sides)) if n]
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _span(before: Figure | None, after: Figure | None, money: bool = False) -> str:
    def one(f: Figure | None) -> str:
        if f is None:
            return "none"
        text = f"${f.value:,.0f}" if money else f"{f.value:,.0f}"
        if f.unknown and f.value == 0:
            return "unknown"
        return f"≥ {text}" if f.unknown else text
    return f"{one(before)} → {one(after)}"


def stack_line(c: StackChange) -> str:
    """``+128 accelerators (128 → 256), +$642,867 per month at max scale (≥ $642,867 → ≥ $1,285,734; not
    counting …)``."""
    both = c.status in ("changed", "unchanged")
    return (_accelerators(c.accelerators_delta, c.accelerators_not_counted, c.models_delta,
                          _span(c.accelerators_before, c.accelerators_after), both) + ", "
            + _figure(c.monthly_delta, c.monthly_not_counted, "per month at max scale", True,
                      _span(c.monthly_before, c.monthly_after, money=True), both))


def new_findings(report: PlanReport, change: Change) -> list[tuple[str, Finding]]:
    return [(s.stack, f) for s in report.stacks for f in s.violations if change.is_new(finding_key(s.stack, f))]


def already_present(report: PlanReport, change: Change, stack: str, finding: Finding) -> bool:
    return not change.is_new(finding_key(stack, finding))


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def headline(report: PlanReport, change: Change) -> str:
    """``+128 accelerators, +$642,867 per month at max scale; 1 new mandatory violation`` — the PR in a line."""
    accelerators, a_parts = change.total("accelerators")
    monthly, m_parts = change.total("monthly")
    both = not (change.new_stacks or change.removed_stacks)
    parts = [_accelerators(accelerators, a_parts, change.models_delta(), "", both),
             _figure(monthly, m_parts, "per month at max scale", True, "", both)]
    new = new_findings(report, change)
    mandatory = sum(1 for _, f in new if f.level == BLOCKING)
    violations = [_count(mandatory, "new mandatory violation")]
    if len(new) - mandatory:
        violations.append(_count(len(new) - mandatory, "new advisory finding"))
    old = sum(1 for s in report.stacks for f in s.violations if f.blocking
              and already_present(report, change, s.stack, f))
    if old:
        violations.append(f"{old} mandatory already on the baseline (still blocks)")
    resolved = sum(len(c.resolved) for c in change.stacks)
    if resolved:
        violations.append(f"{resolved} fixed")
    stacks = []
    if change.new_stacks:
        stacks.append(f"new: {', '.join(change.new_stacks)}")
    if change.removed_stacks:
        stacks.append(f"removed: {', '.join(change.removed_stacks)}")
    text = ", ".join(parts) + "; " + ", ".join(violations)
    return text + (f"; stacks {'; '.join(stacks)}" if stacks else "")
