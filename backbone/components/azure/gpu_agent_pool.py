"""``GpuAgentPool``: one AKS agent pool (one VM scale set) of GPU VMs.

- InfiniBand: ND-series VMs (ND96isr_H100_v5, ND96isr_H200_v5, ND96amsr_A100_v4) reach each other over
  InfiniBand only inside one scale set, so a multi-node training job runs in ONE pool in ONE zone; the
  component refuses a multi-node training pool spread over zones.
- GPU driver: ``managed`` lets AKS install the NVIDIA driver (``gpuProfile.driver: Install``); ``operator``
  skips it (``gpuProfile.driver: None``) for the NVIDIA GPU Operator, which then owns driver, toolkit and
  device plugin. Never both: two drivers on one node fail.
- Autoscaling between ``min_nodes`` and ``max_nodes`` (``min_nodes: 0`` scales to zero); spot pools are
  ``Spot`` scale sets evicted with ``Delete``; nodes never get public IPs.
- Upgrades take one node down at a time and surge none, so an upgrade never needs GPU quota beyond the pool's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_azure_native import containerservice

from backbone.components.azure._common import require
from backbone.components.azure._facts import FACTS, GPU_DRIVER_SETTING, agent_pool_name
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.core import catalog
from backbone.core.errors import ComponentArgumentError
from backbone.core.labels import node_labels
from backbone.core.vocabulary import Capacity, GpuDriver, Purpose

__all__ = ["GpuAgentPool", "GpuAgentPoolArgs"]


@dataclass(frozen=True)
class GpuAgentPoolArgs:
    """Inputs of ``GpuAgentPool``."""

    cluster_name: pulumi.Input[str]
    """The AKS cluster (``AksCluster.cluster_name``)."""
    resource_group_name: pulumi.Input[str]
    """The cluster's resource group."""
    node_subnet_id: pulumi.Input[str]
    """Subnet of the nodes (``Network.node_subnet.id``); never the file-system subnet."""
    vm_size: str
    """A GPU VM size from the catalog, e.g. ``Standard_ND96isr_H100_v5``."""
    max_nodes: int
    """Nodes at max scale."""
    zones: Sequence[str]
    """Zones of the pool ("1", "2", "3"); exactly one for a multi-node training pool."""
    purpose: Purpose = "training"
    """training | inference | system (the ``backbone.dev/purpose`` label)."""
    min_nodes: int = 0
    """Nodes kept at zero load; 0 scales to zero."""
    capacity: Capacity = "on-demand"
    """on-demand | spot | reservation."""
    reservation: str | None = None
    """Capacity reservation group resource id, when ``capacity`` is ``reservation``."""
    pool_name: str | None = None
    """The Backbone pool name (the ``backbone.dev/pool`` label; the AKS pool name is derived from it);
    default: the component's name."""
    gpu_driver: GpuDriver = "managed"
    """managed: AKS installs the driver; operator: skipped for the NVIDIA GPU Operator."""
    kubernetes_version: str | None = None
    """Kubelet version; default: the cluster's."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Extra Kubernetes node labels."""
    taints: Sequence[str] = ()
    """Kubernetes node taints, e.g. ``nvidia.com/gpu=present:NoSchedule``."""
    agent_pool_name: str | None = None
    """AKS pool name (1-12 lowercase letters and digits); default: derived from ``pool``."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Azure tags."""

    def instance(self, where: str = "GpuAgentPool") -> catalog.InstanceType:
        """The catalog row of ``vm_size``; a ``ComponentArgumentError`` listing the known sizes when there is none."""
        cat = catalog.load()
        row = cat.instance("azure", self.vm_size)
        if row is None:
            raise ComponentArgumentError(where, "vm_size", cat.not_listed("azure", self.vm_size))
        return row

    def check(self, where: str) -> catalog.InstanceType:
        """The catalog row of ``vm_size``, once every argument is one AKS would accept."""
        require(self.max_nodes >= 1, where, "max_nodes", f"must be 1 or more (got {self.max_nodes})")
        require(0 <= self.min_nodes <= self.max_nodes, where, "min_nodes",
                f"must be between 0 and max_nodes ({self.max_nodes}); got {self.min_nodes}")
        require(len(self.zones) >= 1, where, "zones", f"give the pool's zone ({FACTS.zone_example})")
        for zone in self.zones:
            refusal = FACTS.zone_refusal("the region", zone)
            require(refusal is None, where, "zones", refusal or "")
        require(not (self.purpose == "training" and self.max_nodes > 1 and len(set(self.zones)) > 1),
                where, "zones",
                f"a training pool of up to {self.max_nodes} nodes spans zones {', '.join(self.zones)}; "
                "InfiniBand stays inside one scale set in one zone: give one zone")
        require(FACTS.capacity_refusal(self.capacity) is None, where, "capacity",
                FACTS.capacity_refusal(self.capacity) or "")
        require((self.capacity == "reservation") == bool(self.reservation), where, "reservation",
                f"set reservation exactly when capacity is 'reservation' (capacity {self.capacity!r}, "
                f"reservation {self.reservation!r})")
        return self.instance(where)


class GpuAgentPool(pulumi.ComponentResource):
    """One AKS agent pool of GPU VMs, labelled for the policy pack."""

    pool: containerservice.AgentPool
    """The AKS agent pool (one VM scale set)."""
    instance_type: str
    """Its VM size (a row of the catalog)."""

    def __init__(self, name: str, args: GpuAgentPoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:azure:GpuAgentPool", name, None, opts)
        self.instance_type = args.vm_size
        args.check(component_error_name(self, name))
        pool_name = args.pool_name or name
        spot = args.capacity == "spot"
        self.pool = containerservice.AgentPool(
            f"{name}-pool",
            resource_group_name=args.resource_group_name,
            resource_name_=args.cluster_name,
            agent_pool_name=args.agent_pool_name or agent_pool_name(pool_name),
            mode="User",
            type="VirtualMachineScaleSets",
            os_type="Linux",
            os_sku="Ubuntu",
            vm_size=args.vm_size,
            count=args.min_nodes,
            enable_auto_scaling=True,
            min_count=args.min_nodes,
            max_count=args.max_nodes,
            availability_zones=list(args.zones),
            vnet_subnet_id=args.node_subnet_id,
            enable_node_public_ip=False,
            scale_set_priority="Spot" if spot else "Regular",
            scale_set_eviction_policy="Delete" if spot else None,
            spot_max_price=-1.0 if spot else None,  # pay up to the on-demand price, never evicted on price
            capacity_reservation_group_id=args.reservation,
            gpu_profile=containerservice.GPUProfileArgs(
                driver=containerservice.GPUDriver(GPU_DRIVER_SETTING[args.gpu_driver])),
            node_labels=node_labels(args.purpose, pool_name, args.labels),
            node_taints=list(args.taints) or None,
            orchestrator_version=args.kubernetes_version,
            upgrade_settings=containerservice.AgentPoolUpgradeSettingsArgs(max_surge="0", max_unavailable="1"),
            tags=dict(args.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        register(self)
