"""Check every pin of the runtime layer against upstream, on a machine with network (the scheduled ``pins``
workflow): each chart version resolves in its repository, each manifest URL at its commit, each image tag in
its registry. ``python -m backbone.components.runtime.pin_check [--dry-run]``; exit 1 when a pin does not
resolve, 2 when a tool it needs is missing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from backbone.components.runtime import versions

__all__ = ["Check", "checks", "main", "run"]


@dataclass(frozen=True)
class Check:
    what: str
    """``chart gpu-operator v25.10.1`` — what a failure names."""
    argv: tuple[str, ...]


def _chart(chart: versions.Chart) -> Check:
    argv: tuple[str, ...]
    if chart.repo.startswith("oci://"):
        argv = ("helm", "show", "chart", f"{chart.repo}/{chart.chart}", "--version", chart.version)
    else:
        argv = ("helm", "show", "chart", chart.chart, "--repo", chart.repo, "--version", chart.version)
    return Check(f"chart {chart.key} {chart.version}", argv)


def _url(url: str) -> Check:
    return Check(f"manifest {url}", ("curl", "--fail", "--silent", "--show-error", "--location", "--output",
                                      "/dev/null", url))


def _image(image: str) -> Check:
    return Check(f"image {image}", ("docker", "manifest", "inspect", image))


def checks(pinned: versions.Versions) -> list[Check]:
    """What to run for every pin: charts, manifest files, images (each once)."""
    found = [_chart(c) for c in pinned.charts.values()]
    images: list[str] = []
    for installer in pinned.nccl_installers.values():
        found += [_url(m) for m in installer.manifests]
        pins = installer.pin_images or {}
        images += [pins.get(i, i) for i in installer.images] + ([installer.daemon] if installer.daemon else [])
    for manifests in pinned.manifests.values():
        found += [_url(f) for f in manifests.files]
        images += list(manifests.images)
    nic = pinned.nic_cluster_policy
    images += [f"{nic.repository}/{name}:{tag}" for name, tag in (nic.ofed_driver, nic.rdma_shared_device_plugin)]
    found += [_image(i) for i in dict.fromkeys(images)]
    return found


Runner = Callable[[Sequence[str]], int]


def _subprocess(argv: Sequence[str]) -> int:
    try:
        return subprocess.run(list(argv), stdout=subprocess.DEVNULL, timeout=120, check=False).returncode
    except subprocess.TimeoutExpired:
        return 124


def run(todo: Sequence[Check], runner: Runner = _subprocess) -> list[Check]:
    """The checks that failed."""
    return [check for check in todo if runner(check.argv) != 0]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    todo = checks(versions.load())
    if "--dry-run" in args:
        for check in todo:
            print(" ".join(check.argv))
        return 0
    missing = sorted({c.argv[0] for c in todo if shutil.which(c.argv[0]) is None})
    if missing:
        print(f"pin_check: missing tools: {', '.join(missing)}", file=sys.stderr)
        return 2
    failed = run(todo)
    for check in failed:
        print(f"does not resolve: {check.what}", file=sys.stderr)
    print(f"{len(todo) - len(failed)} of {len(todo)} pins resolve")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
