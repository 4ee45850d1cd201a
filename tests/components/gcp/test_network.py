"""Network: the host VPC, and per GPU fabric the VPCs and subnets its NICs attach to."""

from __future__ import annotations

import ipaddress

import pytest

from backbone.components.gcp import Network, NetworkArgs
from backbone.core.errors import ComponentArgumentError
from backbone.engine import Preview

from .helpers import FIREWALL, NETWORK, SUBNET, linked, only, row, run

HOST = "backbone:gcp:Network$gcp:compute/network:Network::net-vpc"


def network(**kwargs: object) -> Preview:
    args = NetworkArgs(region="us-central1", zone="us-central1-b", **kwargs)  # type: ignore[arg-type]
    return run(lambda: Network("net", args))


def test_host_vpc_has_a_node_subnet_with_pod_and_service_ranges_and_nat() -> None:
    preview = network(cidr="10.20.0.0/16")
    vpc = only(preview, NETWORK)
    assert vpc.inputs["autoCreateSubnetworks"] is False
    subnet = only(preview, SUBNET)
    assert linked(preview, subnet, "network") == [vpc]
    ranges = {r["rangeName"]: ipaddress.ip_network(r["ipCidrRange"]) for r in subnet.inputs["secondaryIpRanges"]}
    nodes = ipaddress.ip_network(subnet.inputs["ipCidrRange"])
    host = ipaddress.ip_network("10.20.0.0/16")
    assert set(ranges) == {"pods", "services"}
    every = [nodes, *ranges.values()]
    assert all(r.subnet_of(host) for r in every)  # type: ignore[arg-type]
    assert not any(a.overlaps(b) for i, a in enumerate(every) for b in every[i + 1:])
    assert subnet.inputs["privateIpGoogleAccess"] is True
    assert only(preview, "gcp:compute/routerNat:RouterNat").inputs["sourceSubnetworkIpRangesToNat"] \
        == "ALL_SUBNETWORKS_ALL_IP_RANGES"
    assert preview.of_type("gcp:servicenetworking/connection:Connection") == []


@pytest.mark.parametrize("machine_type", ["a3-highgpu-8g", "a3-megagpu-8g"])
def test_gpudirect_tcp_gets_one_vpc_per_gpu_nic_with_mtu_8244_and_an_internal_firewall(machine_type: str) -> None:
    fabric = row(machine_type)
    assert fabric.fabric_nics
    preview = network(gpu_fabrics={fabric.fabric: fabric.fabric_nics})
    gpu_vpcs = [r for r in preview.of_type(NETWORK) if not r.urn.endswith("::net-vpc")]
    assert len(gpu_vpcs) == fabric.fabric_nics
    assert {v.inputs["mtu"] for v in gpu_vpcs} == {8244.0}
    subnets = [s for s in preview.of_type(SUBNET) if linked(preview, s, "network")[0] in gpu_vpcs]
    assert sorted(linked(preview, s, "network")[0].urn for s in subnets) == sorted(v.urn for v in gpu_vpcs)
    cidrs = [ipaddress.ip_network(s.inputs["ipCidrRange"]) for s in subnets]
    assert len(set(cidrs)) == len(cidrs)
    for vpc in gpu_vpcs:
        (rule,) = [f for f in preview.of_type(FIREWALL) if linked(preview, f, "network") == [vpc]]
        assert {a["protocol"] for a in rule.inputs["allows"]} == {"tcp", "udp", "icmp"}
        assert all(c.subnet_of(ipaddress.ip_network(rule.inputs["sourceRanges"][0])) for c in cidrs)  # type: ignore[arg-type]


def test_rdma_nics_share_one_vpc_with_the_zone_rdma_profile_and_a_subnet_each() -> None:
    a3u = row("a3-ultragpu-8g")
    assert a3u.fabric == "rdma" and a3u.fabric_nics
    preview = network(gpu_fabrics={"rdma": a3u.fabric_nics}, project="acme-ml")
    profiled = [n for n in preview.of_type(NETWORK) if n.inputs.get("networkProfile")]
    (rdma,) = profiled
    assert rdma.inputs["networkProfile"] == "projects/acme-ml/global/networkProfiles/us-central1-b-vpc-roce"
    assert rdma.inputs["mtu"] == 8896.0
    rdma_subnets = [s for s in preview.of_type(SUBNET) if linked(preview, s, "network") == [rdma]]
    assert len(rdma_subnets) == a3u.fabric_nics
    assert not [f for f in preview.of_type(FIREWALL) if linked(preview, f, "network") == [rdma]]
    # the second gVNIC sits on a regular VPC of its own
    assert len(preview.of_type(NETWORK)) == 3


def test_private_service_access_reserves_a_peered_range_and_opens_lustre_to_it() -> None:
    preview = network(private_service_access=True, psa_cidr="172.20.0.0/20")
    reserved = only(preview, "gcp:compute/globalAddress:GlobalAddress")
    assert (reserved.inputs["purpose"], reserved.inputs["address"], reserved.inputs["prefixLength"]) \
        == ("VPC_PEERING", "172.20.0.0", 20.0)
    peering = only(preview, "gcp:servicenetworking/connection:Connection")
    assert linked(preview, peering, "reservedPeeringRanges") == [reserved]
    assert linked(preview, peering, "network")[0].urn.endswith(HOST.split("::")[-1])
    (lustre,) = preview.of_type(FIREWALL)
    assert lustre.inputs["sourceRanges"] == ["172.20.0.0/20"]
    assert lustre.inputs["allows"] == [{"protocol": "tcp", "ports": ["988"]}]


def test_a_fabric_without_nic_networks_is_refused() -> None:
    with pytest.raises(ComponentArgumentError, match="gpu_fabrics: fabric 'ici' needs no GPU NIC networks on GKE"):
        network(gpu_fabrics={"ici": 4})
