"""Provider subpackages loaded name by name in the program host (``backbone.provider_imports``): a program must see
exactly the objects the subpackage's own ``__init__`` would bind — the last star-import wins, a module bound by
``from . import`` is that module, a star-imported module without a literal ``__all__`` makes every name bound
before it unknown — and only what it uses is imported."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from backbone import provider_imports

ROOT = Path(__file__).resolve().parents[2]


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[Path]:
    """A provider-like package ``fakeprov`` on the path, forgotten afterwards."""
    sys.path.insert(0, str(tmp_path))
    yield tmp_path / "fakeprov"
    sys.path.remove(str(tmp_path))
    for name in [n for n in sys.modules if n == "fakeprov" or n.startswith("fakeprov.")]:
        del sys.modules[name]


def _package(root: Path, init: str, modules: dict[str, str]) -> None:
    _write(root, {"__init__.py": "", "sub/__init__.py": init,
                  **{f"sub/{name}": text for name, text in modules.items()}})


LOADED = "import sys\nsys.modules.setdefault('fakeprov.loaded', []).append(__name__)\n"


def test_the_last_star_import_wins_and_only_its_module_is_imported(fake: Path) -> None:
    _package(fake, "from .a import *\nfrom .b import *\nfrom . import c\n", {
        "a.py": LOADED + "__all__ = ['X', 'OnlyA']\nX = 'a'\nOnlyA = 'a'\n",
        "b.py": LOADED + "__all__ = ['X']\nX = 'b'\n",
        "c.py": LOADED + "Y = 'c'\n",
    })
    sub = provider_imports.lazy_import("fakeprov.sub")
    assert provider_imports.is_deferred(sub)
    assert sub.X == "b"
    assert sys.modules["fakeprov.loaded"] == ["fakeprov.sub.b"]  # a was never imported
    assert sub.c.Y == "c"  # bound by ``from . import c``: the module itself
    assert sub.OnlyA == "a"
    assert provider_imports.is_deferred(sub)  # its __init__ still has not run


def test_a_module_without_a_literal_all_makes_the_names_before_it_unknown(fake: Path) -> None:
    # ``from .b import *`` with no ``__all__`` in b may rebind X: only the __init__ itself can say which X wins
    _package(fake, "from .a import *\nfrom .b import *\nfrom .c import *\n", {
        "a.py": "__all__ = ['X']\nX = 'a'\n",
        "b.py": "X = 'b'\n",
        "c.py": "__all__ = ['Z']\nZ = 'c'\n",
    })
    sub = provider_imports.lazy_import("fakeprov.sub")
    assert sub.Z == "c" and provider_imports.is_deferred(sub)  # stated after b: known
    assert sub.X == "b"  # unknown: the __init__ ran, and b's X is the one it binds
    assert not provider_imports.is_deferred(sub)


def test_a_name_no_module_binds_runs_the_init_and_is_an_attribute_error(fake: Path) -> None:
    _package(fake, "from .a import *\nEXTRA = 'init'\n", {"a.py": "__all__ = ['X']\nX = 'a'\n"})
    sub = provider_imports.lazy_import("fakeprov.sub")
    assert sub.EXTRA == "init"  # bound by the __init__ itself, not by a module: the __init__ runs
    assert not provider_imports.is_deferred(sub)
    with pytest.raises(AttributeError):
        _ = sub.Missing
    assert provider_imports.lazy_import("fakeprov.sub") is sub  # registered once


def test_a_nested_subpackage_is_deferred_too_and_all_runs_the_init(fake: Path) -> None:
    _package(fake, "from .a import *\n", {"a.py": "__all__ = ['X']\nX = 'a'\n",
                                          "inner/__init__.py": "from .m import *\n",
                                          "inner/m.py": "__all__ = ['M']\nM = 'm'\n"})
    sub = provider_imports.lazy_import("fakeprov.sub")
    inner = sub.inner
    assert provider_imports.is_deferred(inner) and inner.M == "m"
    assert not hasattr(sub, "__all__")  # no __all__ in its __init__ either: asked for, the __init__ runs
    assert not provider_imports.is_deferred(sub)
    assert sub.X == "a"


# Each name of a real provider subpackage, taken name by name, then the subpackage's own __init__ run: every name
# must still be the very object it was (an __init__ that bound another object would rebind it).
SAME_OBJECTS = """
import json, sys
import pulumi
from backbone import provider_imports
provider_imports.install()
import importlib
names = {}
for package in sys.argv[1:]:
    module = importlib.import_module(package.rpartition(".")[0])
    sub = getattr(module, package.rpartition(".")[2])
    assert provider_imports.is_deferred(sub), package
    index = provider_imports._index(sub)
    names[package] = {name: getattr(sub, name) for name in sorted(index.names)}
    getattr(sub, "__all__", None)
    assert not provider_imports.is_deferred(sub)
changed = {p: [n for n, v in got.items() if getattr(sys.modules[p], n) is not v] for p, got in names.items()}
print(json.dumps({"changed": changed, "counts": {p: len(got) for p, got in names.items()}}))
"""


def test_real_provider_subpackages_bind_the_same_objects_name_by_name_as_their_init() -> None:
    packages = ["pulumi_aws.eks", "pulumi_kubernetes.helm.v3", "pulumi_gcp.container"]
    run = subprocess.run([sys.executable, "-c", SAME_OBJECTS, *packages], capture_output=True, text=True,
                         timeout=300, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.splitlines()[-1])
    assert found["changed"] == {p: [] for p in packages}
    assert found["counts"]["pulumi_aws.eks"] > 100 and found["counts"]["pulumi_gcp.container"] > 100, found["counts"]


ONE_RESOURCE = """
import sys
import pulumi
from backbone import provider_imports
provider_imports.install()
import pulumi_aws
import pulumi_kubernetes as k8s
from pulumi_aws import ec2
template = ec2.LaunchTemplate
release = k8s.helm.v3.Release
print(sum(1 for n in sys.modules if n.startswith("pulumi_aws.ec2.")), "requests" in sys.modules,
      template.__module__, release.__module__)
"""


def test_a_program_that_uses_one_resource_imports_its_module_not_the_subpackage() -> None:
    # pulumi_aws.ec2 has about 180 modules; a launch template needs its own, the types and the enums.
    # helm.v3's Release does not need the old Chart (helm.py), which imports requests.
    run = subprocess.run([sys.executable, "-c", ONE_RESOURCE], capture_output=True, text=True, timeout=300,
                         cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    count, requests, template, release = run.stdout.split()
    assert int(count) <= 5, count
    assert requests == "False"
    assert (template, release) == ("pulumi_aws.ec2.launch_template", "pulumi_kubernetes.helm.v3.Release")
