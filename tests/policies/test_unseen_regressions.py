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
