"""Generated scenarios for ``backbone audit --prometheus``: a deployed state (a hand-written EKS program's export,
no ``backbone.components``) and the OpenMetrics series its cluster would have scraped, in the exporters' own
metric and label names, for ``promtool tsdb create-blocks-from openmetrics``.

Each scenario has its own node group name, host names and FSx id, so that one Prometheus holds them all.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parent.parent / "fixtures" / "states" / "aws-p5-no-efa.json"
SCRAPE_S = 300
GPUS_PER_NODE = 8  # p5.48xlarge: 8 × H100 (AWS, EC2 accelerated computing instances)
NODE_GROUP_TYPE = "aws:eks/nodeGroup:NodeGroup"
FSX_TYPE = "aws:fsx/lustreFileSystem:LustreFileSystem"


@dataclass
class Pool:
    """One EKS node group: its name, and per node the GPU utilization range (%) it runs at."""

    node_group: str
    host_prefix: str
    busy: list[tuple[float, float]]
    instance_type: str = "p5.48xlarge"
    gpus_per_node: int = GPUS_PER_NODE
    metrics: bool = True
    """False: the node group is in the state but no exporter reports it."""
    fabric_gbps: float | None = None
    """Each node's InfiniBand traffic, each direction (node_exporter's counters); None: no counters."""


@dataclass
class FileSystem:
    fs_id: str
    capacity_gib: int
    mbps_per_tib: int
    read_share: float
    """Reads as a share of the provisioned throughput (capacity in TiB × MB/s/TiB)."""

    @property
    def provisioned_mbps(self) -> float:
        """Capacity in FSx's TiB (1,000 GiB: FSx states 1,200 GiB as 1.2 TiB and 4.8 TiB × 50 MB/s/TiB as 240 MB/s)
        × per-unit storage throughput (MB/s per TiB)."""
        return self.capacity_gib / 1000 * self.mbps_per_tib


@dataclass
class Scenario:
    stack: str
    pools: list[Pool]
    file_system: FileSystem
    min_nodes: int = 16
    max_nodes: int = 16
    extra: dict[str, Any] = field(default_factory=dict)

    def hosts(self, pool: Pool) -> list[str]:
        return [f"{pool.host_prefix}-{i}.ec2.internal" for i in range(len(pool.busy))]


def state(scenario: Scenario, path: Path) -> Path:
    """The fixture's export with the scenario's node groups (scaling min/max) and file system."""
    doc = json.loads(FIXTURE.read_text())
    resources = doc["deployment"]["resources"]
    template = next(r for r in resources if r["type"] == NODE_GROUP_TYPE)
    kept = [r for r in resources if r["type"] != NODE_GROUP_TYPE]
    for pool in scenario.pools:
        group = copy.deepcopy(template)
        name = pool.node_group.rsplit("-", 1)[0]
        group["urn"] = template["urn"].rsplit("::", 1)[0] + f"::{name}"
        group["id"] = f"research-eks-3f9c1e2:{pool.node_group}"
        for side in ("inputs", "outputs"):
            group[side]["nodeGroupName"] = pool.node_group
            group[side]["scalingConfig"].update(minSize=scenario.min_nodes, maxSize=scenario.max_nodes,
                                                desiredSize=scenario.max_nodes)
        group["outputs"]["instanceTypes"] = [pool.instance_type]
        group["outputs"]["id"] = group["id"]
        kept.append(group)
    fs = next(r for r in kept if r["type"] == FSX_TYPE)
    f = scenario.file_system
    fs["id"] = f.fs_id
    for side in ("inputs", "outputs"):
        fs[side].update(storageCapacity=f.capacity_gib, perUnitStorageThroughput=f.mbps_per_tib)
    fs["outputs"]["id"] = f.fs_id
    doc["deployment"]["resources"] = kept
    path.write_text(json.dumps(doc, indent=1))
    return path


def _family(name: str, kind: str, series: Iterator[tuple[str, Iterator[tuple[int, float]]]]) -> Iterator[str]:
    yield f"# TYPE {name} {kind}\n"
    for labels, points in series:
        for t, v in points:
            yield f"{name}{{{labels}}} {v:g} {t}\n"


def openmetrics(scenarios: list[Scenario], start: int, end: int, path: Path, seed: int = 22,
                scrape_s: int = SCRAPE_S) -> Path:
    """Every scenario's series from ``start`` to ``end`` (unix seconds), one sample per ``scrape_s``."""
    rng = random.Random(seed)
    times = list(range(start, end + 1, scrape_s))
    pools = [(s, p) for s in scenarios for p in s.pools if p.metrics]

    def nodes() -> Iterator[tuple[str, Iterator[tuple[int, float]]]]:
        for s, p in pools:
            for host in s.hosts(p):
                labels = (f'node="{host}",label_eks_amazonaws_com_nodegroup="{p.node_group}",'
                          f'label_node_kubernetes_io_instance_type="{p.instance_type}"')
                yield labels, ((t, 1.0) for t in times)

    def gpus() -> Iterator[tuple[str, Iterator[tuple[int, float]]]]:
        for s, p in pools:
            for host, (low, high) in zip(s.hosts(p), p.busy, strict=True):
                for gpu in range(p.gpus_per_node):
                    labels = f'Hostname="{host}",gpu="{gpu}",modelName="NVIDIA H100 80GB HBM3"'
                    yield labels, ((t, round(rng.uniform(low, high), 1)) for t in times)

    def fsx(direction: str) -> Iterator[tuple[str, Iterator[tuple[int, float]]]]:
        for s in scenarios:
            f = s.file_system
            share = f.read_share if direction == "read" else 0.0
            per_period = f.provisioned_mbps * 1e6 * 60  # bytes in one 60 s CloudWatch period
            yield (f'dimension_FileSystemId="{f.fs_id}",region="us-east-1"',
                   ((t, round(per_period * share * rng.uniform(0.98, 1.02))) for t in times))

    def fabric(direction: str) -> Iterator[tuple[str, Iterator[tuple[int, float]]]]:
        for s, p in pools:
            if p.fabric_gbps is None:
                continue
            per_sample = p.fabric_gbps * 1e9 / 8 * scrape_s / 2  # two ports share the node's traffic
            for host in s.hosts(p):
                for port in ("mlx5_0", "mlx5_1"):
                    labels = f'instance="{host}:9100",device="{port}",port="1"'
                    yield labels, ((t, per_sample * i) for i, t in enumerate(times))

    with path.open("w") as out:
        for chunk in (_family("node_infiniband_port_data_transmitted_bytes_total", "counter", fabric("tx")),
                      _family("node_infiniband_port_data_received_bytes_total", "counter", fabric("rx")),
                      _family("kube_node_labels", "gauge", nodes()),
                      _family("DCGM_FI_DEV_GPU_UTIL", "gauge", gpus()),
                      _family("aws_fsx_data_read_bytes_sum", "gauge", fsx("read")),
                      _family("aws_fsx_data_write_bytes_sum", "gauge", fsx("write"))):
            out.writelines(chunk)
        out.write("# EOF\n")
    return path
