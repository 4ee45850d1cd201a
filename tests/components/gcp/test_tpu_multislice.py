"""TPU Multislice: N identical slices, one GKE node pool each — from the component and from a stack spec."""

from __future__ import annotations

import pytest

from backbone.components.gcp import AcceleratorCluster, TpuMultislice, TpuMultisliceArgs, TpuNodePoolArgs
from backbone.components.gcp.tpu_multislice import SLICE_LABEL
from backbone.components.spec import from_config
from backbone.core.errors import BackboneError

from .helpers import NODE_POOL, bare_cluster, run


def one_slice(**kwargs: object) -> TpuNodePoolArgs:
    return TpuNodePoolArgs(cluster=bare_cluster(), location="us-east5", zone="us-east5-a",
                           machine_type="ct6e-standard-4t", topology="16x16", pool_name="train", **kwargs)  # type: ignore[arg-type]


def test_n_slices_are_n_identical_node_pools_with_their_slice_label() -> None:
    made: list[TpuMultislice] = []
    preview = run(lambda: made.append(TpuMultislice("ms", TpuMultisliceArgs(one_slice(), slices=4))))
    pools = preview.of_type(NODE_POOL)
    assert sorted(p.inputs["name"] for p in pools) == ["train-0", "train-1", "train-2", "train-3"]
    assert {p.inputs["nodeCount"] for p in pools} == {64.0}  # 16x16 = 256 chips = 64 hosts of 4 chips, each
    assert {p.inputs["placementPolicy"]["tpuTopology"] for p in pools} == {"16x16"}
    assert sorted(p.inputs["nodeConfig"]["labels"][SLICE_LABEL] for p in pools) == ["0", "1", "2", "3"]
    assert made[0].chips == 4 * 256 and made[0].hosts == 4 * 64


@pytest.mark.parametrize("slices", [1, 0, 1001])
def test_slice_counts_outside_2_to_1000_are_refused(slices: int) -> None:
    with pytest.raises(BackboneError, match="slices"):
        run(lambda: TpuMultislice("ms", TpuMultisliceArgs(one_slice(), slices=slices)))


STACK = {
    "cloud": "gcp", "name": "llm-train", "region": "us-east5", "zone": "us-east5-a",
    "nodePools": [{"name": "v6e", "instanceType": "ct6e-standard-4t", "tpuTopology": "16x16", "minNodes": 0,
                   "maxNodes": 64, "slices": 2}],
}


def test_a_stack_pool_with_slices_becomes_a_multislice() -> None:
    spec = from_config({"backbone:cluster": STACK}).cluster
    preview = run(lambda: AcceleratorCluster("llm", spec))
    tpu = [p for p in preview.of_type(NODE_POOL) if p.inputs.get("placementPolicy", {}).get("tpuTopology")]
    assert sorted(p.inputs["name"] for p in tpu) == ["v6e-0", "v6e-1"]


def test_slices_on_a_gpu_pool_are_refused() -> None:
    pool = {"name": "h100", "instanceType": "a3-megagpu-8g", "maxNodes": 2, "slices": 2}
    with pytest.raises(BackboneError, match="slices is TPU Multislice"):
        from_config({"backbone:cluster": {**STACK, "nodePools": [pool]}})


@pytest.mark.parametrize(("topology", "max_nodes", "ok"), [
    ("4x4x16", 64, True),    # v5p: plausible, not listed — the spec accepts it, the pack advises
    ("2x2x4", 4, True),      # v5p-32
    ("3x3x3", 7, False),     # not whole hosts
    ("4x8", 8, False),       # v5p slices have 3 dimensions
])
def test_the_spec_refuses_only_impossible_topologies(topology: str, max_nodes: int, ok: bool) -> None:
    pool = {"name": "v5p", "instanceType": "ct5p-hightpu-4t", "tpuTopology": topology, "maxNodes": max_nodes}
    cluster = {**STACK, "region": "europe-west4", "zone": "europe-west4-b", "nodePools": [pool]}
    if ok:
        from_config({"backbone:cluster": cluster})
    else:
        with pytest.raises(BackboneError, match=f"tpuTopology {topology} is not a valid v5p slice"):
            from_config({"backbone:cluster": cluster})
