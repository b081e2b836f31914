"""Renderers on plain data: golden text, escaped HTML, the DataFrame.

Golden files live in tests/golden/; regenerate them with ``KSM_REGEN_GOLDEN=1 pytest tests/test_render.py``
and read the diff before committing.
"""

from __future__ import annotations

import html.parser
import os
from pathlib import Path

import pytest

from keras_shapes_magic.records import NOT_REACHED, OFFENDING, OK, SUSPECT, Row, ShapeReport
from keras_shapes_magic.render import render_html, render_text, visible_rows

pytestmark = pytest.mark.unit

GOLDEN = Path(__file__).parent / "golden"
EVIL = "<img src=x onerror=alert(1)>"


def concat_report(merge_name: str = "merge", message: str = "A `Concatenate` layer requires inputs ...") -> ShapeReport:
    rows = (
        Row("img", "input", "InputLayer", (), ((None, 32, 32, 3),)),
        Row("conv1", "layer", "Conv2D", ((None, 32, 32, 3),), ((None, 32, 32, 32),), 896),
        Row("pool1", "layer", "MaxPooling2D", ((None, 32, 32, 32),), ((None, 16, 16, 32),), 0),
        Row("conv2", "layer", "Conv2D", ((None, 32, 32, 3),), ((None, 28, 28, 64),), 4864, status=SUSPECT),
        Row(merge_name, "layer", "Concatenate", ((None, 16, 16, 32), (None, 28, 28, 64)), (), None,
            status=OFFENDING, input_marks=((1, 2), (1, 2)), config=(("axis", "-1"),)),
        Row("flatten", "layer", "Flatten", status=NOT_REACHED),
    )
    return ShapeReport(
        rows=rows, offending=merge_name,
        cause=f"'{merge_name}' (Concatenate) got (None, 16, 16, 32) and (None, 28, 28, 64): axes 1 and 2 differ.",
        fixes=("Make 'conv2' produce the same spatial size: `keras.layers.Resizing(16, 16)(conv2)`.",),
        exception_type="ValueError", message=message, summary=message, family="merge_concat", phase="layer call",
        suspect="conv2", flavour="keras3", traceback_text=f"Traceback ...\nValueError: {message}",
    )


def deep_report(depth: int = 120) -> ShapeReport:
    rows = [Row("in", "input", "InputLayer", (), ((None, 16),))]
    rows += [Row(f"dense_{i}", "layer", "Dense", ((None, 16),), ((None, 16),), 272) for i in range(depth)]
    rows.append(Row("to_grid", "layer", "Reshape", ((None, 16),), (), None, status=OFFENDING, input_marks=((1,),)))
    return ShapeReport(rows=tuple(rows), offending="to_grid", cause="'to_grid' cannot turn 16 values into 49.",
                       fixes=("`keras.layers.Reshape((4, 4))`",), exception_type="ValueError",
                       message="The total size of the tensor must be unchanged.", family="reshape_size",
                       phase="layer call", flavour="keras3")


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KSM_REGEN_GOLDEN") == "1" or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text)
    assert text == path.read_text(), f"render changed; regenerate {path} with KSM_REGEN_GOLDEN=1 and review"


def test_text_golden_concat() -> None:
    _golden("concat.txt", render_text(concat_report()))


def test_text_golden_folded_deep_model() -> None:
    _golden("deep_folded.txt", render_text(deep_report()))


def test_text_marks_the_offending_row_and_its_dims() -> None:
    text = render_text(concat_report())
    line = next(line for line in text.splitlines() if line.startswith(">>"))
    assert "merge" in line and "*16*" in line and "*28*" in line and "offending" in line
    suspect = next(line for line in text.splitlines() if line.startswith("~"))
    assert "conv2" in suspect
    assert "ValueError" in text


def test_large_tables_fold_around_the_error_but_keep_it() -> None:
    report = deep_report(400)
    shown = visible_rows(report.rows)
    assert None in shown  # folded
    offending = len(report.rows) - 1
    assert offending in shown and shown.count(None) >= 1
    assert len([i for i in shown if i is not None]) < 40
    assert "to_grid" in render_text(report)
    assert len(render_text(report, all_rows=True).splitlines()) > 400


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_offending_row_has_inline_style_and_stable_handles() -> None:
    parser = _Collector()
    parser.feed(render_html(concat_report()))
    rows = [attrs for tag, attrs in parser.tags if tag == "tr" and "ksm-row" in (attrs.get("class") or "")]
    offending = [attrs for attrs in rows if attrs.get("data-status") == "offending"]
    assert len(offending) == 1
    assert "ksm-offending" in offending[0]["class"]
    assert "background-color" in offending[0]["style"]
    assert any(tag == "div" and "ksm-report" in (attrs.get("class") or "") for tag, attrs in parser.tags)
    assert sum(1 for tag, attrs in parser.tags if "ksm-dim-bad" in (attrs.get("class") or "")) == 4


@pytest.mark.parametrize("name", [EVIL, "a<b>&'\""])
def test_user_text_is_escaped_everywhere_in_html(name: str) -> None:
    report = concat_report(merge_name=name, message=f"bad {name}")
    out = render_html(report)
    assert name not in out
    assert "<img" not in out
    parser = _Collector()
    parser.feed(out)
    assert not any(tag == "img" for tag, _ in parser.tags)
    assert name in "".join(parser.text)  # still shown, as text


def test_dataframe_has_the_documented_columns_and_one_offending_row() -> None:
    frame = concat_report().to_frame()
    assert list(frame.columns)[:7] == ["name", "kind", "type", "input_shape", "output_shape", "params", "status"]
    assert (frame["status"] == "offending").sum() == 1
    assert frame.loc[frame["status"] == "offending", "name"].item() == "merge"
    assert frame.loc[frame["name"] == "merge", "input_shape"].item() == "[(None, 16, 16, 32), (None, 28, 28, 64)]"
    assert set(frame["status"]) <= {OK, OFFENDING, SUSPECT, NOT_REACHED}


def test_mimebundle_outside_a_kernel_is_text_and_html_only() -> None:
    bundle = concat_report()._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"].startswith("Keras shape error")


def test_a_report_no_rule_explained_says_its_fix_is_a_general_suggestion() -> None:
    """Never a silent guess: an unexplained report's fixes are labelled as such, in text and HTML."""
    import dataclasses

    from keras_shapes_magic.render import GUESS_NOTE

    explained = concat_report()
    guessed = dataclasses.replace(explained, explained=False)
    assert GUESS_NOTE not in render_text(explained) and GUESS_NOTE not in render_html(explained)
    assert f"Fix ({GUESS_NOTE}):" in render_text(guessed)
    assert 'class="ksm-guess"' in render_html(guessed) and GUESS_NOTE in render_html(guessed)
