"""tpu-topology: a TPU pool whose slice cannot exist — a topology with the wrong number of dimensions, beyond
the generation's largest slice, not whole hosts of the machine type, or a node count × chips per host that is
not the topology's chips. A plausible shape that no cited table lists is ``tpu-topology-unlisted`` (advisory)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, Unknown
from backbone.policies.rules.base import Finding, PointsAt, PoolRule, Unverifiable, Violation, pool_label, unknown_of


def is_tpu_pool(pool: AcceleratorPool) -> bool:
    return pool.instance is not None and pool.instance.tpu is not None


class TpuTopology(PoolRule):
    """Blocks a TPU pool whose max nodes × chips per host differs from its `placementPolicy.tpuTopology`
    chips, a topology the machine type cannot form (catalog), or a multi-host TPU pool without a
    topology. Without a topology, a machine type that forms a one-host slice (ct5lp-hightpu-4t: 2x2) gives
    each node its own slice: several nodes are that many independent slices, not a broken one."""

    name = "tpu-topology"
    description = "Ensure TPU pools form a slice that can exist: as many chips as their topology, in whole hosts"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="tpuTopology")

    def applies(self, pool: AcceleratorPool) -> bool:
        return is_tpu_pool(pool)

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        tpu = pool.instance.tpu if pool.instance else None
        if tpu is None:
            return
        label = pool_label(pool)
        topology = pool.tpu_topology
        if isinstance(topology, Unknown):
            yield Unverifiable(pool.urn, f"pool {label}: TPU topology unknown ({unknown_of(pool, 'tpu_topology')})")
            return
        examples = ", ".join(tpu.topologies[:8]) + (", …" if len(tpu.topologies) > 8 else "")
        if topology is None:
            if tpu.forms_host_slice():
                return  # without a topology GKE makes each node its own single-host slice: N independent slices
            if isinstance(pool.max_nodes, int) and pool.max_nodes > 1:
                yield Violation(pool.urn, (
                    f"TPU pool {label} has up to {pool.max_nodes} hosts of {pool.instance_type} but no slice "
                    f"topology: a multi-host slice needs placementPolicy.tpuTopology (e.g. {examples})"))
            return
        why = tpu.impossible(topology)
        if why is not None:
            yield Violation(pool.urn, (
                f"TPU pool {label}: no {pool.instance_type} ({tpu.version}, {tpu.chips_per_host} chips per host) "
                f"slice has topology {topology!r}: {why}; use a shape such as {examples}"))
            return
        if isinstance(pool.max_nodes, Unknown):
            yield Unverifiable(pool.urn, f"pool {label}: node count unknown ({unknown_of(pool, 'max_nodes')})")
            return
        chips = tpu.chips_of(topology)
        have = pool.max_nodes * tpu.chips_per_host
        if have != chips:
            hosts = tpu.hosts_of(topology)
            yield Violation(pool.urn, (
                f"TPU pool {label}: {pool.max_nodes} hosts × {tpu.chips_per_host} chips = {have} chips, but "
                f"topology {topology} has {chips} chips; set the node count to {hosts} or pick the topology "
                f"for {have} chips (one node pool per slice; several slices = Multislice)"))
