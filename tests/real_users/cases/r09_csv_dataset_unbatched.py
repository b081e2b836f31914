CASE = {
    "title": "HIGGS CSV pipeline ds.batch(10000).map(pack_row).unbatch() passed to fit without batching again",
    "source": "https://github.com/tensorflow/tensorflow/issues/37220",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras
from keras import layers

FEATURES = 28
# stands in for tf.data.experimental.CsvDataset(gz, [float(),]*(FEATURES+1), compression_type="GZIP")
rows = np.random.rand(200, FEATURES + 1).astype("float32")
ds = tf.data.Dataset.from_tensor_slices(tuple(rows[:, i] for i in range(FEATURES + 1)))

def pack_row(*row):
    label = row[0]
    features = tf.stack(row[1:], 1)
    return features, label

packed_ds = ds.batch(100).map(pack_row).unbatch()
train_ds = packed_ds.take(150)""",
        """tiny_model = keras.Sequential([
    layers.Dense(16, activation='elu', input_shape=(FEATURES,), name="dense"),
    layers.Dense(1, name="dense_1"),
])
tiny_model.compile(optimizer='adam',
                   loss=keras.losses.BinaryCrossentropy(from_logits=True),
                   metrics=['accuracy'])""",
        """history = tiny_model.fit(train_ds, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["dense", "input_layer", "dense_input"],
        "kinds": ["data"],
        "cause_any": [r"batch"],
        "fix_any": [r"\.batch\("],
    },
    "fixed_last_cell": """history = tiny_model.fit(train_ds.batch(32), epochs=1, verbose=0)""",
}
