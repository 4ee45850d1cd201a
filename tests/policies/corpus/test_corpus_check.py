"""The corpus's judge can fail: outcomes, the resource a finding lands on, the figures it states."""

from __future__ import annotations

from corpus_case import ADVISE, BLOCK, PASS, UNVERIFIED, Case, Outcome, expect
from corpus_check import mismatches, outcome_of, unclear_messages
from policy_verdict import Verdict

from backbone.analyzer import Diagnostic

URN = "urn:pulumi:corpus::backbone::aws:eks/nodeGroup:NodeGroup::gpu"


def found(*diagnostics: Diagnostic) -> Verdict:
    return Verdict(None, list(diagnostics))  # type: ignore[arg-type]  # the look-ups read only what was found


def violation(policy: str, level: str, detail: str = "16 × p5.48xlarge spans 2 zones") -> Diagnostic:
    return Diagnostic(policy, level, URN, f"Ensure something\n{detail}", "Ensure something")


def cannot_verify(policy: str) -> Diagnostic:
    return Diagnostic(policy, "advisory", "", "can't run policy 'x' during preview: zones unknown", "")


def case(**expected: object) -> Case:
    return Case(name="c", program=lambda: None, source="s", expected=expected)  # type: ignore[arg-type]


def test_each_outcome_is_read_from_what_the_pack_found() -> None:
    verdict = found(violation("single-zone", "mandatory"), violation("private-nodes", "advisory"),
                    cannot_verify("storage-locality"))
    assert outcome_of(verdict, "single-zone") is BLOCK
    assert outcome_of(verdict, "private-nodes") is ADVISE
    assert outcome_of(verdict, "storage-locality") is UNVERIFIED
    assert outcome_of(verdict, "interconnect") is PASS


def test_each_outcome_admits_itself_only() -> None:
    # one verdict per policy: "pass" never admits "cannot verify", nor the reverse
    for expected in Outcome:
        assert [o for o in Outcome if expected.admits(o)] == [expected]


def test_an_unlisted_policy_must_pass() -> None:
    wrong = mismatches(case(), found(cannot_verify("single-zone")))
    assert wrong and wrong[0].startswith("single-zone: expected pass, got cannot verify")


def test_a_block_on_another_resource_or_without_its_figures_is_wrong() -> None:
    verdict = found(violation("single-zone", "mandatory"))
    assert mismatches(case(**{"single-zone": expect(BLOCK, "2 zones", on="gpu", says=("2 zones",))}), verdict) == []
    assert mismatches(case(**{"single-zone": expect(BLOCK, "2 zones", on="other")}), verdict)
    assert mismatches(case(**{"single-zone": expect(BLOCK, "2 zones", says=("3 zones",))}), verdict)
    assert mismatches(case(**{"single-zone": expect(ADVISE, "2 zones")}), verdict)


def test_unclear_messages_are_caught() -> None:
    assert unclear_messages([violation("interconnect", "mandatory", "its ? × p5.48xlarge nodes")])
    assert unclear_messages([violation("interconnect", "mandatory", "on GPUDIRECT-TCPX instances")])
    assert unclear_messages([violation("interconnect", "mandatory", "not fully configured (400 Gbps per "
                                                                    "accelerator of 400)")])
    assert not unclear_messages([violation("interconnect", "mandatory", "1 of 32 EFA interfaces (12.5 Gbps per "
                                                                        "accelerator of 400)")])
