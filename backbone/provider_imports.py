"""Provider SDK subpackages that load one name at a time, in the program host.

A provider SDK (``pulumi_aws``, ``pulumi_kubernetes``, …) registers each of its subpackages with the SDK's
``pulumi._utils.lazy_import``: the subpackage's ``__init__`` runs on its first attribute and imports every module of
the subpackage, whatever the program uses — ``pulumi_aws.ec2`` is 182 modules and about 0.3 s of CPU for a program
that makes a launch template and a placement group; ``pulumi_kubernetes.helm.v3`` brings the old ``Chart`` and with
it ``requests``, for a program that makes a ``Release``.

``install`` makes ``lazy_import`` give instead a package whose attributes load one at a time:

- a name from the module that exports it: the modules' ``__all__`` read from their source, in the order the
  subpackage's ``__init__`` star-imports them, the last one winning as it does there — the same object the
  ``__init__`` would have bound;
- a submodule as that submodule (``from . import outputs`` in a resource module), a nested subpackage as one of
  these packages;
- anything else — ``__all__``, a name no ``__all__`` lists, an ``__init__`` this reading does not understand (a
  star-import of a module without a literal ``__all__``) — runs the subpackage's own ``__init__``, as the SDK would
  have on the first attribute.

A program sees the same objects under the same names; only what it never uses is never imported. Standard library
only: the program host loads this file next to itself, under the project's own interpreter and SDK; an SDK without
``pulumi._utils.lazy_import`` keeps its own lazy imports."""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import threading
import types
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["install", "is_deferred"]

_BINDS = re.compile(r"^from \.(?:(\w+) import \*|( )import (\w+))[ \t]*$", re.MULTILINE)
"""An ``__init__``'s own bindings, in order: ``from .module import *`` and ``from . import module``."""
_EXPORTS = re.compile(r"^__all__ = \[([^\]]*)\]", re.MULTILINE)
_NAME = re.compile(r"""['"]([A-Za-z_]\w*)['"]""")
_HEAD = 1 << 16
"""How much of a module is read first to find its ``__all__`` (generated modules state it near the top; a large
``_inputs`` module's list runs past this, and the whole file is read then)."""

_LOCK = threading.RLock()
"""One thread at a time reads an index or runs an ``__init__`` (a program may touch a package from two threads)."""
_INDEXES: weakref.WeakKeyDictionary[types.ModuleType, _Index | None] = weakref.WeakKeyDictionary()
"""Per deferred package: what its ``__init__`` binds (None: its ``__init__`` could not be read)."""


def _exports(path: str) -> list[str] | None:
    """The names a module's literal ``__all__`` lists, read from its source; None without one."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(_HEAD)
            found = _EXPORTS.search(text)
            if found is None:
                text += handle.read()
                found = _EXPORTS.search(text)
    except (OSError, UnicodeDecodeError):
        return None
    return None if found is None else _NAME.findall(found.group(1))


class _Index:
    """What a subpackage's ``__init__`` binds, read from its source: each name star-imported, with the module that
    binds it last (as the imports run in order, the last one wins); each module bound by ``from . import``.
    ``closed``: every star-imported module states its ``__all__``, so a name not listed is bound by none of them."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.modules: set[str] = set()
        self.closed = True

    def star(self, module: str, names: list[str] | None) -> None:
        if names is None:  # it may bind any name: what was read before it is no longer known to win
            self.names.clear()
            self.modules.clear()
            self.closed = False
            return
        for name in names:
            self.names[name] = module
            self.modules.discard(name)

    def module(self, name: str) -> None:
        self.names.pop(name, None)
        self.modules.add(name)


_EMPTY = _Index()


def _index(package: types.ModuleType) -> _Index | None:
    """What ``package``'s ``__init__`` binds (read once)."""
    with _LOCK:
        if package not in _INDEXES:
            _INDEXES[package] = _read_index(package)
        return _INDEXES[package]


def _read_index(package: types.ModuleType) -> _Index | None:
    try:
        with open(package.__file__ or "", encoding="utf-8") as handle:
            init = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    folder = os.path.dirname(package.__file__ or "")
    index = _Index()
    for starred, _, imported in _BINDS.findall(init):
        if starred:
            index.star(starred, _exports(os.path.join(folder, starred + ".py")))
        else:
            index.module(imported)
    return index


def _submodule(package: types.ModuleType, name: str) -> str | None:
    """``"package"`` or ``"module"`` when ``name`` is one of ``package``'s own subpackages or modules."""
    for folder in getattr(package, "__path__", ()):
        if os.path.isfile(os.path.join(folder, name, "__init__.py")):
            return "package"
        if os.path.isfile(os.path.join(folder, name + ".py")):
            return "module"
    return None


class _Deferred(types.ModuleType):
    """A provider subpackage whose ``__init__`` has not run: each attribute is loaded on its first use."""

    def __getattr__(self, name: str) -> Any:
        index = _index(self) if not name.startswith("__") else None
        if index is not None:
            where = index.names.get(name)
            if where is not None:
                value = getattr(importlib.import_module(f"{self.__name__}.{where}"), name)
                setattr(self, name, value)
                return value
            kind = _submodule(self, name) if index.closed or name in index.modules else None
            if kind == "package":
                value = lazy_import(f"{self.__name__}.{name}")
                setattr(self, name, value)
                return value
            if kind == "module":
                return importlib.import_module(f"{self.__name__}.{name}")  # bound here by the import itself
        _run_init(self)
        return types.ModuleType.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        # the import system binds each submodule it loads to its name here; where the __init__'s star-imports bind
        # that name to something else (``get_cluster``: the function of the module ``get_cluster``), that wins
        if isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.{name}":
            where = (_index(self) or _EMPTY).names.get(name)
            if where is not None:
                value = getattr(importlib.import_module(f"{self.__name__}.{where}"), name)
        types.ModuleType.__setattr__(self, name, value)


def _run_init(package: types.ModuleType) -> None:
    """The subpackage's own ``__init__``, run once, in place: from then on it is the module the SDK makes."""
    with _LOCK:
        if not isinstance(package, _Deferred):
            return  # another thread ran it meanwhile
        package.__class__ = types.ModuleType  # type: ignore[assignment]
        _INDEXES.pop(package, None)
        spec = package.__spec__
        assert spec is not None and spec.loader is not None
        spec.loader.exec_module(package)


def is_deferred(module: object) -> bool:
    """Whether ``module`` is a provider subpackage whose ``__init__`` has not run."""
    return isinstance(module, _Deferred)


_ORIGINAL: list[Callable[[str], types.ModuleType]] = []


def lazy_import(fullname: str) -> types.ModuleType:
    """``pulumi._utils.lazy_import``'s contract (an entry in ``sys.modules``, import cycles returned early), with
    a package that loads one name at a time; anything that is not a package on a file system, as the SDK does."""
    found = sys.modules.get(fullname)
    if found is not None:
        return found
    spec = importlib.util.find_spec(fullname)
    found = sys.modules.get(fullname)
    if found is not None:
        return found
    if spec is None or spec.submodule_search_locations is None or not spec.origin or spec.loader is None \
            or not hasattr(spec.loader, "exec_module"):
        return _ORIGINAL[0](fullname)
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _Deferred
    found = sys.modules.get(fullname)
    if found is not None:
        return found
    sys.modules[fullname] = module
    return module


def install() -> bool:
    """Makes the SDK's ``lazy_import`` defer each provider subpackage name by name (before the provider packages
    are imported); False when this SDK has no ``lazy_import`` to replace."""
    try:
        import pulumi._utils as utils
    except ImportError:
        return False
    original = getattr(utils, "lazy_import", None)
    if original is None:
        return False
    if original is not lazy_import:
        _ORIGINAL[:] = [original]
        utils.lazy_import = lazy_import  # type: ignore[attr-defined]
    return True
