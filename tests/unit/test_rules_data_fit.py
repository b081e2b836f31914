"""Data against the model's Input (``diagnosis/data_fit.py``): the rules on shapes, and what the evidence adds.

No Keras: the shapes are tuples, the tables are written by hand (helpers of ``test_family_rules``), and
where a rule reads a live object (a ``tf.data`` pipeline, a feature extractor in the user's namespace)
a tiny class whose module says ``keras`` / ``tensorflow`` stands in for it.
"""

from __future__ import annotations

import ast
import dataclasses
from typing import Any

import pytest
from test_family_rules import Case, KerasTensor, context, data, inp, lay, target

from keras_shapes_magic.diagnosis.context import Context
from keras_shapes_magic.diagnosis.data_fit import data_fault, data_verdict, describe_mismatch
from keras_shapes_magic.records import Fix, Phase, Row

pytestmark = pytest.mark.unit

ENSURE_NOT_EMPTY = "Invalid input shape for input x with name 'input_layer' and path ''. Expected shape (None, 4)"


def code_spans(text: str) -> list[str]:
    return [span for span, is_code in Fix(text).spans if is_code]


def assert_runnable_fixes(fixes: list[str]) -> None:
    assert fixes, "no fix"
    assert not fixes[0].startswith("Or "), fixes[0]
    for fix in fixes:
        for code in code_spans(fix):
            ast.parse(code)


# =========================================================================== describe_mismatch: the shape rules
#: (id, data, expected, kwargs, words of the sentence, code of the first fix)
RULES: list[tuple[str, tuple, tuple, dict, str, str]] = [
    ("one-image-no-batch-other-size", (600, 400, 3), (None, 128, 128, 3), {},
     "one image without the batch axis, and it is 600x400 while the model was built for 128x128",
     "x = tf.image.resize(x, (128, 128))[tf.newaxis, ...]"),
    ("rgba-into-rgb", (1, 28, 28, 4), (None, 28, 28, 3), {}, "4 channels (RGBA: an alpha channel)",
     "x = x[..., :3]"),
    ("la-into-gray", (8, 28, 28, 2), (None, 28, 28, 1), {}, "luminance + alpha", "x = x[..., :1]"),
    ("la-into-rgb", (8, 28, 28, 2), (None, 28, 28, 3), {}, "2 channels", "x = np.repeat(x[..., :1], 3, axis=-1)"),
    ("rgba-into-gray", (8, 28, 28, 4), (None, 28, 28, 1), {}, "4 channels",
     "x = tf.image.rgb_to_grayscale(x[..., :3])"),
    ("la-into-one-value-per-pixel", (1, 28, 28, 2), (None, 28, 28), {},
     "2 channels (luminance + alpha, PIL's 'LA' mode) per pixel, but the model was built for one value per pixel",
     "x = x[..., 0]"),
    ("rgb-into-one-value-per-pixel", (5, 28, 28, 3), (None, 28, 28), {}, "3 channels (RGB)",
     "x = tf.image.rgb_to_grayscale(x[..., :3])[..., 0]"),
    ("size-1-channel-into-one-value-per-pixel", (5, 28, 28, 1), (None, 28, 28), {}, "a channel axis of size 1",
     "x = x[..., 0]"),
    ("fewer-time-steps", (2, 61, 215), (None, 973, 215), {},
     "The sequences have 61 time steps but the model was built for 973", "keras.Input(shape=(None, 215))"),
    ("fewer-time-steps-fixed-length", (2, 61, 215), (None, 973, 215), {"fixed_length": True},
     "61 time steps", 'x = keras.utils.pad_sequences(x, maxlen=973, dtype="float32", padding="post", '
                      'truncating="post")'),
    ("more-features-per-step", (20, 1, 34), (None, 1, 4), {},
     "The data has 34 features (columns) per time step; the model was built for 4", "x = x[:, :, :4]"),
    ("fewer-features-per-step", (20, 1, 3), (None, 1, 4), {}, "3 features (columns) per time step",
     "keras.Input(shape=(1, 3))"),
    ("images-into-feature-vector", (4, 150, 150, 3), (None, 8192), {},
     "Each sample is an image (150, 150, 3) but the model takes a vector of 8192 features",
     "keras.Input(shape=(150, 150, 3))"),
    ("image-size-dataset", (None, 256, 256, 3), (None, 128, 128, 3), {"dataset": True},
     "The images are 256x256 but the model was built for 128x128",
     "x = x.map(lambda image, label: (tf.image.resize(image, (128, 128)), label))"),
]


@pytest.mark.parametrize(("id_", "data_shape", "expected", "kwargs", "sentence", "code"), RULES,
                         ids=[r[0] for r in RULES])
def test_describe_mismatch_rule(id_: str, data_shape: tuple, expected: tuple, kwargs: dict, sentence: str,
                                code: str) -> None:
    mismatch = describe_mismatch(data_shape, expected, **kwargs)
    assert mismatch is not None
    assert sentence in mismatch.sentence
    assert code in code_spans(mismatch.fixes[0]), mismatch.fixes
    assert_runnable_fixes(mismatch.fixes)


@pytest.mark.parametrize(("backend", "resize", "grayscale", "newaxis"), [
    ("tensorflow", "tf.image.resize(", "tf.image.rgb_to_grayscale(", "[tf.newaxis, ...]"),
    ("jax", "keras.ops.image.resize(", "keras.ops.image.rgb_to_grayscale(", "[None, ...]"),
    ("torch", "keras.ops.image.resize(", "keras.ops.image.rgb_to_grayscale(", "[None, ...]"),
])
def test_fixes_write_ops_for_the_backend_keras_runs_on(backend: str, resize: str, grayscale: str,
                                                        newaxis: str) -> None:
    assert resize in describe_mismatch((4, 256, 256, 3), (None, 128, 128, 3), backend=backend).fixes[0]
    assert grayscale in describe_mismatch((4, 28, 28, 3), (None, 28, 28, 1), backend=backend).fixes[0]
    one = describe_mismatch((256, 256, 3), (None, 128, 128, 3), backend=backend).fixes[0]
    assert resize in one and newaxis in one, one


def test_image_size_offers_a_resizing_layer_and_a_model_for_the_data_size() -> None:
    mismatch = describe_mismatch((4, 256, 256, 3), (None, 128, 128, 3))
    assert mismatch is not None
    text = "\n".join(mismatch.fixes)
    assert "keras.layers.Resizing(128, 128)" in text and "keras.Input(shape=(256, 256, 3))" in text


def test_sequences_of_another_length_put_the_variable_length_input_second_when_a_flatten_needs_the_length() -> None:
    free = describe_mismatch((2, 61, 215), (None, 973, 215))
    fixed = describe_mismatch((2, 61, 215), (None, 973, 215), fixed_length=True)
    assert free is not None and fixed is not None
    assert "shape=(None, 215)" in free.fixes[0] and "pad_sequences" in free.fixes[1]
    assert "pad_sequences" in fixed.fixes[0] and fixed.fixes[1].startswith("Or ")


def test_an_extra_axis_that_is_not_a_channel_axis_is_not_called_channels() -> None:
    mismatch = describe_mismatch((50, 28, 28), (None, 28))
    assert mismatch is not None and "channel" not in mismatch.sentence


# =========================================================================== data_verdict: what the evidence adds
def with_evidence(case: Case, **fields: Any) -> Context:
    """The case's context, with evidence the hand-built case does not carry (a statement, the namespace...)."""
    ctx, _, _ = context(case)
    return Context(dataclasses.replace(ctx.ev, **fields), ctx.table, ctx.family)


def flat_cnn(data_shape: tuple, phase: Phase = Phase.FIT) -> Case:
    return Case(ENSURE_NOT_EMPTY, [
        data(data_shape), inp("input_layer", (None, 28, 28, 1)),
        lay("conv2d", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 32)),
        lay("flatten", "Flatten", (None, 26, 26, 32), (None, 21632)),
        lay("dense", "Dense", (None, 21632), (None, 10)), target((480,)),
    ], phase=phase, failing=4)


def test_a_fix_that_transforms_the_training_data_transforms_the_validation_data_too() -> None:
    ctx = with_evidence(flat_cnn((480, 784)),
                        statement="cnn.fit(X_train, y, validation_data=(X_validate, y_validate), epochs=1)")
    verdict = data_verdict(ctx, 0, None, None)
    assert verdict is not None and verdict.offending == "x"
    assert "X_validate = X_validate.reshape(-1, 28, 28, 1)" in code_spans(verdict.fixes[0])


def test_failing_validation_data_is_named_in_the_cause_and_not_fixed_twice() -> None:
    case = Case(ENSURE_NOT_EMPTY, [data((2, 61, 215)), inp("lstm_input", (None, 973, 215)),
                                   lay("lstm", "LSTM", (None, 973, 215), (None, 973, 16))], phase=Phase.FIT)
    ctx = with_evidence(case, validation=True, statement="model.fit(a, b, validation_data=(c, d))")
    verdict = data_verdict(ctx, 0, None, None)
    assert verdict is not None
    assert verdict.cause.startswith("The validation data x (2, 61, 215)")
    assert "61 time steps" in verdict.cause
    assert "keras.Input(shape=(None, 215))" in code_spans(verdict.fixes[0])
    assert all("c = " not in fix for fix in verdict.fixes)


class Functional:
    """Stands in for a user's Keras model (a pretrained conv base): its module says keras."""

    def __init__(self, takes: tuple, gives: tuple) -> None:
        self.inputs = [KerasTensor(takes, None)]
        self.outputs = [KerasTensor(gives, None)]


Functional.__module__ = "keras.src.models.functional"


class Model(Functional):
    pass


Model.__module__ = "keras.src.models.model"


def classifier_on_features() -> Case:
    return Case(ENSURE_NOT_EMPTY, [data((4, 150, 150, 3)), inp("input_layer", (None, 8192)),
                                   lay("dense", "Dense", (None, 8192), (None, 256)), target((4,))],
                phase=Phase.EVALUATE)


def test_images_into_a_classifier_trained_on_extracted_features_extract_them_first() -> None:
    base = Model((None, 150, 150, 3), (None, 4, 4, 512))
    other = Model((None, 32, 32, 3), (None, 8192))  # takes other samples: not the extractor
    ctx = with_evidence(classifier_on_features(), namespace={"other": other, "conv_base": base})
    verdict = data_verdict(ctx, 0, None, None)
    assert verdict is not None and verdict.offending == "x" and verdict.suspect is None
    assert "conv_base turns such samples into (None, 4, 4, 512), 8192 values each" in verdict.cause
    assert code_spans(verdict.fixes[0]) == ["x_features = conv_base.predict(x).reshape(len(x), 8192)", "x_features"]
    assert_runnable_fixes(verdict.fixes)


def test_images_into_a_feature_classifier_without_an_extractor_blame_the_input() -> None:
    ctx = with_evidence(classifier_on_features(), namespace={"unrelated": Model((None, 10), (None, 3))})
    verdict = data_verdict(ctx, 0, None, None)
    assert verdict is not None and verdict.suspect == "input_layer"
    assert "keras.Input(shape=(150, 150, 3))" in code_spans(verdict.fixes[0])


class DatasetV2:
    """Stands in for what ``image_dataset_from_directory`` returns (it keeps the files and the classes)."""

    def __init__(self) -> None:
        self.file_paths = ["data/train/cats/1.jpg", "data/train/dogs/2.jpg"]
        self.class_names = ["cats", "dogs"]


DatasetV2.__module__ = "tensorflow.python.data.ops.dataset_ops"


def test_images_of_another_size_from_the_directory_loader_are_loaded_at_the_models_size() -> None:
    case = Case(ENSURE_NOT_EMPTY, [data((None, 256, 256, 3)), inp("input_layer", (None, 128, 128, 3)),
                                   lay("conv2d", "Conv2D", (None, 128, 128, 3), (None, 128, 128, 32))],
                phase=Phase.FIT)
    ctx = with_evidence(case, x=DatasetV2(), statement="model.fit(train_ds, validation_data=val_ds)")
    verdict = data_verdict(ctx, 0, None, None)
    assert verdict is not None
    assert "keras.utils.image_dataset_from_directory('data/train', image_size=(128, 128))" in \
        code_spans(verdict.fixes[0])
    assert all(fix.startswith("Or ") for fix in verdict.fixes[1:])
    mapped = next(fix for fix in verdict.fixes if ".map(" in fix)
    assert "val_ds = val_ds.map(lambda image, label: (tf.image.resize(image, (128, 128)), label))" in \
        code_spans(mapped)


# ================================================================ data_fault: a deep layer failed on bad data
def deep_failure(data_shape: tuple, input_shape: tuple = (None, 128, 128, 3), phase: Phase = Phase.FIT) -> Case:
    rows = [data(data_shape), inp("input_layer", input_shape),
            lay("conv2d", "Conv2D", input_shape, (None, 128, 128, 32)),
            lay("flatten", "Flatten", (None, 128, 128, 32), (None, 524288)),
            Row("dense_2", "layer", "Dense", input_shapes=((None, 2097152),)), target((8,))]
    return Case("Input 0 with name 'None' of layer 'dense_2' is incompatible with the layer: expected axis -1 of "
                "input shape to have value 524288, but received input with shape (None, 2097152)", rows,
                phase=phase, failing=4)


def test_a_deep_layer_failing_on_data_that_never_fitted_the_input_blames_the_data() -> None:
    ctx, _, _ = context(deep_failure((8, 256, 256, 3)))
    verdict = data_fault(ctx)
    assert verdict is not None and verdict.offending == "x"
    assert "The images are 256x256 but the model was built for 128x128." in verdict.cause
    assert "'dense_2' (Dense) failed on it further on" in verdict.cause
    assert "x = tf.image.resize(x, (128, 128))" in code_spans(verdict.fixes[0])


@pytest.mark.parametrize(("data_shape", "input_shape", "phase"), [
    pytest.param((8, 128, 128, 3), (None, 128, 128, 3), Phase.FIT, id="data-fits-the-input"),
    pytest.param((8, 128, 128), (None, 128, 128, 1), Phase.FIT, id="only-a-trailing-1-keras-adds"),
    pytest.param((8, 256, 256, 3), (8, 128, 128, 3), Phase.FIT, id="input-built-from-data"),
    pytest.param((8, 256, 256, 3), (None, 128, 128, 3), Phase.BUILD, id="not-at-run-time"),
])
def test_data_fault_leaves_the_layer_alone(data_shape: tuple, input_shape: tuple, phase: Phase) -> None:
    ctx, _, _ = context(deep_failure(data_shape, input_shape, phase))
    assert data_fault(ctx) is None


def test_data_fault_covers_a_model_called_directly_on_data() -> None:
    case = Case("Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape to have "
                "value 784, but received input with shape (1, 1568)", [
                    data((1, 28, 28, 2)), inp("flatten_input", (None, 28, 28)),
                    lay("flatten", "Flatten", (None, 28, 28), (None, 784)),
                    lay("dense", "Dense", (None, 784), (None, 128))], phase=Phase.LAYER_CALL, failing=3)
    ctx, _, _ = context(case)
    verdict = data_fault(ctx)
    assert verdict is not None and verdict.offending == "x"
    assert "'LA' mode" in verdict.cause
    assert code_spans(verdict.fixes[0])[0] == "x = x[..., 0]"


def test_a_layer_call_without_data_is_not_a_data_fault() -> None:
    case = Case("Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape to have "
                "value 784, but received input with shape (None, 1568)", [
                    inp("input_layer", (None, 28, 28, 2)), lay("flatten", "Flatten", (None, 28, 28, 2), (None, 1568)),
                    lay("dense", "Dense", (None, 1568), (None, 128))], phase=Phase.LAYER_CALL, failing=2)
    ctx, _, _ = context(case)
    assert data_fault(ctx) is None


def test_vectors_for_an_input_of_token_ids_blame_the_embedding_not_a_missing_flatten() -> None:
    rows = [data((4, 120, 1024)), inp("tokens", (None, 120)), lay("embed", "Embedding", (None, 120), (None, 120, 16)),
            lay("encoder", "LSTM", (None, 120, 16), (None, 32))]
    ctx, _, _ = context(Case("Invalid input shape", rows, Phase.FIT))
    verdict = data_verdict(ctx, 0, None, None)
    assert verdict is not None and verdict.offending == "x" and verdict.suspect == "embed"
    assert "holds vectors already" in verdict.cause
    assert "remove 'embed'" in verdict.fixes[0] and "`keras.Input(shape=(120, 1024))`" in verdict.fixes[0]


def test_one_extra_column_is_dropped_first_but_many_extra_features_rebuild_the_input_first() -> None:
    one = describe_mismatch((64, 17), (None, 16))
    assert "an extra column" in one.sentence and "`x = x[:, 1:]`" in one.fixes[0]
    many = describe_mismatch((64, 20), (None, 16))
    assert "extra columns (" not in many.sentence and "another set of columns" in many.sentence
    assert "`keras.Input(shape=(20,))`" in many.fixes[0] and "`x[:, :16]`" in many.fixes[1]
