"""Backbone's version, in one place: the package metadata (``pyproject.toml`` reads it from here), ``backbone
--version``, the reports (SARIF ``tool.driver``, the JSON report, the Markdown footer) and the pack's
``PulumiPolicy.yaml`` (which must say the same: a test checks it). A release bumps it here and in
``PulumiPolicy.yaml``, adds its CHANGELOG.md section and tags ``v<version>`` (docs/how-to/release.md)."""

__version__ = "0.1.0"
