"""What Backbone knows about GCP beyond its machine types (those are in ``catalog/data/gcp.yaml``), in one
place: zone format, how GKE wires each GPU fabric, GKE's accelerator type names, driver and reservation
settings.

Instance facts (how many GPU NICs, which fabric) come from the catalog; this module holds only what GKE
and Compute Engine require of the networks behind those NICs, with the public page that says so:

- GPUDirect-TCPX / TCPXO (A3 High, A3 Mega): one VPC and one subnet per GPU NIC, MTU 8244, a firewall
  rule allowing traffic between the nodes on each of those VPCs.
  https://cloud.google.com/kubernetes-engine/docs/how-to/gpu-bandwidth-gpudirect-tcpx (read 2026-11-26)
- GPUDirect-RDMA (A3 Ultra): the eight ConnectX-7 NICs share one VPC created with the zone's RDMA
  network profile (``<zone>-vpc-roce``), one subnet per NIC; the second gVNIC sits on a regular VPC.
  https://cloud.google.com/vpc/docs/rdma-network-profiles and
  https://cloud.google.com/ai-hypercomputer/docs/create/gke-ai-hypercompute-custom (read 2026-11-26)
- GKE accelerator type names per machine family:
  https://cloud.google.com/kubernetes-engine/docs/how-to/gpus (read 2026-11-26); A3 Edge takes
  ``nvidia-h100-80gb`` (GKE's custom ComputeClass example for ``a3-edgegpu-8g-nolssd``, read 2026-12-07), A4X
  ``nvidia-gb200`` (XPK's ``gb200-4`` system, github.com/AI-Hypercomputer/xpk at 367c838, read 2026-12-07).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backbone.components.clouds import CloudFacts

__all__ = [
    "ACCELERATOR_FAMILIES",
    "FABRIC_SHORT",
    "FACTS",
    "GPU_DRIVER_VERSION",
    "NIC_FABRICS",
    "RESERVATION_KEY",
    "NicFabric",
    "accelerator_type",
    "nic_fabric",
    "region_of",
]

FACTS = CloudFacts(cloud="gcp", region_format=r"^[a-z]+-[a-z]+\d+$", region_example="us-central1",
                   zone_format=r"^{region}-[a-z]$", zone_example="{region}-a", queued_provisioning=True)
# A GKE node pool targets a specific reservation through this affinity key (reservations have no fixed id form).
RESERVATION_KEY = "compute.googleapis.com/reservation-name"


@dataclass(frozen=True)
class NicFabric:
    """What the VPCs behind one GPU fabric's NICs must look like."""

    fabric: str
    mtu: int
    vpc_per_nic: bool
    """True: one VPC per GPU NIC (TCPX/TCPXO). False: one shared VPC, one subnet per NIC (RDMA)."""
    network_profile: str | None = None
    """Network profile name template (``{zone}`` substituted); the VPC is created with it."""
    extra_gvnic_networks: int = 0
    """Regular (gVNIC) node networks the machine needs besides its GPU NICs."""
    firewall: bool = True
    """Whether the GPU VPCs take VPC firewall rules (RDMA-profile VPCs do not support them)."""


NIC_FABRICS: dict[str, NicFabric] = {
    "gpudirect-tcpx": NicFabric("gpudirect-tcpx", mtu=8244, vpc_per_nic=True),
    "gpudirect-tcpxo": NicFabric("gpudirect-tcpxo", mtu=8244, vpc_per_nic=True),
    "rdma": NicFabric(
        "rdma", mtu=8896, vpc_per_nic=False, network_profile="{zone}-vpc-roce",
        extra_gvnic_networks=1, firewall=False,
    ),
}

# GKE names the accelerator of a machine family; the count comes from the catalog row.
_ACCELERATOR_TYPES: dict[str, str] = {
    "a2-highgpu": "nvidia-tesla-a100",
    "a2-ultragpu": "nvidia-a100-80gb",
    "a3-edgegpu": "nvidia-h100-80gb",
    "a3-highgpu": "nvidia-h100-80gb",
    "a3-megagpu": "nvidia-h100-mega-80gb",
    "a3-ultragpu": "nvidia-h200-141gb",
    "a4-highgpu": "nvidia-b200",
    "a4x-highgpu": "nvidia-gb200",
    "g2-standard": "nvidia-l4",
}

# Short names of the fabrics in resource names (VPC and subnet names are at most 63 characters).
FABRIC_SHORT = {"gpudirect-tcpx": "tcpx", "gpudirect-tcpxo": "tcpxo", "rdma": "rdma"}

# spec.gpu_driver -> GKE gpu_driver_installation_config.gpu_driver_version
GPU_DRIVER_VERSION: dict[str, str] = {"managed": "LATEST", "operator": "INSTALLATION_DISABLED"}


def nic_fabric(fabric: str) -> NicFabric | None:
    """The NIC networking a fabric needs on GKE, or None when it needs no extra node networks."""
    return NIC_FABRICS.get(fabric)


def accelerator_type(machine_type: str) -> str | None:
    """The GKE accelerator type of a GPU machine type (``a3-megagpu-8g`` -> ``nvidia-h100-mega-80gb``), or None
    when no family is known (``ACCELERATOR_FAMILIES`` lists them)."""
    return _ACCELERATOR_TYPES.get(machine_type.rsplit("-", 1)[0])


ACCELERATOR_FAMILIES: tuple[str, ...] = tuple(sorted(_ACCELERATOR_TYPES))


def region_of(location: str) -> str:
    """The region of a GKE location: a region (``us-central1``) or a zone (``us-central1-a``)."""
    return location[:-2] if re.fullmatch(r".+-\d+-[a-z]", location) else location
