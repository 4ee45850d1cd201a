"""storage-throughput: a training stack whose parallel file systems deliver less than
``minMBpsPerAccelerator`` per accelerator at max scale, or that has none."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from pulumi_policy import EnforcementLevel

from backbone.policies.inventory import AcceleratorPool, FileSystem, Inventory, Unknown
from backbone.policies.rules.base import (
    Finding,
    InventoryPolicy,
    PointsAt,
    Unverifiable,
    Violation,
    counted,
    number,
    unknown_of,
)


class StorageThroughput(InventoryPolicy):
    """Blocks a training stack whose parallel file systems (per cloud) deliver less than the floor per
    training accelerator at max scale, or that has none. Every parallel file system of a cloud is taken to
    feed every training pool of that cloud (which pools a file system feeds is not in the resources). A file
    system the cloud would refuse (an FSx ``perUnitStorageThroughput`` its deployment type does not accept) is
    reported as invalid, whatever the stack trains. Where the accelerators are only known from below (a type the
    catalog does not know but of an accelerator family), the storage blocks only when it is short even for the
    fewest of them, and the message says which bound decided. A stack that only adds
    pools to a cluster whose file system another stack owns declares that file system's throughput in its config
    (``externalMBps``, per stack with the policy config's ``stacks`` section): the pack cannot see another stack,
    so it counts what the config says, with the stack's own file systems."""

    name = "storage-throughput"
    description = "Ensure training accelerators are fed by enough parallel file system throughput"
    level = EnforcementLevel.MANDATORY
    points_at = PointsAt(pool="maxNodes", storage="throughputMBpsPerTiB", stack="storage")
    reasons: ClassVar[Mapping[str, str]] = {
        "minMBpsPerAccelerator": "128 H100 need 12.8 GB/s: 48 TiB of FSx at 500 MB/s/TiB gives 187 MB/s per GPU",
        "externalMBps": "0: only what the stack provisions is counted unless its config declares more (the pack "
                        "cannot see another stack's file system)",
    }
    config: ClassVar[Mapping[str, dict[str, Any]]] = {
        "minMBpsPerAccelerator": {
            "type": "number", "minimum": 0, "default": 100,
            "description": "Least parallel file system throughput (MB/s) per training accelerator at max scale.",
        },
        "externalMBps": {
            "type": "number", "minimum": 0, "default": 0,
            "description": "Throughput (MB/s) of parallel file systems outside this stack that feed its training "
                           "pools (a pool-only stack on a cluster whose file system another stack owns); counted "
                           "with the stack's own.",
        },
    }

    def check(self, inventory: Inventory, config: Mapping[str, Any]) -> Iterable[Finding]:
        minimum = float(self.setting(config, "minMBpsPerAccelerator"))
        external = float(self.setting(config, "externalMBps"))
        for fs in inventory.file_systems:  # refused by the cloud: invalid, not slow
            if fs.invalid:
                yield Violation(fs.urn, f"file system {fs.name} ({fs.resource_type}) is invalid: {fs.invalid}")
        for cloud in inventory.clouds:  # a file system feeds the pools of its own cloud
            pools = [p for p in inventory.most_accelerators() if p.is_training and p.cloud == cloud]
            systems = [f for f in inventory.file_systems if f.cloud == cloud]
            if pools:
                yield from self._judge(pools, systems, minimum, external)

    def _judge(self, pools: list[AcceleratorPool], systems: list[FileSystem], minimum: float,
               external: float) -> Iterable[Finding]:
        accelerators = 0
        tallied: list[tuple[int, AcceleratorPool]] = []
        bounded: list[tuple[Unverifiable, str]] = []
        for pool in pools:
            count = counted(pool, "max")
            if isinstance(count, Unverifiable):
                if not pool.least_accelerators():
                    yield count
                    return
                # a lower bound of the accelerators: an upper bound of the MB/s each gets, decisive when short
                bounded.append((count, f"{pool.name}: {pool.bound() or 'its fewest accelerators'}"))
                count = pool.least_accelerators()
            accelerators += count
            tallied.append((count, pool))
        if accelerators == 0:
            return
        fed = " + ".join(p.describe() for _, p in tallied)
        if bounded:
            fed += f" (lower bounds: {'; '.join(why for _, why in bounded)})"
        unit = "accelerator"
        if not systems and not external:
            # the largest pool; among equals the first by name, so the finding lands where it did last time
            # whatever order the engine sent the resources in
            biggest = min(tallied, key=lambda c: (-c[0], c[1].name))[1]
            yield Violation(biggest.urn, (
                f"{fed} train with no parallel file system in this stack (0 MB/s per {unit}); this stack needs "
                f"≥ {number(minimum)} MB/s per {unit} = {number(minimum * accelerators)} MB/s: add a Lustre "
                f"file system (e.g. {number(minimum * accelerators / 500, '')} TiB at 500 MB/s/TiB), or declare "
                f"the throughput of the file system in another stack that feeds them (externalMBps)"))
            return
        rates: list[tuple[float, FileSystem]] = []
        if any(fs.invalid for fs in systems):
            return  # said above: its throughput is whatever the fixed configuration gives
        for fs in systems:
            if isinstance(fs.throughput_mbps, Unknown):
                yield Unverifiable(fs.urn, f"file system {fs.name} ({fs.resource_type}): throughput unknown "
                                           f"({unknown_of(fs, 'capacity_tib', 'throughput_mbps')})")
                return
            rates.append((fs.throughput_mbps, fs))
        total = sum(r for r, _ in rates) + external
        per_acc = total / accelerators
        if per_acc >= minimum and bounded:  # more accelerators would mean less per accelerator: unknown
            yield bounded[0][0]
            return
        if per_acc < minimum:
            feeds = " + ".join([*(fs.describe() for fs in systems),
                                *([f"{number(external, 'MB/s')} declared outside this stack (externalMBps)"]
                                  if external else [])])
            if not rates:
                biggest = min(tallied, key=lambda c: (-c[0], c[1].name))[1]
                yield Violation(biggest.urn, (
                    f"{fed} are fed by {feeds} ({number(per_acc)} MB/s per {unit}); this stack needs "
                    f"≥ {number(minimum)} MB/s per {unit} = {number(minimum * accelerators)} MB/s: raise "
                    f"externalMBps if the file system delivers more, or its throughput"))
                return
            target = max(rates, key=lambda r: r[0])[1]
            yield Violation(target.urn, (
                f"{fed} are fed by {feeds} ({'at most ' if bounded else ''}{number(per_acc)} MB/s per {unit}); "
                f"this stack needs "
                f"≥ {number(minimum)} MB/s per {unit} = {number(minimum * accelerators)} MB/s: raise the "
                f"throughput per TiB or the capacity of {target.name}, or lower minMBpsPerAccelerator"))
