"""Connects a :class:`~keras_shapes_magic.records.ShapeReport` to its views (text, HTML, DataFrame, display).

The record imports no view; this module, imported with the package, registers them. No view
imports a framework at import time.
"""

from __future__ import annotations

from . import display, records, render, table

records.VIEWS.update(
    text=render.render_text,
    html=render.render_html,
    frame=table.report_frame,
    mimebundle=display.mimebundle,
)
