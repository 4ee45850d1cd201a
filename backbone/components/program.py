"""What the Pulumi program does: read ``backbone:`` config through ``pulumi.Config``, validate it with
the spec models, and build the cloud's ``AcceleratorCluster``. ``__main__.py`` only calls ``main()``."""

from __future__ import annotations

import importlib
from typing import Any

import pulumi

from backbone.components.spec import NAMESPACE, StackSpec, from_config
from backbone.components.spec.load import MODELS
from backbone.components.workload import Workload
from backbone.core.errors import ConfigError

__all__ = ["build", "main", "read_spec"]


def read_spec() -> StackSpec:
    """The stack's spec from Pulumi config; a ``ConfigError`` lists every problem."""
    cfg = pulumi.Config(NAMESPACE)
    values: dict[str, Any] = {}
    for key in MODELS:
        raw = cfg.get(key)
        if raw is not None:
            values[f"{NAMESPACE}:{key}"] = raw
    return from_config(values, file=f"stacks/Pulumi.{pulumi.get_stack()}.yaml")


def build(spec: StackSpec) -> pulumi.ComponentResource:
    """Builds the stack's resources from its spec with the components of its cloud."""
    cloud = importlib.import_module(f"backbone.components.{spec.cluster.cloud}")
    cluster: pulumi.ComponentResource = cloud.AcceleratorCluster(spec.cluster.name, spec.cluster)
    if spec.workload is not None:
        Workload(f"{spec.cluster.name}-workload", spec.workload)
    return cluster


def main() -> None:
    try:
        spec = read_spec()
    except ConfigError as exc:
        raise pulumi.RunError(f"invalid stack config:\n{exc}") from None
    build(spec)
