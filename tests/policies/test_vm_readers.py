"""The GCP and Azure VM readers (issue 18, part B), each on a small hand-written program: the pool facts they
give, with expectations from the clouds' public documents (not from the catalog the code reads).

- a3-highgpu-8g: 8 H100 and 4 GPU NICs (Compute Engine "GPU machine types", "Network bandwidths and GPUs").
- Cloud TPU names: v5p-2048 is 8x8x16 = 1,024 chips on 256 ct5p-hightpu-4t VMs; v5litepod-16 is 4x4 on 4
  ct5lp-hightpu-4t VMs; v6e-1 is one ct6e-standard-1t (XPK system_characteristics.py, 2026-12-01).
- Standard_ND96isr_H100_v5: 8 H100 with InfiniBand (Azure "ND H100 v5 series").
- An autoscale setting's profiles give a scale set's minimum and maximum instance counts (Azure Monitor autoscale);
  ``enabled`` defaults to false in azure-native's AutoscaleSetting (registry docs, read 2026-12-07).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from test_inventory import inventory_of

from backbone.engine import preview_function
from backbone.policies.inventory import AcceleratorPool, Unknown

PURPOSE = "backbone.dev/purpose"
NODE_POOL_V1 = ("karpenter.sh/v1", "NodePool")


def pools_of(program: Callable[[], None]) -> dict[str, AcceleratorPool]:
    return {p.name: p for p in inventory_of(preview_function(program, "readers")).pools}


# --- GCP: managed instance groups ----------------------------------------------------------------------------


def _a3_group(nics: int = 5, autoscale: dict[str, Any] | None = None, target: int | None = 2,
              regional: bool = False) -> Callable[[], None]:
    def program() -> None:
        from pulumi_gcp import compute

        nets = [compute.Network(f"a3-net-{i}", auto_create_subnetworks=False) for i in range(nics)]
        template = compute.InstanceTemplate(
            "a3-template", machine_type="a3-highgpu-8g", disks=[{"source_image": "debian-12", "boot": True}],
            network_interfaces=[{"network": n.id, "nic_type": "GVNIC"} for n in nets],
            scheduling={"on_host_maintenance": "TERMINATE"})
        version = [{"instance_template": template.self_link_unique, "name": "a3"}]
        if regional:
            group: Any = compute.RegionInstanceGroupManager(
                "a3-group", region="us-central1", base_instance_name="a3", versions=version, target_size=target,
                distribution_policy_zones=["us-central1-a", "us-central1-c"])
        else:
            group = compute.InstanceGroupManager("a3-group", zone="us-central1-a", base_instance_name="a3",
                                                 versions=version, target_size=target)
        if autoscale is not None:
            kind: Any = compute.RegionAutoscaler if regional else compute.Autoscaler
            where = {"region": "us-central1"} if regional else {"zone": "us-central1-a"}
            kind("a3-autoscaler", target=group.id, autoscaling_policy=autoscale, **where)

    return program


def test_a_mig_is_sized_by_the_autoscaler_that_targets_it() -> None:
    pool = pools_of(_a3_group(autoscale={"max_replicas": 8, "min_replicas": 0}, target=None))["a3-group"]
    assert (pool.instance_type, pool.min_nodes, pool.max_nodes) == ("a3-highgpu-8g", 0, 8)
    assert pool.accelerators("max") == 64 and pool.zones == ("us-central1-a",)
    assert pool.fabric.configured is True and pool.is_training  # 4 GPU NICs on their own VPCs: training intent


def test_a_mig_without_autoscaler_runs_its_target_size() -> None:
    pool = pools_of(_a3_group(target=3))["a3-group"]
    assert (pool.min_nodes, pool.max_nodes) == (3, 3)


def test_an_autoscaler_without_minimum_leaves_the_minimum_unknown() -> None:
    pool = pools_of(_a3_group(autoscale={"max_replicas": 8}, target=None))["a3-group"]
    assert isinstance(pool.min_nodes, Unknown) and pool.max_nodes == 8
    assert "minReplicas" in pool.unknown_inputs["min_nodes"]


def test_a_template_with_one_nic_misses_the_gpu_nics() -> None:
    pool = pools_of(_a3_group(nics=1))["a3-group"]
    assert pool.fabric.configured is False and any("4" in m for m in pool.fabric.missing)
    assert not pool.is_training  # no fabric, no placement, no label: not read as training


def test_a_regional_mig_spreads_over_its_distribution_zones() -> None:
    pool = pools_of(_a3_group(regional=True, autoscale={"max_replicas": 6, "min_replicas": 1}, target=None))
    group = pool["a3-group"]
    assert group.zones == ("us-central1-a", "us-central1-c") and (group.min_nodes, group.max_nodes) == (1, 6)


def test_instances_with_and_without_accelerators() -> None:
    def program() -> None:
        from pulumi_gcp import compute

        disk = {"initialize_params": {"image": "debian-12"}}
        compute.Instance("t4-box", machine_type="n1-standard-8", zone="us-central1-a", boot_disk=disk,
                         network_interfaces=[{"network": "default", "access_configs": [{}]}],
                         guest_accelerators=[{"type": "nvidia-tesla-t4", "count": 4}],
                         scheduling={"provisioning_model": "SPOT", "preemptible": True})
        compute.Instance("web", machine_type="n2-standard-8", zone="us-central1-a", boot_disk=disk,
                         network_interfaces=[{"network": "default"}])

    pools = pools_of(program)
    assert set(pools) == {"t4-box"}  # a VM without accelerators is no pool
    box = pools["t4-box"]
    assert (box.max_nodes, box.accelerators_per_node, box.capacity, box.public_ips) == (1, 4, "spot", True)


def test_instances_sharing_a_placement_policy_form_one_pool() -> None:
    def program() -> None:
        from pulumi_gcp import compute

        policy = compute.ResourcePolicy("a3-compact", region="us-central1",
                                        group_placement_policy={"collocation": "COLLOCATED"})
        disk = {"initialize_params": {"image": "debian-12"}}
        for i in range(3):
            compute.Instance(f"a3-{i}", machine_type="a3-highgpu-8g", zone="us-central1-a", boot_disk=disk,
                             network_interfaces=[{"network": "default"}], resource_policies=policy.self_link)
        compute.Instance("lone", machine_type="a3-highgpu-8g", zone="us-central1-b", boot_disk=disk,
                         network_interfaces=[{"network": "default"}])

    pools = list(inventory_of(preview_function(program, "readers")).pools)
    assert sorted(p.max_nodes for p in pools) == [1, 3]
    group = next(p for p in pools if p.max_nodes == 3)
    assert group.compact is True and group.accelerators("max") == 24 and group.zones == ("us-central1-a",)
    assert group.is_training  # compact placement of several VMs: training intent


# --- GCP: TPU VMs, queued resources, reservations ------------------------------------------------------------


def test_tpu_vm_device_types_become_hosts_of_chips() -> None:
    def program() -> None:
        from pulumi_gcp import tpu

        tpu.V2Vm("v5p-big", zone="us-east5-a", runtime_version="v2-alpha-tpuv5", accelerator_type="v5p-2048")
        tpu.V2Vm("v6e-one", zone="us-east5-b", runtime_version="v2-alpha-tpuv6e", accelerator_type="v6e-1")
        tpu.V2Vm("v5p-shape", zone="us-east5-a", runtime_version="v2-alpha-tpuv5",
                 accelerator_config={"type": "V5P", "topology": "2x2x4"})
        tpu.V2Vm("v4-old", zone="us-central2-b", runtime_version="tpu-vm-v4-base", accelerator_type="v4-128")

    pools = pools_of(program)
    big = pools["v5p-big"]
    assert (big.instance_type, big.max_nodes, big.accelerators("max")) == ("ct5p-hightpu-4t", 256, 1024)
    assert (pools["v6e-one"].instance_type, pools["v6e-one"].max_nodes) == ("ct6e-standard-1t", 1)
    shape = pools["v5p-shape"]
    assert (shape.max_nodes, shape.tpu_topology, shape.accelerators("max")) == (4, "2x2x4", 16)
    old = pools["v4-old"]  # v4 is not in the catalog: seen, named, its size unknown
    assert old.instance is None and isinstance(old.max_nodes, Unknown) and "v4-128" in str(old.instance_type)


def test_a_queued_resource_is_one_slice_per_node_spec() -> None:
    def program() -> None:
        from pulumi_gcp import tpu

        node = {"runtime_version": "v2-alpha-tpuv5-lite", "accelerator_type": "v5litepod-16"}
        tpu.V2QueuedResource("qr", zone="us-west4-a", tpu={"node_specs": [
            {"parent": "projects/p/locations/us-west4-a", "node_id": "slice-0", "node": node},
            {"parent": "projects/p/locations/us-west4-a", "node_id": "slice-1", "node": node}]})

    pools = pools_of(program)
    assert set(pools) == {"qr/slice-0", "qr/slice-1"}
    assert all((p.instance_type, p.max_nodes, p.accelerators("max")) == ("ct5lp-hightpu-4t", 4, 16)
               for p in pools.values())


def _reservation(consumed: bool) -> Callable[[], None]:
    def program() -> None:
        from pulumi_gcp import compute

        reservation = compute.Reservation("a3-reservation", zone="us-central1-a", specific_reservation={
            "count": 4, "instance_properties": {"machine_type": "a3-highgpu-8g"}})
        if consumed:
            template = compute.InstanceTemplate(
                "a3-template", machine_type="a3-highgpu-8g", disks=[{"source_image": "debian-12", "boot": True}],
                network_interfaces=[{"network": "default"}],
                reservation_affinity={"type": "SPECIFIC_RESERVATION", "specific_reservation": {
                    "key": "compute.googleapis.com/reservation-name", "values": [reservation.name]}})
            group = compute.InstanceGroupManager("a3-group", zone="us-central1-a", base_instance_name="a3",
                                                 versions=[{"instance_template": template.self_link_unique}])
            compute.Autoscaler("a3-autoscaler", zone="us-central1-a", target=group.id,
                               autoscaling_policy={"max_replicas": 6, "min_replicas": 0})

    return program


def test_a_reservation_is_paid_for_whole_even_idle() -> None:
    pool = pools_of(_reservation(consumed=False))["a3-reservation"]
    assert (pool.min_nodes, pool.max_nodes, pool.capacity, pool.accelerators("min")) == (4, 4, "reservation", 32)


def test_a_consumed_reservation_is_counted_once_on_its_consumer() -> None:
    pools = pools_of(_reservation(consumed=True))
    assert set(pools) == {"a3-group"}
    group = pools["a3-group"]
    assert (group.min_nodes, group.max_nodes, group.capacity) == (4, 6, "reservation")


# --- Azure ---------------------------------------------------------------------------------------------------


def _scale_set(enabled: bool | None, maximum: str = "32") -> Callable[[], None]:
    def program() -> None:
        from pulumi_azure_native import compute, monitor

        vmss = compute.VirtualMachineScaleSet("ndv5", resource_group_name="hpc", location="eastus",
                                              sku={"name": "Standard_ND96isr_H100_v5", "capacity": 4},
                                              virtual_machine_profile={"priority": "Regular"})
        if enabled is not None:
            monitor.AutoscaleSetting("ndv5-autoscale", resource_group_name="hpc", target_resource_uri=vmss.id,
                                     enabled=enabled, profiles=[{"name": "default", "rules": [], "capacity": {
                                         "minimum": "0", "maximum": maximum, "default": "4"}}])

    return program


def test_a_scale_set_is_sized_by_its_autoscale_setting() -> None:
    pool = pools_of(_scale_set(enabled=True))["ndv5"]
    assert (pool.cloud, pool.min_nodes, pool.max_nodes, pool.accelerators("max")) == ("azure", 0, 32, 256)
    assert pool.is_training and pool.fabric.configured is True  # InfiniBand comes with the size


def test_a_disabled_autoscale_setting_leaves_the_capacity() -> None:
    assert (pools_of(_scale_set(enabled=False))["ndv5"].max_nodes, pools_of(_scale_set(None))["ndv5"].max_nodes) \
        == (4, 4)


def test_aml_compute_clusters_and_attached_compute() -> None:
    def program() -> None:
        from pulumi_azure_native import machinelearningservices as ml

        ml.Compute("a100-cluster", resource_group_name="ml", workspace_name="ws", location="eastus",
                   properties={"compute_type": "AmlCompute", "properties": {
                       "vm_size": "Standard_ND96asr_v4", "vm_priority": "LowPriority",
                       "scale_settings": {"max_node_count": 16, "min_node_count": 0}}})
        ml.Compute("attached-aks", resource_group_name="ml", workspace_name="ws", location="eastus",
                   properties={"compute_type": "AKS", "resource_id": "/subscriptions/x/aks"})

    pools = pools_of(program)
    assert set(pools) == {"a100-cluster"}  # attached compute's VMs are another resource's
    cluster = pools["a100-cluster"]
    assert (cluster.min_nodes, cluster.max_nodes, cluster.capacity, cluster.accelerators("max")) == \
        (0, 16, "spot", 128)


def test_a_single_vm_is_a_pool_of_one() -> None:
    def program() -> None:
        from pulumi_azure_native import compute

        compute.VirtualMachine("nc-a100", resource_group_name="ml", location="westus3",
                               hardware_profile={"vm_size": "Standard_NC24ads_A100_v4"})
        compute.VirtualMachine("jump", resource_group_name="ml", location="westus3",
                               hardware_profile={"vm_size": "Standard_D4s_v5"})

    pools = pools_of(program)
    assert set(pools) == {"nc-a100"}
    assert (pools["nc-a100"].max_nodes, pools["nc-a100"].region) == (1, "westus3")


def _node_pool(name: str, requirements: list[dict[str, Any]], limits: dict[str, Any],
               node_class: dict[str, str]) -> None:
    from pulumi_kubernetes.apiextensions import CustomResource

    CustomResource(name, api_version=NODE_POOL_V1[0], kind=NODE_POOL_V1[1], spec={
        "template": {"spec": {"nodeClassRef": node_class, "requirements": requirements}}, "limits": limits})


AKS_CLASS = {"group": "karpenter.azure.com", "kind": "AKSNodeClass", "name": "default"}
EC2_CLASS = {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": "default"}


def test_karpenter_on_aks_selects_gpu_sizes_by_family_and_gpu_name() -> None:
    def program() -> None:
        _node_pool("h100", [{"key": "karpenter.azure.com/sku-family", "operator": "In", "values": ["N"]},
                            {"key": "karpenter.azure.com/sku-gpu-name", "operator": "In", "values": ["H100"]}],
                   {"nvidia.com/gpu": 2000}, AKS_CLASS)
        _node_pool("general", [{"key": "karpenter.azure.com/sku-family", "operator": "In", "values": ["D"]}],
                   {"cpu": 1000}, AKS_CLASS)

    pools = pools_of(program)
    assert set(pools) == {"h100"}  # D-family sizes carry no GPU
    pool = pools["h100"]
    assert pool.cloud == "azure" and "Standard_ND96isr_H100_v5" in {c.instance_type for c in pool.candidates}
    assert pool.instance_type == "Standard_ND96isr_H100_v5" and pool.max_nodes == 250  # 2,000 GPUs ÷ 8
    assert not pool.is_training  # it may launch Standard_NC80adis_H100_v5 too: InfiniBand was not chosen


def test_karpenter_on_aks_of_infiniband_sizes_only_trains() -> None:
    def program() -> None:
        _node_pool("nd", [{"key": "karpenter.azure.com/sku-family", "operator": "In", "values": ["ND"]},
                          {"key": "karpenter.azure.com/sku-gpu-name", "operator": "In", "values": ["H100"]}],
                   {"nvidia.com/gpu": 64}, AKS_CLASS)

    pool = pools_of(program)["nd"]
    assert pool.is_training and "InfiniBand" in pool.training_intent[0] and pool.max_nodes == 8


def test_karpenter_by_sku_name_with_a_node_limit_and_the_aws_reader_keeps_its_own() -> None:
    def program() -> None:
        _node_pool("nd", [{"key": "karpenter.azure.com/sku-name", "operator": "In",
                           "values": ["Standard_ND96isr_H100_v5"]}], {"nodes": 4}, AKS_CLASS)
        _node_pool("p5", [{"key": "node.kubernetes.io/instance-type", "operator": "In", "values": ["p5.48xlarge"]}],
                   {"nvidia.com/gpu": 64}, EC2_CLASS)

    pools = pools_of(program)
    assert (pools["nd"].cloud, pools["nd"].max_nodes) == ("azure", 4)
    assert (pools["p5"].cloud, pools["p5"].max_nodes) == ("aws", 8)


def test_a_stack_of_karpenter_on_aks_alone_is_an_azure_stack() -> None:
    """The plan titles a stack by the clouds of its judged pools: Karpenter on AKS is Azure, not AWS."""
    def program() -> None:
        _node_pool("nd", [{"key": "karpenter.azure.com/sku-name", "operator": "In",
                           "values": ["Standard_ND96isr_H100_v5"]}], {"nodes": 4}, AKS_CLASS)

    assert inventory_of(preview_function(program, "readers")).clouds == ("azure",)
