"""Loading and unloading: the only place that ties the hook and the magics to a shell."""

from __future__ import annotations

from typing import Any

from .display import forget
from .hook import ShapeErrorHook
from .magic import CheckedCellTransformer, KerasCheck

_hooks: dict[int, ShapeErrorHook] = {}


def load(shell: Any) -> None:
    """Install the hook and register ``%kerascheck`` / ``%%kerascheck`` (idempotent)."""
    if id(shell) in _hooks:
        return
    hook = ShapeErrorHook(shell)
    hook.install()
    _hooks[id(shell)] = hook
    shell.register_magics(KerasCheck(shell, hook))
    shell.input_transformers_cleanup.append(CheckedCellTransformer(hook))


def unload(shell: Any) -> None:
    """Undo :func:`load` exactly: magics gone, previous handler back, nothing left patched."""
    hook = _hooks.pop(id(shell), None)
    if hook is not None:
        hook.uninstall()
    shell.input_transformers_cleanup[:] = [
        t for t in shell.input_transformers_cleanup if not isinstance(t, CheckedCellTransformer)
    ]
    magics = shell.magics_manager.magics
    for kind in ("line", "cell"):
        magics[kind].pop("kerascheck", None)
    registry = shell.magics_manager.registry
    registry.pop("KerasCheck", None)
    forget()
