"""known-accelerator: accelerator instance types the catalog does not know (so no rule can size them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from backbone.core.catalog import ADD_A_ROW, CATALOG_FILES_SCHEMA
from backbone.policies.inventory import AcceleratorPool, Unknown
from backbone.policies.rules.base import Finding, PointsAt, PoolRule, Unverifiable, Violation, pool_label, unknown_of


class KnownAccelerator(PoolRule):
    """Flags accelerator instance types the catalog does not know: nothing can be sized, fabric-checked or
    priced for them. An instance type unknown in preview cannot be verified."""

    name = "known-accelerator"
    description = "Ensure accelerator instance types are in Backbone's catalog"
    level = EnforcementLevel.ADVISORY
    points_at = PointsAt(pool="instanceType")
    config: ClassVar[Mapping[str, dict[str, Any]]] = {"catalogFiles": CATALOG_FILES_SCHEMA}
    reasons: ClassVar[Mapping[str, str]] = {
        "catalogFiles": "none: the shipped catalog only, until you name your own cited rows",
    }

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        if isinstance(pool.instance_type, Unknown):
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: instance type unknown "
                                         f"({unknown_of(pool, 'instance_type')})")
        elif pool.instance is None and pool.looks_like_accelerator:
            yield Violation(pool.urn, (
                f"pool {pool_label(pool)} uses {pool.instance_type}, an accelerator instance type the catalog "
                f"does not know, so its accelerators, fabric and price cannot be checked: pick a type from "
                f"`backbone catalog --cloud {pool.cloud}` or {ADD_A_ROW}"))
