"""Fixtures of the component tests on every cloud: preview a small program, find resources, follow links."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from backbone.engine import Preview, RecordedResource, preview_function

Only = Callable[[Preview, str], RecordedResource]
Linked = Callable[[Preview, RecordedResource, str], list[RecordedResource]]


def _only(preview: Preview, type_: str) -> RecordedResource:
    found = preview.of_type(type_)
    assert len(found) == 1, f"expected one {type_}, found {[r.name for r in found]}"
    return found[0]


@pytest.fixture
def preview() -> Callable[[Callable[[], object]], Preview]:
    """Previews a program given as a function, as a platform team would try a component."""
    return lambda program: preview_function(program, "test")


@pytest.fixture
def only() -> Only:
    """The one resource of a type in a preview (fails when there are none or several)."""
    return _only


@pytest.fixture
def linked() -> Linked:
    """The resources an input depends on: property dependencies -> URNs -> recorded resources."""
    return Preview.linked
