"""Inputs that do not fit: InputSpec checks, the model's Input, the number and size of arrays."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from typing import Any

from ...limits import MAX_NAMESPACE_NAMES, MAX_QUOTED_CHARS
from ...parse import SHAPE_PATTERN, Shape, parse_shape
from ...records import ErrorFamily, Kind, Row
from .. import keras_objects as ko
from ..context import RECURRENT_LAYERS, Context, Verdict, all_axes, differing_axes, op_code, shape_text
from ..data_fit import (
    NO_RULE,
    Mismatch,
    data_fault,
    data_shape_of,
    data_verdict,
    describe_mismatch,
    fixes_for_the_data,
    input_shape_of,
    is_dataset,
    sample_count,
)
from .base import Family, compile_pattern


@dataclass(frozen=True)
class InputSpecFacts:
    """``Input 0 of layer "x" is incompatible with the layer: ...`` and the check that failed."""

    index: int = 0
    layer: str = ""
    detail: str = ""
    check: str = ""  # "ndim", "min_ndim", "max_ndim", "axis" or "shape"
    expected_ndim: int | None = None
    found_ndim: int | None = None
    axis: int | None = None
    expected_value: int | None = None
    expected: Shape | None = None
    received: Shape | None = None


@dataclass(frozen=True)
class FunctionalInputFacts:
    """Keras 3: the data given to a functional Input does not fit it."""

    input: str = ""
    expected: Shape | None = None
    received: Shape | None = None


@dataclass(frozen=True)
class MissingKeyFacts:
    """A data dictionary without an entry for one of the model's inputs."""

    input: str = ""
    keys: str = ""


@dataclass(frozen=True)
class InputCountFacts:
    """A model given a different number of input arrays than it has Inputs."""

    layer: str = ""
    expected: int = 0
    received: int = 0


@dataclass(frozen=True)
class CardinalityFacts:
    """x and y whose sample counts differ."""

    x_sizes: tuple[int, ...] = ()
    y_sizes: tuple[int, ...] = ()

_SEQUENCE_CONSUMERS = (*RECURRENT_LAYERS, "Conv1D", "MaxPooling1D", "AveragePooling1D", "GlobalAveragePooling1D",
                       "GlobalMaxPooling1D", "Conv1DTranspose", "SeparableConv1D")
_IMAGE_CONSUMERS = ("Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
                    "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D", "UpSampling2D", "ZeroPadding2D",
                    "Cropping2D")
_RANK_REDUCERS = ("Flatten", "GlobalAveragePooling1D", "GlobalMaxPooling1D", "GlobalAveragePooling2D",
                  "GlobalMaxPooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling3D")
_RANK_MEANING = {2: "(batch, features)", 3: "(batch, timesteps, features)", 4: "(batch, height, width, channels)",
                 5: "(batch, time/depth, height, width, channels)"}
_FIT_PHASES = ("fit", "evaluate", "predict")
_MERGE_LAYERS = ("Concatenate", "Add", "Average", "Maximum", "Minimum", "Multiply", "Subtract")
#: layers that run over axis 1 of their input as time steps (frames)
_TIME_CONSUMERS = ("TimeDistributed", *RECURRENT_LAYERS)


def _model_level(ctx: Context, name: str, index: int | None) -> bool:
    """Is the check the model's own (on its inputs) rather than one of its layers'?"""
    if index is not None:
        return ctx.table.rows[index].kind == "input"
    model = ctx.ev.model
    if model is None:
        return False
    names = {ko.safe_name(model), "functional"}
    functional = ko.hidden_functional(model)
    if functional is not None:
        names.add(ko.safe_name(functional))
    return name in names or ko.is_model(ctx.layer(ctx.failing()))


def _dims_text(dims: tuple) -> str:
    return ", ".join(str(d) for d in dims)


def _statement_names(ctx: Context, pattern: str) -> list[str]:
    """Plain names the failing statement uses in a given way (``len(X)``, ``x_train.shape``)."""
    statement = ctx.ev.statement or ""
    return list(dict.fromkeys(n for n in re.findall(pattern, statement[:MAX_QUOTED_CHARS * 8]) if n))


def _namespace_shape(ctx: Context, name: str | None) -> Shape | None:
    """The shape of an array the user holds under this name (read as data, never called)."""
    namespace = ctx.ev.namespace
    if not name or not isinstance(namespace, dict):
        return None
    return ko.shape_of(namespace.get(name))


def _rows_used_as_size(ctx: Context, declared: tuple) -> tuple[str, int, Shape] | None:
    """A declared size that is the number of rows (samples) of an array: ``input_dim=len(X)``.

    The arrays looked at: those the failing statement counts (``len(X)``, ``X.shape[0]``) and the data
    given to fit / evaluate (by the user's name for it, before any validation split, and as fit got it).
    """
    candidates: list[tuple[str, Shape | None]] = []
    for name in _statement_names(ctx, r"\blen\(\s*([A-Za-z_]\w*)\s*\)") + \
            _statement_names(ctx, r"\b([A-Za-z_]\w*)\.shape\[\s*0\s*\]"):
        candidates.append((name, _namespace_shape(ctx, name)))
    x_name = ctx.ev.variable_names.get("x")
    if ctx.ev.phase in _FIT_PHASES:
        candidates.append((x_name or "x", _namespace_shape(ctx, x_name)))
        candidates.append((x_name or "x", data_shape_of(ctx, ctx.data_row())))
    for name, shape in candidates:
        if not shape or len(shape) < 2 or None in shape:
            continue
        rows = shape[0]
        if rows is not None and rows > 1 and rows in declared and rows not in shape[1:]:
            return name, rows, shape
    return None


def _declare(ctx: Context, input_index: int | None, index: int, per: tuple) -> str:
    """How the user declares one sample's shape: ``input_shape=`` on a Sequential's first layer, else an Input."""
    shape = shape_text(per)
    explicit = re.search(r"\bInput\(", ctx.ev.statement) is not None  # the user wrote the Input themselves
    if not explicit and (input_index is None or ko.is_sequential(ctx.ev.model) or ctx.ev.phase == "model.add"):
        return f"`input_shape={shape}` on {ctx.name(index)} (or `keras.Input(shape={shape})`)"
    return f"`keras.Input(shape={shape})`"


def _array_named_for(ctx: Context, per: tuple) -> str | None:
    """The one array in the user's namespace whose samples have the shape ``per`` (``xc`` for (100,))."""
    found = [name for name, value in ko.namespace_items(ctx.ev.namespace, MAX_NAMESPACE_NAMES)
             if isinstance(name, str) and name.isidentifier() and not name.startswith("_") and ko.is_array(value)
             and (shape := ko.shape_of(value)) is not None and tuple(shape[1:]) == tuple(per)]
    return found[0] if len(found) == 1 else None


def _declared_input(ctx: Context, index: int, received: Shape | None,
                    untouched: bool = True) -> tuple[int | None, Shape] | None:
    """The shape the user declared for the model's input, when it reaches this layer untouched.

    Either the Input row feeding the layer (with ``untouched=False``, even if the layer got another
    shape at run time), or (tf_keras ``Sequential.add``) the first layer's own ``input_shape=``: nothing
    comes before it and the batch axis is still symbolic.
    """
    previous = ctx.previous_layer(index)
    prev_row = ctx.row(previous)
    if ctx.row(index).type == "TimeDistributed" or received is None:
        return None  # what a wrapper reports is what its inner layer got, one step
    if prev_row is not None and prev_row.kind == "input":
        shape = prev_row.output_shapes[0] if prev_row.output_shapes and prev_row.output_shapes[0] else received
        if untouched and (len(shape) != len(received) or differing_axes(shape, received, skip=(0,))):
            return None
        return previous, shape
    if prev_row is None and received and received[0] is None \
            and ctx.ev.phase in ("model.add", "build", "layer call"):
        return None, received
    return None


def _time_distributed_fix(ctx: Context, index: int,
                          received: Shape | None) -> tuple[str, list[str], int | None] | None:
    """TimeDistributed on an Input without a time axis: its inner layer gets one axis too few."""
    previous = ctx.previous_layer(index)
    prev_row = ctx.row(previous)
    if prev_row is None or prev_row.kind != "input" or not prev_row.output_shapes or received is None:
        return None
    shape = prev_row.output_shapes[0]
    if shape is None or len(shape) != len(received) + 1 or differing_axes((shape[0], *shape[2:]), received):
        return None
    inner = ko.attr(ctx.layer(index), "layer")
    inner_type = ko.class_name(inner) if inner is not None and ko.is_layer(inner) else "inner layer"
    per = tuple(shape[1:])
    why = (f"{ctx.name(previous)} declares {shape_text(per)} with no time axis: TimeDistributed runs its "
           f"{inner_type} on each step of axis 1, so the {inner_type} gets {shape_text(received)}.")
    fixes = [f"Declare the time (frames) axis: `keras.Input(shape={shape_text((None, *per))})` and feed sequences "
             f"of frames {shape_text((None, None, *per))} (single images: `x = x[:, np.newaxis]`).",
             f"Or, for single images, remove the TimeDistributed wrapper and use the {inner_type} directly."]
    return why, fixes, previous


def _kernel_note(ctx: Context, index: int, per: tuple) -> str:
    """With ``padding='valid'``, a kernel larger than the frames the corrected shape gives."""
    row = ctx.row(index)
    kernel = ctx.config(index, "kernel_size")
    padding = ctx.config(index, "padding", "valid")
    if not isinstance(kernel, (list, tuple)) or padding != "valid":
        return ""
    spatial = {"ConvLSTM1D": per[1:2], "ConvLSTM2D": per[1:3], "ConvLSTM3D": per[1:4], "Conv1D": per[0:1],
               "Conv2D": per[0:2], "Conv3D": per[0:3]}.get(row.type)
    if spatial is None or len(spatial) != len(kernel) or None in spatial:
        return ""
    if all(k <= s for k, s in zip(kernel, spatial)):
        return ""
    fitted = tuple(min(k, s) for k, s in zip(kernel, spatial))
    frames = "x".join(str(s) for s in spatial)
    return (f"; its kernel_size {shape_text(tuple(kernel))} is larger than the {frames} frames: "
            f"`kernel_size={shape_text(fitted)}` (or `padding='same'`)")


def _rows_fix(ctx: Context, input_index: int | None, index: int, who: str, per: tuple,
              rows: tuple[str, int, Shape]) -> tuple[str, str]:
    """The row count of the data declared as a size: declare one sample (one step of its features)."""
    name, count, data = rows
    row = ctx.row(index)
    features = tuple(data[1:])
    one = (1, *features) if row.type in RECURRENT_LAYERS or row.type == "TimeDistributed" else (*features, 1)
    why = (f"{who} declares {shape_text(per)}, but {count} is the number of rows (samples) of {name} "
           f"(len({name}), shape {shape_text(data)}), not a size of one sample; each sample is "
           f"{_dims_text(features)} values with no time axis.")
    fix = (f"Declare one sample, not the row count: {_declare(ctx, input_index, index, one)}, and give the data "
           f"that shape: `{name} = np.asarray({name}).reshape(-1, {_dims_text(one)})`.")
    return why, fix


def _declared_fix(ctx: Context, index: int, declared: tuple[int | None, Shape], received: Shape,
                  expected_ndim: int) -> tuple[str, list[str], int | None] | None:
    """A first layer whose input, as declared (Input or ``input_shape=``), has an axis too few or too many."""
    input_index, shape = declared
    row = ctx.row(index)
    per = tuple(shape[1:])
    found = len(received)
    who = ctx.name(input_index) if input_index is not None else f"The input_shape of {ctx.name(index)}"
    suspect = input_index
    if found == expected_ndim - 1 and None not in per:
        rows = _rows_used_as_size(ctx, per)
        if rows is not None and (row.type in _SEQUENCE_CONSUMERS or row.type == "TimeDistributed"):
            why, fix = _rows_fix(ctx, input_index, index, who, per, rows)
            return why, [fix], suspect
        name = (_statement_names(ctx, r"\b([A-Za-z_]\w*)\.shape\b") or [_array_named_for(ctx, per) or "x"])[0]
        one = (*per, 1)
        if row.type in _IMAGE_CONSUMERS or "Conv" in row.type or "Pooling" in row.type:
            why = f"{who} declares no channel axis, only {shape_text(per)}: {row.type} needs one, last."
        else:
            why = (f"{who} declares no time axis, only {shape_text(per)}: {row.type} takes "
                   "(batch, timesteps, features).")
        fix = (f"Declare the missing axis: {_declare(ctx, input_index, index, one)}"
               f"{_kernel_note(ctx, index, one)}, and give the data that shape: "
               f"`{name} = {name}.reshape(-1, {_dims_text(one)})` (or `{name}[..., np.newaxis]`).")
        return why, [fix], suspect
    if found == expected_ndim + 1 and len(per) >= 2:
        one = per[1:]
        data_shape = data_shape_of(ctx, ctx.data_row())
        with_batch = data_shape is not None and len(data_shape) == found - 1 and per[0] in (data_shape[0], 1)
        why = (f"{who} declares {shape_text(per)}: its first axis ({per[0]}) is the batch / number of samples, "
               "which Keras adds itself" + (f" (the data is {shape_text(data_shape)})." if with_batch else "."))
        named = _statement_names(ctx, r"input_shape\s*=\s*([A-Za-z_]\w*)\.shape\b(?!\s*\[)")
        source = f"`input_shape={named[0]}.shape[1:]`, that is " if named else ""
        fix = (f"Declare the shape of one sample, without the batch axis: {source}"
               f"{_declare(ctx, input_index, index, one)}{_kernel_note(ctx, index, one)}.")
        return why, [fix], suspect
    return None


def _recurrent_call(ctx: Context, index: int) -> str | None:
    """``keras.layers.LSTM(64, return_sequences=True)`` in the terms of the user's own recurrent layer."""
    row = ctx.row(index)
    layer = ctx.layer(index)
    out = row.output_shapes[0] if row.output_shapes else None
    if row.type == "Bidirectional":
        inner = ko.attr(layer, "forward_layer") if layer is not None else None
        if inner is None and layer is not None:
            inner = ko.attr(layer, "layer")
        if inner is None or not ko.is_layer(inner):
            return None
        units = ko.config_value(inner, "units")
        if not isinstance(units, int):
            return None
        return (f"keras.layers.Bidirectional(keras.layers.{ko.class_name(inner)}({units}, "
                "return_sequences=True))")
    if row.type.startswith("ConvLSTM"):
        filters, kernel = ctx.config(index, "filters"), ctx.config(index, "kernel_size")
        if not isinstance(filters, int) or not isinstance(kernel, (list, tuple)):
            return None
        return f"keras.layers.{row.type}({filters}, {shape_text(tuple(kernel))}, return_sequences=True)"
    units = ctx.config(index, "units")
    if not isinstance(units, int):
        units = out[-1] if out and isinstance(out[-1], int) else None
    if units is None:
        return None
    return f"keras.layers.{row.type}({units}, return_sequences=True)"


def _returns_last_step(ctx: Context, index: int | None, found_ndim: int) -> bool:
    """A recurrent row that hands on only its last step (``return_sequences=False``, or its output says so)."""
    row = ctx.row(index)
    if row is None or row.type not in RECURRENT_LAYERS:
        return False
    out = row.output_shapes[0] if row.output_shapes else None
    if out is not None:
        return len(out) == found_ndim
    return not ctx.config(index, "return_sequences", True)


def _sequence_fix(ctx: Context, index: int, found_ndim: int,
                  received: Shape | None) -> tuple[list[str], int | None, str]:
    """Why a recurrent / 1-D layer got a tensor without a time axis, and the fix (the culprit is upstream)."""
    previous = ctx.previous_layer(index)
    prev_row = ctx.row(previous)
    row = ctx.row(index)
    size = received[-1] if received is not None and len(received) == 2 else None
    reshape = (f"Or treat the {size} values as {size} steps of one feature: `keras.layers.Reshape(({size}, 1))` "
               f"before {ctx.name(index)}.") if isinstance(size, int) else ""
    if prev_row is None:
        return [f"Feed {row.type} a 3-D tensor (batch, timesteps, features)."], None, ""
    branches = [previous]
    if prev_row.type in _MERGE_LAYERS:
        branches = [p for p in ctx.producers(previous) if p is not None] or [previous]
    if all(_returns_last_step(ctx, b, found_ndim) for b in branches):
        calls = [_recurrent_call(ctx, b) for b in branches]
        names = " and ".join(ctx.name(b) for b in branches)
        steps = {ctx.row(b).input_shapes[0][1] for b in branches
                 if ctx.row(b).input_shapes and ctx.row(b).input_shapes[0] and len(ctx.row(b).input_shapes[0]) >= 3}
        joined = ""
        if len(branches) > 1 and prev_row.type == "Concatenate" and len(steps) > 1:
            counts = " vs ".join(str(s) for s in sorted(steps, key=str))
            joined = (f", and join the sequences along the time axis since their lengths differ ({counts}): "
                      f"`keras.layers.Concatenate(axis=1)` for {ctx.name(previous)}")
        unique = list(dict.fromkeys(c for c in calls if c))
        code = " / ".join(f"`{c}`" for c in unique) if unique and None not in calls else "`return_sequences=True`"
        fixes = [f"Return the whole sequence from {names}: {code}{joined}."]
        if reshape:
            fixes.append(reshape)
        return (fixes, previous if len(branches) > 1 else branches[0],
                f"{names} return{'s' if len(branches) == 1 else ''} only the last step (return_sequences=False), "
                f"so {ctx.name(index)} gets no time axis")
    before = prev_row.input_shapes[0] if prev_row.input_shapes else None
    if prev_row.type == "Flatten" and before is not None and None not in before[1:] and len(before) >= 3:
        if len(before) == 3:
            fix = f"Remove {ctx.name(previous)}: its input {shape_text(before)} already is a sequence."
        else:
            rest = before[2:]
            product = 1
            for d in rest:
                product *= d  # type: ignore[operator]
            fix = (f"Replace {ctx.name(previous)} with `keras.layers.Reshape(({before[1]}, {product}))`: each of the "
                   f"{before[1]} rows of the {shape_text(before)} maps becomes one step of {product} features.")
        return ([fix] + ([reshape] if reshape and len(before) > 3 else []), previous,
                f"{ctx.name(previous)} (Flatten) turns {shape_text(before)} into {prev_row.output_shape}, "
                "with no time axis left")
    if isinstance(size, int):
        return ([f"Give the {size} values of {ctx.name(previous)} a time axis: `keras.layers.Reshape(({size}, 1))` "
                 f"before {ctx.name(index)} ({size} steps of one feature)."], previous,
                f"{ctx.name(previous)} ({prev_row.type}) outputs a {found_ndim}-D tensor {prev_row.output_shape}, "
                "with no time axis")
    return [f"Feed {row.type} a 3-D tensor (batch, timesteps, features)."], previous, \
        f"{ctx.name(previous)} ({prev_row.type}) outputs a {found_ndim}-D tensor"


def _rank_reducer_fix(ctx: Context, index: int) -> tuple[list[str], int | None, str]:
    """A Flatten / global pooling upstream removed the axes this layer needs."""
    previous = ctx.previous_layer(index)
    prev_row = ctx.row(previous)
    if prev_row is None or prev_row.type not in _RANK_REDUCERS:
        return [], None, ""
    before = prev_row.input_shapes[0] if prev_row.input_shapes else None
    fixes = [f"Remove {ctx.name(previous)} ({prev_row.type}), which drops the axes {ctx.name(index)} needs."]
    if before is not None and None not in before[1:]:
        fixes = [f"Restore the axes before {ctx.name(index)}: `keras.layers.Reshape({shape_text(before[1:])})`, "
                 f"or remove {ctx.name(previous)}."]
    return fixes, previous, f"{ctx.name(previous)} ({prev_row.type}) flattened {shape_text(before)}"


def _rank_provenance(ctx: Context, index: int, received: Shape,
                     expected_ndim: int) -> tuple[str, list[str], int | None] | None:
    """Where the axis too many (or too few) came from, walking the table back from the layer.

    An Input that declares the batch axis (or the whole data shape), an Embedding given vectors
    instead of token ids, feature maps fed to a sequence layer, a Reshape without a channel axis.
    """
    previous = ctx.previous_layer(index)
    prev_row = ctx.row(previous)
    found = len(received)
    if found == expected_ndim + 1:
        if prev_row is not None and prev_row.kind == "input":
            per = received[2:]
            data_shape = data_shape_of(ctx, ctx.data_row())
            with_batch = data_shape is not None and len(data_shape) == found - 1 and received[1] in (data_shape[0], 1)
            why = (f"The Input {ctx.name(previous)} declares {shape_text(received[1:])}: its first axis "
                   f"({received[1]}) is the batch / number of samples, which Keras adds itself"
                   + (f" (the data is {shape_text(data_shape)})." if with_batch else "."))
            return why, [f"Declare the shape of one sample: `keras.Input(shape={shape_text(per)})` "
                         f"(or `input_shape={shape_text(per)}`; from the data: `x.shape[1:]`)."], previous
        for walk in ctx.upstream(index):
            row = ctx.row(walk)
            if row.type == "Embedding" and row.input_shapes and row.input_shapes[0] is not None \
                    and len(row.input_shapes[0]) >= 3:
                return (f"{ctx.name(walk)} (Embedding) was given {shape_text(row.input_shapes[0])}, vectors already, "
                        "not token ids, and added one more axis.",
                        [f"Remove {ctx.name(walk)}: feed the vectors directly to {ctx.name(index)} "
                         "(an Embedding turns integer token ids into vectors)."], walk)
        if expected_ndim == 3 and found == 4 and None not in received[2:]:
            steps, rest = received[1], received[2:]
            return (f"It gets feature maps {shape_text(received)}; a sequence layer takes (batch, steps, features).",
                    [f"Make each row of the maps one step: `keras.layers.Reshape(({steps}, "
                     f"{' * '.join(str(d) for d in rest)}))` before {ctx.name(index)}.",
                     "Or keep the maps and use a convolutional recurrent layer: `keras.layers.ConvLSTM2D(...)` "
                     "(with a time axis), or `keras.layers.TimeDistributed(...)` over the frames."], previous)
    if found == expected_ndim - 1 and prev_row is not None and prev_row.type == "Reshape" and expected_ndim == 4 \
            and received[1:] and None not in received[1:]:
        return (f"{ctx.name(previous)} (Reshape) makes {shape_text(received)} with no channel axis.",
                [f"Give the Reshape a channel axis: `keras.layers.Reshape({shape_text((*received[1:], 1))})`."],
                previous)
    return None


def _layer_input_fix(ctx: Context, index: int, received: Shape | None, expected_ndim: int) -> Mismatch | None:
    """At run time, a first layer fed straight from the data: describe the data against the layer's rank."""
    if ctx.ev.phase not in _FIT_PHASES:
        return None
    position = 0
    data = ctx.data_row_for(position, None)
    data_shape = data_shape_of(ctx, data)
    input_index = ctx.input_row(position)
    expected_input = input_shape_of(ctx, input_index)
    if data_shape is None:
        return None
    row = ctx.row(index)
    if expected_input is not None and (row.type in _SEQUENCE_CONSUMERS or row.type == "TimeDistributed"):
        rows = _rows_used_as_size(ctx, tuple(expected_input[1:]))
        if rows is not None:
            why, fix = _rows_fix(ctx, input_index, index, ctx.name(input_index) if input_index is not None
                                 else f"The input_shape of {ctx.name(index)}", tuple(expected_input[1:]), rows)
            return Mismatch(why, [fix], input_is_wrong=True)
    if expected_input is not None and tuple(data_shape[1:]) != tuple(expected_input[1:]) \
            and expected_input[0] is None:  # an Input Keras built from the data itself tells nothing
        return describe_mismatch(data_shape, expected_input, is_dataset(ctx), samples=sample_count(ctx),
                                 backend=ctx.ev.backend)
    previous = ctx.previous_layer(index)
    if previous is not None and ctx.row(previous).kind != "input":
        return None
    if len(data_shape) == expected_ndim - 1:
        if row.type in _IMAGE_CONSUMERS or row.type in ("Conv1D", "Conv3D"):
            return Mismatch(f"The data {shape_text(data_shape)} has no channel axis.",
                            [f"Add the channel axis: `x = x[..., np.newaxis]` -> {shape_text((*data_shape, 1))}."])
        if row.type in RECURRENT_LAYERS:
            return Mismatch(f"The data {shape_text(data_shape)} has no feature axis per time step.",
                            [f"Add it: `x = x[..., np.newaxis]` -> {shape_text((*data_shape, 1))}."])
        if is_dataset(ctx):
            return Mismatch(f"The dataset's elements {shape_text(data_shape)} have no batch axis.",
                            ["Batch the dataset: `x = x.batch(32)`."])
        samples = sample_count(ctx)
        if samples is not None and data_shape and data_shape[0] == samples and samples != 1:
            # as many rows as targets: these are samples, and the axis that is missing is the features'
            return Mismatch(f"The data {shape_text(data_shape)} holds {samples} samples (as many as the targets) "
                            f"of one value each, but it has no feature axis: {row.type} needs "
                            f"{expected_ndim}-D input (batch, ..., features).",
                            [f"Add the feature axis: `x = np.expand_dims(x, -1)` -> {shape_text((*data_shape, 1))} "
                             f"(for a tensor: `x = {op_code('expand_dims', ctx.ev.backend)}(x, -1)`)."])
        return Mismatch(f"The data {shape_text(data_shape)} is one sample: it has no batch axis.",
                        ["Add the batch axis: `x = np.expand_dims(x, 0)`."])
    return None


def _declared_against_data(ctx: Context, index: int, expected: Shape | None,
                           received: Shape | None) -> tuple[str, list[str], int | None] | None:
    """At fit, a first layer declared with ``input_dim=`` (its steps left open) for data of another layout.

    ``LSTM(10, input_dim=10)`` means 10 features per step; data of (samples, 10, 1) has 10 steps of one
    feature. The data reaches the layer untouched, so its shape per sample is the one to declare.
    """
    if ctx.ev.phase not in _FIT_PHASES or expected is None or received is None:
        return None
    declared = _declared_input(ctx, index, received, untouched=False)
    data_shape = data_shape_of(ctx, ctx.data_row())
    if declared is None or data_shape is None or len(data_shape) != len(expected) or len(expected) < 3:
        return None
    per_data, per_expected = tuple(data_shape[1:]), tuple(expected[1:])
    if None in per_data or tuple(received[1:]) != per_data or None not in per_expected:
        return None
    known = [(i, d) for i, d in enumerate(per_expected) if d is not None]
    if all(per_data[i] == d for i, d in known):
        return None
    input_index = declared[0]
    row = ctx.row(index)
    axis, size = known[-1]
    meaning = "features per step" if axis == len(per_expected) - 1 else f"values on axis {axis + 1}"
    where = [i for i, d in enumerate(per_data) if d == size and i != axis]
    also = (f"; {size} is the data's number of {'time steps' if where[0] == 0 else f'values on axis {where[0] + 1}'}"
            if where else "")
    why = (f"{ctx.name(index)} was declared for {shape_text(expected)}, {size} {meaning} (what `input_dim={size}` "
           f"declares), but each sample of the data {shape_text(data_shape)} is {shape_text(per_data)}: "
           f"{_dims_text(per_data[:-1])} time steps of {per_data[-1]} feature{'s' if per_data[-1] != 1 else ''}"
           f"{also}.")
    fix = (f"Declare the data's shape per sample (`x.shape[1:]`) instead of `input_dim={size}`: "
           f"{_declare(ctx, input_index, index, per_data)}.")
    if row.type not in (*_SEQUENCE_CONSUMERS, "TimeDistributed"):
        why = (f"{ctx.name(index)} was declared for {shape_text(expected)}, but each sample of the data "
               f"{shape_text(data_shape)} is {shape_text(per_data)}.")
        fix = f"Declare the data's shape per sample: {_declare(ctx, input_index, index, per_data)}."
    return why, [fix], input_index


def _time_consumer(ctx: Context, input_index: int | None) -> int | None:
    """The layer reading the Input that runs over its axis 1 as time steps (TimeDistributed, an RNN)."""
    if input_index is None:
        return None
    for i, row in enumerate(ctx.table.rows):
        if row.kind == "layer" and i > input_index and ctx.previous_layer(i) == input_index:
            return i if row.type in _TIME_CONSUMERS else None
    return None


def _missing_time_axis(ctx: Context, position: int, received: Shape | None,
                       expected: Shape | None) -> Verdict | None:
    """Data of single steps / frames for a model that takes sequences of them (the time axis is missing)."""
    input_index = ctx.input_row(position)
    if expected is None:
        expected = input_shape_of(ctx, input_index)
    data = ctx.data_row_for(position, ctx.row(input_index).name if input_index is not None else None)
    data_shape = data_shape_of(ctx, data) or received
    if expected is None or data_shape is None or len(expected) < 3 or len(data_shape) != len(expected) - 1:
        return None
    if any(e is not None and e != d for e, d in zip(expected[2:], data_shape[1:])):
        return None
    if tuple(data_shape) == tuple(expected[1:]) and sample_count(ctx) != data_shape[0]:
        return None  # one whole sample without its batch axis, not samples without their time axis
    consumer = _time_consumer(ctx, input_index)
    if consumer is None:
        return None
    steps = expected[1]
    kind = "frames" if ctx.row(consumer).type == "TimeDistributed" and len(expected) >= 5 else "time steps"
    data_name = ctx.table.rows[data].name if data is not None else "the data"
    cause = (f"{data_name} {shape_text(data_shape)} has no time axis: {ctx.name(consumer)} "
             f"({ctx.row(consumer).type}) runs over axis 1 of the Input {shape_text(expected)}, "
             f"{steps if steps is not None else 'a sequence of'} {kind} per sample, but each sample of the data is "
             f"a single one {shape_text(tuple(data_shape[1:]))}.")
    per = tuple(expected[1:])
    if steps is None:
        fixes = [f"Make each sample a sequence of one step: `x = x[:, np.newaxis]` -> "
                 f"{shape_text((data_shape[0], 1, *data_shape[1:]))}."]
    else:
        count = data_shape[0]
        if isinstance(count, int) and count >= steps and count % steps:
            whole = count // steps * steps  # the frames left over cannot make a sequence
            fixes = [f"Group the {kind} into sequences of {steps}: {count} {kind} make {count // steps} of them "
                     f"({count - whole} left over): `x = x[:{whole}].reshape(-1, {_dims_text(per)})`, with one "
                     f"label per sequence: `y = y[:{whole}:{steps}]`."]
        else:
            fixes = [f"Group the {kind} into sequences of {steps}: `x = x.reshape(-1, {_dims_text(per)})` (the "
                     f"number of {kind} must be a multiple of {steps}; one label per sequence, e.g. "
                     f"`y = y[::{steps}]`)."]
        fixes.append(f"Or stack {steps} consecutive {kind} per sample when you load them (a generator yielding "
                     f"{shape_text((None, *per))} batches).")
    index = data if data is not None else input_index
    if index is None:
        return None
    verdict = ctx.verdict(index, cause, fixes, suspect=consumer)
    if data is not None:
        ctx.mark(verdict, index, ((), (all_axes(data_shape),)))
    else:
        ctx.mark(verdict, index, ((all_axes(data_shape),), ()), received=(data_shape,))
    return verdict


def _enclosing_model(ctx: Context, index: int) -> Any:
    """The innermost model (used as a layer) whose call reached this layer, other than the model itself."""
    layer = ctx.layer(index)
    if layer is None:
        return None
    top = {id(ctx.ev.model), id(ko.hidden_functional(ctx.ev.model))} if ctx.ev.model is not None else set()
    found = None
    for _frame, _line, owner in ko.iter_frames_self(ctx.ev.frames):
        if owner is None or owner is layer or id(owner) in top or not ko.is_model(owner):
            continue
        if any(sub is layer for sub in ko.sublayers(owner)):
            found = owner
    return found


def _nested_model_input(ctx: Context, index: int, value: int, got: int | None) -> Verdict | None:
    """A layer inside a model used as a layer fails because that model gets another size than it was built for.

    tf_keras names the inner layer (a Dense built for 21632 features); the mistake is one level up: the
    model (a GAN's discriminator) built for 96x96 images is called on the 128x128 a generator makes.
    """
    model = _enclosing_model(ctx, index)
    if model is None:
        return None
    inputs = ko.model_inputs(model)
    built = ko.shape_of(inputs[0]) if inputs else None
    previous = ctx.previous_layer(index)
    prev_row = ctx.row(previous)
    incoming = prev_row.output_shapes[0] if prev_row is not None and prev_row.output_shapes else None
    if built is None or incoming is None or len(built) != len(incoming) or len(built) < 2:
        return None
    diff = differing_axes(built, incoming, skip=(0,))
    if not diff:
        return None
    inner = ctx.row(index)
    name = ko.safe_name(model)
    quoted = f"'{name}'"
    images = len(built) == 4 and diff and all(a in (1, 2) for a in diff)
    if images:
        have, want = f"{incoming[1]}x{incoming[2]}", f"{built[1]}x{built[2]}"
        cause = (f"{quoted} ({ko.class_name(model)}) was built for {shape_text(built)} inputs but gets "
                 f"{shape_text(incoming)} from {ctx.name(previous)}: {have} images where it expects {want}, "
                 f"so its {ctx.name(index)} ({inner.type}), built for {value} features, gets {got}.")
        fixes = [f"Make {ctx.name(previous)} produce {want} images (it makes {have}): change its upsampling / "
                 f"strides, or end it with `keras.layers.Resizing({built[1]}, {built[2]})`.",
                 f"Or build {quoted} for {have} inputs: `input_shape={shape_text(tuple(incoming[1:]))}`."]
    else:
        cause = (f"{quoted} ({ko.class_name(model)}) was built for {shape_text(built)} inputs but gets "
                 f"{shape_text(incoming)} from {ctx.name(previous)}, so its {ctx.name(index)} ({inner.type}), "
                 f"built for {value} features, gets {got}.")
        fixes = [f"Build {quoted} for what it gets: `input_shape={shape_text(tuple(incoming[1:]))}`, or make "
                 f"{ctx.name(previous)} output {shape_text(built)}."]
    # the row that raised is the model's inner layer; the table shows the model call instead, as Keras 3 does
    ctx.table.replace(index, Row(name=name, kind=Kind.LAYER, type=ko.class_name(model), input_shapes=(incoming,),
                                 params=ko.count_params(model), config=ko.key_config(model),
                                 note=f"its layer '{inner.name}' raised: built for {value} features, got {got}"),
                      layer=model)
    return ctx.verdict(index, cause, fixes, suspect=previous, marks={index: ((diff,), ())},
                       received={index: (incoming,)})


def _embedded_vectors(ctx: Context, index: int, received: Shape | None) -> Verdict | None:
    """At fit, data of vectors already (``(N, steps, 1024)``) through an Embedding that expects token ids.

    The Embedding turns every value into a vector, so a layer downstream gets the data's shape plus one
    axis: the received shape is the data's with the Embedding's width appended.
    """
    if ctx.ev.phase not in _FIT_PHASES or received is None:
        return None
    data = ctx.data_row()
    data_shape = data_shape_of(ctx, data)
    if data is None or data_shape is None or len(data_shape) < 3 or tuple(received[:-1]) != tuple(data_shape):
        return None
    for walk in ctx.upstream(index):
        row = ctx.row(walk)
        out = row.output_shapes[0] if row.output_shapes else None
        if row.type != "Embedding" or out is None or out[-1] != received[-1]:
            continue
        input_index = ctx.input_row()
        declared = input_shape_of(ctx, input_index)
        per = tuple(data_shape[1:])
        cause = (f"{ctx.table.rows[data].name} {shape_text(data_shape)} holds vectors already ({per[-1]} values per "
                 f"token), but {ctx.name(walk)} (Embedding) expects token ids"
                 + (f" as the Input {shape_text(declared)} declares" if declared is not None else "")
                 + f": it turned every value into a {out[-1]}-vector, so {ctx.name(index)} gets "
                 f"{shape_text(received)}.")
        after = ctx.name(index) if ctx.previous_layer(index) == walk else "the layers after it"
        fixes = [f"Feed the vectors directly and remove {ctx.name(walk)}: `keras.Input(shape={shape_text(per)})` "
                 f"straight into {after}.",
                 f"Or keep the Embedding and feed it the integer token ids, {shape_text(declared)} per batch."
                 if declared is not None else "Or keep the Embedding and feed it integer token ids."]
        verdict = ctx.verdict(data, cause, fixes, suspect=walk)
        ctx.mark(verdict, data, ((), (((len(data_shape) - 1),),)))
        return verdict
    return None


def input_spec(ctx: Context, facts: InputSpecFacts) -> Verdict | None:
    """``Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2``."""
    name = facts.layer
    position = facts.index
    named = ctx.layer_named(name)
    received = facts.received
    check = facts.check
    if ctx.ev.phase in _FIT_PHASES and _model_level(ctx, name, named):
        return _missing_time_axis(ctx, position, received, facts.expected) \
            or data_verdict(ctx, position, received, facts.expected)
    index = named if named is not None else ctx.failing()
    if index is None:
        return None
    row = ctx.row(index)
    if received is None and row.input_shapes:
        received = row.input_shapes[0]
    what = f"{ctx.name(index)} ({row.type})"
    fixes: list[str] = []
    suspect: int | None = None
    data = ctx.data_row_for(0, None)

    if check in ("ndim", "min_ndim", "max_ndim"):
        expected_ndim, found_ndim = int(facts.expected_ndim or 0), int(facts.found_ndim or 0)
        if found_ndim == expected_ndim + 1:
            embedded = _embedded_vectors(ctx, index, received)
            if embedded is not None:
                return embedded
        marks = all_axes(received)
        relation = {"ndim": "", "min_ndim": "at least ", "max_ndim": "at most "}[str(check)]
        meaning = _RANK_MEANING.get(expected_ndim, "")
        cause = (f"{what} expects {relation}{expected_ndim}-D input {meaning}, but got {shape_text(received)}, "
                 f"a {found_ndim}-D tensor.").replace("  ", " ")
        data_problem = _layer_input_fix(ctx, index, received, expected_ndim)
        declared = _declared_input(ctx, index, received) if data_problem is None and received is not None else None
        declared_fix = _declared_fix(ctx, index, declared, received, expected_ndim) \
            if declared is not None and received is not None else None
        if declared_fix is None and data_problem is None and row.type == "TimeDistributed":
            declared_fix = _time_distributed_fix(ctx, index, received)
        if data_problem is not None:
            cause += " " + data_problem.sentence
            fixes += data_problem.fixes
            suspect = data if not data_problem.input_is_wrong else ctx.input_row()
        elif row.type.startswith("Global") and row.type.endswith("2D") and found_ndim == 3:
            fixes.append(f"This is a 2-D (image) layer on a sequence: use "
                         f"`keras.layers.{row.type.replace('2D', '1D')}()` instead.")
        elif declared_fix is not None:
            why, more, suspect = declared_fix
            cause += " " + why
            fixes += more
        elif (row.type in _SEQUENCE_CONSUMERS or row.type == "TimeDistributed") and found_ndim == expected_ndim - 1:
            more, suspect, why = _sequence_fix(ctx, index, found_ndim, received)
            fixes += more
            if why:
                cause += f" The likely culprit: {why}."
        else:
            more, suspect, why = _rank_reducer_fix(ctx, index)
            if more:
                fixes += more
                cause += f" The likely culprit: {why}."
        if not fixes and received is not None:
            provenance = _rank_provenance(ctx, index, received, expected_ndim)
            if provenance is not None:
                why, more, suspect = provenance
                cause += " " + why
                fixes += more
        if not fixes:
            fixes.append(f"Give {ctx.name(index)} a {expected_ndim}-D input {meaning}, e.g. with "
                         f"`keras.layers.Reshape(...)` before it.".replace("  ", " "))
        return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: ((marks,), ())},
                       received={index: (received,)} if received is not None else {})

    if check == "axis":
        axis, value = int(facts.axis or 0), int(facts.expected_value or 0)
        got = received[axis] if received is not None and -len(received) <= axis < len(received) else None
        marks = ((axis % len(received)),) if received else ()
        cause = (f"{what} expects axis {axis} of its input to have size {value}, but got {shape_text(received)} "
                 f"(size {got}).")
        data_shape = data_shape_of(ctx, data)
        expected_input = input_shape_of(ctx, ctx.input_row())
        mismatch = None
        data_at_fault = False
        if ctx.ev.phase in _FIT_PHASES and data_shape is not None and expected_input is not None \
                and tuple(data_shape[1:]) != tuple(expected_input[1:]):
            mismatch = describe_mismatch(data_shape, expected_input, is_dataset(ctx), backend=ctx.ev.backend)
        if received is not None and len(received) == 4 and received[1] == value and axis in (-1, 3):
            cause += " The data looks channels-first."
            fixes.append("Move the channels last: `x = np.transpose(x, (0, 2, 3, 1))` (Keras uses channels_last).")
            suspect = data
        elif mismatch is not None:
            cause += (f" The data {shape_text(data_shape)} does not match the Input {shape_text(expected_input)}: "
                      f"{mismatch.sentence}")
            suspect = data
            fixes += fixes_for_the_data(ctx, mismatch, expected_input)
            data_at_fault = True
        if data_at_fault and mismatch is not None and data is not None and data_shape is not None:
            # the data does not fit the Input: the data row is the one to fix; the layer shows where it surfaced
            verdict = ctx.verdict(data, cause, fixes, suspect=ctx.input_row() if mismatch.input_is_wrong else index,
                                  marks={index: ((marks,), ())},
                                  received={index: (received,)} if received is not None else {})
            diff = differing_axes(expected_input, data_shape, skip=(0,)) or all_axes(data_shape)
            ctx.mark(verdict, data, ((), (diff,)))
            return verdict
        if not fixes:  # data that never fitted the model (``model(x)`` on it), failing only here
            fault = data_fault(ctx, index)
            if fault is not None:
                return fault
        if not fixes and ctx.ev.phase not in _FIT_PHASES:
            nested = _nested_model_input(ctx, index, value, got)
            if nested is not None:
                return nested
        if not fixes:
            previous = ctx.previous_layer(index)
            if row.type == "Dense" and previous is not None:
                fixes.append(f"The layer was built for {value} features; rebuild the model after changing "
                             f"{ctx.name(previous)}, or add `keras.layers.Flatten()` / a Dense projection before "
                             f"{ctx.name(index)}.")
            else:
                fixes.append(f"Make axis {axis} of the input {value}, e.g. `keras.layers.Dense({value})` or a Conv "
                             f"with {value} filters before {ctx.name(index)}.")
        return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: ((marks,), ())},
                       received={index: (received,)} if received is not None else {})

    if check == "shape":
        expected = facts.expected
        diff = differing_axes(expected, received)
        marks = diff or all_axes(received)
        cause = f"{what} expects input of shape {shape_text(expected)}, but got {shape_text(received)}."
        against = _declared_against_data(ctx, index, expected, received)
        mismatch = describe_mismatch(received, expected, backend=ctx.ev.backend) if against is None else None
        if against is not None:
            why, more, suspect = against
            cause += " " + why
            fixes += more
        if mismatch is not None:
            cause += " " + mismatch.sentence
            between = _fixes_between_layers(ctx, index, received, expected, mismatch.kind)
            fixes += between if between is not None else mismatch.fixes
            if between is not None and suspect is None and ctx.previous_layer(index) != ctx.input_row():
                suspect = ctx.previous_layer(index)  # the layer that made the tensor of the wrong shape
        guessed = not fixes or (mismatch is not None and mismatch.kind == NO_RULE and not against)
        return ctx.verdict(index, cause, fixes or ["Reshape the input to the expected shape."], suspect=suspect,
                           marks={index: ((marks,), ())}, received={index: (received,)} if received is not None
                           else {}, generic=guessed)
    return ctx.verdict(index, f"{what} cannot take its input: {ctx.parsed.core.splitlines()[0][:MAX_QUOTED_CHARS]}",
                       ["Check the shape that reaches this layer against the layer's expectations."], generic=True)


def _tensor_argument(statement: str) -> tuple[str, str] | None:
    """``("discriminator", "generated_image")`` from ``validity = discriminator(generated_image)``."""
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1 \
                and isinstance(node.args[0], ast.Name) and not node.keywords:
            return node.func.id, node.args[0].id
    return None


def _fixes_between_layers(ctx: Context, index: int, received: Shape | None, expected: Shape | None,
                          kind: str) -> list[str] | None:
    """A model or layer called on another layer's symbolic output (not on data): the fixes are layers.

    ``discriminator(generated_image)`` with 128x128 images for a 96x96 model wants a ``Resizing`` layer on
    the tensor, or a producer that makes the right size; never a NumPy edit of a tensor that holds no data.
    """
    if received is None or expected is None or received[:1] != (None,) or ctx.table.indices("data") \
            or ctx.ev.phase in _FIT_PHASES:
        return None
    called = _tensor_argument(ctx.ev.statement)
    callee, tensor = called if called is not None else (ctx.name(index), "x")
    got, per = received[1:], expected[1:]
    producer = ctx.previous_layer(index)
    source = ctx.name(producer) if producer is not None else "the layer before it"
    layer = {
        "image size": lambda: f"keras.layers.Resizing({per[0]}, {per[1]})",
        "layout": lambda: f"keras.layers.Reshape({shape_text(per)})",
        "channels": lambda: f"keras.layers.Conv2D({per[-1]}, 1)",
        "features": lambda: f"keras.layers.Dense({per[-1]})",
    }.get(kind)
    fixes: list[str] = []
    if layer is not None:
        fixes.append(f"Adapt the tensor between them: `{tensor} = {layer()}({tensor})` before calling {callee} "
                     f"({shape_text(received)} -> {shape_text(expected)}).")
    fixes.append(f"{'Or make' if fixes else 'Make'} {source} output {shape_text(expected)} (it outputs "
                 f"{shape_text(received)}), or build {callee} for {shape_text(received)} inputs: "
                 f"`keras.Input(shape={shape_text(got) if len(got) != 1 else f'({got[0]},)'})`.")
    return fixes


def functional_input(ctx: Context, facts: FunctionalInputFacts) -> Verdict | None:
    """Keras 3: ``Invalid input shape for input ... Expected shape (None, 28), but input has ... (50, 28, 28)``."""
    input_name = facts.input
    position = 0
    named = ctx.layer_named(input_name) if input_name else None
    if named is not None and named in ctx.table.model_input_rows:
        position = ctx.table.model_input_rows.index(named)
    return _missing_time_axis(ctx, position, facts.received, facts.expected) \
        or data_verdict(ctx, position, facts.received, facts.expected)


def missing_key(ctx: Context, facts: MissingKeyFacts) -> Verdict | None:
    """``Missing data for input "body". You passed a data dictionary with keys ['title']``."""
    missing = facts.input
    inputs = ctx.table.model_input_rows
    names = [ctx.table.rows[i].name for i in inputs]
    data = ctx.table.indices("data")
    index = data[0] if data else (inputs[0] if inputs else None)
    if index is None:
        return None
    suspect = ctx.layer_named(missing)
    given = ", ".join(ctx.table.rows[i].name for i in data) or "a dictionary"
    cause = (f"The model has {len(names) or '?'} inputs ({', '.join(names)}) but the data dictionary has no entry "
             f"for '{missing}' (given: {given}).")
    fixes = ["Give every Input its array, by name: `model.fit({" + ", ".join(f"{n!r}: x_{n}" for n in names)
             + "}, y)`."]
    return ctx.verdict(index, cause, fixes, suspect=suspect)


def input_count(ctx: Context, facts: InputCountFacts) -> Verdict | None:
    """``Layer "two_inputs" expects 2 input(s), but it received 1 input tensors``."""
    expected, received = facts.expected, facts.received
    inputs = ctx.table.model_input_rows
    names = [ctx.table.rows[i].name for i in inputs]
    data = ctx.table.indices("data")
    index = data[0] if data else (inputs[0] if inputs else ctx.failing())
    if index is None:
        return None
    missing = inputs[received] if received < len(inputs) else None
    model_name = facts.layer or "the model"
    given = ", ".join(ctx.table.rows[i].output_shape for i in data) if data else f"{received} tensor(s)"
    cause = (f"'{model_name}' has {expected} inputs ({', '.join(names) or '?'}) but received {received}: {given}.")
    if missing is not None:
        cause += f" Nothing feeds {ctx.name(missing)}."
    fixes = []
    if names:
        fixes.append("Pass one array per input, in order: `model.fit([" + ", ".join(f"x_{n}" for n in names)
                     + "], y)`.")
        fixes.append("Or by name: `model.fit({" + ", ".join(f"{n!r}: x_{n}" for n in names) + "}, y)`.")
    return ctx.verdict(index, cause, fixes or ["Pass one array per model input."], suspect=missing)


def cardinality(ctx: Context, facts: CardinalityFacts) -> Verdict | None:
    """``Data cardinality is ambiguous ... x sizes: 28, y sizes: 10``."""
    x_sizes, y_sizes = facts.x_sizes, facts.y_sizes
    data = ctx.data_row()
    target = ctx.target_row()
    index = data if data is not None else target
    if index is None:
        return None
    x_shape = data_shape_of(ctx, data)
    y_shape = ctx.row(target).input_shapes[0] if target is not None and ctx.row(target).input_shapes else None
    cause = (f"x has {', '.join(map(str, x_sizes)) or '?'} samples but y has {', '.join(map(str, y_sizes)) or '?'}: "
             "the first axis of every array must count the same samples.")
    fixes: list[str] = []
    expected = input_shape_of(ctx, ctx.input_row())
    suspect = None
    fits = x_shape is not None and expected is not None and len(x_shape) < len(expected)
    mismatch = describe_mismatch(x_shape, expected, backend=ctx.ev.backend) if fits else None
    if mismatch is not None:
        cause += " " + mismatch.sentence
        fixes += mismatch.fixes
        if y_shape is not None and len(y_shape) == 1:
            fixes.append("And give y its batch axis too: `y = y[np.newaxis]`.")
    else:
        odd = _odd_sample_count(ctx)
        if odd is not None:
            index, count, majority, like = odd
            row = ctx.row(index)
            output = _output_fed_by(ctx, row.name)
            feeds = f" (the targets of {ctx.name(output)})" if output is not None else ""
            cause = (f"{row.name}{feeds} has {count} entries but every other array has {majority}: x and y must hold "
                     "one entry per sample, the same number of samples in each array.")
            fixes.append(f"Give {row.name} one entry per sample, {majority} of them like `{like}`: build it with "
                         f"`len({like})` (it has {count}, perhaps a batch size or a slice).")
            suspect = output
            marks = {index: (((0,),), ()) if row.kind == "target" else ((), ((0,),))}
            return ctx.verdict(index, cause, fixes, suspect=suspect, marks=marks)
        fixes.append(f"Take x and y from the same samples (same split, same filtering) so that `len(x) == len(y)`: "
                     f"x has {', '.join(map(str, x_sizes)) or '?'} rows and y {', '.join(map(str, y_sizes)) or '?'}.")
        suspect = target
    return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: ((), ((0,),))} if x_shape else {})


def _odd_sample_count(ctx: Context) -> tuple[int, int, int, str] | None:
    """The one data / target row whose number of samples differs from all the others: (row, its count, theirs,
    the name of an array that has theirs)."""
    counts: list[tuple[int, int]] = []
    for i, row in enumerate(ctx.table.rows):
        shapes = row.output_shapes if row.kind == "data" else row.input_shapes if row.kind == "target" else ()
        if row.kind in ("data", "target") and shapes and shapes[0] and shapes[0][0] is not None:
            counts.append((i, shapes[0][0]))
    values = [n for _, n in counts]
    odd = [(i, n) for i, n in counts if values.count(n) == 1]
    if len(counts) < 3 or len(odd) != 1:
        return None
    index, count = odd[0]
    majority = next(n for n in values if n != count)
    like = next(ctx.row(i).name for i, n in counts if n == majority)
    return index, count, majority, like


def _output_fed_by(ctx: Context, target_name: str) -> int | None:
    """The model output row a target row (``y[1]``, ``y['out']``) is for."""
    outputs = ctx.table.model_output_rows
    inner = target_name[2:-1] if target_name.startswith("y[") and target_name.endswith("]") else None
    if inner is None:
        return None
    if inner.isdigit():
        return outputs[int(inner)] if int(inner) < len(outputs) else None
    return ctx.layer_named(inner.strip("'\""))


def _input_spec_detail(core: str, facts: InputSpecFacts) -> InputSpecFacts:
    """Which check of the InputSpec failed, with its numbers."""
    detail = facts.detail
    changes: dict[str, object] = {}
    found = re.search(r"expected (?P<kind>ndim|min_ndim|max_ndim)=(?P<expected>\d+), found ndim=(?P<found>\d+)", detail)
    if found:
        changes.update(check=found.group("kind"), expected_ndim=int(found.group("expected")),
                       found_ndim=int(found.group("found")))
    found = re.search(r"expected axis (?P<axis>-?\d+) of input shape to have value (?P<value>\d+)", detail)
    if found:
        changes.update(check="axis", axis=int(found.group("axis")), expected_value=int(found.group("value")))
    found = re.search(r"expected shape=(?P<expected>" + SHAPE_PATTERN + r"), found shape=(?P<found>"
                      + SHAPE_PATTERN + ")", detail)
    if found:
        changes.update(check="shape", expected=parse_shape(found.group("expected")),
                       received=parse_shape(found.group("found")))
    found = re.search(r"(?:Full shape received|but received input with shape):? ?(?P<received>" + SHAPE_PATTERN
                      + ")", detail)
    if found:
        changes.update(received=parse_shape(found.group("received")))
    return replace(facts, **changes)  # type: ignore[arg-type]


def _sample_counts(core: str, facts: CardinalityFacts) -> CardinalityFacts:
    counts = {}
    for key in ("x", "y"):
        found = re.search(rf"'?{key}'? sizes: ([\d, ]{{1,2000}})", core)
        counts[key] = tuple(int(v) for v in re.findall(r"\d+", found.group(1))) if found else ()
    return replace(facts, x_sizes=counts["x"], y_sizes=counts["y"])


FAMILIES = (
    Family(ErrorFamily.INPUT_SPEC, input_spec, facts=InputSpecFacts, refine=_input_spec_detail, patterns=(
        compile_pattern(r"Input (?P<index>\d+) (?:with name '[^'\n]{0,300}' )?of layer [\"'](?P<layer>[^\n]{1,300}?)"
                        r"[\"'] is incompatible with the layer: (?P<detail>.*)"),
    )),
    Family(ErrorFamily.MISSING_KEY, missing_key, facts=MissingKeyFacts, patterns=(
        compile_pattern(r"Missing data for input [\"'](?P<input>[^\"'\n]{1,300})[\"']\. You passed a data dictionary "
                        r"with keys (?P<keys>\[[^\]\n]{0,2000}\])"),
    )),
    Family(ErrorFamily.INPUT_COUNT, input_count, facts=InputCountFacts, patterns=(
        compile_pattern(r"Layer [\"'](?P<layer>[^\n]{1,300}?)[\"'] expects (?P<expected>\d+) (?:named )?input\(s\)"
                        r"(?: with keys \[[^\]\n]{0,2000}\])?, but it received (?P<received>\d+) input tensors"),
    )),
    Family(ErrorFamily.FUNCTIONAL_INPUT, functional_input, facts=FunctionalInputFacts, patterns=(
        compile_pattern(r"Invalid input shape for input .{0,20000}? with name '(?P<input>[^'\n]{0,300})' and path "
                        r"'[^'\n]{0,300}'\. Expected shape (?P<expected>{SHAPE}), but input has incompatible shape "
                        r"(?P<received>{SHAPE})"),
    )),
    Family(ErrorFamily.CARDINALITY, cardinality, facts=CardinalityFacts, refine=_sample_counts, patterns=(
        compile_pattern(r"Data cardinality is ambiguous"),
    )),
)
