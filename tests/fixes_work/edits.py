"""Where a fix's code goes: small edit steps over a case's cells, filled from the fix's code spans.

A step never contains the fix's code. Its ``template`` is glue around the spans: ``{N}`` is the fix's
code span N (0-based, over the spans in `backticks`), ``{N:name=expr}`` is span N with the placeholder
identifier ``name`` (e.g. ``x``, ``branch``) replaced by the case's expression ``expr``, and ``{N!rhs}`` /
``{N!rhs:name=expr}`` is the right-hand side of span N, an assignment (``x = np.expand_dims(x, 0)`` gives
``np.expand_dims(x, 0)``), for a fix that transforms a value the case never names. Every step
checks that it applies exactly where it says (one regex match, a placeholder that exists), so a
changed fix or a changed case fails loudly instead of being applied somewhere else.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass

_SLOT = re.compile(r"\{(\d+)(!rhs)?(?::(\w+)=([^}]+))?\}")


class RecipeError(Exception):
    """The recipe cannot be applied: the fix or the case is not what the recipe was written for."""


def code_spans(fix: str) -> list[str]:
    """The fix's code spans (the text between backticks), as ``Fix.code`` reads the first one."""
    from keras_shapes_magic.records import Fix

    return [text for text, is_code in Fix(fix).spans if is_code and text.strip()]


def fill(template: str, spans: Sequence[str]) -> str:
    """The template with every ``{N}`` / ``{N!rhs}`` / ``{N:name=expr}`` replaced by the fix's span N."""

    def one(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n >= len(spans):
            raise RecipeError(f"the fix has {len(spans)} code span(s), the recipe wants span {n}: {list(spans)}")
        code = spans[n]
        if m.group(2):
            code = _rhs(code, n)
        if m.group(3):
            hole = re.compile(rf"\b{re.escape(m.group(3))}\b")
            if not hole.search(code):
                raise RecipeError(f"placeholder {m.group(3)!r} is not in the fix's span {n}: {code!r}")
            code = hole.sub(lambda _: m.group(4), code)
        return code

    return _SLOT.sub(one, template)


def _rhs(code: str, n: int) -> str:
    """The value of span ``n``, a single assignment ``name = value``."""
    try:
        tree = ast.parse(code.strip())
    except SyntaxError as e:
        raise RecipeError(f"the fix's span {n} is not code: {code!r} ({e.msg})") from None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign):
        raise RecipeError(f"the fix's span {n} is not one assignment: {code!r}")
    return ast.get_source_segment(code.strip(), tree.body[0].value) or ""


def _one_match(pattern: str, cell: str) -> re.Match[str]:
    found = list(re.finditer(pattern, cell, re.M))
    if len(found) != 1:
        raise RecipeError(f"pattern {pattern!r} matches {len(found)} times in the cell, not once")
    return found[0]


@dataclass(frozen=True)
class Insert:
    """Insert the filled template as statement lines before the one line of the cell matching ``before``."""

    before: str
    template: str = "{0}"
    cell: int = -1

    def apply(self, cells: list[str], spans: Sequence[str]) -> None:
        """Edit ``cells`` in place."""
        code = cells[self.cell]
        m = _one_match(self.before, code)
        start = code.rfind("\n", 0, m.start()) + 1
        indent = re.match(r"[ \t]*", code[start:])
        pad = indent.group(0) if indent else ""
        lines = "".join(pad + line + "\n" for line in fill(self.template, spans).splitlines())
        cells[self.cell] = code[:start] + lines + code[start:]


@dataclass(frozen=True)
class Sub:
    """Replace the one match of ``pattern`` in the cell with the filled template."""

    pattern: str
    template: str = "{0}"
    cell: int = -1

    def apply(self, cells: list[str], spans: Sequence[str]) -> None:
        """Edit ``cells`` in place."""
        code = cells[self.cell]
        m = _one_match(self.pattern, code)
        cells[self.cell] = code[:m.start()] + fill(self.template, spans) + code[m.end():]


@dataclass(frozen=True)
class Merge:
    """Replace the call matched by ``pattern`` with the fix's call, keeping the user's other keywords.

    Span ``span`` is either a call (``keras.layers.LSTM(1000, return_sequences=True)``: its callee,
    positional arguments and keywords win; the user's keywords it does not set are kept, and a
    keyword whose fix value is ``...`` keeps the user's value) or keywords alone
    (``return_sequences=False``: set on the user's call).
    """

    pattern: str
    span: int = 0
    cell: int = -1

    def apply(self, cells: list[str], spans: Sequence[str]) -> None:
        """Edit ``cells`` in place."""
        code = cells[self.cell]
        m = _one_match(self.pattern, code)
        user = _call(m.group(0), "the matched source")
        fix_code = fill(f"{{{self.span}}}", spans)
        try:
            fix = _call(fix_code, "the fix's span")
            func, args, keywords = fix.func, fix.args, fix.keywords
        except RecipeError:
            keywords = _call(f"f({fix_code})", "the fix's keywords").keywords
            func, args = user.func, user.args
            if not keywords:
                raise RecipeError(f"the fix's span {fix_code!r} is neither a call nor keywords") from None
        mine = {k.arg: k for k in user.keywords if k.arg is not None}
        merged = []
        for k in keywords:
            if isinstance(k.value, ast.Constant) and k.value.value is Ellipsis:
                if k.arg not in mine:
                    raise RecipeError(f"the fix leaves {k.arg}=... to the user, whose call has no {k.arg}")
                k = mine[k.arg]
            merged.append(k)
        given = {k.arg for k in merged}
        merged += [k for k in user.keywords if k.arg is None or k.arg not in given]
        new = ast.Call(func=func, args=args, keywords=merged)
        cells[self.cell] = code[:m.start()] + ast.unparse(new) + code[m.end():]


def _call(source: str, what: str) -> ast.Call:
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as e:
        raise RecipeError(f"{what} is not an expression: {source!r} ({e.msg})") from None
    if not isinstance(node, ast.Call):
        raise RecipeError(f"{what} is not a call: {source!r}")
    return node


Step = Insert | Sub | Merge


def apply_steps(steps: Sequence[Step], cells: Sequence[str], fix: str) -> list[str]:
    """The case's cells with the fix's code put where ``steps`` say; raises RecipeError if it cannot."""
    spans = code_spans(fix)
    if not spans:
        raise RecipeError(f"the fix has no code to apply: {fix!r}")
    out = list(cells)
    for step in steps:
        step.apply(out, spans)
    if out == list(cells):
        raise RecipeError("the recipe changed nothing")
    return out
