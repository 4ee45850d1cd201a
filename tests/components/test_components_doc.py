"""docs/components.md stays true: its reference section is what the code renders, it names every component,
and every ``python`` block in it is a complete program that builds under the offline preview."""

from __future__ import annotations

import re

import pytest

from backbone.component_reference import component_classes, rendered_into
from backbone.engine import preview_function
from backbone.stackfile import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "components.md"
TEXT = DOC.read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```$", TEXT, flags=re.S | re.M)


def test_the_reference_is_what_the_code_renders() -> None:
    assert rendered_into(TEXT) == TEXT, "run: python -m backbone.component_reference --write docs/components.md"


def test_the_doc_names_every_component() -> None:
    assert all(f"`{cls.__name__}` — `" in TEXT for cls in component_classes().values())


def test_the_how_to_covers_each_cloud_and_a_tpu_pool() -> None:
    assert len(BLOCKS) >= 5
    for used in ("backbone.components.aws import GpuNodePool", "backbone.components.gcp import GpuNodePool",
                 "backbone.components.gcp import TpuNodePool", "backbone.components.azure import GpuAgentPool"):
        assert any(used in block for block in BLOCKS), used


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_every_python_block_builds_under_the_preview(block: str) -> None:
    preview = preview_function(lambda: exec(compile(block, str(DOC), "exec"), {"__name__": "__main__"}), "docs")
    assert any(r.type.startswith("backbone:") for r in preview.resources)
