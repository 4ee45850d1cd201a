"""``backbone:workload``: counts with suffixes, the training/inference union, presets, and error paths."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backbone.components.spec import from_config
from backbone.core.errors import ConfigError
from backbone.core.workload import (
    MODEL_PRESETS,
    InferenceWorkload,
    TrainingWorkload,
    WorkloadSpec,
    format_count,
    parse_count,
)

CLUSTER = {
    "cloud": "aws", "name": "llm", "region": "us-east-1", "zone": "us-east-1a",
    "nodePools": [{"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 2}],
}
TRAIN = {"kind": "training", "params": "70B", "tokens": "2T", "days": 30}
SERVE = {"kind": "inference", "model": "llama-3-70b", "context": 8192, "concurrency": 64, "tokensPerSecond": 2000}


@pytest.mark.parametrize(("text", "value"), [
    ("70B", 70 * 10**9), ("2T", 2 * 10**12), ("1.5K", 1500), ("8.03b", 8_030_000_000), ("7G", 7 * 10**9),
    ("12M", 12_000_000), ("2000", 2000), (" 15.6T ", 15_600_000_000_000), (4096, 4096), (2e12, 2 * 10**12),
])
def test_counts_take_si_suffixes(text: object, value: int) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["70Q", "B", "", "-5B", "0", "0.5", "1.5", "1e9", "inf", "nan", "70 B B", True,
                                  float("inf"), 0.5, [], None, "2.0000000000001K"])
def test_bad_counts_say_what_is_allowed(text: object) -> None:
    with pytest.raises(ValueError, match=r"whole number|positive|suffix"):
        parse_count(text)


@given(st.one_of(st.text(max_size=12), st.integers(), st.floats(), st.booleans(), st.none()))
def test_count_parser_returns_a_positive_whole_number_or_raises_value_error(value: object) -> None:
    try:
        result = parse_count(value)
    except ValueError:
        return
    assert isinstance(result, int) and 0 < result <= 10**18


@given(st.integers(min_value=1, max_value=10**18))
def test_formatted_counts_parse_back_exactly(value: int) -> None:
    assert parse_count(format_count(value)) == value


def test_the_kind_selects_the_model_and_defaults_are_documented_values() -> None:
    train = WorkloadSpec.model_validate(TRAIN).root
    assert isinstance(train, TrainingWorkload)
    assert (train.params, train.tokens, train.active, train.mfu) == (70 * 10**9, 2 * 10**12, 70 * 10**9, 0.40)
    serve = WorkloadSpec.model_validate(SERVE).root
    assert isinstance(serve, InferenceWorkload)
    preset = MODEL_PRESETS["llama-3-70b"]
    assert serve.total_params == preset.params
    assert (serve.model_shape.layers, serve.model_shape.kv_heads, serve.model_shape.head_dim) == (80, 8, 128)


def test_a_mixture_of_experts_preset_has_fewer_active_parameters() -> None:
    serve = WorkloadSpec.model_validate({**SERVE, "model": "mixtral-8x7b"}).root
    assert isinstance(serve, InferenceWorkload)
    assert serve.active < serve.total_params


def test_stack_config_round_trips_through_to_config() -> None:
    spec = WorkloadSpec.model_validate({**TRAIN, "activeParams": "20B", "checkpointMinutes": 10})
    data = spec.to_config()
    assert data["activeParams"] == 20 * 10**9 and data["checkpointMinutes"] == 10
    assert WorkloadSpec.model_validate(data) == spec


def _problems(workload: object) -> list[str]:
    with pytest.raises(ConfigError) as info:
        from_config({"backbone:cluster": CLUSTER, "backbone:workload": workload}, file="stacks/Pulumi.x.yaml")
    return [f"{p.path}: {p.message}" for p in info.value.problems]


def test_from_config_validates_the_workload_next_to_the_cluster() -> None:
    spec = from_config({"backbone:cluster": CLUSTER, "backbone:workload": TRAIN})
    assert spec.workload == WorkloadSpec.model_validate(TRAIN)


def test_errors_name_the_key_without_the_union_tag() -> None:
    problems = _problems({**TRAIN, "params": "70Q", "days": 0, "mfu": 1.5, "typo": 1})
    assert problems == [
        "backbone:workload.params: '70Q' is not a count: expected a whole number, optionally with a suffix "
        "K, M, B (or G) or T, e.g. 70B, 2T, 1.5K",
        "backbone:workload.days: Input should be greater than or equal to 0.01 (got 0)",
        "backbone:workload.mfu: Input should be less than or equal to 1 (got 1.5)",
        "backbone:workload.typo: unknown key 'typo': check its spelling (`backbone schema` lists the keys)",
    ]


@pytest.mark.parametrize(("workload", "expected"), [
    ({"params": "7B"}, "backbone:workload.kind: required, but missing"),
    ({"kind": "finetune"}, "backbone:workload.kind: allowed: training, inference (got 'finetune')"),
    ({**TRAIN, "activeParams": "80B"}, "backbone:workload: activeParams (80B) exceeds params (70B)"),
    ({**TRAIN, "checkpointMinutes": 180}, "backbone:workload: checkpointMinutes (180) is not shorter"),
    ({**SERVE, "model": "gpt-5"}, "backbone:workload: unknown model preset 'gpt-5'; known: llama-3-8b"),
    ({k: v for k, v in SERVE.items() if k != "model"}, "backbone:workload: params and shape missing"),
])
def test_cross_field_errors_say_what_to_do(workload: dict[str, object], expected: str) -> None:
    problems = _problems(workload)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_a_custom_shape_replaces_the_preset() -> None:
    serve = WorkloadSpec.model_validate({**{k: v for k, v in SERVE.items() if k != "model"}, "params": "13B",
                                         "shape": {"layers": 40, "kvHeads": 40, "headDim": 128}}).root
    assert isinstance(serve, InferenceWorkload)
    assert serve.total_params == 13 * 10**9 and serve.model_shape.kv_heads == 40


def test_json_schema_accepts_suffixed_counts_as_the_models_do() -> None:
    import jsonschema

    schema = WorkloadSpec.model_json_schema(by_alias=True)
    jsonschema.validate(TRAIN, schema)
    jsonschema.validate({**TRAIN, "params": 70_000_000_000, "activeParams": "20B"}, schema)
    jsonschema.validate(SERVE, schema)
    for bad in ({**TRAIN, "params": "70Q"}, {**TRAIN, "tokens": 0}, {**SERVE, "tokensPerSecond": "fast"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
