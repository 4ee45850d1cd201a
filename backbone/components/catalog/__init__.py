"""The accelerator catalog: data files with a typed loader. See ``loader`` for the file format."""

from backbone.components.catalog.loader import Catalog, load
from backbone.components.catalog.model import (
    CLOUDS,
    FABRICS,
    HOURS_PER_MONTH,
    Accelerator,
    CapacityRule,
    Cloud,
    InstanceType,
    Source,
    StorageOffering,
    TpuSpec,
)

__all__ = [
    "CLOUDS",
    "FABRICS",
    "HOURS_PER_MONTH",
    "Accelerator",
    "CapacityRule",
    "Catalog",
    "Cloud",
    "InstanceType",
    "Source",
    "StorageOffering",
    "TpuSpec",
    "load",
]
