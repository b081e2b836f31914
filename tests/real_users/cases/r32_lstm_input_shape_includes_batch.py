# ruff: noqa: E501
CASE = {
    "title": "LSTM(100, input_shape=(1,6,30)) where (1,6,30) is the shape of the whole input batch",
    "source": "https://github.com/keras-team/keras/issues/11480",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import LSTM

InputBatch = np.random.rand(6, 30)
InputBatch = np.expand_dims(InputBatch, 0)
print(InputBatch.shape)""",
        """model = Sequential()
model.add(LSTM(100, input_shape=(1, 6, 30), return_sequences=True))""",
    ],
    "expect": {
        "names": ["lstm", "input_layer", "lstm_input"],
        "kinds": [],
        "cause_any": [r"batch|sample", r"\b4-?D\b|four[- ]dim|extra (axis|dim)|rank|ndim"],
        "fix_any": [r"input_shape\s*=\s*\(\s*6\s*,\s*30\s*\)", r"shape\s*=\s*\(\s*6\s*,\s*30\s*\)", r"InputBatch\.shape\[1:\]"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(LSTM(100, input_shape=(6, 30), return_sequences=True))
model.predict(InputBatch, verbose=0)""",
}
