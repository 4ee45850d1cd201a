"""Every policy, driven through the Analyzer protocol: passing, failing (exact policy, level and resource)
and cannot-verify cases on hand-written programs, one change from the balanced cluster at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from policy_programs import Aws, Azure, Gcp, gcp_tpu
from policy_verdict import LEVELS, Judge

from backbone.core.catalog import load

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
FSX = "aws:fsx/lustreFileSystem:LustreFileSystem"
NODE_POOL = "gcp:container/nodePool:NodePool"
GCP_LUSTRE = "gcp:lustre/instance:Instance"
AGENT_POOL = "azure-native:containerservice:AgentPool"
AML = "azure-native:storagecache:AmlFilesystem"


def priced(**changes: Any) -> Aws:
    """The AWS cluster on an EFA instance type the catalog has an on-demand price for, fully wired."""
    rows = [i for i in load().for_cloud("aws") if i.fabric == "efa" and i.on_demand_usd_per_hour]
    assert rows, "the catalog has no priced EFA instance type"
    return Aws().with_(instance_type=rows[0].instance_type, efa_interfaces=rows[0].fabric_nics or 1, **changes)


@dataclass(frozen=True)
class Fails:
    """``program`` violates ``policy`` on the resource of ``type_`` at ``level``, and its message says ``says``."""

    policy: str
    program: Any
    type_: str
    level: str
    says: tuple[str, ...] = ()
    config: dict[str, Any] | None = None


FAILING = {
    "max-accelerators: a typo of 1,000 nodes": Fails(
        "max-accelerators", Aws().with_(max_nodes=1000), NODE_GROUP, "mandatory", ("8,000", "512")),
    "max-accelerators: over the stack limit": Fails(
        "max-accelerators", Azure(), AGENT_POOL, "mandatory", ("128", "stack limit of 64"),
        {"max-accelerators": {"stackLimit": 64}}),
    "monthly-budget: over the budget": Fails(
        "monthly-budget", priced(), NODE_GROUP,
        "mandatory", ("a month", "budget of $10,000"), {"monthly-budget": {"usd": 10000}}),
    "interconnect: one EFA interface of 32": Fails(
        "interconnect", Aws().with_(efa_interfaces=1), NODE_GROUP, "mandatory",
        ("1 EFA interface(s) configured where p5.48xlarge has 32", "12.5 of the 400 Gbps")),
    # placement is advice of its own since issue 9: a fabric is the NICs and devices
    "compact-placement: no placement group": Fails(
        "compact-placement", Aws().with_(placement=None), NODE_GROUP, "advisory", ("cluster placement group",)),
    "compact-placement: spread placement group": Fails(
        "compact-placement", Aws().with_(placement="spread"), NODE_GROUP, "advisory", ("'spread'",)),
    "interconnect: four GPU NICs of eight": Fails(
        "interconnect", Gcp().with_(gpu_nics=4, vpcs=4), NODE_POOL, "mandatory",
        ("4 GPU NIC(s) configured where a3-megagpu-8g has 8",)),
    "interconnect: GPU NICs sharing VPCs": Fails(
        "interconnect", Gcp().with_(vpcs=2), NODE_POOL, "mandatory", ("share 2 VPC",)),
    "compact-placement: no compact placement": Fails(
        "compact-placement", Gcp().with_(placement=None), NODE_POOL, "advisory", ("COMPACT",)),
    "interconnect: training across nodes without a fabric": Fails(
        "interconnect", Azure().with_(vm_size="Standard_NC24ads_A100_v4"), AGENT_POOL, "mandatory",
        ("no node-to-node fabric",)),
    "interconnect: under minGbpsPerAccelerator": Fails(
        "interconnect", Azure(), AGENT_POOL, "mandatory", ("400 Gbps", "at least 500"),
        {"interconnect": {"minGbpsPerAccelerator": 500}}),
    "storage-throughput: 1.2 TiB at 125 MB/s/TiB for 128 GPUs": Fails(
        "storage-throughput", Aws().with_(fs_capacity_gib=1200, fs_mbps_per_tib=125), FSX, "mandatory",
        ("128 nvidia-h100-80gb", "1.172 TiB of lustre at 125 MB/s/TiB = 146 MB/s", "1.14 MB/s per accelerator",
         "≥ 100 MB/s")),
    "storage-throughput: no file system": Fails(
        "storage-throughput", Gcp().with_(lustre=False), NODE_POOL, "mandatory", ("no parallel file system",)),
    "storage-throughput: Azure tier too slow": Fails(
        "storage-throughput", Azure().with_(aml_tib=8, aml_sku="AMLFS-Durable-Premium-40"), AML, "mandatory",
        ("320 MB/s",)),
    "single-zone: subnets in two zones": Fails(
        "single-zone", Aws().with_(zones=("us-east-1a", "us-east-1b")), NODE_GROUP, "mandatory",
        ("2 zones", "us-east-1a, us-east-1b")),
    "single-zone: two node locations": Fails(
        "single-zone", Gcp().with_(node_locations=("us-central1-a", "us-central1-b")), NODE_POOL, "mandatory",
        ("2 zones",)),
    "single-zone: two availability zones": Fails(
        "single-zone", Azure().with_(zones=("1", "2")), AGENT_POOL, "mandatory", ("eastus-1, eastus-2",)),
    "tpu-topology: 3 hosts for a 2-host topology": Fails(
        "tpu-topology", gcp_tpu(min_nodes=3, max_nodes=3), NODE_POOL, "mandatory",
        ("3 hosts × 4 chips = 12 chips", "2x2x2 has 8 chips", "node count to 2")),
    "tpu-topology: a topology the machine cannot form": Fails(
        "tpu-topology", gcp_tpu(tpu_topology="3x3x3"), NODE_POOL, "mandatory", ("'3x3x3'",)),
    "storage-locality: FSx in another zone": Fails(
        "storage-locality", Aws().with_(fs_zone="us-east-1b"), FSX, "advisory", ("us-east-1b", "us-east-1a")),
    "storage-locality: Managed Lustre in another zone": Fails(
        "storage-locality", Gcp().with_(lustre_zone="us-central1-c"), GCP_LUSTRE, "advisory", ("us-central1-c",)),
    "idle-accelerators: two nodes kept warm": Fails(
        "idle-accelerators", Aws().with_(min_nodes=2), NODE_GROUP, "advisory", ("2 × p5.48xlarge", "16")),
    "known-accelerator: a GPU type the catalog does not know": Fails(
        "known-accelerator", Aws().with_(instance_type="p9.96xlarge"), NODE_GROUP, "advisory", ("p9.96xlarge",)),
    "known-accelerator: an unknown N-series size": Fails(
        "known-accelerator", Azure().with_(vm_size="Standard_NV36ads_A10_v5"), AGENT_POOL, "advisory",
        ("Standard_NV36ads_A10_v5",)),
    "private-nodes: EFA interfaces with public IPs": Fails(
        "private-nodes", Aws().with_(public_ip=True), NODE_GROUP, "advisory", ("public IP",)),
    "private-nodes: GKE nodes without private nodes": Fails(
        "private-nodes", Gcp().with_(private=False), NODE_POOL, "advisory", ("enablePrivateNodes",)),
    "private-nodes: AKS node public IPs": Fails(
        "private-nodes", Azure().with_(public_ip=True), AGENT_POOL, "advisory", ("enableNodePublicIP",)),
    "encrypted-storage: service key where a customer key is required": Fails(
        "encrypted-storage", Aws(), FSX, "advisory", ("kmsKeyId",),
        {"encrypted-storage": {"customerManagedKey": True}}),
}


@pytest.mark.parametrize("case", FAILING.values(), ids=FAILING.keys())
def test_each_failing_case_is_reported_on_the_offending_resource(judge: Judge, case: Fails) -> None:
    verdict = judge(case.program, case.config)
    found = verdict.only_violation(case.policy)
    assert (found.policy, found.level, found.urn) == (case.policy, case.level, verdict.urn(case.type_))
    for text in case.says:
        assert text in found.detail, found.detail
    others = {d.policy for d in verdict.violations()} - {case.policy, "max-accelerators", "monthly-budget",
                                                        "idle-accelerators", "storage-throughput"}
    assert not others, f"one change should break one thing: {[d.detail for d in verdict.violations()]}"


PASSING = {
    "max-accelerators: raised limits": (Aws().with_(max_nodes=100), {"max-accelerators": {"poolLimit": 800}},
                                        "max-accelerators"),
    "monthly-budget: a priced cluster within the default budget": (
        priced(fs=False), None, "monthly-budget"),
    "interconnect: inference pool on one node needs no fabric": (
        Aws().with_(instance_type="g6.xlarge", max_nodes=1, purpose="inference", efa_interfaces=0, placement=None),
        None, "interconnect"),
    "interconnect: unlabelled g6 pool counts as inference": (
        Aws().with_(instance_type="g6.xlarge", purpose=None, efa_interfaces=0, placement=None), None,
        "interconnect"),
    "storage-throughput: inference stack needs no file system": (
        Gcp().with_(machine_type="g2-standard-8", purpose="inference", gpu_nics=0, vpcs=0, placement=None,
                    lustre=False), None, "storage-throughput"),
    "single-zone: inference pool may span zones": (
        Aws().with_(instance_type="g6.xlarge", purpose="inference", efa_interfaces=0, placement=None,
                    zones=("us-east-1a", "us-east-1b"), fs=False), None, "single-zone"),
    "idle-accelerators: a raised allowance": (Aws().with_(min_nodes=2), {"idle-accelerators": {
        "maxIdleAccelerators": 16}}, "idle-accelerators"),
    "known-accelerator: a CPU pool is no accelerator pool": (
        Aws().with_(instance_type="m7i.4xlarge", purpose="system", efa_interfaces=0, placement=None, fs=False,
                    ami_type="AL2023_x86_64_STANDARD"),
        None, "known-accelerator"),
    # GKE makes a TPU pool without a topology of one-host slices, one per node (issue 18, item 4): two v5p hosts
    # are two 2x2x1 slices, not a broken multi-host slice.
    "tpu-topology: hosts without a topology are independent one-host slices": (
        gcp_tpu(tpu_topology=None), None, "tpu-topology"),
    "encrypted-storage: a customer-managed key": (
        Aws().with_(fs_kms_key=True), {"encrypted-storage": {"customerManagedKey": True}}, "encrypted-storage"),
}


@pytest.mark.parametrize("case", PASSING.values(), ids=PASSING.keys())
def test_each_passing_case_passes(judge: Judge, case: tuple[Any, dict[str, Any] | None, str]) -> None:
    program, config, policy = case
    verdict = judge(program, config)
    assert verdict.violations(policy) == [] and verdict.cannot_verify(policy) == []


UNVERIFIABLE = {
    "max-accelerators": (Aws().with_(unknown_instance_type=True), NODE_GROUP, "launch template"),
    "monthly-budget": (Aws().with_(unknown_instance_type=True, fs=False), NODE_GROUP, "instanceType"),
    "interconnect": (Aws().with_(unknown_instance_type=True), NODE_GROUP, "instanceType"),
    "storage-throughput": (Aws().with_(unknown_fs_capacity=True), FSX, "storageCapacity"),
    "single-zone": (Aws().with_(unknown_subnet_zone=True), NODE_GROUP, "availabilityZone"),
    "tpu-topology": (gcp_tpu(unknown_topology=True), NODE_POOL, "placementPolicy.tpuTopology"),
    "storage-locality": (Aws().with_(unknown_subnet_zone=True), FSX, "availabilityZone"),
    "idle-accelerators": (Aws().with_(unknown_min_nodes=True), NODE_GROUP, "scalingConfig.minSize"),
    "known-accelerator": (Gcp().with_(unknown_machine_type=True), NODE_POOL, "nodeConfig.machineType"),
    "private-nodes": (Aws().with_(unknown_public_ip=True), NODE_GROUP, "associatePublicIpAddress"),
}


@pytest.mark.parametrize("policy", UNVERIFIABLE, ids=UNVERIFIABLE.keys())
def test_unknown_deciding_values_say_cannot_verify_naming_resource_and_input(judge: Judge, policy: str) -> None:
    program, type_, unknown_input = UNVERIFIABLE[policy]
    verdict = judge(program)
    [item] = verdict.cannot_verify(policy)
    assert item.level == "advisory"
    name = verdict.urn(type_).rsplit("::", 1)[1]
    assert name in item.detail and unknown_input in item.detail, item.detail
    assert verdict.violations(policy) == []


@pytest.mark.parametrize("policy", UNVERIFIABLE, ids=UNVERIFIABLE.keys())
def test_strict_turns_cannot_verify_into_a_violation(judge: Judge, policy: str) -> None:
    program, type_, unknown_input = UNVERIFIABLE[policy]
    verdict = judge(program, {policy: {"strict": True}})
    assert verdict.cannot_verify(policy) == []
    found = verdict.only_violation(policy)
    assert found.urn == verdict.urn(type_)
    assert found.level == LEVELS[policy] and "cannot verify" in found.detail and unknown_input in found.detail


def test_a_pool_without_a_catalog_price_cannot_be_budgeted(judge: Judge) -> None:
    unpriced = [i for i in load().for_cloud("azure") if i.on_demand_usd_per_hour is None and i.fabric != "none"]
    if not unpriced:
        pytest.skip("every Azure fabric instance type has a price")
    verdict = judge(Azure().with_(vm_size=unpriced[0].instance_type))
    [item] = verdict.cannot_verify("monthly-budget")
    assert "no on-demand price" in item.detail and unpriced[0].instance_type in item.detail


def test_definite_violations_are_kept_next_to_cannot_verify(judge: Judge) -> None:
    """A rule reports what it knows, then says what it could not judge: neither hides the other."""

    def two_pools() -> None:
        Aws().with_(max_nodes=1000)()
        from pulumi_aws import eks

        eks.NodeGroup("other", cluster_name="train", node_role_arn="arn:aws:iam::123456789012:role/node",
                      subnet_ids=["subnet-0abc"], instance_types=["p5.48xlarge"],
                      labels={"backbone.dev/purpose": "training"},
                      scaling_config={"min_size": 0, "max_size": 2, "desired_size": 0})

    verdict = judge(two_pools)
    [gpu] = [r.urn for r in verdict.preview.of_type(NODE_GROUP) if r.name == "gpu"]
    assert {d.urn for d in verdict.violations("max-accelerators")} == {gpu}
    [item] = verdict.cannot_verify("single-zone")
    assert "other" in item.detail and "subnetIds" in item.detail
