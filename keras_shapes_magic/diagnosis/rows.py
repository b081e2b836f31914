"""Evidence -> the rows of the shape table, in execution order.

One graph walk per report. Rows are plain :class:`~keras_shapes_magic.records.Row`
objects; the live layer behind each row is kept only in :class:`Table` while the
report is being built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..limits import MAX_DATA_ARRAYS, MAX_ROWS
from ..parse import Shape
from ..records import NOT_REACHED, Row
from . import keras_objects as ko
from .evidence import Evidence


@dataclass
class Table:
    """Rows plus, while diagnosing, the live layer behind each layer row."""

    rows: list[Row] = field(default_factory=list)
    layers: list[Any] = field(default_factory=list)  # parallel to rows (None for data/target/loss)
    failing: int | None = None
    model_output_rows: list[int] = field(default_factory=list)
    model_input_rows: list[int] = field(default_factory=list)

    def add(self, row: Row, layer: Any = None) -> int:
        """Append a row; returns its index."""
        return self.insert(len(self.rows), row, layer)

    def insert(self, index: int, row: Row, layer: Any = None) -> int:
        """Insert a row at ``index`` under a name no other row has (verdicts name rows)."""
        self.rows.insert(index, self._uniquely_named(row, self.rows))
        self.layers.insert(index, layer)
        return index

    def replace(self, index: int, row: Row, layer: Any = None) -> int:
        """Show ``row`` (and its live ``layer``) in place of the row at ``index``; returns ``index``."""
        others = self.rows[:index] + self.rows[index + 1:]
        self.rows[index] = self._uniquely_named(row, others)
        self.layers[index] = layer
        return index

    @staticmethod
    def _uniquely_named(row: Row, others: list[Row]) -> Row:
        taken = {known.name for known in others}
        if row.name not in taken:
            return row
        count = 2
        while f"{row.name} #{count}" in taken:
            count += 1
        return row.with_status(row.status, name=f"{row.name} #{count}")

    def index_of_layer(self, layer: Any) -> int | None:
        """The first row of a live layer."""
        for i, known in enumerate(self.layers):
            if known is layer:
                return i
        return None

    def index_of_name(self, name: str, kinds: tuple[str, ...] = ("input", "layer")) -> int | None:
        """The first row with this exact name (and one of these kinds)."""
        for i, row in enumerate(self.rows):
            if row.name == name and row.kind in kinds:
                return i
        return None

    def indices(self, kind: str) -> list[int]:
        """Row indices of one kind."""
        return [i for i, row in enumerate(self.rows) if row.kind == kind]

    def release(self) -> None:
        """Forget the live layers."""
        self.layers = [None] * len(self.rows)


def _layer_row(layer: Any, node: Any, name: str) -> Row:
    kind = "input" if ko.is_input_layer(layer) else "layer"
    inputs = tuple(ko.shape_of(t) for t in ko.node_inputs(node)) if node is not None else ()
    outputs = tuple(ko.shape_of(t) for t in ko.node_outputs(node)) if node is not None else ()
    if kind == "input":
        inputs = ()
    return Row(
        name=name,
        kind=kind,
        type=ko.class_name(layer),
        input_shapes=inputs,
        output_shapes=outputs,
        params=ko.count_params(layer) if kind == "layer" else None,
        config=ko.key_config(layer),
    )


def _add_graph(table: Table, frontier: list[Any]) -> None:
    calls: dict[int, int] = {}
    for layer, node in ko.walk_layer_nodes(frontier, limit=MAX_ROWS):
        count = calls.get(id(layer), 0) + 1
        calls[id(layer)] = count
        name = ko.safe_name(layer) if count == 1 else f"{ko.safe_name(layer)} #{count}"
        table.add(_layer_row(layer, node, name), layer)


def _data_rows(value: Any, label: str, kind: str) -> list[Row]:
    """One row per array of ``x`` / ``y`` (lists and dicts give one row each)."""
    if value is None:
        return []
    items: list[tuple[str, Any]]
    if isinstance(value, dict):
        items = [(f"{label}[{k!r}]", v) for k, v in value.items()]
    elif isinstance(value, (list, tuple)) and not ko.has_attr(value, "shape"):
        items = [(f"{label}[{i}]", v) for i, v in enumerate(value)]
    else:
        items = [(label, value)]
    rows = []
    for name, item in items[:MAX_DATA_ARRAYS]:
        shape = ko.shape_of(item)
        type_text = _type_text(item)
        rows.append(Row(name=name, kind=kind, type=type_text, output_shapes=(shape,) if kind == "data" else (),
                        input_shapes=(shape,) if kind == "target" else ()))
    return rows


def _dataset_parts(dataset: Any) -> tuple[Any, Any]:
    """``(x_spec, y_spec)`` of a tf.data element (specs have ``.shape``)."""
    spec = ko.attr(dataset, "element_spec")
    if isinstance(spec, tuple) and len(spec) >= 2:
        return spec[0], spec[1]
    return spec, None


def build_table(ev: Evidence) -> Table:
    """All rows for the failure, in the order the data flows."""
    table = Table()
    if ev.phase in ("loss call", "optimizer step"):
        _add_training_loop(table, ev)
        return table
    x, y = ev.x, ev.y
    if ko.is_dataset(x):
        x, dataset_y = _dataset_parts(x)
        if y is None:
            y = dataset_y
    model = ev.model
    if ev.phase in ("fit", "evaluate", "predict"):
        for row in _data_rows(x, "x", "data"):
            table.add(row)
    called = _called_graph_model(ev)
    if called is not None:  # ``model(x)`` on data: the data, then the model's graph, as for predict
        for row in _data_rows(ev.called_inputs[0] if len(ev.called_inputs) == 1 else ev.called_inputs, "x", "data"):
            table.add(row)
        model = called

    if model is not None and ko.is_functional(model) and ko.model_outputs(model) and ev.phase not in (
        "build", "model.add"
    ):
        _add_graph(table, ko.model_outputs(model))
    elif ev.sequential_last_tensor is not None:
        _add_graph(table, [ev.sequential_last_tensor])
    elif model is not None and ko.is_sequential(model) and ev.phase in ("build", "model.add"):
        _add_graph(table, ko.model_outputs(model))  # tf_keras keeps the graph so far in .outputs
    elif ev.layer is not None and (not ko.is_model(ev.layer) or model is None):  # a model used as a layer too
        _add_graph(table, [t for t in ev.layer_inputs if ko.is_keras_tensor(t)] or _statement_tensors(ev))
    if model is not None and not ko.is_functional(model):
        _add_subclassed(table, model, ev)

    if model is not None and ko.is_functional(model):
        outputs = ko.model_outputs(model)
        output_layers = [ko.history_node(t)[0] for t in outputs if ko.history_node(t)]
        table.model_output_rows = [i for i in (table.index_of_layer(lay) for lay in output_layers) if i is not None]
        inputs = [ko.history_node(t)[0] for t in ko.model_inputs(model) if ko.history_node(t)]
        table.model_input_rows = [i for i in (table.index_of_layer(lay) for lay in inputs) if i is not None]
    if not table.model_input_rows:
        table.model_input_rows = table.indices("input")

    _add_failing_layer(table, ev)
    _add_unreached_layers(table, ev)

    if ev.has_y and ev.phase in ("fit", "evaluate"):
        for row in _data_rows(y, "y", "target"):
            table.add(row)
        loss_name = _loss_name(ev)
        if loss_name:
            outputs = tuple(table.rows[i].output_shapes[0] for i in table.model_output_rows
                            if table.rows[i].output_shapes)
            targets = tuple(table.rows[i].input_shapes[0] for i in table.indices("target")
                            if table.rows[i].input_shapes)
            table.add(Row(name=loss_name, kind="loss", type=_loss_type(ev), input_shapes=targets + outputs))
    return table


def _called_graph_model(ev: Evidence) -> Any:
    """The Functional / Sequential model the user called directly on data, when nothing else names a model."""
    called = ev.called_model
    if called is None or ev.model is not None or not ko.is_functional(called) or not ko.model_outputs(called):
        return None
    return called


def _add_training_loop(table: Table, ev: Evidence) -> None:
    """A custom training loop: the loss's two arguments, or the gradient and variable of an optimizer step."""
    if ev.loss_arguments is not None:
        y_true, y_pred = ev.loss_arguments
        true_shape, pred_shape = ko.shape_of(y_true), ko.shape_of(y_pred)
        table.add(Row(name=ev.variable_names.get("y_pred", "y_pred"), kind="data", type=_type_text(y_pred),
                      output_shapes=(pred_shape,), note="y_pred: the predictions"))
        table.add(Row(name=ev.variable_names.get("y_true", "y_true"), kind="target", type=_type_text(y_true),
                      input_shapes=(true_shape,), note="y_true: the targets"))
        name = (ko.attr(ev.loss, "name") if ev.loss is not None else None) or ev.loss_function or "loss"
        table.add(Row(name=str(name), kind="loss", type=ev.loss_function or "loss",
                      input_shapes=(true_shape, pred_shape)))
        return
    variable_name = ko.attr(ev.variable, "path") or ko.attr(ev.variable, "name") or "variable"
    table.add(Row(name=str(variable_name), kind="layer", type="Variable", output_shapes=(ko.shape_of(ev.variable),),
                  note="a trainable weight"))
    table.add(Row(name=f"gradient for {variable_name}", kind="data", type=_type_text(ev.gradient),
                  output_shapes=(ko.shape_of(ev.gradient),)))
    optimizer = ev.optimizer
    table.add(Row(name=str(ko.attr(optimizer, "name") or "optimizer"), kind="step",
                  type=ko.class_name(optimizer) if optimizer is not None else "Optimizer",
                  input_shapes=(ko.shape_of(ev.gradient), ko.shape_of(ev.variable)), note="apply_gradients"))


def _type_text(item: Any) -> str:
    dtype = ko.attr(item, "dtype")
    return ko.class_name(item) + (f" {ko.attr(dtype, 'name', dtype)}" if dtype is not None else "")


def _statement_tensors(ev: Evidence) -> list[Any]:
    """KerasTensors named by the failing statement (used when no call frame was captured)."""
    import ast

    if not ev.statement or ev.user_frame is None:
        return []
    try:
        tree = ast.parse(ev.statement)
    except SyntaxError:
        return []
    frame = ev.user_frame[0]
    scope = {**frame.f_globals, **frame.f_locals}
    tensors = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            value = scope.get(node.id)
            if ko.is_keras_tensor(value):
                tensors.append(value)
    return tensors


def _add_subclassed(table: Table, model: Any, ev: Evidence) -> None:
    """A subclassed model: no graph exists, so list the model and the layers it tracks."""
    call_shapes = tuple(ko.shape_of(t) for t in ev.layer_inputs if ko.shape_of(t) is not None)
    if not call_shapes and ev.x is not None and not isinstance(ev.x, (list, dict)):
        call_shapes = (ko.shape_of(ev.x),)
    if not call_shapes and ev.parsed.call_argument_shapes:
        call_shapes = ev.parsed.call_argument_shapes[:1]
    table.add(Row(name=ko.safe_name(model), kind="layer", type=ko.class_name(model), input_shapes=call_shapes,
                  params=ko.count_params(model), config=()), model)
    table.model_output_rows = [len(table.rows) - 1]
    for layer in ko.sublayers(model)[:MAX_ROWS]:
        if table.index_of_layer(layer) is None:
            table.add(Row(name=ko.safe_name(layer), kind="layer", type=ko.class_name(layer),
                          params=ko.count_params(layer), config=ko.key_config(layer),
                          note="sublayer (subclassed model: shapes are known only after a successful call)"),
                      layer)


def _add_failing_layer(table: Table, ev: Evidence) -> None:
    layer = ev.layer
    if layer is None:
        return
    if layer is _called_graph_model(ev) and table.model_input_rows:
        table.failing = table.model_input_rows[0]  # the model's own input check refused the data
        return
    index = table.index_of_layer(layer)
    received = _received_shapes(ev)
    if index is None:
        if len(table.rows) >= MAX_ROWS:
            return
        row = Row(name=ko.safe_name(layer), kind="layer", type=ko.class_name(layer), input_shapes=received,
                  params=ko.count_params(layer), config=ko.key_config(layer))
        index = table.add(row, layer)
    elif received and table.rows[index].input_shapes != received and ev.phase in ("fit", "evaluate", "predict"):
        built = table.rows[index].input_shape
        table.rows[index] = table.rows[index].with_status(
            table.rows[index].status, input_shapes=received, output_shapes=(),
            note=f"built for {built}; received this shape at run time")
    table.failing = index


def _received_shapes(ev: Evidence) -> tuple[Shape | None, ...]:
    shapes = tuple(ko.shape_of(t) for t in ev.layer_inputs)
    if shapes:
        return shapes
    value = ev.layer_frame_locals.get("input_shape")
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (list, tuple)):
        return tuple(tuple(value_i) for value_i in value)  # type: ignore[misc]
    if isinstance(value, (list, tuple)):
        return (tuple(value),)  # type: ignore[arg-type]
    return ev.parsed.call_argument_shapes[:1]


def _add_unreached_layers(table: Table, ev: Evidence) -> None:
    """Layers that come after the failure (Sequential lists, unbuilt layers)."""
    candidates: list[Any] = []
    if ev.sequential_layers:
        candidates = ev.sequential_layers
    elif ev.model is not None and ko.is_sequential(ev.model):
        candidates = ko.sublayers(ev.model)
    if not candidates or ev.layer is None:
        return
    try:
        position = next(i for i, lay in enumerate(candidates) if lay is ev.layer)
    except StopIteration:
        return
    earlier = [lay for lay in candidates[:position] if table.index_of_layer(lay) is None and not ko.is_input_layer(lay)]
    if earlier and table.failing is not None:
        # no graph was recorded for these (tf_keras builds a Sequential without Input lazily): list them in order
        at = table.failing
        for offset, layer in enumerate(earlier[:MAX_ROWS]):
            table.insert(at + offset, Row(name=ko.safe_name(layer), kind="layer", type=ko.class_name(layer),
                                          params=ko.count_params(layer), config=ko.key_config(layer),
                                          output_shapes=_built_output(layer)), layer)
        table.failing = at + len(earlier)
    for layer in candidates[position + 1:]:
        if table.index_of_layer(layer) is None and len(table.rows) < MAX_ROWS:
            table.add(Row(name=ko.safe_name(layer), kind="layer", type=ko.class_name(layer), status=NOT_REACHED,
                          config=ko.key_config(layer)), layer)


def _built_output(layer: Any) -> tuple[Shape | None, ...]:
    """A built layer's output shape where Keras kept one (else nothing)."""
    nodes = ko.inbound_nodes(layer)
    if nodes:
        return tuple(ko.shape_of(t) for t in ko.node_outputs(nodes[-1]))
    return ()


def _loss_name(ev: Evidence) -> str:
    if ev.loss is not None:
        name = ko.attr(ev.loss, "name") or ko.attr(ko.attr(ev.loss, "fn"), "__name__")
        if isinstance(name, str) and name and name != "compile_loss":
            return name
    node = ev.parsed.node_path or ""
    for part in node.split("/"):
        if "entropy" in part or part in ("mse", "mae", "mean_squared_error", "mean_absolute_error", "hinge"):
            return part
    loss = ko.attr(ev.model, "loss") if ev.model is not None else None
    if isinstance(loss, str):
        return loss
    if isinstance(loss, (list, tuple)) and loss and isinstance(loss[0], str):
        return loss[0]
    if isinstance(loss, dict) and loss:
        first = next(iter(loss.values()))
        if isinstance(first, str):
            return first
    if loss is not None:
        return ko.attr(loss, "name") or ko.attr(loss, "__name__") or ko.class_name(loss)
    return "loss"


def _loss_type(ev: Evidence) -> str:
    """The loss class, or its function's name when Keras wrapped a string loss."""
    if ev.loss is not None:
        name = ko.class_name(ev.loss)
        function = ko.attr(ev.loss, "fn")
        if name == "LossFunctionWrapper" and callable(function):
            return ko.attr(function, "__name__", name)
        return name
    return "loss"
