"""The runtime components alone under the mock: what each installs for which pools, the pinned versions they
install, volumes bound to their file systems, and bad arguments refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from backbone.components.aws.runtime import AwsRuntime, AwsRuntimeArgs
from backbone.components.azure.runtime import AzureRuntime, AzureRuntimeArgs
from backbone.components.gcp.runtime import GcpRuntime, GcpRuntimeArgs, GpuNic
from backbone.components.runtime import PoolNeeds, Volume, pool_needs, versions
from backbone.components.spec import ClusterSpec
from backbone.core.errors import CatalogError, ComponentArgumentError
from backbone.engine import Preview

RELEASE = "kubernetes:helm.sh/v3:Release"
KUBECONFIG = '{"apiVersion": "v1", "kind": "Config"}'
H100_EFA = PoolNeeds("h100", "gpu", "efa", 32)
L4 = PoolNeeds("l4", "gpu")

Run = Callable[[Callable[[], object]], Preview]


def charts(preview: Preview) -> dict[str, str]:
    return {str(r.inputs["chart"]): str(r.inputs["version"]) for r in preview.of_type(RELEASE)}


def test_aws_training_pool_gets_device_plugin_and_efa_plugin_at_pinned_versions(preview: Run) -> None:
    result = preview(lambda: AwsRuntime("rt", AwsRuntimeArgs(kubeconfig=KUBECONFIG, cluster_name="c",
                                                             pools=[H100_EFA])))
    pinned = versions.load()
    assert charts(result) == {
        "nvidia-device-plugin": pinned.chart("nvidia-device-plugin").version,
        "aws-efa-k8s-device-plugin": pinned.chart("aws-efa-k8s-device-plugin").version,
    }
    assert result.of_type("aws:eks/addon:Addon") == []


def test_aws_operator_driver_installs_the_gpu_operator_and_no_efa_for_inference(preview: Run) -> None:
    result = preview(lambda: AwsRuntime("rt", AwsRuntimeArgs(kubeconfig=KUBECONFIG, cluster_name="c", pools=[L4],
                                                             gpu_driver="operator")))
    assert set(charts(result)) == {"gpu-operator"}


def test_aws_file_system_gets_the_fsx_addon_and_a_bound_volume(preview: Run, only: Any, linked: Any) -> None:
    volume = Volume("scratch", "fsx.csi.aws.com", "fs-0123", 48000, {"dnsname": "d", "mountname": "m"})
    result = preview(lambda: AwsRuntime("rt", AwsRuntimeArgs(kubeconfig=KUBECONFIG, cluster_name="c", pools=[],
                                                             volumes=[volume])))
    addons = {a.inputs["addonName"]: a for a in result.of_type("aws:eks/addon:Addon")}
    assert set(addons) == {"aws-fsx-csi-driver", "eks-pod-identity-agent"}
    [association] = addons["aws-fsx-csi-driver"].inputs["podIdentityAssociations"]
    assert association["serviceAccount"] == "fsx-csi-controller-sa"
    role = only(result, "aws:iam/role:Role")
    assert role in linked(result, addons["aws-fsx-csi-driver"], "podIdentityAssociations")
    assert "pods.eks.amazonaws.com" in role.inputs["assumeRolePolicy"]
    pv = only(result, "kubernetes:core/v1:PersistentVolume")
    pvc = only(result, "kubernetes:core/v1:PersistentVolumeClaim")
    assert pv.inputs["spec"]["csi"] == {"driver": "fsx.csi.aws.com", "volumeHandle": "fs-0123",
                                       "volumeAttributes": {"dnsname": "d", "mountname": "m"}}
    assert pv.inputs["spec"]["capacity"] == {"storage": "48000Gi"}
    assert pv in linked(result, pvc, "spec")  # the claim binds the volume by its name
    assert charts(result) == {}


def test_gcp_tcpxo_pool_gets_network_objects_per_nic_and_the_paired_installer(preview: Run) -> None:
    nics = [GpuNic(f"vpc-{i}", f"sub-{i}") for i in range(8)]
    result = preview(lambda: GcpRuntime("rt", GcpRuntimeArgs(
        kubeconfig=KUBECONFIG, pools=[PoolNeeds("h100", "gpu", "gpudirect-tcpxo", 8)],
        gpu_networks={"gpudirect-tcpxo": nics})))
    params = result.of_type("kubernetes:networking.gke.io/v1:GKENetworkParamSet")
    networks = result.of_type("kubernetes:networking.gke.io/v1:Network")
    assert len(params) == len(networks) == 8
    assert {p.inputs["spec"]["deviceMode"] for p in params} == {"NetDevice"}
    assert {n.inputs["spec"]["type"] for n in networks} == {"Device"}
    files = [m.inputs["file"] for m in result.of_type("kubernetes:yaml/v2:ConfigFile")]
    pinned = versions.load().nccl_installers["gpudirect-tcpxo"]
    assert sorted(files) == sorted(pinned.manifests) and any("nccl-tcpxo-installer" in f for f in files)  # any order
    assert all("/a32cd5152c6ac430ed0651199484853baa14f2d0/" in f for f in files)  # pinned to a commit
    assert charts(result) == {}  # GKE installs the driver and runs the device plugin itself


def test_gcp_rdma_uses_rdma_device_mode_and_googles_manifest(preview: Run) -> None:
    nics = [GpuNic("gvnic", "gvnic-sub", "gvnic")] + [GpuNic("roce", f"roce-{i}") for i in range(8)]
    result = preview(lambda: GcpRuntime("rt", GcpRuntimeArgs(
        kubeconfig=KUBECONFIG, pools=[PoolNeeds("h200", "gpu", "rdma", 8)], gpu_networks={"rdma": nics})))
    params = result.of_type("kubernetes:networking.gke.io/v1:GKENetworkParamSet")
    modes = [p.inputs["spec"]["deviceMode"] for p in params]
    assert sorted(modes) == ["NetDevice"] + ["RDMA"] * 8
    [manifest] = result.of_type("kubernetes:yaml/v2:ConfigFile")
    assert "nccl-rdma-installer" in manifest.inputs["file"]


def test_gcp_refuses_fewer_networks_than_gpu_nics(preview: Run) -> None:
    with pytest.raises(ComponentArgumentError, match=r"attach 8 GPU NICs per node.*got 2"):
        preview(lambda: GcpRuntime("rt", GcpRuntimeArgs(
            kubeconfig=KUBECONFIG, pools=[PoolNeeds("h100", "gpu", "gpudirect-tcpxo", 8)],
            gpu_networks={"gpudirect-tcpxo": [GpuNic("a", "b"), GpuNic("c", "d")]})))


def test_azure_infiniband_pool_gets_the_network_operator_and_lustre_csi(preview: Run) -> None:
    volume = Volume("scratch", "azurelustre.csi.azure.com", "scratch#10.0.0.4", 65536,
                    {"mgs-ip-address": "10.0.0.4", "fs-name": "lustrefs"})
    result = preview(lambda: AzureRuntime("rt", AzureRuntimeArgs(
        kubeconfig=KUBECONFIG, pools=[PoolNeeds("nd", "gpu", "infiniband", 8)], volumes=[volume])))
    assert set(charts(result)) == {"nvidia-device-plugin", "network-operator"}
    files = [m.inputs["file"] for m in result.of_type("kubernetes:yaml/v2:ConfigFile")]
    assert any(f.endswith("/deploy/csi-azurelustre-node-noble.yaml") for f in files)  # the driver's own release
    assert all("/9011a5fc83654e814d014b029598082ed0165dc2/" in f for f in files)  # v0.4.0's commit
    [policy] = result.of_type("kubernetes:mellanox.com/v1alpha1:NicClusterPolicy")
    assert policy.inputs["spec"]["rdmaSharedDevicePlugin"]["version"] == \
        versions.load().nic_cluster_policy.rdma_shared_device_plugin[1]


def test_azure_nic_cluster_policy_lands_on_the_infiniband_pools_only(preview: Run) -> None:
    pools = [PoolNeeds("nd", "gpu", "infiniband", 8), PoolNeeds("nd2", "gpu", "infiniband", 8), L4]
    result = preview(lambda: AzureRuntime("rt", AzureRuntimeArgs(kubeconfig=KUBECONFIG, pools=pools)))
    [policy] = result.of_type("kubernetes:mellanox.com/v1alpha1:NicClusterPolicy")
    [term] = policy.inputs["spec"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"]
    assert term["matchExpressions"] == [{"key": "backbone.dev/pool", "operator": "In", "values": ["nd", "nd2"]}]


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_the_device_plugin_is_pinned_to_the_gpu_pools_and_tolerates_their_taints(preview: Run, cloud: str) -> None:
    pools = [H100_EFA, L4, PoolNeeds("trn", "trainium"), PoolNeeds("cpu", None)]
    build = {"aws": lambda: AwsRuntime("rt", AwsRuntimeArgs(kubeconfig=KUBECONFIG, cluster_name="c", pools=pools)),
             "azure": lambda: AzureRuntime("rt", AzureRuntimeArgs(kubeconfig=KUBECONFIG, pools=pools))}[cloud]
    [plugin] = [r for r in preview(build).of_type(RELEASE) if r.inputs["chart"] == "nvidia-device-plugin"]
    # Chart 0.18.0's default affinity wants NFD/GFD labels (pci-10de.present, nvidia.com/gpu.present) that AKS and
    # EKS AL2023 nodes do not carry: without values the DaemonSet runs on no node.
    affinity = plugin.inputs["values"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    assert affinity["nodeSelectorTerms"] == [{"matchExpressions": [
        {"key": "backbone.dev/pool", "operator": "In", "values": ["h100", "l4"]}]}]
    assert plugin.inputs["values"]["tolerations"] == [{"operator": "Exists"}]


def test_the_gpu_operator_tolerates_every_taint_of_its_nodes(preview: Run) -> None:
    result = preview(lambda: AzureRuntime("rt", AzureRuntimeArgs(kubeconfig=KUBECONFIG, pools=[L4],
                                                                 gpu_driver="operator")))
    [operator] = result.of_type(RELEASE)
    assert operator.inputs["chart"] == "gpu-operator" and operator.inputs["version"] == "v25.10.1"
    assert operator.inputs["values"] == {"daemonsets": {"tolerations": [{"operator": "Exists"}]}}


def test_duplicate_volume_names_are_refused(preview: Run) -> None:
    volume = Volume("scratch", "fsx.csi.aws.com", "fs-1", 1200)
    with pytest.raises(ComponentArgumentError, match="repeated: scratch"):
        preview(lambda: AwsRuntime("rt", AwsRuntimeArgs(kubeconfig=KUBECONFIG, cluster_name="c", pools=[],
                                                        volumes=[volume, volume])))


def test_pool_needs_take_fabric_only_for_multi_node_training() -> None:
    spec = ClusterSpec.model_validate({
        "cloud": "aws", "name": "c", "region": "us-east-1", "zone": "us-east-1a",
        "nodePools": [{"name": "train", "instanceType": "p5.48xlarge", "maxNodes": 4},
                      {"name": "serve", "instanceType": "p5.48xlarge", "purpose": "inference", "maxNodes": 4}],
    })
    needs = {n.name: n for n in pool_needs(spec)}
    assert needs["train"].fabric == "efa" and needs["train"].fabric_nics == 32
    assert needs["serve"].fabric == "none" and needs["serve"].accelerator == "gpu"


def test_spec_option_turns_the_layer_off() -> None:
    base = {"cloud": "aws", "name": "c", "region": "us-east-1", "zone": "us-east-1a",
            "nodePools": [{"name": "p", "instanceType": "p5.48xlarge", "maxNodes": 1}]}
    assert ClusterSpec.model_validate(base).runtime is True
    assert ClusterSpec.model_validate({**base, "runtime": False}).runtime is False


def test_versions_refuse_an_uncited_chart() -> None:
    data = {"sources": {}, "charts": {"x": {"repo": "r", "chart": "x", "version": "1", "namespace": "n",
                                             "source": "nowhere"}},
            }
    with pytest.raises(CatalogError, match="cites source 'nowhere'"):
        versions.parse(data)


def test_every_pinned_entry_cites_a_dated_source() -> None:
    pinned = versions.load()
    for chart in pinned.charts.values():
        assert chart.source.url.startswith("https://") and chart.source.as_of and chart.version
    for installer in pinned.nccl_installers.values():
        assert installer.source.url.startswith("https://") and ":" in installer.image.rsplit("/", 1)[-1]
        assert installer.manifests


def test_trainium_pool_gets_the_neuron_plugin_from_its_oci_registry(preview: Run) -> None:
    result = preview(lambda: AwsRuntime("rt", AwsRuntimeArgs(kubeconfig=KUBECONFIG, cluster_name="c",
                                                             pools=[PoolNeeds("trn", "trainium")])))
    [release] = result.of_type(RELEASE)
    assert release.inputs["chart"] == "oci://public.ecr.aws/neuron/neuron-helm-chart"
    assert "repositoryOpts" not in release.inputs and release.inputs["values"] == {"npd": {"enabled": False}}


def test_gcp_runtime_refuses_the_gpu_operator(preview: Run) -> None:
    with pytest.raises(ComponentArgumentError, match="Container-Optimized OS") as info:
        preview(lambda: GcpRuntime("rt", GcpRuntimeArgs(kubeconfig=KUBECONFIG, pools=[L4], gpu_driver="operator")))
    assert info.value.argument == "gpu_driver"
