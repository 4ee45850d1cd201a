"""GKE node auto-provisioning allowed to create up to 1,024 H100 GPUs: no node pool in the program, only
``cluster_autoscaling.resource_limits``.

Follows the GKE docs "Configure node auto-provisioning" (``--enable-autoprovisioning --max-cpu --max-memory
--max-accelerator type=nvidia-h100-80gb,count=1024``) and the Terraform/Pulumi form
``cluster_autoscaling { enabled = true; resource_limits { resource_type = "nvidia-h100-80gb"; maximum = 1024 } }``.
Whatever machine GKE picks, NAP may run 1,024 H100s: over the per-pool cap of 512, and at any H100 price
(a3-highgpu-8g ≈ $11/GPU-hour) about $8M a month, over $2M.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import BLOCK, PASS, UNVERIFIED, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    max_gpus: int = 1024

    def __call__(self) -> None:
        from pulumi_gcp import container

        limits = [container.ClusterClusterAutoscalingResourceLimitArgs(resource_type="cpu", minimum=0, maximum=20000),
                  container.ClusterClusterAutoscalingResourceLimitArgs(resource_type="memory", minimum=0,
                                                                       maximum=200000),
                  container.ClusterClusterAutoscalingResourceLimitArgs(resource_type="nvidia-h100-80gb", minimum=0,
                                                                       maximum=self.max_gpus)]
        container.Cluster("nap-cluster", location="us-central1-a", initial_node_count=1,
                          cluster_autoscaling=container.ClusterClusterAutoscalingArgs(enabled=True,
                                                                                      resource_limits=limits))


SOURCE = ("GKE docs node-auto-provisioning (--max-accelerator type=nvidia-h100-80gb,count=…); Terraform "
          "google_container_cluster cluster_autoscaling.resource_limits")

BASE = Case(
    name="unseen-gcp-nap-1024-h100",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod"},
    expected={
        "max-accelerators": expect(BLOCK, "NAP may create 1,024 nvidia-h100-80gb > 512", on="nap-cluster"),
        # changed after the first run: NAP may pick a3-highgpu-1g/2g/4g too, which the catalog does not price,
        # so the price is a catalog gap (issue 9 class 8), not a definite $8.3M
        "monthly-budget": expect(UNVERIFIED, "1,024 H100 on machines NAP picks; a3-highgpu-8g alone would be "
                                             "≈ $8.3M, but the smaller A3 shapes have no catalog price"),
        "interconnect": expect(PASS, "no pool with a purpose or fabric: NAP pools are not known to train"),
        "single-zone": expect(PASS, "a zonal cluster"),
        "storage-throughput": expect(PASS, "no training pool"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)

CASES = [
    BASE,
    BASE.control("unseen-gcp-nap-64-h100", "a 64-GPU limit → nothing blocks", Program(max_gpus=64), {
        "max-accelerators": expect(PASS, "64 ≤ 512"),
        "monthly-budget": expect(UNVERIFIED, "64 H100 on machines NAP picks: no catalog price")}),
]
