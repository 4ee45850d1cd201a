"""The reader registry: every reader has an entry and every entry a reader, and the inventory reads through it."""

from __future__ import annotations

import inspect
from types import ModuleType

from backbone.docs import READS_PAGE, reads_page
from backbone.policies.inventory import registry, runtime
from backbone.policies.inventory.entry import Entry

_FACT_PARAMS = ["graph", "catalog", "nodes"]
_RUNTIME_PARAMS = ["runtime", "node"]


def _reader_functions(module: ModuleType) -> set[object]:
    """The functions of ``module`` shaped like a reader (a fact reader, or a runtime reader)."""
    found = set()
    for _, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ != module.__name__:
            continue
        params = list(inspect.signature(function).parameters)
        if params == (_RUNTIME_PARAMS if module is runtime else _FACT_PARAMS):
            found.add(function)
    return found


def test_every_reader_has_an_entry_and_every_entry_a_reader_of_its_module() -> None:
    for module in registry.CLOUD_MODULES:
        declared = {e.reader for e in module.ENTRIES if e.reader is not None}
        functions = _reader_functions(module)
        assert functions - declared == set(), f"{module.__name__}: readers without a registry entry"
        assert declared - functions == set(), f"{module.__name__}: entries whose reader is not its module's"


def test_an_entry_per_type_and_kind_and_links_name_read_types() -> None:
    # a type two clouds read (a Karpenter NodePool: EC2NodeClass or AKSNodeClass) has an entry per cloud
    keys = [(e.token, e.kind, e.cloud) for e in registry.ENTRIES]
    assert len(keys) == len(set(keys))
    fact_tokens = {e.token for e in registry.ENTRIES if e.kind in ("pool", "file system", "link")}
    for entry in registry.readers("link"):
        assert set(entry.via) <= fact_tokens, f"{entry.token} is linked from types no entry reads"
    for entry in registry.ENTRIES:
        assert entry.what and entry.reads, entry.token


def test_an_entry_refuses_a_missing_or_needless_reader() -> None:
    for bad in (lambda: Entry("x:y/z:Z", "aws", "pool", "z", "inputs"),
                lambda: Entry("x:y/z:Z", "aws", "link", "z", "inputs", reader=len, via=("a",)),
                lambda: Entry("x:y/z:Z", "aws", "link", "z", "inputs")):
        try:
            bad()
        except ValueError:
            continue
        raise AssertionError("an inconsistent entry was accepted")


def test_the_reads_tables_of_the_docs_are_the_registry() -> None:
    text = READS_PAGE.read_text()
    assert text == reads_page(text), "docs/how-the-pack-reads-programs.md is out of date: run python -m backbone.docs"
    for entry in registry.ENTRIES:
        assert f"`{entry.token}`" in text, f"{entry.token} is not in the generated tables"
    for name in ("aws", "gcp", "azure", "runtime"):
        assert f"<!-- generated: reads {name} " in text
