"""The Kubernetes runtime reader (``backbone.policies.inventory.runtime``) judged in this process, on resources built by
hand as CrossGuard hands them to the pack (props behind the unknown-checking proxy, an unknown value as the SDK's
sentinel): what each resource provides, its label as a message names it, what stays undecided and why, the counted
networks, clusters and volumes, each pool's GPU driver and node traits, and the one-line summary a plan prints.

Names recognised, from their publishers:

- Helm charts: NVIDIA ``nvidia-device-plugin`` and ``gpu-operator`` (device plugin and driver), ``network-operator``;
  AWS ``neuron-helm-chart``, ``aws-efa-k8s-device-plugin``, ``aws-fsx-csi-driver``; Azure ``azurelustre-csi-driver``;
  Google ``dranet``.
- Images: ``nvcr.io/nvidia/k8s-device-plugin``, ``k8s-rdma-shared-dev-plugin`` (Mellanox), Google's GPUDirect
  ``…/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev`` and ``…/gpudirect-tcpx/nccl-plugin-gpudirecttcpx``, and the
  ``nccl-tcpxo-installer.yaml`` / ``nccl-rdma-installer.yaml`` manifests of container-engine-accelerators.
- EKS AMI types (``amiType``): ``AL2023_x86_64_NVIDIA``, ``BOTTLEROCKET_x86_64_NVIDIA`` (runs the device plugin
  itself), ``AL2023_x86_64_NEURON`` and ``AL2_x86_64_GPU`` (the accelerated Amazon Linux 2 AMI) carry the driver;
  ``AL2023_x86_64_STANDARD`` and ``AL2_x86_64`` do not (Amazon EKS API reference, ``Nodegroup.amiType``).
- GKE ``gpuDriverInstallationConfig.gpuDriverVersion``: ``INSTALLATION_DISABLED``, ``DEFAULT``, ``LATEST``.
- AKS ``gpuProfile.driver``: ``Install`` (the default) or ``None``.
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from backbone.policies.inventory.entry import Entry
from backbone.policies.inventory.facts import UNKNOWN
from backbone.policies.inventory.graph import Graph
from backbone.policies.inventory.runtime import (
    CSI_AZURE_LUSTRE,
    CSI_FSX,
    CSI_GKE_LUSTRE,
    CSI_PARALLELSTORE,
    DEVICE_PLUGIN,
    DRANET,
    DRIVER_NONE,
    DRIVER_PLATFORM,
    EFA_PLUGIN,
    ENTRIES,
    GPU_DRIVER,
    INFINIBAND,
    NCCL_RDMA,
    NCCL_TCPX,
    NCCL_TCPXO,
    NETWORK_OPERATOR,
    NEURON_PLUGIN,
    Provision,
    Runtime,
    Undecided,
    _entry,
    read,
)
from tests.policies import hand_resources as hand

WIRE = UNKNOWN_STRING_VALUE
"""An input unknown in preview, as the engine sends it."""
HELM = "kubernetes:helm.sh/v3:Release"
HELM4 = "kubernetes:helm.sh/v4:Chart"
DAEMONSET = "kubernetes:apps/v1:DaemonSet"
CONFIG_FILE = "kubernetes:yaml/v2:ConfigFile"
CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
GKE_POOL = "gcp:container/nodePool:NodePool"
AGENT_POOL = "azure-native:containerservice:AgentPool"
GKE_CLUSTER = "gcp:container/cluster:Cluster"
NIC_NETWORKS = frozenset({NCCL_TCPX, NCCL_TCPXO, NCCL_RDMA})


def resource(type_: str, name: str, props: Any) -> PolicyResource:
    return hand.res(type_, name, props, stack=STACK)


STACK = "urn:pulumi:dev::p"


def urn(type_: str, name: str) -> str:
    return hand.urn(type_, name, STACK)


def runtime_of(*resources: PolicyResource) -> Runtime:
    return read(Graph(resources))


def provided(runtime: Runtime) -> list[tuple[str, str]]:
    """(capability, label) of each provision, in the order read."""
    return [(p.capability, p.label) for p in runtime.provisions]


# --- Helm charts -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("chart", "name", "capabilities"), [
    ("nvidia-device-plugin", "nvidia-device-plugin", (DEVICE_PLUGIN,)),
    ("nvdp/NVIDIA-Device-Plugin", "nvidia-device-plugin", (DEVICE_PLUGIN,)),
    ("nvidia/gpu-operator", "gpu-operator", (DEVICE_PLUGIN, GPU_DRIVER)),
    ("oci://nvcr.io/nvidia/gpu-operator/", "gpu-operator", (DEVICE_PLUGIN, GPU_DRIVER)),
    ("charts/gpu-operator-v25.3.0.tgz", "gpu-operator-v25.3.0", (DEVICE_PLUGIN, GPU_DRIVER)),
    ("oci://public.ecr.aws/neuron/neuron-helm-chart", "neuron-helm-chart", (NEURON_PLUGIN,)),
    ("eks/aws-efa-k8s-device-plugin", "aws-efa-k8s-device-plugin", (EFA_PLUGIN,)),
    ("nvidia/network-operator", "network-operator", (NETWORK_OPERATOR,)),
    ("aws-fsx-csi-driver/aws-fsx-csi-driver", "aws-fsx-csi-driver", (CSI_FSX,)),
    ("azurelustre-csi-driver", "azurelustre-csi-driver", (CSI_AZURE_LUSTRE,)),
    ("oci://ghcr.io/google/dranet", "dranet", (DRANET,)),
    ("nvidia/gpu-operatorx", "gpu-operatorx", ()),
    ("my-gpu-operator", "my-gpu-operator", ()),
    ("nvidia/GPU-OPERATORX", "gpu-operatorx", ()),
    ("ingress-nginx/ingress-nginx", "ingress-nginx", ()),
])
@pytest.mark.parametrize("token", [HELM, HELM4])
def test_a_helm_chart_provides_by_its_name(token: str, chart: str, name: str, capabilities: tuple[str, ...]) -> None:
    """The chart's last path segment, lowercase, without ``.tgz``; a versioned file name (``-v25.3.0``) still names
    the chart, a longer name without the hyphen does not."""
    runtime = runtime_of(resource(token, "gpu", {"chart": chart}))
    assert provided(runtime) == [(c, f"Helm chart {name} ({token} gpu)") for c in capabilities]
    assert runtime.undecided == [] and [p.urn for p in runtime.provisions] == [urn(token, "gpu")] * len(capabilities)


def test_a_helm_chart_unknown_in_preview_is_undecided_and_may_provide_anything() -> None:
    runtime = runtime_of(resource(HELM, "gpu", {"chart": WIRE}))
    assert runtime.provisions == [] and runtime.undecided == [
        Undecided(urn(HELM, "gpu"), f"Helm chart ({HELM} gpu)", "its chart is unknown")]
    assert runtime.undecided[0].may_provide(["anything"]) and not runtime.empty


@pytest.mark.parametrize("props", [{"chart": ""}, {}, {"chart": 3}])
def test_a_helm_release_without_a_chart_name_provides_nothing(props: dict[str, Any]) -> None:
    runtime = runtime_of(resource(HELM, "x", props))
    assert (runtime.provisions, runtime.undecided, runtime.empty) == ([], [], True)


def test_the_device_plugin_chart_is_placed_by_its_values_and_other_charts_are_not_judged() -> None:
    values = {"nodeSelector": {"pool": "gpu"}}
    runtime = runtime_of(resource(HELM, "dp", {"chart": "nvidia-device-plugin", "values": values}),
                         resource(HELM, "efa", {"chart": "aws-efa-k8s-device-plugin", "values": values}))
    placements = {p.capability: p.placement for p in runtime.provisions}
    assert placements[EFA_PLUGIN] is None
    assert placements[DEVICE_PLUGIN].node_selector == (("pool", "gpu"),)  # type: ignore[union-attr]


# --- DaemonSets ------------------------------------------------------------------------------------------------------

def daemonset(*images: Any, init: tuple[Any, ...] = (), **pod: Any) -> PolicyResource:
    spec = {"containers": [{"name": f"c{i}", "image": image} for i, image in enumerate(images)],
            "initContainers": [{"name": f"i{i}", "image": image} for i, image in enumerate(init)], **pod}
    return resource(DAEMONSET, "ds", {"spec": {"template": {"spec": spec}}})


@pytest.mark.parametrize(("image", "capabilities"), [
    ("nvcr.io/nvidia/k8s-device-plugin:v0.17.0", (DEVICE_PLUGIN,)),
    ("nvcr.io/nvidia/K8S-Device-Plugin:v0.17.0", (DEVICE_PLUGIN,)),
    ("nvcr.io/nvidia/gpu-operator:v25.3.0", (DEVICE_PLUGIN, GPU_DRIVER)),
    ("public.ecr.aws/neuron/neuron-device-plugin@sha256:0123abcd", (NEURON_PLUGIN,)),
    ("602401143452.dkr.ecr.us-west-2.amazonaws.com/eks/aws-efa-k8s-device-plugin:v0.5.6", (EFA_PLUGIN,)),
    ("ghcr.io/mellanox/k8s-rdma-shared-dev-plugin:v1.5.1", (INFINIBAND,)),
    ("public.ecr.aws/fsx-csi-driver/aws-fsx-csi-driver:v1.2.0", (CSI_FSX,)),
    ("mcr.microsoft.com/oss/kubernetes-csi/azurelustre-csi:v0.1.15", (CSI_AZURE_LUSTRE,)),
    ("us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.8-1", (NCCL_TCPXO,)),
    ("us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/nccl-plugin-gpudirecttcpx:v3.1.9", (NCCL_TCPX,)),
    ("us-docker.pkg.dev/gce-ai-infra/gpudirect-gib/nccl-plugin-gib:v1.0.5", (NCCL_RDMA,)),
    ("us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev:v1.0.14", ()),
    ("registry.example/nccl-tcpxo-installer:v1", (NCCL_TCPXO,)),
    ("registry.example/nccl-tcpx-installer:v1", (NCCL_TCPX,)),
    ("registry.example/nccl-rdma-installer:v1", (NCCL_RDMA,)),
    ("registry.k8s.io/networking/dranet:stable", (DRANET,)),
    ("registry.example/k8s-device-plugin/busybox:1.36", ()),
    ("busybox:k8s-device-plugin", ()),
    ("busybox@sha256:k8s-device-plugin", ()),
    ("busybox@dranet", ()),
    ("busybox@dranet@x", ()),
    ("busybox:k8s-device-plugin:1", ()),
    ("k8s-device-plugin", (DEVICE_PLUGIN,)),
])
def test_a_daemonset_provides_by_its_image_name(image: str, capabilities: tuple[str, ...]) -> None:
    """The image's last path segment without tag or digest; Google's two GPUDirect plugin images share a name and
    differ by their repository path (``/gpudirect-tcpxo/`` or ``/gpudirect-tcpx/``)."""
    runtime = runtime_of(daemonset(image))
    assert provided(runtime) == [(c, f"DaemonSet image {image} ({DAEMONSET} ds)") for c in capabilities]
    assert runtime.undecided == []


def test_a_daemonset_init_container_image_counts_and_each_is_placed_by_its_pod_template() -> None:
    runtime = runtime_of(daemonset("busybox:1", init=("nvcr.io/nvidia/k8s-device-plugin:v0.17.0",),
                                   nodeSelector={"gpu": "yes"}))
    assert provided(runtime) == [(DEVICE_PLUGIN, f"DaemonSet image nvcr.io/nvidia/k8s-device-plugin:v0.17.0 "
                                                 f"({DAEMONSET} ds)")]
    assert runtime.provisions[0].placement.node_selector == (("gpu", "yes"),)  # type: ignore[union-attr]


@pytest.mark.parametrize("made", [
    resource(DAEMONSET, "ds", {"spec": WIRE}),
    resource(DAEMONSET, "ds", {"spec": {"template": {"spec": {"containers": WIRE}}}}),
    resource(DAEMONSET, "ds", {"spec": {"template": {"spec": {"initContainers": WIRE}}}}),
    daemonset(WIRE),
])
def test_a_daemonset_image_unknown_is_undecided(made: PolicyResource) -> None:
    runtime = runtime_of(made)
    assert (runtime.provisions, runtime.undecided) == (
        [], [Undecided(urn(DAEMONSET, "ds"), f"DaemonSet ({DAEMONSET} ds)", "an image is unknown")])


def test_a_daemonset_whose_containers_are_unknown_still_reads_its_init_containers() -> None:
    made = resource(DAEMONSET, "ds", {"spec": {"template": {"spec": {
        "containers": WIRE, "initContainers": [{"name": "i", "image": "nvcr.io/nvidia/k8s-device-plugin:v0.17.0"}]}}}})
    runtime = runtime_of(made)
    assert ([u.why for u in runtime.undecided], [p.capability for p in runtime.provisions]) == (
        ["an image is unknown"], [DEVICE_PLUGIN])


def test_a_daemonset_with_an_unknown_and_a_known_image_is_both() -> None:
    runtime = runtime_of(daemonset(WIRE, "nvcr.io/nvidia/k8s-device-plugin:v0.17.0"))
    assert [u.why for u in runtime.undecided] == ["an image is unknown"]
    assert [p.capability for p in runtime.provisions] == [DEVICE_PLUGIN]


def test_a_container_without_an_image_is_skipped() -> None:
    made = resource(DAEMONSET, "ds", {"spec": {"template": {"spec": {"containers": [{"name": "x"}]}}}})
    runtime = runtime_of(made)
    assert (runtime.provisions, runtime.undecided) == ([], [])


# --- manifests -------------------------------------------------------------------------------------------------------

CAI = "https://raw.githubusercontent.com/GoogleCloudPlatform/container-engine-accelerators/master"


@pytest.mark.parametrize(("props", "found"), [
    ({"file": f"{CAI}/gpudirect-tcpxo/nccl-tcpxo-installer.yaml"},
     [(NCCL_TCPXO, f"{CAI}/gpudirect-tcpxo/nccl-tcpxo-installer.yaml")]),
    ({"file": f"{CAI}/gpudirect-rdma/nccl-rdma-installer.yaml"},
     [(NCCL_RDMA, f"{CAI}/gpudirect-rdma/nccl-rdma-installer.yaml")]),
    ({"file": "deploy/csi-azurelustre-node.yaml"}, [(CSI_AZURE_LUSTRE, "deploy/csi-azurelustre-node.yaml")]),
    ({"file": "", "files": ["nccl-tcpx-installer.yaml", "other.yaml"]},
     [(NCCL_TCPX, "nccl-tcpx-installer.yaml")]),
    ({"files": ["nccl-tcpx-installer.yaml", "nccl-rdma-installer.yaml"]},
     [(NCCL_TCPX, "nccl-tcpx-installer.yaml"), (NCCL_RDMA, "nccl-rdma-installer.yaml")]),
    ({"file": "cert-manager.yaml"}, []),
    ({"file": ""}, []),
    ({}, []),
])
@pytest.mark.parametrize("token", [CONFIG_FILE, CONFIG_GROUP])
def test_a_manifest_provides_by_its_file_name(token: str, props: dict[str, Any],
                                              found: list[tuple[str, str]]) -> None:
    runtime = runtime_of(resource(token, "m", props))
    assert provided(runtime) == [(c, f"manifest {f} ({token} m)") for c, f in found]
    assert runtime.undecided == [] and all(p.placement is None for p in runtime.provisions)


@pytest.mark.parametrize("props", [{"file": WIRE}, {"files": [WIRE]}, {"files": ["cert-manager.yaml", WIRE]}])
def test_a_manifest_whose_file_is_unknown_is_undecided(props: dict[str, Any]) -> None:
    runtime = runtime_of(resource(CONFIG_FILE, "m", props))
    assert (runtime.provisions, runtime.undecided) == (
        [], [Undecided(urn(CONFIG_FILE, "m"), f"manifest ({CONFIG_FILE} m)", "its file is unknown")])


# --- GKE multi-networking, NicClusterPolicy --------------------------------------------------------------------------

NETWORK = "kubernetes:networking.gke.io/v1:Network"
PARAMS = "kubernetes:networking.gke.io/v1:GKENetworkParamSet"
NCP = "kubernetes:mellanox.com/v1alpha1:NicClusterPolicy"


def test_gke_device_networks_and_rdma_param_sets_are_counted() -> None:
    runtime = runtime_of(resource(NETWORK, "n1", {"spec": {"type": "Device"}}),
                         resource(NETWORK, "n2", {"spec": {"type": "Device"}}),
                         resource(NETWORK, "n3", {"spec": {"type": "L3"}}),
                         resource(NETWORK, "n4", {}),
                         resource(PARAMS, "p1", {"spec": {"deviceMode": "RDMA"}}),
                         resource(PARAMS, "p0", {"spec": {"deviceMode": "RDMA"}}),
                         resource(PARAMS, "p2", {"spec": {"deviceMode": "NetDevice"}}),
                         resource(PARAMS, "p3", {"spec": {}}))
    assert (runtime.gke_device_networks, runtime.gke_rdma_param_sets, runtime.undecided) == (2, 2, [])
    assert not runtime.empty


def test_gke_network_objects_unknown_may_change_only_the_nic_network_needs() -> None:
    runtime = runtime_of(resource(NETWORK, "n", {"spec": {"type": WIRE}}),
                         resource(PARAMS, "p", {"spec": {"deviceMode": WIRE}}))
    assert runtime.undecided == [
        Undecided(urn(NETWORK, "n"), f"GKE Network ({NETWORK} n)", "its spec.type is unknown", NIC_NETWORKS),
        Undecided(urn(PARAMS, "p"), f"GKENetworkParamSet ({PARAMS} p)", "its spec.deviceMode is unknown",
                  NIC_NETWORKS)]
    assert (runtime.gke_device_networks, runtime.gke_rdma_param_sets) == (0, 0)
    assert runtime.undecided[0].may_provide([NCCL_RDMA]) and not runtime.undecided[0].may_provide([DEVICE_PLUGIN])


@pytest.mark.parametrize(("spec", "found"), [
    ({"rdmaSharedDevicePlugin": {"image": "k8s-rdma-shared-dev-plugin"}}, True),
    ({"sriovDevicePlugin": {"image": "sriov-network-device-plugin"}}, True),
    ({"ofedDriver": {"image": "doca-driver"}}, False),
    ({"rdmaSharedDevicePlugin": None}, False),
    ({}, False),
    (None, False),
])
def test_a_nic_cluster_policy_device_plugin_exposes_the_hcas(spec: Any, found: bool) -> None:
    runtime = runtime_of(resource(NCP, "ncp", {} if spec is None else {"spec": spec}))
    assert provided(runtime) == ([(INFINIBAND, f"NicClusterPolicy device plugin ({NCP} ncp)")] if found else [])


def test_a_nic_cluster_policy_spec_unknown_may_provide_only_rdma() -> None:
    runtime = runtime_of(resource(NCP, "ncp", {"spec": WIRE}))
    assert runtime.undecided == [Undecided(urn(NCP, "ncp"), f"NicClusterPolicy ({NCP} ncp)", "its spec is unknown",
                                           frozenset({INFINIBAND}))]


# --- GKE cluster add-ons, EKS add-ons, AICR ---------------------------------------------------------------------------

@pytest.mark.parametrize(("addons", "found"), [
    ({"lustreCsiDriverConfig": {"enabled": True}}, [(CSI_GKE_LUSTRE, "lustreCsiDriverConfig")]),
    ({"parallelstoreCsiDriverConfig": {"enabled": True}, "lustreCsiDriverConfig": {"enabled": False}},
     [(CSI_PARALLELSTORE, "parallelstoreCsiDriverConfig")]),
    ({"lustreCsiDriverConfig": {"enabled": True}, "parallelstoreCsiDriverConfig": {"enabled": True}},
     [(CSI_GKE_LUSTRE, "lustreCsiDriverConfig"), (CSI_PARALLELSTORE, "parallelstoreCsiDriverConfig")]),
    ({"lustreCsiDriverConfig": {}}, []),
    ({}, []),
    (None, []),
])
def test_a_gke_cluster_is_counted_with_the_csi_drivers_its_add_ons_install(addons: Any,
                                                                            found: list[tuple[str, str]]) -> None:
    runtime = runtime_of(resource(GKE_CLUSTER, "c", {} if addons is None else {"addonsConfig": addons}))
    assert provided(runtime) == [(c, f"GKE add-on {key} ({GKE_CLUSTER} c)") for c, key in found]
    assert (runtime.clusters, runtime.undecided) == (1, [])


def test_a_gke_cluster_add_on_unknown_is_undecided_for_its_driver_only() -> None:
    runtime = runtime_of(resource(GKE_CLUSTER, "c", {"addonsConfig": {"lustreCsiDriverConfig": {"enabled": WIRE},
                                                                      "parallelstoreCsiDriverConfig": {
                                                                          "enabled": True}}}))
    assert runtime.undecided == [Undecided(urn(GKE_CLUSTER, "c"), f"GKE cluster ({GKE_CLUSTER} c)",
                                           "addonsConfig.lustreCsiDriverConfig.enabled is unknown",
                                           frozenset({CSI_GKE_LUSTRE}))]
    assert [p.capability for p in runtime.provisions] == [CSI_PARALLELSTORE] and runtime.clusters == 1


def test_a_gke_cluster_whose_add_ons_are_unknown_may_provide_either_driver() -> None:
    runtime = runtime_of(resource(GKE_CLUSTER, "c", {"addonsConfig": WIRE}))
    assert runtime.undecided == [Undecided(urn(GKE_CLUSTER, "c"), f"GKE cluster ({GKE_CLUSTER} c)",
                                           "its addonsConfig is unknown",
                                           frozenset({CSI_GKE_LUSTRE, CSI_PARALLELSTORE}))]
    assert (runtime.provisions, runtime.clusters) == ([], 1)


ADDON = "aws:eks/addon:Addon"


@pytest.mark.parametrize(("name", "found"), [("aws-fsx-csi-driver", [CSI_FSX]), ("vpc-cni", []), ("", [])])
def test_an_eks_add_on_provides_by_its_name(name: str, found: list[str]) -> None:
    runtime = runtime_of(resource(ADDON, "a", {"addonName": name}))
    assert provided(runtime) == [(c, f"EKS add-on {name} ({ADDON} a)") for c in found]


def test_an_eks_add_on_whose_name_is_unknown_may_provide_the_fsx_driver_only() -> None:
    runtime = runtime_of(resource(ADDON, "a", {"addonName": WIRE}))
    assert runtime.undecided == [Undecided(urn(ADDON, "a"), f"EKS add-on ({ADDON} a)", "its addonName is unknown",
                                           frozenset({CSI_FSX}))]


AICR = "nvidia-aicr:index:ClusterStack"


@pytest.mark.parametrize(("service", "skip", "found"), [
    ("eks", [], [(DEVICE_PLUGIN, "gpu-operator"), (GPU_DRIVER, "gpu-operator"), (EFA_PLUGIN, "aws-efa")]),
    ("gke", None, [(DEVICE_PLUGIN, "gpu-operator"), (GPU_DRIVER, "gpu-operator"), (NCCL_TCPXO, "gke-nccl-tcpxo")]),
    ("aks", [], [(DEVICE_PLUGIN, "gpu-operator"), (GPU_DRIVER, "gpu-operator")]),
    (None, [], [(DEVICE_PLUGIN, "gpu-operator"), (GPU_DRIVER, "gpu-operator")]),
    ("eks", ["gpu-operator", 7], [(EFA_PLUGIN, "aws-efa")]),
    ("gke", ["gpu-operator", "gke-nccl-tcpxo"], []),
])
def test_an_aicr_cluster_stack_provides_its_components_for_its_service(service: Any, skip: Any,
                                                                        found: list[tuple[str, str]]) -> None:
    props = {k: v for k, v in {"service": service, "skipComponents": skip}.items() if v is not None}
    runtime = runtime_of(resource(AICR, "s", props))
    assert provided(runtime) == [(c, f"AICR ClusterStack component {comp} ({AICR} s)") for c, comp in found]


@pytest.mark.parametrize("props", [{"service": WIRE}, {"service": "eks", "skipComponents": WIRE}])
def test_an_aicr_cluster_stack_unknown_may_provide_any_of_its_components(props: dict[str, Any]) -> None:
    runtime = runtime_of(resource(AICR, "s", props))
    assert (runtime.provisions, runtime.undecided) == ([], [Undecided(
        urn(AICR, "s"), f"AICR ClusterStack ({AICR} s)", "its service or skipComponents is unknown",
        frozenset({DEVICE_PLUGIN, GPU_DRIVER, EFA_PLUGIN, NCCL_TCPXO}))])


# --- pools: the platform's GPU driver, Bottlerocket's device plugin, node traits -----------------------------------

@pytest.mark.parametrize(("ami", "driver", "plugin"), [
    ("AL2023_x86_64_NVIDIA", DRIVER_PLATFORM, False),
    ("AL2023_ARM_64_NVIDIA", DRIVER_PLATFORM, False),
    ("BOTTLEROCKET_x86_64_NVIDIA", DRIVER_PLATFORM, True),
    ("BOTTLEROCKET_ARM_64_NVIDIA", DRIVER_PLATFORM, True),
    ("AL2023_x86_64_NEURON", DRIVER_PLATFORM, False),
    ("AL2_x86_64_GPU", DRIVER_PLATFORM, False),
    ("AL2_x86_64", DRIVER_NONE, False),
    ("AL2023_x86_64_STANDARD", DRIVER_NONE, False),
    ("BOTTLEROCKET_x86_64", DRIVER_NONE, False),
    (WIRE, UNKNOWN, False),
    (None, None, False),
])
def test_an_eks_node_group_driver_from_its_ami_type(ami: Any, driver: Any, plugin: bool) -> None:
    runtime = runtime_of(resource(NODE_GROUP, "ng", {} if ami is None else {"amiType": ami}))
    assert runtime.pool_drivers == {urn(NODE_GROUP, "ng"): driver}
    assert runtime.platform_device_plugin == ({urn(NODE_GROUP, "ng")} if plugin else set())


def test_an_ami_type_is_read_on_eks_node_groups_only() -> None:
    runtime = runtime_of(resource(AGENT_POOL, "ap", {"amiType": "BOTTLEROCKET_x86_64_NVIDIA"}))
    assert (runtime.platform_device_plugin, runtime.pool_drivers) == (set(), {urn(AGENT_POOL, "ap"): DRIVER_PLATFORM})


def _accelerators(*versions: Any) -> dict[str, Any]:
    return {"nodeConfig": {"guestAccelerators": [
        {"type": "nvidia-h100-80gb", "count": 8,
         **({} if v is None else {"gpuDriverInstallationConfig": {"gpuDriverVersion": v}})} for v in versions]}}


@pytest.mark.parametrize(("props", "driver"), [
    (_accelerators("LATEST"), DRIVER_PLATFORM),
    (_accelerators("DEFAULT", "LATEST"), DRIVER_PLATFORM),
    (_accelerators("INSTALLATION_DISABLED"), DRIVER_NONE),
    (_accelerators("LATEST", "INSTALLATION_DISABLED"), DRIVER_NONE),
    (_accelerators(None), None),
    (_accelerators("LATEST", None), None),
    (_accelerators(), None),
    ({}, None),
    (_accelerators(WIRE), UNKNOWN),
    (_accelerators(None, WIRE), UNKNOWN),
    ({"nodeConfig": {"guestAccelerators": WIRE}}, UNKNOWN),
])
def test_a_gke_node_pool_driver_from_its_installation_config(props: dict[str, Any], driver: Any) -> None:
    runtime = runtime_of(resource(GKE_POOL, "np", props))
    assert runtime.pool_drivers == {urn(GKE_POOL, "np"): driver} and runtime.platform_device_plugin == set()


@pytest.mark.parametrize(("props", "driver"), [
    ({"gpuProfile": {"driver": "None"}}, DRIVER_NONE),
    ({"gpuProfile": {"driver": "Install"}}, DRIVER_PLATFORM),
    ({}, DRIVER_PLATFORM),
    ({"gpuProfile": {"driver": WIRE}}, UNKNOWN),
    ({"gpuProfile": WIRE}, UNKNOWN),
])
def test_an_aks_agent_pool_driver_from_its_gpu_profile(props: dict[str, Any], driver: Any) -> None:
    """AKS installs the NVIDIA driver unless ``gpuProfile.driver`` is ``None``."""
    runtime = runtime_of(resource(AGENT_POOL, "ap", props))
    assert runtime.pool_drivers == {urn(AGENT_POOL, "ap"): driver}


NFD = {"feature.node.kubernetes.io/pci-10de.present": "true", "nvidia.com/gpu.present": "true"}


@pytest.mark.parametrize(("others", "labels"), [
    ((), {"pool": "gpu"}),
    ((resource(HELM, "op", {"chart": "nvidia/gpu-operator"}),), {"pool": "gpu", **NFD}),
    ((resource(HELM4, "nfd", {"chart": "nfd/node-feature-discovery"}),), {"pool": "gpu", **NFD}),
    ((resource(HELM, "nfd", {"chart": WIRE}),), {"pool": "gpu"}),
    ((resource(HELM, "dp", {"chart": "nvidia-device-plugin"}),), {"pool": "gpu"}),
])
@pytest.mark.parametrize("type_", [GKE_POOL, AGENT_POOL])
def test_node_feature_discovery_labels_gpu_nodes_where_the_stack_runs_it(others: tuple[PolicyResource, ...],
                                                                         labels: dict[str, str], type_: str) -> None:
    pool = resource(type_, "p", {"nodeConfig": {"labels": {"pool": "gpu"}}} if type_ == GKE_POOL
                    else {"nodeLabels": {"pool": "gpu"}})
    runtime = runtime_of(pool, *others)
    assert dict(runtime.pool_traits[urn(type_, "p")].labels) == labels


@pytest.mark.parametrize(("ami", "labels"), [
    ("AL2023_x86_64_NVIDIA", {"nvidia.com/gpu.present": UNKNOWN}),
    (WIRE, {"nvidia.com/gpu.present": UNKNOWN}),
    ("AL2023_x86_64_STANDARD", {}),
    (None, {}),
])
def test_an_eks_nvidia_node_without_nfd_may_or_may_not_carry_the_gpu_label(ami: Any, labels: dict[str, Any]) -> None:
    """EKS adds ``nvidia.com/gpu.present`` on its NVIDIA AMIs only from Kubernetes 1.35 (not read): unknown."""
    runtime = runtime_of(resource(NODE_GROUP, "ng", {} if ami is None else {"amiType": ami}))
    assert dict(runtime.pool_traits[urn(NODE_GROUP, "ng")].labels) == labels


def test_an_eks_nvidia_node_with_the_gpu_operator_carries_nfd_labels() -> None:
    runtime = runtime_of(resource(NODE_GROUP, "ng", {"amiType": "AL2023_x86_64_NVIDIA"}),
                         resource(HELM, "op", {"chart": "gpu-operator"}))
    assert dict(runtime.pool_traits[urn(NODE_GROUP, "ng")].labels) == NFD


# --- clusters, volumes, the summary ----------------------------------------------------------------------------------

def test_every_kubernetes_cluster_is_counted_once() -> None:
    runtime = runtime_of(resource("aws:eks/cluster:Cluster", "eks", {}), resource(GKE_CLUSTER, "gke", {}),
                         resource("azure-native:containerservice:ManagedCluster", "aks", {}),
                         resource("aws:eks/cluster:Cluster", "eks2", {}), resource(GKE_CLUSTER, "gke2", {}))
    assert runtime.clusters == 5 and runtime.empty


@pytest.mark.parametrize(("driver", "counted"), [
    (CSI_FSX, 1), (CSI_GKE_LUSTRE, 1), (CSI_PARALLELSTORE, 1), (CSI_AZURE_LUSTRE, 1), ("ebs.csi.aws.com", 0),
    (WIRE, 0),
])
def test_persistent_volumes_of_a_parallel_file_systems_csi_are_counted(driver: str, counted: int) -> None:
    runtime = runtime_of(resource("kubernetes:core/v1:PersistentVolume", "pv", {"spec": {"csi": {"driver": driver}}}))
    assert runtime.volumes == counted


def test_the_summary_names_each_capability_once_in_a_fixed_order_with_networks_and_volumes() -> None:
    pv = {"spec": {"csi": {"driver": CSI_FSX}}}
    runtime = runtime_of(resource(ADDON, "fsx", {"addonName": "aws-fsx-csi-driver"}),
                         resource(HELM, "efa", {"chart": "aws-efa-k8s-device-plugin"}),
                         resource(HELM, "op", {"chart": "gpu-operator"}),
                         resource(HELM, "dp", {"chart": "nvidia-device-plugin"}),
                         resource(NETWORK, "n1", {"spec": {"type": "Device"}}),
                         resource(NETWORK, "n2", {"spec": {"type": "Device"}}),
                         resource("kubernetes:core/v1:PersistentVolume", "pv1", pv),
                         resource("kubernetes:core/v1:PersistentVolume", "pv2", pv))
    assert runtime.summary() == ("NVIDIA device plugin · GPU Operator driver · EFA device plugin · FSx CSI · "
                                 "2 GPU NIC networks · 2 volumes")


def test_the_summary_of_one_volume_and_of_nothing() -> None:
    one = runtime_of(resource("kubernetes:core/v1:PersistentVolume", "pv", {"spec": {"csi": {"driver": CSI_FSX}}}),
                     resource(HELM, "dranet", {"chart": "dranet"}),
                     resource(NCP, "ncp", {"spec": {"rdmaSharedDevicePlugin": {"image": "x"}}}))
    assert one.summary() == "DRANET · RDMA device plugin · 1 volume"
    assert Runtime().summary() == "" and Runtime().empty


def test_the_summary_names_a_capability_outside_its_table_by_itself_last() -> None:
    runtime = Runtime(provisions=[Provision("zz-other", "u", "l"), Provision("aa-other", "u", "l"),
                                  Provision(CSI_AZURE_LUSTRE, "u", "l"), Provision(NCCL_TCPXO, "u", "l")])
    assert runtime.summary() == "NCCL TCPXO plugin · Azure Lustre CSI · aa-other · zz-other"


def test_providing_lists_the_provisions_of_one_capability() -> None:
    runtime = runtime_of(resource(HELM, "op", {"chart": "gpu-operator"}), resource(HELM, "dp", {"chart": "nvdp"}),
                         resource(HELM, "dp2", {"chart": "nvidia-device-plugin"}))
    assert [p.urn for p in runtime.providing(DEVICE_PLUGIN)] == [urn(HELM, "op"), urn(HELM, "dp2")]
    assert [p.urn for p in runtime.providing(GPU_DRIVER)] == [urn(HELM, "op")]


def test_each_runtime_entry_is_of_the_cloud_its_token_names() -> None:
    clouds = {e.token: e.cloud for e in ENTRIES}
    assert (clouds[HELM], clouds[NODE_GROUP], clouds[GKE_POOL], clouds[AGENT_POOL], clouds[AICR],
            clouds["azure-native:containerservice:ManagedCluster"]) == (
        "kubernetes", "aws", "gcp", "azure", "nvidia-aicr", "azure")
    assert {e.kind for e in ENTRIES} == {"runtime"}


def test_a_runtime_entry_takes_its_cloud_from_the_tokens_package() -> None:
    """``azure-native`` is the cloud ``azure``; every other package is its own name."""
    def reader(runtime: Runtime, node: Any) -> None:
        return None

    assert _entry("azure-native:containerservice:AgentPool", "what", "reads", reader) == Entry(
        "azure-native:containerservice:AgentPool", "azure", "runtime", "what", "reads", reader)
    assert _entry("kubernetes:helm.sh/v3:Release", "w", "r", reader).cloud == "kubernetes"
    assert _entry("nvidia-aicr:index:ClusterStack", "w", "r", reader).cloud == "nvidia-aicr"
