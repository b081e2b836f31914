"""The diagnosis rules on hand-built tables: every family's patterns, facts, explain() and golden text.

No Keras here. A failure is rebuilt from what the families read: an :class:`Evidence` holding the
parsed message and the phase, and a :class:`Table` of :class:`Row` objects written by hand (the
data ``x``, the model's Input, the layers, the target ``y``, the loss). Where a rule reads a live
layer (``ctx.config``, ``ctx.producers``), a ``SimpleNamespace`` stands in for it, and a tiny class
that calls itself a KerasTensor (by its ``__module__``, nothing is imported) stands in for the tensors
a merge layer received.

Golden texts live in ``tests/unit/golden/<family>.txt``; a missing one fails unless
``KSM_REGEN_GOLDEN=1`` is set, which (re)writes them all. Read a regenerated golden before keeping it.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from keras_shapes_magic.diagnosis import _finalize_rows, _in_user_terms, _summary
from keras_shapes_magic.diagnosis.context import Context, Verdict
from keras_shapes_magic.diagnosis.evidence import Evidence
from keras_shapes_magic.diagnosis.families import FAMILIES, named, recognise
from keras_shapes_magic.diagnosis.families.base import NoFacts
from keras_shapes_magic.diagnosis.rows import Table
from keras_shapes_magic.parse import parse
from keras_shapes_magic.records import ErrorFamily, Fix, Kind, Phase, Row, ShapeReport, Status

pytestmark = pytest.mark.unit

GOLDEN = Path(__file__).parent / "golden"


# --------------------------------------------------------------------------- rows, written by hand
def data(shape: tuple, name: str = "x", type_: str = "ndarray float32") -> Row:
    return Row(name, Kind.DATA, type_, output_shapes=(shape,))


def inp(name: str, shape: tuple) -> Row:
    return Row(name, Kind.INPUT, "InputLayer", output_shapes=(shape,))


def lay(name: str, type_: str, in_: tuple | None = None, out: tuple | None = None, ins: tuple = ()) -> Row:
    """A layer row: ``in_`` one input shape (or ``ins`` several), ``out`` its output shape."""
    inputs = ins or ((in_,) if in_ is not None else ())
    return Row(name, Kind.LAYER, type_, input_shapes=inputs, output_shapes=(out,) if out is not None else ())


def target(shape: tuple, name: str = "y") -> Row:
    return Row(name, Kind.TARGET, "ndarray int64", input_shapes=(shape,))


def loss(name: str, *shapes: tuple) -> Row:
    return Row(name, Kind.LOSS, name, input_shapes=shapes)


class KerasTensor:
    """Stands in for a symbolic tensor: its class's module says ``keras``, so duck typing accepts it."""

    def __init__(self, shape: tuple, producer: Any) -> None:
        self.shape = shape
        self._keras_history = (producer, 0, 0)


KerasTensor.__module__ = "keras.src.backend.common.keras_tensor"


def live(name: str, **config: Any) -> Any:
    """A stand-in for a live layer: its name, one inbound node, and the config values a rule reads."""
    return types.SimpleNamespace(name=name, _inbound_nodes=[object()], **config)


# --------------------------------------------------------------------------- a failure, rebuilt
@dataclass
class Case:
    """One failure: the message, the table, and what the evidence would have said about it."""

    message: str
    rows: list[Row]
    phase: Phase = Phase.LAYER_CALL
    failing: int | None = None
    outputs: tuple[int, ...] = ()
    inputs: tuple[int, ...] | None = None
    #: row index -> stand-in live layer
    layers: dict[int, Any] = field(default_factory=dict)
    #: row indices of the layers whose outputs reached the failing layer, in order
    producers: tuple[int, ...] = ()
    y: Any = None
    model: Any = None
    flavour: str = "keras3"
    exception_type: str = "ValueError"
    backend: str = "tensorflow"


def context(case: Case) -> tuple[Context, Any, Any]:
    """``(ctx, family, facts)`` for a case, recognised the way ``diagnose()`` does it."""
    table = Table()
    for i, row in enumerate(case.rows):
        table.add(row, case.layers.get(i))
    table.failing = case.failing
    table.model_output_rows = list(case.outputs)
    table.model_input_rows = list(case.inputs) if case.inputs is not None else table.indices("input")
    ev = Evidence(exception=ValueError(case.message), parsed=parse(case.message), frames=[], raised_in_keras=True,
                  flavour=case.flavour, phase=str(case.phase), y=case.y, model=case.model, backend=case.backend)
    ev.layer_inputs = [KerasTensor(case.rows[i].output_shapes[0], case.layers[i]) for i in case.producers]
    ev.seal()  # as collect() returns it: a family that writes to the evidence fails here
    family, facts = recognise(ev.parsed.core, case.phase)
    return Context(ev, table, family.name if family is not None else ErrorFamily.UNKNOWN), family, facts


def explain(case: Case) -> tuple[Context, Verdict | None]:
    ctx, family, facts = context(case)
    assert family is not None, f"no family recognised {case.message!r}"
    return ctx, family.explain(ctx, facts)


def verdict_of(case: Case) -> tuple[Context, Verdict]:
    ctx, verdict = explain(case)
    assert verdict is not None, "the rule found nothing to explain"
    return ctx, verdict


def offending(ctx: Context, verdict: Verdict) -> str:
    return verdict.offending


def by_position(ctx: Context, named: dict) -> dict:
    """A verdict's name-keyed marks / received shapes, keyed by row position (for short assertions)."""
    position = {row.name: i for i, row in enumerate(ctx.table.rows)}
    return {position[name]: value for name, value in named.items()}


def suspect(ctx: Context, verdict: Verdict) -> str | None:
    return verdict.suspect


def fixes_text(verdict: Verdict) -> str:
    return "\n".join(verdict.fixes)


# --------------------------------------------------------------------------- real messages
def k3_wrapped(core: str, cls: str) -> str:
    """Keras 3's layer-call wrapper (class name, ANSI bold, arguments block)."""
    return (f"Exception encountered when calling {cls}.call().\n\n\x1b[1m{core}\x1b[0m\n\n"
            f"Arguments received by {cls}.call():\n  • inputs=<KerasTensor shape=(None, 64), dtype=float32, "
            "sparse=False, ragged=False, name=keras_tensor_3>")


def tfk_wrapped(core: str, name: str, cls: str) -> str:
    """tf_keras's layer-call wrapper (instance name, no ANSI)."""
    return (f'Exception encountered when calling layer "{name}" (type {cls}).\n\n{core}\n\n'
            f'Call arguments received by layer "{name}" (type {cls}):\n  • inputs=tf.Tensor(shape=(None, 64), '
            "dtype=float32)")


def autograph(core: str) -> str:
    """tf_keras inside fit(): autograph's ``in user code:`` stack before the real error."""
    return ("in user code:\n\n"
            '    File "/x/tf_keras/src/engine/training.py", line 1398, in train_function  *\n'
            "        return step_function(self, iterator)\n"
            '    File "/x/tf_keras/src/engine/training.py", line 1381, in step_function  **\n'
            "        outputs = model.distribute_strategy.run(run_step, args=(data,))\n\n"
            f"    ValueError: {core}\n")


LOSS_OP_MSE = ("Dimensions must be equal, but are 32 and 3 for '{{node compile_loss/mse/sub}} = Sub[T=DT_FLOAT]"
               "(data_1, sequential_1/dense_1/BiasAdd)' with input shapes: [32], [32,3].")
LABEL_RANGE = ("Graph execution error:\n\nDetected at node compile_loss/sparse_categorical_crossentropy/"
               "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits defined at (most recent "
               'call last):\n  File "<cell>", line 17, in <module>\n\nReceived a label value of 9 which is outside '
               "the valid range of [0, 3).  Label values: 4 3 6 9\n\t [[{{node compile_loss/"
               "sparse_categorical_crossentropy/x}}]] [Op:__inference_multi_step_on_iterator_1]")
INFERENCE = ("Could not automatically infer the output shape / dtype of 'my_dense' (of type MyDense). Either the "
             "`MyDense.call()` method is incorrect, or you need to implement the `MyDense.compute_output_spec() / "
             "compute_output_shape()` method. Error encountered:\n\nDimensions must be equal, but are 12 and 4 for "
             "'{{node MatMul}} = MatMul[T=DT_FLOAT, grad_a=false, grad_b=false, transpose_a=false, transpose_b=false]"
             "(Placeholder, MatMul/ReadVariableOp)' with input shapes: [?,12], [4,12].")
OP_MATMUL = ("Dimensions must be equal, but are 8 and 10 for '{{node tiny_net_1/MatMul}} = MatMul[T=DT_FLOAT, "
             "grad_a=false, grad_b=false, transpose_a=false, transpose_b=false](data, tiny_net_1/Cast/ReadVariableOp)' "
             "with input shapes: [16,8], [10,4].")
POOL_K3 = ("Computed output size would be zero or negative. Received: `inputs.shape=[None 1 1 8]`, `pool_size=[2 2]`, "
           "`strides=(2, 2)`, `padding=valid`.")
POOL_TFK = ("Negative dimension size caused by subtracting 2 from 1 for '{{node pool5/MaxPool}} = MaxPool[T=DT_FLOAT, "
            'data_format="NHWC", explicit_paddings=[], ksize=[1, 2, 2, 1], padding="VALID", strides=[1, 2, 2, 1]]'
            "(Placeholder)' with input shapes: [?,1,1,8].")
CONV_K3 = ("Computed output size would be zero or negative. Received `inputs shape=(None, 5, 5, 1)`, `kernel "
           "shape=(7, 7, 1, 8)`, `dilation_rate=[1 1]`, `strides=(1, 1)`, `padding=valid`.")
CONV_TFK = ("One of the dimensions in the output is <= 0 due to downsampling in conv_big. Consider increasing the "
            "input size. Received input shape [None, 5, 5, 1] which would produce output shape with a zero or "
            "negative value in a dimension.")

#: (id, flavour, message, family, facts that must be read from it)
MESSAGES: list[tuple[str, str, str, ErrorFamily, dict[str, Any]]] = [
    ("lstm-ndim-k3", "keras3", "Input 0 with name 'None' of layer 'lstm' is incompatible with the layer: expected "
     "ndim=3, found ndim=2. Full shape received: (None, 20)", ErrorFamily.INPUT_SPEC,
     {"index": 0, "layer": "lstm", "check": "ndim", "expected_ndim": 3, "found_ndim": 2, "received": (None, 20)}),
    ("lstm-ndim-tfk", "tf_keras", 'Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found '
     "ndim=2. Full shape received: (None, 20)", ErrorFamily.INPUT_SPEC,
     {"layer": "lstm", "check": "ndim", "expected_ndim": 3, "found_ndim": 2, "received": (None, 20)}),
    ("conv-min-ndim-k3", "keras3", "Input 0 with name 'None' of layer 'conv1' is incompatible with the layer: "
     "expected min_ndim=4, found ndim=3. Full shape received: (None, 28, 28)", ErrorFamily.INPUT_SPEC,
     {"layer": "conv1", "check": "min_ndim", "expected_ndim": 4, "found_ndim": 3, "received": (None, 28, 28)}),
    ("max-ndim-tfk", "tf_keras", 'Input 1 of layer "emb" is incompatible with the layer: expected max_ndim=3, found '
     "ndim=4. Full shape received: (None, 2, 3, 4)", ErrorFamily.INPUT_SPEC,
     {"index": 1, "layer": "emb", "check": "max_ndim", "expected_ndim": 3, "found_ndim": 4}),
    ("axis-k3", "keras3", "Input 0 with name 'None' of layer 'conv1' is incompatible with the layer: expected axis -1 "
     "of input shape to have value 3, but received input with shape (8, 3, 32, 32)", ErrorFamily.INPUT_SPEC,
     {"check": "axis", "axis": -1, "expected_value": 3, "received": (8, 3, 32, 32)}),
    ("shape-tfk", "tf_keras", 'Input 0 of layer "cnn" is incompatible with the layer: expected shape=(None, 32, 32, '
     "3), found shape=(8, 3, 32, 32)", ErrorFamily.INPUT_SPEC,
     {"layer": "cnn", "check": "shape", "expected": (None, 32, 32, 3), "received": (8, 3, 32, 32)}),
    ("functional-input-k3", "keras3", "Invalid input shape for input Tensor(\"data:0\", shape=(50, 28, 28), "
     "dtype=float32) with name 'pixels' and path ''. Expected shape (None, 28), but input has incompatible shape "
     "(50, 28, 28)", ErrorFamily.FUNCTIONAL_INPUT,
     {"input": "pixels", "expected": (None, 28), "received": (50, 28, 28)}),
    ("missing-key-k3", "keras3", "Missing data for input \"body\". You passed a data dictionary with keys ['title']. "
     "Expected the following keys: ['title', 'body']", ErrorFamily.MISSING_KEY, {"input": "body", "keys": "['title']"}),
    ("input-count-k3", "keras3", "Layer \"two_inputs\" expects 2 named input(s) with keys ['img_feats', 'meta'], but "
     "it received 1 input tensors. Pass inputs as a dict, e.g. `layer({'img_feats': ..., 'meta': ...})`.",
     ErrorFamily.INPUT_COUNT, {"layer": "two_inputs", "expected": 2, "received": 1}),
    ("input-count-tfk", "tf_keras", "Layer \"two_inputs\" expects 2 input(s), but it received 1 input tensors. Inputs "
     "received: [<tf.Tensor 'IteratorGetNext:0' shape=(16, 16) dtype=float32>]", ErrorFamily.INPUT_COUNT,
     {"layer": "two_inputs", "expected": 2, "received": 1}),
    ("cardinality-k3", "keras3", "Data cardinality is ambiguous. Make sure all arrays contain the same number of "
     "samples.'x' sizes: 28\n'y' sizes: 10\n", ErrorFamily.CARDINALITY, {"x_sizes": (28,), "y_sizes": (10,)}),
    ("cardinality-tfk", "tf_keras", "Data cardinality is ambiguous:\n  x sizes: 100, 100\n  y sizes: 90\nMake sure all "
     "arrays contain the same number of samples.", ErrorFamily.CARDINALITY, {"x_sizes": (100, 100), "y_sizes": (90,)}),
    ("loss-rank-k3", "keras3", "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
     "target.shape=(16,), output.shape=(16, 26, 26, 10)", ErrorFamily.LOSS_RANK,
     {"target": (16,), "output": (16, 26, 26, 10)}),
    ("loss-shape-k3", "keras3", "Arguments `target` and `output` must have the same shape. Received: "
     "target.shape=(50, 1), output.shape=(50, 5)", ErrorFamily.LOSS_SHAPE, {"target": (50, 1), "output": (50, 5)}),
    ("loss-same-rank-k3", "keras3", "Arguments `target` and `output` must have the same rank (ndim). Received: "
     "target.shape=(16,), output.shape=(16, 2)", ErrorFamily.LOSS_SHAPE, {"target": (16,), "output": (16, 2)}),
    ("loss-sparse-tfk", "tf_keras", "`labels.shape` must equal `logits.shape` except for the last dimension. "
     "Received: labels.shape=(160,) and logits.shape=(16, 10)", ErrorFamily.LOSS_SPARSE_TFK,
     {"target": (160,), "output": (16, 10)}),
    ("loss-binary-tfk", "tf_keras", "`logits` and `labels` must have the same shape, received ((16, 2) vs (16, 1)).",
     ErrorFamily.LOSS_BINARY_TFK, {"output": (16, 2), "target": (16, 1)}),
    ("loss-first-dim-tfk", "tf_keras", "logits and labels must have the same first dimension, got logits shape "
     "[1400,10] and labels shape [50]", ErrorFamily.LOSS_FIRST_DIM, {"output": (1400, 10), "target": (50,)}),
    ("loss-shape-tfk", "tf_keras", "Shapes (None, 1) and (None, 5) are incompatible", ErrorFamily.LOSS_SHAPE_TFK,
     {"target": (None, 1), "output": (None, 5)}),
    ("loss-op-dims-k3", "keras3", LOSS_OP_MSE, ErrorFamily.LOSS_OP, {"operands": ((32,), (32, 3))}),
    ("loss-op-incompatible-tfk", "tf_keras", "Incompatible shapes: [32,3] vs. [32]\n\t [[{{node "
     "mean_squared_error/SquaredDifference}}]] [Op:__inference_train_function_1]", ErrorFamily.LOSS_OP,
     {"operands": ((32, 3), (32,))}),
    ("loss-structure-k3", "keras3", "y_true and y_pred have different structures. y_true: * y_pred: ['*', '*'] ",
     ErrorFamily.LOSS_STRUCTURE, {}),
    ("label-range-k3", "keras3", LABEL_RANGE, ErrorFamily.LABEL_RANGE, {"value": 9, "classes": 3}),
    ("label-range-negative", "tf_keras", "Received a label value of -1 which is outside the valid range of [0, 10).  "
     "Label values: 3 -1", ErrorFamily.LABEL_RANGE, {"value": -1, "classes": 10}),
    ("concat-k3", "keras3", "A `Concatenate` layer requires inputs with matching shapes except for the concatenation "
     "axis. Received: input_shape=[(None, 16, 16, 32), (None, 28, 28, 64)]", ErrorFamily.MERGE_CONCAT,
     {"inputs": ((None, 16, 16, 32), (None, 28, 28, 64))}),
    ("concat-three-tfk", "tf_keras", "A `Concatenate` layer requires inputs with matching shapes except for the "
     "concatenation axis. Received: input_shape=[(None, 8, 4), (None, 8, 4), (None, 9, 4)]", ErrorFamily.MERGE_CONCAT,
     {"inputs": ((None, 8, 4), (None, 8, 4), (None, 9, 4))}),
    ("concat-too-few-k3", "keras3", "A `Concatenate` layer should be called on a list of at least 1 input. Received: "
     "input_shape=(None, 3)", ErrorFamily.MERGE_CONCAT, {"inputs": ()}),
    ("add-k3", "keras3", "Inputs have incompatible shapes. Received shapes (32, 32, 3) and (32, 32, 32)",
     ErrorFamily.MERGE_ELEMENTWISE, {"a": (32, 32, 3), "b": (32, 32, 32)}),
    ("multiply-tfk", "tf_keras", "Inputs have incompatible shapes. Received shapes (64,) and (32,)",
     ErrorFamily.MERGE_ELEMENTWISE, {"a": (64,), "b": (32,)}),
    ("dot-k3", "keras3", "Incompatible input shapes: axis values 16 (at axis 1) != 32 (at axis 1). Full input "
     "shapes: (None, 16), (None, 32)", ErrorFamily.MERGE_DOT, {"va": 16, "aa": 1, "vb": 32, "ab": 1}),
    ("dot-old-tfk", "tf_keras", "Dimension incompatibility: axis values 16 (at axis 2) != 8 (at axis 1). Full input "
     "shapes: (None, 4, 16), (None, 8, 5)", ErrorFamily.MERGE_DOT, {"va": 16, "aa": 2, "vb": 8, "ab": 1}),
    ("reshape-k3", "keras3", "The total size of the tensor must be unchanged. Received: input_shape=(64,), "
     "target_shape=(10, 10)", ErrorFamily.RESHAPE_SIZE, {"input": (64,), "target": (10, 10)}),
    ("reshape-tfk", "tf_keras", "total size of new array must be unchanged, input_shape = [10816], output_shape = "
     "[7, 7, 16]", ErrorFamily.RESHAPE_SIZE, {"input": (10816,), "target": (7, 7, 16)}),
    ("conv-size-k3", "keras3", CONV_K3, ErrorFamily.NONPOSITIVE_OUTPUT,
     {"input": (None, 5, 5, 1), "kernel": (7, 7, 1, 8), "pool": None, "layer": ""}),
    ("conv-size-tfk", "tf_keras", CONV_TFK, ErrorFamily.NONPOSITIVE_OUTPUT,
     {"input": (None, 5, 5, 1), "kernel": None, "layer": "conv_big"}),
    ("pool-size-k3", "keras3", POOL_K3, ErrorFamily.NONPOSITIVE_OUTPUT, {"input": (None, 1, 1, 8), "pool": (2, 2)}),
    ("pool-size-tfk", "tf_keras", POOL_TFK, ErrorFamily.NONPOSITIVE_OUTPUT, {"input": (None, 1, 1, 8), "layer": ""}),
    ("kernel-rank-k3", "keras3", "Kernel shape must have the same length as input, but received kernel of shape "
     "(3, 3, 3, 8) and input of shape (None, 32, 3).", ErrorFamily.KERNEL_RANK,
     {"kernel": (3, 3, 3, 8), "input": (None, 32, 3)}),
    ("bn-axis-tfk", "tf_keras", "Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with "
     "inputs.rank=2). Received: axis=(3,)", ErrorFamily.BN_AXIS, {"rank": 2, "axis": "(3,)"}),
    ("inference-k3", "keras3", INFERENCE, ErrorFamily.OUTPUT_INFERENCE, {"layer": "my_dense", "cls": "MyDense"}),
    ("op-matmul-k3", "keras3", OP_MATMUL, ErrorFamily.OP_SHAPE,
     {"a": 8, "b": 10, "node": "tiny_net_1/MatMul", "inputs": ((16, 8), (10, 4))}),
    ("op-matrix-size", "keras3", "Matrix size-incompatible: In[0]: [16,8], In[1]: [10,4] [Op:MatMul] name: ",
     ErrorFamily.OP_SHAPE, {"inputs": ((16, 8), (10, 4))}),
    ("op-incompatible", "tf_keras", "Incompatible shapes: [16,8] vs. [16,4] [Op:AddV2] name: ", ErrorFamily.OP_SHAPE,
     {"inputs": ((16, 8), (16, 4))}),
    ("index-error-k3", "keras3", "tuple index out of range", ErrorFamily.INDEX_ERROR, {}),
]
MSG = {item[0]: item[2] for item in MESSAGES}
WRAPPER_CLASS = {ErrorFamily.INPUT_SPEC: "Sequential", ErrorFamily.RESHAPE_SIZE: "Reshape"}


def _ids(items: list[tuple]) -> list[str]:
    return [item[0] for item in items]


def assert_typed(facts: Any) -> None:
    """Every fact has the type its dataclass declares: ints are ints, shapes are tuples of ints / None."""
    for item in dataclasses.fields(facts):
        value = getattr(facts, item.name)
        kind = str(item.type)
        if value is None:
            assert "None" in kind, f"{item.name} is None but declared {kind}"
        elif kind.startswith("tuple[Shape"):
            assert isinstance(value, tuple) and all(isinstance(s, tuple) for s in value), item.name
            assert all(d is None or type(d) is int for s in value for d in s), item.name
        elif kind.startswith("Shape") or kind.startswith("tuple[int"):
            assert isinstance(value, tuple), f"{item.name}={value!r} is not a tuple"
            assert all(d is None or type(d) is int for d in value), item.name
        elif kind.startswith("int"):
            assert type(value) is int, f"{item.name}={value!r} is not an int"
        elif kind == "str":
            assert isinstance(value, str), item.name


# =========================================================================== 1. recognise()
@pytest.mark.parametrize(("id_", "flavour", "message", "family", "facts"), MESSAGES, ids=_ids(MESSAGES))
def test_recognise_reads_the_family_and_its_facts(id_: str, flavour: str, message: str, family: ErrorFamily,
                                                  facts: dict[str, Any]) -> None:
    found, read = recognise(parse(message).core, Phase.UNKNOWN)
    assert found is not None and found.name == family
    for key, value in facts.items():
        assert getattr(read, key) == value, key
    assert_typed(read)


@pytest.mark.parametrize(("id_", "flavour", "message", "family", "facts"), MESSAGES, ids=_ids(MESSAGES))
def test_recognise_sees_through_the_layer_call_wrapper(id_: str, flavour: str, message: str, family: ErrorFamily,
                                                       facts: dict[str, Any]) -> None:
    cls = WRAPPER_CLASS.get(family, "MyLayer")
    wrapped = k3_wrapped(message, cls) if flavour == "keras3" else tfk_wrapped(message, "my_layer", cls)
    parsed = parse(wrapped)
    assert "\x1b" not in parsed.core and "Exception encountered" not in parsed.core
    found, read = recognise(parsed.core, Phase.UNKNOWN)
    assert found is not None and found.name == family
    for key, value in facts.items():
        assert getattr(read, key) == value, key


TFK_MESSAGES = [m for m in MESSAGES if m[1] == "tf_keras" and "\n" not in m[2]]


@pytest.mark.parametrize(("id_", "flavour", "message", "family", "facts"), TFK_MESSAGES, ids=_ids(TFK_MESSAGES))
def test_recognise_sees_through_autograph(id_: str, flavour: str, message: str, family: ErrorFamily,
                                          facts: dict[str, Any]) -> None:
    parsed = parse(tfk_wrapped(autograph(message), "mlp", "Sequential"))
    assert parsed.core.startswith(message.strip()[:40])
    found, read = recognise(parsed.core, Phase.UNKNOWN)
    assert found is not None and found.name == family
    for key, value in facts.items():
        assert getattr(read, key) == value, key


@pytest.mark.parametrize(("message", "family"), [
    pytest.param(LOSS_OP_MSE, ErrorFamily.LOSS_OP, id="loss-graph-op-is-loss-op"),
    pytest.param(LOSS_OP_MSE.replace("compile_loss/mse/sub", "tiny_net_1/sub"), ErrorFamily.OP_SHAPE,
                 id="same-op-in-a-layer-is-op-shape"),
    pytest.param("Incompatible shapes: [32,3] vs. [32]\n\t [[{{node compile_loss/mean_squared_error/sub}}]]",
                 ErrorFamily.LOSS_OP, id="incompatible-in-loss-is-loss-op"),
    pytest.param("Incompatible shapes: [32,3] vs. [32]\n\t [[{{node residual/add}}]]", ErrorFamily.OP_SHAPE,
                 id="incompatible-in-layer-is-op-shape"),
    pytest.param(POOL_TFK, ErrorFamily.NONPOSITIVE_OUTPUT, id="negative-dimension-before-op-shape"),
    pytest.param(INFERENCE, ErrorFamily.OUTPUT_INFERENCE, id="inference-wins-over-the-op-it-quotes"),
    pytest.param("Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 of input shape to have "
                 "value 8, but received input with shape (None, 4). Shapes (None, 1) and (None, 5) are incompatible",
                 ErrorFamily.INPUT_SPEC, id="input-spec-before-loss"),
])
def test_recognise_asks_families_in_order(message: str, family: ErrorFamily) -> None:
    found, _ = recognise(parse(message).core, Phase.FIT)
    assert found is not None and found.name == family


@pytest.mark.parametrize("message", [
    "division by zero",
    "",
    "bad shape config: expected 3 things",
    "could not convert string to float: 'abc'",
    "Input 0 is bad",
    "my layer raised: tuple index out of range",
    "tuple index out of range, and then some",
    "'NoneType' object has no attribute 'shape'",
])
def test_recognise_leaves_other_text_alone(message: str) -> None:
    found, facts = recognise(parse(message).core, Phase.LAYER_CALL)
    assert found is None
    assert isinstance(facts, NoFacts)


@pytest.mark.parametrize(("phase", "family"), [
    (Phase.LOSS_CALL, ErrorFamily.LOSS_CALL),
    (Phase.OPTIMIZER_STEP, ErrorFamily.OPTIMIZER_STEP),
])
def test_the_phase_decides_custom_training_loop_families(phase: Phase, family: ErrorFamily) -> None:
    message = "Arguments `target` and `output` must have the same shape. Received: target.shape=(32, 10), " \
              "output.shape=(32, 5)"
    found, facts = recognise(parse(message).core, phase)
    assert found is not None and found.name == family
    assert isinstance(facts, NoFacts)
    assert recognise("anything at all", phase)[0].name == family


def test_other_phases_do_not_decide_a_family() -> None:
    for phase in Phase:
        if phase not in (Phase.LOSS_CALL, Phase.OPTIMIZER_STEP):
            assert recognise("division by zero", phase)[0] is None, phase


def test_every_error_family_is_registered_once() -> None:
    names = [family.name for family in FAMILIES]
    assert len(names) == len(set(names))
    assert set(names) == set(ErrorFamily) - {ErrorFamily.UNKNOWN}
    for name in names:
        assert named(name).name == name


def test_families_are_decided_either_by_phase_or_by_pattern() -> None:
    for family in FAMILIES:
        assert bool(family.phases) != bool(family.patterns), family.name
        if family.phases:
            assert family.match("Arguments `target` and `output` must have the same shape.") is None


def test_phase_decided_families_come_first() -> None:
    decided = [i for i, family in enumerate(FAMILIES) if family.phases]
    assert decided == list(range(len(decided)))


def test_family_match_returns_none_when_no_pattern_matches() -> None:
    assert named(ErrorFamily.MERGE_DOT).match("Inputs have incompatible shapes. Received shapes (1,) and (2,)") is None
    assert named(ErrorFamily.MERGE_ELEMENTWISE).match("Inputs have incompatible shapes. Received shapes (1,) and (2,)")


def test_input_spec_keeps_a_layer_name_with_spaces_and_the_input_index() -> None:
    facts = named(ErrorFamily.INPUT_SPEC).match(
        "Input 2 of layer \"my block 1\" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape "
        "received: (None, 5)")
    assert facts.index == 2 and facts.layer == "my block 1" and facts.received == (None, 5)


# =========================================================================== 2. explain() per family
# ---- inputs
def stacked_lstm(live_first: bool = True) -> Case:
    rows = [inp("seq", (None, 20, 4)), lay("lstm1", "LSTM", (None, 20, 4), (None, 32)),
            lay("lstm2", "LSTM", (None, 32))]
    return Case("Input 0 with name 'None' of layer 'lstm2' is incompatible with the layer: expected ndim=3, found "
                "ndim=2. Full shape received: (None, 32)", rows, Phase.BUILD, failing=2,
                layers={1: live("lstm1", return_sequences=False, units=32)} if live_first else {})


def test_input_spec_stacked_lstm_blames_the_first_lstm() -> None:
    ctx, verdict = verdict_of(stacked_lstm())
    assert offending(ctx, verdict) == "lstm2" and suspect(ctx, verdict) == "lstm1"
    assert "3-D" in verdict.cause and "(None, 32)" in verdict.cause and "return_sequences=False" in verdict.cause
    assert "`keras.layers.LSTM(32, return_sequences=True)`" in fixes_text(verdict)
    assert by_position(ctx, verdict.received) == {2: ((None, 32),)}
    assert by_position(ctx, verdict.marks)[2] == (((0, 1),), ())


def test_input_spec_stacked_lstm_without_the_live_layer_still_points_upstream() -> None:
    ctx, verdict = verdict_of(stacked_lstm(live_first=False))
    assert suspect(ctx, verdict) == "lstm1"
    assert "'lstm1' returns only the last step" in verdict.cause  # a 2-D output says return_sequences=False
    assert "`keras.layers.Reshape((32, 1))`" in fixes_text(verdict)


def test_input_spec_lstm_on_an_input_without_time_axis() -> None:
    case = Case('Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2. Full shape '
                "received: (None, 20)", [inp("seq", (None, 20)), lay("lstm", "LSTM", (None, 20))], Phase.BUILD,
                failing=1, flavour="tf_keras")
    ctx, verdict = verdict_of(case)
    assert offending(ctx, verdict) == "lstm" and suspect(ctx, verdict) == "seq"
    assert "declares no time axis" in verdict.cause
    assert "`keras.Input(shape=(20, 1))`" in fixes_text(verdict)


def test_input_spec_conv_on_an_input_without_channel_axis() -> None:
    case = Case("Input 0 with name 'None' of layer 'conv1' is incompatible with the layer: expected min_ndim=4, found "
                "ndim=3. Full shape received: (None, 28, 28)", [inp("img", (None, 28, 28)),
                                                                lay("conv1", "Conv2D", (None, 28, 28))],
                Phase.BUILD, failing=1)
    ctx, verdict = verdict_of(case)
    assert offending(ctx, verdict) == "conv1" and suspect(ctx, verdict) == "img"
    assert "at least 4-D" in verdict.cause and "(None, 28, 28)" in verdict.cause
    assert "`keras.Input(shape=(28, 28, 1))`" in fixes_text(verdict)


def test_input_spec_global_pooling_2d_on_a_sequence() -> None:
    rows = [inp("sig", (None, 50, 1)), lay("conv1d", "Conv1D", (None, 50, 1), (None, 48, 32)),
            lay("gap", "GlobalAveragePooling2D", (None, 48, 32))]
    ctx, verdict = verdict_of(Case("Input 0 with name 'None' of layer 'gap' is incompatible with the layer: expected "
                                   "ndim=4, found ndim=3. Full shape received: (None, 48, 32)", rows, Phase.BUILD,
                                   failing=2))
    assert offending(ctx, verdict) == "gap"
    assert "`keras.layers.GlobalAveragePooling1D()`" in fixes_text(verdict)


def test_input_spec_conv_after_flatten_blames_the_flatten() -> None:
    rows = [inp("img", (None, 28, 28, 1)), lay("conv1", "Conv2D", (None, 28, 28, 1), (None, 28, 28, 8)),
            lay("flat", "Flatten", (None, 28, 28, 8), (None, 6272)), lay("conv2", "Conv2D", (None, 6272))]
    ctx, verdict = verdict_of(Case('Input 0 of layer "conv2" is incompatible with the layer: expected min_ndim=4, '
                                   "found ndim=2. Full shape received: (None, 6272)", rows, Phase.BUILD, failing=3))
    assert offending(ctx, verdict) == "conv2" and suspect(ctx, verdict) == "flat"
    assert "`keras.layers.Reshape((28, 28, 8))`" in fixes_text(verdict)


def test_input_spec_channels_first_data_at_fit() -> None:
    rows = [data((8, 3, 32, 32)), inp("img", (None, 32, 32, 3)),
            lay("conv1", "Conv2D", (None, 32, 32, 3), (None, 30, 30, 16)), target((8,))]
    ctx, verdict = verdict_of(Case("Input 0 with name 'None' of layer 'conv1' is incompatible with the layer: "
                                   "expected axis -1 of input shape to have value 3, but received input with shape "
                                   "(8, 3, 32, 32)", rows, Phase.FIT, failing=2))
    assert offending(ctx, verdict) == "conv1" and suspect(ctx, verdict) == "x"
    assert "channels-first" in verdict.cause and "size 3" in verdict.cause
    assert "`x = np.transpose(x, (0, 2, 3, 1))`" in fixes_text(verdict)
    assert by_position(ctx, verdict.marks)[2] == (((3,),), ())


def test_input_spec_dense_after_a_bigger_image_at_predict() -> None:
    rows = [data((4, 64, 64, 3)), inp("img", (None, 32, 32, 3)),
            lay("conv", "Conv2D", (None, 32, 32, 3), (None, 30, 30, 8)),
            lay("flat", "Flatten", (None, 30, 30, 8), (None, 7200)), lay("probs", "Dense", (None, 7200), (None, 10))]
    ctx, verdict = verdict_of(Case("Input 0 with name 'None' of layer 'probs' is incompatible with the layer: "
                                   "expected axis -1 of input shape to have value 7200, but received input with shape "
                                   "(4, 30752)", rows, Phase.PREDICT, failing=4))
    assert offending(ctx, verdict) == "x" and suspect(ctx, verdict) == "probs"  # the data is what to fix
    assert "7200" in verdict.cause and "30752" in verdict.cause and "64x64" in verdict.cause
    assert "`x = tf.image.resize(x, (32, 32))`" in fixes_text(verdict)


def test_input_spec_dense_built_for_other_features() -> None:
    rows = [inp("in", (None, 10)), lay("body", "Dense", (None, 10), (None, 32)), lay("head", "Dense", (None, 32))]
    ctx, verdict = verdict_of(Case("Input 0 with name 'None' of layer 'head' is incompatible with the layer: expected "
                                   "axis -1 of input shape to have value 64, but received input with shape (None, 32)",
                                   rows, Phase.LAYER_CALL, failing=2))
    assert offending(ctx, verdict) == "head"
    assert "size 64" in verdict.cause and "(size 32)" in verdict.cause
    assert "built for 64 features" in fixes_text(verdict) and "'body'" in fixes_text(verdict)


def test_input_spec_model_level_shape_check_blames_the_data() -> None:
    rows = [data((8, 3, 32, 32)), inp("img", (None, 32, 32, 3)),
            lay("conv1", "Conv2D", (None, 32, 32, 3), (None, 30, 30, 16))]
    case = Case('Input 0 of layer "cnn" is incompatible with the layer: expected shape=(None, 32, 32, 3), found '
                "shape=(8, 3, 32, 32)", rows, Phase.FIT, model=live("cnn"), flavour="tf_keras")
    ctx, verdict = verdict_of(case)
    assert offending(ctx, verdict) == "x" and verdict.suspect is None
    assert "channels-first" in verdict.cause and "'img'" in verdict.cause
    assert "np.transpose(x, (0, 2, 3, 1))" in fixes_text(verdict)
    assert by_position(ctx, verdict.marks)[0] == ((), ((1, 3),))


def test_input_spec_dataset_without_batch_at_fit() -> None:
    rows = [data((8,), type_="DatasetV2"), inp("features", (None, 8)), lay("hidden", "Dense", (None, 8), (None, 16))]
    ctx, verdict = verdict_of(Case('Input 0 of layer "hidden" is incompatible with the layer: expected min_ndim=2, '
                                   "found ndim=1. Full shape received: (8,)", rows, Phase.FIT, failing=2,
                                   flavour="tf_keras"))
    assert offending(ctx, verdict) == "hidden" and suspect(ctx, verdict) == "x"
    assert "no batch axis" in verdict.cause
    assert "np.expand_dims(x, 0)" in fixes_text(verdict)


def test_input_spec_an_unknown_check_still_names_the_layer() -> None:
    ctx, verdict = verdict_of(Case('Input 0 of layer "dense" is incompatible with the layer: something new',
                                   [lay("dense", "Dense", (None, 3))], failing=0))
    assert offending(ctx, verdict) == "dense"
    assert "something new" in verdict.cause


def test_input_spec_without_any_row_for_the_layer_is_none() -> None:
    _, verdict = explain(Case('Input 0 of layer "dense" is incompatible with the layer: expected ndim=3, found ndim=2. '
                              "Full shape received: (None, 3)", []))
    assert verdict is None


def mlp_rows(x: tuple, input_shape: tuple, units: int, y: tuple, loss_name: str) -> list[Row]:
    """x, Input 'features', Dense 'hidden', Dense 'probs', y, loss."""
    return [data(x), inp("features", input_shape), lay("hidden", "Dense", input_shape, (None, 16)),
            lay("probs", "Dense", (None, 16), (None, units)), target(y), loss(loss_name, y, (None, units))]


def test_functional_input_data_with_an_extra_axis_blames_data_and_input() -> None:
    rows = [data((50, 28, 28)), inp("pixels", (None, 28)), lay("hidden", "Dense", (None, 28), (None, 16)),
            lay("probs", "Dense", (None, 16), (None, 10)), target((50,))]
    ctx, verdict = verdict_of(Case(MSG["functional-input-k3"], rows, Phase.FIT, outputs=(3,)))
    assert offending(ctx, verdict) == "x" and suspect(ctx, verdict) == "pixels"
    assert "(50, 28, 28)" in verdict.cause and "(None, 28)" in verdict.cause
    assert "`keras.Input(shape=(28, 28))`" in fixes_text(verdict) and "Flatten()" in fixes_text(verdict)


def test_functional_input_single_sample_at_predict() -> None:
    rows = [data((4,)), inp("features", (None, 4)), lay("hidden", "Dense", (None, 4), (None, 8))]
    ctx, verdict = verdict_of(Case("Invalid input shape for input Tensor(\"data:0\", shape=(4,), dtype=float32) with "
                                   "name 'features' and path ''. Expected shape (None, 4), but input has incompatible "
                                   "shape (4,)", rows, Phase.PREDICT))
    assert offending(ctx, verdict) == "x" and verdict.suspect is None
    assert "no batch axis" in verdict.cause
    assert "`x = np.expand_dims(x, 0)` -> (1, 4)" in fixes_text(verdict)


def test_functional_input_shape_including_the_batch_size() -> None:
    rows = [data((50, 8)), inp("features", (None, 100, 8)), lay("hidden", "Dense", (None, 100, 8), (None, 100, 16)),
            target((50,))]
    ctx, verdict = verdict_of(Case("Invalid input shape for input Tensor(\"data:0\", shape=(50, 8), dtype=float32) "
                                   "with name 'features' and path ''. Expected shape (None, 100, 8), but input has "
                                   "incompatible shape (50, 8)", rows, Phase.FIT))
    assert offending(ctx, verdict) == "x" and suspect(ctx, verdict) == "features"
    assert "includes the batch size (100)" in verdict.cause
    assert "`keras.Input(shape=(8,))`" in fixes_text(verdict)


def test_functional_input_of_the_second_model_input() -> None:
    rows = [data((16, 5), name="x[0]"), data((16, 3, 3), name="x[1]"), inp("a", (None, 5)), inp("b", (None, 9)),
            lay("out", "Dense", (None, 14), (None, 1))]
    ctx, verdict = verdict_of(Case("Invalid input shape for input Tensor(\"data_1:0\", shape=(16, 3, 3), "
                                   "dtype=float32) with name 'b' and path ''. Expected shape (None, 9), but input has "
                                   "incompatible shape (16, 3, 3)", rows, Phase.FIT))
    assert offending(ctx, verdict) == "x[1]"
    assert "'b'" in verdict.cause and "same 9 values" in verdict.cause


def test_missing_key_names_the_input_without_data() -> None:
    rows = [data((16, 10), name="x['title']"), inp("title", (None, 10)), inp("body", (None, 50)),
            lay("out", "Dense", (None, 60), (None, 1))]
    ctx, verdict = verdict_of(Case(MSG["missing-key-k3"], rows, Phase.FIT, outputs=(3,)))
    assert offending(ctx, verdict) == "x['title']" and suspect(ctx, verdict) == "body"
    assert "no entry for 'body'" in verdict.cause and "2 inputs (title, body)" in verdict.cause
    assert "`model.fit({'title': x_title, 'body': x_body}, y)`" in fixes_text(verdict)


def two_input_rows() -> list[Row]:
    return [data((16, 16)), inp("img_feats", (None, 16)), inp("meta", (None, 4)),
            lay("out", "Dense", (None, 20), (None, 1)), target((16,))]


@pytest.mark.parametrize("message", [MSG["input-count-k3"], autograph(MSG["input-count-tfk"])],
                         ids=["keras3", "tf_keras-autograph"])
def test_input_count_names_the_input_nothing_feeds(message: str) -> None:
    ctx, verdict = verdict_of(Case(message, two_input_rows(), Phase.FIT, outputs=(3,)))
    assert offending(ctx, verdict) == "x" and suspect(ctx, verdict) == "meta"
    assert "'two_inputs' has 2 inputs" in verdict.cause and "received 1" in verdict.cause
    assert "Nothing feeds 'meta'" in verdict.cause
    assert "`model.fit([x_img_feats, x_meta], y)`" in fixes_text(verdict)


def test_cardinality_single_image_without_batch_and_channel() -> None:
    rows = [data((28, 28)), inp("img", (None, 28, 28, 1)), lay("conv1", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 8)),
            target((10,))]
    ctx, verdict = verdict_of(Case(MSG["cardinality-k3"], rows, Phase.FIT))
    assert offending(ctx, verdict) == "x" and verdict.suspect is None
    assert "x has 28 samples but y has 10" in verdict.cause
    assert "`x = x[np.newaxis, ..., np.newaxis]`" in fixes_text(verdict)
    assert "`y = y[np.newaxis]`" in fixes_text(verdict)
    assert by_position(ctx, verdict.marks) == {0: ((), ((0,),))}


def test_cardinality_of_two_different_splits_suspects_y() -> None:
    rows = [data((100, 8)), inp("features", (None, 8)), lay("out", "Dense", (None, 8), (None, 1)), target((90,))]
    ctx, verdict = verdict_of(Case("Data cardinality is ambiguous:\n  x sizes: 100\n  y sizes: 90\nMake sure all "
                                   "arrays contain the same number of samples.", rows, Phase.FIT, flavour="tf_keras"))
    assert offending(ctx, verdict) == "x" and suspect(ctx, verdict) == "y"
    assert "100" in verdict.cause and "90" in verdict.cause
    assert "`len(x) == len(y)`" in fixes_text(verdict)


def test_cardinality_names_the_one_array_with_another_sample_count_and_its_output() -> None:
    rows = [data((1000, 25), "x['input1']"), data((1000, 1), "x['input2']"), inp("input1", (None, 25)),
            lay("pred_out", "Dense", (None, 25), (None, 1)), lay("dom_out", "Dense", (None, 25), (None, 2)),
            target((1000, 1), "y[0]"), target((128,), "y[1]")]
    ctx, verdict = verdict_of(Case("Data cardinality is ambiguous:\n  x sizes: 1000, 1000\n  y sizes: 1000, 128\n"
                                   "Make sure all arrays contain the same number of samples.", rows, Phase.FIT,
                                   outputs=(3, 4), flavour="tf_keras"))
    assert offending(ctx, verdict) == "y[1]" and suspect(ctx, verdict) == "dom_out"
    assert "128" in verdict.cause and "1000" in verdict.cause
    assert "`len(x['input1'])`" in fixes_text(verdict)


# ---- losses
def test_loss_categorical_with_integer_labels() -> None:
    for message in (MSG["loss-shape-k3"], "Shapes (50, 1) and (50, 5) are incompatible"):
        ctx, verdict = verdict_of(Case(message, mlp_rows((50, 20), (None, 20), 5, (50, 1), "categorical_crossentropy"),
                                       Phase.FIT, outputs=(3,)))
        assert offending(ctx, verdict) == "categorical_crossentropy" and suspect(ctx, verdict) == "y"
        assert "(N, 5)" in verdict.cause and "(50, 1)" in verdict.cause
        assert "`y = keras.utils.to_categorical(y, num_classes=5)`" in fixes_text(verdict)
        assert 'loss="sparse_categorical_crossentropy"' in fixes_text(verdict)


@pytest.mark.parametrize("message", [MSG["loss-same-rank-k3"], MSG["loss-binary-tfk"]], ids=["keras3", "tf_keras"])
def test_loss_binary_with_two_units_suspects_the_output_layer(message: str) -> None:
    ctx, verdict = verdict_of(Case(message, mlp_rows((16, 20), (None, 20), 2, (16,), "binary_crossentropy"),
                                   Phase.FIT, outputs=(3,)))
    assert offending(ctx, verdict) == "binary_crossentropy" and suspect(ctx, verdict) == "probs"
    assert "2 units" in verdict.cause and "one probability per sample" in verdict.cause
    assert '`keras.layers.Dense(1, activation="sigmoid")`' in fixes_text(verdict)


@pytest.mark.parametrize("message", ["Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
                                     "target.shape=(16, 10), output.shape=(16, 10)", MSG["loss-sparse-tfk"]],
                         ids=["keras3", "tf_keras"])
def test_loss_sparse_with_one_hot_labels(message: str) -> None:
    ctx, verdict = verdict_of(Case(message, mlp_rows((16, 20), (None, 20), 10, (16, 10),
                                                     "sparse_categorical_crossentropy"), Phase.FIT, outputs=(3,)))
    assert offending(ctx, verdict) == "sparse_categorical_crossentropy" and suspect(ctx, verdict) == "y"
    assert "one-hot" in verdict.cause and "(16, 10)" in verdict.cause
    assert 'loss="categorical_crossentropy"' in fixes_text(verdict) and "y.argmax(axis=-1)" in fixes_text(verdict)


def test_loss_one_hot_width_differs_from_the_units() -> None:
    ctx, verdict = verdict_of(Case("Shapes (16, 5) and (16, 10) are incompatible",
                                   mlp_rows((16, 20), (None, 20), 10, (16, 5), "categorical_crossentropy"), Phase.FIT,
                                   outputs=(3,), flavour="tf_keras"))
    assert suspect(ctx, verdict) == "probs"
    assert "5 classes" in verdict.cause and "10 units" in verdict.cause
    assert "`keras.layers.Dense(5, activation=\"softmax\")`" in fixes_text(verdict)


def test_loss_rank_dense_after_conv_needs_flatten() -> None:
    rows = [data((16, 28, 28, 1)), inp("img", (None, 28, 28, 1)), lay("conv", "Conv2D", (None, 28, 28, 1),
                                                                      (None, 26, 26, 8)),
            lay("probs", "Dense", (None, 26, 26, 8), (None, 26, 26, 10)), target((16,)),
            loss("sparse_categorical_crossentropy", (16,), (None, 26, 26, 10))]
    ctx, verdict = verdict_of(Case(MSG["loss-rank-k3"], rows, Phase.FIT, outputs=(3,)))
    assert offending(ctx, verdict) == "sparse_categorical_crossentropy" and suspect(ctx, verdict) == "probs"
    assert "(None, 26, 26, 10)" in verdict.cause and "4-D" in verdict.cause
    assert "`keras.layers.Flatten()`" in fixes_text(verdict)
    assert "GlobalAveragePooling2D()" in fixes_text(verdict)
    assert by_position(ctx, verdict.received)[5] == ((16,), (16, 26, 26, 10))


def test_loss_after_data_with_an_extra_axis_blames_the_data() -> None:
    rows = [data((50, 28, 28)), inp("pixels", (None, 28)), lay("hidden", "Dense", (None, 28), (None, 16)),
            lay("probs", "Dense", (None, 16), (None, 10)), target((50,)),
            loss("sparse_categorical_crossentropy", (50,), (None, 10))]
    sparse = ("`labels.shape` must equal `logits.shape` except for the last dimension. Received: labels.shape=(50,) "
              "and logits.shape=(1400, 10)")
    for message in (MSG["loss-first-dim-tfk"], sparse):
        ctx, verdict = verdict_of(Case(message, rows, Phase.FIT, outputs=(3,), flavour="tf_keras"))
        assert offending(ctx, verdict) == "sparse_categorical_crossentropy" and suspect(ctx, verdict) == "x"
        assert "(1400, 10)" in verdict.cause and "(50, 28, 28)" in verdict.cause
        assert "`keras.Input(shape=(28, 28))`" in fixes_text(verdict)


def test_loss_regression_with_k_outputs_against_one_target() -> None:
    ctx, verdict = verdict_of(Case("Arguments `target` and `output` must have the same rank (ndim). Received: "
                                   "target.shape=(50,), output.shape=(50, 3)",
                                   mlp_rows((50, 20), (None, 20), 3, (50,), "mean_squared_error"), Phase.FIT,
                                   outputs=(3,)))
    assert suspect(ctx, verdict) == "probs"
    assert "3 predictions per sample" in verdict.cause
    assert "`keras.layers.Dense(1)`" in fixes_text(verdict) and "(50, 3)" in fixes_text(verdict)


@pytest.mark.parametrize("message", [LOSS_OP_MSE, "Incompatible shapes: [32,3] vs. [32]\n\t [[{{node compile_loss/"
                                                  "mse/sub}}]] [Op:__inference_multi_step_on_iterator_1]"],
                         ids=["dimensions", "incompatible"])
def test_loss_op_picks_the_target_operand_and_blames_the_output(message: str) -> None:
    ctx, verdict = verdict_of(Case(message, mlp_rows((32, 20), (None, 20), 3, (32,), "mse"), Phase.FIT,
                                   outputs=(3,)))
    assert ctx.family == ErrorFamily.LOSS_OP
    assert offending(ctx, verdict) == "mse" and suspect(ctx, verdict) == "probs"
    assert by_position(ctx, verdict.received)[5] == ((32,), (32, 3))
    assert "`keras.layers.Dense(1)`" in fixes_text(verdict)


def test_loss_shape_mismatch_of_same_rank_asks_for_matching_units() -> None:
    rows = [data((16, 20)), inp("features", (None, 20)), lay("out", "Dense", (None, 20), (None, 3)), target((16, 2)),
            loss("mean_squared_error", (16, 2), (None, 3))]
    ctx, verdict = verdict_of(Case("Arguments `target` and `output` must have the same shape. Received: "
                                   "target.shape=(16, 2), output.shape=(16, 3)", rows, Phase.FIT, outputs=(2,)))
    assert suspect(ctx, verdict) == "out"
    assert "(16, 2)" in verdict.cause and "(16, 3)" in verdict.cause
    assert "`keras.layers.Dense(2)`" in fixes_text(verdict)


def test_loss_without_any_row_is_none() -> None:
    _, verdict = explain(Case(MSG["loss-shape-k3"], [], Phase.FIT))
    assert verdict is None


def test_loss_structure_names_the_output_without_a_target() -> None:
    rows = [data((16, 8)), inp("img", (None, 8)), lay("class_out", "Dense", (None, 8), (None, 3)),
            lay("box_out", "Dense", (None, 8), (None, 4)), target((16,))]
    ctx, verdict = verdict_of(Case(MSG["loss-structure-k3"], rows, Phase.FIT, outputs=(2, 3)))
    assert offending(ctx, verdict) == "y" and suspect(ctx, verdict) == "box_out"
    assert "2 outputs (class_out, box_out)" in verdict.cause and "1 target array" in verdict.cause
    assert "`model.fit(x, {'class_out': y_class_out, 'box_out': y_box_out})`" in fixes_text(verdict)


def test_a_loss_shape_error_of_a_model_with_two_outputs_and_one_target_is_the_missing_target() -> None:
    """PyTorch backend: one label array for two heads reaches the loss as a row of it: (4,) vs (2, 4)."""
    message = ("Arguments `target` and `output` must have the same shape. Received: target.shape=torch.Size([4]), "
               "output.shape=torch.Size([2, 4])")
    rows = [data((4, 75, 75, 3)), inp("input_layer", (None, 75, 75, 3)),
            lay("predictions_1", "Dense", (None, 64), (None, 4)), lay("predictions_2", "Dense", (None, 64), (None, 4)),
            target((4, 4), name="labels"), loss("categorical_crossentropy", (4,), (2, 4))]
    _, verdict = verdict_of(Case(message, rows, Phase.FIT, outputs=(2, 3), failing=5))
    assert "2 outputs (predictions_1, predictions_2)" in verdict.cause and "1 target array" in verdict.cause
    assert "`model.fit(x, [y, y])`" in fixes_text(verdict)  # y, x: the user's names come later
    single = [data((4, 8)), inp("input_layer", (None, 8)), lay("out", "Dense", (None, 8), (None, 4)),
              target((4, 3)), loss("categorical_crossentropy", (4, 3), (4, 4))]
    _, one = verdict_of(Case(message, single, Phase.FIT, outputs=(2,), failing=4))
    assert "outputs (" not in one.cause  # one output: the shapes themselves are the story


def label_case(y: Any = None, message: str = LABEL_RANGE) -> Case:
    return Case(message, mlp_rows((64, 20), (None, 20), 3, (64,), "sparse_categorical_crossentropy"), Phase.FIT,
                outputs=(3,), y=y, exception_type="tf.errors.InvalidArgumentError")


def test_label_range_asks_for_one_unit_per_class() -> None:
    ctx, verdict = verdict_of(label_case())
    assert offending(ctx, verdict) == "sparse_categorical_crossentropy" and suspect(ctx, verdict) == "probs"
    assert "label 9" in verdict.cause and "only 3 units" in verdict.cause
    assert '`keras.layers.Dense(10, activation="softmax")`' in fixes_text(verdict)
    assert by_position(ctx, verdict.marks)[3] == ((), ((1,),))


def test_label_range_uses_the_largest_label_of_the_data() -> None:
    import numpy as np

    _, verdict = verdict_of(label_case(y=np.array([0, 9, 11, 2])))
    assert "label 11" in verdict.cause
    assert "`keras.layers.Dense(12, activation=\"softmax\")`" in fixes_text(verdict)


def test_label_range_negative_label_suspects_the_labels() -> None:
    ctx, verdict = verdict_of(label_case(message="Received a label value of -1 which is outside the valid range of "
                                                 "[0, 3).  Label values: 0 -1"))
    assert suspect(ctx, verdict) == "y"
    assert "label -1" in verdict.cause and "0 to 2" in verdict.cause
    assert "`y = y - y.min()`" in fixes_text(verdict)


def test_label_range_without_a_loss_row_falls_back_to_the_target() -> None:
    case = label_case(message=LABEL_RANGE.replace("compile_loss/", ""))
    case.rows = case.rows[:-1]
    ctx, verdict = verdict_of(case)
    assert offending(ctx, verdict) == "y" and suspect(ctx, verdict) == "probs"
    assert "sparse_categorical_crossentropy got the label 9" in verdict.cause


# ---- merges
def unet_case(with_producers: bool = True) -> Case:
    rows = [inp("img", (None, 25, 25, 3)), lay("enc", "Conv2D", (None, 25, 25, 3), (None, 25, 25, 8)),
            lay("pool", "MaxPooling2D", (None, 25, 25, 8), (None, 12, 12, 8)),
            lay("up", "UpSampling2D", (None, 12, 12, 8), (None, 24, 24, 16)),
            lay("skip_concat", "Concatenate", ins=((None, 24, 24, 16), (None, 25, 25, 8)))]
    layers = {1: live("enc"), 3: live("up"), 4: live("skip_concat", axis=-1)} if with_producers else {}
    return Case("A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
                "Received: input_shape=[(None, 24, 24, 16), (None, 25, 25, 8)]", rows, Phase.LAYER_CALL, failing=4,
                layers=layers, producers=(3, 1) if with_producers else ())


def test_concat_odd_size_suggests_cropping_and_resizing_the_odd_branch() -> None:
    ctx, verdict = verdict_of(unet_case())
    assert offending(ctx, verdict) == "skip_concat" and suspect(ctx, verdict) == "enc"
    assert "the height and width differ (24x24 vs 25x25)" in verdict.cause and "(None, 25, 25, 8)" in verdict.cause
    fixes = fixes_text(verdict)
    assert "`keras.layers.Cropping2D(((0, 1), (0, 1)))`" in fixes
    assert "`keras.layers.Resizing(24, 24)`" in fixes and 'padding="same"' in fixes
    assert by_position(ctx, verdict.marks)[4] == (((1, 2), (1, 2)), ())
    assert by_position(ctx, verdict.received)[4] == ((None, 24, 24, 16), (None, 25, 25, 8))


def test_concat_without_producers_has_no_suspect_and_a_generic_fix() -> None:
    ctx, verdict = verdict_of(unet_case(with_producers=False))
    assert offending(ctx, verdict) == "skip_concat" and verdict.suspect is None
    assert "Cropping2D" in fixes_text(verdict)
    assert "Resizing" not in fixes_text(verdict)


def test_concat_of_different_ranks() -> None:
    _, verdict = verdict_of(Case("A `Concatenate` layer requires inputs with matching shapes except for the "
                                   "concatenation axis. Received: input_shape=[(None, 16), (None, 4, 4)]",
                                   [lay("merge", "Concatenate", ins=((None, 16), (None, 4, 4)))], failing=0))
    assert "different ranks (2, 3)" in verdict.cause
    assert "`keras.layers.Flatten()`" in fixes_text(verdict)


def test_concat_row_without_shapes_uses_the_message_shapes() -> None:
    ctx, verdict = verdict_of(Case(MSG["concat-k3"], [lay("merge", "Concatenate")], failing=0))
    assert by_position(ctx, verdict.received)[0] == ((None, 16, 16, 32), (None, 28, 28, 64))
    assert "axis (-1)" in verdict.cause


def test_concat_without_a_failing_row_is_none() -> None:
    _, verdict = explain(dataclasses.replace(unet_case(False), failing=None))
    assert verdict is None


def residual_case(with_producers: bool = False) -> Case:
    rows = [inp("img", (None, 32, 32, 3)), lay("conv", "Conv2D", (None, 32, 32, 3), (None, 32, 32, 32)),
            lay("residual_add", "Add", ins=((None, 32, 32, 3), (None, 32, 32, 32)))]
    layers = {0: live("img"), 1: live("conv")} if with_producers else {}
    return Case(MSG["add-k3"], rows, failing=2, layers=layers, producers=(0, 1) if with_producers else ())


def test_elementwise_channel_mismatch_projects_with_a_1x1_conv() -> None:
    ctx, verdict = verdict_of(residual_case())
    assert offending(ctx, verdict) == "residual_add"
    assert "(None, 32, 32, 3)" in verdict.cause and "(None, 32, 32, 32)" in verdict.cause
    assert '`shortcut = keras.layers.Conv2D(32, 1, padding="same")(shortcut)`' in fixes_text(verdict)
    assert by_position(ctx, verdict.marks)[2] == (((3,), (3,)), ())


def test_elementwise_names_the_narrow_branch_when_producers_are_known() -> None:
    ctx, verdict = verdict_of(residual_case(with_producers=True))
    assert suspect(ctx, verdict) == "img"
    assert '`img = keras.layers.Conv2D(32, 1, padding="same")(img)`' in fixes_text(verdict)


def test_elementwise_vectors_project_with_dense_from_the_message_shapes() -> None:
    ctx, verdict = verdict_of(Case(MSG["multiply-tfk"], [lay("gated", "Multiply")], failing=0,
                                   flavour="tf_keras"))
    assert by_position(ctx, verdict.received)[0] == ((None, 64), (None, 32))
    assert "(Multiply)" in verdict.cause
    assert "`shortcut = keras.layers.Dense(64)(shortcut)`" in fixes_text(verdict)


def test_elementwise_cause_is_grammatical_for_one_axis() -> None:
    _, verdict = verdict_of(residual_case())
    assert "axis 3 differs" in verdict.cause


def test_dot_sizes_and_the_projection() -> None:
    ctx, verdict = verdict_of(Case(MSG["dot-k3"], [lay("score", "Dot", ins=((None, 16), (None, 32)))], failing=0))
    assert offending(ctx, verdict) == "score"
    assert "axis 1 of the first input (16)" in verdict.cause and "the second (32)" in verdict.cause
    assert "`key = keras.layers.Dense(16)(key)`" in fixes_text(verdict) and "`axes=`" in fixes_text(verdict)
    assert by_position(ctx, verdict.marks)[0] == (((1,), (1,)), ())


def test_dot_without_a_failing_row_is_none() -> None:
    _, verdict = explain(Case(MSG["dot-k3"], [lay("score", "Dot", ins=((None, 16), (None, 32)))]))
    assert verdict is None


# ---- sizes
def reshape_case(message: str = MSG["reshape-k3"], failing: int | None = 2) -> Case:
    rows = [inp("features", (None, 32)), lay("project", "Dense", (None, 32), (None, 64)),
            lay("to_grid", "Reshape", (None, 64))]
    return Case(message, rows, failing=failing)


def test_reshape_sizes_and_the_dense_that_feeds_it() -> None:
    ctx, verdict = verdict_of(reshape_case())
    assert offending(ctx, verdict) == "to_grid" and suspect(ctx, verdict) == "project"
    assert "64 values" in verdict.cause and "needs 100" in verdict.cause
    assert "`keras.layers.Dense(100)`" in fixes_text(verdict)
    assert "`keras.layers.Reshape((8, 8))`" in fixes_text(verdict)


def test_reshape_found_from_the_tf_keras_wrapper_name() -> None:
    message = tfk_wrapped("total size of new array must be unchanged, input_shape = [64], output_shape = [10, 10]",
                          "to_grid", "Reshape")
    ctx, verdict = verdict_of(reshape_case(message, failing=None))
    assert offending(ctx, verdict) == "to_grid"


def test_reshape_after_flatten_restores_the_flattened_shape() -> None:
    rows = [inp("img", (None, 28, 28, 1)), lay("conv", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 16)),
            lay("flat", "Flatten", (None, 26, 26, 16), (None, 10816)), lay("unflatten", "Reshape", (None, 10816))]
    ctx, verdict = verdict_of(Case(MSG["reshape-tfk"], rows, failing=3, flavour="tf_keras"))
    assert offending(ctx, verdict) == "unflatten" and verdict.suspect is None
    assert "10816 values" in verdict.cause and "needs 784" in verdict.cause
    assert "`keras.layers.Reshape((26, 26, 16))`" in fixes_text(verdict)


def test_reshape_after_a_dense_on_a_sequence_asks_for_flatten() -> None:
    rows = [inp("seq", (None, 10, 8)), lay("proj", "Dense", (None, 10, 8), (None, 10, 16)),
            lay("grid", "Reshape", (None, 10, 16))]
    ctx, verdict = verdict_of(Case("The total size of the tensor must be unchanged. Received: input_shape=(10, 16), "
                                   "target_shape=(4, 4)", rows, failing=2))
    assert suspect(ctx, verdict) == "proj"
    assert "160 values" in verdict.cause
    assert "`keras.layers.Flatten()`" in fixes_text(verdict)
    assert "`keras.layers.Reshape((-1, 4))`" in fixes_text(verdict)


def test_reshape_of_pixels_into_images_keeps_the_image_and_changes_the_channels() -> None:
    """784 values into (28, 28, 3): (28, 28, 1) is the fix a user means, not some other factorisation."""
    rows = [inp("pixels", (None, 784)), lay("to_image", "Reshape", (None, 784))]
    _, verdict = verdict_of(Case("The total size of the tensor must be unchanged. Received: input_shape=(784,), "
                                 "target_shape=(28, 28, 3)", rows, failing=1))
    assert verdict.fixes[0].startswith("Keep the other axes") and "`keras.layers.Reshape((28, 28, 1))`" in \
        verdict.fixes[0]


def conv_case(live_layer: bool = True) -> Case:
    rows = [inp("img", (None, 5, 5, 1)), lay("conv_big", "Conv2D", (None, 5, 5, 1))]
    layers = {1: live("conv_big", filters=8, kernel_size=(7, 7))} if live_layer else {}
    return Case(CONV_K3, rows, Phase.BUILD, failing=1, layers=layers)


def test_nonpositive_conv_output_pads_same_or_shrinks_the_kernel() -> None:
    ctx, verdict = verdict_of(conv_case())
    assert offending(ctx, verdict) == "conv_big"
    assert "(7, 7)" in verdict.cause and "5x5" in verdict.cause
    assert '`keras.layers.Conv2D(8, (7, 7), padding="same")`' in fixes_text(verdict)
    assert "`kernel_size=(3, 3)`" in fixes_text(verdict)
    assert by_position(ctx, verdict.marks)[1] == (((1, 2),), ())


def test_nonpositive_conv_reads_the_kernel_from_the_message() -> None:
    _, verdict = verdict_of(conv_case(live_layer=False))
    assert "(7, 7)" in verdict.cause
    assert 'padding="same"' in fixes_text(verdict)


def test_nonpositive_tf_keras_names_the_layer_unquoted() -> None:
    ctx, verdict = verdict_of(dataclasses.replace(conv_case(), message=CONV_TFK, failing=None, flavour="tf_keras"))
    assert offending(ctx, verdict) == "conv_big"
    assert 'padding="same"' in fixes_text(verdict)


def test_nonpositive_without_a_known_kernel_writes_no_empty_kernel() -> None:
    _, verdict = verdict_of(dataclasses.replace(conv_case(live_layer=False), message=CONV_TFK, failing=None))
    assert "()" not in fixes_text(verdict)
    assert "kernel of a window" not in verdict.cause


def test_nonpositive_traces_the_size_to_strided_layers_and_keras1_arguments() -> None:
    """Keras 1's Convolution2D(32, 3, 3) is Conv2D(32, 3, strides=3) now: the map shrinks to nothing."""
    rows = [inp("img", (None, 28, 28, 1)),
            lay("conv2d", "Conv2D", (None, 28, 28, 1), (None, 9, 9, 32)),
            lay("conv2d_1", "Conv2D", (None, 9, 9, 32), (None, 3, 3, 64)),
            lay("pool", "MaxPooling2D", (None, 3, 3, 64), (None, 1, 1, 64)),
            lay("pool_2", "MaxPooling2D", (None, 1, 1, 64))]
    layers = {1: live("conv2d", filters=32, kernel_size=(3, 3), strides=(3, 3)),
              2: live("conv2d_1", filters=64, kernel_size=(3, 3), strides=(3, 3)),
              3: live("pool", pool_size=(2, 2), strides=(2, 2)), 4: live("pool_2", pool_size=(2, 2))}
    ctx, verdict = verdict_of(Case(POOL_K3, rows, Phase.BUILD, failing=4, layers=layers))
    assert suspect(ctx, verdict) == "conv2d"
    assert "strides=(3, 3)" in verdict.cause and "third argument is the strides" in verdict.cause
    assert "`keras.layers.Conv2D(32, (3, 3))`" in verdict.fixes[0]


def test_nonpositive_on_a_channels_first_input_says_so() -> None:
    rows = [inp("volumes", (None, 1, 64, 64, 15)), lay("conv3d", "Conv3D", (None, 1, 64, 64, 15))]
    layers = {1: live("conv3d", filters=30, kernel_size=(5, 5, 5))}
    ctx, verdict = verdict_of(Case(CONV_K3, rows, Phase.BUILD, failing=1, layers=layers))
    assert suspect(ctx, verdict) == "volumes" and "channels-first" in verdict.cause
    assert "`keras.Input(shape=(64, 64, 15, 1))`" in verdict.fixes[0] and "np.moveaxis(x, 1, -1)" in verdict.fixes[0]


def pool_case(message: str = POOL_K3, failing: int | None = 5) -> Case:
    rows = [inp("img", (None, 28, 28, 8))]
    size = 28
    for i in range(1, 5):
        rows.append(lay(f"pool{i}", "MaxPooling2D", (None, size, size, 8), (None, size // 2, size // 2, 8)))
        size //= 2
    rows.append(lay("pool5", "MaxPooling2D", (None, 1, 1, 8)))
    return Case(message, rows, Phase.BUILD, failing=failing)


def test_nonpositive_pooling_counts_the_poolings() -> None:
    ctx, verdict = verdict_of(pool_case(k3_wrapped(POOL_K3, "MaxPooling2D")))
    assert offending(ctx, verdict) == "pool5"
    assert "1x1" in verdict.cause and "(None, 1, 1, 8)" in verdict.cause
    assert "pooling number 5" in fixes_text(verdict)
    assert 'padding="same"' in fixes_text(verdict)


def test_nonpositive_pooling_quotes_the_pool_size_of_the_message() -> None:
    _, verdict = verdict_of(pool_case())
    assert "(2, 2)" in verdict.cause


def test_nonpositive_tf_keras_pool_node_without_failing_row_is_none() -> None:
    """The node path ``pool5/MaxPool`` names the layer, but this rule reads only quoted names."""
    _, verdict = explain(pool_case(POOL_TFK, failing=None))
    assert verdict is None


def test_kernel_rank_time_distributed_needs_a_time_axis() -> None:
    rows = [inp("frames", (None, 32, 32, 3)), lay("td_conv", "TimeDistributed", (None, 32, 32, 3))]
    ctx, verdict = verdict_of(Case(MSG["kernel-rank-k3"], rows, failing=1))
    assert offending(ctx, verdict) == "td_conv" and suspect(ctx, verdict) == "frames"
    assert "(3, 3, 3, 8)" in verdict.cause and "time axis" in verdict.cause
    assert "`keras.Input(shape=(frames, 32, 32, 3))`" in fixes_text(verdict)


def bn_rows() -> list[Row]:
    return [inp("in", (None, 8)), lay("dense", "Dense", (None, 8), (None, 16)),
            lay("bn", "BatchNormalization", (None, 16))]


def test_bn_axis_out_of_range() -> None:
    ctx, verdict = verdict_of(Case(MSG["bn-axis-tfk"], bn_rows(), Phase.BUILD, failing=2, flavour="tf_keras"))
    assert offending(ctx, verdict) == "bn"
    assert "(None, 16)" in verdict.cause and "only 2 axes" in verdict.cause
    assert "`keras.layers.BatchNormalization(axis=-1)`" in fixes_text(verdict)


def test_index_error_with_an_axis_config_is_explained_as_bn_axis() -> None:
    case = Case("tuple index out of range", bn_rows(), Phase.BUILD, failing=2, layers={2: live("bn", axis=3)})
    ctx, verdict = verdict_of(case)
    assert offending(ctx, verdict) == "bn"
    assert "works on axis 3" in verdict.cause
    assert "axis=-1" in fixes_text(verdict)


def test_index_error_without_config_names_the_layer() -> None:
    ctx, verdict = verdict_of(Case("tuple index out of range", bn_rows(), Phase.BUILD, failing=2))
    assert offending(ctx, verdict) == "bn" and "looked up an axis" in verdict.cause


def test_index_error_without_a_failing_layer_is_none() -> None:
    _, verdict = explain(Case("tuple index out of range", bn_rows(), Phase.BUILD))
    assert verdict is None


# ---- user code and ops
def test_op_shape_matmul_in_a_subclassed_model() -> None:
    rows = [data((16, 8)), lay("tiny_net", "TinyNet", (16, 8))]
    for failing in (1, None):  # the node path ``tiny_net_1/MatMul`` names the model too
        ctx, verdict = verdict_of(Case(k3_wrapped(OP_MATMUL, "TinyNet"), rows, Phase.FIT, failing=failing))
        assert offending(ctx, verdict) == "tiny_net"
        assert "(16, 8) and (10, 4)" in verdict.cause and "8 and 10" in verdict.cause
        assert "`self.w = self.add_weight(shape=(input_shape[-1], 4))`" in fixes_text(verdict)
        assert "`keras.layers.Dense(4)`" in fixes_text(verdict)


def test_op_shape_of_a_transposed_kernel_says_so_and_names_the_users_weight() -> None:
    """A custom layer's kernel built as (units, input size): x (None, 24) @ w (8, 24), on PyTorch (no node)."""
    rows = [inp("sentence_emb", (None, 24)), lay("projection", "Projection", (None, 24))]
    _, verdict = verdict_of(Case("mat1 and mat2 shapes cannot be multiplied (Nonex24 and 8x24)", rows, failing=1))
    assert "(None, 24) and (8, 24)" in verdict.cause and "transposed" in verdict.cause
    assert "`self.w = self.add_weight(shape=(input_shape[-1], 8))` (input size first)" in verdict.fixes[0]


def test_a_jax_product_error_reads_the_weight_and_never_writes_an_undefined_name() -> None:
    """JAX names only the sizes (20 and 32): the (32, 32) weight is read from the layer; the fix has real sizes."""
    rows = [inp("in_h", (None, 20)), lay("proj_h", "MyProj", (None, 20))]
    weight = types.SimpleNamespace(name="w", shape=(32, 32))
    layers = {1: live("proj_h", weights=[weight])}
    message = "dot_general requires contracting dimensions to have the same shape, got (20,) and (32,)."
    _, verdict = verdict_of(Case(message, rows, failing=1, layers=layers))
    assert "(None, 20) and the weight 'w' (32, 32)" in verdict.cause, verdict.cause
    assert "`self.w = self.add_weight(shape=(input_shape[-1], 32))`" in verdict.fixes[0]
    _, unknown = verdict_of(Case(message, rows, failing=1))  # no weights known: no code naming `units`
    assert "units)" not in fixes_text(unknown) and "Dense(units" not in fixes_text(unknown)


def test_output_inference_of_a_transposed_kernel_names_the_fix() -> None:
    """Keras 3 on TensorFlow traces the custom layer first: the op error arrives inside "Could not infer"."""
    message = ("Exception encountered when calling MyDense.call().\n\n\x1b[1mCould not automatically infer the "
               "output shape / dtype of 'my_dense' (of type MyDense). Either the `MyDense.call()` method is "
               "incorrect, or you need to implement the `MyDense.compute_output_spec() / compute_output_shape()` "
               "method. Error encountered:\n\nDimensions must be equal, but are 12 and 4 for '{{node MatMul}} = "
               "MatMul[T=DT_FLOAT](Placeholder, Placeholder_1)' with input shapes: [?,12], [4,12].\x1b[0m")
    rows = [inp("features", (None, 12)), lay("my_dense", "MyDense", (None, 12))]
    _, verdict = verdict_of(Case(message, rows, failing=1))
    assert "(None, 12) and (4, 12)" in verdict.cause and "transposed" in verdict.cause
    assert "`self.w = self.add_weight(shape=(input_shape[-1], 4))` (input size first)" in verdict.fixes[0]


def test_op_shape_without_a_node_gives_a_generic_fix() -> None:
    rows = [inp("features", (None, 12)), lay("my_dense", "MyDense", (None, 12))]
    _, verdict = verdict_of(Case("Incompatible shapes: [16,8] vs. [16,4] [Op:AddV2] name: ", rows, failing=1))
    assert "(16, 8) and (16, 4)" in verdict.cause
    assert "`x.shape`" in fixes_text(verdict)


def test_output_inference_explains_the_inner_op_error() -> None:
    rows = [inp("features", (None, 12)), lay("my_dense", "MyDense", (None, 12))]
    ctx, verdict = verdict_of(Case(k3_wrapped(INFERENCE, "MyDense"), rows, Phase.BUILD))
    assert offending(ctx, verdict) == "my_dense"
    assert "(None, 12) and (4, 12)" in verdict.cause and "12 and 4" in verdict.cause
    assert "`self.w = self.add_weight(shape=(input_shape[-1], 4))` (input size first)" in fixes_text(verdict)
    assert "`MyDense.compute_output_shape(input_shape)`" in fixes_text(verdict)


# ---- custom training loops
def loop_rows(pred: tuple, true: tuple, loss_name: str) -> list[Row]:
    return [Row("logits", Kind.DATA, "EagerTensor float32", output_shapes=(pred,), note="y_pred: the predictions"),
            Row("labels", Kind.TARGET, "EagerTensor int64", input_shapes=(true,), note="y_true: the targets"),
            loss(loss_name, true, pred)]


LOOP_MESSAGE = ("Arguments `target` and `output` must have the same shape. Received: target.shape=(32, 10), "
                "output.shape=(32, 5)")


def test_loss_call_units_differ_from_the_targets() -> None:
    ctx, verdict = verdict_of(Case(LOOP_MESSAGE, loop_rows((32, 5), (32, 10), "categorical_crossentropy"),
                                   Phase.LOSS_CALL))
    assert ctx.family == ErrorFamily.LOSS_CALL
    assert offending(ctx, verdict) == "categorical_crossentropy" and suspect(ctx, verdict) == "logits"
    assert "5 values per sample" in verdict.cause and "has 10" in verdict.cause
    assert "`keras.layers.Dense(10)`" in fixes_text(verdict)
    assert "`keras.utils.to_categorical(labels, 5)`" in fixes_text(verdict)


def test_loss_call_batches_of_different_sizes() -> None:
    ctx, verdict = verdict_of(Case(LOOP_MESSAGE, loop_rows((32, 10), (16, 10), "categorical_crossentropy"),
                                   Phase.LOSS_CALL))
    assert suspect(ctx, verdict) == "labels"
    assert "different sizes (16 and 32)" in verdict.cause
    assert "`logits = model(x_batch)`" in fixes_text(verdict)


def test_loss_call_integer_labels_with_categorical_loss() -> None:
    ctx, verdict = verdict_of(Case(LOOP_MESSAGE, loop_rows((32, 10), (32,), "categorical_crossentropy"),
                                   Phase.LOSS_CALL))
    assert suspect(ctx, verdict) == "labels"
    assert "class indices" in verdict.cause
    assert "`keras.losses.SparseCategoricalCrossentropy()`" in fixes_text(verdict)


def test_loss_call_ranks_differ() -> None:
    ctx, verdict = verdict_of(Case(LOOP_MESSAGE, loop_rows((32, 1), (32,), "mean_squared_error"), Phase.LOSS_CALL))
    assert suspect(ctx, verdict) == "labels"
    assert "`labels = keras.ops.reshape(labels, (32, 1))`" in fixes_text(verdict)


def test_loss_call_sparse_loss_with_one_hot_targets() -> None:
    _, verdict = verdict_of(Case("Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
                                 "target.shape=(32, 10), output.shape=(32, 10)",
                                 loop_rows((32, 10), (32, 10), "sparse_categorical_crossentropy"), Phase.LOSS_CALL))
    assert "differ on ." not in verdict.cause
    assert "CategoricalCrossentropy" in fixes_text(verdict) or "argmax" in fixes_text(verdict)


def test_loss_call_without_its_rows_is_none() -> None:
    _, verdict = explain(Case(LOOP_MESSAGE, [], Phase.LOSS_CALL))
    assert verdict is None


def optimizer_rows(gradient: tuple) -> list[Row]:
    return [Row("dense/kernel", Kind.LAYER, "Variable", output_shapes=((20, 10),), note="a trainable weight"),
            Row("gradient for dense/kernel", Kind.DATA, "EagerTensor float32", output_shapes=(gradient,)),
            Row("adam", Kind.STEP, "Adam", input_shapes=(gradient, (20, 10)), note="apply_gradients")]


@pytest.mark.parametrize(("gradient", "marked"), [((10,), (0,)), ((10, 20), (0, 1))])
def test_optimizer_step_pairs_gradients_with_their_variables(gradient: tuple, marked: tuple) -> None:
    ctx, verdict = verdict_of(Case("Shapes must be equal rank, but are 1 and 2", optimizer_rows(gradient),
                                   Phase.OPTIMIZER_STEP))
    assert offending(ctx, verdict) == "adam" and suspect(ctx, verdict) == "gradient for dense/kernel"
    assert str(gradient) in verdict.cause and "(20, 10)" in verdict.cause
    assert "`optimizer.apply_gradients(zip(grads, model.trainable_variables))`" in fixes_text(verdict)
    assert by_position(ctx, verdict.marks)[1] == ((), (marked,))


def test_optimizer_step_without_its_rows_is_none() -> None:
    _, verdict = explain(Case("x", [], Phase.OPTIMIZER_STEP))
    assert verdict is None


# ---- what every verdict promises
@pytest.mark.parametrize("name", [str(f) for f in ErrorFamily if f != ErrorFamily.UNKNOWN])
def test_every_verdict_is_well_formed(name: str) -> None:
    ctx, verdict = verdict_of(GOLDEN_CASES[ErrorFamily(name)]())
    assert ctx.family == name
    names = [row.name for row in ctx.table.rows]
    assert len(set(names)) == len(names), "row names are how verdicts refer to rows: they must be unique"
    assert verdict.offending in names
    assert verdict.suspect is None or (verdict.suspect in names and verdict.suspect != verdict.offending)
    assert verdict.cause and verdict.fixes
    for fix in verdict.fixes:
        assert fix.count("`") % 2 == 0, f"unbalanced backticks in {fix!r}"
    rows = {row.name: row for row in ctx.table.rows}
    for name, (in_marks, out_marks) in verdict.marks.items():
        row = rows[name]
        shapes = verdict.received.get(name, row.input_shapes)
        for marks, shape in zip(in_marks, shapes):
            assert shape is None or all(0 <= a < len(shape) for a in marks), (name, marks, shape)
        for marks, shape in zip(out_marks, row.output_shapes):
            assert shape is None or all(0 <= a < len(shape) for a in marks), (name, marks, shape)


FIRST_FIX_CASES = {
    "loss-else-rank": Case("Arguments `target` and `output` must have the same rank (ndim). Received: "
                           "target.shape=(16, 2, 2), output.shape=(16, 3)",
                           [data((16, 20)), inp("features", (None, 20)), lay("out", "Dense", (None, 20), (None, 3)),
                            target((16, 2, 2)), loss("mean_squared_error", (16, 2, 2), (None, 3))], Phase.FIT,
                           outputs=(2,)),
    "reshape-no-dense": Case("The total size of the tensor must be unchanged. Received: input_shape=(7,), "
                             "target_shape=(2, 2)", [inp("a", (None, 7)), lay("r", "Reshape", (None, 7))], failing=1),
}


@pytest.mark.parametrize("key", [
    "loss-else-rank",
    "reshape-no-dense",
])
def test_the_first_fix_does_not_start_with_or(key: str) -> None:
    _, verdict = verdict_of(FIRST_FIX_CASES[key])
    assert not verdict.fixes[0].startswith("Or ")


# =========================================================================== 5. golden texts
K3_UNDEFINED = ("Shapes used to initialize variables must be fully-defined (no `None` dimensions). Received: "
                "shape=(None, 1) for variable path='head/kernel'")
TFK_UNDEFINED = ("The last dimension of the inputs to a Dense layer should be defined. Found None. Full input shape "
                 "received: (None, None)")


def text_without_length(message: str = K3_UNDEFINED, origin: str = "TextVectorization") -> Case:
    """TextVectorization without output_sequence_length -> Embedding -> Flatten -> Dense."""
    first = inp("text", (None, 1)) if origin == "TextVectorization" else inp("tokens", (None, None))
    rows = [first]
    if origin == "TextVectorization":
        rows.append(lay("text_vectorization", "TextVectorization", (None, 1), (None, None)))
    rows += [lay("embedding", "Embedding", (None, None), (None, None, 8)),
             lay("flatten", "Flatten", (None, None, 8), (None, None)), lay("head", "Dense")]
    return Case(message, rows, failing=len(rows) - 1)


@pytest.mark.parametrize("message", [K3_UNDEFINED, TFK_UNDEFINED], ids=["keras3", "tf_keras"])
def test_undefined_size_is_traced_back_to_the_unknown_length(message: str) -> None:
    ctx, verdict = explain(text_without_length(message))
    assert ctx.family == ErrorFamily.UNDEFINED_SIZE
    assert verdict is not None and verdict.offending == "head"
    assert verdict.suspect == "text_vectorization"
    assert "output_sequence_length=" in verdict.fixes[0]
    assert any("GlobalAveragePooling1D()" in fix for fix in verdict.fixes)
    assert "(None, None)" in verdict.cause


def test_undefined_size_from_an_input_of_unknown_length_fixes_the_input() -> None:
    _, verdict = explain(text_without_length(origin="Input"))
    assert verdict is not None and verdict.suspect == "tokens"
    assert "keras.Input(shape=(200,))" in verdict.fixes[0]


MHA_MESSAGE = ("Exception encountered when calling MultiHeadAttention.call().\n\n\x1b[1mAll dimensions of `value` and "
               "`key`, except the last one, must be equal. Received: value_shape=(2, 12, 32) and key_shape=(2, 14, "
               "32)\x1b[0m")


def attention_case() -> Case:
    """``mha(query=q, value=v, key=k)`` with a key of 14 steps and a value of 12."""
    return Case(MHA_MESSAGE, [lay("mha", "MultiHeadAttention", ins=((2, 10, 64), (2, 12, 32), (2, 14, 32)))],
                failing=0)


def test_attention_key_and_value_of_different_lengths() -> None:
    ctx, verdict = verdict_of(attention_case())
    assert ctx.family == ErrorFamily.ATTENTION_KEY_VALUE and offending(ctx, verdict) == "mha"
    assert "value (2, 12, 32) and key (2, 14, 32) (12 steps in value, 14 in key)" in verdict.cause
    assert "leave `key=` out" in verdict.fixes[0] and "`key=value`" in verdict.fixes[0]


GOLDEN_CASES: dict[ErrorFamily, Any] = {
    ErrorFamily.ATTENTION_KEY_VALUE: attention_case,
    ErrorFamily.UNDEFINED_SIZE: text_without_length,
    ErrorFamily.INPUT_SPEC: stacked_lstm,
    ErrorFamily.MISSING_KEY: lambda: Case(MSG["missing-key-k3"], [data((16, 10), name="x['title']"),
                                                           inp("title", (None, 10)), inp("body", (None, 50)),
                                                           lay("out", "Dense", (None, 60), (None, 1)),
                                                           target((16,))], Phase.FIT, outputs=(3,)),
    ErrorFamily.INPUT_COUNT: lambda: Case(MSG["input-count-k3"], two_input_rows(), Phase.FIT, outputs=(3,)),
    ErrorFamily.FUNCTIONAL_INPUT: lambda: Case(k3_wrapped(MSG["functional-input-k3"], "Sequential"), [
        data((50, 28, 28)), inp("pixels", (None, 28)), lay("hidden", "Dense", (None, 28), (None, 16)),
        lay("probs", "Dense", (None, 16), (None, 10)), target((50,)),
        loss("sparse_categorical_crossentropy", (50,), (None, 10))], Phase.FIT, outputs=(3,)),
    ErrorFamily.CARDINALITY: lambda: Case(MSG["cardinality-k3"], [
        data((28, 28)), inp("img", (None, 28, 28, 1)), lay("conv1", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 8)),
        lay("flat", "Flatten", (None, 26, 26, 8), (None, 5408)), lay("probs", "Dense", (None, 5408), (None, 10)),
        target((10,)), loss("categorical_crossentropy", (10,), (None, 10))], Phase.FIT, outputs=(4,)),
    ErrorFamily.LOSS_RANK: lambda: Case(MSG["loss-rank-k3"], [
        data((16, 28, 28, 1)), inp("img", (None, 28, 28, 1)), lay("conv", "Conv2D", (None, 28, 28, 1),
                                                                  (None, 26, 26, 8)),
        lay("probs", "Dense", (None, 26, 26, 8), (None, 26, 26, 10)), target((16,)),
        loss("sparse_categorical_crossentropy", (16,), (None, 26, 26, 10))], Phase.FIT, outputs=(3,)),
    ErrorFamily.LOSS_SHAPE: lambda: Case(MSG["loss-shape-k3"], mlp_rows((50, 20), (None, 20), 5, (50, 1),
                                                                   "categorical_crossentropy"), Phase.FIT,
                                         outputs=(3,)),
    ErrorFamily.LOSS_SPARSE_TFK: lambda: Case(autograph(MSG["loss-sparse-tfk"]), mlp_rows(
        (16, 20), (None, 20), 10, (16, 10), "sparse_categorical_crossentropy"), Phase.FIT, outputs=(3,),
        flavour="tf_keras"),
    ErrorFamily.LOSS_BINARY_TFK: lambda: Case(autograph(MSG["loss-binary-tfk"]), mlp_rows(
        (16, 20), (None, 20), 2, (16,), "binary_crossentropy"), Phase.FIT, outputs=(3,), flavour="tf_keras"),
    ErrorFamily.LOSS_FIRST_DIM: lambda: Case(MSG["loss-first-dim-tfk"], [
        data((50, 28, 28)), inp("pixels", (None, 28)), lay("hidden", "Dense", (None, 28), (None, 16)),
        lay("probs", "Dense", (None, 16), (None, 10)), target((50,)),
        loss("sparse_categorical_crossentropy", (50,), (None, 10))], Phase.FIT, outputs=(3,), flavour="tf_keras"),
    ErrorFamily.LOSS_SHAPE_TFK: lambda: Case(autograph("Shapes (16, 5) and (16, 10) are incompatible"), mlp_rows(
        (16, 20), (None, 20), 10, (16, 5), "categorical_crossentropy"), Phase.FIT, outputs=(3,), flavour="tf_keras"),
    ErrorFamily.LOSS_OP: lambda: Case(LOSS_OP_MSE, mlp_rows((32, 20), (None, 20), 3, (32,), "mse"), Phase.FIT,
                                      outputs=(3,)),
    ErrorFamily.LOSS_STRUCTURE: lambda: Case(MSG["loss-structure-k3"], [
        data((16, 8)), inp("img", (None, 8)), lay("class_out", "Dense", (None, 8), (None, 3)),
        lay("box_out", "Dense", (None, 8), (None, 4)), target((16,))], Phase.FIT, outputs=(2, 3)),
    ErrorFamily.LABEL_RANGE: label_case,
    ErrorFamily.MERGE_CONCAT: unet_case,
    ErrorFamily.MERGE_ELEMENTWISE: lambda: residual_case(with_producers=True),
    ErrorFamily.MERGE_DOT: lambda: Case(MSG["dot-k3"], [
        inp("q", (None, 8)), inp("k", (None, 8)), lay("query", "Dense", (None, 8), (None, 16)),
        lay("key", "Dense", (None, 8), (None, 32)), lay("score", "Dot", ins=((None, 16), (None, 32)))], failing=4),
    ErrorFamily.RESHAPE_SIZE: reshape_case,
    ErrorFamily.NONPOSITIVE_OUTPUT: conv_case,
    ErrorFamily.KERNEL_RANK: lambda: Case(MSG["kernel-rank-k3"], [
        inp("frames", (None, 32, 32, 3)), lay("td_conv", "TimeDistributed", (None, 32, 32, 3))], failing=1),
    ErrorFamily.BN_AXIS: lambda: Case(MSG["bn-axis-tfk"], bn_rows(), Phase.BUILD, failing=2, flavour="tf_keras"),
    ErrorFamily.OUTPUT_INFERENCE: lambda: Case(k3_wrapped(INFERENCE, "MyDense"), [
        inp("features", (None, 12)), lay("my_dense", "MyDense", (None, 12)),
        Row("out", Kind.LAYER, "Dense", status=Status.NOT_REACHED)], Phase.BUILD),
    ErrorFamily.OP_SHAPE: lambda: Case(k3_wrapped(OP_MATMUL, "TinyNet"), [
        data((16, 8)), lay("tiny_net", "TinyNet", (16, 8)), target((16,)), loss("mse", (16,), (16, 4))], Phase.FIT,
        failing=1),
    ErrorFamily.INDEX_ERROR: lambda: Case("tuple index out of range", bn_rows(), Phase.BUILD, failing=2,
                                          layers={2: live("bn", axis=3)}, exception_type="IndexError"),
    ErrorFamily.LOSS_CALL: lambda: Case(LOOP_MESSAGE, loop_rows((32, 5), (32, 10), "categorical_crossentropy"),
                                        Phase.LOSS_CALL),
    ErrorFamily.OPTIMIZER_STEP: lambda: Case("Shapes must be equal rank, but are 1 and 2", optimizer_rows((10,)),
                                             Phase.OPTIMIZER_STEP),
}


def report_of(case: Case) -> ShapeReport:
    """The report ``diagnose()`` would build from this case's verdict (same rows, names and summary)."""
    ctx, verdict = verdict_of(case)
    rows = _finalize_rows(ctx, verdict)
    return ShapeReport(
        rows=tuple(rows),
        offending=verdict.offending,
        cause=verdict.cause,
        fixes=tuple(_in_user_terms(Fix(fix), ctx.ev.variable_names) for fix in verdict.fixes),
        exception_type=case.exception_type,
        message=ctx.ev.parsed.clean,
        summary=_summary(ctx.ev, ctx.family),
        family=str(ctx.family),
        phase=str(case.phase),
        suspect=verdict.suspect,
        flavour=case.flavour,
    )


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("KSM_REGEN_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text + "\n")
        return
    if not path.exists():
        pytest.fail(f"golden {path} is missing: run with KSM_REGEN_GOLDEN=1, then read it before committing it")
    assert text + "\n" == path.read_text(), f"{name} changed; regenerate with KSM_REGEN_GOLDEN=1 and review the diff"


@pytest.mark.parametrize("family", [f for f in ErrorFamily if f != ErrorFamily.UNKNOWN], ids=str)
def test_golden_text_of_each_family(family: ErrorFamily) -> None:
    report = report_of(GOLDEN_CASES[family]())
    assert report.family == family
    statuses = [row.status for row in report.rows]
    assert statuses.count(Status.OFFENDING) == 1 and report.offending_row.name == report.offending
    assert statuses.count(Status.SUSPECT) == (1 if report.suspect else 0)
    check_golden(str(family), report.to_text())


def test_a_missing_golden_fails_unless_regenerating(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN", tmp_path)
    monkeypatch.delenv("KSM_REGEN_GOLDEN", raising=False)
    with pytest.raises(pytest.fail.Exception, match="missing"):
        check_golden("nothing_here", "text")
    monkeypatch.setenv("KSM_REGEN_GOLDEN", "1")
    check_golden("nothing_here", "text")
    assert (tmp_path / "nothing_here.txt").read_text() == "text\n"
    monkeypatch.delenv("KSM_REGEN_GOLDEN")
    check_golden("nothing_here", "text")
    with pytest.raises(AssertionError, match="changed"):
        check_golden("nothing_here", "other text")


# =========================================================================== last: the lane stayed pure
