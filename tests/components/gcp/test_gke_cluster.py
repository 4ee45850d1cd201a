"""GkeCluster: private nodes, Dataplane V2, multi-networking when pools need it, CSI drivers, system pool."""

from __future__ import annotations

from backbone.components.gcp import GkeCluster, GkeClusterArgs
from backbone.engine import Preview

from .helpers import NODE_POOL, linked, only, run, vpc_pair

CLUSTER = "gcp:container/cluster:Cluster"


def cluster(**kwargs: object) -> Preview:
    def program() -> None:
        vpc, subnet = vpc_pair("host")
        GkeCluster("llm", GkeClusterArgs(region="us-central1", zones=["us-central1-a"], network=vpc.id,
                                         subnetwork=subnet.id, **kwargs))  # type: ignore[arg-type]

    return run(program)


def test_private_nodes_vpc_native_and_dataplane_v2_without_the_default_pool() -> None:
    preview = cluster()
    gke = only(preview, CLUSTER)
    assert gke.inputs["privateClusterConfig"]["enablePrivateNodes"] is True
    assert gke.inputs["privateClusterConfig"]["enablePrivateEndpoint"] is False
    assert gke.inputs["datapathProvider"] == "ADVANCED_DATAPATH"
    assert gke.inputs["ipAllocationPolicy"] == {"clusterSecondaryRangeName": "pods",
                                                "servicesSecondaryRangeName": "services"}
    assert gke.inputs["removeDefaultNodePool"] is True
    assert "enableMultiNetworking" not in gke.inputs
    assert [r.type for r in linked(preview, gke, "network")] == ["gcp:compute/network:Network"]
    assert [r.type for r in linked(preview, gke, "subnetwork")] == ["gcp:compute/subnetwork:Subnetwork"]


def test_multi_networking_and_private_endpoint_when_asked() -> None:
    gke = only(cluster(multi_networking=True, private_endpoint=True), CLUSTER)
    assert gke.inputs["enableMultiNetworking"] is True
    assert gke.inputs["privateClusterConfig"]["enablePrivateEndpoint"] is True


def test_csi_drivers_follow_the_storage_kinds() -> None:
    addons = only(cluster(storage_kinds={"lustre", "bucket"}), CLUSTER).inputs["addonsConfig"]
    assert addons["lustreCsiDriverConfig"]["enabled"] is True
    assert addons["gcsFuseCsiDriverConfig"]["enabled"] is True
    assert addons["parallelstoreCsiDriverConfig"]["enabled"] is False


def test_workload_identity_needs_the_project() -> None:
    assert "workloadIdentityConfig" not in only(cluster(), CLUSTER).inputs
    gke = only(cluster(project="acme-ml"), CLUSTER)
    assert gke.inputs["workloadIdentityConfig"] == {"workloadPool": "acme-ml.svc.id.goog"}


def test_system_pool_is_labelled_system_and_sits_in_the_cluster_zones() -> None:
    preview = cluster(system_nodes=3, system_machine_type="e2-standard-8")
    pool = only(preview, NODE_POOL)
    assert linked(preview, pool, "cluster") == [only(preview, CLUSTER)]
    assert pool.inputs["nodeCount"] == 3.0
    assert pool.inputs["nodeLocations"] == ["us-central1-a"]
    assert pool.inputs["nodeConfig"]["machineType"] == "e2-standard-8"
    assert pool.inputs["nodeConfig"]["labels"] == {"backbone.dev/purpose": "system", "backbone.dev/pool": "system"}
