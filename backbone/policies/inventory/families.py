"""Accelerator families by name, per cloud: what makes a machine type an accelerator type when the catalog does
not know it. One definition, used by the readers (is this pool an accelerator pool?), by the lower bounds of
unknown types (every node of an accelerator family has at least one accelerator) and by the coverage scan
(which inputs of a resource the pack does not read name an accelerator machine type).

Sources (read 2026-12-07):
- AWS, "Amazon EC2 instance types — Accelerated computing" (docs.aws.amazon.com/ec2/latest/instancetypes/ac.html):
  the P, G, Trn, Inf and DL families are the accelerated ones (GPU, Trainium, Inferentia, Gaudi).
- Google Cloud, "Accelerator-optimized machine family" (cloud.google.com/compute/docs/accelerator-optimized-machines):
  A2, A3, A4 (and A4X) and G2, G4 carry GPUs; TPU VMs are ``ct*`` machine types and ``v<generation>-<size>``
  accelerator types (cloud.google.com/tpu/docs/system-architecture-tpu-vm); GPUs attach as ``nvidia-…`` types.
  TPU7x (Ironwood, cloud.google.com/tpu/docs/tpu7x) names both with its own prefix: machine types
  ``tpu7x-standard-1t`` / ``tpu7x-standard-4t``, slices ``tpu7x-<TensorCores>`` (``tpu7x-8`` is 4 chips), as XPK
  creates them (github.com/AI-Hypercomputer/xpk, src/xpk/core/system_characteristics.py).
- Azure, "Sizes for virtual machines in Azure" (learn.microsoft.com/azure/virtual-machines/sizes): the N series
  (NC, ND, NG, NV) is the GPU-accelerated family.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["ACCELERATOR_MACHINE_TYPE", "FAMILIES", "accelerator_family"]

FAMILIES: Final[dict[str, re.Pattern[str]]] = {
    "aws": re.compile(r"^(p\d|g\d|trn\d|inf\d|dl\d)", re.IGNORECASE),
    "gcp": re.compile(r"^(a\d|g\d|ct\d|tpu)", re.IGNORECASE),
    "azure": re.compile(r"^Standard_N[CDGV]", re.IGNORECASE),
}
"""A machine type's prefix → it is of an accelerator family of that cloud."""

ACCELERATOR_MACHINE_TYPE: Final = re.compile(
    r"^(?:"
    r"(?:ml\.)?(?:p|g|trn|inf|dl)\d[a-z0-9-]*\.(?:\d*x?large|metal[a-z0-9-]*)"  # AWS (and SageMaker's ml.)
    r"|(?:a\d[a-z]?|g[24])-[a-z]+-\d+g?"  # GCP GPU machine types: a3-highgpu-8g, a4x-highgpu-4g, g2-standard-48
    r"|(?:ct|tpu)\d[a-z]*-[a-z]+-\d+t"  # GCP TPU VM machine types: ct5lp-hightpu-4t, tpu7x-standard-4t
    r"|(?:v[2-9](?:e|p|litepod)?|tpu\d+[a-z]*)-\d+"  # TPU accelerator types: v4-8, v5p-2048, v6e-256, tpu7x-128
    r"|nvidia-(?:tesla-)?(?:[a-z]{1,2}\d{1,3}[a-z]?(?:-mega|-ultra)?(?:-\d+gb)?|rtx-pro-\d+)"  # nvidia-h100-80gb
    r"|Standard_N[CDGV][A-Za-z0-9_]*"  # Azure N series: Standard_ND96isr_H100_v5
    r")$",
    re.IGNORECASE,
)
"""A whole input value that names an accelerator machine (or accelerator) type, on any cloud."""


def accelerator_family(cloud: str, machine_type: str) -> str | None:
    """The accelerator family prefix ``machine_type`` belongs to on ``cloud`` (``p``+digit → ``p7x``'s ``p7``),
    or None when it is of no accelerator family."""
    pattern = FAMILIES.get(cloud)
    match = pattern.match(machine_type) if pattern else None
    return match.group(1) if match and match.groups() else (match.group(0) if match else None)
