"""``ManagedLustre``: an Azure Managed Lustre file system (``AmlFilesystem``) in the pools' zone, on its own
subnet.

Throughput is a SKU, ``AMLFS-Durable-Premium-<MB/s per TiB>``; the capacity each SKU accepts (minimum and
step, in TiB) comes from the catalog (``storage.yaml``), so a size the service would refuse fails here,
before anything is provisioned. Data is always encrypted at rest, with platform-managed keys (customer-managed
keys, ``encryptionSettings.keyEncryptionKey`` with a user-assigned identity, are not wired here yet).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import storagecache

from backbone.components.azure._common import require
from backbone.components.azure._facts import LUSTRE_SKU_PREFIX
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.components.storage_offering import checked_offering
from backbone.core.catalog import StorageOffering

__all__ = ["ManagedLustre", "ManagedLustreArgs", "sku_name"]


def sku_name(throughput_mbps_per_tib: float) -> str:
    """``AMLFS-Durable-Premium-500`` for the 500 MB/s/TiB tier."""
    return f"{LUSTRE_SKU_PREFIX}{throughput_mbps_per_tib:g}"


@dataclass(frozen=True)
class ManagedLustreArgs:
    """Inputs of ``ManagedLustre``."""

    resource_group_name: pulumi.Input[str]
    """Resource group (``Network.resource_group_name``)."""
    location: str
    """Azure region."""
    filesystem_subnet_id: pulumi.Input[str]
    """Its own subnet (``Network.filesystem_subnet.id``), never the AKS node subnet."""
    zone: str
    """The zone of the GPU pools it feeds ("1", "2" or "3")."""
    capacity_tib: float
    """Capacity in TiB, as the SKU accepts it."""
    throughput_mbps_per_tib: float
    """Throughput tier in MB/s per TiB (40, 125, 250 or 500 where the catalog lists them)."""
    maintenance_day: str = "Sunday"
    """Day of the weekly 30-minute maintenance window."""
    maintenance_time_utc: str = "02:00"
    """Start of the maintenance window (UTC, HH:MM)."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Azure tags."""

    def check(self, where: str) -> StorageOffering:
        """The catalog's offering; raises a ``ComponentArgumentError`` for a window, size or tier the service would
        refuse."""
        days = [day.value for day in storagecache.MaintenanceDayOfWeekType]
        require(self.maintenance_day in days, where, "maintenance_day",
                f"{self.maintenance_day!r} is not a day; allowed: {', '.join(days)}")
        require(re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", self.maintenance_time_utc) is not None,
                where, "maintenance_time_utc", f"{self.maintenance_time_utc!r} is not HH:MM (UTC)")
        return checked_offering("azure", "lustre", where, self.capacity_tib, self.throughput_mbps_per_tib)[0]

    @property
    def throughput_mbps(self) -> float:
        """Aggregate throughput, MB/s."""
        return self.capacity_tib * self.throughput_mbps_per_tib


class ManagedLustre(pulumi.ComponentResource):
    """An Azure Managed Lustre file system."""

    filesystem: storagecache.AmlFilesystem
    """The ``AmlFilesystem`` resource."""
    throughput_mbps: float
    """Aggregate throughput it is sized for, MB/s."""
    capacity_gib: float
    """Its capacity in GiB (the catalog's conversion of ``capacity_tib``), for the volume that mounts it."""

    def __init__(self, name: str, args: ManagedLustreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:azure:ManagedLustre", name, None, opts)
        offering = args.check(component_error_name(self, name))
        self.capacity_gib = offering.gib_of_tib(args.capacity_tib)
        self.throughput_mbps = args.throughput_mbps
        self.filesystem = storagecache.AmlFilesystem(
            f"{name}-lustre",
            resource_group_name=args.resource_group_name,
            location=args.location,
            zones=[args.zone],
            sku=storagecache.SkuNameArgs(name=sku_name(args.throughput_mbps_per_tib)),
            storage_capacity_ti_b=args.capacity_tib,
            filesystem_subnet=args.filesystem_subnet_id,
            maintenance_window=storagecache.AmlFilesystemMaintenanceWindowArgs(
                day_of_week=storagecache.MaintenanceDayOfWeekType(args.maintenance_day),
                time_of_day_utc=args.maintenance_time_utc,
            ),
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        register(self)
