"""Errors inside user ``call()`` / ``build()`` code, raw TF op errors, and the generic fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...limits import MAX_QUOTED_CHARS
from ...parse import Shape
from ...records import ErrorFamily
from ..context import Context, Verdict, all_axes, shape_text
from ..evidence import is_library_file
from .base import Family, NoFacts, compile_pattern, operand_shapes


@dataclass(frozen=True)
class OpFacts:
    """A raw TF op error: the two sizes that must agree, the node, and the operand shapes."""

    a: int | None = None
    b: int | None = None
    node: str = ""
    inputs: tuple[Shape, ...] = ()


@dataclass(frozen=True)
class InferenceFacts:
    """Keras 3 could not trace a custom layer: which layer, and the error inside its call()."""

    layer: str = ""
    cls: str = ""


_OP_PATTERNS = (
    compile_pattern(r"Dimensions must be equal, but are (?P<a>\d+) and (?P<b>\d+) for '\{\{node "
                    r"(?P<node>[^}\n]{1,500})\}\}"),
    compile_pattern(r"Matrix size-incompatible: In\[0\]: (?P<in0>\[[^\]\n]{0,400}\]), "
                    r"In\[1\]: (?P<in1>\[[^\]\n]{0,400}\])"),
    compile_pattern(r"Incompatible shapes: (?P<s0>\[[^\]\n]{0,400}\]) vs\. (?P<s1>\[[^\]\n]{0,400}\])"),
)


def _op_facts(core: str, facts: OpFacts) -> OpFacts:
    """The operand shapes, wherever the op's message quotes them."""
    return replace(facts, inputs=operand_shapes(core))


def _row_from_node(ctx: Context) -> int | None:
    """A TF node path like ``tiny_net_1/MatMul`` names a layer (uniquified with ``_N``)."""
    text = ctx.parsed.core
    for node in re.findall(r"\{\{node ([^}]+)\}\}", text) + ([ctx.parsed.node_path] if ctx.parsed.node_path else []):
        for part in node.split("/"):
            index = ctx.layer_named(part)
            if index is None:
                index = ctx.layer_named(re.sub(r"_\d+$", "", part))
            if index is not None:
                return index
    return None


def _user_line(ctx: Context) -> str:
    """The line of user code (a custom call/build) that raised, if any."""
    for frame, lineno in reversed(ctx.ev.frames):
        if not is_library_file(frame.f_code.co_filename) and frame.f_code.co_name in ("call", "build", "__call__"):
            import linecache

            line = linecache.getline(frame.f_code.co_filename, lineno, frame.f_globals).strip()
            if line:
                return line
    return ""


def _explain_op_error(text: str) -> str:
    """``MatMul got (None, 24) and (8, 24): the inner sizes 24 and 8 must be equal`` from raw TF op text."""
    facts = OP_FAMILY.match(text)
    if facts is None:
        return ""
    inputs, a, b = facts.inputs, facts.a, facts.b
    op = re.search(r"\{\{node [^}]*?/?(\w+)\}\}", text)
    name = op.group(1) if op else "an operation"
    sentence = f"{name}"
    if inputs:
        sentence += " got " + " and ".join(shape_text(s) for s in inputs)  # type: ignore[union-attr]
    if a and b:
        sentence += f": the inner sizes {a} and {b} must be equal"
    return sentence + "."


def op_shape(ctx: Context, facts: OpFacts) -> Verdict | None:
    """``Dimensions must be equal, but are 8 and 10 for '{{node tiny_net_1/MatMul}}' ...``."""
    index = ctx.failing()
    named = _row_from_node(ctx)
    if index is None:
        index = named
    if index is None:
        return None
    row = ctx.row(index)
    inputs, a, b = facts.inputs, facts.a, facts.b
    op = re.search(r"\{\{node [^}]*?/?(\w+)\}\}", ctx.parsed.core)
    op_name = op.group(1) if op else "an operation"
    line = _user_line(ctx)
    shapes_text = " and ".join(shape_text(s) for s in inputs) if inputs else ""
    cause = f"Inside {ctx.name(index)} ({row.type}), {op_name}"
    if shapes_text:
        cause += f" got {shapes_text}"
    if a and b:
        cause += f": the inner sizes {a} and {b} must be equal"
    cause += "."
    if line:
        cause += f" The failing line: `{line}`."
    fixes = []
    if "MatMul" in op_name or "matmul" in line:
        fixes.append("Create weights from the input size in `build(self, input_shape)`: "
                     "`self.w = self.add_weight(shape=(input_shape[-1], units))` instead of a hard-coded size.")
        fixes.append("Or use `keras.layers.Dense(units)`, which sizes its kernel itself.")
    else:
        fixes.append(f"Check the shapes used in {row.type}.call(): print `x.shape` at the failing line.")
    received = tuple(inputs[:1]) if inputs else ()
    marks = {index: ((all_axes(received[0])[-1:],), ())} if received else {}
    return ctx.verdict(index, cause, fixes, marks=marks)


def output_inference(ctx: Context, facts: InferenceFacts) -> Verdict | None:
    """Keras 3: ``Could not automatically infer the output shape / dtype of 'my_dense'`` (a custom layer)."""
    index = ctx.layer_named(facts.layer) or ctx.failing()
    if index is None:
        return None
    row = ctx.row(index)
    inner = ctx.parsed.core.split("Error encountered:", 1)[-1].strip()
    line = _user_line(ctx)
    explained = _explain_op_error(inner)
    cause = (f"{ctx.name(index)} ({row.type}).call() fails on input {row.input_shape or '?'}: "
             f"{explained or inner.splitlines()[0][:MAX_QUOTED_CHARS]}")
    if line:
        cause += f" The failing line: `{line}`."
    fixes = [f"Check the weight shapes in {row.type}.build(): a kernel for `x @ kernel` must be "
             "`(input_shape[-1], units)`.",
             f"Or implement `{row.type}.compute_output_shape(input_shape)` if the call is shape-correct but "
             "cannot be traced."]
    received = row.input_shapes[0] if row.input_shapes else None
    return ctx.verdict(index, cause, fixes, marks={index: (((len(received) - 1,),), ())} if received else {})


def index_error(ctx: Context, facts: NoFacts) -> Verdict | None:
    """A bare ``IndexError: tuple index out of range`` from a layer's build (Keras 3 BatchNormalization axis)."""
    index = ctx.failing()
    if index is None:
        return None
    row = ctx.row(index)
    axis = ctx.config(index, "axis")
    if axis is not None:
        from .size import AxisFacts, bn_axis

        return bn_axis(ctx, AxisFacts())
    cause = (f"{ctx.name(index)} ({row.type}) looked up an axis its input {row.input_shape or '?'} does not have.")
    return ctx.verdict(index, cause, [f"Check the axis arguments of {row.type} against the input rank."])


def generic(ctx: Context) -> Verdict | None:
    """Any other shape message from inside a layer: highlight the layer, quote the message."""
    index = ctx.failing()
    if index is None:
        for name in ctx.parsed.quoted_names:
            index = ctx.layer_named(name)
            if index is not None:
                break
    if index is None:
        index = _row_from_node(ctx)
    if index is None:
        return None
    row = ctx.row(index)
    first = ctx.parsed.core.strip().splitlines()[0][:MAX_QUOTED_CHARS] if ctx.parsed.core.strip() else "an error"
    cause = f"{ctx.name(index)} ({row.type}) failed on input {row.input_shape or '?'}: {first}"
    return ctx.verdict(index, cause, [], generic=True)  # the row is known; no fix rather than a wrong one


OP_FAMILY = Family(ErrorFamily.OP_SHAPE, op_shape, facts=OpFacts, refine=_op_facts, patterns=_OP_PATTERNS)

FAMILIES = (
    Family(ErrorFamily.OUTPUT_INFERENCE, output_inference, facts=InferenceFacts, patterns=(
        compile_pattern(r"Could not automatically infer the output shape / dtype of '(?P<layer>[^'\n]{1,300})' "
                        r"\(of type (?P<cls>\w{1,200})\)"),
    )),
    OP_FAMILY,
    Family(ErrorFamily.INDEX_ERROR, index_error, patterns=(compile_pattern(r"^(?:tuple|list) index out of range$"),)),
)
