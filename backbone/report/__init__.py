"""The reports of ``backbone plan``: one small module per format over one shared model."""

from __future__ import annotations

from collections.abc import Callable

from backbone.report import github, json_report, junit, markdown, sarif, text
from backbone.report.model import Capacity, Finding, PlanReport, StackReport

__all__ = ["FORMATS", "Capacity", "Finding", "PlanReport", "StackReport", "render"]

FORMATS: dict[str, Callable[[PlanReport], str]] = {
    "text": text.render,
    "json": json_report.render,
    "markdown": markdown.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
}


def render(report: PlanReport, fmt: str, colour: bool = False) -> str:
    """``report`` in format ``fmt``; ``colour`` (the text format on a terminal) paints levels and the verdict."""
    if fmt == "text":
        return text.render(report, colour=colour)
    return FORMATS[fmt](report)
