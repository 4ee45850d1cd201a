"""The encodings of the GitHub annotations and the JUnit report, on their own: a workflow command's message and
properties encoded as the Actions toolkit encodes them (``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``; in a property
also ``:`` → ``%3A`` and ``,`` → ``%2C``: github.com/actions/toolkit, packages/core/src/command.ts, escapeData and
escapeProperty), a command without properties, and JUnit text that XML 1.0 can carry (a tab is whitespace; U+FFFE
and U+FFFF are not characters XML 1.0 allows: w3.org/TR/xml, §2.2); and two escapes the reports share: a file name
that is not UTF-8 as a SARIF URI, a code span of a value with one leading space."""

from __future__ import annotations

import pytest

from backbone.report.escape import markdown_code, uri
from backbone.report.github import _data, _property, command
from backbone.report.junit import _text


@pytest.mark.parametrize("value, encoded", [
    ("100% of 8", "100%25 of 8"), ("a\rb", "a%0Db"), ("a\nb", "a%0Ab"), ("a:b,c", "a:b,c"),
    ("%0A", "%250A"),  # an encoded newline in the text stays text
])
def test_a_message_is_encoded_as_the_toolkit_encodes_it(value: str, encoded: str) -> None:
    assert _data(value) == encoded


@pytest.mark.parametrize("value, encoded", [
    ("stacks/Pulumi.prod.yaml", "stacks/Pulumi.prod.yaml"), ("a:b,c", "a%3Ab%2Cc"), ("50%\n", "50%25%0A"),
])
def test_a_property_also_encodes_colons_and_commas(value: str, encoded: str) -> None:
    assert _property(value) == encoded


def test_a_command_with_and_without_properties() -> None:
    assert command("error", "too many\nGPUs") == "::error::too many%0AGPUs"
    assert command("warning", "m", file="a,b.yaml", line=3, title=None) == "::warning file=a%2Cb.yaml,line=3::m"


@pytest.mark.parametrize("value, text", [
    ("a\tb", "a b"), ("line\nnext", "line\nnext"), ("x\ufffey\uffff", "x\\ufffey\\uffff"), ("\x1b[31m", "\\x1b[31m"),
])
def test_junit_text_is_what_xml_can_carry(value: str, text: str) -> None:
    assert _text(value) == text


def test_a_file_name_that_is_not_utf8_is_still_a_uri() -> None:
    """A byte that is not UTF-8 decodes to a lone surrogate (PEP 383); it is written as its escape, percent-encoded."""
    assert uri("stacks/caf\udce9.yaml") == "stacks/caf%5Cudce9.yaml"


def test_a_code_span_of_a_value_with_one_leading_space_is_not_padded() -> None:
    """GFM 6.1 strips a space only from a span that starts and ends with one: " a" comes back as it is."""
    assert markdown_code(" a") == "` a`"


def _stack(*findings: object) -> object:
    from backbone.policies.inventory.facts import Inventory
    from backbone.report.model import Capacity, StackReport

    return StackReport(stack="prod", cloud="aws", file="Pulumi.prod.yaml", resources_by_type={},
                       capacity=Capacity.of(Inventory()), findings=tuple(findings))  # type: ignore[arg-type]


def _case(level: str, *findings: object, levels: dict[str, str] | None = None) -> tuple[object, int, bool]:
    from backbone.analyzer import PolicyInfo
    from backbone.report.junit import _testcase
    from backbone.report.model import PlanReport

    report = PlanReport(stacks=(), policies={"p": PolicyInfo("p", "Ensure p", level)}, levels=levels or {},
                        catalog_overlays=())
    return _testcase(report, _stack(*findings), "p")  # type: ignore[arg-type]


def _finding(message: str = "m", waiver: str | None = None) -> object:
    from backbone.report.model import Finding, WaiverMark

    mark = None if waiver is None else WaiverMark(waiver, "p", "later", "ml@example.com", "2099-12-31",  # type: ignore[arg-type]
                                                  "waivers.yaml: waivers[0]")
    return Finding(policy="p", level="mandatory", urn="urn:pulumi:s::p::t::gpu", message=message,
                   cannot_verify=False, subject="urn:pulumi:s::p::t::gpu", waiver=mark)


def test_a_policy_disabled_at_its_own_level_or_by_the_config_is_skipped_when_it_found_nothing() -> None:
    assert _case("disabled")[1:] == (0, True)
    assert _case("mandatory", levels={"p": "disabled"})[1:] == (0, True)
    assert _case("mandatory")[1:] == (0, False)


def test_a_disabled_policy_with_a_waived_finding_is_not_skipped() -> None:
    assert _case("disabled", _finding(waiver="waived"))[1:] == (0, False)


def test_a_failure_s_message_is_the_first_line_cut_at_500_characters() -> None:
    long = "x" * 600
    case, failures, _ = _case("mandatory", _finding(f"{long}\nsecond line"))
    assert failures == 1
    failure = case.find("failure")  # type: ignore[attr-defined]
    assert failure.get("message") == ("gpu: " + long)[:500]
    case, _, _ = _case("mandatory", _finding("first\nsecond"))
    assert case.find("failure").get("message") == "gpu: first"  # type: ignore[attr-defined]


def test_what_is_waived_and_what_cannot_be_verified_go_to_the_output_one_line_each() -> None:
    from dataclasses import replace

    unknown = replace(_finding("zones unknown"), cannot_verify=True)  # type: ignore[type-var]
    case, _, _ = _case("mandatory", _finding(waiver="waived"), unknown)
    assert case.find("system-out").text == (  # type: ignore[attr-defined]
        "waived (later; owner ml@example.com, until 2099-12-31): gpu: m\ncannot verify in preview: gpu: zones unknown")


@pytest.mark.parametrize("value, span", [
    (" \xa0 ", "`  \xa0  `"),  # GFM strips one U+0020 from each end of " \xa0 ": padded to give it back whole
    (" X ", "`  X  `"),
    ("a`", "`` a` ``"),  # a span ending in a backtick is padded so the fence is not read as longer
])
def test_a_code_span_is_padded_where_gfm_would_strip_or_merge_its_ends(value: str, span: str) -> None:
    assert markdown_code(value) == span
