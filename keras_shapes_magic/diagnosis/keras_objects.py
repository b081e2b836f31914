"""Duck-typed access to Keras 3 and tf_keras objects, without importing either.

Every helper here is safe: it answers ``None`` / ``False`` / ``()`` instead of raising,
because it reads objects that may be half-built when an error happened.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from ..parse import Shape

_KERAS_ROOTS = ("keras", "tf_keras", "tensorflow")


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


def is_dataset(obj: Any) -> bool:
    """A ``tf.data.Dataset``."""
    return "DatasetV2" in _keras_class_names(obj) or "Dataset" in _keras_class_names(obj)


def safe_name(obj: Any) -> str:
    """``obj.name`` as a string, or the class name."""
    try:
        name = getattr(obj, "name", None)
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
    try:
        shape = getattr(value, "shape", None)
    except Exception:
        return None
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


def flatten(structure: Any, limit: int = 10_000) -> list[Any]:
    """Leaves of nested lists / tuples / dicts, iteratively (no recursion)."""
    leaves: list[Any] = []
    stack = [structure]
    while stack and len(leaves) < limit:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, (list, tuple)) and not hasattr(item, "shape"):
            stack.extend(reversed(list(item)))
        else:
            leaves.append(item)
    return leaves


def keras_tensors_in(structure: Any) -> list[Any]:
    """All KerasTensors found in a nested argument structure."""
    return [leaf for leaf in flatten(structure) if is_keras_tensor(leaf)]


def history_node(tensor: Any) -> tuple[Any, Any] | None:
    """``(layer, node)`` that produced a KerasTensor, in either Keras flavour."""
    try:
        history = tensor._keras_history
        layer, node_index = history[0], history[1]
        return layer, layer._inbound_nodes[node_index]
    except Exception:
        return None


def node_inputs(node: Any) -> list[Any]:
    """The KerasTensors that went into a node."""
    for attr in ("keras_inputs", "input_tensors"):
        try:
            value = getattr(node, attr)
        except Exception:
            continue
        if value is not None:
            return keras_tensors_in(value)
    return []


def node_outputs(node: Any) -> list[Any]:
    """The KerasTensors a node produced."""
    for attr in ("output_tensors", "outputs"):
        try:
            value = getattr(node, attr)
        except Exception:
            continue
        if value is not None:
            leaves = flatten(value)
            if leaves:
                return leaves
    return []


def node_layer(node: Any) -> Any:
    """The layer (operation) a node belongs to."""
    return getattr(node, "operation", None) or getattr(node, "layer", None)


def count_params(layer: Any) -> int | None:
    """Number of weights of a built layer, from the weight shapes (no tensor reads)."""
    try:
        if not getattr(layer, "built", False):
            return None
        total = 0
        for weight in layer.weights:
            shape = shape_of(weight)
            if shape is None or any(d is None for d in shape):
                continue
            total += math.prod(shape)  # type: ignore[arg-type]
        return total
    except Exception:
        return None


def sublayers(model: Any) -> list[Any]:
    """The layers a model tracks, in order (InputLayer first where Keras lists it)."""
    for attr in ("_layers", "layers"):
        try:
            value = getattr(model, attr)
        except Exception:
            continue
        if isinstance(value, (list, tuple)) and value:
            return [layer for layer in value if is_layer(layer)]
    try:
        return [layer for layer in model._flatten_layers(include_self=False, recursive=False)]
    except Exception:
        return []


def model_outputs(model: Any) -> list[Any]:
    """The symbolic outputs of a Functional / built Sequential model."""
    for attr in ("outputs", "_outputs"):
        try:
            value = getattr(model, attr)
        except Exception:
            continue
        tensors = keras_tensors_in(value) if value is not None else []
        if tensors:
            return tensors
    functional = getattr(model, "_functional", None)
    if functional is not None and functional is not model:
        return model_outputs(functional)
    return []


def model_inputs(model: Any) -> list[Any]:
    """The symbolic inputs of a Functional / built Sequential model."""
    for attr in ("inputs", "_inputs"):
        try:
            value = getattr(model, attr)
        except Exception:
            continue
        tensors = keras_tensors_in(value) if value is not None else []
        if tensors:
            return tensors
    functional = getattr(model, "_functional", None)
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
        name = getattr(value, "__name__", None) or getattr(value, "name", None)
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
        try:
            value = getattr(layer, key, None)
        except Exception:
            continue
        text = _config_text(value)
        if text is not None:
            items.append((key, text[:80]))
    inner = getattr(layer, "layer", None)
    if inner is not None and is_layer(inner):
        items.append(("layer", f"{class_name(inner)} {safe_name(inner)!r}"))
    return tuple(items)


def walk_layer_nodes(frontier: Iterable[Any], limit: int = 20_000) -> list[tuple[Any, Any]]:
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
