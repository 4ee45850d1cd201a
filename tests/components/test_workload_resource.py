"""The ``Workload`` component: a stack's workload reaches the resource graph as plain camelCase inputs."""

from __future__ import annotations

from typing import Any

import pytest

from backbone.components.spec import from_config
from backbone.components.workload import TYPE, Workload
from backbone.core.workload import WorkloadSpec
from backbone.engine import Preview, preview_function

TRAIN = {"kind": "training", "params": "70B", "activeParams": "20B", "tokens": "2T", "days": 30}


def _workloads(preview: Preview) -> list[dict[str, Any]]:
    return [r.inputs for r in preview.resources if r.type == TYPE]


def test_inputs_are_the_workload_as_camel_case_data() -> None:
    preview = preview_function(lambda: Workload("llm-workload", TRAIN), "dev")
    [inputs] = _workloads(preview)
    assert inputs["kind"] == "training"
    assert inputs["activeParams"] == 20e9 and inputs["params"] == 70e9 and inputs["tokens"] == 2e12
    assert inputs["checkpointIntervalHours"] == 2.0  # the defaults travel too: the pack reads one shape
    # what crossed the wire validates back into the same workload (numbers come back as floats)
    assert WorkloadSpec.model_validate({k: int(v) if k in ("params", "activeParams", "tokens") else v
                                        for k, v in inputs.items()}) == WorkloadSpec.model_validate(TRAIN)


def test_a_validated_spec_and_plain_data_record_the_same_inputs() -> None:
    a = _workloads(preview_function(lambda: Workload("w", WorkloadSpec.model_validate(TRAIN)), "dev"))
    b = _workloads(preview_function(lambda: Workload("w", TRAIN), "dev"))
    assert a == b


def test_bad_plain_data_is_refused() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Workload("w", {"kind": "training", "params": "lots"})


def test_the_program_records_a_declared_workload() -> None:
    from backbone.components.program import build

    config = {
        "backbone:cluster": {
            "cloud": "aws", "name": "llm", "region": "us-east-1", "zone": "us-east-1a",
            "nodePools": [{"name": "h100", "instanceType": "p5.48xlarge", "maxNodes": 2}],
        },
        "backbone:workload": TRAIN,
    }
    spec = from_config(config)
    preview = preview_function(lambda: build(spec), "dev", config)
    [workload] = [r for r in preview.resources if r.type == TYPE]
    assert workload.name == "llm-workload"
    assert workload.inputs["kind"] == "training"
