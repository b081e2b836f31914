PROGRAM = {
    "title": "Attention pooling: Dense(1) scores of shape (N, T, 1), softmax over the TIME axis (Softmax(axis=1)), "
             "weighted sum of the per-timestep states, one sigmoid unit with (N, 1) labels",
    "source": "https://github.com/keras-team/keras-io/blob/master/guides/understanding_masking_and_padding.py",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """
import numpy as np
import tensorflow as tf
import keras
from keras import layers


class WeightedSum(layers.Layer):
    \"\"\"sum_t weights[:, t] * values[:, t] -> (batch, features).\"\"\"

    def call(self, inputs):
        values, weights = inputs
        return tf.reduce_sum(values * weights, axis=1)


rng = np.random.default_rng(0)
x = rng.integers(1, 300, size=(64, 25))
y = rng.integers(0, 2, size=(64, 1)).astype("float32")
""",
        """
inputs = keras.Input(shape=(25,), dtype="int32")
h = layers.Embedding(300, 16)(inputs)
h = layers.Conv1D(16, 3, padding="same", activation="relu")(h)  # (batch, 25, 16): one state per timestep
scores = layers.Dense(1)(h)  # (batch, 25, 1): one score per timestep
weights = layers.Softmax(axis=1)(scores)  # normalised over the 25 timesteps, not over the size-1 axis
context = WeightedSum()([h, weights])  # (batch, 16)
outputs = layers.Dense(1, activation="sigmoid")(context)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, batch_size=16, epochs=1, verbose=0)
""",
        """
attention = keras.Model(inputs, weights)
attention.predict(x[:2], verbose=0).sum(axis=1)
""",
    ],
}
