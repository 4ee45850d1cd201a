"""Generated stacks for the speed benchmark: N accelerator pools split over one stack per cloud, valid
against the spec (catalog instance types, one zone, a parallel file system for the training pools)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["CLOUDS", "generate", "stack_config"]

# Per cloud: where, a fabric instance for training pools, a small one for inference, the file system.
CLOUDS: dict[str, dict[str, Any]] = {
    "aws": {"region": "us-east-1", "zone": "us-east-1a", "training": "p5.48xlarge", "inference": "g6.xlarge",
            "storage": {"kind": "lustre", "capacityTiB": 4.8, "throughputMBpsPerTiB": 1000}},
    "gcp": {"region": "us-central1", "zone": "us-central1-a", "training": "a3-megagpu-8g",
            "inference": "g2-standard-8",
            "storage": {"kind": "lustre", "capacityTiB": 9, "throughputMBpsPerTiB": 1000}},
    "azure": {"region": "eastus", "zone": "1", "training": "Standard_ND96isr_H100_v5",
              "inference": "Standard_NC24ads_A100_v4",
              "storage": {"kind": "lustre", "capacityTiB": 8, "throughputMBpsPerTiB": 500}},
}
TRAINING_EVERY = 5  # one pool in five trains (multi-node, on its fabric); the rest serve


def stack_config(cloud: str, pools: int) -> dict[str, Any]:
    site = CLOUDS[cloud]
    node_pools = []
    for i in range(pools):
        training = i % TRAINING_EVERY == 0
        node_pools.append({
            "name": f"p{i:04d}",
            "instanceType": site["training" if training else "inference"],
            "purpose": "training" if training else "inference",
            "minNodes": 0,
            "maxNodes": 2,
        })
    return {"config": {"backbone:cluster": {
        "cloud": cloud,
        "name": f"bench-{cloud}",
        "region": site["region"],
        "zone": site["zone"],
        "nodePools": node_pools,
        "storage": [{"name": "scratch", **site["storage"]}],
    }}}


def generate(directory: Path, pools: int) -> list[Path]:
    """``pools`` pools over the three clouds (as even as can be), one stack file per cloud."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, cloud in enumerate(CLOUDS):
        share = pools // len(CLOUDS) + (1 if n < pools % len(CLOUDS) else 0)
        path = directory / f"Pulumi.bench-{cloud}-{pools}.yaml"
        path.write_text(yaml.safe_dump(stack_config(cloud, share), sort_keys=False))
        paths.append(path)
    return paths
