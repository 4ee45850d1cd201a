"""What the pack found for one previewed program, with the look-ups the policy tests assert on."""

from __future__ import annotations

from collections.abc import Callable

from backbone.analyzer import Diagnostic
from backbone.engine import Preview


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

LEVELS = {
    "max-accelerators": "mandatory", "monthly-budget": "mandatory", "interconnect": "mandatory",
    "storage-throughput": "mandatory", "single-zone": "mandatory", "tpu-topology": "mandatory",
    "storage-locality": "advisory", "idle-accelerators": "advisory", "known-accelerator": "advisory",
    "private-nodes": "advisory", "encrypted-storage": "advisory", "tpu-topology-unlisted": "advisory",
    "pool-purpose": "advisory", "compact-placement": "advisory",
}
"""The contract: each policy's enforcement level."""
