"""The reports of ``backbone plan``: one small module per format over one shared model."""

from __future__ import annotations

from collections.abc import Callable

from backbone.report import json_report, markdown, sarif, text
from backbone.report.model import Capacity, Finding, PlanReport, StackReport

__all__ = ["FORMATS", "Capacity", "Finding", "PlanReport", "StackReport", "render"]

FORMATS: dict[str, Callable[[PlanReport], str]] = {
    "text": text.render,
    "json": json_report.render,
    "markdown": markdown.render,
    "sarif": sarif.render,
}


def render(report: PlanReport, fmt: str) -> str:
    return FORMATS[fmt](report)
