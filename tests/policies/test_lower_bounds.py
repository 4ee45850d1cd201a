"""Sound lower bounds for types the catalog does not know (issue 18, item 3): a type of an accelerator family has
at least one accelerator per node, so 1,000 such nodes are at least 1,000 accelerators and ``max-accelerators``
blocks, saying which bound decided. ``p7x.48xlarge`` is made up on purpose (family P, no catalog row), so these
tests never depend on which rows the catalog holds."""

from __future__ import annotations

from policy_programs import Aws
from policy_verdict import Judge

from backbone.engine import preview_function
from backbone.policies.inventory import UNKNOWN, AcceleratorPool, FabricCheck, build
from backbone.resources import policy_resources

UNLISTED = "p7x.48xlarge"


def pool(instance_type: str, max_nodes: int, cloud: str = "aws") -> AcceleratorPool:
    return AcceleratorPool(
        urn="urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::ng", name="ng", cloud=cloud,
        resource_type="aws:eks/nodeGroup:NodeGroup", instance_type=instance_type, instance=None, min_nodes=0,
        max_nodes=max_nodes, purpose="training", purpose_declared=True, zones=("us-east-1a",), region="us-east-1",
        capacity="on-demand", fabric=FabricCheck(UNKNOWN), public_ips=False)


def test_an_unlisted_type_of_an_accelerator_family_has_at_least_one_per_node() -> None:
    for cloud, machine in (("aws", UNLISTED), ("aws", "trn9.48xlarge"), ("gcp", "a9-highgpu-8g"),
                           ("gcp", "tpu9x-standard-4t"), ("azure", "Standard_ND999_v9")):
        p = pool(machine, 1000, cloud)
        assert (p.accelerators("max"), p.least_per_node, p.least_accelerators()) == (None, 1, 1000), machine
        assert "accelerator family" in p.bound()


def test_a_type_of_no_accelerator_family_has_no_bound() -> None:
    for cloud, machine in (("aws", "m7x.48xlarge"), ("gcp", "n9-standard-8"), ("azure", "Standard_D96_v9")):
        p = pool(machine, 1000, cloud)
        assert (p.least_per_node, p.least_accelerators(), p.bound()) == (0, 0, ""), machine


def test_the_stack_total_is_a_lower_bound_not_zero() -> None:
    program = Aws(instance_type=UNLISTED, max_nodes=1000, ami_type="AL2023_x86_64_NVIDIA")
    inventory = build(policy_resources(preview_function(program, "bounds")))
    total = inventory.accelerators_max
    assert (total.value, total.complete) == (1000, False)
    assert str(total) == "≥ 1,000 (1 unknown)"


def test_a_thousand_nodes_of_an_unlisted_accelerator_type_are_blocked(judge: Judge) -> None:
    verdict = judge(Aws(instance_type=UNLISTED, max_nodes=1000))
    found = verdict.only_violation("max-accelerators")
    assert found.level == "mandatory"
    assert "at least 1,000 accelerators" in found.detail
    assert f"decided by a lower bound: {UNLISTED} is not in the catalog, but p7 is an accelerator family" \
           in found.detail


def test_under_the_limit_the_bound_decides_nothing(judge: Judge) -> None:
    verdict = judge(Aws(instance_type=UNLISTED, max_nodes=100))  # ≥ 100: under 512, the real count is unknown
    assert verdict.violations("max-accelerators") == []
    [unknown] = verdict.cannot_verify("max-accelerators")
    assert UNLISTED in unknown.detail


def test_storage_too_slow_even_for_the_fewest_accelerators_blocks(judge: Judge) -> None:
    # 1.2 TiB (1,200 GiB) at 125 MB/s/TiB ≈ 146 MB/s for at least 1,000 accelerators: at most 0.15 MB/s each
    verdict = judge(Aws(instance_type=UNLISTED, max_nodes=1000, fs_capacity_gib=1200, fs_mbps_per_tib=125),
                    {"max-accelerators": {"poolLimit": 100_000, "stackLimit": 100_000}})
    found = verdict.only_violation("storage-throughput")
    assert "at most" in found.detail and "accelerator family" in found.detail
    # 48,000 GiB at 500 MB/s/TiB ≈ 23,400 MB/s for at least 2 accelerators: enough for 2, unknown for more
    roomy = judge(Aws(instance_type=UNLISTED, max_nodes=2))
    assert roomy.violations("storage-throughput") == []
    assert len(roomy.cannot_verify("storage-throughput")) == 1
