"""Shared fixtures: one real IPython shell per test session, and a way to run a cell in it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass
class CellRun:
    """What running one cell produced, as a user would see it."""

    result: Any
    stdout: str
    stderr: str
    outputs: list[dict[str, Any]]
    report: Any

    @property
    def error(self) -> BaseException | None:
        """The exception the cell raised (``error_in_exec`` or ``error_before_exec``)."""
        return self.result.error_in_exec or self.result.error_before_exec

    @property
    def shown(self) -> str:
        """Everything the cell showed: stdout, stderr, and every output's text and HTML."""
        text = self.stdout + self.stderr
        for data in self.outputs:
            text += "\n" + str(data.get("text/plain", "")) + "\n" + str(data.get("text/html", ""))
        return text


def report_count(cell: CellRun) -> int:
    """How many shape reports the cell displayed."""
    return sum("ksm-report" in str(o.get("text/html", "")) for o in cell.outputs)


FRAMEWORKS = ("tensorflow", "keras", "tf_keras", "jax", "torch")


def _frameworks_loaded() -> set[str]:
    import sys

    return {name for name in FRAMEWORKS if name in sys.modules}


@pytest.fixture(autouse=True)
def _unit_tests_import_no_framework(request: pytest.FixtureRequest) -> Any:
    """A ``unit`` test must not import TensorFlow, Keras, JAX or PyTorch (the fast lane stays fast)."""
    if request.node.get_closest_marker("unit") is None:
        yield
        return
    before = _frameworks_loaded()
    yield
    imported = _frameworks_loaded() - before
    assert not imported, f"a unit test imported {sorted(imported)}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """``pytest -m unit``: the whole lane ran without any framework in the process."""
    if session.config.getoption("markexpr", "") == "unit" and session.testscollected and _frameworks_loaded():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nthe unit lane imported {sorted(_frameworks_loaded())}")


@pytest.fixture(scope="session")
def shell() -> Any:
    """The process's one InteractiveShell (``start_ipython`` returns it only on the first call)."""
    from IPython import get_ipython
    from IPython.testing.globalipapp import start_ipython

    ip = start_ipython() or get_ipython()
    return ip


@pytest.fixture
def ksm_shell(shell: Any) -> Any:
    """The shell with ``%load_ext keras_shapes_magic`` (loading twice is harmless)."""
    shell.run_line_magic("load_ext", "keras_shapes_magic")
    yield shell


def run_cell(shell: Any, code: str) -> CellRun:
    """Run ``code`` as a cell; capture what it showed and the report it produced (if new)."""
    from IPython.utils.capture import capture_output

    import keras_shapes_magic as ksm

    before = ksm.last_report()
    with capture_output() as cap:
        result = shell.run_cell(code)
    after = ksm.last_report()
    return CellRun(result, cap.stdout, cap.stderr, [o.data for o in cap.outputs],
                   after if after is not before else None)


@pytest.fixture
def run(ksm_shell: Any) -> Any:
    """``run(code) -> CellRun`` in the shell with the extension loaded."""
    return lambda code: run_cell(ksm_shell, code)
