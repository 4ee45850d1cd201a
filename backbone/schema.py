"""``backbone schema``: the JSON Schema of the stack config, for editors."""

from __future__ import annotations

import argparse
import json
from typing import Any

from backbone.components.spec.load import MODELS, NAMESPACE, REQUIRED
from backbone.help_text import command_help

__all__ = ["register", "stack_schema"]


def stack_schema() -> dict[str, Any]:
    """JSON Schema of a ``stacks/Pulumi.<stack>.yaml`` file's ``config:`` block."""
    properties: dict[str, Any] = {}
    defs: dict[str, Any] = {}
    for key, model in MODELS.items():  # the same models the program and the planner validate with
        schema = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        defs[model.__name__] = schema
        properties[f"{NAMESPACE}:{key}"] = {"$ref": f"#/$defs/{model.__name__}"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Backbone stack file",
        "type": "object",
        "properties": {
            "config": {
                "type": "object",
                "properties": properties,
                "required": [f"{NAMESPACE}:{key}" for key in REQUIRED],
            }
        },
        "required": ["config"],
        "$defs": defs,
    }


def _run(args: argparse.Namespace) -> int:
    print(json.dumps(stack_schema(), indent=2))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("schema", help=command_help("schema"))
    p.set_defaults(handler=_run)
