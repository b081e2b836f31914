"""Issue 9: every error, every magic, every debugger keeps working (one test per reported failure).

Each test starts from the reproduction of the issue: ``%load_ext keras_shapes_magic``, numpy and
keras imported, and ``bad``, a Dense(3) model on 4 features.
"""

from __future__ import annotations

import gc
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CellRun, report_count, run_cell
from test_hardening import hooked, normalized, our_hook, same_as_without_extension  # noqa: F401 (fixture)

import keras_shapes_magic
from keras_shapes_magic.display import ReportOptions

pytestmark = pytest.mark.integration

SETUP = "import numpy as np, keras\nbad = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])"
BAD_PREDICT = "bad.predict(np.ones((2, 5)), verbose=0)"


@pytest.fixture
def shell(hooked: Any) -> Any:  # noqa: F811 (the fixture imported above)
    """The extension alone in the handler slot, with the issue's ``bad`` model defined."""
    assert run_cell(hooked, SETUP).error is None
    return hooked


def chaining_tool(shell: Any, log: list[str]) -> None:
    """Another extension that installs its handler after ours and chains to the one it found."""
    previous_types, previous = tuple(shell.custom_exceptions), shell.CustomTB

    def other(shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None) -> None:
        log.append(type(value).__name__)
        if previous_types and isinstance(value, previous_types):
            previous(etype, value, tb, tb_offset=tb_offset)
        else:
            shell.showtraceback((etype, value, tb), tb_offset=tb_offset)

    shell.set_custom_exc((Exception,), other)


# =========================================================================== errors or tools the user loses
@pytest.mark.parametrize("mode", ["hook", "magic"])
def test_1_pdb_starts_after_the_report(shell: Any, monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    started: list[Any] = []
    monkeypatch.setattr(shell.InteractiveTB, "debugger", lambda force=False: started.append(shell.InteractiveTB.tb))
    shell.run_line_magic("pdb", "on")
    try:
        cell = run_cell(shell, ("%%kerascheck\n" if mode == "magic" else "") + BAD_PREDICT)
    finally:
        shell.run_line_magic("pdb", "off")
    assert cell.report is not None and report_count(cell) == 1
    assert len(started) == 1, "the post-mortem debugger did not start"
    assert started[0] is not None and started[0] is cell.error.__traceback__
    assert sys.last_value is cell.error  # what %debug / %tb read


def test_1_pdb_is_left_off_when_it_is_off(shell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(shell.InteractiveTB, "debugger", lambda force=False: started.append(force))
    shell.run_line_magic("pdb", "off")
    assert run_cell(shell, BAD_PREDICT).report is not None
    assert started == []


LONG_MESSAGES = {
    "input shape": "'Invalid input shape for input ' * 20000",
    "call wrapper": "'Exception encountered when calling x.\\n\\n' * 20000",
    "input spec": "'Input 0 of layer \"d\" is incompatible ' * 20000",
    "node": "'{{node ' * 50000",
}


@pytest.mark.parametrize("case", list(LONG_MESSAGES))
def test_2_a_long_user_message_never_hangs(shell: Any, case: str) -> None:
    """Today these took a minute or more; the guard is 20 s, far above the linear cost (a few ms)."""
    result: dict[str, CellRun] = {}
    code = f"raise ValueError({LONG_MESSAGES[case]})"
    worker = threading.Thread(target=lambda: result.update(cell=run_cell(shell, code)))
    worker.start()
    worker.join(20)
    assert not worker.is_alive(), "the handler is still parsing the message"
    cell = result["cell"]
    assert isinstance(cell.error, ValueError) and cell.report is None and "ValueError" in cell.shown


def test_2_errors_not_raised_by_keras_are_never_parsed(shell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from keras_shapes_magic.diagnosis import evidence

    parsed: list[int] = []
    real = evidence.parse
    monkeypatch.setattr(evidence, "parse", lambda text: parsed.append(len(text)) or real(text))
    cell = run_cell(shell, "raise ValueError('Invalid input shape for input ' * 200000)")
    assert isinstance(cell.error, ValueError) and cell.report is None
    assert max(parsed, default=0) == 0, "a user's own error message was parsed"


@pytest.mark.parametrize("message", [
    "Invalid input shape for input " * 200_000,
    "Exception encountered when calling x.\n\n" * 200_000,
    "(" * 5_000_000,
    "in user code:\n" + "    " * 1_000_000,
    "{{node " * 500_000,
    "with input shapes: " * 300_000,
    "Input 0 of layer \"d\" is incompatible " * 200_000,
])
def test_2_parse_is_linear_on_pathological_text(message: str) -> None:
    from keras_shapes_magic.parse import MAX_PARSED_CHARS, parse

    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(parse(message)))
    worker.start()
    worker.join(20)
    assert done, "parse() did not finish"
    assert len(done[0].clean) <= MAX_PARSED_CHARS + 10 and len(done[0].core) <= MAX_PARSED_CHARS + 10


STACKED = {
    "%%time": ("%%time\nstacked_value = 41 + 1", "Wall time"),
    "%%capture": ("%%capture captured\nprint('inside capture')\nstacked_value = 42", None),
    "%%writefile": ("%%writefile {path}\nstacked file body", "Writing"),
    "%%html": ("%%html\n<b>stacked html</b>", None),
}


@pytest.mark.parametrize("magic", list(STACKED))
def test_3_a_second_cell_magic_runs_the_rest_of_the_cell(shell: Any, tmp_path: Path, magic: str) -> None:
    body, shown = STACKED[magic]
    path = tmp_path / "stacked.txt"
    shell.user_ns.pop("stacked_value", None)
    cell = run_cell(shell, "%%kerascheck\n" + body.format(path=path))
    assert cell.error is None, cell.shown
    if shown:
        assert shown in cell.shown
    if magic in ("%%time", "%%capture"):
        assert shell.user_ns["stacked_value"] == 42
    if magic == "%%capture":
        assert "inside capture" in shell.user_ns["captured"].stdout and "inside capture" not in cell.stdout
    if magic == "%%writefile":
        assert path.read_text().strip() == "stacked file body"
    if magic == "%%html":
        # (the terminal test shell keeps text/plain only for HTML objects)
        assert any("HTML" in str(o.get("text/plain", "")) for o in cell.outputs), cell.outputs


def test_3_a_shape_error_under_a_stacked_magic(shell: Any) -> None:
    shell.run_line_magic("kerascheck", "off")
    # %%capture runs its body as a nested cell and keeps what it shows: the report goes there too
    cell = run_cell(shell, "%%kerascheck\n%%capture captured_report\n" + BAD_PREDICT)
    assert cell.report is not None
    captured = shell.user_ns["captured_report"]
    assert any("ksm-report" in str(o.data.get("text/html", "")) for o in captured.outputs)
    assert "ValueError" in captured.stdout + captured.stderr
    cell = run_cell(shell, "%%kerascheck\n%%time\n" + BAD_PREDICT)  # %%time shows it itself, as without us
    assert "ValueError" in cell.shown and cell.report is None  # as without the extension


RUNTIME_SYNTAX = {
    "eval": "def g():\n    return eval('1 +')\ng()",
    "compile": "def build_code():\n    return compile('x = (', 'generated', 'exec')\nbuild_code()",
}


@pytest.mark.parametrize("case", list(RUNTIME_SYNTAX))
def test_4_a_runtime_syntax_error_keeps_its_stack(shell: Any, case: str) -> None:
    with_extension, without = same_as_without_extension(shell, RUNTIME_SYNTAX[case])
    assert isinstance(with_extension.error, SyntaxError)
    assert "line 3" in normalized(with_extension.shown)  # the cell frame that called the function
    assert normalized(with_extension.shown) == normalized(without.shown)


def test_4_a_syntax_error_in_the_cell_itself_is_unchanged(shell: Any) -> None:
    with_extension, without = same_as_without_extension(shell, "x = (1,\ny = 2 +\n")
    assert isinstance(with_extension.error, SyntaxError)
    assert normalized(with_extension.shown) == normalized(without.shown)


def test_5_top_level_await_while_another_tool_owns_the_slot(shell: Any) -> None:
    chaining_tool(shell, [])
    cell = run_cell(shell, "%%kerascheck\nimport asyncio\nawait asyncio.sleep(0)\nawaited_value = 7")
    assert cell.error is None, cell.shown
    assert shell.user_ns["awaited_value"] == 7
    cell = run_cell(shell, "%%kerascheck\nimport asyncio\nawait asyncio.sleep(0)\n" + BAD_PREDICT)
    assert cell.report is not None and report_count(cell) == 1


def replacing_tool(shell: Any, log: list[str]) -> None:
    """Another extension that takes the slot for itself and never chains to ours."""

    def other(shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None) -> None:
        log.append(type(value).__name__)
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)

    shell.set_custom_exc((Exception,), other)


def test_5_kerascheck_reports_under_a_tool_that_does_not_chain(shell: Any) -> None:
    log: list[str] = []
    replacing_tool(shell, log)
    plain = run_cell(shell, BAD_PREDICT)
    assert report_count(plain) == 0 and log == ["ValueError"]  # the slot is theirs: plain cells are theirs
    checked = run_cell(shell, "%%kerascheck\nimport asyncio\nawait asyncio.sleep(0)\n" + BAD_PREDICT)
    assert checked.report is not None and report_count(checked) == 1
    assert log == ["ValueError", "ValueError"], "the other tool must still see the error"
    assert not our_hook(shell).is_current()
    assert report_count(run_cell(shell, BAD_PREDICT)) == 0  # and it has its slot back


# =========================================================================== wrong or extra reports
@pytest.mark.parametrize("hook_state", ["on", "off"])
def test_6_one_report_when_another_tool_chains_to_ours(shell: Any, hook_state: str) -> None:
    log: list[str] = []
    chaining_tool(shell, log)
    shell.run_line_magic("kerascheck", hook_state)
    checked = run_cell(shell, "%%kerascheck\n" + BAD_PREDICT)
    assert report_count(checked) == 1 and checked.report is not None
    assert log == ["ValueError"], "the other tool must still see the error"
    assert "ValueError" in checked.shown
    plain = run_cell(shell, BAD_PREDICT)
    assert report_count(plain) == (1 if hook_state == "on" else 0)
    assert "ValueError" in plain.shown
    assert not our_hook(shell).is_current()  # the %%kerascheck cell gave the slot back


def test_7_after_unload_our_old_handler_is_inert(shell: Any) -> None:
    log: list[str] = []
    chaining_tool(shell, log)
    shell.run_line_magic("unload_ext", "keras_shapes_magic")
    cell = run_cell(shell, BAD_PREDICT)
    assert isinstance(cell.error, ValueError) and "ValueError" in cell.shown
    assert report_count(cell) == 0 and cell.report is None
    assert log == ["ValueError"]


OWN_ERRORS = {
    "RuntimeError": ("raise RuntimeError('my own bug')", RuntimeError, "my own bug"),
    "unrelated ValueError": ("raise ValueError('learning rate schedule not configured')", ValueError,
                             "learning rate schedule not configured"),
}


@pytest.mark.parametrize("case", list(OWN_ERRORS))
@pytest.mark.parametrize("phase", ["build", "predict"])
def test_8_a_users_own_error_in_call_is_not_a_shape_error(shell: Any, case: str, phase: str) -> None:
    statement, etype, text = OWN_ERRORS[case]
    cell = run_cell(shell, textwrap.dedent(f"""\
        class OwnBug(keras.layers.Layer):
            def call(self, x):
                if not hasattr(self, "armed") or self.armed:
                    {statement}
                return x
        own = OwnBug()
        own.armed = {phase == "build"}
        own_model = keras.Sequential([keras.Input((4,)), own])
        own.armed = True
        own_model.predict(np.ones((2, 4)), verbose=0)
        """))
    assert isinstance(cell.error, etype) and text in str(cell.error)
    assert cell.report is None and report_count(cell) == 0
    assert statement in cell.shown, "the full traceback (with the user's raise line) must be shown"


def test_9_building_the_report_never_calls_a_user_property(shell: Any) -> None:
    cell = run_cell(shell, textwrap.dedent("""\
        import time
        property_calls = []
        class SlowProps(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(3)
            @property
            def units(self):
                property_calls.append("units"); time.sleep(1); return 3
            @property
            def filters(self):
                property_calls.append("filters"); time.sleep(1); return 8
            def get_config(self):
                property_calls.append("get_config"); time.sleep(1); return {}
            def call(self, x):
                return self.dense(x)
        slow_in = keras.Input((4,))
        slow_model = keras.Model(slow_in, SlowProps(name="slow")(slow_in))
        property_calls.clear()
        slow_model.predict(np.ones((2, 5)), verbose=0)
        """))
    assert cell.report is not None
    assert shell.user_ns["property_calls"] == []


def test_9_attribute_reads_skip_user_code_but_read_framework_state() -> None:
    import numpy as np

    from keras_shapes_magic.diagnosis import keras_objects as ko

    class Tricky:
        plain = "class value"

        def __init__(self) -> None:
            self.units = 5

        @property
        def filters(self) -> int:
            raise AssertionError("a user property was called")

        def __getattr__(self, name: str) -> Any:
            raise AssertionError("a user __getattr__ was called")

    tricky = Tricky()
    assert ko.attr(tricky, "units") == 5
    assert ko.attr(tricky, "plain") == "class value"
    assert ko.attr(tricky, "filters", "skipped") == "skipped"
    assert ko.attr(tricky, "missing", "skipped") == "skipped"
    assert ko.shape_of(np.zeros((2, 3))) == (2, 3)


def test_10_target_against_output_at_the_loss(shell: Any) -> None:
    cell = run_cell(shell, "bad.compile('adam', 'mse')\nbad.fit(np.ones((32, 4)), np.ones((32,)), epochs=1, verbose=0)")
    report = cell.report
    assert report is not None
    frame = report.to_frame()
    offending = frame[frame["status"] == "offending"]
    assert list(offending["kind"]) == ["loss"]
    assert "not reached" not in set(frame["status"])
    assert "(32,)" in report.cause and "3" in report.cause
    assert any("Dense(1)" in fix for fix in report.fixes)
    assert not any("Compare" in fix for fix in report.fixes)


def test_11_options_of_a_silent_cell_do_not_leak(shell: Any) -> None:
    silent = shell.run_cell("%%kerascheck --frame --text\n" + BAD_PREDICT, silent=True)
    assert silent.error_in_exec is not None
    cell = run_cell(shell, BAD_PREDICT)
    assert cell.report is not None
    assert our_hook(shell).cell_options == ReportOptions()
    assert len(cell.outputs) == 1, "the DataFrame of --frame leaked into the next cell"


def test_12_a_nested_run_cell_keeps_the_check_on(shell: Any) -> None:
    shell.run_line_magic("kerascheck", "off")
    cell = run_cell(shell, "%%kerascheck\nget_ipython().run_cell('nested_value = 1')\n" + BAD_PREDICT)
    assert shell.user_ns["nested_value"] == 1
    assert cell.report is not None and report_count(cell) == 1


def test_13_a_loss_called_in_a_custom_training_loop(shell: Any) -> None:
    cell = run_cell(shell, textwrap.dedent("""\
        import tensorflow as tf
        loop_model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5)])
        loss_fn = keras.losses.MeanSquaredError()
        x_batch, y_batch = np.ones((8, 4)), np.ones((8, 3))
        with tf.GradientTape() as tape:
            logits = loop_model(x_batch)
            loss_value = loss_fn(y_batch, logits)
        """))
    report = cell.report
    assert report is not None, cell.shown
    assert report.to_frame().set_index("name").loc[report.offending, "kind"] == "loss"
    assert "y_batch" in report.cause and "logits" in report.cause
    assert any("Dense(3)" in fix for fix in report.fixes)


def test_13_an_optimizer_step_with_mismatched_gradients(shell: Any) -> None:
    cell = run_cell(shell, textwrap.dedent("""\
        import tensorflow as tf
        step_model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
        optimizer = keras.optimizers.Adam()
        with tf.GradientTape() as tape:
            step_loss = tf.reduce_mean(step_model(np.ones((2, 4))))
        grads = tape.gradient(step_loss, step_model.trainable_variables)
        optimizer.apply_gradients(zip(grads[::-1], step_model.trainable_variables))
        """))
    report = cell.report
    assert report is not None, cell.shown
    assert "apply_gradients" in report.cause and "(4, 3)" in report.cause
    assert any("zip(grads, model.trainable_variables)" in fix for fix in report.fixes)


# =========================================================================== cosmetic, but users see them
def test_14_tracebacks_show_the_users_first_line(shell: Any) -> None:
    cell = run_cell(shell, "%%kerascheck --traceback\nfirst_line_value = 1\n" + BAD_PREDICT)
    assert cell.report is not None
    from IPython.utils.capture import capture_output

    with capture_output() as tb:
        shell.run_line_magic("tb", "")
    for text in (cell.shown, tb.stdout):
        assert "run_line_magic('kerascheck'" not in text
    assert "%%kerascheck --traceback" in normalized(tb.stdout) or "first_line_value" in tb.stdout


def test_14_the_cached_cell_stays_python_for_autograph(shell: Any) -> None:
    """AutoGraph re-parses the cell's cached source to convert a lambda: it must still be Python."""
    cell = run_cell(shell, "%%kerascheck\nimport tensorflow as tf\n"
                           "doubled = list(tf.data.Dataset.range(4).map(lambda v: v * 2).as_numpy_iterator())")
    assert cell.error is None and shell.user_ns["doubled"] == [0, 2, 4, 6]
    assert "AutoGraph could not transform" not in cell.shown


def _report_with_names(*names: str) -> Any:
    from keras_shapes_magic.records import Row, ShapeReport

    rows = tuple(Row(name=n, kind="layer", type="Dense", output_shapes=((None, 3),)) for n in names)
    rows = rows[:-1] + (rows[-1].with_status("offending"),)
    return ShapeReport(rows=rows, offending=names[-1], cause=f"{names[-1]} fails", fixes=(f"fix {names[0]}",),
                       exception_type="ValueError", message="m")


def test_15_long_and_multiline_names_keep_the_table_aligned() -> None:
    text = _report_with_names("short", "two\nlines", "x" * 300, "last").to_text()
    table = text.split("\n\n")[1].splitlines()
    assert len(table) == 5  # header + 4 rows: no name spills onto a line of its own
    status_columns = {line.rstrip().rfind("ok") for line in table[1:4]}
    assert len(status_columns) == 1, "the status column moved"
    assert all(len(line) < 200 for line in table)


def test_16_ansi_codes_in_names_never_reach_text_plain() -> None:
    report = _report_with_names("\x1b[31mred\x1b[0m", "\x1b]8;;http://x\x07link")
    assert "\x1b" not in report.to_text() and "\x07" not in report.to_text()
    assert "\\x1b[31mred" in report.to_text()


@pytest.mark.parametrize("value", ["boom", 42, None, ValueError])
def test_17_diagnose_takes_an_exception(value: Any) -> None:
    with pytest.raises(TypeError, match="takes the exception"):
        keras_shapes_magic.diagnose(value)


def test_18_a_widget_whose_construction_failed_closes_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    from keras_shapes_magic import widget

    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(widget, "table_html", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("half built")))
    with pytest.raises(RuntimeError):
        widget.ShapeReportWidget(_report_with_names("a", "b"))
    gc.collect()
    assert unraisable == []


# =========================================================================== the real kernel
@pytest.mark.kernel
def test_1_pdb_in_a_real_kernel() -> None:
    """``%pdb on`` in ipykernel: the debugger prompts on the kernel's stdin channel after the report."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        def execute(code: str, answer: str | None = None, timeout: float = 180) -> dict[str, Any]:
            """Run ``code``; answer every stdin prompt with ``answer``; wait for the reply and for idle."""
            msg_id = client.execute(code, allow_stdin=answer is not None)
            outputs: list[dict[str, Any]] = []
            prompts: list[str] = []
            reply: dict[str, Any] | None = None
            idle = False
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and not (reply is not None and idle):
                if answer is not None and client.stdin_channel.msg_ready():
                    prompts.append(client.get_stdin_msg(timeout=1)["content"]["prompt"])
                    client.input(answer)
                if reply is None and client.shell_channel.msg_ready():
                    message = client.get_shell_msg(timeout=1)
                    if message["parent_header"].get("msg_id") == msg_id:
                        reply = message["content"]
                if client.iopub_channel.msg_ready():
                    message = client.get_iopub_msg(timeout=1)
                    if message["parent_header"].get("msg_id") == msg_id:
                        outputs.append(message)
                        idle = idle or (message["msg_type"] == "status"
                                        and message["content"]["execution_state"] == "idle")
                else:
                    time.sleep(0.02)
            assert reply is not None, f"no reply to {code!r} within {timeout} s"
            return {"reply": reply, "outputs": outputs, "prompts": prompts}

        assert execute("%load_ext keras_shapes_magic\n" + SETUP)["reply"]["status"] == "ok"
        assert execute("%pdb on")["reply"]["status"] == "ok"
        result = execute(BAD_PREDICT, answer="q")
        assert result["reply"]["status"] == "error" and result["reply"]["ename"] == "ValueError"
        assert any("ipdb" in prompt for prompt in result["prompts"]), "the debugger did not prompt"
        kinds = [m["msg_type"] for m in result["outputs"]]
        assert "display_data" in kinds and "error" in kinds
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
