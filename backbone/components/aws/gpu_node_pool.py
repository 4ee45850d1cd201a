"""``GpuNodePool``: an EKS managed node group of accelerator instances on its own launch template.

What the pool gets is derived from the catalog row of its instance type, never from the name:

- **EFA.** Where the instance has a fabric (``row.has_fabric``), the launch template attaches one EFA
  interface per network card, ``row.fabric_nics`` in all (p5.48xlarge: 32), in the layout AWS documents
  for multi-card instances (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/p5-efa.html and
  .../efa-acc-inst-types.html, read 2026-11-26): interface 0 is ``efa`` (EFA with ENA: the node's IP
  traffic) on network card 0, device index 0; every other card carries one interface at device index 1,
  ``efa-only`` by default (GPU-to-GPU traffic only, no IP address taken from the subnet) or ``efa``. No
  interface gets a public address. Fabric-less instances (g6.xlarge) get one plain primary interface.
- **Placement.** A training pool that can grow past one node on a fabric instance gets an EC2 placement
  group with strategy ``cluster`` (the launch template's ``placement.group_name``) and must live in one
  subnet, hence one zone.
- **AMI.** ``AL2023_x86_64_NVIDIA`` for GPUs (``AL2023_x86_64_STANDARD`` when the NVIDIA GPU Operator
  installs the driver), ``AL2023_x86_64_NEURON`` for Trainium.

The instance type is set on the launch template (``instance_type``), never on the node group. Capacity:
on-demand, spot (``capacity_type: SPOT``), or a capacity reservation targeted by id through the launch
template's ``capacity_reservation_specification`` (capacity ``capacity-block`` for an EC2 Capacity Block for
ML: the same, plus node group ``capacity_type: CAPACITY_BLOCK`` and market type ``capacity-block``). Instance metadata
requires IMDSv2 tokens with a hop limit of 2 (pods behind the VPC CNI reach it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
from pulumi_aws import ec2, eks

from backbone.components.aws._common import with_name
from backbone.components.aws._facts import AMI_TYPES, FACTS, ROOT_DEVICE
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.core import catalog
from backbone.core.errors import ComponentArgumentError
from backbone.core.labels import node_labels
from backbone.core.vocabulary import RESERVED_CAPACITIES, Capacity, GpuDriver, Purpose

__all__ = ["GpuNodePool", "GpuNodePoolArgs", "ami_type_for", "efa_interfaces_for"]

SecondaryEfa = Literal["efa-only", "efa"]

@dataclass(frozen=True)
class GpuNodePoolArgs:
    """Inputs of ``GpuNodePool``."""

    cluster_name: pulumi.Input[str]
    """Name of the EKS cluster."""
    node_role_arn: pulumi.Input[str]
    """IAM role of the nodes (``EksCluster.node_role_arn``)."""
    subnet_ids: Sequence[pulumi.Input[str]]
    """Private subnets of the pool; exactly one (one zone) for a pool with a placement group."""
    security_group_ids: Sequence[pulumi.Input[str]]
    """Security groups of every interface; EFA needs one that allows all traffic to and from itself."""
    instance_type: str
    """An AWS instance type of the catalog."""
    max_nodes: int
    """Nodes at max scale."""
    min_nodes: int = 0
    """Nodes kept at zero load (0: scale to zero)."""
    purpose: Purpose = "training"
    """Label ``backbone.dev/purpose``; a multi-node training pool on a fabric instance gets a placement group."""
    pool_name: str | None = None
    """Label ``backbone.dev/pool``; default: the component's name."""
    capacity: Capacity = "on-demand"
    """on-demand | spot | reservation | capacity-block (an EC2 Capacity Block for ML)."""
    reservation: str | None = None
    """Capacity reservation id (``cr-…``) when ``capacity`` is ``reservation`` or ``capacity-block``."""
    gpu_driver: GpuDriver = "managed"
    """managed: the AMI ships the NVIDIA driver; operator: a plain AMI for the NVIDIA GPU Operator."""
    efa: bool | None = None
    """Attach EFA interfaces; None: wherever the catalog says the instance has a fabric."""
    placement_group: bool | None = None
    """Create a cluster placement group; None: multi-node training pools on fabric instances."""
    secondary_efa: SecondaryEfa = "efa-only"
    """Type of the EFA interfaces on network cards 1..N-1."""
    root_volume_gib: int = 200
    """Root volume (container images of ML frameworks are large)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Extra Kubernetes node labels."""
    kubernetes_version: str | None = None
    """Kubelet version; None: the cluster's."""
    region: str | None = None
    """Region of every resource; None: the AWS provider's region."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on every resource and instance."""


def ami_type_for(row: catalog.InstanceType, gpu_driver: str) -> str:
    """The EKS AMI type of an instance type, from its accelerator's kind in the catalog."""
    accelerator = catalog.load().accelerator(row.accelerator)
    return AMI_TYPES[(accelerator.kind if accelerator else None, gpu_driver)]


def efa_interfaces_for(
    row: catalog.InstanceType, security_group_ids: Sequence[pulumi.Input[str]], secondary: SecondaryEfa = "efa-only"
) -> list[ec2.LaunchTemplateNetworkInterfaceArgs]:
    """One EFA interface per network card of ``row`` (``row.fabric_nics``), the first one EFA with ENA."""
    if not row.has_fabric:
        raise ComponentArgumentError("GpuNodePool", "efa",
                                     f"{row.instance_type} has no fabric in the catalog: it takes no EFA interface")
    if not row.fabric_nics:
        raise ComponentArgumentError(
            "GpuNodePool", "instance_type",
            f"the catalog does not say how many EFA interfaces {row.instance_type} takes (fabric_nics is null): "
            "give the figure with its source: "
            + catalog.ADD_A_ROW
        )
    return [
        ec2.LaunchTemplateNetworkInterfaceArgs(
            network_card_index=card,
            device_index=0 if card == 0 else 1,
            interface_type="efa" if card == 0 else secondary,
            associate_public_ip_address="false",
            delete_on_termination="true",
            security_groups=list(security_group_ids),
        )
        for card in range(row.fabric_nics)
    ]


def _primary_interface(security_group_ids: Sequence[pulumi.Input[str]]) -> ec2.LaunchTemplateNetworkInterfaceArgs:
    return ec2.LaunchTemplateNetworkInterfaceArgs(
        network_card_index=0,
        device_index=0,
        associate_public_ip_address="false",
        delete_on_termination="true",
        security_groups=list(security_group_ids),
    )


def _row(where: str, args: GpuNodePoolArgs) -> catalog.InstanceType:
    row = catalog.load().instance("aws", args.instance_type)
    if row is None:
        raise ComponentArgumentError(where, "instance_type", catalog.load().not_listed("aws", args.instance_type))
    return row


def _check(where: str, args: GpuNodePoolArgs, row: catalog.InstanceType, placement: bool, efa: bool) -> None:
    if args.max_nodes < 1:
        raise ComponentArgumentError(where, "max_nodes", f"must be 1 or more (got {args.max_nodes})")
    if not 0 <= args.min_nodes <= args.max_nodes:
        raise ComponentArgumentError(
            where, "min_nodes", f"must be between 0 and max_nodes ({args.max_nodes}); got {args.min_nodes}"
        )
    if not args.subnet_ids:
        raise ComponentArgumentError(where, "subnet_ids", "give the subnet of the pool's zone")
    if placement and len(args.subnet_ids) != 1:
        raise ComponentArgumentError(
            where, "subnet_ids",
            "a pool in a cluster placement group lives in one zone; give exactly one subnet "
            f"(got {len(args.subnet_ids)})",
        )
    if efa and not row.has_fabric:
        raise ComponentArgumentError(where, "efa", f"efa=True but {row.instance_type} has no fabric in the catalog")
    if args.capacity in RESERVED_CAPACITIES:
        refusal = (FACTS.reservation_refusal(args.reservation) if args.reservation is not None
                   else f"capacity {args.capacity!r} needs one: {FACTS.reservation_meaning}")
        if refusal is not None:
            raise ComponentArgumentError(where, "reservation", refusal)
    elif args.reservation is not None:
        raise ComponentArgumentError(
            where, "capacity", f"a reservation needs capacity 'reservation' or 'capacity-block' (got {args.capacity!r})"
        )


class GpuNodePool(pulumi.ComponentResource):
    """An EKS managed node group of accelerator instances with EFA and placement where the catalog says so."""

    pool: eks.NodeGroup
    """The EKS managed node group."""
    launch_template: ec2.LaunchTemplate
    """The launch template: instance type, network interfaces (EFA), placement, capacity, metadata options."""
    placement_group: ec2.PlacementGroup | None
    """The cluster placement group, or None for pools that do not need one."""

    def __init__(self, name: str, args: GpuNodePoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:aws:GpuNodePool", name, None, opts)
        where = component_error_name(self, name)
        row = _row(where, args)
        efa = row.has_fabric if args.efa is None else args.efa
        placement = (
            row.has_fabric and args.purpose == "training" and args.max_nodes > 1
            if args.placement_group is None
            else args.placement_group
        )
        _check(where, args, row, placement, efa)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)
        pool_name = args.pool_name or name

        self.placement_group = (
            ec2.PlacementGroup(f"{name}-placement", strategy="cluster", region=args.region, tags=tags, opts=child)
            if placement
            else None
        )
        interfaces = (
            efa_interfaces_for(row, args.security_group_ids, args.secondary_efa)
            if efa
            else [_primary_interface(args.security_group_ids)]
        )
        reservation = (
            ec2.LaunchTemplateCapacityReservationSpecificationArgs(
                capacity_reservation_target=ec2.LaunchTemplateCapacityReservationSpecificationCapacityReservationTargetArgs(
                    capacity_reservation_id=args.reservation
                )
            )
            if args.capacity in RESERVED_CAPACITIES
            else None
        )
        self.launch_template = ec2.LaunchTemplate(
            f"{name}-template",
            instance_type=args.instance_type,
            network_interfaces=interfaces,
            placement=ec2.LaunchTemplatePlacementArgs(group_name=self.placement_group.name)
            if self.placement_group is not None
            else None,
            capacity_reservation_specification=reservation,
            instance_market_options=ec2.LaunchTemplateInstanceMarketOptionsArgs(market_type="capacity-block")
            if args.capacity == "capacity-block"
            else None,
            metadata_options=ec2.LaunchTemplateMetadataOptionsArgs(
                http_endpoint="enabled", http_tokens="required", http_put_response_hop_limit=2
            ),
            block_device_mappings=[
                ec2.LaunchTemplateBlockDeviceMappingArgs(
                    device_name=ROOT_DEVICE,
                    ebs=ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                        volume_size=args.root_volume_gib, volume_type="gp3", encrypted="true"
                    ),
                )
            ],
            tag_specifications=[
                ec2.LaunchTemplateTagSpecificationArgs(resource_type="instance", tags=with_name(tags, name))
            ],
            update_default_version=True,
            region=args.region,
            tags=tags,
            opts=child,
        )
        capacity_type = {"spot": "SPOT", "capacity-block": "CAPACITY_BLOCK"}.get(args.capacity, "ON_DEMAND")
        self.pool = eks.NodeGroup(
            f"{name}-nodes",
            cluster_name=args.cluster_name,
            node_role_arn=args.node_role_arn,
            subnet_ids=list(args.subnet_ids),
            ami_type=ami_type_for(row, args.gpu_driver),
            capacity_type=capacity_type,
            launch_template=eks.NodeGroupLaunchTemplateArgs(
                id=self.launch_template.id, version=self.launch_template.latest_version.apply(str)
            ),
            scaling_config=eks.NodeGroupScalingConfigArgs(
                min_size=args.min_nodes, desired_size=args.min_nodes, max_size=args.max_nodes
            ),
            labels=node_labels(args.purpose, pool_name, args.labels),
            version=args.kubernetes_version,
            region=args.region,
            tags=tags,
            # The cluster autoscaler owns the desired size once the pool exists.
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["scalingConfig.desiredSize"]),
        )
        register(self)
