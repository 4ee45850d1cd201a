"""The ``backbone:workload`` stack config: what a stack is for — a training run or an inference service.

``backbone size`` sizes a stack from it and ``--write-stack`` writes it into the stack; the program records it
as a ``backbone:index:Workload`` resource so the policy pack can judge the stack against it.

Counts (parameters, tokens, tokens per second) accept SI suffixes: ``70B`` = 70 × 10⁹ (K 10³, M 10⁶,
B/G 10⁹, T 10¹²), or plain whole numbers.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, RootModel, ValidationError, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from backbone.core.spec_model import SpecModel

__all__ = [
    "BYTES_PER",
    "DEFAULT_MFU",
    "DEFAULT_SERVING_UTILIZATION",
    "MODEL_PRESETS",
    "InferenceWorkload",
    "ModelPreset",
    "ModelShape",
    "TrainingWorkload",
    "WorkloadSpec",
    "format_count",
    "parse_count",
]

# Documented defaults of the sizing model (README, section "Workload-driven sizing").
DEFAULT_MFU = 0.40
DEFAULT_SERVING_UTILIZATION = 0.10

SUFFIXES: dict[str, int] = {"K": 10**3, "M": 10**6, "B": 10**9, "G": 10**9, "T": 10**12}
ALLOWED_COUNT = "a whole number, optionally with a suffix K, M, B (or G) or T, e.g. 70B, 2T, 1.5K"
MAX_COUNT = 10**18  # far above any real run; keeps arithmetic finite
_COUNT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*([A-Za-z]?)\s*$")

TrainingPrecision = Literal["bf16", "fp16", "fp8"]
WeightPrecision = Literal["fp32", "bf16", "fp16", "fp8", "int8", "int4"]
CachePrecision = Literal["fp32", "bf16", "fp16", "fp8", "int8"]

# Bytes per value at each precision.
BYTES_PER: dict[str, float] = {"fp32": 4, "bf16": 2, "fp16": 2, "fp8": 1, "int8": 1, "int4": 0.5}


def parse_count(value: Any) -> int:
    """``"70B"`` -> 70_000_000_000; a positive whole number or a ``ValueError`` saying what is allowed."""
    if isinstance(value, bool):
        raise ValueError(f"expected {ALLOWED_COUNT}")
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected {ALLOWED_COUNT}")
        number = Decimal(repr(value))
    elif isinstance(value, str):
        match = _COUNT.match(value)
        suffix = match.group(2).upper() if match else ""
        if match is None or (suffix and suffix not in SUFFIXES):
            raise ValueError(f"{value!r} is not a count: expected {ALLOWED_COUNT}")
        try:
            number = Decimal(match.group(1)) * SUFFIXES.get(suffix, 1)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a count: expected {ALLOWED_COUNT}") from None
    else:
        raise ValueError(f"expected {ALLOWED_COUNT}")
    if number != number.to_integral_value():
        raise ValueError(f"{value!r} is not a whole number: expected {ALLOWED_COUNT}")
    if number <= 0:
        raise ValueError(f"{value!r} must be positive: expected {ALLOWED_COUNT}")
    if number > MAX_COUNT:
        raise ValueError(f"{value!r} is larger than {MAX_COUNT:.0e}: expected {ALLOWED_COUNT}")
    return int(number)


def format_count(value: int) -> str:
    """The shortest exact suffixed form: 70_000_000_000 -> ``"70B"``, 8_030_000_000 -> ``"8.03B"``."""
    for suffix in ("T", "B", "M", "K"):
        scale = SUFFIXES[suffix]
        if value >= scale:
            text = format(Decimal(value) / scale, "f").rstrip("0").rstrip(".") if value % scale else str(
                value // scale)
            if parse_count(text + suffix) == value:
                return text + suffix
    return str(value)


def _count_or_none(value: Any) -> Any:
    return None if value is None else parse_count(value)


COUNT_PATTERN = r"^\s*([0-9]+(\.[0-9]+)?|\.[0-9]+)\s*[KkMmBbGgTt]?\s*$"
_COUNT_SCHEMA = {"anyOf": [{"type": "integer", "minimum": 1},
                           {"type": "string", "pattern": COUNT_PATTERN, "examples": ["70B", "2T", "1.5K"]}]}
Count = Annotated[int, BeforeValidator(parse_count), WithJsonSchema(_COUNT_SCHEMA)]
OptionalCount = Annotated[int | None, BeforeValidator(_count_or_none),
                          WithJsonSchema({"anyOf": [*_COUNT_SCHEMA["anyOf"], {"type": "null"}]})]


@dataclass(frozen=True)
class ModelPreset:
    """Shape of a well-known open model, from its published config.json / model card."""

    name: str
    params: int
    active_params: int
    layers: int
    kv_heads: int
    head_dim: int
    source: str


_META = "https://huggingface.co/meta-llama/{} (config.json, model card)"
_MISTRAL = "https://huggingface.co/mistralai/Mixtral-8x7B-v0.1 (config.json); https://mistral.ai/news/mixtral-of-experts"
# Parameters: the model page's count (Llama 2 70B: Touvron et al. 2023; Mixtral: 46.7B total, 12.9B active
# per token, Mistral AI). Shape: layers = num_hidden_layers, kv_heads = num_key_value_heads,
# head_dim = hidden_size / num_attention_heads of each config.json (read 2026-11-26).
MODEL_PRESETS: dict[str, ModelPreset] = {
    p.name: p
    for p in (
        ModelPreset("llama-3-8b", 8_030_000_000, 8_030_000_000, 32, 8, 128, _META.format("Llama-3.1-8B")),
        ModelPreset("llama-3-70b", 70_600_000_000, 70_600_000_000, 80, 8, 128, _META.format("Llama-3.1-70B")),
        ModelPreset("llama-3-405b", 406_000_000_000, 406_000_000_000, 126, 8, 128,
                    _META.format("Llama-3.1-405B")),
        ModelPreset("llama-2-70b", 70_000_000_000, 70_000_000_000, 80, 8, 128, _META.format("Llama-2-70b-hf")),
        ModelPreset("mixtral-8x7b", 46_700_000_000, 12_900_000_000, 32, 8, 128, _MISTRAL),
    )
}


class ModelShape(SpecModel):
    """The attention shape that sizes the KV cache."""

    layers: int = Field(ge=1, le=10_000, description="Transformer layers (num_hidden_layers).")
    kv_heads: int = Field(ge=1, le=10_000, description="Key/value heads (num_key_value_heads).")
    head_dim: int = Field(ge=1, le=100_000, description="Dimension of one attention head.")


class TrainingWorkload(SpecModel):
    """A training run: how big, on how much data, by when."""

    kind: Literal["training"]
    params: Count = Field(description="Total parameters, e.g. 70B.")
    active_params: OptionalCount = Field(
        None, description="Parameters active per token (mixture-of-experts); default: params."
    )
    tokens: Count = Field(description="Training tokens, e.g. 2T.")
    days: float = Field(ge=0.01, le=3650, description="Deadline: days the run may take (at least 0.01, ~15 min).")
    precision: TrainingPrecision = Field("bf16", description="Compute precision: bf16 | fp16 | fp8.")
    mfu: float = Field(DEFAULT_MFU, ge=0.01, le=1, description="Model FLOPs utilization assumed (0-1].")
    checkpoint_interval_hours: float = Field(2.0, ge=0.01, le=720, description="Hours between checkpoints.")
    checkpoint_minutes: float = Field(5.0, ge=0.01, le=600, description="Minutes a checkpoint write may take.")
    bytes_per_token: float = Field(4.0, ge=0.001, le=1024, description="Bytes of training data read per token.")

    @model_validator(mode="after")
    def _active_within_total(self) -> TrainingWorkload:
        if self.active_params is not None and self.active_params > self.params:
            raise ValueError(
                f"activeParams ({format_count(self.active_params)}) exceeds params ({format_count(self.params)}): "
                "active parameters are a subset of all parameters"
            )
        if self.checkpoint_minutes >= self.checkpoint_interval_hours * 60:
            raise ValueError(
                f"checkpointMinutes ({self.checkpoint_minutes:g}) is not shorter than checkpointIntervalHours "
                f"({self.checkpoint_interval_hours:g} h): lengthen the interval or shorten the checkpoint"
            )
        return self

    @property
    def active(self) -> int:
        """Parameters that do work per token."""
        return self.params if self.active_params is None else self.active_params


class InferenceWorkload(SpecModel):
    """An inference service: which model, how many sequences at once, at what output rate."""

    kind: Literal["inference"]
    model: str | None = Field(None, description=f"Preset: {', '.join(MODEL_PRESETS)} (shape and params).")
    params: OptionalCount = Field(None, description="Total parameters; default: the preset's.")
    active_params: OptionalCount = Field(None, description="Active parameters per token (MoE); default: params.")
    shape: ModelShape | None = Field(None, description="Model shape; default: the preset's.")
    precision: WeightPrecision = Field("bf16", description="Weight precision.")
    kv_cache_precision: CachePrecision = Field("bf16", description="KV cache precision.")
    context: int = Field(ge=1, le=10_000_000, description="Context length in tokens per sequence.")
    concurrency: int = Field(ge=1, le=10_000_000, description="Concurrent sequences the service holds.")
    tokens_per_second: Count = Field(description="Target output tokens per second of the whole service.")
    serving_utilization: float = Field(
        DEFAULT_SERVING_UTILIZATION, ge=0.001, le=1, description="Fraction of peak FLOP/s decoding achieves."
    )

    @model_validator(mode="after")
    def _shape_known(self) -> InferenceWorkload:
        if self.model is not None and self.model not in MODEL_PRESETS:
            raise ValueError(f"unknown model preset {self.model!r}; known: {', '.join(MODEL_PRESETS)}")
        if self.model is None and (self.params is None or self.shape is None):
            missing = [k for k, v in (("params", self.params), ("shape", self.shape)) if v is None]
            raise ValueError(
                f"{' and '.join(missing)} missing: name a preset (model: one of {', '.join(MODEL_PRESETS)}) "
                "or give params and shape (layers, kvHeads, headDim)"
            )
        if self.active_params is not None and self.active_params > self.total_params:
            raise ValueError(f"activeParams ({format_count(self.active_params)}) exceeds params "
                             f"({format_count(self.total_params)})")
        return self

    @property
    def preset(self) -> ModelPreset | None:
        return None if self.model is None else MODEL_PRESETS[self.model]

    @property
    def total_params(self) -> int:
        if self.params is not None:
            return self.params
        assert self.preset is not None
        return self.preset.params

    @property
    def active(self) -> int:
        if self.active_params is not None:
            return self.active_params
        if self.params is None and self.preset is not None:
            return self.preset.active_params
        return self.total_params

    @property
    def model_shape(self) -> ModelShape:
        if self.shape is not None:
            return self.shape
        assert self.preset is not None
        p = self.preset
        return ModelShape(layers=p.layers, kv_heads=p.kv_heads, head_dim=p.head_dim)


Workload = Annotated[TrainingWorkload | InferenceWorkload, Field(discriminator="kind")]


KINDS: dict[str, type[TrainingWorkload] | type[InferenceWorkload]] = {
    "training": TrainingWorkload,
    "inference": InferenceWorkload,
}


class WorkloadSpec(RootModel[Workload]):
    """``backbone:workload``: a training run (``kind: training``) or an inference service (``kind: inference``)."""

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> WorkloadSpec:  # type: ignore[override]
        """As pydantic's, but errors of a known ``kind`` are located without the union's tag
        (``params``, not ``training.params``): the user's file has no ``training:`` key."""
        if isinstance(obj, dict) and isinstance(obj.get("kind"), str) and obj["kind"] in KINDS:
            return cls(KINDS[obj["kind"]].model_validate(obj, **kwargs))
        if isinstance(obj, dict):
            error: Any = "missing" if "kind" not in obj else PydanticCustomError(
                "workload_kind", "allowed: training, inference")
            raise ValidationError.from_exception_data(
                cls.__name__, [{"type": error, "loc": ("kind",), "input": obj.get("kind", obj)}]
            )
        return super().model_validate(obj, **kwargs)

    def to_config(self) -> dict[str, Any]:
        """The workload as plain camelCase data (what a stack file holds)."""
        data: dict[str, Any] = self.model_dump(by_alias=True, mode="json", exclude_none=True)
        return data

