"""Typed, immutable records of the accelerator catalog. One record per instance type."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

Cloud = Literal["aws", "gcp", "azure"]
CLOUDS: tuple[Cloud, ...] = ("aws", "gcp", "azure")
Fabric = Literal["efa", "gpudirect-tcpx", "gpudirect-tcpxo", "rdma", "infiniband", "ici", "none"]
# Prices are per hour; a month of on-demand use is 730 hours (365 × 24 / 12), as the clouds' calculators use.
HOURS_PER_MONTH = 730.0
FABRICS: tuple[str, ...] = ("efa", "gpudirect-tcpx", "gpudirect-tcpxo", "rdma", "infiniband", "ici", "none")

# Figures every row may carry; each non-null one must be cited by a source of the data file.
INSTANCE_FIGURES: tuple[str, ...] = (
    "accelerator",
    "accelerator_count",
    "accelerator_memory_gib",
    "vcpus",
    "memory_gib",
    "fabric",
    "fabric_gbps",
    "fabric_nics",
    "on_demand_usd_per_hour",
    "spot_usd_per_hour",
    "capacity_block_usd_per_hour",
    "capacity_block_only",
    "regions",
    "zones",
    "tpu",
)


@dataclass(frozen=True)
class Source:
    """A public document a figure comes from, with the date it was read or published."""

    key: str
    url: str
    as_of: str
    title: str = ""
    kind: Literal["primary", "secondary"] = "primary"
    """``secondary``: a dated third-party copy or quotation of a figure (a pricing tool's data file, a public
    notebook), where no official page was readable; a report names it as "secondary source, <date>"."""


@dataclass(frozen=True)
class Accelerator:
    """One accelerator model (an NVIDIA GPU, a TPU chip, a Trainium chip)."""

    name: str
    display_name: str
    kind: Literal["gpu", "tpu", "trainium"]
    memory_gib: float | None
    bf16_dense_tflops: float | None
    sources: tuple[Source, ...]
    listing_names: tuple[str, ...] = ()
    """The names the clouds' own listings give it (``aws:H100``, ``gcp:nvidia-h100-80gb``), for imports."""


@dataclass(frozen=True)
class BlockRate:
    """A published reservation rate (EC2 Capacity Blocks for ML): USD per instance-hour, where and when."""

    usd_per_hour: float
    region: str
    as_of: str


@dataclass(frozen=True)
class TpuGeneration:
    """Facts of one TPU generation (v5e, v5p, v6e) that every machine type of it shares."""

    dimensions: int
    """Dimensions of a slice topology: 2 (v5e, v6e: ``4x8``) or 3 (v5p: ``2x2x4``)."""
    max_slice_chips: int
    """Chips of the largest single slice (the Pod)."""
    shape_rule: str
    """The rule the published shapes follow, in words (for a message about an unlisted shape)."""
    dcn_gbps_per_chip: float | None
    """Data-center network bandwidth per chip: what joins the slices of a Multislice job."""
    device_prefix: str | None = None
    """How Cloud TPU names a slice of this generation (``v5p`` in ``v5p-2048``), where cited."""
    cores_per_chip: int = 1
    """What the number in that name counts per chip: 2 where it counts TensorCores (``v5p-8`` is 4 chips)."""

    def chips_of_device(self, device_type: str) -> int | None:
        """Chips of a Cloud TPU accelerator type such as ``v5p-2048`` (1,024); None where it is not of this
        generation or its number is not whole chips."""
        prefix, _, number = device_type.lower().rpartition("-")
        if self.device_prefix is None or prefix != self.device_prefix or not number.isdigit():
            return None
        cores = int(number)
        return cores // self.cores_per_chip if cores and cores % self.cores_per_chip == 0 else None


@dataclass(frozen=True)
class TpuSpec:
    """TPU facts of a GKE TPU machine type: chips per host and the slice topologies it can form."""

    version: str
    chips_per_host: int
    topologies: tuple[str, ...]
    """The shapes a cited table lists for this machine type."""
    single_host: bool = False
    """The machine type forms single-host slices only (``ct5lp-hightpu-8t``, the ``-1t`` types)."""
    generation: TpuGeneration | None = None

    @staticmethod
    def dims_of(topology: str) -> tuple[int, ...] | None:
        """``(2, 2, 4)`` for ``2x2x4``; None where the text is not dimensions joined by ``x``."""
        parts = topology.lower().split("x")
        if not all(p.isdigit() for p in parts):
            return None
        return tuple(int(p) for p in parts)

    @staticmethod
    def chips_of(topology: str) -> int:
        chips = 1
        for dim in topology.lower().split("x"):
            chips *= int(dim)
        return chips

    def forms_host_slice(self) -> bool:
        """Whether one host of this machine type is a slice on its own (a listed shape of its chips per host:
        ``2x2`` for ct5lp-hightpu-4t, ``2x2x1`` for ct5p-hightpu-4t); GKE makes a pool without a topology of
        such slices, one per node."""
        return self.single_host or any(self.chips_of(t) == self.chips_per_host for t in self.topologies
                                       if self.dims_of(t) is not None)

    def hosts_of(self, topology: str) -> int:
        """Nodes (hosts) of a slice: its chips ÷ chips per host; a slice smaller than a host is one node."""
        return max(1, self.chips_of(topology) // self.chips_per_host)

    def impossible(self, topology: str) -> str | None:
        """Why no machine of this type can form ``topology`` (wrong dimension count, beyond the largest
        slice, not whole hosts, a multi-host slice of a single-host type); None where it can."""
        dims = self.dims_of(topology)
        gen = self.generation
        if dims is None or any(d < 1 for d in dims):
            return f"{topology!r} is not a topology (positive whole numbers joined by 'x', e.g. 2x2x4)"
        if gen is not None and len(dims) != gen.dimensions:
            return (f"a {self.version} slice has {gen.dimensions} dimensions "
                    f"({'e.g. 4x8' if gen.dimensions == 2 else 'e.g. 2x2x4'}); {topology!r} has {len(dims)}")
        chips = math.prod(dims)
        if gen is not None and chips > gen.max_slice_chips:
            return (f"{topology} is {chips:,} chips, beyond the largest {self.version} slice "
                    f"({gen.max_slice_chips:,} chips); join several slices over the data-center network "
                    f"(Multislice) instead")
        if chips % self.chips_per_host:
            return (f"{topology} is {chips} chips, not whole hosts of {self.chips_per_host} chips "
                    f"(each node is one host)")
        if self.single_host and chips != self.chips_per_host:
            return (f"this machine type forms single-host slices only ({self.chips_per_host} chips: "
                    f"{', '.join(self.topologies)}); use the 4-chip machine type for multi-host slices")
        return None

    def listed(self, topology: str) -> bool:
        return topology.lower() in self.topologies


@dataclass(frozen=True)
class InstanceType:
    """One accelerator instance type (AWS instance type, GCP machine type, Azure VM size)."""

    cloud: Cloud
    instance_type: str
    accelerator: str | None
    accelerator_count: int
    accelerator_memory_gib: float | None
    vcpus: int | None
    memory_gib: float | None
    fabric: str
    fabric_gbps: float | None
    fabric_nics: int | None
    on_demand_usd_per_hour: float | None
    spot_usd_per_hour: float | None
    price_region: str | None
    price_as_of: str | None
    regions: tuple[str, ...]
    zones: tuple[str, ...]
    tpu: TpuSpec | None
    sources: tuple[Source, ...] = field(default=())
    capacity_block: BlockRate | None = None
    """The published EC2 Capacity Block rate, where the catalog has one."""
    capacity_block_only: bool = False
    """Sold only as Capacity Blocks (no on-demand or spot price exists): price its pools by the block."""
    price_secondary: bool = False
    """The on-demand price comes from secondary sources only (a dated third-party copy of the price list)."""

    @property
    def has_fabric(self) -> bool:
        """True where the instance has a node-to-node accelerator fabric worth configuring."""
        return self.fabric != "none"

    @property
    def source(self) -> str:
        return "; ".join(f"{s.url} ({s.as_of})" for s in self.sources)

    def fabric_gbps_per_accelerator(self) -> float | None:
        if self.fabric_gbps is None or self.accelerator_count == 0:
            return None
        return self.fabric_gbps / self.accelerator_count

    def offered_in_region(self, region: str) -> bool | None:
        """True/False where the catalog knows the regions it is offered in, None where it does not."""
        if not self.regions:
            return None
        return region in self.regions

    def offered_in_zone(self, zone: str) -> bool | None:
        if not self.zones:
            return None
        return zone in self.zones

    def zone_refusal(self, zones: list[str]) -> str | None:
        """Why the type cannot run in one of ``zones`` (the first the catalog says lacks it, and where it is
        offered); None when the catalog knows no zone that lacks it."""
        for zone in zones:
            if self.offered_in_zone(zone) is False:
                return (f"{self.instance_type} is not offered in zone {zone} according to the catalog; "
                        f"offered in: {', '.join(self.zones)}")
        return None

    def to_json(self) -> dict[str, object]:
        return {
            "cloud": self.cloud,
            "instance_type": self.instance_type,
            "accelerator": self.accelerator,
            "accelerator_count": self.accelerator_count,
            "accelerator_memory_gib": self.accelerator_memory_gib,
            "vcpus": self.vcpus,
            "memory_gib": self.memory_gib,
            "fabric": self.fabric,
            "fabric_gbps": self.fabric_gbps,
            "fabric_nics": self.fabric_nics,
            "on_demand_usd_per_hour": self.on_demand_usd_per_hour,
            "spot_usd_per_hour": self.spot_usd_per_hour,
            "price_region": self.price_region,
            "price_as_of": self.price_as_of,
            "price_source_kind": "secondary" if self.price_secondary else "primary",
            "capacity_block_usd_per_hour": None if self.capacity_block is None else self.capacity_block.usd_per_hour,
            "capacity_block_region": None if self.capacity_block is None else self.capacity_block.region,
            "capacity_block_only": self.capacity_block_only,
            "regions": list(self.regions),
            "zones": list(self.zones),
            "tpu": None
            if self.tpu is None
            else {
                "version": self.tpu.version,
                "chips_per_host": self.tpu.chips_per_host,
                "topologies": list(self.tpu.topologies),
                "single_host": self.tpu.single_host,
            },
            "source": self.source,
        }


@dataclass(frozen=True)
class CapacityRule:
    """Sizes a storage service accepts for one throughput tier, in the service's own TiB."""

    throughput_mbps_per_tib: float
    min_tib: float
    max_tib: float | None
    step_tib: float
    extra_sizes_tib: tuple[float, ...] = ()

    def accepts(self, capacity_tib: float) -> bool:
        if any(abs(capacity_tib - s) < 1e-9 for s in self.extra_sizes_tib):
            return True
        if capacity_tib < self.min_tib - 1e-9:
            return False
        if self.max_tib is not None and capacity_tib > self.max_tib + 1e-9:
            return False
        steps = (capacity_tib - self.min_tib) / self.step_tib
        return abs(steps - round(steps)) < 1e-6

    def describe(self) -> str:
        extra = "".join(f"{s:g} TiB, or " for s in self.extra_sizes_tib)
        upper = f" up to {self.max_tib:g} TiB" if self.max_tib is not None else ""
        return f"{extra}{self.min_tib:g} TiB and up in steps of {self.step_tib:g} TiB{upper}"

    def smallest_at_least(self, capacity_tib: float) -> float | None:
        """The smallest size the rule accepts that is at least ``capacity_tib`` (None above the maximum)."""
        sizes = [s for s in self.extra_sizes_tib if s >= capacity_tib - 1e-9]
        steps = max(0, math.ceil((capacity_tib - self.min_tib) / self.step_tib - 1e-9))
        sizes.append(round(self.min_tib + steps * self.step_tib, 6))
        fitting = [s for s in sizes if self.accepts(s)]
        return min(fitting) if fitting else None

    def nearest(self, capacity_tib: float) -> tuple[float, ...]:
        """The accepted sizes just below and just above ``capacity_tib`` (for a message's fix)."""
        steps = (capacity_tib - self.min_tib) / self.step_tib
        candidates = {*self.extra_sizes_tib, self.min_tib}
        for n in (int(steps), int(steps) + 1):
            if n >= 0:
                candidates.add(round(self.min_tib + n * self.step_tib, 6))
        accepted = sorted(c for c in candidates if self.accepts(c))
        below = [c for c in accepted if c < capacity_tib]
        above = [c for c in accepted if c > capacity_tib]
        return tuple(([below[-1]] if below else []) + ([above[0]] if above else []))


@dataclass(frozen=True)
class TierPrice:
    """One throughput tier's list price, with where and when it holds and the sources that give it (the tiers of
    one service may come from different sources, read on different dates)."""

    usd_per_tib_month: float
    """USD a month for one TiB in the service's own unit (``gib_per_tib`` GiB)."""
    region: str
    as_of: str
    sources: tuple[Source, ...]
    """The sources the row cites for this tier's price (those citing every tier, and those citing this one)."""

    @property
    def secondary(self) -> bool:
        """The price rests on secondary sources only (a dated third-party copy of the price list)."""
        return bool(self.sources) and all(s.kind == "secondary" for s in self.sources)


@dataclass(frozen=True)
class StorageOffering:
    """A parallel file system (or bucket) service of one cloud, with the sizes and tiers it accepts."""

    cloud: Cloud
    kind: str
    service: str
    resource_type: str
    gib_per_tib: float
    throughput_configurable: bool
    rules: tuple[CapacityRule, ...]
    prices: dict[float, TierPrice]
    """The list price of each priced tier (MB/s per TiB), each with its own region, date and sources."""
    sources: tuple[Source, ...]

    @property
    def usd_per_tib_month(self) -> dict[float, float]:
        """USD per TiB-month by priced tier (the figures of ``prices``)."""
        return {tier: p.usd_per_tib_month for tier, p in self.prices.items()}

    @property
    def tiers(self) -> tuple[float, ...]:
        return tuple(sorted({r.throughput_mbps_per_tib for r in self.rules}))

    def tib_of_gib(self, gib: float) -> float:
        """A capacity the API takes in GiB, in the service's own "TiB" (``gib_per_tib`` GiB): the unit its sizes,
        its throughput per TiB and the catalog's prices are stated in. The one conversion between the two, used
        by the components (``gib_of_tib``), the pack and the planner alike."""
        return gib / self.gib_per_tib

    def gib_of_tib(self, tib: float) -> float:
        """A capacity in the service's own "TiB", in the GiB its API takes (the inverse of ``tib_of_gib``)."""
        return tib * self.gib_per_tib

    def rule_for(self, throughput_mbps_per_tib: float) -> CapacityRule | None:
        for rule in self.rules:
            if abs(rule.throughput_mbps_per_tib - throughput_mbps_per_tib) < 1e-9:
                return rule
        return None

    def tier_or_only(self, throughput_mbps_per_tib: float | None) -> float | None:
        """The tier as given, or the service's only tier when none is given and it has just one."""
        if throughput_mbps_per_tib is None and len(self.tiers) == 1:
            return self.tiers[0]
        return throughput_mbps_per_tib

    def tier_refusal(self, throughput_mbps_per_tib: float | None) -> str | None:
        """Why the service refuses a tier (missing, or not one of its tiers), naming the tiers it has;
        None when it is one of them."""
        if throughput_mbps_per_tib is not None and self.rule_for(throughput_mbps_per_tib) is not None:
            return None
        tiers = ", ".join(f"{t:g}" for t in self.tiers)
        if throughput_mbps_per_tib is None:
            return f"{self.service} needs a throughput tier; allowed: {tiers}"
        return f"{self.service} has no {throughput_mbps_per_tib:g} MB/s/TiB tier; allowed: {tiers}"

    def refusal(self, capacity_tib: float, throughput_mbps_per_tib: float | None) -> str | None:
        """Why the service refuses a capacity at a tier, naming the tiers it has or the sizes it accepts
        there and the nearest ones; None when it accepts both."""
        rule = self.rule_for(throughput_mbps_per_tib) if throughput_mbps_per_tib is not None else None
        if rule is None:
            return self.tier_refusal(throughput_mbps_per_tib)
        if rule.accepts(capacity_tib):
            return None
        nearest = " or ".join(f"{c:g}" for c in rule.nearest(capacity_tib))
        return (f"{self.service} at {rule.throughput_mbps_per_tib:g} MB/s/TiB does not accept "
                f"{capacity_tib:g} TiB; allowed: {rule.describe()}" + (f" (nearest: {nearest} TiB)" if nearest else ""))
