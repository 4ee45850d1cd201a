"""Installed use: the built wheel, installed without extras and not editable into a fresh virtualenv, gives a
``backbone`` that plans an outside project from an unrelated folder and prints the pack it ships.

How this stays offline and honest: the wheel is built from a copy of the sources (``pip wheel --no-deps
--no-build-isolation``: no index). The fresh virtualenv is created without system site-packages, and the wheel
is installed into it with ``--no-deps --no-index``. Its third-party dependencies (pulumi, the provider SDKs —
hundreds of MB) cannot be downloaded in a test, so one ``.pth`` file adds the shared test environment's
site-packages *after* the fresh one: Python does not run the ``.pth`` files of a folder added that way, so
the shared environment's editable Backbone (an import hook installed by a ``.pth``) stays out, and
``backbone``, ``components`` and ``policies`` come from the wheel (asserted). That the wheel *declares* every
third-party module its code imports is checked separately against its metadata — the check that the
``jsonschema`` runtime import, once only a dev dependency, now fails loudly if it regresses."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import Parser
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

import pytest

from backbone.stackfile import PROJECT_ROOT

OWN = ("backbone",)
EXAMPLE = PROJECT_ROOT / "examples" / "aws-eks-gpu"


def _clean_env() -> dict[str, str]:
    """The environment without the test's PYTHONPATH (which points at the checkout)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("wheel", reason="building the wheel offline needs the `wheel` package (dev extra)")
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, source / name)
    for package in OWN:
        shutil.copytree(PROJECT_ROOT / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "-w", str(dist), str(source)], capture_output=True, text=True, env=_clean_env(), timeout=600)
    if built.returncode != 0:
        pytest.skip(f"pip cannot build the wheel offline here: {built.stderr.strip()[-500:]}")
    (found,) = dist.glob("backbone-*.whl")
    return found


def _metadata(wheel: Path) -> tuple[list[str], set[str]]:
    names, declared, _ = _requirements(wheel)
    return names, declared


def _requirements(wheel: Path) -> tuple[list[str], set[str], set[str]]:
    """(the wheel's files, its required distributions, the distributions of its extras)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(meta).decode())
    declared = message.get_all("Requires-Dist") or []
    extras = {_name(r) for r in declared if "extra ==" in r and "extra == \"dev\"" not in r}
    return names, {_name(r) for r in declared if "extra ==" not in r}, extras


def _name(requirement: str) -> str:
    """A requirement's distribution name, normalised (PEP 503): ``pulumi_aws>=7`` → ``pulumi-aws``."""
    name = re.split(r"[\s;\[<>=!~(]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(names: set[str]) -> set[str]:
    """The distributions ``names`` bring at run time (their own non-extra requirements, recursively)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            todo.extend(_name(r) for r in requires(name) or [] if "extra ==" not in r)
        except PackageNotFoundError:
            continue
    return seen


def test_the_wheel_ships_the_pack_and_its_data(wheel: Path) -> None:
    names, _ = _metadata(wheel)
    for required in ("backbone/policies/PulumiPolicy.yaml", "backbone/policies/__main__.py",
                     "backbone/data/invoke_facts.yaml", "backbone/data/sarif-schema-2.1.0.json",
                     "backbone/components/catalog/data/aws.yaml"):
        assert required in names
    assert {name.split("/")[0] for name in names if "/" in name and ".dist-info" not in name} == {"backbone"}


def _third_party_imports(root: Path, top_level_only: bool = False) -> set[str]:
    found: set[str] = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body if top_level_only else ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in OWN and m != "__future__"}


def test_every_runtime_import_is_a_declared_runtime_dependency(wheel: Path) -> None:
    """Every import is a required dependency, or one of an extra (``plot``: matplotlib) imported inside the
    function that needs it — never at a module's top, where a plain install would fail to import."""
    _, declared, extras = _requirements(wheel)
    runtime = _closure(declared)
    providers = packages_distributions()
    missing = {}
    top_level = set().union(*(_third_party_imports(PROJECT_ROOT / p, top_level_only=True) for p in OWN))
    for module in sorted(set().union(*(_third_party_imports(PROJECT_ROOT / p) for p in OWN))):
        dists = {_name(d) for d in providers.get(module, [])}
        if not dists & runtime and (module in top_level or not dists & extras):
            missing[module] = sorted(dists) or ["(not installed)"]
    assert not missing, f"imported at run time but not a runtime dependency: {missing}"


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                           "--no-index", str(wheel)], capture_output=True, text=True, env=_clean_env(), timeout=600)
    if done.returncode != 0:
        pytest.skip(f"pip cannot install into a fresh virtualenv offline here: {done.stderr.strip()[-500:]}")
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, env=_clean_env()).stdout.strip()
    (Path(purelib) / "_shared_third_party.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _run(venv: Path, cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "backbone"), *argv], cwd=cwd, capture_output=True, text=True,
                          env=_clean_env(), timeout=900)


def test_backbone_comes_from_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    code = ("import importlib.util, backbone, backbone.components, backbone.policies;"
            "print(backbone.__file__, backbone.components.__file__, backbone.policies.__file__);"
            "print(importlib.util.find_spec('components'), importlib.util.find_spec('policies'))")
    lines = subprocess.run([str(installed / "bin" / "python"), "-c", code], cwd=tmp_path, capture_output=True,
                           text=True, check=True, env=_clean_env()).stdout.splitlines()
    assert all(path.startswith(str(installed)) for path in lines[0].split()), lines
    assert lines[1] == "None None", "the wheel must install one top-level package, backbone: " + lines[1]


def test_installed_backbone_plans_an_outside_project_from_an_unrelated_folder(installed: Path,
                                                                                tmp_path: Path) -> None:
    project = shutil.copytree(EXAMPLE, tmp_path / "their-repo" / "infra-project")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = _run(installed, elsewhere, "plan", "--project", str(project), "--invokes", str(project / "invokes.yaml"),
                "--format", "json", "--output", "plan.json")
    assert done.returncode == 1, done.stderr
    dev, train = json.loads((elsewhere / "plan.json").read_text())["stacks"]
    assert (dev["verdict"], train["verdict"]) == ("pass", "fail")
    assert "single-zone" in {v["policy"] for v in train["violations"] if v["level"] == "mandatory"}
    unanswered = _run(installed, elsewhere, "plan", "--project", str(project), "dev")
    assert unanswered.returncode == 2
    assert "aws:ssm/getParameter:getParameter" in unanswered.stderr and "Traceback" not in unanswered.stderr


def test_installed_pack_path_catalog_and_size(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, tmp_path, "pack-path")
    assert done.returncode == 0, done.stderr
    pack = Path(done.stdout.strip())
    assert pack.is_relative_to(installed) and (pack / "PulumiPolicy.yaml").is_file()
    catalog = _run(installed, tmp_path, "catalog")
    assert catalog.returncode == 0, catalog.stderr
    assert "p5.48xlarge" in catalog.stdout
    size = _run(installed, tmp_path, "size", "train", "--params", "70B", "--tokens", "2T", "--days", "30",
                "--format", "json")
    assert size.returncode == 0, size.stderr
    assert json.loads(size.stdout)["options"]


def test_installed_plan_without_a_project_says_to_pass_one(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, tmp_path, "plan")
    assert done.returncode == 2
    assert "no Pulumi.yaml in the current folder: pass --project DIR" in done.stderr
    assert "Traceback" not in done.stderr
