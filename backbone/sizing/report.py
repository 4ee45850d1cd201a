"""A sizing as text (a ranked table) or JSON."""

from __future__ import annotations

from typing import Any

from backbone.core import catalog
from backbone.core import sizing as model
from backbone.core.workload import InferenceWorkload, TrainingWorkload, format_count
from backbone.sizing.rank import Sizing

__all__ = ["render_json", "render_text", "workload_needs"]


def workload_needs(w: TrainingWorkload | InferenceWorkload) -> dict[str, Any]:
    """The workload's own quantities, independent of hardware."""
    if isinstance(w, TrainingWorkload):
        return {
            "training_flops": model.training_flops(w),
            "training_state_bytes": model.TRAINING_STATE_BYTES_PER_PARAM * w.params,
            "checkpoint_bytes": model.checkpoint_bytes(w),
            "checkpoint_write_mbps": round(model.checkpoint_write_mbps(w), 1),
            "checkpoint_stall_fraction": round(model.checkpoint_stall(w), 4),
        }
    return {
        "weights_bytes": model.weights_bytes(w),
        "kv_cache_bytes_per_sequence": model.kv_cache_bytes(w, 1),
        "kv_cache_bytes": model.kv_cache_bytes(w, w.concurrency),
    }


def render_json(sizing: Sizing) -> dict[str, Any]:
    return {
        "workload": sizing.workload.model_dump(by_alias=True, mode="json", exclude_none=True),
        "needs": workload_needs(sizing.workload),
        "options": [dict(rank=i + 1, **o.to_json()) for i, o in enumerate(sizing.options)],
        "skipped": [s.to_json() for s in sizing.skipped],
        "skipped_reasons": [{"reason": r, "instance_types": n} for r, n in sizing.skipped_reasons()],
        "catalog_files": [o.to_json() for o in catalog.load().overlays],
    }


def _gb(n: float) -> str:
    return f"{n / 1e9:,.0f} GB"


def _summary(w: TrainingWorkload | InferenceWorkload) -> list[str]:
    if isinstance(w, TrainingWorkload):
        active = "" if w.active == w.params else f" ({format_count(w.active)} active)"
        return [
            f"Training {format_count(w.params)} parameters{active} on {format_count(w.tokens)} tokens in at most "
            f"{w.days:g} days, {w.precision}, MFU {w.mfu:.2f}.",
            f"Compute 6 × {format_count(w.active)} × {format_count(w.tokens)} = {model.training_flops(w):.3g} FLOP; "
            f"training state {_gb(model.TRAINING_STATE_BYTES_PER_PARAM * w.params)} "
            f"({model.TRAINING_STATE_BYTES_PER_PARAM} B/param, sharded); checkpoint {_gb(model.checkpoint_bytes(w))} "
            f"({model.CHECKPOINT_BYTES_PER_PARAM} B/param) in {w.checkpoint_minutes:g} min = "
            f"{model.checkpoint_write_mbps(w):,.0f} MB/s every {w.checkpoint_interval_hours:g} h.",
        ]
    s = w.model_shape
    return [
        f"Serving {w.model or format_count(w.total_params) + ' parameters'} ({w.precision} weights, "
        f"{w.kv_cache_precision} KV cache): {w.concurrency} sequences of {w.context} tokens, "
        f"{format_count(w.tokens_per_second)} output tokens/s, serving utilization {w.serving_utilization:.2f}.",
        f"Weights {_gb(model.weights_bytes(w))}; KV cache 2 × {s.layers} layers × {s.kv_heads} KV heads × "
        f"{s.head_dim} × context × sequences = {_gb(model.kv_cache_bytes(w, w.concurrency))}. "
        f"Costs are per month of {model.HOURS_PER_MONTH:g} h.",
    ]


def _table(sizing: Sizing, limit: int | None) -> list[str]:
    training = isinstance(sizing.workload, TrainingWorkload)
    header = ["#", "cloud", "instance type", "nodes", "accel", "days" if training else "replicas×TP",
              "accel-hours", "storage MB/s", "cost $", "spot $", "fabric"]
    rows = [header]
    for i, o in enumerate(sizing.options[:limit] if limit else sizing.options):
        nodes = str(o.nodes) if o.tpu_topology is None else f"{o.nodes} ({o.slices}×{o.tpu_topology})"
        rows.append([
            str(i + 1), o.cloud, o.instance_type, nodes, str(o.accelerators),
            f"{o.days:.1f}" if training else f"{o.replicas}×{o.accelerators_per_replica}",
            f"{o.accelerator_hours:,.0f}", f"{o.storage_mbps_needed:,.0f}", f"{o.cost_usd:,.0f}",
            "-" if o.spot_cost_usd is None else f"{o.spot_cost_usd:,.0f}",
            o.fabric if o.spans_nodes else f"{o.fabric} (1 node)" if training else o.fabric,
        ])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def _notes(sizing: Sizing, limit: int | None) -> list[str]:
    """What a row's figures rest on, where it is not the plain case: Multislice (how many slices, joined by
    what) and prices that are not an on-demand list price."""
    notes = []
    for i, o in enumerate(sizing.options[:limit] if limit else sizing.options):
        if o.slices > 1:
            dcn = (f"{o.dcn_gbps_per_chip:g} Gbps per chip" if o.dcn_gbps_per_chip is not None
                   else "bandwidth per chip not in the catalog")
            notes.append(f"  #{i + 1} {o.instance_type}: TPU Multislice, {o.slices} slices of {o.tpu_topology} "
                         f"({o.nodes // o.slices} nodes each), ICI inside a slice, data-center network between "
                         f"slices ({dcn})")
        if o.price_basis and not o.price_basis.startswith("on-demand list price"):
            notes.append(f"  #{i + 1} {o.instance_type}: priced at {o.price_basis}")
    return ["", "Notes:", *notes] if notes else []


def render_text(sizing: Sizing, limit: int | None = None) -> str:
    lines = _summary(sizing.workload)
    lines.append("")
    if sizing.options:
        lines.extend(_table(sizing, limit))
        if limit and len(sizing.options) > limit:
            lines.append(f"... {len(sizing.options) - limit} more (--top 0 shows all)")
        lines.extend(_notes(sizing, limit))
    else:
        lines.append("No catalog instance type fits and can be priced.")
    if sizing.skipped:
        lines.append("")
        lines.append(f"Skipped {len(sizing.skipped)} instance types:")
        for reason, count in sizing.skipped_reasons():
            names = [s.instance_type for s in sizing.skipped if s.reason == reason]
            shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
            lines.append(f"  {count:3d} × {reason} ({shown})")
    lines += [f"note: catalog rows from {line}" for line in catalog.load().provenance()]
    return "\n".join(lines)
