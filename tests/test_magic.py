"""``%%kerascheck`` and ``%kerascheck`` in a real InteractiveShell."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import report_count, run_cell

EXT = "keras_shapes_magic"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

pytestmark = pytest.mark.integration

MERGE_ERROR = """\
import keras

magic_inp = keras.Input(shape=(32, 32, 3))
magic_a = keras.layers.MaxPooling2D((2, 2), name="pool1")(keras.layers.Conv2D(4, 3, padding="same")(magic_inp))
magic_b = keras.layers.Conv2D(8, (5, 5), name="conv2")(magic_inp)
magic_merged = keras.layers.concatenate([magic_a, magic_b], name="merge")
"""
MERGE_MESSAGE = "A `Concatenate` layer requires inputs with matching shapes"


@pytest.fixture(autouse=True)
def _hook_on(ksm_shell: Any) -> Any:
    """Each test starts, and ends, with the automatic hook on."""
    ksm_shell.run_line_magic("kerascheck", "on")
    try:
        yield
    finally:
        ksm_shell.run_line_magic("kerascheck", "on")


# --------------------------------------------------------------------------- arguments
@pytest.mark.parametrize("line", ["--bogus", "--text extra", "-x"])
def test_bad_cell_arguments_give_a_usage_error_and_skip_the_body(run: Any, ksm_shell: Any, line: str) -> None:
    ksm_shell.user_ns.pop("body_ran", None)
    cell = run(f"%%kerascheck {line}\nbody_ran = True\n")
    assert type(cell.error).__name__ == "UsageError"
    assert "UsageError" in cell.shown
    assert line.split()[-1] in cell.shown  # says which argument is wrong
    assert "Traceback" not in cell.shown  # one clean line, not a traceback
    assert "body_ran" not in ksm_shell.user_ns
    assert cell.report is None
    assert "Custom TB Handler failed" not in cell.shown


def test_bad_line_argument_gives_a_usage_error(run: Any, ksm_shell: Any) -> None:
    enabled_before = run("%kerascheck status").shown
    cell = run("%kerascheck sideways")
    assert type(cell.error).__name__ == "UsageError"
    assert "UsageError" in cell.shown and "sideways" in cell.shown
    assert "Traceback" not in cell.shown
    assert run("%kerascheck status").shown == enabled_before  # nothing changed


# --------------------------------------------------------------------------- on / off / status
def test_off_disables_the_automatic_hook_but_not_the_cell_magic(run: Any) -> None:
    assert "are on" in run("%kerascheck status").shown
    run("%kerascheck off")
    try:
        assert "off" in run("%kerascheck status").shown

        plain = run(MERGE_ERROR)
        assert isinstance(plain.error, ValueError)
        assert "ValueError" in plain.shown and MERGE_MESSAGE in plain.shown  # the normal traceback
        assert plain.report is None and report_count(plain) == 0

        checked = run("%%kerascheck\n" + MERGE_ERROR)
        assert isinstance(checked.error, ValueError)
        assert checked.report is not None and checked.report.offending == "merge"
        assert report_count(checked) == 1

        # %%kerascheck forces the check for its own cell only.
        plain = run(MERGE_ERROR)
        assert plain.report is None and report_count(plain) == 0
    finally:
        run("%kerascheck on")
    assert "are on" in run("%kerascheck status").shown
    cell = run(MERGE_ERROR)
    assert cell.report is not None and report_count(cell) == 1


def test_status_prints_the_state(run: Any) -> None:
    on = run("%kerascheck status")
    assert on.error is None
    assert on.stdout.startswith("keras_shapes_magic:")
    assert "on" in on.stdout
    bare = run("%kerascheck")  # status is the default
    assert bare.stdout == on.stdout
    run("%kerascheck off")
    off = run("%kerascheck status")
    assert "off" in off.stdout and off.stdout != on.stdout


# --------------------------------------------------------------------------- last / table
def test_table_returns_the_last_report_as_a_dataframe(run: Any, ksm_shell: Any) -> None:
    import pandas as pd

    import keras_shapes_magic as ksm

    failing = run(MERGE_ERROR)
    assert failing.report is not None
    cell = run("%kerascheck table")
    assert cell.error is None
    frame = cell.result.result
    assert isinstance(frame, pd.DataFrame)
    pd.testing.assert_frame_equal(frame, failing.report.to_frame())
    assert frame.loc[frame["status"] == "offending", "name"].tolist() == ["merge"]
    assert ksm.last_report() is failing.report  # asking for the table does not make a new report

    frame2 = ksm_shell.run_line_magic("kerascheck", "table")
    pd.testing.assert_frame_equal(frame2, frame)


def test_last_shows_the_last_report_again(run: Any) -> None:
    failing = run(MERGE_ERROR)
    assert failing.report is not None
    cell = run("%kerascheck last")
    assert cell.error is None
    assert report_count(cell) == 1
    assert any(failing.report.to_text() == o.get("text/plain") for o in cell.outputs)


def test_table_without_any_report_is_a_usage_error(run: Any, ksm_shell: Any) -> None:
    ksm_shell.run_line_magic("reload_ext", EXT)  # unloading forgets the last report
    for command in ("table", "last"):
        cell = run(f"%kerascheck {command}")
        assert type(cell.error).__name__ == "UsageError"
        assert "No shape report" in cell.shown
        assert "Traceback" not in cell.shown


# --------------------------------------------------------------------------- display options
def test_text_option_has_no_widget_but_text_and_html(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import keras_shapes_magic.display as display

    monkeypatch.setattr(display, "_in_kernel", lambda: True)  # as under a Jupyter kernel
    widget = run("%%kerascheck\n" + MERGE_ERROR)
    assert widget.report is not None
    assert any(WIDGET_MIME in o for o in widget.outputs), "a kernel gets the widget view by default"

    cell = run("%%kerascheck --text\n" + MERGE_ERROR)
    assert cell.report is not None and report_count(cell) == 1
    assert not any(WIDGET_MIME in o for o in cell.outputs)
    bundle = next(o for o in cell.outputs if "ksm-report" in str(o.get("text/html", "")))
    assert ">> merge" in bundle["text/plain"]
    assert 'data-status="offending"' in bundle["text/html"]

    # --text is for that cell only.
    after = run(MERGE_ERROR)
    assert any(WIDGET_MIME in o for o in after.outputs)


def test_frame_option_also_displays_the_dataframe(run: Any) -> None:
    cell = run("%%kerascheck --frame\n" + MERGE_ERROR)
    assert cell.report is not None and report_count(cell) == 1
    frames = [o for o in cell.outputs if "ksm-report" not in str(o.get("text/html", ""))]
    assert len(frames) == 1
    text = frames[0]["text/plain"]
    assert "status" in text and "offending" in text and "merge" in text


def test_traceback_option_shows_the_full_traceback(run: Any) -> None:
    short = run("%%kerascheck\n" + MERGE_ERROR)
    full = run("%%kerascheck --traceback\n" + MERGE_ERROR)
    assert short.report is not None and full.report is not None
    assert "Traceback (most recent call last)" not in short.shown
    assert "Traceback (most recent call last)" in full.shown
    assert "magic_merged = keras.layers.concatenate" in full.shown  # the user's failing line
    for cell in (short, full):
        assert f"ValueError: {MERGE_MESSAGE}" in cell.shown


def test_all_option_shows_every_row(run: Any) -> None:
    layers = "\n".join(f'h = keras.layers.Dense(4, name="d{i}")(h)' for i in range(60))
    code = ("import keras\nbig_inp = keras.Input(shape=(4,))\nh = big_inp\n" + layers
            + '\nbad = keras.layers.Reshape((3, 3), name="to_grid")(h)\n')
    folded = run("%%kerascheck\n" + code)
    full = run("%%kerascheck --all\n" + code)
    assert folded.report is not None and full.report is not None
    assert folded.report.offending == full.report.offending == "to_grid"
    folded_text = next(o["text/plain"] for o in folded.outputs if "text/html" in o)
    full_text = next(o["text/plain"] for o in full.outputs if "text/html" in o)
    assert "rows folded" in folded_text
    assert "rows folded" not in full_text
    for i in range(60):
        assert f" d{i} " in full_text


# --------------------------------------------------------------------------- running the body
def test_last_expression_is_the_cell_result(run: Any) -> None:
    cell = run("%%kerascheck\n1 + 1")
    assert cell.error is None
    assert cell.result.result == 2


def test_last_expression_after_statements(run: Any) -> None:
    cell = run("%%kerascheck\nbase = 40\nbase + 2")
    assert cell.result.result == 42


def test_no_result_when_the_cell_ends_with_a_statement(run: Any) -> None:
    cell = run("%%kerascheck\nquiet = 1")
    assert cell.error is None
    assert cell.result.result is None


def test_variables_land_in_the_user_namespace(run: Any, ksm_shell: Any) -> None:
    ksm_shell.user_ns.pop("ksm_var", None)
    cell = run("%%kerascheck\nksm_var = 41\nksm_var += 1\ndef ksm_helper():\n    return ksm_var\n")
    assert cell.error is None
    assert ksm_shell.user_ns["ksm_var"] == 42
    assert run("ksm_helper()").result.result == 42


def test_ipython_syntax_works_inside_the_cell(run: Any, ksm_shell: Any) -> None:
    cell = run("%%kerascheck\nmagic_items = [1, 2, 3]\nmagic_count = len(magic_items)\n%time magic_total = 6")
    assert cell.error is None, cell.shown
    assert ksm_shell.user_ns["magic_count"] == 3
    assert ksm_shell.user_ns["magic_total"] == 6


def test_non_shape_error_in_the_cell_keeps_the_normal_traceback(run: Any) -> None:
    cell = run("%%kerascheck\ndenominator = 0\n1 / denominator")
    assert isinstance(cell.error, ZeroDivisionError)
    assert cell.result.error_in_exec is cell.error
    assert "ZeroDivisionError" in cell.shown
    assert cell.report is None and report_count(cell) == 0
    assert "Custom TB Handler failed" not in cell.shown


def test_syntax_error_in_the_cell_body(run: Any) -> None:
    cell = run("%%kerascheck\nmodel = (\n")
    assert isinstance(cell.error, SyntaxError)
    assert "SyntaxError" in cell.shown
    assert cell.report is None
    assert "Custom TB Handler failed" not in cell.shown


def test_passing_fit_produces_only_the_checked_line(run: Any, ksm_shell: Any) -> None:
    ksm_shell.user_ns.pop("history", None)
    cell = run(
        "%%kerascheck\n"
        "import numpy as np\n"
        "import keras\n"
        "tiny = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2, activation='softmax')])\n"
        "tiny.compile(optimizer='adam', loss='categorical_crossentropy')\n"
        "x_tiny = np.random.rand(32, 4)\n"
        "y_tiny = keras.utils.to_categorical(np.random.randint(0, 2, 32), 2)\n"
        "history = tiny.fit(x_tiny, y_tiny, epochs=1, batch_size=16, verbose=0)\n"
        "len(history.history['loss'])\n"
    )
    assert cell.error is None, cell.shown
    assert cell.result.result == 1
    assert cell.report is not None and cell.report.passed and cell.report.warnings == ()
    assert [o["text/plain"] for o in cell.outputs if "ksm-report" in str(o.get("text/html", ""))] == [
        cell.report.summary]
    assert "history" in ksm_shell.user_ns


def test_tb_after_a_kerascheck_cell(run: Any) -> None:
    import sys

    failing = run("%%kerascheck\n" + MERGE_ERROR)
    assert failing.report is not None
    assert sys.last_value is failing.error
    tb = run("%tb")
    assert f"ValueError: {MERGE_MESSAGE}" in tb.shown


def test_kerascheck_without_the_hook_in_the_slot_still_reports(run: Any, ksm_shell: Any) -> None:
    """Another tool took the handler slot: %%kerascheck reports by itself and the error still propagates."""
    seen: list[BaseException] = []

    def other(shell: Any, etype: Any, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
        seen.append(value)

    ksm_shell.set_custom_exc((ValueError,), other)
    try:
        cell = run_cell(ksm_shell, "%%kerascheck --text\n" + MERGE_ERROR)
        assert cell.report is not None and report_count(cell) == 1
        assert len(seen) == 1 and seen[0] is cell.error
    finally:
        ksm_shell.run_line_magic("unload_ext", EXT)
        ksm_shell.set_custom_exc((), None)
        ksm_shell.run_line_magic("load_ext", EXT)
