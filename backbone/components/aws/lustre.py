"""``LustreFileSystem``: Amazon FSx for Lustre (PERSISTENT_2, SSD) next to the GPUs it feeds.

Sizes and throughput tiers come from the catalog's storage offering (``storage_offering("aws", "lustre")``):
the capacity is given in the service's TiB and sent in GiB (``offering.gib_of_tib``), the tier is
``per_unit_storage_throughput`` in MB/s per TiB, so the file system delivers capacity × tier MB/s. It lives
in one subnet (the zone of the training pool it feeds), behind the network's security group, encrypted
with a customer KMS key, and is linked to an S3 bucket of training data through a data repository
association (new and changed objects are imported; files written under the path are exported back).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_aws import fsx, kms

from backbone.components.aws.bucket import Bucket, DatasetBucket, DatasetBucketArgs
from backbone.components.clouds import component_error_name
from backbone.components.outputs import register
from backbone.components.storage_offering import checked_offering
from backbone.core.errors import ComponentArgumentError

__all__ = ["LustreFileSystem", "LustreFileSystemArgs", "storage_capacity_gib"]

DEPLOYMENT_TYPE = "PERSISTENT_2"
LUSTRE_VERSION = "2.15"
REPOSITORY_EVENTS = ["NEW", "CHANGED", "DELETED"]


@dataclass(frozen=True)
class LustreFileSystemArgs:
    """Inputs of ``LustreFileSystem``."""

    subnet_id: pulumi.Input[str]
    """The one subnet of the file system: the zone of the pool it feeds."""
    security_group_ids: Sequence[pulumi.Input[str]]
    """Security groups of its interfaces (the network's group allows Lustre traffic from the nodes)."""
    capacity_tib: float
    """Capacity in the service's TiB (a size the catalog's offering accepts for the tier)."""
    throughput_mbps_per_tib: float | None = None
    """Throughput tier (125, 250, 500, 1000 MB/s/TiB); None: the service's only tier, if it has one."""
    import_path: str | None = None
    """``s3://bucket[/prefix]`` of existing training data; None: a new ``DatasetBucket`` is linked."""
    file_system_path: str = "/data"
    """Where the bucket's objects appear in the file system."""
    region: str | None = None
    """Region of every resource; None: the AWS provider's region."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags on every resource."""


def storage_capacity_gib(capacity_tib: float, throughput_mbps_per_tib: float | None,
                         where: str = "LustreFileSystem") -> tuple[int, int]:
    """(GiB, MB/s/TiB) for the FSx API; raises when the catalog's offering does not accept the size or tier."""
    offering, tier = checked_offering("aws", "lustre", where, capacity_tib, throughput_mbps_per_tib)
    gib = offering.gib_of_tib(capacity_tib)
    if abs(gib - round(gib)) > 1e-6:
        raise ComponentArgumentError(where, "capacity_tib",
                                     f"{capacity_tib:g} TiB is {gib:g} GiB, not a whole number of GiB")
    return round(gib), round(tier)


class LustreFileSystem(pulumi.ComponentResource):
    """FSx for Lustre with a customer KMS key and a linked S3 bucket of training data."""

    filesystem: fsx.LustreFileSystem
    """The FSx for Lustre file system."""
    bucket: Bucket | None
    """The bucket it created and links; None when ``import_path`` names an existing one."""
    kms_key: kms.Key
    """The customer key that encrypts the file system."""
    repository: fsx.DataRepositoryAssociation
    """The link between the bucket and ``file_system_path``."""

    def __init__(self, name: str, args: LustreFileSystemArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("backbone:aws:LustreFileSystem", name, None, opts)
        where = component_error_name(self, name)
        if args.import_path is not None and not args.import_path.startswith("s3://"):
            raise ComponentArgumentError(where, "import_path",
                                         f"must be s3://bucket[/prefix], got {args.import_path!r}")
        capacity_gib, tier = storage_capacity_gib(args.capacity_tib, args.throughput_mbps_per_tib, where)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)

        self.kms_key = kms.Key(
            f"{name}-key",
            description=f"FSx for Lustre {name}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            region=args.region,
            tags=tags,
            opts=child,
        )
        self.filesystem = fsx.LustreFileSystem(
            f"{name}-filesystem",
            deployment_type=DEPLOYMENT_TYPE,
            storage_type="SSD",
            file_system_type_version=LUSTRE_VERSION,
            storage_capacity=capacity_gib,
            per_unit_storage_throughput=tier,
            subnet_ids=args.subnet_id,
            security_group_ids=list(args.security_group_ids),
            kms_key_id=self.kms_key.arn,
            data_compression_type="LZ4",
            region=args.region,
            tags=tags,
            opts=child,
        )
        if args.import_path is None:
            data = DatasetBucket(f"{name}-data", DatasetBucketArgs(region=args.region, tags=tags), opts=child)
            self.bucket = data.bucket
            repository_path: pulumi.Input[str] = pulumi.Output.concat("s3://", data.bucket.bucket)
        else:
            self.bucket = None
            repository_path = args.import_path
        self.repository = fsx.DataRepositoryAssociation(
            f"{name}-repository",
            file_system_id=self.filesystem.id,
            file_system_path=args.file_system_path,
            data_repository_path=repository_path,
            batch_import_meta_data_on_create=True,
            s3=fsx.DataRepositoryAssociationS3Args(
                auto_import_policy=fsx.DataRepositoryAssociationS3AutoImportPolicyArgs(events=REPOSITORY_EVENTS),
                auto_export_policy=fsx.DataRepositoryAssociationS3AutoExportPolicyArgs(events=REPOSITORY_EVENTS),
            ),
            region=args.region,
            tags=tags,
            opts=child,
        )
        register(self)
