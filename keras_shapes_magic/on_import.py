"""Patch named modules now if they are imported, or the moment they are — without importing them.

Used twice: :mod:`capture` wraps Keras's traceback filters, :mod:`watch` wraps the model
methods. Both must never import a framework themselves (loading the extension stays free)
and must never disturb the import they ride on, so a patch that raises is ignored.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Callable, Collection, Sequence

ModulePatch = Callable[[types.ModuleType], None]


class _PatchingLoader(importlib.abc.Loader):
    """Runs the real loader, then the patch on the fresh module."""

    def __init__(self, wrapped: importlib.abc.Loader, patch: ModulePatch) -> None:
        self._wrapped = wrapped
        self._patch = patch

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self._wrapped.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self._wrapped.exec_module(module)
        _apply(self._patch, module)


def _apply(patch: ModulePatch, module: types.ModuleType) -> None:
    try:
        patch(module)
    except Exception:  # patching is best effort: a Keras we do not know gets no patch, never an error
        pass


class ImportPatcher(importlib.abc.MetaPathFinder):
    """A ``sys.meta_path`` finder that hands ``modules`` to ``patch`` as soon as they are loaded.

    ``tag`` names the patcher in ``sys.meta_path``, so installing twice (a reloaded extension,
    whose classes are new objects) still leaves one finder.
    """

    def __init__(self, tag: str, modules: Collection[str], patch: ModulePatch, unpatch: ModulePatch) -> None:
        self.tag = tag
        self.modules = frozenset(modules)
        self._patch = patch
        self._unpatch = unpatch

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _PatchingLoader(spec.loader, self._patch)  # type: ignore[arg-type]
                return spec
        return None

    def _mine(self, finder: object) -> bool:
        return getattr(finder, "tag", None) == self.tag and hasattr(finder, "modules")

    def install(self) -> None:
        """Patch the modules already imported, and the others when they are."""
        if not any(self._mine(f) for f in sys.meta_path):
            sys.meta_path.insert(0, self)
        for name in sorted(self.modules):
            module = sys.modules.get(name)
            if module is not None:
                _apply(self._patch, module)

    def uninstall(self) -> None:
        """Leave ``sys.meta_path`` and undo the patch on every imported module."""
        sys.meta_path[:] = [f for f in sys.meta_path if not self._mine(f)]
        for name in sorted(self.modules):
            module = sys.modules.get(name)
            if module is not None:
                _apply(self._unpatch, module)
