"""The exception hook in a real InteractiveShell: what it reports, what it leaves alone, how it chains."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from conftest import report_count, run_cell

EXT = "keras_shapes_magic"

pytestmark = pytest.mark.integration

#: A construction-time Keras shape error: fast (no fit) and always a report.
MERGE_ERROR = """\
import keras

hook_inp = keras.Input(shape=(32, 32, 3))
hook_a = keras.layers.MaxPooling2D((2, 2), name="pool1")(keras.layers.Conv2D(4, 3, padding="same")(hook_inp))
hook_b = keras.layers.Conv2D(8, (5, 5), name="conv2")(hook_inp)
hook_merged = keras.layers.concatenate([hook_a, hook_b], name="merge")
"""
MERGE_MESSAGE = "A `Concatenate` layer requires inputs with matching shapes"


def assert_plain_traceback(cell: Any, etype: type[BaseException], message: str) -> None:
    """The cell failed with ``etype``, showed IPython's normal output for it, and no report."""
    assert isinstance(cell.error, etype), cell.error
    assert etype.__name__ in cell.shown
    assert message in cell.shown
    assert cell.report is None
    assert report_count(cell) == 0
    assert "Custom TB Handler failed" not in cell.shown
    assert "keras_shapes_magic:" not in cell.shown


def reset_extension(shell: Any) -> None:
    """Back to the session's normal state: no foreign handler, the extension loaded once."""
    if EXT in shell.extension_manager.loaded:
        shell.run_line_magic("unload_ext", EXT)
    shell.set_custom_exc((), None)
    shell.run_line_magic("load_ext", EXT)
    shell.run_line_magic("kerascheck", "on")


@pytest.fixture
def clean_shell(ksm_shell: Any) -> Any:
    """The extension loaded with nothing else in the handler slot, and put back that way afterwards."""
    reset_extension(ksm_shell)
    try:
        yield ksm_shell
    finally:
        reset_extension(ksm_shell)


# --------------------------------------------------------------------------- errors that are not ours
def test_zero_division_keeps_the_normal_traceback(run: Any) -> None:
    cell = run("numerator = 1\nnumerator / 0")
    assert_plain_traceback(cell, ZeroDivisionError, "division by zero")
    assert cell.result.error_in_exec is cell.error
    assert "Traceback" in cell.shown or "----> " in cell.shown  # the full traceback, not just one line


def test_users_own_value_error_is_not_diagnosed(run: Any) -> None:
    cell = run('def configure(shape):\n    raise ValueError("bad shape config")\n\nconfigure((28, 28))')
    assert_plain_traceback(cell, ValueError, "bad shape config")
    assert "configure" in cell.shown  # the user's frame is in the traceback


def test_users_value_error_after_keras_import_is_not_diagnosed(run: Any) -> None:
    cell = run('import keras\nlayer = keras.layers.Dense(3)\nraise ValueError(f"bad shape {layer.units}")')
    assert_plain_traceback(cell, ValueError, "bad shape 3")


def test_syntax_error_keeps_the_normal_syntax_error(run: Any) -> None:
    cell = run("model = keras.Sequential([\n    keras.layers.Dense(3)\n")
    assert isinstance(cell.error, SyntaxError)
    assert cell.result.error_before_exec is cell.error
    assert "SyntaxError" in cell.shown
    assert cell.report is None
    assert "Custom TB Handler failed" not in cell.shown


def test_syntax_error_in_exec_keeps_the_normal_syntax_error(run: Any) -> None:
    cell = run('exec("x = = 1")')
    assert isinstance(cell.error, SyntaxError)
    assert "SyntaxError" in cell.shown
    assert cell.report is None
    assert "Custom TB Handler failed" not in cell.shown


# --------------------------------------------------------------------------- %tb and sys.last_value
def test_tb_after_a_shape_error_shows_the_original_exception(run: Any) -> None:
    failing = run(MERGE_ERROR)
    assert failing.report is not None
    assert isinstance(failing.error, ValueError)
    assert sys.last_value is failing.error
    assert sys.last_type is ValueError

    tb = run("%tb")
    assert tb.error is None
    assert "ValueError" in tb.shown
    assert MERGE_MESSAGE in tb.shown
    assert "hook_merged" in tb.shown  # the user's failing line is in the full traceback
    assert "Custom TB Handler failed" not in tb.shown


# --------------------------------------------------------------------------- chaining and restoring
def test_unload_restores_a_previously_installed_handler(clean_shell: Any) -> None:
    shell = clean_shell
    calls: list[BaseException] = []

    def my_handler(shell: Any, etype: type[BaseException], value: BaseException, tb: Any,
                   tb_offset: int | None = None) -> None:
        calls.append(value)
        print(f"my handler saw {etype.__name__}")

    shell.run_line_magic("unload_ext", EXT)
    shell.set_custom_exc((ZeroDivisionError,), my_handler)
    shell.run_line_magic("load_ext", EXT)

    # Errors the user's handler asked for still go to it.
    cell = run_cell(shell, "1 / 0")
    assert len(calls) == 1 and isinstance(calls[0], ZeroDivisionError)
    assert "my handler saw ZeroDivisionError" in cell.shown
    assert cell.report is None
    assert "Custom TB Handler failed" not in cell.shown

    # Shape errors still get a report while both are installed.
    cell = run_cell(shell, MERGE_ERROR)
    assert cell.report is not None and cell.report.offending == "merge"
    assert report_count(cell) == 1
    assert len(calls) == 1

    shell.run_line_magic("unload_ext", EXT)
    assert shell.custom_exceptions == (ZeroDivisionError,)
    assert shell.find_cell_magic("kerascheck") is None
    assert shell.find_line_magic("kerascheck") is None

    cell = run_cell(shell, "1 / 0")
    assert len(calls) == 2
    assert "my handler saw ZeroDivisionError" in cell.shown
    # A shape error is no longer ours: plain traceback, not the user's handler, no report.
    cell = run_cell(shell, MERGE_ERROR)
    assert isinstance(cell.error, ValueError)
    assert MERGE_MESSAGE in cell.shown
    assert cell.report is None and report_count(cell) == 0
    assert len(calls) == 2
    cell = run_cell(shell, "%%kerascheck\n1 + 1")
    assert cell.error is not None and "UsageError" in cell.shown


def test_a_failing_previous_handler_does_not_take_the_hook_with_it(clean_shell: Any) -> None:
    shell = clean_shell

    def broken_handler(shell: Any, etype: type[BaseException], value: BaseException, tb: Any,
                       tb_offset: int | None = None) -> None:
        raise RuntimeError("bug in the user's own handler")

    shell.run_line_magic("unload_ext", EXT)
    shell.set_custom_exc((ZeroDivisionError,), broken_handler)
    shell.run_line_magic("load_ext", EXT)

    cell = run_cell(shell, "1 / 0")
    assert isinstance(cell.error, ZeroDivisionError)
    assert "ZeroDivisionError" in cell.shown  # IPython unregisters the broken handler and shows the original
    cell = run_cell(shell, MERGE_ERROR)
    assert cell.report is not None and report_count(cell) == 1, "the shape hook must survive the other's failure"


def test_unload_without_previous_handler_empties_the_slot(clean_shell: Any) -> None:
    shell = clean_shell
    assert Exception in shell.custom_exceptions
    shell.run_line_magic("unload_ext", EXT)
    assert shell.custom_exceptions == ()
    cell = run_cell(shell, MERGE_ERROR)
    assert isinstance(cell.error, ValueError)
    assert cell.report is None and report_count(cell) == 0
    assert "Custom TB Handler failed" not in cell.shown


def test_unload_leaves_a_later_handler_alone(clean_shell: Any) -> None:
    shell = clean_shell
    calls: list[BaseException] = []

    def other_tool(shell: Any, etype: type[BaseException], value: BaseException, tb: Any,
                   tb_offset: int | None = None) -> None:
        calls.append(value)
        print("other tool handled it")

    shell.set_custom_exc((ValueError,), other_tool)  # another extension loads after ours

    # %%kerascheck still reports (the magic does it when the hook no longer owns the slot).
    cell = run_cell(shell, "%%kerascheck\n" + MERGE_ERROR)
    assert cell.report is not None and cell.report.offending == "merge"
    assert report_count(cell) == 1
    assert len(calls) == 1 and "other tool handled it" in cell.shown
    status = run_cell(shell, "%kerascheck status")
    assert "another tool" in status.shown

    shell.run_line_magic("unload_ext", EXT)
    assert shell.custom_exceptions == (ValueError,)
    cell = run_cell(shell, 'raise ValueError("for the other tool")')
    assert len(calls) == 2 and str(calls[1]) == "for the other tool"
    assert "other tool handled it" in cell.shown
    assert shell.find_cell_magic("kerascheck") is None


@pytest.mark.parametrize("how", ["load_twice", "reload_ext", "unload_load"])
def test_one_hook_after_repeated_loading(clean_shell: Any, how: str) -> None:
    shell = clean_shell
    if how == "load_twice":
        shell.run_line_magic("load_ext", EXT)
        shell.run_line_magic("load_ext", EXT)
    elif how == "reload_ext":
        shell.run_line_magic("reload_ext", EXT)
        shell.run_line_magic("reload_ext", EXT)
    else:
        for _ in range(2):
            shell.run_line_magic("unload_ext", EXT)
            shell.run_line_magic("load_ext", EXT)
    cell = run_cell(shell, MERGE_ERROR)
    assert cell.report is not None
    assert report_count(cell) == 1
    assert cell.shown.count(MERGE_MESSAGE) <= 3  # header, text view and the traceback line; no duplicates
    cell = run_cell(shell, "%%kerascheck\n" + MERGE_ERROR)
    assert report_count(cell) == 1
    cell = run_cell(shell, "1 / 0")
    assert cell.report is None and report_count(cell) == 0
    assert cell.shown.count("ZeroDivisionError: division by zero") == 1
    # Exactly one of our callbacks per event.
    for event in ("pre_run_cell", "post_run_cell"):
        ours = [cb for cb in shell.events.callbacks[event] if "keras_shapes_magic" in getattr(cb, "__module__", "")]
        assert len(ours) == 1, shell.events.callbacks[event]


def test_loading_does_not_import_tensorflow_or_keras() -> None:
    code = textwrap.dedent(
        """
        import json, sys
        from IPython.core.interactiveshell import InteractiveShell
        ip = InteractiveShell.instance()
        ip.run_line_magic("load_ext", "keras_shapes_magic")
        after_load = {m: m in sys.modules for m in ("tensorflow", "keras", "tf_keras")}
        ip.run_cell("1 / 0")                          # a non-Keras error goes through the hook
        ip.run_cell("%%kerascheck\\nvalue = 6 * 7")   # and a passing %%kerascheck cell
        after_cells = {m: m in sys.modules for m in ("tensorflow", "keras", "tf_keras")}
        print("RESULT " + json.dumps({"load": after_load, "cells": after_cells, "value": ip.user_ns.get("value")}))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    assert result["value"] == 42
    assert result["load"] == {"tensorflow": False, "keras": False, "tf_keras": False}
    assert result["cells"] == {"tensorflow": False, "keras": False, "tf_keras": False}


# --------------------------------------------------------------------------- our own bugs
def _assert_fallback(cell: Any) -> None:
    assert isinstance(cell.error, ValueError)
    assert "ValueError" in cell.shown and MERGE_MESSAGE in cell.shown
    notes = [ln for ln in cell.shown.splitlines() if ln.startswith("keras_shapes_magic:")]
    assert len(notes) == 1, cell.shown
    assert len(notes[0]) < 300
    assert "Custom TB Handler failed" not in cell.shown
    assert report_count(cell) == 0


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("simulated bug in keras_shapes_magic")


@pytest.mark.parametrize("mode", ["hook", "magic"])
def test_a_bug_in_diagnose_falls_back_to_the_traceback(clean_shell: Any, monkeypatch: pytest.MonkeyPatch,
                                                       mode: str) -> None:
    import keras_shapes_magic.diagnosis

    prefix = "%%kerascheck\n" if mode == "magic" else ""
    monkeypatch.setattr(keras_shapes_magic.diagnosis, "diagnose", _boom)
    cell = run_cell(clean_shell, prefix + MERGE_ERROR)
    _assert_fallback(cell)
    assert cell.report is None
    assert "RuntimeError" in cell.shown  # the note says what went wrong

    monkeypatch.undo()
    cell = run_cell(clean_shell, prefix + MERGE_ERROR)
    assert cell.report is not None and report_count(cell) == 1  # the hook is still installed


@pytest.mark.parametrize("target", ["keras_shapes_magic.display.mimebundle", "keras_shapes_magic.render.render_html"])
def test_a_bug_in_display_falls_back_to_the_traceback(clean_shell: Any, monkeypatch: pytest.MonkeyPatch,
                                                      target: str) -> None:
    monkeypatch.setattr(target, _boom)
    cell = run_cell(clean_shell, MERGE_ERROR)
    _assert_fallback(cell)

    monkeypatch.undo()
    cell = run_cell(clean_shell, MERGE_ERROR)
    assert cell.report is not None and report_count(cell) == 1
    assert "keras_shapes_magic:" not in cell.shown


def _run_interleaved(shell: Any, code: str) -> str:
    """Run a cell with stdout and stderr in one stream, so the order of what it printed is kept."""
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        shell.run_cell(code)
    return buffer.getvalue()


@pytest.mark.parametrize("target", [
    "keras_shapes_magic.diagnosis.diagnose",
    "keras_shapes_magic.display.mimebundle",
])
def test_the_fallback_note_comes_after_the_error(clean_shell: Any, monkeypatch: pytest.MonkeyPatch,
                                                 target: str) -> None:
    monkeypatch.setattr(target, _boom)
    shown = _run_interleaved(clean_shell, MERGE_ERROR)
    note = shown.find("keras_shapes_magic: could not build the shape report")
    error = shown.find(f"ValueError: {MERGE_MESSAGE}")
    assert note >= 0 and error >= 0, shown
    assert "the error above" in shown[note:]
    assert error < note, shown
