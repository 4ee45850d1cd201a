"""``backbone init [DIR] --cloud aws|gcp|azure --purpose training|inference``: writes a ready Pulumi project
built with Backbone's components, as ``pulumi new`` does — ``Pulumi.yaml``, ``__main__.py``, one stack
(``Pulumi.dev.yaml``, from Backbone's example stack of that cloud and purpose), ``requirements.txt`` and
``.gitignore``. It never overwrites: if any of those files exists, nothing is written (exit 2).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from backbone._version import __version__
from backbone.core.errors import ConfigError, Problem
from backbone.help_text import summary
from backbone.output import check_output, write_file

__all__ = ["EXAMPLES", "STACKS", "register", "write_project"]

STACKS = Path(__file__).resolve().parent / "stacks"
"""Backbone's example stacks, shipped in the package (the checkout's ``stacks/`` links here)."""
EXAMPLES = {
    ("aws", "training"): "aws-p5-train",
    ("aws", "inference"): "aws-g6-serve",
    ("gcp", "training"): "gcp-a3mega-train",
    ("gcp", "inference"): "gcp-l4-serve",
    ("azure", "training"): "azure-ndh100-train",
    ("azure", "inference"): "azure-nca100-serve",
}
"""The example stack each new project starts from."""
PROJECT_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
"""What Pulumi accepts as a project (or stack) name."""

PULUMI_YAML = """\
name: {name}
description: {purpose} accelerators on {cloud}, built with Backbone's components (backbone init {version})
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: venv
"""
MAIN = '''\
"""The Pulumi program: Backbone's components build the stack from its ``backbone:`` config (Pulumi.<stack>.yaml)."""

from backbone.components.program import main

main()
'''
REQUIREMENTS = """\
# Backbone (its components and policy pack) with the {cloud} provider SDK; `backbone --version` says which.
backbone[{cloud}]~={version}
"""
GITIGNORE = "venv/\n__pycache__/\n*.pyc\n"


def _files(name: str, cloud: str, purpose: str, stack: str) -> dict[str, str]:
    example = (STACKS / f"Pulumi.{EXAMPLES[cloud, purpose]}.yaml").read_text(encoding="utf-8")
    return {
        "Pulumi.yaml": PULUMI_YAML.format(name=name, cloud=cloud, purpose=purpose.capitalize(), version=__version__),
        "__main__.py": MAIN,
        f"Pulumi.{stack}.yaml": example,
        "requirements.txt": REQUIREMENTS.format(cloud=cloud, version=__version__),
        ".gitignore": GITIGNORE,
    }


def write_project(directory: Path, cloud: str, purpose: str, stack: str = "dev") -> list[Path]:
    """Writes the project into ``directory`` (created when missing); all or nothing: an existing file is a
    ``ConfigError`` before anything is written."""
    name = directory.resolve().name
    if not PROJECT_NAME.match(name):
        raise ConfigError([Problem("DIR", f"{name!r} cannot name a Pulumi project: letters, digits, '-', '_' and "
                                   "'.' only; choose another folder name", str(directory))])
    if not PROJECT_NAME.match(stack):
        raise ConfigError([Problem("--stack", f"{stack!r} is not a stack name: letters, digits, '-', '_' and '.' "
                                   "only (e.g. dev)")])
    files = {directory / file: text for file, text in _files(name, cloud, purpose, stack).items()}
    problems: list[Problem] = []
    for path in files:
        try:
            check_output(path, "DIR", force=False, what="project file")
        except ConfigError as exc:
            problems += [Problem(p.path, "exists: backbone init never overwrites; choose an empty folder", p.file)
                         for p in exc.problems]
    if problems:
        raise ConfigError(problems)
    for path, text in files.items():
        write_file(path, text, "DIR", force=False, what="project file")
    return list(files)


def _run(args: argparse.Namespace) -> int:
    directory = Path(args.dir)
    written = write_project(directory, args.cloud, args.purpose, args.stack)
    print(f"wrote {', '.join(p.name for p in written)} in {directory}", file=sys.stderr)
    print(f"""next:
  cd {directory}
  python -m venv venv && venv/bin/pip install -r requirements.txt
  backbone plan                       # offline: the policy pack's verdict on Pulumi.{args.stack}.yaml
  pulumi preview --stack {args.stack} --policy-pack "$(backbone pack-path)"   # with the Pulumi CLI and credentials""")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="write a new Pulumi project built with Backbone's components",
                       description=summary(__doc__))
    p.add_argument("dir", nargs="?", default=".", metavar="DIR", help="the project folder (default: the current one)")
    p.add_argument("--cloud", required=True, choices=("aws", "gcp", "azure"))
    p.add_argument("--purpose", required=True, choices=("training", "inference"))
    p.add_argument("--stack", default="dev", help="the stack's name (default: dev)")
    p.set_defaults(handler=_run)
