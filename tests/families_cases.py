"""Notebook cells for ``test_families.py``: one realistic mistake per cell, written for either flavour.

Each cell starts with the line ``IMPORT_KERAS``, replaced by ``import keras`` (Keras 3) or
``import tf_keras as keras`` (legacy Keras 2). Everything else is the same in both flavours,
so the cells use only APIs both share. Models and arrays are tiny so that the whole file runs fast.
"""

from __future__ import annotations

import os

IMPORT_KERAS = "IMPORT_KERAS"
IMPORTS = {"keras": "import keras", "tf_keras": "import tf_keras as keras"}


#: Keras 3 on JAX or PyTorch: the same user code written with Keras's own ops (TF ops cannot take their tensors)
_FOR_OTHER_BACKENDS = (("tf.Variable(tf.random.normal(", "keras.Variable(keras.random.normal("),
                       ("tf.matmul(", "keras.ops.matmul("))


def backend(flavour: str) -> str:
    """The backend a flavour's cells run on: tf_keras is TensorFlow's; Keras 3 follows ``KERAS_BACKEND``."""
    return "tensorflow" if flavour == "tf_keras" else os.environ.get("KERAS_BACKEND", "tensorflow")


def cell(template: str, flavour: str) -> str:
    """The cell ``template`` for ``flavour`` (``keras`` or ``tf_keras``), on the backend of this process."""
    code = template.replace(IMPORT_KERAS, IMPORTS[flavour])
    if backend(flavour) != "tensorflow":
        for tf_code, keras_code in _FOR_OTHER_BACKENDS:
            code = code.replace(tf_code, keras_code)
    return code

# ============================================================================ 1. data vs the model's Input
#: A small CNN called directly on one image without its batch axis: Keras runs the convolution over the
#: wrong axes (28 images of 28x1), and each backend fails in its own words (output size negative / kernel
#: larger than the input / empty convolution output).
CALL_ON_ONE_IMAGE = """\
import numpy as np
IMPORT_KERAS

digits = keras.Sequential([
    keras.Input(shape=(28, 28, 1), name="digit"),
    keras.layers.Conv2D(4, 3, name="edges"),
    keras.layers.Flatten(name="flat"),
    keras.layers.Dense(10, name="scores"),
])
one_digit = np.random.rand(28, 28, 1).astype("float32")
scores = digits(one_digit)
"""

#: Cross-attention given two different sequences as key and value (Keras 3's own check).
ATTENTION_KEY_VALUE = """\
IMPORT_KERAS

question = keras.Input(shape=(10, 64), name="question")
passage = keras.Input(shape=(12, 32), name="passage")
summary = keras.Input(shape=(14, 32), name="summary")
attend = keras.layers.MultiHeadAttention(num_heads=4, key_dim=16, name="attend")
answer = attend(query=question, value=passage, key=summary)
"""

#: A tabular regressor asked about one reading, without the batch axis.
PREDICT_ONE_READING = """\
import numpy as np
IMPORT_KERAS

sensors = keras.Sequential([
    keras.Input(shape=(6,), name="readings"),
    keras.layers.Dense(12, activation="relu", name="hidden_a"),
    keras.layers.Dense(1, name="pressure"),
])
reading = np.random.rand(6).astype("float32")
sensors.predict(reading, verbose=0)
"""

#: A colour-photo classifier (3 channels) trained on grayscale scans that have no channel axis.
GRAYSCALE_FOR_RGB_MODEL = """\
import numpy as np
IMPORT_KERAS

inp = keras.Input(shape=(20, 20, 3), name="photo")
h = keras.layers.Conv2D(4, 3, activation="relu", name="stem")(inp)
h = keras.layers.GlobalAveragePooling2D(name="gap")(h)
out = keras.layers.Dense(3, activation="softmax", name="species")(h)
leaf_net = keras.Model(inp, out)
leaf_net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
scans = np.random.rand(24, 20, 20).astype("float32")
kinds = np.random.randint(0, 3, size=(24,))
leaf_net.fit(scans, kinds, epochs=1, batch_size=8, verbose=0)
"""

#: A Sequential CNN without an Input: the Conv2D is built on the data, which has no channel axis.
CONV_WITHOUT_CHANNEL_AXIS = """\
import numpy as np
IMPORT_KERAS

digits_cnn = keras.Sequential([
    keras.layers.Conv2D(6, 3, activation="relu", name="edge_detector"),
    keras.layers.Flatten(name="unroll"),
    keras.layers.Dense(10, activation="softmax", name="digit"),
])
digits_cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
glyphs = np.random.rand(16, 14, 14).astype("float32")
glyph_labels = np.random.randint(0, 10, size=(16,))
digits_cnn.fit(glyphs, glyph_labels, epochs=1, batch_size=8, verbose=0)
"""

#: PyTorch-style (N, C, H, W) images fed to a channels_last functional CNN.
CHANNELS_FIRST_IMAGES = """\
import numpy as np
IMPORT_KERAS

tile = keras.Input(shape=(24, 24, 3), name="tile")
f = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="feat")(tile)
f = keras.layers.MaxPooling2D(2, name="halve")(f)
f = keras.layers.Flatten(name="flat")(f)
land_use = keras.layers.Dense(4, activation="softmax", name="land_use")(f)
satellite = keras.Model(tile, land_use, name="satellite")
satellite.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
tiles = np.random.rand(16, 3, 24, 24).astype("float32")   # exported from PyTorch: channels first
tile_labels = np.random.randint(0, 4, size=(16,))
satellite.fit(tiles, tile_labels, epochs=1, batch_size=8, verbose=0)
"""

#: A model built for 48x48 crops predicted on 24x24 thumbnails (Flatten -> Dense fixes the size).
THUMBNAILS_FOR_48PX_MODEL = """\
import numpy as np
IMPORT_KERAS

face_net = keras.Sequential([
    keras.Input(shape=(48, 48, 3), name="crop"),
    keras.layers.Conv2D(4, 3, padding="same", activation="relu", name="c1"),
    keras.layers.MaxPooling2D(4, name="p1"),
    keras.layers.Flatten(name="vec"),
    keras.layers.Dense(2, activation="softmax", name="is_face"),
])
thumbs = np.random.rand(5, 24, 24, 3).astype("float32")
face_net.predict(thumbs, verbose=0)
"""

#: ``Input(shape=X.shape)``: the number of rows ends up in the Input.
INPUT_SHAPE_WITH_ROWS = """\
import numpy as np
IMPORT_KERAS

X = np.random.rand(120, 9).astype("float32")
churn = np.random.randint(0, 2, size=(120, 1)).astype("float32")
churn_model = keras.Sequential([
    keras.Input(shape=X.shape, name="customer"),
    keras.layers.Dense(8, activation="relu", name="d1"),
    keras.layers.Dense(1, activation="sigmoid", name="will_churn"),
])
churn_model.compile(optimizer="adam", loss="binary_crossentropy")
churn_model.fit(X, churn, epochs=1, batch_size=40, verbose=0)
"""

#: A CNN trained on (N, 12, 12, 1) evaluated on test images that were flattened for another model.
EVALUATE_FLATTENED_TEST_SET = """\
import numpy as np
IMPORT_KERAS

patch = keras.Input(shape=(12, 12, 1), name="patch")
g = keras.layers.Conv2D(4, 3, activation="relu", name="texture")(patch)
g = keras.layers.Flatten(name="texture_vec")(g)
defect = keras.layers.Dense(2, activation="softmax", name="defect")(g)
inspector = keras.Model(patch, defect, name="inspector")
inspector.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
x_test = np.random.rand(10, 144).astype("float32")   # flattened earlier for a logistic regression
y_test = np.random.randint(0, 2, size=(10,))
inspector.evaluate(x_test, y_test, verbose=0)
"""

#: A greyscale model (channel axis of size 1) predicted on images without that axis: Keras adds it.
SILENT_MISSING_UNIT_CHANNEL = """\
import numpy as np
IMPORT_KERAS

ink = keras.Sequential([
    keras.Input(shape=(10, 10, 1), name="ink"),
    keras.layers.Conv2D(2, 3, name="stroke"),
    keras.layers.GlobalMaxPooling2D(name="strongest"),
])
ink_out = ink.predict(np.random.rand(4, 10, 10).astype("float32"), verbose=0)
"""

# ============================================================================ 2. input specs inside the model
#: An LSTM forecaster on an Input that has no time axis (model construction).
LSTM_ON_FLAT_INPUT = """\
IMPORT_KERAS

forecaster = keras.Sequential([
    keras.Input(shape=(30,), name="last_month"),
    keras.layers.LSTM(16, name="temporal"),
    keras.layers.Dense(1, name="next_day"),
])
"""

#: A Conv1D on tabular data (functional call).
CONV1D_ON_TABULAR = """\
IMPORT_KERAS

vitals = keras.Input(shape=(40,), name="vitals")
motif = keras.layers.Conv1D(8, 5, activation="relu", name="motif")(vitals)
"""

#: A Conv2D after a Flatten (functional call).
CONV2D_AFTER_FLATTEN = """\
IMPORT_KERAS

spectro = keras.Input(shape=(16, 16, 1), name="spectrogram")
s = keras.layers.Flatten(name="unrolled")(spectro)
s = keras.layers.Conv2D(8, 3, name="pattern")(s)
"""

#: A classification head directly on conv features (no Flatten / pooling): only the loss notices.
DENSE_ON_CONV_FEATURES = """\
import numpy as np
IMPORT_KERAS

xray_net = keras.Sequential([
    keras.Input(shape=(16, 16, 1), name="scan"),
    keras.layers.Conv2D(4, 3, activation="relu", name="conv_a"),
    keras.layers.MaxPooling2D(2, name="pool_a"),
    keras.layers.Dense(3, activation="softmax", name="finding"),
])
xray_net.compile(optimizer="adam", loss="categorical_crossentropy")
scans = np.random.rand(16, 16, 16, 1).astype("float32")
findings = keras.utils.to_categorical(np.random.randint(0, 3, size=(16,)), 3)
xray_net.fit(scans, findings, epochs=1, batch_size=8, verbose=0)
"""

#: Two stacked GRUs; the first one forgot ``return_sequences=True``.
STACKED_GRU = """\
IMPORT_KERAS

speech = keras.Sequential([
    keras.Input(shape=(25, 13), name="mfcc"),
    keras.layers.GRU(24, name="gru_encoder"),
    keras.layers.GRU(12, name="gru_summary"),
    keras.layers.Dense(5, activation="softmax", name="speaker"),
])
"""

#: A 2-D global pooling on a 1-D sequence (text CNN).
GAP2D_ON_SEQUENCE = """\
IMPORT_KERAS

tokens = keras.Input(shape=(50,), name="tokens")
e = keras.layers.Embedding(1000, 16, name="embed")(tokens)
e = keras.layers.Conv1D(32, 3, activation="relu", name="ngram")(e)
e = keras.layers.GlobalAveragePooling2D(name="pool_all")(e)
"""

# ============================================================================ 3. merge layers
#: A U-Net-like skip connection: 30 -> pool 15 -> pool 7 -> up 14, concatenated with the 15x15 map.
UNET_SKIP = """\
IMPORT_KERAS

mri = keras.Input(shape=(30, 30, 1), name="mri")
e1 = keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="enc1")(mri)
p1 = keras.layers.MaxPooling2D(2, name="pool_1")(e1)
e2 = keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="enc2")(p1)
p2 = keras.layers.MaxPooling2D(2, name="pool_2")(e2)
mid = keras.layers.Conv2D(32, 3, padding="same", activation="relu", name="middle")(p2)
u2 = keras.layers.UpSampling2D(2, name="upsample_2")(mid)
d2 = keras.layers.Concatenate(name="skip_merge")([u2, e2])
"""

#: A residual block whose conv path has more channels than the shortcut.
RESIDUAL_CHANNELS = """\
IMPORT_KERAS

frames = keras.Input(shape=(16, 16, 8), name="frames")
shortcut = frames
r = keras.layers.Conv2D(16, 3, padding="same", activation="relu", name="res_conv_a")(frames)
r = keras.layers.Conv2D(16, 3, padding="same", name="res_conv_b")(r)
r = keras.layers.Add(name="res_add")([r, shortcut])
"""

#: A gating branch with another width than the features it gates.
GATED_FEATURES = """\
IMPORT_KERAS

profile = keras.Input(shape=(20,), name="profile")
features = keras.layers.Dense(32, activation="relu", name="features")(profile)
gate = keras.layers.Dense(16, activation="sigmoid", name="gate")(profile)
gated = keras.layers.Multiply(name="apply_gate")([features, gate])
"""

#: Cosine similarity of two towers with different embedding sizes.
TWO_TOWER_DOT = """\
IMPORT_KERAS

user_feats = keras.Input(shape=(10,), name="user_feats")
item_feats = keras.Input(shape=(14,), name="item_feats")
user_vec = keras.layers.Dense(16, name="user_tower")(user_feats)
item_vec = keras.layers.Dense(24, name="item_tower")(item_feats)
score = keras.layers.Dot(axes=1, normalize=True, name="affinity")([user_vec, item_vec])
"""

# ============================================================================ 4. Reshape size
#: An autoencoder decoder that reshapes 128 values into an 8x8x4 (= 256) map.
DECODER_RESHAPE = """\
IMPORT_KERAS

code = keras.Input(shape=(10,), name="code")
z = keras.layers.Dense(128, activation="relu", name="expand")(code)
z = keras.layers.Reshape((8, 8, 4), name="to_map")(z)
z = keras.layers.Conv2DTranspose(1, 3, padding="same", name="render")(z)
"""

#: A Dense on a feature map acts on the last axis only: its unit count cannot fix the Reshape alone.
HEATMAP_RESHAPE = """\
IMPORT_KERAS

heat_in = keras.Input(shape=(8, 8, 2), name="heat_in")
hm = keras.layers.Conv2D(3, 3, name="heat_conv")(heat_in)
hm = keras.layers.Dense(4, name="heat_units")(hm)
hm = keras.layers.Reshape((12, 10), name="heat_rows")(hm)
"""

# ============================================================================ 5. conv / pool output <= 0
#: A 7x7 kernel on a 5x5 board.
KERNEL_LARGER_THAN_INPUT = """\
IMPORT_KERAS

board = keras.Input(shape=(5, 5, 2), name="board")
k = keras.layers.Conv2D(8, 7, activation="relu", name="wide_kernel")(board)
"""

#: Five 2x2 poolings on a 16x16 icon (16 -> 8 -> 4 -> 2 -> 1 -> 0), added with ``model.add`` in a loop.
TOO_MANY_POOLINGS = """\
IMPORT_KERAS

icon_net = keras.Sequential([keras.Input(shape=(16, 16, 3), name="icon")])
for stage in range(5):
    icon_net.add(keras.layers.Conv2D(4, 3, padding="same", activation="relu", name=f"stage{stage}_conv"))
    icon_net.add(keras.layers.MaxPooling2D(2, name=f"stage{stage}_pool"))
"""

# ============================================================================ 6. labels vs output
_LABELS_PREAMBLE = """\
import numpy as np
IMPORT_KERAS

wine = keras.Sequential([
    keras.Input(shape=(11,), name="chemistry"),
    keras.layers.Dense(16, activation="relu", name="mix"),
    keras.layers.Dense({units}, activation="{activation}", name="{head}"),
])
wine.compile(optimizer="adam", loss="{loss}")
chem = np.random.rand(32, 11).astype("float32")
"""

#: One-hot labels with sparse_categorical_crossentropy.
ONE_HOT_WITH_SPARSE_LOSS = _LABELS_PREAMBLE.format(
    units=4, activation="softmax", head="grade", loss="sparse_categorical_crossentropy") + """\
grade_ids = np.random.randint(0, 4, size=(32,))
grades = keras.utils.to_categorical(grade_ids, 4)
wine.fit(chem, grades, epochs=1, batch_size=8, verbose=0)
"""

#: Integer class ids (N,) with categorical_crossentropy.
INT_LABELS_WITH_CATEGORICAL_LOSS = _LABELS_PREAMBLE.format(
    units=4, activation="softmax", head="grade", loss="categorical_crossentropy") + """\
grades = np.random.randint(0, 4, size=(32,))
wine.fit(chem, grades, epochs=1, batch_size=8, verbose=0)
"""

#: One-hot labels for 3 classes, an output layer for 5.
WRONG_CLASS_COUNT = _LABELS_PREAMBLE.format(
    units=5, activation="softmax", head="grade", loss="categorical_crossentropy") + """\
grades = keras.utils.to_categorical(np.random.randint(0, 3, size=(32,)), 3)
wine.fit(chem, grades, epochs=1, batch_size=8, verbose=0)
"""

#: Class ids up to 9 for an output layer with 6 units (fails only when the step runs).
LABEL_OUT_OF_RANGE = _LABELS_PREAMBLE.format(
    units=6, activation="softmax", head="grade", loss="sparse_categorical_crossentropy") + """\
grades = np.arange(32) % 10          # ten grades, but the head has six units
wine.fit(chem, grades, epochs=1, batch_size=8, shuffle=False, verbose=0)
"""

#: binary_crossentropy on a two-unit sigmoid head with 0/1 labels.
BINARY_WITH_TWO_UNITS = _LABELS_PREAMBLE.format(
    units=2, activation="sigmoid", head="is_red", loss="binary_crossentropy") + """\
red = np.random.randint(0, 2, size=(32,)).astype("float32")
wine.fit(chem, red, epochs=1, batch_size=8, verbose=0)
"""

#: A sequence model whose output still has a time axis, trained with one label per sequence.
SEQUENCE_OUTPUT_INTO_CROSSENTROPY = """\
import numpy as np
IMPORT_KERAS

ecg = keras.Sequential([
    keras.Input(shape=(40, 2), name="leads"),
    keras.layers.Conv1D(8, 5, activation="relu", name="wave"),
    keras.layers.Dense(4, activation="softmax", name="rhythm"),
])
ecg.compile(optimizer="adam", loss="categorical_crossentropy")
beats = np.random.rand(16, 40, 2).astype("float32")
rhythm = keras.utils.to_categorical(np.random.randint(0, 4, size=(16,)), 4)
ecg.fit(beats, rhythm, epochs=1, batch_size=8, verbose=0)
"""

# ============================================================================ 7. number / structure of inputs
_TWO_INPUT_MODEL = """\
import numpy as np
IMPORT_KERAS

title = keras.Input(shape=(12,), name="title_vec")
body = keras.Input(shape=(30,), name="body_vec")
t = keras.layers.Dense(8, activation="relu", name="title_dense")(title)
b = keras.layers.Dense(8, activation="relu", name="body_dense")(body)
both = keras.layers.Concatenate(name="join")([t, b])
clickbait = keras.layers.Dense(1, activation="sigmoid", name="clickbait")(both)
news = keras.Model([title, body], clickbait)
news.compile(optimizer="adam", loss="binary_crossentropy")
titles = np.random.rand(16, 12).astype("float32")
bodies = np.random.rand(16, 30).astype("float32")
labels = np.random.randint(0, 2, size=(16, 1)).astype("float32")
"""

#: A two-input model fit with the first array only.
TWO_INPUTS_ONE_ARRAY = _TWO_INPUT_MODEL + """\
news.fit(titles, labels, epochs=1, batch_size=8, verbose=0)
"""

#: A two-input model fit with a dict that lacks one of the Input names.
DICT_MISSING_KEY = _TWO_INPUT_MODEL + """\
news.fit({"title_vec": titles}, labels, epochs=1, batch_size=8, verbose=0)
"""

#: A two-input model given both arrays as a list, the second with too few columns.
LIST_INPUT_WRONG_WIDTH = _TWO_INPUT_MODEL + """\
news.fit([titles, bodies[:, :20]], labels, epochs=1, batch_size=8, verbose=0)
"""

#: The same mistake with the arrays passed by Input name.
DICT_INPUT_WRONG_WIDTH = _TWO_INPUT_MODEL + """\
news.fit({"title_vec": titles, "body_vec": bodies[:, :20]}, labels, epochs=1, batch_size=8, verbose=0)
"""

#: A two-output model (price and category) given only the price target.
TWO_OUTPUTS_ONE_TARGET = """\
import numpy as np
IMPORT_KERAS

listing = keras.Input(shape=(15,), name="listing")
shared = keras.layers.Dense(16, activation="relu", name="shared")(listing)
price = keras.layers.Dense(1, name="price")(shared)
category = keras.layers.Dense(3, activation="softmax", name="category")(shared)
shop = keras.Model(listing, [price, category])
shop.compile(optimizer="adam", loss=["mse", "sparse_categorical_crossentropy"])
listings = np.random.rand(16, 15).astype("float32")
prices = np.random.rand(16, 1).astype("float32")
shop.fit(listings, prices, epochs=1, batch_size=8, verbose=0)
"""

# ============================================================================ 8. user call() / build() code
#: A subclassed model that hard-codes the size of its projection matrix.
SUBCLASSED_HARDCODED_MATMUL = """\
import numpy as np
import tensorflow as tf
IMPORT_KERAS

class TabularScorer(keras.Model):
    def __init__(self):
        super().__init__()
        self.proj = tf.Variable(tf.random.normal((10, 4)), name="proj")
        self.head = keras.layers.Dense(1, name="score")

    def call(self, inputs):
        h = tf.matmul(inputs, self.proj)          # assumes 10 input columns
        return self.head(h)

scorer = TabularScorer()
scorer.compile(optimizer="adam", loss="mse")
rows = np.random.rand(16, 7).astype("float32")
targets = np.random.rand(16, 1).astype("float32")
scorer.fit(rows, targets, epochs=1, batch_size=8, verbose=0)
"""

#: A custom dense layer whose kernel is created transposed: (units, in) instead of (in, units).
CUSTOM_LAYER_TRANSPOSED_KERNEL = """\
import tensorflow as tf
IMPORT_KERAS

class Projection(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(self.units, input_shape[-1]))

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel)

sentence = keras.Input(shape=(24,), name="sentence_emb")
proj = Projection(8, name="projection")(sentence)
"""

# ============================================================================ phases
#: ``model.add`` of an LSTM after a Dense (error raised by ``add``).
ADD_LSTM_AFTER_DENSE = """\
IMPORT_KERAS

energy = keras.Sequential(name="energy")
energy.add(keras.Input(shape=(24,), name="hourly_load"))
energy.add(keras.layers.Dense(32, activation="relu", name="encode_load"))
energy.add(keras.layers.LSTM(8, name="trend"))
"""

#: ``model.build((None, 10))`` on a Sequential without an Input (error raised by ``build``).
BUILD_WITHOUT_INPUT = """\
IMPORT_KERAS

sales = keras.Sequential([
    keras.layers.Dense(16, activation="relu", name="store_embed"),
    keras.layers.Conv1D(8, 3, name="weekly_pattern"),
    keras.layers.Dense(1, name="units_sold"),
])
sales.build((None, 10))
"""

#: ``compile`` of a model whose output cannot match the labels: Keras does not check shapes here.
COMPILE_ONLY = """\
IMPORT_KERAS

noisy = keras.Sequential([
    keras.Input(shape=(8, 8, 1), name="tiny_img"),
    keras.layers.Conv2D(2, 3, name="tiny_conv"),
    keras.layers.Dense(3, activation="softmax", name="tiny_head"),
])
noisy.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""

#: ... followed by the first ``fit``: only now do the shapes meet.
FIT_AFTER_COMPILE = """\
import numpy as np

noisy.fit(np.random.rand(8, 8, 8, 1).astype("float32"), np.random.randint(0, 3, size=(8,)), epochs=1, verbose=0)
"""

#: ``fit`` on an unbatched ``tf.data.Dataset`` of single samples.
UNBATCHED_DATASET = """\
import numpy as np
import tensorflow as tf
IMPORT_KERAS

houses = np.random.rand(20, 5).astype("float32")
values = np.random.rand(20, 1).astype("float32")
house_ds = tf.data.Dataset.from_tensor_slices((houses, values))   # forgot .batch(...)
appraiser = keras.Sequential([
    keras.Input(shape=(5,), name="house"),
    keras.layers.Dense(8, activation="relu", name="h1"),
    keras.layers.Dense(1, name="value"),
])
appraiser.compile(optimizer="adam", loss="mse")
appraiser.fit(house_ds, epochs=1, verbose=0)
"""

# ============================================================================ robustness
#: 1,200 layers built functionally in a loop, then a Reshape that cannot work. (ReLU layers rather
#: than Dense: the graph is just as deep, and building it takes a second instead of ten.)
DEEP_STACK = """\
IMPORT_KERAS

deep_in = keras.Input(shape=(4,), name="deep_in")
h = deep_in
for depth in range(1200):
    h = keras.layers.ReLU(name=f"block_{depth}")(h)
h = keras.layers.Reshape((3, 3), name="final_grid")(h)
"""

#: A first failing functional cell ...
STALE_FIRST = """\
IMPORT_KERAS

audio = keras.Input(shape=(64,), name="audio_clip")
a = keras.layers.Dense(32, name="audio_proj")(audio)
a = keras.layers.Reshape((5, 7), name="audio_frames")(a)
"""

#: ... then a different failing cell: its report must be about its own layers.
STALE_SECOND = """\
IMPORT_KERAS

poster = keras.Input(shape=(12, 12, 3), name="poster")
q = keras.layers.Conv2D(4, 3, name="poster_conv")(poster)
q = keras.layers.Dense(5, name="poster_dense")(q)
q = keras.layers.Reshape((7, 7), name="poster_grid")(q)
"""
