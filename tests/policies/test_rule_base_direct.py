"""The rule base (``backbone.policies.rules.base``) on findings and inventories built by hand, in this process: what
``strict`` does to a stack with both a violation and an unknown, which names of a finding's resource a waiver
matches (the URN, its last segment, the pool's or file system's own name), the channel a waived violation goes to
when the servicer offers no advisory one, the resource a violation is reported on, and the config every rule offers
the engine (its keys, ``strict`` where it has unknowns, ``waivers`` always)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import pytest
from hand_pools import pool
from pulumi_policy import EnforcementLevel, StackValidationArgs
from pulumi_policy.proxy import UnknownValueError
from test_monthly_budget_direct import fsx

from backbone.policies.inventory import Inventory
from backbone.policies.rules import ALL_POLICIES, base
from backbone.policies.rules.base import (
    STRICT,
    Finding,
    InventoryPolicy,
    PointsAt,
    Unverifiable,
    Violation,
    declaration_problems,
)
from backbone.policies.waivers import WAIVERS_SCHEMA

NODES = "urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::gpu-nodes"  # a pool named gpu, its resource gpu-nodes
LUSTRE = "urn:pulumi:s::p::aws:fsx/lustreFileSystem:LustreFileSystem::lustre-fs"  # a file system named scratch


class _Fixed(InventoryPolicy):
    """Finds what it is given."""

    name = "fixed-findings"
    description = "Ensure the findings it is given are reported"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt()

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__()

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        yield from self.findings


def judged(findings: list[Finding], config: dict[str, Any] | None = None,
           advisory_channel: bool = True) -> tuple[list[tuple[str, str]], list[tuple[str, str]], str | None]:
    """(reported, advisories, cannot verify) of ``_Fixed(findings)`` on a stack of one pool and one file system."""
    resources: list[Any] = []
    base._LAST.entry = (resources, Inventory(pools=[pool(urn=NODES)], file_systems=[fsx(urn=LUSTRE)]))
    reported: list[tuple[str, str]] = []
    advisories: list[tuple[str, str]] = []

    def report(message: str, urn: str | None = None) -> None:
        reported.append((urn or "", message))

    if advisory_channel:
        report.advisory = lambda message, urn=None: advisories.append((urn or "", message))  # type: ignore[attr-defined]
    try:
        _Fixed(findings).validate(StackValidationArgs(resources, config or {}), report)  # type: ignore[arg-type]
    except UnknownValueError as exc:
        return reported, advisories, str(getattr(exc, "message", exc))
    finally:
        base._LAST.entry = None
    return reported, advisories, None


SHORT = Violation(NODES, "too few")
UNSURE = Unverifiable(LUSTRE, "throughput unknown")


def waiver(resource: str) -> dict[str, Any]:
    return {"resource": resource, "reason": "later", "owner": "ml@example.com", "expires": "2099-12-31"}


WAIVED = "waived by waiver #1 (owner ml@example.com, until 2099-12-31): later\n"


def test_strict_reports_the_violations_and_the_unknowns_together() -> None:
    assert judged([SHORT, UNSURE], {"strict": True}) == (
        [(NODES, "too few"), (LUSTRE, "cannot verify (strict): throughput unknown")], [], None)
    assert judged([SHORT, UNSURE]) == ([(NODES, "too few")], [], "throughput unknown")


def test_a_violation_is_reported_on_its_resource_when_a_waiver_of_another_one_matches_nothing() -> None:
    assert judged([SHORT], {"waivers": [waiver("cpu")]}) == ([(NODES, "too few")], [], None)


@pytest.mark.parametrize("resource", [NODES, "gpu-nodes", "gpu", "*::gpu-nodes"])
def test_a_waiver_matches_the_urn_its_last_segment_or_the_pool_s_name(resource: str) -> None:
    assert judged([SHORT], {"waivers": [waiver(resource)]}) == ([], [(NODES, f"{WAIVED}too few")], None)


@pytest.mark.parametrize("resource", ["lustre-fs", "scratch"])
def test_a_waiver_matches_a_file_system_by_its_resource_or_its_name(resource: str) -> None:
    found = Violation(LUSTRE, "too slow")
    assert judged([found], {"waivers": [waiver(resource)]}) == ([], [(LUSTRE, f"{WAIVED}too slow")], None)


def test_a_pool_s_name_waives_nothing_of_another_resource() -> None:
    """The pool named gpu is not the file system: a waiver of gpu leaves the file system's violation standing."""
    found = Violation(LUSTRE, "too slow")
    assert judged([found], {"waivers": [waiver("gpu")]}) == ([(LUSTRE, "too slow")], [], None)
    assert judged([SHORT], {"waivers": [waiver("scratch")]}) == ([(NODES, "too few")], [], None)


def test_a_waived_violation_goes_to_the_report_where_there_is_no_advisory_channel() -> None:
    assert judged([SHORT], {"waivers": [waiver("gpu")]}, advisory_channel=False) == (
        [(NODES, f"{WAIVED}too few")], [], None)


def _offered(policy: InventoryPolicy) -> list[str]:
    assert policy.config_schema is not None
    return sorted(policy.config_schema.properties)


def test_each_rule_offers_its_keys_strict_where_it_has_unknowns_and_waivers() -> None:
    """Built here (the pack builds its rules at import): each rule's own keys, strict, waivers."""
    for existing in ALL_POLICIES:
        if not isinstance(existing, InventoryPolicy):
            continue
        policy = type(existing)()
        expected = sorted([*policy.config, *(["strict"] if policy.has_unknowns else []), "waivers"])
        assert _offered(policy) == expected, policy.name
        assert policy.config_schema is not None
        assert policy.config_schema.properties["waivers"] == WAIVERS_SCHEMA
        if policy.has_unknowns:
            assert policy.config_schema.properties["strict"] == STRICT
    assert _offered(_Fixed([])) == ["strict", "waivers"]


class _Unnamed(_Fixed):
    """Finds what it is given, under no name."""

    name = ""
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "limit": {"type": "number", "default": 1.5, "description": "A limit."}}


def test_an_unnamed_rule_is_labelled_and_a_missing_reason_shows_the_default() -> None:
    label = f"policy ? ({_Unnamed.__module__}._Unnamed)"
    unnamed = _Unnamed.__new__(_Unnamed)  # the engine refuses a policy without a name: only its declaration is read
    assert declaration_problems(unnamed) == [
        f"{label}: name '' is not kebab-case (e.g. max-accelerators)",
        f"{label}: config key limit has no reason: add `reasons = {{'limit': \"why 1.5\"}}`",
    ]
