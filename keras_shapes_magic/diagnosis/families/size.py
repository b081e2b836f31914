"""Sizes that cannot work: Reshape totals, conv/pool outputs of size <= 0, kernel ranks, axis ranges."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from ...limits import MAX_DIVISORS_OF
from ...parse import SHAPE_PATTERN, Shape, parse_shape
from ...records import ErrorFamily
from ..context import Context, Verdict, all_axes, shape_text
from ..data_fit import data_fault
from .base import Family, compile_pattern
from .merge import halvings


@dataclass(frozen=True)
class ReshapeFacts:
    """Reshape: the input it got and the target shape it was given (both without the batch axis)."""

    input: Shape | None = None
    target: Shape | None = None


@dataclass(frozen=True)
class NonpositiveFacts:
    """A conv / pooling layer whose output would have a size of zero or less."""

    input: Shape | None = None
    kernel: Shape | None = None
    pool: Shape | None = None
    layer: str = ""


@dataclass(frozen=True)
class KernelRankFacts:
    """A kernel of one rank applied to an input of another."""

    kernel: Shape | None = None
    input: Shape | None = None


@dataclass(frozen=True)
class AxisFacts:
    """An ``axis`` argument the input does not have."""

    rank: int | None = None
    axis: str = ""


def _row_for(ctx: Context, name: str | None = None) -> int | None:
    index = ctx.failing()
    if index is None and name:
        index = ctx.layer_named(name)
    if index is None:
        for quoted in ctx.parsed.quoted_names:
            index = ctx.layer_named(quoted)
            if index is not None:
                break
    return index


def reshape(ctx: Context, facts: ReshapeFacts) -> Verdict | None:
    """``The total size of the tensor must be unchanged. Received: input_shape=(64,), target_shape=(10, 10)``."""
    index = _row_for(ctx)
    if index is None:
        return None
    row = ctx.row(index)
    given, target = facts.input, facts.target
    received = row.input_shapes[0] if row.input_shapes else ((None, *given) if given is not None else None)
    if target is None:
        target = ctx.config(index, "target_shape")
    have = math.prod(d for d in (given or received[1:] if received else ()) if d)  # type: ignore[misc]
    want = math.prod(d for d in (target or ()) if d and d > 0)
    cause = (f"{ctx.name(index)} ({row.type}) cannot turn {shape_text(received)} into "
             f"{shape_text((None, *target) if target else None)}: each sample has {have} values, the target shape "
             f"needs {want}.")
    fixes: list[str] = []
    # an earlier Flatten tells the layout the values came from
    for j in range(index - 1, -1, -1):
        r = ctx.table.rows[j]
        if r.type == "Flatten" and r.input_shapes and r.input_shapes[0] is not None:
            before = r.input_shapes[0][1:]
            if None not in before and math.prod(before) == have:  # type: ignore[arg-type]
                fixes.append(f"{ctx.name(j)} flattened {shape_text(r.input_shapes[0])}: reshape back to it with "
                             f"`keras.layers.Reshape({shape_text(before)})`.")
            break
    previous = ctx.previous_layer(index)
    dense_fix = False
    prev_row = ctx.row(previous)
    dense_on_vectors = prev_row is not None and prev_row.type == "Dense" and bool(prev_row.input_shapes) \
        and prev_row.input_shapes[0] is not None and len(prev_row.input_shapes[0]) == 2
    if prev_row is not None and prev_row.type == "Dense" and not dense_on_vectors and target:
        fixes.append(f"{ctx.name(previous)} is a Dense on a {len(prev_row.input_shapes[0] or ())}-D tensor: it only "
                     f"changes the last axis. Add `keras.layers.Flatten()` before it, then "
                     f"`keras.layers.Dense({want})` reshapes cleanly to {shape_text(tuple(target))}.")
        dense_fix = True
    elif dense_on_vectors and target:
        dense_fix = not fixes
        fixes.append(f"{'Or make' if fixes else 'Make'} {ctx.name(previous)} produce {want} units: "
                     f"`keras.layers.Dense({want})` (= {' * '.join(str(t) for t in target)}).")
    if target and want and have and len(target) >= 2 and have % math.prod(target[1:]) == 0:
        fixes.append(f"Or let Keras infer one axis: `keras.layers.Reshape((-1, "
                     f"{', '.join(str(t) for t in target[1:])}))` -> {have // math.prod(target[1:])} on the first.")
    one_axis = _one_axis_changed(have, tuple(target or ()))
    nearest = one_axis or _nearest_shape(have, tuple(target or ()))
    if one_axis:  # 784 values into (28, 28, 3): (28, 28, 1) keeps the image, only the channels change
        fixes.append(f"{'Or keep' if fixes else 'Keep'} the other axes and change one: "
                     f"`keras.layers.Reshape({shape_text(one_axis)})` ({' x '.join(map(str, one_axis))} = {have}).")
    elif nearest and nearest != tuple(target or ()):
        fixes.append(f"{'Or choose' if fixes else 'Choose'} a target shape whose sizes multiply to {have}, e.g. "
                     f"`keras.layers.Reshape({shape_text(nearest)})`.")
    if not fixes:
        fixes.append(f"Choose a target shape whose sizes multiply to {have}.")
    return ctx.verdict(index, cause, fixes, suspect=previous if dense_fix else None,
                   marks={index: ((all_axes(received)[1:],), ())}, received={index: (received,)} if received else {})


def _one_axis_changed(total: int, target: tuple[int, ...]) -> tuple[int, ...] | None:
    """``target`` with one axis resized so the sizes multiply to ``total``: the last axis (channels) first."""
    if not total or len(target) < 2 or any(not isinstance(t, int) or t <= 0 for t in target):
        return None
    for i in (len(target) - 1, *range(len(target) - 1)):
        others = math.prod(target[:i] + target[i + 1:])
        if total % others == 0 and total // others != target[i]:
            return (*target[:i], total // others, *target[i + 1:])
    return None


def _nearest_shape(total: int, target: tuple[int, ...]) -> tuple[int, ...] | None:
    """A shape of the same rank as ``target`` whose sizes multiply to ``total``, close to ``target``."""
    if not total or not target or any(not isinstance(t, int) or t <= 0 for t in target):
        return None
    shape = list(target)
    remaining = total
    for i in range(len(shape) - 1, 0, -1):  # keep the trailing axes as close as possible, the first takes the rest
        divisors = [d for d in range(1, remaining + 1) if remaining % d == 0] if remaining <= MAX_DIVISORS_OF else []
        if not divisors:
            return None
        best = min(divisors, key=lambda d: (abs(d - shape[i]), -d))
        shape[i] = best
        remaining //= best
    shape[0] = remaining
    return tuple(shape)


def nonpositive(ctx: Context, facts: NonpositiveFacts) -> Verdict | None:
    """``Computed output size would be zero or negative`` / ``Negative dimension size`` (conv, pooling)."""
    fault = data_fault(ctx)  # data without its batch axis: Keras ran the layer over the wrong axes
    if fault is not None:
        return fault
    index = _row_for(ctx, facts.layer)
    if index is None:
        return None
    row = ctx.row(index)
    received = facts.input
    if row.input_shapes and row.input_shapes[0] is not None:
        received = row.input_shapes[0]
    window = ctx.config(index, "pool_size") or ctx.config(index, "kernel_size")
    kernel = facts.kernel
    if not window and kernel:
        window = tuple(kernel)[:-2]  # type: ignore[arg-type]
    if not window and facts.pool:
        window = tuple(facts.pool)
    window = tuple(window) if isinstance(window, (list, tuple)) else ((window,) if window else ())
    spatial = tuple(received[1:-1]) if received else ()
    marks = tuple(i + 1 for i, d in enumerate(spatial) if d is not None and i < len(window) and d < window[i])
    marks = marks or tuple(range(1, len(spatial) + 1))
    if "Pool" in row.type:
        kind = f"pools a {shape_text(window)} window" if window else "pools"
    else:
        kind = f"slides a kernel of {shape_text(window)}" if window else "slides its kernel"
    size = "x".join(str(d) for d in spatial) if spatial else "?"
    cause = (f"{ctx.name(index)} ({row.type}) {kind} over a {size} input {shape_text(received)}: the output would "
             "have size zero or less.")
    larger = [i for i, d in enumerate(spatial) if d is not None and i < len(window) and window[i] > d]
    if larger:
        cause += (f" The {'x'.join(str(w) for w in window)} window is larger than the {size} input"
                  + (" (after the layers before it shrank it)." if ctx.previous_layer(index) is not None
                     and ctx.row(ctx.previous_layer(index)).kind != "input" else "."))
    fixes = []
    suspect = None
    strided = _strided_layers(ctx, index)
    if strided:
        names = ", ".join(f"{ctx.name(j)} (strides={ctx.config(j, 'strides')})" for j in strided[:3])
        cause += f" Strided layers shrank it on the way: {names}."
        first = strided[0]
        kernel_size, strides = ctx.config(first, "kernel_size"), ctx.config(first, "strides")
        if kernel_size is not None and tuple(kernel_size) == tuple(strides or ()):
            cause += (f" {ctx.name(first)} has strides equal to its kernel size, as Keras 1's "
                      f"`Convolution2D(filters, {kernel_size[0]}, {kernel_size[0]})` now means: the third argument "
                      "is the strides.")
            fixes.append(f"Give {ctx.name(first)} a {'x'.join(map(str, kernel_size))} kernel with stride 1: "
                         f"`keras.layers.{ctx.row(first).type}({ctx.config(first, 'filters', '...')}, "
                         f"{shape_text(tuple(kernel_size))})` (strides=1).")
        suspect = first
    layout = _channels_first_hint(received)
    if layout is not None and "Pool" not in row.type:
        cause += " " + layout[0]
        fixes.append(layout[1])
        suspect = ctx.input_row()
    if "Pool" in row.type:
        pools = sum(1 for r in ctx.table.rows[:index] if "Pool" in r.type)
        fixes.append(f"Remove a pooling layer (this is pooling number {pools + 1}), or use a larger input.")
        fixes.append(f"Or keep the size: `keras.layers.{row.type}({shape_text(window) if window else '2'}, "
                     f"padding=\"same\")`.")
    else:
        fixes += _poolings_that_fit(ctx, index, spatial, window)
        filters = ctx.config(index, "filters")
        head = "Or make this the last block, padded" if fixes else "Pad so the size is kept"
        tail = " with no pooling after it (its input is already that small)" if fixes else ""
        if isinstance(filters, int) and window:
            fixes.append(f"{head}: `keras.layers.{row.type}({filters}, {shape_text(window)}, padding=\"same\")`{tail}.")
        else:
            fixes.append(f"{head}: `padding=\"same\"` on {ctx.name(index)}{tail}.")
        if spatial and all(d is not None for d in spatial):
            small = tuple(min(3, d) for d in spatial)  # type: ignore[type-var]
            fixes.append(f"Or use a kernel no larger than the input: `kernel_size={shape_text(small)}`.")
    received_map = {index: (received,)} if received else {}
    return ctx.verdict(index, cause, fixes, suspect=suspect if suspect != index else None,
                   marks={index: ((marks,), ())}, received=received_map)


def _poolings_that_fit(ctx: Context, index: int, spatial: tuple, window: tuple) -> list[str]:
    """Convolutions that shrank the map before poolings halved it: with ``padding="same"`` how many poolings fit."""
    steps = halvings(ctx, index)
    source = ctx.input_row()
    start = ctx.row(source).output_shapes[0] if source is not None and ctx.row(source).output_shapes else None
    valid = [i for i in ctx.upstream(index) if "Conv" in ctx.row(i).type
             and str(ctx.config(i, "padding", "")) == "valid"]
    if not steps or not valid or start is None or None in start[1:-1] or len(start) != len(spatial) + 2:
        return []
    smallest = min(int(d) for d in start[1:-1])  # type: ignore[arg-type]
    sizes = [smallest]
    while sizes[-1] // 2 >= 1:
        sizes.append(sizes[-1] // 2)
    here = smallest // 2 ** steps
    if here < 1:
        return []
    names = [ctx.row(i).name for i in reversed(valid)] + [ctx.row(index).name]
    return [f"Keep the size in every convolution: `padding=\"same\"` on {', '.join(repr(n) for n in names[:6])}. "
            f"This layer then gets {here}x{here}, and a {smallest}-pixel input allows {len(sizes) - 1} poolings in "
            f"all ({' -> '.join(map(str, sizes))})."]


def _strided_layers(ctx: Context, index: int) -> list[int]:
    """Layers before ``index`` on its path whose strides are above 1 (each divides the size), first first."""
    found = []
    for current in ctx.upstream(index):
        strides = ctx.config(current, "strides")
        if "Pool" not in ctx.row(current).type and isinstance(strides, (list, tuple)) and any(
                isinstance(v, int) and v > 1 for v in strides):
            found.append(current)
    return list(reversed(found))


def _channels_first_hint(received: Shape | None) -> tuple[str, str] | None:
    """A conv input laid out channels-first ((N, C, ...) with C small) fed to a channels-last layer."""
    if received is None or len(received) < 4 or received[1] is None or received[-1] is None:
        return None
    if received[1] in (1, 3, 4) and received[-1] not in (1, 3, 4) and all(
            d is not None and d > received[1] for d in received[2:-1]):
        reordered = (*received[2:], received[1])
        return (f"The input looks channels-first: {received[1]} channel(s) first, while Keras is channels-last "
                f"(data_format=\"channels_last\").",
                f"Put the channels last: `keras.Input(shape={shape_text(reordered)})` and "
                f"`x = np.moveaxis(x, 1, -1)` (or `data_format=\"channels_first\"` on the conv layers).")
    return None


def kernel_rank(ctx: Context, facts: KernelRankFacts) -> Verdict | None:
    """Keras 3: ``Kernel shape must have the same length as input`` (often TimeDistributed without time axis)."""
    index = _row_for(ctx)
    if index is None:
        return None
    row = ctx.row(index)
    received = row.input_shapes[0] if row.input_shapes else None
    kernel = facts.kernel
    cause = (f"{ctx.name(index)} ({row.type}) got {shape_text(received)}, one axis too few for its "
             f"{len(kernel) - 2 if kernel else '?'}-D kernel {shape_text(kernel)}.")  # type: ignore[arg-type]
    fixes = []
    suspect = None
    if row.type == "TimeDistributed" and received is not None:
        cause += " TimeDistributed applies the inner layer to every step of axis 1, so the input needs a time axis."
        suspect = ctx.input_row() if ctx.input_row() != index else None
        fixes.append(f"Add the time axis to the Input: `keras.Input(shape=(frames, "
                     f"{', '.join(str(d) for d in received[1:])}))`.")
    fixes.append("Give the layer an input of the rank its kernel expects (batch, spatial..., channels).")
    return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: ((all_axes(received),), ())})


def bn_axis(ctx: Context, facts: AxisFacts) -> Verdict | None:
    """BatchNormalization (and friends) with an ``axis`` that the input does not have."""
    index = _row_for(ctx)
    if index is None:
        return None
    row = ctx.row(index)
    received = row.input_shapes[0] if row.input_shapes else None
    axis = ctx.config(index, "axis", facts.axis)
    rank = len(received) if received is not None else (facts.rank if facts.rank is not None else "?")
    cause = (f"{ctx.name(index)} ({row.type}) works on axis {axis}, but its input {shape_text(received)} has only "
             f"{rank} axes (0 to {int(rank) - 1 if isinstance(rank, int) else '?'}).")
    fixes = [f"Use the last axis: `keras.layers.{row.type}(axis=-1)` (the default)."]
    return ctx.verdict(index, cause, fixes, marks={index: ((all_axes(received),), ())})


def _nonpositive_details(core: str, facts: NonpositiveFacts) -> NonpositiveFacts:
    """The input, kernel, pool size and layer that the many wordings of this error quote."""
    found = (re.search(r"inputs(?: |\.)shape=(" + SHAPE_PATTERN + ")", core)
             or re.search(r"Received input shape (" + SHAPE_PATTERN + ")", core)
             or re.search(r"with input shapes: (" + SHAPE_PATTERN + ")", core))
    kernel = re.search(r"kernel shape=(" + SHAPE_PATTERN + ")", core)
    pool = re.search(r"pool_size=(" + SHAPE_PATTERN + ")", core)
    layer = re.search(r"due to downsampling in (\S{1,300}?)\.", core)
    return replace(facts, input=parse_shape(found.group(1)) if found else None,
                   kernel=parse_shape(kernel.group(1)) if kernel else None,
                   pool=parse_shape(pool.group(1)) if pool else None, layer=layer.group(1) if layer else "")


FAMILIES = (
    Family(ErrorFamily.RESHAPE_SIZE, reshape, facts=ReshapeFacts, patterns=(
        compile_pattern(r"The total size of the tensor must be unchanged\. Received: input_shape=(?P<input>{SHAPE}), "
                        r"target_shape=(?P<target>{SHAPE})"),
        compile_pattern(r"total size of new array must be unchanged, input_shape = (?P<input>{SHAPE}), "
                        r"output_shape = (?P<target>{SHAPE})"),
    )),
    Family(ErrorFamily.NONPOSITIVE_OUTPUT, nonpositive, facts=NonpositiveFacts, refine=_nonpositive_details,
           patterns=(compile_pattern(r"Computed output size would be zero or negative|One of the dimensions in the "
                                     r"output is <= 0|Negative dimension size caused by"),
                     # the backends' own words: TensorFlow's op, PyTorch's convolution, JAX's
                     compile_pattern(r"Computed output size would be negative|Kernel size can't be greater than "
                                     r"actual input size|The convolution operation resulted in an empty output"))),
    Family(ErrorFamily.KERNEL_RANK, kernel_rank, facts=KernelRankFacts, patterns=(
        compile_pattern(r"Kernel shape must have the same length as input, but received kernel of shape "
                        r"(?P<kernel>{SHAPE}) and input of shape (?P<input>{SHAPE})"),
    )),
    Family(ErrorFamily.BN_AXIS, bn_axis, facts=AxisFacts, patterns=(
        compile_pattern(r"Invalid value for `axis` argument\. Expected 0 <= axis < inputs\.rank \(with "
                        r"inputs\.rank=(?P<rank>\d+)\)\. Received: axis=(?P<axis>[^\n]{0,200})"),
    )),
)
