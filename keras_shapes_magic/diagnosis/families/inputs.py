"""Inputs that do not fit: InputSpec checks, the model's Input, the number and size of arrays."""

from __future__ import annotations

import math

from ...parse import Shape
from .. import keras_objects as ko
from ..context import Context, Verdict, all_axes, differing_axes, shape_text

_RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D")
_SEQUENCE_CONSUMERS = _RECURRENT + ("Conv1D", "MaxPooling1D", "AveragePooling1D", "GlobalAveragePooling1D",
                                    "GlobalMaxPooling1D", "Conv1DTranspose", "SeparableConv1D")
_IMAGE_CONSUMERS = ("Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D",
                    "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D", "UpSampling2D", "ZeroPadding2D",
                    "Cropping2D")
_RANK_MEANING = {2: "(batch, features)", 3: "(batch, timesteps, features)", 4: "(batch, height, width, channels)",
                 5: "(batch, time/depth, height, width, channels)"}


def _named_row(ctx: Context, name: str | None) -> int | None:
    """The row the message names; a model's name means its Input."""
    index = ctx.layer_named(name)
    if index is not None:
        return index
    model = ctx.ev.model
    if name and model is not None and ko.safe_name(model) == name:
        return ctx.input_row(int(ctx.shapes.get("index", 0) or 0))
    return None


def _data_shape(ctx: Context, index: int | None) -> Shape | None:
    if index is None:
        return None
    shapes = ctx.table.rows[index].output_shapes
    return shapes[0] if shapes else None


def _input_shape_of(ctx: Context, index: int | None) -> Shape | None:
    row = ctx.row(index)
    if row is None:
        return None
    if row.kind == "input" and row.output_shapes:
        return row.output_shapes[0]
    return row.input_shapes[0] if row.input_shapes else None


def _data_fix(data: Shape | None, expected: Shape | None, var: str = "x") -> list[str]:
    """Concrete code that makes ``data`` fit ``expected`` (batch axis first in both)."""
    if data is None or expected is None:
        return []
    fixes: list[str] = []
    per_sample = expected[1:]
    if len(data) == len(expected) - 1 and tuple(data) == tuple(per_sample):
        fixes.append(f"This is one sample without the batch axis: `{var} = np.expand_dims({var}, 0)` "
                     f"-> {shape_text((1, *data))}.")
    elif len(data) == len(expected) - 1 and per_sample and per_sample[-1] == 1 and data[1:] == per_sample[:-1]:
        fixes.append(f"Add the missing channel axis: `{var} = {var}[..., np.newaxis]` -> {shape_text((*data, 1))}.")
    elif len(data) == len(expected) - 2 and per_sample[-1] == 1 and tuple(data) == tuple(per_sample[:-1]):
        fixes.append(f"Add the batch and channel axes: `{var} = {var}[np.newaxis, ..., np.newaxis]`.")
    elif len(data) == len(expected) and len(data) == 4 and data[1] == expected[3] and data[2:] == expected[1:3]:
        fixes.append(f"The data is channels-first; move the channels last: "
                     f"`{var} = np.transpose({var}, (0, 2, 3, 1))`.")
    elif None not in per_sample and None not in data[1:] and math.prod(data[1:]) == math.prod(per_sample):  # type: ignore[arg-type]
        target = ", ".join(str(d) for d in per_sample)
        fixes.append(f"Same number of values per sample, other layout: `{var} = {var}.reshape(-1, {target})`.")
    elif len(data) == len(expected) and data[1:] != per_sample and len(data) == 4:
        fixes.append(f"Resize the images to {per_sample[0]}x{per_sample[1]}: "
                     f"`{var} = tf.image.resize({var}, ({per_sample[0]}, {per_sample[1]}))`, "
                     f"or build the model for {data[1]}x{data[2]} inputs.")
    return fixes


def _batch_included(expected: Shape | None, data: Shape | None) -> bool:
    """``input_shape=(100, 8)`` for data ``(N, 8)``: the batch size was put into the Input."""
    return (expected is not None and data is not None and len(expected) == len(data) + 1
            and len(expected) >= 3 and tuple(expected[2:]) == tuple(data[1:]))


def _sequence_fix(ctx: Context, index: int, found_ndim: int) -> tuple[list[str], int | None, str]:
    """Why a recurrent / 1-D layer got a 2-D tensor, and the fix (the culprit is often upstream)."""
    previous = ctx.previous_layer(index)
    prev_row = ctx.row(previous)
    row = ctx.row(index)
    if prev_row is not None and prev_row.type in _RECURRENT and not ctx.config(previous, "return_sequences", True):
        units = ctx.config(previous, "units", "...")
        return ([f"Return the whole sequence from {ctx.name(previous)}: "
                 f"`keras.layers.{prev_row.type}({units}, return_sequences=True)`."], previous,
                f"{ctx.name(previous)} returns only its last step (return_sequences=False)")
    if prev_row is not None and prev_row.kind == "input":
        shape = prev_row.output_shapes[0] if prev_row.output_shapes else None
        feat = shape[-1] if shape else "features"
        return ([f"Give the Input a time axis: `keras.Input(shape=({feat}, 1))` and `x = x[..., np.newaxis]`, "
                 f"or declare `keras.Input(shape=(timesteps, features))`."], previous,
                f"the Input {ctx.name(previous)} declares no time axis")
    if prev_row is not None:
        return ([f"Insert `keras.layers.Reshape((timesteps, features))` before {ctx.name(index)}, or drop the layer "
                 f"that flattened the sequence ({ctx.name(previous)} outputs {prev_row.output_shape})."], previous,
                f"{ctx.name(previous)} ({prev_row.type}) outputs a {found_ndim}-D tensor")
    return ([f"Feed {row.type} a 3-D tensor (batch, timesteps, features)."], None, "")


def input_spec(ctx: Context) -> Verdict | None:
    """``Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2``."""
    s = ctx.shapes
    named = _named_row(ctx, str(s.get("layer", "")))
    index = named if named is not None else ctx.failing()
    if index is None:
        return None
    row = ctx.row(index)
    received: Shape | None = s.get("received")  # type: ignore[assignment]
    if received is None and row.input_shapes:
        received = row.input_shapes[0]
    check = s.get("check")
    data = ctx.data_row()
    data_shape = _data_shape(ctx, data)
    fixes: list[str] = []
    suspect: int | None = None
    marks: tuple[int, ...] = ()
    what = f"{ctx.name(index)} ({row.type})"

    if check in ("ndim", "min_ndim", "max_ndim"):
        expected_ndim, found_ndim = int(s["expected_ndim"]), int(s["found_ndim"])
        marks = all_axes(received)
        relation = {"ndim": "", "min_ndim": "at least ", "max_ndim": "at most "}[str(check)]
        meaning = _RANK_MEANING.get(expected_ndim, "")
        cause = (f"{what} expects {relation}{expected_ndim}-D input {meaning}, but got {shape_text(received)}, "
                 f"a {found_ndim}-D tensor.").replace("  ", " ")
        if row.type.endswith("2D") and row.type.startswith("Global") and found_ndim == 3:
            fixes.append(f"This is a 2-D (image) layer on a sequence: use "
                         f"`keras.layers.{row.type.replace('2D', '1D')}()` instead.")
        elif (row.type in _SEQUENCE_CONSUMERS or row.type == "TimeDistributed") and found_ndim == expected_ndim - 1:
            more, suspect, why = _sequence_fix(ctx, index, found_ndim)
            fixes += more
            if why:
                cause += f" The likely culprit: {why}."
        elif row.type in _IMAGE_CONSUMERS and found_ndim == expected_ndim - 1:
            previous = ctx.previous_layer(index)
            prev_row = ctx.row(previous)
            if prev_row is not None and prev_row.kind == "input" and received is not None:
                suspect = previous
                cause += " The Input declares no channel axis."
                fixes.append(f"Declare the channel axis: `keras.Input(shape={shape_text(received[1:] + (1,))})` "
                             f"and add it to the data: `x = x[..., np.newaxis]`.")
            else:
                fixes.append(f"Reshape to (height, width, channels) before {ctx.name(index)}: "
                             f"`keras.layers.Reshape((height, width, channels))`.")
        if data_shape is not None and ctx.ev.phase in ("fit", "evaluate", "predict"):
            expected_input = _input_shape_of(ctx, ctx.input_row())
            fix = _data_fix(data_shape, expected_input)
            if fix and expected_input is not None and len(data_shape) != len(expected_input):
                suspect = data
                fixes = fix + fixes
        if not fixes:
            fixes.append(f"Give {ctx.name(index)} a {expected_ndim}-D input, e.g. with "
                         f"`keras.layers.Reshape(...)` or `keras.layers.Flatten()` before it.")
        return Verdict(index, cause, fixes, suspect=suspect, marks={index: ((marks,), ())},
                       received={index: (received,)} if received is not None else {})

    if check == "axis":
        axis, value = int(s["axis"]), int(s["expected_value"])
        got = received[axis] if received is not None and -len(received) <= axis < len(received) else None
        marks = ((axis % len(received)),) if received else ()
        cause = (f"{what} expects axis {axis} of its input to have size {value}, but got {shape_text(received)} "
                 f"(size {got}).")
        if received is not None and len(received) == 4 and received[1] == value and axis in (-1, 3):
            cause += " The data looks channels-first."
            fixes.append("Move the channels last: `x = np.transpose(x, (0, 2, 3, 1))` (Keras uses channels_last).")
            suspect = data
        elif data_shape is not None and ctx.ev.phase in ("fit", "evaluate", "predict"):
            expected_input = _input_shape_of(ctx, ctx.input_row())
            if expected_input is not None and tuple(data_shape[1:]) != tuple(expected_input[1:]):
                cause += (f" The data {shape_text(data_shape)} does not match the Input "
                          f"{shape_text(expected_input)}, so every later shape changed.")
                suspect = data
                fixes += _data_fix(data_shape, expected_input)
        if not fixes:
            previous = ctx.previous_layer(index)
            if row.type == "Dense" and previous is not None:
                fixes.append(f"The layer was built for {value} features; rebuild the model after changing "
                             f"{ctx.name(previous)}, or add `keras.layers.Flatten()` / a Dense projection before "
                             f"{ctx.name(index)}.")
            else:
                fixes.append(f"Make axis {axis} of the input {value}, e.g. `keras.layers.Dense({value})` or a Conv "
                             f"with {value} filters before {ctx.name(index)}.")
        return Verdict(index, cause, fixes, suspect=suspect, marks={index: ((marks,), ())},
                       received={index: (received,)} if received is not None else {})

    if check == "shape":
        expected: Shape | None = s.get("expected")  # type: ignore[assignment]
        diff = differing_axes(expected, received)
        marks = diff or all_axes(received)
        cause = f"{what} expects input of shape {shape_text(expected)}, but got {shape_text(received)}."
        if _batch_included(expected, received):
            cause += " The Input's shape includes the batch size."
            fixes.append(f"Leave the batch axis out of the Input: `keras.Input(shape={shape_text(expected[2:])})`.")  # type: ignore[index]
        fixes += _data_fix(received, expected)
        if data is not None and not _batch_included(expected, received):
            suspect = data
        if not fixes:
            fixes.append(f"Reshape the data to {shape_text(expected)} or change the Input to match it.")
        return Verdict(index, cause, fixes, suspect=suspect, marks={index: ((marks,), ())},
                       received={index: (received,)} if received is not None else {})
    return Verdict(index, f"{what} cannot take its input: {ctx.parsed.core.splitlines()[0][:200]}",
                   ["Check the shape that reaches this layer against the layer's expectations."])


def functional_input(ctx: Context) -> Verdict | None:
    """Keras 3: ``Invalid input shape for input ... Expected shape (None, 28), but input has ... (50, 28, 28)``."""
    s = ctx.shapes
    input_name = str(s.get("input", ""))
    input_index = ctx.layer_named(input_name) if input_name else None
    if input_index is None:  # Keras 3 may name the KerasTensor (keras_tensor_7), not the Input layer
        input_index = ctx.input_row()
    if input_index is not None:
        input_name = ctx.table.rows[input_index].name
    expected: Shape | None = s.get("expected")  # type: ignore[assignment]
    received: Shape | None = s.get("received")  # type: ignore[assignment]
    data = ctx.data_row(input_name)
    index = data if data is not None else input_index
    if index is None:
        return None
    if data is not None and ctx.row(data).output_shapes and ctx.row(data).output_shapes[0] is not None:
        received = ctx.row(data).output_shapes[0]  # the real array, not the traced tensor
    marks = differing_axes(expected, received) or all_axes(received)
    cause = (f"The data {shape_text(received)} does not fit the Input '{input_name}', which expects "
             f"{shape_text(expected)} (the batch axis first).")
    fixes: list[str] = []
    suspect = None
    if _batch_included(expected, received):
        cause += " The Input's shape includes the batch size: Keras adds the batch axis itself."
        fixes.append(f"`keras.Input(shape={shape_text(expected[2:])})` instead of "  # type: ignore[index]
                     f"`shape={shape_text(expected[1:])}`.")  # type: ignore[index]
        suspect = input_index
    elif received is not None and expected is not None and len(received) == len(expected) - 1 \
            and tuple(received) == tuple(expected[1:]):
        cause += " It has no batch axis."
        if ctx.ev.x is not None and ko.is_dataset(ctx.ev.x):
            fixes.append("Batch the dataset: `dataset = dataset.batch(32)`.")
        else:
            fixes.append("Add the batch axis: `x = np.expand_dims(x, 0)` (or predict on `x[np.newaxis]`).")
    else:
        fixes += _data_fix(received, expected)
        if received is not None and expected is not None and len(received) > len(expected):
            per = ", ".join(str(d) for d in received[1:])
            comma = "," if len(received) == 2 else ""
            cause += (f" Each sample is {shape_text(tuple(received[1:]))} but the model takes "
                      f"{shape_text(tuple(expected[1:]))}.")
            fixes.append(f"{'Or make' if fixes else 'Make'} the model take the samples as they are: "
                         f"`keras.Input(shape=({per}{comma}))` followed by `keras.layers.Flatten()`.")
            suspect = input_index
    if not fixes:
        fixes.append(f"Reshape the data to {shape_text(expected)}, or change the Input's shape to match the data.")
    verdict = Verdict(index, cause, fixes, suspect=suspect if suspect != index else None)
    if data is not None:
        verdict.marks[index] = ((), (marks,))
    else:
        verdict.marks[index] = ((marks,), ())
        verdict.received[index] = (received,)
    return verdict


def input_count(ctx: Context) -> Verdict | None:
    """``Layer "two_inputs" expects 2 input(s), but it received 1 input tensors``."""
    s = ctx.shapes
    expected, received = int(s.get("expected", 0)), int(s.get("received", 0))
    inputs = ctx.table.model_input_rows
    names = [ctx.table.rows[i].name for i in inputs]
    data = ctx.table.indices("data")
    index = data[0] if data else (inputs[0] if inputs else ctx.failing())
    if index is None:
        return None
    missing = inputs[received] if received < len(inputs) else None
    model_name = str(s.get("layer", "the model"))
    given = ", ".join(ctx.table.rows[i].output_shape for i in data) if data else f"{received} tensor(s)"
    cause = (f"'{model_name}' has {expected} inputs ({', '.join(names) or '?'}) but received {received}: {given}.")
    if missing is not None:
        cause += f" Nothing feeds {ctx.name(missing)}."
    fixes = []
    if names:
        fixes.append("Pass one array per input, in order: `model.fit([" + ", ".join(f"x_{n}" for n in names)
                     + "], y)`.")
        fixes.append("Or by name: `model.fit({" + ", ".join(f"{n!r}: x_{n}" for n in names) + "}, y)`.")
    return Verdict(index, cause, fixes or ["Pass one array per model input."], suspect=missing)


def cardinality(ctx: Context) -> Verdict | None:
    """``Data cardinality is ambiguous ... x sizes: 28, y sizes: 10``."""
    s = ctx.shapes
    x_sizes, y_sizes = s.get("x_sizes", ()), s.get("y_sizes", ())
    data = ctx.data_row()
    target = ctx.target_row()
    index = data if data is not None else target
    if index is None:
        return None
    x_shape = _data_shape(ctx, data)
    y_shape = ctx.row(target).input_shapes[0] if target is not None and ctx.row(target).input_shapes else None
    cause = (f"x has {', '.join(map(str, x_sizes)) or '?'} samples but y has {', '.join(map(str, y_sizes)) or '?'}: "
             "the first axis of every array must count the same samples.")
    fixes = []
    expected = _input_shape_of(ctx, ctx.input_row())
    suspect = None
    if x_shape is not None and expected is not None and len(x_shape) < len(expected):
        cause += (f" x {shape_text(x_shape)} has fewer axes than the Input {shape_text(expected)}: "
                  "the batch axis is missing.")
        fixes += _data_fix(x_shape, expected)
        if y_shape is not None and len(y_shape) == 1:
            fixes.append("And give y its batch axis too: `y = y[np.newaxis]`.")
    else:
        fixes.append("Check that x and y come from the same samples (same split, same filtering); "
                     "`len(x) == len(y)` must hold.")
        suspect = target
    return Verdict(index, cause, fixes, suspect=suspect, marks={index: ((), ((0,),))} if x_shape else {})
