"""A rule of the pack judged directly on a program's resources, in this process: the program previewed offline,
its resources handed to the rule as CrossGuard hands them (props behind the unknown-checking proxy, parents and
dependencies linked), the rule's violations and its "cannot verify" message collected. Fast enough for tables of
boundary cases; the live pack process stays for the protocol tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, is_dataclass
from typing import Any

from pulumi_policy import PolicyResource, StackValidationArgs
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from backbone.engine import Preview, preview_function
from backbone.policies.rules import ALL_POLICIES
from backbone.policies.rules.base import InventoryPolicy


@dataclass
class Judged:
    """What one rule found: violations as (resource name, message), and its cannot-verify message (None: none)."""

    violations: list[tuple[str, str]] = field(default_factory=list)
    cannot_verify: str | None = None
    advisories: list[tuple[str, str]] = field(default_factory=list)
    """Violations reported on the advisory channel (a live waiver turns a violation advisory)."""

    @property
    def passed(self) -> bool:
        return not self.violations and self.cannot_verify is None and not self.advisories

    def only_violation(self) -> tuple[str, str]:
        assert len(self.violations) == 1 and self.cannot_verify is None, self
        return self.violations[0]


def resources_of(preview: Preview) -> list[PolicyResource]:
    made = {r.urn: PolicyResource(r.type, unknown_checking_proxy(deserialize_properties(r.inputs)), r.urn, r.name,
                                  None, None, None, [], {})  # type: ignore[arg-type]
            for r in preview.resources}
    for r in preview.resources:
        made[r.urn].parent = made.get(r.parent)
        made[r.urn].dependencies = [made[d] for d in r.dependencies if d in made]
        made[r.urn].property_dependencies = {k: [made[u] for u in v if u in made]
                                             for k, v in r.property_dependencies.items()}
    return list(made.values())


def rule(name: str) -> InventoryPolicy:
    found = [p for p in ALL_POLICIES if isinstance(p, InventoryPolicy) and p.name == name]
    assert found, f"no policy {name}"
    return found[0]


def judge_resources(policy: InventoryPolicy, resources: list[PolicyResource],
                    config: dict[str, Any] | None = None) -> Judged:
    judged = Judged()
    by_urn = {r.urn: r.name for r in resources}

    def report(message: str, urn: str | None = None) -> None:
        judged.violations.append((by_urn.get(urn or "", urn or ""), message))

    def advisory(message: str, urn: str | None = None) -> None:
        judged.advisories.append((by_urn.get(urn or "", urn or ""), message))

    report.advisory = advisory  # type: ignore[attr-defined]  # the pack's servicer offers the same channel
    try:
        policy.validate(StackValidationArgs(resources, config or {}), report)  # type: ignore[arg-type]
    except UnknownValueError as exc:
        judged.cannot_verify = str(getattr(exc, "message", exc))
    return judged


_PREVIEWS: dict[str, Preview] = {}


def preview_of(program: Callable[[], object], stack_config: dict[str, Any] | None = None) -> Preview:
    """``program``'s offline preview. The previews of the programs of ``policy_programs`` (frozen dataclasses: their
    repr names every knob) are kept for the process: a preview takes ~0.1 s and the rule judging it ~1 ms, and
    ``make mutate`` runs these tests once per mutant. Each judge still gets fresh resources (``resources_of``), and
    nothing under test runs in a preview. A plain function is previewed every time (its repr is an address)."""
    if not is_dataclass(program):
        return preview_function(program, "direct", stack_config)
    key = f"{program!r} {stack_config!r}"
    if key not in _PREVIEWS:
        _PREVIEWS[key] = preview_function(program, "direct", stack_config)
    return _PREVIEWS[key]


def judge(program: Callable[[], object], name: str, config: dict[str, Any] | None = None,
          stack_config: dict[str, Any] | None = None) -> Judged:
    """Rule ``name`` of the pack on ``program``'s offline preview, with the policy's ``config``."""
    return judge_resources(rule(name), resources_of(preview_of(program, stack_config)), config)
