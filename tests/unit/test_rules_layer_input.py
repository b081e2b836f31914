"""A layer's input check (InputSpec: rank / shape / axis size) on hand-built tables: the rules of ``inputs.py``.

Each test rebuilds one class of mistake the way ``tests/unit/test_family_rules.py`` does (its helpers are
imported), and checks that the first fix is concrete code with the real sizes, never a placeholder.
Where a rule reads the failing statement, the user's namespace or the frames, the evidence is built here
with those fields. No Keras: the stand-ins for layers and models are tiny classes whose module says
``keras``, so the duck typing of ``keras_objects`` accepts them.
"""

from __future__ import annotations

import types
from typing import Any

import pytest

from keras_shapes_magic.diagnosis.context import Context, Verdict
from keras_shapes_magic.diagnosis.evidence import Evidence
from keras_shapes_magic.diagnosis.families import recognise
from keras_shapes_magic.diagnosis.rows import Table
from keras_shapes_magic.parse import parse
from keras_shapes_magic.records import ErrorFamily, Phase
from tests.unit.test_family_rules import (
    Case,
    KerasTensor,
    data,
    fixes_text,
    inp,
    lay,
    live,
    offending,
    suspect,
    target,
    verdict_of,
)

pytestmark = pytest.mark.unit

PLACEHOLDERS = ("timesteps", "features))", "(...)", "Reshape(...)")


def keras_class(name: str, *bases: type) -> type:
    """A class that Keras could have defined (its module says so): ``keras_objects`` trusts and recognises it."""
    cls = type(name, bases or (object,), {})
    cls.__module__ = "keras.src.layers"
    return cls


Layer = keras_class("Layer")
Model = keras_class("Model", Layer)
Sequential = keras_class("Sequential", Model)
LSTM = keras_class("LSTM", Layer)
Dense = keras_class("Dense", Layer)


def make(cls: type, **attrs: Any) -> Any:
    obj = cls()
    obj.__dict__.update(attrs)
    return obj


def context_with(case: Case, **evidence: Any) -> tuple[Context, Any, Any]:
    """As ``test_family_rules.context``, with more of the evidence: statement, namespace, frames, names."""
    table = Table()
    for i, row in enumerate(case.rows):
        table.add(row, case.layers.get(i))
    table.failing = case.failing
    table.model_input_rows = list(case.inputs) if case.inputs is not None else table.indices("input")
    ev = Evidence(exception=ValueError(case.message), parsed=parse(case.message), frames=evidence.pop("frames", []),
                  raised_in_keras=True, flavour=case.flavour, phase=str(case.phase), model=case.model, **evidence)
    ev.seal()
    family, facts = recognise(ev.parsed.core, case.phase)
    return Context(ev, table, family.name if family is not None else ErrorFamily.UNKNOWN), family, facts


def verdict_with(case: Case, **evidence: Any) -> tuple[Context, Verdict]:
    ctx, family, facts = context_with(case, **evidence)
    assert family is not None
    verdict = family.explain(ctx, facts)
    assert verdict is not None
    return ctx, verdict


def first_fix(verdict: Verdict) -> str:
    assert verdict.fixes, "no fix"
    fix = verdict.fixes[0]
    assert not fix.startswith("Or"), fix
    assert not any(p in fix for p in PLACEHOLDERS), fix
    return fix


def ndim_message(layer: str, expected: int, found: int, shape: str, kind: str = "ndim") -> str:
    return (f"Input 0 of layer \"{layer}\" is incompatible with the layer: expected {kind}={expected}, found "
            f"ndim={found}. Full shape received: {shape}")


# ---------------------------------------------------------------- a 2-D tensor into a sequence layer
def test_dense_then_conv1d_reshapes_the_dense_output_with_its_real_size() -> None:
    rows = [inp("inputs", (None, 7200)), lay("dense1", "Dense", (None, 7200), (None, 64)),
            lay("conv1", "Conv1D", (None, 64))]
    ctx, verdict = verdict_of(Case(ndim_message("conv1", 3, 2, "(None, 64)", "min_ndim"), rows, Phase.LAYER_CALL,
                                   failing=2))
    assert offending(ctx, verdict) == "conv1" and suspect(ctx, verdict) == "dense1"
    assert "`keras.layers.Reshape((64, 1))`" in first_fix(verdict)
    assert "no time axis" in verdict.cause


def bidirectional(name: str, units: int) -> Any:
    return make(keras_class("Bidirectional", Layer), name=name, _inbound_nodes=[object()],
                forward_layer=make(LSTM, name=f"forward_{name}", units=units))


def concat_of_last_steps(steps: tuple[int, int]) -> Case:
    left, right = bidirectional("bidirectional", 128), bidirectional("bidirectional_1", 128)
    concat = make(keras_class("Concatenate", Layer), name="concatenate",
                  _inbound_nodes=[types.SimpleNamespace(keras_inputs=[KerasTensor((None, 256), left),
                                                                      KerasTensor((None, 256), right)])])
    rows = [inp("main_input", (None, steps[0], 32)), lay("bidirectional", "Bidirectional", (None, steps[0], 32),
                                                         (None, 256)),
            inp("sentiment_input", (None, steps[1], 32)), lay("bidirectional_1", "Bidirectional",
                                                              (None, steps[1], 32), (None, 256)),
            lay("concatenate", "Concatenate", ins=((None, 256), (None, 256)), out=(None, 512)),
            lay("conv1d", "Conv1D", (None, 512))]
    return Case(ndim_message("conv1d", 3, 2, "(None, 512)", "min_ndim"), rows, Phase.LAYER_CALL, failing=5,
                layers={1: left, 3: right, 4: concat})


def test_concat_of_recurrent_last_steps_asks_for_return_sequences_in_the_users_own_layer() -> None:
    ctx, verdict = verdict_of(concat_of_last_steps((350, 230)))
    assert offending(ctx, verdict) == "conv1d" and suspect(ctx, verdict) == "concatenate"
    assert "return_sequences=False" in verdict.cause
    fix = first_fix(verdict)
    assert "`keras.layers.Bidirectional(keras.layers.LSTM(128, return_sequences=True))`" in fix
    assert "`keras.layers.Concatenate(axis=1)`" in fix and "230 vs 350" in fix  # the sequences differ in length
    assert "`keras.layers.Reshape((512, 1))`" in fixes_text(verdict)


def test_concat_of_equally_long_sequences_keeps_the_feature_axis() -> None:
    _, verdict = verdict_of(concat_of_last_steps((100, 100)))
    assert "axis=1" not in first_fix(verdict)


def test_flatten_before_lstm_becomes_a_reshape_of_rows_into_steps() -> None:
    rows = [inp("grid", (None, 10, 10, 1)), lay("conv2d", "Conv2D", (None, 10, 10, 1), (None, 10, 10, 32)),
            lay("flatten", "Flatten", (None, 10, 10, 32), (None, 3200)), lay("lstm", "LSTM", (None, 3200))]
    ctx, verdict = verdict_of(Case(ndim_message("lstm", 3, 2, "(None, 3200)"), rows, Phase.MODEL_ADD, failing=3))
    assert suspect(ctx, verdict) == "flatten"
    assert "`keras.layers.Reshape((10, 320))`" in first_fix(verdict)


# ---------------------------------------------------------------- the declared input has an axis too few / many
def test_first_layer_input_shape_without_time_axis_tf_keras() -> None:
    """tf_keras ``Sequential.add``: no Input row, the first layer's own input_shape reaches it."""
    case = Case(ndim_message("lstm", 3, 2, "(None, 15)"), [lay("lstm", "LSTM", (None, 15))], Phase.MODEL_ADD,
                failing=0, flavour="tf_keras")
    ctx, verdict = verdict_with(case, statement="model.add(LSTM(300, input_shape=x_train.shape[1:]))")
    assert offending(ctx, verdict) == "lstm"
    assert "declares no time axis" in verdict.cause
    fix = first_fix(verdict)
    assert "`input_shape=(15, 1)`" in fix and "`x_train = x_train.reshape(-1, 15, 1)`" in fix


def test_first_conv1d_input_shape_without_channel_axis() -> None:
    case = Case(ndim_message("conv1d", 3, 2, "(None, 1886)", "min_ndim"), [lay("conv1d", "Conv1D", (None, 1886))],
                Phase.MODEL_ADD, failing=0, flavour="tf_keras")
    _, verdict = verdict_of(case)
    assert "channel" in verdict.cause
    assert "`input_shape=(1886, 1)`" in first_fix(verdict)


def test_first_layer_input_shape_including_the_batch() -> None:
    case = Case(ndim_message("lstm", 3, 4, "(None, 1, 6, 30)"), [lay("lstm", "LSTM", (None, 1, 6, 30))],
                Phase.MODEL_ADD, failing=0, flavour="tf_keras")
    _, verdict = verdict_of(case)
    assert "batch" in verdict.cause and "4-D" in verdict.cause
    assert "`input_shape=(6, 30)`" in first_fix(verdict)


def test_input_shape_from_the_whole_array_shape_also_fits_the_kernel_to_the_frames() -> None:
    layer = live("conv_lstm2d", kernel_size=(5, 1), padding="valid")
    case = Case(ndim_message("conv_lstm2d", 5, 6, "(None, 668, 677, 1, 1, 676)"),
                [lay("conv_lstm2d", "ConvLSTM2D", (None, 668, 677, 1, 1, 676))], Phase.MODEL_ADD, failing=0,
                layers={0: layer}, flavour="tf_keras")
    _, verdict = verdict_with(case, statement="model.add(ConvLSTM2D(16, input_shape=x_train.shape, "
                                              "kernel_size=(5, 1)))")
    assert "668" in verdict.cause and "batch / number of samples" in verdict.cause
    fix = first_fix(verdict)
    assert "`input_shape=x_train.shape[1:]`" in fix and "`input_shape=(677, 1, 1, 676)`" in fix
    assert "`kernel_size=(1, 1)`" in fix


def test_a_kernel_that_fits_adds_no_kernel_note() -> None:
    layer = live("conv_lstm2d", kernel_size=(3, 3), padding="valid")
    case = Case(ndim_message("conv_lstm2d", 5, 6, "(None, 8, 10, 32, 32, 3)"),
                [lay("conv_lstm2d", "ConvLSTM2D", (None, 8, 10, 32, 32, 3))], Phase.MODEL_ADD, failing=0,
                layers={0: layer}, flavour="tf_keras")
    _, verdict = verdict_of(case)
    assert "`input_shape=(10, 32, 32, 3)`" in first_fix(verdict) and "kernel_size" not in first_fix(verdict)


# ---------------------------------------------------------------- the number of samples declared as a size
def test_row_count_declared_as_the_feature_size_at_model_add() -> None:
    case = Case(ndim_message("lstm", 3, 2, "(None, 200)"), [inp("input_layer", (None, 200)),
                                                             lay("lstm", "LSTM", (None, 200))],
                Phase.MODEL_ADD, failing=1)
    ctx, verdict = verdict_with(case, statement="model.add(LSTM(50, input_dim=len(X), return_sequences=True))",
                                namespace={"X": types.SimpleNamespace(shape=(200, 21))})
    assert suspect(ctx, verdict) == "input_layer"
    assert "number of rows" in verdict.cause and "len(X)" in verdict.cause
    fix = first_fix(verdict)
    assert "`input_shape=(1, 21)`" in fix and "`X = np.asarray(X).reshape(-1, 1, 21)`" in fix
    assert "(200, 1)" not in fixes_text(verdict)


def test_row_count_declared_as_the_feature_size_at_fit_after_a_validation_split() -> None:
    rows = [data((190, 21)), inp("lstm_input", (None, None, 200)), lay("lstm", "LSTM", (None, 21)),
            target((190,))]
    case = Case(ndim_message("lstm", 3, 2, "(None, 21)"), rows, Phase.FIT, failing=2, flavour="tf_keras")
    ctx, verdict = verdict_with(case, statement="model.fit(X, Y, validation_split=0.05)",
                                variable_names={"x": "X", "y": "Y"},
                                namespace={"X": types.SimpleNamespace(shape=(200, 21))})
    assert suspect(ctx, verdict) == "lstm_input" and "number of rows" in verdict.cause
    assert "`X = np.asarray(X).reshape(-1, 1, 21)`" in first_fix(verdict)


def test_a_size_equal_to_a_sample_dimension_is_not_taken_for_the_row_count() -> None:
    case = Case(ndim_message("lstm", 3, 2, "(None, 20)"), [inp("input_layer", (None, 20)),
                                                            lay("lstm", "LSTM", (None, 20))],
                Phase.MODEL_ADD, failing=1)
    _, verdict = verdict_with(case, statement="model.add(LSTM(8, input_dim=len(X[0])))",
                              namespace={"X": types.SimpleNamespace(shape=(20, 20))})
    assert "number of rows" not in verdict.cause and "`input_shape=(20, 1)`" in first_fix(verdict)


# ---------------------------------------------------------------- declared with input_dim, fit on other data
def test_input_dim_is_the_number_of_steps_of_the_data() -> None:
    rows = [data((89, 10, 1)), inp("lstm_input", (None, None, 10)), lay("lstm", "LSTM", (None, 10, 1), None),
            target((89,))]
    case = Case('Input 0 of layer "lstm" is incompatible with the layer: expected shape=(None, None, 10), found '
                "shape=(None, 10, 1)", rows, Phase.FIT, failing=2, flavour="tf_keras",
                model=make(Sequential, name="sequential"))
    ctx, verdict = verdict_of(case)
    assert offending(ctx, verdict) == "lstm" and suspect(ctx, verdict) == "lstm_input"
    assert "input_dim=10" in verdict.cause and "time steps" in verdict.cause
    assert "`input_shape=(10, 1)`" in first_fix(verdict)


# ---------------------------------------------------------------- single frames for a model of sequences
def frames_rows() -> list:
    return [data((16, 64, 64, 3)), inp("clip", (None, 10, 64, 64, 3)),
            lay("time_distributed", "TimeDistributed", (None, 10, 64, 64, 3), (None, 10, 30, 30, 32)),
            lay("lstm", "LSTM", (None, 10, 7200), (None, 64)), target((16, 2))]


@pytest.mark.parametrize("message,flavour", [
    ('Input 0 of layer "sequential" is incompatible with the layer: expected shape=(None, 10, 64, 64, 3), found '
     "shape=(8, 64, 64, 3)", "tf_keras"),
    ("Invalid input shape for input Tensor(\"data:0\", shape=(8, 64, 64, 3), dtype=float32) with name 'clip' and "
     "path ''. Expected shape (None, 10, 64, 64, 3), but input has incompatible shape (8, 64, 64, 3)", "keras3"),
])
def test_single_frames_for_a_model_of_clips_lack_the_time_axis(message: str, flavour: str) -> None:
    case = Case(message, frames_rows(), Phase.FIT, model=live("sequential"), flavour=flavour)
    ctx, verdict = verdict_of(case)
    assert offending(ctx, verdict) == "x" and suspect(ctx, verdict) == "time_distributed"
    assert "no time axis" in verdict.cause and "10 frames" in verdict.cause
    assert "includes the batch size" not in verdict.cause
    # 16 frames: one clip of 10, six left over, so the reshape takes the first 10 (a bare reshape would raise)
    assert "`x = x[:10].reshape(-1, 10, 64, 64, 3)`" in first_fix(verdict) and "`y = y[:10:10]`" in first_fix(verdict)


def test_a_multiple_of_the_clip_length_is_grouped_whole() -> None:
    rows = frames_rows()
    rows[0] = data((20, 64, 64, 3))
    case = Case("Input 0 of layer \"sequential\" is incompatible with the layer: expected shape=(None, 10, 64, 64, 3), "
                "found shape=(20, 64, 64, 3)", rows, Phase.FIT, model=live("sequential"), flavour="tf_keras")
    _, verdict = verdict_of(case)
    assert "`x = x.reshape(-1, 10, 64, 64, 3)`" in first_fix(verdict) and "`y = y[::10]`" in first_fix(verdict)


def test_an_input_read_by_a_dense_is_not_a_sequence_of_frames() -> None:
    rows = [data((16, 64)), inp("vec", (None, 10, 64)), lay("dense", "Dense", (None, 10, 64), (None, 10, 8))]
    case = Case('Input 0 of layer "model" is incompatible with the layer: expected shape=(None, 10, 64), found '
                "shape=(16, 64)", rows, Phase.FIT, model=live("model"), flavour="tf_keras")
    _, verdict = verdict_of(case)
    assert "no time axis" not in verdict.cause


# ---------------------------------------------------------------- a model used as a layer, fed another size
def test_inner_dense_of_a_nested_model_names_the_image_sizes() -> None:
    dense = make(Dense, name="dense", _inbound_nodes=[])
    discriminator = make(Sequential, name="sequential", built=False, _layers=[dense],
                         inputs=[KerasTensor((None, 96, 96, 3), None)])
    rows = [inp("input_1", (None, 100)), lay("sequential_1", "Sequential", (None, 100), (None, 128, 128, 3)),
            lay("dense", "Dense", (None, 36992))]
    case = Case('Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have '
                "value 21632, but received input with shape (None, 36992)", rows, Phase.LAYER_CALL, failing=2,
                layers={2: dense}, flavour="tf_keras")
    frames = [(types.SimpleNamespace(f_locals={"self": discriminator}), 1),
              (types.SimpleNamespace(f_locals={"self": dense}), 2)]
    ctx, verdict = verdict_with(case, frames=frames)
    assert offending(ctx, verdict) == "sequential" and suspect(ctx, verdict) == "sequential_1"
    assert "128x128" in verdict.cause and "96x96" in verdict.cause and "21632" in verdict.cause
    assert "`keras.layers.Resizing(96, 96)`" in first_fix(verdict)
    assert "`input_shape=(128, 128, 3)`" in fixes_text(verdict)
    assert ctx.table.rows[2].name == "sequential" and "'dense' raised" in ctx.table.rows[2].note


def test_an_inner_dense_outside_any_nested_model_keeps_the_generic_rule() -> None:
    rows = [inp("in", (None, 10)), lay("body", "Dense", (None, 10), (None, 32)), lay("head", "Dense", (None, 32))]
    ctx, verdict = verdict_of(Case('Input 0 of layer "head" is incompatible with the layer: expected axis -1 of '
                                   "input shape to have value 64, but received input with shape (None, 32)", rows,
                                   Phase.LAYER_CALL, failing=2))
    assert offending(ctx, verdict) == "head" and "built for 64 features" in fixes_text(verdict)


def test_time_distributed_on_an_input_without_time_axis_declares_the_frames_axis() -> None:
    """tf_keras reports what the inner Conv2D got, one step: (None, 32, 3) from an Input of (None, 32, 32, 3)."""
    wrapper = live("td_conv", layer=make(keras_class("Conv2D", Layer), name="conv2d"))
    rows = [inp("frames", (None, 32, 32, 3)), lay("td_conv", "TimeDistributed", (None, 32, 32, 3))]
    case = Case(ndim_message("td_conv", 4, 3, "(None, 32, 3)", "min_ndim"), rows, Phase.LAYER_CALL, failing=1,
                layers={1: wrapper}, flavour="tf_keras")
    ctx, verdict = verdict_of(case)
    assert suspect(ctx, verdict) == "frames" and "no time axis" in verdict.cause and "Conv2D" in verdict.cause
    assert "`keras.Input(shape=(None, 32, 32, 3))`" in first_fix(verdict)
    assert "(32, 32, 3, 1)" not in fixes_text(verdict)  # what the wrapper reports is not the declared shape


# ---------------------------------------------------------------- vectors through an Embedding
def test_vectors_through_an_embedding_blame_the_data_and_the_embedding() -> None:
    rows = [data((4, 120, 1024)), inp("input_1", (None, 120)), lay("embedding", "Embedding", (None, 120),
                                                                      (None, 120, 16)),
            lay("bidirectional", "Bidirectional", (4, 120, 1024, 16)), target((4, 120))]
    case = Case(ndim_message("bidirectional", 3, 4, "(4, 120, 1024, 16)"), rows, Phase.FIT, failing=3,
                flavour="tf_keras")
    ctx, verdict = verdict_of(case)
    assert offending(ctx, verdict) == "x" and suspect(ctx, verdict) == "embedding"
    assert "vectors already" in verdict.cause and "1024" in verdict.cause
    fix = first_fix(verdict)
    assert "remove 'embedding'" in fix and "`keras.Input(shape=(120, 1024))`" in fix and "Flatten" not in fix


# ---------------------------------------------------------------- a model called on another model's output
GAN_MESSAGE = ("Input 0 with name 'input_layer' of layer 'functional_13' is incompatible with the layer: expected "
               "shape=(None, 96, 96, 3), found shape=(None, 128, 128, 3)")


def gan_rows() -> list:
    return [inp("input_layer_2", (None, 100)), lay("sequential_1", "Sequential", (None, 100), (None, 128, 128, 3)),
            lay("sequential", "Sequential", (None, 128, 128, 3))]


def test_a_model_called_on_a_tensor_of_another_size_is_fixed_with_a_layer_not_numpy() -> None:
    """r18: a GAN whose generator makes 128x128 images for a 96x96 discriminator, wired symbolically."""
    case = Case(GAN_MESSAGE, gan_rows(), Phase.LAYER_CALL, failing=2)
    ctx, verdict = verdict_with(case, statement="validity = discriminator(generated_image)")
    assert offending(ctx, verdict) == "sequential" and suspect(ctx, verdict) == "sequential_1"
    first = first_fix(verdict)
    assert "`generated_image = keras.layers.Resizing(96, 96)(generated_image)` before calling discriminator" in first
    assert "'sequential_1' output (None, 96, 96, 3)" in verdict.fixes[1]
    assert "np." not in fixes_text(verdict) and "tf.image" not in fixes_text(verdict)


def test_the_same_sizes_on_data_keep_the_data_fixes() -> None:
    rows = [data((4, 128, 128, 3)), inp("input_layer", (None, 96, 96, 3)),
            lay("conv", "Conv2D", (None, 96, 96, 3), (None, 94, 94, 8))]
    case = Case(GAN_MESSAGE.replace("(None, 128, 128, 3)", "(4, 128, 128, 3)"), rows, Phase.PREDICT, failing=2)
    _, verdict = verdict_with(case, statement="model.predict(images)")
    assert "Resizing(96, 96)(" not in first_fix(verdict)


# ---------------------------------------------------------------- a Conv1D on an Input the user declared 1-D
def conv1d_case() -> Case:
    rows = [inp("in_c", (None, 100)), lay("conv_c", "Conv1D", (None, 100)), lay("gap_c", "GlobalAveragePooling1D")]
    return Case("Input 0 with name 'None' of layer 'conv_c' is incompatible with the layer: expected min_ndim=3, "
                "found ndim=2. Full shape received: (None, 100)", rows, Phase.BUILD, failing=1,
                model=make(Sequential, name="mc"))


def test_an_input_the_user_wrote_is_fixed_there_and_the_data_is_named() -> None:
    """c03 of the adversarial pass: ``keras.Input(shape=(100,))`` then Conv1D; the data is the notebook's ``xc``."""
    xc = types.SimpleNamespace(shape=(32, 100))  # stand-in; only a real ndarray is named
    statement = "mc = keras.Sequential([keras.Input(shape=(100,), name='in_c'), layers.Conv1D(16, 5)])"
    _, verdict = verdict_with(conv1d_case(), statement=statement, namespace={"xc": xc})
    assert "`keras.Input(shape=(100, 1))`" in first_fix(verdict) and "input_shape=" not in first_fix(verdict)
    assert "`x = x.reshape(-1, 100, 1)`" in first_fix(verdict)  # a stand-in is never read as the user's array
    _, declared = verdict_with(conv1d_case(), statement="mc.add(layers.Conv1D(16, 5, input_shape=(100,)))")
    assert "`input_shape=(100, 1)` on 'conv_c'" in first_fix(declared)


def test_the_users_array_names_the_data_in_the_fix() -> None:
    numpy = pytest.importorskip("numpy")  # numpy is no framework: the unit lane may import it
    _, verdict = verdict_with(conv1d_case(), statement="mc = keras.Sequential([keras.Input(shape=(100,))])",
                              namespace={"xc": numpy.zeros((32, 100)), "yc": numpy.zeros((32,))})
    assert "`xc = xc.reshape(-1, 100, 1)`" in first_fix(verdict)
