"""Targets that do not fit the loss or the model's output."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from ...limits import MAX_LABELS_SCANNED, MAX_NAMESPACE_NAMES
from ...parse import Shape
from ...records import ErrorFamily
from .. import keras_objects as ko
from ..context import RECURRENT_LAYERS, Context, Verdict, differing_axes, shape_text
from ..evidence import is_keras_file
from .base import Family, NoFacts, compile_pattern, operand_shapes
from .merge import halvings
from .usercode import BACKEND_OP_PATTERNS, OP_FAMILY, OpFacts, op_shape


@dataclass(frozen=True)
class LossFacts:
    """The target and output shapes a loss compared (from the message; the table may know better)."""

    target: Shape | None = None
    output: Shape | None = None
    #: the two operand shapes of a graph op inside the compiled loss (which one is y is decided later)
    operands: tuple[Shape, ...] = ()


@dataclass(frozen=True)
class LabelRangeFacts:
    """``Received a label value of 9 which is outside the valid range of [0, 3)``."""

    value: int = 0
    classes: int = 0


def _names(ctx: Context) -> tuple[int | None, int | None, int | None]:
    return ctx.loss_row(), ctx.target_row(), ctx.output_row()


def _loss_name(ctx: Context, loss: int | None) -> str:
    if loss is not None:
        return ctx.table.rows[loss].name
    node = ctx.parsed.node_path or ""
    return next((p for p in node.split("/") if "entropy" in p), "the loss")


def _output_shape(ctx: Context, output: int | None) -> Shape | None:
    row = ctx.row(output)
    if row is not None and row.output_shapes:
        return row.output_shapes[0]
    return None


def _target_shape(ctx: Context, target: int | None) -> Shape | None:
    row = ctx.row(target)
    if row is not None and row.input_shapes:
        return row.input_shapes[0]
    return None


def _verdict(ctx: Context, cause: str, fixes: list[str], suspect: int | None,
             message_target: Shape | None, message_output: Shape | None) -> Verdict | None:
    loss, target, output = _names(ctx)
    index = loss if loss is not None else (target if target is not None else output)
    if index is None:
        return None
    verdict = ctx.verdict(index, cause, fixes, suspect=suspect if suspect != index else None)
    t = message_target or _target_shape(ctx, target)
    o = message_output or _output_shape(ctx, output)
    if loss is not None and t is not None and o is not None:
        ctx.mark(verdict, loss, received=(t, o))
        axes = differing_axes(t, o)
        if not axes and len(t) != len(o):
            axes = tuple(range(min(len(t), len(o)), max(len(t), len(o))))
        ctx.mark(verdict, loss, ((tuple(a for a in axes if a < len(t)), tuple(a for a in axes if a < len(o))), ()))
    return verdict


def _data_vs_input(ctx: Context) -> tuple[int | None, Shape | None, Shape | None]:
    """The data row, its shape and the Input's shape, when their ranks disagree (tf_keras lets that run)."""
    data_rows = ctx.table.indices("data")
    input_index = ctx.input_row()
    if len(data_rows) != 1 or input_index is None:
        return None, None, None
    data = ctx.row(data_rows[0]).output_shapes
    wanted = ctx.row(input_index).output_shapes
    if not data or not wanted or data[0] is None or wanted[0] is None or len(data[0]) <= len(wanted[0]):
        return None, None, None  # fewer axes: Keras adds the missing trailing axis itself
    return data_rows[0], data[0], wanted[0]


def target_vs_output(ctx: Context, facts: LossFacts) -> Verdict | None:
    """Crossentropy / regression losses whose target and output shapes disagree."""
    if len(ctx.table.model_output_rows) > 1 and len(ctx.table.indices("target")) == 1:
        # one target array for a model of several outputs: the loss then met a slice of it (PyTorch's backend
        # splits the batch's rows among the outputs), and its shapes only tell that they do not fit
        return structure(ctx, NoFacts())
    loss, target, output = _names(ctx)
    name = _loss_name(ctx, loss)
    t, o = facts.target, facts.output
    if facts.operands:  # a graph op inside the loss: which operand is the target?
        t, o = _operands(facts.operands, _target_shape(ctx, target))
    y = _target_shape(ctx, target) or t
    out = _output_shape(ctx, output) or o
    out_name = ctx.name(output) if output is not None else "the output layer"
    sparse = "sparse" in name
    binary = "binary" in name
    categorical = "categorical" in name and not sparse
    fixes: list[str] = []
    suspect = target
    units = out[-1] if out else None
    family = ctx.family

    data_row, data_shape, input_shape = _data_vs_input(ctx)
    if data_row is not None and data_shape is not None and input_shape is not None:
        cause = (f"The data {shape_text(data_shape)} has {len(data_shape)} axes but the Input "
                 f"{ctx.name(ctx.input_row())} expects {shape_text(input_shape)}; the layers ran over the extra axis, "
                 f"so {name} got predictions {shape_text(o or out)} that do not line up with the targets "
                 f"{shape_text(t or y)}.")
        per = ", ".join(str(d) for d in data_shape[1:])
        fixes.append(f"Make the model take the samples as they are: `keras.Input(shape=({per}))` followed by "
                     "`keras.layers.Flatten()`.")
        fixes.append("Or flatten the data to match the Input: `x = x.reshape(len(x), -1)` (if the sizes agree).")
        return _verdict(ctx, cause, fixes, data_row, t, o)
    structured = _targets_are_inputs(ctx, name, y, out, output) or _structured_output(
        ctx, name, y, out, output, sparse) or _per_step_targets(ctx, y, out, output, sparse)
    if structured is not None:
        cause, fixes, suspect = structured
    elif out is not None and len(out) > 2 and ("entropy" in name or family in (
            "loss_rank", "loss_sparse_tfk", "loss_binary_tfk", "loss_first_dim")):
        cause = (f"{name} needs one prediction vector per sample, but {out_name} outputs {shape_text(out)}, "
                 f"a {len(out)}-D tensor: a Flatten or pooling layer is missing before it.")
        fixes.append(f"Add `keras.layers.Flatten()` (or `keras.layers.GlobalAveragePooling{len(out) - 2}D()`) "
                     f"before {out_name}.")
        suspect = output
        data_rows = ctx.table.indices("data")
        inputs = ctx.table.model_input_rows
        if data_rows and inputs:
            d = ctx.row(data_rows[0]).output_shapes[0] if ctx.row(data_rows[0]).output_shapes else None
            i = ctx.row(inputs[0]).output_shapes[0] if ctx.row(inputs[0]).output_shapes else None
            if d is not None and i is not None and len(d) > len(i):
                cause = (f"The data {shape_text(d)} has more axes than the Input {ctx.name(inputs[0])} "
                         f"{shape_text(i)}, so {out_name} outputs {shape_text(out)} and {name} cannot compare it "
                         "with the targets.")
                fixes.insert(0, f"Flatten the data to match the Input: `x = x.reshape(len(x), -1)`, or declare "
                                f"`keras.Input(shape={shape_text(d[1:])})` followed by `keras.layers.Flatten()`.")
                suspect = data_rows[0]
    elif binary and units is not None and units > 1:
        cause = (f"{name} needs one probability per sample, but {out_name} has {units} units "
                 f"(output {shape_text(out)}) while the targets are {shape_text(y)}.")
        fixes.append("One sigmoid unit: `keras.layers.Dense(1, activation=\"sigmoid\")`.")
        fixes.append(f"Or keep {units} softmax units and use `loss=\"sparse_categorical_crossentropy\"`.")
        suspect = output
    elif categorical and y is not None and (len(y) == 1 or (len(y) == 2 and y[-1] == 1)) and units and units > 1:
        cause = (f"{name} needs one-hot targets of shape (N, {units}), but y has shape {shape_text(y)}: "
                 "integer class labels.")
        fixes.append(f"One-hot encode the labels: `y = keras.utils.to_categorical(y, num_classes={units})`.")
        fixes.append("Or keep the integer labels and use `loss=\"sparse_categorical_crossentropy\"`.")
    elif sparse and y is not None and len(y) >= 2 and y[-1] not in (None, 1):
        cause = (f"{name} needs integer labels of shape (N,), but y has shape {shape_text(y)}: "
                 "it looks one-hot encoded.")
        fixes.append("Use the loss for one-hot targets: `loss=\"categorical_crossentropy\"`.")
        fixes.append("Or turn the targets back into integers: `y = y.argmax(axis=-1)`.")
    elif categorical and y is not None and units is not None and y[-1] is not None and y[-1] != units:
        cause = (f"The targets are one-hot with {y[-1]} classes {shape_text(y)}, but {out_name} has {units} units "
                 f"{shape_text(out)}.")
        fixes.append(f"Match the classes: `keras.layers.Dense({y[-1]}, activation=\"softmax\")` for {out_name}, "
                     f"or `keras.utils.to_categorical(labels, num_classes={units})`.")
        suspect = output
    elif y is not None and out is not None and len(y) + 1 == len(out) and units is not None and units > 1:
        cause = (f"{name} compares one target value per sample (y {shape_text(y)}) with {units} predictions per "
                 f"sample from {out_name} {shape_text(out)}.")
        fixes.append(f"If each sample has one target value, give {out_name} one unit: `keras.layers.Dense(1)`.")
        fixes.append(f"If each sample has {units} target values, pass y with shape {shape_text((y[0], units))}.")
        suspect = output
    else:
        cause = (f"{name} compares the targets {shape_text(t or y)} with the output of {out_name} "
                 f"{shape_text(o or out)}, and they do not fit.")
        fixes, suspect = _match_fixes(ctx, y, out, output, out_name, suspect)
    return _verdict(ctx, cause, fixes, suspect, t, o)



def _match_fixes(ctx: Context, y: Shape | None, out: Shape | None, output: int | None, out_name: str,
                 suspect: int | None) -> tuple[list[str], int | None]:
    """Targets and output that fit no known pattern: make one take the other's shape, with the real sizes."""
    fixes: list[str] = []
    if y is None or out is None:
        return ["Give the targets one row per sample with the output's shape: "
                f"{shape_text(out) if out is not None else 'see the output row'}."], suspect
    per_target = math.prod(d for d in y[1:] if d) if None not in y[1:] else None
    per_output = math.prod(d for d in out[1:] if d) if None not in out[1:] else None
    if len(y) == len(out):
        fixes.append(f"Make the output match the targets: `keras.layers.Dense({y[-1]})` for {out_name}.")
        suspect = output
    elif per_target and per_output and per_target == per_output:
        fixes.append(f"The targets hold the same {per_target} values per sample in another layout: "
                     f"`y = y.reshape({shape_text((-1, *out[1:]))})`.")
    elif per_target and len(out) == 2 and len(y) > 2:
        fixes.append(f"Make the model predict {shape_text(y[1:])} per sample: `keras.layers.Dense({per_target})` "
                     f"for {out_name}, then `keras.layers.Reshape({shape_text(y[1:])})`.")
        suspect = output
    if not fixes:
        fixes.append(f"Give the targets the output's shape {shape_text(out)}: one row of {out[-1]} values per sample.")
    return fixes, suspect


def _sample_count(ctx: Context) -> int | None:
    data = ctx.table.indices("data")
    shapes = ctx.row(data[0]).output_shapes if data else ()
    return shapes[0][0] if shapes and shapes[0] else None


def _candidate_targets(ctx: Context, samples: int, width: int) -> list[str]:
    """The user's variables that hold ``samples`` rows of ``width`` values (arrays, or lists of tuples)."""
    found = []
    for name, value in ko.namespace_items(ctx.ev.namespace, MAX_NAMESPACE_NAMES):
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_") or value is ctx.ev.y:
            continue
        if type(value) in (list, tuple) and len(value) == samples and samples:
            head = value[0]
            shape = (len(head),) if type(head) in (list, tuple) else ko.shape_of(head)
            if shape == (width,):
                found.append(name)
        elif ko.shape_of(value) == (samples, width) and not ko.is_keras_tensor(value):
            found.append(name)
    return found


def _targets_are_inputs(ctx: Context, name: str, y: Shape | None, out: Shape | None,
                        output: int | None) -> tuple[str, list[str], int | None] | None:
    """Targets of the very shape of the inputs (images passed as y) for a model that predicts something smaller."""
    data = ctx.table.indices("data")
    if len(data) != 1 or y is None or out is None or len(y) < 3 or len(out) >= len(y):
        return None
    x = ctx.row(data[0]).output_shapes[0] if ctx.row(data[0]).output_shapes else None
    if x is None or tuple(x[1:]) != tuple(y[1:]) or out[-1] is None:
        return None
    out_name = ctx.name(output) if output is not None else "the output layer"
    cause = (f"The targets {shape_text(y)} have the shape of the inputs x {shape_text(x)}: the images were passed "
             f"as y, but {out_name} predicts {out[-1]} values per sample {shape_text(out)}, so {name} cannot "
             "compare them.")
    samples = x[0]
    candidates = _candidate_targets(ctx, samples, out[-1]) if samples else []
    fixes = []
    if len(candidates) == 1:
        fixes.append(f"Pass the {out[-1]} values per sample as the targets: `y = np.array({candidates[0]})` "
                     f"({samples} rows of {out[-1]}).")
    else:
        fixes.append(f"Pass the labels as y, one row of {out[-1]} values per sample: an array of shape "
                     f"{shape_text((samples, out[-1]))}" + (f" (one of {', '.join(candidates)})." if candidates
                                                             else ", not the images."))
    return cause, fixes, ctx.target_row()


def _same_size_fix(ctx: Context, output: int | None, y: Shape, alternative: bool) -> str:
    """Keep the map sizes instead: which convolutions shrink them, and the input size the poolings need."""
    valid = [ctx.row(i).name for i in ctx.upstream(output, include_self=True)
             if "Conv" in ctx.row(i).type and str(ctx.config(i, "padding", "")) == "valid"
             and any(k > 1 for k in (ctx.config(i, "kernel_size") or ()) if isinstance(k, int))]
    steps = halvings(ctx, output, include_self=True) if output is not None else 0
    sizes = [d for d in y[1:-1] if d is not None]
    text = "Or keep every size" if alternative else "Keep every size"
    if valid:
        text += f": `padding=\"same\"` on {', '.join(repr(n) for n in reversed(valid[:4]))}"
    else:
        text += ": `padding=\"same\"` in every convolution"
    multiple = 2 ** steps
    if steps and len(sizes) == len(y) - 2 and any(d % multiple for d in sizes):
        wanted = [-(-d // multiple) * multiple for d in sizes]
        text += (f", and an input size that is a multiple of {multiple} ({steps} poolings halve it): resize or pad "
                 f"the images from {'x'.join(map(str, sizes))} to {'x'.join(map(str, wanted))}")
    return text + "."



def _last_sequence_layer(ctx: Context, output: int | None) -> int | None:
    """Walking back from the output: the last recurrent layer that returns every step."""
    return next((i for i in ctx.upstream(output, include_self=True) if ctx.row(i).type in RECURRENT_LAYERS
                 and str(ctx.config(i, "return_sequences", False)) == "True"), None)


def _size_changes(ctx: Context, output: int | None, axes: tuple[int, ...]) -> list[str]:
    """Layers on the output's path that change the spatial size (strides, pooling, valid padding, upsampling)."""
    names: list[str] = []
    for index in ctx.upstream(output, include_self=True):
        row = ctx.row(index)
        before = row.input_shapes[0] if row.input_shapes else None
        after = row.output_shapes[0] if row.output_shapes else None
        if before is not None and after is not None and len(before) == len(after) \
                and any(before[a] != after[a] for a in axes if a < len(before)):
            names.append(f"{row.name} ({row.type})")
    return list(reversed(names))


def _structured_output(ctx: Context, name: str, y: Shape | None, out: Shape | None, output: int | None,
                       sparse: bool) -> tuple[str, list[str], int | None] | None:
    """Outputs with more than one axis per sample (maps, sequences), judged against the targets' own axes.

    The provenance of the disagreeing axis decides the remedy: one-hot target maps for a sparse loss,
    a few pixels of spatial difference (padding, strides, upsampling), or per-step outputs against
    one label per sequence (``return_sequences``).
    """
    if y is None or out is None or len(out) < 3:
        return None
    out_name = ctx.name(output) if output is not None else "the output layer"
    if len(y) == len(out) and sparse and y[-1] == out[-1] and y[-1] not in (None, 1):
        cause = (f"{name} takes integer class ids, one per position, but the targets {shape_text(y)} have "
                 f"{y[-1]} values per position, like the output {shape_text(out)}: they are one-hot encoded.")
        return cause, ["Use the loss for one-hot targets: `loss=\"categorical_crossentropy\"`.",
                       "Or turn the targets back into class ids: `y = y.argmax(axis=-1)`."], ctx.target_row()
    spatial = tuple(a for a in range(1, len(out) - 1) if a < len(y) and y[a] is not None and out[a] is not None
                    and y[a] != out[a])
    if len(y) == len(out) and spatial:
        sizes = " x ".join(str(out[a]) for a in range(1, len(out) - 1))
        wanted = " x ".join(str(y[a]) for a in range(1, len(y) - 1))
        changes = _size_changes(ctx, output, spatial)
        off = " and ".join(str(abs((out[a] or 0) - (y[a] or 0))) for a in spatial)
        cause = (f"{out_name} outputs {sizes} maps but the targets are {wanted}: {off} pixels off "
                 "(valid padding, strides and pooling shrink a map; upsampling doubles it).")
        if changes:
            cause += f" The size changes at {', '.join(changes[:4])}."
        fixes = []
        crop = [(out[a] or 0) - (y[a] or 0) for a in spatial]
        if len(out) == 4 and all(c > 0 for c in crop) and len(spatial) == 2:
            cuts = tuple((c // 2, c - c // 2) for c in crop)
            fixes.append(f"Crop the output to the targets' {wanted}: `keras.layers.Cropping2D({cuts})` as the last "
                         "layer.")
        elif len(out) == 4 and all(c < 0 for c in crop) and len(spatial) == 2:
            pads = tuple((-c // 2, -c - (-c // 2)) for c in crop)
            fixes.append(f"Pad the output to the targets' {wanted}: `keras.layers.ZeroPadding2D({pads})` as the last "
                         "layer.")
        fixes.append(_same_size_fix(ctx, output, y, bool(fixes)))
        return cause, fixes, output
    one_per_sample = (len(y) + 1 == len(out) and (len(y) == 1 or y[-1] == out[-1] or y[-1] in (1, None))) or (
        len(y) == 1 and out[-1] == 1)
    if len(out) == 3 and out[1] != 1 and one_per_sample:
        return _per_step_output(ctx, y, out, output)
    return None


def _per_step_output(ctx: Context, y: Shape, out: Shape, output: int | None) -> tuple[str, list[str], int | None]:
    """An output with a time axis (one prediction per step) against one target per sequence.

    The remedy follows the model: a local 1-D pooling that keeps steps becomes a global one; an RNN
    that returns every step stops doing so, unless a TimeDistributed layer after it needs the steps
    (then the steps are pooled, or the wrapper goes too); without an RNN the steps are pooled.
    """
    out_name = ctx.name(output) if output is not None else "the output layer"
    sequence = _last_sequence_layer(ctx, output)
    path = list(ctx.upstream(output, include_self=True))
    between = path[:path.index(sequence)] if sequence in path else path
    wrapped = [i for i in between if ctx.row(i).type == "TimeDistributed"]
    local_pool = next((i for i in between if ctx.row(i).type in _STEP_POOLS), None)
    origin = next((i for i in reversed(path) if ctx.row(i).type in ("Embedding", "Conv1D")), None)
    cause = (f"{out_name} outputs one prediction per time step {shape_text(out)}, but the targets "
             f"{shape_text(y)} have one per sequence.")
    fixes: list[str] = []
    suspect = output
    if sequence is not None:
        cause += (f" The time axis is kept by {ctx.name(sequence)}, which returns every step "
                  "(return_sequences=True).")
        suspect = sequence
    elif origin is not None:
        cause += (f" The {out[1]} steps come from {ctx.name(origin)} ({ctx.row(origin).type}, one vector per "
                  "token or step), and no layer pools them into one vector per sequence.")
        suspect = origin
    pool = "`keras.layers.GlobalAveragePooling1D()`"
    if local_pool is not None:
        kind = ctx.row(local_pool).type
        cause += (f" {ctx.name(local_pool)} ({kind}) shortens the time axis but keeps it "
                  f"({shape_text(ctx.row(local_pool).output_shapes[0] if ctx.row(local_pool).output_shapes else None)}"
                  ").")
        fixes.append(f"Pool over all the steps: replace {ctx.name(local_pool)} with "
                     f"`keras.layers.Global{kind.replace('Pooling1D', '').replace('Pool1D', '')}Pooling1D()`.")
        suspect = local_pool
    if sequence is not None and not wrapped and local_pool is None:
        fixes.append(f"Return only the last step: `return_sequences=False` on {ctx.name(sequence)}.")
    if local_pool is None:
        fixes.append(f"{'Or pool' if fixes else 'Pool'} the steps into one vector per sequence before {out_name}: "
                     f"{pool}.")
    if sequence is not None and wrapped and local_pool is None:
        inner = _wrapped_layer_code(ctx, wrapped[-1])
        fixes.append(f"Or return only the last step, `return_sequences=False` on {ctx.name(sequence)}, and drop the "
                     f"TimeDistributed wrapper of {ctx.name(wrapped[-1])}, which needs the steps"
                     + (f": `{inner}` alone." if inner else "."))
    return cause, fixes, suspect


#: 1-D poolings that shorten the time axis but keep it
_STEP_POOLS = ("AveragePooling1D", "MaxPooling1D", "AvgPool1D", "MaxPool1D")


def _wrapped_layer_code(ctx: Context, index: int) -> str | None:
    """``keras.layers.Dense(4)`` for the Dense a TimeDistributed wraps (its units read from the live layer)."""
    inner = ctx.config(index, "layer")  # a layer is callable: Keras's own get_config gives it as a dict
    if isinstance(inner, dict):
        config = inner.get("config")
        kind, units = inner.get("class_name"), config.get("units") if isinstance(config, dict) else None
    else:
        kind, units = (ko.class_name(inner), ko.config_value(inner, "units")) if inner is not None else (None, None)
    return f"keras.layers.Dense({units})" if kind == "Dense" and isinstance(units, int) else None


def _per_step_targets(ctx: Context, y: Shape | None, out: Shape | None, output: int | None,
                      sparse: bool) -> tuple[str, list[str], int | None] | None:
    """Targets with a time axis (one label per step) against an output with none (one vector per sequence)."""
    if y is None or out is None or len(out) != 2:
        return None
    per_step = (len(y) == 3 and (y[-1] == out[-1] or y[-1] == 1)) or (
        len(y) == 2 and sparse and y[1] not in (None, 1, out[-1]))  # (N, K) under a sparse loss is one-hot
    if not per_step:
        return None
    out_name = ctx.name(output) if output is not None else "the output layer"
    recurrent = next((i for i in ctx.upstream(output) if ctx.row(i).type in RECURRENT_LAYERS), None)
    cause = (f"The targets {shape_text(y)} have one label per time step ({y[1]} steps), but {out_name} outputs one "
             f"prediction per sequence {shape_text(out)}.")
    fixes = []
    suspect = output
    if recurrent is not None:
        cause += f" {ctx.name(recurrent)} returns only its last step (return_sequences=False)."
        fixes.append(f"Return every step: `return_sequences=True` on {ctx.name(recurrent)}; the Dense after it then "
                     "predicts per step.")
        suspect = recurrent
    fixes.append(f"Or, if one label per sequence is meant, give each sequence one target: y of shape "
                 f"{shape_text((y[0], out[-1]) if not sparse else (y[0],))}.")
    return cause, fixes, suspect


def _operands(inputs: tuple[Shape, ...], target: Shape | None) -> tuple[Shape | None, Shape | None]:
    """``(target, output)`` among the two operand shapes of a loss op (the one equal to y is the target)."""
    if not isinstance(inputs, tuple) or len(inputs) != 2:
        return None, None
    first, second = inputs
    if target is not None and second == target and first != target:
        return second, first
    return first, second


def label_range(ctx: Context, facts: LabelRangeFacts) -> Verdict | None:
    """Runtime: ``Received a label value of 9 which is outside the valid range of [0, 3)``."""
    loss, target, output = _names(ctx)
    value, classes = facts.value, facts.classes
    if not classes:  # PyTorch names only the label ("Target 6 is out of bounds."): the output's units are the classes
        out = _output_shape(ctx, output)
        classes = out[-1] if out and out[-1] else 0
    largest = _largest_label(ctx.ev.y)
    if largest is not None and largest > value:
        value = largest  # TF reports the first bad label of a batch; the fix needs the largest one
    out_name = ctx.name(output) if output is not None else "the output layer"
    name = _loss_name(ctx, loss)
    if value < 0:
        cause = f"{name} got the label {value}; labels must be class indices from 0 to {classes - 1}."
        fixes = ["Map the labels to 0..n_classes-1, e.g. `y = y - y.min()`."]
        suspect = target
    else:
        cause = (f"{name} got the label {value}, but {out_name} has only {classes} units (classes 0 to "
                 f"{classes - 1}): the output needs one unit per class.")
        fixes = [f"Give {out_name} at least {value + 1} units: `keras.layers.Dense({value + 1}, "
                 f"activation=\"softmax\")` (or `Dense(int(y.max()) + 1)`).",
                 "Or check the labels: they must be 0-based class indices."]
        suspect = output
    verdict = _verdict(ctx, cause, fixes, suspect, None, None)
    if verdict is not None and output is not None and ctx.row(output).output_shapes:
        shape = ctx.row(output).output_shapes[0]
        if shape:
            ctx.mark(verdict, output, ((), ((len(shape) - 1,),)))
    return verdict


def _largest_label(labels: object) -> int | None:
    """The largest integer label in a numpy array of labels (read, never copied; small arrays only)."""
    return ko.largest_int(labels, MAX_LABELS_SCANNED)


def structure(ctx: Context, facts: NoFacts) -> Verdict | None:
    """Keras 3: ``y_true and y_pred have different structures`` (multi-output models)."""
    _loss, target, _output = _names(ctx)
    outputs = ctx.table.model_output_rows
    targets = ctx.table.indices("target")
    names = [ctx.table.rows[i].name for i in outputs]
    missing = outputs[len(targets)] if len(targets) < len(outputs) else None
    cause = (f"The model has {len(outputs)} outputs ({', '.join(names)}) but got {len(targets)} target "
             f"array{'s' if len(targets) != 1 else ''}: every output needs its own target.")
    fixes = ["Pass one target per output, by name: `model.fit(x, {" + ", ".join(f"{n!r}: y_{n}" for n in names)
             + "})`.", "Or drop the outputs you do not train from the model."]
    y = _target_shape(ctx, target)
    shapes = [ctx.row(i).output_shapes[0] if ctx.row(i).output_shapes else None for i in outputs]
    if len(targets) == 1 and len(outputs) > 1 and y is not None and all(
            s is not None and tuple(s[1:]) == tuple(y[1:]) for s in shapes):
        cause += f" The one target array {shape_text(y)} fits every output."
        fixes.insert(0, f"If every head learns the same labels, pass them once per output: "
                        f"`model.fit(x, [{', '.join('y' for _ in outputs)}])`.")
        fixes[1] = "Or " + fixes[1][0].lower() + fixes[1][1:]
    return _verdict(ctx, cause, fixes, missing if missing is not None else target, None, None)


#: where the compiled loss and metrics of ``fit`` / ``evaluate`` run (both flavours)
_LOSS_FILES = ("/losses/", "/losses.py", "/metrics/", "compile_utils.py")


def loss_or_layer_op(ctx: Context, facts: LossFacts) -> Verdict | None:
    """An op error of the loss: TF's names the loss's node; a JAX / PyTorch one is the loss's when it was raised
    in the compiled loss or a metric, else it is a layer's (the op-shape family's)."""
    if "{{node " in ctx.parsed.core:
        return target_vs_output(ctx, facts)
    keras_files = [frame.f_code.co_filename.replace("\\", "/") for frame, _ in ctx.ev.frames
                   if is_keras_file(frame.f_code.co_filename)]
    if any(part in name for name in keras_files for part in _LOSS_FILES):  # the forward pass never runs there
        # a metric compares transformed tensors (argmax of the output...): then judge the target and output rows
        return target_vs_output(ctx, facts) or target_vs_output(ctx, replace(facts, operands=()))
    return op_shape(ctx, OP_FAMILY.match(ctx.parsed.core) or OpFacts())


def _operands_of(core: str, facts: LossFacts) -> LossFacts:
    """The two operand shapes of the failing op."""
    return replace(facts, operands=operand_shapes(core))


#: node-path parts that name a loss (Keras 3 compiles every loss under ``compile_loss/``)
_LOSS_NODE = (r"\{\{node (?:[^}/\n]{1,200}/){0,8}?(?:compile_loss|\w{0,80}(?:crossentropy|squared_error"
              r"|absolute_error|hinge|huber|log_cosh|poisson|kl_divergence|mse|mae))/")

FAMILIES = (
    Family(ErrorFamily.LOSS_RANK, target_vs_output, facts=LossFacts, patterns=(
        compile_pattern(r"Argument `output` must have rank \(ndim\) `target\.ndim - 1`[\s\S]{0,2000}?"
                        r"target\.shape=(?P<target>{SHAPE}), output\.shape=(?P<output>{SHAPE})"),
    )),
    Family(ErrorFamily.LOSS_SHAPE, target_vs_output, facts=LossFacts, patterns=(
        # JAX: "... must have the same shape up until the last dimension: target.shape=..."
        compile_pattern(r"Arguments `target` and `output` must have the same (?:shape|rank \(ndim\))"
                        r"(?: up until the last dimension)?[.:][\s\S]{0,2000}?"
                        r"target\.shape=(?P<target>{SHAPE}), output\.shape=(?P<output>{SHAPE})"),
    )),
    Family(ErrorFamily.LOSS_SPARSE_TFK, target_vs_output, facts=LossFacts, patterns=(
        compile_pattern(r"`labels\.shape` must equal `logits\.shape` except for the last dimension\. Received: "
                        r"labels\.shape=(?P<target>{SHAPE}) and logits\.shape=(?P<output>{SHAPE})"),
    )),
    Family(ErrorFamily.LOSS_BINARY_TFK, target_vs_output, facts=LossFacts, patterns=(
        compile_pattern(r"`logits` and `labels` must have the same shape, received \((?P<output>{SHAPE}) vs "
                        r"(?P<target>{SHAPE})\)"),
    )),
    Family(ErrorFamily.LOSS_FIRST_DIM, target_vs_output, facts=LossFacts, patterns=(
        compile_pattern(r"logits and labels must have the same first dimension, got logits shape "
                        r"(?P<output>\[[^\]\n]{0,400}\]) and labels shape (?P<target>\[[^\]\n]{0,400}\])"),
    )),
    Family(ErrorFamily.LOSS_STRUCTURE, structure, patterns=(
        compile_pattern(r"y_true and y_pred have different structures"),
        # Keras 3 KeyError: a list of losses for more outputs than there are targets
        compile_pattern(r"The path: \(\d+,?\) in the `loss` argument, can't be found in either the model's output"),
    )),
    Family(ErrorFamily.LABEL_RANGE, label_range, facts=LabelRangeFacts, patterns=(
        compile_pattern(r"Received a label value of (?P<value>-?\d+) which is outside the valid range of "
                        r"\[0, (?P<classes>\d+)\)"),
        compile_pattern(r"^Target (?P<value>-?\d+) is out of bounds\.", re.S | re.M),  # PyTorch
    )),
    # tf_keras crossentropy: "Shapes (target) and (output) are incompatible"
    Family(ErrorFamily.LOSS_SHAPE_TFK, target_vs_output, facts=LossFacts, patterns=(
        compile_pattern(r"Shapes (?P<target>{SHAPE}) and (?P<output>{SHAPE}) are incompatible"),
    )),
    # a graph op of the compiled loss: "Dimensions must be equal ... {{node compile_loss/mse/sub}}"
    # TF names the loss's graph node; JAX and PyTorch name none: then the frames say whose op it was
    Family(ErrorFamily.LOSS_OP, loss_or_layer_op, facts=LossFacts, refine=_operands_of, patterns=(
        compile_pattern(r"Dimensions must be equal, but are \d+ and \d+ for '" + _LOSS_NODE),
        compile_pattern(r"Incompatible shapes: \[[^\]\n]{0,400}\] vs\. \[[^\]\n]{0,400}\][\s\S]{0,400}?"
                        + _LOSS_NODE),
        *BACKEND_OP_PATTERNS,
    )),
)
