"""Shared pydantic configuration: camelCase names in stack files, snake_case in Python, no unknown keys."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_camel


class SpecModel(BaseModel):
    """Base of every stack-config model: immutable, camelCase aliases, unknown keys rejected (typos)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _booleans_are_not_numbers(cls, data: Any) -> Any:
        """``maxNodes: yes`` is a YAML boolean, not 1; ``privateApi: 1`` is a number, not true. (A model-level
        check: pydantic forbids before-validators on the discriminator fields of the workload models.)"""
        if not isinstance(data, dict):
            return data
        for name, field in cls.model_fields.items():
            key = field.alias or name
            value = data.get(key, data.get(name))
            kinds = _kinds(field.annotation)
            if isinstance(value, bool) and kinds and bool not in kinds and kinds & {int, float}:
                raise ValueError(f"{key}: expected a number, got the boolean {str(value).lower()} (YAML reads "
                                 "yes/no/on/off/true/false as booleans)")
            if isinstance(value, int | float) and not isinstance(value, bool) and kinds == {bool}:
                raise ValueError(f"{key}: expected true or false, got the number {value}")
        return data


def _kinds(annotation: Any) -> set[Any]:
    """The plain types an annotation admits (``int | None`` → {int, NoneType}); empty when it is not plain."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        out: set[Any] = set()
        for arg in typing.get_args(annotation):
            out |= _kinds(arg)
        return out - {type(None)}
    return {annotation} if annotation in (int, float, bool, str) else set()
