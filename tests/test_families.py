"""Every common family of Keras shape errors, in Keras 3 and in tf_keras, through a real IPython shell.

Each test runs a realistic notebook cell (``families_cases``) with the automatic hook (a few also
through ``%%kerascheck``) and checks the report as a user would read it:

* exactly one row of ``report.to_frame()`` is ``offending`` and it is ``report.offending``;
  the culprit, when it is another row, is the one ``suspect`` row and ``report.suspect``;
* data rows are ``x`` / ``x[0]`` / ``x['name']`` (kind ``data``), targets ``y`` (kind ``target``),
  the loss row is named after the loss (kind ``loss``); rows after the failure are ``not reached``;
* a mismatch found at the model's input is offending on the data row ``x``; an error raised by a
  layer is offending on that layer; a loss / label error is offending on the loss row, the suspect
  being ``y`` (wrong labels) or the output layer (wrong model);
* the cause quotes the shapes that matter, a fix holds the code that repairs the mistake;
* the user's exception is never swallowed.

Mistakes a flavour lets pass silently are checked as such (no error, no report).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from typing import Any

import families_cases as fc
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]

#: the report's ``flavour`` for each way of importing Keras
FLAVOUR = {"keras": "keras3", "tf_keras": "tf_keras"}
STATUSES = {"ok", "offending", "suspect", "not reached"}
KINDS = {"data", "input", "layer", "target", "loss"}


# --------------------------------------------------------------------------- helpers
def flavours() -> list[Any]:
    """Both flavours as parameters: Keras 3 (``keras``) and legacy Keras 2 (``tf_keras``)."""
    return [pytest.param(flavour, id=flavour) for flavour in ("keras", "tf_keras")]


@pytest.fixture(autouse=True)
def _hook_on(ksm_shell: Any) -> Any:
    """Every test starts with the automatic hook switched on."""
    ksm_shell.run_line_magic("kerascheck", "on")
    yield


def run_case(run: Any, template: str, flavour: str, magic: bool = False) -> Any:
    """Run the cell ``template`` in ``flavour`` (as a ``%%kerascheck`` cell if ``magic``)."""
    if flavour == "tf_keras":
        pytest.importorskip("tf_keras")
    code = fc.cell(template, flavour)
    return run("%%kerascheck\n" + code if magic else code)


def reported(cell: Any, flavour: str, error: str = "ValueError") -> Any:
    """The conventions every report must follow; returns the report."""
    assert cell.error is not None, "the cell should fail"
    assert cell.result.error_in_exec is cell.error, "the error must not be swallowed"
    assert type(cell.error).__name__ == error, f"{type(cell.error).__name__}: {cell.error}"
    assert error in cell.shown, "the user's own exception type must stay visible"
    assert "Custom TB Handler failed" not in cell.shown
    assert "RecursionError" not in cell.shown
    report = cell.report
    assert report is not None, f"no shape report for {type(cell.error).__name__}: {cell.error}"
    assert report.flavour == FLAVOUR[flavour], report.flavour

    frame = report.to_frame()
    table = frame.to_string()
    assert set(frame["status"]) <= STATUSES, table
    assert set(frame["kind"]) <= KINDS, table
    offending = frame.index[frame["status"] == "offending"].tolist()
    assert len(offending) == 1, table
    position = frame.index.get_loc(offending[0])
    assert frame.iloc[position]["name"] == report.offending, table
    suspects = frame[frame["status"] == "suspect"]
    if report.suspect is None:
        assert suspects.empty, table
    else:
        assert suspects["name"].tolist() == [report.suspect], table
        assert report.suspect != report.offending
    after = frame.iloc[position + 1:]
    after = after[after["kind"] != "data"]
    assert set(after["status"]) <= {"not reached", "suspect"}, table
    for _, r in frame.iterrows():
        if r["kind"] == "data":
            assert re.fullmatch(r"x(\[(\d+|'[^']+')\])?", r["name"]), table
        if r["kind"] == "target":
            assert re.fullmatch(r"y(\[(\d+|'[^']+')\])?", r["name"]), table

    assert report.cause.strip(), "a report must give a cause"
    assert report.fixes and all(fix.strip() for fix in report.fixes), "a report must suggest a fix"
    plains = [str(o.get("text/plain", "")) for o in cell.outputs]
    marker = re.compile(rf"^>>\s+{re.escape(report.offending)}(\s|$)", re.M)
    assert any(marker.search(text) for text in plains), "\n---\n".join(plains)
    return report


def row(report: Any, name: str) -> Any:
    """The one row of the report's frame called ``name``."""
    frame = report.to_frame()
    rows = frame[frame["name"] == name]
    assert len(rows) == 1, f"no single row {name!r} in\n{frame.to_string()}"
    return rows.iloc[0]


def fixes(report: Any) -> str:
    """All fixes as one string."""
    return "\n".join(report.fixes)


def assert_silent(cell: Any) -> None:
    """Keras let the mistake pass: the cell ran, and no report appeared."""
    assert cell.error is None, cell.shown
    assert cell.result.success
    assert cell.report is None
    assert not any("ksm-report" in str(o.get("text/html", "")) for o in cell.outputs)
    assert "Custom TB Handler failed" not in cell.shown


def assert_loss_row(report: Any, loss: str) -> None:
    """The report is offending on the loss row, named after the loss."""
    assert report.offending == loss
    assert row(report, loss)["kind"] == "loss"


# ============================================================================ 1. data vs the model's Input
@pytest.mark.parametrize("flavour", flavours())
def test_predict_on_one_sample_without_batch_axis(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.PREDICT_ONE_READING, flavour), flavour)
    assert report.phase == "predict"
    if report.offending == "x":
        assert row(report, "x")["kind"] == "data"
    else:  # tf_keras: the first layer raises, the data is the culprit
        assert (report.offending, report.suspect) == ("hidden_a", "x")
    assert "(6,)" in report.cause and "no batch axis" in report.cause, report.cause
    assert any(code in fixes(report) for code in ("np.expand_dims", "np.newaxis", "reshape(1, -1)"))


def test_keras3_attention_given_a_key_and_a_value_of_other_lengths(run: Any) -> None:
    report = reported(run_case(run, fc.ATTENTION_KEY_VALUE, "keras"), "keras")
    assert report.family == "attention_key_value" and report.offending == "attend"
    assert "12 steps in value, 14 in key" in report.cause, report.cause
    assert "`key=passage`" in fixes(report), fixes(report)


def test_a_keras3_model_called_on_one_image_without_batch_axis(run: Any) -> None:
    """Keras 3 (every backend): the data row is offending, with the fix in the user's names."""
    cell = run_case(run, fc.CALL_ON_ONE_IMAGE, "keras")
    error = {"torch": "RuntimeError", "jax": "ValueError"}.get(fc.backend("keras"), "InvalidArgumentError")
    report = reported(cell, "keras", error=error)
    assert report.offending == "x" and row(report, "x")["output_shape"] == "(28, 28, 1)"
    assert "no batch axis" in report.cause, report.cause
    assert "`one_digit = np.expand_dims(one_digit, 0)`" in fixes(report), fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_grayscale_images_for_a_three_channel_input(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.GRAYSCALE_FOR_RGB_MODEL, flavour), flavour)
    assert report.phase == "fit"
    if report.offending != "x":
        assert (report.offending, report.suspect) == ("stem", "x")
    assert "channel" in report.cause, report.cause
    assert "declares no channel axis" not in report.cause, report.cause
    assert "20, 20" in report.cause, report.cause
    assert any(code in fixes(report) for code in ("np.newaxis", "np.expand_dims", "np.repeat", "(20, 20, 1)"))


@pytest.mark.parametrize("flavour", flavours())
def test_conv_model_without_input_fit_on_images_without_channel_axis(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.CONV_WITHOUT_CHANNEL_AXIS, flavour), flavour)
    assert report.phase == "fit"
    assert report.offending == "edge_detector"
    assert report.suspect == "x"
    assert "14, 14" in report.cause, report.cause
    assert any(code in fixes(report) for code in ("np.newaxis", "np.expand_dims"))






@pytest.mark.parametrize("flavour", flavours())
def test_channels_first_images(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.CHANNELS_FIRST_IMAGES, flavour), flavour)
    assert report.phase == "fit"
    assert report.offending == "x"
    assert row(report, "x")["kind"] == "data"
    assert "3, 24, 24" in report.cause, report.cause
    assert "channel" in report.cause, report.cause
    assert "np.transpose" in fixes(report)
    assert "(0, 2, 3, 1)" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_predict_on_smaller_images_than_the_model_was_built_for(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.THUMBNAILS_FOR_48PX_MODEL, flavour), flavour)
    assert report.phase == "predict"
    if flavour == "keras":  # Keras 3 lets the data in; the Dense after Flatten raises: the data is at fault
        assert (report.offending, report.suspect) == ("x", "is_face")
        assert "is_face" in report.cause, report.cause
    else:  # tf_keras checks the model's input shape
        assert report.offending == "x"
    assert "24, 24" in report.cause and "48, 48" in report.cause, report.cause
    # TensorFlow's resize on TensorFlow; Keras's own on JAX and PyTorch
    resize = "tf.image.resize(" if fc.backend(flavour) == "tensorflow" else "keras.ops.image.resize("
    assert resize in fixes(report), fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_input_shape_that_includes_the_number_of_rows(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.INPUT_SHAPE_WITH_ROWS, flavour), flavour)
    assert report.phase == "fit"
    assert report.offending == "x"
    assert report.suspect == "customer"
    assert "(None, 120, 9)" in report.cause, report.cause
    assert "batch" in report.cause, report.cause
    assert "shape=(9,)" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_evaluate_on_flattened_test_images(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.EVALUATE_FLATTENED_TEST_SET, flavour), flavour)
    assert report.phase == "evaluate"
    assert report.offending == "x"
    assert row(report, "x")["output_shape"] == "(10, 144)"
    assert "144" in report.cause and "(None, 12, 12, 1)" in report.cause, report.cause
    assert "reshape(-1, 12, 12, 1)" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_missing_channel_axis_of_size_one_is_added_silently(run: Any, flavour: str) -> None:
    """Silent family: an Input ending in a channel axis of 1 accepts data without it (Keras expands it)."""
    assert_silent(run_case(run, fc.SILENT_MISSING_UNIT_CHANNEL, flavour))


# ============================================================================ 2. input specs inside the model
@pytest.mark.parametrize("flavour", flavours())
def test_lstm_on_an_input_without_time_axis(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.LSTM_ON_FLAT_INPUT, flavour), flavour)
    assert report.phase == "build"  # Sequential([...]) builds every layer at once
    assert report.offending == "temporal"
    assert report.suspect == "last_month"
    assert row(report, "last_month")["kind"] == "input"
    assert row(report, "next_day")["status"] == "not reached"
    assert "(None, 30)" in report.cause and "3-D" in report.cause, report.cause
    assert "(30, 1)" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_conv1d_on_tabular_features(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.CONV1D_ON_TABULAR, flavour), flavour)
    assert report.phase == "layer call"
    assert report.offending == "motif"
    assert report.suspect == "vitals"
    assert "(None, 40)" in report.cause, report.cause
    assert "(40, 1)" in fixes(report)




@pytest.mark.parametrize("flavour", flavours())
def test_conv2d_after_flatten(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.CONV2D_AFTER_FLATTEN, flavour), flavour)
    assert report.offending == "pattern"
    assert report.suspect == "unrolled"
    assert "(None, 256)" in report.cause, report.cause
    assert "Reshape((16, 16, 1))" in fixes(report)
    assert "Flatten() before" not in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_dense_head_on_conv_features_without_flatten(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.DENSE_ON_CONV_FEATURES, flavour), flavour)
    assert report.phase == "fit"
    assert_loss_row(report, "categorical_crossentropy")
    assert report.suspect == "finding"
    assert row(report, "finding")["output_shape"] == "(None, 7, 7, 3)"
    assert row(report, "y")["kind"] == "target"
    assert "(None, 7, 7, 3)" in report.cause, report.cause
    assert "Flatten()" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_stacked_gru_without_return_sequences(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.STACKED_GRU, flavour), flavour)
    assert report.offending == "gru_summary"
    assert report.suspect == "gru_encoder"
    assert row(report, "gru_encoder")["output_shape"] == "(None, 24)"
    assert row(report, "speaker")["status"] == "not reached"
    assert "(None, 24)" in report.cause and "return_sequences" in report.cause, report.cause
    assert "GRU(24, return_sequences=True)" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_global_2d_pooling_on_a_sequence(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.GAP2D_ON_SEQUENCE, flavour), flavour)
    assert report.offending == "pool_all"
    assert row(report, "ngram")["output_shape"] == "(None, 48, 32)"
    assert "(None, 48, 32)" in report.cause, report.cause
    assert "GlobalAveragePooling1D()" in fixes(report)


# ============================================================================ 3. merge layers
@pytest.mark.parametrize("flavour", flavours())
def test_unet_skip_connection_with_odd_size(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.UNET_SKIP, flavour), flavour)
    assert report.offending == "skip_merge"
    assert report.suspect in ("enc2", "upsample_2")
    assert row(report, "upsample_2")["output_shape"] == "(None, 14, 14, 32)"
    assert row(report, "enc2")["output_shape"] == "(None, 15, 15, 16)"
    assert "(None, 14, 14, 32)" in report.cause and "(None, 15, 15, 16)" in report.cause, report.cause
    assert "Cropping2D" in fixes(report) or "Resizing" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_residual_add_with_more_channels_than_the_shortcut(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.RESIDUAL_CHANNELS, flavour), flavour)
    assert report.offending == "res_add"
    assert report.suspect in ("frames", "res_conv_b")
    assert "(None, 16, 16, 16)" in report.cause and "(None, 16, 16, 8)" in report.cause, report.cause
    assert "Conv2D(16, 1" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_multiply_gate_of_another_width(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.GATED_FEATURES, flavour), flavour)
    assert report.offending == "apply_gate"
    assert report.suspect in ("gate", "features")
    assert "(None, 32)" in report.cause and "(None, 16)" in report.cause, report.cause
    assert "Dense(32)" in fixes(report) or "Dense(16)" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_dot_of_two_towers_with_different_sizes(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.TWO_TOWER_DOT, flavour), flavour)
    assert report.offending == "affinity"
    assert report.suspect in ("item_tower", "user_tower")
    assert row(report, "user_feats")["kind"] == "input" and row(report, "item_feats")["kind"] == "input"
    assert "16" in report.cause and "24" in report.cause, report.cause
    assert "Dense(16)" in fixes(report) or "Dense(24)" in fixes(report)


# ============================================================================ 4. Reshape / Flatten sizes
@pytest.mark.parametrize("flavour", flavours())
def test_decoder_reshape_of_the_wrong_size(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.DECODER_RESHAPE, flavour), flavour)
    assert report.offending == "to_map"
    assert report.suspect == "expand"
    assert row(report, "expand")["output_shape"] == "(None, 128)"
    assert "128" in report.cause and "256" in report.cause, report.cause
    assert "Dense(256)" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_reshape_first_fix_is_not_an_alternative(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.DECODER_RESHAPE, flavour), flavour)
    assert not report.fixes[0].startswith("Or "), report.fixes




@pytest.mark.parametrize("flavour", flavours())
def test_reshape_after_dense_on_a_feature_map(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.HEATMAP_RESHAPE, flavour), flavour)
    assert report.offending == "heat_rows"
    assert "144" in report.cause and "120" in report.cause, report.cause
    text = fixes(report)
    assert "Dense(120)" not in text or "Flatten" in text, report.fixes


# ============================================================================ 5. conv / pool output <= 0
@pytest.mark.parametrize("flavour", flavours())
def test_kernel_larger_than_the_input(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.KERNEL_LARGER_THAN_INPUT, flavour), flavour)
    assert report.offending == "wide_kernel"
    assert "(None, 5, 5, 2)" in report.cause and "(7, 7)" in report.cause, report.cause
    assert 'padding="same"' in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_too_many_poolings(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.TOO_MANY_POOLINGS, flavour), flavour)
    assert report.offending == "stage4_pool"
    assert row(report, "stage3_pool")["output_shape"] == "(None, 1, 1, 4)"
    assert "(None, 1, 1, 4)" in report.cause, report.cause
    assert 'padding="same"' in fixes(report)


# ============================================================================ 6. labels vs the output
@pytest.mark.parametrize("flavour", flavours())
def test_one_hot_labels_with_sparse_loss(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.ONE_HOT_WITH_SPARSE_LOSS, flavour), flavour)
    assert_loss_row(report, "sparse_categorical_crossentropy")
    assert report.suspect == "y"
    assert row(report, "y")["kind"] == "target"
    assert "(32, 4)" in report.cause and "one-hot" in report.cause, report.cause
    assert 'loss="categorical_crossentropy"' in fixes(report)
    assert "argmax" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_integer_labels_with_categorical_loss(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.INT_LABELS_WITH_CATEGORICAL_LOSS, flavour), flavour)
    assert_loss_row(report, "categorical_crossentropy")
    assert report.suspect == "y"
    assert "(32,)" in report.cause, report.cause
    assert "to_categorical" in fixes(report)
    assert "sparse_categorical_crossentropy" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_one_hot_width_differs_from_output_units(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.WRONG_CLASS_COUNT, flavour), flavour)
    assert_loss_row(report, "categorical_crossentropy")
    assert report.suspect in ("grade", "y")
    assert "3" in report.cause and "5" in report.cause, report.cause
    assert "Dense(3" in fixes(report) or "num_classes=5" in fixes(report)




@pytest.mark.parametrize("flavour", flavours())
def test_label_value_out_of_range(run: Any, flavour: str) -> None:
    if fc.backend(flavour) == "jax":  # JAX clamps an out-of-range gather: it trains without an error
        assert_silent(run_case(run, fc.LABEL_OUT_OF_RANGE, flavour))
        return
    # PyTorch checks the class index itself: "IndexError: Target 6 is out of bounds."
    error = "IndexError" if fc.backend(flavour) == "torch" else "InvalidArgumentError"
    report = reported(run_case(run, fc.LABEL_OUT_OF_RANGE, flavour), flavour, error=error)
    assert report.phase == "fit"
    assert_loss_row(report, "sparse_categorical_crossentropy")
    assert report.suspect == "grade"
    assert "6" in report.cause, report.cause
    assert "Dense(10" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_binary_crossentropy_with_two_units(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.BINARY_WITH_TWO_UNITS, flavour), flavour)
    assert_loss_row(report, "binary_crossentropy")
    assert report.suspect == "is_red"
    assert "(None, 2)" in report.cause, report.cause
    assert "Dense(1" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_sequence_output_into_crossentropy(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.SEQUENCE_OUTPUT_INTO_CROSSENTROPY, flavour), flavour)
    assert_loss_row(report, "categorical_crossentropy")
    assert report.suspect in ("rhythm", "wave")  # the head, or the Conv1D that made the 36 steps
    assert "(None, 36, 4)" in report.cause or "36" in report.cause, report.cause
    assert "GlobalAveragePooling1D()" in fixes(report) or "Flatten()" in fixes(report)


# ============================================================================ 7. number / structure of inputs
@pytest.mark.parametrize("flavour", flavours())
def test_two_input_model_fit_with_one_array(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.TWO_INPUTS_ONE_ARRAY, flavour), flavour)
    assert report.offending == "x"
    assert report.suspect == "body_vec"
    assert row(report, "x")["output_shape"] == "(16, 12)"
    assert "2 inputs" in report.cause and "body_vec" in report.cause, report.cause
    assert "title_vec" in fixes(report) and "body_vec" in fixes(report)




@pytest.mark.parametrize("flavour", flavours())
def test_dict_input_missing_a_key(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.DICT_MISSING_KEY, flavour), flavour)
    assert report.phase == "fit"
    assert row(report, report.offending)["kind"] == "data"
    assert report.suspect == "body_vec"
    assert "body_vec" in report.cause, report.cause
    assert "body_vec" in fixes(report)




@pytest.mark.parametrize("flavour", flavours())
def test_second_array_of_a_list_has_the_wrong_width(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.LIST_INPUT_WRONG_WIDTH, flavour), flavour)
    assert report.phase == "fit"
    assert row(report, "x[0]")["output_shape"] == "(16, 12)"
    assert row(report, "x[1]")["output_shape"] == "(16, 20)"
    assert report.offending == "x[1]"
    assert report.suspect in (None, "body_vec")
    assert "(16, 20)" in report.cause and "30" in report.cause and "body_vec" in report.cause, report.cause


@pytest.mark.parametrize("flavour", flavours())
def test_array_passed_by_input_name_has_the_wrong_width(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.DICT_INPUT_WRONG_WIDTH, flavour), flavour)
    assert report.phase == "fit"
    assert row(report, "x['title_vec']")["output_shape"] == "(16, 12)"
    assert row(report, "x['body_vec']")["output_shape"] == "(16, 20)"
    assert report.offending == "x['body_vec']"
    assert report.suspect in (None, "body_vec")
    assert "(16, 20)" in report.cause and "30" in report.cause, report.cause


def test_two_output_model_given_one_target(run: Any) -> None:
    report = reported(run_case(run, fc.TWO_OUTPUTS_ONE_TARGET, "keras"), "keras")
    assert report.phase == "fit"
    assert row(report, report.offending)["kind"] == "loss"
    assert report.suspect in ("y", "category")
    assert "2 outputs" in report.cause, report.cause
    assert "category" in fixes(report)


def test_two_output_model_given_one_target_is_silent_in_tf_keras(run: Any) -> None:
    """Silent family: tf_keras reuses the single target for both outputs."""
    assert_silent(run_case(run, fc.TWO_OUTPUTS_ONE_TARGET, "tf_keras"))


# ============================================================================ 8. user call() / build() code


@pytest.mark.parametrize("flavour", flavours())
def test_subclassed_model_with_hard_coded_matmul_size(run: Any, flavour: str) -> None:
    # JAX, PyTorch: Keras builds the model first, and re-raises the call's error as "Unable to automatically build"
    error = "RuntimeError" if fc.backend(flavour) in ("jax", "torch") else "ValueError"
    report = reported(run_case(run, fc.SUBCLASSED_HARDCODED_MATMUL, flavour), flavour, error=error)
    assert report.phase == "fit"
    assert report.offending == "tabular_scorer"
    assert row(report, "tabular_scorer")["type"] == "TabularScorer"
    assert "7" in report.cause and "10" in report.cause, report.cause
    assert "input_shape[-1]" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_custom_layer_with_transposed_kernel(run: Any, flavour: str) -> None:
    # JAX, PyTorch: Keras infers the output shape by tracing call() and reports the failure as a TypeError
    # (JAX) or RuntimeError (PyTorch, whose trace fills the unknown batch axis with a placeholder size, 83)
    error = {"jax": "TypeError", "torch": "RuntimeError"}.get(fc.backend(flavour), "ValueError")
    report = reported(run_case(run, fc.CUSTOM_LAYER_TRANSPOSED_KERNEL, flavour), flavour, error=error)
    assert report.offending == "projection"
    assert row(report, "projection")["type"] == "Projection"
    assert "(None, 24)" in report.cause and "(8, 24)" in report.cause, report.cause
    assert "{{node" not in report.cause, report.cause
    assert "83" not in report.cause + fixes(report) + str(report.rows), "a placeholder size shown as a real one"
    assert "input_shape[-1]" in fixes(report)


# ============================================================================ phases
@pytest.mark.parametrize("flavour", flavours())
def test_model_add_of_an_lstm_after_a_dense(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.ADD_LSTM_AFTER_DENSE, flavour), flavour)
    assert report.phase == "model.add"
    assert report.offending == "trend"
    assert report.suspect == "encode_load"
    assert "(None, 32)" in report.cause, report.cause
    assert "Reshape(" in fixes(report)


@pytest.mark.parametrize("flavour", flavours())
def test_build_of_a_sequential_without_input(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.BUILD_WITHOUT_INPUT, flavour), flavour)
    assert report.phase == "build"
    assert report.offending == "weekly_pattern"
    assert report.suspect == "store_embed"
    assert row(report, "store_embed")["output_shape"] == "(None, 16)"
    assert row(report, "units_sold")["status"] == "not reached"
    assert "(None, 16)" in report.cause, report.cause


@pytest.mark.parametrize("flavour", flavours())
def test_compile_does_not_check_shapes_and_fit_does(run: Any, flavour: str) -> None:
    """Silent at compile: Keras checks no shapes there. The first fit then fails at the loss."""
    assert_silent(run_case(run, fc.COMPILE_ONLY, flavour))
    # PyTorch's loss broadcasts first: "RuntimeError: The size of tensor a (8) must match the size of tensor b (6)"
    error = {"tf_keras": "InvalidArgumentError", "torch": "RuntimeError"}.get(fc.backend(flavour) if flavour == "keras"
                                                                             else flavour, "ValueError")
    report = reported(run(fc.FIT_AFTER_COMPILE), flavour, error=error)
    assert report.phase == "fit"
    assert_loss_row(report, "sparse_categorical_crossentropy")
    assert report.suspect == "tiny_head"
    assert "(None, 6, 6, 3)" in report.cause, report.cause
    assert "Flatten()" in fixes(report)


@pytest.mark.filterwarnings("ignore:`shuffle=True` was passed")
@pytest.mark.parametrize("flavour", flavours())
def test_fit_on_an_unbatched_dataset(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.UNBATCHED_DATASET, flavour), flavour)
    assert report.phase == "fit"
    if report.offending != "x":
        assert (report.offending, report.suspect) == ("h1", "x")
    assert row(report, "x")["kind"] == "data"
    assert "(5,)" in report.cause and "no batch axis" in report.cause, report.cause
    assert ".batch(" in fixes(report)


# ============================================================================ %%kerascheck
MAGIC_CASES = {
    "unet": (fc.UNET_SKIP, "skip_merge", "enc2"),
    "stacked_gru": (fc.STACKED_GRU, "gru_summary", "gru_encoder"),
    "int_labels": (fc.INT_LABELS_WITH_CATEGORICAL_LOSS, "categorical_crossentropy", "y"),
    "two_inputs": (fc.TWO_INPUTS_ONE_ARRAY, "x", "body_vec"),
    "reshape": (fc.DECODER_RESHAPE, "to_map", "expand"),
}


@pytest.mark.parametrize("flavour", flavours())
@pytest.mark.parametrize("case", sorted(MAGIC_CASES))
def test_kerascheck_cell_magic(run: Any, case: str, flavour: str) -> None:
    template, offending, suspect = MAGIC_CASES[case]
    cell = run_case(run, template, flavour, magic=True)
    report = reported(cell, flavour)
    assert (report.offending, report.suspect) == (offending, suspect)
    assert sum("ksm-report" in str(o.get("text/html", "")) for o in cell.outputs) == 1


# ============================================================================ robustness
@pytest.mark.parametrize("flavour", flavours())
def test_a_1200_layer_model_is_walked_without_recursion(run: Any, flavour: str) -> None:
    report = reported(run_case(run, fc.DEEP_STACK, flavour), flavour)
    frame = report.to_frame()
    assert len(frame) == 1 + 1200 + 1, len(frame)
    assert report.offending == "final_grid"
    assert frame.iloc[-1]["name"] == "final_grid" and frame.iloc[-1]["status"] == "offending"
    assert frame.iloc[0]["name"] == "deep_in"
    assert row(report, "block_1199")["output_shape"] == "(None, 4)"
    assert "(None, 4)" in report.cause and "9" in report.cause, report.cause


@pytest.mark.parametrize("flavour", flavours())
def test_stale_layers_of_an_earlier_cell_are_not_blamed(run: Any, flavour: str) -> None:
    first = reported(run_case(run, fc.STALE_FIRST, flavour), flavour)
    assert first.offending == "audio_frames"
    second = reported(run_case(run, fc.STALE_SECOND, flavour), flavour)
    assert second.offending == "poster_grid"
    names = set(second.to_frame()["name"])
    assert {"poster", "poster_conv", "poster_dense", "poster_grid"} <= names
    assert not {n for n in names if n.startswith("audio")}, names
    assert "500" in second.cause and "49" in second.cause, second.cause


# ============================================================================ tf.keras with TF_USE_LEGACY_KERAS=1
LEGACY_SCRIPT = textwrap.dedent('''
    import json, os, sys
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    from IPython.core.interactiveshell import InteractiveShell
    import keras_shapes_magic as ksm

    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "keras_shapes_magic")
    result = shell.run_cell("""
    import tensorflow as tf
    keras = tf.keras
    heartbeat = keras.Sequential([
        keras.Input(shape=(12, 3), name="beats"),
        keras.layers.SimpleRNN(6, name="rnn_first"),
        keras.layers.SimpleRNN(4, name="rnn_second"),
        keras.layers.Dense(1, name="arrhythmia"),
    ])
    """)
    report = ksm.last_report()
    frame = report.to_frame() if report is not None else None
    print("RESULT " + json.dumps({
        "error": type(result.error_in_exec).__name__,
        "keras_class_module": type(shell.user_ns["keras"].layers.Dense(1)).__module__,
        "offending": report.offending if report else None,
        "suspect": report.suspect if report else None,
        "flavour": report.flavour if report else None,
        "statuses": dict(zip(frame["name"], frame["status"])) if frame is not None else None,
        "fixes": list(report.fixes) if report else None,
    }))
''')


def test_tf_keras_under_tf_use_legacy_keras() -> None:
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    proc = subprocess.run([sys.executable, "-c", LEGACY_SCRIPT], capture_output=True, text=True, timeout=240,
                          env=env, cwd=os.path.dirname(__file__))
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(lines[-1][len("RESULT "):])
    assert result["error"] == "ValueError"
    assert result["keras_class_module"].startswith("tf_keras."), result  # tf.keras really is Keras 2
    assert result["flavour"] == "tf_keras"
    assert result["offending"] == "rnn_second"
    assert result["suspect"] == "rnn_first"
    assert result["statuses"] == {"beats": "ok", "rnn_first": "suspect", "rnn_second": "offending",
                                  "arrhythmia": "not reached"}
    assert any("SimpleRNN(6, return_sequences=True)" in fix for fix in result["fixes"])
