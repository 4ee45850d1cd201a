"""The same limits at their thresholds on a Backbone stack (the example stack stacks/Pulumi.aws-p5-train.yaml,
built by the real components): 16 × p5.48xlarge = 128 H100 (8 per node, aws.amazon.com/ec2/instance-types/p5),
fed by 48 TiB of FSx for Lustre at 1,000 MB/s per TiB = 48,000 MB/s, 375 MB/s per GPU (FSx's throughput is its
per-unit throughput × capacity in TiB: docs.aws.amazon.com/fsx/latest/LustreGuide/performance.html; FSx's TiB is
1,000 GiB — the component asks for 48,000 GiB, and AWS works 4.8 TiB × 50 MB/s/TiB as 240 MB/s in
docs.aws.amazon.com/fsx/latest/LustreGuide/ssd-storage.html)."""

from __future__ import annotations

import pytest
from direct import judge_resources, resources_of, rule
from pulumi_policy import PolicyResource

from backbone.engine import preview_program
from backbone.stackfile import PROJECT_ROOT, read_stack

STACK = PROJECT_ROOT / "stacks" / "Pulumi.aws-p5-train.yaml"


@pytest.fixture(scope="module")
def resources() -> list[PolicyResource]:
    stack = read_stack(STACK)
    return resources_of(preview_program(PROJECT_ROOT, stack.name, stack.config))


@pytest.mark.parametrize("key", ["poolLimit", "stackLimit"])
@pytest.mark.parametrize("limit, blocks", [(127, True), (128, False), (129, False)])
def test_max_accelerators_on_a_backbone_stack(resources: list[PolicyResource], key: str, limit: int,
                                              blocks: bool) -> None:
    judged = judge_resources(rule("max-accelerators"), resources, {key: limit})
    assert judged.cannot_verify is None
    if blocks:
        (resource, message), = judged.violations
        assert resource.startswith("llm-train-h100") and "128 accelerators" in message
    else:
        assert judged.violations == []


@pytest.mark.parametrize("floor, blocks", [(374.9, False), (375, False), (375.1, True)])
def test_storage_throughput_on_a_backbone_stack(resources: list[PolicyResource], floor: float,
                                                blocks: bool) -> None:
    judged = judge_resources(rule("storage-throughput"), resources, {"minMBpsPerAccelerator": floor})
    assert judged.cannot_verify is None
    if blocks:
        (resource, message), = judged.violations
        assert "scratch" in resource and "= 48,000 MB/s (375 MB/s per accelerator)" in message
    else:
        assert judged.violations == []


# The other clouds' training stacks, built by the real components, in each service's own TiB: GCP's a3-megagpu-8g
# has 8 H100 (cloud.google.com/compute/docs/gpus), 8 nodes = 64, fed by capacityTiB 36 of Managed Lustre sent as
# capacityGib 36,000 (Google's 1000 MB/s/TiB tier steps by 9,000 GiB, "9 TiB") at 1000 MB/s per TiB = 36,000 MB/s,
# 562.5 MB/s per GPU; Azure's Standard_ND96isr_H100_v5 has 8 H100 (learn.microsoft.com, ND H100 v5 series), 16 nodes =
# 128, fed by storageCapacityTiB 80 at 500 MB/s per TiB = 40,000 MB/s, 312.5 MB/s per GPU.
@pytest.mark.parametrize("stack_file, per_accelerator, says", [
    ("Pulumi.gcp-a3mega-train.yaml", 562.5, "36 TiB of lustre at 1,000 MB/s/TiB = 36,000 MB/s"),
    ("Pulumi.azure-ndh100-train.yaml", 312.5, "80 TiB of lustre at 500 MB/s/TiB = 40,000 MB/s"),
])
def test_storage_throughput_on_the_other_clouds_stacks(stack_file: str, per_accelerator: float, says: str) -> None:
    stack = read_stack(PROJECT_ROOT / "stacks" / stack_file)
    found = resources_of(preview_program(PROJECT_ROOT, stack.name, stack.config))
    passed = judge_resources(rule("storage-throughput"), found, {"minMBpsPerAccelerator": per_accelerator})
    assert passed.cannot_verify is None and passed.violations == []
    judged = judge_resources(rule("storage-throughput"), found, {"minMBpsPerAccelerator": per_accelerator + 0.1})
    (resource, message), = judged.violations
    assert "scratch" in resource and says in message, message
