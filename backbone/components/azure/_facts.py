"""What Backbone knows about Azure beyond its VM sizes (those are in ``catalog/data/azure.yaml``), in one
place: zone format, the agent pool's name and GPU driver setting, Managed Lustre's SKU names, Azure's tag rules."""

from __future__ import annotations

import re

from backbone.components.clouds import CloudFacts

__all__ = ["CLUSTER_TAG", "FACTS", "GPU_DRIVER_SETTING", "LUSTRE_SKU_PREFIX", "agent_pool_name"]



def agent_pool_name(pool: str) -> str:
    """An AKS agent pool name for a Backbone pool name: Linux pools take 1-12 lowercase letters and digits,
    starting with a letter."""
    name = re.sub(r"[^a-z0-9]", "", pool.lower())
    name = re.sub(r"^[^a-z]+", "", name)[:12]
    return name or "pool"


FACTS = CloudFacts(cloud="azure", region_format=r"^[a-z][a-z0-9]+$", region_example="eastus",
                   zone_format=r"^[1-3]$", zone_example="1, 2 or 3", pool_name=agent_pool_name,
                   pool_name_clash=("both become the AKS pool name {short!r} (AKS takes 1-12 lowercase letters "
                                    "and digits): make them differ in their first 12 letters and digits"))

# Backbone's gpuDriver -> the agent pool's gpuProfile.driver (the values of the SDK's
# containerservice.GPUDriver; written out so that spec validation never loads the Azure SDK).
GPU_DRIVER_SETTING: dict[str, str] = {
    "managed": "Install",
    "operator": "None",
}
# Managed Lustre throughput is a SKU: AMLFS-Durable-Premium-<MB/s per TiB>.
LUSTRE_SKU_PREFIX = "AMLFS-Durable-Premium-"
CLUSTER_TAG = "backbone-cluster"  # Azure tag names cannot contain '/'
