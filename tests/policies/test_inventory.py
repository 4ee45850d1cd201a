"""The inventory's stack totals (what the plan summary prints), from a hand-written program's resources
handed to ``build`` as CrossGuard hands them to a policy (props behind the unknown-checking proxy)."""

from __future__ import annotations

from typing import Any

import pytest
from policy_programs import Aws, Gcp
from pulumi_policy import PolicyResource
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from backbone.core.catalog import load
from backbone.engine import Preview, preview_function
from backbone.policies.inventory import HOURS_PER_MONTH, UNKNOWN, Inventory, Unknown, build


def inventory_of(preview: Preview) -> Inventory:
    made = {r.urn: PolicyResource(r.type, unknown_checking_proxy(deserialize_properties(r.inputs)), r.urn, r.name,
                                  None, None, None, [], {})  # type: ignore[arg-type]
            for r in preview.resources}
    for r in preview.resources:
        made[r.urn].parent = made.get(r.parent)
        made[r.urn].dependencies = [made[d] for d in r.dependencies if d in made]
        made[r.urn].property_dependencies = {k: [made[u] for u in v if u in made]
                                             for k, v in r.property_dependencies.items()}
    return build(list(made.values()))


def test_totals_of_a_balanced_aws_training_cluster() -> None:
    p5 = load().find("p5.48xlarge")
    assert p5 is not None
    inventory = inventory_of(preview_function(Aws(min_nodes=1), "totals"))
    assert (inventory.accelerators_min.value, inventory.accelerators_max.value) == (8, 128)
    assert inventory.accelerator_memory_gib_max.value == 16 * p5.accelerator_memory_gib  # type: ignore[operator]
    assert inventory.fabric_gbps_per_accelerator == p5.fabric_gbps / 8  # type: ignore[operator]
    # FSx storageCapacity 48,000 GiB is 48 of FSx's TiB (1,200 GiB is "1.2 TiB"; AWS works 4.8 TiB × 50 MB/s/TiB as
    # 240 MB/s), at 500 MB/s per TiB: 24,000 MB/s for 128 GPUs
    assert inventory.storage_tib.value == pytest.approx(48)
    assert inventory.storage_mbps.value == pytest.approx(24000)
    assert inventory.storage_mbps_per_accelerator == pytest.approx(187.5)
    # The cost from the catalog's prices, not from the inventory's own figures: the FSx part at 500 MB/s/TiB counts
    # at 0.34 USD per GB-month x 1000 GB = 340 USD per FSx "TiB" of 1,000 GiB, 48 of them: 48 x 340 = 16,320 USD.
    assert p5.on_demand_usd_per_hour is not None, "the catalog has no on-demand price for p5.48xlarge"
    pool_month = p5.on_demand_usd_per_hour * HOURS_PER_MONTH
    fsx = load().storage_offering("aws", "lustre")
    assert fsx is not None and fsx.usd_per_tib_month.get(500.0) == 340.0
    assert inventory.monthly_usd_max.value == pytest.approx(16 * pool_month + 16_320.0)
    assert inventory.monthly_usd_min.value == pytest.approx(pool_month + 16_320.0)
    assert inventory.monthly_usd_max.unknown == ()


def test_unknown_parts_are_listed_not_counted() -> None:
    inventory = inventory_of(preview_function(Aws(unknown_instance_type=True), "totals"))
    total = inventory.accelerators_max
    assert (total.value, total.unknown, total.complete) == (0, ("gpu",), False)
    assert str(total) == "≥ 0 (1 unknown)"


def test_gpu_nics_on_their_own_vpcs_count_through_the_graph() -> None:
    """The networks' self-links are unknown in preview: the pool's property dependencies count them."""
    [pool] = inventory_of(preview_function(Gcp(), "nics")).pools
    assert pool.fabric.configured is True and pool.zones == ("us-central1-a",)
    [pool] = inventory_of(preview_function(Gcp(vpcs=1), "nics")).pools
    assert pool.fabric.configured is False and any("share 1 VPC" in m for m in pool.fabric.missing)


def test_gke_per_zone_counts_are_multiplied_by_the_node_locations() -> None:
    def program() -> None:
        import pulumi_gcp.container as container

        container.NodePool("l4", cluster="serve", location="us-central1",
                           node_locations=["us-central1-a", "us-central1-b"],
                           autoscaling={"min_node_count": 1, "max_node_count": 4},
                           node_config={"machine_type": "g2-standard-8"})

    [pool] = inventory_of(preview_function(program, "zones")).pools
    assert (pool.min_nodes, pool.max_nodes, pool.zones) == (2, 8, ("us-central1-a", "us-central1-b"))
    assert (pool.purpose, pool.purpose_declared) == ("inference", False)  # no fabric: inference


def test_aks_pool_without_autoscaling_counts_its_nodes_and_reads_the_cluster_region() -> None:
    def program() -> None:
        from pulumi_azure_native import containerservice

        cluster = containerservice.ManagedCluster("serve", resource_group_name="ml", location="westeurope")
        containerservice.AgentPool("a100", resource_group_name="ml", resource_name_=cluster.name,
                                   vm_size="Standard_NC24ads_A100_v4", count=3, availability_zones=["2"])
        containerservice.AgentPool("system", resource_group_name="ml", resource_name_=cluster.name,
                                   vm_size="Standard_D4s_v5", count=3)

    [pool] = inventory_of(preview_function(program, "aks")).pools  # the D-series system pool is no accelerator pool
    assert (pool.name, pool.min_nodes, pool.max_nodes) == ("a100", 3, 3)
    assert (pool.region, pool.zones) == ("westeurope", ("westeurope-2",))


def test_a_pool_whose_inputs_cannot_be_read_is_unknown_not_passed() -> None:
    """An unreadable node group is every fact unknown, with the reason, never a pool the pack skips."""
    junk = PolicyResource("aws:eks/nodeGroup:NodeGroup", "junk", "urn:x::gpu", "gpu",  # type: ignore[arg-type]
                          None, None, None, [], {})
    [pool] = build([junk]).pools
    assert isinstance(pool.instance_type, Unknown) and isinstance(pool.max_nodes, Unknown)
    assert "could not be read" in pool.unknown_inputs["instance_type"]


def test_a_link_is_exact_only_where_the_value_maps_one_to_one() -> None:
    """``[a.id, b.id]`` names a and b; ``all(a.id, b.id).apply(…)`` only may name them."""
    def program(computed: bool) -> None:
        import pulumi
        from pulumi_aws import ec2, eks

        a = ec2.Subnet("a", vpc_id="vpc-1", cidr_block="10.0.0.0/24", availability_zone="us-east-1a")
        b = ec2.Subnet("b", vpc_id="vpc-1", cidr_block="10.0.1.0/24", availability_zone="us-east-1b")
        ids: Any = pulumi.Output.all(a.id, b.id).apply(lambda i: i[:1]) if computed else [a.id, b.id]
        eks.NodeGroup("gpu", cluster_name="c", node_role_arn="arn:aws:iam::1:role/n", subnet_ids=ids,
                      instance_types=["p5.48xlarge"], scaling_config={"min_size": 0, "max_size": 2, "desired_size": 0})

    [exact] = inventory_of(preview_function(lambda: program(False), "links")).pools
    assert exact.zones == ("us-east-1a", "us-east-1b")
    [computed] = inventory_of(preview_function(lambda: program(True), "links")).pools
    assert isinstance(computed.zones, Unknown)
    assert computed.unknown_inputs["zones"].startswith("subnetIds (computed from 2 subnets in 2 zones")


@pytest.mark.parametrize("interfaces,configured", [(32, UNKNOWN), (0, False)])
def test_a_catalog_row_without_its_nic_count_cannot_verify_a_fabric(monkeypatch: pytest.MonkeyPatch,
                                                                     interfaces: int, configured: object) -> None:
    """A catalog gap is never a silent pass: without the row's NIC count, some EFA interfaces cannot be judged
    (none at all is still short)."""
    from dataclasses import replace

    import backbone.policies.inventory as inventory
    from backbone.core.catalog import Catalog

    real = load()
    rows = [replace(i, fabric_nics=None) if i.instance_type == "p5.48xlarge" else i for i in real.instances]
    monkeypatch.setattr(inventory, "load", lambda: Catalog(rows, list(real.accelerators.values()),
                                                           list(real.storage)))
    [pool] = inventory_of(preview_function(Aws(efa_interfaces=interfaces), "gap")).pools
    assert pool.fabric.configured is configured
    assert any("the catalog has no figure" in u for u in pool.fabric.unknown)
