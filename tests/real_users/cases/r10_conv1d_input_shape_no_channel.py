# ruff: noqa: E501
CASE = {
    "title": "Conv1D(input_shape=(1886,)) for 1-D EEG sparse coefficients: the channel axis is missing",
    "source": "https://github.com/tensorflow/tensorflow/issues/44065",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Convolution1D""",
        """model = Sequential()
model.add(Convolution1D(filters=32, kernel_size=1, strides=3, input_shape=(1886,)))""",
    ],
    "expect": {
        "names": ["conv1d", "input_layer", "conv1d_input"],
        "kinds": [],
        "cause_any": [r"channel", r"ndim|rank|\b[23]-?D\b|(two|three|2|3)[- ]dim"],
        "fix_any": [r"\(\s*1886\s*,\s*1\s*,?\s*\)", r"Reshape\(\s*\(\s*-?\w+\s*,\s*1\s*\)\s*\)", r"expand_dims|newaxis"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(Convolution1D(filters=32, kernel_size=1, strides=3, input_shape=(1886, 1)))
model.predict(np.random.rand(2, 1886, 1), verbose=0)""",
}
