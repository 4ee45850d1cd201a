"""workload-fit and workload-shortfall through the Analyzer protocol: the stack's declared workload (a
``backbone:index:Workload`` resource) against its pools and file systems, one change at a time."""

from __future__ import annotations

from typing import Any

from policy_programs import Aws
from policy_verdict import Judge, Verdict

from backbone.components.workload import Workload

NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
FSX = "aws:fsx/lustreFileSystem:LustreFileSystem"
# 70B on 300B tokens in 30 days on H100 at MFU 0.40: 6 × 70e9 × 3e11 / (989.5e12 × 0.40) / 3600 = 88,427
# GPU-hours × (1 + 5/120) ÷ 720 h = 127.9 → 128 GPUs = 16 × p5.48xlarge, the Aws program's default pool.
# Its checkpoint: 14 × 70e9 = 980 GB in 5 min = 3,267 MB/s; the program's FSx delivers 48 TiB × 500 = 24,000.
FITS_16_P5 = {"kind": "training", "params": "70B", "tokens": "300B", "days": 30}


def with_workload(program: Aws, workload: dict[str, Any] | None) -> Any:
    def run() -> None:
        program()
        if workload is not None:
            Workload("llm-workload", workload)

    return run


def findings(verdict: Verdict, policy: str) -> list[str]:
    return [d.detail for d in verdict.found if d.policy == policy]


def test_a_stack_sized_for_its_workload_passes(judge: Judge) -> None:
    verdict = judge(with_workload(Aws(), FITS_16_P5))
    assert findings(verdict, "workload-fit") == [] and findings(verdict, "workload-shortfall") == []


def test_without_a_declared_workload_there_is_nothing_to_judge(judge: Judge) -> None:
    verdict = judge(with_workload(Aws().with_(max_nodes=64), None))
    assert findings(verdict, "workload-fit") == [] and findings(verdict, "workload-shortfall") == []


def test_oversized_for_the_workload(judge: Judge) -> None:
    verdict = judge(with_workload(Aws().with_(max_nodes=40), FITS_16_P5))
    found = verdict.only_violation("workload-fit")
    assert (found.level, found.urn) == ("mandatory", verdict.urn(NODE_GROUP))
    for says in ("320 nvidia-h100-80gb", "2.5× the 128", "limit is 1.5×", "lower maxNodes of gpu to 16"):
        assert says in found.detail, found.detail


def test_over_provision_limit_is_configurable(judge: Judge) -> None:
    verdict = judge(with_workload(Aws().with_(max_nodes=40), FITS_16_P5), {"workload-fit": {"maxOverProvision": 3}})
    assert findings(verdict, "workload-fit") == []


def test_storage_too_slow_for_the_checkpoints(judge: Judge) -> None:
    verdict = judge(with_workload(Aws().with_(fs_capacity_gib=2400, fs_mbps_per_tib=125), FITS_16_P5))
    found = verdict.only_violation("workload-fit")
    assert (found.level, found.urn) == ("mandatory", verdict.urn(FSX))
    # 2,400 GiB = 2.4 TiB (FSx's TiB: 1,000 GiB) × 125 MB/s/TiB = 300 MB/s
    for says in ("2.4 TiB of lustre at 125 MB/s/TiB = 300 MB/s", "980 GB checkpoint", "≥ 3,267 MB/s"):
        assert says in found.detail, found.detail


def test_too_few_for_the_deadline_is_advisory_with_the_days_it_takes(judge: Judge) -> None:
    verdict = judge(with_workload(Aws().with_(max_nodes=8), FITS_16_P5))
    assert findings(verdict, "workload-fit") == []
    found = verdict.only_violation("workload-shortfall")
    assert (found.level, found.urn) == ("advisory", verdict.urn(NODE_GROUP))
    # 88,427 GPU-hours × (1 + 5/120) ÷ 64 GPUs ÷ 24 = 60.0 days instead of 30
    for says in ("64 nvidia-h100-80gb", "take 60 days", "needs 128 (16 nodes)", "raise maxNodes of gpu to 16"):
        assert says in found.detail, found.detail


def test_too_few_to_hold_the_training_state(judge: Judge) -> None:
    # 16 B × 405e9 = 6.48e12 B over 0.80 × 80 GiB = 68.7e9 B per GPU → at least 95 GPUs; 4 nodes hold 32.
    workload = {"kind": "training", "params": "405B", "tokens": "100B", "days": 365}
    verdict = judge(with_workload(Aws().with_(max_nodes=4), workload))
    found = verdict.only_violation("workload-fit")
    assert "cannot hold the training state of 405B parameters" in found.detail
    assert "at least 95" in found.detail


def test_a_training_workload_needs_a_training_pool(judge: Judge) -> None:
    verdict = judge(with_workload(Aws().with_(purpose="inference"), FITS_16_P5))
    found = verdict.only_violation("workload-fit")
    assert "declares a training workload but has no training pool" in found.detail
