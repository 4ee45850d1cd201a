"""What Backbone knows about Azure beyond its VM sizes (those are in ``catalog/data/azure.yaml``), in one
place: zone format, the agent pool's GPU driver setting, Managed Lustre's SKU names, Azure's tag rules."""

from __future__ import annotations

from backbone.components.clouds import CloudFacts

__all__ = ["CLUSTER_TAG", "FACTS", "GPU_DRIVER_SETTING", "LUSTRE_SKU_PREFIX"]

FACTS = CloudFacts(cloud="azure", region_format=r"^[a-z][a-z0-9]+$", region_example="eastus",
                   zone_format=r"^[1-3]$", zone_example="1, 2 or 3")

# Backbone's gpuDriver -> the agent pool's gpuProfile.driver (the values of the SDK's
# containerservice.GPUDriver; written out so that spec validation never loads the Azure SDK).
GPU_DRIVER_SETTING: dict[str, str] = {
    "managed": "Install",
    "operator": "None",
}
# Managed Lustre throughput is a SKU: AMLFS-Durable-Premium-<MB/s per TiB>.
LUSTRE_SKU_PREFIX = "AMLFS-Durable-Premium-"
CLUSTER_TAG = "backbone-cluster"  # Azure tag names cannot contain '/'
