"""Issue 18's unseen set: public programs that provision accelerators outside GKE / AKS node pools (VMs, MIGs, TPU
VMs, AzureML, Karpenter on AKS), ported to Python, the mandatory verdict written and committed before the pack was
run on them (see docs/corpus.md, "Unseen programs, issue 18"). The harness is issue 9's, imported."""

from __future__ import annotations

import importlib

import pytest
from corpus_case import MANDATORY, Case
from corpus_check import actual_mandatory, found_lines
from policy_verdict import Verdict
from test_unseen import RunCase, mandatory_mismatches

PROGRAMS = (
    "vm_gcp_a3_mega_two_migs",
    "vm_gcp_vm_instance_count",
    "vm_gcp_tpu_v2_vm_full",
    "vm_azure_nap_gpu_manufacturer",
    "vm_azure_aml_cli_computes",
)

CASES: list[Case] = [case for module in PROGRAMS for case in importlib.import_module(module).CASES]


def test_every_case_cites_its_source_and_lists_every_mandatory_policy() -> None:
    assert len({c.name for c in CASES}) == len(CASES)
    for case in CASES:
        assert case.source, case.name
        assert set(MANDATORY) <= set(case.expected), (case.name, sorted(set(MANDATORY) - set(case.expected)))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_mandatory_verdict_is_the_expected_one(run_case: RunCase, case: Case) -> None:
    verdict: Verdict = run_case(case)
    wrong = mandatory_mismatches(case, verdict)
    assert not wrong, "\n".join([f"{case.name} ({case.source}) → {actual_mandatory(verdict)}", *wrong,
                                 "the pack found:", found_lines(verdict)])
