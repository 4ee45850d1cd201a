"""An EKS cluster and its GPU node groups, one per entry of the `gpuPools` config."""

import iam
import network
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
version = config.require("kubernetesVersion")
subnets = network.private_subnets("ml", config.require("vpcCidr"))

cluster = aws.eks.Cluster(
    "ml",
    role_arn=iam.cluster_role().arn,
    version=version,
    vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=[s.id for s in subnets], endpoint_public_access=False),
)

# The GPU AMI EKS recommends for this Kubernetes version, from its public SSM parameter.
ami = aws.ssm.get_parameter(
    name=f"/aws/service/eks/optimized-ami/{version}/amazon-linux-2023/x86_64/nvidia/recommended/image_id")

nodes = iam.node_role()
for pool in config.require_object("gpuPools"):
    template = aws.ec2.LaunchTemplate(f"{pool['name']}-nodes", image_id=ami.value,
                                      instance_type=pool["instanceType"])
    aws.eks.NodeGroup(
        f"{pool['name']}-nodes",
        cluster_name=cluster.name,
        node_role_arn=nodes.arn,
        subnet_ids=[s.id for s in subnets],
        scaling_config=aws.eks.NodeGroupScalingConfigArgs(
            min_size=pool["minNodes"], max_size=pool["maxNodes"], desired_size=pool["minNodes"]),
        launch_template=aws.eks.NodeGroupLaunchTemplateArgs(id=template.id, version="$Latest"),
        labels=pool.get("labels", {}),
    )

# Where alerts go: a secret the stack file holds encrypted (`secure:`), stored as a SecureString.
aws.ssm.Parameter("alerts-webhook", type="SecureString", value=config.require_secret("alertsWebhook"))

pulumi.export("cluster", cluster.name)
