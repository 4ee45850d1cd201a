"""interconnect: a multi-node training pool without its node-to-node fabric NICs and devices fully configured
(EFA interfaces, GPU NICs on their own networks, an InfiniBand size), or with less fabric bandwidth per
accelerator than ``minGbpsPerAccelerator``. Placement (placement groups, COMPACT) is ``compact-placement``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, Unknown
from backbone.policies.rules.base import (
    Finding,
    PointsAt,
    PoolRule,
    Unverifiable,
    Violation,
    fabric_name,
    number,
    pool_label,
    unknown_of,
)

_HOW = {
    "aws": "one EFA interface per network card in the launch template (networkInterfaces, interfaceType efa)",
    "gcp": ("every GPU NIC in networkConfig.additionalNodeNetworkConfigs, each on its own VPC (GPUDirect-TCPX/TCPXO) "
            "or its own subnet of an RDMA VPC (GPUDirect-RDMA)"),
    "azure": "an InfiniBand VM size (ND-series ...r sizes) in one agent pool",
}
class Interconnect(PoolRule):
    """Blocks a multi-node training pool on fabric-capable instances without its fabric (NICs and devices) fully
    configured — AWS: every EFA interface of the catalog's `fabric_nics` (`interfaceType` `efa`/`efa-only`) in
    the launch template; GCP: every GPU NIC (`additionalNodeNetworkConfigs`) on its own VPC (or RDMA subnet);
    Azure: an InfiniBand VM size (one agent pool is one scale set) — or a
    configured fabric below the floor; and a pool labelled training that spans nodes on an instance with no
    fabric. Placement (a placement group, GKE COMPACT) is `compact-placement`'s; TPU slices (ICI) are left to
    `tpu-topology`. With several candidate types, the weakest fabric decides."""

    name = "interconnect"
    description = "Ensure multi-node training pools have their accelerator fabric (NICs and devices) configured"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="instanceType")
    reasons: ClassVar[Mapping[str, str]] = {
        "minGbpsPerAccelerator": "every EFA / InfiniBand / GPUDirect training type passes (50–400 Gbps per "
                                 "accelerator); a token 100 Gbps per 8-GPU node does not",
    }
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "minGbpsPerAccelerator": {
            "type": "number", "minimum": 0, "default": 25,
            "description": "Least fabric bandwidth per accelerator (Gbit/s) a multi-node training pool needs.",
        },
    }

    def applies(self, pool: AcceleratorPool) -> bool:
        return pool.is_training

    def rank(self, pool: AcceleratorPool) -> tuple[float, ...]:
        """The weakest fabric first."""
        per_acc = pool.fabric_gbps_per_accelerator()
        return (per_acc if isinstance(per_acc, float | int) else -1.0,)

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        minimum = float(self.setting(config, "minGbpsPerAccelerator"))
        if isinstance(pool.instance_type, Unknown):
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: whether it spans nodes on a fabric is unknown "
                                         f"({unknown_of(pool, 'instance_type')})")
            return
        spans = pool.spans_nodes()
        if spans is False:
            return
        findings = list(self._judge(pool, minimum))
        if isinstance(spans, Unknown) and any(isinstance(f, Violation) for f in findings):
            # short of fabric, but a fabric matters only across nodes: how many is unknown
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: its fabric is short "
                                         f"({'; '.join(pool.fabric.missing) or 'too little bandwidth'}), and "
                                         f"whether it spans several nodes is unknown ({unknown_of(pool, 'max_nodes')})")
            return
        yield from findings

    def _judge(self, pool: AcceleratorPool, minimum: float) -> Iterable[Finding]:
        """The findings on a pool that may span several nodes."""
        label = pool_label(pool)
        instance = pool.instance
        if instance is None:
            yield Unverifiable(pool.urn, f"pool {label}: the catalog does not know the fabric of "
                                         f"{pool.instance_type}, so its NICs cannot be checked")
            return
        if instance.fabric == "ici":  # a TPU slice's ICI needs no configuration; tpu-topology judges it
            return
        fabric = pool.fabric
        per_acc = pool.fabric_gbps_per_accelerator()
        full = instance.fabric_gbps_per_accelerator()
        how = _HOW.get(pool.cloud, "its full fabric")
        if instance.has_fabric and fabric.configured is False:
            share = "" if not isinstance(per_acc, float | int) or full is None else (
                f"; as configured it gets {number(per_acc)} of the {number(full)} Gbps per accelerator "
                f"the instance offers")
            yield Violation(pool.urn, (
                f"training pool {label} spans up to {pool.describe()} on {fabric_name(instance.fabric)} "
                f"but its fabric is not fully configured: {'; '.join(fabric.missing)}{share}. Configure {how}"))
            return
        if isinstance(fabric.configured, Unknown):
            yield Unverifiable(pool.urn, f"pool {label}: fabric configuration unknown ({', '.join(fabric.unknown)})")
            return
        if not instance.has_fabric:
            yield Violation(pool.urn, (
                f"training pool {label} spans up to {pool.describe()} but {pool.instance_type} has no "
                f"node-to-node fabric (0 Gbps per accelerator, needs at least {number(minimum)}); use a "
                f"fabric-capable instance type or keep the pool to one node"))
            return
        if isinstance(per_acc, Unknown) or per_acc is None:
            yield Unverifiable(pool.urn, f"pool {label}: the catalog has no fabric bandwidth for "
                                         f"{pool.instance_type}")
            return
        if per_acc < minimum:
            yield Violation(pool.urn, (
                f"training pool {label} ({pool.describe()}) has {number(per_acc)} Gbps of "
                f"{fabric_name(instance.fabric)} per accelerator; multi-node training needs at least "
                f"{number(minimum)} Gbps per accelerator: use an instance type with more fabric bandwidth or "
                f"lower minGbpsPerAccelerator"))
