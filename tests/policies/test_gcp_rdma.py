"""interconnect on GPUDirect-RDMA (a3-ultragpu-8g): the RDMA NICs share ONE VPC with the RoCE network
profile, one subnet each — unlike TCPX/TCPXO, where each GPU NIC has a VPC of its own. Hand-written
programs, no ``components``."""

from __future__ import annotations

from policy_programs import gcp_rdma as rdma_cluster
from policy_verdict import Judge

NODE_POOL = "gcp:container/nodePool:NodePool"


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
