"""storage-throughput and a file system outside the stack: a pool-only stack (hand-written, no
``backbone.components``) declares the throughput of the file system another stack owns (``externalMBps``), and is
judged on it; without the declaration it blocks as before, and a declaration too small still blocks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from policy_programs import Aws
from policy_verdict import Judge

POOL_ONLY = Aws().with_(fs=False)  # 16 × p5.48xlarge = 128 H100 for training; the default floor is 100 MB/s each


def test_a_pool_only_stack_without_a_declaration_blocks_and_says_how_to_declare(judge: Judge) -> None:
    found = judge(POOL_ONLY).only_violation("storage-throughput")
    assert found.level == "mandatory"
    assert "no parallel file system in this stack" in found.detail and "(externalMBps)" in found.detail


def test_a_declared_external_file_system_that_is_fast_enough_passes(judge: Judge) -> None:
    # 128 GPUs × 100 MB/s = 12,800 MB/s needed; the training stack's FSx serves 25,600 MB/s
    verdict = judge(POOL_ONLY, {"storage-throughput": {"externalMBps": 25_600}})
    assert verdict.violations("storage-throughput") == []
    assert verdict.cannot_verify("storage-throughput") == []


def test_a_declared_external_file_system_too_slow_blocks_with_its_figures(judge: Judge) -> None:
    verdict = judge(POOL_ONLY, {"storage-throughput": {"externalMBps": 6_400}})
    found = verdict.only_violation("storage-throughput")
    assert found.urn == verdict.urn("aws:eks/nodeGroup:NodeGroup")
    assert "6,400 MB/s declared outside this stack (externalMBps) (50 MB/s per accelerator)" in found.detail
    assert "≥ 100 MB/s per accelerator = 12,800 MB/s" in found.detail


def test_the_declaration_adds_to_the_stacks_own_file_systems(judge: Judge) -> None:
    # 1.2 TiB at 125 MB/s/TiB = 150 MB/s of the stack's own FSx: short alone, enough with 12,800 declared
    slow = Aws().with_(fs_capacity_gib=1200, fs_mbps_per_tib=125)
    assert judge(slow).violations("storage-throughput")
    assert judge(slow, {"storage-throughput": {"externalMBps": 12_800}}).violations("storage-throughput") == []


def _blocks(page: Path, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", page.read_text(), flags=re.S | re.M)


def test_the_add_a_pool_examples_pass_storage_throughput_with_the_documented_config(judge: Judge) -> None:
    # the training-pool programs of docs/components.md (AWS p5, GCP A3 Mega, Azure ND H100 v5), as written, judged
    # with the config docs/how-to/add-an-accelerator-pool.md gives a pool-only stack
    docs = Path(__file__).resolve().parents[2] / "docs"
    section = (docs / "components.md").read_text().split("## How to add a GPU or TPU pool")[1].split("\n## ")[0]
    programs = [code for code in re.findall(r"^```python\n(.*?)^```", section, flags=re.S | re.M)
                if "GpuNodePool(" in code or "GpuAgentPool(" in code]
    assert len(programs) == 3
    [declared] = [json.loads(b) for b in _blocks(docs / "how-to" / "add-an-accelerator-pool.md", "json")]
    config = declared["stacks"]["gpu-pool-*"]
    for code in programs:
        compiled = compile(code, "components.md", "exec")

        def program(compiled: Any = compiled) -> None:
            exec(compiled, {"__name__": "__main__"})

        assert judge(program).violations("storage-throughput"), code  # blocked without the declaration
        assert judge(program, config).violations("storage-throughput") == [], code
