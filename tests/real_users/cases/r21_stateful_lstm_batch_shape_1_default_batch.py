CASE = {
    "title": "Stateful LSTM declared with Input(batch_shape=[1, 10, 3]) trained with fit()'s default batch_size=32",
    "source": "https://github.com/keras-team/keras/issues/20327",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import keras
import numpy as np

model = keras.Sequential([
    keras.layers.Input(batch_shape=[1, 10, 3]),
    keras.layers.LSTM(10, return_sequences=True, stateful=True),
    keras.layers.LSTM(10, return_sequences=True, stateful=True),
    keras.layers.Dense(5)
])
model.compile(loss="mse", optimizer="sgd")

X_train = np.random.rand(100, 10, 3)
y_train = np.random.rand(100, 10, 5)""",
        """model.fit(X_train, y_train, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["lstm", "lstm_1", "input_layer", "input_1"],
        "kinds": ["data"],
        "cause_any": [r"batch[_ ]size|batch_shape|stateful"],
        "fix_any": [r"batch_size\s*=\s*1\b"],
    },
    "fixed_last_cell": """model.fit(X_train, y_train, epochs=1, batch_size=1, verbose=0)""",
}
