"""tpu-topology: a TPU pool whose node count × chips per host differs from its topology's chips, or whose
topology is not one the machine type can form."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from components.catalog import TpuSpec
from policies.inventory import AcceleratorPool, Unknown
from policies.rules.base import Finding, PointsAt, PoolRule, Unverifiable, Violation, pool_label, unknown_of


def _chips(topology: str) -> int | None:
    try:
        return TpuSpec.chips_of(topology)
    except ValueError:
        return None


class TpuTopology(PoolRule):
    """Blocks a TPU pool whose max nodes × chips per host differs from its `placementPolicy.tpuTopology`
    chips, a topology the machine type cannot form (catalog), or a multi-host TPU pool without a
    topology."""

    name = "tpu-topology"
    description = "Ensure TPU pools have as many chips as their slice topology"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="tpuTopology")

    def applies(self, pool: AcceleratorPool) -> bool:
        return pool.instance is not None and pool.instance.tpu is not None

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        tpu = pool.instance.tpu if pool.instance else None
        if tpu is None:
            return
        label = pool_label(pool)
        topology = pool.tpu_topology
        if isinstance(topology, Unknown):
            yield Unverifiable(pool.urn, f"pool {label}: TPU topology unknown ({unknown_of(pool, 'tpu_topology')})")
            return
        valid = ", ".join(tpu.topologies) or "none in the catalog"
        if topology is None:
            if isinstance(pool.max_nodes, int) and pool.max_nodes > 1:
                yield Violation(pool.urn, (
                    f"TPU pool {label} has up to {pool.max_nodes} hosts of {pool.instance_type} but no slice "
                    f"topology: a multi-host slice needs placementPolicy.tpuTopology (one of {valid})"))
            return
        chips = _chips(topology)
        if chips is None or topology not in tpu.topologies:
            yield Violation(pool.urn, (
                f"TPU pool {label}: topology {topology!r} is not one {pool.instance_type} ({tpu.version}, "
                f"{tpu.chips_per_host} chips per host) can form; use one of {valid}"))
            return
        if isinstance(pool.max_nodes, Unknown):
            yield Unverifiable(pool.urn, f"pool {label}: node count unknown ({unknown_of(pool, 'max_nodes')})")
            return
        have = pool.max_nodes * tpu.chips_per_host
        if have != chips:
            hosts = tpu.hosts_of(topology)
            yield Violation(pool.urn, (
                f"TPU pool {label}: {pool.max_nodes} hosts × {tpu.chips_per_host} chips = {have} chips, but "
                f"topology {topology} has {chips} chips; set the node count to {hosts} or pick the topology "
                f"for {have} chips"))
