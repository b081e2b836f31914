"""Rules of the loss, merge, size and user-code families, on hand-built tables (no Keras).

Each test rebuilds one class of mistake from the shapes Keras would have recorded and checks the
cause names where the offending size came from and that the FIRST fix is the concrete one that works.
"""

from __future__ import annotations

import types
from typing import Any

import pytest
from test_family_rules import Case, KerasTensor, data, inp, lay, live, loss, target

from keras_shapes_magic.diagnosis.context import Context, Verdict
from keras_shapes_magic.diagnosis.evidence import Evidence
from keras_shapes_magic.diagnosis.families import recognise, usercode
from keras_shapes_magic.diagnosis.rows import Table
from keras_shapes_magic.parse import parse
from keras_shapes_magic.records import ErrorFamily, Phase

pytestmark = pytest.mark.unit


def verdict_with(case: Case, namespace: dict[str, Any] | None = None,
                 frame_locals: dict[str, Any] | None = None) -> tuple[Context, Verdict]:
    """Like ``test_family_rules.verdict_of``, with the user's namespace and the failing call's locals."""
    table = Table()
    for i, row in enumerate(case.rows):
        table.add(row, case.layers.get(i))
    table.failing = case.failing
    table.model_output_rows = list(case.outputs)
    table.model_input_rows = list(case.inputs) if case.inputs is not None else table.indices("input")
    ev = Evidence(exception=ValueError(case.message), parsed=parse(case.message), frames=[], raised_in_keras=True,
                  flavour=case.flavour, phase=str(case.phase), y=case.y, model=case.model, backend=case.backend)
    ev.namespace = namespace or {}
    ev.layer_frame_locals = frame_locals or {}
    tensors = [KerasTensor(case.rows[i].output_shapes[0], case.layers[i]) for i in case.producers]
    ev.layer_inputs = tensors
    if namespace:
        for name, value in list(namespace.items()):
            if isinstance(value, int) and 0 <= value < len(tensors):  # an index stands for that input tensor
                namespace[name] = tensors[value]
    ev.seal()
    family, facts = recognise(ev.parsed.core, case.phase)
    ctx = Context(ev, table, family.name if family is not None else ErrorFamily.UNKNOWN)
    verdict = family.explain(ctx, facts) if family is not None else usercode.generic(ctx)  # as diagnose() does
    assert verdict is not None
    return ctx, verdict


def concat_message(*shapes: tuple) -> str:
    return ("A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
            f"Received: input_shape=[{', '.join(str(s) for s in shapes)}]")


# ---- merges
def test_concat_on_the_time_axis_with_other_features_projects_the_wider_branch() -> None:
    rows = [lay("max_pooling1d", "MaxPooling1D", (None, 128, 128), (None, 64, 128)),
            lay("embedding_1", "Embedding", (None, 140), (None, 140, 50)),
            lay("concatenate", "Concatenate", ins=((None, 64, 128), (None, 140, 50)))]
    layers = {0: live("max_pooling1d"), 1: live("embedding_1"), 2: live("concatenate", axis=1)}
    case = Case(concat_message((None, 64, 128), (None, 140, 50)), rows, failing=2, layers=layers, producers=(0, 1))
    _, verdict = verdict_with(case, {"max_time_pooling": 0, "word_embedding": 1})
    assert "128 vs 50" in verdict.cause
    assert verdict.fixes[0].endswith("`max_time_pooling = keras.layers.Dense(50)(max_time_pooling)`.")
    assert "keras.layers.GlobalMaxPooling1D()(word_embedding)" in verdict.fixes[1]


@pytest.mark.parametrize(("flavour", "code"), [("keras3", "keras.ops.expand_dims(scores, -1)"),
                                               ("tf_keras", "tf.expand_dims(scores, -1)")])
def test_concat_of_a_vector_with_a_matrix_adds_the_missing_axis(flavour: str, code: str) -> None:
    rows = [data((1024,), "a"), data((1024, 2), "b"), lay("concatenate", "Concatenate", ins=((1024,), (1024, 2)))]
    layers = {0: live("a"), 1: live("b")}
    case = Case(concat_message((1024,), (1024, 2)), rows, failing=2, layers=layers, producers=(0, 1), flavour=flavour)
    _, verdict = verdict_with(case, {"scores": 0, "coords": 1})
    assert "different ranks (1, 2)" in verdict.cause and "`scores` (1024,) lacks the last axis" in verdict.cause
    assert f"`scores = {code}`" in verdict.fixes[0] and "(1024, 1)" in verdict.fixes[0]


def test_concat_of_a_vector_without_a_variable_reshapes_the_named_input() -> None:
    rows = [lay("concatenate", "Concatenate", ins=((None, 8), (None, 8, 3)))]
    _, verdict = verdict_with(Case(concat_message((None, 8), (None, 8, 3)), rows, failing=0))
    assert "`keras.layers.Reshape((8, 1))`" in verdict.fixes[0] and verdict.fixes[1].startswith("Or flatten")


def test_concat_of_maps_crops_the_larger_skip_by_its_own_variable() -> None:
    """Valid convolutions: the skip is 8 pixels larger; crop it by 4 on each side (computed for this merge)."""
    rows = [lay("conv2d_transpose", "Conv2DTranspose", (None, 28, 28, 1024), (None, 56, 56, 512)),
            lay("activation_7", "Activation", (None, 64, 64, 512), (None, 64, 64, 512)),
            lay("concatenate", "Concatenate", ins=((None, 56, 56, 512), (None, 64, 64, 512)))]
    layers = {0: live("conv2d_transpose"), 1: live("activation_7"), 2: live("concatenate", axis=3)}
    case = Case(concat_message((None, 56, 56, 512), (None, 64, 64, 512)), rows, failing=2, layers=layers,
                producers=(0, 1))
    _, verdict = verdict_with(case, {"up6": 0, "conv4": 1})
    assert verdict.fixes[0] == ("Crop `conv4` to 56x56 before concatenating: "
                                "`conv4 = keras.layers.Cropping2D(((4, 4), (4, 4)))(conv4)`.")
    assert "activation_7)" not in " ".join(verdict.fixes)


def test_concat_one_pixel_off_pads_the_input_to_a_multiple_of_the_poolings() -> None:
    rows = [inp("img", (None, 358, 358, 1)),
            lay("pool1", "MaxPooling2D", (None, 358, 358, 8), (None, 179, 179, 8)),
            lay("pool2", "MaxPooling2D", (None, 179, 179, 16), (None, 89, 89, 16)),
            lay("pool3", "MaxPooling2D", (None, 89, 89, 32), (None, 44, 44, 32)),
            lay("up", "Conv2DTranspose", (None, 44, 44, 64), (None, 88, 88, 32)),
            lay("concatenate", "Concatenate", ins=((None, 88, 88, 32), (None, 89, 89, 32)))]
    _, verdict = verdict_with(Case(concat_message((None, 88, 88, 32), (None, 89, 89, 32)), rows, failing=5))
    first = verdict.fixes[0]
    assert "multiple of 8 (3 layers halve it" in first and "358x358 to 360x360" in first
    assert "`keras.layers.ZeroPadding2D(((1, 1), (1, 1)))`" in first
    assert any("`keras.layers.Cropping2D(((0, 1), (0, 1)))`" in fix for fix in verdict.fixes[1:])


# ---- losses
def autoencoder_rows(out: int, valid_kernel: int) -> tuple[list, dict]:
    rows = [data((2, 458, 690, 3)), inp("img", (None, 458, 690, 3)),
            lay("pool1", "MaxPooling2D", (None, 458, 690, 3), (None, 229, 345, 3)),
            lay("pool2", "MaxPooling2D", (None, 229, 345, 3), (None, 115, 173, 3)),
            lay("pool3", "MaxPooling2D", (None, 115, 173, 3), (None, 58, 87, 3)),
            lay("up", "UpSampling2D", (None, 58, 87, 3), (None, 464, 696, 3)),
            lay("conv_valid", "Conv2D", (None, 464, 696, 3), (None, out, out + 232, 3)),
            target((2, 458, 690, 3)), loss("binary_crossentropy", (2, 458, 690, 3), (None, out, out + 232, 3))]
    layers = {6: live("conv_valid", padding="valid", kernel_size=(valid_kernel, valid_kernel))}
    return rows, layers


@pytest.mark.parametrize(("out", "kernel", "first"), [
    (460, 5, "Crop the output to the targets' 458 x 690: `keras.layers.Cropping2D(((1, 1), (1, 1)))` as the last "
             "layer."),
    (455, 10, "Pad the output to the targets' 458 x 690: `keras.layers.ZeroPadding2D(((1, 2), (1, 2)))` as the last "
              "layer."),
])
def test_loss_maps_a_few_pixels_off_crop_or_pad_first_then_same_padding(out: int, kernel: int, first: str) -> None:
    rows, layers = autoencoder_rows(out, kernel)
    message = ("Arguments `target` and `output` must have the same shape. Received: target.shape=(2, 458, 690, 3), "
               f"output.shape=(2, {out}, {out + 232}, 3)")
    _, verdict = verdict_with(Case(message, rows, Phase.FIT, outputs=(6,), layers=layers))
    assert verdict.fixes[0] == first
    assert "`padding=\"same\"` on 'conv_valid'" in verdict.fixes[1]
    assert "multiple of 8 (3 poolings halve it)" in verdict.fixes[1] and "458x690 to 464x696" in verdict.fixes[1]


RANK_MESSAGE = ("Arguments `target` and `output` must have the same rank (ndim). Received: target.shape={}, "
                "output.shape={}")


def test_loss_per_token_output_without_pooling_pools_first() -> None:
    rows = [data((40,), "x", "EagerTensor string"), inp("text", (None, 1)),
            lay("text_vectorization", "TextVectorization", (None, 1), (None, 15)),
            lay("embedding_1", "Embedding", (None, 15), (None, 15, 128)),
            lay("dense", "Dense", (None, 15, 128), (None, 15, 1)), target((40,)),
            loss("binary_crossentropy", (None,), (None, 15, 1))]
    _, verdict = verdict_with(Case(RANK_MESSAGE.format("(None,)", "(None, 15, 1)"), rows, Phase.FIT, outputs=(4,)))
    assert verdict.suspect == "embedding_1" and "The 15 steps come from 'embedding_1'" in verdict.cause
    assert "layers ran over" not in verdict.cause  # fewer data axes than the Input is fine: Keras adds one
    assert verdict.fixes[0].startswith("Pool the steps") and "GlobalAveragePooling1D()" in verdict.fixes[0]


def test_loss_per_step_rnn_output_returns_the_last_step() -> None:
    rows = [data((32, 100)), inp("dense_input", (None, 100, 1)), lay("dense", "Dense", (None, 100, 1), (None, 100, 64)),
            lay("bidirectional", "Bidirectional", (None, 100, 64), (None, 100, 128)),
            lay("dense_2", "Dense", (None, 100, 128), (None, 100, 1)), target((32,)),
            loss("binary_crossentropy", (32,), (32, 100, 1))]
    layers = {3: live("bidirectional", return_sequences=True)}
    _, verdict = verdict_with(Case(RANK_MESSAGE.format("(32,)", "(32, 100, 1)"), rows, Phase.FIT, outputs=(4,),
                                   layers=layers))
    assert verdict.suspect == "bidirectional"
    assert verdict.fixes[0] == "Return only the last step: `return_sequences=False` on 'bidirectional'."


def test_loss_per_step_output_through_time_distributed_pools_instead_of_breaking_it() -> None:
    rows = [data((240, 50, 3)), inp("seq", (120, 50, 3)), lay("rnn", "SimpleRNN", (120, 50, 3), (120, 50, 16)),
            lay("td", "TimeDistributed", (120, 50, 16), (120, 50, 4)),
            lay("activation", "Activation", (120, 50, 4), (120, 50, 4)), target((240, 4)),
            loss("categorical_crossentropy", (120, 4), (120, 50, 4))]
    layers = {2: live("rnn", return_sequences=True),
              3: live("td", layer={"class_name": "Dense", "config": {"units": 4}})}
    _, verdict = verdict_with(Case(RANK_MESSAGE.format("(120, 4)", "(120, 50, 4)"), rows, Phase.FIT, outputs=(4,),
                                   layers=layers))
    assert verdict.fixes[0].startswith("Pool the steps") and "before 'activation'" in verdict.fixes[0]
    assert "return_sequences=False" in verdict.fixes[1] and "`keras.layers.Dense(4)` alone" in verdict.fixes[1]


def test_loss_per_step_output_after_a_local_pooling_makes_it_global() -> None:
    rows = [data((11, 40, 19)), inp("seq", (None, 40, 19)), lay("lstm", "LSTM", (None, 40, 19), (None, 40, 24)),
            lay("td", "TimeDistributed", (None, 40, 24), (None, 40, 1)),
            lay("average_pooling1d", "AveragePooling1D", (None, 40, 1), (None, 20, 1)),
            lay("dense_1", "Dense", (None, 20, 1), (None, 20, 2)), target((11, 2)),
            loss("categorical_crossentropy", (None, 2), (None, 20, 2))]
    layers = {2: live("lstm", return_sequences=True)}
    _, verdict = verdict_with(Case(RANK_MESSAGE.format("(None, 2)", "(None, 20, 2)"), rows, Phase.FIT, outputs=(5,),
                                   layers=layers))
    assert verdict.suspect == "average_pooling1d"
    assert verdict.fixes[0] == ("Pool over all the steps: replace 'average_pooling1d' with "
                                "`keras.layers.GlobalAveragePooling1D()`.")


def test_loss_targets_shaped_like_the_inputs_point_at_the_real_labels() -> None:
    rows = [data((6, 222, 222, 3)), inp("img", (None, 222, 222, 3)),
            lay("flatten", "Flatten", (None, 222, 222, 3), (None, 64)), lay("bbox", "Dense", (None, 64), (None, 4)),
            target((6, 222, 222, 3)), loss("mse", (6, 222, 222, 3), (None, 4))]
    message = ("Dimensions must be equal, but are 222 and 2 for '{{node compile_loss/mse/sub}} = Sub[T=DT_FLOAT]"
               "(data_1, functional_1/bbox_1/Sigmoid)' with input shapes: [2,222,222,3], [2,4].")
    boxes = [(0.1, 0.2, 0.3, 0.4)] * 6
    _, verdict = verdict_with(Case(message, rows, Phase.FIT, outputs=(3,)), {"output": boxes, "data": [0] * 6})
    assert "the images were passed as y" in verdict.cause and "4 values per sample" in verdict.cause
    assert verdict.fixes[0].startswith("Pass the 4 values per sample as the targets: `y = np.array(output)`")


def test_loss_targets_of_another_layout_reshape_them() -> None:
    rows = [data((16, 20)), inp("features", (None, 20)), lay("out", "Dense", (None, 20), (None, 4)), target((16, 2, 2)),
            loss("mean_squared_error", (16, 2, 2), (None, 4))]
    _, verdict = verdict_with(Case(RANK_MESSAGE.format("(16, 2, 2)", "(16, 4)"), rows, Phase.FIT, outputs=(2,)))
    assert verdict.fixes[0].endswith("`y = y.reshape((-1, 4))`.")


def test_loss_one_target_for_two_heads_of_the_same_shape_repeats_it() -> None:
    rows = [data((4, 8)), inp("img", (None, 8)), lay("predictions_1", "Dense", (None, 8), (None, 4)),
            lay("predictions_2", "Dense", (None, 8), (None, 4)), target((4, 4))]
    message = ("The path: (0,) in the `loss` argument, can't be found in either the model's output (`y_pred`) or in "
               "the labels (`y_true`).")
    ctx, verdict = verdict_with(Case(message, rows, Phase.FIT, outputs=(2, 3)))
    assert ctx.family == ErrorFamily.LOSS_STRUCTURE
    assert "2 outputs" in verdict.cause and "fits every output" in verdict.cause
    assert "`model.fit(x, [y, y])`" in verdict.fixes[0] and verdict.fixes[1].startswith("Or pass one target")


# ---- sizes
def test_nonpositive_conv_after_valid_blocks_counts_the_poolings_that_fit() -> None:
    sizes = [(28, 26), (26, 13), (13, 11), (11, 5), (5, 3), (3, 1)]
    rows = [inp("img", (None, 28, 28, 1))]
    layers = {}
    for i, (a, b) in enumerate(sizes):
        conv = i % 2 == 0
        rows.append(lay(f"{'conv' if conv else 'pool'}{i}", "Conv2D" if conv else "MaxPooling2D",
                        (None, a, a, 8), (None, b, b, 8)))
        layers[i + 1] = (live(f"conv{i}", padding="valid", kernel_size=(3, 3), strides=(1, 1)) if conv
                         else live(f"pool{i}", pool_size=(2, 2), strides=(2, 2)))
    rows.append(lay("conv_last", "Conv2D", (None, 1, 1, 8)))
    layers[len(rows) - 1] = live("conv_last", filters=128, kernel_size=(3, 3), padding="valid")
    message = ("Computed output size would be zero or negative. Received `inputs shape=(None, 1, 1, 8)`, `kernel "
               "shape=(3, 3, 8, 128)`, `dilation_rate=[1 1]`, `strides=(1, 1)`, `padding=valid`.")
    _, verdict = verdict_with(Case(message, rows, Phase.BUILD, failing=len(rows) - 1, layers=layers))
    first = verdict.fixes[0]
    assert "'conv0', 'conv2', 'conv4', 'conv_last'" in first and "gets 3x3" in first
    assert "allows 4 poolings in all (28 -> 14 -> 7 -> 3 -> 1)" in first
    assert "with no pooling after it" in verdict.fixes[1]


# ---- user code and TF ops
def test_stateful_rnn_fed_another_batch_size() -> None:
    rows = [inp("input_1", (1, 10, 3)), lay("lstm", "LSTM", (1, 10, 3), (1, 10, 10))]
    message = ("Graph execution error:\n\nTried to append a tensor with incompatible shape to a list. Op element "
               "shape: [32,10] list shape: [1,10]\n\t [[{{node while/TensorListPushBack_5}}]]\n\t "
               "[[sequential/lstm/PartitionedCall]]")
    _, verdict = verdict_with(Case(message, rows, Phase.FIT, layers={1: live("lstm", stateful=True)},
                                   flavour="tf_keras"))
    assert verdict.offending == "lstm" and verdict.suspect == "input_1"
    assert "fixed batch of 1" in verdict.cause and "batches of 32" in verdict.cause
    assert "`model.fit(x, y, batch_size=1)`" in verdict.fixes[0]


def test_stateful_rnn_fed_another_batch_size_in_keras3s_own_words() -> None:
    """The same mistake as Keras 3 words it on the PyTorch backend (its own check, batch sizes only)."""
    rows = [inp("input_layer", (1, 10, 3)), lay("lstm", "LSTM", (1, 10, 3), (1, 10, 10))]
    message = ("Exception encountered when calling LSTM.call().\n\n\x1b[1mIf an RNN is stateful, the batch size of "
               "the input sequences must be the same as the batch size of the initial state. \n- Expected batch "
               "size: 1\n- Received batch size: 32\x1b[0m\n\nArguments received by LSTM.call():\n  • sequences="
               "torch.Tensor(shape=torch.Size([32, 10, 3]), dtype=float32)")
    _, verdict = verdict_with(Case(message, rows, Phase.FIT, failing=1, layers={1: live("lstm", stateful=True)}))
    assert verdict.offending == "lstm" and verdict.suspect == "input_layer"
    assert "fixed batch of 1" in verdict.cause and "batches of 32" in verdict.cause
    assert "`model.fit(x, y, batch_size=1)`" in verdict.fixes[0]


def test_stateful_loop_message_without_a_stateful_layer_is_not_this_rule() -> None:
    rows = [inp("input_1", (None, 10, 3)), lay("lstm", "LSTM", (None, 10, 3), (None, 10, 10))]
    message = ("Input tensor `lstm/ReadVariableOp:0` enters the loop with shape (1, 10), but has shape (None, 10) "
               "after one iteration.")
    _, verdict = verdict_with(Case(message, rows, Phase.FIT, failing=1, layers={1: live("lstm", stateful=False)}))
    assert "stateful" not in verdict.cause


class Bidirectional:
    """Stands in for the encoder layer that produced the tensor passed as initial_state."""

    def __init__(self) -> None:
        self.name = "bidirectional"
        self._inbound_nodes = [object()]


Bidirectional.__module__ = "keras.src.layers.rnn.bidirectional"

INITIAL_STATE = ("An `initial_state` was passed that is not compatible with `cell.state_size`. Received `state_spec`="
                 "ListWrapper([InputSpec(shape=(None, 20, 128), ndim=3)]); however `cell.state_size` is [128, 128]")


@pytest.mark.parametrize("with_producer", [True, False])
def test_a_sequence_passed_as_initial_state_asks_for_return_state(with_producer: bool) -> None:
    rows = [inp("input_2", (None, 20)), lay("embedding_1", "Embedding", (None, 20), (None, 20, 64)),
            lay("lstm_1", "LSTM", (None, 20, 64))]
    locals_ = {"initial_state": [KerasTensor((None, 20, 128), Bidirectional())]} if with_producer else {}
    _, verdict = verdict_with(Case(INITIAL_STATE, rows, failing=2, flavour="tf_keras"), frame_locals=locals_)
    assert "2 state tensors ((None, 128), (None, 128))" in verdict.cause and "whole output sequence" in verdict.cause
    if with_producer:
        assert "'bidirectional' (Bidirectional)" in verdict.cause
        assert "keras.layers.LSTM(64, return_sequences=True, return_state=True)" in verdict.fixes[0]
        assert "keras.layers.Concatenate()([fh, bh])" in verdict.fixes[0]
    else:
        assert "`outputs, h, c = keras.layers.LSTM(128, return_sequences=True, return_state=True)(...)`" \
            in verdict.fixes[0]


def op_message(node: str, a: str, b: str) -> str:
    return (f"Graph execution error:\n\nDetected at node {node} defined at (most recent call last):\n\n"
            f"Incompatible shapes: {a} vs. {b}\n\t [[{{{{node {node}}}}}]] [Op:__inference_train_function_1]")


def test_custom_layer_weight_of_input_by_units_broadcast_against_the_batch() -> None:
    rows = [inp("input_layer", (None, 2)), lay("nmu", "NMU", (None, 2), (2,))]
    ctx, verdict = verdict_with(Case(op_message("sequential_1/nmu_1/mul", "[32,2]", "[2,2]"), rows, Phase.FIT,
                                     failing=1))
    assert ctx.family == ErrorFamily.OP_SHAPE
    assert "a weight (2, 2)" in verdict.cause and "meets the batch axis (32)" in verdict.cause
    assert "`tf.expand_dims(inputs, -1)`" in verdict.fixes[0] and "(32, 2, 2)" in verdict.fixes[0]
    _, on_jax = verdict_with(Case(op_message("sequential_1/nmu_1/mul", "[32,2]", "[2,2]"), rows, Phase.FIT,
                                  failing=1, backend="jax"))
    assert "`keras.ops.expand_dims(inputs, -1)`" in on_jax.fixes[0]  # TF's ops cannot take JAX's arrays


def test_custom_layer_weight_sized_from_the_wrong_axis_of_input_shape() -> None:
    rows = [inp("input_layer", (None, 10, 4)), lay("scale", "Scale", (None, 10, 4))]
    _, verdict = verdict_with(Case(op_message("model/scale/mul", "[32,10,4]", "[10]"), rows, Phase.FIT, failing=1))
    assert "sized from `input_shape[1]` (10)" in verdict.cause
    assert "`input_shape[-1]` (4) instead of `input_shape[1]`" in verdict.fixes[0]


def test_normalization_adapted_on_other_features_says_so_on_every_backend() -> None:
    """adapt() on 6 features, a model of 9: TF's Sub, JAX's broadcast and PyTorch's size message alike."""
    rows = [inp("feats", (None, 9)), lay("norm_l", "Normalization", (None, 9), (None, 9))]
    norm = live("norm_l", mean=types.SimpleNamespace(shape=(1, 6)))
    for message in ("Dimensions must be equal, but are 9 and 6 for '{{node functional_1/norm_l_1/Sub}} = "
                    "Sub[T=DT_FLOAT](data, functional_1/norm_l_1/Cast)' with input shapes: [16,9], [1,6].",
                    "sub got incompatible shapes for broadcasting: (16, 9), (1, 6).",
                    "The size of tensor a (9) must match the size of tensor b (6) at non-singleton dimension 1"):
        _, verdict = verdict_with(Case(message, rows, Phase.PREDICT, failing=1, layers={1: norm}),
                                  namespace={"norm_l": norm})
        assert "adapted on data with 6 features (its mean is (1, 6))" in verdict.cause, (message, verdict.cause)
        assert "`norm_l.adapt(x_train)`" in verdict.fixes[0] and "`keras.Input(shape=(6,))`" in verdict.fixes[1]


def test_an_elementwise_op_error_is_worded_as_broadcasting_not_as_a_product() -> None:
    rows = [inp("feats", (None, 12)), lay("scale", "MyScale", (None, 12))]
    _, verdict = verdict_with(Case("The size of tensor a (12) must match the size of tensor b (5) at non-singleton "
                                   "dimension 1", rows, Phase.LAYER_CALL, failing=1))
    assert "inner sizes" not in verdict.cause and "to broadcast" in verdict.cause, verdict.cause
