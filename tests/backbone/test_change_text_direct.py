"""The words of a change against a baseline (``backbone.report.change_text``), each part on its own: signs (a true
minus sign, U+2212, as the reports print it), dollars, the parts a delta leaves out on one or both sides, the span
of a figure (none, unknown, a lower bound), the accelerators per model where the models add up to the delta, and
one stack's line. The golden files (test_report_golden.py) show them inside whole reports."""

from __future__ import annotations

import pytest

from backbone.report.change_text import _accelerators, _figure, _left_out, _signed, _span, headline, stack_line
from backbone.report.delta import Change, Figure, StackChange
from backbone.report.model import PlanReport

MINUS = "\u2212"


@pytest.mark.parametrize("value, money, text", [
    (128, False, "+128"), (-128, False, f"{MINUS}128"), (0, False, "0"), (0.4, False, "+0"),
    (642_867.2, True, "+$642,867"), (-1_500.4, True, f"{MINUS}$1,500"), (0, True, "$0"),
])
def test_a_signed_figure(value: float, money: bool, text: str) -> None:
    assert _signed(value, money) == text


@pytest.mark.parametrize("parts, known, both_sides, text", [
    ((), True, True, ""),
    (("a", "b"), True, True, "not counting a, b: no figure on either side"),
    (("a",), True, False, "not counting a: no figure"),
    (("a", "b"), False, True, "counted on one side only: a, b"),
])
def test_what_a_delta_leaves_out(parts: tuple[str, ...], known: bool, both_sides: bool, text: str) -> None:
    assert _left_out(parts, known, both_sides) == text


@pytest.mark.parametrize("delta, parts, money, span, both_sides, text", [
    (128, (), False, "128 → 256", True, "+128 accelerators (128 → 256)"),
    (None, ("a",), False, "", True, "accelerators: unknown (counted on one side only: a)"),
    (5, ("a",), False, "1 → 6", False, "+5 accelerators (1 → 6; not counting a: no figure)"),
    (0, (), False, "", True, "0 accelerators"),
    (-730, (), True, "", True, f"{MINUS}$730 accelerators"),
])
def test_a_figure_with_its_span_and_what_it_leaves_out(delta: float | None, parts: tuple[str, ...], money: bool,
                                                       span: str, both_sides: bool, text: str) -> None:
    assert _figure(delta, parts, "accelerators", money, span, both_sides) == text


@pytest.mark.parametrize("delta, parts, models, text", [
    (128, (), {"nvidia-h100-80gb": 128}, "+128 × nvidia-h100-80gb (128 → 256)"),
    (0, (), {"a": 8, "b": -8}, f"+8 × a, {MINUS}8 × b (128 → 256)"),
    (128, ("x",), {"nvidia-h100-80gb": 128},
     "+128 × nvidia-h100-80gb (128 → 256; not counting x: no figure on either side)"),
    (128, (), {"nvidia-h100-80gb": 64}, "+128 accelerators (128 → 256)"),  # the models do not add up: the total
    (128, (), {}, "+128 accelerators (128 → 256)"),
    (128, (), None, "+128 accelerators (128 → 256)"),
    (None, (), {"nvidia-h100-80gb": 128}, "accelerators: unknown (128 → 256)"),
])
def test_accelerators_per_model_where_the_models_add_up(delta: float | None, parts: tuple[str, ...],
                                                        models: dict[str, int] | None, text: str) -> None:
    assert _accelerators(delta, parts, models, "128 → 256", True) == text


@pytest.mark.parametrize("before, after, money, text", [
    (Figure(128), Figure(256), False, "128 → 256"),
    (None, Figure(1_000.4), True, "none → $1,000"),
    (Figure(0, ("a",)), Figure(16, ("a",)), False, "unknown → ≥ 16"),
    (Figure(642_867.2, ("b",)), None, True, "≥ $642,867 → none"),
])
def test_the_span_of_a_figure(before: Figure | None, after: Figure | None, money: bool, text: str) -> None:
    assert _span(before, after, money) == text


def test_one_stack_s_line() -> None:
    """16 × p5.48xlarge more (8 H100 each) at $55.04 an hour × 730 h = $642,867 a month."""
    change = StackChange("prod", "changed", Figure(128), Figure(256), Figure(642_867.2), Figure(1_285_734.4),
                         models_before={"nvidia-h100-80gb": 128}, models_after={"nvidia-h100-80gb": 256})
    assert stack_line(change) == ("+128 × nvidia-h100-80gb (128 → 256), +$642,867 per month at max scale "
                                  "($642,867 → $1,285,734)")
    new = StackChange("dev", "new", None, Figure(8, ("x",)), None, Figure(40_179.2))
    # a new stack whose report does not say its models: the total; one side only, so "no figure", not "either side"
    assert stack_line(new) == ("+8 accelerators (none → ≥ 8; not counting x: no figure), +$40,179 per month at max "
                               "scale (none → $40,179)")


def test_models_without_a_span_or_parts_have_no_parentheses() -> None:
    assert _accelerators(8, (), {"nvidia-h100-80gb": 8}, "", True) == "+8 × nvidia-h100-80gb"


NEW = StackChange("dev", "new", None, Figure(8, ("x",)), None, Figure(40_179.2))
REMOVED = StackChange("old", "removed", Figure(16), None, Figure(80_358.4), None)


def test_the_headline_of_a_run_with_new_and_removed_stacks() -> None:
    """A new stack of 8 accelerators ($40,179 a month) and a removed one of 16 ($80,358): −8 and −$40,179; a new
    stack's part without a figure has no other side to lack one."""
    report = PlanReport(stacks=(), catalog_overlays=())
    assert headline(report, Change(file="base.json", stacks=(NEW, REMOVED), present=frozenset())) == (
        f"{MINUS}8 accelerators (not counting x: no figure), {MINUS}$40,179 per month at max scale; 0 new mandatory "
        "violations; stacks new: dev; removed: old")
    assert headline(report, Change(file="base.json", stacks=(NEW,), present=frozenset())) == (
        "+8 accelerators (not counting x: no figure), +$40,179 per month at max scale; 0 new mandatory violations; "
        "stacks new: dev")


def test_the_headline_of_changed_stacks_and_of_several_new_and_removed_ones() -> None:
    report = PlanReport(stacks=(), catalog_overlays=())
    changed = StackChange("prod", "changed", Figure(128, ("x",)), Figure(256, ("x",)), Figure(1_000), Figure(2_000))
    assert headline(report, Change(file="base.json", stacks=(changed,), present=frozenset())) == (
        "+128 accelerators (not counting x: no figure on either side), +$1,000 per month at max scale; 0 new "
        "mandatory violations")
    moved = tuple(StackChange(name, "new", None, Figure(8), None, Figure(10)) for name in ("a", "b")) + tuple(
        StackChange(name, "removed", Figure(8), None, Figure(10), None) for name in ("c", "d"))
    assert headline(report, Change(file="base.json", stacks=moved, present=frozenset())) == (
        "0 accelerators, $0 per month at max scale; 0 new mandatory violations; stacks new: a, b; removed: c, d")
