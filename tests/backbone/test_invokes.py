"""Invokes (provider functions, data sources) under the offline engine: answered from cited facts or from
``--invokes``; an unanswered one stops the preview naming the token, the program's line and the entry to add."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from backbone.core.errors import BackboneError, ConfigError
from backbone.engine import preview_function, preview_program
from backbone.invokes import FACTS, FACTS_FILE, InvokeAnswers, load_invokes

CONFIG = {"aws:region": "us-east-1", "gcp:project": "proj-1", "gcp:region": "us-central1", "gcp:zone": "us-central1-a"}


def answered(program: Any, config: dict[str, Any] | None = None,
             given: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Runs ``program`` (returning what it read) under the engine with the invoke answers; what it read."""
    seen: dict[str, Any] = {}
    values = CONFIG if config is None else config
    preview_function(lambda: seen.update(program()), "dev", values, invokes=InvokeAnswers(values, given))
    return seen


def test_aws_zones_of_the_configured_region_from_the_facts_table() -> None:
    import pulumi_aws as aws

    seen = answered(lambda: {"zones": aws.get_availability_zones(state="available").names,
                             "other": aws.get_availability_zones(region="eu-west-1").names})
    facts = yaml.safe_load(FACTS_FILE.read_text())["zones"]["aws"]["regions"]
    assert seen["zones"] == facts["us-east-1"] == [f"us-east-1{c}" for c in "abcdef"]
    assert seen["other"] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]


def test_gcp_zones_and_client_config_come_from_the_provider_config() -> None:
    import pulumi_gcp as gcp

    def program() -> dict[str, Any]:
        client = gcp.organizations.get_client_config()
        return {"client": (client.project, client.region, client.zone, client.access_token),
                "zones": gcp.compute.get_zones(region=client.region).names}

    seen = answered(program)
    assert seen["client"] == ("proj-1", "us-central1", "us-central1-a", None)  # no credential offline
    assert seen["zones"] == ["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]


def test_azure_client_config_uses_the_configured_ids_else_a_placeholder() -> None:
    import pulumi_azure_native as azure_native

    def program() -> dict[str, Any]:
        client = azure_native.authorization.get_client_config()
        return {"ids": (client.subscription_id, client.tenant_id)}

    sub = "11111111-2222-3333-4444-555555555555"
    assert answered(program, {"azure-native:subscriptionId": sub})["ids"] == (
        sub, "00000000-0000-0000-0000-000000000000")


def test_a_given_answer_wins_and_the_output_form_is_answered_too() -> None:
    import pulumi_aws as aws

    seen: dict[str, Any] = {}

    def program() -> dict[str, Any]:
        aws.ssm.get_parameter_output(name="/ami").value.apply(lambda v: seen.setdefault("output", v))
        return {"plain": aws.ssm.get_parameter(name="/ami").value,
                "zones": aws.get_availability_zones().names}

    given = {"aws:ssm/getParameter:getParameter": {"value": "ami-0123456789abcdef0"},
             "aws:index/getAvailabilityZones:getAvailabilityZones": {"names": ["us-east-1c"]}}
    seen.update(answered(program, given=given))
    assert seen == {"plain": "ami-0123456789abcdef0", "output": "ami-0123456789abcdef0", "zones": ["us-east-1c"]}


def test_every_fact_answers_only_with_a_region_it_knows() -> None:
    answers = InvokeAnswers({"aws:region": "mars-north-1"})
    zones = answers.answer("aws:index/getAvailabilityZones:getAvailabilityZones", {})
    assert zones.result is None and "the zones of mars-north-1 are not in Backbone's facts" in zones.reason
    assert InvokeAnswers({}).answer("gcp:compute/getZones:getZones", {}).result is None
    assert set(FACTS) >= {"aws:index/getAvailabilityZones:getAvailabilityZones", "gcp:compute/getZones:getZones",
                          "gcp:organizations/getClientConfig:getClientConfig",
                          "azure-native:authorization:getClientConfig"}


def test_the_facts_file_cites_a_source_and_date_for_every_table() -> None:
    facts = yaml.safe_load(FACTS_FILE.read_text())
    for table in [*facts["zones"].values(), *facts["placeholders"].values()]:
        assert str(table["source"]).startswith("https://") and table["read"]


UNANSWERED = """\
import pulumi_aws as aws

vpc = aws.ec2.Vpc("v", cidr_block="10.0.0.0/16")
ami = aws.ssm.get_parameter(name="/aws/service/eks/ami")
aws.ec2.LaunchTemplate("t", image_id=ami.value)
"""


def test_an_unanswered_invoke_names_token_program_line_and_the_entry_to_add(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text(UNANSWERED)
    with pytest.raises(BackboneError) as raised:
        preview_program(tmp_path, "dev", CONFIG, "app", invokes=InvokeAnswers(CONFIG), root=tmp_path)
    message = str(raised.value)
    assert "the program calls the provider function aws:ssm/getParameter:getParameter at " in message
    assert "__main__.py:4," in message
    assert '--invokes FILE' in message and '\n  "aws:ssm/getParameter:getParameter":\n' in message
    assert "\n    value: …" in message and "\n    insecureValue: …" in message
    assert "Traceback" not in message


def test_an_unanswered_invoke_of_the_output_form_is_named_too(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n\nami = aws.ssm.get_parameter_output(name='/x')\n"
        "aws.ec2.LaunchTemplate('t', image_id=ami.value)\n")
    with pytest.raises(BackboneError, match=r"aws:ssm/getParameter:getParameter at .*__main__\.py:3,"):
        preview_program(tmp_path, "dev", CONFIG, "app", invokes=InvokeAnswers(CONFIG), root=tmp_path)


def test_without_answers_an_invoke_stays_unknown_as_before() -> None:
    import pulumi_aws as aws

    seen: dict[str, Any] = {}
    preview_function(lambda: seen.update(names=aws.get_availability_zones().names), "dev")
    assert seen == {"names": None}


# -- the --invokes file -------------------------------------------------------------------------------

def test_an_invokes_file_maps_tokens_to_results(tmp_path: Path) -> None:
    path = tmp_path / "invokes.yaml"
    path.write_text('"aws:ssm/getParameter:getParameter":\n  value: ami-1\n'
                    '"azure-native:authorization:getClientConfig": {tenantId: t}\n')
    assert load_invokes(path) == {"aws:ssm/getParameter:getParameter": {"value": "ami-1"},
                                  "azure-native:authorization:getClientConfig": {"tenantId": "t"}}


BAD_INVOKES = {
    "not a mapping": ("- a\n- b\n", "(top level): expected a mapping from a function's token"),
    "not a token": ("getParameter:\n  value: x\n", "line 1: 'getParameter' is not a function token"),
    "result not a mapping": ('"aws:ssm/getParameter:getParameter": ami-1\n',
                             "line 1: aws:ssm/getParameter:getParameter: the result is a mapping"),
    "second entry wrong": ('"aws:ssm/getParameter:getParameter": {value: x}\n"gcp:compute/getZones:getZones": []\n',
                           "line 2: gcp:compute/getZones:getZones: the result is a mapping"),
    "alias bomb": ('"a:b:c": {v: ' + "".join(f"&a{i} [" + ", ".join([f"*a{i - 1}" if i else "x"] * 9) + "], "
                                              for i in range(8)) + '"z": 1}\n', "expands to more than"),
    "duplicate token": ('"a:b:c": {v: 1}\n"a:b:c": {v: 2}\n', "duplicate key 'a:b:c' (first at line 1)"),
    "bad yaml": ('"a:b:c": {v: [1\n', "(yaml): not valid YAML at line"),
}


@pytest.mark.parametrize("case", sorted(BAD_INVOKES))
def test_a_bad_invokes_file_is_named_with_file_and_line(tmp_path: Path, case: str) -> None:
    text, expected = BAD_INVOKES[case]
    path = tmp_path / "invokes.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_invokes(path)
    assert f"{path}: " in str(raised.value)
    assert expected in str(raised.value)


def test_pulumi_runtime_invoke_is_restored_after_a_preview() -> None:
    before = pulumi.runtime.invoke
    preview_function(lambda: None, "dev", {}, invokes=InvokeAnswers({}))
    assert pulumi.runtime.invoke is before
