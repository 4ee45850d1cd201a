"""A Pulumi Python project on disk (``backbone plan --project DIR``): its ``Pulumi.yaml`` and its stacks'
config, as the Pulumi CLI hands them to the program.

- ``Pulumi.yaml``: ``name``; ``main`` (a folder holding ``__main__.py``, or a ``.py`` file; default: the
  project folder); ``stackConfigDir`` (where ``Pulumi.<stack>.yaml`` live; default: the project folder);
  ``config:`` project-level values (``key: value`` or ``key: {value|default: …}``), overridden by a stack's.
- Every config namespace reaches the program: a bare key is the project's own (``vpcCidr`` →
  ``<name>:vpcCidr``), provider keys keep theirs (``aws:region``, ``gcp:project``, ``azure-native:location``).
  Structured values go as JSON, as the CLI passes them.
- ``secure:`` values (secrets, anywhere in a value): present, their value unknown offline — the program reads
  Pulumi's unknown sentinel, which a resource input carries to the pack as unknown. The ciphertext is never
  kept, so it cannot be printed.

Every fault is a ``ConfigError`` naming the file and what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backbone.core.errors import ConfigError, Problem
from backbone.engine import UNKNOWN
from backbone.safe_load import load_yaml, read_text
from backbone.stackfile import StackFile

__all__ = ["PROJECT_FILE", "ProgramConfig", "Project", "find_project", "program_config", "read_project"]

PROJECT_FILE = "Pulumi.yaml"
"""A ``Pulumi.yaml`` is a few lines; a bigger one is not a project file (and is not parsed)."""


@dataclass(frozen=True)
class Project:
    """One Pulumi project: where it is, what it runs, where its stacks live."""

    name: str
    root: Path
    program: Path
    """The program's entry file (``__main__.py`` of the ``main`` folder, or the ``main`` file)."""
    stack_dir: Path
    defaults: dict[str, Any]
    """Project-level config values from ``Pulumi.yaml``, keys already namespaced."""

    @property
    def program_dir(self) -> Path:
        """The folder the program runs in and imports its own modules from (as the Pulumi CLI runs it)."""
        return self.program.parent


@dataclass(frozen=True)
class ProgramConfig:
    """A stack's config as the program receives it: namespaced keys, string values, the secret keys."""

    values: dict[str, Any]
    secret_keys: tuple[str, ...]


def find_project(directory: Path) -> Path | None:
    """``directory`` when it holds a ``Pulumi.yaml`` (``backbone plan`` without ``--project``)."""
    return directory if (directory / PROJECT_FILE).is_file() else None


def _load(path: Path) -> Any:
    """``Pulumi.yaml`` within the limits of ``backbone.safe_load``."""
    if not path.exists():
        raise ConfigError([Problem("(project)", f"no {PROJECT_FILE} here: --project names the folder of a Pulumi "
                                   "project (the one holding Pulumi.yaml)", str(path))])
    return load_yaml(read_text(path, PROJECT_FILE), str(path)).data


def _inside(root: Path, relative: Any, key: str, where: str) -> Path:
    if not isinstance(relative, str) or not relative.strip():
        raise ConfigError([Problem(key, f"expected a path relative to the project folder, got {relative!r}", where)])
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ConfigError([Problem(key, f"{relative!r} leaves the project folder {root}", where)])
    return path


def _program(root: Path, main: Any, where: str) -> Path:
    folder = root if main is None else _inside(root, main, "main", where)
    if folder.is_file():
        if folder.suffix != ".py":
            raise ConfigError([Problem("main", f"{main!r} is not a Python file or a folder with __main__.py", where)])
        return folder
    entry = folder / "__main__.py"
    if not entry.is_file():
        named = "the project folder" if main is None else f"main: {main!r}"
        raise ConfigError([Problem("main", f"no __main__.py in {named} ({folder}); a Pulumi Python program's entry "
                                   "point is __main__.py, or set main: to the program's file or folder", where)])
    return entry


def _namespaced(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _defaults(config: Any, project: str, where: str) -> dict[str, Any]:
    """Project-level config (``config:`` of ``Pulumi.yaml``): a plain value, or a declaration with a
    ``value`` or ``default``; declarations without either only describe a key the stacks set."""
    if config is None:
        return {}
    if not isinstance(config, dict):
        raise ConfigError([Problem("config", f"expected a mapping of config keys, got {type(config).__name__}",
                                   where)])
    out: dict[str, Any] = {}
    for key, entry in config.items():
        if not isinstance(key, str):
            raise ConfigError([Problem("config", f"config keys are strings, got {key!r}", where)])
        if isinstance(entry, dict) and ({"type", "description", "default", "value", "secret", "items"} & set(entry)):
            if "value" in entry:
                out[_namespaced(key, project)] = entry["value"]
            elif "default" in entry:
                out[_namespaced(key, project)] = entry["default"]
        else:
            out[_namespaced(key, project)] = entry
    return out


def read_project(directory: Path) -> Project:
    """Reads ``directory/Pulumi.yaml``; a missing file, bad YAML, a non-Python runtime or a missing entry point
    is a ``ConfigError``."""
    root = directory.resolve()
    path = root / PROJECT_FILE
    where = str(path)
    if not root.is_dir():
        raise ConfigError([Problem("--project", "not a folder", str(directory))])
    data = _load(path)
    if not isinstance(data, dict):
        raise ConfigError([Problem("(top level)", "a Pulumi.yaml is a mapping with name: and runtime:", where)])
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError([Problem("name", f"the project's name is a non-empty string, got {name!r}", where)])
    runtime = data.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise ConfigError([Problem("runtime", f"backbone plans Python programs; this project's runtime is "
                                   f"{runtime_name!r}", where)])
    stack_dir = root if data.get("stackConfigDir") is None else _inside(root, data["stackConfigDir"],
                                                                        "stackConfigDir", where)
    return Project(name=name, root=root, program=_program(root, data.get("main"), where), stack_dir=stack_dir,
                   defaults=_defaults(data.get("config"), name, where))


def _without_secrets(value: Any) -> tuple[Any, bool]:
    """``value`` with every ``{secure: …}`` replaced by the unknown sentinel; True when one was found."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return UNKNOWN, True
        found = False
        out: dict[Any, Any] = {}
        for key, item in value.items():
            out[key], secret = _without_secrets(item)
            found = found or secret
        return out, found
    if isinstance(value, list):
        pairs = [_without_secrets(item) for item in value]
        return [item for item, _ in pairs], any(secret for _, secret in pairs)
    return value, False


def program_config(project: Project, stack: StackFile) -> ProgramConfig:
    """The project's defaults overlaid with the stack's values, namespaced, secrets unknown."""
    values: dict[str, Any] = dict(project.defaults)
    values.update({_namespaced(key, project.name): value for key, value in stack.config.items()})
    secret_keys: list[str] = []
    for key in list(values):
        values[key], secret = _without_secrets(values[key])
        if secret:
            secret_keys.append(key)
    return ProgramConfig(values=values, secret_keys=tuple(secret_keys))

