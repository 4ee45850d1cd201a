"""Per-cloud extras (``backbone[aws]``, ``[gcp]``, ``[azure]``): the core installs and runs without any provider
SDK, and a Backbone stack of a cloud whose SDK is missing is bad input naming the extra that installs it.

"Not installed" is made real for every process of the run, the pack's and the program's included: a
``sitecustomize`` on ``PYTHONPATH`` puts ``None`` in ``sys.modules`` for each blocked SDK, which is how Python
itself marks a module that cannot be imported (``import`` raises ``ModuleNotFoundError``, ``find_spec`` says
None). The installed-wheel test (``test_installed.py``) checks the same with the SDKs truly absent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backbone.stackfile import PROJECT_ROOT

SDKS = ("pulumi_aws", "pulumi_gcp", "pulumi_azure_native", "pulumi_kubernetes")

# A hand-written program (no SDK, no ``backbone.components``): provider resources registered by their type
# token, as an SDK's generated class does. 4 × p5.48xlarge = 32 H100 (AWS's P5 page: 8 H100 per instance).
PROGRAM = '''
import pulumi

pulumi.CustomResource("aws:eks/nodeGroup:NodeGroup", "h100", {
    "clusterName": "train", "nodeRoleArn": "arn:aws:iam::123456789012:role/nodes",
    "subnetIds": ["subnet-1"], "instanceTypes": ["p5.48xlarge"],
    "scalingConfig": {"minSize": 0, "maxSize": 4, "desiredSize": 0},
})
'''


def _blocking(tmp_path: Path, blocked: tuple[str, ...]) -> dict[str, str]:
    """An environment whose Pythons cannot import ``blocked``, the checkout still importable."""
    site = tmp_path / "block"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in blocked))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(PROJECT_ROOT)])
    return env


def _backbone(env: dict[str, str], cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backbone", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_the_core_imports_without_any_provider_sdk(tmp_path: Path) -> None:
    code = ("import sys\n"
            "import backbone.cli, backbone.plan, backbone.audit, backbone.docs, backbone.schema, backbone.catalog_cmd\n"
            "import backbone.sizing.cli, backbone.policies.rules, backbone.components.program\n"
            "import backbone.components.runtime.versions, backbone.components.runtime.pin_check\n"
            "from backbone.components.clouds import facts\n"
            "print([facts(c).cloud for c in ('aws', 'gcp', 'azure')])\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {SDKS!r} and sys.modules[m] is not None))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_blocking(tmp_path, SDKS),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["['aws', 'gcp', 'azure']", "[]"]


def test_a_hand_written_program_plans_with_no_provider_sdk_installed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: raw\nruntime: python\n")
    (project / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-1\n")
    (project / "__main__.py").write_text(PROGRAM)
    done = _backbone(_blocking(tmp_path, SDKS), tmp_path, "plan", "--project", str(project), "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    [stack] = json.loads(done.stdout)["stacks"]
    assert (stack["cloud"], stack["accelerators_max"]) == ("aws", 32)


@pytest.mark.parametrize(("stack", "blocked", "extra"), [
    ("gcp-l4-serve", ("pulumi_gcp",), "gcp"),
    ("azure-nca100-serve", ("pulumi_azure_native",), "azure"),
    ("aws-g6-serve", ("pulumi_kubernetes",), "aws"),
])
def test_a_backbone_stack_whose_cloud_sdk_is_missing_is_exit_2_naming_the_extra(
        tmp_path: Path, stack: str, blocked: tuple[str, ...], extra: str) -> None:
    file = PROJECT_ROOT / "stacks" / f"Pulumi.{stack}.yaml"
    done = _backbone(_blocking(tmp_path, blocked), tmp_path, "plan", str(file))
    assert done.returncode == 2, done.stderr
    assert f"backbone:cluster.cloud: Backbone's {extra} components need" in done.stderr
    assert f"pip install 'backbone[{extra}]'" in done.stderr
    assert "Traceback" not in done.stderr and "site-packages" not in done.stderr


def test_a_component_asked_for_without_its_sdk_names_the_extra(tmp_path: Path) -> None:
    code = ("from backbone.components.gcp import GpuNodePool\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=_blocking(tmp_path, ("pulumi_gcp",)),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "backbone.core.errors.MissingExtra: Backbone's gcp components need pulumi-gcp, not installed with "
        "this Backbone: pip install 'backbone[gcp]'")


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_every_public_name_of_a_cloud_package_loads_with_its_sdk(cloud: str) -> None:
    import importlib

    package = importlib.import_module(f"backbone.components.{cloud}")
    assert sorted(package.__all__) == sorted(package._MODULES) == sorted(dir(package))
    for name in package.__all__:
        assert getattr(package, name) is getattr(importlib.import_module(package._MODULES[name]), name)
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        package.Nope  # noqa: B018
