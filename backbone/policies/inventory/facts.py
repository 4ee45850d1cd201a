"""Cloud-neutral facts the rules judge, derived from provider resources only (never Backbone config).

A value the preview cannot know is ``UNKNOWN``; a rule that needs it says "cannot verify". Where a value
is unknown, ``unknown_inputs`` of the pool or file system names the provider input it would come from, so
a message can say which resource and which input.

Stack-level totals (``Inventory.accelerators_max`` …) are ``Total`` values: the sum of what is known plus
the list of what could not be counted, so a summary can print "≥ 128 (1 pool unknown)".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

from backbone.core.catalog import HOURS_PER_MONTH, InstanceType, StorageOffering
from backbone.core.catalog.pricing import LIST_PRICES, NodePrice, Rates, Unpriced, node_price, storage_price
from backbone.core.vocabulary import PURPOSES as PURPOSES  # one definition of the purposes
from backbone.policies.inventory.coverage import Coverage
from backbone.policies.inventory.families import accelerator_family

__all__ = [
    "HOURS_PER_MONTH",
    "UNKNOWN",
    "AcceleratorPool",
    "Candidate",
    "FabricCheck",
    "FileSystem",
    "Inventory",
    "Scale",
    "Total",
    "Unknown",
    "is_known",
    "least_favourable_first",
]

"""Hours in an average month (8,760 h / 12), the convention cloud price lists use."""

Scale = Literal["min", "max"]


class Unknown:
    """The value exists but cannot be known during preview (it depends on an unknown output)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("an unknown value has no truth value: test it with is_known() first")


UNKNOWN: Final = Unknown()


def is_known(value: object) -> bool:
    return not isinstance(value, Unknown)


@dataclass(frozen=True)
class Total:
    """A stack-level sum: ``value`` adds up the known parts; ``unknown`` says what could not be counted."""

    value: float
    unknown: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unknown

    def __str__(self) -> str:
        text = f"{self.value:,.0f}"  # inf and nan format as "inf" and "nan"
        return text if self.complete else f"≥ {text} ({len(self.unknown)} unknown)"


def _total(parts: list[tuple[float | Unknown | None, str]], bounds: tuple[float, ...] = ()) -> Total:
    """The sum of the known ``parts``, plus ``bounds`` (known lower bounds of some unknown parts: the total
    stays a lower bound, "≥")."""
    value = 0.0
    missing: list[str] = []
    for part, label in parts:
        if isinstance(part, Unknown) or part is None:
            missing.append(label)
        else:
            value += part
    return Total(value + sum(bounds), tuple(missing))


@dataclass(frozen=True)
class FabricCheck:
    """Whether a pool's node-to-node fabric is fully configured, and what is missing if not.

    ``gbps`` is the fabric bandwidth per node the configuration delivers (catalog bandwidth × share of the
    fabric NICs configured), ``UNKNOWN`` where a deciding input is unknown, ``None`` where the catalog has
    no bandwidth figure.
    """

    configured: bool | Unknown
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    gbps: float | Unknown | None = None


@dataclass(frozen=True)
class Candidate:
    """One instance type a pool may launch (EKS ``instanceTypes``, a mixed-instances policy, Karpenter's
    requirements), with the fabric the pool configures for it."""

    instance_type: str
    instance: InstanceType | None
    fabric: FabricCheck
    max_nodes: int | Unknown | None = None
    """The pool's most nodes when it launches this type, where that depends on the type (a Batch environment's
    ``maxVcpus``, a fleet's weighted capacity, Karpenter's limits); None where it does not."""


def least_favourable_first(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates in the order a pool is judged: a type the catalog does not know (or whose node count is
    unknown) first (nothing about it can be verified), then the most accelerators at max scale (per node where
    every type has the pool's node count), the highest price, then by name — so the order a program lists its
    types in never changes a verdict."""
    def key(c: Candidate) -> tuple[int, int, float, str]:
        if c.instance is None or isinstance(c.max_nodes, Unknown):
            return (0, 0, 0.0, c.instance_type)
        price = c.instance.on_demand_usd_per_hour
        nodes = c.max_nodes if isinstance(c.max_nodes, int) else 1
        return (1, -c.instance.accelerator_count * nodes, -(price or math.inf), c.instance_type)
    return sorted(candidates, key=key)


@dataclass(frozen=True)
class AcceleratorPool:
    """A pool of accelerator nodes (EKS node group, GKE node pool, AKS agent pool)."""

    urn: str
    name: str
    cloud: str
    resource_type: str
    instance_type: str | Unknown
    instance: InstanceType | None
    min_nodes: int | Unknown
    max_nodes: int | Unknown
    purpose: str
    purpose_declared: bool
    zones: tuple[str, ...] | Unknown
    region: str | None
    capacity: str
    fabric: FabricCheck
    public_ips: bool | Unknown
    tpu_topology: str | Unknown | None = None
    labels: dict[str, Any] = field(default_factory=dict)
    attached_accelerators: int | None = None
    """Accelerators attached to an instance the catalog does not know (GCP guestAccelerators)."""
    looks_like_accelerator: bool = True
    """The instance type or its hints (GPU AMI, guest accelerators, family) say "accelerator"."""
    unknown_inputs: dict[str, str] = field(default_factory=dict)
    """Fact name → the provider input (path) that is unknown, e.g. ``{"instance_type": "launchTemplate.id"}``."""
    candidates: tuple[Candidate, ...] = ()
    """Every instance type the pool may launch, when there are several (``instance_type`` is the first of
    ``least_favourable_first``); empty for a pool of one type."""
    training_intent: tuple[str, ...] = ()
    """What says this pool trains across nodes when no purpose label does (a fabric configured, a placement
    group, a declared training workload …); empty when nothing does."""
    compact: bool | Unknown | None = None
    """Whether the nodes are placed close together (GKE COMPACT placement, an AWS cluster placement group or a
    capacity reservation / Capacity Block that places them); None where the cloud has no such setting."""
    compact_missing: str = ""
    """What to set for compact placement, in the provider's words."""
    judged_as: str = ""
    """Set on the one-type views of a pool with several candidates: which of them decided, and of which."""
    least_zones: int = 0
    """When ``zones`` is unknown: the fewest zones the pool is known to span (a regional GKE pool without node
    locations is spread over GKE's default zones), else 0."""
    least_max_nodes: int = 0
    """When ``max_nodes`` is unknown: a known lower bound of it (a per-zone maximum × ``least_zones``), else 0."""

    def variants(self) -> list[AcceleratorPool]:
        """The pool once per candidate type (the pool itself when it has one type), least favourable first."""
        if len(self.candidates) <= 1:
            return [self]
        names = ", ".join(sorted(c.instance_type for c in self.candidates))
        return [replace(self, instance_type=c.instance_type, instance=c.instance, fabric=c.fabric,
                        max_nodes=self.max_nodes if c.max_nodes is None else c.max_nodes,
                        candidates=(), judged_as=f"judged as {c.instance_type}, the least favourable of its "
                                                 f"candidate types {names}")
                for c in least_favourable_first(list(self.candidates))]

    @property
    def accelerators_per_node(self) -> int | None:
        if self.instance is not None:
            return self.instance.accelerator_count
        return self.attached_accelerators

    def spans_nodes(self) -> bool | Unknown:
        """Whether the pool can reach several nodes: its known maximum, else a known lower bound of it."""
        if isinstance(self.max_nodes, int):
            return self.max_nodes > 1
        return True if self.least_max_nodes > 1 else UNKNOWN

    @property
    def least_per_node(self) -> int:
        """A known lower bound of the accelerators per node: the catalog's count (or the attached ones); for a type
        the catalog does not know but of an accelerator family (``p7x.48xlarge``: P), at least one; else 0."""
        per_node = self.accelerators_per_node
        if per_node is not None:
            return per_node
        if isinstance(self.instance_type, str) and accelerator_family(self.cloud, self.instance_type):
            return 1
        return 0

    def least_nodes(self, scale: Scale = "max") -> int:
        """A known lower bound of the nodes at ``scale``: the count, else (at max) ``least_max_nodes``."""
        nodes = self.nodes(scale)
        if isinstance(nodes, int):
            return nodes
        return self.least_max_nodes if scale == "max" else 0

    def least_accelerators(self, scale: Scale = "max") -> int:
        """A known lower bound of the accelerators at ``scale`` (0 when none is known)."""
        if isinstance(self.instance_type, Unknown):
            return 0
        return self.least_nodes(scale) * self.least_per_node

    def bound(self, scale: Scale = "max") -> str:
        """Which lower bound a count of ``least_accelerators`` rests on, in words ("" where the count is exact)."""
        parts = []
        if self.accelerators_per_node is None and self.least_per_node:
            family = accelerator_family(self.cloud, str(self.instance_type))
            parts.append(f"{self.instance_type} is not in the catalog, but {family} is an accelerator family, so "
                         f"each node has at least 1 accelerator")
        if not isinstance(self.nodes(scale), int) and self.least_nodes(scale):
            parts.append(f"at least {self.least_nodes(scale):,} nodes ({self.unknown_inputs.get(f'{scale}_nodes', '')}"
                         f" unknown)")
        return "; ".join(parts)

    def nodes(self, scale: Scale) -> int | Unknown:
        return self.max_nodes if scale == "max" else self.min_nodes

    def accelerators(self, scale: Scale) -> int | Unknown | None:
        """Accelerators at ``scale``; None where the instance type is not in the catalog."""
        nodes = self.nodes(scale)
        if isinstance(nodes, Unknown) or isinstance(self.instance_type, Unknown):
            return UNKNOWN
        per_node = self.accelerators_per_node
        return None if per_node is None else nodes * per_node

    @property
    def accelerator_name(self) -> str:
        if self.instance is not None and self.instance.accelerator:
            return self.instance.accelerator
        return "accelerator"

    @property
    def is_training(self) -> bool:
        return self.purpose == "training"

    def price(self, rates: Rates = LIST_PRICES) -> NodePrice | Unpriced | Unknown:
        """A node-hour by the pool's capacity type (backbone/core/catalog/pricing.py); UNKNOWN without a type."""
        if isinstance(self.instance_type, Unknown):
            return UNKNOWN
        return node_price(self.cloud, self.instance_type, self.instance, self.capacity, self.region, rates)

    def hourly_usd(self, scale: Scale, rates: Rates = LIST_PRICES) -> float | Unknown | None:
        nodes = self.nodes(scale)
        if nodes == 0:  # no node, no cost, whatever the price
            return 0.0
        price = self.price(rates)
        if isinstance(nodes, Unknown) or isinstance(price, Unknown):
            return UNKNOWN
        return None if isinstance(price, Unpriced) else price.usd_per_hour * nodes

    def memory_gib(self, scale: Scale) -> float | Unknown | None:
        nodes = self.nodes(scale)
        if isinstance(nodes, Unknown) or isinstance(self.instance_type, Unknown):
            return UNKNOWN
        if self.instance is None or self.instance.accelerator_memory_gib is None:
            return None
        return self.instance.accelerator_memory_gib * nodes

    def fabric_gbps_per_accelerator(self) -> float | Unknown | None:
        """Fabric bandwidth per accelerator as configured (0 where no fabric is configured)."""
        per_node = self.accelerators_per_node
        gbps = self.fabric.gbps
        if isinstance(gbps, Unknown) or isinstance(self.instance_type, Unknown):
            return UNKNOWN
        if gbps is None or not per_node:
            return None
        return gbps / per_node

    def describe(self, scale: Scale = "max") -> str:
        """``16 × p5.48xlarge (128 nvidia-h100-80gb)`` — for messages."""
        nodes = self.nodes(scale)
        count = self.accelerators(scale)
        it = "an unknown instance type" if isinstance(self.instance_type, Unknown) else self.instance_type
        acc = "" if count is None or isinstance(count, Unknown) else f" ({count:,} {self.accelerator_name})"
        if count is None and isinstance(nodes, int) and self.least_per_node:
            acc = f" (≥ {self.least_accelerators(scale):,} accelerators)"
        if isinstance(nodes, Unknown) and scale == "max" and self.least_max_nodes > 1:
            least = self.least_accelerators()
            exact = self.accelerators_per_node is not None
            acc = f" ({'' if exact else '≥ '}{least:,} {self.accelerator_name})" if least else ""
            return f"at least {self.least_max_nodes:,} × {it}{acc}"
        if isinstance(nodes, Unknown):
            return f"an unknown number of {it} nodes"
        return f"{nodes:,} × {it}{acc}"


@dataclass(frozen=True)
class FileSystem:
    """A parallel file system (FSx for Lustre, GCP Managed Lustre / Parallelstore, Azure Managed Lustre)."""

    urn: str
    name: str
    cloud: str
    resource_type: str
    kind: str
    capacity_tib: float | Unknown
    throughput_mbps: float | Unknown
    zones: tuple[str, ...] | Unknown
    region: str | None
    monthly_usd: float | None
    throughput_mbps_per_tib: float | Unknown | None = None
    customer_managed_key: bool | Unknown = False
    unknown_inputs: dict[str, str] = field(default_factory=dict)
    offering: StorageOffering | None = None
    """The catalog's row for this service (its size rules, GiB per TiB and cited prices)."""
    invalid: str = ""
    """What the cloud would refuse in this file system's configuration (its throughput is then unknown), or ""."""

    def price(self, rates: Rates = LIST_PRICES) -> tuple[float, str] | None:
        """(USD a month, its basis in words) at ``rates``: your storage rate for this cloud, kind and tier, else
        the catalog's list price; None when neither prices it or the size or tier is unknown."""
        per, capacity = self.throughput_mbps_per_tib, self.capacity_tib
        if self.offering is None or not isinstance(per, float | int) or not isinstance(capacity, float | int):
            return None
        price = storage_price(self.offering, float(per), rates, self.region)
        return None if price is None else (price.usd_per_tib_month * capacity, price.basis)

    def hourly_usd(self, rates: Rates = LIST_PRICES) -> float | None:
        price = self.price(rates)
        return None if price is None else price[0] / HOURS_PER_MONTH

    def describe(self) -> str:
        """``1.2 TiB of lustre at 125 MB/s/TiB = 150 MB/s`` — for messages."""
        cap = "an unknown capacity" if isinstance(self.capacity_tib, Unknown) else f"{self.capacity_tib:,.4g} TiB"
        per = self.throughput_mbps_per_tib
        rate = "" if per is None or isinstance(per, Unknown) else f" at {per:,.4g} MB/s/TiB"
        total = ("an unknown throughput" if isinstance(self.throughput_mbps, Unknown)
                 else f"{self.throughput_mbps:,.0f} MB/s")
        return f"{cap} of {self.kind}{rate} = {total}"


@dataclass
class Inventory:
    """Everything the rules judge for one stack, with the totals a plan summary shows."""

    pools: list[AcceleratorPool] = field(default_factory=list)
    file_systems: list[FileSystem] = field(default_factory=list)
    workload: dict[str, Any] | None = None
    rates: Rates = LIST_PRICES
    """The rates the cost totals use (list prices unless a caller sets monthly-budget's prices)."""
    runtime: Any = None  # policies.inventory.runtime.Runtime: what pods get (device plugins, fabric, CSI)
    coverage: Coverage = field(default_factory=Coverage)
    """How many pools were judged, and which resources that can carry accelerators were not read: their
    accelerators and cost are parts of every stack total that could not be counted."""

    # -- selections ------------------------------------------------------------------------------------
    def most_accelerators(self) -> list[AcceleratorPool]:
        """Each pool as judged by the rules that count accelerators: on its candidate type with the most."""
        return [p.variants()[0] for p in self.pools]

    @property
    def training_pools(self) -> list[AcceleratorPool]:
        return [p for p in self.pools if p.is_training]

    @property
    def clouds(self) -> tuple[str, ...]:
        found = [p.cloud for p in self.pools] + [f.cloud for f in self.file_systems]
        return tuple(dict.fromkeys(found))

    # -- accelerators ----------------------------------------------------------------------------------
    def _unread(self) -> list[tuple[float | Unknown | None, str]]:
        """The resources not read, as parts of a total that could not be counted."""
        return [(None, label) for label in self.coverage.labels()]

    def accelerators(self, scale: Scale, pools: list[AcceleratorPool] | None = None) -> Total:
        """Accelerators of ``pools`` (of the whole stack, with what was not read, when None) at ``scale``."""
        chosen = self.pools if pools is None else pools
        parts = [(p.accelerators(scale), p.name) for p in chosen]
        bounds = tuple(float(p.least_accelerators(scale)) for p in chosen if not isinstance(p.accelerators(scale), int))
        return _total(parts + (self._unread() if pools is None else []), bounds)

    @property
    def accelerators_min(self) -> Total:
        return self.accelerators("min")

    @property
    def accelerators_max(self) -> Total:
        return self.accelerators("max")

    @property
    def training_accelerators_max(self) -> Total:
        return _total([(p.accelerators("max"), p.name) for p in self.training_pools] + self._unread())

    @property
    def accelerator_memory_gib_max(self) -> Total:
        return _total([(p.memory_gib("max"), p.name) for p in self.pools] + self._unread())

    @property
    def fabric_gbps_per_accelerator(self) -> float | None:
        """The lowest configured fabric Gbps per accelerator over the multi-node training pools (the
        slowest link sets the pace of data-parallel training); None without such pools or figures."""
        values = [
            v for p in self.training_pools
            if is_known(p.max_nodes) and p.max_nodes > 1  # type: ignore[operator]
            and isinstance(v := p.fabric_gbps_per_accelerator(), float | int)
        ]
        return min(values) if values else None

    # -- storage ---------------------------------------------------------------------------------------
    @property
    def storage_tib(self) -> Total:
        return _total([(f.capacity_tib, f.name) for f in self.file_systems])

    @property
    def storage_mbps(self) -> Total:
        return _total([(f.throughput_mbps, f.name) for f in self.file_systems])

    @property
    def storage_mbps_per_accelerator(self) -> float | None:
        """Parallel storage MB/s per training accelerator at max scale (per accelerator of all pools when
        the stack has no training pool); None where either side is unknown or zero."""
        accelerators = self.training_accelerators_max if self.training_pools else self.accelerators_max
        storage = self.storage_mbps
        if not accelerators.complete or not storage.complete or accelerators.value <= 0:
            return None
        return storage.value / accelerators.value

    # -- cost ------------------------------------------------------------------------------------------
    def hourly_usd(self, scale: Scale) -> Total:
        """On-demand cost per hour at ``scale``: catalog price × nodes, plus storage (monthly / 730)."""
        parts: list[tuple[float | Unknown | None, str]] = [(p.hourly_usd(scale, self.rates), p.name)
                                                            for p in self.pools]
        parts += [(f.hourly_usd(self.rates), f.name) for f in self.file_systems]
        return _total(parts + self._unread())

    def monthly_usd(self, scale: Scale) -> Total:
        hourly = self.hourly_usd(scale)
        return Total(hourly.value * HOURS_PER_MONTH, hourly.unknown)

    @property
    def hourly_usd_min(self) -> Total:
        return self.hourly_usd("min")

    @property
    def hourly_usd_max(self) -> Total:
        return self.hourly_usd("max")

    @property
    def monthly_usd_min(self) -> Total:
        return self.monthly_usd("min")

    @property
    def monthly_usd_max(self) -> Total:
        return self.monthly_usd("max")
