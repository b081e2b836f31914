"""What every error family works with: the table, the evidence, and the verdict it returns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..parse import ParsedMessage, Shape, format_shape
from ..records import ErrorFamily
from . import keras_objects as ko
from .evidence import Evidence
from .rows import Table

#: layer types that run over a time axis (their ``return_sequences`` decides whether it survives)
RECURRENT_LAYERS = ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D")


#: (input axes per shape, output axes per shape) marked on one row
Marks = tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, ...], ...]]


@dataclass
class Verdict:
    """A family's conclusion, naming rows (never indices): which row raised, why, how to fix it, the culprit.

    Families build it with :meth:`Context.verdict` and :meth:`Context.mark`, which take the
    row positions they work with and record the rows' names.
    """

    offending: str
    cause: str
    fixes: list[str]
    suspect: str | None = None
    #: row name -> the axes to mark in its input and output shapes
    marks: dict[str, Marks] = field(default_factory=dict)
    #: row name -> replacement input shapes (what the step really received)
    received: dict[str, tuple[Shape | None, ...]] = field(default_factory=dict)
    #: True when no family explained the error: the row is known, the cause and the fix are not
    generic: bool = False


@dataclass
class Context:
    """The evidence and the table, with small helpers the families share."""

    ev: Evidence
    table: Table
    family: ErrorFamily = ErrorFamily.UNKNOWN

    @property
    def parsed(self) -> ParsedMessage:
        """The unwrapped message."""
        return self.ev.parsed

    def verdict(self, offending: int, cause: str, fixes: list[str], suspect: int | None = None,
                marks: dict[int, Marks] | None = None, received: dict[int, tuple[Shape | None, ...]] | None = None,
                generic: bool = False) -> Verdict:
        """A :class:`Verdict` on the rows at these positions, recorded by their names."""
        verdict = Verdict(self.table.rows[offending].name, cause, list(fixes),
                          suspect=self.table.rows[suspect].name if suspect is not None else None, generic=generic)
        for index, marked in (marks or {}).items():
            self.mark(verdict, index, marked)
        for index, shapes in (received or {}).items():
            self.mark(verdict, index, received=shapes)
        return verdict

    def mark(self, verdict: Verdict, index: int, marks: Marks | None = None,
             received: tuple[Shape | None, ...] | None = None) -> None:
        """Mark axes on the row at ``index`` and/or say what that step really received."""
        name = self.table.rows[index].name
        if marks is not None:
            verdict.marks[name] = marks
        if received is not None:
            verdict.received[name] = received

    def row(self, index: int | None) -> Any:
        """The row at ``index`` (or None)."""
        return None if index is None else self.table.rows[index]

    def name(self, index: int | None) -> str:
        """A row's name, quoted for a sentence."""
        return f"'{self.table.rows[index].name}'" if index is not None else "the layer"

    def layer_named(self, name: str | None) -> int | None:
        """A real layer row with this name (message names are trusted only if they match)."""
        if not name:
            return None
        index = self.table.index_of_name(name)
        if index is None:
            base = name.rsplit("_", 1)[0] if name.rsplit("_", 1)[-1].isdigit() else None
            if base:
                index = self.table.index_of_name(base)
        return index

    def failing(self) -> int | None:
        """The row of the layer that raised, if it is known."""
        return self.table.failing

    def data_row(self, input_name: str | None = None) -> int | None:
        """The data row feeding an input (the first one if there is a single ``x``)."""
        data = self.table.indices("data")
        if not data:
            return None
        if input_name:
            for i in data:
                if self.table.rows[i].name in (f"x[{input_name!r}]",):
                    return i
        return data[0]

    def data_row_for(self, position: int, input_name: str | None) -> int | None:
        """The data row feeding model input number ``position`` (named ``input_name``)."""
        data = self.table.indices("data")
        if not data:
            return None
        names = {self.table.rows[i].name: i for i in data}
        for key in ((f"x[{input_name!r}]",) if input_name else ()) + (f"x[{position}]",):
            if key in names:
                return names[key]
        return data[0] if len(data) == 1 or position >= len(data) else data[position]

    def target_row(self) -> int | None:
        """The first target (``y``) row."""
        rows = self.table.indices("target")
        return rows[0] if rows else None

    def loss_row(self) -> int | None:
        """The loss row."""
        rows = self.table.indices("loss")
        return rows[0] if rows else None

    def output_row(self) -> int | None:
        """The row of the model's (first) output layer."""
        if self.table.model_output_rows:
            return self.table.model_output_rows[0]
        layers = self.table.indices("layer")
        return layers[-1] if layers else None

    def input_row(self, position: int = 0) -> int | None:
        """The row of the model's n-th Input."""
        rows = self.table.model_input_rows
        if position < len(rows):
            return rows[position]
        return rows[0] if rows else None

    def previous_layer(self, index: int | None) -> int | None:
        """The row that feeds ``index`` (the producer of its first input)."""
        if index is None:
            return None
        layer = self.table.layers[index]
        nodes = ko.inbound_nodes(layer)
        node = nodes[-1] if nodes else None
        if node is not None:
            for tensor in ko.node_inputs(node):
                found = ko.history_node(tensor)
                if found is not None:
                    producer = self.table.index_of_layer(found[0])
                    if producer is not None:
                        return producer
        for j in range(index - 1, -1, -1):
            if self.table.rows[j].kind in ("layer", "input"):
                return j
        return None

    def upstream(self, index: int | None, include_self: bool = False, include_input: bool = False) -> Iterator[int]:
        """The rows on the path into ``index``, nearest first, each once, stopping at the model's Input."""
        seen: set[int] = set()
        current = index if include_self else self.previous_layer(index)
        while current is not None and current not in seen:
            seen.add(current)
            if self.table.rows[current].kind == "input":
                if include_input:
                    yield current
                return
            yield current
            current = self.previous_layer(current)

    def producers(self, index: int) -> list[int | None]:
        """For each input of a layer row, the row that produced it."""
        tensors = [t for t in self.ev.layer_inputs if ko.is_keras_tensor(t)] if index == self.table.failing else []
        layer = self.table.layers[index]
        if not tensors and layer is not None:
            nodes = ko.inbound_nodes(layer)
            tensors = ko.node_inputs(nodes[0]) if nodes else []
        result: list[int | None] = []
        for tensor in tensors:
            found = ko.history_node(tensor)
            result.append(self.table.index_of_layer(found[0]) if found else None)
        return result

    def layer(self, index: int | None) -> Any:
        """The live layer of a row (only during diagnosis)."""
        return None if index is None else self.table.layers[index]

    def config(self, index: int | None, key: str, default: Any = None) -> Any:
        """One config value of a row's layer (its attribute, or ``get_config`` where Keras defines it)."""
        layer = self.layer(index)
        if layer is None:
            return default
        return ko.config_value(layer, key, default)


#: ops in a fix's code: TensorFlow's (TensorFlow backend, tf_keras), or Keras 3's own on JAX and PyTorch
_OPS = {
    "expand_dims": ("tf.expand_dims", "keras.ops.expand_dims"),
    "resize": ("tf.image.resize", "keras.ops.image.resize"),
    "rgb_to_grayscale": ("tf.image.rgb_to_grayscale", "keras.ops.image.rgb_to_grayscale"),
    "newaxis": ("tf.newaxis", "None"),
}


def op_code(name: str, backend: str) -> str:
    """How a fix writes the op ``name`` for code that runs on ``backend`` (``tf.image.resize`` needs TF)."""
    tensorflow, portable = _OPS[name]
    return tensorflow if backend in ("tensorflow", "") else portable


def shape_text(shape: Shape | None) -> str:
    """Format a shape for a sentence."""
    return format_shape(shape)


def differing_axes(a: Shape | None, b: Shape | None, skip: tuple[int, ...] = ()) -> tuple[int, ...]:
    """Axes where two same-rank shapes disagree (unknown dims never disagree)."""
    if a is None or b is None or len(a) != len(b):
        return ()
    rank = len(a)
    skip_pos = {s % rank for s in skip} if rank else set()
    return tuple(
        i for i, (x, y) in enumerate(zip(a, b)) if i not in skip_pos and x is not None and y is not None and x != y
    )


def all_axes(shape: Shape | None) -> tuple[int, ...]:
    """Every axis of a shape (for rank errors, where the whole shape is wrong)."""
    return tuple(range(len(shape))) if shape else ()


def plural(items: tuple[int, ...] | list[int], word: str = "axis", words: str = "axes") -> str:
    """``axis 1`` / ``axes 1 and 2``."""
    items = list(items)
    if len(items) == 1:
        return f"{word} {items[0]}"
    return f"{words} " + ", ".join(str(i) for i in items[:-1]) + f" and {items[-1]}"


def axis_meaning(shape: Shape | None, axes: tuple[int, ...] | list[int]) -> str:
    """What the differing axes are, in a channels-last layout: ``the height and width``, ``the channels``.

    Spatial axes are those between the batch axis and the last one of a 4-D or 5-D tensor; the
    last axis is the channels (images) or the features (sequences, vectors).
    """
    if not shape or not axes:
        return "the shapes"
    rank = len(shape)
    names = []
    for axis in sorted({a % rank for a in axes}):
        if axis == 0:
            names.append("batch size")
        elif axis == rank - 1:
            names.append("channels" if rank >= 4 else "features")
        elif rank == 3:
            names.append("number of steps")
        elif rank == 4:
            names.append(("height", "width")[axis - 1])
        elif rank == 5:
            names.append(("depth", "height", "width")[axis - 1])
        else:
            names.append(f"axis {axis}")
    return "the " + " and ".join(names)


def sizes_of(shapes: list[Shape | None] | tuple[Shape | None, ...], axes: tuple[int, ...] | list[int]) -> str:
    """``16x16 vs 28x28`` (or ``3 vs 32``): the differing sizes of each shape."""
    texts = []
    for shape in shapes:
        if shape is None:
            texts.append("?")
        else:
            texts.append("x".join(str(shape[a]) if a < len(shape) else "?" for a in sorted(axes)))
    return " vs ".join(texts)
