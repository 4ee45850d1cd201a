"""``AwsRuntime``: what pods on an EKS cluster need to use its accelerators, EFA and FSx for Lustre.

- **GPUs.** The EKS AL2023 NVIDIA AMI ships the driver but no device plugin: the NVIDIA device plugin chart
  makes ``nvidia.com/gpu`` requestable. With ``gpu_driver: operator`` (plain AMI) the NVIDIA GPU Operator
  installs driver, toolkit and device plugin instead.
- **EFA.** The AL2023 accelerated AMIs carry EFA's host components but not its device plugin
  (https://docs.aws.amazon.com/eks/latest/userguide/device-management-efa.html): the ``aws-efa-k8s-device-plugin``
  chart (eks-charts) on every cluster with a pool that trains across nodes on EFA makes
  ``vpc.amazonaws.com/efa`` requestable.
- **FSx for Lustre.** The CSI driver as the EKS add-on ``aws-fsx-csi-driver``, authenticated through EKS Pod
  Identity (the ``eks-pod-identity-agent`` add-on and an IAM role with ``AmazonFSxFullAccess`` for its controller's
  service account, https://docs.aws.amazon.com/eks/latest/userguide/fsx-csi-create.html), and per file system a
  static PersistentVolume (driver ``fsx.csi.aws.com``, ``dnsname`` and ``mountname`` attributes) with its claim.

- **Trainium.** The Neuron device plugin (``neuron-helm-chart`` from ECR Public, node problem detector off)
  makes ``aws.amazon.com/neuron`` requestable (https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-k8s-device-plugin.html).

Versions come from ``components/runtime/data/versions.yaml``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_kubernetes as k8s
from pulumi_aws import eks, iam

from backbone.components.outputs import register
from backbone.components.runtime import versions
from backbone.components.runtime.kube import ClusterRuntime, PoolNeeds, Volume, helm_release

__all__ = ["FSX_CSI_DRIVER", "AwsRuntime", "AwsRuntimeArgs", "eks_kubeconfig"]

FSX_CSI_DRIVER = "fsx.csi.aws.com"
FSX_ADDON = "aws-fsx-csi-driver"
POD_IDENTITY_ADDON = "eks-pod-identity-agent"
FSX_CONTROLLER_SERVICE_ACCOUNT = "fsx-csi-controller-sa"
FSX_POLICY = "arn:aws:iam::aws:policy/AmazonFSxFullAccess"
_POD_IDENTITY_TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "pods.eks.amazonaws.com"},
    "Action": ["sts:AssumeRole", "sts:TagSession"]}]})


def eks_kubeconfig(cluster: eks.Cluster, region: str | None = None) -> pulumi.Output[str]:
    """A kubeconfig for ``cluster`` that authenticates with ``aws eks get-token`` (the AWS CLI's credentials)."""
    def render(values: list[str]) -> str:
        name, endpoint, ca = values
        args = ["eks", "get-token", "--cluster-name", name] + (["--region", region] if region else [])
        return json.dumps({
            "apiVersion": "v1", "kind": "Config", "current-context": name,
            "clusters": [{"name": name, "cluster": {"server": endpoint, "certificate-authority-data": ca}}],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
            "users": [{"name": name, "user": {"exec": {
                "apiVersion": "client.authentication.k8s.io/v1beta1", "command": "aws", "args": args}}}],
        })
    return pulumi.Output.all(cluster.name, cluster.endpoint,
                             cluster.certificate_authority.apply(lambda ca: ca.data if ca else "")).apply(render)


@dataclass(frozen=True)
class AwsRuntimeArgs:
    """Inputs of ``AwsRuntime``."""

    kubeconfig: pulumi.Input[str]
    """Kubeconfig of the EKS cluster (``eks_kubeconfig``)."""
    cluster_name: pulumi.Input[str]
    """Name of the EKS cluster (for the FSx CSI add-on)."""
    pools: Sequence[PoolNeeds]
    """What each node pool needs (``pool_needs``)."""
    volumes: Sequence[Volume] = ()
    """FSx for Lustre file systems to mount (driver ``fsx.csi.aws.com``)."""
    gpu_driver: Literal["managed", "operator"] = "managed"
    """managed: the AMI ships the driver, install the device plugin; operator: install the NVIDIA GPU Operator."""
    region: str | None = None
    """Region of the EKS add-on; None: the AWS provider's region."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on the EKS add-on."""


class AwsRuntime(ClusterRuntime):
    """Device plugin (or GPU Operator), EFA device plugin and FSx for Lustre CSI add-on with volumes."""

    neuron_plugin: k8s.helm.v3.Release | None
    """The Neuron device plugin release; None without Trainium pools."""
    efa_plugin: k8s.helm.v3.Release | None
    """The EFA device plugin release; None without a pool training across nodes on EFA."""
    csi_driver: eks.Addon | None
    """The FSx for Lustre CSI driver add-on; None without file systems."""

    def __init__(self, name: str, args: AwsRuntimeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:aws:AwsRuntime", name, args.kubeconfig, args.pools, args.gpu_driver, args.volumes,
                         opts)
        pinned = versions.load()
        trainium = any(p.accelerator == "trainium" for p in args.pools)
        self.neuron_plugin = helm_release(name, pinned.chart("neuron-helm-chart"), self.provider, self,
                                          {"npd": {"enabled": False}}) if trainium else None
        efa = any(p.fabric == "efa" for p in args.pools)
        self.efa_plugin = helm_release(name, pinned.chart("aws-efa-k8s-device-plugin"), self.provider, self) \
            if efa else None
        self.csi_driver = self._fsx_csi(name, args, pinned) if args.volumes else None
        self.mount(name, args.volumes)
        register(self)

    def _fsx_csi(self, name: str, args: AwsRuntimeArgs, pinned: versions.Versions) -> eks.Addon:
        """The FSx CSI add-on with the Pod Identity agent and the IAM role its controller assumes."""
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)
        agent_addon = pinned.eks_addons[POD_IDENTITY_ADDON]
        agent = eks.Addon(f"{name}-pod-identity", cluster_name=args.cluster_name, addon_name=agent_addon.name,
                          addon_version=agent_addon.version, region=args.region, tags=tags, opts=child)
        role = iam.Role(f"{name}-fsx-csi-role", assume_role_policy=_POD_IDENTITY_TRUST, tags=tags, opts=child)
        grant = iam.RolePolicyAttachment(f"{name}-fsx-csi-policy", role=role.name, policy_arn=FSX_POLICY, opts=child)
        addon = pinned.eks_addons[FSX_ADDON]
        return eks.Addon(
            f"{name}-fsx-csi", cluster_name=args.cluster_name, addon_name=addon.name, addon_version=addon.version,
            pod_identity_associations=[eks.AddonPodIdentityAssociationArgs(
                role_arn=role.arn, service_account=FSX_CONTROLLER_SERVICE_ACCOUNT)],
            region=args.region, tags=tags, opts=pulumi.ResourceOptions(parent=self, depends_on=[agent, grant]),
        )
