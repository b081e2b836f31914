"""Message strings in, structured facts out: no Keras, no IPython."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from keras_shapes_magic.diagnosis.families import recognise
from keras_shapes_magic.parse import ParsedMessage, format_shape, parse, parse_shape, strip_ansi, unwrap
from keras_shapes_magic.records import Phase

pytestmark = pytest.mark.unit


@dataclasses.dataclass
class Recognised:
    """The unwrapped message, the family that recognised it and that family's facts (as a dict)."""

    parsed: ParsedMessage
    family: str
    shapes: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.parsed, name)


def recognised(message: str) -> Recognised:
    parsed = parse(message)
    family, facts = recognise(parsed.core, Phase.UNKNOWN)
    return Recognised(parsed, str(family.name) if family else "unknown", dataclasses.asdict(facts))

K3_WRAPPED = (
    "Exception encountered when calling Reshape.call().\n\n"
    "\x1b[1mThe total size of the tensor must be unchanged. Received: input_shape=(64,), target_shape=(10, 10)\x1b[0m"
    "\n\nArguments received by Reshape.call():\n  • inputs=<KerasTensor shape=(None, 64), dtype=float32, "
    "sparse=False, ragged=False, name=keras_tensor_3>"
)
TFK_WRAPPED = (
    "Exception encountered when calling layer 'to_grid' (type Reshape).\n\n"
    "total size of new array must be unchanged, input_shape = [64], output_shape = [10, 10]\n\n"
    "Call arguments received by layer 'to_grid' (type Reshape):\n  • inputs=tf.Tensor(shape=(None, 64), dtype=float32)"
)
AUTOGRAPH = (
    "in user code:\n\n"
    '    File "/x/tf_keras/src/engine/training.py", line 1398, in train_function  *\n'
    "        return step_function(self, iterator)\n"
    '    File "/x/tf_keras/src/backend.py", line 5580, in categorical_crossentropy\n'
    "        target.shape.assert_is_compatible_with(output.shape)\n\n"
    "    ValueError: Shapes (50, 1) and (50, 5) are incompatible\n"
)


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("(None, 28, 28)", (None, 28, 28)),
        ("(64,)", (64,)),
        ("[?,1,1,8]", (None, 1, 1, 8)),
        ("[None 1 1 8]", (None, 1, 1, 8)),
        ("[16,8]", (16, 8)),
        ("()", ()),
        ("(a, b)", None),
        ("(dynamic_dimension, 8)", (None, 8)),  # JAX: a symbolic size is unknown, never a number
    ],
)
def test_parse_shape_reads_every_notation_keras_and_tf_use(text: str, shape: tuple | None) -> None:
    assert parse_shape(text) == shape


def test_format_shape_writes_keras_notation() -> None:
    assert format_shape((None, 28, 28, 1)) == "(None, 28, 28, 1)"
    assert format_shape((64,)) == "(64,)"
    assert format_shape(None) == "?"


def test_ansi_codes_are_stripped() -> None:
    assert strip_ansi("\x1b[1mbold\x1b[0m text") == "bold text"


def test_keras3_call_wrapper_is_removed_and_its_argument_shape_kept() -> None:
    parsed = recognised(K3_WRAPPED)
    assert parsed.family == "reshape_size"
    assert parsed.wrapper_class == "Reshape"
    assert parsed.shapes["input"] == (64,)
    assert parsed.shapes["target"] == (10, 10)
    assert parsed.call_argument_shapes == ((None, 64),)
    assert "\x1b" not in parsed.core and "\x1b" not in parsed.clean


def test_tf_keras_call_wrapper_names_the_layer_instance() -> None:
    parsed = recognised(TFK_WRAPPED)
    assert parsed.family == "reshape_size"
    assert parsed.wrapper_layer == "to_grid"
    assert parsed.shapes["input"] == (64,) and parsed.shapes["target"] == (10, 10)
    assert "to_grid" in parsed.quoted_names


def test_autograph_stack_is_cut_to_the_real_error() -> None:
    core, *_ = unwrap(AUTOGRAPH)
    assert core == "Shapes (50, 1) and (50, 5) are incompatible"
    parsed = recognised(AUTOGRAPH)
    assert parsed.family == "loss_shape_tfk"
    assert parsed.shapes["target"] == (50, 1) and parsed.shapes["output"] == (50, 5)


@pytest.mark.parametrize(
    ("message", "layer", "detail"),
    [
        ("Input 0 with name 'None' of layer 'conv1' is incompatible with the layer: expected min_ndim=4, "
         "found ndim=3. Full shape received: (None, 28, 28)", "conv1",
         {"check": "min_ndim", "expected_ndim": 4, "found_ndim": 3, "received": (None, 28, 28)}),
        ('Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2. '
         "Full shape received: (None, 16)", "lstm", {"check": "ndim", "expected_ndim": 3, "received": (None, 16)}),
        ("Input 0 with name 'None' of layer 'conv1' is incompatible with the layer: expected axis -1 of input shape "
         "to have value 3, but received input with shape (None, 3, 32, 32)", "conv1",
         {"check": "axis", "axis": -1, "expected_value": 3, "received": (None, 3, 32, 32)}),
        ('Input 0 of layer "cnn" is incompatible with the layer: expected shape=(None, 32, 32, 3), '
         "found shape=(8, 3, 32, 32)", "cnn",
         {"check": "shape", "expected": (None, 32, 32, 3), "received": (8, 3, 32, 32)}),
    ],
)
def test_input_spec_messages_of_both_flavours(message: str, layer: str, detail: dict) -> None:
    parsed = recognised(message)
    assert parsed.family == "input_spec"
    assert parsed.shapes["layer"] == layer
    for key, value in detail.items():
        assert parsed.shapes[key] == value


@pytest.mark.parametrize(
    ("message", "family", "expected"),
    [
        ("A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
         "Received: input_shape=[(None, 16, 16, 32), (None, 28, 28, 64)]", "merge_concat",
         {"inputs": ((None, 16, 16, 32), (None, 28, 28, 64))}),
        ("Inputs have incompatible shapes. Received shapes (32, 32, 3) and (32, 32, 32)", "merge_elementwise",
         {"a": (32, 32, 3), "b": (32, 32, 32)}),
        ("Incompatible input shapes: axis values 16 (at axis 1) != 32 (at axis 1). Full input shapes: (None, 16), "
         "(None, 32)", "merge_dot", {"va": 16, "vb": 32}),
        ("Invalid input shape for input Tensor(\"data:0\", shape=(50, 28, 28), dtype=float32) with name 'pixels' "
         "and path ''. Expected shape (None, 28), but input has incompatible shape (50, 28, 28)", "functional_input",
         {"input": "pixels", "expected": (None, 28), "received": (50, 28, 28)}),
        ("Layer \"two_inputs\" expects 2 named input(s) with keys ['img_feats', 'meta'], but it received 1 input "
         "tensors.", "input_count", {"layer": "two_inputs", "expected": 2, "received": 1}),
        ("Arguments `target` and `output` must have the same shape. Received: target.shape=(50, 1), "
         "output.shape=(50, 5)", "loss_shape", {"target": (50, 1), "output": (50, 5)}),
        ("Argument `output` must have rank (ndim) `target.ndim - 1`. Received: target.shape=(16, 10), "
         "output.shape=(16, 10)", "loss_rank", {"target": (16, 10), "output": (16, 10)}),
        ("`labels.shape` must equal `logits.shape` except for the last dimension. Received: labels.shape=(160,) and "
         "logits.shape=(16, 10)", "loss_sparse_tfk", {"target": (160,), "output": (16, 10)}),
        ("`logits` and `labels` must have the same shape, received ((16, 2) vs (16, 1)).", "loss_binary_tfk",
         {"output": (16, 2), "target": (16, 1)}),
        ("y_true and y_pred have different structures. y_true: * y_pred: ['*', '*']", "loss_structure", {}),
        ("Data cardinality is ambiguous. Make sure all arrays contain the same number of samples.'x' sizes: 28\n"
         "'y' sizes: 10\n", "cardinality", {"x_sizes": (28,), "y_sizes": (10,)}),
        ("Data cardinality is ambiguous:\n  x sizes: 28\n  y sizes: 10\nMake sure all arrays contain the same number "
         "of samples.", "cardinality", {"x_sizes": (28,), "y_sizes": (10,)}),
        ("Computed output size would be zero or negative. Received `inputs shape=(None, 5, 5, 1)`, `kernel "
         "shape=(7, 7, 1, 8)`, `dilation_rate=[1 1]`, `strides=(1, 1)`, `padding=valid`.", "nonpositive_output",
         {"input": (None, 5, 5, 1), "kernel": (7, 7, 1, 8)}),
        ("One of the dimensions in the output is <= 0 due to downsampling in conv_big. Consider increasing the input "
         "size. Received input shape [None, 5, 5, 1] which would produce output shape with a zero or negative value "
         "in a dimension.", "nonpositive_output", {"input": (None, 5, 5, 1), "layer": "conv_big"}),
        ("Kernel shape must have the same length as input, but received kernel of shape (3, 3, 3, 8) and input of "
         "shape (None, 32, 3).", "kernel_rank", {"kernel": (3, 3, 3, 8), "input": (None, 32, 3)}),
        ("Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with inputs.rank=2). Received: "
         "axis=(3,)", "bn_axis", {"rank": 2}),
        ("Dimensions must be equal, but are 8 and 10 for '{{node tiny_net_1/MatMul}} = MatMul[T=DT_FLOAT]"
         "(data, tiny_net_1/Cast/ReadVariableOp)' with input shapes: [16,8], [10,4].", "op_shape",
         {"a": 8, "b": 10, "inputs": ((16, 8), (10, 4))}),
        ("tuple index out of range", "index_error", {}),
    ],
)
def test_families_and_the_shapes_they_quote(message: str, family: str, expected: dict) -> None:
    parsed = recognised(message)
    assert parsed.family == family
    for key, value in expected.items():
        assert parsed.shapes[key] == value


def test_runtime_graph_error_keeps_the_node_path_and_the_label() -> None:
    message = (
        "Graph execution error:\n\nDetected at node compile_loss/sparse_categorical_crossentropy/"
        "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits defined at (most recent call last):"
        '\n  File "<cell>", line 17, in <module>\n\nReceived a label value of 9 which is outside the valid range of '
        "[0, 3).  Label values: 4 3 6 9\n\t [[{{node compile_loss/sparse_categorical_crossentropy/x}}]] "
        "[Op:__inference_multi_step_on_iterator_1]"
    )
    parsed = recognised(message)
    assert parsed.family == "label_range"
    assert parsed.shapes["value"] == 9 and parsed.shapes["classes"] == 3
    assert parsed.node_path.startswith("compile_loss/sparse_categorical_crossentropy")


def test_a_plain_user_message_is_not_a_keras_family() -> None:
    assert recognised("bad shape config: expected 3 things").family == "unknown"
    assert recognised("division by zero").family == "unknown"


def test_pytorch_sizes_are_read_as_shapes() -> None:
    from keras_shapes_magic.parse import parse

    parsed = parse("Arguments `target` and `output` must have the same shape. Received: "
                   "target.shape=torch.Size([50, 1]), output.shape=torch.Size([50, 5])")
    assert "target.shape=(50, 1), output.shape=(50, 5)" in parsed.core
