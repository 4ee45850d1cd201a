"""workload-fit and workload-shortfall judged in this process on hand-built inventories (no preview): each finding
whole, each limit exactly at and one node past, the pools of the workload's purpose summed and the largest named,
the file systems of the pool's cloud summed, and what cannot be judged (an unknown pool, an unknown throughput, a
type the sizing model cannot size).

Public figures (read 2026-12-07), as the sizing model cites them:
- p5.48xlarge: 8 × H100 80GB SXM (aws.amazon.com/ec2/instance-types/p5), 989.5 dense BF16 TFLOPS each (half the
  1,979 with sparsity of nvidia.com/en-us/data-center/h100), 80 GiB each.
- training compute 6 × parameters × tokens (Kaplan et al. 2020, §2.1) at MFU 0.40; checkpoints of 14 B/param
  written in 5 min every 2 h (a 5/120 stall); training state 16 B/param in 80 % of memory (ZeRO, arXiv:1910.02054).
- 70B on 300B tokens in 30 days: 6 × 70e9 × 3e11 / (989.5e12 × 0.40) / 3600 = 88,428 GPU-hours × (1 + 5/120)
  / 720 h = 127.9 → 128 H100 = 16 × p5.48xlarge; its checkpoint 980 GB in 300 s = 3,266.7 MB/s.
- 60B on 300B tokens in 30 days: 75,796 GPU-hours × (1 + 5/120) / 720 = 109.7 → 110 → 14 nodes (112 H100); its
  checkpoint 840 GB in 300 s = 2,800 MB/s exactly.
- serving llama-3-70b (70.6B parameters, 80 layers, 8 KV heads of 128: huggingface.co/meta-llama/Llama-3.1-70B):
  bf16 weights 141.2 GB; 16 sequences of 4,096 tokens hold 16 × 2 × 80 × 8 × 128 × 2 B × 4,096 = 21.5 GB of KV
  cache; decode at 10 % of peak: 989.5e12 × 0.1 / (2 × 70.6e9) = 700.8 tokens/s per GPU. For 20K tokens/s: groups
  of 2 GPUs (2 × 0.9 × 80 GiB = 154.6 GB holds the weights) × ceil(20,000 / 1,401.6) = 15 replicas = 30 GPUs, in
  whole nodes 4 × p5.48xlarge = 32."""

from __future__ import annotations

from typing import Any

import pytest
from hand_pools import CATALOG, pool
from test_monthly_budget_direct import fsx

from backbone.policies.inventory import UNKNOWN, Inventory
from backbone.policies.rules.workload_fit import WorkloadFit, WorkloadShortfall

FIT = WorkloadFit()
SHORT = WorkloadShortfall()
H100 = "nvidia-h100-80gb"
DESCRIBED_70B = "training 70B parameters on 300B tokens in 30 days at MFU 0.4"
SERVING = {"kind": "inference", "model": "llama-3-70b", "context": 4096, "concurrency": 16,
           "tokensPerSecond": "20K"}
DESCRIBED_SERVING = "serving llama-3-70b: 16 sequences of 4096 tokens at 20K tokens/s"


def training(params: str = "70B", **more: Any) -> dict[str, Any]:
    return {"kind": "training", "params": params, "tokens": "300B", "days": 30, **more}


def named(name: str, **changes: Any) -> Any:
    return pool(name=name, urn=f"urn:pulumi:s::p::aws:eks/nodeGroup:NodeGroup::{name}", **changes)


def fast() -> Any:
    """48 TiB at 500 MB/s/TiB = 24,000 MB/s: every checkpoint here writes in time."""
    return fsx(name="fast", urn="urn:pulumi:s::p::aws:fsx/lustreFileSystem:LustreFileSystem::fast", capacity_tib=48.0,
               throughput_mbps_per_tib=500.0, throughput_mbps=24_000.0)


def found(rule: Any, pools: list[Any], workload: Any, systems: list[Any] | None = None,
          **config: Any) -> list[tuple[str, str, str]]:
    inventory = Inventory(pools=pools, file_systems=[fast()] if systems is None else systems, workload=workload)
    return [(type(f).__name__, f.urn.rsplit("::", 1)[-1], f.message) for f in rule.check(inventory, config)]


def oversized(nodes: int, times: str, limit: str) -> tuple[str, str, str]:
    return ("Violation", "gpu", f"{nodes * 8} {H100} at max scale ({nodes} × p5.48xlarge ({nodes * 8} {H100})) is "
                                f"{times}× the 128 the declared workload needs ({DESCRIBED_70B}: 16 × p5.48xlarge); "
                                f"the limit is {limit}×: lower maxNodes of gpu to 16, or declare the workload this "
                                "stack is for")


def test_no_declared_workload_is_nothing_to_judge() -> None:
    assert found(FIT, [pool(max_nodes=100)], None) == []
    assert found(SHORT, [pool(max_nodes=1)], None) == []


@pytest.mark.parametrize("nodes, expected", [
    (16, []),  # 128: what the workload needs
    (24, []),  # 192 = 1.5 × 128, exactly at the limit
    (25, [oversized(25, "1.6", "1.5")]),  # 200 > 192
    (40, [oversized(40, "2.5", "1.5")]),
])
def test_oversized_exactly_at_and_one_node_past_the_limit(nodes: int, expected: list[Any]) -> None:
    assert found(FIT, [pool(max_nodes=nodes)], training()) == expected


def test_the_over_provision_limit_is_the_config_s() -> None:
    assert found(FIT, [pool(max_nodes=40)], training(), maxOverProvision=2.5) == []  # 320 = 2.5 × 128
    assert found(FIT, [pool(max_nodes=40)], training(), maxOverProvision=2.4) == [oversized(40, "2.5", "2.4")]
    assert found(FIT, [pool(max_nodes=40)], training(), maxOverProvision=None) == [oversized(40, "2.5", "1.5")]


@pytest.mark.parametrize("params, nodes, floor", [("68B", 2, None), ("69B", 2, 17), ("405B", 4, 95)])
def test_the_memory_floor_exactly_at_and_just_past_a_pool(params: str, nodes: int, floor: int | None) -> None:
    """68B × 16 B / (0.8 × 80 GiB) = 15.8 → 16 = 2 nodes hold it; 69B → 16.06 → 17; 405B → 94.3 → 95."""
    got = found(FIT, [pool(max_nodes=nodes)], {"kind": "training", "params": params, "tokens": "100B", "days": 3650})
    if floor is None:
        assert got == []
        return
    have = nodes * 8
    assert got == [("Violation", "gpu", (
        f"{have} {H100} at max scale ({nodes} × p5.48xlarge ({have} {H100})) cannot hold the training state of "
        f"{params} parameters (16 B/param sharded, ≤ 80% of accelerator memory): it needs at least {floor}: raise "
        "maxNodes of gpu"))]


def test_the_memory_floor_is_for_training_only() -> None:
    """One node (8 GPUs) holds llama-3-70b's bf16 weights for serving; the training floor does not apply."""
    assert found(FIT, [pool(max_nodes=1, min_nodes=1, purpose="inference")], SERVING) == []


def test_every_pool_of_the_purpose_is_summed_and_the_largest_named() -> None:
    """10 + 30 nodes = 320 H100 for a workload of 128; a serving pool of 100 nodes is not counted."""
    pools = [named("small", max_nodes=10), named("large", max_nodes=30),
             named("serve", max_nodes=100, purpose="inference")]
    assert found(FIT, pools, training()) == [("Violation", "large", (
        f"320 {H100} at max scale (30 × p5.48xlarge (240 {H100})) is 2.5× the 128 the declared workload needs "
        f"({DESCRIBED_70B}: 16 × p5.48xlarge); the limit is 1.5×: lower maxNodes of large to 16, or declare the "
        "workload this stack is for"))]
    # the same two pools in the other order: still the larger one
    assert found(FIT, [pools[1], pools[0]], training())[0][1] == "large"


def test_a_workload_without_a_pool_of_its_purpose() -> None:
    assert found(FIT, [pool(purpose="inference")], training()) == [("Violation", "", (
        "the stack declares a training workload but has no training pool: add one (purpose: training) or declare "
        "the workload this stack is for"))]
    assert found(FIT, [pool()], SERVING) == [("Violation", "", (
        "the stack declares a inference workload but has no inference pool: add one (purpose: inference) or declare "
        "the workload this stack is for"))]
    assert found(SHORT, [pool(purpose="inference")], training()) == []  # said once, by workload-fit


def test_an_invalid_workload_cannot_verify_in_both_rules() -> None:
    invalid = [("Unverifiable", "", "the declared workload is not valid: Field required")]
    assert found(FIT, [pool()], {"kind": "training", "params": "70B"}) == invalid
    assert found(SHORT, [pool()], {"kind": "training", "params": "70B"}) == invalid
    assert found(FIT, [pool()], {"kind": "training", "params": "70B", "tokens": "300B"}) == invalid  # one error


def test_an_uncountable_pool_stops_the_judgement() -> None:
    unknown = named("unknown", max_nodes=UNKNOWN, unknown_inputs={"max_nodes": "scalingConfig.maxSize"})
    expected = [("Unverifiable", "unknown", "pool unknown (aws:eks/nodeGroup:NodeGroup): accelerators at max scale "
                                            "unknown (scalingConfig.maxSize)")]
    assert found(FIT, [pool(max_nodes=100), unknown], training()) == expected
    assert found(SHORT, [unknown, pool(max_nodes=1)], training()) == expected


def test_a_pool_counted_but_not_in_the_catalog_cannot_be_sized() -> None:
    """Accelerators attached to a machine type the catalog does not list are counted, but not sized on."""
    attached = pool(instance_type="a9-made-up", instance=None, attached_accelerators=8)
    assert found(FIT, [attached], training()) == [("Unverifiable", "gpu", (
        "pool gpu (aws:eks/nodeGroup:NodeGroup): a9-made-up is not in the catalog"))]


def test_a_type_the_sizing_model_cannot_size_cannot_verify() -> None:
    """GKE TPU v5e hosts (ct5lp-hightpu-4t, 4 chips: cloud.google.com/tpu/docs/v5e): the model sizes no TPU serving."""
    tpu = pool(name="tpu", urn="urn:pulumi:s::p::gcp:container/nodePool:NodePool::tpu", cloud="gcp",
               resource_type="gcp:container/nodePool:NodePool", instance_type="ct5lp-hightpu-4t",
               instance=CATALOG.find("ct5lp-hightpu-4t"), purpose="inference", max_nodes=4)
    assert found(FIT, [tpu], SERVING) == [("Unverifiable", "tpu", (
        "pool tpu (gcp:container/nodePool:NodePool): the workload cannot be sized on ct5lp-hightpu-4t: TPU serving "
        "is not modelled (GPU pools only)"))]


def slow(name: str, mbps: float) -> Any:
    return fsx(name=name, urn=f"urn:pulumi:s::p::aws:fsx/lustreFileSystem:LustreFileSystem::{name}",
               capacity_tib=mbps / 125.0, throughput_mbps=mbps)


@pytest.mark.parametrize("mbps, passes", [(2800.0, True), (2799.0, False), (24_000.0, True)])
def test_the_checkpoint_throughput_exactly_at_and_just_under(mbps: float, passes: bool) -> None:
    """60B: 840 GB in 5 min needs exactly 2,800 MB/s."""
    got = found(FIT, [pool(max_nodes=14)], training("60B"), [slow("one", mbps)])
    assert (got == []) is passes, got


def test_a_slow_file_system_is_named_with_the_checkpoint_it_writes() -> None:
    """60B on 10 TiB at 125 MB/s/TiB = 1,250 MB/s: 840,000 MB / 1,250 / 60 = 11.2 min for 2,800 MB/s in 5 min."""
    assert found(FIT, [pool(max_nodes=14)], training("60B"), [fsx()]) == [("Violation", "scratch", (
        "10 TiB of lustre at 125 MB/s/TiB = 1,250 MB/s writes a 840 GB checkpoint (14 B/param) in 11.2 min; the "
        "workload allows 5 min, which needs ≥ 2,800 MB/s: raise the throughput per TiB or the capacity, or allow "
        "longer checkpoints (checkpointMinutes)"))]


def test_the_file_systems_of_the_cloud_are_summed_and_the_fastest_named() -> None:
    """1,000 + 1,799 = 2,799 MB/s, one short of 2,800; 1,000 + 1,800 is exactly enough. Another cloud's does not
    count."""
    other = slow("gcp-lustre", 100_000.0)
    other = other.__class__(**{**vars(other), "cloud": "gcp"})
    got = found(FIT, [pool(max_nodes=14)], training("60B"), [slow("a", 1000.0), slow("b", 1799.0), other])
    assert [(kind, at) for kind, at, _ in got] == [("Violation", "b")]
    assert got[0][2].startswith("8 TiB of lustre at 125 MB/s/TiB = 1,000 MB/s + 14.39 TiB of lustre at 125 MB/s/TiB "
                                "= 1,799 MB/s writes a 840 GB checkpoint (14 B/param) in 5 min;")
    assert found(FIT, [pool(max_nodes=14)], training("60B"), [slow("a", 1000.0), slow("b", 1800.0), other]) == []
    got = found(FIT, [pool(max_nodes=14)], training("60B"), [slow("b", 1799.0), slow("a", 1000.0)])
    assert got[0][1] == "b"


def test_the_checkpoint_minutes_are_the_workload_s() -> None:
    """840 GB in 10 min needs 1,400 MB/s: 1,250 is short, and the message says 10 min and 11.2."""
    [(_, _, message)] = found(FIT, [pool(max_nodes=14)], training("60B", checkpointMinutes=10), [fsx()])
    assert "in 11.2 min; the workload allows 10 min, which needs ≥ 1,400 MB/s" in message


def test_no_file_system_at_all_is_named_on_the_pool() -> None:
    assert found(FIT, [pool(max_nodes=14)], training("60B"), []) == [("Violation", "gpu", (
        "the stack has no parallel file system to write a 840 GB checkpoint (14 B/param); the workload allows 5 min, "
        "which needs ≥ 2,800 MB/s: raise the throughput per TiB or the capacity, or allow longer checkpoints "
        "(checkpointMinutes)"))]


def test_an_unknown_throughput_cannot_verify_the_checkpoints() -> None:
    unknown = fsx(throughput_mbps=UNKNOWN, capacity_tib=UNKNOWN, unknown_inputs={"capacity_tib": "storageCapacity"})
    assert found(FIT, [pool(max_nodes=14)], training("60B"), [fast(), unknown]) == [("Unverifiable", "scratch", (
        "file system scratch (aws:fsx/lustreFileSystem:LustreFileSystem): throughput unknown (storageCapacity)"))]


def test_serving_is_not_judged_on_its_checkpoints() -> None:
    assert found(FIT, [pool(max_nodes=4, purpose="inference")], SERVING, []) == []


@pytest.mark.parametrize("nodes, days", [(15, "32"), (8, "60")])
def test_a_training_shortfall_says_the_days_it_takes(nodes: int, days: str) -> None:
    """88,428 GPU-hours × (1 + 5/120) / 120 GPUs / 24 = 32.0 days; / 64 GPUs = 60.0."""
    have = nodes * 8
    assert found(SHORT, [pool(max_nodes=nodes)], training()) == [("Violation", "gpu", (
        f"{have} {H100} at max scale ({nodes} × p5.48xlarge ({have} {H100})) take {days} days for {DESCRIBED_70B}; "
        "the deadline needs 128 (16 nodes): raise maxNodes of gpu to 16, or move the deadline (days)"))]


def test_exactly_the_accelerators_of_the_deadline_is_no_shortfall() -> None:
    assert found(SHORT, [pool(max_nodes=16)], training()) == []
    assert found(SHORT, [named("a", max_nodes=8), named("b", max_nodes=8)], training()) == []  # 64 + 64


def test_a_serving_shortfall_says_the_replicas_it_needs() -> None:
    assert found(SHORT, [pool(max_nodes=4, purpose="inference")], SERVING) == []  # 32: exactly what it needs
    assert found(SHORT, [pool(max_nodes=3, purpose="inference")], SERVING) == [("Violation", "gpu", (
        f"24 {H100} at max scale (3 × p5.48xlarge (24 {H100})) are too few for {DESCRIBED_SERVING}: it needs 15 "
        "replicas × 2 = 30 accelerators, 32 in whole nodes (memory for the weights and KV cache, and the token "
        "rate): raise maxNodes of gpu to 4"))]


def test_a_serving_workload_of_a_custom_model_is_described_by_its_parameters() -> None:
    custom = {"kind": "inference", "params": "70B", "shape": {"layers": 80, "kvHeads": 8, "headDim": 128},
              "context": 4096, "concurrency": 16, "tokensPerSecond": "20K"}
    [(_, _, message)] = found(SHORT, [pool(max_nodes=1, purpose="inference")], custom)
    assert "are too few for serving 70B parameters: 16 sequences of 4096 tokens at 20K tokens/s: it needs " in message


def l4_nodes(count: int, purpose: str = "training") -> Any:
    """g6.xlarge: 1 L4 a node (aws.amazon.com/ec2/instance-types/g6), counted with the stack's accelerators."""
    return named("l4", instance_type="g6.xlarge", instance=CATALOG.find("g6.xlarge"), max_nodes=count,
                 purpose=purpose)


@pytest.mark.parametrize("l4, short", [(6, False), (5, True)])
def test_a_training_shortfall_is_against_the_deadline_s_accelerators_not_whole_nodes(l4: int, short: bool) -> None:
    """60B needs 110 H100 for the deadline (14 whole nodes: 112): 13 × 8 + 6 = 110 is enough, 109 is not."""
    got = found(SHORT, [pool(max_nodes=13), l4_nodes(l4)], training("60B"))
    assert [kind for kind, _, _ in got] == (["Violation"] if short else [])


@pytest.mark.parametrize("l4, short", [(8, False), (6, True)])
def test_a_serving_shortfall_is_against_whole_nodes_not_the_token_rate_alone(l4: int, short: bool) -> None:
    """20K tokens/s need 29 H100 for the rate (20,000 / 700.8), 32 in whole nodes: 24 + 8 is enough, 24 + 6 is not."""
    serving = [pool(max_nodes=3, purpose="inference"), l4_nodes(l4, "inference")]
    got = found(SHORT, serving, SERVING)
    assert [kind for kind, _, _ in got] == (["Violation"] if short else [])
