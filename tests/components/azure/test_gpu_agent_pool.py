"""GpuAgentPool: one scale set of GPU VMs, labelled, autoscaled, private, with the GPU driver chosen."""

from __future__ import annotations

import pytest
from pulumi_azure_native import containerservice

from backbone.components.azure import GpuAgentPool, GpuAgentPoolArgs
from backbone.components.azure._facts import agent_pool_name
from backbone.core import catalog
from backbone.core.errors import ComponentArgumentError

POOL = "azure-native:containerservice:AgentPool"
CLUSTER = "azure-native:containerservice:ManagedCluster"
TRAINING_SIZE = "Standard_ND96isr_H100_v5"
INFERENCE_SIZE = "Standard_NC24ads_A100_v4"


def _program(own_subnet, **kwargs):
    """A team's own cluster and subnet, and one GPU pool on them."""
    def program() -> None:
        rg, subnet = own_subnet("team")
        cluster = containerservice.ManagedCluster("team-aks", resource_group_name=rg.name, dns_prefix="team")
        defaults = {"vm_size": TRAINING_SIZE, "pool_name": "h100", "max_nodes": 16, "zones": ["1"]}
        GpuAgentPool("gpu", GpuAgentPoolArgs(cluster_name=cluster.name, resource_group_name=rg.name,
                                             node_subnet_id=subnet.id, **{**defaults, **kwargs}))
    return program


def test_training_pool_is_one_autoscaled_scale_set_in_one_zone(preview, only, linked, own_subnet):
    result = preview(_program(own_subnet, min_nodes=2, max_nodes=16, zones=["3"]))
    pool = only(result, POOL)
    i = pool.inputs
    assert i["vmSize"] == TRAINING_SIZE
    assert (i["enableAutoScaling"], i["minCount"], i["maxCount"], i["count"]) == (True, 2.0, 16.0, 2.0)
    assert i["availabilityZones"] == ["3"]
    assert (i["mode"], i["type"]) == ("User", "VirtualMachineScaleSets")
    assert i["enableNodePublicIP"] is False
    assert i["scaleSetPriority"] == "Regular"
    assert "scaleSetEvictionPolicy" not in i
    assert i["nodeLabels"] == {"backbone.dev/purpose": "training", "backbone.dev/pool": "h100"}
    assert [r.type for r in linked(result, pool, "resourceName")] == [CLUSTER]
    assert [r.name for r in linked(result, pool, "vnetSubnetID")] == ["team-subnet"]


@pytest.mark.parametrize(("driver", "setting"), [("managed", "Install"), ("operator", "None")])
def test_gpu_driver_is_installed_by_aks_or_left_to_the_gpu_operator(preview, only, own_subnet, driver, setting):
    pool = only(preview(_program(own_subnet, gpu_driver=driver)), POOL)
    assert pool.inputs["gpuProfile"] == {"driver": setting}


def test_spot_inference_pool_scales_to_zero_and_is_deleted_on_eviction(preview, only, own_subnet):
    result = preview(_program(own_subnet, vm_size=INFERENCE_SIZE, pool_name="serve", purpose="inference",
                              min_nodes=0, max_nodes=8, capacity="spot", zones=["1", "2"]))
    i = only(result, POOL).inputs
    assert (i["minCount"], i["count"], i["maxCount"]) == (0.0, 0.0, 8.0)
    assert (i["scaleSetPriority"], i["scaleSetEvictionPolicy"], i["spotMaxPrice"]) == ("Spot", "Delete", -1.0)
    assert i["availabilityZones"] == ["1", "2"]  # an inference pool may spread: no fabric between its nodes
    assert i["nodeLabels"]["backbone.dev/purpose"] == "inference"


def test_reserved_capacity_is_attached_to_the_pool(preview, only, own_subnet):
    group = "/subscriptions/1/resourceGroups/rg/providers/Microsoft.Compute/capacityReservationGroups/h100"
    pool = only(preview(_program(own_subnet, capacity="reservation", reservation=group)), POOL)
    assert pool.inputs["capacityReservationGroupID"] == group
    assert pool.inputs["scaleSetPriority"] == "Regular"


def test_extra_labels_cannot_override_the_labels_the_policy_pack_reads(preview, only, own_subnet):
    labels = {"team": "research", "backbone.dev/purpose": "inference"}
    pool = only(preview(_program(own_subnet, labels=labels)), POOL)
    assert pool.inputs["nodeLabels"] == {
        "team": "research", "backbone.dev/purpose": "training", "backbone.dev/pool": "h100"}


@pytest.mark.parametrize(("pool", "expected"), [("h100", "h100"), ("nd-h100-training-a", "ndh100traini"),
                                                ("a", "a")])
def test_aks_pool_names_are_at_most_12_lowercase_letters_and_digits(pool, expected):
    assert agent_pool_name(pool) == expected


def _args(**kwargs):
    defaults = {"cluster_name": "c", "resource_group_name": "rg", "node_subnet_id": "s",
                "vm_size": TRAINING_SIZE, "pool_name": "h100", "max_nodes": 16, "zones": ["1"]}
    return GpuAgentPoolArgs(**{**defaults, **kwargs})


def test_a_vm_size_the_catalog_does_not_know_is_refused_with_the_known_sizes():
    with pytest.raises(ComponentArgumentError) as err:
        _args(vm_size="Standard_ND96isr_B200_v9").check("GpuAgentPool gpu")
    assert (err.value.component, err.value.argument) == ("GpuAgentPool gpu", "vm_size")
    assert "'Standard_ND96isr_B200_v9' is not in the azure catalog" in err.value.reason
    for row in catalog.load().for_cloud("azure"):
        assert row.instance_type in err.value.reason


@pytest.mark.parametrize(
    ("kwargs", "where", "says"),
    [
        ({"zones": ["1", "2"]}, "zones", "InfiniBand stays inside one scale set in one zone"),
        ({"min_nodes": 4, "max_nodes": 2}, "min_nodes", "between 0 and max_nodes"),
        ({"zones": []}, "zones", "give the pool's zone"),
        ({"capacity": "reservation"}, "reservation", "exactly when capacity is 'reservation'"),
        ({"capacity": "capacity-block", "reservation": "/subscriptions/s/x"}, "capacity",
         "'capacity-block' is an AWS EC2 Capacity Block for ML; azure has none"),
        ({"zones": ["eastus-1"]}, "zones", "not a zone"),
    ],
)
def test_bad_pool_arguments_are_refused(kwargs, where, says):
    with pytest.raises(ComponentArgumentError) as err:
        _args(**kwargs).check("GpuAgentPool gpu")
    assert err.value.argument == where
    assert says in err.value.reason


def test_a_single_node_training_pool_may_name_several_zones():
    assert _args(max_nodes=1, zones=["1", "2"]).check("GpuAgentPool gpu").instance_type == TRAINING_SIZE


@pytest.mark.parametrize(
    ("vm_size", "purpose", "fabric"),
    [
        ("Standard_ND96isr_H100_v5", "training", "infiniband"),
        ("Standard_ND96isr_H200_v5", "training", "infiniband"),
        ("Standard_ND96amsr_A100_v4", "training", "infiniband"),
        ("Standard_NC24ads_A100_v4", "inference", "none"),
        ("Standard_NC80adis_H100_v5", "inference", "none"),
    ],
)
def test_the_training_and_inference_sizes_become_pools_with_the_fabric_the_catalog_gives(
        preview, only, own_subnet, vm_size, purpose, fabric):
    pool = only(preview(_program(own_subnet, vm_size=vm_size, purpose=purpose)), POOL)
    assert pool.inputs["vmSize"] == vm_size
    assert pool.inputs["nodeLabels"]["backbone.dev/purpose"] == purpose
    row = catalog.load().instance("azure", vm_size)
    assert row is not None and row.accelerator_count >= 1
    assert row.fabric == fabric
