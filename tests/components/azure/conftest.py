"""Fixtures of the Azure component tests (the shared ones live in tests/components/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pulumi_azure_native import network, resources

OwnSubnet = Callable[..., tuple[resources.ResourceGroup, network.Subnet]]


def _own_subnet(name: str, cidr: str = "10.0.0.0/21") -> tuple[resources.ResourceGroup, network.Subnet]:
    rg = resources.ResourceGroup(f"{name}-rg", location="eastus")
    vnet = network.VirtualNetwork(f"{name}-vnet", resource_group_name=rg.name,
                                  address_space=network.AddressSpaceArgs(address_prefixes=["10.0.0.0/16"]))
    subnet = network.Subnet(f"{name}-subnet", resource_group_name=rg.name, virtual_network_name=vnet.name,
                            address_prefix=cidr)
    return rg, subnet


@pytest.fixture
def own_subnet() -> OwnSubnet:
    """A resource group and a subnet of a team's own, for a component tried outside a whole cluster."""
    return _own_subnet
