"""What the pack found for one previewed program, with the look-ups the policy tests assert on."""

from __future__ import annotations

from collections.abc import Callable

from backbone.analyzer import Diagnostic
from backbone.engine import Preview
from backbone.policies.rules import ALL_POLICIES


class Verdict:
    """What the pack found for one previewed program."""

    def __init__(self, preview: Preview, found: list[Diagnostic]) -> None:
        self.preview = preview
        self.found = found

    def urn(self, type_: str) -> str:
        [resource] = self.preview.of_type(type_)
        return resource.urn

    def violations(self, policy: str | None = None) -> list[Diagnostic]:
        return [d for d in self.found if not d.cannot_verify and (policy is None or d.policy == policy)]

    def cannot_verify(self, policy: str | None = None) -> list[Diagnostic]:
        return [d for d in self.found if d.cannot_verify and (policy is None or d.policy == policy)]

    def only_violation(self, policy: str) -> Diagnostic:
        """The one violation of ``policy`` (fails with everything found, to read in the test output)."""
        found = self.violations(policy)
        assert len(found) == 1, f"{policy}: expected 1 violation, found {[d.detail for d in self.found]}"
        return found[0]


Judge = Callable[..., Verdict]

LEVELS = {p.name: p.level.value for p in ALL_POLICIES}
"""The contract: each policy's enforcement level, as its rule declares it (``level`` on the class)."""
