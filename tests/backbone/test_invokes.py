"""Invokes (provider functions, data sources) under the offline engine: answered from ``--invokes`` (matched on
arguments), from pure functions computed locally, or from cited facts; the unanswered ones of a preview are named
together, each with the program's line, with the ``--invokes`` skeleton for all of them — or, with
``--unknown-invokes``, judged as unknown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from backbone.core.errors import BackboneError, ConfigError
from backbone.engine import UNKNOWN, preview_function, preview_program
from backbone.invokes import FACTS, FACTS_FILE, Given, InvokeAnswers, UnansweredInvokes, load_invokes

CONFIG = {"aws:region": "us-east-1", "gcp:project": "proj-1", "gcp:region": "us-central1", "gcp:zone": "us-central1-a"}


def answered(program: Any, config: dict[str, Any] | None = None,
             given: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Runs ``program`` (returning what it read) under the engine with the invoke answers; what it read."""
    seen: dict[str, Any] = {}
    values = CONFIG if config is None else config
    answers = {token: [Given(None, result)] for token, result in (given or {}).items()}
    preview_function(lambda: seen.update(program()), "dev", values, invokes=InvokeAnswers(values, answers))
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
    assert load_invokes(path) == {"aws:ssm/getParameter:getParameter": [Given(None, {"value": "ami-1"})],
                                  "azure-native:authorization:getClientConfig": [Given(None, {"tenantId": "t"})]}


BAD_INVOKES = {
    "not a mapping": ("- a\n- b\n", "(top level): expected a mapping from a function's token"),
    "not a token": ("getParameter:\n  value: x\n", "line 1: 'getParameter' is not a function token"),
    "result not a mapping": ('"aws:ssm/getParameter:getParameter": ami-1\n',
                             "line 1: aws:ssm/getParameter:getParameter: the result is a mapping"),
    "answer without result": ('"a:b:c":\n  - args: {name: x}\n',
                              "line 1: a:b:c: the result is a mapping of the function's output fields (camelCase), "
                              "or a list of {args: {…}, result: {…}} answers"),
    "answer with another key": ('"a:b:c":\n  - {args: {name: x}, result: {v: 1}, when: now}\n',
                                "line 1: a:b:c: the result is a mapping"),
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


# -- every public region, pure functions, answers by arguments, all unanswered at once -----------------------

def test_us_west_2_has_its_four_zones() -> None:
    """The AWS zone table lists usw2-az1 … usw2-az4 for us-west-2: four zones, us-west-2a … us-west-2d."""
    import pulumi_aws as aws

    seen = answered(lambda: {"zones": aws.get_availability_zones().names}, {"aws:region": "us-west-2"})
    assert seen["zones"] == ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"]


@pytest.mark.parametrize(("region", "zones"), [
    ("europe-west1", ["europe-west1-b", "europe-west1-c", "europe-west1-d"]),  # no -a
    ("us-east1", ["us-east1-b", "us-east1-c", "us-east1-d"]),
    ("me-central2", ["me-central2-a", "me-central2-b", "me-central2-c"]),
])
def test_gcp_regions_beyond_the_first_five(region: str, zones: list[str]) -> None:
    import pulumi_gcp as gcp

    seen = answered(lambda: {"zones": gcp.compute.get_zones(region=region).names})
    assert seen["zones"] == zones


POLICY_JSON = """\
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": [
        "s3:ListBucket",
        "s3:GetObject"
      ],
      "Resource": "arn:aws:s3:::data/*",
      "Principal": {
        "Service": "ec2.amazonaws.com"
      },
      "Condition": {
        "StringEquals": {
          "aws:SourceAccount": "123456789012"
        }
      }
    },
    {
      "Effect": "Deny",
      "NotAction": "s3:*",
      "Resource": "*",
      "Principal": "*"
    }
  ]
}"""


def test_get_policy_document_is_computed_locally_as_the_provider_writes_it() -> None:
    """The expected JSON is written from the Terraform AWS provider's rules: one item is a string, several are
    sorted in reverse, Effect defaults to Allow, {"*": ["*"]} is "*", two-space indent."""
    import pulumi_aws as aws

    def program() -> dict[str, Any]:
        doc = aws.iam.get_policy_document(statements=[
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="Read", actions=["s3:GetObject", "s3:ListBucket"], resources=["arn:aws:s3:::data/*"],
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service",
                                                                            identifiers=["ec2.amazonaws.com"])],
                conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(
                    test="StringEquals", variable="aws:SourceAccount", values=["123456789012"])]),
            aws.iam.GetPolicyDocumentStatementArgs(
                effect="Deny", not_actions=["s3:*"], resources=["*"],
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])]),
        ])
        return {"json": doc.json, "minified": doc.minified_json}

    seen = answered(program, {})  # no region, no --invokes: nothing but the arguments
    assert seen["json"] == POLICY_JSON
    assert seen["minified"] == "".join(line.strip() for line in POLICY_JSON.splitlines()).replace('": ', '":')


def test_a_policy_document_that_merges_others_is_not_computed() -> None:
    answer = InvokeAnswers({}).answer("aws:iam/getPolicyDocument:getPolicyDocument",
                                      {"sourcePolicyDocuments": ["{}"]})
    assert answer.result is None and "merges other policy documents" in answer.reason


def test_answers_are_matched_on_the_call_arguments_and_one_without_args_matches_any() -> None:
    import pulumi_aws as aws

    given = {"aws:ssm/getParameter:getParameter": [
        Given({"name": "/ami/gpu"}, {"value": "ami-gpu"}),
        Given({"name": "/ami/cpu"}, {"value": "ami-cpu"}),
        Given(None, {"value": "ami-any"}),
    ]}
    seen: dict[str, Any] = {}
    preview_function(lambda: seen.update(
        gpu=aws.ssm.get_parameter(name="/ami/gpu").value, cpu=aws.ssm.get_parameter(name="/ami/cpu").value,
        other=aws.ssm.get_parameter(name="/ami/arm").value), "dev", CONFIG, invokes=InvokeAnswers(CONFIG, given))
    assert seen == {"gpu": "ami-gpu", "cpu": "ami-cpu", "other": "ami-any"}


def test_no_answer_matching_the_arguments_is_unanswered_with_that_said() -> None:
    answers = InvokeAnswers({}, {"aws:ssm/getParameter:getParameter": [Given({"name": "/a"}, {"value": "x"})]})
    answer = answers.answer("aws:ssm/getParameter:getParameter", {"name": "/b"})
    assert answer.result is None and "none of the 1 --invokes answers for it matches its arguments" in answer.reason


TWO_UNANSWERED = """\
import pulumi_aws as aws

gpu = aws.ssm.get_parameter(name="/ami/gpu")
cpu = aws.ssm.get_parameter(name="/ami/cpu")
vpc = aws.ec2.get_vpc(default=True)
aws.ec2.LaunchTemplate("t", image_id=gpu.value)
"""


def test_every_unanswered_invoke_of_a_program_is_named_at_once_with_one_skeleton(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text(TWO_UNANSWERED)
    with pytest.raises(UnansweredInvokes) as raised:
        preview_program(tmp_path, "dev", CONFIG, "app", invokes=InvokeAnswers(CONFIG), root=tmp_path)
    message = str(raised.value)
    assert message.startswith("3 provider function call(s) cannot be answered offline:")
    assert "aws:ssm/getParameter:getParameter at " in message and "aws:ec2/getVpc:getVpc at " in message
    assert "__main__.py:5," in message
    # one skeleton for all: the two calls of one function told apart by their arguments
    assert '\n  "aws:ssm/getParameter:getParameter":\n    - args: {name: /ami/gpu}\n      result:\n' in message
    assert "\n    - args: {name: /ami/cpu}\n" in message
    assert '\n  "aws:ec2/getVpc:getVpc":\n' in message and "\n    cidrBlock: …" in message
    assert "--unknown-invokes" in message


def test_with_unknown_invokes_the_preview_goes_on_and_lists_them(tmp_path: Path) -> None:
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n\nami = aws.ssm.get_parameter_output(name='/x')\n"
        "aws.ec2.LaunchTemplate('t', image_id=ami.value)\n")
    preview = preview_program(tmp_path, "dev", CONFIG, "app", invokes=InvokeAnswers(CONFIG, unknown=True),
                              root=tmp_path)
    (unknown,) = preview.unknown_invokes
    assert unknown.token == "aws:ssm/getParameter:getParameter"
    (template,) = preview.of_type("aws:ec2/launchTemplate:LaunchTemplate")
    assert template.inputs.get("imageId") == UNKNOWN  # unknown, as in a preview: never a made-up value
