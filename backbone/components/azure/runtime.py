"""``AzureRuntime``: what pods on an AKS cluster need to use its GPUs, InfiniBand and Azure Managed Lustre.

- **GPUs.** With ``gpuProfile.driver: Install`` (Backbone's ``gpu_driver: managed``) AKS installs the driver and
  the NVIDIA device plugin chart makes ``nvidia.com/gpu`` requestable; with ``None`` (``operator``) the NVIDIA
  GPU Operator installs driver, toolkit and device plugin (https://learn.microsoft.com/en-us/azure/aks/gpu-cluster).
- **InfiniBand (ND-series).** The NVIDIA Network Operator on clusters with a pool that trains across nodes on
  InfiniBand (https://learn.microsoft.com/en-us/azure/aks/use-infiniband), and its ``NicClusterPolicy``: the
  DOCA driver and the RDMA shared device plugin over every Mellanox (vendor 15b3) HCA, so pods request
  ``rdma/shared_ib``.
- **Azure Managed Lustre.** The Azure Lustre CSI driver from its release manifests (pinned to the release
  commit; its node DaemonSets select AKS's Ubuntu 22.04 / 24.04 nodes) and per file system a static
  PersistentVolume (driver ``azurelustre.csi.azure.com``, ``mgs-ip-address`` and ``fs-name``) with its claim.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import containerservice

from backbone.components.outputs import register
from backbone.components.runtime import versions
from backbone.components.runtime.kube import (
    TOLERATE_ALL,
    ClusterRuntime,
    PoolNeeds,
    Volume,
    config_files,
    helm_release,
    pool_affinity,
)

__all__ = ["AMLFS_FS_NAME", "AZURE_LUSTRE_CSI_DRIVER", "AzureRuntime", "AzureRuntimeArgs", "aks_kubeconfig"]

AZURE_LUSTRE_CSI_DRIVER = "azurelustre.csi.azure.com"
AMLFS_FS_NAME = "lustrefs"  # the Lustre file system name of every Azure Managed Lustre file system


def aks_kubeconfig(resource_group_name: pulumi.Input[str], cluster_name: pulumi.Input[str]) -> pulumi.Output[str]:
    """The cluster's user kubeconfig, as ``az aks get-credentials`` gives it."""
    credentials = containerservice.list_managed_cluster_user_credentials_output(
        resource_group_name=resource_group_name, resource_name=cluster_name)
    return credentials.apply(lambda result: base64.b64decode(result.kubeconfigs[0].value).decode()
                             if result.kubeconfigs else "")


@dataclass(frozen=True)
class AzureRuntimeArgs:
    """Inputs of ``AzureRuntime``."""

    kubeconfig: pulumi.Input[str]
    """Kubeconfig of the AKS cluster (``aks_kubeconfig``)."""
    pools: Sequence[PoolNeeds]
    """What each node pool needs (``pool_needs``)."""
    volumes: Sequence[Volume] = ()
    """Azure Managed Lustre file systems to mount."""
    gpu_driver: Literal["managed", "operator"] = "managed"
    """managed: AKS installs the driver, install the device plugin; operator: install the NVIDIA GPU Operator."""


class AzureRuntime(ClusterRuntime):
    """Device plugin (or GPU Operator), Network Operator on InfiniBand pools, Lustre CSI driver and volumes."""

    network_operator: k8s.helm.v3.Release | None
    """The NVIDIA Network Operator release; None without a pool training across nodes on InfiniBand."""
    nic_cluster_policy: k8s.apiextensions.CustomResource | None
    """The operator's ``NicClusterPolicy`` exposing the InfiniBand HCAs to pods; None without InfiniBand."""
    csi_driver: list[k8s.yaml.v2.ConfigFile]
    """The Azure Lustre CSI driver, from its release manifests pinned to the release commit; empty without file
    systems."""

    def __init__(self, name: str, args: AzureRuntimeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:azure:AzureRuntime", name, args.kubeconfig, args.pools, args.gpu_driver,
                         args.volumes, opts)
        pinned = versions.load()
        infiniband = any(p.fabric == "infiniband" for p in args.pools)
        self.network_operator = (helm_release(name, pinned.chart("network-operator"), self.provider, self)
                                 if infiniband else None)
        ib_pools = [p.name for p in args.pools if p.fabric == "infiniband"]
        self.nic_cluster_policy = (self._nic_cluster_policy(name, pinned.nic_cluster_policy, self.network_operator,
                                                            ib_pools)
                                   if self.network_operator is not None else None)
        lustre = pinned.manifests["azurelustre-csi-driver"]
        self.csi_driver = (config_files(f"{name}-{lustre.key}", lustre.files, self.provider, self)
                           if args.volumes else [])
        self.mount(name, args.volumes)
        register(self)

    def _nic_cluster_policy(self, name: str, policy: versions.NicClusterPolicy, operator: k8s.helm.v3.Release,
                            ib_pools: list[str]) -> k8s.apiextensions.CustomResource:
        """The DOCA driver and RDMA shared device plugin on the InfiniBand pools only: without ``nodeAffinity`` the
        operator's DaemonSets follow its NFD rule and land on every node with a Mellanox VF, system nodes
        included (Azure's reference restricts them to the InfiniBand devices)."""
        plugin_config = json.dumps({"configList": [{
            "resourceName": policy.resource, "rdmaHcaMax": 63, "selectors": {"vendors": ["15b3"]}}]})
        driver_image, driver_version = policy.ofed_driver
        plugin_image, plugin_version = policy.rdma_shared_device_plugin
        return k8s.apiextensions.CustomResource(
            f"{name}-nic-cluster-policy", api_version="mellanox.com/v1alpha1", kind="NicClusterPolicy",
            metadata=k8s.meta.v1.ObjectMetaArgs(name="nic-cluster-policy"),
            spec={
                "nodeAffinity": pool_affinity(ib_pools),
                "tolerations": TOLERATE_ALL,
                "ofedDriver": {"image": driver_image, "repository": policy.repository, "version": driver_version},
                "rdmaSharedDevicePlugin": {"image": plugin_image, "repository": policy.repository,
                                           "version": plugin_version, "config": plugin_config},
            },
            opts=pulumi.ResourceOptions(parent=self, provider=self.provider, depends_on=[operator]),
        )
