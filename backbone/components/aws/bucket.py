"""``DatasetBucket``: an S3 bucket of training data — encrypted at rest, public access blocked, objects
owned by the bucket owner (no ACLs). Used on its own (``kind: bucket``) and by ``LustreFileSystem`` as
the data repository it links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
from pulumi_aws import s3

from backbone.components.aws._facts import FACTS
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.core.errors import ComponentArgumentError

__all__ = ["DatasetBucket", "DatasetBucketArgs"]


@dataclass(frozen=True)
class DatasetBucketArgs:
    """Inputs of ``DatasetBucket``."""

    kms_key_arn: pulumi.Input[str] | None = None
    """Customer KMS key of the bucket (SSE-KMS); None: S3-managed keys (SSE-S3)."""
    force_destroy: bool = False
    """Delete the objects with the bucket (off: a dataset outlives a mistaken ``pulumi destroy``)."""
    region: str | None = None
    """Region of every resource; None: the AWS provider's region."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on the bucket."""


class DatasetBucket(pulumi.ComponentResource):
    """An encrypted, private S3 bucket."""

    bucket: s3.Bucket
    """The bucket (its ``bucket`` output is the name)."""

    def __init__(self, name: str, args: DatasetBucketArgs | None = None,
                 opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:aws:DatasetBucket", name, None, opts)
        args = args or DatasetBucketArgs()
        refusal = FACTS.region_refusal(args.region) if args.region is not None else None
        if refusal is not None:
            raise ComponentArgumentError(component_error_name(self, name), "region", refusal)
        child = pulumi.ResourceOptions(parent=self)
        self.bucket = s3.Bucket(
            f"{name}-bucket",
            force_destroy=args.force_destroy,
            region=args.region,
            tags=dict(args.tags),
            opts=child,
        )
        by_default = (
            s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=args.kms_key_arn
            )
            if args.kms_key_arn is not None
            else s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="AES256"
            )
        )
        s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=self.bucket.id,
            rules=[
                s3.BucketServerSideEncryptionConfigurationRuleArgs(
                    apply_server_side_encryption_by_default=by_default,
                    bucket_key_enabled=args.kms_key_arn is not None,
                )
            ],
            region=args.region,
            opts=child,
        )
        s3.BucketPublicAccessBlock(
            f"{name}-private",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            region=args.region,
            opts=child,
        )
        s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=self.bucket.id,
            rule=s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            region=args.region,
            opts=child,
        )
        register(self)
