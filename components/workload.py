"""``Workload``: records a stack's declared workload (``backbone:workload``) in the resource graph.

It creates no cloud resource. Its inputs are the workload as plain camelCase data — the shape of the stack
file — so the policy pack, which sees only what the Pulumi engine sends it, can judge the stack against its
workload under ``pulumi preview`` as well as under ``backbone plan``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from components.spec.workload import WorkloadSpec

__all__ = ["TYPE", "Workload"]

TYPE = "backbone:index:Workload"


class Workload(pulumi.ComponentResource):
    """The declared workload of a stack (a training run or an inference service)."""

    kind: pulumi.Output[str]
    """``training`` or ``inference``."""

    def __init__(self, name: str, workload: WorkloadSpec | Mapping[str, Any],
                 opts: pulumi.ResourceOptions | None = None) -> None:
        spec = workload if isinstance(workload, WorkloadSpec) else WorkloadSpec.model_validate(dict(workload))
        data = spec.to_config()
        super().__init__(TYPE, name, data, opts)
        self.kind = pulumi.Output.from_input(str(data["kind"]))
        self.register_outputs({"kind": self.kind})
