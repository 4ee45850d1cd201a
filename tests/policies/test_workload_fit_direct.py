"""workload-fit and workload-shortfall judged in this process (the protocol cases stay in test_workload_fit.py): the
memory floor of the training state exactly at and either side of a pool's accelerators, no pool of the workload's
purpose, an invalid workload, a pool that cannot be counted or sized.

Public figures (read 2026-12-07): mixed-precision Adam keeps 16 bytes per parameter (bf16 weights and gradients, fp32
master weights and two moments: Rajbhandari et al., ZeRO, arXiv:1910.02054 §3.1); an H100 80GB holds 80 GiB
(nvidia.com/en-us/data-center/h100); p5.48xlarge has 8 (aws.amazon.com/ec2/instance-types/p5). With 80 % of it for
the state: 16 GPUs hold 16 × 0.8 × 80 × 2³⁰ B = 1.0995e12 B = 68.7B parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from direct import judge
from policy_programs import Aws

from backbone.components.workload import Workload


@dataclass(frozen=True)
class WithWorkload:
    """A hand-written program plus the ``backbone:index:Workload`` it declares (a dataclass: its preview is kept)."""

    program: Aws
    workload: Any

    def __call__(self) -> None:
        import pulumi

        self.program()
        if dict(self.workload).get("kind") == "training" and "days" not in dict(self.workload):
            # as another tool (or an older Backbone) might record it: the component would refuse it
            pulumi.ComponentResource("backbone:index:Workload", "llm-workload", dict(self.workload))
        else:
            Workload("llm-workload", dict(self.workload))


def training(params: str, days: int = 30) -> Any:
    return (("kind", "training"), ("params", params), ("tokens", "300B"), ("days", days))


TWO_P5 = Aws().with_(max_nodes=2)  # and its 48,000 GiB of FSx at 500 MB/s/TiB: fast enough for the checkpoints


@pytest.mark.parametrize("params, blocks, floor", [("68B", False, 16), ("69B", True, 17), ("100B", True, 24)])
def test_the_memory_floor_of_the_training_state(params: str, blocks: bool, floor: int) -> None:
    # 68B × 16 B / (0.8 × 80 GiB) = 15.8 → 16 GPUs: 2 × p5 hold it; 69B: 16.06 → 17; 100B: 23.3 → 24
    judged = judge(WithWorkload(TWO_P5, training(params)), "workload-fit")
    if not blocks:
        assert judged.passed, judged
        return
    resource, message = judged.only_violation()
    assert resource == "gpu"
    assert message == (
        f"16 nvidia-h100-80gb at max scale (2 × p5.48xlarge (16 nvidia-h100-80gb)) cannot hold the training state "
        f"of {params} parameters (16 B/param sharded, ≤ 80% of accelerator memory): it needs at least {floor}: raise "
        f"maxNodes of gpu")


def test_a_shortfall_of_accelerators_is_advisory_with_the_days_it_takes() -> None:
    # 68B on 300B tokens: ~122 GPUs for 30 days; 16 take far longer
    resource, message = judge(WithWorkload(TWO_P5, training("68B")), "workload-shortfall").only_violation()
    assert resource == "gpu" and message.startswith("16 nvidia-h100-80gb at max scale (2 × p5.48xlarge (16 "
                                                    "nvidia-h100-80gb)) take ")
    assert "for training 68B parameters on 300B tokens in 30 days at MFU 0.4; the deadline needs" in message
    assert "raise maxNodes of gpu to 16, or move the deadline (days)" in message


def test_a_training_workload_without_a_training_pool_blocks() -> None:
    judged = judge(WithWorkload(Aws().with_(purpose="inference", fs=False), training("70B")), "workload-fit")
    assert judged.only_violation() == ("", "the stack declares a training workload but has no training pool: add "
                                           "one (purpose: training) or declare the workload this stack is for")


def test_an_invalid_workload_cannot_verify() -> None:
    judged = judge(WithWorkload(TWO_P5, (("kind", "training"), ("params", "70B"))), "workload-fit")
    assert judged.violations == []
    assert judged.cannot_verify is not None
    assert judged.cannot_verify == "the declared workload is not valid: Field required"


def test_a_pool_of_unknown_type_cannot_be_sized() -> None:
    judged = judge(WithWorkload(Aws().with_(unknown_instance_type=True, fs=False), training("70B")), "workload-fit")
    assert judged.violations == []
    assert judged.cannot_verify == ("pool gpu (aws:eks/nodeGroup:NodeGroup): accelerators at max scale unknown "
                                    "(train.instanceType (launch template))")


def test_a_pool_of_a_type_the_catalog_does_not_know_cannot_be_sized() -> None:
    judged = judge(WithWorkload(Aws().with_(instance_type="p9.made-up", fs=False), training("70B")), "workload-fit")
    assert judged.violations == []
    assert judged.cannot_verify == ("pool gpu (aws:eks/nodeGroup:NodeGroup): the catalog does not know how many "
                                    "accelerators a p9.made-up has")
