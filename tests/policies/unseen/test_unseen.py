"""Issue 9's acceptance set: public programs the pack was not written against (ported to Python), each with the
mandatory verdict expected policy by policy — written before the pack was run on them.

The bar (issue 9, "Done when"): the mandatory verdict is right on the set (at most 1 wrong), and no program
crashes. Each case asserts its mandatory policies; advisory differences are printed by the summary, not asserted
(the unseen set judges the PR check, the corpus judges every policy).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from corpus_case import MANDATORY, Case
from corpus_check import actual_mandatory, found_lines, mismatches
from policy_verdict import Verdict

from backbone.core.errors import BackboneError

RunCase = Callable[[Case], Verdict]

PROGRAMS = (
    "aws_auto_mode_gpu_nodepool",
    "aws_pulumi_eks_gpu_default_group",
    "aws_capacity_block_unmanaged_group",
    "aws_mixed_spot_inference_group",
    "aws_mng_custom_ami_launch_template",
    "gcp_l4_spot_pool_driver",
    "gcp_regional_a2_training_pool",
    "gcp_tpu_v5e_multihost",
    "gcp_nap_h100_limits",
    "gcp_a3_config_component",
    "azure_mig_nd_a100_pool",
    "azure_kueue_nd_h100_pool",
    "azure_inline_nc_h100_autoscale",
    "aws_karpenter_p5_family_two_zones",
    "azure_spot_nd_a100_autoscale",
    "aws_trn1_neuron_two_subnets",
)

CASES: list[Case] = [case for module in PROGRAMS for case in importlib.import_module(module).CASES]


def mandatory_mismatches(case: Case, verdict: Verdict) -> list[str]:
    return [m for m in mismatches(case, verdict) if m.split(":", 1)[0] in MANDATORY]


def test_every_case_cites_its_source_and_lists_every_mandatory_policy() -> None:
    """The expectation is written policy by policy: each mandatory policy has an outcome and a reason."""
    assert len({c.name for c in CASES}) == len(CASES)
    for case in CASES:
        assert case.source, case.name
        assert set(MANDATORY) <= set(case.expected), (case.name, sorted(set(MANDATORY) - set(case.expected)))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_mandatory_verdict_is_the_expected_one(run_case: RunCase, case: Case) -> None:
    verdict = run_case(case)
    wrong = mandatory_mismatches(case, verdict)
    assert not wrong, "\n".join([f"{case.name} ({case.source})", *wrong, "the pack found:", found_lines(verdict)])


def test_summary_at_most_one_wrong_mandatory_verdict(run_case: RunCase) -> None:
    rows = []
    for case in CASES:
        try:
            verdict = run_case(case)
            actual = actual_mandatory(verdict)
            advisory = [m for m in mismatches(case, verdict) if m not in mandatory_mismatches(case, verdict)]
        except BackboneError as exc:
            actual, advisory = "crash", [str(exc)]
        rows.append((case, actual, advisory))
    width = max(len(c.name) for c in CASES)
    print(f"\n{'program':<{width}}  expected  actual  match")
    for case, actual, advisory in rows:
        match = "yes" if actual == case.expected_mandatory else "NO"
        print(f"{case.name:<{width}}  {case.expected_mandatory:<8}  {actual:<6}  {match}")
        for line in advisory:
            print(f"    advisory, not asserted: {line}")
    programs = [r for r in rows if not r[0].is_control]
    wrong = [r[0].name for r in programs if r[1] != r[0].expected_mandatory]
    print(f"mandatory verdict right on {len(programs) - len(wrong)} of {len(programs)} programs "
          f"({sum(r[1] == r[0].expected_mandatory for r in rows)} of {len(rows)} cases with controls)")
    assert not [r for r in rows if r[1] == "crash"], "a program crashed"
    assert len(wrong) <= 1, f"wrong mandatory verdicts: {wrong}"
