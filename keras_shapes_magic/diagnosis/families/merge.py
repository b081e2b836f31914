"""Merge layers (Concatenate, Add, Multiply, Subtract, Average, Maximum, Dot) with mismatched inputs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...parse import Shape
from ...records import ErrorFamily
from ..context import Context, Verdict, axis_meaning, differing_axes, shape_text, sizes_of
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
        ranks = ", ".join(str(len(s)) if s is not None else "?" for s in shapes)
        cause = (f"{ctx.name(index)} ({row.type}) got tensors of different ranks ({ranks}): "
                 f"{' and '.join(shape_text(s) for s in shapes)}; every input needs the same number of axes.")
        marks = tuple(tuple(range(len(s))) if s is not None else () for s in shapes)
        return ctx.verdict(index, cause, ["Reshape or flatten the inputs so they have the same rank, e.g. "
                                      "`keras.layers.Flatten()(x)` on each branch before concatenating."],
                       marks={index: (marks, ())}, received={index: tuple(shapes)})
    axes = sorted(bad_axes)
    marks = tuple(tuple(axes) if s is not None else () for s in shapes)
    branch = _branch_names(ctx, index)
    suspect = None
    producers = ctx.producers(index)
    if odd is not None and odd < len(producers):
        suspect = producers[odd]
    shapes_text = " and ".join(shape_text(s) for s in shapes)
    cause = (f"{ctx.name(index)} ({row.type}) got {shapes_text}: {axis_meaning(first, axes)} differ "
             f"({sizes_of([first, shapes[odd] if odd is not None else None], axes)}); only the concatenation "
             f"axis ({axis}) may differ.")
    if first is not None and odd is not None and shapes[odd] is not None and axes and all(
            0 < a < len(first) - 1 and abs((first[a] or 0) - (shapes[odd][a] or 0)) == 1 for a in axes):
        cause += (" One pixel off: an odd size was halved by a pooling or strided layer (it rounds down) and "
                  "doubled again, so it is not divisible by 2 to the power of the number of poolings.")
    fixes = []
    spatial = [a for a in axes if 0 < a < len(first or ()) - 1] if first else []
    odd_name = branch[odd] if odd is not None and odd < len(branch) and branch[odd] else None
    if spatial and first is not None and odd is not None:
        a, b = first, shapes[odd]
        target = tuple(a[i] for i in spatial) if a else ()
        if a is not None and b is not None and all(abs((a[i] or 0) - (b[i] or 0)) == 1 for i in spatial):
            fixes.append("The sizes differ by one pixel, as after pooling an odd size: use an input size divisible "
                         "by 2**(number of poolings), or crop the larger branch, e.g. "
                         "`keras.layers.Cropping2D(((0, 1), (0, 1)))(branch)`.")
        if odd_name:
            fixes.append(f"Make {odd_name!r} produce the same spatial size {target}, e.g. with padding=\"same\" "
                         f"and matching strides/pooling, or resize it: "
                         f"`keras.layers.Resizing({', '.join(str(t) for t in target)})({odd_name})`.")
    if not fixes:
        fixes.append(f"Make the inputs agree on every axis except axis {axis}, e.g. with a Reshape or a pooling "
                     f"layer on the odd branch{f' ({odd_name!r})' if odd_name else ''}.")
    return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: (marks, ())},
                       received={index: tuple(shapes)})


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
    differ = (f"{axis_meaning(base, axes_sorted)} differ ({sizes_of([base, odd_shape], axes_sorted)})"
              if axes_sorted else "the ranks differ")
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
