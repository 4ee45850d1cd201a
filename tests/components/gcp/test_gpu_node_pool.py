"""GpuNodePool: catalog facts on the node pool, one node network per GPU NIC, compact placement, one zone,
capacity (on-demand, spot, reservation, queued), and the L4 inference pool that scales to zero."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from backbone.components.gcp import GpuNodePool, GpuNodePoolArgs, Network, NetworkArgs, NodeNetwork
from backbone.core.errors import BackboneError, ComponentArgumentError
from backbone.engine import Preview, RecordedResource

from .helpers import NETWORK, NODE_POOL, SUBNET, bare_cluster, linked, only, row, run, vpc_pair


def gpu_pool(machine_type: str, *, networks: bool = True, **kwargs: Any) -> Preview:
    """A GPU pool on its own, with the fabric networks ``Network`` builds for its machine type."""

    def program() -> None:
        fabric = row(machine_type)
        gpu_fabrics = {fabric.fabric: fabric.fabric_nics} if networks and fabric.fabric_nics else {}
        net = Network("net", NetworkArgs(region="us-central1", zone="us-central1-b", gpu_fabrics=gpu_fabrics))
        args: dict[str, Any] = {"zones": ["us-central1-b"], "max_nodes": 4, **kwargs}
        GpuNodePool("train", GpuNodePoolArgs(
            cluster=bare_cluster(), location="us-central1", machine_type=machine_type,
            gpu_networks=net.gpu_networks.get(fabric.fabric, []), **args))

    return run(program)


def vpc_of(preview: Preview, subnet: RecordedResource) -> RecordedResource:
    (vpc,) = linked(preview, subnet, "network", NETWORK)
    return vpc


@pytest.mark.parametrize("machine_type", ["a3-highgpu-8g", "a3-megagpu-8g"])
def test_every_gpu_nic_is_an_additional_node_network_on_its_own_vpc(machine_type: str) -> None:
    preview = gpu_pool(machine_type)
    pool = only(preview, NODE_POOL)
    configs = pool.inputs["networkConfig"]["additionalNodeNetworkConfigs"]
    nics = row(machine_type).fabric_nics
    assert len(configs) == nics
    vpcs = linked(preview, pool, "networkConfig", NETWORK)
    subnets = linked(preview, pool, "networkConfig", SUBNET)
    assert len({v.urn for v in vpcs}) == len({s.urn for s in subnets}) == nics
    # each config names a subnet of the VPC it names
    names = {(vpc_of(preview, s).inputs["name"], s.inputs["name"]) for s in subnets}
    assert {(c["network"], c["subnetwork"]) for c in configs} == names
    assert pool.inputs["nodeConfig"]["gvnic"] == {"enabled": True}


def test_rdma_pool_attaches_eight_rdma_subnets_of_the_rdma_vpc_and_one_gvnic_network() -> None:
    preview = gpu_pool("a3-ultragpu-8g")
    pool = only(preview, NODE_POOL)
    subnets = linked(preview, pool, "networkConfig", SUBNET)
    on_rdma = [s for s in subnets if vpc_of(preview, s).inputs.get("networkProfile")]
    assert len(on_rdma) == row("a3-ultragpu-8g").fabric_nics
    assert len(subnets) == len(on_rdma) + 1
    assert len(pool.inputs["networkConfig"]["additionalNodeNetworkConfigs"]) == len(subnets)


def test_training_pool_facts_come_from_the_catalog_and_it_is_compact_in_one_zone() -> None:
    a3m = row("a3-megagpu-8g")
    pool = only(gpu_pool("a3-megagpu-8g", min_nodes=2, max_nodes=16, labels={"team": "llm"}), NODE_POOL)
    config = pool.inputs["nodeConfig"]
    assert config["machineType"] == "a3-megagpu-8g"
    (accelerator,) = config["guestAccelerators"]
    assert accelerator["type"] == "nvidia-h100-mega-80gb"
    assert accelerator["count"] == a3m.accelerator_count
    assert accelerator["gpuDriverInstallationConfig"] == {"gpuDriverVersion": "LATEST"}
    assert config["labels"] == {"team": "llm", "backbone.dev/purpose": "training", "backbone.dev/pool": "train"}
    assert pool.inputs["placementPolicy"] == {"type": "COMPACT"}
    assert pool.inputs["nodeLocations"] == ["us-central1-b"]
    assert pool.inputs["autoscaling"]["totalMinNodeCount"] == 2.0
    assert pool.inputs["autoscaling"]["totalMaxNodeCount"] == 16.0
    assert pool.inputs["networkConfig"]["enablePrivateNodes"] is True
    assert "spot" not in config and "reservationAffinity" not in config and "queuedProvisioning" not in pool.inputs


CAPACITY: list[tuple[dict[str, Any], Callable[[dict[str, Any]], bool]]] = [
    ({"capacity": "spot"}, lambda p: p["nodeConfig"]["spot"] is True),
    ({"capacity": "reservation", "reservation": "a3m-res"}, lambda p: p["nodeConfig"]["reservationAffinity"] == {
        "consumeReservationType": "SPECIFIC_RESERVATION", "key": "compute.googleapis.com/reservation-name",
        "values": ["a3m-res"]}),
    ({"queued_provisioning": True}, lambda p: p["queuedProvisioning"] == {"enabled": True}
     and p["nodeConfig"]["reservationAffinity"] == {"consumeReservationType": "NO_RESERVATION"}
     and p["autoscaling"]["locationPolicy"] == "ANY"),
]


@pytest.mark.parametrize(("capacity", "holds"), CAPACITY, ids=["spot", "reservation", "queued"])
def test_capacity(capacity: dict[str, Any], holds: Callable[[dict[str, Any]], bool]) -> None:
    assert holds(only(gpu_pool("a3-megagpu-8g", **capacity), NODE_POOL).inputs)


@pytest.mark.parametrize(("kind", "reservation", "queued"), [("reservation", None, False), ("spot", "r", False),
                                                             ("spot", None, True)])
def test_capacity_combinations_that_cannot_work_are_refused(kind: str, reservation: str | None, queued: bool) -> None:
    with pytest.raises(ComponentArgumentError, match=r"reservation|queued") as info:
        gpu_pool("a3-megagpu-8g", capacity=kind, reservation=reservation, queued_provisioning=queued)
    assert info.value.component == "GpuNodePool train"
    assert info.value.argument in ("reservation", "queued_provisioning")


def test_a_capacity_block_is_refused_on_gcp() -> None:
    with pytest.raises(ComponentArgumentError, match="'capacity-block' is an AWS EC2 Capacity Block for ML; gcp "
                                                     "has none") as info:
        gpu_pool("a3-megagpu-8g", capacity="capacity-block", reservation="my-reservation")
    assert info.value.argument == "capacity"


def test_operator_managed_driver_disables_gke_installation() -> None:
    pool = only(gpu_pool("a3-megagpu-8g", gpu_driver="operator"), NODE_POOL)
    (accelerator,) = pool.inputs["nodeConfig"]["guestAccelerators"]
    assert accelerator["gpuDriverInstallationConfig"] == {"gpuDriverVersion": "INSTALLATION_DISABLED"}


def test_l4_inference_pool_scales_to_zero_across_zones_without_fabric_or_placement() -> None:
    pool = only(gpu_pool("g2-standard-8", purpose="inference", min_nodes=0, max_nodes=8,
                         zones=["us-central1-a", "us-central1-b"]), NODE_POOL)
    assert pool.inputs["autoscaling"]["totalMinNodeCount"] == 0.0
    assert pool.inputs["initialNodeCount"] == 0.0
    assert pool.inputs["nodeLocations"] == ["us-central1-a", "us-central1-b"]
    assert "placementPolicy" not in pool.inputs
    assert "additionalNodeNetworkConfigs" not in pool.inputs["networkConfig"]
    assert pool.inputs["nodeConfig"]["guestAccelerators"][0]["type"] == "nvidia-l4"
    assert pool.inputs["nodeConfig"]["labels"]["backbone.dev/purpose"] == "inference"


def test_multi_zone_training_pool_is_refused() -> None:
    with pytest.raises(BackboneError, match="one zone"):
        gpu_pool("a3-megagpu-8g", zones=["us-central1-a", "us-central1-b"])


def test_zone_the_catalog_says_lacks_the_machine_type_is_refused(
        zones_known: Callable[[str, tuple[str, ...]], None]) -> None:
    zones_known("a3-megagpu-8g", ("us-central1-a", "us-central1-c"))
    with pytest.raises(BackboneError, match=r"not offered in zone us-central1-b.*us-central1-a, us-central1-c"):
        gpu_pool("a3-megagpu-8g")


def test_multi_node_training_without_its_gpu_networks_is_refused() -> None:
    with pytest.raises(BackboneError, match="needs 8 GPU NIC networks"):
        gpu_pool("a3-megagpu-8g", networks=False)


def test_gpu_nics_sharing_a_vpc_are_refused_for_gpudirect() -> None:
    def program() -> None:
        vpc, _ = vpc_pair("shared")
        subnets = [vpc_pair(f"s{i}")[1] for i in range(8)]
        GpuNodePool("train", GpuNodePoolArgs(
            cluster=bare_cluster(), location="us-central1", zones=["us-central1-b"], machine_type="a3-megagpu-8g",
            max_nodes=2, gpu_networks=[NodeNetwork(vpc.name, s.name, "gpu") for s in subnets]))

    with pytest.raises(BackboneError, match="own VPC"):
        run(program)


def test_tpu_machine_type_is_not_a_gpu_pool() -> None:
    with pytest.raises(BackboneError, match="TpuNodePool"):
        gpu_pool("ct5p-hightpu-4t")


def test_a_pool_joins_an_existing_cluster_and_networks_by_name_without_looking_them_up() -> None:
    """No ``container.Cluster`` object, no ``Network.get``: names, ids and self-links are enough."""
    links = "https://www.googleapis.com/compute/v1/projects/p/global/networks"
    networks = [NodeNetwork(f"{links}/gpu-{i}", f"projects/p/regions/us-central1/subnetworks/gpu-{i}-sub", "gpu")
                for i in range(8)]
    preview = run(lambda: GpuNodePool("train", GpuNodePoolArgs(
        cluster="projects/p/locations/us-central1/clusters/llm", location="us-central1", zones=["us-central1-b"],
        machine_type="a3-megagpu-8g", max_nodes=4, gpu_networks=networks)))
    pool = only(preview, NODE_POOL)
    assert pool.inputs["cluster"] == "projects/p/locations/us-central1/clusters/llm"
    assert [(c["network"], c["subnetwork"]) for c in pool.inputs["networkConfig"]["additionalNodeNetworkConfigs"]] \
        == [(f"gpu-{i}", f"gpu-{i}-sub") for i in range(8)]


def test_gpu_nics_named_on_one_vpc_are_refused_for_gpudirect() -> None:
    networks = [NodeNetwork("shared", f"sub-{i}", "gpu") for i in range(8)]
    with pytest.raises(ComponentArgumentError, match="own VPC") as info:
        run(lambda: GpuNodePool("train", GpuNodePoolArgs(
            cluster="llm", location="us-central1", zones=["us-central1-b"], machine_type="a3-megagpu-8g",
            max_nodes=4, gpu_networks=networks)))
    assert info.value.argument == "gpu_networks"
