"""One running policy pack per test session, driven through the Analyzer protocol like the Pulumi CLI."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from backbone.analyzer import PolicyPack
from backbone.engine import preview_function

# The helper modules next to this file (policy_programs, policy_verdict), in any pytest import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from policy_verdict import Judge, Verdict

PACK_DIR = Path(__file__).resolve().parents[2] / "backbone" / "policies"


@pytest.fixture(scope="session")
def pack() -> Iterator[PolicyPack]:
    with PolicyPack(PACK_DIR) as running:
        yield running


@pytest.fixture
def judge(pack: PolicyPack) -> Judge:
    """``judge(program, config, stack_config)``: previews ``program`` offline (with the stack's config, e.g.
    ``{"gcp:zone": …}``) and returns what the pack finds with the policy ``config``."""

    def run(program: Callable[[], object], config: dict[str, Any] | None = None,
            stack_config: dict[str, Any] | None = None) -> Verdict:
        pack.configure(config or {})
        preview = preview_function(program, "test", stack_config)
        return Verdict(preview, pack.judge(preview))

    return run
