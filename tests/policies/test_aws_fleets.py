"""The AWS readers of issue 18, tested directly on small hand-written programs: EC2 instances, Batch compute
environments, EC2 Fleet, Spot Fleet, Capacity Reservations and Karpenter NodePools selecting GPUs by label. Node
counts are worked by hand from the inputs and the public instance sizes (p5.48xlarge: 192 vCPUs, 8 H100;
p4d.24xlarge: 96 vCPUs, 8 A100; g5.xlarge: 4 vCPUs, 1 A10G — AWS "Accelerated computing" instance types)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi_aws as aws
from pulumi_kubernetes.apiextensions import CustomResource

from backbone.engine import preview_function
from backbone.policies.inventory import AcceleratorPool, Inventory, build
from backbone.resources import policy_resources

ROLE = "arn:aws:iam::123456789012:role/batch"


def inventory(program: Callable[[], None]) -> Inventory:
    return build(policy_resources(preview_function(program, "readers", {"aws:region": "us-east-1"})))


def only(program: Callable[[], None]) -> AcceleratorPool:
    [pool] = inventory(program).pools
    return pool


def subnet() -> aws.ec2.Subnet:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    return aws.ec2.Subnet("private", vpc_id=vpc.id, cidr_block="10.0.1.0/24", availability_zone="us-east-1a")


# -- EC2 instances --------------------------------------------------------------------------------------------

def test_instances_in_one_placement_group_are_one_pool() -> None:
    def program() -> None:
        group = aws.ec2.PlacementGroup("train", strategy="cluster")
        for i in range(4):
            aws.ec2.Instance(f"node-{i}", ami="ami-0abc", instance_type="p4d.24xlarge", placement_group=group.name,
                             subnet_id=subnet().id if i == 0 else "subnet-0a1b2c3d", availability_zone="us-east-1a")
    pool = only(program)
    assert (pool.name, pool.resource_type, pool.instance_type) == ("train (4 instances)", "aws:ec2/instance:Instance",
                                                                   "p4d.24xlarge")
    assert (pool.min_nodes, pool.max_nodes, pool.accelerators("max")) == (4, 4, 32)
    assert pool.compact is True and pool.is_training  # a cluster placement group is training intent
    assert pool.fabric.configured is False  # no EFA interface attached


def test_instances_with_nothing_in_common_are_pools_of_one_and_a_cluster_tag_groups() -> None:
    def program() -> None:
        for i in range(2):
            aws.ec2.Instance(f"alone-{i}", ami="ami-0abc", instance_type="g5.xlarge", availability_zone="us-east-1a")
        for i in range(3):
            aws.ec2.Instance(f"slurm-{i}", ami="ami-0abc", instance_type="p5.48xlarge", availability_zone="us-east-1a",
                             tags={"parallelcluster:cluster-name": "llm"})
        aws.ec2.Instance("head", ami="ami-0abc", instance_type="c5.xlarge", availability_zone="us-east-1a")
    pools = {p.name: (p.max_nodes, p.accelerators("max")) for p in inventory(program).pools}
    assert pools == {"alone-0": (1, 1), "alone-1": (1, 1), "llm (3 instances)": (3, 24)}


def test_instances_attaching_efa_interfaces() -> None:
    def program() -> None:
        nics = [aws.ec2.NetworkInterface(f"efa-{i}", subnet_id="subnet-0a1b2c3d", interface_type="efa")
                for i in range(32)]
        aws.ec2.Instance("p5", ami="ami-0abc", instance_type="p5.48xlarge", availability_zone="us-east-1a",
                         network_interfaces=[{"network_interface_id": n.id, "device_index": 0 if i == 0 else 1,
                                              "network_card_index": i} for i, n in enumerate(nics)])
    pool = only(program)
    assert pool.fabric.configured is True and pool.is_training


# -- AWS Batch ------------------------------------------------------------------------------------------------

def batch(**resources: Any) -> Callable[[], None]:
    def program() -> None:
        compute = {"type": "EC2", "max_vcpus": 100_000, "subnets": [subnet().id], "security_group_ids": ["sg-1"],
                   "instance_role": ROLE, **resources}
        aws.batch.ComputeEnvironment("training", type="MANAGED", service_role=ROLE, compute_resources=compute)
    return program


def test_batch_max_vcpus_over_the_family_gives_the_nodes() -> None:
    pool = only(batch(instance_types=["p5"]))
    # 100,000 vCPUs / 192 per p5.48xlarge = 520.8: BEST_FIT (the default) never exceeds maxVcpus → 520 nodes
    assert (pool.instance_type, pool.min_nodes, pool.max_nodes) == ("p5.48xlarge", 0, 520)
    assert pool.accelerators("max") == 4160
    assert pool.zones == ("us-east-1a",)


def test_batch_strategies_that_may_exceed_max_vcpus_by_one_instance() -> None:
    pool = only(batch(instance_types=["p5.48xlarge"], allocation_strategy="BEST_FIT_PROGRESSIVE"))
    assert pool.max_nodes == 521


def test_batch_judges_the_type_with_the_most_accelerators_within_max_vcpus() -> None:
    pool = only(batch(instance_types=["p4d.24xlarge", "g5.xlarge"], max_vcpus=1000))
    # p4d: 1,000 / 96 = 10 nodes = 80 GPUs; g5.xlarge: 1,000 / 4 = 250 nodes = 250 GPUs
    most, other = pool.variants()
    assert (most.instance_type, most.max_nodes, most.accelerators("max")) == ("g5.xlarge", 250, 250)
    assert (other.instance_type, other.max_nodes, other.accelerators("max")) == ("p4d.24xlarge", 10, 80)
    assert "judged as g5.xlarge" in most.judged_as and "p4d.24xlarge" in most.judged_as


def test_batch_on_fargate_or_cpus_is_no_accelerator_pool() -> None:
    assert inventory(batch(type="FARGATE", max_vcpus=256)).pools == []
    assert inventory(batch(instance_types=["c5.24xlarge"])).pools == []


def test_batch_spot_and_its_launch_template_efa() -> None:
    def program() -> None:
        template = aws.ec2.LaunchTemplate("efa", network_interfaces=[
            {"interface_type": "efa", "network_card_index": i, "device_index": 0 if i == 0 else 1}
            for i in range(32)])
        batch(type="SPOT", instance_types=["p5.48xlarge"], max_vcpus=1920,
              launch_template={"launch_template_id": template.id, "version": "$Latest"})()
    pool = only(program)
    assert (pool.capacity, pool.max_nodes, pool.fabric.configured, pool.is_training) == ("spot", 10, True, True)


# -- EC2 Fleet, Spot Fleet ------------------------------------------------------------------------------------

def test_an_ec2_fleet_of_weighted_overrides() -> None:
    def program() -> None:
        template = aws.ec2.LaunchTemplate("gpu", image_id="ami-0abc")
        aws.ec2.Fleet("burst", type="maintain", launch_template_configs=[{
            "launch_template_specification": {"launch_template_id": template.id, "version": "$Latest"},
            "overrides": [{"instance_type": "p5.48xlarge", "weighted_capacity": 8, "availability_zone": "us-east-1a"},
                          {"instance_type": "g5.xlarge", "weighted_capacity": 1, "availability_zone": "us-east-1a"}]}],
            target_capacity_specification={"default_target_capacity_type": "spot", "total_target_capacity": 64})
    pool = only(program)
    # 64 units: 8 × p5 (64 GPUs) or 64 × g5.xlarge (64 GPUs): a tie, the pricier p5 is judged
    assert (pool.instance_type, pool.max_nodes, pool.capacity, pool.zones) == ("p5.48xlarge", 8, "spot",
                                                                               ("us-east-1a",))


def test_a_spot_fleet_of_launch_specifications() -> None:
    def program() -> None:
        aws.ec2.SpotFleetRequest("spot", iam_fleet_role=ROLE, target_capacity=10, launch_specifications=[
            {"ami": "ami-0abc", "instance_type": "p4d.24xlarge", "weighted_capacity": "2",
             "availability_zone": "us-east-1b"}])
    pool = only(program)
    assert (pool.max_nodes, pool.accelerators("max"), pool.capacity, pool.zones) == (5, 40, "spot", ("us-east-1b",))


# -- Capacity reservations ------------------------------------------------------------------------------------

def test_an_idle_reservation_is_paid_and_a_used_one_is_its_pool() -> None:
    def idle() -> None:
        aws.ec2.CapacityReservation("h100", instance_type="p5.48xlarge", instance_count=8,
                                    availability_zone="us-east-1a", instance_platform="Linux/UNIX")
    pool = only(idle)
    assert (pool.min_nodes, pool.max_nodes, pool.capacity, pool.accelerators("min")) == (8, 8, "reservation", 64)

    def used() -> None:
        reservation = aws.ec2.CapacityReservation("h100", instance_type="p5.48xlarge", instance_count=8,
                                                  availability_zone="us-east-1a", instance_platform="Linux/UNIX")
        aws.ec2.Instance("p5", ami="ami-0abc", instance_type="p5.48xlarge", availability_zone="us-east-1a",
                         capacity_reservation_specification={"capacity_reservation_target": {
                             "capacity_reservation_id": reservation.id}})
    [pool] = inventory(used).pools
    assert (pool.resource_type, pool.capacity) == ("aws:ec2/instance:Instance", "reservation")


# -- Karpenter by label ---------------------------------------------------------------------------------------

def nodepool(requirements: list[dict[str, Any]], limits: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        CustomResource("gpu", api_version="karpenter.sh/v1", kind="NodePool", spec={
            "template": {"spec": {"nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass",
                                                   "name": "gpu"}, "requirements": requirements}},
            "limits": limits})
    return program


def req(key: str, operator: str, *values: str) -> dict[str, Any]:
    return {"key": f"karpenter.k8s.aws/{key}", "operator": operator, "values": list(values)}


def test_karpenter_by_category_bounded_by_a_gpu_limit() -> None:
    pool = only(nodepool([req("instance-category", "In", "g", "p")], {"nvidia.com/gpu": 2000}))
    assert pool.accelerators("max") == 2000


def test_karpenter_by_gpu_name_and_manufacturer() -> None:
    pool = only(nodepool([req("instance-gpu-name", "In", "h100"), req("instance-gpu-manufacturer", "In", "nvidia")],
                         {"nvidia.com/gpu": 64}))
    assert (pool.instance_type, pool.max_nodes) == ("p5.48xlarge", 8)


def test_karpenter_by_gpu_count_and_a_memory_limit() -> None:
    # 8-GPU types only; memory 20,480 GiB: p5.48xlarge has 2,048 GiB → 10 nodes; p4d.24xlarge 1,152 GiB → 18
    pool = only(nodepool([req("instance-gpu-count", "Gt", "4"), req("instance-category", "In", "p")],
                         {"memory": "20Ti"}))
    assert pool.accelerators("max") == 18 * 8 and pool.instance_type in ("p4d.24xlarge", "p4de.24xlarge")


def test_karpenter_selecting_cpu_categories_or_only_a_generation_is_no_accelerator_pool() -> None:
    assert inventory(nodepool([req("instance-category", "In", "c", "m")], {"cpu": 1000})).pools == []
    assert inventory(nodepool([req("instance-generation", "Gt", "4")], {"cpu": 1000})).pools == []


def test_karpenter_selecting_gpus_the_catalog_does_not_have_cannot_be_verified() -> None:
    # a made-up GPU name, so the test never depends on which rows the catalog holds
    pool = only(nodepool([req("instance-gpu-name", "In", "zz900")], {"nvidia.com/gpu": 64}))
    assert not isinstance(pool.instance_type, str)
    assert "instance-gpu-name" in pool.unknown_inputs["instance_type"]


def test_unknown_or_missing_sizes_are_unknown_not_a_crash() -> None:
    def program() -> None:
        vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
        zone = vpc.id.apply(lambda _: "us-east-1a")  # unknown in preview
        for i in range(2):
            aws.ec2.Instance(f"n-{i}", ami="ami-0abc", instance_type="p5.48xlarge", availability_zone=zone,
                             tags={"cluster": "llm"})
        aws.batch.ComputeEnvironment("ce", type="MANAGED", service_role=ROLE, compute_resources={
            "type": "EC2", "max_vcpus": vpc.id.apply(lambda _: 1000), "subnets": ["subnet-1"],
            "security_group_ids": ["sg-1"], "instance_types": ["p5.48xlarge"]})
    pools = {p.resource_type: p for p in inventory(program).pools}
    instances = pools["aws:ec2/instance:Instance"]
    assert (instances.max_nodes, instances.zones.__class__.__name__) == (2, "Unknown")
    batch_pool = pools["aws:batch/computeEnvironment:ComputeEnvironment"]
    assert batch_pool.max_nodes.__class__.__name__ == "Unknown"
    assert batch_pool.unknown_inputs["max_nodes"] == "computeResources.maxVcpus"


def test_a_fleet_choosing_types_by_attributes_cannot_be_verified_not_skipped() -> None:
    def program() -> None:
        template = aws.ec2.LaunchTemplate("gpu", image_id="ami-0abc")
        aws.ec2.Fleet("attributes", launch_template_configs=[{
            "launch_template_specification": {"launch_template_id": template.id, "version": "$Latest"},
            "overrides": [{"instance_requirements": {"vcpu_count": {"min": 8}, "memory_mib": {"min": 32768},
                                                     "accelerator_types": ["gpu"]}}]}],
            target_capacity_specification={"default_target_capacity_type": "on-demand", "total_target_capacity": 64})
    pool = only(program)
    assert not isinstance(pool.instance_type, str)
    assert "instanceRequirements" in pool.unknown_inputs["instance_type"]
