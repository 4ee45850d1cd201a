"""AcceleratorCluster: a whole cluster spec on Azure, wired through the smaller components."""

from __future__ import annotations

from typing import Any

import pytest

from backbone.components.azure import AcceleratorCluster
from backbone.components.spec import ClusterSpec, from_config
from backbone.core.errors import ComponentArgumentError, ConfigError

POOL = "azure-native:containerservice:AgentPool"
AMLFS = "azure-native:storagecache:AmlFilesystem"
CLUSTER = "azure-native:containerservice:ManagedCluster"


def _spec(**changes: Any) -> ClusterSpec:
    raw: dict[str, Any] = {
        "cloud": "azure", "name": "lab", "region": "eastus", "zone": "2",
        "nodePools": [
            {"name": "train", "instanceType": "Standard_ND96isr_H100_v5", "purpose": "training", "maxNodes": 4},
            {"name": "serve", "instanceType": "Standard_NC24ads_A100_v4", "purpose": "inference",
             "minNodes": 1, "maxNodes": 6, "zones": ["1", "2", "3"], "capacity": "spot"},
        ],
        "storage": [{"name": "scratch", "kind": "lustre", "capacityTiB": 16, "throughputMBpsPerTiB": 125}],
        "tags": {"team": "ml"},
    }
    raw.update(changes)
    return ClusterSpec.model_validate(raw)


def test_each_node_pool_becomes_one_agent_pool_of_the_cluster(preview, linked):
    result = preview(lambda: AcceleratorCluster("lab", _spec()))
    pools = {r.inputs["nodeLabels"]["backbone.dev/pool"]: r for r in result.of_type(POOL)}
    assert sorted(pools) == ["serve", "train"]
    assert pools["train"].inputs["availabilityZones"] == ["2"]  # the cluster's zone
    assert pools["serve"].inputs["availabilityZones"] == ["1", "2", "3"]
    assert (pools["serve"].inputs["minCount"], pools["serve"].inputs["maxCount"]) == (1.0, 6.0)
    assert pools["serve"].inputs["scaleSetPriority"] == "Spot"
    for pool in pools.values():
        assert [r.type for r in linked(result, pool, "resourceName")] == [CLUSTER]
        assert pool.inputs["tags"] == {"team": "ml", "backbone-cluster": "lab"}


def test_lustre_sits_in_the_pools_zone_on_its_own_subnet(preview, only, linked):
    result = preview(lambda: AcceleratorCluster("lab", _spec()))
    fs = only(result, AMLFS)
    assert fs.inputs["zones"] == ["2"]
    assert fs.inputs["sku"]["name"] == "AMLFS-Durable-Premium-125"
    [fs_subnet] = linked(result, fs, "filesystemSubnet")
    node_subnets = {s.urn for pool in result.of_type(POOL) for s in linked(result, pool, "vnetSubnetID")}
    assert len(node_subnets) == 1
    assert fs_subnet.urn not in node_subnets


def test_the_spec_gpu_driver_reaches_every_pool(preview):
    result = preview(lambda: AcceleratorCluster("lab", _spec(gpuDriver="operator")))
    assert {r.inputs["gpuProfile"]["driver"] for r in result.of_type(POOL)} == {"None"}


def test_private_api_and_system_pool_come_from_the_spec(preview, only):
    spec = _spec(network={"privateApi": True}, systemPool={"instanceType": "Standard_D8ds_v5", "nodes": 3})
    cluster = only(preview(lambda: AcceleratorCluster("lab", spec)), CLUSTER)
    assert cluster.inputs["apiServerAccessProfile"]["enablePrivateCluster"] is True
    system = cluster.inputs["agentPoolProfiles"][0]
    assert (system["vmSize"], system["count"], system["availabilityZones"]) == ("Standard_D8ds_v5", 3.0, ["2"])


def test_pool_names_that_shorten_to_one_aks_name_are_refused_with_their_config_path():
    pools = [
        {"name": "h100-training-a", "instanceType": "Standard_ND96isr_H100_v5", "maxNodes": 2},
        {"name": "h100-training-b", "instanceType": "Standard_ND96isr_H100_v5", "maxNodes": 2},
    ]
    with pytest.raises(ConfigError) as err:  # refused by the spec, before any preview
        from_config({"backbone:cluster": {"cloud": "azure", "name": "lab", "region": "eastus", "zone": "2",
                                          "nodePools": pools}})
    problem = err.value.problems[0]
    assert problem.path == "backbone:cluster.nodePools"
    assert "both become the AKS pool name 'h100training'" in problem.message


def test_a_cluster_on_another_cloud_is_refused(preview):
    spec = ClusterSpec.model_validate({"cloud": "gcp", "name": "lab", "region": "us-central1",
                                       "zone": "us-central1-a",
                                       "nodePools": [{"name": "l4", "instanceType": "g2-standard-8", "maxNodes": 1}]})
    with pytest.raises(ComponentArgumentError, match="builds azure clusters; got gcp"):
        preview(lambda: AcceleratorCluster("lab", spec))


def test_outputs_use_the_names_every_cloud_uses(preview):
    from pulumi_azure_native import containerservice, network, storage

    built: list[AcceleratorCluster] = []
    spec = _spec(storage=[*_spec().model_dump(by_alias=True)["storage"], {"name": "datasets", "kind": "bucket"}])
    preview(lambda: built.append(AcceleratorCluster("lab", spec)))
    [cluster] = built
    assert isinstance(cluster.network, network.VirtualNetwork)
    assert sorted(cluster.subnets) == ["filesystem", "nodes"]
    assert isinstance(cluster.cluster, containerservice.ManagedCluster)
    assert sorted(cluster.pools) == ["serve", "train"]
    assert sorted(cluster.filesystems) == ["scratch"]
    assert sorted(cluster.buckets) == ["datasets"]
    assert isinstance(cluster.buckets["datasets"], storage.BlobContainer)
