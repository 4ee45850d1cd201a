"""Backbone's rules, one per file. ``ALL_POLICIES`` is what ``policies/__main__.py`` packs."""

from __future__ import annotations

from pulumi_policy import Policy

from policies.rules.accelerator_runtime import AcceleratorRuntime
from policies.rules.compact_placement import CompactPlacement
from policies.rules.encrypted_storage import EncryptedStorage
from policies.rules.idle_accelerators import IdleAccelerators
from policies.rules.interconnect import Interconnect
from policies.rules.known_accelerator import KnownAccelerator
from policies.rules.max_accelerators import MaxAccelerators
from policies.rules.monthly_budget import MonthlyBudget
from policies.rules.pool_purpose import PoolPurpose
from policies.rules.private_nodes import PrivateNodes
from policies.rules.single_zone import SingleZone
from policies.rules.storage_locality import StorageLocality
from policies.rules.storage_mount import StorageMount
from policies.rules.storage_throughput import StorageThroughput
from policies.rules.tpu_topology import TpuTopology
from policies.rules.tpu_topology_unlisted import TpuTopologyUnlisted
from policies.rules.workload_fit import WorkloadFit, WorkloadShortfall

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
]
