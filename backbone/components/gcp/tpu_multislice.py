"""``TpuMultislice``: N identical TPU slices joined over the data-center network (Cloud TPU Multislice), one
GKE node pool per slice. Each slice is a ``TpuNodePool`` of the same machine type and topology; GKE pool names
are ``<pool>-0`` … ``<pool>-<N-1>`` and every node carries ``backbone.dev/slice``, so a JobSet can place one
replicated job per slice."""

from __future__ import annotations

import dataclasses

import pulumi
from pulumi_gcp import container

from backbone.components.gcp.tpu_node_pool import TpuNodePool, TpuNodePoolArgs
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError

__all__ = ["SLICE_LABEL", "TpuMultislice", "TpuMultisliceArgs"]

SLICE_LABEL = "backbone.dev/slice"
MAX_SLICES = 1000
"""A sanity bound on input, far above any published Multislice size."""


@dataclasses.dataclass(frozen=True)
class TpuMultisliceArgs:
    """Inputs of ``TpuMultislice``."""

    slice: TpuNodePoolArgs
    """One slice (every slice is identical); its ``pool_name`` is the prefix of the slices' pool names."""
    slices: int
    """How many slices (2 or more; one slice is a plain ``TpuNodePool``)."""


class TpuMultislice(pulumi.ComponentResource):
    """Identical TPU slices, one GKE node pool each."""

    slices: list[TpuNodePool]
    """The slices, in order."""
    pools: list[container.NodePool]
    """Their GKE node pools, one per slice."""
    pool: container.NodePool
    """The first slice's node pool (all of them: ``pools``)."""
    chips: int
    """TPU chips over all slices."""
    hosts: int
    """Nodes over all slices."""

    def __init__(self, name: str, args: TpuMultisliceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:TpuMultislice", name, None, opts)
        if not 2 <= args.slices <= MAX_SLICES:
            raise ComponentArgumentError(f"TpuMultislice {name}", "slices",
                                         f"{args.slices} slices; allowed: 2 to {MAX_SLICES} (1 slice: TpuNodePool)")
        prefix = args.slice.pool_name or name
        self.slices = [
            TpuNodePool(f"{name}-{i}", dataclasses.replace(
                args.slice, pool_name=f"{prefix}-{i}", labels={**args.slice.labels, SLICE_LABEL: str(i)}),
                pulumi.ResourceOptions(parent=self))
            for i in range(args.slices)
        ]
        self.pools = [s.pool for s in self.slices]
        self.pool = self.pools[0]
        self.chips = sum(s.chips for s in self.slices)
        self.hosts = sum(s.hosts for s in self.slices)
        register(self)
