"""``Workload``: records a stack's declared workload (``backbone:workload``) in the resource graph.

It creates no cloud resource. Its inputs are the workload as plain camelCase data — the shape of the stack
file — so the policy pack, which sees only what the Pulumi engine sends it, can judge the stack against its
workload under ``pulumi preview`` as well as under ``backbone plan``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pydantic import BaseModel

from backbone.core.workload import WorkloadSpec

__all__ = ["TYPE", "Workload"]

TYPE = "backbone:index:Workload"


def _spec(workload: BaseModel | Mapping[str, Any]) -> WorkloadSpec:
    """The workload validated: a ``WorkloadSpec`` as is; plain data (or a model of it) through the spec."""
    if isinstance(workload, WorkloadSpec):
        return workload
    data = workload.model_dump(by_alias=True) if isinstance(workload, BaseModel) else dict(workload)
    return WorkloadSpec.model_validate(data)


class Workload(pulumi.ComponentResource):
    """The declared workload of a stack (a training run or an inference service)."""

    kind: pulumi.Output[str]
    """``training`` or ``inference``."""

    def __init__(self, name: str, workload: BaseModel | Mapping[str, Any],
                 opts: pulumi.ResourceOptions | None = None) -> None:
        data = _spec(workload).to_config()
        super().__init__(TYPE, name, data, opts)
        self.kind = pulumi.Output.from_input(str(data["kind"]))
        self.register_outputs({"kind": self.kind})
