"""One display path for the magic and the hook: widget view + ``text/html`` + ``text/plain``."""

from __future__ import annotations

import collections
import sys
from dataclasses import dataclass
from typing import Any

from .records import ShapeReport

#: How a report is shown: ``widget`` (interactive, with static HTML and text beside it for other
#: front ends), ``html`` (static HTML and text: exported notebooks, VS Code, GitHub, marimo), ``text``.
RENDERS = ("widget", "html", "text")


@dataclass
class Settings:
    """The session's choices (``c.KerasCheck.render`` / ``%kerascheck render html``, ``all_rows``)."""

    render: str = "widget"
    all_rows: bool = False


@dataclass(frozen=True)
class ReportOptions:
    """How one cell's report is shown (``%%kerascheck --text --all --frame --traceback``)."""

    #: one of :data:`RENDERS`; ``None``: the session's setting
    render: str | None = None
    all_rows: bool | None = None
    #: also display the table as a pandas DataFrame
    frame: bool = False
    #: the full traceback below the report, not just the error line
    traceback: bool = False


settings = Settings()
_last: list[ShapeReport] = []
#: live widgets kept open (older ones are closed so that 1,000 failures do not pile up)
_live_widgets: collections.deque[Any] = collections.deque()
MAX_LIVE_WIDGETS = 25


def remember(report: ShapeReport) -> None:
    """Make ``report`` the one :func:`last_report` returns."""
    _last[:] = [report]


def last_report() -> ShapeReport | None:
    """The last report shown in this process (plain data: names and shapes only)."""
    return _last[0] if _last else None


def forget() -> None:
    """Drop the last report, close every live widget, back to the default settings (used on unload)."""
    _last.clear()
    settings.render, settings.all_rows = Settings.render, Settings.all_rows
    while _live_widgets:
        _close(_live_widgets.popleft())


def _close(widget: Any) -> None:
    try:
        widget.close()  # ShapeReportWidget.close closes every widget it made
    except Exception:
        pass


def _in_kernel() -> bool:
    """True under a Jupyter kernel (a front end that can draw widgets)."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def mimebundle(report: ShapeReport, options: ReportOptions | None = None) -> dict[str, Any]:
    """``text/plain`` always; ``text/html`` unless the render is ``text``; the widget where one can live."""
    options = options or ReportOptions()
    render = options.render or settings.render
    all_rows = settings.all_rows if options.all_rows is None else options.all_rows
    bundle: dict[str, Any] = {"text/plain": report.to_text() if not all_rows else _full_text(report)}
    if render != "text":
        bundle["text/html"] = report.to_html()
    if render == "widget" and _in_kernel():
        try:
            from .widget import ShapeReportWidget

            view = ShapeReportWidget(report)
            if all_rows:
                view.show_all.value = True
            data = view._repr_mimebundle_()
            if data:
                bundle.update({k: v for k, v in data.items() if k != "text/plain"})
                _live_widgets.append(view)
                while len(_live_widgets) > MAX_LIVE_WIDGETS:
                    _close(_live_widgets.popleft())
        except Exception:  # no widget: the static views still carry the whole report
            pass
    return bundle


def _full_text(report: ShapeReport) -> str:
    from .render import render_text

    return render_text(report, all_rows=True)


def show(report: ShapeReport, options: ReportOptions | None = None) -> None:
    """Display ``report`` below the current cell and remember it: the one presentation path."""
    from IPython.display import display

    options = options or ReportOptions()
    remember(report)
    display(mimebundle(report, options), raw=True)
    if options.frame:
        display(report.to_frame())
