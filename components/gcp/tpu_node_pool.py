"""``TpuNodePool``: a GKE TPU slice (v5e, v5p, v6e), single-host or multi-host.

The slice is given as a topology (v5p ``2x2x4``): chips = the product of its dimensions, nodes = chips ÷
chips per host (from the catalog), and the pool's node count and ``placement_policy.tpu_topology``
follow. A multi-host slice is all or nothing: a fixed node count, or autoscaling between 0 and the
slice's hosts (GKE scales it atomically)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pulumi
from pulumi_gcp import container

from components.gcp._pool import Capacity, autoscaling, catalog_row, check_zones, reservation_affinity
from components.labels import node_labels

__all__ = ["TpuNodePool", "TpuNodePoolArgs"]


@dataclass
class TpuNodePoolArgs:
    """Inputs of ``TpuNodePool``."""

    cluster: container.Cluster
    location: str
    """The cluster's location (its region)."""
    zone: str
    """The slice's zone (a slice never spans zones)."""
    machine_type: str
    """A TPU machine type of the catalog (``ct5p-hightpu-4t``, ``ct5lp-hightpu-4t``, ``ct6e-standard-4t``)."""
    topology: str
    """The slice topology: one the catalog row lists (``tpu.topologies``), or another shape the generation can
    form (the pack's ``tpu-topology-unlisted`` advises on those)."""
    scale_to_zero: bool = False
    """Autoscale between 0 and the slice's hosts instead of keeping the slice up."""
    purpose: Literal["training", "inference", "system"] = "training"
    pool_name: str | None = None
    """The node pool's name in GKE (and its ``backbone.dev/pool`` label); default: the component's name."""
    capacity: Capacity = field(default_factory=Capacity)
    labels: Mapping[str, str] = field(default_factory=dict)
    project: str | None = None


class TpuNodePool(pulumi.ComponentResource):
    """One TPU slice as a GKE node pool."""

    pool: container.NodePool
    """The GKE node pool."""
    chips: int
    """TPU chips in the slice."""
    hosts: int
    """Nodes of the slice (chips ÷ chips per host)."""

    def __init__(self, name: str, args: TpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:TpuNodePool", name, None, opts)
        row = catalog_row(args.machine_type)
        if row.tpu is None:
            raise ValueError(f"{args.machine_type} is not a TPU machine type (use GpuNodePool for GPUs)")
        tpu = row.tpu
        if (why := tpu.impossible(args.topology)) is not None:
            raise ValueError(f"topology {args.topology} is not a valid {tpu.version} slice on {row.instance_type}: "
                             f"{why}; valid: {', '.join(tpu.topologies)}")
        self.chips = tpu.chips_of(args.topology)
        self.hosts = tpu.hosts_of(args.topology)
        check_zones(row, [args.zone], multi_node_training=False)
        pool_name = args.pool_name or name
        capacity = args.capacity
        scales = args.scale_to_zero or capacity.queued

        self.pool = container.NodePool(
            f"{name}-pool",
            name=pool_name,
            cluster=args.cluster.id,
            location=args.location,
            node_locations=[args.zone],
            project=args.project,
            node_count=None if scales else self.hosts,
            initial_node_count=0 if scales else None,
            autoscaling=autoscaling(0, self.hosts, capacity) if scales else None,
            placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT", tpu_topology=args.topology),
            queued_provisioning=(container.NodePoolQueuedProvisioningArgs(enabled=True) if capacity.queued
                                 else None),
            node_config=container.NodePoolNodeConfigArgs(
                machine_type=row.instance_type,
                labels=node_labels(args.purpose, pool_name, args.labels),
                spot=capacity.kind == "spot" or None,
                reservation_affinity=reservation_affinity(capacity),
                oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
                shielded_instance_config=container.NodePoolNodeConfigShieldedInstanceConfigArgs(
                    enable_secure_boot=True, enable_integrity_monitoring=True),
            ),
            network_config=container.NodePoolNetworkConfigArgs(enable_private_nodes=True),
            management=container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"pool": self.pool, "chips": self.chips, "hosts": self.hosts})
