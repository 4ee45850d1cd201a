"""Every pin of the runtime layer names a release that exists upstream, a commit (never a branch) and a tagged
image (never ``latest`` or untagged) — checked on the data file and on what the components register for every
example stack; a floating image inside a third-party manifest runs pinned through a transform."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pulumi
import pytest

from backbone.components.runtime import versions
from backbone.components.runtime.kube import pin_images, pinned_image_props

COMMIT_URL = re.compile(r"^https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/")
BRANCHES = ("/main/", "/master/", "/HEAD/", "/latest/")


def image_problem(image: str) -> str | None:
    """Why ``image`` floats, or None when it is pinned (a tag other than ``latest``, or a digest)."""
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "untagged"
    return "latest" if last.rsplit(":", 1)[1] == "latest" else None


def urls() -> Iterator[str]:
    pinned = versions.load()
    for installer in pinned.nccl_installers.values():
        yield from installer.manifests
    for manifests in pinned.manifests.values():
        yield from manifests.files


@pytest.mark.parametrize("image, problem", [
    ("ubuntu", "untagged"), ("bash:latest", "latest"), ("docker.io/library/bash", "untagged"),
    ("registry:5000/app", "untagged"), ("registry:5000/app:v1", None), ("ubuntu:22.04", None),
    ("gcr.io/x/y@sha256:" + "a" * 64, None),
])
def test_image_problem_names_what_floats(image: str, problem: str | None) -> None:
    assert image_problem(image) == problem


def test_every_manifest_url_names_a_commit_not_a_branch() -> None:
    found = list(urls())
    assert found, "the runtime layer applies manifests"
    for url in found:
        assert COMMIT_URL.match(url), f"{url}: pin the manifest to a 40-hex commit"
        assert not any(branch in url for branch in BRANCHES), url


def test_every_chart_version_is_a_recorded_release() -> None:
    for chart in versions.load().charts.values():
        assert chart.releases, f"{chart.key}: record the releases read upstream"
        assert chart.version in chart.releases, f"{chart.key} {chart.version} is not among {chart.releases}"
        assert not chart.repo.startswith("https://raw.githubusercontent.com"), f"{chart.key}: a branch URL"


def test_the_gpu_operator_is_a_released_version() -> None:
    # NVIDIA/gpu-operator has v25.10.0, v25.10.1, then v26.3.x: there is no v25.11.0 (issue 23).
    assert versions.load().chart("gpu-operator").version == "v25.10.1"


def test_every_image_is_tagged_or_pinned_by_the_layer() -> None:
    pinned = versions.load()
    images = [(key, i.image) for key, i in pinned.nccl_installers.items()]
    images += [(key, i.daemon) for key, i in pinned.nccl_installers.items() if i.daemon]
    nic = pinned.nic_cluster_policy
    images += [("nic_cluster_policy", f"{nic.repository}/{name}:{tag}")
               for name, tag in (nic.ofed_driver, nic.rdma_shared_device_plugin)]
    for key, installer in pinned.nccl_installers.items():
        pins = installer.pin_images or {}
        assert installer.images, f"{key}: record the images its manifests pull"
        assert installer.image in installer.images
        for image in installer.images:
            images.append((key, pins.get(image, image)))
        for floating, fixed in pins.items():
            assert image_problem(floating) and image_problem(fixed) is None, (key, floating, fixed)
    for key, manifests in pinned.manifests.items():
        assert manifests.images, f"{key}: record the images its manifests pull"
        images += [(key, image) for image in manifests.images]
    problems = [(key, image, image_problem(image)) for key, image in images if image_problem(image)]
    assert problems == []


def test_the_tcpxo_plugin_and_its_daemon_are_the_released_pair() -> None:
    tcpxo = versions.load().nccl_installers["gpudirect-tcpxo"]
    # GPUDirect-TCPXO release notes, Jan 9, 2026: plugin v1.0.15 with RxDM v1.0.21.
    assert tcpxo.image.endswith(":v1.0.15") and tcpxo.daemon and tcpxo.daemon.endswith(":v1.0.21")


def _daemonset(*images: str, init: str | None = None) -> dict[str, object]:
    pod: dict[str, object] = {"containers": [{"name": f"c{i}", "image": image} for i, image in enumerate(images)]}
    if init:
        pod["initContainers"] = [{"name": "pre-installation", "image": init}]
    return {"metadata": {"name": "nccl-tcpxo-installer"}, "spec": {"template": {"spec": pod}}}


def test_the_pin_rewrites_only_the_floating_images() -> None:
    props = _daemonset("us-docker.pkg.dev/x/plugin:v1.0.15", init="ubuntu")
    pinned = pinned_image_props(props, {"ubuntu": "ubuntu:22.04"})
    pod = pinned["spec"]["template"]["spec"]
    assert pod["initContainers"][0]["image"] == "ubuntu:22.04"
    assert pod["containers"][0]["image"] == "us-docker.pkg.dev/x/plugin:v1.0.15"
    assert props["spec"]["template"]["spec"]["initContainers"][0]["image"] == "ubuntu"  # the input is not changed


def test_the_transform_applies_to_workloads_and_leaves_other_objects_alone() -> None:
    transform = pin_images({"ubuntu": "ubuntu:22.04"})
    opts = pulumi.ResourceOptions()
    workload = pulumi.ResourceTransformArgs(True, "kubernetes:apps/v1:DaemonSet", "ds",
                                            _daemonset("x:v1", init="ubuntu"), opts)
    result = transform(workload)
    assert result is not None
    assert result.props["spec"]["template"]["spec"]["initContainers"][0]["image"] == "ubuntu:22.04"
    config = pulumi.ResourceTransformArgs(True, "kubernetes:core/v1:ConfigMap", "cm", {"data": {"a": "ubuntu"}}, opts)
    assert transform(config) is None
