"""Families of attack that must stay covered: pathological messages, other tools' handlers, stacked
magics, debuggers and ``%xmode``, and user code that the report must never run."""

from __future__ import annotations

import textwrap
import threading
from typing import Any

import pytest
from conftest import CellRun, report_count, run_cell
from test_hardening import hooked, normalized, our_hook, same_as_without_extension  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

SETUP = ("import numpy as np, keras\n"
         "adv = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name='adv_dense')])")
SHAPE_ERROR = "adv.predict(np.ones((2, 5)), verbose=0)"


@pytest.fixture
def shell(hooked: Any) -> Any:  # noqa: F811
    assert run_cell(hooked, SETUP).error is None
    return hooked


def run_guarded(shell: Any, code: str, seconds: float = 30) -> CellRun:
    """Run a cell; fail (instead of hanging the suite) if it takes more than ``seconds``."""
    result: dict[str, CellRun] = {}
    worker = threading.Thread(target=lambda: result.update(cell=run_cell(shell, code)))
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"the cell did not finish in {seconds} s"
    return result["cell"]


# --------------------------------------------------------------------------- long and pathological messages
PATHOLOGICAL = {
    "random text": "''.join(chr(32 + (i * 7919) % 95) for i in range(5_000_000))",
    "nested wrappers": "('Exception encountered when calling layer \"d\" (type Dense).\\n\\n' * 50000)",
    "shapes everywhere": "('(None, 3) vs (None, 4) shape ' * 200000)",
    "autograph": "'in user code:\\n' + '\\n    ValueError: ' * 200000",
}


@pytest.mark.parametrize("case", list(PATHOLOGICAL))
def test_a_users_pathological_message_is_fast_and_untouched(shell: Any, case: str) -> None:
    cell = run_guarded(shell, f"raise ValueError({PATHOLOGICAL[case]})")
    assert isinstance(cell.error, ValueError) and cell.report is None and "ValueError" in cell.shown


def test_a_huge_message_raised_inside_a_keras_layer(shell: Any) -> None:
    """Keras wraps it (so it is Keras's error): parsing stays bounded, the error is kept."""
    cell = run_guarded(shell, textwrap.dedent("""\
        class Loud(keras.layers.Layer):
            def call(self, x):
                raise ValueError("incompatible shape " + "(None, 3) " * 300000)
        loud_in = keras.Input((4,))
        Loud(name="loud")(loud_in)
        """))
    assert isinstance(cell.error, ValueError) and "ValueError" in cell.shown
    if cell.report is not None:
        assert cell.report.offending == "loud" and len(cell.report.cause) < 2_000


# --------------------------------------------------------------------------- other tools' handlers
def _tool(kind: str, log: list[str]) -> Any:
    def handler(shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None) -> Any:
        log.append(kind)
        if kind == "raising":
            raise RuntimeError("the other tool is broken")
        if kind == "returns garbage":
            return 42
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        return None

    return handler


@pytest.mark.parametrize("kind", ["showing", "raising", "returns garbage"])
@pytest.mark.parametrize("order", ["before us", "after us"])
def test_other_handlers_never_cost_the_user_their_error(shell: Any, kind: str, order: str) -> None:
    log: list[str] = []
    if order == "before us":
        shell.run_line_magic("unload_ext", "keras_shapes_magic")
        shell.set_custom_exc((ValueError,), _tool(kind, log))
        shell.run_line_magic("load_ext", "keras_shapes_magic")
    else:
        shell.set_custom_exc((ValueError,), _tool(kind, log))
    for code in (SHAPE_ERROR, "%%kerascheck\n" + SHAPE_ERROR, "raise ValueError('plain user error')"):
        cell = run_cell(shell, code)
        assert isinstance(cell.error, ValueError), code
        assert "ValueError" in cell.shown, (code, kind, order)
        assert report_count(cell) <= 1


# --------------------------------------------------------------------------- stacked magics
STACKS = {
    "text then time": ("%%kerascheck --text\n%%time\nstack_value = 1", None),
    "kerascheck second": ("%%capture stack_out\n%%kerascheck\nstack_value = 2", None),
    "python": ("%%kerascheck\n%%python3\nprint('from a subprocess')", "from a subprocess"),
    "bash": ("%%kerascheck\n%%bash\necho from bash", "from bash"),
}


@pytest.mark.parametrize("case", list(STACKS))
def test_stacked_magics_run_their_body(shell: Any, case: str) -> None:
    code, shown = STACKS[case]
    cell = run_cell(shell, code)
    assert cell.error is None, cell.shown
    if shown:
        assert shown in cell.shown
    else:
        assert "stack_value" in shell.user_ns


# --------------------------------------------------------------------------- debuggers and %xmode
@pytest.mark.parametrize("mode", ["Plain", "Context", "Verbose", "Minimal"])
def test_every_xmode_keeps_the_error_line_under_the_report(shell: Any, mode: str) -> None:
    shell.run_line_magic("xmode", mode)
    try:
        cell = run_cell(shell, SHAPE_ERROR)
        assert cell.report is not None and report_count(cell) == 1
        assert "ValueError" in cell.shown
        with_extension, without = same_as_without_extension(shell, "def own():\n    raise KeyError('k')\nown()")
        assert normalized(with_extension.shown) == normalized(without.shown)
    finally:
        shell.run_line_magic("xmode", "Context")


def test_debug_after_a_report_reaches_the_failing_frame(shell: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``%debug`` reads ``sys.last_traceback``: it is the user's error, not one of ours."""
    import sys

    cell = run_cell(shell, SHAPE_ERROR)
    assert cell.report is not None
    assert sys.last_value is cell.error and sys.last_traceback is cell.error.__traceback__


# --------------------------------------------------------------------------- user code that must never run
NEVER_RUN = {
    "property": """
        @property
        def units(self):
            never_called.append("units")
            return 3
    """,
    "cached_property": """
        @functools.cached_property
        def filters(self):
            never_called.append("filters")
            return 8
    """,
    "get_config": """
        def get_config(self):
            never_called.append("get_config")
            return {"units": 3}
    """,
    "compute_output_shape": """
        def compute_output_shape(self, input_shape):
            never_called.append("compute_output_shape")
            return input_shape
    """,
}


@pytest.mark.parametrize("case", list(NEVER_RUN))
def test_the_report_never_runs_user_code(shell: Any, case: str) -> None:
    member = textwrap.indent(textwrap.dedent(NEVER_RUN[case]).strip(), "    ")
    code = (
        "import functools\nnever_called = []\n"
        "class Guarded(keras.layers.Layer):\n"
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.inner = keras.layers.Dense(3)\n"
        f"{member}\n"
        "    def call(self, x):\n"
        "        return self.inner(x)\n"
        "guarded_in = keras.Input((4,))\n"
        "guarded_model = keras.Model(guarded_in, Guarded(name='guarded')(guarded_in))\n"
        "never_called.clear()\n"
        "guarded_model.predict(np.ones((2, 5)), verbose=0)\n"
    )
    cell = run_cell(shell, code)
    assert isinstance(cell.error, ValueError)
    assert cell.report is not None
    assert shell.user_ns["never_called"] == [], f"the report called {shell.user_ns['never_called']}"


def test_a_user_exception_class_str_is_called_no_more_than_without_us(shell: Any) -> None:
    code = textwrap.dedent("""\
        str_calls = []
        class ShapeComplaint(ValueError):
            def __str__(self):
                str_calls.append(1)
                return "incompatible shape"
        class Complains(keras.layers.Layer):
            def call(self, x):
                raise ShapeComplaint("incompatible shape (None, 4)")
        complain_in = keras.Input((4,))
        Complains(name="complains")(complain_in)
        """)
    counts = []
    for loaded in (True, False):
        if not loaded:
            shell.run_line_magic("unload_ext", "keras_shapes_magic")
        try:
            cell = run_cell(shell, code)
            assert cell.error is not None
            counts.append(len(shell.user_ns["str_calls"]))
        finally:
            if not loaded:
                shell.run_line_magic("load_ext", "keras_shapes_magic")
    assert counts[0] == counts[1], f"str() calls with / without the extension: {counts}"
