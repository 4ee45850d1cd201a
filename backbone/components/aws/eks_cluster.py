"""``EksCluster``: the Kubernetes control plane and its small system node group.

The control plane's network interfaces live in the private subnets and carry the network's security group
(besides the cluster security group EKS creates), so nodes in that group reach the API server. The API
endpoint is always reachable from the VPC; from the internet only when ``private_api`` is false.

The system node group runs cluster add-ons (CoreDNS, the VPC CNI, device plugins, the autoscaler) on CPU
instances; default ``m7i.large`` (2 vCPU, 8 GiB: enough for the add-ons of one cluster, a current
generation that every region offers). It is labelled ``backbone.dev/purpose: system``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_aws import eks, iam

from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError
from backbone.core.labels import node_labels

__all__ = ["DEFAULT_SYSTEM_INSTANCE_TYPE", "EksCluster", "EksClusterArgs"]

DEFAULT_SYSTEM_INSTANCE_TYPE = "m7i.large"
SYSTEM_AMI_TYPE = "AL2023_x86_64_STANDARD"

_POLICY = "arn:aws:iam::aws:policy/"
CLUSTER_POLICIES = ("AmazonEKSClusterPolicy",)
NODE_POLICIES = ("AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryPullOnly")


def _assume_role_policy(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": service}, "Action": ["sts:AssumeRole", "sts:TagSession"]}
            ],
        }
    )


@dataclass(frozen=True)
class EksClusterArgs:
    """Inputs of ``EksCluster``."""

    subnet_ids: Sequence[pulumi.Input[str]]
    """Private subnets of the control plane and the system nodes; EKS needs two zones or more."""
    security_group_ids: Sequence[pulumi.Input[str]] = ()
    """Extra security groups of the control plane's interfaces (the network's EFA group)."""
    private_api: bool = False
    """True: the API endpoint is reachable only from the VPC."""
    kubernetes_version: str | None = None
    """``1.xx``; None: the EKS default."""
    system_instance_type: str = DEFAULT_SYSTEM_INSTANCE_TYPE
    """CPU instance type of the system node group."""
    system_nodes: int = 2
    """Nodes of the system node group."""
    region: str | None = None
    """Region of every resource; None: the AWS provider's region."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on every resource."""


class EksCluster(pulumi.ComponentResource):
    """An EKS cluster on private subnets with a system managed node group."""

    cluster: eks.Cluster
    """The EKS cluster."""
    node_role: iam.Role
    """The IAM role of every node group (worker, CNI and registry policies attached)."""
    node_role_arn: pulumi.Output[str]
    """The node role's ARN, known once its policies are attached: give it to node groups."""
    system_pool: eks.NodeGroup
    """The system node group."""

    def __init__(self, name: str, args: EksClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:aws:EksCluster", name, None, opts)
        if len(args.subnet_ids) < 2:
            raise ComponentArgumentError(
                component_error_name(self, name), "subnet_ids",
                f"EKS needs subnets in two zones or more; got {len(args.subnet_ids)} subnet(s)",
            )
        if args.system_nodes < 1:
            raise ComponentArgumentError(component_error_name(self, name), "system_nodes",
                                         f"must be 1 or more (got {args.system_nodes})")
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)

        cluster_role = iam.Role(
            f"{name}-cluster-role", assume_role_policy=_assume_role_policy("eks.amazonaws.com"), tags=tags, opts=child
        )
        cluster_grants = [
            iam.RolePolicyAttachment(
                f"{name}-cluster-{policy}", role=cluster_role.name, policy_arn=_POLICY + policy, opts=child
            )
            for policy in CLUSTER_POLICIES
        ]
        self.node_role = iam.Role(
            f"{name}-node-role", assume_role_policy=_assume_role_policy("ec2.amazonaws.com"), tags=tags, opts=child
        )
        node_grants = [
            iam.RolePolicyAttachment(
                f"{name}-node-{policy}", role=self.node_role.name, policy_arn=_POLICY + policy, opts=child
            )
            for policy in NODE_POLICIES
        ]
        self.node_role_arn = pulumi.Output.all(self.node_role.arn, *(g.id for g in node_grants)).apply(
            lambda values: str(values[0])
        )

        self.cluster = eks.Cluster(
            f"{name}-cluster",
            role_arn=cluster_role.arn,
            version=args.kubernetes_version,
            vpc_config=eks.ClusterVpcConfigArgs(
                subnet_ids=list(args.subnet_ids),
                security_group_ids=list(args.security_group_ids),
                endpoint_private_access=True,
                endpoint_public_access=not args.private_api,
            ),
            access_config=eks.ClusterAccessConfigArgs(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=True
            ),
            region=args.region,
            tags=tags,
            opts=pulumi.ResourceOptions(parent=self, depends_on=cluster_grants),
        )
        self.system_pool = eks.NodeGroup(
            f"{name}-system",
            cluster_name=self.cluster.name,
            node_role_arn=self.node_role_arn,
            subnet_ids=list(args.subnet_ids),
            instance_types=[args.system_instance_type],
            ami_type=SYSTEM_AMI_TYPE,
            capacity_type="ON_DEMAND",
            scaling_config=eks.NodeGroupScalingConfigArgs(
                min_size=args.system_nodes, desired_size=args.system_nodes, max_size=args.system_nodes
            ),
            labels=node_labels("system", "system"),
            region=args.region,
            tags=tags,
            opts=child,
        )
        register(self)
