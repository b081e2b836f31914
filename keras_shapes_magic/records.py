"""Plain, frozen records that a diagnosis is made of.

They hold names, shapes and short strings only: never a model, a tensor or an array,
so a report can be kept (``last_report()``) without keeping the user's objects alive.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .parse import Shape, format_shape

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for
    import pandas

#: Row kinds, in the order a user reads them.
KINDS = ("data", "input", "layer", "target", "loss", "step")
#: Row statuses. Exactly one row of a report is ``offending``.
OK, OFFENDING, SUSPECT, NOT_REACHED = "ok", "offending", "suspect", "not reached"


@dataclass(frozen=True)
class Row:
    """One step of the table: a data array, a model input, a layer call, the target or the loss."""

    name: str
    kind: str
    type: str
    input_shapes: tuple[Shape | None, ...] = ()
    output_shapes: tuple[Shape | None, ...] = ()
    params: int | None = None
    status: str = OK
    #: axes to emphasise, per input / output shape (same length as the shapes, or empty)
    input_marks: tuple[tuple[int, ...], ...] = ()
    output_marks: tuple[tuple[int, ...], ...] = ()
    config: tuple[tuple[str, str], ...] = ()
    source: str | None = None
    note: str = ""

    @property
    def input_shape(self) -> str:
        """The input shape(s) as text, as Keras writes them."""
        return _shapes_text(self.input_shapes)

    @property
    def output_shape(self) -> str:
        """The output shape(s) as text, as Keras writes them."""
        return _shapes_text(self.output_shapes)

    def with_status(self, status: str, **changes: Any) -> Row:
        """A copy with another status (and any other field changed)."""
        return replace(self, status=status, **changes)


def _shapes_text(shapes: tuple[Shape | None, ...]) -> str:
    if not shapes:
        return ""
    if len(shapes) == 1:
        return format_shape(shapes[0])
    return "[" + ", ".join(format_shape(s) for s in shapes) + "]"


@dataclass(frozen=True)
class ShapeReport:
    """A diagnosed shape error: the table up to the failing step, the cause and the fixes."""

    rows: tuple[Row, ...]
    offending: str
    cause: str
    fixes: tuple[str, ...]
    exception_type: str
    message: str
    summary: str = ""
    family: str = "unknown"
    phase: str = ""
    suspect: str | None = None
    flavour: str = ""
    traceback_text: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def offending_row(self) -> Row:
        """The highlighted row."""
        return next(r for r in self.rows if r.status == OFFENDING)

    def to_frame(self) -> pandas.DataFrame:
        """The table as a pandas DataFrame (one row per step)."""
        from .table import report_frame

        return report_frame(self)

    def to_text(self) -> str:
        """The report as aligned plain text, the offending row marked."""
        from .render import render_text

        return render_text(self)

    def to_html(self) -> str:
        """The report as static, self-contained HTML (inline styles, all user text escaped)."""
        from .render import render_html

        return render_html(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from .display import mimebundle

        return mimebundle(self)

    def __repr__(self) -> str:
        return f"<ShapeReport {self.exception_type} at {self.offending!r}: {self.cause[:80]}>"
