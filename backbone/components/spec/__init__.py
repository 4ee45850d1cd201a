"""Typed stack config (pydantic): the single source of truth for the shape of ``backbone:`` config."""

from backbone.components.spec.cluster import ClusterSpec, NetworkSpec, NodePoolSpec, StorageSpec, SystemPoolSpec
from backbone.components.spec.load import NAMESPACE, StackSpec, from_config, problems_of

__all__ = [
    "NAMESPACE",
    "ClusterSpec",
    "NetworkSpec",
    "NodePoolSpec",
    "StackSpec",
    "StorageSpec",
    "SystemPoolSpec",
    "from_config",
    "problems_of",
]
