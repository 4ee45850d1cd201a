"""The sizing model: from a workload and one catalog instance type to accelerators, nodes, days, storage
throughput and cost — or the reason the type cannot be sized. Formulas and sources:
docs/how-to/size-a-workload.md, "The model". Every instance fact comes from the catalog row; the constants below are the
model's stated assumptions.

It lives in the core because two layers use it: ``backbone size`` (ranking, ``--write-stack``) and the
policy pack's ``workload-fit`` rule (what a stack's declared workload needs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from backbone.core import catalog
from backbone.core.catalog import HOURS_PER_MONTH
from backbone.core.catalog.pricing import LIST_PRICES, NodePrice, Rates, node_price
from backbone.core.workload import BYTES_PER, InferenceWorkload, TrainingWorkload

__all__ = [
    "CHECKPOINT_BYTES_PER_PARAM",
    "HOURS_PER_MONTH",
    "SERVING_USABLE_MEMORY",
    "TRAINING_STATE_BYTES_PER_PARAM",
    "TRAINING_USABLE_MEMORY",
    "Option",
    "Skipped",
    "TpuLayout",
    "accelerator_hours",
    "checkpoint_bytes",
    "kv_cache_bytes",
    "memory_floor_accelerators",
    "size_inference",
    "size_training",
    "training_flops",
]

# Mixed-precision Adam, sharded (ZeRO-3 / FSDP): bf16 weights 2 + bf16 grads 2 + fp32 master weights 4
# + Adam first moment 4 + second moment 4 bytes per parameter (Rajbhandari et al. 2020, ZeRO, section 3.1).
TRAINING_STATE_BYTES_PER_PARAM = 16
# A checkpoint holds what resuming needs: bf16 weights 2 + fp32 master 4 + Adam m 4 + v 4 (no gradients).
CHECKPOINT_BYTES_PER_PARAM = 14
# Share of accelerator memory the sharded training state may take; the rest holds activations (with
# activation checkpointing), the framework's workspace, communication buffers and fragmentation.
TRAINING_USABLE_MEMORY = 0.80
# Share of accelerator memory weights + KV cache may take (vLLM's default gpu_memory_utilization is 0.9).
SERVING_USABLE_MEMORY = 0.90
MB = 1e6  # storage throughput is in MB/s (10⁶ bytes), as the file system services state it

# The catalog field holding peak dense TFLOP/s at each compute precision. NVIDIA's datasheets state the
# same dense figure for FP16 and BF16 tensor cores; fp8 needs a figure the catalog may not have yet.
PEAK_TFLOPS_FIELD: dict[str, str] = {"bf16": "bf16_dense_tflops", "fp16": "bf16_dense_tflops",
                                     "fp8": "fp8_dense_tflops"}
# Serving: decode runs its matrix products in bf16 whatever the weight storage (weight-only quantization).
SERVING_COMPUTE_PRECISION = "bf16"


@dataclass(frozen=True)
class Skipped:
    """An instance type the model cannot rank, and why."""

    cloud: str
    instance_type: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"cloud": self.cloud, "instance_type": self.instance_type, "reason": self.reason}


@dataclass(frozen=True)
class Option:
    """One instance type sized for the workload."""

    cloud: str
    instance_type: str
    accelerator: str
    accelerators_per_node: int
    nodes: int
    accelerators: int
    accelerator_hours: float
    days: float
    usd_per_hour: float | None  # None where no price is known (catalog or your rate): sized, but not rankable
    cost_usd: float | None
    spot_cost_usd: float | None
    storage_mbps_needed: float
    spans_nodes: bool
    fabric: str
    memory_floor_accelerators: int
    throughput_accelerators: int  # training: to meet the deadline; serving: for the token rate
    tpu_topology: str | None = None
    accelerators_per_replica: int | None = None
    replicas: int | None = None
    slices: int = 1
    """TPU Multislice: identical slices of ``tpu_topology`` (``nodes`` counts all of them)."""
    dcn_gbps_per_chip: float | None = None
    """TPU Multislice: the data-center network bandwidth per chip between slices (catalog, cited)."""
    price_basis: str | None = None
    """What ``usd_per_hour`` is: on-demand list price, published Capacity Block rate, your rate…"""

    @property
    def rank_key(self) -> tuple[float, float, str, str]:
        """Cheapest first; then fastest; then by name, so the order is total and stable."""
        assert self.cost_usd is not None, "an option without a price is not ranked"
        return (self.cost_usd, self.days, self.cloud, self.instance_type)

    def to_json(self) -> dict[str, Any]:
        return {
            "cloud": self.cloud,
            "instance_type": self.instance_type,
            "accelerator": self.accelerator,
            "accelerators_per_node": self.accelerators_per_node,
            "accelerators": self.accelerators,
            "nodes": self.nodes,
            "days": round(self.days, 3),
            "accelerator_hours": round(self.accelerator_hours, 1),
            "usd_per_hour": None if self.usd_per_hour is None else round(self.usd_per_hour, 2),
            "cost_usd": None if self.cost_usd is None else round(self.cost_usd, 2),
            "spot_cost_usd": None if self.spot_cost_usd is None else round(self.spot_cost_usd, 2),
            "storage_mbps_needed": round(self.storage_mbps_needed, 1),
            "spans_nodes": self.spans_nodes,
            "fabric": self.fabric,
            "memory_floor_accelerators": self.memory_floor_accelerators,
            "throughput_accelerators": self.throughput_accelerators,
            "tpu_topology": self.tpu_topology,
            "slices": self.slices,
            "dcn_gbps_per_chip": self.dcn_gbps_per_chip,
            "price_basis": self.price_basis,
            "accelerators_per_replica": self.accelerators_per_replica,
            "replicas": self.replicas,
        }


# --- workload quantities (no hardware) -------------------------------------------------------------------

def training_flops(w: TrainingWorkload) -> float:
    """6 × active parameters × tokens (Kaplan et al. 2020, section 2.1; Hoffmann et al. 2022)."""
    return 6.0 * w.active * w.tokens


def accelerator_hours(w: TrainingWorkload, peak_tflops: float) -> float:
    """Accelerator-hours of compute: FLOPs ÷ (peak dense FLOP/s × MFU) ÷ 3600."""
    return training_flops(w) / (peak_tflops * 1e12 * w.mfu) / 3600.0


def checkpoint_bytes(w: TrainingWorkload) -> float:
    return float(CHECKPOINT_BYTES_PER_PARAM * w.params)


def checkpoint_write_mbps(w: TrainingWorkload) -> float:
    """Storage write throughput that writes one checkpoint in the allowed minutes."""
    return checkpoint_bytes(w) / (w.checkpoint_minutes * 60.0) / MB


def checkpoint_stall(w: TrainingWorkload) -> float:
    """Wall-time overhead of synchronous checkpoints: minutes per checkpoint ÷ minutes between them."""
    return w.checkpoint_minutes / (w.checkpoint_interval_hours * 60.0)


def memory_floor_accelerators(params: int, memory_gib: float) -> int:
    """Fewest accelerators whose usable memory holds the sharded training state:
    16 × params ÷ N ≤ 0.80 × memory per accelerator."""
    usable = TRAINING_USABLE_MEMORY * memory_gib * 2**30
    return max(1, math.ceil(TRAINING_STATE_BYTES_PER_PARAM * params / usable))


def kv_cache_bytes(w: InferenceWorkload, sequences: int) -> float:
    """2 (K and V) × layers × KV heads × head dim × bytes per value × context × sequences."""
    s = w.model_shape
    return 2.0 * s.layers * s.kv_heads * s.head_dim * BYTES_PER[w.kv_cache_precision] * w.context * sequences


def weights_bytes(w: InferenceWorkload) -> float:
    return w.total_params * BYTES_PER[w.precision]


def decode_tokens_per_second(w: InferenceWorkload, peak_tflops: float) -> float:
    """Per accelerator: peak FLOP/s × serving utilization ÷ (2 × active parameters FLOPs per token)."""
    return peak_tflops * 1e12 * w.serving_utilization / (2.0 * w.active)


# --- catalog facts of a row -------------------------------------------------------------------------------

def _peak_tflops(row: catalog.InstanceType, precision: str) -> float | None:
    acc = catalog.load().accelerator(row.accelerator)
    value = getattr(acc, PEAK_TFLOPS_FIELD[precision], None) if acc is not None else None
    return None if value is None else float(value)


def _memory_gib(row: catalog.InstanceType) -> float | None:
    acc = catalog.load().accelerator(row.accelerator)
    if acc is not None and acc.memory_gib is not None:
        return acc.memory_gib
    if row.accelerator_memory_gib is not None and row.accelerator_count:
        return row.accelerator_memory_gib / row.accelerator_count
    return None


def _missing_facts(row: catalog.InstanceType, precision: str) -> Skipped | None:
    """The first catalog fact the model needs that the row lacks."""
    def skip(reason: str) -> Skipped:
        return Skipped(row.cloud, row.instance_type, reason)

    if row.accelerator is None or row.accelerator_count == 0:
        return skip("no accelerator")
    if _peak_tflops(row, precision) is None:
        return skip(f"no {precision} dense TFLOP/s for {row.accelerator} in the catalog")
    if _memory_gib(row) is None:
        return skip(f"no accelerator memory for {row.accelerator} in the catalog")
    return None


@dataclass(frozen=True)
class TpuLayout:
    """TPU slices for a job: ``slices`` × a ``topology`` slice of ``hosts`` nodes each."""

    topology: str
    hosts: int
    slices: int


def _tpu_layout(row: catalog.InstanceType, chips: int) -> TpuLayout | None:
    """The smallest listed slice with at least ``chips`` chips; when none is that large, a Multislice: the
    fewest identical slices that can hold ``chips`` (as many as the largest listed slice needs), each the
    smallest listed slice that makes that count enough. None for a single-host type (no Multislice of it is
    modelled) that needs more than its one slice."""
    tpu = row.tpu
    assert tpu is not None
    fitting = sorted((tpu.chips_of(t), t) for t in tpu.topologies if tpu.chips_of(t) >= chips)
    if fitting:
        return TpuLayout(fitting[0][1], tpu.hosts_of(fitting[0][1]), 1)
    if tpu.single_host or not tpu.topologies:
        return None
    slices = math.ceil(chips / max(tpu.chips_of(t) for t in tpu.topologies))
    topology = min((t for t in tpu.topologies if slices * tpu.chips_of(t) >= chips), key=tpu.chips_of)
    return TpuLayout(topology, tpu.hosts_of(topology), slices)


def _price(row: catalog.InstanceType, rates: Rates) -> NodePrice | None:
    """A node-hour bought the way the type is sold: on demand, or as a Capacity Block where that is the only
    way; None where neither the catalog nor your rates price it."""
    price = node_price(row.cloud, row.instance_type, row, "on-demand", None, rates)
    return price if isinstance(price, NodePrice) else None


# --- sizing one row ---------------------------------------------------------------------------------------

def size_training(w: TrainingWorkload, row: catalog.InstanceType, rates: Rates = LIST_PRICES) -> Option | Skipped:
    """The fewest whole nodes of ``row`` that hold the training state and finish by the deadline; on TPU, one
    slice when one is large enough, else a Multislice of identical slices."""
    missing = _missing_facts(row, w.precision)
    if missing is not None:
        return missing
    peak, memory_gib, price = _peak_tflops(row, w.precision), _memory_gib(row), _price(row, rates)
    assert peak is not None and memory_gib is not None
    work_hours = accelerator_hours(w, peak)
    wall_factor = 1.0 + checkpoint_stall(w)
    for_deadline = math.ceil(work_hours * wall_factor / (24.0 * w.days))
    for_memory = memory_floor_accelerators(w.params, memory_gib)
    needed = max(for_deadline, for_memory)
    per_node = row.accelerator_count
    layout = None
    if row.tpu is not None:
        layout = _tpu_layout(row, needed)
        if layout is None:
            largest = max(row.tpu.topologies, key=row.tpu.chips_of)
            return Skipped(row.cloud, row.instance_type,
                           f"needs {needed} chips; a single-host {row.tpu.version} type forms only {largest} "
                           f"({row.tpu.chips_of(largest)} chips): use its multi-host machine type")
        nodes = layout.hosts * layout.slices
    else:
        nodes = math.ceil(needed / per_node)
    if nodes > 1 and not row.has_fabric:
        return Skipped(row.cloud, row.instance_type, f"needs {nodes} nodes but has no accelerator fabric")
    if nodes > 1 and row.fabric != "ici" and row.fabric_nics is None:
        return Skipped(row.cloud, row.instance_type, f"needs {nodes} nodes over its {row.fabric} fabric, but the "
                       "catalog lacks how many fabric interfaces a node attaches (fabric_nics)")
    accelerators = nodes * per_node
    wall_hours = work_hours * wall_factor / accelerators
    data_mbps = w.tokens / (work_hours / accelerators * 3600.0) * w.bytes_per_token / MB
    spot = row.spot_usd_per_hour
    usd = None if price is None else price.usd_per_hour
    multislice = layout is not None and layout.slices > 1
    generation = row.tpu.generation if row.tpu is not None else None
    return Option(
        cloud=row.cloud,
        instance_type=row.instance_type,
        accelerator=str(row.accelerator),
        accelerators_per_node=per_node,
        nodes=nodes,
        accelerators=accelerators,
        accelerator_hours=work_hours,
        days=wall_hours / 24.0,
        usd_per_hour=None if usd is None else nodes * usd,
        cost_usd=None if usd is None else nodes * usd * wall_hours,
        spot_cost_usd=None if spot is None else nodes * spot * wall_hours,
        # Synchronous checkpoints stop reading while they write: the larger of the two rates.
        storage_mbps_needed=max(checkpoint_write_mbps(w), data_mbps),
        spans_nodes=nodes > 1,
        fabric=f"{row.fabric} + dcn" if multislice else row.fabric,
        memory_floor_accelerators=for_memory,
        throughput_accelerators=for_deadline,
        tpu_topology=None if layout is None else layout.topology,
        slices=1 if layout is None else layout.slices,
        dcn_gbps_per_chip=generation.dcn_gbps_per_chip if multislice and generation is not None else None,
        price_basis=None if price is None else price.basis,
    )


def _tensor_parallel_sizes(per_node: int) -> list[int]:
    """Powers of two that divide the node's accelerators: a tensor-parallel group never leaves a node."""
    sizes, g = [], 1
    while g <= per_node:
        if per_node % g == 0:
            sizes.append(g)
        g *= 2
    return sizes


def size_inference(w: InferenceWorkload, row: catalog.InstanceType, rates: Rates = LIST_PRICES) -> Option | Skipped:
    """Replicas of a power-of-two tensor-parallel group inside one node: enough memory for the weights and
    the KV cache of all concurrent sequences, enough decode throughput for the token rate; fewest nodes."""
    missing = _missing_facts(row, SERVING_COMPUTE_PRECISION)
    if missing is not None:
        return missing
    if row.tpu is not None:
        return Skipped(row.cloud, row.instance_type, "TPU serving is not modelled (GPU pools only)")
    peak, memory_gib, node = (_peak_tflops(row, SERVING_COMPUTE_PRECISION), _memory_gib(row), _price(row, rates))
    price = None if node is None else node.usd_per_hour
    assert peak is not None and memory_gib is not None
    usable = SERVING_USABLE_MEMORY * memory_gib * 2**30
    per_acc_rate = decode_tokens_per_second(w, peak)
    kv_total = kv_cache_bytes(w, w.concurrency)
    best: tuple[int, int, int, int, int] | None = None  # nodes, accelerators, group, replicas, memory replicas
    for group in _tensor_parallel_sizes(row.accelerator_count):
        room = usable * group - weights_bytes(w)
        if room <= 0:
            continue
        for_memory = math.ceil(kv_total / room)
        for_rate = math.ceil(w.tokens_per_second / (group * per_acc_rate))
        replicas = max(1, for_memory, for_rate)
        accelerators = replicas * group
        nodes = math.ceil(accelerators / row.accelerator_count)
        candidate = (nodes, accelerators, group, replicas, for_memory)
        if best is None or candidate[:3] < best[:3]:
            best = candidate
    if best is None:
        return Skipped(row.cloud, row.instance_type,
                       f"weights ({weights_bytes(w) / 1e9:,.0f} GB) exceed one node's usable memory "
                       "(serving across nodes is not modelled)")
    nodes, _, group, replicas, for_memory = best
    accelerators = nodes * row.accelerator_count  # provisioned: whole nodes, as for training
    spot = row.spot_usd_per_hour
    return Option(
        cloud=row.cloud,
        instance_type=row.instance_type,
        accelerator=str(row.accelerator),
        accelerators_per_node=row.accelerator_count,
        nodes=nodes,
        accelerators=accelerators,
        accelerator_hours=accelerators * HOURS_PER_MONTH,
        days=HOURS_PER_MONTH / 24.0,
        usd_per_hour=None if price is None else nodes * price,
        cost_usd=None if price is None else nodes * price * HOURS_PER_MONTH,
        spot_cost_usd=None if spot is None else nodes * spot * HOURS_PER_MONTH,
        storage_mbps_needed=0.0,
        spans_nodes=False,
        fabric=row.fabric,
        memory_floor_accelerators=for_memory * group,
        throughput_accelerators=math.ceil(w.tokens_per_second / per_acc_rate),
        accelerators_per_replica=group,
        replicas=replicas,
        price_basis=None if node is None else node.basis,
    )
