"""``ManagedLustre``: a Google Cloud Managed Lustre instance in the zone of the pools it feeds."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import lustre

from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.components.storage_offering import checked_offering
from backbone.core.errors import ComponentArgumentError

__all__ = ["ManagedLustre", "ManagedLustreArgs", "lustre_filesystem_name"]


def lustre_filesystem_name(text: str) -> str:
    """A Lustre file system name (1 to 8 letters or digits) made from ``text``."""
    return re.sub(r"[^a-z0-9]", "", text.lower())[:8] or "lustre"


@dataclass(frozen=True)
class ManagedLustreArgs:
    """Inputs of ``ManagedLustre``."""

    zone: str
    """The zone of the GPU/TPU pools it feeds."""
    network: pulumi.Input[str]
    """The host VPC (id or self-link, ``projects/<p>/global/networks/<name>``); it needs private service
    access (``NetworkArgs.private_service_access``)."""
    capacity_tib: float
    """Capacity in the service's TiB (the catalog's ``gib_per_tib`` converts to the API's GiB)."""
    throughput_mbps_per_tib: float
    """Performance tier (MB/s per TiB), one of the catalog offering's tiers."""
    service_access: pulumi.Resource | None = None
    """The private service access peering to wait for."""
    filesystem_name: str | None = None
    """The Lustre file system name clients mount (8 letters or digits); default: from the component name."""
    kms_key: str | None = None
    """Cloud KMS key (CMEK) to encrypt with; default: Google-managed encryption at rest."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """GCP labels of the instance."""
    project: str | None = None
    """Project id; default: the provider's project."""


class ManagedLustre(pulumi.ComponentResource):
    """A Managed Lustre instance sized and tiered as the catalog says the service accepts."""

    filesystem: lustre.Instance
    """The Managed Lustre instance."""
    capacity_gib: int
    """Capacity as the API takes it."""

    def __init__(self, name: str, args: ManagedLustreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:ManagedLustre", name, None, opts)
        where = component_error_name(self, name)
        service, tier = checked_offering("gcp", "lustre", where, args.capacity_tib, args.throughput_mbps_per_tib)
        self.capacity_gib = round(service.gib_of_tib(args.capacity_tib))
        fs_name = args.filesystem_name or lustre_filesystem_name(name)
        if not re.fullmatch(r"[A-Za-z0-9]{1,8}", fs_name):
            raise ComponentArgumentError(where, "filesystem_name", f"{fs_name!r} is not 1 to 8 letters or digits")
        self.filesystem = lustre.Instance(
            f"{name}-lustre",
            instance_id=name[:63].rstrip("-"),
            location=args.zone,
            network=args.network,
            capacity_gib=str(self.capacity_gib),
            per_unit_storage_throughput=f"{tier:g}",
            filesystem=fs_name,
            kms_key=args.kms_key,
            labels=dict(args.labels) or None,
            project=args.project,
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[args.service_access] if args.service_access is not None else None),
        )
        register(self)
