"""The one error hierarchy of Backbone. Every error a user can cause is a ``BackboneError``."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

__all__ = [
    "BackboneError",
    "CatalogError",
    "ComponentArgumentError",
    "ConfigError",
    "CouldNotFinish",
    "MissingExtra",
    "Problem",
]


class BackboneError(Exception):
    """Base class: an error the user can act on, printed without a traceback."""


class CouldNotFinish(BackboneError):
    """Backbone could not finish (the policy pack died or missed its deadline, a report could not be written
    for want of space, …): nothing about the input is wrong, and no verdict was reached (exit 3)."""


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


class ComponentArgumentError(BackboneError, pulumi.InputPropertyError):
    """A component was given an argument it cannot build, on any cloud: names the component, the argument,
    what was wrong and what is allowed. It is also Pulumi's ``InputPropertyError``, so ``pulumi preview``
    reports it as a bad input of that property rather than as a crash of the program."""

    def __init__(self, component: str, argument: str, message: str) -> None:
        self.component = component
        self.argument = argument
        BackboneError.__init__(self, f"{component}: {argument}: {message}")
        self.property_path = argument
        self.reason = message


class MissingExtra(BackboneError, ModuleNotFoundError):
    """Backbone's components of a cloud were asked for where that cloud's provider SDK is not installed: names
    the extra that installs it (``pip install 'backbone[gcp]'``). Also a ``ModuleNotFoundError``, so a program
    run by ``pulumi preview`` reports it as the import failure it is."""

    def __init__(self, cloud: str, missing: list[str]) -> None:
        self.cloud = cloud
        self.missing = missing
        BackboneError.__init__(self, f"Backbone's {cloud} components need {' and '.join(missing)}, not installed "
                                     f"with this Backbone: pip install 'backbone[{cloud}]'")
        self.name = missing[0].replace("-", "_")
