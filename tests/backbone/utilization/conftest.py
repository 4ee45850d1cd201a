"""One Prometheus for every test of this folder: the scenarios of ``scenarios.py`` backfilled over a week."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.backbone.utilization import scenarios as sc
from tests.backbone.utilization.prometheus_server import backfill, binaries, running_prometheus

WEEK = 7 * 86400
IDLE, BUSY, STARVED = (0.0, 3.0), (85.0, 98.0), (32.0, 38.0)

OVER = sc.Scenario("over", [sc.Pool("h100-nodes-a1", "ip-10-1-0", [BUSY] * 6 + [IDLE] * 10),
                            sc.Pool("spare-nodes-c3", "ip-10-3-0", [BUSY] * 2, metrics=False)],
                   sc.FileSystem("fs-0aaaaaaaaaaaaaaa1", 4800, 1000, read_share=0.20))
STORAGE = sc.Scenario("storage", [sc.Pool("h100-nodes-b2", "ip-10-2-0", [STARVED] * 16, fabric_gbps=200.0)],
                      sc.FileSystem("fs-0bbbbbbbbbbbbbbb2", 4800, 1000, read_share=0.95))


@dataclass(frozen=True)
class Server:
    url: str
    end: int
    """The last sample's time: the window of every test ends here."""
    states: dict[str, Path]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    prometheus, promtool = binaries()
    root = tmp_path_factory.mktemp("prometheus")
    end = int(time.time()) // sc.SCRAPE_S * sc.SCRAPE_S
    metrics = sc.openmetrics([OVER, STORAGE], end - WEEK, end, root / "scenarios.om")
    data = root / "data"
    backfill(promtool, metrics, data)
    states = {s.stack: sc.state(s, root / f"{s.stack}.json") for s in (OVER, STORAGE)}
    with running_prometheus(prometheus, data) as url:
        yield Server(url, end, states)
