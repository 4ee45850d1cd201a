"""The analyzer client's process handling: a chatty pack cannot block, a broken pack says why."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pulumi_aws import ec2

from backbone.analyzer import PolicyPack
from backbone.core.errors import BackboneError
from backbone.engine import preview_function

CHATTY = '''
import sys
from pulumi_policy import PolicyPack, StackValidationPolicy

def validate(args, report):
    sys.stderr.write("warning: " + "x" * (1 << 20) + "\\n")  # far more than a pipe buffer holds
    sys.stderr.flush()
    report(f"saw {len(args.resources)} resources")

PolicyPack("chatty", [StackValidationPolicy(name="chatty", description="Ensure chatter", validate=validate)])
'''


def pack_dir(tmp_path: Path, program: str) -> Path:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text(program)
    return tmp_path


def test_a_pack_that_writes_megabytes_to_stderr_does_not_block_the_analysis(tmp_path: Path) -> None:
    preview = preview_function(lambda: ec2.Vpc("net", cidr_block="10.0.0.0/16"), "dev")
    with ThreadPoolExecutor(max_workers=1) as worker, PolicyPack(pack_dir(tmp_path, CHATTY)) as pack:
        pack.configure({})
        judged = worker.submit(pack.judge, preview)
        # before the fix the pack blocked on a full stderr pipe and this waited forever
        # the stack, the VPC and the default aws provider the engine creates for it
        assert [d.detail for d in judged.result(timeout=60)] == ["saw 3 resources"]


def test_a_pack_that_fails_to_start_says_why(tmp_path: Path) -> None:
    broken = pack_dir(tmp_path, 'raise SystemExit("rules failed to import: no module named boom")\n')
    with pytest.raises(BackboneError, match="did not start: rules failed to import: no module named boom"):
        PolicyPack(broken).start()
