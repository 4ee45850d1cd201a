"""NVIDIA AI Cluster Runtime's ``ClusterStack`` as the engine sees it (pulumi-labs/pulumi-nvidia-aicr, the
``pulumi_labs_nvidia_aicr`` SDK is not installed here): a remote component of type
``nvidia-aicr:index:ClusterStack`` with its inputs (accelerator, service, intent, platform, os, kubeconfig)."""

from __future__ import annotations

import pulumi

__all__ = ["ClusterStack"]


class ClusterStack(pulumi.ComponentResource):
    def __init__(self, name: str, *, accelerator: str, service: str, intent: str, platform: str = "kubeflow",
                 kubeconfig: pulumi.Input[str] | None = None) -> None:
        super().__init__("nvidia-aicr:index:ClusterStack", name, {
            "accelerator": accelerator, "service": service, "intent": intent, "platform": platform,
            "os": "ubuntu", "kubeconfig": kubeconfig}, remote=True)
