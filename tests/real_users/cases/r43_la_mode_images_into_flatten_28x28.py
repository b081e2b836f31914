# ruff: noqa: E501
CASE = {
    "title": "TF beginner quickstart on custom digits saved with img.convert('LA'): (28, 28, 2) images into Flatten(input_shape=(28, 28))",
    "source": "https://github.com/tensorflow/tensorflow/issues/44404",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras

# lstOfArrays.append(numpy.array(img.convert('LA')))  -> luminance + alpha
x_train = np.random.rand(50, 28, 28, 2).astype("float32")
y_train = np.random.randint(0, 10, size=(50,))

model = keras.models.Sequential([
  keras.layers.Flatten(input_shape=(28, 28)),
  keras.layers.Dense(128, activation='relu'),
  keras.layers.Dropout(0.2),
  keras.layers.Dense(10)
])""",
        """predictions = model(x_train[:1]).numpy()
predictions""",
    ],
    "expect": {
        "names": ["flatten", "input_layer", "flatten_input"],
        "kinds": ["data"],
        "cause_any": [r"\bLA\b|alpha|channel|\b2\b.*(values|channels)"],
        "fix_any": [r"convert\(\s*['\"]L['\"]\s*\)", r"\[\s*\.\.\.\s*,\s*0\s*\]|\[\s*:\s*,\s*:\s*,\s*:\s*,\s*0\s*\]"],
    },
    "fixed_last_cell": """predictions = model(x_train[:1, ..., 0]).numpy()   # img.convert('L')
predictions""",
}
