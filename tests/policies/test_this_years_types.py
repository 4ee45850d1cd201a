"""This year's instance types, judged by the pack on hand-written programs (plain provider resources, no
``components``): each pool is read with the accelerator count the clouds publish and is blocked or passed where
the public limits say.

The counts are the clouds' own figures, not the catalog's (read 2026-12-07):
- A4X (``a4x-highgpu-4g``): 4 GPUs of a GB200 NVL72 rack per VM, four CX-7 GPU NICs (Compute Engine "Networking
  and GPU machines", cloud.google.com/compute/docs/gpus/gpu-network-bandwidth; XPK's ``gb200-4`` system).
- A3 Edge (``a3-edgegpu-8g``): 8 H100 over GPUDirect-TCPX, four data NICs as for A3 High (dstack's GCP cluster
  guide: "A3 Edge/High require at least 4 extra_vpcs for data NICs").
- TPU7x: 4 chips per ``tpu7x-standard-4t`` VM (GKE "About Ironwood (TPU7x)"); a slice named ``tpu7x-32`` counts
  TensorCores, 2 per chip (cloud.google.com/tpu/docs/tpu7x), so it is 16 chips on 4 VMs.
- ND GB200 v6 / ND GB300 v6: 4 GPUs per VM, 18 VMs per NVL72 rack = 72 GPUs (learn.microsoft.com, the two size
  pages); InfiniBand scale-out per VM, so an agent pool of them has its fabric with the size itself.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from direct import Judged, judge
from policy_programs import Azure, Gcp, gcp_rdma, gcp_tpu

from backbone.engine import preview_function
from backbone.policies.inventory import build
from backbone.resources import policy_resources

A4X_NODES = 16            # 16 VMs x 4 GB200 = 64 GPUs
A3_EDGE_NODES = 16        # 16 VMs x 8 H100 = 128 GPUs
NVL72_VMS = 18            # one GB200 / GB300 NVL72 rack: 18 VMs x 4 GPUs = 72 GPUs

PROGRAMS: dict[str, tuple[Any, int]] = {
    # name -> (program, accelerators the pool scales to)
    # A4X's four CX-7 NICs are GPUDirect-RDMA: one RoCE-profile VPC, a subnet per NIC
    "a4x-highgpu-4g": (partial(gcp_rdma, machine_type="a4x-highgpu-4g", nics=4, subnets=4, max_nodes=A4X_NODES), 64),
    "a3-edgegpu-8g": (Gcp(machine_type="a3-edgegpu-8g", max_nodes=A3_EDGE_NODES, gpu_nics=4, vpcs=4), 128),
    "tpu7x-standard-4t": (gcp_tpu(machine_type="tpu7x-standard-4t", tpu_topology="2x2x2"), 8),
    "Standard_ND128isr_NDR_GB200_v6": (Azure(vm_size="Standard_ND128isr_NDR_GB200_v6", max_nodes=NVL72_VMS), 72),
    "Standard_ND128isr_GB300_v6": (Azure(vm_size="Standard_ND128isr_GB300_v6", max_nodes=NVL72_VMS), 72),
}


def tpu_vm_slice(accelerator_type: str) -> None:
    """One Cloud TPU VM slice by its accelerator type (``tpu7x-32``), as ``gcloud compute tpus tpu-vm create``."""
    import pulumi_gcp as gcp

    gcp.tpu.V2Vm("slice", zone="us-central1-c", accelerator_type=accelerator_type, runtime_version="v2-alpha-tpu7x",
                 labels={"backbone.dev/purpose": "training"})


def read_pool(program: Any) -> Any:
    [pool] = build(policy_resources(preview_function(program, "this-year"))).pools
    return pool


@pytest.mark.parametrize("name", PROGRAMS)
def test_the_pool_is_read_with_the_published_accelerator_count(name: str) -> None:
    program, accelerators = PROGRAMS[name]
    pool = read_pool(program)
    assert pool.instance_type == name and pool.instance is not None, pool
    assert pool.accelerators("max") == accelerators


@pytest.mark.parametrize("name", PROGRAMS)
@pytest.mark.parametrize("delta, blocks", [(-1, True), (0, False)])
def test_max_accelerators_blocks_one_over_the_pool_limit(name: str, delta: int, blocks: bool) -> None:
    program, accelerators = PROGRAMS[name]
    limit = accelerators + delta
    judged = judge(program, "max-accelerators", {"poolLimit": limit})
    if blocks:
        _, message = judged.only_violation()
        assert f"{accelerators} accelerators over the pool limit of {limit}" in message
    else:
        assert judged.passed, judged


def test_a_tpu7x_slice_named_by_its_tensorcores_is_16_chips_on_4_vms() -> None:
    pool = read_pool(lambda: tpu_vm_slice("tpu7x-32"))
    assert (pool.instance_type, pool.max_nodes, pool.accelerators("max")) == ("tpu7x-standard-4t", 4, 16)
    over: Judged = judge(lambda: tpu_vm_slice("tpu7x-32"), "max-accelerators", {"poolLimit": 15})
    assert "16 accelerators over the pool limit of 15" in over.only_violation()[1]
    assert judge(lambda: tpu_vm_slice("tpu7x-32"), "max-accelerators", {"poolLimit": 16}).passed


@pytest.mark.parametrize("name", ["Standard_ND128isr_NDR_GB200_v6", "Standard_ND128isr_GB300_v6"])
def test_an_azure_nvl72_pool_has_its_infiniband_with_the_size(name: str) -> None:
    assert judge(PROGRAMS[name][0], "interconnect").passed


def test_an_a4x_pool_needs_all_four_rdma_nics() -> None:
    program, _ = PROGRAMS["a4x-highgpu-4g"]
    assert judge(program, "interconnect").passed
    _, message = judge(partial(program, subnets=3), "interconnect").only_violation()
    assert "3 GPU NIC(s) configured where a4x-highgpu-4g has 4" in message, message


def test_an_a3_edge_pool_short_of_gpu_nics_is_blocked_and_its_bandwidth_is_named_unknown() -> None:
    """A3 Edge's four data NICs are known, their total bandwidth is not (the catalog leaves it out): a pool with
    every NIC cannot be shown to meet a bandwidth floor, so it is "cannot verify", never a silent pass."""
    program, _ = PROGRAMS["a3-edgegpu-8g"]
    _, message = judge(program.with_(gpu_nics=2, vpcs=2), "interconnect").only_violation()
    assert "2 GPU NIC(s) configured where a3-edgegpu-8g has 4" in message, message
    full = judge(program, "interconnect")
    assert full.violations == [] and full.cannot_verify is not None and "bandwidth" in full.cannot_verify


def tpu7x_pool(topology: str, hosts: int, policy_outside: bool = False) -> Any:
    """A GKE TPU7x pool placed as GKE places Ironwood multi-host slices: a workload policy (a compute resource policy
    with ``workloadPolicy.acceleratorTopology``) named by the pool's ``placementPolicy.policyName`` instead of a
    ``tpuTopology`` (GKE "About Ironwood (TPU7x)": "This policy replaces the --tpu-topology flag")."""
    def program() -> None:
        import pulumi_gcp.compute as compute
        import pulumi_gcp.container as container

        cluster = container.Cluster("train", location="us-central1", initial_node_count=1,
                                    remove_default_node_pool=True)
        policy: Any = "ironwood-shared" if policy_outside else compute.ResourcePolicy(
            "ironwood", region="us-central1",
            workload_policy=compute.ResourcePolicyWorkloadPolicyArgs(type="HIGH_THROUGHPUT",
                                                                     accelerator_topology=topology)).name
        container.NodePool(
            "tpu", cluster=cluster.name, location="us-central1", node_locations=["us-central1-c"], node_count=hosts,
            node_config=container.NodePoolNodeConfigArgs(machine_type="tpu7x-standard-4t",
                                                         labels={"backbone.dev/purpose": "training"}),
            placement_policy=container.NodePoolPlacementPolicyArgs(type="COMPACT", policy_name=policy))
    return program


def test_a_tpu7x_pool_takes_its_slice_shape_from_its_workload_policy() -> None:
    pool = read_pool(tpu7x_pool("2x2x2", 2))
    assert (pool.tpu_topology, pool.accelerators("max")) == ("2x2x2", 8)
    assert judge(tpu7x_pool("2x2x2", 2), "tpu-topology").passed


@pytest.mark.parametrize("topology, hosts, says", [
    ("2x2x2", 3, "3 hosts × 4 chips = 12 chips, but topology 2x2x2 has 8"),
    ("16x24x28", 2688, "beyond the largest 7x slice (9,216 chips)"),  # the Pod is 9,216 chips (tpu/docs/tpu7x)
])
def test_a_tpu7x_slice_that_cannot_exist_is_blocked(topology: str, hosts: int, says: str) -> None:
    _, message = judge(tpu7x_pool(topology, hosts), "tpu-topology").only_violation()
    assert says in message, message


def test_a_workload_policy_outside_the_stack_leaves_the_shape_unknown_not_passed() -> None:
    judged = judge(tpu7x_pool("2x2x2", 3, policy_outside=True), "tpu-topology")
    assert judged.violations == [] and judged.cannot_verify is not None
    assert "policyName" in judged.cannot_verify, judged.cannot_verify
