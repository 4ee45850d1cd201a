"""Stack files (``stacks/Pulumi.<stack>.yaml``): find them, read their ``config:`` map, and locate a
config path's line for reports. Every fault is a ``ConfigError`` naming the file."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from backbone.core.errors import ConfigError, Problem
from backbone.plan_ahead import PROJECT_ROOT
from backbone.safe_load import load_yaml, read_text

__all__ = ["PROJECT_ROOT", "StackFile", "find_stacks", "read_stack", "shown_path"]

PREFIX, SUFFIX = "Pulumi.", ".yaml"


def shown_path(path: Path | str) -> str:
    """A file as reports show it: relative to the current folder (a repository's root in CI, as code scanning
    expects) when it lies inside it, else as given; through links as given (the checkout's ``stacks`` is a link
    to ``backbone/stacks``, shown as ``stacks/…``)."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class StackFile:
    """One stack file: its name, path, config values and the line of each config path."""

    name: str
    path: Path
    config: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def display_path(self) -> str:
        return shown_path(self.path)

    def line_of(self, config_path: str) -> int | None:
        """The line of ``backbone:cluster.nodePools[0].maxNodes``, or of its nearest enclosing key."""
        path = config_path
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            if cut <= 0:
                break
            path = path[:cut]
        return self.lines.get(path)


def find_stacks(stacks_dir: Path) -> list[Path]:
    return sorted(stacks_dir.glob(f"{PREFIX}*{SUFFIX}"))


def _stack_name(path: Path) -> str:
    name = path.name
    if not (name.startswith(PREFIX) and name.endswith(SUFFIX)):
        raise ConfigError([Problem("(file name)", f"a stack file is named {PREFIX}<stack>{SUFFIX}", str(path))])
    return name[len(PREFIX) : -len(SUFFIX)]


def _index_lines(node: yaml.Node, prefix: str, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            path = f"{prefix}.{key.value}" if prefix else str(key.value)
            out[path] = key.start_mark.line + 1
            _index_lines(value, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}[{i}]"
            out[path] = item.start_mark.line + 1
            _index_lines(item, path, out)


def read_stack(path: Path, display: str | None = None) -> StackFile:
    """Reads a stack file within the limits of ``backbone.safe_load``; a missing file, bad YAML or a wrong
    shape is a ``ConfigError``."""
    where = display or str(path)
    parsed = load_yaml(read_text(path, "stack file"), where)
    root, data = parsed.root, parsed.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([Problem("(top level)", "a stack file is a mapping with a 'config:' key", where)])
    config = data.get("config", {})
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ConfigError([Problem("config", f"expected a mapping of config keys, got {type(config).__name__}",
                                   where)])
    bad = [k for k in config if not isinstance(k, str)]
    if bad:
        raise ConfigError([Problem("config", f"config keys are strings, got {bad[0]!r}", where)])
    lines: dict[str, int] = {}
    if root is not None:
        for key, value in root.value if isinstance(root, yaml.MappingNode) else ():
            if isinstance(key, yaml.ScalarNode) and key.value == "config":
                _index_lines(value, "", lines)
    return StackFile(name=_stack_name(path), path=path, config=config, lines=lines)
