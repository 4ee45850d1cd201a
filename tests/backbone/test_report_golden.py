"""Golden files: whole reports of a few small, hand-built plans, in every format, compared line for line with
reviewed files under ``tests/backbone/golden/`` (as snapshot tests in mature CLIs). The wording, order and layout
of what an on-call engineer reads are the behaviour here: a changed word, a lost line or a level in the wrong
section fails the test and shows the difference.

After a deliberate change, regenerate and READ the diff before committing it:

    BACKBONE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/backbone/test_report_golden.py

The inputs are written by hand (no pack, no engine): figures are those of real offers (p5.48xlarge: 8 × H100 80 GB,
3,200 Gbps of EFA per node; us-east-1 on-demand $55.04 per hour since AWS's June 2025 cut; FSx for Lustre
PERSISTENT_2 at 125 MB/s per TiB), and the report only has to say them, never recompute them."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from backbone.analyzer import PolicyInfo
from backbone.core.catalog.loader import Overlay
from backbone.policies.inventory.coverage import Coverage, Unread
from backbone.policies.inventory.facts import Total
from backbone.report import github, json_report, junit, markdown, sarif, text
from backbone.report.coverage import CostCoverage, ServiceCost
from backbone.report.delta import Change, Figure, StackChange
from backbone.report.excess import Excess
from backbone.report.model import Capacity, Finding, PlanReport, StackReport, WaiverMark

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BACKBONE_UPDATE_GOLDEN") == "1"
VERSION = "0.0.0+golden"

PROD = "prod-train"
PROD_FILE = "stacks/Pulumi.prod-train.yaml"
NODES = "urn:pulumi:prod-train::backbone::backbone:aws:GpuNodePool$aws:eks/nodeGroup:NodeGroup::prod-train-h100-nodes"
LUSTRE = "urn:pulumi:prod-train::backbone::aws:fsx/lustreFileSystem:LustreFileSystem::prod-train-lustre"
TPU = "urn:pulumi:dev-tpu::backbone::gcp:container/nodePool:NodePool::dev-tpu-v5e"

RESERVATION = "cr-0a1b2c3d4e5f67890-use1-az4-p5-48xlarge-capacity-reservation"
"""A long hyphenated name: wherever a report wraps text, a name like it must move to the next line whole."""
LONG_MESSAGE = ("16 × p5.48xlarge (128 H100) are fed by 2.4 TiB of Lustre at 125 MB/s/TiB = 300 MB/s (2.3 MB/s per "
                "GPU); this stack needs ≥ 100 MB/s per GPU: raise throughputMBpsPerTiB or capacityTiB")


def _finding(policy: str, level: str, message: str, subject: str = NODES, **extra: object) -> Finding:
    return Finding(policy=policy, level=level, urn=subject, message=message, cannot_verify=False, subject=subject,
                   **extra)  # type: ignore[arg-type]


def _prod_capacity() -> Capacity:
    return Capacity(
        accelerators_min=Total(16), accelerators_max=Total(128), accelerator_memory_gib=Total(10240),
        fabric_gbps_per_accelerator=400.0, storage_tib=Total(2.4), storage_mbps=Total(300),
        storage_mbps_per_accelerator=2.34375, hourly_usd_min=Total(110.08), hourly_usd_max=Total(880.64),
        monthly_usd_min=Total(80358.4), monthly_usd_max=Total(642867.2),
        accelerators_max_by_model={"nvidia-h100-80gb": 128},
        pricing=(f"prod-train-h100-nodes: $55.04 per node-hour, reservation {RESERVATION} (reservation, billed at "
                 "the on-demand list price, us-east-1)",
                 "prod-train-lustre: $1,032 a month (PERSISTENT_2 125 MB/s/TiB, us-east-1)"),
        runtime="nvidia device plugin; EFA to pods",
        read_coverage=Coverage(pools=1, file_systems=1),
    )


def _prod(findings: tuple[Finding, ...], **extra: object) -> StackReport:
    return StackReport(
        stack=PROD, cloud="aws", file=PROD_FILE,
        resources_by_type={"aws:eks/cluster:Cluster": 1, "aws:eks/nodeGroup:NodeGroup": 2,
                           "aws:fsx/lustreFileSystem:LustreFileSystem": 1},
        capacity=_prod_capacity(), findings=findings,
        coverage=CostCoverage(
            includes=("1 accelerator pool(s) at min and max scale", "1 parallel file system(s)"),
            services=(ServiceCost("EKS control plane", "aws:eks/cluster:Cluster", 1, 0.10, ""),),
            left_out=("1 node pool(s) without accelerators (system pools)", f"1 × {RESERVATION}: not priced",
                      "load balancers")),
        **extra,  # type: ignore[arg-type]
    )


def _dev_tpu() -> StackReport:
    """A stack that passes with figures it could only partly count, no file system and a resource not read."""
    unread = Unread("gcp:compute/instanceTemplate:InstanceTemplate", ("dev-tpu-spare-a3-highgpu-8g-us-west4-a",),
                    (TPU.replace("container/nodePool:NodePool::dev-tpu-v5e",
                                 "compute/instanceTemplate:InstanceTemplate::dev-tpu-spare"),),
                    "machineType: a3-highgpu-8g")
    capacity = Capacity(
        accelerators_min=Total(0, ("dev-tpu-v5e node count",)), accelerators_max=Total(64),
        accelerator_memory_gib=Total(1024), fabric_gbps_per_accelerator=None, storage_tib=Total(0),
        storage_mbps=Total(0), storage_mbps_per_accelerator=None, hourly_usd_min=Total(0, ("dev-tpu-v5e price",)),
        hourly_usd_max=Total(76.8, ("1 × gcp:compute/instanceTemplate:InstanceTemplate not read",)),
        monthly_usd_min=Total(0, ("dev-tpu-v5e price",)),
        monthly_usd_max=Total(56064, ("1 × gcp:compute/instanceTemplate:InstanceTemplate not read",)),
        pricing=("dev-tpu-v5e: $9.60 per node-hour, 8 × ct5lp-hightpu-8t (spot price, us-west4)",),
        read_coverage=Coverage(pools=1, unread=(unread,)),
    )
    unknown = Finding(policy="tpu-topology", level="mandatory", urn=TPU, subject=TPU, cannot_verify=True,
                      message="the node count of dev-tpu-v5e is unknown in preview: the 2x4 topology cannot be "
                              "checked against it", config_path="backbone:pools[0].nodes", line=9)
    return StackReport(stack="dev-tpu", cloud="gcp", file="stacks/Pulumi.dev-tpu.yaml",
                       resources_by_type={"gcp:container/nodePool:NodePool": 1}, capacity=capacity,
                       findings=(unknown,), unknown_invokes=(
                           "gcp:compute/getZones:getZones (args: region, project: ml-platform-dev-tpu-playground-"
                           "us-west4-a-123456) from gcp:container/nodePool:NodePool dev-tpu-v5e-spot-us-west4-a",))


def _policies() -> dict[str, PolicyInfo]:
    return {name: PolicyInfo(name, f"Ensure {description}", level) for name, description, level in (
        ("max-accelerators", "a stack stays within its accelerator limit", "mandatory"),
        ("storage-throughput", "the file system feeds every GPU", "mandatory"),
        ("interconnect", "multi-node GPUs get their fabric", "mandatory"),
        ("single-zone", "a training pool sits in one zone", "remediate"),
        ("pool-purpose", "each pool says what it is for", "advisory"),
        ("tpu-topology", "a TPU slice matches its nodes", "mandatory"),
    )}


def _blocked_plan() -> PlanReport:
    """Two stacks, one blocked: every level, a waived and an expired waiver, a stale one, a finding on the whole
    stack, a weakened policy, --fail-on advisory and a catalog file of the user's."""
    waived = WaiverMark("waived", "single-zone", f"the capacity reservation {RESERVATION} exists in one zone only",
                        "ml-platform", "2099-01-31", "waivers.yaml: waivers[0]")
    expired = WaiverMark("expired", "interconnect", "EFA quota pending", "ml-platform-on-call-europe-west",
                         "2026-11-30", "waivers.yaml: waivers[1]")
    stale = WaiverMark("stale", "pool-purpose", "legacy pool", "data-eng", "2099-01-31", "waivers.yaml: waivers[2]",
                       stack="old-*", resource="*-cpu-general-purpose-m7i-48xlarge-on-demand-pool")
    findings = (
        _finding("pool-purpose", "advisory", "prod-train-h100-nodes has no purpose label: add purpose: training "
                 f"or purpose: inference (it runs in {RESERVATION})", program_file="infra/__main__.py",
                 program_line=42),
        _finding("storage-throughput", "mandatory", LONG_MESSAGE, subject=LUSTRE,
                 config_path="backbone:storage.throughputMBpsPerTiB", line=14),
        _finding("max-accelerators", "mandatory", "128 accelerators at max scale; the stack limit is 64: lower "
                 "maxNodes to 8", config_path="backbone:pools[0].maxNodes"),
        _finding("single-zone", "remediate", "prod-train-h100-nodes spans 2 zones (use1-az4, use1-az6): pin it to "
                 "one subnet", waiver=waived),
        _finding("interconnect", "mandatory", "p5.48xlarge has 32 EFA interfaces; 0 are configured: set "
                 "efaInterfaces: 32", waiver=expired),
        Finding(policy="max-accelerators", level="mandatory", urn="", subject="", cannot_verify=True,
                message="the count of 1 pool is unknown in preview"),
    )
    return PlanReport(
        stacks=(_prod(findings), _dev_tpu()), policies=_policies(), pack="backbone-policies",
        pack_version="0.9.0", levels={"pool-purpose": "disabled", "single-zone": "advisory"},
        stale_waivers=(stale,), fail_on="advisory",
        catalog_overlays=(Overlay("catalog/ours.yaml", ("aws/p5e.48xlarge",), ("aws/p5.48xlarge",)),),
    )


def _passing_plan() -> PlanReport:
    """One stack, nothing found, every policy switched off: a pass that must say it judged nothing."""
    quiet = replace(_dev_tpu(), findings=())  # a disabled policy reports nothing, not even "cannot verify"
    return PlanReport(stacks=(quiet,), policies=_policies(), pack="backbone-policies", pack_version="0.9.0",
                      levels={name: "disabled" for name in _policies()}, catalog_overlays=())


def _against_baseline() -> PlanReport:
    """A pull request that doubles the H100 pool: one new mandatory violation, one already on the baseline, one
    fixed; a stack added and one removed."""
    new = _finding("max-accelerators", "mandatory", "128 accelerators at max scale; the stack limit is 64: lower "
                   "maxNodes to 8")
    old = _finding("storage-throughput", "mandatory", LONG_MESSAGE, subject=LUSTRE)
    advisory = _finding("pool-purpose", "advisory", "prod-train-h100-nodes has no purpose label")
    change = Change(
        file="baseline.json",
        stacks=(
            # 8 A100 replaced by 64 more H100; a spare pool's count unknown on both sides
            StackChange(PROD, "changed", Figure(72, ("prod-train-spare count",)),
                        Figure(128, ("prod-train-spare count",)), Figure(321433.6, ("prod-train-lustre price",)),
                        Figure(642867.2, ("prod-train-lustre price",)),
                        resolved=((PROD, "single-zone", NODES),),
                        models_before={"nvidia-h100-80gb": 64, "nvidia-a100-40gb": 8},
                        models_after={"nvidia-h100-80gb": 128}),
            StackChange("dev-tpu", "new", None, Figure(64), None, Figure(0, ("dev-tpu-v5e price",)),
                        models_after={"tpu-v5-lite": 64}),
            StackChange("old-cpu", "removed", Figure(0), None, Figure(1200, (RESERVATION,)), None,
                        models_before={}),
        ),
        present=frozenset({(PROD, "storage-throughput", LUSTRE)}),
    )
    return PlanReport(stacks=(_prod((new, old, advisory)),), policies=_policies(), pack="backbone-policies",
                      pack_version="0.9.0", change=change, catalog_overlays=())


def _new_only_against_baseline() -> PlanReport:
    """Two new mandatory violations beside an advisory one the baseline had: nothing already there blocks. No stack
    added or removed: a part uncounted on both sides is "no figure on either side"; one counted on one side only
    makes that delta unknown."""
    new = _finding("max-accelerators", "mandatory", "128 accelerators at max scale; the stack limit is 64")
    slow = _finding("storage-throughput", "mandatory", LONG_MESSAGE, subject=LUSTRE)
    old = _finding("pool-purpose", "advisory", "prod-train-h100-nodes has no purpose label")
    change = Change(file="baseline.json", stacks=(
        # 8 more H100 (one p5.48xlarge) at $55.04 an hour, and a cost change below a dollar elsewhere
        StackChange(PROD, "changed", Figure(128), Figure(136), Figure(642867.2), Figure(683046.4),
                    models_before={"nvidia-h100-80gb": 128}, models_after={"nvidia-h100-80gb": 136}),
        StackChange("dev-tpu", "changed", Figure(0, ("dev-tpu-v5e count",)), Figure(0, ("dev-tpu-v5e count",)),
                    Figure(100.0), Figure(100.4, ("dev-tpu-v5e price",)), models_before={}, models_after={}),
        StackChange("eval", "unchanged", Figure(8, ("eval-spare count",)), Figure(8, ("eval-spare count",)),
                    Figure(100.0), Figure(100.4))),
        present=frozenset({(PROD, "pool-purpose", NODES)}))
    return PlanReport(stacks=(_prod((new, slow, old)),), policies=_policies(), pack="backbone-policies",
                      pack_version="0.9.0", change=change, catalog_overlays=())


def _audit() -> PlanReport:
    """``backbone audit`` of a deployed stack: what it provisions beyond need."""
    excess = (
        Excess("warm-at-minimum", NODES, "prod-train-h100-nodes", "2 nodes (16 H100) stay up at minimum size: set "
               "minNodes: 0 if nothing needs them warm", accelerators=16, monthly_usd=80358.4),
        Excess("storage-without-training", LUSTRE, "prod-train-lustre", "no training pool reads this file system: "
               "the pool that fed it, prod-train-large-language-model-pretraining-nodes, was removed; delete the "
               "file system or point a pool at it"),
    )
    unknown = Finding(policy="monthly-budget", level="mandatory", urn=NODES, subject=NODES, cannot_verify=True,
                      message="the instance type of prod-train-h100-nodes is an encrypted secret in the state")
    stack = _prod((unknown,), excess=excess)
    quiet = StackReport(stack="dev-tpu", cloud="gcp", file="stacks/Pulumi.dev-tpu.yaml", resources_by_type={},
                        capacity=_dev_tpu().capacity, findings=())
    return PlanReport(stacks=(stack, quiet), policies=_policies(), pack="backbone-policies", pack_version="0.9.0",
                      command="audit", catalog_overlays=())


PLANS: dict[str, Callable[[], PlanReport]] = {
    "blocked": _blocked_plan, "passing": _passing_plan, "baseline": _against_baseline,
    "baseline-new-only": _new_only_against_baseline, "audit": _audit,
}
FORMATS: dict[str, tuple[str, Callable[[PlanReport], str]]] = {
    "text": ("txt", text.render),
    "colour": ("ansi.txt", lambda report: text.render(report, colour=True)),
    "markdown": ("md", markdown.render),
    # a comment cut to fit (GitHub refuses one over 65,536 characters): the rows that fit, then how many did not
    "markdown-cut": ("cut.md", lambda report: markdown.render(report, limit=2_000)),
    "github": ("github.txt", github.render),
    "junit": ("junit.xml", junit.render),
    "json": ("json", json_report.render),
    "sarif": ("sarif.json", sarif.render),
}


@pytest.fixture(autouse=True)
def _fixed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backbone's version is in some formats: a release must not change the golden files."""
    for module in (markdown, json_report, sarif):
        monkeypatch.setattr(module, "__version__", VERSION)


# colour on the two plans that show every level label and both verdicts, the cut comment on the longest
CASES = [(plan, fmt) for plan in PLANS for fmt in FORMATS if fmt not in ("colour", "markdown-cut")] + [
    ("blocked", "colour"), ("passing", "colour"), ("blocked", "markdown-cut")]


@pytest.mark.parametrize(("plan", "fmt"), CASES)
def test_report_matches_its_reviewed_golden_file(plan: str, fmt: str) -> None:
    suffix, render = FORMATS[fmt]
    out = render(PLANS[plan]())
    golden = GOLDEN / f"{plan}.{suffix}"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with BACKBONE_UPDATE_GOLDEN=1, then read it"
    assert out == golden.read_text(encoding="utf-8")
