"""accelerator-runtime and storage-mount judged in this process (the protocol cases stay in
test_runtime_accelerator.py and test_runtime_storage.py): each need met, missing, short, installed where it cannot
schedule, undecided, or in a stack of several clusters. Hand-written programs only.

Public facts (read 2026-12-07): pods request GPUs as nvidia.com/gpu through the NVIDIA device plugin, which EKS's
NVIDIA AMIs and AKS do not run for you and GKE does (docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-
plugin.html, learn.microsoft.com/azure/aks/gpu-cluster, cloud.google.com/kubernetes-engine/docs/how-to/gpus); EFA as
vpc.amazonaws.com/efa through the aws-efa-k8s-device-plugin chart (docs.aws.amazon.com/eks/latest/userguide/
node-efa.html); Trainium as aws.amazon.com/neuron through the Neuron device plugin (awsdocs-neuron); GPUDirect-TCPXO
pods attach one GKE Network of type Device per GPU NIC, 8 on a3-megagpu-8g (cloud.google.com/kubernetes-engine/docs/
how-to/gpu-bandwidth-gpudirect-tcpx); InfiniBand pods get the HCAs from the Network Operator's NicClusterPolicy (RDMA
shared device plugin, docs.nvidia.com/networking/display/cokan); FSx for Lustre mounts through the aws-fsx-csi-driver
add-on, Managed Lustre through GKE's lustreCsiDriverConfig, Azure Managed Lustre through azurelustre-csi-driver."""

from __future__ import annotations

from typing import Any

import pytest
from direct import judge
from policy_programs import TCPXO_PLUGIN, Aws, Azure, Gcp, daemonset, device_plugin, gke_networks, helm, unknown

LAYER = "or keep Backbone's runtime layer on (backbone:cluster runtime: true)"
TCP = "NCCL falls back to TCP (about 4 GB/s instead of the fabric's bandwidth)"
P5_16 = "pool gpu (aws:eks/nodeGroup:NodeGroup) (16 × p5.48xlarge (128 nvidia-h100-80gb))"
DEVICE_PLUGIN = ("nothing in the stack provides the NVIDIA device plugin (or the GPU Operator): pods cannot request "
                 f"nvidia.com/gpu. Install the nvidia-device-plugin chart or the NVIDIA GPU Operator, {LAYER}")


@pytest.mark.parametrize("program", [Aws(), Gcp(), Azure(), Aws().with_(max_nodes=1, efa_interfaces=0)],
                         ids=["eks", "gke", "aks", "one-node"])
def test_a_stack_with_its_runtime_passes(program: Any) -> None:
    assert judge(program, "accelerator-runtime").passed
    assert judge(program, "storage-mount").passed


def test_eks_without_device_plugins_misses_the_gpu_and_efa_plugins() -> None:
    judged = judge(Aws().with_(runtime=False), "accelerator-runtime")
    assert judged.cannot_verify is None
    assert judged.violations == [
        ("gpu", f"{P5_16}: {DEVICE_PLUGIN}"),
        ("gpu", "training pool gpu (aws:eks/nodeGroup:NodeGroup) spans up to 16 × p5.48xlarge (128 nvidia-h100-80gb) "
                "on EFA (AWS's Elastic Fabric Adapter): nothing in the stack provides the EFA device plugin: pods "
                f"cannot request vpc.amazonaws.com/efa and {TCP}. Install the aws-efa-k8s-device-plugin chart "
                f"(https://aws.github.io/eks-charts), {LAYER}"),
    ]


def test_one_node_needs_no_fabric_plugin() -> None:
    judged = judge(Aws().with_(runtime=False, max_nodes=1), "accelerator-runtime")
    assert judged.violations == [("gpu", f"pool gpu (aws:eks/nodeGroup:NodeGroup) (1 × p5.48xlarge (8 "
                                         f"nvidia-h100-80gb)): {DEVICE_PLUGIN}")]


def test_a_node_image_without_a_driver_needs_the_gpu_operator() -> None:
    resource, message = judge(Aws().with_(ami_type="CUSTOM"), "accelerator-runtime").only_violation()
    assert resource == "gpu"
    assert message == (f"{P5_16} has no GPU driver from its node image or service: nothing in the stack provides the "
                       f"NVIDIA GPU Operator (the node image has no driver): no pod can use its GPUs. Install the "
                       f"NVIDIA GPU Operator (it installs the driver), {LAYER}")


def test_gke_without_a_driver_installation_cannot_verify_the_driver() -> None:
    judged = judge(Gcp().with_(gpu_driver=None), "accelerator-runtime")
    assert judged.violations == []
    assert judged.cannot_verify == (
        "pool gpu (gcp:container/nodePool:NodePool) (16 × a3-megagpu-8g (128 nvidia-h100-80gb)): whether its node "
        "image or service installs the NVIDIA driver is unknown (the pool sets no AMI type / driver installation, or "
        "it is unknown)")


def test_trainium_needs_the_neuron_device_plugin() -> None:
    resource, message = judge(Aws().with_(instance_type="trn1.32xlarge", efa_interfaces=8),
                              "accelerator-runtime").only_violation()
    assert resource == "gpu"
    assert message == ("pool gpu (aws:eks/nodeGroup:NodeGroup) (16 × trn1.32xlarge (256 aws-trainium)): nothing in "
                       "the stack provides the Neuron device plugin: pods cannot request aws.amazon.com/neuron. "
                       "Install the Neuron device plugin (oci://public.ecr.aws/neuron/neuron-helm-chart), " + LAYER)


A3 = ("training pool gpu (gcp:container/nodePool:NodePool) spans up to 16 × a3-megagpu-8g (128 nvidia-h100-80gb) on "
      "GPUDirect-TCPXO (Google's GPU-to-GPU networking over extra NICs, one VPC each)")
GKE_FIX = ("Create one GKENetworkParamSet and Network per GPU NIC network and install the NCCL plugin installer "
           f"DaemonSet (or DRANET), {LAYER}")


def gke_with_4_of_8_networks() -> None:
    Gcp().with_(runtime=False)()
    gke_networks(4)
    daemonset("nccl-tcpxo-installer", TCPXO_PLUGIN)


@pytest.mark.parametrize("program, have", [(Gcp().with_(runtime=False), 0), (gke_with_4_of_8_networks, 4)],
                         ids=["none", "4-of-8"])
def test_gke_needs_a_device_network_per_gpu_nic(program: Any, have: int) -> None:
    resource, message = judge(program, "accelerator-runtime").only_violation()
    assert resource == "gpu"
    assert message == (f"{A3}: {have} networking.gke.io/v1 Network objects of type Device for 8 GPU NICs per node: "
                       f"pods cannot attach the GPU NICs and {TCP}. {GKE_FIX}")


ND = "training pool gpu (azure-native:containerservice:AgentPool) spans up to 16 × Standard_ND96isr_H100_v5 (128 " \
     "nvidia-h100-80gb) on InfiniBand"
IB_FIX = ("Install the NVIDIA Network Operator with a NicClusterPolicy that deploys the RDMA shared device plugin (or "
          f"deploy the plugin yourself), {LAYER}")


def aks_with_the_operator_but_no_policy() -> None:
    Azure().with_(runtime=False)()
    device_plugin()
    helm("net", "network-operator", "https://helm.ngc.nvidia.com/nvidia")


def test_aks_without_plugins_misses_the_gpu_and_infiniband_plugins() -> None:
    judged = judge(Azure().with_(runtime=False), "accelerator-runtime")
    assert judged.violations == [
        ("gpu", "pool gpu (azure-native:containerservice:AgentPool) (16 × Standard_ND96isr_H100_v5 (128 "
                f"nvidia-h100-80gb)): {DEVICE_PLUGIN}"),
        ("gpu", f"{ND}: nothing in the stack provides an RDMA device plugin (a Network Operator NicClusterPolicy, or "
                f"the RDMA shared device plugin): pods cannot use the InfiniBand devices and {TCP}. {IB_FIX}"),
    ]


def test_the_network_operator_without_a_nic_cluster_policy_is_short() -> None:
    resource, message = judge(aks_with_the_operator_but_no_policy, "accelerator-runtime").only_violation()
    assert resource == "gpu"
    assert message == (f"{ND}: Helm chart network-operator (kubernetes:helm.sh/v3:Release net) is installed but no "
                       f"NicClusterPolicy exposes the InfiniBand HCAs to pods: pods cannot use the InfiniBand devices "
                       f"and {TCP}. {IB_FIX}")


def test_an_unknown_node_count_cannot_verify_the_fabric_but_still_needs_the_device_plugin() -> None:
    judged = judge(Azure().with_(runtime=False, unknown_max_nodes=True), "accelerator-runtime")
    assert judged.violations == [("gpu", "pool gpu (azure-native:containerservice:AgentPool) (an unknown number of "
                                         f"Standard_ND96isr_H100_v5 nodes): {DEVICE_PLUGIN}")]
    assert judged.cannot_verify == ("pool gpu (azure-native:containerservice:AgentPool): whether it trains across "
                                    "nodes is unknown (maxCount)")


def test_an_unknown_instance_type_cannot_verify_what_runtime_it_needs() -> None:
    judged = judge(Aws().with_(unknown_instance_type=True), "accelerator-runtime")
    assert judged.violations == []
    assert judged.cannot_verify == ("pool gpu (aws:eks/nodeGroup:NodeGroup): what runtime it needs is unknown "
                                    "(train.instanceType (launch template))")


# --- where the provider lands, and in which cluster -----------------------------------------------------------

ONE_P5 = "pool gpu (aws:eks/nodeGroup:NodeGroup) (1 × p5.48xlarge (8 nvidia-h100-80gb))"
PLUGIN = "Helm chart nvidia-device-plugin (kubernetes:helm.sh/v3:Release gpu)"


def plugin_on_other_nodes() -> None:
    Aws().with_(runtime=False, efa_interfaces=0, max_nodes=1)()
    helm("gpu", "nvidia-device-plugin", values={"nodeSelector": {"team": "web"}})


def plugin_placed_by_an_unknown_selector() -> None:
    from pulumi_aws import ec2

    Aws().with_(runtime=False, efa_interfaces=0, max_nodes=1)()
    later = ec2.Vpc("later", cidr_block="10.1.0.0/16")
    helm("gpu", "nvidia-device-plugin", values={"nodeSelector": unknown({"team": "ml"}, later.id)})


def two_clusters() -> None:
    from pulumi_aws import eks

    Aws().with_(efa_interfaces=0, max_nodes=1)()
    for name in ("a", "b"):
        eks.Cluster(name, role_arn="arn:aws:iam::123456789012:role/c", vpc_config={"subnet_ids": ["subnet-1"]})


def test_a_plugin_that_cannot_schedule_on_the_pool_blocks() -> None:
    resource, message = judge(plugin_on_other_nodes, "accelerator-runtime").only_violation()
    assert resource == "gpu"
    assert message.startswith(f"{ONE_P5}: {PLUGIN} is installed but will not schedule on its nodes: ")
    assert "wants team=web or " in message and "which the pool's nodes do not carry: pods cannot request " \
                                               "nvidia.com/gpu. Set the release's affinity/nodeSelector" in message


def test_a_plugin_placed_by_an_unknown_selector_cannot_verify() -> None:
    judged = judge(plugin_placed_by_an_unknown_selector, "accelerator-runtime")
    assert judged.violations == []
    assert judged.cannot_verify == (f"{ONE_P5}: whether {PLUGIN} schedules on its nodes is unknown: its node "
                                    f"selector, affinity or tolerations are unknown")


def test_a_plugin_in_a_stack_of_two_clusters_cannot_verify() -> None:
    judged = judge(two_clusters, "accelerator-runtime")
    assert judged.violations == []
    assert judged.cannot_verify == (
        f"{ONE_P5}: the NVIDIA device plugin (or the GPU Operator) comes from {PLUGIN}, but the stack has 2 Kubernetes "
        f"clusters and the pack does not follow which one it installs into")


# --- storage-mount --------------------------------------------------------------------------------------------

MOUNT = "no pod can mount it, so the accelerators it should feed read nothing from it. To fix: "


@pytest.mark.parametrize("program, fs, driver, fix", [
    (Aws().with_(runtime=False), "aws:fsx/lustreFileSystem:LustreFileSystem, 48 TiB of lustre at 500 MB/s/TiB = "
     "24,000 MB/s", "the FSx for Lustre CSI driver", "add the EKS add-on aws-fsx-csi-driver (or its Helm chart)"),
    (Gcp().with_(runtime=False), "gcp:lustre/instance:Instance, 36 TiB of lustre at 1,000 MB/s/TiB = 36,000 MB/s",
     "GKE's Managed Lustre CSI driver", "enable addonsConfig.lustreCsiDriverConfig on the GKE cluster"),
    (Azure().with_(runtime=False), "azure-native:storagecache:AmlFilesystem, 64 TiB of lustre at 500 MB/s/TiB = "
     "32,000 MB/s", "the Azure Lustre CSI driver",
     "install the Azure Lustre CSI driver (kubernetes-sigs/azurelustre-csi-driver deploy/)"),
], ids=["fsx", "managed-lustre", "amlfs"])
def test_a_file_system_without_its_csi_driver_blocks(program: Any, fs: str, driver: str, fix: str) -> None:
    # each service's own TiB (FSx and Managed Lustre: 1,000 GiB): 48,000 GiB = 48 TiB; 36,000 GiB = 36 TiB
    resource, message = judge(program, "storage-mount").only_violation()
    assert resource == "scratch"
    assert message == f"file system scratch ({fs}): nothing in the stack provides {driver}: {MOUNT}{fix}, {LAYER}"
