"""How every component registers its outputs: each documented attribute under its own name, with one
wire form per kind of value, so ``pulumi stack output`` reads the same on every cloud.

- a provider resource is registered as its id (``pulumi.CustomResource.id``);
- a component (a pool inside a cluster) as the dict of its own registered outputs;
- dicts, lists, tuples and dataclasses (as dicts of their fields) element by element;
- plain values (numbers, strings, Outputs) as they are.

The attributes are the ones a component class annotates (``pool: eks.NodeGroup`` with a docstring);
private names (``_x``) are not outputs.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pulumi

__all__ = ["output_names", "register", "wire_value"]


def output_names(cls: type) -> list[str]:
    """The public attributes a component class (and its Backbone bases) annotates, in declaration order."""
    names: dict[str, None] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("pulumi"):
            continue
        names.update(dict.fromkeys(n for n in vars(klass).get("__annotations__", {}) if not n.startswith("_")))
    return list(names)


def wire_value(value: Any) -> Any:
    """The registered form of one attribute value (see the module docstring)."""
    if isinstance(value, pulumi.CustomResource):
        return value.id
    if isinstance(value, pulumi.ComponentResource):
        return {name: wire_value(getattr(value, name)) for name in output_names(type(value))}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: wire_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: wire_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [wire_value(item) for item in value]
    return value


def register(component: pulumi.ComponentResource) -> None:
    """Registers every output attribute of ``component`` under its own name; the last call of ``__init__``."""
    component.register_outputs({name: wire_value(getattr(component, name)) for name in output_names(type(component))})
