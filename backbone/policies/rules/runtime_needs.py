"""The shape ``accelerator-runtime`` and ``storage-mount`` share: a subject (a pool, a file system) needs one of
some capabilities from the stack's Kubernetes runtime (``policies.inventory.runtime``); the need is met, missing
(a violation), or undecided (cannot verify: a candidate's deciding input is unknown, or the stack has several
clusters and the pack does not follow which one a Kubernetes resource installs into)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import UNKNOWN, Inventory, Unknown
from backbone.policies.inventory.placement import lands
from backbone.policies.inventory.runtime import CAPABILITIES, Provision, Runtime
from backbone.policies.rules.base import Finding, InventoryPolicy, Unverifiable, Violation

__all__ = ["Need", "RuntimeRule", "judge"]


@dataclass(frozen=True)
class Need:
    """``subject`` needs any one of ``any_of`` (capabilities of ``backbone.policies.inventory.runtime``)."""

    urn: str
    subject: str
    """``training pool h100 (aws:eks/nodeGroup:NodeGroup)`` — who needs it, with numbers where they matter."""
    any_of: tuple[str, ...]
    consequence: str
    """What goes wrong without it: ``pods cannot request vpc.amazonaws.com/efa; NCCL falls back to TCP``."""
    fix: str
    """How to provide it."""
    shortfall: str | None = None
    """Set when the capability is there but not enough of it (``4 of 8 GPU NIC networks``)."""


def _wanted(need: Need) -> str:
    return " or ".join(CAPABILITIES.get(c, c) for c in need.any_of)


def _landing(runtime: Runtime, need: Need, provision: Provision) -> tuple[bool | Unknown, str]:
    """Whether ``provision``'s pods schedule on the nodes of the pool that needs it (True where not judged)."""
    traits = runtime.pool_traits.get(need.urn)
    if traits is None or provision.placement is None:
        return True, ""
    if isinstance(provision.placement, Unknown):
        return UNKNOWN, "its node selector, affinity or tolerations are unknown"
    return lands(provision.placement, traits)


def judge(runtime: Runtime, needs: Iterable[Need]) -> Iterable[Finding]:
    """A finding per need that is not met: a violation where it is definitely missing (or installed where it
    cannot schedule on the subject's nodes), else cannot verify."""
    for need in needs:
        present = [p for c in need.any_of for p in runtime.providing(c)]
        landing = {p: _landing(runtime, need, p) for p in present}
        found = [p for p in present if landing[p][0] is True]
        if present and not found and need.shortfall is None:
            unsure = [p for p in present if isinstance(landing[p][0], Unknown)]
            if unsure:
                yield Unverifiable(need.urn, f"{need.subject}: whether {unsure[0].label} schedules on its nodes is "
                                             f"unknown: {landing[unsure[0]][1]}")
            else:
                yield Violation(need.urn, (
                    f"{need.subject}: {present[0].label} is installed but will not schedule on its nodes: "
                    f"{landing[present[0]][1]}: {need.consequence}. Set the release's affinity/nodeSelector to "
                    "the pool's labels (Backbone pools carry backbone.dev/pool=<pool>) and tolerate its taints, or "
                    "install Node Feature Discovery"))
            continue
        if found and need.shortfall is None:
            if runtime.clusters > 1:
                yield Unverifiable(need.urn, (
                    f"{need.subject}: {_wanted(need)} comes from {found[0].label}, but the stack has "
                    f"{runtime.clusters} Kubernetes clusters and the pack does not follow which one it installs into"))
            continue
        undecided = [u for u in runtime.undecided if u.may_provide(need.any_of)]
        if undecided:
            yield Unverifiable(need.urn, (
                f"{need.subject}: {_wanted(need)} not found"
                + (f" ({need.shortfall})" if need.shortfall else "")
                + "; undecided: " + "; ".join(f"{u.label}: {u.why}" for u in undecided[:3])))
            continue
        missing = need.shortfall or f"nothing in the stack provides {_wanted(need)}"
        yield Violation(need.urn, f"{need.subject}: {missing}: {need.consequence}. {need.fix}")


class RuntimeRule(InventoryPolicy):
    """A rule whose subjects need capabilities of the runtime: ``needs`` lists them (and what cannot be decided
    before a need is known), the base judges them against the stack's runtime."""

    level = EnforcementLevel.ADVISORY  # add-ons often live in another stack: mandatory by policy config

    @abstractmethod
    def needs(self, inventory: Inventory, runtime: Runtime) -> Iterable[Need | Finding]:
        """What each subject of the stack needs (or a finding where what it needs cannot be known)."""

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        runtime: Runtime = inventory.runtime or Runtime()
        needs: list[Need] = []
        for item in self.needs(inventory, runtime):
            if isinstance(item, Need):
                needs.append(item)
            else:
                yield item
        yield from judge(runtime, needs)
