"""What the benchmark runs: the IPython cells, the generated script and the pathological messages.

Everything here is plain data or a pure function of constants, so a figure's input never
depends on the length or content of the benchmark's own files.
"""

from __future__ import annotations

import os
import random
import string

EXT = "keras_shapes_magic"

# --------------------------------------------------------------------------- the cells the shell runs
#: The successful cell of the overhead figures: build and fit a small CNN.
FIT_CELL = """\
model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3, activation="relu"),
                          keras.layers.Flatten(), keras.layers.Dense(10)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x = np.random.rand(64, 28, 28, 1).astype("float32")
y = np.random.randint(0, 10, 64)
history = model.fit(x, y, epochs=1, batch_size=16, verbose=0)
"""
#: Between two timed cells (not timed): the same fresh start for every configuration.
RESET_CELL = "keras.backend.clear_session()\ncollected = gc.collect()"

#: Imports of the shell that runs :data:`FIT_CELL`.
SETUP_CELL = "import gc\nimport sys\nimport keras\nimport numpy as np"

#: Measures how deep the user's code runs in a cell (see the overhead worker).
DEPTH_CELL = ("def bench_depth():\n    f, n = sys._getframe(1), 0\n    while f is not None:\n"
              "        f, n = f.f_back, n + 1\n    return n\n")

#: The failing cell of the memory figure: a large array and a model, a shape error in fit.
MEMORY_CELL = """\
x = np.ones((4096, 28, 28, 1), dtype="float32")   # 12.8 MB, the data the user wants back
y = np.zeros(4096, dtype="int64")
model = keras.Sequential([keras.Input((28, 28, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                          keras.layers.Flatten(), keras.layers.Dense(10)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
bench_refs = {"model": weakref.ref(model), "x": weakref.ref(x)}
model.fit(x, y, epochs=1, batch_size=32, verbose=0)   # wrong channels: a shape error
"""

#: The failing cell of the many-failures figure: a construction-time concatenate error (fast).
FAILING_CELL = """\
inp = keras.Input(shape=(32, 32, 3))
a = keras.layers.MaxPooling2D((2, 2))(keras.layers.Conv2D(4, 3, padding="same")(inp))
b = keras.layers.Conv2D(8, (5, 5))(inp)
merged = keras.layers.concatenate([a, b])
"""

#: The failing cells of the report-latency figures (run with the extension not loaded).
RESNET_CELL = "preds = model.predict(images, verbose=0)\n"
DEEP_CELL = 'out = keras.layers.Reshape((3, 3), name="bad_reshape")(hidden)\n'
DEEP_LAYERS = 400

# --------------------------------------------------------------------------- chaining to another handler
#: Defines "another tool's" custom exception handler (what e.g. an error-logging extension
#: installs with ``set_custom_exc``): count the call, then IPython's normal traceback.
OTHER_HANDLER_CELL = """\
other_tool_calls = {"n": 0}

def other_tool_handler(shell, etype, value, tb, tb_offset=None):
    other_tool_calls["n"] += 1
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
"""
#: A non-Keras error with the extension chained after the other handler: the other handler must see it.
CHAIN_CHECK_CELL = "raise RuntimeError('not a shape error: for the handler that was there first')\n"

# --------------------------------------------------------------------------- pathological messages
#: Size of every pathological non-Keras message (characters; all ASCII, so also bytes).
MESSAGE_CHARS = 5 * 2**20
#: Size of the core of the Keras-shaped message, inside Keras 3's own layer-call wrapper.
KERAS_CORE_CHARS = 2**20
#: Seconds one timed cell may take before its subprocess is killed and the figure reads "> timeout".
CELL_TIMEOUT_S = 120.0
CELL_TIMEOUT_QUICK_S = 30.0
#: The target of these figures: extra time of the failing cell with the extension loaded.
PATHOLOGICAL_TARGET_MS = 50.0

#: name -> (label for the report, how the message is built). Each is ``MESSAGE_CHARS`` long.
MESSAGE_SHAPES: dict[str, str] = {
    "invalid_input": "`'Invalid input shape for input ' * N`",
    "encountered": "`'Exception encountered when calling x.\\n\\n' * N`",
    "parens": "`'(' * N`",
    "input_incompatible": "`'Input 0 of layer \"d\" is incompatible ' * N`",
    "user_code": "`'in user code:\\n' + '    ' * N`",
    "random": "random printable text",
}
#: The Keras-shaped one (a real Keras 3 layer error wrapper around a 1 MB core).
KERAS_SHAPE = "keras_wrapper"
KERAS_SHAPE_LABEL = "Keras 3 layer-call error wrapper around a 1 MB shape-error core"

_REPEATED = {
    "invalid_input": "Invalid input shape for input ",
    "encountered": "Exception encountered when calling x.\n\n",
    "parens": "(",
    "input_incompatible": 'Input 0 of layer "d" is incompatible ',
}


def pathological_message(shape: str, chars: int = MESSAGE_CHARS) -> str:
    """The message of one shape of :data:`MESSAGE_SHAPES`, ``chars`` long (the repeated ones: whole units)."""
    if shape in _REPEATED:
        unit = _REPEATED[shape]
        return unit * (chars // len(unit))
    if shape == "user_code":
        head = "in user code:\n"
        return head + "    " * ((chars - len(head)) // 4)
    if shape == "random":
        return "".join(random.Random(20240501).choices(string.printable, k=chars))
    raise ValueError(f"unknown message shape {shape!r}")


#: The shell's setup for the Keras-shaped message: a layer whose ``call`` raises a shape error
#: with a 1 MB core; Keras 3 wraps it ("Exception encountered when calling ...", the core, then
#: "Arguments received by ..."). ``core_sentence`` is a real Keras message taken from a real
#: Dense input-spec error; it is repeated, one per line, to ``KERAS_CORE_CHARS``.
KERAS_SETUP_CELL = """\
import keras
import numpy as np

dense = keras.layers.Dense(4, name="d")
dense.build((None, 8))
try:
    dense(np.zeros((2, 3), "float32"))
except ValueError as error:
    core_sentence = str(error)
core = "\\n".join([core_sentence] * (CORE_CHARS // (len(core_sentence) + 1)))


class Huge(keras.layers.Layer):
    def __init__(self, message, **kwargs):
        super().__init__(**kwargs)
        self.message = message

    def call(self, inputs):
        raise ValueError(self.message)


huge_layer = Huge(core, name="huge")
small_layer = Huge(core_sentence, name="small")
huge_x = np.zeros((2, 3), "float32")
"""
KERAS_CELL = "huge_out = huge_layer(huge_x)\n"
KERAS_WARMUP_CELL = "small_out = small_layer(huge_x)\n"
#: The cell of the non-Keras figures (``message`` is set in the shell's namespace, untimed).
MESSAGE_CELL = "raise ValueError(message)\n"
MESSAGE_WARMUP_CELL = "raise ValueError('Invalid input shape for input (' * 10)\n"

# --------------------------------------------------------------------------- the generated script
#: Length of the generated plain script whose failing lines the "script" latency figures use.
#: Fixed here so that editing the benchmark never changes a published figure.
SCRIPT_LINES = 1000

_SCRIPT_HEAD = '''\
"""A plain training script, generated by benchmarks/cells.py ({lines} lines): helpers, layer configs, two failing steps.

``catch`` (at the end) runs a step and returns its error, so the traceback starts in this
file, as it does when a script dies at module level.
"""

from __future__ import annotations

import math
import os

import keras

DATA_DIR = os.environ.get("DATA_DIR", "data")
BATCH_SIZE = 32
EPOCHS = 10
LEARNING_RATE = 1e-3

'''

_SCRIPT_BLOCK = '''\

def preprocess_{i}(batch, config):
    """Step {i} of the input pipeline: scale, clip and pad one batch."""
    scale = config.get("scale_{i}", 1.0 / 255.0)
    offset = config.get("offset_{i}", 0.0)
    values = [(value * scale) + offset for value in batch]
    clipped = [min(max(value, 0.0), 1.0) for value in values]
    padding = int(math.ceil(len(clipped) / BATCH_SIZE)) * BATCH_SIZE - len(clipped)
    if config.get("verbose", False):
        print(f"preprocess_{i}: {{len(clipped)}} values, {{padding}} padded, scale={{scale}}")
    return clipped + [0.0] * padding


LAYER_CONFIG_{i} = {{
    "name": "block_{i}_conv",
    "filters": {filters},
    "kernel_size": ({kernel}, {kernel}),
    "padding": "same",
    "activation": "relu",
}}

'''

#: The two failing steps (in the middle of the script).
_SCRIPT_FAILING = '''\

def predict_wrong_channels(model, images):
    """ResNet50 wants three channels; these images have one."""
    predictions = model.predict(images, verbose=0)
    return predictions


def reshape_last_layer(hidden):
    """8 values cannot become 3 x 3."""
    out = keras.layers.Reshape((3, 3), name="bad_reshape")(hidden)
    return out

'''

_SCRIPT_TAIL = '''\

def catch(step, *args):
    """Run one step of the script; its error, if it raised (the benchmark's stand-in for dying)."""
    try:
        step(*args)
    except Exception as error:
        return error
    return None


if __name__ == "__main__":
    print(f"{DATA_DIR}: {EPOCHS} epochs of {BATCH_SIZE}, learning rate {LEARNING_RATE}")
'''


def script_source(lines: int = SCRIPT_LINES) -> str:
    """A syntactically valid script of exactly ``lines`` lines, the failing functions in its middle."""
    head = _SCRIPT_HEAD.format(lines=f"{lines:,}").splitlines()
    failing = _SCRIPT_FAILING.splitlines()
    tail = _SCRIPT_TAIL.splitlines()
    blocks: list[str] = []
    i = 0
    budget = lines - len(head) - len(failing) - len(tail)
    while True:
        block = _SCRIPT_BLOCK.format(i=i, filters=8 * (1 + i % 8), kernel=1 + 2 * (i % 3)).splitlines()
        if len(blocks) + len(block) > budget:
            break
        blocks += block
        i += 1
    middle = len(blocks) // 2
    middle -= middle % len(_SCRIPT_BLOCK.splitlines())  # on a block boundary
    padding = ["# " + "-" * 70] * (budget - len(blocks))
    out = head + blocks[:middle] + failing + blocks[middle:] + padding + tail
    if len(out) != lines:
        raise RuntimeError(f"the generated script has {len(out)} lines, not {lines}")
    text = "\n".join(out) + "\n"
    compile(text, "<generated script>", "exec")
    return text


def write_script(directory: str, lines: int = SCRIPT_LINES) -> str:
    """Write :func:`script_source` to ``directory``; its path."""
    path = os.path.join(directory, f"bench_script_{lines}_lines.py")
    with open(path, "w") as handle:
        handle.write(script_source(lines))
    return path
