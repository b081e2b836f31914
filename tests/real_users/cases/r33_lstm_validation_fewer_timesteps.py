# ruff: noqa: E501
CASE = {
    "title": "LSTM built for input_shape=(973, 215) validated on test windows of 61 time steps",
    "source": "https://github.com/keras-team/keras/issues/6351",
    "flavours": ["tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import LSTM, Dense

# 60 shops x 215 items; 973 train days, 61 test days (2 shops here)
train_x = np.random.rand(2, 973, 215).astype("float32")
train_y = np.random.rand(2, 973, 215).astype("float32")
test_x = np.random.rand(2, 61, 215).astype("float32")
test_y = np.random.rand(2, 61, 215).astype("float32")""",
        """model = Sequential()
model.add(LSTM(16, input_shape=(train_x.shape[1], train_x.shape[2]), return_sequences=True))
model.add(Dense(215))
model.compile(loss='mean_squared_error', optimizer='adam', metrics=['accuracy'])""",
        """history = model.fit(train_x, train_y, epochs=1,
                    validation_data=(test_x, test_y), verbose=0, shuffle=False)""",
    ],
    "expect": {
        "names": ["lstm", "lstm_input"],
        "kinds": ["data"],
        "cause_any": [r"\b61\b.*\b973\b|\b973\b.*\b61\b", r"time ?steps?|sequence length|validation"],
        "fix_any": [r"input_shape\s*=\s*\(\s*None\s*,\s*(215|train_x\.shape\[2\])", r"shape\s*=\s*\(\s*None\s*,\s*215", r"pad|window"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(LSTM(16, input_shape=(None, train_x.shape[2]), return_sequences=True))
model.add(Dense(215))
model.compile(loss='mean_squared_error', optimizer='adam', metrics=['accuracy'])
history = model.fit(train_x, train_y, epochs=1, validation_data=(test_x, test_y), verbose=0, shuffle=False)""",
}
