"""accelerator-runtime judged in this process on hand-built pools and runtimes (no preview): which pool needs which
device and fabric plugin, what the platform provides itself, what a pool of no accelerator or of an unknown type
needs, and the GKE GPU NIC networks counted against the NICs of a node.

Public facts (read 2026-12-07): EKS runs no NVIDIA device plugin itself except on Bottlerocket NVIDIA AMIs
(docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html); GKE installs it on GPU nodes
(cloud.google.com/kubernetes-engine/docs/how-to/gpus); p5.48xlarge attaches EFA (aws.amazon.com/hpc/efa); a3-megagpu-8g
has 8 GPU NICs for GPUDirect-TCPXO, a3-highgpu-8g 4 for TCPX, a3-ultragpu-8g 8 for GPUDirect-RDMA
(cloud.google.com/compute/docs/gpus/gpu-network-bandwidth); TPUs talk over ICI, which needs no plugin."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hand_pools import CATALOG, pool

from backbone.policies.inventory import UNKNOWN, Inventory
from backbone.policies.inventory.runtime import (
    DEVICE_PLUGIN,
    DRANET,
    EFA_PLUGIN,
    GPU_DRIVER,
    NCCL_RDMA,
    NCCL_TCPXO,
    Provision,
    Runtime,
)
from backbone.policies.rules.accelerator_runtime import AcceleratorRuntime

RULE = AcceleratorRuntime()
LAYER = "or keep Backbone's runtime layer on (backbone:cluster runtime: true)"
TCP = "NCCL falls back to TCP (about 4 GB/s instead of the fabric's bandwidth)"
GKE = "gcp:container/nodePool:NodePool"


def provides(*capabilities: str, **more: Any) -> Runtime:
    return Runtime(provisions=[Provision(c, f"urn:{c}", f"Helm release {c}") for c in capabilities], clusters=1,
                   **more)


EVERYTHING_EKS = (DEVICE_PLUGIN, GPU_DRIVER, EFA_PLUGIN)


def found(pools: list[Any], runtime: Runtime) -> list[tuple[str, str, str]]:
    return [(type(f).__name__, f.urn.rsplit("::", 1)[-1], f.message)
            for f in RULE.check(Inventory(pools=pools, runtime=runtime), {})]


def row(instance_type: str) -> Any:
    listed = CATALOG.find(instance_type)
    assert listed is not None
    return listed


def gke(name: str, instance_type: str, **changes: Any) -> Any:
    changes = {"instance": CATALOG.find(instance_type), **changes}
    return pool(name=name, urn=f"urn:pulumi:s::p::{GKE}::{name}", cloud="gcp", resource_type=GKE,
                instance_type=instance_type, **changes)


def test_an_eks_pool_with_its_plugins_and_driver_passes() -> None:
    assert found([pool()], provides(*EVERYTHING_EKS)) == []


def test_an_unknown_type_cannot_verify_and_the_next_pool_is_still_judged() -> None:
    unknown = pool(name="x", urn="urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::x", instance_type=UNKNOWN,
                   instance=None, unknown_inputs={"instance_type": "launchTemplate.id"})
    got = found([unknown, pool()], provides(GPU_DRIVER, EFA_PLUGIN))
    assert got == [
        ("Unverifiable", "x", "pool x (aws:eks/nodeGroup:NodeGroup): what runtime it needs is unknown "
                              "(launchTemplate.id)"),
        ("Violation", "gpu", "pool gpu (aws:eks/nodeGroup:NodeGroup) (16 × p5.48xlarge (128 nvidia-h100-80gb)): "
                             "nothing in the stack provides the NVIDIA device plugin (or the GPU Operator): pods "
                             "cannot request nvidia.com/gpu. Install the nvidia-device-plugin chart or the NVIDIA GPU "
                             f"Operator, {LAYER}"),
    ]


def test_a_type_the_catalog_does_not_know_needs_nothing_here() -> None:
    """known-accelerator says so; this rule cannot know what it needs."""
    assert found([pool(instance_type="p9.made-up", instance=None)], Runtime()) == []


def test_an_accelerator_the_catalog_does_not_describe_needs_no_plugin() -> None:
    made_up = replace(row("p5.48xlarge"), accelerator="made-up-accelerator")
    assert found([pool(instance=made_up, max_nodes=1)], Runtime()) == []


@pytest.mark.parametrize("cloud, needs_plugin", [("aws", True), ("azure", True), ("gcp", False), ("oci", True)])
def test_where_the_platform_runs_the_device_plugin_itself(cloud: str, needs_plugin: bool) -> None:
    """A cloud the table does not list is not assumed to run it."""
    got = found([pool(cloud=cloud, max_nodes=1)], provides(GPU_DRIVER))
    assert [m.split(": ", 1)[1] for _, _, m in got] == (
        ["nothing in the stack provides the NVIDIA device plugin (or the GPU Operator): pods cannot request "
         f"nvidia.com/gpu. Install the nvidia-device-plugin chart or the NVIDIA GPU Operator, {LAYER}"]
        if needs_plugin else [])


def test_a_bottlerocket_nvidia_pool_runs_the_plugin_itself() -> None:
    assert found([pool(max_nodes=1)], provides(GPU_DRIVER, platform_device_plugin={pool().urn})) == []


def test_a_pool_whose_driver_is_not_said_cannot_verify_unless_the_operator_installs_one() -> None:
    assert found([pool(max_nodes=1)], provides(DEVICE_PLUGIN)) == [("Unverifiable", "gpu", (
        "pool gpu (aws:eks/nodeGroup:NodeGroup) (1 × p5.48xlarge (8 nvidia-h100-80gb)): whether its node image or "
        "service installs the NVIDIA driver is unknown (the pool sets no AMI type / driver installation, or it is "
        "unknown)"))]
    assert found([pool(max_nodes=1)], provides(DEVICE_PLUGIN, GPU_DRIVER)) == []


@pytest.mark.parametrize("nodes, needs_efa", [(1, False), (2, True)])
def test_a_training_pool_needs_the_efa_plugin_from_two_nodes(nodes: int, needs_efa: bool) -> None:
    got = found([pool(max_nodes=nodes)], provides(DEVICE_PLUGIN, GPU_DRIVER))
    expected = [("Violation", "gpu", (
        f"training pool gpu (aws:eks/nodeGroup:NodeGroup) spans up to {nodes} × p5.48xlarge ({nodes * 8} "
        "nvidia-h100-80gb) on EFA (AWS's Elastic Fabric Adapter): nothing in the stack provides the EFA device "
        f"plugin: pods cannot request vpc.amazonaws.com/efa and {TCP}. Install the aws-efa-k8s-device-plugin chart "
        f"(https://aws.github.io/eks-charts), {LAYER}"))]
    assert got == (expected if needs_efa else [])


def test_a_serving_pool_needs_no_fabric_plugin() -> None:
    assert found([pool(purpose="inference")], provides(DEVICE_PLUGIN, GPU_DRIVER)) == []


def test_a_pool_without_its_fabric_attached_needs_no_fabric_plugin() -> None:
    from backbone.policies.inventory import FabricCheck

    assert found([pool(fabric=FabricCheck(False, missing=("efa",)))], provides(DEVICE_PLUGIN, GPU_DRIVER)) == []


def test_an_unknown_node_count_cannot_verify_the_fabric() -> None:
    got = found([pool(max_nodes=UNKNOWN, unknown_inputs={"max_nodes": "scalingConfig.maxSize"})],
                provides(DEVICE_PLUGIN, GPU_DRIVER))
    assert got == [("Unverifiable", "gpu", "pool gpu (aws:eks/nodeGroup:NodeGroup): whether it trains across nodes is "
                                           "unknown (scalingConfig.maxSize)")]


def test_no_fabric_to_judge_on_a_type_without_one_or_on_tpus_even_at_an_unknown_size() -> None:
    """g6.xlarge has no accelerator fabric; ct5p-hightpu-4t's ICI needs no plugin (GKE runs the TPU plugin)."""
    unknown = {"max_nodes": UNKNOWN, "unknown_inputs": {"max_nodes": "maxNodeCount"}}
    l4 = pool(instance_type="g6.xlarge", instance=CATALOG.find("g6.xlarge"), **unknown)
    assert found([l4], provides(DEVICE_PLUGIN, GPU_DRIVER)) == []
    assert found([gke("tpu", "ct5p-hightpu-4t", **unknown)], Runtime()) == []


def test_trainium_needs_the_neuron_plugin_and_efa() -> None:
    trn = pool(name="trn", urn="urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::trn", instance_type="trn1.32xlarge",
               instance=CATALOG.find("trn1.32xlarge"), max_nodes=1)
    assert found([trn], Runtime()) == [("Violation", "trn", (
        "pool trn (aws:eks/nodeGroup:NodeGroup) (1 × trn1.32xlarge (16 aws-trainium)): nothing in the stack provides "
        "the Neuron device plugin: pods cannot request aws.amazon.com/neuron. Install the Neuron device plugin "
        f"(oci://public.ecr.aws/neuron/neuron-helm-chart), {LAYER}"))]


def nic_shortfall(name: str, instance_type: str, what: str, have: int, nics: int, fabric: str) -> tuple[str, str, str]:
    accelerator = "nvidia-h200-141gb" if instance_type == "a3-ultragpu-8g" else "nvidia-h100-80gb"
    return ("Violation", name, (
        f"training pool {name} ({GKE}) spans up to 16 × {instance_type} (128 {accelerator}) on {fabric}: "
        f"{have} {what} for {nics} GPU NICs per node: pods cannot attach the GPU NICs and {TCP}. Create one "
        "GKENetworkParamSet and Network per GPU NIC network and install the NCCL plugin installer DaemonSet (or "
        f"DRANET), {LAYER}"))


TCPXO = "GPUDirect-TCPXO (Google's GPU-to-GPU networking over extra NICs, one VPC each)"
RDMA = "GPUDirect-RDMA (Google's RoCE networking between GPUs)"
NETWORKS = "networking.gke.io/v1 Network objects of type Device"
PARAM_SETS = "GKENetworkParamSet objects with deviceMode RDMA"


@pytest.mark.parametrize("networks, param_sets, expected", [
    (8, 0, []),  # a Network per NIC: exactly enough
    (7, 8, [nic_shortfall("mega", "a3-megagpu-8g", NETWORKS, 7, 8, TCPXO)]),  # RDMA param sets do not count
])
def test_tcpxo_counts_device_networks_against_its_nics(networks: int, param_sets: int, expected: list[Any]) -> None:
    runtime = provides(NCCL_TCPXO, GPU_DRIVER, gke_device_networks=networks, gke_rdma_param_sets=param_sets)
    assert found([gke("mega", "a3-megagpu-8g")], runtime) == expected


@pytest.mark.parametrize("networks, param_sets, expected", [
    (0, 8, []),
    (8, 7, [nic_shortfall("ultra", "a3-ultragpu-8g", PARAM_SETS, 7, 8, RDMA)]),  # Device networks do not count
])
def test_rdma_counts_param_sets_against_its_nics(networks: int, param_sets: int, expected: list[Any]) -> None:
    runtime = provides(NCCL_RDMA, GPU_DRIVER, gke_device_networks=networks, gke_rdma_param_sets=param_sets)
    assert found([gke("ultra", "a3-ultragpu-8g")], runtime) == expected


def test_dranet_attaches_the_nics_whatever_the_networks() -> None:
    assert found([gke("mega", "a3-megagpu-8g")], provides(DRANET, GPU_DRIVER)) == []


def test_a_type_whose_nics_the_catalog_lacks_needs_no_network_count() -> None:
    no_nics = replace(row("a3-megagpu-8g"), fabric_nics=None)
    assert found([gke("mega", "a3-megagpu-8g", instance=no_nics)], provides(NCCL_TCPXO, GPU_DRIVER)) == []


# --- the shared judgement of runtime needs (rules.runtime_needs), through accelerator-runtime -------------------

def test_a_need_of_two_capabilities_names_both_when_neither_is_there() -> None:
    got = found([gke("mega", "a3-megagpu-8g")], provides(GPU_DRIVER, gke_device_networks=8))
    assert [m.split(": ", 1)[1] for _, _, m in got] == [
        "nothing in the stack provides the GPUDirect-TCPXO NCCL plugin installer or DRANET: pods cannot attach the "
        f"GPU NICs and {TCP}. Create one GKENetworkParamSet and Network per GPU NIC network and install the NCCL "
        f"plugin installer DaemonSet (or DRANET), {LAYER}"]


def test_a_plugin_whose_placement_is_unknown_cannot_verify_and_the_next_need_is_still_judged() -> None:
    from backbone.policies.inventory.placement import NodeTraits

    runtime = Runtime(provisions=[Provision(DEVICE_PLUGIN, "urn:dp", "Helm release dp", placement=UNKNOWN),
                                  Provision(GPU_DRIVER, "urn:op", "Helm release op")],
                      pool_traits={pool().urn: NodeTraits()}, clusters=1)
    got = found([pool(max_nodes=2)], runtime)
    assert [(kind, at) for kind, at, _ in got] == [("Unverifiable", "gpu"), ("Violation", "gpu")]
    assert got[0][2] == ("pool gpu (aws:eks/nodeGroup:NodeGroup) (2 × p5.48xlarge (16 nvidia-h100-80gb)): whether "
                         "Helm release dp schedules on its nodes is unknown: its node selector, affinity or "
                         "tolerations are unknown")
    assert "nothing in the stack provides the EFA device plugin" in got[1][2]


def test_a_plugin_in_a_stack_of_two_clusters_cannot_verify_on_the_pool() -> None:
    runtime = provides(DEVICE_PLUGIN, GPU_DRIVER)
    runtime.clusters = 2
    assert found([pool(max_nodes=1)], runtime) == [("Unverifiable", "gpu", (
        "pool gpu (aws:eks/nodeGroup:NodeGroup) (1 × p5.48xlarge (8 nvidia-h100-80gb)): the NVIDIA device plugin (or "
        "the GPU Operator) comes from Helm release nvidia-device-plugin, but the stack has 2 Kubernetes clusters and "
        "the pack does not follow which one it installs into"))]


def test_an_undecided_candidate_that_may_provide_it_cannot_verify_one_that_cannot_leaves_it_missing() -> None:
    from backbone.policies.inventory.runtime import Undecided

    maybe = Undecided("urn:chart", "Helm release x", "its chart is unknown", frozenset({EFA_PLUGIN}))
    other = Undecided("urn:csi", "Helm release y", "its chart is unknown", frozenset({"fsx.csi.aws.com"}))
    runtime = provides(DEVICE_PLUGIN, GPU_DRIVER, undecided=[other, maybe])
    assert found([pool(max_nodes=2)], runtime) == [("Unverifiable", "gpu", (
        "training pool gpu (aws:eks/nodeGroup:NodeGroup) spans up to 2 × p5.48xlarge (16 nvidia-h100-80gb) on EFA "
        "(AWS's Elastic Fabric Adapter): the EFA device plugin not found; undecided: Helm release x: its chart is "
        "unknown"))]
    runtime = provides(DEVICE_PLUGIN, GPU_DRIVER, undecided=[other])
    assert [kind for kind, _, _ in found([pool(max_nodes=2)], runtime)] == ["Violation"]
