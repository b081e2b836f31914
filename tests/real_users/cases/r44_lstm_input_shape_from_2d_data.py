# ruff: noqa: E501
CASE = {
    "title": "Stock LSTM: LSTM(300, input_shape=x_train.shape[1:]) where x_train is 2-D (samples, 15 features)",
    "source": "https://github.com/shreyans29/thesemicolon/issues/5",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import LSTM, Dense, Activation

x_train = np.random.rand(400, 15).astype("float32")
y_train = np.random.rand(400, 1).astype("float32")""",
        """model = Sequential()
model.add(LSTM(300, input_shape=x_train.shape[1:], return_sequences=True,
               kernel_initializer='glorot_normal', recurrent_initializer='glorot_normal', activation='sigmoid'))""",
    ],
    "expect": {
        "names": ["lstm", "input_layer", "lstm_input"],
        "kinds": [],
        "cause_any": [r"ndim|rank|\b[23]-?D\b|(two|three|2|3)[- ]dim|time ?steps?|feature (axis|dim)"],
        "fix_any": [r"reshape\([^)]*(15|x_train\.shape\[1\])\s*,\s*1\s*\)", r"reshape\([^)]*,\s*1\s*,\s*(15|x_train\.shape\[1\])\s*\)",
                    r"input_shape\s*=\s*\(\s*(15|1)\s*,\s*(1|15)\s*\)", r"expand_dims|newaxis"],
    },
    "fixed_last_cell": """x_train = x_train.reshape((x_train.shape[0], x_train.shape[1], 1))
model = Sequential()
model.add(LSTM(300, input_shape=x_train.shape[1:], return_sequences=True,
               kernel_initializer='glorot_normal', recurrent_initializer='glorot_normal', activation='sigmoid'))""",
}
