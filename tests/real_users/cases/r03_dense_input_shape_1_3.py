CASE = {
    "title": "Regression MLP declared with input_shape=(1,3) fit on features of shape (1700, 3)",
    "source": "https://github.com/karolzak/keras-unet/issues/51",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import tensorflow as tf
import keras

features = np.random.rand(1700, 3).astype("float32")
labels = np.random.rand(1700).astype("float32")""",
        """nn_model = keras.Sequential([
    keras.layers.Dense(64, activation='relu', input_shape=(1, 3), name="dense_39"),
    keras.layers.Dense(64, activation='relu', name="dense_40"),
    keras.layers.Dense(1, name="dense_41"),
])
nn_model.compile(optimizer="adam", loss="mean_absolute_error")""",
        """history = nn_model.fit(
    features,
    labels,
    validation_split=0.2,
    epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["dense_39", "input_layer", "dense_39_input"],
        "kinds": ["data"],
        "cause_any": [r"\(\s*1\s*,\s*3\s*\)|\(\s*None\s*,\s*1\s*,\s*3\s*\)", r"extra (axis|dim)|rank|ndim|\b[23]-?D\b"],
        "fix_any": [r"input_shape\s*=\s*\(\s*3\s*,\s*\)", r"shape\s*=\s*\(\s*3\s*,?\s*\)",
                    r"reshape\([^)]*1\s*,\s*3\s*\)|expand_dims\([^)]*\b1\b|\[\s*:\s*,\s*(None|np\.newaxis)"],
    },
    "fixed_last_cell": """nn_model = keras.Sequential([
    keras.layers.Dense(64, activation='relu', input_shape=(3,), name="dense_39"),
    keras.layers.Dense(64, activation='relu', name="dense_40"),
    keras.layers.Dense(1, name="dense_41"),
])
nn_model.compile(optimizer="adam", loss="mean_absolute_error")
history = nn_model.fit(features, labels, validation_split=0.2, epochs=1, verbose=0)""",
}
