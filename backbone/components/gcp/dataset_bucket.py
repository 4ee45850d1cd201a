"""``DatasetBucket``: a Cloud Storage bucket for training data and checkpoints, in the pools' region."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_gcp import storage

from backbone.components.clouds import component_error_name
from backbone.components.gcp._facts import FACTS
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError

__all__ = ["DatasetBucket", "DatasetBucketArgs"]


@dataclass(frozen=True)
class DatasetBucketArgs:
    """Inputs of ``DatasetBucket``."""

    region: str
    """The region of the pools it feeds (a regional bucket: no cross-region reads or egress)."""
    kms_key: str | None = None
    """Cloud KMS key (CMEK) for new objects; default: Google-managed encryption at rest."""
    hierarchical_namespace: bool = True
    """Folders with atomic renames (faster checkpoints through Cloud Storage FUSE)."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """GCP labels of the bucket."""
    project: str | None = None
    """Project id; default: the provider's project."""


class DatasetBucket(pulumi.ComponentResource):
    """A private regional bucket: uniform bucket-level access, public access prevention enforced."""

    bucket: storage.Bucket
    """The bucket (its name is generated: bucket names are global)."""

    def __init__(self, name: str, args: DatasetBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:gcp:DatasetBucket", name, None, opts)
        refusal = FACTS.region_refusal(args.region)
        if refusal is not None:
            raise ComponentArgumentError(component_error_name(self, name), "region", refusal)
        self.bucket = storage.Bucket(
            f"{name}-bucket",
            location=args.region.upper(),
            storage_class="STANDARD",
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            hierarchical_namespace=(storage.BucketHierarchicalNamespaceArgs(enabled=True)
                                    if args.hierarchical_namespace else None),
            encryption=storage.BucketEncryptionArgs(default_kms_key_name=args.kms_key) if args.kms_key else None,
            labels=dict(args.labels) or None,
            project=args.project,
            opts=pulumi.ResourceOptions(parent=self),
        )
        register(self)
