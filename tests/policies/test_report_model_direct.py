"""The report model (``backbone.report.model``) on hand-built inventories and findings, in this process: the capacity
a report shows is the inventory's totals, each under its own name; a finding keeps every field the pack and the
locator gave it; which findings fail a run under each ``--fail-on``; a resource's name and a finding's identity.

Figures: p5.48xlarge has 8 × H100 80GB and 3,200 Gbps of EFA (aws.amazon.com/ec2/instance-types/p5), $55.04 an hour
on demand in us-east-1 (the catalog's cited row, AWS's June 2025 price); FSx for Lustre PERSISTENT_2 at 125 MB/s/TiB
lists $0.145 per GB-month in us-east-1 (aws.amazon.com/fsx/lustre/pricing), $145 a TiB; a month is 730 hours."""

from __future__ import annotations

import pytest
from hand_pools import pool
from test_monthly_budget_direct import fsx

from backbone.analyzer import Diagnostic
from backbone.policies.inventory import Inventory
from backbone.policies.inventory.coverage import Coverage
from backbone.policies.inventory.runtime import DEVICE_PLUGIN, Provision, Runtime
from backbone.report.model import Capacity, Finding, WaiverMark, finding_key, resource_name

H100 = "nvidia-h100-80gb"


def test_the_capacity_is_the_inventory_s_totals_each_under_its_name() -> None:
    """2–16 × p5.48xlarge and 10 TiB of Lustre at 125 MB/s/TiB."""
    coverage = Coverage(pools=1, file_systems=1)
    runtime = Runtime(provisions=[Provision(DEVICE_PLUGIN, "urn:dp", "Helm release dp")])
    capacity = Capacity.of(Inventory(pools=[pool()], file_systems=[fsx()], runtime=runtime, coverage=coverage))
    figures = {name: total.value for name, total in capacity.totals().items()}
    assert figures == pytest.approx({
        "accelerators_min": 16, "accelerators_max": 128, "accelerator_memory_gib": 128 * 80, "storage_tib": 10,
        "storage_mbps": 1250, "hourly_usd_min": 2 * 55.04 + 1450 / 730, "hourly_usd_max": 16 * 55.04 + 1450 / 730,
        "monthly_usd_min": 2 * 55.04 * 730 + 1450, "monthly_usd_max": 16 * 55.04 * 730 + 1450})  # the Lustre, always on
    assert capacity.fabric_gbps_per_accelerator == 400.0  # 3,200 Gbps / 8
    assert capacity.storage_mbps_per_accelerator == pytest.approx(1250 / 128)
    assert capacity.accelerators_max_by_model == {H100: 128}
    assert capacity.pricing == (
        "gpu: $55.04 per node-hour, on-demand (on-demand list price, us-east-1, 2026-11-09)",
        f"scratch: $1,450 a month ({fsx().price()[1]})",  # type: ignore[index]
    )
    assert capacity.runtime == "NVIDIA device plugin"
    assert capacity.read_coverage is coverage
    assert capacity.has_storage


def test_a_stack_without_a_runtime_or_storage_says_so() -> None:
    capacity = Capacity.of(Inventory(pools=[pool()]))
    assert capacity.runtime == "" and not capacity.has_storage
    assert capacity.pricing == ("gpu: $55.04 per node-hour, on-demand (on-demand list price, us-east-1, 2026-11-09)",)


URN = "urn:pulumi:prod::backbone::aws:eks/nodeGroup:NodeGroup::gpu-nodes"


def test_a_finding_keeps_what_the_pack_and_the_locator_gave_it() -> None:
    diagnostic = Diagnostic("max-accelerators", "mandatory", URN, "Ensure …\n too many \n", "Ensure …")
    finding = Finding.of(diagnostic, "backbone:cluster.nodePools[0].maxNodes", 12, "urn:other", "__main__.py", 40)
    assert finding == Finding(policy="max-accelerators", level="mandatory", urn=URN, message="too many",
                              cannot_verify=False, config_path="backbone:cluster.nodePools[0].maxNodes", line=12,
                              subject="urn:other", program_file="__main__.py", program_line=40)
    assert Finding.of(diagnostic, message="said otherwise").message == "said otherwise"
    unknown = Diagnostic("single-zone", "advisory", URN, "can't run policy 'single-zone' during preview: zones unknown",
                         "Ensure …")
    assert Finding.of(unknown).cannot_verify is True and Finding.of(unknown).message == "zones unknown"


def _finding(level: str = "mandatory", cannot_verify: bool = False, waiver: str | None = None) -> Finding:
    mark = None if waiver is None else WaiverMark(waiver, "p", "r", "o", "2099-12-31", "waivers.yaml: waivers[0]")  # type: ignore[arg-type]
    return Finding(policy="p", level=level, urn=URN, message="m", cannot_verify=cannot_verify, waiver=mark)


@pytest.mark.parametrize("finding, mandatory, advisory", [
    (_finding(), True, True),
    (_finding("advisory"), False, True),
    (_finding(cannot_verify=True), False, False),
    (_finding(waiver="waived"), False, False),
    (_finding("advisory", waiver="waived"), False, False),
    (_finding(waiver="expired"), True, True),  # an expired waiver accepts nothing
])
def test_which_findings_fail_a_run(finding: Finding, mandatory: bool, advisory: bool) -> None:
    assert (finding.fails("mandatory"), finding.fails("advisory"), finding.fails("never")) == (
        mandatory, advisory, False)


@pytest.mark.parametrize("urn, name", [(URN, "gpu-nodes"), ("", ""), ("gpu-nodes", "gpu-nodes"),
                                       ("urn:pulumi:s::p::a$b::c::d", "d")])
def test_a_resource_s_name_is_the_last_part_of_its_urn(urn: str, name: str) -> None:
    assert resource_name(urn) == name


def test_a_finding_s_identity_is_its_stack_policy_and_subject_else_its_urn() -> None:
    finding = _finding()
    assert finding_key("prod", finding) == ("prod", "p", URN)
    about = Finding(policy="p", level="mandatory", urn=URN, message="m", cannot_verify=False, subject="urn:x::y")
    assert finding_key("prod", about) == ("prod", "p", "urn:x::y")
