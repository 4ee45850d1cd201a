"""Reading an outside Pulumi project (``backbone.project``) and handing its config to its program as the
Pulumi CLI does: every namespace, bare keys in the project's, structured values as JSON, secrets unknown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backbone.core.errors import ConfigError
from backbone.engine import UNKNOWN, preview_program
from backbone.project import program_config, read_project
from backbone.stackfile import read_stack


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_main_folder_stack_config_dir_and_project_defaults(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "Pulumi.yaml": "name: infra\nruntime:\n  name: python\nmain: src/\nstackConfigDir: stacks\n"
                       "config:\n  cidr:\n    type: string\n    default: 10.0.0.0/16\n  aws:region: us-west-2\n"
                       "  described:\n    type: string\n",
        "src/__main__.py": "",
        "stacks/Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n",
    })
    project = read_project(root)
    assert (project.name, project.program, project.stack_dir) == (
        "infra", root / "src" / "__main__.py", root / "stacks")
    config = program_config(project, read_stack(root / "stacks" / "Pulumi.dev.yaml"))
    # the stack's value wins over the project's; a declaration without a value sets nothing
    assert config.values == {"infra:cidr": "10.0.0.0/16", "aws:region": "us-east-1"}


def test_every_namespace_structured_values_and_secrets_unknown(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "Pulumi.yaml": "name: app\nruntime: python\n",
        "__main__.py": "",
        "Pulumi.dev.yaml": (
            "config:\n"
            "  aws:region: us-east-1\n"
            "  gcp:project: p-1\n"
            "  azure-native:location: westeurope\n"
            "  size: 3\n"
            "  app:pools:\n    - name: a\n      token:\n        secure: v1:abc:CIPHERTEXT-IN-LIST\n"
            "  dbPassword:\n    secure: v1:xyz:CIPHERTEXT\n"
        ),
    })
    config = program_config(read_project(root), read_stack(root / "Pulumi.dev.yaml"))
    assert config.values["aws:region"] == "us-east-1"
    assert config.values["gcp:project"] == "p-1"
    assert config.values["azure-native:location"] == "westeurope"
    assert config.values["app:size"] == 3
    assert config.values["app:dbPassword"] == UNKNOWN
    assert config.values["app:pools"] == [{"name": "a", "token": UNKNOWN}]
    assert set(config.secret_keys) == {"app:dbPassword", "app:pools"}
    assert "CIPHERTEXT" not in json.dumps(config.values)


PROGRAM = """\
import json
import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
aws.ec2.Vpc("v", cidr_block=cfg.require("cidr"), tags={
    "region": pulumi.Config("aws").require("region"),
    "pools": json.dumps(cfg.require_object("pools")),
    "password": cfg.require_secret("password"),
})
"""


def test_the_program_reads_every_namespace_and_a_secret_reaches_the_pack_unknown(tmp_path: Path) -> None:
    root = write(tmp_path, {
        "Pulumi.yaml": "name: app\nruntime: python\nconfig:\n  cidr: 10.1.0.0/16\n",
        "__main__.py": PROGRAM,
        "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n  app:pools: [{name: a, max: 2}]\n"
                           "  password:\n    secure: v1:xyz:SECRET\n",
    })
    project = read_project(root)
    config = program_config(project, read_stack(root / "Pulumi.dev.yaml"))
    preview = preview_program(project.program, "dev", config.values, project.name,
                              secret_keys=config.secret_keys, root=project.root)
    (vpc,) = preview.of_type("aws:ec2/vpc:Vpc")
    tags = vpc.inputs["tags"]
    assert vpc.inputs["cidrBlock"] == "10.1.0.0/16"
    assert tags["region"] == "eu-west-1"
    assert json.loads(tags["pools"]) == [{"name": "a", "max": 2}]
    # a secret travels as Pulumi's secret wrapper around the unknown sentinel: the pack cannot read a value
    assert UNKNOWN in json.dumps(tags["password"])
    assert "SECRET" not in json.dumps(vpc.inputs)
    assert preview.project == "app"


BAD_PROJECTS = {
    "no Pulumi.yaml": ({}, "(project): no Pulumi.yaml here"),
    "not YAML": ({"Pulumi.yaml": "name: [x\n"}, "(yaml): not valid YAML at line"),
    "no name": ({"Pulumi.yaml": "runtime: python\n"}, "name: the project's name is a non-empty string"),
    "nodejs": ({"Pulumi.yaml": "name: x\nruntime: nodejs\n"}, "runtime: backbone plans Python programs"),
    "no entry point": ({"Pulumi.yaml": "name: x\nruntime: python\n"}, "main: no __main__.py in the project"),
    "main leaves": ({"Pulumi.yaml": "name: x\nruntime: python\nmain: ../elsewhere\n"},
                    "main: '../elsewhere' leaves the project folder"),
    "main not python": ({"Pulumi.yaml": "name: x\nruntime: python\nmain: run.sh\n", "run.sh": ""},
                        "main: 'run.sh' is not a Python file"),
}


@pytest.mark.parametrize("case", sorted(BAD_PROJECTS))
def test_a_bad_project_is_named_with_its_file(tmp_path: Path, case: str) -> None:
    files, expected = BAD_PROJECTS[case]
    write(tmp_path, files)
    with pytest.raises(ConfigError) as raised:
        read_project(tmp_path)
    assert expected in str(raised.value)
    assert str(tmp_path) in str(raised.value)


def test_the_program_runs_in_its_folder_imports_its_modules_and_leaves_nothing_behind(tmp_path: Path) -> None:
    import os
    import sys

    root = write(tmp_path / "proj", {
        "Pulumi.yaml": "name: app\nruntime: python\nmain: src\n",
        "src/__main__.py": "import json\nimport sizing\nimport pulumi_aws as aws\n\n"
                           "aws.ec2.Vpc('v', cidr_block=sizing.cidr(json.load(open('sizes.json'))))\n",
        "src/sizing.py": "def cidr(sizes):\n    return sizes['cidr']\n",
        "src/sizes.json": '{"cidr": "10.9.0.0/16"}',
    })
    project = read_project(root)
    cwd, path = os.getcwd(), list(sys.path)
    for stack in ("a", "b"):  # the second run imports sizing afresh: its resources are registered again
        preview = preview_program(project.program, stack, {}, project.name, root=project.root)
        (vpc,) = preview.of_type("aws:ec2/vpc:Vpc")
        assert vpc.inputs["cidrBlock"] == "10.9.0.0/16"
    assert (os.getcwd(), sys.path) == (cwd, path)
    assert "sizing" not in sys.modules
