"""Suite-wide settings. Property-based tests have no time deadline (a shared 2-core machine makes timings
noisy) and run derandomized under CI, so a submission's result does not depend on the draw."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("backbone", deadline=None, print_blob=True)
settings.register_profile("ci", parent=settings.get_profile("backbone"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "backbone")
