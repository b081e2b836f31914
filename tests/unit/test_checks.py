"""The checks of passing cells (diagnosis/checks.py) on hand-built tables, and how a pass is rendered."""

from __future__ import annotations

import types
from typing import Any

import pytest
from test_family_rules import data, inp, lay, live, loss, target

from keras_shapes_magic.diagnosis import checks
from keras_shapes_magic.diagnosis.checks import CheckContext, Found
from keras_shapes_magic.diagnosis.rows import Table
from keras_shapes_magic.records import Fix, Kind, Row, ShapeReport, ShapeWarning, Status
from keras_shapes_magic.render import render_html, render_text

pytestmark = pytest.mark.unit


def table(rows: list[Row], layers: dict[int, Any] | None = None, outputs: tuple[int, ...] | None = None) -> Table:
    built = Table()
    for i, row in enumerate(rows):
        built.add(row, (layers or {}).get(i))
    built.model_input_rows = built.indices("input")
    layer_rows = built.indices("layer")
    built.model_output_rows = list(outputs) if outputs is not None else layer_rows[-1:]
    return built


def run(check: Any, rows: list[Row], layers: dict[int, Any] | None = None, y: Any = None,
        outputs: tuple[int, ...] | None = None, method: str = "fit") -> list[Found]:
    return list(check(CheckContext(table(rows, layers, outputs), model=None, method=method, y=y)))


# ----------------------------------------------------------------------------- 1. an axis Keras added itself
def test_images_without_their_channel_axis_are_flagged_on_the_data_row() -> None:
    found = run(checks.missing_axis, [data((16, 28, 28)), inp("img", (None, 28, 28, 1)),
                                      lay("conv", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 4))])
    assert [(f.row, f.check) for f in found] == [("x", "missing_axis")]
    assert "no channel axis" in found[0].cause and "(None, 28, 28, 1)" in found[0].cause
    assert "`x = np.expand_dims(x, -1)`" in found[0].fixes[0] and "(16, 28, 28, 1)" in found[0].fixes[0]


def test_a_sequence_without_its_feature_axis_is_flagged() -> None:
    found = run(checks.missing_axis, [data((8, 30)), inp("seq", (None, 30, 1)),
                                      lay("lstm", "LSTM", (None, 30, 1), (None, 4))])
    assert found and "feature axis" in found[0].cause


@pytest.mark.parametrize(("shape", "expected"), [
    ((8,), (None, 1)),                   # Keras's documented idiom: a column of scalars
    ((8, 28, 28, 1), (None, 28, 28, 1)),  # already right
    ((8, 28, 28), (None, 28, 28, 3)),    # not a size-1 axis (Keras would have raised)
    ((8, 27, 28), (None, 28, 28, 1)),    # another size
])
def test_no_missing_axis_warning_on_correct_or_other_data(shape: tuple, expected: tuple) -> None:
    assert run(checks.missing_axis, [data(shape), inp("in", expected), lay("d", "Dense", expected, (None, 1))]) == []


# ----------------------------------------------------------------------------- 2. a loss that broadcast
def test_mse_broadcasting_one_target_against_three_outputs() -> None:
    found = run(checks.loss_broadcast, [data((16, 4)), inp("in", (None, 4)), lay("head", "Dense", (None, 4),
                                        (None, 3)), target((16, 1)), loss("mse", (16, 1), (None, 3))])
    assert [(f.row, f.check) for f in found] == [("mse", "loss_broadcast")]
    assert "(16, 1)" in found[0].cause and "(None, 3)" in found[0].cause and "broadcast" in found[0].cause
    assert "`keras.layers.Dense(1)`" in found[0].fixes[0]


def test_targets_of_one_rank_less_against_a_sequence_output() -> None:
    found = run(checks.loss_broadcast, [inp("in", (None, 4)), lay("head", "Dense", (None, 4), (None, 10)),
                                        target((16,)), loss("mean_absolute_error", (16,), (None, 10))])
    assert found and "mean_absolute_error" in found[0].cause


def test_binary_crossentropy_over_two_softmax_units_suggests_the_sparse_loss() -> None:
    found = run(checks.loss_broadcast, [inp("in", (None, 4)), lay("head", "Dense", (None, 4), (None, 2)),
                                        target((16,)), loss("binary_crossentropy", (16,), (None, 2))])
    assert 'sparse_categorical_crossentropy' in found[0].fixes[0]


@pytest.mark.parametrize(("y", "out", "name"), [
    ((16,), (None, 1), "mse"),                          # Keras squeezes/expands: fine
    ((16, 3), (None, 3), "mse"),
    ((16,), (None, 5), "sparse_categorical_crossentropy"),  # integer labels: the sparse loss's own shape
    ((16, 1), (None, 5), "sparse_categorical_crossentropy"),
])
def test_no_broadcast_warning_where_shapes_agree_or_the_loss_expects_them(y: tuple, out: tuple, name: str) -> None:
    rows = [inp("in", (None, 4)), lay("head", "Dense", (None, 4), out), target(y), loss(name, y, out)]
    assert run(checks.loss_broadcast, rows) == []


# ----------------------------------------------------------------------------- 3. normalisation axis
def test_batchnorm_over_the_image_rows_is_flagged() -> None:
    rows = [inp("img", (None, 32, 32, 3)), lay("bn", "BatchNormalization", (None, 32, 32, 3), (None, 32, 32, 3))]
    found = run(checks.norm_axis, rows, layers={1: live("bn", axis=1)})
    assert [(f.row, f.check) for f in found] == [("bn", "norm_axis")]
    assert "`keras.layers.BatchNormalization(axis=-1)`" in found[0].fixes[0]


@pytest.mark.parametrize("axis", [-1, 3, [3]])
def test_batchnorm_over_the_channels_is_fine(axis: Any) -> None:
    rows = [inp("img", (None, 32, 32, 3)), lay("bn", "BatchNormalization", (None, 32, 32, 3), (None, 32, 32, 3))]
    assert run(checks.norm_axis, rows, layers={1: live("bn", axis=axis)}) == []


def test_batchnorm_axis_1_is_right_for_channels_first_models() -> None:
    rows = [inp("img", (None, 3, 32, 32)), lay("conv", "Conv2D", (None, 3, 32, 32), (None, 8, 30, 30)),
            lay("bn", "BatchNormalization", (None, 8, 30, 30), (None, 8, 30, 30))]
    layers = {1: live("conv", data_format="channels_first"), 2: live("bn", axis=1)}
    assert run(checks.norm_axis, rows, layers=layers) == []


# ----------------------------------------------------------------------------- 4. one target, many outputs
def test_one_target_array_for_two_outputs() -> None:
    rows = [inp("in", (None, 4)), lay("a", "Dense", (None, 4), (None, 1)), lay("b", "Dense", (None, 4), (None, 1)),
            target((16, 1))]
    found = run(checks.shared_target, rows, y=types.SimpleNamespace(shape=(16, 1)), outputs=(1, 2))
    assert [(f.row, f.check) for f in found] == [("y", "shared_target")]
    assert '`y={"a": y_a, "b": y_b}`' in found[0].fixes[0]


def test_a_list_of_targets_for_two_outputs_is_fine() -> None:
    rows = [inp("in", (None, 4)), lay("a", "Dense", (None, 4), (None, 1)), lay("b", "Dense", (None, 4), (None, 1)),
            target((16, 1), "y[0]"), target((16, 1), "y[1]")]
    assert run(checks.shared_target, rows, y=[object(), object()], outputs=(1, 2)) == []


# ----------------------------------------------------------------------------- 5. softmax over one unit
def test_softmax_over_one_unit() -> None:
    head = Row("head", Kind.LAYER, "Dense", ((None, 8),), ((None, 1),), config=(("activation", "softmax"),))
    found = run(checks.softmax_one, [inp("in", (None, 8)), head])
    assert [(f.row, f.check) for f in found] == [("head", "softmax_one")]
    assert 'activation="sigmoid"' in found[0].fixes[0]


def test_categorical_crossentropy_over_one_unit() -> None:
    head = Row("head", Kind.LAYER, "Dense", ((None, 8),), ((None, 1),), config=(("activation", "sigmoid"),))
    found = run(checks.softmax_one, [inp("in", (None, 8)), head, target((16, 1)),
                                     loss("categorical_crossentropy", (16, 1), (None, 1))])
    assert [(f.row, f.check) for f in found] == [("categorical_crossentropy", "softmax_one")]


def test_softmax_over_time_or_over_classes_is_fine() -> None:
    over_time = Row("attn", Kind.LAYER, "Softmax", ((None, 20, 1),), ((None, 20, 1),), config=(("axis", "1"),))
    classes = Row("head", Kind.LAYER, "Dense", ((None, 8),), ((None, 5),), config=(("activation", "softmax"),))
    assert run(checks.softmax_one, [inp("in", (None, 20, 1)), over_time, classes]) == []
    over_one = Row("attn", Kind.LAYER, "Softmax", ((None, 20, 1),), ((None, 20, 1),), config=(("axis", "-1"),))
    assert [f.row for f in run(checks.softmax_one, [inp("in", (None, 20, 1)), over_one])] == ["attn"]


# ----------------------------------------------------------------------------- Keras's own warnings
def test_keras_shape_warnings_fold_into_the_check_that_explains_them() -> None:
    head = Row("head", Kind.LAYER, "Dense", ((None, 8),), ((None, 1),), config=(("activation", "softmax"),))
    built = table([inp("in", (None, 8)), head])
    found = list(checks.softmax_one(CheckContext(built, None, "fit", None)))
    text = "You are using a softmax over axis -1 of a tensor of shape (None, 1). This axis has size 1."
    assert checks._keras_warnings(built, [text], found) == []
    other = checks._keras_warnings(built, ["Layer 'head' got an input of shape (None, 8) it did not expect"], [])
    assert [(f.row, f.check) for f in other] == [("head", "keras_warning")]


# ----------------------------------------------------------------------------- rendering a pass
def passed(warnings: tuple[ShapeWarning, ...] = ()) -> ShapeReport:
    rows = (Row("x", Kind.DATA, "ndarray", output_shapes=((16, 28, 28),),
                status=Status.WARNING if warnings else Status.OK),
            Row("img", Kind.INPUT, "InputLayer", output_shapes=((None, 28, 28, 1),)),
            Row("<b>conv</b>", Kind.LAYER, "Conv2D", ((None, 28, 28, 1),), ((None, 26, 26, 4),), params=40))
    return ShapeReport(rows=rows, offending=None, cause="", fixes=(), exception_type="", message="",
                       summary="checked: <model> — 1 layers; fit x (16, 28, 28); "
                               + (f"{len(warnings)} warning" if warnings else "no shape problems"),
                       passed=True, warnings=warnings)


def test_a_clean_pass_is_one_line_of_text_and_a_closed_details_block() -> None:
    report = passed()
    assert report.to_text() == report.summary
    assert "<model>" not in report.to_html() and "&lt;model&gt;" in report.to_html()
    assert report.to_html().startswith('<details class="ksm-report ksm-passed" style=')
    assert "&lt;b&gt;conv&lt;/b&gt;" in report.to_html()
    assert report.offending_row is None and "passed" in repr(report)


def test_a_pass_with_warnings_shows_the_table_the_warning_and_its_fix() -> None:
    warning = ShapeWarning("x", "x has no channel axis", (Fix("Add it: `x = x[..., None]`."),), "missing_axis")
    report = passed((warning,))
    text = render_text(report)
    assert text.splitlines()[0] == report.summary
    assert "!  x" in text and "Warning 1 on x: x has no channel axis" in text and "Fix 1: Add it" in text
    page = render_html(report)
    assert " open " in page and 'class="ksm-row ksm-warning"' in page and "<code" in page


def test_the_frame_of_a_pass_says_warning_on_the_warned_row() -> None:
    pytest.importorskip("pandas")
    warning = ShapeWarning("x", "cause", (), "missing_axis")
    frame = passed((warning,)).to_frame()
    assert list(frame.loc[frame["status"] == "warning", "name"]) == ["x"]
