"""exception -> :class:`~keras_shapes_magic.records.ShapeReport`, or ``None`` for errors that are not ours.

The pure core of the product: it never imports IPython, and reaches Keras only through
the objects the exception already references (duck typing, no import of TensorFlow).
"""

from __future__ import annotations

import re
import types
from typing import Any

from ..limits import (
    MAX_NAMESPACE_NAMES,
    MAX_QUOTED_CHARS,
    MAX_SOURCE_CHARS,
    MAX_SOURCE_LINES,
    MAX_SUMMARY_CHARS,
    MAX_TRACEBACK_CHARS,
    TRACEBACK_HEAD_CHARS,
)
from ..parse import strip_ansi
from ..records import NOT_REACHED, OFFENDING, OK, SUSPECT, ErrorFamily, Fix, Row, ShapeReport
from . import keras_objects as ko
from .context import Context, Verdict
from .evidence import Evidence, collect, is_library_file
from .families import recognise, usercode
from .rows import Table, build_table

_SHAPE_WORDS = re.compile(r"\b(shape|shapes|dimension|dimensions|rank|ndim|axis|axes|incompatible)\b", re.I)


def is_shape_error(ev: Evidence, family: ErrorFamily) -> bool:
    """Only errors raised inside Keras / TF about shapes are ours; everything else is left alone.

    An error the user's own code raised (inside a custom layer's ``call()``, say) is ours only
    when its own text is about shapes, whatever Keras wrapped around it.
    """
    if not ev.raised_in_keras:
        return False
    if ev.raised_in_user_code and not _SHAPE_WORDS.search(_innermost_text(ev.parsed.core)):
        return False
    if family == ErrorFamily.INDEX_ERROR:
        return ev.layer is not None
    if family != ErrorFamily.UNKNOWN:
        return True
    return ev.layer is not None and bool(_SHAPE_WORDS.search(ev.parsed.core))


def _innermost_text(core: str) -> str:
    """The error inside Keras's "Could not automatically infer the output shape" text, else ``core``."""
    head, found, inner = core.partition("Error encountered:")
    return inner if found else head


def diagnose(exc: BaseException, namespace: dict[str, Any] | None = None,
             frames: list[tuple[types.FrameType, int]] | None = None) -> ShapeReport | None:
    """Explain a Keras shape error; ``None`` means "not a shape error".

    ``frames``: the unfiltered frames recorded while ``exc`` propagated (the hook passes
    :func:`keras_shapes_magic.capture.frames_for`); by default they are looked up the same way.
    Reads only what the exception and Keras already recorded (frames, layer build state,
    KerasTensor history); never runs user code. Usable in a plain script.
    """
    if not isinstance(exc, BaseException):
        raise TypeError(f"diagnose() takes the exception to explain, not {type(exc).__name__}: "
                        "use `except Exception as error: diagnose(error)`")
    ev = collect(exc, namespace, frames)
    table: Table | None = None
    try:
        family, facts = recognise(ev.parsed.core, ev.phase) if ev.raised_in_keras else (None, None)
        name = family.name if family is not None else ErrorFamily.UNKNOWN
        if not is_shape_error(ev, name):
            return None
        table = build_table(ev)
        ctx = Context(ev, table, name)
        verdict = family.explain(ctx, facts) if family is not None else None
        if verdict is None:
            verdict = usercode.generic(ctx)
        if verdict is None:
            verdict = _last_resort(ctx)
        if verdict is None:
            return None
        rows = _finalize_rows(ctx, verdict)
        modules = ko.module_names(ev.namespace) if namespace is not None else None
        return ShapeReport(
            rows=tuple(rows),
            offending=verdict.offending,
            cause=verdict.cause,
            fixes=tuple(_in_user_terms(Fix(fix), ev.variable_names, modules) for fix in verdict.fixes),
            exception_type=_type_name(exc),
            message=ev.parsed.clean,
            summary=_summary(ev, name),
            family=name,
            phase=ev.phase,
            suspect=verdict.suspect,
            flavour=ev.flavour,
            traceback_text=_traceback_text(exc),
            explained=not verdict.generic,
        )
    finally:
        ko.forget_classes()
        ev.release()
        if table is not None:
            table.release()


#: the module each short name in a fix's code stands for
_FIX_MODULES = {"np": "numpy", "tf": "tensorflow", "keras": "keras"}


def _in_user_terms(fix: Fix, names: dict[str, str], modules: dict[str, str] | None = None) -> Fix:
    """The fix in the user's own terms: their variable names (``images`` for ``x``, ``cnn`` for ``model``)
    and their module names (``numpy.`` where they imported ``numpy``, ``tf.keras.`` where they have no
    ``keras``); a module they never imported is imported in the fix's code itself.

    ``modules``: ``{module: the user's name for it}`` from their namespace, ``None`` when unknown.
    """
    if not names and modules is None:
        return fix
    sentence = []
    for text, is_code in fix.spans:
        if is_code:
            for generic, user in sorted(names.items(), key=lambda item: -len(item[0])):  # x['a'] before x
                if user != generic and user.isidentifier():
                    text = re.sub(rf"(?<![\w.'\"]){re.escape(generic)}(?![\w'\"])", user, text)
            if modules is not None:
                text = _with_user_modules(text, modules)
            text = f"`{text}`"
        sentence.append(text)
    return Fix("".join(sentence))


def _with_user_modules(code: str, modules: dict[str, str]) -> str:
    """``np.`` / ``tf.`` / ``keras.`` in a fix's code spelled as the user's namespace has them."""
    imports = []
    bound = set(modules.values())
    for short, module in _FIX_MODULES.items():
        pattern = rf"(?<![\w.]){short}\."
        if short in bound or not re.search(pattern, code):
            continue
        user = modules.get(module)
        if user is None and module == "keras":
            user = modules.get("tf_keras") or (f"{modules['tensorflow']}.keras" if "tensorflow" in modules else None)
        if user is None:
            imports.append(f"import {module} as {short}" if short != module else f"import {module}")
        elif user != short:
            code = re.sub(pattern, f"{user}.", code)
    return "; ".join([*imports, code])


def _type_name(exc: BaseException) -> str:
    cls = type(exc)
    module = cls.__module__ or ""
    if module.startswith("tensorflow"):
        return f"tf.errors.{cls.__name__}" if "errors" in module else cls.__name__
    return cls.__name__


def _summary(ev: Evidence, family: ErrorFamily) -> str:
    """The line of the message that says what went wrong (wrappers and stacks removed)."""
    core = ev.parsed.core.strip()
    if family == ErrorFamily.LABEL_RANGE:
        found = re.search(r"Received a label value of .*?\)", core)
        if found:
            return found.group(0)
    lines = [line.strip() for line in core.splitlines() if line.strip()]
    return lines[0][:MAX_SUMMARY_CHARS] if lines else ""


def _traceback_text(exc: BaseException) -> str:
    """The traceback as text; a user-defined exception class's own ``__str__`` is not called."""
    text = ko.traceback_text(exc) or f"{type(exc).__name__}: (traceback could not be formatted)"
    text = strip_ansi(text)
    if len(text) > MAX_TRACEBACK_CHARS:
        text = text[:TRACEBACK_HEAD_CHARS] + "\n...\n" + text[-(MAX_TRACEBACK_CHARS - TRACEBACK_HEAD_CHARS):]
    return text


def _last_resort(ctx: Context) -> Verdict | None:
    """A shape error no family could explain: point at the data, else the first layer, and say only what is known.

    It offers no fix rather than a wrong one, and the report says it is unexplained (``report.explained``).
    """
    for kind in ("data", "input", "layer"):
        rows = ctx.table.indices(kind)
        if rows:
            first = ctx.parsed.core.strip().splitlines()[0][:MAX_QUOTED_CHARS] if ctx.parsed.core.strip() else ""
            return ctx.verdict(rows[0], f"Keras rejected the shapes here: {first}", [], generic=True)
    return None


def _finalize_rows(ctx: Context, verdict: Verdict) -> list[Row]:
    """The table's rows with the verdict applied: statuses, marked axes, received shapes, sources and notes."""
    rows = list(ctx.table.rows)
    position = {row.name: i for i, row in enumerate(rows)}
    offending = position[verdict.offending]
    for i, row in enumerate(rows):
        shapes = verdict.received.get(row.name)
        if shapes and all(s is not None for s in shapes) and row.kind in ("layer", "input", "loss") \
                and tuple(shapes) != row.input_shapes:
            note = row.note or (f"built for {row.input_shape}" if row.input_shapes and row.kind != "loss" else "")
            row = rows[i] = row.with_status(row.status, input_shapes=tuple(shapes), note=note)
        if row.name in verdict.marks:
            in_marks, out_marks = verdict.marks[row.name]
            rows[i] = row.with_status(row.status, input_marks=in_marks, output_marks=out_marks)
    sources = SourceIndex(_source_lines(ctx))
    variables = _variables_by_layer(ctx)
    final: list[Row] = []
    for i, row in enumerate(rows):
        if row.name == verdict.offending:
            status = OFFENDING
        elif row.name == verdict.suspect:
            status = SUSPECT
        elif (i > offending and row.kind != "data") or row.status == NOT_REACHED:
            status = NOT_REACHED
        else:
            status = OK
        layer = ctx.table.layers[i] if i < len(ctx.table.layers) else None
        source = row.source
        if source is None and row.kind in ("layer", "input"):
            source = sources.line_for(row.name, variables.get(id(layer)) if layer is not None else None)
        if source is None and i == ctx.table.failing and ctx.ev.statement and ctx.ev.phase == "layer call":
            source = ctx.ev.statement.strip().splitlines()[0][:MAX_SOURCE_CHARS]
        note = row.note
        user_name = ctx.ev.variable_names.get(row.name) if row.kind in ("data", "target") else None
        if user_name and not note:
            note = f"passed as {user_name}"
        final.append(row.with_status(status, source=source, note=note))
    return final


def _source_lines(ctx: Context) -> list[str]:
    """The lines of the cells (or files) of the user's frames: the failing cell first."""
    lines: list[str] = []
    seen: set[str] = set()
    user_frames = [(f, n) for f, n in ctx.ev.frames if not is_library_file(f.f_code.co_filename)]
    for frame, _ in user_frames[:1] + user_frames[-1:]:
        if frame.f_code.co_filename not in seen:
            seen.add(frame.f_code.co_filename)
            lines += ko.source_lines(frame)[:MAX_SOURCE_LINES]
    return lines


def _variables_by_layer(ctx: Context) -> dict[int, str]:
    """``id(layer) -> variable name`` for the user's variables that hold a layer or its output tensor."""
    names: dict[int, str] = {}
    for name, value in ko.namespace_items(ctx.ev.namespace, MAX_NAMESPACE_NAMES):
        if name.startswith("_") or not isinstance(name, str):
            continue
        if ko.is_keras_tensor(value):
            found = ko.history_node(value)
            if found is not None:
                names.setdefault(id(found[0]), name)
        elif ko.is_layer(value):
            names.setdefault(id(value), name)
    return names


class SourceIndex:
    """One pass over the user's source lines: quoted strings and assigned names -> their first line."""

    _QUOTED = re.compile(r"""["']([^"'\n]{1,200})["']""")
    _ASSIGNED = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)")

    def __init__(self, lines: list[str]) -> None:
        self.quoted: dict[str, str] = {}
        self.assigned: dict[str, str] = {}
        for line in lines:
            text = line.strip()[:MAX_SOURCE_CHARS]
            for match in self._QUOTED.finditer(line):
                self.quoted.setdefault(match.group(1), text)
            match = self._ASSIGNED.match(line)
            if match:
                self.assigned.setdefault(match.group(1), text)

    def line_for(self, name: str, variable: str | None = None) -> str | None:
        """The line that names this layer (``name="conv1"``) or assigns its variable (``conv1 = ...``)."""
        found = self.quoted.get(name)
        if found is None and variable:
            found = self.assigned.get(variable)
        return found
