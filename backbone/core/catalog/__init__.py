"""The accelerator catalog: data files with a typed loader. See ``loader`` for the file format."""

from backbone.core.catalog.loader import (
    ADD_A_ROW,
    CATALOG_ENV,
    CATALOG_FILES_SCHEMA,
    Catalog,
    Overlay,
    catalog_files,
    load,
    load_with,
    use_catalog_files,
)
from backbone.core.catalog.model import (
    CLOUDS,
    FABRICS,
    HOURS_PER_MONTH,
    Accelerator,
    CapacityRule,
    Cloud,
    InstanceType,
    Source,
    StorageOffering,
    TierPrice,
    TpuSpec,
)

__all__ = [
    "ADD_A_ROW",
    "CATALOG_ENV",
    "CATALOG_FILES_SCHEMA",
    "CLOUDS",
    "FABRICS",
    "HOURS_PER_MONTH",
    "Accelerator",
    "CapacityRule",
    "Catalog",
    "Cloud",
    "InstanceType",
    "Overlay",
    "Source",
    "StorageOffering",
    "TierPrice",
    "TpuSpec",
    "catalog_files",
    "load",
    "load_with",
    "use_catalog_files",
]
