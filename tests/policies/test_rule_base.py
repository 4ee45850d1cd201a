"""The shared shape of the rules (``backbone.policies.rules.base``) in this process: figures in messages, how a
pool and its unknown inputs are named, ``strict`` turning "cannot verify" into violations, a waiver turning a
violation advisory (live) or leaving it blocking (expired), and the inventory shared by the rules of one request."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import pytest
from direct import judge, judge_resources, preview_of, resources_of, rule
from hand_pools import pool
from policy_programs import Aws
from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import UNKNOWN, Inventory
from backbone.policies.rules.base import (
    STRICT,
    CannotVerify,
    Finding,
    InventoryPolicy,
    counted,
    declaration_problems,
    number,
    pool_label,
    shared_inventory,
    unknown_of,
)
from backbone.policies.waivers import WAIVERS_SCHEMA


@pytest.mark.parametrize("value, unit, text", [
    (1234.4, "", "1,234"), (100.0, "", "100"), (100.4, "", "100"), (99.5, "", "99.5"), (12.5, "Gbps", "12.5 Gbps"),
    (50.0, "", "50"), (0.1234, "", "0.123"), (0.0, "MB/s", "0 MB/s"), (-150.0, "", "-150"), (1e6, "", "1,000,000"),
])
def test_a_figure_in_a_message(value: float, unit: str, text: str) -> None:
    assert number(value, unit) == text


def test_a_pool_is_named_with_its_type_and_the_candidate_it_was_judged_as() -> None:
    assert pool_label(pool()) == "gpu (aws:eks/nodeGroup:NodeGroup)"
    assert pool_label(pool(judged_as="judged as p5.48xlarge, the least favourable of its candidate types a, b")) == \
        "gpu (aws:eks/nodeGroup:NodeGroup; judged as p5.48xlarge, the least favourable of its candidate types a, b)"


def test_the_unknown_inputs_of_facts_are_named_once_each() -> None:
    p = pool(unknown_inputs={"instance_type": "launchTemplate.id", "max_nodes": "scalingConfig.maxSize",
                             "min_nodes": "scalingConfig.maxSize"})
    assert unknown_of(p, "instance_type", "max_nodes", "min_nodes") == "launchTemplate.id, scalingConfig.maxSize"
    assert unknown_of(p, "zones") == "a deciding input"


def test_counted_accelerators_or_why_not() -> None:
    assert counted(pool(), "max") == 128 and counted(pool(), "min") == 16
    unknown = counted(pool(max_nodes=UNKNOWN, unknown_inputs={"max_nodes": "maxSize"}), "max")
    assert not isinstance(unknown, int)
    assert unknown.message == "pool gpu (aws:eks/nodeGroup:NodeGroup): accelerators at max scale unknown (maxSize)"
    assert unknown.urn == pool().urn
    uncatalogued = counted(pool(instance_type="p9.made-up", instance=None), "max")
    assert not isinstance(uncatalogued, int)
    assert uncatalogued.urn == pool().urn
    assert uncatalogued.message == ("pool gpu (aws:eks/nodeGroup:NodeGroup): the catalog does not know how many "
                                    "accelerators a p9.made-up has")


def test_cannot_verify_is_crossguards_unknown_value_error_with_the_message() -> None:
    error = CannotVerify("pool gpu: zones unknown")
    assert str(error) == "pool gpu: zones unknown" and error.message == "pool gpu: zones unknown"
    assert error.props == [] and error.unknown_type_sentinel == ""


UNKNOWN_TYPE = Aws().with_(unknown_instance_type=True)
WHY = "pool gpu (aws:eks/nodeGroup:NodeGroup): whether it spans nodes on a fabric is unknown (train.instanceType " \
      "(launch template))"


@pytest.mark.parametrize("strict", [False, None, "true", 1])
def test_without_strict_true_an_unknown_cannot_verify(strict: Any) -> None:
    judged = judge(UNKNOWN_TYPE, "interconnect", {} if strict is None else {"strict": strict})
    assert judged.violations == [] and judged.cannot_verify == WHY


def test_strict_true_reports_an_unknown_as_a_violation() -> None:
    judged = judge(UNKNOWN_TYPE, "interconnect", {"strict": True})
    assert judged.cannot_verify is None
    assert judged.violations == [("gpu", f"cannot verify (strict): {WHY}")]


SHORT = Aws().with_(efa_interfaces=16)


def waiver(**changes: Any) -> dict[str, Any]:
    return {"resource": "gpu", "reason": "EFA comes later", "owner": "ml@example.com", "expires": "2099-12-31",
            **changes}


def test_a_live_waiver_reports_the_violation_on_the_advisory_channel_led_by_the_waiver() -> None:
    judged = judge(SHORT, "interconnect", {"waivers": [waiver()]})
    assert judged.violations == [] and judged.cannot_verify is None
    [(resource, message)] = judged.advisories
    first, rest = message.split("\n", 1)
    assert resource == "gpu"
    assert first == "waived by waiver #1 (owner ml@example.com, until 2099-12-31): EFA comes later"
    assert rest.startswith("training pool gpu (aws:eks/nodeGroup:NodeGroup) spans up to 16 × p5.48xlarge")


@pytest.mark.parametrize("target", ["urn:pulumi:direct::backbone::pulumi:pulumi:Stack$aws:eks/nodeGroup:NodeGroup::gpu",
                                    "*::gpu", "g*"])
def test_a_waiver_matches_the_urn_or_the_name(target: str) -> None:
    assert len(judge(SHORT, "interconnect", {"waivers": [waiver(resource=target)]}).advisories) == 1


def test_an_expired_waiver_leaves_the_violation_blocking_and_says_so() -> None:
    judged = judge(SHORT, "interconnect", {"waivers": [waiver(expires="2020-01-31")]})
    assert judged.advisories == []
    [(resource, message)] = judged.violations
    assert resource == "gpu" and message.split("\n")[0] == (
        "waiver #1 expired on 2020-01-31 (owner ml@example.com): EFA comes later; the violation counts again")


def test_a_waiver_of_another_resource_waives_nothing() -> None:
    judged = judge(SHORT, "interconnect", {"waivers": [waiver(resource="cpu")]})
    assert judged.advisories == [] and len(judged.violations) == 1
    assert judged.violations[0][1].startswith("training pool gpu")


def test_the_rules_of_one_request_share_one_inventory_and_another_list_builds_anew() -> None:
    resources = resources_of(preview_of(Aws()))
    first = shared_inventory(resources)
    assert shared_inventory(resources) is first
    again = shared_inventory(list(resources))
    assert again is not first and again.pools[0].name == first.pools[0].name == "gpu"


def test_a_rule_judged_on_no_resources_passes() -> None:
    assert judge_resources(rule("interconnect"), []).passed


@pytest.mark.parametrize("name, keys", [("interconnect", ["minGbpsPerAccelerator", "strict", "waivers"]),
                                        ("encrypted-storage", ["customerManagedKey", "waivers"]),
                                        ("single-zone", ["strict", "waivers"])])
def test_each_rule_offers_its_config_strict_where_it_has_unknowns_and_waivers(name: str, keys: list[str]) -> None:
    policy = rule(name)
    assert policy.config_schema is not None
    properties = policy.config_schema.properties
    assert sorted(properties) == keys
    assert properties["waivers"] == WAIVERS_SCHEMA
    if "strict" in keys:
        assert properties["strict"] == STRICT and STRICT["default"] is False
    assert (policy.name, policy.description, policy.enforcement_level) == (
        name, type(policy).description, type(policy).level)


class _Bare(InventoryPolicy):
    name = "Bare_Rule"
    description = "Finds things"
    config: ClassVar[Mapping[str, dict[str, Any]]] = {"limit": {"type": "integer"}}
    reasons: ClassVar[Mapping[str, str]] = {"other": "no such key"}

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        return []


_Bare.__doc__ = None


def test_a_rule_is_told_each_declaration_it_lacks() -> None:
    label = f"policy Bare_Rule ({_Bare.__module__}._Bare)"
    assert declaration_problems(_Bare()) == [
        f"{label}: name 'Bare_Rule' is not kebab-case (e.g. max-accelerators)",
        f"{label}: description 'Finds things' does not start with 'Ensure '",
        f"{label}: no `level = EnforcementLevel.…` on the class (the default is not a decision)",
        f"{label}: no class docstring: say what the rule finds, per cloud, in full sentences",
        f"{label}: no `points_at = PointsAt(pool=…, storage=…, stack=…)`: which stack-config key its findings point "
        f"at (PointsAt() for the entry itself)",
        f"{label}: config key limit has no default, description",
        f"{label}: config key limit has no reason: add `reasons = {{'limit': \"why None\"}}`",
        f"{label}: reasons names other, which is not a config key",
    ]
    assert _Bare().enforcement_level == EnforcementLevel.ADVISORY  # the base's default, which it asked to declare


def test_every_unknown_of_a_rule_is_named_in_its_one_cannot_verify() -> None:
    from pulumi_policy import PolicyResource

    group = "aws:eks/nodeGroup:NodeGroup"
    junk = [PolicyResource(group, "junk", f"urn:pulumi:s::p::{group}::{name}", name,  # type: ignore[arg-type]
                           None, None, None, [], {}) for name in ("a", "b")]
    judged = judge_resources(rule("max-accelerators"), junk)
    assert judged.violations == []
    assert judged.cannot_verify == (
        "pool a (aws:eks/nodeGroup:NodeGroup): accelerators at max scale unknown (its inputs could not be read (got "
        "str)); pool b (aws:eks/nodeGroup:NodeGroup): accelerators at max scale unknown (its inputs could not be read "
        "(got str))")
