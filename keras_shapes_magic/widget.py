"""The interactive report: stock ipywidgets only (the only module that imports ipywidgets).

Layout: the error headline, the shape table (rows around the error first, a toggle to
show all), a row picker whose selection shows that row's details (a kernel round trip),
the cause, each fix with a copy control, and a toggle for the full original traceback.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from .limits import MAX_FIX_LABEL_CHARS
from .records import Fix, ShapeReport
from .render import (
    border_color,
    explanation_html,
    header_html,
    shapes_html,
    table_html,
    visible_rows,
    warnings_html,
)

_COPY_BUTTON = (
    '<button class="ksm-copy" title="Copy to clipboard" data-code="{code}" '
    "onclick=\"navigator.clipboard && navigator.clipboard.writeText(this.dataset.code);"
    "this.textContent='Copied';\" "
    'style="font-size:11px;margin-left:6px;cursor:pointer">Copy</button>'
)


def details_html(report: ShapeReport, index: int) -> str:
    """The details panel for one row: status, shapes, key config, source line, note."""
    row = report.rows[index]
    items = [
        ("status", html.escape(row.status)),
        ("type", html.escape(row.type)),
        ("input shape", shapes_html(row.input_shapes, row.input_marks) or "—"),
        ("output shape", shapes_html(row.output_shapes, row.output_marks) or "—"),
        ("params", "—" if row.params is None else f"{row.params:,}"),
    ]
    items += [(html.escape(k), f"<code>{html.escape(v)}</code>") for k, v in row.config]
    if row.source:
        items.append(("cell line", f"<code>{html.escape(row.source)}</code>"))
    if row.note:
        items.append(("note", html.escape(row.note)))
    body = "".join(
        f'<tr><td style="padding:1px 8px;color:#777">{k}</td><td style="padding:1px 8px">{v}</td></tr>'
        for k, v in items
    )
    return (f'<div class="ksm-details-body"><b>{html.escape(row.name)}</b>'
            f'<table style="border-collapse:collapse;font-size:12px;line-height:1.4">{body}</table></div>')


class ShapeReportWidget(widgets.VBox):
    """An interactive view of a :class:`ShapeReport` (keeps only the report: names and shapes)."""

    def __init__(self, report: ShapeReport, **kwargs: Any) -> None:
        self.report = report
        rows = report.rows
        offending = next((i for i, r in enumerate(rows) if r.status in ("offending", "warning")), 0)
        folded = visible_rows(rows)
        hidden = len(rows) - sum(1 for i in folded if i is not None)

        self.header = widgets.HTML(header_html(report))
        self.table = widgets.HTML(table_html(report, folded))
        self.table.add_class("ksm-table-widget")
        self.show_all = widgets.ToggleButton(
            value=False, description=f"Show all {len(rows)} rows", icon="list",
            tooltip="Show every row of the table", layout=widgets.Layout(width="auto"),
        )
        self.show_all.add_class("ksm-show-all")
        self.show_all.observe(self._on_show_all, names="value")
        marker = {"offending": ">> ", "suspect": "~ ", "warning": "! "}
        labels = [(f"{marker.get(str(r.status), '')}"
                   f"{r.name} ({r.type})", i) for i, r in enumerate(rows)]
        self.picker = widgets.Select(
            options=labels, value=offending, rows=min(8, max(2, len(rows))),
            description="Row details", layout=widgets.Layout(width="max-content", min_width="320px"),
            style={"description_width": "initial"},
        )
        self.picker.add_class("ksm-picker")
        self.details = widgets.HTML(details_html(report, offending))
        self.details.add_class("ksm-details")
        self.picker.observe(self._on_pick, names="value")
        self.explanation = widgets.HTML(
            warnings_html(report) if report.passed else explanation_html(report) + self._copy_controls())
        self.explanation.add_class("ksm-explanation")
        self.traceback_toggle = widgets.ToggleButton(
            value=False, description="Show traceback", icon="code", layout=widgets.Layout(width="auto"))
        self.traceback_toggle.add_class("ksm-traceback-toggle")
        self.traceback = widgets.HTML("")
        self.traceback.add_class("ksm-traceback")
        self.traceback_toggle.observe(self._on_traceback, names="value")
        controls = [self.show_all] if hidden else []
        self.show_table = widgets.ToggleButton(
            value=bool(report.warnings), description="Hide the table" if report.warnings else "Show the table",
            icon="table", tooltip="The layer-by-layer shape table of this cell",
            layout=widgets.Layout(width="auto", min_width="140px", flex="0 0 auto"))
        self.show_table.add_class("ksm-show-table")
        self.body: widgets.VBox | None = None
        if report.passed:  # one line; the table opens on demand (at once when there are warnings)
            self.body = widgets.VBox([self.table, widgets.HBox(controls), widgets.HBox([self.picker, self.details])])
            self.body.layout.display = "" if report.warnings else "none"
            self.show_table.observe(self._on_show_table, names="value")
            children = [widgets.HBox([self.header, self.show_table]), self.explanation, self.body]
        else:
            children = [
                self.header,
                self.table,
                self.explanation,
                widgets.HBox([*controls, self.traceback_toggle]),
                widgets.HBox([self.picker, self.details]),
                self.traceback,
            ]
        super().__init__(children=children, **kwargs)
        self.add_class("ksm-report")
        self.add_class("ksm-widget")
        if report.passed:
            self.add_class("ksm-passed")
        self.layout.border_left = f"4px solid {border_color(report)}"
        self.layout.padding = "4px 10px"

    def close(self) -> None:
        """Close this view and every widget it made (layouts and styles are widgets too)."""
        parts = ("header", "table", "show_all", "picker", "details", "explanation", "traceback_toggle", "traceback",
                 "show_table", "body")
        # getattr: a view whose construction failed half-way is closed too (ipywidgets calls close() in __del__)
        owned = [getattr(self, part, None) for part in parts] + list(getattr(self, "children", ()) or ())
        seen: set[int] = set()
        while owned:
            item = owned.pop()
            if item is None or id(item) in seen or item is self:
                continue
            seen.add(id(item))
            owned += list(getattr(item, "children", ()))
            for part in ("layout", "style"):
                child = getattr(item, part, None)
                if isinstance(child, widgets.Widget):
                    child.close()
            item.close()
        for part in (getattr(self, "layout", None), getattr(self, "style", None)):
            if isinstance(part, widgets.Widget):
                part.close()
        super().close()

    def _copy_controls(self) -> str:
        buttons = "".join(
            f'<div class="ksm-fix-copy" style="margin:2px 0">{number}. '
            f'<code>{html.escape(fix[:MAX_FIX_LABEL_CHARS])}'
            f'{"…" if len(fix) > MAX_FIX_LABEL_CHARS else ""}</code>'
            + _COPY_BUTTON.format(code=html.escape(_code_of(fix), quote=True)) + "</div>"
            for number, fix in enumerate(self.report.fixes, 1)
        )
        hint = ('<div style="color:#777">Insert fix N as a new cell: run <code>%kerascheck fix N</code> '
                "in a cell below.</div>")
        return f'<details style="font-size:11px"><summary>Copy a fix</summary>{buttons}{hint}</details>'

    def _on_show_all(self, change: dict[str, Any]) -> None:
        indices = list(range(len(self.report.rows))) if change["new"] else visible_rows(self.report.rows)
        self.table.value = table_html(self.report, indices)
        self.show_all.description = "Show rows around the error" if change["new"] else \
            f"Show all {len(self.report.rows)} rows"

    def _on_show_table(self, change: dict[str, Any]) -> None:
        if self.body is not None:
            self.body.layout.display = "" if change["new"] else "none"
        self.show_table.description = "Hide the table" if change["new"] else "Show the table"

    def _on_pick(self, change: dict[str, Any]) -> None:
        if change["new"] is not None:
            self.details.value = details_html(self.report, int(change["new"]))

    def _on_traceback(self, change: dict[str, Any]) -> None:
        self.traceback.value = (
            f'<pre class="ksm-traceback-text" style="white-space:pre-wrap;font-size:11px;max-height:30em;'
            f'overflow:auto">{html.escape(self.report.traceback_text)}</pre>' if change["new"] else ""
        )
        self.traceback_toggle.description = "Hide traceback" if change["new"] else "Show traceback"


def _code_of(fix: str) -> str:
    """The code of a fix (its first code span), or the whole sentence."""
    return Fix(fix).code or str(fix)
