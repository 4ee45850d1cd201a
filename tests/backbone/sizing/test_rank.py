"""The ranking is exact: it equals a brute-force enumeration of node counts over the whole catalog."""

from __future__ import annotations

import math
from typing import Any

import pytest

from backbone.core import catalog
from backbone.core.workload import InferenceWorkload, TrainingWorkload, WorkloadSpec
from backbone.sizing import size

TRAINING = [
    {"params": "7B", "tokens": "200B", "days": 10},            # deadline-bound, a few nodes
    {"params": "70B", "tokens": "20B", "days": 60},            # memory-bound: the state needs more than the clock
    {"params": "1B", "tokens": "20B", "days": 30},             # one accelerator: fits without a fabric
    {"params": "47B", "activeParams": "13B", "tokens": "300B", "days": 14, "checkpointMinutes": 2},
]
SERVING = [
    {"model": "llama-3-70b", "context": 8192, "concurrency": 64, "tokensPerSecond": 2000},
    {"model": "llama-3-8b", "context": 4096, "concurrency": 256, "tokensPerSecond": "20K"},
    {"model": "mixtral-8x7b", "context": 32768, "concurrency": 16, "tokensPerSecond": 500, "precision": "fp8"},
]
MAX_NODES = 3000


def _facts(row: catalog.InstanceType) -> tuple[float, float, float] | None:
    acc = catalog.load().accelerator(row.accelerator)
    # A type sold only as Capacity Blocks is priced at its block rate; any other at its on-demand price.
    price = (row.capacity_block.usd_per_hour if row.capacity_block_only and row.capacity_block
             else row.on_demand_usd_per_hour)
    if acc is None or acc.bf16_dense_tflops is None or price is None:
        return None
    memory = acc.memory_gib if acc.memory_gib is not None else (row.accelerator_memory_gib or 0) / row.accelerator_count
    return acc.bf16_dense_tflops, memory * 2**30, price


def brute_training(w: TrainingWorkload) -> list[tuple[str, str, int, float]]:
    """For every row, the first node count (1, 2, 3, ...) that satisfies every constraint directly."""
    out = []
    for row in catalog.load().instances:
        facts = _facts(row)
        if facts is None:
            continue
        tflops, memory, price = facts
        work = 6 * w.active * w.tokens / (tflops * 1e12 * w.mfu) / 3600
        wall_work = work * (1 + w.checkpoint_minutes / (60 * w.checkpoint_interval_hours))
        hosts = None
        if row.tpu is not None:
            hosts = {max(1, row.tpu.chips_of(t) // row.tpu.chips_per_host) for t in row.tpu.topologies}
            need = max(math.ceil(wall_work / (24 * w.days)), math.ceil(16 * w.params / (0.80 * memory)))
            largest = max(hosts) * row.tpu.chips_per_host
            if need > largest and not row.tpu.single_host:  # Multislice: the fewest slices, each the smallest
                slices = math.ceil(need / largest)
                hosts = {slices * min(h for h in hosts if slices * h * row.tpu.chips_per_host >= need)}
        for nodes in range(1, MAX_NODES + 1):
            accelerators = nodes * row.accelerator_count
            if hosts is not None and nodes not in hosts:
                continue
            if 16 * w.params > 0.80 * memory * accelerators:
                continue
            if wall_work / accelerators > 24 * w.days:
                continue
            if nodes > 1 and row.fabric == "none":
                break
            if nodes > 1 and row.fabric != "ici" and row.fabric_nics is None:  # no node group can be built
                break
            days = wall_work / accelerators / 24
            out.append((row.cloud, row.instance_type, nodes, nodes * price * wall_work / accelerators, days))
            break
    return [o[:4] for o in sorted(out, key=lambda o: (o[3], o[4], o[0], o[1]))]


def brute_serving(w: InferenceWorkload) -> list[tuple[str, str, int, float]]:
    """For every GPU row, every (tensor-parallel group, replicas) pair: the fewest nodes that hold the
    weights and KV cache and reach the token rate."""
    out = []
    shape = w.model_shape
    kv = 2 * shape.layers * shape.kv_heads * shape.head_dim * {"bf16": 2, "fp16": 2, "fp32": 4, "fp8": 1,
                                                               "int8": 1}[w.kv_cache_precision]
    weights = w.total_params * {"bf16": 2, "fp16": 2, "fp32": 4, "fp8": 1, "int8": 1, "int4": 0.5}[w.precision]
    for row in catalog.load().instances:
        facts = _facts(row)
        if facts is None or row.tpu is not None:
            continue
        tflops, memory, price = facts
        rate = tflops * 1e12 * 0.10 / (2 * w.active)
        best = None
        for group in (1, 2, 4, 8, 16, 32):
            if group > row.accelerator_count or row.accelerator_count % group or weights >= 0.90 * memory * group:
                continue
            for replicas in range(1, 20 * MAX_NODES):
                fits = weights + kv * w.context * w.concurrency / replicas <= 0.90 * memory * group
                if fits and replicas * group * rate >= w.tokens_per_second:
                    nodes = math.ceil(replicas * group / row.accelerator_count)
                    if best is None or (nodes, replicas * group, group) < best[:3]:
                        best = (nodes, replicas * group, group)
                    break
        if best is not None:
            out.append((row.cloud, row.instance_type, best[0], best[0] * price * 730))
    return sorted(out, key=lambda o: (o[3], o[0], o[1]))


def _ranked(sizing: Any) -> list[tuple[str, str, int, float]]:
    return [(o.cloud, o.instance_type, o.nodes, o.cost_usd) for o in sizing.options]


def _check(actual: list[tuple[str, str, int, float]], expected: list[tuple[str, str, int, float]]) -> None:
    assert [a[:3] for a in actual] == [e[:3] for e in expected]
    for a, e in zip(actual, expected, strict=True):
        assert a[3] == pytest.approx(e[3], rel=1e-9)


@pytest.mark.parametrize("fields", TRAINING, ids=lambda f: f"{f['params']}-{f['tokens']}-{f['days']}d")
def test_training_ranking_equals_brute_force(priced_catalog: catalog.Catalog, fields: dict[str, Any]) -> None:
    w = WorkloadSpec.model_validate({"kind": "training", **fields}).root
    assert isinstance(w, TrainingWorkload)
    sizing = size(w)
    _check(_ranked(sizing), brute_training(w))
    assert sizing.options, "the priced catalog must give something to rank"
    costs = [o.rank_key[0] for o in sizing.options]
    assert costs == sorted(costs)


@pytest.mark.parametrize("fields", SERVING, ids=lambda f: f"{f['model']}-{f['concurrency']}")
def test_serving_ranking_equals_brute_force(priced_catalog: catalog.Catalog, fields: dict[str, Any]) -> None:
    w = WorkloadSpec.model_validate({"kind": "inference", **fields}).root
    assert isinstance(w, InferenceWorkload)
    sizing = size(w)
    _check(_ranked(sizing), brute_serving(w))
    assert sizing.options


def test_ranking_over_the_real_catalog_equals_brute_force() -> None:
    """Whatever the catalog prices today: unpriced types are skipped, never ranked."""
    w = WorkloadSpec.model_validate({"kind": "training", **TRAINING[0]}).root
    assert isinstance(w, TrainingWorkload)
    sizing = size(w)
    _check(_ranked(sizing), brute_training(w))
    ranked = {(o.cloud, o.instance_type) for o in sizing.options}
    skipped = {(s.cloud, s.instance_type) for s in sizing.skipped}
    assert ranked | skipped == {(r.cloud, r.instance_type) for r in catalog.load().instances}
    assert not ranked & skipped


def test_every_type_is_either_ranked_or_skipped_with_a_reason(priced_catalog: catalog.Catalog) -> None:
    w = WorkloadSpec.model_validate({"kind": "training", **TRAINING[0]}).root
    assert isinstance(w, TrainingWorkload)
    sizing = size(w)
    assert len(sizing.options) + len(sizing.skipped) == len(priced_catalog.instances)
    assert sum(n for _, n in sizing.skipped_reasons()) == len(sizing.skipped)
    assert all(s.reason for s in sizing.skipped)


def test_the_cloud_filter_keeps_the_order(priced_catalog: catalog.Catalog) -> None:
    w = WorkloadSpec.model_validate({"kind": "training", **TRAINING[0]}).root
    assert isinstance(w, TrainingWorkload)
    everything = size(w)
    for cloud in catalog.CLOUDS:
        only = size(w, cloud)
        assert [o for o in everything.options if o.cloud == cloud] == list(only.options)
        assert only.best(cloud) == everything.best(cloud)


def test_a_multi_node_option_without_its_fabric_interface_count_is_skipped_not_built() -> None:
    """p6e-gb200.36xlarge: AWS lists 17 network cards but the catalog has no EFA interface count, so no node
    group of it can be built; a training run that needs many nodes of it says so instead of ranking it."""
    from backbone.core.workload import WorkloadSpec
    from backbone.sizing.rank import size

    workload = WorkloadSpec.model_validate({"kind": "training", "params": "70B", "tokens": "2T", "days": 30}).root
    sizing = size(workload, "aws")
    [skipped] = [s for s in sizing.skipped if s.instance_type == "p6e-gb200.36xlarge"]
    assert "lacks how many fabric interfaces a node attaches (fabric_nics)" in skipped.reason
    assert all(o.instance_type != "p6e-gb200.36xlarge" for o in sizing.options)
