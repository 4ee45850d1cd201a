"""accelerator-runtime on hand-written programs (plain provider resources and pulumi_kubernetes, no
``components``): passing, failing and cannot-verify, at mandatory level through the policy config."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from policy_programs import (
    ON_GPU_POOLS,
    Aws,
    Azure,
    Gcp,
    daemonset,
    device_plugin,
    gke_networks,
    helm,
    nic_cluster_policy,
    unknown,
)
from policy_verdict import Judge

POLICY = "accelerator-runtime"
MANDATORY = {POLICY: {"enforcementLevel": "mandatory"}}
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"


class ClusterStack(pulumi.ComponentResource):
    """Stands in for ``pulumi_labs_nvidia_aicr.ClusterStack``: the pack sees its type and inputs only."""

    def __init__(self, name: str, **inputs: Any) -> None:
        super().__init__("nvidia-aicr:index:ClusterStack", name, inputs)


def with_(base: Callable[[], None], *extras: Callable[[], None]) -> Callable[[], None]:
    def program() -> None:
        base()
        for extra in extras:
            extra()
    return program


def test_eks_with_device_plugin_and_efa_plugin_passes(judge: Judge) -> None:
    program = with_(Aws(fs=False, runtime=False), device_plugin,
                    lambda: helm("efa", "eks/aws-efa-k8s-device-plugin", "https://aws.github.io/eks-charts"))
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == [] and verdict.cannot_verify(POLICY) == []


def test_eks_without_efa_plugin_is_blocked_at_mandatory(judge: Judge) -> None:
    verdict = judge(with_(Aws(fs=False, runtime=False), device_plugin), MANDATORY)
    found = verdict.only_violation(POLICY)
    assert found.level == "mandatory" and found.urn == verdict.urn(NODE_GROUP)
    assert "EFA device plugin" in found.detail and "vpc.amazonaws.com/efa" in found.detail
    assert "16 × p5.48xlarge (128" in found.detail


def test_eks_without_any_runtime_is_blocked_for_gpus_and_fabric(judge: Judge) -> None:
    verdict = judge(Aws(fs=False, runtime=False), MANDATORY)
    details = [d.detail for d in verdict.violations(POLICY)]
    assert len(details) == 2
    assert any("nvidia.com/gpu" in d for d in details) and any("EFA" in d for d in details)


def test_advisory_by_default(judge: Judge) -> None:
    verdict = judge(Aws(fs=False, runtime=False))
    assert {d.level for d in verdict.violations(POLICY)} == {"advisory"}


def test_gke_pool_with_driver_installation_disabled_needs_the_gpu_operator(judge: Judge) -> None:
    base = Gcp(lustre=False, gpu_driver="INSTALLATION_DISABLED")
    assert "GPU driver" in judge(base, MANDATORY).only_violation(POLICY).detail
    with_operator = with_(base, lambda: helm("op", "gpu-operator", "https://helm.ngc.nvidia.com/nvidia"))
    assert judge(with_operator, MANDATORY).violations(POLICY) == []


def test_device_plugin_as_daemonset_image_counts(judge: Judge) -> None:
    program = with_(Aws(fs=False, runtime=False, max_nodes=1),
                    lambda: daemonset("dp", "nvcr.io/nvidia/k8s-device-plugin:v0.18.0"))
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == [] and verdict.cannot_verify(POLICY) == []


def test_plain_ami_needs_the_gpu_operator(judge: Judge) -> None:
    base = Aws(fs=False, runtime=False, max_nodes=1, ami_type="AL2023_x86_64_STANDARD")
    blocked = judge(with_(base, device_plugin), MANDATORY)
    assert "GPU driver" in blocked.only_violation(POLICY).detail
    passed = judge(with_(base, lambda: helm("gpu", "gpu-operator", "https://helm.ngc.nvidia.com/nvidia")), MANDATORY)
    assert passed.violations(POLICY) == []


def test_unknown_chart_cannot_be_verified(judge: Judge) -> None:
    def program() -> None:
        Aws(fs=False, runtime=False)()
        anchor = k8s.core.v1.Namespace("ns")
        helm("mystery", unknown("aws-efa-k8s-device-plugin", anchor.id))
        device_plugin()
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == []
    assert any("chart is unknown" in d.detail for d in verdict.cannot_verify(POLICY))


def test_aicr_cluster_stack_provides_gpu_runtime_and_efa_on_eks(judge: Judge) -> None:
    program = with_(Aws(fs=False, runtime=False), lambda: ClusterStack("aicr", accelerator="h100", service="eks",
                                                        intent="training"))
    assert judge(program, MANDATORY).violations(POLICY) == []
    skipped = with_(Aws(fs=False, runtime=False), lambda: ClusterStack("aicr", accelerator="h100", service="eks",
                                                        intent="training", skipComponents=["aws-efa"]))
    assert "EFA device plugin" in judge(skipped, MANDATORY).only_violation(POLICY).detail


TCPXO = "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.14"


def test_gke_a3mega_with_network_objects_and_tcpxo_installer_passes(judge: Judge) -> None:
    program = with_(Gcp(lustre=False, runtime=False), lambda: gke_networks(8),
                    lambda: daemonset("nccl", TCPXO))
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == [] and verdict.cannot_verify(POLICY) == []


def test_gke_a3mega_with_too_few_network_objects_is_blocked(judge: Judge) -> None:
    program = with_(Gcp(lustre=False, runtime=False), lambda: gke_networks(4),
                    lambda: daemonset("nccl", TCPXO))
    found = judge(program, MANDATORY).only_violation(POLICY)
    assert "4 networking.gke.io/v1 Network objects of type Device for 8 GPU NICs" in found.detail


def test_gke_tcpx_installer_does_not_serve_tcpxo(judge: Judge) -> None:
    tcpx = "us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx-dev:v3.1.9"
    program = with_(Gcp(lustre=False, runtime=False), lambda: gke_networks(8),
                    lambda: daemonset("nccl", tcpx))
    assert "TCPXO" in judge(program, MANDATORY).only_violation(POLICY).detail


def test_gke_pool_without_driver_setting_cannot_be_verified(judge: Judge) -> None:
    program = with_(Gcp(lustre=False, runtime=False, gpu_driver=None), lambda: gke_networks(8),
                    lambda: daemonset("nccl", TCPXO))
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == []
    assert any("NVIDIA driver is unknown" in d.detail for d in verdict.cannot_verify(POLICY))


def test_aks_nd_pool_needs_an_rdma_device_plugin(judge: Judge) -> None:
    base = Azure(aml=False, runtime=False)
    blocked = judge(with_(base, device_plugin), MANDATORY)
    assert "RDMA device plugin" in blocked.only_violation(POLICY).detail
    operator_only = judge(with_(base, device_plugin,
                                lambda: helm("net", "network-operator")), MANDATORY)
    assert "no NicClusterPolicy exposes the InfiniBand HCAs" in operator_only.only_violation(POLICY).detail
    passed = judge(with_(base, device_plugin, lambda: helm("net", "network-operator"),
                         nic_cluster_policy), MANDATORY)
    assert passed.violations(POLICY) == [] and passed.cannot_verify(POLICY) == []
    plugin_daemonset = judge(with_(base, device_plugin,
                                   lambda: daemonset("rdma", "ghcr.io/mellanox/k8s-rdma-shared-dev-plugin:v1.5.2")),
                             MANDATORY)
    assert plugin_daemonset.violations(POLICY) == []


def test_two_clusters_make_a_kubernetes_install_ambiguous(judge: Judge) -> None:
    def program() -> None:
        Azure(aml=False, runtime=False)()
        from pulumi_azure_native import containerservice
        containerservice.ManagedCluster("other", resource_group_name="ml", location="eastus", dns_prefix="other")
        device_plugin()
        helm("net", "network-operator")
        nic_cluster_policy()
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == []
    assert any("2 Kubernetes clusters" in d.detail for d in verdict.cannot_verify(POLICY))


def test_an_undecided_csi_addon_does_not_hide_a_missing_efa_plugin(judge: Judge) -> None:
    from pulumi_aws import eks

    def program() -> None:
        Aws(fs=False, runtime=False)()
        device_plugin()
        anchor = eks.Addon("cni", cluster_name="train", addon_name="vpc-cni")
        eks.Addon("maybe", cluster_name="train", addon_name=unknown("aws-fsx-csi-driver", anchor.id))
    verdict = judge(program, MANDATORY)
    assert "EFA device plugin" in verdict.only_violation(POLICY).detail  # an EKS add-on name gives no EFA plugin
    assert verdict.cannot_verify(POLICY) == []


def test_bottlerocket_nvidia_ami_runs_the_device_plugin_itself(judge: Judge) -> None:
    program = Aws(fs=False, runtime=False, max_nodes=1, ami_type="BOTTLEROCKET_x86_64_NVIDIA")
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == [] and verdict.cannot_verify(POLICY) == []


def test_trainium_pool_needs_the_neuron_device_plugin(judge: Judge) -> None:
    base = Aws(fs=False, runtime=False, max_nodes=1, instance_type="trn1.32xlarge", efa_interfaces=8,
               ami_type="AL2023_x86_64_NEURON")
    assert "aws.amazon.com/neuron" in judge(base, MANDATORY).only_violation(POLICY).detail
    with_plugin = with_(base, lambda: helm("neuron", "oci://public.ecr.aws/neuron/neuron-helm-chart"))
    assert judge(with_plugin, MANDATORY).violations(POLICY) == []


def test_helm_v4_chart_counts_by_its_chart_name(judge: Judge) -> None:
    def chart() -> None:
        k8s.helm.v4.Chart("dp", chart="nvidia-device-plugin", version="0.18.0", values=ON_GPU_POOLS,
                          repository_opts=k8s.helm.v4.RepositoryOptsArgs(repo="https://nvidia.github.io/k8s-device-plugin"))
    verdict = judge(with_(Aws(fs=False, runtime=False, max_nodes=1), chart), MANDATORY)
    assert verdict.violations(POLICY) == [] and verdict.cannot_verify(POLICY) == []


# Landing: a device plugin that exists but schedules on none of the pool's nodes gives the pool nothing.
# NVIDIA device plugin chart 0.18.0's default affinity wants NFD/GFD labels (pci-10de.present=true,
# cpu-model.vendor_id=NVIDIA or nvidia.com/gpu.present=true); AKS nodes carry none of them without NFD.

def test_aks_device_plugin_left_on_its_chart_defaults_is_flagged(judge: Judge) -> None:
    base = Azure(aml=False, runtime=False, purpose="inference")  # no InfiniBand need: only the device plugin
    verdict = judge(with_(base, lambda: helm("gpu", "nvidia-device-plugin")), MANDATORY)
    found = verdict.only_violation(POLICY)
    assert "will not schedule on its nodes" in found.detail
    assert "pci-10de.present" in found.detail and "backbone.dev/pool" in found.detail
    placed = judge(with_(base, device_plugin), MANDATORY)  # the control: values that name the pool's labels
    assert placed.violations(POLICY) == [] and placed.cannot_verify(POLICY) == []


def test_node_feature_discovery_makes_the_chart_defaults_land(judge: Judge) -> None:
    base = Azure(aml=False, runtime=False, purpose="inference")
    program = with_(base, lambda: helm("gpu", "nvidia-device-plugin"),
                    lambda: helm("nfd", "node-feature-discovery", "https://kubernetes-sigs.github.io/node-feature-discovery/charts"))
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == [] and verdict.cannot_verify(POLICY) == []


def test_eks_device_plugin_on_chart_defaults_cannot_be_verified(judge: Judge) -> None:
    # EKS AL2023 NVIDIA nodes carry nvidia.com/gpu.present only from Kubernetes 1.35: not certain, not absent.
    verdict = judge(with_(Aws(fs=False, runtime=False, purpose="inference"),
                          lambda: helm("gpu", "nvidia-device-plugin")), MANDATORY)
    assert verdict.violations(POLICY) == []
    assert any("schedules on its nodes is unknown" in d.detail for d in verdict.cannot_verify(POLICY))


def test_a_device_plugin_that_does_not_tolerate_the_spot_taint_is_flagged(judge: Judge) -> None:
    def program() -> None:
        from pulumi_azure_native import containerservice

        cluster = containerservice.ManagedCluster("serve", resource_group_name="ml", location="eastus",
                                                  dns_prefix="serve")
        containerservice.AgentPool("spot", resource_group_name="ml", resource_name_=cluster.name,
                                   vm_size="Standard_NC24ads_A100_v4", enable_auto_scaling=True, count=0, min_count=0,
                                   max_count=4, scale_set_priority="Spot", node_labels={"team": "ml"})
        on_team = {"matchExpressions": [{"key": "team", "operator": "In", "values": ["ml"]}]}
        helm("gpu", "nvidia-device-plugin", values={"affinity": {"nodeAffinity": {  # the chart's default tolerations
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [on_team]}}}})
    found = judge(program, MANDATORY).only_violation(POLICY)
    assert "kubernetes.azure.com/scalesetpriority=spot:NoSchedule" in found.detail


def test_a_device_plugin_daemonset_whose_selector_misses_the_pool_is_flagged(judge: Judge) -> None:
    def program() -> None:
        Aws(fs=False, runtime=False, max_nodes=1)()
        labels = {"app": "dp"}
        k8s.apps.v1.DaemonSet("dp", spec=k8s.apps.v1.DaemonSetSpecArgs(
            selector=k8s.meta.v1.LabelSelectorArgs(match_labels=labels),
            template=k8s.core.v1.PodTemplateSpecArgs(
                metadata=k8s.meta.v1.ObjectMetaArgs(labels=labels),
                spec=k8s.core.v1.PodSpecArgs(
                    node_selector={"accelerator": "a100"},
                    containers=[k8s.core.v1.ContainerArgs(name="dp",
                                                          image="nvcr.io/nvidia/k8s-device-plugin:v0.18.0")]))))
    found = judge(program, MANDATORY).only_violation(POLICY)
    assert "accelerator=a100" in found.detail and "nvidia.com/gpu" in found.detail
