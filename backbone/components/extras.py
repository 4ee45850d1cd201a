"""Which provider SDKs Backbone's components of each cloud need, and the pip extra that installs them
(``pyproject.toml``: ``backbone[aws]``, ``[gcp]``, ``[azure]``, ``[all]``). The core — engine, pack, reports,
sizing, catalog — needs none of them: a hand-written project brings its own SDK."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from backbone.core.errors import MissingExtra

__all__ = ["SDKS", "Missing", "missing_extra"]

SDKS: dict[str, tuple[str, ...]] = {
    "aws": ("pulumi_aws", "pulumi_kubernetes"),
    "gcp": ("pulumi_gcp", "pulumi_kubernetes"),
    "azure": ("pulumi_azure_native", "pulumi_kubernetes"),
}
"""Per cloud, the modules its components import: its provider SDK and the Kubernetes runtime layer's."""


@dataclass(frozen=True)
class Missing:
    """The SDKs of ``cloud`` that are not installed (none: the cloud's components can be built)."""

    cloud: str
    modules: tuple[str, ...]

    @property
    def distributions(self) -> list[str]:
        """As pip names them: ``pulumi-azure-native``."""
        return [m.replace("_", "-") for m in self.modules]

    @property
    def message(self) -> str:
        return str(MissingExtra(self.cloud, self.distributions)) if self.modules else ""

    def throw(self) -> None:
        """Raises ``MissingExtra`` when something is missing."""
        if self.modules:
            raise MissingExtra(self.cloud, self.distributions)


def missing_extra(cloud: str) -> Missing:
    """What Backbone's ``cloud`` components need and cannot import here (looked up, not imported)."""
    return Missing(cloud, tuple(m for m in SDKS.get(cloud, ()) if importlib.util.find_spec(m) is None))
