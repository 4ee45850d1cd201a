"""``LOADS``: what Backbone's program host imports once per cloud before it forks each stack's process. Every name
must be one that every stack of that cloud loads anyway (else the host would import, for every plan, a package
no program uses); a package the stacks load that is missing here costs speed only, so it is not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backbone.components.loads import LOADS
from backbone.stackfile import PROJECT_ROOT, find_stacks, read_stack

STACKS = find_stacks(PROJECT_ROOT / "stacks")

# In a fresh interpreter, the provider subpackages deferred name by name as in the program host: the program
# previewed in-process, then every module that is loaded (a subpackage whose __init__ has not run is not loaded)
PREVIEW = """
import json, sys
from pathlib import Path
import pulumi
from backbone import provider_imports
provider_imports.install()
import backbone.components.program
from backbone.engine import preview_function
from backbone.stackfile import read_stack
stack = read_stack(Path(sys.argv[1]))
preview_function(backbone.components.program.main, stack.name, stack.config)
print(json.dumps(sorted(name for name, module in sys.modules.items()
                        if not type(module).__name__.startswith("_Lazy") and not provider_imports.is_deferred(module))))
"""


def test_every_cloud_of_the_example_stacks_has_its_loads() -> None:
    assert {str(read_stack(path).config["backbone:cluster"]["cloud"]) for path in STACKS} == set(LOADS)


@pytest.mark.parametrize("path", STACKS, ids=lambda p: p.name)
def test_every_name_is_loaded_by_every_stack_of_its_cloud(path: Path) -> None:
    cloud = str(read_stack(path).config["backbone:cluster"]["cloud"])
    run = subprocess.run([sys.executable, "-c", PREVIEW, str(path)], capture_output=True, text=True, timeout=300,
                         cwd=PROJECT_ROOT, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    loaded = set(json.loads(run.stdout.splitlines()[-1]))
    assert set(LOADS[cloud]) <= loaded, sorted(set(LOADS[cloud]) - loaded)
