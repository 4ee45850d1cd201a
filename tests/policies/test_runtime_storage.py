"""storage-mount on hand-written programs: a file system with its CSI driver passes, one without is a violation,
one whose driver is decided by an unknown input cannot be verified."""

from __future__ import annotations

from policy_programs import Aws, Azure, Gcp, helm, unknown
from policy_verdict import Judge
from pulumi_aws import eks
from test_runtime_accelerator import with_

POLICY = "storage-mount"
MANDATORY = {POLICY: {"enforcementLevel": "mandatory"}}


def test_fsx_with_the_eks_addon_passes(judge: Judge) -> None:
    program = with_(Aws(runtime=False), lambda: eks.Addon("fsx", cluster_name="train", addon_name="aws-fsx-csi-driver"))
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == [] and verdict.cannot_verify(POLICY) == []


def test_fsx_without_a_csi_driver_is_a_violation(judge: Judge) -> None:
    verdict = judge(Aws(runtime=False), MANDATORY)
    found = verdict.only_violation(POLICY)
    assert found.urn == verdict.urn("aws:fsx/lustreFileSystem:LustreFileSystem")
    assert "FSx for Lustre CSI driver" in found.detail and "aws-fsx-csi-driver" in found.detail


def test_advisory_by_default(judge: Judge) -> None:
    assert {d.level for d in judge(Aws(runtime=False)).violations(POLICY)} == {"advisory"}


def test_unknown_addon_name_cannot_be_verified(judge: Judge) -> None:
    def program() -> None:
        Aws(runtime=False)()
        anchor = eks.Addon("other", cluster_name="train", addon_name="vpc-cni")
        eks.Addon("fsx", cluster_name="train", addon_name=unknown("aws-fsx-csi-driver", anchor.id))
    verdict = judge(program, MANDATORY)
    assert verdict.violations(POLICY) == []
    assert any("addonName is unknown" in d.detail for d in verdict.cannot_verify(POLICY))


def test_gke_lustre_without_the_cluster_addon_is_a_violation(judge: Judge) -> None:
    found = judge(Gcp(runtime=False), MANDATORY).only_violation(POLICY)
    assert "lustreCsiDriverConfig" in found.detail
    assert judge(Gcp(), MANDATORY).violations(POLICY) == []  # addonsConfig.lustreCsiDriverConfig.enabled


def test_azure_lustre_with_the_helm_chart_passes(judge: Judge) -> None:
    program = with_(Azure(runtime=False), lambda: helm("csi", "azurelustre-csi-driver"))
    assert judge(program, MANDATORY).violations(POLICY) == []
    assert "Azure Lustre CSI driver" in judge(Azure(runtime=False), MANDATORY).only_violation(POLICY).detail
