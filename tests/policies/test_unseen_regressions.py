"""Hand-written regression cases for the pack's wrong verdicts found by the unseen set (tests/policies/unseen/)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from policy_verdict import Judge

PURPOSE = "backbone.dev/purpose"


def aks_pool(profile: str | None, labels: dict[str, str] | None = None) -> Callable[[], None]:
    def program() -> None:
        from pulumi_azure_native import containerservice, resources

        group = resources.ResourceGroup("ml", location="eastus")
        cluster = containerservice.ManagedCluster("aks", resource_group_name=group.name, dns_prefix="aks",
                                                  agent_pool_profiles=[{"name": "system", "count": 1,
                                                                        "vm_size": "Standard_D4s_v5",
                                                                        "mode": "System"}])
        extra = {"gpu_instance_profile": profile} if profile else {}
        containerservice.AgentPool("a100", resource_group_name=group.name, resource_name_=cluster.name, count=3,
                                   vm_size="Standard_ND96asr_v4", mode="User", node_labels=labels, **extra)
    return program


@pytest.mark.parametrize("profile", ["MIG1g", "MIG2g", "MIG7g"])
def test_a_mig_partitioned_infiniband_pool_is_not_taken_for_training(judge: Judge, profile: str) -> None:
    verdict = judge(aks_pool(profile))
    assert verdict.violations("storage-throughput") == []
    assert verdict.violations("interconnect") == []
    assert [d.policy for d in verdict.violations("pool-purpose")] == ["pool-purpose"]  # asked to label it


def test_control_the_same_pool_without_mig_is_training_by_its_infiniband_size(judge: Judge) -> None:
    found = judge(aks_pool(None)).only_violation("storage-throughput")
    assert "24" in found.detail and found.level == "mandatory"


def test_control_a_mig_pool_labelled_training_is_training(judge: Judge) -> None:
    found = judge(aks_pool("MIG2g", {PURPOSE: "training"})).only_violation("storage-throughput")
    assert "24" in found.detail


def gke_regional_pool(node_locations: list[str] | None = None, max_per_zone: int = 2,
                      cluster_locations: list[str] | None = None) -> Callable[[], None]:
    def program() -> None:
        from pulumi_gcp import container

        cluster = container.Cluster("regional", location="us-central1", initial_node_count=1,
                                    remove_default_node_pool=True, node_locations=cluster_locations)
        container.NodePool(
            "a2", cluster=cluster.name, location="us-central1", node_locations=node_locations,
            autoscaling=container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=max_per_zone),
            node_config=container.NodePoolNodeConfigArgs(machine_type="a2-highgpu-8g",
                                                         labels={PURPOSE: "training"}))
    return program


def test_a_regional_training_pool_without_node_locations_spans_gkes_default_zones(judge: Judge) -> None:
    """GKE spreads it over three zones (names unknown): several zones and several nodes are known, so the
    zone, fabric and file-system blocks are definite; the caps need the exact count and cannot be verified."""
    verdict = judge(gke_regional_pool(), stack_config={"gcp:project": "p"})
    assert "at least 3 zones" in verdict.only_violation("single-zone").detail
    assert "no node-to-node fabric" in verdict.only_violation("interconnect").detail
    found = verdict.only_violation("storage-throughput")
    assert "at least 6 × a2-highgpu-8g (48" in found.detail and "4,800 MB/s" in found.detail
    assert verdict.violations("max-accelerators") == [] and verdict.cannot_verify("max-accelerators")


def test_control_one_node_location_pins_the_regional_pool(judge: Judge) -> None:
    verdict = judge(gke_regional_pool(["us-central1-a"]), stack_config={"gcp:project": "p"})
    assert verdict.violations("single-zone") == [] and not verdict.cannot_verify("single-zone")


def test_control_one_node_per_zone_is_still_several_nodes_over_the_default_zones(judge: Judge) -> None:
    verdict = judge(gke_regional_pool(max_per_zone=1), stack_config={"gcp:project": "p"})
    assert "at least 3 × a2-highgpu-8g" in verdict.only_violation("single-zone").detail


def test_control_the_clusters_node_locations_decide_not_the_default(judge: Judge) -> None:
    verdict = judge(gke_regional_pool(cluster_locations=["us-central1-a"]), stack_config={"gcp:project": "p"})
    assert verdict.violations("single-zone") == []


def test_control_a_pool_of_a_cluster_outside_the_stack_keeps_its_zones_unknown(judge: Judge) -> None:
    """That cluster may set node locations of its own: "cannot verify", not GKE's default."""
    def program() -> None:
        from pulumi_gcp import container

        container.NodePool("a2", cluster="existing-cluster", location="us-central1",
                           autoscaling=container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=2),
                           node_config=container.NodePoolNodeConfigArgs(machine_type="a2-highgpu-8g",
                                                                        labels={PURPOSE: "training"}))
    verdict = judge(program, stack_config={"gcp:project": "p"})
    assert verdict.violations("single-zone") == [] and verdict.cannot_verify("single-zone")


def node_pool(family_key: str, gpu_limit: int) -> Callable[[], None]:
    def program() -> None:
        from pulumi_kubernetes.apiextensions import CustomResource
        from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

        CustomResource("gpu", api_version="karpenter.sh/v1", kind="NodePool", metadata=ObjectMetaArgs(name="gpu"),
                       spec={"template": {"spec": {
                           "nodeClassRef": {"group": "eks.amazonaws.com", "kind": "NodeClass", "name": "default"},
                           "requirements": [{"key": family_key, "operator": "In", "values": ["p5"]}]}},
                           "limits": {"nvidia.com/gpu": gpu_limit}})
    return program


@pytest.mark.parametrize("family_key", ["eks.amazonaws.com/instance-family", "karpenter.k8s.aws/instance-family"])
def test_an_eks_auto_mode_node_pool_is_read_by_its_family_label(judge: Judge, family_key: str) -> None:
    """EKS Auto Mode's family label was ignored: the NodePool was invisible (no finding at all)."""
    found = judge(node_pool(family_key, 1024), stack_config={"aws:region": "us-east-1"}).only_violation(
        "max-accelerators")
    assert "1,024" in found.detail


def test_control_an_auto_mode_node_pool_within_the_limit_passes(judge: Judge) -> None:
    verdict = judge(node_pool("eks.amazonaws.com/instance-family", 256), stack_config={"aws:region": "us-east-1"})
    assert verdict.violations("max-accelerators") == []
