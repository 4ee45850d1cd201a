"""Installed use: the built wheel, installed with one extra (``[aws]``) and not editable into a fresh virtualenv,
gives a ``backbone`` that plans from an unrelated folder — a Backbone AWS stack file and an outside project — with
no GCP or Azure SDK installed, and names the extra a GCP stack needs.

How this stays offline and honest: the wheel is built from a copy of the sources (``pip wheel --no-deps
--no-build-isolation``: no index). The fresh virtualenv is created without system site-packages. Its third-party
dependencies (pulumi, the provider SDKs — hundreds of MB) cannot be downloaded in a test, so a folder of links to
the shared test environment's distributions *except* the GCP and Azure SDKs and Backbone itself stands in for the
index's copies; one ``.pth`` file adds it after the fresh site-packages (Python does not run the ``.pth`` files of
a folder added that way, so the shared environment's editable Backbone stays out). The wheel is then installed with
``--no-index 'backbone-….whl[aws]'``: pip resolves the extra's requirements against what is there and fails if
the extra needed anything missing (the GCP SDK, say). A build or install that fails is a failure, never a skip.
That the wheel *declares* every third-party module its code imports is checked separately against its
metadata."""

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
from tests.hostile.conftest import alive
from tests.hostile.programs import OWN_COMPONENTS, SPINS, USES_OWN_COMPONENTS, group_members, project, spun

OWN = ("backbone",)
EXAMPLE = PROJECT_ROOT / "examples" / "aws-eks-gpu"


def _clean_env() -> dict[str, str]:
    """The environment without the test's PYTHONPATH (which points at the checkout)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
    assert built.returncode == 0, f"pip could not build the wheel offline: {built.stderr.strip()[-2000:]}"
    (found,) = dist.glob("backbone-*.whl")
    return found


def _metadata(wheel: Path, extra: str | None = None) -> tuple[list[str], set[str]]:
    """The wheel's file names, and the distributions it requires (with ``extra``: that extra's too)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(meta).decode())
    declared = message.get_all("Requires-Dist") or []
    wanted = {None, extra}
    return names, {_name(r) for r in declared if _extra(r) in wanted and _name(r) != "backbone"}


def _extra(requirement: str) -> str | None:
    found = re.search(r"""extra\s*==\s*["']([^"']+)["']""", requirement)
    return found.group(1) if found else None


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
                     "backbone/core/catalog/data/aws.yaml"):
        assert required in names
    assert {name.split("/")[0] for name in names if "/" in name and ".dist-info" not in name} == {"backbone"}


def _guarded(tree: ast.AST) -> set[int]:
    """Imports inside ``try: … except ImportError`` — an optional extra's, with a message when it is missing."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(isinstance(h.type, ast.Name) and h.type.id in
                                             ("ImportError", "ModuleNotFoundError") for h in node.handlers):
            ids.update(id(n) for stmt in node.body for n in ast.walk(stmt)
                       if isinstance(n, ast.Import | ast.ImportFrom))
    return ids


def _third_party_imports(paths: list[Path], optional: bool = False) -> set[str]:
    """Third-party modules imported at run time (``optional``: only those guarded as an extra's)."""
    found: set[str] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = _guarded(tree)
        for node in ast.walk(tree):
            if (id(node) in guarded) != optional:
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in OWN and m != "__future__"}


COMPONENTS = PROJECT_ROOT / "backbone" / "components"
EXTRA_CODE = {cloud: [COMPONENTS / cloud, COMPONENTS / "runtime"] for cloud in ("aws", "gcp", "azure")}
"""The code only a cloud's extra serves: its components and the Kubernetes runtime layer they build."""


def _modules_of(extra: str | None) -> list[Path]:
    if extra is not None:
        return [p for folder in EXTRA_CODE[extra] for p in folder.rglob("*.py")]
    served = {p for folders in EXTRA_CODE.values() for folder in folders for p in folder.rglob("*.py")}
    return [p for p in (PROJECT_ROOT / "backbone").rglob("*.py") if p not in served]


@pytest.mark.parametrize("extra", [None, "aws", "gcp", "azure"])
def test_every_runtime_import_is_a_declared_dependency(wheel: Path, extra: str | None) -> None:
    """The core's imports are core dependencies; a cloud's components import only what its extra brings."""
    _, declared = _metadata(wheel, extra)
    runtime = _closure(declared)
    providers = packages_distributions()
    missing = {}
    for module in sorted(_third_party_imports(_modules_of(extra))):
        dists = {_name(d) for d in providers.get(module, [])}
        if not dists & runtime:
            missing[module] = sorted(dists) or ["(not installed)"]
    assert not missing, f"imported at run time but not a dependency of backbone[{extra or ''}]: {missing}"


def test_every_optional_import_is_a_declared_extra() -> None:
    """An import guarded by ``except ImportError`` (``--plot`` needs matplotlib) belongs to an extra of
    pyproject.toml, so `pip install 'backbone[…]'` — the advice its error gives — brings it."""
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for reqs in project["optional-dependencies"].values() for r in reqs}
    declared |= {_name(r) for r in project["dependencies"]}  # a guarded import of a runtime dependency is fine
    every = list((PROJECT_ROOT / "backbone").rglob("*.py"))
    optional = {_name(m) for m in _third_party_imports(every, optional=True)}
    assert "matplotlib" in optional
    assert optional <= declared, f"guarded imports missing from every extra: {optional - declared}"


def test_the_all_extra_is_every_cloud(wheel: Path) -> None:
    every = set().union(*(_metadata(wheel, cloud)[1] for cloud in ("aws", "gcp", "azure")))
    _, core = _metadata(wheel)
    assert {"pulumi-aws", "pulumi-gcp", "pulumi-azure-native", "pulumi-kubernetes"} <= every - core
    with zipfile.ZipFile(wheel) as archive:
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(meta).decode()
    assert re.search(r"Requires-Dist: backbone\[(aws,gcp,azure|aws,azure,gcp)\]; extra == .all.", text), text


LEFT_OUT = ("pulumi_gcp", "pulumi_azure_native", "backbone", "__editable__")
"""What the stand-in for the index lacks: the GCP and Azure SDKs, and the shared environment's own Backbone."""


def _without_gcp_and_azure(folder: Path) -> Path:
    """Links to the shared environment's installed distributions, less ``LEFT_OUT``."""
    folder.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.lower().startswith(LEFT_OUT):
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fresh")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, env=_clean_env()).stdout.strip()
    (Path(purelib) / "_shared_third_party.pth").write_text(f"{_without_gcp_and_azure(root / 'index')}\n")
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-index",
                           f"{wheel}[aws]"], capture_output=True, text=True, env=_clean_env(), timeout=600)
    assert done.returncode == 0, f"the wheel with [aws] did not install offline: {done.stderr.strip()[-2000:]}"
    return venv


def test_the_aws_extra_brings_no_gcp_or_azure_sdk(installed: Path, tmp_path: Path) -> None:
    sdks = ("pulumi_aws", "pulumi_kubernetes", "pulumi_gcp", "pulumi_azure_native")
    code = f"import importlib.util as u; print([m for m in {sdks!r} if u.find_spec(m)])"
    found = subprocess.run([str(installed / "bin" / "python"), "-c", code], cwd=tmp_path, capture_output=True,
                           text=True, check=True, env=_clean_env()).stdout.strip()
    assert found == "['pulumi_aws', 'pulumi_kubernetes']"


def _run(venv: Path, cwd: Path, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "backbone"), *argv], cwd=cwd, capture_output=True, text=True,
                          env={**_clean_env(), **(env or {})}, timeout=900)


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


def _files_of(venv: Path) -> set[Path]:
    return {p for p in venv.rglob("*") if "__pycache__" not in p.parts}


def test_installed_backbone_plans_its_own_stack_files_from_an_unrelated_folder(installed: Path,
                                                                                tmp_path: Path) -> None:
    for stack in ("aws-g6-serve", "gcp-l4-serve"):
        shutil.copy(PROJECT_ROOT / "stacks" / f"Pulumi.{stack}.yaml", tmp_path)
    before = _files_of(installed)
    version = _run(installed, tmp_path, "--version")
    assert (version.returncode, version.stdout) == (0, f"backbone {_metadata_version(installed)}\n")
    done = _run(installed, tmp_path, "plan", "Pulumi.aws-g6-serve.yaml", "--format", "json")
    assert done.returncode == 0, done.stderr
    [stack] = json.loads(done.stdout)["stacks"]
    assert (stack["stack"], stack["cloud"], stack["verdict"]) == ("aws-g6-serve", "aws", "pass")
    assert stack["file"] == "Pulumi.aws-g6-serve.yaml"
    gcp = _run(installed, tmp_path, "plan", "Pulumi.gcp-l4-serve.yaml")
    assert gcp.returncode == 2
    assert "Pulumi.gcp-l4-serve.yaml: backbone:cluster.cloud: Backbone's gcp components need pulumi-gcp" in gcp.stderr
    assert "pip install 'backbone[gcp]'" in gcp.stderr
    for output in (done.stdout, done.stderr, gcp.stderr):
        assert "site-packages" not in output and "Traceback" not in output
    assert _files_of(installed) == before, "nothing is written into the installation"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups, /proc")
def test_installed_backbone_keeps_the_users_program_in_a_process_of_its_own(installed: Path, tmp_path: Path) -> None:
    """Issue 19's "done when", on the installed wheel from an unrelated folder: a project with its own top-level
    ``components`` package that writes to file descriptor 1 leaves ``--format json`` valid; a program that ignores
    SIGALRM and SIGTERM, forks and spins is stopped at ``BACKBONE_PREVIEW_SECONDS`` with exit 2 or 3 and leaves no
    process; neither writes anything into the installation."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _files_of(installed)
    writes = "import os\nos.write(1, b'{raw fd 1, not json\\n')\nprint('printed')\n" + USES_OWN_COMPONENTS
    own = project(tmp_path / "own", writes, files=OWN_COMPONENTS)
    done = _run(installed, elsewhere, "plan", "--project", str(own), "--format", "json")
    assert done.returncode == 0, done.stderr
    (stack,) = json.loads(done.stdout)["stacks"]  # stdout holds the report and nothing else
    assert stack["accelerators_max"] == 16  # 2 × p5.48xlarge (8 H100 each), built by the project's components
    assert "{raw fd 1, not json" in done.stderr.splitlines()  # shown as the program's output

    spins = project(tmp_path / "spins", SPINS)
    stopped = _run(installed, elsewhere, "plan", "--project", str(spins), "--format", "json",
                   env={"BACKBONE_PREVIEW_SECONDS": "3"})
    assert stopped.returncode in (2, 3), stopped.stderr
    assert "the program ran longer than 3 s (BACKBONE_PREVIEW_SECONDS)" in stopped.stderr
    assert "Traceback" not in stopped.stderr and "site-packages" not in stopped.stderr
    pids, groups = spun(spins)
    assert len(pids) == 4 and len(groups) == 1  # the program and its three forks
    (pgid,) = groups
    assert not group_members(pgid) and not any(alive(pid) for pid in pids), "a process of the program is left"
    assert _files_of(installed) == before, "nothing is written into the installation"


def _metadata_version(venv: Path) -> str:
    code = "from importlib.metadata import version; print(version('backbone'))"
    return subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, check=True,
                          env=_clean_env()).stdout.strip()


def test_installed_init_writes_a_project_that_plans(installed: Path, tmp_path: Path) -> None:
    done = _run(installed, tmp_path, "init", "train", "--cloud", "aws", "--purpose", "training")
    assert done.returncode == 0, done.stderr
    planned = _run(installed, tmp_path / "train", "plan", "--format", "json")
    assert planned.returncode == 0, planned.stderr
    [stack] = json.loads(planned.stdout)["stacks"]
    assert (stack["stack"], stack["cloud"]) == ("dev", "aws")
