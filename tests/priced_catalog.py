"""The ``priced_catalog`` fixture (each folder that uses it takes it into its conftest): a catalog with a price on
every accelerator row, for tests that need options to rank whatever the state of the real catalog's prices. The
prices are TEST DATA, not facts: distinct per row so no two options tie."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from backbone.core import catalog


def priced(cat: catalog.Catalog) -> catalog.Catalog:
    rows = []
    for i, row in enumerate(cat.instances):
        price = round(row.accelerator_count * (1.5 + 0.173 * i), 3)
        rows.append(dataclasses.replace(
            row,
            on_demand_usd_per_hour=price,
            spot_usd_per_hour=round(price * 0.4, 3) if i % 2 == 0 else None,
            price_region=row.price_region or (row.regions[0] if row.regions else None),
            price_as_of="test",
        ))
    return catalog.Catalog(rows, list(cat.accelerators.values()), list(cat.storage))


@pytest.fixture
def priced_catalog(monkeypatch: pytest.MonkeyPatch) -> Iterator[catalog.Catalog]:
    """The real catalog's rows, accelerators and storage, with test prices; seen by every ``catalog.load()``."""
    cat = priced(catalog.load())
    monkeypatch.setattr(catalog, "load", lambda: cat)
    yield cat
