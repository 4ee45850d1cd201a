"""``backbone catalog fetch --cloud aws``: EC2 DescribeInstanceTypes asked through boto3, here answered by moto's
EC2 (its recorded instance types: github.com/getmoto/moto ``moto/ec2/resources/instance_types.json``, the file the
import fixture trims), no network. The expected figures are AWS's published ones
(docs.aws.amazon.com/ec2/latest/instancetypes/ac.html): p5.48xlarge 8 H100, 192 vCPUs, 2048 GiB, 32 EFA network
cards, 3200 Gbps; g6.48xlarge 8 L4, 100 Gbps, 1 network card; m5.large has no GPU."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import boto3
import pytest
import yaml
from botocore.stub import Stubber
from moto import mock_aws

from backbone.cli import main

NO_AWS_FILES = {"AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials", "AWS_CONFIG_FILE": "/nonexistent/config",
                "AWS_EC2_METADATA_DISABLED": "true"}
CREDENTIALS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE")
REGIONS = ("AWS_REGION", "AWS_DEFAULT_REGION")


def aws_environment(monkeypatch: pytest.MonkeyPatch, credentials: bool = True, region: bool = True) -> None:
    """Nothing of this machine's AWS configuration: only what the test gives."""
    for name in (*CREDENTIALS, *REGIONS):
        monkeypatch.delenv(name, raising=False)
    for name, value in NO_AWS_FILES.items():
        monkeypatch.setenv(name, value)
    if credentials:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    if region:
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def fetch(capsys: pytest.CaptureFixture[str], output: Path, *argv: str) -> tuple[int, str]:
    code = main(["catalog", "fetch", "--cloud", "aws", "--output", str(output), *argv])
    out, err = capsys.readouterr()
    assert out == ""
    return code, err


def test_fetch_writes_the_cited_rows_of_what_ec2_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    aws_environment(monkeypatch)
    output = tmp_path / "aws-fetched.yaml"
    with mock_aws():
        code, err = fetch(capsys, output, "--region", "us-east-1", "--as-of", "2026-12-07")
    assert code == 0, err
    document = yaml.safe_load(output.read_text())
    assert document["sources"]["listing"] == {
        "url": "https://ec2.us-east-1.amazonaws.com/?Action=DescribeInstanceTypes",
        "title": "EC2 DescribeInstanceTypes in us-east-1, every page (backbone catalog fetch)",
        "as_of": "2026-12-07"}
    rows = {r["instance_type"]: r for r in document["instances"]}
    assert "m5.large" not in rows and len(rows) > 50  # every GPU type of every page, nothing else
    p5 = rows["p5.48xlarge"]
    assert (p5["accelerator"], p5["accelerator_count"], p5["vcpus"], p5["memory_gib"], p5["fabric"],
            p5["fabric_nics"], p5["fabric_gbps"]) == ("nvidia-h100-80gb", 8, 192, 2048, "efa", 32, 3200)
    g6 = rows["g6.48xlarge"]
    assert (g6["accelerator"], g6["accelerator_count"], g6["fabric_nics"], g6["fabric_gbps"]) == \
        ("nvidia-l4-24gb", 8, 1, 100)
    assert err.startswith(f"wrote {output}: {len(rows)} aws accelerator types")
    # the written file is a catalog file like any other
    assert main(["catalog", "--cloud", "aws", "--format", "json", "--catalog", str(output)]) == 0
    listed = {r["instance_type"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed["g6.48xlarge"]["accelerator_count"] == 8


@pytest.mark.parametrize(("credentials", "region", "said"), [
    (False, True, "no AWS credentials were found"),
    (True, False, "no region: pass --region"),
])
def test_no_credentials_or_no_region_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str], credentials: bool, region: bool,
                                               said: str) -> None:
    aws_environment(monkeypatch, credentials=credentials, region=region)
    code, err = fetch(capsys, tmp_path / "out.yaml")
    assert code == 2 and err.startswith(f"error: catalog fetch --cloud aws: {said}")
    assert "Traceback" not in err and not (tmp_path / "out.yaml").exists()


def test_a_refused_call_is_exit_2_naming_ec2s_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    aws_environment(monkeypatch)
    client = boto3.client("ec2", region_name="us-east-1")
    stub = Stubber(client)
    stub.add_client_error("describe_instance_types", "UnauthorizedOperation",
                          "You are not authorized to perform this operation.")
    stub.activate()
    monkeypatch.setattr(boto3, "client", lambda *args, **kwargs: client)
    code, err = fetch(capsys, tmp_path / "out.yaml")
    assert code == 2
    assert ("EC2 refused DescribeInstanceTypes: UnauthorizedOperation: You are not authorized to perform this "
            "operation. (it needs ec2:DescribeInstanceTypes)") in err
    assert not (tmp_path / "out.yaml").exists()


def test_without_boto3_the_extra_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "boto3", None)  # how Python marks a module that cannot be imported
    code, err = fetch(capsys, tmp_path / "out.yaml")
    assert code == 2 and "needs boto3, which is not installed: pip install 'backbone[fetch]'" in err
    assert "catalog import --from aws types.json" in err and "Traceback" not in err
