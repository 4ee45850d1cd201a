"""Network: VNet, a node subnet and a separate file-system subnet, each behind its own NSG."""

from __future__ import annotations

import ipaddress

import pytest

from backbone.components.azure import Network, NetworkArgs
from backbone.components.azure.network import LUSTRE_PORTS, subnet_layout
from backbone.core.errors import ComponentArgumentError

SUBNET = "azure-native:network:Subnet"
NSG = "azure-native:network:NetworkSecurityGroup"
VNET = "azure-native:network:VirtualNetwork"


def _subnets(result):
    return {r.name.rsplit("-", 1)[1]: r for r in result.of_type(SUBNET)}


def test_node_and_filesystem_subnets_are_separate_ranges_of_the_one_vnet(preview, only, linked):
    result = preview(lambda: Network("net", NetworkArgs(location="westus3", cidr="10.8.0.0/16")))
    vnet = only(result, VNET)
    assert vnet.inputs["addressSpace"]["addressPrefixes"] == ["10.8.0.0/16"]
    assert vnet.inputs["location"] == "westus3"
    subnets = _subnets(result)
    assert sorted(subnets) == ["filesystem", "nodes"]
    nodes = ipaddress.ip_network(subnets["nodes"].inputs["addressPrefix"])
    filesystem = ipaddress.ip_network(subnets["filesystem"].inputs["addressPrefix"])
    assert not nodes.overlaps(filesystem)
    assert nodes.subnet_of(ipaddress.ip_network("10.8.0.0/16"))
    assert filesystem.subnet_of(ipaddress.ip_network("10.8.0.0/16"))
    assert filesystem.prefixlen <= 24  # Managed Lustre asks for a /24 or larger
    for subnet in subnets.values():
        assert linked(result, subnet, "virtualNetworkName") == [vnet]


def test_each_subnet_has_its_own_security_group_and_lustre_traffic_is_allowed_from_the_nodes(preview, linked):
    result = preview(lambda: Network("net", NetworkArgs(location="eastus")))
    subnets = _subnets(result)
    groups = {role: linked(result, subnet, "networkSecurityGroup") for role, subnet in subnets.items()}
    assert [g.name for g in groups["nodes"]] == ["net-nodes-nsg"]
    assert [g.name for g in groups["filesystem"]] == ["net-filesystem-nsg"]
    node_cidr = subnets["nodes"].inputs["addressPrefix"]
    fs_cidr = subnets["filesystem"].inputs["addressPrefix"]
    inbound = {r["name"]: r for r in groups["filesystem"][0].inputs["securityRules"]}
    from_nodes = inbound["lustre-from-nodes"]
    assert (from_nodes["access"], from_nodes["direction"], from_nodes["protocol"]) == ("Allow", "Inbound", "Tcp")
    assert (from_nodes["sourceAddressPrefix"], from_nodes["destinationAddressPrefix"]) == (node_cidr, fs_cidr)
    assert from_nodes["destinationPortRanges"] == list(LUSTRE_PORTS)
    deny = inbound["deny-internet"]
    assert (deny["access"], deny["sourceAddressPrefix"], deny["destinationPortRange"]) == ("Deny", "Internet", "*")
    assert deny["priority"] > from_nodes["priority"]  # the allow rules are evaluated first
    outbound = groups["nodes"][0].inputs["securityRules"]
    assert [(r["direction"], r["destinationAddressPrefix"]) for r in outbound] == [("Outbound", fs_cidr)]


def test_every_child_lives_in_the_component_resource_group(preview, only, linked):
    result = preview(lambda: Network("net", NetworkArgs(location="eastus", tags={"team": "ml"})))
    rg = only(result, "azure-native:resources:ResourceGroup")
    assert rg.inputs["tags"] == {"team": "ml"}
    children = [r for r in result.resources if r.type.startswith("azure-native:network:")]
    assert len(children) == 5
    for child in children:
        assert linked(result, child, "resourceGroupName") == [rg]


@pytest.mark.parametrize(
    ("cidr", "nodes", "filesystem"),
    [("10.0.0.0/16", "10.0.0.0/17", "10.0.128.0/24"), ("172.16.32.0/20", "172.16.32.0/21", "172.16.40.0/24")],
)
def test_default_layout_halves_the_vnet_and_takes_a_24_for_the_file_system(cidr, nodes, filesystem):
    assert subnet_layout(cidr) == (nodes, filesystem)


def test_explicit_subnets_are_used(preview):
    args = NetworkArgs(location="eastus", node_subnet_cidr="10.0.16.0/20", filesystem_subnet_cidr="10.0.4.0/23")
    subnets = _subnets(preview(lambda: Network("net", args)))
    assert subnets["nodes"].inputs["addressPrefix"] == "10.0.16.0/20"
    assert subnets["filesystem"].inputs["addressPrefix"] == "10.0.4.0/23"


@pytest.mark.parametrize(
    ("node_cidr", "fs_cidr", "where", "says"),
    [
        ("10.0.0.0/17", "10.0.64.0/24", "filesystem_subnet_cidr", "overlaps the node subnet"),
        ("10.0.0.0/17", "10.0.128.0/25", "filesystem_subnet_cidr", "smaller than a /24"),
        ("10.1.0.0/17", "10.0.128.0/24", "node_subnet_cidr", "not inside the VNet 10.0.0.0/16"),
    ],
)
def test_bad_subnets_are_refused_with_the_argument_named(node_cidr, fs_cidr, where, says):
    args = NetworkArgs(location="eastus", node_subnet_cidr=node_cidr, filesystem_subnet_cidr=fs_cidr)
    with pytest.raises(ComponentArgumentError) as err:
        args.subnets("Network net")
    assert (err.value.component, err.value.argument) == ("Network net", where)
    assert says in err.value.reason
