"""Merge layers (Concatenate, Add, Multiply, Subtract, Average, Maximum, Dot) with mismatched inputs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...limits import MAX_NAMESPACE_NAMES
from ...parse import Shape
from ...records import ErrorFamily
from .. import keras_objects as ko
from ..context import Context, Verdict, axis_meaning, differing_axes, shape_text, sizes_of
from ..evidence import is_library_file
from .base import Family, compile_pattern


@dataclass(frozen=True)
class ConcatFacts:
    """The input shapes a Concatenate quoted (Keras 3 lists them all)."""

    inputs: tuple[Shape, ...] = ()


@dataclass(frozen=True)
class ElementwiseFacts:
    """The two shapes Add / Multiply / ... quoted, without their batch axis."""

    a: Shape | None = None
    b: Shape | None = None


@dataclass(frozen=True)
class DotFacts:
    """The sizes and axes a Dot compared."""

    va: int | None = None
    aa: int | None = None
    vb: int | None = None
    ab: int | None = None


def _merge_row(ctx: Context) -> int | None:
    failing = ctx.failing()
    if failing is not None:
        return failing
    for name in ctx.parsed.quoted_names:
        index = ctx.layer_named(name)
        if index is not None:
            return index
    return None


def _input_shapes(ctx: Context, index: int, fallback: tuple[Shape, ...]) -> tuple[Shape | None, ...]:
    shapes = ctx.table.rows[index].input_shapes
    if len(shapes) >= 2 and all(s is not None for s in shapes):
        return shapes
    return fallback


def _branch_names(ctx: Context, index: int) -> list[str]:
    names = []
    for producer in ctx.producers(index):
        names.append(ctx.table.rows[producer].name if producer is not None else "")
    return names


def _candidate_variables(ctx: Context) -> list[tuple[str, object]]:
    """``(name, value)`` of the user's variables: the failing user frame's locals first, then the namespace."""
    found: list[tuple[str, object]] = []
    frames = [frame for frame, _ in ctx.ev.frames if not is_library_file(frame.f_code.co_filename)]
    sources = [frames[-1].f_locals] if frames else []
    sources.append(ctx.ev.namespace)
    for source in sources:
        for name, value in ko.namespace_items(source, MAX_NAMESPACE_NAMES):
            if isinstance(name, str) and name.isidentifier() and not name.startswith("_"):
                found.append((name, value))
    return found


def input_variables(ctx: Context, index: int) -> list[str | None]:
    """For each input of a layer row, the user's variable that holds that tensor (``None`` when there is none).

    The very object first; else a variable holding the output of the same layer call.
    """
    tensors = [t for t in ctx.ev.layer_inputs if ko.shape_of(t) is not None] if index == ctx.failing() else []
    layer = ctx.layer(index)
    if not tensors and layer is not None:
        nodes = ko.inbound_nodes(layer)
        tensors = ko.node_inputs(nodes[-1]) if nodes else []
    if not tensors:
        return []
    variables = _candidate_variables(ctx)
    names: list[str | None] = []
    for tensor in tensors:
        name = next((n for n, v in variables if v is tensor), None)
        history = ko.history_node(tensor) if name is None and ko.is_keras_tensor(tensor) else None
        if history is not None:
            for n, v in variables:
                other = ko.history_node(v) if ko.is_keras_tensor(v) else None
                if other is not None and other[0] is history[0] and other[1] is history[1]:
                    name = n
                    break
        names.append(name)
    return names


def _ordinal(i: int) -> str:
    return ("first", "second", "third", "fourth")[i] if i < 4 else f"input {i}"


def halvings(ctx: Context, index: int, include_self: bool = False) -> int:
    """How many layers on the path into ``index`` halve the spatial size (poolings, strides 2)."""
    count = 0
    for current in ctx.upstream(index, include_self=include_self):
        row = ctx.row(current)
        before = row.input_shapes[0] if row.input_shapes else None
        after = row.output_shapes[0] if row.output_shapes else None
        if before is None or after is None or len(before) != len(after) or len(before) < 3:
            continue
        strides = ctx.config(current, "strides")
        strided = isinstance(strides, (list, tuple)) and any(isinstance(v, int) and v > 1 for v in strides)
        if not strided and not ("Pool" in row.type and "Global" not in row.type):
            continue  # a valid 3x3 convolution takes 5 to 3: not a halving
        pairs = [(b, a) for b, a in zip(before[1:-1], after[1:-1]) if b is not None and a is not None]
        if pairs and all(b > 1 and a in (b // 2, -(-b // 2)) for b, a in pairs):
            count += 1
    return count


def _crop_pad_layer(rank: int, grow: bool) -> str | None:
    dims = rank - 2
    if dims not in (1, 2, 3):
        return None
    return f"keras.layers.{'ZeroPadding' if grow else 'Cropping'}{dims}D"


def _pairs(diffs: list[int]) -> str:
    """Cropping/padding amounts per axis, split as evenly as possible: ``((4, 4), (4, 4))`` / ``(0, 1)``."""
    pairs = [(d // 2, d - d // 2) for d in diffs]
    if len(pairs) == 1:
        return str(pairs[0])
    return "(" + ", ".join(str(p) for p in pairs) + ")"


def concatenate(ctx: Context, facts: ConcatFacts) -> Verdict | None:
    """``A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis``."""
    index = _merge_row(ctx)
    if index is None:
        return None
    shapes = _input_shapes(ctx, index, facts.inputs)
    axis = ctx.config(index, "axis", -1)
    axis = axis if isinstance(axis, int) else -1
    row = ctx.row(index)
    if len(shapes) < 2:
        return ctx.verdict(index, f"{ctx.name(index)} ({row.type}) got inputs it cannot concatenate.",
                           ["Make every input the same shape except along the concatenation axis."])
    variables = input_variables(ctx, index)
    branch = _branch_names(ctx, index)
    first = shapes[0]
    per_input: list[tuple[int, ...]] = []
    bad_axes: set[int] = set()
    odd = None
    for i, shape in enumerate(shapes):
        diff = differing_axes(first, shape, skip=(axis,)) if i else ()
        if diff:
            odd = odd if odd is not None else i
        bad_axes.update(diff)
        per_input.append(diff)
    if not bad_axes and any(s is not None and first is not None and len(s) != len(first) for s in shapes):
        return _concat_ranks(ctx, index, shapes, variables, branch)
    axes = sorted(bad_axes)
    marks = tuple(tuple(axes) if s is not None else () for s in shapes)
    suspect = None
    producers = ctx.producers(index)
    if odd is not None and odd < len(producers):
        suspect = producers[odd]
    shapes_text = " and ".join(shape_text(s) for s in shapes)
    cause = (f"{ctx.name(index)} ({row.type}) got {shapes_text}: {axis_meaning(first, axes)} differ "
             f"({sizes_of([first, shapes[odd] if odd is not None else None], axes)}); only the concatenation "
             f"axis ({axis}) may differ.")
    one_pixel = first is not None and odd is not None and shapes[odd] is not None and bool(axes) and all(
        0 < a < len(first) - 1 and abs((first[a] or 0) - (shapes[odd][a] or 0)) == 1 for a in axes)
    if one_pixel:
        cause += (" One pixel off: an odd size was halved by a pooling or strided layer (it rounds down) and "
                  "doubled again, so it is not divisible by 2 to the power of the number of poolings.")
    fixes: list[str] = []
    spatial = [a for a in axes if 0 < a < len(first or ()) - 1] if first else []
    odd_name = branch[odd] if odd is not None and odd < len(branch) and branch[odd] else None
    if spatial and first is not None and odd is not None and shapes[odd] is not None:
        fixes = _concat_spatial_fixes(ctx, index, shapes, odd, spatial, variables, branch, one_pixel)
    elif first is not None and odd is not None and shapes[odd] is not None and axes == [len(first) - 1] \
            and axis % len(first) != len(first) - 1:
        fixes = _concat_feature_fixes(ctx, shapes, odd, axis, variables, branch)
    if not fixes:
        fixes.append(f"Make the inputs agree on every axis except axis {axis}, e.g. with a Reshape or a pooling "
                     f"layer on the odd branch{f' ({odd_name!r})' if odd_name else ''}.")
    return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: (marks, ())},
                       received={index: tuple(shapes)})


def _input_ref(i: int, variables: list[str | None], branch: list[str]) -> tuple[str | None, str]:
    """The user's variable for input ``i`` (or None) and a phrase naming it in a sentence."""
    var = variables[i] if i < len(variables) else None
    layer = branch[i] if i < len(branch) and branch[i] else None
    if var:
        return var, f"`{var}`"
    return None, f"the {_ordinal(i)} input" + (f" ({layer!r})" if layer else "")


def _apply(layer_code: str, var: str | None) -> str:
    """``var = layer(var)`` when the variable is known, else the layer alone (the sentence names the input)."""
    if var:
        return f"`{var} = {layer_code}({var})`"
    return f"`{layer_code}`"


def _concat_ranks(ctx: Context, index: int, shapes: tuple[Shape | None, ...], variables: list[str | None],
                  branch: list[str]) -> Verdict:
    """Inputs of different ranks; the usual case is a vector per sample next to a matrix: one axis is missing."""
    row = ctx.row(index)
    ranks = ", ".join(str(len(s)) if s is not None else "?" for s in shapes)
    cause = (f"{ctx.name(index)} ({row.type}) got tensors of different ranks ({ranks}): "
             f"{' and '.join(shape_text(s) for s in shapes)}; every input needs the same number of axes.")
    marks = tuple(tuple(range(len(s))) if s is not None else () for s in shapes)
    fixes: list[str] = []
    top = max(len(s) for s in shapes if s is not None)
    wide = next(s for s in shapes if s is not None and len(s) == top)
    for i, shape in enumerate(shapes):
        if shape is None or len(shape) != top - 1 or tuple(shape) != tuple(wide[:-1]):
            continue
        var, phrase = _input_ref(i, variables, branch)
        code = (f"keras.ops.expand_dims({var or 'tensor'}, -1)" if ctx.ev.flavour != "tf_keras"
                else f"tf.expand_dims({var or 'tensor'}, -1)")
        new = shape_text((*shape, 1))
        cause += f" {phrase[0].upper() + phrase[1:]} {shape_text(shape)} lacks the last axis: it is one value per row."
        if var:
            fixes.append(f"Give {phrase} a last axis of size 1, {shape_text(shape)} -> {new}: `{var} = {code}`.")
        else:
            fixes.append(f"Give {phrase} a last axis of size 1, {shape_text(shape)} -> {new}, with "
                         f"`keras.layers.Reshape({shape_text((*shape[1:], 1))})` (or `expand_dims(..., -1)`).")
    fixes.append("Or flatten every input to one vector per sample before concatenating: "
                 "`keras.layers.Flatten()` on each branch.")
    if len(fixes) == 1:
        fixes[0] = fixes[0].replace("Or flatten", "Flatten", 1)
    return ctx.verdict(index, cause, fixes, marks={index: (marks, ())}, received={index: tuple(shapes)})


def _concat_feature_fixes(ctx: Context, shapes: tuple[Shape | None, ...], odd: int, axis: int,
                          variables: list[str | None], branch: list[str]) -> list[str]:
    """Sequences (or maps) stacked along a non-feature axis whose feature sizes differ."""
    a, b = shapes[0], shapes[odd]
    assert a is not None and b is not None
    wide, narrow = (0, odd) if (a[-1] or 0) > (b[-1] or 0) else (odd, 0)
    size = shapes[narrow][-1]  # type: ignore[index]
    var, phrase = _input_ref(wide, variables, branch)
    rank = len(a)
    project = f"keras.layers.Dense({size})" if rank != 4 else f"keras.layers.Conv2D({size}, 1)"
    fixes = [f"Project {phrase} to {size} features so the inputs agree on every axis but axis {axis}: "
             f"{_apply(project, var)}."]
    if rank == 3:
        names = [_input_ref(i, variables, branch) for i in range(len(shapes))]
        if all(v for v, _ in names):
            pooled = ", ".join(f"keras.layers.GlobalMaxPooling1D()({v})" for v, _ in names)
            fixes.append("Or, to join one feature vector per branch, pool away the steps and concatenate the "
                         f"features: `keras.layers.concatenate([{pooled}], axis=-1)`.")
        else:
            fixes.append("Or, to join one feature vector per branch, pool away the steps: "
                         "`keras.layers.GlobalMaxPooling1D()` on every input, then concatenate with `axis=-1`.")
    return fixes


def _concat_spatial_fixes(ctx: Context, index: int, shapes: tuple[Shape | None, ...], odd: int, spatial: list[int],
                          variables: list[str | None], branch: list[str], one_pixel: bool) -> list[str]:
    """Maps whose spatial sizes differ: crop the larger to the smaller (computed for this merge), or fix the input."""
    a, b = shapes[0], shapes[odd]
    assert a is not None and b is not None
    rank = len(a)
    fixes: list[str] = []
    diffs = [(b[i] or 0) - (a[i] or 0) for i in spatial]
    larger = odd if all(d > 0 for d in diffs) else (0 if all(d < 0 for d in diffs) else None)
    full = len(spatial) == rank - 2
    crop = _crop_pad_layer(rank, grow=False)
    if one_pixel:
        fixes += _input_multiple_fix(ctx, index, rank)
    if larger is not None and crop is not None and full:
        var, phrase = _input_ref(larger, variables, branch)
        small = shapes[0 if larger == odd else odd]
        target = "x".join(str(small[i]) for i in spatial)  # type: ignore[index]
        code = f"{crop}({_pairs([abs(d) for d in diffs])})"
        fixes.append(f"{'Or crop' if fixes else 'Crop'} {phrase} to {target} before concatenating: "
                     f"{_apply(code, var)}.")
    odd_name = branch[odd] if odd < len(branch) and branch[odd] else None
    if odd_name and rank == 4:
        target = tuple(a[i] for i in spatial)
        var, phrase = _input_ref(odd, variables, branch)
        resize = f"keras.layers.Resizing({', '.join(str(t) for t in target)})"
        how = f"`{var} = {resize}({var})`" if var else f"`{resize}`"
        fixes.append(f"{'Or make' if fixes else 'Make'} {odd_name!r} produce the same spatial size {target} (padding="
                     f"\"same\" and matching strides/pooling), or resize it: {how}.")
    return fixes


def _input_multiple_fix(ctx: Context, index: int, rank: int) -> list[str]:
    """Sizes rounded down by pooling: pad the model's input to a multiple of 2**(number of halvings)."""
    count = halvings(ctx, index)
    source = ctx.input_row()
    shape = ctx.row(source).output_shapes[0] if source is not None and ctx.row(source).output_shapes else None
    pad = _crop_pad_layer(rank, grow=True)
    if count < 1 or shape is None or len(shape) != rank or pad is None or None in shape[1:-1]:
        return []
    step = 2 ** count
    sizes = [int(d) for d in shape[1:-1]]  # type: ignore[arg-type]
    wanted = [-(-d // step) * step for d in sizes]
    if wanted == sizes:
        return []
    pairs = _pairs([w - d for w, d in zip(wanted, sizes)])
    have, want = "x".join(map(str, sizes)), "x".join(map(str, wanted))
    crop = _crop_pad_layer(rank, grow=False)
    halve = "1 layer halves" if count == 1 else f"{count} layers halve"
    return [f"Make the input size a multiple of {step} ({halve} it, and an odd size rounds down): "
            f"pad {have} to {want} with `{pad}({pairs})` right after {ctx.name(source)}, and crop the output back "
            f"with `{crop}({pairs})` before the last layer (or resize the images to {want})."]


def elementwise(ctx: Context, facts: ElementwiseFacts) -> Verdict | None:
    """``Inputs have incompatible shapes. Received shapes (32, 32, 3) and (32, 32, 32)`` (Add, Multiply, ...)."""
    index = _merge_row(ctx)
    if index is None:
        return None
    row = ctx.row(index)
    a, b = facts.a, facts.b
    shapes = _input_shapes(ctx, index, ())
    if len(shapes) < 2 and a is not None and b is not None:
        shapes = ((None, *a), (None, *b))
    if len(shapes) < 2:
        return None
    marks: list[tuple[int, ...]] = []
    axes: set[int] = set()
    base = shapes[0]
    for shape in shapes:
        diff = differing_axes(base, shape)
        axes.update(diff)
    for shape in shapes:
        marks.append(tuple(sorted(axes)) if shape is not None else ())
    producers = ctx.producers(index)
    branch = _branch_names(ctx, index)
    odd = next((i for i, s in enumerate(shapes[1:], 1) if differing_axes(base, s)), None)
    smaller = None
    if odd is not None and base is not None and shapes[odd] is not None and base[-1] and shapes[odd][-1]:
        smaller = 0 if (base[-1] or 0) < (shapes[odd][-1] or 0) else odd
    suspect = producers[smaller] if smaller is not None and smaller < len(producers) else None
    op = row.type
    axes_sorted = sorted(axes)
    odd_shape = shapes[odd] if odd is not None else None
    if len(axes_sorted) == 1:
        differ = (f"axis {axes_sorted[0]} differs ({axis_meaning(base, axes_sorted)}: "
                  f"{sizes_of([base, odd_shape], axes_sorted)})")
    elif axes_sorted:
        differ = (f"axes {', '.join(map(str, axes_sorted))} differ ({axis_meaning(base, axes_sorted)}: "
                  f"{sizes_of([base, odd_shape], axes_sorted)})")
    else:
        differ = "the ranks differ"
    cause = (f"{ctx.name(index)} ({op}) got {' and '.join(shape_text(s) for s in shapes)}: {differ}; {op} combines "
             "tensors element by element, so all inputs need the same shape.")
    fixes = []
    if smaller is not None and base is not None and odd is not None:
        big = max(base[-1] or 0, shapes[odd][-1] or 0)
        name = branch[smaller] if smaller < len(branch) and branch[smaller] else "shortcut"
        var = name if name.isidentifier() else "shortcut"
        if len(base) == 4:
            fixes.append(f"Project the narrower branch to {big} channels first: "
                         f"`{var} = keras.layers.Conv2D({big}, 1, padding=\"same\")({var})`.")
        else:
            fixes.append(f"Project the narrower branch to {big} features first: "
                         f"`{var} = keras.layers.Dense({big})({var})`.")
    fixes.append("Give both branches the same number of units/filters (and the same strides and padding).")
    return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: (tuple(marks), ())},
                   received={index: tuple(shapes)})


def dot(ctx: Context, facts: DotFacts) -> Verdict | None:
    """``Incompatible input shapes: axis values 16 (at axis 1) != 32 (at axis 1)`` (Dot)."""
    index = _merge_row(ctx)
    if index is None:
        return None
    row = ctx.row(index)
    shapes = _input_shapes(ctx, index, ())
    va, vb = facts.va, facts.vb
    axis_a = facts.aa if facts.aa is not None else -1
    axis_b = facts.ab if facts.ab is not None else -1
    marks = ((axis_a,), (axis_b,)) if len(shapes) >= 2 else ()
    producers = ctx.producers(index)
    branch = _branch_names(ctx, index)
    suspect = producers[1] if len(producers) > 1 else None
    cause = (f"{ctx.name(index)} ({row.type}) takes a dot product over axis {axis_a} of the first input ({va}) "
             f"and axis {axis_b} of the second ({vb}); those sizes must be equal.")
    other = branch[1] if len(branch) > 1 and branch[1] else "key"
    var = other if other.isidentifier() else "key"
    fixes = [f"Project one side to the other's size, e.g. `{var} = keras.layers.Dense({va})({var})`.",
             "Or choose other `axes=` for the Dot layer."]
    return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: (marks, ())} if marks else {})


FAMILIES = (
    Family(ErrorFamily.MERGE_CONCAT, concatenate, facts=ConcatFacts, patterns=(
        compile_pattern(r"A `Concatenate` layer requires inputs with matching shapes except for the concatenation "
                        r"axis\. Received: input_shape=(?P<inputs>\[[^\n]{0,4000}?\])[ \t]*$", re.S | re.M),
        compile_pattern(r"A `Concatenate` layer (?:should be called on a list of at least|requires)"),
    )),
    Family(ErrorFamily.MERGE_ELEMENTWISE, elementwise, facts=ElementwiseFacts, patterns=(
        compile_pattern(r"Inputs have incompatible shapes\. Received shapes (?P<a>{SHAPE}) and (?P<b>{SHAPE})"),
    )),
    Family(ErrorFamily.MERGE_DOT, dot, facts=DotFacts, patterns=(
        compile_pattern(r"(?:Incompatible input shapes|Dimension incompatibility): axis values (?P<va>\d+) "
                        r"\(at axis (?P<aa>\d+)\) != (?P<vb>\d+) \(at axis (?P<ab>\d+)\)"),
    )),
)
