"""Keras error text -> plain facts. Pure string work: no Keras, no IPython.

The message is only one source of evidence (frames and layer state come first, see
``evidence``). This module removes Keras 3's, tf_keras's and autograph's wrappers, and parses
shapes in Keras's and TF's notations; recognising a family of mistakes is each family's own
business (``diagnosis/families``). Every function here is linear in the message's length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .limits import MAX_PARSED_CHARS, PARSED_HEAD_CHARS

Shape = tuple[int | None, ...]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_K3_PREFIX = "Exception encountered when calling "
_K3_ARGUMENTS = "\n\nArguments received by "
_TFK_ARGUMENTS = "\n\nCall arguments received by layer "
_TFK_HEADER = re.compile(r"layer ['\"](?P<name>[^'\"\n]{1,300})['\"] \(type (?P<cls>\w{1,200})\)")
_AUTOGRAPH_ERROR = re.compile(r"\n    (?:[\w.]{1,200}(?:Error|Exception)|AssertionError): ", re.S)
SHAPE_PATTERN = r"[\(\[][^\(\)\[\]\n]{0,400}[\)\]]"


@dataclass(frozen=True)
class ParsedMessage:
    """What an error message says, after its Keras / autograph wrappers are removed.

    Which family of mistakes it belongs to is for the families to say (``diagnosis/families``).
    """

    core: str
    clean: str
    wrapper_class: str | None = None
    wrapper_layer: str | None = None
    call_argument_shapes: tuple[Shape, ...] = ()
    quoted_names: tuple[str, ...] = ()
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
        elif part.startswith("dynamic_dimension"):
            dims.append(None)  # JAX's symbolic size for an unknown axis: never a number
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


def shapes_in(text: str) -> list[Shape]:
    found = []
    for m in re.finditer(SHAPE_PATTERN, text):
        shape = parse_shape(m.group(0))
        if shape is not None:
            found.append(shape)
    return found


def bounded(text: str) -> str:
    """``text`` itself, or its head and tail when it is longer than :data:`MAX_PARSED_CHARS`."""
    if len(text) <= MAX_PARSED_CHARS:
        return text
    return text[:PARSED_HEAD_CHARS] + "\n...\n" + text[-(MAX_PARSED_CHARS - PARSED_HEAD_CHARS):]


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


#: how PyTorch writes a shape in Keras's messages on the torch backend
_TORCH_SIZE = re.compile(r"torch\.Size\(\[([^\]\n]{0,400})\]\)")


def unknown_placeholders(text: str, placeholder: int | None) -> str:
    """``text`` with the size ``placeholder`` written ``None`` wherever it stands as a dimension.

    Keras's PyTorch backend infers a layer's output shape by running it on tensors whose unknown
    axes are filled with a placeholder size (83, then 89): an error raised there quotes that size
    (``mat1 and mat2 shapes cannot be multiplied (83x24 and 8x24)``), which is no real size.
    """
    if not placeholder:
        return text
    return re.sub(rf"(?<=[(\[,x ]){placeholder}(?=[x,)\]])", "None", text)


def parse(message: str, placeholder: int | None = None) -> ParsedMessage:
    """Unwrap a Keras error message: its core, the call's argument shapes, quoted names, the TF node.

    ``placeholder``: the size the PyTorch backend put in place of unknown axes while the error was raised.
    """
    clean = bounded(strip_ansi(message).strip())
    core, wrapper_class, wrapper_layer, args_text = unwrap(message)
    core = _TORCH_SIZE.sub(r"(\1)", bounded(core))  # PyTorch: torch.Size([50, 1]) -> (50, 1)
    args_text = _TORCH_SIZE.sub(r"(\1)", args_text)
    core, args_text = unknown_placeholders(core, placeholder), unknown_placeholders(args_text, placeholder)
    node = re.search(r"Detected at node (?:'|\")?([^\s'\"]{1,500})", clean) or re.search(
        r"\{\{node ([^}\n]{1,500})\}\}", clean)
    return ParsedMessage(
        core=core,
        clean=clean,
        wrapper_class=wrapper_class,
        wrapper_layer=wrapper_layer,
        call_argument_shapes=tuple(_shapes_in_arguments(args_text)),
        quoted_names=_quoted_names(core) + ((wrapper_layer,) if wrapper_layer else ()),
        node_path=node.group(1) if node else None,
    )


def _shapes_in_arguments(args_text: str) -> list[Shape]:
    found = []
    for m in re.finditer(r"shape=(" + SHAPE_PATTERN + ")", args_text):
        shape = parse_shape(m.group(1))
        if shape is not None:
            found.append(shape)
    return found
