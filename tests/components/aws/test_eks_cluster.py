"""EksCluster on its own and wired to Network and GpuNodePool in a platform team's own program."""

from __future__ import annotations

from typing import Any

import pytest

from backbone.components.aws import EksCluster, EksClusterArgs, GpuNodePool, GpuNodePoolArgs, Network, NetworkArgs
from backbone.core.errors import BackboneError

CLUSTER = "aws:eks/cluster:Cluster"
NG = "aws:eks/nodeGroup:NodeGroup"


def cluster_args(**overrides: Any) -> EksClusterArgs:
    values: dict[str, Any] = {"subnet_ids": ["subnet-a", "subnet-b"], "security_group_ids": ["sg-efa"]}
    values.update(overrides)
    return EksClusterArgs(**values)


@pytest.mark.parametrize(("private_api", "public"), [(True, False), (False, True)])
def test_endpoint_is_private_and_public_only_when_allowed(
    preview: Any, only: Any, private_api: bool, public: bool
) -> None:
    result = preview(lambda: EksCluster("k8s", cluster_args(private_api=private_api)))
    vpc = only(result, CLUSTER).inputs["vpcConfig"]
    assert vpc["endpointPrivateAccess"] is True
    assert vpc["endpointPublicAccess"] is public
    assert vpc["subnetIds"] == ["subnet-a", "subnet-b"]
    assert vpc["securityGroupIds"] == ["sg-efa"]


def test_system_node_group_is_small_cpu_and_labelled_system(preview: Any, only: Any) -> None:
    result = preview(lambda: EksCluster("k8s", cluster_args(system_nodes=3, kubernetes_version="1.33")))
    system = only(result, NG).inputs
    assert system["labels"]["backbone.dev/purpose"] == "system"
    assert system["instanceTypes"] == ["m7i.large"]
    assert system["scalingConfig"] == {"minSize": 3, "desiredSize": 3, "maxSize": 3}
    assert only(result, CLUSTER).inputs["version"] == "1.33"


def test_eks_needs_two_zones(preview: Any) -> None:
    with pytest.raises(BackboneError, match="two zones or more"):
        preview(lambda: EksCluster("k8s", cluster_args(subnet_ids=["subnet-a"])))


def test_components_compose_in_a_platform_program(preview: Any, linked: Any) -> None:
    def program() -> None:
        net = Network("net", NetworkArgs(zones=["us-west-2b", "us-west-2c"], region="us-west-2"))
        k8s = EksCluster(
            "k8s",
            EksClusterArgs(
                subnet_ids=[s.id for s in net.subnets["nodes"]],
                security_group_ids=[net.security_group.id],
                region="us-west-2",
            ),
        )
        GpuNodePool(
            "h100",
            GpuNodePoolArgs(
                cluster_name=k8s.cluster.name,
                node_role_arn=k8s.node_role_arn,
                subnet_ids=[net.zone_subnets["us-west-2c"].id],
                security_group_ids=[net.security_group.id],
                instance_type="p5.48xlarge",
                max_nodes=4,
                region="us-west-2",
            ),
        )

    result = preview(program)
    gpu = next(r for r in result.of_type(NG) if r.name == "h100-nodes")
    subnets = linked(result, gpu, "subnetIds")
    assert [s.inputs["availabilityZone"] for s in subnets] == ["us-west-2c"]
    assert [r.type for r in linked(result, gpu, "clusterName")] == [CLUSTER]
    role_links = {r.type for r in linked(result, gpu, "nodeRoleArn")}
    assert role_links == {"aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"}
    assert gpu.inputs["region"] == "us-west-2"
