"""ShapeReport -> plain text and static HTML.

The HTML is self-contained: inline styles only (sanitizers strip ``<style>`` and
JupyterLab's zebra striping beats class rules), and every piece of user text goes
through :func:`html.escape`. The offending row is also marked in text (``>>``), for
views that strip styles too.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from .parse import Shape
from .records import NOT_REACHED, OFFENDING, SUSPECT, WARNING, Fix, Row, ShapeReport

COLUMNS = ("name", "kind", "type", "input shape", "output shape", "params", "status")
#: rows shown around the error before the rest are folded away
CONTEXT_ROWS = 8
MAX_FULL_ROWS = 40
#: widest text-table cell; longer names are cut with an ellipsis (the DataFrame keeps them whole)
MAX_CELL_WIDTH = 48
#: what a report says when no family could explain the error (a guess would be worse)
NO_FIX = "none offered: the table shows where it failed, but not why, so no fix is guessed."
#: said above the fixes of a report that no rule explained (never a silent guess)
GUESS_NOTE = "a general suggestion: no rule recognised this mistake, so check it against the table"

OFFENDING_STYLE = "background-color:#ffd0d0;color:#3b0000;font-weight:600;outline:2px solid #d32f2f;"
SUSPECT_STYLE = "background-color:#fff1c2;color:#3b2c00;"
NOT_REACHED_STYLE = "color:#8a8a8a;"
WARNING_STYLE = "background-color:#ffe6c7;color:#3b2000;outline:2px dashed #ed6c02;"
PASSED_BORDER, WARNED_BORDER, FAILED_BORDER = "#2e7d32", "#ed6c02", "#d32f2f"
BAD_DIM_STYLE = "color:#b00020;background-color:#ffe9a8;font-weight:700;text-decoration:underline;padding:0 1px;"
MARKERS = {OFFENDING: ">>", SUSPECT: "~ ", NOT_REACHED: "  ", WARNING: "! "}


def visible_rows(rows: Sequence[Row], context: int = CONTEXT_ROWS, limit: int = MAX_FULL_ROWS) -> list[int | None]:
    """Indices to show for a large table (``None`` marks a fold); all of them for a small one."""
    if len(rows) <= limit:
        return list(range(len(rows)))
    keep: set[int] = set(range(min(3, len(rows))))
    for i, row in enumerate(rows):
        if row.status in (OFFENDING, SUSPECT, WARNING) or row.kind in ("data", "target", "loss"):
            keep.update(range(max(0, i - context), min(len(rows), i + context + 1)))
    keep.update(range(max(0, len(rows) - 2), len(rows)))
    shown: list[int | None] = []
    previous = -1
    for i in sorted(keep):
        if i != previous + 1:
            shown.append(None)
        shown.append(i)
        previous = i
    if previous != len(rows) - 1:
        shown.append(None)
    return shown


_CONTROL = {i: f"\\x{i:02x}" for i in (*range(0x20), 0x7f)} | {0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t"}


def visible(text: str) -> str:
    """User text with control characters (newlines, ANSI escapes) written out, so they cannot act."""
    return text.translate(_CONTROL)


def cell_text(text: str, width: int = MAX_CELL_WIDTH) -> str:
    """One table cell: control characters written out, cut to ``width`` with an ellipsis."""
    text = visible(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def _dim_text(dim: int | None) -> str:
    return "None" if dim is None else str(dim)


def shape_plain(shape: Shape | None, marks: Sequence[int] = ()) -> str:
    """``(None, *16*, 32)``: marked axes between asterisks."""
    if shape is None:
        return "?"
    parts = [f"*{_dim_text(d)}*" if i in marks else _dim_text(d) for i, d in enumerate(shape)]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def shape_html(shape: Shape | None, marks: Sequence[int] = ()) -> str:
    """A shape with its marked axes emphasised (``<span class="ksm-dim-bad">``)."""
    if shape is None:
        return "?"
    parts = []
    for i, d in enumerate(shape):
        text = html.escape(_dim_text(d))
        if i in marks:
            parts.append(f'<span class="ksm-dim-bad" style="{BAD_DIM_STYLE}">{text}</span>')
        else:
            parts.append(text)
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def shapes_plain(shapes: Sequence[Shape | None], marks: Sequence[Sequence[int]]) -> str:
    """One or several shapes as text."""
    if not shapes:
        return ""
    texts = [shape_plain(s, marks[i] if i < len(marks) else ()) for i, s in enumerate(shapes)]
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def shapes_html(shapes: Sequence[Shape | None], marks: Sequence[Sequence[int]]) -> str:
    """One or several shapes as HTML."""
    if not shapes:
        return ""
    texts = [shape_html(s, marks[i] if i < len(marks) else ()) for i, s in enumerate(shapes)]
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def row_cells_plain(row: Row) -> list[str]:
    """The text of one row's cells, in :data:`COLUMNS` order."""
    return [cell_text(text) for text in (
        row.name,
        row.kind,
        row.type,
        shapes_plain(row.input_shapes, row.input_marks),
        shapes_plain(row.output_shapes, row.output_marks),
        "" if row.params is None else f"{row.params:,}",
        row.status,
    )]


def headline(report: ShapeReport) -> str:
    """``ValueError: what the message says`` (Keras's wrappers removed)."""
    first = report.summary or (report.message.strip().splitlines()[0] if report.message.strip() else "")
    return f"{report.exception_type}: {first}"


def _phase_text(report: ShapeReport) -> str:
    return {
        "fit": "while training (fit)", "evaluate": "while evaluating", "predict": "while predicting",
        "build": "while building the model", "model.add": "in model.add", "layer call": "while calling a layer",
        "compile": "while compiling",
    }.get(report.phase, "")


def table_text(rows: Sequence[Row], indices: Sequence[int | None]) -> list[str]:
    """The aligned text table (a marker column: ``>>`` offending, ``~`` suspect, ``!`` warning)."""
    table = [list(COLUMNS)]
    markers = ["  "]
    for i in indices:
        if i is None:
            table.append(["...", "", "", "", "", "", ""])
            markers.append("  ")
        else:
            table.append(row_cells_plain(rows[i]))
            markers.append(MARKERS.get(rows[i].status, "  "))
    widths = [max(len(r[c]) for r in table) for c in range(len(COLUMNS))]
    return [(marker + " " + "  ".join(c.ljust(w) for c, w in zip(cells, widths))).rstrip()
            for marker, cells in zip(markers, table)]


def passed_text(report: ShapeReport, all_rows: bool = False) -> str:
    """A passing checked cell: one line; the table and each warning (cause, fixes) when there are warnings."""
    lines = [visible(report.summary)]
    if not report.warnings and not all_rows:
        return lines[0]
    indices = list(range(len(report.rows))) if all_rows else visible_rows(report.rows)
    lines += ["", *table_text(report.rows, indices)]
    for number, warning in enumerate(report.warnings, 1):
        lines += ["", f"Warning {number} on {visible(warning.row)}: {visible(warning.cause)}"]
        lines += [f"  Fix {k}: {visible(fix)}" for k, fix in enumerate(warning.fixes, 1)]
    return "\n".join(lines)


def render_text(report: ShapeReport, all_rows: bool = False) -> str:
    """Aligned plain text: the table (``>>`` on the offending row), then cause and fixes."""
    if report.passed:
        return passed_text(report, all_rows)
    rows = report.rows
    indices = list(range(len(rows))) if all_rows else visible_rows(rows)
    lines = [f"Keras shape error {_phase_text(report)}".rstrip() + f" ({report.flavour or 'keras'})", ""]
    lines += table_text(rows, indices)
    culprit = f"   (likely culprit: {visible(report.suspect)})" if report.suspect else ""
    lines += ["", f"Offending: {visible(report.offending)}{culprit}", f"Cause: {visible(report.cause)}"]
    if report.fixes and not report.explained:
        lines.append(f"Fix ({GUESS_NOTE}):")
    for number, fix in enumerate(report.fixes, 1):
        lines.append(f"Fix {number}: {visible(fix)}")
    if not report.fixes:
        lines.append(f"Fix: {NO_FIX}")
    lines += ["", visible(headline(report))]
    hidden = len(rows) - sum(1 for i in indices if i is not None)
    if hidden:
        lines.append(f"({hidden} rows folded; last_report().to_frame() has all {len(rows)})")
    return "\n".join(lines)


def _row_style(row: Row) -> str:
    if row.status == OFFENDING:
        return OFFENDING_STYLE
    if row.status == SUSPECT:
        return SUSPECT_STYLE
    if row.status == NOT_REACHED:
        return NOT_REACHED_STYLE
    if row.status == WARNING:
        return WARNING_STYLE
    return ""


def row_html(row: Row, index: int) -> str:
    """One ``<tr>`` with stable handles: ``data-status``, ``ksm-offending`` / ``ksm-suspect``."""
    status_class = {OFFENDING: "ksm-offending", SUSPECT: "ksm-suspect", NOT_REACHED: "ksm-not-reached",
                    WARNING: "ksm-warning"}.get(
        row.status, "ksm-ok")
    marker = MARKERS.get(row.status, "").strip()
    cell = "padding:2px 8px;text-align:left;white-space:nowrap;"
    mono = cell + "font-family:monospace;"
    cells = [
        f'<td style="{cell}">{html.escape(marker)} {html.escape(row.name)}</td>',
        f'<td style="{cell}">{html.escape(row.kind)}</td>',
        f'<td style="{cell}">{html.escape(row.type)}</td>',
        f'<td style="{mono}">{shapes_html(row.input_shapes, row.input_marks)}</td>',
        f'<td style="{mono}">{shapes_html(row.output_shapes, row.output_marks)}</td>',
        f'<td style="padding:2px 8px;text-align:right">{"" if row.params is None else f"{row.params:,}"}</td>',
        f'<td style="{cell}">{html.escape(row.status)}</td>',
    ]
    title = f' title="{html.escape(row.note, quote=True)}"' if row.note else ""
    return (f'<tr class="ksm-row {status_class}" data-status="{html.escape(row.status, quote=True)}" '
            f'data-row="{index}" style="{_row_style(row)}"{title}>' + "".join(cells) + "</tr>")


def table_html(report: ShapeReport, indices: Sequence[int | None] | None = None) -> str:
    """The ``<table>`` alone (the widget reuses it)."""
    rows = report.rows
    if indices is None:
        indices = visible_rows(rows)
    head = "".join(f'<th style="padding:2px 8px;text-align:left">{html.escape(c)}</th>' for c in COLUMNS)
    body = []
    for i in indices:
        if i is None:
            body.append('<tr class="ksm-fold"><td colspan="7" style="padding:2px 8px;color:#8a8a8a;text-align:left">'
                        "…</td></tr>")
        else:
            body.append(row_html(rows[i], i))
    return ('<div class="ksm-table-scroll" style="overflow-x:auto;max-width:100%">'
            '<table class="ksm-table" style="border-collapse:collapse;font-size:12px;line-height:1.4;margin:4px 0">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


def fix_html(fix: Fix) -> str:
    """A fix sentence with its code spans as ``<code>`` (everything escaped)."""
    return "".join(
        f'<code style="white-space:pre-wrap;font-family:monospace">{html.escape(text)}</code>' if is_code
        else html.escape(text)
        for text, is_code in Fix(fix).spans
    )


def explanation_html(report: ShapeReport) -> str:
    """Cause and fixes as HTML."""
    fixes = "".join(f'<li class="ksm-fix">{fix_html(fix)}</li>' for fix in report.fixes) or \
        f'<li class="ksm-no-fix" style="list-style:none">{html.escape(NO_FIX)}</li>'
    suspect = (f' <span class="ksm-suspect-note">Likely culprit: <b>{html.escape(report.suspect)}</b>.</span>'
               if report.suspect else "")
    guess = (f' <span class="ksm-guess" style="color:#8a6d00">({html.escape(GUESS_NOTE)})</span>'
             if report.fixes and not report.explained else "")
    return (f'<div class="ksm-cause" style="margin:4px 0"><b>Cause:</b> {html.escape(report.cause)}{suspect}</div>'
            f'<div style="margin:4px 0"><b>Fix:</b>{guess}<ol class="ksm-fixes" style="margin:2px 0 2px 22px;'
            f'padding:0">{fixes}</ol></div>')


def warnings_html(report: ShapeReport) -> str:
    """The warnings of a passing cell: each one's row, cause and fixes."""
    items = []
    for warning in report.warnings:
        fixes = "".join(f'<li class="ksm-fix">{fix_html(fix)}</li>' for fix in warning.fixes)
        items.append(f'<li class="ksm-warning-item" data-row="{html.escape(warning.row, quote=True)}">'
                     f"<b>{html.escape(warning.row)}</b>: {html.escape(warning.cause)}"
                     + (f'<ol class="ksm-fixes" style="margin:2px 0 2px 22px;padding:0">{fixes}</ol>' if fixes else "")
                     + "</li>")
    if not items:
        return ""
    return f'<ol class="ksm-warnings" style="margin:4px 0 4px 22px;padding:0">{"".join(items)}</ol>'


def passed_header_html(report: ShapeReport) -> str:
    """The one line of a passing checked cell."""
    return f'<span class="ksm-summary" style="font-family:monospace">{html.escape(report.summary)}</span>'


def border_color(report: ShapeReport) -> str:
    """Green for a clean pass, amber for a pass with warnings, red for an error."""
    if report.passed:
        return WARNED_BORDER if report.warnings else PASSED_BORDER
    return FAILED_BORDER


def header_html(report: ShapeReport) -> str:
    """The exception type and message (the user's error, always visible)."""
    if report.passed:
        return f'<div class="ksm-title">{passed_header_html(report)}</div>'
    return (f'<div class="ksm-title" style="font-weight:600">Keras shape error {html.escape(_phase_text(report))} '
            f'— offending step: <code>{html.escape(report.offending)}</code></div>'
            f'<pre class="ksm-error" style="white-space:pre-wrap;word-break:normal;overflow-wrap:anywhere;margin:4px 0;'
            f'max-height:12em;overflow:auto">'
            f'{html.escape(headline(report))}</pre>')


def render_html(report: ShapeReport) -> str:
    """The whole report as static HTML (root class ``ksm-report``)."""
    rows = report.rows
    indices = visible_rows(rows)
    if report.passed:  # one line, opening on the table (open at once when there are warnings)
        return (f'<details class="ksm-report ksm-passed"{" open" if report.warnings else ""} '
                f'style="border-left:4px solid {border_color(report)};padding:4px 10px;margin:4px 0">'
                f'<summary style="cursor:pointer">{passed_header_html(report)}</summary>'
                + warnings_html(report) + table_html(report, indices) + "</details>")
    hidden = len(rows) - sum(1 for i in indices if i is not None)
    fold = (f'<div class="ksm-folded" style="color:#8a8a8a;font-size:11px">{hidden} rows folded; '
            f"<code>keras_shapes_magic.last_report().to_frame()</code> has all {len(rows)}.</div>" if hidden else "")
    return (
        f'<div class="ksm-report" style="border-left:4px solid {FAILED_BORDER};padding:4px 10px;margin:4px 0">'
        + header_html(report) + table_html(report, indices) + fold + explanation_html(report) + "</div>"
    )
