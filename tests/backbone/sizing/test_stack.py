"""``--write-stack`` pieces: every rankable instance type yields a stack the spec accepts; storage sizes
are ones the service accepts and deliver what is needed."""

from __future__ import annotations

import math

import pytest

from backbone.components.spec import from_config
from backbone.core import catalog, sizing
from backbone.core.catalog.pricing import Rates
from backbone.core.workload import TrainingWorkload, WorkloadSpec
from backbone.sizing.stack import CHECKPOINTS_KEPT, POLICY_FLOOR_MBPS_PER_ACCELERATOR, choose_storage, stack_config

SMALL = WorkloadSpec.model_validate({"kind": "training", "params": "1B", "tokens": "20B", "days": 30})
SERVE = WorkloadSpec.model_validate({"kind": "inference", "model": "llama-3-8b", "context": 4096,
                                     "concurrency": 8, "tokensPerSecond": 500})


@pytest.mark.parametrize("spec", [SMALL, SERVE], ids=["train", "serve"])
def test_every_sized_instance_type_gives_a_stack_the_spec_accepts(
    priced_catalog: catalog.Catalog, spec: WorkloadSpec
) -> None:
    written = 0
    for row in priced_catalog.instances:
        w = spec.root
        option = sizing.size_training(w, row) if isinstance(w, TrainingWorkload) else sizing.size_inference(w, row)
        if isinstance(option, sizing.Skipped):
            continue
        config, _ = stack_config("sized", option, spec)
        parsed = from_config(config, file=f"{row.cloud}/{row.instance_type}")
        assert parsed.cluster.node_pools[0].max_nodes == option.nodes
        written += 1
    assert written >= 3


@pytest.mark.parametrize("cloud", catalog.CLOUDS)
@pytest.mark.parametrize("needed", [50.0, 3_267.0, 85_600.0, 400_000.0])
def test_storage_sizes_are_accepted_and_deliver_the_need(cloud: str, needed: float) -> None:
    min_tib = CHECKPOINTS_KEPT * 14 * 70e9 / 2**40
    choice = choose_storage(cloud, needed, min_tib)
    assert choice is not None
    offering = catalog.load().storage_offering(cloud, choice.kind)
    assert offering is not None
    rule = offering.rule_for(choice.throughput_mbps_per_tib)
    assert rule is not None and rule.accepts(choice.capacity_tib)
    assert choice.throughput_mbps >= needed and choice.total_tib >= min_tib
    # and no smaller accepted size of that tier would do with as many file systems
    smaller = choice.capacity_tib - rule.step_tib
    if rule.accepts(smaller) and smaller >= rule.min_tib:
        assert (choice.count * smaller * choice.throughput_mbps_per_tib < needed
                or choice.count * smaller < min_tib)


def test_the_floor_of_the_pack_sizes_storage_for_many_accelerators(priced_catalog: catalog.Catalog) -> None:
    # 1B parameters: a 14 GB checkpoint in 5 min needs 47 MB/s, but 32 GPUs need 32 × 100 MB/s by the pack.
    w = WorkloadSpec.model_validate({"kind": "training", "params": "1B", "tokens": "500B", "days": 3})
    row = priced_catalog.instance("aws", "p5.48xlarge")
    assert row is not None
    assert isinstance(w.root, TrainingWorkload)
    option = sizing.size_training(w.root, row)
    assert isinstance(option, sizing.Option)
    config, storage = stack_config("sized", option, w)
    assert storage is not None
    written = config["backbone:cluster"]["storage"]
    assert sum(fs["capacityTiB"] * fs["throughputMBpsPerTiB"] for fs in written) == storage.throughput_mbps
    floor = POLICY_FLOOR_MBPS_PER_ACCELERATOR * option.accelerators
    assert option.storage_mbps_needed < floor <= storage.throughput_mbps
    assert math.isclose(storage.needed_mbps, floor)


def test_your_storage_rates_choose_the_file_system_and_price_it() -> None:
    """With every GCP candidate priced by your rates, the cheapest wins: here Managed Lustre at 1000 MB/s/TiB."""
    rates = Rates(storage={"gcp": {"lustre": {125.0: 1.0, 250.0: 1.0, 500.0: 1.0, 1000.0: 0.01},
                                   "parallelstore": {1234.8: 1.0}}})
    choice = choose_storage("gcp", 3_267.0, 20.0, rates)
    assert choice is not None and (choice.kind, choice.throughput_mbps_per_tib) == ("lustre", 1000.0)
    # 0.01 USD per GiB-month × 1000 GiB per Managed Lustre "TiB"
    assert choice.monthly_usd == pytest.approx(0.01 * 1000 * choice.capacity_tib * choice.count)
    dear = Rates(storage={"gcp": {"lustre": {125.0: 5.0, 250.0: 5.0, 500.0: 5.0, 1000.0: 5.0}}})
    by_list = choose_storage("gcp", 3_267.0, 20.0, dear)  # Parallelstore at its list price, 0.14 USD/GiB-month
    assert by_list is not None and by_list.kind == "parallelstore"
    assert by_list.monthly_usd == pytest.approx(140.0 * by_list.capacity_tib * by_list.count)
