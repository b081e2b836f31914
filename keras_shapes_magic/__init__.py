"""keras_shapes_magic: a layer-by-layer shape table for Keras shape errors in IPython / Jupyter.

``%load_ext keras_shapes_magic`` registers ``%%kerascheck`` and an exception hook; neither
imports TensorFlow. The pure API works in plain scripts too::

    report = keras_shapes_magic.diagnose(exc)   # None: not a shape error
    report.offending, report.cause, report.fixes, report.to_frame()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import views as _views  # noqa: F401  (connects the report records to their views)

__version__ = "0.1.0"
__all__ = ["ShapeReport", "diagnose", "last_report", "load_ipython_extension", "unload_ipython_extension"]

if TYPE_CHECKING:
    from .records import ShapeReport


def diagnose(exc: BaseException, namespace: dict[str, Any] | None = None,
             frames: list[Any] | None = None) -> ShapeReport | None:
    """Explain a Keras shape error as a :class:`ShapeReport`; ``None`` if it is not one.

    ``namespace``: the user's variables (for fixes in their names); ``frames``: the frames Keras
    filtered away, as ``(frame, lineno)`` pairs (by default, those the extension recorded).
    """
    from .diagnosis import diagnose as _diagnose

    return _diagnose(exc, namespace, frames)


def last_report() -> ShapeReport | None:
    """The last report shown in this process, or ``None``."""
    from .display import last_report as _last_report

    return _last_report()


def __getattr__(name: str) -> Any:
    if name == "ShapeReport":
        from .records import ShapeReport

        return ShapeReport
    raise AttributeError(name)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext keras_shapes_magic``: the magics and the exception hook (no TensorFlow import)."""
    from .extension import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext keras_shapes_magic``: remove the magics and the hook, restore what was there."""
    from .extension import unload

    unload(ipython)
