"""interconnect on GPUDirect-RDMA (a3-ultragpu-8g): the RDMA NICs share ONE VPC with the RoCE network
profile, one subnet each — unlike TCPX/TCPXO, where each GPU NIC has a VPC of its own. Hand-written
programs, no ``components``."""

from __future__ import annotations

import pulumi_gcp.compute as compute
import pulumi_gcp.container as container
from policy_verdict import Judge

NODE_POOL = "gcp:container/nodePool:NodePool"
ROCE_PROFILE = "projects/p/global/networkProfiles/us-central1-a-vpc-roce"


def rdma_cluster(profile: str | None = ROCE_PROFILE, subnets: int = 8, purpose: str | None = "training") -> None:
    main = compute.Network("main", auto_create_subnetworks=False)
    cluster = container.Cluster("train", location="us-central1", initial_node_count=1,
                                remove_default_node_pool=True, network=main.id)
    gvnic = compute.Network("gvnic-1", auto_create_subnetworks=False)
    gvnic_sub = compute.Subnetwork("gvnic-1-sub", network=gvnic.id, ip_cidr_range="192.168.0.0/24",
                                   region="us-central1")
    rdma = compute.Network("rdma", auto_create_subnetworks=False, mtu=8896, network_profile=profile)
    rdma_subs = [compute.Subnetwork(f"rdma-sub-{i}", network=rdma.id, ip_cidr_range=f"192.168.{i + 1}.0/24",
                                    region="us-central1") for i in range(subnets)]
    nics = [container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(network=gvnic.name,
                                                                           subnetwork=gvnic_sub.name)]
    nics += [container.NodePoolNetworkConfigAdditionalNodeNetworkConfigArgs(
        network=rdma.name, subnetwork=rdma_subs[i % subnets].name) for i in range(8)]
    container.NodePool(
        "ultra", cluster=cluster.name, location="us-central1", node_locations=["us-central1-a"],
        autoscaling=container.NodePoolAutoscalingArgs(total_min_node_count=0, total_max_node_count=8),
        node_config=container.NodePoolNodeConfigArgs(machine_type="a3-ultragpu-8g",
                                                     labels={"backbone.dev/purpose": purpose} if purpose else {}),
        network_config=container.NodePoolNetworkConfigArgs(additional_node_network_configs=nics,
                                                           enable_private_nodes=True),
        placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT"),
    )


def test_eight_rdma_nics_on_one_roce_vpc_one_subnet_each_is_the_full_fabric(judge: Judge) -> None:
    assert judge(rdma_cluster).violations("interconnect") == []


def test_rdma_nics_on_a_vpc_without_the_roce_profile_are_no_fabric(judge: Judge) -> None:
    verdict = judge(lambda: rdma_cluster(profile=None))
    found = verdict.only_violation("interconnect")
    assert found.urn == verdict.urn(NODE_POOL)
    assert "0 GPU NIC(s) configured where a3-ultragpu-8g has 8" in found.detail


def test_rdma_nics_sharing_subnets_are_short_of_nics(judge: Judge) -> None:
    found = judge(lambda: rdma_cluster(subnets=4)).only_violation("interconnect")
    assert "4 GPU NIC(s) configured where a3-ultragpu-8g has 8" in found.detail
