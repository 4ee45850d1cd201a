"""What Backbone knows about AWS beyond its instance types (those are in ``catalog/data/aws.yaml``), in one
place: zone and reservation formats, the EKS AMI type of each accelerator kind and driver choice."""

from __future__ import annotations

from backbone.components.clouds import CloudFacts

__all__ = ["AMI_TYPES", "FACTS", "ROOT_DEVICE"]

FACTS = CloudFacts(
    cloud="aws",
    region_format=r"^[a-z]{2}(-[a-z]+)+-\d+$",
    region_example="us-east-1",
    zone_format=r"^{region}[a-z]$",
    zone_example="{region}a",
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CapacityReservation.html (read 2026-11-26)
    reservation_format=r"^cr-[0-9a-f]{8,17}$",
    reservation_meaning="an AWS capacity reservation id: cr- and 8 to 17 hex digits",
    # A VPC's CIDR block is /16 to /28: AWS VPC User Guide, "VPC CIDR blocks" (read 2026-12-01)
    largest_network=16,
    # EKS managed node groups take capacityType CAPACITY_BLOCK with a launch template targeting the block's
    # reservation: https://docs.aws.amazon.com/eks/latest/userguide/capacity-blocks-mng.html (read 2026-12-01)
    capacity_blocks=True,
)

# EKS-optimized AMI type per accelerator kind and driver choice (EKS API Nodegroup.amiType values).
AMI_TYPES: dict[tuple[str | None, str], str] = {
    ("gpu", "managed"): "AL2023_x86_64_NVIDIA",
    ("gpu", "operator"): "AL2023_x86_64_STANDARD",
    ("trainium", "managed"): "AL2023_x86_64_NEURON",
    ("trainium", "operator"): "AL2023_x86_64_NEURON",
    (None, "managed"): "AL2023_x86_64_STANDARD",
    (None, "operator"): "AL2023_x86_64_STANDARD",
}
ROOT_DEVICE = "/dev/xvda"  # the root device of the AL2023 EKS AMIs
