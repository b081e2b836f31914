# ruff: noqa: E501
CASE = {
    "title": "Numerai tabular data into LSTM(input_dim=len(X)): the row count used as the feature size, 2-D data into an RNN",
    "source": "https://github.com/keras-team/keras/issues/9448",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import pandas as pd
import keras
from keras.layers import Dense, Activation, Dropout, LSTM
from keras.models import Sequential

np.random.seed(0)
training_data = pd.DataFrame(np.random.rand(200, 21), columns=[f"feature{i}" for i in range(1, 22)])
training_data["target"] = np.random.randint(0, 2, size=200)
features = [f for f in list(training_data) if "feature" in f]
X = training_data[features]
Y = training_data["target"]""",
        """model = Sequential()
model.add(LSTM(50, input_dim=len(X), return_sequences=True))
model.add(Dropout(0.2))
model.add(LSTM(100, return_sequences=False))
model.add(Dropout(0.2))
model.add(Dense(1))
model.add(Activation('linear'))
model.compile(loss='mse', optimizer='rmsprop')
model.fit(X, Y, batch_size=512, epochs=1, validation_split=0.05, verbose=0)""",
    ],
    "expect": {
        "names": ["lstm", "input_layer", "lstm_input"],
        "kinds": ["data"],
        "cause_any": [r"len\(X\)|number of (rows|samples)|row count|\brows\b"],
        "fix_any": [r"reshape\([^)]*,\s*1\s*,\s*(21|X\.shape\[1\]|len\(features\))\s*\)", r"reshape\([^)]*,\s*(21|X\.shape\[1\]|len\(features\))\s*,\s*1\s*\)",
                    r"shape\s*=\s*\(\s*(1\s*,\s*(21|len\(features\))|(21|len\(features\))\s*,\s*1)\s*\)"],
    },
    "fixed_last_cell": """X3 = X.values.reshape((X.shape[0], 1, X.shape[1]))   # (samples, 1 time step, 21 features)
model = Sequential()
model.add(LSTM(50, input_shape=(1, len(features)), return_sequences=True))
model.add(Dropout(0.2))
model.add(LSTM(100, return_sequences=False))
model.add(Dropout(0.2))
model.add(Dense(1))
model.add(Activation('linear'))
model.compile(loss='mse', optimizer='rmsprop')
model.fit(X3, Y, batch_size=512, epochs=1, validation_split=0.05, verbose=0)""",
}
