"""``GpuNodePool``: a GKE node pool of GPU machines, with every GPU NIC attached as an additional node
network, compact placement for multi-node training, one zone, and on-demand / spot / reserved / queued
capacity. An inference pool is the same component with ``purpose="inference"`` and ``min_nodes=0``
(it scales to zero).

The cluster and the node networks are given by name, id or self-link (``pulumi.Input[str]``), so a pool
can join a cluster this program did not create."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import container

from backbone.components.clouds import component_error_name
from backbone.components.gcp._facts import ACCELERATOR_FAMILIES, GPU_DRIVER_VERSION, accelerator_type, nic_fabric
from backbone.components.gcp._pool import (
    autoscaling,
    catalog_row,
    check_capacity,
    check_zones,
    last_segment,
    reservation_affinity,
)
from backbone.components.gcp.network import NodeNetwork
from backbone.components.outputs import register
from backbone.core import catalog
from backbone.core.errors import ComponentArgumentError
from backbone.core.labels import node_labels
from backbone.core.vocabulary import Capacity, GpuDriver, Purpose

__all__ = ["GpuNodePool", "GpuNodePoolArgs"]


@dataclass(frozen=True)
class GpuNodePoolArgs:
    """Inputs of ``GpuNodePool``."""

    cluster: pulumi.Input[str]
    """The GKE cluster: its name (with ``location`` and ``project``), id or self-link."""
    location: str
    """The cluster's location (its region, or its zone for a zonal cluster)."""
    zones: Sequence[str]
    """Zones of the nodes; one for a multi-node training pool."""
    machine_type: str
    """A GPU machine type of the catalog; accelerator type, count and fabric come from its row."""
    max_nodes: int
    """Nodes at max scale (over all the pool's zones)."""
    min_nodes: int = 0
    """Nodes kept at zero load (0: scale to zero)."""
    purpose: Purpose = "training"
    """The ``backbone.dev/purpose`` label; a multi-node training pool gets compact placement and one zone."""
    pool_name: str | None = None
    """The node pool's name in GKE (and its ``backbone.dev/pool`` label); default: the component's name."""
    capacity: Capacity = "on-demand"
    """on-demand | spot | reservation."""
    reservation: str | None = None
    """The reservation's name, when ``capacity`` is ``reservation``."""
    queued_provisioning: bool = False
    """Queued provisioning (Dynamic Workload Scheduler): nodes come when the whole request fits (on-demand)."""
    gpu_networks: Sequence[NodeNetwork] = ()
    """Node networks for the GPU NICs (``Network.gpu_networks[fabric]``, or ``NodeNetwork`` of existing VPC
    and subnet names), in NIC order; required for a multi-node training pool on a GPU NIC fabric."""
    gpu_driver: GpuDriver = "managed"
    """managed: GKE installs the latest driver; operator: installation disabled (NVIDIA GPU Operator)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Extra Kubernetes node labels."""
    project: str | None = None
    """Project id; default: the provider's project."""


class GpuNodePool(pulumi.ComponentResource):
    """A GPU node pool whose inputs carry the facts that matter: machine type and accelerators from the
    catalog, one additional node network per GPU NIC, compact placement, one zone."""

    pool: container.NodePool
    """The GKE node pool."""
    gpu_nics: int
    """GPU NICs per node attached as additional node networks (0 without a fabric)."""

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:GpuNodePool", name, None, opts)
        where = component_error_name(self, name)
        row = catalog_row(where, args.machine_type)
        if row.tpu is not None or row.accelerator_count == 0:
            raise ComponentArgumentError(where, "machine_type",
                                         f"{args.machine_type} is not a GPU machine type (use TpuNodePool for TPUs)")
        accelerator = accelerator_type(row.instance_type)
        if accelerator is None:
            raise ComponentArgumentError(where, "machine_type", f"no GKE accelerator type is known for "
                                         f"{row.instance_type}; known families: {', '.join(ACCELERATOR_FAMILIES)}")
        multi_node_training = args.purpose == "training" and args.max_nodes > 1
        check_zones(where, args.location, row, list(args.zones), multi_node_training)
        check_capacity(where, args.capacity, args.reservation, args.queued_provisioning)
        pool_name = args.pool_name or name
        networks = _checked_networks(where, row, list(args.gpu_networks), multi_node_training)
        self.gpu_nics = sum(1 for n in networks if n.role == "gpu")

        self.pool = container.NodePool(
            f"{name}-pool",
            name=pool_name,
            cluster=args.cluster,
            location=args.location,
            node_locations=list(args.zones),
            project=args.project,
            initial_node_count=args.min_nodes,
            autoscaling=autoscaling(where, args.min_nodes, args.max_nodes, args.capacity, args.queued_provisioning),
            placement_policy=(container.NodePoolPlacementPolicyArgs(type="COMPACT") if multi_node_training
                              else None),
            queued_provisioning=(container.NodePoolQueuedProvisioningArgs(enabled=True)
                                 if args.queued_provisioning else None),
            node_config=container.NodePoolNodeConfigArgs(
                machine_type=row.instance_type,
                guest_accelerators=[container.NodePoolNodeConfigGuestAcceleratorArgs(
                    type=accelerator,
                    count=row.accelerator_count,
                    gpu_driver_installation_config=(
                        container.NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs(
                            gpu_driver_version=GPU_DRIVER_VERSION[args.gpu_driver])),
                )],
                labels=node_labels(args.purpose, pool_name, args.labels),
                spot=args.capacity == "spot" or None,
                reservation_affinity=reservation_affinity(args.capacity, args.reservation, args.queued_provisioning),
                gvnic=container.NodePoolNodeConfigGvnicArgs(enabled=True) if networks else None,
                oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
                shielded_instance_config=container.NodePoolNodeConfigShieldedInstanceConfigArgs(
                    enable_secure_boot=True, enable_integrity_monitoring=True),
            ),
            network_config=container.NodePoolNetworkConfigArgs(
                enable_private_nodes=True,
                additional_node_network_configs=[
                    container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(
                        network=last_segment(n.network), subnetwork=last_segment(n.subnetwork))
                    for n in networks
                ] or None,
            ),
            management=container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
            opts=pulumi.ResourceOptions(parent=self),
        )
        register(self)


def _distinct(values: list[pulumi.Input[str]]) -> int | None:
    """How many distinct values, where all are known strings; None when some are computed."""
    if all(isinstance(v, str) for v in values):
        return len({last_segment(v) for v in values})  # type: ignore[misc]
    if all(isinstance(v, pulumi.Output) for v in values):
        return len({id(v) for v in values})
    return None


def _checked_networks(where: str, row: catalog.InstanceType, networks: list[NodeNetwork],
                      required: bool) -> list[NodeNetwork]:
    """The node networks, checked against what the fabric needs: one per GPU NIC (each on its own VPC
    where the fabric says so) plus the fabric's extra gVNIC networks."""
    fabric, nics = nic_fabric(row.fabric), row.fabric_nics or 0
    if fabric is None or nics == 0:
        if networks:
            raise ComponentArgumentError(where, "gpu_networks", f"{row.instance_type} has no GPU NIC fabric; "
                                         "it takes no additional node networks")
        return []
    if not networks and not required:
        return []
    gpu = [n for n in networks if n.role == "gpu"]
    gvnic = [n for n in networks if n.role == "gvnic"]
    if len(gpu) != nics or len(gvnic) != fabric.extra_gvnic_networks:
        raise ComponentArgumentError(
            where, "gpu_networks",
            f"{row.instance_type} ({row.fabric}) needs {nics} GPU NIC networks and "
            f"{fabric.extra_gvnic_networks} extra gVNIC networks; got {len(gpu)} and {len(gvnic)}: "
            f"pass Network(...).gpu_networks[{row.fabric!r}]",
        )
    vpcs = _distinct([n.network for n in gpu])
    if fabric.vpc_per_nic and vpcs is not None and vpcs != nics:
        raise ComponentArgumentError(where, "gpu_networks", f"{row.fabric} needs each GPU NIC on its own VPC; "
                                     f"{nics} NICs are on {vpcs} VPCs")
    subnets = _distinct([n.subnetwork for n in networks])
    if subnets is not None and subnets != len(networks):
        raise ComponentArgumentError(where, "gpu_networks",
                                     "each additional node network needs its own subnet; some share one")
    return networks
