"""How long ``backbone audit --prometheus`` takes on a large cluster: 1,000 nodes × 8 GPUs over a week.

``python -m benchmarks.utilization_speed [--nodes 1000] [--days 7] [--scrape 15m] [--step 5m] [--keep DIR]``
generates the series of one EKS node group of ``--nodes`` p5.48xlarge (half of them busy) plus an FSx file system
(the generator of tests/backbone/utilization/scenarios.py), backfills them into a real Prometheus (Debian's
``prometheus`` and ``promtool``) on 127.0.0.1, then runs the audit's reading and judging twice (the first on a
cold server) and prints the time of each query and the total. Timings, not assertions.

The scrape interval of the generated data (``--scrape``, 15 minutes by default) bounds the size of the
backfill: 8,000 GPU series over a week are 5.4 million samples at 15 minutes (16 million at 5). The queries'
cost grows with the samples they touch: at a 5-minute scrape expect about three times the query time printed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from backbone.core.catalog.pricing import LIST_PRICES
from backbone.state import read_state
from backbone.utilization import Settings, read_utilization
from backbone.utilization import prometheus as client
from backbone.utilization.observe import parse_duration
from tests.backbone.utilization import scenarios as sc
from tests.backbone.utilization.prometheus_server import backfill, running_prometheus


def _timed_queries() -> list[tuple[float, str]]:
    """Wraps the client's request to record (seconds, endpoint and query) of each."""
    seen: list[tuple[float, str]] = []
    post = client.Prometheus._post

    def timed(self: client.Prometheus, endpoint: str, params: dict[str, str], expr: str) -> dict[str, object]:
        began = time.perf_counter()
        try:
            return post(self, endpoint, params, expr)
        finally:
            seen.append((time.perf_counter() - began, f"{endpoint:<11} {' '.join(expr.split())[:100]}"))

    client.Prometheus._post = timed  # type: ignore[method-assign]
    return seen


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nodes", type=int, default=1000)
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--scrape", default="15m")
    p.add_argument("--step", default="5m")
    p.add_argument("--query-timeout", type=float, default=600.0, help="per-query deadline (default 600 s)")
    p.add_argument("--keep", metavar="DIR", help="keep the generated data here, and reuse it when it is there "
                                                 "(default: a temporary directory, removed)")
    args = p.parse_args(argv)
    prometheus, promtool = shutil.which("prometheus"), shutil.which("promtool")
    if not prometheus or not promtool:
        print("needs Prometheus: apt-get install -y prometheus (Debian)", file=sys.stderr)
        return 2
    scrape_s = int(parse_duration(args.scrape, "--scrape")[0])
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-utilization-"))
    root.mkdir(parents=True, exist_ok=True)
    half = args.nodes // 2
    scenario = sc.Scenario("bench", [sc.Pool("bench-nodes-x1", "ip-10-9", [(85.0, 98.0)] * half
                                             + [(0.0, 3.0)] * (args.nodes - half))],
                           sc.FileSystem("fs-0bench00000000001", 48000, 1000, read_share=0.5),
                           min_nodes=args.nodes, max_nodes=args.nodes)
    stamp = root / "end.txt"
    if stamp.exists():
        end = int(stamp.read_text())
        print(f"reusing the data in {root} (ending {end})")
    else:
        end = int(time.time()) // scrape_s * scrape_s
        began = time.perf_counter()
        metrics = sc.openmetrics([scenario], end - args.days * 86400, end, root / "bench.om", scrape_s=scrape_s)
        samples = args.nodes * (sc.GPUS_PER_NODE + 1) * (args.days * 86400 // scrape_s + 1)
        print(f"generated {samples:,} samples ({metrics.stat().st_size / 2**20:,.0f} MiB of OpenMetrics) in "
              f"{time.perf_counter() - began:.1f} s")
        began = time.perf_counter()
        backfill(promtool, metrics, root / "data")
        metrics.unlink()
        stamp.write_text(str(end))
        print(f"backfilled with promtool in {time.perf_counter() - began:.1f} s")
    state = read_state(sc.state(scenario, root / "bench.json"))
    seen = _timed_queries()
    # the server's own deadline (--query.timeout, 2 minutes by default) caps the one each query asks for
    with running_prometheus(prometheus, root / "data", extra_args=(f"--query.timeout={int(args.query_timeout)}s",)) \
            as url:
        for run in ("cold", "warm"):
            seen.clear()
            began = time.perf_counter()
            report = read_utilization(state, LIST_PRICES, Settings(url, f"{args.days}d", args.step, end=end,
                                                                       timeout_s=args.query_timeout))
            total = time.perf_counter() - began
            print(f"\n{run}: {args.nodes:,} nodes × {sc.GPUS_PER_NODE} GPUs, {args.days} d at {args.step}: "
                  f"{report.queries} queries, {total:.1f} s")
            for seconds, what in seen:
                print(f"  {seconds:7.2f} s  {what}")
            pool = report.entries[0]
            print(f"  verdict: {pool.name} {pool.verdict}; {pool.message[:160]}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
