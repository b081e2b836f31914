"""What a checked cell passed to Keras: the model and the data of each ``fit`` / ``evaluate`` / ``predict``.

Only while a ``%%kerascheck`` cell (or every cell, under ``%kerascheck strict on``) runs. The
model classes' methods are wrapped once, the first time a checked cell runs (or when Keras is
imported during one); the wrapper notes its arguments and calls the original with them
unchanged — nothing is called twice and nothing of the user's runs. Outside checked cells the
wrapper costs one flag test per ``fit`` call; a session that never checks a cell is not touched.

Keras's own warnings about shapes, emitted while the cell runs, are kept for the report
instead of printed; its other warnings are printed as Keras meant them.

The recorded objects are live (the model and the arrays); :func:`stop` hands them over and
forgets them, so nothing is kept once the cell's report is made.
"""

from __future__ import annotations

import re
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .on_import import ImportPatcher

#: the modules that define the model classes whose methods are wrapped, and the class in each
MODEL_CLASSES: dict[str, str] = {
    "keras.src.models.model": "Model",
    "tf_keras.src.engine.training": "Model",
}
WATCHED_METHODS = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch")
_PATCH_MARK = "__keras_shapes_magic_watched__"
#: a Keras warning is about shapes when its text says so
_SHAPE_WARNING = re.compile(r"\b(shape|shapes|axis|rank|ndim|dimension|dimensions|num_classes)\b", re.I)
_KERAS_FILES = re.compile(r"[\\/](keras|tf_keras|tensorflow)[\\/]")


@dataclass
class ModelCall:
    """One call of a watched method: the live model and what it was given (released after the report)."""

    method: str
    model: Any
    x: Any = None
    y: Any = None
    has_y: bool = False
    validation: Any = None
    #: the call raised (caught by the cell itself, or by ``%%capture``): the cell did not really pass
    raised: bool = False


@dataclass
class CellRecord:
    """Everything one checked cell passed to Keras, in order."""

    calls: list[ModelCall] = field(default_factory=list)
    #: Keras's warnings about shapes, as text
    keras_warnings: list[str] = field(default_factory=list)


_recording: CellRecord | None = None
_original_showwarning: Callable[..., Any] | None = None


def recording() -> bool:
    """True while a checked cell runs."""
    return _recording is not None


def start() -> None:
    """A checked cell begins: wrap the model methods (once) and start recording."""
    global _recording, _original_showwarning
    _patcher.install()
    _recording = CellRecord()
    if _original_showwarning is None:
        _original_showwarning = warnings.showwarning
        warnings.showwarning = _showwarning


def stop() -> CellRecord | None:
    """The cell ended: what it recorded (the caller releases it), and the recording stops."""
    global _recording, _original_showwarning
    record, _recording = _recording, None
    if _original_showwarning is not None:
        if warnings.showwarning is _showwarning:
            warnings.showwarning = _original_showwarning
        _original_showwarning = None
    return record


def _showwarning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: Any = None, line: str | None = None) -> None:
    record = _recording
    text = str(message)
    if record is not None and _KERAS_FILES.search(filename or "") and _SHAPE_WARNING.search(text):
        record.keras_warnings.append(text.strip())
        return
    original = _original_showwarning or warnings._showwarning_orig  # type: ignore[attr-defined]
    original(message, category, filename, lineno, file, line)


def _note(method: str, model: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> ModelCall | None:
    record = _recording
    if record is None:
        return None
    x = args[0] if args else kwargs.get("x")
    has_y = method not in ("predict", "predict_on_batch")
    y = (args[1] if len(args) > 1 else kwargs.get("y")) if has_y else None
    call = ModelCall(method, model, x, y, has_y, kwargs.get("validation_data"))
    record.calls.append(call)
    return call


_depth = 0  # watched calls in progress: fit calls evaluate for its validation data, which is not the user's call


def _wrap(method: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def watched(self: Any, *args: Any, **kwargs: Any) -> Any:
        global _depth
        if _recording is None or _depth:
            return original(self, *args, **kwargs)
        call = _note(method, self, args, kwargs)
        _depth += 1
        try:
            return original(self, *args, **kwargs)
        except BaseException:
            if call is not None:
                call.raised = True
            raise
        finally:
            _depth -= 1

    watched.__name__ = original.__name__
    watched.__qualname__ = getattr(original, "__qualname__", method)
    watched.__doc__ = original.__doc__
    watched.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(watched, _PATCH_MARK, original)
    return watched


def _patch_module(module: types.ModuleType) -> None:
    cls = getattr(module, MODEL_CLASSES.get(module.__name__, ""), None)
    if not isinstance(cls, type):
        return
    for method in WATCHED_METHODS:
        current = getattr(cls, method, None)
        if current is None or hasattr(current, _PATCH_MARK):
            continue
        setattr(cls, method, _wrap(method, current))


def _unpatch_module(module: types.ModuleType) -> None:
    cls = getattr(module, MODEL_CLASSES.get(module.__name__, ""), None)
    if not isinstance(cls, type):
        return
    for method in WATCHED_METHODS:
        current = cls.__dict__.get(method)
        original = getattr(current, _PATCH_MARK, None)
        if original is None:
            continue
        if getattr(original, "__qualname__", "").split(".")[0] == cls.__name__:
            setattr(cls, method, original)  # the class's own method
        else:
            delattr(cls, method)  # it was inherited: the class gets it from its base again


_patcher = ImportPatcher("keras_shapes_magic.watch", MODEL_CLASSES, _patch_module, _unpatch_module)


def uninstall() -> None:
    """Undo every wrapper and stop recording (``%unload_ext``)."""
    stop()
    _patcher.uninstall()
