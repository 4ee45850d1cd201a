"""workload-fit and workload-shortfall: a stack against the workload it declares (``backbone:workload``,
recorded as a ``backbone:index:Workload`` resource). What the workload needs comes from the sizing model
(``backbone.core.sizing``) for the instance type of the stack's largest pool of the workload's purpose.

- workload-fit (mandatory): more than ``maxOverProvision`` × the accelerators the workload needs (oversized);
  fewer than its training state needs (it cannot run); file systems slower than its checkpoints need
  (unbalanced); no pool of its purpose.
- workload-shortfall (advisory): fewer accelerators than the deadline (or the token rate) needs, with the
  days the run will actually take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, Inventory, Unknown
from backbone.policies.rules.base import (
    Finding,
    InventoryPolicy,
    PointsAt,
    Unverifiable,
    Violation,
    counted,
    number,
    pool_label,
    unknown_of,
)

if TYPE_CHECKING:
    from backbone.core import sizing
    from backbone.core.workload import InferenceWorkload, TrainingWorkload

__all__ = ["WorkloadFit", "WorkloadNeed", "WorkloadShortfall", "workload_need"]

# The workload spec (pydantic) and the sizing model are imported where a declared workload is judged, not at
# the top: most stacks declare none, and importing them is about 0.13 s of the pack's boot.

STACK = ""  # findings about the stack as a whole


@dataclass(frozen=True)
class WorkloadNeed:
    """The stack's accelerators of the workload's purpose, and what the workload needs on their type."""

    workload: TrainingWorkload | InferenceWorkload
    pool: AcceleratorPool  # the largest: the instance type the need is sized on, and where findings land
    accelerators: int  # of every pool of the workload's purpose, at max scale
    need: sizing.Option

    @property
    def training(self) -> bool:
        from backbone.core.workload import TrainingWorkload

        return isinstance(self.workload, TrainingWorkload)

    def describe_workload(self) -> str:
        from backbone.core.workload import TrainingWorkload, format_count

        w = self.workload
        if isinstance(w, TrainingWorkload):
            return (f"training {format_count(w.params)} parameters on {format_count(w.tokens)} tokens in "
                    f"{w.days:g} days at MFU {w.mfu:g}")
        return (f"serving {w.model or format_count(w.total_params) + ' parameters'}: {w.concurrency} sequences "
                f"of {w.context} tokens at {format_count(w.tokens_per_second)} tokens/s")


def workload_need(inventory: Inventory) -> Iterable[Finding | WorkloadNeed]:
    """Yields the ``WorkloadNeed`` of the stack, or why it cannot be judged (nothing without a workload)."""
    if inventory.workload is None:
        return
    from pydantic import ValidationError

    from backbone.core import sizing
    from backbone.core.workload import TrainingWorkload, WorkloadSpec

    try:
        workload = WorkloadSpec.model_validate(inventory.workload).root
    except ValidationError as exc:
        yield Unverifiable(STACK, f"the declared workload is not valid: {exc.errors()[0]['msg']}")
        return
    training = isinstance(workload, TrainingWorkload)
    purpose = "training" if training else "inference"
    pools = [p for p in inventory.pools if p.purpose == purpose]
    if not pools:
        yield Violation(STACK, f"the stack declares a {purpose} workload but has no {purpose} pool: add one "
                               f"(purpose: {purpose}) or declare the workload this stack is for")
        return
    tallied: list[tuple[int, AcceleratorPool]] = []
    for pool in pools:
        count = counted(pool, "max")
        if isinstance(count, Unverifiable):
            yield count
            return
        if pool.instance is None:
            yield Unverifiable(pool.urn, f"pool {pool_label(pool)}: {pool.instance_type} is not in the catalog")
            return
        tallied.append((count, pool))
    total = sum(c for c, _ in tallied)
    biggest = max(tallied, key=lambda c: c[0])[1]
    assert biggest.instance is not None
    need = (sizing.size_training(workload, biggest.instance) if isinstance(workload, TrainingWorkload)
            else sizing.size_inference(workload, biggest.instance))
    if isinstance(need, sizing.Skipped):
        yield Unverifiable(biggest.urn, f"pool {pool_label(biggest)}: the workload cannot be sized on "
                                        f"{biggest.instance_type}: {need.reason}")
        return
    yield WorkloadNeed(workload, biggest, total, need)


class WorkloadFit(InventoryPolicy):
    """Blocks a stack that does not fit the workload it declares (`backbone:workload`, recorded as a
    `backbone:index:Workload` resource): more accelerators at max scale than `maxOverProvision` × what the
    workload needs in whole nodes (oversized); fewer than its training state needs; file systems slower
    than its checkpoints need (unbalanced); no pool of the workload's purpose. The need comes from the
    sizing model on the instance type of the stack's largest pool of the workload's purpose."""

    name = "workload-fit"
    description = "Ensure the stack's accelerators and storage fit the workload it declares"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="maxNodes", storage="throughputMBpsPerTiB")
    reasons: ClassVar[Mapping[str, str]] = {
        "maxOverProvision": "room for whole nodes and a faster run, not for twice the hardware",
    }
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "maxOverProvision": {
            "type": "number", "minimum": 1, "default": 1.5,
            "description": "Most accelerators at max scale, as a multiple of what the declared workload needs.",
        },
    }

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        limit = float(self.setting(config, "maxOverProvision"))
        for item in workload_need(inventory):
            if not isinstance(item, WorkloadNeed):
                yield item
                continue
            yield from self._accelerators(item, limit)
            if item.training:
                yield from self._storage(item, inventory)

    def _accelerators(self, fit: WorkloadNeed, limit: float) -> Iterable[Finding]:
        from backbone.core import sizing
        from backbone.core.workload import TrainingWorkload, format_count

        need, pool = fit.need, fit.pool
        have = f"{number(fit.accelerators)} {pool.accelerator_name} at max scale ({pool.describe()})"
        if fit.accelerators > limit * need.accelerators:
            yield Violation(pool.urn, (
                f"{have} is {fit.accelerators / need.accelerators:.1f}× the {number(need.accelerators)} the "
                f"declared workload needs ({fit.describe_workload()}: {need.nodes} × {need.instance_type}); the "
                f"limit is {limit:g}×: lower maxNodes of {pool.name} to {need.nodes}, or declare the workload "
                f"this stack is for"))
        elif fit.accelerators < need.memory_floor_accelerators and isinstance(fit.workload, TrainingWorkload):
            yield Violation(pool.urn, (
                f"{have} cannot hold the training state of {format_count(fit.workload.params)} parameters "
                f"({sizing.TRAINING_STATE_BYTES_PER_PARAM} B/param sharded, ≤ "
                f"{sizing.TRAINING_USABLE_MEMORY:.0%} of accelerator memory): it needs at least "
                f"{number(need.memory_floor_accelerators)}: raise maxNodes of {pool.name}"))

    def _storage(self, fit: WorkloadNeed, inventory: Inventory) -> Iterable[Finding]:
        from backbone.core import sizing
        from backbone.core.workload import TrainingWorkload

        assert isinstance(fit.workload, TrainingWorkload)
        needed = sizing.checkpoint_write_mbps(fit.workload)
        systems = [f for f in inventory.file_systems if f.cloud == fit.pool.cloud]
        total = 0.0
        for fs in systems:
            if isinstance(fs.throughput_mbps, Unknown):
                yield Unverifiable(fs.urn, f"file system {fs.name} ({fs.resource_type}): throughput unknown "
                                           f"({unknown_of(fs, 'capacity_tib', 'throughput_mbps')})")
                return
            total += fs.throughput_mbps
        if total < needed:
            target = max(systems, key=lambda f: f.throughput_mbps).urn if systems else fit.pool.urn  # type: ignore
            feeds = " + ".join(fs.describe() for fs in systems)
            checkpoint = sizing.checkpoint_bytes(fit.workload) / 1e9
            writes = (f"{feeds} writes a {number(checkpoint)} GB checkpoint ({sizing.CHECKPOINT_BYTES_PER_PARAM} "
                      f"B/param) in {number(checkpoint * 1e3 / max(total, 1e-9) / 60)} min" if systems else
                      f"the stack has no parallel file system to write a {number(checkpoint)} GB checkpoint "
                      f"({sizing.CHECKPOINT_BYTES_PER_PARAM} B/param)")
            yield Violation(target, (
                f"{writes}; the workload allows "
                f"{fit.workload.checkpoint_minutes:g} min, which needs ≥ {number(needed)} MB/s: raise the "
                f"throughput per TiB or the capacity, or allow longer checkpoints (checkpointMinutes)"))


class WorkloadShortfall(InventoryPolicy):
    """Flags a stack with fewer accelerators than its declared workload's deadline (or token rate) needs,
    with the days the run will actually take."""

    name = "workload-shortfall"
    description = "Ensure the stack has the accelerators its workload needs for its deadline or token rate"
    level = EnforcementLevel.ADVISORY
    points_at = PointsAt(pool="maxNodes")

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        for item in workload_need(inventory):
            if not isinstance(item, WorkloadNeed):
                if isinstance(item, Unverifiable):
                    yield item
                continue
            need, pool, have = item.need, item.pool, item.accelerators
            w = item.workload
            if have >= (need.throughput_accelerators if item.training else need.accelerators):
                continue
            from backbone.core import sizing
            from backbone.core.workload import TrainingWorkload

            if isinstance(w, TrainingWorkload):
                days = need.accelerator_hours * (1 + sizing.checkpoint_stall(w)) / have / 24
                yield Violation(pool.urn, (
                    f"{number(have)} {pool.accelerator_name} at max scale ({pool.describe()}) take "
                    f"{number(days)} days for {item.describe_workload()}; the deadline needs "
                    f"{number(need.throughput_accelerators)} ({need.nodes} nodes): raise maxNodes of {pool.name} "
                    f"to {need.nodes}, or move the deadline (days)"))
            else:
                replicas, group = need.replicas or 0, need.accelerators_per_replica or 0  # both set for serving
                yield Violation(pool.urn, (
                    f"{number(have)} {pool.accelerator_name} at max scale ({pool.describe()}) are too few for "
                    f"{item.describe_workload()}: it needs {replicas} replicas × {group} = {number(replicas * group)} "
                    f"accelerators, {number(need.accelerators)} in whole nodes (memory for the weights and KV cache, "
                    f"and the token rate): raise maxNodes of {pool.name} to {need.nodes}"))
