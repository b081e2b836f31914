"""Attention over a key and a value of different lengths (``MultiHeadAttention``).

Attention scores each query step against every key step, then averages the value steps with those
scores: key and value are two views of one sequence, so every axis but the last must agree. The
usual cause is passing two different sequences as ``key=`` and ``value=`` (or swapping ``key`` and
``query``); leaving ``key`` out makes it ``value``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...parse import Shape
from ...records import ErrorFamily
from ..context import Context, Verdict, differing_axes, shape_text
from .base import Family, compile_pattern


@dataclass(frozen=True)
class KeyValueFacts:
    """The two shapes Keras quotes."""

    value: Shape | None = None
    key: Shape | None = None


def _argument(statement: str, keyword: str) -> str | None:
    """The user's name passed as ``keyword=name`` in the failing statement."""
    found = re.search(rf"\b{keyword}\s*=\s*([A-Za-z_]\w{{0,80}})\b", statement)
    return found.group(1) if found else None


def explain(ctx: Context, facts: KeyValueFacts) -> Verdict | None:
    index = ctx.failing()
    if index is None and ctx.parsed.wrapper_layer:
        index = ctx.layer_named(ctx.parsed.wrapper_layer)
    value, key = facts.value, facts.key
    if index is None or value is None or key is None or len(value) != len(key):
        return None
    row = ctx.row(index)
    axes = differing_axes(value[:-1], key[:-1])
    steps = axes == (len(value) - 2,)
    what = f"{value[-2]} steps in value, {key[-2]} in key" if steps else "their leading axes differ"
    cause = (f"{ctx.name(index)} ({row.type}) scores each query step against every key step and averages the value "
             f"steps with those scores, so key and value must be one sequence: every axis but the last must agree. "
             f"It got value {shape_text(value)} and key {shape_text(key)} ({what}).")
    value_name = _argument(ctx.ev.statement, "value") or "value"
    key_name = _argument(ctx.ev.statement, "key") or "key"
    fixes = [f"If key and value are the same sequence, leave `key=` out (it defaults to value) or pass "
             f"`key={value_name}`."]
    if steps and isinstance(value[-2], int):
        fixes.append(f"Or give {key_name} the {value[-2]} steps of {value_name}: build both from the same sequence "
                     f"(key {shape_text(key)} has {key[-2]}).")
    shown = row.input_shapes if len(row.input_shapes) >= 2 else (value, key)  # (query, value, key) when known
    marks = ((), axes, axes) if len(shown) == 3 else (axes, axes)
    return ctx.verdict(index, cause, fixes, marks={index: (marks, ())}, received={index: tuple(shown)})


FAMILIES = (
    Family(ErrorFamily.ATTENTION_KEY_VALUE, explain, facts=KeyValueFacts, patterns=(
        compile_pattern(r"All dimensions of `value` and `key`, except the last one, must be equal\. Received: "
                        r"value_shape=(?P<value>{SHAPE}) and key_shape=(?P<key>{SHAPE})"),
    )),
)
