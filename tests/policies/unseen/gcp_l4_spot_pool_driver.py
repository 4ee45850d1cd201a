"""A small GKE L4 spot pool with Google-managed drivers: one zone, autoscaling 0 to 3 nodes of g2-standard-8.

Follows bwplotka/gke-ai-observability ``fooocus/2.sh`` (``gcloud container node-pools create gpupool
--accelerator type=nvidia-l4,count=1,gpu-driver-version=latest --machine-type=g2-standard-8
--node-locations=${REGION}-a``) and a Terraform L4 pool of the same shape (``spot = true``, ``autoscaling
{min_node_count = 0, max_node_count = 3}``, ``node_locations = [var.zone]``), ported to ``gcp.container.NodePool``
with ``guest_accelerators[].gpu_driver_installation_config``.
"""

from __future__ import annotations

from corpus_case import PASS, Case, expect


def program() -> None:
    from pulumi_gcp import container

    cluster = container.Cluster("ai-obs", location="us-central1", initial_node_count=1,
                                remove_default_node_pool=True, deletion_protection=False)
    container.NodePool(
        "gpupool", cluster=cluster.name, location="us-central1", node_locations=["us-central1-a"],
        initial_node_count=0,
        autoscaling=container.NodePoolAutoscalingArgs(min_node_count=0, max_node_count=3, location_policy="ANY"),
        node_config=container.NodePoolNodeConfigArgs(
            machine_type="g2-standard-8", spot=True,
            guest_accelerators=[container.NodePoolNodeConfigGuestAcceleratorArgs(
                type="nvidia-l4", count=1,
                gpu_driver_installation_config=container.NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs(
                    gpu_driver_version="LATEST"))]))


SOURCE = ("bwplotka/gke-ai-observability fooocus/2.sh (L4 pool, gpu-driver-version=latest, one node location); "
          "Terraform google_container_node_pool g2 spot pool with autoscaling 0..3")

CASES = [Case(
    name="unseen-gcp-l4-spot-pool-one-zone",
    program=program,
    source=SOURCE,
    stack_config={"gcp:project": "ai-obs"},
    expected={
        "max-accelerators": expect(PASS, "3 nodes × 1 L4 in one zone = 3"),
        "monthly-budget": expect(PASS, "3 × g2-standard-8 (≤ $0.85/h on demand) × 730 h ≈ $1.9k"),
        "interconnect": expect(PASS, "unlabelled single-GPU serving pool: not known to train"),
        "single-zone": expect(PASS, "one node location"),
        "storage-throughput": expect(PASS, "no training pool"),
        "tpu-topology": expect(PASS, "no TPU"),
        "workload-fit": expect(PASS, "no workload declared"),
    },
)]
