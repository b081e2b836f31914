# ruff: noqa: E501
CASE = {
    "title": "Pairs-trading LSTM trained on (N, 1, 4) windows, then model.predict(testX) with testX built from a 34-column frame",
    "source": "https://github.com/tensorflow/tensorflow/issues/53728",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import LSTM, Dropout, Dense

look_back = 4
trainX = np.random.rand(60, look_back)
trainY = np.random.rand(60, look_back)
testX = np.random.rand(20, 34)        # built from the full feature frame instead of the look_back window
# Reshape X for model training
trainX = np.reshape(trainX, (trainX.shape[0], 1, trainX.shape[1]))
testX = np.reshape(testX, (testX.shape[0], 1, testX.shape[1]))""",
        """model = Sequential()
model.add(LSTM(32, input_shape=(trainX.shape[1], trainX.shape[2]), return_sequences=True))
model.add(LSTM(32))
model.add(Dropout(0.2))
model.add(Dense(look_back))
model.compile(loss='mse', optimizer='adam')
history = model.fit(trainX, trainY, epochs=1, batch_size=20, verbose=0, shuffle=True)""",
        """yhat = model.predict(testX, verbose=0)""",
    ],
    "expect": {
        "names": ["lstm", "input_layer", "lstm_input"],
        "kinds": ["data"],
        "cause_any": [r"\b34\b.*\b4\b|\b4\b.*\b34\b", r"feature|column"],
        "fix_any": [r"testX\[\s*:\s*,\s*:\s*,\s*:\s*(4|look_back)\s*\]|\[\s*:\s*,\s*:\s*(4|look_back)\s*\]", r"same (features|columns|preprocessing)|look_back"],
    },
    "fixed_last_cell": """yhat = model.predict(testX[:, :, :look_back], verbose=0)""",
}
