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

__all__ = ["LOADS", "build", "main", "read_spec"]

LOADS: dict[str, tuple[str, ...]] = {
    "aws": ("backbone.components.aws.cluster", "pulumi_aws.ec2", "pulumi_aws.eks", "pulumi_aws.iam",
            "pulumi_kubernetes.apiextensions", "pulumi_kubernetes.helm.v3"),
    "gcp": ("backbone.components.gcp.accelerator_cluster", "pulumi_gcp.compute", "pulumi_gcp.container",
            "pulumi_gcp.servicenetworking", "pulumi_gcp.storage", "pulumi_kubernetes.apiextensions",
            "pulumi_kubernetes.yaml.v2"),
    "azure": ("backbone.components.azure.accelerator_cluster", "pulumi_azure_native.authorization",
              "pulumi_azure_native.containerservice", "pulumi_azure_native.network",
              "pulumi_azure_native.resources", "pulumi_azure_native.storage", "pulumi_kubernetes.apiextensions",
              "pulumi_kubernetes.helm.v3", "pulumi_kubernetes.yaml.v2"),
}
"""Per cloud, what ``build`` loads for every stack of that cloud: the cloud's components and the provider SDK
packages they use whatever the stack holds (a bucket's ``pulumi_aws.s3`` or a file system's are left to the stacks
that have one). Backbone's program host imports them once and forks each stack's process from there; a name
missing here costs speed, never a result."""


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
