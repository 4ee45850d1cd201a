"""The roles EKS and its nodes assume."""

import json

import pulumi_aws as aws


def _role(name: str, service: str, policies: list[str]) -> aws.iam.Role:
    role = aws.iam.Role(name, assume_role_policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }))
    for i, policy in enumerate(policies):
        aws.iam.RolePolicyAttachment(f"{name}-{i}", role=role.name,
                                     policy_arn=f"arn:aws:iam::aws:policy/{policy}")
    return role


def cluster_role() -> aws.iam.Role:
    return _role("eks-cluster", "eks.amazonaws.com", ["AmazonEKSClusterPolicy"])


def node_role() -> aws.iam.Role:
    return _role("eks-nodes", "ec2.amazonaws.com",
                 ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"])
