"""Shared pydantic configuration: camelCase names in stack files, snake_case in Python, no unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class SpecModel(BaseModel):
    """Base of every stack-config model: immutable, camelCase aliases, unknown keys rejected (typos)."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
    )
