"""``--write-stack`` on stack file texts: keys replaced in place, missing keys added under their entry, comments
and other lines untouched, a pool never raised."""

from __future__ import annotations

from pathlib import Path

from backbone.stackfile import read_stack
from backbone.utilization.observe import Window
from backbone.utilization.report import UtilizationReport
from backbone.utilization.stack_edit import proposed_text
from backbone.utilization.verdict import Utilization

STACK = """\
config:
  backbone:cluster:
    cloud: aws
    name: train   # the cluster
    nodePools:
      - name: a100
        instanceType: p4d.24xlarge
        maxNodes: 32   # sized for last year's run
      - name: h100
        instanceType: p5.48xlarge
        minNodes: 2
        maxNodes: 4
"""


def report(*entries: Utilization) -> UtilizationReport:
    return UtilizationReport("http://p:9090", Window(0, 3600, 300, "1h", "5m"), 0.25, 10.0, entries, (), 1, 0.1)


def pool(name: str, proposal: dict[str, float]) -> Utilization:
    return Utilization(name, f"urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::{name}", "pool", "over-provisioned",
                       "…", proposal=proposal, monthly_savings_usd=1.0)


def test_a_missing_key_is_added_and_a_written_one_replaced_comments_kept(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.train.yaml"
    path.write_text(STACK)
    new, skipped = proposed_text(report(pool("train-a100-nodes", {"maxNodes": 10, "minNodes": 3})),
                                 read_stack(path), STACK)
    assert skipped == []
    assert "        maxNodes: 10   # sized for last year's run\n" in new
    assert "      - name: a100\n        minNodes: 3\n" in new
    assert new.count("\n") == STACK.count("\n") + 1
    assert new.replace("        minNodes: 3\n", "", 1).replace("maxNodes: 10 ", "maxNodes: 32 ") == STACK


def test_a_pool_is_never_raised_and_an_unknown_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.train.yaml"
    path.write_text(STACK)
    new, skipped = proposed_text(report(pool("train-h100-nodes", {"maxNodes": 6, "minNodes": 3}),
                                        pool("other-nodes", {"maxNodes": 1, "minNodes": 0})), read_stack(path), STACK)
    assert new == STACK  # the file's 4 / 2 are already at or under the proposal
    assert len(skipped) == 1 and skipped[0].startswith("other-nodes: no nodePools entry")
