# ruff: noqa: E501
CASE = {
    "title": "TF course regression: model.fit(X, y) with 1-D X tensors (TF 2.7+ no longer expands them)",
    "source": "https://github.com/mrdbourke/tensorflow-deep-learning/issues/293",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import tensorflow as tf
import keras

X = tf.constant([-7.0, -4.0, -1.0, 2.0, 5.0, 8.0, 11.0, 14.0])
y = tf.constant([3.0, 6.0, 9.0, 12.0, 15.0, 18.0, 21.0, 24.0])""",
        """tf.random.set_seed(42)
model = keras.Sequential([
    keras.layers.Dense(1)
])
model.compile(loss="mae",  # tf.keras.losses.mae in the course
              optimizer=keras.optimizers.SGD(),
              metrics=["mae"])
model.fit(X, y, epochs=5, verbose=0)""",
    ],
    "expect": {
        "names": ["dense"],
        "kinds": ["data"],
        "cause_any": [r"\b1-?D\b|one[- ]dim|feature (axis|dim)|(no|missing|without( a)?) (feature|second) (axis|dim)|min_ndim|rank"],
        "fix_any": [r"expand_dims\([^)]*(-1|\b1\b)", r"reshape\([^)]*-1\s*,\s*1", r"\[\s*:\s*,\s*(None|tf\.newaxis|np\.newaxis)\s*\]"],
    },
    "fixed_last_cell": """tf.random.set_seed(42)
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(loss="mae", optimizer=keras.optimizers.SGD(), metrics=["mae"])
model.fit(tf.expand_dims(X, axis=-1), y, epochs=5, verbose=0)""",
}
