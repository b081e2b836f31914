"""Connects a :class:`~keras_shapes_magic.records.ShapeReport` to its views (text, HTML, DataFrame, display).

The record imports no view; this module, imported with the package, registers them. No view
imports a framework at import time.
"""

from __future__ import annotations

from . import display, records, render, table

# Looked up at call time, so a view replaced later (a patch, a reload) is the one used.
records.VIEWS.update(
    text=lambda report: render.render_text(report),
    html=lambda report: render.render_html(report),
    frame=lambda report: table.report_frame(report),
    mimebundle=lambda report: display.mimebundle(report),
)
