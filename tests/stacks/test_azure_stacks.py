"""The Azure example stacks through the real program (``__main__.py``) under the mock monitor, and bad Azure
input through the CLI (exit 2, file and config path named, what is allowed)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import pytest
import yaml

from backbone.cli import main
from backbone.core import catalog
from backbone.engine import Preview, preview_program
from backbone.stackfile import PROJECT_ROOT, read_stack

STACKS = PROJECT_ROOT / "stacks"
POOL = "azure-native:containerservice:AgentPool"
AMLFS = "azure-native:storagecache:AmlFilesystem"
SUBNET = "azure-native:network:Subnet"
CLUSTER = "azure-native:containerservice:ManagedCluster"


def _run(stack: str) -> tuple[dict[str, Any], Preview]:
    file = read_stack(STACKS / f"Pulumi.{stack}.yaml")
    return file.config["backbone:cluster"], preview_program(PROJECT_ROOT, file.name, file.config)


@pytest.fixture(scope="module")
def train() -> tuple[dict[str, Any], Preview]:
    return _run("azure-ndh100-train")


@pytest.fixture(scope="module")
def serve() -> tuple[dict[str, Any], Preview]:
    return _run("azure-nca100-serve")


def test_train_stack_is_one_nd_h100_pool_in_one_zone(train):
    config, result = train
    [pool] = result.of_type(POOL)
    [declared] = config["nodePools"]
    i = pool.inputs
    assert i["vmSize"] == declared["instanceType"] == "Standard_ND96isr_H100_v5"
    assert (i["minCount"], i["maxCount"]) == (declared["minNodes"], declared["maxNodes"]) == (0, 16)
    assert i["enableAutoScaling"] is True
    assert i["availabilityZones"] == [config["zone"]] == ["1"]
    assert i["enableNodePublicIP"] is False
    assert i["nodeLabels"] == {"backbone.dev/purpose": "training", "backbone.dev/pool": "h100"}
    assert i["gpuProfile"] == {"driver": "Install"}
    assert catalog.load().instance("azure", i["vmSize"]).fabric == "infiniband"


def test_train_stack_lustre_has_the_sku_and_capacity_of_the_stack_in_the_pools_zone(train):
    config, result = train
    [fs] = result.of_type(AMLFS)
    [lustre] = [s for s in config["storage"] if s["kind"] == "lustre"]
    assert fs.inputs["sku"]["name"] == f"AMLFS-Durable-Premium-{lustre['throughputMBpsPerTiB']}"
    assert fs.inputs["sku"]["name"] == "AMLFS-Durable-Premium-500"
    assert fs.inputs["storageCapacityTiB"] == lustre["capacityTiB"] == 80
    [pool] = result.of_type(POOL)
    assert fs.inputs["zones"] == pool.inputs["availabilityZones"] == ["1"]


def test_train_stack_lustre_feeds_each_gpu_a_few_hundred_mb_per_second(train):
    _, result = train
    [fs], [pool] = result.of_type(AMLFS), result.of_type(POOL)
    gpus = pool.inputs["maxCount"] * catalog.load().instance("azure", pool.inputs["vmSize"]).accelerator_count
    tier = float(fs.inputs["sku"]["name"].rsplit("-", 1)[1])
    assert gpus == 128
    assert fs.inputs["storageCapacityTiB"] * tier / gpus >= 300


def test_train_stack_file_system_subnet_is_separate_from_the_node_subnet(train):
    _, result = train
    [fs], [pool], [cluster] = result.of_type(AMLFS), result.of_type(POOL), result.of_type(CLUSTER)
    [fs_subnet] = result.linked(fs, "filesystemSubnet")
    [node_subnet] = result.linked(pool, "vnetSubnetID")
    assert fs_subnet.type == node_subnet.type == SUBNET
    assert fs_subnet.urn != node_subnet.urn
    assert result.linked(cluster, "agentPoolProfiles") == [node_subnet]  # the system pool shares the nodes'
    assert result.linked(fs_subnet, "virtualNetworkName") == result.linked(node_subnet, "virtualNetworkName")
    fs_net = ipaddress.ip_network(fs_subnet.inputs["addressPrefix"])
    node_net = ipaddress.ip_network(node_subnet.inputs["addressPrefix"])
    assert not fs_net.overlaps(node_net)


def test_train_stack_has_a_private_api_server_and_a_blob_container(train):
    config, result = train
    [cluster] = result.of_type(CLUSTER)
    assert cluster.inputs["apiServerAccessProfile"]["enablePrivateCluster"] is config["network"]["privateApi"]
    assert cluster.inputs["identity"] == {"type": "SystemAssigned"}
    [container] = result.of_type("azure-native:storage:BlobContainer")
    assert container.inputs["containerName"] == "datasets"


def test_serve_stack_is_an_nc_a100_spot_pool_that_scales_to_zero_without_lustre(serve):
    config, result = serve
    [pool] = result.of_type(POOL)
    i = pool.inputs
    assert i["vmSize"] == "Standard_NC24ads_A100_v4"
    assert (i["minCount"], i["count"], i["maxCount"]) == (0, 0, config["nodePools"][0]["maxNodes"])
    assert i["availabilityZones"] == ["1"]
    assert (i["scaleSetPriority"], i["scaleSetEvictionPolicy"]) == ("Spot", "Delete")
    assert i["nodeLabels"]["backbone.dev/purpose"] == "inference"
    assert i["gpuProfile"] == {"driver": "None"}  # gpuDriver: operator
    assert i["enableNodePublicIP"] is False
    assert catalog.load().instance("azure", i["vmSize"]).fabric == "none"
    assert result.of_type(AMLFS) == []


def _bad_stack(tmp_path: Path, stack: str, change) -> Path:
    data = yaml.safe_load((STACKS / f"Pulumi.{stack}.yaml").read_text())
    change(data["config"]["backbone:cluster"])
    path = tmp_path / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _lustre(cluster: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in cluster["storage"] if s["kind"] == "lustre")


@pytest.mark.parametrize(
    ("change", "path", "says"),
    [
        (lambda c: _lustre(c).update(capacityTiB=78), "backbone:cluster.storage[0]",
         "does not accept 78 TiB; allowed: 4 TiB and up in steps of 4 TiB up to 128 TiB (nearest: 76 or 80 TiB)"),
        (lambda c: _lustre(c).update(throughputMBpsPerTiB=300), "backbone:cluster.storage[0]",
         "has no 300 MB/s/TiB tier; allowed: 40, 125, 250, 500"),
        (lambda c: c["nodePools"][0].update(instanceType="Standard_ND96isr_B200_v9"),
         "backbone:cluster.nodePools[0].instanceType", "'Standard_ND96isr_B200_v9' is not in the azure catalog"),
    ],
    ids=["lustre-capacity", "lustre-tier", "unknown-vm-size"],
)
def test_bad_azure_input_exits_2_naming_file_path_and_what_is_allowed(tmp_path, capsys, change, path, says):
    bad = _bad_stack(tmp_path, "azure-ndh100-train", change)
    assert main(["plan", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}: {path}" in err
    assert says in err
    assert "Traceback" not in err
    if "catalog" in says:
        assert "known: " in err and "Standard_ND96isr_H100_v5" in err
