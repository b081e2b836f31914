"""What a family of shape mistakes declares: its message patterns, its typed facts, its explanation."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...parse import SHAPE_PATTERN, Shape, parse_shape, shapes_in
from ...records import ErrorFamily, Phase
from ..context import Context, Verdict

Explain = Callable[[Context, Any], "Verdict | None"]
#: extra facts read from the whole message once a pattern matched: ``(core, facts) -> facts``
Refine = Callable[[str, Any], Any]


@dataclass(frozen=True)
class NoFacts:
    """A family whose message carries no numbers worth keeping."""


@dataclass(frozen=True)
class Family:
    """One family of shape mistakes: how to recognise it and how to explain it."""

    name: ErrorFamily
    explain: Explain
    #: searched in the unwrapped message, in order; the first family with a match wins
    patterns: tuple[re.Pattern[str], ...] = ()
    #: the dataclass its patterns' named groups fill (shape groups are parsed, int fields converted)
    facts: type = NoFacts
    refine: Refine | None = None
    #: phases that decide this family whatever the message says (a custom training loop)
    phases: tuple[Phase, ...] = ()

    def match(self, core: str) -> Any | None:
        """This family's facts if one of its patterns matches ``core``, else ``None``."""
        for pattern in self.patterns:
            found = pattern.search(core)
            if found is not None:
                facts = facts_from(found, self.facts)
                return self.refine(core, facts) if self.refine is not None else facts
        return None


def facts_from(found: re.Match[str], cls: type) -> Any:
    """Fill ``cls`` from a match's named groups: ``Shape`` fields parsed, ``int`` fields converted."""
    values: dict[str, Any] = {}
    groups = {key.rstrip("2"): value for key, value in found.groupdict().items() if value is not None}
    for item in dataclasses.fields(cls):
        text = groups.get(item.name)
        if text is None:
            continue
        kind = str(item.type)
        if kind.startswith("Shape"):
            values[item.name] = parse_shape(text)
        elif kind.startswith("int"):
            values[item.name] = int(text)
        elif kind.startswith("tuple[Shape"):
            values[item.name] = tuple(shapes_in(text))
        else:
            values[item.name] = text
    return cls(**values)


#: the ways a backend's op error quotes its two operand shapes: TensorFlow, then JAX
_OPERAND_PATTERNS = (
    re.compile(r"Matrix size-incompatible: In\[0\]: (\[[^\]\n]{0,400}\]), In\[1\]: (\[[^\]\n]{0,400}\])"),
    re.compile(r"Incompatible shapes: (\[[^\]\n]{0,400}\]) vs\. (\[[^\]\n]{0,400}\])"),
    re.compile(r"Incompatible shapes for broadcasting: shapes=\[(\([^()\n]{0,400}\)), (\([^()\n]{0,400}\))\]"),
    re.compile(r"\w{1,40} got incompatible shapes for broadcasting: (\([^()\n]{0,400}\)), (\([^()\n]{0,400}\))"),
)
#: PyTorch writes a matrix product's shapes as ``64x768``
_TORCH_MATMUL = re.compile(r"mat1 and mat2 shapes cannot be multiplied "
                           r"\((\d{1,9}|None)x(\d{1,9}|None) and (\d{1,9}|None)x(\d{1,9}|None)\)")
_INPUT_SHAPES = re.compile(r"with input shapes: ([^\n]{0,2000}?)\.?$", re.M)


def operand_shapes(core: str) -> tuple[Shape, ...]:
    """The operand shapes a raw backend op error quotes (TF ``In[0]: [..], In[1]: [..]``, ``[..] vs. [..]``;
    JAX ``shapes=[(..), (..)]``; PyTorch ``(64x768 and 1152x1152)``)."""
    for pattern in _OPERAND_PATTERNS:
        found = pattern.search(core)
        if found is not None:
            return tuple(shape for shape in (parse_shape(group) for group in found.groups()) if shape is not None)
    found = _TORCH_MATMUL.search(core)
    if found is not None:
        a, b, c, d = (None if group == "None" else int(group) for group in found.groups())
        return (a, b), (c, d)
    found = _INPUT_SHAPES.search(core)
    return tuple(shapes_in(found.group(1))) if found else ()


def compile_pattern(text: str, flags: int = re.S) -> re.Pattern[str]:
    """A family pattern; ``{SHAPE}`` stands for a shape in Keras's or TF's notation."""
    return re.compile(text.replace("{SHAPE}", SHAPE_PATTERN), flags)


__all__ = ["Family", "NoFacts", "Shape", "compile_pattern", "facts_from", "operand_shapes"]
