"""The Kubernetes runtime a stack provides: what lets pods request accelerators, use the fabric and mount file
systems — read from provider resources only, whoever wrote them (Backbone's runtime layer or a hand-written
program).

Recognised, by what they install (never by the resource's name):

- Helm releases and charts (``kubernetes:helm.sh/v3:Release``, ``kubernetes:helm.sh/v4:Chart``) by chart name;
- DaemonSets (``kubernetes:apps/v1:DaemonSet``) by container image;
- Google's installer manifests applied as ``kubernetes:yaml/v2:ConfigFile`` by file name;
- ``networking.gke.io/v1`` ``Network`` / ``GKENetworkParamSet`` objects, counted;
- EKS add-ons (``aws:eks/addon:Addon``) by add-on name; GKE ``addonsConfig`` CSI drivers of the cluster;
- NVIDIA AICR ``nvidia-aicr:index:ClusterStack`` by its service and skipped components.

What the platform itself provides per pool (the GPU driver) is read from the pool: the EKS ``amiType``, the
GKE ``gpuDriverInstallationConfig``, the AKS ``gpuProfile.driver``. A candidate whose deciding input is unknown
(a chart name computed from another resource) is ``undecided``: it may provide anything, so a missing
capability is "cannot verify" rather than a violation while it stands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.facts import UNKNOWN, Unknown
from backbone.policies.inventory.graph import Graph, Node
from backbone.policies.inventory.placement import (
    NFD_GPU_LABELS,
    NodeTraits,
    Placement,
    placement_of_daemonset,
    placement_of_release,
    traits_of_pool,
)
from backbone.policies.inventory.values import as_dict, as_list, as_str, dig

__all__ = [
    "CAPABILITIES",
    "CLUSTER_TYPES",
    "DRIVER_NONE",
    "DRIVER_PLATFORM",
    "ENTRIES",
    "Provision",
    "Runtime",
    "Undecided",
    "read",
]

# Capabilities, and what gives each (chart names and image/manifest name fragments, lowercase).
DEVICE_PLUGIN: Final = "nvidia-device-plugin"
GPU_DRIVER: Final = "nvidia-driver"
NEURON_PLUGIN: Final = "neuron-device-plugin"
EFA_PLUGIN: Final = "efa-device-plugin"
NCCL_TCPX: Final = "nccl-tcpx"
NCCL_TCPXO: Final = "nccl-tcpxo"
NCCL_RDMA: Final = "nccl-rdma"
DRANET: Final = "dranet"
INFINIBAND: Final = "infiniband-to-pods"
NETWORK_OPERATOR: Final = "network-operator"
CSI_FSX: Final = "fsx.csi.aws.com"
CSI_GKE_LUSTRE: Final = "lustre.csi.storage.gke.io"
CSI_PARALLELSTORE: Final = "parallelstore.csi.storage.gke.io"
CSI_AZURE_LUSTRE: Final = "azurelustre.csi.azure.com"

CAPABILITIES: Final[dict[str, str]] = {
    DEVICE_PLUGIN: "the NVIDIA device plugin (or the GPU Operator)",
    GPU_DRIVER: "the NVIDIA GPU Operator (the node image has no driver)",
    NEURON_PLUGIN: "the Neuron device plugin",
    EFA_PLUGIN: "the EFA device plugin",
    NCCL_TCPX: "the GPUDirect-TCPX NCCL plugin installer",
    NCCL_TCPXO: "the GPUDirect-TCPXO NCCL plugin installer",
    NCCL_RDMA: "the GPUDirect-RDMA (gIB) NCCL plugin installer",
    DRANET: "DRANET",
    INFINIBAND: "an RDMA device plugin (a Network Operator NicClusterPolicy, or the RDMA shared device plugin)",
    NETWORK_OPERATOR: "the NVIDIA Network Operator",
    CSI_FSX: "the FSx for Lustre CSI driver",
    CSI_GKE_LUSTRE: "GKE's Managed Lustre CSI driver",
    CSI_PARALLELSTORE: "GKE's Parallelstore CSI driver",
    CSI_AZURE_LUSTRE: "the Azure Lustre CSI driver",
}

_SHORT: dict[str, str] = {
    DEVICE_PLUGIN: "NVIDIA device plugin", GPU_DRIVER: "GPU Operator driver", NEURON_PLUGIN: "Neuron device plugin",
    EFA_PLUGIN: "EFA device plugin", NCCL_TCPX: "NCCL TCPX plugin", NCCL_TCPXO: "NCCL TCPXO plugin",
    NCCL_RDMA: "NCCL gIB plugin", DRANET: "DRANET", INFINIBAND: "RDMA device plugin",
    NETWORK_OPERATOR: "Network Operator", CSI_FSX: "FSx CSI", CSI_GKE_LUSTRE: "Lustre CSI",
    CSI_PARALLELSTORE: "Parallelstore CSI", CSI_AZURE_LUSTRE: "Azure Lustre CSI",
}
_CHARTS: dict[str, tuple[str, ...]] = {
    "nvidia-device-plugin": (DEVICE_PLUGIN,),
    "gpu-operator": (DEVICE_PLUGIN, GPU_DRIVER),
    "neuron-helm-chart": (NEURON_PLUGIN,),
    "aws-efa-k8s-device-plugin": (EFA_PLUGIN,),
    "network-operator": (NETWORK_OPERATOR,),
    "aws-fsx-csi-driver": (CSI_FSX,),
    "azurelustre-csi-driver": (CSI_AZURE_LUSTRE,),
    "dranet": (DRANET,),
}
# Image (or manifest) name fragments: the last path segment of the image, without tag or digest.
_IMAGES: dict[str, tuple[str, ...]] = {
    "k8s-device-plugin": (DEVICE_PLUGIN,),
    "gpu-operator": (DEVICE_PLUGIN, GPU_DRIVER),
    "neuron-device-plugin": (NEURON_PLUGIN,),
    "aws-efa-k8s-device-plugin": (EFA_PLUGIN,),
    "k8s-rdma-shared-dev-plugin": (INFINIBAND,),
    "aws-fsx-csi-driver": (CSI_FSX,),
    "azurelustre-csi": (CSI_AZURE_LUSTRE,),
    "csi-azurelustre-node": (CSI_AZURE_LUSTRE,),  # the driver's release manifests (deploy/csi-azurelustre-node-*.yaml)
    "nccl-tcpxo-installer": (NCCL_TCPXO,),
    "nccl-tcpx-installer": (NCCL_TCPX,),
    "nccl-rdma-installer": (NCCL_RDMA,),
    "nccl-plugin-gib": (NCCL_RDMA,),
    "dranet": (DRANET,),
}
_FRAGMENTS: Final = tuple(sorted(_IMAGES, key=len, reverse=True))
"""The longest fragment first: ``aws-efa-k8s-device-plugin`` (EFA) holds ``k8s-device-plugin`` (NVIDIA)."""
# The TCPX and TCPXO plugin images share a name; their repository path says which.
_GPUDIRECT_REPOS: dict[str, str] = {"/gpudirect-tcpxo/": NCCL_TCPXO, "/gpudirect-tcpx/": NCCL_TCPX}
_EKS_ADDONS: dict[str, tuple[str, ...]] = {"aws-fsx-csi-driver": (CSI_FSX,)}
_GKE_ADDONS: dict[str, str] = {
    "lustreCsiDriverConfig": CSI_GKE_LUSTRE,
    "parallelstoreCsiDriverConfig": CSI_PARALLELSTORE,
}
# AICR ClusterStack components (skipComponents names) and what each gives, per service.
_AICR: dict[str, dict[str, tuple[str, ...]]] = {
    "gpu-operator": {"*": (DEVICE_PLUGIN, GPU_DRIVER)},
    "aws-efa": {"eks": (EFA_PLUGIN,)},
    "gke-nccl-tcpxo": {"gke": (NCCL_TCPXO,)},
}

HELM_TYPES = ("kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v4:Chart")
DAEMONSET = "kubernetes:apps/v1:DaemonSet"
CONFIG_FILES = ("kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup")
GKE_NETWORK = "kubernetes:networking.gke.io/v1:Network"
GKE_PARAMS = "kubernetes:networking.gke.io/v1:GKENetworkParamSet"
NIC_CLUSTER_POLICY = "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy"
PERSISTENT_VOLUME = "kubernetes:core/v1:PersistentVolume"
EKS_ADDON = "aws:eks/addon:Addon"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
AICR_STACK = "nvidia-aicr:index:ClusterStack"
CLUSTER_TYPES = ("aws:eks/cluster:Cluster", GKE_CLUSTER, "azure-native:containerservice:ManagedCluster")
POOL_TYPES = ("aws:eks/nodeGroup:NodeGroup", "gcp:container/nodePool:NodePool",
              "azure-native:containerservice:AgentPool")

_NIC_NETWORKS: Final = frozenset({NCCL_TCPX, NCCL_TCPXO, NCCL_RDMA})
"""The needs whose GPU NIC network count an undecided GKE network object may change."""

DRIVER_PLATFORM: Final = "platform"
DRIVER_NONE: Final = "none"


@dataclass(frozen=True)
class Provision:
    """One resource that gives pods a capability."""

    capability: str
    urn: str
    label: str
    """``Helm release gpu-operator (kubernetes:helm.sh/v3:Release)`` — how a message names it."""
    placement: Placement | Unknown | None = None
    """Where its pods land (``inventory.placement``); None where the pack does not judge it (a chart whose defaults
    it does not know, an add-on the platform schedules)."""


@dataclass(frozen=True)
class Undecided:
    """A runtime candidate whose deciding input is unknown during preview."""

    urn: str
    label: str
    why: str
    could_provide: frozenset[str] | None = None
    """The capabilities it may provide; None: any (a chart or an image could be anything)."""

    def may_provide(self, capabilities: Iterable[str]) -> bool:
        return self.could_provide is None or not self.could_provide.isdisjoint(capabilities)


@dataclass
class Runtime:
    """What the stack's Kubernetes runtime provides, and what the platform provides per pool."""

    provisions: list[Provision] = field(default_factory=list)
    undecided: list[Undecided] = field(default_factory=list)
    gke_device_networks: int = 0
    """``networking.gke.io/v1`` ``Network`` objects of ``type: Device`` (GPU NIC networks pods attach)."""
    gke_rdma_param_sets: int = 0
    """``GKENetworkParamSet`` objects with ``deviceMode: RDMA``."""
    platform_device_plugin: set[str] = field(default_factory=set)
    """Pool URNs whose node image runs the NVIDIA device plugin itself (EKS Bottlerocket NVIDIA AMIs)."""
    pool_drivers: dict[str, str | Unknown | None] = field(default_factory=dict)
    """Pool URN -> ``platform`` (the node image or the service installs the GPU driver), ``none``, UNKNOWN,
    or None where the pool does not say."""
    clusters: int = 0
    """Kubernetes clusters in the stack (EKS, GKE, AKS)."""
    volumes: int = 0
    """PersistentVolumes mounted through a parallel file system's CSI driver."""
    pool_traits: dict[str, NodeTraits] = field(default_factory=dict)
    """Pool URN -> its nodes' labels and taints (what a node agent's selector and tolerations meet)."""

    def summary(self) -> str:
        """``NVIDIA device plugin · EFA device plugin · FSx for Lustre CSI driver · 1 volume`` — for a plan."""
        found = {p.capability for p in self.provisions}  # in one fixed order: resources register concurrently
        order = {capability: i for i, capability in enumerate(_SHORT)}
        parts = [_SHORT.get(c, c) for c in sorted(found, key=lambda c: (order.get(c, len(order)), c))]
        if self.gke_device_networks:
            parts.append(f"{self.gke_device_networks} GPU NIC networks")
        if self.volumes:
            parts.append(f"{self.volumes} volume{'s' if self.volumes > 1 else ''}")
        return " · ".join(parts)

    def providing(self, capability: str) -> list[Provision]:
        return [p for p in self.provisions if p.capability == capability]

    @property
    def empty(self) -> bool:
        return not self.provisions and not self.undecided and not self.gke_device_networks


def _label(node: Node, what: str) -> str:
    return f"{what} ({node.type} {node.name})"


def _image_capabilities(image: str) -> tuple[str, ...]:
    for repo, capability in _GPUDIRECT_REPOS.items():
        if repo in image and "nccl-plugin" in image:
            return (capability,)
    name = image.rsplit("/", 1)[-1].split("@", 1)[0].split(":", 1)[0].lower()
    for fragment in _FRAGMENTS:
        if fragment in name:
            return _IMAGES[fragment]
    return ()


def _chart_name(chart: str) -> str:
    """``nvidia/gpu-operator`` / ``oci://…/gpu-operator`` / ``gpu-operator-v25.tgz`` -> ``gpu-operator``."""
    last = chart.rstrip("/").rsplit("/", 1)[-1].lower()
    return last.removesuffix(".tgz")


def _chart_capabilities(chart: str) -> tuple[str, ...]:
    name = _chart_name(chart)
    for chart_name, capabilities in _CHARTS.items():
        if name == chart_name or name.startswith(chart_name + "-"):
            return capabilities
    return ()


def _add(runtime: Runtime, node: Node, capabilities: Iterable[str], what: str,
         placement: Placement | Unknown | None = None) -> None:
    runtime.provisions.extend(Provision(c, node.urn, _label(node, what), placement) for c in capabilities)


def _helm(runtime: Runtime, node: Node) -> None:
    chart = as_str(node.inputs.get("chart"))
    if isinstance(chart, Unknown):
        runtime.undecided.append(Undecided(node.urn, _label(node, "Helm chart"), "its chart is unknown"))
    elif chart:
        name = _chart_name(chart)
        capabilities = _chart_capabilities(chart)
        placement = placement_of_release(node, name) if DEVICE_PLUGIN in capabilities else None
        _add(runtime, node, capabilities, f"Helm chart {name}", placement)


def _images(spec: Any) -> list[str | Unknown]:
    pod = dig(spec, "template", "spec")
    found: list[str | Unknown] = []
    for key in ("containers", "initContainers"):
        containers = as_list(dig(pod, key))
        if isinstance(containers, Unknown):
            found.append(UNKNOWN)
            continue
        for container in containers or ():
            image = as_str(dig(container, "image"))
            if image is not None:
                found.append(image)
    return found


def _daemonset(runtime: Runtime, node: Node) -> None:
    spec = node.inputs.get("spec")
    images = [UNKNOWN] if isinstance(spec, Unknown) else _images(spec)
    for image in images:
        if isinstance(image, Unknown):
            runtime.undecided.append(Undecided(node.urn, _label(node, "DaemonSet"), "an image is unknown"))
        else:
            _add(runtime, node, _image_capabilities(image), f"DaemonSet image {image}", placement_of_daemonset(node))


def _config_file(runtime: Runtime, node: Node) -> None:
    files = node.inputs.get("file")
    if not isinstance(files, Unknown) and not files:  # an unknown file is not "no file": it has no truth value
        files = node.inputs.get("files")
    for item in files if isinstance(files, list) else [files]:
        text = as_str(item)
        if isinstance(text, Unknown):
            runtime.undecided.append(Undecided(node.urn, _label(node, "manifest"), "its file is unknown"))
        elif text:
            _add(runtime, node, _image_capabilities(text), f"manifest {text}")  # no fragment holds the ".yaml"


def _gke_network(runtime: Runtime, node: Node) -> None:
    kind = as_str(dig(node.inputs.get("spec"), "type"))
    if isinstance(kind, Unknown):
        runtime.undecided.append(Undecided(node.urn, _label(node, "GKE Network"), "its spec.type is unknown",
                                           _NIC_NETWORKS))
    elif kind == "Device":
        runtime.gke_device_networks += 1


def _gke_params(runtime: Runtime, node: Node) -> None:
    mode = as_str(dig(node.inputs.get("spec"), "deviceMode"))
    if isinstance(mode, Unknown):
        runtime.undecided.append(Undecided(node.urn, _label(node, "GKENetworkParamSet"),
                                           "its spec.deviceMode is unknown", _NIC_NETWORKS))
    elif mode == "RDMA":
        runtime.gke_rdma_param_sets += 1


def _nic_cluster_policy(runtime: Runtime, node: Node) -> None:
    """A NicClusterPolicy exposes the HCAs to pods through its RDMA shared or SR-IOV device plugin."""
    spec = as_dict(node.inputs.get("spec"))
    if isinstance(spec, Unknown):
        runtime.undecided.append(Undecided(node.urn, _label(node, "NicClusterPolicy"), "its spec is unknown",
                                           frozenset({INFINIBAND})))
    elif spec and (spec.get("rdmaSharedDevicePlugin") or spec.get("sriovDevicePlugin")):
        _add(runtime, node, (INFINIBAND,), "NicClusterPolicy device plugin")


def _gke_cluster(runtime: Runtime, node: Node) -> None:
    """A GKE cluster: counted, and the CSI drivers its add-ons install."""
    runtime.clusters += 1
    addons = as_dict(node.inputs.get("addonsConfig"))
    if isinstance(addons, Unknown):
        runtime.undecided.append(Undecided(node.urn, _label(node, "GKE cluster"), "its addonsConfig is unknown",
                                           frozenset(_GKE_ADDONS.values())))
        return
    for key, capability in _GKE_ADDONS.items():
        enabled = dig(addons or {}, key, "enabled")
        if isinstance(enabled, Unknown):
            runtime.undecided.append(Undecided(node.urn, _label(node, "GKE cluster"),
                                               f"addonsConfig.{key}.enabled is unknown", frozenset({capability})))
        elif enabled is True:
            _add(runtime, node, (capability,), f"GKE add-on {key}")


def _eks_addon(runtime: Runtime, node: Node) -> None:
    name = as_str(node.inputs.get("addonName"))
    if isinstance(name, Unknown):
        runtime.undecided.append(Undecided(node.urn, _label(node, "EKS add-on"), "its addonName is unknown",
                                           frozenset(c for cs in _EKS_ADDONS.values() for c in cs)))
    elif name:
        _add(runtime, node, _EKS_ADDONS.get(name, ()), f"EKS add-on {name}")


def _aicr(runtime: Runtime, node: Node) -> None:
    service = as_str(node.inputs.get("service"))
    skipped = node.inputs.get("skipComponents")
    if isinstance(service, Unknown) or isinstance(skipped, Unknown):
        runtime.undecided.append(Undecided(node.urn, _label(node, "AICR ClusterStack"),
                                           "its service or skipComponents is unknown",
                                           frozenset(c for per in _AICR.values() for cs in per.values() for c in cs)))
        return
    skip = {s for s in skipped or () if isinstance(s, str)}
    for component, per_service in _AICR.items():
        if component in skip:
            continue
        capabilities = per_service.get(service or "", per_service.get("*", ()))
        _add(runtime, node, capabilities, f"AICR ClusterStack component {component}")


def _pool_driver(node: Node) -> str | Unknown | None:
    """Whether the node image or the service installs the GPU driver on this pool."""
    inputs = node.inputs
    if node.type == "aws:eks/nodeGroup:NodeGroup":
        ami = as_str(inputs.get("amiType"))
        if ami is None or isinstance(ami, Unknown):
            return ami
        # AL2_x86_64_GPU is the EKS-optimized accelerated Amazon Linux 2 AMI: NVIDIA's driver is in the image
        gpu_image = "NVIDIA" in ami or "NEURON" in ami or ami == "AL2_x86_64_GPU"
        return DRIVER_PLATFORM if gpu_image else DRIVER_NONE
    if node.type == "gcp:container/nodePool:NodePool":
        accelerators = as_list(dig(inputs, "nodeConfig", "guestAccelerators"))
        if isinstance(accelerators, Unknown):
            return UNKNOWN
        versions = [as_str(dig(a, "gpuDriverInstallationConfig", "gpuDriverVersion")) for a in accelerators or ()]
        if any(isinstance(v, Unknown) for v in versions):
            return UNKNOWN
        if not versions or None in versions:
            return None
        return DRIVER_NONE if "INSTALLATION_DISABLED" in versions else DRIVER_PLATFORM
    driver = as_str(dig(inputs, "gpuProfile", "driver"))
    if isinstance(driver, Unknown):
        return UNKNOWN
    return DRIVER_NONE if driver == "None" else DRIVER_PLATFORM  # AKS installs the driver unless told not to


_NFD_CHARTS: Final = ("node-feature-discovery",)


def _pool_traits(runtime: Runtime, graph: Graph) -> None:
    """Each pool's node labels and taints, with the GPU labels Node Feature Discovery adds when the stack runs it
    (the GPU Operator deploys it, or its own chart). Without it, an EKS NVIDIA AMI node's ``nvidia.com/gpu.present``
    label is unknown (EKS adds it on AL2023 from Kubernetes 1.35; the pack does not read the version for it)."""
    charts = [as_str(node.inputs.get("chart")) for type_ in HELM_TYPES for node in graph.of_type(type_)]
    nfd = bool(runtime.providing(GPU_DRIVER)) or any(
        isinstance(chart, str) and _chart_name(chart) in _NFD_CHARTS for chart in charts)
    for type_ in POOL_TYPES:
        for node in graph.of_type(type_):
            added: dict[str, str | Unknown] = dict(NFD_GPU_LABELS) if nfd else {}
            if not nfd and type_ == POOL_TYPES[0]:
                ami = as_str(node.inputs.get("amiType"))
                if isinstance(ami, Unknown) or (ami and "NVIDIA" in ami):
                    added["nvidia.com/gpu.present"] = UNKNOWN
            traits = traits_of_pool(node, added)
            if traits is not None:
                runtime.pool_traits[node.urn] = traits


def _pool(runtime: Runtime, node: Node) -> None:
    """The GPU driver the platform installs on a pool's nodes, and a Bottlerocket NVIDIA AMI's device plugin."""
    runtime.pool_drivers[node.urn] = _pool_driver(node)
    ami = as_str(node.inputs.get("amiType")) if node.type == POOL_TYPES[0] else None
    if isinstance(ami, str) and ami.startswith("BOTTLEROCKET") and "NVIDIA" in ami:
        runtime.platform_device_plugin.add(node.urn)


def _cluster(runtime: Runtime, node: Node) -> None:
    runtime.clusters += 1


_CSI = {CSI_FSX, CSI_GKE_LUSTRE, CSI_PARALLELSTORE, CSI_AZURE_LUSTRE}


def _persistent_volume(runtime: Runtime, node: Node) -> None:
    if dig(node.inputs.get("spec"), "csi", "driver") in _CSI:
        runtime.volumes += 1


def _entry(token: str, what: str, reads: str, reader: Callable[[Runtime, Node], None]) -> Entry:
    return Entry(token, token.split(":", 1)[0].replace("-native", ""), "runtime", what, reads, reader)


ENTRIES = (
    *(_entry(t, "Helm release or chart", "`chart` (by chart name)", _helm) for t in HELM_TYPES),
    _entry(DAEMONSET, "DaemonSet", "`spec.template.spec.containers[].image`, `initContainers[].image`", _daemonset),
    *(_entry(t, "manifest", "`file`/`files` (Google's installer manifests, by file name)", _config_file)
      for t in CONFIG_FILES),
    _entry(EKS_ADDON, "EKS add-on", "`addonName`", _eks_addon),
    _entry(GKE_CLUSTER, "GKE cluster (counted) and its add-ons", "`addonsConfig` (the CSI drivers)", _gke_cluster),
    _entry(AICR_STACK, "NVIDIA AICR ClusterStack", "`service`, `skipComponents`", _aicr),
    _entry(NIC_CLUSTER_POLICY, "NVIDIA Network Operator NicClusterPolicy",
           "`spec.rdmaSharedDevicePlugin`, `spec.sriovDevicePlugin`", _nic_cluster_policy),
    _entry(GKE_NETWORK, "GKE multi-network Network", "`spec.type` (`Device` networks are counted)", _gke_network),
    _entry(GKE_PARAMS, "GKENetworkParamSet", "`spec.deviceMode` (`RDMA` sets are counted)", _gke_params),
    _entry(POOL_TYPES[0], "the pool's GPU driver", "`amiType`", _pool),
    _entry(POOL_TYPES[1], "the pool's GPU driver", "`nodeConfig.guestAccelerators[].gpuDriverInstallationConfig`",
           _pool),
    _entry(POOL_TYPES[2], "the pool's GPU driver", "`gpuProfile.driver`", _pool),
    *(_entry(t, "cluster (counted)", "its presence", _cluster) for t in CLUSTER_TYPES if t != GKE_CLUSTER),
    _entry(PERSISTENT_VOLUME, "PersistentVolume", "`spec.csi.driver` (volumes of a parallel file system's CSI)",
           _persistent_volume),
)
"""What the runtime reads (the reader registry gathers it: ``backbone.policies.inventory.registry``)."""


def read(graph: Graph) -> Runtime:
    """The runtime of one stack: each entry's reader over the resources of its type."""
    runtime = Runtime()
    for entry in ENTRIES:
        for node in graph.of_type(entry.token):
            entry.reader(runtime, node)  # type: ignore[misc]
    _pool_traits(runtime, graph)  # after every reader: it needs the whole stack's charts and driver
    return runtime
