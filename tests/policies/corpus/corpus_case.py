"""The shape of one corpus entry: a hand-written program, where it comes from, the stack and policy config it
runs with, and the verdict expected policy by policy — written before the pack was run, never fitted to it.

Outcomes (one per policy; a policy a case does not list is expected to PASS):

- ``BLOCK``      a violation at mandatory level (the PR check fails)
- ``ADVISE``     a violation at advisory level (a finding, no block)
- ``UNVERIFIED`` no violation, and "cannot verify" (a deciding value is unknown or the catalog lacks it)
- ``PASS``       nothing at all
- ``CLEAR``      no violation, "cannot verify" allowed: only for monthly-budget where the deciding figure is a
                 catalog price another task is adding (file system and some instance prices)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Self

__all__ = [
    "ADVISE",
    "ADVISORY",
    "BLOCK",
    "CLEAR",
    "COVERAGE",
    "JUDGED",
    "MANDATORY",
    "PASS",
    "PURPOSE",
    "UNVERIFIED",
    "Case",
    "Expect",
    "Knobs",
    "Outcome",
]

PURPOSE = "backbone.dev/purpose"
"""The purpose label key the pack reads (core/labels.py; a plain string here: no ``components`` import)."""

MANDATORY = ("max-accelerators", "monthly-budget", "interconnect", "storage-throughput", "single-zone",
             "tpu-topology", "workload-fit")
ADVISORY = ("storage-locality", "idle-accelerators", "known-accelerator", "private-nodes", "encrypted-storage",
            "workload-shortfall", "pool-purpose", "compact-placement", "tpu-topology-unlisted")
COVERAGE = ("accelerator-coverage",)
"""Judged on every case (issue 18): a case that does not list it expects every accelerator resource to be read."""
JUDGED = MANDATORY + ADVISORY + COVERAGE
"""The policies the corpus judges: the current pack's (tests/policies/policy_verdict.py LEVELS, plus
workload-fit/-shortfall) and the three the lead's contract adds. Other policies (accelerator-runtime,
storage-mount: ISSUE11) are reported, not asserted."""


class Outcome(Enum):
    BLOCK = "block"
    ADVISE = "advise"
    UNVERIFIED = "cannot verify"
    PASS = "pass"
    CLEAR = "no violation"

    def admits(self, actual: Outcome) -> bool:
        if self is Outcome.CLEAR:
            return actual in (Outcome.PASS, Outcome.UNVERIFIED)
        return self is actual


BLOCK, ADVISE, UNVERIFIED, PASS, CLEAR = (Outcome.BLOCK, Outcome.ADVISE, Outcome.UNVERIFIED, Outcome.PASS,
                                          Outcome.CLEAR)


@dataclass(frozen=True)
class Expect:
    """What one policy should find, and why (one line)."""

    outcome: Outcome
    why: str
    on: str | None = None
    """The name of the resource a violation lands on (its URN ends with ``::on``)."""
    says: tuple[str, ...] = ()
    """Figures the finding must state (what was found, what decided)."""


def expect(outcome: Outcome, why: str, on: str | None = None, says: tuple[str, ...] = ()) -> Expect:
    return Expect(outcome, why, on, says)


@dataclass(frozen=True)
class Case:
    """One program run: a public pattern (``source``) or a control that flips one fact of it (``flips``)."""

    name: str
    program: Callable[[], None]
    source: str
    expected: dict[str, Expect]
    stack_config: dict[str, Any] = field(default_factory=dict)
    policy_config: dict[str, Any] = field(default_factory=dict)
    flips: str = ""
    """For a control: the one fact changed, and the verdict it flips."""
    pending: bool = False
    """The current pack gets this case wrong (measured): the test fails until ISSUE9-IMPL lands."""

    @property
    def is_control(self) -> bool:
        return bool(self.flips)

    @property
    def expected_mandatory(self) -> str:
        return "block" if any(e.outcome is BLOCK for e in self.expected.values()) else "pass"

    def control(self, name: str, flips: str, program: Callable[[], None], changes: dict[str, Expect],
                pending: bool = False, **kwargs: Any) -> Case:
        """A control of this case: the same expectations except ``changes``."""
        return replace(self, name=name, flips=flips, program=program, expected={**self.expected, **changes},
                       pending=pending, **kwargs)


@dataclass(frozen=True)
class Knobs:
    """``program.with_(knob=value)``: the same hand-written program with one fact changed."""

    def with_(self, **changes: Any) -> Self:
        return replace(self, **changes)
