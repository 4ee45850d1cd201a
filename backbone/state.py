"""Reading a ``pulumi stack export`` (deployment version 3) into the resources an analyzer receives.

A state holds, per resource, ``urn``, ``type``, ``custom``, ``id``, ``inputs``, ``outputs``, ``parent``,
``provider`` (a ``<provider urn>::<provider id>`` reference), ``dependencies`` and ``propertyDependencies``.
Each resource becomes two ``RecordedResource`` views — the one record the analyzer client speaks — as
``pulumi policy analyze`` sends them: its inputs (for Analyze, what a resource policy sees during a
deployment) and its outputs (for AnalyzeStack, the final state), with the inputs filling any key the
outputs lack (a component's declared inputs, a key a provider does not echo).

Values are what the state records, with three translations:

- a secret is a ciphertext object the stack's secrets provider alone can decrypt: it reaches the pack as
  an unknown value (a policy that needs it says "cannot verify"), never as its ciphertext; a secret exported
  with ``--show-secrets`` carries its plaintext and reaches the pack as a secret value. Either way reports
  never print it (``DeployedStack.secrets`` lists the plaintexts a report must mask);
- a resource reference becomes the referenced resource's id (or URN), as a provider would read it;
- an id that another resource of the state has is a link: where the state records no property dependency
  for an input whose value is exactly one other resource's id (an imported resource, an id written into the
  program), the dependency is added, so the pack follows the same graph links it follows in a preview.

Resources pending deletion (``delete: true``) are left out, as the engine leaves them out of an analysis.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import struct_pb2

from backbone.core.errors import ConfigError, Problem
from backbone.engine import UNKNOWN, RecordedResource
from backbone.safe_load import STATE_BYTES, STATE_NODES, load_json, read_text

__all__ = ["DeployedStack", "StateResource", "read_state"]

SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass(frozen=True)
class StateResource:
    """One resource of a deployment, its values translated for the pack (see the module docstring)."""

    urn: str
    type: str
    custom: bool
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    parent: str
    provider: str
    """The provider's URN (the state's reference without its ``::<id>``), empty for a component."""
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]

    def recorded(self, properties: dict[str, Any]) -> RecordedResource:
        struct = struct_pb2.Struct()
        struct.update(properties)
        return RecordedResource(type=self.type, name=self.name, urn=self.urn, custom=self.custom,
                                parent=self.parent, dependencies=list(self.dependencies),
                                property_dependencies={k: list(v) for k, v in self.property_dependencies.items()},
                                properties=struct)

    def as_analyzed(self) -> RecordedResource:
        """The resource as Analyze receives it: its inputs."""
        return self.recorded(self.inputs)

    def as_deployed(self) -> RecordedResource:
        """The resource as AnalyzeStack receives it: its outputs, the inputs filling what they lack."""
        return self.recorded({**self.inputs, **self.outputs})


@dataclass(frozen=True)
class DeployedStack:
    """A stack's deployment as read from its export."""

    project: str
    stack: str
    file: str
    resources: tuple[StateResource, ...]
    secrets: frozenset[str] = field(default_factory=frozenset)
    """Plaintexts of secrets exported with ``--show-secrets``: a report masks them wherever they appear."""
    encrypted: tuple[str, ...] = ()
    """``<resource>.<property>`` of every value the export keeps encrypted (unknown to the pack)."""


class _Values:
    """Translates a state's values (secrets, resource references) and remembers the secrets it saw."""

    def __init__(self) -> None:
        self.plaintexts: set[str] = set()
        self.encrypted: list[str] = []

    def translate(self, value: Any, where: str) -> Any:
        if isinstance(value, list):
            return [self.translate(v, where) for v in value]
        if not isinstance(value, dict):
            return value
        sig = value.get(SIG)
        if sig == SECRET_SIG:
            return self._secret(value, where)
        if sig == RESOURCE_SIG:
            return value.get("id") or value.get("urn") or UNKNOWN
        if sig == OUTPUT_SIG:
            return self.translate(value["value"], where) if "value" in value else UNKNOWN
        return {k: self.translate(v, f"{where}.{k}") for k, v in value.items()}

    def _secret(self, value: dict[str, Any], where: str) -> Any:
        if "plaintext" not in value:  # ciphertext only: the secrets provider alone can read it
            self.encrypted.append(where)
            return UNKNOWN
        try:
            plain = load_json(value["plaintext"], where) if isinstance(value["plaintext"], str) else None
        except ConfigError:
            plain = value["plaintext"]
        self._remember(plain)
        return {SIG: SECRET_SIG, "value": self.translate(plain, where)}

    def _remember(self, plain: Any) -> None:
        """Strings of four characters or more (a shorter one would mask ordinary words of a message)."""
        if isinstance(plain, str) and len(plain) >= 4:
            self.plaintexts.add(plain)
        elif isinstance(plain, dict):
            for v in plain.values():
                self._remember(v)
        elif isinstance(plain, list):
            for v in plain:
                self._remember(v)


def _load(path: Path) -> Any:
    """The export, read within the bounds of ``backbone.safe_load`` (a state is larger than a stack file)."""
    return load_json(read_text(path, "state", STATE_BYTES), str(path), STATE_NODES)


def _resources(data: Any, file: str) -> list[Any]:
    if not isinstance(data, dict) or "deployment" not in data:
        raise ConfigError([Problem("(top level)", "not a stack export: expected an object with `version` and "
                                                  "`deployment` (the output of `pulumi stack export`)", file)])
    if data.get("version") != 3:
        raise ConfigError([Problem("version", f"deployment version {data.get('version')!r}; only version 3 (the "
                                              f"format of `pulumi stack export` since Pulumi 3) is read", file)])
    deployment = data["deployment"]
    resources = deployment.get("resources") if isinstance(deployment, dict) else None
    if resources is None:
        resources = []
    if not isinstance(resources, list):
        raise ConfigError([Problem("deployment.resources", "expected a list of resources", file)])
    return resources


def _strings(value: Any) -> list[str] | None:
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) else None


def _resource(raw: Any, index: int, values: _Values, file: str, problems: list[Problem]) -> StateResource | None:
    where = f"deployment.resources[{index}]"
    if not isinstance(raw, dict):
        problems.append(Problem(where, "expected an object", file))
        return None
    urn, type_ = raw.get("urn"), raw.get("type")
    if not isinstance(urn, str) or not urn.startswith("urn:pulumi:") or not isinstance(type_, str) or not type_:
        problems.append(Problem(where, "a resource needs `urn` (urn:pulumi:…) and `type`", file))
        return None
    bad = [key for key, check in (("inputs", dict), ("outputs", dict), ("propertyDependencies", dict),
                                  ("dependencies", list), ("parent", str), ("provider", str), ("id", str))
           if raw.get(key) is not None and not isinstance(raw[key], check)]
    deps = _strings(raw.get("dependencies") or [])
    prop_deps = {k: v or [] for k, v in (raw.get("propertyDependencies") or {}).items()} \
        if isinstance(raw.get("propertyDependencies"), dict) else {}
    if deps is None or any(_strings(v) is None for v in prop_deps.values()):
        bad.append("dependencies / propertyDependencies (lists of URNs)")
    if bad:
        problems.append(Problem(where, f"{urn}: wrong type of {', '.join(bad)}", file))
        return None
    name = urn.rsplit("::", 1)[-1]
    provider = raw.get("provider") or ""
    return StateResource(
        urn=urn, type=type_, custom=bool(raw.get("custom", False)), id=raw.get("id") or "",
        inputs=values.translate(raw.get("inputs") or {}, name),
        outputs=values.translate(raw.get("outputs") or {}, name),
        parent=raw.get("parent") or "",
        provider=provider.rsplit("::", 1)[0] if "::" in provider else provider,
        dependencies=list(deps or []),
        property_dependencies={k: list(v) for k, v in prop_deps.items()},
    )


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings_in(v)


def _link_by_id(resources: list[StateResource]) -> None:
    """Adds the property dependencies the ids in the inputs imply, where the state records none."""
    owners: dict[str, list[str]] = {}
    for r in resources:
        if r.custom and r.id and not r.type.startswith("pulumi:providers:"):
            owners.setdefault(r.id, []).append(r.urn)
    for r in resources:
        for key, value in r.inputs.items():
            if key in r.property_dependencies:
                continue
            linked = [owners[s][0] for s in _strings_in(value) if len(owners.get(s, ())) == 1
                      and owners[s][0] != r.urn]
            if linked:
                r.property_dependencies[key] = list(dict.fromkeys(linked))
                r.dependencies.extend(u for u in linked if u not in r.dependencies)


def _names(resources: list[StateResource], file: str) -> tuple[str, str]:
    """(project, stack) from the stack resource's URN ``urn:pulumi:<stack>::<project>::…``."""
    for r in resources:
        parts = r.urn.split("::")
        if r.type == STACK_TYPE or len(parts) >= 4:
            return parts[1], parts[0].removeprefix("urn:pulumi:")
    return "", Path(file).stem


def read_state(path: Path) -> DeployedStack:
    """The deployment in ``path`` (the output of ``pulumi stack export [--show-secrets]``); a ``ConfigError``
    naming the file and the entry for anything else."""
    file = str(path)
    values = _Values()
    problems: list[Problem] = []
    resources: list[StateResource] = []
    for index, raw in enumerate(_resources(_load(path), file)):
        if isinstance(raw, dict) and raw.get("delete") is True:
            continue
        resource = _resource(raw, index, values, file, problems)
        if resource is not None:
            resources.append(resource)
    if problems:
        raise ConfigError(problems)
    if not resources:
        raise ConfigError([Problem("deployment.resources", "the stack has no resources: nothing to audit", file)])
    _link_by_id(resources)
    project, stack = _names(resources, file)
    return DeployedStack(project=project, stack=stack, file=file, resources=tuple(resources),
                         secrets=frozenset(values.plaintexts), encrypted=tuple(dict.fromkeys(values.encrypted)))
