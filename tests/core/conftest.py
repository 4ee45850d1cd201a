"""The fixtures of the sizing tests: a catalog with a price on every accelerator row."""

from tests.priced_catalog import priced_catalog

__all__ = ["priced_catalog"]
