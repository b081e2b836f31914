# ruff: noqa: E501
CASE = {
    "title": "Airline LSTM: data reshaped to (samples, look_back, 1) but the layer says LSTM(10, input_dim=look_back)",
    "source": "https://github.com/keras-team/keras/issues/2415",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import LSTM, Dense

look_back = 10
series = np.random.rand(144).astype("float32")
def create_dataset(dataset, look_back=1):
    X = [dataset[i:i + look_back] for i in range(len(dataset) - look_back - 1)]
    Y = [dataset[i + look_back] for i in range(len(dataset) - look_back - 1)]
    return np.array(X), np.array(Y)
trainX, trainY = create_dataset(series[:100], look_back)
# reshape input to be [samples, time steps, features]
trainX = np.reshape(trainX, (trainX.shape[0], trainX.shape[1], 1))""",
        """model = Sequential()
model.add(LSTM(10, input_dim=look_back))
model.add(Dense(1))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(trainX, trainY, epochs=1, batch_size=100, verbose=0)""",
    ],
    "expect": {
        "names": ["lstm", "input_layer", "lstm_input"],
        "kinds": ["data"],
        "cause_any": [r"input_dim|look_back|feature|time ?steps"],
        "fix_any": [r"input_shape\s*=\s*\(\s*(look_back|10)\s*,\s*1\s*\)", r"shape\s*=\s*\(\s*(look_back|10)\s*,\s*1\s*\)"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(LSTM(10, input_shape=(look_back, 1)))
model.add(Dense(1))
model.compile(loss='mean_squared_error', optimizer='adam')
model.fit(trainX, trainY, epochs=1, batch_size=100, verbose=0)""",
}
