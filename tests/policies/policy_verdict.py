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
    # blocking: what the pack exists to stop before anything is provisioned (ARCHITECTURE.md: oversized or
    # unbalanced configurations — too many accelerators for the budget or the workload, GPUs without their fabric,
    # storage too slow for the GPUs it feeds, a TPU slice that cannot exist, a training pool spread over zones)
    "max-accelerators": "mandatory",
    "monthly-budget": "mandatory",
    "interconnect": "mandatory",
    "storage-throughput": "mandatory",
    "single-zone": "mandatory",
    "tpu-topology": "mandatory",
    "workload-fit": "mandatory",
    "accelerator-coverage": "mandatory",  # what the pack could not read is never a silent pass
    # advice: a reviewer should see it, but it does not make the stack wrong
    "tpu-topology-unlisted": "advisory",
    "storage-locality": "advisory",
    "idle-accelerators": "advisory",
    "known-accelerator": "advisory",
    "private-nodes": "advisory",
    "encrypted-storage": "advisory",
    "workload-shortfall": "advisory",
    "pool-purpose": "advisory",
    "compact-placement": "advisory",
    "accelerator-runtime": "advisory",
    "storage-mount": "advisory",
}
"""The contract, written out by hand (never read from the rule classes it checks): each policy's enforcement
level. A rule whose ``level`` changes fails the tests until this table — a reviewed decision — changes too."""
