"""Fixtures of the GCP component tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from backbone.core import catalog

from .helpers import row


@pytest.fixture
def zones_known(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, tuple[str, ...]], None]:
    """Pretends the catalog knows the zones of a machine type (the data leaves GPU zones unknown)."""

    def set_zones(machine_type: str, zones: tuple[str, ...]) -> None:
        cat = catalog.load()
        monkeypatch.setitem(cat._by_key, ("gcp", machine_type), replace(row(machine_type), zones=zones))

    return set_zones
