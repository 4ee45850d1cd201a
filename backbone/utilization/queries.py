"""The PromQL ``backbone audit --prometheus`` sends: one place for every metric and label name it reads.

Every query aggregates on the server — by pool (a node label of kube-state-metrics) or by file system — at each
step of the window, so an answer holds one series per pool or file system, never one per GPU or node: a week of
1,000 nodes × 8 GPUs comes back as a few thousand points per pool.

Names, as the exporters publish them (sources in docs/how-to/right-size-from-metrics.md):

- NVIDIA dcgm-exporter (``etc/default-counters.csv``, ``etc/dcp-metrics-included.csv``): per GPU (label
  ``gpu``), per node (label ``Hostname``): ``DCGM_FI_DEV_GPU_UTIL`` (%), ``DCGM_FI_PROF_GR_ENGINE_ACTIVE``,
  ``DCGM_FI_PROF_SM_ACTIVE``, ``DCGM_FI_PROF_PIPE_TENSOR_ACTIVE`` (ratios 0–1), ``DCGM_FI_DEV_FB_USED`` (MiB);
- kube-state-metrics: ``kube_node_labels{node=…}`` with the node's labels as ``label_<name>`` (the labels must
  be allowed with ``--metric-labels-allowlist``);
- YACE (CloudWatch): ``aws_fsx_data_read_bytes_sum`` / ``aws_fsx_data_write_bytes_sum`` with
  ``dimension_FileSystemId``, each the bytes of one CloudWatch period (60 s);
- node_exporter's infiniband collector: ``node_infiniband_port_data_{transmitted,received}_bytes_total``,
  labelled with the node by ``instance``.
"""

from __future__ import annotations

__all__ = [
    "GPU_NODE_LABEL",
    "POOL_LABELS",
    "PROFILING",
    "fabric_bytes",
    "fabric_present",
    "fs_bytes",
    "gpu_busy",
    "gpu_count",
    "gpu_util_sum",
    "memory_peak",
    "node_count",
    "nodes_total",
    "pools_seen",
    "profiling_mean",
]

POOL_LABELS: tuple[str, ...] = (
    "label_eks_amazonaws_com_nodegroup",        # EKS managed node groups: eks.amazonaws.com/nodegroup
    "label_cloud_google_com_gke_nodepool",      # GKE: cloud.google.com/gke-nodepool
    "label_kubernetes_azure_com_agentpool",     # AKS: kubernetes.azure.com/agentpool
    "label_agentpool",                          # AKS, the older label: agentpool
    "label_karpenter_sh_nodepool",              # Karpenter: karpenter.sh/nodepool
)
INSTANCE_TYPE_LABEL = "label_node_kubernetes_io_instance_type"  # node.kubernetes.io/instance-type
GPU_NODE_LABEL = "Hostname"
GPU_UTIL = "DCGM_FI_DEV_GPU_UTIL"
PROFILING: dict[str, str] = {
    "gr_engine_active": "DCGM_FI_PROF_GR_ENGINE_ACTIVE",
    "sm_active": "DCGM_FI_PROF_SM_ACTIVE",
    "tensor_active": "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE",
}
FB_USED = "DCGM_FI_DEV_FB_USED"
FSX_READ = "aws_fsx_data_read_bytes_sum"
FSX_WRITE = "aws_fsx_data_write_bytes_sum"
FSX_ID = "dimension_FileSystemId"
FABRIC = {"tx": "node_infiniband_port_data_transmitted_bytes_total",
          "rx": "node_infiniband_port_data_received_bytes_total"}


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def pools_seen(window: str) -> str:
    """Instant: every (pool labels, instance type) seen over the window, with how many nodes carried it."""
    return f"count by ({', '.join((*POOL_LABELS, INSTANCE_TYPE_LABEL))}) (max_over_time(kube_node_labels[{window}]))"


def _node_map(label: str, rng: str) -> str:
    """1 per (GPU node label, pool) for the nodes of ``label``: the right side of every GPU join."""
    return (f'max by ({GPU_NODE_LABEL}, {label}) (label_replace(max_over_time(kube_node_labels{{{label}!=""}}[{rng}]), '
            f'"{GPU_NODE_LABEL}", "$1", "node", "(.+)"))')


def _to_pool(per_node: str, label: str, rng: str, how: str = "sum") -> str:
    """A per-node figure (labelled ``Hostname``) summed (or ``how``) over each pool's nodes. GPUs are first
    aggregated per node on the server: the join then touches nodes, not GPUs (a third of the work)."""
    return f"{how} by ({label}) ({per_node} * on ({GPU_NODE_LABEL}) group_left ({label}) {_node_map(label, rng)})"


def node_count(label: str, step: str) -> str:
    """Range: nodes of each pool at each step (kube-state-metrics: a node counts whether or not it reports GPUs)."""
    return f'count by ({label}) (max_over_time(kube_node_labels{{{label}!=""}}[{step}]))'


def nodes_total(step: str) -> str:
    """Range: every node kube-state-metrics reports at each step; a step without it is a gap in monitoring, not a
    pool scaled to zero."""
    return f"count(max_over_time(kube_node_labels[{step}]))"


def gpu_count(label: str, step: str) -> str:
    """Range: GPUs reporting utilization per pool at each step."""
    return _to_pool(f"count by ({GPU_NODE_LABEL}) (avg_over_time({GPU_UTIL}[{step}]))", label, step)


def gpu_busy(label: str, step: str, threshold_pct: float) -> str:
    """Range: GPUs of each pool whose utilization averaged over the step is at least ``threshold_pct``."""
    return _to_pool(f"count by ({GPU_NODE_LABEL}) (avg_over_time({GPU_UTIL}[{step}]) >= {threshold_pct:g})",
                    label, step)


def gpu_util_sum(label: str, step: str) -> str:
    """Range: the sum of the pool's GPU utilizations (%) at each step (divided by ``gpu_count``: the mean)."""
    return _to_pool(f"sum by ({GPU_NODE_LABEL}) (avg_over_time({GPU_UTIL}[{step}]))", label, step)


def profiling_mean(metric: str, label: str, window: str) -> str:
    """Instant: a DCGM profiling ratio averaged over the window and the pool's GPUs."""
    total = _to_pool(f"sum by ({GPU_NODE_LABEL}) (avg_over_time({metric}[{window}]))", label, window)
    count = _to_pool(f"count by ({GPU_NODE_LABEL}) (avg_over_time({metric}[{window}]))", label, window)
    return f"{total} / {count}"


def memory_peak(label: str, window: str) -> str:
    """Instant: the most framebuffer memory (MiB) any GPU of the pool used over the window."""
    return _to_pool(f"max by ({GPU_NODE_LABEL}) (max_over_time({FB_USED}[{window}]))", label, window, "max")


def fs_bytes(direction: str, ids: list[str], step: str) -> str:
    """Range: bytes per CloudWatch period read (or written) by each FSx file system, averaged over the step."""
    metric = FSX_READ if direction == "read" else FSX_WRITE
    pattern = "|".join(ids)
    return f"sum by ({FSX_ID}) (avg_over_time({metric}{{{FSX_ID}=~{_quote(pattern)}}}[{step}]))"


def fabric_present(window: str) -> str:
    """Instant: any node_exporter InfiniBand port counter over the window (none: no fabric queries)."""
    return f"count(last_over_time({FABRIC['tx']}[{window}]))"


def fabric_bytes(direction: str, label: str, step: str, rate_range: str) -> str:
    """Range: per pool, the busiest node's fabric bytes per second in one direction (all its ports summed), the
    rate over ``rate_range`` (two steps: a counter needs two samples in it)."""
    per_node = (f'sum by ({GPU_NODE_LABEL}) (label_replace(rate({FABRIC[direction]}[{rate_range}]), '
                f'"{GPU_NODE_LABEL}", "$1", "instance", "([^:]+)(:[0-9]+)?"))')
    return _to_pool(per_node, label, step, "max")
