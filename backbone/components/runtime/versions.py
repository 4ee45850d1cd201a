"""The runtime layer's pinned versions (``components/runtime/data/versions.yaml``) as typed, immutable records.

Every chart, installer and add-on names a source of the data file; ``load`` refuses one that does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from backbone.core.data_yaml import read_yaml
from backbone.core.errors import CatalogError

__all__ = ["Addon", "Chart", "ManifestSet", "NcclInstaller", "NicClusterPolicy", "Source", "Versions", "load",
           "parse"]

_FILE = "runtime/data/versions.yaml"


@dataclass(frozen=True)
class Source:
    key: str
    url: str
    title: str
    as_of: str


@dataclass(frozen=True)
class Chart:
    """A Helm chart pinned to one version."""

    key: str
    repo: str
    chart: str
    version: str
    namespace: str
    source: Source
    releases: tuple[str, ...] = ()
    """The chart's released versions as read upstream (``version`` is one of them)."""


@dataclass(frozen=True)
class NcclInstaller:
    """The NCCL plugin installer of a GKE GPU NIC fabric and the daemon image its workloads pair with."""

    fabric: str
    image: str
    """The NCCL plugin image the manifests install."""
    manifests: tuple[str, ...]
    """Google's manifests (installer DaemonSet, NRI device injector, NCCL config), pinned to a commit where one is."""
    source: Source
    daemon: str | None = None
    """The RxDM image workload pods run beside NCCL: released as a pair with ``image``."""
    images: tuple[str, ...] = ()
    """Every image the manifests pull, as read from them at their commit."""
    pin_images: dict[str, str] | None = None
    """A floating image the manifests name → the tagged image Backbone runs instead (a Pulumi transform)."""


@dataclass(frozen=True)
class ManifestSet:
    """A driver installed from its project's own release manifests, each file pinned to the release's commit."""

    key: str
    release: str
    files: tuple[str, ...]
    images: tuple[str, ...]
    """Every image the files pull, as read from them at that commit."""
    source: Source


@dataclass(frozen=True)
class Addon:
    """An EKS add-on; ``version`` None takes the add-on's default for the cluster's Kubernetes version."""

    name: str
    version: str | None
    source: Source


@dataclass(frozen=True)
class NicClusterPolicy:
    """What the Network Operator deploys on InfiniBand nodes: the DOCA driver and the RDMA shared device plugin."""

    repository: str
    ofed_driver: tuple[str, str]
    """(image, version)."""
    rdma_shared_device_plugin: tuple[str, str]
    """(image, version)."""
    resource: str
    """The resource pods request: ``rdma/<resource>``."""
    source: Source


@dataclass(frozen=True)
class Versions:
    charts: dict[str, Chart]
    nccl_installers: dict[str, NcclInstaller]
    eks_addons: dict[str, Addon]
    nic_cluster_policy: NicClusterPolicy
    manifests: dict[str, ManifestSet]

    def chart(self, key: str) -> Chart:
        return self.charts[key]


def _source(sources: dict[str, Source], where: str, raw: dict[str, Any]) -> Source:
    key = raw.get("source")
    if key not in sources:
        raise CatalogError(f"{_FILE}: {where} cites source {key!r}, which is not under sources")
    return sources[key]


def _section(data: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    section = data.get(name) or {}
    if not isinstance(section, dict) or not all(isinstance(v, dict) for v in section.values()):
        raise CatalogError(f"{_FILE}: {name} must map names to mappings")
    return section


def parse(data: dict[str, Any]) -> Versions:
    """The versions of a parsed data file; a missing field or an uncited entry is a ``CatalogError``."""
    sources: dict[str, Source] = {}
    for key, raw in _section(data, "sources").items():
        if not raw.get("url") or not raw.get("as_of"):
            raise CatalogError(f"{_FILE}: source {key!r} needs url and as_of")
        sources[key] = Source(key, str(raw["url"]), str(raw.get("title", "")), str(raw["as_of"]))
    try:
        charts = {
            key: Chart(key, str(raw["repo"]), str(raw["chart"]), str(raw["version"]), str(raw["namespace"]),
                       _source(sources, f"charts.{key}", raw), tuple(str(r) for r in raw.get("releases") or ()))
            for key, raw in _section(data, "charts").items()
        }
        installers = {
            key: NcclInstaller(key, str(raw["image"]), tuple(str(m) for m in raw["manifests"]),
                               _source(sources, f"nccl_installers.{key}", raw), raw.get("daemon"),
                               tuple(str(i) for i in raw.get("images") or ()),
                               {str(k): str(v) for k, v in (raw.get("pin_images") or {}).items()} or None)
            for key, raw in _section(data, "nccl_installers").items()
        }
        addons = {
            key: Addon(key, None if raw.get("version") is None else str(raw["version"]),
                       _source(sources, f"eks_addons.{key}", raw))
            for key, raw in _section(data, "eks_addons").items()
        }
        manifests = {
            key: ManifestSet(key, str(raw["release"]), tuple(str(f) for f in raw["files"]),
                             tuple(str(i) for i in raw.get("images") or ()),
                             _source(sources, f"manifests.{key}", raw))
            for key, raw in _section(data, "manifests").items()
        }
        nic = data["nic_cluster_policy"]
        policy = NicClusterPolicy(
            str(nic["repository"]), (str(nic["ofed_driver"]["image"]), str(nic["ofed_driver"]["version"])),
            (str(nic["rdma_shared_device_plugin"]["image"]), str(nic["rdma_shared_device_plugin"]["version"])),
            str(nic["resource"]), _source(sources, "nic_cluster_policy", nic))
    except (KeyError, TypeError) as exc:
        raise CatalogError(f"{_FILE}: missing field {exc}") from None
    return Versions(charts, installers, addons, policy, manifests)


@cache
def load() -> Versions:
    """The pinned versions shipped with Backbone (read once)."""
    text = resources.files("backbone.components.runtime").joinpath("data", "versions.yaml").read_text(encoding="utf-8")
    data = read_yaml(text)
    if not isinstance(data, dict):
        raise CatalogError(f"{_FILE}: expected a mapping at the top")
    return parse(data)
