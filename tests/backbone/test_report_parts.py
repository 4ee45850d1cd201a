"""The small parts of the reports, each on its own: where colour goes (and where it never goes), when colour is
used at all (no-color.org, ``TERM=dumb``, not a terminal), the format dispatch's plain default, and a finding's
subject when the pack names none. The golden files (test_report_golden.py) check whole reports."""

from __future__ import annotations

import io

import pytest

from backbone.analyzer import Diagnostic
from backbone.policies.inventory.facts import Inventory
from backbone.report import render
from backbone.report.colour import coloured, use_colour
from backbone.report.delta import Change
from backbone.report.model import Capacity, Finding, PlanReport, StackReport
from backbone.report.text import render as text_render

RED, GREEN, OFF = "\x1b[1;31m", "\x1b[1;32m", "\x1b[0m"


@pytest.mark.parametrize(("line", "shown"), [
    # the verdict word, even when the rest of the line has colons of its own
    ("verdict: FAIL: 1 of 2 stacks blocked (a); note: b", f"verdict: {RED}FAIL{OFF}: 1 of 2 stacks blocked (a); "
                                                          "note: b"),
    ("verdict: PASS: 1 stack", f"verdict: {GREEN}PASS{OFF}: 1 stack"),
    # a level label at the finding's indent, followed by its policy
    ("    MANDATORY  max-accelerators · pool", f"    {RED}MANDATORY{OFF}  max-accelerators · pool"),
    ("    UNKNOWN    tpu-topology · pool", "    \x1b[36mUNKNOWN\x1b[0m    tpu-topology · pool"),
    # never elsewhere: a word of a message, deeper indented, or not at the label's indent
    ("               MANDATORY is a word of this message", "               MANDATORY is a word of this message"),
    ("     FAIL at five spaces", "     FAIL at five spaces"),
    ("abcdFAIL without the indent", "abcdFAIL without the indent"),
    ("  prod: FAIL (1 mandatory)", "  prod: FAIL (1 mandatory)"),
    ("verdict: maybe: not a verdict word", "verdict: maybe: not a verdict word"),
])
def test_colour_paints_only_the_level_label_and_the_verdict_word(line: str, shown: str) -> None:
    assert coloured(line) == shown


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize(("tty", "env", "disabled", "expected"), [
    (True, {}, False, True),
    (True, {}, True, False),  # --no-color
    (True, {"NO_COLOR": "1"}, False, False),
    (True, {"TERM": "dumb"}, False, False),
    (False, {}, False, False),  # a pipe or a file
])
def test_colour_is_used_on_a_terminal_only(tty: bool, env: dict[str, str], disabled: bool, expected: bool,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_colour(_Stream(tty), disabled) is expected
    if disabled:  # not disabled by default: the same terminal gets colour
        assert use_colour(_Stream(tty)) is True


def test_no_stream_is_never_coloured() -> None:
    assert use_colour(None) is False


def _report(change: Change | None = None) -> PlanReport:
    finding = Finding(policy="max-accelerators", level="mandatory", urn="urn:pulumi:s::p::t::pool", message="too many",
                      cannot_verify=False, subject="urn:pulumi:s::p::t::pool")
    stack = StackReport(stack="s", cloud="aws", file="Pulumi.s.yaml", resources_by_type={"t": 1},
                        capacity=Capacity.of(Inventory()), findings=(finding,))
    return PlanReport(stacks=(stack,), change=change, catalog_overlays=())


def test_the_text_format_is_plain_unless_colour_is_asked_for() -> None:
    assert "\x1b[" not in render(_report(), "text")
    assert f"verdict: {RED}FAIL{OFF}" in render(_report(), "text", colour=True)


def test_a_change_with_no_stacks_on_either_side_renders() -> None:
    change = Change(file="base.json", stacks=(), present=frozenset())
    assert text_render(_report(change)).startswith("change against base.json: ")


def test_a_finding_is_about_its_own_resource_unless_the_pack_names_another() -> None:
    diagnostic = Diagnostic("max-accelerators", "mandatory", "urn:pulumi:s::p::t::pool", "too many", "Ensure …")
    assert Finding.of(diagnostic).subject == "urn:pulumi:s::p::t::pool"
    assert Finding.of(diagnostic, subject="urn:pulumi:s::p::t::other").subject == "urn:pulumi:s::p::t::other"


def test_a_stack_the_change_does_not_know_has_no_change() -> None:
    change = Change(file="base.json", stacks=(), present=frozenset())
    assert change.of("s") is None
