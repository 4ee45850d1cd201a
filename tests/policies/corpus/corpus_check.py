"""Comparing what the pack found on a corpus case with what the case expects, policy by policy."""

from __future__ import annotations

import re

from corpus_case import BLOCK, JUDGED, PASS, Case, Outcome
from policy_verdict import Verdict

from backbone.analyzer import Diagnostic

__all__ = ["UNCLEAR_MESSAGES", "actual_mandatory", "found_lines", "mismatches", "outcome_of", "unclear_messages"]

UNCLEAR_MESSAGES = {
    r"\? ×": "an unknown count printed as '?' (say which input is unknown instead)",
    r"GPUDIRECT|INFINIBAND": "a fabric name shouted in capitals",
    r"\(([\d,.]+) Gbps per accelerator of \1\)": "'not fully configured' next to the full bandwidth",
}
"""Issue 9, class 11: messages that leave the reader guessing."""


def outcome_of(verdict: Verdict, policy: str) -> Outcome:
    found = verdict.violations(policy)
    if any(d.level == "mandatory" for d in found):
        return BLOCK
    if found:
        return Outcome.ADVISE
    return Outcome.UNVERIFIED if verdict.cannot_verify(policy) else PASS


def actual_mandatory(verdict: Verdict) -> str:
    return "block" if any(d.level == "mandatory" for d in verdict.violations()) else "pass"


def found_lines(verdict: Verdict) -> str:
    """Everything the pack found on a case, one line each, for a failing test's message."""
    return "\n".join(f"  {d.policy} [{d.level}{', cannot verify' if d.cannot_verify else ''}] "
                     f"{d.urn.rsplit('::', 1)[-1]}: {d.detail}" for d in verdict.found)


def mismatches(case: Case, verdict: Verdict) -> list[str]:
    """Every way the verdict differs from the case's expectation (empty: the verdict is right)."""
    wrong: list[str] = []
    for policy in JUDGED:
        want = case.expected.get(policy)
        outcome = want.outcome if want else PASS
        got = outcome_of(verdict, policy)
        why = want.why if want else "(not listed: nothing expected)"
        if not outcome.admits(got):
            wrong.append(f"{policy}: expected {outcome.value}, got {got.value} — expected because {why}")
            continue
        if want is None:
            continue
        found = verdict.violations(policy) or verdict.cannot_verify(policy)
        if want.on and got in (BLOCK, Outcome.ADVISE) and not any(d.urn.endswith(f"::{want.on}") for d in found):
            wrong.append(f"{policy}: expected on resource {want.on!r}, found on "
                         f"{[d.urn.rsplit('::', 1)[-1] for d in found]}")
        for text in want.says:
            if found and not any(text in d.detail for d in found):
                wrong.append(f"{policy}: the finding should say {text!r}: {[d.detail for d in found]}")
    return wrong


def unclear_messages(found: list[Diagnostic]) -> list[str]:
    return [f"{d.policy}: {why}: {d.detail}" for d in found for pattern, why in UNCLEAR_MESSAGES.items()
            if re.search(pattern, d.detail)]
