"""Pools built by hand as the inventory would read them, for judging a rule's ``check_pool`` (or the facts) on a
case no hand-written program reaches cheaply: a fact unknown with a known lower bound, a resource type a reader
maps, a catalog row changed. Figures as ``test_facts.py`` cites them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from backbone.core.catalog import load
from backbone.policies.inventory import AcceleratorPool, FabricCheck
from backbone.policies.rules.base import Finding, PoolRule

CATALOG = load()
P5 = CATALOG.find("p5.48xlarge")
EFA_FULL = FabricCheck(True, gbps=3200.0)


def pool(**changes: Any) -> AcceleratorPool:
    """16 × p5.48xlarge on demand in us-east-1 (min 2), labelled training, EFA fully configured."""
    base = AcceleratorPool(
        urn="urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::gpu", name="gpu", cloud="aws",
        resource_type="aws:eks/nodeGroup:NodeGroup", instance_type="p5.48xlarge", instance=P5, min_nodes=2,
        max_nodes=16, purpose="training", purpose_declared=True, zones=("us-east-1a",), region="us-east-1",
        capacity="on-demand", fabric=EFA_FULL, public_ips=False)
    return replace(base, **changes)


def findings(rule: PoolRule, judged: AcceleratorPool, config: Mapping[str, Any] | None = None) -> list[Finding]:
    """``rule``'s findings on one pool (its ``applies`` first, as the rule's ``check`` does)."""
    return list(rule.check_pool(judged, config or {})) if rule.applies(judged) else []
