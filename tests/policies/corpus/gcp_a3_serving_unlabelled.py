"""Class 6 — an unlabelled multi-node A3 High pool that serves a model: no GPU NICs, two zones.

Follows the A3 High pool of GoogleCloudPlatform/cluster-toolkit ``examples/gke-a3-highgpu-inference-gateway.yaml``
(a3-highgpu-8g on the gke-node-pool module, private nodes) as GKE's serving tutorials create it
(https://cloud.google.com/kubernetes-engine/docs/tutorials/serve-llm-h100 style: ``gcloud container node-pools
create --machine-type a3-highgpu-8g --enable-autoscaling --total-min-nodes 0 --total-max-nodes 4`` in a regional
cluster) — no additional GPU networks, no placement policy, no purpose label. Nothing says it trains, so a
missing fabric or a second zone is no block: it gets the advice to label its purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus_case import ADVISE, BLOCK, PASS, PURPOSE, Case, Knobs, expect


@dataclass(frozen=True)
class Program(Knobs):
    purpose: str | None = None

    def __call__(self) -> None:
        from pulumi_gcp import compute, container

        net = compute.Network("serving-net", auto_create_subnetworks=True)
        cluster = container.Cluster("serving", location="us-central1", network=net.name, initial_node_count=1,
                                    remove_default_node_pool=True)
        labels = {"cloud.google.com/gke-inference-gateway": "enabled"}
        if self.purpose:
            labels[PURPOSE] = self.purpose
        container.NodePool(
            "a3-highgpu-pool", cluster=cluster.id, location="us-central1",
            node_locations=["us-central1-a", "us-central1-c"],
            autoscaling=container.NodePoolAutoscalingArgs(total_min_node_count=0, total_max_node_count=4),
            node_config=container.NodePoolNodeConfigArgs(
                machine_type="a3-highgpu-8g", labels=labels,
                guest_accelerators=[container.NodePoolNodeConfigGuestAcceleratorArgs(
                    type="nvidia-h100-80gb", count=8,
                    gpu_driver_installation_config=container.NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs(
                        gpu_driver_version="LATEST"))]),
            network_config=container.NodePoolNetworkConfigArgs(enable_private_nodes=True))


SOURCE = ("GoogleCloudPlatform/cluster-toolkit examples/gke-a3-highgpu-inference-gateway.yaml (a3_highgpu_pool); "
          "GKE LLM-serving tutorials on A3 (node pool without GPU networks)")

BASE = Case(
    name="gcp-a3-serving-pool-unlabelled",
    program=Program(),
    source=SOURCE,
    stack_config={"gcp:project": "ml-prod", "gcp:region": "us-central1"},
    expected={
        "pool-purpose": expect(ADVISE, "an unlabelled pool of up to 4 × a3-highgpu-8g with no training intent",
                               on="a3-highgpu-pool"),
        "interconnect": expect(PASS, "not known to train: no block for the missing GPU NICs"),
        "single-zone": expect(PASS, "not known to train: it may span zones"),
        "storage-throughput": expect(PASS, "no training pool"),
        "monthly-budget": expect(PASS, "4 × $88.49 × 730 h ≈ $258k"),
    },
)

CASES = [
    BASE,
    BASE.control("gcp-a3-serving-pool-labelled-inference", "labelled inference → no advice", Program(
        purpose="inference"), {"pool-purpose": expect(PASS, "its purpose is declared")}),
    BASE.control("gcp-a3-pool-labelled-training", "labelled training → no GPU NICs, 2 zones and no file system "
                 "block", Program(purpose="training"), {
                     "pool-purpose": expect(PASS, "its purpose is declared"),
                     "interconnect": expect(BLOCK, "0 of the 4 GPU NICs of a3-highgpu-8g", on="a3-highgpu-pool"),
                     "single-zone": expect(BLOCK, "us-central1-a and us-central1-c", on="a3-highgpu-pool",
                                           says=("2 zones",)),
                     "storage-throughput": expect(BLOCK, "32 training GPUs and no parallel file system"),
                     "compact-placement": expect(ADVISE, "a training pool without COMPACT placement")}),
]
