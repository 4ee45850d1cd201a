"""``backbone schema``: the JSON Schema of the stack config, for editors."""

from __future__ import annotations

import argparse
import json
from typing import Any

from components.spec import ClusterSpec

__all__ = ["register", "stack_schema"]


def stack_schema() -> dict[str, Any]:
    """JSON Schema of a ``stacks/Pulumi.<stack>.yaml`` file's ``config:`` block."""
    properties: dict[str, Any] = {"backbone:cluster": {"$ref": "#/$defs/ClusterSpec"}}
    defs: dict[str, Any] = {}
    cluster = ClusterSpec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    defs.update(cluster.pop("$defs", {}))
    defs["ClusterSpec"] = cluster
    try:
        from components.spec.workload import WorkloadSpec
    except ImportError:
        pass
    else:
        workload = WorkloadSpec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(workload.pop("$defs", {}))
        defs["WorkloadSpec"] = workload
        properties["backbone:workload"] = {"$ref": "#/$defs/WorkloadSpec"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Backbone stack file",
        "type": "object",
        "properties": {
            "config": {
                "type": "object",
                "properties": properties,
                "required": ["backbone:cluster"],
            }
        },
        "required": ["config"],
        "$defs": defs,
    }


def _run(args: argparse.Namespace) -> int:
    print(json.dumps(stack_schema(), indent=2))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the stack config (for editors)")
    p.set_defaults(handler=_run)
