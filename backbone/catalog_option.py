"""``--catalog FILE`` (repeatable) on ``plan``, ``audit``, ``size`` and ``catalog``: your own catalog files.

Each file holds rows in the format of the shipped ``backbone/core/catalog/data/*.yaml`` (``sources``, ``instances``,
``accelerators``, ``offerings``); its rows add to or replace the shipped ones, in the order given. The files are
read within the bounds every input is read with (``backbone.safe_load``), checked by the catalog's own loader
(bad file: exit 2 naming the file, the row and the key), then named in ``BACKBONE_CATALOG`` for the run, so the
program and the policy pack this run starts load the very same rows (as ``pulumi preview --policy-pack`` does
when ``BACKBONE_CATALOG`` is set).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from backbone.core import catalog
from backbone.core.errors import ConfigError, Problem
from backbone.safe_load import load_yaml, read_text

__all__ = ["add_catalog_option", "catalog_files_of", "using_catalog_files"]


def add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", action="append", default=[], metavar="FILE",
                        help="your own catalog file (repeatable): cited rows in the format of the shipped catalog "
                             "that add or replace rows; also read from BACKBONE_CATALOG (docs/catalog.md)")


def catalog_files_of(args: argparse.Namespace) -> list[str]:
    """``--catalog`` files, then those the ``--policy-config`` names (``known-accelerator.catalogFiles``, the
    files ``pulumi preview --policy-pack-config`` hands the pack): the command reads the rows the pack reads."""
    files = list(getattr(args, "catalog", None) or [])
    config_path = getattr(args, "policy_config", None)
    if config_path:
        from backbone.analyzer import load_policy_config

        entry = load_policy_config(Path(config_path)).get("known-accelerator")
        named = entry.get("catalogFiles") if isinstance(entry, dict) else None
        for i, file in enumerate(named if isinstance(named, list) else []):
            if not isinstance(file, str) or not Path(file).is_absolute():
                raise ConfigError([Problem(f"known-accelerator.catalogFiles[{i}]", f"{file!r} is not an absolute "
                                           "path; allowed: absolute paths (the pack reads them from its own "
                                           "folder)", config_path)])
            files.append(file)
    return files


def _bounded_parse(path: str) -> None:
    """The file parses as one YAML document within the input limits (the loader then checks its rows)."""
    if not Path(path).is_file():
        raise ConfigError([Problem("(file)", "no such catalog file", path)])
    load_yaml(read_text(Path(path), "catalog file"), path)


@contextmanager
def using_catalog_files(files: Sequence[str]) -> Iterator[catalog.Catalog]:
    """The catalog with ``files`` (after those of ``BACKBONE_CATALOG``) for the duration of a command: checked
    first (``ConfigError`` naming file, row and key), named in ``BACKBONE_CATALOG`` for every process the command
    starts, restored afterwards."""
    if not files:
        yield catalog.load()
        return
    combined = (*catalog.catalog_files(), *(str(Path(f).resolve()) for f in files))
    for path in combined:
        _bounded_parse(path)
    loaded = catalog.load_with(combined)
    previous = os.environ.get(catalog.CATALOG_ENV)
    os.environ[catalog.CATALOG_ENV] = os.pathsep.join(combined)
    try:
        yield loaded
    finally:
        if previous is None:
            os.environ.pop(catalog.CATALOG_ENV, None)
        else:
            os.environ[catalog.CATALOG_ENV] = previous
