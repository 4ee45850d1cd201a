"""AcceleratorCluster: a whole GCP stack from its spec, as the program (or a platform team) builds it."""

from __future__ import annotations

from typing import Any

from backbone.components.gcp import AcceleratorCluster
from backbone.components.spec import ClusterSpec
from backbone.engine import Preview, preview_function

from .helpers import NETWORK, NODE_POOL, SUBNET, linked, only

CLUSTER = "gcp:container/cluster:Cluster"


def build(cluster: dict[str, Any], project: str | None = None) -> Preview:
    spec = ClusterSpec.model_validate({"cloud": "gcp", "name": "c1", "region": "us-central1",
                                       "zone": "us-central1-b", **cluster})
    config = {"gcp:project": project} if project else {}
    return preview_function(lambda: AcceleratorCluster("c1", spec), "test", config)


def test_rdma_pool_with_lustre_gets_multi_networking_its_rdma_vpc_and_storage_access() -> None:
    preview = build({
        "nodePools": [{"name": "h200", "instanceType": "a3-ultragpu-8g", "maxNodes": 4,
                       "capacity": "reservation", "reservation": "a3u"}],
        "storage": [{"name": "scratch", "kind": "lustre", "capacityTiB": 18, "throughputMBpsPerTiB": 500}],
    }, project="acme-ml")
    gke = only(preview, CLUSTER)
    assert gke.inputs["enableMultiNetworking"] is True
    assert gke.inputs["addonsConfig"]["lustreCsiDriverConfig"]["enabled"] is True
    (pool,) = [p for p in preview.of_type(NODE_POOL) if p.inputs["name"] == "h200"]
    subnets = linked(preview, pool, "networkConfig", SUBNET)
    profiles = {linked(preview, s, "network", NETWORK)[0].inputs.get("networkProfile") for s in subnets}
    assert profiles == {None, "projects/acme-ml/global/networkProfiles/us-central1-b-vpc-roce"}
    assert only(preview, "gcp:lustre/instance:Instance").inputs["location"] == "us-central1-b"
    assert len(preview.of_type("gcp:servicenetworking/connection:Connection")) == 1


def test_pools_without_fabric_need_no_gpu_networks_nor_multi_networking() -> None:
    preview = build({"nodePools": [{"name": "l4", "instanceType": "g2-standard-8", "purpose": "inference",
                                    "maxNodes": 4}]})
    assert "enableMultiNetworking" not in only(preview, CLUSTER).inputs
    assert len(preview.of_type(NETWORK)) == 1
    assert preview.of_type("gcp:servicenetworking/connection:Connection") == []
    names = sorted(p.inputs["name"] for p in preview.of_type(NODE_POOL))
    assert names == ["l4", "system"]
