"""Hand-written Pulumi programs for each cloud — plain provider resources, no ``components`` — that the
tests change one knob at a time. Defaults are a balanced training cluster that passes every policy, with the
Kubernetes runtime its pods need (device plugins, fabric to pods, CSI drivers) written directly with
``pulumi_kubernetes``; ``runtime=False`` leaves that out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Self

import pulumi

PURPOSE = "backbone.dev/purpose"
Program = Callable[[], None]


def helm(name: str, chart: Any, repo: str = "https://example.invalid/charts", values: Any = None) -> None:
    """A Helm release of ``chart`` (what the pack reads of it: the chart name, and where its values place it)."""
    import pulumi_kubernetes as k8s

    k8s.helm.v3.Release(name, chart=chart, version="1.0.0", repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=repo),
                        values=values)


ON_GPU_POOLS = {
    "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "backbone.dev/purpose", "operator": "Exists"}]},
        {"matchExpressions": [{"key": "team", "operator": "In", "values": ["ml"]}]}]}}},
    "tolerations": [{"operator": "Exists"}],
}
"""Device plugin values that land on this module's GPU pools (their purpose label, or team=ml): the chart's own
default affinity wants Node Feature Discovery labels that EKS and AKS nodes do not carry without NFD."""


def device_plugin(name: str = "gpu") -> None:
    """The NVIDIA device plugin chart, placed on the GPU pools."""
    helm(name, "nvidia-device-plugin", values=ON_GPU_POOLS)


def daemonset(name: str, image: str) -> None:
    """A DaemonSet running ``image`` (what the pack reads of it: the image)."""
    import pulumi_kubernetes as k8s

    labels = {"app": name}
    k8s.apps.v1.DaemonSet(name, spec=k8s.apps.v1.DaemonSetSpecArgs(
        selector=k8s.meta.v1.LabelSelectorArgs(match_labels=labels),
        template=k8s.core.v1.PodTemplateSpecArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(labels=labels),
            spec=k8s.core.v1.PodSpecArgs(containers=[k8s.core.v1.ContainerArgs(name=name, image=image)]))))


def gke_networks(count: int) -> None:
    """``count`` GKE GPU NIC networks as pods attach them (``Network`` of type Device and its parameters)."""
    import pulumi_kubernetes as k8s

    for i in range(count):
        k8s.apiextensions.CustomResource(
            f"gpu-nic-{i}-params", api_version="networking.gke.io/v1", kind="GKENetworkParamSet",
            spec={"vpc": f"gpu-{i}", "vpcSubnet": f"gpu-{i}", "deviceMode": "NetDevice"})
        k8s.apiextensions.CustomResource(
            f"gpu-nic-{i}", api_version="networking.gke.io/v1", kind="Network",
            spec={"type": "Device", "parametersRef": {"group": "networking.gke.io", "kind": "GKENetworkParamSet",
                                                      "name": f"gpu-nic-{i}"}})


def nic_cluster_policy() -> None:
    """The Network Operator's NicClusterPolicy with the RDMA shared device plugin."""
    import pulumi_kubernetes as k8s

    k8s.apiextensions.CustomResource("nics", api_version="mellanox.com/v1alpha1", kind="NicClusterPolicy",
                                     spec={"rdmaSharedDevicePlugin": {"image": "k8s-rdma-shared-dev-plugin"}})


TCPXO_PLUGIN = "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.8-1"
GKE_ACCELERATORS = {"a3-megagpu-8g": ("nvidia-h100-mega-80gb", 8), "g2-standard-8": ("nvidia-l4", 1)}


def unknown(value: Any, after: pulumi.Output[Any]) -> pulumi.Output[Any]:
    """``value`` as an output that stays unknown in preview (it waits on an id)."""
    return after.apply(lambda _: value)


@dataclass(frozen=True)
class _Knobs:
    """``program.with_(knob=value)``: the same program with some knobs changed (the programs are frozen dataclasses)."""

    def with_(self, **changes: Any) -> Self:
        return replace(self, **changes)


@dataclass(frozen=True)
class Aws(_Knobs):
    """VPC, subnets, a cluster placement group, a launch template with EFA, an EKS node group, FSx Lustre."""

    instance_type: str = "p5.48xlarge"
    min_nodes: int = 0
    max_nodes: int = 16
    efa_interfaces: int = 32
    placement: str | None = "cluster"
    zones: tuple[str, ...] = ("us-east-1a",)
    purpose: str | None = "training"
    fs: bool = True
    fs_zone: str = "us-east-1a"
    fs_capacity_gib: int = 48000
    fs_mbps_per_tib: int = 500
    fs_kms_key: bool = False
    public_ip: bool = False
    ami_type: str = "AL2023_x86_64_NVIDIA"
    runtime: bool = True
    # knobs that make a deciding value unknown in preview
    unknown_instance_type: bool = False
    unknown_subnet_zone: bool = False
    unknown_fs_capacity: bool = False
    unknown_min_nodes: bool = False
    unknown_public_ip: bool = False
    market: str | None = None
    """The launch template's ``instanceMarketOptions.marketType`` (``spot``, ``capacity-block``; None: not set)."""

    def __call__(self) -> None:
        from pulumi_aws import ec2, eks, fsx, kms

        vpc = ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
        subnets = {}
        for i, zone in enumerate(dict.fromkeys((*self.zones, self.fs_zone))):
            az: Any = unknown(zone, vpc.id) if self.unknown_subnet_zone else zone
            subnets[zone] = ec2.Subnet(f"private-{zone}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24",
                                       availability_zone=az, map_public_ip_on_launch=False)
        placement = None
        if self.placement is not None:
            group = ec2.PlacementGroup("train", strategy=self.placement)
            placement = ec2.LaunchTemplatePlacementArgs(group_name=group.name)
        public: Any = unknown(str(self.public_ip).lower(), vpc.id) if self.unknown_public_ip \
            else str(self.public_ip).lower()
        nics = [ec2.LaunchTemplateNetworkInterfaceArgs(
            interface_type="efa", network_card_index=i, device_index=0 if i == 0 else 1,
            associate_public_ip_address=public) for i in range(self.efa_interfaces)] or [
            ec2.LaunchTemplateNetworkInterfaceArgs(device_index=0, associate_public_ip_address=public)]
        instance: Any = unknown(self.instance_type, vpc.id) if self.unknown_instance_type else self.instance_type
        market = None if self.market is None else ec2.LaunchTemplateInstanceMarketOptionsArgs(market_type=self.market)
        template = ec2.LaunchTemplate("train", instance_type=instance, network_interfaces=nics, placement=placement,
                                      instance_market_options=market)
        minimum: Any = unknown(self.min_nodes, vpc.id) if self.unknown_min_nodes else self.min_nodes
        eks.NodeGroup(
            "gpu", cluster_name="train", node_role_arn="arn:aws:iam::123456789012:role/node",
            subnet_ids=[subnets[z].id for z in self.zones],
            scaling_config=eks.NodeGroupScalingConfigArgs(min_size=minimum, max_size=self.max_nodes,
                                                          desired_size=self.min_nodes),
            launch_template=eks.NodeGroupLaunchTemplateArgs(id=template.id, version="$Latest"),
            ami_type=self.ami_type,
            labels={PURPOSE: self.purpose} if self.purpose else {"team": "ml"},
        )
        if self.fs:
            key = kms.Key("fs") if self.fs_kms_key else None
            capacity: Any = unknown(self.fs_capacity_gib, vpc.id) if self.unknown_fs_capacity \
                else self.fs_capacity_gib
            fsx.LustreFileSystem("scratch", storage_capacity=capacity, subnet_ids=subnets[self.fs_zone].id,
                                 deployment_type="PERSISTENT_2", per_unit_storage_throughput=self.fs_mbps_per_tib,
                                 kms_key_id=None if key is None else key.arn)
        if self.runtime:
            helm("gpu", "gpu-operator") if "STANDARD" in self.ami_type else device_plugin()
            if self.efa_interfaces:
                helm("efa", "aws-efa-k8s-device-plugin", "https://aws.github.io/eks-charts")
            if self.fs:
                eks.Addon("fsx-csi", cluster_name="train", addon_name="aws-fsx-csi-driver")


@dataclass(frozen=True)
class Gcp(_Knobs):
    """GKE cluster, one VPC per GPU NIC, an A3 Mega (or TPU) node pool, Managed Lustre."""

    machine_type: str = "a3-megagpu-8g"
    min_nodes: int = 0
    max_nodes: int = 16
    gpu_nics: int = 8
    vpcs: int = 8
    placement: str | None = "COMPACT"
    tpu_topology: str | None = None
    node_locations: tuple[str, ...] = ("us-central1-a",)
    purpose: str | None = "training"
    private: bool = True
    lustre: bool = True
    lustre_zone: str = "us-central1-a"
    lustre_gib: int = 36000
    lustre_mbps_per_tib: int = 1000
    unknown_machine_type: bool = False
    unknown_topology: bool = False
    unknown_private: bool = False
    extra_node_config: dict[str, Any] = field(default_factory=dict)
    runtime: bool = True
    gpu_driver: str | None = "LATEST"
    """``gpuDriverInstallationConfig.gpuDriverVersion`` of the pool's GPUs (None: not set)."""

    def __call__(self) -> None:
        import pulumi_gcp.compute as compute
        import pulumi_gcp.container as container
        import pulumi_gcp.lustre as lustre

        main = compute.Network("main", auto_create_subnetworks=False)
        addons = container.ClusterAddonsConfigArgs(
            lustre_csi_driver_config=container.ClusterAddonsConfigLustreCsiDriverConfigArgs(enabled=True),
        ) if self.runtime and self.lustre else None
        cluster = container.Cluster("train", location="us-central1", initial_node_count=1,
                                    remove_default_node_pool=True, network=main.id, addons_config=addons)
        networks = [compute.Network(f"gpu-{i}", auto_create_subnetworks=False) for i in range(self.vpcs)]
        nic_configs = [container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(
            network=networks[i % len(networks)].name, subnetwork=f"gpu-{i}") for i in range(self.gpu_nics)] \
            if networks else []
        machine: Any = unknown(self.machine_type, main.id) if self.unknown_machine_type else self.machine_type
        topology: Any = unknown(self.tpu_topology, main.id) if self.unknown_topology else self.tpu_topology
        placement = None
        if self.placement is not None or self.tpu_topology is not None:
            placement = container.NodePoolPlacementPolicyArgs(type=self.placement or "COMPACT",
                                                              tpu_topology=topology)
        node_config = dict(self.extra_node_config)
        accelerator = GKE_ACCELERATORS.get(self.machine_type)
        if accelerator and self.gpu_driver and "guest_accelerators" not in node_config:
            node_config["guest_accelerators"] = [container.NodePoolNodeConfigGuestAcceleratorArgs(
                type=accelerator[0], count=accelerator[1],
                gpu_driver_installation_config=container.NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs(
                    gpu_driver_version=self.gpu_driver))]
        container.NodePool(
            "gpu", cluster=cluster.name, location="us-central1", node_locations=list(self.node_locations),
            autoscaling=container.NodePoolAutoscalingArgs(total_min_node_count=self.min_nodes,
                                                          total_max_node_count=self.max_nodes),
            node_config=container.NodePoolNodeConfigArgs(
                machine_type=machine, labels={PURPOSE: self.purpose} if self.purpose else {"team": "ml"},
                **node_config),
            network_config=container.NodePoolNetworkConfigArgs(
                additional_node_network_configs=nic_configs,
                enable_private_nodes=unknown(self.private, main.id) if self.unknown_private else self.private),
            placement_policy=placement,
        )
        if self.lustre:
            # Managed Lustre takes its sizes as strings (int64 in the API)
            lustre.Instance("scratch", capacity_gib=str(self.lustre_gib), filesystem="scratch", instance_id="scratch",
                            location=self.lustre_zone, network=main.id,
                            per_unit_storage_throughput=str(self.lustre_mbps_per_tib))
        if self.runtime and self.gpu_nics:
            gke_networks(self.gpu_nics)
            daemonset("nccl-tcpxo-installer", TCPXO_PLUGIN)


def gcp_tpu(**changes: Any) -> Gcp:
    """A v5p slice: 2 hosts × 4 chips = topology 2x2x2, with Managed Lustre."""
    base = Gcp(machine_type="ct5p-hightpu-4t", min_nodes=2, max_nodes=2, gpu_nics=0, vpcs=0, tpu_topology="2x2x2",
               lustre_gib=18000)
    return base.with_(**changes)


ROCE_PROFILE = "projects/p/global/networkProfiles/us-central1-a-vpc-roce"


def gcp_rdma(profile: str | None = ROCE_PROFILE, subnets: int = 8, purpose: str | None = "training",
             machine_type: str = "a3-ultragpu-8g", nics: int = 8, max_nodes: int = 8) -> None:
    """A GKE pool on GPUDirect-RDMA (A3 Ultra; A4, A4X): ``nics`` RDMA NICs on ONE VPC with the RoCE network
    profile, spread over ``subnets`` subnets, plus the second gVNIC on a regular VPC."""
    import pulumi_gcp.compute as compute
    import pulumi_gcp.container as container

    main = compute.Network("main", auto_create_subnetworks=False)
    cluster = container.Cluster("train", location="us-central1", initial_node_count=1,
                                remove_default_node_pool=True, network=main.id)
    gvnic = compute.Network("gvnic-1", auto_create_subnetworks=False)
    gvnic_sub = compute.Subnetwork("gvnic-1-sub", network=gvnic.id, ip_cidr_range="192.168.0.0/24",
                                   region="us-central1")
    rdma = compute.Network("rdma", auto_create_subnetworks=False, mtu=8896, network_profile=profile)
    rdma_subs = [compute.Subnetwork(f"rdma-sub-{i}", network=rdma.id, ip_cidr_range=f"192.168.{i + 1}.0/24",
                                    region="us-central1") for i in range(subnets)]
    configs = [container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(network=gvnic.name,
                                                                              subnetwork=gvnic_sub.name)]
    configs += [container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(
        network=rdma.name, subnetwork=rdma_subs[i % subnets].name) for i in range(nics)]
    container.NodePool(
        "ultra", cluster=cluster.name, location="us-central1", node_locations=["us-central1-a"],
        autoscaling=container.NodePoolAutoscalingArgs(total_min_node_count=0, total_max_node_count=max_nodes),
        node_config=container.NodePoolNodeConfigArgs(machine_type=machine_type,
                                                     labels={PURPOSE: purpose} if purpose else {}),
        network_config=container.NodePoolNetworkConfigArgs(additional_node_network_configs=configs,
                                                           enable_private_nodes=True),
        placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT"),
    )


@dataclass(frozen=True)
class Azure(_Knobs):
    """AKS cluster, an ND H100 v5 agent pool, Azure Managed Lustre."""

    vm_size: str = "Standard_ND96isr_H100_v5"
    min_nodes: int = 0
    max_nodes: int = 16
    zones: tuple[str, ...] = ("1",)
    purpose: str | None = "training"
    public_ip: bool = False
    aml: bool = True
    aml_zone: str = "1"
    aml_tib: int = 64
    aml_sku: str = "AMLFS-Durable-Premium-500"
    unknown_max_nodes: bool = False
    runtime: bool = True

    def __call__(self) -> None:
        from pulumi_azure_native import containerservice, storagecache

        cluster = containerservice.ManagedCluster("train", resource_group_name="ml", location="eastus",
                                                  dns_prefix="train")
        maximum: Any = unknown(self.max_nodes, cluster.id) if self.unknown_max_nodes else self.max_nodes
        containerservice.AgentPool(
            "gpu", resource_group_name="ml", resource_name_=cluster.name, vm_size=self.vm_size,
            enable_auto_scaling=True, count=self.min_nodes, min_count=self.min_nodes, max_count=maximum,
            availability_zones=list(self.zones), enable_node_public_ip=self.public_ip,
            node_labels={PURPOSE: self.purpose} if self.purpose else {"team": "ml"},
        )
        if self.aml:
            storagecache.AmlFilesystem(
                "scratch", resource_group_name="ml", location="eastus", sku=storagecache.SkuNameArgs(name=self.aml_sku),
                storage_capacity_ti_b=float(self.aml_tib), zones=[self.aml_zone], filesystem_subnet="subnet-id",
                maintenance_window=storagecache.AmlFilesystemMaintenanceWindowArgs(
                    day_of_week=storagecache.MaintenanceDayOfWeekType.SUNDAY, time_of_day_utc="02:00"))
        if self.runtime:
            device_plugin()
            helm("net", "network-operator", "https://helm.ngc.nvidia.com/nvidia")
            nic_cluster_policy()
            if self.aml:
                helm("csi", "azurelustre-csi-driver")
