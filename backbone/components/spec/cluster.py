"""The ``backbone:cluster`` stack config: one typed source of truth for the program, the planner and
editors (its JSON Schema is ``backbone schema``).

Rules that need the catalog (instance type known on the cloud and offered in the region, TPU topologies,
storage tiers) are declared here, next to the inputs, and read the cluster's cloud/region/zone from a
context variable that ``ClusterSpec`` sets while it validates its children.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidatorFunctionWrapHandler, field_validator, model_validator

from backbone.components.clouds import facts
from backbone.core import catalog
from backbone.core.spec_model import SpecModel
from backbone.core.vocabulary import RESERVED_CAPACITIES, Capacity, GpuDriver, Purpose

__all__ = [
    "ClusterSpec",
    "NetworkSpec",
    "NodePoolSpec",
    "StorageSpec",
    "SystemPoolSpec",
]

StorageKind = Literal["lustre", "parallelstore", "bucket"]

NAME = r"^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$"

PRIVATE_BLOCKS = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


@dataclass(frozen=True)
class _Site:
    cloud: str | None
    region: str | None
    zone: str | None


_SITE: ContextVar[_Site | None] = ContextVar("backbone_spec_site", default=None)


@contextmanager
def _site(data: Any) -> Iterator[None]:
    site = None
    if isinstance(data, dict):
        cloud = data.get("cloud")
        site = _Site(
            cloud=cloud if cloud in catalog.CLOUDS else None,
            region=data.get("region") if isinstance(data.get("region"), str) else None,
            zone=data.get("zone") if isinstance(data.get("zone"), str) else None,
        )
    token = _SITE.set(site)
    try:
        yield
    finally:
        _SITE.reset(token)


def _current_site() -> _Site:
    return _SITE.get() or _Site(None, None, None)


def zone_refusal(site: _Site, zone: str) -> str | None:
    """Why ``zone`` is not a zone of the cluster's region on its cloud, or None (also None when the cloud or
    region is not known yet: that is reported on its own key)."""
    if site.cloud is None or site.region is None:
        return None
    return facts(site.cloud).zone_refusal(site.region, zone)


class NodePoolSpec(SpecModel):
    """An accelerator node pool (or the system pool's neighbours): what runs where, and how many."""

    name: str = Field(pattern=NAME, description="Pool name, lowercase letters, digits and '-'.")
    instance_type: str = Field(description="Instance type / machine type / VM size from the catalog.")
    purpose: Purpose = Field("training", description="training | inference | system.")
    min_nodes: int = Field(0, ge=0, le=100_000, description="Nodes kept running at zero load.")
    max_nodes: int = Field(ge=1, le=100_000, description="Nodes at max scale.")
    capacity: Capacity = Field("on-demand", description="on-demand | spot | reservation | capacity-block (AWS: an "
                               "EC2 Capacity Block for ML, named by its reservation id).")
    reservation: str | None = Field(None, description="Capacity reservation name/id (capacity: reservation or "
                                    "capacity-block).")
    zones: list[str] | None = Field(
        None, min_length=1, description="Zones of the pool; default: the cluster's zone."
    )
    tpu_topology: str | None = Field(
        None, pattern=r"^\d+x\d+(x\d+)?$", description="TPU slice topology, e.g. 2x2x4 (TPU pools only)."
    )
    slices: int = Field(1, ge=1, le=1000, description="TPU Multislice: identical slices of tpuTopology, one node "
                        "pool each, joined over the data-center network; minNodes/maxNodes count one slice.")
    queued_provisioning: bool = Field(False, description="GCP: provision through queued provisioning (DWS).")
    labels: dict[str, str] = Field(default_factory=dict, description="Extra Kubernetes node labels.")

    @field_validator("instance_type")
    @classmethod
    def _known_instance_type(cls, value: str) -> str:
        site = _current_site()
        if site.cloud is None:
            return value
        cat = catalog.load()
        row = cat.instance(site.cloud, value)
        if row is None:
            raise ValueError(cat.not_listed(site.cloud, value))
        if site.region and row.offered_in_region(site.region) is False:
            raise ValueError(
                f"{value} is not offered in {site.region} according to the catalog; "
                f"offered in: {', '.join(row.regions)}"
            )
        return value

    @model_validator(mode="after")
    def _cross_field(self) -> NodePoolSpec:
        """Every cross-field rule runs; each broken one is its own line of the error."""
        site = _current_site()
        problems = []
        for check in (self._check_counts, self._check_capacity, self._check_zones, self._check_tpu,
                      self._check_queued):
            try:
                check(site)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _check_counts(self, site: _Site) -> None:
        if self.min_nodes > self.max_nodes:
            raise ValueError(
                f"minNodes ({self.min_nodes}) is above maxNodes ({self.max_nodes}): "
                "lower minNodes or raise maxNodes"
            )

    def _check_capacity(self, site: _Site) -> None:
        reserved = self.capacity in RESERVED_CAPACITIES
        refusal = facts(site.cloud).capacity_refusal(self.capacity) if site.cloud else None
        if refusal is not None:
            raise ValueError(refusal)
        if reserved and not self.reservation:
            raise ValueError(f"capacity is {self.capacity!r} but no reservation is named: set reservation"
                             + (" (the Capacity Block's reservation id, cr-…)" if self.capacity == "capacity-block"
                                else ""))
        if not reserved and self.reservation:
            raise ValueError(f"reservation is set but capacity is {self.capacity!r}: set capacity: reservation "
                             f"(or capacity-block for an AWS Capacity Block)")
        refusal = facts(site.cloud).reservation_refusal(self.reservation) if self.reservation and site.cloud else None
        if refusal is not None:
            raise ValueError(refusal)

    def _check_queued(self, site: _Site) -> None:
        if self.queued_provisioning and site.cloud is not None and not facts(site.cloud).queued_provisioning:
            raise ValueError(f"queuedProvisioning is a GCP feature; this cluster is on {site.cloud}")
        if self.queued_provisioning and self.capacity != "on-demand":
            raise ValueError(f"queuedProvisioning (Dynamic Workload Scheduler) obtains its own capacity: "
                             f"set capacity: on-demand (got {self.capacity})")

    def _check_zones(self, site: _Site) -> None:
        zones = self.zones_in(site.zone)
        if self.purpose == "training" and self.max_nodes > 1 and len(set(zones)) > 1:
            raise ValueError(
                f"training pool of up to {self.max_nodes} nodes spans zones {', '.join(zones)}; "
                "multi-node training pools live in one zone (their fabric does not cross zones): "
                "give one zone"
            )
        if site.cloud is None or site.region is None:
            return
        for zone in zones:
            refusal = zone_refusal(site, zone)
            if refusal:
                raise ValueError(refusal)
        row = catalog.load().instance(site.cloud, self.instance_type)
        refusal = row.zone_refusal(zones) if row is not None else None
        if refusal is not None:
            raise ValueError(refusal)

    def _check_tpu(self, site: _Site) -> None:
        if site.cloud is None:
            return
        row = catalog.load().instance(site.cloud, self.instance_type)
        if row is None:
            return
        if row.tpu is None:
            if self.tpu_topology is not None:
                raise ValueError(f"tpuTopology is set but {self.instance_type} is not a TPU machine type")
            if self.slices > 1:
                raise ValueError(f"slices is TPU Multislice; {self.instance_type} is not a TPU machine type")
            return
        tpu = row.tpu
        if self.tpu_topology is None:
            raise ValueError(
                f"{self.instance_type} is a TPU {tpu.version} machine type: set tpuTopology "
                f"(e.g. {', '.join(tpu.topologies[:8])})"
            )
        if (why := tpu.impossible(self.tpu_topology)) is not None:
            raise ValueError(
                f"tpuTopology {self.tpu_topology} is not a valid {tpu.version} slice on {self.instance_type}: "
                f"{why}; listed: {', '.join(tpu.topologies[:12])}{', …' if len(tpu.topologies) > 12 else ''}"
            )
        chips = tpu.chips_of(self.tpu_topology)
        hosts = tpu.hosts_of(self.tpu_topology)
        if self.max_nodes != hosts:
            raise ValueError(
                f"a {tpu.version} {self.tpu_topology} slice is {chips} chips = {hosts} hosts of "
                f"{tpu.chips_per_host} chips on {self.instance_type}: set maxNodes to {hosts} (got {self.max_nodes})"
            )
        if self.min_nodes not in (0, hosts):
            raise ValueError(f"a TPU slice is all or nothing: set minNodes to 0 or {hosts} (got {self.min_nodes})")

    def zones_in(self, cluster_zone: str | None) -> list[str]:
        """The pool's zones: its own, or the cluster's."""
        if self.zones:
            return list(self.zones)
        return [cluster_zone] if cluster_zone else []


class StorageSpec(SpecModel):
    """A parallel file system (lustre, parallelstore) or a dataset bucket."""

    name: str = Field(pattern=NAME)
    kind: StorageKind = Field(description="lustre | parallelstore | bucket.")
    capacity_tib: float | None = Field(
        None, alias="capacityTiB", gt=0, le=100_000, description="Capacity in the service's TiB (file systems only)."
    )
    throughput_mbps_per_tib: float | None = Field(
        None,
        alias="throughputMBpsPerTiB",
        gt=0,
        description="Throughput tier in MB/s per TiB (where the service has tiers).",
    )
    zone: str | None = Field(None, description="Zone of the file system; default: the cluster's zone.")
    import_path: str | None = Field(
        None, description="Bucket path of training data to link (AWS: s3://…), default: a bucket it creates."
    )

    @model_validator(mode="after")
    def _accepted_by_service(self) -> StorageSpec:
        site = _current_site()
        if self.kind == "bucket":
            if self.capacity_tib is not None or self.throughput_mbps_per_tib is not None:
                raise ValueError("a bucket has no capacityTiB or throughputMBpsPerTiB: remove them")
            return self
        if self.capacity_tib is None:
            raise ValueError(f"a {self.kind} file system needs capacityTiB")
        refusal = zone_refusal(site, self.zone) if self.zone is not None else None
        if refusal:
            raise ValueError(refusal)
        if site.cloud is None:
            return self
        offering = catalog.load().storage_offering(site.cloud, self.kind)
        if offering is None:
            kinds = ", ".join(catalog.load().storage_kinds(site.cloud))
            raise ValueError(f"kind {self.kind!r} is not offered on {site.cloud}; offered: {kinds}")
        tier = self.tier(site.cloud)
        if tier is None:
            raise ValueError(f"{offering.service} needs throughputMBpsPerTiB; allowed: "
                             + ", ".join(f"{t:g}" for t in offering.tiers))
        refusal = offering.refusal(self.capacity_tib, tier)
        if refusal:
            raise ValueError(refusal)
        return self

    def tier(self, cloud: str) -> float | None:
        """The throughput tier: as configured, or the service's only tier where it has one."""
        if self.throughput_mbps_per_tib is not None:
            return self.throughput_mbps_per_tib
        offering = catalog.load().storage_offering(cloud, self.kind)
        return offering.tier_or_only(None) if offering is not None else None


class NetworkSpec(SpecModel):
    """The cluster network."""

    cidr: str = Field("10.0.0.0/16", description="Address space of the cluster network (IPv4 CIDR).")
    private_api: bool = Field(False, description="Kubernetes API server reachable only from the network.")

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        try:
            net = ipaddress.ip_network(value, strict=True)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not an IPv4 network in CIDR form (e.g. 10.0.0.0/16): {exc}") from None
        if net.version != 4 or net.prefixlen > 20:
            raise ValueError(f"{value} is too small: give an IPv4 network of /20 or larger (e.g. 10.0.0.0/16)")
        if not isinstance(net, ipaddress.IPv4Network) or not any(net.subnet_of(b) for b in PRIVATE_BLOCKS):
            raise ValueError(f"{value} is not a private range: give a network inside 10.0.0.0/8, 172.16.0.0/12 "
                             "or 192.168.0.0/16 (RFC 1918), e.g. 10.0.0.0/16")
        site = _current_site()
        largest = facts(site.cloud).largest_network if site.cloud else 8
        if net.prefixlen < largest:
            raise ValueError(f"{value} is larger than {site.cloud} accepts for one network: give /{largest} to /20 "
                             f"(e.g. 10.0.0.0/16)")
        return value


class SystemPoolSpec(SpecModel):
    """The small CPU pool that runs cluster add-ons."""

    instance_type: str | None = Field(None, description="Default per cloud (see components/<cloud>).")
    nodes: int = Field(2, ge=1, le=20)


MAX_NODE_POOLS = 1_000
"""Pools (and file systems) in one stack: a bound on the work one PR can ask of the check (10,000 pools took
minutes to preview; 1,000 — the benchmark's largest stacks hold about 340 — plan in well under a minute), far
above any cluster Backbone plans (docs/hostile-input.md)."""


class ClusterSpec(SpecModel):
    """``backbone:cluster``: an accelerator cluster on one cloud."""

    cloud: Literal["aws", "gcp", "azure"]
    name: str = Field(pattern=NAME, description="Cluster name; prefixes every resource.")
    region: str = Field(min_length=1)
    zone: str = Field(min_length=1, description="Default zone of pools and file systems.")
    node_pools: list[NodePoolSpec] = Field(min_length=1, max_length=MAX_NODE_POOLS)
    storage: list[StorageSpec] = Field(default_factory=list, max_length=MAX_NODE_POOLS)
    network: NetworkSpec = Field(default_factory=NetworkSpec)  # type: ignore[arg-type]
    system_pool: SystemPoolSpec = Field(default_factory=SystemPoolSpec)  # type: ignore[arg-type]
    kubernetes_version: str | None = Field(None, pattern=r"^1\.\d{2}$")
    gpu_driver: GpuDriver = Field(
        "managed",
        description="managed: the cloud installs the GPU driver; operator: skipped for the NVIDIA GPU Operator.",
    )
    runtime: bool = Field(
        True,
        description="Install the Kubernetes runtime layer (device plugins, fabric to pods, CSI drivers and "
                    "volumes); false where those add-ons come from elsewhere (GitOps, another stack).",
    )
    tags: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _with_site(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> ClusterSpec:
        with _site(data):
            result: ClusterSpec = handler(data)
            return result

    @model_validator(mode="after")
    def _unique_names(self) -> ClusterSpec:
        for label, names in (("nodePools", [p.name for p in self.node_pools]),
                             ("storage", [s.name for s in self.storage])):
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"{label} names must be unique; repeated: {', '.join(dupes)}")
        return self

    @field_validator("gpu_driver")
    @classmethod
    def _driver_fits_the_cloud(cls, driver: GpuDriver) -> GpuDriver:
        """GKE nodes run Container-Optimized OS, on which the GPU Operator cannot install a driver, and GKE keeps
        running its own device plugin beside the operator's: refuse rather than build pools no pod can use."""
        if driver == "operator" and _current_site().cloud == "gcp":
            raise ValueError("'operator' cannot work on GKE as Backbone builds it: its nodes run Container-Optimized "
                             "OS, where the NVIDIA GPU Operator cannot install the driver, and GKE runs its own "
                             "device plugin; keep 'managed' (GKE installs the driver and the device plugin)")
        return driver

    @field_validator("node_pools")
    @classmethod
    def _names_fit_the_cloud(cls, pools: list[NodePoolSpec]) -> list[NodePoolSpec]:
        """Where the cloud shortens pool names (AKS: 12 letters and digits), two pool names must not shorten to
        one."""
        cloud = _current_site().cloud
        shorten = facts(cloud).pool_name if cloud else None
        if shorten is None:
            return pools
        seen: dict[str, str] = {}
        for pool in pools:
            short = shorten(pool.name)
            if short in seen:
                clash = facts(cloud).pool_name_clash.format(short=short)
                raise ValueError(f"{seen[short]!r} and {pool.name!r} {clash}")
            seen[short] = pool.name
        return pools

    def instance(self, pool: NodePoolSpec) -> catalog.InstanceType:
        """The catalog row of a pool (the spec guarantees it exists)."""
        row = catalog.load().instance(self.cloud, pool.instance_type)
        assert row is not None, pool.instance_type
        return row
