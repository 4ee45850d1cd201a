"""The one error hierarchy of Backbone. Every error a user can cause is a ``BackboneError``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BackboneError", "CatalogError", "ConfigError", "Problem"]


class BackboneError(Exception):
    """Base class: an error the user can act on, printed without a traceback."""


class CatalogError(BackboneError):
    """The catalog data files are inconsistent (a developer error, caught by tests)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (file and config path) and what (found, allowed)."""

    path: str
    message: str
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}: " if self.file else ""
        return f"{where}{self.path}: {self.message}"


class ConfigError(BackboneError):
    """A stack config (or workload, or policy config) that cannot be used; one ``Problem`` per fault."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
