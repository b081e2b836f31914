# ruff: noqa: E501
CASE = {
    "title": "Stateful LSTM with an Embedding first layer, but each time step is already a 64-d vector: Embedding makes it 4-D",
    "source": "https://github.com/keras-team/keras/issues/1897",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import keras
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense

max_features = 1000
embedding_size = 128
batch_size = 25
maxlen = 200
# input shape: (291, 200, 64)""",
        """model = Sequential()
model.add(keras.Input(batch_shape=(batch_size, maxlen, 64)))
model.add(Embedding(max_features, embedding_size))
model.add(LSTM(50, return_sequences=True, stateful=True))""",
    ],
    "expect": {
        "names": ["embedding", "lstm"],
        "kinds": [],
        "cause_any": [r"Embedding", r"\b4-?D\b|four[- ]dim|rank|ndim"],
        "fix_any": [r"(remove|drop|without|delete|skip)[^.]*Embedding", r"feed[^.]*directly"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(keras.Input(batch_shape=(batch_size, maxlen, 64)))
model.add(LSTM(50, return_sequences=True, stateful=True))
model.add(LSTM(50, return_sequences=False, stateful=True))
model.add(Dense(1))""",
}
