"""accelerator-coverage: resources that can carry accelerators and that the pack does not read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import Inventory
from backbone.policies.rules.base import Finding, InventoryPolicy, PointsAt, Unverifiable


class AcceleratorCoverage(InventoryPolicy):
    """Names every resource of the stack that can carry accelerators and that the pack does not read: a type no
    reader of the registry reads (``docs/how-the-pack-reads-programs.md``), or a launch template no read pool
    uses, whose inputs name an accelerator machine type (AWS P/G/Trn/Inf/DL, GCP A2/A3/A4/G2/G4/TPU, Azure N
    series). Their accelerators, cost, fabric and placement are not judged, so the stack's totals are unknown;
    this is said on every plan ("cannot verify"), and ``strict: true`` blocks it. Each message also says how
    many accelerator pools the pack did judge."""

    name = "accelerator-coverage"
    description = "Ensure every resource that can carry accelerators is read and judged by the pack"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt()

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        coverage = inventory.coverage
        judged = f"{coverage.pools} accelerator pool{'' if coverage.pools == 1 else 's'}"
        for unread in coverage.unread:
            yield Unverifiable(unread.urns[0], (
                f"the pack judged {judged} of this stack but does not read {unread}: their accelerators, cost, "
                f"fabric and placement are not judged and the stack's totals are unknown; provision them with a "
                f"resource type the pack reads (docs/how-the-pack-reads-programs.md) or add a reader"))
