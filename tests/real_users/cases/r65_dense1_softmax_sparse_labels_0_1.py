# ruff: noqa: E501
CASE = {
    "title": "Binary classifier ending in Dense(1, activation='softmax') with sparse_categorical_crossentropy and labels 0/1",
    "source": "https://newbedev.com/received-a-label-value-of-1-which-is-outside-the-valid-range-of-0-1-python-keras",
    "flavours": ["keras3", "tf_keras"],
    "cells": [
        """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense

X_train = np.random.rand(64, 20).astype("float32")
y_train = np.random.randint(0, 2, size=(64,))

model = Sequential()
model.add(Dense(32, activation='relu', input_dim=20))
model.add(Dense(1, activation='softmax'))
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam', metrics=['accuracy'])""",
        """model.fit(X_train, y_train, epochs=1, batch_size=16, verbose=0)""",
    ],
    "expect": {
        "names": ["dense_1"],
        "kinds": ["target", "loss"],
        "cause_any": [r"one (unit|output|neuron|class)|1 (unit|output|neuron|class)|\[0, ?1\)|out(side)? of range|number of classes"],
        "fix_any": [r"Dense\(\s*2\b", r"sigmoid[^.]*binary_crossentropy|binary_crossentropy[^.]*sigmoid"],
    },
    "fixed_last_cell": """model = Sequential()
model.add(Dense(32, activation='relu', input_dim=20))
model.add(Dense(2, activation='softmax'))
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(X_train, y_train, epochs=1, batch_size=16, verbose=0)""",
}
