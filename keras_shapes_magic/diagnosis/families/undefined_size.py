"""A weight that cannot be built because a size it depends on is ``None`` (unknown until run time).

Classic case: ``TextVectorization`` without ``output_sequence_length`` gives sequences of unknown
length; ``Flatten`` turns (None, None, 8) into (None, None), and the ``Dense`` after it cannot size
its kernel. The culprit is the row that first made that axis ``None``, found by walking the table back.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...parse import Shape
from ...records import ErrorFamily
from ..context import Context, Verdict, shape_text
from .base import Family, compile_pattern


@dataclass(frozen=True)
class UndefinedSizeFacts:
    """What the message quotes: the input with the ``None`` (tf_keras) or the weight's shape and path (Keras 3)."""

    received: Shape | None = None
    kernel: Shape | None = None
    path: str = ""


def _origin(ctx: Context, index: int) -> int | None:
    """The earliest row, walking back from ``index``, whose output has an unknown (None) non-batch axis."""
    origin = None
    for current in ctx.upstream(index, include_input=True):
        row = ctx.row(current)
        shape = row.output_shapes[0] if row.output_shapes else None
        if shape is None or None not in shape[1:]:
            break
        origin = current
    return origin


def explain(ctx: Context, facts: UndefinedSizeFacts) -> Verdict | None:
    index = ctx.failing()
    if index is None and facts.path:
        index = ctx.layer_named(facts.path.split("/")[0])
    if index is None:
        return None
    row = ctx.row(index)
    previous = ctx.previous_layer(index)
    received = facts.received
    if previous is not None and ctx.row(previous).output_shapes:
        received = ctx.row(previous).output_shapes[0] or received
    origin = _origin(ctx, index)
    cause = (f"{ctx.name(index)} ({row.type}) builds its weights from the size of its input's last axis, "
             f"but its input {shape_text(received)} has no fixed size there (None).")
    fixes: list[str] = []
    suspect = None
    flatten = previous if previous is not None and ctx.row(previous).type == "Flatten" else None
    if origin is not None:
        source = ctx.row(origin)
        suspect = origin
        cause += (f" The unknown size starts at {ctx.name(origin)} ({source.type}), whose output is "
                  f"{shape_text(source.output_shapes[0])}")
        cause += (f", and {ctx.name(flatten)} (Flatten) multiplies it into the features." if flatten is not None
                  else ".")
        if source.type == "TextVectorization":
            fixes.append("Give every sequence the same length: "
                         "`keras.layers.TextVectorization(max_tokens=..., output_sequence_length=200)` "
                         "(200 tokens, padded or cut).")
        elif source.kind == "input":
            spec = source.output_shapes[0] or ()
            fixed = ", ".join("200" if d is None else str(d) for d in spec[1:])
            fixes.append(f"Give the Input a fixed length: `keras.Input(shape=({fixed}{',' if len(spec) == 2 else ''}))`"
                         " (200 steps, padded or cut).")
    if flatten is not None:
        fixes.append(f"Or pool over the length instead of flattening it: replace {ctx.name(flatten)} with "
                     "`keras.layers.GlobalAveragePooling1D()`, which works for any length.")
    if not fixes:
        fixes.append("Give that axis a fixed size before this layer (a fixed input length, or a pooling layer "
                     "that removes the axis).")
    marks = ((len(received) - 1,),) if received else ()
    return ctx.verdict(index, cause, fixes, suspect=suspect, marks={index: (marks, ())} if marks else {},
                   received={index: (received,)} if received else {})


FAMILIES = (
    Family(ErrorFamily.UNDEFINED_SIZE, explain, facts=UndefinedSizeFacts, patterns=(
        compile_pattern(r"Shapes used to initialize variables must be fully-defined \(no `None` dimensions\)\. "
                        r"Received: shape=(?P<kernel>{SHAPE}) for variable path='(?P<path>[^'\n]{1,300})'"),
        compile_pattern(r"The last dimension of the inputs to a `?\w{1,100}`? layer should be defined\. Found None\. "
                        r"Full input shape received: (?P<received>{SHAPE})"),
    )),
)
