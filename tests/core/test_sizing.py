"""The sizing model against published training runs and hand-worked examples.

Peak TFLOP/s come from the catalog (``accelerators.yaml``), the MFU is the documented default (0.40):
nothing here is tuned to the runs it is checked against.
"""

from __future__ import annotations

import math

import pytest

from backbone.core import catalog
from backbone.core import sizing as model
from backbone.core.workload import DEFAULT_MFU, InferenceWorkload, TrainingWorkload, WorkloadSpec


def training(**fields: object) -> TrainingWorkload:
    w = WorkloadSpec.model_validate({"kind": "training", "days": 30, **fields}).root
    assert isinstance(w, TrainingWorkload)
    return w


def serving(**fields: object) -> InferenceWorkload:
    w = WorkloadSpec.model_validate({"kind": "inference", **fields}).root
    assert isinstance(w, InferenceWorkload)
    return w


def peak(accelerator: str) -> float:
    acc = catalog.load().accelerator(accelerator)
    assert acc is not None and acc.bf16_dense_tflops is not None, f"the catalog lacks {accelerator} bf16 TFLOP/s"
    return acc.bf16_dense_tflops


# (run, accelerator, params, tokens, published accelerator-hours, source)
PUBLISHED_RUNS = [
    # Touvron et al. 2023, "Llama 2: Open Foundation and Fine-Tuned Chat Models", Table 2 (GPU hours of
    # pretraining on A100-80GB) and Table 1 (2.0T tokens for every size).
    ("llama-2-7b", "nvidia-a100-80gb", "7B", "2T", 184_320),
    ("llama-2-13b", "nvidia-a100-80gb", "13B", "2T", 368_640),
    ("llama-2-34b", "nvidia-a100-80gb", "34B", "2T", 1_038_336),
    ("llama-2-70b", "nvidia-a100-80gb", "70B", "2T", 1_720_320),
    # Meta, Llama 3.1 model card (huggingface.co/meta-llama/Llama-3.1-405B, "Training Energy Use"):
    # 30.84M H100-80GB GPU hours for 405B; Llama 3 Herd of Models (Dubey et al. 2024), section 3.1: 15.6T tokens.
    ("llama-3.1-405b", "nvidia-h100-80gb", "405B", "15.6T", 30_840_000),
]


@pytest.mark.parametrize(("run", "accelerator", "params", "tokens", "published"), PUBLISHED_RUNS,
                         ids=[r[0] for r in PUBLISHED_RUNS])
def test_default_mfu_lands_within_20_percent_of_published_accelerator_hours(
    run: str, accelerator: str, params: str, tokens: str, published: float
) -> None:
    w = training(params=params, tokens=tokens)
    assert w.mfu == DEFAULT_MFU
    hours = model.accelerator_hours(w, peak(accelerator))
    assert abs(hours / published - 1) <= 0.20, f"{run}: model {hours:,.0f} vs published {published:,.0f}"


# Meta's Llama 3.1 model card also gives 1.46M (8B) and 7.0M (70B) H100 GPU-hours for "15T+" tokens: the
# default MFU does not land within ±20% of those (the model says 0.51M and 4.4M; the implied MFU is 0.14 and
# 0.25). Reported in docs/how-to/size-a-workload.md, not fudged; strict, so a model change that lands
# them shows up here.
MISSED_RUNS = [
    ("llama-3.1-8b", "nvidia-h100-80gb", "8B", "15T", 1_460_000),
    ("llama-3.1-70b", "nvidia-h100-80gb", "70B", "15T", 7_000_000),
]


@pytest.mark.xfail(strict=True, reason="Meta's smaller Llama 3.1 runs imply an MFU well below 0.40")
@pytest.mark.parametrize(("run", "accelerator", "params", "tokens", "published"), MISSED_RUNS,
                         ids=[r[0] for r in MISSED_RUNS])
def test_smaller_llama_3_1_runs_miss_the_default_mfu(
    run: str, accelerator: str, params: str, tokens: str, published: float
) -> None:
    test_default_mfu_lands_within_20_percent_of_published_accelerator_hours(run, accelerator, params, tokens,
                                                                            published)


def test_llama_2_70b_by_hand() -> None:
    # 6 × 70e9 × 2e12 = 8.4e23 FLOP; A100 312 TFLOP/s × 0.40 = 124.8e12 FLOP/s;
    # 8.4e23 / 124.8e12 / 3600 = 1,869,658 GPU-hours (published: 1,720,320, +8.7%)
    w = training(params="70B", tokens="2T")
    assert model.training_flops(w) == pytest.approx(8.4e23)
    assert model.accelerator_hours(w, 312) == pytest.approx(1_869_658, rel=1e-6)


def test_mixture_of_experts_computes_with_active_parameters_and_stores_all() -> None:
    dense = training(params="47B", tokens="1T")
    moe = training(params="47B", activeParams="13B", tokens="1T")
    assert model.training_flops(moe) == pytest.approx(6 * 13e9 * 1e12)
    assert model.training_flops(moe) < model.training_flops(dense)
    assert model.checkpoint_bytes(moe) == model.checkpoint_bytes(dense) == 14 * 47e9


@pytest.mark.parametrize(("params", "memory_gib", "expected"), [
    # 16 B/param × 70e9 = 1.12e12 B; usable 0.80 × 80 GiB = 0.8 × 80 × 2^30 = 68,719,476,736 B;
    # 1.12e12 / 68,719,476,736 = 16.30 → 17 accelerators
    (70 * 10**9, 80, 17),
    # 16 × 7e9 = 1.12e11 B; 0.80 × 24 GiB = 20,615,843,021 B; 5.43 → 6
    (7 * 10**9, 24, 6),
    # 16 × 405e9 = 6.48e12 B; 0.80 × 141 GiB = 121,118,327,603 B; 53.50 → 54
    (405 * 10**9, 141, 54),
    # 16 × 1e9 = 1.6e10 B fits in one 80 GiB accelerator
    (10**9, 80, 1),
    # exactly full: 0.80 × 80 GiB / 16 B = 4,294,967,296 params → 1; one more → 2
    (4_294_967_296, 80, 1),
    (4_294_967_297, 80, 2),
])
def test_memory_floor_by_hand(params: int, memory_gib: float, expected: int) -> None:
    assert model.memory_floor_accelerators(params, memory_gib) == expected


def test_checkpoint_write_throughput_by_hand() -> None:
    # 14 B/param × 70e9 = 980e9 B in 5 min = 300 s → 3,266.7 MB/s; stall 5 min every 2 h = 5/120
    w = training(params="70B", tokens="2T", checkpointMinutes=5, checkpointIntervalHours=2)
    assert model.checkpoint_write_mbps(w) == pytest.approx(980e9 / 300 / 1e6)
    assert model.checkpoint_stall(w) == pytest.approx(5 / 120)


def test_kv_cache_by_hand() -> None:
    # Llama 3 70B: 2 × 80 layers × 8 KV heads × 128 head dim × 2 B (bf16) × 8192 tokens = 2,684,354,560 B
    # per sequence (2.5 GiB); 64 sequences = 171,798,691,840 B. fp8 halves it.
    w = serving(model="llama-3-70b", context=8192, concurrency=64, tokensPerSecond=2000)
    assert model.kv_cache_bytes(w, 1) == 2_684_354_560
    assert model.kv_cache_bytes(w, 64) == 171_798_691_840
    fp8 = serving(model="llama-3-70b", context=8192, concurrency=64, tokensPerSecond=2000, kvCachePrecision="fp8")
    assert model.kv_cache_bytes(fp8, 64) == 171_798_691_840 / 2


def _row(instance_type: str) -> catalog.InstanceType:
    row = catalog.load().find(instance_type)
    assert row is not None
    return row


def test_training_on_p5_by_hand(priced_catalog: catalog.Catalog) -> None:
    # 70B on 2T tokens in 30 days on H100 (catalog: ~989 TFLOP/s dense bf16) at MFU 0.40:
    # 8.4e23 / (989e12 × 0.40) / 3600 ≈ 589,800 GPU-hours; with checkpoint stalls × (1 + 5/120);
    # ÷ (24 × 30) h ≈ 853.3 → 854 GPUs for the deadline (memory needs only 17) → 107 nodes of 8 = 856 GPUs.
    w = training(params="70B", tokens="2T", days=30)
    option = model.size_training(w, _row("p5.48xlarge"))
    assert isinstance(option, model.Option)
    hours = 8.4e23 / (peak("nvidia-h100-80gb") * 1e12 * 0.40) / 3600
    assert option.accelerator_hours == pytest.approx(hours)
    deadline = math.ceil(hours * (1 + 5 / 120) / (24 * 30))
    assert deadline in (853, 854)
    assert (option.throughput_accelerators, option.memory_floor_accelerators) == (deadline, 17)
    assert (option.nodes, option.accelerators, option.spans_nodes) == (107, 856, True)
    wall = hours * (1 + 5 / 120) / 856
    assert option.days == pytest.approx(wall / 24) and option.days <= 30
    price = _row("p5.48xlarge").on_demand_usd_per_hour
    assert price is not None
    assert option.cost_usd == pytest.approx(107 * price * wall)
    assert option.storage_mbps_needed == pytest.approx(980e9 / 300 / 1e6)


def test_a_single_node_type_without_fabric_is_skipped_when_the_job_spans_nodes(
    priced_catalog: catalog.Catalog,
) -> None:
    w = training(params="70B", tokens="2T", days=30)
    result = model.size_training(w, _row("Standard_NC24ads_A100_v4"))
    assert isinstance(result, model.Skipped)
    assert "has no accelerator fabric" in result.reason


def test_a_small_run_fits_on_one_node_without_fabric(priced_catalog: catalog.Catalog) -> None:
    # 1B on 10B tokens: 6e19 FLOP / (312e12 × 0.4) / 3600 = 133.5 GPU-hours → 1 GPU in 30 days
    w = training(params="1B", tokens="10B", days=30)
    option = model.size_training(w, _row("Standard_NC24ads_A100_v4"))
    assert isinstance(option, model.Option)
    assert (option.nodes, option.accelerators, option.spans_nodes) == (1, 1, False)


def test_serving_llama_3_70b_on_p5_by_hand(priced_catalog: catalog.Catalog) -> None:
    # usable per H100 = 0.90 × 80 GiB = 77.31e9 B; weights 70.6e9 × 2 B = 141.2e9 B; KV cache 171.8e9 B.
    # Decode per H100 = 989e12 × 0.10 / (2 × 70.6e9) = 700.4 tokens/s.
    # TP 1: weights do not fit. TP 2: room 13.42e9 → 13 replicas for the KV cache = 26 GPUs = 4 nodes.
    # TP 4: room 168.0e9 → 2 replicas (rate needs 1) = 8 GPUs = 1 node. TP 8: 1 replica = 8 GPUs = 1 node.
    # Fewest nodes, then fewest GPUs, then the smaller group: 2 replicas × TP 4.
    w = serving(model="llama-3-70b", context=8192, concurrency=64, tokensPerSecond=2000)
    option = model.size_inference(w, _row("p5.48xlarge"))
    assert isinstance(option, model.Option)
    assert (option.replicas, option.accelerators_per_replica, option.nodes) == (2, 4, 1)
    assert option.accelerators == 8  # provisioned in whole nodes, what the pack counts at max scale
    assert option.throughput_accelerators == math.ceil(2000 / (peak("nvidia-h100-80gb") * 1e11 / (2 * 70.6e9)))


def test_serving_throughput_drives_replicas_when_memory_does_not(priced_catalog: catalog.Catalog) -> None:
    # 8B bf16 = 16.06e9 B fits one H100; 1 sequence of 1K tokens. Decode per H100 =
    # 989e12 × 0.10 / (2 × 8.03e9) = 6,158.8 tokens/s; 50,000 tokens/s needs ceil(8.12) = 9 replicas of TP 1.
    w = serving(model="llama-3-8b", context=1024, concurrency=1, tokensPerSecond="50K")
    row = _row("p5.48xlarge")
    option = model.size_inference(w, row)
    assert isinstance(option, model.Option)
    assert (option.replicas, option.accelerators_per_replica, option.nodes, option.accelerators) == (9, 1, 2, 16)


def test_unpriced_types_are_sized_but_not_ranked() -> None:
    from backbone.sizing import size
    from backbone.sizing.rank import NO_PRICE

    w = training(params="7B", tokens="100B")
    sizing = size(w)
    for row in catalog.load().instances:
        result = model.size_training(w, row)
        block_only = row.capacity_block_only and row.capacity_block is not None
        if row.on_demand_usd_per_hour is None and not block_only and isinstance(result, model.Option):
            assert result.cost_usd is None
            assert (row.cloud, row.instance_type, NO_PRICE) in {(s.cloud, s.instance_type, s.reason)
                                                                for s in sizing.skipped}
            assert row.instance_type not in {o.instance_type for o in sizing.options}
        if block_only and isinstance(result, model.Option):  # sold as Capacity Blocks: priced at the block rate
            assert row.capacity_block is not None
            assert result.usd_per_hour == result.nodes * row.capacity_block.usd_per_hour
            assert result.price_basis is not None and "Capacity Block" in result.price_basis
