"""Issue 9's corpus: hand-written programs on the patterns of public programs, each with the verdict expected
policy by policy (written before the pack was run) and controls that flip one fact and the verdict.

``BACKBONE_CORPUS_PENDING=1`` turns the cases the current pack gets wrong into xfails (see conftest.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from corpus_case import Case
from corpus_check import actual_mandatory, found_lines, mismatches, unclear_messages
from policy_verdict import Verdict

from backbone.core.errors import BackboneError

RunCase = Callable[[Case], Verdict]

PROGRAMS = (
    "aws_eks_first_private_subnet",
    "aws_aicr_default_node_group",
    "aws_managed_ng_instance_types",
    "aws_karpenter_gpu_nodepool",
    "aws_aicr_gb300_capacity_block",
    "aws_capacity_block_p5",
    "aws_efa_managed_node_group",
    "aws_mig_demo_unlabelled",
    "aws_asg_mixed_instances",
    "aws_eks_computed_private_subnets",
    "azure_aicr_inline_pool",
    "azure_agent_pool_nd",
    "gcp_gke_provider_zone",
    "gcp_a3_mega_blueprint",
    "gcp_a3_ultra_blueprint",
    "gcp_tpu_v5p_2x2x4",
    "gcp_tpu_v6e_blueprint",
    "gcp_a3_serving_unlabelled",
    "gcp_cluster_inline_pool",
    # issue 18: resources that provision accelerators outside Kubernetes node groups, and unknown types
    "aws_batch_p5_compute_environment",
    "aws_ec2_instances_placement_group",
    "aws_ec2_fleet_gpu",
    "aws_karpenter_gpu_category",
    "aws_managed_ng_unlisted_type",
    "gcp_a3_mig_vms",
    "gcp_tpu_vm_v5p",
    "gcp_tpu_queued_multislice",
    "gcp_tpu_single_host_serving",
    "azure_ndv5_scale_set",
    "azure_aml_compute",
    "azure_karpenter_aks_gpu",
)

CASES: list[Case] = [case for module in PROGRAMS for case in importlib.import_module(module).CASES]


def _param(case: Case) -> object:
    marks = [pytest.mark.corpus_pending] if case.pending else []
    return pytest.param(case, id=case.name, marks=marks)


def test_case_names_are_unique_and_every_program_has_a_control() -> None:
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    for module in PROGRAMS:
        cases = importlib.import_module(module).CASES
        assert any(not c.is_control for c in cases) and any(c.is_control for c in cases), module
        assert all(c.source for c in cases), module


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_the_verdict_is_the_expected_one_policy_by_policy(run_case: RunCase, case: Case) -> None:
    verdict = run_case(case)
    wrong = mismatches(case, verdict)
    assert not wrong, "\n".join([f"{case.name} ({case.source})", *wrong, "the pack found:", found_lines(verdict)])


def test_messages_say_what_was_found_in_plain_words(run_case: RunCase) -> None:
    unclear = [f"{case.name}: {m}" for case in CASES for m in unclear_messages(run_case(case).found)]
    assert not unclear, "\n".join(unclear)


def test_summary_table_at_most_one_wrong_mandatory_verdict(run_case: RunCase) -> None:
    """Issue 9's bar: the mandatory verdict is right on the corpus (at most 1 wrong), and no program crashes."""
    rows = []
    for case in CASES:
        try:
            actual = actual_mandatory(run_case(case))
            policies = "" if not mismatches(case, run_case(case)) else "policy-level mismatch"
        except BackboneError as exc:
            actual, policies = "crash", str(exc)
        rows.append((case, actual, policies))
    width = max(len(c.name) for c in CASES)
    print(f"\n{'program':<{width}}  kind     expected  actual  match")
    for case, actual, policies in rows:
        kind = "control" if case.is_control else "program"
        match = "yes" if actual == case.expected_mandatory else "NO"
        print(f"{case.name:<{width}}  {kind:<7}  {case.expected_mandatory:<8}  {actual:<6}  {match}"
              f"{'  (' + policies + ')' if policies else ''}")
    programs = [r for r in rows if not r[0].is_control]
    wrong = [r[0].name for r in programs if r[1] != r[0].expected_mandatory]
    right = len(programs) - len(wrong)
    print(f"mandatory verdict right on {right} of {len(programs)} programs "
          f"({sum(r[1] == r[0].expected_mandatory for r in rows)} of {len(rows)} cases with controls)")
    assert not [r for r in rows if r[1] == "crash"], "a program crashed"
    assert len(wrong) <= 1, f"wrong mandatory verdicts: {wrong}"
