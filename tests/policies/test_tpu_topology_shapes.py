"""tpu-topology blocks only slices that cannot exist; tpu-topology-unlisted advises on a plausible shape that
no cited table lists. Hand-written GKE programs (no ``components``), one node pool per slice."""

from __future__ import annotations

import pytest
from policy_programs import gcp_tpu
from policy_verdict import Judge

MANDATORY = "tpu-topology"
ADVISORY = "tpu-topology-unlisted"


def slice_(machine_type: str, topology: str, hosts: int):  # type: ignore[no-untyped-def]
    return gcp_tpu(machine_type=machine_type, tpu_topology=topology, min_nodes=hosts, max_nodes=hosts)


@pytest.mark.parametrize(("machine_type", "topology", "hosts"), [
    ("ct5p-hightpu-4t", "2x2x4", 4),      # v5p-32: not on Google's "most common" table, listed by XPK
    ("ct5p-hightpu-4t", "2x2x1", 1),
    ("ct5p-hightpu-4t", "4x4x12", 48),    # XPK's v5p-384
    ("ct5p-hightpu-4t", "16x20x28", 2240),  # the whole v5p Pod
    ("ct6e-standard-4t", "16x16", 64),
    ("ct5lp-hightpu-4t", "2x4", 2),
    ("ct5lp-hightpu-8t", "2x4", 1),
])
def test_listed_shapes_pass_both(judge: Judge, machine_type: str, topology: str, hosts: int) -> None:
    verdict = judge(slice_(machine_type, topology, hosts))
    assert verdict.violations(MANDATORY) == [] and verdict.violations(ADVISORY) == []


@pytest.mark.parametrize(("machine_type", "topology", "hosts", "says"), [
    ("ct5p-hightpu-4t", "4x4x16", 64, "4x8x8"),   # 256 chips: the listed 256-chip shape is 4x8x8
    ("ct5p-hightpu-4t", "2x2x3", 3, "multiple of 4"),
    ("ct6e-standard-4t", "4x16", 16, "8x8"),
])
def test_a_plausible_unlisted_shape_is_advice_not_a_block(judge: Judge, machine_type: str, topology: str,
                                                          hosts: int, says: str) -> None:
    verdict = judge(slice_(machine_type, topology, hosts))
    assert verdict.violations(MANDATORY) == []
    [advice] = verdict.violations(ADVISORY)
    assert advice.level == "advisory" and topology in advice.detail and says in advice.detail


@pytest.mark.parametrize(("machine_type", "topology", "hosts", "says"), [
    ("ct5p-hightpu-4t", "3x3x3", 7, "27 chips, not whole hosts of 4"),
    ("ct5p-hightpu-4t", "4x8", 8, "3 dimensions"),
    ("ct5p-hightpu-4t", "16x20x32", 2560, "beyond the largest v5p slice (8,960 chips)"),
    ("ct6e-standard-4t", "32x32", 256, "beyond the largest v6e slice (256 chips)"),
    ("ct5lp-hightpu-8t", "4x4", 2, "single-host slices only"),
    ("ct5p-hightpu-4t", "2x2x4", 3, "3 hosts × 4 chips = 12 chips, but topology 2x2x4 has 16"),
])
def test_an_impossible_slice_is_blocked(judge: Judge, machine_type: str, topology: str, hosts: int,
                                        says: str) -> None:
    verdict = judge(slice_(machine_type, topology, hosts))
    [block] = verdict.violations(MANDATORY)
    assert block.level == "mandatory" and says in block.detail, block.detail
    assert verdict.violations(ADVISORY) == []


def test_multislice_is_identical_node_pools_each_judged_as_a_slice(judge: Judge) -> None:
    """Two v5e 16x16 slices (one node pool each) pass; a third pool of the wrong size is the one blocked."""

    def multislice() -> None:
        import pulumi_gcp.container as container

        for i, hosts in enumerate((64, 64, 60)):
            container.NodePool(
                f"slice-{i}", cluster="train", location="us-central1", node_locations=["us-central1-a"],
                node_count=hosts, placement_policy=container.NodePoolPlacementPolicyArgs(
                    type="COMPACT", tpu_topology="16x16"),
                node_config=container.NodePoolNodeConfigArgs(machine_type="ct5lp-hightpu-4t",
                                                             labels={"backbone.dev/purpose": "training"}))

    verdict = judge(multislice)
    [block] = verdict.violations(MANDATORY)
    assert "slice-2" in block.urn and "60 hosts × 4 chips = 240 chips" in block.detail
