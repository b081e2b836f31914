# ruff: noqa: E501
CASE = {
    "title": "Encoder-decoder (LSTM -> RepeatVector -> LSTM -> TimeDistributed softmax) with sparse_categorical_crossentropy but one-hot targets",
    "source": "https://github.com/keras-team/keras/issues/6331",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras import layers
from keras.models import Sequential
from keras.layers import RepeatVector, TimeDistributed

INPUT_SEQUENCE_LENGTH = 20
TOKEN_REPRESENTATION_SIZE = 30
OUTPUT_SEQUENCE_LENGTH = 16
HIDDEN_LAYER_DIMENSION = 64
LAYERS = 1
token_dict_size = 500
X = np.random.rand(32, INPUT_SEQUENCE_LENGTH, TOKEN_REPRESENTATION_SIZE).astype("float32")
Y = keras.utils.to_categorical(np.random.randint(0, token_dict_size, size=(32, OUTPUT_SEQUENCE_LENGTH)), token_dict_size)""",
        """RNN = layers.LSTM
model = Sequential()
model.add(RNN(HIDDEN_LAYER_DIMENSION, input_shape=(INPUT_SEQUENCE_LENGTH, TOKEN_REPRESENTATION_SIZE)))
model.add(RepeatVector(OUTPUT_SEQUENCE_LENGTH))
for _ in range(LAYERS):
    model.add(RNN(HIDDEN_LAYER_DIMENSION, return_sequences=True))
model.add(TimeDistributed(layers.Dense(token_dict_size)))
model.add(layers.Activation('softmax'))
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam', metrics=['accuracy'])""",
        """model.fit(X, Y, batch_size=32, epochs=1, verbose=0)""",
    ],
    "expect": {
        "names": ["activation", "time_distributed"],
        "kinds": ["target", "loss"],
        "cause_any": [r"one[- _]?hot|sparse|integer|class\s+(ids?|indices|index)"],
        "fix_any": [r"argmax", r"(?<!sparse_)categorical_crossentropy|(?<!Sparse)CategoricalCrossentropy\("],
    },
    "fixed_last_cell": """model.fit(X, Y.argmax(axis=-1), batch_size=32, epochs=1, verbose=0)""",
}
