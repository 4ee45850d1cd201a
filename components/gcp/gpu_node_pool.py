"""``GpuNodePool``: a GKE node pool of GPU machines, with every GPU NIC attached as an additional node
network, compact placement for multi-node training, one zone, and on-demand / spot / reserved / queued
capacity. An inference pool is the same component with ``purpose="inference"`` and ``min_nodes=0``
(it scales to zero)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
from pulumi_gcp import container

from components.gcp._gke import GPU_DRIVER_VERSION, accelerator_type, nic_fabric
from components.gcp._pool import Capacity, autoscaling, catalog_row, check_zones, reservation_affinity
from components.gcp.network import NodeNetwork
from components.labels import node_labels

__all__ = ["GpuNodePool", "GpuNodePoolArgs"]


@dataclass
class GpuNodePoolArgs:
    """Inputs of ``GpuNodePool``."""

    cluster: container.Cluster
    location: str
    """The cluster's location (its region)."""
    zones: list[str]
    """Zones of the nodes; one for a multi-node training pool."""
    machine_type: str
    """A GPU machine type of the catalog; accelerator type, count and fabric come from its row."""
    max_nodes: int
    min_nodes: int = 0
    purpose: Literal["training", "inference", "system"] = "training"
    pool_name: str | None = None
    """The node pool's name in GKE (and its ``backbone.dev/pool`` label); default: the component's name."""
    capacity: Capacity = field(default_factory=Capacity)
    gpu_networks: Sequence[NodeNetwork] = ()
    """Node networks for the GPU NICs (``Network.gpu_networks[fabric]``), in NIC order."""
    gpu_driver: Literal["managed", "operator"] = "managed"
    """managed: GKE installs the latest driver; operator: installation disabled (NVIDIA GPU Operator)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Extra Kubernetes node labels."""
    project: str | None = None


class GpuNodePool(pulumi.ComponentResource):
    """A GPU node pool whose inputs carry the facts that matter: machine type and accelerators from the
    catalog, one additional node network per GPU NIC, compact placement, one zone."""

    pool: container.NodePool
    """The GKE node pool."""
    gpu_nics: int
    """GPU NICs per node attached as additional node networks (0 without a fabric)."""

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:GpuNodePool", name, None, opts)
        row = catalog_row(args.machine_type)
        if row.tpu is not None or row.accelerator_count == 0:
            raise ValueError(f"{args.machine_type} is not a GPU machine type (use TpuNodePool for TPUs)")
        multi_node_training = args.purpose == "training" and args.max_nodes > 1
        check_zones(row, args.zones, multi_node_training)
        pool_name = args.pool_name or name
        networks = self._checked_networks(row.instance_type, row.fabric, row.fabric_nics or 0,
                                          list(args.gpu_networks), multi_node_training)
        self.gpu_nics = sum(1 for n in networks if n.role == "gpu")
        capacity = args.capacity

        self.pool = container.NodePool(
            f"{name}-pool",
            name=pool_name,
            cluster=args.cluster.id,
            location=args.location,
            node_locations=list(args.zones),
            project=args.project,
            initial_node_count=args.min_nodes,
            autoscaling=autoscaling(args.min_nodes, args.max_nodes, capacity),
            placement_policy=(container.NodePoolPlacementPolicyArgs(type="COMPACT") if multi_node_training
                              else None),
            queued_provisioning=(container.NodePoolQueuedProvisioningArgs(enabled=True) if capacity.queued
                                 else None),
            node_config=container.NodePoolNodeConfigArgs(
                machine_type=row.instance_type,
                guest_accelerators=[container.NodePoolNodeConfigGuestAcceleratorArgs(
                    type=accelerator_type(row.instance_type),
                    count=row.accelerator_count,
                    gpu_driver_installation_config=(
                        container.NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs(
                            gpu_driver_version=GPU_DRIVER_VERSION[args.gpu_driver])),
                )],
                labels=node_labels(args.purpose, pool_name, args.labels),
                spot=capacity.kind == "spot" or None,
                reservation_affinity=reservation_affinity(capacity),
                gvnic=container.NodePoolNodeConfigGvnicArgs(enabled=True) if networks else None,
                oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
                shielded_instance_config=container.NodePoolNodeConfigShieldedInstanceConfigArgs(
                    enable_secure_boot=True, enable_integrity_monitoring=True),
            ),
            network_config=container.NodePoolNetworkConfigArgs(
                enable_private_nodes=True,
                additional_node_network_configs=[
                    container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(
                        network=n.network.name, subnetwork=n.subnetwork.name)
                    for n in networks
                ] or None,
            ),
            management=container.NodePoolManagementArgs(auto_repair=True, auto_upgrade=True),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"pool": self.pool, "gpu_nics": self.gpu_nics})

    @staticmethod
    def _checked_networks(machine_type: str, fabric_name: str, nics: int, networks: list[NodeNetwork],
                          required: bool) -> list[NodeNetwork]:
        """The node networks, checked against what the fabric needs: one per GPU NIC (each on its own VPC
        where the fabric says so) plus the fabric's extra gVNIC networks."""
        fabric = nic_fabric(fabric_name)
        if fabric is None or nics == 0:
            if networks:
                raise ValueError(f"{machine_type} has no GPU NIC fabric; it takes no additional node networks")
            return []
        if not networks and not required:
            return []
        gpu = [n for n in networks if n.role == "gpu"]
        gvnic = [n for n in networks if n.role == "gvnic"]
        if len(gpu) != nics or len(gvnic) != fabric.extra_gvnic_networks:
            raise ValueError(
                f"{machine_type} ({fabric_name}) needs {nics} GPU NIC networks and "
                f"{fabric.extra_gvnic_networks} extra gVNIC networks; got {len(gpu)} and {len(gvnic)}: "
                f"pass Network(...).gpu_networks[{fabric_name!r}]"
            )
        if fabric.vpc_per_nic and len({id(n.network) for n in gpu}) != nics:
            raise ValueError(f"{fabric_name} needs each GPU NIC on its own VPC; some share one")
        if len({id(n.subnetwork) for n in networks}) != len(networks):
            raise ValueError("each additional node network needs its own subnet; some share one")
        return networks
