"""Inputs that do not fit: InputSpec checks, the model's Input, the number and size of arrays."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...limits import MAX_QUOTED_CHARS
from ...parse import SHAPE_PATTERN, Shape, parse_shape
from ...records import ErrorFamily
from .. import keras_objects as ko
from ..context import RECURRENT_LAYERS, Context, Verdict, all_axes, differing_axes, shape_text
from ..data_fit import (
    Mismatch,
    data_shape_of,
    data_verdict,
    describe_mismatch,
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


def _sequence_fix(ctx: Context, index: int, found_ndim: int) -> tuple[list[str], int | None, str]:
    """Why a recurrent / 1-D layer got a too-small tensor, and the fix (the culprit is often upstream)."""
    previous = ctx.previous_layer(index)
    prev_row = ctx.row(previous)
    row = ctx.row(index)
    if prev_row is not None and prev_row.type in RECURRENT_LAYERS \
            and not ctx.config(previous, "return_sequences", True):
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
    if expected_input is not None and tuple(data_shape[1:]) != tuple(expected_input[1:]) \
            and expected_input[0] is None:  # an Input Keras built from the data itself tells nothing
        return describe_mismatch(data_shape, expected_input, is_dataset(ctx), samples=sample_count(ctx))
    previous = ctx.previous_layer(index)
    if previous is not None and ctx.row(previous).kind != "input":
        return None
    row = ctx.row(index)
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
                             "(for a tensor: `x = tf.expand_dims(x, -1)`)."])
        return Mismatch(f"The data {shape_text(data_shape)} is one sample: it has no batch axis.",
                        ["Add the batch axis: `x = np.expand_dims(x, 0)`."])
    return None


def input_spec(ctx: Context, facts: InputSpecFacts) -> Verdict | None:
    """``Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2``."""
    name = facts.layer
    position = facts.index
    named = ctx.layer_named(name)
    received = facts.received
    check = facts.check
    if ctx.ev.phase in _FIT_PHASES and _model_level(ctx, name, named):
        return data_verdict(ctx, position, received, facts.expected)
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
        marks = all_axes(received)
        relation = {"ndim": "", "min_ndim": "at least ", "max_ndim": "at most "}[str(check)]
        meaning = _RANK_MEANING.get(expected_ndim, "")
        cause = (f"{what} expects {relation}{expected_ndim}-D input {meaning}, but got {shape_text(received)}, "
                 f"a {found_ndim}-D tensor.").replace("  ", " ")
        data_problem = _layer_input_fix(ctx, index, received, expected_ndim)
        if data_problem is not None:
            cause += " " + data_problem.sentence
            fixes += data_problem.fixes
            suspect = data if not data_problem.input_is_wrong else ctx.input_row()
        elif row.type.startswith("Global") and row.type.endswith("2D") and found_ndim == 3:
            fixes.append(f"This is a 2-D (image) layer on a sequence: use "
                         f"`keras.layers.{row.type.replace('2D', '1D')}()` instead.")
        elif (row.type in _SEQUENCE_CONSUMERS or row.type == "TimeDistributed") and found_ndim == expected_ndim - 1:
            more, suspect, why = _sequence_fix(ctx, index, found_ndim)
            fixes += more
            if why:
                cause += f" The likely culprit: {why}."
        else:
            more, suspect, why = _rank_reducer_fix(ctx, index)
            if more:
                fixes += more
                cause += f" The likely culprit: {why}."
            elif row.type in _IMAGE_CONSUMERS and found_ndim == expected_ndim - 1:
                previous = ctx.previous_layer(index)
                prev_row = ctx.row(previous)
                if prev_row is not None and prev_row.kind == "input" and received is not None:
                    suspect = previous
                    cause += " The Input declares no channel axis."
                    fixes.append(f"Declare the channel axis: `keras.Input(shape={shape_text((*received[1:], 1))})` "
                                 f"and add it to the data: `x = x[..., np.newaxis]`.")
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
        if ctx.ev.phase in _FIT_PHASES and data_shape is not None and expected_input is not None \
                and tuple(data_shape[1:]) != tuple(expected_input[1:]):
            mismatch = describe_mismatch(data_shape, expected_input, is_dataset(ctx))
        if received is not None and len(received) == 4 and received[1] == value and axis in (-1, 3):
            cause += " The data looks channels-first."
            fixes.append("Move the channels last: `x = np.transpose(x, (0, 2, 3, 1))` (Keras uses channels_last).")
            suspect = data
        elif mismatch is not None:
            cause += (f" The data {shape_text(data_shape)} does not match the Input {shape_text(expected_input)}: "
                      f"{mismatch.sentence}")
            suspect = data
            fixes += mismatch.fixes
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
        mismatch = describe_mismatch(received, expected)
        if mismatch is not None:
            cause += " " + mismatch.sentence
            fixes += mismatch.fixes
        return ctx.verdict(index, cause, fixes or ["Reshape the input to the expected shape."], suspect=suspect,
                       marks={index: ((marks,), ())}, received={index: (received,)} if received is not None else {})
    return ctx.verdict(index, f"{what} cannot take its input: {ctx.parsed.core.splitlines()[0][:MAX_QUOTED_CHARS]}",
                   ["Check the shape that reaches this layer against the layer's expectations."])


def functional_input(ctx: Context, facts: FunctionalInputFacts) -> Verdict | None:
    """Keras 3: ``Invalid input shape for input ... Expected shape (None, 28), but input has ... (50, 28, 28)``."""
    input_name = facts.input
    position = 0
    named = ctx.layer_named(input_name) if input_name else None
    if named is not None and named in ctx.table.model_input_rows:
        position = ctx.table.model_input_rows.index(named)
    return data_verdict(ctx, position, facts.received, facts.expected)


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
    mismatch = describe_mismatch(x_shape, expected) if x_shape is not None and expected is not None \
        and len(x_shape) < len(expected) else None
    if mismatch is not None:
        cause += " " + mismatch.sentence
        fixes += mismatch.fixes
        if y_shape is not None and len(y_shape) == 1:
            fixes.append("And give y its batch axis too: `y = y[np.newaxis]`.")
    else:
        fixes.append("Check that x and y come from the same samples (same split, same filtering); "
                     "`len(x) == len(y)` must hold.")
        suspect = target
    return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: ((), ((0,),))} if x_shape else {})


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
        compile_pattern(r"Invalid input shape for input [^\n]{0,2000}? with name '(?P<input>[^'\n]{0,300})' and path "
                        r"'[^'\n]{0,300}'\. Expected shape (?P<expected>{SHAPE}), but input has incompatible shape "
                        r"(?P<received>{SHAPE})"),
    )),
    Family(ErrorFamily.CARDINALITY, cardinality, facts=CardinalityFacts, refine=_sample_counts, patterns=(
        compile_pattern(r"Data cardinality is ambiguous"),
    )),
)
