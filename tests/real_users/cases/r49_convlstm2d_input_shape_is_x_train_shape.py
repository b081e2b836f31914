# ruff: noqa: E501
CASE = {
    "title": "ConvLSTM2D(input_shape=x_train.shape) with x_train of shape (668, 677, 1, 1, 676): the sample axis makes it 6-D",
    "source": "https://github.com/keras-team/keras/issues/10235",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import ConvLSTM2D

lstm_out = 16
x_train = np.broadcast_to(np.float32(0), (668, 677, 1, 1, 676))   # (samples, time, rows, cols, channels)""",
        """model = Sequential()
model.add(ConvLSTM2D(lstm_out, dropout=0.2, input_shape=x_train.shape, kernel_size=(5, 1), return_sequences=0))""",
    ],
    "expect": {
        "names": ["conv_lstm2d", "input_layer", "conv_lstm2d_input"],
        "kinds": [],
        "cause_any": [r"batch|sample"],
        "fix_any": [r"x_train\.shape\[1:\]", r"input_shape\s*=\s*\(\s*677\s*,\s*1\s*,\s*1\s*,\s*676\s*\)"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(ConvLSTM2D(lstm_out, dropout=0.2, input_shape=x_train.shape[1:], kernel_size=(1, 1), return_sequences=0))""",
}
