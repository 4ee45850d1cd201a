"""What a plan changes against a baseline report (``backbone plan --baseline FILE``): per stack the
accelerators and monthly cost at max scale before and after, and which violations were already there.

A figure's delta is honest about what could not be counted: where the same parts are missing on both sides
(a file system the catalog has no price for), the delta is that of the parts counted and names the parts
left out; where a part is counted on one side only, the delta is unknown (``None``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Change", "Figure", "FindingKey", "StackChange", "StackStatus"]

StackStatus = Literal["changed", "unchanged", "new", "removed"]
FindingKey = tuple[str, str, str]
"""(stack, policy, URN of the resource the finding is about): a violation's identity across two runs (its
message carries numbers, which a change moves)."""


@dataclass(frozen=True)
class Figure:
    """A summed figure of one side: the counted value and the parts that could not be counted."""

    value: float
    unknown: tuple[str, ...] = ()

    @staticmethod
    def delta(before: Figure, after: Figure) -> tuple[float | None, tuple[str, ...]]:
        """(after − before, parts counted on neither side); None where a part is counted on one side only.
        Rounded to the cent: a JSON report keeps four decimals, so a figure read back may differ below that."""
        if set(before.unknown) != set(after.unknown):
            return None, tuple(sorted(set(before.unknown) | set(after.unknown)))
        return round(after.value - before.value, 2) + 0.0, tuple(sorted(after.unknown))


@dataclass(frozen=True)
class StackChange:
    """One stack against the baseline. A new stack counts from zero, a removed one down to zero."""

    stack: str
    status: StackStatus
    accelerators_before: Figure | None
    accelerators_after: Figure | None
    monthly_before: Figure | None
    monthly_after: Figure | None
    resolved: tuple[FindingKey, ...] = ()
    """Violations of the baseline that this run no longer finds."""
    models_before: dict[str, int] | None = None
    models_after: dict[str, int] | None = None
    """Accelerators at max scale per model (None where a report does not say: an older baseline)."""

    @property
    def models_delta(self) -> dict[str, int] | None:
        """The change per accelerator model (models that changed only); None where a side does not say."""
        before = self.models_before if self.models_before is not None else ({} if self.status == "new" else None)
        after = self.models_after if self.models_after is not None else ({} if self.status == "removed" else None)
        if before is None or after is None:
            return None
        changed = {m: after.get(m, 0) - before.get(m, 0) for m in sorted({*before, *after})}
        return {m: d for m, d in changed.items() if d}

    def _delta(self, before: Figure | None, after: Figure | None) -> tuple[float | None, tuple[str, ...]]:
        zero_before = before or Figure(0.0, after.unknown if after else ())
        zero_after = after or Figure(0.0, before.unknown if before else ())
        return Figure.delta(zero_before, zero_after)

    @property
    def accelerators_delta(self) -> float | None:
        return self._delta(self.accelerators_before, self.accelerators_after)[0]

    @property
    def monthly_delta(self) -> float | None:
        return self._delta(self.monthly_before, self.monthly_after)[0]

    @property
    def accelerators_not_counted(self) -> tuple[str, ...]:
        return self._delta(self.accelerators_before, self.accelerators_after)[1]

    @property
    def monthly_not_counted(self) -> tuple[str, ...]:
        """The parts the monthly delta leaves out (no price, or unknown); with a None delta, the parts
        counted on one side only."""
        return self._delta(self.monthly_before, self.monthly_after)[1]


@dataclass(frozen=True)
class Change:
    """A run against its baseline: every stack's change (the run's stacks in order, then removed ones) and
    the violations the baseline already had."""

    file: str
    stacks: tuple[StackChange, ...]
    present: frozenset[FindingKey]

    def of(self, stack: str) -> StackChange | None:
        return next((c for c in self.stacks if c.stack == stack), None)

    def is_new(self, key: FindingKey) -> bool:
        return key not in self.present

    @property
    def new_stacks(self) -> list[str]:
        return [c.stack for c in self.stacks if c.status == "new"]

    @property
    def removed_stacks(self) -> list[str]:
        return [c.stack for c in self.stacks if c.status == "removed"]

    def models_delta(self) -> dict[str, int] | None:
        """The change per accelerator model over every stack; None where a stack's report does not say."""
        total: dict[str, int] = {}
        for c in self.stacks:
            delta = c.models_delta
            if delta is None:
                return None
            for model, n in delta.items():
                total[model] = total.get(model, 0) + n
        return {m: n for m, n in sorted(total.items()) if n}

    def total(self, which: Literal["accelerators", "monthly"]) -> tuple[float | None, tuple[str, ...]]:
        """The sum of the stacks' deltas, and the parts it leaves out; None if any stack's delta is unknown."""
        total = 0.0
        left_out: list[str] = []
        for c in self.stacks:
            if which == "accelerators":
                delta, missing = c.accelerators_delta, c.accelerators_not_counted
            else:
                delta, missing = c.monthly_delta, c.monthly_not_counted
            if delta is None:
                return None, tuple(missing)
            total += delta
            left_out += missing
        return total, tuple(dict.fromkeys(left_out))
