"""``TpuNodePool``: a GKE TPU slice (v5e, v5p, v6e), single-host or multi-host.

The slice is given as a topology (v5p ``2x2x4``): chips = the product of its dimensions, nodes = chips ÷
chips per host (from the catalog), and the pool's node count and ``placement_policy.tpu_topology``
follow. A multi-host slice is all or nothing: a fixed node count, or autoscaling between 0 and the
slice's hosts (GKE scales it atomically). The cluster is given by name, id or self-link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import container

from backbone.components.clouds import component_error_name
from backbone.components.gcp._pool import autoscaling, catalog_row, check_capacity, check_zones, reservation_affinity
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError
from backbone.core.labels import node_labels
from backbone.core.vocabulary import Capacity, Purpose

__all__ = ["TpuNodePool", "TpuNodePoolArgs"]


@dataclass(frozen=True)
class TpuNodePoolArgs:
    """Inputs of ``TpuNodePool``."""

    cluster: pulumi.Input[str]
    """The GKE cluster: its name (with ``location`` and ``project``), id or self-link."""
    location: str
    """The cluster's location (its region, or its zone for a zonal cluster)."""
    zone: str
    """The slice's zone (a slice never spans zones)."""
    machine_type: str
    """A TPU machine type of the catalog (``ct5p-hightpu-4t``, ``ct5lp-hightpu-4t``, ``ct6e-standard-4t``)."""
    topology: str
    """The slice topology: one the catalog row lists (``tpu.topologies``), or another shape the generation can
    form (the pack's ``tpu-topology-unlisted`` advises on those)."""
    scale_to_zero: bool = False
    """Autoscale between 0 and the slice's hosts instead of keeping the slice up."""
    purpose: Purpose = "training"
    """The ``backbone.dev/purpose`` label."""
    pool_name: str | None = None
    """The node pool's name in GKE (and its ``backbone.dev/pool`` label); default: the component's name."""
    capacity: Capacity = "on-demand"
    """on-demand | spot | reservation."""
    reservation: str | None = None
    """The reservation's name, when ``capacity`` is ``reservation``."""
    queued_provisioning: bool = False
    """Queued provisioning (Dynamic Workload Scheduler): the slice comes when it fits whole (on-demand)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Extra Kubernetes node labels."""
    project: str | None = None
    """Project id; default: the provider's project."""


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
        where = component_error_name(self, name)
        row = catalog_row(where, args.machine_type)
        if row.tpu is None:
            raise ComponentArgumentError(where, "machine_type",
                                         f"{args.machine_type} is not a TPU machine type (use GpuNodePool for GPUs)")
        tpu = row.tpu
        if (why := tpu.impossible(args.topology)) is not None:
            raise ComponentArgumentError(where, "topology", f"{args.topology} is not a valid {tpu.version} slice on "
                                         f"{row.instance_type}: {why}; valid: {', '.join(tpu.topologies)}")
        self.chips = tpu.chips_of(args.topology)
        self.hosts = tpu.hosts_of(args.topology)
        check_zones(where, args.location, row, [args.zone], multi_node_training=False)
        check_capacity(where, args.capacity, args.reservation, args.queued_provisioning)
        pool_name = args.pool_name or name
        queued = args.queued_provisioning
        scales = args.scale_to_zero or queued

        self.pool = container.NodePool(
            f"{name}-pool",
            name=pool_name,
            cluster=args.cluster,
            location=args.location,
            node_locations=[args.zone],
            project=args.project,
            node_count=None if scales else self.hosts,
            initial_node_count=0 if scales else None,
            autoscaling=autoscaling(where, 0, self.hosts, args.capacity, queued) if scales else None,
            placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT", tpu_topology=args.topology),
            queued_provisioning=container.NodePoolQueuedProvisioningArgs(enabled=True) if queued else None,
            node_config=container.NodePoolNodeConfigArgs(
                machine_type=row.instance_type,
                labels=node_labels(args.purpose, pool_name, args.labels),
                spot=args.capacity == "spot" or None,
                reservation_affinity=reservation_affinity(args.capacity, args.reservation, queued),
                oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
                shielded_instance_config=container.NodePoolNodeConfigShieldedInstanceConfigArgs(
                    enable_secure_boot=True, enable_integrity_monitoring=True),
            ),
            network_config=container.NodePoolNetworkConfigArgs(enable_private_nodes=True),
            management=container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
            opts=pulumi.ResourceOptions(parent=self),
        )
        register(self)
