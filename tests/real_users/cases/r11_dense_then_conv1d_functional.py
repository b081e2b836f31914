# ruff: noqa: E501
CASE = {
    "title": "Functional Input(shape=(7200,)) -> Dense -> Conv1D: a 2-D Dense output fed to Conv1D",
    "source": "https://github.com/keras-team/keras/issues/7136",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.layers import Input, Dense, Conv1D
from keras.models import Model

input_dim = 7200
output_dim = 64""",
        """inputs = Input(shape=(input_dim,))
dense1 = Dense(output_dim, activation='relu', name="dense1")(inputs)
conv1 = Conv1D(output_dim, 3, activation='relu', name="conv1")(dense1)""",
    ],
    "expect": {
        "names": ["conv1", "dense1"],
        "kinds": [],
        "cause_any": [r"ndim|rank|\b[23]-?D\b|(two|three|2|3)[- ]dim", r"steps|sequence|time|channel"],
        "fix_any": [r"Reshape\(\s*\(\s*(output_dim|64|-1)\s*,\s*1\s*\)\s*\)", r"Reshape\(\s*\(\s*(input_dim|7200)\s*,\s*1\s*\)",
                    r"Input\(\s*shape\s*=\s*\(\s*(input_dim|7200)\s*,\s*1\s*\)", r"expand_dims"],
    },
    "fixed_last_cell": """inputs = Input(shape=(input_dim,))
dense1 = Dense(output_dim, activation='relu', name="dense1")(inputs)
x = keras.layers.Reshape((output_dim, 1))(dense1)
conv1 = Conv1D(output_dim, 3, activation='relu', name="conv1")(x)
model = Model(inputs=inputs, outputs=conv1)""",
}
