CASE = {
    "title": "Grid-world Q-network: Conv2D -> Flatten -> LSTM(100, return_sequences=True): a 2-D tensor into an RNN",
    "source": "https://github.com/keras-team/keras/issues/11506",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import keras
from keras.models import Sequential
from keras.layers import Conv2D, Activation, Flatten, LSTM, Dense
from keras.optimizers import Adam

map_size = 10""",
        """model = Sequential()
model.add(Conv2D(32, (3, 3), input_shape=(map_size, map_size, 1), strides=(1, 1), padding="same"))
model.add(Activation('relu'))
model.add(Flatten())
model.add(LSTM(100, return_sequences=True, activation='tanh'))
model.add(Dense(units=300, activation='relu'))
model.add(Dense(units=5, activation='linear'))""",
    ],
    "expect": {
        "names": ["lstm", "flatten"],
        "kinds": [],
        "cause_any": [r"ndim|rank|\b[23]-?D\b|(two|three|2|3)[- ]dim|time ?(steps?|axis)"],
        "fix_any": [r"Reshape\(\s*\(\s*(\d+|map_size)\s*,", r"TimeDistributed\("],
    },
    "fixed_last_cell": """model = Sequential()
model.add(Conv2D(32, (3, 3), input_shape=(map_size, map_size, 1), strides=(1, 1), padding="same"))
model.add(Activation('relu'))
model.add(keras.layers.Reshape((map_size, map_size * 32)))    # rows as time steps
model.add(LSTM(100, return_sequences=True, activation='tanh'))
model.add(Dense(units=300, activation='relu'))
model.add(Dense(units=5, activation='linear'))""",
}
