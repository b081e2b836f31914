"""A checked cell that passed: its table, and the shape hazards Keras let through without a word.

Pure core, like ``diagnose``: it reads the model and the data the cell passed to Keras (recorded
by :mod:`keras_shapes_magic.watch`), never runs user code, and returns a plain
:class:`~keras_shapes_magic.records.ShapeReport` with ``passed=True``. Each hazard is one small
function over the table; a hazard is reported only when the shapes prove it (false alarms are bugs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..limits import MAX_LABELS_SCANNED, MAX_NAMESPACE_NAMES, MAX_QUOTED_CHARS
from ..parse import Shape, format_shape, parse
from ..records import Fix, Kind, Phase, Row, ShapeReport, ShapeWarning, Status
from . import keras_objects as ko
from .evidence import Evidence
from .rows import Table, build_table

#: losses that broadcast a target against an output of another shape instead of raising
BROADCASTING_LOSSES = {
    "mse": "mean_squared_error", "mean_squared_error": "mean_squared_error", "meansquarederror": "mean_squared_error",
    "mae": "mean_absolute_error", "mean_absolute_error": "mean_absolute_error",
    "meanabsoluteerror": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "mean_absolute_percentage_error": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "mean_squared_logarithmic_error": "mean_squared_logarithmic_error",
    "huber": "huber", "huber_loss": "huber", "log_cosh": "log_cosh", "logcosh": "log_cosh",
    "binary_crossentropy": "binary_crossentropy", "binarycrossentropy": "binary_crossentropy",
    "binary_focal_crossentropy": "binary_focal_crossentropy", "hinge": "hinge", "squared_hinge": "squared_hinge",
    "poisson": "poisson",
}
_CATEGORICAL = ("categorical_crossentropy", "categoricalcrossentropy", "categorical_focal_crossentropy")


@dataclass(frozen=True)
class Found:
    """One hazard on one row of the table (by its name)."""

    row: str
    cause: str
    fixes: tuple[str, ...]
    check: str


@dataclass
class CheckContext:
    """The table of the model a cell used last, and the live objects while checking."""

    table: Table
    model: Any
    method: str
    y: Any


Check = Callable[[CheckContext], Iterable[Found]]


def check_cell(calls: list[Any], keras_warnings: list[str] | None = None,
               namespace: dict[str, Any] | None = None) -> ShapeReport | None:
    """The report of a passing cell from its recorded model calls; ``None`` when it used no model.

    ``calls``: :class:`keras_shapes_magic.watch.ModelCall` records (method, model, x, y); the
    report covers the model used last, and its warnings include those of every model of the cell.
    """
    if not calls:
        return None
    last = calls[-1]
    found: list[Found] = []
    table: Table | None = None
    models: list[Any] = []
    for call in calls:
        if not any(call.model is seen for seen in models):
            models.append(call.model)
    try:
        for model in models:
            mine = [c for c in calls if c.model is model]
            main = next((c for c in reversed(mine) if c.has_y and c.y is not None), mine[-1])
            model_table = _table(main)
            ctx = CheckContext(model_table, model, main.method, main.y)
            for check in CHECKS:
                found += [f for f in check(ctx) if f.row in {row.name for row in model_table.rows}]
            if model is last.model:
                table = model_table
            else:
                model_table.release()
        assert table is not None
        found += _keras_warnings(table, keras_warnings or [], found)
        names = _variable_names(namespace, last)
        warned = {f.row for f in found}
        rows = tuple(row.with_status(Status.WARNING if row.name in warned else Status.OK) for row in table.rows)
        warnings = tuple(ShapeWarning(f.row, f.cause, tuple(_named(Fix(x), names) for x in f.fixes), f.check)
                         for f in _unique(found))
        return ShapeReport(rows=rows, offending=None, cause="", fixes=(), exception_type="", message="",
                           summary=_summary(table, last, len(warnings)), family="", phase=str(last.method),
                           flavour=ko.flavour_of(last.model), passed=True, warnings=warnings)
    finally:
        if table is not None:
            table.release()
        ko.forget_classes()


def _table(call: Any) -> Table:
    ev = Evidence(exception=None, parsed=parse(""), frames=[], raised_in_keras=True,  # type: ignore[arg-type]
                  phase=_phase(call.method), model=call.model, x=call.x, y=call.y, has_y=call.has_y)
    ev.seal()
    try:
        return build_table(ev)
    finally:
        ev.release()


def _phase(method: str) -> Phase:
    if method.startswith("predict"):
        return Phase.PREDICT
    if method in ("evaluate", "test_on_batch"):
        return Phase.EVALUATE
    return Phase.FIT


def _summary(table: Table, call: Any, warnings: int) -> str:
    layers = [r for r in table.rows if r.kind == Kind.LAYER]
    inputs = [r.output_shape for r in table.rows if r.kind == Kind.INPUT]
    outputs = [table.rows[i].output_shape for i in table.model_output_rows if table.rows[i].output_shapes]
    data = ", ".join(f"{r.name} {r.output_shape}" for r in table.rows if r.kind == Kind.DATA)
    targets = ", ".join(f"{r.name} {r.input_shape}" for r in table.rows if r.kind == Kind.TARGET)
    verdict = "no shape problems" if not warnings else f"{warnings} warning{'s' if warnings != 1 else ''}"
    io = f"input {', '.join(inputs) or '?'} → output {', '.join(outputs) or '?'}"
    used = "; ".join(part for part in (f"{call.method} {data}".strip() if data else call.method, targets) if part)
    count = f"{len(layers)} layer{'s' if len(layers) != 1 else ''}"
    return f"checked: {ko.safe_name(call.model)} — {count}, {io}; {used}; {verdict}"


def _unique(found: list[Found]) -> list[Found]:
    seen: set[tuple[str, str]] = set()
    result = []
    for f in found:
        if (f.row, f.check) not in seen:
            seen.add((f.row, f.check))
            result.append(f)
    return result


def _variable_names(namespace: dict[str, Any] | None, call: Any) -> dict[str, str]:
    """The user's names for the model, x and y of the last call (found by identity, never by calling)."""
    names: dict[str, str] = {}
    if not namespace:
        return names
    wanted = {"model": call.model, "x": call.x, "y": call.y}
    for name, value in ko.namespace_items(namespace, MAX_NAMESPACE_NAMES):
        if not isinstance(name, str) or name.startswith("_"):
            continue
        for generic, obj in wanted.items():
            if obj is not None and value is obj and generic not in names:
                names[generic] = name
    return names


def _named(fix: Fix, names: dict[str, str]) -> Fix:
    from . import _in_user_terms  # the same rewriting as an error report's fixes

    return _in_user_terms(fix, names)


# ----------------------------------------------------------------------------- the checks
def _rows(ctx: CheckContext, kind: Kind) -> list[Row]:
    return [r for r in ctx.table.rows if r.kind == kind]


def _first(shapes: tuple[Shape | None, ...]) -> Shape | None:
    return shapes[0] if shapes else None


def missing_axis(ctx: CheckContext) -> Iterator[Found]:
    """Data with one axis fewer than the Input, which Keras expanded itself (images, sequences)."""
    inputs = [ctx.table.rows[i] for i in ctx.table.model_input_rows]
    data = _rows(ctx, Kind.DATA)
    for position, (row, input_row) in enumerate(zip(data, inputs)):
        shape, expected = _first(row.output_shapes), _first(input_row.output_shapes)
        if shape is None or expected is None or len(expected) < 3 or len(shape) != len(expected) - 1:
            continue
        if expected[-1] != 1 or any(e is not None and d != e for d, e in zip(shape[1:], expected[1:-1])):
            continue
        axis = "channel" if len(expected) >= 4 else "feature"
        name = "x" if len(data) == 1 else f"x[{position}]"
        yield Found(row.name,
                    f"{row.name} {format_shape(shape)} has no {axis} axis: the Input {input_row.name!r} expects "
                    f"{format_shape(expected)}, and Keras silently added a size-1 axis at the end at {ctx.method}. "
                    f"That guess is right only if the data really is one {axis} per position; say so in the data "
                    f"rather than rely on it.",
                    (f"Give the data its {axis} axis: `{name} = np.expand_dims({name}, -1)` -> "
                     f"{format_shape((*shape, 1))}.",),
                    "missing_axis")



def loss_broadcast(ctx: CheckContext) -> Iterator[Found]:
    """A regression or binary loss that broadcast the targets against an output of another shape."""
    losses = _rows(ctx, Kind.LOSS)
    targets = _rows(ctx, Kind.TARGET)
    outputs = [ctx.table.rows[i] for i in ctx.table.model_output_rows]
    if not losses or len(targets) != 1 or len(outputs) != 1:
        return
    loss = losses[0]
    canonical = BROADCASTING_LOSSES.get(re.sub(r"[^a-z_]", "", (loss.type if loss.type != "loss" else loss.name)
                                               .lower())) or BROADCASTING_LOSSES.get(loss.name.lower())
    y, out = _first(targets[0].input_shapes), _first(outputs[0].output_shapes)
    if canonical is None or y is None or out is None or len(y) < 1 or len(out) < 2:
        return
    aligned = y + (1,) if len(y) == len(out) - 1 else (y[:-1] if len(y) == len(out) + 1 and y[-1] == 1 else y)
    if len(aligned) != len(out):
        return
    for axis in range(1, len(out)):
        a, b = aligned[axis], out[axis]
        if a is None or b is None or a == b or 1 not in (a, b):
            continue
        broadcast = tuple(max(p, q) if p is not None and q is not None else None for p, q in zip(aligned, out))
        output = outputs[0]
        if b > 1:  # one target per sample against several predictions
            if canonical == "binary_crossentropy" and len(out) == 2:
                fixes = (f"For {b} classes and integer labels: `loss=\"sparse_categorical_crossentropy\"` "
                         f"(with `activation=\"softmax\"` on {output.name!r}).",
                         "For a yes/no target: one sigmoid unit, "
                         "`keras.layers.Dense(1, activation=\"sigmoid\")`.")
            else:
                fixes = (f"If each sample has one target value, end the model with one unit: "
                         f"`keras.layers.Dense(1)` for {output.name!r}.",
                         f"If each sample has {b} target values, pass y of shape "
                         f"{format_shape((y[0], *out[1:]))}.")
        else:
            fixes = (f"Give {output.name!r} one unit per target value: "
                     f"`keras.layers.Dense({a})`.",)
        yield Found(loss.name,
                    f"{canonical} got targets y {format_shape(y)} and predictions {format_shape(out)}: they differ "
                    f"on axis {axis} ({a} vs {b}) and were broadcast to {format_shape(broadcast)} instead of "
                    f"raising, so every target is compared with every prediction and the loss means nothing.",
                    fixes, "loss_broadcast")
        return


def norm_axis(ctx: CheckContext) -> Iterator[Found]:
    """A BatchNormalization over an axis that is not the channel axis of channels-last images."""
    formats = {str(ko.config_value(layer, "data_format", "")) for layer in ctx.table.layers if layer is not None}
    if "channels_first" in formats:
        return
    for row, layer in zip(ctx.table.rows, ctx.table.layers):
        if row.kind != Kind.LAYER or row.type != "BatchNormalization" or layer is None:
            continue
        shape = _first(row.input_shapes) or _first(row.output_shapes)
        axis = ko.config_value(layer, "axis", -1)
        axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        if shape is None or len(shape) != 4 or len(axes) != 1 or not isinstance(axes[0], int):
            continue
        position = axes[0] % 4
        if position in (1, 2):
            what = ("rows (the height)", "columns (the width)")[position - 1]
            yield Found(row.name,
                        f"{row.name!r} normalises over axis {axes[0]} of {format_shape(shape)}, the image "
                        f"{what}, not the {shape[3]} channels: with channels-last images the channel axis is -1.",
                        ("Normalise over the channels: `keras.layers.BatchNormalization(axis=-1)` "
                         "(the default).",), "norm_axis")


def shared_target(ctx: CheckContext) -> Iterator[Found]:
    """One target array given to a model with several outputs (tf_keras reuses it for each)."""
    outputs = [ctx.table.rows[i] for i in ctx.table.model_output_rows]
    targets = _rows(ctx, Kind.TARGET)
    if len(outputs) < 2 or len(targets) != 1 or targets[0].name != "y" or ctx.y is None \
            or not ko.has_attr(ctx.y, "shape"):
        return
    names = ", ".join(repr(o.name) for o in outputs)
    keys = ", ".join(f'"{o.name}": y_{re.sub(r"[^0-9a-zA-Z_]", "_", o.name)}' for o in outputs)
    yield Found(targets[0].name,
                f"The model has {len(outputs)} outputs ({names}) but {ctx.method} got one target array y "
                f"{targets[0].input_shape}: Keras used the same targets for every output.",
                (f"Pass one target per output, by output name: `y={{{keys}}}`.",), "shared_target")


def softmax_one(ctx: CheckContext) -> Iterator[Found]:
    """A softmax (or categorical crossentropy) over an axis of size 1: it always outputs 1."""
    for row in ctx.table.rows:
        config = dict(row.config)
        out = _first(row.output_shapes)
        if row.kind != Kind.LAYER or not out:
            continue
        axis = _softmax_axis(row.type, config)
        if axis is not None and -len(out) <= axis < len(out) and out[axis] == 1:
            largest = ko.largest_int(ctx.y, MAX_LABELS_SCANNED) if ctx.y is not None else None
            classes = largest + 1 if largest is not None and largest >= 1 else None
            fixes = ["For two classes use one sigmoid unit: `keras.layers.Dense(1, activation=\"sigmoid\")` "
                     "with `loss=\"binary_crossentropy\"`."]
            if classes is not None:  # integer labels: one unit per class they use
                fixes.append(f"Or one unit per class ({classes}, labels 0 to {largest}): "
                             f"`keras.layers.Dense({classes}, activation=\"softmax\")` with "
                             "`loss=\"sparse_categorical_crossentropy\"`.")
            yield Found(row.name,
                        f"{row.name!r} applies softmax over one unit {format_shape(out)}: the softmax of a single "
                        "value is always 1, so the model predicts the same thing for every sample.",
                        tuple(fixes), "softmax_one")
    losses = _rows(ctx, Kind.LOSS)
    outputs = [ctx.table.rows[i] for i in ctx.table.model_output_rows]
    if losses and len(outputs) == 1:
        loss = losses[0]
        out = _first(outputs[0].output_shapes)
        kind = re.sub(r"[^a-z_]", "", loss.type.lower()) if loss.type != "loss" else loss.name.lower()
        if out and out[-1] == 1 and (kind in _CATEGORICAL or loss.name.lower() in _CATEGORICAL):
            yield Found(loss.name,
                        f"categorical crossentropy over one output unit {format_shape(out)}: with a single class "
                        "the loss is always 0 and nothing is learned.",
                        ("For two classes: `loss=\"binary_crossentropy\"` with "
                         "`keras.layers.Dense(1, activation=\"sigmoid\")`.",), "softmax_one")


def _softmax_axis(layer_type: str, config: dict[str, str]) -> int | None:
    """The axis a layer takes a softmax over (``None``: it takes none)."""
    if layer_type == "Softmax":
        try:
            return int(config.get("axis", "-1").strip("[]() ").split(",")[0])
        except ValueError:
            return None
    return -1 if "softmax" in config.get("activation", "") else None


CHECKS: tuple[Check, ...] = (missing_axis, loss_broadcast, norm_axis, shared_target, softmax_one)


def _keras_warnings(table: Table, texts: list[str], found: list[Found]) -> list[Found]:
    """Keras's own warnings about shapes, on the row they are about (merged with a check that saw the same)."""
    extra: list[Found] = []
    for text in dict.fromkeys(texts):
        quoted = text[:MAX_QUOTED_CHARS]
        if ("softmax" in text or "num_classes > 1" in text) and any(f.check == "softmax_one" for f in found):
            continue  # the structural check already says it, with fixes
        row = _row_named_in(table, text)
        if row is None:
            outputs = table.model_output_rows
            row = table.rows[outputs[0]].name if outputs else (table.rows[-1].name if table.rows else None)
        if row is not None:
            extra.append(Found(row, f"Keras warned about shapes here: {quoted}", (), "keras_warning"))
    return extra


def _row_named_in(table: Table, text: str) -> str | None:
    for row in table.rows:
        if row.kind == Kind.LAYER and re.search(rf"['\"]{re.escape(row.name)}['\"]", text):
            return row.name
    return None
