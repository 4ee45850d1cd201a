"""The layering of docs/explanation/package-layout.md, read from the source: ``backbone.core`` ← ``backbone.components``
← ``backbone.policies`` ← the command modules. The core and the pack import no provider SDK; no command imports
another command; no module reaches into another package's private names or modules.

Every ``import``, ``from … import`` and ``importlib.import_module("…")`` with a literal name is read (the pack and the
components import some modules inside functions to start fast; those count the same).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from backbone.help_text import COMMANDS

PACKAGE = Path(__file__).resolve().parent.parent / "backbone"
PROVIDER_SDKS = ("pulumi_aws", "pulumi_gcp", "pulumi_azure_native", "pulumi_kubernetes")


@dataclass(frozen=True)
class Import:
    importer: str  # the importing module, ``backbone.policies.rules.workload_fit``
    target: str  # the module imported, ``backbone.core.sizing``
    name: str | None  # the name taken from it (``from target import name``), None for ``import target``
    line: int

    def __str__(self) -> str:
        taken = f" ({self.name})" if self.name else ""
        return f"{self.importer}:{self.line} imports {self.target}{taken}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, importer: str, is_package: bool) -> Iterator[Import]:
    """Every import in ``source``, relative ones made absolute; ``from pkg import sub`` gives ``pkg.sub`` as
    target when the name is lower-case (a module by the house's naming), so ``from backbone import components``
    counts as importing ``backbone.components``; ``module._name`` on a module so imported counts as taking
    ``_name`` from it."""
    here = importer.split(".") if is_package else importer.split(".")[:-1]
    modules: dict[str, str] = {}  # a name bound to a Backbone module -> that module, for ``module._name``
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(importer, alias.name, None, node.lineno)
                if alias.asname:
                    modules[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                if base.startswith("backbone") and alias.name.islower() and not alias.name.startswith("_"):
                    yield Import(importer, f"{base}.{alias.name}", None, node.lineno)
                    modules[alias.asname or alias.name] = f"{base}.{alias.name}"
                yield Import(importer, base, alias.name, node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield Import(importer, node.args[0].value, None, node.lineno)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            yield Import(importer, modules[node.value.id], node.attr, node.lineno)


def all_imports(root: Path = PACKAGE) -> list[Import]:
    found: list[Import] = []
    for path in sorted(root.rglob("*.py")):
        found.extend(imports_of(path.read_text(encoding="utf-8"), module_name(path, root), path.name == "__init__.py"))
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def layering_problems(imports: list[Import], commands: set[str]) -> list[str]:
    """What breaks the layering, one line per import (empty when it holds)."""
    problems = []
    for each in imports:
        own = [layer for layer in ("backbone.core", "backbone.components", "backbone.policies")
               if within(each.importer, layer)]
        allowed = {"backbone.core": ("backbone.core",),
                   "backbone.components": ("backbone.core", "backbone.components"),
                   "backbone.policies": ("backbone.core", "backbone.policies")}
        if own and within(each.target, "backbone") and each.target != "backbone" \
                and not any(within(each.target, layer) for layer in allowed[own[0]]):
            problems.append(f"{each}: {own[0]} may import only {' and '.join(allowed[own[0]])} of Backbone")
        if own and own[0] in ("backbone.core", "backbone.policies") \
                and any(within(each.target, sdk) for sdk in PROVIDER_SDKS):
            problems.append(f"{each}: {own[0]} imports no provider SDK")
        command = next((c for c in commands if within(each.importer, c)), None)
        other = next((c for c in commands if within(each.target, c) and c != command), None)
        if command and other and not within(other, command):
            problems.append(f"{each}: a command does not import another command ({other})")
        if within(each.target, "backbone"):
            problems.extend(_private_problems(each))
    return problems


def _private_problems(each: Import) -> Iterator[str]:
    """A private part of a dotted name (``backbone.judging._stack_spec``, ``backbone.components.aws._facts``) is
    reached only from inside what holds it: a private name of a module from that module alone, a private module
    of a package from inside that package."""
    parts = each.target.split(".") + ([each.name] if each.name else [])
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            owner = ".".join(parts[:i])
            if not within(each.importer, owner):
                yield f"{each}: {'.'.join(parts[:i + 1])} is private to {owner}"
            return


def command_modules() -> set[str]:
    return {module for module, _ in COMMANDS.values()}


def test_the_layers_import_one_way_and_the_core_and_pack_import_no_provider_sdk() -> None:
    imports = all_imports()
    assert any(i.importer == "backbone.policies.rules.workload_fit" and i.target == "backbone.core.sizing"
               for i in imports), "the reader missed an import inside a function"
    assert layering_problems(imports, command_modules()) == []


def test_the_shared_modules_live_in_the_core() -> None:
    """The catalog, the workload models and the sizing model are used by all three layers: one copy, in the
    core, and none left behind in the components (no shim)."""
    for shared in ("catalog/__init__.py", "workload.py", "sizing.py", "spec_model.py"):
        assert (PACKAGE / "core" / shared).is_file()
    for moved in ("catalog", "sizing.py", "spec/workload.py", "spec/_base.py"):
        assert not (PACKAGE / "components" / moved).exists(), f"backbone/components/{moved} is back"
    # the component reference generator reads every component: it sits above them, next to backbone/docs.py
    assert (PACKAGE / "component_reference.py").is_file() and not (PACKAGE / "components" / "reference.py").exists()


@pytest.mark.parametrize(("importer", "source", "expected"), [
    ("backbone.core.sizing", "from backbone.components import catalog", "backbone.core may import only"),
    ("backbone.core.catalog.loader", "import pulumi_aws", "backbone.core imports no provider SDK"),
    ("backbone.components.spec.load", "from backbone.policies.rules import ALL_POLICIES",
     "backbone.components may import only"),
    ("backbone.components.aws.lustre", "from backbone.plan import main", "backbone.components may import only"),
    ("backbone.policies.inventory.aws", "from backbone.components.aws._facts import FACTS",
     "backbone.policies may import only"),
    ("backbone.policies.inventory.aws", "import importlib\nimportlib.import_module('pulumi_gcp.compute')",
     "backbone.policies imports no provider SDK"),
    ("backbone.policies.rules.workload_fit", "def f():\n    from backbone.components import sizing\n",
     "backbone.policies may import only"),
    ("backbone.audit", "from backbone.plan import run", "a command does not import another command"),
    ("backbone.audit", "from backbone.judging import _stack_spec", "_stack_spec is private to backbone.judging"),
    ("backbone.judging", "from backbone.components.aws._facts import FACTS",
     "backbone.components.aws._facts is private to backbone.components.aws"),
    ("backbone.policies.servicer", "from .inventory.common import _pool", "_pool is private to"),
    ("backbone.audit", "from backbone import judging\njudging._stack_spec(1)",
     "_stack_spec is private to backbone.judging"),
    ("backbone.audit", "import backbone.judging as j\nj._stack_spec(1)", "_stack_spec is private to backbone.judging"),
])
def test_the_check_finds_each_kind_of_break(importer: str, source: str, expected: str) -> None:
    found = layering_problems(list(imports_of(source, importer, False)), command_modules())
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(("importer", "source"), [
    ("backbone.components.spec.cluster", "from backbone.core.spec_model import SpecModel"),
    ("backbone.components.aws.cluster", "from backbone.components.aws._facts import FACTS"),
    ("backbone.components.aws._facts", "from ._common import tags"),
    ("backbone.policies.rules.workload_fit", "from backbone.core import sizing"),
    ("backbone.sizing.report", "from backbone.sizing.rank import rank"),
    ("backbone.plan", "from backbone.judging import judge"),
])
def test_the_check_lets_the_layering_through(importer: str, source: str) -> None:
    assert layering_problems(list(imports_of(source, importer, False)), command_modules()) == []
