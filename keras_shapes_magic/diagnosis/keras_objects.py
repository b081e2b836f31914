"""Duck-typed access to Keras 3 and tf_keras objects, without importing either.

Every helper here is safe: it answers ``None`` / ``False`` / ``()`` instead of raising,
because it reads objects that may be half-built when an error happened.
"""

from __future__ import annotations

import enum
import linecache
import math
import sys
import traceback
import types
from collections.abc import Iterable, Iterator
from typing import Any

from ..limits import MAX_CONFIG_VALUE_CHARS, MAX_GRAPH_NODES, MAX_NAMESPACE_NAMES, MAX_STRUCTURE_ITEMS
from ..parse import Shape

_KERAS_ROOTS = ("keras", "tf_keras", "tensorflow")
#: Code we may run while reading an attribute: the frameworks' and the standard library's, never the user's.
_TRUSTED_ROOTS = frozenset(_KERAS_ROOTS + (
    "builtins", "numpy", "pandas", "jax", "jaxlib", "torch", "abc", "collections", "functools", "typing",
    "enum", "dataclasses", "weakref", "types", "tree", "optree", "h5py", "scipy",
))
_MISSING = object()
_PLAIN_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType, staticmethod, classmethod)


def _trusted(cls: type | None) -> bool:
    return cls is not None and (getattr(cls, "__module__", "") or "").split(".")[0] in _TRUSTED_ROOTS


def _defined_in(cls: type, name: str) -> tuple[type | None, Any]:
    """The class of ``cls``'s MRO whose ``__dict__`` defines ``name``, and the value there."""
    for klass in cls.__mro__:
        try:
            namespace = type.__dict__["__dict__"].__get__(klass)  # the real class dict, no user hooks
        except Exception:
            continue
        if name in namespace:
            return klass, namespace[name]
    return None, _MISSING


class _Read(enum.Enum):
    """How ``attr`` may read one attribute name of one class (decided once per class and name)."""

    REFUSE = "refuse"  # only user code could answer: return the default
    DESCRIPTOR = "descriptor"  # a framework's data descriptor (property...): getattr is safe
    INSTANCE_FIRST = "instance first"  # the instance dict, else the class attribute or a framework __getattr__
    INSTANCE_ONLY = "instance only"  # the instance dict, else the default (a user __getattr__ stays uncalled)


#: (class, name) -> how to read it; kept for one report only (see :func:`forget_classes`)
_plans: dict[tuple[type, str], _Read] = {}
_framework_classes: dict[type, bool] = {}


def _plan(cls: type, name: str) -> _Read:
    key = (cls, name)
    plan = _plans.get(key)
    if plan is None:
        plan = _plans[key] = _decide(cls, name)
    return plan


def forget_classes() -> None:
    """Drop the per-class decisions (called after every report: no class outlives it here)."""
    _plans.clear()
    _framework_classes.clear()


def _decide(cls: type, name: str) -> _Read:
    owner, _ = _defined_in(cls, "__getattribute__")
    if not _trusted(owner):
        return _Read.REFUSE
    owner, found = _defined_in(cls, name)
    if found is not _MISSING:
        descriptor = type(found)
        is_data = hasattr(descriptor, "__set__") or hasattr(descriptor, "__delete__")
        if is_data or (not isinstance(found, _PLAIN_FUNCTION_TYPES) and hasattr(descriptor, "__get__")):
            if not _trusted(owner):
                return _Read.REFUSE
            if is_data:
                return _Read.DESCRIPTOR
        return _Read.INSTANCE_FIRST
    hook_owner, hook = _defined_in(cls, "__getattr__")
    if hook is not _MISSING and not _trusted(hook_owner):
        return _Read.INSTANCE_ONLY
    return _Read.INSTANCE_FIRST


def attr(obj: Any, name: str, default: Any = None) -> Any:
    """``obj.name`` without ever running user-defined code (properties, ``__getattr__``...).

    An attribute is read from the instance ``__dict__``, or through a class attribute that a
    framework (Keras, TensorFlow, NumPy...) defines. A property of the user's own class is
    never called: ``default`` is returned instead. Never raises.
    """
    try:
        cls = type(obj)
        framework_only = _framework_classes.get(cls)
        if framework_only is None:  # every class of the MRO is a framework's: nothing of the user's can run
            framework_only = _framework_classes[cls] = all(_trusted(klass) for klass in cls.__mro__)
        if framework_only:
            return getattr(obj, name, default)
        plan = _plan(cls, name)
        if plan is _Read.REFUSE:
            return default
        if plan is _Read.DESCRIPTOR:
            return getattr(obj, name, default)
        try:
            instance_dict = object.__getattribute__(obj, "__dict__")
        except Exception:
            instance_dict = None
        if isinstance(instance_dict, dict) and name in instance_dict:
            return instance_dict[name]
        if plan is _Read.INSTANCE_ONLY:
            return default
        return getattr(obj, name, default)
    except Exception:
        return default


def trusted_method(obj: Any, name: str) -> bool:
    """True when the method ``name`` of ``obj`` comes from a framework, not from the user's class."""
    owner, _ = _defined_in(type(obj), name)
    return _trusted(owner)


def exception_text(exc: BaseException) -> str:
    """The exception's text; a user-defined class's own ``__str__`` is never called (its ``args`` are read)."""
    try:
        return str(exc) if trusted_method(exc, "__str__") else BaseException.__str__(exc)
    except Exception:
        return ""


def traceback_text(exc: BaseException) -> str | None:
    """The formatted traceback (a user-defined ``__str__`` is not called); ``None`` if it cannot be formatted."""
    try:
        if trusted_method(exc, "__str__"):
            return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return ("Traceback (most recent call last):\n" + "".join(traceback.format_tb(exc.__traceback__))
                + f"{type(exc).__name__}: {exception_text(exc)}\n")
    except Exception:
        return None


def traceback_frames(exc: BaseException) -> list[tuple[types.FrameType, int]]:
    """``(frame, line)`` of the exception's visible traceback, outermost first; ``[]`` if unreadable."""
    try:
        return list(traceback.walk_tb(exc.__traceback__))
    except Exception:
        return []


def source_lines(frame: types.FrameType) -> list[str]:
    """The source lines of a frame's cell or file (IPython's cells are in ``linecache``); ``[]`` if none."""
    try:
        return linecache.getlines(frame.f_code.co_filename, frame.f_globals)
    except Exception:
        return []


def namespace_items(namespace: Any, limit: int) -> list[tuple[Any, Any]]:
    """The first ``limit`` ``(name, value)`` pairs of the user's namespace; ``[]`` if it cannot be read."""
    try:
        return list(namespace.items())[:limit]
    except Exception:
        return []


def module_names(namespace: Any) -> dict[str, str]:
    """``{module name: the user's name for it}`` for the modules bound in the user's namespace."""
    found: dict[str, str] = {}
    for name, value in namespace_items(namespace, MAX_NAMESPACE_NAMES):
        # type(), not isinstance(): isinstance falls back on the object's own ``__class__``, which may be user code
        if issubclass(type(value), types.ModuleType) and type(name) is str and not name.startswith("_"):
            module = value.__name__
            if module not in found or name == _SHORT_NAMES.get(module):
                found[module] = name
    return found


#: the names the community gives these modules (preferred when a module is bound twice)
_SHORT_NAMES = {"numpy": "np", "tensorflow": "tf", "keras": "keras", "tf_keras": "keras"}


def keras3_backend() -> str:
    """The backend Keras 3 runs on (``"tensorflow"``, ``"jax"``, ``"torch"``...), read from its config module
    if Keras 3 is imported (never imported here); ``""`` if not."""
    config = sys.modules.get("keras.src.backend.config")
    backend = getattr(config, "_BACKEND", "") if config is not None else ""
    return backend if type(backend) is str else ""


def largest_int(array: Any, limit: int) -> int | None:
    """The largest value of a NumPy integer array of at most ``limit`` elements (read, never copied)."""
    try:
        import numpy as np

        if isinstance(array, np.ndarray) and array.size <= limit and array.dtype.kind in "iu":
            return int(array.max())
    except Exception:
        pass
    return None


def has_attr(obj: Any, name: str) -> bool:
    """``hasattr`` that never runs user-defined code."""
    return attr(obj, name, _MISSING) is not _MISSING


def config_value(layer: Any, key: str, default: Any = None) -> Any:
    """One setting of a layer: its attribute, else ``get_config()`` where Keras itself defines it."""
    value = attr(layer, key, _MISSING)
    if value is not _MISSING and not callable(value):
        return value
    if not trusted_method(layer, "get_config"):
        return default
    try:
        return layer.get_config().get(key, default)
    except Exception:
        return default


def _keras_class_names(obj: Any) -> frozenset[str]:
    try:
        mro = type(obj).__mro__
    except Exception:
        return frozenset()
    return frozenset(
        c.__name__ for c in mro if (getattr(c, "__module__", "") or "").split(".")[0] in _KERAS_ROOTS
    )


def flavour_of(obj: Any) -> str:
    """``"keras3"`` or ``"tf_keras"`` from where the object's classes live ("" if neither).

    The MRO is walked, so a user's subclass defined in ``__main__`` gets its base's flavour.
    """
    try:
        mro = type(obj).__mro__
    except Exception:
        return ""
    for cls in mro:
        module = getattr(cls, "__module__", "") or ""
        if module.startswith(("tf_keras", "tensorflow.python.keras")):
            return "tf_keras"
        if module.startswith("keras"):
            return "keras3"
    return ""


def is_layer(obj: Any) -> bool:
    """A Keras layer that is not a metric or a loss (tf_keras metrics are layers too)."""
    names = _keras_class_names(obj)
    return "Layer" in names and "Metric" not in names and "Loss" not in names


def is_model(obj: Any) -> bool:
    """A Keras Model (Functional, Sequential or subclassed)."""
    return "Model" in _keras_class_names(obj)


def is_sequential(obj: Any) -> bool:
    """A Keras Sequential model."""
    return "Sequential" in _keras_class_names(obj)


def is_functional(obj: Any) -> bool:
    """A model with a graph of layers (Functional or Sequential)."""
    names = _keras_class_names(obj)
    return "Functional" in names or "Sequential" in names


def is_input_layer(obj: Any) -> bool:
    """A ``keras.Input`` placeholder layer."""
    return "InputLayer" in _keras_class_names(obj)


def is_loss(obj: Any) -> bool:
    """A Keras loss object (``LossFunctionWrapper`` and friends)."""
    return "Loss" in _keras_class_names(obj)


def is_keras_tensor(obj: Any) -> bool:
    """A symbolic KerasTensor that carries ``_keras_history``."""
    return "KerasTensor" in _keras_class_names(obj)


def is_wrapper(obj: Any) -> bool:
    """TimeDistributed, Bidirectional and other layers that wrap one inner layer."""
    return "Wrapper" in _keras_class_names(obj)


def is_array(obj: Any) -> bool:
    """A NumPy array (its exact type: a subclass could run user code when read)."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and type(obj) is numpy.ndarray


def is_dataset(obj: Any) -> bool:
    """A ``tf.data.Dataset``."""
    return "DatasetV2" in _keras_class_names(obj) or "Dataset" in _keras_class_names(obj)


def safe_name(obj: Any) -> str:
    """``obj.name`` as a string, or the class name."""
    try:
        name = attr(obj, "name")
        if isinstance(name, str) and name:
            return name
    except Exception:
        pass
    return type(obj).__name__


def class_name(obj: Any) -> str:
    """The class name of ``obj``."""
    return type(obj).__name__


def shape_of(value: Any) -> Shape | None:
    """The shape of an array, tensor or KerasTensor as a tuple; ``None`` if unknown."""
    if value is None:
        return None
    shape = attr(value, "shape")
    if shape is None:
        return None
    try:
        if hasattr(shape, "as_list"):
            if getattr(shape, "rank", 0) is None:
                return None
            return tuple(None if d is None else int(d) for d in shape.as_list())
        return tuple(None if d is None else int(d) for d in shape)
    except Exception:
        return None


def flatten(structure: Any, limit: int = MAX_STRUCTURE_ITEMS) -> list[Any]:
    """Leaves of nested lists / tuples / dicts, iteratively (no recursion)."""
    leaves: list[Any] = []
    stack = [structure]
    while stack and len(leaves) < limit:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple)) and not has_attr(item, "shape"):
            stack.extend(reversed(list(item)))
        else:
            leaves.append(item)
    return leaves


def keras_tensors_in(structure: Any) -> list[Any]:
    """All KerasTensors found in a nested argument structure."""
    return [leaf for leaf in flatten(structure) if is_keras_tensor(leaf)]


def hidden_functional(model: Any) -> Any:
    """The Functional that Keras 3 runs a Sequential through (``None`` elsewhere)."""
    return attr(model, "_functional")


def inbound_nodes(layer: Any) -> list[Any]:
    """The nodes (calls) of a layer, oldest first; ``[]`` when unknown."""
    nodes = attr(layer, "_inbound_nodes") if layer is not None else None
    return list(nodes) if isinstance(nodes, (list, tuple)) else []


def history_node(tensor: Any) -> tuple[Any, Any] | None:
    """``(layer, node)`` that produced a KerasTensor, in either Keras flavour."""
    try:
        history = attr(tensor, "_keras_history")
        layer, node_index = history[0], history[1]
        return layer, attr(layer, "_inbound_nodes")[node_index]
    except Exception:
        return None


def node_inputs(node: Any) -> list[Any]:
    """The KerasTensors that went into a node."""
    for name in ("keras_inputs", "input_tensors"):
        value = attr(node, name)
        if value is not None:
            return keras_tensors_in(value)
    return []


def node_outputs(node: Any) -> list[Any]:
    """The KerasTensors a node produced."""
    for name in ("output_tensors", "outputs"):
        value = attr(node, name)
        if value is not None:
            leaves = flatten(value)
            if leaves:
                return leaves
    return []


def count_params(layer: Any) -> int | None:
    """Number of weights of a built layer, from the weight shapes (no tensor reads)."""
    try:
        if not attr(layer, "built", False):
            return None
        total = 0
        for weight in attr(layer, "weights", None) or ():
            shape = shape_of(weight)
            if shape is None or any(d is None for d in shape):
                continue
            total += math.prod(shape)  # type: ignore[arg-type]
        return total
    except Exception:
        return None


def sublayers(model: Any) -> list[Any]:
    """The layers a model tracks, in order (InputLayer first where Keras lists it)."""
    for name in ("_layers", "layers"):
        value = attr(model, name)
        if isinstance(value, (list, tuple)) and value:
            return [layer for layer in value if is_layer(layer)]
    return []


def model_outputs(model: Any) -> list[Any]:
    """The symbolic outputs of a Functional / built Sequential model."""
    for name in ("outputs", "_outputs"):
        value = attr(model, name)
        tensors = keras_tensors_in(value) if value is not None else []
        if tensors:
            return tensors
    functional = attr(model, "_functional")
    if functional is not None and functional is not model:
        return model_outputs(functional)
    return []


def model_inputs(model: Any) -> list[Any]:
    """The symbolic inputs of a Functional / built Sequential model."""
    for name in ("inputs", "_inputs"):
        value = attr(model, name)
        tensors = keras_tensors_in(value) if value is not None else []
        if tensors:
            return tensors
    functional = attr(model, "_functional")
    if functional is not None and functional is not model:
        return model_inputs(functional)
    return []


_CONFIG_KEYS = (
    "units", "filters", "kernel_size", "strides", "pool_size", "padding", "activation",
    "return_sequences", "return_state", "axis", "target_shape", "input_dim", "output_dim",
    "rate", "data_format", "dilation_rate", "size", "cropping", "merge_mode", "axes",
    "batch_shape", "shape",
)


def _config_text(value: Any) -> str | None:
    """A short string for a config value (functions by name); None for what is not worth showing."""
    if value is None:
        return None
    if callable(value) and not isinstance(value, type):
        name = attr(value, "__name__") or attr(value, "name")
        return str(name) if name else None
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (bool, int, float)):
        return str(value)
    if isinstance(value, (list, tuple)) and len(value) <= 8 and all(
            isinstance(v, (int, float, str, type(None))) for v in value):
        return str(tuple(value))
    return None


def key_config(layer: Any) -> tuple[tuple[str, str], ...]:
    """The handful of settings that decide a layer's shapes, as short strings.

    Read from the layer's attributes (cheap), not ``get_config()`` (which serialises everything).
    """
    items: list[tuple[str, str]] = []
    for key in _CONFIG_KEYS:
        value = attr(layer, key)
        text = _config_text(value)
        if text is not None:
            items.append((key, text[:MAX_CONFIG_VALUE_CHARS]))
    inner = attr(layer, "layer")
    if inner is not None and is_layer(inner):
        items.append(("layer", f"{class_name(inner)} {safe_name(inner)!r}"))
    return tuple(items)


def walk_layer_nodes(frontier: Iterable[Any], limit: int = MAX_GRAPH_NODES) -> list[tuple[Any, Any]]:
    """``(layer, node)`` pairs upstream of the frontier tensors, in execution order.

    Iterative post-order depth-first walk over KerasTensor history, so graphs deeper
    than Python's recursion limit are fine.
    """
    order: list[tuple[Any, Any]] = []
    emitted: set[int] = set()
    entered: set[int] = set()
    stack: list[tuple[Any, Any, bool]] = []
    for tensor in reversed(list(frontier)):
        found = history_node(tensor)
        if found is not None:
            stack.append((found[0], found[1], False))
    while stack and len(order) < limit:
        layer, node, expanded = stack.pop()
        key = id(node)
        if expanded:
            if key not in emitted:
                emitted.add(key)
                order.append((layer, node))
            continue
        if key in entered:
            continue
        entered.add(key)
        stack.append((layer, node, True))
        for tensor in reversed(node_inputs(node)):
            parent = history_node(tensor)
            if parent is not None and id(parent[1]) not in entered:
                stack.append((parent[0], parent[1], False))
    return order


def iter_frames_self(frames: Iterable[tuple[Any, int]]) -> Iterator[tuple[Any, int, Any]]:
    """``(frame, lineno, self)`` for frames that have a ``self``."""
    for frame, lineno in frames:
        try:
            owner = frame.f_locals.get("self")
        except Exception:
            owner = None
        yield frame, lineno, owner
