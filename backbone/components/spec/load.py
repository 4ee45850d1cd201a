"""From raw config values (a stack file's ``config:`` or ``pulumi.Config``) to typed specs, or a
``ConfigError`` with one ``Problem`` per fault: file, config path, what was wrong, what is allowed."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from backbone.components.spec.cluster import NAME, ClusterSpec
from backbone.core.errors import ConfigError, Problem
from backbone.core.workload import WorkloadSpec

__all__ = ["NAMESPACE", "StackSpec", "from_config", "path_of", "problems_of"]

NAMESPACE = "backbone"
_VALIDATOR_STEP = re.compile(r"^function-(after|before|wrap|plain)\[")


@dataclass(frozen=True)
class StackSpec:
    """Everything a stack declares under ``backbone:``."""

    cluster: ClusterSpec
    workload: BaseModel | None = None


def path_of(prefix: str, loc: tuple[int | str, ...]) -> str:
    """``('nodePools', 0, 'maxNodes')`` under ``backbone:cluster`` -> ``backbone:cluster.nodePools[0].maxNodes``."""
    out = prefix
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _short(value: Any) -> str:
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problems_of(exc: ValidationError, prefix: str, file: str | None = None) -> list[Problem]:
    """One readable problem per pydantic error."""
    problems = []
    for err in exc.errors(include_url=False):
        # Drop pydantic's validator steps (``function-after[…]``), not a user's key that starts like one.
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _VALIDATOR_STEP.match(p)))
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        elif err["type"] == "extra_forbidden":
            msg = f"unknown key {str(loc[-1])!r}: check its spelling (`backbone schema` lists the keys)"
        elif err["type"] == "missing":
            msg = "required, but missing"
        elif err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == NAME:
            got = _short(err["input"])
            msg = f"names are 1-40 lowercase letters, digits and '-', starting with a letter (got {got})"
        elif not isinstance(err.get("input"), dict | list):
            msg = f"{msg} (got {_short(err.get('input'))})"
        for line in msg.splitlines():  # a model's cross-field rules report one line per broken rule
            problems.append(Problem(path=path_of(prefix, loc), message=line, file=file))
    return problems


def _decode(key: str, raw: Any, file: str | None) -> Any:
    """``pulumi.Config`` hands structured values over as JSON text; a stack file as YAML values."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            raise ConfigError([Problem(key, "expected an object, got a string", file)]) from None
    return raw


MODELS: dict[str, type[BaseModel]] = {"cluster": ClusterSpec, "workload": WorkloadSpec}
REQUIRED = ("cluster",)


def _validate(key: str, raw: Any, file: str | None, problems: list[Problem]) -> BaseModel | None:
    path = f"{NAMESPACE}:{key}"
    try:
        return MODELS[key].model_validate(_decode(path, raw, file))
    except ValidationError as exc:
        problems.extend(problems_of(exc, path, file))
    except ConfigError as exc:
        problems.extend(exc.problems)
    return None


def from_config(values: Mapping[str, Any], file: str | None = None) -> StackSpec:
    """Validates the ``backbone:`` keys of ``values`` (keys with or without the namespace)."""
    problems: list[Problem] = []
    ours = {k.split(":", 1)[1]: v for k, v in values.items() if k.startswith(f"{NAMESPACE}:")}
    for key in sorted(set(ours) - set(MODELS)):
        problems.append(Problem(f"{NAMESPACE}:{key}", f"unknown config key; allowed: {', '.join(MODELS)}", file))
    for key in REQUIRED:
        if key not in ours:
            problems.append(Problem(f"{NAMESPACE}:{key}", "required, but missing", file))
    specs = {key: _validate(key, ours[key], file, problems) for key in MODELS if key in ours}
    cluster = specs.get("cluster")
    if problems or not isinstance(cluster, ClusterSpec):
        raise ConfigError(problems)
    return StackSpec(cluster=cluster, workload=specs.get("workload"))
