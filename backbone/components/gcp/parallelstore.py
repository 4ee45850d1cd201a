"""``Parallelstore``: a Parallelstore (DAOS) instance in the zone of the pools it feeds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pulumi
from pulumi_gcp import parallelstore

from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.components.storage_offering import checked_offering

__all__ = ["Parallelstore", "ParallelstoreArgs"]


@dataclass(frozen=True)
class ParallelstoreArgs:
    """Inputs of ``Parallelstore``."""

    zone: str
    """The zone of the GPU/TPU pools it feeds."""
    network: pulumi.Input[str]
    """The host VPC (id or self-link, ``projects/<p>/global/networks/<name>``); it needs private service
    access (``NetworkArgs.private_service_access``)."""
    capacity_tib: float
    """Capacity in the service's TiB (throughput scales with it; the catalog lists the sizes)."""
    service_access: pulumi.Resource | None = None
    """The private service access peering to wait for."""
    deployment_type: Literal["SCRATCH", "PERSISTENT"] = "SCRATCH"
    """SCRATCH (no replication, for data that can be rebuilt) or PERSISTENT."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """GCP labels of the instance."""
    project: str | None = None
    """Project id; default: the provider's project."""


class Parallelstore(pulumi.ComponentResource):
    """A Parallelstore instance. Encryption at rest is Google-managed (the service takes no CMEK key)."""

    filesystem: parallelstore.Instance
    """The Parallelstore instance."""
    capacity_gib: int
    """Capacity as the API takes it."""

    def __init__(self, name: str, args: ParallelstoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:Parallelstore", name, None, opts)
        service, _ = checked_offering("gcp", "parallelstore", component_error_name(self, name), args.capacity_tib, None)
        self.capacity_gib = round(service.gib_of_tib(args.capacity_tib))
        self.filesystem = parallelstore.Instance(
            f"{name}-parallelstore",
            instance_id=name[:63].rstrip("-"),
            location=args.zone,
            network=args.network,
            capacity_gib=str(self.capacity_gib),
            deployment_type=args.deployment_type,
            labels=dict(args.labels) or None,
            project=args.project,
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[args.service_access] if args.service_access is not None else None),
        )
        register(self)
