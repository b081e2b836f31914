"""Gather what Keras already recorded about a failure: frames, objects, data arguments.

Nothing here calls user code or re-runs anything. The :class:`Evidence` holds live
objects only while a report is being built; the report itself keeps plain data.
"""

from __future__ import annotations

import ast
import os
import sys
import textwrap
import types
from dataclasses import dataclass, field
from typing import Any

from .. import capture
from ..limits import MAX_FRAME_CHAIN
from ..parse import ParsedMessage, parse
from ..records import Phase
from . import keras_objects as ko

_FIT_METHODS = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch")
_PHASE_OF_METHOD = {
    "fit": Phase.FIT, "train_on_batch": Phase.FIT, "evaluate": Phase.EVALUATE, "test_on_batch": Phase.EVALUATE,
    "predict": Phase.PREDICT, "predict_on_batch": Phase.PREDICT, "add": Phase.MODEL_ADD, "compile": Phase.COMPILE,
    "build": Phase.BUILD,
}
_LIBRARY_MARKERS = (
    "site-packages", "dist-packages", f"{os.sep}lib{os.sep}python3", "<frozen", "__autograph_generated",
)
#: Keras's wrapper around an error raised in a layer's ``call()`` (both flavours)
KERAS_WRAPPER_TEXT = "Exception encountered when calling "
_LOSSES_PATH = "/losses"  # keras/src/losses/, tf_keras/src/losses.py
_OPTIMIZERS_PATH = "/optimizers/"
_WINDOW = 25  # lines searched around a frame's line for its whole statement
_COMPOUND = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.While, ast.With, ast.Try)
_KERAS_PATH_MARKERS = (
    f"{os.sep}keras{os.sep}", f"{os.sep}tf_keras{os.sep}", f"{os.sep}tensorflow{os.sep}",
    f"{os.sep}keras_shapes_magic{os.sep}",
)
_OUR_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
#: where Keras's PyTorch backend traces a layer with placeholder sizes
_TORCH_SYMBOLIC_CALL, _TORCH_CORE = "symbolic_call", "/backend/torch/core.py"
_BACKEND_PATH_MARKERS = (f"{os.sep}jax{os.sep}", f"{os.sep}jaxlib{os.sep}", f"{os.sep}torch{os.sep}")


_FIT_PHASES = (Phase.FIT, Phase.EVALUATE, Phase.PREDICT)


@dataclass
class PhaseSignals:
    """What the frames and the user's statement say about when the error happened."""

    #: phases of the model methods in the frames, outermost first (fit/evaluate/predict, build, compile)
    frames: list[Phase] = field(default_factory=list)
    sequential_methods: set[str] = field(default_factory=set)
    #: a loss or optimizer step that the user's own code called (a custom training loop)
    training_loop: Phase | None = None
    has_layer: bool = False
    #: the phase of the model method the user's failing statement calls (``cnn.fit(...)``)
    statement: Phase | None = None


def decide_phase(signals: PhaseSignals) -> Phase:
    """The phase of an error, decided once from all the signals (the only place that decides it)."""
    phase = next((p for p in signals.frames if p in _FIT_PHASES), None) or next(iter(signals.frames), None)
    if phase == Phase.BUILD and "add" in signals.sequential_methods and "__init__" not in signals.sequential_methods:
        phase = Phase.MODEL_ADD  # tf_keras wraps add() in a tracking decorator, so its caller is a library frame
    if phase is None:
        phase = signals.training_loop
    if phase is None and signals.has_layer:
        phase = Phase.LAYER_CALL
    if signals.statement is not None and (phase is None or (signals.statement in _FIT_PHASES
                                                            and phase == Phase.LAYER_CALL)):
        phase = signals.statement
    return phase or Phase.UNKNOWN


@dataclass
class Evidence:
    """Everything known about one failure, gathered once."""

    exception: BaseException
    parsed: ParsedMessage
    frames: list[tuple[types.FrameType, int]]
    raised_in_keras: bool = False
    #: the innermost frame is the user's own code (their ``raise`` inside a custom layer, say)
    raised_in_user_code: bool = False
    flavour: str = ""
    phase: Phase = Phase.UNKNOWN
    signals: PhaseSignals = field(default_factory=PhaseSignals)
    model: Any = None
    layer: Any = None
    layer_inputs: list[Any] = field(default_factory=list)
    layer_frame_locals: dict[str, Any] = field(default_factory=dict)
    loss: Any = None
    x: Any = None
    y: Any = None
    has_y: bool = False
    #: the data that failed is fit's validation data (fit called evaluate)
    validation: bool = False
    #: a loss called directly (custom training loop): ``(y_true, y_pred)`` as the loss function got them
    loss_arguments: tuple[Any, Any] | None = None
    loss_function: str = ""
    #: an optimizer step that failed: the optimizer, the gradient and the variable it was applied to
    optimizer: Any = None
    gradient: Any = None
    variable: Any = None
    sequential_layers: list[Any] = field(default_factory=list)
    sequential_last_tensor: Any = None
    #: a model the user called directly on data (``model(x)``, no fit/evaluate/predict): the model and its inputs
    called_model: Any = None
    called_inputs: list[Any] = field(default_factory=list)
    user_frame: tuple[types.FrameType, int] | None = None
    statement: str = ""
    #: the user's names for the model, x and y in the failing statement (``cnn.fit(images, labels)``)
    variable_names: dict[str, str] = field(default_factory=dict)
    namespace: dict[str, Any] = field(default_factory=dict)
    #: the backend Keras ran on ("tensorflow", "jax", "torch"...): fixes in code use its ops
    backend: str = "tensorflow"
    #: PyTorch backend: the placeholder size of unknown axes in the message's shapes (read as None)
    placeholder_size: int | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("sealed"):
            raise AttributeError(f"Evidence is read-only once collect() has returned (tried to set {name!r})")
        object.__setattr__(self, name, value)

    def seal(self) -> Evidence:
        """End of gathering: from now on the evidence is read, never written (only released)."""
        object.__setattr__(self, "sealed", True)
        return self

    def release(self) -> None:
        """Forget every live object (frames, model, data)."""
        for name, empty in (("frames", []), ("model", None), ("layer", None), ("loss", None), ("x", None),
                            ("y", None), ("layer_inputs", []), ("layer_frame_locals", {}), ("loss_arguments", None),
                            ("optimizer", None), ("gradient", None), ("variable", None), ("sequential_layers", []),
                            ("sequential_last_tensor", None), ("user_frame", None), ("namespace", {}),
                            ("called_model", None), ("called_inputs", [])):
            object.__setattr__(self, name, empty)


def message_of(exc: BaseException) -> str:
    """The exception's text, as the user sees it (TF OpErrors keep theirs in ``.message``).

    A user-defined exception class's own ``__str__`` is never called: its ``args`` are read instead.
    """
    text = ko.exception_text(exc)
    if not text:
        message = ko.attr(exc, "message", "")
        text = message if isinstance(message, str) else ""
    return text


def is_library_file(filename: str) -> bool:
    """True for installed packages and the standard library, False for the user's code."""
    return any(marker in filename for marker in _LIBRARY_MARKERS)


def is_keras_file(filename: str) -> bool:
    """True for files of Keras, tf_keras or TensorFlow."""
    return any(marker in filename for marker in _KERAS_PATH_MARKERS)


def _depths(frames: list[types.FrameType]) -> dict[int, int]:
    """Stack depth of each frame, memoised so that deep stacks cost O(n), not O(n^2)."""
    known: dict[int, int] = {}
    for start in frames:
        chain: list[types.FrameType] = []
        frame: types.FrameType | None = start
        while frame is not None and id(frame) not in known and len(chain) < MAX_FRAME_CHAIN:
            chain.append(frame)
            frame = frame.f_back
        depth = known[id(frame)] if frame is not None and id(frame) in known else 0
        for item in reversed(chain):
            depth += 1
            known[id(item)] = depth
    return known


def merged_frames(exc: BaseException, captured: list[tuple[types.FrameType, int]]) -> list[tuple[types.FrameType, int]]:
    """Visible and captured (unfiltered) frames of ``exc``, outermost first; our own frames are left out
    (the ``watch`` wrapper around ``fit`` of a ``%%kerascheck`` cell is neither the user's code nor Keras)."""
    frames: list[tuple[types.FrameType, int]] = []
    known: set[int] = set()
    for frame, lineno in ko.traceback_frames(exc) + captured:
        if frame.f_code.co_filename.startswith(_OUR_PACKAGE):
            continue
        if id(frame) not in known:
            known.add(id(frame))
            frames.append((frame, lineno))
    # Frames of one propagation all sit on one stack: their depth orders them.
    depth = _depths([f for f, _ in frames])
    order = {id(f): i for i, (f, _) in enumerate(frames)}
    frames.sort(key=lambda item: (depth[id(item[0])], order[id(item[0])]))
    return frames


def is_backend_file(filename: str) -> bool:
    """True for files of Keras 3's other backends (JAX, PyTorch), which raise shape errors of their own."""
    return any(marker in filename for marker in _BACKEND_PATH_MARKERS)


def raised_by_keras(exc: BaseException, frames: list[tuple[types.FrameType, int]], message: str) -> bool:
    """Was ``exc`` raised inside Keras / TF (or wrapped by Keras)? Decided before any text is parsed.

    On JAX and PyTorch the innermost frame is the backend's: the error is Keras's when Keras called it.
    """
    if frames:
        innermost = frames[-1][0].f_code.co_filename
        if is_keras_file(innermost) and "keras_shapes_magic" not in innermost:
            return True
        if is_backend_file(innermost) and any(is_keras_file(f.f_code.co_filename)
                                              and "keras_shapes_magic" not in f.f_code.co_filename
                                              for f, _ in frames):
            return True
    module = type(exc).__module__ or ""
    if module.startswith(("tensorflow", "keras", "tf_keras")):
        return True
    return KERAS_WRAPPER_TEXT in message  # Keras re-raised a user layer's error with its call info


def placeholder_size(frames: list[tuple[types.FrameType, int]]) -> int | None:
    """The size Keras's PyTorch backend put in every unknown axis while the error was raised, if it was.

    Its ``compute_output_spec`` traces a layer on real tensors through ``symbolic_call(..., fill_value)``
    (83, then 89); the error's sizes then include that number where the batch axis (or another unknown
    axis) stands. Read from the frame's locals; nothing is called.
    """
    for frame, _lineno in reversed(frames):
        code = frame.f_code
        if code.co_name == _TORCH_SYMBOLIC_CALL and _TORCH_CORE in code.co_filename.replace(os.sep, "/"):
            fill = frame.f_locals.get("fill_value")
            return fill if type(fill) is int and fill > 0 else None
    return None


def raised_in_user_code(frames: list[tuple[types.FrameType, int]]) -> bool:
    """True when the innermost frame is the user's own code (a ``raise`` in a custom layer, say)."""
    return bool(frames) and not is_library_file(frames[-1][0].f_code.co_filename)


def collect(exc: BaseException, namespace: dict[str, Any] | None = None,
            captured: list[tuple[types.FrameType, int]] | None = None) -> Evidence:
    """Gather the evidence for ``exc`` without running any user code.

    ``captured``: the frames Keras filtered away (default: what :mod:`capture` recorded for ``exc``).
    Errors not raised by Keras are recognised from their frames and type first, so their
    text is never parsed (a user's own 5 MB message costs nothing).
    """
    frames = merged_frames(exc, capture.frames_for(exc) if captured is None else captured)
    message = message_of(exc)
    if not raised_by_keras(exc, frames, message):
        return Evidence(exception=exc, parsed=parse(""), frames=frames).seal()
    placeholder = placeholder_size(frames)
    ev = Evidence(exception=exc, parsed=parse(message, placeholder), frames=frames, raised_in_keras=True)
    ev.placeholder_size = placeholder
    ev.raised_in_user_code = raised_in_user_code(frames)
    ev.namespace = namespace if namespace is not None else {}
    _read_frames(ev)
    _read_user_statement(ev)
    ev.phase = decide_phase(ev.signals)
    if namespace is None:  # a script: the failing module's globals are the user's namespace
        user = [f for f, _ in ev.frames if not is_library_file(f.f_code.co_filename)]
        if user:
            ev.namespace = user[0].f_globals
    if not ev.flavour:
        for obj in (ev.model, ev.layer, ev.loss):
            if obj is not None and ko.flavour_of(obj):
                ev.flavour = ko.flavour_of(obj)
                break
    if not ev.flavour:
        ev.flavour = "keras3" if "keras.src" in sys.modules else ("tf_keras" if "tf_keras" in sys.modules else "")
    ev.backend = "tensorflow" if ev.flavour == "tf_keras" else (ko.keras3_backend() or "tensorflow")
    return ev.seal()


def _read_frames(ev: Evidence) -> None:
    layer_frames: list[tuple[types.FrameType, Any]] = []
    signals = ev.signals
    fit_seen = False
    for frame, _lineno, owner in ko.iter_frames_self(ev.frames):
        name = frame.f_code.co_name
        if owner is None:
            continue
        if ko.is_model(owner):
            if name in _FIT_METHODS:
                # the outermost call names the phase; the innermost holds the data that failed
                # (fit -> evaluate: the validation data)
                if not fit_seen:
                    signals.frames.append(_PHASE_OF_METHOD[name])
                else:
                    ev.validation = ev.validation or (name in ("evaluate", "test_on_batch"))
                fit_seen = True
                ev.model = owner
                ev.x = frame.f_locals.get("x")
                if name != "predict" and name != "predict_on_batch":
                    ev.y = frame.f_locals.get("y")
                    ev.has_y = True
                continue
            if ko.is_sequential(owner) and name in ("__init__", "add", "build", "_maybe_rebuild"):
                signals.sequential_methods.add(name)
                if ev.model is None:
                    ev.model = owner
                signals.frames.append(Phase.MODEL_ADD if name == "add" and _called_from_user(frame) else Phase.BUILD)
                if name == "__init__" and isinstance(frame.f_locals.get("layers"), (list, tuple)):
                    ev.sequential_layers = [lay for lay in frame.f_locals["layers"] if ko.is_layer(lay)]
                if name == "build" and "x" in frame.f_locals and ko.is_keras_tensor(frame.f_locals.get("x")):
                    ev.sequential_last_tensor = frame.f_locals["x"]
                continue
            if name == "compile":
                signals.frames.append(Phase.COMPILE)
                ev.model = ev.model or owner
        if ko.is_loss(owner):
            ev.loss = owner  # the innermost loss names the function (not the compile-time container)
        if ko.is_layer(owner):
            layer_frames.append((frame, owner))
    if not signals.frames:
        _read_training_loop(ev)
        _read_direct_model_call(ev, layer_frames)
    _pick_failing_layer(ev, layer_frames)
    signals.has_layer = ev.layer is not None


def _read_direct_model_call(ev: Evidence, layer_frames: list[tuple[types.FrameType, Any]]) -> None:
    """The user called a model on data (``model(x)``): the outermost model call made from the user's code."""
    outer = [(frame, owner) for frame, owner in layer_frames if owner is layer_frames[0][1]] if layer_frames else []
    for frame, owner in outer:  # the outermost layer called is a model: its first ``__call__`` frame
        if ko.is_model(owner) and frame.f_code.co_name == "__call__":
            inputs = _call_inputs(frame.f_locals)
            if inputs and not any(ko.is_keras_tensor(t) for t in inputs):
                ev.called_model, ev.called_inputs = owner, inputs
            return


def _read_training_loop(ev: Evidence) -> None:
    """A custom training loop: a loss function or an optimizer step called by the user's own code."""
    for frame, _lineno in reversed(ev.frames):
        filename = frame.f_code.co_filename
        if not is_keras_file(filename):
            continue
        local = frame.f_locals
        if ev.loss_arguments is None and _LOSSES_PATH in filename.replace(os.sep, "/") \
                and "y_true" in local and "y_pred" in local:
            ev.loss_arguments = (local["y_true"], local["y_pred"])
            ev.loss_function = frame.f_code.co_name
            ev.signals.training_loop = Phase.LOSS_CALL
        if _OPTIMIZERS_PATH in filename.replace(os.sep, "/"):
            if ev.variable is None and "variable" in local and "gradient" in local:
                ev.variable, ev.gradient = local["variable"], local["gradient"]
                ev.signals.training_loop = ev.signals.training_loop or Phase.OPTIMIZER_STEP
            owner = local.get("self")
            if owner is not None and ko.has_attr(owner, "apply_gradients"):
                ev.optimizer = owner


def _called_from_user(frame: types.FrameType) -> bool:
    back = frame.f_back
    return back is not None and not is_library_file(back.f_code.co_filename)


def _pick_failing_layer(ev: Evidence, layer_frames: list[tuple[types.FrameType, Any]]) -> None:
    """The innermost layer in the frames that is not the model being fit (wrappers win)."""
    # Keras 3 runs every Sequential through a hidden Functional: speak of the Sequential instead
    hidden = {id(ko.hidden_functional(o)): o for _, o in layer_frames if ko.is_sequential(o)}
    layer_frames = [(f, hidden.get(id(o), o)) for f, o in layer_frames]
    candidates = [(f, o) for f, o in layer_frames if o is not ev.model and not _is_internal_functional(o, ev.model)]
    if not candidates:
        # a subclassed model whose own call() failed is the failing "layer"
        user_models = [o for f, o in layer_frames if ko.is_model(o) and not is_library_file(f.f_code.co_filename)]
        if user_models:
            ev.layer = user_models[-1]
        return
    layer = candidates[-1][1]
    owners = [o for _, o in candidates]
    for outer in reversed(owners):  # TimeDistributed / Bidirectional own their inner layer
        if outer is not layer and ko.is_wrapper(outer) and _wraps(outer, layer):
            layer = outer
    # a model used as a layer: keep the innermost real layer; a user layer's own
    # sublayer (a Dense inside a custom block) stays the innermost too.
    ev.layer = layer
    for frame, owner in candidates:
        if owner is layer and frame.f_code.co_name == "__call__":
            ev.layer_frame_locals = dict(frame.f_locals)
            ev.layer_inputs = _call_inputs(frame.f_locals)
            break
    if not ev.layer_inputs:
        for frame, owner in candidates:
            if owner is layer:
                for key in ("inputs", "x", "input_shape"):
                    if key in frame.f_locals:
                        ev.layer_frame_locals.setdefault(key, frame.f_locals[key])


def _wraps(outer: Any, inner: Any) -> bool:
    seen = ko.attr(outer, "layer")
    for _ in range(8):
        if seen is None:
            return False
        if seen is inner:
            return True
        seen = ko.attr(seen, "layer")
    forward = ko.attr(outer, "forward_layer")
    backward = ko.attr(outer, "backward_layer")
    return inner is forward or inner is backward


def _is_internal_functional(obj: Any, model: Any) -> bool:
    """Keras 3 runs a Sequential through a hidden Functional named ``functional``."""
    return model is not None and ko.hidden_functional(model) is obj


def _call_inputs(frame_locals: dict[str, Any]) -> list[Any]:
    for key in ("inputs", "args", "original_args"):
        value = frame_locals.get(key)
        if value is None:
            continue
        if key in ("args", "original_args") and isinstance(value, (list, tuple)):
            value = value[0] if value else None
            if value is None:
                continue
        leaves = [leaf for leaf in ko.flatten(value) if ko.shape_of(leaf) is not None]
        if leaves:
            return leaves
    return []


# ---------------------------------------------------------------- user statement


def _read_user_statement(ev: Evidence) -> None:
    """Find the user's failing statement; fill in the model and data it names."""
    user_frames = [(f, ln) for f, ln in ev.frames if not is_library_file(f.f_code.co_filename)]
    if not user_frames:
        return
    ev.user_frame = user_frames[-1]
    for frame, lineno in reversed(user_frames):
        source = _statement_source(frame, lineno)
        if not source:
            continue
        if not ev.statement:
            ev.statement = source
        if ev.signals.training_loop == Phase.LOSS_CALL:
            ev.variable_names.update(_loss_argument_names(source))
        if ev.called_model is not None and "x" not in ev.variable_names:
            ev.variable_names.update(_direct_call_names(source, {**frame.f_globals, **frame.f_locals},
                                                        ev.called_model))
        call = _method_call(source)
        if call is None:
            continue
        method, receiver, args, keywords = call
        if method in _PHASE_OF_METHOD:
            ev.statement = source
            scope = {**frame.f_globals, **frame.f_locals}
            model = scope.get(receiver) if receiver else None
            if model is not None and ko.is_model(model):
                ev.variable_names.update(_argument_names(receiver, method, args, keywords, ev.validation))
                ev.model = ev.model or model
                ev.signals.statement = _PHASE_OF_METHOD[method]
                if method in _FIT_METHODS and ev.x is None:
                    ev.x = _resolve(args[0] if args else keywords.get("x"), scope)
                    if method not in ("predict", "predict_on_batch"):
                        ev.has_y = True
                        ev.y = _resolve(args[1] if len(args) > 1 else keywords.get("y"), scope)
            break


def _direct_call_names(source: str, scope: dict[str, Any], model: Any) -> dict[str, str]:
    """``{"model": "mk", "x": "one_image"}`` for ``mk(one_image)``, when ``mk`` is the model that was called."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and scope.get(node.func.id) is model \
                and node.args and isinstance(node.args[0], ast.Name):
            return {"model": node.func.id, "x": node.args[0].id}
    return {}


def _statement_source(frame: types.FrameType, lineno: int) -> str:
    """The whole statement around ``lineno``, found by parsing small windows (never the whole file)."""
    lines = ko.source_lines(frame)
    if not lines or lineno < 1 or lineno > len(lines):
        return ""
    best = ""
    for start in range(lineno, max(0, lineno - _WINDOW), -1):
        for end in range(lineno, min(len(lines), lineno + _WINDOW) + 1):
            snippet = textwrap.dedent("".join(lines[start - 1:end]))
            try:
                tree = ast.parse(snippet)
            except SyntaxError:
                continue
            if len(tree.body) == 1 and not isinstance(tree.body[0], _COMPOUND):
                best = snippet.strip()  # the statement that starts highest and still covers the line wins
            break  # a longer window from this start only adds statements
    return best or lines[lineno - 1].strip()


def _method_call(source: str) -> tuple[str, str | None, list[ast.expr], dict[str, ast.expr]] | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            if method in _PHASE_OF_METHOD:
                receiver = node.func.value.id if isinstance(node.func.value, ast.Name) else None
                keywords = {k.arg: k.value for k in node.keywords if k.arg}
                return method, receiver, list(node.args), keywords
    return None


def _loss_argument_names(source: str) -> dict[str, str]:
    """``{"y_true": "labels", "y_pred": "logits"}`` from ``loss_fn(labels, logits)`` in the statement."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            y_true = node.args[0] if node.args else keywords.get("y_true")
            y_pred = node.args[1] if len(node.args) > 1 else keywords.get("y_pred")
            if isinstance(y_true, ast.Name) and isinstance(y_pred, ast.Name):
                return {"y_true": y_true.id, "y_pred": y_pred.id}
    return {}


def _argument_names(receiver: str | None, method: str, args: list[ast.expr],
                    keywords: dict[str, ast.expr], validation: bool = False) -> dict[str, str]:
    """``{"model": "cnn", "x": "images", "y": "labels"}`` for plain names in ``cnn.fit(images, labels)``.

    With ``validation``, x (and y) are the ``validation_data=`` of the call.
    """
    names: dict[str, str] = {}
    if receiver:
        names["model"] = receiver
    x = args[0] if args else keywords.get("x")
    y = args[1] if len(args) > 1 else keywords.get("y")
    if validation:
        data = keywords.get("validation_data")
        x, y = (data.elts[0], data.elts[1]) if isinstance(data, ast.Tuple) and len(data.elts) >= 2 else (data, None)
    names.update(_element_names("x", x))
    if method not in ("predict", "predict_on_batch"):
        names.update(_element_names("y", y))
    return names


def _element_names(generic: str, expr: ast.expr | None) -> dict[str, str]:
    """``{"x": "images"}`` for a plain name; for a literal list or dict of names, each element's name under
    the table's spelling of it: ``{"x['input1']": "Xb"}`` for ``{'input1': Xb}``, ``{"y[1]": "d"}`` for ``[yb, d]``."""
    if isinstance(expr, ast.Name):
        return {generic: expr.id}
    found: dict[str, str] = {}
    if isinstance(expr, (ast.List, ast.Tuple)):
        for i, element in enumerate(expr.elts):
            if isinstance(element, ast.Name):
                found[f"{generic}[{i}]"] = element.id
    elif isinstance(expr, ast.Dict):
        for key, value in zip(expr.keys, expr.values):
            if isinstance(key, ast.Constant) and type(key.value) is str and isinstance(value, ast.Name):
                found[f"{generic}[{key.value!r}]"] = value.id
    return found


def _resolve(expr: ast.expr | None, scope: dict[str, Any]) -> Any:
    """The value of a plain name in the user's scope (never evaluates anything else)."""
    if isinstance(expr, ast.Name):
        return scope.get(expr.id)
    if isinstance(expr, (ast.List, ast.Tuple)):
        values = [_resolve(e, scope) for e in expr.elts]
        return values if all(v is not None for v in values) else None
    if isinstance(expr, ast.Dict):
        keys = [k.value if isinstance(k, ast.Constant) else None for k in expr.keys]
        values = [_resolve(v, scope) for v in expr.values]
        if all(k is not None for k in keys) and all(v is not None for v in values):
            return dict(zip(keys, values))
    return None
