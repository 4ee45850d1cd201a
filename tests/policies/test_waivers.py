"""Waivers applied by the pack itself, from its policy config (what ``pulumi preview --policy-pack-config`` sends):
on hand-written programs (no ``backbone.components``), a waived violation comes back at the advisory level led by
the waiver's line; an expired one, a waiver of another stack, resource or policy leave the violation as it was."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from policy_programs import Aws
from policy_verdict import Judge

from backbone.policies.waivers import Waiver, matching, note_of, stack_of, waived_line, waivers_of

NO_STORAGE = Aws().with_(fs=False)  # 16 × p5.48xlarge training with no file system: storage-throughput blocks


def waiver(**changes: Any) -> dict[str, Any]:
    entry = {"stack": "te*", "resource": "gpu", "reason": "data comes from the training stack's FSx",
             "owner": "ml-platform@example.com", "expires": "2099-12-31"}
    return {k: v for k, v in {**entry, **changes}.items() if v is not None}


def config(*entries: dict[str, Any], policy: str = "storage-throughput", **extra: Any) -> dict[str, Any]:
    return {policy: {"waivers": list(entries), **extra}}


def test_without_a_waiver_the_violation_blocks(judge: Judge) -> None:
    found = judge(NO_STORAGE).only_violation("storage-throughput")
    assert found.level == "mandatory" and note_of(found.detail) is None


def test_a_live_waiver_turns_the_violation_advisory_and_says_so(judge: Judge) -> None:
    verdict = judge(NO_STORAGE, config(waiver()))
    found = verdict.only_violation("storage-throughput")
    assert found.level == "advisory"  # what `pulumi preview` sees: it no longer fails
    assert found.urn == verdict.urn("aws:eks/nodeGroup:NodeGroup")
    first = found.detail.split("\n")[0]
    assert first == ("waived by waiver #1 (owner ml-platform@example.com, until 2099-12-31): data comes from the "
                     "training stack's FSx")
    note = note_of(found.detail)
    assert note is not None and (note.state, note.index) == ("waived", 0)
    assert "no parallel file system" in note.message


@pytest.mark.parametrize("resource", ["gpu", "g*", "*::gpu", "urn:pulumi:test::*"])
def test_the_resource_glob_matches_the_name_or_the_urn(judge: Judge, resource: str) -> None:
    assert judge(NO_STORAGE, config(waiver(resource=resource))).only_violation("storage-throughput").level == \
        "advisory"


@pytest.mark.parametrize("changes", [{"resource": "gpu-other"}, {"stack": "prod-*"}, {"resource": "scratch"}])
def test_a_waiver_of_another_stack_or_resource_waives_nothing(judge: Judge, changes: dict[str, Any]) -> None:
    found = judge(NO_STORAGE, config(waiver(**changes))).only_violation("storage-throughput")
    assert found.level == "mandatory" and note_of(found.detail) is None


def test_a_waiver_of_another_policy_waives_nothing(judge: Judge) -> None:
    found = judge(NO_STORAGE, config(waiver(), policy="max-accelerators")).only_violation("storage-throughput")
    assert found.level == "mandatory"


def test_an_expired_waiver_leaves_the_violation_blocking_and_says_it_expired(judge: Judge) -> None:
    found = judge(NO_STORAGE, config(waiver(expires="2001-01-01"))).only_violation("storage-throughput")
    assert found.level == "mandatory"
    assert found.detail.startswith("waiver #1 expired on 2001-01-01 (owner ml-platform@example.com): ")
    note = note_of(found.detail)
    assert note is not None and (note.state, note.index) == ("expired", 0)


def test_a_live_waiver_after_an_expired_one_still_waives(judge: Judge) -> None:
    found = judge(NO_STORAGE, config(waiver(expires="2001-01-01"), waiver())).only_violation("storage-throughput")
    assert found.level == "advisory" and found.detail.startswith("waived by waiver #2 ")


def test_a_passing_program_stays_passing_with_waivers(judge: Judge) -> None:
    assert judge(Aws(), config(waiver())).violations("storage-throughput") == []


def test_strict_unknowns_are_waivable_like_violations(judge: Judge) -> None:
    program = Aws().with_(unknown_fs_capacity=True)
    blocked = judge(program, config(strict=True)).only_violation("storage-throughput")
    assert blocked.level == "mandatory" and "cannot verify (strict)" in blocked.detail
    # the file system is the resource whose throughput is unknown
    waived = judge(program, config(waiver(resource="scratch"), strict=True)).only_violation("storage-throughput")
    assert waived.level == "advisory" and "cannot verify (strict)" in waived.detail


def test_the_engine_refuses_a_waiver_without_its_reason(judge: Judge, pack: Any) -> None:
    problems = pack.check_config(config(waiver(reason=None)), "policy.json")
    assert [p.path for p in problems] == ["storage-throughput.waivers.0"]
    assert "'reason' is a required property" in problems[0].message


# -- the waiver itself -------------------------------------------------------------------------------------------

def test_a_waiver_holds_through_its_last_day() -> None:
    w = Waiver("storage-throughput", "r", "o", date(2027, 3, 31))
    assert not w.expired(date(2027, 3, 31))
    assert w.expired(date(2027, 3, 31) + timedelta(days=1))


def test_matching_prefers_a_live_waiver_and_names_the_first_expired() -> None:
    old = Waiver("p", "r", "o", date(2000, 1, 1))
    live = Waiver("p", "r", "o", date(2099, 1, 1), resource="gpu")
    assert matching([old, live], "s", ["gpu"], date(2026, 1, 1)) == (1, 0)
    assert matching([old, live], "s", ["other"], date(2026, 1, 1)) == (None, 0)
    assert matching([None, live], "s", ["gpu"], date(2026, 1, 1)) == (1, None)


def test_an_unreadable_entry_waives_nothing() -> None:
    assert waivers_of("p", {"waivers": [{"reason": "r", "owner": "o", "expires": "2027-02-30"}]}) == [None]


def test_the_note_line_is_one_line_whatever_the_reason_holds() -> None:
    line = waived_line(0, Waiver("p", "first\nsecond\r\nthird", "team\nx", date(2099, 1, 1)))
    assert "\n" not in line and "\r" not in line
    assert note_of(line + "\nmessage") is not None


def test_the_stack_of_a_urn() -> None:
    assert stack_of("urn:pulumi:gpu-prod::proj::aws:eks/nodeGroup:NodeGroup::gpu") == "gpu-prod"
    assert stack_of("") == ""
