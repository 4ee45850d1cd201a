"""``backbone plan [STACK…]``: preview each stack offline and print what it would provision.

(First cut: resources by type. The capacity summary and the policy verdict build on the pack's inventory.)
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from backbone.engine import preview
from backbone.stackfile import PROJECT_ROOT, find_stacks, read_stack
from components.errors import ConfigError, Problem
from components.spec import from_config

__all__ = ["register"]


def _stack_paths(names: list[str], stacks_dir: Path) -> list[Path]:
    if not names:
        found = find_stacks(stacks_dir)
        if not found:
            raise ConfigError([Problem("(stacks)", "no Pulumi.<stack>.yaml files", str(stacks_dir))])
        return found
    paths = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix in (".yaml", ".yml") or candidate.exists():
            paths.append(candidate)
        else:
            paths.append(stacks_dir / f"Pulumi.{name}.yaml")
    return paths


def _run(args: argparse.Namespace) -> int:
    for path in _stack_paths(args.stacks, Path(args.stacks_dir)):
        stack = read_stack(path, display=str(path))
        from_config(stack.config, file=str(path))
        result = preview(stack)
        print(f"== {stack.name}: {len(result.resources)} resources")
        for type_, count in sorted(Counter(r.type for r in result.resources).items()):
            print(f"  {count:4d}  {type_}")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("plan", help="preview stacks offline and judge them with the policy pack")
    p.add_argument("stacks", nargs="*", help="stack names or files (default: every stack in stacks/)")
    p.add_argument("--stacks-dir", default=str(PROJECT_ROOT / "stacks"))
    p.set_defaults(handler=_run)
