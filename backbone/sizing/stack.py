"""``--write-stack``: the best option on one cloud as a stack file — the cluster where the catalog offers the
instance type, one training (or inference) pool of exactly the nodes the workload needs, a parallel file
system fast enough for its checkpoints and its accelerators, and the workload itself."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from backbone.components.clouds import facts
from backbone.components.spec import from_config
from backbone.components.spec.cluster import NAME
from backbone.core import catalog
from backbone.core.catalog.pricing import LIST_PRICES, Rates, storage_price
from backbone.core.errors import ConfigError, Problem
from backbone.core.sizing import Option, checkpoint_bytes
from backbone.core.workload import TrainingWorkload, WorkloadSpec, format_count
from backbone.output import check_output, write_file
from backbone.policies.inventory import HOURS_PER_MONTH
from backbone.policies.rules.max_accelerators import MaxAccelerators
from backbone.policies.rules.monthly_budget import MonthlyBudget
from backbone.policies.rules.storage_throughput import StorageThroughput
from backbone.sizing.rank import Sizing

__all__ = [
    "DEFAULT_SITES",
    "POLICY_FLOOR_MBPS_PER_ACCELERATOR",
    "StorageChoice",
    "choose_site",
    "choose_storage",
    "policy_notes",
    "stack_config",
    "write_stack",
]

# Where a stack goes when the catalog does not say where the instance type is offered: one place, as data.
DEFAULT_SITES: dict[str, tuple[str, str]] = {
    "aws": ("us-east-1", "us-east-1a"),
    "gcp": ("us-central1", "us-central1-a"),
    "azure": ("eastus", "1"),
}
# How a zone of a region is named when the catalog lists regions but no zones.
DEFAULT_ZONE_OF_REGION: dict[str, str] = {"aws": "{region}a", "gcp": "{region}-a", "azure": "1"}
# The policy pack's `storage-throughput` default: MB/s of parallel file system per training accelerator.
POLICY_FLOOR_MBPS_PER_ACCELERATOR = float(StorageThroughput.config["minMBpsPerAccelerator"]["default"])
# Checkpoints the file system holds at once (the newest, the one being written, one to fall back to).
CHECKPOINTS_KEPT = 3
COUNT_FIELDS = ("params", "activeParams", "tokens", "tokensPerSecond")


@dataclass(frozen=True)
class StorageChoice:
    """File systems of one size and tier that the service accepts, and the throughput they deliver."""

    kind: str
    service: str
    count: int
    capacity_tib: float  # of each file system
    throughput_mbps_per_tib: float
    needed_mbps: float
    monthly_usd: float | None  # of all of them

    @property
    def throughput_mbps(self) -> float:
        return self.count * self.capacity_tib * self.throughput_mbps_per_tib

    @property
    def total_tib(self) -> float:
        return self.count * self.capacity_tib


def _zone_in(cloud: str, region: str, zones: tuple[str, ...]) -> str | None:
    pattern = facts(cloud).zone_pattern(region)
    return next((z for z in zones if re.match(pattern, z)), None)


def choose_site(row: catalog.InstanceType) -> tuple[str, str]:
    """(region, zone): where the price was quoted, else the cloud's default, else the first region the
    catalog offers the type in; a zone of that region the catalog lists, else the region's default zone."""
    default_region, default_zone = DEFAULT_SITES[row.cloud]
    candidates = [r for r in (row.price_region, default_region, *row.regions) if r]
    for region in dict.fromkeys(candidates):
        if row.offered_in_region(region) is False:
            continue
        if row.zones:
            zone = _zone_in(row.cloud, region, row.zones)
            if zone is None:
                continue
            return region, zone
        if region == default_region:
            return region, default_zone
        return region, DEFAULT_ZONE_OF_REGION[row.cloud].format(region=region)
    raise ConfigError([Problem(f"catalog:{row.cloud}:{row.instance_type}",
                               "the catalog lists no zone in any region it offers this type in")])


def _file_systems_needed(rule: catalog.CapacityRule, needed_mbps: float, min_tib: float) -> int:
    """One file system unless the service's largest one is too slow or too small: then several."""
    if rule.max_tib is None:
        return 1
    return max(1, math.ceil(needed_mbps / (rule.max_tib * rule.throughput_mbps_per_tib) - 1e-9),
               math.ceil(min_tib / rule.max_tib - 1e-9))


def choose_storage(cloud: str, needed_mbps: float, min_tib: float = 0.0,
                   rates: Rates = LIST_PRICES) -> StorageChoice | None:
    """The file systems (of any non-bucket kind the catalog offers on ``cloud``) that deliver ``needed_mbps``
    and hold ``min_tib``: cheapest per month where every candidate is priced (your storage rates, else the
    catalog's), else the fewest file systems and the least capacity."""
    choices: list[StorageChoice] = []
    for offering in catalog.load().storage:
        if offering.cloud != cloud or offering.kind == "bucket":
            continue
        for rule in offering.rules:
            count = _file_systems_needed(rule, needed_mbps, min_tib)
            capacity = rule.smallest_at_least(max(needed_mbps / count / rule.throughput_mbps_per_tib,
                                                min_tib / count))
            if capacity is None:
                continue
            price = storage_price(offering, rule.throughput_mbps_per_tib, rates)
            choices.append(StorageChoice(offering.kind, offering.service, count, capacity,
                                         rule.throughput_mbps_per_tib, needed_mbps,
                                         None if price is None else price.usd_per_tib_month * capacity * count))
    if not choices:
        return None
    all_priced = all(c.monthly_usd is not None for c in choices)
    return min(choices, key=lambda c: ((c.monthly_usd or 0.0) if all_priced else 0.0, c.count, c.total_tib,
                                       c.throughput_mbps, c.kind))


def _workload_config(spec: WorkloadSpec) -> dict[str, Any]:
    data = spec.to_config()
    for key in COUNT_FIELDS:
        if isinstance(data.get(key), int):
            data[key] = format_count(data[key])
    return data


def stack_config(name: str, option: Option, spec: WorkloadSpec,
                 rates: Rates = LIST_PRICES) -> tuple[dict[str, Any], StorageChoice | None]:
    """The ``config:`` of a stack that runs ``spec`` on ``option``, and the file system chosen for it (the
    cheapest at ``rates`` where every candidate is priced)."""
    row = catalog.load().instance(option.cloud, option.instance_type)
    assert row is not None, option.instance_type
    region, zone = choose_site(row)
    training = isinstance(spec.root, TrainingWorkload)
    pool: dict[str, Any] = {
        "name": "train" if training else "serve",
        "instanceType": option.instance_type,
        "purpose": "training" if training else "inference",
        "minNodes": 0,
        "maxNodes": option.nodes // option.slices,  # a Multislice pool counts the nodes of one slice
        "capacity": "on-demand",
    }
    if option.tpu_topology is not None:
        pool["tpuTopology"] = option.tpu_topology
    if option.slices > 1:
        pool["slices"] = option.slices
    cluster: dict[str, Any] = {"cloud": option.cloud, "name": name, "region": region, "zone": zone,
                               "nodePools": [pool]}
    storage = None
    if isinstance(spec.root, TrainingWorkload):
        floor = POLICY_FLOOR_MBPS_PER_ACCELERATOR * option.accelerators
        keep = CHECKPOINTS_KEPT * checkpoint_bytes(spec.root) / 2**40
        storage = choose_storage(option.cloud, max(option.storage_mbps_needed, floor), keep, rates)
        if storage is not None:
            names = ["checkpoints"] if storage.count == 1 else [f"checkpoints-{i + 1}" for i in range(storage.count)]
            offering = catalog.load().storage_offering(option.cloud, storage.kind)
            tier = {"throughputMBpsPerTiB": storage.throughput_mbps_per_tib}
            if offering is not None and not offering.throughput_configurable:
                tier = {}  # the service's one tier: not a setting
            cluster["storage"] = [{"name": fs_name, "kind": storage.kind, "capacityTiB": storage.capacity_tib, **tier}
                                  for fs_name in names]
    return {"backbone:cluster": cluster, "backbone:workload": _workload_config(spec)}, storage


def _header(option: Option, storage: StorageChoice | None, command: str) -> str:
    lines = [
        f"Written by `{command}`.",
        f"{option.nodes} × {option.instance_type} ({option.accelerators} × {option.accelerator}), "
        f"{option.days:.1f} days, ${option.cost_usd:,.0f} ({option.price_basis or 'catalog prices'}).",
    ]
    if storage is not None:
        lines.append(
            f"{storage.service}: {storage.count} × {storage.capacity_tib:g} TiB × "
            f"{storage.throughput_mbps_per_tib:g} MB/s/TiB = "
            f"{storage.throughput_mbps:,.0f} MB/s (needs {storage.needed_mbps:,.0f} MB/s: checkpoints, and "
            f"{POLICY_FLOOR_MBPS_PER_ACCELERATOR:g} MB/s per accelerator)."
        )
    return "".join(f"# {line}\n" for line in lines)


def policy_notes(option: Option) -> list[str]:
    """Where the written stack goes over a default limit of the pack (the plan would block it)."""
    notes = []
    pool_limit = int(MaxAccelerators.config["poolLimit"]["default"])
    stack_limit = int(MaxAccelerators.config["stackLimit"]["default"])
    if option.accelerators > min(pool_limit, stack_limit):
        notes.append(f"{option.accelerators} accelerators are over the pack's max-accelerators defaults "
                     f"(poolLimit {pool_limit}, stackLimit {stack_limit}): raise them in the policy config "
                     f"(backbone plan --policy-config) if this run is intended")
    budget = float(MonthlyBudget.config["usd"]["default"])
    if option.usd_per_hour is not None and option.usd_per_hour * HOURS_PER_MONTH > budget:
        notes.append(f"${option.usd_per_hour * HOURS_PER_MONTH:,.0f} a month at max scale is over the pack's "
                     f"monthly-budget default (${budget:,.0f}): raise usd in the policy config if intended")
    return notes


def write_stack(sizing: Sizing, spec: WorkloadSpec, name: str, cloud: str, stacks_dir: Path, force: bool,
                command: str) -> Path:
    """Writes ``stacks_dir/Pulumi.<name>.yaml`` for the best option on ``cloud``; returns its path."""
    if not re.match(NAME, name):
        raise ConfigError([Problem("--write-stack", f"{name!r} is not a valid stack name: lowercase letters, "
                                   "digits and '-', starting with a letter, 2 to 40 characters")])
    option = sizing.best(cloud)
    if option is None:
        counts = Counter(s.reason for s in sizing.skipped if s.cloud == cloud)
        reasons = "; ".join(f"{n} × {reason}" for reason, n in sorted(counts.items()))
        raise ConfigError([Problem("--cloud", f"no {cloud} instance type fits this workload"
                                   + (f" ({reasons})" if reasons else ""))])
    path = stacks_dir / f"Pulumi.{name}.yaml"
    check_output(path, "--write-stack", force=force, what="stack file")
    config, storage = stack_config(name, option, spec, sizing.rates)
    from_config(config, file=str(path))  # never write a stack the spec would refuse
    body = yaml.safe_dump({"config": config}, sort_keys=False, default_flow_style=False, allow_unicode=True)
    write_file(path, _header(option, storage, command) + body, "--write-stack", force=force, what="stack file")
    return path
