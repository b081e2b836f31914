"""demo.ipynb, executed top to bottom on a real kernel with nbclient."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent.parent / "demo.ipynb"

pytestmark = [pytest.mark.kernel, pytest.mark.integration]


@pytest.fixture(scope="module")
def executed() -> object:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(DEMO, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(DEMO.parent)}})
    client.execute()  # cells tagged raises-exception may fail; any other error fails here
    return notebook


def _code_cells(notebook: object) -> list:
    return [c for c in notebook.cells if c.cell_type == "code"]  # type: ignore[attr-defined]


def _reports(cell: object) -> list[dict]:
    return [o["data"] for o in cell.outputs if o.get("output_type") == "display_data"  # type: ignore[attr-defined]
            and "text/html" in o.get("data", {}) and "ksm-report" in o["data"]["text/html"]]


def test_the_demo_ran_on_the_backend_asked_for(executed: object) -> None:
    """The backend lanes (tests/test_backends.py) run this file with ``KERAS_BACKEND`` set: it must take."""
    printed = "".join(o.get("text", "") for c in _code_cells(executed) for o in c.outputs
                      if o.get("name") == "stdout")
    assert f" on {os.environ.get('KERAS_BACKEND', 'tensorflow')}\n" in printed, printed


def test_every_failing_cell_shows_a_report_and_keeps_the_error(executed: object) -> None:
    failing = [c for c in _code_cells(executed) if "raises-exception" in c.metadata.get("tags", [])]
    shape_cells = [c for c in failing if "1 / 0" not in c.source]
    assert len(shape_cells) >= 5
    for cell in shape_cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors, f"the error was swallowed in:\n{cell.source}"
        reports = _reports(cell)
        assert len(reports) == 1, f"expected one report in:\n{cell.source}"
        html, text = reports[0]["text/html"], reports[0]["text/plain"]
        assert html.count('data-status="offending"') == 1
        assert ">>" in text and errors[0].ename in text
        assert "application/vnd.jupyter.widget-view+json" in reports[0]  # a live kernel gets the widget


def test_offending_steps_are_the_ones_a_keras_user_would_fix(executed: object) -> None:
    offending = []
    for cell in _code_cells(executed):
        for data in _reports(cell):
            if "ksm-passed" in data["text/html"]:  # a cell that passed: its check, not an error report
                continue
            line = next(line for line in data["text/plain"].splitlines() if line.startswith(">>"))
            offending.append(line.split()[1])
    assert offending == ["x", "merge", "categorical_crossentropy", "x", "lstm2"]


def test_keras3_missing_channel_predict_passes_with_a_warning_on_the_data(executed: object) -> None:
    cell = next(c for c in _code_cells(executed) if "incorrect_input_data" in c.source)
    assert not [o for o in cell.outputs if o.output_type == "error"]
    assert "(100, 10)" in "".join(o.get("text", "") for o in cell.outputs)
    (report,) = _reports(cell)
    assert "ksm-passed" in report["text/html"] and 'data-status="warning"' in report["text/html"]
    assert report["text/plain"].startswith("checked: cnn") and "1 warning" in report["text/plain"]
    assert "Warning 1 on x: x (100, 28, 28) has no channel axis" in report["text/plain"]


def test_non_shape_errors_keep_the_normal_traceback(executed: object) -> None:
    cell = next(c for c in _code_cells(executed) if c.source.strip() == "1 / 0")
    assert [o.ename for o in cell.outputs if o.output_type == "error"] == ["ZeroDivisionError"]
    assert not _reports(cell)


def test_the_committed_demo_shows_the_tables_without_running() -> None:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(DEMO, as_version=4)
    htmls = [o["data"]["text/html"] for c in _code_cells(notebook) for o in c.outputs
             if o.get("output_type") == "display_data" and "text/html" in o.get("data", {})]
    assert sum('data-status="offending"' in h for h in htmls) >= 5
    # no half-saved widget state: viewers fall back to the static HTML
    state = notebook.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    assert state is None or "state" in state
