"""Data against the model's Input: how an array differs from what the model expects, in words and code.

Shared by the families that find data at fault (``inputs``: an Input's or a layer's input check, the
model's own input checks; any family whose layer failed deep in the model on data that never fitted
the Input: :func:`data_fault`). Not a family itself.

:func:`describe_mismatch` reasons from the two shapes only (one rule per class of mistake, first
match wins); :func:`data_verdict` adds what the evidence knows: a ``tf.data`` pipeline, fit's
validation data, a feature extractor among the user's models.
"""

from __future__ import annotations

import ast
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..limits import MAX_NAMESPACE_NAMES
from ..parse import Shape
from . import keras_objects as ko
from .context import Context, Verdict, all_axes, differing_axes, op_code, shape_text


@dataclass
class Mismatch:
    """How a data array differs from what the model's Input expects, in words and in code."""

    sentence: str
    fixes: list[str] = field(default_factory=list)
    input_is_wrong: bool = False
    #: what is wrong with the data, for callers that add fixes of their own ("image size", "features"...);
    #: NO_RULE when no rule knew how they differ (the fix is then a guess, and the report says so)
    kind: str = ""


NO_RULE = "no rule"


@dataclass(frozen=True)
class _Ask:
    """What a rule may know besides the two shapes."""

    dataset: bool = False
    var: str = "x"
    samples: int | None = None
    fixed_length: bool = False
    #: the backend the data goes to: TensorFlow ops in its fixes, or Keras's own on JAX / PyTorch
    backend: str = "tensorflow"

    def op(self, name: str) -> str:
        return op_code(name, self.backend)


def dims_text(shape: Shape) -> str:
    return ", ".join(str(d) for d in shape)


def _tuple_text(dims: Shape) -> str:
    """``(28, 28)`` / ``(8,)``: a shape as Python code."""
    return f"({dims_text(dims)}{',' if len(dims) == 1 else ''})"


def _known(*shapes: Shape) -> bool:
    return all(None not in shape for shape in shapes)


def _or(fixes: list[str], sentence: str) -> None:
    """Append an alternative: "Or ..." unless it is the first fix."""
    fixes.append(("Or " + sentence[0].lower() + sentence[1:]) if fixes else sentence)


# ----------------------------------------------------------------------------------------------- the rules
Rule = Callable[[Shape, Shape, _Ask], "Mismatch | None"]


def _one_sample(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    """One sample passed as it is: its shape is the Input's without the batch axis."""
    per = expected[1:]
    batched = ask.samples is not None and bool(data) and data[0] == ask.samples and ask.samples != 1
    if len(data) != len(expected) - 1 or data != per or batched:
        return None
    var = ask.var
    if ask.dataset:
        return Mismatch(f"The dataset's elements {shape_text(data)} have no batch axis.",
                        ["Batch the dataset: `x = x.batch(32)`."], kind="batch")
    return Mismatch(f"The data {shape_text(data)} is one sample: it has no batch axis.",
                    [f"Add the batch axis: `{var} = np.expand_dims({var}, 0)` -> {shape_text((1, *data))}."],
                    kind="batch")


def _one_image_other_size(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    """One image without the batch axis that is also of another height and width than the model's."""
    per = expected[1:]
    if len(expected) != 4 or len(data) != 3 or not _known(data, per) or data[-1] != per[-1] or data[:2] == per[:2]:
        return None
    var, (h, w) = ask.var, per[:2]
    return Mismatch(f"The data {shape_text(data)} is one image without the batch axis, and it is "
                    f"{data[0]}x{data[1]} while the model was built for {h}x{w} images.",
                    [f"Resize it and add the batch axis: `{var} = {ask.op('resize')}({var}, ({h}, {w}))"
                     f"[{ask.op('newaxis')}, ...]` -> {shape_text((1, *per))}."], kind="batch and image size")


def _no_channel_axis(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    """Batched images (or sequences) without the trailing channel axis the Input declares."""
    per = expected[1:]
    if len(expected) < 3 or len(data) != len(expected) - 1 or data[1:] != per[:-1]:
        return None
    channels, var = per[-1], ask.var
    fixes = []
    if channels == 1:
        fixes.append(f"Add the channel axis: `{var} = {var}[..., np.newaxis]` -> {shape_text((*data, 1))}.")
    else:
        fixes.append(f"Give the data {channels} channels, e.g. repeat the single one: "
                     f"`{var} = np.repeat({var}[..., np.newaxis], {channels}, axis=-1)`.")
        fixes.append(f"Or build the model for one channel: `keras.Input(shape=({dims_text(per[:-1])}, 1))` and "
                     f"`{var} = {var}[..., np.newaxis]`.")
    return Mismatch(f"The data {shape_text(data)} has no channel axis; the Input expects {shape_text(expected)} "
                    f"({channels} channel{'s' if channels != 1 else ''}).", fixes, kind="channels")


def _one_sample_no_channel(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    per = expected[1:]
    if len(expected) < 3 or len(data) != len(expected) - 2 or data != per[:-1]:
        return None
    return Mismatch(f"The data {shape_text(data)} is one sample without the batch and the channel axes.",
                    [f"Add both axes: `{ask.var} = {ask.var}[np.newaxis, ..., np.newaxis]`."], kind="batch")


def _channels_first(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    got, per = data[1:], expected[1:]
    if not (len(data) == len(expected) == 4 and data[1] == expected[3] and got[1:] == per[:2] and data[1] != data[3]):
        return None
    return Mismatch(f"The data {shape_text(data)} is channels-first (N, C, H, W); the Input expects "
                    f"channels last {shape_text(expected)}.",
                    [f"Move the channels last: `{ask.var} = np.transpose({ask.var}, (0, 2, 3, 1))`."], kind="layout")


def _input_includes_batch(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    got, per = data[1:], expected[1:]
    if not (len(expected) == len(data) + 1 and len(expected) >= 3 and per[1:] == got):
        return None
    return Mismatch(f"The Input's shape {shape_text(per)} includes the batch size ({per[0]}): Keras adds the "
                    f"batch axis itself, so the model expects {shape_text(expected)} while the data is "
                    f"{shape_text(data)}.",
                    [f"Leave the batch axis out: `keras.Input(shape={shape_text(got)})` instead of "
                     f"`shape={shape_text(per)}`."], input_is_wrong=True, kind="input")


#: per-pixel values of images whose channels a model for one value per pixel cannot take
_EXTRA_CHANNEL_WORDS = {1: "a channel axis of size 1", 2: "2 channels (luminance + alpha, PIL's 'LA' mode)",
                        3: "3 channels (RGB)", 4: "4 channels (RGBA)"}


def _extra_channel_axis(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    """Images with a channel axis into a model that takes one value per pixel (``Input((28, 28))``)."""
    got, per = data[1:], expected[1:]
    if len(data) != len(expected) + 1 or len(per) < 2 or got[:-1] != per or got[-1] not in _EXTRA_CHANNEL_WORDS:
        return None
    channels, var = got[-1], ask.var
    result = shape_text((data[0], *per))
    if channels == 1:
        fixes = [f"Drop the channel axis: `{var} = {var}[..., 0]` -> {result}."]
    elif channels == 2:
        fixes = [f"Keep the luminance channel: `{var} = {var}[..., 0]` -> {result} (or load the images with "
                 "PIL's `img.convert(\"L\")` instead of `\"LA\"`)."]
    else:
        fixes = [f"Convert to grayscale: `{var} = {ask.op('rgb_to_grayscale')}({var}[..., :3])[..., 0]` -> {result} "
                 "(or load the images with PIL's `img.convert(\"L\")`)."]
    fixes.append(f"Or build the model for {channels}-channel images: `keras.Input(shape={_tuple_text(got)})`.")
    return Mismatch(f"The images have {_EXTRA_CHANNEL_WORDS[channels]} per pixel, but the model was built for one "
                    f"value per pixel {shape_text(expected)}.", fixes, kind="channels")


def _same_values_other_layout(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    got, per = data[1:], expected[1:]
    if not _known(got, per) or len(got) == len(per) or math.prod(got) != math.prod(per):  # type: ignore[arg-type]
        return None
    layout = "flattened" if len(got) < len(per) else "of another layout"
    return Mismatch(f"The data {shape_text(data)} has the same {math.prod(got)} values per sample as the Input "  # type: ignore[arg-type]
                    f"{shape_text(expected)}, but {layout}.",
                    [f"Reshape the data: `{ask.var} = {ask.var}.reshape(-1, {dims_text(per)})`."], kind="layout")


def _channel_count(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    got, per = data[1:], expected[1:]
    if not (len(data) == len(expected) == 4 and got[:2] == per[:2] and got[-1] != per[-1]):
        return None
    have, want, var = got[-1], per[-1], ask.var
    fixes: list[str] = []
    sentence = f"The images have {have} channel{'s' if have != 1 else ''}; the model expects {want}."
    if have == 1:
        fixes.append(f"Repeat the single channel: `{var} = np.repeat({var}, {want}, axis=-1)`.")
    elif have == 4 and want == 3:
        sentence = f"The images have 4 channels (RGBA: an alpha channel); the model expects {want} (RGB)."
        fixes.append(f"Drop the alpha channel: `{var} = {var}[..., :3]` (or load the image with PIL's "
                     "`img.convert(\"RGB\")`).")
    elif have in (3, 4) and want == 1:
        rgb = var if have == 3 else f"{var}[..., :3]"
        fixes.append(f"Convert to grayscale: `{var} = {ask.op('rgb_to_grayscale')}({rgb})`.")
    elif have == 2 and want == 1:
        sentence = f"The images have 2 channels (luminance + alpha, PIL's 'LA' mode); the model expects {want}."
        fixes.append(f"Keep the luminance channel: `{var} = {var}[..., :1]` (or load the images with PIL's "
                     "`img.convert(\"L\")`).")
    elif have == 2 and want == 3:
        sentence = f"The images have 2 channels (luminance + alpha, PIL's 'LA' mode); the model expects {want}."
        fixes.append(f"Repeat the luminance channel: `{var} = np.repeat({var}[..., :1], 3, axis=-1)` (or load "
                     "the images with PIL's `img.convert(\"RGB\")`).")
    _or(fixes, f"Build the model for {have}-channel images: `keras.Input(shape=({dims_text(got)}))`.")
    return Mismatch(sentence, fixes, kind="channels")


def _image_size(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    got, per = data[1:], expected[1:]
    if not (len(data) == len(expected) == 4 and got[-1] == per[-1] and got[:2] != per[:2]):
        return None
    var, (h, w) = ask.var, per[:2]
    if ask.dataset:
        fixes = [f"Resize the images in the pipeline: `{var} = {var}.map(lambda image, label: "
                 f"(tf.image.resize(image, ({h}, {w})), label))`."]
    else:
        fixes = [f"Resize the images: `{var} = {ask.op('resize')}({var}, ({h}, {w}))`."]
    fixes.append(f"Or resize inside the model: make `keras.layers.Resizing({h}, {w})` its first layer "
                 f"(after `keras.Input(shape=(None, None, {per[-1]}))`).")
    fixes.append(f"Or build the model for {got[0]}x{got[1]} inputs: `keras.Input(shape=({dims_text(got)}))`.")
    return Mismatch(f"The images are {got[0]}x{got[1]} but the model was built for {h}x{w}.", fixes,
                    kind="image size")


def _sequence_length(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    """Sequences of another number of time steps than the Input declares (same features per step)."""
    got, per = data[1:], expected[1:]
    if not (len(data) == len(expected) == 3 and _known(got, per) and got[-1] == per[-1] and got[0] != per[0]):
        return None
    steps, features, var = per[0], per[-1], ask.var
    variable = (f"Let the model take sequences of any length: `keras.Input(shape=(None, {features}))` (or "
                f"`input_shape=(None, {features})` on the first layer).")
    cut = "pad or cut" if got[0] < steps else "cut or pad"
    same = (f"Bring the sequences to {steps} time steps ({cut}): `{var} = keras.utils.pad_sequences({var}, "
            f"maxlen={steps}, dtype=\"float32\", padding=\"post\", truncating=\"post\")`.")
    fixes: list[str] = []
    for fix in ((same, variable) if ask.fixed_length else (variable, same)):
        _or(fixes, fix)
    return Mismatch(f"The sequences have {got[0]} time steps but the model was built for {steps} time steps.",
                    fixes, kind="time steps")


def _features_per_step(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    """Sequences with another number of features per time step than the model was built (and trained) for."""
    got, per = data[1:], expected[1:]
    if not (len(data) == len(expected) == 3 and _known(got, per) and got[0] == per[0] and got[-1] != per[-1]):
        return None
    have, want, var = got[-1], per[-1], ask.var
    fixes: list[str] = []
    if have > want:
        fixes.append(f"Build this data from the same {want} features (columns) as the training data; if they are its "
                     f"first {want}: `{var} = {var}[:, :, :{want}]` -> {shape_text((data[0], got[0], want))}.")
        _or(fixes, f"If all {have} are real features, rebuild and retrain the model with "
                   f"`keras.Input(shape=({got[0]}, {have}))`.")
    else:
        fixes.append(f"Build this data from the same {want} features (columns) as the training data (the same "
                     f"preprocessing), or rebuild and retrain the model on these {have}: "
                     f"`keras.Input(shape=({got[0]}, {have}))`.")
    return Mismatch(f"The data has {have} features (columns) per time step; the model was built for {want}.",
                    fixes, kind="features")


#: extra columns that are likely an index, an id or the target left in the features (more: other features)
_FEW_EXTRA_COLUMNS = 2


def _feature_count(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    got, per = data[1:], expected[1:]
    if not len(data) == len(expected) == 2:
        return None
    var = ask.var
    if got[0] is not None and per[0] is not None and got[0] > per[0]:
        extra = got[0] - per[0]
        drop = (f"Drop the extra column{'s' if extra > 1 else ''}, e.g. a leading index column: `{var} = "
                f"{var}[:, {extra}:]` (pandas: `{var} = df.drop(columns=[...]).to_numpy()`, or "
                "`pd.read_csv(..., index_col=0)`).")
        rebuild = (f"If all {got[0]} are real features, rebuild the model with `keras.Input(shape=({got[0]},))` "
                   "(and any Normalization adapted on them).")
        if extra <= _FEW_EXTRA_COLUMNS:  # one or two: an index, an id or the target left among the features
            return Mismatch(f"The data has {got[0]} features per sample, {extra} more than the {per[0]} the Input "
                            f"expects: {'an extra column' if extra == 1 else 'extra columns'} (an index, an id or "
                            "the target left among the features?).", [drop, rebuild], kind="features")
        # many more: the data carries features the model was not built for; dropping them is the user's call
        return Mismatch(f"The data has {got[0]} features per sample, {extra} more than the {per[0]} the Input "
                        "expects: the model was built for another set of columns.",
                        [rebuild,
                         f"Or pass only the {per[0]} columns the model was built for (`{var}[:, :{per[0]}]` if they "
                         "come first)."], kind="features")
    return Mismatch(f"The data has {got[0]} features per sample; the Input expects {per[0]}.",
                    [f"Pass the {per[0]} columns the model was built for (a column was dropped or lost?), or "
                     f"rebuild it with `keras.Input(shape=({got[0]},))`."], kind="features")


def _more_axes(data: Shape, expected: Shape, ask: _Ask) -> Mismatch | None:
    got, per = data[1:], expected[1:]
    if len(data) <= len(expected):
        return None
    image = len(got) == 3 and got[-1] in (1, 2, 3, 4)
    what = f"an image {shape_text(got)}" if image else shape_text(got)
    takes = (f"a vector of {per[0]} features" if len(per) == 1 and image else shape_text(per))
    return Mismatch(f"Each sample is {what} but the model takes {takes}.",
                    [f"Make the model take the samples as they are: `keras.Input(shape={_tuple_text(got)})` "
                     "followed by `keras.layers.Flatten()`."], input_is_wrong=True,
                    kind="images into features" if image and len(per) == 1 else "rank")


#: the first rule that recognises the two shapes explains them
_RULES: tuple[Rule, ...] = (
    _one_sample, _one_image_other_size, _no_channel_axis, _one_sample_no_channel, _channels_first,
    _input_includes_batch, _extra_channel_axis, _same_values_other_layout, _channel_count, _image_size,
    _sequence_length, _features_per_step, _feature_count, _more_axes,
)


def describe_mismatch(data: Shape | None, expected: Shape | None, dataset: bool = False, var: str = "x",
                      samples: int | None = None, fixed_length: bool = False,
                      backend: str = "tensorflow") -> Mismatch | None:
    """Why ``data`` (batch axis first) does not fit ``expected`` (an Input's shape, batch axis first).

    ``samples`` is the number of targets, when known: data with as many rows is a batch, not one sample.
    ``fixed_length``: a layer of the model needs a fixed number of time steps (Flatten, Reshape), so a
    variable-length Input is not the first fix for sequences of another length.
    """
    if data is None or expected is None or not expected:
        return None
    data, expected = tuple(data), tuple(expected)
    ask = _Ask(dataset, var, samples, fixed_length, backend)
    for rule in _RULES:
        found = rule(data, expected, ask)
        if found is not None:
            return found
    return Mismatch(f"The data {shape_text(data)} does not fit the Input {shape_text(expected)}.",
                    [f"Reshape the data to {shape_text(expected)}, or change the Input's shape to match the data."],
                    kind=NO_RULE)


# ----------------------------------------------------------------------------------------------- the evidence
def sample_count(ctx: Context) -> int | None:
    """How many targets the user passed (the number of samples), if known."""
    target = ctx.target_row()
    row = ctx.row(target)
    if row is not None and row.input_shapes and row.input_shapes[0]:
        return row.input_shapes[0][0]
    return None


def data_shape_of(ctx: Context, index: int | None) -> Shape | None:
    if index is None:
        return None
    shapes = ctx.table.rows[index].output_shapes
    return shapes[0] if shapes else None


def input_shape_of(ctx: Context, index: int | None) -> Shape | None:
    row = ctx.row(index)
    if row is None:
        return None
    if row.kind == "input" and row.output_shapes:
        return row.output_shapes[0]
    return row.input_shapes[0] if row.input_shapes else None


def is_dataset(ctx: Context) -> bool:
    return ctx.ev.x is not None and ko.is_dataset(ctx.ev.x)


#: layers after which the number of time steps is fixed in the weights
_FIXED_LENGTH_LAYERS = ("Flatten", "Reshape")


def _needs_fixed_length(ctx: Context) -> bool:
    return any(row.type in _FIXED_LENGTH_LAYERS for row in ctx.table.rows if row.kind == "layer")


def _validation_name(statement: str) -> str | None:
    """The user's name for the inputs of ``validation_data=`` in the failing ``fit(...)`` statement."""
    if "validation_data" not in statement:
        return None
    try:
        tree = ast.parse(statement)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg != "validation_data":
                    continue
                value = keyword.value
                if isinstance(value, (ast.Tuple, ast.List)) and value.elts:
                    value = value.elts[0]
                return value.id if isinstance(value, ast.Name) else None
    return None


_GENERIC_X = re.compile(r"(?<![\w.'\"])x(?![\w'\"])")


def fixes_for_the_data(ctx: Context, mismatch: Mismatch, expected: Shape) -> list[str]:
    """A mismatch's fixes as the evidence refines them: a loader's own option for a dataset it made, and
    fit's validation data transformed the same way as the training data."""
    fixes = _dataset_fixes(ctx, mismatch, expected) if is_dataset(ctx) else mismatch.fixes
    return _also_for_validation(ctx, fixes)


def _also_for_validation(ctx: Context, fixes: list[str]) -> list[str]:
    """A fix that transforms the training data must transform fit's validation data too (or fit fails there next)."""
    if ctx.ev.validation:
        return fixes
    name = _validation_name(ctx.ev.statement)
    if not name or name == "x" or not name.isidentifier():
        return fixes
    result = list(fixes)
    for i, fix in enumerate(result):
        code = re.search(r"`(x = [^`]*)`", fix)
        if code is not None:
            again = _GENERIC_X.sub(name, code.group(1))
            result[i] = fix.rstrip(".") + f"; and the validation data the same way: `{again}`."
            break
    return result


def _loader_directory(dataset: Any) -> str | None:
    """The directory ``image_dataset_from_directory`` read (it keeps ``file_paths`` and ``class_names``)."""
    paths = ko.attr(dataset, "file_paths")
    classes = ko.attr(dataset, "class_names")
    if not isinstance(paths, list) or not paths or not isinstance(paths[0], str) or not isinstance(classes, list):
        return None
    return os.path.dirname(os.path.dirname(paths[0])) or "."


def _dataset_fixes(ctx: Context, mismatch: Mismatch, expected: Shape) -> list[str]:
    """A dataset of images of another size: load them at the model's size when Keras's loader made it."""
    directory = _loader_directory(ctx.ev.x)
    if mismatch.kind != "image size" or directory is None:
        return mismatch.fixes
    h, w = expected[1], expected[2]
    rest = [("Or " + fix[0].lower() + fix[1:]) if not fix.startswith("Or ") else fix for fix in mismatch.fixes]
    return [f"Load the images at the model's size (the loader's default is 256x256), for the validation set too: "
            f"`keras.utils.image_dataset_from_directory({directory!r}, image_size=({h}, {w}))`.", *rest]


def _feature_extractor(ctx: Context, data: Shape, expected: Shape) -> tuple[str, Shape] | None:
    """A model of the user's that turns samples shaped like ``data`` into ``expected``'s feature vectors.

    A classifier trained on features extracted by another model (a pretrained conv base), then given
    the raw inputs: the extractor is the model in the namespace whose input takes the samples and
    whose output has as many values per sample as the classifier's Input.
    """
    if len(expected) != 2 or expected[1] is None or len(data) < 3:
        return None
    for name, value in ko.namespace_items(ctx.ev.namespace, MAX_NAMESPACE_NAMES):
        if not isinstance(name, str) or name.startswith("_") or value is ctx.ev.model or not ko.is_model(value):
            continue
        inputs, outputs = ko.model_inputs(value), ko.model_outputs(value)
        if len(inputs) != 1 or len(outputs) != 1:
            continue
        takes, gives = ko.shape_of(inputs[0]), ko.shape_of(outputs[0])
        if takes is None or gives is None or len(takes) != len(data) or not _known(gives[1:]):
            continue
        if any(t is not None and t != d for t, d in zip(takes[1:], data[1:])):
            continue
        if math.prod(gives[1:]) == expected[1]:  # type: ignore[arg-type]
            return name, gives
    return None


def data_verdict(ctx: Context, position: int, received: Shape | None, expected: Shape | None,
                 prefix: str = "", suffix: str = "") -> Verdict | None:
    """The data row for model input ``position`` is offending; say how it differs from the Input."""
    input_index = ctx.input_row(position)
    data = ctx.data_row_for(position, ctx.row(input_index).name if input_index is not None else None)
    if expected is None:
        expected = input_shape_of(ctx, input_index)
    data_shape = data_shape_of(ctx, data) or received
    index = data if data is not None else input_index
    if index is None:
        return None
    input_name = ctx.name(input_index) if input_index is not None else "the model's Input"
    data_name = ctx.table.rows[data].name if data is not None else "the data"
    if ctx.ev.validation:
        data_name = f"The validation data {data_name}"
    embedded = _vectors_into_embedding(ctx, data, input_index, data_shape, expected)
    if embedded is not None:
        return embedded
    mismatch = describe_mismatch(data_shape, expected, is_dataset(ctx), var="x", samples=sample_count(ctx),
                                 fixed_length=_needs_fixed_length(ctx), backend=ctx.ev.backend)
    cause = (prefix + f"{data_name} {shape_text(data_shape)} does not fit the Input {input_name}, which expects "
             f"{shape_text(expected)} (batch axis first).")
    fixes: list[str] = []
    suspect = None
    if mismatch is not None and data_shape is not None and expected is not None:
        cause += " " + mismatch.sentence
        fixes = mismatch.fixes
        input_is_wrong = mismatch.input_is_wrong
        if is_dataset(ctx):
            fixes = _dataset_fixes(ctx, mismatch, expected)
        extractor = _feature_extractor(ctx, data_shape, expected) if mismatch.kind == "images into features" else None
        if extractor is not None:
            name, gives = extractor
            cause += (f" The model was trained on features: {name} turns such samples into {shape_text(gives)}, "
                      f"{expected[1]} values each.")
            fixes = [f"Extract the same features first: `x_features = {name}.predict(x).reshape(len(x), "
                     f"{expected[1]})`, and pass `x_features` instead.",
                     *(fix if fix.startswith("Or ") else "Or " + fix[0].lower() + fix[1:] for fix in fixes)]
            input_is_wrong = False
        fixes = _also_for_validation(ctx, fixes)
        if input_is_wrong and input_index != index:
            suspect = input_index
    cause += suffix
    guessed = not fixes or (mismatch is not None and mismatch.kind == NO_RULE)
    verdict = ctx.verdict(index, cause, fixes or ["Reshape the data to the Input's shape, or change the Input."],
                          suspect=suspect, generic=guessed)
    marks = differing_axes(expected, data_shape) or all_axes(data_shape)
    if data is not None:
        ctx.mark(verdict, index, ((), (marks,)))
    else:
        ctx.mark(verdict, index, ((marks,), ()))
        ctx.mark(verdict, index, received=(data_shape,))
    return verdict


def _disagree(data: Shape, expected: Shape) -> bool:
    """Per sample, the data is not what the Input declares (unknown sizes agree with anything).

    A trailing axis of size 1 that one side has and the other lacks does not count: Keras 3 adds or
    drops it itself.
    """
    got, per = tuple(data[1:]), tuple(expected[1:])
    if got[-1:] == (1,) and len(got) == len(per) + 1:
        got = got[:-1]
    elif per[-1:] == (1,) and len(per) == len(got) + 1:
        per = per[:-1]
    if len(got) != len(per):
        return True
    return any(a is not None and b is not None and a != b for a, b in zip(got, per))


_RUN_PHASES = ("fit", "evaluate", "predict")


def data_fault(ctx: Context, failing: int | None = None) -> Verdict | None:
    """A layer failed at run time, but the data never fitted the model's Input: the data row is at fault.

    Keras 3 lets some data that does not fit the Input through (images of another size into a model
    built with ``input_shape=``), and a layer deep in the model fails on it (a Dense built for 16384
    features gets 65536). The fix is the data's, so its row is the offending one; the failing layer is
    named in the cause. ``None`` when the data fits the Input (the layer's own problem) or is unknown.
    """
    direct_call = str(ctx.ev.phase) == "layer call" and bool(ctx.table.indices("data"))  # ``model(x)``
    if str(ctx.ev.phase) not in _RUN_PHASES and not direct_call:
        return None
    data = ctx.data_row_for(0, None)
    input_index = ctx.input_row(0)
    data_shape = data_shape_of(ctx, data)
    expected = input_shape_of(ctx, input_index)
    if data is None or input_index is None or data_shape is None or expected is None or expected[0] is not None:
        return None  # an Input whose batch size is known was built from the data itself: it says nothing
    if len(ctx.table.model_input_rows) > 1 or not data_shape or not expected or not _disagree(data_shape, expected):
        return None
    failing = ctx.failing() if failing is None else failing
    suffix = ""
    if failing is not None and failing != input_index:
        suffix = f" Keras let it through and {ctx.name(failing)} ({ctx.row(failing).type}) failed on it further on."
    return data_verdict(ctx, 0, data_shape, expected, suffix=suffix)


def _vectors_into_embedding(ctx: Context, data: int | None, input_index: int | None, data_shape: Shape | None,
                            expected: Shape | None) -> Verdict | None:
    """Vectors (``(N, steps, 1024)``) for an Input of token ids that feeds an Embedding: the data is vectors
    already, so the Embedding is the layer to remove (not a Flatten to add)."""
    if data is None or input_index is None or data_shape is None or expected is None \
            or len(data_shape) != len(expected) + 1 or tuple(data_shape[1:-1]) != tuple(expected[1:]):
        return None
    embedding = next((i for i, row in enumerate(ctx.table.rows)
                      if row.type == "Embedding" and ctx.previous_layer(i) == input_index), None)
    if embedding is None:
        return None
    per = tuple(data_shape[1:])
    cause = (f"{ctx.table.rows[data].name} {shape_text(data_shape)} holds vectors already ({per[-1]} values per "
             f"step), but the Input {ctx.name(input_index)} {shape_text(expected)} feeds {ctx.name(embedding)} "
             "(Embedding), which expects integer token ids.")
    fixes = [f"Feed the vectors directly and remove {ctx.name(embedding)}: `keras.Input(shape={shape_text(per)})` "
             "straight into the layer after it.",
             f"Or keep the Embedding and feed it the integer token ids, {shape_text(expected)} per batch."]
    verdict = ctx.verdict(data, cause, fixes, suspect=embedding)
    ctx.mark(verdict, data, ((), ((len(data_shape) - 1,),)))
    return verdict
