"""interconnect: a multi-node training pool without its node-to-node fabric fully configured, or with less
fabric bandwidth per accelerator than ``minGbpsPerAccelerator``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from policies.inventory import AcceleratorPool, Unknown
from policies.rules.base import Finding, PointsAt, PoolRule, Unverifiable, Violation, number, pool_label, unknown_of

_HOW = {
    "aws": "every EFA interface in the launch template and a cluster placement group",
    "gcp": "every GPU NIC on its own VPC and compact placement",
    "azure": "an InfiniBand VM size (ND-series ...r sizes) in one agent pool",
}


class Interconnect(PoolRule):
    """Blocks a multi-node training pool on fabric-capable instances without its fabric fully configured —
    AWS: every EFA interface of the catalog's `fabric_nics` (`interfaceType` `efa`/`efa-only`) in the launch
    template and a `cluster` placement group; GCP: every GPU NIC (`additionalNodeNetworkConfigs`) on its own
    VPC and `COMPACT` placement; Azure: an InfiniBand VM size (one agent pool is one scale set) — or a
    configured fabric below the floor; and a pool labelled training that spans nodes on an instance with no
    fabric. TPU slices (ICI) are left to `tpu-topology`."""

    name = "interconnect"
    description = "Ensure multi-node training pools have their accelerator fabric fully configured"
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

    def check_pool(self, pool: AcceleratorPool, config: Mapping[str, Any]) -> Iterable[Finding]:
        minimum = float(self.setting(config, "minGbpsPerAccelerator"))
        label = pool_label(pool)
        if isinstance(pool.instance_type, Unknown) or isinstance(pool.max_nodes, Unknown):
            yield Unverifiable(pool.urn, f"pool {label}: whether it spans nodes on a fabric is unknown "
                                         f"({unknown_of(pool, 'instance_type', 'max_nodes')})")
            return
        if pool.max_nodes <= 1:
            return
        instance = pool.instance
        if instance is None:
            yield Unverifiable(pool.urn, f"pool {label}: the catalog does not know the fabric of "
                                         f"{pool.instance_type}")
            return
        if instance.fabric == "ici":  # a TPU slice's ICI needs no configuration; tpu-topology judges it
            return
        fabric = pool.fabric
        per_acc = pool.fabric_gbps_per_accelerator()
        full = instance.fabric_gbps_per_accelerator()
        gbps = "" if not isinstance(per_acc, float | int) else (
            f" ({number(per_acc)} Gbps per accelerator" + ("" if full is None else f" of {number(full)}") + ")")
        how = _HOW.get(pool.cloud, "its full fabric")
        if instance.has_fabric and fabric.configured is False:
            yield Violation(pool.urn, (
                f"training pool {label} spans up to {pool.describe()} on {instance.fabric.upper()} instances "
                f"but its fabric is not fully configured{gbps}: {'; '.join(fabric.missing)}. "
                f"Configure {how}"))
            return
        if isinstance(fabric.configured, Unknown):
            yield Unverifiable(pool.urn, f"pool {label}: fabric configuration unknown ({', '.join(fabric.unknown)})")
            return
        if not instance.has_fabric:
            yield Violation(pool.urn, (
                f"training pool {label} spans up to {pool.describe()} but {pool.instance_type} has no "
                f"node-to-node fabric (0 Gbps per accelerator, needs ≥ {number(minimum)}); use a "
                f"fabric-capable instance type or keep the pool to one node"))
            return
        if isinstance(per_acc, Unknown) or per_acc is None:
            yield Unverifiable(pool.urn, f"pool {label}: the catalog has no fabric bandwidth for "
                                         f"{pool.instance_type}")
            return
        if per_acc < minimum:
            yield Violation(pool.urn, (
                f"training pool {label} ({pool.describe()}) has {number(per_acc)} Gbps of {instance.fabric} "
                f"per accelerator; multi-node training needs ≥ {number(minimum)} Gbps per accelerator: use an "
                f"instance type with more fabric bandwidth or lower minGbpsPerAccelerator"))
