"""Plain, frozen records that a diagnosis is made of.

They hold names, shapes and short strings only: never a model, a tensor or an array,
so a report can be kept (``last_report()``) without keeping the user's objects alive.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .limits import MAX_REPR_CAUSE_CHARS
from .parse import Shape, format_shape

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for
    import pandas


class _Text(str, enum.Enum):
    """An enum whose members are their own text (``Kind.DATA == "data"``, printed as ``data``)."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Kind(_Text):
    """What a row of the table is, in the order a user reads them."""

    DATA = "data"
    INPUT = "input"
    LAYER = "layer"
    TARGET = "target"
    LOSS = "loss"
    STEP = "step"  # an optimizer step of a custom training loop


class Status(_Text):
    """A row's part in the error. Exactly one row of a report is ``offending``."""

    OK = "ok"
    OFFENDING = "offending"
    SUSPECT = "suspect"
    NOT_REACHED = "not reached"
    #: a passing cell: Keras accepted these shapes, but they are very likely a mistake
    WARNING = "warning"


class Phase(_Text):
    """When the error happened."""

    UNKNOWN = ""
    LAYER_CALL = "layer call"
    MODEL_ADD = "model.add"
    BUILD = "build"
    COMPILE = "compile"
    FIT = "fit"
    EVALUATE = "evaluate"
    PREDICT = "predict"
    LOSS_CALL = "loss call"
    OPTIMIZER_STEP = "optimizer step"


class ErrorFamily(_Text):
    """The families of shape mistakes (``report.family``); each has one module in ``diagnosis/families``."""

    UNKNOWN = "unknown"
    INPUT_SPEC = "input_spec"
    MISSING_KEY = "missing_key"
    INPUT_COUNT = "input_count"
    FUNCTIONAL_INPUT = "functional_input"
    CARDINALITY = "cardinality"
    LOSS_RANK = "loss_rank"
    LOSS_SHAPE = "loss_shape"
    LOSS_SPARSE_TFK = "loss_sparse_tfk"
    LOSS_BINARY_TFK = "loss_binary_tfk"
    LOSS_FIRST_DIM = "loss_first_dim"
    LOSS_SHAPE_TFK = "loss_shape_tfk"
    LOSS_OP = "loss_op"
    LOSS_STRUCTURE = "loss_structure"
    LABEL_RANGE = "label_range"
    MERGE_CONCAT = "merge_concat"
    MERGE_ELEMENTWISE = "merge_elementwise"
    MERGE_DOT = "merge_dot"
    RESHAPE_SIZE = "reshape_size"
    NONPOSITIVE_OUTPUT = "nonpositive_output"
    KERNEL_RANK = "kernel_rank"
    BN_AXIS = "bn_axis"
    OUTPUT_INFERENCE = "output_inference"
    OP_SHAPE = "op_shape"
    INDEX_ERROR = "index_error"
    LOSS_CALL = "loss_call"
    OPTIMIZER_STEP = "optimizer_step"
    UNDEFINED_SIZE = "undefined_size"
    ATTENTION_KEY_VALUE = "attention_key_value"


#: Kept for readers of the older names.
KINDS = tuple(str(kind) for kind in Kind)
OK, OFFENDING, SUSPECT, NOT_REACHED, WARNING = (Status.OK, Status.OFFENDING, Status.SUSPECT, Status.NOT_REACHED,
                                                 Status.WARNING)


class Fix(str):
    """One fix: its sentence, with code in `backticks` as the families write it, split into spans once.

    It is the sentence itself (``str(fix)``), so it prints and searches like one; renderers read
    :attr:`spans` and ``%kerascheck fix N`` reads :attr:`code`.
    """

    spans: tuple[tuple[str, bool], ...]

    def __new__(cls, sentence: str) -> Fix:
        fix = super().__new__(cls, sentence)
        parts = sentence.split("`")
        if len(parts) % 2 == 0:  # unbalanced backticks: all of it is text
            fix.spans = ((sentence, False),)
        else:
            fix.spans = tuple((part, i % 2 == 1) for i, part in enumerate(parts) if part)
        return fix

    @property
    def code(self) -> str | None:
        """The first code span (what ``%kerascheck fix N`` inserts), if any."""
        return next((text for text, is_code in self.spans if is_code and text.strip()), None)

    @property
    def text(self) -> str:
        """The sentence without the backticks."""
        return "".join(text for text, _ in self.spans)


@dataclass(frozen=True)
class Row:
    """One step of the table: a data array, a model input, a layer call, the target or the loss."""

    name: str
    kind: Kind
    type: str
    input_shapes: tuple[Shape | None, ...] = ()
    output_shapes: tuple[Shape | None, ...] = ()
    params: int | None = None
    status: Status = Status.OK
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

    def with_status(self, status: Status, **changes: Any) -> Row:
        """A copy with another status (and any other field changed)."""
        return replace(self, status=status, **changes)


def _shapes_text(shapes: tuple[Shape | None, ...]) -> str:
    if not shapes:
        return ""
    if len(shapes) == 1:
        return format_shape(shapes[0])
    return "[" + ", ".join(format_shape(s) for s in shapes) + "]"


@dataclass(frozen=True)
class ShapeWarning:
    """A shape Keras accepted without a word but that is very likely a mistake, on one row of the table."""

    #: the name of the row (a row of ``report.to_frame()`` whose status is ``warning``)
    row: str
    cause: str
    fixes: tuple[Fix, ...]
    #: what kind of hazard it is (``missing_axis``, ``loss_broadcast``, ``norm_axis``, ``shared_target``,
    #: ``softmax_one``, ``keras_warning``)
    check: str = ""


@dataclass(frozen=True)
class ShapeReport:
    """A diagnosed shape error (the table up to the failing step, the cause and the fixes), or a checked
    cell that passed (``passed``: the whole table, and ``warnings`` for shapes Keras let through)."""

    rows: tuple[Row, ...]
    offending: str | None
    cause: str
    fixes: tuple[Fix, ...]
    exception_type: str
    message: str
    summary: str = ""
    family: str = "unknown"
    phase: str = ""
    suspect: str | None = None
    flavour: str = ""
    traceback_text: str = ""
    notes: tuple[str, ...] = field(default=())
    #: False when no family could explain the error: the row is placed, no cause or fix is guessed
    explained: bool = True
    #: True for a ``%%kerascheck`` cell that ran without error (then ``offending`` is None)
    passed: bool = False
    warnings: tuple[ShapeWarning, ...] = ()

    @property
    def offending_row(self) -> Row | None:
        """The highlighted row (None for a cell that passed)."""
        return next((r for r in self.rows if r.status == Status.OFFENDING), None)

    def to_frame(self) -> pandas.DataFrame:
        """The table as a pandas DataFrame (one row per step)."""
        return VIEWS["frame"](self)

    def to_text(self) -> str:
        """The report as aligned plain text, the offending row marked."""
        return VIEWS["text"](self)

    def to_html(self) -> str:
        """The report as static, self-contained HTML (inline styles, all user text escaped)."""
        return VIEWS["html"](self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return VIEWS["mimebundle"](self)

    def __repr__(self) -> str:
        if self.passed:
            return f"<ShapeReport passed: {self.summary[:MAX_REPR_CAUSE_CHARS]}>"
        return f"<ShapeReport {self.exception_type} at {self.offending!r}: {self.cause[:MAX_REPR_CAUSE_CHARS]}>"


#: The views of a report, filled in by :mod:`keras_shapes_magic.views` when the package is imported:
#: this module imports no view (data never imports its views).
VIEWS: dict[str, Callable[[ShapeReport], Any]] = {}
