CASE = {
    "title": "Conv1D(128, 5) stacked on LSTM(1000) that returns only its last state",
    "source": "https://github.com/keras-team/keras/issues/5222",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import LSTM, Conv1D

model = Sequential()
model.add(LSTM(1000, input_shape=(1000, 100)))""",
        """model.add(Conv1D(128, 5))""",
    ],
    "expect": {
        "names": ["conv1d", "lstm"],
        "kinds": [],
        "cause_any": [r"return_sequences", r"ndim|rank|\b[23]-?D\b|(two|three|2|3)[- ]dim|time(steps)? axis"],
        "fix_any": [r"return_sequences\s*=\s*True", r"Reshape\(\s*\(\s*(1000|-1)\s*,\s*1\s*\)\s*\)"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(LSTM(1000, input_shape=(1000, 100), return_sequences=True))
model.add(Conv1D(128, 5))""",
}
