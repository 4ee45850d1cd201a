"""tpu-topology-unlisted: a TPU slice shape the generation can form (right dimensions, whole hosts, within the
largest slice) that no table the catalog cites lists: GKE may still refuse it, so it is advice, not a block."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, Unknown
from backbone.policies.rules.base import Finding, PointsAt, PoolRule, Violation, pool_label
from backbone.policies.rules.tpu_topology import is_tpu_pool


class TpuTopologyUnlisted(PoolRule):
    """Advises on a GKE TPU slice whose shape the generation can form (the right number of dimensions, whole
    hosts, within the largest slice) but that no table the catalog cites lists: GKE may still refuse it. Shapes
    that cannot exist are blocked by `tpu-topology`."""

    name = "tpu-topology-unlisted"
    points_at = PointsAt(pool="tpuTopology")
    description = "Ensure TPU slices use a shape a published table lists (GKE may refuse others)"
    level = EnforcementLevel.ADVISORY
    has_unknowns = False  # an unknown topology is tpu-topology's to report

    def applies(self, pool: AcceleratorPool) -> bool:
        return is_tpu_pool(pool)

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        tpu = pool.instance.tpu if pool.instance else None
        topology = pool.tpu_topology
        if tpu is None or topology is None or isinstance(topology, Unknown):
            return
        if tpu.impossible(topology) is not None or tpu.listed(topology):
            return
        rule = tpu.generation.shape_rule if tpu.generation else ""
        chips = tpu.chips_of(topology)
        listed = [t for t in tpu.topologies if tpu.chips_of(t) == chips] or sorted(
            tpu.topologies, key=lambda t: abs(tpu.chips_of(t) - chips))[:3]
        yield Violation(pool.urn, (
            f"TPU pool {pool_label(pool)}: topology {topology} ({chips} chips, {tpu.hosts_of(topology)} hosts) can be "
            f"formed by {tpu.version}, but no table the catalog cites lists it"
            + (f" (published shapes follow: {rule})" if rule else "")
            + f"; GKE may refuse it when the pool is created: prefer {' or '.join(listed)}, or keep it if you "
              f"have created it before"))
