"""The words every cloud's components and the stack config share, defined once.

A pool's ``purpose`` (what it runs), ``capacity`` (where its machines come from) and ``gpu_driver`` (who
installs the GPU driver) mean the same on AWS, GCP and Azure; ``SUBNET_ROLES`` are the keys of every
``subnets`` output. Components, the spec models and the docs import these; nobody redefines them.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "CAPACITIES",
    "GPU_DRIVERS",
    "PURPOSES",
    "RESERVED_CAPACITIES",
    "SUBNET_ROLES",
    "Capacity",
    "GpuDriver",
    "Purpose",
    "SubnetRole",
]

Purpose = Literal["training", "inference", "system"]
"""What a pool runs: ``training`` (multi-node training gets its fabric and one zone), ``inference``, or
``system`` (cluster add-ons on CPU nodes). It is the ``backbone.dev/purpose`` node label."""

Capacity = Literal["on-demand", "spot", "reservation", "capacity-block"]
"""Where a pool's machines come from: on-demand, spot (evictable), a named capacity reservation, or a
``capacity-block`` — an EC2 Capacity Block for ML, a reservation bought for a fixed window (only where the
cloud's facts say ``capacity_blocks``: AWS)."""

GpuDriver = Literal["managed", "operator"]
"""``managed``: the cloud installs the GPU driver; ``operator``: it does not (the NVIDIA GPU Operator does)."""

SubnetRole = Literal["nodes", "filesystem", "public"]
"""Keys of every ``subnets`` output: ``nodes`` (where node pools run), ``filesystem`` (a file system's own
subnet, Azure Managed Lustre), ``public`` (NAT egress only, no node runs there)."""

PURPOSES: tuple[str, ...] = get_args(Purpose)
CAPACITIES: tuple[str, ...] = get_args(Capacity)
RESERVED_CAPACITIES: tuple[str, ...] = ("reservation", "capacity-block")
"""The capacities that name a reservation (``reservation``), and only they."""
GPU_DRIVERS: tuple[str, ...] = get_args(GpuDriver)
SUBNET_ROLES: tuple[str, ...] = get_args(SubnetRole)
