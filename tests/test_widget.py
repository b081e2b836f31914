"""The ipywidgets view, tested on its state (no browser): interactions and escaping."""

from __future__ import annotations

import re

import pytest
from test_render import EVIL, concat_report, deep_report

from keras_shapes_magic.records import Row
from keras_shapes_magic.widget import ShapeReportWidget

pytestmark = pytest.mark.unit


def _all_html(widget: ShapeReportWidget) -> str:
    """Every HTML value the widget tree holds, and every option label."""
    parts: list[str] = []
    stack = [widget]
    while stack:
        item = stack.pop()
        value = getattr(item, "value", None)
        if isinstance(value, str):
            parts.append(value)
        parts += [str(o) for o in getattr(item, "options", ()) or ()]
        parts.append(str(getattr(item, "description", "")))
        stack += list(getattr(item, "children", ()))
    return "\n".join(parts)


def test_offending_row_is_preselected_and_its_details_shown() -> None:
    widget = ShapeReportWidget(concat_report())
    assert widget.picker.value == 4
    assert "<b>merge</b>" in widget.details.value
    assert "axis" in widget.details.value  # key config of the Concatenate
    assert widget.table.value.count('data-status="offending"') == 1


def test_picking_a_row_shows_that_rows_details() -> None:
    widget = ShapeReportWidget(concat_report())
    widget.picker.value = 3
    assert "<b>conv2</b>" in widget.details.value
    assert "(None, 28, 28, 64)" in widget.details.value


def test_show_all_reveals_every_row_of_a_large_model() -> None:
    report = deep_report(400)
    widget = ShapeReportWidget(report)
    folded = len(re.findall(r'<tr class="ksm-row', widget.table.value))
    assert folded < 60
    assert widget.show_all.description == f"Show all {len(report.rows)} rows"
    widget.show_all.value = True
    assert len(re.findall(r'<tr class="ksm-row', widget.table.value)) == len(report.rows)
    widget.show_all.value = False
    assert len(re.findall(r'<tr class="ksm-row', widget.table.value)) == folded


def test_traceback_toggle_shows_the_original_traceback() -> None:
    widget = ShapeReportWidget(concat_report())
    assert widget.traceback.value == ""
    widget.traceback_toggle.value = True
    assert "ksm-traceback-text" in widget.traceback.value and "ValueError" in widget.traceback.value
    widget.traceback_toggle.value = False
    assert widget.traceback.value == ""


@pytest.mark.parametrize("name", [EVIL, "a<b>&'\""])
def test_no_widget_value_contains_user_text_unescaped(name: str) -> None:
    report = concat_report(merge_name=name, message=f"boom {name}")
    rows = tuple(r if r.name != "conv2" else Row(name, "layer", "Conv2D", source=f"x = Dense(name='{name}')",
                                                    config=(("units", name),), note=name) for r in report.rows)
    report = type(report)(**{**report.__dict__, "rows": rows, "fixes": (f"`{name}`",), "cause": f"c {name}",
                             "traceback_text": f"Traceback {name}"})
    widget = ShapeReportWidget(report)
    for index in range(len(rows)):
        widget.picker.value = index
        html_values = [c.value for c in (widget.header, widget.table, widget.details)]
        assert all(name not in value and "<img" not in value for value in html_values)
    widget.traceback_toggle.value = True
    assert name not in widget.traceback.value
    fixes_html = widget.explanation.value
    assert name not in fixes_html and "<img" not in fixes_html
    # option labels are plain text (a Select renders them as text, not HTML)
    assert any(name in str(label) for label, _ in widget.picker.options)
