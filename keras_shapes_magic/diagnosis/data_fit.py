"""Data against the model's Input: how an array differs from what the model expects, in words and code.

Shared by the families that find data at fault (``inputs``: an Input's or a layer's input check, the
model's own input checks). Not a family itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..parse import Shape
from . import keras_objects as ko
from .context import Context, Verdict, all_axes, differing_axes, shape_text


@dataclass
class Mismatch:
    """How a data array differs from what the model's Input expects, in words and in code."""

    sentence: str
    fixes: list[str] = field(default_factory=list)
    input_is_wrong: bool = False


def dims_text(shape: Shape) -> str:
    return ", ".join(str(d) for d in shape)


def describe_mismatch(data: Shape | None, expected: Shape | None, dataset: bool = False,
                      var: str = "x", samples: int | None = None) -> Mismatch | None:
    """Why ``data`` (batch axis first) does not fit ``expected`` (an Input's shape, batch axis first).

    ``samples`` is the number of targets, when known: data with as many rows is a batch, not one sample.
    """
    if data is None or expected is None or not expected:
        return None
    per = tuple(expected[1:])
    got = tuple(data[1:])
    batched = samples is not None and bool(data) and data[0] == samples and samples != 1
    if len(data) == len(expected) - 1 and tuple(data) == per and not batched:
        if dataset:
            return Mismatch(f"The dataset's elements {shape_text(data)} have no batch axis.",
                            ["Batch the dataset: `x = x.batch(32)`."])
        return Mismatch(f"The data {shape_text(data)} is one sample: it has no batch axis.",
                        [f"Add the batch axis: `{var} = np.expand_dims({var}, 0)` -> {shape_text((1, *data))}."])
    if len(data) == len(expected) - 1 and got == per[:-1] and per:
        channels = per[-1]
        fixes = []
        if channels == 1:
            fixes.append(f"Add the channel axis: `{var} = {var}[..., np.newaxis]` -> {shape_text((*data, 1))}.")
        else:
            fixes.append(f"Give the data {channels} channels, e.g. repeat the single one: "
                         f"`{var} = np.repeat({var}[..., np.newaxis], {channels}, axis=-1)`.")
            fixes.append(f"Or build the model for one channel: `keras.Input(shape=({dims_text(per[:-1])}, 1))` and "
                         f"`{var} = {var}[..., np.newaxis]`.")
        return Mismatch(f"The data {shape_text(data)} has no channel axis; the Input expects {shape_text(expected)} "
                        f"({channels} channel{'s' if channels != 1 else ''}).", fixes)
    if len(data) == len(expected) - 2 and tuple(data) == per[:-1] and per:
        return Mismatch(f"The data {shape_text(data)} is one sample without the batch and the channel axes.",
                        [f"Add both axes: `{var} = {var}[np.newaxis, ..., np.newaxis]`."])
    if len(data) == len(expected) == 4 and data[1] == expected[3] and got[1:] == per[:2] and data[1] != data[3]:
        return Mismatch(f"The data {shape_text(data)} is channels-first (N, C, H, W); the Input expects "
                        f"channels last {shape_text(expected)}.",
                        [f"Move the channels last: `{var} = np.transpose({var}, (0, 2, 3, 1))`."])
    if len(expected) == len(data) + 1 and len(expected) >= 3 and per[1:] == got:
        return Mismatch(f"The Input's shape {shape_text(per)} includes the batch size ({per[0]}): Keras adds the "
                        f"batch axis itself, so the model expects {shape_text(expected)} while the data is "
                        f"{shape_text(data)}.",
                        [f"Leave the batch axis out: `keras.Input(shape={shape_text(got)})` instead of "
                         f"`shape={shape_text(per)}`."], input_is_wrong=True)
    known = None not in got and None not in per
    if known and len(got) != len(per) and math.prod(got) == math.prod(per):  # type: ignore[arg-type]
        layout = "flattened" if len(got) < len(per) else "of another layout"
        return Mismatch(f"The data {shape_text(data)} has the same {math.prod(got)} values per sample as the Input "  # type: ignore[arg-type]
                        f"{shape_text(expected)}, but {layout}.",
                        [f"Reshape the data: `{var} = {var}.reshape(-1, {dims_text(per)})`."])
    if len(data) == len(expected) == 4 and got[:2] == per[:2] and got[-1] != per[-1]:
        have, want = got[-1], per[-1]
        fixes = []
        if have == 1:
            fixes.append(f"Repeat the single channel: `{var} = np.repeat({var}, {want}, axis=-1)`.")
        elif want == 1 and have == 3:
            fixes.append(f"Convert to grayscale: `{var} = tf.image.rgb_to_grayscale({var})`.")
        fixes.append(f"Or build the model for {have}-channel images: `keras.Input(shape=({dims_text(got)}))`.")
        return Mismatch(f"The images have {have} channel{'s' if have != 1 else ''}; the model expects {want}.", fixes)
    if len(data) == len(expected) == 4 and got[-1] == per[-1] and got[:2] != per[:2]:
        return Mismatch(f"The images are {got[0]}x{got[1]} but the model was built for {per[0]}x{per[1]}.",
                        [f"Resize the images: `{var} = tf.image.resize({var}, ({per[0]}, {per[1]}))`.",
                         f"Or build the model for {got[0]}x{got[1]} inputs: "
                         f"`keras.Input(shape=({dims_text(got)}))`."])
    if len(data) == len(expected) == 2 and got[0] is not None and per[0] is not None and got[0] > per[0]:
        extra = got[0] - per[0]
        columns = "column" if extra == 1 else "columns"
        return Mismatch(f"The data has {got[0]} features per sample, {extra} more than the {per[0]} the Input expects: "
                        f"an extra {columns} (an index, an id or the target left among the features?).",
                        [f"Drop the extra {columns}, e.g. a leading index column: `{var} = {var}[:, {extra}:]` "
                         f"(pandas: `{var} = df.drop(columns=[...]).to_numpy()`, or `pd.read_csv(..., index_col=0)`).",
                         f"If all {got[0]} are real features, rebuild the model with `keras.Input(shape=({got[0]},))` "
                         "(and any Normalization adapted on them)."], input_is_wrong=False)
    if len(data) == len(expected) == 2:
        return Mismatch(f"The data has {got[0]} features per sample; the Input expects {per[0]}.",
                        [f"Pass the {per[0]} columns the model was built for (a column was dropped or lost?), or "
                         f"rebuild it with `keras.Input(shape=({got[0]},))`."], input_is_wrong=False)
    if len(data) > len(expected):
        comma = "," if len(got) == 1 else ""
        return Mismatch(f"Each sample is {shape_text(got)} but the model takes {shape_text(per)}.",
                        [f"Make the model take the samples as they are: `keras.Input(shape=({dims_text(got)}{comma}))` "
                         "followed by `keras.layers.Flatten()`."], input_is_wrong=True)
    return Mismatch(f"The data {shape_text(data)} does not fit the Input {shape_text(expected)}.",
                    [f"Reshape the data to {shape_text(expected)}, or change the Input's shape to match the data."])


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


def data_verdict(ctx: Context, position: int, received: Shape | None, expected: Shape | None,
                  prefix: str = "") -> Verdict | None:
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
    mismatch = describe_mismatch(data_shape, expected, is_dataset(ctx), var="x", samples=sample_count(ctx))
    cause = (prefix + f"{data_name} {shape_text(data_shape)} does not fit the Input {input_name}, which expects "
             f"{shape_text(expected)} (batch axis first).")
    fixes: list[str] = []
    suspect = None
    if mismatch is not None:
        cause += " " + mismatch.sentence
        fixes = mismatch.fixes
        if mismatch.input_is_wrong and input_index != index:
            suspect = input_index
    verdict = ctx.verdict(index, cause, fixes or ["Reshape the data to the Input's shape, or change the Input."],
                      suspect=suspect)
    marks = differing_axes(expected, data_shape) or all_axes(data_shape)
    if data is not None:
        ctx.mark(verdict, index, ((), (marks,)))
    else:
        ctx.mark(verdict, index, ((marks,), ()))
        ctx.mark(verdict, index, received=(data_shape,))
    return verdict
