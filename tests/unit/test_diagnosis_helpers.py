"""The small pieces the diagnosis is built from, on plain values: no Keras, no IPython shell.

``describe_mismatch`` (data against an Input), the user's names in fixes, the source index,
``Fix`` spans, ``is_shape_error``, how a verdict becomes the report's rows, and the context helpers.
"""

from __future__ import annotations

import ast
import os
import traceback
import types
from typing import Any

import pytest

from keras_shapes_magic.diagnosis import (
    SourceIndex,
    _finalize_rows,
    _in_user_terms,
    _last_resort,
    _summary,
    diagnose,
    is_shape_error,
)
from keras_shapes_magic.diagnosis import keras_objects as ko
from keras_shapes_magic.diagnosis.context import Context, all_axes, differing_axes, plural
from keras_shapes_magic.diagnosis.data_fit import describe_mismatch
from keras_shapes_magic.diagnosis.evidence import Evidence
from keras_shapes_magic.diagnosis.rows import Table
from keras_shapes_magic.parse import parse
from keras_shapes_magic.records import ErrorFamily, Fix, Kind, Phase, Row, Status

pytestmark = pytest.mark.unit



def code_spans(text: str) -> list[str]:
    return [span for span, is_code in Fix(text).spans if is_code]


# =========================================================================== describe_mismatch
#: (id, data, expected, dataset, samples, words of the sentence, words of the fixes, input_is_wrong)
MISMATCHES: list[tuple[str, Any, Any, bool, int | None, str, str, bool]] = [
    ("one-sample-no-batch", (28, 28, 1), (None, 28, 28, 1), False, None,
     "is one sample: it has no batch axis", "`x = np.expand_dims(x, 0)` -> (1, 28, 28, 1)", False),
    ("dataset-not-batched", (28, 28, 1), (None, 28, 28, 1), True, None,
     "dataset's elements (28, 28, 1) have no batch axis", "`x = x.batch(32)`", False),
    ("one-sample-vector", (4,), (None, 4), False, None,
     "is one sample", "`x = np.expand_dims(x, 0)` -> (1, 4)", False),
    ("missing-channel-axis-gray", (32, 28, 28), (None, 28, 28, 1), False, None,
     "has no channel axis; the Input expects (None, 28, 28, 1) (1 channel)",
     "`x = x[..., np.newaxis]` -> (32, 28, 28, 1)", False),
    ("missing-channel-axis-rgb", (32, 28, 28), (None, 28, 28, 3), False, None,
     "(3 channels)", "`x = np.repeat(x[..., np.newaxis], 3, axis=-1)`", False),
    ("one-sample-no-batch-no-channel", (28, 28), (None, 28, 28, 1), False, None,
     "one sample without the batch and the channel axes", "`x = x[np.newaxis, ..., np.newaxis]`", False),
    ("channels-first", (8, 3, 32, 32), (None, 32, 32, 3), False, None,
     "is channels-first (N, C, H, W)", "`x = np.transpose(x, (0, 2, 3, 1))`", False),
    ("input-shape-includes-batch", (50, 8), (None, 100, 8), False, None,
     "The Input's shape (100, 8) includes the batch size (100)", "`keras.Input(shape=(8,))`", True),
    ("batched-data-is-not-one-sample", (8, 4), (None, 8, 4), False, 8,
     "includes the batch size (8)", "`keras.Input(shape=(4,))`", True),
    ("flattened", (50, 784), (None, 28, 28), False, None,
     "same 784 values per sample as the Input (None, 28, 28), but flattened", "`x = x.reshape(-1, 28, 28)`", False),
    ("other-layout", (50, 28, 28), (None, 784), False, None,
     "but of another layout", "`x = x.reshape(-1, 784)`", False),
    ("gray-for-rgb-model", (8, 32, 32, 1), (None, 32, 32, 3), False, None,
     "The images have 1 channel; the model expects 3.", "`x = np.repeat(x, 3, axis=-1)`", False),
    ("rgb-for-gray-model", (8, 32, 32, 3), (None, 32, 32, 1), False, None,
     "The images have 3 channels; the model expects 1.", "`x = tf.image.rgb_to_grayscale(x)`", False),
    ("four-channels", (8, 32, 32, 4), (None, 32, 32, 3), False, None,
     "The images have 4 channels", "`keras.Input(shape=(32, 32, 4))`", False),
    ("image-size", (4, 64, 64, 3), (None, 32, 32, 3), False, None,
     "The images are 64x64 but the model was built for 32x32.", "`x = tf.image.resize(x, (32, 32))`", False),
    ("feature-count", (50, 10), (None, 8), False, None,
     "The data has 10 features per sample, 2 more than the 8 the Input expects", "`x = x[:, 2:]`", False),
    ("feature-count-fewer", (50, 6), (None, 8), False, None,
     "The data has 6 features per sample; the Input expects 8.", "`keras.Input(shape=(6,))`", False),
    ("extra-axis", (50, 28, 28), (None, 28), False, None,
     "Each sample is (28, 28) but the model takes (28,).", "`keras.Input(shape=(28, 28))`", True),
    ("extra-axes-other-sizes", (50, 5, 6), (None, 7), False, None,
     "Each sample is (5, 6)", "`keras.layers.Flatten()`", True),
    ("fallback", (50, 5), (None, 3, 4), False, None,
     "does not fit the Input (None, 3, 4)", "Reshape the data to (None, 3, 4)", False),
    ("fallback-same-rank", (50, 28, 28), (None, 14, 56), False, None,
     "does not fit the Input (None, 14, 56)", "change the Input's shape", False),
]


@pytest.mark.parametrize(("id_", "data", "expected", "dataset", "samples", "sentence", "fix", "input_is_wrong"),
                         MISMATCHES, ids=[m[0] for m in MISMATCHES])
def test_describe_mismatch_branches(id_: str, data: Any, expected: Any, dataset: bool, samples: int | None,
                                    sentence: str, fix: str, input_is_wrong: bool) -> None:
    mismatch = describe_mismatch(data, expected, dataset, samples=samples)
    assert mismatch is not None
    assert sentence in mismatch.sentence
    assert any(fix in text for text in mismatch.fixes), mismatch.fixes
    assert mismatch.input_is_wrong is input_is_wrong


FIX_CODE_CASES = [pytest.param(*m[:5], id=m[0]) for m in MISMATCHES] + [
    pytest.param("vector-against-wider-input", (5,), (None, 8), False, None, id="vector-against-wider-input"),
]


@pytest.mark.parametrize(("id_", "data", "expected", "dataset", "samples"), FIX_CODE_CASES)
def test_describe_mismatch_fix_code_is_python(id_: str, data: Any, expected: Any, dataset: bool,
                                              samples: int | None) -> None:
    mismatch = describe_mismatch(data, expected, dataset, samples=samples)
    assert mismatch is not None
    for fix in mismatch.fixes:
        for code in code_spans(fix):
            ast.parse(code)  # raises SyntaxError for code a user could not run


@pytest.mark.parametrize(("id_", "data", "expected"), [
    pytest.param("four-channels", (8, 32, 32, 4), (None, 32, 32, 3), id="four-channels"),
    pytest.param("image-size", (4, 64, 64, 3), (None, 32, 32, 3), id="image-size"),
    pytest.param("gray-for-rgb-model", (8, 32, 32, 1), (None, 32, 32, 3), id="gray-for-rgb-model"),
])
def test_describe_mismatch_first_fix_does_not_start_with_or(id_: str, data: Any, expected: Any) -> None:
    mismatch = describe_mismatch(data, expected)
    assert mismatch is not None and not mismatch.fixes[0].startswith("Or ")


@pytest.mark.parametrize(("data", "expected"), [(None, (None, 3)), ((3,), None), ((3,), ())])
def test_describe_mismatch_needs_both_shapes(data: Any, expected: Any) -> None:
    assert describe_mismatch(data, expected) is None


def test_describe_mismatch_writes_the_users_variable() -> None:
    mismatch = describe_mismatch((32, 28, 28), (None, 28, 28, 1), var="images")
    assert mismatch is not None
    assert code_spans(mismatch.fixes[0]) == ["images = images[..., np.newaxis]"]


def test_describe_mismatch_a_single_sample_batch_is_still_one_sample() -> None:
    mismatch = describe_mismatch((8, 4), (None, 8, 4), samples=1)
    assert mismatch is not None and "one sample" in mismatch.sentence


# =========================================================================== the user's names in fixes
NAMES = {"model": "cnn", "x": "images", "y": "labels"}


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Add the channel axis: `x = x[..., np.newaxis]` -> (32, 28, 28, 1).",
     "Add the channel axis: `images = images[..., np.newaxis]` -> (32, 28, 28, 1)."),
    ("Pass one array per input, in order: `model.fit([x_a, x_b], y)`.",
     "Pass one array per input, in order: `cnn.fit([x_a, x_b], labels)`."),
    ("Reshape x to fit the model: `x = x.reshape(-1, 784)`.",
     "Reshape x to fit the model: `images = images.reshape(-1, 784)`."),
    ("Use `keras.models.Model` and `self.x`.", "Use `keras.models.Model` and `self.x`."),
    ("Index: `xb = max(x) + y_true`.", "Index: `xb = max(images) + y_true`."),
    ("By name: `model.fit({'x': x}, {\"y\": y})`.", "By name: `cnn.fit({'x': images}, {\"y\": labels})`."),
    ("One-hot: `y = keras.utils.to_categorical(y, num_classes=5)`.",
     "One-hot: `labels = keras.utils.to_categorical(labels, num_classes=5)`."),
    ("No code here, x and y and model stay.", "No code here, x and y and model stay."),
], ids=["text-kept", "model-and-y", "text-x-kept", "dotted-untouched", "word-boundaries", "quoted-keys-kept",
        "call-arguments", "no-code"])
def test_user_names_replace_only_whole_names_in_code(sentence: str, expected: str) -> None:
    fix = _in_user_terms(Fix(sentence), NAMES)
    assert isinstance(fix, Fix)
    assert fix == expected


def test_the_elements_of_a_literal_list_or_dict_in_fit_get_the_users_names() -> None:
    """r61: ``model.fit({'input1': Xb, 'input2': tb}, [yb, D_labels])``: the table says x['input1'] and y[1]."""
    from keras_shapes_magic.diagnosis.evidence import _argument_names

    call = ast.parse("model.fit({'input1': Xb, 'input2': tb}, [yb, D_labels], epochs=1)").body[0].value
    names = _argument_names("model", "fit", call.args, {k.arg: k.value for k in call.keywords})
    assert names == {"model": "model", "x['input1']": "Xb", "x['input2']": "tb", "y[0]": "yb", "y[1]": "D_labels"}
    fix = _in_user_terms(Fix("Build it with `len(x['input1'])`, then `y[1] = y[1][:len(x)]`."), names)
    assert fix == "Build it with `len(Xb)`, then `D_labels = D_labels[:len(x)]`."


def test_user_names_keep_the_fix_when_there_are_none() -> None:
    fix = Fix("`x = x[..., None]`")
    assert _in_user_terms(fix, {}) is fix


@pytest.mark.parametrize("user", ["x", "x[0]", "data['a']", "2x", ""])
def test_user_names_skip_names_that_are_not_plain_identifiers(user: str) -> None:
    assert _in_user_terms(Fix("Do `x = x + 1`."), {"x": user}) == "Do `x = x + 1`."


def test_user_names_leave_a_fix_with_unbalanced_backticks_as_text() -> None:
    assert _in_user_terms(Fix("Use `x = 1 or x"), NAMES) == "Use `x = 1 or x"


def test_user_names_result_has_fresh_spans() -> None:
    fix = _in_user_terms(Fix("Do `model.fit(x, y)` now."), NAMES)
    assert fix.spans == (("Do ", False), ("cnn.fit(images, labels)", True), (" now.", False))
    assert fix.code == "cnn.fit(images, labels)"


# =========================================================================== SourceIndex
SOURCE = [
    "import keras\n",
    "inputs = keras.Input(shape=(28, 28, 1), name='img')\n",
    'conv1 = keras.layers.Conv2D(8, 3, name="conv1")(inputs)\n',
    'x = keras.layers.Conv2D(8, 3, name="conv1")(x)  # a second line naming conv1\n',
    "pool: keras.layers.Layer = keras.layers.MaxPooling2D()\n",
    "if conv1 == pool:\n",
    "    counter += 1\n",
    "a, b = 1, 2\n",
]


def test_source_index_finds_a_quoted_layer_name_first_line_wins() -> None:
    index = SourceIndex(SOURCE)
    assert index.line_for("conv1") == 'conv1 = keras.layers.Conv2D(8, 3, name="conv1")(inputs)'
    assert index.line_for("img") == "inputs = keras.Input(shape=(28, 28, 1), name='img')"


def test_source_index_falls_back_to_the_assigned_variable() -> None:
    index = SourceIndex(SOURCE)
    assert index.line_for("max_pooling2d", "pool") == "pool: keras.layers.Layer = keras.layers.MaxPooling2D()"
    assert index.line_for("max_pooling2d") is None


def test_source_index_quoted_name_beats_the_variable() -> None:
    index = SourceIndex(SOURCE)
    assert index.line_for("img", "conv1") == "inputs = keras.Input(shape=(28, 28, 1), name='img')"


@pytest.mark.parametrize("variable", ["counter", "a", "b", "if"])
def test_source_index_ignores_comparisons_augmented_and_tuple_assignments(variable: str) -> None:
    assert SourceIndex(SOURCE).line_for("unknown", variable) is None


def test_source_index_cuts_long_lines() -> None:
    line = "dense = keras.layers.Dense(4, name='d')  # " + "z" * 400 + "\n"
    found = SourceIndex([line]).line_for("d")
    assert found is not None and len(found) == 200 and found.startswith("dense = keras.layers.Dense")


def test_source_index_of_nothing_finds_nothing() -> None:
    assert SourceIndex([]).line_for("conv1", "conv1") is None


# =========================================================================== Fix
def test_fix_is_its_sentence_split_into_spans() -> None:
    fix = Fix("Use `a = 1` and `b`.")
    assert isinstance(fix, str) and fix == "Use `a = 1` and `b`." and str(fix) == fix
    assert fix.spans == (("Use ", False), ("a = 1", True), (" and ", False), ("b", True), (".", False))
    assert fix.code == "a = 1"
    assert fix.text == "Use a = 1 and b."


@pytest.mark.parametrize("sentence", ["Use `a = 1 and b.", "`a` and `b", "```"])
def test_fix_with_unbalanced_backticks_is_all_text(sentence: str) -> None:
    fix = Fix(sentence)
    assert fix.spans == ((sentence, False),)
    assert fix.code is None and fix.text == sentence


def test_fix_code_skips_empty_and_blank_spans() -> None:
    assert Fix("Nothing `` here").code is None
    assert Fix("First ` ` then `x = 1`.").code == "x = 1"
    assert Fix("Plain words.").code is None and Fix("Plain words.").spans == (("Plain words.", False),)


def test_fix_starting_with_code() -> None:
    fix = Fix("`x = 1` first")
    assert fix.spans == (("x = 1", True), (" first", False))


# =========================================================================== is_shape_error
def evidence(message: str, *, keras: bool = True, user_code: bool = False, layer: Any = None,
             phase: Phase = Phase.LAYER_CALL) -> Evidence:
    return Evidence(exception=ValueError(message), parsed=parse(message), frames=[], raised_in_keras=keras,
                    raised_in_user_code=user_code, layer=layer, phase=str(phase))


LAYER = types.SimpleNamespace(name="dense")


@pytest.mark.parametrize(("ev", "family", "expected"), [
    (evidence("Shapes (1,) and (2,) are incompatible", keras=False), ErrorFamily.LOSS_SHAPE_TFK, False),
    (evidence("Shapes (1,) and (2,) are incompatible"), ErrorFamily.LOSS_SHAPE_TFK, True),
    (evidence("division by zero", user_code=True, layer=LAYER), ErrorFamily.UNKNOWN, False),
    (evidence("bad shape in my layer", user_code=True, layer=LAYER), ErrorFamily.UNKNOWN, True),
    (evidence("expected rank 3", user_code=True), ErrorFamily.OP_SHAPE, True),
    (evidence("tuple index out of range"), ErrorFamily.INDEX_ERROR, False),
    (evidence("tuple index out of range", layer=LAYER), ErrorFamily.INDEX_ERROR, True),
    (evidence("the dimension 3 is wrong", layer=LAYER), ErrorFamily.UNKNOWN, True),
    (evidence("the dimension 3 is wrong"), ErrorFamily.UNKNOWN, False),
    (evidence("something else went wrong", layer=LAYER), ErrorFamily.UNKNOWN, False),
    (evidence("Could not automatically infer the output shape / dtype of 'my' (of type My). Error encountered: "
              "division by zero", user_code=True, layer=LAYER), ErrorFamily.OUTPUT_INFERENCE, False),
    (evidence("Could not automatically infer the output shape / dtype of 'my' (of type My). Error encountered: "
              "Incompatible shapes", user_code=True, layer=LAYER), ErrorFamily.OUTPUT_INFERENCE, True),
], ids=["not-raised-in-keras", "keras-family", "user-code-not-about-shapes", "user-code-about-shapes",
        "user-code-family", "index-error-without-layer", "index-error-in-a-layer", "unknown-shape-words-in-layer",
        "unknown-shape-words-no-layer", "unknown-no-shape-words", "inference-wrapping-a-user-error",
        "inference-wrapping-a-shape-error"])
def test_is_shape_error(ev: Evidence, family: ErrorFamily, expected: bool) -> None:
    assert is_shape_error(ev, family) is expected


def test_diagnose_rejects_what_is_not_an_exception() -> None:
    with pytest.raises(TypeError, match="takes the exception"):
        diagnose("Input 0 of layer")  # type: ignore[arg-type]


@pytest.mark.parametrize("exc", [ValueError("plain"), ZeroDivisionError("division by zero"),
                                 ValueError("Shapes (1,) and (2,) are incompatible")])
def test_diagnose_leaves_errors_raised_outside_keras_alone(exc: BaseException) -> None:
    assert diagnose(exc) is None


def test_diagnose_a_keras_wrapped_message_with_nothing_to_point_at_is_none() -> None:
    message = ("Exception encountered when calling Reshape.call().\n\nThe total size of the tensor must be unchanged. "
               "Received: input_shape=(64,), target_shape=(10, 10)\n\nArguments received by Reshape.call():\n"
               "  • inputs=x")
    assert diagnose(ValueError(message)) is None


# =========================================================================== a verdict becomes rows
def context(rows: list[Row], message: str = "Shapes (1,) and (2,) are incompatible", *, failing: int | None = None,
            phase: Phase = Phase.FIT, names: dict[str, str] | None = None, statement: str = "") -> Context:
    table = Table()
    for row in rows:
        table.add(row)
    table.failing = failing
    table.model_input_rows = table.indices("input")
    ev = Evidence(exception=ValueError(message), parsed=parse(message), frames=[], raised_in_keras=True,
                  phase=str(phase), variable_names=dict(names or {}), statement=statement)
    return Context(ev, table, ErrorFamily.UNKNOWN)


ROWS = [
    Row("x", Kind.DATA, "ndarray", output_shapes=((8, 4),)),
    Row("in", Kind.INPUT, "InputLayer", output_shapes=((None, 4),)),
    Row("hidden", Kind.LAYER, "Dense", input_shapes=((None, 4),), output_shapes=((None, 16),)),
    Row("reshape", Kind.LAYER, "Reshape", input_shapes=((None, 16),)),
    Row("later", Kind.LAYER, "Dense", status=Status.NOT_REACHED),
    Row("y", Kind.TARGET, "ndarray", input_shapes=((8,),)),
    Row("mse", Kind.LOSS, "mse", input_shapes=((8,), (None, 1))),
]


def test_finalized_rows_mark_offending_suspect_and_not_reached() -> None:
    ctx = context(ROWS)
    rows = _finalize_rows(ctx, ctx.verdict(3, "cause", ["fix"], suspect=2))
    assert [row.status for row in rows] == [Status.OK, Status.OK, Status.SUSPECT, Status.OFFENDING,
                                            Status.NOT_REACHED, Status.NOT_REACHED, Status.NOT_REACHED]


def test_finalized_rows_keep_data_after_the_offending_row_reached() -> None:
    rows = [Row("in", Kind.INPUT, "InputLayer", output_shapes=((None, 4),)),
            Row("x", Kind.DATA, "ndarray", output_shapes=((8, 4),))]
    ctx = context(rows)
    assert [row.status for row in _finalize_rows(ctx, ctx.verdict(0, "c", ["f"]))] == [
        Status.OFFENDING, Status.OK]


def test_finalized_rows_a_not_reached_row_before_the_offending_one_stays_not_reached() -> None:
    rows = [Row("early", Kind.LAYER, "Dense", status=Status.NOT_REACHED), Row("bad", Kind.LAYER, "Dense")]
    ctx = context(rows)
    assert [row.status for row in _finalize_rows(ctx, ctx.verdict(1, "c", ["f"]))] == [
        Status.NOT_REACHED, Status.OFFENDING]


def test_finalized_rows_show_what_the_layer_received_and_what_it_was_built_for() -> None:
    ctx = context(ROWS)
    verdict = ctx.verdict(3, "c", ["f"], received={3: ((None, 64),), 6: ((8,), (8, 3)), 0: ((8, 4),)})
    rows = _finalize_rows(ctx, verdict)
    assert rows[3].input_shapes == ((None, 64),) and rows[3].note == "built for (None, 16)"
    assert rows[6].input_shapes == ((8,), (8, 3)) and rows[6].note == ""
    assert rows[0].output_shapes == ((8, 4),) and rows[0].input_shapes == ()  # data rows are never rewritten


def test_finalized_rows_ignore_received_shapes_that_are_unknown_or_name_no_row() -> None:
    ctx = context(ROWS)
    verdict = ctx.verdict(3, "c", ["f"], received={3: (None,), 2: ()})
    verdict.received["no such row"] = ((1,),)
    rows = _finalize_rows(ctx, verdict)
    assert rows[3].input_shapes == ((None, 16),) and rows[2].input_shapes == ((None, 4),)


def test_finalized_rows_carry_the_marks() -> None:
    ctx = context(ROWS)
    verdict = ctx.verdict(3, "c", ["f"], marks={3: (((1,),), ()), 0: ((), ((0, 1),))})
    verdict.marks["no such row"] = ((), ())
    rows = _finalize_rows(ctx, verdict)
    assert rows[3].input_marks == ((1,),) and rows[0].output_marks == ((0, 1),)


def test_finalized_rows_say_which_user_variable_a_data_row_was() -> None:
    ctx = context(ROWS, names={"x": "images", "y": "labels"})
    rows = _finalize_rows(ctx, ctx.verdict(0, "c", ["f"]))
    assert rows[0].note == "passed as images" and rows[5].note == "passed as labels"
    assert rows[2].note == ""


def test_finalized_rows_quote_the_failing_statement_for_a_layer_call() -> None:
    ctx = context(ROWS, failing=3, phase=Phase.LAYER_CALL, statement="grid = keras.layers.Reshape((4, 4))(h)\nmore")
    rows = _finalize_rows(ctx, ctx.verdict(3, "c", ["f"]))
    assert rows[3].source == "grid = keras.layers.Reshape((4, 4))(h)"
    assert rows[2].source is None


def test_last_resort_points_at_the_data_else_the_first_layer() -> None:
    verdict = _last_resort(context(ROWS, "Some shape went wrong\nsecond line"))
    assert verdict is not None and verdict.offending == ROWS[0].name
    assert verdict.cause == "Keras rejected the shapes here: Some shape went wrong"
    layers_only = [ROWS[2], ROWS[3]]
    assert _last_resort(context(layers_only)).offending == ROWS[2].name
    assert _last_resort(context([])) is None


def test_summary_of_a_label_error_is_the_label_sentence() -> None:
    message = ("Graph execution error:\n\nDetected at node x defined at (most recent call last):\n\nReceived a label "
               "value of 9 which is outside the valid range of [0, 3).  Label values: 4 9")
    ev = evidence(message)
    assert _summary(ev, ErrorFamily.LABEL_RANGE) == "Received a label value of 9 which is outside the valid range of " \
                                                    "[0, 3)"
    assert _summary(ev, ErrorFamily.UNKNOWN) == "Graph execution error:"
    assert _summary(evidence(""), ErrorFamily.UNKNOWN) == ""


# =========================================================================== context helpers
def test_layer_named_trusts_only_real_layer_rows_and_strips_a_uniquifying_suffix() -> None:
    ctx = context(ROWS + [Row("tiny_net", Kind.LAYER, "TinyNet")])
    assert ctx.layer_named("hidden") == 2
    assert ctx.layer_named("tiny_net_1") == 7
    assert ctx.layer_named("x") is None  # a data row is not a layer
    assert ctx.layer_named("") is None and ctx.layer_named(None) is None
    assert ctx.layer_named("hidden_two") is None


def test_rows_of_each_kind_are_found() -> None:
    ctx = context(ROWS)
    assert ctx.target_row() == 5 and ctx.loss_row() == 6 and ctx.input_row() == 1 and ctx.input_row(3) == 1
    assert ctx.output_row() == 4  # no model outputs known: the last layer row
    assert ctx.data_row() == 0
    assert ctx.name(2) == "'hidden'" and ctx.name(None) == "the layer"
    assert ctx.row(None) is None and ctx.config(2, "units", "?") == "?"


def test_data_row_for_a_named_or_numbered_model_input() -> None:
    rows = [Row("x['title']", Kind.DATA, "ndarray", output_shapes=((4, 10),)),
            Row("x['body']", Kind.DATA, "ndarray", output_shapes=((4, 50),))]
    ctx = context(rows)
    assert ctx.data_row_for(0, "body") == 1 and ctx.data_row_for(1, "title") == 0
    assert ctx.data_row("body") == 1
    numbered = context([Row("x[0]", Kind.DATA, "a"), Row("x[1]", Kind.DATA, "a")])
    assert numbered.data_row_for(1, None) == 1 and numbered.data_row_for(5, None) == 0
    assert context([]).data_row_for(0, None) is None


def test_previous_layer_without_live_layers_is_the_row_above() -> None:
    ctx = context(ROWS)
    assert ctx.previous_layer(3) == 2 and ctx.previous_layer(2) == 1 and ctx.previous_layer(0) is None
    assert ctx.previous_layer(None) is None and ctx.producers(3) == []


@pytest.mark.parametrize(("a", "b", "skip", "axes"), [
    ((None, 24, 24, 16), (None, 25, 25, 8), (), (1, 2, 3)),
    ((None, 24, 24, 16), (None, 25, 25, 8), (-1,), (1, 2)),
    ((None, 3), (8, 3), (), ()),
    ((4, 3), (4, 3, 1), (), ()),
    (None, (1,), (), ()),
])
def test_differing_axes(a: Any, b: Any, skip: tuple, axes: tuple) -> None:
    assert differing_axes(a, b, skip=skip) == axes


def test_plural_and_all_axes() -> None:
    assert plural((3,)) == "axis 3" and plural([1, 2]) == "axes 1 and 2" and plural((0, 1, 2)) == "axes 0, 1 and 2"
    assert all_axes((None, 4, 4)) == (0, 1, 2) and all_axes(None) == () and all_axes(()) == ()


# =========================================================================== last: the lane stayed pure


def test_evidence_is_read_only_once_sealed_but_can_still_be_released() -> None:
    ev = Evidence(exception=ValueError("m"), parsed=parse("m"), frames=[], x=[1, 2]).seal()
    with pytest.raises(AttributeError, match="read-only"):
        ev.phase = Phase.FIT
    ev.release()
    assert ev.x is None and ev.frames == []


@pytest.mark.parametrize(("code", "modules", "expected"), [
    ("x = np.expand_dims(x, -1)", {"numpy": "np"}, "x = np.expand_dims(x, -1)"),
    ("x = np.expand_dims(x, -1)", {"numpy": "numpy"}, "x = numpy.expand_dims(x, -1)"),
    ("x = np.expand_dims(x, -1)", {}, "import numpy as np; x = np.expand_dims(x, -1)"),
    ("x = tf.image.resize(x, (128, 128))", {"keras": "keras"},
     "import tensorflow as tf; x = tf.image.resize(x, (128, 128))"),
    ("keras.layers.Flatten()", {"tensorflow": "tf"}, "tf.keras.layers.Flatten()"),
    ("keras.layers.Flatten()", {"tf_keras": "tfk"}, "tfk.layers.Flatten()"),
    ("keras.layers.Flatten()", {"keras._tf_keras.keras": "keras"}, "keras.layers.Flatten()"),
    ("model.fit(x, y)", {}, "model.fit(x, y)"),
])
def test_fix_code_uses_the_users_module_names(code: str, modules: dict[str, str], expected: str) -> None:
    assert _in_user_terms(Fix(f"Do `{code}`."), {}, modules).code == expected


def test_module_names_reads_the_modules_bound_in_a_namespace() -> None:
    numpy_like = types.ModuleType("numpy")
    names = ko.module_names({"numpy": numpy_like, "np": numpy_like, "_hidden": numpy_like, "n": 3})
    assert names == {"numpy": "np"}


def _frame(filename: str) -> Any:
    return types.SimpleNamespace(f_code=types.SimpleNamespace(co_filename=filename, co_name="f"))


@pytest.mark.parametrize(("files", "ours"), [
    (["/u/cell.py", "/sp/keras/src/trainers/compile_utils.py", "/sp/jax/_src/numpy/util.py"], True),
    (["/u/cell.py", "/sp/keras/src/backend/torch/numpy.py", "/sp/torch/_tensor.py"], True),
    (["/u/cell.py", "/sp/jax/_src/numpy/util.py"], False),  # the user's own JAX code: not ours
    (["/u/cell.py", "/sp/keras_shapes_magic/x.py", "/sp/jax/_src/numpy/util.py"], False),
])
def test_errors_raised_by_jax_or_torch_are_ours_only_when_keras_called_them(files: list[str], ours: bool) -> None:
    from keras_shapes_magic.diagnosis.evidence import raised_by_keras

    frames = [(_frame(name.replace("/", os.sep)), 1) for name in files]
    assert raised_by_keras(ValueError("Incompatible shapes for broadcasting"), frames, "") is ours


@pytest.mark.parametrize(("message", "shapes"), [
    ("Incompatible shapes for broadcasting: shapes=[(16,), (16, 26, 26)]", ((16,), (16, 26, 26))),  # JAX
    ("mul got incompatible shapes for broadcasting: (3, 4), (5,).", ((3, 4), (5,))),  # JAX
    ("mat1 and mat2 shapes cannot be multiplied (64x768 and 1152x1152)", ((64, 768), (1152, 1152))),  # torch
    ("Incompatible shapes: [32,3] vs. [32]", ((32, 3), (32,))),  # TensorFlow
])
def test_operand_shapes_of_every_backend(message: str, shapes: tuple) -> None:
    from keras_shapes_magic.diagnosis.families.base import operand_shapes

    assert operand_shapes(message) == shapes


@pytest.mark.parametrize(("message", "family"), [
    ("Incompatible shapes for broadcasting: shapes=[(16,), (16, 26, 26)]", "loss_op"),  # JAX, routed by frames
    ("mul got incompatible shapes for broadcasting: (3, 4), (5,).", "loss_op"),
    ("dot_general requires contracting dimensions to have the same shape, got (1041,) and (1029,).", "loss_op"),
    ("mat1 and mat2 shapes cannot be multiplied (64x768 and 1152x1152)", "loss_op"),  # PyTorch
    ("The size of tensor a (16) must match the size of tensor b (26) at non-singleton dimension 2", "loss_op"),
    ("Arguments `target` and `output` must have the same shape up until the last dimension: target.shape=(16, 10), "
     "output.shape=(16, 10)", "loss_shape"),  # JAX's wording of the loss check
    ("Target 6 is out of bounds.", "label_range"),  # PyTorch's sparse crossentropy
    ("cannot select an axis to squeeze out which has size not equal to one, got shape=(16, 80) and "
     "dimensions=(1,)", "loss_op"),  # JAX: an accuracy metric squeezing per-step targets
    # a convolution over an input smaller than its kernel, in each backend's words
    ("Computed output size would be negative: -1 [input_size: 1, effective_filter_size: 3, stride: 1]",
     "nonpositive_output"),
    ("Calculated padded input size per channel: (28 x 1). Kernel size: (3 x 3). Kernel size can't be greater "
     "than actual input size", "nonpositive_output"),
    ("The convolution operation resulted in an empty output. This can happen if the input is too small",
     "nonpositive_output"),
])
def test_backend_messages_are_recognised(message: str, family: str) -> None:
    from keras_shapes_magic.diagnosis.families import recognise

    found, _ = recognise(message, Phase.FIT)
    assert found is not None and found.name == family


def test_a_backend_op_error_outside_the_loss_is_explained_as_a_layer_op() -> None:
    from keras_shapes_magic.diagnosis.families.loss import loss_or_layer_op
    from keras_shapes_magic.diagnosis.families.usercode import OpFacts

    message = "mat1 and mat2 shapes cannot be multiplied (64x768 and 1152x1152)"
    rows = [Row("in", Kind.INPUT, "InputLayer", output_shapes=((None, 768),)),
            Row("proj", Kind.LAYER, "MyProjection", input_shapes=((None, 768),), output_shapes=((None, 1152),))]
    ctx = context(rows, message, failing=1)
    verdict = loss_or_layer_op(ctx, OpFacts())  # no loss or metric frame: the layer's op
    assert verdict is not None and verdict.offending == "proj"


# --------------------------------------------------------------- PyTorch's placeholder sizes (83, 89)
@pytest.mark.parametrize(("text", "masked"), [
    ("mat1 and mat2 shapes cannot be multiplied (83x24 and 8x24)", "mat1 and mat2 shapes cannot be multiplied "
                                                                   "(Nonex24 and 8x24)"),
    ("The size of tensor a (83) must match the size of tensor b (10) at non-singleton dimension 0",
     "The size of tensor a (None) must match the size of tensor b (10) at non-singleton dimension 0"),
    ("expected (83, 5, 83) got [7, 83]", "expected (None, 5, None) got [7, None]"),
    ("Target 83 is out of bounds.", "Target 83 is out of bounds."),  # a class index, not a dimension
    ("(830, 183)", "(830, 183)"),  # other numbers that contain it
])
def test_a_placeholder_size_reads_as_unknown_only_where_it_stands_as_a_dimension(text: str, masked: str) -> None:
    from keras_shapes_magic.parse import unknown_placeholders

    assert unknown_placeholders(text, 83) == masked
    assert unknown_placeholders(text, None) == text


def test_the_placeholder_never_reaches_the_operand_shapes_or_the_facts() -> None:
    from keras_shapes_magic.diagnosis.families import recognise
    from keras_shapes_magic.diagnosis.families.base import operand_shapes

    parsed = parse("Exception encountered when calling Projection.call().\n\n\x1b[1mCould not automatically infer "
                   "the output shape / dtype of 'projection' (of type Projection). Error encountered:\n\nmat1 and "
                   "mat2 shapes cannot be multiplied (83x24 and 8x24)\x1b[0m\n\nArguments received by "
                   "Projection.call():\n  • args=('<KerasTensor shape=(None, 24), dtype=float32>',)", placeholder=83)
    assert operand_shapes(parsed.core) == ((None, 24), (8, 24))
    assert "83x24" in parsed.clean  # the user's own message is never rewritten
    found, _ = recognise("The size of tensor a (None) must match the size of tensor b (10) at non-singleton "
                         "dimension 0", Phase.LAYER_CALL)
    assert found is not None and found.name == "loss_op"  # routed to the loss or the layer's op by the frames


def _raise_inside(filename: str, function: str, fill: int) -> list[tuple[Any, int]]:
    """Frames of an error raised in ``function`` (with a local ``fill_value``) of a file named ``filename``."""
    namespace: dict[str, Any] = {}
    exec(compile(f"def {function}(fill_value):\n    raise RuntimeError('mat1 and mat2')\n", filename, "exec"),
         namespace)
    try:
        namespace[function](fill)
    except RuntimeError as error:
        return list(traceback.walk_tb(error.__traceback__))
    raise AssertionError("did not raise")


def test_the_placeholder_size_is_read_from_the_torch_backends_trace_frame() -> None:
    from keras_shapes_magic.diagnosis.evidence import placeholder_size

    core = os.sep.join(["", "sp", "keras", "src", "backend", "torch", "core.py"])
    assert placeholder_size(_raise_inside(core, "symbolic_call", 89)) == 89
    assert placeholder_size(_raise_inside(core, "cast", 89)) is None  # another function of that file
    assert placeholder_size(_raise_inside(os.sep.join(["", "u", "cell.py"]), "symbolic_call", 83)) is None
