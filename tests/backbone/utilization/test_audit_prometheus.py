"""``backbone audit STATE.json --prometheus URL`` against a real Prometheus (conftest.py) backfilled with a week of
generated scenarios, for exports of a hand-written EKS program (no ``backbone.components``).

Expectations from public facts, not from the code under test: a p5.48xlarge holds 8 H100 (AWS, "Amazon EC2 P5
instances"), priced $55.04 an hour on demand in us-east-1 (the catalog's dated row, from the AWS price list);
a month is 730 hours; FSx for Lustre provisions capacity (TiB) × per-unit storage throughput (MB/s/TiB).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from backbone.cli import main
from tests.backbone.utilization.conftest import Server

P5_GPUS, P5_USD_PER_HOUR, HOURS_PER_MONTH = 8, 55.04, 730
REPO = Path(__file__).resolve().parents[3]


def audit_json(capsys: pytest.CaptureFixture[str], tmp_path: Path, state: Path, url: str,
               *argv: str) -> tuple[int, dict[str, Any], str]:
    out = tmp_path / "report.json"
    code = main(["audit", str(state), "--prometheus", url, "--format", "json", "--output", str(out), *argv])
    err = capsys.readouterr().err
    return code, (json.loads(out.read_text()) if out.exists() else {}), err


def entry(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(e for e in doc["utilization"] if e["name"] == name)


def test_six_busy_ten_idle_p5_nodes_are_over_provisioned_with_a_cut_to_eight(
        server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, doc, err = audit_json(capsys, tmp_path, server.states["over"], server.url)
    assert code == 1, err  # the pack still blocks the state's p5 group without EFA: the exit code is the pack's
    pool = entry(doc, "h100-nodes")
    assert pool["kind"] == "pool" and pool["verdict"] == "over-provisioned", pool["message"]
    observed = pool["observed"]
    assert observed["nodes"] == {"min": 16, "median": 16, "max": 16}
    assert observed["accelerators_busy"]["median"] == 6 * P5_GPUS and observed["accelerators_busy"]["p95"] == 48
    # 10 of 16 nodes idle over the week: 10 × 8 GPUs × 168 h idle, of 16 × 8 × 168
    assert observed["idle_accelerator_hours"] == pytest.approx(10 * P5_GPUS * 168, rel=0.01)
    assert observed["idle_share"] == pytest.approx(10 / 16, abs=0.01)
    assert observed["idle_cost_usd"] == pytest.approx(10 * 168 * P5_USD_PER_HOUR, rel=0.01)
    proposal = pool["proposal"]
    assert 6 <= proposal["maxNodes"] <= 8
    assert proposal["maxNodes"] == math.ceil(6 * 1.25)  # the observed peak, 6 nodes, with the default 25 % headroom
    assert proposal["minNodes"] <= proposal["maxNodes"]
    assert pool["monthly_savings_usd"] == pytest.approx((16 - proposal["maxNodes"]) * P5_USD_PER_HOUR
                                                        * HOURS_PER_MONTH, abs=1)
    assert doc["utilization_source"]["monthly_savings_usd"] == pytest.approx(pool["monthly_savings_usd"])


def test_a_pool_without_metrics_is_no_data_never_ok(
        server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, doc, _ = audit_json(capsys, tmp_path, server.states["over"], server.url, "--step", "15m")
    spare = entry(doc, "spare-nodes")
    assert spare["verdict"] == "no-data" and spare["monthly_savings_usd"] is None
    assert "spare-nodes-c3" in spare["message"]  # names what it looked for
    # the other scenario's node group is in Prometheus but not in this state: named, not judged
    assert "label_eks_amazonaws_com_nodegroup=h100-nodes-b2" in doc["utilization_source"]["pool_labels_not_in_state"]
    fs = entry(doc, "scratch")
    assert fs["verdict"] == "ok"
    # 4,800 GiB of PERSISTENT_2 (4.8 of FSx's TiB of 1,000 GiB) at 1000 MB/s per TiB
    assert fs["observed"]["provisioned_mbps"] == pytest.approx(4.8 * 1000)
    assert fs["observed"]["p95_share"] == pytest.approx(0.20, abs=0.02)


def test_gpus_at_35_percent_with_fsx_at_95_percent_are_storage_bound_and_never_cut(
        server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, doc, _ = audit_json(capsys, tmp_path, server.states["storage"], server.url)
    pool = entry(doc, "h100-nodes")
    assert pool["verdict"] == "storage-bound", pool["message"]
    assert pool["proposal"] is None and pool["monthly_savings_usd"] == 0
    assert 32 <= pool["observed"]["utilization_pct"]["mean"] <= 38
    # node_exporter's InfiniBand counters: 200 Gbps per node over two ports; the state's group has no EFA
    # configured, so the fabric has no capacity to saturate and the verdict stays the storage's
    assert pool["observed"]["fabric"]["busiest_node_p95_gbps"] == pytest.approx(200, rel=0.01)
    assert pool["observed"]["fabric"]["p95_share"] is None
    fs = entry(doc, "scratch")
    assert fs["verdict"] == "storage-bound"
    assert fs["observed"]["p95_share"] == pytest.approx(0.95, abs=0.03)
    proposal = fs["proposal"]
    # already at FSx's top tier (1000 MB/s/TiB): more capacity, in PERSISTENT_2's 2.4 TiB steps
    assert proposal["throughputMBpsPerTiB"] == 1000
    # in FSx's own "TiB" (1,000 GiB, the stack file's unit), in PERSISTENT_2's 2,400 GiB steps
    assert proposal["capacityTiB"] > 4.8 and round(proposal["capacityTiB"] / 2.4, 6).is_integer()
    assert proposal["capacityTiB"] * 1000 >= proposal["needed_mbps"] > 4800
    assert not any(e["verdict"] == "over-provisioned" for e in doc["utilization"])


def test_text_and_markdown_carry_the_verdicts(server: Server, capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    md, text = tmp_path / "a.md", tmp_path / "a.txt"
    main(["audit", str(server.states["over"]), "--prometheus", server.url, "--step", "15m", "--format", "markdown",
          "--output", str(md), "--format", "text", "--output", str(text)])
    capsys.readouterr()
    assert "#### Utilization" in md.read_text() and "| `h100-nodes` | pool | **over-provisioned** |" in md.read_text()
    assert "OVER-PROVISIONED  pool · h100-nodes" in text.read_text()
    assert "NO-DATA           pool · spare-nodes" in text.read_text()


def _backbone_state(source: Path, tmp_path: Path) -> Path:
    """The scenario's state as Backbone's components name things: ``{cluster}-{entry}-…``."""
    text = source.read_text().replace("::h100-nodes\"", "::llm-train-h100-nodes\"").replace(
        "::scratch\"", "::llm-train-scratch-filesystem\"")
    path = tmp_path / "backbone-state.json"
    path.write_text(text)
    return path


def test_write_stack_writes_the_proposal_as_a_shown_diff(server: Server, capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.aws-p5-train.yaml"
    original = (REPO / "stacks" / "Pulumi.aws-p5-train.yaml").read_text()
    stack.write_text(original)
    state = _backbone_state(server.states["over"], tmp_path)
    code = main(["audit", str(state), "--prometheus", server.url, "--step", "15m", "--write-stack", str(stack),
                 "--format", "json", "--output", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    written = stack.read_text()
    assert "-        maxNodes: 16\n+        maxNodes: 8" in err  # the diff is shown
    assert "maxNodes: 8" in written and "maxNodes: 16" not in written
    assert "minNodes: 0" in written  # the file's minimum (0) is already below the proposal: never raised
    # every line the proposal does not touch stays as it was, comments included
    assert [line for line in written.splitlines() if "maxNodes" not in line] == \
        [line for line in original.splitlines() if "maxNodes" not in line]


def test_write_stack_on_a_storage_bound_stack_raises_the_file_system(
        server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    stack = tmp_path / "Pulumi.aws-p5-train.yaml"
    # the stack file as deployed: 4.8 TiB (the example stack's 48 TiB is more than the proposal: it would be kept)
    stack.write_text((REPO / "stacks" / "Pulumi.aws-p5-train.yaml").read_text().replace("capacityTiB: 48\n",
                                                                                        "capacityTiB: 4.8\n"))
    state = _backbone_state(server.states["storage"], tmp_path)
    main(["audit", str(state), "--prometheus", server.url, "--step", "15m", "--write-stack", str(stack),
          "--format", "json", "--output", str(tmp_path / "r.json")])
    capsys.readouterr()
    written = stack.read_text()
    assert "maxNodes: 16" in written  # no cut
    assert "capacityTiB: 12" in written and "throughputMBpsPerTiB: 1000" in written


def test_plot_writes_a_png_per_pool(server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import matplotlib  # noqa: F401  (a dev dependency: a broken install fails here, never skips)
    plots = tmp_path / "plots"
    main(["audit", str(server.states["over"]), "--prometheus", server.url, "--step", "15m", "--plot", str(plots),
          "--format", "json", "--output", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    png = plots / "h100-nodes.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", err
    assert not (plots / "spare-nodes.png").exists()  # no series, no picture


def test_no_matching_series_is_exit_2_naming_what_was_looked_for(
        server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    state = tmp_path / "elsewhere.json"
    state.write_text(server.states["storage"].read_text().replace("h100-nodes-b2", "h100-nodes-zz")
                     .replace("fs-0bbbbbbbbbbbbbbb2", "fs-0ccccccccccccccc9"))
    code = main(["audit", str(state), "--prometheus", server.url, "--step", "1h"])
    err = capsys.readouterr().err
    assert code == 2
    assert "no series" in err and "h100-nodes" in err and "Traceback" not in err
