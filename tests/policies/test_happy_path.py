"""A balanced training cluster on each cloud passes every policy with the default config."""

from __future__ import annotations

import pytest
from policy_programs import Aws, Azure, Gcp, gcp_tpu
from policy_verdict import LEVELS, Judge

from backbone.core.catalog import load

PROGRAMS = {"aws": Aws(), "gcp": Gcp(), "gcp-tpu": gcp_tpu(), "azure": Azure()}


def _unpriced(instance_type: str) -> bool:
    row = load().find(instance_type)
    return row is None or row.on_demand_usd_per_hour is None


@pytest.mark.parametrize("name", PROGRAMS)
def test_balanced_training_cluster_passes_every_policy(judge: Judge, name: str) -> None:
    verdict = judge(PROGRAMS[name])
    assert verdict.violations() == []
    # The only thing left open may be the budget, where the catalog has no price for the instance type.
    for item in verdict.cannot_verify():
        assert item.policy == "monthly-budget", item.detail
        assert "no on-demand price" in item.detail or "price for this tier" in item.detail


def test_the_pack_offers_every_policy_of_the_contract(pack) -> None:  # type: ignore[no-untyped-def]
    # Over the Analyzer protocol, the pack offers every rule of ALL_POLICIES at the level it declares.
    levels = {name: info.level for name, info in pack.policies.items()}
    assert levels == LEVELS
    keys = {name: set(info.config_schema["properties"]) for name, info in pack.policies.items()}
    assert keys["max-accelerators"] == {"poolLimit", "stackLimit", "strict", "waivers"}
    assert keys["monthly-budget"] == {"usd", "prices", "discountPercent", "storagePrices", "strict", "waivers"}
    assert keys["interconnect"] == {"minGbpsPerAccelerator", "strict", "waivers"}
    assert keys["storage-throughput"] == {"minMBpsPerAccelerator", "externalMBps", "strict", "waivers"}
    assert keys["idle-accelerators"] == {"maxIdleAccelerators", "strict", "waivers"}
    assert keys["known-accelerator"] == {"catalogFiles", "strict", "waivers"}
    assert keys["encrypted-storage"] == {"customerManagedKey", "waivers"}  # nothing it reads can be unknown
