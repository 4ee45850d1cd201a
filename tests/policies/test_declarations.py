"""Every rule declares itself (level, config with defaults and reasons, the config key its findings point at),
and the pack offers over the Analyzer protocol exactly what the rules declare: the docs, the report's config
paths and the level contract all derive from these declarations."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import pytest
from pulumi_policy import EnforcementLevel

from backbone.components.spec.cluster import ClusterSpec, NodePoolSpec, StorageSpec
from backbone.policies.inventory import Inventory
from backbone.policies.rules import ALL_POLICIES
from backbone.policies.rules.base import Finding, InventoryPolicy, PointsAt, declaration_problems

NAMES = [p.name for p in ALL_POLICIES]


def _keys(model: type[ClusterSpec | NodePoolSpec | StorageSpec]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=NAMES)
def test_every_rule_of_the_pack_declares_itself(policy: InventoryPolicy) -> None:
    problems = declaration_problems(policy)
    assert problems == [], "\n".join(problems)


def test_policy_names_are_unique() -> None:
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=NAMES)
def test_findings_point_at_keys_the_stack_config_has(policy: InventoryPolicy) -> None:
    points_at = policy.points_at
    assert points_at.pool is None or points_at.pool in _keys(NodePoolSpec)
    assert points_at.storage is None or points_at.storage in _keys(StorageSpec)
    assert points_at.stack is None or points_at.stack in _keys(ClusterSpec)


class _Undeclared(InventoryPolicy):
    name = "undeclared"
    description = "Ensure nothing"
    config: ClassVar[Mapping[str, dict[str, Any]]] = {"limit": {"type": "integer", "default": 3}}

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        return []


def test_a_rule_that_declares_nothing_is_told_what_to_add() -> None:
    problems = "\n".join(declaration_problems(_Undeclared()))
    assert "policy undeclared (" in problems
    assert "no `level = EnforcementLevel.…`" in problems
    assert "no class docstring" in problems
    assert "no `points_at = PointsAt(" in problems
    assert "config key limit has no description" in problems
    assert "config key limit has no reason" in problems


class _Declared(_Undeclared):
    """Finds nothing."""

    level = EnforcementLevel.ADVISORY
    points_at = PointsAt(pool="maxNodes")
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "limit": {"type": "integer", "default": 3, "description": "A limit."},
    }
    reasons: ClassVar[Mapping[str, str]] = {"limit": "three is plenty"}


def test_a_few_lines_declare_a_rule() -> None:
    assert declaration_problems(_Declared()) == []


def test_a_policy_not_built_on_the_base_is_refused() -> None:
    [problem] = declaration_problems(object())
    assert "is not an InventoryPolicy" in problem


def test_the_pack_offers_each_config_key_with_its_declared_default(pack) -> None:  # type: ignore[no-untyped-def]
    for policy in ALL_POLICIES:
        offered = pack.policies[policy.name].config_schema.get("properties", {})
        declared = {key: schema["default"] for key, schema in policy.config.items()}
        if policy.has_unknowns:
            declared["strict"] = False
        declared["waivers"] = []  # every rule takes waivers (policies/waivers.py)
        assert {key: schema.get("default") for key, schema in offered.items()} == declared, policy.name


def test_every_rule_declares_the_level_of_the_written_contract() -> None:
    # the rules' own declarations against the hand-written table (policy_verdict.LEVELS), without the pack
    from policy_verdict import LEVELS

    assert {p.name: p.enforcement_level.value for p in ALL_POLICIES} == LEVELS


def test_each_rule_offers_its_config_keys_and_strict_in_process() -> None:
    # what CrossGuard reads from a policy object (its schema and level), without starting the pack
    from policy_verdict import LEVELS

    from backbone.policies.rules.base import STRICT

    for policy in ALL_POLICIES:
        assert isinstance(policy, InventoryPolicy)
        offered = policy.config_schema.properties if policy.config_schema else {}
        # every rule also takes the waivers of its findings (backbone/policies/waivers.py)
        expected = set(policy.config) | {"waivers"} | ({"strict"} if policy.has_unknowns else set())
        assert set(offered) == expected, policy.name
        if policy.has_unknowns:
            assert offered["strict"] is STRICT and STRICT["default"] is False
        assert policy.enforcement_level.value == LEVELS[policy.name]


@pytest.mark.parametrize("fabric, words", [("efa", "EFA (AWS's Elastic Fabric Adapter)"), ("infiniband", "InfiniBand"),
                                           ("something-new", "something-new")])
def test_a_fabric_is_named_in_words_or_as_the_catalog_names_it(fabric: str, words: str) -> None:
    from backbone.policies.rules.base import fabric_name

    assert fabric_name(fabric) == words
