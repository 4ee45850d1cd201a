"""AksCluster: managed identity, overlay networking, private API option, system pool on the node subnet."""

from __future__ import annotations

import ipaddress

import pytest

from backbone.components.azure import DEFAULT_SYSTEM_VM_SIZE, AksCluster, AksClusterArgs
from backbone.components.azure.aks_cluster import NETWORK_CONTRIBUTOR_ROLE, cluster_ranges
from backbone.core.errors import ComponentArgumentError

CLUSTER = "azure-native:containerservice:ManagedCluster"
ROLE = "azure-native:authorization:RoleAssignment"


def _program(own_subnet, **kwargs):
    def program() -> None:
        rg, subnet = own_subnet("team")
        AksCluster("aks", AksClusterArgs(resource_group_name=rg.name, location="eastus",
                                         node_subnet_id=subnet.id, **kwargs))
    return program


def test_cluster_has_a_system_assigned_identity_and_overlay_networking(preview, only, own_subnet):
    cluster = only(preview(_program(own_subnet, kubernetes_version="1.31")), CLUSTER)
    assert cluster.inputs["identity"] == {"type": "SystemAssigned"}
    assert cluster.inputs["kubernetesVersion"] == "1.31"
    net = cluster.inputs["networkProfile"]
    assert (net["networkPlugin"], net["networkPluginMode"]) == ("azure", "overlay")
    assert ipaddress.ip_address(net["dnsServiceIP"]) in ipaddress.ip_network(net["serviceCidr"])


@pytest.mark.parametrize("private", [True, False])
def test_private_api_server_follows_the_argument(preview, only, own_subnet, private):
    cluster = only(preview(_program(own_subnet, private_api=private)), CLUSTER)
    assert cluster.inputs["apiServerAccessProfile"] == {"enablePrivateCluster": private}


def test_system_pool_is_a_small_cpu_pool_on_the_node_subnet_without_public_ips(preview, only, linked, own_subnet):
    result = preview(_program(own_subnet, zones=["2"], system_nodes=3))
    cluster = only(result, CLUSTER)
    [system] = cluster.inputs["agentPoolProfiles"]
    assert system["mode"] == "System"
    assert system["vmSize"] == DEFAULT_SYSTEM_VM_SIZE
    assert system["count"] == 3.0
    assert system["availabilityZones"] == ["2"]
    assert system["enableNodePublicIP"] is False
    assert system["nodeLabels"] == {"backbone.dev/purpose": "system", "backbone.dev/pool": "system"}
    assert [r.name for r in linked(result, cluster, "agentPoolProfiles")] == ["team-subnet"]


def test_system_vm_size_can_be_chosen(preview, only, own_subnet):
    cluster = only(preview(_program(own_subnet, system_vm_size="Standard_D8ds_v5")), CLUSTER)
    assert cluster.inputs["agentPoolProfiles"][0]["vmSize"] == "Standard_D8ds_v5"


def test_cluster_identity_gets_network_contributor_on_the_node_subnet(preview, only, linked, own_subnet):
    result = preview(_program(own_subnet))
    role = only(result, ROLE)
    assert [r.name for r in linked(result, role, "scope")] == ["team-subnet"]
    assert [r.type for r in linked(result, role, "principalId")] == [CLUSTER]
    assert role.inputs["principalType"] == "ServicePrincipal"


@pytest.mark.parametrize("vnet", ["10.0.0.0/16", "192.168.0.0/16", "172.16.0.0/12", "10.0.0.0/8"])
def test_pod_and_service_ranges_never_overlap_the_vnet(vnet):
    pods, services, dns_ip = cluster_ranges(vnet)
    network = ipaddress.ip_network(vnet)
    assert not ipaddress.ip_network(pods).overlaps(network)
    assert not ipaddress.ip_network(services).overlaps(network)
    assert ipaddress.ip_address(dns_ip) in ipaddress.ip_network(services)


def test_role_definition_is_in_the_subnet_subscription():
    from backbone.components.azure.aks_cluster import _network_contributor

    subnet = "/subscriptions/1111/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
    assert _network_contributor(subnet) == (
        f"/subscriptions/1111/providers/Microsoft.Authorization/roleDefinitions/{NETWORK_CONTRIBUTOR_ROLE}"
    )


def test_a_system_pool_without_nodes_is_refused():
    args = AksClusterArgs(resource_group_name="rg", location="eastus", node_subnet_id="s", system_nodes=0)
    with pytest.raises(ComponentArgumentError, match="at least 1 node") as err:
        args.check("AksCluster aks")
    assert err.value.argument == "system_nodes"
