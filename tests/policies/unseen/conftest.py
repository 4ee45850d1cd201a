"""The unseen set reuses the corpus's harness: its vocabulary (corpus_case), its comparison (corpus_check) and
its ``run_case`` fixture (one run per case per session), imported from tests/policies/corpus/, not copied."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_CORPUS = Path(__file__).resolve().parents[1] / "corpus"
sys.path.insert(0, str(_CORPUS))
sys.path.insert(0, str(Path(__file__).resolve().parent))

_spec = importlib.util.spec_from_file_location("corpus_conftest", _CORPUS / "conftest.py")
assert _spec is not None and _spec.loader is not None
_corpus_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_corpus_conftest)

run_case = _corpus_conftest.run_case
"""The corpus's session fixture, registered here as well (pytest collects fixtures a conftest names)."""
