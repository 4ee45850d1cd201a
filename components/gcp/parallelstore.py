"""``Parallelstore``: a Parallelstore (DAOS) instance in the zone of the pools it feeds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pulumi
from pulumi_gcp import compute, parallelstore

from components.gcp._storage import capacity_gib, offering

__all__ = ["Parallelstore", "ParallelstoreArgs"]


@dataclass
class ParallelstoreArgs:
    """Inputs of ``Parallelstore``."""

    zone: str
    """The zone of the GPU/TPU pools it feeds."""
    network: compute.Network
    """The host VPC; it needs private service access (``NetworkArgs.private_service_access``)."""
    capacity_tib: float
    """Capacity in the service's TiB (throughput scales with it; the catalog lists the sizes)."""
    service_access: pulumi.Resource | None = None
    """The private service access peering to wait for."""
    deployment_type: Literal["SCRATCH", "PERSISTENT"] = "SCRATCH"
    labels: Mapping[str, str] = field(default_factory=dict)
    project: str | None = None


class Parallelstore(pulumi.ComponentResource):
    """A Parallelstore instance. Encryption at rest is Google-managed (the service takes no CMEK key)."""

    filesystem: parallelstore.Instance
    """The Parallelstore instance."""
    capacity_gib: int
    """Capacity as the API takes it."""

    def __init__(self, name: str, args: ParallelstoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:Parallelstore", name, None, opts)
        self.capacity_gib = capacity_gib(offering("parallelstore"), args.capacity_tib, None)
        self.filesystem = parallelstore.Instance(
            f"{name}-parallelstore",
            instance_id=name[:63].rstrip("-"),
            location=args.zone,
            network=args.network.id,
            capacity_gib=str(self.capacity_gib),
            deployment_type=args.deployment_type,
            labels=dict(args.labels) or None,
            project=args.project,
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[args.service_access] if args.service_access is not None else None),
        )
        self.register_outputs({"filesystem": self.filesystem, "capacity_gib": self.capacity_gib})
