"""The ``backbone`` command: offline engine, analyzer client, reports and sizing."""

from backbone._version import __version__

__all__ = ["__version__"]
