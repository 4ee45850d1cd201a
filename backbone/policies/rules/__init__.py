"""Backbone's rules, one per file. ``ALL_POLICIES`` is what ``policies/__main__.py`` packs."""

from __future__ import annotations

from pulumi_policy import Policy

from backbone.policies.rules.accelerator_coverage import AcceleratorCoverage
from backbone.policies.rules.accelerator_runtime import AcceleratorRuntime
from backbone.policies.rules.compact_placement import CompactPlacement
from backbone.policies.rules.encrypted_storage import EncryptedStorage
from backbone.policies.rules.idle_accelerators import IdleAccelerators
from backbone.policies.rules.interconnect import Interconnect
from backbone.policies.rules.known_accelerator import KnownAccelerator
from backbone.policies.rules.max_accelerators import MaxAccelerators
from backbone.policies.rules.monthly_budget import MonthlyBudget
from backbone.policies.rules.pool_purpose import PoolPurpose
from backbone.policies.rules.private_nodes import PrivateNodes
from backbone.policies.rules.single_zone import SingleZone
from backbone.policies.rules.storage_locality import StorageLocality
from backbone.policies.rules.storage_mount import StorageMount
from backbone.policies.rules.storage_throughput import StorageThroughput
from backbone.policies.rules.tpu_topology import TpuTopology
from backbone.policies.rules.tpu_topology_unlisted import TpuTopologyUnlisted
from backbone.policies.rules.workload_fit import WorkloadFit, WorkloadShortfall

__all__ = ["ALL_POLICIES"]

ALL_POLICIES: list[Policy] = [
    MaxAccelerators(),
    MonthlyBudget(),
    Interconnect(),
    StorageThroughput(),
    SingleZone(),
    TpuTopology(),
    TpuTopologyUnlisted(),
    StorageLocality(),
    IdleAccelerators(),
    KnownAccelerator(),
    PrivateNodes(),
    EncryptedStorage(),
    WorkloadFit(),
    WorkloadShortfall(),
    PoolPurpose(),
    CompactPlacement(),
    AcceleratorRuntime(),
    StorageMount(),
    AcceleratorCoverage(),
]
