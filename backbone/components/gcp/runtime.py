"""``GcpRuntime``: what pods on a GKE cluster need to use its GPUs, GPU NIC fabric and parallel file systems.

- **GPUs.** GKE installs the NVIDIA driver itself when the pool's ``gpuDriverInstallationConfig`` asks for it
  (``LATEST``/``DEFAULT``) and always runs its own NVIDIA device plugin DaemonSet on GPU nodes
  (https://cloud.google.com/kubernetes-engine/docs/how-to/gpus): nothing to install. ``gpu_driver: operator``
  is refused: the NVIDIA GPU Operator cannot install a driver on Container-Optimized OS, the image GKE pools run
  (https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/google-gke.html), and GKE keeps its own
  device plugin beside it.
- **GPUDirect-TCPX / TCPXO (A3 High / A3 Mega).** Per GPU NIC network a ``GKENetworkParamSet`` (``deviceMode:
  NetDevice``) and a ``Network`` (``type: Device``) of ``networking.gke.io/v1``, so pods can attach the NICs;
  and Google's NCCL plugin installer DaemonSet with the NRI device injector, applied from Google's manifests
  pinned to the commits Google's Cluster Toolkit uses. The plugin pairs with one receive-datapath-manager (RxDM)
  version that workload pods must run beside NCCL: ``nccl_daemon_image`` says which
  (https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx).
- **GPUDirect-RDMA (A3 Ultra).** The same objects with ``deviceMode: RDMA`` for the RDMA NICs (``NetDevice`` for
  the extra gVNIC), and Google's ``nccl-rdma-installer`` manifest.
- **Managed Lustre / Parallelstore.** GKE's CSI drivers are cluster add-ons (``GkeCluster`` turns them on in
  ``addonsConfig``); here one static PersistentVolume and claim per file system.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pulumi
import pulumi_kubernetes as k8s
from pulumi_gcp import container

from backbone.components.outputs import register
from backbone.components.runtime import versions
from backbone.components.runtime.kube import ClusterRuntime, PoolNeeds, Volume, config_files
from backbone.core.errors import ComponentArgumentError

__all__ = ["LUSTRE_CSI_DRIVER", "PARALLELSTORE_CSI_DRIVER", "GcpRuntime", "GcpRuntimeArgs", "GpuNic",
           "gke_kubeconfig"]

LUSTRE_CSI_DRIVER = "lustre.csi.storage.gke.io"
PARALLELSTORE_CSI_DRIVER = "parallelstore.csi.storage.gke.io"
NIC_FABRICS = ("gpudirect-tcpx", "gpudirect-tcpxo", "rdma")
_NETWORK_API = "networking.gke.io/v1"


def gke_kubeconfig(cluster: container.Cluster) -> pulumi.Output[str]:
    """A kubeconfig for ``cluster`` that authenticates with ``gke-gcloud-auth-plugin``."""
    def render(values: list[str]) -> str:
        name, endpoint, ca = values
        return json.dumps({
            "apiVersion": "v1", "kind": "Config", "current-context": name,
            "clusters": [{"name": name, "cluster": {"server": f"https://{endpoint}",
                                                    "certificate-authority-data": ca}}],
            "contexts": [{"name": name, "context": {"cluster": name, "user": name}}],
            "users": [{"name": name, "user": {"exec": {
                "apiVersion": "client.authentication.k8s.io/v1beta1", "command": "gke-gcloud-auth-plugin",
                "provideClusterInfo": True}}}],
        })
    ca = cluster.master_auth.apply(lambda auth: auth.cluster_ca_certificate if auth else "")
    return pulumi.Output.all(cluster.name, cluster.endpoint, ca).apply(render)


@dataclass(frozen=True)
class GpuNic:
    """One additional node network of a GPU pool, as pods attach it."""

    vpc: pulumi.Input[str]
    """Name of the VPC."""
    subnet: pulumi.Input[str]
    """Name of the subnet."""
    role: Literal["gpu", "gvnic"] = "gpu"
    """gpu: a GPU NIC (``RDMA`` on the rdma fabric); gvnic: a plain second gVNIC (``NetDevice``)."""


@dataclass(frozen=True)
class GcpRuntimeArgs:
    """Inputs of ``GcpRuntime``."""

    kubeconfig: pulumi.Input[str]
    """Kubeconfig of the GKE cluster (``gke_kubeconfig``)."""
    pools: Sequence[PoolNeeds]
    """What each node pool needs (``pool_needs``)."""
    gpu_networks: Mapping[str, Sequence[GpuNic]] = field(default_factory=dict)
    """Per GPU NIC fabric (catalog ``fabric``) the node networks its pools attach, in NIC order."""
    volumes: Sequence[Volume] = ()
    """Managed Lustre / Parallelstore file systems to mount."""
    gpu_driver: Literal["managed", "operator"] = "managed"
    """managed: GKE installs driver and device plugin; operator is refused on GKE (Container-Optimized OS)."""


class GcpRuntime(ClusterRuntime):
    """GPU NIC network objects, the NCCL plugin installer, the GPU Operator where asked, and volumes.
    ``gpu_runtime`` is the NVIDIA GPU Operator with ``gpu_driver: operator`` only: GKE provides the rest itself."""

    networks: list[k8s.apiextensions.CustomResource]
    """The ``networking.gke.io/v1`` ``Network`` objects pods name in their interface annotations."""
    network_names: list[str]
    """Their names (``gpu-nic-0`` …, ``rdma-0`` …, ``gvnic-1``), as pods' ``networking.gke.io/interfaces`` use them."""
    nccl_installers: dict[str, list[k8s.yaml.v2.ConfigFile]]
    """Per fabric, Google's NCCL plugin installer manifests (and the NRI device injector where TCPX/TCPXO need it)."""
    nccl_daemon_image: str | None
    """The RxDM image workload pods must run beside NCCL (the version pairing of TCPX/TCPXO), or None."""

    def __init__(self, name: str, args: GcpRuntimeArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.gpu_driver == "operator":
            raise ComponentArgumentError(
                f"GcpRuntime {name}", "gpu_driver",
                "'operator' cannot work on GKE's Container-Optimized OS nodes (the GPU Operator cannot install the "
                "driver there and GKE keeps its own device plugin); use 'managed'")
        super().__init__("backbone:gcp:GcpRuntime", name, args.kubeconfig, args.pools, args.gpu_driver, args.volumes,
                         opts, platform_device_plugin=True)
        pinned = versions.load()
        self.networks = []
        self.network_names = []
        self.nccl_installers = {}
        self.nccl_daemon_image = None
        for fabric in sorted({p.fabric for p in args.pools if p.fabric in NIC_FABRICS}):
            nics = list(args.gpu_networks.get(fabric, ()))
            needed = max(p.fabric_nics for p in args.pools if p.fabric == fabric)
            if sum(1 for n in nics if n.role == "gpu") < needed:
                raise ComponentArgumentError(
                    f"GcpRuntime {name}", f"gpu_networks[{fabric}]",
                    f"pools on {fabric} attach {needed} GPU NICs per node; give one network per NIC "
                    f"(got {sum(1 for n in nics if n.role == 'gpu')})")
            self._network_objects(name, fabric, nics)
            installer = pinned.nccl_installers[fabric]
            self.nccl_installers[fabric] = self._installer(name, installer)
            self.nccl_daemon_image = installer.daemon or self.nccl_daemon_image
        self.mount(name, args.volumes)
        register(self)

    def _network_objects(self, name: str, fabric: str, nics: Sequence[GpuNic]) -> None:
        opts = pulumi.ResourceOptions(parent=self, provider=self.provider)
        prefix = "rdma" if fabric == "rdma" else "gpu-nic"
        counters = {"gpu": 0, "gvnic": 0}
        for nic in nics:
            index = counters[nic.role]
            counters[nic.role] += 1
            object_name = f"{prefix}-{index}" if nic.role == "gpu" else f"gvnic-{index + 1}"
            mode = "RDMA" if fabric == "rdma" and nic.role == "gpu" else "NetDevice"
            self.network_names.append(object_name)
            params = k8s.apiextensions.CustomResource(
                f"{name}-{object_name}-params", api_version=_NETWORK_API, kind="GKENetworkParamSet",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=object_name),
                spec={"vpc": nic.vpc, "vpcSubnet": nic.subnet, "deviceMode": mode}, opts=opts,
            )
            self.networks.append(k8s.apiextensions.CustomResource(
                f"{name}-{object_name}-network", api_version=_NETWORK_API, kind="Network",
                metadata=k8s.meta.v1.ObjectMetaArgs(name=object_name),
                spec={"type": "Device", "parametersRef": {
                    "group": "networking.gke.io", "kind": "GKENetworkParamSet", "name": object_name}},
                opts=pulumi.ResourceOptions(parent=self, provider=self.provider, depends_on=[params]),
            ))

    def _installer(self, name: str, installer: versions.NcclInstaller) -> list[k8s.yaml.v2.ConfigFile]:
        """Google's installer manifests as published (pinned to a commit): the DaemonSet that installs the NCCL
        plugin on every node of the fabric's machine type, and the NRI device injector its pods rely on; a
        floating image they name runs pinned (``pin_images``)."""
        return config_files(f"{name}-nccl-{installer.fabric}", installer.manifests, self.provider, self,
                            installer.pin_images)
