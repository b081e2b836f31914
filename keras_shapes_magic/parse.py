"""Keras error text -> structured facts. Pure string work: no Keras, no IPython.

The message is only one source of evidence (frames and layer state come first, see
``evidence``); this module turns whatever the message says into plain data:
which family of error it is, which shapes it quotes, and which names it quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Shape = tuple[int | None, ...]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: Messages longer than this are parsed from their head and tail only (the facts sit there).
MAX_PARSED_CHARS = 20_000
_HEAD_CHARS = 16_000
_K3_PREFIX = "Exception encountered when calling "
_K3_ARGUMENTS = "\n\nArguments received by "
_TFK_ARGUMENTS = "\n\nCall arguments received by layer "
_TFK_HEADER = re.compile(r"layer ['\"](?P<name>[^'\"\n]{1,300})['\"] \(type (?P<cls>\w{1,200})\)")
_AUTOGRAPH_ERROR = re.compile(r"\n    (?:[\w.]{1,200}(?:Error|Exception)|AssertionError): ", re.S)
_SHAPE = r"[\(\[][^\(\)\[\]\n]{0,400}[\)\]]"


@dataclass(frozen=True)
class ParsedMessage:
    """What an error message says, after its Keras / autograph wrappers are removed."""

    family: str
    core: str
    clean: str
    wrapper_class: str | None = None
    wrapper_layer: str | None = None
    call_argument_shapes: tuple[Shape, ...] = ()
    quoted_names: tuple[str, ...] = ()
    shapes: dict[str, object] = field(default_factory=dict)
    node_path: str | None = None


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes (Keras 3 wraps the real message in bold)."""
    return _ANSI.sub("", text)


def parse_shape(text: str) -> Shape | None:
    """``"(None, 28, 28)"``, ``"[?,1,1,8]"``, ``"[None 1 1 8]"`` or ``"(64,)"`` -> tuple."""
    text = text.strip()
    if len(text) < 2 or text[0] not in "([" or text[-1] not in ")]":
        return None
    inner = text[1:-1].strip()
    if not inner:
        return ()
    parts = [p for p in re.split(r"[,\s]+", inner) if p]
    dims: list[int | None] = []
    for part in parts:
        if part in ("None", "?", "-1"):
            dims.append(None)
        elif re.fullmatch(r"\d+", part):
            dims.append(int(part))
        else:
            return None
    return tuple(dims)


def format_shape(shape: Shape | None) -> str:
    """``(None, 28, 28, 1)`` in Keras's own notation; ``?`` when unknown."""
    if shape is None:
        return "?"
    if len(shape) == 1:
        return f"({_dim(shape[0])},)"
    return "(" + ", ".join(_dim(d) for d in shape) + ")"


def _dim(d: int | None) -> str:
    return "None" if d is None else str(d)


def _shapes_in(text: str) -> list[Shape]:
    found = []
    for m in re.finditer(_SHAPE, text):
        shape = parse_shape(m.group(0))
        if shape is not None:
            found.append(shape)
    return found


def bounded(text: str) -> str:
    """``text`` itself, or its head and tail when it is longer than :data:`MAX_PARSED_CHARS`."""
    if len(text) <= MAX_PARSED_CHARS:
        return text
    return text[:_HEAD_CHARS] + "\n...\n" + text[-(MAX_PARSED_CHARS - _HEAD_CHARS):]


def _strip_keras3_wrapper(text: str) -> tuple[str, str, str] | None:
    """``(core, display, arguments)`` of Keras 3's "Exception encountered when calling X.call()" text."""
    start = text.find(_K3_PREFIX)
    for _ in range(4):  # a few candidate starts; every step is a linear scan
        if start < 0:
            return None
        header_end = text.find(".\n\n", start)
        if header_end < 0:
            return None
        display = text[start + len(_K3_PREFIX):header_end]
        if "\n" not in display and display:
            marker = _K3_ARGUMENTS + display + ":\n"
            end = text.find(marker, header_end + 3)
            if end >= 0:
                return text[header_end + 3:end], display, text[end + len(marker):]
        start = text.find(_K3_PREFIX, start + 1)
    return None


def _strip_tf_keras_wrapper(text: str) -> tuple[str, str, str, str] | None:
    """``(core, class, layer, arguments)`` of tf_keras's "Exception encountered when calling layer 'x'" text."""
    start = text.find(_K3_PREFIX + "layer ")
    if start < 0:
        return None
    header = _TFK_HEADER.match(text, start + len(_K3_PREFIX))
    if header is None or not text.startswith(".\n\n", header.end()):
        return None
    name, cls = header.group("name"), header.group("cls")
    found = [(text.find(_TFK_ARGUMENTS + f"{q}{name}{q} (type {cls}):\n", header.end()), q) for q in "'\""]
    found = [(i, q) for i, q in found if i >= 0]
    if not found:
        return None
    end, quote = min(found)
    marker = _TFK_ARGUMENTS + f"{quote}{name}{quote} (type {cls}):\n"
    return text[header.end() + 3:end], cls, name, text[end + len(marker):]


def unwrap(message: str) -> tuple[str, str | None, str | None, str]:
    """Remove the call-info and autograph wrappers, in time linear in the message's length.

    Returns ``(core, wrapper_class, wrapper_layer_name, arguments_text)``.
    """
    text = strip_ansi(message).strip()
    wrapper_class = wrapper_layer = None
    args_text = ""
    for _ in range(4):  # wrappers can nest (a layer error inside autograph)
        changed = False
        tf_keras = _strip_tf_keras_wrapper(text)
        if tf_keras:
            core, cls, name, arguments = tf_keras
            wrapper_class = wrapper_class or cls
            wrapper_layer = wrapper_layer or name
            args_text = args_text or arguments
            text = core.strip()
            changed = True
        keras3 = _strip_keras3_wrapper(text)
        if keras3:
            core, display, arguments = keras3
            wrapper_class = wrapper_class or display.split(".")[0].strip()
            args_text = args_text or arguments
            text = core.strip()
            changed = True
        if text.lstrip().startswith("in user code:"):
            hits = list(_AUTOGRAPH_ERROR.finditer(text))
            if hits:
                tail = text[hits[-1].end():]
                text = "\n".join(line[4:] if line.startswith("    ") else line for line in tail.split("\n"))
                text = text.strip()
                changed = True
        if not changed:
            break
    return text, wrapper_class, wrapper_layer, bounded(args_text)


def _quoted_names(text: str) -> tuple[str, ...]:
    names = re.findall(r"""(?:layer|node|of|model|input|with name)\s{1,8}["']([^"'\s]{1,200})["']""", text)
    names += re.findall(r"""["']([A-Za-z_][\w.\-/]{0,200})["']""", text)
    seen: list[str] = []
    for name in names:
        if name not in seen:
            seen.append(name)
    return tuple(seen)


_FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    ("input_spec", re.compile(
        r"Input (?P<index>\d+) (?:with name '[^'\n]{0,300}' )?of layer [\"'](?P<layer>[^\n]{1,300}?)[\"'] "
        r"is incompatible "
        r"with the layer: (?P<detail>.*)", re.S)),
    ("missing_key", re.compile(
        r"Missing data for input [\"'](?P<input>[^\"']+)[\"']\. You passed a data dictionary with keys "
        r"(?P<keys>\[[^\]]*\])", re.S)),
    ("input_count", re.compile(
        r"Layer [\"'](?P<layer>[^\n]{1,300}?)[\"'] expects (?P<expected>\d+) (?:named )?input\(s\)"
        r"(?: with keys (?P<keys>\[[^\]]*\]))?, but it received (?P<received>\d+) input tensors", re.S)),
    ("functional_input", re.compile(
        r"Invalid input shape for input [^\n]{0,2000}? with name '(?P<input>[^']*)' and path '[^']*'\. "
        r"Expected shape (?P<expected>" + _SHAPE + r"), but input has incompatible shape (?P<received>" + _SHAPE + r")",
        re.S)),
    ("loss_rank", re.compile(
        r"Argument `output` must have rank \(ndim\) `target\.ndim - 1`[\s\S]{0,2000}?target\.shape=(?P<target>" + _SHAPE
        + r"), output\.shape=(?P<output>" + _SHAPE + r")", re.S)),
    ("loss_shape", re.compile(
        r"Arguments `target` and `output` must have the same (?P<what>shape|rank \(ndim\))\.[\s\S]{0,2000}?"
        r"target\.shape=(?P<target>" + _SHAPE + r"), output\.shape=(?P<output>" + _SHAPE + r")", re.S)),
    ("loss_sparse_tfk", re.compile(
        r"`labels\.shape` must equal `logits\.shape` except for the last dimension\. Received: "
        r"labels\.shape=(?P<target>" + _SHAPE + r") and logits\.shape=(?P<output>" + _SHAPE + r")", re.S)),
    ("loss_binary_tfk", re.compile(
        r"`logits` and `labels` must have the same shape, received \((?P<output>" + _SHAPE
        + r") vs (?P<target>" + _SHAPE + r")\)", re.S)),
    ("loss_first_dim", re.compile(
        r"logits and labels must have the same first dimension, got logits shape (?P<output>\[[^\]]*\]) "
        r"and labels shape (?P<target>\[[^\]]*\])", re.S)),
    ("loss_structure", re.compile(r"y_true and y_pred have different structures", re.S)),
    ("label_range", re.compile(
        r"Received a label value of (?P<value>-?\d+) which is outside the valid range of \[0, (?P<classes>\d+)\)",
        re.S)),
    ("merge_concat", re.compile(
        r"A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis\. "
        r"Received: input_shape=(?P<shapes>\[[^\n]{0,4000}?\])[ \t]*$", re.S | re.M)),
    ("merge_concat", re.compile(
        r"A `Concatenate` layer (?:should be called on a list of at least|requires).*", re.S)),
    ("merge_elementwise", re.compile(
        r"Inputs have incompatible shapes\. Received shapes (?P<a>" + _SHAPE + r") and (?P<b>" + _SHAPE + r")",
        re.S)),
    ("merge_dot", re.compile(
        r"(?:Incompatible input shapes|Dimension incompatibility): axis values (?P<va>\d+) \(at axis (?P<aa>\d+)\) "
        r"!= (?P<vb>\d+) \(at axis (?P<ab>\d+)\)", re.S)),
    ("reshape_size", re.compile(
        r"(?:The total size of the tensor must be unchanged\. Received: input_shape=(?P<input>" + _SHAPE
        + r"), target_shape=(?P<target>" + _SHAPE + r"))"
        r"|(?:total size of new array must be unchanged, input_shape = (?P<input2>" + _SHAPE
        + r"), output_shape = (?P<target2>" + _SHAPE + r"))", re.S)),
    ("nonpositive_output", re.compile(
        r"Computed output size would be zero or negative|One of the dimensions in the output is <= 0"
        r"|Negative dimension size caused by", re.S)),
    ("kernel_rank", re.compile(
        r"Kernel shape must have the same length as input, but received kernel of shape (?P<kernel>" + _SHAPE
        + r") and input of shape (?P<input>" + _SHAPE + r")", re.S)),
    ("bn_axis", re.compile(
        r"Invalid value for `axis` argument\. Expected 0 <= axis < inputs\.rank \(with inputs\.rank=(?P<rank>\d+)\)"
        r"\. Received: axis=(?P<axis>[^\n]{0,200})", re.S)),
    ("cardinality", re.compile(r"Data cardinality is ambiguous", re.S)),
    ("output_inference", re.compile(
        r"Could not automatically infer the output shape / dtype of '(?P<layer>[^']+)' \(of type (?P<cls>\w+)\)",
        re.S)),
    ("op_shape", re.compile(
        r"Dimensions must be equal, but are (?P<a>\d+) and (?P<b>\d+) for '\{\{node (?P<node>[^}\n]{1,500})\}\}"
        r"|Matrix size-incompatible: In\[0\]: (?P<in0>\[[^\]]*\]), In\[1\]: (?P<in1>\[[^\]]*\])"
        r"|Incompatible shapes: (?P<s0>\[[^\]]*\]) vs\. (?P<s1>\[[^\]]*\])"
        r"|Shapes (?P<t0>" + _SHAPE + r") and (?P<t1>" + _SHAPE + r") are incompatible", re.S)),
    ("index_error", re.compile(r"^(?:tuple|list) index out of range$", re.S)),
]


def parse(message: str) -> ParsedMessage:
    """Classify a Keras error message and pull out its shapes and quoted names."""
    clean = bounded(strip_ansi(message).strip())
    core, wrapper_class, wrapper_layer, args_text = unwrap(message)
    core = bounded(core)
    family = "unknown"
    shapes: dict[str, object] = {}
    for name, pattern in _FAMILIES:
        m = pattern.search(core)
        if not m:
            continue
        family = name
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        for key, value in groups.items():
            shape = parse_shape(value)
            if shape is not None:
                shapes[key.rstrip("2")] = shape
            elif key == "shapes":
                shapes["inputs"] = tuple(_shapes_in(value))
            else:
                shapes[key.rstrip("2")] = value
        break
    if family == "op_shape" and "t0" in shapes:
        # tf_keras crossentropy: "Shapes (target) and (output) are incompatible"
        family = "loss_shape_tfk"
        shapes["target"], shapes["output"] = shapes.pop("t0"), shapes.pop("t1")
    if family == "op_shape":
        for a, b in (("in0", "in1"), ("s0", "s1")):
            if a in shapes:
                shapes["inputs"] = (shapes.pop(a), shapes.pop(b))
        m = re.search(r"with input shapes: ([^\n]{0,2000}?)\.?$", core, re.M)
        if m and "inputs" not in shapes:
            shapes["inputs"] = tuple(_shapes_in(m.group(1)))
    if family == "op_shape" and _in_compiled_loss(core):
        family = "loss_op"  # a graph op of the compiled loss: target against output
    if family == "nonpositive_output":
        m = re.search(r"inputs(?: |\.)shape=(" + _SHAPE + ")", core) or re.search(
            r"Received input shape (" + _SHAPE + ")", core) or re.search(r"with input shapes: (" + _SHAPE + ")", core)
        if m:
            shapes["input"] = parse_shape(m.group(1))
        m = re.search(r"kernel shape=(" + _SHAPE + ")", core)
        if m:
            shapes["kernel"] = parse_shape(m.group(1))
        m = re.search(r"pool_size=(" + _SHAPE + ")", core)
        if m:
            shapes["pool"] = parse_shape(m.group(1))
        m = re.search(r"due to downsampling in (\S{1,300}?)\.", core)
        if m:
            shapes["layer"] = m.group(1)
    if family == "input_spec":
        _parse_input_spec_detail(str(shapes.get("detail", "")), shapes)
    if family == "cardinality":
        for key in ("x", "y"):
            m = re.search(rf"'?{key}'? sizes: ([\d, ]{{1,2000}})", core)
            if m:
                shapes[f"{key}_sizes"] = tuple(int(v) for v in re.findall(r"\d+", m.group(1)))
    node = re.search(r"Detected at node (?:'|\")?([^\s'\"]{1,500})", clean) or re.search(
        r"\{\{node ([^}\n]{1,500})\}\}", clean)
    call_shapes = tuple(_shapes_in_arguments(args_text))
    return ParsedMessage(
        family=family,
        core=core,
        clean=clean,
        wrapper_class=wrapper_class,
        wrapper_layer=wrapper_layer,
        call_argument_shapes=call_shapes,
        quoted_names=_quoted_names(core) + ((wrapper_layer,) if wrapper_layer else ()),
        shapes=shapes,
        node_path=node.group(1) if node else None,
    )


#: node-path parts that name a loss (Keras 3 compiles every loss under ``compile_loss/``)
_LOSS_NODE = re.compile(r"\{\{node (?:[^}/\n]{1,200}/){0,8}?(?:compile_loss|[\w]{0,80}(?:crossentropy|squared_error"
                        r"|absolute_error|hinge|huber|log_cosh|poisson|kl_divergence|mse|mae))/")


def _in_compiled_loss(core: str) -> bool:
    return _LOSS_NODE.search(core) is not None


def _shapes_in_arguments(args_text: str) -> list[Shape]:
    found = []
    for m in re.finditer(r"shape=(" + _SHAPE + ")", args_text):
        shape = parse_shape(m.group(1))
        if shape is not None:
            found.append(shape)
    return found


def _parse_input_spec_detail(detail: str, shapes: dict[str, object]) -> None:
    m = re.search(r"expected (?P<kind>ndim|min_ndim|max_ndim)=(?P<expected>\d+), found ndim=(?P<found>\d+)", detail)
    if m:
        shapes["check"] = m.group("kind")
        shapes["expected_ndim"] = int(m.group("expected"))
        shapes["found_ndim"] = int(m.group("found"))
    m = re.search(r"expected axis (?P<axis>-?\d+) of input shape to have value (?P<value>\d+)", detail)
    if m:
        shapes["check"] = "axis"
        shapes["axis"] = int(m.group("axis"))
        shapes["expected_value"] = int(m.group("value"))
    m = re.search(r"expected shape=(?P<expected>" + _SHAPE + r"), found shape=(?P<found>" + _SHAPE + ")", detail)
    if m:
        shapes["check"] = "shape"
        shapes["expected"] = parse_shape(m.group("expected"))
        shapes["received"] = parse_shape(m.group("found"))
    m = re.search(r"(?:Full shape received|but received input with shape):? ?(?P<received>" + _SHAPE + ")", detail)
    if m:
        shapes["received"] = parse_shape(m.group("received"))
