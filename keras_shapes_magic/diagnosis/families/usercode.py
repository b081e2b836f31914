"""Errors inside user ``call()`` / ``build()`` code, raw TF op errors, and the generic fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...limits import MAX_NAMESPACE_NAMES, MAX_QUOTED_CHARS
from ...parse import Shape, parse_shape, shapes_in
from ...records import ErrorFamily
from .. import keras_objects as ko
from ..context import RECURRENT_LAYERS, Context, Verdict, all_axes, op_code, shape_text
from ..data_fit import data_fault
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


_STATEFUL_LOOP = (
    re.compile(r"enters the loop with shape (?P<fixed>\([^)\n]{0,200}\)), but has shape (?P<got>\([^)\n]{0,200}\)) "
               r"after one iteration"),
    re.compile(r"Tried to append a tensor with incompatible shape to a list\. Op element shape: "
               r"(?P<got>\[[^\]\n]{0,200}\]) list shape: (?P<fixed>\[[^\]\n]{0,200}\])"),
    # Keras 3's own check (raised first on the PyTorch backend): the batch sizes alone
    re.compile(r"If an RNN is stateful, the batch size of the input sequences must be the same as the batch size "
               r"of the initial state\.\s{0,10}- Expected batch size: (?P<fixed_batch>\d{1,9})\s{0,10}"
               r"- Received batch size: (?P<got_batch>\d{1,9})"),
)

#: the same op errors raised by Keras 3's other backends (JAX, then PyTorch)
BACKEND_OP_PATTERNS = (
    compile_pattern(r"Incompatible shapes for broadcasting: shapes=\[[^\]\n]{0,800}\]"),
    compile_pattern(r"\w{1,40} got incompatible shapes for broadcasting: \([^()\n]{0,400}\), \([^()\n]{0,400}\)"),
    compile_pattern(r"dot_general requires contracting dimensions to have the same shape, got "
                    r"\((?P<a>\d+),?\) and \((?P<b>\d+),?\)"),
    compile_pattern(r"mat1 and mat2 shapes cannot be multiplied \((?:\d{1,9}|None)x(?P<a>\d{1,9}) and "
                    r"(?P<b>\d{1,9})x(?:\d{1,9}|None)\)"),
    compile_pattern(r"The size of tensor a \((?:(?P<a>\d+)|None)\) must match the size of tensor b "
                    r"\((?:(?P<b>\d+)|None)\) at non-singleton dimension \d+"),
    # JAX's squeeze of an axis that is not 1 (an accuracy metric squeezing targets of another rank, say)
    compile_pattern(r"cannot select an axis to squeeze out which has size not equal to one, got shape="
                    r"\([\d, ]{0,200}\) and dimensions="),
)

_OP_PATTERNS = (
    *(compile_pattern(pattern.pattern) for pattern in _STATEFUL_LOOP),
    compile_pattern(r"Dimensions must be equal, but are (?P<a>\d+) and (?P<b>\d+) for '\{\{node "
                    r"(?P<node>[^}\n]{1,500})\}\}"),
    compile_pattern(r"Matrix size-incompatible: In\[0\]: (?P<in0>\[[^\]\n]{0,400}\]), "
                    r"In\[1\]: (?P<in1>\[[^\]\n]{0,400}\])"),
    compile_pattern(r"Incompatible shapes: (?P<s0>\[[^\]\n]{0,400}\]) vs\. (?P<s1>\[[^\]\n]{0,400}\])"),
    *BACKEND_OP_PATTERNS,
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
    stateful = stateful_batch(ctx)
    if stateful is not None:
        return stateful
    fault = data_fault(ctx)  # the data never fitted the model: Keras 3 let it through and an op failed on it
    if fault is not None:
        return fault
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
    broadcast = _weight_broadcast(ctx, index, op_name, inputs, line)
    if broadcast is not None:
        return broadcast
    adapted = _adapted_on_other_features(ctx, index)
    if adapted is not None:
        return adapted
    shapes_text = " and ".join(shape_text(s) for s in inputs) if inputs else ""
    weight = _weight_with_sizes(ctx, index, (a, b)) if not inputs and a and b else None
    if weight is not None and row.input_shapes and row.input_shapes[0] is not None:
        shapes_text = f"{shape_text(row.input_shapes[0])} and the weight {weight[0]!r} {shape_text(weight[1])}"
    cause = f"Inside {ctx.name(index)} ({row.type}), {op_name}"
    if shapes_text:
        cause += f" got {shapes_text}"
    product = _is_product(op_name, line, ctx.parsed.core)
    if a and b:  # a product contracts the inner sizes; an element-wise op broadcasts from the last axis
        cause += (f": the inner sizes {a} and {b} must be equal" if product
                  else f": sizes {a} and {b} on the same axis must be equal (or one of them 1) to broadcast")
    cause += "."
    operands = inputs or ((row.input_shapes[0], weight[1]) if weight is not None and row.input_shapes
                          and row.input_shapes[0] is not None else ())
    about_weight, fixes = _product_advice(operands, line) if product else ("", [])
    cause += about_weight
    if line:
        cause += f" The failing line: `{line}`."
    if not product:
        fixes.append(f"Check the shapes used in {row.type}.call(): print `x.shape` at the failing line.")
    received = tuple(inputs[:1]) if inputs else ()
    marks = {index: ((all_axes(received[0])[-1:],), ())} if received else {}
    return ctx.verdict(index, cause, fixes, marks=marks, generic=not product)  # no product: the fix is a guess


#: preprocessing layers that keep statistics of the data they were adapted on, one per feature
_ADAPTED_LAYERS = ("Normalization",)


def _adapted_on_other_features(ctx: Context, index: int) -> Verdict | None:
    """A ``Normalization`` adapted on data of other features: its mean (1, 6) meets inputs of 9 features."""
    row = ctx.row(index)
    if row.type not in _ADAPTED_LAYERS or not row.input_shapes or row.input_shapes[0] is None:
        return None
    layer = ctx.layer(index)
    mean = ko.shape_of(ko.attr(layer, "mean")) if layer is not None else None
    received = row.input_shapes[0]
    if not mean or not received or mean[-1] is None or mean[-1] == received[-1] or received[-1] is None:
        return None
    name = next((n for n, v in ko.namespace_items(ctx.ev.namespace, MAX_NAMESPACE_NAMES)
                 if v is layer and isinstance(n, str) and n.isidentifier() and not n.startswith("_")), None)
    adapted, gets = mean[-1], received[-1]
    cause = (f"{ctx.name(index)} ({row.type}) was adapted on data with {adapted} features (its mean is "
             f"{shape_text(mean)}), but it gets {shape_text(received)}: {gets} features. It subtracts one mean "
             "per feature, so the two must agree.")
    fixes = [f"Adapt it on training data with the {gets} features the model takes: "
             f"`{name or 'normalizer'}.adapt(x_train)` (x_train of shape (N, {gets})), before building the model.",
             f"Or give the model the {adapted} features it was adapted on: `keras.Input(shape=({adapted},))` and "
             f"data of {adapted} columns."]
    return ctx.verdict(index, cause, fixes, marks={index: (((len(received) - 1,),), ())},
                       received={index: (received,)})


def _is_product(op_name: str, line: str, core: str) -> bool:
    """The failing op multiplies matrices (TF's MatMul node, the user's line, PyTorch's or JAX's words)."""
    return ("MatMul" in op_name or "matmul" in line or "@" in line
            or any(word in core for word in ("mat1 and mat2", "dot_general", "MatMul")))


def _product_advice(inputs: tuple[Shape, ...], line: str) -> tuple[str, list[str]]:
    """For a failed product ``x @ w`` in a custom layer: a sentence about the weight, and the fixes."""
    name = _weight_in_line(line) or "self.w"
    transposed = _transposed_kernel(inputs)
    if transposed is not None:
        units, size = transposed
        return (f" The weight {shape_text(inputs[1])} is (units, input size), transposed: x @ w needs it as "
                f"(input size, units) = ({size}, {units}).",
                [f"Create the weight the other way round in `build(self, input_shape)`: `{name} = "
                 f"self.add_weight(shape=(input_shape[-1], {units}))` (input size first).",
                 f"Or use `keras.layers.Dense({units})`, which sizes its kernel itself."])
    units = inputs[1][-1] if len(inputs) > 1 and inputs[1] and inputs[1][-1] else None
    if units is None:  # the weight's shape is unknown: no code with a name that would not exist in build()
        return "", ["Create the weight from the input size in `build(self, input_shape)`: its first axis must be "
                    "`input_shape[-1]`, not a hard-coded size.",
                    "Or use a `keras.layers.Dense` layer with your number of units, which sizes its kernel itself."]
    return "", [f"Create the weight from the input size in `build(self, input_shape)`: `{name} = "
                f"self.add_weight(shape=(input_shape[-1], {units}))` instead of a hard-coded size.",
                f"Or use `keras.layers.Dense({units})`, which sizes its kernel itself."]


def _transposed_kernel(inputs: tuple[Shape, ...]) -> tuple[int, int] | None:
    """``(units, input size)`` when a product's weight is the transpose of what it needs: x (.., 24) @ w (8, 24)."""
    if len(inputs) != 2 or len(inputs[1]) != 2 or not inputs[0]:
        return None
    size, (rows, columns) = inputs[0][-1], inputs[1]
    if size is None or rows is None or rows == size or columns != size:
        return None
    return rows, size


def _weight_in_line(line: str) -> str | None:
    """``self.kernel`` from ``keras.ops.matmul(inputs, self.kernel)`` or ``inputs @ self.kernel``."""
    found = re.search(r"matmul\([^,()]{1,200},\s*(self\.\w{1,80})\s*\)", line) \
        or re.search(r"@\s*(self\.\w{1,80})", line)
    return found.group(1) if found else None


#: TF ops that combine tensors element by element (their operands broadcast from the last axis)
_ELEMENTWISE_OPS = {"mul", "add", "addv2", "sub", "realdiv", "truediv", "div", "maximum", "minimum",
                    "squareddifference", "broadcastgradientargs", "pow"}


def _weight_broadcast(ctx: Context, index: int, op_name: str, inputs: tuple[Shape, ...],
                      line: str) -> Verdict | None:
    """A custom layer combining its inputs element by element with a weight that was sized for another axis."""
    row = ctx.row(index)
    received = row.input_shapes[0] if row.input_shapes else None
    if op_name.lower() not in _ELEMENTWISE_OPS or len(inputs) != 2 or received is None:
        return None

    def is_input(shape: Shape) -> bool:
        return len(shape) == len(received) and tuple(shape[1:]) == tuple(received[1:])

    pairs = [(x, w) for x, w in (inputs, inputs[::-1]) if is_input(x)]
    # the weight has no batch axis: it is the operand that does not fit the input, or else (a square
    # (n, n) weight fits it too) the one whose first axis is the input size
    pair = [(x, w) for x, w in pairs if not is_input(w)] or [
        (x, w) for x, w in pairs if len(w) == 2 and w[0] == x[-1] and x[0] != w[0]]
    if not pair:
        return None
    x, w = pair[0]
    if not w or w[-1] is None or x[-1] is None:
        return None
    where = f" The failing line: `{line}`." if line else ""
    lead = (f"Inside {ctx.name(index)} ({row.type}), {op_name} combines the inputs {shape_text(x)} element by element "
            f"with a weight {shape_text(w)}: broadcasting lines shapes up from the last axis")
    if len(w) == 2 and w[0] == x[-1] and len(x) == 2:
        cause = (f"{lead}, so the weight's first axis ({w[0]}, the input size) meets the batch axis ({x[0]})."
                 + where)
        expand = op_code("expand_dims", ctx.ev.backend)
        fixes = [f"Give the inputs an axis for the weight's {w[-1]} columns: `{expand}(inputs, -1)` "
                 f"({shape_text(x)} -> {shape_text((x[0], x[1], 1))}, which broadcasts with {shape_text(w)} to "
                 f"{shape_text((x[0], w[0], w[1]))}); then reduce over axis 1."]
        return ctx.verdict(index, cause, fixes, marks={index: (((len(received) - 1,),), ())})
    axis = next((i for i in range(1, len(x) - 1) if x[i] == w[-1]), None)
    if axis is not None and w[-1] != x[-1]:
        cause = (f"{lead}, so the weight's last axis ({w[-1]}) meets the inputs' last axis ({x[-1]}); it was sized "
                 f"from `input_shape[{axis}]` ({x[axis]}), not from the last axis." + where)
        fixes = [f"Size the weight from the last axis in `build()`: `input_shape[-1]` ({x[-1]}) instead of "
                 f"`input_shape[{axis}]`."]
        return ctx.verdict(index, cause, fixes, marks={index: (((len(received) - 1,),), ())})
    return None


def stateful_batch(ctx: Context) -> Verdict | None:
    """A stateful RNN built for a fixed batch size (``batch_shape``) given batches of another size by fit()."""
    found = next((m for m in (p.search(ctx.parsed.core) for p in _STATEFUL_LOOP) if m is not None), None)
    if found is None:
        return None
    rows = [i for i, row in enumerate(ctx.table.rows) if row.kind == "layer" and row.type in RECURRENT_LAYERS
            and str(ctx.config(i, "stateful", False)) == "True"]
    if not rows:
        return None
    index = ctx.failing() if ctx.failing() in rows else (_row_from_node(ctx) if _row_from_node(ctx) in rows
                                                          else rows[0])
    groups = found.groupdict()
    fixed = parse_shape(groups["fixed"]) if groups.get("fixed") else (int(groups["fixed_batch"]),)
    got = parse_shape(groups["got"]) if groups.get("got") else (int(groups["got_batch"]),)
    source = ctx.input_row()
    declared = ctx.row(source).output_shapes[0] if source is not None and ctx.row(source).output_shapes else None
    size = (declared[0] if declared and declared[0] else None) or (fixed[0] if fixed else None)
    if not isinstance(size, int):
        return None
    other = got[0] if got and got[0] else None
    fed = f"batches of {other}" if other else "batches of another size (fit's default batch_size is 32)"
    cause = (f"{ctx.name(index)} ({ctx.row(index).type}) is stateful: it keeps one state per sequence of a fixed batch "
             f"of {size}" + (f" (the Input's batch_shape {shape_text(declared)})" if declared and declared[0] else "")
             + f", but it was fed {fed}.")
    fixes = [f"Feed batches of exactly {size}: `model.fit(x, y, batch_size={size})` (the same in `predict` and "
             "`evaluate`).",
             "Or, if the state need not carry over from batch to batch, drop `stateful=True` and the fixed batch "
             "size (`keras.Input(shape=...)` instead of `batch_shape=`)."]
    return ctx.verdict(index, cause, fixes, suspect=source if source is not None and source != index else None)


_INITIAL_STATE = re.compile(r"An `initial_state` was passed that is not compatible with `cell\.state_size`\. "
                            r"Received `state_spec`=(?P<spec>[^\n]{0,1000}?); however `cell\.state_size` is "
                            r"(?P<size>\[[^\]\n]{0,200}\]|\d+)")


def _state_producer(ctx: Context, shape: Shape) -> object | None:
    """The layer that produced the tensor of this shape passed to the failing call (its ``initial_state``)."""
    for value in ctx.ev.layer_frame_locals.values():
        for tensor in ko.keras_tensors_in(value):
            if ko.shape_of(tensor) == shape:
                found = ko.history_node(tensor)
                if found is not None:
                    return found[0]
    return None


def initial_state(ctx: Context) -> Verdict | None:
    """An RNN given a whole output sequence (or the wrong number of tensors) as its ``initial_state``."""
    found = _INITIAL_STATE.search(ctx.parsed.core)
    index = ctx.failing()
    if found is None or index is None:
        return None
    row = ctx.row(index)
    given = [s for s in shapes_in(found.group("spec")) if s is not None]
    sizes = [int(v) for v in re.findall(r"\d+", found.group("size"))]
    if not sizes:
        return None
    states = ", ".join(shape_text((None, n)) for n in sizes)
    cause = (f"{ctx.name(index)} ({row.type}) takes as initial_state {len(sizes)} state tensor"
             f"{'s' if len(sizes) > 1 else ''} ({states}), but got {', '.join(shape_text(s) for s in given) or '?'}")
    sequence = next((s for s in given if len(s) == 3), None)
    source = None
    if sequence is not None:
        cause += ": a whole output sequence, not the final states."
        source = next((i for i in range(len(ctx.table.rows)) if ctx.row(i).type in RECURRENT_LAYERS and i != index
                       and ctx.row(i).output_shapes and ctx.row(i).output_shapes[0] == sequence), None)
    else:
        cause += "."
    producer = _state_producer(ctx, sequence) if source is None and sequence is not None else None
    kind = ctx.row(source).type if source is not None else (ko.class_name(producer) if producer is not None else "")
    if producer is not None:
        cause = cause[:-1] + f" of {ko.safe_name(producer)!r} ({kind})."
    names = ["h", "c"][:len(sizes)] if len(sizes) <= 2 else [f"s{i}" for i in range(len(sizes))]
    if kind == "Bidirectional":
        units = sizes[0] // 2
        outs = ", ".join(f"f{n}" for n in names) + ", " + ", ".join(f"b{n}" for n in names)
        joined = ", ".join(f"keras.layers.Concatenate()([f{n}, b{n}])" for n in names)
        fixes = [f"Return the encoder's final states with `return_state=True` and join both directions: "
                 f"`encoder, {outs} = keras.layers.Bidirectional(keras.layers.LSTM({units}, return_sequences=True, "
                 f"return_state=True))(...)`, then `initial_state=[{joined}]`."]
    else:
        fixes = [f"Return the final states with `return_state=True`: `outputs, {', '.join(names)} = "
                 f"keras.layers.LSTM({sizes[0]}, return_sequences=True, return_state=True)(...)`, then "
                 f"`initial_state=[{', '.join(names)}]`."]
    return ctx.verdict(index, cause, fixes, suspect=source)


def _weight_with_sizes(ctx: Context, index: int, sizes: tuple[int, ...]) -> tuple[str, Shape] | None:
    """The layer's own 2-D weight holding both sizes an op error quotes (JAX's ``dot_general`` and PyTorch
    name the sizes, not the operand shapes): ``(name, shape)``."""
    layer = ctx.layer(index)
    if layer is None or not sizes:
        return None
    received = ctx.row(index).input_shapes[0] if ctx.row(index).input_shapes else None
    # the input's own size is the input's; the weight must hold the other one (x (.., 20) @ w (32, 32))
    needed = set(sizes) - ({received[-1]} if received and len(set(sizes)) > 1 else set())
    for weight in ko.attr(layer, "weights", None) or ():
        shape = ko.shape_of(weight)
        if shape is not None and len(shape) == 2 and needed <= set(shape):
            return str(ko.attr(weight, "name") or "kernel"), shape
    return None


def _with_weight_shapes(ctx: Context, index: int, explained: str) -> str | None:
    """``an operation got (None, 24) and the weight 'kernel' (8, 24): ...`` where the message names no shapes."""
    found = re.search(r"inner sizes (\d+) and (\d+)", explained)
    received = ctx.row(index).input_shapes[0] if ctx.row(index).input_shapes else None
    weight = _weight_with_sizes(ctx, index, (int(found.group(1)), int(found.group(2)))) if found else None
    if weight is None or received is None:
        return None
    head, _, tail = explained.partition(":")
    return f"{head} got {shape_text(received)} and the weight {weight[0]!r} {shape_text(weight[1])}:{tail}"


def output_inference(ctx: Context, facts: InferenceFacts) -> Verdict | None:
    """Keras 3: ``Could not automatically infer the output shape / dtype of 'my_dense'`` (a custom layer)."""
    index = ctx.layer_named(facts.layer) or ctx.failing()
    if index is None:
        return None
    row = ctx.row(index)
    inner = ctx.parsed.core.split("Error encountered:", 1)[-1].strip()
    line = _user_line(ctx)
    explained = _explain_op_error(inner)
    if explained and " got " not in explained:  # JAX / PyTorch quote only the sizes: read the weights' shapes
        explained = _with_weight_shapes(ctx, index, explained) or explained
    cause = (f"{ctx.name(index)} ({row.type}).call() fails on input {row.input_shape or '?'}: "
             f"{explained or inner.splitlines()[0][:MAX_QUOTED_CHARS]}")
    operands = operand_shapes(inner)
    product = _is_product("", line, inner) and bool(operands)
    about_weight, fixes = _product_advice(operands, line) if product \
        else ("", [f"Check the weight shapes in {row.type}.build(): a kernel for `x @ kernel` must be "
                   "`(input_shape[-1], units)`."])
    cause = cause.rstrip(".") + "." + about_weight
    if line:
        cause += f" The failing line: `{line}`."
    fixes.append(f"Or implement `{row.type}.compute_output_shape(input_shape)` if the call is shape-correct but "
                 "cannot be traced.")
    received = row.input_shapes[0] if row.input_shapes else None
    return ctx.verdict(index, cause, fixes, marks={index: (((len(received) - 1,),), ())} if received else {},
                       generic=not product)


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
    return ctx.verdict(index, cause, [f"Check the axis arguments of {row.type} against the input rank."],
                       generic=True)


def generic(ctx: Context) -> Verdict | None:
    """Any other shape message from inside a layer: highlight the layer, quote the message."""
    for rule in (initial_state, stateful_batch):
        verdict = rule(ctx)
        if verdict is not None:
            return verdict
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
