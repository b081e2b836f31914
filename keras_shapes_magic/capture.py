"""Keep the traceback frames that Keras filters away, without changing what the user sees.

Keras 3, tf_keras and TensorFlow each drop their own frames from a traceback in a
``filter_traceback`` decorator, through a module-level ``_process_traceback_frames(tb)``
that is looked up at raise time. We wrap that function: the wrapper records the
*unfiltered* frames of the exception being handled, then returns exactly what the
original returned. It runs only while an exception propagates, so a cell that does
not fail pays nothing.

The modules are patched when they are imported (a ``sys.meta_path`` finder), or at
once if they already are; nothing here imports TensorFlow or Keras.

Captured frames keep the user's objects alive, so the store is small, bounded, and
cleared after every report and at the end of every cell (see :func:`clear`).
"""

from __future__ import annotations

import sys
import threading
import traceback
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .on_import import ImportPatcher

#: Modules whose ``_process_traceback_frames`` drops frames.
FILTER_MODULES: tuple[str, ...] = (
    "keras.src.utils.traceback_utils",
    "tf_keras.src.utils.traceback_utils",
    "tensorflow.python.util.traceback_utils",
)
_MAX_CAPTURES = 16
_PATCH_MARK = "__keras_shapes_magic_original__"


@dataclass
class Capture:
    """Unfiltered frames seen while one exception propagated through a filter."""

    exception: BaseException | None
    frames: list[tuple[types.FrameType, int]]


_lock = threading.Lock()
_captures: list[Capture] = []


def clear() -> None:
    """Drop every stored frame (and so every reference to user objects)."""
    with _lock:
        _captures.clear()


def _record(tb: types.TracebackType | None) -> None:
    try:
        frames = list(traceback.walk_tb(tb))
        current = sys.exc_info()[1]
        with _lock:
            _captures.append(Capture(current, frames))
            del _captures[:-_MAX_CAPTURES]
    except Exception:  # recording is best effort; never disturb Keras
        pass


def _make_wrapper(original: Callable[..., Any]) -> Callable[..., Any]:
    def _process_traceback_frames(tb: Any) -> Any:
        _record(tb)
        return original(tb)

    setattr(_process_traceback_frames, _PATCH_MARK, original)
    _process_traceback_frames.__doc__ = original.__doc__
    return _process_traceback_frames


def _patch_module(module: types.ModuleType) -> None:
    current = getattr(module, "_process_traceback_frames", None)
    if current is None or hasattr(current, _PATCH_MARK):
        return
    module._process_traceback_frames = _make_wrapper(current)  # type: ignore[attr-defined]


def _unpatch_module(module: types.ModuleType) -> None:
    current = getattr(module, "_process_traceback_frames", None)
    original = getattr(current, _PATCH_MARK, None)
    if original is not None:
        module._process_traceback_frames = original  # type: ignore[attr-defined]


_patcher = ImportPatcher("keras_shapes_magic.capture", FILTER_MODULES, _patch_module, _unpatch_module)


def install() -> None:
    """Patch the filters now (if imported) and on import (if not yet)."""
    _patcher.install()


def uninstall() -> None:
    """Undo :func:`install` completely and forget every capture."""
    _patcher.uninstall()
    clear()


def frames_for(exc: BaseException) -> list[tuple[types.FrameType, int]]:
    """Unfiltered frames recorded while ``exc`` (or an exception it replaced) propagated.

    Keras re-raises a *new* exception when it adds call arguments to a message; the
    old one stays reachable as ``__context__``, so the whole chain is matched. Captures
    of other exceptions (one the cell caught, say) are never used.
    """
    chain: set[int] = set()
    seen = exc
    for _ in range(32):
        if seen is None:
            break
        chain.add(id(seen))
        seen = seen.__context__ or seen.__cause__
    with _lock:
        matching = [c for c in _captures if id(c.exception) in chain]
    frames: list[tuple[types.FrameType, int]] = []
    known: set[int] = set()
    for capture in matching:
        for frame, lineno in capture.frames:
            if id(frame) not in known:
                known.add(id(frame))
                frames.append((frame, lineno))
    return frames
