"""Hardening: never lose an error, never crash, never inject, never leak.

Every test runs real cells in the session's IPython shell, with the automatic hook:

1. a bug of ours at any stage (parse, evidence, table, family rule, HTML, text, widget), a RecursionError
   or a BaseException of ours, user objects whose ``__repr__`` / ``__str__`` raise: the user keeps the
   original exception (type, message, ``%tb``, ``sys.last_value``), sees at most one note, and the hook stays;
2. (``test_fuzz.py``);
3. layer, model and message text is user text: no HTML output and no widget value contains it unescaped;
4. loading twice, ``%reload_ext`` and ``%unload_ext`` leave the shell, Keras, TF and ``sys.meta_path`` as before;
5. errors that are not Keras shape errors look exactly as they do without the extension;
6. deep, shared, nested, wrapped and ``None``-shaped models are diagnosed without a crash;
7. a report keeps neither the model nor the data alive, and failing cells do not grow memory.
"""

from __future__ import annotations

import dataclasses
import gc
import html
import html.parser
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import CellRun, run_cell
from test_hook import MERGE_ERROR, MERGE_MESSAGE, report_count, reset_extension

import keras_shapes_magic
import keras_shapes_magic.diagnosis
import keras_shapes_magic.diagnosis.evidence
import keras_shapes_magic.diagnosis.rows
import keras_shapes_magic.display
import keras_shapes_magic.parse
import keras_shapes_magic.render
import keras_shapes_magic.widget
from keras_shapes_magic import capture, extension
from keras_shapes_magic.diagnosis import families
from keras_shapes_magic.records import Row, ShapeReport

pytestmark = pytest.mark.integration

EXT = "keras_shapes_magic"
FLAVOURS = [pytest.param("keras", id="keras"), pytest.param("tf_keras", id="tf_keras")]
IMPORTS = {"keras": "import keras", "tf_keras": "import tf_keras as keras"}
NOTE_PREFIX = "keras_shapes_magic:"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
EVIL = "<img src=x onerror=alert(1)>"
AMPERSAND = "a<b>&'\""


# --------------------------------------------------------------------------- helpers
@pytest.fixture
def hooked(ksm_shell: Any) -> Iterator[Any]:
    """The extension loaded alone in the handler slot, automatic hook on; put back that way afterwards."""
    reset_extension(ksm_shell)
    try:
        yield ksm_shell
    finally:
        keras_shapes_magic.display.forget()
        reset_extension(ksm_shell)


def our_hook(shell: Any) -> Any:
    """The hook object the extension installed in ``shell``."""
    return extension._hooks[id(shell)]


def notes(cell: CellRun) -> list[str]:
    """Every line that carries our note."""
    return [line for line in cell.shown.splitlines() if NOTE_PREFIX in line]


def assert_hook_still_installed(shell: Any) -> None:
    """``shell.CustomTB`` is still ours: the next shape error gets a report, without a note."""
    assert our_hook(shell).is_current(), "our handler left the slot"
    assert Exception in shell.custom_exceptions
    cell = run_cell(shell, MERGE_ERROR)
    assert cell.report is not None and cell.report.offending == "merge", cell.shown[-2000:]
    assert report_count(cell) == 1
    assert not notes(cell), cell.shown[-2000:]


def assert_error_kept(shell: Any, cell: CellRun, etype: type[BaseException], message: str, user_line: str,
                      tb: bool = True) -> None:
    """The user still has their exception: shown with its message, in ``sys.last_value`` and in ``%tb``."""
    error = cell.error
    assert isinstance(error, etype), f"{type(error).__name__}: {error}"
    assert cell.result.error_in_exec is error
    assert message in str(error)
    assert f"{etype.__name__}: {message}" in cell.shown, cell.shown[-3000:]
    assert "Custom TB Handler failed" not in cell.shown, cell.shown[-3000:]
    assert sys.last_value is error, "%tb would show another exception"
    assert sys.last_type is etype
    found = notes(cell)
    assert len(found) <= 1, found
    for line in found:
        assert line.startswith(NOTE_PREFIX) and len(line) < 300, line
    if not tb:
        return
    shown = run_cell(shell, "%tb")
    assert shown.error is None, shown.shown
    assert f"{etype.__name__}: {message}" in shown.shown, shown.shown[-3000:]
    assert user_line in shown.shown, "the user's failing line must be in %tb"
    assert "Custom TB Handler failed" not in shown.shown


def reported(cell: CellRun, expected: set[str] | str | None = None) -> ShapeReport:
    """A report was displayed once, with exactly one offending row (one of ``expected``), without a note."""
    assert cell.error is not None
    assert type(cell.error).__name__ in cell.shown
    assert "Custom TB Handler failed" not in cell.shown
    assert not notes(cell), notes(cell)
    if not isinstance(cell.error, RecursionError):
        assert "RecursionError" not in cell.shown
    report = cell.report
    assert report is not None, f"no report for {type(cell.error).__name__}: {cell.error}\n{cell.shown[-3000:]}"
    assert report_count(cell) == 1
    offending = [row for row in report.rows if row.status == "offending"]
    assert len(offending) == 1, report.to_text()
    assert report.offending == offending[0].name, report.to_text()
    if expected is not None:
        names = {expected} if isinstance(expected, str) else expected
        assert report.offending in names, report.to_text()
    return report


def flavour_cell(flavour: str, code: str) -> str:
    """``code`` with ``keras`` bound to the flavour's module."""
    if flavour == "tf_keras":
        pytest.importorskip("tf_keras")
    return IMPORTS[flavour] + "\n" + textwrap.dedent(code)


# =========================================================================== 1. no error is ever lost
class Abort(BaseException):
    """Not an ``Exception``: what a bug of ours could raise past every ``except Exception``."""


def _failing(kind: str, calls: list[int]) -> Callable[..., Any]:
    """A stand-in for one stage that fails like a bug of ours would: an error, a real recursion, an Abort."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if kind == "error":
            raise RuntimeError("simulated bug in keras_shapes_magic")
        if kind == "recursion":
            return fail(*args, **kwargs)  # a real, unbounded recursion: RecursionError at the limit
        raise Abort("simulated BaseException in keras_shapes_magic")

    return fail


def _break_widget(monkeypatch: pytest.MonkeyPatch, fail: Callable[..., Any]) -> None:
    class BrokenWidget(keras_shapes_magic.widget.ShapeReportWidget):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            fail()

    monkeypatch.setattr(keras_shapes_magic.display, "_in_kernel", lambda: True)
    monkeypatch.setattr(keras_shapes_magic.widget, "ShapeReportWidget", BrokenWidget)


#: stage -> how to break it. Names imported with ``from x import y`` are patched where they are looked up too.
STAGES: dict[str, Callable[[pytest.MonkeyPatch, Callable[..., Any]], None]] = {
    "parse": lambda mp, fail: (mp.setattr(keras_shapes_magic.parse, "parse", fail),
                               mp.setattr(keras_shapes_magic.diagnosis.evidence, "parse", fail)),
    "evidence.collect": lambda mp, fail: (mp.setattr(keras_shapes_magic.diagnosis.evidence, "collect", fail),
                                          mp.setattr(keras_shapes_magic.diagnosis, "collect", fail)),
    "rows.build_table": lambda mp, fail: (mp.setattr(keras_shapes_magic.diagnosis.rows, "build_table", fail),
                                          mp.setattr(keras_shapes_magic.diagnosis, "build_table", fail)),
    "family rule": lambda mp, fail: mp.setattr(families, "FAMILIES", tuple(
        dataclasses.replace(f, explain=fail) if f.name == "merge_concat" else f for f in families.FAMILIES)),
    "render_html": lambda mp, fail: mp.setattr(keras_shapes_magic.render, "render_html", fail),
    "render_text": lambda mp, fail: mp.setattr(keras_shapes_magic.render, "render_text", fail),
    "widget": _break_widget,
}


@pytest.mark.parametrize("kind", ["error", "recursion", "base_exception"])
@pytest.mark.parametrize("stage", list(STAGES))
def test_a_failing_stage_never_costs_the_user_their_error(hooked: Any, monkeypatch: pytest.MonkeyPatch,
                                                          stage: str, kind: str) -> None:
    calls: list[int] = []
    STAGES[stage](monkeypatch, _failing(kind, calls))
    cell = run_cell(hooked, MERGE_ERROR)
    assert calls, f"the broken {stage} was never reached: the test would prove nothing"

    assert_error_kept(hooked, cell, ValueError, MERGE_MESSAGE, "hook_merged")
    if stage == "widget" and kind != "base_exception":
        # no widget, but the static views still carry the whole report; nothing to apologise for
        assert report_count(cell) == 1 and not notes(cell)
        assert not any(WIDGET_MIME in output for output in cell.outputs)
    else:
        assert report_count(cell) == 0, "a half-built report must not be shown"
        assert len(notes(cell)) == 1, cell.shown[-3000:]
        assert notes(cell)[0].startswith(NOTE_PREFIX + " could not build the shape report")
        expected = {"error": "RuntimeError", "recursion": "RecursionError", "base_exception": "Abort"}[kind]
        assert expected in notes(cell)[0]
        assert "hook_merged" in cell.shown, "the fallback is the full traceback, with the user's line"

    monkeypatch.undo()
    assert_hook_still_installed(hooked)


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_failing_stage_in_a_kerascheck_cell(hooked: Any, monkeypatch: pytest.MonkeyPatch, stage: str) -> None:
    calls: list[int] = []
    STAGES[stage](monkeypatch, _failing("error", calls))
    cell = run_cell(hooked, "%%kerascheck --traceback\n" + MERGE_ERROR)
    assert calls
    assert_error_kept(hooked, cell, ValueError, MERGE_MESSAGE, "hook_merged")
    assert report_count(cell) + len(notes(cell)) == 1, cell.shown[-3000:]  # a report, or the note: never both
    monkeypatch.undo()
    assert_hook_still_installed(hooked)


def _other_tool(shell: Any, etype: type[BaseException], value: BaseException, tb: Any,
                tb_offset: int | None = None) -> None:
    print(f"other tool handled {etype.__name__}: {value}")


@pytest.mark.parametrize("kind", ["error", "recursion", "base_exception"])
def test_kerascheck_under_another_tools_handler_keeps_the_error(hooked: Any, monkeypatch: pytest.MonkeyPatch,
                                                                kind: str) -> None:
    """Another extension took the slot after ours: %%kerascheck reports by itself, and must not eat the error."""
    hooked.set_custom_exc((ValueError,), _other_tool)
    calls: list[int] = []
    STAGES["evidence.collect"](monkeypatch, _failing(kind, calls))
    cell = run_cell(hooked, "%%kerascheck\n" + MERGE_ERROR)
    assert calls
    assert isinstance(cell.error, ValueError), f"{type(cell.error).__name__}: {cell.error}"
    assert f"other tool handled ValueError: {MERGE_MESSAGE}" in cell.shown
    assert report_count(cell) == 0 and len(notes(cell)) <= 1
    monkeypatch.undo()
    cell = run_cell(hooked, "%%kerascheck\n" + MERGE_ERROR)
    assert cell.report is not None and report_count(cell) == 1


def test_a_recursion_error_of_ours_leaves_the_stack_usable(hooked: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """After our RecursionError the same cell's traceback is printed and the next cells run normally."""
    calls: list[int] = []
    STAGES["evidence.collect"](monkeypatch, _failing("recursion", calls))
    for _ in range(3):
        cell = run_cell(hooked, MERGE_ERROR)
        assert_error_kept(hooked, cell, ValueError, MERGE_MESSAGE, "hook_merged")
    monkeypatch.undo()
    assert run_cell(hooked, "depth_check = sum(range(10))").error is None
    assert_hook_still_installed(hooked)


CURSED = """\
import numpy as np

class Cursed:
    def __repr__(self):
        raise RuntimeError("cursed repr")
    def __str__(self):
        raise RuntimeError("cursed str")
    def __getattr__(self, name):
        raise RuntimeError("cursed attribute " + name)
    def __eq__(self, other):
        raise RuntimeError("cursed eq")
    __hash__ = None
    @property
    def __class__(self):  # makes isinstance(cursed, anything_else) raise
        raise RuntimeError("cursed class")
    @property
    def shape(self):
        raise RuntimeError("cursed shape")

class CursedDense(keras.layers.Dense):
    def __repr__(self):
        raise RuntimeError("cursed repr")
    def __str__(self):
        raise RuntimeError("cursed str")

class CursedModel(keras.Sequential):
    def __repr__(self):
        raise RuntimeError("cursed repr")
    def __str__(self):
        raise RuntimeError("cursed str")

cursed = Cursed()
x = Cursed()
"""


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_user_objects_whose_repr_and_str_raise(hooked: Any, flavour: str) -> None:
    assert run_cell(hooked, flavour_cell(flavour, CURSED)).error is None

    # a layer with a cursed repr between the input and the failing merge
    cell = run_cell(hooked, flavour_cell(flavour, """
        cursed_in = keras.Input((4,), name="cursed_in")
        cursed_a = CursedDense(4, name="cursed_dense")(cursed_in)
        cursed_b = keras.layers.Dense(3, name="plain")(cursed_in)
        cursed_sum = [keras.layers.Add(name="cursed_add")([cursed_a, cursed_b]), cursed, x][0]
        """))
    assert_error_kept(hooked, cell, ValueError, "Inputs have incompatible shapes", "cursed_sum")
    report = reported(cell, "cursed_add")
    assert "cursed_dense" in [row.name for row in report.rows]

    # a cursed model (and a cursed ``x`` in the namespace) failing in fit on the user's data
    cell = run_cell(hooked, flavour_cell(flavour, """
        cursed_model = CursedModel([keras.Input((4,), name="cm_in"), CursedDense(3, name="cm_dense"),
                                    keras.layers.Dense(2, name="cm_out")])
        cursed_model.compile(optimizer="sgd", loss="mse")
        cursed_data = np.zeros((4, 5), dtype="float32")
        cursed_model.fit(cursed_data, np.zeros((4, 2)), epochs=1, verbose=0, callbacks=[] if cursed else None)
        """))
    assert isinstance(cell.error, ValueError)
    assert "cursed_model.fit" in run_cell(hooked, "%tb").shown
    reported(cell, {"x", "cm_in", "cm_dense"})
    assert_hook_still_installed(hooked)
    run_cell(hooked, "del cursed, x, cursed_in, cursed_a, cursed_b, cursed_model")


@pytest.mark.parametrize("raised", ["KeyboardInterrupt", "Abort"])
def test_a_base_exception_in_the_cell_keeps_ipythons_behaviour(hooked: Any, raised: str) -> None:
    code = f"import keras\nclass Abort(BaseException):\n    pass\n\nraise {raised}('stop here')"
    cell = run_cell(hooked, code)
    assert type(cell.error).__name__ == raised
    assert cell.report is None and report_count(cell) == 0 and not notes(cell)
    assert f"{raised}: stop here" in cell.shown
    assert "Custom TB Handler failed" not in cell.shown
    assert sys.last_value is cell.error
    assert_hook_still_installed(hooked)


# =========================================================================== 3. injection
class _Tags(html.parser.HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


#: the only event handler our HTML has: the copy button of the widget
OUR_HANDLERS = {"onclick"}


def assert_safe_html(value: str, name: str, where: str) -> None:
    """No raw user text, no <img>, no onerror; event handlers only where we put them."""
    assert name not in value, f"{where}: {name!r} is not escaped\n{value[:3000]}"
    parser = _Tags()
    parser.feed(value)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag != "img", f"{where}: an <img> tag was injected"
        for attr, attr_value in attrs:
            assert "onerror" not in attr, f"{where}: an onerror attribute was injected"
            if attr.startswith("on"):
                assert attr in OUR_HANDLERS and "alert" not in (attr_value or ""), f"{where}: {attr}={attr_value!r}"


def widget_html(widget: Any) -> Iterator[tuple[str, str]]:
    """Every HTML value the widget can show: each picker row's details, both table views, the traceback."""
    for part in ("header", "table", "explanation", "details", "traceback"):
        yield part, getattr(widget, part).value
    for index in range(len(widget.report.rows)):
        widget.picker.value = index
        yield f"details of row {index}", widget.details.value
    widget.show_all.value = True
    yield "table (all rows)", widget.table.value
    widget.traceback_toggle.value = True
    yield "traceback", widget.traceback.value
    widget.traceback_toggle.value = False
    widget.show_all.value = False


def assert_not_injected(cell: CellRun, name: str) -> ShapeReport:
    """The cell's report shows ``name`` (escaped) everywhere it appears, and nowhere raw."""
    report = cell.report
    assert report is not None, f"no report: {cell.error}\n{cell.shown[-2000:]}"
    assert report_count(cell) == 1
    escaped = html.escape(name)
    html_outputs = [str(o["text/html"]) for o in cell.outputs if "text/html" in o]
    assert html_outputs
    for value in html_outputs:
        assert_safe_html(value, name, "text/html")
    assert any(escaped in value for value in html_outputs), "the user text never reached the HTML: test is void"

    live = keras_shapes_magic.display._live_widgets
    assert live, "the widget view was not built"
    widget = live[-1]
    assert widget.report is report
    assert any(WIDGET_MIME in output for output in cell.outputs)
    seen = []
    for where, value in widget_html(widget):
        assert_safe_html(value, name, f"widget {where}")
        seen.append(value)
    assert any(escaped in value for value in seen)
    return report


@pytest.fixture
def widget_hooked(hooked: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The hook as under a Jupyter kernel: reports come with the live widget."""
    monkeypatch.setattr(keras_shapes_magic.display, "_in_kernel", lambda: True)
    return hooked


def test_both_flavours_accept_the_names_we_inject() -> None:
    """Keras 3 takes them as any layer / model name; tf_keras only where no TF name scope is opened."""
    import keras

    for name in (EVIL, AMPERSAND):
        inp = keras.Input((4,), name=name + "_in")
        assert keras.Model(inp, keras.layers.Dense(2, name=name)(inp), name=name).name == name
    tf_keras = pytest.importorskip("tf_keras")
    for name in (EVIL, AMPERSAND):
        assert tf_keras.Input((4,), name=name).name == name
        assert tf_keras.layers.Dense(2, name=name).name == name  # but it cannot be built:
        with pytest.raises(ValueError, match="not a valid root scope name"):
            tf_keras.layers.Dense(2, name=name)(tf_keras.Input((4,)))


@pytest.mark.parametrize("name", [EVIL, AMPERSAND], ids=["img", "ampersand"])
def test_keras3_names_are_escaped_everywhere(widget_hooked: Any, name: str) -> None:
    shell = widget_hooked
    shell.user_ns["evil"] = name
    # the failing layer, an upstream layer, the input, the variable names: all the user's text
    cell = run_cell(shell, flavour_cell("keras", """
        evil_in = keras.Input(shape=(8, 8, 3), name=evil + "_in")
        evil_a = keras.layers.Conv2D(4, 3, name="plain_conv")(evil_in)
        evil_b = keras.layers.Conv2D(4, 5, name=evil + "_conv")(evil_in)
        evil_merged = keras.layers.Concatenate(name=evil)([evil_a, evil_b])
        """))
    report = assert_not_injected(cell, name)
    assert report.offending == name
    assert {name + "_in", name + "_conv"} <= {row.name for row in report.rows}
    # the user's text really went through the cause and a fix (the culprit branch)
    assert name in report.cause
    # the fixes name the user's tensors by their variables (evil_a / evil_b), the culprit row by its name
    assert report.fixes, report
    assert report.suspect == name + "_conv"


@pytest.mark.parametrize("name", [
    pytest.param(EVIL, id="img"),
    pytest.param(AMPERSAND, id="ampersand"),
])
def test_keras3_model_name_in_the_message_is_escaped(widget_hooked: Any, name: str) -> None:
    """The model's name is in Keras 3's message: the headline, the summary and the traceback carry it."""
    shell = widget_hooked
    shell.user_ns["evil"] = name
    cell = run_cell(shell, flavour_cell("keras", """
        import numpy as np
        named_in = keras.Input((4,), name="named_in")
        named_model = keras.Model(named_in, keras.layers.Dense(2, name=evil + "_head")(named_in), name=evil)
        named_model.predict(np.zeros((3, 5)), verbose=0)
        """))
    assert isinstance(cell.error, ValueError) and name in str(cell.error)
    for output in cell.outputs:  # whatever is shown, with or without a report, is escaped
        if "text/html" in output:
            assert_safe_html(str(output["text/html"]), name, "text/html")
    report = assert_not_injected(cell, name)
    assert report.offending == "x"
    assert name in report.message and name in report.traceback_text  # (the traceback toggle shows it)


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", [EVIL, AMPERSAND], ids=["img", "ampersand"])
def test_a_custom_exception_message_is_escaped(widget_hooked: Any, flavour: str, name: str) -> None:
    shell = widget_hooked
    shell.user_ns["evil"] = name
    cell = run_cell(shell, flavour_cell(flavour, """
        class Picky(keras.layers.Layer):
            def call(self, inputs):
                raise ValueError("Incompatible shape for " + evil + ": expected rank 3")

        picky_in = keras.Input((4,), name="picky_in")
        picky_h = keras.layers.Dense(2, name="picky_dense")(picky_in)
        picky_out = Picky(name="picky")(picky_h)
        """))
    report = assert_not_injected(cell, name)
    assert report.offending == "picky"
    assert name in report.cause and name in report.traceback_text


@pytest.mark.parametrize("name", [EVIL, AMPERSAND], ids=["img", "ampersand"])
def test_tf_keras_names_are_escaped_everywhere(widget_hooked: Any, name: str) -> None:
    """tf_keras takes these names on an Input and on a layer that is never built (a row after the error)."""
    shell = widget_hooked
    shell.user_ns["evil"] = name
    cell = run_cell(shell, flavour_cell("tf_keras", """
        evil_model = keras.Sequential([
            keras.Input(shape=(6,), name=evil),
            keras.layers.Dense(4, name="tfk_dense"),
            keras.layers.Reshape((3, 3), name="tfk_reshape"),
            keras.layers.Dense(2, name=evil + "_after"),
        ])
        """))
    report = assert_not_injected(cell, name)
    assert report.offending == "tfk_reshape"
    assert name in {row.name for row in report.rows}

    cell = run_cell(shell, flavour_cell("tf_keras", """
        import numpy as np
        tfk_in = keras.Input((4,), name=evil)
        tfk_model = keras.Model(tfk_in, keras.layers.Dense(2, name="tfk_head")(tfk_in))
        tfk_model.compile(optimizer="sgd", loss="mse")
        tfk_model.fit(np.zeros((4, 5)), np.zeros((4, 2)), epochs=1, verbose=0)
        """))
    report = assert_not_injected(cell, name)
    assert name in {row.name for row in report.rows}


def test_a_tf_keras_model_named_with_markup_never_reaches_html_raw(widget_hooked: Any) -> None:
    """tf_keras refuses the name only when the model runs; whatever is shown for that error is escaped."""
    shell = widget_hooked
    shell.user_ns["evil"] = EVIL
    cell = run_cell(shell, flavour_cell("tf_keras", """
        import numpy as np
        tfk_in2 = keras.Input((4,), name="tfk_in2")
        tfk_named = keras.Model(tfk_in2, keras.layers.Dense(2, name="tfk_head2")(tfk_in2), name=evil)
        tfk_named.predict(np.zeros((3, 4)), verbose=0)
        """))
    assert cell.error is not None and "Custom TB Handler failed" not in cell.shown and not notes(cell)
    for output in cell.outputs:
        if "text/html" in output:
            assert_safe_html(str(output["text/html"]), EVIL, "text/html")
    if cell.report is not None:
        assert_not_injected(cell, EVIL)


# =========================================================================== 4. lifecycle
FILTER_MODULES = capture.FILTER_MODULES
MARK = "__keras_shapes_magic_original__"


def _foreign_handler(shell: Any, etype: type[BaseException], value: BaseException, tb: Any,
                     tb_offset: int | None = None) -> None:
    print(f"foreign handler saw {etype.__name__}")


def shell_state(shell: Any) -> dict[str, Any]:
    """Everything loading the extension may touch, in a comparable form."""
    handler = shell.CustomTB
    function = getattr(handler, "__func__", None)
    return {
        "custom_exceptions": shell.custom_exceptions,
        # a handler put there by someone else is kept as the very same object; IPython's empty slot is a new
        # ``dummy_handler`` closure after every ``set_custom_exc((), None)``, so that one compares by name
        "handler": handler if shell.custom_exceptions else getattr(function, "__qualname__", repr(function)),
        "line magic": shell.find_line_magic("kerascheck"),
        "cell magic": shell.find_cell_magic("kerascheck"),
        "registry": sorted(shell.magics_manager.registry),
        "events": {event: list(callbacks) for event, callbacks in shell.events.callbacks.items()},
        "meta_path": list(sys.meta_path),
        "filters": {name: sys.modules[name]._process_traceback_frames for name in FILTER_MODULES
                    if name in sys.modules},
        "shell attributes": sorted(vars(shell)),
        "user_ns": sorted(k for k in shell.user_ns if not re.fullmatch(r"_+i*\d*", k)),  # not cell history
        "excepthook": sys.excepthook,
        "showtraceback": type(shell).showtraceback,
        "input transformers": [list(shell.input_transformers_cleanup), list(shell.input_transformers_post)],
        "ast transformers": list(shell.ast_transformers),
    }


def _ours(items: list[Any]) -> list[Any]:
    return [item for item in items if (type(item).__module__ or "").startswith(EXT)
            or (getattr(item, "__module__", "") or "").startswith(EXT)]


def assert_nothing_patched() -> None:
    for name in FILTER_MODULES:
        module = sys.modules.get(name)
        assert module is not None, f"{name} should be imported for this test"
        assert not hasattr(module._process_traceback_frames, MARK), f"{name} is still patched"
    assert not any(type(finder).__module__.startswith(EXT) for finder in sys.meta_path), sys.meta_path


def assert_patched_once(shell: Any) -> None:
    for name in FILTER_MODULES:
        function = sys.modules[name]._process_traceback_frames
        original = getattr(function, MARK, None)
        assert original is not None, f"{name} is not patched while loaded"
        assert not hasattr(original, MARK), f"{name} is patched twice"
    assert sum(type(finder).__module__.startswith(EXT) for finder in sys.meta_path) == 1, sys.meta_path
    for event in ("pre_run_cell", "post_run_cell"):
        ours = [cb for cb in shell.events.callbacks[event] if EXT in (getattr(cb, "__module__", "") or "")]
        assert len(ours) == 1, shell.events.callbacks[event]
    transformers = shell.input_transformers_cleanup + shell.input_transformers_post + shell.ast_transformers
    assert len(_ours(transformers)) <= 1, transformers  # at most one transformer of ours, never one per load


@pytest.mark.parametrize("previous", ["no handler", "foreign handler"])
def test_load_reload_unload_leave_the_shell_exactly_as_before(ksm_shell: Any, previous: str) -> None:
    shell = ksm_shell
    run_cell(shell, "import keras, tensorflow, tf_keras")
    try:
        shell.run_line_magic("unload_ext", EXT)
        shell.set_custom_exc((), None)
        if previous == "foreign handler":
            shell.set_custom_exc((ZeroDivisionError, KeyError), _foreign_handler)
        assert_nothing_patched()
        run_cell(shell, MERGE_ERROR)  # the cell's own variables exist before the snapshot
        before = shell_state(shell)

        shell.run_line_magic("load_ext", EXT)
        shell.run_line_magic("load_ext", EXT)
        assert_patched_once(shell)
        shell.run_line_magic("reload_ext", EXT)
        shell.run_line_magic("reload_ext", EXT)
        assert_patched_once(shell)
        cell = run_cell(shell, MERGE_ERROR)
        assert cell.report is not None and report_count(cell) == 1
        shell.run_line_magic("unload_ext", EXT)

        after = shell_state(shell)
        for key in before:
            assert after[key] == before[key], f"{key} changed:\nbefore {before[key]!r}\nafter  {after[key]!r}"
        assert_nothing_patched()
        assert not _ours(shell.input_transformers_cleanup + shell.input_transformers_post + shell.ast_transformers)
        assert shell.find_cell_magic("kerascheck") is None and shell.find_line_magic("kerascheck") is None
        assert not capture._captures
        assert keras_shapes_magic.last_report() is None

        # the shell really is as before: a shape error is a plain error again, the foreign handler still works
        cell = run_cell(shell, MERGE_ERROR)
        assert cell.report is None and report_count(cell) == 0 and MERGE_MESSAGE in cell.shown
        cell = run_cell(shell, "1 / 0")
        assert ("foreign handler saw ZeroDivisionError" in cell.shown) == (previous == "foreign handler")
    finally:
        reset_extension(shell)


def test_unload_restores_the_original_filters_of_keras_tf_and_tf_keras(ksm_shell: Any) -> None:
    run_cell(ksm_shell, "import keras, tensorflow, tf_keras")
    originals = {name: getattr(sys.modules[name]._process_traceback_frames, MARK) for name in FILTER_MODULES}
    try:
        ksm_shell.run_line_magic("unload_ext", EXT)
        for name in FILTER_MODULES:
            assert sys.modules[name]._process_traceback_frames is originals[name]
        import keras.src.utils.traceback_utils as k3
        import tensorflow.python.util.traceback_utils as tfu

        assert k3._process_traceback_frames is originals["keras.src.utils.traceback_utils"]
        assert tfu._process_traceback_frames is originals["tensorflow.python.util.traceback_utils"]
    finally:
        reset_extension(ksm_shell)


FINDER_SCRIPT = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
MARK = "__keras_shapes_magic_original__"
FILTERS = ("keras.src.utils.traceback_utils", "tensorflow.python.util.traceback_utils",
           "tf_keras.src.utils.traceback_utils")

def patched():
    return {name: hasattr(sys.modules[name]._process_traceback_frames, MARK) if name in sys.modules else None
            for name in FILTERS}

def finders():
    return sum(type(f).__module__.startswith("keras_shapes_magic") for f in sys.meta_path)

ip = InteractiveShell.instance()
result = {"imported before load": [m for m in ("keras", "tensorflow", "tf_keras") if m in sys.modules]}
ip.run_line_magic("load_ext", "keras_shapes_magic")
result["finders after load"] = finders()
ip.run_cell("import keras")                         # imported AFTER loading: patched on import
result["after import keras"] = patched()
ip.run_line_magic("unload_ext", "keras_shapes_magic")
result["after unload"] = patched()
result["finders after unload"] = finders()
ip.run_cell("import tf_keras")                      # imported after unloading: left alone
result["tf_keras after unload"] = patched()["tf_keras.src.utils.traceback_utils"]
ip.run_line_magic("load_ext", "keras_shapes_magic")
result["after reload"] = patched()
ip.run_line_magic("unload_ext", "keras_shapes_magic")
result["after second unload"] = patched()
result["finders at the end"] = finders()
print("RESULT " + json.dumps(result))
"""


def test_the_finder_patches_a_filter_imported_after_loading_and_unload_restores_it() -> None:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-c", FINDER_SCRIPT], capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    k3, tf, tfk = "keras.src.utils.traceback_utils", "tensorflow.python.util.traceback_utils", \
        "tf_keras.src.utils.traceback_utils"
    assert result["imported before load"] == []
    assert result["finders after load"] == 1
    assert result["after import keras"][k3] is True
    assert result["after import keras"][tf] is True
    assert result["after unload"][k3] is False and result["after unload"][tf] is False
    assert result["finders after unload"] == 0
    assert result["tf_keras after unload"] is False
    assert result["after reload"] == {k3: True, tf: True, tfk: True}
    assert result["after second unload"] == {k3: False, tf: False, tfk: False}
    assert result["finders at the end"] == 0


# =========================================================================== 5. scope
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def normalized(text: str) -> str:
    """Output text without what differs between two runs of one cell (colours, addresses, cell numbers)."""
    text = _ANSI.sub("", text)
    text = _ADDRESS.sub("0x?", text)
    text = re.sub(r"In\s*\[\d+\]", "In [?]", text)
    text = re.sub(r"<ipython-input-\d+-[0-9a-f]+>", "<ipython-input>", text)
    return text


def same_as_without_extension(shell: Any, code: str) -> tuple[CellRun, CellRun]:
    """Run ``code`` with the extension loaded, then unloaded; the extension is loaded again afterwards."""
    reset_extension(shell)
    with_extension = run_cell(shell, code)
    shell.run_line_magic("unload_ext", EXT)
    try:
        without = run_cell(shell, code)
    finally:
        reset_extension(shell)
    return with_extension, without


SCOPE_CELLS = {
    "KeyboardInterrupt": "import keras\nraise KeyboardInterrupt",
    "SyntaxError": "import keras\nmodel = keras.Sequential([\n    keras.layers.Dense(3)\n",
    "own ValueError": 'def configure():\n    raise ValueError("bad config")\n\nconfigure()',
    "own ValueError about a shape after importing keras":
        'import keras\nshape_check_layer = keras.layers.Dense(3)\nraise ValueError("expected shape (None, 3)")',
    "pandas KeyError": "import pandas as pd\npd.DataFrame({'a': [1]})['b']",
    "numpy shape ValueError": "import numpy as np\nnp.zeros((2, 3)) @ np.zeros((2, 3))",
    "own shape error inside a keras-calling function": textwrap.dedent("""\
        import keras
        def check_input(layer, shape):
            if shape[-1] != 3:
                raise ValueError(f"layer {layer.name} expects shape (None, 3), got {shape}")
        check_input(keras.layers.Dense(3, name="scope_dense"), (None, 4))
        """),
}
SCOPE_TYPES = {"KeyboardInterrupt": KeyboardInterrupt, "SyntaxError": SyntaxError, "pandas KeyError": KeyError}


@pytest.mark.parametrize("case", list(SCOPE_CELLS))
def test_errors_that_are_not_ours_look_exactly_as_without_the_extension(ksm_shell: Any, case: str) -> None:
    with_extension, without = same_as_without_extension(ksm_shell, SCOPE_CELLS[case])
    etype = SCOPE_TYPES.get(case, ValueError)
    for cell in (with_extension, without):
        assert isinstance(cell.error, etype), cell.error
        assert etype.__name__ in cell.shown
    assert with_extension.report is None and report_count(with_extension) == 0
    assert NOTE_PREFIX not in with_extension.shown and "Custom TB Handler failed" not in with_extension.shown
    assert str(with_extension.error) == str(without.error)
    assert normalized(with_extension.shown) == normalized(without.shown)
    assert len(with_extension.outputs) == len(without.outputs) == 0


CAUGHT_THEN_OWN = textwrap.dedent("""\
    import keras
    caught_in = keras.Input((4,))
    try:
        keras.layers.Reshape((3,), name="tried_reshape")(caught_in)
    except ValueError:
        pass  # the user handled it and went on
    raise ValueError("expected shape (None, 3)")
    """)


def test_a_users_error_after_a_caught_keras_error_in_the_same_cell_is_not_ours(ksm_shell: Any) -> None:
    """Here (a deep stack, as under a Jupyter kernel) the user's own error keeps its normal traceback."""
    with_extension, without = same_as_without_extension(ksm_shell, CAUGHT_THEN_OWN)
    assert isinstance(with_extension.error, ValueError)
    assert with_extension.report is None and report_count(with_extension) == 0, with_extension.report
    assert normalized(with_extension.shown) == normalized(without.shown)


SHALLOW_SCRIPT = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
import keras_shapes_magic
ip = InteractiveShell.instance()
ip.run_line_magic("load_ext", "keras_shapes_magic")
with capture_output() as cap:
    ip.run_cell(sys.argv[1])
print("RESULT " + json.dumps({"report": repr(keras_shapes_magic.last_report()),
                              "html": sum("ksm-report" in str(o.data.get("text/html", "")) for o in cap.outputs)}))
"""

def test_a_users_error_after_a_caught_keras_error_in_a_shallow_shell_is_not_ours() -> None:
    """The same cell in a plain InteractiveShell (about 10 frames deep, like terminal IPython)."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    proc = subprocess.run([sys.executable, "-c", SHALLOW_SCRIPT, CAUGHT_THEN_OWN], capture_output=True, text=True,
                          timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    assert result == {"report": "None", "html": 0}, result


# =========================================================================== 6. deep and odd models
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_model_deeper_than_the_recursion_limit(hooked: Any, flavour: str) -> None:
    """1,500 layers under a recursion limit of 1,000 (the interpreter's default; IPython raises it to 3,000)."""
    limit = sys.getrecursionlimit()
    depth = 1_500
    code = flavour_cell(flavour, f"""
        deep_in = keras.Input((6,), name="deep_in")
        deep_h = deep_in
        for deep_i in range({depth}):
            deep_h = keras.layers.Activation("relu", name=f"act_{{deep_i}}")(deep_h)
        deep_out = keras.layers.Reshape((4,), name="too_small")(deep_h)
        """)
    started = time.perf_counter()
    sys.setrecursionlimit(1_000)
    try:
        assert depth > sys.getrecursionlimit()
        cell = run_cell(hooked, code)
    finally:
        sys.setrecursionlimit(limit)
    report = reported(cell, "too_small")
    assert len(report.rows) == depth + 2
    assert [row.name for row in report.rows[:3]] == ["deep_in", "act_0", "act_1"]
    assert time.perf_counter() - started < 30
    run_cell(hooked, "del deep_in, deep_h\nkeras.backend.clear_session()")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_shared_layers_then_a_failing_merge(hooked: Any, flavour: str) -> None:
    cell = run_cell(hooked, flavour_cell(flavour, """
        left = keras.Input((4,), name="left")
        right = keras.Input((4,), name="right")
        shared = keras.layers.Dense(8, name="shared")
        shared_left, shared_right = shared(left), shared(right)
        narrow = keras.layers.Dense(3, name="narrow")(shared_right)
        joined = keras.layers.Add(name="joined")([shared_left, narrow])
        """))
    report = reported(cell, "joined")
    names = [row.name for row in report.rows]
    assert {"left", "right", "narrow", "joined"} <= set(names)
    assert any(name.startswith("shared") for name in names)


NESTED = {
    "inside": """
        inner = keras.Sequential([keras.Input((8,), name="inner_in"), keras.layers.Dense(4, name="inner_dense")],
                                 name="inner")
        outer_in = keras.Input((6,), name="outer_in")
        outer_out = inner(outer_in)
        """,
    "inside, built on call": """
        inner = keras.Sequential([keras.layers.Dense(4, name="inner_dense"), keras.layers.Reshape((3, 3),
                                  name="inner_reshape")], name="inner")
        outer_in = keras.Input((6,), name="outer_in")
        outer_model = keras.Model(outer_in, keras.layers.Flatten(name="outer_flat")(inner(outer_in)))
        """,
    "after": """
        inner = keras.Sequential([keras.Input((8,), name="inner_in"), keras.layers.Dense(4, name="inner_dense")],
                                 name="inner")
        outer_in = keras.Input((8,), name="outer_in")
        side = keras.layers.Dense(5, name="side")(outer_in)
        outer_out = keras.layers.Add(name="outer_add")([inner(outer_in), side])
        """,
}
NESTED_OFFENDING = {
    "inside": {"inner", "inner_in", "inner_dense", "outer_in"},
    "inside, built on call": {"inner", "inner_reshape"},
    "after": {"outer_add"},
}


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("where", list(NESTED))
def test_a_sequential_nested_in_a_functional_model(hooked: Any, flavour: str, where: str) -> None:
    cell = run_cell(hooked, flavour_cell(flavour, NESTED[where]))
    report = reported(cell, NESTED_OFFENDING[where])
    if where != "inside, built on call":  # (that one shows the inner model's own graph, built on the call)
        assert "outer_in" in {row.name for row in report.rows}, report.to_text()


WRAPPERS = {
    "TimeDistributed": ("""
        clips = keras.Input((5, 8), name="clips")
        per_frame = keras.layers.TimeDistributed(keras.layers.Conv2D(4, 3, name="frame_conv"), name="per_frame")(clips)
        """, {"per_frame", "frame_conv"}),
    "Bidirectional": ("""
        flat_in = keras.Input((8,), name="flat_in")
        both_ways = keras.layers.Bidirectional(keras.layers.LSTM(4, name="lstm"), name="both_ways")(flat_in)
        """, {"both_ways", "lstm", "forward_lstm", "backward_lstm"}),
}


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("wrapper", list(WRAPPERS))
def test_wrappers_failing(hooked: Any, flavour: str, wrapper: str) -> None:
    code, offending = WRAPPERS[wrapper]
    reported(run_cell(hooked, flavour_cell(flavour, code)), offending)


NONE_DIMS = {
    "flatten then dense": ("""
        anything = keras.Input(shape=(None, None, 3), name="anything")
        flat = keras.layers.Flatten(name="flat")(anything)
        head = keras.layers.Dense(10, name="head")(flat)
        """, {"head", "flat"}),
    "concat": ("""
        rgb = keras.Input(shape=(None, None, 3), name="rgb")
        depth_map = keras.Input(shape=(None, None, 4), name="depth_map")
        both = keras.layers.Concatenate(axis=1, name="both")([rgb, depth_map])
        """, {"both"}),
}


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("case", list(NONE_DIMS))
def test_none_dimensions_everywhere(hooked: Any, flavour: str, case: str) -> None:
    code, offending = NONE_DIMS[case]
    report = reported(run_cell(hooked, flavour_cell(flavour, code)), offending)
    shapes = [shape for row in report.rows for shape in row.output_shapes + row.input_shapes if shape]
    assert any(None in shape[1:] for shape in shapes), report.to_text()  # unknown sizes beyond the batch axis


def test_a_recursion_error_inside_keras_is_handled_without_a_crash(hooked: Any) -> None:
    """A user layer recursing without end inside Keras 3's layer call: a traceback thousands of frames deep.

    Keras 3 wraps it as "Could not automatically infer the output shape", so a report is acceptable; what is not
    is losing the RecursionError or crashing on the deep stack. (Keras 3 only: tf_keras's autograph converts
    every level of the recursion again, which takes minutes.)
    """
    cell = run_cell(hooked, flavour_cell("keras", """
        class Endless(keras.layers.Layer):
            def call(self, inputs):
                return self.call(inputs)

        endless_in = keras.Input((4,), name="endless_in")
        endless_out = Endless(name="endless")(endless_in)
        """))
    # (no %tb here: IPython takes seconds to format 3,000 frames, with or without the extension)
    assert_error_kept(hooked, cell, RecursionError, "", "endless_out", tb=False)
    assert "maximum recursion depth" in cell.shown
    assert not notes(cell), notes(cell)
    if cell.report is not None:
        reported(cell, "endless")
    else:
        assert report_count(cell) == 0
    assert_hook_still_installed(hooked)


# =========================================================================== 7. no leaks
LEAK_CELL = """
import numpy as np, weakref

class Tracked(np.ndarray):
    pass

leak_model = keras.Sequential([keras.Input((8,), name="leak_in"), keras.layers.Dense(4, name="leak_hidden"),
                               keras.layers.Dense(2, name="leak_out")], name="leak_model")
leak_model.compile(optimizer="sgd", loss="mse")
leak_x = Tracked((64, 2048, 8), dtype="float32")   # 4 MB, and one axis too many
leak_x[...] = 0.5
leak_y = np.zeros((64, 2), dtype="float32")
leak_refs = {"model": weakref.ref(leak_model), "x": weakref.ref(leak_x)}
leak_model.fit(leak_x, leak_y, epochs=1, verbose=0)
"""


def _forget_ipythons_references(shell: Any) -> None:
    sys.last_type = sys.last_value = sys.last_traceback = None
    shell.displayhook.flush()
    shell.run_cell("del leak_model, leak_x, leak_y")
    shell.run_cell("pass")
    gc.collect()
    gc.collect()


def _who_holds(obj: Any) -> str:
    return "\n".join(f"  {type(r).__name__}: {str(r)[:160]!r}" for r in gc.get_referrers(obj)[:12])


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_model_and_the_data_are_freed_after_a_report(hooked: Any, flavour: str) -> None:
    cell = run_cell(hooked, flavour_cell(flavour, LEAK_CELL))
    report = reported(cell, {"x", "leak_in", "leak_hidden"})
    assert report.rows[0].name == "x"
    del cell, report
    refs = hooked.user_ns["leak_refs"]
    assert refs["model"]() is not None and refs["x"]() is not None

    _forget_ipythons_references(hooked)
    model, data = refs["model"](), refs["x"]()
    assert model is None, f"the model is still alive, held by:\n{_who_holds(model)}"
    assert data is None, f"the data is still alive, held by:\n{_who_holds(data)}"
    assert not capture._captures
    run_cell(hooked, "del leak_refs")


def _plain(value: Any, path: str) -> None:
    if value is None or isinstance(value, (str, int, bool, float)):
        return
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            _plain(item, f"{path}[{i}]")
        return
    if isinstance(value, (Row, ShapeReport)) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        for f in dataclasses.fields(value):
            _plain(getattr(value, f.name), f"{path}.{f.name}")
        return
    raise AssertionError(f"{path} holds a {type(value).__module__}.{type(value).__name__}, not plain data")


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_last_report_holds_only_plain_data(hooked: Any, flavour: str) -> None:
    cell = run_cell(hooked, flavour_cell(flavour, LEAK_CELL))
    report = keras_shapes_magic.last_report()
    assert report is not None and report is cell.report
    _plain(report, "last_report()")
    assert isinstance(report.rows[0], Row)
    run_cell(hooked, "del leak_model, leak_x, leak_y, leak_refs")


MEMORY_CELL = """\
mem_a = keras.Input((4,), name="mem_a")
mem_b = keras.Input((3,), name="mem_b")
mem_sum = keras.layers.Add(name="mem_add")([keras.layers.Dense(5, name="mem_dense")(mem_a), mem_b])
"""


def _failing_cells(shell: Any, cells: int, measure_at: int) -> dict[str, float]:
    """Run the failing cell ``cells`` times; what grew from cell ``measure_at`` to the last one.

    RSS (MB) is what the issue asks about, but freed heap from earlier tests hides growth in it; the number of
    objects the garbage collector tracks and of ipywidgets instances are exact.
    """
    import ipywidgets.widgets.widget as widget_module
    import psutil

    process = psutil.Process()
    run_cell(shell, "import keras")
    then: dict[str, float] = {}
    for i in range(cells):
        cell = run_cell(shell, MEMORY_CELL)
        if i in (0, cells - 1):
            reported(cell, "mem_add")
        del cell
        if i == measure_at - 1:
            gc.collect()
            then = {"rss": process.memory_info().rss / 2**20, "objects": len(gc.get_objects()),
                    "widgets": len(widget_module._instances)}
    gc.collect()
    now = {"rss": process.memory_info().rss / 2**20, "objects": len(gc.get_objects()),
           "widgets": len(widget_module._instances)}
    return {key: now[key] - then[key] for key in now}


VIEWS = [pytest.param("static", id="text+html"), pytest.param("widget", id="widget")]


@pytest.mark.parametrize("view", VIEWS)
def test_200_failing_cells_do_not_grow_memory(hooked: Any, monkeypatch: pytest.MonkeyPatch, view: str) -> None:
    if view == "widget":  # as under a kernel: every report also builds the live widget (older ones are closed)
        monkeypatch.setattr(keras_shapes_magic.display, "_in_kernel", lambda: True)
    growth = _failing_cells(hooked, 200, 50)
    assert len(keras_shapes_magic.display._live_widgets) <= keras_shapes_magic.display.MAX_LIVE_WIDGETS
    assert growth["objects"] < 1_000, f"{growth['objects']:.0f} more objects after 150 more failing cells"
    assert growth["widgets"] <= 0, f"{growth['widgets']:.0f} ipywidgets piled up over 150 closed reports"
    # Object and widget counts above are exact. RSS also holds allocator slack: about 11 MB over these
    # 150 cells with widgets (objects flat), under 8 MB without; the bound catches a real per-report leak.
    limit = 16 if view == "widget" else 8
    assert growth["rss"] < limit, f"RSS grew by {growth['rss']:.1f} MB between cell 50 and cell 200"


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("KSM_SLOW") != "1", reason="1,000 cells: set KSM_SLOW=1 (the benchmark covers it)")
@pytest.mark.parametrize("view", VIEWS)
def test_1000_failing_cells_do_not_grow_memory(hooked: Any, monkeypatch: pytest.MonkeyPatch, view: str) -> None:
    if view == "widget":
        monkeypatch.setattr(keras_shapes_magic.display, "_in_kernel", lambda: True)
    growth = _failing_cells(hooked, 1_000, 100)
    assert growth["objects"] < 1_000 and growth["widgets"] <= 0, growth
    assert growth["rss"] < 16, f"RSS grew by {growth['rss']:.1f} MB between cell 100 and cell 1,000"
